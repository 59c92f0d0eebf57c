"""The table of screens: every scene class by name, and how `screenshot --screen NAME` opens each one.

Scenes say where to go with a `GoTo("name", ...)`; the app looks the name up here. This module is the
only one that imports every scene, so scenes never import each other and `game/ui` has no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.play.commands import Choose
from game.play.decisions import historical_choice
from game.play.opening import GameProblems, auto_play, first_playable_role, open_game
from game.play.room import Room, Seat, open_room
from game.scenario.catalog import CatalogEntry
from game.ui.briefing_scene import BriefingScene
from game.ui.browser_scene import BrowserScene
from game.ui.classroom_setup_scene import ClassroomSetupScene
from game.ui.debrief_scene import DebriefScene
from game.ui.facilitator_scene import FacilitatorScene
from game.ui.game_scene import GameScene
from game.ui.handoff_scene import HandoffScene
from game.ui.lesson import Lesson
from game.ui.projector_scene import ProjectorScene
from game.ui.role_scene import RoleScene
from game.ui.room_codes_scene import RoomCodesScene
from game.ui.scene import GoTo, Scene
from game.ui.seat_scenes import SeatBriefingScene, SeatGameScene
from game.ui.title_scene import TitleScene
from game.ui.turn_summary_scene import TurnSummaryScene

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


SCREENSHOT_PIN = "1234"


def sample_lesson(app: App, setup: ShotSetup, turns: int) -> Lesson | str:
    """A lesson of the first two playable roles (Team A, Team B) on a five-minute clock, `turns` turns in,
    every seat taking the historical choice (through the room, as the seats would)."""
    assert setup.entry is not None and setup.entry.result.scenario is not None
    roles = list(setup.entry.result.scenario.playable_roles())[:2]
    seats = [Seat(role, f"Team {letter}") for role, letter in zip(roles, "AB", strict=False)]
    room = open_room(setup.entry.path, seats, seed=SCREENSHOT_SEED, turn_limit=300.0, data_dir=app.data_dir)
    if isinstance(room, GameProblems):
        return room.text()
    for _turn in range(turns):
        play_historical_turn(room)
    return Lesson(room, SCREENSHOT_PIN)


def play_historical_turn(room: Room) -> None:
    """Every seat takes the historical (else the default) choice of its open decisions, then is ready."""
    for seat in room.seats:
        if room.session.is_over:
            return
        for pending in room.session.pending_decisions(seat.role):
            if pending.awaits_choice:
                known = historical_choice(room.session.scenario, pending.event_id)
                choice = known if known in pending.available else pending.default_choice
                room.apply(Choose(seat.role, pending.event_id, choice))
        room.ready(seat.role)


def _lesson_screen(screen: str, *, turns: int | None = None, with_role: bool = False,
                   with_turn: bool = False) -> Callable[[App, ShotSetup], GoTo | str]:
    def sample(app: App, setup: ShotSetup) -> GoTo | str:
        lesson = sample_lesson(app, setup, setup.turns if turns is None else turns)
        if isinstance(lesson, str):
            return lesson
        args: dict[str, object] = {"lesson": lesson}
        if with_role:
            args["role"] = lesson.room.seats[0].role
        if with_turn:
            args["turn"] = max(0, lesson.room.session.turn - 1)
        return GoTo(screen, **args)

    return sample


def _room_codes(app: App, setup: ShotSetup) -> GoTo | str:
    """The sample lesson hosted on this computer only, on any free port (the app's closing stops it)."""
    from game.ui.hosted_room import ONLY_THIS_COMPUTER, HostedRoom
    from game.ui.i18n import current_language

    lesson = sample_lesson(app, setup, 0)
    if isinstance(lesson, str):
        return lesson
    lesson.hosted = HostedRoom.start(lesson.room, bind=ONLY_THIS_COMPUTER, port=0, data_dir=app.data_dir,
                                     language=current_language())
    app.on_exit(lesson.hosted.stop)
    return GoTo("room_codes", lesson=lesson)


def _classroom_setup(app: App, setup: ShotSetup) -> GoTo | str:
    return GoTo("classroom_setup", entry=setup.entry, pin=SCREENSHOT_PIN)


SCREENS: dict[str, Screen] = {
    "title": Screen(TitleScene, _title, needs_scenario=False),
    "browser": Screen(BrowserScene, _browser, needs_scenario=False),
    "role": Screen(RoleScene, _role),
    "briefing": Screen(BriefingScene, _briefing),
    "game": Screen(GameScene, _game),
    "debrief": Screen(DebriefScene, _debrief),
    "classroom_setup": Screen(ClassroomSetupScene, _classroom_setup),
    "room_codes": Screen(RoomCodesScene, _room_codes),
    "projector": Screen(ProjectorScene, _lesson_screen("projector", turns=0)),
    "handoff": Screen(HandoffScene, _lesson_screen("handoff", with_role=True)),
    "seat_briefing": Screen(SeatBriefingScene, _lesson_screen("seat_briefing", turns=0, with_role=True)),
    "seat": Screen(SeatGameScene, _lesson_screen("seat", with_role=True)),
    "turn_summary": Screen(TurnSummaryScene, _lesson_screen("turn_summary", with_turn=True)),
    "facilitator": Screen(FacilitatorScene, _lesson_screen("facilitator")),
}


def scene_for(app: App, goto: GoTo) -> Scene:
    """The scene a GoTo names, built for `app`; KeyError for a name the table does not have."""
    return SCREENS[goto.screen].scene(app, **goto.args)


def shot_setup(entry: CatalogEntry | None, turns: int) -> ShotSetup:
    """The setup for screenshots of `entry` (its first playable role)."""
    scenario = entry.result.scenario if entry is not None else None
    return ShotSetup(entry, first_playable_role(scenario) if scenario is not None else None, turns)
