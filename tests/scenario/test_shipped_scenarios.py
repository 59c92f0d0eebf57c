"""Every shipped scenario and base validates clean (errors and warnings both fail)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.resources import scenarios_dir
from game.scenario.catalog import scenario_files
from game.scenario.loader import load_scenario

SHIPPED = scenario_files(scenarios_dir())


def test_there_are_shipped_scenarios() -> None:
    assert SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_file_validates_clean(path: Path) -> None:
    result = load_scenario(path, roots=[scenarios_dir()])
    problems = [d.format() for d in result.diagnostics if d.severity != "info"]
    assert problems == []
    assert result.abstract or result.scenario is not None
