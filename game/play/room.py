"""The classroom at one machine: one session, seats (a role and a team label), a turn clock, ready flags and
the facilitator's controls (headless: the UI draws it, the debrief pack reads it).

A turn resolves when every seat is ready (`ready` = `EndTurn`) or, at `tick()`, when the clock has run
out (a `Timeout` for each seat not ready yet). Everything that changes the game is a command in the
session's log — the facilitator's timeouts, injects and adjustments too — so a room's game replays
exactly; what does not change the game (pausing, extending, rewinding, revealing a briefing) goes to
the room log. A rewind forks the game from the start of a turn and keeps the abandoned branch, whose
commands replay to the game the class left, for the debrief.

The clock reads an injected time source (`time.monotonic` by default; tests pass a fake clock), so
nothing here sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from game.engine.turn import TurnReport
from game.play.commands import CONTROL, Adjust, Command, CommandRejected, EndTurn, Inject, Timeout
from game.play.decisions import PendingDecision, describe_decision, obligation_event_id
from game.play.news import news_text, role_title
from game.play.numbers import format_value
from game.play.opening import GameProblems, OpenedGame, open_game
from game.play.session import Session
from game.scenario.models import localized
from game.translation import _, using_language

TURN_LIMIT_CHOICES: tuple[float | None, ...] = (None, 3 * 60.0, 5 * 60.0, 8 * 60.0)
"""The per-turn limits the setup screen offers: off, 3, 5 or 8 minutes (any positive limit works)."""
WARNING_SECONDS = 60.0  # the warning comes in the last minute ...
WARNING_SHARE = 0.2  # ... or in the last fifth of the turn, when that is shorter


class Clock:
    """A turn's countdown over an injected time source: pause stops it, extend adds time."""

    def __init__(self, limit_seconds: float | None, now: Callable[[], float] = time.monotonic) -> None:
        if limit_seconds is not None and not limit_seconds > 0:
            raise CommandRejected(_("A turn's time limit must be more than 0 seconds (or off)."))
        self.limit_seconds = limit_seconds
        self._now = now
        self._started = now()
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._extra = 0.0

    def start_turn(self) -> None:
        """A new turn: the full limit again (a paused clock stays paused)."""
        self._started = self._now()
        self._paused_total = 0.0
        self._extra = 0.0
        if self._paused_at is not None:
            self._paused_at = self._started

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self) -> None:
        """Stop the clock (nothing happens when it is already stopped)."""
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        """Start the clock again where it stopped."""
        if self._paused_at is not None:
            self._paused_total += self._now() - self._paused_at
            self._paused_at = None

    def extend(self, seconds: float) -> None:
        """Give this turn `seconds` more (only with a limit on)."""
        if self.limit_seconds is None:
            raise CommandRejected(_("The clock is off, so there is no time to extend."))
        if not seconds > 0:
            raise CommandRejected(_("Extend the turn by more than 0 seconds."))
        self._extra += seconds

    def elapsed(self) -> float:
        """Seconds of this turn so far, not counting pauses."""
        end = self._paused_at if self._paused_at is not None else self._now()
        return end - self._started - self._paused_total

    def remaining(self) -> float | None:
        """Seconds left in this turn (0 when it has run out), or None when there is no limit."""
        if self.limit_seconds is None:
            return None
        return max(0.0, self.limit_seconds + self._extra - self.elapsed())

    @property
    def warning(self) -> bool:
        """True in the last minute (or the last fifth, when that is shorter), before the time runs out."""
        remaining = self.remaining()
        if remaining is None or self.limit_seconds is None or remaining <= 0:
            return False
        return remaining <= min(WARNING_SECONDS, WARNING_SHARE * self.limit_seconds)

    @property
    def expired(self) -> bool:
        """True once this turn's time has run out."""
        remaining = self.remaining()
        return remaining is not None and remaining <= 0


@dataclass(frozen=True)
class Seat:
    """A place at the machine: a playable role and a team label (never a student's name)."""

    role: str
    team: str


@dataclass(frozen=True)
class RoomLogEntry:
    """Something that happened in the room but is not a game command: pause, resume, extend, rewind, reveal,
    time up, export."""

    at: float  # seconds since the room opened (on the clock's time source)
    turn: int
    kind: str
    role: str | None
    text: str  # English; the UI and the report translate by `kind` where they show it


