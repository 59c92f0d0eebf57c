"""Printable role cards: for each seat, the public briefing on the front and the private one on a page of its own.

A card carries the team's label and, for the networked classroom, the join address and the seat's code (from the
codes file `serve --codes-out` writes, or from the room the game hosts); without codes the code field is blank for
a pen. Never a student's name, and never the facilitator key or the projector token, which the codes file holds too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from game.play.news import role_title
from game.report.played import ReportProblem, seats_in_order
from game.scenario.diagnostics import Diagnostic
from game.scenario.models import Scenario, localized
from game.translation import _, using_language

MAX_CODE_TEXT = 200  # a code or an address longer than this is not one `serve` wrote
MAX_CODES_FILE = 1 << 20


@dataclass(frozen=True)
class RoleCard:
    team: str
    role: str
    actor: str
    public: str
    objectives: tuple[str, ...]
    advisors: tuple[str, ...]
    private: str
    code: str = ""  # the seat's code ("ABCD-EFGH"); empty: a blank field on the card
    join: str = ""  # the join address, printed with the code


@dataclass(frozen=True)
class SeatCodes:
    """What a card may print from a room's codes: the room, the join address and each seat's code."""

    room: str
    join: str
    seats: Mapping[str, str]


def read_seat_codes(path: Path) -> SeatCodes:
    """The seat codes in a codes file (`serve --codes-out`); `ReportProblem` with a `file:line:col` diagnostic
    when the file is missing, not JSON, or not the shape `serve` writes."""
    try:
        if path.stat().st_size > MAX_CODES_FILE:
            raise ReportProblem(_codes_problem(path, "", 0, 0, "this is far too large for a codes file"))
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as missing:
        hint = "write it with: python main.py serve ... --codes-out FILE.json"
        raise ReportProblem(_codes_problem(path, "", 0, 0, "no such codes file", hint)) from missing
    except (OSError, UnicodeDecodeError) as error:
        raise ReportProblem(_codes_problem(path, "", 0, 0, f"could not read the codes file: {error}")) from error
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ReportProblem(_codes_problem(path, "", error.lineno, error.colno, f"not valid JSON: {error.msg}",
                                           "use the file serve --codes-out wrote, unchanged")) from error
    if not isinstance(data, dict):
        raise ReportProblem(_codes_problem(path, "", 1, 1, "a codes file is a JSON object",
                                           "use the file serve --codes-out wrote, unchanged"))
    room = _code_text(path, raw, data, "room")
    join = _code_text(path, raw, data, "join")
    seats = data.get("seats")
    if not isinstance(seats, dict) or not seats:
        raise ReportProblem(_codes_problem(path, "seats", *_position(raw, "seats"),
                                           "missing, or not an object of role: code"))
    return SeatCodes(room, join, {str(role): _code_text(path, raw, seats, role, "seats.") for role in seats})


def _code_text(path: Path, raw: str, data: dict[str, object], key: str, prefix: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_CODE_TEXT:
        raise ReportProblem(_codes_problem(path, prefix + key, *_position(raw, key),
                                           "missing, or not a short text"))
    return value.strip()


def _position(raw: str, key: str) -> tuple[int, int]:
    """Where `"key"` first appears in the file (1-based line and column; 0, 0 when it does not)."""
    at = raw.find(json.dumps(key))
    if at < 0:
        return 0, 0
    line = raw.count("\n", 0, at) + 1
    return line, at - (raw.rfind("\n", 0, at) + 1) + 1


def _codes_problem(path: Path, key: str, line: int, col: int, message: str, hint: str | None = None) -> str:
    return Diagnostic(str(path), line, col, "error", key, message, hint).format()


def role_cards(scenario: Scenario, roles: Sequence[str], language: str, *, codes: SeatCodes | None = None,
               teams: Mapping[str, str] | None = None) -> list[RoleCard]:
    """One card per seat, in the order given; raises `ReportProblem` for a role that cannot be played, or for a
    seat the codes (when given) have no code for. `teams`: each role's team label (default Team A, Team B…)."""
    playable = scenario.playable_roles()
    with using_language(language):
        for role in roles:
            if role not in playable:
                raise ReportProblem(_("{scenario}: no playable role '{role}' (playable roles: {roles})",
                                      scenario=scenario.id, role=role, roles=", ".join(playable)))
        if len(set(roles)) != len(roles):
            raise ReportProblem(_("{scenario}: a role is named twice in {roles}", scenario=scenario.id,
                                  roles=", ".join(roles)))
        if codes is not None:
            missing = [role for role in roles if role not in codes.seats]
            if missing:
                raise ReportProblem(_("The codes are for another room: no seat code for {roles} (its seats: "
                                      "{seats}). Use the codes file of the room these seats play in.",
                                      roles=", ".join(missing), seats=", ".join(codes.seats)))
        cards = []
        for seat in seats_in_order(roles):
            declared = scenario.roles[seat.role]
            briefing = declared.briefing
            actor = scenario.actors.get(declared.actor)
            cards.append(RoleCard(
                team=teams.get(seat.role, seat.team) if teams is not None else seat.team,
                role=role_title(scenario, seat.role, language),
                actor=localized(actor.name, language) if actor is not None else declared.actor,
                public=localized(briefing.public, language) if briefing is not None else "",
                objectives=tuple(localized(o.label, language) for o in declared.objectives),
                advisors=tuple(localized(a.name, language) for a in declared.advisors),
                private=(localized(briefing.private, language) if briefing is not None and briefing.private
                         else _("This role has no private briefing.")),
                code=codes.seats[seat.role] if codes is not None else "",
                join=codes.join if codes is not None else "",
            ))
        return cards


def card_text(scenario: Scenario, language: str) -> dict[str, str]:
    """The cards' headings and fixed sentences in `language`."""
    with using_language(language):
        return {
            "cards": _("Role cards"),
            "public": _("Public briefing"),
            "private": _("Private briefing"),
            "private_note": _("For your team only: do not show this page to the other teams."),
            "objectives": _("Objectives"),
            "advisors": _("Your advisors"),
            "code": _("Code"),
            "join": _("Join at"),
            "join_note": _("Open this address in a browser and type your team's code. Keep the code to your team."),
            "team": _("Team"),
            "scenario": localized(scenario.title, language),
        }

