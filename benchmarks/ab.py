"""Benchmark: one run's synthesis and simulation in wall and CPU time, for A/B pairs on a busy machine.

Run: ``PYTHONPATH=. python benchmarks/ab.py SCENARIO SCALE MIGRATION(0|1) END`` (as
``table.py``'s full-city child, plus CPU time, which moves less when other work shares the cores).
"""

import json
import resource
import sys
import time

from model.model import BaotouModel
from model.scenario import load

name, scale, mig, end = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
s = load(name).with_overrides({"run": {"scale": scale, "seeds": 1, "migration": mig}, "period": {"end": end}})
c0, t0 = time.process_time(), time.perf_counter()
m = BaotouModel(s, seed=0)
c1, t1 = time.process_time(), time.perf_counter()
m.run()
c2, t2 = time.process_time(), time.perf_counter()
print(
    json.dumps(
        {
            "synth_wall": round(t1 - t0, 2),
            "synth_cpu": round(c1 - c0, 2),
            "sim_wall": round(t2 - t1, 2),
            "sim_cpu": round(c2 - c1, 2),
            "peak": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "stages": {k: round(v, 2) for k, v in m.stage_seconds.items()},
        }
    )
)
