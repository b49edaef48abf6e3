"""The command line: the reference and the project stepped side by side in one run, timed."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from .demography import DemographyReference
from .migration import MigrationReference
from .project import BaotouModel, scenario_for


def timed_months(step: Callable[[], None], count: Callable[[], int], months: int) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds (all threads of the process) spent stepping ``months`` months,
    and the agent-months stepped (agents at each month's start; counting is outside the timers)."""
    wall, cpu, agent_months = 0.0, 0.0, 0
    for _ in range(months):
        agent_months += count()
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    return wall, cpu, agent_months


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.mesa_reference",
        description="The idiomatic Mesa reference timed side by side with the columnar model.",
    )
    parser.add_argument("--mode", choices=("demography", "migration"), default="demography")
    parser.add_argument("--scale", type=float, default=0.002)
    parser.add_argument("--months", type=int, default=182, help="from the census month 2020-11 (182: to 2035-12)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    migration = args.mode == "migration"

    ref = (MigrationReference if migration else DemographyReference)(args.scale, args.seed)
    ref_wall, ref_cpu, ref_months = timed_months(ref.step, lambda: len(ref.agents), args.months)
    col = BaotouModel(scenario_for(args.scale, migration, args.months), seed=args.seed)
    col_wall, col_cpu, col_months = timed_months(col.step, lambda: col.people.n_alive, args.months)

    what = "baseline with migration" if migration else "demography only"
    print(f"scale {args.scale}, {args.months} months from 2020-11, seed {args.seed}, {what}")
    print(f"{'':48}{'wall':>9}{'cpu':>9}{'agent-years':>13}{'us per person-year':>20}")
    per = {}
    for label, wall, cpu, months in (
        ("idiomatic Mesa (Agent per person, shuffle_do)", ref_wall, ref_cpu, ref_months),
        ("columnar model (this project)", col_wall, col_cpu, col_months),
    ):
        per[label] = (1e6 * wall / (months / 12), 1e6 * cpu / (months / 12))
        print(f"{label:48}{wall:8.2f}s{cpu:8.2f}s{months / 12:13,.0f}{per[label][0]:13.2f} (cpu {per[label][1]:.2f})")
    (ref_per, ref_per_cpu), (col_per, col_per_cpu) = per.values()
    print(
        f"ratio: the project is {ref_per / col_per:.1f} times faster per person-year "
        f"(cpu time: {ref_per_cpu / col_per_cpu:.1f} times)"
    )
    if isinstance(ref, MigrationReference):
        ref_table = ref.table()
        col_table = col.datacollector.get_model_vars_dataframe().set_index("year").to_dict("index")
        print("\nthis one run, persons over the period (one seed each: chance differences are expected)")
        print(f"{'':16}{'reference':>12}{'project':>12}")
        for name in ("births", "deaths", "in_migration", "out_migration", "hukou_settlements"):
            totals = [sum(row[name] for row in table.values()) for table in (ref_table, col_table)]
            print(f"{name:16}{totals[0]:12,.0f}{totals[1]:12,.0f}")
        last = max(ref_table)
        ends = [table[last]["population"] for table in (ref_table, col_table)]
        print(f"{f'population {last}':16}{ends[0]:12,.0f}{ends[1]:12,.0f}")


if __name__ == "__main__":
    main()
