"""The learner's classic mistakes, written as a learner would, recorded as they really happen."""
import unittest

from helpers import assert_all_close, by_type, flatten, gradient_of, point_gradients, read_trace, TraceFile  # first: puts python/ on the path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import training_trace as tt

REL = 1e-12


def setup(count=10, batch=3, seed=5):
    torch.manual_seed(seed)
    x = torch.rand(count, 4, dtype=torch.float64) * 2 - 1
    y = x.sum(1, keepdim=True) * 0.5
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1)).double()
    loader = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True)
    return model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.05), loader


def batch_gradients(trace):
    """Each batch's own gradient, from its points' (reduced as the update says)."""
    result = {}
    reductions = {(u["epoch"], u["batch"]): u["reduction"] for u in by_type(trace, "update")}
    for e in by_type(trace, "backward"):
        key = (e["epoch"], e["batch"])
        flat = gradient_of(e)
        total, count = result.get(key, ([0.0] * len(flat), 0))
        result[key] = ([a + b for a, b in zip(total, flat)], count + 1)
    return {k: [v / (n if reductions.get(k, "mean") == "mean" else 1) for v in total]
            for k, (total, n) in result.items()}


class Mistakes(unittest.TestCase):
    def assert_close(self, got, want, label):
        assert_all_close(self, got, want, REL, max(map(abs, want + got)), label)

    def test_zero_grad_forgotten_accumulates_the_batches(self):
        model, loss_fn, optimizer, loader = setup()
        with TraceFile() as path:
            with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
                for _ in range(2):
                    for x, y in loader:
                        loss = loss_fn(model(x), y)      # no optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
            trace = read_trace(path)
        self.assertEqual(by_type(trace, "zeroGrad"), [])
        own = batch_gradients(trace)
        running = None
        points = 0
        for k, u in enumerate(by_type(trace, "update"), 1):
            mine = own[(u["epoch"], u["batch"])]
            running = mine if running is None else [a + b for a, b in zip(running, mine)]
            points += len([e for e in by_type(trace, "backward") if (e["epoch"], e["batch"]) == (u["epoch"], u["batch"])])
            # the gradient stepped with is the sum of every batch's gradient so far
            self.assert_close(gradient_of(u), running, f"update {k}")
            self.assertEqual((u["backwards"], u["size"], u["gradientSince"]), (k, points, {"epoch": 1, "batch": 1}))
        self.assertEqual(k, 8)

    def test_deliberate_accumulation_over_two_batches(self):
        model, loss_fn, optimizer, loader = setup(count=12, batch=3)
        with TraceFile() as path:
            with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
                for i, (x, y) in enumerate(loader):
                    (loss_fn(model(x), y) / 2).backward()    # gradient accumulation, scaled
                    if i % 2 == 1:
                        optimizer.step()
                        optimizer.zero_grad()
            trace = read_trace(path)
        own = batch_gradients(trace)      # each point's gradient is still of its own loss
        updates = by_type(trace, "update")
        self.assertEqual([(u["batch"], u["backwards"], u["size"]) for u in updates], [(2, 2, 6), (4, 2, 6)])
        for u in updates:
            want = [(a + b) / 2 for a, b in zip(own[(1, u["batch"] - 1)], own[(1, u["batch"])])]
            self.assert_close(gradient_of(u), want, f"batch {u['batch']}")
            self.assertEqual(u["gradientSince"], {"epoch": 1, "batch": u["batch"] - 1})
        self.assertEqual([z["batch"] for z in by_type(trace, "zeroGrad")], [2, 4])

    def test_step_inside_a_per_point_loop(self):
        for unbatched in (False, True):
            with self.subTest(unbatched=unbatched):
                model, loss_fn, optimizer, loader = setup(count=7, batch=3)
                with TraceFile() as path:
                    with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
                        for x, y in loader:
                            for i in range(len(x)):        # "each data point updates the weights"
                                optimizer.zero_grad()
                                if unbatched:
                                    loss = loss_fn(model(x[i]), y[i])
                                else:
                                    loss = loss_fn(model(x[i:i + 1]), y[i:i + 1])
                                loss.backward()
                                optimizer.step()
                    trace = read_trace(path)
                starts = by_type(trace, "batchStart")
                self.assertEqual([len(b["indices"]) for b in starts], [3, 3, 1])
                # one update per point, each with that point's own gradient, the points in batch order
                for b in starts:
                    events = [e for e in trace if e.get("batch") == b["batch"] and e["type"] in
                              ("forward", "backward", "update")]
                    self.assertEqual([e["type"] for e in events], ["forward", "backward", "update"] * len(b["indices"]))
                    self.assertEqual([e["index"] for e in events if e["type"] == "forward"], b["indices"])
                    for f, back, u in zip(events[0::3], events[1::3], events[2::3]):
                        self.assertEqual((u["size"], u["backwards"]), (1, 1))
                        self.assertNotIn("indexAssumed", f)
                        self.assert_close(gradient_of(u),
                                          flatten([back["gradient"]["weights"], back["gradient"]["biases"]]), "step")
                # and the next point's forward pass used the weights the previous update left
                forwards = by_type(trace, "forward")
                updates = by_type(trace, "update")
                self.assertEqual(len(forwards), 7)
                self.assertEqual(len(updates), 7)

    def test_a_mean_loss_is_a_mean(self):
        model, loss_fn, optimizer, loader = setup(count=6, batch=3)
        with TraceFile() as path:
            with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
                for x, y in loader:
                    optimizer.zero_grad()
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            trace = read_trace(path)
        self.assertEqual(trace[0]["config"]["reduction"], "mean")
        for u in by_type(trace, "update"):
            points = point_gradients(trace, u["epoch"], u["batch"])
            total = [sum(c) for c in zip(*points)]
            self.assertEqual(u["reduction"], "mean")
            self.assert_close(gradient_of(u), [v / 3 for v in total],
                              "mean")

    def test_zero_grad_between_backward_and_step(self):
        model, loss_fn, optimizer, loader = setup(count=4, batch=2)
        before = [p.detach().clone() for p in model.parameters()]
        with TraceFile() as path:
            with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.zero_grad()                  # too late: the step has nothing to do
                    optimizer.step()
            trace = read_trace(path)
        for u in by_type(trace, "update"):
            self.assertEqual(u["size"], 0)
            self.assertEqual(set(gradient_of(u)), {0.0})
        self.assertTrue(all(torch.equal(a, b) for a, b in zip(before, model.parameters())))
        self.assertEqual(len(by_type(trace, "backward")), 4)

    def test_the_trace_streams_while_the_loop_runs(self):
        model, loss_fn, optimizer, loader = setup(count=6, batch=2)
        with TraceFile() as path:
            with tt.record(path, model, optimizer, loader, loss_fn) as (model, optimizer, loader, loss_fn):
                for i, (x, y) in enumerate(loader):
                    optimizer.zero_grad()
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                    if i == 1:
                        so_far = read_trace(path)   # flushed: batch 1's events are all on disk already
                self.assertEqual(so_far[0]["type"], "run")
                self.assertEqual(len([e for e in by_type(so_far, "update") if e["batch"] == 2]), 1)
                self.assertNotIn("done", [e["type"] for e in so_far])
            self.assertEqual(read_trace(path)[-1], {"type": "done", "epochs": 1})


if __name__ == "__main__":
    unittest.main()
