"""Running a sweep: work units (variant at a grid point, policy, seed) played in batches, on any executor.

A unit is `runs` games of one variant under one policy, game i with the i-th world key of
`numpy.random.default_rng(seed)`. A world's game depends on its key only, not on the batch it is played
in (the engine's design; `tests/analysis/test_sweep_units.py` checks it on every shipped scenario), so
the runs are free to be batched as is cheapest: a **task** is one batch of the engine, the runs of
every unit (seed) of a variant and policy together, cut into pieces only as far as keeping the workers
equally busy needs. A batch's cost is mostly per turn, not per world (docs/performance.md, Sweeps), so
fewer, bigger batches are much faster, and the table is the same bytes for any worker count or backend.

What crosses a process boundary is kept small, because on 2 cores every millisecond the parent spends
pickling is taken from a worker:

- each worker gets the sweep's scenarios **once**, when it starts (a process pool's initializer, a Dask
  worker plugin), and compiles them there; a unit names its scenario by content hash;
- a task's result is a few numpy arrays per unit (ending, turns played, score percents, final values),
  not a Python object per game; the parent builds rows only when it writes the table.

Executors: in this process for one worker; the standard `ProcessPoolExecutor` for more; Dask
(`distributed`, optional, `game.analysis.sweep_dask`) for a cluster.
"""

from __future__ import annotations

import itertools
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
from game.engine.phase4_kernel import KERNEL_MIN_BATCH
from game.engine.randomness import world_keys
from game.engine.scoring import max_points, role_points
from game.engine.world import WorldState
from game.play.saves import scenario_hash
from game.play.simulate import play_batch
from game.scenario.models import Scenario

WORKER_START_TIMEOUT = 120.0  # seconds for a pool's workers to start and compile the scenarios
TASKS_PER_WORKER = 2  # enough to even out the workers' loads; every extra batch costs its turns again
MIN_TASK_WORLDS = 1_000  # a smaller batch is mostly per-turn overhead: not worth cutting a unit for
MAX_TASK_VALUES = 4_000_000  # worlds × variables in one batch (32 MB of values; the whole state is a few times that)


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
class UnitSlice:
    """Runs `start` to `stop` (exclusive) of a unit."""

    unit: WorkUnit
    start: int
    stop: int


@dataclass(frozen=True)
class SweepTask:
    """One batch of the engine: slices of units that share a scenario, a policy and a length."""

    slices: tuple[UnitSlice, ...]

    @property
    def worlds(self) -> int:
        return sum(s.stop - s.start for s in self.slices)


@dataclass(frozen=True)
class UnitResult:
    """A unit's games (or a slice of them, from `first_run` on), one entry (row) per game in run order."""

    order: int
    first_run: int
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

    def slice(self, start: int, stop: int, order: int, first_run: int) -> UnitResult:
        """Rows `start` to `stop` of these, as the result of unit `order` from run `first_run`."""
        return UnitResult(order, first_run, self.columns, self.ending[start:stop], self.turns_played[start:stop],
                          self.scores[start:stop], self.final[start:stop])

    @staticmethod
    def joined(parts: Sequence[UnitResult]) -> UnitResult:
        """A unit's slices (in run order) as one result."""
        if len(parts) == 1:
            return parts[0]
        first = parts[0]
        return UnitResult(first.order, first.first_run, first.columns,
                          *(np.concatenate([getattr(p, name) for p in parts])
                            for name in ("ending", "turns_played", "scores", "final")))


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


