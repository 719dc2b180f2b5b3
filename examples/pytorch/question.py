"""The learner's set-up in PyTorch: 20 data points of 8 features, batches of 2, a small MLP.

    PYTHONPATH=python python3 examples/pytorch/question.py

writes question.trace.jsonl beside this file: what the loop below really did, point by point.
The two lines marked "Training Trace" are all that was added to the loop.
"""
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import training_trace as tt  # Training Trace

torch.manual_seed(7)
inputs = torch.rand(20, 8) * 2 - 1                      # 20 data points, 8 features
targets = inputs @ (torch.rand(8, 1) * 2 - 1) + 0.5     # y = w·x + 0.5
loader = DataLoader(TensorDataset(inputs, targets), batch_size=2, shuffle=True)

model = nn.Sequential(nn.Linear(8, 4), nn.Tanh(), nn.Linear(4, 1))
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

# Training Trace: record what the loop does
model, optimizer, loader, loss_fn = tt.record(Path(__file__).with_name("question.trace.jsonl"),
                                              model, optimizer, loader, loss_fn, epochs=3)

for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
