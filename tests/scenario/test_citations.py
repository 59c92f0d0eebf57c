"""Text blocks cite sources, obligations carry history, endings are labelled: each row changes the minimal
scenario and names the diagnostic (with its did-you-mean) or the value it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.loader import load_scenario_text
from game.scenario.models import english

MINIMAL = (Path(__file__).resolve().parent.parent / "fixtures" / "minimal_scenario.yaml").read_text()

OBLIGATION = """treaties:
  - id: pact
    name: The pact
    parties: [japan, us]
    articles:
      - id: art5
        title: Article V
        summary: Each acts to meet a common danger.
        sources: [poll_1960]
        obligation:
          holder: us_president
          beneficiary: japan
          scope: An armed attack on Japan.
          trigger: "tension > 95"
          honour: {label: Honour}
          evade: {label: Evade}
          history:
            text: Never engaged.
            sources: [{cited}]
events:
"""

ROWS = [
    # (id, old text, new text, path of the diagnostic, message, hint)
    ("event text", "    text: The treaty comes to a vote.\n",
     "    text: The treaty comes to a vote.\n    sources: [pol_1960]\n", "events[0].sources[0]",
     "unknown source 'pol_1960'", "did you mean 'poll_1960'?"),
    ("choice text", "        label: Force the vote\n", "        label: Force the vote\n        sources: [poll1960]\n",
     "events[0].choices[0].sources[0]", "unknown source 'poll1960'", "did you mean 'poll_1960'?"),
    ("ending", "text: Time is up., at_end: true}", "text: Time is up., at_end: true, sources: [poll_1966]}",
     "endings[0].sources[0]", "unknown source 'poll_1966'", "did you mean 'poll_1960'?"),
    ("objective", 'when: "approval > 40"}', 'when: "approval > 40", sources: [polls]}',
     "roles.japan_pm.objectives[0].sources[0]", "unknown source 'polls'", "known: poll_1960"),
    ("lever", "range: [0, 3], initial: 1}", "range: [0, 3], initial: 1, sources: [poll_196]}",
     "roles.japan_pm.levers.defense_budget.sources[0]", "unknown source 'poll_196'", "did you mean 'poll_1960'?"),
    ("summary", "summary: Two actors, one issue, one event.\n",
     "summary: Two actors, one issue, one event.\nsummary_sources: [poll_1950]\n", "summary_sources[0]",
     "unknown source 'poll_1950'", "did you mean 'poll_1960'?"),
    ("briefing", "    title: Prime Minister of Japan\n",
     "    title: Prime Minister of Japan\n    briefing: {public: You lead., sources: [poll_1690]}\n",
     "roles.japan_pm.briefing.sources[0]", "unknown source 'poll_1690'", "did you mean 'poll_1960'?"),
    ("obligation history", "events:\n", OBLIGATION.replace("{cited}", "poll_1906"),
     "treaties[0].articles[0].obligation.history.sources[0]", "unknown source 'poll_1906'",
     "did you mean 'poll_1960'?"),
]


@pytest.mark.parametrize(("old", "new", "path", "message", "hint"), [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_a_misspelt_citation_is_reported_where_it_is_written(
    old: str, new: str, path: str, message: str, hint: str | None
) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    result = load_scenario_text(text, file="t.yaml")
    [problem] = [d for d in result.diagnostics if d.severity == "error"]
    assert (problem.path, problem.message, problem.hint) == (path, message, hint)
    # The position is the cited id itself, so an editor jumps to the typo.
    line = text.splitlines()[problem.line - 1]
    assert line[problem.col - 1:].startswith(message.split("'")[1])
    assert not result.ok


def test_citations_count_as_uses_of_a_source() -> None:
    # The group's `source:` was the only citation; an event's `sources:` now keeps the source in use.
    text = MINIMAL.replace("      source: poll_1960\n", "").replace(
        "    text: The treaty comes to a vote.\n", "    text: The treaty comes to a vote.\n    sources: [poll_1960]\n"
    )
    result = load_scenario_text(text, file="t.yaml")
    assert result.ok and not result.diagnostics, [d.format() for d in result.diagnostics]


def test_obligation_history_and_calibration_are_read() -> None:
    text = MINIMAL.replace("events:\n", OBLIGATION.replace("{cited}", "poll_1960"), 1).replace(
        "          history:\n", "          history:\n            response: evade\n"
    ).replace("text: Time is up., at_end: true}", "text: 3% of runs., at_end: true, calibration: true}")
    result = load_scenario_text(text, file="t.yaml")
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.scenario is not None
    obligation = result.scenario.treaties[0].articles[0].obligation
    assert obligation is not None and obligation.history is not None
    assert (english(obligation.history.text), obligation.history.response) == ("Never engaged.", "evade")
    assert obligation.history.sources == ["poll_1960"]
    assert result.scenario.endings[0].calibration and not result.scenario.events[0].calibration


def test_an_obligation_history_answer_is_honour_or_evade() -> None:
    text = MINIMAL.replace("events:\n", OBLIGATION.replace("{cited}", "poll_1960"), 1).replace(
        "          history:\n", "          history:\n            response: honoured\n"
    )
    result = load_scenario_text(text, file="t.yaml")
    assert not result.ok
    [problem] = result.diagnostics
    assert problem.path == "treaties[0].articles[0].obligation.history.response"


def test_an_ending_is_not_both_historical_and_hypothetical() -> None:
    text = MINIMAL.replace("at_end: true}", "at_end: true, historical: true, hypothetical: true}")
    result = load_scenario_text(text, file="t.yaml")
    assert not result.ok
    [problem] = result.diagnostics
    assert problem.path == "endings[0]" and "both" in problem.message
