"""The period fertility trend: the TFR of each year, derived from Inner Mongolia's births, and
births in the agent model that follow it."""

import numpy as np
import pytest

from model import params
from model.census.synthesis import single_year_shape
from model.demography.cohort_component import counts_by_month_of_age, project
from model.demography.schedules import asfr, observed_tfr_factors, tfr_by_year
from model.model import BaotouModel
from model.scenario import load

DEMO = params.load("demography")
REFERENCE = DEMO["tfr_reference_year"]["value"]
YEARS = DEMO["regional_births"]["years"]


def test_the_reference_year_has_the_scenarios_tfr_and_births_fell_to_2023():
    demo = load("baseline")["demography"]
    tfr = tfr_by_year(demo, single_year_shape(), range(2020, 2036))
    assert tfr[REFERENCE] == pytest.approx(demo["tfr"])
    # Inner Mongolia's births fell a tenth a year 2021 -> 2023, more than its women of childbearing
    # age did, so the TFR fell too; 2024 (a dragon year) rose.
    assert tfr[2021] > tfr[2022] > tfr[2023] and tfr[2024] > tfr[2023]
    assert tfr[2020] == tfr[2021]  # before the first observed year: its level
    assert tfr[2030] == pytest.approx(tfr[2023])  # after the last: 2023's, changed by 0 a year


def test_the_factor_is_births_over_fertility_weighted_women():
    """Births of each year = factor x (women aged on from the census, weighted by the ASFR) x a
    constant: the factors take out the change in women and nothing more."""
    women = single_year_shape()
    factors = observed_tfr_factors(women)
    shape = asfr(1.0)[: women.size]
    births = dict(zip(YEARS, DEMO["regional_births"]["value"], strict=True))
    implied = {}
    for y in YEARS:
        moved = np.concatenate([np.zeros(y - 2020), women[: women.size - (y - 2020)]])
        implied[y] = factors[y] * float(shape @ moved)
    for y in YEARS:
        assert implied[y] / implied[REFERENCE] == pytest.approx(births[y] / births[REFERENCE], rel=1e-9)
    # The women weighted this way fall a few per cent a year, so the factor falls less than births
    assert 1.0 < factors[2023] / (births[2023] / births[2022]) < 1.1


def test_a_yearly_change_applies_after_the_last_observed_year():
    demo = dict(load("baseline")["demography"], tfr_yearly_change=-0.05)
    tfr = tfr_by_year(demo, single_year_shape(), range(2023, 2030))
    last = max(YEARS)
    assert tfr[2024] == pytest.approx(tfr_by_year(load("baseline")["demography"], single_year_shape(), [2024])[2024])
    for y in range(last + 1, 2030):
        assert tfr[y] == pytest.approx(tfr[2023] * 0.95 ** (y - last))


def test_births_in_the_agent_model_follow_the_tfr_path():
    """Closed population: the model's births each year, against a projection at a constant TFR,
    are the year's TFR over the reference year's (up to chance); at a constant TFR they are not."""
    scenario = load("baseline").with_overrides(
        {"run": {"scale": 0.05, "migration": False}, "period": {"end": "2024-12"}}
    )
    ratios = []
    for seed in (0, 1):
        model = BaotouModel(scenario, seed=seed)
        start = counts_by_month_of_age(model.people.age_months, model.people.sex, model.rates, model.weight)
        constant = project(start, model.rates_by_year.base, model.month, scenario.months)
        model.run()
        births = model.datacollector.get_model_vars_dataframe().births.to_numpy()
        ratios.append(births[1:] / np.asarray(constant.births[1:]))  # 2021..2024 (2020 has two months)
    ratio = np.mean(ratios, axis=0)
    path = np.array([model.rates_by_year.tfr(y) / model.rates_by_year.tfr(REFERENCE) for y in YEARS])
    # about 750 births a year per seed: a standard error near 2.6 % on each year's mean ratio
    np.testing.assert_allclose(ratio, path, atol=0.06)
    assert ratio[0] - ratio[2] > 0.08  # 2021 well above 2023, as the path says (a constant TFR gives ~0)
