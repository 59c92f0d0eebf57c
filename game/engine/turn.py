"""The turn pipeline: `resolve_turn` moves B worlds one turn forward, one function per phase.

Order (GAME_MODEL.md §10; docs/engine.md explains each rule):

1. players' commands: lever settings, and choices on pending decisions; a human role's pending
   decision left without a choice takes its `default` choice (or the first available one), as a
   classroom deadline would;
2. AI roles decide their pending decisions (policy per role, or the one given in `TurnInput`);
3. effects due this turn are applied (a choice's effects with delay 0 land in this turn);
4. influences (read with lag/inertia from the history), drift toward the baseline, noise, and
   levers moving toward their settings — all computed from the same values, then added;
5. derived variables recomputed in dependency order, then every value clamped to its range;
6. events triggered (`when`, `date`, `chance`, `cooldown`, `once`, in file order; an event with
   neither `when` nor `date` fires only as a follow-up): their effects are scheduled from the next
   turn on, and they become pending decisions of their owners;
7. obligations checked: a trigger that holds outside the cooldown engages the obligation and the
   deciding role gets an honour/evade decision for the next turn;
8. objectives tallied, loss conditions of *human* roles and endings checked; at the last turn the
   `at_end` endings are chosen and every world's game ends.

Worlds whose game has ended are frozen: later turns leave them untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np

from game.engine.compiled import (
    POLICIES,
    CompiledDecision,
    CompiledEvent,
    CompiledScenario,
    EffectTemplate,
    Formula,
)
from game.engine.compiled_expression import ExpressionContext
from game.engine.formula_groups import Pairs
from game.engine.ledger import CausalLedger, LedgerRecorder
from game.engine.ledger_labels import CLAMP, DERIVED, DRIFT, NOISE, SCHEDULED_EARLIER, lever_label
from game.engine.phase4_kernel import loops_for
from game.engine.randomness import Stream, normals, stream_base, uniforms, uniforms_at, uniforms_at_columns
from game.engine.world import DueEffectRecord, WorldState, clamp_to_range

PolicyName = Literal["argmax", "softmax", "random", "first", "role"]

NO_CHOICE = -1


class TurnError(ValueError):
    """A command the engine cannot apply (unknown lever, event or choice; the game is over)."""


@dataclass(frozen=True)
class TurnInput:
    """What the players decided for this turn (applied to every world of the batch)."""

    lever_settings: Mapping[str, float] = field(default_factory=dict)  # lever id → new setting
    choices: Mapping[str, str] = field(default_factory=dict)  # pending decision id → choice id
    human_roles: frozenset[str] = frozenset()  # roles whose decisions the AI does not take
    policy: PolicyName = "role"  # "role" = each AI role's own policy
    # Changes a facilitator made since the last turn (`adjust_variable`, already in the state): (variable id,
    # ledger label, amount). The turn's causal ledger starts from the values before them and credits them.
    control_changes: tuple[tuple[str, str, float], ...] = ()


@dataclass
class TurnReport:
    """What happened in one turn. The per-world lists are built on first access (cheap for big batches)."""

    batch: int
    ledger: CausalLedger | None  # only when ledger=True and B == 1
    ended: np.ndarray  # [B] bool: worlds whose game ended this turn
    # (item, indices of the worlds it happened in), in the order it happened
    _fired: list[tuple[str, np.ndarray]] = field(default_factory=list, repr=False)
    _decided: list[tuple[str, str, str, np.ndarray]] = field(default_factory=list, repr=False)
    _obligations: list[tuple[str, str, np.ndarray]] = field(default_factory=list, repr=False)
    _pending: list[tuple[str, np.ndarray]] = field(default_factory=list, repr=False)

    @property
    def fired(self) -> list[list[str]]:
        """Per world: ids of the events that fired this turn (follow-ups included)."""
        return _per_world(self.batch, self._fired)

    @property
    def decided(self) -> list[list[tuple[str, str, str]]]:
        """Per world: (decision id, choice id, role id) decided this turn, by players or the AI."""
        return _per_world(self.batch, [((d, c, r), worlds) for d, c, r, worlds in self._decided])

    @property
    def pending(self) -> list[list[str]]:
        """Per world: decisions now awaiting a human role (events, and `obligation:` ids)."""
        return _per_world(self.batch, self._pending)

    @property
    def obligations(self) -> list[list[tuple[str, str]]]:
        """Per world: (obligation id, "engaged" | "honoured" | "evaded") this turn."""
        return _per_world(self.batch, [((o, what), worlds) for o, what, worlds in self._obligations])


Item = TypeVar("Item")


def _per_world(batch: int, rows: list[tuple[Item, np.ndarray]]) -> list[list[Item]]:
    """Spread (item, world indices) rows into one list per world, keeping their order."""
    result: list[list[Item]] = [[] for _ in range(batch)]
    for item, worlds in rows:
        for world in worlds.tolist():
            result[world].append(item)
    return result


class _Turn:
    """The working set of one call of `resolve_turn`."""

    def __init__(self, compiled: CompiledScenario, state: WorldState, inputs: TurnInput,
                 recorder: LedgerRecorder | None, report: TurnReport) -> None:
        self.compiled = compiled
        self.state = state
        self.inputs = inputs
        self.recorder = recorder
        self.report = report
        self.t = state.turn
        self.batch = state.batch
        self.active = state.active(compiled)
        self._decision_streams: np.ndarray | None = None
        self._context: ExpressionContext | None = None
        self.human = np.zeros(len(compiled.role_ids), dtype=bool)
        for role in inputs.human_roles:
            if role not in compiled.role_ids:
                raise TurnError(f"unknown role '{role}' (roles: {', '.join(compiled.role_ids)})")
            self.human[compiled.role_ids.index(role)] = True

    def decision_streams(self) -> np.ndarray:
        """[B] bases of this turn's decision stream (computed once per turn)."""
        if self._decision_streams is None:
            self._decision_streams = stream_base(self.state.keys, self.t, Stream.DECISION)
        return self._decision_streams

    def context(self) -> ExpressionContext:
        """What expressions read this turn. The arrays are the state's own, so it stays current."""
        if self._context is None:
            self._context = self.state.context(self.compiled, self.t)
        return self._context

    def in_worlds(self, worlds: np.ndarray) -> _WorldsView:
        """Evaluate formulas for the given worlds only (read the state as it is now)."""
        return _WorldsView(self, worlds)


