"""Save files: JSON holding what determines a game (scenario, seed, roles, commands) plus a state snapshot.

Replay is the source of truth: loading a save replays its commands onto the scenario, then checks
the replayed state against the snapshot. A mismatch means the engine changed since the save was
written; the replayed game is kept and a warning says so. If the scenario's content changed (its
hash differs), the commands are replayed leniently onto the new content and the commands that no
longer apply are reported (this is also what F5 in the UI does after a modder edits a scenario).

The scenario hash is a SHA-256 of the validated scenario model (after `extends` is merged), so
reformatting the YAML or editing comments does not count as a change, but any change the engine
could see does.

Files are written atomically: a temporary file in the same folder, fsync, then `os.replace`, so
a crash or a full disk never leaves a half-written save in place of a good one. See docs/saves.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game.play.commands import Command, CommandFormatError, CommandRejected, command_from_json
from game.play.session import ReplayReport, Session
from game.scenario.models import MAX_TURNS, Scenario, english
from game.scenario.source_file import FileProblem, path_exists, read_limited

MAX_SAVE_BYTES = 64 * 1024 * 1024
MAX_INT_DIGITS = 20  # a seed is below 2**64 (20 digits); nothing in a save needs more
MAX_LABEL_LENGTH = 200
STALE_TEMP_SECONDS = 60.0
SAVE_FORMAT = "alliance-desk-save"
SAVE_VERSION = 2  # 2: the facilitator's commands may be in the log, and a classroom save has a "room" block
AUTOSAVES_KEPT = 3
AUTOSAVE_PREFIX = "autosave-"
REQUIRED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "format": str,
    "version": int,
    "scenario_id": str,
    "scenario_path": (str, type(None)),
    "scenario_hash": str,
    "seed": int,
    "roles": list,
    "commands": list,
    "snapshot": dict,
    "saved_at": str,
    "turn": int,
    "label": str,
}

ScenarioFinder = Callable[[str, str | None], tuple[Scenario, str | None]]
"""(scenario id, path recorded in the save) -> (scenario, path it was read from); raises SaveError."""


class SaveError(Exception):
    """A save cannot be read or written; the message says which file and what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SaveInfo:
    """What the load dialog lists for one save file (`problem` is set when the file cannot be loaded)."""

    path: Path
    label: str
    scenario_id: str
    turn: int
    saved_at: str
    is_autosave: bool
    problem: str | None = None


@dataclass
class LoadedSave:
    """A loaded game, what the file said, and anything the player should be told."""

    session: Session
    info: SaveInfo
    scenario_changed: bool = False
    replay: ReplayReport | None = None  # set when the scenario changed: what no longer applied
    warnings: list[str] = field(default_factory=list)


# --- writing ---------------------------------------------------------------------------------------------


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's validated content (merged, canonical JSON), as "sha256:<hex>"."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_data(session: Session, label: str | None = None, *, saved_at: str | None = None) -> dict[str, Any]:
    """The save as a JSON-ready dict (see docs/saves.md for each field)."""
    if label is None:
        label = f"{english(session.scenario.title)} — {session.date_label()}"
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "label": label,
        "saved_at": saved_at if saved_at is not None else datetime.now(UTC).isoformat(timespec="seconds"),
        "scenario_id": session.scenario.id,
        "scenario_path": str(Path(session.scenario_path).resolve()) if session.scenario_path else None,
        "scenario_hash": scenario_hash(session.scenario),
        "seed": session.seed,
        "roles": sorted(session.human_roles),
        "turn": session.turn,
        "commands": [command.to_json() for command in session.commands],
        "snapshot": session.snapshot(),
    }


def write_save(session: Session, path: Path, label: str | None = None) -> Path:
    """Write the session to `path` atomically; raises `SaveError` (the old file, if any, is left intact)."""
    data = save_data(session, label)
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1)
    except (TypeError, ValueError) as error:
        raise SaveError(f"{path}: could not write the save: {error}") from error
    write_text_atomically(path, text)
    return path


