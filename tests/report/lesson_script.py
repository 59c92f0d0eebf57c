"""The debrief pack's tests: a scripted classroom lesson of two seats (fake clock), saved and made into a pack.

The lesson runs on the play tests' classroom fixture (two playable roles with private briefings, injectable
events, debrief questions): every kind of facilitator action happens once, so the pack has something of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.play.commands import Choose, SetLever
from game.play.room import Room, Seat
from game.play.session import Session
from game.report.pack import Pack
from game.report.played import PlayedGame
from game.scenario.models import Scenario
from tests.fake_time import FakeTime

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "play" / "classroom_desks.yaml"
SEATS = (Seat("alpha_pm", "Team A"), Seat("beta_leader", "Team B"))
# Small figures keep the tests fast; the command's defaults (200 and 1,000) are the pack's.
ADVICE_WORLDS = 32
CHANCE_WORLDS = 200
ADJUST_REASON = "REASON-ADJUST: the class asked what a calmer region looks like"
REWIND_REASON = "REASON-REWIND: the class wants to try standing firm"


@dataclass
class Lesson:
    room: Room
    save: Path
    game: PlayedGame
    pack: Pack
    out: Path


def decide_all(room: Room, role: str, fake: FakeTime, seconds: float = 40.0) -> None:
    """The seat answers every open decision with its first open choice, `seconds` apart."""
    for pending in room.session.pending_decisions(role):
        if pending.awaits_choice:
            fake.advance(seconds)
            room.apply(Choose(role, pending.event_id, pending.available[0]))


def play_lesson(scenario: Scenario) -> tuple[Room, FakeTime]:
    """Six turns at one machine, with a lever moved, an adjustment, an inject, a timeout by the clock, a pause,
    an extension, a revealed briefing and a rewind."""
    fake = FakeTime(500.0)
    session = Session.start(scenario, [s.role for s in SEATS], 11, scenario_path=str(FIXTURE))
    room = Room(session, SEATS, turn_limit=300.0, now=fake)
    # turn 1: both seats decide and are ready
    room.apply(SetLever("alpha_pm", "defense_budget", 1.5))
    for seat in SEATS:
        decide_all(room, seat.role, fake)
        room.ready(seat.role)
    # turn 2: the facilitator adjusts and injects; Team B's time runs out
    room.adjust("tension", 35.0, ADJUST_REASON)
    room.inject("leak")
    decide_all(room, "alpha_pm", fake)
    room.ready("alpha_pm")
    room.pause()
    fake.advance(120)
    room.resume()
    room.extend(60)
    fake.advance(400)
    assert room.tick() is not None  # the clock ran out: Team B timed out and the turn resolved
    # turns 3–4, then a rewind to turn 3 and two more turns
    for _turn in range(2):
        for seat in SEATS:
            decide_all(room, seat.role, fake, 25.0)
            room.ready(seat.role)
    room.record("reveal", "Revealed the private briefing of Team B.", "beta_leader")
    room.rewind(2, REWIND_REASON)
    for _turn in range(3):
        for seat in SEATS:
            decide_all(room, seat.role, fake, 30.0)
            room.ready(seat.role)
    return room, fake
