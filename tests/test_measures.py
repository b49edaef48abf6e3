"""Every measure, switched on alone against the same seed without it (common random numbers):
it moves the group it is for in the expected direction and leaves the groups it cannot reach
exactly as they were; with nobody eligible it costs nothing."""

import numpy as np
import pytest

from model.categories import Kind, Tenure
from model.measures import MEASURE_CLASSES, groups
from model.measures.base import Cost
from model.model import BaotouModel
from model.scenario import load, measure_specs

KINDS = [k.name.lower() for k in Kind]
SEED = 2

# The network term is the one channel through which newcomers change everyone's utilities; it is
# switched off here so that a measure's reach can be checked exactly. Talent offers are raised so
# that talent measures have people to act on at a small scale.
CASE = {
    "run": {"scale": 0.01},
    "period": {"end": "2024-12"},
    "behaviour": {"beta_network": 0.0, "talent_offers_per_year": 20_000},
    "policy": {"start": "2021-01-01", "end": "2024-12-31"},
}

# Enough extra posts to fill some at this scale; a waiver large enough that its (small, real)
# effect on purchases shows at this scale instead of depending on a few draws.
MORE = {"T2": {"extra_offers": 5000.0}, "H2": {"fee_waiver": 100_000.0}}


def _run(scenario):
    model = BaotouModel(scenario, seed=SEED)
    model.run()
    return model, model.datacollector.get_model_vars_dataframe().sum()


@pytest.fixture(scope="module")
def baseline():
    return _run(load("baseline").with_overrides(CASE))


def _net(totals, kind):
    return totals[f"in_migration_{kind}"] - totals[f"out_migration_{kind}"]


@pytest.mark.parametrize("mid", list(measure_specs()))
def test_measure_alone_moves_its_group_and_no_other(baseline, mid):
    """What each class declares about itself (``reaches``, ``in_choice``, ``raises``, ``cost``)
    holds when it is switched on alone."""
    cls = MEASURE_CLASSES[mid]
    base_model, base = baseline
    model, alone = _run(
        load("baseline").with_overrides({**CASE, "measures": {mid: {"enabled": True, **MORE.get(mid, {})}}})
    )
    for kind in set(Kind) - cls.reaches:
        name = kind.name.lower()
        assert _net(alone, name) == _net(base, name), f"{mid} changed the moves of {name}"
    if cls.in_choice:
        assert alone[f"attributed_{mid}"] > 0, f"{mid} made nobody more likely to live in Baotou"
        assert sum(_net(alone, k) for k in KINDS) >= sum(_net(base, k) for k in KINDS)
    for indicator in cls.raises:
        assert alone[indicator] > base[indicator], f"{mid} did not raise {indicator}"
    if mid == "S1":  # its effect is on who is insured, which no indicator counts

        def insured(m):
            p = m.people
            return np.count_nonzero(p.alive & ~p.hukou & p.employed & p.social_insurance)

        assert insured(model) > insured(base_model)
    # Every measure but those the city does not pay for books a cost while in force.
    assert (alone[f"cost_{mid}"] > 0) == (cls.cost is not Cost.NONE), f"{mid} cost {alone[f'cost_{mid}']}"


def test_measures_with_no_eligible_people_cost_nothing():
    """Measures that pay per newcomer cost nothing when everyone holds hukou and owns a home,
    nobody is talent and nobody moves; programme budgets, and measures paying for any resident
    who benefits, are spent regardless."""
    scenario = load("policy_2022_renewed").with_overrides(
        {"run": {"scale": 0.005, "migration": False}, "period": {"end": "2024-12"}}
    )
    model = BaotouModel(scenario, seed=0)
    people = model.people
    people.hukou[:] = True
    people.tenure[:] = Tenure.OWN
    people.kind[people.kind == Kind.TALENT] = Kind.RESIDENT
    people.study_months[:] = -1
    model.run()
    totals = model.datacollector.get_model_vars_dataframe().sum()
    for mid, cls in MEASURE_CLASSES.items():
        if cls.cost in (Cost.PER_NEWCOMER, Cost.NONE):
            assert totals[f"cost_{mid}"] == 0, mid
        if cls.cost in (Cost.BUDGET, Cost.PER_RESIDENT):  # births, young children, workers remain
            assert totals[f"cost_{mid}"] > 0, mid


def test_every_measure_has_a_class_a_group_and_a_docstring_naming_it():
    assert set(MEASURE_CLASSES) == set(measure_specs())
    assert sorted(sum(groups().values(), [])) == sorted(measure_specs())
    for mid, cls in MEASURE_CLASSES.items():
        assert cls.__doc__ and mid in cls.__doc__, mid


def test_shipped_scenarios_cover_the_package():
    as_issued = load("policy_2022")
    assert set(as_issued.enabled_measures()) == set(measure_specs())
    assert as_issued["policy"] == {"start": "2022-10-27", "end": "2023-10-26"}
    assert load("policy_2022_renewed")["policy"]["end"] == "2035-12-31"
    assert not load("baseline").enabled_measures()
    for group, ids in groups().items():
        assert set(load(f"group_{group}").enabled_measures()) == set(ids)
