"""Models the recorder cannot split into points still record batches, losses and updates, and
the run event says, layer by layer, why per-point gradients are absent."""
import unittest

from helpers import assert_all_close, by_type, gradient_of, point_gradients, read_trace, TraceFile  # first: puts python/ on the path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import training_trace as tt


def train(model, path, epochs=2, count=10, batch=4):
    torch.manual_seed(3)
    x = torch.rand(count, 8, dtype=torch.float64)
    y = x.mean(1, keepdim=True)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
    seen = []
    with tt.record(path, model, optimizer, loader, loss_fn, epochs=epochs) as (model, optimizer, loader, loss_fn):
        for _ in range(epochs):
            for xb, yb in loader:
                optimizer.zero_grad()
                out = model(xb)
                loss = loss_fn(out, yb)
                loss.backward()
                seen.append(((out.detach() - yb) ** 2).reshape(-1).tolist())
                optimizer.step()
    return read_trace(path), seen


class Unsplittable(unittest.TestCase):
    def test_conv_batchnorm_dropout(self):
        torch.manual_seed(1)
        model = nn.Sequential(nn.Unflatten(1, (1, 8)), nn.Conv1d(1, 2, 3), nn.BatchNorm1d(2), nn.ReLU(), nn.Flatten(),
                              nn.Dropout(0.2), nn.Linear(12, 1)).double()
        with TraceFile() as path:
            trace, seen = train(model, path)
        run = trace[0]
        self.assertFalse(run["perPointGradients"])
        absent = run["perPointGradientsAbsent"]
        self.assertEqual(len(absent), 1)
        self.assertIn("2 (BatchNorm1d)", absent[0])
        self.assertIn("mean and variance of the whole batch", absent[0])
        rows = {r["name"]: r for r in run["modules"]}
        self.assertFalse(rows["2"]["perPoint"])
        self.assertIn("not Linear weights", rows["1"]["reason"])          # the Conv1d
        self.assertIn("own random mask", rows["5"]["reason"])             # the Dropout splits per point
        self.assertEqual((rows["6"]["role"], rows["6"]["layer"]), ("linear", 0))
        self.assertEqual(run["parametersNotInTrace"], ["1.weight", "1.bias", "2.weight", "2.bias"])
        self.assertEqual(run["layerSizes"], [12, 1])
        # batches, each point's loss, and every update are still there; no backward events
        self.assertEqual(by_type(trace, "backward"), [])
        self.assertEqual(len(by_type(trace, "batchStart")), 6)
        forwards = by_type(trace, "forward")
        self.assertEqual(len(forwards), 20)
        self.assertEqual([f["loss"] for f in forwards], [v for batch in seen for v in batch])
        updates = by_type(trace, "update")
        self.assertEqual([u["size"] for u in updates], [4, 4, 2] * 2)
        self.assertEqual(updates[-1]["weights"], [model[6].weight.tolist()])
        self.assertEqual([e["type"] for e in trace][-2:], ["epochEnd", "done"])

    def test_conv_and_dropout_alone_split_per_point(self):
        torch.manual_seed(2)
        model = nn.Sequential(nn.Unflatten(1, (1, 8)), nn.Conv1d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Dropout(0.3),
                              nn.Linear(12, 3), nn.Tanh(), nn.Linear(3, 1)).double()
        with TraceFile() as path:
            trace, _ = train(model, path)
        self.assertTrue(trace[0]["perPointGradients"])
        for u in by_type(trace, "update"):
            points = point_gradients(trace, u["epoch"], u["batch"])
            self.assertEqual(len(points), u["size"])
            mean = [sum(c) / len(points) for c in zip(*points)]
            assert_all_close(self, gradient_of(u), mean, 1e-12, max(abs(v) for p in points for v in p), f"batch {u['batch']}")

    def test_layers_that_mix_points_or_are_unknown(self):
        torch.manual_seed(4)
        across = nn.Sequential(nn.Linear(8, 4), nn.LayerNorm(4), nn.Softmax(dim=0), nn.Linear(4, 1)).double()
        unknown = nn.Sequential(nn.Linear(8, 4), nn.ConstantPad1d(1, 0.0), nn.Linear(6, 1)).double()
        for model, why in ((across, "normalises over dimension 0"), (unknown, "unknown to the recorder")):
            with self.subTest(why=why), TraceFile() as path:
                trace, _ = train(model, path, epochs=1)
                self.assertFalse(trace[0]["perPointGradients"])
                self.assertEqual(len(trace[0]["perPointGradientsAbsent"]), 1)
                self.assertIn(why, trace[0]["perPointGradientsAbsent"][0])
                self.assertEqual(by_type(trace, "backward"), [])
                self.assertEqual(len(by_type(trace, "forward")), 10)
                self.assertEqual(len(by_type(trace, "update")), 3)

if __name__ == "__main__":
    unittest.main()
