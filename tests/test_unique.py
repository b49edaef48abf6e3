"""model.unique gives what np.unique gives, for the integer arrays the model asks about."""

from __future__ import annotations

import numpy as np
import pytest

from model.unique import FEW, isin, unique, unique_counts, unique_first, unique_inverse


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint64, np.intp, bool])
@pytest.mark.parametrize("size", [0, 1, 2, 7, 1000, 50_000])
def test_the_same_arrays_as_np_unique(dtype: type, size: int) -> None:
    rng = np.random.default_rng(size)
    values = rng.integers(0, max(size // 3, 2), size).astype(dtype)
    expected = np.unique(values, return_index=True, return_inverse=True, return_counts=True)
    for got, want in (
        ((unique(values),), (expected[0],)),
        (unique_first(values), expected[:2]),
        (unique_inverse(values), (expected[0], expected[2])),
        (unique_counts(values), (expected[0], expected[3])),
    ):
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint64])
@pytest.mark.parametrize("wanted", [0, 1, 3, FEW, FEW + 1, 500])
def test_membership_as_np_isin(dtype: type, wanted: int) -> None:
    rng = np.random.default_rng(wanted)
    values = rng.integers(0, 120, 10_000).astype(dtype)
    of = rng.integers(0, 120, wanted).astype(dtype)
    np.testing.assert_array_equal(isin(values, of), np.isin(values, of))
    np.testing.assert_array_equal(isin(values, tuple(int(v) for v in of)), np.isin(values, of))


def test_floats_and_tables_are_refused() -> None:
    with pytest.raises(TypeError, match="integer"):
        unique(np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match="one-dimensional"):
        unique(np.zeros((2, 2), dtype=int))
    with pytest.raises(TypeError, match="integer"):
        isin(np.arange(3), np.array([0.5]))
