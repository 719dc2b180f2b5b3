"""The recorder: hooks on the learner's model, loss, optimizer and loader that write, as the loop
runs, the trace (contract v1, plus the additions in python/README.md) of what the loop did."""
import os
import atexit
import inspect
import math
import types
import weakref

import torch
from torch import nn

from . import _losses, _model
from ._loader import WatchedLoader
from ._writer import TraceWriter

VERSION = "0.1.0"
_open_recorders = weakref.WeakSet()


class _ModelCall:
    """One call of the model inside a batch: its rows' dataset indices, and per-row gradient sums
    of each Linear layer, filled by tensor hooks while backward runs."""

    def __init__(self, epoch, batch, n, unbatched, indices, assumed, inputs):
        self.epoch, self.batch = epoch, batch
        self.n, self.unbatched = n, unbatched
        self.indices, self.assumed = indices, assumed
        self.inputs = inputs
        self.output = None
        self.split_reason = None      # why this call's points have no gradients of their own
        self.expected = 0             # Linear outputs hooked
        self.fired = 0
        self.weights = {}             # layer -> float64 [n, out, in]
        self.biases = {}              # layer -> float64 [n, out]
        self.losses = []              # the _LossCalls made on this call's output


class _LossCall:
    def __init__(self, split, call):
        self.split, self.call = split, call
        self.factors = None           # dTotal/d(point loss), set when backward reaches the loss


def _tensors(item):
    """The tensors a loader item holds, at the top level or one level down."""
    if isinstance(item, torch.Tensor):
        return [item]
    values = item.values() if isinstance(item, dict) else item if isinstance(item, (list, tuple)) else []
    found = []
    for v in values:
        if isinstance(v, torch.Tensor):
            found.append(v)
        elif isinstance(v, (list, tuple)):
            found.extend(x for x in v if isinstance(x, torch.Tensor))
    return found


def _number(v):
    if isinstance(v, torch.Tensor):
        v = v.item()
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return v
    return None


TRACE_FILE_VARIABLE = 'TRAINING_TRACE_FILE'


