"""The best mix of measures for a budget: a multi-objective search (NSGA-II, pymoo) over the
measures an optimisation file lets vary, on the experiments' executors and store.

``run_optimisation(opt)`` asks NSGA-II for a generation of mixes, runs each mix with every
(parameter draw, seed) against the counterfactual with the same draw and seed (each run stored
as it finishes, as an experiment's are: ``runs/<mix>-d<draw>-s<seed>.{parquet,json}``), tells
the search the robust extra residents (to maximise) and the cost (to minimise, at most the
yearly budget), and so on for the file's generations. Then it writes every mix evaluated, the
Pareto front of cost against extra residents among those within budget, the chosen mixes (the
best within each share of the budget) with their uncertainty, a scenario file for each, and the
figure. The results directory is named by the optimisation and a hash of everything that decides
its numbers: rerunning the same command resumes (the search is seeded, so it asks for the same
mixes and finds their runs stored), and a changed file or model never overwrites an earlier one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model import __version__
from model.experiments import finished, store_result, stored_record
from model.experiments.executors import execute
from model.optimise import mix as mixes
from model.optimise.robust import LABEL, draw_overrides, non_dominated, run_figures, summarise
from model.optimise.spec import Optimisation
from model.runs import interrupt
from model.runs.results import RESULTS_DIR, atomic_write_csv, atomic_write_text, code_digest, git_commit
from model.scenario import check_name, load

CHOSEN = "chosen-{share}.toml"  # a chosen mix's scenario file, by its share of the budget in percent


def digest(opt: Optimisation) -> str:
    """A short hash of everything that decides the optimisation's results: the file's settings,
    the resolved base and counterfactual, the parameter draws and the model's code and data."""
    decides = {
        # The discovery has its own experiment directory, so its settings are left out here.
        "content": {k: v for k, v in opt.content().items() if k not in ("description", "discovery")},
        "scenario": load(opt.scenario).values,
        "against": load(opt.against).values,
        "draws": draw_overrides(opt),
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(decides, sort_keys=True, default=str).encode()).hexdigest()[:8]


def run_dir_for(opt: Optimisation, out: Path = RESULTS_DIR) -> Path:
    check_name(opt.name, "key 'optimisation.name'")  # the directory stays inside ``out``
    return Path(out) / f"optimisation-{opt.name}-{digest(opt)}"


