"""How the seats of a game played headless for a pack decide: the `--policy` of `python main.py report`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

POLICIES = ("historical", "default", "first", "random")


def policy_choice(policy: str, available: Sequence[str], default: str, *, historical: str | None, seed: int,
                  turn: int, decision: str) -> str:
    """The choice `policy` takes among the open `available` ones.

    historical: what the scenario records as history, if open, else the default; default: the decision's
    default; first: the first open one; random: a pure function of (seed, turn, decision), so the same game
    is played every time.
    """
    if policy == "historical":
        return historical if historical is not None and historical in available else default
    if policy == "first":
        return available[0]
    if policy == "random":
        digest = hashlib.sha256(f"{seed}:{turn}:{decision}".encode()).digest()
        return available[int.from_bytes(digest[:8], "big") % len(available)]
    return default
