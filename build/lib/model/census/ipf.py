"""Iterative proportional fitting and integerisation of a contingency table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def ipf(
    seed: np.ndarray,
    margins: Sequence[tuple[tuple[int, ...], np.ndarray]],
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> np.ndarray:
    """Scale ``seed`` until its sums over each set of axes match the given margins.

    ``margins`` pairs the axes a margin keeps with the target totals over those axes, e.g.
    ``((0, 1), age_sex_table)`` or ``((2,), hukou_totals)``. The result keeps the seed's odds
    ratios (the maximum-entropy fit) and matches every margin to ``tol``.
    """
    table = np.asarray(seed, dtype=float).copy()
    ndim = table.ndim
    for _ in range(max_iter):
        worst = 0.0
        for axes, target in margins:
            drop = tuple(a for a in range(ndim) if a not in axes)
            current = table.sum(axis=drop)
            worst = max(worst, float(np.max(np.abs(current - target) / np.maximum(target, 1e-300))))
            factor = np.divide(target, current, out=np.zeros_like(current), where=current > 0)
            table *= np.expand_dims(factor, drop)
        if worst < tol:
            return table
    raise RuntimeError(f"IPF did not converge in {max_iter} iterations (worst relative gap {worst:.2e})")


def integerise(expected: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Integer counts with exactly ``total`` people, each cell within one of its expectation.

    Truncate-replicate-sample: floor of the scaled expectation, then the remaining people go to
    cells drawn without replacement with probability proportional to their fractional parts.
    """
    scaled = expected * (total / expected.sum())
    counts = np.floor(scaled).astype(np.int64)
    remainder = total - int(counts.sum())
    if remainder:
        frac = (scaled - counts).ravel()
        cells = rng.choice(frac.size, size=remainder, replace=False, p=frac / frac.sum())
        np.add.at(counts.reshape(-1), cells, 1)
    return counts
