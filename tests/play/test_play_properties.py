"""Property tests over random command sequences: save → load → continue equals uninterrupted play."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.play.commands import Choose, SetLever
from game.play.saves import load_save, write_save
from game.play.session import Session
from game.scenario.loader import load_scenario

ROLE = "alpha_pm"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "play" / "two_desks.yaml"
SCENARIO = load_scenario(FIXTURE).scenario

# One turn of a random player: maybe a new lever setting, and a pick among the open options.
turn_plans = st.tuples(st.none() | st.floats(0.5, 3.0, allow_nan=False), st.integers(0, 3))


def play_turn(session: Session, lever: float | None, pick: int) -> None:
    if lever is not None:
        session.apply(SetLever(ROLE, "defense_budget", lever))
    for pending in session.pending_decisions(ROLE):
        session.apply(Choose(ROLE, pending.event_id, pending.available[pick % len(pending.available)]))
    session.end_turn()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**63 - 1), plans=st.lists(turn_plans, min_size=8, max_size=8),
       save_after=st.integers(0, 7))
def test_save_load_continue_equals_uninterrupted(
    tmp_path_factory: pytest.TempPathFactory, seed: int, plans: list[tuple[float | None, int]], save_after: int,
) -> None:
    assert SCENARIO is not None
    folder = tmp_path_factory.mktemp("saves")
    uninterrupted = Session.start(SCENARIO, ROLE, seed, scenario_path=str(FIXTURE))
    for lever, pick in plans:
        play_turn(uninterrupted, lever, pick)
    assert uninterrupted.is_over

    first_half = Session.start(SCENARIO, ROLE, seed, scenario_path=str(FIXTURE))
    for lever, pick in plans[:save_after]:
        play_turn(first_half, lever, pick)
    loaded = load_save(write_save(first_half, folder / "game.json"))
    assert loaded.warnings == []
    resumed = loaded.session
    for lever, pick in plans[save_after:]:
        play_turn(resumed, lever, pick)

    assert np.array_equal(np.array(resumed.history), np.array(uninterrupted.history))
    assert resumed.snapshot() == uninterrupted.snapshot()
    assert resumed.ending == uninterrupted.ending
    assert resumed.commands == uninterrupted.commands
    values = np.array(resumed.history)
    compiled = resumed.compiled
    assert np.all(np.isfinite(values))
    assert np.all(values >= compiled.lower) and np.all(values <= compiled.upper)
