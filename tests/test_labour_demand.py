"""Labour demand (issue 14): observed history, scenario futures, and its reach into the choice."""

import csv

import numpy as np
import pytest

from model import params
from model.api import run
from model.calendar import month_index
from model.params import ParameterFileError
from model.scenario import ScenarioError, load
from model.world import conditions as cond_mod
from model.world.conditions import BAOTOU, DESTINATIONS, HOME, JOB_FINDING_REFERENCE, ORIGINS, Conditions

GOOD = '[scenario]\nname = "case"\n'
HALVED = {"job_growth_change_from": "2026-01", "job_growth_after_change_baotou": 0.0}


def rows(indicator: str) -> list[dict[str, str]]:
    with cond_mod.LABOUR_DEMAND_FILE.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["indicator"] == indicator]


def conditions(**overrides) -> Conditions:
    return Conditions(load("baseline").with_overrides({"conditions": overrides}))


def test_the_data_file_history_is_reproduced():
    """At each observed month the unemployment rate is the file's, and the job-finding chance
    departs from the reference by the slope times the departure of the rate; each observed
    wage growth is the growth of that place's wage over the twelve months to its month."""
    c, beh = conditions(), load("baseline")["behaviour"]
    unemployment = rows("registered_unemployment_rate")
    assert unemployment, "the file has Baotou's registered unemployment"
    observed = {r["month"]: float(r["value"]) / 100 for r in unemployment if r["place"] == "baotou"}
    reference = np.mean([v for m, v in observed.items() if m <= "2022-12"])
    for month, rate in observed.items():
        now = c.at(month_index(month))
        assert now.unemployment[BAOTOU] == pytest.approx(rate)
        expected = JOB_FINDING_REFERENCE[BAOTOU] + beh["job_finding_unemployment_slope"] * (reference - rate)
        assert now.job_finding[BAOTOU] == pytest.approx(expected)
    for r in rows("wage_growth"):
        end = month_index(r["month"])
        now, before = c.at(end), c.at(end - 12)
        if r["place"] in ORIGINS:
            i = ORIGINS.index(r["place"])
            ratio = now.home_wage[i] / before.home_wage[i]
        else:
            ratio = now.wage[DESTINATIONS.index(r["place"])] / before.wage[DESTINATIONS.index(r["place"])]
        assert ratio == pytest.approx(1 + float(r["value"])), r


def test_the_2023_fall_in_unemployment_raises_baotou_job_finding_and_wages():
    c, beh = conditions(), load("baseline")["behaviour"]
    before, after = c.at(month_index("2022-12")), c.at(month_index("2023-12"))
    assert after.job_finding[BAOTOU] > before.job_finding[BAOTOU]
    trend = (1 + load("baseline")["conditions"]["wage_growth_baotou"]) ** 1
    curve = (after.unemployment[BAOTOU] / before.unemployment[BAOTOU]) ** -beh["wage_curve_elasticity"]
    assert after.wage[BAOTOU] / before.wage[BAOTOU] == pytest.approx(trend * curve)
    assert after.reemployment_factor > before.reemployment_factor > 0.99


def test_by_default_unemployment_stays_at_its_last_observed_level():
    c = conditions()
    last = c.at(month_index("2023-12")).unemployment
    for month in ("2025-06", "2035-12"):
        assert c.at(month_index(month)).unemployment == pytest.approx(last)


def test_halving_job_growth_after_2025_changes_baotou_then_and_only_then():
    base = conditions()
    grow = load("baseline")["conditions"]["job_growth_baotou"]
    assert grow > 0, "Baotou's jobs grow by default"
    halved = conditions(job_growth_change_from="2026-01", job_growth_after_change_baotou=grow / 2)
    for month in range(month_index("2020-11"), month_index("2035-12") + 1):
        a, b = base.at(month), halved.at(month)
        others = np.arange(len(DESTINATIONS)) != BAOTOU
        assert a.wage[others] == pytest.approx(b.wage[others]) and a.job_finding[others] == pytest.approx(
            b.job_finding[others]
        )
        if month < month_index("2026-01"):
            assert (a.unemployment, a.job_finding, a.wage) == (
                pytest.approx(b.unemployment),
                pytest.approx(b.job_finding),
                pytest.approx(b.wage),
            )
        else:
            assert b.unemployment[BAOTOU] > a.unemployment[BAOTOU]
            assert b.job_finding[BAOTOU] < a.job_finding[BAOTOU]
            assert b.wage[BAOTOU] < a.wage[BAOTOU] and b.reemployment_factor < a.reemployment_factor
    # Jobs growing at half the labour force's pace: the employment rate falls by that a year.
    a, b = base.at(month_index("2035-12")), halved.at(month_index("2035-12"))
    years = (month_index("2035-12") - month_index("2025-12")) / 12
    assert (1 - b.unemployment[BAOTOU]) / (1 - a.unemployment[BAOTOU]) == pytest.approx(
        ((1 + grow / 2) / (1 + grow)) ** years
    )


def test_jobs_outgrowing_the_labour_force_stop_at_the_unemployment_floor():
    c = conditions(job_growth_baotou=0.3)
    floor = load("baseline")["behaviour"]["unemployment_floor"]
    assert c.at(month_index("2035-12")).unemployment[BAOTOU] == pytest.approx(floor)
    assert c.at(month_index("2024-06")).unemployment[BAOTOU] > floor


def test_the_home_destinations_labour_demand_moves_the_home_wage():
    base, slack = conditions(), conditions(job_growth_home=-0.05)
    a, b = base.at(month_index("2030-12")), slack.at(month_index("2030-12"))
    assert np.all(b.home_wage < a.home_wage) and b.job_finding[HOME] < a.job_finding[HOME]
    assert b.wage[BAOTOU] == pytest.approx(a.wage[BAOTOU])


