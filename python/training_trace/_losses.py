"""A loss call split into its data points: each point's own loss, target and output, and how the
batch loss is made of the points' losses (so that each point's gradient can be recovered).

A point's loss is the contract's: the mean over the point's own elements (its outputs) of the
element losses, when the loss averages; the sum over them when it sums (PyTorch's `sum` adds every
element, so with k > 1 outputs a point's loss is k times the contract's mse). Then the batch loss
L = c × Σ point losses, with c = 1 (`sum`) or 1 / n (`mean`, n points), checked numerically on
every call. A loss with reduction `none` returns one value per element; the loop reduces it.
"""
import math

import torch
from torch import nn

# PyTorch's loss modules whose semantics the recorder knows, and their names in the trace.
ELEMENTWISE = {
    "MSELoss": "mse",
    "BCELoss": "bce",
    "BCEWithLogitsLoss": "bce-with-logits",
    "L1Loss": "l1",
    "SmoothL1Loss": "smooth-l1",
    "HuberLoss": "huber",
}
CLASSES = {"CrossEntropyLoss": "cross-entropy", "NLLLoss": "nll"}
FUNCTIONS = {
    "mse_loss": "mse",
    "binary_cross_entropy": "bce",
    "binary_cross_entropy_with_logits": "bce-with-logits",
    "cross_entropy": "cross-entropy",
    "nll_loss": "nll",
    "l1_loss": "l1",
    "smooth_l1_loss": "smooth-l1",
    "huber_loss": "huber",
}
CHECK_TOLERANCE = 1e-9


class Unsplittable(Exception):
    """The loss call cannot be split into data points (the reason is the message)."""


def loss_name(fn):
    """The trace's name for a loss module or function: the contract's where it has one."""
    name = type(fn).__name__ if isinstance(fn, nn.Module) else getattr(fn, "__name__", type(fn).__name__)
    return ELEMENTWISE.get(name) or CLASSES.get(name) or FUNCTIONS.get(name) or name


def declared_reduction(fn, kwargs=None):
    if kwargs and kwargs.get("reduction") in ("mean", "sum", "none"):
        return kwargs["reduction"]
    reduction = getattr(fn, "reduction", None)
    return reduction if reduction in ("mean", "sum", "none") else None


class LossSplit:
    """One loss call's points. `scale` is c in L = c × Σ point losses (None for reduction 'none');
    `gradient_reason` says why per-point gradients cannot be recovered from this call (None: they can)."""

    def __init__(self, n, losses, outputs, targets, probabilities, scale, reduction, elements,
                 gradient_reason=None, note=None):
        self.n = n
        self.losses = losses
        self.outputs = outputs
        self.targets = targets
        self.probabilities = probabilities
        self.scale = scale
        self.reduction = reduction
        self.elements = elements          # elements per point, for reduction 'none'
        self.gradient_reason = gradient_reason
        self.note = note

    def factors(self, grad):
        """dTotal/d(point loss) for each point, from the gradient that reached the loss's output,
        or None when it is not the same for every element of a point."""
        g = grad.detach().to(torch.float64)
        if self.scale is not None:
            if g.numel() != 1:
                return None
            return [float(g.reshape(())) * self.scale] * self.n
        rows = g.reshape(self.n, -1)
        if not bool((rows == rows[:, :1]).all()):
            return None
        return [float(v) * self.elements for v in rows[:, 0]]


def _rows(x, n, unbatched):
    x = x.detach()
    return x.reshape(1, -1) if unbatched else x.reshape(n, -1)


def _as_list_rows(x, n, unbatched):
    return _rows(x, n, unbatched).tolist()


def _targets(name, o, t, n, unbatched):
    """Each point's target as numbers; class numbers made one-hot (as the CLI's trace has them)."""
    if not isinstance(t, torch.Tensor):
        return [[] for _ in range(n)]
    if name in CLASSES.values() and not t.is_floating_point():
        classes = o.shape[0] if unbatched else o.shape[1]
        if t.numel() == n:
            rows = []
            for c in t.detach().reshape(n).tolist():
                row = [0.0] * classes
                if 0 <= c < classes:
                    row[c] = 1.0
                rows.append(row)
            return rows
    t = t.detach()
    if unbatched:
        return [t.to(torch.float64).reshape(-1).tolist()]
    if t.dim() >= 1 and t.shape[0] == n:
        return t.to(torch.float64).reshape(n, -1).tolist()
    row = t.to(torch.float64).reshape(-1).tolist()
    return [row for _ in range(n)]


def _probabilities(name, o, unbatched):
    if name != "cross-entropy":
        return None
    o = o.detach()
    if unbatched and o.dim() == 1:
        return [torch.softmax(o.to(torch.float64), 0).tolist()]
    if not unbatched and o.dim() == 2:
        return torch.softmax(o.to(torch.float64), 1).tolist()
    return None


def _checked_scale(batch_loss, losses, candidates):
    """The first c among candidates with L = c × Σ losses, to CHECK_TOLERANCE relative in float64
    (to a thousand times the rounding unit of the loss's own type, when it is float32 or less)."""
    value = float(batch_loss.detach().reshape(()))
    tolerance = max(CHECK_TOLERANCE, 1000 * torch.finfo(batch_loss.dtype).eps) \
        if batch_loss.is_floating_point() else CHECK_TOLERANCE
    total = math.fsum(losses)
    magnitude = math.fsum(abs(v) for v in losses)
    for reduction, c in candidates:
        if not math.isfinite(value) or not math.isfinite(total):
            return reduction, c
        if abs(c * total - value) <= tolerance * c * magnitude + 1e-300:
            return reduction, c
    return None


