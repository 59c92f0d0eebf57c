"""The dashboard: key variables with sparklines, opinion groups, the obligation ledger and the news log.

It is drawn into one cached surface, re-rendered only when the game changes (a turn, a command),
never per frame. Every number on it remembers its rectangle, so hovering it (or giving it the
keyboard focus) can answer "why did this change?" from the last turn's causal ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.play.news import news_text
from game.play.numbers import format_change, format_number, format_value
from game.play.session import Session
from game.play.why_changed import why_changed
from game.scenario.symbols import variable_unit
from game.ui.charts import draw_sparkline
from game.ui.fonts import Fonts
from game.ui.i18n import _, current_language, scenario_text
from game.ui.palette import Palette
from game.ui.text_layout import fit_line, render_line, render_wrapped

NEWS_SHOWN = 10


@dataclass(frozen=True)
class Hotspot:
    """A number on the dashboard (content coordinates) and the variable it shows."""

    rect: pygame.Rect
    variable: str


def sparkline(surface: pygame.Surface, rect: pygame.Rect, values: Sequence[float], colour: tuple[int, int, int],
              lower: float, upper: float) -> None:
    """A small line of a variable's history (drawn by the charts module)."""
    draw_sparkline(surface, rect, values, colour, lower=lower, upper=upper)


def sparkline_range(history: Sequence[float], lower: float, upper: float) -> tuple[float, float]:
    """The vertical range of a sparkline: the history's own span (so a trend shows), at least a tenth of
    the variable's range (so noise does not look like a crisis), kept inside the range."""
    low, high = min(history), max(history)
    minimum = (upper - lower) / 10
    if high - low < minimum:
        middle = (high + low) / 2
        low, high = middle - minimum / 2, middle + minimum / 2
    if low < lower:
        low, high = lower, lower + (high - low)
    if high > upper:
        low, high = upper - (high - low), upper
    return low, high


