"""CPU time of the engine on the generated stress scenario, per phase: for comparing engine versions.

    python benchmarks/profile_engine.py [--repeats N]

Wall-clock figures on a shared VM move by ±15% between identical runs; CPU time (`time.process_time`)
of the same work, taking the minimum of many repetitions, moves much less. This prints the minimum
CPU time of a 4 × 1,000 × 8 forecast, of one B = 10,000 turn (after two warm-up turns, so the rings'
first page faults are not counted) and of one B = 1 turn, the ratio those imply, and the CPU time per
pipeline phase of the forecast and of the B = 10,000 turn, so two versions can be compared by running
this on each in the same minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_engine import generated_scenario  # noqa: E402
from game.engine import turn as turn_module  # noqa: E402
from game.engine.compiled import CompiledScenario, compile_scenario  # noqa: E402
from game.engine.forecast import forecast  # noqa: E402
from game.engine.turn import TurnInput, resolve_turn  # noqa: E402
from game.engine.world import WorldState, new_world, world_keys  # noqa: E402

# The phase functions `resolve_turn` calls by their module-level names.
PHASES = ("apply_commands", "decide_ai", "apply_due_effects", "move_world", "recompute_and_clamp",
          "trigger_events", "check_obligations", "check_endings")


def forecast_setup(compiled: CompiledScenario) -> tuple[WorldState, str]:
    """The benchmark's forecast: the event with the most choices (up to 4), pending in the initial state."""
    decision = max(compiled.decisions[: len(compiled.events)], key=lambda d: min(len(d.choices), 4))
    state = new_world(compiled, 1, world_keys(np.random.default_rng(0), 1))
    state.pending_decisions[0, decision.index] = True
    return state, decision.id


def forecast_cpu_ms(compiled: CompiledScenario, repeats: int) -> float:
    state, decision = forecast_setup(compiled)
    best = float("inf")
    for r in range(repeats):
        start = time.process_time()
        forecast(compiled, state, decision, worlds=1000, turns=8, seed=r)
        best = min(best, time.process_time() - start)
    return best * 1000


def big_turn_cpu_ms(compiled: CompiledScenario, repeats: int, batch: int = 10_000) -> float:
    inputs = TurnInput(policy="random")
    state = new_world(compiled, batch, world_keys(np.random.default_rng(0), batch))
    for _ in range(2):
        resolve_turn(compiled, state, inputs)
    best = float("inf")
    for _ in range(repeats):
        if state.turn >= compiled.turns:
            break
        start = time.process_time()
        resolve_turn(compiled, state, inputs)
        best = min(best, time.process_time() - start)
    return best * 1000


def small_turn_cpu_us(compiled: CompiledScenario, turns: int = 200, repeats: int = 5) -> float:
    """CPU time of one turn of a single world (B = 1, the random policy), in µs: minimum over runs of `turns` turns."""
    inputs = TurnInput(policy="random")
    best = float("inf")
    for r in range(repeats):
        state = new_world(compiled, 1, world_keys(np.random.default_rng(r), 1))
        start = time.process_time()
        for _ in range(turns):
            resolve_turn(compiled, state, inputs)
        best = min(best, (time.process_time() - start) / turns)
    return best * 1e6


def phase_cpu_ms(compiled: CompiledScenario, repeats: int,
                 work: Callable[[int], None] | None = None) -> dict[str, float]:
    """CPU time per phase of `repeats` runs of `work(r)` (default: the forecast), in ms per run."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(turn_module, name) for name in PHASES}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return wrapper

    if work is None:
        state, decision = forecast_setup(compiled)

        def work(r: int) -> None:
            forecast(compiled, state, decision, worlds=1000, turns=8, seed=r)

    try:
        for name, function in originals.items():
            setattr(turn_module, name, timed(name, function))
        start = time.process_time()
        for r in range(repeats):
            work(r)
        total = time.process_time() - start
    finally:
        for name, function in originals.items():
            setattr(turn_module, name, function)
    result = {name: spent[name] * 1000 / repeats for name in PHASES}
    result["rest"] = total * 1000 / repeats - sum(result.values())
    return result


def big_turn_phases(compiled: CompiledScenario, repeats: int, batch: int = 10_000) -> dict[str, float]:
    """CPU time per phase of one B = 10,000 turn (the third of a fresh state), in ms."""
    inputs = TurnInput(policy="random")
    states = []
    for r in range(repeats):
        state = new_world(compiled, batch, world_keys(np.random.default_rng(r), batch))
        for _ in range(2):
            resolve_turn(compiled, state, inputs)
        states.append(state)

    def work(r: int) -> None:
        resolve_turn(compiled, states[r], inputs)

    return phase_cpu_ms(compiled, repeats, work)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    compiled = compile_scenario(generated_scenario())
    print(f"forecast 4 x 1,000 x 8:  {forecast_cpu_ms(compiled, args.repeats):8.1f} ms CPU (minimum of {args.repeats})")
    big = big_turn_cpu_ms(compiled, args.repeats)
    small = small_turn_cpu_us(compiled)
    print(f"one turn at B = 10,000:  {big:8.1f} ms CPU (minimum of {args.repeats})")
    print(f"one turn at B = 1:       {small:8.1f} µs CPU (minimum of 5 runs of 200 turns)")
    print(f"CPU ratio (world-turns per CPU second, B = 10,000 over B = 1): {10_000 * small / (big * 1000):.0f}x")
    forecast_phases = phase_cpu_ms(compiled, args.repeats)
    turn_phases = big_turn_phases(compiled, args.repeats)
    print(f"CPU per phase (mean)    {'forecast':>10} {'B = 10,000':>11}")
    for name, ms in forecast_phases.items():
        print(f"  {name:22s} {ms:7.1f} ms {turn_phases[name]:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
