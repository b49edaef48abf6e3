"""Fertility and mortality schedules: ASFR scaled to a TFR, Gompertz–Makeham fitted to e0, and
the period fertility trend (the TFR of each calendar year).

Both the agent model and the cohort-component projection take their rates from here, so the
two differ only by chance.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import numpy as np
from scipy.optimize import brentq

from model import params
from model.calendar import CENSUS_MONTH
from model.categories import Sex
from model.draws.thinning import highest_from

CENSUS_YEAR = int(CENSUS_MONTH[:4])


def asfr(tfr: float) -> np.ndarray:
    """Age-specific fertility rates by single year of age 0..max_age (births per woman-year).

    The Fuzhou 2020 shape (data/demography.toml) is held constant within each five-year group
    and scaled so that the rates sum to ``tfr``.
    """
    entry = params.load("demography")["asfr_shape"]
    max_age = params.value("demography", "max_age")
    rates = np.zeros(max_age + 1)
    shape = np.asarray(entry["value"], dtype=float)
    for start, rate in zip(entry["ages"], shape, strict=True):
        rates[start : start + 5] = rate
    return rates * (tfr / rates.sum())


def life_expectancy(mu: np.ndarray) -> float:
    """e0 of a life table whose hazard is constant within each year of age (open last age)."""
    survival = np.exp(-mu)
    l_x = np.concatenate(([1.0], np.cumprod(survival)[:-1]))
    person_years = l_x * (1.0 - survival) / mu
    person_years[-1] = l_x[-1] / mu[-1]  # open age group
    return float(person_years.sum())


def gompertz_makeham(b: float, q0: float) -> np.ndarray:
    """Hazard by single year of age: -ln(1-q0) at age 0, A + B exp(theta x) above."""
    max_age = params.value("demography", "max_age")
    a = params.value("demography", "makeham_constant")
    theta = params.value("demography", "gompertz_slope")
    ages = np.arange(max_age + 1, dtype=float)
    mu = a + b * np.exp(theta * ages)
    mu[0] = -np.log1p(-q0)
    return mu


@cache
def fitted_hazard(e0: float, q0: float) -> np.ndarray:
    """Gompertz–Makeham hazard whose life expectancy at birth is ``e0``."""

    def gap(log_b: float) -> float:
        return life_expectancy(gompertz_makeham(np.exp(log_b), q0)) - e0

    log_b = brentq(gap, -20.0, -3.0, xtol=1e-10)
    return gompertz_makeham(float(np.exp(log_b)), q0)


OPEN_AGE_YEARS = 60  # years the cumulative death table runs past max_age (at the open group's hazard)


@dataclass(frozen=True)
class MonthlyRates:
    """Monthly hazards indexed by [sex, age in completed years].

    An event happens in a month with probability 1 - exp(-hazard): the agent model draws event
    times (Exp(1) exposures, thinning), the cohort-component projection uses the probabilities.
    """

    death: np.ndarray  # float32 (2, max_age + 1): mu(x) / 12
    birth: np.ndarray  # float32 (max_age + 1,): ASFR(x) / 12, for women
    male_share_of_births: float
    max_age: int

    @classmethod
    def from_levels(cls, tfr: float, e0_male: float, e0_female: float, srb: float) -> MonthlyRates:
        demo = params.load("demography")
        mu = np.stack(
            [
                fitted_hazard(e0_male, demo["q0_male"]["value"]),
                fitted_hazard(e0_female, demo["q0_female"]["value"]),
            ]
        )
        assert mu.shape[0] == len(Sex)
        return cls(
            death=(mu / 12.0).astype(np.float32),
            birth=(asfr(tfr) / 12.0).astype(np.float32),
            male_share_of_births=srb / (100.0 + srb),
            max_age=int(demo["max_age"]["value"]),
        )

    @cached_property
    def birth_from(self) -> np.ndarray:
        """Highest monthly birth hazard from each age on (a bound for thinning)."""
        return highest_from(self.birth)

    @cached_property
    def cumulative_death(self) -> np.ndarray:
        """(2, months + 1) hazard used up from birth to each age in months (open age group
        extended far enough that no one outlives the table)."""
        months = 12 * (self.max_age + 1 + OPEN_AGE_YEARS)
        age = np.minimum(np.arange(months) // 12, self.max_age)
        monthly = self.death[:, age].astype(np.float64)
        return np.concatenate([np.zeros((len(Sex), 1)), np.cumsum(monthly, axis=1)], axis=1)

    def death_month(self, sex: np.ndarray, age_months: np.ndarray, exposure: np.ndarray, month: int) -> np.ndarray:
        """Month of death of people of ``sex`` aged ``age_months`` in ``month`` with Exp(1)
        ``exposure``: the first month by whose end the hazard used up reaches the exposure. The
        same event as a clock worn down month by month, found at once (the hazards do not change
        with time)."""
        table = self.cumulative_death
        out = np.empty(sex.size, dtype=np.int64)
        for s in range(len(Sex)):
            sel = np.flatnonzero(sex == s)
            a = np.minimum(age_months[sel].astype(np.intp), table.shape[1] - 2)
            reached = np.searchsorted(table[s], table[s, a] + exposure[sel], side="left")
            out[sel] = month + reached - a - 1
        return out


def observed_tfr_factors(women_2020: np.ndarray) -> dict[int, float]:
    """The TFR of each year with regional births, relative to the reference year's.

    Births per fertility-weighted woman: the women of a year are ``women_2020`` (the region's
    census profile by single year of age, any scale) moved on by the years since 2020 and weighted
    by the ASFR shape, so that a year's factor is what is left of the change in births once the
    change in the number and ages of women who could have them is taken out.
    """
    demo = params.load("demography")
    births = demo["regional_births"]
    shape = asfr(1.0)
    profile = np.zeros(shape.size)
    profile[: min(shape.size, women_2020.size)] = women_2020[: shape.size]

    def per_woman(year: int, n_births: float) -> float:
        women = np.zeros(shape.size)
        shift = year - CENSUS_YEAR  # the census counted that year's population; each year moves it on a year
        women[shift:] = profile[: shape.size - shift]
        return n_births / float(shape @ women)

    rate = {int(y): per_woman(int(y), float(b)) for y, b in zip(births["years"], births["value"], strict=True)}
    reference = int(demo["tfr_reference_year"]["value"])
    if reference not in rate:
        raise params.ParameterFileError(
            f"model/data/demography.toml: tfr_reference_year {reference} has no regional_births year"
        )
    return {y: r / rate[reference] for y, r in rate.items()}


def tfr_by_year(demo: Mapping[str, Any], women_2020: np.ndarray, years: range) -> dict[int, float]:
    """The TFR of each of ``years``: the scenario's level ``demo["tfr"]`` (that of the reference
    year) times the observed factor; before the first observed year the first one; after the last,
    the factor of ``tfr_future_base_year`` changed by ``demo["tfr_yearly_change"]`` a year."""
    factors = observed_tfr_factors(women_2020)
    first, last = min(factors), max(factors)
    base = factors[int(params.value("demography", "tfr_future_base_year"))]
    change = 1.0 + float(demo["tfr_yearly_change"])
    out = {}
    for year in years:
        if year in factors:
            factor = factors[year]
        elif year < first:
            factor = factors[first]
        else:
            factor = base * change ** (year - last)
        out[year] = float(demo["tfr"]) * factor
    return out


class RatesByYear:
    """The monthly rates of each calendar year: mortality and the sex ratio at birth fixed, the
    fertility schedule scaled to the year's TFR (``tfr_by_year``); made the first time a year is
    asked for."""

    def __init__(self, demo: Mapping[str, Any], women_2020: np.ndarray) -> None:
        self.demo = dict(demo)
        self.women_2020 = women_2020
        # At the reference year's TFR: mortality, max_age, the sex ratio at birth.
        self.base = MonthlyRates.from_levels(demo["tfr"], demo["e0_male"], demo["e0_female"], demo["srb"])
        self._by_year: dict[int, MonthlyRates] = {}

    def tfr(self, year: int) -> float:
        return tfr_by_year(self.demo, self.women_2020, range(year, year + 1))[year]

    def at(self, year: int) -> MonthlyRates:
        if year not in self._by_year:
            # The years share the base's mortality arrays; only births change.
            birth = (asfr(self.tfr(year)) / 12.0).astype(np.float32)
            self._by_year[year] = dataclasses.replace(self.base, birth=birth)
        return self._by_year[year]
