"""Demography: the agent model with migration off matches the cohort-component projection,
and the default rates imply 2022 births and deaths near the observed ones."""

import numpy as np
import pytest

from model import params
from model.categories import Sex
from model.demography.cohort_component import counts_by_month_of_age, project
from model.demography.schedules import MonthlyRates
from model.model import BaotouModel
from model.scenario import load

SEEDS = 12
OBSERVED_2022 = {"births": 14_900, "deaths": 21_200}  # observed.csv: 1.49万 and 2.12万


def _observed(indicator: str, year: int) -> float:
    import csv

    with (params.DATA_DIR / "observed.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["region"] == "baotou" and row["indicator"] == indicator and int(row["year"]) == year:
                return float(row["value"]) * 10_000
    raise KeyError(indicator)


@pytest.fixture(scope="module")
def paired_runs():
    """Per seed: the agent model's 15-year results and the projection from its own start."""
    scenario = load("baseline").with_overrides({"run": {"scale": 0.01, "migration": False}})
    out = []
    for seed in range(SEEDS):
        model = BaotouModel(scenario, seed=seed)
        start = counts_by_month_of_age(model.people.age_months, model.people.sex, model.rates, model.weight)
        projection = project(start, model.rates_by_year, model.month, scenario.months)
        model.run()
        table = model.datacollector.get_model_vars_dataframe()
        end = model.age_sex_counts().sum(axis=0)
        groups = np.array([end[:15].sum(), end[15:65].sum(), end[65:].sum()])
        out.append(
            {
                "abm": {
                    "population": table.population.iloc[-1],
                    "births": table.births.sum(),
                    "deaths": table.deaths.sum(),
                    "groups": groups,
                },
                "ccp": {
                    "population": projection.population[-1],
                    "births": sum(projection.births),
                    "deaths": sum(projection.deaths),
                    "groups": projection.age_groups[-1],
                },
            }
        )
    assert projection.years[0] == 2020 and projection.years[-1] == 2035  # 15 full years after the census
    return out


@pytest.mark.parametrize("quantity", ["population", "births", "deaths", "groups"])
def test_agent_model_matches_cohort_component_within_sampling_error(paired_runs, quantity):
    diffs = np.array([np.atleast_1d(r["abm"][quantity] - r["ccp"][quantity]) for r in paired_runs])
    expected = np.array([np.atleast_1d(r["ccp"][quantity]) for r in paired_runs]).mean(axis=0)
    mean = diffs.mean(axis=0)
    se = diffs.std(axis=0, ddof=1) / np.sqrt(len(diffs))
    assert np.all(np.abs(mean) <= 4 * se + 1e-9), f"{quantity}: mean gap {mean} vs standard error {se}"
    assert np.all(np.abs(mean) / expected < 0.01), f"{quantity}: relative gap {mean / expected}"


def test_projection_accounting_identity():
    scenario = load("baseline")
    model = BaotouModel(scenario.with_overrides({"run": {"scale": 0.001}}), seed=0)
    start = counts_by_month_of_age(model.people.age_months, model.people.sex, model.rates, model.weight)
    p = project(start, model.rates_by_year, model.month, scenario.months)
    previous = start.sum()
    for pop, births, deaths in zip(p.population, p.births, p.deaths, strict=True):
        assert pop - previous == pytest.approx(births - deaths, rel=1e-9, abs=1e-6)
        previous = pop


def test_default_rates_imply_2022_births_and_deaths_within_15_percent():
    """The expected (projected) 2022 births and deaths from the census population at scale 1."""
    model = BaotouModel(load("baseline").with_overrides({"run": {"scale": 1.0}, "period": {"end": "2020-11"}}), seed=0)
    start = counts_by_month_of_age(model.people.age_months, model.people.sex, model.rates)
    p = project(start, model.rates_by_year, model.month, 26)  # 2020-11 .. 2022-12
    assert p.years == [2020, 2021, 2022]
    for name, projected in (("births", p.births[-1]), ("deaths", p.deaths[-1])):
        observed = _observed(name, 2022)
        assert observed == OBSERVED_2022[name]
        assert abs(projected / observed - 1) < 0.15, (
            f"{name} 2022: projected {projected:,.0f}, observed {observed:,.0f}"
        )


def test_births_follow_the_mothers_household():
    model = BaotouModel(
        load("baseline").with_overrides({"run": {"scale": 0.002, "migration": False}, "period": {"end": "2021-12"}}),
        seed=3,
    )
    first_new_id = model.people.next_person_id
    model.run()
    people = model.people
    babies = people.person_id >= first_new_id
    assert babies.any()
    assert (people.age_months[babies] <= 14).all()
    households_with_woman = set(people.household_id[(people.sex == Sex.FEMALE) & (people.age_years() >= 15)])
    assert set(people.household_id[babies]) <= households_with_woman


def test_death_month_is_where_a_clock_worn_down_month_by_month_runs_out():
    rates = MonthlyRates.from_levels(1.0, 75.0, 80.0, 105.0)
    rng = np.random.default_rng(5)
    n = 4000
    sex = rng.integers(0, 2, n).astype(np.int8)
    age = rng.integers(0, 100 * 12, n).astype(np.int16)
    exposure = rng.exponential(size=n)
    found = rates.death_month(sex, age, exposure, 500) - 500
    clock, a, month = exposure.copy(), age.astype(int), np.full(n, -1)
    for k in range(12 * 130):  # wear the clocks down, month by month, as people age
        alive = month < 0
        clock[alive] -= rates.death[sex[alive], np.minimum(a[alive] // 12, rates.max_age)]
        month[alive & (clock <= 0)] = k
        a += 1
        if (month >= 0).all():
            break
    assert np.mean(found == month) > 0.999  # rounding may move a rare case by a month
    assert np.abs(found - month).max() <= 1