def split_loss(fn, args, kwargs, output, n, unbatched, call_module, seen_reduction=None):
    """Splits one call of the loss `fn(*args, **kwargs) -> output` on a batch of n points.

    `call_module(fn, *args, **kwargs)` calls the loss without the recorder's hooks; `seen_reduction`
    is what an earlier call of the same loss showed (one point's loss is its sum and its mean).
    Raises Unsplittable when not even the points' losses can be had."""
    if len(args) < 2 or not isinstance(args[0], torch.Tensor):
        raise Unsplittable("the loss was not called as loss(output, target)")
    o, t = args[0], args[1]
    name = loss_name(fn)
    outputs = _as_list_rows(o, n, unbatched)
    targets = _targets(name, o, t, n, unbatched)
    probabilities = _probabilities(name, o, unbatched)
    note = None
    known = isinstance(fn, nn.Module) and (type(fn).__name__ in ELEMENTWISE or type(fn).__name__ in CLASSES)
    reduction = declared_reduction(fn, kwargs)

    def finish(losses, scale, reduction, elements=1, reason=None):
        return LossSplit(n, losses, outputs, targets, probabilities, scale, reduction, elements, reason, note)

    if known and reduction is not None and isinstance(t, torch.Tensor):
        with torch.no_grad():
            fn.reduction = "none"
            try:
                e = fn.forward(o.detach(), t.detach())
            finally:
                fn.reduction = reduction
        elementwise = type(fn).__name__ in ELEMENTWISE
        separable = unbatched or (e.dim() >= 1 and e.shape[0] == n and o.dim() >= 1 and o.shape[0] == n
                                  and (not elementwise or o.dim() == e.dim()))
        if elementwise and tuple(o.shape) != tuple(e.shape):
            note = (f"{type(fn).__name__} compared an output of shape {list(o.shape)} with a target of shape "
                    f"{list(t.shape)}: PyTorch broadcast them to {list(e.shape)}, so each output is compared with "
                    f"{'every target of the batch' if separable else 'targets of other points'}")
        if separable:
            rows = _rows(e, n, unbatched).to(torch.float64)
            elements = rows.shape[1]
            if reduction == "none":
                if tuple(output.shape) != tuple(e.shape):
                    raise Unsplittable("the loss's reduction is 'none' but it returned an unexpected shape")
                return finish(rows.mean(1).tolist(), None, "none", elements)
            weighted = False
            scale = 1.0 if reduction == "sum" else 1.0 / n
            if reduction == "mean" and type(fn).__name__ in CLASSES and not t.is_floating_point():
                ignore = getattr(fn, "ignore_index", -100)
                valid = t.detach() != ignore
                weight = getattr(fn, "weight", None)
                if weight is not None or not bool(valid.all()):
                    weighted = True
                    denominator = (weight.detach().to(torch.float64)[t.detach()[valid]].sum() if weight is not None
                                   else valid.sum().to(torch.float64))
                    scale = 1.0 / float(denominator)
            losses = (rows.sum(1) if reduction == "sum" or weighted else rows.mean(1)).tolist()
            checked = _checked_scale(output, losses, [(reduction, scale)])
            if checked is not None:
                return finish(losses, scale, reduction)
            reason = "the batch loss is not the sum or mean of the points' losses"
        else:
            reason = ("PyTorch broadcast the output against targets of other points, so no point's gradient "
                      "is its own")
        # the points' losses as the loop meant them, one point at a time; their gradients stay unknown
        losses = _per_point_calls(fn, o, t, n, unbatched, kwargs, call_module)
        return finish(losses, None, reduction or "unknown", 1, reason)

    # any other loss: called once per point (without the recorder's hooks)
    if unbatched or n == 1:
        if output.numel() != 1:
            raise Unsplittable("the loss returned more than one value for one point")
        return finish([float(output.detach().reshape(()))], 1.0, reduction or seen_reduction or "mean")
    losses = _per_point_calls(fn, o, t, n, unbatched, kwargs, call_module)
    if output.numel() == 1:
        candidates = [("sum", 1.0), ("mean", 1.0 / n)]
        if reduction == "sum":
            candidates.reverse()
        checked = _checked_scale(output, losses, candidates)
        if checked is not None:
            return finish(losses, checked[1], checked[0])
        return finish(losses, None, reduction or "unknown", 1,
                      "the batch loss is neither the sum nor the mean of the losses of the points one at a time")
    if output.dim() >= 1 and output.shape[0] == n:
        rows = output.detach().to(torch.float64).reshape(n, -1)
        return finish(rows.mean(1).tolist(), None, "none", rows.shape[1])
    raise Unsplittable(f"the loss returned a tensor of shape {list(output.shape)}")


def _per_point_calls(fn, o, t, n, unbatched, kwargs, call_module):
    if unbatched:
        with torch.no_grad():
            out = call_module(fn, o.detach(), t.detach() if isinstance(t, torch.Tensor) else t, **(kwargs or {}))
        return [float(out.detach().to(torch.float64).mean())]
    losses = []
    batched_target = isinstance(t, torch.Tensor) and t.dim() >= 1 and t.shape[0] == n
    with torch.no_grad():
        for i in range(n):
            ti = t[i:i + 1].detach() if batched_target else t
            out = call_module(fn, o[i:i + 1].detach(), ti, **(kwargs or {}))
            if not isinstance(out, torch.Tensor):
                raise Unsplittable("the loss did not return a tensor")
            losses.append(float(out.detach().to(torch.float64).mean()))
    return losses
