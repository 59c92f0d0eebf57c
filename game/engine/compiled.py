"""A validated scenario compiled into numpy arrays and compiled expressions, ready for the turn engine.

Compilation happens once per game; every turn then works on index arrays only. Variables are laid
out in one vector in this order: the scenario's own variables (as written), the opinion variables
(`opinion.<group>.<issue>`, groups then issues in file order), the relations (`relation.<a>.<b>`),
and the levers (`lever.<id>`, roles then levers in file order).

Decisions are events and obligations in one table: decision `d < E` is event `d`; decision `E + o`
is obligation `o`, offered as an internal event `obligation:<treaty>.<article>` with the two
choices `honour` and `evade`. The AI policies and the effect scheduling then have one code path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import numpy as np

from game.engine.compiled_expression import (
    CompiledCondition,
    ExpressionContext,
    ExpressionIndex,
    FormulaTemplate,
    compile_condition,
    compile_expression,
    constant_value,
    formula_template,
)
from game.engine.formula_groups import EventGroup, GroupableEvent, group_events
from game.engine.ledger_labels import (
    choice_effect_label,
    event_effect_label,
    influence_label,
    obligation_effect_label,
)
from game.scenario.dependency_order import dependency_order
from game.scenario.expressions import ExpressionProblem, names_used, parse_expression
from game.scenario.models import Effect, Scenario, localized
from game.scenario.months import month_number
from game.scenario.symbols import (
    OPINION_RANGE,
    RELATION_RANGE,
    lever_variable,
    obligation_id,
    opinion_variable,
    relation_variable,
    symbols_of,
)

OBLIGATION_PREFIX: Final = "obligation:"
HONOUR: Final = "honour"
EVADE: Final = "evade"

# Influence shapes, applied to x = source − pivot; the code is the position in this tuple.
SHAPES: Final = ("linear", "sqrt", "square", "threshold", "sign")
POLICIES: Final = ("argmax", "softmax", "random", "first")

ExpressionSource = str | float | int | bool
CompiledExpression = Callable[[ExpressionContext], np.ndarray]


class ScenarioCompileError(ValueError):
    """The scenario cannot be compiled (it should have been rejected by validation first)."""


@dataclass(frozen=True)
class Formula:
    """A compiled expression with its source text; `constant` is set when it does not depend on the state."""

    source: str
    evaluate: CompiledExpression
    constant: float | None
    # The same truth as `evaluate(...) != 0`, without the float conversion (see `compile_condition`).
    condition: CompiledCondition | None = None
    # Its shape and parameters when it can be evaluated in a group of formulas of the same shape
    # (`game.engine.formula_groups`), else None.
    template: FormulaTemplate | None = None

    def values(self, context: ExpressionContext, batch: int) -> np.ndarray:
        """[batch] float64 values (conditions give 0.0/1.0)."""
        if self.constant is not None:
            return np.full(batch, self.constant)
        result = np.asarray(self.evaluate(context), dtype=np.float64)
        return np.broadcast_to(result, (batch,)) if result.shape != (batch,) else result

    def holds(self, context: ExpressionContext, batch: int) -> np.ndarray:
        """[batch] bool: the expression taken as a condition (non-zero is true)."""
        if self.constant is not None:
            return np.full(batch, self.constant != 0.0)
        if self.condition is not None:
            truth = self.condition(context)
        else:
            result = np.asarray(self.evaluate(context))
            truth = result != 0 if result.dtype != np.bool_ else result
        return np.broadcast_to(truth, (batch,)) if truth.shape != (batch,) else truth


@dataclass(frozen=True)
class EffectTemplate:
    """An effect as written, ready to be scheduled into the due-effects buffer."""

    variable: int  # index into the value vector
    column: int  # column of the due-effects buffer (effect targets only, to keep the buffer small)
    amount: Formula  # evaluated when the effect is scheduled
    delay: int
    duration: int
    decay: float
    label: str  # what the causal ledger calls it


@dataclass(frozen=True)
class CompiledChoice:
    """One option of a decision."""

    id: str
    label: str
    available: Formula | None  # None: always available
    weight: Formula  # AI preference, clipped at 0
    effects: tuple[EffectTemplate, ...]
    triggers: tuple[int, ...]  # event indices made pending when the choice is taken
    default: bool


@dataclass(frozen=True)
class CompiledDecision:
    """An event's decision or an obligation's honour/evade decision."""

    index: int  # position in `CompiledScenario.decisions`
    id: str  # event id, or `obligation:<treaty>.<article>`
    owner: int  # index of the deciding role
    choices: tuple[CompiledChoice, ...]
    default_choice: int  # the choice marked `default`, or the first
    event: int | None  # set for events
    obligation: int | None  # set for obligations

    conditional: bool = False  # some choice has an availability condition
    constant_weights: np.ndarray | None = None  # [C] when no AI weight reads the world
    historical_choice: int = -1  # the choice marked `history.choice` (the `historical` policy), -1 none

    def choice_index(self, choice_id: str) -> int:
        """Position of a choice by id; raises KeyError with the valid ids."""
        for position, choice in enumerate(self.choices):
            if choice.id == choice_id:
                return position
        valid = ", ".join(c.id for c in self.choices)
        raise KeyError(f"decision '{self.id}' has no choice '{choice_id}' (its choices: {valid})")


@dataclass(frozen=True)
class CompiledEvent:
    """When an event fires and what firing does (its decision is `decisions[index]`)."""

    index: int
    id: str
    owner: int
    when: Formula | None
    month: int | None  # the `date:` month (year*12 + month-1), or None
    chance: Formula
    cooldown: int
    once: bool
    effects: tuple[EffectTemplate, ...]


@dataclass(frozen=True)
class CompiledObligation:
    """An article's obligation."""

    index: int
    id: str  # treaty.article
    holder: int  # role index
    decider: int  # role index: decided_by, or the holder
    trigger: Formula
    cooldown: int
    decision: int  # index into `CompiledScenario.decisions`


