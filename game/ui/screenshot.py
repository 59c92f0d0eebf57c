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
    from game.ui.browser_scene import chronological
    from game.ui.screens import SCREENS, shot_setup
    from game.ui.settings import UiSettings

    known = SCREENS.get(screen)
    if known is None:
        return f"--screen: expected one of {', '.join(SCREENS)}, got '{screen}'"
    app = App(data_dir, size=size, settings=UiSettings(scale=scale, language=language), persist_settings=False)
    try:
        entry: CatalogEntry | None = None
        if scenario is not None:
            result = find_scenario(scenario, data_dir)
            if result.scenario is None:
                return "\n".join(d.format() for d in result.diagnostics)
            entry = CatalogEntry(result.path, result, True)
        elif known.needs_scenario:
            entries = [e for e in discover(data_dir) if e.result.scenario is not None]
            if not entries:
                return "no playable scenario found"
            entry = chronological(entries)[0]
        setup = shot_setup(entry, turns)
        if known.needs_scenario and setup.role is None:
            return "the scenario has no playable role"
        goto = known.sample(app, setup)
        if isinstance(goto, str):
            return goto
        app.go(goto).settle()
        app.run_frames(3)
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.window, str(out))
        return None
    finally:
        app.close()  # a screen that hosts a room stops its server
        pygame.quit()
