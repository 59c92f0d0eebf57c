"""`python main.py screenshot --scenario S --screen NAME --out FILE.png`: render one screen headless.

The game and debrief screens first play a few turns automatically (the historical choices where
the scenario records them), so the picture has history, news and advice in it. User data goes to
a temporary folder unless `--data-dir` is given, so a screenshot never touches the player's saves.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SCREENS = ("title", "browser", "briefing", "game", "debrief")


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' → (1280, 720); raises ValueError with a readable message."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size: expected WIDTHxHEIGHT such as 1280x720, got '{text}'") from None
    if width < 1 or height < 1:
        raise ValueError(f"--size: expected a positive size, got '{text}'")
    return width, height


def run_screenshot(args: argparse.Namespace) -> int:
    """Render `args.screen` of `args.scenario` to `args.out`; exit code 0, or 1 with a message on stderr."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    try:
        size = parse_size(args.size)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    if args.screen not in SCREENS:
        print(f"--screen: expected one of {', '.join(SCREENS)}, got '{args.screen}'", file=sys.stderr)
        return 1
    from game.output_file import output_problem

    unwritable = output_problem(Path(args.out))
    if unwritable is not None:
        print(f"--out: {unwritable}", file=sys.stderr)
        return 2
    data_dir = getattr(args, "data_dir", None)
    with tempfile.TemporaryDirectory(prefix="alliance-desk-shot-") as temp:
        problem = render_screen(
            args.screen, Path(args.out), scenario=args.scenario, size=size,
            scale=float(args.scale), language=args.lang, data_dir=Path(data_dir) if data_dir else Path(temp),
        )
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


def render_screen(screen: str, out: Path, *, scenario: str | None, size: tuple[int, int], scale: float,
                  language: str, data_dir: Path, turns: int = 3) -> str | None:
    """Open the app on `screen`, let it draw, save the window to `out`; returns a problem message or None."""
    import pygame

    from game.scenario.catalog import CatalogEntry, discover, find_scenario
    from game.ui.app import App
    from game.ui.settings import UiSettings

    app = App(data_dir, size=size, settings=UiSettings(scale=scale, language=language), persist_settings=False)
    try:
        if screen != "title":
            if scenario is None:
                entries = [e for e in discover(data_dir) if e.result.scenario is not None]
                if not entries:
                    return "no playable scenario found"
                from game.ui.browser_scene import chronological

                entry = chronological(entries)[0]
            else:
                result = find_scenario(scenario, data_dir)
                if result.scenario is None:
                    return "\n".join(d.format() for d in result.diagnostics)
                entry = CatalogEntry(result.path, result, True)
            problem = _open(app, screen, entry, turns)
            if problem is not None:
                return problem
        app.run_frames(3)
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.window, str(out))
        return None
    finally:
        pygame.quit()


def _open(app: object, screen: str, entry: object, turns: int) -> str | None:
    from game.play.session import Session
    from game.ui.briefing_scene import BriefingScene
    from game.ui.browser_scene import BrowserScene
    from game.ui.debrief_scene import DebriefScene
    from game.ui.game_launch import auto_play, first_playable_role
    from game.ui.game_scene import GameScene

    scenario = entry.result.scenario  # type: ignore[attr-defined]
    role = first_playable_role(scenario)
    if role is None:
        return "the scenario has no playable role"
    if screen == "browser":
        browser = BrowserScene(app)
        for index, listed in enumerate(browser.entries):
            if listed.path == entry.path:  # type: ignore[attr-defined]
                browser.selected = index
        app.switch(browser)  # type: ignore[attr-defined]
        return None
    if screen == "briefing":
        app.switch(BriefingScene(app, entry, role))  # type: ignore[attr-defined, arg-type]
        return None
    session = Session.start(entry.result, role, 7, scenario_path=str(entry.path))  # type: ignore[attr-defined]
    if screen == "game":
        auto_play(session, role, turns)
        game = GameScene(app, session, role)
        app.switch(game)  # type: ignore[attr-defined]
        game.wait_for_advisors()
        game.rebuild()
        return None
    auto_play(session, role, session.compiled.turns + 1)
    app.switch(DebriefScene(app, session, role))  # type: ignore[attr-defined]
    return None
