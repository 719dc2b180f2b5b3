#!/usr/bin/env python3
"""Independent reference trainer: a test oracle for a Training Trace jsonl trace.

    python3 test/oracle/reference_trainer.py < trace.jsonl

Written from README.md alone ("The config, contract v1", "What the trainer computes",
"The trace, contract v1"), in plain float64 Python with nested lists, standard library only.

From the trace it takes only:
  * the `run` event: the normalised `config` and the data rows `data.inputs` / `data.targets`
    (cross-entropy targets are already one-hot there);
  * the `init` event's weights and biases (the random initialisation is not re-derived, but it
    is checked against `initialWeights` / `initialBiases` / zero biases / the xavier and
    uniform bounds);
  * each `epochStart` event's `order` (the shuffle is not re-derived, but each order must be a
    permutation of 0..N-1, and the identity when `shuffle` is false).
Everything else (batch split, forward, loss, per-point backward, reduced batch gradient,
optimizer step, weights after each update, epoch loss, `done`, `diverged`) is recomputed and
compared event by event: same sequence of event types and epoch/batch/index, same keys, every
number within tolerance.

Tolerance: a and b agree when |a - b| <= 1e-9 * max(|a|, |b|, 1e-3), i.e. a relative error of
1e-9, with an absolute floor of 1e-12 for values below 1e-3 in magnitude (a batch gradient that
is a sum of O(1) terms cancelling to near zero legitimately differs by ~1e-16 between two
correct summation formulas). The "max relative error" printed is the largest
|a - b| / max(|a|, |b|, 1e-3) seen.

Where the README leaves float details open, the reference takes the exact maths: a term
0 ln 0 counts 0 (bce, cross-entropy); an inactive ReLU unit passes back exactly 0 even when
the value from above has overflowed; a point whose gradient has a non-finite entry ends the
run with a `diverged` event of stage "backward" (README: the first non-finite number). Long runs with a large
learning rate, or Adam near a zero gradient, amplify last-bit rounding differences past 1e-9
after tens of epochs without either side being wrong: test with short, well-conditioned runs.

Exit status: 0 all agree; 1 mismatches (the first few printed); 2 malformed input.
"""
import json
import math
import sys

REL_TOL = 1e-9
SCALE_FLOOR = 1e-3          # absolute floor = REL_TOL * SCALE_FLOOR = 1e-12
MAX_SHOWN = 12
INF, NAN = math.inf, math.nan


class Malformed(Exception):
    pass


# --- IEEE-style helpers: Python raises where JavaScript/float64 yields inf or nan. -------------

def exp_(x):
    try:
        return math.exp(x)
    except OverflowError:   # JavaScript gives Infinity; the divergence check then sees it
        return INF


def log_(x):
    if x != x or x < 0:
        return NAN
    return -INF if x == 0 else math.log(x)


def div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def xlogy(c, v):
    """c ln v, taken as 0 when c = 0 (0 ln 0 = 0, the limit and the usual convention)."""
    return 0.0 if c == 0 else c * log_(v)


def xdivy(c, v):
    return 0.0 if c == 0 else div(c, v)


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + exp_(-z))
    e = exp_(z)              # z < 0 or nan: this form never overflows
    return e / (1.0 + e)


ACTIVATION = {"linear": lambda z: z, "relu": lambda z: z if z > 0 else 0.0,
              "sigmoid": sigmoid, "tanh": math.tanh}
# f'(z), written with the unit's output a where that is the usual form
DERIVATIVE = {"linear": lambda z, a: 1.0,
              "relu": lambda z, a: 1.0 if z > 0 else 0.0,    # README: 0 at z = 0
              "sigmoid": lambda z, a: a * (1.0 - a),
              "tanh": lambda z, a: 1.0 - a * a}


def all_finite(x):
    return all(all_finite(r) for r in x) if isinstance(x, list) else math.isfinite(x)


def zeros_like(x):
    return [zeros_like(r) for r in x] if isinstance(x, list) else 0.0


# --- the network -------------------------------------------------------------------------------

def forward(net, x):
    """Returns (zs, activations) with activations[0] = x, zs[l] the pre-activations of layer l."""
    acts, zs = [x], []
    for l, layer in enumerate(net["layers"]):
        prev = acts[-1]
        z = []
        for j, row in enumerate(net["W"][l]):
            total = 0.0
            for i, w in enumerate(row):
                total += w * prev[i]
            if net["bias"]:
                total += net["b"][l][j]
            z.append(total)
        zs.append(z)
        acts.append([ACTIVATION[layer["activation"]](v) for v in z])
    return zs, acts


