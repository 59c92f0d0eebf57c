"""Scores and endings: how well a role did, and how the scenario ended.

- An `end` objective earns its points if its condition holds when the score is taken (at the end
  of the game).
- An `every_turn` objective earns points × (turns it held) / (turns in the calendar); a game that
  ends early therefore earns less, which is the point.
- Percent is earned points over the role's maximum (the sum of its positive points); the letter
  comes from the scenario's `grades` thresholds (A, B, C, D, else E).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.world import WorldState


@dataclass(frozen=True)
class ObjectiveScore:
    """One objective of a role, for one world."""

    id: str
    label: str
    points: float  # what it is worth
    earned: float
    met: bool  # end: the condition holds; every_turn: it held in every turn played


@dataclass(frozen=True)
class RoleScore:
    """A role's score in one world."""

    role_id: str
    points: float
    max_points: float
    percent: float
    grade: str  # "A" .. "E"
    objectives: tuple[ObjectiveScore, ...]


def objective_points(compiled: CompiledScenario, state: WorldState, role_id: str) -> np.ndarray:
    """[B, Q_role] points earned per objective of the role, in every world."""
    role = compiled.role_index(role_id)
    context = state.context(compiled)
    columns = []
    for objective in compiled.objectives:
        if objective.role != role:
            continue
        if objective.every_turn:
            held = state.objective_turns[:, objective.tracker].astype(np.float64)
            columns.append(objective.points * held / compiled.turns)
        else:
            columns.append(objective.points * objective.when.holds(context, state.batch))
    if not columns:
        return np.zeros((state.batch, 0))
    return np.asarray(np.stack(columns, axis=1))


def role_points(compiled: CompiledScenario, state: WorldState, role_id: str) -> np.ndarray:
    """[B] the role's total points in every world."""
    return np.asarray(objective_points(compiled, state, role_id).sum(axis=1))


def max_points(compiled: CompiledScenario, role_id: str) -> float:
    """The most a role can earn: the sum of its objectives' positive points."""
    role = compiled.role_index(role_id)
    return float(sum(max(o.points, 0.0) for o in compiled.objectives if o.role == role))


def grade_letter(compiled: CompiledScenario, percent: float) -> str:
    """The letter for a percentage, by the scenario's thresholds."""
    grades = compiled.scenario.grades
    for letter, threshold in (("A", grades.a), ("B", grades.b), ("C", grades.c), ("D", grades.d)):
        if percent >= threshold:
            return letter
    return "E"


def evaluate_role(compiled: CompiledScenario, state: WorldState, role_id: str, world: int = 0) -> RoleScore:
    """The role's score in one world of `state` (world 0: the real game)."""
    role = compiled.role_index(role_id)
    earned = objective_points(compiled, state, role_id)[world]
    played = max(state.turn, 1)
    context = state.context(compiled)
    results = []
    for position, objective in enumerate(o for o in compiled.objectives if o.role == role):
        if objective.every_turn:
            met = bool(state.objective_turns[world, objective.tracker] >= played)
        else:
            met = bool(objective.when.holds(context, state.batch)[world])
        results.append(ObjectiveScore(objective.id, objective.label, objective.points, float(earned[position]), met))
    total = float(earned.sum())
    best = max_points(compiled, role_id)
    percent = 100.0 * total / best if best > 0 else 0.0
    return RoleScore(role_id, total, best, percent, grade_letter(compiled, percent), tuple(results))


def final_ending(compiled: CompiledScenario, state: WorldState) -> np.ndarray:
    """[B] ending index: the one reached, else the first `at_end` ending that holds now (-1: none)."""
    result = state.ending.astype(np.int16)
    open_ = result < 0
    if not open_.any():
        return result
    context = state.context(compiled)
    for ending in compiled.endings:
        if not ending.at_end:
            continue
        holds = open_.copy() if ending.when is None else open_ & ending.when.holds(context, state.batch)
        result[holds] = ending.index
        open_ &= ~holds
    return result
