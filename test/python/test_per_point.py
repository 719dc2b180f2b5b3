"""The recorder's per-point gradients on random networks (depths, widths, activations, module
trees, a layer used twice, losses, reductions, a smaller last batch): each is the gradient of
that point's own loss, and together they make exactly the gradient PyTorch stepped with."""
import unittest

from helpers import assert_all_close, by_type, flatten, read_trace, TraceFile  # first: puts python/ on the path

import torch
from torch.utils.data import DataLoader, TensorDataset

import training_trace as tt
from nets import build_data, build_loss, build_model, build_optimizer, linears, own_gradient, specs

REL = 1e-12


def assert_close(test, got, want, scale, label):
    """Entry by entry, |got - want| <= 1e-12 * max(|got|, |want|, scale): scale is the size of the
    terms the value is made of, so a sum that cancels to near 0 is held to their precision."""
    assert_all_close(test, flatten(got), flatten(want), REL, scale, label)


class PerPointGradients(unittest.TestCase):
    def run_spec(self, spec, path):
        """The ordinary loop, recorded; returns what PyTorch did: per batch, the weights it started
        with, its rows, and the .grad it stepped with."""
        model = build_model(spec)
        loss_fn = build_loss(spec)
        optimizer = build_optimizer(spec, model)
        x, y = build_data(spec)
        loader = DataLoader(TensorDataset(x, y), batch_size=spec["batch"], shuffle=True,
                            generator=torch.Generator().manual_seed(spec["seed"]))
        seen = []
        with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
            for _ in range(2):
                for xb, yb in loader:
                    state = {k: v.clone() for k, v in model.state_dict().items()}
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    grads = [[m.weight.grad.tolist(), m.bias.grad.tolist() if m.bias is not None else []]
                             for m in linears(model)]
                    seen.append((state, len(xb), grads))
                    optimizer.step()
        return seen, x, y

    def test_random_networks(self):
        for n, spec in enumerate(specs(2024, 40)):
            with self.subTest(net=n, spec=spec), TraceFile() as path:
                seen, x, y = self.run_spec(spec, path)
                trace = read_trace(path)
                self.assertTrue(trace[0]["perPointGradients"], trace[0].get("perPointGradientsAbsent"))
                updates = by_type(trace, "update")
                self.assertEqual(len(updates), len(seen))
                for u, (state, size, grads) in zip(updates, seen):
                    label = f"net {n} epoch {u['epoch']} batch {u['batch']}"
                    # the update carries the gradient PyTorch stepped with, as it was
                    self.assertEqual(u["gradient"]["weights"], [g[0] for g in grads], label)
                    self.assertEqual(u["gradient"]["biases"], [g[1] for g in grads], label)
                    self.assertEqual((u["size"], u["reduction"], u["backwards"]), (size, spec["reduction"], 1))
                    points = [e for e in trace if e["type"] == "backward" and (e["epoch"], e["batch"]) ==
                              (u["epoch"], u["batch"])]
                    forwards = [e for e in trace if e["type"] == "forward" and (e["epoch"], e["batch"]) ==
                                (u["epoch"], u["batch"])]
                    self.assertEqual(len(points), size, label)
                    # summed (or averaged) per the loss's reduction, they are that gradient
                    divisor = size if spec["reduction"] == "mean" else 1
                    for part in ("weights", "biases"):
                        terms = [flatten(p["gradient"][part]) for p in points]
                        total = [sum(column) / divisor for column in zip(*terms)]
                        scale = max((abs(v) for t in terms for v in t), default=0) / divisor
                        assert_close(self, total, u["gradient"][part], scale, f"{label} Σ {part}")
                    # and each is its own point's gradient, computed alone on a fresh copy
                    for p, f in zip(points, forwards):
                        self.assertEqual(p["index"], f["index"])
                        loss, weights, biases = own_gradient(spec, state, x[p["index"]], y[p["index"]])
                        assert_close(self, [f["loss"]], [loss], 0, f"{label} loss of {p['index']}")
                        scale = max(map(abs, flatten(weights) + flatten(biases)))
                        assert_close(self, p["gradient"]["weights"], weights, scale, f"{label} point {p['index']}")
                        assert_close(self, p["gradient"]["biases"], biases, scale, f"{label} point {p['index']}")

    def test_every_kind_was_tried(self):
        kinds = specs(2024, 40)
        for loss in ("mse", "bce-logits", "bce", "ce-class", "ce-prob"):
            self.assertTrue(any(s["loss"] == loss for s in kinds), loss)
        self.assertTrue(any(s["tied"] is not None for s in kinds))
        self.assertTrue(any(s["count"] % s["batch"] for s in kinds))
        self.assertTrue(any(l["act"] == "relu-inplace" for s in kinds for l in s["layers"][:-1]))


if __name__ == "__main__":
    unittest.main()
