"""Advisors' advice: each advisor scores the forecast of every choice by their own priorities.

For a pending decision of a role, one forecast is run (every open choice, N worlds × K turns, in one
batch) and shared by all the role's advisors. An advisor scores a choice as

    score = Σ_v  priority_v · (x_v − current_v) / (upper_v − lower_v)

where x_v is the forecast value of v at the horizon, blended by the advisor's risk attitude r
(−1..1) between the median and the bad case (r < 0) or the good case (r > 0). For a variable the
advisor wants higher (positive priority) the bad case is the 10th percentile, for one they want
lower it is the 90th. The best score is recommended and explained from the largest
priority-weighted differences between it and the runner-up, with 80% ranges (10th–90th
percentile) of both, and the ending whose chance differs most.

Forecasts use their own seed (derived from the game's seed, turn and decision), so asking for
advice never changes the game's own random numbers.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.forecast import ChoiceForecast, Forecast, forecast
from game.engine.world import WorldState
from game.play.commands import CommandRejected
from game.play.decisions import DecisionInfo, describe_decision
from game.play.session import Session
from game.scenario.models import Advisor, Scenario, localized
from game.scenario.symbols import variable_unit

DEFAULT_WORLDS = 1000
DEFAULT_TURNS = 8
NEGLIGIBLE_SHARE = 0.01  # differences below 1% of a variable's range "barely differ"
ENDING_GAP = 0.03  # ending chances closer than 3 points are not worth a sentence


@dataclass(frozen=True)
class Advice:
    """One advisor's recommendation for one decision."""

    advisor_id: str
    advisor_name: str
    choice_id: str
    explanation: str
    scores: Mapping[str, float]  # choice id -> the advisor's score (higher is better for them)
    choice_label: str = ""


@dataclass(frozen=True)
class AdviceBoard:
    """All of a role's advisors on one decision, with the forecast they share."""

    event_id: str
    forecast: Forecast
    advice: tuple[Advice, ...]


def advise(
    compiled: CompiledScenario,
    state: WorldState,
    role: str,
    event_id: str,
    *,
    seed: int,
    worlds: int = DEFAULT_WORLDS,
    turns: int = DEFAULT_TURNS,
    human_roles: frozenset[str] | None = None,
    language: str = "en",
    on_turn: Callable[[int, int], None] | None = None,
) -> AdviceBoard:
    """Every advisor of `role` on the pending decision `event_id` (an event or `obligation:<treaty>.<article>`).

    `state` is a B = 1 world with the decision pending; it is not changed. `human_roles` (default:
    just `role`) are the roles whose loss conditions count in the forecast; their later decisions
    take the default choice there, as the engine's forecast does.
    """
    scenario = compiled.scenario
    info = describe_decision(scenario, event_id, language)
    if info is None:
        raise CommandRejected(f"There is no decision '{event_id}' in this scenario.")
    if role not in scenario.roles:
        raise CommandRejected(f"There is no role '{role}' in this scenario.")
    horizon = max(1, min(turns, compiled.turns - int(state.turn)))
    forecast_seed = forecast_seed_for(seed, int(state.turn), event_id)
    humans = frozenset({role}) if human_roles is None else human_roles | {role}
    result = forecast(
        compiled, state.copy(), event_id, worlds=worlds, turns=horizon, seed=forecast_seed, human_roles=humans,
        on_turn=on_turn,
    )
    current = np.asarray(state.values[0], dtype=np.float64)
    advice = tuple(
        advisor_advice(compiled, advisor, info, result, current, language) for advisor in scenario.roles[role].advisors
    )
    return AdviceBoard(event_id, result, advice)


