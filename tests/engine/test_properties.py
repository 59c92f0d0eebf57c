"""Property tests with random commands on the engine's fixtures and every shipped scenario.

Values stay finite and within their ranges; the ledger's parts sum to each change; the same seed and
commands give the same arrays bit for bit; a world in a batch of 7 equals the same world run alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from engine_scenarios import ALL_SCENARIOS, compiled_from
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from game.engine.compiled import CompiledScenario
from game.engine.turn import TurnInput, resolve_turn
from game.engine.world import WorldState, new_world

IDS = [path.stem for path in ALL_SCENARIOS]
# No shrinking: a failing example is reported as drawn (shrinking whole games takes minutes in CI).
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True, phases=[Phase.explicit, Phase.generate])


@st.composite
def command_lists(draw: st.DrawFn, compiled: CompiledScenario) -> tuple[int, frozenset[str], list[TurnInput]]:
    """A seed, the human roles and up to 12 turns of random lever settings and choices."""
    seed = draw(st.integers(0, 2**32 - 1))
    humans = frozenset(draw(st.sets(st.sampled_from(compiled.role_ids)))) if compiled.role_ids else frozenset()
    policy = draw(st.sampled_from(["role", "argmax", "softmax", "random", "first"]))
    turns = draw(st.integers(1, min(12, compiled.turns)))
    commands = []
    for _ in range(turns):
        levers = {}
        for lever in draw(st.sets(st.sampled_from(compiled.lever_ids))) if compiled.lever_ids else ():
            variable = compiled.variable_index[f"lever.{lever}"]
            lo, hi = float(compiled.lower[variable]), float(compiled.upper[variable])
            levers[lever] = draw(st.floats(lo - (hi - lo), hi + (hi - lo), allow_nan=False))
        choices = {
            decision.id: draw(st.sampled_from([c.id for c in decision.choices]))
            for decision in compiled.decisions
            if draw(st.booleans())
        }
        commands.append(TurnInput(lever_settings=levers, choices=choices, human_roles=humans, policy=policy))
    return seed, humans, commands


def keys_for(seed: int, batch: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**63, size=batch, dtype=np.uint64)


def run(compiled: CompiledScenario, seed: int, batch: int, commands: list[TurnInput], ledger: bool = False
        ) -> WorldState:
    state = new_world(compiled, batch, keys_for(seed, batch))
    for inputs in commands:
        if state.turn >= compiled.turns:
            break
        before = state.values.copy()
        report = resolve_turn(compiled, state, inputs, ledger=ledger)
        assert np.all(np.isfinite(state.values))
        assert np.all(state.values >= compiled.lower) and np.all(state.values <= compiled.upper)
        if ledger and report.ledger is not None:
            for v, variable in enumerate(compiled.variable_ids):
                parts = sum(amount for _, amount in report.ledger.changes(variable))
                change = state.values[0, v] - before[0, v]
                assert abs(parts - change) <= 1e-9, (variable, report.ledger.changes(variable), change)
    return state


def arrays(state: WorldState) -> dict[str, np.ndarray]:
    return {**state._arrays(), "history": state.history, "due_effects": state.due_effects}


@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=IDS)
def test_values_stay_finite_in_range_and_the_ledger_sums(path: Path) -> None:
    compiled = compiled_from(path)

    @SETTINGS
    @given(command_lists(compiled))
    def check(case: tuple[int, frozenset[str], list[TurnInput]]) -> None:
        seed, _, commands = case
        run(compiled, seed, 1, commands, ledger=True)

    check()


@pytest.mark.slow  # every shipped scenario, twice
@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=IDS)
def test_same_seed_and_commands_give_identical_arrays(path: Path) -> None:
    compiled = compiled_from(path)

    @SETTINGS
    @given(command_lists(compiled))
    def check(case: tuple[int, frozenset[str], list[TurnInput]]) -> None:
        seed, _, commands = case
        first, second = run(compiled, seed, 3, commands), run(compiled, seed, 3, commands)
        for name, array in arrays(first).items():
            assert np.array_equal(array, arrays(second)[name]), name
        other = run(compiled, seed + 1, 3, commands)
        if commands and len(compiled.noise_variables):
            assert not np.array_equal(first.values, other.values)

    check()


@pytest.mark.slow  # every shipped scenario, in batches
@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=IDS)
def test_a_world_does_not_depend_on_its_batch(path: Path) -> None:
    compiled = compiled_from(path)

    @SETTINGS
    @given(command_lists(compiled), st.integers(0, 6))
    def check(case: tuple[int, frozenset[str], list[TurnInput]], world: int) -> None:
        seed, _, commands = case
        batch = run(compiled, seed, 7, commands)
        alone = new_world(compiled, 1, keys_for(seed, 7)[world : world + 1])
        for inputs in commands[: compiled.turns]:
            resolve_turn(compiled, alone, inputs)
        for name, array in arrays(batch).items():
            mine = array[:, :, world] if name in ("history", "due_effects") else array[world]
            theirs = arrays(alone)[name]
            theirs = theirs[:, :, 0] if name in ("history", "due_effects") else theirs[0]
            assert np.array_equal(mine, theirs), name

    check()


def test_worlds_across_block_boundaries_equal_single_runs() -> None:
    # Phase 4 works in blocks of WORLD_BLOCK worlds; worlds on either side of a boundary are unaffected.
    from game.engine.turn import WORLD_BLOCK

    compiled = compiled_from(ALL_SCENARIOS[0])
    batch_size = WORLD_BLOCK + 5
    commands = [TurnInput(policy="softmax")] * 5
    batch = run(compiled, 3, batch_size, commands)
    for world in (0, WORLD_BLOCK - 1, WORLD_BLOCK, batch_size - 1):
        alone = new_world(compiled, 1, keys_for(3, batch_size)[world : world + 1])
        for inputs in commands:
            resolve_turn(compiled, alone, inputs)
        assert np.array_equal(batch.values[world], alone.values[0]), world


def test_a_large_batch_with_repeated_keys_equals_single_runs() -> None:
    # A batch of at least SMALL_BATCH worlds narrows event tests to the worlds in question, and worlds
    # sharing a key (as a forecast's choices do) share their drawn shocks: neither may change a world.
    from game.engine.turn import SMALL_BATCH

    compiled = compiled_from(ALL_SCENARIOS[0])
    keys = np.tile(keys_for(5, SMALL_BATCH // 2 + 3), 2)
    batch = new_world(compiled, len(keys), keys)
    commands = [TurnInput(policy="random")] * 6
    for inputs in commands:
        resolve_turn(compiled, batch, inputs)
    for world in (0, 7, len(keys) - 1):
        alone = new_world(compiled, 1, keys[world : world + 1])
        for inputs in commands:
            resolve_turn(compiled, alone, inputs)
        for name, array in arrays(batch).items():
            mine = array[:, :, world] if name in ("history", "due_effects") else array[world]
            theirs = arrays(alone)[name]
            theirs = theirs[:, :, 0] if name in ("history", "due_effects") else theirs[0]
            assert np.array_equal(mine, theirs), (name, world)
