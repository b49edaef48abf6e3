"""The best mix for a budget: file validation, a tiny optimisation end to end (a non-dominated
front, the budget respected run by run, a chosen mix that loads as a scenario), the same result
after an interruption and a resume, and PRIM's boxes on a synthetic case and on a real discovery."""

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.experiments.tasks import run_task
from model.optimise import run_dir_for, run_optimisation
from model.optimise.discover import discover, find_box
from model.optimise.robust import LABEL, non_dominated
from model.optimise.spec import load_optimisation
from model.runs import effect
from model.scenario import ScenarioError, load

ROOT = Path(__file__).resolve().parent.parent

# Small enough for seconds a run: the 1:500 city to 2023, four mixes a generation. The budget is
# set between what the cheapest and the dearest mixes cost, so the constraint binds.
TINY = """
[optimisation]
name = "tiny"
scenario = "baseline"
end = "2023-12"
scale = 0.002
seeds = 2
population = 4
generations = {generations}

[budget]
yearly = 1.5e8
rule = "every_year"
quantile = 1.0
shares = [0.5, 1.0]

[objective]
robustness = "worst"

[measures.H1]
units = [0, 20000]
renewed_until = [2023, 2025]

[measures.E2]

[measures.C2]

[discovery]
samples = 6
pays_off_below = 100000

[discovery.uncertain]
"behaviour.policy_response" = [0.0, 2.0]
"conditions.job_growth_baotou" = [-0.01, 0.015]
"""


def _write(tmp_path: Path, text: str, name: str = "opt") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "old, new, fragment",
    [
        ("[budget]", "[budgets]", "unknown section [budgets]"),
        ("seeds = 2", "seedz = 2", "unknown key 'optimisation.seedz'"),
        ("yearly = 1.5e8", "", "key 'budget.yearly' is missing"),
        ("yearly = 1.5e8", "yearly = -5", "key 'budget.yearly' is -5; allowed: a number above 0"),
        ('rule = "every_year"', 'rule = "sometimes"', "key 'budget.rule' is 'sometimes'; allowed: every_year, average"),
        ('robustness = "worst"', 'robustness = "best"', "key 'objective.robustness' is 'best'"),
        ('robustness = "worst"', "quantile = 1.5", "key 'objective.quantile' is 1.5; allowed: a number of at least 0"),
        ("[objective]", "[objective]\nyear = 2031", "key 'objective.year' is 2031; allowed: a year from 2022"),
        ("[measures.C2]", "[measures.Z9]", "unknown measure id 'Z9'"),
        ("units = [0, 20000]", "unitz = [0, 20000]", "'measures.H1.unitz' is not a measure parameter"),
        ("units = [0, 20000]", "units = [0, 2000000]", "'measures.H1.units' is 2000000; allowed: a number from 0 to"),
        ("units = [0, 20000]", "units = [20000, 0]", "allowed: a range [low, high] with low < high"),
        ("units = [0, 20000]", "units = [0.5, 20000]", "allowed: whole-number bounds"),
        ("renewed_until = [2023, 2025]", "renewed_until = [2019, 2025]", "allowed: [first, last] whole years"),
        ("[measures.E2]", "[measures.E2]\nenabled = true", "key 'measures.E2.enabled' cannot be chosen"),
        ("[measures.E2]", "[measures.E2]\noptional = 1", "key 'measures.E2.optional' is 1; allowed: true or false"),
        ('scenario = "baseline"', 'scenario = "no_such"', "key 'optimisation.scenario' is 'no_such'; allowed: the"),
        ('name = "tiny"', 'name = "baseline"', "'optimisation.name' must differ from 'optimisation.against'"),
        ("pays_off_below = 100000", "", "key 'discovery.pays_off_below' is missing"),
        ('"behaviour.policy_response" = [0.0, 2.0]', '"measures.H1.units" = [0, 5]', "the mix's measures are chosen"),
        ('"behaviour.policy_response" = [0.0, 2.0]', '"behaviour.policy_response" = [0.0, 9.0]', "allowed: a number"),
    ],
)
def test_bad_optimisation_files_are_refused_with_file_key_and_what_is_allowed(tmp_path, old, new, fragment):
    text = TINY.format(generations=2)
    assert old in text
    path = _write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(ScenarioError) as err:
        load_optimisation(path)
    message = str(err.value)
    assert str(path) in message and fragment in message, message
    assert "\n" not in message


