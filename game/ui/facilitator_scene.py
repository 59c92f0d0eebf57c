"""The facilitator's console (behind the PIN): the clock (pause, restart, a minute more), each seat's
"force defaults" (a timeout) and its private briefing revealed, the scenario's injectable events, an
adjustment of a variable with a required reason, a rewind to the start of a turn with a reason, and the
debrief pack (game.report's own pack, written into the user's data folder).

Everything that changes the game goes through the room (`Lesson.act`), so it is a command in the log and
replays exactly; a rejected one says why in a message and changes nothing. What the console shows comes from
one snapshot of the room (`Lesson.state`). When students join from browsers the same console drives the
hosted room: each action runs on the server's room task, which tells every browser, and the console also
says how many devices have joined each seat.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame

from game.engine.turn import TurnReport
from game.play.commands import CommandRejected
from game.play.numbers import format_number
from game.play.room import Room, SeatView
from game.play.room_saves import load_room_save, write_room_save
from game.play.saves import SaveError
from game.ui.classroom_scene import ClassroomScene
from game.ui.i18n import _, current_language
from game.ui.lesson import Lesson, after_turn, clock_text
from game.ui.message_dialog import MessageDialog
from game.ui.room_state import RoomState
from game.ui.scene import GoTo, Transition
from game.ui.text_field import TextField

EXTEND_SECONDS = 60.0
PACK_WORLDS = 1000  # the chance section's other worlds (tests lower it)


class FacilitatorScene(ClassroomScene):
    """Control's console."""

    name = "facilitator"
    facilitator_key = False

    def __init__(self, app: Any, lesson: Lesson) -> None:
        super().__init__(app, lesson)
        self.variable_index = 0
        self.rewind_turn = 0
        self.value_field = TextField("adjust-value", _("New value"), digits_only=False, max_length=16)
        self.reason_field = TextField("adjust-reason", _("Reason (shown in the news)"), max_length=120)
        self.rewind_field = TextField("rewind-reason", _("Reason for the rewind"), max_length=120)
        self.fields = [self.value_field, self.reason_field, self.rewind_field]
        self.last_pack: Path | None = None
        self.exporting: tuple[threading.Thread, dict[str, Any]] | None = None

    # --- layout -----------------------------------------------------------------------------------------

    def build(self) -> None:
        width = self.app.layout_size[0]
        margin, h, gap = self.px(20), self.px(30), self.px(6)
        top = self.px(16) + self.app.fonts.display.get_linesize() + self.app.fonts.body.get_linesize() + self.px(10)
        column_w = (width - 3 * margin) // 2
        left, right = margin, 2 * margin + column_w
        state = self.lesson.state(current_language())
        self.console: RoomState = state
        y = top

        def row(x: int, label: str, action: Any, name: str, *, w: int = column_w, primary: bool = False) -> None:
            self.button(pygame.Rect(x, y, w, h), label, action, name=name, class_id="@primary" if primary else None)

        half = (column_w - gap) // 2
        row(left, _("Restart the clock") if state.paused else _("Pause the clock"), self._pause, "pause", w=half)
        self.button(pygame.Rect(left + half + gap, y, half, h), _("One minute more"), self._extend, name="extend")
        y += h + gap
        for seat in state.seats:
            if not seat.ready and not state.public.is_over:
                row(left, _("Force defaults: {team} — {role}", team=seat.team, role=seat.title),
                    lambda r=seat.role: self._timeout(r), f"timeout-{seat.role}")
                y += h + gap
        for seat in state.seats:
            row(left, _("Reveal the private briefing: {role}", role=seat.title), lambda r=seat.role: self._reveal(r),
                f"reveal-{seat.role}")
            y += h + gap
        y += gap
        row(left, _("Export the debrief pack"), self._export, "export", primary=True)
        y += h + gap
        row(left, _("Back to the projector (Esc)"), self._back, "back")

        y = top
        for event_id, event_title in state.injectable:
            row(right, _("Inject: {event}", event=event_title), lambda e=event_id: self._inject(e),
                f"inject-{event_id}")
            y += h + gap
        y += gap
        wide, narrow = (column_w - gap) * 2 // 3, column_w - gap - (column_w - gap) * 2 // 3
        variable = state.variables[self.variable_index] if state.variables else None
        label = variable.label if variable is not None else ""
        current = format_number(variable.value, 6) if variable is not None else ""
        row(right, _("Variable: {label} (now {value}) »", label=label, value=current), self._next_variable,
            "adjust-variable", w=wide)
        self.button(pygame.Rect(right + wide + gap, y, narrow, h), _("Adjust"), self._adjust, name="adjust")
        y += h + gap + self.app.fonts.small.get_linesize()
        self.value_field.rect = pygame.Rect(right, y, narrow, h)
        self.focus.add(self.value_field.focusable())
        self.reason_field.rect = pygame.Rect(right + narrow + gap, y, wide, h)
        self.focus.add(self.reason_field.focusable(self._adjust))
        y += h + 2 * gap
        self.rewind_turn = min(self.rewind_turn, state.turn)
        row(right, _("Rewind to the start of turn {turn} »", turn=self.rewind_turn + 1), self._next_rewind_turn,
            "rewind-turn", w=wide)
        self.button(pygame.Rect(right + wide + gap, y, narrow, h), _("Rewind"), self._rewind, name="rewind")
        y += h + gap + self.app.fonts.small.get_linesize()
        self.rewind_field.rect = pygame.Rect(right, y, column_w, h)
        self.focus.add(self.rewind_field.focusable(self._rewind))
        if self.focus.index is None:
            self.focus.index = 0

    # --- actions --------------------------------------------------------------------------------------

    def _refresh(self) -> Transition:
        self.rebuild()
        return None

    def _pause(self) -> Transition:
        self.lesson.held = False  # control takes the clock over from the screens
        self.lesson.act(toggle_clock)
        return self._refresh()

    def _extend(self) -> Transition:
        return self._attempt(lambda room: room.extend(EXTEND_SECONDS))

    def _timeout(self, role: str) -> Transition:
        try:
            report: TurnReport | None = self.lesson.act(lambda room: room.timeout(role))
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        if report is not None:
            return after_turn(self.lesson)
        return self._refresh()

    def _inject(self, event_id: str) -> Transition:
        return self._attempt(lambda room: room.inject(event_id), _("Brought in; its owner decides it this turn."))

    def _adjust(self) -> Transition:
        try:
            value = float(self.value_field.value.replace(",", "."))
        except ValueError:
            self.app.notify(_("Type the new value as a number."), kind="warning")
            return None
        variables = self.console.variables
        if not variables:
            return None
        variable, reason = variables[self.variable_index % len(variables)].id, self.reason_field.value
        try:
            self.lesson.act(lambda room: room.adjust(variable, value, reason))
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        self.value_field.value = self.reason_field.value = ""
        self.app.notify(_("Adjusted: the news says so, with your reason."))
        return self._refresh()

    def _next_variable(self) -> Transition:
        if self.console.variables:
            self.variable_index = (self.variable_index + 1) % len(self.console.variables)
        return self._refresh()

    def _next_rewind_turn(self) -> Transition:
        self.rewind_turn = (self.rewind_turn + 1) % (self.console.turn + 1)
        return self._refresh()

    def _rewind(self) -> Transition:
        turn, reason = self.rewind_turn, self.rewind_field.value
        try:
            self.lesson.act(lambda room: room.rewind(turn, reason))
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        self.rewind_field.value = ""
        self.app.notify(_("Rewound to the start of turn {turn}; the abandoned game is kept for the debrief.",
                          turn=self.rewind_turn + 1))
        return self._refresh()

    def _reveal(self, role: str) -> Transition:
        language = current_language()
        view = self.lesson.act(lambda room: reveal_briefing(room, role, language))
        lines = [f"{view.title} — {view.team}", view.private_briefing or _("(This role has no private briefing.)")]
        self.open_modal(MessageDialog(self, _("Private briefing"), lines, error=False))
        return None

    def _export(self) -> Transition:
        """The pack is game.report's (`export_room_pack`), written in a worker thread: the console waits, drawing,
        and nothing changes the room meanwhile (its input and the clock's tick wait too)."""
        if self.exporting is not None:
            return None
        packs, language, label = self.app.data_dir / "packs", current_language(), _("Classroom")
        hosted = self.lesson.hosted is not None
        # Hosted, the room belongs to the server's room task: it writes the room's save (a moment), and the worker
        # builds the pack from that save's replay, never from the room itself.
        out, save = self.lesson.act(lambda room: pack_folder(room, packs, label if hosted else None))
        room = None if hosted else self.room
        outcome: dict[str, Any] = {}

        def work() -> None:
            from game.report.exports import export_room_pack
            from game.report.played import ReportProblem

            try:
                exported = room if room is not None else load_room_save(save, self.app.data_dir).room
                export_room_pack(exported, out, language, chance_worlds=PACK_WORLDS)
                if room is not None:
                    write_room_save(room, save, label=label)
                outcome["done"] = out
            except ReportProblem as problem:
                outcome["error"] = problem.message
            except SaveError as error:
                outcome["error"] = error.message

        self.exporting = (threading.Thread(target=work, name="export-pack", daemon=True), outcome)
        self.exporting[0].start()
        return None

    def _export_finished(self) -> None:
        assert self.exporting is not None
        outcome = self.exporting[1]
        self.exporting = None
        if "error" in outcome:
            self.app.notify(outcome["error"], kind="error")
            return
        out = outcome["done"]
        self.lesson.act(lambda room: room.record("export", f"Debrief pack written to {out}"))
        self.last_pack = out
        self.app.notify(_("The debrief pack is in {folder}", folder=str(out)), seconds=8.0)

    def settle(self) -> None:
        if self.exporting is not None:
            self.exporting[0].join()
            self._export_finished()

    def _back(self) -> Transition:
        return GoTo("projector", lesson=self.lesson)

    def _attempt(self, action: Callable[[Room], object], done: str | None = None) -> Transition:
        try:
            self.lesson.act(action)
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        if done:
            self.app.notify(done)
        return self._refresh()

    # --- input and drawing ------------------------------------------------------------------------------

    def dispatch(self, event: pygame.event.Event) -> Transition:
        if self.exporting is not None:
            return None  # the pack is being written from the room as it stands
        return super().dispatch(event)

    def update(self, dt: float) -> Transition:
        if self.exporting is not None:
            if not self.exporting[0].is_alive():
                self._export_finished()
            return None
        return super().update(dt)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self._back()
        return super().handle_event(event)

    def draw_screen(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        width, height = self.app.layout_size
        state = self.console
        self.text(surface, fonts.display, _("Facilitator"), palette.text, (self.px(20), self.px(12)))
        turns = state.public.turns
        turn = _("Turn {turn} of {turns}", turn=min(state.turn + 1, turns), turns=turns)
        ready = ", ".join(seat.team for seat in state.seats if seat.ready) or "—"
        status = f"{turn} · {clock_text(self.lesson.clock())} · {_('Ready: {teams}', teams=ready)}"
        if self.exporting is not None:
            status = _("Writing the debrief pack…")
        self.text(surface, fonts.body, status, palette.text_muted,
                  (self.px(20), self.px(12) + fonts.display.get_linesize()), width - self.px(40))
        hosted = self.lesson.hosted
        if hosted is not None:
            devices = " · ".join(_("{team}: {count} connected", team=seat.team, count=seat.connected)
                                 for seat in state.seats)
            line = _("Join at {address} · room {room}", address=hosted.join, room=hosted.room_code)
            y = height - self.px(12) - 2 * fonts.body.get_linesize()
            self.text(surface, fonts.body, devices, palette.accent, (self.px(20), y), width - self.px(40))
            self.text(surface, fonts.body, line, palette.text_muted,
                      (self.px(20), y + fonts.body.get_linesize()), width - self.px(40))


def toggle_clock(room: Room) -> None:
    """Pause a running clock, restart a paused one."""
    if room.clock.paused:
        room.resume()
    else:
        room.pause()


def reveal_briefing(room: Room, role: str, language: str) -> SeatView:
    """The seat's view for the facilitator's eyes; the room log says the briefing was revealed."""
    view = room.seat_view(role, language)
    room.record("reveal", f"The facilitator revealed {role}'s private briefing.", role=role)
    return view


def pack_folder(room: Room, packs: Path, label: str | None) -> tuple[Path, Path]:
    """Where the pack of the room as it stands goes, and its save beside it (written now when `label` is given:
    the hosted room's worker builds the pack from it)."""
    session = room.session
    out = packs / f"{session.scenario.id}-seed{session.seed}-turn{session.turn}"
    save = out / "room.json"
    if label is not None:
        write_room_save(room, save, label=label)
    return out, save
