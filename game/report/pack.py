"""The debrief pack's content: every section of `index.html` as plain, already translated data.

The templates only lay this out, so every sentence of the pack is here, through the game's `_()` (and so
in its catalogues), and scenario text comes through `localized`. Nothing depends on when the pack is made:
dates are the game's own, times are the room log's, and every list has a fixed order.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from game.engine.compiled import OBLIGATION_PREFIX
from game.engine.forecast import NO_ENDING
from game.engine.ledger_labels import CONTROL_PREFIX
from game.play.advisors import DEFAULT_WORLDS
from game.play.decisions import describe_decision, find_obligation
from game.play.news import news_text, role_title
from game.play.numbers import format_number, format_percent, format_value
from game.play.why_changed import source_names
from game.report.chance import CHANCE_WORLDS, STRATEGIES, ChanceResult, replay_in_other_worlds
from game.report.decision_log import (
    ADVICE_TURNS,
    ADVICE_WORLDS,
    CHOSEN,
    TIMEOUT,
    DecisionRecord,
    decision_records,
)
from game.report.played import PlayedGame
from game.report.svg import Marker, line_chart, range_chart, share_bars
from game.scenario.models import localized
from game.scenario.symbols import variable_unit
from game.translation import N_, _, ngettext, using_language

BIGGEST_MOVES = 6
PARTS_PER_MOVE = 4
CONTROL_KINDS = ("timeout", "inject", "adjust")


@dataclass(frozen=True)
class Line:
    """A dated line of text."""

    date: str
    text: str
    control: bool = False


@dataclass(frozen=True)
class SeatSection:
    team: str
    role: str
    public: str
    private: str
    objectives: tuple[tuple[str, str, bool], ...]  # (label, points earned / worth, met)
    score: str


@dataclass(frozen=True)
class Move:
    date: str
    variable: str
    change: str
    parts: tuple[tuple[str, str], ...]  # (amount, source)


@dataclass(frozen=True)
class AppendixRow:
    team: str
    role: str
    decisions: int
    chosen: int
    timeouts: int
    defaults: int
    median_seconds: str
    followed_any: str
    per_advisor: tuple[tuple[str, str], ...]  # (advisor, "3 of 5")


@dataclass
class Pack:
    """Every section of the pack, ready to lay out."""

    language: str
    text: Mapping[str, str]  # the pack's headings and fixed sentences
    title: str
    cover: list[tuple[str, str]]
    teams: list[tuple[str, str]]
    ending: tuple[str, str] | None
    seats: list[SeatSection]
    timeline: list[tuple[str, list[Line]]]
    decisions: list[DecisionRecord]
    decision_dates: dict[int, str]
    decision_teams: dict[int, str]
    how_labels: dict[str, str]
    control: list[Line]
    branches: list[Line]
    charts: list[str]
    moves: list[Move]
    obligations: list[tuple[str, str, str, str]]  # (date, obligation, outcome, what really happened)
    chance: ChanceResult | None
    chance_charts: list[str]
    chance_table: list[tuple[str, list[str]]]
    strategies: list[str]  # the chance section's columns
    questions: list[str]
    appendix: list[AppendixRow]
    warnings: list[str] = field(default_factory=list)


def build_pack(
    game: PlayedGame, language: str = "en", *, chance_worlds: int = CHANCE_WORLDS, advice_worlds: int = ADVICE_WORLDS,
    on_progress: Callable[[str], None] | None = None,
) -> Pack:
    """The pack of a played game in `language` (every figure recomputed from the game's commands)."""
    with using_language(language):
        session = game.session
        scenario = session.scenario
        step = on_progress or (lambda _what: None)
        step(_("advice"))
        decisions = decision_records(game, language, worlds=advice_worlds, turns=ADVICE_TURNS)
        step(_("other worlds"))
        chance = replay_in_other_worlds(game, chance_worlds) if len(session.history) > 1 else None
        ending = next((e for e in scenario.endings if e.id == session.ending), None)
        return Pack(
            language=language,
            text=_fixed_text(advice_worlds, chance_worlds),
            title=localized(scenario.title, language),
            cover=_cover(game, language),
            teams=[(seat.team, role_title(scenario, seat.role, language)) for seat in game.seats],
            ending=(localized(ending.title, language), localized(ending.text, language)) if ending else None,
            seats=[_seat(game, seat.role, seat.team, language) for seat in game.seats],
            timeline=_timeline(game, language),
            decisions=decisions,
            decision_dates={d.number: session.date_label(d.turn, language) for d in decisions},
            decision_teams={d.number: f"{game.team_of(d.role)} — {role_title(scenario, d.role, language)}"
                            for d in decisions},
            how_labels={CHOSEN: _("chosen by the team") if game.source != "headless" else _("chosen by the policy"),
                        TIMEOUT: _("time ran out: the default was taken"),
                        "default": _("the default was taken")},
            control=_control_lines(game, language),
            branches=_branch_lines(game, language),
            charts=_charts(game, decisions, language),
            moves=_biggest_moves(game, language),
            obligations=_obligations(game, language),
            chance=chance,
            chance_charts=_chance_charts(game, chance, language) if chance else [],
            chance_table=_chance_table(game, chance, language) if chance else [],
            strategies=[_strategy_names()[s] for s in STRATEGIES],
            questions=_questions(game, language),
            appendix=_appendix(game, decisions, language),
            warnings=list(game.warnings),
        )


def _fixed_text(advice_worlds: int, chance_worlds: int) -> dict[str, str]:
    return {
        "pack": _("Debrief pack"),
        "contents": _("Contents"),
        "cover": _("The game"),
        "teams": _("Teams"),
        "ending": _("Ending"),
        "seed_note": _("The seed decides the game's chance events: the same seed and the same decisions give the "
                       "same game."),
        "roles": _("The roles, revealed"),
        "public": _("Public briefing"),
        "private": _("Private briefing (revealed)"),
        "no_private": _("This role has no private briefing."),
        "objectives": _("Objectives"),
        "score": _("Score"),
        "timeline": _("Timeline"),
        "no_news": _("Nothing reported this turn."),
        "decisions": _("Decisions"),
        "no_decisions": _("The teams took no decision in this game."),
        "options": _("Options"),
        "closed": _("not open at the time"),
        "advice": _("Advice"),
        "no_advice": _("This role has no advisors."),
        "choice": _("Choice"),
        "recommended": _("recommends"),
        "what_happened": _("What really happened"),
        "historical_choice": _("Historical choice"),
        "none_recorded": _("none recorded in the scenario"),
        "time_to_decide": _("Time to decide"),
        "advice_note": (_("Advice is recomputed for this pack at the moment each decision was open, with the game's "
                          "own forecast ({worlds} simulated worlds, the same random numbers), so it is the advice the "
                          "team read (unless the game's advice settings were changed).", worlds=f"{advice_worlds:,}")
                        if advice_worlds == DEFAULT_WORLDS else
                        _("Advice is recomputed for this pack at the moment each decision was open, from {worlds} "
                          "simulated worlds (the game's advisors use {game_worlds}), so an explanation may differ "
                          "slightly from what the team read.", worlds=f"{advice_worlds:,}",
                          game_worlds=f"{DEFAULT_WORLDS:,}")),
        "control": _("The facilitator's actions"),
        "no_control": _("The facilitator took no action in this game."),
        "branches": _("Abandoned branches"),
        "charts": _("Key variables"),
        "charts_note": _("Numbered blue marks are the teams' decisions (see Decisions); red marks are the "
                         "facilitator's actions."),
        "moves": _("The biggest moves, explained"),
        "no_moves": _("No turn was resolved, so nothing moved."),
        "obligations": _("Obligation ledger"),
        "no_obligations": _("No obligation was engaged in this game."),
        "chance": _("Chance"),
        "chance_intro": _("The class's choices replayed in {worlds} other worlds, beside the historical path and "
                          "random play in the same worlds. The facilitator's injects and adjustments are not "
                          "replayed.", worlds=f"{chance_worlds:,}"),
        "no_chance": _("No turn was resolved, so there is nothing to replay."),
        "strategy": _("Way of deciding"),
        "questions": _("Questions for the debrief"),
        "no_questions": _("The scenario suggests no debrief questions; see docs/classroom.md for some that work "
                          "with any scenario."),
        "appendix": _("Teacher appendix"),
        "appendix_note": _("Per seat: how many decisions it took, how it took them, how long it took (classroom "
                           "games only) and how often it followed its advisors."),
        "col_team": _("Team"),
        "col_decisions": _("Decisions"),
        "col_chosen": _("Chosen"),
        "col_timeouts": _("Timeouts"),
        "col_defaults": _("Defaults"),
        "col_time": _("Median time to decide"),
        "col_followed": _("Followed an advisor"),
        "col_advisors": _("Agreement with each advisor"),
        "warnings": _("Notes on this game"),
    }


# --- cover and roles -------------------------------------------------------------------------------------------


def _cover(game: PlayedGame, language: str) -> list[tuple[str, str]]:
    session = game.session
    scenario = session.scenario
    played = len(session.history) - 1
    last = max(0, min(played, session.compiled.turns) - 1)
    rows = [
        (_("Scenario"), f"{localized(scenario.title, language)} ({scenario.id})"),
        (_("Dates"), _("{start} to {end}", start=session.date_label(0, language),
                       end=session.date_label(last, language))),
        (_("Turns played"), _("{played} of {turns}", played=played, turns=session.compiled.turns)),
        (_("Seed"), str(session.seed)),
    ]
    if scenario.hypothetical:
        rows.append((_("Content"), _("Hypothetical: the events are invented dilemmas.")))
    if game.source == "headless":
        rows.append((_("Played"), _("headless, every decision by the policy '{policy}'", policy=game.policy or "")))
    elif game.source == "room":
        limit = (_("no time limit") if game.turn_limit is None
                 else ngettext("{n} minute per turn", "{n} minutes per turn", round(game.turn_limit / 60)))
        rows.append((_("Played"), _("in the classroom, {limit}", limit=limit)))
    else:
        rows.append((_("Played"), _("from a saved game")))
    return rows


def _seat(game: PlayedGame, role: str, team: str, language: str) -> SeatSection:
    scenario = game.session.scenario
    declared = scenario.roles[role]
    briefing = declared.briefing
    score = game.session.score(role)
    earned = {o.id: o for o in score.objectives}
    objectives = []
    for objective in declared.objectives:
        result = earned.get(objective.id)
        got = result.earned if result is not None else 0.0
        objectives.append((localized(objective.label, language),
                           f"{format_number(got)} / {format_number(objective.points)}",
                           bool(result is not None and result.met)))
    return SeatSection(
        team=team,
        role=role_title(scenario, role, language),
        public=localized(briefing.public, language) if briefing is not None else "",
        private=localized(briefing.private, language) if briefing is not None and briefing.private else "",
        objectives=tuple(objectives),
        score=_("{points} of {best} points ({percent}), grade {grade}", points=format_number(score.points),
                best=format_number(score.max_points), percent=format_percent(score.percent / 100),
                grade=score.grade),
    )


# --- timeline and the facilitator ------------------------------------------------------------------------------


def _timeline(game: PlayedGame, language: str) -> list[tuple[str, list[Line]]]:
    session = game.session
    by_turn: dict[int, list[Line]] = {}
    for item in session.news:  # the facilitator's commands are in the news too, as control's
        by_turn.setdefault(item.turn, []).append(Line(session.date_label(item.turn, language),
                                                      news_text(item, session.scenario, language),
                                                      item.kind in CONTROL_KINDS))
    for line_turn, line in _control_with_turns(game, language, commands=False):
        by_turn.setdefault(line_turn, []).append(line)
    played = len(session.history) - 1
    return [(session.date_label(turn, language), by_turn.get(turn, [])) for turn in range(max(played, 1))]


def _control_lines(game: PlayedGame, language: str) -> list[Line]:
    return [line for _turn, line in _control_with_turns(game, language)]


def _control_with_turns(game: PlayedGame, language: str, *, commands: bool = True) -> list[tuple[int, Line]]:
    """The facilitator's commands (timeouts, injects, adjustments; unless `commands` is False) and the room log,
    in the order they came."""
    session = game.session
    # At the same moment the room's own note comes first: the clock runs out, then each seat times out.
    found: list[tuple[int, float, int, int, Line]] = []
    for index, command in enumerate(session.commands):
        data = command.to_json()
        kind = str(data["kind"])
        if not commands or kind not in CONTROL_KINDS:
            continue
        turn = int(data.get("turn") or 0)
        text = _control_text(game, data, language)
        at = 0.0
        if game.command_times is not None and index < len(game.command_times):
            at = game.command_times[index]
            text = f"{_clock(at)} · {text}"
        found.append((turn, at, 1, index, Line(session.date_label(turn, language), text, True)))
    for n, entry in enumerate(game.room_log):
        room_text = _room_text(game, entry.kind, entry.role, entry.text, language)
        if room_text is not None:
            found.append((entry.turn, entry.at, 0, n, Line(session.date_label(entry.turn, language),
                                                           f"{_clock(entry.at)} · {room_text}", True)))
    found.sort(key=lambda item: item[:4])
    return [(item[0], item[4]) for item in found]


def _control_text(game: PlayedGame, data: Mapping[str, Any], language: str) -> str:
    scenario = game.session.scenario
    kind = data["kind"]
    if kind == "timeout":
        role = str(data.get("role", ""))
        return _("Control: time ran out for {team} ({role}); every open decision took its default.",
                 team=game.team_of(role) or role, role=role_title(scenario, role, language))
    if kind == "inject":
        event_id = str(data.get("event", ""))
        info = describe_decision(scenario, event_id, language)
        return _("Control injected the event '{event}'.", event=info.title if info else event_id)
    variable = str(data.get("variable", ""))
    label = game.session.compiled.label(variable, language) if variable in game.session.compiled.variable_index \
        else variable
    value = float(data.get("value", 0.0))
    return _("Control set {variable} to {value}. Reason: {reason}", variable=label,
             value=format_value(value, variable_unit(scenario, variable)), reason=str(data.get("reason", "")))


ROOM_KINDS: dict[str, str] = {
    "pause": N_("The facilitator paused the clock."),
    "resume": N_("The facilitator restarted the clock."),
    "time_up": N_("The turn's time ran out."),
    "extend": N_("The facilitator gave this turn more time."),
    "rewind": N_("The facilitator rewound the game to the start of this turn (see Abandoned branches)."),
    "export": N_("The facilitator exported the debrief pack."),
}


def _room_text(game: PlayedGame, kind: str, role: str | None, text: str, language: str) -> str | None:
    """A room-log entry in the reader's language (the room writes English); None for bookkeeping."""
    if kind in ("ready", "command", "turn_start"):
        return None
    if kind == "reveal":
        if role is None:
            return _("The facilitator revealed the private briefings.")
        return _("The facilitator revealed the private briefing of {team} ({role}).",
                 team=game.team_of(role) or role, role=role_title(game.session.scenario, role, language))
    message = ROOM_KINDS.get(kind)
    return _(message) if message is not None else text


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _branch_lines(game: PlayedGame, language: str) -> list[Line]:
    session = game.session
    lines = []
    for branch in game.branches:
        lines.append(Line(session.date_label(branch.from_turn, language), ngettext(
            "Rewound to this turn, abandoning {n} order. Reason: {reason}",
            "Rewound to this turn, abandoning {n} orders. Reason: {reason}",
            len(branch.commands), reason=branch.reason), True))
    return lines


# --- charts and the ledger --------------------------------------------------------------------------------------


def _charts(game: PlayedGame, decisions: Sequence[DecisionRecord], language: str) -> list[str]:
    session = game.session
    compiled = session.compiled
    labels = [session.date_label(turn, language) for turn in range(len(session.history))]
    markers = [Marker(d.turn, str(d.number)) for d in decisions]
    control_turns = sorted({int(c.to_json().get("turn") or 0) for c in session.commands
                            if c.to_json()["kind"] in CONTROL_KINDS})
    markers += [Marker(turn + 0.5, "C", control=True) for turn in control_turns]
    charts = []
    for variable in compiled.key_variables:
        index = compiled.variable_index[variable]
        unit = variable_unit(session.scenario, variable)
        title = compiled.label(variable, language) + (f" ({unit})" if unit else "")
        charts.append(line_chart(title, session.value_history(variable), labels, lower=float(compiled.lower[index]),
                                 upper=float(compiled.upper[index]), markers=markers))
    return charts


def _biggest_moves(game: PlayedGame, language: str) -> list[Move]:
    """The largest turn-to-turn changes of the key variables (relative to each one's range), each by its causes."""
    session = game.session
    compiled = session.compiled
    names = source_names(session, language)
    candidates = []
    for ledger in session.ledgers:
        if ledger is None:
            continue
        for variable in compiled.key_variables:
            index = compiled.variable_index[variable]
            span = float(compiled.upper[index] - compiled.lower[index]) or 1.0
            total = ledger.total(variable)
            if abs(total) > 1e-9:
                candidates.append((-abs(total) / span, ledger.turn, variable, ledger))
    candidates.sort(key=lambda item: (item[0], item[1], item[2]))
    moves = []
    for _weight, turn, variable, ledger in candidates[:BIGGEST_MOVES]:
        unit = variable_unit(session.scenario, variable)
        parts = sorted(ledger.changes(variable), key=lambda part: (-abs(part[1]), part[0]))[:PARTS_PER_MOVE]
        moves.append(Move(
            date=session.date_label(turn, language),
            variable=compiled.label(variable, language),
            change=_("{before} → {after}", before=format_value(ledger.before(variable), unit),
                     after=format_value(ledger.after(variable), unit)),
            parts=tuple((_signed(amount), _source(names, label)) for label, amount in parts),
        ))
    return moves


def _signed(amount: float) -> str:
    text = format_number(amount)
    return text if text.startswith("-") else f"+{text}"


def _source(names: Mapping[str, str], label: str) -> str:
    if label.startswith(CONTROL_PREFIX):
        return _("control: {reason}", reason=label.removeprefix(CONTROL_PREFIX))
    return names.get(label, label)


def _obligations(game: PlayedGame, language: str) -> list[tuple[str, str, str, str]]:
    """(date, obligation, outcome, what really happened — given on the obligation's first line only)."""
    session = game.session
    rows = []
    told: set[str] = set()
    for record in session.obligation_ledger:
        info = describe_decision(session.scenario, f"{OBLIGATION_PREFIX}{record.obligation}", language)
        found = find_obligation(session.scenario, record.obligation)
        note = getattr(found[2], "history", None) if found is not None else None  # comes with the campaign's format
        text = getattr(note, "text", None)
        history = ""
        if record.obligation not in told:
            told.add(record.obligation)
            history = localized(text, language) if text is not None else _("none recorded")
        rows.append((session.date_label(record.turn, language), info.title if info else record.obligation,
                     _(record.outcome), history))
    return rows


# --- chance ---------------------------------------------------------------------------------------------------------


def _strategy_names() -> dict[str, str]:
    return {"class": _("The class's choices"), "historical": _("The historical path"), "random": _("Random play")}


def _ending_names(game: PlayedGame, language: str) -> dict[str, str]:
    names = {e.id: localized(e.title, language) for e in game.session.scenario.endings}
    names[NO_ENDING] = _("no ending yet")
    return names


def _chance_charts(game: PlayedGame, chance: ChanceResult, language: str) -> list[str]:
    compiled = game.session.compiled
    names = _ending_names(game, language)
    strategies = _strategy_names()
    endings = [e for e in [*compiled.ending_ids, NO_ENDING] if any(o.ending_shares[e] for o in chance.outcomes)]
    charts = [share_bars(_("Endings in {worlds} other worlds", worlds=f"{chance.worlds:,}"),
                         [(strategies[o.strategy], [o.ending_shares[e] for e in endings]) for o in chance.outcomes],
                         [names[e] for e in endings])]
    for variable in compiled.key_variables:
        index = compiled.variable_index[variable]
        unit = variable_unit(game.session.scenario, variable)
        title = _("{variable} after {turns} turns: 10th–90th percentile and median",
                  variable=compiled.label(variable, language) + (f" ({unit})" if unit else ""), turns=chance.turns)
        charts.append(range_chart(title, [(strategies[o.strategy], o.percentiles[variable]) for o in chance.outcomes],
                                  chance.class_values[variable], _("the class's world"),
                                  lower=float(compiled.lower[index]), upper=float(compiled.upper[index])))
    return charts


def _chance_table(game: PlayedGame, chance: ChanceResult, language: str) -> list[tuple[str, list[str]]]:
    """Rows of ending shares: (ending, [share per strategy]), then the class's own ending marked."""
    compiled = game.session.compiled
    names = _ending_names(game, language)
    rows = []
    for ending in [*compiled.ending_ids, NO_ENDING]:
        shares = [chance.outcome(s).ending_shares[ending] for s in STRATEGIES]
        if not any(shares) and ending != chance.class_ending:
            continue
        label = names[ending] + (" ◀ " + _("the class's ending") if ending == chance.class_ending else "")
        rows.append((label, [format_percent(share) for share in shares]))
    return rows


# --- questions and the appendix ----------------------------------------------------------------------------------


def _questions(game: PlayedGame, language: str) -> list[str]:
    classroom = game.session.scenario.classroom
    if classroom is None:
        return []
    return [question.ja if language == "ja" else question.en for question in classroom.debrief_questions]


def _appendix(game: PlayedGame, decisions: Sequence[DecisionRecord], language: str) -> list[AppendixRow]:
    scenario = game.session.scenario
    timeouts: dict[str, int] = {}
    for command in game.session.commands:
        data = command.to_json()
        if data["kind"] == "timeout":
            timeouts[str(data["role"])] = timeouts.get(str(data["role"]), 0) + 1
    rows = []
    for seat in game.seats:
        mine = [d for d in decisions if d.role == seat.role]
        advised = [d for d in mine if d.advice]
        seconds = [d.seconds for d in mine if d.seconds is not None]
        per_advisor = []
        for advisor in scenario.roles[seat.role].advisors:
            name = localized(advisor.name, language)
            asked = [d for d in advised if any(a.advisor == name for a in d.advice)]
            agreed = sum(1 for d in asked if name in d.followed)
            per_advisor.append((name, _("{agreed} of {asked}", agreed=agreed, asked=len(asked))))
        followed = sum(1 for d in advised if d.followed)
        rows.append(AppendixRow(
            team=seat.team, role=role_title(scenario, seat.role, language), decisions=len(mine),
            chosen=sum(1 for d in mine if d.how == CHOSEN), timeouts=timeouts.get(seat.role, 0),
            defaults=sum(1 for d in mine if d.how != CHOSEN),
            median_seconds=_duration(statistics.median(seconds)) if seconds else "—",
            followed_any=_("{agreed} of {asked}", agreed=followed, asked=len(advised)) if advised else "—",
            per_advisor=tuple(per_advisor),
        ))
    return rows


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return ngettext("{n} second", "{n} seconds", whole)
    return _("{minutes} min {seconds} s", minutes=whole // 60, seconds=whole % 60)
