"""Session: determinism, replay, history, news, obligation ledger, dates, reload onto an edited scenario."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from game.play.commands import Choose, Command, EndTurn, SetLever
from game.play.news import news_text
from game.play.session import Session, date_label
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario

ROLE = "alpha_pm"


def play(session: Session, turns: int, *, lever: float = 2.0, pick: int = 0) -> None:
    """Play `turns` turns: set the lever on the first, answer every decision with choice number `pick`."""
    for _ in range(turns):
        if session.is_over:
            return
        if session.turn == 0:
            session.apply(SetLever(ROLE, "defense_budget", lever))
        for pending in session.pending_decisions(ROLE):
            session.apply(Choose(ROLE, pending.event_id, pending.available[min(pick, len(pending.available) - 1)]))
        session.end_turn()


def test_same_seed_and_commands_give_identical_games(two_desks: Scenario) -> None:
    first, second = Session.start(two_desks, ROLE, 11), Session.start(two_desks, ROLE, 11)
    play(first, 8)
    play(second, 8)
    assert first.commands == second.commands
    assert np.array_equal(np.array(first.history), np.array(second.history))
    assert first.ending == second.ending


def test_different_seeds_give_different_games(two_desks: Scenario) -> None:
    first, second = Session.start(two_desks, ROLE, 1), Session.start(two_desks, ROLE, 2)
    play(first, 3)
    play(second, 3)
    assert not np.array_equal(first.values, second.values)


def test_replay_rebuilds_the_game_bit_for_bit(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 42)
    play(session, 5, pick=1)
    replayed = Session.replay(two_desks, 42, session.commands)
    assert replayed.turn == session.turn == 5
    assert np.array_equal(np.array(replayed.history), np.array(session.history))
    assert replayed.snapshot() == session.snapshot()
    assert replayed.news == session.news


def test_commands_are_stamped_with_their_turn_and_role(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 3)
    play(session, 3)
    assert session.commands[0] == SetLever(ROLE, "defense_budget", 2.0, 0)
    assert session.commands[1] == EndTurn(ROLE, 0)
    assert all(c.turn is not None and c.role == ROLE for c in session.commands)
    assert Choose(ROLE, "crisis", "stand_firm", 2) in session.commands


def test_lever_setting_takes_the_last_command_of_the_turn(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 3)
    session.apply(SetLever(ROLE, "defense_budget", 3.0))
    session.apply(SetLever(ROLE, "defense_budget", 0.5))
    assert session.lever_setting("defense_budget") == 0.5
    session.end_turn()
    assert session.value("lever.defense_budget") == 0.5


def test_history_news_and_ledger_are_kept_per_turn(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 8)
    play(session, 3)
    assert len(session.history) == 4
    assert len(session.value_history("tension")) == 4
    assert session.value_history("lever.defense_budget")[0] == 1.0
    assert session.value_history("lever.defense_budget")[-1] == 2.0
    kinds = [(item.kind, item.event_id) for item in session.news]
    assert ("event", "crisis") in kinds and ("decision", "crisis") in kinds
    assert len(session.ledgers) == 3
    ledger = session.last_ledger
    assert ledger is not None
    before, after = session.value_history("tension")[-2:]
    assert ledger.total("tension") == pytest.approx(after - before, abs=1e-9)


def test_the_game_ends_with_the_calendar_and_scores(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 4)
    play(session, 20)
    assert session.is_over
    assert session.turn == 8
    assert session.ending in {"steady", "drift", "war", "cabinet_falls"}
    assert session.news[-1].kind == "ending"
    score = session.score(ROLE)
    assert 0 <= score.percent <= 100 and score.grade in "ABCDE"


def test_date_labels() -> None:
    assert date_label(1959 * 12 + 9, 1) == "Oct 1959"
    assert date_label(1959 * 12 + 9, 3) == "Q4 1959"
    assert date_label(1959 * 12 + 10, 3) == "Nov 1959"
    assert date_label(1959 * 12 + 9, 1, "ja") == "1959年10月"
    assert date_label(1959 * 12 + 9, 3, "ja") == "1959年第4四半期"
    assert date_label(1959 * 12 + 10, 3, "ja") == "1959年11月"
    assert date_label(1959 * 12 + 10, 12, "ja") == "1959年"
    assert date_label(1960 * 12, 12) == "1960"


def test_session_date_label_follows_the_calendar(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 1)
    assert session.date_label() == "Q1 2030"
    assert session.date_label(5) == "Q2 2031"


def _obligation_now(data: dict[str, Any]) -> None:
    data["treaties"][0]["articles"][0]["obligation"]["trigger"] = "turn >= 1"


def test_obligations_are_decided_and_recorded(
    edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    scenario = load_scenario(edited_two_desks(_obligation_now)).scenario
    assert scenario is not None
    session = Session.start(scenario, ROLE, 9)
    session.end_turn()
    session.end_turn()
    pending = [p.event_id for p in session.pending_decisions(ROLE)]
    assert "obligation:pact.art1" in pending
    decision = next(p for p in session.pending_decisions(ROLE) if p.event_id == "obligation:pact.art1")
    assert decision.available == ("honour", "evade")
    assert decision.info.title == "Mutual Pact, Article 1"
    session.apply(Choose(ROLE, "obligation:pact.art1", "evade"))
    session.apply(Choose(ROLE, "crisis", "stand_firm"))
    session.end_turn()
    outcomes = [(r.obligation, r.outcome, session.date_label(r.turn)) for r in session.obligation_ledger]
    assert ("pact.art1", "engaged", "Q2 2030") in outcomes
    assert ("pact.art1", "evaded", "Q3 2030") in outcomes
    told = [news_text(item, scenario) for item in session.news if item.kind == "obligation"]
    assert "Mutual Pact, Article 1: evaded." in told


def test_reload_replays_onto_an_edited_scenario_and_reports_what_no_longer_applies(
    two_desks: Scenario, edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    session = Session.start(two_desks, ROLE, 13)
    play(session, 4)

    def drop_stand_firm(data: dict[str, Any]) -> None:
        crisis = next(e for e in data["events"] if e["id"] == "crisis")
        crisis["choices"] = [c for c in crisis["choices"] if c["id"] != "stand_firm"]
        del crisis["history"]

    edited = load_scenario(edited_two_desks(drop_stand_firm)).scenario
    assert edited is not None
    report = session.reload(edited)
    assert report.session.turn == session.turn  # the rest of the log still replays
    assert len(report.skipped) == 1
    skipped = report.skipped[0]
    assert skipped.command == Choose(ROLE, "crisis", "stand_firm", 2)
    assert "no option 'stand_firm'" in skipped.reason
    assert any("'crisis' had no decision" in note and "back_down" in note for note in report.notes)


def test_reload_of_an_unchanged_scenario_is_clean(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 13)
    play(session, 4)
    report = session.reload(two_desks)
    assert report.clean
    assert report.session.snapshot() == session.snapshot()


def test_replay_of_a_bad_log_names_the_command(two_desks: Scenario) -> None:
    commands: list[Command] = [EndTurn(ROLE, 0), Choose(ROLE, "crisis", "stand_firm", 1)]
    from game.play.commands import CommandRejected

    with pytest.raises(CommandRejected, match="not awaiting a decision"):
        Session.replay(two_desks, 1, commands)


def test_advice_does_not_change_the_game(two_desks: Scenario) -> None:
    from game.play.advisors import advise_session

    plain, advised = Session.start(two_desks, ROLE, 21), Session.start(two_desks, ROLE, 21)
    for session in (plain, advised):
        session.end_turn()
        session.end_turn()
    advise_session(advised, ROLE, "crisis", worlds=50, turns=3)
    for session in (plain, advised):
        play(session, 6)
    assert np.array_equal(np.array(plain.history), np.array(advised.history))


def test_spectator_session_advances_without_players(two_desks: Scenario) -> None:
    session = Session.start(two_desks, None, 5)
    report = session.end_turn()
    assert session.turn == 1 and report.ledger is not None
    assert session.commands == [EndTurn("alpha_pm", 0)]


def test_fork_goes_back_to_the_start_of_a_turn(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 31)
    play(session, 5)
    fork = session.fork(2)
    assert fork.turn == 2
    assert np.array_equal(np.array(fork.history), np.array(session.history[:3]))
    assert [p.event_id for p in fork.pending_decisions(ROLE)] == ["crisis"]
    play(fork, 3)
    assert np.array_equal(np.array(fork.history), np.array(session.history))
    assert session.fork(0).turn == 0
