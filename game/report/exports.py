"""The pack's files: `index.html`, `decisions.csv`, `history.csv` and `commands.json`, written atomically.

The data files are for a spreadsheet or a further analysis; they hold ids beside the texts, floats as
Python writes them (exact), and no date of writing, so the same game gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from game.play.news import role_title
from game.play.room import Room
from game.play.saves import SaveError, scenario_hash, write_text_atomically
from game.report.cards import SeatCodes, card_text, role_cards
from game.report.chance import CHANCE_WORLDS
from game.report.decision_log import ADVICE_WORLDS, DecisionRecord
from game.report.html_pages import cards_html, pack_html
from game.report.pack import Pack
from game.report.played import PlayedGame, ReportProblem
from game.scenario.models import Scenario

PACK_FILES = ("index.html", "decisions.csv", "history.csv", "commands.json")


def write_pack(game: PlayedGame, pack: Pack, out: Path) -> list[Path]:
    """Write the pack's four files into `out` (created if needed); raises `ReportProblem` if it cannot."""
    contents = {
        "index.html": pack_html(pack),
        "decisions.csv": decisions_csv(game, pack.decisions, pack.language),
        "history.csv": history_csv(game, pack.language),
        "commands.json": commands_json(game),
    }
    return [write_file(out / name, contents[name]) for name in PACK_FILES]


def write_file(path: Path, text: str) -> Path:
    """Replace `path` with `text` atomically; `ReportProblem` when the folder cannot be written."""
    if path.parent.exists() and not path.parent.is_dir():
        raise ReportProblem(f"{path.parent}: not a folder")
    try:
        write_text_atomically(path, text)
        path.chmod(0o644)  # a pack is handed out: readable by all, not private like a save
    except SaveError as error:
        raise ReportProblem(error.message.replace("could not write the save", "could not write the file")) from error
    except OSError as error:
        raise ReportProblem(f"{path}: could not write the file: {error.strerror or error}") from error
    return path


def _csv(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def decisions_csv(game: PlayedGame, decisions: Sequence[DecisionRecord], language: str) -> str:
    """One row per decision of a seat: when, who, what, how, the advice and the historical choice."""
    session = game.session
    rows: list[list[Any]] = [[
        "number", "turn", "date", "team", "role", "role_title", "decision", "decision_title", "choice",
        "choice_label", "how", "seconds_to_decide", "advice", "followed", "historical_choice",
    ]]
    for d in decisions:
        rows.append([
            d.number, d.turn + 1, session.date_label(d.turn, language), game.team_of(d.role), d.role,
            role_title(session.scenario, d.role, language), d.event_id, d.title, d.choice_id, d.choice_label, d.how,
            "" if d.seconds is None else f"{d.seconds:.1f}",
            "; ".join(f"{a.advisor}: {a.choice_id}" for a in d.advice), "; ".join(d.followed),
            d.historical_choice or "",
        ])
    return _csv(rows)


def history_csv(game: PlayedGame, language: str) -> str:
    """Every variable's value at the start (turn 0) and after each resolved turn, one row per turn."""
    session = game.session
    variables = session.compiled.variable_ids
    rows: list[list[Any]] = [["turn", "date", *variables]]
    for turn, values in enumerate(session.history):
        rows.append([turn, session.date_label(turn, language), *(repr(float(v)) for v in values)])
    return _csv(rows)


def commands_json(game: PlayedGame) -> str:
    """The game's inputs: scenario, seed, seats and every command (with its time in a classroom game), the room
    log and the abandoned branches; enough to replay the game exactly."""
    session = game.session
    commands = []
    for index, command in enumerate(session.commands):
        entry = command.to_json()
        if game.command_times is not None and index < len(game.command_times):
            entry["at"] = game.command_times[index]
        commands.append(entry)
    data = {
        "scenario_id": session.scenario.id,
        "scenario_hash": scenario_hash(session.scenario),
        "seed": session.seed,
        "seats": [{"role": seat.role, "team": seat.team} for seat in game.seats],
        "source": game.source,
        "policy": game.policy,
        "turn_limit_seconds": game.turn_limit,
        "commands": commands,
        "room_log": [{"at": e.at, "turn": e.turn, "kind": e.kind, "role": e.role, "text": e.text}
                     for e in game.room_log],
        "branches": [{"from_turn": b.from_turn, "reason": b.reason, "at": b.at,
                      "commands": [c.to_json() for c in b.commands]} for b in game.branches],
        "ending": session.ending,
    }
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1, sort_keys=True) + "\n"


def export_room_pack(room: Room, out: Path, language: str = "en", *, chance_worlds: int = CHANCE_WORLDS,
                     advice_worlds: int = ADVICE_WORLDS) -> list[Path]:
    """The facilitator console's "export the pack": the room's game as it stands, written into `out` (headless,
    a second or two; run it off the UI thread). Raises `ReportProblem` when the folder cannot be written."""
    from game.report.pack import build_pack
    from game.report.played import game_from_room

    game = game_from_room(room)
    return write_pack(game, build_pack(game, language, chance_worlds=chance_worlds, advice_worlds=advice_worlds),
                      out)


def write_role_cards(scenario: Scenario, roles: Sequence[str], language: str, folder: Path, *,
                     codes: SeatCodes | None = None, teams: Mapping[str, str] | None = None) -> tuple[Path, int]:
    """Write `folder/cards.html` (the cards of `roles`) atomically; returns its path and how many cards. With codes
    the file is the teacher's alone (0600): a seat code opens its team's private briefing, and only the printout is
    handed out. Raises `ReportProblem`."""
    cards = role_cards(scenario, roles, language, codes=codes, teams=teams)
    text = card_text(scenario, language)
    path = write_file(folder / "cards.html", cards_html(cards, language, text["scenario"], text))
    if codes is not None:
        path.chmod(0o600)
    return path, len(cards)