def softmax(v):
    m = max(v)
    e = [exp_(u - m) for u in v]
    s = sum(e)
    return [div(u, s) for u in e], [(u - m) - log_(s) for u in v]


def loss_and_delta(loss, out_act, z, yhat, y):
    """Point loss, dL/dz of the output layer, and softmax probabilities (cross-entropy only)."""
    k = len(yhat)
    probs = None
    if loss == "mse":                           # (1/k) sum (yhat - y)^2, no factor 1/2
        value = sum((a - t) * (a - t) for a, t in zip(yhat, y)) / k
        dl_da = [2.0 * (a - t) / k for a, t in zip(yhat, y)]
    elif loss == "bce" and out_act == "sigmoid":
        # from z: -[y ln s(z) + (1-y) ln(1-s(z))] = max(z,0) - y z + ln(1 + e^-|z|);
        # its derivative in z is simply s(z) - y.
        value = sum(max(u, 0.0) - t * u + math.log1p(exp_(-abs(u))) for u, t in zip(z, y)) / k
        return value, [(a - t) / k for a, t in zip(yhat, y)], None
    elif loss == "bce":   # a term whose coefficient is 0 is 0 (0 ln 0 = 0, its limit)
        value = -sum(xlogy(t, a) + xlogy(1.0 - t, 1.0 - a) for a, t in zip(yhat, y)) / k
        dl_da = [-(xdivy(t, a) - xdivy(1.0 - t, 1.0 - a)) / k for a, t in zip(yhat, y)]
    else:                                       # cross-entropy on softmax(yhat)
        probs, logp = softmax(yhat)
        value = -sum(0.0 if t == 0 else t * lp for t, lp in zip(y, logp))   # log-softmax
        ysum = sum(y)                           # d/dyhat_i of -sum y ln p = p_i sum(y) - y_i
        dl_da = [p * ysum - t for p, t in zip(probs, y)]
    return value, [g * DERIVATIVE[out_act](u, a) for g, u, a in zip(dl_da, z, yhat)], probs


def backward(net, zs, acts, delta):
    """This point's dL/dW [layer][out][in] and dL/db [layer][out] (empty rows without bias)."""
    n = len(net["layers"])
    gw, gb = [None] * n, [None] * n
    for l in range(n - 1, -1, -1):
        gw[l] = [[d * a for a in acts[l]] for d in delta]
        gb[l] = list(delta) if net["bias"] else []
        if l > 0:
            below = DERIVATIVE[net["layers"][l - 1]["activation"]]
            delta = [sum(net["W"][l][j][i] * delta[j] for j in range(len(delta)))
                     * below(zs[l - 1][i], acts[l][i])
                     for i in range(len(acts[l]))]
            if net["layers"][l - 1]["activation"] == "relu":
                # an inactive ReLU unit (z <= 0) has dL/dz = 0 exactly, whatever comes from above
                # (in floats an overflowed inf/NaN from above times 0 would give NaN instead)
                delta = [0.0 if zs[l - 1][i] <= 0 else d for i, d in enumerate(delta)]
    return gw, gb


def add(a, b):
    """Element-wise a + b over nested lists (a batch sum plus one point's gradient)."""
    return [add(x, y) for x, y in zip(a, b)] if isinstance(a, list) else a + b


# --- the optimizer: one step on a flat list of parameter rows, for weights and biases alike -----

def step(opt, state, params, grads):
    """params/grads: rows (lists of floats), updated in place. state: per-row lists."""
    lr = float(opt["learningRate"])
    if opt["type"] == "sgd":
        mu = float(opt["momentum"])
        for p, g, v in zip(params, grads, state["v"]):
            for i in range(len(p)):
                v[i] = mu * v[i] + g[i]
                p[i] = p[i] - lr * v[i]
        return
    b1, b2, eps = float(opt["beta1"]), float(opt["beta2"]), float(opt["epsilon"])
    state["t"] += 1
    t = state["t"]
    c1, c2 = 1.0 - b1 ** t, 1.0 - b2 ** t
    for p, g, m, s in zip(params, grads, state["m"], state["s"]):
        for i in range(len(p)):
            m[i] = b1 * m[i] + (1.0 - b1) * g[i]
            s[i] = b2 * s[i] + (1.0 - b2) * (g[i] * g[i])
            mhat, shat = div(m[i], c1), div(s[i], c2)
            p[i] = p[i] - div(lr * mhat, math.sqrt(shat) + eps)   # w - η m̂ / (√ŝ + ε)


