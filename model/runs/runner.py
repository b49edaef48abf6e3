"""Running a scenario over seeds and writing its results directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import plots
from model.categories import Sex
from model.model import BaotouModel
from model.runs import interrupt
from model.runs.replicates import Replicates, at_point
from model.runs.results import RESULTS_DIR, RunWriter, StoredSeeds, open_run
from model.scenario import Scenario


def run_seed(scenario: Scenario, seed: int, on_month=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One replicate: its indicators (long form) and its first and last population pyramids."""
    model = BaotouModel(scenario, seed=seed)
    model.run(on_month)
    return _tables(model, scenario, seed, books=False)


def with_draw(scenario: Scenario, reps: Replicates, seed: int) -> Scenario:
    """The scenario a replicate runs: with its posterior draw's parameter values, if any."""
    draw = reps.draw_of(seed)
    return scenario if draw is None else scenario.with_overrides(dict(draw.settings), origin=draw.label())


def run_pair(
    scenario: Scenario, against: Scenario, seed: int, on_month=None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A scenario and its counterfactual with the same seed (common random numbers): the
    counterfactual first, then the scenario with who was in Baotou when in it, for the books'
    deadweight. Returns (indicators, pyramids) of the scenario, then of the counterfactual; each
    run's indicators carry its books' rows (``model.indicators.BOOKS``) too."""
    counterfactual = BaotouModel(against, seed=seed)
    counterfactual.run(on_month)
    model = BaotouModel(scenario, seed=seed, counterfactual=counterfactual.ledger.presence())
    model.run(on_month)
    ind_a, pyr_a = _tables(model, scenario, seed, books=True)
    ind_b, pyr_b = _tables(counterfactual, against, seed, books=True)
    return ind_a, pyr_a, ind_b, pyr_b


def _tables(model: BaotouModel, scenario: Scenario, seed: int, books: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A finished run's indicators (and, with ``books``, its books' rows) and its pyramids."""
    indicators = pd.DataFrame(model.indicators() + (model.books() if books else []))
    indicators.insert(0, "seed", seed)
    indicators.insert(0, "scenario", scenario.name)
    first_year, last_year = int(scenario.start[:4]), int(scenario.end[:4])
    rows = []
    for when, year in (("start", first_year), ("end", last_year)):
        counts = model.pyramids[when]
        for sex in Sex:
            rows.append(
                pd.DataFrame(
                    {
                        "when": when,
                        "date": scenario.start if when == "start" else scenario.end,
                        "year": year,
                        "sex": sex.name.lower(),
                        "age": np.arange(counts.shape[1]),
                        "persons": counts[sex],
                    }
                )
            )
    pyramids = pd.concat(rows, ignore_index=True)
    pyramids.insert(0, "seed", seed)
    pyramids.insert(0, "scenario", scenario.name)
    return indicators, pyramids


def collect_seeds(
    writer: RunWriter,
    seeds: list[int],
    bar: tqdm,
    one_seed: Callable[[int], tuple[pd.DataFrame, pd.DataFrame]],
    done: StoredSeeds | None = None,
) -> tuple[list, list]:
    """Run ``one_seed(seed) -> (indicators, pyramids)`` for each seed not ``done`` already (a
    resumed run's stored seeds), writing each as it finishes; the tables come in seed order.

    An interruption or failure writes what finished, marks the run interrupted or failed, notes
    on the exception what was kept, and re-raises.
    """
    done = done or {}
    indicators, pyramids = [], []
    try:
        for seed in seeds:
            if seed in done:
                ind, pyr = done[seed]
            else:
                bar.set_postfix(seed=seed)
                ind, pyr = one_seed(seed)
                interrupt.check()  # an interrupt lost on the way: this seed may be cut short
                writer.seed_finished(seed, ind, pyr)
            indicators.append(ind)
            pyramids.append(pyr)
    except BaseException as err:
        status = "interrupted" if isinstance(err, KeyboardInterrupt) else f"failed: {type(err).__name__}: {err}"
        finished = len(writer.manifest["seeds_finished"])
        if finished:
            writer.finish(pd.concat(indicators), pd.concat(pyramids), status=status)
        else:
            writer.close(f"{status} (no seed finished)")
        resume = f"rerun the same command with --resume {writer.dir}"
        interrupt.note_kept(
            err,
            f"{finished} of {len(seeds)} seeds finished, kept in {writer.dir}; to finish, {resume}"
            if finished
            else f"no seed had finished; {writer.dir} holds only its manifest (to start again there, {resume})",
        )
        raise
    finally:
        bar.close()
    return indicators, pyramids


def write_outputs(writer: RunWriter, write: Callable[[], None]) -> None:
    """Write the tables and figures once every seed finished, then say "complete" (last)."""
    kept = f"every seed finished, kept in {writer.dir / 'seeds'}; to write the tables and figures, "
    kept += f"rerun the same command with --resume {writer.dir}"
    try:
        write()
        interrupt.check()  # never "complete" after a Ctrl-C, even one caught on the way
    except BaseException as err:
        how = "interrupted" if isinstance(err, KeyboardInterrupt) else f"failed ({type(err).__name__}: {err})"
        writer.close(f"{how} while writing the tables or figures (every seed finished: see seeds/)")
        interrupt.note_kept(err, kept)
        raise
    writer.close("complete")


def run_scenario(
    scenario: Scenario,
    out: Path = RESULTS_DIR,
    progress: bool = True,
    resume: Path | None = None,
    reps: Replicates | None = None,
) -> Path:
    """Run every replicate of ``scenario``, writing results as they finish; returns the run
    directory. ``reps``: the seeds and their parameter sets (``model.runs.replicates``; default
    the scenario's seeds at the calibrated point). With ``resume`` (an interrupted or failed run
    of the same scenario and settings), the seeds stored there are reused and only the others
    run."""
    reps = at_point(scenario["run"]) if reps is None else reps
    seeds = reps.seeds
    manifest = {"scenario": scenario.to_dict(), "seeds": seeds, "scale": scenario["run"]["scale"], **reps.manifest()}
    writer, done = open_run(Path(out), scenario.name, manifest, resume)
    run_dir = writer.dir
    todo = len([s for s in seeds if s not in done])
    bar = tqdm(total=scenario.months * todo, unit="month", desc=scenario.name, disable=not progress, leave=False)

    def on_month() -> None:
        interrupt.check()
        bar.update(1)

    all_ind, all_pyr = collect_seeds(
        writer, seeds, bar, lambda seed: run_seed(with_draw(scenario, reps, seed), seed, on_month), done
    )
    indicators, pyramids = pd.concat(all_ind, ignore_index=True), pd.concat(all_pyr, ignore_index=True)

    def write() -> None:
        writer.tables(indicators, pyramids)
        plots.save_run_figures(run_dir, indicators, pyramids)

    write_outputs(writer, write)
    return run_dir


def summary(indicators: pd.DataFrame, names=("population", "births", "deaths", "net_migration")) -> pd.DataFrame:
    """Mean and 90 % interval over seeds, by year, for a few indicators (persons)."""
    table = indicators[indicators.indicator.isin(names)]
    grouped = table.groupby(["indicator", "year"]).value
    out = pd.DataFrame({"mean": grouped.mean(), "p05": grouped.quantile(0.05), "p95": grouped.quantile(0.95)})
    return out.reset_index()


def format_summary(indicators: pd.DataFrame, uncertainty: str | None = None) -> str:
    """A plain table narrow enough for a terminal: one row per year with the mean, and under it
    the 5-95 % range over the replicates (``uncertainty`` says what they include; by default
    seeds at the calibrated point: chance only)."""
    s = summary(indicators)
    n_seeds = indicators.seed.nunique()
    names = ("population", "births", "deaths", "net_migration")
    width = 26  # room for a range such as "2,760,100 to 2,771,300"
    lines = [
        f"Persons at full scale: mean, and under it the 5-95 % range over {n_seeds} replicate(s):",
        f"  {uncertainty or f'{n_seeds} seed(s) at the calibrated point estimates: chance only'}",
        f"{'year':>4}" + "".join(f"{n.replace('_', ' '):>{width}}" for n in names),
    ]
    for year, rows in s.groupby("year"):
        means, ranges = [], []
        for name in names:
            r = rows[rows.indicator == name].iloc[0]
            means.append(f"{r['mean']:>{width},.0f}")
            ranges.append(f"{r.p05:,.0f} to {r.p95:,.0f}".rjust(width))
        lines.append(f"{year:>4}" + "".join(means))
        lines.append(" " * 4 + "".join(ranges))
    return "\n".join(lines)
