"""Printable role cards: for each seat, the public briefing on the front and the private one on a page of its own.

A card carries the team's label and a blank code field (for the networked classroom later); never a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game.play.news import role_title
from game.report.played import ReportProblem, seats_in_order
from game.scenario.models import Scenario, localized
from game.translation import _, using_language


@dataclass(frozen=True)
class RoleCard:
    team: str
    role: str
    actor: str
    public: str
    objectives: tuple[str, ...]
    advisors: tuple[str, ...]
    private: str


def role_cards(scenario: Scenario, roles: Sequence[str], language: str) -> list[RoleCard]:
    """One card per seat, in the order given; raises `ReportProblem` for a role that cannot be played."""
    playable = scenario.playable_roles()
    with using_language(language):
        for role in roles:
            if role not in playable:
                raise ReportProblem(_("{scenario}: no playable role '{role}' (playable roles: {roles})",
                                      scenario=scenario.id, role=role, roles=", ".join(playable)))
        if len(set(roles)) != len(roles):
            raise ReportProblem(_("{scenario}: a role is named twice in {roles}", scenario=scenario.id,
                                  roles=", ".join(roles)))
        cards = []
        for seat in seats_in_order(roles):
            declared = scenario.roles[seat.role]
            briefing = declared.briefing
            actor = scenario.actors.get(declared.actor)
            cards.append(RoleCard(
                team=seat.team,
                role=role_title(scenario, seat.role, language),
                actor=localized(actor.name, language) if actor is not None else declared.actor,
                public=localized(briefing.public, language) if briefing is not None else "",
                objectives=tuple(localized(o.label, language) for o in declared.objectives),
                advisors=tuple(localized(a.name, language) for a in declared.advisors),
                private=(localized(briefing.private, language) if briefing is not None and briefing.private
                         else _("This role has no private briefing.")),
            ))
        return cards


def card_text(scenario: Scenario, language: str) -> dict[str, str]:
    """The cards' headings and fixed sentences in `language`."""
    with using_language(language):
        return {
            "cards": _("Role cards"),
            "public": _("Public briefing"),
            "private": _("Private briefing"),
            "private_note": _("For your team only: do not show this page to the other teams."),
            "objectives": _("Objectives"),
            "advisors": _("Your advisors"),
            "code": _("Code"),
            "team": _("Team"),
            "scenario": localized(scenario.title, language),
        }
