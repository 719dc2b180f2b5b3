"""The learner's loader, wrapped so the recorder learns what the loop iterates: each epoch (one pass
of its iterator), each batch (one item yielded) and the dataset rows of each batch."""
import copy

import torch
from torch.utils.data import BatchSampler, DataLoader, IterableDataset


def _index(i):
    if isinstance(i, torch.Tensor) and i.numel() == 1:
        return int(i)
    try:
        return int(i)
    except (TypeError, ValueError):
        return i


class _RecordingSampler:
    """Stands in for a DataLoader's batch sampler (or its sampler, when it does not batch): draws the
    epoch's whole visiting order when the loader first asks for a batch, as the sampler it wraps
    would, notes it, and hands out the same batches."""

    def __init__(self, inner, batched, epochs):
        self.inner = inner
        self.batched = batched
        self.epochs = epochs

    def __len__(self):
        return len(self.inner)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __iter__(self):
        inner = self.inner
        if not self.batched:
            order = [_index(i) for i in inner]
            batches = [[i] for i in order]
        elif type(inner) is BatchSampler:
            # the rows of the whole epoch, dropped ones too, as the sampler drew them
            order = [_index(i) for i in inner.sampler]
            size = inner.batch_size
            batches = [order[k:k + size] for k in range(0, len(order), size)]
            if inner.drop_last and batches and len(batches[-1]) < size:
                batches.pop()
        else:
            batches = [[_index(i) for i in b] for b in inner]
            order = [i for b in batches for i in b]
        self.epochs.append((order, batches))
        for b in batches:
            yield b if self.batched else b[0]


def instrument(loader, epochs):
    """A copy of a map-style DataLoader whose sampler reports each epoch's order into `epochs`,
    or None when the loader's rows have no indices (an IterableDataset, or not a DataLoader)."""
    if not isinstance(loader, DataLoader) or isinstance(loader.dataset, IterableDataset):
        return None
    inner = copy.copy(loader)   # the learner's own loader is left as it was
    inner._iterator = None      # a persistent-workers iterator of the original is not shared
    # DataLoader forbids setting its samplers once built; the copy is ours, so we do it underneath.
    if loader.batch_sampler is not None:
        object.__setattr__(inner, "batch_sampler", _RecordingSampler(loader.batch_sampler, True, epochs))
    else:
        object.__setattr__(inner, "sampler", _RecordingSampler(loader.sampler, False, epochs))
    return inner


class WatchedLoader:
    """Iterates as the learner's loader does, yielding the same items; the recorder sees each epoch
    and batch. Any other attribute (dataset, batch_size, …) is the wrapped loader's."""

    def __init__(self, recorder, loader):
        self._tt_recorder = recorder
        self._tt_loader = loader
        self._tt_epochs = []
        self._tt_inner = instrument(loader, self._tt_epochs)

    def __iter__(self):
        return self._tt_recorder._iterate(self)

    def __len__(self):
        return len(self._tt_loader)

    def __getattr__(self, name):
        if name.startswith("_tt_"):
            raise AttributeError(name)
        return getattr(self._tt_loader, name)

    def __repr__(self):
        return f"training_trace.WatchedLoader({self._tt_loader!r})"
