"""Conditions outside the measures: labour demand (wages, job-finding chances), rents and house
prices by place and month.

Observed history where the data have it (``labour_demand.csv``: Baotou's registered
unemployment to 2023-12, wage growth of the other places in 2023; Baotou's resale house-price
index to 2025-12), and the scenario's [conditions] for the future: wage growth and job growth
by destination, with a dated change of job growth ("Baotou's job growth halves after 2025").

Labour demand reaches people in three ways (docs/odd.md, Conditions):

- a newcomer's chance of a job at a destination, ``p_j = p_ref,j + slope x (u_ref,j - u_j)``
  (Harris–Todaro's p = E / (E + U) moves point for point with the unemployment rate u, so the
  slope's prior is 1), with ``p_ref`` the chances of ``regions.toml`` and ``u_ref`` the
  destination's mean rate over the months they stand for;
- wages: trend growth times the wage curve ``(u_j / u_ref,j) ** -wage_curve_elasticity``;
- residents of Baotou out of work find a job at a hazard scaled by the odds of employment
  against the reference, so that their steady-state unemployment moves with the registered rate.

After the last month of ``labour_demand.csv`` the employment rate e = 1 - u of each destination
changes each month by ((1 + job growth) / (1 + labour-force growth)) ** (1/12), no higher than
1 - ``unemployment_floor``. The conditions are the same in every scenario run of a seed: a
policy run and its counterfactual face the same labour demand.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from model import params
from model.calendar import CENSUS_MONTH, month_index
from model.params import ParameterFileError
from model.scenario import Scenario

DESTINATIONS: list[str] = params.value("regions", "destinations")
ORIGINS: list[str] = params.value("regions", "origins")
BAOTOU, HOME = DESTINATIONS.index("baotou"), DESTINATIONS.index("home")
WAGE_BASE_MONTH = month_index(params.value("regions", "wage_reference_month"))
REFERENCE_MONTHS = (month_index(CENSUS_MONTH), month_index(params.value("regions", "job_finding_observed_until")))
JOB_FINDING_REFERENCE = np.asarray(params.value("regions", "job_finding"), dtype=float)
LABOUR_DEMAND_FILE = params.DATA_DIR / "labour_demand.csv"
# What labour_demand.csv may hold: indicator -> the open interval its values lie in.
LABOUR_DEMAND_INDICATORS = {
    "registered_unemployment_rate": (0.0, 100.0),  # per cent of the labour force
    "wage_growth": (-0.5, 1.0),  # per year, as the scenario's wage growth keys
}
# Months computed beyond the scenario's end (a look-up past them keeps the last month's values).
MONTHS_BEYOND_END = 24


def house_price_index() -> dict[int, float]:
    """Baotou's resale price level by month index, chained from the month-on-month index."""
    level, out = 1.0, {}
    with (params.DATA_DIR / "baotou_house_price_index_monthly.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            level *= float(row["resale_mom_index"]) / 100.0
            out[month_index(row["month"])] = level
    return out


@dataclass(frozen=True)
class LabourDemand:
    """Observed labour demand (``labour_demand.csv``): by place and indicator, value by month."""

    series: dict[tuple[str, str], dict[int, float]]
    last_month: int  # the last month of any row: futures run from the month after

    def of(self, place: str, indicator: str) -> dict[int, float]:
        return self.series.get((place, indicator), {})


@cache
def labour_demand() -> LabourDemand:
    """Read ``labour_demand.csv``, refusing a bad row in one line (file, line, what is allowed)."""
    places = set(DESTINATIONS) | set(ORIGINS)
    series: dict[tuple[str, str], dict[int, float]] = {}
    with LABOUR_DEMAND_FILE.open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{LABOUR_DEMAND_FILE}: line {line}"
            if row["place"] not in places:
                raise ParameterFileError(f"{where}: place {row['place']!r}; allowed: {', '.join(sorted(places))}")
            domain = LABOUR_DEMAND_INDICATORS.get(row["indicator"])
            if domain is None:
                raise ParameterFileError(
                    f"{where}: indicator {row['indicator']!r}; allowed: {', '.join(LABOUR_DEMAND_INDICATORS)}"
                )
            month = row["month"] or ""
            if len(month) != 7 or not month[:4].isdigit() or month[4] != "-" or not 1 <= int(month[5:] or 0) <= 12:
                raise ParameterFileError(f"{where}: month {month!r}; allowed: a month 'YYYY-MM'")
            try:
                value = float(row["value"])
            except (TypeError, ValueError):
                value = math.nan
            low, high = domain
            if not (math.isfinite(value) and low < value < high):
                raise ParameterFileError(
                    f"{where}: {row['indicator']} is {row['value']!r}; allowed: a number above {low} and below {high}"
                )
            if not (row.get("source") or "").strip():
                raise ParameterFileError(f"{where}: no source; every row names its source")
            by_month = series.setdefault((row["place"], row["indicator"]), {})
            if month_index(month) in by_month:
                raise ParameterFileError(f"{where}: a second {row['indicator']} for {row['place']} in {month}")
            by_month[month_index(month)] = value
    last = max((m for s in series.values() for m in s), default=REFERENCE_MONTHS[1])
    return LabourDemand(series, last)


def _interpolate(observed: dict[int, float], months: np.ndarray, fallback: float) -> np.ndarray:
    """Observed values at their months, linear between them, the nearest one outside them."""
    if not observed:
        return np.full(months.size, fallback)
    at = np.array(sorted(observed))
    return np.interp(months, at, [observed[m] for m in at])


@dataclass
class MonthConditions:
    wage: np.ndarray  # yuan/yr by destination (home column unused)
    home_wage: np.ndarray  # yuan/yr by origin group (Origin 1..3 -> index 0..2)
    rent: np.ndarray  # yuan/yr by destination (home column: origins' rent)
    home_price: float  # yuan, a first home in Baotou's main urban area
    job_finding: np.ndarray  # by destination: a newcomer's chance of a job (Harris–Todaro p)
    unemployment: np.ndarray  # by destination: the unemployment rate (share) labour demand gives
    reemployment_factor: float  # residents' job-finding hazard in Baotou relative to 2020-2022


class Conditions:
    def __init__(self, scenario: Scenario) -> None:
        regions = params.load("regions")
        cond, beh = scenario["conditions"], scenario["behaviour"]
        self.wage_2020 = np.asarray(regions["wage_2020"]["value"], dtype=float)
        self.home_wage_2020 = np.asarray(regions["home_wage_2020"]["value"], dtype=float)
        self.rent_2020 = np.asarray(regions["rent_2020"]["value"], dtype=float)
        self.house_growth = cond["house_price_growth"]
        self.rent_elasticity = beh["rent_price_elasticity"]
        self.home_price_2020 = beh["home_price_2020"]
        self.hpi = house_price_index()
        self.hpi_base = self.hpi[month_index(scenario.start)]
        self._last_observed = max(self.hpi)

        data = labour_demand()
        self.first_month = WAGE_BASE_MONTH
        months = np.arange(self.first_month, month_index(scenario.end) + MONTHS_BEYOND_END + 1)
        self.months = months
        self.unemployment = self._unemployment(data, months, cond, beh)  # (months, destinations)
        u_ref = self._reference(data)
        e, e_ref = 1 - self.unemployment, 1 - u_ref
        self.job_finding = np.clip(
            JOB_FINDING_REFERENCE + beh["job_finding_unemployment_slope"] * (e - e_ref), 0.0, 1.0
        )
        curve = (self.unemployment / u_ref) ** -beh["wage_curve_elasticity"]
        growth = np.array([cond.get(f"wage_growth_{d}", 0.0) for d in DESTINATIONS])
        self.wage = self.wage_2020 * self._trend(data, months, DESTINATIONS, growth) * curve
        home_growth = np.full(len(ORIGINS), cond["wage_growth_home"])
        self.home_wage = self.home_wage_2020 * self._trend(data, months, ORIGINS, home_growth) * curve[:, [HOME]]
        odds = e[:, BAOTOU] / self.unemployment[:, BAOTOU]
        self.reemployment_factor = odds / (e_ref[BAOTOU] / u_ref[BAOTOU])

    @staticmethod
    def _reference(data: LabourDemand) -> np.ndarray:
        """Each destination's mean unemployment rate over the months the job-finding chances
        stand for (the no-data rate where it has no observation then)."""
        lo, hi = REFERENCE_MONTHS
        out = []
        for d in DESTINATIONS:
            seen = [v / 100 for m, v in data.of(d, "registered_unemployment_rate").items() if lo <= m <= hi]
            out.append(np.mean(seen) if seen else params.value("regions", "unemployment_without_data"))
        return np.asarray(out, dtype=float)

    @staticmethod
    def _unemployment(data: LabourDemand, months: np.ndarray, cond: dict, beh: dict) -> np.ndarray:
        """Unemployment rate by month and destination: observed (interpolated) to the file's last
        month, then the labour-market identity with the scenario's job growth."""
        fallback = params.value("regions", "unemployment_without_data")
        labour_force = np.asarray(params.value("regions", "labour_force_growth"), dtype=float)
        change = month_index(cond["job_growth_change_from"]) if cond["job_growth_change_from"] else None
        before = np.array([cond[f"job_growth_{d}"] for d in DESTINATIONS])
        after = np.array(
            [
                cond[f"job_growth_after_change_{d}"] if cond[f"job_growth_after_change_{d}"] is not None else g
                for d, g in zip(DESTINATIONS, before, strict=True)
            ]
        )
        u = np.column_stack(
            [
                _interpolate(
                    {m: v / 100 for m, v in data.of(d, "registered_unemployment_rate").items()}, months, fallback
                )
                for d in DESTINATIONS
            ]
        )
        ceiling = 1 - beh["unemployment_floor"]
        e = 1 - u
        for i in np.flatnonzero(months > data.last_month):
            growth = after if change is not None and months[i] >= change else before
            monthly = ((1 + growth) / (1 + labour_force)) ** (1 / 12)
            e[i] = np.minimum(e[i - 1] * monthly, np.maximum(ceiling, e[i - 1]))
        return 1 - e

    @staticmethod
    def _trend(data: LabourDemand, months: np.ndarray, places: list[str], growth: np.ndarray) -> np.ndarray:
        """Wage trend by month and place relative to the reference month: observed yearly growth
        over the twelve months to each row's month, the scenario's growth otherwise."""
        rate = np.tile(growth, (months.size, 1))
        for j, place in enumerate(places):
            for end, g in data.of(place, "wage_growth").items():
                rate[(months > end - 12) & (months <= end), j] = g
        monthly = np.log1p(rate) / 12
        monthly[0] = 0.0  # the reference month itself
        return np.exp(np.cumsum(monthly, axis=0))

    def price_ratio(self, month: int) -> float:
        """Baotou's resale price level relative to the start month."""
        if month in self.hpi:
            return self.hpi[month] / self.hpi_base
        years_after = (month - self._last_observed) / 12
        return self.hpi[self._last_observed] / self.hpi_base * (1 + self.house_growth) ** years_after

    def at(self, month: int) -> MonthConditions:
        i = min(max(month - self.first_month, 0), self.months.size - 1)
        ratio = self.price_ratio(month)
        rent = self.rent_2020.copy()
        rent[BAOTOU] *= ratio**self.rent_elasticity
        return MonthConditions(
            wage=self.wage[i].copy(),
            home_wage=self.home_wage[i].copy(),
            rent=rent,
            home_price=self.home_price_2020 * ratio,
            job_finding=self.job_finding[i].copy(),
            unemployment=self.unemployment[i].copy(),
            reemployment_factor=float(self.reemployment_factor[i]),
        )
