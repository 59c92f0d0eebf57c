"""What every classroom screen shares: the lesson, the room's clock ticking every frame (a turn whose time
runs out resolves wherever the class is), F for the facilitator's console behind the PIN, the screen's
own text fields, and drawn text that is remembered — `shown_texts()` is exactly what the screen put on
the window, which the privacy tests read.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.play.room import Room, ShownVariable
from game.ui.i18n import _
from game.ui.lesson import Lesson, after_turn
from game.ui.scene import GoTo, Modal, Scene, Transition
from game.ui.text_field import TextField, edit_focused
from game.ui.text_layout import render_line, render_wrapped

Colour = tuple[int, int, int]


class ClassroomScene(Scene):
    """A screen of a lesson in progress."""

    #: F opens the facilitator's console (after the PIN)
    facilitator_key = True

    def __init__(self, app: Any, lesson: Lesson) -> None:
        super().__init__(app)
        self.lesson = lesson
        self.fields: list[TextField] = []
        self.texts: list[str] = []  # what the last frame drew
        self._rendered: dict[tuple[object, ...], pygame.Surface] = {}

    @property
    def room(self) -> Room:
        return self.lesson.room

    # --- text ---------------------------------------------------------------------------------------------

    def shown_texts(self) -> list[str]:
        """Every text the screen shows: drawn lines, field labels and values, button labels."""
        buttons = [str(getattr(element, "text", "")) for element in self.elements]
        fields = [text for f in self.fields for text in (f.label, f.shown())]
        return self.texts + fields + [b for b in buttons if b]

    def text(self, surface: pygame.Surface, font: pygame.font.Font, text: str, colour: Colour,
             pos: tuple[int, int], width: int | None = None, *, wrap: bool = False,
             anchor: str = "topleft") -> pygame.Rect:
        """Draw `text` (one line cut to `width`, or wrapped to it) and remember it; returns where it went."""
        key = (id(font), text, colour, width, wrap)
        rendered = self._rendered.get(key)
        if rendered is None:
            if wrap and width is not None:
                rendered = render_wrapped(font, text, colour, width)
            else:
                rendered = render_line(font, text, colour, width)
            if len(self._rendered) > 400:
                self._rendered.clear()
            self._rendered[key] = rendered
        self.texts.append(text)
        rect = rendered.get_rect(**{anchor: pos})
        surface.blit(rendered, rect)
        return rect

    def build_public_buttons(self, label: str, on_next: Any, *, enabled: bool = True) -> None:
        """The public screens' buttons: the way on (bottom right, focused first) and the facilitator's (left)."""
        width, height = self.app.layout_size
        w, h, margin = self.px(260), self.px(44), self.px(20)
        button = self.button(pygame.Rect(width - margin - w, height - margin - h, w, h), label, on_next,
                             class_id="@primary", name="next")
        if not enabled:
            button.disable()  # type: ignore[no-untyped-call]
        self.button(pygame.Rect(margin, height - margin - h, self.px(200), h), _("Facilitator (F)"),
                    self.open_facilitator, name="facilitator")
        if self.focus.index is None:
            self.focus.index = 0

    def draw_key_figures(self, surface: pygame.Surface, variables: tuple[ShownVariable, ...], at: tuple[int, int],
                         width: int, fonts: tuple[pygame.font.Font, pygame.font.Font]) -> None:
        """"Key figures": each public key variable, its label on the left and its value on the right."""
        heading, body = fonts
        palette = self.app.palette
        x, y = at
        self.text(surface, heading, _("Key figures"), palette.accent, (x, y))
        y += heading.get_linesize()
        for variable in variables:
            value = self.text(surface, body, variable.value, palette.text, (x + width, y), anchor="topright")
            self.text(surface, body, variable.label, palette.text_muted, (x, y), value.x - x - self.px(10))
            y += body.get_linesize()

    def draw(self, surface: pygame.Surface) -> None:
        self.texts = []
        self.draw_screen(surface)
        focused = self.focus.current.name if self.focus.current is not None and self.modal is None else None
        for f in self.fields:
            f.draw(surface, self.app.fonts, self.app.palette, focused=f.name == focused)

    def draw_screen(self, surface: pygame.Surface) -> None:
        """The screen's own drawing (text through `self.text`)."""

    # --- input and time -----------------------------------------------------------------------------------

    def dispatch(self, event: pygame.event.Event) -> Transition:
        if self.modal is None and edit_focused(self.fields, self.focus, event):
            return None
        return super().dispatch(event)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if self.facilitator_key and event.type == pygame.KEYDOWN and event.key == pygame.K_f:
            return self.open_facilitator()
        return None

    def open_facilitator(self) -> Transition:
        """The PIN dialog; the right PIN opens the console."""
        self.open_modal(PinDialog(self))
        return None

    def update(self, dt: float) -> Transition:
        hosted = self.lesson.hosted
        if hosted is not None:  # the room task ticks the clock; a change comes in as a new snapshot
            if hosted.poll():
                return self.room_changed()
            return None
        report = self.room.tick()
        if report is not None:
            self.app.notify(_("Time is up: every seat not ready took its defaults."), kind="warning")
            return after_turn(self.lesson)
        return None

    def room_changed(self) -> Transition:
        """A hosted room changed (a browser's command, a connection, the clock): show it."""
        self.rebuild()
        return None


