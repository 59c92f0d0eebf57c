"""The causal ledger: why each variable changed in one turn of a real game (B = 1).

Every phase of `resolve_turn` that moves a value reports the amount and its source to a
`LedgerRecorder`; nothing is inferred afterwards, so the parts add up to the change by
construction (up to float rounding, far below 1e-9). Sources, in pipeline order:

- `effect: ...` — an effect applied this turn, named by the event, choice or obligation response
  it came from (amounts scheduled in earlier turns keep their source; a world selected out of a
  batch, whose amounts were not itemised, shows them as `effect: scheduled earlier`);
- `influence: ...` — each influence, by its label, id, or `from → to`;
- `drift` — the pull back toward the baseline;
- `noise` — the random shock;
- `lever: <id>` — a lever moving toward its new setting;
- `derived` — a derived variable recomputed from its formula (the difference to its previous value);
- `clamp` — the value cut back into its range;
- `control: <reason>` — a facilitator's adjustment (`adjust_variable`) made before the turn resolved,
  credited to the turn it was made in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from game.engine.compiled import CompiledScenario

KINDS = ("control", "effect", "influence", "drift", "noise", "lever", "derived", "clamp")


@dataclass(frozen=True)
class LedgerEntry:
    """One source's part of a variable's change."""

    kind: str  # one of KINDS
    label: str  # e.g. "influence: tension → opinion.okinawa.bases"
    amount: float


class CausalLedger:
    """One turn's changes of every variable of one world, split by source."""

    def __init__(self, compiled: CompiledScenario, turn: int, before: np.ndarray, after: np.ndarray,
                 entries: dict[int, list[LedgerEntry]]) -> None:
        self.turn = turn  # the turn this ledger explains
        self._compiled = compiled
        self._before = before.copy()  # [V] values at the start of the turn
        self._after = after.copy()  # [V] values at the end of the turn
        self._entries = entries  # variable index → entries in pipeline order, same labels merged

    def _variable(self, variable_id: str) -> int:
        try:
            return self._compiled.variable_index[variable_id]
        except KeyError:
            raise KeyError(f"unknown variable '{variable_id}'") from None

    def entries(self, variable_id: str) -> list[LedgerEntry]:
        """The sources of the variable's change, with their kinds, in pipeline order."""
        return list(self._entries.get(self._variable(variable_id), []))

    def changes(self, variable_id: str) -> list[tuple[str, float]]:
        """(source label, amount) pairs; they sum to `total(variable_id)`."""
        return [(entry.label, entry.amount) for entry in self.entries(variable_id)]

    def total(self, variable_id: str) -> float:
        """Value after the turn minus value before it."""
        index = self._variable(variable_id)
        return float(self._after[index] - self._before[index])

    def before(self, variable_id: str) -> float:
        return float(self._before[self._variable(variable_id)])

    def after(self, variable_id: str) -> float:
        return float(self._after[self._variable(variable_id)])

    def changed(self) -> Iterator[str]:
        """Ids of the variables that have at least one entry this turn."""
        for index in sorted(self._entries):
            yield self._compiled.variable_ids[index]


class LedgerRecorder:
    """Collects the entries while `resolve_turn` runs (one world)."""

    def __init__(self, compiled: CompiledScenario, turn: int, before: np.ndarray) -> None:
        self._compiled = compiled
        self._turn = turn
        self._before = before.copy()
        self._entries: dict[int, dict[tuple[str, str], float]] = {}

    def add(self, variable: int, kind: str, label: str, amount: float) -> None:
        """Record one part of one variable's change; zero amounts are dropped."""
        if amount == 0.0:
            return
        parts = self._entries.setdefault(variable, {})
        key = (kind, label)
        parts[key] = parts.get(key, 0.0) + amount

    def add_row(self, variables: np.ndarray, kind: str, labels: tuple[str, ...] | str, amounts: np.ndarray) -> None:
        """Record several parts at once: `amounts[i]` moved `variables[i]`."""
        for i, (variable, amount) in enumerate(zip(variables.tolist(), amounts.tolist(), strict=True)):
            self.add(variable, kind, labels if isinstance(labels, str) else labels[i], amount)

    def finish(self, after: np.ndarray) -> CausalLedger:
        entries = {
            variable: [LedgerEntry(kind, label, amount) for (kind, label), amount in parts.items() if amount != 0.0]
            for variable, parts in self._entries.items()
        }
        return CausalLedger(self._compiled, self._turn, self._before, after,
                            {v: e for v, e in entries.items() if e})