def write_text_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text`: temporary file in the same folder, fsync, `os.replace`; SaveError on failure."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_left_over_temp_files(path)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise SaveError(f"{path}: could not write the save: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise SaveError(f"{path}: could not write the save: {error.strerror or error}") from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _sync_folder(folder)


def _remove_left_over_temp_files(path: Path) -> None:
    """Delete the temporary files a killed save left in `path`'s folder.

    One for the same target is always stale (this process writes one file at a time); one for
    another file only when it is older than STALE_TEMP_SECONDS, in case another game is saving now.
    """
    now = time.time()
    for temp in path.parent.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            same_target = temp.name.startswith(f".{path.name}.")
            if temp.is_file() and (same_target or now - temp.stat().st_mtime > STALE_TEMP_SECONDS):
                temp.unlink()


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder entry is flushed (POSIX); Windows has no such call.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# --- reading -------------------------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a save can hold")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"the number {text[:12]}... is too large for a save")
    return int(text)


def read_save_data(path: Path) -> dict[str, Any]:
    """Read and check a save file's JSON (not the scenario); raises `SaveError` saying what is wrong."""
    if not path_exists(path):
        raise SaveError(f"{path}: no such save file")
    try:
        raw = read_limited(path, MAX_SAVE_BYTES)
    except FileProblem as error:
        raise SaveError(f"{path}: could not read the save: {error}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SaveError(f"{path}: not a save file (it is not text)") from error
    if not text.strip():
        raise SaveError(f"{path}: the save file is empty (it was probably cut off while being written)")
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int)
    except RecursionError as error:
        raise SaveError(f"{path}: not a save file (its data is nested too deeply)") from error
    except json.JSONDecodeError as error:
        cut_off = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        if cut_off and text.lstrip().startswith("{"):
            raise SaveError(
                f"{path}: the save file is truncated (it ends at line {error.lineno}, column {error.colno}, "
                "in the middle of the data); load an earlier save or autosave"
            ) from error
        raise SaveError(
            f"{path}:{error.lineno}:{error.colno}: not a save file (not valid JSON: {error.msg})"
        ) from error
    except ValueError as error:  # NaN, Infinity or an integer of thousands of digits
        raise SaveError(f"{path}: not a save file ({error})") from error
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{path}: not an Alliance Desk save (it has no \"format\": \"{SAVE_FORMAT}\")")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SaveError(f"{path}: the save has no valid version number (found {version!r})")
    if version > SAVE_VERSION:
        raise SaveError(
            f"{path}: this save was written by a newer version of Alliance Desk (save version {version}; "
            f"this version reads version {SAVE_VERSION}); update the game to load it"
        )
    missing = [name for name in REQUIRED_FIELDS if name not in data]
    if missing:
        raise SaveError(f"{path}: the save is incomplete: missing {', '.join(repr(m) for m in missing)}")
    for name, expected in REQUIRED_FIELDS.items():
        value = data[name]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is int):
            raise SaveError(f"{path}: the save's {name!r} has the wrong type ({type(value).__name__})")
    if data["seed"] < 0:
        raise SaveError(f"{path}: the save's seed must be 0 or more, not {data['seed']}")
    if data["seed"] >= 2**64:
        raise SaveError(f"{path}: the save's seed is too large (the limit is 2**64 - 1)")
    if not 0 <= data["turn"] <= MAX_TURNS:
        raise SaveError(f"{path}: the save's turn must be from 0 to {MAX_TURNS}, not {data['turn']}")
    label = data["label"]
    if len(label) > MAX_LABEL_LENGTH or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in label):
        raise SaveError(
            f"{path}: the save's label must be at most {MAX_LABEL_LENGTH} characters without control characters"
        )
    if not all(isinstance(role, str) for role in data["roles"]):
        raise SaveError(f"{path}: the save's 'roles' must be a list of role ids")
    return data


def read_commands(path: Path, data: Mapping[str, Any]) -> list[Command]:
    """The save's command log; raises `SaveError` naming the first malformed command."""
    commands: list[Command] = []
    for index, item in enumerate(data["commands"]):
        try:
            commands.append(command_from_json(item, where=f"commands[{index}]"))
        except CommandFormatError as error:
            raise SaveError(f"{path}: bad command in the save: {error}") from error
    return commands


def load_save(path: Path, data_dir: Path | None = None, *, find: ScenarioFinder | None = None) -> LoadedSave:
    """Load a save: find its scenario, replay its commands, check the snapshot; raises `SaveError`.

    `find` locates the scenario (default: the path recorded in the save if it still exists, else
    the scenario id in the shipped scenarios and the mods under `data_dir`).
    """
    data = read_save_data(path)
    commands = read_commands(path, data)
    finder = find if find is not None else _catalog_finder(data_dir)
    scenario, scenario_path = finder(data["scenario_id"], data["scenario_path"])
    info = _info(path, data)
    roles = [role for role in data["roles"]]
    if scenario_hash(scenario) != data["scenario_hash"]:
        report = Session.replay_leniently(scenario, data["seed"], commands, roles, scenario_path=scenario_path)
        changes = [f"The scenario '{scenario.id}' has changed since this game was saved; the game was replayed "
                    "onto the new version."]
        changes += [
            f"Turn {(s.command.turn or 0) + 1}: an order no longer applies: {s.reason}" for s in report.skipped
        ]
        changes += [f"Note: {note}" for note in report.notes]
        return LoadedSave(report.session, info, scenario_changed=True, replay=report, warnings=changes)
    missing_roles = sorted(set(roles) - set(scenario.roles))
    if missing_roles:
        raise SaveError(f"{path}: the save names roles the scenario does not have: {', '.join(missing_roles)}")
    try:
        session = Session.replay(scenario, data["seed"], commands, roles, scenario_path=scenario_path)
    except CommandRejected as rejected:
        raise SaveError(f"{path}: the save's orders do not replay on this scenario: {rejected.message}") from rejected
    warnings: list[str] = []
    if not _same_snapshot(session.snapshot(), data["snapshot"]):
        warnings.append(
            "The game engine has changed since this game was saved: the game was rebuilt from its orders "
            "and may differ slightly from what you saw."
        )
    return LoadedSave(session, info, warnings=warnings)


def _same_snapshot(replayed: Mapping[str, Any], saved: Mapping[str, Any]) -> bool:
    # Compare as JSON would store it: floats survive a JSON round trip exactly (repr), arrays become lists.
    return bool(json.loads(json.dumps(replayed, allow_nan=False)) == saved)


def _catalog_finder(data_dir: Path | None) -> ScenarioFinder:
    def find(scenario_id: str, recorded_path: str | None) -> tuple[Scenario, str | None]:
        from game.scenario.catalog import find_scenario
        from game.scenario.loader import default_roots, load_scenario

        if recorded_path is not None and Path(recorded_path).is_file():
            path = Path(recorded_path)
            result = load_scenario(path, roots=[*default_roots(data_dir), path.parent])
            if result.scenario is not None and result.scenario.id == scenario_id:
                return result.scenario, recorded_path
            if result.scenario is None and result.scenario_id == scenario_id:
                # The modder's file now has errors: say so rather than pick another file with that id.
                problems = "; ".join(d.format() for d in result.diagnostics if d.severity == "error")[:500]
                raise SaveError(f"The scenario '{scenario_id}' of this save has errors now: {problems}")
        result = find_scenario(scenario_id, data_dir)
        if result.scenario is None:
            where = f" (it was at {recorded_path})" if recorded_path else ""
            problems = "; ".join(d.format() for d in result.diagnostics if d.severity == "error")[:500]
            detail = f": {problems}" if problems else ""
            raise SaveError(f"The scenario '{scenario_id}' of this save cannot be found or loaded{where}{detail}")
        found_path = getattr(result, "path", None)
        return result.scenario, str(found_path) if found_path is not None else recorded_path

    return find


# --- save folders ------------------------------------------------------------------------------------------


def saves_dir(data_dir: Path | None) -> Path:
    """The folder of save files: `<data dir>/saves` (default data dir: the platform's user data folder)."""
    from game.resources import user_data_dir

    return user_data_dir(data_dir) / "saves"


def autosave(session: Session, data_dir: Path | None) -> Path:
    """Write an autosave and delete all but the newest `AUTOSAVES_KEPT`; returns the new file."""
    folder = saves_dir(data_dir)
    numbers = [number for number, _ in _autosaves(folder)]
    path = folder / f"{AUTOSAVE_PREFIX}{(max(numbers) + 1) if numbers else 1:06d}.json"
    write_save(session, path, label=f"Autosave: {english(session.scenario.title)} — {session.date_label()}")
    for _, old in _autosaves(folder)[:-AUTOSAVES_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()
    return path


def _autosaves(folder: Path) -> list[tuple[int, Path]]:
    found: list[tuple[int, Path]] = []
    if not folder.is_dir():
        return found
    for path in folder.glob(f"{AUTOSAVE_PREFIX}*.json"):
        number = path.stem.removeprefix(AUTOSAVE_PREFIX)
        if number.isdigit():
            found.append((int(number), path))
    return sorted(found)


def list_saves(data_dir: Path | None) -> list[SaveInfo]:
    """Every save in the saves folder, newest first; unreadable files are listed with their problem."""
    folder = saves_dir(data_dir)
    if not folder.is_dir():
        return []
    infos: list[SaveInfo] = []
    try:
        paths = list(folder.glob("*.json"))
    except OSError:  # the folder cannot be read: nothing to list
        return []
    for path in paths:
        try:
            infos.append(_info(path, read_save_data(path)))
        except SaveError as error:
            infos.append(SaveInfo(path, path.stem, "", 0, "", path.name.startswith(AUTOSAVE_PREFIX), error.message))
    autosave_order = {path: number for number, path in _autosaves(folder)}
    infos.sort(key=lambda i: (i.saved_at, autosave_order.get(i.path, 0), i.path.name), reverse=True)
    return infos


def _info(path: Path, data: Mapping[str, Any]) -> SaveInfo:
    return SaveInfo(
        path=path,
        label=str(data["label"]),
        scenario_id=str(data["scenario_id"]),
        turn=int(data["turn"]),
        saved_at=str(data["saved_at"]),
        is_autosave=path.name.startswith(AUTOSAVE_PREFIX),
    )
