"""Benchmark: experiment throughput at 1:100 on this machine, and the executors' overhead per run.

Runs the same small Latin-hypercube experiment (each run is the 2022 package and its baseline,
2020-11 -> 2035-12, at scale 0.01) serially and with local processes, and prints runs per
minute, the overhead per run of each executor against the bare run time, and what a 200-run
Sobol design would take. It records figures; it asserts nothing.
Run: ``.venv/bin/python benchmarks/experiments.py [--runs N] [--dask]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from model.experiments import run_experiment, tasks_for
from model.experiments.spec import load_experiment
from model.experiments.tasks import run_task

EXPERIMENT = """
[experiment]
name = "bench"
scenario = "policy_2022"
against = "baseline"
design = "latin_hypercube"
samples = {runs}
seeds = 1
scale = 0.01
end = "2035-12"

[uncertain]
"behaviour.beta_income" = [1.0, 2.5]
"behaviour.nest_lambda" = [0.2, 1.0]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=16)
    parser.add_argument("--dask", action="store_true", help="also time a Dask LocalCluster")
    args = parser.parse_args()
    cores = os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(EXPERIMENT.format(runs=args.runs))
        exp = load_experiment(path)
        tasks = tasks_for(exp)[2]
        t0 = time.perf_counter()
        for task in tasks[:2]:
            run_task(task)
        bare = (time.perf_counter() - t0) / 2
        print(f"machine: {cores} cores; {args.runs} runs of policy_2022 + baseline, 2020-11 -> 2035-12, scale 0.01")
        print(f"bare run (in this process): {bare:.2f} s")
        executors = ["serial", "processes"] + (["dask"] if args.dask else [])
        for executor in executors:
            t0 = time.perf_counter()
            run_experiment(exp, Path(tmp) / executor, executor=executor)
            wall = time.perf_counter() - t0
            workers = 1 if executor == "serial" else cores
            overhead = wall * workers / args.runs - bare
            print(
                f"{executor:>9}: {wall:6.1f} s, {60 * args.runs / wall:6.1f} runs/min, "
                f"overhead {overhead:+.2f} s per run over the bare run"
            )
            if executor == "processes":
                print(f"           a 200-run Sobol design would take about {200 / (args.runs / wall) / 60:.1f} min")


if __name__ == "__main__":
    main()
