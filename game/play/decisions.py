"""A decision as a player sees it: the event (or treaty obligation) and its choices, with their texts.

Ordinary events are decided by their owner role. An obligation decision is named
`obligation:<treaty>.<article>`; its two choices are `honour` and `evade`, and it is decided by the
obligation's `decided_by` role, or its holder when that is not given.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.compiled import OBLIGATION_PREFIX
from game.scenario.models import Article, Event, LocalizedText, Obligation, Scenario, Treaty, localized
from game.translation import _, current_language

HONOUR = "honour"
EVADE = "evade"


@dataclass(frozen=True)
class ChoiceInfo:
    """One option of a decision."""

    id: str
    label: str
    text: str | None
    default: bool


@dataclass(frozen=True)
class DecisionInfo:
    """What a decision is about, who decides it, and its options in the scenario's order."""

    event_id: str
    role: str
    title: str
    text: str
    choices: tuple[ChoiceInfo, ...]
    is_obligation: bool

    def choice(self, choice_id: str) -> ChoiceInfo | None:
        """The option with this id, or None."""
        return next((c for c in self.choices if c.id == choice_id), None)

    def label_of(self, choice_id: str) -> str:
        """The option's label, or its id when it is unknown."""
        found = self.choice(choice_id)
        return found.label if found else choice_id


@dataclass(frozen=True)
class PendingDecision:
    """A decision awaiting a player this turn: which options are open, and what was chosen so far."""

    info: DecisionInfo
    available: tuple[str, ...]
    chosen: str | None
    default_choice: str  # what a timeout or a replay takes: the default if open, else the first open choice

    @property
    def event_id(self) -> str:
        return self.info.event_id

    @property
    def awaits_choice(self) -> bool:
        """True while the player still has to choose: nothing chosen yet and some choice open."""
        return self.chosen is None and bool(self.available)


def obligation_event_id(obligation: str) -> str:
    """The decision id of an obligation `treaty.article`: `obligation:treaty.article`."""
    return f"{OBLIGATION_PREFIX}{obligation}"


def find_event(scenario: Scenario, event_id: str) -> Event | None:
    """The scenario's event with this id, or None."""
    return next((e for e in scenario.events if e.id == event_id), None)


def find_obligation(scenario: Scenario, obligation: str) -> tuple[Treaty, Article, Obligation] | None:
    """(treaty, article, obligation) for `treaty.article`, or None when there is no such obligation."""
    treaty_id, _, article_id = obligation.partition(".")
    for treaty in scenario.treaties:
        if treaty.id != treaty_id:
            continue
        for article in treaty.articles:
            if article.id == article_id and article.obligation is not None:
                return treaty, article, article.obligation
    return None


def obligation_decider(obligation: Obligation) -> str:
    """The role that answers an obligation's call."""
    return obligation.decided_by or obligation.holder


def describe_decision(scenario: Scenario, event_id: str, language: str | None = None) -> DecisionInfo | None:
    """The decision `event_id` (an event id or `obligation:<treaty>.<article>`), or None if it does not exist;
    its texts in `language` (default: the current one)."""
    language = language or current_language()
    if event_id.startswith(OBLIGATION_PREFIX):
        found = find_obligation(scenario, event_id[len(OBLIGATION_PREFIX):])
        if found is None:
            return None
        treaty, article, obligation = found
        choices = (
            ChoiceInfo(HONOUR, _text(obligation.honour.label, language), _optional(obligation.honour.text, language),
                       False),
            ChoiceInfo(EVADE, _text(obligation.evade.label, language), _optional(obligation.evade.text, language),
                       False),
        )
        return DecisionInfo(
            event_id=event_id,
            role=obligation_decider(obligation),
            title=_("{treaty}, {article}", treaty=_text(treaty.name, language), article=_text(article.title, language)),
            text=_text(obligation.scope, language),
            choices=choices,
            is_obligation=True,
        )
    event = find_event(scenario, event_id)
    if event is None:
        return None
    return DecisionInfo(
        event_id=event.id,
        role=event.owner,
        title=_text(event.title, language),
        text=_text(event.text, language),
        choices=tuple(
            ChoiceInfo(c.id, _text(c.label, language), _optional(c.text, language), c.default) for c in event.choices
        ),
        is_obligation=False,
    )


def historical_choice(scenario: Scenario, event_id: str) -> str | None:
    """The choice the scenario marks as what really happened (`history.choice`), if any."""
    event = find_event(scenario, event_id)
    if event is None or event.history is None:
        return None
    return event.history.choice


def _text(text: LocalizedText, language: str) -> str:
    return localized(text, language)


def _optional(text: LocalizedText | None, language: str) -> str | None:
    return None if text is None else localized(text, language)
