"""Training Trace for PyTorch: records what a training loop really does — each epoch, batch and
data point, each point's own loss and gradient, every zero_grad() and optimizer.step() — as a
Training Trace (contract v1, JSONL), the same format `training-trace run --format jsonl` writes.

    import training_trace as tt
    model, optimizer, loader, loss_fn = tt.record("run.trace.jsonl", model, optimizer, loader, loss_fn)

See python/README.md.
"""
from .recorder import VERSION as __version__
from .recorder import Recorder, Recording, close_all, record

__all__ = ["record", "Recorder", "Recording", "close_all", "__version__"]
