"""PyTorch's autograd and torch.optim as an independent oracle for the trainer: a twin of each
CLI run, recorded, must agree with the CLI's own trace on every number, to 1e-9 relative
(|a - b| <= 1e-9 * max(|a|, |b|, 1e-3), the oracle's tolerance)."""
import os
import random
import unittest
from collections import Counter

from helpers import EXAMPLES, TraceFile, by_type, cli_trace, mismatches, read_trace
from twin import train_recorded

KEYED = {"epochStart": ("epoch",), "batchStart": ("epoch", "batch"), "forward": ("epoch", "batch", "index"),
         "backward": ("epoch", "batch", "index"), "update": ("epoch", "batch"), "epochEnd": ("epoch",)}


def keyed(events):
    table = {}
    for e in events:
        if e["type"] in KEYED:
            key = (e["type"],) + tuple(e[k] for k in KEYED[e["type"]])
            assert key not in table, f"two events {key}"
            table[key] = e
    return table


def compare(test, cli, recorded, label):
    """Every CLI event has its recorded twin with the same numbers; nothing more, nothing less."""
    worst = [0.0]
    run, rec_run = cli[0], recorded[0]
    test.assertEqual(rec_run["source"], "pytorch")
    for key in ("layerSizes", "batchesPerEpoch"):
        test.assertEqual(rec_run[key], run[key], f"{label}: run.{key}")
    for key in ("count", "features", "targetWidth", "inputs", "targets"):
        test.assertEqual(rec_run["data"][key], run["data"][key], f"{label}: run.data.{key}")
    cfg, rec_cfg = run["config"], rec_run["config"]
    custom = rec_cfg.get("pytorch", {}).get("loss") == "PointMean"   # the twin's own loss module
    for key in ("batchSize", "epochs", "dropLast") + (() if custom else ("loss",)):
        test.assertEqual(rec_cfg[key], cfg[key], f"{label}: config.{key}")
    test.assertEqual(rec_cfg["reduction"], cfg["reduction"], f"{label}: config.reduction")
    test.assertEqual(rec_cfg["optimizer"], cfg["optimizer"], f"{label}: config.optimizer")
    test.assertEqual([l["units"] for l in rec_cfg["model"]["layers"]], [l["units"] for l in cfg["model"]["layers"]])
    test.assertEqual([l["activation"] for l in rec_cfg["model"]["layers"]],
                     [l["activation"] for l in cfg["model"]["layers"]])
    test.assertTrue(rec_run["perPointGradients"], label)
    problems = mismatches({k: cli[1][k] for k in ("weights", "biases")}, recorded[1], "init")
    mine = keyed(recorded)
    theirs = keyed(cli)
    test.assertEqual(sorted(mine), sorted(theirs), f"{label}: the same events")
    for key, event in theirs.items():
        mismatches({k: v for k, v in event.items() if k != "type"}, mine[key], " ".join(map(str, key)),
                   found=problems, worst=worst)
    test.assertEqual(problems[:8], [], f"{label}: {len(problems)} numbers differ")
    # the same things in the same order, except that PyTorch runs a batch's forward passes
    # together before its backward passes (the CLI alternates them point by point)
    skeleton = lambda events: [(e["type"], e.get("epoch"), e.get("batch")) for e in events
                               if e["type"] not in ("zeroGrad", "note", "run", "init")]
    test.assertEqual(Counter(skeleton(recorded)), Counter(skeleton(cli)))
    batch_order = lambda events: [(e["epoch"], e["batch"]) for e in events if e["type"] == "batchStart"]
    test.assertEqual(batch_order(recorded), batch_order(cli))
    for e in recorded:
        if e["type"] == "update":
            test.assertEqual(e["backwards"], 1)
    test.assertEqual(len(by_type(recorded, "zeroGrad")), len(by_type(cli, "update")))
    return worst[0]


