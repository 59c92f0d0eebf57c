"""Property test: a classroom game with random player and facilitator commands, saved at a random turn, loaded
and continued, equals the same game played without interruption."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.play.commands import Adjust, Choose, CommandRejected, Inject, SetLever, Timeout
from game.play.room import Room, Seat
from game.play.room_saves import load_room_save, write_room_save
from game.play.session import Session
from game.scenario.loader import load_scenario
from tests.fake_time import FakeTime

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "play" / "classroom_desks.yaml"
SCENARIO = load_scenario(FIXTURE).scenario
SEATS = (Seat("alpha_pm", "Team A"), Seat("beta_leader", "Team B"))

# One turn: a lever setting for each seat (or none), the facilitator's move (0 none, 1 inject leak,
# 2 inject summit, 3 adjust tension, 4 time out alpha), and which open option each seat picks.
turn_plans = st.tuples(
    st.none() | st.floats(0.5, 3.0, allow_nan=False),
    st.none() | st.integers(0, 10),
    st.integers(0, 4),
    st.floats(0.0, 100.0, allow_nan=False),
    st.integers(0, 3),
)


def play_turn(room: Room, plan: tuple[float | None, int | None, int, float, int]) -> None:
    budget, patrols, move, level, pick = plan
    if budget is not None:
        room.apply(SetLever("alpha_pm", "defense_budget", budget))
    if patrols is not None:
        room.apply(SetLever("beta_leader", "patrols", float(patrols)))
    if move == 1 or move == 2:
        with contextlib.suppress(CommandRejected):  # already pending: the facilitator is told so
            room.apply(Inject("leak" if move == 1 else "summit_offer"))
    elif move == 3:
        room.apply(Adjust("tension", level, "the facilitator's test"))
    elif move == 4:
        room.apply(Timeout("alpha_pm"))
    for role in room.session.roles_still_to_end():
        for pending in room.session.pending_decisions(role):
            if pending.awaits_choice:
                room.apply(Choose(role, pending.event_id, pending.available[pick % len(pending.available)]))
        room.ready(role)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**63 - 1), plans=st.lists(turn_plans, min_size=8, max_size=8),
       save_after=st.integers(0, 7))
def test_room_save_load_continue_equals_uninterrupted(
    tmp_path_factory: pytest.TempPathFactory, seed: int,
    plans: list[tuple[float | None, int | None, int, float, int]], save_after: int,
) -> None:
    assert SCENARIO is not None
    folder = tmp_path_factory.mktemp("rooms")

    def new_room() -> Room:
        session = Session.start(SCENARIO, [s.role for s in SEATS], seed, scenario_path=str(FIXTURE))
        return Room(session, SEATS, turn_limit=300.0, now=FakeTime(0.0))

    uninterrupted = new_room()
    for plan in plans:
        if not uninterrupted.session.is_over:
            play_turn(uninterrupted, plan)

    first = new_room()
    for plan in plans[:save_after]:
        if not first.session.is_over:
            play_turn(first, plan)
    loaded = load_room_save(write_room_save(first, folder / "class.json"), now=FakeTime(0.0))
    assert loaded.loaded.warnings == []
    resumed = loaded.room
    for plan in plans[save_after:]:
        if not resumed.session.is_over:
            play_turn(resumed, plan)

    assert resumed.session.commands == uninterrupted.session.commands
    assert resumed.session.snapshot() == uninterrupted.session.snapshot()
    assert np.array_equal(np.array(resumed.session.history), np.array(uninterrupted.session.history))
    assert resumed.session.news == uninterrupted.session.news
