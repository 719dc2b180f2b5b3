"""The ways a learner's loop may differ from the plain one, and what the trace says of each."""
import unittest

from helpers import assert_all_close, by_type, gradient_of, point_gradients, read_trace, TraceFile  # first: puts python/ on the path

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

import training_trace as tt


def data(count=8, features=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(count, features, generator=g, dtype=torch.float64) * 2 - 1
    return x, x.sum(1, keepdim=True) * 0.3


def mlp(features=3, outputs=1, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(features, 4), nn.ReLU(), nn.Linear(4, outputs)).double()


def sums_match(test, trace, rel=1e-12):
    """Every update's gradient is the reduction of its batch's per-point gradients."""
    for u in by_type(trace, "update"):
        points = point_gradients(trace, u["epoch"], u["batch"])
        test.assertEqual(len(points), u["size"])
        divisor = len(points) if u["reduction"] == "mean" else 1
        want = [sum(c) / divisor for c in zip(*points)]
        got = gradient_of(u)
        assert_all_close(test, got, want, rel, max(map(abs, want + got)), f"update {u['step']}")


def loop(model, optimizer, loader, loss_fn, epochs=1, before_step=None):
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            if before_step:
                before_step()
            optimizer.step()


class Api(unittest.TestCase):
    def record(self, model, optimizer, loader, loss_fn, body=loop, **options):
        with TraceFile() as path:
            with tt.record(path, model, optimizer, loader, loss_fn, **options) as watched:
                body(*watched)
            return read_trace(path)

    def test_a_loss_function_rather_than_a_module(self):
        model = mlp()
        for reduction in ("mean", "sum"):
            with self.subTest(reduction=reduction):
                loss_fn = (lambda o, t: F.mse_loss(o, t, reduction="sum")) if reduction == "sum" else F.mse_loss
                trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                                    DataLoader(TensorDataset(*data()), batch_size=3), loss_fn)
                self.assertEqual([u["reduction"] for u in by_type(trace, "update")], [reduction] * 3)
                sums_match(self, trace)
        self.assertEqual(trace[0]["config"]["pytorch"]["loss"], "<lambda>")

    def test_cross_entropy_with_class_numbers(self):
        x, _ = data(count=7)
        y = torch.tensor([0, 2, 1, 1, 0, 2, 2])
        model = mlp(outputs=3)
        trace = self.record(model, torch.optim.Adam(model.parameters()), DataLoader(TensorDataset(x, y), batch_size=4),
                            nn.CrossEntropyLoss())
        run = trace[0]
        self.assertEqual((run["config"]["loss"], run["data"]["targetWidth"]), ("cross-entropy", 3))
        self.assertEqual(run["data"]["targets"][1], [0.0, 0.0, 1.0])
        f = by_type(trace, "forward")[0]
        self.assertEqual(f["target"], [1.0, 0.0, 0.0])
        self.assertAlmostEqual(sum(f["probabilities"]), 1.0, places=14)
        self.assertAlmostEqual(f["loss"], -torch.log(torch.tensor(f["probabilities"][0])).item(), places=12)
        self.assertEqual(run["config"]["optimizer"],
                         {"type": "adam", "learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08})
        sums_match(self, trace)

    def test_reduction_none_reduced_by_the_loop(self):
        model = mlp()

        def body(model, optimizer, loader, loss_fn):
            for x, y in loader:
                optimizer.zero_grad()
                loss_fn(model(x), y).mean().backward()
                optimizer.step()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(*data()), batch_size=3), nn.MSELoss(reduction="none"), body)
        self.assertEqual(len(by_type(trace, "backward")), 8)
        for u in by_type(trace, "update"):
            u["reduction"] = "mean"        # the loop's .mean() made it one
        sums_match(self, trace)

    def test_a_list_of_batches_and_an_unbatched_loader(self):
        x, y = data(count=6)
        model = mlp()
        batches = [(x[:4], y[:4]), (x[4:], y[4:])]
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1), batches, nn.MSELoss())
        self.assertEqual(trace[0]["data"]["indexKind"], "position")
        self.assertEqual(by_type(trace, "epochStart")[0], {"type": "epochStart", "epoch": 1, "order": [],
                                                           "orderKnown": False})
        self.assertEqual([b["indices"] for b in by_type(trace, "batchStart")], [[0, 1, 2, 3], [4, 5]])
        sums_match(self, trace)
        loader = DataLoader(TensorDataset(x, y), batch_size=None, shuffle=True)
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1), loader, nn.MSELoss())
        order = by_type(trace, "epochStart")[0]["order"]
        self.assertEqual(sorted(order), list(range(6)))
        self.assertEqual([b["indices"] for b in by_type(trace, "batchStart")], [[i] for i in order])
        self.assertEqual([f["index"] for f in by_type(trace, "forward")], order)
        sums_match(self, trace)

    def test_worker_processes_and_model_zero_grad(self):
        x, y = data(count=10)
        model = mlp()
        loader = DataLoader(TensorDataset(x, y), batch_size=3, shuffle=True, num_workers=2)

        def body(model, optimizer, loader, loss_fn):
            for _ in range(2):
                for xb, yb in loader:
                    model.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1), loader, nn.MSELoss(), body)
        for b in by_type(trace, "batchStart"):
            self.assertEqual([f["index"] for f in by_type(trace, "forward") if (f["epoch"], f["batch"]) ==
                              (b["epoch"], b["batch"])], b["indices"])
        self.assertEqual({z["by"] for z in by_type(trace, "zeroGrad")}, {"model"})
        self.assertEqual(len(by_type(trace, "update")), 8)
        sums_match(self, trace)

    def test_a_subset_a_scheduler_a_stop_and_a_validation_pass(self):
        x, y = data(count=12)
        train, valid = random_split(TensorDataset(x, y), [9, 3], generator=torch.Generator().manual_seed(1))
        model = mlp()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.5)

        def body(model, optimizer, loader, loss_fn):
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)  # wraps our step
            for epoch in range(3):
                for i, (xb, yb) in enumerate(loader):
                    if epoch == 2 and i == 1:
                        break                       # stops the last epoch early
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
                    with torch.no_grad():             # a look at the batch without gradients
                        loss_fn(model(xb), yb)
                scheduler.step()
                with torch.no_grad():
                    for xv, yv in DataLoader(valid, batch_size=3):
                        loss_fn(model(xv), yv)         # not the watched loader: not recorded
        trace = self.record(model, optimizer, DataLoader(train, batch_size=4, shuffle=True), nn.MSELoss(), body)
        run = trace[0]
        self.assertEqual((run["config"]["data"]["dataset"], run["data"]["count"], len(run["data"]["inputs"])),
                         ("Subset", 9, 9))
        self.assertEqual(run["data"]["inputs"][0], x[train.indices[0]].tolist())
        self.assertEqual(run["config"]["optimizer"], {"type": "sgd", "learningRate": 0.2, "momentum": 0.5})
        updates = by_type(trace, "update")
        self.assertEqual([u["learningRate"] for u in updates], [0.2] * 3 + [0.1] * 3 + [0.05])
        ends = by_type(trace, "epochEnd")
        self.assertEqual([e.get("complete", True) for e in ends], [True, True, False])
        forwards = by_type(trace, "forward")
        self.assertEqual(len(forwards), 2 * 9 * 2 + 4 * 2)
        self.assertEqual(sum(1 for f in forwards if f.get("noGrad")), 9 * 2 + 4)
        for f in forwards:
            self.assertEqual(f["input"] if "input" in f else run["data"]["inputs"][f["index"]],
                             run["data"]["inputs"][f["index"]])
        self.assertEqual(ends[0]["points"], 9)
        self.assertEqual(trace[-1], {"type": "done", "epochs": 3})

    def test_a_model_returning_a_tuple_and_a_squeezed_output(self):
        class Pair(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = mlp()

            def forward(self, x):
                out = self.body(x)
                return out, out.detach() * 0

        model = Pair()

        def body(model, optimizer, loader, loss_fn):
            for x, y in loader:
                optimizer.zero_grad()
                out, _ = model(x)
                loss_fn(out.squeeze(1), y.squeeze(1)).backward()
                optimizer.step()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(*data()), batch_size=3), nn.MSELoss(), body)
        self.assertEqual(len(by_type(trace, "forward")), 8)
        self.assertEqual(trace[0]["config"]["model"]["activationsFrom"][:19], "the order of the mo")
        sums_match(self, trace)

    def test_an_iterator_left_open(self):
        model = mlp()

        def body(model, optimizer, loader, loss_fn):
            first = [iter(loader)]
            next(first[0])                     # kept, never finished
            for x, y in loader:                # epoch 2, in full
                first.clear()                  # the first iterator goes (and its epoch ends) mid-batch
                optimizer.zero_grad()
                loss_fn(model(x), y).backward()
                optimizer.step()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(*data()), batch_size=3), nn.MSELoss(), body)
        ends = by_type(trace, "epochEnd")
        self.assertEqual([(e["epoch"], e.get("complete", True)) for e in ends], [(1, False), (2, True)])
        self.assertEqual(len(by_type(trace, "update")), 3)
        self.assertEqual(len(by_type(trace, "forward")), 8)
        self.assertEqual(ends[1]["points"], 8)
        self.assertEqual(trace[-1], {"type": "done", "epochs": 2})

    def test_a_loss_scaled_in_place(self):
        model = mlp()

        def body(model, optimizer, loader, loss_fn):
            for x, y in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss /= 4                           # in place, after the loss module's hook
                loss.backward()
                optimizer.step()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(*data()), batch_size=3), nn.MSELoss(), body)
        times4 = lambda x: [times4(v) for v in x] if isinstance(x, list) else x * 4
        for u in by_type(trace, "update"):     # each point's gradient is of its own loss, unscaled
            u["gradient"] = {k: times4(g) for k, g in u["gradient"].items()}
        sums_match(self, trace)

    def test_a_transformed_input_is_matched_by_position(self):
        model = mlp()

        def body(model, optimizer, loader, loss_fn):
            for x, y in loader:
                optimizer.zero_grad()
                loss_fn(model((x - 0.5) * 2), y).backward()
                optimizer.step()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(*data()), batch_size=3, shuffle=True), nn.MSELoss(), body)
        for b in by_type(trace, "batchStart"):
            forwards = [f for f in by_type(trace, "forward") if f["batch"] == b["batch"]]
            self.assertEqual([f["index"] for f in forwards], b["indices"])
            self.assertTrue(all(f["indexAssumed"] for f in forwards))
        sums_match(self, trace)

    def test_divergence_ends_the_trace(self):
        model = mlp()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=1e200),
                            DataLoader(TensorDataset(*data()), batch_size=2), nn.MSELoss(),
                            lambda *w: loop(*w, epochs=3))
        self.assertEqual(trace[-1]["type"], "diverged")
        self.assertIn(trace[-1]["stage"], ("forward", "backward", "update"))
        self.assertNotIn("done", [e["type"] for e in trace])

    def test_per_point_gradients_can_be_turned_off(self):
        model = mlp()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(*data()), batch_size=3), nn.MSELoss(), per_point_gradients=False)
        self.assertFalse(trace[0]["perPointGradients"])
        self.assertEqual(by_type(trace, "backward"), [])
        self.assertEqual(len(by_type(trace, "forward")), 8)

    def test_large_datasets_are_not_copied_into_the_run_event(self):
        x, y = data(count=50, features=3)
        model = mlp()
        trace = self.record(model, torch.optim.SGD(model.parameters(), lr=0.1),
                            DataLoader(TensorDataset(x, y), batch_size=25), nn.MSELoss(), max_data_values=100)
        self.assertNotIn("inputs", trace[0]["data"])
        self.assertIn("rowsOmitted", trace[0]["data"])
        f = by_type(trace, "forward")[7]
        self.assertEqual(f["input"], x[f["index"]].tolist())


if __name__ == "__main__":
    unittest.main()
