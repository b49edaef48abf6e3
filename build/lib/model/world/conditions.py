"""Conditions outside the measures: wages, rents and house prices by place and month.

Observed history where the data have it (Baotou's resale house-price index to 2025-12), and the
scenario's [conditions] for the future (wage growth by destination, house-price growth).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from model import params
from model.calendar import month_index
from model.scenario import Scenario

DESTINATIONS: list[str] = params.value("regions", "destinations")
BAOTOU, HOME = DESTINATIONS.index("baotou"), DESTINATIONS.index("home")
WAGE_BASE_MONTH = month_index(params.value("regions", "wage_reference_month"))
JOB_TREND_FROM = month_index(params.value("regions", "job_finding_observed_until")) + 1


def house_price_index() -> dict[int, float]:
    """Baotou's resale price level by month index, chained from the month-on-month index."""
    level, out = 1.0, {}
    with (params.DATA_DIR / "baotou_house_price_index_monthly.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            level *= float(row["resale_mom_index"]) / 100.0
            out[month_index(row["month"])] = level
    return out


@dataclass
class MonthConditions:
    wage: np.ndarray  # yuan/yr by destination (home column unused)
    home_wage: np.ndarray  # yuan/yr by origin group (Origin 1..3 -> index 0..2)
    rent: np.ndarray  # yuan/yr by destination (home column: origins' rent)
    home_price: float  # yuan, a first home in Baotou's main urban area
    job_finding_shift: float  # added to newcomers' chance of a job in Baotou (job growth scenario)


class Conditions:
    def __init__(self, scenario: Scenario) -> None:
        regions = params.load("regions")
        cond = scenario["conditions"]
        self.wage_2020 = np.asarray(regions["wage_2020"]["value"], dtype=float)
        self.home_wage_2020 = np.asarray(regions["home_wage_2020"]["value"], dtype=float)
        self.rent_2020 = np.asarray(regions["rent_2020"]["value"], dtype=float)
        self.growth = np.array([cond.get(f"wage_growth_{d}", 0.0) for d in DESTINATIONS])
        self.home_growth = cond["wage_growth_home"]
        self.house_growth = cond["house_price_growth"]
        self.job_trend = cond["baotou_job_finding_trend"]
        self.rent_elasticity = scenario["behaviour"]["rent_price_elasticity"]
        self.home_price_2020 = scenario["behaviour"]["home_price_2020"]
        self.hpi = house_price_index()
        self.hpi_base = self.hpi[month_index(scenario.start)]
        self._last_observed = max(self.hpi)

    def price_ratio(self, month: int) -> float:
        """Baotou's resale price level relative to the start month."""
        if month in self.hpi:
            return self.hpi[month] / self.hpi_base
        years_after = (month - self._last_observed) / 12
        return self.hpi[self._last_observed] / self.hpi_base * (1 + self.house_growth) ** years_after

    def at(self, month: int) -> MonthConditions:
        years = (month - WAGE_BASE_MONTH) / 12
        ratio = self.price_ratio(month)
        rent = self.rent_2020.copy()
        rent[BAOTOU] *= ratio**self.rent_elasticity
        return MonthConditions(
            wage=self.wage_2020 * (1 + self.growth) ** years,
            home_wage=self.home_wage_2020 * (1 + self.home_growth) ** years,
            rent=rent,
            home_price=self.home_price_2020 * ratio,
            job_finding_shift=self.job_trend * max(0.0, (month - JOB_TREND_FROM) / 12),
        )
