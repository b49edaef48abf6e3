"""One definition of the effect (model/runs/effect.py): on hand-made indicator tables, and the same
figure from `compare` and from the experiments for the same pair of runs."""

import numpy as np
import pandas as pd
import pytest

from model.experiments import run_experiment
from model.experiments.spec import load_experiment
from model.experiments.tasks import outcomes
from model.indicators import KINDS
from model.runs import effect
from model.runs.compare import compare
from model.scenario import load

YEARS = [2030, 2031, 2032, 2033, 2034, 2035]


def _run(**columns) -> pd.DataFrame:
    """A run's yearly table: every column the effects need, zero unless given."""
    names = ["population", "births", "deaths", "in_migration", "out_migration", "cost_total"]
    names += [f"{d}_migration_{k}" for d in ("in", "out") for k in KINDS]
    names += [f"{p}_{m}" for m in effect.MEASURES for p in ("cost", "attributed")]
    names += [f"{p}_{m}" for m in effect.MEASURES for p in ("text_cost", "assumed_cost", "transfers", "deadweight")]
    table = pd.DataFrame(0.0, index=pd.Index(YEARS, name="year"), columns=names)
    table["months"] = 12.0
    for name, values in columns.items():
        table[name] = values
    return table


def _long(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    long = table.reset_index().melt(id_vars="year", var_name="indicator", value_name="value")
    long.insert(0, "scenario", scenario)
    return long


# B is the package as issued (a cost in 2030 only); A keeps it going (cost every year).
B = _run(population=[1000, 1000, 1000, 1000, 1000, 1000], cost_total=[50, 0, 0, 0, 0, 0], cost_H1=[50, 0, 0, 0, 0, 0])
B["attributed_H1"] = [2, 0, 0, 0, 0, 0]
A = _run(
    population=[1000, 990, 1010, 1020, 1030, 1040],
    births=[10, 11, 12, 12, 12, 12],
    in_migration=[30, 31, 32, 33, 34, 35],
    out_migration=[5, 5, 5, 5, 5, 5],
    cost_total=[50, 60, 70, 80, 90, 100],
    cost_H1=[50, 60, 70, 80, 90, 100],
)
A["attributed_H1"] = [2, 3, 4, 4, 4, 4]


def test_extra_residents_and_net_cost_are_differences_by_year():
    assert list(effect.extra_residents(A, B)) == [0, -10, 10, 20, 30, 40]
    assert list(effect.net_cost(A, B)) == [0, 60, 70, 80, 90, 100]
    assert list(effect.cumulative(effect.net_cost(A, B))) == [0, 60, 130, 210, 300, 400]
    assert list(effect.fewer_departures(A, B)) == [-5] * 6  # A loses five a year, B none
    assert list(effect.extra_arrivals(A, B)) == [30, 31, 32, 33, 34, 35]


def test_cost_per_additional_resident_is_the_difference_in_cost_over_the_difference_in_residents():
    per = effect.cost_per_additional_resident(A, B)
    assert np.isnan(per.loc[2030]) and np.isnan(per.loc[2031])  # no extra residents (0, then -10)
    assert per.loc[2032] == pytest.approx(130 / 10)
    assert per.loc[2035] == pytest.approx(400 / 40)
    # Not A's whole cost over the extra residents: B's cost in 2030 is the same in both runs.
    assert per.loc[2035] != pytest.approx(A.cost_total.sum() / 40)
    # Against a baseline without cost, the net cost is the scenario's own.
    baseline = _run(population=[1000] * 6)
    assert effect.cost_per_additional_resident(A, baseline).loc[2035] == pytest.approx(450 / 40)


def test_a_measure_that_the_counterfactual_has_too_counts_only_what_differs():
    # H1: both runs pay 50 and attribute 2 residents in 2030; only A's later years are extra.
    assert list(effect.net_cost(A, B, "H1")) == [0, 60, 70, 80, 90, 100]
    assert list(effect.attributed(A, B, "H1")) == [0, 3, 4, 4, 4, 4]
    per = effect.cost_per_attributed_resident(A, B, "H1")
    assert np.isnan(per.loc[2030])
    assert per.loc[2035] == pytest.approx(400 / 19)
    # A measure neither run has: no cost, no residents, blank.
    assert effect.cost_per_attributed_resident(A, B, "T3").isna().all()


def test_compare_rows_and_experiment_outcomes_use_the_same_definition():
    rows = effect.effects_for_seed(_long(A, "a"), _long(B, "b"))
    table = rows.pivot_table(index="year", columns="indicator", values="value")
    expected = {
        n.replace("<kind>", k).replace("<id>", m) for n in effect.EFFECTS for k in KINDS for m in effect.MEASURES
    }
    assert set(rows.indicator) == expected
    assert table.loc[2035, "cumulative_net_cost_total"] == 400 and table.loc[2035, "cumulative_cost_total"] == 450
    assert table.loc[2035, "cost_per_additional_resident"] == pytest.approx(10)
    assert table.loc[2035, "cost_per_additional_resident_H1"] == pytest.approx(400 / 19)
    out = outcomes(_long(A, "a"), _long(B, "b"))
    assert out["extra_population_2030"] == 0 and out["extra_population_2035"] == 40
    assert out["cost_2035"] == 400 and out["cost_per_additional_resident_2035"] == pytest.approx(10)
    assert set(outcomes(_long(A, "a"), None)) == {"population_2030", "population_2035"}
    short = outcomes(_long(A.loc[:2032], "a"), _long(B.loc[:2032], "b"))
    assert np.isnan(short["cost_2035"]) and np.isnan(short["cost_per_additional_resident_2035"])


EXPERIMENT = """
[experiment]
name = "renewed_against_issued"
scenario = "policy_2022_renewed"
against = "policy_2022"
design = "full_factorial"
seeds = 1
scale = 0.005
end = "2035-12"
outcomes = ["extra_population_2035", "cost_2035", "cost_per_additional_resident_2035"]

[levers]
"measures.H3.loan_limit_single" = [400000]   # its default: one point, the scenario as it is
"""


def test_compare_and_the_experiments_give_the_same_cost_per_additional_resident(tmp_path):
    """The package renewed against the package as issued (whose cost the two definitions used to
    treat differently): the same seed through `compare` and through an experiment."""
    settings = {"run": {"seeds": 1, "seed": 0, "scale": 0.005, "posterior_draws": 0}, "period": {"end": "2035-12"}}
    scenario, against = (
        load("policy_2022_renewed").with_overrides(settings),
        load("policy_2022").with_overrides(settings),
    )
    run_dir = compare(scenario, against, tmp_path / "compare", progress=False)
    effects = pd.read_csv(run_dir / "effects.csv").set_index(["indicator", "year"])["mean"]
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT)
    exp_dir = run_experiment(load_experiment(path), tmp_path / "experiments", executor="serial")
    (row,) = pd.read_csv(exp_dir / "outcomes.csv").to_dict("records")
    assert row["extra_population_2035"] == pytest.approx(effects["extra_population", 2035])
    assert row["cost_2035"] == pytest.approx(effects["cumulative_net_cost_total", 2035])
    assert row["cost_2035"] < effects["cumulative_cost_total", 2035]  # the package as issued costs too
    assert row["cost_per_additional_resident_2035"] == pytest.approx(effects["cost_per_additional_resident", 2035])


