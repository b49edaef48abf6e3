"""The model's own elasticities of inflow (outside candidates choosing Baotou), measured by
finite differences on the choice code, lie in the published ranges (issue 15)."""

import pytest

from model.coefficients import gross_to_net
from model.runs.elasticities import measure, published_ranges
from model.scenario import load

RANGES = published_ranges()


@pytest.fixture(scope="module")
def baseline():
    return measure(load("baseline"), seed=0)


@pytest.mark.parametrize("response", ["wage", "distance", "rent"])
def test_measured_elasticities_are_in_the_published_ranges(baseline, response):
    lo, hi = RANGES[response]
    assert lo <= baseline.elasticity[response] <= hi, (response, baseline.elasticity)
    assert baseline.candidates > 50_000 and baseline.inflow > 500


def test_the_wage_elasticity_is_the_one_the_coefficient_is_derived_from(baseline):
    beh = load("baseline")["behaviour"]
    assert baseline.elasticity["wage"] == pytest.approx(beh["wage_elasticity_of_inflow"], rel=0.05)
    # The distance elasticity is the trade-off ratio times the wage's (ln(1 + km) for ln km).
    ratio = -baseline.elasticity["distance"] / baseline.elasticity["wage"]
    assert ratio == pytest.approx(beh["distance_income_ratio"], rel=0.05)


def test_another_nest_parameter_keeps_the_total_elasticity():
    """beta_income follows nest_lambda, so the response measured stays the evidence's."""
    wider = measure(load("baseline").with_overrides({"behaviour": {"nest_lambda": 0.8}}), seed=0)
    lo, hi = RANGES["wage"]
    assert lo <= wider.elasticity["wage"] <= hi
    target = load("baseline")["behaviour"]["wage_elasticity_of_inflow"]
    assert wider.elasticity["wage"] == pytest.approx(target, rel=0.05)


def test_the_literatures_elasticity_put_on_the_coefficient_fails_the_check():
    """beta_income = 1.75 (the elasticity taken as the coefficient, as before issue 15) gives an
    elasticity more than twice the published range's top: (1 - s) / lambda x gross / net."""
    old = load("baseline").with_overrides({"behaviour": {"beta_income": 1.75}})
    measured = measure(old, seed=0)
    assert measured.elasticity["wage"] > RANGES["wage"][1]
    lam = old["behaviour"]["nest_lambda"]
    assert measured.elasticity["wage"] == pytest.approx(1.75 / lam * gross_to_net(), rel=0.1)
