"""examples/pytorch/*.py run as a learner would run them (python/ on PYTHONPATH, as the VS Code
command will put it) and write the traces the tree needs. They train in float32, PyTorch's
default, so their sums are checked to float32's precision."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from helpers import EXAMPLES, PYTHON_DIR, assert_all_close, by_type, gradient_of, point_gradients, read_trace

F32 = 1e-5


def run_example(name, trace_file=None):
    """Runs a copy of examples/pytorch/<name>.py in a temporary folder; returns its trace. With
    `trace_file`, the script is told through TRAINING_TRACE_FILE where to write it (as VS Code does)."""
    folder = tempfile.mkdtemp()
    try:
        script = shutil.copy(os.path.join(EXAMPLES, "pytorch", name + ".py"), folder)
        env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
        env.pop("TRAINING_TRACE_FILE", None)
        if trace_file:
            env["TRAINING_TRACE_FILE"] = os.path.join(folder, trace_file)
        result = subprocess.run([sys.executable, script], capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise AssertionError(f"{name}.py failed: {result.stderr}")
        written = sorted(f for f in os.listdir(folder) if f.endswith(".jsonl"))
        if written != [trace_file or name + ".trace.jsonl"]:
            raise AssertionError(f"{name}.py wrote {written}")
        return read_trace(os.path.join(folder, written[0]))
    finally:
        shutil.rmtree(folder)


def batch_gradient(trace, update):
    points = point_gradients(trace, update["epoch"], update["batch"])
    return [sum(c) / len(points) for c in zip(*points)], len(points)


class Examples(unittest.TestCase):
    def assert_close(self, got, want, scale, label):
        assert_all_close(self, got, want, F32, scale, label)

    def test_the_learner_s_set_up(self):
        trace = run_example("question")
        run = trace[0]
        self.assertEqual((run["version"], run["source"]), (1, "pytorch"))
        cfg = run["config"]
        self.assertEqual(cfg["model"]["layers"], [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "linear"}])
        self.assertEqual((cfg["loss"], cfg["reduction"], cfg["batchSize"], cfg["epochs"], cfg["shuffle"]),
                         ("mse", "mean", 2, 3, True))
        self.assertEqual(cfg["optimizer"], {"type": "sgd", "learningRate": 0.1, "momentum": 0})
        self.assertEqual((run["data"]["count"], run["data"]["features"], run["data"]["targetWidth"]), (20, 8, 1))
        self.assertEqual(len(run["data"]["inputs"]), 20)
        self.assertEqual((run["layerSizes"], run["batchesPerEpoch"], run["perPointGradients"]), ([8, 4, 1], 10, True))
        self.assertEqual([e["type"] for e in trace[1:4]], ["init", "epochStart", "batchStart"])
        orders = [e["order"] for e in by_type(trace, "epochStart")]
        self.assertEqual(len(orders), 3)
        self.assertTrue(all(sorted(o) == list(range(20)) for o in orders))
        self.assertEqual(len({tuple(o) for o in orders}), 3, "shuffled afresh every epoch")
        updates = by_type(trace, "update")
        self.assertEqual(len(updates), 30)
        self.assertEqual(len(by_type(trace, "forward")), 60)
        self.assertEqual(len(by_type(trace, "zeroGrad")), 30)
        for u in updates:
            mean, size = batch_gradient(trace, u)
            self.assertEqual((size, u["size"], u["backwards"]), (2, 2, 1))
            self.assert_close(gradient_of(u), mean,
                              max(map(abs, mean)), f"update {u['epoch']}.{u['batch']}")
        self.assertEqual(trace[-1], {"type": "done", "epochs": 3})

    def test_zero_grad_forgotten(self):
        trace = run_example("forgot_zero_grad")
        self.assertEqual(by_type(trace, "zeroGrad"), [])
        running = None
        for k, u in enumerate(by_type(trace, "update"), 1):
            mean, _ = batch_gradient(trace, u)
            running = mean if running is None else [a + b for a, b in zip(running, mean)]
            self.assertEqual((u["backwards"], u["size"], u["gradientSince"]), (k, 2 * k, {"epoch": 1, "batch": 1}))
            self.assert_close(gradient_of(u), running,
                              max(map(abs, running)), f"update {k}")
        self.assertEqual(k, 30)

    def test_the_trace_goes_where_vs_code_asks(self):
        trace = run_example("question", trace_file="chosen-by-vscode.trace.jsonl")
        self.assertEqual(trace[0]["type"], "run")
        self.assertEqual(trace[-1]["type"], "done")


if __name__ == "__main__":
    unittest.main()
