"""The projector: the public side of the lesson, in large type — the date and turn, the clock, which seats
are ready (never what they chose), the key variables, the latest news, and before the first turn every
seat's public briefing. Nothing here comes from anywhere but the room's public view.

Enter passes the machine to the next seat (its privacy screen); F opens the facilitator's console. When the
students join from browsers there is no machine to pass: the screen follows the hosted room as it changes
and shows the join address and the room code for a late team.
"""

from __future__ import annotations

import pygame

from game.play.room import PublicView
from game.ui.classroom_scene import ClassroomScene, projector_fonts
from game.ui.i18n import _, current_language
from game.ui.lesson import clock_text, next_screen
from game.ui.scene import Transition

NEWS_LINES = 6


class ProjectorScene(ClassroomScene):
    """The public screen between turns and seats."""

    name = "projector"

    def build(self) -> None:
        self.view: PublicView = self.lesson.state(current_language()).public
        if self.view.is_over:
            label = _("The game is over")
        elif self.lesson.hosted is not None:
            label = _("Teams play on their own devices")
        else:
            label = _("Pass to the next seat (Enter)")
        self.build_public_buttons(label, self._next, enabled=not self.view.is_over and self.lesson.hosted is None)

    def _next(self) -> Transition:
        return next_screen(self.lesson)

    def update(self, dt: float) -> Transition:
        outcome = super().update(dt)
        if outcome is None and self.lesson.hosted is None and self.app.frames % 30 == 0:
            self.view = self.lesson.state(current_language()).public  # readiness and the clock change meanwhile
        return outcome

    def draw_screen(self, surface: pygame.Surface) -> None:
        palette = self.app.palette
        headline, heading, body = projector_fonts(self.app.settings.scale)
        width, height = self.app.layout_size
        view, margin = self.view, self.px(24)
        y = self.px(14)
        clock = self.lesson.clock()
        clock_colour = palette.warning if clock.warning or clock.expired else palette.accent
        clock_rect = self.text(surface, headline, clock_text(clock), clock_colour, (width - margin, y),
                               anchor="topright")
        self.text(surface, headline, view.title, palette.text, (margin, y), clock_rect.x - 2 * margin)
        y += headline.get_linesize()
        turn = _("Turn {turn} of {turns}", turn=min(view.turn + 1, view.turns), turns=view.turns)
        self.text(surface, heading, f"{view.date} · {turn}", palette.text_muted, (margin, y))
        y += heading.get_linesize() + self.px(8)
        hosted = self.lesson.hosted
        if hosted is not None and not view.is_over:
            join = _("Join at {address} · room {room}", address=hosted.join, room=hosted.room_code)
            y = self.text(surface, body, join, palette.accent, (margin, y), width - 2 * margin).bottom + self.px(8)
        x = margin
        for seat in view.seats:
            state = _("ready") if seat.ready else _("deciding")
            line = f"{seat.team} — {seat.title}: {state}"
            if x > margin and x + body.size(line)[0] > width - margin:
                x, y = margin, y + body.get_linesize()
            rect = self.text(surface, body, line, palette.accent if seat.ready else palette.text, (x, y),
                             width - margin - x)
            x = rect.right + self.px(28)
        y += body.get_linesize() + self.px(14)
        if view.is_over:
            self.text(surface, heading, _("The game is over: {ending}", ending=view.ending or _("no ending reached")),
                      palette.warning, (margin, y), width - 2 * margin)
            y += heading.get_linesize() + self.px(8)
        left_w = (width - 3 * margin) * 2 // 5
        self.draw_key_figures(surface, view.key_variables, (margin, y), left_w, (heading, body))
        right = pygame.Rect(2 * margin + left_w, y, width - 3 * margin - left_w, height - self.px(84) - y)
        surface.set_clip(right)  # a long briefing stops above the buttons
        try:
            self._right(surface, view, right.topleft, right.w, right.h, heading, body)
        finally:
            surface.set_clip(None)

    def _right(self, surface: pygame.Surface, view: PublicView, at: tuple[int, int], width: int, height: int,
               heading: pygame.font.Font, body: pygame.font.Font) -> None:
        palette = self.app.palette
        x, y = at
        bottom = y + height
        if view.turn == 0 and not view.news:
            self.text(surface, heading, _("Public briefings"), palette.accent, (x, y))
            y += heading.get_linesize()
            for title, briefing in view.public_briefings:
                if y >= bottom:
                    break
                y = self.text(surface, body, title, palette.text, (x, y), width).bottom
                y = self.text(surface, self.app.fonts.body, briefing, palette.text_muted, (x, y), width,
                              wrap=True).bottom + self.px(10)
            return
        self.text(surface, heading, _("News"), palette.accent, (x, y))
        y += heading.get_linesize()
        for item in list(view.news)[-NEWS_LINES:]:
            if y >= bottom:
                break
            y = self.text(surface, body, f"{item.date}: {item.text}", palette.text, (x, y), width,
                          wrap=True).bottom + self.px(6)
