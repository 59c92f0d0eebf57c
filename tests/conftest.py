"""Shared test fixtures: real files on disk and an isolated user data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Tests that open pygame windows run headless everywhere (CI has no display).
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# No test may read the developer's mods or write into their saves: the platform's user data folder
# (platformdirs follows XDG_DATA_HOME on Linux) points at a fresh temporary folder for the session.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="alliance-desk-tests-")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
BAD_SCENARIOS = FIXTURES / "bad_scenarios"
MINIMAL_SCENARIO = FIXTURES / "minimal_scenario.yaml"


@pytest.fixture
def repo_root() -> Path:
    """The repository's root folder (where main.py is)."""
    return REPO


@pytest.fixture
def minimal_scenario_path() -> Path:
    """A small scenario that validates clean."""
    return MINIMAL_SCENARIO


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty user data folder, so that no test reads or writes the real one."""
    folder = tmp_path / "user-data"
    (folder / "mods").mkdir(parents=True)
    return folder
