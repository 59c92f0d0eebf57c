"""How long validating every shipped scenario takes (target: at most 0.5 s).

Run: `python benchmarks/bench_validate.py [--runs N]`. Prints the median wall time of N runs of
loading, merging, validating and cross-checking all files under scenarios/ (bases included),
the same work `python main.py validate` does minus printing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.resources import scenarios_dir  # noqa: E402
from game.scenario.catalog import scenario_files  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.scenario.yaml_reader import USING_LIBYAML  # noqa: E402

TARGET_SECONDS = 0.5


def validate_all(files: list[Path]) -> int:
    """Load every file; the number of errors found."""
    roots = [scenarios_dir()]
    return sum(
        1 for path in files for d in load_scenario(path, roots=roots).diagnostics if d.severity == "error"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="number of timed runs (default 7)")
    args = parser.parse_args()
    files = scenario_files(scenarios_dir())
    validate_all(files)  # warm-up: imports, pydantic's validators, regex caches
    times = []
    cpu_times = []  # CPU time is steadier than wall time on a busy machine
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        errors = validate_all(files)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    median = statistics.median(times)
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    parser_name = "libyaml" if USING_LIBYAML else "pure Python"
    print(f"validated {len(files)} files ({lines} lines, {errors} errors) with the {parser_name} parser")
    print(f"median of {args.runs} runs: {median:.3f} s (min {min(times):.3f} s, max {max(times):.3f} s); "
          f"CPU time {statistics.median(cpu_times):.3f} s")
    print(f"target: <= {TARGET_SECONDS} s: {'OK' if median <= TARGET_SECONDS else 'TOO SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
