"""Formulas that share a template, evaluated together on (member, world) pairs: one numpy pass per node for a
whole group instead of one per formula.

A large batch spends most of its event and AI-decision time on Python and numpy call overhead: dozens of
formulas a turn, each a few small numpy calls on a subset of worlds. Formulas that differ only in their
variables and numbers (`formula_template`) are evaluated here at once: the pairs of a group are flattened,
a variable slot is one gather of each pair's (column, world) from the state, a constant slot is a number
(when every member has the same one) or each pair's member's number, and the template applies the same
element-wise functions the formula's own closure applies. Each value is thus computed by the same IEEE
operations as `Formula.values`, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.engine.compiled_expression import (
    CONSTANT_TEMPLATE,
    BoolArray,
    FloatArray,
    FormulaTemplate,
    TemplateEvaluator,
    TemplateKey,
    Value,
)

IndexArray = npt.NDArray[np.intp]


class FormulaGroup:
    """Formulas of one template (the group's members, in a fixed order), evaluated on (member, world) pairs."""

    def __init__(self, templates: Sequence[FormulaTemplate]) -> None:
        keys = {template.key for template in templates}
        if len(keys) != 1:
            raise ValueError(f"a formula group needs one template, got {len(keys)}")
        self.key: TemplateKey = templates[0].key
        self.size = len(templates)
        self._template = TemplateEvaluator(self.key)
        self._columns = [np.array([t.columns[j] for t in templates], dtype=np.intp)
                         for j in range(self._template.variable_slots)]
        # A number shared by every member stays a float: the very path (and the same scalar) the formula's
        # own closure takes, e.g. `_divide`'s constant divisor.
        self._constants: list[float | FloatArray] = []
        for j in range(self._template.constant_slots):
            numbers = [t.constants[j] for t in templates]
            same = all(number == numbers[0] and np.signbit(number) == np.signbit(numbers[0]) for number in numbers)
            self._constants.append(numbers[0] if same else np.array(numbers, dtype=np.float64))

    @property
    def constant(self) -> bool:
        """True when no member reads the world (each is one number)."""
        return self.key == CONSTANT_TEMPLATE

    def values(self, pairs: Pairs) -> FloatArray:
        """[P] float64: member `pairs.members[p]` evaluated in world `pairs.worlds[p]`."""
        variables, constants = self._slots(pairs)
        return self._template.values(variables, constants, (pairs.count,))

    def holds(self, pairs: Pairs) -> BoolArray:
        """[P] bool: each pair's member formula taken as a condition in its world."""
        variables, constants = self._slots(pairs)
        return self._template.holds(variables, constants, (pairs.count,))

    def values_in_rows(self, rows: FloatArray) -> FloatArray:
        """[G, n] float64: every member in every world of `rows` ([V, n], one row per variable)."""
        variables, constants = self._dense_slots(rows)
        return self._template.values(variables, constants, (self.size, rows.shape[1]))

    def holds_in_rows(self, rows: FloatArray) -> BoolArray:
        """[G, n] bool: every member taken as a condition in every world of `rows` ([V, n])."""
        variables, constants = self._dense_slots(rows)
        return self._template.holds(variables, constants, (self.size, rows.shape[1]))

    def _dense_slots(self, rows: FloatArray) -> tuple[list[Value], list[Value]]:
        variables: list[Value] = [np.take(rows, columns, axis=0) for columns in self._columns]
        constants: list[Value] = [c if isinstance(c, float) else c[:, None] for c in self._constants]
        return variables, constants

    def _slots(self, pairs: Pairs) -> tuple[list[Value], list[Value]]:
        variables: list[Value] = [pairs.read(columns) for columns in self._columns]
        constants: list[Value] = [c if isinstance(c, float) else c[pairs.members] for c in self._constants]
        return variables, constants


@dataclass
class Pairs:
    """(member, world) pairs to evaluate a group on, and the state they read.

    `values` is the state's [B, V] values (column-major), read through its flat [V · B] view so a
    variable slot is one `take` at column · B + world.
    """

    values: FloatArray
    members: IndexArray  # [P] position of the member in its group
    worlds: IndexArray  # [P] world index

    def __post_init__(self) -> None:
        batch = self.values.shape[0]
        self._flat = np.ravel(self.values, order="F")  # a view when the values are column-major
        self._batch = batch

    @property
    def count(self) -> int:
        return int(self.worlds.shape[0])

    def read(self, columns: IndexArray) -> FloatArray:
        """[P] the value of variable `columns[member]` in each pair's world."""
        where = columns[self.members]
        where *= self._batch
        where += self.worlds
        return np.take(self._flat, where)

    def subset(self, keep: BoolArray) -> Pairs:
        """The pairs where `keep` holds, in the same order."""
        return Pairs(self.values, self.members[keep], self.worlds[keep])


@dataclass(frozen=True)
class EventGroup:
    """Events whose `when` share a template and whose `chance` share one: triggered together (phase 6)."""

    events: IndexArray  # [G] event indices, in file order
    when: FormulaGroup
    chance: FormulaGroup
    rolls: bool  # some member's chance can fail, so chance rolls are drawn (a chance of 1 or more never fails)
    # Per effect position (when every member has as many effects): the members' amounts as a group when
    # they read the world and share a template, else None (a constant amount is added as a scalar anyway).
    amounts: tuple[FormulaGroup | None, ...] = ()


@dataclass(frozen=True)
class GroupableEvent:
    """What `group_events` needs of an event whose `when` and `chance` can be grouped."""

    index: int
    when: FormulaTemplate
    chance: FormulaTemplate
    amounts: tuple[FormulaTemplate | None, ...]  # each effect's amount: None when constant or ungroupable


def group_events(events: Sequence[GroupableEvent]) -> tuple[EventGroup, ...]:
    """Event groups of the groupable events, each in file order."""
    by_key: dict[tuple[TemplateKey, TemplateKey], list[GroupableEvent]] = {}
    for event in events:
        by_key.setdefault((event.when.key, event.chance.key), []).append(event)
    groups = []
    for members in by_key.values():
        chance = FormulaGroup([m.chance for m in members])
        certain = chance.constant and all(m.chance.constants[0] >= 1.0 for m in members)
        groups.append(EventGroup(np.array([m.index for m in members], dtype=np.intp),
                                 FormulaGroup([m.when for m in members]), chance, not certain,
                                 _amount_groups(members)))
    return tuple(groups)


def _amount_groups(members: Sequence[GroupableEvent]) -> tuple[FormulaGroup | None, ...]:
    if len({len(m.amounts) for m in members}) != 1:
        return ()
    groups: list[FormulaGroup | None] = []
    for position in range(len(members[0].amounts)):
        templates = [m.amounts[position] for m in members]
        keys = {None if t is None else t.key for t in templates}
        same = len(keys) == 1 and None not in keys
        groups.append(FormulaGroup([t for t in templates if t is not None]) if same else None)
    return tuple(groups)
