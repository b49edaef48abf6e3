"""Benchmark: the full-scale city (2.7 M people), 2020-11 -> 2035-12, one seed.

Prints wall time, microseconds per person-year, peak memory and where the time goes, for the
demography alone (migration off) and for the baseline with migration (``--mode``). It records
figures; it asserts nothing. Run: ``make bench`` or
``.venv/bin/python benchmarks/full_city.py [--mode demography|migration|policy] [--scale S]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

from model.model import BaotouModel
from model.scenario import load


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--mode",
        choices=["demography", "migration", "policy"],
        default="demography",
        help="demography: baseline with migration off; migration: baseline; policy: policy_2022",
    )
    args = parser.parse_args()
    name = "policy_2022" if args.mode == "policy" else "baseline"
    scenario = load(name).with_overrides(
        {"run": {"scale": args.scale, "seeds": 1, "migration": args.mode != "demography"}}
    )
    before = peak_rss_mb()
    t0 = time.perf_counter()
    model = BaotouModel(scenario, seed=args.seed)
    t1 = time.perf_counter()
    model.run()
    t2 = time.perf_counter()
    table = model.datacollector.get_model_vars_dataframe()
    person_years = (table.population.mean() / model.weight) * scenario.months / 12  # agent-years
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"{args.mode}, scale {args.scale}: {model.population_start / model.weight:,.0f} agents, "
        f"{scenario.start} -> {scenario.end}"
    )
    print(f"synthesis      {t1 - t0:8.2f} s")
    print(f"simulation     {t2 - t1:8.2f} s   ({scenario.months} monthly steps)")
    for stage, seconds in model.stage_seconds.items():
        print(f"  {stage:<12} {seconds:8.2f} s")
    print(f"total          {t2 - t0:8.2f} s")
    print(
        f"per person-year {1e6 * (t2 - t1) / person_years:7.3f} us (simulation only; {person_years:,.0f} agent-years)"
    )
    print(f"peak memory    {peak_rss_mb():8.0f} MB (interpreter and imports: {before:.0f} MB)")


if __name__ == "__main__":
    main()
