"""Ctrl-C and resuming (issue 13): one line saying what was kept and where, exit 130, a manifest
that says "interrupted", never a traceback (unless --debug), never swallowed; `run` and `compare`
finish an interrupted run with --resume DIR, reusing the seeds stored (checked by checksum) and
giving the numbers of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.runs import compare as compare_mod
from model.runs import interrupt, runner
from model.runs.results import ResumeRefused
from model.scenario import load

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--scale", "0.002", "--quiet"]


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def ctrl_c(args: list[str], ready, tmp_path: Path) -> tuple[subprocess.CompletedProcess, list[int]]:
    """Run the CLI in its own session, wait until ``ready()`` says it has started, then press
    Ctrl-C as a terminal does (SIGINT to the whole process group). Returns the finished process
    and the children it had when the signal went."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "model", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 240
        while not ready() and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the command ended before it could be interrupted: " + proc.stderr.read()
        children = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), children


def _one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), done.stderr
    return lines[0]


def _manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text())


def test_ctrl_c_in_run_says_what_was_kept_and_resume_gives_the_same_numbers(tmp_path):
    out = tmp_path / "out"
    command = ["run", "baseline", "--seeds", "6", "--draws", "0", "--end", "2024-12", *SMALL]
    # Pressed once the first seed is stored, so that the resume has something to reuse.
    done, _ = ctrl_c([*command, "--out", str(out)], lambda: any(out.glob("*/seeds/pyramids-seed0.csv")), tmp_path)
    line = _one_line(done)
    (run_dir,) = out.iterdir()
    manifest = _manifest(run_dir)
    assert manifest["status"] == "interrupted", manifest["status"]
    kept = manifest["seeds_finished"]
    assert 1 <= len(kept) < 6, kept
    assert f"{len(kept)} of 6 seeds finished" in line and f"--resume {run_dir}" in line, line
    stored = {s: (run_dir / "seeds" / f"indicators-seed{s}.csv").read_bytes() for s in kept}

    assert main([*command, "--resume", str(run_dir)]) == 0
    manifest = _manifest(run_dir)
    assert manifest["status"] == "complete" and manifest["seeds_finished"] == list(range(6))
    assert len(manifest["resumed"]) == 1
    assert all((run_dir / "seeds" / f"indicators-seed{s}.csv").read_bytes() == b for s, b in stored.items())
    # The same numbers, digit for digit, as a run never interrupted.
    assert main([*command, "--out", str(tmp_path / "whole")]) == 0
    (whole,) = (tmp_path / "whole").iterdir()
    for table in ("indicators.csv", "pyramids.csv"):
        assert (run_dir / table).read_bytes() == (whole / table).read_bytes(), table
    # A complete run is never resumed (nor overwritten).
    before = (run_dir / "indicators.csv").read_bytes()
    assert main([*command, "--resume", str(run_dir)]) == 2
    assert (run_dir / "indicators.csv").read_bytes() == before


def test_ctrl_c_in_compare_is_one_line_and_the_manifest_says_interrupted(tmp_path):
    out = tmp_path / "out"
    args = ["compare", "policy_2022", "--seeds", "3", "--draws", "0", "--end", "2025-12", *SMALL, "--out", str(out)]
    done, _ = ctrl_c(args, lambda: any(out.glob("*/manifest.json")), tmp_path)
    line = _one_line(done)
    (run_dir,) = out.iterdir()
    assert _manifest(run_dir)["status"].startswith("interrupted")
    assert str(run_dir) in line


def test_ctrl_c_in_an_experiment_ends_its_workers_and_says_what_was_kept(tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(
        '[experiment]\nname = "stop"\nscenario = "baseline"\nseeds = 4\nscale = 0.002\nend = "2023-12"\n'
        'outcomes = ["population_2030"]\n[levers]\n"behaviour.beta_income" = [1.5, 1.75, 2.0]\n'
    )
    out = tmp_path / "out"
    args = ["experiment", str(exp), "--executor", "processes", "--workers", "2", "--quiet", "--out", str(out)]
    # Pressed once the workers run (they write nothing before their first result).
    done, children = ctrl_c(args, lambda: any(out.glob("*/manifest.json")) and time.sleep(1.0) is None, tmp_path)
    line = _one_line(done)
    (run_dir,) = out.iterdir()
    manifest = _manifest(run_dir)
    assert manifest["status"] == "interrupted" and 0 <= manifest["runs_finished"] < 12
    assert f"{manifest['runs_finished']} of 12 runs finished" in line and "rerun the same command" in line
    assert children, "the experiment had started no worker"
    for pid in children:
        for _ in range(100):
            if _gone(pid):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"worker {pid} outlived the interrupted experiment")


