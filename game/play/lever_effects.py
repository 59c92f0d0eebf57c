"""A lever in words, for the levers panel and the briefing: how long a new setting takes, what the
lever moves and by how much, and how far its effect has got toward the player's setting."""

from __future__ import annotations

from dataclasses import dataclass

from game.play.session import Session
from game.scenario.models import Lever
from game.translation import _, ngettext


@dataclass(frozen=True)
class LeverProgress:
    """The player's setting beside the effect still moving toward it."""

    setting: float
    effect: float
    turns_left: int  # turns until the effect reaches the setting (0: it has)

    @property
    def arrived(self) -> bool:
        return self.turns_left == 0


def lag_text(lever: Lever) -> str:
    """How long a new setting takes to take full effect."""
    if lever.lag == 0:
        return _("takes effect at once")
    return ngettext("takes a turn to take full effect", "takes {n} turns to take full effect", lever.lag)


def lever_progress(session: Session, lever_id: str) -> LeverProgress:
    """The lever's setting, its effect so far and the turns the effect still needs."""
    index = session.compiled.lever_index(lever_id)
    remaining = int(session.state.lever_remaining[0, index])
    setting = session.lever_setting(lever_id)
    effect = session.lever_effect(lever_id)
    if abs(setting - float(session.state.lever_target[0, index])) > 1e-9:  # set this turn: it moves from the next
        remaining = max(int(session.compiled.lever_lag[index]), 1)
    return LeverProgress(setting, effect, remaining)


def effect_lines(session: Session, lever_id: str, language: str) -> list[str]:
    """The lever's influences as "cost/effect" lines: what it moves, how much, from which setting."""
    compiled = session.compiled
    source = f"lever.{lever_id}"
    lines = []
    for influence in session.scenario.influences:
        if influence.source != source:
            continue
        target = compiled.label(influence.target, language)
        amount = f"{influence.weight:+g}"
        pivot = f"{influence.pivot:g}"
        if influence.shape == "linear":
            how = _("{amount} per turn for each unit above {pivot}", amount=amount, pivot=pivot)
        elif influence.shape == "threshold":
            how = _("{amount} per turn while above {pivot}", amount=amount, pivot=pivot)
        else:
            how = _("{amount} per turn × {shape}(setting − {pivot})", amount=amount, shape=influence.shape,
                    pivot=pivot)
        if influence.lag:
            how += " " + ngettext("(a turn later)", "({n} turns later)", influence.lag)
        lines.append(f"→ {target}: {how}")
    return lines