@dataclass(frozen=True)
class LaggedInfluences:
    """Influences that read their source from the history: one (lag, inertia) pair per group."""

    lag: int
    inertia: int
    influences: np.ndarray  # [n] positions in the influence table
    history_columns: np.ndarray  # [n] columns of the history buffer holding their sources


@dataclass(frozen=True)
class InfluenceTable:
    """The causal web as arrays, sorted by shape so each shape is one vectorised operation."""

    source: np.ndarray  # [I] variable index read
    target: np.ndarray  # [I] variable index moved
    weight: np.ndarray  # [I]
    pivot: np.ndarray  # [I]
    shape_slices: tuple[tuple[int, slice], ...]  # (shape code, contiguous slice of the table)
    lagged: tuple[LaggedInfluences, ...]  # influences with lag > 0 or inertia > 1
    # Contiguous slices of the table in which no target repeats, so `rows[targets] += x[part]` is a
    # correct scatter-add (fancy `+=` would drop repeated targets); within a shape, the n-th
    # influence on a target goes to the n-th group.
    scatter_groups: tuple[tuple[slice, np.ndarray], ...]
    labels: tuple[str, ...]  # [I] ledger labels
    direct: np.ndarray  # positions of the influences that read the current values (no lag, no inertia)
    # The same table per influence, for the compiled phase 4 (`phase4_kernel`): shape code, lag, inertia, and
    # the history column its source is kept in (0 where it reads the current values).
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [I]
    lags: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [I]
    inertias: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [I]
    history_columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [I]

    @property
    def count(self) -> int:
        return int(self.source.shape[0])


@dataclass(frozen=True)
class CompiledObjective:
    role: int
    id: str
    label: str
    when: Formula
    points: float
    every_turn: bool
    tracker: int  # column of WorldState.objective_turns for every_turn objectives, else -1


@dataclass(frozen=True)
class CompiledLoss:
    role: int
    id: str
    when: Formula
    ending: int


