"""What the classroom's public screens and the facilitator's console read of a room: one snapshot, taken
where the room lives.

At one machine the snapshot is taken from the room on the UI thread whenever a screen builds. When the game
hosts the room for browsers (`hosted_room`), the room belongs to the server's room task, so the snapshot is
taken on that task's thread each time the room changes, and the UI only ever reads the latest one: the
screens have a single way to read a room either way, and a hosted room is never touched from the UI thread.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from game.play.decisions import describe_decision
from game.play.room import WARNING_SECONDS, WARNING_SHARE, ClockView, PublicView, Room
from game.translation import using_language


@dataclass(frozen=True)
class SeatState:
    """A seat as the console shows it: who, ready or not, and how many browsers have joined it (0 at one
    machine)."""

    role: str
    team: str
    title: str
    ready: bool
    connected: int


@dataclass(frozen=True)
class AdjustableVariable:
    id: str
    label: str
    value: float


@dataclass(frozen=True)
class RoomState:
    """The room at one moment (`version` counts the room's changes; 0 at one machine)."""

    version: int
    language: str
    taken_at: float  # time.monotonic() when taken: a running clock counts down from here
    public: PublicView
    seats: tuple[SeatState, ...]
    injectable: tuple[tuple[str, str], ...]  # (event id, its title)
    variables: tuple[AdjustableVariable, ...]

    @property
    def paused(self) -> bool:
        return self.public.clock.paused

    @property
    def turn(self) -> int:
        return self.public.turn

    def clock(self, now: float | None = None) -> ClockView:
        """The clock as it stands now: the snapshot's remaining time, less what has run since it was taken."""
        clock = self.public.clock
        if clock.remaining is None or clock.paused or clock.expired:
            return clock
        remaining = max(0.0, clock.remaining - ((time.monotonic() if now is None else now) - self.taken_at))
        limit = clock.limit_seconds or 0.0
        warning = 0 < remaining <= min(WARNING_SECONDS, WARNING_SHARE * limit)  # as `Clock.warning`
        return ClockView(clock.limit_seconds, remaining, False, warning, remaining <= 0)


def take_state(room: Room, language: str, *, version: int = 0,
               connected: Mapping[str, int] | None = None) -> RoomState:
    """The room now, in `language`; call it where the room lives (the room task's thread when hosted)."""
    session = room.session
    public = room.public_view(language)
    with using_language(language) as chosen:
        injectable = []
        for event_id in room.injectable_events():
            info = describe_decision(session.scenario, event_id, chosen)
            injectable.append((event_id, info.title if info is not None else event_id))
        variables = tuple(AdjustableVariable(vid, session.compiled.label(vid, chosen), session.value(vid))
                          for vid in session.scenario.variables)
    seats = tuple(SeatState(seat.role, seat.team, seat.title, seat.ready, (connected or {}).get(seat.role, 0))
                  for seat in public.seats)
    return RoomState(version, language, time.monotonic(), public, seats, tuple(injectable), variables)