def plan_tasks(plan: SweepPlan, workers: int) -> list[SweepTask]:
    """The batches to play the units in, for `workers` workers (biggest first).

    One worker: one batch per (variant, policy, turns), however many seeds. More: batches of about
    1 / (TASKS_PER_WORKER × workers) of all the worlds or more, so that loads even out — but a group is
    cut only into pieces of MIN_TASK_WORLDS or more. Which batch a game is played in does not change it."""
    groups: dict[tuple[str, str, int | None], list[WorkUnit]] = {}
    for unit in plan.units:
        groups.setdefault((unit.scenario_hash, unit.policy, unit.turns), []).append(unit)
    total = sum(unit.runs for unit in plan.units)
    target = total if workers <= 1 else max(MIN_TASK_WORLDS, -(-total // (TASKS_PER_WORKER * workers)))
    tasks: list[SweepTask] = []
    for (digest, _, _), members in groups.items():
        biggest = max(1, MAX_TASK_VALUES // max(1, len(plan.scenarios[digest].variables)))
        worlds = sum(unit.runs for unit in members)
        count = max(-(-worlds // biggest), worlds // target, 1)  # pieces of `target` or more, memory allowing
        cuts = [worlds * i // count for i in range(count + 1)]  # `count` pieces, as equal as can be
        for low, high in itertools.pairwise(cuts):
            slices = []
            offset = 0
            for unit in members:
                start, stop = max(low - offset, 0), min(high - offset, unit.runs)
                if start < stop:
                    slices.append(UnitSlice(unit, start, stop))
                offset += unit.runs
            tasks.append(SweepTask(tuple(slices)))
    tasks.sort(key=lambda task: -task.worlds)  # the small ones last: they even out the end
    return tasks


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
        # The first batch a process plays also pays for numpy's and the engine's first calls, and (a batch of
        # KERNEL_MIN_BATCH worlds) for loading the compiled phase 4 when numba is installed (half a second).
        play_batch(compiled, world_keys(np.random.default_rng(0), KERNEL_MIN_BATCH), turns=1, policy="random")


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


def run_task(task: SweepTask) -> list[UnitResult]:
    """Play one batch (in a process its scenario was installed in): one result per slice."""
    first = task.slices[0].unit
    compiled = _compiled(first.scenario_hash)
    turns = compiled.turns if first.turns is None else min(first.turns, compiled.turns)
    keys = np.concatenate([world_keys(np.random.default_rng(s.unit.seed), s.unit.runs)[s.start:s.stop]
                           for s in task.slices])
    played = unit_result(first.order, compiled, play_batch(compiled, keys, turns=turns, policy=first.policy))
    results = []
    row = 0
    for s in task.slices:
        results.append(played.slice(row, row + s.stop - s.start, s.unit.order, s.start))
        row += s.stop - s.start
    return results


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
        first_run=0,
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


@dataclass(frozen=True)
class SweepExecutor:
    executor: Executor
    workers: int  # how many tasks it runs at once (what the batches are cut for)


@contextmanager
def open_executor(workers: int | None, dask: str | None, scenarios: Mapping[str, Scenario]
                  ) -> Iterator[SweepExecutor]:
    """The executor the options ask for, its workers started with `scenarios` installed; shut down
    (with any cluster it started) on exit."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if dask is not None:
        from game.analysis.sweep_dask import dask_executor  # optional: `pip install "dask[distributed]"`

        with dask_executor(dask, count, scenarios, install_scenarios, uninstall_scenarios) as (executor, threads):
            yield SweepExecutor(executor, threads)
        return
    if count <= 1:
        install_scenarios(scenarios)
        try:
            yield SweepExecutor(InlineExecutor(), 1)
        finally:
            uninstall_scenarios()
        return
    with _process_pool(count, scenarios) as pool:
        yield SweepExecutor(pool, count)


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


def run_units(plan: SweepPlan, executor: SweepExecutor, on_done: Callable[[int], None] | None = None
              ) -> list[UnitResult]:
    """Every unit of `plan` on `executor` (opened with the plan's scenarios), results in the units'
    order; `on_done` hears how many units are complete."""
    futures = [executor.executor.submit(run_task, task) for task in plan_tasks(plan, executor.workers)]
    parts: dict[int, list[UnitResult]] = {}
    remaining = {unit.order: unit.runs for unit in plan.units}
    done = 0
    for future in as_completed(futures):
        for part in future.result():
            parts.setdefault(part.order, []).append(part)
            remaining[part.order] -= len(part.ending)
            if remaining[part.order] == 0:
                done += 1
                if on_done is not None:
                    on_done(done)
    return [UnitResult.joined(sorted(parts[unit.order], key=lambda p: p.first_run)) for unit in plan.units]