@dataclass(frozen=True)
class CompiledEnding:
    index: int
    id: str
    when: Formula | None
    at_end: bool


@dataclass(frozen=True)
class CompiledRole:
    index: int
    id: str
    policy: int  # index into POLICIES
    temperature: float
    levers: tuple[int, ...]  # lever indices


@dataclass(frozen=True)
class CompiledScenario:
    """Everything the turn engine needs, as arrays. Immutable after `compile_scenario`."""

    scenario: Scenario
    variable_ids: tuple[str, ...]
    variable_index: Mapping[str, int]
    lower: np.ndarray  # [V]
    upper: np.ndarray  # [V]
    initial: np.ndarray  # [V]
    baseline: np.ndarray  # [V] drift target
    drift: np.ndarray  # [V] fraction of the gap to the baseline closed per turn (0 for derived and levers)
    drift_variables: np.ndarray  # [Dv] variables with drift > 0
    noise_variables: np.ndarray  # [N] variables with noise > 0
    noise_sd: np.ndarray  # [N] their standard deviations
    key_variables: tuple[str, ...]
    influences: InfluenceTable
    history_variables: np.ndarray  # [S] variables kept in the history buffer (sources of lagged influences)
    history_depth: int  # D: turns of history kept (the current one included)
    effect_variables: np.ndarray  # [T] variables some effect can move (columns of the due-effects buffer)
    due_effects_depth: int  # H: turns ahead the due-effects buffer reaches
    derived: tuple[tuple[int, Formula], ...]  # derived variables in dependency order
    lever_ids: tuple[str, ...]  # without the `lever.` prefix
    lever_variables: np.ndarray  # [L] variable index of each lever
    lever_lag: np.ndarray  # [L] turns a new setting takes
    lever_role: np.ndarray  # [L] role index
    role_ids: tuple[str, ...]
    roles: tuple[CompiledRole, ...]
    event_ids: tuple[str, ...]
    event_index: Mapping[str, int]
    events: tuple[CompiledEvent, ...]
    event_once: np.ndarray  # [E] bool
    event_cooldown: np.ndarray  # [E] int32
    obligation_ids: tuple[str, ...]
    obligations: tuple[CompiledObligation, ...]
    decisions: tuple[CompiledDecision, ...]  # events first, then obligations
    decision_index: Mapping[str, int]
    objectives: tuple[CompiledObjective, ...]
    objective_trackers: int  # number of every_turn objectives
    losses: tuple[CompiledLoss, ...]
    ending_ids: tuple[str, ...]
    endings: tuple[CompiledEnding, ...]
    start_month: int
    months_per_turn: int
    turns: int
    expression_index: ExpressionIndex
    _labels: Mapping[str, Mapping[str, str]] = field(repr=False)  # language → variable id → label
    # Events triggered per group in large batches (phase 6): no `date:`, a `when` and a `chance` that
    # can be grouped (or are constant). The others are triggered one by one.
    event_groups: tuple[EventGroup, ...] = ()

    @property
    def variable_count(self) -> int:
        return len(self.variable_ids)

    def label(self, variable_id: str, language: str = "en") -> str:
        """The variable's name shown to players, in `language` (English fallback)."""
        labels = self._labels.get(language) or self._labels["en"]
        return labels.get(variable_id) or self._labels["en"].get(variable_id, variable_id)

    def month_of_turn(self, turn: int) -> int:
        """The month (year*12 + month-1) that turn `turn` (0-based) starts in."""
        return self.start_month + turn * self.months_per_turn

    def role_index(self, role_id: str) -> int:
        try:
            return self.role_ids.index(role_id)
        except ValueError:
            raise KeyError(f"unknown role '{role_id}' (roles: {', '.join(self.role_ids)})") from None

    def lever_index(self, lever_id: str) -> int:
        name = lever_id.removeprefix("lever.")
        try:
            return self.lever_ids.index(name)
        except ValueError:
            raise KeyError(f"unknown lever '{lever_id}' (levers: {', '.join(self.lever_ids)})") from None


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """Compile a validated scenario. Raises ScenarioCompileError on what validation should have caught."""
    return _Compiler(scenario).build()


