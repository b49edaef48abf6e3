"""Every measure, switched on alone against the same seed without it (common random numbers):
it moves the group it is for in the expected direction and leaves the groups it cannot reach
exactly as they were; with nobody eligible it costs nothing."""

import numpy as np
import pytest

from model import params
from model.calendar import month_index
from model.categories import Kind, Tenure
from model.measures import ANYWAY, LEVERS, MEASURE_CLASSES, environment, groups
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
# effect on purchases shows at this scale instead of depending on a few draws. S1-S3 add nothing
# beyond the national rules as shipped (test_S1_S3_... below); what-if numbers check that their
# rules do what the classes declare when a scenario gives them something.
MORE = {
    "T2": {"extra_offers": 5000.0},
    "H2": {"fee_waiver": 100_000.0},
    "S1": {"coverage": 0.9},
    "S2": {"value": 1000.0, "subsidy_per_person": 600.0},
    "S3": {"value": 2000.0},
}


def _run(scenario):
    model = BaotouModel(scenario, seed=SEED)
    model.run()
    return model, model.datacollector.get_model_vars_dataframe().sum()


@pytest.fixture(scope="module")
def baseline():
    return _run(load("baseline").with_overrides(CASE))


def _net(totals, kind):
    return totals[f"in_migration_{kind}"] - totals[f"out_migration_{kind}"]


@pytest.mark.parametrize("mid", LEVERS)
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


def test_S1_S3_as_shipped_leave_the_baseline_exactly_as_it_was(baseline):
    """S1-S3 restate national rules the baseline already has: switched on as shipped, the run is
    the baseline's, indicator for indicator, and costs nothing."""
    base_model, base = baseline
    restated = {mid: {"enabled": True} for mid in ("S1", "S2", "S3")}
    _, with_s = _run(load("baseline").with_overrides({**CASE, "measures": restated}))
    assert with_s.equals(base)


def test_what_happens_anyway_is_in_every_shipped_scenario_and_attributed_nothing(baseline):
    """N1 is on in the baseline and so in every scenario extending it; no resident is attributed
    to it; it books the city's share of the lines under construction (Yinchuan's from 2020-12);
    and switching it off changes the baseline (by 2027-12 the Beijing trains and the Yinchuan
    line run), so the counterfactual does carry the lines."""
    base_model, base = baseline
    for name in ("baseline", "policy_2022", "policy_2022_renewed", *(f"group_{g}" for g in groups())):
        assert set(ANYWAY) <= set(load(name).enabled_measures()), name
    assert base["attributed_N1"] == 0 and base["cost_N1"] > 0
    # To the end of 2027, so that the Yinchuan line (2026-12) runs as well as the Beijing trains:
    # the trains' small cut alone can move no agent at this scale.
    later = {**CASE, "period": {"end": "2027-12"}}
    _, on = _run(load("baseline").with_overrides(later))
    _, without = _run(load("baseline").with_overrides({**later, "measures": {"N1": {"enabled": False}}}))
    assert without["cost_N1"] == 0
    assert sum(_net(without, k) for k in KINDS) < sum(_net(on, k) for k in KINDS)


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
        if cls.cost in (Cost.BUDGET, Cost.PER_RESIDENT, Cost.CONSTRUCTION):  # births, children, workers, works
            assert totals[f"cost_{mid}"] > 0, mid


def test_every_measure_has_a_class_a_group_and_a_docstring_naming_it():
    assert set(MEASURE_CLASSES) == set(measure_specs())
    assert sorted(sum(groups().values(), [])) == sorted(LEVERS)
    assert ANYWAY == ["N1"] and not set(ANYWAY) & set(LEVERS)
    for mid, cls in MEASURE_CLASSES.items():
        assert cls.__doc__ and mid in cls.__doc__, mid


def test_shipped_scenarios_cover_the_package():
    as_issued = load("policy_2022")
    assert set(as_issued.enabled_measures()) == set(measure_specs())
    assert as_issued["policy"] == {"start": "2022-10-27", "end": "2023-10-26"}
    assert load("policy_2022_renewed")["policy"]["end"] == "2035-12-31"
    assert set(load("baseline").enabled_measures()) == set(ANYWAY)  # no lever of the package
    for group, ids in groups().items():
        assert set(load(f"group_{group}").enabled_measures()) == set(ids) | set(ANYWAY)


def test_national_rules_s1_s3_restate_are_in_force_before_the_baseline_starts():
    """Each national rule S1-S3 restate came into force before the census month, so the observed
    flows and coverage that the baseline starts from and is matched to arose under it; the data
    keys named as carrying it exist, and the social insurance coverage the baseline's newcomers
    get is that of population.toml (no measure raises it in the baseline)."""
    census = load("baseline").start
    rules = params.load("national_rules")
    assert {"social_insurance_law", "pension_transfer", "medical_insurance_transfer"} <= set(rules)
    for name, rule in rules.items():
        assert rule["value"][:7] < census, name
        for key in rule["carried_by"]:
            section, entry = key.split(".")
            assert entry in params.load(section), key
    model = BaotouModel(load("baseline").with_overrides(CASE), seed=SEED)
    assert model.package.social_insurance_coverage(model._context()) == 0.0


def test_a_bad_transport_line_is_refused_in_one_line_naming_the_key():
    """transport.toml: an opening that is not a month, a cut out of range or of the wrong length,
    a negative city share or a missing assumption is refused, naming the line and the key."""
    good = dict(params.load(environment.LINES_FILE)["airport_sub_hub"])
    assert environment._line("x", good).opening == month_index(good["value"])
    for key, bad in (
        ("value", "2024-13"),
        ("distance_cut", [0.1, 0.6, 0.0]),
        ("distance_cut", [0.1, 0.1]),
        ("city_share", -1),
        ("build_months", 0),
        ("built_anyway", "yes"),
        ("city_share_assumption", ""),
    ):
        with pytest.raises(params.ParameterFileError) as err:
            environment._line("x", {**good, key: bad})
        message = str(err.value)
        assert "transport.toml: [x]" in message and key in message and "\n" not in message, message
