"""The policy response and the Bayesian calibration (issue 15).

- ``policy_response`` = 0 makes the package change no location choice (nothing is attributed to
  any lever), and a larger response brings more residents.
- ABC-SMC recovers a known policy response and flow size from data simulated with them, each
  inside its 90 % interval, and the flow size's interval is narrower than its prior (the targets
  inform it; the response's width is what the data allow, reported, not asserted).
- The committed posterior files are what the code reads: the summary's quantiles are those of the
  draws in posterior.csv and of the runs in posterior_predictive.csv.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from model import params
from model.calibration import posterior as P
from model.calibration import targets
from model.model import BaotouModel
from model.scenario import load

ROOT = Path(__file__).resolve().parent.parent

SCALE = 0.005


def _run(response: float, end: str = "2023-06"):
    scenario = load("policy_2022").with_overrides(
        {"run": {"scale": SCALE, "seeds": 1}, "period": {"end": end}, "behaviour": {"policy_response": response}}
    )
    model = BaotouModel(scenario, seed=3)
    model.run()
    return model.datacollector.get_model_vars_dataframe().set_index("year")


def test_no_response_attributes_nothing_and_more_response_brings_more():
    none, full, double = (_run(k) for k in (0.0, 1.0, 2.0))
    attributed = [c for c in none.columns if c.startswith("attributed_")]
    assert attributed
    assert (none[attributed].to_numpy() == 0).all()
    assert full.loc[2023, attributed].sum() > 0
    assert none.loc[2023, "population"] < full.loc[2023, "population"] < double.loc[2023, "population"]


def test_the_default_response_is_what_the_coefficients_imply():
    assert params.value("behaviour", "policy_response") == 1.0


def test_abc_recovers_a_known_policy_response_and_flow_size():
    design = P.load_design()
    # Everything but the policy response and the flow size is held at a known value.
    fixed = {"wage_elasticity_of_inflow": 1.75, "newcomer_leaving_excess": 2.75}
    fixed.update({"tfr": 0.95, "e0_shift": 1.0, "within_city_move_rate": 0.1})
    truth = {"policy_response": 0.4, "candidate_flow_scale": 1.3}
    observed = P.Simulator(design, SCALE, salt=99)({**fixed, **truth})
    # 25 particles, four generations, the first accepting every prior draw.
    post = P.abc_smc(design, observed, SCALE, 25, 4, 5, 1, 7, fixed=fixed, initial_epsilon=1e12)
    assert sorted(post.names) == sorted(truth)
    for name, value in truth.items():
        lo, _, hi = post.quantiles(name)
        assert lo <= value <= hi, (name, lo, hi)
    # The flow size is identified by the totals: its interval is much narrower than its prior.
    # The response's need not be (with the derived coefficients one unit of it is about the
    # targets' tolerance: docs/what-the-data-can-tell.md), so only its coverage is checked.
    lo, _, hi = post.quantiles("candidate_flow_scale")
    prior = next(p for p in design.parameters if p.name == "candidate_flow_scale")
    assert hi - lo < 0.7 * (prior.hi - prior.lo)


def test_the_difference_in_differences_compares_baotou_with_the_comparison_citys_inflow():
    design = P.load_design()
    did = {t.name: t for t in design.targets if t.comparison}
    assert set(did) == {"did_ordos_2022", "did_ordos_2023"}
    # Observed: Baotou 276.17, 274.04, 271.78 and Ordos 222.03, 220.07, 216.84 (10k persons).
    expected = ((276.17 - 274.04) - (274.04 - 271.78)) - ((222.03 - 220.07) - (220.07 - 216.84))
    assert did["did_ordos_2023"].observed == pytest.approx(expected * 1e4)
    # Simulated: Baotou's second difference minus the change in the movers who went to Ordos.
    table = {("population", 2021): 100.0, ("population", 2022): 130.0, ("population", 2023): 150.0}
    table.update({("moved_to_ordos", 2022): 40.0, ("moved_to_ordos", 2023): 35.0})
    assert did["did_ordos_2023"].simulated(table) == pytest.approx((20 - 30) - (35 - 40))


def test_the_difference_in_differences_tolerance_is_the_comparison_cities_spread():
    """The tolerance is what the priors file says it is: Ordos's second difference minus Chifeng's,
    root mean square over 2022 and 2023, over sqrt(2), rounded to 1万."""
    import csv

    with (ROOT / "docs" / "sources" / "comparison_regions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    def level(region: str, year: int) -> float:
        # Chifeng has no year-end 2020 total: the census (1 November) stands for it.
        names = ("resident_pop", "resident_pop_census7")
        found = {(r["region"], int(r["year"]), r["indicator"]): float(r["value"]) for r in rows}
        return next(found[(region, year, n)] for n in names if (region, year, n) in found)

    def second(region: str, year: int) -> float:
        return P.second_difference({("pop", y): level(region, y) for y in range(2020, 2024)}, "pop", year)

    gaps = np.array([second("ordos", y) - second("chifeng", y) for y in (2022, 2023)]) * 1e4
    # The posterior reads Ordos from observed.csv: the same figures as the comparison file.
    ordos = targets.observed_table("ordos")
    assert all(ordos[("resident_pop", y)] == level("ordos", y) for y in range(2020, 2024))
    sigma = float(np.sqrt(np.mean(gaps**2) / 2))
    assert 10_000 < sigma < 10_700
    for t in P.load_design().targets:
        if t.comparison:
            assert t.sigma == round(sigma, -4)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'comparison = "ordos"',
            'comparison = "chifeng"',
            r"did_ordos_2022\.comparison = 'chifeng'; allowed: hohhot, ordos$",
        ),
        # Hohhot has no year-end total for 2020 or 2021 in observed.csv.
        (
            'comparison = "ordos"',
            'comparison = "hohhot"',
            r"did_ordos_2022: observed.csv has no resident_pop for hohhot in 2020, 2021 ",
        ),
        # The run starts 2020-11: 2020 is not a whole year of inflow.
        (
            "year = 2022, scale = 10000 }\ntolerance = 10000",
            "year = 2021, scale = 10000 }\ntolerance = 10000",
            r"did_ordos_2022\.observed\.year = 2021; allowed: 2022 or later",
        ),
        (
            "year = 2022, scale = 10000 }\ntolerance = 10000",
            "year = 2022 }\ntolerance = 10000",
            r"did_ordos_2022\.observed lacks scale",
        ),
    ],
)
def test_a_difference_in_differences_that_cannot_be_formed_is_refused_in_one_line(tmp_path, old, new, message):
    text = P.PRIORS_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "priors.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(params.ParameterFileError, match=message):
        P.load_design(bad)


def test_the_ledger_counts_the_movers_who_go_to_the_comparison_cities():
    from model.ledger import Ledger
    from model.people.store import People
    from model.world.conditions import DESTINATIONS

    ledger = Ledger(People(capacity=0), weight=50.0, network_months=24)
    where = {d: DESTINATIONS.index(d) for d in ("baotou", "hohhot", "ordos", "home")}
    # Outside candidates: -1 stayed; a household of three and one of one chose Ordos; Baotou's
    # choosers are Baotou's arrivals, not counted here.
    choice = np.array([-1, where["ordos"], where["baotou"], where["ordos"], where["hohhot"], where["home"]])
    ledger.moved_elsewhere(choice, np.array([4, 3, 5, 1, 2, 6]))
    # Baotou's leavers: one person a row.
    ledger.moved_elsewhere(np.array([where["ordos"], where["home"], where["ordos"]]))
    assert ledger.flows["moved_to_ordos"] == 3 + 1 + 2
    assert ledger.flows["moved_to_hohhot"] == 2


@pytest.mark.skipif(not P.DRAWS_FILE.exists(), reason="the posterior has not been run")
def test_the_committed_posterior_is_what_the_code_reads():
    names, draws, weights = P.read_draws()
    design = P.load_design()
    assert names == [p.name for p in design.parameters]
    assert np.isclose(weights.sum(), 1) and (weights >= 0).all()
    with P.SUMMARY_FILE.open("rb") as fh:
        summary = tomllib.load(fh)
    for j, name in enumerate(names):
        lo, mid, hi = P.weighted_quantiles(draws[:, j], weights, (0.05, 0.5, 0.95))
        entry = summary["posterior"][name]
        assert np.allclose([entry["q05"], entry["median"], entry["q95"]], [lo, mid, hi], rtol=1e-8)
        p = design.parameters[j]
        assert p.lo <= draws[:, j].min() and draws[:, j].max() <= p.hi
    import csv

    with P.PREDICTIVE_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == summary["method"]["predictive_draws"]
    for year in P.EFFECT_YEARS:
        effect = np.array([float(r[f"effect_{year}"]) for r in rows])
        entry = summary["effect"][f"y{year}"]
        assert np.allclose([entry["q05"], entry["median"], entry["q95"]], np.quantile(effect, (0.05, 0.5, 0.95)))
    # Each predictive run's parameters are a draw of the posterior file.
    for r in rows:
        theta = np.array([float(r[n]) for n in names])
        assert np.isclose(draws, theta).all(axis=1).any()
