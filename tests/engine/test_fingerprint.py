"""Bit-for-bit fingerprints of every shipped scenario (and the engine's own) under every policy.

Engine optimisations must not change a single result: each case below plays real scenarios from disk
and hashes the exact bytes of what came out (final states, per-run CSV with `repr` floats, forecast
means, causal ledgers). `fingerprints.json` beside this file was recorded before the engine was
reworked for speed; a mismatch means a result changed. To re-record after an intended change of the
rules (never for an optimisation): `python tests/engine/test_fingerprint.py --record`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

if __name__ == "__main__":  # run as a script to record: make the test helpers and the game importable
    sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]

from engine_scenarios import ALL_SCENARIOS, compiled_from, fresh

from game.engine import phase4_kernel
from game.engine.compiled import CompiledScenario
from game.engine.forecast import forecast
from game.engine.turn import PolicyName, TurnInput, resolve_turn
from game.engine.world import WorldState
from game.play.simulate import results_csv, simulate

pytestmark = pytest.mark.slow  # every shipped scenario under every policy

RECORDED = Path(__file__).with_name("fingerprints.json")
SIMULATE_POLICIES = ("random", "first", "historical")
ENGINE_POLICIES: tuple[PolicyName, ...] = ("role", "argmax", "softmax", "random", "first")
# 64 worlds takes the engine's large-batch paths; 3 its small-batch ones (B < SMALL_BATCH).
BATCHES = (64, 3)


def _digest(parts: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()[:24]


def _state_digest(state: WorldState) -> str:
    arrays = [*state._arrays().values(), state.history, state.due_effects]
    return _digest([np.ascontiguousarray(a).tobytes() for a in arrays])


def _simulate_case(compiled: CompiledScenario, policy: str, runs: int) -> str:
    result = simulate(compiled, runs=runs, turns=compiled.turns, seed=5, policy=policy)
    return _digest([results_csv(result).encode()])


def _engine_case(compiled: CompiledScenario, policy: PolicyName, batch: int) -> str:
    state = fresh(compiled, batch=batch, seed=9)
    while state.turn < compiled.turns and state.active(compiled).any():
        resolve_turn(compiled, state, TurnInput(policy=policy))
    return _state_digest(state)


def _ledger_and_forecast_case(compiled: CompiledScenario) -> str:
    """One B = 1 game with the playable roles human (ledger on); a forecast at their first decision."""
    human = frozenset(r for r, role in compiled.scenario.roles.items() if role.playable)
    state = fresh(compiled, seed=2)
    parts: list[bytes] = []
    forecasted = False
    while state.turn < compiled.turns and state.active(compiled).any():
        report = resolve_turn(compiled, state, TurnInput(human_roles=human), ledger=True)
        assert report.ledger is not None
        for variable in compiled.variable_ids:
            parts.append(repr(report.ledger.changes(variable)).encode())
        if not forecasted and report.pending[0] and state.active(compiled)[0] and state.turn < compiled.turns:
            outlook = forecast(compiled, state, report.pending[0][0], worlds=32, turns=4, seed=3, human_roles=human)
            for choice in outlook.choices:
                parts += [choice.choice_id.encode(), choice.mean.tobytes(), choice.p50.tobytes(),
                          repr(sorted(choice.ending_probability.items())).encode()]
            forecasted = True
    parts.append(_state_digest(state).encode())
    return _digest(parts)


def fingerprints(path: Path) -> dict[str, str]:
    compiled = compiled_from(path)
    result = {f"simulate.{p}.{b}": _simulate_case(compiled, p, b) for p in SIMULATE_POLICIES for b in BATCHES}
    result |= {f"engine.{p}.{b}": _engine_case(compiled, p, b) for p in ENGINE_POLICIES for b in BATCHES}
    result["ledger_forecast"] = _ledger_and_forecast_case(compiled)
    return result


# The synthetic stress scenario of `benchmarks/bench_engine.py --generated` (150 variables, 300 influences,
# 40 events): the engine's fast paths for big scenarios (grouped events and decisions, the compiled phase 4)
# are taken there at sizes no shipped scenario reaches. 1,100 worlds cross phase 4's block of 1,024.
GENERATED = "generated_large (benchmarks/bench_engine.py)"
GENERATED_BATCH = 1100
GENERATED_TURNS = 12


def generated_fingerprints() -> dict[str, str]:
    from benchmarks.bench_engine import generated_scenario
    from benchmarks.profile_engine import forecast_setup
    from game.engine.compiled import compile_scenario

    compiled = compile_scenario(generated_scenario())
    result: dict[str, str] = {}
    for policy in ENGINE_POLICIES:
        state = fresh(compiled, batch=GENERATED_BATCH, seed=9)
        parts = []
        for _ in range(GENERATED_TURNS):
            report = resolve_turn(compiled, state, TurnInput(policy=policy))
            parts.append(_state_digest(state).encode())
            parts.append(repr((report.fired[:50], report.decided[:50], report.obligations[:50])).encode())
        result[f"engine.{policy}.{GENERATED_BATCH}"] = _digest(parts)
    state, decision = forecast_setup(compiled)
    outlook = forecast(compiled, state, decision, worlds=500, turns=8, seed=4)
    parts = []
    for choice in outlook.choices:
        parts += [choice.choice_id.encode(), choice.mean.tobytes(), choice.p10.tobytes(), choice.p90.tobytes(),
                  choice.trajectory_mean.tobytes(), repr(sorted(choice.ending_probability.items())).encode()]
    result["forecast.4x500x8"] = _digest(parts)
    return result


def _recorded() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(RECORDED.read_text("utf-8"))
    return data


@pytest.fixture(params=["numpy", "compiled"])
def phase4(request: pytest.FixtureRequest) -> Iterator[str]:
    """Both engines of phase 4: numpy's passes, and numba's compiled loops (`phase4_kernel`), forced on for
    every batch size (by default it runs from 64 worlds, where the fingerprint's large batches start)."""
    if request.param == "compiled" and not phase4_kernel.available():
        pytest.skip("numba is not installed (the test extra has it)")
    phase4_kernel.use_kernel(request.param == "compiled")
    try:
        yield request.param
    finally:
        phase4_kernel.use_kernel(None)


@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=lambda p: p.stem)
def test_results_are_unchanged_bit_for_bit(path: Path, phase4: str) -> None:
    recorded = _recorded()
    assert path.name in recorded, f"no fingerprint recorded for {path.name}: run this file with --record"
    assert fingerprints(path) == recorded[path.name]


def test_the_generated_stress_scenario_is_unchanged_bit_for_bit(phase4: str) -> None:
    recorded = _recorded()
    assert GENERATED in recorded, "no fingerprint recorded for the generated scenario: run this file with --record"
    assert generated_fingerprints() == recorded[GENERATED]


def test_every_scenario_has_a_fingerprint() -> None:
    assert sorted(_recorded()) == sorted([GENERATED, *(p.name for p in ALL_SCENARIOS)])


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python tests/engine/test_fingerprint.py --record")
    table = {path.name: fingerprints(path) for path in ALL_SCENARIOS}
    table[GENERATED] = generated_fingerprints()
    RECORDED.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(table)} scenarios in {RECORDED}")
