"""The table of screens: every name maps to a scene, every screen renders through `screenshot`, and scenes
say where to go with a GoTo the app resolves through the table."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.ui.screens import SCREENS
from game.ui.screenshot import render_screen

pytestmark = pytest.mark.slow  # every screen rendered through the screenshot path


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_screen_in_the_table_renders_to_a_png(screen: str, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{screen}.png"
    problem = render_screen(screen, out, scenario="example_alliance", size=(1024, 600), scale=1.0, language="en",
                            data_dir=data_dir, turns=1)
    assert problem is None
    image = pygame.image.load(str(out))
    assert image.get_size() == (1024, 600)
    colours = {image.get_at((x, y))[:3] for x in range(0, 1024, 64) for y in range(0, 600, 40)}
    assert len(colours) > 3, "the screen drew something"


def test_an_unknown_screen_lists_the_known_ones(data_dir: Path, tmp_path: Path) -> None:
    problem = render_screen("nowhere", tmp_path / "x.png", scenario=None, size=(1024, 600), scale=1.0,
                            language="en", data_dir=data_dir)
    assert problem is not None and "nowhere" in problem
    assert all(name in problem for name in SCREENS)
    assert not (tmp_path / "x.png").exists()


def test_each_screen_is_built_from_the_table_by_its_own_name() -> None:
    assert {screen.scene.name for screen in SCREENS.values()} == set(SCREENS)