def test_the_command_refuses_a_bad_file_in_one_line(tmp_path):
    path = _write(tmp_path, TINY.format(generations=2).replace("[measures.C2]", "[measures.Z9]"))
    out = subprocess.run(
        [sys.executable, "-m", "model", "optimise", str(path), "--out", str(tmp_path / "r")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "unknown measure id 'Z9'" in out.stderr
    assert not (tmp_path / "r").exists()


def test_the_shipped_optimisation_loads():
    opt = load_optimisation("budget_2030")
    assert opt.objective_year == 2030 and opt.budget > 0 and opt.discovery is not None
    assert {lever.measure for lever in opt.levers} >= {"H1", "E2", "C1"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """One tiny optimisation, run serially: (the optimisation, its results directory)."""
    tmp = tmp_path_factory.mktemp("optimise")
    opt = load_optimisation(_write(tmp, TINY.format(generations=3)))
    return opt, run_optimisation(opt, tmp / "results", executor="serial")


def test_the_front_is_non_dominated_and_made_of_mixes_within_budget(tiny):
    opt, run_dir = tiny
    assert json.loads((run_dir / "manifest.json").read_text())["status"] == "complete"
    evaluated = pd.read_csv(run_dir / "evaluated.csv").drop_duplicates("mix")
    front = pd.read_csv(run_dir / "front.csv")
    assert set(evaluated.within_budget) == {0, 1}  # the budget binds: some mixes are refused
    assert len(front) >= 2 and (front.cost <= opt.budget).all()
    feasible = evaluated[evaluated.within_budget == 1]
    for _, f in front.iterrows():
        beats = (feasible.objective >= f.objective) & (feasible.cost <= f.cost)
        beats &= (feasible.objective > f.objective) | (feasible.cost < f.cost)
        assert not beats.any(), f"front mix {f.mix} is beaten"
    # Every mix within budget that is not on the front is beaten by one that is.
    off = feasible[~feasible.mix.isin(front.mix)]
    for _, m in off.iterrows():
        assert ((front.objective >= m.objective) & (front.cost <= m.cost)).any()


def test_non_dominated_by_hand():
    keep = non_dominated(np.array([1.0, 2.0, 2.0, 3.0, 0.5]), np.array([1.0, 1.0, 3.0, 4.0, 0.2]))
    assert keep.tolist() == [False, True, False, True, True]


def test_the_budget_holds_in_every_run_of_every_chosen_mix(tiny):
    """Recomputed from the stored runs, not from the summaries: each year's net cost of each run
    (the quantile is 1: every run) is within the yearly budget."""
    opt, run_dir = tiny
    chosen = pd.read_csv(run_dir / "chosen.csv")
    assert len(chosen) and (chosen.cost <= chosen.budget).all()
    for mix in chosen.mix:
        tables = sorted((run_dir / "runs").glob(f"{mix}-d*-s*.parquet"))
        assert len(tables) == opt.seeds
        for table in tables:
            runs = pd.read_parquet(table)
            a, b = effect.wide(runs[runs.scenario == LABEL]), effect.wide(runs[runs.scenario == opt.against])
            assert (effect.net_cost(a, b) <= opt.budget).all()
            assert effect.net_cost(a, b).max() > 0  # the mix spends something


def test_a_chosen_mix_is_a_scenario_file_that_gives_its_runs(tiny):
    opt, run_dir = tiny
    chosen = pd.read_csv(run_dir / "chosen.csv").iloc[-1]
    scenario = load(run_dir / f"chosen-{round(chosen.share * 100)}.toml")
    on = {mid for mid, cfg in scenario["measures"].items() if cfg["enabled"]} - {"N1"}
    assert on == {m for m in ("H1", "E2", "C2") if chosen[f"measures.{m}.enabled"] == 1}
    # The file gives the stored numbers again.
    task = {
        "task": "x",
        "point": 0,
        "seed": opt.seed,
        "scenario": str(run_dir / f"chosen-{round(chosen.share * 100)}.toml"),
        "against": opt.against,
        "scale": opt.scale,
        "end": opt.end,
        "parameters": {},
        "overrides": {},
        "against_overrides": {},
    }
    again = run_task(task)["indicators"]
    stored = pd.read_parquet(run_dir / "runs" / f"{chosen.mix}-d0-s{opt.seed}.parquet")
    pop = lambda t, s: t[(t.scenario == s) & (t.indicator == "population")].value.to_numpy()  # noqa: E731
    assert np.array_equal(pop(again, task["scenario"]), pop(stored, LABEL))


def test_an_interrupted_optimisation_resumes_to_the_same_result(tiny, tmp_path):
    opt, reference = tiny
    count = {"n": 0}

    def stop_after_some(_result):
        count["n"] += 1
        if count["n"] == 9:  # in the second generation
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_optimisation(opt, tmp_path, executor="serial", on_result=stop_after_some)
    run_dir = run_dir_for(opt, tmp_path)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["runs_finished"] == 9
    assert not (run_dir / "front.csv").exists()
    resumed = run_optimisation(opt, tmp_path, executor="serial")
    assert resumed == run_dir
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["already_finished"] == 9
    for name in ("evaluated.csv", "front.csv", "chosen.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(run_dir / name), pd.read_csv(reference / name))


def test_a_changed_optimisation_gets_its_own_directory(tiny):
    opt, run_dir = tiny
    assert run_dir_for(opt, run_dir.parent) == run_dir
    assert run_dir_for(replace(opt, budget=opt.budget * 2), run_dir.parent) != run_dir


def test_prim_finds_the_box_of_a_synthetic_case():
    rng = np.random.default_rng(1)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 400), "b": rng.uniform(0, 1, 400), "c": rng.uniform(0, 1, 400)})
    y = ((x.a > 0.6) & (x.b < 0.5)).to_numpy()
    box = find_box(x, y, threshold=0.9)
    assert set(box.limits) == {"a", "b"}  # c does not matter and is not restricted
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.05) and box.limits["b"][1] == pytest.approx(0.5, abs=0.05)
    assert box.density >= 0.9 and box.coverage >= 0.8
    assert box.mass == pytest.approx(0.4 * 0.5, abs=0.05)


