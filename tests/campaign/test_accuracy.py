"""Guards on the campaign's sourcing and on the fact sheet's common misconceptions.

These cannot prove a scenario accurate (people check that against the fact sheet), but they stop
the known errors from coming back and make sure every claim points to a source a teacher can open.
"""

from __future__ import annotations

import re

import pytest

from game.scenario.catalog import discover
from game.scenario.models import Event, Scenario, english

SHIPPED = sorted(
    (e.result.scenario for e in discover() if e.shipped and e.result.scenario is not None),
    key=lambda s: s.calendar.start,
)
CAMPAIGN = [s for s in SHIPPED if s.history_check is not None]

# Phrases from the fact sheet's list of misconceptions (section B), as they would appear in English text.
MISCONCEPTIONS = {
    r"\bAsia[- ]Pacific\b": "the treaty says 'Far East' (Asia-Pacific language dates from 1996)",
    r"\b(treaty|security treaty)\b[^.]{0,40}\bsigned\b[^.]{0,20}\b1952\b": "the first treaty was signed on 8 Sep 1951",
    r"\b1978\b[^.]{0,60}\bSOFA\b|\bSOFA\b[^.]{0,60}\b(renewed|renewal)\b":
        "the SOFA dates from 1960 and was never renewed",
    r"\bminor amendments?\b": "the treaty text is unchanged since 1960",
    r"\bconstitution(al)? (was|has been) amended\b": "Japan's constitution has never been amended",
    r"\b(inspired|modell?ed on)\b[^.]{0,40}\b(ANZUS|Philippine)": "ANZUS and the Philippine treaty came earlier",
    r"\beach (party|signatory) (must|shall|is obliged to) (assist|defend) the other\b":
        "Art. V covers only territories under Japan's administration",
}


def _english_texts(scenario: Scenario) -> list[tuple[str, str]]:
    """(where, text) for every piece of English prose in a scenario."""
    found: list[tuple[str, str]] = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, str):
            found.append((where, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in ("url",):
                    continue
                if key == "ja":
                    continue
                walk(item, f"{where}.{key}")
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(scenario.model_dump(mode="python", exclude={"sources"}), scenario.id)
    return found


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_no_known_misconception_appears(scenario: Scenario) -> None:
    problems = []
    for where, text in _english_texts(scenario):
        for pattern, correction in MISCONCEPTIONS.items():
            if re.search(pattern, text, flags=re.IGNORECASE):
                problems.append(f"{where}: matches /{pattern}/ — {correction}")
    assert not problems, "\n".join(problems)


def _events_with_history(scenario: Scenario) -> list[Event]:
    return [event for event in scenario.events if event.history is not None]


@pytest.mark.parametrize("scenario", CAMPAIGN, ids=[s.id for s in CAMPAIGN])
def test_every_history_note_cites_sources_with_urls(scenario: Scenario) -> None:
    urls = {source.id: source.url for source in scenario.sources}
    missing = []
    for event in scenario.events:
        if event.history is None:
            missing.append(f"{event.id}: no history note")
            continue
        if not event.history.sources:
            missing.append(f"{event.id}: history note cites no source")
        missing.extend(f"{event.id}: source '{s}' has no URL" for s in event.history.sources if not urls.get(s))
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("scenario", CAMPAIGN, ids=[s.id for s in CAMPAIGN])
def test_the_historical_path_is_recorded(scenario: Scenario) -> None:
    historical = [e for e in _events_with_history(scenario) if not e.hypothetical]
    assert len(historical) >= 10 or len([e for e in historical if e.history and e.history.choice]) >= 8
    unrecorded = [e.id for e in historical if e.history is not None and e.history.choice is None and len(e.choices) > 1]
    # Events that really arose name the choice actually made; only off-path events may leave it out.
    assert len(unrecorded) <= len(historical) // 3, f"events without the choice actually made: {unrecorded}"


@pytest.mark.parametrize("scenario", CAMPAIGN, ids=[s.id for s in CAMPAIGN])
def test_each_campaign_scenario_has_the_required_shape(scenario: Scenario) -> None:
    playable = [r for r in scenario.roles.values() if r.playable]
    assert len(playable) >= 2, "at least two playable roles"
    briefed = all(r.briefing is not None and r.briefing.private is not None for r in playable)
    assert briefed, "public and private briefings"
    assert len([e for e in scenario.events if len(e.choices) >= 2]) >= 10, "at least 10 events with real choices"
    assert any(e.historical for e in scenario.endings), "an ending marked historical"
    assert any(e.at_end for e in scenario.endings), "an end-of-calendar ending so every game ends"
    assert scenario.treaties, "the treaties in force"


def test_hypothetical_events_say_so() -> None:
    unlabelled = [
        f"{s.id}.{e.id}"
        for s in SHIPPED
        for e in s.events
        if e.hypothetical and "hypothetical" not in english(e.text).lower()
    ]
    assert not unlabelled, f"hypothetical events whose text does not say so: {unlabelled}"
