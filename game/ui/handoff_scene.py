"""The privacy screen between seats: nothing of the game, only who is next.

"Pass to: the U.S. President — Team A — hold Space". Holding Space (or the mouse button) for
`HOLD_SECONDS` goes on to that seat's private briefing (its first time) or its game screen, so a stray
key press by the team that just played reveals nothing. The clock keeps running: the seat's time is
the whole class's turn.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.play.news import role_title
from game.ui.classroom_scene import ClassroomScene
from game.ui.i18n import _, current_language
from game.ui.lesson import Lesson
from game.ui.scene import GoTo, Transition

HOLD_SECONDS = 1.0


class HandoffScene(ClassroomScene):
    """Pass the machine to the next seat."""

    name = "handoff"

    def __init__(self, app: Any, lesson: Lesson, role: str) -> None:
        super().__init__(app, lesson)
        self.role = role
        self.held = 0.0
        self.holding = False

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
            self.holding = True
            return None
        if event.type == pygame.KEYUP and event.key == pygame.K_SPACE:
            self.holding, self.held = False, 0.0
            return None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.holding = True
            return None
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.holding, self.held = False, 0.0
            return None
        return super().handle_event(event)

    def update(self, dt: float) -> Transition:
        outcome = super().update(dt)
        if outcome is not None:
            return outcome
        if self.holding and self.modal is None:
            self.held += dt
            if self.held >= HOLD_SECONDS:
                return self.go_on()
        return None

    def go_on(self) -> GoTo:
        """The seat's private briefing the first time, its game screen after that."""
        if self.role not in self.lesson.briefed:
            return GoTo("seat_briefing", lesson=self.lesson, role=self.role)
        return GoTo("seat", lesson=self.lesson, role=self.role)

    def draw_screen(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        width, height = self.app.layout_size
        seat = self.room.seat(self.role)
        title = role_title(self.room.session.scenario, self.role, current_language())
        centre = width // 2
        self.text(surface, fonts.display, _("Pass to: {role} — {team}", role=title, team=seat.team), palette.text,
                  (centre, height // 2 - self.px(40)), width - self.px(60), anchor="midbottom")
        self.text(surface, fonts.heading, _("Hold Space to go on"), palette.accent, (centre, height // 2),
                  anchor="midtop")
        bar = pygame.Rect(0, 0, self.px(320), self.px(10))
        bar.midtop = (centre, height // 2 + self.px(44))
        pygame.draw.rect(surface, palette.border, bar, 1, border_radius=4)
        share = min(1.0, self.held / HOLD_SECONDS)
        if share > 0:
            pygame.draw.rect(surface, palette.accent, pygame.Rect(bar.x, bar.y, int(bar.w * share), bar.h),
                             border_radius=4)
        self.text(surface, fonts.small, _("Others: please look away from the screen. F: facilitator"),
                  palette.text_muted, (centre, height - self.px(16)), anchor="midbottom")
