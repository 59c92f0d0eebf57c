"""The game hosts a room for browsers: the real window (SDL dummy driver), the real setup screen, the real server
(`RoomHost` + `ServerThread`, on 127.0.0.1, any free port) and real WebSocket clients (the `websockets` package).

- the codes screen shows the codes that actually admit a seat (and a wrong one admits nothing);
- a `ready` from each seat's browser resolves the turn, and the projector screen then shows the new turn;
- the facilitator console's pause reaches the connected browsers;
- quitting the game stops the server: no thread of it is left, nothing listens, the room's autosave stays.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pygame
import pytest
from websockets.sync.client import ClientConnection, connect

from game.scenario.catalog import CatalogEntry, find_scenario
from game.ui.app import App
from game.ui.classroom_setup_scene import ClassroomSetupScene
from game.ui.hosted_room import ONLY_THIS_COMPUTER, SCHOOL_NETWORK, HostedRoom
from game.ui.room_codes_scene import RoomCodesScene
from game.ui.scene import GoTo
from tests.ui.test_classroom_lesson import type_text
from tests.ui.ui_driver import focus_to, press

SCENARIO = "san_francisco_1951"  # two playable roles
PIN = "2468"
WAIT_SECONDS = 10.0

# Whole windows with a real server and real sockets (about 11 s together): the full run, not the fast loop.
pytestmark = pytest.mark.slow


@dataclass
class Hosted:
    app: App
    hosted: HostedRoom
    threads_before: set[threading.Thread]
    sockets: ExitStack  # the browsers' connections, closed after the test

    def join(self, code: str) -> tuple[ClientConnection, dict[str, Any]]:
        """A browser's first frame with `code`; returns the connection and the server's first answer."""
        url, origin = ws_url(self.hosted)
        socket = self.sockets.enter_context(connect(url, origin=origin, open_timeout=WAIT_SECONDS))  # type: ignore[arg-type]
        socket.send(json.dumps({"type": "hello", "room": self.hosted.room_code, "code": code, "language": "en"}))
        return socket, json.loads(socket.recv(timeout=WAIT_SECONDS))


def server_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]


def set_up(app: App, *, school_network: bool = False) -> RoomCodesScene:
    """The setup screen filled in, "Students join from browsers" ticked (this computer only unless
    `school_network`), Start: the codes screen of a hosted room."""
    result = find_scenario(SCENARIO, app.data_dir)
    assert result.scenario is not None
    setup = app.go(GoTo("classroom_setup", entry=CatalogEntry(result.path, result, True)))
    assert isinstance(setup, ClassroomSetupScene) and not setup.browsers, "one machine unless the teacher asks"
    app.run_frames(2)
    focus_to(app, "pin")
    type_text(app, PIN)
    focus_to(app, "browsers")
    press(app, pygame.K_RETURN)
    assert setup.browsers and setup.bind == ONLY_THIS_COMPUTER
    if school_network:
        focus_to(app, "network")
        press(app, pygame.K_RETURN)
        assert setup.bind == SCHOOL_NETWORK
    focus_to(app, "start")
    press(app, pygame.K_RETURN, frames=4)
    scene = app.scene
    assert isinstance(scene, RoomCodesScene), scene.name
    return scene


@pytest.fixture
def hosted(app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hosted]:
    monkeypatch.setattr(ClassroomSetupScene, "port", 0)
    before = set(threading.enumerate())
    scene = set_up(app)
    with ExitStack() as sockets:
        yield Hosted(app, scene.hosted, before, sockets)
    app.close()


def ws_url(hosted: HostedRoom) -> tuple[str, str]:
    base = hosted.base_url.rstrip("/")
    return base.replace("http://", "ws://", 1) + "/ws", base


def receive_until(socket: ClientConnection, wanted: Any, app: App | None = None) -> dict[str, Any]:
    """The first message `wanted(message)` accepts (the window keeps running frames meanwhile)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if app is not None:
            app.run_frames(1)
        try:
            message = json.loads(socket.recv(timeout=0.05))
        except TimeoutError:
            continue
        if wanted(message):
            return message  # type: ignore[no-any-return]
    raise AssertionError("the message never came")


