"""Named generators for draws that are not tied to a person (how many outside people consider
Baotou this month, the synthetic population). Each is seeded from the run's seed and the
stream's name, so adding a stream does not shift another."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator for draws of kind ``name`` in the run with ``seed``."""
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
