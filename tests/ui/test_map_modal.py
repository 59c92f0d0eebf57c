"""Behind the pause menu and the settings dialog the map is drawn whole: every pixel of it outside the dialog's
frame (Honshu, Kyushu, Shikoku and their labels included) is the pixel without the dialog, dimmed by the scrim."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pygame
import pytest

from game.ui import game_scene
from game.ui.app import App
from game.ui.map_view import MapView
from game.ui.settings import UiSettings
from game.ui.theme import load_theme_file
from tests.ui.ui_driver import focus_to, press, start_game

# Points on Honshu (Tohoku, Kanto, Chubu, Kansai, Chugoku), Shikoku and Kyushu.
JAPAN = ((140.8, 39.5), (139.9, 36.2), (137.5, 35.8), (135.6, 34.9), (133.0, 34.9), (133.5, 33.6), (131.0, 32.6))
TOLERANCE = 2  # rounding in the alpha blend


@pytest.fixture
def big_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[App]:
    """The game window at the size, scale and language of the test's parameter."""
    monkeypatch.setattr(game_scene, "ADVICE_WORLDS", 16)
    size, scale, language = request.param
    application = App(data_dir, size=size, settings=UiSettings(scale=scale, language=language),
                      persist_settings=False)
    yield application
    pygame.quit()


def scrim_alpha() -> int:
    colour = load_theme_file()["#scrim"]["colours"]["dark_bg"]
    return int(colour[7:9], 16) if len(colour) == 9 else 255


def window_pixels(app: App) -> npt.NDArray[np.int32]:
    return pygame.surfarray.array3d(app.window).astype(np.int32)  # indexed [x, y, channel]


def assert_map_dimmed_not_lost(app: App, before: npt.NDArray[np.int32], map_view: MapView, what: str) -> None:
    modal = app.scene.modal
    assert modal is not None, what
    after = window_pixels(app)
    expected = before * (255 - scrim_alpha()) // 255
    visible = np.zeros(before.shape[:2], dtype=bool)
    area = map_view.rect
    visible[area.left:area.right, area.top:area.bottom] = True
    frame = modal.frame.inflate(8, 8)  # the dialog and its border
    visible[max(frame.left, 0):frame.right, max(frame.top, 0):frame.bottom] = False
    wrong = visible & (np.abs(after - expected).max(axis=2) > TOLERANCE)
    assert not wrong.any(), (f"{what}: {int(wrong.sum())} map pixels outside the dialog differ from the dimmed map, "
                             f"e.g. at {tuple(int(v) for v in np.argwhere(wrong)[0])}")
    # The test looks at Japan: some of its main islands are outside the dialog, still in the player's colour.
    own = before[map_view.screen_position(*JAPAN[0])]
    seen = [p for p in (map_view.screen_position(*point) for point in JAPAN) if visible[p]]
    assert seen, f"{what}: no part of Japan outside the dialog to compare"
    assert any((np.abs(after[p] - own * (255 - scrim_alpha()) // 255) <= TOLERANCE).all() for p in seen), what


@pytest.mark.slow
@pytest.mark.parametrize("big_app", [((1920, 1080), 1.0, "en"), ((1920, 1080), 1.5, "ja"), ((1366, 768), 1.0, "en")],
                         indirect=True, ids=["1920x1080", "1920x1080-scale1.5-ja", "1366x768"])
def test_the_map_behind_the_pause_menu_and_settings_is_whole(big_app: App) -> None:
    app = big_app
    start_game(app, "okinawa_1995", seed=2)
    app.run_frames(2)
    map_view: MapView = app.scene.map_view  # type: ignore[attr-defined]
    before = window_pixels(app)
    press(app, pygame.K_ESCAPE, frames=3)
    assert_map_dimmed_not_lost(app, before, map_view, "pause menu")
    focus_to(app, "settings")
    press(app, pygame.K_RETURN, frames=3)
    assert type(app.scene.modal).__name__ == "SettingsDialog"
    assert_map_dimmed_not_lost(app, before, map_view, "settings dialog")
    assert app.errors == []
