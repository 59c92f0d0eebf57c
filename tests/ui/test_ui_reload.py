"""F5: reload the scenario file from disk and replay the command log onto it."""

from __future__ import annotations

from pathlib import Path

import pygame
from ui_driver import copy_example, press, start_game

from game.ui.app import App
from game.ui.message_dialog import MessageDialog


def test_f5_after_breaking_the_scenario_shows_diagnostics_and_keeps_the_game(app: App, tmp_path: Path) -> None:
    path = copy_example(tmp_path / "scenarios")
    start_game(app, str(path), seed=5)
    app.run_frames(2)
    for _ in range(5):
        if not app.scene.undecided():  # type: ignore[attr-defined]
            break
        press(app, pygame.K_1)
    press(app, pygame.K_e)
    session = app.scene.session  # type: ignore[attr-defined]
    assert session.turn == 1
    original = path.read_text("utf-8")
    path.write_text(original.replace("turns: 12", "turns: twelve", 1), "utf-8")
    press(app, pygame.K_F5)
    dialog = app.scene.modal
    assert isinstance(dialog, MessageDialog)
    text = "\n".join(dialog.lines)
    assert "example_alliance.yaml" in text and "calendar.turns" in text
    press(app, pygame.K_ESCAPE)
    assert app.scene.modal is None
    assert app.scene.session is session  # type: ignore[attr-defined]
    # a valid edit is picked up and the game is replayed onto it at the same turn
    path.write_text(original.replace("turns: 12", "turns: 13", 1), "utf-8")
    press(app, pygame.K_F5)
    assert app.scene.modal is None
    reloaded = app.scene.session  # type: ignore[attr-defined]
    assert reloaded is not session
    assert reloaded.turn == 1 and reloaded.compiled.turns == 13
    assert app.errors == []
