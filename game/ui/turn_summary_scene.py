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
        lesson.hold_clock()  # the next turn's time starts when the machine goes to its first seat

    def build(self) -> None:
        language = current_language()
        session = self.room.session
        scenario = session.scenario
        items = [item for item in session.news if item.turn == self.turn]
        self.timeouts = [news_text(i, scenario, language) for i in items if i.kind == "timeout"]
        self.control = [news_text(i, scenario, language) for i in items if i.kind in ("adjust", "inject")]
        self.news = [news_text(i, scenario, language) for i in items
                     if i.kind not in ("timeout", "adjust", "inject")]
        self.view = self.room.public_view(language)
        self.build_public_buttons(_("Continue (Enter)"), self._next)

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
        self.draw_key_figures(surface, self.view.key_variables, (x, y), right_w, (heading, body))
        y += heading.get_linesize() + body.get_linesize() * len(self.view.key_variables)
        if self.view.is_over:
            ending = self.view.ending or _("no ending reached")
            self.text(surface, heading, _("The game is over: {ending}", ending=ending), palette.warning,
                      (x, y + self.px(12)), right_w, wrap=True)
