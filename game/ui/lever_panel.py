"""The levers tab of the game screen: a slider (or an on/off button) per lever of the role, showing the
player's setting; beside it how far the effect has got, how long a new setting takes and what it moves."""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame
from pygame_gui.elements import UIImage

from game.play.lever_effects import effect_lines, lag_text, lever_progress
from game.play.numbers import format_value
from game.play.session import Session
from game.scenario.models import Lever
from game.translation import ngettext
from game.ui.i18n import _, scenario_text
from game.ui.panel_column import PanelColumn
from game.ui.text_layout import render_line


def snap(lever: Lever, value: float) -> float:
    """A slider position as a setting: inside the range, on the lever's step."""
    low, high = lever.range
    value = min(high, max(low, float(value)))
    if lever.step:
        value = low + round((value - low) / lever.step) * lever.step
        value = min(high, max(low, round(value, 10)))
    return value


def is_toggle(lever: Lever) -> bool:
    """A lever of range [0, 1] with step 1 is an on/off switch."""
    return lever.step == 1 and tuple(lever.range) == (0.0, 1.0)


class LeverPanel:
    """Writes the levers tab into a column. Moving a slider changes the draft in `drafts` (sent as one
    `SetLever` per lever when the turn ends); the setting shown beside it follows at once."""

    def __init__(self, session: Session, role: str, language: str, drafts: dict[str, float]) -> None:
        self.session = session
        self.role = role
        self.language = language
        self.drafts = drafts
        self.value_images: dict[str, UIImage] = {}  # the setting shown beside each slider
        self._column: PanelColumn | None = None

    def shown_setting(self, lever_id: str) -> float:
        """What the slider shows: the draft being moved, else the setting given (never the ramping effect)."""
        return self.drafts.get(lever_id, self.session.lever_setting(lever_id))

    def build(self, column: PanelColumn, *, on_toggled: Any) -> int:
        """Lay out the tab; `on_toggled()` is called after an on/off lever flips (the screen rebuilds)."""
        self._column = column
        palette, fonts = column.host.app.palette, column.host.app.fonts
        role = self.session.scenario.roles[self.role]
        self.value_images = {}
        y = 0
        if not role.levers:
            return column.text(y, "—", fonts.body, palette.text_muted)
        for lever_id, lever in role.levers.items():
            value = self.shown_setting(lever_id)
            label = render_line(fonts.body, scenario_text(lever.label), palette.text, column.width - column.px(110))
            column.image(label, 0, y)
            value_surface = fonts.body.render(format_value(value, lever.unit), True, palette.accent)
            image = column.image(value_surface, column.width - value_surface.get_width(), y)
            self.value_images[lever_id] = image
            y += label.get_height() + column.px(4)
            reveal = column.revealer(y, column.px(30))
            low, high = lever.range
            if is_toggle(lever):
                on = value >= 0.5
                column.host.button(pygame.Rect(0, y, column.width, column.px(30)), _("On") if on else _("Off"),
                                   partial(self._toggle, lever_id, value, on_toggled), container=column.scroller,
                                   name=f"lever-{lever_id}", reveal=reveal)
            else:
                column.host.slider(pygame.Rect(0, y, column.width, column.px(26)), value, low, high,
                                   lever.step or (high - low) / 100, partial(self.slide, lever_id),
                                   container=column.scroller, name=f"lever-{lever_id}", reveal=reveal)
            y += column.px(32)
            y = column.text(y, self.progress_text(lever_id, lever), fonts.small, palette.text, 0)
            y = column.text(y, lag_text(lever), fonts.small, palette.text_muted)
            if lever.description is not None:
                y = column.text(y, scenario_text(lever.description), fonts.small, palette.text)
            effects = effect_lines(self.session, lever_id, self.language)
            if effects:
                y = column.text(y, _("cost/effect"), fonts.small, palette.accent)
            for line in effects:
                y = column.text(y, line, fonts.small, palette.text_muted, column.px(10))
            y += column.px(12)
        return y

    def progress_text(self, lever_id: str, lever: Lever) -> str:
        """"Effect so far: 7.5 (your setting 30 in 3 turns)", or that the effect has reached the setting."""
        progress = lever_progress(self.session, lever_id)
        if lever_id in self.drafts and abs(self.drafts[lever_id] - progress.setting) > 1e-9:
            return _("New setting: it starts to take effect when the turn ends.")
        if progress.arrived:
            return _("In full effect.")
        return _("Effect so far: {effect} (reaches your setting in {turns})",
                 effect=format_value(progress.effect, lever.unit), turns=_turns(progress.turns_left))

    def slide(self, lever_id: str, value: float) -> None:
        """A slider moved: keep the draft and show the setting it stands for."""
        lever = self.session.scenario.roles[self.role].levers[lever_id]
        self.drafts[lever_id] = snap(lever, value)
        shown = self.value_images.get(lever_id)
        if shown is not None and self._column is not None:  # the tab is built: show the new setting at once
            app = self._column.host.app
            surface = app.fonts.body.render(format_value(self.drafts[lever_id], lever.unit), True, app.palette.accent)
            shown.set_image(surface)
            shown.set_dimensions(surface.get_size())

    def _toggle(self, lever_id: str, value: float, on_toggled: Any) -> Any:
        self.drafts[lever_id] = 0.0 if value >= 0.5 else 1.0
        return on_toggled()


def _turns(count: int) -> str:
    return ngettext("{n} turn", "{n} turns", count)
