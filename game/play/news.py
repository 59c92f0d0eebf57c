"""The news log: what happened in a game (an event fired, a decision taken, an obligation engaged,
honoured or evaded, the ending), kept as ids and outcomes and told in the player's language when shown.

A `NewsItem` holds no sentence, so switching the language mid-game re-tells the old news too, and a
replayed game (saves are replays) has news equal to the original's whatever language either ran in.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.play.decisions import describe_decision
from game.play.numbers import format_number
from game.scenario.models import Scenario, localized
from game.translation import N_, _, current_language, using_language

ENGAGED, HONOURED, EVADED = N_("engaged"), N_("honoured"), N_("evaded")  # obligation outcomes; the UI shows _(outcome)


@dataclass(frozen=True)
class NewsItem:
    """One line of the news log."""

    turn: int  # the turn being resolved when it happened
    kind: str  # "event" | "decision" | "obligation" | "ending" | "timeout" | "inject" | "adjust"
    # the event or decision ("obligation:<treaty>.<article>"), the ending's id, or the variable adjusted
    event_id: str | None = None
    role: str | None = None  # who decided (decisions), whose event it is (events, injects), who timed out
    choice_id: str | None = None  # what was decided (decisions)
    outcome: str | None = None  # obligations: ENGAGED, HONOURED or EVADED
    reason: str | None = None  # adjustments: the facilitator's reason, as they wrote it
    value: float | None = None  # adjustments: the value set


def news_text(item: NewsItem, scenario: Scenario, language: str | None = None) -> str:
    """The news line as a sentence in `language` (default: the current one), from the scenario's texts."""
    with using_language(language) as chosen:
        if item.kind == "ending":
            ending = next((e for e in scenario.endings if e.id == item.event_id), None)
            if ending is None:
                return _("The game ends without reaching any of the scenario's endings.")
            return _("The game ends: {ending}.", ending=localized(ending.title, chosen))
        if item.kind == "timeout":
            return _("{role}'s time ran out: every open decision took its default.",
                     role=role_title(scenario, item.role or ""))
        if item.kind == "adjust":
            variable = scenario.variables.get(item.event_id or "")
            name = localized(variable.label, chosen) if variable is not None else item.event_id or ""
            return _("Control set {variable} to {value}: {reason}.", variable=name,
                     value=format_number(item.value or 0.0, 6), reason=item.reason or "")
        event_id = item.event_id or ""
        info = describe_decision(scenario, event_id, chosen)
        title = info.title if info is not None else event_id
        if item.kind == "decision":
            choice = info.label_of(item.choice_id or "") if info is not None else item.choice_id or ""
            return _("{role}: '{decision}' — {choice}.", role=role_title(scenario, item.role or ""), decision=title,
                     choice=choice)
        if item.kind == "obligation":
            if item.outcome == HONOURED:
                return _("{obligation}: honoured.", obligation=title)
            if item.outcome == EVADED:
                return _("{obligation}: evaded.", obligation=title)
            return _("{obligation}: engaged.", obligation=title)
        if item.kind == "inject":
            return _("Control brings in: {event}.", event=title)
        return title


def role_title(scenario: Scenario, role: str, language: str | None = None) -> str:
    """A role's title in `language` (default: the current one), or its id when the scenario has no such role."""
    found = scenario.roles.get(role)
    return localized(found.title, language or current_language()) if found is not None else role