class Dashboard:
    """Renders the left column for one session."""

    def __init__(self, rect: pygame.Rect, session: Session, role: str, fonts: Fonts, palette: Palette,
                 language: str, scale: float) -> None:
        self.rect = pygame.Rect(rect)
        self.session = session
        self.role = role
        self.fonts = fonts
        self.palette = palette
        self.language = language
        self.scale = scale
        self.offset = 0
        self.hotspots: list[Hotspot] = []
        self.content = pygame.Surface((1, 1))
        self._rendered_for: tuple[int, int, int] | None = None

    def px(self, value: float) -> int:
        return round(value * self.scale)

    # --- rendering ------------------------------------------------------------------------------------

    def refresh(self, session: Session | None = None) -> None:
        """Render again if the game changed since the last render (cheap to call every frame)."""
        if session is not None:
            self.session = session
        key = (id(self.session), self.session.turn, len(self.session.commands))
        if key != self._rendered_for:
            self._render()
            self._rendered_for = key
            self.offset = min(self.offset, self.max_offset)

    def _render(self) -> None:
        width = self.rect.w
        height = max(self.rect.h, self._estimate_height())
        surface = pygame.Surface((width, height))
        surface.fill(self.palette.panel)
        self.hotspots = []
        y = self.px(8)
        y = self._key_variables(surface, y)
        y = self._opinion(surface, y + self.px(6))
        y = self._obligations(surface, y + self.px(6))
        y = self._news(surface, y + self.px(6))
        content = surface.subsurface((0, 0, width, max(self.rect.h, min(height, y + self.px(8))))).copy()
        # in the display's pixel format the per-frame blit is a plain copy
        self.content = content.convert() if pygame.display.get_surface() is not None else content

    def _estimate_height(self) -> int:
        line = self.fonts.body.get_linesize()
        groups = len(self.session.scenario.opinion.groups)
        obligations = sum(1 for t in self.session.scenario.treaties for a in t.articles if a.obligation)
        rows = 4 + len(self.session.compiled.key_variables) * 2 + groups * 2 + obligations * 2 + NEWS_SHOWN * 3
        return rows * line + self.px(120)

    def _heading(self, surface: pygame.Surface, y: int, text: str) -> int:
        title = self.fonts.heading.render(text, True, self.palette.accent)
        surface.blit(title, (self.px(10), y))
        return y + title.get_height() + self.px(2)

    def _key_variables(self, surface: pygame.Surface, y: int) -> int:
        session, palette, fonts = self.session, self.palette, self.fonts
        compiled = session.compiled
        y = self._heading(surface, y, _("Key variables"))
        inner = self.rect.w - self.px(20)
        spark_w = self.px(70)
        for index, variable in enumerate(compiled.key_variables):
            i = compiled.variable_index[variable]
            value = float(session.values[i])
            history = session.value_history(variable)
            delta = history[-1] - history[-2] if len(history) >= 2 else 0.0
            unit = variable_unit(session.scenario, variable)
            value_text = format_value(value, unit)
            value_surface = fonts.body.render(value_text, True, palette.text)
            label_w = inner - value_surface.get_width() - self.px(8)
            label = render_line(fonts.body, compiled.label(variable, self.language), palette.text, label_w)
            x = self.px(10)
            surface.blit(label, (x, y))
            surface.blit(value_surface, (x + inner - value_surface.get_width(), y))
            # second line: the last change, then the history as a sparkline up to the right edge
            line2 = y + label.get_height() - self.px(2)
            small_h = fonts.small.get_linesize()
            arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
            # Nothing has moved before turn 1.
            change_text = f"{arrow} {format_change(delta)}" if len(history) >= 2 else ""
            change = fonts.small.render(change_text or " ", True, palette.text_muted)
            surface.blit(change, (x + self.px(8), line2))
            spark_x = x + self.px(8) + max(change.get_width(), self.px(64)) + self.px(8)
            spark = pygame.Rect(spark_x, line2 + self.px(2), min(spark_w * 2, x + inner - spark_x),
                                small_h - self.px(4))
            low, high = sparkline_range(history, float(compiled.lower[i]), float(compiled.upper[i]))
            sparkline(surface, spark, history, palette.series_colour(index), low, high)
            row_h = line2 + small_h - y
            self.hotspots.append(Hotspot(pygame.Rect(x, y, inner, row_h), variable))
            y += row_h + self.px(4)
        return y

    def _opinion(self, surface: pygame.Surface, y: int) -> int:
        scenario, palette, fonts = self.session.scenario, self.palette, self.fonts
        if not scenario.opinion.groups:
            return y
        y = self._heading(surface, y, _("Opinion"))
        inner = self.rect.w - self.px(20)
        for group_id, group in scenario.opinion.groups.items():
            label = render_line(fonts.body, scenario_text(group.label), palette.text, inner)
            surface.blit(label, (self.px(10), y))
            y += label.get_height()
            x = self.px(18)
            for issue_id, issue in scenario.opinion.issues.items():
                variable = f"opinion.{group_id}.{issue_id}"
                value = self.session.value(variable)
                text = f"{fit_line(fonts.small, scenario_text(issue.label), self.px(120))} {format_number(value, 2)}"
                cell = fonts.small.render(text, True, palette.relation_colour((value - 50) * 2))
                if x + cell.get_width() > self.rect.w - self.px(8) and x > self.px(18):
                    x = self.px(18)
                    y += cell.get_height()
                surface.blit(cell, (x, y))
                self.hotspots.append(Hotspot(pygame.Rect(x, y, cell.get_width(), cell.get_height()), variable))
                x += cell.get_width() + self.px(12)
            y += fonts.small.get_linesize() + self.px(4)
        return y

    def _obligations(self, surface: pygame.Surface, y: int) -> int:
        scenario, palette, fonts = self.session.scenario, self.palette, self.fonts
        articles = [(t, a) for t in scenario.treaties for a in t.articles if a.obligation is not None]
        if not articles:
            return y
        y = self._heading(surface, y, _("Obligations"))
        inner = self.rect.w - self.px(20)
        for treaty, article in articles:
            key = f"{treaty.id}.{article.id}"
            records = [r for r in self.session.obligation_ledger if r.obligation == key]
            counts = {outcome: sum(1 for r in records if r.outcome == outcome)
                      for outcome in ("engaged", "honoured", "evaded")}
            name = render_line(fonts.body, f"{scenario_text(article.title)} — {scenario_text(treaty.name)}",
                               palette.text, inner)
            surface.blit(name, (self.px(10), y))
            y += name.get_height()
            summary = " · ".join(f"{_(outcome)} {count}" for outcome, count in counts.items())
            if records:
                last = records[-1]
                summary += f"  ({self.session.date_label(last.turn, current_language())}: {_(last.outcome)})"
            colour = palette.warning if counts["evaded"] else palette.text_muted
            line = render_line(fonts.small, summary, colour, inner - self.px(8))
            surface.blit(line, (self.px(18), y))
            y += line.get_height() + self.px(4)
        return y

    def _news(self, surface: pygame.Surface, y: int) -> int:
        palette, fonts = self.palette, self.fonts
        y = self._heading(surface, y, _("News"))
        news = self.session.news[-NEWS_SHOWN:]
        if not news:
            text = fonts.small.render(_("No news yet."), True, palette.text_muted)
            surface.blit(text, (self.px(10), y))
            return y + text.get_height()
        width = self.rect.w - self.px(20)
        for item in reversed(news):
            colour = palette.warning if item.kind in ("obligation", "ending") else palette.text
            date = self.session.date_label(item.turn, current_language())
            text = render_wrapped(fonts.small, f"{date} · {news_text(item, self.session.scenario)}", colour, width)
            surface.blit(text, (self.px(10), y))
            y += text.get_height() + self.px(3)
        return y

    # --- interaction ------------------------------------------------------------------------------------

    @property
    def max_offset(self) -> int:
        return max(0, self.content.get_height() - self.rect.h)

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Scroll on the mouse wheel over the dashboard."""
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            self.offset = min(self.max_offset, max(0, self.offset - event.y * self.px(40)))
            return True
        return False

    def hotspot_at(self, pos: tuple[int, int]) -> Hotspot | None:
        """The number under the pointer, if any."""
        if not self.rect.collidepoint(pos):
            return None
        local = (pos[0] - self.rect.x, pos[1] - self.rect.y + self.offset)
        return next((h for h in self.hotspots if h.rect.collidepoint(local)), None)

    def screen_rect(self, hotspot: Hotspot) -> pygame.Rect:
        """Where a hotspot is on screen now."""
        return hotspot.rect.move(self.rect.x, self.rect.y - self.offset)

    def reveal(self, hotspot: Hotspot) -> None:
        """Scroll so that a hotspot is visible (it got the keyboard focus)."""
        if hotspot.rect.top < self.offset:
            self.offset = hotspot.rect.top
        elif hotspot.rect.bottom > self.offset + self.rect.h:
            self.offset = min(self.max_offset, hotspot.rect.bottom - self.rect.h)

    def draw(self, surface: pygame.Surface) -> None:
        """Blit the visible part of the cached dashboard."""
        surface.blit(self.content, self.rect.topleft, pygame.Rect(0, self.offset, self.rect.w, self.rect.h))
        if self.max_offset:
            total = self.content.get_height()
            bar_h = max(20, self.rect.h * self.rect.h // total)
            bar_y = self.rect.y + (self.rect.h - bar_h) * self.offset // self.max_offset
            pygame.draw.rect(surface, self.palette.border, (self.rect.right - 4, bar_y, 4, bar_h), border_radius=2)


def why_lines(session: Session, variable: str, language: str) -> tuple[str, list[tuple[str, str]]]:
    """The 'why did this change?' tooltip: a title and (amount, source) rows from the last turn's ledger."""
    why = why_changed(session, variable, language)
    rows = [(format_change(part.amount), part.source) for part in why.parts]
    if not why.parts:
        rows.append(("", _("No change last turn.")))
    else:
        rows.append((format_change(why.total), f"= {format_number(why.before)} → {format_number(why.after)}"))
    if why.inputs:
        rows.append(("", _("Computed from: {inputs}", inputs=", ".join(why.inputs))))
    return why.label, rows


