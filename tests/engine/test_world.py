"""World state: creation, copies, tiling, snapshots (save → load → continue equals uninterrupted play)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from engine_scenarios import fresh

from game.engine.compiled import CompiledScenario
from game.engine.turn import TurnInput, resolve_turn
from game.engine.world import WorldState, new_world, world_keys

INPUTS = [
    TurnInput(lever_settings={"defense": 3}),
    TurnInput(),
    TurnInput(lever_settings={"aid": 6}),
    TurnInput(),
    TurnInput(lever_settings={"defense": 0.5}),
    TurnInput(),
    TurnInput(),
    TurnInput(),
]


def assert_same(a: WorldState, b: WorldState) -> None:
    assert a.turn == b.turn
    for name, array in a._arrays().items():
        assert np.array_equal(array, b._arrays()[name]), name
    assert np.array_equal(a.history, b.history)
    assert np.array_equal(a.due_effects, b.due_effects)
    assert a.due_effect_records == b.due_effect_records


def test_new_world_shapes(mechanics: CompiledScenario) -> None:
    state = fresh(mechanics, batch=5)
    assert state.values.shape == (5, mechanics.variable_count)
    assert state.values.dtype == np.float64
    assert state.keys.dtype == np.uint64
    assert state.ending.tolist() == [-1] * 5
    assert state.pending_decisions.shape == (5, len(mechanics.event_ids))
    assert state.obligation_state.shape == (5, 1, 3)


def test_new_world_needs_one_key_per_world(mechanics: CompiledScenario) -> None:
    with pytest.raises(ValueError, match="needs 3 keys"):
        new_world(mechanics, 3, np.zeros(2, dtype=np.uint64))


def test_snapshot_round_trip_through_json_then_continue(mechanics: CompiledScenario) -> None:
    uninterrupted = fresh(mechanics, seed=11)
    for inputs in INPUTS:
        resolve_turn(mechanics, uninterrupted, inputs)

    state = fresh(mechanics, seed=11)
    for inputs in INPUTS[:4]:
        resolve_turn(mechanics, state, inputs)
    text = json.dumps(state.to_snapshot())
    restored = WorldState.from_snapshot(mechanics, json.loads(text))
    assert_same(restored, state)
    for inputs in INPUTS[4:]:
        resolve_turn(mechanics, restored, inputs)
    assert_same(restored, uninterrupted)


def test_snapshot_written_before_the_due_effects_rename_still_loads(timing: CompiledScenario) -> None:
    player = frozenset({"player"})
    state = fresh(timing, seed=4)
    for t in range(4):
        resolve_turn(timing, state, TurnInput(choices={"pulse": "kick"} if t == 3 else {}, human_roles=player))
    assert state.due_effects.any() and state.due_effect_records, "no effect is due: this test would check nothing"
    data = json.loads(json.dumps(state.to_snapshot()))
    data["pending"] = data.pop("due_effects")
    data["pending_records"] = data.pop("due_effect_records")
    assert_same(WorldState.from_snapshot(timing, data), state)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.update(version=99), "unknown snapshot version"),
        (lambda d: d.pop("values"), "does not fit"),
        (lambda d: d.update(values=[[1.0, 2.0]]), "does not fit"),
        (lambda d: d.update(history="x"), "does not fit"),
        (lambda d: d["values"][0].__setitem__(0, float("nan")), "not finite"),
    ],
)
def test_bad_snapshots_are_refused_with_a_message(mechanics: CompiledScenario, damage: object, message: str) -> None:
    data = json.loads(json.dumps(fresh(mechanics).to_snapshot()))
    damage(data)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        WorldState.from_snapshot(mechanics, data)


def test_copy_is_independent(mechanics: CompiledScenario) -> None:
    state = fresh(mechanics)
    copy = state.copy()
    resolve_turn(mechanics, copy, TurnInput())
    assert state.turn == 0 and copy.turn == 1
    assert not np.array_equal(state.values, copy.values)


def test_repeat_tiles_one_world(mechanics: CompiledScenario) -> None:
    state = fresh(mechanics)
    resolve_turn(mechanics, state, TurnInput(lever_settings={"defense": 3}))
    keys = world_keys(np.random.default_rng(5), 4)
    tiled = state.repeat(4, keys)
    assert tiled.batch == 4
    assert np.array_equal(tiled.keys, keys)
    assert np.array_equal(tiled.values, np.repeat(state.values, 4, axis=0))
    assert np.array_equal(tiled.due_effects[:, :, 3], state.due_effects[:, :, 0])
    with pytest.raises(ValueError, match="one world"):
        tiled.repeat(2, keys[:2])


def test_select_one_world_of_a_batch(mechanics: CompiledScenario) -> None:
    batch = fresh(mechanics, batch=4)
    resolve_turn(mechanics, batch, TurnInput())
    one = batch.select([2])
    assert one.batch == 1
    assert np.array_equal(one.values[0], batch.values[2])


def test_labels(mechanics: CompiledScenario) -> None:
    assert mechanics.label("tension") == "Tension"
    assert mechanics.label("opinion.city.government") == "City: The government"
    assert mechanics.label("relation.home.rival") == "Home – Rival"
    assert mechanics.label("lever.defense") == "Defense budget"
    assert mechanics.label("tension", "ja") == "Tension"  # English fallback


def test_calendar(mechanics: CompiledScenario) -> None:
    assert mechanics.start_month == 1960 * 12
    assert mechanics.months_per_turn == 3
    assert mechanics.month_of_turn(5) == 1961 * 12 + 3
