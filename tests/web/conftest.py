"""Fixtures for the pages in headless Chromium (Debian's) against a real classroom server: a room of a shipped
scenario with two playable seats, served by uvicorn on its own thread at a free port, in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from game.play.opening import GameProblems
from game.play.room import Seat, open_room
from game.server.background import ServerThread
from game.server.codes import RoomCodes
from game.server.room_host import RoomHost

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "1951_san_francisco.yaml"
SEATS = (Seat("japan_pm", "Team 1"), Seat("us_president", "Team 2"))


@dataclass(frozen=True)
class LiveRoom:
    url: str  # http://127.0.0.1:PORT
    codes: RoomCodes  # room, seats (role -> seat code), control (facilitator key), projector (token)
    host: RoomHost
    folder: Path  # the user data folder (the room's own folder is host.folder)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (browser downloads do not work here); skipped when either is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def live_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveRoom]:
    """A real RoomHost for san_francisco_1951 (japan_pm, us_president), no turn limit, on 127.0.0.1 at port 0."""
    folder = tmp_path_factory.mktemp("web-room") / "user-data"
    (folder / "mods").mkdir(parents=True)
    room = open_room(str(SCENARIO), SEATS, seed=3, data_dir=folder)
    assert not isinstance(room, GameProblems), room
    host = RoomHost.create(room, folder, advice_worlds=40)
    server = ServerThread(host, "127.0.0.1", 0)
    url = server.start()
    try:
        yield LiveRoom(url=url, codes=host.codes, host=host, folder=folder)
    finally:
        server.stop()