def test_discounting_at_rate_0_is_the_undiscounted_figure_and_at_8_percent_weighs_later_years_less():
    """Resident-years are the mean of the extra stock at the start and end of each year (0 before
    the first year); the discounted ratio at rate 0 is the cumulative net cost over them."""
    years = effect.resident_years(effect.extra_residents(A, B), A.months)
    assert list(years) == [0, -5, 0, 15, 25, 35]  # (0 + -10) / 2, (-10 + 10) / 2, ...
    at_0 = effect.discounted_cost_per_additional_resident_year(A, B, rate=0.0)
    undiscounted = effect.cumulative(effect.net_cost(A, B)) / effect.cumulative(years)
    assert at_0.loc[2035] == pytest.approx(400 / 70) == pytest.approx(undiscounted.loc[2035])
    assert np.allclose(effect.discounted(effect.net_cost(A, B), rate=0.0), effect.cumulative(effect.net_cost(A, B)))
    factors = effect.discount_factors(pd.Index(YEARS), rate=0.08, base=2030)
    assert factors.loc[2030] == 1 and factors.loc[2032] == pytest.approx(1 / 1.08**2)
    at_8 = effect.discounted_cost_per_additional_resident_year(A, B, rate=0.08, base=2030)
    expected = sum(c / 1.08**k for k, c in enumerate([0, 60, 70, 80, 90, 100])) / sum(
        y / 1.08**k for k, y in enumerate([0, -5, 0, 15, 25, 35])
    )
    assert at_8.loc[2035] == pytest.approx(expected)
    # Costs come early and residents late, so discounting raises the cost per resident-year; the
    # base year does not change the ratio, only the discounted yuan.
    assert at_8.loc[2035] > at_0.loc[2035]
    assert effect.discounted_cost_per_additional_resident_year(A, B, rate=0.08, base=2022).loc[2035] == pytest.approx(
        expected
    )
    # The data's rate and base year are those of model/data/finance.toml.
    assert effect.social_discount_rate() == 0.08 and effect.discount_base_year() == 2022


