"""A scripted hot-seat lesson in the real window (SDL dummy driver), keyboard only, on a fake clock: the title
screen's Classroom, the setup (PIN typed in), the projector, each seat's privacy screen (Space held), private
briefing and game screen with Ready; a turn whose time runs out, an inject and an adjustment with its reason
from the facilitator's console behind the PIN; every turn to the end of the game; then the debrief pack
exported from the console."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from game.play.commands import Adjust, Inject, Timeout
from game.play.room import Room
from game.ui import facilitator_scene
from game.ui.app import App
from game.ui.classroom_scene import ClassroomScene
from game.ui.classroom_setup_scene import ClassroomSetupScene
from game.ui.scene import GoTo
from game.ui.seat_scenes import SeatGameScene
from tests.fake_time import FakeTime
from tests.ui.ui_driver import focus_to, press

pytestmark = pytest.mark.slow  # whole lessons in the window

SCENARIO = "san_francisco_1951"  # nine turns, two seats, two injectable events
PIN = "2468"
REASON = "the class asked what a calmer front would do"


def type_text(app: App, text: str) -> None:
    """As SDL sends typing: a key press with its character, then the text (TEXTINPUT, as an input method does)."""
    for char in text:
        key = ord(char.lower()) if char.isascii() else 0
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=char, scancode=0))
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
    app.run_frames(2)


def hold_space(app: App) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=0))
    app.run_frames(70)
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=0))
    app.run_frames(2)


def room_of(app: App) -> Room:
    scene = app.scene
    lesson = getattr(scene, "lesson", None)
    assert lesson is not None, f"{scene.name} is not a classroom screen"
    return lesson.room  # type: ignore[no-any-return]


def play_seat(app: App) -> None:
    """From a privacy screen: hold Space, read the briefing the first time, answer every open decision
    with its first option (keys 1), and press Ready (E)."""
    assert app.scene.name == "handoff"
    hold_space(app)
    if app.scene.name == "seat_briefing":
        press(app, pygame.K_RETURN)
    scene = app.scene
    assert isinstance(scene, SeatGameScene)
    for _attempt in range(8):
        if not scene.undecided():
            break
        press(app, pygame.K_1)
    press(app, pygame.K_e, frames=3)
    assert app.scene is not scene, "Ready handed the machine on"


def open_console(app: App) -> None:
    press(app, pygame.K_f)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    assert app.scene.name == "facilitator"


@pytest.mark.slow
def test_a_two_seat_lesson_from_the_title_screen_to_the_debrief_pack(
        app: App, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeTime(1000.0)
    monkeypatch.setattr(ClassroomSetupScene, "time_source", staticmethod(clock))
    monkeypatch.setattr(facilitator_scene, "PACK_WORLDS", 16)
    from game.scenario.catalog import CatalogEntry, find_scenario

    result = find_scenario(SCENARIO, data_dir)
    assert result.scenario is not None
    # the title screen's Classroom opens the setup (the whole catalogue); choose the scenario there
    focus_to(app, "Classroom")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "classroom_setup"
    app.go(GoTo("classroom_setup", entry=CatalogEntry(result.path, result, True), seed=11))
    focus_to(app, "start")
    press(app, pygame.K_RETURN)
    assert app.scene.modal is not None, "no PIN yet: the lesson does not start"
    press(app, pygame.K_ESCAPE)
    focus_to(app, "team-us_president")
    for _char in "Team B":
        press(app, pygame.K_BACKSPACE, frames=1)
    type_text(app, "Washington")
    focus_to(app, "pin")
    type_text(app, PIN)
    focus_to(app, "start")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "projector", app.scene.name
    room = room_of(app)
    assert [seat.team for seat in room.seats] == ["Team A", "Washington"]
    assert room.clock.limit_seconds == 60.0 * result.scenario.classroom.minutes_per_turn  # type: ignore[union-attr]
    assert room.session.seed == 11

    # the public briefing is read with the clock stopped; it starts when the machine goes to the first seat
    clock.now += 3600
    app.run_frames(2)
    assert app.scene.name == "projector" and room.clock.remaining() == room.clock.limit_seconds

    # turn 1: the first seat plays; the second runs out of time
    press(app, pygame.K_RETURN)
    assert not room.clock.paused
    play_seat(app)
    assert app.scene.name == "handoff"
    clock.now += room.clock.limit_seconds + 1  # type: ignore[operator]
    app.run_frames(2)
    assert app.scene.name == "turn_summary"
    summary = app.scene
    assert isinstance(summary, ClassroomScene)
    assert any("time ran out" in text for text in summary.shown_texts())
    assert len([c for c in room.session.commands if isinstance(c, Timeout)]) == 1
    assert room.clock.paused, "the class reads the summary with the clock stopped"

    # turn 2: control brings in an event and adjusts a variable, with its reason
    open_console(app)
    event = room.injectable_events()[0]
    focus_to(app, f"inject-{event}")
    press(app, pygame.K_RETURN)
    focus_to(app, "adjust-value")
    type_text(app, "40")
    focus_to(app, "adjust")
    press(app, pygame.K_RETURN)
    assert not any(isinstance(c, Adjust) for c in room.session.commands), "no reason: no adjustment"
    focus_to(app, "adjust-reason")
    type_text(app, REASON)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="（授業）"))  # an input method's Japanese
    press(app, pygame.K_RETURN)
    adjustments = [c for c in room.session.commands if isinstance(c, Adjust)]
    assert len(adjustments) == 1 and adjustments[0].reason == REASON + "（授業）" and adjustments[0].value == 40
    assert [c.event for c in room.session.commands if isinstance(c, Inject)] == [event]
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "projector"
    projector = app.scene
    assert isinstance(projector, ClassroomScene)
    app.run_frames(2)
    assert any(REASON in text for text in projector.shown_texts()), "control's reason is in the public news"

    # every turn to the end of the game
    press(app, pygame.K_RETURN)
    for _turn in range(room.session.compiled.turns + 2):
        if room.session.is_over:
            break
        while app.scene.name == "handoff":
            play_seat(app)
        assert app.scene.name == "turn_summary", app.scene.name
        press(app, pygame.K_RETURN)
    assert room.session.is_over
    assert app.scene.name == "projector"
    app.run_frames(2)
    assert any("The game is over" in text for text in app.scene.shown_texts())  # type: ignore[attr-defined]

    # the pack, from the console
    open_console(app)
    focus_to(app, "export")
    press(app, pygame.K_RETURN)
    console = app.scene
    assert isinstance(console, facilitator_scene.FacilitatorScene)
    for _frame in range(3000):  # the pack is written in a worker thread while the window draws
        if console.exporting is None:
            break
        app.run_frames(1)
    assert console.last_pack is not None
    assert {p.name for p in console.last_pack.iterdir()} >= {"index.html", "decisions.csv", "history.csv",
                                                           "commands.json", "room.json"}
    page = (console.last_pack / "index.html").read_text(encoding="utf-8")
    assert REASON in page and "Washington" in page
    commands = json.loads((console.last_pack / "commands.json").read_text(encoding="utf-8"))
    assert "timeout" in json.dumps(commands)
    assert any(entry.kind == "export" for entry in room.log)
    assert not app.errors


def test_the_console_opens_only_with_the_pin(app: App, data_dir: Path) -> None:
    from game.scenario.catalog import CatalogEntry, find_scenario
    from game.ui.screens import SCREENS, shot_setup

    result = find_scenario(SCENARIO, data_dir)
    goto = SCREENS["projector"].sample(app, shot_setup(CatalogEntry(result.path, result, True), 0))
    assert isinstance(goto, GoTo)
    app.go(goto)
    press(app, pygame.K_f)
    type_text(app, "9999")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "projector" and app.scene.modal is not None
    type_text(app, "1234")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "facilitator"
    assert not app.errors


def test_a_seats_menu_offers_no_way_out_of_the_room(app: App, data_dir: Path) -> None:
    from game.scenario.catalog import CatalogEntry, find_scenario
    from game.ui.screens import SCREENS, shot_setup

    result = find_scenario(SCENARIO, data_dir)
    goto = SCREENS["seat"].sample(app, shot_setup(CatalogEntry(result.path, result, True), 1))
    assert isinstance(goto, GoTo)
    app.go(goto)
    press(app, pygame.K_ESCAPE)
    modal = app.scene.modal
    assert modal is not None
    names = {item.name for item in modal.focus.items}
    assert "Settings" in names and not names & {"load", "quit", "save"}
    press(app, pygame.K_ESCAPE)
    assert app.scene.modal is None and app.scene.name == "seat"
    assert not app.errors


def test_the_console_rewinds_with_a_reason_and_reveals_a_briefing_into_the_log(app: App, data_dir: Path) -> None:
    from game.scenario.catalog import CatalogEntry, find_scenario
    from game.ui.screens import SCREENS, shot_setup

    result = find_scenario(SCENARIO, data_dir)
    goto = SCREENS["facilitator"].sample(app, shot_setup(CatalogEntry(result.path, result, True), 2))
    assert isinstance(goto, GoTo)
    app.go(goto)
    room = room_of(app)
    assert room.session.turn == 2
    focus_to(app, "rewind")
    press(app, pygame.K_RETURN)
    assert not room.branches, "no reason: no rewind"
    focus_to(app, "rewind-turn")
    press(app, pygame.K_RETURN)  # turn 1 → turn 2
    focus_to(app, "rewind-reason")
    type_text(app, "try the other answer")
    press(app, pygame.K_RETURN)
    assert [(b.from_turn, b.reason) for b in room.branches] == [(1, "try the other answer")]
    assert room_of(app).session.turn == 1
    seat = room.seats[1]
    focus_to(app, f"reveal-{seat.role}")
    press(app, pygame.K_RETURN)
    assert app.scene.modal is not None
    private = room.seat_view(seat.role, "en").private_briefing
    assert private and private in app.scene.modal.lines  # type: ignore[attr-defined]
    assert [(e.kind, e.role) for e in room.log if e.kind == "reveal"] == [("reveal", seat.role)]
    assert not app.errors
