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

from model.compiled import ENABLED, kernel

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


def _fold(acc: int, word: int) -> int:
    return _mix_int((acc * 0x9E3779B97F4A7C15 + word) & _MASK)


@lru_cache(maxsize=4096)
def _seed_and_name(seed: int, name: str) -> int:
    """The salt's state after the seed and the name (the same for every month of a decision)."""
    return _fold(_fold(0, seed & _MASK), zlib.crc32(name.encode()))


@lru_cache(maxsize=65536)
def salt(seed: int, name: str, month: int = 0) -> np.uint64:
    """A 64-bit salt for (seed, decision name, month)."""
    return np.uint64(_fold(_seed_and_name(seed, name), month & 0xFFFFFFFF))


@kernel
def _mix_kernel(keys: np.ndarray, tag: np.uint64, out: np.ndarray) -> None:
    """``_mix(keys * golden + tag)`` element by element (the compiled twin of the numpy path)."""
    golden, m1, m2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
    for i in range(keys.size):
        x = keys[i] * golden + tag
        x ^= x >> np.uint64(30)
        x *= m1
        x ^= x >> np.uint64(27)
        x *= m2
        out[i] = x ^ (x >> np.uint64(31))


@kernel
def _uniform_kernel(keys: np.ndarray, tag: np.uint64, out: np.ndarray) -> None:
    """``uniform``'s compiled twin: the same bits as the numpy path."""
    golden, m1, m2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
    for i in range(keys.size):
        x = keys[i] * golden + tag
        x ^= x >> np.uint64(30)
        x *= m1
        x ^= x >> np.uint64(27)
        x *= m2
        x ^= x >> np.uint64(31)
        out[i] = (np.float64(x >> np.uint64(11)) + 0.5) * 2.0**-53


def derive_keys(parent: np.ndarray, tag: np.uint64) -> np.ndarray:
    """New person keys from parent keys (a mother's, a candidate's) and a tag."""
    parent = np.ascontiguousarray(parent, dtype=np.uint64)
    if ENABLED:
        out = np.empty(parent.size, dtype=np.uint64)
        _mix_kernel(parent.ravel(), np.uint64(tag), out)
        return out.reshape(parent.shape)
    with np.errstate(over="ignore"):
        return _mix(parent * _GOLDEN + tag)


def uniform(keys: np.ndarray, seed: int, name: str, month: int = 0) -> np.ndarray:
    """One U(0,1) draw per key (float64, never exactly 0) for decision ``name`` in ``month``."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    if ENABLED:
        out = np.empty(keys.size, dtype=np.float64)
        _uniform_kernel(keys.ravel(), salt(seed, name, month), out)
        return out.reshape(keys.shape)
    with np.errstate(over="ignore"):
        x = _mix(keys * _GOLDEN + salt(seed, name, month))
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def exponential(keys: np.ndarray, seed: int, name: str, month: int = 0) -> np.ndarray:
    """Exp(1) draws for event times, one per key (the logarithm always numpy's, so both paths
    agree to the bit)."""
    return (-np.log(uniform(keys, seed, name, month))).astype(np.float32)
