"""A sweep's work units: what they carry to a worker, what they bring back, and the workers' scenarios."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from game.analysis import sweep
from game.analysis.sweep import SweepPlan, install_scenarios, open_executor, plan_sweep, run_unit, uninstall_scenarios
from game.analysis.sweep_spec import read_sweep_spec
from game.engine.compiled import compile_scenario
from game.engine.forecast import NO_ENDING
from game.play.simulate import simulate


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
        results = [pool.submit(run_unit, unit).result() for unit in plan.units]
    assert [r.order for r in results] == [0, 1] and all(len(r.ending) == 3 for r in results)
