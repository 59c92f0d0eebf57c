"""Sweep benchmark: world-turns/s of a sweep on 1 and 2 worker processes and on a 2-worker Dask LocalCluster.

    python benchmarks/bench_sweep.py [--runs N] [--repeat N] [--quick]

The spec is the issue's example (example_alliance; base and calm variants; random and historical
policies) with 4 seeds, so there are 16 work units to share out. The backends take turns: each of the
`--repeat` rounds starts every backend in order (workers started, scenarios installed and compiled in
each: "start-up", timed apart and the same work for every backend, the in-process one included), runs
the 16 units once untimed (a warm-up) and once timed, and shuts it down. Taking turns matters on a
shared VM, whose speed drifts by 10-20% over a minute: a slow spell then hits every backend of a round
alike instead of one backend's whole series. Throughput is the games' world-turns (turns actually
played) over the wall-clock time of one run of the units. Scaling efficiency is the 2-worker throughput
over twice the 1-worker one of the same round (goal >= 0.85 on 2 cores); the median over the rounds is
the figure, printed with its range and with the best-over-best ratio. Every backend's table is checked
to be the same.

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
from dataclasses import dataclass, field
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


@dataclass
class Series:
    """One backend's figures over the rounds."""

    startup: list[float] = field(default_factory=list)  # seconds to start the executor, scenarios installed
    seconds: list[float] = field(default_factory=list)  # wall-clock seconds of the timed run of the units
    parent_cpu: list[float] = field(default_factory=list)  # CPU seconds of this process in that run
    worker_cpu: list[float] = field(default_factory=list)  # CPU seconds of all child processes in that run
    results: list[UnitResult] = field(default_factory=list)
    load: float = 0.0  # 1-minute load average after its last round


def _children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def measure_round(plan: SweepPlan, workers: int, dask: str | None, series: Series) -> None:
    """Start the backend, warm it up with one untimed run of the units, time one run, shut it down."""
    started = time.perf_counter()
    with open_executor(workers, dask, plan.scenarios) as executor:
        series.startup.append(time.perf_counter() - started)
        run_units(plan, executor)
        cpu, child_cpu, begin = time.process_time(), _children_cpu(), time.perf_counter()
        series.results = run_units(plan, executor)
        series.seconds.append(time.perf_counter() - begin)
        series.parent_cpu.append(time.process_time() - cpu)
        series.worker_cpu.append(_children_cpu() - child_cpu)
    series.load = os.getloadavg()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="games per work unit (default 1000)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="rounds, each timing every backend once (default 5; the median counts)")
    parser.add_argument("--quick", action="store_true", help="100 runs per unit, one round (a smoke test)")
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
          f"{len(plan.units)} work units x {runs} games of example_alliance, {repeat} rounds")
    series = {label: Series() for label, _, _ in BACKENDS}
    for _ in range(repeat):
        for label, workers, dask in BACKENDS:
            measure_round(plan, workers, dask, series[label])
    world_turns = sum(r.world_turns for r in series["1 worker"].results)
    print(f"{'backend':<24} {'world-turns/s':>13} {'best':>10} {'start-up':>9} {'parent CPU':>11} "
          f"{'worker CPU':>11} {'CPU eff.':>8} {'load':>5}")
    baseline_cpu = 0.0
    for label, _, _ in BACKENDS:
        s = series[label]
        total_cpu = statistics.median(p + w for p, w in zip(s.parent_cpu, s.worker_cpu, strict=True))
        baseline_cpu = baseline_cpu or total_cpu
        print(f"{label:<24} {world_turns / statistics.median(s.seconds):>13,.0f} "
              f"{world_turns / min(s.seconds):>10,.0f} {statistics.median(s.startup):>8.2f}s "
              f"{statistics.median(s.parent_cpu):>10.3f}s {statistics.median(s.worker_cpu):>10.3f}s "
              f"{baseline_cpu / total_cpu:>8.2f} {s.load:>5.2f}")
    print(f"({world_turns:,} world-turns per run of the units; throughput is the median over the rounds)")
    tables = [long_table(spec, plan.units, series[label].results) for label, _, _ in BACKENDS]
    same = all(table == tables[0] for table in tables)
    print(f"same table on every backend: {'yes' if same else 'NO'}")
    one = series["1 worker"].seconds
    for label in ("2 workers", "LocalCluster, 2 workers"):
        ratios = sorted(a / (2 * b) for a, b in zip(one, series[label].seconds, strict=True))
        best = min(one) / (2 * min(series[label].seconds))
        print(f"scaling efficiency, {label}: {statistics.median(ratios):.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f}, "
              f"best over best {best:.2f}; goal >= 0.85)")
    if os.getloadavg()[0] >= 1.0:
        print("note: the load average is 1 or more: other work shared the cores, so the scaling figures say "
              "little; the CPU columns still hold")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
