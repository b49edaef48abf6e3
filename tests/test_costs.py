"""The books behind the finance view: who was in Baotou when (``Presence``), deadweight against the
counterfactual, spending on text-given and assumed amounts, and costs.csv with the printed view."""

import numpy as np
import pytest

from model.ledger import Presence
from model.measures import MEASURE_CLASSES
from model.runs import effect
from model.runs.compare import TOTAL, WIDTH, amounts_label, costs, format_finance
from model.runs.runner import run_pair
from model.scenario import load

SMALL = {"run": {"seeds": 1, "seed": 0, "scale": 0.003, "posterior_draws": 0}, "period": {"end": "2024-06"}}
KEY = np.uint64


def test_presence_is_from_entering_to_the_month_of_leaving():
    """A key is there at the end of a month from the month it entered until the month it left
    (gone by that month's end); a key that came back has two spells; unknown keys are nowhere."""
    entered = (np.array([5, 7, 9, 9], KEY), np.array([10, 10, 12, 20]))
    left = (np.array([7, 9], KEY), np.array([15, 14]))
    p = Presence.of(entered, left)
    assert list(p.present(np.array([5, 7, 7, 7, 9, 9, 9, 9, 4], KEY), 14)) == [1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert list(p.present(np.array([7, 7], KEY), 15)) == [0, 0]  # left in month 15
    assert list(p.present(np.array([9, 9, 9, 9], KEY), 13)) == [1, 1, 1, 1]
    assert list(p.present(np.array([9, 5], KEY), 20)) == [1, 1]  # 9 came back in month 20
    assert list(p.present(np.array([5], KEY), 9)) == [0]  # before it came
    assert (
        not Presence.of((np.empty(0, KEY), np.empty(0, int)), (np.empty(0, KEY), np.empty(0, int)))
        .present(np.array([1], KEY), 3)
        .any()
    )


def _measure(mid: str, **overrides):
    scenario = load("policy_2022").with_overrides({"measures": {mid: overrides}} if overrides else {})
    return MEASURE_CLASSES[mid](scenario.enabled_measures()[mid], weight=1.0)


def test_a_transfer_to_people_in_baotou_anyway_is_all_deadweight_and_to_newcomers_none():
    """Deadweight is the yuan paid to keys present in the counterfactual that month, weighted by
    what each was paid; without a counterfactual there is none to tell."""
    t3 = _measure("T3")
    t3.counterfactual = Presence.of((np.array([1, 2], KEY), np.array([0, 0])), (np.empty(0, KEY), np.empty(0, int)))
    t3.pay(np.array([30000.0, 15000.0]), given=True, to=np.array([1, 2], KEY), month=5)
    assert t3.transfers == t3.spent == 45000 and t3.deadweight == 45000
    t3.pay(np.array([30000.0, 15000.0]), given=True, to=np.array([1, 3], KEY), month=5)  # 3 would not be there
    assert t3.transfers == 90000 and t3.deadweight == 75000
    t3.pay(1e6, given=False)  # a budget: spending, but no transfer to anyone
    assert t3.spent == 1_090_000 and t3.transfers == 90000 and t3.spent_assumed == 1e6
    assert t3.spent_text + t3.spent_assumed == t3.spent
    alone = _measure("T3")
    alone.pay(np.array([30000.0]), given=True, to=np.array([1], KEY), month=5)
    assert alone.transfers == 30000 and alone.deadweight == 0 and alone.counterfactual is None


def test_which_amounts_the_text_gives_comes_from_measures_toml_and_the_scenario():
    """T3's bonuses and their year have a source; H1's rent discount, E3's budget and J1's subsidy
    are assumptions; a scenario's own bonus is its assumption, not the text's."""
    assert _measure("T3").text_gives("bonus_doctorate", "bonus_master", "months_before_bonus")
    assert not _measure("H1").text_gives("rent_discount")
    assert not _measure("E3").text_gives("budget")
    assert not _measure("J1").text_gives("loan", "interest_subsidy")  # the loan's range has a source, not the rate
    assert not _measure("T3", bonus_doctorate=50000).text_gives("bonus_doctorate", "bonus_master")
    assert _measure("T3", bonus_doctorate=30000).text_gives("bonus_doctorate")  # the text's own number
    assert [amounts_label(*pair) for pair in ((1, 0), (0, 1), (1, 1), (0, 0))] == ["text", "assumed", "mixed", "none"]


def _pair(scenario: str, against: str):
    a, b = (load(name).with_overrides(SMALL) for name in (scenario, against))
    ind_a, _, ind_b, _ = run_pair(a, b, 0)
    return effect.wide(ind_a), effect.wide(ind_b)


@pytest.fixture(scope="module")
def package_against_baseline():
    return _pair("policy_2022", "baseline")


def test_the_package_against_itself_pays_only_people_who_are_there_anyway():
    """With the same scenario as its own counterfactual, every transfer goes to someone the
    counterfactual has too: deadweight is 100 % for every measure that paid anyone."""
    a, b = _pair("policy_2022", "policy_2022")
    e = effect.yearly(a, b)
    paid = [mid for mid in effect.MEASURES if a[f"transfers_{mid}"].sum() > 0]
    assert {"H1", "E2", "T4"} <= set(paid)
    for mid in paid:
        assert e[f"deadweight_share_{mid}"].dropna().round(9).eq(100).all(), mid
    assert (e.extra_population == 0).all() and (e.net_cost_total == 0).all()


def test_against_the_baseline_books_add_up_and_the_package_pays_some_newcomers(package_against_baseline):
    a, b = package_against_baseline
    e = effect.yearly(a, b)
    for mid in effect.MEASURES:
        assert np.allclose(a[f"text_cost_{mid}"] + a[f"assumed_cost_{mid}"], a[f"cost_{mid}"], rtol=1e-12), mid
        assert (a[f"transfers_{mid}"] <= a[f"cost_{mid}"] * (1 + 1e-12)).all(), mid
        assert (a[f"deadweight_{mid}"] <= a[f"transfers_{mid}"] * (1 + 1e-12)).all(), mid
    assert (b[[f"deadweight_{mid}" for mid in effect.MEASURES]].isna().all()).all()  # no counterfactual of its own
    # Newcomers the package brought get transfers the baseline's people could not: not all deadweight.
    assert 0 < e.deadweight_share.loc[2024] < 100
    # Budgets and building shares are spending, not transfers to persons.
    assert (a.transfers_C1 == 0).all() and a.cost_C1.loc[2023] > 0
    # T3's bonuses are the text's; H1's rents rest on assumptions.
    assert (a.assumed_cost_T3 == 0).all() and (a.text_cost_H1 == 0).all() and a.cost_H1.loc[2023] > 0
    # Every resident came by a flow the ledger counts, so movers and births make up the extra residents.
    assert np.allclose(e.extra_movers + e.cumulative_extra_births - e.cumulative_extra_deaths, e.extra_population)


def test_costs_csv_and_the_printed_finance_view(package_against_baseline):
    a, b = package_against_baseline
    rows = effect.yearly(a, b).reset_index().melt(id_vars="year", var_name="indicator", value_name="value")
    summary = rows.assign(mean=rows.value, median=rows.value, p05=rows.value, p95=rows.value, seeds=1).drop(
        columns="value"
    )
    table = costs(summary)
    assert np.allclose(table.spending_text + table.spending_assumed, table.spending)
    by_measure = table[table.measure != TOTAL].groupby("year").sum(numeric_only=True)
    total = table[table.measure == TOTAL].set_index("year")
    assert np.allclose(by_measure.spending, total.spending) and np.allclose(by_measure.net_cost, total.net_cost)
    labels = table.groupby("measure").amounts.first()
    assert labels["T3"] == "text" and labels["H1"] == "assumed" and labels["H3"] == "none"
    assert labels[TOTAL] == "mixed"
    printed = format_finance(summary)
    assert max(len(line) for line in printed.splitlines()) <= WIDTH
    assert "T3        text" in printed and "movers" in printed and "births" in printed
