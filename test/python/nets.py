"""Random small networks and losses for the tests, each rebuildable from its spec (so a point's
gradient can be recomputed on a fresh copy, away from the recorder's hooks)."""
import random

import torch
from torch import nn

ACTS = ["relu", "relu-inplace", "tanh", "sigmoid", "identity", "none"]


def activation(name):
    return {"relu": nn.ReLU(), "relu-inplace": nn.ReLU(inplace=True), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(),
            "identity": nn.Identity()}.get(name)


class Block(nn.Module):
    def __init__(self, linear, act):
        super().__init__()
        self.linear = linear
        self.act = act

    def forward(self, x):
        x = self.linear(x)
        return self.act(x) if self.act is not None else x


class Tree(nn.Module):
    """Not a Sequential: Linear layers inside blocks inside a ModuleList, one of them maybe used twice."""

    def __init__(self, blocks, tied):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.tied = tied

    def forward(self, x):
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i == self.tied:           # the same layer (same weights) applied a second time
                x = block(x)
        return x


def random_spec(rng):
    features = rng.randint(1, 5)
    widths = [features] + [rng.randint(1, 6) for _ in range(rng.randint(0, 3))]
    loss = rng.choice(["mse", "bce-logits", "bce", "ce-class", "ce-prob"])
    outputs = rng.randint(2, 4) if loss.startswith("ce") else rng.randint(1, 3)
    widths.append(outputs)
    layers = []
    for l in range(len(widths) - 1):
        last = l == len(widths) - 2
        act = ("sigmoid" if loss == "bce" else "none") if last else rng.choice(ACTS)
        layers.append({"in": widths[l], "out": widths[l + 1], "bias": rng.random() < 0.8, "act": act})
    tied = None
    squares = [i for i, layer in enumerate(layers) if layer["in"] == layer["out"]]
    if squares and rng.random() < 0.5:
        tied = rng.choice(squares)
    return {"layers": layers, "tree": tied is not None or rng.random() < 0.4, "tied": tied, "loss": loss,
            "reduction": rng.choice(["mean", "sum"]), "features": features, "outputs": outputs,
            "count": rng.randint(3, 15), "batch": rng.randint(1, 6), "seed": rng.randint(0, 10 ** 6),
            "optimizer": rng.choice(["sgd", "momentum", "adam"])}


def build_model(spec):
    torch.manual_seed(spec["seed"])
    blocks = [Block(nn.Linear(l["in"], l["out"], bias=l["bias"]).double(), activation(l["act"]))
              for l in spec["layers"]]
    if spec["tree"]:
        return Tree(blocks, spec["tied"])
    modules = []
    for b in blocks:
        modules.append(b.linear)
        if b.act is not None:
            modules.append(b.act)
    return nn.Sequential(*modules)


def build_loss(spec, reduction=None):
    reduction = reduction or spec["reduction"]
    return {"mse": nn.MSELoss, "bce-logits": nn.BCEWithLogitsLoss, "bce": nn.BCELoss,
            "ce-class": nn.CrossEntropyLoss, "ce-prob": nn.CrossEntropyLoss}[spec["loss"]](reduction=reduction)


def build_data(spec):
    g = torch.Generator().manual_seed(spec["seed"] + 1)
    n, k = spec["count"], spec["outputs"]
    x = torch.rand(n, spec["features"], generator=g, dtype=torch.float64) * 2 - 1
    if spec["loss"] == "ce-class":
        y = torch.randint(0, k, (n,), generator=g)
    elif spec["loss"] == "ce-prob":
        y = torch.softmax(torch.randn(n, k, generator=g, dtype=torch.float64), 1)
    elif spec["loss"].startswith("bce"):
        y = torch.rand(n, k, generator=g, dtype=torch.float64)
    else:
        y = torch.randn(n, k, generator=g, dtype=torch.float64)
    return x, y


def build_optimizer(spec, model):
    if spec["optimizer"] == "adam":
        return torch.optim.Adam(model.parameters(), lr=0.01)
    return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9 if spec["optimizer"] == "momentum" else 0)


def linears(model):
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def own_gradient(spec, state, x, y):
    """One point's gradient of its own loss, on a fresh copy of the model: (loss, weights, biases)."""
    model = build_model(spec)
    model.load_state_dict(state)
    point_loss = build_loss(spec)(model(x.unsqueeze(0)), y.unsqueeze(0))
    layers = linears(model)
    params = [p for m in layers for p in ([m.weight] + ([m.bias] if m.bias is not None else []))]
    grads = iter(torch.autograd.grad(point_loss, params, allow_unused=True))
    weights, biases = [], []
    for m in layers:
        gw = next(grads)
        weights.append((gw if gw is not None else torch.zeros_like(m.weight)).tolist())
        if m.bias is not None:
            gb = next(grads)
            biases.append((gb if gb is not None else torch.zeros_like(m.bias)).tolist())
        else:
            biases.append([])
    return float(point_loss), weights, biases


def specs(seed, count):
    rng = random.Random(seed)
    return [random_spec(rng) for _ in range(count)]