class Recorder:
    """Records one training loop into a trace file. See python/README.md.

    path: the .jsonl file to write (replaced). epochs: how many epochs the loop will run, when the
    script knows (goes into the run event's config). per_point_gradients: False skips them (faster
    on large models). max_data_values: the run event carries the dataset's inputs and targets when
    they hold at most this many numbers."""

    def __init__(self, path, *, epochs=None, per_point_gradients=True, max_data_values=10_000):
        # VS Code's "Run Python Script with Trace" says where it reads the trace from.
        path = os.environ.get(TRACE_FILE_VARIABLE) or path
        self.path = str(path)
        self._writer = TraceWriter(path)
        self._epochs_hint = epochs
        self._per_point = per_point_gradients
        self._max_data_values = max_data_values
        self._pending = []            # events before the run event is written
        self._run_written = False
        self._closed = False
        self._stopped = False         # after a `diverged` event
        self._handles = []
        self._notes = set()
        self.model = None
        self.optimizer = None
        self.loss_fn = None
        self.loader = None
        self._linears = []
        self._init = None
        self._in_loss = False
        self._current_call = None
        self._partial = []            # model calls whose backward has begun but not finished
        # where the loop is
        self.epoch = 0
        self.batch = 0
        self._epoch_open = False
        self._in_batch = False
        self._batch_indices = []
        self._batch_tensors = []
        self._batch_calls = []
        self._claimed = set()
        self._epoch_loss = [0.0, 0]
        self._epoch_loss_nograd = [0.0, 0]
        # what .grad holds since the last zero_grad
        self._steps = 0
        self._grad_points = 0
        self._grad_backwards = 0
        self._grad_since = None
        self._last_reduction = None
        self._reductions = {}         # id(loss) -> the reduction its calls on several points showed
        _open_recorders.add(self)

    # ------------------------------------------------------------------ watching

    def watch_model(self, model):
        """Hooks the model in place (forward hooks, and tensor hooks on each Linear output) and
        returns it. Its Linear layers, in the module tree's order, are the trace's layers."""
        self.model = model
        self._linears = _model.linear_layers(model)
        self._init = self._parameters()
        for layer, (_, m) in enumerate(self._linears):
            self._handles.append(m.register_forward_hook(self._linear_hook(layer)))
        self._handles.append(model.register_forward_pre_hook(self._model_pre_hook))
        self._handles.append(model.register_forward_hook(self._model_hook))
        self._patch(model, "zero_grad", self._zero_grad_wrapper("model"))
        return model

    def watch_optimizer(self, optimizer):
        """Wraps the optimizer's step() and zero_grad() in place (as bound methods, so learning-rate
        schedulers still wrap them) and returns it."""
        self.optimizer = optimizer
        self._patch(optimizer, "step", self._step_wrapper())
        self._patch(optimizer, "zero_grad", self._zero_grad_wrapper("optimizer"))
        return optimizer

    def watch_loss(self, loss_fn):
        """Hooks a loss module in place and returns it; a plain function is returned wrapped."""
        self.loss_fn = loss_fn
        if isinstance(loss_fn, nn.Module):
            self._handles.append(loss_fn.register_forward_hook(
                lambda m, args, out: self._on_loss(m, args, {}, out)))
            return loss_fn
        recorder = self

        def watched_loss(*args, **kwargs):
            out = loss_fn(*args, **kwargs)
            recorder._on_loss(loss_fn, args, kwargs, out)
            return out
        watched_loss.__wrapped__ = loss_fn
        watched_loss.__name__ = getattr(loss_fn, "__name__", "loss")
        return watched_loss

    def watch_loader(self, loader):
        """Returns a loader that yields what `loader` yields, for the recorder to see epochs and batches."""
        watched = WatchedLoader(self, loader)
        self.loader = watched
        return watched

    def _patch(self, obj, name, wrapper):
        original = getattr(obj, name)

        def method(this, *args, **kwargs):
            return wrapper(original, *args, **kwargs)
        method.__name__ = name
        method.__wrapped__ = original
        setattr(obj, name, types.MethodType(method, obj))

    # ------------------------------------------------------------------ writing

    def _emit(self, event):
        if self._closed or self._stopped:
            return
        if not self._run_written:
            self._pending.append(event)
        else:
            self._writer.emit(event)

    def _where(self, event):
        event["epoch"] = self.epoch
        event["batch"] = self.batch
        if not self._in_batch:
            event["inBatch"] = False
        return event

    def _note(self, key, message):
        if key not in self._notes:
            self._notes.add(key)
            self._emit(self._where({"type": "note", "message": message}))

    def _diverged(self, stage, message, epoch, batch, index=None):
        event = {"type": "diverged", "epoch": epoch, "batch": batch}
        if index is not None:
            event["index"] = index
        event.update(stage=stage, message=message + " (the trace ends here; the loop itself went on)")
        self._emit(event)
        self._writer.flush()
        self._stopped = True

    def _parameters(self):
        weights = [m.weight.detach().tolist() for _, m in self._linears]
        biases = [m.bias.detach().tolist() if m.bias is not None else [] for _, m in self._linears]
        return weights, biases

    def _gradients(self):
        def grad(p, shape_of):
            return p.grad.detach().tolist() if p.grad is not None else torch.zeros_like(shape_of).tolist()
        weights = [grad(m.weight, m.weight) for _, m in self._linears]
        biases = [grad(m.bias, m.bias) if m.bias is not None else [] for _, m in self._linears]
        return weights, biases

    # ------------------------------------------------------------------ the run event

    def _write_run(self, first_item=None):
        if self._run_written:
            return
        run = {"type": "run", "version": 1, "source": "pytorch", "torch": torch.__version__, "recorder": VERSION}
        run.update(self._run_description(first_item))
        self._run_written = True
        self._writer.emit(run)
        weights, biases = self._init if self._init is not None else ([], [])
        self._writer.emit({"type": "init", "weights": weights, "biases": biases})
        for event in self._pending:
            self._writer.emit(event)
        self._pending = []

    def _run_description(self, first_item):
        linears = self._linears
        layer_sizes = [linears[0][1].in_features] + [m.out_features for _, m in linears] if linears else []
        config = {"data": {"source": "pytorch"}, "model": {}, "pytorch": {}}
        if self.model is not None:
            acts = _model.activations(self.model)
            config["model"] = {
                "layers": [{"units": m.out_features, "activation": a} for (_, m), a in zip(linears, acts)],
                "bias": all(m.bias is not None for _, m in linears),
            }
            config["pytorch"]["model"] = type(self.model).__name__
            if not isinstance(self.model, (nn.Sequential, nn.Linear)):
                config["model"]["activationsFrom"] = (
                    "the order of the modules; activations called as functions in forward() are not seen")
        if self.loss_fn is not None:
            config["loss"] = _losses.loss_name(self.loss_fn)
            reduction = _losses.declared_reduction(self.loss_fn)
            if reduction in ("sum", "mean"):
                config["reduction"] = reduction
            elif reduction is not None:
                # Not the contract's: the loop reduces the losses itself, and each update says how.
                config["pytorch"]["lossReduction"] = reduction
            config["pytorch"]["loss"] = (type(self.loss_fn).__name__ if isinstance(self.loss_fn, nn.Module)
                                         else getattr(self.loss_fn, "__name__", "function"))
        if self.optimizer is not None:
            config["optimizer"] = self._optimizer_config()
            config["pytorch"]["optimizer"] = type(self.optimizer).__name__
        loader = self.loader._tt_loader if self.loader is not None else None
        dataset = getattr(loader, "dataset", None)
        batch_size = getattr(loader, "batch_size", None)
        if batch_size is None and getattr(loader, "batch_sampler", None) is not None:
            batch_size = getattr(loader.batch_sampler, "batch_size", None)
        if isinstance(batch_size, int):
            config["batchSize"] = batch_size
        if self._epochs_hint is not None:
            config["epochs"] = int(self._epochs_hint)
        sampler = getattr(loader, "sampler", None)
        if isinstance(sampler, torch.utils.data.RandomSampler):
            config["shuffle"] = True
        elif isinstance(sampler, torch.utils.data.SequentialSampler):
            config["shuffle"] = False
        if sampler is not None:
            config["pytorch"]["sampler"] = type(sampler).__name__
        if isinstance(getattr(loader, "drop_last", None), bool):
            config["dropLast"] = loader.drop_last
        if dataset is not None:
            config["data"]["dataset"] = type(dataset).__name__
        run = {"config": config, "data": self._data_description(dataset, first_item), "layerSizes": layer_sizes}
        try:
            run["batchesPerEpoch"] = len(self.loader)
        except TypeError:
            pass
        if self.loader is not None and self.loader._tt_inner is None:
            run["data"]["indexKind"] = "position"
        if self.model is not None:
            modules = _model.describe_modules(self.model, linears)
            reasons = [f"{r['name']} ({r['type']}): {r['reason']}" for r in modules if not r["perPoint"]]
            run["perPointGradients"] = self._per_point and not reasons
            if not self._per_point:
                reasons = ["the recorder was asked not to record them (per_point_gradients=False)"]
            if reasons:
                run["perPointGradientsAbsent"] = reasons
            run["modules"] = modules
            left_out = _model.parameters_not_in_trace(self.model, linears)
            if left_out:
                run["parametersNotInTrace"] = left_out
        return run

    def _optimizer_config(self):
        opt = self.optimizer
        group = opt.param_groups[0]
        lr = _number(group.get("lr"))
        if type(opt) is torch.optim.SGD:
            result = {"type": "sgd", "learningRate": lr, "momentum": _number(group.get("momentum", 0))}
            extras = {"dampening": 0, "nesterov": False, "weight_decay": 0, "maximize": False}
        elif type(opt) is torch.optim.Adam:
            beta1, beta2 = group["betas"]
            result = {"type": "adam", "learningRate": lr, "beta1": _number(beta1), "beta2": _number(beta2),
                      "epsilon": _number(group["eps"])}
            extras = {"weight_decay": 0, "amsgrad": False, "maximize": False}
        else:
            result = {"type": type(opt).__name__.lower(), "learningRate": lr}
            extras = {k: None for k in group if k not in ("params", "lr")}
        for key, default in extras.items():
            value = _number(group.get(key, default))
            if key in group and value is not None and value != default:
                camel = "".join(w if i == 0 else w.capitalize() for i, w in enumerate(key.split("_")))
                result[camel] = value
        if len(opt.param_groups) > 1:
            result["paramGroups"] = len(opt.param_groups)
        return result

    def _data_description(self, dataset, first_item):
        data = {}
        tensors = _dataset_tensors(dataset)
        try:
            data["count"] = len(dataset)
        except TypeError:
            pass
        classes = self._linears[-1][1].out_features if self._linears else None
        class_targets = self.loss_fn is not None and _losses.loss_name(self.loss_fn) in _losses.CLASSES.values()
        x = y = None
        if tensors is not None and len(tensors) >= 1:
            x = tensors[0]
            y = tensors[1] if len(tensors) >= 2 else None
            data["features"] = int(x[0].numel()) if len(x) else 0
        else:
            found = _tensors(first_item) if first_item is not None else []
            if found:
                data["features"] = int(found[0][0].numel()) if found[0].dim() >= 1 else 1
                if len(found) >= 2:
                    y = found[1]
        if y is not None:
            if class_targets and not y.is_floating_point() and classes:
                data["targetWidth"] = classes
            else:
                data["targetWidth"] = int(y[0].numel()) if y.dim() >= 1 and len(y) else 1
        data["featureNames"] = [f"x{i + 1}" for i in range(data.get("features", 0))]
        data["targetNames"] = [f"y{i + 1}" for i in range(data.get("targetWidth", 0))]
        if x is not None:
            n = len(x)
            values = n * (data.get("features", 0) + data.get("targetWidth", 0))
            if values <= self._max_data_values:
                data["inputs"] = x.detach().to(torch.float64).reshape(n, -1).tolist()
                if y is not None:
                    if class_targets and not y.is_floating_point() and classes:
                        data["targets"] = [[1.0 if c == k else 0.0 for k in range(classes)]
                                           for c in y.reshape(n).tolist()]
                    else:
                        data["targets"] = y.detach().to(torch.float64).reshape(n, -1).tolist()
                return data
            data["rowsOmitted"] = (f"{values} numbers > {self._max_data_values}: each forward event "
                                   "carries its point's input instead")
        else:
            data["rowsOmitted"] = ("the dataset is not made of tensors the recorder can read without "
                                   "calling it: each forward event carries its point's input instead")
        self._inputs_in_forward = True
        return data

    _inputs_in_forward = False

    # ------------------------------------------------------------------ epochs and batches

    def _iterate(self, watched):
        if self._epoch_open:
            self._end_epoch(complete=False)
        source = watched._tt_inner if watched._tt_inner is not None else watched._tt_loader
        seen = len(watched._tt_epochs)
        iterator = iter(source)
        self.epoch += 1
        mine = self.epoch             # an older iterator finished late must not end a newer epoch
        self.batch = 0
        self._epoch_open = True
        self._epoch_loss = [0.0, 0]
        self._epoch_loss_nograd = [0.0, 0]
        count = 0
        position = 0
        finished = False
        batches = None
        try:
            while True:
                try:
                    item = next(iterator)
                except StopIteration:
                    finished = True
                    break
                if count == 0:
                    batches = self._start_epoch(watched, seen, item)
                if batches is not None and count < len(batches):
                    indices = list(batches[count])
                else:
                    found = _tensors(item)
                    size = len(found[0]) if found and found[0].dim() >= 1 else 1
                    indices = list(range(position, position + size))
                position += len(indices)
                count += 1
                self._start_batch(indices, item)
                yield item
                if self.epoch == mine:
                    self._end_batch()
        finally:
            if self.epoch == mine:
                if count == 0 and not self._closed:
                    self._start_epoch(watched, seen, None)
                self._end_batch()
                self._end_epoch(complete=finished)

    def _start_epoch(self, watched, seen, first_item):
        self._write_run(first_item)
        if len(watched._tt_epochs) > seen:
            order, batches = watched._tt_epochs[seen]
            del watched._tt_epochs[:seen + 1]
            self._emit({"type": "epochStart", "epoch": self.epoch, "order": list(order)})
            return batches
        self._emit({"type": "epochStart", "epoch": self.epoch, "order": [], "orderKnown": False})
        return None

    def _start_batch(self, indices, item):
        self._complete_partial()
        self.batch += 1
        self._in_batch = True
        self._batch_indices = indices
        self._batch_tensors = _tensors(item)
        self._batch_calls = []
        self._claimed = set()
        self._writer.flush()
        self._emit({"type": "batchStart", "epoch": self.epoch, "batch": self.batch, "indices": list(indices)})

    def _end_batch(self):
        if not self._in_batch:
            return
        self._complete_partial()
        self._in_batch = False
        self._batch_tensors = []
        self._batch_calls = []
        self._current_call = None
        self._writer.flush()

    def _end_epoch(self, complete):
        if not self._epoch_open:
            return
        self._epoch_open = False
        total, count = self._epoch_loss if self._epoch_loss[1] else self._epoch_loss_nograd
        event = {"type": "epochEnd", "epoch": self.epoch}
        if count:
            event["loss"] = total / count
        event["points"] = count
        if not complete:
            event["complete"] = False
        self._emit(event)
        self._writer.flush()

    # ------------------------------------------------------------------ the model

    def _rows_of(self, x):
        """(n, unbatched, indices, assumed) for a model input x, from the batch the loader yielded."""
        if not isinstance(x, torch.Tensor):
            return None
        size = len(self._batch_indices)
        batched_loader = not (self.loader is not None and self.loader._tt_inner is not None
                              and self.loader._tt_loader.batch_sampler is None)
        for t in self._batch_tensors:
            if t.dim() == 0 and batched_loader:
                continue
            rows = t if batched_loader else t.unsqueeze(0)
            if rows.shape[0] != size:
                continue
            if x.dim() == rows.dim() and tuple(x.shape[1:]) == tuple(rows.shape[1:]):
                xr, unbatched = x, False
            elif x.dim() == rows.dim() - 1 and tuple(x.shape) == tuple(rows.shape[1:]):
                xr, unbatched = x.unsqueeze(0), True
            else:
                continue
            n = xr.shape[0]
            if x is t and batched_loader:
                return n, unbatched, list(range(size)), False
            matched = self._match_rows(xr, rows)
            if matched is not None:
                return n, unbatched, matched, False
        if x.dim() >= 1:
            if x.shape[0] == size and size > 0:
                return size, False, list(range(size)), True
            if size == 1:
                return 1, True, [0], True
        return None

    def _match_rows(self, xr, rows):
        """The batch rows that x's rows are, by exact value (claiming unclaimed rows first)."""
        try:
            a = xr.detach().to("cpu", torch.float64).reshape(xr.shape[0], 1, -1)
            b = rows.detach().to("cpu", torch.float64).reshape(1, rows.shape[0], -1)
        except (RuntimeError, TypeError):
            return None
        if a.shape[2] != b.shape[2]:
            return None
        equal = (a == b).all(-1)
        result = []
        for i in range(equal.shape[0]):
            candidates = [j for j in torch.nonzero(equal[i]).reshape(-1).tolist()]
            if not candidates:
                return None
            free = [j for j in candidates if j not in self._claimed]
            j = (free or candidates)[0]
            result.append(j)
        self._claimed.update(result)
        return result

    def _model_pre_hook(self, module, args):
        self._current_call = None
        if self._closed or self._stopped or not self._in_batch:
            return
        self._complete_partial()
        x = args[0] if args else None
        rows = self._rows_of(x)
        if rows is None:
            self._note("unmatchedModelInput", "the model was called on an input that is not the rows of the batch "
                       "the loader yielded: that call is not recorded")
            return
        n, unbatched, positions, assumed = rows
        indices = [self._batch_indices[p] for p in positions]
        inputs = x.detach() if isinstance(x, torch.Tensor) else None
        call = _ModelCall(self.epoch, self.batch, n, unbatched, indices, assumed, inputs)
        if not self._per_point:
            call.split_reason = "not asked for"
        else:
            reasons = _model.mixing_reasons(self.model, self._linears)
            if reasons:
                call.split_reason = "; ".join(reasons)
        self._current_call = call
        self._batch_calls.append(call)

    def _model_hook(self, module, args, output):
        call = self._current_call
        if call is not None:
            call.output = output
        self._current_call = None

    def _linear_hook(self, layer):
        def hook(module, args, out):
            call = self._current_call
            if call is None or call.split_reason is not None or not isinstance(out, torch.Tensor):
                return
            if not out.requires_grad:
                return
            x = args[0]
            # an unbatched call is one point: every row of every layer is its own
            ok = call.unbatched or (x.dim() >= 2 and x.shape[0] == call.n)
            if not ok:
                call.split_reason = (f"Linear layer {layer} received an input of shape {list(x.shape)} whose "
                                     "first dimension is not the batch's points")
                return
            call.expected += 1
            saved = x.detach()
            # A hook on the autograd node that made `out` gets the gradient at the Linear's own output
            # even when the next module changes `out` in place (ReLU(inplace=True)), in every version.
            out.grad_fn.register_hook(lambda grads_in, grads_out: self._on_linear_grad(
                call, layer, module, saved, grads_out[0]))
        return hook

    def _on_linear_grad(self, call, layer, module, x, g):
        if self._closed or self._stopped or call.split_reason is not None or g is None:
            return None
        n = call.n
        gd = g.detach().to(torch.float64).reshape(n, -1, module.out_features)
        xd = x.to(torch.float64).reshape(n, -1, module.in_features)
        dw = torch.bmm(gd.transpose(1, 2), xd)
        db = gd.sum(1)
        if layer in call.weights:
            call.weights[layer] = call.weights[layer] + dw
            call.biases[layer] = call.biases[layer] + db
        else:
            call.weights[layer] = dw
            call.biases[layer] = db
        call.fired += 1
        if call.fired == 1 and call.expected > 1:
            self._partial.append(call)
        if call.fired >= call.expected:
            self._complete(call)
        return None

    def _complete_partial(self):
        while self._partial:
            call = self._partial.pop(0)
            if call.fired:
                self._complete(call)

    def _complete(self, call):
        if call in self._partial:
            self._partial.remove(call)
        fired = [lc for lc in call.losses if lc.factors is not None]
        weights, biases = call.weights, call.biases
        call.weights, call.biases, call.fired = {}, {}, 0
        factors = fired[0].factors if len(fired) == 1 else None
        for lc in fired:
            lc.factors = None   # used by this backward pass
        if self._stopped or self._closed:
            return
        if len(fired) != 1:
            why = ("no loss recorded by the recorder" if not fired else
                   f"{len(fired)} losses on the same output") + " took part in this backward pass"
            self._note("backwardWithoutLoss", f"per-point gradients not recorded for a backward pass: {why}")
            return
        split = fired[0].split
        if split.gradient_reason is not None:
            self._note("lossUnsplittable:" + split.gradient_reason,
                       f"per-point gradients not recorded: {split.gradient_reason}")
            return
        if any(f == 0 or not math.isfinite(f) for f in factors):
            self._note("zeroFactor", "per-point gradients not recorded for a backward pass in which the "
                       "gradient reaching the loss was 0 or not finite")
            return
        for i, index in enumerate(call.indices):
            f = factors[i]
            gw, gb = [], []
            for layer, (_, m) in enumerate(self._linears):
                if layer in weights:
                    gw.append((weights[layer][i] / f).tolist())
                    gb.append((biases[layer][i] / f).tolist() if m.bias is not None else [])
                else:
                    gw.append([[0.0] * m.in_features for _ in range(m.out_features)])
                    gb.append([0.0] * m.out_features if m.bias is not None else [])
            event = {"type": "backward", "epoch": call.epoch, "batch": call.batch, "index": index,
                     "gradient": {"weights": gw, "biases": gb}}
            if call.assumed:
                event["indexAssumed"] = True
            if not all(math.isfinite(v) for layer in gw for row in layer for v in row) or \
                    not all(math.isfinite(v) for layer in gb for v in layer):
                self._diverged("backward", f"the gradient of Data point-{index + 1 if isinstance(index, int) else index} "
                               "is not finite", call.epoch, call.batch, index)
                return
            self._emit(event)

    # ------------------------------------------------------------------ the loss

    def _call_loss_quietly(self, fn, *args, **kwargs):
        self._in_loss = True
        try:
            return fn.forward(*args, **kwargs) if isinstance(fn, nn.Module) else fn(*args, **kwargs)
        finally:
            self._in_loss = False

    def _on_loss(self, fn, args, kwargs, output):
        if self._in_loss or self._closed or self._stopped or not self._in_batch:
            return
        if not isinstance(output, torch.Tensor) or not args or not isinstance(args[0], torch.Tensor):
            return
        o = args[0]
        call = self._call_of(o)
        if call is None:
            self._note("lossNotOnModel", "a loss was taken on a tensor that is not the output of a recorded "
                       "model call: it is not recorded")
            return
        try:
            split = _losses.split_loss(fn, args, kwargs, output, call.n, call.unbatched, self._call_loss_quietly,
                                       self._reductions.get(id(fn)))
        except _losses.Unsplittable as e:
            self._note("lossUnsplittable:" + str(e), f"a loss call is not recorded: {e}")
            return
        if split.note:
            self._note("lossNote:" + split.note, split.note)
        self._last_reduction = split.reduction
        if call.n > 1 and split.reduction in ("sum", "mean"):
            self._reductions[id(fn)] = split.reduction
        grad = output.requires_grad
        inputs = None
        if self._inputs_in_forward and call.inputs is not None:
            inputs = call.inputs.to(torch.float64).reshape(call.n, -1).tolist()
        for i, index in enumerate(call.indices):
            loss = split.losses[i]
            if not math.isfinite(loss):
                self._diverged("forward", f"the loss of Data point-{index + 1 if isinstance(index, int) else index} "
                               f"is {loss}", self.epoch, self.batch, index)
                return
            event = {"type": "forward", "epoch": self.epoch, "batch": self.batch, "index": index,
                     "output": split.outputs[i], "target": split.targets[i], "loss": loss}
            if split.probabilities is not None:
                event["probabilities"] = split.probabilities[i]
            if inputs is not None:
                event["input"] = inputs[i]
            if call.assumed:
                event["indexAssumed"] = True
            if not grad:
                event["noGrad"] = True
            self._emit(event)
            tally = self._epoch_loss if grad else self._epoch_loss_nograd
            tally[0] += loss
            tally[1] += 1
        if grad:
            loss_call = _LossCall(split, call)
            call.losses.append(loss_call)
            output.grad_fn.register_hook(lambda grads_in, grads_out: self._on_loss_grad(loss_call, grads_out[0]))

    def _call_of(self, o):
        """The model call a loss was taken on: the one whose output (or one of its outputs) it is,
        else the latest with an output of as many numbers (a squeezed or reshaped output)."""
        for call in reversed(self._batch_calls):
            if any(t is o for t in _tensors(call.output)):
                return call
        for call in reversed(self._batch_calls):
            if any(t.numel() == o.numel() for t in _tensors(call.output)):
                return call
        return None

    def _on_loss_grad(self, loss_call, g):
        if g is None:
            return None
        loss_call.factors = loss_call.split.factors(g)
        if loss_call.factors is None:
            loss_call.split.gradient_reason = loss_call.split.gradient_reason or (
                "the loop reduced the per-element losses with different weights within a point")
            loss_call.factors = [0.0] * loss_call.split.n
        if loss_call.split.reduction not in ("sum", "mean"):
            # The loop reduced the per-point losses itself (reduction="none", then .mean() or .sum()):
            # the factors each point's loss got say which, for the update that uses them.
            self._last_reduction = _effective_reduction(loss_call.factors) or self._last_reduction
        self._grad_points += loss_call.split.n
        self._grad_backwards += 1
        if self._grad_since is None:
            self._grad_since = {"epoch": loss_call.call.epoch, "batch": loss_call.call.batch}
        return None

    # ------------------------------------------------------------------ the optimizer

    def _step_wrapper(self):
        def step(original, *args, **kwargs):
            if self._closed or self._stopped:
                return original(*args, **kwargs)
            self._complete_partial()
            gw, gb = self._gradients()
            result = original(*args, **kwargs)
            self._steps += 1
            weights, biases = self._parameters()
            event = self._where({"type": "update"})
            event.update(size=self._grad_points, reduction=self._last_reduction or "unknown",
                         gradient={"weights": gw, "biases": gb}, weights=weights, biases=biases,
                         step=self._steps, backwards=self._grad_backwards)
            if self._grad_since is not None:
                event["gradientSince"] = dict(self._grad_since)
            lr = _number(self.optimizer.param_groups[0].get("lr"))
            if lr is not None:
                event["learningRate"] = lr
            if not all(math.isfinite(v) for layer in weights for row in layer for v in row) or \
                    not all(math.isfinite(v) for layer in biases for v in layer):
                self._diverged("update", f"the update after batch {self.batch} of epoch {self.epoch} made a "
                               "weight non-finite (too large a learning rate?)", self.epoch, self.batch)
                return result
            self._emit(event)
            self._writer.flush()
            return result
        return step

    def _zero_grad_wrapper(self, by):
        def zero_grad(original, *args, **kwargs):
            result = original(*args, **kwargs)
            if self._closed or self._stopped:
                return result
            self._complete_partial()
            event = self._where({"type": "zeroGrad"})
            event["by"] = by
            set_to_none = _set_to_none(original, args, kwargs)
            if set_to_none is not None:
                event["setToNone"] = set_to_none
            self._emit(event)
            self._grad_points = 0
            self._grad_backwards = 0
            self._grad_since = None
            return result
        return zero_grad

    # ------------------------------------------------------------------ the end

    def close(self):
        """Ends the trace: the open epoch's epochEnd, then `done`; idempotent. Called at exit too."""
        if self._closed:
            return
        try:
            if not self._stopped:
                self._complete_partial()
                self._end_batch()
                if self._epoch_open:
                    self._end_epoch(complete=False)
                self._write_run()
                self._emit({"type": "done", "epochs": self.epoch})
        finally:
            self._closed = True
            for handle in self._handles:
                handle.remove()
            self._handles = []
            self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _set_to_none(original, args, kwargs):
    if "set_to_none" in kwargs:
        return bool(kwargs["set_to_none"])
    if args:
        return bool(args[0])
    try:
        default = inspect.signature(original).parameters["set_to_none"].default
        return bool(default) if default is not inspect.Parameter.empty else None
    except (KeyError, TypeError, ValueError):
        return None


