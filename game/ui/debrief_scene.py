"""The debrief: the ending, the score and grade, the key variables over time, the obligation ledger,
and each of the player's decisions beside what happened historically."""

from __future__ import annotations

from typing import Any

import pygame

from game.engine.compiled import OBLIGATION_PREFIX
from game.play.decisions import describe_decision, find_event, find_obligation
from game.play.numbers import format_number, format_percent
from game.play.session import Session
from game.scenario.symbols import variable_unit
from game.ui.charts import draw_line_chart
from game.ui.i18n import _, current_language, scenario_text
from game.ui.scene import GoTo, Scene, Transition
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
        self._title: tuple[tuple[object, ...], pygame.Surface] | None = None

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
            if ending.historical or ending.hypothetical:
                label = _("Historical") if ending.historical else _("Hypothetical")
                blocks.append(Block(fonts.small, label, palette.warning, self.px(4)))
            blocks.append(Block(fonts.body, scenario_text(ending.text), palette.text, self.px(10)))
        score = self.session.score(self.role)
        blocks.append(Block(fonts.heading, f"{_('Score')}: {format_number(score.points)} / "
                            f"{format_number(score.max_points)} ({format_percent(score.percent / 100)}) · "
                            f"{_('Grade')}: {score.grade}", palette.text, self.px(6)))
        for objective in score.objectives:
            mark = "●" if objective.met else "○"
            line = f"{mark} {objective.label} ({format_number(objective.earned)}/{format_number(objective.points)})"
            blocks.append(Block(fonts.small, line,
                                palette.text if objective.met else palette.text_muted, self.px(2)))
        check = scenario.history_check
        if check is not None and check.note is not None:
            # The scenario's account in figures, after the player's own result so that the score stays in view.
            note = scenario_text(check.note)
            if not note.lower().startswith("what really happened"):
                note = f"{_('What really happened')}: {note}"
            blocks.append(Block(fonts.small, note, palette.text_muted, self.px(10)))
        return blocks

    def _history_blocks(self) -> list[Block]:
        palette, fonts = self.app.palette, self.app.fonts
        scenario = self.session.scenario
        language = current_language()
        # The ledger comes first: it is short, and the decisions below it may need scrolling.
        blocks = [Block(fonts.heading, _("Obligation ledger"), palette.accent, self.px(4))]
        blocks += self._ledger_blocks(language)
        blocks.append(Block(fonts.heading, _("Your decisions and history"), palette.accent, self.px(8)))
        decisions = [n for n in self.session.news if n.kind == "decision" and n.role == self.role]
        if not decisions:
            blocks.append(Block(fonts.body, _("(no decision)"), palette.text_muted, self.px(8)))
        for item in decisions:
            event_id = item.event_id or ""
            info = describe_decision(scenario, event_id, language)
            title = info.title if info else event_id
            mine = info.label_of(item.choice_id or "") if info else (item.choice_id or "")
            date = self.session.date_label(item.turn, language)
            blocks.append(Block(fonts.body, f"{date} — {title}", palette.text, self.px(2)))
            blocks.append(Block(fonts.small, f"{_('You')}: {mine}", palette.accent, self.px(2), self.px(12)))
            event = find_event(scenario, event_id)
            if event is not None and event.history is not None:
                history = event.history
                if history.choice is not None and info is not None:
                    same = f" ({_('the same as yours')})" if history.choice == item.choice_id else ""
                    # An invented event's note tells the real case it echoes: its choice is the nearest real one.
                    heading = _("Closest real choice") if event.hypothetical else _("Historical choice")
                    blocks.append(Block(fonts.small, f"{heading}: {info.label_of(history.choice)}{same}",
                                        palette.warning, self.px(2), self.px(12)))
                blocks.append(Block(fonts.small, f"{_('History')}: {scenario_text(history.text)}", palette.text_muted,
                                    self.px(8), self.px(12)))
            elif event_id.startswith(OBLIGATION_PREFIX):
                found = find_obligation(scenario, event_id.removeprefix(OBLIGATION_PREFIX))
                if found is not None:
                    blocks.append(Block(fonts.small, f"{_('Scope')}: {scenario_text(found[2].scope)}",
                                        palette.text_muted, self.px(2), self.px(12)))
                record = found[2].history if found is not None else None
                if record is not None and record.response is not None and info is not None:
                    blocks.append(Block(fonts.small, f"{_('Historical choice')}: {info.label_of(record.response)}",
                                        palette.warning, self.px(2), self.px(12)))
                # Without a note, say so rather than leave the player wondering whether it was forgotten.
                happened = (f"{_('History')}: {scenario_text(record.text)}" if record is not None else
                            f"{_('Historical choice')}: {_('none recorded for this obligation in the scenario')}")
                blocks.append(Block(fonts.small, happened, palette.warning, self.px(8), self.px(12)))
            else:
                blocks.append(Block(fonts.small, "", palette.text_muted, self.px(6)))
        return blocks

    def _ledger_blocks(self, language: str) -> list[Block]:
        """One line per entry of the obligation ledger: when, which article, and what became of it."""
        palette, fonts = self.app.palette, self.app.fonts
        ledger = self.session.obligation_ledger
        if not ledger:
            blocks = [Block(fonts.small, _("No obligation was engaged in this game."), palette.text_muted, self.px(3))]
            scenario = self.session.scenario
            in_force = [f"{scenario_text(article.title)} — {scenario_text(treaty.name)}"
                        for treaty in scenario.treaties for article in treaty.articles
                        if article.obligation is not None]
            if in_force:
                blocks.append(Block(fonts.small, f"{_('In force, never called on')}: {'; '.join(in_force)}",
                                    palette.text_muted, self.px(8), self.px(12)))
            return blocks
        colours = {"engaged": palette.text, "honoured": palette.accent, "evaded": palette.warning}
        blocks = []
        for record in ledger:
            info = describe_decision(self.session.scenario, f"{OBLIGATION_PREFIX}{record.obligation}", language)
            title = info.title if info else record.obligation
            date = self.session.date_label(record.turn, language)
            blocks.append(Block(fonts.small, f"{date} — {title}: {_(record.outcome)}",
                                colours.get(record.outcome, palette.text), self.px(3), self.px(12)))
        blocks[-1] = Block(blocks[-1].font, blocks[-1].text, blocks[-1].colour, self.px(8), self.px(12))
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
        labels = [self.session.date_label(t, current_language()) if t % every == 0 else "" for t in range(count)]
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
        return GoTo("title")

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self._back()
        for pane in (self.summary, self.history):
            if pane is not None:
                pane.handle_event(event, focused=pane is self.history)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        text = f"{_('Debrief')}: {scenario_text(self.session.scenario.title)}"
        key = (text, self.app.layout_size[0], id(fonts.display), palette.name)
        if self._title is None or self._title[0] != key:  # rendered once, not every frame
            self._title = (key, render_line(fonts.display, text, palette.text, self.app.layout_size[0] - self.px(40)))
        surface.blit(self._title[1], (self.px(20), self.px(10)))
        for pane in (self.summary, self.history):
            if pane is not None:
                pane.draw(surface)
        if self.charts is not None:
            surface.blit(self.charts, self.charts_at)
