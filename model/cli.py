"""Command line: ``python -m model run SCENARIO [--seeds N] [--scale S] [--start/--end] [--out DIR]``.

Every error is one line on stderr (exit 2 for a refused input, 1 for anything else) and Ctrl-C
one line saying what was kept and where (exit 130); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from model.runs import interrupt
from model.runs.results import RESULTS_DIR
from model.scenario import ScenarioError, load


class _Parser(argparse.ArgumentParser):
    """Usage mistakes as one line (``error: ...``) and exit code 2, like a refused scenario."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (see --help)\n")


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r}; allowed: a whole number of at least {minimum}")
        return value

    parse.__name__ = "whole number"
    return parse


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and 0 < value <= 1):
        raise argparse.ArgumentTypeError(f"{text!r}; allowed: a finite number above 0 and at most 1")
    return value


DEBUG_HELP = "show the full traceback of any error or interrupt instead of the one-line message"
RESUME_HELP = (
    "finish the interrupted or failed run in DIR (same command and options as the one that started it): "
    "the seeds stored there are checked and reused, only the others run"
)


DRAWS_HELP = (
    "parameter sets from the calibration's posterior, each over the seeds (overrides run.posterior_draws; "
    "0: the calibrated point only, chance alone)"
)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description="Baotou population model")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    # Also after the command (``run X --debug``); SUPPRESS keeps the value given before it.
    debug = _Parser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    add_parser = sub.add_parser

    def with_debug(*args, **kwargs):
        return add_parser(*args, parents=[debug], **kwargs)

    sub.add_parser = with_debug  # type: ignore[method-assign]
    run = sub.add_parser("run", help="run a scenario over seeds and write results/<run-id>/")
    run.add_argument("scenario", help="scenario name in scenarios/ or a path to a .toml file")
    run.add_argument("--seeds", type=_whole(1), help="number of replicate runs (overrides run.seeds)")
    run.add_argument("--seed", type=_whole(0), help="first seed (overrides run.seed)")
    run.add_argument("--draws", type=_whole(0), help=DRAWS_HELP)
    run.add_argument("--scale", type=_scale, help="agents per person, e.g. 0.01 (overrides run.scale)")
    run.add_argument("--start", help="first month YYYY-MM (overrides period.start)")
    run.add_argument("--end", help="last month YYYY-MM (overrides period.end)")
    run.add_argument("--out", type=Path, default=RESULTS_DIR, help="directory for run directories (default results/)")
    run.add_argument("--resume", type=Path, metavar="DIR", help=RESUME_HELP)
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    cmp = sub.add_parser("compare", help="a scenario against a counterfactual with the same seeds")
    cmp.add_argument("scenario", help="scenario name in scenarios/ or a path to a .toml file")
    cmp.add_argument("--against", default="baseline", help="the counterfactual scenario (default: baseline)")
    for flag, kind, text in (
        ("--seeds", _whole(1), "number of seeds"),
        ("--seed", _whole(0), "first seed"),
        ("--draws", _whole(0), DRAWS_HELP),
        ("--scale", _scale, "agents per person"),
    ):
        cmp.add_argument(flag, type=kind, help=f"{text} (overrides the scenario; both runs use it)")
    cmp.add_argument("--start", help="first month YYYY-MM (both runs; overrides period.start)")
    cmp.add_argument("--end", help="last month YYYY-MM (both runs; overrides period.end)")
    cmp.add_argument("--out", type=Path, default=RESULTS_DIR, help="directory for run directories (default results/)")
    cmp.add_argument("--resume", type=Path, metavar="DIR", help=RESUME_HELP)
    cmp.add_argument("--quiet", action="store_true", help="no progress bar")
    cmp.add_argument(
        "--threshold",
        type=_whole(0),
        help="extra residents whose probability of being exceeded is reported (default: model/data/report.toml)",
    )
    cmp.add_argument(
        "--by", type=_whole(2020), help="the year-end of that probability (default: model/data/report.toml)"
    )
    cal = sub.add_parser("calibrate", help="estimate the free parameters from the observed targets")
    cal.add_argument("--scale", type=_scale, default=0.02, help="agents per person for the fit (default 0.02)")
    cal.add_argument(
        "--seeds", type=_whole(2), default=4, help="seeds per evaluation (common random numbers; default 4)"
    )
    cal.add_argument("--max-evaluations", type=_whole(1), default=120, help="Nelder-Mead budget (default 120)")
    cal.add_argument(
        "--posterior",
        action="store_true",
        help="instead: the Bayesian calibration (ABC-SMC, settings in model/calibration/posterior_priors.toml)",
    )
    ex = sub.add_parser("experiment", help="run an experiment file (sweep, sampling design, sensitivity)")
    ex.add_argument("file", help="experiment file, or its name in scenarios/experiments/")
    ex.add_argument(
        "--executor",
        choices=["serial", "processes", "dask"],
        default="processes",
        help="where runs execute (default: local processes on every core)",
    )
    ex.add_argument("--workers", type=_whole(1), help="processes or Dask workers (default: the number of cores)")
    ex.add_argument(
        "--scheduler",
        help="a Dask scheduler address, e.g. tcp://host:8786 (implies --executor dask); "
        "without it, --executor dask starts a LocalCluster",
    )
    ex.add_argument("--out", type=Path, default=RESULTS_DIR, help="directory for results (default results/)")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    el = sub.add_parser(
        "elasticities",
        help="measure the model's elasticities of inflow to Baotou's wage, distance and rent against the evidence",
    )
    el.add_argument("scenario", nargs="?", default="baseline", help="scenario (default: baseline)")
    el.add_argument("--seed", type=_whole(0), default=0, help="seed of the run measured (default 0)")
    opt = sub.add_parser("optimise", help="the best mix of measures for a budget (NSGA-II), and scenario discovery")
    opt.add_argument("file", help="optimisation file, or its name in scenarios/optimisations/")
    opt.add_argument(
        "--discover",
        action="store_true",
        help="then the scenario discovery for the mix chosen for the whole budget (PRIM over [discovery.uncertain])",
    )
    opt.add_argument(
        "--executor",
        choices=["serial", "processes", "dask"],
        default="processes",
        help="where runs execute (default: local processes on every core)",
    )
    opt.add_argument("--workers", type=_whole(1), help="processes or Dask workers (default: the number of cores)")
    opt.add_argument("--scheduler", help="a Dask scheduler address (implies --executor dask)")
    opt.add_argument("--out", type=Path, default=RESULTS_DIR, help="directory for results (default results/)")
    opt.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("docs", help="regenerate the reference pages in docs/ from the schema and data files")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with interrupt.handled():
        try:
            return _main(args)
        except KeyboardInterrupt as err:
            if args.debug:
                traceback.print_exc()
            else:
                print(f"interrupted: {interrupt.kept(err) or 'nothing was written'}", file=sys.stderr)
            return 130
        except Exception as err:
            if args.debug:
                traceback.print_exc()
            elif isinstance(err, ScenarioError):  # anything refused after the first checks: still one line
                print(f"error: {err}", file=sys.stderr)
            else:
                kept = interrupt.kept(err)
                print(
                    f"error: {type(err).__name__}: {err}" + (f"; {kept}" if kept else "") + " (--debug shows where)",
                    file=sys.stderr,
                )
            return 2 if isinstance(err, ScenarioError) else 1


