"""The classroom room and its clock, on a fake time source (nothing sleeps): seats, ready flags, the turn
resolving when every seat is ready or the time runs out, pause/resume/extend, the warning, and the views."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.play.commands import Choose, CommandRejected, EndTurn, SetLever, Timeout
from game.play.room import Clock, Room, Seat, open_room
from game.play.session import Session
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from tests.fake_time import FakeTime

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "play" / "classroom_desks.yaml"
SEATS = (Seat("alpha_pm", "Team A"), Seat("beta_leader", "Team B"))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    result = load_scenario(FIXTURE)
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    return result.scenario


def make_room(scenario: Scenario, fake: FakeTime, limit: float | None = 300.0, seed: int = 7) -> Room:
    session = Session.start(scenario, [s.role for s in SEATS], seed, scenario_path=str(FIXTURE))
    return Room(session, SEATS, turn_limit=limit, now=fake)


# --- the clock ------------------------------------------------------------------------------------------


def test_clock_counts_down_pauses_resumes_and_extends() -> None:
    fake = FakeTime(1000.0)
    clock = Clock(300.0, fake)
    fake.advance(100)
    assert clock.remaining() == pytest.approx(200.0)
    clock.pause()
    fake.advance(1000)  # a paused clock does not move
    assert clock.paused and clock.remaining() == pytest.approx(200.0)
    clock.resume()
    fake.advance(50)
    assert clock.remaining() == pytest.approx(150.0)
    clock.extend(60)
    assert clock.remaining() == pytest.approx(210.0)
    fake.advance(210)
    assert clock.expired and clock.remaining() == 0.0
    clock.start_turn()
    assert not clock.expired and clock.remaining() == pytest.approx(300.0)


def test_clock_warns_in_the_last_minute_or_the_last_fifth_of_a_short_turn() -> None:
    fake = FakeTime(1000.0)
    five = Clock(300.0, fake)
    fake.advance(239)
    assert not five.warning
    fake.advance(2)
    assert five.warning and not five.expired
    fake.advance(60)
    assert five.expired and not five.warning
    fake = FakeTime(1000.0)
    three = Clock(180.0, fake)  # a fifth of 3 minutes is 36 s, shorter than a minute
    fake.advance(180 - 37)
    assert not three.warning
    fake.advance(2)
    assert three.warning


def test_clock_off_never_expires_and_refuses_extend() -> None:
    fake = FakeTime(1000.0)
    clock = Clock(None, fake)
    fake.advance(10**6)
    assert clock.remaining() is None and not clock.expired and not clock.warning
    with pytest.raises(CommandRejected, match="clock is off"):
        clock.extend(60)
    with pytest.raises(CommandRejected):
        Clock(0.0, fake)


# --- seats, ready flags, resolution ------------------------------------------------------------------------


def test_turn_resolves_when_every_seat_is_ready(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake)
    room.apply(SetLever("alpha_pm", "defense_budget", 2.0))
    assert room.ready("alpha_pm") is None
    assert room.is_ready("alpha_pm") and not room.is_ready("beta_leader")
    assert room.ready_roles() == ["alpha_pm"]
    fake.advance(30)
    report = room.ready("beta_leader")
    assert report is not None and room.session.turn == 1
    assert room.ready_roles() == []  # a new turn: nobody is ready
    assert room.clock.remaining() == pytest.approx(300.0)  # and the clock starts again
    assert room.command_times == [0.0, 0.0, 30.0]
    assert len(room.command_times) == len(room.session.commands)


def test_tick_times_out_every_seat_not_ready_when_the_time_runs_out(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake, limit=180.0)
    room.ready("beta_leader")
    fake.advance(179)
    assert room.tick() is None and room.session.turn == 0
    fake.advance(2)
    report = room.tick()
    assert report is not None and room.session.turn == 1
    kinds = [c.to_json()["kind"] for c in room.session.commands]
    assert kinds == ["end_turn", "timeout"]
    assert room.session.commands[-1] == Timeout("alpha_pm", 0)
    assert [e.kind for e in room.log] == ["time_up"]
    assert any(item.kind == "timeout" and item.role == "alpha_pm" for item in room.session.news)


def test_a_paused_room_does_not_time_out(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake, limit=180.0)
    room.pause()
    fake.advance(10_000)
    assert room.tick() is None and room.session.turn == 0
    room.resume()
    room.extend(60)
    fake.advance(239)
    assert room.tick() is None
    fake.advance(1)
    assert room.tick() is not None
    assert [e.kind for e in room.log] == ["pause", "resume", "extend", "time_up"]


def test_timeout_takes_each_open_decisions_default(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake)
    for _turn in range(2):  # the crisis fires as turn 1 resolves: alpha_pm decides it in turn 2
        room.ready("alpha_pm")
        room.ready("beta_leader")
    pending = [p for p in room.session.pending_decisions("alpha_pm") if p.awaits_choice]
    assert [p.event_id for p in pending] == ["crisis"]
    with pytest.raises(CommandRejected, match="Decide"):
        room.ready("alpha_pm")
    room.timeout("alpha_pm")
    room.ready("beta_leader")
    decided = [(n.event_id, n.choice_id) for n in room.session.news if n.kind == "decision" and n.turn == 2]
    assert ("crisis", "back_down") in decided  # the default


def test_seats_must_be_the_games_human_roles(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    session = Session.start(scenario, ["alpha_pm", "beta_leader"], 1)
    with pytest.raises(CommandRejected, match="human roles"):
        Room(session, [Seat("alpha_pm", "A")], now=fake)
    with pytest.raises(CommandRejected, match="team label"):
        Room(session, [Seat("alpha_pm", " "), Seat("beta_leader", "B")], now=fake)
    room = Room(session, SEATS, now=fake)
    with pytest.raises(CommandRejected):
        room.seat("nobody")


def test_open_room_reports_problems_instead_of_raising() -> None:
    problems = open_room(str(FIXTURE), [Seat("nobody", "A")])
    assert not isinstance(problems, Room)
    assert "nobody" in problems.text()
    room = open_room(str(FIXTURE), SEATS, seed=3, turn_limit=300.0, now=FakeTime(1000.0))
    assert isinstance(room, Room) and room.session.seed == 3


# --- views --------------------------------------------------------------------------------------------------


def test_public_view_has_no_private_text_and_no_drafts(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake)
    for _turn in range(2):
        room.ready("alpha_pm")
        room.ready("beta_leader")
    room.apply(Choose("alpha_pm", "crisis", "stand_firm"))
    room.ready("alpha_pm")
    view = room.public_view("en")
    text = repr(view)
    assert "SECRET-ALPHA" not in text and "SECRET-BETA" not in text
    assert "stand_firm" not in text and "Stand firm" not in text  # a draft choice is not public
    assert [(s.team, s.ready) for s in view.seats] == [("Team A", True), ("Team B", False)]
    assert view.turn == 2 and view.turns == 8
    assert {v.id for v in view.key_variables} == {"tension", "credibility"}
    assert view.clock.limit_seconds == 300.0


def test_seat_view_shows_its_own_private_briefing_only(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake)
    alpha = room.seat_view("alpha_pm", "en")
    assert alpha.private_briefing is not None and "SECRET-ALPHA" in alpha.private_briefing
    assert "SECRET-BETA" not in repr(alpha)
    assert [lever.id for lever in alpha.levers] == ["defense_budget"]
    beta = room.seat_view("beta_leader", "ja")
    assert "SECRET-ALPHA" not in repr(beta)
    assert beta.team == "Team B"


def test_player_commands_for_a_role_without_a_seat_are_refused(scenario: Scenario) -> None:
    fake = FakeTime(1000.0)
    room = make_room(scenario, fake)
    with pytest.raises(CommandRejected):
        room.apply(EndTurn("nobody"))
    assert room.session.commands == [] and room.command_times == []
