"""Loss conditions, endings, frozen worlds, objectives and grades (tests/fixtures/engine/timing.yaml)."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import fresh

from game.engine.compiled import CompiledScenario
from game.engine.scoring import evaluate_role, final_ending, grade_letter, role_points
from game.engine.turn import TurnInput, resolve_turn
from game.engine.world import WorldState

PLAYER = frozenset({"player"})


def ending_of(compiled: CompiledScenario, state: WorldState) -> str | None:
    index = int(state.ending[0])
    return None if index < 0 else compiled.ending_ids[index]


def test_a_human_roles_loss_ends_the_game_and_freezes_the_world(timing: CompiledScenario) -> None:
    state = fresh(timing)
    resolve_turn(timing, state, TurnInput(lever_settings={"switch": 1}, human_roles=PLAYER))
    ended_at = None
    for _ in range(1, 12):
        report = resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
        if report.ended[0]:
            ended_at = state.turn - 1
    assert ended_at == 7
    assert ending_of(timing, state) == "fallen"
    assert state.ended_turn[0] == 7
    assert state.values[0, timing.variable_index["source"]] == 80  # frozen after turn 7


def test_an_ai_roles_loss_does_not_end_the_game(timing: CompiledScenario) -> None:
    state = fresh(timing)
    resolve_turn(timing, state, TurnInput(lever_settings={"switch": 1}))
    for _ in range(1, 12):
        resolve_turn(timing, state, TurnInput())
    assert state.ending[0] == -1


def test_a_when_ending_ends_the_game(timing: CompiledScenario) -> None:
    state = fresh(timing)
    resolve_turn(timing, state, TurnInput(lever_settings={"dial": 100}, human_roles=PLAYER))
    while state.ending[0] < 0 and state.turn < timing.turns:
        resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
    assert ending_of(timing, state) == "boom"
    assert state.ended_turn[0] == 14  # source reaches 150 at the end of turn 14


def test_at_the_last_turn_the_first_matching_at_end_ending_is_chosen(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for t in range(timing.turns):
        report = resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
        assert bool(report.ended[0]) == (t == timing.turns - 1)
    assert ending_of(timing, state) == "plain"  # `quiet` comes first but does not hold
    assert final_ending(timing, state).tolist() == [timing.ending_ids.index("plain")]


def test_final_ending_before_the_end_evaluates_at_end_endings(timing: CompiledScenario) -> None:
    state = fresh(timing)
    assert final_ending(timing, state).tolist() == [timing.ending_ids.index("plain")]


def test_frozen_worlds_in_a_batch_do_not_affect_the_others(timing: CompiledScenario) -> None:
    # World 0 loses at turn 7; world 1 plays on, exactly as if alone.
    batch = fresh(timing, batch=2)
    alone = fresh(timing, batch=1)
    alone.keys[:] = batch.keys[1]
    batch.values[0, timing.variable_index["lever.switch"]] = 1
    for _ in range(12):
        resolve_turn(timing, batch, TurnInput(human_roles=PLAYER))
        resolve_turn(timing, alone, TurnInput(human_roles=PLAYER))
    assert batch.ending[0] == timing.ending_ids.index("fallen")
    assert np.array_equal(batch.values[1], alone.values[0])


def test_objectives_and_grade(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for _ in range(timing.turns):
        resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
    score = evaluate_role(timing, state, "player")
    # every_turn: source < 45 after turns 0..3 (10, 20, 30, 40) → 10 × 4 / 20 = 2 points;
    # end: the drifter (halved every turn) is below 1 → 20 points. 22 / 30 = 73.3 % → B.
    assert score.points == pytest.approx(22)
    assert score.max_points == 30
    assert score.percent == pytest.approx(100 * 22 / 30)
    assert score.grade == "B"
    assert [(o.id, o.met) for o in score.objectives] == [("small", False), ("settled", True)]
    assert role_points(timing, state, "player").tolist() == pytest.approx([22])


def test_a_role_without_objectives_scores_zero(timing: CompiledScenario) -> None:
    score = evaluate_role(timing, fresh(timing), "machine")
    assert (score.points, score.max_points, score.percent, score.grade) == (0, 0, 0, "E")


@pytest.mark.parametrize(("percent", "letter"), [(100, "A"), (80, "A"), (79.9, "B"), (45, "C"), (20, "D"), (5, "E")])
def test_grade_thresholds(timing: CompiledScenario, percent: float, letter: str) -> None:
    assert grade_letter(timing, percent) == letter


def test_unknown_role_is_a_clear_error(timing: CompiledScenario) -> None:
    with pytest.raises(KeyError, match="unknown role 'nobody'"):
        evaluate_role(timing, fresh(timing), "nobody")
