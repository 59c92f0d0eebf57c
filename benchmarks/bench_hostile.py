"""Bounded work for small hostile files: `python benchmarks/bench_hostile.py`.

- validate: a scenario with 3,000 variables and 3,000 references misspelt so that each needs a
  did-you-mean over those 3,000 names (target: under 5 s);
- compile: `compile_scenario` on a validated scenario with 20,000 variables (target: under 2 s);
- amplification: opinion groups × issues far beyond the limit on generated variables is refused
  quickly, before anything is built.

Prints the median of a few runs of each, in seconds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine.compiled import compile_scenario
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario

HEADER = """format: 1
id: hostile
title: Hostile
summary: Many names.
calendar: {start: "1960-01", turn: month, turns: 12}
actors: {x: {name: X}}
roles: {boss: {actor: x, title: Boss}}
endings: [{id: end, title: End, text: End., at_end: true}]
map: {view: [0, 0, 10, 10]}
"""


def misspelt_ids(count: int) -> str:
    variables = "".join(f"  measure_{i:05d}: {{label: M, initial: 1}}\n" for i in range(count))
    influences = "".join(
        f"  - {{from: measrue_{i:05d}, to: measure_{i:05d}, weight: 0.1}}\n" for i in range(count)
    )
    return HEADER + "variables:\n" + variables + "influences:\n" + influences


def many_variables(count: int) -> str:
    variables = "".join(f"  v{i}: {{label: V, initial: 1, noise: 0.5}}\n" for i in range(count))
    derived = "".join(f"  d{i}: {{label: D, initial: 1, derived: 'v{i} + v{i + 1}'}}\n" for i in range(count // 10))
    influences = "".join(f"  - {{from: v{i}, to: v{i + 1}, weight: 0.01}}\n" for i in range(0, count - 1, 2))
    return HEADER + "variables:\n" + variables + derived + "influences:\n" + influences


def amplified(groups: int, issues: int) -> str:
    issue_text = "".join(f"    i{i}: {{label: I}}\n" for i in range(issues))
    group_text = "".join(f"    g{g}: {{label: G, actor: x, weight: 1, initial: {{}}}}\n" for g in range(groups))
    return HEADER + "opinion:\n  issues:\n" + issue_text + "  groups:\n" + group_text


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        misspelt = Path(folder) / "misspelt.yaml"
        misspelt.write_text(misspelt_ids(3000), encoding="utf-8")
        result = load_scenario(misspelt)
        hinted = sum(1 for d in result.diagnostics if d.hint and "did you mean" in d.hint)
        seconds = median_seconds(lambda: load_scenario(misspelt), 3)
        print(f"validate, 3,000 misspelt ids over 3,000 names: {seconds:.2f} s"
              f" ({len(result.diagnostics):,} diagnostics, {hinted:,} with a did-you-mean; target < 5 s)")

        # 20,000 variables do not fit in a 1 MB file; the scenario is validated from the same data directly.
        scenario = Scenario.model_validate(yaml.safe_load(many_variables(20_000)))
        compiled = compile_scenario(scenario)
        print(f"compile, {compiled.variable_count:,} variables: "
              f"{median_seconds(lambda: compile_scenario(scenario), 3):.2f} s (target < 2 s)")

        bomb = Path(folder) / "bomb.yaml"
        bomb.write_text(amplified(600, 600), encoding="utf-8")
        refused = load_scenario(bomb)
        first = next((d.format() for d in refused.diagnostics if d.severity == "error"), "no error")
        print(f"amplification, 600 groups × 600 issues: {median_seconds(lambda: load_scenario(bomb), 3):.2f} s "
              f"-> {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
