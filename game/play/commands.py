"""What players tell the game: serialisable commands, each naming the role that gave it and the turn.

A game is fully determined by its scenario, its seed and its list of commands, so commands are the
only way a player changes a game: the UI, a save file, a replay and (later) a networked classroom
all produce the same commands. Rule checks live in `Session.apply`, which raises `CommandRejected`
with a message meant for the player's message log.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.engine.compiled import OBLIGATION_PREFIX


class CommandRejected(Exception):
    """A command breaks a rule of the game; the message is shown to the player as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CommandFormatError(ValueError):
    """A serialised command (e.g. in a save file) is malformed; the message says what is wrong."""


@dataclass(frozen=True)
class SetLever:
    """Set one of the role's levers (by lever id, without the `lever.` prefix) to a new value."""

    role: str
    lever: str
    value: float
    turn: int | None = None  # None until the session stamps it with the turn it was given in

    @classmethod
    def from_json(cls, data: object) -> SetLever:
        """Rebuild the command from `to_json()` output; raises `CommandFormatError` if it is malformed."""
        command = command_from_json(data)
        if not isinstance(command, cls):
            raise CommandFormatError(f"expected a {cls.__name__} command, got {type(command).__name__}")
        return command

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "set_lever", "role": ..., "lever": ..., "value": 1.5, "turn": 2}`."""
        return {"kind": "set_lever", "role": self.role, "lever": self.lever, "value": self.value, "turn": self.turn}


@dataclass(frozen=True)
class Choose:
    """Decide a pending event; `event` may be an obligation decision `obligation:<treaty>.<article>`."""

    role: str
    event: str
    choice: str
    turn: int | None = None

    @classmethod
    def from_json(cls, data: object) -> Choose:
        """Rebuild the command from `to_json()` output; raises `CommandFormatError` if it is malformed."""
        command = command_from_json(data)
        if not isinstance(command, cls):
            raise CommandFormatError(f"expected a {cls.__name__} command, got {type(command).__name__}")
        return command

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "choose", "role": ..., "event": ..., "choice": ..., "turn": 2}`."""
        return {"kind": "choose", "role": self.role, "event": self.event, "choice": self.choice, "turn": self.turn}

    @property
    def is_obligation(self) -> bool:
        """True when this answers an obligation rather than an ordinary event."""
        return self.event.startswith(OBLIGATION_PREFIX)


@dataclass(frozen=True)
class EndTurn:
    """The role has finished its turn; the turn resolves once every human role has ended it."""

    role: str
    turn: int | None = None

    @classmethod
    def from_json(cls, data: object) -> EndTurn:
        """Rebuild the command from `to_json()` output; raises `CommandFormatError` if it is malformed."""
        command = command_from_json(data)
        if not isinstance(command, cls):
            raise CommandFormatError(f"expected a {cls.__name__} command, got {type(command).__name__}")
        return command

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "end_turn", "role": ..., "turn": 2}`."""
        return {"kind": "end_turn", "role": self.role, "turn": self.turn}


Command = SetLever | Choose | EndTurn

_FIELDS: dict[str, tuple[str, ...]] = {
    "set_lever": ("role", "lever", "value"),
    "choose": ("role", "event", "choice"),
    "end_turn": ("role",),
}


def with_turn(command: Command, turn: int) -> Command:
    """The same command stamped with `turn`."""
    if isinstance(command, SetLever):
        return SetLever(command.role, command.lever, command.value, turn)
    if isinstance(command, Choose):
        return Choose(command.role, command.event, command.choice, turn)
    return EndTurn(command.role, turn)


def command_from_json(data: object, where: str = "command") -> Command:
    """Rebuild a command from `to_json()` output; raises `CommandFormatError` naming the bad field."""
    if not isinstance(data, Mapping):
        raise CommandFormatError(f"{where}: expected an object like {{\"kind\": \"end_turn\", ...}}, got {_kind(data)}")
    kind = data.get("kind")
    if kind not in _FIELDS:
        known = ", ".join(sorted(_FIELDS))
        raise CommandFormatError(f"{where}: unknown command kind {kind!r} (expected one of: {known})")
    expected = {"kind", "turn", *_FIELDS[kind]}
    unknown = sorted(set(data) - expected)
    if unknown:
        raise CommandFormatError(f"{where}: unexpected field(s) {', '.join(unknown)} in a {kind} command")
    for name in _FIELDS[kind]:
        if name not in data:
            raise CommandFormatError(f"{where}: the {kind} command has no '{name}'")
    strings = {name: data[name] for name in _FIELDS[kind] if name != "value"}
    for name, value in strings.items():
        if not isinstance(value, str) or not value:
            raise CommandFormatError(f"{where}.{name}: expected a non-empty text, got {_kind(value)}")
    turn = data.get("turn")
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int) or turn < 0):
        raise CommandFormatError(f"{where}.turn: expected a turn number (0 or more), got {_kind(turn)}")
    if kind == "set_lever":
        value = data["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise CommandFormatError(f"{where}.value: expected a finite number, got {_kind(value)}")
        return SetLever(str(data["role"]), str(data["lever"]), float(value), turn)
    if kind == "choose":
        return Choose(str(data["role"]), str(data["event"]), str(data["choice"]), turn)
    return EndTurn(str(data["role"]), turn)


def command_to_json(command: Command) -> dict[str, Any]:
    """The command as a JSON-ready dict (same as `command.to_json()`)."""
    return command.to_json()


def _kind(value: object) -> str:
    if value is None:
        return "nothing (null)"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"
