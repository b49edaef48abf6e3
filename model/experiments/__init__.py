"""Experiments at scale: ensembles, sweeps and sensitivity analysis, on any executor, resumable.

``run_experiment(exp)`` lays out the design's points, runs every (point, seed) not yet finished
(each run's result is written as it finishes, atomically), then writes the combined tables,
the sensitivity indices and the figures. The results directory is named by the experiment and a
hash of its content, so running the same command again resumes, and a changed experiment never
overwrites an earlier one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from model import __version__
from model.experiments import design
from model.experiments.executors import execute
from model.experiments.identity import digest
from model.experiments.sensitivity import analyse
from model.experiments.spec import Experiment
from model.experiments.tasks import outcomes
from model.runs import interrupt
from model.runs.results import FILE_MODE, RESULTS_DIR, atomic_write_csv, atomic_write_text, git_commit
from model.scenario import check_name


def run_dir_for(exp: Experiment, out: Path = RESULTS_DIR) -> Path:
    check_name(exp.name, "key 'experiment.name'")  # the directory stays inside ``out``
    return Path(out) / f"experiment-{exp.name}-{digest(exp)}"


def tasks_for(exp: Experiment) -> tuple[list[str], np.ndarray, list[dict]]:
    names = design.problem(exp)["names"]
    x = design.points(exp)
    uncertain = [i for i, n in enumerate(names) if n in exp.uncertain]
    reps = exp.replicates()
    tasks = []
    for p, values in enumerate(x):
        for seed in reps.seeds:
            draw = reps.draw_of(seed)
            tasks.append(
                {
                    "task": f"p{p:05d}-s{seed}",
                    "point": p,
                    "seed": seed,
                    # The posterior draw this seed runs with (both runs), under the point's own values.
                    "draw": None if draw is None else draw.number,
                    "draw_settings": {} if draw is None else {k: dict(v) for k, v in draw.settings.items()},
                    "scenario": exp.scenario,
                    "against": exp.against,
                    "scale": exp.scale,
                    "end": exp.end,
                    "parameters": dict(zip(names, map(float, values), strict=True)),
                    "overrides": design.overrides(names, values),
                    # The counterfactual takes the uncertain parameters, not the levers (policy choices).
                    "against_overrides": design.overrides([names[i] for i in uncertain], values[uncertain]),
                }
            )
    return names, x, tasks


def store_result(run_dir: Path, result: dict) -> None:
    runs = run_dir / "runs"
    runs.mkdir(exist_ok=True)
    if result["status"] != "ok":
        failure = {k: v for k, v in result.items() if k != "indicators"}
        atomic_write_text(run_dir / "failures" / f"{result['task']}.json", json.dumps(failure, indent=2) + "\n")
        return
    fd, tmp = tempfile.mkstemp(dir=runs, prefix=f".{result['task']}.", suffix=".parquet.tmp")
    os.fchmod(fd, FILE_MODE)  # readable by colleagues, as every result file
    os.close(fd)
    result["indicators"].to_parquet(tmp, index=False)
    checksum = _sha256(Path(tmp))
    os.replace(tmp, runs / f"{result['task']}.parquet")
    summary = {k: result[k] for k in ("task", "point", "seed", "parameters", "outcomes")}
    summary["parquet_sha256"] = checksum  # a damaged or swapped table is found on resume
    # The JSON is written last: a run counts as finished only when both files are there.
    atomic_write_text(runs / f"{result['task']}.json", json.dumps(summary) + "\n")
    stale = run_dir / "failures" / f"{result['task']}.json"
    stale.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_record(runs: Path, name: str) -> dict | None:
    """The stored record of run ``name`` if both its files are there and whole: the JSON parses,
    names this run, and the table's checksum is the one recorded. Otherwise None (redo it)."""
    record, table = runs / f"{name}.json", runs / f"{name}.parquet"
    if not (record.exists() and table.exists()):
        return None
    try:
        stored = json.loads(record.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(stored, dict) or stored.get("task") != name or stored.get("parquet_sha256") != _sha256(table):
        return None
    return stored


def finished(run_dir: Path, tasks: list[dict] | None = None, repair: bool = False) -> set[str]:
    """Tasks whose two files are both there and whole; with ``repair``, a truncated, empty or
    swapped file is set aside as ``*.damaged`` so that the run is redone. Given ``tasks``, their
    stored parameters and seed must be the task's: a mismatch is refused rather than mixed in."""
    runs = run_dir / "runs"
    if not runs.exists():
        return set()
    done = set()
    for record in runs.glob("*.json"):
        name = record.stem
        if stored_record(runs, name) is not None:
            done.add(name)
        elif repair:
            for path in (record, runs / f"{name}.parquet"):
                if path.exists():
                    path.replace(path.with_name(path.name + ".damaged"))
    for task in tasks or []:
        if task["task"] in done:
            stored = json.loads((runs / f"{task['task']}.json").read_text())
            if stored["parameters"] != task["parameters"] or stored["seed"] != task["seed"]:
                raise RuntimeError(
                    f"{run_dir}: stored run {task['task']} has other parameters than the experiment's; "
                    "it belongs to a different experiment"
                )
    return done


def run_experiment(
    exp: Experiment,
    out: Path = RESULTS_DIR,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    on_result: Callable[[dict], None] | None = None,
) -> Path:
    run_dir = run_dir_for(exp, out)
    run_dir.mkdir(parents=True, exist_ok=True)
    names, x, tasks = tasks_for(exp)
    done = finished(run_dir, tasks, repair=True)
    pending = [t for t in tasks if t["task"] not in done]
    manifest = {
        "experiment": exp.content(),
        "file": str(exp.path),
        "parameters": names,
        "points": len(x),
        "runs": len(tasks),
        **exp.replicates().manifest(),
        "already_finished": len(done),
        "executor": executor,
        "package_version": __version__,
        "git_commit": git_commit(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "status": "running",
    }
    atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    atomic_write_csv(run_dir / "points.csv", pd.DataFrame(x, columns=names).rename_axis("point").reset_index())
    failures: list[dict] = []

    def record(result: dict) -> None:
        store_result(run_dir, result)
        if result["status"] != "ok":
            failures.append(result)
        if on_result:
            on_result(result)
        interrupt.check()  # an interrupt caught on the way still ends the experiment

    try:
        execute(pending, record, executor=executor, workers=workers, scheduler=scheduler)
    except BaseException as err:
        # Each finished run is already stored; say how this session ended and what is kept.
        stored = len(finished(run_dir))
        how = "interrupted" if isinstance(err, KeyboardInterrupt) else f"failed: {type(err).__name__}: {err}"
        manifest.update(
            status=how, runs_finished=stored, finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )
        atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
        interrupt.note_kept(
            err, f"{stored} of {len(tasks)} runs finished, kept in {run_dir / 'runs'}; rerun the same command to resume"
        )
        raise
    manifest["failed"] = [{"task": f["task"], "parameters": f["parameters"], "error": f["error"]} for f in failures]
    manifest["status"] = "complete" if not failures else "incomplete"
    if not failures:
        try:
            combine(exp, run_dir, names, x, tasks)
            interrupt.check()  # never "complete" after a Ctrl-C, even one caught on the way
        except BaseException as err:
            how = "interrupted" if isinstance(err, KeyboardInterrupt) else f"failed ({type(err).__name__}: {err})"
            manifest["status"] = f"{how} while combining the runs (every run is stored in runs/)"
            atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
            interrupt.note_kept(
                err, f"every run finished, kept in {run_dir / 'runs'}; rerun the same command to combine them"
            )
            raise
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return run_dir


def combine(exp: Experiment, run_dir: Path, names: list[str], x: np.ndarray, tasks: list[dict]) -> None:
    """The whole experiment's tables, sensitivity indices and figures, from the finished runs."""
    from model import plots

    runs = run_dir / "runs"
    table = pd.concat([pd.read_parquet(runs / f"{t['task']}.parquet") for t in tasks], ignore_index=True)
    tmp = run_dir / ".runs.parquet.tmp"
    table.to_parquet(tmp, index=False)
    tmp.replace(run_dir / "runs.parquet")
    records = []
    for t in tasks:
        # Outcomes come from the stored indicators, so new outcomes apply to runs already made.
        rows = table[(table.point == t["point"]) & (table.seed == t["seed"])]
        against = rows[rows.scenario == exp.against] if exp.against else None
        result = outcomes(rows[rows.scenario == exp.scenario], against)
        drawn = {"draw": t["draw"]} if exp.draws else {}
        records.append({"point": t["point"], "seed": t["seed"], **drawn, **t["parameters"], **result})
    per_run = pd.DataFrame(records)
    atomic_write_csv(run_dir / "outcomes.csv", per_run)
    outcome_cols = [c for c in exp.outcomes if c in per_run.columns]
    by_point = per_run.groupby("point")[[*names, *outcome_cols]].mean()
    atomic_write_csv(run_dir / "summary.csv", by_point.reset_index())
    figures = []
    if exp.design in ("sobol", "morris"):
        indices = analyse(exp, x, by_point[outcome_cols])
        atomic_write_csv(run_dir / "sensitivity.csv", indices)
        figures.append(("sensitivity.png", plots.sensitivity(indices, exp.name, exp.design)))
    else:
        figures.append(("sweep.png", plots.sweep(per_run, names, outcome_cols, exp.name)))
    for filename, fig in figures:
        fig.savefig(run_dir / filename, dpi=120)
        plots.plt.close(fig)
