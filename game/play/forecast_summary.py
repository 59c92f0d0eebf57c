"""What a choice's forecast says in brief, for the decision panel: the key variables whose forecast differs
most between the choices (median and 80% range), and the endings it makes likely.

Plain data: the screen formats the numbers in the player's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.forecast import Forecast
from game.play.session import Session
from game.scenario.models import localized
from game.scenario.symbols import variable_unit

SHOWN_VARIABLES = 3
SHOWN_ENDINGS = 2
LIKELY_ENDING = 0.05  # endings less likely than this are left out


@dataclass(frozen=True)
class VariableOutlook:
    """One key variable at the forecast's horizon under one choice."""

    variable: str
    label: str
    unit: str | None
    median: float
    low: float  # 10th percentile
    high: float  # 90th percentile


@dataclass(frozen=True)
class EndingOutlook:
    """An ending and its chance under one choice."""

    ending: str
    title: str
    share: float


@dataclass(frozen=True)
class ChoiceOutlook:
    """The brief forecast of one choice."""

    variables: tuple[VariableOutlook, ...]
    endings: tuple[EndingOutlook, ...]


def choice_outlook(session: Session, forecast: Forecast, choice_id: str, language: str) -> ChoiceOutlook | None:
    """The brief forecast of `choice_id`, or None when the forecast has no such choice."""
    compiled = session.compiled
    mine = next((c for c in forecast.choices if c.choice_id == choice_id), None)
    if mine is None:
        return None
    spreads = []
    for variable in compiled.key_variables:
        i = compiled.variable_index[variable]
        medians = [float(c.p50[i]) for c in forecast.choices]
        span = float(compiled.upper[i] - compiled.lower[i]) or 1.0
        spreads.append(((max(medians) - min(medians)) / span, variable, i))
    spreads.sort(key=lambda item: -item[0])  # stable: equal spreads keep the scenario's order
    variables = tuple(
        VariableOutlook(variable, compiled.label(variable, language), variable_unit(session.scenario, variable),
                        float(mine.p50[i]), float(mine.p10[i]), float(mine.p90[i]))
        for _spread, variable, i in spreads[:SHOWN_VARIABLES]
    )
    titles = {ending.id: localized(ending.title, language) for ending in session.scenario.endings}
    likely = sorted(((k, v) for k, v in mine.ending_probability.items() if k in titles and v >= LIKELY_ENDING),
                    key=lambda kv: -kv[1])
    endings = tuple(EndingOutlook(k, titles[k], float(v)) for k, v in likely[:SHOWN_ENDINGS])
    return ChoiceOutlook(variables, endings)
