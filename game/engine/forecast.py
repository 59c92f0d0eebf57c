"""Forecasts: every choice of a pending decision simulated N worlds × K turns ahead, in one batch.

The B = 1 game state is tiled to (choices × worlds); slice c takes choice c in the first turn, and
then the AI decides everything, including the future decisions of human roles, which take their
`default` choice (or the first available one) — the same rule as a classroom timeout. Levers stay
where the players left them.

All choices use the same N world keys (common random numbers): world i of every slice sees the
same shocks and chance rolls, so the differences between choices come from the choices, not from
luck, and a forecast with the same seed is identical every time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.randomness import world_keys
from game.engine.turn import TurnInput, choice_availability, resolve_turn
from game.engine.world import WorldState

NO_ENDING = "none"


@dataclass(frozen=True)
class ChoiceForecast:
    """The distribution of outcomes after taking one choice."""

    choice_id: str
    mean: np.ndarray  # [V] at the horizon
    p10: np.ndarray  # [V]
    p50: np.ndarray  # [V]
    p90: np.ndarray  # [V]
    trajectory_mean: np.ndarray  # [turns, V]: mean after each simulated turn
    ending_probability: Mapping[str, float]  # ending id (or "none") → share of worlds


@dataclass(frozen=True)
class Forecast:
    """One forecast per available choice of a decision."""

    event_id: str
    turns: int  # turns actually simulated (fewer than asked near the end of the calendar)
    worlds: int
    choices: tuple[ChoiceForecast, ...]

    def choice(self, choice_id: str) -> ChoiceForecast:
        for forecast in self.choices:
            if forecast.choice_id == choice_id:
                return forecast
        raise KeyError(f"no forecast for choice '{choice_id}'")


def available_choices(compiled: CompiledScenario, state: WorldState, decision_id: str) -> list[int]:
    """Indices of the choices of a decision that are available in world 0 of `state`."""
    decision = compiled.decisions[compiled.decision_index[decision_id]]
    available = choice_availability(compiled, state, decision)[0]
    return [c for c in range(len(decision.choices)) if available[c]]


def forecast(
    compiled: CompiledScenario,
    state: WorldState,
    event_id: str,
    *,
    worlds: int = 1000,
    turns: int = 8,
    seed: int = 0,
    human_roles: frozenset[str] = frozenset(),
    on_turn: Callable[[int, int], None] | None = None,
) -> Forecast:
    """Simulate every available choice of the pending decision `event_id` (an event id or an
    `obligation:<treaty>.<article>` id) for `worlds` worlds and up to `turns` turns, in one batch.

    `on_turn(done, total)` is called after each simulated turn (the UI's progress bar)."""
    if state.batch != 1:
        raise ValueError(f"forecast() needs the game's own state (one world), not a batch of {state.batch}")
    if event_id not in compiled.decision_index:
        raise KeyError(f"unknown decision '{event_id}'")
    if worlds < 1 or turns < 0:
        raise ValueError("forecast() needs at least one world and a non-negative number of turns")
    decision = compiled.decisions[compiled.decision_index[event_id]]
    pending = state.pending_decisions if decision.event is not None else state.obligation_pending
    if not pending[0, decision.event if decision.event is not None else decision.obligation]:
        raise ValueError(f"'{event_id}' is not awaiting a decision")
    options = available_choices(compiled, state, event_id) or [decision.default_choice]
    count = len(options)
    horizon = max(0, min(turns, compiled.turns - state.turn))
    keys = world_keys(np.random.default_rng(seed), worlds)
    batch = state.repeat(count * worlds, np.tile(keys, count))
    forced = np.repeat(np.array(options, dtype=np.intp), worlds)
    inputs = TurnInput(human_roles=human_roles)
    trajectory = np.zeros((horizon, count, compiled.variable_count))
    for k in range(horizon):
        resolve_turn(compiled, batch, inputs, forced_choices={event_id: forced} if k == 0 else None)
        trajectory[k] = batch.values.reshape(count, worlds, -1).mean(axis=1)
        if on_turn is not None:
            on_turn(k + 1, horizon)
    final = batch.values.reshape(count, worlds, -1)
    # One sort serves all three percentiles (np.percentile would partition three times).
    ordered = np.sort(final, axis=1)
    endings = batch.ending.reshape(count, worlds)
    results = []
    for slot, choice in enumerate(options):
        results.append(
            ChoiceForecast(
                choice_id=decision.choices[choice].id,
                mean=final[slot].mean(axis=0),
                p10=_quantile(ordered[slot], 0.10),
                p50=_quantile(ordered[slot], 0.50),
                p90=_quantile(ordered[slot], 0.90),
                trajectory_mean=trajectory[:, slot],
                ending_probability=_ending_shares(compiled, endings[slot]),
            )
        )
    return Forecast(event_id=event_id, turns=horizon, worlds=worlds, choices=tuple(results))


def _quantile(ordered: np.ndarray, q: float) -> np.ndarray:
    """[V]: the q-quantile of sorted samples [N, V], linear interpolation as numpy's default."""
    position = q * (ordered.shape[0] - 1)
    low = int(np.floor(position))
    high = min(low + 1, ordered.shape[0] - 1)
    fraction = position - low
    return np.asarray(ordered[low] + (ordered[high] - ordered[low]) * fraction)


def _ending_shares(compiled: CompiledScenario, endings: np.ndarray) -> dict[str, float]:
    counts = np.bincount(endings.astype(np.intp) + 1, minlength=len(compiled.ending_ids) + 1)
    total = max(int(endings.shape[0]), 1)
    shares = {NO_ENDING: counts[0] / total}
    shares.update({ending: counts[i + 1] / total for i, ending in enumerate(compiled.ending_ids)})
    return {k: float(v) for k, v in shares.items()}
