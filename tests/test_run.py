"""Runs: the output contract, reproducibility, accounting, never overwriting, nothing lost."""

import gc
import json
import weakref

import pandas as pd
import pytest

from model.cli import main
from model.indicators import INDICATORS
from model.model import BaotouModel
from model.runs import runner
from model.runs.results import INDICATOR_COLUMNS


def _wide(indicators: pd.DataFrame) -> pd.DataFrame:
    return indicators.pivot_table(index=["seed", "year"], columns="indicator", values="value")


def test_cli_run_writes_the_output_contract(tmp_path, capsys):
    code = main(
        [
            "run",
            "baseline",
            "--seeds",
            "2",
            "--draws",
            "0",
            "--scale",
            "0.002",
            "--end",
            "2022-12",
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert code == 0
    (run_dir,) = tmp_path.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for key in ("scenario", "seeds", "scale", "package_version", "git_commit", "start_time", "wall_time_seconds"):
        assert key in manifest
    assert manifest["status"] == "complete" and manifest["seeds"] == [0, 1] and manifest["scale"] == 0.002
    assert manifest["scenario"]["period"]["end"] == "2022-12"
    table = pd.read_csv(run_dir / "indicators.csv")
    assert list(table.columns) == INDICATOR_COLUMNS
    assert set(INDICATORS) <= set(table.indicator)
    assert sorted(table.year.unique()) == [2020, 2021, 2022]
    start = table[table.indicator == "population_start"].value
    assert start.tolist() == pytest.approx([2_709_378, 2_709_378])
    for figure in ("population_components.png", "pyramid.png"):
        assert (run_dir / figure).stat().st_size > 10_000
    out = capsys.readouterr().out
    assert "population" in out and "2022" in out and str(run_dir) in out


def test_bad_scenario_exits_with_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\n[run]\nscale = -1.0\n')
    assert main(["run", str(bad), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bad.toml" in err and "run.scale" in err
    assert not (tmp_path / "r").exists()


def test_runs_never_overwrite_each_other(tmp_path, small_baseline):
    scenario = small_baseline(end="2020-12")
    first = runner.run_scenario(scenario, tmp_path, progress=False)
    second = runner.run_scenario(scenario, tmp_path, progress=False)
    assert first != second and first.exists() and second.exists()


def test_same_seed_same_numbers_different_seed_different_numbers(small_baseline):
    scenario = small_baseline()
    a, _ = runner.run_seed(scenario, 7)
    b, _ = runner.run_seed(scenario, 7)
    c, _ = runner.run_seed(scenario, 8)
    pd.testing.assert_frame_equal(a, b)
    assert not _wide(a).equals(_wide(c).rename(index={8: 7}))


def test_accounting_identity_holds_every_year(small_baseline):
    indicators, _ = runner.run_seed(small_baseline(end="2026-12"), 1)
    wide = _wide(indicators).loc[1]
    previous = wide.population_start.dropna().iloc[0]
    for _, row in wide.iterrows():
        change = row.population - previous
        assert change == pytest.approx(row.births - row.deaths + row.in_migration - row.out_migration, abs=1e-6)
        previous = row.population


def test_interrupted_run_keeps_finished_seeds(tmp_path, small_baseline, monkeypatch):
    real = runner.run_seed

    def fail_on_second(scenario, seed, on_month=None):
        if seed == 1:
            raise KeyboardInterrupt
        return real(scenario, seed, on_month)

    monkeypatch.setattr(runner, "run_seed", fail_on_second)
    with pytest.raises(KeyboardInterrupt):
        runner.run_scenario(small_baseline(seeds=2, end="2021-12"), tmp_path, progress=False)
    (run_dir,) = tmp_path.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["seeds_finished"] == [0]
    assert set(pd.read_csv(run_dir / "seeds" / "indicators-seed0.csv").seed) == {0}
    assert set(pd.read_csv(run_dir / "indicators.csv").seed) == {0}
    assert not list(run_dir.rglob("*.tmp"))


def test_person_view_and_model_is_garbage_collected(small_baseline):
    model = BaotouModel(small_baseline(end="2021-01"), seed=0)
    person_id = int(model.people.person_id[10])
    person = model.person(person_id)
    assert person.person_id == person_id and 0 <= person.age <= 110
    model.run()
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_the_network_counts_those_who_arrived_within_its_span(small_baseline):
    """Each month the network is the people who moved in within the last network_months months
    and are still here, by origin group: arrivals as the ledger saw them come, census people by
    their months in Baotou then; no one born here, so Baotou's natives have none."""
    import numpy as np

    from model.calendar import month_index

    scenario = small_baseline(scale=0.005, end="2022-12").with_overrides({"behaviour": {"network_recent_years": 0.5}})
    model = BaotouModel(scenario, seed=2)
    span = model.ledger.network_months
    assert span == 6
    p = model.people
    census = p.alive & (p.months_in_baotou < p.age_months)
    census_ids, census_months = p.person_id[census].copy(), p.months_in_baotou[census].astype(int)
    arrived: dict[int, int] = {}  # person id -> month of arrival
    record = model.ledger.arrived

    def arriving(people, rows):
        arrived.update(dict.fromkeys(people.person_id[rows].tolist(), model.month))
        record(people, rows)

    model.ledger.arrived = arriving
    checked = 0
    while model.running:
        model.step()
        month = model.month  # the next month: its network is counted from the people now
        model.ledger.new_month(model.people, month)
        p = model.people
        here = dict(zip(p.person_id[p.alive].tolist(), p.origin[p.alive].tolist(), strict=True))
        expected = np.zeros(4)
        elapsed = month - month_index(model.scenario.start)
        for pid, m in zip(census_ids.tolist(), census_months.tolist(), strict=True):
            if pid in here and m + elapsed <= span:
                expected[here[pid]] += 1
        for pid, came in arrived.items():
            if pid in here and month - came <= span:
                expected[here[pid]] += 1
        assert np.allclose(model.ledger.network(), expected * model.weight), month
        assert model.ledger.network()[0] == 0
        checked += expected[1:].sum() > 0
    assert checked > 20


def test_candidates_drawn_ahead_on_a_second_thread_are_the_ones_drawn_in_turn(small_baseline, monkeypatch):
    from model.world import outside as candidates

    scenario = small_baseline(end="2022-12")
    ahead, _ = runner.run_seed(scenario, 3)
    monkeypatch.setattr(candidates.CandidateFeed, "take", lambda feed, month: candidates.generate(feed.draw, month))
    in_turn, _ = runner.run_seed(scenario, 3)
    pd.testing.assert_frame_equal(ahead, in_turn)


def test_every_household_has_one_head(small_baseline):
    """Heads who die or leave alone (graduates) are replaced at once."""
    import numpy as np

    from model.categories import Role

    model = BaotouModel(small_baseline(scale=0.005, end="2027-12"), seed=4)
    model.run()
    p = model.people
    alive = p.alive
    heads = np.bincount(p.household_id[alive & (p.role == Role.HEAD)], minlength=model.people.next_household_id)
    households = np.unique(p.household_id[alive])
    assert (heads[households] == 1).all(), f"{np.count_nonzero(heads[households] != 1)} households without one head"


def test_family_members_joining_later_take_the_households_hukou(small_baseline):
    import numpy as np

    from model.categories import Role
    from model.people import households
    from model.people.choosers import Family, outside
    from model.stages import arrivals

    model = BaotouModel(small_baseline(scale=0.005, end="2021-06"), seed=5)
    model.step()
    p = model.people
    heads = np.flatnonzero(p.alive & (p.role == Role.HEAD))[:40]
    n = heads.size
    ch = outside(
        p.key[heads] + np.uint64(1),
        p.age_months[heads] // 12,
        p.education[heads],
        p.kind[heads],
        np.ones(n, np.int8),
        np.ones(n, bool),
        np.full((n, 3), -1),
    )
    family = Family(p.sex[heads], np.ones(n, bool), np.full((n, 3), -1))
    before = len(p)
    arrivals.arrive(
        p,
        model.context,
        model.package,
        model.ledger,
        model.pending,
        ch,
        family,
        np.zeros(n),
        np.ones(n, bool),
        household_ids=p.household_id[heads],
    )
    spouses = np.arange(before, len(p))
    head_of_spouse = households.head_of(p, p.household_id[spouses])
    assert spouses.size == n and p.hukou[head_of_spouse].any() and not p.hukou[head_of_spouse].all()
    assert (p.hukou[spouses] == p.hukou[head_of_spouse]).all()


def test_results_go_to_the_checkouts_results_folder_and_are_readable_by_others(tmp_path):
    import os
    import stat
    from pathlib import Path

    from model.runs import results

    root = Path(__file__).resolve().parent.parent
    if "BAOTOU_RESULTS" not in os.environ:
        assert results.RESULTS_DIR == root / "results"
    path = tmp_path / "table.csv"
    results.atomic_write_text(path, "a,b\n")
    assert stat.S_IMODE(path.stat().st_mode) == results.FILE_MODE
    assert results.FILE_MODE & stat.S_IROTH or os.umask(os.umask(0)) & stat.S_IROTH


def test_the_manifest_says_complete_only_once_every_file_is_written(tmp_path, small_baseline, monkeypatch):
    """A run whose figures fail is not marked complete; its tables are kept and it says so."""
    import json

    import pytest

    from model import plots

    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(plots, "save_run_figures", broken)
    with pytest.raises(OSError):
        runner.run_scenario(small_baseline(end="2021-02"), out=tmp_path, progress=False)
    (run_dir,) = tmp_path.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"].startswith("failed") and manifest["pid"] > 0
    assert (run_dir / "indicators.csv").exists()


def test_a_run_that_fails_in_its_first_seed_does_not_look_alive(tmp_path, small_baseline, monkeypatch):
    import json

    def fail(scenario, seed, on_month=None):
        raise MemoryError("out of memory")

    monkeypatch.setattr(runner, "run_seed", fail)
    with pytest.raises(MemoryError):
        runner.run_scenario(small_baseline(seeds=2, end="2021-12"), tmp_path, progress=False)
    (run_dir,) = tmp_path.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "failed: MemoryError: out of memory (no seed finished)"
