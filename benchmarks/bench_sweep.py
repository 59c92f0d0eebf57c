"""Sweep benchmark: world-turns/s of a sweep on 1 and 2 worker processes and on a 2-worker Dask LocalCluster.

    python benchmarks/bench_sweep.py [--runs N] [--repeat N] [--quick]

The spec is the issue's example (example_alliance; base and calm variants; random and historical
policies) with 4 seeds, so there are 16 work units to share out. For each backend the executor is
started first (workers started, scenarios installed and compiled in each: "start-up", timed apart and
the same work for every backend, the in-process one included), then the 16 units run `--repeat` times
on it. Throughput is the games' world-turns (turns actually played) over the wall-clock time of one
run of the units, best of the repeats; scaling efficiency is the 2-worker throughput over twice the
1-worker one (goal >= 0.85 on 2 cores). Every backend's table is checked to be the same.

Wall-clock scaling means something only on an otherwise idle machine: the load average is printed with
every figure. The CPU columns do not need an idle machine: CPU seconds used by the parent and by the
workers while the units ran, and the CPU efficiency, the 1-worker CPU time over the backend's total
(parent + workers) — the part of the work that is overhead, whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.analysis.sweep import SweepPlan, UnitResult, open_executor, plan_sweep, run_units  # noqa: E402
from game.analysis.sweep_command import long_table  # noqa: E402
from game.analysis.sweep_spec import read_sweep_spec  # noqa: E402

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

BACKENDS = (("1 worker", 1, None), ("2 workers", 2, None), ("LocalCluster, 2 workers", 2, "local"))


@dataclass(frozen=True)
class Measurement:
    startup: float  # seconds to start the executor with the scenarios installed
    seconds: list[float]  # wall-clock seconds of each run of the units
    parent_cpu: float  # CPU seconds of this process per run of the units (median)
    worker_cpu: float  # CPU seconds of all child processes per run of the units (median)
    results: list[UnitResult]
    load: float  # 1-minute load average after the runs


def _children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def measure(plan: SweepPlan, workers: int, dask: str | None, repeat: int) -> Measurement:
    started = time.perf_counter()
    with open_executor(workers, dask, plan.scenarios) as executor:
        startup = time.perf_counter() - started
        seconds, parent, children = [], [], []
        for _ in range(repeat):
            cpu, child_cpu, begin = time.process_time(), _children_cpu(), time.perf_counter()
            results = run_units(plan, executor)
            seconds.append(time.perf_counter() - begin)
            parent.append(time.process_time() - cpu)
            children.append(_children_cpu() - child_cpu)
    return Measurement(startup, seconds, statistics.median(parent), statistics.median(children), results,
                       os.getloadavg()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="games per work unit (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the units per backend (default 3; best counts)")
    parser.add_argument("--quick", action="store_true", help="100 runs per unit, one repeat (a smoke test)")
    args = parser.parse_args(argv)
    runs, repeat = (100, 1) if args.quick else (args.runs, max(1, args.repeat))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sweep.yaml"
        path.write_text(SPEC.format(runs=runs), encoding="utf-8")
        spec, problems = read_sweep_spec(path)
    if spec is None:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return 1
    plan = plan_sweep(spec)
    print(f"load average {os.getloadavg()[0]:.2f} at start, {os.cpu_count()} CPUs; "
          f"{len(plan.units)} work units x {runs} games of example_alliance, best of {repeat}")
    print(f"{'backend':<24} {'world-turns/s':>13} {'median':>9} {'start-up':>9} {'parent CPU':>11} "
          f"{'worker CPU':>11} {'CPU eff.':>8} {'load':>5}")
    figures: dict[str, float] = {}
    tables = []
    baseline_cpu = 0.0
    for label, workers, dask in BACKENDS:
        m = measure(plan, workers, dask, repeat)
        world_turns = sum(r.world_turns for r in m.results)
        figures[label] = world_turns / min(m.seconds)
        total_cpu = m.parent_cpu + m.worker_cpu
        baseline_cpu = baseline_cpu or total_cpu
        tables.append(long_table(spec, plan.units, m.results))
        print(f"{label:<24} {figures[label]:>13,.0f} {world_turns / statistics.median(m.seconds):>9,.0f} "
              f"{m.startup:>8.2f}s {m.parent_cpu:>10.3f}s {m.worker_cpu:>10.3f}s "
              f"{baseline_cpu / total_cpu:>8.2f} {m.load:>5.2f}")
    print(f"({world_turns:,} world-turns per run of the units)")
    same = all(table == tables[0] for table in tables)
    print(f"same table on every backend: {'yes' if same else 'NO'}")
    for label in ("2 workers", "LocalCluster, 2 workers"):
        print(f"scaling efficiency, {label}: {figures[label] / (2 * figures['1 worker']):.2f} (goal >= 0.85)")
    if os.getloadavg()[0] >= 1.0:
        print("note: the load average is 1 or more: other work shared the cores, so the scaling figures say "
              "little; the CPU columns still hold")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
