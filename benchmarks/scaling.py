"""Benchmark: how time and memory grow with the population (1 %, 10 %, 100 % of the city).

Each scale runs in its own process (so peak memory is its own): the baseline with migration,
2020-11 -> 2035-12, one seed. Prints seconds, microseconds per person-year and peak memory per
scale, and the time ratio per tenfold population (10 means linear). It asserts nothing.
Run: ``.venv/bin/python benchmarks/scaling.py [--scales 0.01 0.1 1]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, resource, time
from model.model import BaotouModel
from model.scenario import load
s = load("baseline").with_overrides({"run": {"scale": %r, "seeds": 1}})
t0 = time.perf_counter(); m = BaotouModel(s, seed=0); t1 = time.perf_counter(); m.run(); t2 = time.perf_counter()
t = m.datacollector.get_model_vars_dataframe()
agent_years = (t.population.mean() / m.weight) * s.months / 12
print(json.dumps({"agents": m.population_start / m.weight, "synthesis": t1 - t0, "simulation": t2 - t1,
                  "agent_years": agent_years, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stages": dict(m.stage_seconds)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.01, 0.1, 1.0])
    args = parser.parse_args()
    previous = None
    print(f"{'scale':>6} {'agents':>10} {'synthesis s':>12} {'simulation s':>13} {'us/person-yr':>13} {'peak MB':>8}")
    for scale in args.scales:
        out = subprocess.run([sys.executable, "-c", CHILD % scale], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        line = (
            f"{scale:>6} {r['agents']:>10,.0f} {r['synthesis']:>12.1f} {r['simulation']:>13.1f} "
            f"{1e6 * r['simulation'] / r['agent_years']:>13.2f} {r['peak_mb']:>8.0f}"
        )
        if previous:
            line += (
                f"   x{r['simulation'] / previous['simulation']:.1f} time for x{scale / previous['scale']:.0f} people"
            )
        print(line)
        top = sorted(r["stages"].items(), key=lambda kv: -kv[1])[:4]
        print("       slowest stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in top))
        previous = {**r, "scale": scale}


if __name__ == "__main__":
    main()
