"""Engine benchmark: world-turns per second at B = 1 and B = 10,000, memory, forecast latency.

    python benchmarks/bench_engine.py [SCENARIO.yaml] [--quick]

Without a scenario it uses the largest shipped scenario (by variables + influences + events); when
none is shipped, or with `--generated`, a generated one of 150 variables, 300 influences and 40
events. Prints the figures and the targets of issue #3 (ratio ≥ 300×, forecast ≤ 100 ms median,
memory at B = 10,000 ≤ 500 MB).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.engine.compiled import CompiledScenario, compile_scenario  # noqa: E402
from game.engine.forecast import forecast  # noqa: E402
from game.engine.turn import TurnInput, resolve_turn  # noqa: E402
from game.engine.world import new_world, world_keys  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.scenario.models import Scenario  # noqa: E402


def generated_scenario(variables: int = 150, influences: int = 300, events: int = 40, seed: int = 7) -> Scenario:
    """A large synthetic scenario with every mechanism in use (for when no big scenario is shipped)."""
    rnd = random.Random(seed)
    issues = ["alliance", "bases", "government", "economy"]
    groups = [f"group{i}" for i in range(10)]
    plain = variables - len(issues) * len(groups) - 3 - 6  # opinion variables, relations, levers
    data: dict[str, Any] = {
        "format": 1,
        "id": "generated_large",
        "title": "Generated large scenario",
        "summary": "Synthetic benchmark scenario.",
        "calendar": {"start": "1960-01", "turn": "month", "turns": 400},
        "actors": {"a": {"name": "A"}, "b": {"name": "B"}, "c": {"name": "C"}},
        "variables": {},
        "opinion": {
            "issues": {issue: {"label": issue} for issue in issues},
            "groups": {
                g: {"label": g, "actor": "a", "weight": 1 + i, "initial": {"government": 40 + i}, "drift": 0.05,
                    "noise": 1.0}
                for i, g in enumerate(groups)
            },
        },
        "relations": [
            {"between": ["a", "b"], "initial": 10, "drift": 0.1, "noise": 1},
            {"between": ["a", "c"], "initial": -10, "drift": 0.1, "noise": 1},
            {"between": ["b", "c"], "initial": 0, "drift": 0.1, "noise": 1},
        ],
        "influences": [],
        "roles": {
            "player": {"actor": "a", "title": "Player", "levers": {
                f"lever{i}": {"label": f"Lever {i}", "range": [0, 10], "initial": 5, "lag": i % 3} for i in range(6)
            }, "objectives": [{"id": "calm", "label": "Calm", "when": "v0 < 60", "check": "every_turn"}],
                "losses": [{"id": "fall", "label": "Fall", "when": "v1 < 1", "ending": "collapse"}]},
            "rival": {"actor": "b", "title": "Rival", "ai": {"policy": "softmax"}},
            "third": {"actor": "c", "title": "Third", "ai": {"policy": "argmax"}},
        },
        "treaties": [{"id": "pact", "name": "Pact", "parties": ["a", "b"], "articles": [
            {"id": "art1", "title": "Art 1", "summary": "s", "obligation": {
                "holder": "rival", "beneficiary": "a", "scope": "s", "trigger": "v2 > 70",
                "honour": {"label": "H", "effects": [{"target": "v3", "amount": 5}], "weight": 2},
                "evade": {"label": "E", "effects": [{"target": "v3", "amount": -5}]}}}]}],
        "events": [],
        "endings": [
            {"id": "collapse", "title": "Collapse", "text": "t"},
            {"id": "war", "title": "War", "text": "t", "when": "v0 > 98"},
            {"id": "calm", "title": "Calm", "text": "t", "at_end": True},
        ],
        "map": {"view": [100, 0, 150, 50]},
    }
    names = [f"v{i}" for i in range(plain)]
    for i, name in enumerate(names):
        variable: dict[str, Any] = {"label": name, "initial": rnd.uniform(30, 70), "drift": rnd.choice([0, 0.05, 0.1]),
                                    "noise": rnd.choice([0, 0.5, 1, 2]), "key": i < 6}
        if i >= plain - 5:
            variable = {"label": name, "initial": 50, "derived": f"0.5 * v{i - 10} + 0.5 * mean_opinion(government)"}
        data["variables"][name] = variable
    everything = names[:-5] + [f"opinion.{g}.{i}" for g in groups for i in issues] + [
        "relation.a.b", "relation.a.c", "relation.b.c"] + [f"lever.lever{i}" for i in range(6)]
    targets = [v for v in everything if not v.startswith("lever.")]
    shapes = ["linear", "linear", "linear", "sqrt", "square", "threshold", "sign"]
    for _ in range(influences):
        data["influences"].append({
            "from": rnd.choice(everything), "to": rnd.choice(targets), "weight": rnd.uniform(-0.05, 0.05),
            "pivot": rnd.uniform(20, 60), "shape": rnd.choice(shapes),
            "lag": rnd.choice([0, 0, 0, 1, 2, 4]), "inertia": rnd.choice([1, 1, 1, 2, 3]),
        })
    roles = ["player", "rival", "third"]
    for e in range(events):
        a, b = rnd.sample(names[:-5], 2)
        choices = [
            {"id": f"c{c}", "label": f"Choice {c}", "weight": f"1 + {a} / 50" if c == 0 else rnd.uniform(0.5, 2),
             "effects": [{"target": rnd.choice(targets), "amount": rnd.uniform(-5, 5),
                          "delay": rnd.choice([0, 1, 2]), "duration": rnd.choice([1, 2, 4]),
                          "decay": rnd.choice([0, 0.3])}]}
            for c in range(rnd.choice([2, 3, 4]))
        ]
        choices[0]["default"] = True
        data["events"].append({
            "id": f"event{e}", "owner": roles[e % 3], "title": f"Event {e}", "text": "t",
            "when": f"{a} > {rnd.uniform(30, 60):.1f}", "chance": f"clip(0.01 * ({b} - 20), 0, 0.5)",
            "once": False, "cooldown": rnd.choice([2, 4, 8]),
            "effects": [{"target": rnd.choice(targets), "amount": f"0.05 * {a}"}],
            "choices": choices,
        })
    return Scenario.model_validate(data)


def largest_shipped() -> tuple[Scenario, str] | None:
    """The shipped scenario with the most variables + influences + events, or None."""
    best: tuple[int, Scenario, str] | None = None
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        result = load_scenario(path)
        if result.scenario is None or result.abstract:
            continue
        s = result.scenario
        size = len(compile_scenario(s).variable_ids) + len(s.influences) + len(s.events)
        if best is None or size > best[0]:
            best = (size, s, path.name)
    return None if best is None else (best[1], best[2])


def world_turns_per_second(compiled: CompiledScenario, batch: int, turns: int, repeats: int) -> float:
    """Best of `repeats` runs of `turns` turns (the random policy keeps decisions busy)."""
    best = float("inf")
    inputs = TurnInput(policy="random")
    for r in range(repeats):
        state = new_world(compiled, batch, world_keys(np.random.default_rng(r), batch))
        start = time.perf_counter()
        for _ in range(min(turns, compiled.turns)):
            resolve_turn(compiled, state, inputs)
        best = min(best, time.perf_counter() - start)
    return batch * min(turns, compiled.turns) / best


def peak_memory_mb(compiled: CompiledScenario, batch: int, turns: int) -> float:
    tracemalloc.start()
    state = new_world(compiled, batch, world_keys(np.random.default_rng(0), batch))
    for _ in range(min(turns, compiled.turns)):
        resolve_turn(compiled, state, TurnInput(policy="random"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def forecast_latency_ms(compiled: CompiledScenario, repeats: int) -> tuple[float, int]:
    """Median latency of forecasting a decision with (up to) 4 choices × 1,000 worlds × 8 turns."""
    # The event with the most choices (up to 4), made pending in the initial state.
    decision = max(compiled.decisions[: len(compiled.events)], key=lambda d: min(len(d.choices), 4))
    state = new_world(compiled, 1, world_keys(np.random.default_rng(0), 1))
    state.pending_decisions[0, decision.index] = True
    times = []
    for r in range(repeats):
        start = time.perf_counter()
        result = forecast(compiled, state, decision.id, worlds=1000, turns=8, seed=r)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(result.choices)


def cpu_model() -> str:
    """The CPU's model name (as `lscpu` shows it), or 'unknown CPU'."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path)
    parser.add_argument("--generated", action="store_true", help="use the generated large scenario")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke test, not a measurement)")
    args = parser.parse_args(argv)
    if args.scenario is not None:
        result = load_scenario(args.scenario)
        if result.scenario is None:
            for diagnostic in result.diagnostics:
                print(diagnostic.format(), file=sys.stderr)
            return 1
        scenario, name = result.scenario, args.scenario.name
    else:
        shipped = None if args.generated else largest_shipped()
        scenario, name = shipped if shipped else (generated_scenario(), "generated (150 variables, 300 influences)")
    compiled = compile_scenario(scenario)
    repeats = 1 if args.quick else 5
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
          f"numpy {np.__version__}, Python {sys.version.split()[0]}")
    print(f"scenario: {name}: {compiled.variable_count} variables, {compiled.influences.count} influences, "
          f"{len(compiled.events)} events, {len(compiled.obligations)} obligations")
    one = world_turns_per_second(compiled, 1, 40 if args.quick else 200, repeats)
    many = world_turns_per_second(compiled, 10_000, 3 if args.quick else 10, repeats)
    memory = peak_memory_mb(compiled, 10_000, 3)
    latency, choices = forecast_latency_ms(compiled, 3 if args.quick else 21)
    ratio = many / one
    print(f"world-turns/s at B=1:       {one:12,.0f}")
    print(f"world-turns/s at B=10,000:  {many:12,.0f}")
    print(f"vectorisation ratio:        {ratio:12,.0f}x   (target >= 300x)")
    print(f"peak memory at B=10,000:    {memory:12,.1f} MB (target <= 500 MB, tracemalloc)")
    print(f"forecast {choices} x 1,000 x 8:    {latency:12,.1f} ms median (target <= 100 ms, aim 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
