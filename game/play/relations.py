"""How an actor stands toward the player's own actor, for the place and actor panel."""

from __future__ import annotations

from game.play.session import Session
from game.scenario.symbols import relation_variable


def relation_to_player(session: Session, role: str, actor: str) -> float | None:
    """The relation between `actor` and the actor `role` plays (−100..100): the player's view of the actor
    where the scenario has it, else the actor's view of the player; None for the player's own actor or when
    the scenario tracks neither."""
    mine = session.scenario.roles[role].actor
    if actor == mine:
        return None
    for variable in (relation_variable(mine, actor), relation_variable(actor, mine)):
        if variable in session.compiled.variable_index:
            return session.value(variable)
    return None
