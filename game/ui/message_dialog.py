"""A dialog that shows a message (an error, a scenario's diagnostics) until the player closes it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pygame

from game.ui.i18n import _
from game.ui.scene import Modal, Scene
from game.ui.text_pane import Block, TextPane


class MessageDialog(Modal):
    """A titled, scrollable message with a Close button; the game underneath goes on."""

    def __init__(self, scene: Scene, title: str, lines: list[str], *, error: bool = True,
                 actions: Sequence[tuple[str, Callable[[], Any]]] = (), close_label: str | None = None) -> None:
        super().__init__(scene, title, size=(620, 380))
        self.lines = lines
        self.error = error
        self.actions = list(actions)  # extra buttons, e.g. "Load the latest autosave"
        self.pane: TextPane | None = None
        self.close_label = close_label  # e.g. "Stay" when the dialog asks a question; default "Close"

    def build_content(self) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        button_h = self.px(34)
        text_rect = pygame.Rect(self.body.x, self.body.y, self.body.w, self.body.h - button_h - self.px(10))
        colour = palette.warning if self.error else palette.text
        blocks = [Block(fonts.body if i == 0 else fonts.small, line, colour if i == 0 else palette.text, self.px(6))
                  for i, line in enumerate(self.lines)]
        self.pane = TextPane(text_rect, blocks, palette.border)
        w = self.px(140)
        self.button(pygame.Rect(self.body.right - w, self.body.bottom - button_h, w, button_h),
                    self.close_label or _("Close"), self._close, name="close")
        x = self.body.x
        for label, action in self.actions:
            action_w = self.app.fonts.body.size(label)[0] + self.px(32)
            self.button(pygame.Rect(x, self.body.bottom - button_h, action_w, button_h), label, action, name=label)
            x += action_w + self.px(10)

    def _close(self) -> None:
        self.close()

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.pane is not None:
            self.pane.handle_event(event, focused=True)

    def draw_content(self, surface: pygame.Surface) -> None:
        if self.pane is not None:
            self.pane.draw(surface)
