"""A sweep's work units: what they carry to a worker, what they bring back, and the workers' scenarios."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
import pytest

from game.analysis import sweep
from game.analysis.sweep import (
    SweepExecutor,
    SweepPlan,
    SweepTask,
    UnitResult,
    UnitSlice,
    WorkUnit,
    install_scenarios,
    open_executor,
    plan_sweep,
    plan_tasks,
    run_task,
    run_units,
    uninstall_scenarios,
    unit_result,
)
from game.analysis.sweep_spec import read_sweep_spec
from game.engine.compiled import compile_scenario
from game.engine.forecast import NO_ENDING
from game.engine.randomness import world_keys
from game.play.simulate import play_batch, simulate
from game.scenario.catalog import discover


def run_unit(unit: WorkUnit) -> UnitResult:
    [result] = run_task(SweepTask((UnitSlice(unit, 0, unit.runs),)))
    return result


def plan_of(folder: Path, text: str) -> SweepPlan:
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    spec, problems = read_sweep_spec(path)
    assert spec is not None, [p.format() for p in problems]
    return plan_sweep(spec)


@pytest.fixture
def installed() -> Iterator[None]:
    """Leaves this process without a sweep's scenarios afterwards, as a sweep does."""
    yield None
    uninstall_scenarios()


@pytest.mark.parametrize("policy", ["random", "historical"])
def test_a_unit_result_holds_exactly_what_simulate_reports(tmp_path: Path, installed: None, policy: str) -> None:
    # anpo_1960 has several playable roles and games that end early, so every column is exercised.
    plan = plan_of(tmp_path, f"scenario: anpo_1960\npolicies: [{policy}]\nseeds: [3]\nruns: 40\n")
    install_scenarios(plan.scenarios)
    [unit] = plan.units
    result = run_unit(unit)
    compiled = compile_scenario(plan.scenarios[unit.scenario_hash])
    alone = simulate(compiled, runs=40, turns=compiled.turns, seed=3, policy=policy)
    assert len(result.columns.roles) > 1
    assert result.ending_ids() == [run.ending or NO_ENDING for run in alone.runs]
    assert result.turns_played.tolist() == [run.turns_played for run in alone.runs]
    assert result.scores.tolist() == [[float(run.scores[role]["percent"]) for role in result.columns.roles]
                                      for run in alone.runs]
    assert result.final.tolist() == [list(run.final) for run in alone.runs]
    assert result.columns.variables == alone.variable_ids
    assert result.world_turns == sum(run.turns_played for run in alone.runs)


def test_a_unit_names_its_scenario_and_does_not_carry_it(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, "scenario: example_alliance\nvariants: [{id: a}, {id: b, set: {calendar: {turns: 4}}}]\n"
                             "policies: [random, first]\nseeds: [1, 2]\nruns: 5\n")
    assert len(plan.units) == 8 and len(plan.scenarios) == 2
    assert {unit.scenario_hash for unit in plan.units} == set(plan.scenarios)
    assert max(len(pickle.dumps(unit)) for unit in plan.units) < 1_000  # the scenario is ~100 KB pickled


def test_more_variants_than_the_compiled_cache_keeps_still_play_right(tmp_path: Path, installed: None) -> None:
    values = ", ".join(str(v) for v in range(10, 10 + 3 * (sweep._COMPILED_KEPT + 2), 3))
    plan = plan_of(tmp_path, f"scenario: example_alliance\ngrid:\n  variables.tension.initial: [{values}]\n"
                             "policies: [first]\nseeds: [0]\nruns: 2\nturns: 1\n")
    assert len(plan.scenarios) == sweep._COMPILED_KEPT + 2
    install_scenarios(plan.scenarios)
    first = [run_unit(unit).final.tolist() for unit in plan.units]
    assert len(sweep._COMPILED) == sweep._COMPILED_KEPT
    again = [run_unit(unit).final.tolist() for unit in plan.units[:2]]  # evicted, compiled again
    assert again == first[:2] and first[0] != first[-1]