class _Compiler:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.ids: list[str] = []
        self.id_set: set[str] = set()  # the same ids, for membership tests in constant time
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.initial: list[float] = []
        self.baseline: list[float] = []
        self.drift: list[float] = []
        self.noise: list[float] = []
        self.labels: dict[str, dict[str, str]] = {}
        self.derived_sources: dict[str, str] = {}
        self.effect_columns: dict[int, int] = {}
        self.role_ids = tuple(scenario.roles)
        self.event_ids = tuple(event.id for event in scenario.events)

    # --- variables -------------------------------------------------------------------------------

    def add_variable(
        self,
        variable_id: str,
        label: Mapping[str, str],
        bounds: tuple[float, float],
        initial: float,
        baseline: float | None,
        drift: float,
        noise: float,
    ) -> None:
        if variable_id in self.id_set:
            raise ScenarioCompileError(f"variable '{variable_id}' is defined twice")
        lo, hi = bounds
        self.ids.append(variable_id)
        self.id_set.add(variable_id)
        self.lower.append(lo)
        self.upper.append(hi)
        self.initial.append(min(max(initial, lo), hi))
        self.baseline.append(initial if baseline is None else baseline)
        self.drift.append(drift)
        self.noise.append(noise)
        for language, text in label.items():
            self.labels.setdefault(language, {})[variable_id] = text

    def collect_variables(self) -> None:
        s = self.scenario
        for variable_id, variable in s.variables.items():
            if variable.derived is not None:
                self.derived_sources[variable_id] = variable.derived
            derived = variable.derived is not None
            self.add_variable(
                variable_id,
                _texts(variable.label),
                variable.range,
                variable.initial,
                variable.baseline,
                0.0 if derived else variable.drift,
                0.0 if derived else variable.noise,
            )
        for group_id, group in s.opinion.groups.items():
            for issue_id, issue in s.opinion.issues.items():
                group_labels, issue_labels = _texts(group.label), _texts(issue.label)
                label = {lang: f"{group_labels.get(lang, group_labels['en'])}: {text}" for lang, text in
                         issue_labels.items()}
                self.add_variable(
                    opinion_variable(group_id, issue_id),
                    label,
                    OPINION_RANGE,
                    group.initial.get(issue_id, 50.0),
                    group.baseline,
                    group.drift,
                    group.noise,
                )
        for relation in s.relations:
            a, b = relation.between
            names = [_texts(s.actors[actor].name) if actor in s.actors else {"en": actor} for actor in (a, b)]
            label = {lang: f"{names[0].get(lang, names[0]['en'])} – {names[1].get(lang, names[1]['en'])}"
                     for lang in set(names[0]) | set(names[1]) | {"en"}}
            self.add_variable(
                relation_variable(a, b), label, RELATION_RANGE, relation.initial, relation.baseline, relation.drift,
                relation.noise,
            )
        for role in s.roles.values():
            for lever_id, lever in role.levers.items():
                self.add_variable(lever_variable(lever_id), _texts(lever.label), lever.range, lever.initial, None,
                                  0.0, 0.0)

    # --- expressions -----------------------------------------------------------------------------

    def formula(self, source: ExpressionSource, where: str) -> Formula:
        parsed = parse_expression(source)
        if isinstance(parsed, ExpressionProblem):
            raise ScenarioCompileError(f"{where}: column {parsed.col}: {parsed.message}")
        constant = constant_value(parsed)
        try:
            evaluate = compile_expression(parsed, self.index)
            condition = compile_condition(parsed, self.index)
        except (KeyError, ValueError) as error:
            raise ScenarioCompileError(f"{where}: {error}") from None
        text = source if isinstance(source, str) else str(source)
        return Formula(text, evaluate, None if constant is None else float(constant), condition,
                       formula_template(parsed, self.index))

    def effect(self, effect: Effect, label: str, where: str) -> EffectTemplate:
        variable = self.variable_index.get(effect.target)
        if variable is None:
            raise ScenarioCompileError(f"{where}: unknown variable '{effect.target}'")
        column = self.effect_columns.setdefault(variable, len(self.effect_columns))
        return EffectTemplate(
            variable=variable,
            column=column,
            amount=self.formula(effect.amount, f"{where}.amount"),
            delay=effect.delay,
            duration=effect.duration,
            decay=effect.decay,
            label=label,
        )

    # --- the whole scenario ----------------------------------------------------------------------

    def build(self) -> CompiledScenario:
        s = self.scenario
        self.collect_variables()
        self.variable_index: Mapping[str, int] = MappingProxyType({v: i for i, v in enumerate(self.ids)})
        obligation_list = [
            (obligation_id(treaty.id, article.id), article.obligation)
            for treaty in s.treaties
            for article in treaty.articles
            if article.obligation is not None
        ]
        self.obligation_ids = tuple(o for o, _ in obligation_list)
        self.index = _expression_index(s, self.variable_index, self.event_ids, self.obligation_ids)
        role_position = {role: i for i, role in enumerate(self.role_ids)}
        event_position = {event: i for i, event in enumerate(self.event_ids)}

        def role_of(role_id: str, where: str) -> int:
            if role_id not in role_position:
                raise ScenarioCompileError(f"{where}: unknown role '{role_id}'")
            return role_position[role_id]

        # levers
        lever_ids: list[str] = []
        lever_vars: list[int] = []
        lever_lag: list[int] = []
        lever_role: list[int] = []
        roles: list[CompiledRole] = []
        for r, (role_id, role) in enumerate(s.roles.items()):
            first = len(lever_ids)
            for lever_id, lever in role.levers.items():
                lever_ids.append(lever_id)
                lever_vars.append(self.variable_index[lever_variable(lever_id)])
                lever_lag.append(lever.lag)
                lever_role.append(r)
            roles.append(CompiledRole(r, role_id, POLICIES.index(role.ai.policy), role.ai.temperature,
                                      tuple(range(first, len(lever_ids)))))

        # events and their decisions
        events: list[CompiledEvent] = []
        decisions: list[CompiledDecision] = []
        for e, event in enumerate(s.events):
            where = f"events[{e}]"
            owner = role_of(event.owner, f"{where}.owner")
            event_label = event_effect_label(event.id)
            events.append(
                CompiledEvent(
                    index=e,
                    id=event.id,
                    owner=owner,
                    when=None if event.when is None else self.formula(event.when, f"{where}.when"),
                    month=None if event.date is None else month_number(event.date),
                    chance=self.formula(event.chance, f"{where}.chance"),
                    cooldown=event.cooldown,
                    once=event.once,
                    effects=tuple(self.effect(x, event_label, f"{where}.effects[{i}]")
                                  for i, x in enumerate(event.effects)),
                )
            )
            choices: list[CompiledChoice] = []
            for c, choice in enumerate(event.choices):
                cwhere = f"{where}.choices[{c}]"
                label = choice_effect_label(event.id, choice.id)
                triggers = []
                for follow_up in choice.triggers:
                    if follow_up not in event_position:
                        raise ScenarioCompileError(f"{cwhere}.triggers: unknown event '{follow_up}'")
                    triggers.append(event_position[follow_up])
                choices.append(
                    CompiledChoice(
                        id=choice.id,
                        label=localized(choice.label, "en"),
                        available=None if choice.available is None else self.formula(choice.available,
                                                                                     f"{cwhere}.available"),
                        weight=self.formula(choice.weight, f"{cwhere}.weight"),
                        effects=tuple(self.effect(x, label, f"{cwhere}.effects[{i}]")
                                      for i, x in enumerate(choice.effects)),
                        triggers=tuple(triggers),
                        default=choice.default,
                    )
                )
            default = next((i for i, c in enumerate(choices) if c.default), 0)
            ids = [c.id for c in choices]
            wanted = event.history.choice if event.history is not None else None
            decisions.append(CompiledDecision(e, event.id, owner, tuple(choices), default, e, None,
                                              *_decision_flags(choices),
                                              historical_choice=ids.index(wanted) if wanted in ids else -1))

        # obligations as internal decisions honour / evade
        obligations: list[CompiledObligation] = []
        for o, (oid, obligation) in enumerate(obligation_list):
            assert obligation is not None
            where = f"obligation {oid}"
            holder = role_of(obligation.holder, f"{where}.holder")
            decider = role_of(obligation.decided_by or obligation.holder, f"{where}.decided_by")
            d = len(decisions)
            responses = []
            for response_id, response in ((HONOUR, obligation.honour), (EVADE, obligation.evade)):
                label = obligation_effect_label(oid, response_id == HONOUR)
                responses.append(
                    CompiledChoice(
                        id=response_id,
                        label=localized(response.label, "en"),
                        available=None,
                        weight=self.formula(response.weight, f"{where}.{response_id}.weight"),
                        effects=tuple(self.effect(x, label, f"{where}.{response_id}.effects[{i}]")
                                      for i, x in enumerate(response.effects)),
                        triggers=(),
                        default=False,
                    )
                )
            # Timed-out obligation decisions are evaded: doing nothing is not honouring a duty.
            decisions.append(CompiledDecision(d, OBLIGATION_PREFIX + oid, decider, tuple(responses), 1, None, o,
                                              *_decision_flags(responses)))
            obligations.append(
                CompiledObligation(o, oid, holder, decider, self.formula(obligation.trigger, f"{where}.trigger"),
                                   obligation.cooldown, d)
            )

        influences, history_variables, history_depth = self.influence_table()

        objectives: list[CompiledObjective] = []
        losses: list[CompiledLoss] = []
        ending_position = {ending.id: i for i, ending in enumerate(s.endings)}
        trackers = 0
        for r, role in enumerate(s.roles.values()):
            for q, objective in enumerate(role.objectives):
                every = objective.check == "every_turn"
                objectives.append(
                    CompiledObjective(r, objective.id, localized(objective.label, "en"),
                                      self.formula(objective.when, f"roles.{self.role_ids[r]}.objectives[{q}].when"),
                                      objective.points, every, trackers if every else -1)
                )
                trackers += every
            for q, loss in enumerate(role.losses):
                where = f"roles.{self.role_ids[r]}.losses[{q}]"
                if loss.ending not in ending_position:
                    raise ScenarioCompileError(f"{where}.ending: unknown ending '{loss.ending}'")
                losses.append(CompiledLoss(r, loss.id, self.formula(loss.when, f"{where}.when"),
                                           ending_position[loss.ending]))
        endings = tuple(
            CompiledEnding(i, ending.id, None if ending.when is None else self.formula(ending.when,
                                                                                       f"endings[{i}].when"),
                           ending.at_end)
            for i, ending in enumerate(s.endings)
        )

        derived = self.derived_order()
        max_reach = max((x.delay + x.duration for d in decisions for c in d.choices for x in c.effects), default=0)
        max_reach = max([max_reach, *(x.delay + x.duration for ev in events for x in ev.effects)])
        noise = np.array(self.noise)
        noisy = np.flatnonzero(noise > 0)
        keys = tuple(v for v, var in s.variables.items() if var.key) or tuple(self.ids[:6])
        effect_vars = np.zeros(len(self.effect_columns), dtype=np.intp)
        for variable, column in self.effect_columns.items():
            effect_vars[column] = variable
        return CompiledScenario(
            scenario=s,
            variable_ids=tuple(self.ids),
            variable_index=self.variable_index,
            lower=_frozen(np.array(self.lower)),
            upper=_frozen(np.array(self.upper)),
            initial=_frozen(np.array(self.initial)),
            baseline=_frozen(np.array(self.baseline)),
            drift=_frozen(np.array(self.drift)),
            drift_variables=_frozen(np.flatnonzero(np.array(self.drift) > 0)),
            noise_variables=_frozen(noisy),
            noise_sd=_frozen(noise[noisy]),
            key_variables=keys,
            influences=influences,
            history_variables=_frozen(history_variables),
            history_depth=history_depth,
            effect_variables=_frozen(effect_vars),
            due_effects_depth=max_reach + 1,
            derived=derived,
            lever_ids=tuple(lever_ids),
            lever_variables=_frozen(np.array(lever_vars, dtype=np.intp)),
            lever_lag=_frozen(np.array(lever_lag, dtype=np.int32)),
            lever_role=_frozen(np.array(lever_role, dtype=np.int32)),
            role_ids=self.role_ids,
            roles=tuple(roles),
            event_ids=self.event_ids,
            event_index=MappingProxyType(event_position),
            events=tuple(events),
            event_once=_frozen(np.array([event.once for event in events], dtype=bool)),
            event_cooldown=_frozen(np.array([event.cooldown for event in events], dtype=np.int32)),
            obligation_ids=self.obligation_ids,
            obligations=tuple(obligations),
            decisions=tuple(decisions),
            decision_index=MappingProxyType({d.id: d.index for d in decisions}),
            objectives=tuple(objectives),
            objective_trackers=trackers,
            losses=tuple(losses),
            ending_ids=tuple(ending.id for ending in s.endings),
            endings=endings,
            start_month=month_number(s.calendar.start),
            months_per_turn=s.calendar.months_per_turn(),
            turns=s.calendar.turns,
            expression_index=self.index,
            _labels=MappingProxyType({k: MappingProxyType(v) for k, v in self.labels.items()}),
            event_groups=_event_groups(events),
        )

    def influence_table(self) -> tuple[InfluenceTable, np.ndarray, int]:
        s = self.scenario
        rows = []
        for i, influence in enumerate(s.influences):
            for end in (influence.source, influence.target):
                if end not in self.variable_index:
                    raise ScenarioCompileError(f"influences[{i}]: unknown variable '{end}'")
            english = localized(influence.label, "en") if influence.label is not None else None
            label = influence_label(english, influence.id, influence.source, influence.target)
            rows.append((SHAPES.index(influence.shape), i, influence, label))
        rank: dict[tuple[int, str], int] = {}
        ranked = []
        for row in rows:
            key = (row[0], row[2].target)
            ranked.append((row[0], rank.get(key, 0), self.variable_index[row[2].target], row))
            rank[key] = rank.get(key, 0) + 1
        ranked.sort(key=lambda r: r[:3])  # by shape, then rank, then target
        rows = [r[3] for r in ranked]
        group_keys = [(r[0], r[1]) for r in ranked]
        source = np.array([self.variable_index[r[2].source] for r in rows], dtype=np.intp)
        target = np.array([self.variable_index[r[2].target] for r in rows], dtype=np.intp)
        weight = np.array([r[2].weight for r in rows], dtype=np.float64)
        pivot = np.array([r[2].pivot for r in rows], dtype=np.float64)
        codes = [r[0] for r in rows]
        slices = []
        for code in sorted(set(codes)):
            start = codes.index(code)
            stop = len(codes) - codes[::-1].index(code)
            slices.append((code, slice(start, stop)))
        lagged_rows = [(p, r[2].lag, r[2].inertia) for p, r in enumerate(rows) if r[2].lag > 0 or r[2].inertia > 1]
        history_variables = np.array(sorted({int(source[p]) for p, _, _ in lagged_rows}), dtype=np.intp)
        column_of = {int(v): c for c, v in enumerate(history_variables)}
        groups: dict[tuple[int, int], list[int]] = {}
        for p, lag, inertia in lagged_rows:
            groups.setdefault((lag, inertia), []).append(p)
        lagged = tuple(
            LaggedInfluences(
                lag, inertia, _frozen(np.array(ps, dtype=np.intp)),
                _frozen(np.array([column_of[int(source[p])] for p in ps], dtype=np.intp)),
            )
            for (lag, inertia), ps in sorted(groups.items())
        )
        # Slot t % D holds what influences read in turn t; reading back `lag + inertia - 1` turns
        # needs that many older slots besides the current one.
        depth = max((lag + inertia for _, lag, inertia in lagged_rows), default=0)
        scatter_groups = []
        for group_key in sorted(set(group_keys)):
            start = group_keys.index(group_key)
            stop = len(group_keys) - group_keys[::-1].index(group_key)
            scatter_groups.append((slice(start, stop), _frozen(target[start:stop].copy())))
        lags = np.array([r[2].lag for r in rows], dtype=np.int64)
        inertias = np.array([r[2].inertia for r in rows], dtype=np.int64)
        columns = np.array([column_of.get(int(v), 0) for v in source], dtype=np.int64)
        table = InfluenceTable(
            source=_frozen(source),
            target=_frozen(target),
            weight=_frozen(weight),
            pivot=_frozen(pivot),
            shape_slices=tuple(slices),
            lagged=lagged,
            scatter_groups=tuple(scatter_groups),
            labels=tuple(r[3] for r in rows),
            direct=_frozen(np.setdiff1d(np.arange(len(source), dtype=np.intp),
                                        np.array([p for p, _, _ in lagged_rows], dtype=np.intp))),
            codes=_frozen(np.array(codes, dtype=np.int64)),
            lags=_frozen(lags),
            inertias=_frozen(inertias),
            history_columns=_frozen(columns),
        )
        return table, history_variables, depth

    def derived_order(self) -> tuple[tuple[int, Formula], ...]:
        """Derived variables sorted so each is computed after the derived variables it reads."""
        parsed: dict[str, frozenset[str]] = {}
        for variable_id, source in self.derived_sources.items():
            expr = parse_expression(source)
            if isinstance(expr, ExpressionProblem):
                raise ScenarioCompileError(f"variables.{variable_id}.derived: {expr.message}")
            parsed[variable_id] = names_used(expr) & self.derived_sources.keys()
        found = dependency_order(parsed)
        if found.cycles:
            cycle = " → ".join(found.cycles[0])
            raise ScenarioCompileError(f"derived variables depend on each other in a cycle: {cycle}")
        order = found.order
        return tuple(
            (self.variable_index[v], self.formula(self.derived_sources[v], f"variables.{v}.derived")) for v in order
        )