def rows_of(w, b):
    return [r for layer in w for r in layer] + [r for r in b]


def copy(x):
    return [copy(v) for v in x] if isinstance(x, list) else x


# --- reading the trace -------------------------------------------------------------------------

def need(d, key, where):
    if not isinstance(d, dict) or key not in d:
        raise Malformed(f"{where}: missing key {key!r}")
    return d[key]


def read_trace(stream):
    events = []
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except ValueError as e:
            raise Malformed(f"line {n}: not JSON ({e})")
        if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
            raise Malformed(f"line {n}: not an event object with a string 'type'")
        events.append(ev)
    if len(events) < 2 or events[0]["type"] != "run" or events[1]["type"] != "init":
        raise Malformed("a trace starts with a 'run' event then an 'init' event")
    return events


def setup(run, init, problems):
    cfg = need(run, "config", "run")
    data = need(run, "data", "run")
    X = [[float(v) for v in r] for r in need(data, "inputs", "run.data")]
    Y = [[float(v) for v in r] for r in need(data, "targets", "run.data")]
    model = need(cfg, "model", "run.config")
    layers = need(model, "layers", "run.config.model")
    for i, layer in enumerate(layers):
        need(layer, "units", f"layers[{i}]")
        if need(layer, "activation", f"layers[{i}]") not in ACTIVATION:
            raise Malformed(f"layers[{i}]: unknown activation {layer['activation']!r}")
    opt = need(cfg, "optimizer", "run.config")
    keys = ["learningRate"] + (["momentum"] if need(opt, "type", "optimizer") == "sgd"
                               else ["beta1", "beta2", "epsilon"])
    for k in keys:
        need(opt, k, "run.config.optimizer")
    for k in ("loss", "reduction", "batchSize", "epochs", "shuffle", "dropLast"):
        need(cfg, k, "run.config")
    if (cfg["loss"] not in ("mse", "bce", "cross-entropy")
            or cfg["reduction"] not in ("sum", "mean")):
        raise Malformed(f"unknown loss {cfg['loss']!r} or reduction {cfg['reduction']!r}")
    if not X or len(X) != len(Y) or len({len(r) for r in X}) != 1 \
            or len({len(r) for r in Y}) != 1:
        raise Malformed("run.data: inputs and targets must be non-empty rectangular, same count")
    for k in ("batchSize", "epochs"):
        if type(cfg[k]) is not int or cfg[k] < 1:
            raise Malformed(f"run.config.{k}: must be an integer >= 1, found {cfg[k]!r}")
    sizes = [len(X[0])] + [layer["units"] for layer in layers]
    bias = need(model, "bias", "run.config.model")
    n, bs = len(X), cfg["batchSize"]
    batches = n // bs if cfg["dropLast"] else -(-n // bs)
    # the run event's own sizes must agree with the data and the model
    for key, want in (("layerSizes", sizes), ("batchesPerEpoch", batches)):
        if run.get(key) != want:
            problems.append((1, f"run {key}", run.get(key), want))
    for key, want in (("count", n), ("features", sizes[0]), ("targetWidth", len(Y[0]))):
        if data.get(key) != want:
            problems.append((1, f"run data.{key}", data.get(key), want))
    if len(Y[0]) != sizes[-1]:
        problems.append((1, "run data.targets width vs output units", len(Y[0]), sizes[-1]))

    # init: the starting point is taken from the trace, but checked where it is determined
    W = need(init, "weights", "init")
    if (not isinstance(W, list) or len(W) != len(layers)
            or any(not isinstance(W[l], list) or len(W[l]) != sizes[l + 1]
                   or any(not isinstance(r, list) or len(r) != sizes[l] for r in W[l])
                   for l in range(len(layers)))):
        raise Malformed(f"init: weights are not [layer][out][in] for layer sizes {sizes}")
    W = [[[float(w) for w in r] for r in layer] for layer in W]
    if "initialWeights" in model:
        W = [[[float(w) for w in r] for r in layer] for layer in model["initialWeights"]]
    else:
        kind = need(model, "init", "run.config.model")
        for l in range(len(layers)):
            bound = {"xavier": math.sqrt(6.0 / (sizes[l] + sizes[l + 1])),
                     "uniform": 0.5}.get(kind, INF)   # he is a normal: unbounded
            for j, row in enumerate(W[l]):
                for i, w in enumerate(row):
                    if abs(w) > bound:
                        problems.append((2, f"init weights[{l}][{j}][{i}] outside the {kind} "
                                            "bound", w, bound))
    B = ([[] for _ in layers] if not bias else
         [[float(v) for v in r] for r in model["initialBiases"]] if "initialBiases" in model
         else [[0.0] * s for s in sizes[1:]])
    net = {"layers": layers, "bias": bool(bias), "W": copy(W), "b": copy(B)}
    return cfg, X, Y, net, batches, {"type": "init", "weights": W, "biases": B}


