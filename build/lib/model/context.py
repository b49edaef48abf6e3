"""What every stage of one month reads: a small frozen context, made afresh each month.

Stages, decisions and measures take this instead of the whole model, so each is a function of
what it uses: the month, the run's seed and weight, this month's conditions, the behavioural
parameters and rates, and the keyed draw of the month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.calendar import month_of_year, year_of
from model.demography.schedules import MonthlyRates
from model.draws.keyed import uniform
from model.draws.streams import Streams
from model.world.conditions import MonthConditions


@dataclass(frozen=True)
class Month:
    """One month of one run."""

    index: int  # months since year 0 (``calendar.month_index``)
    last: int  # the run's last month
    seed: int
    weight: float  # persons per agent
    now: MonthConditions  # wages, rents, prices, jobs this month
    behaviour: Mapping[str, Any]  # the scenario's [behaviour]
    population: Mapping[str, Any]  # population.toml (coverage, employment rates, wages)
    rates: MonthlyRates  # fertility and mortality
    streams: Streams  # named streams for draws not tied to a person

    @property
    def agents_per_person(self) -> float:
        return 1.0 / self.weight

    @property
    def year(self) -> int:
        return year_of(self.index)

    @property
    def calendar_month(self) -> int:
        return month_of_year(self.index)

    def draw(self, keys: np.ndarray, name: str) -> np.ndarray:
        """This month's draw for decision ``name``, one per person key (common random numbers)."""
        return uniform(keys, self.seed, name, self.index)
