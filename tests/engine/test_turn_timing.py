"""Lags, inertia, delays, durations, decay, drift, clamping and levers, checked against hand-worked numbers.

The fixture tests/fixtures/engine/timing.yaml has no noise and no chance: `source` grows by exactly 10
per turn, so in turn t influences read source = 10·t (after t turns of growth).
"""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import fresh

from game.engine.compiled import CompiledScenario
from game.engine.turn import TurnError, TurnInput, resolve_turn
from game.engine.world import WorldState

PLAYER = TurnInput(human_roles=frozenset({"player"}))


def value(compiled: CompiledScenario, state: WorldState, variable: str) -> float:
    return float(state.values[0, compiled.variable_index[variable]])


def run(compiled: CompiledScenario, turns: int, inputs: dict[int, TurnInput] | None = None) -> list[dict[str, float]]:
    """Values after each turn (index t = after turn t)."""
    state = fresh(compiled)
    history = []
    for t in range(turns):
        resolve_turn(compiled, state, (inputs or {}).get(t, PLAYER))
        history.append({v: value(compiled, state, v) for v in compiled.variable_ids})
    return history


def source_read(t: int) -> float:
    """What influences read of `source` in turn t; before turn 0 it was its initial value 0."""
    return 10.0 * max(t, 0)


def test_source_grows_by_ten(timing: CompiledScenario) -> None:
    history = run(timing, 5)
    assert [h["source"] for h in history] == [10, 20, 30, 40, 50]


def test_lag_reads_the_source_as_it_was_lag_turns_ago(timing: CompiledScenario) -> None:
    history = run(timing, 8)
    expected = 0.0
    for t in range(8):
        expected += source_read(t - 2)
        assert history[t]["lagged"] == pytest.approx(expected), t


def test_inertia_averages_the_last_turns(timing: CompiledScenario) -> None:
    history = run(timing, 8)
    smooth = both = 0.0
    for t in range(8):
        smooth += (source_read(t) + source_read(t - 1) + source_read(t - 2)) / 3
        both += (source_read(t - 1) + source_read(t - 2)) / 2  # lag 1, inertia 2
        assert history[t]["smooth"] == pytest.approx(smooth), t
        assert history[t]["both"] == pytest.approx(both), t


def test_drift_closes_the_gap_by_its_fraction(timing: CompiledScenario) -> None:
    history = run(timing, 4)
    assert [h["drifter"] for h in history] == pytest.approx([50, 25, 12.5, 6.25])


def test_values_are_clamped_to_their_range(timing: CompiledScenario) -> None:
    assert run(timing, 1)[0]["clamped"] == 10


def test_derived_variables_follow_their_formula(timing: CompiledScenario) -> None:
    state = fresh(timing)
    assert value(timing, state, "double") == 0
    for _ in range(3):
        resolve_turn(timing, state, PLAYER)
        assert value(timing, state, "double") == 2 * value(timing, state, "source")


def test_effects_with_delay_duration_and_decay(timing: CompiledScenario) -> None:
    # `pulse` (date 2000-03 = turn 2) fires in phase 6 of turn 2; its own effect (+1, delay 0) lands
    # in turn 3. The player kicks in turn 3: +8 with delay 1, duration 3, decay 0.5 → 8, 4, 2 in turns
    # 4, 5, 6. The follow-up `echo` is the machine's (AI): decided in phase 2 of turn 3, +100 in turn 3.
    kick = TurnInput(choices={"pulse": "kick"}, human_roles=frozenset({"player"}))
    history = run(timing, 8, {3: kick})
    sink = [h["sink"] for h in history]
    assert sink == pytest.approx([0, 0, 0, 101, 109, 113, 115, 115])


def test_a_human_decision_left_open_takes_the_default(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for _ in range(3):
        report = resolve_turn(timing, state, PLAYER)
    assert report.pending == [["pulse"]]
    report = resolve_turn(timing, state, PLAYER)  # no choice given: `skip` is the default
    assert ("pulse", "skip", "player") in report.decided[0]
    assert value(timing, state, "sink") == 1  # only the event's own effect


def test_lever_moves_in_equal_steps_over_its_lag(timing: CompiledScenario) -> None:
    state = fresh(timing)
    resolve_turn(timing, state, PLAYER)
    dial, follower = [], []
    for t in range(1, 7):
        inputs = TurnInput(lever_settings={"dial": 100}, human_roles=PLAYER.human_roles) if t == 1 else PLAYER
        resolve_turn(timing, state, inputs)
        dial.append(value(timing, state, "lever.dial"))
        follower.append(value(timing, state, "follower"))
    assert dial == [25, 50, 75, 100, 100, 100]
    # Influences read the lever before it moves in the same turn: the follower lags one turn behind.
    assert follower == pytest.approx([0, 25, 75, 150, 250, 350])


def test_lever_without_lag_moves_at_once_and_is_clamped(timing: CompiledScenario) -> None:
    state = fresh(timing)
    resolve_turn(timing, state, TurnInput(lever_settings={"switch": 7}))
    assert value(timing, state, "lever.switch") == 1


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (TurnInput(lever_settings={"nonsense": 1}), "unknown lever"),
        (TurnInput(lever_settings={"dial": float("nan")}), "cannot be set"),
        (TurnInput(choices={"nonsense": "x"}), "unknown decision"),
        (TurnInput(human_roles=frozenset({"nobody"})), "unknown role"),
    ],
)
def test_bad_commands_are_refused_with_a_message(timing: CompiledScenario, inputs: TurnInput, message: str) -> None:
    with pytest.raises(TurnError, match=message):
        resolve_turn(timing, fresh(timing), inputs)


def test_unknown_choice_is_refused(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for _ in range(3):
        resolve_turn(timing, state, PLAYER)
    with pytest.raises(TurnError, match="has no choice 'nope'"):
        resolve_turn(timing, state, TurnInput(choices={"pulse": "nope"}, human_roles=PLAYER.human_roles))


def test_the_calendar_ends(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for _ in range(timing.turns):
        resolve_turn(timing, state, PLAYER)
    with pytest.raises(TurnError, match="over"):
        resolve_turn(timing, state, PLAYER)


def test_history_before_the_first_turn_is_the_initial_value(timing: CompiledScenario) -> None:
    state = fresh(timing)
    assert np.all(state.history == 0.0)  # `source` starts at 0
