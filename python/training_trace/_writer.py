"""JSONL output: one event per line, every number at full precision.

Python's float repr is the shortest decimal that reads back as the same double, as JavaScript's
JSON.stringify writes it, so a number read back from either side is bit for bit the one written.
"""
import json
import math


def finite_or_none(value):
    """JSON has no NaN or Infinity: such a number is written as null (the trace ends right after)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [finite_or_none(v) for v in value]
    if isinstance(value, dict):
        return {k: finite_or_none(v) for k, v in value.items()}
    return value


class TraceWriter:
    """Writes events to a file as they come; `flush` is called at each batch boundary."""

    def __init__(self, path):
        self.path = str(path)
        self._file = open(self.path, "w", encoding="utf-8")

    def emit(self, event):
        try:
            line = json.dumps(event, separators=(",", ":"), allow_nan=False)
        except ValueError:
            line = json.dumps(finite_or_none(event), separators=(",", ":"), allow_nan=False)
        self._file.write(line)
        self._file.write("\n")

    def flush(self):
        if not self._file.closed:
            self._file.flush()

    def close(self):
        if not self._file.closed:
            self._file.close()

    @property
    def closed(self):
        return self._file.closed
