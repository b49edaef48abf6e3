"""A cohort-component projection (the standard demographic method) by month of age.

It carries expected counts by sex and month of age through the same monthly rates as the
agent model, in the same order (deaths, births to the survivors, ageing), so that the agent
model with migration off must match it up to chance. It is the oracle for that test, and a
quick deterministic projection in its own right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.categories import Sex
from model.demography.schedules import MonthlyRates, RatesByYear


@dataclass
class Projection:
    """Yearly results: ``population`` at the end of each year, flows summed over it."""

    years: list[int]
    population: list[float]
    births: list[float]
    deaths: list[float]
    age_groups: list[np.ndarray]  # persons aged 0-14, 15-64, 65+ at the end of each year


def counts_by_month_of_age(
    age_months: np.ndarray, sex: np.ndarray, rates: MonthlyRates, weight: float = 1.0
) -> np.ndarray:
    """Persons by [sex, month of age], with the open age group in the last cell."""
    cells = (rates.max_age + 1) * 12
    counts = np.zeros((len(Sex), cells))
    np.add.at(counts, (sex, np.minimum(age_months, cells - 1)), weight)
    return counts


def project(counts: np.ndarray, rates: MonthlyRates | RatesByYear, start_month: int, months: int) -> Projection:
    """Project ``counts`` [sex, month of age] for ``months`` months from ``start_month``, with
    one set of rates, or each year's (the period fertility trend).

    ``start_month`` counts months since year 0 (as ``model.scenario.month_index``).
    """
    base = rates.base if isinstance(rates, RatesByYear) else rates
    n = counts.astype(float).copy()
    cells = n.shape[1]
    age_year = np.minimum(np.arange(cells) // 12, base.max_age)
    q = -np.expm1(-base.death.astype(float))[:, age_year]
    group = np.digitize(np.arange(cells) // 12, [15, 65])
    out = Projection([], [], [], [], [])
    births_year = deaths_year = 0.0
    for step in range(months):
        month = start_month + step
        year_rates = rates.at(month // 12) if isinstance(rates, RatesByYear) else rates
        fertility = -np.expm1(-year_rates.birth.astype(float))[age_year]
        died = n * q
        n -= died
        born = float(n[Sex.FEMALE] @ fertility)
        births_year += born
        deaths_year += float(died.sum())
        # Everyone, babies included, is a month older; the last cell is the open age group.
        open_group = n[:, -1] + n[:, -2]
        n[:, 1:] = n[:, :-1].copy()
        n[:, -1] = open_group
        n[:, 0] = 0.0
        n[Sex.MALE, 1] += born * base.male_share_of_births
        n[Sex.FEMALE, 1] += born * (1 - base.male_share_of_births)
        if month % 12 == 11 or step == months - 1:
            out.years.append(month // 12)
            out.population.append(float(n.sum()))
            out.births.append(births_year)
            out.deaths.append(deaths_year)
            out.age_groups.append(np.bincount(group, weights=n.sum(axis=0), minlength=3))
            births_year = deaths_year = 0.0
    return out
