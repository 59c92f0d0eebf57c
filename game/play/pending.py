"""Which decisions await an answer in a one-world state, and which of their choices are open now.

Read straight from the engine's arrays: `pending_decisions[B, E]` for events and
`obligation_pending[B, O]` for obligations (named `obligation:<treaty>.<article>`), and each
choice's compiled `available` condition evaluated on the current state.
"""

from __future__ import annotations

from game.engine.compiled import OBLIGATION_PREFIX, CompiledScenario
from game.engine.turn import choice_availability, fallback_choice
from game.engine.world import WorldState


def pending_decision_ids(compiled: CompiledScenario, state: WorldState, world: int = 0) -> list[str]:
    """Ids of the decisions pending in world `world`: events first (scenario order), then obligations."""
    events = [compiled.event_ids[e] for e in range(len(compiled.event_ids)) if state.pending_decisions[world, e]]
    obligations = [
        f"{OBLIGATION_PREFIX}{compiled.obligation_ids[o]}"
        for o in range(len(compiled.obligation_ids))
        if state.obligation_pending[world, o]
    ]
    return events + obligations


def available_choices(compiled: CompiledScenario, state: WorldState, decision_id: str) -> tuple[str, ...]:
    """Ids of the decision's choices whose `available` condition holds now in world 0, in scenario order."""
    index = compiled.decision_index.get(decision_id)
    if index is None:
        return ()
    decision = compiled.decisions[index]
    available = choice_availability(compiled, state, decision)[0]
    return tuple(choice.id for position, choice in enumerate(decision.choices) if available[position])


def default_choice(compiled: CompiledScenario, state: WorldState, decision_id: str) -> str:
    """The choice taken when nobody chooses (a timeout, a replay that lacks the order): the engine's rule —
    the choice marked `default` if it is open, else the first open one."""
    decision = compiled.decisions[compiled.decision_index[decision_id]]
    available = choice_availability(compiled, state, decision)[:1]
    return decision.choices[int(fallback_choice(decision, available)[0])].id
