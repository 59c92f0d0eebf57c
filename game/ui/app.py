"""The game window: the frame loop, the current scene, settings, messages and crash protection.

`App.step()` runs exactly one frame (events → update → draw → flip); `run()` loops it at 60 fps and
tests drive it frame by frame with `run_frames(n)` after posting real pygame events. An exception
inside a frame is logged and shown as a message; the game goes on.

Set `ALLIANCE_DESK_EXIT_AFTER_FIRST_FRAME=1` to make the app print `first-frame <seconds>` (time
since the app module was imported) after drawing its first frame and exit: the UI benchmark uses
it to time `python main.py` to the first frame.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame
import pygame_gui

from game.engine import phase4_kernel
from game.play.opening import GameProblems, open_game, resume_game
from game.resources import user_data_dir
from game.ui.fonts import Fonts, forget_loaded_fonts
from game.ui.i18n import _, set_language
from game.ui.palette import Palette, palette_named
from game.ui.scene import GoTo, Scene
from game.ui.screens import scene_for
from game.ui.settings import UiSettings, load_settings, save_settings
from game.ui.theme import build_theme, font_preload_list

log = logging.getLogger(__name__)

IMPORTED_AT = time.perf_counter()
DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (1024, 600)
EXIT_AFTER_FIRST_FRAME = "ALLIANCE_DESK_EXIT_AFTER_FIRST_FRAME"


@dataclass
class Toast:
    """A short message at the bottom of the window."""

    text: str
    colour: tuple[int, int, int]
    until: float


class App:
    """The window and its frame loop."""

    def __init__(
        self,
        data_dir: Path,
        *,
        size: tuple[int, int] = DEFAULT_SIZE,
        settings: UiSettings | None = None,
        persist_settings: bool = True,
    ) -> None:
        pygame.display.init()
        pygame.font.init()
        forget_loaded_fonts()
        pygame.key.set_repeat(300, 40)
        self.data_dir = Path(data_dir)
        self.persist_settings = persist_settings
        self.settings = (settings or load_settings(self.data_dir)).checked()
        set_language(self.settings.language)
        pygame.display.set_caption(_("Alliance Desk"))
        self.window = pygame.display.set_mode(self._at_least_min(size), pygame.RESIZABLE)
        self._set_minimum_window_size()
        self.palette: Palette = palette_named(self.settings.palette)
        self.fonts = Fonts.at_scale(self.settings.scale)
        self.manager = self._new_manager()
        self.clock = pygame.time.Clock()
        self.running = True
        self.frames = 0
        self.errors: list[str] = []  # every exception caught in a frame (tests assert it stays empty)
        self.toasts: list[Toast] = []
        self._at_exit: list[Callable[[], None]] = []  # what the window's closing must stop (a hosted room's server)
        self.scene: Scene = self._title_scene()
        self.scene.build()

    # --- setup ----------------------------------------------------------------------------------

    @staticmethod
    def _at_least_min(size: tuple[int, int]) -> tuple[int, int]:
        return max(MIN_SIZE[0], int(size[0])), max(MIN_SIZE[1], int(size[1]))

    @staticmethod
    def _set_minimum_window_size() -> None:
        try:
            with warnings.catch_warnings():  # deprecated for rendering through Window; we only set a size
                warnings.simplefilter("ignore", DeprecationWarning)
                window = pygame.Window.from_display_module()
            window.minimum_size = MIN_SIZE
        except (AttributeError, pygame.error):  # an older pygame-ce: the resize handler enforces it
            pass

    def _new_manager(self) -> pygame_gui.UIManager:
        manager = pygame_gui.UIManager(
            self.layout_size,
            theme_path=build_theme(self.palette, self.settings.scale),
            enable_live_theme_updates=False,
            starting_language=self.settings.language,
        )
        manager.preload_fonts(font_preload_list(self.settings.scale))  # no warning on first bold text
        return manager

    def _title_scene(self) -> Scene:
        return scene_for(self, GoTo("title"))

    @property
    def layout_size(self) -> tuple[int, int]:
        """The size scenes lay out for: the window, but never below the minimum."""
        return self._at_least_min(self.window.get_size())

    # --- scenes and settings -------------------------------------------------------------------

    def switch(self, scene: Scene) -> None:
        """Leave the current scene and enter `scene`."""
        self.scene.leave()
        self.scene = scene
        scene.build()

    def go(self, goto: GoTo) -> Scene:
        """Switch to the screen a scene asked for (looked up in `game.ui.screens`); returns the new scene."""
        scene = scene_for(self, goto)
        self.switch(scene)
        return scene

    def apply_settings(self, settings: UiSettings) -> None:
        """Use new settings now (fonts, theme, language, palette) and remember them."""
        self.settings = settings.checked()
        set_language(self.settings.language)
        pygame.display.set_caption(_("Alliance Desk"))
        self.palette = palette_named(self.settings.palette)
        self.fonts = Fonts.at_scale(self.settings.scale)
        modal = self.scene.modal
        self.scene.modal = None
        if modal is not None:
            modal.clear()
        self.scene.clear()
        self.manager = self._new_manager()
        self.scene.build()
        if modal is not None:
            self.scene.open_modal(modal)
        if self.persist_settings:
            save_settings(self.data_dir, self.settings)

    def notify(self, text: str, *, kind: str = "info", seconds: float = 4.0) -> None:
        """Show a short message at the bottom of the window."""
        colour = {"info": self.palette.text, "warning": self.palette.warning, "error": self.palette.error}[kind]
        self.toasts.append(Toast(text, colour, time.monotonic() + seconds))
        del self.toasts[:-4]

    def request_quit(self) -> None:
        """Close the window at the end of this frame (after the scene saved what it must)."""
        self._safely(self.scene.on_close)
        self.running = False
        self.close()

    def on_exit(self, stop: Callable[[], None]) -> None:
        """Call `stop` when the game closes (a server the game started, say)."""
        self._at_exit.append(stop)

    def close(self) -> None:
        """Stop what the game started (each once, last first); the window's closing and screenshots call it."""
        while self._at_exit:
            self._safely(self._at_exit.pop())

    # --- the frame loop ----------------------------------------------------------------------------

    def step(self, dt: float | None = None) -> bool:
        """Run one frame; returns False once the app has been asked to quit."""
        if dt is None:
            dt = min(0.1, self.clock.tick() / 1000.0)
        for event in pygame.event.get():
            self._safely(lambda event=event: self._dispatch(event))
            if not self.running:
                return False
        self._safely(lambda: self._update(dt))
        self._safely(self._draw)
        pygame.display.flip()
        self.frames += 1
        if threading.active_count() > 1:
            # Leave the GIL to a worker (the advisors' forecast) for a moment every frame. Without this, a frame
            # loop that is mostly Python (an idle frame is one blit plus pygame_gui's bookkeeping) and runs
            # unpaced (tests, benchmarks, a slow machine that never waits in `clock.tick`) keeps the GIL while the
            # forecast, which releases it at every numpy call, waits up to the 5 ms switch interval each time to
            # get it back: a forecast then took seconds instead of a tenth of one. `sleep(0)` is not enough (the
            # main thread often takes the GIL straight back); a millisecond still allows hundreds of frames a second.
            time.sleep(0.001)
        return self.running

    def run_frames(self, count: int, dt: float = 1 / 60) -> None:
        """Run `count` frames as fast as possible (tests, screenshots, benchmarks)."""
        for _frame in range(count):
            if not self.step(dt):
                return

    def run(self) -> int:
        """Run until the window is closed; returns the process exit code."""
        exit_after_first = os.environ.get(EXIT_AFTER_FIRST_FRAME) == "1"
        if not exit_after_first:
            phase4_kernel.preload()  # numba, when installed, is imported while the title screen idles
        while self.running:
            self.step(min(0.1, self.clock.tick(60) / 1000.0))
            if exit_after_first:
                print(f"first-frame {time.perf_counter() - IMPORTED_AT:.3f}", flush=True)
                self.running = False
        self.close()
        pygame.quit()
        return 0

    def _safely(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except Exception:  # a bug in one frame must not take the player's game with it
            text = traceback.format_exc()
            log.error("unexpected error in a frame:\n%s", text)
            self.errors.append(text)
            self.notify(_("Something went wrong in this frame; the game goes on. Details are in the log."),
                        kind="error", seconds=6.0)

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.request_quit()
            return
        if event.type == pygame.VIDEORESIZE:
            self._resize(event.w, event.h)
            return
        consumed = self.manager.process_events(event)
        if consumed and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL):
            return  # a click on a widget is not also a click on the map beneath it
        outcome = self.scene.dispatch(event)
        if isinstance(outcome, GoTo):
            self.go(outcome)

    def _resize(self, width: int, height: int) -> None:
        wanted = self._at_least_min((width, height))
        if self.window.get_size() != wanted:
            self.window = pygame.display.set_mode(wanted, pygame.RESIZABLE)
        self.manager.set_window_resolution(self.layout_size)
        self.scene.rebuild()

    def _update(self, dt: float) -> None:
        self.manager.update(dt)
        outcome = self.scene.update(dt)
        if isinstance(outcome, GoTo):
            self.go(outcome)
        now = time.monotonic()
        if self.toasts and self.toasts[0].until < now:
            self.toasts = [t for t in self.toasts if t.until >= now]

    def _draw(self) -> None:
        surface = self.window
        if not self.scene.covers_window:
            surface.fill(self.palette.background)
        self.scene.draw(surface)
        self.manager.draw_ui(surface)
        self.scene.draw_over(surface)
        self._draw_toasts(surface)

    def _draw_toasts(self, surface: pygame.Surface) -> None:
        if not self.toasts:
            return
        font = self.fonts.body
        width, height = surface.get_size()
        y = height - self.fonts.body.get_linesize() * 2 - 8
        for toast in reversed(self.toasts):
            text = font.render(toast.text, True, toast.colour, None, width - 80)
            box = text.get_rect(midbottom=(width // 2, y)).inflate(24, 12)
            pygame.draw.rect(surface, self.palette.panel, box, border_radius=6)
            pygame.draw.rect(surface, toast.colour, box, 1, border_radius=6)
            surface.blit(text, text.get_rect(center=box.center))
            y = box.top - 6


def run_app(args: argparse.Namespace) -> int:
    """`python main.py`: the window opens on the title screen."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return App(user_data_dir(getattr(args, "data_dir", None))).run()


def run_play(args: argparse.Namespace) -> int:
    """`python main.py play SCENARIO [--role R] [--seed N] [--load SAVE]`: straight into a game. A problem
    (an unknown scenario or role, a broken save) is printed before any window opens; exit code 1."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data_dir = user_data_dir(getattr(args, "data_dir", None))
    if args.load is not None:
        opened = resume_game(Path(args.load), data_dir)
    else:
        opened = open_game(args.scenario, [args.role] if args.role else None, args.seed, data_dir)
    if isinstance(opened, GameProblems):
        print(opened.text(), file=sys.stderr)
        return 1
    app = App(data_dir)
    app.go(GoTo("debrief" if opened.session.is_over else "game", session=opened.session, role=opened.role))
    for warning in opened.warnings:
        app.notify(warning, kind="warning", seconds=6.0)
    return app.run()


def run_classroom(args: argparse.Namespace) -> int:
    """`python main.py classroom SCENARIO --seats ROLE,ROLE [--turn-minutes M] [--seed N]`: the classroom's setup
    screen filled in (team labels and the facilitator's PIN are set there). A problem (an unknown scenario or
    role, a role that is not playable, a bad time limit) is printed before any window opens; exit code 1."""
    from game.scenario.catalog import CatalogEntry, find_scenario

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data_dir = user_data_dir(getattr(args, "data_dir", None))
    result = find_scenario(str(args.scenario), data_dir)
    if result.scenario is None:
        print("\n".join(d.format() for d in result.diagnostics if d.severity == "error"), file=sys.stderr)
        return 1
    roles = [part.strip() for part in str(args.seats).split(",") if part.strip()]
    playable = list(result.scenario.playable_roles())
    problems = [f"classroom: '{role}' is not a playable role of {result.scenario.id} (the playable roles are "
                f"{', '.join(playable)})" for role in roles if role not in playable]
    if not roles:
        problems.append("classroom: --seats needs at least one role, ROLE[,ROLE...]")
    if len(set(roles)) != len(roles):
        problems.append("classroom: a role can have only one seat")
    if args.turn_minutes is not None and not args.turn_minutes > 0:
        problems.append("classroom: --turn-minutes must be more than 0")
    if args.seed is not None and args.seed < 0:
        problems.append("classroom: --seed must be 0 or more")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    app = App(data_dir)
    app.go(GoTo("classroom_setup", entry=CatalogEntry(result.path, result, True), roles=roles,
                turn_minutes=args.turn_minutes, seed=args.seed))
    return app.run()