# Formulas for a subset of worlds read only those worlds (`ExpressionContext.only`) when the subset is at
# most 1/SPARSE_WORLDS of the batch; otherwise every world is evaluated and the subset picked out, which
# costs less when nearly all are wanted. Expressions are element-wise, so a world's value is the same
# either way (batch independence).
SPARSE_WORLDS = 2
# Below this many worlds per-call overhead outweighs the work saved by drawing only what is needed.
SMALL_BATCH = 64


class _WorldsView:
    """Formula values in some worlds of a turn, read from the state as it is when they are asked for."""

    def __init__(self, turn: _Turn, worlds: np.ndarray) -> None:
        self.count = len(worlds)
        self._turn = turn
        self._pick: np.ndarray | None = None
        self._context: ExpressionContext | None = None
        if self.count * SPARSE_WORLDS <= turn.batch:
            self._context = turn.context().only(worlds)
        elif self.count < turn.batch:  # (sorted distinct indices: all B of them means every world in order)
            self._pick = worlds

    def _current(self) -> ExpressionContext:
        return self._context if self._context is not None else self._turn.context()

    def values(self, formula: Formula) -> np.ndarray:
        """[n] float64 values of a formula in these worlds (a fresh array)."""
        if formula.constant is not None:
            return np.full(self.count, formula.constant)
        context = self._current()
        result = formula.values(context, context.batch)
        return np.asarray(result if self._pick is None else result[self._pick])

    def holds(self, formula: Formula) -> np.ndarray:
        """[n] bool: the formula taken as a condition in these worlds."""
        if formula.constant is not None:
            return np.full(self.count, formula.constant != 0.0)
        context = self._current()
        result = formula.holds(context, context.batch)
        return np.asarray(result if self._pick is None else result[self._pick])


def resolve_turn(
    compiled: CompiledScenario,
    state: WorldState,
    inputs: TurnInput,
    *,
    ledger: bool = False,
    forced_choices: Mapping[str, np.ndarray] | None = None,
) -> TurnReport:
    """Resolve one turn of every world in `state` (mutated in place; `state.turn` advances by 1).

    `forced_choices` (decision id → [B] choice index, -1 = none) decides a pending decision per world;
    forecasts use it to give each slice of the batch a different choice.
    """
    if state.turn >= compiled.turns:
        raise TurnError(f"the scenario is over: all {compiled.turns} turns have been played")
    recording = ledger and state.batch == 1 and bool(state.active(compiled)[0])
    recorder = _recorder_with_control(compiled, state, inputs) if recording else None
    report = TurnReport(batch=state.batch, ledger=None, ended=np.zeros(state.batch, dtype=bool))
    turn = _Turn(compiled, state, inputs, recorder, report)
    apply_commands(turn, forced_choices or {})
    decide_ai(turn)
    # Phases 3–5 run on every world at full speed; worlds whose game has ended get their values back.
    frozen = np.flatnonzero(~turn.active)
    saved = state.values[frozen].copy() if len(frozen) else None
    apply_due_effects(turn)
    move_world(turn)
    recompute_and_clamp(turn)
    if saved is not None:
        state.values[frozen] = saved
    trigger_events(turn)
    check_obligations(turn)
    check_endings(turn)
    for decision in compiled.decisions:
        if turn.human[decision.owner]:
            waiting = np.flatnonzero(_pending_mask(state, decision))
            if len(waiting):
                report._pending.append((decision.id, waiting))
    if recorder is not None:
        report.ledger = recorder.finish(state.values[0])
    elif ledger and state.batch == 1:  # a finished game: nothing changes any more
        report.ledger = LedgerRecorder(compiled, state.turn, state.values[0]).finish(state.values[0])
    state.turn += 1
    return report


def _recorder_with_control(compiled: CompiledScenario, state: WorldState, inputs: TurnInput) -> LedgerRecorder:
    """A ledger recorder for the one world, starting from the values before the facilitator's adjustments."""
    before = state.values[0].copy()
    for variable_id, _label, amount in inputs.control_changes:
        before[compiled.variable_index[variable_id]] -= amount
    recorder = LedgerRecorder(compiled, state.turn, before)
    for variable_id, label, amount in inputs.control_changes:
        recorder.add(compiled.variable_index[variable_id], "control", label, amount)
    return recorder


# --- between turns: the facilitator's injects and adjustments ---------------------------------------


def inject_event(compiled: CompiledScenario, state: WorldState, event_id: str) -> None:
    """Fire `event_id` now, between turns, in every active world: it becomes its owner's pending decision for
    the turn about to resolve, and its effects land in that turn (as if it had fired at the end of the last).

    Nothing random is drawn, so the random numbers of this and later turns are the ones they would have been.
    """
    if event_id not in compiled.event_ids:
        raise TurnError(f"unknown event '{event_id}'")
    if state.turn >= compiled.turns:
        raise TurnError(f"the scenario is over: all {compiled.turns} turns have been played")
    report = TurnReport(batch=state.batch, ledger=None, ended=np.zeros(state.batch, dtype=bool))
    turn = _Turn(compiled, state, TurnInput(), None, report)
    index = compiled.event_ids.index(event_id)
    worlds = np.flatnonzero(turn.active & ~state.pending_decisions[:, index])
    if not len(worlds):
        return
    event = compiled.events[index]
    state.fired_count[worlds, index] += 1
    state.last_fired[worlds, index] = turn.t
    state.pending_decisions[worlds, index] = True
    schedule_effects(turn, event.effects, worlds, turn.t)


