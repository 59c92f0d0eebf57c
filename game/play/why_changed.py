""""Why did this change?" in the player's words: each part of a variable's last change, named by the event,
choice, obligation, influence or lever it came from (their titles and labels, never ids), and for a derived
variable the variables its formula reads."""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.ledger_labels import (
    CLAMP,
    CONTROL_PREFIX,
    DERIVED,
    DRIFT,
    NOISE,
    SCHEDULED_EARLIER,
    choice_effect_label,
    event_effect_label,
    influence_label,
    lever_label,
    obligation_effect_label,
)
from game.play.decisions import describe_decision, obligation_event_id
from game.play.session import Session
from game.scenario.expressions import ExpressionProblem, names_used, parse_expression
from game.scenario.models import localized
from game.scenario.symbols import symbols_of
from game.translation import _

SHOWN_PARTS = 10


@dataclass(frozen=True)
class ChangePart:
    """One source's part of the change."""

    amount: float
    source: str  # in the player's language


@dataclass(frozen=True)
class WhyChanged:
    """A variable's last change, split by source, with where it went from and to."""

    variable: str
    label: str
    parts: tuple[ChangePart, ...]  # largest first; the parts beyond SHOWN_PARTS summed in one
    before: float
    after: float
    total: float
    inputs: tuple[str, ...]  # a derived variable's inputs, by label

    @property
    def changed(self) -> bool:
        return bool(self.parts)


def source_names(session: Session, language: str) -> dict[str, str]:
    """Every ledger label the scenario can produce → what the player reads for it."""
    scenario, compiled = session.scenario, session.compiled
    names = {
        SCHEDULED_EARLIER: _("effects decided earlier"),
        DRIFT: _("pull back toward its usual level"),
        NOISE: _("chance events"),
        DERIVED: _("recomputed from its inputs"),
        CLAMP: _("held inside its range"),
    }
    for event in scenario.events:
        title = localized(event.title, language)
        names[event_effect_label(event.id)] = _("event: {event}", event=title)
        for choice in event.choices:
            names[choice_effect_label(event.id, choice.id)] = _(
                "choice: {choice} ({event})", choice=localized(choice.label, language), event=title)
    for obligation in compiled.obligation_ids:
        info = describe_decision(scenario, obligation_event_id(obligation), language)
        title = info.title if info is not None else obligation
        names[obligation_effect_label(obligation, True)] = _("{obligation}: honoured", obligation=title)
        names[obligation_effect_label(obligation, False)] = _("{obligation}: evaded", obligation=title)
    for influence in scenario.influences:
        english = localized(influence.label, "en") if influence.label is not None else None
        key = influence_label(english, influence.id, influence.source, influence.target)
        if key in names:
            continue  # influences with the same label are one line of the ledger
        if influence.label is not None:
            shown = localized(influence.label, language)
        else:
            shown = _("{source} → {target}", source=compiled.label(influence.source, language),
                      target=compiled.label(influence.target, language))
        names[key] = _("influence: {influence}", influence=shown)
    for role in scenario.roles.values():
        for lever_id, lever in role.levers.items():
            names[lever_label(lever_id)] = _("lever: {lever}", lever=localized(lever.label, language))
    return names


def derived_inputs(session: Session, variable: str, language: str) -> tuple[str, ...]:
    """The labels of the variables a derived variable's formula reads, in the scenario's order."""
    declared = session.scenario.variables.get(variable)
    if declared is None or declared.derived is None:
        return ()
    parsed = parse_expression(declared.derived)
    if isinstance(parsed, ExpressionProblem):  # cannot happen for a scenario that validated
        return ()
    read = names_used(parsed, symbols=symbols_of(session.scenario))
    ordered = [v for v in session.compiled.variable_ids if v in read]
    return tuple(session.compiled.label(v, language) for v in ordered)


def why_changed(session: Session, variable: str, language: str) -> WhyChanged:
    """The last resolved turn's change of `variable`, in the player's words."""
    compiled = session.compiled
    label = compiled.label(variable, language)
    inputs = derived_inputs(session, variable, language)
    ledger = session.last_ledger
    history = session.value_history(variable)
    before, after = (history[-2], history[-1]) if len(history) >= 2 else (history[-1], history[-1])
    if ledger is None:
        return WhyChanged(variable, label, (), before, after, 0.0, inputs)
    names = source_names(session, language)
    changes = [(_source_name(names, source), amount) for source, amount in ledger.changes(variable)
               if abs(amount) >= 1e-6]
    changes.sort(key=lambda item: -abs(item[1]))  # stable: equal amounts keep the pipeline's order
    parts = [ChangePart(amount, source) for source, amount in changes[:SHOWN_PARTS]]
    if len(changes) > SHOWN_PARTS:
        rest = changes[SHOWN_PARTS:]
        parts.append(ChangePart(sum(a for _s, a in rest), _("{n} smaller causes", n=len(rest))))
    return WhyChanged(variable, label, tuple(parts), before, after, ledger.total(variable), inputs)


def _source_name(names: dict[str, str], source: str) -> str:
    if source in names:
        return names[source]
    if source.startswith(CONTROL_PREFIX):  # a facilitator's adjustment, by the reason they gave
        return _("control: {reason}", reason=source.removeprefix(CONTROL_PREFIX))
    return source
