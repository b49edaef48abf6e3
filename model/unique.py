"""The distinct values of an integer array, sorted, and membership in a set of integers: what
``np.unique`` and ``np.isin`` return, by quicker means.

NumPy 2.3+ finds the distinct values of an integer array by hashing and then sorts them; for the
sizes the model asks about (a few hundred to a few hundred thousand household ids or rows) that
is ten to seventy times slower than one sort (``benchmarks/README.md``). These give the same
arrays as ``np.unique`` and its ``return_index``/``return_inverse``/``return_counts`` (a test
checks), for one-dimensional integer arrays only: floats would need ``np.unique``'s care for NaN.
``np.isin`` of integers takes that path too; ``isin`` compares with each of a few values (the
categories: tenures, kinds) or looks the values up in a table over the set's range.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _first_of_runs(ordered: np.ndarray) -> np.ndarray:
    """True where a sorted array starts a run of equal values."""
    starts = np.empty(ordered.size, dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


def _integers(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim != 1 or values.dtype.kind not in "iub":
        raise TypeError(f"model.unique takes one-dimensional integer arrays, not {values.dtype} {values.shape}")
    return values


def unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)``."""
    ordered = np.sort(_integers(values))
    return ordered[_first_of_runs(ordered)]


def _stable_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order that sorts ``values`` keeping equal values in their order (so the first comes
    first), the sorted values, and where their runs start."""
    values = _integers(values)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    return order, ordered, _first_of_runs(ordered)


def unique_first(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_index=True)``: the distinct values and where each first occurs."""
    order, ordered, starts = _stable_runs(values)
    return ordered[starts], order[starts]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)``: the distinct values and each value's place among them."""
    order, ordered, starts = _stable_runs(values)
    inverse = np.empty(order.size, dtype=np.intp)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


def unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_counts=True)``: the distinct values and how often each occurs."""
    ordered = np.sort(_integers(values))
    starts = np.flatnonzero(_first_of_runs(ordered))
    return ordered[starts], np.diff(np.append(starts, ordered.size))


FEW = 8  # sets up to this size: one comparison per value (speed only; the answer is the same)


def isin(values: np.ndarray, wanted: np.ndarray | Sequence[int]) -> np.ndarray:
    """``np.isin(values, wanted)`` for integers: True where a value is one of ``wanted``."""
    values = np.asarray(values)
    wanted = np.asarray(wanted)
    if values.dtype.kind not in "iub" or (wanted.size and wanted.dtype.kind not in "iub") or wanted.ndim != 1:
        raise TypeError(f"model.unique.isin takes integer arrays, not {values.dtype} in {wanted.dtype} {wanted.shape}")
    if wanted.size <= FEW:
        out = np.zeros(values.shape, dtype=bool)
        for value in wanted:
            out |= values == value
        return out
    return np.isin(values, wanted, kind="table")
