"""Keyed draws, which keep common random numbers between scenarios.

``uniform(keys, ...)``: counter-based draws for a person, a pure function of the run's seed,
  the decision's name, the month and the person's ``key``. A person's draws therefore do not
  depend on who else is in the population, so switching a measure on does not reshuffle the
  draws of people it does not touch.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


_MASK = 0xFFFFFFFFFFFFFFFF


def _mix_int(x: int) -> int:
    """splitmix64 finaliser on a Python int (the same function as ``_mix``)."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


@lru_cache(maxsize=65536)
def salt(seed: int, name: str, month: int = 0) -> np.uint64:
    """A 64-bit salt for (seed, decision name, month)."""
    acc = 0
    for word in (seed & _MASK, zlib.crc32(name.encode()), month & 0xFFFFFFFF):
        acc = _mix_int((acc * 0x9E3779B97F4A7C15 + word) & _MASK)
    return np.uint64(acc)


def derive_keys(parent: np.ndarray, tag: np.uint64) -> np.ndarray:
    """New person keys from parent keys (a mother's, a candidate's) and a tag."""
    with np.errstate(over="ignore"):
        return _mix(np.asarray(parent, dtype=np.uint64) * _GOLDEN + tag)


def uniform(keys: np.ndarray, seed: int, name: str, month: int = 0) -> np.ndarray:
    """One U(0,1) draw per key (float64, never exactly 0) for decision ``name`` in ``month``."""
    with np.errstate(over="ignore"):
        x = _mix(np.asarray(keys, dtype=np.uint64) * _GOLDEN + salt(seed, name, month))
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def exponential(keys: np.ndarray, seed: int, name: str, month: int = 0) -> np.ndarray:
    """Exp(1) draws for event times, one per key."""
    return (-np.log(uniform(keys, seed, name, month))).astype(np.float32)
