"""A one-line text field drawn by the scene (team labels, the seed, the facilitator's PIN and reasons).

pygame_gui's text entry keeps a focus of its own that the screen's focus ring cannot move, so the
classroom screens draw their fields themselves: a field is a stop of the focus ring, and while it has
the focus what is typed (SDL's TEXTINPUT, so an input method's Japanese too) goes into it
(`edit_focused`) before Tab, Enter and Space reach the ring — Space types a space in a field; Tab
leaves it; Enter activates it (submits, where the screen says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pygame

from game.ui.focus import Focusable, FocusRing
from game.ui.fonts import Fonts
from game.ui.palette import Palette
from game.ui.text_layout import render_line


@dataclass
class TextField:
    """A label, a value and how the value may be typed."""

    name: str
    label: str
    value: str = ""
    max_length: int = 40
    digits_only: bool = False
    secret: bool = False  # shown as dots (the PIN)
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))

    def type_key(self, event: pygame.event.Event) -> bool:
        """Backspace deletes; a key that types a character is the field's (its text comes as TEXTINPUT);
        True when the key was the field's, so that it does not also reach the screen's own keys."""
        if event.key == pygame.K_BACKSPACE:
            self.value = self.value[:-1]
            return True
        text = getattr(event, "unicode", "") or ""
        return len(text) == 1 and text.isprintable()

    def type_text(self, text: str) -> None:
        """What the keyboard (or an input method: Japanese) typed."""
        for char in text:
            if char.isprintable() and (char.isdigit() or not self.digits_only) and len(self.value) < self.max_length:
                self.value += char

    def shown(self) -> str:
        return "•" * len(self.value) if self.secret else self.value

    def focusable(self, on_enter: Callable[[], Any] = lambda: None) -> Focusable:
        return Focusable(lambda: self.rect, on_enter, name=self.name)

    def draw(self, surface: pygame.Surface, fonts: Fonts, palette: Palette, *, focused: bool) -> None:
        """The label above, the box with the value (and a caret while focused)."""
        if self.label:
            label = render_line(fonts.small, self.label, palette.text_muted, self.rect.w)
            surface.blit(label, (self.rect.x, self.rect.y - label.get_height() - 2))
        pygame.draw.rect(surface, palette.panel, self.rect, border_radius=4)
        pygame.draw.rect(surface, palette.accent if focused else palette.border, self.rect, 1, border_radius=4)
        text = self.shown() + ("|" if focused else "")
        rendered = render_line(fonts.body, text, palette.text, self.rect.w - 12)
        surface.blit(rendered, (self.rect.x + 6, self.rect.centery - rendered.get_height() // 2))


def edit_focused(fields: list[TextField], focus: FocusRing, event: pygame.event.Event) -> bool:
    """Send typed text (TEXTINPUT) or a key to the focused field, if a field has the focus; True when it took it."""
    current = focus.current
    if current is None or event.type not in (pygame.KEYDOWN, pygame.TEXTINPUT):
        return False
    found = next((f for f in fields if f.name == current.name), None)
    if found is None:
        return False
    if event.type == pygame.TEXTINPUT:
        found.type_text(event.text)
        return True
    if event.key in (pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE):
        return False
    return found.type_key(event)
