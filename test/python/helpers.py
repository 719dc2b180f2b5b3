"""Shared by the Python tests: the repo's paths, the CLI's trace, reading a recorded trace, and
the comparison of numbers (the same tolerance as test/oracle/reference_trainer.py)."""
import json
import math
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.join(REPO, "python")
if PYTHON_DIR not in sys.path:          # what the VS Code command does with PYTHONPATH
    sys.path.insert(0, PYTHON_DIR)
CLI = os.path.join(REPO, "bin", "training-trace.js")
EXAMPLES = os.path.join(REPO, "examples")

import torch  # noqa: E402

torch.set_default_dtype(torch.float64)


def node():
    return os.environ.get("NODE", "node")


def cli_trace(config):
    """The CLI's jsonl trace of a config (a path, or a dict written to a temporary file)."""
    if isinstance(config, dict):
        with tempfile.NamedTemporaryFile("w", suffix=".training.json", delete=False) as f:
            json.dump(config, f)
            path = f.name
    else:
        path = config
    try:
        result = subprocess.run([node(), CLI, "run", path, "--format", "jsonl"], capture_output=True, text=True,
                                check=False)
    finally:
        if isinstance(config, dict):
            os.unlink(path)
    if result.returncode != 0:
        raise AssertionError(f"the CLI failed on {path}: {result.stderr}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def read_trace(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class TraceFile:
    """A temporary path for a recorded trace, removed afterwards."""

    def __enter__(self):
        fd, self.path = tempfile.mkstemp(suffix=".trace.jsonl")
        os.close(fd)
        return self.path

    def __exit__(self, *exc):
        os.unlink(self.path)


REL_TOL = 1e-9
SCALE_FLOOR = 1e-3      # as the oracle: |a - b| <= 1e-9 * max(|a|, |b|, 1e-3)


def close_enough(a, b, rel=REL_TOL, floor=SCALE_FLOOR):
    return abs(a - b) <= rel * max(abs(a), abs(b), floor)


def mismatches(ref, got, path="", rel=REL_TOL, floor=SCALE_FLOOR, found=None, worst=None):
    """Paths where `got` differs from `ref` (numbers within tolerance; every key of ref must be in got)."""
    found = [] if found is None else found
    if isinstance(ref, dict):
        if not isinstance(got, dict):
            found.append((path, got, ref))
            return found
        for k, v in ref.items():
            if k not in got:
                found.append((f"{path}.{k}", "(missing)", v))
            else:
                mismatches(v, got[k], f"{path}.{k}", rel, floor, found, worst)
    elif isinstance(ref, list):
        if not isinstance(got, list) or len(got) != len(ref):
            found.append((path, got, ref))
            return found
        for i, (r, g) in enumerate(zip(ref, got)):
            mismatches(r, g, f"{path}[{i}]", rel, floor, found, worst)
    elif isinstance(ref, (int, float)) and not isinstance(ref, bool):
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            found.append((path, got, ref))
        elif not close_enough(ref, got, rel, floor):
            found.append((path, got, ref))
        elif worst is not None and math.isfinite(ref):
            worst[0] = max(worst[0], abs(ref - got) / max(abs(ref), abs(got), floor))
    elif ref != got:
        found.append((path, got, ref))
    return found


def flatten(x):
    if isinstance(x, list):
        return [v for item in x for v in flatten(item)]
    return [x]


def by_type(events, kind):
    return [e for e in events if e["type"] == kind]


def gradient_of(event):
    """A backward or update event's gradient, flattened: every weight, then every bias."""
    return flatten([event["gradient"]["weights"], event["gradient"]["biases"]])


def point_gradients(trace, epoch, batch):
    """The flattened gradients of a batch's backward events, in the trace's order."""
    return [gradient_of(e) for e in by_type(trace, "backward") if (e["epoch"], e["batch"]) == (epoch, batch)]


def assert_all_close(test, got, want, rel, scale=0.0, label="values"):
    """As many values, each |got - want| <= rel * max(|got|, |want|, scale): `scale` is the size of
    the terms a value is made of, so a sum that cancels to near 0 is held to their precision."""
    test.assertEqual(len(got), len(want), label)
    for i, (a, b) in enumerate(zip(got, want)):
        test.assertLessEqual(abs(a - b), rel * max(abs(a), abs(b), scale), f"{label}[{i}]: {a} vs {b}")
