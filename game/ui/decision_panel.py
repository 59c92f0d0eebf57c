"""The decision tab of the game screen: the decisions taken this turn with what really happened, then the
first decision still open — its text, its choices (each with its forecast in brief) and the advisors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pygame

from game.play.advisors import AdviceBoard
from game.play.decisions import PendingDecision, find_event
from game.play.forecast_summary import choice_outlook
from game.play.numbers import format_number, format_percent, format_value
from game.play.session import Session
from game.ui.i18n import _, scenario_text
from game.ui.panel_column import PanelColumn
from game.ui.text_layout import fit_line


@dataclass(frozen=True)
class AdviceState:
    """The advisors on the decision shown: their board once done, the problem if they failed, else thinking."""

    board: AdviceBoard | None
    failure: str | None


class DecisionPanel:
    """Writes the decision tab into a column; `on_choose(event_id, choice_id)` takes a choice."""

    def __init__(self, session: Session, role: str, language: str,
                 on_choose: Callable[[str, str], Any]) -> None:
        self.session = session
        self.role = role
        self.language = language
        self.on_choose = on_choose

    def build(self, column: PanelColumn, pending: list[PendingDecision],
              advice: Callable[[str], AdviceState]) -> int:
        """Lay out the tab; returns the column's height."""
        palette, fonts = column.host.app.palette, column.host.app.fonts
        y = 0
        for decided in (p for p in pending if p.chosen is not None):
            y = column.text(y, decided.info.title, fonts.heading, palette.text)
            y = column.text(y, _("You chose: {choice}", choice=decided.info.label_of(decided.chosen or "")),
                            fonts.body, palette.accent)
            y = self.history_note(column, y, decided.event_id)
            y += column.px(10)
        undecided = [p for p in pending if p.awaits_choice]
        if not undecided:
            if not pending:
                y = column.text(y, _("No decision is pending. Set your levers and end the turn."),
                                fonts.body, palette.text_muted)
            return y
        current = undecided[0]
        info = current.info
        event = find_event(self.session.scenario, info.event_id)
        y = column.text(y, info.title, fonts.heading, palette.text)
        if event is not None and event.hypothetical:
            y = column.text(y, _("Hypothetical"), fonts.small, palette.warning)
        y = column.text(y, info.text, fonts.body, palette.text)
        y += column.px(6)
        state = advice(info.event_id)
        y = self._choices(column, y, current, state.board)
        y += column.px(6)
        return self._advisors(column, y, current, state)

    def _choices(self, column: PanelColumn, y: int, current: PendingDecision, board: AdviceBoard | None) -> int:
        palette, fonts = column.host.app.palette, column.host.app.fonts
        button_h = column.px(34)
        indent = column.px(12)
        number = 0
        for choice in current.info.choices:
            if choice.id not in current.available:
                continue
            number += 1
            label = f"{number}. {choice.label}" if number <= 9 else choice.label
            shown = fit_line(fonts.body, label, column.width - column.px(24))
            column.host.button(pygame.Rect(0, y, column.width, button_h), shown,
                               partial(self.on_choose, current.event_id, choice.id), container=column.scroller,
                               class_id="@choice", name=f"choice-{choice.id}",
                               reveal=column.revealer(y, button_h))
            y += button_h + column.px(4)
            if shown != label:  # a long label: the button shows its start, the whole of it follows
                y = column.text(y, choice.label, fonts.body, palette.text, indent)
            if choice.text:
                y = column.text(y, choice.text, fonts.small, palette.text_muted, indent)
            summary = self.forecast_text(board, choice.id) if board is not None else ""
            if summary:
                y = column.text(y, _("Forecast: {summary}", summary=summary), fonts.small, palette.text, indent)
            y += column.px(6)
        return y

    def _advisors(self, column: PanelColumn, y: int, current: PendingDecision, state: AdviceState) -> int:
        palette, fonts = column.host.app.palette, column.host.app.fonts
        y = column.text(y, _("Advisors"), fonts.heading, palette.accent)
        if state.board is not None:
            for advice in state.board.advice:
                label = advice.choice_label or current.info.label_of(advice.choice_id)
                y = column.text(y, _("{name} recommends: {choice}", name=advice.advisor_name, choice=label),
                                fonts.body, palette.text)
                y = column.text(y, advice.explanation, fonts.small, palette.text_muted, column.px(12))
                y += column.px(4)
        elif state.failure is not None:
            y = column.text(y, state.failure, fonts.small, palette.warning)
        else:
            y = column.text(y, _("Advisors are thinking…"), fonts.body, palette.text_muted)
        return y

    def forecast_text(self, board: AdviceBoard, choice_id: str) -> str:
        """The choice's forecast in brief: "Tension 52 (40–61); Crisis 12%"."""
        outlook = choice_outlook(self.session, board.forecast, choice_id, self.language)
        if outlook is None:
            return ""
        parts = [
            _("{variable} {median} ({low}–{high})", variable=v.label, median=format_value(v.median, v.unit),
              low=format_number(v.low, 2), high=format_number(v.high, 2))
            for v in outlook.variables
        ]
        parts += [_("{ending} {share}", ending=e.title, share=format_percent(e.share)) for e in outlook.endings]
        return "; ".join(parts)

    def history_note(self, column: PanelColumn, y: int, event_id: str) -> int:
        """What really happened, with its sources, once a decision is taken."""
        event = find_event(self.session.scenario, event_id)
        if event is None or event.history is None:
            return y
        palette, fonts = column.host.app.palette, column.host.app.fonts
        indent = column.px(12)
        y = column.text(y, _("What really happened"), fonts.body, palette.warning)
        y = column.text(y, scenario_text(event.history.text), fonts.small, palette.text, indent)
        titles = [s.title for s in self.session.scenario.sources if s.id in event.history.sources]
        if titles:
            y = column.text(y, "— " + "; ".join(titles), fonts.small, palette.text_muted, indent)
        return y