@dataclass(frozen=True)
class Branch:
    """A game abandoned by a rewind: replaying `commands` onto the scenario and seed rebuilds it."""

    from_turn: int  # the game was rewound to the start of this turn (0 = the first)
    reason: str
    commands: tuple[Command, ...]  # the abandoned game's whole command log
    command_times: tuple[float, ...]
    at: float


@dataclass(frozen=True)
class SeatStatus:
    """A seat as everyone may see it: who, and whether it is ready — never what it chose."""

    role: str
    team: str
    title: str
    ready: bool


@dataclass(frozen=True)
class ClockView:
    limit_seconds: float | None
    remaining: float | None
    paused: bool
    warning: bool
    expired: bool


@dataclass(frozen=True)
class ShownVariable:
    id: str
    label: str
    value: str  # formatted with its unit


@dataclass(frozen=True)
class ShownNews:
    turn: int
    date: str
    text: str


@dataclass(frozen=True)
class ShownObligation:
    obligation: str  # "treaty.article"
    title: str
    date: str
    outcome: str  # translated "engaged" | "honoured" | "evaded"


@dataclass(frozen=True)
class PublicView:
    """What the projector may show: nothing private to any seat."""

    scenario_id: str
    title: str
    date: str
    turn: int  # 0 = the first
    turns: int
    is_over: bool
    ending: str | None  # the ending's title once the game is over
    key_variables: tuple[ShownVariable, ...]
    news: tuple[ShownNews, ...]
    obligations: tuple[ShownObligation, ...]
    seats: tuple[SeatStatus, ...]
    clock: ClockView
    public_briefings: tuple[tuple[str, str], ...]  # (role title, public briefing) of every seat


@dataclass(frozen=True)
class ShownLever:
    id: str
    label: str
    setting: float  # this turn's order if one was given, else the standing setting
    low: float
    high: float


@dataclass(frozen=True)
class SeatView:
    """What one seat may see: the public view plus its own private briefing, objectives, decisions, drafts."""

    public: PublicView
    role: str
    team: str
    title: str
    ready: bool
    public_briefing: str
    private_briefing: str | None
    objectives: tuple[str, ...]
    decisions: tuple[PendingDecision, ...]  # with what the seat has chosen so far (`chosen`)
    levers: tuple[ShownLever, ...]


