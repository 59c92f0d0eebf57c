"""The facilitator's console (behind the PIN): the clock (pause, restart, a minute more), each seat's
"force defaults" (a timeout) and its private briefing revealed, the scenario's injectable events, an
adjustment of a variable with a required reason, a rewind to the start of a turn with a reason, and the
debrief pack (game.report's own pack, written into the user's data folder).

Everything that changes the game goes through the room, so it is a command in the log and replays
exactly; a rejected one says why in a message and changes nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pygame

from game.play.commands import CommandRejected
from game.play.decisions import describe_decision
from game.play.news import role_title
from game.play.numbers import format_number
from game.play.room_saves import write_room_save
from game.play.saves import SaveError
from game.ui.classroom_scene import ClassroomScene
from game.ui.i18n import _, current_language
from game.ui.lesson import Lesson, after_turn, clock_text, room_clock
from game.ui.message_dialog import MessageDialog
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
        self.variables = list(self.room.session.scenario.variables)
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
        language = current_language()
        room, session = self.room, self.room.session
        scenario = session.scenario
        y = top

        def row(x: int, label: str, action: Any, name: str, *, w: int = column_w, primary: bool = False) -> None:
            self.button(pygame.Rect(x, y, w, h), label, action, name=name, class_id="@primary" if primary else None)

        half = (column_w - gap) // 2
        row(left, _("Restart the clock") if room.clock.paused else _("Pause the clock"), self._pause, "pause", w=half)
        self.button(pygame.Rect(left + half + gap, y, half, h), _("One minute more"), self._extend, name="extend")
        y += h + gap
        for seat in room.seats:
            title = role_title(scenario, seat.role, language)
            if not room.is_ready(seat.role) and not session.is_over:
                row(left, _("Force defaults: {team} — {role}", team=seat.team, role=title),
                    lambda r=seat.role: self._timeout(r), f"timeout-{seat.role}")
                y += h + gap
        for seat in room.seats:
            title = role_title(scenario, seat.role, language)
            row(left, _("Reveal the private briefing: {role}", role=title), lambda r=seat.role: self._reveal(r),
                f"reveal-{seat.role}")
            y += h + gap
        y += gap
        row(left, _("Export the debrief pack"), self._export, "export", primary=True)
        y += h + gap
        row(left, _("Back to the projector (Esc)"), self._back, "back")

        y = top
        for event_id in room.injectable_events():
            info = describe_decision(scenario, event_id, language)
            row(right, _("Inject: {event}", event=info.title if info is not None else event_id),
                lambda e=event_id: self._inject(e), f"inject-{event_id}")
            y += h + gap
        y += gap
        wide, narrow = (column_w - gap) * 2 // 3, column_w - gap - (column_w - gap) * 2 // 3
        variable = self.variables[self.variable_index] if self.variables else ""
        label = session.compiled.label(variable, language) if variable else ""
        current = format_number(session.value(variable), 6) if variable else ""
        row(right, _("Variable: {label} (now {value}) »", label=label, value=current), self._next_variable,
            "adjust-variable", w=wide)
        self.button(pygame.Rect(right + wide + gap, y, narrow, h), _("Adjust"), self._adjust, name="adjust")
        y += h + gap + self.app.fonts.small.get_linesize()
        self.value_field.rect = pygame.Rect(right, y, narrow, h)
        self.focus.add(self.value_field.focusable())
        self.reason_field.rect = pygame.Rect(right + narrow + gap, y, wide, h)
        self.focus.add(self.reason_field.focusable(self._adjust))
        y += h + 2 * gap
        self.rewind_turn = min(self.rewind_turn, session.turn)
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
        if self.room.clock.paused:
            self.room.resume()
        else:
            self.room.pause()
        return self._refresh()

    def _extend(self) -> Transition:
        return self._attempt(lambda: self.room.extend(EXTEND_SECONDS))

    def _timeout(self, role: str) -> Transition:
        try:
            report = self.room.timeout(role)
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        if report is not None:
            return after_turn(self.lesson)
        return self._refresh()

    def _inject(self, event_id: str) -> Transition:
        return self._attempt(lambda: self.room.inject(event_id), _("Brought in; its owner decides it this turn."))

    def _adjust(self) -> Transition:
        try:
            value = float(self.value_field.value.replace(",", "."))
        except ValueError:
            self.app.notify(_("Type the new value as a number."), kind="warning")
            return None
        try:
            self.room.adjust(self.variables[self.variable_index], value, self.reason_field.value)
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        self.value_field.value = self.reason_field.value = ""
        self.app.notify(_("Adjusted: the news says so, with your reason."))
        return self._refresh()

    def _next_variable(self) -> Transition:
        if self.variables:
            self.variable_index = (self.variable_index + 1) % len(self.variables)
        return self._refresh()

    def _next_rewind_turn(self) -> Transition:
        self.rewind_turn = (self.rewind_turn + 1) % (self.room.session.turn + 1)
        return self._refresh()

    def _rewind(self) -> Transition:
        try:
            self.room.rewind(self.rewind_turn, self.rewind_field.value)
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            return None
        self.rewind_field.value = ""
        self.app.notify(_("Rewound to the start of turn {turn}; the abandoned game is kept for the debrief.",
                          turn=self.rewind_turn + 1))
        return self._refresh()

    def _reveal(self, role: str) -> Transition:
        view = self.room.seat_view(role, current_language())
        self.room.record("reveal", f"The facilitator revealed {role}'s private briefing.", role=role)
        lines = [f"{view.title} — {view.team}", view.private_briefing or _("(This role has no private briefing.)")]
        self.open_modal(MessageDialog(self, _("Private briefing"), lines, error=False))
        return None

    def _export(self) -> Transition:
        """The pack is game.report's (`export_room_pack`), written in a worker thread: the console waits, drawing,
        and nothing changes the room meanwhile (its input and the clock's tick wait too)."""
        if self.exporting is not None:
            return None
        session = self.room.session
        out = self.app.data_dir / "packs" / f"{session.scenario.id}-seed{session.seed}-turn{session.turn}"
        language = current_language()
        outcome: dict[str, Any] = {}

        def work() -> None:
            from game.report.exports import export_room_pack
            from game.report.played import ReportProblem

            try:
                export_room_pack(self.room, out, language, chance_worlds=PACK_WORLDS)
                write_room_save(self.room, out / "room.json", label=_("Classroom"))
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
        self.room.record("export", f"Debrief pack written to {out}")
        self.last_pack = out
        self.app.notify(_("The debrief pack is in {folder}", folder=str(out)), seconds=8.0)

    def settle(self) -> None:
        if self.exporting is not None:
            self.exporting[0].join()
            self._export_finished()

    def _back(self) -> Transition:
        return GoTo("projector", lesson=self.lesson)

    def _attempt(self, action: Any, done: str | None = None) -> Transition:
        try:
            action()
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
        width = self.app.layout_size[0]
        session = self.room.session
        self.text(surface, fonts.display, _("Facilitator"), palette.text, (self.px(20), self.px(12)))
        turn = _("Turn {turn} of {turns}", turn=min(session.turn + 1, session.compiled.turns),
                 turns=session.compiled.turns)
        ready = ", ".join(seat.team for seat in self.room.seats if self.room.is_ready(seat.role)) or "—"
        status = f"{turn} · {clock_text(room_clock(self.room))} · {_('Ready: {teams}', teams=ready)}"
        if self.exporting is not None:
            status = _("Writing the debrief pack…")
        self.text(surface, fonts.body, status, palette.text_muted,
                  (self.px(20), self.px(12) + fonts.display.get_linesize()), width - self.px(40))
