"""The place and actor panel over the map: what the player clicked (or reached with Enter on the map) —
its name, kind, the variable it shows, its description, and how its actor stands toward the player."""

from __future__ import annotations

import pygame

from game.play.numbers import format_change, format_value
from game.play.relations import relation_to_player
from game.play.session import Session
from game.scenario.symbols import variable_unit
from game.ui.i18n import _, scenario_text
from game.ui.map_view import MapSelection
from game.ui.scene import WidgetHost
from game.ui.text_layout import render_wrapped

Line = tuple[pygame.font.Font, str, tuple[int, int, int]]


class SelectionPanel:
    """Drawn over the bottom left of the map; its Close button lives in the screen's focus ring."""

    def __init__(self, host: WidgetHost, session: Session, role: str, language: str) -> None:
        self.host = host
        self.session = session
        self.role = role
        self.language = language

    def rect(self, map_rect: pygame.Rect) -> pygame.Rect:
        """Where the panel sits over a map of `map_rect`."""
        w = min(map_rect.w - self.host.px(20), self.host.px(340))
        h = self.host.px(170)
        return pygame.Rect(map_rect.x + self.host.px(10), map_rect.bottom - h - self.host.px(10), w, h)

    def lines(self, selection: MapSelection) -> list[Line]:
        """The panel's text, one (font, text, colour) a line; empty for a place or actor that is gone."""
        fonts, palette = self.host.app.fonts, self.host.app.palette
        scenario = self.session.scenario
        lines: list[Line] = []
        actor_id: str | None
        if selection.kind == "place":
            place = next((p for p in scenario.map.places if p.id == selection.id), None)
            if place is None:
                return []
            lines.append((fonts.heading, scenario_text(place.name), palette.text))
            lines.append((fonts.small, place.kind, palette.text_muted))
            if place.shows:
                value = format_value(self.session.value(place.shows), variable_unit(scenario, place.shows))
                label = self.session.compiled.label(place.shows, self.language)
                lines.append((fonts.body, f"{label}: {value}", palette.text))
            if place.description is not None:
                lines.append((fonts.small, scenario_text(place.description), palette.text))
            actor_id = place.actor
        else:
            actor = scenario.actors.get(selection.id)
            if actor is None:
                return []
            lines.append((fonts.heading, scenario_text(actor.name), palette.text))
            if actor.description is not None:
                lines.append((fonts.small, scenario_text(actor.description), palette.text))
            actor_id = selection.id
        relation = relation_to_player(self.session, self.role, actor_id) if actor_id is not None else None
        if relation is not None:
            lines.append((fonts.body, _("Relation to you: {value}", value=format_change(relation, 2)),
                          palette.relation_colour(relation)))
        return lines

    def draw(self, surface: pygame.Surface, map_rect: pygame.Rect, selection: MapSelection) -> None:
        palette = self.host.app.palette
        lines = self.lines(selection)
        if not lines:
            return
        rect = self.rect(map_rect)
        pygame.draw.rect(surface, palette.panel, rect, border_radius=6)
        pygame.draw.rect(surface, palette.accent, rect, 1, border_radius=6)
        y = rect.y + self.host.px(8)
        for font, text, colour in lines:
            rendered = render_wrapped(font, text, colour, rect.w - self.host.px(20))
            if y + rendered.get_height() > rect.bottom - self.host.px(40):
                break
            surface.blit(rendered, (rect.x + self.host.px(10), y))
            y += rendered.get_height() + self.host.px(2)
