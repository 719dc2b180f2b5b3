"""question.py with a classic mistake: optimizer.zero_grad() forgotten.

    PYTHONPATH=python python3 examples/pytorch/forgot_zero_grad.py

writes forgot_zero_grad.trace.jsonl beside this file. PyTorch adds each backward pass's gradient
to .grad, so without zero_grad() every update steps with the sum of all batches' gradients so far:
the trace's updates say so (`backwards`, `size`, `gradientSince`) and show the growing gradient.
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
model, optimizer, loader, loss_fn = tt.record(Path(__file__).with_name("forgot_zero_grad.trace.jsonl"),
                                              model, optimizer, loader, loss_fn, epochs=3)

for epoch in range(3):
    for x, y in loader:
        # optimizer.zero_grad()  <- forgotten
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
