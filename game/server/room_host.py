"""The room task: the only code that touches a served `Room`.

Everything that reads or changes the room runs on one asyncio event loop thread, each change as one
synchronous step: apply, autosave (before the acknowledgement), bump `version`, send every affected connection
its new views, tell the listeners (the pygame host). The WebSocket handlers `submit` messages here; the pygame
UI, on its own thread, hands actions over with `run_in_room`. Advice and the debrief pack, which take seconds,
run on worker threads over copies (a copy of the world state; the autosave re-read), never over the room.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from game.play.advisors import AdviceBoard
from game.play.commands import Adjust, Choose, Command, CommandRejected, EndTurn, Inject, SetLever, Timeout
from game.play.room import PublicView, Room
from game.play.room_saves import load_room_save, write_room_save
from game.play.saves import SaveError
from game.server.advice_pool import AdviceKey, AdvicePool, advice_message
from game.server.codes import JoinLimiter, RoomCodes, normalise
from game.server.protocol import (
    Ack,
    AdjustMessage,
    AdviceRequest,
    AdviceState,
    Bye,
    ChooseMessage,
    ClientMessage,
    ConnectionKind,
    Error,
    Exported,
    ExportMessage,
    ExtendMessage,
    Hello,
    InjectMessage,
    Language,
    LockMessage,
    Message,
    NewCode,
    NewCodeMessage,
    PauseMessage,
    ReadyMessage,
    Rejected,
    RemoveMessage,
    ReseatMessage,
    ResumeClockMessage,
    RewindMessage,
    SetLanguage,
    SetLeverMessage,
    StartMessage,
    TimeoutMessage,
    UnlockMessage,
    Welcome,
    encode,
)
from game.server.views import ConnectionInfo, clock_tick, control_message, public_message, seat_message
from game.translation import _, using_language

log = logging.getLogger(__name__)
T = TypeVar("T")

AUTOSAVE = "autosave.json"
CODES = "codes.json"
OUTBOX_FRAMES = 256  # a connection this far behind is too slow to keep (its views are replaced, not queued)
CLOCK_EVERY = 5.0  # seconds between clock messages (the client counts down in between)
TICK_EVERY = 0.25


class HostError(Exception):
    """The room could not be hosted or resumed; the message is for the teacher."""


@dataclass(eq=False)
class Connection:
    """One authenticated WebSocket. The room task queues frames; the connection's sender task writes them."""

    id: str
    kind: ConnectionKind
    role: str | None
    language: Language
    since: float
    resume: str | None = None
    close_code: int = 1000
    outbox: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(OUTBOX_FRAMES + 1))
    closing: bool = False

    def send(self, message: Message) -> None:
        self.send_frame(encode(message))

    def send_frame(self, frame: str) -> None:
        if self.closing:
            return
        if self.outbox.qsize() >= OUTBOX_FRAMES:
            self.close(1008)  # too slow to keep up
            return
        self.outbox.put_nowait(frame)

    def close(self, code: int = 1000) -> None:
        if not self.closing:
            self.closing = True
            self.close_code = code
            self.outbox.put_nowait(None)