def forecast_seed_for(game_seed: int, turn: int, event_id: str) -> int:
    """The forecast's own seed: a pure function of the game's seed, the turn and the decision."""
    entropy = [game_seed & 0xFFFFFFFF, (game_seed >> 32) & 0xFFFFFFFF, turn, zlib.crc32(event_id.encode("utf-8"))]
    return int(np.random.SeedSequence(entropy).generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def score_choices(
    compiled: CompiledScenario, advisor: Advisor, result: Forecast, current: np.ndarray
) -> dict[str, float]:
    """The advisor's score of each forecast choice (see the module docstring)."""
    risk = float(advisor.risk)
    scores: dict[str, float] = {}
    for choice in result.choices:
        total = 0.0
        for variable_id, priority in advisor.priorities.items():
            index = compiled.variable_index.get(variable_id)
            if index is None or priority == 0:
                continue
            span = float(compiled.upper[index] - compiled.lower[index]) or 1.0
            outcome = _risk_blend(choice, index, priority, risk)
            total += priority * (outcome - float(current[index])) / span
        scores[choice.choice_id] = total
    return scores


def _risk_blend(choice: ChoiceForecast, index: int, priority: float, risk: float) -> float:
    median = float(choice.p50[index])
    bad, good = (choice.p10[index], choice.p90[index]) if priority > 0 else (choice.p90[index], choice.p10[index])
    if risk < 0:
        return (1 + risk) * median + (-risk) * float(bad)
    return (1 - risk) * median + risk * float(good)


def advisor_advice(
    compiled: CompiledScenario,
    advisor: Advisor,
    info: DecisionInfo,
    result: Forecast,
    current: np.ndarray,
    language: str = "en",
) -> Advice:
    """One advisor's recommendation and its explanation."""
    name = localized(advisor.name, language)
    scores = score_choices(compiled, advisor, result, current)
    if not scores:
        return Advice(advisor.id, name, "", "No option is open.", scores)
    order = sorted(result.choices, key=lambda c: (-scores[c.choice_id], _position(info, c.choice_id)))
    best = order[0]
    best_label = info.label_of(best.choice_id)
    if len(order) == 1:
        text = f"Choose '{best_label}': it is the only option open."
        return Advice(advisor.id, name, best.choice_id, text, scores, best_label)
    runner_up = order[1]
    text = explain(compiled, advisor, info, best, runner_up, result.turns, language)
    return Advice(advisor.id, name, best.choice_id, text, scores, best_label)


def explain(
    compiled: CompiledScenario,
    advisor: Advisor,
    info: DecisionInfo,
    best: ChoiceForecast,
    other: ChoiceForecast,
    turns: int,
    language: str = "en",
) -> str:
    """One or two sentences: the biggest priority-weighted differences between two choices, with 80% ranges."""
    scenario = compiled.scenario
    horizon = horizon_text(turns, compiled.months_per_turn)
    best_label, other_label = info.label_of(best.choice_id), info.label_of(other.choice_id)
    risk = float(advisor.risk)
    weighted: list[tuple[float, str, int, float]] = []
    for variable_id, priority in advisor.priorities.items():
        index = compiled.variable_index.get(variable_id)
        if index is None:
            continue
        span = float(compiled.upper[index] - compiled.lower[index]) or 1.0
        # The same risk-blended outcome the scores use, so the reason given is the reason chosen.
        difference = _risk_blend(best, index, priority, risk) - _risk_blend(other, index, priority, risk)
        weighted.append((abs(priority * difference) / span, variable_id, index, difference))
    weighted.sort(key=lambda item: -item[0])
    clauses: list[str] = []
    barely: list[str] = []
    for _, variable_id, index, difference in weighted:
        span = float(compiled.upper[index] - compiled.lower[index]) or 1.0
        label = variable_label(compiled, scenario, variable_id, language)
        if abs(difference) < NEGLIGIBLE_SHARE * span:
            barely.append(label)
            continue
        if len(clauses) >= 2:
            continue
        direction = "higher" if difference > 0 else "lower"
        amount = quantity(abs(difference), variable_unit(scenario, variable_id))
        ranges = f"80% range {_range(best, index)} against {_range(other, index)}"
        lead = f"{label} ends about {amount} {direction}"
        if not clauses:
            lead += f" {horizon} than with '{other_label}'"
        clauses.append(f"{lead} ({ranges})")
    verb = "barely differs" if len(barely) == 1 else "barely differ"
    if not clauses:
        sentence = f"Choose '{best_label}', though {horizon} it makes little difference to what I watch"
        if barely:
            sentence += f": {_join(barely)} {verb} from '{other_label}'"
    else:
        outlook = "judging by the bad case, " if risk <= -0.5 else "judging by the good case, " if risk >= 0.5 else ""
        sentence = f"Choose '{best_label}': {outlook}" + "; ".join(clauses)
        if barely:
            # Labels are kept as written: lower-casing would also lower-case names ("Japan – China").
            sentence += f"; {_join(barely)} {verb}"
    sentence += "."
    ending = ending_sentence(scenario, best, other, best_label, other_label, language)
    return f"{sentence} {ending}" if ending else sentence


def ending_sentence(
    scenario: Scenario, best: ChoiceForecast, other: ChoiceForecast, best_label: str, other_label: str, language: str
) -> str:
    """The ending whose chance differs most between two choices, if the gap is worth mentioning."""
    gaps: list[tuple[float, str]] = []
    for ending_id in sorted(set(best.ending_probability) | set(other.ending_probability)):
        if ending_id == "none":
            continue
        gap = best.ending_probability.get(ending_id, 0.0) - other.ending_probability.get(ending_id, 0.0)
        gaps.append((gap, ending_id))
    if not gaps:
        return ""
    gap, ending_id = max(gaps, key=lambda item: (abs(item[0]), item[1]))
    if abs(gap) < ENDING_GAP:
        return ""
    ending = next((e for e in scenario.endings if e.id == ending_id), None)
    title = localized(ending.title, language) if ending is not None else ending_id
    p_best = best.ending_probability.get(ending_id, 0.0)
    p_other = other.ending_probability.get(ending_id, 0.0)
    return f"Chance of '{title}': {_percent(p_best)} with '{best_label}', {_percent(p_other)} with '{other_label}'."


def ending_differences(result: Forecast) -> list[tuple[str, float, float]]:
    """(ending id, lowest chance, highest chance) over the choices, largest spread first."""
    endings = sorted({e for c in result.choices for e in c.ending_probability if e != "none"})
    spreads = []
    for ending_id in endings:
        chances = [c.ending_probability.get(ending_id, 0.0) for c in result.choices]
        spreads.append((ending_id, min(chances), max(chances)))
    spreads.sort(key=lambda item: (-(item[2] - item[1]), item[0]))
    return spreads


# --- wording ---------------------------------------------------------------------------------------------------


def horizon_text(turns: int, months_per_turn: int) -> str:
    """"within a year", "within 2 years", "within 3 quarters", "within a month"."""
    months = turns * months_per_turn
    if months % 12 == 0:
        years = months // 12
        return "within a year" if years == 1 else f"within {years} years"
    unit = {1: "month", 3: "quarter"}.get(months_per_turn, "turn")
    return f"within a {unit}" if turns == 1 else f"within {turns} {unit}s"


def variable_label(compiled: CompiledScenario, scenario: Scenario, variable_id: str, language: str) -> str:
    """The variable's label as players see it (capitalised at the start of a clause)."""
    label = compiled.label(variable_id, language)
    return label[:1].upper() + label[1:]




def quantity(amount: float, unit: str | None) -> str:
    """"12 points", "0.3 % of GDP": a rounded amount with its unit (no unit or "%" reads as points)."""
    number = _number(amount)
    if unit is None or unit.strip() in {"", "%", "points"}:
        return f"{number} point" if number == "1" else f"{number} points"
    return f"{number} {unit}"


def _number(value: float) -> str:
    if not math.isfinite(value):
        return "?"
    magnitude = abs(value)
    if magnitude >= 9.5:
        return f"{value:.0f}"
    if magnitude >= 0.95:
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return f"{value:.2g}"


def _range(choice: ChoiceForecast, index: int) -> str:
    low, high = _number(float(choice.p10[index])), _number(float(choice.p90[index]))
    return low if low == high else f"{low}–{high}"


def _percent(probability: float) -> str:
    return f"{round(probability * 100):d}%"


def _join(labels: Sequence[str]) -> str:
    if len(labels) <= 2:
        return " and ".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _position(info: DecisionInfo, choice_id: str) -> int:
    ids = [c.id for c in info.choices]
    return ids.index(choice_id) if choice_id in ids else len(ids)


def advise_session(
    session: Session, role: str, event_id: str, *, worlds: int = DEFAULT_WORLDS, turns: int = DEFAULT_TURNS,
    language: str = "en",
) -> AdviceBoard:
    """Every advisor of `role` on a decision pending in a game in progress (the game is not changed)."""
    pending = {p.event_id for p in session.pending_decisions(role)}
    if event_id not in pending:
        info = describe_decision(session.scenario, event_id, language)
        title = info.title if info is not None else event_id
        raise CommandRejected(f"'{title}' is not awaiting a decision by this role now.")
    return advise(
        session.compiled, session.state, role, event_id, seed=session.seed, worlds=worlds, turns=turns,
        human_roles=session.human_roles, language=language,
    )