def test_movers_and_births_make_up_the_extra_residents():
    """Extra residents = extra movers (arrivals + fewer departures, cumulated) + extra births - extra
    deaths, on a pair of tables whose populations follow from their flows."""
    flows = {"births": [10, 12, 11, 9, 10, 10], "deaths": [5, 6, 7, 6, 6, 7], "in_migration": [40, 50, 45, 30, 30, 30]}
    flows["out_migration"] = [20, 25, 30, 30, 30, 30]
    a = _run(**flows)
    a["population"] = 1000 + np.cumsum(
        np.add(flows["births"], flows["in_migration"]) - np.add(flows["deaths"], flows["out_migration"])
    )
    b = _run(population=[1000] * 6)
    e = effect.yearly(a, b)
    assert (e.extra_movers + e.cumulative_extra_births - e.cumulative_extra_deaths == e.extra_population).all()
    assert e.cumulative_extra_births.loc[2035] == 62 and e.extra_movers.loc[2035] == 225 - 165


def test_deadweight_share_and_text_given_and_assumed_spending_from_the_books():
    a, b = A.copy(), B.copy()
    a["transfers_H1"], a["deadweight_H1"] = [0, 10, 10, 10, 10, 10], [0, 10, 10, 10, 10, 10]  # all to stayers anyway
    a["transfers_T3"], a["deadweight_T3"] = [0, 0, 20, 20, 0, 0], [0, 0, 5, 0, 0, 0]
    a["text_cost_T3"], a["assumed_cost_H1"] = [0, 0, 20, 20, 0, 0], [50, 60, 70, 80, 90, 100]
    b["assumed_cost_H1"] = [50, 0, 0, 0, 0, 0]
    e = effect.yearly(a, b)
    assert e.deadweight_share_H1.loc[2031:].eq(100).all() and np.isnan(e.deadweight_share_H1.loc[2030])
    assert e.deadweight_share_T3.loc[2035] == pytest.approx(100 * 5 / 40)
    assert e.deadweight_share.loc[2035] == pytest.approx(100 * 55 / 90)
    assert list(e.text_cost_total + e.assumed_cost_total) == [50, 60, 90, 100, 90, 100]
    assert list(e.net_assumed_cost_total) == [0, 60, 70, 80, 90, 100]
    assert e.assumed_share_of_net_cost.loc[2035] == pytest.approx(100)
