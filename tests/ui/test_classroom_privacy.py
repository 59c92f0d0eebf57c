"""The public classroom screens never draw a seat's private text: the privacy screen shows nothing of the game,
and the projector and the turn summary show the public record only — for the seats of every shipped scenario.

Each screen is drawn in the real window and `shown_texts()` (every text the screen put on it: drawn lines,
fields, button labels) is checked against each seat's private briefing, its advisors and its open decisions.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.play.opening import GameProblems
from game.play.room import Room, Seat, open_room
from game.resources import scenarios_dir
from game.scenario.models import localized
from game.ui.app import App
from game.ui.classroom_scene import ClassroomScene
from game.ui.lesson import Lesson
from game.ui.scene import GoTo
from game.ui.screens import play_historical_turn
from tests.fake_time import FakeTime
from tests.ui.ui_driver import press

pytestmark = pytest.mark.slow  # every shipped scenario seated and played in the window

SHIPPED = sorted(p.name for p in scenarios_dir().glob("*.yaml"))  # every shipped scenario file


def private_texts(room: Room, language: str = "en") -> list[str]:
    """Every seat's private briefing, advisors' names and open decisions (prompt and long option labels)."""
    found: list[str] = []
    scenario = room.session.scenario
    for seat in room.seats:
        view = room.seat_view(seat.role, language)
        if view.private_briefing:
            found.append(view.private_briefing)
        found += [localized(a.name, language) for a in scenario.roles[seat.role].advisors]
        for pending in view.decisions:
            if pending.awaits_choice:
                found.append(pending.info.text)
                found += [c.label for c in pending.info.choices if len(c.label) >= 25]
    return [text for text in found if text.strip()]


def shown(app: App, goto: GoTo) -> list[str]:
    scene = app.go(goto)
    app.run_frames(2)
    assert isinstance(scene, ClassroomScene)
    assert app.scene is scene, "the screen stayed (no clock ran out)"
    return scene.shown_texts()


def assert_no_leak(texts: list[str], secrets: list[str], where: str) -> None:
    for secret in secrets:
        leaked = [text for text in texts if secret in text or (len(text) > 40 and text in secret)]
        assert not leaked, f"{where} shows private text: {secret[:60]!r}"


def seats_of(scenario_id: str, data_dir: Path) -> tuple[Room, FakeTime]:
    from game.scenario.catalog import find_scenario

    path = scenarios_dir() / scenario_id
    result = find_scenario(str(path) if path.exists() else scenario_id, data_dir)
    assert result.scenario is not None
    roles = list(result.scenario.playable_roles())
    clock = FakeTime(1000.0)
    room = open_room(result.path, [Seat(role, f"Team {n + 1}") for n, role in enumerate(roles)], seed=3,
                     turn_limit=300.0, data_dir=data_dir, now=clock)
    assert not isinstance(room, GameProblems), room
    return room, clock


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_public_screens_never_show_a_seats_private_text(scenario_id: str, app: App, data_dir: Path) -> None:
    room, _clock = seats_of(scenario_id, data_dir)
    lesson = Lesson(room, "1234")
    for turn in range(2):
        secrets = private_texts(room)
        assert secrets, "the check has something to look for"
        projector = shown(app, GoTo("projector", lesson=lesson))
        assert projector, "the projector shows something"
        assert_no_leak(projector, secrets, f"the projector (turn {turn + 1})")
        for seat in room.seats:
            handoff = shown(app, GoTo("handoff", lesson=lesson, role=seat.role))
            assert_no_leak(handoff, secrets, "the privacy screen")
            briefing = room.seat_view(seat.role, "en").public_briefing
            assert not any(briefing and briefing in text for text in handoff), "the privacy screen shows no briefing"
            assert any(seat.team in text for text in handoff), "it says whose turn it is"
        play_historical_turn(room)
        if room.session.is_over:
            break
        summary = shown(app, GoTo("turn_summary", lesson=lesson, turn=room.session.turn - 1))
        assert_no_leak(summary, private_texts(room), f"the turn summary (turn {turn + 1})")
    assert not app.errors


def test_the_check_finds_private_text_where_it_is_shown(app: App, data_dir: Path) -> None:
    room, _clock = seats_of("okinawa_1995", data_dir)
    lesson = Lesson(room, "1234")
    texts = shown(app, GoTo("seat_briefing", lesson=lesson, role=room.seats[0].role))
    with pytest.raises(AssertionError, match="private text"):
        assert_no_leak(texts, private_texts(room), "the seat's own briefing")


def test_the_projector_in_japanese_shows_no_private_text(app: App, data_dir: Path) -> None:
    from game.ui.settings import UiSettings

    app.apply_settings(UiSettings(language="ja"))
    room, _clock = seats_of("okinawa_1995", data_dir)
    lesson = Lesson(room, "1234")
    texts = shown(app, GoTo("projector", lesson=lesson))
    assert_no_leak(texts, private_texts(room, "ja"), "the projector (ja)")
    assert any("沖縄" in text for text in texts), "the projector speaks Japanese"


def test_a_stray_space_on_the_privacy_screen_reveals_nothing_and_holding_it_goes_on(app: App, data_dir: Path) -> None:
    room, _clock = seats_of("okinawa_1995", data_dir)
    lesson = Lesson(room, "1234")
    first = room.seats[0].role
    app.go(GoTo("handoff", lesson=lesson, role=first))
    press(app, pygame.K_SPACE, frames=3)  # a tap: down and up at once
    app.run_frames(90)
    assert app.scene.name == "handoff"
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=0))
    app.run_frames(20)  # a third of a second: not yet
    assert app.scene.name == "handoff"
    app.run_frames(50)
    assert app.scene.name == "seat_briefing"
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=0))
    app.run_frames(2)
    assert not app.errors
