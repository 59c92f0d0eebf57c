"""Scenarios for the engine tests: the engine's own small ones (tests/fixtures/engine) and every shipped one."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.world import WorldState, new_world, world_keys
from game.scenario.loader import load_scenario

REPO = Path(__file__).resolve().parents[2]
ENGINE_FIXTURES = REPO / "tests" / "fixtures" / "engine"


def shipped_scenario_paths() -> list[Path]:
    """Every playable scenario under scenarios/ (abstract bases skipped)."""
    paths = []
    for path in sorted((REPO / "scenarios").glob("**/*.yaml")):
        result = load_scenario(path)
        if result.scenario is not None and not result.abstract and not result.scenario.abstract:
            paths.append(path)
    return paths


@cache
def compiled_from(path: Path) -> CompiledScenario:
    """Load a scenario file from disk (real YAML through the real loader) and compile it."""
    result = load_scenario(path)
    if result.scenario is None:
        problems = "\n".join(d.format() for d in result.diagnostics)
        raise AssertionError(f"{path} does not load:\n{problems}")
    return compile_scenario(result.scenario)


def fixture(name: str) -> CompiledScenario:
    return compiled_from(ENGINE_FIXTURES / f"{name}.yaml")


def fresh(compiled: CompiledScenario, batch: int = 1, seed: int = 0) -> WorldState:
    return new_world(compiled, batch, world_keys(np.random.default_rng(seed), batch))


ALL_SCENARIOS = [ENGINE_FIXTURES / "mechanics.yaml", ENGINE_FIXTURES / "timing.yaml", *shipped_scenario_paths()]
