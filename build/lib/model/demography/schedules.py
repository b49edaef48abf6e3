"""Fertility and mortality schedules: ASFR scaled to a TFR, Gompertz–Makeham fitted to e0.

Both the agent model and the cohort-component projection take their rates from here, so the
two differ only by chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from scipy.optimize import brentq

from model import params
from model.categories import Sex
from model.draws.thinning import highest_from


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
