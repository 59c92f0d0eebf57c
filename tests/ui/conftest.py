"""Fixtures for the UI tests: the real app in a headless window with a temporary user data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.ui import game_scene
from game.ui.app import App
from game.ui.settings import UiSettings


@pytest.fixture
def app(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The game window at 1280×720 with a temporary user data folder; fewer forecast worlds keep tests fast."""
    monkeypatch.setattr(game_scene, "ADVICE_WORLDS", 64)
    application = App(data_dir, settings=UiSettings(), persist_settings=False)
    yield application
    pygame.quit()
