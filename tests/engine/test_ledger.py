"""The causal ledger: every part of a change is named, and the parts add up to the change."""

from __future__ import annotations

import pytest
from engine_scenarios import fresh

from game.engine.compiled import CompiledScenario
from game.engine.ledger import CausalLedger
from game.engine.turn import TurnInput, resolve_turn

PLAYER = frozenset({"player"})


def ledgers(compiled: CompiledScenario, turns: int, inputs: dict[int, TurnInput], human: frozenset[str]
            ) -> list[CausalLedger]:
    state = fresh(compiled, seed=4)
    result = []
    for t in range(turns):
        report = resolve_turn(compiled, state, inputs.get(t, TurnInput(human_roles=human)), ledger=True)
        assert report.ledger is not None
        result.append(report.ledger)
    return result


def test_parts_sum_to_the_change_for_every_variable(mechanics: CompiledScenario) -> None:
    for ledger in ledgers(mechanics, mechanics.turns, {1: TurnInput(lever_settings={"defense": 4})}, frozenset()):
        for variable in mechanics.variable_ids:
            parts = sum(amount for _, amount in ledger.changes(variable))
            assert parts == pytest.approx(ledger.total(variable), abs=1e-9), variable
            assert ledger.total(variable) == pytest.approx(ledger.after(variable) - ledger.before(variable))


def test_sources_are_named(timing: CompiledScenario) -> None:
    kick = TurnInput(choices={"pulse": "kick"}, human_roles=PLAYER)
    turns = ledgers(timing, 6, {3: kick, 1: TurnInput(lever_settings={"dial": 40}, human_roles=PLAYER)}, PLAYER)
    assert turns[0].changes("source") == [("influence: growth", 10.0)]
    assert turns[0].changes("lagged") == []
    assert turns[0].changes("drifter") == [("drift", -50.0)]
    assert turns[0].changes("clamped") == [("influence: one → clamped", 5.0), ("clamp", -4.0)]
    assert turns[1].changes("lever.dial") == [("lever: dial", 10.0)]
    assert turns[0].changes("double") == [("derived", 20.0)]
    assert turns[3].changes("sink") == [
        ("effect: event 'pulse'", 1.0),
        ("effect: choice 'ring' of event 'echo'", 100.0),
    ]
    assert turns[5].changes("sink") == [("effect: choice 'kick' of event 'pulse'", 4.0)]


def test_obligation_effects_are_named(timing: CompiledScenario) -> None:
    turns = ledgers(timing, 7, {6: TurnInput(choices={"obligation:pact.art1": "honour"}, human_roles=PLAYER)}, PLAYER)
    assert turns[6].changes("credibility") == [("effect: obligation 'pact.art1' honoured", 10.0)]


def test_entries_carry_their_kind(timing: CompiledScenario) -> None:
    ledger = ledgers(timing, 1, {}, PLAYER)[0]
    assert [(e.kind, e.amount) for e in ledger.entries("clamped")] == [("influence", 5.0), ("clamp", -4.0)]
    assert "source" in set(ledger.changed())


def test_noise_is_itemised(mechanics: CompiledScenario) -> None:
    ledger = ledgers(mechanics, 1, {}, frozenset())[0]
    assert any(label == "noise" for label, _ in ledger.changes("tension"))


def test_unknown_variable(timing: CompiledScenario) -> None:
    ledger = ledgers(timing, 1, {}, PLAYER)[0]
    with pytest.raises(KeyError, match="unknown variable 'nope'"):
        ledger.changes("nope")


def test_no_ledger_for_batches(timing: CompiledScenario) -> None:
    report = resolve_turn(timing, fresh(timing, batch=3), TurnInput(), ledger=True)
    assert report.ledger is None


def test_a_world_selected_from_a_batch_still_has_a_ledger_that_sums(timing: CompiledScenario) -> None:
    # The batch does not itemise scheduled effects; the ledger names what it cannot attribute.
    batch = fresh(timing, batch=2)
    for _ in range(3):
        resolve_turn(timing, batch, TurnInput(human_roles=PLAYER))
    resolve_turn(timing, batch, TurnInput(choices={"pulse": "kick"}, human_roles=PLAYER))
    one = batch.select([1])
    report = resolve_turn(timing, one, TurnInput(human_roles=PLAYER), ledger=True)
    assert report.ledger is not None
    assert report.ledger.changes("sink") == [("effect: scheduled earlier", 8.0)]