def test_discovery_for_the_chosen_mix_writes_boxes_and_a_figure(tiny):
    opt, run_dir = tiny
    found = discover(opt, run_dir.parent, executor="serial")
    runs = pd.read_csv(found / "discovery_runs.csv")
    assert len(runs) == opt.discovery.samples * opt.discovery.seeds
    assert set(runs.columns) >= {"behaviour.policy_response", "conditions.job_growth_baotou", "pays_off"}
    boxes = pd.read_csv(found / "discovery.csv")
    assert runs.pays_off.any() and not runs.pays_off.all()  # the policy response's range decides it here
    assert set(boxes.box) == {"pays_off", "does_not_pay_off"} and (found / "discovery.png").exists()
    assert boxes.density.between(0, 1).all() and boxes.coverage.between(0, 1).all()


def test_a_runs_figures_follow_the_budget_rule_and_the_objective(tiny):
    """By hand, on two made-up runs: the mix has 100 more residents each year from 2022 and
    spends 3, 5 and 1 (×10^8 yuan) more in 2021-2023."""
    from model.optimise.robust import run_figures

    opt, _ = tiny
    years = [2020, 2021, 2022, 2023]
    rows = []
    for label, extra, cost in ((LABEL, [0, 0, 100, 100], [0, 3e8, 5e8, 1e8]), (opt.against, [0] * 4, [0.0] * 4)):
        for y, e, c in zip(years, extra, cost, strict=True):
            for name, value in (("population", 1000 + e), ("cost_total", c), ("months", 2 if y == 2020 else 12)):
                rows.append({"scenario": label, "year": y, "indicator": name, "value": float(value)})
    table = pd.DataFrame(rows)
    every = run_figures(table, replace(opt, budget_rule="every_year", year=2023))
    assert every["budget_cost"] == 5e8 and every["extra_population"] == 100 and every["residents"] == 100
    assert every["cost_per_additional_resident"] == pytest.approx(9e8 / 100)
    average = run_figures(table, replace(opt, budget_rule="average", year=2023))
    months = (2023 - 2022) * 12 + 12 - 10 + 1  # from the package's start month (2022-10) to the horizon
    assert average["budget_cost"] == pytest.approx(9e8 / (months / 12))
    years_lived = run_figures(table, replace(opt, outcome="discounted_resident_years", year=2023))
    rate, base = effect.social_discount_rate(), effect.discount_base_year()
    expected = 50 * (1 + rate) ** -(2022 - base) + 100 * (1 + rate) ** -(2023 - base)  # (0+100)/2, then 100
    assert years_lived["residents"] == pytest.approx(expected)


