"""Named random streams: each kind of decision draws from its own generator.

A stream is seeded from the run's seed and the stream's name, so adding a stream or switching
a measure on does not change the draws of any other stream (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator for decision ``name`` in the run with ``seed``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, zlib.crc32(name.encode())])))


class Streams:
    """Lazily created named streams for one run."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._streams:
            self._streams[name] = stream(self.seed, name)
        return self._streams[name]