# --- the reference run -------------------------------------------------------------------------

def reference_events(cfg, X, Y, net, batches, orders, problems):
    """Yields the reference's own events after `init`; stops at its own divergence."""
    n, bs, loss = len(X), cfg["batchSize"], cfg["loss"]
    out_act = net["layers"][-1]["activation"]
    opt = cfg["optimizer"]
    zero = zeros_like(rows_of(net["W"], net["b"]))
    state = {"t": 0, "v": copy(zero), "m": copy(zero), "s": copy(zero)}
    for epoch in range(1, cfg["epochs"] + 1):
        if epoch not in orders:
            yield {"type": "epochStart", "epoch": epoch, "order": "(no epochStart in the trace)"}
            return
        evno, order = orders[epoch]   # taken from the trace, but it must be a permutation
        if not (isinstance(order, list) and all(type(i) is int for i in order)
                and sorted(order) == list(range(n))):
            problems.append((evno, f"epochStart e{epoch} order", order,
                             f"a permutation of 0..{n - 1}"))
            return
        if not cfg["shuffle"] and order != list(range(n)):   # ... and without shuffle, 0..N-1
            problems.append((evno, f"epochStart e{epoch} order (shuffle false)", order,
                             list(range(n))))
        yield {"type": "epochStart", "epoch": epoch, "order": list(order)}
        losses = []
        for bi in range(batches):
            idx = order[bi * bs:(bi + 1) * bs]
            yield {"type": "batchStart", "epoch": epoch, "batch": bi + 1, "indices": idx}
            gsum = None
            for index in idx:   # every point uses the batch's starting weights
                zs, acts = forward(net, X[index])
                value, delta, probs = loss_and_delta(loss, out_act, zs[-1], acts[-1], Y[index])
                if not math.isfinite(value):
                    yield {"type": "diverged", "epoch": epoch, "batch": bi + 1, "index": index,
                           "stage": "forward"}
                    return
                losses.append(value)
                ev = {"type": "forward", "epoch": epoch, "batch": bi + 1, "index": index,
                      "output": acts[-1], "target": Y[index], "loss": value}
                if loss == "cross-entropy":
                    ev["probabilities"] = probs
                yield ev
                gw, gb = backward(net, zs, acts, delta)
                if not (all_finite(gw) and all_finite(gb)):
                    yield {"type": "diverged", "epoch": epoch, "batch": bi + 1, "index": index,
                           "stage": "backward"}
                    return
                yield {"type": "backward", "epoch": epoch, "batch": bi + 1, "index": index,
                       "gradient": {"weights": gw, "biases": gb}}
                if gsum is None:
                    gsum = {"weights": gw, "biases": gb}
                else:   # added up in visiting order
                    gsum = {"weights": add(gsum["weights"], gw),
                            "biases": add(gsum["biases"], gb)}
            if cfg["reduction"] == "mean":   # divided by this batch's own size
                size = float(len(idx))
                gsum = {"weights": [[[g / size for g in r] for r in l] for l in gsum["weights"]],
                        "biases": [[g / size for g in r] for r in gsum["biases"]]}
            step(opt, state, rows_of(net["W"], net["b"]),
                 rows_of(gsum["weights"], gsum["biases"]))
            if not (all_finite(net["W"]) and all_finite(net["b"])):
                yield {"type": "diverged", "epoch": epoch, "batch": bi + 1, "stage": "update"}
                return
            yield {"type": "update", "epoch": epoch, "batch": bi + 1, "size": len(idx),
                   "reduction": cfg["reduction"], "gradient": gsum,
                   "weights": copy(net["W"]), "biases": copy(net["b"])}
        yield {"type": "epochEnd", "epoch": epoch,
               "loss": sum(losses) / len(losses) if losses else NAN}
    yield {"type": "done", "epochs": cfg["epochs"]}


