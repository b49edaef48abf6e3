"""Benchmark: every row of the speed table in one command (``make bench``).

Each figure is measured in a process of its own (so peak memory is its own), on this machine,
now; it asserts nothing. Rows:

- the full city (2,709,378 agents), 2020-11 -> 2035-12, one seed: the 2022 package, the
  baseline with migration, the demography alone (simulation seconds), the synthesis of the
  census population at 1:1, and peak memory;
- one run at 1:50 of the 2022 package, 2020-11 -> 2035-12: (time of 20 seeds - time of 1) / 19
  in one process, so start-up and first compilation are left out;
- runs an hour at 1:50 on this machine's cores: an experiment of package + counterfactual pairs
  with the local-processes executor (each pair counts as two runs);
- the project against the idiomatic Mesa reference (``benchmarks/mesa_reference``), with
  migration, microseconds per person-year side by side in one run, at 1:50 and at 1:5 (the
  reference is slow: ``--months`` shortens the 1:5 run);
- growth of the simulation time from 1:10 to 1:1 (baseline with migration).

Run: ``make bench`` or ``PYTHONPATH=. python benchmarks/table.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FULL_CITY = """
import json, resource, time
from model.model import BaotouModel
from model.scenario import load
s = load({name!r}).with_overrides({{"run": {{"scale": {scale!r}, "seeds": 1, "migration": {migration!r}}}}})
t0 = time.perf_counter(); m = BaotouModel(s, seed=0); t1 = time.perf_counter(); m.run(); t2 = time.perf_counter()
print(json.dumps({{"synthesis": t1 - t0, "simulation": t2 - t1,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stages": dict(m.stage_seconds)}}))
"""

SEEDS = """
import json, time
from model.model import BaotouModel
from model.scenario import load
s = load("policy_2022").with_overrides({{"run": {{"scale": 0.02, "seeds": 1}}}})
def runs(n, first):
    t = time.perf_counter()
    for seed in range(first, first + n):
        BaotouModel(s, seed=seed).run()
    return time.perf_counter() - t
one = runs(1, 0)
many = runs({n}, 1)
print(json.dumps({{"one": one, "many": many, "n": {n}}}))
"""

EXPERIMENT = """
[experiment]
name = "bench_throughput"
scenario = "policy_2022"
against = "baseline"
design = "latin_hypercube"
samples = {points}
seeds = 1
scale = 0.02
end = "2035-12"

[uncertain]
"behaviour.beta_income" = [1.5, 2.0]
"""

THROUGHPUT = """
import json, time
from pathlib import Path
from model.experiments import run_experiment
from model.experiments.spec import load_experiment
exp = load_experiment(Path({path!r}))
t = time.perf_counter()
run_experiment(exp, Path({out!r}), executor="processes")
print(json.dumps({{"wall": time.perf_counter() - t, "runs": 2 * {points}}}))
"""


def child(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"benchmark child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def mesa_reference(scale: float, months: int) -> dict[str, float]:
    """The reference's runner, side by side in one run: microseconds per person-year of each."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "benchmarks.mesa_reference", "--mode", "migration", "--scale", str(scale)]
    out = subprocess.run([*command, "--months", str(months)], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"mesa reference failed:\n{out.stderr[-2000:]}")
    per = {}
    for line in out.stdout.splitlines():
        # "<label> <wall>s <cpu>s <agent-years> <us per person-year> (cpu ...)"
        for who, label in (("reference", "idiomatic Mesa"), ("project", "columnar model")):
            if line.startswith(label):
                per[who] = float(line.split("(cpu")[0].split()[-1])
    return per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the full-city rows (a few minutes less)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds in the 1:50 per-run timing")
    parser.add_argument("--points", type=int, default=8, help="package + counterfactual pairs in the throughput row")
    parser.add_argument("--reference-months", type=int, default=24, help="months of the 1:5 Mesa comparison")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    rows: list[tuple[str, str]] = []

    if not args.quick:
        policy = child(FULL_CITY.format(name="policy_2022", scale=1.0, migration=True))
        baseline = child(FULL_CITY.format(name="baseline", scale=1.0, migration=True))
        demography = child(FULL_CITY.format(name="baseline", scale=1.0, migration=False))
        tenth = child(FULL_CITY.format(name="baseline", scale=0.1, migration=True))
        rows += [
            ("full city, 2022 package (simulation)", f"{policy['simulation']:.1f} s"),
            ("full city, baseline with migration (simulation)", f"{baseline['simulation']:.1f} s"),
            ("full city, demography only (simulation)", f"{demography['simulation']:.1f} s"),
            ("synthesis of the census population at 1:1", f"{baseline['synthesis']:.1f} s"),
            ("peak memory, full city (2022 package)", f"{policy['peak_mb']:.0f} MB"),
            ("growth from 1:10 to 1:1 (baseline)", f"x{baseline['simulation'] / tenth['simulation']:.1f}"),
        ]
        for name, result in (("2022 package", policy), ("baseline", baseline)):
            stages = sorted(result["stages"].items(), key=lambda kv: -kv[1])
            print(f"full city, {name}, by stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages))

    seeds = child(SEEDS.format(n=args.seeds))
    per_run = (seeds["many"] - seeds["one"]) / (seeds["n"] - 1) if seeds["n"] > 1 else seeds["many"]
    rows.append((f"one run at 1:50, 2022 package ({seeds['n']} seeds timed against 1)", f"{per_run:.2f} s"))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_throughput.toml"
        path.write_text(EXPERIMENT.format(points=args.points))
        result = child(THROUGHPUT.format(path=str(path), out=str(Path(tmp) / "out"), points=args.points))
    hourly = 3600 * result["runs"] / result["wall"]
    rows.append((f"runs an hour at 1:50 on {cores} cores (pairs count as two)", f"{hourly:,.0f}"))

    for scale, months in ((0.02, 182), (0.2, args.reference_months)):
        per = mesa_reference(scale, months)
        if "reference" in per and "project" in per:
            rows.append(
                (
                    f"per person-year against the Mesa reference, 1:{round(1 / scale)} ({months} months)",
                    f"{per['reference']:.2f} vs {per['project']:.3f} us: {per['reference'] / per['project']:.0f}x",
                )
            )
    width = max(len(r[0]) for r in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
