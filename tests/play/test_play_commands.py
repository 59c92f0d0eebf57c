"""Commands: JSON round trips, malformed commands, and rule violations rejected with clear messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from game.play.commands import (
    Choose,
    Command,
    CommandFormatError,
    CommandRejected,
    EndTurn,
    SetLever,
    command_from_json,
)
from game.play.session import Session
from game.scenario.models import Scenario

ROLE = "alpha_pm"


@pytest.mark.parametrize(
    "command",
    [
        SetLever(ROLE, "defense_budget", 1.5, 0),
        Choose(ROLE, "crisis", "stand_firm", 2),
        Choose(ROLE, "obligation:pact.art1", "honour", 3),
        EndTurn(ROLE, 4),
        EndTurn(ROLE),
    ],
    ids=["set_lever", "choose", "choose_obligation", "end_turn", "end_turn_unstamped"],
)
def test_command_survives_a_json_round_trip(command: Command) -> None:
    text = json.dumps(command.to_json())
    assert command_from_json(json.loads(text)) == command
    assert type(command).from_json(json.loads(text)) == command


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "expected an object"),
        ({"kind": "fly"}, "unknown command kind 'fly'"),
        ({"kind": "end_turn"}, "has no 'role'"),
        ({"kind": "end_turn", "role": ""}, "expected a non-empty text"),
        ({"kind": "end_turn", "role": "a", "turn": -1}, "expected a turn number"),
        ({"kind": "end_turn", "role": "a", "turn": True}, "expected a turn number"),
        ({"kind": "end_turn", "role": "a", "colour": "red"}, "unexpected field(s) colour"),
        ({"kind": "set_lever", "role": "a", "lever": "b", "value": "high"}, "expected a finite number"),
        ({"kind": "set_lever", "role": "a", "lever": "b", "value": float("nan")}, "expected a finite number"),
        ({"kind": "choose", "role": "a", "event": "e"}, "has no 'choice'"),
    ],
    ids=["not_object", "unknown_kind", "missing_role", "empty_role", "negative_turn", "bool_turn",
         "extra_field", "text_value", "nan_value", "missing_choice"],
)
def test_malformed_command_names_the_problem(data: Any, message: str) -> None:
    with pytest.raises(CommandFormatError, match="commands\\[3\\]") as caught:
        command_from_json(data, where="commands[3]")
    assert message in str(caught.value)


def test_from_json_of_the_wrong_class_is_refused() -> None:
    with pytest.raises(CommandFormatError, match="expected a SetLever command"):
        SetLever.from_json(EndTurn(ROLE, 0).to_json())


def _session_at_crisis(scenario: Scenario) -> Session:
    session = Session.start(scenario, ROLE, seed=5)
    session.end_turn()
    session.end_turn()
    assert [p.event_id for p in session.pending_decisions(ROLE)] == ["crisis"]
    return session


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (SetLever("beta_leader", "defense_budget", 1.0), "played by the computer"),
        (SetLever("nobody", "defense_budget", 1.0), "no role 'nobody'"),
        (SetLever(ROLE, "defense_budget", 9.0), "Defense budget must be between 0.5 and 3 % of GDP; 9 is outside"),
        (SetLever(ROLE, "defense_budget", float("inf")), "must be between"),
        (SetLever(ROLE, "lever.defense_budget", 1.0), "without 'lever.'"),
        (SetLever(ROLE, "tax_rate", 1.0), "There is no lever 'tax_rate'"),
        (Choose(ROLE, "probe", "escalate"), "decided by Leader of Beta, not by Prime Minister of Alpha"),
        (Choose(ROLE, "budget_review", "keep"), "'Budget review' is not awaiting a decision now"),
        (Choose(ROLE, "crisis", "surrender"), "no option 'surrender' (the options are 'stand_firm', 'back_down')"),
        (Choose(ROLE, "earthquake", "x"), "no decision 'earthquake'"),
        (Choose(ROLE, "obligation:pact.art1", "honour"), "not awaiting a decision now"),
        (EndTurn(ROLE), "Decide 'A crisis at sea' before ending the turn"),
        (EndTurn(ROLE, 0), "given for turn 1, but the game is at turn 3"),
    ],
    ids=["ai_role", "unknown_role", "out_of_range", "infinite", "prefixed_lever", "unknown_lever",
         "other_roles_event", "not_pending", "unknown_choice", "unknown_event", "obligation_not_engaged",
         "undecided", "wrong_turn"],
)
def test_rule_violation_is_rejected_with_a_message(two_desks: Scenario, command: Command, message: str) -> None:
    session = _session_at_crisis(two_desks)
    before = list(session.commands)
    with pytest.raises(CommandRejected) as caught:
        session.apply(command)
    assert message in caught.value.message
    assert session.commands == before  # a rejected command leaves no trace


def test_lever_owned_by_another_role_is_rejected(two_desks: Scenario) -> None:
    session = Session(two_desks, None, seed=1, human_roles={"alpha_pm", "beta_leader"})  # both seats taken
    message = "Defense budget is set by Prime Minister of Alpha, not by Leader of Beta"
    with pytest.raises(CommandRejected, match=message):
        session.apply(SetLever("beta_leader", "defense_budget", 1.0))


def test_unavailable_choice_is_rejected(two_desks: Scenario) -> None:
    session = Session.start(two_desks, ROLE, seed=2)
    while "budget_review" not in [p.event_id for p in session.pending_decisions(ROLE)]:
        for pending in session.pending_decisions(ROLE):
            session.apply(Choose(ROLE, pending.event_id, pending.available[0]))
        session.end_turn()
    # 'cut' needs budget strain above 10; force it down in this one world to close the option.
    session.state.values[0, session.compiled.variable_index["budget_strain"]] = 5.0
    pending = {p.event_id: p for p in session.pending_decisions(ROLE)}["budget_review"]
    assert pending.available == ("keep",)
    with pytest.raises(CommandRejected, match="'Cut the budget' is not open to you in 'Budget review' now"):
        session.apply(Choose(ROLE, "budget_review", "cut"))


def test_commands_after_the_end_are_rejected(two_desks: Scenario) -> None:
    session = Session.start(two_desks, None, seed=3)
    while not session.is_over:
        session.end_turn()
    with pytest.raises(CommandRejected, match="The game is over"):
        session.apply(EndTurn(ROLE))
    with pytest.raises(CommandRejected, match="The game is over"):
        session.end_turn()


def test_negative_seed_is_refused(two_desks: Scenario) -> None:
    with pytest.raises(CommandRejected, match="The seed must be a whole number of 0 or more, not -1"):
        Session.start(two_desks, ROLE, seed=-1)


def test_ai_only_role_cannot_be_started(two_desks: Scenario) -> None:
    with pytest.raises(CommandRejected, match="not playable"):
        Session.start(two_desks, "beta_leader", seed=1)