def adjust_variable(compiled: CompiledScenario, state: WorldState, variable_id: str, value: float) -> float:
    """Set a variable to `value` (clamped to its range) in every active world, between turns; returns the
    change in world 0, which `TurnInput.control_changes` hands to the ledger of the turn about to resolve."""
    index = compiled.variable_index.get(variable_id)
    if index is None:
        raise TurnError(f"unknown variable '{variable_id}'")
    if not np.isfinite(value):
        raise TurnError(f"variable '{variable_id}' cannot be set to {value}")
    target = float(np.clip(value, compiled.lower[index], compiled.upper[index]))
    active = state.active(compiled)
    before = float(state.values[0, index])
    state.values[active, index] = target
    return float(state.values[0, index]) - before


# --- phase 1: players' commands ------------------------------------------------------------------


def apply_commands(turn: _Turn, forced: Mapping[str, np.ndarray]) -> None:
    """Phase 1: lever settings, then choices on pending decisions (human defaults for the rest)."""
    compiled, state = turn.compiled, turn.state
    for lever_id, setting in turn.inputs.lever_settings.items():
        try:
            lever = compiled.lever_index(lever_id)
        except KeyError as error:
            raise TurnError(str(error.args[0])) from None
        variable = int(compiled.lever_variables[lever])
        lo, hi = compiled.lower[variable], compiled.upper[variable]
        target = float(np.clip(setting, lo, hi)) if np.isfinite(setting) else None
        if target is None:
            raise TurnError(f"lever '{lever_id}' cannot be set to {setting}")
        changed = turn.active & (state.lever_target[:, lever] != target)
        if not changed.any():
            continue
        steps = max(int(compiled.lever_lag[lever]), 1)
        step = (target - state.values[:, variable]) / steps
        state.lever_target[:, lever] = np.where(changed, target, state.lever_target[:, lever])
        state.lever_step[:, lever] = np.where(changed, step, state.lever_step[:, lever])
        state.lever_remaining[:, lever] = np.where(changed, steps, state.lever_remaining[:, lever])

    for decision_id in [*turn.inputs.choices, *forced]:
        if decision_id not in compiled.decision_index:
            raise TurnError(f"unknown decision '{decision_id}'")
    # Only decisions pending at the start of the turn are decided here: follow-ups that a choice makes
    # pending now wait for their owner (AI: phase 2; a player: next turn).
    somewhere = _pending_somewhere(turn)
    pending_at_start = [
        np.flatnonzero(_pending_mask(state, d) & turn.active) if somewhere[d.index] else None
        for d in compiled.decisions
    ]
    for decision in compiled.decisions:
        worlds = pending_at_start[decision.index]
        if worlds is None or not len(worlds):
            continue
        if decision.id in forced:
            choice = np.asarray(forced[decision.id])[worlds]
            keep = choice >= 0
            worlds, choice = worlds[keep], choice[keep]
        elif decision.id in turn.inputs.choices:
            try:
                wanted = decision.choice_index(turn.inputs.choices[decision.id])
            except KeyError as error:
                raise TurnError(str(error.args[0])) from None
            available = _availability(turn, decision, worlds)
            choice = np.where(available[:, wanted], wanted, fallback_choice(decision, available))
        elif turn.human[decision.owner]:
            choice = fallback_choice(decision, _availability(turn, decision, worlds))
        else:
            continue
        take_decision(turn, decision, worlds, choice, due=turn.t)


# --- phase 2: AI decisions -----------------------------------------------------------------------


def decide_ai(turn: _Turn) -> None:
    """Phase 2: every pending decision of an AI role is decided by its policy, vectorised over worlds."""
    compiled, state = turn.compiled, turn.state
    somewhere = _pending_somewhere(turn)
    # Which worlds wait for each decision is fixed before any is taken: a follow-up that an AI choice
    # makes pending now waits for the next turn in every world, whatever the decision order and
    # whatever the other worlds of the batch do.
    waiting = [
        np.flatnonzero(_pending_mask(state, d) & turn.active)
        if somewhere[d.index] and not turn.human[d.owner] else None
        for d in compiled.decisions
    ]
    for decision in compiled.decisions:
        worlds = waiting[decision.index]
        if worlds is None or not len(worlds):
            continue
        role = compiled.roles[decision.owner]
        policy = turn.inputs.policy if turn.inputs.policy != "role" else POLICIES[role.policy]
        choice = choose(turn, decision, worlds, policy, role.temperature)
        take_decision(turn, decision, worlds, choice, due=turn.t)


