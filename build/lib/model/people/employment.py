"""Who works: the share in work by age band and sex (``population.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from model.categories import Sex


def employment_rate(
    pop: Mapping[str, Any], age: np.ndarray, sex: np.ndarray, hukou: np.ndarray | None = None
) -> np.ndarray:
    """Share in work by age band and sex (``population.toml``); with ``hukou``, raised for people
    without it, who are in Baotou mostly to work (``migrant_employment_uplift``)."""
    idx = {s: np.searchsorted(pop[f"employment_rate_{s}"]["bands"], age, side="right") - 1 for s in ("male", "female")}
    rate = {
        s: np.where(i >= 0, np.asarray(pop[f"employment_rate_{s}"]["value"])[np.maximum(i, 0)], 0.0)
        for s, i in idx.items()
    }
    out = np.where(sex == Sex.MALE, rate["male"], rate["female"])
    if hukou is not None:
        uplift = pop["migrant_employment_uplift"]
        out = np.where(hukou, out, np.minimum(out * uplift["value"], uplift["cap"]))
    return out