def test_a_process_pool_has_started_its_workers_when_it_is_handed_out(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, "scenario: example_alliance\npolicies: [first]\nseeds: [0, 1]\nruns: 3\n")
    with open_executor(2, None, plan.scenarios) as pool:
        workers = [p for p in psutil.Process().children() if "resource_tracker" not in " ".join(p.cmdline())]
        assert len(workers) == 2  # started, scenarios compiled: running units is all that is left to time
        results = [result for task in plan_tasks(plan, 2) for result in pool.executor.submit(run_task, task).result()]
    assert [r.order for r in results] == [0, 1] and all(len(r.ending) == 3 for r in results)


def test_one_worker_plays_each_variant_and_policy_as_one_batch_whatever_the_seeds(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, "scenario: example_alliance\nvariants: [{id: a}, {id: b, set: {calendar: {turns: 4}}}]\n"
                             "policies: [random, first]\nseeds: [1, 2, 3]\nruns: 700\n")
    tasks = plan_tasks(plan, 1)
    assert len(tasks) == 4 and all(task.worlds == 2100 for task in tasks)
    assert all(len({(s.unit.variant, s.unit.policy) for s in task.slices}) == 1 for task in tasks)


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_batches_for_many_workers_cover_every_run_once_in_pieces_worth_a_batch(tmp_path: Path, workers: int) -> None:
    plan = plan_of(tmp_path, "scenario: example_alliance\npolicies: [random, first]\nseeds: [1, 2, 3]\nruns: 1500\n")
    tasks = plan_tasks(plan, workers)
    assert len(tasks) >= min(2 * workers, 8)  # two groups of 4,500 worlds: 4 pieces of 1,000 or more each
    assert all(task.worlds >= sweep.MIN_TASK_WORLDS for task in tasks)
    assert [t.worlds for t in tasks] == sorted((t.worlds for t in tasks), reverse=True)
    covered = sorted((s.unit.order, run) for task in tasks for s in task.slices for run in range(s.start, s.stop))
    assert covered == [(unit.order, run) for unit in plan.units for run in range(unit.runs)]


def test_the_table_is_the_same_however_the_units_are_cut_into_batches(tmp_path: Path) -> None:
    # An in-process executor that claims 8 workers gets units cut across batches (1,000 worlds each).
    plan = plan_of(tmp_path, "scenario: example_alliance\npolicies: [random, historical]\nseeds: [1, 2]\nruns: 1500\n")
    with open_executor(1, None, plan.scenarios) as inline:
        whole = run_units(plan, inline)
        cut = run_units(plan, SweepExecutor(inline.executor, 8))
    assert any(len(task.slices) > 1 for task in plan_tasks(plan, 8))
    for a, b in zip(whole, cut, strict=True):
        assert a.order == b.order and a.first_run == b.first_run == 0
        for name in ("ending", "turns_played", "scores", "final"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.mark.parametrize("policy", ["random", "historical"])
def test_a_game_does_not_depend_on_the_batch_it_is_played_in_on_every_shipped_scenario(policy: str) -> None:
    # What lets a sweep batch its runs freely (and give the same bytes on any worker count).
    shipped = [entry.result.scenario for entry in discover() if entry.shipped and entry.result.scenario is not None]
    assert len(shipped) >= 8
    for scenario in shipped:
        compiled = compile_scenario(scenario)
        keys = world_keys(np.random.default_rng(11), 120)
        whole = unit_result(0, compiled, play_batch(compiled, keys, turns=compiled.turns, policy=policy))
        parts = [unit_result(0, compiled, play_batch(compiled, keys[a:b], turns=compiled.turns, policy=policy))
                 for a, b in ((0, 1), (1, 70), (70, 120))]
        for name in ("ending", "turns_played", "scores", "final"):
            joined = np.concatenate([getattr(p, name) for p in parts])
            assert joined.tobytes() == getattr(whole, name).tobytes(), (scenario.id, name)
