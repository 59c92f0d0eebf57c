"""Running a sweep: one work unit per (variant at a grid point, policy, seed), on any executor.

A unit is the batched engine on its runs (`game.play.simulate.simulate`), so its results depend only on
the unit: the same spec gives the same rows on one process, a process pool or a Dask cluster. Rows are
put back in the spec's order (variant, grid point, policy, seed, run) whatever order units finish in.

Executors: in this process for one worker; the standard `ProcessPoolExecutor` for more; Dask
(`distributed`, optional) for a cluster — `local` starts a `LocalCluster` on 127.0.0.1 (no dashboard)
and shuts it down afterwards, and `tcp://HOST:PORT` uses a running scheduler, whose workers need the
game installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from game.analysis.sweep_spec import GridValue, SweepSpec
from game.engine.compiled import CompiledScenario, compile_scenario
from game.engine.forecast import NO_ENDING
from game.play.saves import scenario_hash
from game.play.simulate import simulate
from game.scenario.models import Scenario

MAX_LOCAL_DASK_WORKERS = 8


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
    scenario: Scenario
    scenario_hash: str  # of the variant's validated scenario: the cache key of its compiled form


@dataclass(frozen=True)
class GameRow:
    """One game of a sweep (a row of the long table)."""

    order: int
    run: int
    ending: str
    turns_played: int
    scores: tuple[tuple[str, float], ...]  # (role id, score percent) for the playable roles
    final: tuple[tuple[str, float], ...]  # (variable id, final value), every variable


@dataclass(frozen=True)
class UnitResult:
    order: int
    rows: tuple[GameRow, ...]
    world_turns: int  # worlds × turns resolved (for throughput figures)
    key_variables: tuple[str, ...]


def work_units(spec: SweepSpec) -> list[WorkUnit]:
    """Every unit of a spec, in the spec's order."""
    model = spec.model
    units: list[WorkUnit] = []
    for variant in spec.variants:
        digest = scenario_hash(variant.scenario)
        for policy in model.policies:
            for seed in model.seeds:
                units.append(WorkUnit(len(units), variant.variant, variant.grid, policy, seed, model.runs, model.turns,
                                      variant.scenario, digest))
    return units


_COMPILED: dict[str, CompiledScenario] = {}
_COMPILED_KEPT = 16


def _compiled(unit: WorkUnit) -> CompiledScenario:
    # A worker process gets many units of the same variant: compile each scenario once per process.
    compiled = _COMPILED.get(unit.scenario_hash)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_KEPT:
            _COMPILED.clear()
        compiled = _COMPILED[unit.scenario_hash] = compile_scenario(unit.scenario)
    return compiled


def run_unit(unit: WorkUnit) -> UnitResult:
    """Play one unit (in whichever process the executor chose)."""
    compiled = _compiled(unit)
    turns = compiled.turns if unit.turns is None else min(unit.turns, compiled.turns)
    result = simulate(compiled, runs=unit.runs, turns=turns, seed=unit.seed, policy=unit.policy)
    rows = tuple(
        GameRow(
            order=unit.order,
            run=run.run,
            ending=run.ending or NO_ENDING,
            turns_played=run.turns_played,
            scores=tuple((role, float(score["percent"])) for role, score in sorted(run.scores.items())),
            final=tuple(zip(result.variable_ids, run.final, strict=True)),
        )
        for run in result.runs
    )
    return UnitResult(unit.order, rows, sum(row.turns_played for row in rows), compiled.key_variables)


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
def open_executor(workers: int | None, dask: str | None) -> Iterator[Executor]:
    """The executor the options ask for, shut down (with any cluster it started) on exit."""
    if dask is None:
        count = workers if workers is not None else (os.cpu_count() or 1)
        if count <= 1:
            yield InlineExecutor()
            return
        with ProcessPoolExecutor(max_workers=count) as pool:
            yield pool
        return
    from distributed import Client, LocalCluster  # optional: `pip install "dask[distributed]"`

    if dask == "local":
        count = min(workers if workers is not None else (os.cpu_count() or 1), MAX_LOCAL_DASK_WORKERS)
        with (
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=max(1, count), threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=50,
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            client.run(warm_up)
            yield client.get_executor()
        return
    with Client(dask) as client:  # type: ignore[no-untyped-call]
        client.run(warm_up)
        yield client.get_executor()


def warm_up() -> bool:
    """Import the engine in a fresh worker process before the first unit arrives (Dask's workers are
    spawned, not forked, so they start without the game loaded)."""
    import game.play.simulate  # noqa: F401

    return True


def run_units(
    units: Sequence[WorkUnit], executor: Executor, on_done: Callable[[int], None] | None = None
) -> list[UnitResult]:
    """Every unit on `executor`, results in the units' order."""
    futures = [executor.submit(run_unit, unit) for unit in units]
    results: list[UnitResult] = []
    for done, future in enumerate(as_completed(futures), start=1):
        results.append(future.result())
        if on_done is not None:
            on_done(done)
    results.sort(key=lambda r: r.order)
    return results
