"""The advisors' background worker: the game's state is copied, and progress fills to the end."""

from __future__ import annotations

from game.play.session import Session
from game.scenario.catalog import find_scenario
from game.ui.advisor_worker import AdviceRequest, AdvisorWorker


def test_worker_reports_progress_and_leaves_the_game_alone() -> None:
    scenario = find_scenario("anpo_1960").scenario
    assert scenario is not None
    session = Session.start(scenario, "japan_pm", 5)
    while not session.pending_decisions("japan_pm"):
        session.end_turn()
    event_id = session.pending_decisions("japan_pm")[0].event_id
    before = session.state.values.copy()
    worker = AdvisorWorker(session.compiled, session.state, AdviceRequest(event_id, session.turn, "japan_pm"),
                           seed=session.seed, worlds=50, language="en")
    assert worker.wait(60)
    board = worker.result()
    assert worker.error is None and board is not None
    assert worker.fraction == 1.0
    assert {a.choice_id for a in board.advice} <= {c.choice_id for c in board.forecast.choices}
    assert (session.state.values == before).all()