def test_an_interrupt_before_anything_is_written_says_so(tmp_path, monkeypatch, capsys):
    from model.calibration import smm

    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(smm, "calibrate", pressed)
    assert main(["calibrate", "--scale", "0.002", "--seeds", "2", "--max-evaluations", "1"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "interrupted: nothing was written"


def test_a_swallowed_interrupt_still_stops_the_run(tmp_path, small_baseline, monkeypatch):
    """Ctrl-C inside code that catches and drops it (a library, a destructor) is not lost: the
    run stops at the next check, the cut seed is not stored, and it never says complete."""
    real = runner.run_seed

    def swallowing(scenario, seed, on_month=None):
        if seed == 1:
            try:
                signal.raise_signal(signal.SIGINT)
            except KeyboardInterrupt:
                pass  # dropped, as it once was
        return real(scenario, seed, on_month)

    monkeypatch.setattr(runner, "run_seed", swallowing)
    with interrupt.handled(), pytest.raises(KeyboardInterrupt) as err:
        runner.run_scenario(small_baseline(seeds=3, end="2021-06"), tmp_path, progress=False)
    (run_dir,) = tmp_path.iterdir()
    manifest = _manifest(run_dir)
    assert manifest["status"] == "interrupted" and manifest["seeds_finished"] == [0]
    assert "1 of 3 seeds finished" in (interrupt.kept(err.value) or "")


def test_debug_shows_the_traceback_instead_of_one_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "model", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
        )

    plain = cli("run", "no_such_scenario", "--quiet")
    assert plain.returncode == 2 and len(plain.stderr.strip().splitlines()) == 1
    for args in (["--debug", "run", "no_such_scenario"], ["run", "no_such_scenario", "--debug"]):
        shown = cli(*args)
        assert shown.returncode == 2 and "Traceback" in shown.stderr and "ScenarioError" in shown.stderr, args
    # Any other error is one line too (exit 1), naming it.
    (tmp_path / "file").write_text("")
    other = cli("run", "baseline", "--quiet", "--scale", "0.002", "--end", "2020-12", "--out", "file/sub")
    assert other.returncode in (1, 2) and "Traceback" not in other.stderr, other.stderr
    assert len(other.stderr.strip().splitlines()) == 1 and "file" in other.stderr, other.stderr


def test_compare_resumes_with_the_same_numbers_and_redoes_a_damaged_seed(tmp_path, monkeypatch):
    def scenarios():
        settings = {"run": {"seeds": 3, "scale": 0.002, "posterior_draws": 0}, "period": {"end": "2021-12"}}
        return load("policy_2022").with_overrides(settings), load("baseline").with_overrides(settings)

    whole = compare_mod.compare(*scenarios(), tmp_path / "whole", progress=False)
    real = compare_mod.run_pair

    def stop_at_seed_2(scenario, against, seed, on_month=None):
        if seed == 2:
            raise KeyboardInterrupt
        return real(scenario, against, seed, on_month)

    monkeypatch.setattr(compare_mod, "run_pair", stop_at_seed_2)
    with pytest.raises(KeyboardInterrupt):
        compare_mod.compare(*scenarios(), tmp_path / "cut", progress=False)
    (cut,) = (tmp_path / "cut").iterdir()
    assert _manifest(cut)["status"] == "interrupted" and _manifest(cut)["seeds_finished"] == [0, 1]
    # Damage one stored seed: it is set aside and run again.
    damaged = cut / "seeds" / "indicators-seed0.csv"
    damaged.write_text(damaged.read_text()[:-200])
    ran = []

    def counting(scenario, against, seed, on_month=None):
        ran.append(seed)
        return real(scenario, against, seed, on_month)

    monkeypatch.setattr(compare_mod, "run_pair", counting)
    assert compare_mod.compare(*scenarios(), tmp_path / "unused", progress=False, resume=cut) == cut
    assert sorted(set(ran)) == [0, 2], ran  # seed 1 reused, seed 0 redone (damaged), seed 2 missing
    assert (cut / "seeds" / "indicators-seed0.csv.damaged").exists()
    assert not (tmp_path / "unused").exists()
    assert _manifest(cut)["status"] == "complete"
    for table in ("effects.csv", "costs.csv", "indicators.csv", "pyramids.csv"):
        assert (cut / table).read_bytes() == (whole / table).read_bytes(), table


def test_resume_refuses_other_settings_and_a_live_run(tmp_path, small_baseline, monkeypatch):
    real = runner.run_seed

    def stop(scenario, seed, on_month=None):
        if seed == 1:
            raise KeyboardInterrupt
        return real(scenario, seed, on_month)

    monkeypatch.setattr(runner, "run_seed", stop)
    with pytest.raises(KeyboardInterrupt):
        runner.run_scenario(small_baseline(seeds=2, end="2021-03"), tmp_path, progress=False)
    (cut,) = tmp_path.iterdir()
    monkeypatch.setattr(runner, "run_seed", real)
    for other, words in (
        (small_baseline(seeds=3, end="2021-03"), ["run.seeds is 2 there and 3 here"]),
        (small_baseline(seeds=2, end="2021-04"), ["scenario.period.end", "'2021-03' there"]),
        (small_baseline(seeds=2, end="2021-03", scale=0.003), ["scale"]),
        (
            load("policy_2022").with_overrides(
                {"run": {"seeds": 2, "scale": 0.002, "posterior_draws": 0}, "period": {"end": "2021-03"}}
            ),
            [],
        ),
    ):
        with pytest.raises(ResumeRefused) as err:
            runner.run_scenario(other, tmp_path, progress=False, resume=cut)
        message = str(err.value)
        assert "\n" not in message and str(cut) in message and "other settings" in message, message
        assert all(w in message for w in words), message
    # A run whose process still runs is left alone.
    manifest = _manifest(cut)
    manifest.update(status="running", pid=os.getppid())
    (cut / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ResumeRefused, match="still going"):
        runner.run_scenario(small_baseline(seeds=2, end="2021-03"), tmp_path, progress=False, resume=cut)
    with pytest.raises(ResumeRefused, match="no manifest.json"):
        runner.run_scenario(small_baseline(seeds=2, end="2021-03"), tmp_path, progress=False, resume=tmp_path / "x")
    assert pd.read_csv(cut / "indicators.csv").seed.unique().tolist() == [0]
