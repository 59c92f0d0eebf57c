"""The game screen's bars: the top bar (scenario, role, date and turn), the advisors' status line with its
progress bar, and the key help under the map. Each renders its text once and blits it every frame."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.play.session import Session
from game.ui.advisor_worker import AdvisorWorker
from game.ui.fonts import Fonts
from game.ui.i18n import N_, _, current_language, scenario_text
from game.ui.palette import Palette
from game.ui.text_layout import render_line

KEY_HELP = N_("Tab: next · Enter: activate · 1–9: choose · E: end turn · Esc: menu · F5: reload scenario")
Px = Callable[[float], int]


class TopBar:
    """Scenario and role on the left, the date and turn just left of the buttons (which the screen places)."""

    def __init__(self) -> None:
        self._surface: pygame.Surface | None = None
        self._key: tuple[object, ...] | None = None

    def draw(self, surface: pygame.Surface, session: Session, role: str, *, height: int, buttons_x: int,
             fonts: Fonts, palette: Palette, px: Px) -> None:
        width = surface.get_width()
        key = (width, height, buttons_x, session.turn, id(session), current_language(), id(fonts), palette.name)
        if self._surface is None or self._key != key:
            self._surface = self._render(session, role, width, height, buttons_x, fonts, palette, px)
            self._key = key
        surface.blit(self._surface, (0, 0))

    @staticmethod
    def _render(session: Session, role: str, width: int, height: int, buttons_x: int, fonts: Fonts,
                palette: Palette, px: Px) -> pygame.Surface:
        bar = pygame.Surface((width, height))
        bar.fill(palette.panel)
        scenario = session.scenario
        turns = session.compiled.turns
        turn_text = _("Turn {turn} of {turns}", turn=min(session.turn + 1, turns), turns=turns)
        date = fonts.heading.render(f"{session.date_label(language=current_language())} · {turn_text}", True,
                                    palette.accent)
        # the date sits just left of the buttons; the scenario and role get what room is left
        date_x = max(px(10), buttons_x - date.get_width() - px(16))
        bar.blit(date, (date_x, (height - date.get_height()) // 2))
        left = render_line(fonts.body, f"{scenario_text(scenario.title)} — {scenario_text(scenario.roles[role].title)}",
                           palette.text, date_x - px(30))
        if date_x - px(30) > px(40):
            bar.blit(left, (px(10), (height - left.get_height()) // 2))
        pygame.draw.line(bar, palette.border, (0, height - 1), (width, height - 1))
        return bar.convert()


class AdvisorStatus:
    """"● Advisors are thinking… 1.2 s" and a bar that fills as the slowest forecast simulates its turns."""

    def __init__(self) -> None:
        self._text: tuple[str, pygame.Surface] | None = None

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, busy: list[AdvisorWorker], fonts: Fonts,
             palette: Palette, px: Px) -> None:
        if not busy:
            return
        elapsed = max(w.elapsed for w in busy)
        dots = ("●○○", "○●○", "○○●")[int(elapsed * 4) % 3]
        label = f"{dots} {_('Advisors are thinking…')} {elapsed:.1f} s"
        if self._text is None or self._text[0] != label:  # the text changes ten times a second
            self._text = (label, fonts.small.render(label, True, palette.warning))
        text = self._text[1]
        surface.blit(text, rect.topleft)
        bar = pygame.Rect(rect.x + text.get_width() + px(10), rect.y + px(6), rect.w - text.get_width() - px(10),
                          px(4))
        if bar.w > 10:
            pygame.draw.rect(surface, palette.border, bar, 1)
            share = min(w.fraction for w in busy)
            pygame.draw.rect(surface, palette.warning, pygame.Rect(bar.x, bar.y, max(1, int(bar.w * share)), bar.h))


class KeyHelp:
    """The keys, on one line under the map."""

    def __init__(self) -> None:
        self._rendered: tuple[tuple[object, ...], pygame.Surface] | None = None

    def draw(self, surface: pygame.Surface, map_rect: pygame.Rect, fonts: Fonts, palette: Palette, px: Px) -> None:
        key = (map_rect.w, current_language(), id(fonts), palette.name)
        if self._rendered is None or self._rendered[0] != key:
            self._rendered = (key, render_line(fonts.small, _(KEY_HELP), palette.text_muted, map_rect.w - px(10)))
        surface.blit(self._rendered[1], (map_rect.x + px(6), map_rect.bottom + px(3)))