def random_config(rng):
    """A small config nobody wrote: sizes, activations, losses, reductions, optimizers, batches."""
    loss = rng.choice(["mse", "mse", "bce", "cross-entropy"])
    features = rng.randint(1, 4)
    count = rng.randint(5, 13)
    hidden = [{"units": rng.randint(1, 5), "activation": rng.choice(["linear", "relu", "tanh", "sigmoid"])}
              for _ in range(rng.randint(0, 2))]
    if loss == "cross-entropy":
        classes = rng.randint(2, 3)
        out = {"units": classes, "activation": "linear"}
        inputs = [[round(rng.uniform(-1, 1), 6) for _ in range(features)] for _ in range(count)]
        data = {"inputs": inputs, "targets": [[rng.randrange(classes)] for _ in range(count)]}
    elif loss == "bce":
        out = {"units": rng.randint(1, 2), "activation": "sigmoid"}
        data = {"generate": rng.choice(["random", "xor"]), "count": count, "features": max(features, 2)}
        if out["units"] == 2:
            inputs = [[round(rng.uniform(-1, 1), 6) for _ in range(features)] for _ in range(count)]
            data = {"inputs": inputs, "targets": [[rng.random(), rng.random()] for _ in range(count)]}
    else:
        out = {"units": rng.randint(1, 2), "activation": rng.choice(["linear", "tanh"])}
        inputs = [[round(rng.uniform(-1, 1), 6) for _ in range(features)] for _ in range(count)]
        data = ({"generate": "linear", "count": count, "features": features, "noise": 0.05} if out["units"] == 1
                else {"inputs": inputs, "targets": [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(count)]})
    if rng.random() < 0.5:
        optimizer = {"type": "sgd", "learningRate": rng.choice([0.05, 0.1, 0.2]), "momentum": rng.choice([0, 0.9])}
    else:
        optimizer = {"type": "adam", "learningRate": rng.choice([0.001, 0.01, 0.05])}
    return {
        "data": data,
        "model": {"layers": hidden + [out], "bias": rng.random() < 0.8, "init": rng.choice(["xavier", "he", "uniform"])},
        "loss": loss,
        "reduction": rng.choice(["mean", "sum"]),
        "optimizer": optimizer,
        "batchSize": rng.randint(1, 5),
        "epochs": rng.randint(1, 3),
        "shuffle": rng.random() < 0.7,
        "dropLast": rng.random() < 0.25,
        "seed": rng.randint(0, 10_000),
    }


class TwinOfTheCli(unittest.TestCase):
    def check(self, config, label):
        cli = cli_trace(config)
        self.assertEqual(cli[-1]["type"], "done", f"{label}: the CLI run must finish")
        with TraceFile() as path:
            train_recorded(cli, path)
            recorded = read_trace(path)
        return compare(self, cli, recorded, label)

    def test_bundled_examples(self):
        for name in sorted(os.listdir(EXAMPLES)):
            if name.endswith(".training.json"):
                with self.subTest(example=name):
                    self.check(os.path.join(EXAMPLES, name), name)

    def test_random_small_configs(self):
        rng = random.Random(12)
        seen = Counter()
        for c in range(24):
            config = random_config(rng)
            seen.update([config["loss"], config["reduction"], config["optimizer"]["type"],
                         "momentum" if config["optimizer"].get("momentum") else "",
                         "dropLast" if config["dropLast"] else ""])
            with self.subTest(config=c):
                self.check(config, f"random config {c}: {config}")
        for feature in ("mse", "bce", "cross-entropy", "sum", "mean", "sgd", "adam", "momentum", "dropLast"):
            self.assertGreater(seen[feature], 0, f"the random configs never had {feature}")

    def test_the_answer_s_numbers(self):
        """The accepted answer: per-point gradients -0.006 and -0.024, batch gradient -0.03 (sum)."""
        cli = cli_trace(os.path.join(EXAMPLES, "answer.training.json"))
        with TraceFile() as path:
            train_recorded(cli, path)
            recorded = read_trace(path)
        grads = [e["gradient"]["weights"][0][0][0] for e in by_type(recorded, "backward")]
        self.assertEqual(len(grads), 2)
        self.assertAlmostEqual(grads[0], -0.006, delta=1e-15)
        self.assertAlmostEqual(grads[1], -0.024, delta=1e-15)
        self.assertAlmostEqual(by_type(recorded, "update")[0]["gradient"]["weights"][0][0][0], -0.03, delta=1e-15)


if __name__ == "__main__":
    unittest.main()
