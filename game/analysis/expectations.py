"""Checking a scenario's `expectations:` (and the balance tests' `history_check`) by playing it headless.

Expectations with the same policy, runs and seed share one batch of games, so a scenario with ten
claims about its historical path plays that path once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.forecast import NO_ENDING
from game.play.simulate import SimulationResult, simulate
from game.scenario.models import Expectation, HistoryCheck, Scenario

# The seed and runs of the expectations that `history_check` stands for (those of the balance tests).
HISTORY_CHECK_RUNS = 500
HISTORY_CHECK_SEED = 20260


@dataclass(frozen=True)
class ExpectationResult:
    """One expectation measured: its index in the scenario's list, the value, and whether it held."""

    index: int
    expectation: Expectation
    measured: float
    passed: bool

    @property
    def bounds(self) -> tuple[float, float]:
        e = self.expectation
        bounds = e.share if e.share is not None else e.median if e.median is not None else e.mean
        assert bounds is not None  # the model guarantees one
        return bounds

    @property
    def measure(self) -> str:
        """What was measured, in words: "share of ending 'x'" / "median of 'v'"."""
        e = self.expectation
        if e.ending is not None:
            names = ", ".join(f"'{ending}'" for ending in e.ending)
            return f"share of ending{'s' if len(e.ending) > 1 else ''} {names}"
        return f"{'median' if e.median is not None else 'mean'} final '{e.variable}'"

    def describe(self) -> str:
        low, high = self.bounds
        verdict = "within" if self.passed else "outside"
        e = self.expectation
        return (f"{self.measure} is {self.measured:.4g}, {verdict} [{low:g}, {high:g}] "
                f"({e.policy} policy, {e.runs} runs, seed {e.seed})")


def check_expectations(compiled: CompiledScenario, expectations: Sequence[Expectation]) -> list[ExpectationResult]:
    """Measure every expectation (one batch of games per distinct policy, runs and seed)."""
    played: dict[tuple[str, int, int], SimulationResult] = {}
    results = []
    for index, expectation in enumerate(expectations):
        key = (expectation.policy, expectation.runs, expectation.seed)
        if key not in played:
            played[key] = simulate(compiled, runs=expectation.runs, turns=compiled.turns, seed=expectation.seed,
                                   policy=expectation.policy)
        measured = measure(played[key], expectation)
        bounds = ExpectationResult(index, expectation, measured, True).bounds
        results.append(ExpectationResult(index, expectation, measured, bounds[0] <= measured <= bounds[1]))
    return results


def measure(result: SimulationResult, expectation: Expectation) -> float:
    """The value an expectation bounds, measured on a batch of games."""
    if expectation.ending is not None:
        wanted = set(expectation.ending)
        hits = sum(1 for run in result.runs if (run.ending or NO_ENDING) in wanted)
        return hits / max(1, len(result.runs))
    assert expectation.variable is not None
    column = result.variable_ids.index(expectation.variable)
    values = np.array([run.final[column] for run in result.runs], dtype=np.float64)
    return float(np.median(values) if expectation.median is not None else values.mean())


def history_check_expectations(scenario: Scenario, check: HistoryCheck) -> list[Expectation]:
    """What a `history_check` claims, as expectations: on the historical path, the historical endings'
    share is at least `ending_share`, and each listed variable's median lies in its range."""
    historical = [ending.id for ending in scenario.endings if ending.historical]
    common = {"policy": "historical", "runs": HISTORY_CHECK_RUNS, "seed": HISTORY_CHECK_SEED}
    expectations = [Expectation.model_validate({"id": "ends_near_history", **common, "ending": historical,
                                                "share": (check.ending_share, 1.0)})]
    for variable, (low, high) in check.variables.items():
        expectations.append(Expectation.model_validate({"id": "history_median", **common, "variable": variable,
                                                        "median": (low, high)}))
    return expectations
