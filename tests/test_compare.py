"""The compare command: the 2022 package against the baseline with the same seeds."""

import json

import numpy as np
import pandas as pd
import pytest

from model.cli import main


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    code = main(
        [
            "compare",
            "policy_2022",
            "--against",
            "baseline",
            "--seeds",
            "3",
            "--draws",
            "0",
            "--scale",
            "0.005",
            "--end",
            "2024-12",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    (run_dir,) = out.iterdir()
    return run_dir


def test_compare_writes_effects_with_intervals_and_figures(compared):
    manifest = json.loads((compared / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["seeds"] == [0, 1, 2]
    assert manifest["scenario"]["name"] == "policy_2022" and manifest["against"]["name"] == "baseline"
    effects = pd.read_csv(compared / "effects.csv")
    assert list(effects.columns) == ["indicator", "year", "mean", "median", "p05", "p95", "seeds"]
    for name in (
        "extra_population",
        "extra_in_migration",
        "fewer_departures",
        "extra_in_migration_graduate",
        "cost_H3",
        "cost_total",
        "attributed_E2",
        "cost_per_additional_resident",
    ):
        assert name in set(effects.indicator), name
    ok = effects.dropna(subset=["mean"])
    assert (ok.p05 <= ok["mean"] + 1e-6).all() and (ok["mean"] <= ok.p95 + 1e-6).all()
    for figure in ("extra_population.png", "people_and_cost.png", "cost_per_additional_resident.png"):
        assert (compared / figure).stat().st_size > 10_000


def test_effects_are_differences_of_runs_with_the_same_seeds(compared):
    table = pd.read_csv(compared / "indicators.csv")
    wide = table.pivot_table(index=["scenario", "seed", "year"], columns="indicator", values="value")
    for seed in (0, 1, 2):
        s, b = wide.loc[("policy_2022", seed)], wide.loc[("baseline", seed)]
        effect = wide.loc[("policy_2022-vs-baseline", seed)]
        assert np.allclose(effect.extra_population, s.population - b.population)
        assert np.allclose(effect.fewer_departures, b.out_migration - s.out_migration)
        # Before the package starts the two runs are the same, draw for draw.
        assert (effect.loc[[2020, 2021], "extra_population"] == 0).all()
        assert (s.loc[2022:, "cost_total"] > 0).all()
        # The baseline pays only what happens anyway (N1's lines), as the package's run does: the
        # net cost is nothing before the package starts.
        assert (b.cost_total == b.cost_N1).all() and (b.cost_N1 == s.cost_N1).all()
        assert (effect.loc[[2020, 2021], "net_cost_total"] == 0).all()


def test_accounting_identity_holds_each_year_in_both_runs(compared):
    table = pd.read_csv(compared / "indicators.csv")
    for _key, rows in table[table.scenario.isin(["policy_2022", "baseline"])].groupby(["scenario", "seed"]):
        w = rows.pivot_table(index="year", columns="indicator", values="value")
        previous = w.population_start.dropna().iloc[0]
        for _, r in w.iterrows():
            assert r.population - previous == pytest.approx(
                r.births - r.deaths + r.in_migration - r.out_migration, abs=1e-6
            )
            previous = r.population


def test_the_printed_table_fits_a_terminal():
    import pandas as pd

    from model.runs.compare import PRINTED, format_effects

    rows = [
        {"indicator": name, "year": year, "mean": 2.1e5 * unit, "median": 2.1e5 * unit, "p05": 2.06e5 * unit}
        | {"p95": 2.1e5 * unit, "seeds": 5}
        for name, _, unit, _ in PRINTED
        for year in (2030, 2035)
    ]
    lines = format_effects(pd.DataFrame(rows)).splitlines()
    assert max(len(line) for line in lines) <= 110


def test_compare_writes_the_finance_view_by_measure_and_year(compared):
    from model.runs.compare import COSTS, WIDTH, format_finance

    table = pd.read_csv(compared / "costs.csv")
    assert list(table.columns) == ["measure", "amounts", "year", *COSTS]
    assert set(table.amounts) <= {"text", "assumed", "mixed", "none"}
    assert np.allclose(table.spending_text + table.spending_assumed, table.spending)
    effects = pd.read_csv(compared / "effects.csv")
    for name in ("discounted_cost_per_additional_resident_year", "deadweight_share", "extra_movers", "deadweight_T4"):
        assert name in set(effects.indicator), name
    shares = effects[effects.indicator.str.startswith("deadweight_share")].dropna(subset=["mean"])
    assert ((shares.p05 >= -1e-9) & (shares.p95 <= 100 + 1e-9)).all()
    assert max(len(line) for line in format_finance(effects).splitlines()) <= WIDTH
    numbers = table.drop(columns=["measure", "amounts"])
    assert all(pd.api.types.is_numeric_dtype(numbers[c]) for c in numbers), numbers.dtypes
    assert (
        table[table.measure == "total"].attributed.isna().all()
        and table[table.measure == "H1"].extra_population.isna().all()
    )


def test_compare_with_posterior_draws_runs_each_draw_over_its_seeds(tmp_path):
    """Two posterior draws x two seeds: four replicates, each draw's parameters recorded, the
    probability of exceeding the threshold and the variance shares written."""
    code = main(
        ["compare", "policy_2022", "--against", "baseline", "--seeds", "2", "--draws", "2", "--scale", "0.005",
         "--end", "2023-12", "--threshold", "0", "--out", str(tmp_path), "--quiet"]
    )  # fmt: skip
    assert code == 0
    (run_dir,) = tmp_path.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["posterior_draws"] == 2 and manifest["seeds"] == [0, 1, 2, 3]
    assert [manifest["draw_of_seed"][str(s)]["draw"] for s in range(4)] == [0, 0, 1, 1]
    draws = pd.read_csv(run_dir / "draws.csv")
    assert list(draws.seed) == [0, 1, 2, 3] and list(draws.draw) == [0, 0, 1, 1]
    chances = pd.read_csv(run_dir / "probabilities.csv").set_index("year")
    assert (chances.replicates == 4).all() and chances.threshold.eq(0).all()
    effects = pd.read_csv(run_dir / "indicators.csv")
    extra = effects[(effects.indicator == "extra_population") & (effects.year == 2023)].value
    assert chances.loc[2023, "probability_above"] == pytest.approx(float((extra > 0).mean()))
    ok = chances.dropna(subset=["parameter_share"])
    assert np.allclose(ok.parameter_share + ok.chance_share, 1.0)