def choose(turn: _Turn, decision: CompiledDecision, worlds: np.ndarray, policy: str, temperature: float) -> np.ndarray:
    """[n] choice index picked by an AI policy in each of the given worlds, among the available
    choices (the default when none is available).

    argmax: the highest weight (ties: the first); softmax: a draw with probabilities ∝ weight^(1/T);
    random: a draw among the available choices; first: the first available choice; historical: the
    choice marked `history.choice` where it is available, else the default, else the first available.
    """
    if policy == "historical":
        available = _availability(turn, decision, worlds)
        fallback = fallback_choice(decision, available)
        wanted = decision.historical_choice
        return fallback if wanted < 0 else np.where(available[:, wanted], wanted, fallback)
    if not decision.conditional and decision.constant_weights is not None:
        return _choose_fixed(turn, decision, worlds, policy, temperature)
    # Only the worlds where this decision is pending are evaluated (often a few percent of the batch).
    view = turn.in_worlds(worlds)
    available = _availability(turn, decision, worlds, view)
    any_available = available.any(axis=1) if decision.conditional else np.ones(len(worlds), dtype=bool)
    if policy == "first":
        picked = np.argmax(available, axis=1)
    elif policy == "argmax":
        # Unavailable choices get -1 so that, when every available weight is 0, the first available wins.
        weights = _ai_weights(decision, worlds, view, available)
        picked = np.argmax(np.where(available, weights, -1.0) if decision.conditional else weights, axis=1)
    else:
        if policy == "softmax":
            # Probabilities ∝ weight^(1/T): T = 1 follows the weights, small T approaches argmax.
            # Scaling by the largest weight first keeps the power from overflowing.
            weights = _ai_weights(decision, worlds, view, available)
            top = weights.max(axis=1, keepdims=True)
            scaled = np.divide(weights, top, out=np.zeros_like(weights), where=top > 0)
            weights = np.power(scaled, 1.0 / temperature)
        else:  # random: every available choice equally likely (the weights are not even read)
            weights = available.astype(np.float64)
        total = weights.sum(axis=1)
        weights = np.where((total > 0)[:, None], weights, available.astype(np.float64))
        total = weights.sum(axis=1)
        u = uniforms_at(turn.decision_streams()[worlds], decision.index)
        cumulative = np.cumsum(weights, axis=1)
        picked = np.argmax(cumulative > (u * total)[:, None], axis=1)
    return np.where(any_available, picked, decision.default_choice)


CHOICE_POLICIES = ("argmax", "softmax", "random", "first", "historical")


def policy_choices(
    compiled: CompiledScenario, state: WorldState, roles: frozenset[str], policy: str, temperature: float = 1.0
) -> dict[str, np.ndarray]:
    """Decision id → [B] choice index (−1 = not pending) that `policy` (one of CHOICE_POLICIES) takes on
    the roles' decisions pending in each world still playing, for `resolve_turn(forced_choices=...)`.

    The same `choose` as the AI's own decisions, so `random` draws from the world's decision stream and
    a world's choice does not depend on the batch it runs in. The state is not changed.
    """
    if policy not in CHOICE_POLICIES:
        raise ValueError(f"unknown policy '{policy}' (policies: {', '.join(CHOICE_POLICIES)})")
    report = TurnReport(batch=state.batch, ledger=None, ended=np.zeros(state.batch, dtype=bool))
    turn = _Turn(compiled, state, TurnInput(), None, report)
    forced: dict[str, np.ndarray] = {}
    for decision in compiled.decisions:
        if compiled.role_ids[decision.owner] not in roles:
            continue
        worlds = np.flatnonzero(_pending_mask(state, decision) & turn.active)
        if not len(worlds):
            continue
        picked = np.full(state.batch, NO_CHOICE, dtype=np.int64)
        picked[worlds] = choose(turn, decision, worlds, policy, temperature)
        forced[decision.id] = picked
    return forced


def _ai_weights(decision: CompiledDecision, worlds: np.ndarray, view: _WorldsView,
                available: np.ndarray) -> np.ndarray:
    """[n, C] the AI weights of the choices in the given worlds, negative ones as 0, unavailable ones 0."""
    if decision.constant_weights is not None:
        weights = np.broadcast_to(decision.constant_weights, (len(worlds), len(decision.choices)))
    else:
        weights = np.stack([view.values(c.weight) for c in decision.choices], axis=1)
    positive = np.maximum(weights, 0.0)
    return np.where(available, positive, 0.0) if decision.conditional else positive


def _choose_fixed(turn: _Turn, decision: CompiledDecision, worlds: np.ndarray, policy: str,
                  temperature: float) -> np.ndarray:
    """`choose` when every choice is always available and no weight reads the world: the same
    probabilities in every world, so one draw per world and one search."""
    assert decision.constant_weights is not None
    weights = np.maximum(decision.constant_weights, 0.0)
    if policy == "first":
        return np.zeros(len(worlds), dtype=np.intp)
    if policy == "argmax":
        return np.full(len(worlds), int(np.argmax(weights)), dtype=np.intp)
    if policy == "softmax":
        top = weights.max()
        weights = np.power(weights / top, 1.0 / temperature) if top > 0 else weights
    else:
        weights = np.ones_like(weights)
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    cumulative = np.cumsum(weights)
    u = uniforms_at(turn.decision_streams()[worlds], decision.index)
    picked = np.searchsorted(cumulative, u * cumulative[-1], side="right")
    return np.asarray(np.minimum(picked, len(weights) - 1))


def choice_availability(compiled: CompiledScenario, state: WorldState, decision: CompiledDecision) -> np.ndarray:
    """[B, C] bool: which choices of a decision are offered in each world now."""
    context = state.context(compiled)
    columns = [
        np.ones(state.batch, dtype=bool) if c.available is None else c.available.holds(context, state.batch)
        for c in decision.choices
    ]
    return np.stack(columns, axis=1)


def _availability(turn: _Turn, decision: CompiledDecision, worlds: np.ndarray,
                  view: _WorldsView | None = None) -> np.ndarray:
    """[n, C] bool: which choices are offered in the given worlds."""
    if not decision.conditional:
        return np.ones((len(worlds), len(decision.choices)), dtype=bool)
    view = turn.in_worlds(worlds) if view is None else view
    columns = [
        np.ones(len(worlds), dtype=bool) if c.available is None else view.holds(c.available)
        for c in decision.choices
    ]
    return np.stack(columns, axis=1)


def fallback_choice(decision: CompiledDecision, available: np.ndarray) -> np.ndarray:
    """[n]: the default choice where it is available, else the first available one, else the default."""
    first = np.argmax(available, axis=1)
    default = decision.default_choice
    return np.where(available[:, default], default, np.where(available.any(axis=1), first, default))