class Room:
    """A classroom game at one machine. Read `room.session` afresh after a rewind: it is a new session."""

    def __init__(
        self,
        session: Session,
        seats: Sequence[Seat],
        *,
        turn_limit: float | None = None,
        now: Callable[[], float] = time.monotonic,
        elapsed_before: float = 0.0,
    ) -> None:
        """`elapsed_before`: seconds the room had already run (a loaded room's times go on from there)."""
        self.session = session
        self.seats = tuple(seats)
        _check_seats(session, self.seats)
        self._now = now
        self._opened = now()
        self._time_offset = elapsed_before
        self.clock = Clock(turn_limit, now)
        self.log: list[RoomLogEntry] = []
        self.branches: list[Branch] = []
        self.command_times: list[float] = [0.0] * len(session.commands)

    # --- reading -----------------------------------------------------------------------------------------

    def elapsed(self) -> float:
        """Seconds since the room opened (the time stamp of its log entries and commands)."""
        return self._time_offset + self._now() - self._opened

    def seat(self, role: str) -> Seat:
        """The seat of `role`; CommandRejected if no seat plays it."""
        for seat in self.seats:
            if seat.role == role:
                return seat
        raise CommandRejected(_("No seat plays {role} in this room.", role=role_title(self.session.scenario, role)))

    def is_ready(self, role: str) -> bool:
        """True once the seat has ended this turn (or its time ran out)."""
        self.seat(role)
        return role not in self.session.roles_still_to_end()

    def ready_roles(self) -> list[str]:
        """The roles of the seats that are ready, in seat order."""
        waiting = set(self.session.roles_still_to_end())
        return [seat.role for seat in self.seats if seat.role not in waiting]

    def injectable_events(self) -> list[str]:
        """The events the facilitator may bring in (the scenario's `classroom.injectable`)."""
        return self.session.injectable_events()

    # --- commands ---------------------------------------------------------------------------------------------

    def apply(self, command: Command) -> TurnReport | None:
        """A player's or the facilitator's command; raises CommandRejected. Returns the report when the turn
        resolved (the clock then starts the next turn)."""
        if command.role != CONTROL:
            self.seat(command.role)
        report = self.session.apply(command)
        self.command_times.append(self.elapsed())
        if report is not None:
            self.clock.start_turn()
        return report

    def ready(self, role: str) -> TurnReport | None:
        """The seat is done with this turn (`EndTurn`)."""
        return self.apply(EndTurn(role))

    def tick(self) -> TurnReport | None:
        """Call every frame: when the turn's time has run out, every seat not ready yet times out."""
        if self.session.is_over or self.clock.paused or not self.clock.expired:
            return None
        self._note("time_up", None, "The turn's time ran out.")
        report: TurnReport | None = None
        for role in [seat.role for seat in self.seats if not self.is_ready(seat.role)]:
            report = self.timeout(role)
        return report

    # --- the facilitator -------------------------------------------------------------------------------------

    def pause(self) -> None:
        if not self.clock.paused:
            self.clock.pause()
            self._note("pause", None, "The facilitator paused the clock.")

    def resume(self) -> None:
        if self.clock.paused:
            self.clock.resume()
            self._note("resume", None, "The facilitator restarted the clock.")

    def extend(self, seconds: float) -> None:
        self.clock.extend(seconds)
        self._note("extend", None, f"The facilitator gave this turn {seconds:g} more seconds.")

    def timeout(self, role: str) -> TurnReport | None:
        """End `role`'s turn now: its open decisions take their defaults (obligations are evaded)."""
        return self.apply(Timeout(role))

    def inject(self, event_id: str) -> None:
        """Bring in an injectable event now, for its owner to decide this turn."""
        self.apply(Inject(event_id))

    def adjust(self, variable: str, value: float, reason: str) -> None:
        """Set a variable now; the reason is shown in the news and credited in the causal ledger."""
        self.apply(Adjust(variable, value, reason))

    def rewind(self, turn: int, reason: str) -> None:
        """Fork the game from the start of `turn` (0 = the first); the abandoned game is kept in `branches`."""
        if not reason.strip():
            raise CommandRejected(_("A rewind needs a reason: the debrief shows it."))
        old = self.session
        forked = old.fork(turn)
        at = self.elapsed()
        self.branches.append(Branch(turn, reason.strip(), tuple(old.commands), tuple(self.command_times), at))
        self.session = forked
        self.command_times = self.command_times[:len(forked.commands)]
        self.clock.start_turn()
        self._note("rewind", None, f"Rewound to the start of turn {turn + 1}: {reason.strip()}")

    def branch_session(self, branch: Branch) -> Session:
        """The game a rewind abandoned, replayed from its commands (for the debrief)."""
        return Session.replay(self.session.scenario, self.session.seed, branch.commands, self.session.human_roles,
                              compiled=self.session.compiled, scenario_path=self.session.scenario_path)

    def record(self, kind: str, text: str, role: str | None = None) -> None:
        """Add something to the room log that the room itself does not see (a briefing revealed, a pack exported)."""
        self._note(kind, role, text)

    def _note(self, kind: str, role: str | None, text: str) -> None:
        self.log.append(RoomLogEntry(self.elapsed(), self.session.turn, kind, role, text))

    # --- views ------------------------------------------------------------------------------------------------

    def public_view(self, language: str) -> PublicView:
        """What the projector may show, in `language`."""
        session = self.session
        scenario, compiled = session.scenario, session.compiled
        with using_language(language) as chosen:
            keys = tuple(
                ShownVariable(vid, compiled.label(vid, chosen), format_value(session.value(vid), variable.unit))
                for vid, variable in scenario.variables.items() if variable.key
            )
            dates = [session.date_label(turn, chosen) for turn in range(compiled.turns)]  # one per turn, not per line
            news = tuple(ShownNews(item.turn, dates[item.turn], news_text(item, scenario, chosen))
                         for item in session.news)
            obligations = tuple(
                ShownObligation(record.obligation, _obligation_title(session, record.obligation, chosen),
                                dates[record.turn], _(record.outcome))
                for record in session.obligation_ledger
            )
            seats = tuple(SeatStatus(seat.role, seat.team, role_title(scenario, seat.role, chosen),
                                     self.is_ready(seat.role)) for seat in self.seats)
            ending = None
            if session.ending is not None:
                found = next((e for e in scenario.endings if e.id == session.ending), None)
                ending = localized(found.title, chosen) if found is not None else session.ending
            briefings = tuple(
                (role_title(scenario, seat.role, chosen), _public_briefing(session, seat.role, chosen))
                for seat in self.seats
            )
            return PublicView(
                scenario_id=scenario.id, title=localized(scenario.title, chosen),
                date=dates[min(session.turn, compiled.turns - 1)],
                turn=session.turn, turns=compiled.turns, is_over=session.is_over, ending=ending,
                key_variables=keys, news=news, obligations=obligations, seats=seats,
                clock=ClockView(self.clock.limit_seconds, self.clock.remaining(), self.clock.paused,
                                self.clock.warning, self.clock.expired),
                public_briefings=briefings,
            )

    def seat_view(self, role: str, language: str, public: PublicView | None = None) -> SeatView:
        """What the seat playing `role` may see, in `language`; `public`: this room's public view in `language`
        now, when the caller has one already (a server builds it once for every seat)."""
        seat = self.seat(role)
        session = self.session
        scenario_role = session.scenario.roles[role]
        with using_language(language) as chosen:
            briefing = scenario_role.briefing
            private = localized(briefing.private, chosen) if briefing is not None and briefing.private else None
            levers = tuple(
                ShownLever(lever_id, localized(lever.label, chosen), session.lever_setting(lever_id), *lever.range)
                for lever_id, lever in scenario_role.levers.items()
            )
            return SeatView(
                public=public if public is not None else self.public_view(chosen), role=role, team=seat.team,
                title=role_title(session.scenario, role, chosen), ready=self.is_ready(role),
                public_briefing=_public_briefing(session, role, chosen), private_briefing=private,
                objectives=tuple(localized(o.label, chosen) for o in scenario_role.objectives),
                decisions=tuple(session.pending_decisions(role, chosen)) if not session.is_over else (),
                levers=levers,
            )


