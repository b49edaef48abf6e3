"""Benchmark: where a run's time goes (``make profile``), the profile behind benchmarks/README.md.

For one workload it prints the seconds of each stage of the month (the model's own
``stage_seconds``) and the functions with the most time of their own under ``cProfile`` (which
slows the run down by about a third, evenly enough to rank them). Workloads:

- ``--scale 0.02`` (default): runs at 1:50 of the 2022 package, 2020-11 -> 2035-12, after one
  run left out (start-up and numba's first compilation); ``--runs`` of them;
- ``--scale 1``: the full city, to ``--end`` (default 2023-12: the package's first eighteen
  months, a few minutes less than the whole run).

Run: ``PYTHONPATH=. python benchmarks/profiles.py [--scale S] [--runs N] [--end YYYY-MM] [--top K]``.
It asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import Counter

from model.model import BaotouModel
from model.scenario import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="policy_2022", help="scenario to run (default: policy_2022)")
    parser.add_argument("--scale", type=float, default=0.02, help="agents per person (default 0.02, 1:50)")
    parser.add_argument("--runs", type=int, default=3, help="runs profiled, one seed each (default 3)")
    parser.add_argument("--end", default=None, help="last month (default: the scenario's; 2023-12 at scale 1)")
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    args = parser.parse_args()
    end = args.end or ("2023-12" if args.scale >= 1 else None)
    overrides: dict = {"run": {"scale": args.scale, "seeds": 1}}
    if end:
        overrides["period"] = {"end": end}
    scenario = load(args.scenario).with_overrides(overrides)
    if args.scale < 1:
        BaotouModel(scenario, seed=0).run()  # imports, caches and compilation, left out
    stages: Counter[str] = Counter()
    profile = cProfile.Profile()
    wall = 0.0
    for seed in range(1, args.runs + 1):
        model = BaotouModel(scenario, seed=seed)
        start = time.perf_counter()
        profile.enable()
        model.run()
        profile.disable()
        wall += time.perf_counter() - start
        stages.update(model.stage_seconds)
    total = sum(stages.values())
    print(
        f"{args.scenario} at scale {args.scale}, to {scenario.end}, {args.runs} run(s), "
        f"{wall / args.runs:.2f} s a run under the profiler"
    )
    print(
        "by stage (seconds a run, share): "
        + ", ".join(f"{k} {v / args.runs:.2f} ({v / total:.0%})" for k, v in stages.most_common())
    )
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
