"""Saves through the menus: a round trip, a corrupt file, closing the window mid-game."""

from __future__ import annotations

import os

import pygame
import pytest
from ui_driver import EXAMPLE, focus_to, press, start_game

from game.play.saves import list_saves, saves_dir
from game.ui.app import App
from game.ui.message_dialog import MessageDialog
from game.ui.save_dialogs import LoadDialog

pytestmark = pytest.mark.slow  # whole games saved and loaded through the menu


def start_example(app: App, seed: int = 3) -> None:
    start_game(app, EXAMPLE, seed=seed)
    app.run_frames(2)
    assert app.scene.name == "game"


def play_turn(app: App) -> None:
    before = app.scene.session.turn  # type: ignore[attr-defined]
    for _ in range(5):
        if not app.scene.undecided():  # type: ignore[attr-defined]
            break
        press(app, pygame.K_1)
    press(app, pygame.K_e)
    assert app.scene.session.turn == before + 1  # type: ignore[attr-defined]


def test_save_and_load_round_trip_through_the_menu(app: App) -> None:
    start_example(app)
    play_turn(app)
    saved_commands = list(app.scene.session.commands)  # type: ignore[attr-defined]
    saved_turn = app.scene.session.turn  # type: ignore[attr-defined]
    press(app, pygame.K_ESCAPE)
    assert app.scene.modal is not None
    focus_to(app, "save")
    press(app, pygame.K_RETURN)
    assert app.scene.modal is None
    manual = [s for s in list_saves(app.data_dir) if s.path.name.startswith("save-")]
    assert len(manual) == 1
    play_turn(app)
    assert app.scene.session.turn == saved_turn + 1  # type: ignore[attr-defined]
    press(app, pygame.K_ESCAPE)
    focus_to(app, "load")
    press(app, pygame.K_RETURN)
    dialog = app.scene.modal
    assert isinstance(dialog, LoadDialog)
    index = next(i for i, s in enumerate(dialog.saves) if s.path == manual[0].path)
    focus_to(app, f"save-{index}")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "game"
    assert app.scene.modal is None
    assert app.scene.session.turn == saved_turn  # type: ignore[attr-defined]
    assert app.scene.session.commands == saved_commands  # type: ignore[attr-defined]
    play_turn(app)  # and the loaded game plays on
    assert app.errors == []


def test_a_corrupt_save_shows_an_error_and_the_game_goes_on(app: App) -> None:
    start_example(app)
    folder = saves_dir(app.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "save-broken.json").write_text('{"format": "alliance-desk-save", "version": 1, "seed": ', "utf-8")
    session = app.scene.session  # type: ignore[attr-defined]
    press(app, pygame.K_ESCAPE)
    focus_to(app, "load")
    press(app, pygame.K_RETURN)
    dialog = app.scene.modal
    assert isinstance(dialog, LoadDialog)
    index = next(i for i, s in enumerate(dialog.saves) if s.path.name == "save-broken.json")
    focus_to(app, f"save-{index}")
    press(app, pygame.K_RETURN)
    assert isinstance(app.scene.modal, MessageDialog)
    assert "save-broken.json" in " ".join(app.scene.modal.lines)
    press(app, pygame.K_RETURN)  # Close
    assert app.scene.modal is None
    assert app.scene.session is session  # type: ignore[attr-defined]
    play_turn(app)
    assert app.errors == []


def test_closing_the_window_mid_game_writes_an_autosave(app: App) -> None:
    start_example(app)
    play_turn(app)
    before = {s.path for s in list_saves(app.data_dir)}
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run_frames(1)
    assert not app.running
    after = {s.path for s in list_saves(app.data_dir)}
    assert after - before, "closing the window wrote a new autosave"


def test_a_corrupt_save_offers_the_latest_autosave(app: App) -> None:
    start_example(app)
    play_turn(app)  # writes an autosave
    folder = saves_dir(app.data_dir)
    (folder / "save-broken.json").write_text("[]", "utf-8")
    press(app, pygame.K_ESCAPE)
    focus_to(app, "load")
    press(app, pygame.K_RETURN)
    dialog = app.scene.modal
    assert isinstance(dialog, LoadDialog)
    index = next(i for i, s in enumerate(dialog.saves) if s.path.name == "save-broken.json")
    focus_to(app, f"save-{index}")
    press(app, pygame.K_RETURN)
    assert isinstance(app.scene.modal, MessageDialog)
    focus_to(app, "Load the latest autosave")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "game" and app.scene.modal is None
    assert app.scene.session.turn == 1  # type: ignore[attr-defined]
    assert app.errors == []


def test_the_load_dialog_lists_hostile_saves_as_unreadable_and_still_opens(app: App) -> None:
    """Each of these used to escape `list_saves` (RecursionError, ValueError) or block it (a FIFO)."""
    start_example(app)
    folder = saves_dir(app.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "save-deep.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "save-huge.json").write_text('{"format": "alliance-desk-save", "version": ' + "9" * 5000 + "}", "utf-8")
    (folder / "save-nan.json").write_text('{"format": "alliance-desk-save", "version": NaN}', "utf-8")
    os.mkfifo(folder / "save-fifo.json")
    (folder / "save-loop.json").symlink_to(folder / "save-loop.json")
    press(app, pygame.K_ESCAPE)
    focus_to(app, "load")
    press(app, pygame.K_RETURN)
    dialog = app.scene.modal
    assert isinstance(dialog, LoadDialog)
    problems = {s.path.name: s.problem for s in dialog.saves}
    hostile = {"save-deep.json", "save-huge.json", "save-nan.json", "save-fifo.json", "save-loop.json"}
    assert hostile <= problems.keys()
    assert all(problems[name] for name in hostile), problems
    app.run_frames(2)  # the list draws
    press(app, pygame.K_ESCAPE)
    assert app.errors == []
