"""A classroom lesson, as the UI carries it from screen to screen: the room (game/play) and the facilitator's
PIN, plus which seats have read their private briefing — and, when students join from browsers, the hosted
room (`hosted_room.HostedRoom`) that owns the room from then on.

Every classroom screen takes a `Lesson`; `next_screen` says where the lesson goes when a screen is done:
the privacy screen of the first seat not ready yet, or the projector once the game is over (always the
projector when hosted: the teams play on their own devices). The screens read the room through `state` and
change it through `act`, which work the same at one machine and hosted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from game.play.room import ClockView, Room
from game.ui.hosted_room import HostedRoom
from game.ui.i18n import _
from game.ui.room_state import RoomState, take_state
from game.ui.scene import GoTo

T = TypeVar("T")


@dataclass
class Lesson:
    room: Room
    pin: str
    briefed: set[str] = field(default_factory=set)  # roles whose seat has read its private briefing
    held: bool = False  # the clock is stopped by the screens (the briefing, a turn's summary), not by control
    hosted: HostedRoom | None = None  # students join from browsers: the server's room task owns `room`

    def state(self, language: str) -> RoomState:
        """The room as the screens show it (hosted: the newest snapshot the room task took)."""
        if self.hosted is not None:
            self.hosted.language = language
            return self.hosted.state
        return take_state(self.room, language)

    def act(self, action: Callable[[Room], T]) -> T:
        """Change the room (hosted: on the room task, which autosaves and tells every browser)."""
        if self.hosted is not None:
            return self.hosted.act(action)
        return action(self.room)

    def clock(self) -> ClockView:
        """The room's clock now."""
        if self.hosted is not None:
            return self.hosted.state.clock()
        return room_clock(self.room)

    def hold_clock(self) -> None:
        """Stop the clock while the whole class reads the projector (the public briefing, a turn's summary):
        the seats' time starts when the machine goes to the first seat. A clock control paused stays paused.
        A hosted room's clock is the facilitator's alone."""
        if self.hosted is None and not self.room.clock.paused:
            self.room.clock.pause()
            self.held = True

    def release_clock(self) -> None:
        """The machine goes to a seat: the clock the screens stopped runs again, from the full turn at the
        start of a turn."""
        if self.held and self.hosted is None:
            self.held = False
            self.room.clock.resume()


def next_screen(lesson: Lesson) -> GoTo:
    """The privacy screen of the first seat still to play this turn (the projector when the game is over)."""
    if lesson.hosted is not None:
        return GoTo("projector", lesson=lesson)
    lesson.release_clock()
    room = lesson.room
    if room.session.is_over:
        return GoTo("projector", lesson=lesson)
    waiting = [seat.role for seat in room.seats if not room.is_ready(seat.role)]
    if not waiting:  # cannot happen (the turn resolves when the last seat is ready), but never strand a class
        return GoTo("projector", lesson=lesson)
    return GoTo("handoff", lesson=lesson, role=waiting[0])


def after_turn(lesson: Lesson) -> GoTo:
    """A turn just resolved: the public summary of it (hosted: the projector, which shows the new turn)."""
    if lesson.hosted is not None:
        return GoTo("projector", lesson=lesson)
    return GoTo("turn_summary", lesson=lesson, turn=lesson.room.session.turn - 1)


def room_clock(room: Room) -> ClockView:
    """The room's clock now, as the views show it (without building a whole public view every frame)."""
    clock = room.clock
    return ClockView(clock.limit_seconds, clock.remaining(), clock.paused, clock.warning, clock.expired)


def clock_text(clock: ClockView) -> str:
    """"4:32 left", "Paused · 4:32 left", "Time is up" or "No time limit"."""
    if clock.remaining is None:
        return _("No time limit")
    if clock.expired:
        return _("Time is up")
    seconds = int(clock.remaining + 0.999)
    left = _("{minutes}:{seconds:02d} left", minutes=seconds // 60, seconds=seconds % 60)
    return _("Paused · {left}", left=left) if clock.paused else left
