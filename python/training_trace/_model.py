"""What the recorder can say about a model: its Linear layers in order, the activation after
each, and, module by module, whether a data point's gradient can be told apart from the others'."""
from torch import nn

ACTIVATION_NAMES = {nn.ReLU: "relu", nn.Tanh: "tanh", nn.Sigmoid: "sigmoid"}


def _types(*names):
    return tuple(t for t in (getattr(nn, name, None) for name in names) if t is not None)


CONTAINERS = _types("Sequential", "ModuleList", "ModuleDict")
# element-wise or per-point, and without parameters: they never mix the points of a batch
PER_POINT = _types(
    "Identity", "ReLU", "Tanh", "Sigmoid", "LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish",
    "Softplus", "Softsign", "Hardtanh", "Hardsigmoid", "Hardswish", "ReLU6", "LogSigmoid", "Tanhshrink",
    "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
    "Flatten", "Unflatten", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
)
SHAPING = _types(
    "Flatten", "Unflatten", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
)
DROPOUT = _types("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")
SOFTMAX = _types("Softmax", "LogSoftmax", "Softmin")
# per point, but with parameters that are not Linear weights
PER_POINT_WITH_PARAMETERS = _types(
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "LayerNorm", "GroupNorm", "Embedding", "PReLU",
)
BATCH_NORM = (nn.modules.batchnorm._BatchNorm,)
INSTANCE_NORM = (nn.modules.instancenorm._InstanceNorm,)

NOT_LINEAR = "its parameters are not Linear weights, so they are left out of the trace's weights and gradients"


def linear_layers(model):
    """(name, module) of every nn.Linear in the model, in the module tree's order (each once)."""
    return [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Linear)]


def _leaves(model):
    return [(name, m) for name, m in model.named_modules() if not any(True for _ in m.children())]


def activations(model):
    """The activation after each Linear layer, read from the module tree's order: the first
    activation module between it and the next Linear ("linear" when there is none)."""
    result = []
    current = None
    for _, m in _leaves(model):
        if isinstance(m, nn.Linear):
            if current is not None:
                result.append(current["activation"] or "linear")
            current = {"activation": None}
        elif current is not None and current["activation"] is None:
            name = next((v for k, v in ACTIVATION_NAMES.items() if type(m) is k), None)
            if name is None and not isinstance(m, (nn.Identity,) + DROPOUT + CONTAINERS):
                name = type(m).__name__.lower()
            current["activation"] = name
    if current is not None:
        result.append(current["activation"] or "linear")
    return result


def describe_module(name, m, linear_index):
    """One row of the run event's `modules`: does this module let a point's gradient be its own?"""
    row = {"name": name or "(model)", "type": type(m).__name__}
    if isinstance(m, nn.Linear):
        row.update(role="linear", layer=linear_index[id(m)], perPoint=True)
    elif isinstance(m, CONTAINERS):
        row.update(role="container", perPoint=True)
    elif isinstance(m, BATCH_NORM):
        if m.training:
            row.update(role="other", perPoint=False, reason=(
                "in training mode it normalises with the mean and variance of the whole batch, so each "
                "point's output, loss and gradient depend on the other points of its batch: no point has "
                "a gradient of its own"))
        else:
            row.update(role="other", perPoint=True, reason="in evaluation mode it is per point; " + NOT_LINEAR)
    elif isinstance(m, DROPOUT):
        row.update(role="other", perPoint=True, reason="each point has its own random mask, so it splits per point")
    elif isinstance(m, SOFTMAX):
        if getattr(m, "dim", None) == 0:
            row.update(role="other", perPoint=False, reason="it normalises over dimension 0, across the batch's points")
        else:
            row.update(role="activation", perPoint=True)
    elif isinstance(m, PER_POINT):
        row.update(role="other" if isinstance(m, SHAPING + (nn.Identity,)) else "activation", perPoint=True)
    elif isinstance(m, PER_POINT_WITH_PARAMETERS + INSTANCE_NORM):
        row.update(role="other", perPoint=True, reason=NOT_LINEAR)
    elif type(m).__module__.startswith("torch."):
        if any(True for _ in m.children()):
            row.update(role="other", perPoint=False, reason=(
                f"torch.nn.{type(m).__name__} is unknown to the recorder: it may mix the points of a batch "
                "or use its Linear layers' weights without calling them"))
        else:
            row.update(role="other", perPoint=False, reason=(
                f"torch.nn.{type(m).__name__} is unknown to the recorder: it may mix the points of a batch"))
    else:
        own = [p for p in m._parameters.values() if p is not None]
        row.update(role="custom", perPoint=True)
        if own:
            row["reason"] = "a module of the script's own with parameters of its own: " + NOT_LINEAR
    return row


def describe_modules(model, linears):
    index = {id(m): i for i, (_, m) in enumerate(linears)}
    return [describe_module(name, m, index) for name, m in model.named_modules()]


def mixing_reasons(model, linears):
    """Why the points of a batch cannot be told apart in this model right now (empty: they can)."""
    return [f"{row['name']} ({row['type']}): {row['reason']}"
            for row in describe_modules(model, linears) if not row["perPoint"]]


def parameters_not_in_trace(model, linears):
    kept = {id(p) for _, m in linears for p in m.parameters(recurse=False)}
    return [name for name, p in model.named_parameters() if id(p) not in kept]
