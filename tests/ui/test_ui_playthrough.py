"""A whole game from the title screen to the debrief, with the keyboard only."""

from __future__ import annotations

import pygame
import pytest
from ui_driver import press

from game.play.saves import list_saves
from game.ui.app import App

pytestmark = pytest.mark.slow  # the whole game from the title screen


def test_keyboard_playthrough_from_title_to_debrief(app: App) -> None:
    assert app.scene.name == "title"
    press(app, pygame.K_RETURN)  # "New game" has the focus on the title screen
    assert app.scene.name == "browser"
    app.scene.settle()  # the catalogue loads in a worker thread
    press(app, pygame.K_RETURN)  # the selected (first) scenario: a second activation goes on
    assert app.scene.name == "role"
    press(app, pygame.K_RETURN)
    assert app.scene.name == "briefing"
    press(app, pygame.K_RETURN)  # "Begin"
    assert app.scene.name == "game"
    game = app.scene
    turns = game.session.compiled.turns  # type: ignore[attr-defined]
    for _turn in range(turns + 2):
        if app.scene.name != "game":
            break
        for _decision in range(5):
            if not app.scene.undecided():  # type: ignore[attr-defined]
                break
            press(app, pygame.K_1)
        before = app.scene.session.turn  # type: ignore[attr-defined]
        press(app, pygame.K_e)
        assert app.scene.name == "debrief" or app.scene.session.turn == before + 1  # type: ignore[attr-defined]
    assert app.scene.name == "debrief"
    assert app.scene.session.is_over  # type: ignore[attr-defined]
    assert list_saves(app.data_dir), "an autosave is written every turn"
    press(app, pygame.K_RETURN)  # "Back to title"
    assert app.scene.name == "title"
    assert app.errors == []


def test_arrow_keys_pick_the_scenario_and_the_role(app: App) -> None:
    press(app, pygame.K_RETURN)
    browser = app.scene
    browser.settle()
    first = browser.selected  # type: ignore[attr-defined]
    press(app, pygame.K_DOWN)
    assert browser.selected == (first + 1) % len(browser.entries)  # type: ignore[attr-defined]
    press(app, pygame.K_UP)
    assert browser.selected == first  # type: ignore[attr-defined]
    press(app, pygame.K_RETURN)
    assert app.scene.name == "role"
    roles = app.scene.roles  # type: ignore[attr-defined]
    if len(roles) > 1:
        press(app, pygame.K_DOWN)
        press(app, pygame.K_RETURN)  # Enter on the selected role goes on
        assert app.scene.name == "briefing" and app.scene.role == roles[1]  # type: ignore[attr-defined]
    assert app.errors == []
