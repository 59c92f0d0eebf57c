"""Scenes: the screens of the game as a state machine.

As in the python-tcod tutorial's input handlers, a scene takes input and returns what comes next:
`handle_event` (and every button callback) returns a `GoTo` naming the next screen and its arguments,
or None to stay. Scenes never import each other: `game.ui.screens` maps each name to its scene class. A scene keeps
its state in plain attributes and (re)creates its widgets in `build()`, so a window resize or a new
UI scale simply clears and rebuilds the widgets without losing anything.

A `Modal` (pause menu, save list, error dialog, settings) sits on top of a scene: while one is
open it receives all input; a full-window "scrim" panel under it swallows clicks meant for the
scene's own widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.core.interfaces import IContainerLikeInterface
from pygame_gui.elements import UIButton, UIHorizontalSlider, UIPanel

from game.ui.focus import Focusable, FocusRing

if TYPE_CHECKING:
    from game.ui.app import App



@dataclass(frozen=True, init=False)
class GoTo:
    """Where a scene wants to go: a screen's name (a key of `game.ui.screens.SCREENS`) and the keyword
    arguments its scene class takes after the app, e.g. `GoTo("game", session=session, role="japan_pm")`."""

    screen: str
    args: Mapping[str, Any]

    def __init__(self, screen: str, **args: Any) -> None:
        object.__setattr__(self, "screen", screen)
        object.__setattr__(self, "args", dict(args))


Transition = GoTo | None
Callback = Callable[[], Any]


class WidgetHost:
    """Creates pygame_gui widgets, remembers what each does, and puts them in the focus ring."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.elements: list[Any] = []
        self.focus = FocusRing()
        self._on_press: dict[Any, Callback] = {}
        self._on_slide: dict[Any, Callable[[float], Any]] = {}

    # --- building ---------------------------------------------------------------------------------

    def px(self, value: float) -> int:
        """A length in pixels at the current UI scale."""
        return round(value * self.app.settings.scale)

    def keep(self, element: Any) -> Any:
        """Remember an element so that `clear()` removes it."""
        self.elements.append(element)
        return element

    def button(
        self,
        rect: pygame.Rect,
        text: str,
        on_press: Callback,
        *,
        container: IContainerLikeInterface | None = None,
        class_id: str | None = None,
        tool_tip: str | None = None,
        name: str | None = None,
        focusable: bool = True,
        reveal: Callable[[], None] | None = None,
    ) -> UIButton:
        """A button that calls `on_press` when clicked or activated from the keyboard."""
        element = UIButton(
            relative_rect=rect,
            text=text,
            manager=self.app.manager,
            container=container,
            tool_tip_text=tool_tip,
            object_id=ObjectID(class_id=class_id) if class_id else None,
        )
        self.keep(element)
        self._on_press[element] = on_press
        if focusable:
            self.focus.add(
                Focusable(lambda: element.rect, lambda: self._press(element), reveal=reveal, name=name or text)
            )
        return element

    def slider(
        self,
        rect: pygame.Rect,
        value: float,
        low: float,
        high: float,
        step: float,
        on_change: Callable[[float], Any],
        *,
        container: IContainerLikeInterface | None = None,
        name: str = "",
        reveal: Callable[[], None] | None = None,
    ) -> UIHorizontalSlider:
        """A horizontal slider; the arrow keys move it by `step` when it has the focus."""
        element = UIHorizontalSlider(
            relative_rect=rect,
            start_value=value,
            value_range=(low, high),
            manager=self.app.manager,
            container=container,
            click_increment=step,
        )
        self.keep(element)
        self._on_slide[element] = on_change

        def adjust(direction: int) -> Any:
            current = float(element.get_current_value())
            new = min(high, max(low, round((current + direction * step) / step) * step))
            element.set_current_value(new)
            return on_change(float(element.get_current_value()))

        self.focus.add(Focusable(lambda: element.rect, lambda: None, adjust=adjust, reveal=reveal, name=name))
        return element

    def panel(
        self,
        rect: pygame.Rect,
        *,
        object_id: str | None = None,
        starting_height: int = 1,
        container: IContainerLikeInterface | None = None,
    ) -> UIPanel:
        """A panel (a background and a container for other widgets)."""
        element = UIPanel(
            relative_rect=rect,
            starting_height=starting_height,
            manager=self.app.manager,
            container=container,
            object_id=ObjectID(object_id=object_id) if object_id else None,
        )
        self.keep(element)
        return element

    def clear(self) -> None:
        """Remove every widget (before a rebuild, or when leaving)."""
        for element in reversed(self.elements):
            element.kill()
        self.elements.clear()
        self._on_press.clear()
        self._on_slide.clear()
        self.focus.clear()

    # --- input ------------------------------------------------------------------------------------

    def _press(self, element: Any) -> Any:
        callback = self._on_press.get(element)
        return callback() if callback is not None else None

    def handle_widget_event(self, event: pygame.event.Event) -> tuple[bool, Any]:
        """(handled, outcome) for a pygame_gui event from one of this host's widgets."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self._on_press:
            return True, self._press(event.ui_element)
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element in self._on_slide:
            return True, self._on_slide[event.ui_element](float(event.value))
        return False, None

    def handle_focus_key(self, event: pygame.event.Event) -> tuple[bool, Any]:
        """(handled, outcome) for Tab, Shift-Tab, Enter, Space and left/right on a slider."""
        if event.type != pygame.KEYDOWN:
            return False, None
        if event.key == pygame.K_TAB:
            self.focus.move(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            return True, None
        current = self.focus.current
        if current is None:
            return False, None
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            return True, current.activate()
        if current.adjust is not None and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            return True, current.adjust(-1 if event.key == pygame.K_LEFT else 1)
        return False, None


class Scene(WidgetHost):
    """One screen. Subclasses override `build`, `handle_event`, `update`, `draw` and `draw_over`."""

    #: name used by tests and the screenshot command
    name = "scene"
    #: True when `draw` paints every pixel, so the app need not clear the window first
    covers_window = False

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.modal: Modal | None = None

    def build(self) -> None:
        """Create the widgets for the current window size and UI scale."""

    def rebuild(self) -> None:
        """Clear and build again (after a resize or a settings change), keeping the focus where it was."""
        focused = self.focus.current.name if self.focus.current is not None else None
        self.clear()
        self.build()
        if focused:
            self.focus.focus_named(focused)
        if self.modal is not None:
            self.modal.rebuild()

    def leave(self) -> None:
        """Called once when another scene takes over."""
        if self.modal is not None:
            self.modal.clear()
            self.modal = None
        self.clear()

    def open_modal(self, modal: Modal) -> None:
        """Show a dialog on top of this scene; it takes all input until it closes."""
        if self.modal is not None:
            self.modal.clear()
        self.modal = modal
        modal.build()

    def close_modal(self) -> None:
        """Close the open dialog."""
        if self.modal is not None:
            self.modal.clear()
            self.modal = None

    def dispatch(self, event: pygame.event.Event) -> Transition:
        """Route one event to the open dialog, or to this scene's widgets, focus ring and own handler."""
        if self.modal is not None:
            return self.modal.dispatch(event)  # type: ignore[no-any-return]
        handled, outcome = self.handle_widget_event(event)
        if handled:
            return outcome  # type: ignore[no-any-return]
        handled, outcome = self.handle_focus_key(event)
        if handled:
            return outcome  # type: ignore[no-any-return]
        return self.handle_event(event)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        """Input the widgets did not take (keys, clicks on drawn content)."""
        return None

    def update(self, dt: float) -> Transition:
        """Advance time-dependent state (worker threads, animations)."""
        return None

    def draw(self, surface: pygame.Surface) -> None:
        """Draw what lies under the widgets (map, dashboard, text)."""

    def draw_over(self, surface: pygame.Surface) -> None:
        """Draw what lies over the widgets (focus ring, tooltips, dialog text)."""
        if self.modal is not None:
            self.modal.draw_over(surface)
        else:
            self.focus.draw(surface, self.app.palette.focus)

    def on_close(self) -> None:
        """The window is closing: save anything that would be lost."""

    def settle(self) -> None:
        """Wait for the scene's background work (advisors, loading) and show its result: screenshots and
        tests only, the frame loop never waits."""


