"""Cross-reference checks: each row changes the minimal scenario and names the diagnostic it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.loader import load_scenario_text

MINIMAL = (Path(__file__).resolve().parent.parent / "fixtures" / "minimal_scenario.yaml").read_text()

ROWS = [
    # (id, old text, new text, severity, path, message start, hint or None)
    ("role actor", "    actor: us\n", "    actor: usa\n", "error", "roles.us_president.actor",
     "unknown actor 'usa'", "did you mean 'us'?"),
    ("group actor", "      actor: japan\n", "      actor: japn\n", "error", "opinion.groups.voters.actor",
     "unknown actor 'japn'", "did you mean 'japan'?"),
    ("relation actor", "between: [japan, us]", "between: [japan, uk]", "error", "relations[0].between[1]",
     "unknown actor 'uk'", None),
    ("opinion issue", "initial: {alliance: 45}", "initial: {aliance: 45}", "error",
     "opinion.groups.voters.initial.aliance", "unknown issue 'aliance'", "did you mean 'alliance'?"),
    ("source", "      source: poll_1960", "      source: poll_1961", "error", "opinion.groups.voters.source",
     "unknown source 'poll_1961'", "did you mean 'poll_1960'?"),
    ("effect target", "target: opinion.voters.alliance", "target: opinion.voter.alliance", "error",
     "events[0].choices[0].effects[0].target", "unknown variable 'opinion.voter.alliance'",
     "did you mean 'opinion.voters.alliance'?"),
    ("influence from", "{from: tension,", "{from: tensions,", "error", "influences[0].from",
     "unknown variable 'tensions'", "did you mean 'tension'?"),
    ("place shows", "shows: tension}", "shows: tensio}", "error", "map.places[0].shows",
     "unknown variable 'tensio'", "did you mean 'tension'?"),
    ("place actor", "actor: japan, shows", "actor: japon, shows", "error", "map.places[0].actor",
     "unknown actor 'japon'", "did you mean 'japan'?"),
    ("lever initial", "range: [0, 3], initial: 1}", "range: [0, 3], initial: 4}", "error",
     "roles.japan_pm.levers.defense_budget.initial", "initial setting 4 is outside the range [0, 3]", None),
    ("no playable role", "    title: Prime Minister of Japan\n",
     "    title: Prime Minister of Japan\n    playable: false\n", "error", "roles", "no role is playable", None),
    ("no at_end ending", "at_end: true}", "when: \"turn > 3\"}", "warning", "endings",
     "no ending has `at_end: true`", None),
    ("unused source", "      source: poll_1960\n", "", "info", "sources[0].id",
     "source 'poll_1960' is never cited", None),
    ("event date outside calendar", "    when: \"turn >= 2 and tension < 80\"\n", "    date: \"1961-05\"\n", "warning",
     "events[0].date", "1961-05 is outside the calendar (1960-01 to 1960-12)", None),
    ("event that never fires", "    when: \"turn >= 2 and tension < 80\"\n", "", "warning", "events[0].id",
     "event 'vote' can never fire", None),
    ("duplicate choice id", "      - id: wait\n", "      - id: force\n", "error", "events[0].choices[1].id",
     "duplicate choice id 'force'", None),
    ("objective expression", 'when: "approval > 40"', 'when: "aproval > 40"', "error",
     "roles.japan_pm.objectives[0].when", "col 1: unknown variable 'aproval'", "did you mean 'approval'?"),
    ("condition expected", 'when: "approval > 40"', 'when: "approval + 40"', "error",
     "roles.japan_pm.objectives[0].when", "col 1: ", None),
    ("influence on a lever", "to: opinion.voters.alliance, weight", "to: lever.defense_budget, weight", "error",
     "influences[0].to", "an influence cannot move the lever variable 'lever.defense_budget'", None),
    ("generated variable name", "  tension:\n    label: Regional", "  lever.tension:\n    label: Regional", "error",
     "variables.lever.tension", "'lever.tension' is a generated or built-in name", None),
]


@pytest.mark.parametrize(("old", "new", "severity", "path", "message", "hint"), [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_reference_rows(old: str, new: str, severity: str, path: str, message: str, hint: str | None) -> None:
    assert old in MINIMAL
    result = load_scenario_text(MINIMAL.replace(old, new, 1), file="t.yaml")
    matching = [d for d in result.diagnostics if d.path == path and d.message.startswith(message)]
    assert matching, [d.format() for d in result.diagnostics]
    assert matching[0].severity == severity
    if hint is not None:
        assert matching[0].hint == hint
    assert result.ok == (severity != "error")


def test_expression_column_points_into_the_file() -> None:
    text = MINIMAL.replace('when: "turn >= 2 and tension < 80"', 'when: "turn >= 2 and opinion.voters.aliance < 8"')
    [problem] = load_scenario_text(text, file="t.yaml").diagnostics
    line = text.splitlines()[problem.line - 1]
    assert line[problem.col - 1:].startswith("opinion.voters.aliance")
    assert problem.format() == (
        f"t.yaml:53:{problem.col}: error: events[0].when: col 15: unknown variable 'opinion.voters.aliance' "
        "(did you mean 'opinion.voters.alliance'?)"
    )


def test_derived_cycle_through_two_variables() -> None:
    text = MINIMAL.replace('derived: "opinion.voters.alliance"', 'derived: "tension + 1"').replace(
        "    drift: 0.1\n", '    drift: 0.1\n    derived: "approval - 1"\n'
    )
    cycles = [d for d in load_scenario_text(text, file="t.yaml").diagnostics if "cycle" in d.message]
    assert len(cycles) == 1 and "approval -> tension -> approval" in cycles[0].message


def test_localised_text_without_english_anywhere() -> None:
    text = MINIMAL.replace("label: Wait", "label: {ja: 待つ}")
    [problem] = load_scenario_text(text, file="t.yaml").diagnostics
    assert (problem.path, problem.line) == ("events[0].choices[1].label", 59)
