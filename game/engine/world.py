"""The state of B parallel worlds as named numpy arrays (B = 1 for a real game, thousands for a forecast).

Per-world arrays are indexed [B, ...] but stored in Fortran (column-major) order, so that one
variable (or event) across all worlds — `values[:, v]`, what the engine touches — is contiguous;
`values.T` is then a C-contiguous [V, B] view that the pipeline works on row by row. Nothing here
knows the rules: `turn.py` changes the state, `world.py` only creates, copies, tiles and serialises it.

Ring buffers (internal, world axis last for the same reason):
- `history[D, S, B]` keeps, for the variables that lagged or inertial influences read (S rows,
  `compiled.history_variables`), the values influences read in each turn (after that turn's
  effects): turn t lives in slot t % D. Slots start filled with the initial values, so "3 turns
  ago" in turn 1 reads the initial value.
- `due_effects[H, T, B]` holds effect amounts due in a future turn for the variables effects can move
  (T rows, `compiled.effect_variables`); the amount due in turn t lives in slot t % H and the slot
  is cleared when it is applied.

For B = 1 the state also keeps `due_effect_records`, the same due amounts itemised by source, so the
causal ledger can say which event, choice or obligation an applied amount came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.engine.compiled import CompiledScenario
from game.engine.compiled_expression import ExpressionContext
from game.engine.randomness import world_keys

__all__ = ["DueEffectRecord", "WorldState", "new_world", "world_keys"]

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class DueEffectRecord:
    """One scheduled amount, kept for the causal ledger when B = 1."""

    due: int  # the turn it is applied in
    variable: int  # variable index
    amount: float
    label: str  # e.g. "effect: choice 'postpone' of event 'lower_house_vote'"


class WorldState:
    """B worlds of one scenario at the start of turn `turn` (0-based)."""

    def __init__(
        self,
        *,
        turn: int,
        values: np.ndarray,
        keys: np.ndarray,
        history: np.ndarray,
        due_effects: np.ndarray,
        lever_target: np.ndarray,
        lever_step: np.ndarray,
        lever_remaining: np.ndarray,
        fired_count: np.ndarray,
        last_fired: np.ndarray,
        last_choice: np.ndarray,
        pending_decisions: np.ndarray,
        obligation_pending: np.ndarray,
        obligation_state: np.ndarray,
        obligation_last: np.ndarray,
        objective_turns: np.ndarray,
        ending: np.ndarray,
        ended_turn: np.ndarray,
        due_effect_records: list[DueEffectRecord] | None = None,
    ) -> None:
        self.turn = turn  # the turn resolved next (0 = the first turn); the same in all worlds
        self.values = values  # [B, V] float64: every variable's current value
        self.keys = keys  # [B] uint64: each world's random key (randomness.py)
        self.history = history  # [D, S, B] float64: values of lagged sources as read in turn t, slot t % D
        self.due_effects = due_effects  # [H, T, B] float64: effect amounts due in turn t, slot t % H
        self.lever_target = lever_target  # [B, L] float64: the setting each lever is moving to
        self.lever_step = lever_step  # [B, L] float64: how far it moves per turn while moving
        self.lever_remaining = lever_remaining  # [B, L] int32: turns of movement left (0 = at target)
        self.fired_count = fired_count  # [B, E] int32: times each event fired
        self.last_fired = last_fired  # [B, E] int32: turn each event last fired, -1 never
        self.last_choice = last_choice  # [B, E] int16: choice index last taken on each event, -1 none
        self.pending_decisions = pending_decisions  # [B, E] bool: events fired and awaiting a decision by their owner
        self.obligation_pending = obligation_pending  # [B, O] bool: obligations engaged and awaiting a decision
        self.obligation_state = obligation_state  # [B, O, 3] int32: times engaged / honoured / evaded
        self.obligation_last = obligation_last  # [B, O] int32: turn each obligation was last engaged, -1 never
        self.objective_turns = objective_turns  # [B, Q] int32: turns each every_turn objective held
        self.ending = ending  # [B] int16: index into ending_ids, -1 while the game goes on (or none matched)
        self.ended_turn = ended_turn  # [B] int32: turn in which the world's game ended, -1 while it goes on
        self.due_effect_records = due_effect_records if due_effect_records is not None else []
        self._scratch: dict[str, np.ndarray] = {}  # reused work arrays of the turn engine; never saved

    def scratch(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A reusable float64 work array (contents undefined): allocating big temporaries each turn
        costs page faults that can cost more than the arithmetic."""
        array = self._scratch.get(name)
        if array is None or array.shape != shape:
            array = np.empty(shape)
            self._scratch[name] = array
        return array

    @property
    def batch(self) -> int:
        """B, the number of worlds."""
        return int(self.values.shape[0])

    @property
    def tracks_sources(self) -> bool:
        """Whether due amounts are itemised for the causal ledger (only for B = 1)."""
        return self.batch == 1

    def active(self, compiled: CompiledScenario) -> np.ndarray:
        """[B] bool: worlds still playing (no ending yet and the calendar not over)."""
        if self.turn >= compiled.turns:
            return np.zeros(self.batch, dtype=bool)
        return np.asarray(self.ending < 0, dtype=bool) & (self.ended_turn < 0)

    def context(self, compiled: CompiledScenario, turn: int | None = None) -> ExpressionContext:
        """What expressions read now (at `turn`, by default the state's turn)."""
        t = self.turn if turn is None else turn
        return ExpressionContext(
            values=self.values,
            turn=t,
            date=compiled.month_of_turn(t),
            fired_count=self.fired_count,
            last_fired=self.last_fired,
            last_choice=self.last_choice,
            obligation_state=self.obligation_state,
        )

    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            "values": self.values,
            "keys": self.keys,
            "lever_target": self.lever_target,
            "lever_step": self.lever_step,
            "lever_remaining": self.lever_remaining,
            "fired_count": self.fired_count,
            "last_fired": self.last_fired,
            "last_choice": self.last_choice,
            "pending_decisions": self.pending_decisions,
            "obligation_pending": self.obligation_pending,
            "obligation_state": self.obligation_state,
            "obligation_last": self.obligation_last,
            "objective_turns": self.objective_turns,
            "ending": self.ending,
            "ended_turn": self.ended_turn,
        }

    def copy(self) -> WorldState:
        """A deep copy (arrays copied)."""
        arrays = {name: array.copy(order="F") for name, array in self._arrays().items()}
        return _assemble(self.turn, arrays, self.history.copy(), self.due_effects.copy(), list(self.due_effect_records))

    def repeat(self, n: int, keys: np.ndarray) -> WorldState:
        """This B = 1 state tiled to n worlds, with new random keys (for forecasts)."""
        if self.batch != 1:
            raise ValueError(f"repeat() needs a state of one world, not {self.batch}")
        if keys.shape != (n,):
            raise ValueError(f"repeat({n}) needs {n} keys, got an array of shape {keys.shape}")
        arrays = {name: _tiled(array, n) for name, array in self._arrays().items() if name != "keys"}
        arrays["keys"] = keys.astype(np.uint64, copy=True)
        history = np.empty((*self.history.shape[:2], n))
        history[...] = self.history
        due_effects = np.empty((*self.due_effects.shape[:2], n))
        due_effects[...] = self.due_effects
        return _assemble(self.turn, arrays, history, due_effects, [])

    def select(self, worlds: np.ndarray | list[int]) -> WorldState:
        """The given worlds (by index) as a new state, e.g. one world of a batch."""
        index = np.asarray(worlds, dtype=np.intp)
        arrays = {name: np.asfortranarray(array[index]) for name, array in self._arrays().items()}
        records = list(self.due_effect_records) if index.shape == (1,) and self.batch == 1 else []
        history, due_effects = self.history[:, :, index].copy(), self.due_effects[:, :, index].copy()
        return _assemble(self.turn, arrays, history, due_effects, records)

    def to_snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-ready data (lists of numbers), for saves. Keys are written as strings."""
        data: dict[str, Any] = {"version": SNAPSHOT_VERSION, "turn": self.turn}
        for name, array in self._arrays().items():
            data[name] = [str(int(k)) for k in array] if name == "keys" else array.tolist()
        data["history"] = self.history.tolist()
        data["due_effects"] = self.due_effects.tolist()
        data["due_effect_records"] = [[r.due, r.variable, r.amount, r.label] for r in self.due_effect_records]
        return data

    @staticmethod
    def from_snapshot(compiled: CompiledScenario, data: Mapping[str, Any]) -> WorldState:
        """Rebuild a state from `to_snapshot` data; raises ValueError when it does not fit the scenario."""
        try:
            if data.get("version") != SNAPSHOT_VERSION:
                raise ValueError(f"unknown snapshot version {data.get('version')!r}")
            template = new_world(compiled, 1, np.zeros(1, dtype=np.uint64))
            batch = len(data["values"])
            arrays: dict[str, np.ndarray] = {}
            for name, like in template._arrays().items():
                if name == "keys":
                    array = np.array([int(k) for k in data["keys"]], dtype=np.uint64)
                else:
                    array = np.asfortranarray(np.array(data[name], dtype=like.dtype))
                expected = (batch, *like.shape[1:])
                if array.shape != expected:
                    raise ValueError(f"'{name}' has shape {array.shape}, expected {expected}")
                arrays[name] = array
            history = np.array(data["history"], dtype=np.float64).reshape(
                compiled.history_depth, len(compiled.history_variables), batch
            )
            # Saves written before the rename keep these under their old names, "pending" and "pending_records".
            due_effects = np.array(data["due_effects" if "due_effects" in data else "pending"],
                                   dtype=np.float64).reshape(
                compiled.due_effects_depth, len(compiled.effect_variables), batch
            )
            records = [DueEffectRecord(int(d), int(v), float(a), str(label)) for d, v, a, label in
                       data.get("due_effect_records", data.get("pending_records", []))]
            turn = int(data["turn"])
        except (KeyError, TypeError, ValueError, OverflowError) as error:
            raise ValueError(f"the saved world state does not fit scenario '{compiled.scenario.id}': {error}") \
                from None
        if not np.all(np.isfinite(arrays["values"])):
            raise ValueError("the saved world state holds values that are not finite numbers")
        return _assemble(turn, arrays, history, due_effects, records)


def _tiled(array: np.ndarray, n: int) -> np.ndarray:
    """[1, ...] → [n, ...] in Fortran order, in one pass."""
    out = np.empty((n, *array.shape[1:]), dtype=array.dtype, order="F")
    out[...] = array
    return out


def _assemble(
    turn: int,
    arrays: Mapping[str, np.ndarray],
    history: np.ndarray,
    due_effects: np.ndarray,
    records: list[DueEffectRecord],
) -> WorldState:
    return WorldState(
        turn=turn,
        values=arrays["values"],
        keys=arrays["keys"],
        history=history,
        due_effects=due_effects,
        lever_target=arrays["lever_target"],
        lever_step=arrays["lever_step"],
        lever_remaining=arrays["lever_remaining"],
        fired_count=arrays["fired_count"],
        last_fired=arrays["last_fired"],
        last_choice=arrays["last_choice"],
        pending_decisions=arrays["pending_decisions"],
        obligation_pending=arrays["obligation_pending"],
        obligation_state=arrays["obligation_state"],
        obligation_last=arrays["obligation_last"],
        objective_turns=arrays["objective_turns"],
        ending=arrays["ending"],
        ended_turn=arrays["ended_turn"],
        due_effect_records=records,
    )


def clamp_to_range(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
    """Clamp in place; unlike `np.clip`, a NaN becomes the lower bound instead of staying NaN
    (fmax/fmin return the other operand when one is NaN), so nothing can leave a value undefined."""
    np.fmin(np.fmax(values, lower, out=values), upper, out=values)


def new_world(compiled: CompiledScenario, batch: int, keys: np.ndarray) -> WorldState:
    """B worlds at the start of the scenario (turn 0), with derived variables computed from the initial values."""
    if keys.shape != (batch,):
        raise ValueError(f"new_world needs {batch} keys, got an array of shape {keys.shape}")
    e = len(compiled.event_ids)
    o = len(compiled.obligation_ids)
    lever_count = len(compiled.lever_ids)
    values = np.empty((batch, compiled.variable_count), order="F")
    values[:] = compiled.initial

    def zeros(columns: tuple[int, ...], dtype: type = np.float64, fill: int = 0) -> np.ndarray:
        return np.full((batch, *columns), fill, dtype=dtype, order="F")

    state = WorldState(
        turn=0,
        values=values,
        keys=keys.astype(np.uint64, copy=True),
        history=np.zeros((compiled.history_depth, len(compiled.history_variables), batch)),
        due_effects=np.zeros((compiled.due_effects_depth, len(compiled.effect_variables), batch)),
        lever_target=np.asfortranarray(values[:, compiled.lever_variables]),
        lever_step=zeros((lever_count,)),
        lever_remaining=zeros((lever_count,), np.int32),
        fired_count=zeros((e,), np.int32),
        last_fired=zeros((e,), np.int32, -1),
        last_choice=zeros((e,), np.int16, -1),
        pending_decisions=zeros((e,), np.bool_),
        obligation_pending=zeros((o,), np.bool_),
        obligation_state=zeros((o, 3), np.int32),
        obligation_last=zeros((o,), np.int32, -1),
        objective_turns=zeros((compiled.objective_trackers,), np.int32),
        ending=np.full(batch, -1, dtype=np.int16),
        ended_turn=np.full(batch, -1, dtype=np.int32),
    )
    # Derived variables start from their formula, not from the `initial` written beside it, so the
    # dashboard at turn 0 agrees with every later turn.
    context = state.context(compiled)
    for variable, formula in compiled.derived:
        values[:, variable] = formula.values(context, batch)
    clamp_to_range(values, compiled.lower, compiled.upper)
    state.history[:] = values.T[compiled.history_variables][None]
    return state
