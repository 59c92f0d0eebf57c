"""Role choice: the scenario's playable roles, each with its public briefing and objectives."""

from __future__ import annotations

from functools import partial

import pygame

from game.scenario.catalog import CatalogEntry
from game.scenario.models import Scenario
from game.ui.i18n import _, scenario_text
from game.ui.scene import GoTo, Scene, Transition
from game.ui.text_pane import Block, TextPane


class RoleScene(Scene):
    """Pick the role to play."""

    name = "role"

    def __init__(self, app: object, entry: CatalogEntry) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.entry = entry
        assert entry.result.scenario is not None
        self.scenario: Scenario = entry.result.scenario
        self.roles = self.scenario.playable_roles()
        self.selected = 0
        self.pane: TextPane | None = None

    def build(self) -> None:
        width, height = self.app.layout_size
        margin, button_h, gap = self.px(24), self.px(40), self.px(8)
        top = self.px(12) + self.app.fonts.display.get_linesize() + self.app.fonts.body.get_linesize() + self.px(16)
        list_w = max(self.px(300), width // 3)
        y = top
        for index, role_id in enumerate(self.roles):
            role = self.scenario.roles[role_id]
            button = self.button(pygame.Rect(margin, y, list_w, button_h), f"{index + 1}. {scenario_text(role.title)}",
                                 partial(self._pick, index), class_id="@list_item", name=f"role-{index}")
            if index == self.selected:
                button.select()  # type: ignore[no-untyped-call]
            y += button_h + gap
        detail = pygame.Rect(margin * 2 + list_w, top, width - list_w - 3 * margin,
                             height - top - margin * 2 - button_h)
        self.pane = TextPane(detail, self._blocks(), self.app.palette.border)
        w = self.px(200)
        self.button(pygame.Rect(margin, height - margin - button_h, w, button_h), _("Back"), self._back, name="back")
        self.button(pygame.Rect(width - margin - w, height - margin - button_h, w, button_h), _("Briefing"),
                    self._choose, class_id="@primary", name="choose")
        if self.focus.index is None and self.roles:
            self.focus.focus_named(f"role-{self.selected}")

    def _blocks(self) -> list[Block]:
        palette, fonts = self.app.palette, self.app.fonts
        if not self.roles:
            return [Block(fonts.body, "—", palette.text_muted)]
        role = self.scenario.roles[self.roles[self.selected]]
        actor = self.scenario.actors.get(role.actor)
        blocks = [
            Block(fonts.heading, scenario_text(role.title), palette.text, self.px(2)),
            Block(fonts.body, scenario_text(actor.name) if actor else role.actor, palette.accent, self.px(10)),
        ]
        if role.briefing is not None:
            blocks.append(Block(fonts.body, scenario_text(role.briefing.public), palette.text, self.px(12)))
        if role.objectives:
            blocks.append(Block(fonts.heading, _("Objectives"), palette.text, self.px(4)))
            blocks += [Block(fonts.body, f"• {scenario_text(o.label)} ({o.points:g})", palette.text, self.px(3))
                       for o in role.objectives]
        if role.levers:
            blocks.append(Block(fonts.heading, _("Levers"), palette.text, self.px(4)))
            blocks += [Block(fonts.body, f"• {scenario_text(lever.label)}", palette.text, self.px(3))
                       for lever in role.levers.values()]
        return blocks

    def _pick(self, index: int) -> Transition:
        if index == self.selected:
            return self._choose()
        self.selected = index
        self.rebuild()
        return None

    def _back(self) -> Transition:
        return GoTo("browser", select=self.entry.path)

    def _choose(self) -> Transition:
        if not self.roles:
            return None
        return GoTo("briefing", entry=self.entry, role=self.roles[self.selected])

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                return self._back()
            if event.key in (pygame.K_UP, pygame.K_DOWN) and self.roles:
                self.selected = (self.selected + (-1 if event.key == pygame.K_UP else 1)) % len(self.roles)
                self.rebuild()
                self.focus.focus_named(f"role-{self.selected}")
                return None
            number = event.key - pygame.K_1
            if 0 <= number < min(9, len(self.roles)):
                self.selected = number
                self.rebuild()
                return None
        if self.pane is not None:
            self.pane.handle_event(event)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        title = fonts.display.render(_("Choose your role"), True, palette.text)
        surface.blit(title, (self.px(24), self.px(12)))
        sub = fonts.body.render(scenario_text(self.scenario.title), True, palette.text_muted)
        surface.blit(sub, (self.px(24), self.px(12) + fonts.display.get_linesize()))
        if self.pane is not None:
            self.pane.draw(surface)
