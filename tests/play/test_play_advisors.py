"""Advisors: they recommend, explain with numbers and ranges, and disagree when their priorities differ."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.play.advisors import advise_session, horizon_text
from game.play.commands import CommandRejected
from game.play.numbers import format_amount
from game.play.session import Session
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario

ROLE = "alpha_pm"


def at_crisis(scenario: Scenario, seed: int = 5) -> Session:
    session = Session.start(scenario, ROLE, seed)
    session.end_turn()
    session.end_turn()
    return session


def test_advisors_with_opposite_priorities_disagree(two_desks: Scenario) -> None:
    board = advise_session(at_crisis(two_desks), ROLE, "crisis", worlds=200, turns=4)
    by_advisor = {advice.advisor_id: advice for advice in board.advice}
    assert by_advisor["hawk"].choice_id == "stand_firm"
    assert by_advisor["dove"].choice_id == "back_down"
    assert by_advisor["hawk"].advisor_name == "Defense Minister"
    hawk_scores = by_advisor["hawk"].scores
    assert hawk_scores["stand_firm"] > hawk_scores["back_down"]


def test_explanation_names_the_choice_variable_horizon_and_ranges(two_desks: Scenario) -> None:
    board = advise_session(at_crisis(two_desks), ROLE, "crisis", worlds=200, turns=4)
    hawk = next(a for a in board.advice if a.advisor_id == "hawk")
    text = hawk.explanation
    assert text.startswith("Choose 'Stand firm': Alliance credibility ends about ")
    assert "points higher within a year than with 'Back down' (80% range " in text
    match = re.search(r"about (\d+) points higher", text)
    assert match is not None and int(match.group(1)) > 5
    assert re.search(r"80% range \d+–\d+ against \d+–\d+", text)
    dove = next(a for a in board.advice if a.advisor_id == "dove")
    assert dove.explanation.startswith("Choose 'Back down': judging by the bad case, Regional tension ends about ")
    assert "lower within a year" in dove.explanation


def test_explanation_mentions_the_ending_that_differs_most(two_desks: Scenario) -> None:
    # Over the rest of the calendar the crisis decides between the two at_end endings.
    board = advise_session(at_crisis(two_desks), ROLE, "crisis", worlds=200, turns=8)
    hawk = next(a for a in board.advice if a.advisor_id == "hawk")
    assert re.search(r"Chance of '(A steady alliance|Drift)': \d+% with 'Stand firm', \d+% with 'Back down'\.",
                     hawk.explanation)


def test_advice_for_an_obligation_decision(
    edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    def engage_now_and_let_the_dove_watch_credibility(data: dict[str, Any]) -> None:
        data["treaties"][0]["articles"][0]["obligation"]["trigger"] = "turn >= 1"
        data["roles"][ROLE]["advisors"][1]["priorities"] = {"credibility": -1}

    scenario = load_scenario(edited_two_desks(engage_now_and_let_the_dove_watch_credibility)).scenario
    assert scenario is not None
    board = advise_session(at_crisis(scenario), ROLE, "obligation:pact.art1", worlds=100, turns=2)
    choices = {a.advisor_id: a.choice_id for a in board.advice}
    assert choices == {"hawk": "honour", "dove": "evade"}
    hawk = next(a for a in board.advice if a.advisor_id == "hawk")
    assert hawk.explanation.startswith("Choose 'Consult': Alliance credibility ends about ")
    assert "within 2 quarters than with 'Stay silent'" in hawk.explanation


def test_advice_only_for_pending_decisions(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, 1)
    with pytest.raises(CommandRejected, match="not awaiting a decision"):
        advise_session(session, ROLE, "crisis")


def test_same_game_gives_the_same_advice(two_desks: Scenario) -> None:
    first = advise_session(at_crisis(two_desks, 8), ROLE, "crisis", worlds=100, turns=3)
    second = advise_session(at_crisis(two_desks, 8), ROLE, "crisis", worlds=100, turns=3)
    assert [a.explanation for a in first.advice] == [a.explanation for a in second.advice]


def test_risk_attitude_judges_by_the_bad_case(
    two_desks: Scenario, edited_two_desks: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    def cautious_and_bold(data: dict[str, Any]) -> None:
        advisors = data["roles"][ROLE]["advisors"]
        advisors[0]["risk"] = -1
        advisors[1]["priorities"] = {"credibility": 1}
        advisors[1]["risk"] = 1

    scenario = load_scenario(edited_two_desks(cautious_and_bold)).scenario
    assert scenario is not None
    board = advise_session(at_crisis(scenario), ROLE, "crisis", worlds=200, turns=4)
    cautious, bold = board.advice
    # Same priority (credibility up): the cautious one reads the 10th percentile, the bold one the 90th.
    spread = board.forecast.choice("stand_firm")
    index = at_crisis(scenario).compiled.variable_index["credibility"]
    assert spread.p90[index] > spread.p10[index]
    assert bold.scores["stand_firm"] > cautious.scores["stand_firm"]
    assert bold.scores["back_down"] > cautious.scores["back_down"]


def test_wording_helpers() -> None:
    assert horizon_text(4, 3) == "within a year"
    assert horizon_text(8, 3) == "within 2 years"
    assert horizon_text(3, 3) == "within 3 quarters"
    assert horizon_text(1, 1) == "within a month"
    assert format_amount(12.2, None) == "12 points"
    assert format_amount(12.2, "%") == "12 points"
    assert format_amount(0.34, "% of GDP") == "0.34 % of GDP"
    assert format_amount(1.0, None) == "1 point"
