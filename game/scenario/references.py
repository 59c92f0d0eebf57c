"""Cross-reference checks on a validated scenario: ids, ranges, dates, expressions, derived cycles.

The pydantic models check each value's shape; this pass checks what needs the whole scenario:
that every id a field names exists (with did-you-mean), that ids are unique, that initial values
lie in their ranges, that dates fall inside the calendar, that levers are moved only by their
roles, and that every expression parses and names things that exist. Each problem is reported at
the position where the offending value was written (which may be in a base file).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from game.scenario.dependency_order import dependency_order
from game.scenario.diagnostics import Diagnostic, Severity
from game.scenario.expressions import Expect, ExpressionProblem, names_used, parse_expression, problems_in
from game.scenario.models import LANGUAGE_PATTERN, Citations, Effect, Expression, Scenario
from game.scenario.months import month_number, year_month_text
from game.scenario.symbols import (
    OPINION_RANGE,
    Symbols,
    lever_variable,
    relation_variable,
    symbols_of,
)
from game.scenario.yaml_reader import Document, KeyPath, format_path, locate

_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_GENERATED_PREFIXES = ("opinion.", "relation.", "lever.")


@dataclass
class _Checker:
    scenario: Scenario
    document: Document
    symbols: Symbols
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cited_sources: set[str] = field(default_factory=set)

    def report(
        self, path: KeyPath, message: str, hint: str | None = None, *, severity: Severity = "error", key: bool = False
    ) -> None:
        node = locate(self.document, path)
        where = (node.key or node.value) if key else node.value
        self.diagnostics.append(
            Diagnostic(where.file, where.line, where.col, severity, format_path(path), message, hint)
        )

    def known(self, path: KeyPath, value: str | None, what: str, names: Iterable[str]) -> bool:
        """Report `value` at `path` unless it is one of `names`; True when it is known."""
        if value is None:
            return True
        pool = names if isinstance(names, Collection) else set(names)
        if value in pool:
            return True
        hint = self.symbols.suggestions.hint(value, pool)
        if hint is None and pool and len(pool) <= 8:
            hint = "known: " + ", ".join(sorted(pool))
        self.report(path, f"unknown {what} '{value}'", hint)
        return False

    def unique(self, path: KeyPath, ids: Sequence[str | None], what: str) -> None:
        seen: dict[str, int] = {}
        for index, item_id in enumerate(ids):
            if item_id is None:
                continue
            if item_id in seen:
                first = locate(self.document, (*path, seen[item_id], "id")).value
                self.report(
                    (*path, index, "id"), f"duplicate {what} id '{item_id}'",
                    f"first used at {first.file}:{first.line}; ids must be unique",
                )
            else:
                seen[item_id] = index

    def source(self, path: KeyPath, source_id: str | None) -> None:
        if source_id is not None:
            self.cited_sources.add(source_id)
            self.known(path, source_id, "source", self.source_ids)

    @property
    def source_ids(self) -> set[str]:
        return {source.id for source in self.scenario.sources}

    def variable(self, path: KeyPath, name: str | None) -> bool:
        return self.known(path, name, "variable", self.symbols.variables)

    def expression(self, path: KeyPath, source: Expression | None, expect: Expect) -> None:
        if source is None:
            return
        problems = problems_in(source, self.symbols, expect=expect)
        if not problems:
            return
        node = locate(self.document, path)
        exact = path in self.document.positions
        for problem in problems:
            where = node.value
            col = where.col
            if exact and node.one_line and isinstance(source, str):
                col = where.col + problem.col - 1 + (1 if node.quoted else 0)
            self.diagnostics.append(Diagnostic(
                where.file, where.line, col, "error", format_path(path), f"col {problem.col}: {problem.message}",
                problem.hint,
            ))

    def effects(self, path: KeyPath, effects: Sequence[Effect]) -> None:
        for index, effect in enumerate(effects):
            here = (*path, index)
            if effect.target.startswith("lever."):
                self.report(
                    (*here, "target"), f"an effect cannot move the lever variable '{effect.target}'",
                    "levers move only by their role's commands; target the variable the lever influences",
                )
            elif self.variable((*here, "target"), effect.target) and effect.target in self.derived:
                self.report(
                    (*here, "target"), f"'{effect.target}' is derived: it is recomputed every turn",
                    "target one of the variables its formula reads", severity="warning",
                )
            self.expression((*here, "amount"), effect.amount, "number")

    @property
    def derived(self) -> set[str]:
        return {name for name, variable in self.scenario.variables.items() if variable.derived is not None}


def check_references(scenario: Scenario, document: Document) -> list[Diagnostic]:
    """Every cross-reference problem in a validated scenario; `document` supplies the positions."""
    checker = _Checker(scenario, document, symbols_of(scenario))
    _check_sources(checker)
    _check_variables(checker)
    _check_opinion_and_relations(checker)
    _check_influences(checker)
    _check_roles(checker)
    _check_treaties(checker)
    _check_events(checker)
    _check_endings(checker)
    _check_map(checker)
    _check_citations(checker, scenario, ())
    for s_index, source_id in enumerate(scenario.summary_sources):
        checker.source(("summary_sources", s_index), source_id)
    _check_classroom(checker)
    _check_unused_sources(checker)
    _check_localized_text(checker, scenario, ())
    return checker.diagnostics


def _check_sources(c: _Checker) -> None:
    c.unique(("sources",), [s.id for s in c.scenario.sources], "source")


def _check_variables(c: _Checker) -> None:
    s = c.scenario
    for name, variable in s.variables.items():
        path: KeyPath = ("variables", name)
        if name.startswith(_GENERATED_PREFIXES) or name in {"turn", "date"}:
            c.report(
                path, f"'{name}' is a generated or built-in name", "opinion.*, relation.* and lever.* variables "
                "come from opinion groups, relations and levers; choose another id", key=True,
            )
        lo, hi = variable.range
        if not lo <= variable.initial <= hi:
            c.report((*path, "initial"), f"initial value {variable.initial:g} is outside the range [{lo:g}, {hi:g}]")
        if variable.baseline is not None and not lo <= variable.baseline <= hi:
            c.report(
                (*path, "baseline"), f"baseline {variable.baseline:g} is outside the range [{lo:g}, {hi:g}]",
                severity="warning",
            )
        c.source((*path, "source"), variable.source)
        c.expression((*path, "derived"), variable.derived, "number")
    _check_derived_cycles(c)


def _check_derived_cycles(c: _Checker) -> None:
    derived = c.derived
    reads: dict[str, set[str]] = {}
    for name in derived:
        parsed = parse_expression(c.scenario.variables[name].derived or "0")
        if not isinstance(parsed, ExpressionProblem):
            reads[name] = {n for n in names_used(parsed) if n in derived}
    for cycle in dependency_order(dict(sorted(reads.items()))).cycles:
        c.report(
            ("variables", cycle[0], "derived"), "derived variables form a cycle: " + _cycle_text(cycle),
            "a derived variable may not depend on itself, even through others",
        )


def _cycle_text(cycle: Sequence[str]) -> str:
    """`a -> b -> a`; a long cycle is shortened to its first few steps, a count and its end."""
    if len(cycle) <= 12:
        return " -> ".join(cycle)
    return " -> ".join(cycle[:5]) + f" -> ... ({len(cycle) - 1:,} variables in all) -> " + " -> ".join(cycle[-2:])


def _check_opinion_and_relations(c: _Checker) -> None:
    s = c.scenario
    issues = set(s.opinion.issues)
    lo, hi = OPINION_RANGE
    for group_id, group in s.opinion.groups.items():
        path: KeyPath = ("opinion", "groups", group_id)
        c.known((*path, "actor"), group.actor, "actor", s.actors)
        c.source((*path, "source"), group.source)
        for issue, value in group.initial.items():
            if c.known((*path, "initial", issue), issue, "issue", issues) and not lo <= value <= hi:
                c.report((*path, "initial", issue), f"opinion {value:g} is outside the range [0, 100]")
        if group.baseline is not None and not lo <= group.baseline <= hi:
            c.report((*path, "baseline"), f"baseline {group.baseline:g} is outside the range [0, 100]")
    if s.opinion.groups and not issues:
        c.report(("opinion",), "opinion groups are defined but no issues", "add `issues:` under `opinion:`",
                 severity="warning")
    pairs: dict[str, int] = {}
    for index, relation in enumerate(s.relations):
        path = ("relations", index)
        a, b = relation.between
        c.known((*path, "between", 0), a, "actor", s.actors)
        c.known((*path, "between", 1), b, "actor", s.actors)
        if a == b:
            c.report((*path, "between"), f"a relation needs two different actors, not '{a}' twice")
        name = relation_variable(a, b)
        if name in pairs or relation_variable(b, a) in pairs:
            c.report((*path, "between"), f"the relation between '{a}' and '{b}' is defined twice",
                     f"first at relations[{pairs.get(name, pairs.get(relation_variable(b, a)))}]")
        pairs[name] = index
        c.source((*path, "source"), relation.source)


def _check_influences(c: _Checker) -> None:
    s = c.scenario
    c.unique(("influences",), [i.id for i in s.influences], "influence")
    for index, influence in enumerate(s.influences):
        path: KeyPath = ("influences", index)
        c.variable((*path, "from"), influence.source)
        if influence.target.startswith("lever."):
            c.report((*path, "to"), f"an influence cannot move the lever variable '{influence.target}'",
                     "levers move only by their role's commands")
        elif c.variable((*path, "to"), influence.target) and influence.target in c.derived:
            c.report((*path, "to"), f"'{influence.target}' is derived: it is recomputed every turn",
                     "point the influence at one of the variables its formula reads", severity="warning")


def _check_roles(c: _Checker) -> None:
    s = c.scenario
    if not s.playable_roles():
        c.report(("roles",), "no role is playable", "set `playable: true` on at least one role", key=True)
    lever_owner: dict[str, str] = {}
    endings = {e.id for e in s.endings}
    for role_id, role in s.roles.items():
        path: KeyPath = ("roles", role_id)
        c.known((*path, "actor"), role.actor, "actor", s.actors)
        for lever_id, lever in role.levers.items():
            here = (*path, "levers", lever_id)
            if lever_id in lever_owner:
                c.report(here, f"lever '{lever_id}' is also defined by role '{lever_owner[lever_id]}'",
                         f"lever ids are global (`{lever_variable(lever_id)}`); rename one", key=True)
            lever_owner.setdefault(lever_id, role_id)
            lo, hi = lever.range
            if not lo <= lever.initial <= hi:
                c.report((*here, "initial"), f"initial setting {lever.initial:g} is outside the range [{lo:g}, {hi:g}]")
            if lever.step is not None and lever.step > hi - lo:
                c.report((*here, "step"), f"step {lever.step:g} is larger than the range [{lo:g}, {hi:g}]")
            c.source((*here, "source"), lever.source)
        c.unique((*path, "objectives"), [o.id for o in role.objectives], "objective")
        for index, objective in enumerate(role.objectives):
            c.expression((*path, "objectives", index, "when"), objective.when, "condition")
        c.unique((*path, "losses"), [loss.id for loss in role.losses], "loss condition")
        for index, loss in enumerate(role.losses):
            c.expression((*path, "losses", index, "when"), loss.when, "condition")
            c.known((*path, "losses", index, "ending"), loss.ending, "ending", endings)
        c.unique((*path, "advisors"), [a.id for a in role.advisors], "advisor")
        for index, advisor in enumerate(role.advisors):
            for variable in advisor.priorities:
                c.variable((*path, "advisors", index, "priorities", variable), variable)


def _check_treaties(c: _Checker) -> None:
    s = c.scenario
    c.unique(("treaties",), [t.id for t in s.treaties], "treaty")
    for index, treaty in enumerate(s.treaties):
        path: KeyPath = ("treaties", index)
        for p_index, party in enumerate(treaty.parties):
            c.known((*path, "parties", p_index), party, "actor", s.actors)
        if treaty.signed and treaty.in_force and treaty.in_force < treaty.signed:
            c.report((*path, "in_force"), f"in force ({treaty.in_force}) before it was signed ({treaty.signed})",
                     severity="warning")
        c.unique((*path, "articles"), [a.id for a in treaty.articles], "article")
        for a_index, article in enumerate(treaty.articles):
            duty = article.obligation
            if duty is None:
                continue
            here = (*path, "articles", a_index, "obligation")
            c.known((*here, "holder"), duty.holder, "role", s.roles)
            c.known((*here, "beneficiary"), duty.beneficiary, "actor", s.actors)
            c.known((*here, "decided_by"), duty.decided_by, "role", s.roles)
            c.expression((*here, "trigger"), duty.trigger, "condition")
            if duty.credibility is not None:
                c.variable((*here, "credibility"), duty.credibility)
            for answer in ("honour", "evade"):
                response = getattr(duty, answer)
                c.effects((*here, answer, "effects"), response.effects)
                c.expression((*here, answer, "weight"), response.weight, "number")


def _check_events(c: _Checker) -> None:
    s = c.scenario
    c.unique(("events",), [e.id for e in s.events], "event")
    event_ids = {e.id for e in s.events}
    start = month_number(s.calendar.start)
    last = start + (s.calendar.turns - 1) * s.calendar.months_per_turn()
    triggered = {t for e in s.events for ch in e.choices for t in ch.triggers}
    if s.classroom is not None:
        triggered |= set(s.classroom.injectable)  # a facilitator can fire them in a lesson
    for index, event in enumerate(s.events):
        path: KeyPath = ("events", index)
        c.known((*path, "owner"), event.owner, "role", s.roles)
        c.expression((*path, "when"), event.when, "condition")
        c.expression((*path, "chance"), event.chance, "number")
        if event.date is not None and not start <= month_number(event.date) <= last:
            span = f"{s.calendar.start} to {year_month_text(last)}"
            c.report((*path, "date"), f"{event.date} is outside the calendar ({span})",
                     "the event will never fire on its date", severity="warning")
        if event.when is None and event.date is None and event.id not in triggered:
            c.report((*path, "id"), f"event '{event.id}' can never fire",
                     "give it `when:` or `date:`, or name it in a choice's `triggers:`", severity="warning")
        c.effects((*path, "effects"), event.effects)
        c.unique((*path, "choices"), [ch.id for ch in event.choices], "choice")
        for ch_index, choice in enumerate(event.choices):
            here = (*path, "choices", ch_index)
            c.expression((*here, "available"), choice.available, "condition")
            c.expression((*here, "weight"), choice.weight, "number")
            c.effects((*here, "effects"), choice.effects)
            for t_index, target in enumerate(choice.triggers):
                c.known((*here, "triggers", t_index), target, "event", event_ids)
        if event.history is not None:
            here = (*path, "history")
            c.known((*here, "choice"), event.history.choice, "choice", {ch.id for ch in event.choices})


def _check_endings(c: _Checker) -> None:
    s = c.scenario
    c.unique(("endings",), [e.id for e in s.endings], "ending")
    for index, ending in enumerate(s.endings):
        c.expression(("endings", index, "when"), ending.when, "condition")
    if not any(ending.at_end for ending in s.endings):
        c.report(("endings",), "no ending has `at_end: true`",
                 "when the last turn passes and no ending's condition holds, the game needs an `at_end` ending",
                 severity="warning", key=True)
    check = s.history_check
    if check is not None:
        for name in check.variables:
            c.variable(("history_check", "variables", name), name)
        if not any(ending.historical for ending in s.endings):
            c.report(("history_check",), "`history_check` needs an ending marked `historical: true`", key=True)
    _check_expectations(c)
    g = s.grades
    if not g.a >= g.b >= g.c >= g.d:
        c.report(("grades",), "grade thresholds should decrease from a to d", severity="warning", key=True)


def _check_expectations(c: _Checker) -> None:
    s = c.scenario
    c.unique(("expectations",), [e.id for e in s.expectations], "expectation")
    ending_ids = {e.id for e in s.endings}
    for index, expectation in enumerate(s.expectations):
        for e_index, ending in enumerate(expectation.ending or []):
            c.known(("expectations", index, "ending", e_index), ending, "ending", ending_ids)
        c.variable(("expectations", index, "variable"), expectation.variable)


def _check_map(c: _Checker) -> None:
    s = c.scenario
    c.unique(("map", "places"), [p.id for p in s.map.places], "place")
    for index, place in enumerate(s.map.places):
        path: KeyPath = ("map", "places", index)
        c.known((*path, "actor"), place.actor, "actor", s.actors)
        if place.shows is not None:
            c.variable((*path, "shows"), place.shows)
    for index, tension in enumerate(s.map.tensions):
        path = ("map", "tensions", index)
        c.known((*path, "between", 0), tension.between[0], "actor", s.actors)
        c.known((*path, "between", 1), tension.between[1], "actor", s.actors)
        c.variable((*path, "shows"), tension.shows)


def _check_citations(c: _Checker, node: object, path: KeyPath) -> None:
    """Every `sources:` list of a text block, history note, treaty or history check names a known source.

    Walking the whole tree, rather than listing the blocks, keeps a block that gains citations later
    from going unchecked.
    """
    if isinstance(node, BaseModel):
        if isinstance(node, Citations):
            for index, source_id in enumerate(node.sources):
                c.source((*path, "sources", index), source_id)
        for name, info in type(node).model_fields.items():
            if name != "sources":
                _check_citations(c, getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, dict):
        for key, value in node.items():
            _check_citations(c, value, (*path, key))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            _check_citations(c, value, (*path, index))
LESSON_MINUTES = 50
BRIEFING_AND_DEBRIEF_MINUTES = 10  # the least a lesson needs outside the turns


def _check_classroom(c: _Checker) -> None:
    classroom = c.scenario.classroom
    if classroom is None:
        return
    path: KeyPath = ("classroom",)
    event_ids = [e.id for e in c.scenario.events]
    seen: set[str] = set()
    for index, event_id in enumerate(classroom.injectable):
        here = (*path, "injectable", index)
        if event_id in seen:
            c.report(here, f"event '{event_id}' is listed twice", "list each injectable event once",
                     severity="warning")
        seen.add(event_id)
        c.known(here, event_id, "event", event_ids)
    turns = c.scenario.calendar.turns
    if classroom.turns > turns:
        c.report((*path, "turns"), f"the lesson suggests {classroom.turns} turns, but the calendar has {turns}",
                 f"suggest at most {turns} turns", severity="warning")
    minutes = classroom.turns * classroom.minutes_per_turn
    if minutes + BRIEFING_AND_DEBRIEF_MINUTES > LESSON_MINUTES:
        c.report(path, f"{classroom.turns} turns of {classroom.minutes_per_turn} minutes take {minutes} minutes, "
                 f"leaving less than {BRIEFING_AND_DEBRIEF_MINUTES} of a {LESSON_MINUTES}-minute lesson for the "
                 "briefing and the debrief", "suggest fewer turns or shorter ones", severity="warning", key=True)


def _check_unused_sources(c: _Checker) -> None:
    for index, source in enumerate(c.scenario.sources):
        inherited = locate(c.document, ("sources", index)).value.file != c.document.file
        if source.id not in c.cited_sources and not inherited:  # a base's sources serve several scenarios
            c.report(("sources", index, "id"), f"source '{source.id}' is never cited",
                     "cite it with `source:` or `sources:`, or remove it", severity="info")


def _check_localized_text(c: _Checker, node: object, path: KeyPath) -> None:
    """Every localised text has an English form (the models check only some fields themselves)."""
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            _check_localized_text(c, getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, dict):
        if node and all(isinstance(v, str) for v in node.values()) and all(_LANGUAGE.match(str(k)) for k in node):
            if "en" not in node:
                c.report(path, "localised text needs an 'en' entry (English is the fallback)")
            return
        for key, value in node.items():
            _check_localized_text(c, value, (*path, key))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            _check_localized_text(c, value, (*path, index))