def tasks_for(opt: Optimisation, mix: mixes.Mix, draws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A mix's runs: one per (draw, seed), each against the counterfactual with the same draw and seed."""
    overrides = mixes.overrides(opt, mix)
    tasks = []
    for d, draw in enumerate(draws):
        for seed in range(opt.seed, opt.seed + opt.seeds):
            tasks.append(
                {
                    "task": f"{mixes.name(mix)}-d{d}-s{seed}",
                    "point": mixes.name(mix),
                    "seed": seed,
                    "scenario": opt.scenario,
                    "against": opt.against,
                    "label": LABEL,
                    "scale": opt.scale,
                    "end": opt.end,
                    "parameters": {**mix, "draw": float(d)},
                    "overrides": _merge(draw, overrides),
                    "against_overrides": draw,
                }
            )
    return tasks


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class Evaluator:
    """Runs the mixes not yet stored and summarises each over its runs."""

    def __init__(
        self,
        opt: Optimisation,
        run_dir: Path,
        executor: str,
        workers: int | None,
        scheduler: str | None,
        on_result: Callable[[dict], None] | None = None,
    ) -> None:
        self.opt, self.run_dir = opt, run_dir
        self.executor, self.workers, self.scheduler, self.on_result = executor, workers, scheduler, on_result
        self.draws = draw_overrides(opt)
        self.ran = 0

    def __call__(self, batch: list[mixes.Mix]) -> list[dict[str, float]]:
        tasks = {t["task"]: t for m in batch for t in tasks_for(self.opt, m, self.draws)}
        done = finished(self.run_dir, list(tasks.values()), repair=True)
        # By draw and seed first: each worker meets the same counterfactual over and over (kept in memory).
        pending = sorted(
            (t for t in tasks.values() if t["task"] not in done), key=lambda t: (t["parameters"]["draw"], t["seed"])
        )
        failures: list[dict] = []

        def record(result: dict) -> None:
            if result["status"] == "ok":
                result["outcomes"] = {**result["outcomes"], **run_figures(result["indicators"], self.opt)}
            store_result(self.run_dir, result)
            self.ran += 1
            if result["status"] != "ok":
                failures.append(result)
            if self.on_result:
                self.on_result(result)
            interrupt.check()

        execute(pending, record, executor=self.executor, workers=self.workers, scheduler=self.scheduler)
        if failures:
            first = failures[0]
            raise RuntimeError(
                f"{len(failures)} run(s) failed, e.g. {first['task']} ({first['error']}), recorded in "
                f"{self.run_dir / 'failures'}; rerun the same command to retry them"
            )
        runs = self.run_dir / "runs"
        out = []
        for m in batch:
            records = [stored_record(runs, t["task"]) for t in tasks_for(self.opt, m, self.draws)]
            out.append(summarise([r["outcomes"] for r in records if r is not None], self.opt))
        return out


def search(
    opt: Optimisation,
    evaluate: Callable[[list[mixes.Mix]], list[dict[str, float]]],
    on_generation: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """NSGA-II over the levers; every mix it asks for, by generation, with its summary."""
    from pymoo.algorithms.moo.nsga2 import NSGA2, RankAndCrowding
    from pymoo.core.mixed import MixedVariableDuplicateElimination, MixedVariableMating, MixedVariableSampling
    from pymoo.core.problem import Problem

    problem = Problem(vars=mixes.variables(opt), n_obj=2, n_ieq_constr=1)
    algorithm = NSGA2(
        pop_size=opt.population,
        sampling=MixedVariableSampling(),
        mating=MixedVariableMating(eliminate_duplicates=MixedVariableDuplicateElimination()),
        eliminate_duplicates=MixedVariableDuplicateElimination(),
        survival=RankAndCrowding(),
    )
    algorithm.setup(problem, termination=("n_gen", opt.generations), seed=opt.search_seed, verbose=False)
    rows = []
    generation = 0
    while algorithm.has_next():
        population = algorithm.ask()
        batch = [mixes.from_pymoo(opt, x) for x in population.get("X")]
        summaries = evaluate(batch)
        # pymoo minimises: fewer residents is worse, more cost is worse, cost above budget infeasible.
        population.set("F", np.array([[-s["objective"], s["cost"]] for s in summaries]))
        population.set("G", np.array([[s["cost"] - opt.budget] for s in summaries]))
        algorithm.tell(infills=population)
        for m, s in zip(batch, summaries, strict=True):
            rows.append({"generation": generation, "mix": mixes.name(m), **s, **m})
        generation += 1
        if on_generation:
            on_generation(generation)
    return pd.DataFrame(rows)


def front_and_chosen(opt: Optimisation, evaluated: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Pareto front among the mixes within budget (each mix once) and, for each share of the
    budget, the mix on it with the most robust extra residents at no more cost than that share."""
    unique = evaluated.drop_duplicates("mix").drop(columns="generation")
    feasible = unique[unique.within_budget == 1].reset_index(drop=True)
    front = feasible[non_dominated(feasible.objective.to_numpy(), feasible.cost.to_numpy())]
    front = front.sort_values(["cost", "objective"]).reset_index(drop=True)
    chosen = []
    for share in sorted(opt.shares):
        within = front[front.cost <= share * opt.budget]
        if len(within):
            best = within.iloc[int(within.objective.to_numpy().argmax())]
            chosen.append({"share": share, "budget": share * opt.budget, **best.to_dict()})
    return front, pd.DataFrame(chosen)


def run_optimisation(
    opt: Optimisation,
    out: Path = RESULTS_DIR,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    on_result: Callable[[dict], None] | None = None,
    on_generation: Callable[[int], None] | None = None,
) -> Path:
    """Run (or resume) an optimisation; returns its results directory."""
    run_dir = run_dir_for(opt, out)
    run_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "optimisation": opt.content(),
        "file": str(opt.path),
        "runs_per_mix": opt.draws * opt.seeds,
        "already_finished": len(finished(run_dir)),
        "executor": executor,
        "package_version": __version__,
        "git_commit": git_commit(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "status": "running",
    }
    atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    evaluate = Evaluator(opt, run_dir, executor, workers, scheduler, on_result)
    try:
        evaluated = search(opt, evaluate, on_generation)
        write_results(opt, run_dir, evaluated)
        interrupt.check()  # never "complete" after a Ctrl-C, even one caught on the way
    except BaseException as err:
        stored = len(finished(run_dir))
        how = "interrupted" if isinstance(err, KeyboardInterrupt) else f"failed: {type(err).__name__}: {err}"
        manifest.update(
            status=how, runs_finished=stored, finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )
        atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
        interrupt.note_kept(
            err, f"{stored} runs finished, kept in {run_dir / 'runs'}; rerun the same command to resume"
        )
        raise
    manifest.update(
        status="complete",
        runs_run=evaluate.ran,
        mixes_evaluated=int(evaluated.mix.nunique()),
        finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return run_dir


def write_results(opt: Optimisation, run_dir: Path, evaluated: pd.DataFrame) -> None:
    """evaluated.csv, front.csv, chosen.csv, a scenario file per chosen mix and front.png."""
    from model.optimise import figures as figs

    front, chosen = front_and_chosen(opt, evaluated)
    for table in (front, chosen):  # the mix in words, for spreadsheets and notebooks
        if len(table):
            where = list(table.columns).index("mix") + 1
            table.insert(where, "measures", [figs.describe(opt, r) for _, r in table.iterrows()])
    atomic_write_csv(run_dir / "evaluated.csv", evaluated)
    atomic_write_csv(run_dir / "front.csv", front)
    atomic_write_csv(run_dir / "chosen.csv", chosen)
    levers = [lever.path for lever in opt.levers]
    for _, row in chosen.iterrows():
        share = round(row.share * 100)
        m = {k: float(row[k]) for k in levers if k in row and pd.notna(row[k])}
        comment = (
            f"Chosen by the optimisation {opt.name} ({opt.path}) for {share} % of the budget of "
            f"{opt.budget:.6g} yuan a year ({opt.budget_rule}):\n"
            f"{opt.outcome} in {opt.objective_year}, {opt.robustness} rule: {row.objective:.6g} "
            f"(5-95 % over {int(row.runs)} runs: {row.residents_p05:.6g} to {row.residents_p95:.6g});\n"
            f"cost {row.cost:.6g} yuan a year. Compare it: python -m model compare FILE --against {opt.against}"
        )
        text = mixes.scenario_file(opt, m, f"{opt.name}-{share}", comment)
        atomic_write_text(run_dir / CHOSEN.format(share=share), text)
    fig = figs.front(opt, evaluated, front, chosen)
    tmp = run_dir / ".front.png.tmp.png"
    fig.savefig(tmp, dpi=120)
    figs.plt.close(fig)
    tmp.replace(run_dir / "front.png")
