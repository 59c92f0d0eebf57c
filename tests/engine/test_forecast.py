"""Forecasts: every available choice of a pending decision, simulated in one batch."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import fresh

from game.engine.compiled import CompiledScenario
from game.engine.forecast import NO_ENDING, forecast
from game.engine.randomness import world_keys
from game.engine.turn import TurnInput, resolve_turn
from game.engine.world import WorldState

PLAYER = frozenset({"player"})


def pulse_pending(timing: CompiledScenario) -> WorldState:
    state = fresh(timing)
    for _ in range(3):
        resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
    assert state.pending_decisions[0, timing.event_index["pulse"]]
    return state


def crisis_pending(mechanics: CompiledScenario, aid: float = 0) -> WorldState:
    state = fresh(mechanics, seed=2)
    resolve_turn(mechanics, state, TurnInput(lever_settings={"aid": aid}))
    state.pending_decisions[0, mechanics.event_index["crisis"]] = True
    return state


def test_forecast_of_a_deterministic_decision(timing: CompiledScenario) -> None:
    state = pulse_pending(timing)
    result = forecast(timing, state, "pulse", worlds=20, turns=4, human_roles=PLAYER)
    assert result.event_id == "pulse" and result.turns == 4 and result.worlds == 20
    assert [c.choice_id for c in result.choices] == ["kick", "skip"]
    sink = timing.variable_index["sink"]
    kick, skip = result.choice("kick"), result.choice("skip")
    # kick: +1 (event) +100 (follow-up echo) in turn 3, then 8, 4, 2 → 115; skip: only the +1.
    assert kick.trajectory_mean[:, sink].tolist() == [101, 109, 113, 115]
    assert (kick.p10[sink], kick.p50[sink], kick.p90[sink], kick.mean[sink]) == (115, 115, 115, 115)
    assert skip.mean[sink] == 1
    assert kick.trajectory_mean.shape == (4, timing.variable_count)
    assert kick.ending_probability[NO_ENDING] == 1.0
    assert state.turn == 3  # the game's own state is untouched


def test_forecast_leaves_out_unavailable_choices(mechanics: CompiledScenario) -> None:
    without_aid = forecast(mechanics, crisis_pending(mechanics), "crisis", worlds=10, turns=2)
    with_aid = forecast(mechanics, crisis_pending(mechanics, aid=8), "crisis", worlds=10, turns=2)
    assert [c.choice_id for c in without_aid.choices] == ["escalate", "calm_down"]
    assert [c.choice_id for c in with_aid.choices] == ["escalate", "calm_down", "bribe"]


def test_forecast_is_deterministic_and_seeded(mechanics: CompiledScenario) -> None:
    state = crisis_pending(mechanics)
    a = forecast(mechanics, state, "crisis", worlds=200, turns=6, seed=1)
    b = forecast(mechanics, state, "crisis", worlds=200, turns=6, seed=1)
    c = forecast(mechanics, state, "crisis", worlds=200, turns=6, seed=2)
    for x, y, z in zip(a.choices, b.choices, c.choices, strict=True):
        assert np.array_equal(x.mean, y.mean) and np.array_equal(x.p10, y.p10)
        assert np.array_equal(x.trajectory_mean, y.trajectory_mean)
        assert not np.array_equal(x.mean, z.mean)


def test_forecast_worlds_equal_single_runs(mechanics: CompiledScenario) -> None:
    # Slice c, world i of the forecast is the game's state with choice c and world key i, run alone.
    state = crisis_pending(mechanics)
    worlds, turns = 5, 3
    result = forecast(mechanics, state, "crisis", worlds=worlds, turns=turns, seed=7)
    keys = world_keys(np.random.default_rng(7), worlds)
    for slot, choice in enumerate(result.choices):
        finals = []
        for i in range(worlds):
            alone = state.repeat(1, keys[i : i + 1])
            for k in range(turns):
                resolve_turn(mechanics, alone, TurnInput(choices={"crisis": choice.choice_id} if k == 0 else {}))
            finals.append(alone.values[0])
        assert np.allclose(np.mean(finals, axis=0), choice.mean, rtol=0, atol=1e-9), slot


def test_ending_probabilities_sum_to_one(mechanics: CompiledScenario) -> None:
    result = forecast(mechanics, crisis_pending(mechanics), "crisis", worlds=300, turns=8)
    for choice in result.choices:
        assert sum(choice.ending_probability.values()) == pytest.approx(1.0)
        assert set(choice.ending_probability) == {NO_ENDING, *mechanics.ending_ids}


def test_forecast_stops_at_the_end_of_the_calendar(timing: CompiledScenario) -> None:
    state = pulse_pending(timing)
    result = forecast(timing, state, "pulse", worlds=3, turns=100, human_roles=PLAYER)
    assert result.turns == timing.turns - 3
    assert result.choice("skip").ending_probability["plain"] == 1.0


def test_forecast_of_an_obligation(timing: CompiledScenario) -> None:
    state = fresh(timing)
    for _ in range(6):
        resolve_turn(timing, state, TurnInput(human_roles=PLAYER))
    result = forecast(timing, state, "obligation:pact.art1", worlds=4, turns=2, human_roles=PLAYER)
    credibility = timing.variable_index["credibility"]
    assert result.choice("honour").mean[credibility] == 10
    assert result.choice("evade").mean[credibility] == -20


def test_forecast_needs_a_pending_decision(timing: CompiledScenario) -> None:
    with pytest.raises(ValueError, match="not awaiting a decision"):
        forecast(timing, fresh(timing), "pulse")
    with pytest.raises(KeyError, match="unknown decision"):
        forecast(timing, fresh(timing), "nope")


def test_forecast_reports_each_simulated_turn(timing: CompiledScenario) -> None:
    state = pulse_pending(timing)
    seen: list[tuple[int, int]] = []
    forecast(timing, state, "pulse", worlds=5, turns=4, human_roles=PLAYER, on_turn=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