def _main(args: argparse.Namespace) -> int:
    if args.command == "docs":
        from model.docs import write_all

        for path in write_all():
            print(f"wrote {path}")
    if args.command == "elasticities":
        from model.runs.elasticities import format_measured, measure

        print(format_measured(measure(load(args.scenario), args.seed)))
    if args.command == "experiment":
        from model.api import load_experiment
        from model.experiments import finished, run_dir_for, run_experiment, tasks_for

        exp = load_experiment(args.file)
        executor = "dask" if args.scheduler else args.executor
        total = len(tasks_for(exp)[2])
        done = len(finished(run_dir_for(exp, args.out)))
        bar = tqdm(total=total, initial=done, unit="run", desc=exp.name, disable=args.quiet)
        failed = []

        def progress(result: dict) -> None:
            bar.update(1)
            if result["status"] != "ok":
                failed.append(result)
                tqdm.write(f"run {result['task']} failed ({result['error']}) with {result['parameters']}")

        began = time.perf_counter()
        try:
            run_dir = run_experiment(exp, args.out, executor, args.workers, args.scheduler, progress)
        finally:
            bar.close()
        print(
            f"{exp.name}: {total} runs ({done} already finished, {len(failed)} failed) with {executor} "
            f"in {time.perf_counter() - began:.1f} s -> {run_dir}"
        )
        if failed:
            print("rerun the same command to retry the failed runs", file=sys.stderr)
            return 1
    if args.command == "optimise":
        return _optimise(args)
    if args.command == "calibrate" and args.posterior:
        from model.calibration import posterior, posterior_report

        posterior_report.run()
        print(f"-> {posterior.DRAWS_FILE}, {posterior.PREDICTIVE_FILE}, {posterior.SUMMARY_FILE}, docs/posterior.png")
        return 0
    if args.command == "calibrate":
        from model.calibration import CALIBRATED_FILE, report
        from model.calibration.smm import Setting, calibrate
        from model.calibration.targets import load_targets

        targets = load_targets()
        setting = Setting(scale=args.scale, seeds=tuple(range(args.seeds)))
        bar = tqdm(total=args.max_evaluations, unit="fit", desc="calibrate")

        def evaluated(j: float) -> None:
            interrupt.check()  # the estimates are written only at the end: nothing is kept before
            bar.update(1)
            bar.set_postfix(J=f"{j:.2f}")

        try:
            result = calibrate(targets, setting, max_evaluations=args.max_evaluations, on_evaluation=evaluated)
        finally:
            bar.close()
        report.write(result, targets, CALIBRATED_FILE)  # whole or not at all
        with interrupt.keeping(f"the estimates were written to {CALIBRATED_FILE}"):
            _after_calibration(result, targets, CALIBRATED_FILE)
    if args.command == "compare":
        overrides = {
            "run": {"seeds": args.seeds, "seed": args.seed, "scale": args.scale, "posterior_draws": args.draws},
            "period": {"start": args.start, "end": args.end},
        }
        scenario = load(args.scenario).with_overrides(overrides)
        shared = {
            "run": {k: scenario["run"][k] for k in ("seeds", "seed", "scale", "posterior_draws")},
            "period": {"start": scenario.start, "end": scenario.end},
        }
        try:
            against = load(args.against).with_overrides(shared)
        except ScenarioError as err:
            raise ScenarioError(f"--against: {err}") from None
        # heavy imports once the input is checked
        from model.calibration.draws import replicates
        from model.runs.compare import compare, format_effects, format_finance
        from model.runs.uncertainty import default_threshold, format_probability

        threshold, by = default_threshold()
        threshold = threshold if args.threshold is None else args.threshold
        by = by if args.by is None else args.by
        reps = replicates(scenario["run"])
        began = time.perf_counter()
        run_dir = compare(
            scenario, against, args.out, progress=not args.quiet, resume=args.resume, threshold=threshold, reps=reps
        )
        import pandas as pd

        with interrupt.keeping(f"the comparison had completed: {run_dir}"):
            summary = pd.read_csv(run_dir / "effects.csv")
            print(format_effects(summary, reps.describe()))
            print("\n" + format_probability(pd.read_csv(run_dir / "probabilities.csv"), by, reps.describe()))
            print("\n" + format_finance(summary))
            print(
                f"\n{scenario.name} against {against.name}: {len(reps.seeds)} replicate(s) ({reps.describe()}) "
                f"at scale {scenario['run']['scale']} in {time.perf_counter() - began:.1f} s -> {run_dir}"
            )
    if args.command == "run":
        scenario = load(args.scenario).with_overrides(
            {
                "run": {"seeds": args.seeds, "seed": args.seed, "scale": args.scale, "posterior_draws": args.draws},
                "period": {"start": args.start, "end": args.end},
            }
        )
        from model.calibration.draws import replicates
        from model.runs.runner import format_summary, run_scenario  # heavy imports once the input is checked

        reps = replicates(scenario["run"])

        began = time.perf_counter()
        run_dir = run_scenario(scenario, args.out, progress=not args.quiet, resume=args.resume, reps=reps)
        from model.runs.results import read_indicators

        with interrupt.keeping(f"the run had completed: {run_dir}"):
            print(format_summary(read_indicators(run_dir), reps.describe()))
            print(
                f"\n{scenario.name}: {len(reps.seeds)} replicate(s) at scale {scenario['run']['scale']} "
                f"in {time.perf_counter() - began:.1f} s -> {run_dir}"
            )
    return 0