class Modal(WidgetHost):
    """A dialog over a scene. Subclasses override `build_content` and, if needed, `handle_event`."""

    def __init__(self, scene: Scene, title: str, size: tuple[int, int] = (440, 360)) -> None:
        super().__init__(scene.app)
        self.scene = scene
        self.title = title
        self.size = size
        self.frame = pygame.Rect(0, 0, 0, 0)
        self.body = pygame.Rect(0, 0, 0, 0)

    def build(self) -> None:
        """The scrim, the frame and the content."""
        width, height = self.app.layout_size
        self.panel(pygame.Rect(0, 0, width, height), object_id="#scrim", starting_height=50)
        w = min(width - 40, self.px(self.size[0]))
        h = min(height - 40, self.px(self.size[1]))
        self.frame = pygame.Rect((width - w) // 2, (height - h) // 2, w, h)
        self.panel(self.frame, object_id="#dialog", starting_height=52)
        title_height = self.app.fonts.heading.get_linesize() + self.px(16)
        self.body = pygame.Rect(
            self.frame.x + self.px(16), self.frame.y + title_height,
            self.frame.w - self.px(32), self.frame.h - title_height - self.px(12),
        )
        self.build_content()
        if self.focus.items and self.focus.index is None:
            self.focus.index = 0

    def build_content(self) -> None:
        """Create the dialog's widgets inside `self.body` (absolute coordinates)."""

    def button(self, rect: pygame.Rect, text: str, on_press: Callback, **kwargs: Any) -> UIButton:
        element = super().button(rect, text, on_press, **kwargs)
        if kwargs.get("container") is None:
            element.change_layer(60)  # above the dialog frame (widgets in a container follow its layer)
        return element

    def slider(self, rect: pygame.Rect, value: float, low: float, high: float, step: float,
               on_change: Callable[[float], Any], **kwargs: Any) -> UIHorizontalSlider:
        element = super().slider(rect, value, low, high, step, on_change, **kwargs)
        if kwargs.get("container") is None:
            element.change_layer(60)
        return element

    def rebuild(self) -> None:
        """Clear and build again at the new window size."""
        focused = self.focus.index
        self.clear()
        self.build()
        if focused is not None and focused < len(self.focus.items):
            self.focus.index = focused

    def close(self) -> None:
        """Close this dialog."""
        if self.scene.modal is self:
            self.scene.close_modal()

    def dispatch(self, event: pygame.event.Event) -> Any:
        """Route one event to the dialog's widgets, focus ring and own handler; Esc closes it."""
        handled, outcome = self.handle_widget_event(event)
        if handled:
            return outcome
        handled, outcome = self.handle_focus_key(event)
        if handled:
            return outcome
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self.on_escape()
        return self.handle_event(event)

    def on_escape(self) -> Any:
        """Esc: close the dialog."""
        self.close()
        return None

    def handle_event(self, event: pygame.event.Event) -> Any:
        """Input the dialog's widgets did not take."""
        return None

    def draw_over(self, surface: pygame.Surface) -> None:
        """The title, then whatever the dialog draws, then the focus ring."""
        fonts = self.app.fonts
        title = fonts.heading.render(self.title, True, self.app.palette.text)
        surface.blit(title, (self.frame.x + self.px(16), self.frame.y + self.px(8)))
        self.draw_content(surface)
        self.focus.draw(surface, self.app.palette.focus)

    def draw_content(self, surface: pygame.Surface) -> None:
        """Text the dialog draws itself (drawn above its frame)."""