def take_decision(turn: _Turn, decision: CompiledDecision, worlds: np.ndarray, choice: np.ndarray, *,
                  due: int) -> None:
    """Apply a decision in the given worlds (`choice[i]` in world `worlds[i]`): schedule the choice's
    effects from turn `due`, make its follow-up events pending, update the ledgers."""
    state, report = turn.state, turn.report
    if not len(worlds):
        return
    role_id = turn.compiled.role_ids[decision.owner]
    for c, option in enumerate(decision.choices):
        chosen = worlds[choice == c]
        if not len(chosen):
            continue
        report._decided.append((decision.id, option.id, role_id, chosen))
        schedule_effects(turn, option.effects, chosen, due)
        for follow_up in option.triggers:
            fire_event(turn, follow_up, chosen[~state.pending_decisions[chosen, follow_up]])
        if decision.obligation is not None:
            state.obligation_state[chosen, decision.obligation, 1 if c == 0 else 2] += 1
            report._obligations.append((turn.compiled.obligation_ids[decision.obligation],
                                        "honoured" if c == 0 else "evaded", chosen))
    if decision.event is not None:
        state.last_choice[worlds, decision.event] = choice
        state.pending_decisions[worlds, decision.event] = False
    elif decision.obligation is not None:
        state.obligation_pending[worlds, decision.obligation] = False


def schedule_effects(turn: _Turn, effects: tuple[EffectTemplate, ...], worlds: np.ndarray, due: int,
                     amounts: tuple[np.ndarray | None, ...] = ()) -> None:
    """Put effects into the due-effects buffer for the given worlds, starting in turn `due` + delay.

    `amounts[i]`, when given and not None, is effect i's amount in those worlds, already computed (by a
    group of events); otherwise it is computed here."""
    if not effects or not len(worlds):
        return
    state, compiled = turn.state, turn.compiled
    depth = compiled.due_effects_depth
    view: _WorldsView | None = None
    tracks_sources = state.tracks_sources
    for position, effect in enumerate(effects):
        # A constant amount is added as a scalar: the same IEEE products and sums as a full array of it,
        # without building one per effect and turn.
        amount: np.ndarray | float
        given = amounts[position] if position < len(amounts) else None
        if effect.amount.constant is not None:
            amount = float(effect.amount.constant)
        elif given is not None:
            amount = given
        else:
            view = turn.in_worlds(worlds) if view is None else view
            amount = view.values(effect.amount)
        for k in range(effect.duration):
            factor = (1.0 - effect.decay) ** k
            when = due + effect.delay + k
            row = state.due_effects[when % depth, effect.column]  # a [B] view
            row[worlds] += amount * factor if factor != 1.0 else amount
            if tracks_sources:
                first = amount if isinstance(amount, float) else float(amount[0])
                state.due_effect_records.append(DueEffectRecord(when, effect.variable, float(first * factor),
                                                                effect.label))


def fire_event(turn: _Turn, event_index: int, worlds: np.ndarray, amounts: tuple[np.ndarray | None, ...] = ()) -> None:
    """An event fires in the given worlds: count it, schedule its effects (from next turn), make it pending.
    `amounts`: its effects' amounts in those worlds where already computed (see `schedule_effects`)."""
    if not len(worlds):
        return
    state = turn.state
    event = turn.compiled.events[event_index]
    state.fired_count[worlds, event_index] += 1
    state.last_fired[worlds, event_index] = turn.t
    state.pending_decisions[worlds, event_index] = True
    turn.report._fired.append((event.id, worlds))
    schedule_effects(turn, event.effects, worlds, turn.t + 1, amounts)


def _pending_somewhere(turn: _Turn) -> np.ndarray:
    """[D] bool: decisions pending in at least one world (two reductions instead of one per decision)."""
    state = turn.state
    return np.concatenate([state.pending_decisions.any(axis=0), state.obligation_pending.any(axis=0)])


def _pending_mask(state: WorldState, decision: CompiledDecision) -> np.ndarray:
    if decision.event is not None:
        return np.asarray(state.pending_decisions[:, decision.event])
    assert decision.obligation is not None
    return np.asarray(state.obligation_pending[:, decision.obligation])


# --- phase 3: due effects ------------------------------------------------------------------------


def apply_due_effects(turn: _Turn) -> None:
    """Phase 3: add the amounts due this turn and clear their slot of the ring buffer."""
    compiled, state = turn.compiled, turn.state
    if state.due_effects.shape[1] == 0:
        return
    slot = turn.t % compiled.due_effects_depth
    due = state.due_effects[slot]  # [T, B]
    state.values.T[compiled.effect_variables] += due
    if state.tracks_sources:
        now = [r for r in state.due_effect_records if r.due == turn.t]
        state.due_effect_records = [r for r in state.due_effect_records if r.due != turn.t]
        if turn.recorder is not None:
            unexplained = due[:, 0].copy()
            column = {int(v): c for c, v in enumerate(compiled.effect_variables)}
            for record in now:
                turn.recorder.add(record.variable, "effect", record.label, record.amount)
                unexplained[column[record.variable]] -= record.amount
            # Amounts whose records were not kept (a world selected out of a batch) still get a line,
            # so the ledger always adds up.
            for c in np.flatnonzero(np.abs(unexplained) > 1e-12).tolist():
                turn.recorder.add(int(compiled.effect_variables[c]), "effect", SCHEDULED_EARLIER,
                                  float(unexplained[c]))
    due[:] = 0.0


# --- phase 4: influences, drift, noise, levers ---------------------------------------------------


# Phase 4 works on blocks of this many worlds: its [I, block] work arrays then stay in the CPU cache
# instead of streaming tens of megabytes per operation. Every operation is per world, so the
# result does not depend on the block size.
WORLD_BLOCK = 1024


