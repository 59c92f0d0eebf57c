"""The causal ledger's source labels, made in one place: the engine writes them, and the play layer maps
each back to what the player reads ("why did this change?" in their language, with names, not ids).

A label is also the key under which the ledger merges amounts, so two sources with the same label are
one line of the ledger.
"""

from __future__ import annotations

SCHEDULED_EARLIER = "effect: scheduled earlier"
DRIFT = "drift"
NOISE = "noise"
DERIVED = "derived"
CLAMP = "clamp"


def event_effect_label(event_id: str) -> str:
    """An effect of an event firing."""
    return f"effect: event '{event_id}'"


def choice_effect_label(event_id: str, choice_id: str) -> str:
    """An effect of a choice taken on an event."""
    return f"effect: choice '{choice_id}' of event '{event_id}'"


def obligation_effect_label(obligation_id: str, honoured: bool) -> str:
    """An effect of an obligation honoured or evaded."""
    return f"effect: obligation '{obligation_id}' {'honoured' if honoured else 'evaded'}"


def influence_label(english_label: str | None, influence_id: str | None, source: str, target: str) -> str:
    """An influence, by its English label, else its id, else `from → to`."""
    if english_label is not None:
        return f"influence: {english_label}"
    if influence_id is not None:
        return f"influence: {influence_id}"
    return f"influence: {source} → {target}"


def lever_label(lever_id: str) -> str:
    """A lever moving toward its setting."""
    return f"lever: {lever_id}"


CONTROL_PREFIX = "control: "


def control_label(reason: str) -> str:
    """A facilitator's adjustment, by the reason they gave (the classroom's control cell)."""
    return f"{CONTROL_PREFIX}{reason}"