class PinDialog(Modal):
    """"Facilitator PIN": the console opens only with the PIN set at the start of the lesson."""

    def __init__(self, scene: ClassroomScene) -> None:
        super().__init__(scene, _("Facilitator"), size=(380, 220))
        self.lesson = scene.lesson
        self.field = TextField("pin", _("Facilitator PIN"), digits_only=True, secret=True, max_length=12)
        self.wrong = False

    def build_content(self) -> None:
        h = self.px(36)
        top = self.body.y + self.app.fonts.small.get_linesize() + self.px(6)
        self.field.rect = pygame.Rect(self.body.x, top, self.body.w, h)
        self.focus.add(self.field.focusable(self.submit))
        w = self.px(120)
        self.button(pygame.Rect(self.body.right - w, self.body.bottom - h, w, h), _("Open"), self.submit,
                    class_id="@primary", name="open")
        self.button(pygame.Rect(self.body.x, self.body.bottom - h, w, h), _("Cancel"), self.close, name="cancel")

    def submit(self) -> Transition:
        if self.field.value == self.lesson.pin:
            self.close()
            return GoTo("facilitator", lesson=self.lesson)
        self.wrong = True
        self.field.value = ""
        return None

    def dispatch(self, event: pygame.event.Event) -> Any:
        if edit_focused([self.field], self.focus, event):
            return None
        return super().dispatch(event)

    def draw_content(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        self.field.draw(surface, fonts, palette, focused=self.focus.current is not None
                        and self.focus.current.name == "pin")
        if self.wrong:
            text = fonts.small.render(_("That is not the PIN."), True, palette.warning)
            surface.blit(text, (self.body.x, self.field.rect.bottom + self.px(6)))


PROJECTOR_ZOOM = 1.5  # the projector and the turn summary are read from the back of a classroom ...
PROJECTOR_MAX_SCALE = 1.8  # ... but at a large UI scale they must still fit 1280×720


def projector_fonts(scale: float) -> tuple[pygame.font.Font, pygame.font.Font, pygame.font.Font]:
    """(headline, heading, body) fonts half as large again as the UI's at this scale."""
    from game.ui.fonts import BASE_SIZES, bundled_bold_font_path, bundled_font_path, font_at

    zoom = max(scale, min(PROJECTOR_MAX_SCALE, scale * PROJECTOR_ZOOM))
    return (font_at(bundled_bold_font_path(), round(BASE_SIZES["display"] * zoom)),
            font_at(bundled_bold_font_path(), round(BASE_SIZES["heading"] * zoom)),
            font_at(bundled_font_path(), round(BASE_SIZES["body"] * zoom)))
