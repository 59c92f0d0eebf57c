"""The briefing: what the role is told in public and in private, its objectives, levers and advisors."""

from __future__ import annotations

import pygame

from game.play.opening import GameProblems, open_game
from game.scenario.catalog import CatalogEntry
from game.scenario.models import Scenario
from game.ui.i18n import _, scenario_text
from game.ui.message_dialog import MessageDialog
from game.ui.scene import GoTo, Scene, Transition
from game.ui.text_pane import Block, TextPane


class BriefingScene(Scene):
    """Read, then begin."""

    name = "briefing"

    def __init__(self, app: object, entry: CatalogEntry, role: str, seed: int | None = None) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.entry = entry
        assert entry.result.scenario is not None
        self.scenario: Scenario = entry.result.scenario
        self.role = role
        self.seed = seed
        self.public: TextPane | None = None
        self.private: TextPane | None = None

    def build(self) -> None:
        width, height = self.app.layout_size
        margin, button_h = self.px(24), self.px(40)
        top = self.px(12) + self.app.fonts.display.get_linesize() + self.app.fonts.body.get_linesize() + self.px(16)
        column_w = (width - 3 * margin) // 2
        pane_h = height - top - 2 * margin - button_h
        palette, fonts = self.app.palette, self.app.fonts
        role = self.scenario.roles[self.role]
        public = [Block(fonts.heading, _("Public briefing"), palette.accent, self.px(6))]
        if role.briefing is not None:
            public.append(Block(fonts.body, scenario_text(role.briefing.public), palette.text, self.px(12)))
        if role.objectives:
            public.append(Block(fonts.heading, _("Objectives"), palette.accent, self.px(4)))
            public += [Block(fonts.body, f"• {scenario_text(o.label)} ({o.points:g})", palette.text, self.px(3))
                       for o in role.objectives]
        private = [Block(fonts.heading, _("Private briefing"), palette.warning, self.px(6))]
        if role.briefing is not None and role.briefing.private is not None:
            private.append(Block(fonts.body, scenario_text(role.briefing.private), palette.text, self.px(12)))
        if role.advisors:
            private.append(Block(fonts.heading, _("Advisors"), palette.warning, self.px(4)))
            for advisor in role.advisors:
                portfolio = f" — {scenario_text(advisor.portfolio)}" if advisor.portfolio else ""
                line = f"• {scenario_text(advisor.name)}{portfolio}"
                private.append(Block(fonts.body, line, palette.text, self.px(3)))
        if role.levers:
            private.append(Block(fonts.heading, _("Levers"), palette.warning, self.px(4)))
            for lever in role.levers.values():
                text = f"• {scenario_text(lever.label)}"
                if lever.description is not None:
                    text += f": {scenario_text(lever.description)}"
                private.append(Block(fonts.body, text, palette.text, self.px(3)))
        self.public = TextPane(pygame.Rect(margin, top, column_w, pane_h), public, palette.border)
        self.private = TextPane(pygame.Rect(2 * margin + column_w, top, column_w, pane_h), private, palette.border)
        w = self.px(200)
        self.button(pygame.Rect(width - margin - w, height - margin - button_h, w, button_h), _("Begin"),
                    self._begin, class_id="@primary", name="begin")
        self.button(pygame.Rect(margin, height - margin - button_h, w, button_h), _("Back"), self._back, name="back")
        if self.focus.index is None:
            self.focus.index = 0

    def _back(self) -> Transition:
        return GoTo("role", entry=self.entry)

    def _begin(self) -> Transition:
        opened = open_game(self.entry.result, [self.role], self.seed, self.app.data_dir)
        if isinstance(opened, GameProblems):
            self.open_modal(MessageDialog(self, _("Briefing"), list(opened.messages)))
            return None
        return GoTo("game", session=opened.session, role=opened.role)

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self._back()
        for pane in (self.public, self.private):
            if pane is not None:
                pane.handle_event(event, focused=pane is self.public)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        role = self.scenario.roles[self.role]
        title = fonts.display.render(f"{_('Briefing')}: {scenario_text(role.title)}", True, palette.text)
        surface.blit(title, (self.px(24), self.px(12)))
        sub = fonts.body.render(scenario_text(self.scenario.title), True, palette.text_muted)
        surface.blit(sub, (self.px(24), self.px(12) + fonts.display.get_linesize()))
        for pane in (self.public, self.private):
            if pane is not None:
                pane.draw(surface)
