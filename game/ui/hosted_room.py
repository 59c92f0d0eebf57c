"""The game hosts a classroom room for browsers: the room goes to the server's room task (`game.server`'s
`RoomHost`, served by a `ServerThread` in this process), and from then on the UI never touches it directly.

- every action goes through `act` (the host's `run_in_room`: the room task runs it, autosaves and tells every
  browser), and waits for its answer, so a rejected command raises `CommandRejected` here as at one machine;
- every read comes from `state`, a `RoomState` the host's listener takes on the room task's thread each time
  the room changes (the UI's frame loop picks up the newest with `poll`).

Closing the game calls `stop`: the server ends, and the room's folder (its autosave and codes) stays, so
`python main.py serve --resume ROOM` carries the lesson on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from game.play.room import Room
from game.report.cards import SeatCodes
from game.scenario.models import Scenario
from game.ui.room_state import RoomState, take_state

if TYPE_CHECKING:
    from game.server.background import ServerThread
    from game.server.room_host import RoomHost

log = logging.getLogger(__name__)

T = TypeVar("T")
ACT_SECONDS = 30.0  # an action is one command (a resolution at most); the console waits for its answer
ONLY_THIS_COMPUTER = "127.0.0.1"
SCHOOL_NETWORK = "0.0.0.0"  # every interface: the students' devices reach the teacher's machine
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class SeatCode:
    role: str
    team: str
    title: str
    code: str
    connected: int  # devices that have joined the seat


class HostedRoom:
    """A room the game serves to browsers, with the UI's view of it."""

    def __init__(self, host: RoomHost, server: ServerThread, scenario: Scenario, base_url: str, bind: str,
                 language: str) -> None:
        self.host = host
        self.scenario = scenario  # immutable, kept for the role cards (the room itself is the room task's)
        self.server = server
        self.bind = bind
        self.base_url = base_url
        self.language = language  # the UI's language: the listener takes its snapshots in it
        self._lock = threading.Lock()
        self._state: RoomState | None = None
        self._codes: dict[str, str] = dict(host.codes.seats)  # as of the last snapshot (the console may renew one)
        self._seen: tuple[int, str] | None = None
        self._refresh: Future[RoomState] | None = None
        self._stopped = False
        host.add_listener(self._on_change)
        self.refresh()

    # --- opening and closing ----------------------------------------------------------------------------------

    @classmethod
    def start(cls, room: Room, *, bind: str, port: int, data_dir: Path, language: str) -> HostedRoom:
        """Host `room`: its folder under `data_dir`, fresh codes, the server listening on `bind` (port `port`,
        or any free one when it is taken). Raises `OSError` when no server could start."""
        from game.server.background import ServerThread
        from game.server.room_host import RoomHost

        room.clock.pause()  # the first turn's time runs from "Start the lesson", not while teams join
        host = RoomHost.create(room, data_dir)
        server: ServerThread | None = None
        base_url = ""
        for candidate in dict.fromkeys((port, 0)):
            try:
                server = ServerThread(host, bind, candidate)
                base_url = server.start()
                break
            except OSError as error:
                log.info("port %s is not free (%s); trying another", candidate, error)
                server = None
        if server is None:
            raise OSError("the classroom server could not start")
        return cls(host, server, room.session.scenario, base_url, bind, language)

    def stop(self) -> None:
        """Stop the server (the room's autosave and codes stay in its folder); safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self.server.stop()
        log.info("The classroom server stopped; the room's autosave is in %s (resume it with: python main.py "
                 "serve --resume %s)", self.autosave, self.host.codes.room)

    @property
    def stopped(self) -> bool:
        return self._stopped

    # --- what the screens show -------------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return Path(self.host.folder)

    @property
    def autosave(self) -> Path:
        return self.folder / "autosave.json"

    @property
    def room_code(self) -> str:
        return str(self.host.codes.room)

    @property
    def join(self) -> str:
        """The address students open: the teacher's machine as the network sees it, with the room code."""
        return f"http://{self.address}/?room={self.room_code}"

    @property
    def address(self) -> str:
        """host:port as students type it (the machine's network address when serving the school network)."""
        from game.server.serve_command import lan_addresses

        port = self.base_url.rstrip("/").rsplit(":", 1)[-1]
        shown = self.bind
        if self.bind == SCHOOL_NETWORK:
            shown = next(iter(lan_addresses()), ONLY_THIS_COMPUTER)  # no network: only this computer can reach it
        return f"{shown}:{port}"

    @property
    def projector_code(self) -> str:
        return str(self.host.codes.projector)

    def seat_codes(self, state: RoomState | None = None) -> tuple[SeatCode, ...]:
        """Each seat's code, in seat order, with how many devices have joined it (as of `state`)."""
        with self._lock:
            seats = self._codes
        return tuple(SeatCode(seat.role, seat.team, seat.title, str(seats[seat.role]), seat.connected)
                     for seat in (state or self.state).seats)

    def card_codes(self) -> SeatCodes:
        """The codes the role cards print."""
        return SeatCodes(self.room_code, self.join, {code.role: code.code for code in self.seat_codes()})

    def start_lesson(self) -> None:
        """The lesson starts: the room locks (a seat code admits no new device, resume tokens still work) and the
        first turn's clock starts, from its full time."""
        self.host.start()  # thread-safe: the host locks on its room task
        self.act(start_the_clock)

    @property
    def state(self) -> RoomState:
        """The newest snapshot of the room (taken on the room task's thread)."""
        with self._lock:
            state = self._state
        if state is None:
            self.poll(wait=True)
            with self._lock:
                state = self._state
        assert state is not None
        return state

    def poll(self, *, wait: bool = False) -> bool:
        """True when a newer snapshot than the last one `poll` reported has come in (the UI thread, every frame).
        A snapshot in another language than the UI's is taken again."""
        refresh = self._refresh
        if refresh is not None and (wait or refresh.done()):
            self._refresh = None
            self._install(refresh.result(timeout=ACT_SECONDS))
        with self._lock:
            state = self._state
        if state is not None and state.language != self.language and self._refresh is None:
            self.refresh()
        if state is None or (state.version, state.language) == self._seen:
            return False
        self._seen = (state.version, state.language)
        return True

    def refresh(self) -> None:
        """Ask the room task for a snapshot now (at the start, and when the UI's language changes)."""
        language = self.language
        self._refresh = self.host.run_in_room(lambda room: self._take(room, language))

    # --- acting ----------------------------------------------------------------------------------------------

    def act(self, action: Callable[[Room], T]) -> T:
        """Run `action` on the room task and wait for its answer (its exception, e.g. `CommandRejected`, is
        raised here)."""
        future: Future[T] = self.host.run_in_room(action)
        return future.result(timeout=ACT_SECONDS)

    # --- the room task's side --------------------------------------------------------------------------------

    def _on_change(self, version: int) -> None:
        """The host's listener (on the room task's thread): the room changed, take the UI's snapshot."""
        room = self.host.room
        self._install(self._take(room, self.language, version))

    def _take(self, room: Room, language: str, version: int | None = None) -> RoomState:
        state = take_state(room, language, version=self.host.version if version is None else version,
                           connected=self.host.connected_seats())
        with self._lock:
            self._codes = dict(self.host.codes.seats)
        return state

    def _install(self, state: RoomState) -> None:
        with self._lock:
            if self._state is None or state.version >= self._state.version or state.language != self._state.language:
                self._state = state


def start_the_clock(room: Room) -> None:
    """The turn's full time, running (the clock was held while the teams joined)."""
    room.clock.start_turn()
    room.clock.resume()
