"""A monkey test: thousands of random clicks, keys, wheel turns and resizes across every screen.

Seeded, so a failure can be replayed. The app must never let an exception out of a frame (it logs
and records any it catches in `app.errors`, which must stay empty).
"""

from __future__ import annotations

import random

import pygame
import pytest
from ui_driver import EXAMPLE, start_game

from game.play.opening import auto_play
from game.play.session import Session
from game.scenario.catalog import find_scenario
from game.ui import game_scene
from game.ui.app import App
from game.ui.browser_scene import BrowserScene
from game.ui.debrief_scene import DebriefScene
from game.ui.title_scene import TitleScene

pytestmark = pytest.mark.slow  # thousands of random input events

EVENTS = 5000
KEYS = [
    pygame.K_TAB, pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_e, pygame.K_1, pygame.K_2,
    pygame.K_3, pygame.K_9, pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_PLUS,
    pygame.K_MINUS, pygame.K_PAGEDOWN, pygame.K_PAGEUP, pygame.K_F5, pygame.K_n, pygame.K_a,
]


def jump(app: App, rng: random.Random) -> None:
    """Put the app on a random screen, so every screen gets its share of the monkey."""
    screen = rng.choice(["title", "browser", "game", "game", "debrief"])
    if screen == "title":
        app.switch(TitleScene(app))
    elif screen == "browser":
        app.switch(BrowserScene(app))
    elif screen == "game":
        start_game(app, EXAMPLE, seed=rng.randrange(1000))
    else:
        result = find_scenario(EXAMPLE, app.data_dir)
        role = next(rid for rid, r in result.scenario.roles.items() if r.playable)  # type: ignore[union-attr]
        session = Session.start(result, role, rng.randrange(1000), scenario_path=str(result.path))
        auto_play(session, role, 40)
        app.switch(DebriefScene(app, session, role))


def random_event(app: App, rng: random.Random) -> list[pygame.event.Event]:
    width, height = app.window.get_size()
    roll = rng.random()
    pos = (rng.randrange(width), rng.randrange(height))
    if roll < 0.5:
        return [
            pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=rng.choice([1, 1, 1, 3])),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1),
        ]
    if roll < 0.85:
        key = rng.choice(KEYS)
        mod = pygame.KMOD_SHIFT if rng.random() < 0.2 else 0
        return [pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0),
                pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0)]
    if roll < 0.92:
        return [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-2, -1, 1, 2]), flipped=False,
                                   precise_x=0.0, precise_y=0.0)]
    if roll < 0.98:
        end = (min(width - 1, max(0, pos[0] + rng.randint(-200, 200))),
               min(height - 1, max(0, pos[1] + rng.randint(-100, 100))))
        return [
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
            pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=(end[0] - pos[0], end[1] - pos[1]), buttons=(1, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1),
        ]
    size = (rng.randint(900, 1700), rng.randint(500, 1000))  # some below the minimum: clamped, never broken
    return [pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)]


def test_monkey_clicks_keys_and_resizes_never_raise(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(game_scene, "ADVICE_WORLDS", 16)  # the advisors run, but cheaply: this test is about the UI
    rng = random.Random(20261129)
    app.request_quit = lambda: app.scene.on_close()  # type: ignore[method-assign]  # "Quit" must not end the run
    seen: set[str] = set()
    sent = 0
    while sent < EVENTS:
        if sent % 250 == 0:
            jump(app, rng)
        for event in random_event(app, rng):
            pygame.event.post(event)
        sent += 1
        if sent % 2 == 0:  # two actions per frame, as a fast player's input may arrive
            app.run_frames(1)
        seen.add(app.scene.name)
        assert app.running
    assert app.errors == [], app.errors[0]
    assert {"title", "browser", "game", "debrief"} <= seen
    assert seen & {"role", "briefing"}, "random clicks also reach the role choice and the briefing"
