"""Engine test fixtures (the scenarios themselves are in engine_scenarios.py)."""

from __future__ import annotations

import pytest
from engine_scenarios import fixture

from game.engine.compiled import CompiledScenario


@pytest.fixture(scope="module")
def timing() -> CompiledScenario:
    return fixture("timing")


@pytest.fixture(scope="module")
def mechanics() -> CompiledScenario:
    return fixture("mechanics")