def open_room(
    scenario: str | Path,
    seats: Sequence[Seat],
    *,
    seed: int | None = None,
    turn_limit: float | None = None,
    data_dir: Path | None = None,
    now: Callable[[], float] = time.monotonic,
) -> Room | GameProblems:
    """A new classroom game: `open_game` for the seats' roles, then a room around it."""
    opened = open_game(scenario, [seat.role for seat in seats], seed, data_dir)
    if isinstance(opened, GameProblems):
        return opened
    assert isinstance(opened, OpenedGame)
    try:
        return Room(opened.session, seats, turn_limit=turn_limit, now=now)
    except CommandRejected as rejected:
        return GameProblems((rejected.message,))


def _check_seats(session: Session, seats: tuple[Seat, ...]) -> None:
    scenario = session.scenario
    if not seats:
        raise CommandRejected(_("A room needs at least one seat."))
    roles = [seat.role for seat in seats]
    for seat in seats:
        if seat.role not in scenario.roles or not scenario.roles[seat.role].playable:
            raise CommandRejected(_("{role} is not a playable role of this scenario.", role=seat.role))
        if not seat.team.strip():
            raise CommandRejected(_("Every seat needs a team label."))
        if roles.count(seat.role) > 1:
            raise CommandRejected(_("{role} has two seats.", role=role_title(scenario, seat.role)))
    if set(roles) != set(session.human_roles):
        raise CommandRejected(_("The seats ({seats}) must be the game's human roles ({roles}).",
                                seats=", ".join(roles), roles=", ".join(sorted(session.human_roles))))


def _public_briefing(session: Session, role: str, language: str) -> str:
    briefing = session.scenario.roles[role].briefing
    return localized(briefing.public, language) if briefing is not None else ""


def _obligation_title(session: Session, obligation: str, language: str) -> str:
    info = describe_decision(session.scenario, obligation_event_id(obligation), language)
    return info.title if info is not None else obligation


__all__ = [
    "Branch", "Clock", "ClockView", "PublicView", "Room", "RoomLogEntry", "Seat", "SeatStatus", "SeatView",
    "ShownLever", "ShownNews", "ShownObligation", "ShownVariable", "open_room",
]