def move_world(turn: _Turn) -> None:
    """Phase 4: every standing force on the values, all read from the values after phase 3."""
    shared = _shared_noise(turn)
    loops = loops_for(turn.batch) if turn.recorder is None else None
    if loops is not None and _move_compiled(turn, loops.move_compiled, shared):
        return
    for start in range(0, turn.batch, WORLD_BLOCK):
        _move_block(turn, start, min(start + WORLD_BLOCK, turn.batch), shared)


def _move_compiled(turn: _Turn, kernel: Callable[..., None],
                   shared_noise: tuple[np.ndarray, np.ndarray] | None) -> bool:
    """Phase 4 by the compiled kernel (`phase4_kernel`: the same numbers as `_move_block`); False when the
    state's arrays are not laid out as the kernel needs (then the numpy path runs)."""
    compiled, state = turn.compiled, turn.state
    rows = state.values.T  # [V, B]
    if not (rows.flags.c_contiguous and state.history.flags.c_contiguous):
        return False
    table = compiled.influences
    batch = turn.batch
    if shared_noise is not None:
        noise, noise_column = shared_noise
    elif len(compiled.noise_variables):
        noise = normals(state.keys, turn.t, Stream.NOISE, len(compiled.noise_variables), state.scratch)
        noise *= compiled.noise_sd[:, None]  # [N, B]
        noise_column = np.arange(batch)
    else:
        noise, noise_column = np.zeros((0, batch)), np.zeros(batch, dtype=np.intp)
    lever_move = _lever_moves(turn, 0, batch)
    lever_variables = compiled.lever_variables
    if lever_move is None:
        lever_move, lever_variables = np.zeros((0, batch)), compiled.lever_variables[:0]
    kernel(rows, state.history, turn.t, compiled.history_variables,
           table.source, table.target, table.weight, table.pivot, table.codes, table.lags, table.inertias,
           table.history_columns, state.scratch("phase4_old", rows.shape), state.scratch("phase4_reading", (batch,)),
           compiled.drift_variables, compiled.baseline, compiled.drift, compiled.noise_variables,
           np.ascontiguousarray(noise), np.ascontiguousarray(noise_column),
           lever_variables, np.ascontiguousarray(lever_move))
    return True


def _lever_moves(turn: _Turn, a: int, b: int) -> np.ndarray | None:
    """[L, n] how far each lever moves this turn in worlds a..b-1 (None when none moves); counts the turn."""
    compiled, state = turn.compiled, turn.state
    if not len(compiled.lever_ids):
        return None
    remaining = state.lever_remaining[a:b]
    moving = (remaining > 0) & turn.active[a:b, None]
    if not moving.any():
        return None
    current = state.values[a:b, compiled.lever_variables]
    arrived = remaining == 1
    goal = np.where(arrived, state.lever_target[a:b], current + state.lever_step[a:b])
    remaining -= moving.astype(np.int32)
    return np.where(moving, goal - current, 0.0).T  # [L, n]


def _shared_noise(turn: _Turn) -> tuple[np.ndarray, np.ndarray] | None:
    """(noise [N, K] of the K distinct world keys, [B] column of each world) when worlds share keys.

    A forecast runs every choice on the same N keys (common random numbers), so its worlds' shocks
    repeat once per choice; drawing them once per key and copying is several times cheaper than
    drawing them for every world. A shock depends only on the key, so the numbers are the same.
    """
    compiled, state = turn.compiled, turn.state
    if not len(compiled.noise_variables) or turn.batch < 4:
        return None
    keys, column = np.unique(state.keys, return_inverse=True)
    if len(keys) * 2 > turn.batch:
        return None
    noise = normals(keys, turn.t, Stream.NOISE, len(compiled.noise_variables), state.scratch)
    noise *= compiled.noise_sd[:, None]
    return noise, column


def _move_block(turn: _Turn, a: int, b: int, shared_noise: tuple[np.ndarray, np.ndarray] | None) -> None:
    compiled, state = turn.compiled, turn.state
    rows = state.values.T[:, a:b]  # [V, n] view: one row per variable, worlds a..b-1
    table = compiled.influences
    recorder = turn.recorder

    contributions = influence_contributions(turn, a, b) if table.count else None  # [I, n]
    drift = None
    if len(compiled.drift_variables):
        dv = compiled.drift_variables
        drift = rows[dv]  # a gathered copy, turned into the drift in place: [Dv, n]
        np.subtract(compiled.baseline[dv, None], drift, out=drift)
        drift *= compiled.drift[dv, None]
    noise = None
    if shared_noise is not None:
        noise = np.take(shared_noise[0], shared_noise[1][a:b], axis=1)
    elif len(compiled.noise_variables):
        noise = normals(state.keys[a:b], turn.t, Stream.NOISE, len(compiled.noise_variables))
        noise *= compiled.noise_sd[:, None]  # [N, n]
    lever_move = _lever_moves(turn, a, b)

    if recorder is not None:
        if contributions is not None:
            recorder.add_row(table.target, "influence", table.labels, contributions[:, 0])
        if drift is not None:
            recorder.add_row(compiled.drift_variables, "drift", DRIFT, drift[:, 0])
        if noise is not None:
            recorder.add_row(compiled.noise_variables, "noise", NOISE, noise[:, 0])
        if lever_move is not None:
            recorder.add_row(compiled.lever_variables, "lever",
                             tuple(lever_label(lever) for lever in compiled.lever_ids), lever_move[:, 0])

    # Every force above was computed from the same values; only now are they added, so they act
    # together and the order of the additions cannot change which values they read.
    if contributions is not None:
        for part, targets in table.scatter_groups:
            rows[targets] += contributions[part]
    if drift is not None:
        rows[compiled.drift_variables] += drift
    if noise is not None:
        rows[compiled.noise_variables] += noise
    if lever_move is not None:
        rows[compiled.lever_variables] += lever_move


