"""Running a sweep: one work unit per (variant at a grid point, policy, seed), on any executor.

A unit is the batched engine on its runs (`game.play.simulate.play_batch`), so its results depend only
on the unit: the same spec gives the same table on one process, a process pool or a Dask cluster.
Results are put back in the spec's order (variant, grid point, policy, seed, run) whatever order units
finish in.

What crosses a process boundary is kept small, because on 2 cores every millisecond the parent spends
pickling is taken from a worker (docs/performance.md, Sweeps):

- each worker gets the sweep's scenarios **once**, when it starts (a process pool's initializer, a Dask
  worker plugin), and compiles them there; a unit names its scenario by content hash;
- a unit's result is a few numpy arrays (ending, turns played, score percents, final values), not a
  Python object per game; the parent builds rows only when it writes the table.

Executors: in this process for one worker; the standard `ProcessPoolExecutor` for more; Dask
(`distributed`, optional, `game.analysis.sweep_dask`) for a cluster.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.analysis.sweep_spec import GridValue, SweepSpec
from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.forecast import NO_ENDING
from game.engine.scoring import max_points, role_points
from game.engine.world import WorldState
from game.play.saves import scenario_hash
from game.play.simulate import play_batch
from game.scenario.models import Scenario

WORKER_START_TIMEOUT = 120.0  # seconds for a pool's workers to start and compile the scenarios


@dataclass(frozen=True)
class WorkUnit:
    """One (variant at a grid point, policy, seed): `runs` games of `turns` turns (None: the scenario's)."""

    order: int  # position in the spec's order
    variant: str
    grid: tuple[tuple[str, GridValue], ...]
    policy: str
    seed: int
    runs: int
    turns: int | None
    scenario_hash: str  # of the variant's validated scenario: its key in `SweepPlan.scenarios`


@dataclass(frozen=True)
class SweepPlan:
    """A spec's units, and the scenarios they play by content hash (sent to each worker once)."""

    units: tuple[WorkUnit, ...]
    scenarios: Mapping[str, Scenario]


@dataclass(frozen=True)
class UnitColumns:
    """What a unit's arrays hold (the same for every unit of a variant)."""

    roles: tuple[str, ...]  # the playable roles, sorted: the columns of `UnitResult.scores`
    variables: tuple[str, ...]  # the columns of `UnitResult.final`
    endings: tuple[str, ...]  # what `UnitResult.ending` indexes
    key_variables: tuple[str, ...]


@dataclass(frozen=True)
class UnitResult:
    """One unit's games, one entry (row) per game in run order."""

    order: int
    columns: UnitColumns
    ending: np.ndarray  # [runs] int: index into `columns.endings`, -1 when the game had not ended
    turns_played: np.ndarray  # [runs] int
    scores: np.ndarray  # [runs, roles] float64: each playable role's score percent
    final: np.ndarray  # [runs, variables] float64: every variable's final value

    @property
    def world_turns(self) -> int:
        """Worlds × turns resolved (for throughput figures)."""
        return int(self.turns_played.sum())

    def ending_ids(self) -> list[str]:
        """Each game's ending id (`NO_ENDING` for a game still going)."""
        names = [*self.columns.endings, NO_ENDING]  # index -1 is the last
        return [names[index] for index in self.ending.tolist()]

    def final_values(self, variable: str) -> np.ndarray:
        """[runs] one variable's final value in every game."""
        return np.asarray(self.final[:, self.columns.variables.index(variable)])


def plan_sweep(spec: SweepSpec) -> SweepPlan:
    """Every unit of a spec, in the spec's order, with the scenarios they need."""
    model = spec.model
    units: list[WorkUnit] = []
    scenarios: dict[str, Scenario] = {}
    for variant in spec.variants:
        digest = scenario_hash(variant.scenario)
        scenarios[digest] = variant.scenario
        for policy in model.policies:
            for seed in model.seeds:
                units.append(WorkUnit(len(units), variant.variant, variant.grid, policy, seed, model.runs, model.turns,
                                      digest))
    return SweepPlan(tuple(units), scenarios)


# --- in whichever process runs the units -------------------------------------------------------------

_SCENARIOS: dict[str, Scenario] = {}
_COMPILED: dict[str, CompiledScenario] = {}
_COMPILED_KEPT = 16  # a grid can have hundreds of points; units come variant by variant


def install_scenarios(scenarios: Mapping[str, Scenario]) -> None:
    """Give this process a sweep's scenarios, and compile (and warm up) those the cache keeps, so that
    no unit pays for it: called once per worker, before its first unit."""
    _SCENARIOS.clear()
    _SCENARIOS.update(scenarios)
    _COMPILED.clear()
    for digest in list(scenarios)[:_COMPILED_KEPT]:
        compiled = _compiled(digest)
    if scenarios:
        # The first batch a process plays also pays for numpy's and the engine's first calls.
        play_batch(compiled, runs=1, turns=1, seed=0, policy="random")


def uninstall_scenarios() -> None:
    _SCENARIOS.clear()
    _COMPILED.clear()


def _compiled(digest: str) -> CompiledScenario:
    compiled = _COMPILED.get(digest)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_KEPT:
            del _COMPILED[next(iter(_COMPILED))]  # the oldest: units come variant by variant
        compiled = _COMPILED[digest] = compile_scenario(_SCENARIOS[digest])
    return compiled


def run_unit(unit: WorkUnit) -> UnitResult:
    """Play one unit (in a process its scenario was installed in)."""
    compiled = _compiled(unit.scenario_hash)
    turns = compiled.turns if unit.turns is None else min(unit.turns, compiled.turns)
    state = play_batch(compiled, runs=unit.runs, turns=turns, seed=unit.seed, policy=unit.policy)
    return unit_result(unit.order, compiled, state)


def unit_result(order: int, compiled: CompiledScenario, state: WorldState) -> UnitResult:
    """The final worlds as arrays: the values `simulate` reports per run, without an object per run."""
    roles = tuple(sorted(r for r in compiled.role_ids if compiled.scenario.roles[r].playable))
    scores = np.zeros((state.batch, len(roles)), dtype=np.float64)
    for column, role in enumerate(roles):
        best = max_points(compiled, role)
        if best > 0:  # the same arithmetic, element by element, as simulate's `100.0 * points / best`
            scores[:, column] = 100.0 * np.asarray(role_points(compiled, state, role), dtype=np.float64) / best
    ended = np.asarray(state.ended_turn, dtype=np.int64)
    return UnitResult(
        order=order,
        columns=UnitColumns(roles, compiled.variable_ids, compiled.ending_ids, compiled.key_variables),
        ending=np.asarray(state.ending, dtype=np.int64),
        turns_played=np.where(ended >= 0, ended + 1, state.turn),
        scores=scores,
        final=np.array(state.values, dtype=np.float64),
    )


# --- executors -------------------------------------------------------------------------------------------


class InlineExecutor(Executor):
    """Runs each call at once in this process (one worker: no pool to start, easy to debug)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller through the future, as a pool would
            future.set_exception(error)
        return future


@contextmanager
def open_executor(workers: int | None, dask: str | None, scenarios: Mapping[str, Scenario]) -> Iterator[Executor]:
    """The executor the options ask for, its workers started with `scenarios` installed; shut down
    (with any cluster it started) on exit."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if dask is not None:
        from game.analysis.sweep_dask import dask_executor  # optional: `pip install "dask[distributed]"`

        with dask_executor(dask, count, scenarios) as executor:
            yield executor
        return
    if count <= 1:
        install_scenarios(scenarios)
        try:
            yield InlineExecutor()
        finally:
            uninstall_scenarios()
        return
    with _process_pool(count, scenarios) as pool:
        yield pool


def _process_pool(count: int, scenarios: Mapping[str, Scenario]) -> ProcessPoolExecutor:
    """A pool whose `count` workers have started and installed the scenarios (so that starting is
    not counted as running units, and no unit carries a scenario)."""
    context = multiprocessing.get_context()
    ready = context.Queue()
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker, initargs=(scenarios, ready))
    try:
        for future in [pool.submit(os.getpid) for _ in range(count)]:  # starts the workers
            future.result()  # raises if a worker could not start
        for _ in range(count):
            try:
                ready.get(timeout=WORKER_START_TIMEOUT)
            except queue.Empty:
                raise TimeoutError(f"the sweep's {count} worker processes did not start within "
                                   f"{WORKER_START_TIMEOUT:.0f} s") from None
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    finally:
        ready.close()
    return pool


def _start_worker(scenarios: Mapping[str, Scenario], ready: Any) -> None:
    install_scenarios(scenarios)
    ready.put(os.getpid())


def run_units(
    units: Sequence[WorkUnit], executor: Executor, on_done: Callable[[int], None] | None = None
) -> list[UnitResult]:
    """Every unit on `executor` (opened with their scenarios), results in the units' order."""
    futures = [executor.submit(run_unit, unit) for unit in units]
    results: list[UnitResult] = []
    for done, future in enumerate(as_completed(futures), start=1):
        results.append(future.result())
        if on_done is not None:
            on_done(done)
    results.sort(key=lambda r: r.order)
    return results
