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

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.forecast import ChoiceForecast, Forecast, forecast
from game.engine.world import WorldState
from game.play.commands import CommandRejected
from game.play.decisions import DecisionInfo, describe_decision
from game.play.numbers import format_amount, format_percent, format_range
from game.play.session import Session
from game.scenario.models import Advisor, Scenario, localized
from game.scenario.symbols import variable_unit
from game.translation import _, current_language, list_text, ngettext, sentences_text, using_language

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
    language: str | None = None,
    on_turn: Callable[[int, int], None] | None = None,
) -> AdviceBoard:
    """Every advisor of `role` on the pending decision `event_id` (an event or `obligation:<treaty>.<article>`).

    `state` is a B = 1 world with the decision pending; it is not changed. `human_roles` (default:
    just `role`) are the roles whose loss conditions count in the forecast; their later decisions
    take the default choice there, as the engine's forecast does. The explanations are in `language`
    (default: the current one).
    """
    scenario = compiled.scenario
    info = describe_decision(scenario, event_id, language)
    if info is None:
        raise CommandRejected(_("There is no decision '{decision}' in this scenario.", decision=event_id))
    if role not in scenario.roles:
        raise CommandRejected(_("There is no role '{role}' in this scenario.", role=role))
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
    language: str | None = None,
) -> Advice:
    """One advisor's recommendation and its explanation, in `language` (default: the current one)."""
    with using_language(language) as chosen:
        name = localized(advisor.name, chosen)
        scores = score_choices(compiled, advisor, result, current)
        if not scores:
            return Advice(advisor.id, name, "", _("No option is open."), scores)
        order = sorted(result.choices, key=lambda c: (-scores[c.choice_id], _position(info, c.choice_id)))
        best = order[0]
        best_label = info.label_of(best.choice_id)
        if len(order) == 1:
            text = _("Choose '{choice}': it is the only option open.", choice=best_label)
            return Advice(advisor.id, name, best.choice_id, text, scores, best_label)
        text = explain(compiled, advisor, info, best, order[1], result.turns)
        return Advice(advisor.id, name, best.choice_id, text, scores, best_label)


@dataclass(frozen=True)
class _Difference:
    """How one watched variable ends under the recommended choice compared with the runner-up."""

    label: str
    amount: str  # the size of the difference, with its unit
    higher: bool
    best_range: str  # 80% ranges
    other_range: str


@dataclass(frozen=True)
class _Context:
    choice: str  # the recommended choice's label
    other: str  # the runner-up's label
    horizon: str  # "within a year"


def explain(
    compiled: CompiledScenario,
    advisor: Advisor,
    info: DecisionInfo,
    best: ChoiceForecast,
    other: ChoiceForecast,
    turns: int,
    language: str | None = None,
) -> str:
    """A few sentences: the biggest priority-weighted differences between two choices, with 80% ranges,
    what barely differs, and the ending whose chance differs most."""
    with using_language(language):
        scenario = compiled.scenario
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
        differences: list[_Difference] = []
        barely: list[str] = []
        for _weight, variable_id, index, difference in weighted:
            span = float(compiled.upper[index] - compiled.lower[index]) or 1.0
            label = variable_label(compiled, scenario, variable_id)
            if abs(difference) < NEGLIGIBLE_SHARE * span:
                barely.append(label)
            elif len(differences) < 2:
                differences.append(_Difference(
                    label, format_amount(abs(difference), variable_unit(scenario, variable_id)), difference > 0,
                    _range(best, index), _range(other, index),
                ))
        context = _Context(info.label_of(best.choice_id), info.label_of(other.choice_id),
                           horizon_text(turns, compiled.months_per_turn))
        sentences = _difference_sentences(context, differences, barely, risk)
        ending = ending_sentence(scenario, best, other, context.choice, context.other)
        return sentences_text(sentences + ([ending] if ending else []))