def influence_contributions(turn: _Turn, a: int = 0, b: int | None = None) -> np.ndarray:
    """[I, n]: each influence's push this turn on worlds a..b-1, weight · shape(source − pivot), in
    table order. Written into a reused scratch array: allocating it afresh every turn costs page faults.
    """
    compiled, state = turn.compiled, turn.state
    b = turn.batch if b is None else b
    table = compiled.influences
    rows = state.values.T[:, a:b]
    x = state.scratch("influence", (table.count, b - a))
    if not table.lagged:
        np.take(rows, table.source, axis=0, out=x)
    else:
        # Lagged influences get their reading from the history below: only the others read the
        # current values (with two thirds lagged, copying every source first was a third of this).
        x[table.direct] = rows[table.source[table.direct]]
        # Record what is read now, then read `lag` .. `lag + inertia - 1` turns back; before the
        # first turn the ring holds the initial values.
        depth = compiled.history_depth
        history = state.history[:, :, a:b]
        history[turn.t % depth] = rows[compiled.history_variables]
        for group in table.lagged:
            total = history[(turn.t - group.lag) % depth][group.history_columns]
            for back in range(group.lag + 1, group.lag + group.inertia):
                total += history[(turn.t - back) % depth][group.history_columns]
            if group.inertia > 1:
                total /= group.inertia
            x[group.influences] = total
    x -= table.pivot[:, None]
    for code, part in table.shape_slices:
        if code == 0:  # linear
            continue
        view = x[part]
        if code == 1:  # sqrt: sign(x)·√|x|
            magnitude = np.sqrt(np.abs(view))
            np.copysign(magnitude, view, out=view)
        elif code == 2:  # square: sign(x)·x²
            view *= np.abs(view)
        elif code == 3:  # threshold: 1 when x > 0
            view[...] = view > 0
        elif code == 4:  # sign
            np.sign(view, out=view)
    x *= table.weight[:, None]
    return x


# --- phase 5: derived variables, clamping --------------------------------------------------------


def recompute_and_clamp(turn: _Turn) -> None:
    """Phase 5: derived variables from their formulas (in dependency order), then all values clamped."""
    compiled, state = turn.compiled, turn.state
    values = state.values
    if compiled.derived:
        context = turn.context()
        for variable, formula in compiled.derived:
            new = formula.values(context, turn.batch)
            if turn.recorder is not None:
                turn.recorder.add(variable, "derived", DERIVED, float(new[0] - values[0, variable]))
            values[:, variable] = new
    if turn.recorder is not None:
        clipped = np.fmin(np.fmax(values[0], compiled.lower), compiled.upper)
        cut = clipped - values[0]
        for variable in np.flatnonzero(cut).tolist():
            turn.recorder.add(variable, "clamp", CLAMP, float(cut[variable]))
    rows = values.T
    clamp_to_range(rows, compiled.lower[:, None], compiled.upper[:, None])


# --- phase 6: events -------------------------------------------------------------------------------


def trigger_events(turn: _Turn) -> None:
    """Phase 6: events whose conditions hold (and whose chance roll succeeds) fire, in file order."""
    compiled, state = turn.compiled, turn.state
    if not compiled.events:
        return
    month = compiled.month_of_turn(turn.t)
    # Counters, once and cooldown for all events at once ([B, E]); an event's eligibility depends only
    # on its own counters, so firing one event below cannot change another's.
    last = state.last_fired
    eligible_all = turn.active[:, None] & ~state.pending_decisions
    eligible_all &= ~(compiled.event_once & (state.fired_count > 0))
    eligible_all &= (last < 0) | (turn.t - last > compiled.event_cooldown)
    candidates = eligible_all.any(axis=0)
    # A small batch (a real game: B = 1) takes every test on all its worlds, with all events' chance
    # rolls drawn at once: fewer numpy calls. A large one evaluates each test only in the worlds still
    # in question and draws each event's rolls only there. The numbers are the same either way.
    all_rolls = _LazyRolls(turn) if turn.batch < SMALL_BATCH else None
    chance_streams: np.ndarray | None = None
    grouped: dict[int, _Firing] = {}
    if turn.batch >= SMALL_BATCH and compiled.event_groups:
        chance_streams = stream_base(state.keys, turn.t, Stream.EVENT_CHANCE)
        grouped = _grouped_firings(turn, eligible_all, chance_streams)
    for event in compiled.events:
        e = event.index
        if not candidates[e]:
            continue
        if event.when is None and event.month is None:
            continue  # a follow-up: fires only when a choice triggers it
        if event.month is not None and not month <= event.month < month + compiled.months_per_turn:
            continue
        if turn.batch < SMALL_BATCH:
            _trigger_small(turn, event, eligible_all[:, e], all_rolls)
            continue
        firing = grouped.get(e)
        if firing is not None:  # decided with its group above; fired now, in file order
            fire_event(turn, e, firing[0], firing[1])
            continue
        # From here on only the worlds still in question are evaluated: each test narrows them.
        worlds = np.flatnonzero(eligible_all[:, e])
        if event.when is not None:
            # Conditions are read now, after the events before this one fired (fired(x) sees them).
            worlds = worlds[turn.in_worlds(worlds).holds(event.when)]
            if not len(worlds):
                continue
        if event.chance.constant is None or event.chance.constant < 1.0:
            if chance_streams is None:
                chance_streams = stream_base(state.keys, turn.t, Stream.EVENT_CHANCE)
            rolls = uniforms_at(chance_streams[worlds], e)  # = column e of `uniforms`, where needed
            worlds = worlds[rolls < turn.in_worlds(worlds).values(event.chance)]
        fire_event(turn, e, worlds)


