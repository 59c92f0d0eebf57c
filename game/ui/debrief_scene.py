"""The debrief: the ending, the score and grade, the key variables over time, the obligation ledger,
and each of the player's decisions beside what happened historically."""

from __future__ import annotations

from typing import Any

import pygame

from game.play.decisions import describe_decision, find_event
from game.play.session import Session
from game.ui.charts import draw_line_chart
from game.ui.dashboard import variable_unit
from game.ui.i18n import _, current_language, scenario_text
from game.ui.scene import Scene, Transition
from game.ui.text_layout import render_line
from game.ui.text_pane import Block, TextPane


class DebriefScene(Scene):
    """The end of a game."""

    name = "debrief"

    def __init__(self, app: Any, session: Session, role: str) -> None:
        super().__init__(app)
        self.session = session
        self.role = role
        self.summary: TextPane | None = None
        self.history: TextPane | None = None
        self.charts: pygame.Surface | None = None
        self.charts_at = (0, 0)

    def build(self) -> None:
        width, height = self.app.layout_size
        margin, button_h = self.px(20), self.px(38)
        top = self.px(10) + self.app.fonts.display.get_linesize() + self.px(8)
        column_w = (width - 3 * margin) // 2
        bottom = height - margin - button_h - self.px(10)
        summary_h = (bottom - top) * 9 // 20
        self.summary = TextPane(pygame.Rect(margin, top, column_w, summary_h), self._summary_blocks(),
                                self.app.palette.border)
        chart_rect = pygame.Rect(margin, top + summary_h + self.px(8), column_w, bottom - top - summary_h - self.px(8))
        self.charts = self._render_charts(chart_rect.size)
        self.charts_at = chart_rect.topleft
        self.history = TextPane(pygame.Rect(2 * margin + column_w, top, column_w, bottom - top),
                                self._history_blocks(), self.app.palette.border)
        w = self.px(220)
        self.button(pygame.Rect(width - margin - w, height - margin - button_h, w, button_h), _("Back to title"),
                    self._back, class_id="@primary", name="back")
        if self.focus.index is None:
            self.focus.index = 0

    # --- content ----------------------------------------------------------------------------------------

    def _summary_blocks(self) -> list[Block]:
        palette, fonts = self.app.palette, self.app.fonts
        scenario = self.session.scenario
        ending_id = self.session.ending
        ending = next((e for e in scenario.endings if e.id == ending_id), None)
        blocks = []
        if ending is not None:
            blocks.append(Block(fonts.heading, f"{_('Ending')}: {scenario_text(ending.title)}", palette.accent,
                                self.px(4)))
            if ending.historical:
                blocks.append(Block(fonts.small, _("Historical"), palette.warning, self.px(4)))
            blocks.append(Block(fonts.body, scenario_text(ending.text), palette.text, self.px(10)))
        score = self.session.score(self.role)
        blocks.append(Block(fonts.heading, f"{_('Score')}: {score.points:.1f} / {score.max_points:.3g} "
                            f"({score.percent:.0f}%) · {_('Grade')}: {score.grade}", palette.text, self.px(6)))
        for objective in score.objectives:
            mark = "●" if objective.met else "○"
            line = f"{mark} {objective.label} ({objective.earned:.3g}/{objective.points:.3g})"
            blocks.append(Block(fonts.small, line,
                                palette.text if objective.met else palette.text_muted, self.px(2)))
        return blocks

    def _history_blocks(self) -> list[Block]:
        palette, fonts = self.app.palette, self.app.fonts
        scenario = self.session.scenario
        language = current_language()
        blocks = [Block(fonts.heading, _("Your decisions and history"), palette.accent, self.px(8))]
        decisions = [n for n in self.session.news if n.kind == "decision" and n.role == self.role]
        if not decisions:
            blocks.append(Block(fonts.body, _("(no decision)"), palette.text_muted, self.px(8)))
        for item in decisions:
            info = describe_decision(scenario, item.event_id or "", language)
            title = info.title if info else (item.event_id or "")
            mine = info.label_of(item.choice_id or "") if info else (item.choice_id or "")
            blocks.append(Block(fonts.body, f"{item.date} — {title}", palette.text, self.px(2)))
            blocks.append(Block(fonts.small, f"{_('You')}: {mine}", palette.accent, self.px(2), self.px(12)))
            event = find_event(scenario, item.event_id or "")
            if event is not None and event.history is not None:
                history = event.history
                if history.choice is not None and info is not None:
                    same = f" ({_('the same as yours')})" if history.choice == item.choice_id else ""
                    blocks.append(Block(fonts.small, f"{_('Historical choice')}: {info.label_of(history.choice)}{same}",
                                        palette.warning, self.px(2), self.px(12)))
                blocks.append(Block(fonts.small, f"{_('History')}: {scenario_text(history.text)}", palette.text_muted,
                                    self.px(8), self.px(12)))
            else:
                blocks.append(Block(fonts.small, "", palette.text_muted, self.px(6)))
        blocks.append(Block(fonts.heading, _("Obligations"), palette.accent, self.px(6)))
        if not self.session.obligation_ledger:
            blocks.append(Block(fonts.small, _("No obligation has been engaged yet."), palette.text_muted))
        for record in self.session.obligation_ledger:
            info = describe_decision(scenario, f"obligation:{record.obligation}", language)
            title = info.title if info else record.obligation
            colour = palette.warning if record.outcome == "evaded" else palette.text
            blocks.append(Block(fonts.small, f"{record.date} — {title}: {_(record.outcome)}", colour, self.px(3)))
        return blocks

    def _render_charts(self, size: tuple[int, int]) -> pygame.Surface:
        """Small multiples: one chart per key variable, each on its own range (units differ)."""
        palette, fonts = self.app.palette, self.app.fonts
        surface = pygame.Surface(size, pygame.SRCALPHA)
        compiled = self.session.compiled
        keys = list(compiled.key_variables)[:6]
        if not keys:
            return surface
        columns = 2 if len(keys) > 1 else 1
        rows = (len(keys) + columns - 1) // columns
        cell_w, cell_h = size[0] // columns, size[1] // rows
        count = len(self.session.history)
        every = max(1, count // 3)  # a few dates on the axis: all of them would overlap
        labels = [self.session.date_label(t) if t % every == 0 else "" for t in range(count)]
        for n, variable in enumerate(keys):
            cell = pygame.Rect((n % columns) * cell_w, (n // columns) * cell_h,
                               cell_w - self.px(8), cell_h - self.px(8))
            pygame.draw.rect(surface, palette.panel, cell, border_radius=4)
            unit = variable_unit(self.session.scenario, variable)
            title = compiled.label(variable, current_language()) + (f" ({unit})" if unit else "")
            i = compiled.variable_index[variable]
            values = self.session.value_history(variable)
            # the chart draws its own legend (the title) above the plot
            plot = pygame.Rect(cell.x + self.px(6), cell.y + self.px(4), cell.w - self.px(12), cell.h - self.px(8))
            lower, upper = float(compiled.lower[i]), float(compiled.upper[i])
            colour = palette.series_colour(n)
            draw_line_chart(surface, plot, [(title, values, colour)], lower=lower, upper=upper, x_labels=labels,
                            font=fonts.small, palette=palette)
        return surface

    # --- input and drawing ------------------------------------------------------------------------------

    def _back(self) -> Transition:
        from game.ui.title_scene import TitleScene

        return TitleScene(self.app)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self._back()
        for pane in (self.summary, self.history):
            if pane is not None:
                pane.handle_event(event, focused=pane is self.history)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        title = render_line(fonts.display, f"{_('Debrief')}: {scenario_text(self.session.scenario.title)}",
                            palette.text, self.app.layout_size[0] - self.px(40))
        surface.blit(title, (self.px(20), self.px(10)))
        for pane in (self.summary, self.history):
            if pane is not None:
                pane.draw(surface)
        if self.charts is not None:
            surface.blit(self.charts, self.charts_at)
