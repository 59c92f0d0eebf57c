"""Fixtures for the play-layer tests: a small fictional scenario read from disk by the real loader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from game.scenario.loader import load_scenario
from game.scenario.models import Scenario

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "play"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def two_desks_path() -> Path:
    return FIXTURES / "two_desks.yaml"


@pytest.fixture(scope="session")
def two_desks(two_desks_path: Path) -> Scenario:
    result = load_scenario(two_desks_path)
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    return result.scenario


@pytest.fixture
def edited_two_desks(two_desks_path: Path, tmp_path: Path) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Write a copy of the fixture, changed by `edit(data)`, into tmp_path; returns its path."""

    def write(edit: Callable[[dict[str, Any]], None]) -> Path:
        data = yaml.safe_load(two_desks_path.read_text(encoding="utf-8"))
        edit(data)
        path = tmp_path / "two_desks_edited.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write
