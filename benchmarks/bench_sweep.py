"""Sweep benchmark: world-turns/s of a sweep on 1 and 2 worker processes and on a 2-worker Dask LocalCluster.

    python benchmarks/bench_sweep.py [--runs N] [--quick]

The spec is the issue's example (example_alliance; base and calm variants; random and historical
policies) with 4 seeds, so there are 16 work units to share out. Throughput is the games' world-turns
(turns actually played) over the wall-clock time of running the units; starting the pool or the
cluster is timed apart. Scaling efficiency is the 2-worker throughput over twice the 1-worker one
(goal >= 0.85 on 2 cores). Every backend's table is checked to be the same bytes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.analysis.sweep import UnitResult, open_executor, run_units, work_units  # noqa: E402
from game.analysis.sweep_command import long_table  # noqa: E402
from game.analysis.sweep_spec import SweepSpec, read_sweep_spec  # noqa: E402

SPEC = """\
scenario: example_alliance
variants:
  - id: base
  - id: calm
    set: {{variables: {{tension: {{initial: 20}}}}}}
policies: [random, historical]
seeds: [1, 2, 3, 4]
runs: {runs}
"""


def measure(spec: SweepSpec, workers: int, dask: str | None) -> tuple[float, float, list[UnitResult]]:
    """(seconds to start the executor, seconds to run every unit, results)."""
    units = work_units(spec)
    started = time.perf_counter()
    with open_executor(workers, dask) as executor:
        ready = time.perf_counter()
        results = run_units(units, executor)
        done = time.perf_counter()
    return ready - started, done - ready, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="games per work unit (default 1000)")
    parser.add_argument("--quick", action="store_true", help="100 runs per unit (a smoke test)")
    args = parser.parse_args(argv)
    runs = 100 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sweep.yaml"
        path.write_text(SPEC.format(runs=runs), encoding="utf-8")
        spec, problems = read_sweep_spec(path)
    if spec is None:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return 1
    print(f"load average {os.getloadavg()[0]:.1f} at start, {os.cpu_count()} CPUs; "
          f"{len(work_units(spec))} work units x {runs} games of example_alliance")
    figures: dict[str, float] = {}
    tables = []
    backends = (("1 worker", 1, None), ("2 workers", 2, None), ("LocalCluster, 2 workers", 2, "local"))
    for label, workers, dask in backends:
        startup, seconds, results = measure(spec, workers, dask)
        world_turns = sum(r.world_turns for r in results)
        figures[label] = world_turns / seconds
        tables.append(long_table(spec, work_units(spec), results))
        print(f"{label:<24} {figures[label]:>12,.0f} world-turns/s  ({world_turns:,} in {seconds:.2f} s; "
              f"start-up {startup:.2f} s)")
    same = all(table == tables[0] for table in tables)
    print(f"same table on every backend: {'yes' if same else 'NO'}")
    for label in ("2 workers", "LocalCluster, 2 workers"):
        print(f"scaling efficiency, {label}: {figures[label] / (2 * figures['1 worker']):.2f} (goal >= 0.85)")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
