"""The table of screens: every scene class by name, and how `screenshot --screen NAME` opens each one.

Scenes say where to go with a `GoTo("name", ...)`; the app looks the name up here. This module is the
only one that imports every scene, so scenes never import each other and `game/ui` has no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.play.opening import GameProblems, auto_play, first_playable_role, open_game
from game.scenario.catalog import CatalogEntry
from game.ui.briefing_scene import BriefingScene
from game.ui.browser_scene import BrowserScene
from game.ui.debrief_scene import DebriefScene
from game.ui.game_scene import GameScene
from game.ui.role_scene import RoleScene
from game.ui.scene import GoTo, Scene
from game.ui.title_scene import TitleScene

if TYPE_CHECKING:
    from game.ui.app import App

SCREENSHOT_SEED = 7


@dataclass(frozen=True)
class ShotSetup:
    """What a screenshot of a screen starts from: the scenario (None for the title screen), the role
    (the first playable one) and how many turns to play first."""

    entry: CatalogEntry | None
    role: str | None
    turns: int


@dataclass(frozen=True)
class Screen:
    """One screen: its scene class and how a screenshot opens it (a GoTo, or a problem message)."""

    scene: type[Scene]
    sample: Callable[[App, ShotSetup], GoTo | str]
    needs_scenario: bool = True


def _title(app: App, setup: ShotSetup) -> GoTo | str:
    return GoTo("title")


def _browser(app: App, setup: ShotSetup) -> GoTo | str:
    path = setup.entry.path if setup.entry is not None else None
    return GoTo("browser", select=path)


def _role(app: App, setup: ShotSetup) -> GoTo | str:
    assert setup.entry is not None
    return GoTo("role", entry=setup.entry)


def _briefing(app: App, setup: ShotSetup) -> GoTo | str:
    assert setup.entry is not None and setup.role is not None
    return GoTo("briefing", entry=setup.entry, role=setup.role)


def _played(setup: ShotSetup, app: App, turns: int, screen: str) -> GoTo | str:
    assert setup.entry is not None and setup.role is not None
    opened = open_game(setup.entry.result, [setup.role], SCREENSHOT_SEED, app.data_dir)
    if isinstance(opened, GameProblems):
        return opened.text()
    auto_play(opened.session, setup.role, turns)
    return GoTo(screen, session=opened.session, role=setup.role)


def _game(app: App, setup: ShotSetup) -> GoTo | str:
    return _played(setup, app, setup.turns, "game")


def _debrief(app: App, setup: ShotSetup) -> GoTo | str:
    assert setup.entry is not None and setup.entry.result.scenario is not None
    return _played(setup, app, setup.entry.result.scenario.calendar.turns + 1, "debrief")


SCREENS: dict[str, Screen] = {
    "title": Screen(TitleScene, _title, needs_scenario=False),
    "browser": Screen(BrowserScene, _browser, needs_scenario=False),
    "role": Screen(RoleScene, _role),
    "briefing": Screen(BriefingScene, _briefing),
    "game": Screen(GameScene, _game),
    "debrief": Screen(DebriefScene, _debrief),
}


def scene_for(app: App, goto: GoTo) -> Scene:
    """The scene a GoTo names, built for `app`; KeyError for a name the table does not have."""
    return SCREENS[goto.screen].scene(app, **goto.args)


def shot_setup(entry: CatalogEntry | None, turns: int) -> ShotSetup:
    """The setup for screenshots of `entry` (its first playable role)."""
    scenario = entry.result.scenario if entry is not None else None
    return ShotSetup(entry, first_playable_role(scenario) if scenario is not None else None, turns)
