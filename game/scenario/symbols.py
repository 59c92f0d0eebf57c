"""The names a scenario defines, including the variables generated from compact declarations.

Generated variable ids:
- `opinion.<group>.<issue>` for every opinion group and issue (range 0–100);
- `relation.<a>.<b>` for every relation, in the order written in `between` (range -100–100);
- `lever.<lever>` for every lever of every role (the lever's own range).

Built-in names usable in expressions: `turn` (0 on the first turn) and `date` (the month of the
current turn, compared with month literals such as `1960-05`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.scenario.diagnostics import Suggestions
from game.scenario.models import Scenario

BUILTIN_NAMES = frozenset({"turn", "date"})
OPINION_RANGE = (0.0, 100.0)
RELATION_RANGE = (-100.0, 100.0)


def opinion_variable(group: str, issue: str) -> str:
    return f"opinion.{group}.{issue}"


def relation_variable(a: str, b: str) -> str:
    return f"relation.{a}.{b}"


def lever_variable(lever: str) -> str:
    return f"lever.{lever}"


def obligation_id(treaty: str, article: str) -> str:
    return f"{treaty}.{article}"


def variable_unit(scenario: Scenario, variable_id: str) -> str | None:
    """The unit the scenario gives a variable or a lever (None for opinions and relations)."""
    variable = scenario.variables.get(variable_id)
    if variable is not None:
        return variable.unit
    if variable_id.startswith("lever."):
        lever_id = variable_id.removeprefix("lever.")
        for role in scenario.roles.values():
            if lever_id in role.levers:
                return role.levers[lever_id].unit
    return None


@dataclass(frozen=True)
class IssueMember:
    """One group's variable on an issue, with the group's population weight and actor."""

    variable: str
    weight: float
    actor: str


@dataclass(frozen=True)
class Symbols:
    """Every name an expression or a reference may use."""

    variables: frozenset[str]
    events: frozenset[str]
    choices: Mapping[str, frozenset[str]]
    actors: frozenset[str]
    roles: frozenset[str]
    obligations: frozenset[str]
    issues: Mapping[str, tuple[IssueMember, ...]] = field(default_factory=dict)
    # Shared by every check of one file, so that did-you-mean work is bounded per file.
    suggestions: Suggestions = field(default_factory=Suggestions, compare=False, repr=False)


def symbols_of(scenario: Scenario) -> Symbols:
    """Collect the names a (merged) scenario defines."""
    variables = set(scenario.variables)
    issues: dict[str, list[IssueMember]] = {issue: [] for issue in scenario.opinion.issues}
    for group_id, group in scenario.opinion.groups.items():
        for issue in scenario.opinion.issues:
            name = opinion_variable(group_id, issue)
            variables.add(name)
            issues[issue].append(IssueMember(name, group.weight, group.actor))
    for relation in scenario.relations:
        variables.add(relation_variable(*relation.between))
    for role in scenario.roles.values():
        variables.update(lever_variable(lever) for lever in role.levers)
    obligations = {
        obligation_id(treaty.id, article.id)
        for treaty in scenario.treaties
        for article in treaty.articles
        if article.obligation is not None
    }
    return Symbols(
        variables=frozenset(variables),
        events=frozenset(event.id for event in scenario.events),
        choices={event.id: frozenset(c.id for c in event.choices) for event in scenario.events},
        actors=frozenset(scenario.actors),
        roles=frozenset(scenario.roles),
        obligations=frozenset(obligations),
        issues={issue: tuple(members) for issue, members in issues.items()},
    )
