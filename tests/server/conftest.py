"""Fixtures for the classroom server: a real room (the two-desk fixture scenario) in a real room folder, served
in-process by Starlette's TestClient (its lifespan attaches the room task to the test client's event loop)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from game.play.opening import GameProblems
from game.play.room import Seat, open_room
from game.server.app import create_app
from game.server.room_host import RoomHost

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "play" / "classroom_desks.yaml"
SEATS = (Seat("alpha_pm", "Team A"), Seat("beta_leader", "Team B"))
ORIGIN = {"origin": "http://testserver"}


def make_host(folder: Path, scenario: str | Path = FIXTURE, seats: tuple[Seat, ...] = SEATS, *,
              turn_limit: float | None = None, seed: int = 3) -> RoomHost:
    room = open_room(str(scenario), seats, seed=seed, turn_limit=turn_limit, data_dir=folder)
    assert not isinstance(room, GameProblems), room
    return RoomHost.create(room, folder, advice_worlds=40)


@pytest.fixture
def host(data_dir: Path) -> RoomHost:
    return make_host(data_dir)


@pytest.fixture
def client(host: RoomHost) -> Iterator[TestClient]:
    with TestClient(create_app(host)) as test_client:
        yield test_client


@pytest.fixture
def sockets(client: TestClient) -> Iterator[Callable[..., Any]]:
    """`sockets()` opens a WebSocket that stays open for the test (closed before the client stops)."""
    with contextlib.ExitStack() as stack:
        def open_socket(on: TestClient | None = None, headers: dict[str, str] | None = None) -> Any:
            return stack.enter_context((on or client).websocket_connect("/ws", headers=ORIGIN if headers is None
                                                                        else headers))
        yield open_socket
        with contextlib.suppress(Exception):  # some the server already closed
            stack.close()


class Peer:
    """One WebSocket of the test client, with the latest message of each type it has read."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.latest: dict[str, dict[str, Any]] = {}
        self.frames: list[str] = []
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> int:
        if message.get("type") != "hello" and "id" not in message:
            self.next_id += 1
            message = {**message, "id": self.next_id}
        self.socket.send_text(json.dumps(message))
        return int(message.get("id", 0))

    def read(self) -> dict[str, Any]:
        frame = self.socket.receive_text()
        self.frames.append(frame)
        message: dict[str, Any] = json.loads(frame)
        self.latest[message["type"]] = message
        return message

    def until(self, wanted: Callable[[dict[str, Any]], bool], limit: int = 200) -> dict[str, Any]:
        for _ in range(limit):
            message = self.read()
            if wanted(message):
                return message
        raise AssertionError(f"no wanted message in {limit} frames; last: {self.frames[-3:]}")

    def reply(self, message_id: int) -> dict[str, Any]:
        """The ack, rejection or other reply to the message `message_id`."""
        return self.until(lambda m: m.get("id") == message_id and m["type"] != "hello")

    def act(self, message: dict[str, Any]) -> dict[str, Any]:
        return self.reply(self.send(message))

    def type(self, kind: str) -> dict[str, Any]:
        """The next message of this type."""
        return self.until(lambda m: m["type"] == kind)

    def view(self, kind: str, wanted: Callable[[dict[str, Any]], bool] = lambda m: True) -> dict[str, Any]:
        """The latest view of this type if it is `wanted`, else the next that is (views come before the ack)."""
        latest = self.latest.get(kind)
        if latest is not None and wanted(latest):
            return latest
        return self.until(lambda m: m["type"] == kind and wanted(m))


def hello(peer: Peer, room: str, code: str | None = None, *, resume: str | None = None,
          language: str = "en") -> dict[str, Any]:
    message: dict[str, Any] = {"type": "hello", "room": room, "language": language}
    if resume is not None:
        message["resume"] = resume
    else:
        message["code"] = code
    peer.send(message)
    return peer.read()