class RoomHost:
    def __init__(self, room: Room, codes: RoomCodes, folder: Path, *, advice_workers: int = 2,
                 advice_worlds: int | None = None) -> None:
        self.room = room
        self.codes = codes
        self.folder = folder
        self.version = 1
        self.connections: dict[str, Connection] = {}
        self.limiter = JoinLimiter()
        self.advice = AdvicePool(advice_workers) if advice_worlds is None else AdvicePool(advice_workers,
                                                                                        advice_worlds)
        self._listeners: list[Callable[[int], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._frames: dict[tuple[str, str], str] = {}  # (view, language) -> frame, for self._frames_version
        self._frames_version = -1
        self._public_views: dict[str, PublicView] = {}
        self._public_views_version = -1
        self._state_version = 0  # bumped when the world state changes outside a resolution or at a new turn
        self._state_turn = room.session.turn
        self._state_session = id(room.session)
        self._state_controls = 0
        self.data_dir: Path | None = None  # where the scenario of a resumed save may be found
        self._advice_waiting: dict[AdviceKey, set[Connection]] = {}
        self._started = time.monotonic()
        self._clock_sent: tuple[bool, bool, bool] | None = None
        self._clock_at = 0.0
        # Changes made in one turn of the event loop are saved and broadcast together (see `_changed`).
        self._flush_scheduled = False
        self._save_pending = False
        self._after_flush: list[Callable[[], None]] = []

    # --- opening ------------------------------------------------------------------------------------------

    @classmethod
    def create(cls, room: Room, data_dir: Path, **options: int) -> RoomHost:
        """Host `room`: fresh codes, its folder `<data_dir>/rooms/<ROOM>/`, the first autosave."""
        codes = RoomCodes.new(seat.role for seat in room.seats)
        while (data_dir / "rooms" / codes.room).exists():
            codes = RoomCodes.new(seat.role for seat in room.seats)
        folder = data_dir / "rooms" / codes.room
        folder.mkdir(parents=True)
        host = cls(room, codes, folder, **options)
        host.data_dir = data_dir
        host.save_codes()
        host.autosave()
        return host

    @classmethod
    def resume(cls, room_or_folder: str, data_dir: Path, **options: int) -> RoomHost:
        """A served room again, from its folder (a path, or a room code under `<data_dir>/rooms/`): its
        autosave replayed, its codes and resume tokens kept. Raises HostError."""
        folder = Path(room_or_folder)
        if not (folder / AUTOSAVE).is_file():
            folder = data_dir / "rooms" / normalise(room_or_folder)
        if not (folder / AUTOSAVE).is_file():
            raise HostError(_("No room {room} to resume: {folder} has no autosave.", room=room_or_folder,
                              folder=str(folder)))
        try:
            codes = RoomCodes.read(folder / CODES)
            loaded = load_room_save(folder / AUTOSAVE, data_dir)
        except (SaveError, ValueError) as error:
            raise HostError(str(error)) from error
        for warning in loaded.loaded.warnings:
            log.warning("%s", warning)
        host = cls(loaded.room, codes, folder, **options)
        host.data_dir = data_dir
        return host

    def autosave(self) -> None:
        """The room's save, atomically (a killed server resumes from it with nothing acknowledged lost)."""
        try:
            # Compact JSON: json's C encoder only runs without `indent` (3x faster on a lesson's save).
            write_room_save(self.room, self.folder / AUTOSAVE, label=f"room {self.codes.room}", indent=None)
        except SaveError as error:
            log.error("autosave failed: %s", error)

    def save_codes(self) -> None:
        self.codes.write(self.folder / CODES)

    @property
    def locked(self) -> bool:
        return self.codes.locked

    # --- threads ------------------------------------------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the room task runs on (the app's startup calls this)."""
        self._loop = loop
        self._loop_thread = threading.get_ident()

    def detach(self) -> None:
        self.autosave()
        self.advice.shutdown()
        self._loop = None
        self._loop_thread = None

    def run_in_room(self, action: Callable[[Room], T]) -> concurrent.futures.Future[T]:
        """Thread-safe: run `action(room)` on the room task, then autosave and broadcast like any command."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def step() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = action(self.room)
            except BaseException as error:  # handed to the caller's thread, which raises it
                failure = error  # `error` is unbound once the except block ends
                self._changed()
                self._after_saving(lambda: future.set_exception(failure))
                return
            self._changed()
            self._after_saving(lambda: future.set_result(result))

        self._call(step)
        return future

    def _call(self, step: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None or threading.get_ident() == self._loop_thread:
            step()  # no loop yet (nothing else can touch the room), or already on it
        else:
            loop.call_soon_threadsafe(step)

    def add_listener(self, on_change: Callable[[int], None]) -> None:
        """`on_change(version)` runs on the room task's thread after every change (it may read the room)."""
        self._listeners.append(on_change)

    def start(self) -> None:
        """The lesson starts (thread-safe): the room locks."""
        self._call(lambda: self._set_locked(True, "start", "The facilitator started the lesson."))

    def connected_seats(self) -> dict[str, int]:
        """Per role, how many devices are connected to its seat (on the room task's thread)."""
        counts = {seat.role: 0 for seat in self.room.seats}
        for connection in list(self.connections.values()):
            if connection.kind == "seat" and connection.role in counts:
                counts[connection.role] += 1
        return counts

    def connected(self, role: str) -> int:
        return self.connected_seats().get(role, 0)

    # --- connections --------------------------------------------------------------------------------------

    def join(self, hello: Hello, address: str) -> Connection | str:
        """Authenticate a `hello`: a new connection (welcomed, sent its views), or the refusal's message."""
        with using_language(hello.language):
            wait = self.limiter.wait_seconds(address)
            if wait > 0:
                return _("Too many wrong codes: wait {seconds} seconds and try again.", seconds=int(wait + 0.999))
            kind: ConnectionKind
            role: str | None = None
            resume: str | None = None
            if not self.codes.is_room(hello.room):
                self.limiter.failed(address)
                return _("That room code or seat code is not right. Check the card and try again.")
            if hello.resume is not None:
                role = self.codes.resume_role(hello.resume)
                if role is None:
                    self.limiter.failed(address)
                    return _("This device's place in the room has expired: join again with your seat code.")
                kind, resume = "seat", hello.resume
            else:
                code = hello.code or ""
                if self.codes.is_control(code):
                    kind = "control"
                elif self.codes.is_projector(code):
                    kind = "projector"
                else:
                    role = self.codes.seat_of(code)
                    if role is None:
                        self.limiter.failed(address)
                        return _("That room code or seat code is not right. Check the card and try again.")
                    if self.locked:
                        return _("The lesson has started, so no new device can join: ask the facilitator to "
                                 "unlock the room for a moment.")
                    kind = "seat"
                    resume = self.codes.issue_resume(role)
                    self.save_codes()
        connection = Connection(f"c{secrets.token_hex(5)}", kind, role, hello.language,
                                round(time.monotonic() - self._started, 1), resume)
        self.connections[connection.id] = connection
        self._welcome(connection)
        self._changed(save=False)
        return connection

    def _welcome(self, connection: Connection) -> None:
        team = self.room.seat(connection.role).team if connection.role is not None else None
        connection.send(Welcome(kind=connection.kind, connection=connection.id, role=connection.role, team=team,
                                resume=connection.resume, language=connection.language))

    def leave(self, connection: Connection) -> None:
        """The connection closed (on the room task)."""
        if self.connections.pop(connection.id, None) is not None:
            connection.close()
            self._changed(save=False)

    # --- messages -----------------------------------------------------------------------------------------

    async def submit(self, connection: Connection, message: ClientMessage) -> None:
        """A message from an authenticated connection: applied through the room, or refused."""
        with using_language(connection.language):
            self.handle(connection, message)

    def handle(self, connection: Connection, message: ClientMessage) -> None:
        if isinstance(message, Hello):
            connection.send(Error(message=_("You have already joined.")))
            return
        if isinstance(message, SetLanguage):
            connection.language = message.language
            connection.send(Ack(id=message.id))
            self._send_views(connection)
            return
        seat_only = SetLeverMessage | ChooseMessage | ReadyMessage | AdviceRequest
        if isinstance(message, seat_only) and connection.kind != "seat":
            connection.send(Error(message=_("Only a seat can do that.")))
            return
        if not isinstance(message, seat_only) and connection.kind != "control":
            connection.send(Error(message=_("Only the facilitator can do that.")))
            return
        try:
            if isinstance(message, AdviceRequest):
                self._advice(connection, message)
                return
            reply = self._apply(connection, message)
        except CommandRejected as rejected:
            connection.send(Rejected(id=message.id, message=rejected.message))
            return
        sent = reply if reply is not None else Ack(id=message.id)
        self._after_saving(lambda: connection.send(sent))

    def _current(self, turn: int) -> None:
        now = self.room.session.turn
        if turn != now:
            raise CommandRejected(_("This turn is over: the game is on turn {turn} now.", turn=now + 1))

    def _command(self, command: Command) -> None:
        report = self.room.apply(command)
        if report is not None and not self.locked:
            self.codes.locked = True  # the first resolved turn locks the room, as `start` does
            self.save_codes()
        self._changed()

    def _apply(self, connection: Connection, message: ClientMessage) -> Message | None:
        """Apply a seat's or the facilitator's message (the role is the connection's); a reply other than ack."""
        role = connection.role or ""
        room = self.room
        if isinstance(message, SetLeverMessage):
            self._current(message.turn)
            self._command(SetLever(role, message.lever, message.value))
        elif isinstance(message, ChooseMessage):
            self._current(message.turn)
            self._command(Choose(role, message.event, message.choice))
        elif isinstance(message, ReadyMessage):
            self._current(message.turn)
            self._command(EndTurn(role))
        elif isinstance(message, StartMessage):
            self._set_locked(True, "start", "The facilitator started the lesson.")
        elif isinstance(message, LockMessage):
            self._set_locked(True, "lock", "The facilitator locked the room.")
        elif isinstance(message, UnlockMessage):
            self._set_locked(False, "unlock", "The facilitator unlocked the room for new devices.")
        elif isinstance(message, PauseMessage):
            room.pause()
            self._changed()
        elif isinstance(message, ResumeClockMessage):
            room.resume()
            self._changed()
        elif isinstance(message, ExtendMessage):
            room.extend(message.seconds)
            self._changed()
        elif isinstance(message, TimeoutMessage):
            self._current(message.turn)
            room.seat(message.role)
            self._command(Timeout(message.role))
        elif isinstance(message, InjectMessage):
            self._current(message.turn)
            self._command(Inject(message.event))
        elif isinstance(message, AdjustMessage):
            self._current(message.turn)
            self._command(Adjust(message.variable, message.value, message.reason))
        elif isinstance(message, RewindMessage):
            room.rewind(message.turn, message.reason)
            self._changed()
        elif isinstance(message, RemoveMessage):
            self._remove(self._connection(message.connection))
        elif isinstance(message, ReseatMessage):
            self._reseat(self._connection(message.connection), message.role)
        elif isinstance(message, NewCodeMessage):
            room.seat(message.role)
            code = self.codes.renew_seat(message.role)
            self.save_codes()
            room.record("new_code", "The facilitator issued a new seat code.", message.role)
            self._changed()
            return NewCode(id=message.id, role=message.role, code=code)
        elif isinstance(message, ExportMessage):
            self._export(connection, message.id)
            return Ack(id=message.id)
        return None

    def _set_locked(self, locked: bool, kind: str, text: str) -> None:
        if self.codes.locked != locked or kind == "start":
            self.codes.locked = locked
            self.save_codes()
            self.room.record(kind, text)
            self._changed()

    def _connection(self, connection_id: str) -> Connection:
        found = self.connections.get(connection_id)
        if found is None:
            raise CommandRejected(_("That device is no longer connected."))
        return found

    def _remove(self, connection: Connection) -> None:
        if connection.resume is not None:
            self.codes.revoke(connection.resume)
            self.save_codes()
        connection.send(Bye(reason=_("The facilitator removed this device from the room.")))
        self.connections.pop(connection.id, None)
        connection.close(1000)
        self.room.record("remove", "The facilitator removed a device.", connection.role)
        self._changed()

    def _reseat(self, connection: Connection, role: str) -> None:
        if connection.kind != "seat":
            raise CommandRejected(_("Only a seat's device can change seats."))
        self.room.seat(role)
        if connection.resume is not None:
            self.codes.revoke(connection.resume)
        connection.role = role
        connection.resume = self.codes.issue_resume(role)
        self.save_codes()
        self.room.record("reseat", "The facilitator moved a device to another seat.", role)
        self._welcome(connection)
        self._changed()

    def _export(self, connection: Connection, message_id: int) -> None:
        """The debrief pack from the autosave (re-read, so the room task goes on), written on a worker thread."""
        from game.report.exports import export_room_pack

        self.autosave()
        save, out, language = self.folder / AUTOSAVE, self.folder / "pack", connection.language
        data_dir = self.data_dir

        def build() -> str:
            room = load_room_save(save, data_dir).room
            export_room_pack(room, out, language)
            return str(out)

        def done(future: concurrent.futures.Future[str]) -> None:
            def reply() -> None:
                error = future.exception()
                if error is None:
                    connection.send(Exported(id=message_id, path=future.result()))
                    self.room.record("export", "The facilitator exported the debrief pack.")
                    self._changed()
                else:
                    with using_language(connection.language):
                        connection.send(Rejected(id=message_id, message=_("The pack could not be written: {error}",
                                                                          error=str(error)[:150])))
            self._call(reply)

        self.advice_executor().submit(build).add_done_callback(done)

    def advice_executor(self) -> concurrent.futures.Executor:
        return self.advice.executor

    # --- advice -------------------------------------------------------------------------------------------

    def _advice(self, connection: Connection, message: AdviceRequest) -> None:
        self._current(message.turn)
        session = self.room.session
        role = connection.role or ""
        if message.event not in {p.event_id for p in session.pending_decisions(role)}:
            raise CommandRejected(_("That decision is not waiting for your seat now."))
        connection.send(Ack(id=message.id))
        self._note_state()
        key: AdviceKey = (self._state_version, message.turn, role, message.event, connection.language)
        cached = self.advice.cache.get(key)
        if cached is not None:
            connection.send(cached)
            return
        connection.send(AdviceState(turn=message.turn, event=message.event, status="thinking"))
        self._advice_waiting.setdefault(key, set()).add(connection)
        self.advice.start(key, session, role, message.event, connection.language, self._advice_done)

    def _advice_done(self, key: AdviceKey, future: concurrent.futures.Future[AdviceBoard]) -> None:
        """On a worker thread: hand the result to the room task."""
        self._call(lambda: self._advice_ready(key, future))

    def _advice_ready(self, key: AdviceKey, future: concurrent.futures.Future[AdviceBoard]) -> None:
        self.advice.running.pop(key, None)
        waiting = self._advice_waiting.pop(key, set())
        self._note_state()
        if key[0] != self._state_version or future.cancelled():
            return  # the turn is over (or the world changed): this advice is of no use now
        error = future.exception()
        _version, turn, role, event, language = key
        if error is not None:
            log.warning("advice failed: %s", error)
            message = AdviceState(turn=turn, event=event, status="failed")
        else:
            with using_language(language):
                message = advice_message(self.room.session, future.result(), turn, language)
            self.advice.cache[key] = message
        for connection in waiting:
            if connection.id in self.connections and connection.role == role:
                connection.send(message)

    def _note_state(self) -> None:
        """Bump the state version when the world state changed since last seen (a new turn, a rewind, an
        inject or an adjustment this turn); advice of older states is dropped."""
        session = self.room.session
        controls = sum(1 for c in session.commands if isinstance(c, Inject | Adjust) and c.turn == session.turn)
        seen = (session.turn, id(session), controls)
        if seen != (self._state_turn, self._state_session, self._state_controls):
            self._state_turn, self._state_session, self._state_controls = seen
            self._state_version += 1
            self.advice.forget_before(self._state_version)

    # --- the clock ----------------------------------------------------------------------------------------

    async def run_clock(self) -> None:
        """The room task's clock: time-outs when a turn's time runs out, and a clock message every 5 s."""
        while True:
            await asyncio.sleep(TICK_EVERY)
            self.tick()

    def tick(self) -> None:
        room = self.room
        try:
            report = room.tick()
        except CommandRejected as rejected:
            log.error("the clock's time-out was refused: %s", rejected.message)
            report = None
        if report is not None:
            if not self.locked:
                self.codes.locked = True
                self.save_codes()
            self._changed()
            return
        state = (room.clock.paused, room.clock.warning, room.clock.expired)
        now = time.monotonic()
        if room.clock.limit_seconds is not None and (state != self._clock_sent or now - self._clock_at >= CLOCK_EVERY):
            self._clock_sent, self._clock_at = state, now
            frame = encode(clock_tick(room))
            for connection in list(self.connections.values()):
                connection.send_frame(frame)

    # --- broadcasting -------------------------------------------------------------------------------------

    def _changed(self, *, save: bool = True) -> None:
        """After every change: autosave (before any acknowledgement goes out), a new version, new views.

        On the event loop the work waits for the end of the loop's current pass, so that the commands of 40
        devices arriving together cost one save and one round of views instead of 40 (a "group commit"): their
        acknowledgements (`_after_saving`) go out once the save that holds them is on disk."""
        self._save_pending = self._save_pending or save
        loop = self._loop
        if loop is None or threading.get_ident() != self._loop_thread:
            self._flush()
        elif not self._flush_scheduled:
            self._flush_scheduled = True
            loop.call_soon(self._flush)

    def _after_saving(self, step: Callable[[], None]) -> None:
        """Run `step` (an acknowledgement) once the changes made so far are saved and broadcast."""
        if self._flush_scheduled:
            self._after_flush.append(step)
        else:
            step()

    def _flush(self) -> None:
        self._flush_scheduled = False
        if self._save_pending:
            self._save_pending = False
            self.autosave()
        self.version += 1
        self._note_state()
        connected = self.connected_seats()
        for connection in list(self.connections.values()):
            self._send_views(connection, connected)
        waiting, self._after_flush = self._after_flush, []
        for step in waiting:
            step()
        for listener in list(self._listeners):
            try:
                listener(self.version)
            except Exception:
                log.exception("a room listener failed")

    def _frame(self, view: str, language: str, build: Callable[[], Message]) -> str:
        if self._frames_version != self.version:
            self._frames.clear()
            self._frames_version = self.version
        key = (view, language)
        frame = self._frames.get(key)
        if frame is None:
            frame = self._frames[key] = encode(build())
        return frame

    def _public_view(self, language: str) -> PublicView:
        """The room's public view in `language`, built once per version (every seat view contains it)."""
        if self._public_views_version != self.version:
            self._public_views.clear()
            self._public_views_version = self.version
        view = self._public_views.get(language)
        if view is None:
            view = self._public_views[language] = self.room.public_view(language)
        return view

    def _send_views(self, connection: Connection, connected: dict[str, int] | None = None) -> None:
        room, version, language = self.room, self.version, connection.language
        connected = self.connected_seats() if connected is None else connected
        connection.send_frame(self._frame("public", language, lambda: public_message(
            room, version, language, locked=self.locked, connected=connected, view=self._public_view(language))))
        if connection.kind == "seat" and connection.role is not None:
            role = connection.role
            connection.send_frame(self._frame(f"seat:{role}", language, lambda: seat_message(
                room, role, version, language, self._public_view(language))))
        elif connection.kind == "control":
            listed = [ConnectionInfo(c.id, c.kind, c.role, c.language, c.since) for c in self.connections.values()]
            connection.send_frame(self._frame("control", language, lambda: control_message(
                room, version, language, locked=self.locked, connections=listed)))
