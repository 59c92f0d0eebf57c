"""The game a pack is made of: a session and its seats, with the room's record when it was a classroom game.

A pack is made from a save (a classroom room save, version 2, or a plain version-1 save) or from a game
played here, headless, by a policy for the given seats. Either way the result is a `PlayedGame`; a save
without a room has no times, no room log and no abandoned branches, and its seats get team labels in
seat order ("Team A", "Team B"), never anybody's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.play.commands import Choose, CommandRejected, EndTurn
from game.play.decisions import historical_choice
from game.play.opening import GameProblems, open_game
from game.play.room import Branch, Room, RoomLogEntry, Seat
from game.play.session import Session
from game.report.policies import POLICIES, policy_choice
from game.translation import _

TEAM_LETTERS = "ABCDEFGHIJ"


class ReportProblem(Exception):
    """The input of a pack cannot be used (a bad save, an unknown scenario or role); the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PlayedGame:
    """Everything a pack shows, read from its source."""

    session: Session
    seats: tuple[Seat, ...]
    source: str  # "save" | "room" | "headless"
    policy: str | None = None  # headless games: how the seats decided
    turn_limit: float | None = None  # seconds per turn in a classroom game, None = no limit
    room_log: list[RoomLogEntry] = field(default_factory=list)
    command_times: list[float] | None = None  # when each of session.commands was accepted (room saves)
    branches: list[Branch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(seat.role for seat in self.seats)

    def team_of(self, role: str) -> str:
        """The team label of the seat playing `role` ("" for a role played by the computer)."""
        return next((seat.team for seat in self.seats if seat.role == role), "")


def default_team(position: int) -> str:
    """The label of the n-th seat (0-based) when the game recorded none: "Team A", "Team B", ..."""
    letter = TEAM_LETTERS[position] if position < len(TEAM_LETTERS) else str(position + 1)
    return _("Team {letter}", letter=letter)


def seats_in_order(roles: Sequence[str]) -> tuple[Seat, ...]:
    """Seats with default team labels, in the order the roles were given."""
    return tuple(Seat(role, default_team(n)) for n, role in enumerate(roles))


# --- from a save ------------------------------------------------------------------------------------------


def game_from_save(path: Path, data_dir: Path | None = None) -> PlayedGame:
    """The game of a save file: a classroom save (version 2, with its room) or any other save."""
    from game.play import room_saves, saves

    try:
        if room_saves.is_room_save(path):
            loaded = room_saves.load_room_save(path, data_dir)
            return game_from_room(loaded.room, loaded.loaded.warnings)
        plain = saves.load_save(path, data_dir)
    except saves.SaveError as error:
        raise ReportProblem(error.message) from error
    roles = sorted(plain.session.human_roles)
    if not roles:
        raise ReportProblem(_("{name}: the save has no human role", name=path.name))
    return PlayedGame(plain.session, seats_in_order(roles), "save", warnings=list(plain.warnings))


def game_from_room(room: Room, warnings: Sequence[str] = ()) -> PlayedGame:
    """A classroom room (playing, or loaded from its save) as a played game."""
    return PlayedGame(
        room.session,
        room.seats,
        "room",
        turn_limit=room.clock.limit_seconds,
        room_log=list(room.log),
        command_times=list(room.command_times),
        branches=list(room.branches),
        warnings=list(warnings),
    )


# --- played here ------------------------------------------------------------------------------------------


def game_played_headless(
    scenario: str | Path, roles: Sequence[str], policy: str, seed: int, data_dir: Path | None = None,
    turns: int | None = None,
) -> PlayedGame:
    """A game of `scenario` with the seats `roles`, every decision taken by `policy`, to its end (or `turns`)."""
    if policy not in POLICIES:
        raise ReportProblem(_("There is no policy '{policy}' (the policies are {policies}).", policy=policy,
                              policies=", ".join(POLICIES)))
    if seed < 0:
        raise ReportProblem(_("The seed must be a whole number of 0 or more, not {seed}.", seed=seed))
    opened = open_game(str(scenario), list(roles), seed, data_dir)
    if isinstance(opened, GameProblems):
        raise ReportProblem("\n".join(opened.messages))
    session = opened.session
    limit = session.compiled.turns if turns is None else min(turns, session.compiled.turns)
    for _turn in range(limit):
        if session.is_over:
            break
        play_turn(session, roles, policy)
    return PlayedGame(session, seats_in_order(roles), "headless", policy=policy)


def play_turn(session: Session, roles: Sequence[str], policy: str) -> None:
    """Every seat answers its open decisions by `policy`, then ends the turn (the last one resolves it)."""
    for role in roles:
        for pending in session.pending_decisions(role):
            if pending.awaits_choice:
                choice = policy_choice(policy, pending.available, pending.default_choice,
                                       historical=historical_choice(session.scenario, pending.event_id),
                                       seed=session.seed, turn=session.turn, decision=pending.event_id)
                session.apply(Choose(role, pending.event_id, choice))
        try:
            session.apply(EndTurn(role))
        except CommandRejected as rejected:  # a bug in the policy, not the user's mistake
            raise ReportProblem(rejected.message) from rejected