def _event_groups(events: Sequence[CompiledEvent]) -> tuple[EventGroup, ...]:
    groupable = []
    for event in events:
        when, chance = None if event.when is None else event.when.template, event.chance.template
        if event.month is not None or when is None or chance is None:
            continue
        amounts = tuple(None if effect.amount.constant is not None else effect.amount.template
                        for effect in event.effects)
        groupable.append(GroupableEvent(event.index, when, chance, amounts))
    return group_events(groupable)


def _decision_flags(choices: Sequence[CompiledChoice]) -> tuple[bool, np.ndarray | None]:
    conditional = any(choice.available is not None for choice in choices)
    constants = [choice.weight.constant for choice in choices]
    weights = None if any(c is None for c in constants) else _frozen(np.array(constants, dtype=np.float64))
    return conditional, weights


def _expression_index(
    scenario: Scenario,
    variable_index: Mapping[str, int],
    event_ids: tuple[str, ...],
    obligation_ids: tuple[str, ...],
) -> ExpressionIndex:
    symbols = symbols_of(scenario)
    return ExpressionIndex(
        variables=variable_index,
        events={event: i for i, event in enumerate(event_ids)},
        choices={event.id: {c.id: i for i, c in enumerate(event.choices)} for event in scenario.events},
        obligations={o: i for i, o in enumerate(obligation_ids)},
        issues={
            issue: tuple((variable_index[m.variable], m.weight, m.actor) for m in members)
            for issue, members in symbols.issues.items()
        },
    )


def _texts(text: str | Mapping[str, str]) -> dict[str, str]:
    if isinstance(text, str):
        return {"en": text}
    result = dict(text)
    result.setdefault("en", next(iter(text.values()), ""))
    return result


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
