"""Settings: UI scale (1.0–2.0), language, palette. Each button cycles through its values."""

from __future__ import annotations

from dataclasses import replace

import pygame

from game.ui.i18n import LANGUAGES, N_, _
from game.ui.scene import Modal, Scene
from game.ui.settings import SCALES

PALETTE_NAMES = {"colourblind": N_("Colour-blind safe"), "high_contrast": N_("High contrast")}


class SettingsDialog(Modal):
    """Changes apply at once (fonts, theme and language are rebuilt) and are saved."""

    def __init__(self, scene: Scene) -> None:
        super().__init__(scene, _("Settings"), size=(440, 300))

    def build(self) -> None:
        self.title = _("Settings")
        super().build()

    def build_content(self) -> None:
        settings = self.app.settings
        h, gap = self.px(36), self.px(10)
        y = self.body.y
        rows = (
            (f"{_('UI scale')}: {settings.scale:.2f}", self._next_scale, "scale"),
            (f"{_('Language')}: {LANGUAGES[settings.language]}", self._next_language, "language"),
            (f"{_('Palette')}: {_(PALETTE_NAMES[settings.palette])}", self._next_palette, "palette"),
            (_("Close"), self._close, "close"),
        )
        for text, action, name in rows:
            self.button(pygame.Rect(self.body.x, y, self.body.w, h), text, action, name=name)
            y += h + gap

    def _next_scale(self) -> None:
        scales = list(SCALES)
        current = min(range(len(scales)), key=lambda i: abs(scales[i] - self.app.settings.scale))
        self._apply(scale=scales[(current + 1) % len(scales)])
        self.focus.focus_named("scale")

    def _next_language(self) -> None:
        codes = list(LANGUAGES)
        self._apply(language=codes[(codes.index(self.app.settings.language) + 1) % len(codes)])
        self.focus.focus_named("language")

    def _next_palette(self) -> None:
        names = list(PALETTE_NAMES)
        self._apply(palette=names[(names.index(self.app.settings.palette) + 1) % len(names)])
        self.focus.focus_named("palette")

    def _apply(self, **changes: object) -> None:
        self.app.apply_settings(replace(self.app.settings, **changes))  # type: ignore[arg-type]

    def _close(self) -> None:
        self.close()
