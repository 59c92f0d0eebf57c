"""Helpers that drive the real app headless: real pygame events posted to the real queue, then frames."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame

from game.play.opening import GameProblems, open_game
from game.resources import scenarios_dir
from game.ui.app import App
from game.ui.scene import GoTo

EXAMPLE = "example_alliance"


def press(app: App, key: int, *, mod: int = 0, frames: int = 2) -> None:
    """Post a key press and release to the event queue and run frames until they are handled."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    app.run_frames(frames)


def click(app: App, pos: tuple[int, int], *, frames: int = 2) -> None:
    """Post a left click (move, press, release) at `pos` and run frames."""
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    app.run_frames(frames)


def focus_to(app: App, name: str, *, limit: int = 200) -> None:
    """Press Tab until the focus is on the stop called `name` (in the open dialog, else the scene)."""
    for _ in range(limit):
        host = app.scene.modal or app.scene
        current = host.focus.current
        if current is not None and current.name == name:
            return
        press(app, pygame.K_TAB, frames=1)
    raise AssertionError(f"no focus stop named {name!r}")


def copy_example(folder: Path) -> Path:
    """A temporary copy of the shipped example scenario (and the bases it extends) that tests may break."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(scenarios_dir() / f"{EXAMPLE}.yaml", folder / f"{EXAMPLE}.yaml")
    shutil.copytree(scenarios_dir() / "bases", folder / "bases")
    return folder / f"{EXAMPLE}.yaml"


def start_game(app: App, scenario: str, *, seed: int, role: str | None = None) -> None:
    """Open a game of `scenario` through the one door (`open_game`) and switch the app to its screen."""
    opened = open_game(scenario, [role] if role else None, seed, app.data_dir)
    assert not isinstance(opened, GameProblems), opened.text()
    app.go(GoTo("game", session=opened.session, role=opened.role))


