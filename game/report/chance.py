"""Chance: the class's choices replayed in many other worlds, beside the historical path and random play.

All three run as one batch each on the same other worlds (the same world keys, so they differ only by
the decisions), for as many turns as the class played, with the seats as the human roles:

- **the class's choices**: each turn, the levers the class set that turn, and for every decision the
  choice the class took when it faced it (a decision the class never faced takes its default);
- **the historical path**: the choice the scenario records as history, else the default;
- **random play**: a random open choice, drawn from each world's own decision stream.

The facilitator's injects and adjustments belong to the class's one world and are not replayed here.
The other worlds' keys come from the game's seed through their own seed sequence, so the same game gives
the same figures, and none of them is the class's world.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.forecast import NO_ENDING
from game.engine.turn import TurnInput, policy_choices, resolve_turn
from game.engine.world import new_world, world_keys
from game.play.commands import SetLever
from game.report.played import PlayedGame

CHANCE_WORLDS = 1000
CHANCE_SALT = 0x0C1A55  # keeps the other worlds' keys apart from the class's own world
STRATEGIES = ("class", "historical", "random")
PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class StrategyOutcome:
    """How one way of deciding ended over the other worlds."""

    strategy: str  # one of STRATEGIES
    ending_shares: Mapping[str, float]  # ending id (or NO_ENDING) → share of worlds, in the scenario's order
    percentiles: Mapping[str, tuple[float, float, float]]  # key variable → its 10th, 50th, 90th percentile


@dataclass(frozen=True)
class ChanceResult:
    worlds: int
    turns: int
    outcomes: tuple[StrategyOutcome, ...]
    class_ending: str  # the class's own world
    class_values: Mapping[str, float]

    def outcome(self, strategy: str) -> StrategyOutcome:
        return next(o for o in self.outcomes if o.strategy == strategy)


def replay_in_other_worlds(game: PlayedGame, worlds: int = CHANCE_WORLDS) -> ChanceResult:
    """The class's choices, the historical path and random play, each in the same `worlds` other worlds."""
    session = game.session
    compiled = session.compiled
    turns = len(session.history) - 1
    seats = frozenset(game.roles)
    rng = np.random.default_rng(np.random.SeedSequence([session.seed & 0xFFFFFFFF, session.seed >> 32, CHANCE_SALT]))
    keys = world_keys(rng, worlds)
    levers = _levers_by_turn(game)
    choices = _class_choices(game)
    outcomes = []
    for strategy in STRATEGIES:
        state = new_world(compiled, worlds, keys)
        for turn in range(turns):
            if not state.active(compiled).any():
                break
            if strategy == "class":
                inputs = TurnInput(lever_settings=levers.get(turn, {}), choices=choices, human_roles=seats)
                resolve_turn(compiled, state, inputs)
            else:
                forced = policy_choices(compiled, state, seats, strategy)
                resolve_turn(compiled, state, TurnInput(human_roles=seats), forced_choices=forced)
        outcomes.append(_outcome(compiled, strategy, state.ending, state.values))
    class_values = {v: session.value(v) for v in compiled.key_variables}
    return ChanceResult(worlds, turns, tuple(outcomes), session.ending or NO_ENDING, class_values)


def _levers_by_turn(game: PlayedGame) -> dict[int, dict[str, float]]:
    """turn → the lever settings the class gave that turn (a later setting of a lever replaces an earlier one)."""
    settings: dict[int, dict[str, float]] = {}
    for command in game.session.commands:
        if isinstance(command, SetLever) and command.turn is not None:
            settings.setdefault(command.turn, {})[command.lever] = command.value
    return settings


def _class_choices(game: PlayedGame) -> dict[str, str]:
    """Decision → the choice the class took the first time it faced it."""
    seats = set(game.roles)
    choices: dict[str, str] = {}
    for item in game.session.news:
        if item.kind == "decision" and item.role in seats and item.event_id and item.choice_id:
            choices.setdefault(item.event_id, item.choice_id)
    return choices


def _outcome(compiled: CompiledScenario, strategy: str, endings: np.ndarray, values: np.ndarray) -> StrategyOutcome:
    counts = np.bincount(np.asarray(endings, dtype=np.int64) + 1, minlength=len(compiled.ending_ids) + 1)
    total = float(len(endings))
    shares = {ending_id: float(counts[n + 1]) / total for n, ending_id in enumerate(compiled.ending_ids)}
    shares[NO_ENDING] = float(counts[0]) / total
    percentiles = {}
    for variable in compiled.key_variables:
        column = np.asarray(values[:, compiled.variable_index[variable]], dtype=np.float64)
        low, mid, high = (float(p) for p in np.percentile(column, PERCENTILES))
        percentiles[variable] = (low, mid, high)
    return StrategyOutcome(strategy, shares, percentiles)