def frames_until(app: App, done: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        app.run_frames(1)
        if done():
            return
    raise AssertionError("the window never showed it")


def test_the_codes_screen_shows_the_codes_that_admit_each_seat(hosted: Hosted) -> None:
    app, room = hosted.app, hosted.hosted
    app.run_frames(3)
    shown = " ".join(app.scene.shown_texts())  # type: ignore[attr-defined]
    assert room.join in shown and room.room_code in shown
    seats = room.seat_codes()
    assert len(seats) == 2
    for seat in seats:
        assert seat.code in shown
        _socket, welcome = hosted.join(seat.code)
        assert welcome["type"] == "welcome" and welcome["kind"] == "seat" and welcome["role"] == seat.role
    _socket, refused = hosted.join("2222-2222")
    assert refused["type"] == "rejected" and refused["id"] is None
    # the screen counts the devices joined per seat
    frames_until(app, lambda: " ".join(app.scene.shown_texts()).count("1 connected") == 2)  # type: ignore[attr-defined]
    assert room.state.paused, "the clock waits for the start of the lesson"
    assert app.errors == []


def test_a_ready_from_each_browser_resolves_the_turn_the_projector_shows(hosted: Hosted) -> None:
    app, room = hosted.app, hosted.hosted
    joined = [(seat, *hosted.join(seat.code)) for seat in room.seat_codes()]  # before the room locks at the start
    assert all(welcome["type"] == "welcome" for _seat, _socket, welcome in joined)
    press(app, pygame.K_RETURN, frames=3)  # Start the lesson (the focused button)
    assert app.scene.name == "projector"
    frames_until(app, lambda: not room.state.paused)  # the first turn's time runs from the start
    assert any("Turn 1 of" in text for text in app.scene.shown_texts())  # type: ignore[attr-defined]
    for n, (_seat, socket, _welcome) in enumerate(joined):
        public = receive_until(socket, lambda m: m["type"] == "public", app)
        socket.send(json.dumps({"type": "ready", "id": n + 1, "turn": public["turn"]}))
        receive_until(socket, lambda m, n=n: m["type"] == "ack" and m["id"] == n + 1, app)
    frames_until(app, lambda: any("Turn 2 of" in text for text in app.scene.shown_texts()))  # type: ignore[attr-defined]
    assert app.scene.name == "projector" and app.errors == []


def test_the_consoles_pause_reaches_the_browsers(hosted: Hosted) -> None:
    app, room = hosted.app, hosted.hosted
    seat = room.seat_codes()[0]
    socket, _welcome = hosted.join(seat.code)
    press(app, pygame.K_RETURN, frames=3)  # Start the lesson
    receive_until(socket, lambda m: m["type"] == "public", app)
    press(app, pygame.K_f)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    assert app.scene.name == "facilitator"
    frames_until(app, lambda: f"{seat.team}: 1 connected" in " ".join(app.scene.shown_texts()))  # type: ignore[attr-defined]
    focus_to(app, "pause")
    press(app, pygame.K_RETURN)
    paused = receive_until(socket, lambda m: (m["type"] == "clock" and m["paused"])
                           or (m["type"] == "public" and m["clock"]["paused"]), app)
    assert paused
    assert app.errors == []


def test_quitting_the_game_stops_the_server(hosted: Hosted) -> None:
    app, room = hosted.app, hosted.hosted
    url, _origin = ws_url(room)
    assert server_threads(hosted.threads_before), "the server runs in a thread of the game"
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run_frames(1)
    assert not app.running and room.stopped
    assert server_threads(hosted.threads_before) == []
    with pytest.raises(OSError):
        connect(url, open_timeout=2)
    assert room.autosave.is_file()  # the room's autosave stays for `serve --resume`


def test_write_role_cards_prints_each_seats_code(hosted: Hosted) -> None:
    app, room = hosted.app, hosted.hosted
    focus_to(app, "cards")
    press(app, pygame.K_RETURN)
    page = (app.data_dir / "cards" / room.room_code / "cards.html").read_text(encoding="utf-8")
    fronts = page.split('<div class="card card-public">')[1:]
    seats = room.seat_codes()
    assert len(fronts) == len(seats) == 2
    for front, seat, other in zip(fronts, seats, reversed(seats), strict=True):
        assert seat.code in front and other.code not in front and seat.team in front
    assert page.count(room.join) == 2 and room.projector_code not in page and room.host.codes.control not in page


def test_the_hosted_screens_follow_the_language_and_the_console_exports_the_pack(
        hosted: Hosted, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.ui import facilitator_scene
    from game.ui.settings import UiSettings

    monkeypatch.setattr(facilitator_scene, "PACK_WORLDS", 16)
    app, room = hosted.app, hosted.hosted
    press(app, pygame.K_RETURN, frames=3)  # Start the lesson
    app.apply_settings(UiSettings(language="ja"))
    frames_until(app, lambda: room.state.language == "ja" and any(
        "ターン 1" in text for text in app.scene.shown_texts()))  # type: ignore[attr-defined]
    press(app, pygame.K_f)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    assert app.scene.name == "facilitator"
    focus_to(app, "export")
    press(app, pygame.K_RETURN)
    app.scene.settle()
    packs = list((app.data_dir / "packs").iterdir())
    assert len(packs) == 1 and (packs[0] / "index.html").is_file() and (packs[0] / "room.json").is_file()
    frames_until(app, lambda: any(entry.kind == "export" for entry in room.act(lambda r: list(r.log))))
    assert app.errors == []


def test_the_school_network_serves_every_interface_and_shows_this_machines_address(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ClassroomSetupScene, "port", 0)
    room = set_up(app, school_network=True).hosted
    try:
        assert room.bind == SCHOOL_NETWORK
        assert "0.0.0.0" not in room.join and room.join.endswith(f"/?room={room.room_code}")
        with connect(ws_url(room)[0], origin=room.base_url, open_timeout=WAIT_SECONDS) as socket:  # type: ignore[arg-type]
            socket.send(json.dumps({"type": "hello", "room": room.room_code, "code": room.seat_codes()[0].code,
                                    "language": "en"}))
            assert json.loads(socket.recv(timeout=WAIT_SECONDS))["type"] == "welcome"
    finally:
        app.close()
    assert room.stopped