# --- comparison --------------------------------------------------------------------------------

def label(ev):
    """The event's identity: e.g. "forward e1 b3 i7"."""
    return " ".join([str(ev.get("type"))] + [f"{tag}{ev[key]}" for key, tag in
                    (("epoch", "e"), ("batch", "b"), ("index", "i")) if key in ev])


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def compare(evno, path, ref, got, problems, worst, top=False):
    if isinstance(ref, dict):
        if not isinstance(got, dict):
            problems.append((evno, path, got, "an object"))
            return
        for k in ref:
            if k not in got:
                problems.append((evno, f"{path} {k}", "(missing)", ref[k]))
            else:
                compare(evno, f"{path} {k}" if top else f"{path}.{k}", ref[k], got[k],
                        problems, worst)
        for k in got:
            if k not in ref:
                problems.append((evno, f"{path} {k}", got[k], "(no such key)"))
    elif isinstance(ref, list):
        if not isinstance(got, list) or len(got) != len(ref):
            problems.append((evno, path, got, ref))
            return
        for i, (r, g) in enumerate(zip(ref, got)):
            compare(evno, f"{path}[{i}]", r, g, problems, worst)
    elif is_num(ref):
        if not is_num(got):
            problems.append((evno, path, got, ref))
            return
        if not (math.isfinite(ref) and math.isfinite(got)):
            if not (ref == got or (ref != ref and got != got)):
                problems.append((evno, path, got, ref))
            return
        err = abs(ref - got) / max(abs(ref), abs(got), SCALE_FLOOR)
        worst[0] = max(worst[0], err)
        if err > REL_TOL:
            problems.append((evno, path, got, ref))
    elif ref != got:
        problems.append((evno, path, got, ref))


def main():
    try:
        events = read_trace(sys.stdin)
        problems = []
        cfg, X, Y, net, batches, expected_init = setup(events[0], events[1], problems)
        orders = {}
        for n, ev in enumerate(events, 1):
            if ev["type"] == "epochStart" and "epoch" in ev and ev["epoch"] not in orders:
                orders[ev["epoch"]] = (n, need(ev, "order", f"event #{n} epochStart"))
    except (Malformed, TypeError, ValueError, KeyError, IndexError, AttributeError) as e:
        why = e if isinstance(e, Malformed) else f"a value of the wrong type or shape ({e})"
        print(f"reference: malformed trace: {why}", file=sys.stderr)
        return 2
    worst = [0.0]
    compare(2, "init", expected_init, events[1], problems, worst, top=True)
    ref = [events[0], expected_init] + list(reference_events(cfg, X, Y, net, batches, orders,
                                                            problems))
    for i in range(2, max(len(ref), len(events))):
        r = ref[i] if i < len(ref) else None
        g = events[i] if i < len(events) else None
        if r is None or g is None or label(r) != label(g):   # out of step: stop comparing
            problems.append((i + 1, "event sequence", label(g) if g else "(trace ended)",
                             label(r) if r else "(reference ended)"))
            break
        if r["type"] == "diverged":   # the place must agree; the message is free text
            if not isinstance(g.get("message"), str):
                problems.append((i + 1, "diverged message", g.get("message"), "a string"))
            compare(i + 1, label(r), r, {k: v for k, v in g.items() if k != "message"},
                    problems, worst, top=True)
            continue
        compare(i + 1, label(r), {k: v for k, v in r.items() if k != "type"},
                {k: v for k, v in g.items() if k != "type"}, problems, worst, top=True)
    if problems:
        problems.sort(key=lambda p: p[0])
        shown = min(len(problems), MAX_SHOWN)
        print(f"reference: MISMATCH, {len(problems)} problem(s); the first {shown}:")
        for evno, path, got, want in problems[:MAX_SHOWN]:
            g, w = (json.dumps(v)[:200] for v in (got, want))
            extra = ""
            if is_num(got) and is_num(want) and math.isfinite(got) and math.isfinite(want):
                extra = f" (rel err {abs(got - want) / max(abs(got), abs(want), SCALE_FLOOR):.3g})"
            print(f"  event #{evno} {path}: trace {g}, reference {w}{extra}")
        return 1
    print(f"reference: OK, {len(events)} events, max relative error {worst[0]:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
