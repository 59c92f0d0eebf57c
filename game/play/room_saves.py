"""Classroom saves: an ordinary save (version 2) with a "room" block — the seats, the clock's limit, the room
log, when each command was given and the branches a rewind abandoned.

The game itself is still its command log, facilitator commands included, so loading replays it exactly
(`game.play.saves.load_save`); the room block only adds what a replay cannot know. The clock starts a fresh
turn on loading; the times of a loaded room go on from the last time the save recorded.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.play.commands import Command, CommandFormatError, CommandRejected, command_from_json
from game.play.room import Branch, Room, RoomLogEntry, Seat
from game.play.saves import LoadedSave, SaveError, load_save, read_save_data, save_data, write_text_atomically


@dataclass
class LoadedRoom:
    """A classroom game loaded from a save, and what loading it said (`loaded.warnings`)."""

    room: Room
    loaded: LoadedSave


def room_save_data(room: Room, label: str | None = None, *, saved_at: str | None = None) -> dict[str, Any]:
    """The room's save as a JSON-ready dict: `save_data` of its session plus the "room" block."""
    data = save_data(room.session, label, saved_at=saved_at)
    data["room"] = {
        "seats": [{"role": seat.role, "team": seat.team} for seat in room.seats],
        "turn_limit": room.clock.limit_seconds,
        "command_times": list(room.command_times),
        "log": [
            {"at": e.at, "turn": e.turn, "kind": e.kind, "role": e.role, "text": e.text} for e in room.log
        ],
        "branches": [
            {"from_turn": b.from_turn, "reason": b.reason, "at": b.at,
             "commands": [c.to_json() for c in b.commands], "command_times": list(b.command_times)}
            for b in room.branches
        ],
        "elapsed": room.elapsed(),
    }
    return data


def write_room_save(room: Room, path: Path, label: str | None = None, *, indent: int | None = 1) -> Path:
    """Write the room to `path` atomically; raises `SaveError` (an old file there is left intact).
    `indent=None` writes compact JSON (the classroom server's autosave after every command)."""
    try:
        text = json.dumps(room_save_data(room, label), ensure_ascii=False, allow_nan=False, indent=indent)
    except (TypeError, ValueError) as error:
        raise SaveError(f"{path}: could not write the save: {error}") from error
    write_text_atomically(path, text)
    return path


def is_room_save(path: Path) -> bool:
    """True when `path` is a readable save with a "room" block (a classroom game)."""
    try:
        return isinstance(read_save_data(path).get("room"), dict)
    except SaveError:
        return False


def load_room_save(path: Path, data_dir: Path | None = None, *,
                   now: Callable[[], float] = time.monotonic) -> LoadedRoom:
    """Load a classroom save: replay its game (see `load_save`), then rebuild its room; raises `SaveError`."""
    data = read_save_data(path)
    block = data.get("room")
    if not isinstance(block, dict):
        raise SaveError(f"{path}: not a classroom save (it has no \"room\" block); open it with `play` instead")
    loaded = load_save(path, data_dir)
    reader = _RoomBlock(path, block)
    seats = reader.seats()
    limit = reader.optional_number(block.get("turn_limit"), "turn_limit")
    elapsed = reader.number(block.get("elapsed", 0.0), "elapsed")
    try:
        room = Room(loaded.session, seats, turn_limit=limit, now=now, elapsed_before=elapsed)
    except CommandRejected as rejected:
        raise SaveError(f"{path}: the save's room does not fit its game: {rejected.message}") from rejected
    times = reader.numbers(block.get("command_times", []), "command_times")
    count = len(loaded.session.commands)
    # A save replayed onto an edited scenario may have lost commands: the times then no longer line up.
    room.command_times = times[:count] + [times[-1] if times else 0.0] * max(0, count - len(times))
    room.log = reader.log()
    room.branches = reader.branches()
    return LoadedRoom(room, loaded)


class _RoomBlock:
    """Reads a save's "room" block, each problem a `SaveError` naming the field."""

    def __init__(self, path: Path, block: Mapping[str, Any]) -> None:
        self.path = path
        self.block = block

    def fail(self, where: str, problem: str) -> SaveError:
        return SaveError(f"{self.path}: the save's room.{where} {problem}")

    def number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(where, f"must be a number, not {value!r}")
        return float(value)

    def optional_number(self, value: object, where: str) -> float | None:
        return None if value is None else self.number(value, where)

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"must be a text, not {value!r}")
        return value

    def items(self, value: object, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be a list")
        return value

    def mapping(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be an object")
        return value

    def numbers(self, value: object, where: str) -> list[float]:
        return [self.number(item, f"{where}[{i}]") for i, item in enumerate(self.items(value, where))]

    def seats(self) -> list[Seat]:
        seats = []
        for i, item in enumerate(self.items(self.block.get("seats"), "seats")):
            seat = self.mapping(item, f"seats[{i}]")
            seats.append(Seat(self.text(seat.get("role"), f"seats[{i}].role"),
                              self.text(seat.get("team"), f"seats[{i}].team")))
        return seats

    def log(self) -> list[RoomLogEntry]:
        entries = []
        for i, item in enumerate(self.items(self.block.get("log", []), "log")):
            where = f"log[{i}]"
            entry = self.mapping(item, where)
            turn = entry.get("turn")
            if isinstance(turn, bool) or not isinstance(turn, int) or turn < 0:
                raise self.fail(f"{where}.turn", f"must be a turn number, not {turn!r}")
            role = entry.get("role")
            entries.append(RoomLogEntry(
                self.number(entry.get("at"), f"{where}.at"), turn, self.text(entry.get("kind"), f"{where}.kind"),
                None if role is None else self.text(role, f"{where}.role"),
                self.text(entry.get("text"), f"{where}.text"),
            ))
        return entries

    def branches(self) -> list[Branch]:
        branches = []
        for i, item in enumerate(self.items(self.block.get("branches", []), "branches")):
            where = f"branches[{i}]"
            branch = self.mapping(item, where)
            from_turn = branch.get("from_turn")
            if isinstance(from_turn, bool) or not isinstance(from_turn, int) or from_turn < 0:
                raise self.fail(f"{where}.from_turn", f"must be a turn number, not {from_turn!r}")
            commands: list[Command] = []
            for j, raw in enumerate(self.items(branch.get("commands"), f"{where}.commands")):
                try:
                    commands.append(command_from_json(raw, where=f"room.{where}.commands[{j}]"))
                except CommandFormatError as error:
                    raise SaveError(f"{self.path}: bad command in the save: {error}") from error
            branches.append(Branch(
                from_turn, self.text(branch.get("reason"), f"{where}.reason"), tuple(commands),
                tuple(self.numbers(branch.get("command_times", []), f"{where}.command_times")),
                self.number(branch.get("at"), f"{where}.at"),
            ))
        return branches