def test_inflow_follows_a_labour_demand_shock_in_baotou():
    """More jobs in Baotou from 2024 bring more people in and keep more from leaving; fewer jobs
    the opposite. The same seeds face the same draws, so the differences are the shock's."""
    end, kw = "2028-12", {"seeds": 1, "scale": 0.01}

    def flows(job_growth: float) -> tuple[float, float]:
        r = run("baseline", end=end, conditions={"job_growth_baotou": job_growth}, **kw)
        years = [2025, 2026, 2027, 2028]
        return (
            float(r.series("in_migration").loc[years].to_numpy().sum()),
            float(r.series("net_migration").loc[years].to_numpy().sum()),
        )

    normal = load("baseline")["conditions"]["job_growth_baotou"]
    (low_in, low_net), (mid_in, mid_net), (high_in, high_net) = (flows(normal + d) for d in (-0.02, 0.0, 0.02))
    assert low_in < mid_in < high_in
    assert low_net < mid_net < high_net


def test_residents_unemployment_follows_the_registered_rate():
    """The job-finding hazard scales with the odds of employment, so the residents' steady state
    unemployment moves from the 2020-2022 level to 2023's lower one."""
    scenario = load("baseline").with_overrides({"run": {"scale": 0.01}, "period": {"end": "2026-12"}})
    c = Conditions(scenario)
    from model.model import BaotouModel

    model = BaotouModel(scenario, seed=4)
    model.run()
    table = model.datacollector.get_model_vars_dataframe().set_index("year")
    beh = scenario["behaviour"]
    at_2026 = c.at(month_index("2026-12"))
    hazard = beh["reemployment_rate"] * at_2026.reemployment_factor
    steady = beh["job_loss_rate"] / (beh["job_loss_rate"] + hazard)
    assert steady == pytest.approx(at_2026.unemployment[BAOTOU], rel=0.02)
    assert table.loc[2026, "unemployment_rate"] == pytest.approx(100 * steady, abs=0.8)
    assert table.loc[2026, "unemployment_rate"] < table.loc[2021, "unemployment_rate"]


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("[conditions]\njob_growth_baotou = 2\n", ["conditions.job_growth_baotou", "from -0.5 to 0.5"]),
        ("[conditions]\njob_growth_ordos = nan\n", ["conditions.job_growth_ordos", "nan", "allowed"]),
        ('[conditions]\njob_growth_change_from = "2026-13"\n', ["conditions.job_growth_change_from", "YYYY-MM"]),
        ("[conditions]\njob_growth_after_change_baotou = -0.9\n", ["job_growth_after_change_baotou", "-0.5"]),
        (
            "[conditions]\njob_growth_after_change_baotou = 0.001\n",
            ["job_growth_after_change_baotou", "job_growth_change_from", "is not"],
        ),
        ("[behaviour]\nunemployment_floor = 1.5\n", ["behaviour.unemployment_floor", "from 0 to 1"]),
        ("[behaviour]\njob_finding_unemployment_slope = -1\n", ["job_finding_unemployment_slope", "from 0 to 5"]),
        ("[behaviour]\nwage_curve_elasticity = 3\n", ["wage_curve_elasticity", "from 0 to 1"]),
    ],
)
def test_bad_labour_demand_keys_are_refused_in_one_line(write_scenario, text, fragments):
    with pytest.raises(ScenarioError) as err:
        load(write_scenario(GOOD + text))
    message = str(err.value)
    assert "\n" not in message and "case.toml" in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_a_changed_job_growth_may_take_its_month_from_the_file_it_extends(write_scenario):
    write_scenario(GOOD.replace("case", "parent") + '[conditions]\njob_growth_change_from = "2026-01"\n', "parent")
    s = load(write_scenario(GOOD + 'extends = "parent"\n[conditions]\njob_growth_after_change_baotou = 0.0\n'))
    assert s["conditions"]["job_growth_change_from"] == "2026-01"


@pytest.mark.parametrize(
    "row, fragments",
    [
        ("baotou,2024-12,registered_unemployment_rate,-1,%,x,src", ["line 2", "above 0.0"]),
        ("baotou,2024-12,registered_unemployment_rate,abc,%,x,src", ["line 2", "'abc'"]),
        ("beijing,2024-12,wage_growth,0.05,per year,x,src", ["line 2", "place 'beijing'", "allowed"]),
        ("baotou,2024-12,jobs,5,n,x,src", ["line 2", "indicator 'jobs'", "wage_growth"]),
        ("baotou,2024-13,wage_growth,0.05,per year,x,src", ["line 2", "'YYYY-MM'"]),
        ("baotou,2024-12,wage_growth,0.05,per year,x,", ["line 2", "source"]),
        ("baotou,2024-12,wage_growth,5,per year,x,src", ["line 2", "below 1.0"]),
    ],
)
def test_a_bad_row_of_the_data_file_is_refused_in_one_line(tmp_path, monkeypatch, row, fragments):
    path = tmp_path / "labour_demand.csv"
    path.write_text("place,month,indicator,value,unit,confidence,source\n" + row + "\n", encoding="utf-8")
    monkeypatch.setattr(cond_mod, "LABOUR_DEMAND_FILE", path)
    cond_mod.labour_demand.cache_clear()
    try:
        with pytest.raises(ParameterFileError) as err:
            cond_mod.labour_demand()
    finally:
        cond_mod.labour_demand.cache_clear()
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_every_row_of_the_shipped_file_is_sourced_and_its_places_are_the_models():
    data = cond_mod.labour_demand()
    places = set(params.value("regions", "destinations")) | set(ORIGINS)
    assert {place for place, _ in data.series} <= places
    assert data.last_month == month_index("2023-12")