def tooltip_surface(title: str, rows: list[tuple[str, str]], fonts: Fonts, palette: Palette,
                    scale: float) -> pygame.Surface:
    """The 'why did this change?' box: a title and right-aligned amounts before their sources.

    Rendered once per variable and turn and then only blitted: re-rendering a dozen text lines every frame
    while the pointer rests on a variable would cost more than the rest of the frame.
    """
    pad = round(8 * scale)
    heading = fonts.body.render(f"{_('Why did this change?')} — {title}", True, palette.accent)
    amounts = [fonts.small.render(a, True, palette.text) for a, _s in rows]
    amount_w = max((s.get_width() for s in amounts), default=0)
    max_text = round(420 * scale)
    sources = [render_line(fonts.small, s, palette.text_muted if a else palette.text, max_text) for a, s in rows]
    width = max(heading.get_width(), amount_w + pad + max((s.get_width() for s in sources), default=0)) + 2 * pad
    line = fonts.small.get_linesize()
    height = heading.get_height() + len(rows) * line + 2 * pad + round(4 * scale)
    box = pygame.Surface((width, height), pygame.SRCALPHA)
    frame = box.get_rect()
    pygame.draw.rect(box, palette.background, frame, border_radius=6)
    pygame.draw.rect(box, palette.accent, frame, 1, border_radius=6)
    box.blit(heading, (pad, pad))
    y = pad + heading.get_height() + round(4 * scale)
    for amount, source in zip(amounts, sources, strict=True):
        box.blit(amount, (pad + amount_w - amount.get_width(), y))
        box.blit(source, (2 * pad + amount_w, y))
        y += line
    return box


def blit_tooltip(surface: pygame.Surface, anchor: pygame.Rect, box: pygame.Surface, scale: float) -> None:
    """Put a tooltip box beside `anchor` (right of it if it fits, else left), inside the window."""
    pad = round(8 * scale)
    rect = box.get_rect(topleft=(anchor.right + pad, anchor.y))
    if rect.right > surface.get_width():
        rect.right = anchor.x - pad
    rect.clamp_ip(surface.get_rect())
    surface.blit(box, rect)


def draw_tooltip(surface: pygame.Surface, anchor: pygame.Rect, title: str, rows: list[tuple[str, str]],
                 fonts: Fonts, palette: Palette, scale: float) -> None:
    """A box beside `anchor` with a title and right-aligned amounts before their sources."""
    blit_tooltip(surface, anchor, tooltip_surface(title, rows, fonts, palette, scale), scale)
