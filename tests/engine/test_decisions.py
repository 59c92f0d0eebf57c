"""Events, follow-ups, obligations and the AI policies (tests/fixtures/engine/timing.yaml and mechanics.yaml)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from engine_scenarios import ENGINE_FIXTURES, fresh

from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.compiled_expression import compile_expression
from game.engine.turn import TurnInput, policy_choices, resolve_turn
from game.engine.world import WorldState
from game.scenario.expressions import ExpressionProblem, parse_expression
from game.scenario.models import Scenario

PLAYER = frozenset({"player"})
OBLIGATION = "obligation:pact.art1"


def counts(compiled: CompiledScenario, state: WorldState) -> np.ndarray:
    """[B, 3]: how often the machine took choices a, b and c of `tick`."""
    columns = [compiled.variable_index[v] for v in ("count_a", "count_b", "count_c")]
    return np.asarray(state.values[:, columns])


def play(compiled: CompiledScenario, batch: int, turns: int, inputs: TurnInput, seed: int = 0) -> WorldState:
    state = fresh(compiled, batch, seed)
    for _ in range(turns):
        resolve_turn(compiled, state, inputs)
    return state


# --- events ---------------------------------------------------------------------------------------


def test_event_on_a_date_fires_once_and_becomes_pending(timing: CompiledScenario) -> None:
    state = fresh(timing)
    fired = []
    for _ in range(6):
        report = resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
        fired.append([e for e in report.fired[0] if e != "tick"])
    assert fired == [[], [], ["pulse"], [], [], []]
    assert state.fired_count[0, timing.event_index["pulse"]] == 1


def test_follow_up_fires_and_its_ai_owner_decides_in_the_same_turn(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for _ in range(3):
        resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
    report = resolve_turn(timing, state, TurnInput(choices={"pulse": "kick"}, human_roles=PLAYER))
    assert "echo" in report.fired[0]
    assert ("echo", "ring", "machine") in report.decided[0]
    assert state.last_choice[0, timing.event_index["pulse"]] == 0


def test_follow_up_of_a_human_role_waits_for_the_next_turn(timing: CompiledScenario) -> None:
    both = frozenset({"player", "machine"})
    state = fresh(timing)
    for _ in range(3):
        resolve_turn(timing, state, TurnInput(human_roles=both, choices={"tick": "a"}))
    report = resolve_turn(timing, state, TurnInput(choices={"pulse": "kick", "tick": "a"}, human_roles=both))
    assert "echo" in report.pending[0]
    assert not any(d[0] == "echo" for d in report.decided[0])


def test_event_conditions_chance_cooldown(mechanics: CompiledScenario) -> None:
    # `crisis`: when tension > 45, chance clip(0.02 * (tension - 40), 0, 0.9), cooldown 1, not once.
    state = fresh(mechanics, batch=300, seed=3)
    crisis = mechanics.event_index["crisis"]
    tension = mechanics.variable_index["tension"]
    for _ in range(mechanics.turns):
        last = state.last_fired[:, crisis].copy()
        active = state.active(mechanics)
        report = resolve_turn(mechanics, state, TurnInput(policy="random"))
        fired = np.array(["crisis" in f for f in report.fired])
        # Phase 6 reads the values the turn ends with.
        assert np.all(state.values[fired, tension] > 45)
        assert not np.any(fired & (last >= 0) & (state.turn - 1 - last <= 1))
        assert not np.any(fired & ~active)
    assert state.fired_count[:, crisis].max() >= 2  # it does fire, repeatedly


def test_when_condition_is_required(timing: CompiledScenario) -> None:
    # `echo` has neither `when` nor `date`: it only ever fires as a follow-up.
    state = play(timing, 1, 10, TurnInput(human_roles=PLAYER))
    assert state.fired_count[0, timing.event_index["echo"]] == 0


# --- AI policies ----------------------------------------------------------------------------------


def test_argmax_takes_the_heaviest_available_choice(timing: CompiledScenario) -> None:
    state = play(timing, 50, 6, TurnInput(human_roles=PLAYER, policy="argmax"))
    # `tick` fires in phase 6 and is decided in phase 2 of the next turn: 5 decisions in 6 turns.
    assert np.all(counts(timing, state) == [0, 5, 0])  # c weighs 100 but is never available


def test_first_takes_the_first_available_choice(timing: CompiledScenario) -> None:
    state = play(timing, 50, 6, TurnInput(human_roles=PLAYER, policy="first"))
    assert np.all(counts(timing, state) == [5, 0, 0])


def test_softmax_follows_the_weights(timing: CompiledScenario) -> None:
    state = play(timing, 2000, 6, TurnInput(human_roles=PLAYER, policy="softmax"))
    share = counts(timing, state).sum(axis=0) / (2000 * 5)
    assert share[2] == 0
    assert share[1] == pytest.approx(0.75, abs=0.02)  # weights 1 : 3


def test_random_is_uniform_over_available_choices(timing: CompiledScenario) -> None:
    state = play(timing, 2000, 6, TurnInput(human_roles=PLAYER, policy="random"))
    share = counts(timing, state).sum(axis=0) / (2000 * 5)
    assert share[2] == 0
    assert share[0] == pytest.approx(0.5, abs=0.02)


def test_role_policy_is_the_roles_own(timing: CompiledScenario) -> None:
    # `machine` plays softmax with T = 1 in timing.yaml: the same draws as asking for softmax.
    by_role = play(timing, 500, 6, TurnInput(human_roles=PLAYER), seed=9)
    by_name = play(timing, 500, 6, TurnInput(human_roles=PLAYER, policy="softmax"), seed=9)
    assert np.array_equal(counts(timing, by_role), counts(timing, by_name))


def test_softmax_temperature_sharpens_the_weights() -> None:
    # T = 0.5: probabilities ∝ weight², so 1 : 3 becomes 1 : 9.
    data = yaml.safe_load((ENGINE_FIXTURES / "timing.yaml").read_text(encoding="utf-8"))
    data["roles"]["machine"]["ai"] = {"policy": "softmax", "temperature": 0.5}
    compiled = compile_scenario(Scenario.model_validate(data))
    state = play(compiled, 2000, 6, TurnInput(human_roles=PLAYER))
    share = counts(compiled, state).sum(axis=0) / (2000 * 5)
    assert share[1] == pytest.approx(0.9, abs=0.02)


def test_human_choice_overrides_availability_only_when_available(timing: CompiledScenario) -> None:
    # Asking for an unavailable choice falls back to the default (or first available) choice.
    both = frozenset({"player", "machine"})
    state = play(timing, 1, 3, TurnInput(human_roles=both, choices={"tick": "c"}))
    assert counts(timing, state).tolist() == [[2, 0, 0]]


# --- obligations ----------------------------------------------------------------------------------


def test_obligation_engages_with_cooldown_and_is_honoured(timing: CompiledScenario) -> None:
    state = fresh(timing)
    events: list[tuple[int, str, str]] = []
    for t in range(12):
        choices = {OBLIGATION: "honour"} if t == 6 else {}
        report = resolve_turn(timing, state, TurnInput(human_roles=PLAYER, choices=choices))
        events += [(t, o, what) for o, what in report.obligations[0]]
        if t == 5:
            assert OBLIGATION in report.pending[0]
    # Triggers on turns 5, 6 and 9; cooldown 2 blocks turn 6. Turn 9's call times out → evaded.
    assert events == [(5, "pact.art1", "engaged"), (6, "pact.art1", "honoured"), (9, "pact.art1", "engaged"),
                      (10, "pact.art1", "evaded")]
    assert state.obligation_state[0, 0].tolist() == [2, 1, 1]
    credibility = state.values[0, timing.variable_index["credibility"]]
    assert credibility == 10 - 20


def test_obligation_of_an_ai_holder_is_decided_by_its_policy(timing: CompiledScenario) -> None:
    state = play(timing, 400, 8, TurnInput(policy="random"))
    honoured = state.obligation_state[:, 0, 1]
    evaded = state.obligation_state[:, 0, 2]
    assert np.all(state.obligation_state[:, 0, 0] == 1)
    assert np.all(honoured + evaded == 1)
    assert 0.4 < honoured.mean() < 0.6


def test_obligation_ledger_is_readable_by_expressions(mechanics: CompiledScenario) -> None:
    state = fresh(mechanics)
    state.obligation_state[0, 0] = [1, 1, 0]
    expr = parse_expression("honoured(pact.art1) and not evaded(pact.art1)")
    assert not isinstance(expr, ExpressionProblem)
    evaluate = compile_expression(expr, mechanics.expression_index)
    assert evaluate(state.context(mechanics)).tolist() == [1.0]


def test_policy_choices_refuses_an_unknown_policy(mechanics: CompiledScenario) -> None:
    with pytest.raises(ValueError, match="unknown policy 'advisor'"):
        policy_choices(mechanics, fresh(mechanics), frozenset({"leader"}), "advisor")
