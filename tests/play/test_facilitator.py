"""The facilitator's commands — Timeout, Inject, Adjust — and rewind: their rules, the news and the causal
ledger, determinism, and exact replay (from the command log, from a save, from a classroom save)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from game.play.commands import (
    CONTROL,
    Adjust,
    Choose,
    Command,
    CommandRejected,
    EndTurn,
    Inject,
    SetLever,
    Timeout,
    command_from_json,
)
from game.play.news import news_text
from game.play.room import Room, Seat
from game.play.room_saves import is_room_save, load_room_save, write_room_save
from game.play.saves import load_save, write_save
from game.play.session import Session
from game.play.why_changed import why_changed
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from tests.fake_time import FakeTime

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "play" / "classroom_desks.yaml"
ROLES = ("alpha_pm", "beta_leader")
SEATS = (Seat("alpha_pm", "Team A"), Seat("beta_leader", "Team B"))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    result = load_scenario(FIXTURE)
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    return result.scenario


def new_game(scenario: Scenario, seed: int = 11, roles: tuple[str, ...] = ROLES) -> Session:
    return Session.start(scenario, list(roles), seed, scenario_path=str(FIXTURE))


def end_turn(session: Session) -> None:
    for role in session.roles_still_to_end():
        for pending in session.pending_decisions(role):
            if pending.awaits_choice:
                session.apply(Choose(role, pending.event_id, pending.default_choice))
        session.apply(EndTurn(role))


def assert_same_game(replayed: Session, original: Session) -> None:
    assert replayed.commands == original.commands
    assert replayed.snapshot() == original.snapshot()
    assert np.array_equal(np.array(replayed.history), np.array(original.history))
    assert replayed.news == original.news
    assert replayed.obligation_ledger == original.obligation_ledger
    for mine, theirs in zip(replayed.ledgers, original.ledgers, strict=True):
        assert mine is not None and theirs is not None
        for variable in replayed.compiled.variable_ids:
            assert mine.changes(variable) == theirs.changes(variable)


def replay_from_json(session: Session) -> Session:
    log = json.loads(json.dumps([c.to_json() for c in session.commands]))
    commands = [command_from_json(item) for item in log]
    return Session.replay(session.scenario, session.seed, commands, session.human_roles)


# --- Inject ------------------------------------------------------------------------------------------------


def test_inject_refuses_events_the_scenario_does_not_list(scenario: Scenario) -> None:
    session = new_game(scenario)
    with pytest.raises(CommandRejected, match=r"'crisis' cannot be brought in.*leak, summit_offer"):
        session.apply(Inject("crisis"))
    with pytest.raises(CommandRejected, match="cannot be brought in"):
        session.apply(Inject("no_such_event"))
    assert session.commands == []


def test_inject_makes_the_event_its_owners_decision_this_turn(scenario: Scenario) -> None:
    session = new_game(scenario)
    before = session.value("credibility")
    session.apply(Inject("leak"))
    assert session.commands == [Inject("leak", 0)] and session.commands[0].role == CONTROL
    pending = [p.event_id for p in session.pending_decisions("alpha_pm") if p.awaits_choice]
    assert pending == ["leak"]
    with pytest.raises(CommandRejected, match="already awaiting"):
        session.apply(Inject("leak"))
    with pytest.raises(CommandRejected, match="Decide"):
        session.apply(EndTurn("alpha_pm"))
    session.apply(Choose("alpha_pm", "leak", "confirm"))
    session.apply(EndTurn("alpha_pm"))
    session.apply(EndTurn("beta_leader"))
    ledger = session.last_ledger
    assert ledger is not None
    assert ("effect: event 'leak'", -4.0) in ledger.changes("credibility")  # its effects land this turn
    assert session.value("credibility") != before
    kinds = [(n.kind, n.event_id, n.choice_id) for n in session.news]
    assert ("inject", "leak", None) in kinds and ("decision", "leak", "confirm") in kinds
    inject_news = next(n for n in session.news if n.kind == "inject")
    assert news_text(inject_news, scenario, "en") == "Control brings in: A cable leaks."


def test_inject_for_an_ai_role_is_decided_by_the_ai_this_turn(scenario: Scenario) -> None:
    session = new_game(scenario, roles=("alpha_pm",))
    session.apply(Inject("summit_offer"))
    session.apply(EndTurn("alpha_pm"))
    decided = [n.event_id for n in session.news if n.kind == "decision" and n.turn == 0]
    assert decided == ["summit_offer"]


def test_inject_is_refused_once_the_owner_has_ended_the_turn(scenario: Scenario) -> None:
    session = new_game(scenario)
    session.apply(EndTurn("alpha_pm"))
    with pytest.raises(CommandRejected, match="already ended this turn"):
        session.apply(Inject("leak"))


# --- Adjust -------------------------------------------------------------------------------------------------


def test_adjust_needs_a_reason_a_known_variable_and_a_value_in_range(scenario: Scenario) -> None:
    session = new_game(scenario)
    with pytest.raises(CommandRejected, match="needs a reason"):
        session.apply(Adjust("tension", 70.0, "  "))
    with pytest.raises(CommandRejected, match="no variable 'tensoin'"):
        session.apply(Adjust("tensoin", 70.0, "a storm"))
    with pytest.raises(CommandRejected, match="between 0 and 100"):
        session.apply(Adjust("tension", 170.0, "a storm"))
    with pytest.raises(CommandRejected, match="lever"):
        session.apply(Adjust("lever.defense_budget", 2.0, "a storm"))
    assert session.commands == []


def test_adjust_is_news_as_controls_and_credited_to_control_in_the_ledger(scenario: Scenario) -> None:
    session = new_game(scenario)
    start = session.value("tension")
    session.apply(Adjust("tension", 80.0, "a storm of protests"))
    assert session.value("tension") == 80.0  # now, before the turn resolves
    news = next(n for n in session.news if n.kind == "adjust")
    assert news.role == CONTROL
    assert news_text(news, scenario, "en") == "Control set Regional tension to 80: a storm of protests."
    end_turn(session)
    ledger = session.last_ledger
    assert ledger is not None
    changes = dict(ledger.changes("tension"))
    assert changes["control: a storm of protests"] == pytest.approx(80.0 - start)
    assert ledger.before("tension") == start  # the ledger explains the whole turn, adjustment included
    assert sum(changes.values()) == pytest.approx(ledger.total("tension"), abs=1e-9)
    why = why_changed(session, "tension", "en")
    assert "control: a storm of protests" in [part.source for part in why.parts]


def test_adjust_and_inject_leave_later_random_numbers_alone(scenario: Scenario) -> None:
    plain, touched = new_game(scenario, seed=5), new_game(scenario, seed=5)
    touched.apply(Adjust("budget_strain", 60.0, "a budget scandal"))
    touched.apply(Inject("summit_offer"))
    for _turn in range(4):
        end_turn(plain)
        end_turn(touched)
    for mine, theirs in zip(plain.ledgers, touched.ledgers, strict=True):
        assert mine is not None and theirs is not None
        for variable in plain.compiled.variable_ids:
            noise_plain = [e.amount for e in mine.entries(variable) if e.kind == "noise"]
            noise_touched = [e.amount for e in theirs.entries(variable) if e.kind == "noise"]
            assert noise_plain == noise_touched


# --- Timeout --------------------------------------------------------------------------------------------------


def test_timeout_evades_an_obligation_and_ends_the_roles_turn(scenario: Scenario) -> None:
    session = new_game(scenario, seed=2)
    session.apply(Adjust("tension", 90.0, "force the pact's trigger"))
    end_turn(session)  # tension > 65: the obligation engages for next turn
    assert any(p.event_id == "obligation:pact.art1" for p in session.pending_decisions("alpha_pm"))
    session.apply(Timeout("alpha_pm"))
    assert session.roles_still_to_end() == ["beta_leader"]
    with pytest.raises(CommandRejected, match="already ended"):
        session.apply(Timeout("alpha_pm"))
    session.apply(EndTurn("beta_leader"))
    assert [r.outcome for r in session.obligation_ledger] == ["engaged", "evaded"]


# --- replay ------------------------------------------------------------------------------------------------------


def game_with(scenario: Scenario, command: Command) -> Session:
    session = new_game(scenario, seed=21)
    end_turn(session)
    session.apply(SetLever("beta_leader", "patrols", 6.0))
    session.apply(command)
    for _turn in range(3):
        end_turn(session)
    return session


@pytest.mark.parametrize("command", [
    Timeout("alpha_pm"), Inject("leak"), Inject("summit_offer"), Adjust("credibility", 30.0, "a leaked memo"),
], ids=["timeout", "inject-human", "inject-ai-seat", "adjust"])
def test_every_facilitator_command_replays_exactly(scenario: Scenario, command: Command, tmp_path: Path) -> None:
    original = game_with(scenario, command)
    assert any(type(c) is type(command) for c in original.commands)
    assert_same_game(replay_from_json(original), original)
    loaded = load_save(write_save(original, tmp_path / "game.json"))
    assert loaded.warnings == [] and not loaded.scenario_changed
    assert_same_game(loaded.session, original)
    saved = json.loads((tmp_path / "game.json").read_text(encoding="utf-8"))
    assert saved["version"] == 2


def test_a_version_1_save_still_loads(scenario: Scenario, tmp_path: Path) -> None:
    session = new_game(scenario, seed=4)
    end_turn(session)
    path = write_save(session, tmp_path / "old.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_save(path)
    assert loaded.warnings == []
    assert loaded.session.snapshot() == session.snapshot()


# --- rewind and classroom saves -----------------------------------------------------------------------------------


def played_room(scenario: Scenario, fake: FakeTime) -> Room:
    room = Room(new_game(scenario, seed=9), SEATS, turn_limit=300.0, now=fake)
    for turn in range(3):
        fake.now += 40
        if turn == 1:
            room.adjust("tension", 75.0, "a collision at sea")
            room.inject("summit_offer")
            room.pause()
            fake.now += 5
            room.resume()
            room.extend(60)
        for role in room.session.roles_still_to_end():
            for pending in room.session.pending_decisions(role):
                if pending.awaits_choice:
                    room.apply(Choose(role, pending.event_id, pending.available[-1]))
            fake.now += 3
            room.ready(role)
    return room


def test_rewind_forks_from_a_turn_and_keeps_the_abandoned_branch(scenario: Scenario) -> None:
    fake = FakeTime(50.0)
    room = played_room(scenario, fake)
    abandoned = room.session
    with pytest.raises(CommandRejected, match="needs a reason"):
        room.rewind(1, "")
    with pytest.raises(CommandRejected):
        room.rewind(9, "too far")
    room.rewind(1, "try consulting instead")
    assert room.session.turn == 1 and room.session is not abandoned
    assert_same_game(room.session, abandoned.fork(1))
    assert len(room.command_times) == len(room.session.commands)
    (branch,) = room.branches
    assert branch.from_turn == 1 and branch.reason == "try consulting instead"
    assert branch.commands == tuple(abandoned.commands)
    assert_same_game(room.branch_session(branch), abandoned)
    assert room.log[-1].kind == "rewind"
    room.ready("alpha_pm")
    room.ready("beta_leader")  # the forked game goes on
    assert room.session.turn == 2


def test_a_classroom_save_replays_the_room_exactly(scenario: Scenario, tmp_path: Path) -> None:
    fake = FakeTime(50.0)
    room = played_room(scenario, fake)
    room.rewind(2, "replay the summit")
    room.record("reveal", "Private briefing shown", "beta_leader")
    path = write_room_save(room, tmp_path / "class.json")
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 2
    later = FakeTime(50.0)
    later.now = 9_000.0
    loaded = load_room_save(path, now=later)
    assert loaded.loaded.warnings == []
    again = loaded.room
    assert_same_game(again.session, room.session)
    assert again.seats == room.seats
    assert again.clock.limit_seconds == 300.0
    assert again.log == room.log and again.branches == room.branches
    assert again.command_times == room.command_times
    assert again.elapsed() == pytest.approx(room.elapsed())  # times go on from the save's
    assert [e.kind for e in again.log] == ["pause", "resume", "extend", "rewind", "reveal"]


def test_load_room_save_explains_what_is_wrong(scenario: Scenario, tmp_path: Path) -> None:
    from game.play.saves import SaveError

    plain = write_save(new_game(scenario), tmp_path / "plain.json")
    assert not is_room_save(plain) and not is_room_save(tmp_path / "missing.json")
    with pytest.raises(SaveError, match="not a classroom save"):
        load_room_save(plain)
    room = Room(new_game(scenario), SEATS, now=FakeTime(50.0))
    path = write_room_save(room, tmp_path / "class.json")
    assert is_room_save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["room"]["seats"] = [{"role": "alpha_pm", "team": "A"}]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match="room does not fit its game"):
        load_room_save(path)
    data["room"]["seats"] = "everyone"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match=r"room\.seats must be a list"):
        load_room_save(path)
    data["room"]["seats"] = [{"role": "alpha_pm", "team": "A"}, {"role": "beta_leader", "team": "B"}]
    data["room"]["branches"] = [{"from_turn": 0, "reason": "x", "at": 1, "commands": [{"kind": "warp"}]}]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match="unknown command kind 'warp'"):
        load_room_save(path)
