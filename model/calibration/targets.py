"""Calibration targets: observed Baotou figures, the indicators they are compared with, and
tolerances with reasons (``targets.toml``). Observed values are read from
``model/data/observed.csv``, never typed again."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from model import params

TARGETS_FILE = Path(__file__).with_name("targets.toml")


@dataclass(frozen=True)
class Target:
    name: str
    indicator: str
    year: int
    observed: float
    tolerance: float  # relative (share of observed) or absolute, in the indicator's unit
    relative: bool
    held_out: bool
    reason: str

    @property
    def sigma(self) -> float:
        """The tolerance in the indicator's unit."""
        return self.tolerance * abs(self.observed) if self.relative else self.tolerance

    def within(self, simulated: float) -> bool:
        return abs(simulated - self.observed) <= self.sigma


@cache
def observed_table(region: str = "baotou") -> dict[tuple[str, int], float]:
    with (params.DATA_DIR / "observed.csv").open(encoding="utf-8") as fh:
        return {
            (r["indicator"], int(r["year"])): float(r["value"]) for r in csv.DictReader(fh) if r["region"] == region
        }


def _observed(spec: dict) -> float:
    table = observed_table()
    year = spec["year"]
    if "ratio" in spec:
        top, bottom = (table[(name, year)] for name in spec["ratio"])
        share = top / bottom
        return spec["scale"] * (1 - share if spec.get("complement") else share)
    return table[(spec["indicator"], year)] * spec["scale"]


@cache
def load_targets() -> tuple[Target, ...]:
    with TARGETS_FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    return tuple(
        Target(
            name,
            t["indicator"],
            t["year"],
            _observed(t["observed"]),
            t["tolerance"],
            t["relative"],
            t.get("held_out", False),
            t["reason"],
        )
        for name, t in raw.items()
    )