def _difference_sentences(
    context: _Context, differences: list[_Difference], barely: list[str], risk: float
) -> list[str]:
    # Whole sentences with named placeholders, so that a translation can order the words its own way.
    if not differences:
        if not barely:
            return [_("Choose '{choice}', though {horizon} it makes little difference to what I watch.",
                      choice=context.choice, horizon=context.horizon)]
        return [ngettext(
            "Choose '{choice}', though {horizon} it makes little difference to what I watch: "
            "{variables} barely differs from '{other}'.",
            "Choose '{choice}', though {horizon} it makes little difference to what I watch: "
            "{variables} barely differ from '{other}'.",
            len(barely), choice=context.choice, horizon=context.horizon, variables=list_text(barely),
            other=context.other,
        )]
    first, *rest = differences
    values = {"choice": context.choice, "variable": first.label, "amount": first.amount, "horizon": context.horizon,
              "other": context.other, "best_range": first.best_range, "other_range": first.other_range}
    if risk <= -0.5:
        lead = _("Choose '{choice}': judging by the bad case, {variable} ends about {amount} higher {horizon} than "
                 "with '{other}' (80% range {best_range} against {other_range}).", **values) if first.higher else \
            _("Choose '{choice}': judging by the bad case, {variable} ends about {amount} lower {horizon} than "
              "with '{other}' (80% range {best_range} against {other_range}).", **values)
    elif risk >= 0.5:
        lead = _("Choose '{choice}': judging by the good case, {variable} ends about {amount} higher {horizon} than "
                 "with '{other}' (80% range {best_range} against {other_range}).", **values) if first.higher else \
            _("Choose '{choice}': judging by the good case, {variable} ends about {amount} lower {horizon} than "
              "with '{other}' (80% range {best_range} against {other_range}).", **values)
    else:
        lead = _("Choose '{choice}': {variable} ends about {amount} higher {horizon} than with '{other}' "
                 "(80% range {best_range} against {other_range}).", **values) if first.higher else \
            _("Choose '{choice}': {variable} ends about {amount} lower {horizon} than with '{other}' "
              "(80% range {best_range} against {other_range}).", **values)
    sentences = [lead]
    for more in rest:
        values = {"variable": more.label, "amount": more.amount, "best_range": more.best_range,
                  "other_range": more.other_range}
        sentences.append(
            _("{variable} ends about {amount} higher (80% range {best_range} against {other_range}).", **values)
            if more.higher else
            _("{variable} ends about {amount} lower (80% range {best_range} against {other_range}).", **values)
        )
    if barely:
        sentences.append(ngettext("{variables} barely differs.", "{variables} barely differ.", len(barely),
                                  variables=list_text(barely)))
    return sentences


def ending_sentence(
    scenario: Scenario, best: ChoiceForecast, other: ChoiceForecast, best_label: str, other_label: str
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
    title = localized(ending.title, current_language()) if ending is not None else ending_id
    return _("Chance of '{ending}': {best_chance} with '{choice}', {other_chance} with '{other}'.", ending=title,
             best_chance=format_percent(best.ending_probability.get(ending_id, 0.0)), choice=best_label,
             other_chance=format_percent(other.ending_probability.get(ending_id, 0.0)), other=other_label)


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
    """"within a year", "within 2 years", "within 3 quarters", "within a month" (in the current language)."""
    months = turns * months_per_turn
    if months % 12 == 0:
        return ngettext("within a year", "within {n} years", months // 12)
    if months_per_turn == 1:
        return ngettext("within a month", "within {n} months", turns)
    if months_per_turn == 3:
        return ngettext("within a quarter", "within {n} quarters", turns)
    return ngettext("within a turn", "within {n} turns", turns)


def variable_label(compiled: CompiledScenario, scenario: Scenario, variable_id: str) -> str:
    """The variable's label as players see it, in the current language (capitalised to start a sentence)."""
    label = compiled.label(variable_id, current_language())
    return label[:1].upper() + label[1:]


def _range(choice: ChoiceForecast, index: int) -> str:
    return format_range(float(choice.p10[index]), float(choice.p90[index]))


def _position(info: DecisionInfo, choice_id: str) -> int:
    ids = [c.id for c in info.choices]
    return ids.index(choice_id) if choice_id in ids else len(ids)


def advise_session(
    session: Session, role: str, event_id: str, *, worlds: int = DEFAULT_WORLDS, turns: int = DEFAULT_TURNS,
    language: str | None = None,
) -> AdviceBoard:
    """Every advisor of `role` on a decision pending in a game in progress (the game is not changed)."""
    pending = {p.event_id for p in session.pending_decisions(role)}
    if event_id not in pending:
        info = describe_decision(session.scenario, event_id, language)
        title = info.title if info is not None else event_id
        raise CommandRejected(_("'{decision}' is not awaiting a decision by this role now.", decision=title))
    return advise(
        session.compiled, session.state, role, event_id, seed=session.seed, worlds=worlds, turns=turns,
        human_roles=session.human_roles, language=language,
    )
