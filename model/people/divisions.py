"""Baotou's county-level divisions (旗县区): who lives where, from ``model/data/districts.toml``.

A person's ``division`` is shared by the household (set for the whole household in the
synthesis, on arrival and on a move within the city; inherited at birth). The four urban
districts are the main urban area (``Area.MAIN_URBAN``, measure H2's 主城区); the two outlying
districts, the county and the banners are the rest (``Area.OUTER``).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from model import params
from model.categories import Division

NAMES = tuple(d.name.lower() for d in Division)


@cache
def table() -> dict:
    data = params.load("districts")
    if tuple(data["divisions"]["value"]) != NAMES:
        raise params.ParameterFileError(
            f"model/data/districts.toml: [divisions] must list {', '.join(NAMES)} in this order (categories.Division)"
        )
    for key, entry in data.items():
        if isinstance(entry["value"], list) and key != "urban_districts" and len(entry["value"]) != len(NAMES):
            raise params.ParameterFileError(f"model/data/districts.toml: [{key}] needs one value per division")
    return data


def urban_district_mask() -> np.ndarray:
    """Per division: True for the four urban districts of the main urban area."""
    urban = set(table()["urban_districts"]["value"])
    return np.array([name in urban for name in NAMES])


def outside_urban_districts(codes: np.ndarray) -> np.ndarray:
    """True where the division code is none of the urban districts: one comparison per district,
    which over a million int8 codes is several times cheaper than indexing the mask with them."""
    outside = np.ones(codes.shape, dtype=bool)
    for code in np.flatnonzero(urban_district_mask()):
        outside &= codes != code
    return outside


def population_2020() -> np.ndarray:
    return np.asarray(table()["population_2020"]["value"], dtype=float)


def urban_share_2020() -> np.ndarray:
    return np.asarray(table()["urban_share_2020"]["value"], dtype=float)


def weights(entry: str) -> np.ndarray:
    """The figures per division that ``[entry]`` names (e.g. the 2020 census populations)."""
    return np.asarray(table()[table()[entry]["value"]]["value"], dtype=float)


def pick(u: np.ndarray, within: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A division for each uniform draw ``u``, among the divisions in ``within`` (a mask), with
    chances proportional to ``w``."""
    p = np.where(within, w, 0.0)
    cum = np.cumsum(p)
    last = int(np.flatnonzero(p)[-1])  # rounding never lands on a division left out
    return np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), last).astype(np.int8)
