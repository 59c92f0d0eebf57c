"""The hosted room's codes, for the teacher: the join address in large type, the room code and each seat's
code (with how many devices have joined it), "Write role cards" (the cards with the codes, into the user's
data folder) and "Start the lesson" (the room locks: a seat code admits no new device, and the projector
screen follows the game).

A seat code opens its team's private briefing, so the screen says to keep it off the projector; the
facilitator key is not shown (this game is the facilitator's console).
"""

from __future__ import annotations

from typing import Any

import pygame

from game.report.played import ReportProblem
from game.ui.classroom_scene import ClassroomScene, projector_fonts
from game.ui.hosted_room import ONLY_THIS_COMPUTER, HostedRoom
from game.ui.i18n import _, current_language
from game.ui.lesson import Lesson
from game.ui.scene import GoTo, Transition


class RoomCodesScene(ClassroomScene):
    """Where students join, and with which codes."""

    name = "room_codes"
    facilitator_key = False  # this is the teacher's own screen already

    def __init__(self, app: Any, lesson: Lesson) -> None:
        super().__init__(app, lesson)
        assert lesson.hosted is not None, "the codes screen is for a hosted room"
        self.hosted: HostedRoom = lesson.hosted
        self.cards_written: str | None = None

    def build(self) -> None:
        self.state = self.lesson.state(current_language())
        width, height = self.app.layout_size
        margin, w, h = self.px(24), self.px(240), self.px(44)
        self.button(pygame.Rect(width - margin - w, height - margin - h, w, h), _("Start the lesson"), self._start,
                    class_id="@primary", name="start")
        self.button(pygame.Rect(width - 2 * (margin + w), height - margin - h, w, h), _("Write role cards"),
                    self._write_cards, name="cards")
        if self.focus.index is None:
            self.focus.focus_named("start")

    def _write_cards(self) -> Transition:
        from game.report.exports import write_role_cards

        hosted = self.hosted
        roles = [seat.role for seat in self.state.seats]
        folder = self.app.data_dir / "cards" / hosted.room_code
        try:
            path, count = write_role_cards(hosted.scenario, roles, current_language(), folder,
                                           codes=hosted.card_codes(), teams={s.role: s.team for s in self.state.seats})
        except ReportProblem as problem:
            self.app.notify(problem.message, kind="error")
            return None
        self.cards_written = str(path)
        self.app.notify(_("{count} role cards with their codes are in {path}", count=count, path=str(path)),
                        seconds=8.0)
        return None

    def _start(self) -> Transition:
        self.hosted.start_lesson()
        return GoTo("projector", lesson=self.lesson)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        return None

    def draw_screen(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        headline, heading, body = projector_fonts(self.app.settings.scale)
        width = self.app.layout_size[0]
        margin = self.px(24)
        full = width - 2 * margin
        hosted = self.hosted
        y = self.px(14)
        self.text(surface, fonts.display, _("Students join from browsers"), palette.text, (margin, y), full)
        y += fonts.display.get_linesize() + self.px(6)
        self.text(surface, fonts.body, _("Open this address in a browser on the same network:"), palette.text_muted,
                  (margin, y), full)
        y += fonts.body.get_linesize()
        y = self.text(surface, headline, hosted.join, palette.accent, (margin, y), full).bottom + self.px(4)
        room = _("Room code: {room}", room=hosted.room_code)
        y = self.text(surface, heading, room, palette.text, (margin, y), full).bottom + self.px(4)
        if hosted.bind == ONLY_THIS_COMPUTER:
            note = _("Only this computer can join (a rehearsal). For a class, choose The school network at the setup.")
            y = self.text(surface, fonts.body, note, palette.warning, (margin, y), full, wrap=True).bottom
        y += self.px(10)
        self.text(surface, heading, _("Seat codes"), palette.accent, (margin, y))
        y += heading.get_linesize()
        code_x = margin + full * 11 // 20
        count_x = width - margin
        line = max(heading.get_linesize(), body.get_linesize())
        for seat in hosted.seat_codes(self.state):
            middle = y + line // 2  # the team, its code and its devices on one line
            count = self.text(surface, body, _("{count} connected", count=seat.connected), palette.text_muted,
                              (count_x, middle), anchor="midright")
            self.text(surface, body, f"{seat.team} — {seat.title}", palette.text, (margin, middle),
                      code_x - margin - self.px(12), anchor="midleft")
            self.text(surface, heading, seat.code, palette.text, (code_x, middle), count.x - code_x - self.px(12),
                      anchor="midleft")
            y += line + self.px(2)
        y += self.px(8)
        lines = [
            (_("Keep this screen off the projector: a seat code opens its team's private briefing."), palette.warning),
            (_("Projector page: type the projector code {code}", code=hosted.projector_code), palette.text_muted),
            (_("The room is saved after every move in {folder}", folder=str(hosted.folder)), palette.text_muted),
        ]
        if self.cards_written:
            lines.append((_("Role cards: {path}", path=self.cards_written), palette.text_muted))
        for note, colour in lines:
            y = self.text(surface, fonts.body, note, colour, (margin, y), full, wrap=True).bottom + self.px(2)
