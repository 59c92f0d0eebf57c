"""The turn summary, for everyone: what happened in the turn just resolved — the news, who ran out of time,
what control brought in or set and why — and the key figures now. Only the public record (the session's
news) is read; Continue passes the machine to the first seat of the next turn.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.play.news import news_text
from game.ui.classroom_scene import ClassroomScene, projector_fonts
from game.ui.i18n import _, current_language
from game.ui.lesson import Lesson, next_screen
from game.ui.scene import Transition


class TurnSummaryScene(ClassroomScene):
    """What turn `turn` (0-based) brought."""

    name = "turn_summary"

    def __init__(self, app: Any, lesson: Lesson, turn: int) -> None:
        super().__init__(app, lesson)
        self.turn = turn

    def build(self) -> None:
        width, height = self.app.layout_size
        language = current_language()
        session = self.room.session
        scenario = session.scenario
        items = [item for item in session.news if item.turn == self.turn]
        self.timeouts = [news_text(i, scenario, language) for i in items if i.kind == "timeout"]
        self.control = [news_text(i, scenario, language) for i in items if i.kind in ("adjust", "inject")]
        self.news = [news_text(i, scenario, language) for i in items
                     if i.kind not in ("timeout", "adjust", "inject")]
        self.view = self.room.public_view(language)
        w, h, margin = self.px(240), self.px(44), self.px(20)
        self.button(pygame.Rect(width - margin - w, height - margin - h, w, h), _("Continue (Enter)"), self._next,
                    class_id="@primary", name="continue")
        self.button(pygame.Rect(margin, height - margin - h, self.px(200), h), _("Facilitator (F)"),
                    self.open_facilitator, name="facilitator")
        if self.focus.index is None:
            self.focus.index = 0

    def _next(self) -> Transition:
        return next_screen(self.lesson)

    def draw_screen(self, surface: pygame.Surface) -> None:
        palette = self.app.palette
        headline, heading, body = projector_fonts(self.app.settings.scale)
        width, height = self.app.layout_size
        margin = self.px(24)
        session = self.room.session
        date = session.date_label(self.turn, current_language())
        y = self.px(14)
        self.text(surface, headline, _("Turn {turn}: what happened", turn=self.turn + 1), palette.text, (margin, y),
                  width - 2 * margin)
        y += headline.get_linesize()
        self.text(surface, heading, date, palette.text_muted, (margin, y))
        y += heading.get_linesize() + self.px(10)
        left_w = (width - 3 * margin) * 3 // 5
        bottom = height - self.px(84)
        sections = [(_("News"), self.news or [_("No news this turn.")], palette.text)]
        if self.timeouts:
            sections.append((_("Time ran out"), self.timeouts, palette.warning))
        if self.control:
            sections.append((_("Control"), self.control, palette.warning))
        line_y = y
        for title, lines, colour in sections:
            if line_y >= bottom:
                break
            self.text(surface, heading, title, palette.accent, (margin, line_y))
            line_y += heading.get_linesize()
            for line in lines:
                if line_y >= bottom:
                    break
                line_y = self.text(surface, body, line, colour, (margin, line_y), left_w, wrap=True).bottom + self.px(4)
            line_y += self.px(10)
        x = 2 * margin + left_w
        right_w = width - x - margin
        self.text(surface, heading, _("Key figures"), palette.accent, (x, y))
        y += heading.get_linesize()
        for variable in self.view.key_variables:
            value = self.text(surface, body, variable.value, palette.text, (x + right_w, y), anchor="topright")
            self.text(surface, body, variable.label, palette.text_muted, (x, y), value.x - x - self.px(10))
            y += body.get_linesize()
        if self.view.is_over:
            ending = self.view.ending or _("no ending reached")
            self.text(surface, heading, _("The game is over: {ending}", ending=ending), palette.warning,
                      (x, y + self.px(12)), right_w, wrap=True)