def _dataset_tensors(dataset):
    """The tensors of a TensorDataset (or a Subset of one), readable without calling the dataset."""
    if isinstance(dataset, torch.utils.data.TensorDataset):
        return dataset.tensors
    if isinstance(dataset, torch.utils.data.Subset):
        base = _dataset_tensors(dataset.dataset)
        if base is not None:
            index = torch.as_tensor(list(dataset.indices), dtype=torch.long)
            return tuple(t[index] for t in base)
    return None


class Recording(tuple):
    """What `record` returns: (model, optimizer, loader, loss_fn), to unpack; also a context manager
    that closes the trace on exit, and `.recorder` / `.close()`."""

    def __new__(cls, items, recorder):
        self = super().__new__(cls, items)
        self.recorder = recorder
        return self

    def close(self):
        self.recorder.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.recorder.close()
        return False


def record(path, model, optimizer, loader, loss_fn=None, **options):
    """Watches a training loop's model, optimizer, loader and loss; returns them to unpack:

        model, optimizer, loader, loss_fn = training_trace.record("run.trace.jsonl", model, optimizer, loader, loss_fn)

    The model, optimizer and loss module are the same objects, hooked in place; the loader is a
    wrapper yielding the same items. The trace is closed by `close()`, at the end of a `with`
    block, or when the script exits. Options: see Recorder."""
    recorder = Recorder(path, **options)
    model = recorder.watch_model(model)
    optimizer = recorder.watch_optimizer(optimizer)
    loader = recorder.watch_loader(loader)
    if loss_fn is not None:
        loss_fn = recorder.watch_loss(loss_fn)
    return Recording((model, optimizer, loader, loss_fn), recorder)


@atexit.register
def close_all():
    """Closes every trace still open (at exit, so a script needs no explicit close)."""
    for recorder in list(_open_recorders):
        recorder.close()


def _effective_reduction(factors):
    """"mean" when every point's loss counted 1/n in the total, "sum" when each counted 1; any
    other uniform weight (a loop that also scales its loss) is a mean or a sum times a constant,
    read as "mean" unless it is 1; None when the points counted differently."""
    if not factors or any(abs(f - factors[0]) > 1e-9 * abs(factors[0]) for f in factors):
        return None
    return "sum" if abs(factors[0] - 1.0) <= 1e-9 else "mean"