def test_posterior_draws_are_the_same_for_every_mix_and_its_counterfactual(tmp_path, monkeypatch):
    """With (stand-in) posterior draws, every mix is run with the same draws and seeds, and each
    draw goes to the counterfactual too: the counterfactual of a draw is the same for every mix,
    and a draw with no policy response gives the mix almost no extra residents."""
    from model.calibration import draws as posterior
    from model.runs.replicates import Draw

    settings = [
        {"behaviour": {"policy_response": 0.0, "candidate_flow_scale": 0.8}},
        {"behaviour": {"policy_response": 2.0, "candidate_flow_scale": 1.2}},
    ]
    stand_ins = [Draw(i, i, dict(s["behaviour"]), s) for i, s in enumerate(settings)]
    monkeypatch.setattr(posterior, "posterior_draws", lambda n: tuple(stand_ins[:n]))
    text = TINY.format(generations=1).replace("seeds = 2", "seeds = 1\nposterior_draws = 2")
    opt = load_optimisation(_write(tmp_path, text.replace('robustness = "worst"', 'robustness = "mean"')))
    run_dir = run_optimisation(opt, tmp_path / "results", executor="serial")
    counterfactual = {0: set(), 1: set()}
    for path in (run_dir / "runs").glob("*.parquet"):
        d = int(path.stem.split("-d")[1].split("-")[0])
        runs = pd.read_parquet(path)
        base = runs[(runs.scenario == opt.against) & (runs.indicator == "population")].value
        counterfactual[d].add(tuple(base.round(6)))
    assert len(counterfactual[0]) == 1 and len(counterfactual[1]) == 1  # one counterfactual per draw
    assert counterfactual[0] != counterfactual[1]  # the draw reached the counterfactual
    evaluated = pd.read_csv(run_dir / "evaluated.csv")
    assert (evaluated.runs == 2).all()
    spender = evaluated[evaluated.cost > 0].iloc[0]
    by_draw = []
    for d in (0, 1):
        runs = pd.read_parquet(run_dir / "runs" / f"{spender.mix}-d{d}-s{opt.seed}.parquet")
        a, b = effect.wide(runs[runs.scenario == LABEL]), effect.wide(runs[runs.scenario == opt.against])
        by_draw.append(float(effect.extra_residents(a, b).loc[opt.objective_year]))
    assert abs(by_draw[0]) < 0.2 * by_draw[1]