def _optimise(args: argparse.Namespace) -> int:
    """``optimise FILE [--discover]``: the front, the chosen mixes, and the discovery."""
    from model.optimise.spec import load_optimisation

    opt = load_optimisation(args.file)
    executor = "dask" if args.scheduler else args.executor
    from model.optimise import run_optimisation  # heavy imports once the file is checked

    bar = tqdm(total=opt.generations, unit="generation", desc=opt.name, disable=args.quiet)
    began = time.perf_counter()
    try:
        run_dir = run_optimisation(
            opt, args.out, executor, args.workers, args.scheduler, on_generation=lambda _: bar.update(1)
        )
    finally:
        bar.close()
    import pandas as pd

    from model.optimise.figures import YI, describe
    from model.plots import WAN

    manifest = json.loads((run_dir / "manifest.json").read_text())
    chosen = pd.read_csv(run_dir / "chosen.csv") if (run_dir / "chosen.csv").stat().st_size > 1 else pd.DataFrame()
    print(
        f"{opt.name}: budget {opt.budget / YI:g} yi yuan a year; "
        f"{opt.outcome} in {opt.objective_year}, {opt.robustness}"
    )
    for _, row in chosen.iterrows():
        print(
            f"  {row.share:>4.0%} of the budget: {row.objective / WAN:8.2f} wan (5-95 %: {row.residents_p05 / WAN:.2f}"
            f" to {row.residents_p95 / WAN:.2f}) for {row.cost / YI:.2f} yi a year: {describe(opt, row)}"
        )
    if chosen.empty:
        print("  no mix evaluated is within the budget")
    print(
        f"{manifest['mixes_evaluated']} mixes, {manifest['runs_run']} runs run ({manifest['already_finished']} already "
        f"stored) with {executor} in {time.perf_counter() - began:.1f} s -> {run_dir}"
    )
    if args.discover:
        from model.optimise.discover import discover

        total = opt.discovery.samples * opt.discovery.seeds if opt.discovery else 0
        bar = tqdm(total=total, unit="run", desc=f"{opt.name} discovery", disable=args.quiet)
        began = time.perf_counter()
        try:
            found = discover(opt, args.out, executor, args.workers, args.scheduler, lambda _: bar.update(1))
        finally:
            bar.close()
        boxes = pd.read_csv(found / "discovery.csv")
        for question, rows in boxes.groupby("box", sort=False):
            first = rows.iloc[0]
            what = str(question).replace("_", " ")
            print(f"  {what}: coverage {first.coverage:.0%}, density {first.density:.0%}, where")
            for _, r in rows.iterrows():
                print(
                    f"    {r.condition} in [{r.low:.4g}, {r.high:.4g}] "
                    f"(sampled [{r.range_low:.4g}, {r.range_high:.4g}])"
                )
        print(f"discovery in {time.perf_counter() - began:.1f} s -> {found}")
    return 0


def _after_calibration(result, targets, calibrated_file: Path) -> None:
    """Once the estimates are written: use them in this process, draw the fit, print them."""
    from model.calibration import calibrated_defaults, report
    from model.docs import DOCS_DIR
    from model.scenario import schema

    calibrated_defaults.cache_clear()  # this process now uses the new estimates
    schema.cache_clear()
    report.fit_figure(result, targets, DOCS_DIR / "calibration_fit.png")
    for name, value, lo, hi, ok in zip(
        result.names, result.theta, result.lo90, result.hi90, result.identified, strict=True
    ):
        print(f"{name:>22} {value:10.4g}  90 % [{lo:.4g}, {hi:.4g}]{'' if ok else '  (not identified)'}")
    print(
        f"objective {result.objective:.3f} after {result.evaluations} evaluations in {result.seconds:.0f} s "
        f"-> {calibrated_file}"
    )


if __name__ == "__main__":
    sys.exit(main())
