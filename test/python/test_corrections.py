"""Real PyTorch loops, each with one of the learner's classic mistakes (or none), recorded and read
by our CLI (`training-trace show`): the outline marks what the loop really did (C9–C12), and
reads C2–C4 as confirmed where the loop steps after every point."""
import os
import re
import subprocess
import unittest

from helpers import CLI, TraceFile, node  # first: puts python/ on the path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import training_trace as tt


def setup(count=12, batch=3, seed=11, loss_fn=None):
    torch.manual_seed(seed)
    x = torch.rand(count, 4, dtype=torch.float64) * 2 - 1
    y = x.sum(1, keepdim=True) * 0.5
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1)).double()
    loader = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True)
    return model, loss_fn or nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.05), loader


def outline(loop, epochs=2, loss_fn=None):
    """The CLI's outline of the trace `loop(model, loss_fn, optimizer, loader)` records."""
    model, loss_fn, optimizer, loader = setup(loss_fn=loss_fn)
    with TraceFile() as path:
        with tt.record(path, model, optimizer, loader, loss_fn, epochs=epochs) as (model, optimizer, loader, loss_fn):
            for _ in range(epochs):
                loop(model, loss_fn, optimizer, loader)
        result = subprocess.run([node(), CLI, "show", path], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"training-trace show failed: {result.stderr}")
    return result.stdout


def update_block(text, epoch, batch):
    """The lines of batch `batch` of epoch `epoch`'s update node, with its findings."""
    epoch_at = text.index(f"Executing epoch {epoch} of")
    batch_at = text.index(f"Executing batch {batch} of", epoch_at)
    lines = text[batch_at:].splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s{4}(Update|Updates|No update)", line))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")), len(lines))
    return "\n".join(lines[start:end])


def plain(model, loss_fn, optimizer, loader):
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()


def forgot_zero_grad(model, loss_fn, optimizer, loader):
    for x, y in loader:
        loss_fn(model(x), y).backward()
        optimizer.step()


def step_every_point(model, loss_fn, optimizer, loader):
    for x, y in loader:
        for i in range(len(x)):
            optimizer.zero_grad()
            loss_fn(model(x[i:i + 1]), y[i:i + 1]).backward()
            optimizer.step()


def accumulate_two(model, loss_fn, optimizer, loader):
    for i, (x, y) in enumerate(loader):
        loss_fn(model(x), y).backward()
        if i % 2 == 1:
            optimizer.step()
            optimizer.zero_grad()


def reduced_by_hand(reduce):
    def loop(model, loss_fn, optimizer, loader):
        for x, y in loader:
            optimizer.zero_grad()
            reduce(loss_fn(model(x), y)).backward()
            optimizer.step()
    return loop


class CorrectionsOfRealLoops(unittest.TestCase):
    def test_a_loss_the_loop_reduces_itself_reads_as_the_mean_or_the_sum_it_took(self):
        summed = outline(reduced_by_hand(lambda losses: losses.sum()), loss_fn=nn.L1Loss(reduction="none"))
        self.assertRegex(summed, r"^12 data points × 4 features; network 4-3-1; batches of 3; 2 epochs; l1 loss, batch gradient = sum;")
        self.assertIn("Update: all weights change once, with the sum of the batch’s 3 gradients", summed)
        self.assertNotIn("C12", summed)
        averaged = outline(reduced_by_hand(lambda losses: losses.mean()), loss_fn=nn.MSELoss(reduction="none"))
        self.assertRegex(averaged, r"mse loss, batch gradient = mean;")
        self.assertIn("✗ C12 ", averaged)

    def test_a_plain_loop_shows_none_of_the_loop_mistakes(self):
        text = outline(plain)
        for cid in ("C9", "C10", "C11"):
            self.assertNotIn(f"✗ {cid} ", text)
        self.assertIn("✗ C4 (correction: One update per batch)", text)
        self.assertIn("✗ C12 (correction: A mean loss divides by the batch size): The loss is a mean over the batch’s 3 points", text)

    def test_forgetting_zero_grad_marks_the_first_update_that_used_a_stale_gradient(self):
        text = outline(forgot_zero_grad)
        self.assertNotIn("C9", update_block(text, 1, 1))
        first = update_block(text, 1, 2)
        self.assertIn("with the gradients of 6 points that .grad holds", first)
        self.assertIn("✗ C9 (correction: Gradients pile up without zero_grad()): This update used the sum of batches 1–2’s gradients "
                      "(6 points): no zero_grad() since batch 1, so 3 of them had already been used by earlier updates.", first)
        self.assertIn("every batch since batch 1 of epoch 1 (15 points)", update_block(text, 2, 1))

    def test_a_step_after_every_point_is_stochastic_gradient_descent_whatever_the_batch_size(self):
        text = outline(step_every_point)
        self.assertIn("✗ C10 (correction: A step inside the batch): The loop called optimizer.step() 3 times in this batch of 3, "
                      "once after each point", update_block(text, 1, 1))
        for cid in ("C2", "C3", "C4"):
            self.assertIn(f"✓ {cid} ", text)
            self.assertNotIn(f"✗ {cid} ", text)

    def test_stepping_every_second_batch_is_accumulation_with_an_effective_batch_of_twice_the_size(self):
        text = outline(accumulate_two)
        waiting = update_block(text, 1, 1)
        self.assertIn("No update at the end of this batch: optimizer.step() was not called", waiting)
        self.assertIn("✗ C11 (correction: Gradient accumulation): No optimizer.step() at the end of this batch", waiting)
        used = update_block(text, 1, 2)
        self.assertIn("This update used the gradients of batches 1–2 (6 points, 2 × 3): gradient accumulation, "
                      "an effective batch size of 2 × 3.", used)
        self.assertNotIn("C9", used)


if __name__ == "__main__":
    unittest.main()
