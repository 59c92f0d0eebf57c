"""A seat's own screens: its private briefing (the first time the machine comes to it) and the game screen
as that seat sees it — the game screen itself (`GameScene`) with the turn's clock in the top bar and
"Ready" instead of "End turn"; every command goes through the room, so the room knows when each was
given. Ready hands the machine on: to the next seat's privacy screen, or to the turn's public summary
when this seat was the last one.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.engine.turn import TurnReport
from game.play.commands import Command, CommandRejected
from game.play.room_saves import write_room_save
from game.play.saves import SaveError
from game.ui.classroom_scene import ClassroomScene
from game.ui.game_scene import TOP_BAR, GameScene
from game.ui.i18n import _, current_language
from game.ui.lesson import Lesson, after_turn, clock_text, next_screen, room_clock
from game.ui.message_dialog import MessageDialog
from game.ui.scene import GoTo, Transition
from game.ui.settings_dialog import SettingsDialog
from game.ui.text_pane import Block, TextPane

AUTOSAVE_NAME = "classroom-autosave.json"


class SeatBriefingScene(ClassroomScene):
    """The seat's public and private briefing and its objectives, read once before its first turn."""

    name = "seat_briefing"
    facilitator_key = False  # a team is reading its private briefing: F is just a key here

    def __init__(self, app: Any, lesson: Lesson, role: str) -> None:
        super().__init__(app, lesson)
        self.role = role
        self.panes: list[TextPane] = []
        self._title = ""

    def build(self) -> None:
        width, height = self.app.layout_size
        palette, fonts = self.app.palette, self.app.fonts
        view = self.room.seat_view(self.role, current_language())
        self._title = view.title
        margin, button_h = self.px(24), self.px(40)
        top = self.px(12) + fonts.display.get_linesize() + fonts.body.get_linesize() + self.px(16)
        column_w = (width - 3 * margin) // 2
        pane_h = height - top - 2 * margin - button_h
        public = [Block(fonts.heading, _("Public briefing"), palette.accent, self.px(6)),
                  Block(fonts.body, view.public_briefing, palette.text, self.px(12))]
        if view.objectives:
            public.append(Block(fonts.heading, _("Objectives"), palette.accent, self.px(4)))
            public += [Block(fonts.body, f"• {objective}", palette.text, self.px(3)) for objective in view.objectives]
        private = [Block(fonts.heading, _("Private briefing"), palette.warning, self.px(6)),
                   Block(fonts.body, view.private_briefing or _("(This role has no private briefing.)"), palette.text,
                         self.px(12))]
        self.panes = [TextPane(pygame.Rect(margin, top, column_w, pane_h), public, palette.border),
                      TextPane(pygame.Rect(2 * margin + column_w, top, column_w, pane_h), private, palette.border)]
        w = self.px(220)
        self.button(pygame.Rect(width - margin - w, height - margin - button_h, w, button_h), _("Begin the turn"),
                    self._begin, class_id="@primary", name="begin")
        if self.focus.index is None:
            self.focus.index = 0

    def _begin(self) -> Transition:
        self.lesson.briefed.add(self.role)
        return GoTo("seat", lesson=self.lesson, role=self.role)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        for n, pane in enumerate(self.panes):
            pane.handle_event(event, focused=n == 0)
        return super().handle_event(event)

    def draw_screen(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        seat = self.room.seat(self.role)
        self.text(surface, fonts.display, f"{self._title} — {seat.team}", palette.text, (self.px(24), self.px(12)))
        self.text(surface, fonts.body, clock_text(room_clock(self.room))
                  if self.room.clock.limit_seconds else _("Only your team should see this screen."),
                  palette.text_muted, (self.px(24), self.px(12) + fonts.display.get_linesize()))
        for pane in self.panes:
            pane.draw(surface)
            self.texts += [block.text for block in pane.blocks]


class SeatGameScene(GameScene):
    """The game screen of one seat of a classroom room."""

    name = "seat"

    def __init__(self, app: Any, lesson: Lesson, role: str) -> None:
        self.lesson = lesson
        self.clock_x = 0
        self._clock_text: tuple[str, bool, pygame.Surface] | None = None
        super().__init__(app, lesson.room.session, role)

    def end_turn_text(self) -> str:
        return f"{_('Ready')} (E)"

    def send(self, command: Command) -> TurnReport | None:
        return self.lesson.room.apply(command)

    def _end_turn(self) -> Transition:
        room = self.lesson.room
        if room.session.is_over:
            return next_screen(self.lesson)
        self.commit_levers()
        try:
            report = room.ready(self.role)
        except CommandRejected as rejected:
            self.app.notify(rejected.message, kind="warning")
            self._set_tab("decision")
            return None
        self._autosave()
        return after_turn(self.lesson) if report is not None else next_screen(self.lesson)

    def _autosave(self) -> None:
        """The whole room (seats, clock, room log), so a crashed lesson can still give its debrief pack."""
        try:
            write_room_save(self.lesson.room, self.app.data_dir / "saves" / AUTOSAVE_NAME, label=_("Classroom"))
        except SaveError as error:
            self.app.notify(error.message, kind="error")

    def _to_debrief(self) -> Transition:
        return next_screen(self.lesson)

    def _open_menu(self) -> Transition:
        """A seat's menu has no Load or Quit to title: a team must not leave the room's game."""
        lines = [_("This is a classroom game: Ready (E) hands the machine on. Saving, loading and quitting are "
                   "the facilitator's (F on the projector, with the PIN)."),
                 _("The room is saved automatically after every Ready.")]
        self.open_modal(MessageDialog(self, _("Classroom"), lines, error=False,
                                      actions=[(_("Settings"), self._settings)], close_label=_("Resume")))
        return None

    def _settings(self) -> Transition:
        self.open_modal(SettingsDialog(self))
        return None

    def reload_scenario(self) -> Transition:
        self.app.notify(_("F5 is off in a classroom game: the room's record must stay one game."), kind="warning")
        return None

    def update(self, dt: float) -> Transition:
        outcome = super().update(dt)
        if outcome is not None:
            return outcome
        if self.lesson.room.tick() is not None:
            self.app.notify(_("Time is up: every seat not ready took its defaults."), kind="warning")
            return after_turn(self.lesson)
        return None

    def _build_top_bar(self, width: int) -> None:
        super()._build_top_bar(width)
        clock_w = self.app.fonts.heading.size(_("Paused · {left}", left=_("{minutes}:{seconds:02d} left",
                                                                           minutes=88, seconds=88)))[0]
        self.clock_x = self.top_buttons_x - clock_w
        self.top_buttons_x = self.clock_x - self.px(12)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        clock = room_clock(self.lesson.room)
        if clock.limit_seconds is not None:
            text, warn = clock_text(clock), clock.warning or clock.expired
            if self._clock_text is None or self._clock_text[:2] != (text, warn):
                colour = self.app.palette.warning if warn else self.app.palette.text
                self._clock_text = (text, warn, self.app.fonts.heading.render(text, True, colour))
        if self._clock_text is not None:
            rendered = self._clock_text[2]
            surface.blit(rendered, (self.clock_x, (self.px(TOP_BAR) - rendered.get_height()) // 2))