def _grouped_firings(turn: _Turn, eligible_all: np.ndarray, chance_streams: np.ndarray) -> dict[int, _Firing]:
    """Event index → the worlds where it fires this turn and its effects' amounts there (None: computed
    when scheduled), for the events of `compiled.event_groups`.

    Decided before any event fires, which gives what deciding each in file order would: a grouped
    `when` or `chance` reads only the values (no event state, no `turn`), and firing an event changes
    neither the values nor another event's eligibility. Each group is evaluated as [G, B] arrays (its
    G events in every world; element-wise, so each value is the one the event's own formula gives),
    and the rolls are drawn only for the (event, world) pairs that are eligible and whose `when` holds:
    the numbers of `uniforms_at`, column = event.
    """
    firings: dict[int, _Firing] = {}
    batch = turn.batch
    rows = turn.state.values.T  # [V, B]
    for group in turn.compiled.event_groups:
        fire = np.ascontiguousarray(eligible_all[:, group.events].T)  # [G, B]
        fire &= group.when.holds_in_rows(rows)
        if group.rolls:
            candidates = np.flatnonzero(fire)  # (event, world) pairs as event · B + world
            members = candidates // batch
            worlds = candidates - members * batch
            rolls = uniforms_at_columns(chance_streams[worlds], group.events[members])
            chance = group.chance.values_in_rows(rows).reshape(-1)
            fire.reshape(-1)[candidates] = rolls < chance[candidates]
        fired = np.flatnonzero(fire)  # by event, then world
        members = fired // batch
        worlds = fired - members * batch
        # Effect amounts that read the world, for every firing of the group at once (the values do not
        # change while events fire, so they are the numbers `schedule_effects` would compute).
        pairs = Pairs(turn.state.values, members, worlds)
        amounts = [None if amount is None else amount.values(pairs) for amount in group.amounts]
        ends = np.searchsorted(fired, np.arange(1, len(group.events)) * batch).tolist()
        starts = [0, *ends]
        ends.append(len(fired))
        for e, start, end in zip(group.events.tolist(), starts, ends, strict=True):
            firings[e] = (worlds[start:end], tuple(None if a is None else a[start:end] for a in amounts))
    return firings


_Firing = tuple[np.ndarray, tuple[np.ndarray | None, ...]]  # (worlds, each effect's amounts there or None)


class _LazyRolls:
    """[E, B] chance rolls of every event this turn, drawn on first use."""

    def __init__(self, turn: _Turn) -> None:
        self._turn = turn
        self._rolls: np.ndarray | None = None

    def of(self, event: int) -> np.ndarray:
        if self._rolls is None:
            turn = self._turn
            columns = np.arange(len(turn.compiled.events))
            self._rolls = uniforms(turn.state.keys, turn.t, Stream.EVENT_CHANCE, columns)
        return np.asarray(self._rolls[event])


def _trigger_small(turn: _Turn, event: CompiledEvent, eligible: np.ndarray, rolls: _LazyRolls | None) -> None:
    """`trigger_events` for one event in a small batch: masks over all worlds."""
    context = turn.context()
    if event.when is not None:
        # Conditions are read now, after the events before this one fired (fired(x) sees them).
        eligible = eligible & event.when.holds(context, turn.batch)
        if not eligible.any():
            return
    if event.chance.constant is None or event.chance.constant < 1.0:
        assert rolls is not None
        eligible = eligible & (rolls.of(event.index) < event.chance.values(context, turn.batch))
    fire_event(turn, event.index, np.flatnonzero(eligible))


# --- phase 7: obligations --------------------------------------------------------------------------


def check_obligations(turn: _Turn) -> None:
    """Phase 7: a trigger that holds outside the cooldown engages the obligation (decided next turn)."""
    compiled, state = turn.compiled, turn.state
    if not compiled.obligations:
        return
    context = turn.context()
    for obligation in compiled.obligations:
        o = obligation.index
        last = state.obligation_last[:, o]
        eligible = turn.active & ~state.obligation_pending[:, o]
        eligible &= (last < 0) | (turn.t - last > obligation.cooldown)
        if not eligible.any():
            continue
        engaged = eligible & obligation.trigger.holds(context, turn.batch)
        if not engaged.any():
            continue
        worlds = np.flatnonzero(engaged)
        state.obligation_state[worlds, o, 0] += 1
        state.obligation_last[worlds, o] = turn.t
        state.obligation_pending[worlds, o] = True
        turn.report._obligations.append((obligation.id, "engaged", worlds))


# --- phase 8: objectives, losses, endings ------------------------------------------------------------


def check_endings(turn: _Turn) -> None:
    """Phase 8: tally every_turn objectives; human roles' losses and `when` endings end a world's game.

    Loss conditions of AI roles never end the game: nobody is there to lose, and an AI role's
    collapse would otherwise end a player's game for reasons outside their seat. At the last turn
    the first `at_end` ending whose `when` holds (or that has none) is chosen for the worlds still
    playing, and every world's game ends.
    """
    compiled, state = turn.compiled, turn.state
    active = turn.active
    if not active.any():
        return
    context = turn.context()
    for objective in compiled.objectives:
        if objective.every_turn:
            held = objective.when.holds(context, turn.batch) & active
            state.objective_turns[:, objective.tracker] += held
    open_ = active.copy()
    for loss in compiled.losses:
        if not turn.human[loss.role]:
            continue
        lost = open_ & loss.when.holds(context, turn.batch)
        state.ending[lost] = loss.ending
        open_ &= ~lost
    for ending in compiled.endings:
        if ending.at_end or ending.when is None or not open_.any():
            continue
        reached = open_ & ending.when.holds(context, turn.batch)
        state.ending[reached] = ending.index
        open_ &= ~reached
    if turn.t == compiled.turns - 1:
        for ending in compiled.endings:
            if not ending.at_end or not open_.any():
                continue
            reached = open_.copy() if ending.when is None else open_ & ending.when.holds(context, turn.batch)
            state.ending[reached] = ending.index
            open_ &= ~reached
        open_[:] = False  # the calendar is over: worlds without a matching ending end with none
    ended = active & ~open_
    state.ended_turn[ended] = turn.t
    turn.report.ended = ended
