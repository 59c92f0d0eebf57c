"""The title screen: new game, load game, settings, quit."""

from __future__ import annotations

import pygame

from game.ui.game_bars import KEY_HELP
from game.ui.i18n import _
from game.ui.save_dialogs import LoadDialog
from game.ui.scene import GoTo, Scene, Transition
from game.ui.settings_dialog import SettingsDialog


class TitleScene(Scene):
    """The first screen."""

    name = "title"

    def build(self) -> None:
        width, height = self.app.layout_size
        w, h, gap = self.px(260), self.px(40), self.px(12)
        x = (width - w) // 2
        y = height // 2 - self.px(10)
        for label, action in (
            (_("New game"), self._new_game),
            (_("Classroom"), self._classroom),
            (_("Load game"), self._load_game),
            (_("Settings"), self._settings),
            (_("Quit"), self._quit),
        ):
            self.button(pygame.Rect(x, y, w, h), label, action, class_id="@primary" if y == height // 2 - self.px(10)
                        else None)
            y += h + gap
        if self.focus.index is None:
            self.focus.index = 0

    def _new_game(self) -> Transition:
        return GoTo("browser")

    def _classroom(self) -> Transition:
        return GoTo("classroom_setup")

    def _load_game(self) -> Transition:
        self.open_modal(LoadDialog(self, session=None))
        return None

    def _settings(self) -> Transition:
        self.open_modal(SettingsDialog(self))
        return None

    def _quit(self) -> Transition:
        self.app.request_quit()
        return None

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_n:
            return self._new_game()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        width, height = self.app.layout_size
        title = fonts.title.render(_("Alliance Desk"), True, palette.text)
        surface.blit(title, title.get_rect(midbottom=(width // 2, height // 2 - self.px(90))))
        subtitle = fonts.heading.render(_("A policy simulation of military alliances"), True, palette.text_muted)
        surface.blit(subtitle, subtitle.get_rect(midtop=(width // 2, height // 2 - self.px(80))))
        # the relation scale as a decorative strip: it is also the map's legend, learnt at a glance
        strip_w = self.px(360)
        x0 = (width - strip_w) // 2
        y = height // 2 - self.px(36)
        for i in range(strip_w):
            colour = palette.relation_colour(-100 + 200 * i / max(1, strip_w - 1))
            pygame.draw.line(surface, colour, (x0 + i, y), (x0 + i, y + self.px(4)))
        hint = fonts.small.render(
            _(KEY_HELP),
            True, palette.text_muted,
        )
        surface.blit(hint, hint.get_rect(midbottom=(width // 2, height - self.px(12))))
