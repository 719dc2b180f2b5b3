"""A PyTorch twin of a CLI run: the same data, initial weights and visiting orders, trained by
torch.optim in float64 through a DataLoader, with the recorder watching the ordinary loop."""
import torch
from torch import nn
from torch.utils.data import DataLoader, Sampler, TensorDataset

import training_trace as tt

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


class ReplayOrders(Sampler):
    """Visits the rows in the order the CLI's trace says, epoch after epoch."""

    def __init__(self, orders):
        self.orders = orders
        self.epoch = 0

    def __len__(self):
        return len(self.orders[0])

    def __iter__(self):
        order = self.orders[self.epoch]
        self.epoch += 1
        return iter(order)


class PointMean(nn.Module):
    """The contract's loss with reduction "sum" and k > 1 outputs: the sum over points of each
    point's mean over its outputs (PyTorch's reduction="sum" would add every output's loss)."""

    reduction = "sum"   # declared, as PyTorch's losses do: with one point, a sum and a mean agree

    def __init__(self, elementwise):
        super().__init__()
        self.elementwise = elementwise

    def forward(self, output, target):
        return self.elementwise(output, target).mean(1).sum()


def build(events):
    """(model, loss_fn, optimizer, loader, epochs) from the CLI trace's run and init events."""
    run, init = events[0], events[1]
    cfg = run["config"]
    sizes = run["layerSizes"]
    modules = []
    for l, layer in enumerate(cfg["model"]["layers"]):
        linear = nn.Linear(sizes[l], sizes[l + 1], bias=cfg["model"]["bias"]).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(init["weights"][l], dtype=torch.float64))
            if cfg["model"]["bias"]:
                linear.bias.copy_(torch.tensor(init["biases"][l], dtype=torch.float64))
        modules.append(linear)
        if layer["activation"] in ACTIVATIONS:
            modules.append(ACTIVATIONS[layer["activation"]]())
    model = nn.Sequential(*modules)
    k, reduction = sizes[-1], cfg["reduction"]
    if cfg["loss"] == "cross-entropy":
        loss_fn = nn.CrossEntropyLoss(reduction=reduction)          # one-hot targets: probabilities
    else:
        kind = nn.MSELoss if cfg["loss"] == "mse" else nn.BCELoss
        loss_fn = kind(reduction=reduction) if k == 1 or reduction == "mean" else PointMean(kind(reduction="none"))
    opt = cfg["optimizer"]
    if opt["type"] == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=opt["learningRate"], momentum=opt["momentum"])
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=opt["learningRate"], betas=(opt["beta1"], opt["beta2"]),
                                     eps=opt["epsilon"])
    data = TensorDataset(torch.tensor(run["data"]["inputs"], dtype=torch.float64),
                         torch.tensor(run["data"]["targets"], dtype=torch.float64))
    orders = [e["order"] for e in events if e["type"] == "epochStart"]
    loader = DataLoader(data, batch_size=cfg["batchSize"], sampler=ReplayOrders(orders), drop_last=cfg["dropLast"])
    return model, loss_fn, optimizer, loader, cfg["epochs"]


def train_recorded(events, path):
    """Trains the twin with the ordinary loop, recorded into `path`."""
    model, loss_fn, optimizer, loader, epochs = build(events)
    with tt.record(path, model, optimizer, loader, loss_fn, epochs=epochs) as (model, optimizer, loader, loss_fn):
        for _ in range(epochs):
            for x, y in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
