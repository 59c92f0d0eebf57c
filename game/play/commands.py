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
from typing import Any, Self

from game.engine.compiled import OBLIGATION_PREFIX


class CommandRejected(Exception):
    """A command breaks a rule of the game; the message is shown to the player as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CommandFormatError(ValueError):
    """A serialised command (e.g. in a save file) is malformed; the message says what is wrong."""


class _FromJson:
    """`from_json` for every command class: `SetLever.from_json(data)` rebuilds a SetLever or says why not."""

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Rebuild the command from `to_json()` output; raises `CommandFormatError` if it is malformed."""
        command = command_from_json(data)
        if not isinstance(command, cls):
            raise CommandFormatError(f"expected a {cls.__name__} command, got {type(command).__name__}")
        return command


@dataclass(frozen=True)
class SetLever(_FromJson):
    """Set one of the role's levers (by lever id, without the `lever.` prefix) to a new value."""

    role: str
    lever: str
    value: float
    turn: int | None = None  # None until the session stamps it with the turn it was given in

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "set_lever", "role": ..., "lever": ..., "value": 1.5, "turn": 2}`."""
        return {"kind": "set_lever", "role": self.role, "lever": self.lever, "value": self.value, "turn": self.turn}


@dataclass(frozen=True)
class Choose(_FromJson):
    """Decide a pending event; `event` may be an obligation decision `obligation:<treaty>.<article>`."""

    role: str
    event: str
    choice: str
    turn: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "choose", "role": ..., "event": ..., "choice": ..., "turn": 2}`."""
        return {"kind": "choose", "role": self.role, "event": self.event, "choice": self.choice, "turn": self.turn}

    @property
    def is_obligation(self) -> bool:
        """True when this answers an obligation rather than an ordinary event."""
        return self.event.startswith(OBLIGATION_PREFIX)


@dataclass(frozen=True)
class EndTurn(_FromJson):
    """The role has finished its turn; the turn resolves once every human role has ended it."""

    role: str
    turn: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "end_turn", "role": ..., "turn": 2}`."""
        return {"kind": "end_turn", "role": self.role, "turn": self.turn}


CONTROL = "control"
"""The pseudo-role of the facilitator (the control cell): never a scenario role, never a human role of a session."""


@dataclass(frozen=True)
class Timeout(_FromJson):
    """The facilitator (or the room's clock) ends `role`'s turn: every undecided decision takes its default
    (`PendingDecision.default_choice`; an obligation is evaded), then the role's turn ends."""

    role: str
    turn: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "timeout", "role": ..., "turn": 2}`."""
        return {"kind": "timeout", "role": self.role, "turn": self.turn}


@dataclass(frozen=True)
class Inject(_FromJson):
    """The facilitator fires an event now (one the scenario's `classroom.injectable` lists), for its owner to
    decide this turn."""

    event: str
    turn: int | None = None

    @property
    def role(self) -> str:
        """Who gave the command: always the facilitator."""
        return CONTROL

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "inject", "event": ..., "turn": 2}`."""
        return {"kind": "inject", "event": self.event, "turn": self.turn}


@dataclass(frozen=True)
class Adjust(_FromJson):
    """The facilitator sets a variable now, for a reason the players are told (the news shows it as
    control's, and the causal ledger credits the change to `control: <reason>`)."""

    variable: str
    value: float
    reason: str
    turn: int | None = None

    @property
    def role(self) -> str:
        """Who gave the command: always the facilitator."""
        return CONTROL

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. `{"kind": "adjust", "variable": ..., "value": 40.0, "reason": ..., "turn": 2}`."""
        return {"kind": "adjust", "variable": self.variable, "value": self.value, "reason": self.reason,
                "turn": self.turn}


Command = SetLever | Choose | EndTurn | Timeout | Inject | Adjust
ControlCommand = Timeout | Inject | Adjust
"""The facilitator's commands: they are in the command log like the players' and replay the same way."""

_FIELDS: dict[str, tuple[str, ...]] = {
    "set_lever": ("role", "lever", "value"),
    "choose": ("role", "event", "choice"),
    "end_turn": ("role",),
    "timeout": ("role",),
    "inject": ("event",),
    "adjust": ("variable", "value", "reason"),
}


def is_control(command: Command) -> bool:
    """True for the facilitator's commands (a timeout, an inject, an adjustment)."""
    return isinstance(command, Timeout | Inject | Adjust)


def with_turn(command: Command, turn: int) -> Command:
    """The same command stamped with `turn`."""
    if isinstance(command, SetLever):
        return SetLever(command.role, command.lever, command.value, turn)
    if isinstance(command, Choose):
        return Choose(command.role, command.event, command.choice, turn)
    if isinstance(command, Timeout):
        return Timeout(command.role, turn)
    if isinstance(command, Inject):
        return Inject(command.event, turn)
    if isinstance(command, Adjust):
        return Adjust(command.variable, command.value, command.reason, turn)
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
    value = _number(data.get("value"), where) if kind in ("set_lever", "adjust") else 0.0
    if kind == "set_lever":
        return SetLever(str(data["role"]), str(data["lever"]), value, turn)
    if kind == "choose":
        return Choose(str(data["role"]), str(data["event"]), str(data["choice"]), turn)
    if kind == "timeout":
        return Timeout(str(data["role"]), turn)
    if kind == "inject":
        return Inject(str(data["event"]), turn)
    if kind == "adjust":
        reason = str(data["reason"])
        if not reason.strip():
            raise CommandFormatError(f"{where}.reason: an adjustment needs a reason, not blank text")
        return Adjust(str(data["variable"]), value, reason, turn)
    return EndTurn(str(data["role"]), turn)


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CommandFormatError(f"{where}.value: expected a finite number, got {_kind(value)}")
    return float(value)


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
