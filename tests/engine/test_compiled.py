"""Compiling a scenario into arrays: layout, defaults, tables."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from engine_scenarios import ENGINE_FIXTURES

from game.engine.compiled import SHAPES, CompiledScenario, ScenarioCompileError, compile_scenario
from game.scenario.models import Scenario


def test_variable_layout_and_defaults(mechanics: CompiledScenario) -> None:
    assert mechanics.variable_ids[:6] == ("tension", "economy", "credibility", "attack", "approval", "mood")
    assert mechanics.variable_ids[6:10] == ("opinion.city.government", "opinion.city.alliance",
                                            "opinion.country.government", "opinion.country.alliance")
    assert mechanics.variable_ids[10:] == ("relation.home.rival", "lever.defense", "lever.aid")
    initial = dict(zip(mechanics.variable_ids, mechanics.initial.tolist(), strict=True))
    assert initial["opinion.city.alliance"] == 50  # issues left out start at 50
    assert initial["opinion.country.alliance"] == 60
    assert initial["relation.home.rival"] == -20
    index = mechanics.variable_index
    assert (mechanics.lower[index["relation.home.rival"]], mechanics.upper[index["relation.home.rival"]]) == (-100, 100)
    assert (mechanics.lower[index["lever.defense"]], mechanics.upper[index["lever.defense"]]) == (0, 5)
    assert mechanics.key_variables == ("tension", "economy", "approval")


def test_dynamics(mechanics: CompiledScenario) -> None:
    index = mechanics.variable_index
    assert mechanics.baseline[index["economy"]] == 55
    assert mechanics.baseline[index["credibility"]] == 50  # defaults to the initial value
    assert mechanics.drift[index["approval"]] == 0  # derived variables have no dynamics
    noisy = {mechanics.variable_ids[v] for v in mechanics.noise_variables}
    assert noisy == {"tension", "economy", "opinion.city.government", "opinion.city.alliance", "relation.home.rival"}


def test_influence_table_is_grouped_by_shape_and_scatters_safely(mechanics: CompiledScenario) -> None:
    table = mechanics.influences
    assert table.count == 6
    codes = [code for code, _ in table.shape_slices]
    assert [SHAPES[c] for c in codes] == ["linear", "sqrt", "square", "threshold", "sign"]
    covered = sorted(i for _, part in table.shape_slices for i in range(part.start, part.stop))
    assert covered == list(range(6))
    for part, targets in table.scatter_groups:
        assert len(set(targets.tolist())) == len(targets)
        assert np.array_equal(targets, table.target[part])
    assert sorted(i for part, _ in table.scatter_groups for i in range(part.start, part.stop)) == list(range(6))
    assert mechanics.history_depth == 4  # lag 2 + inertia 2
    assert "influence: tension_hurts_government" in table.labels


def test_decisions_are_events_then_obligations(mechanics: CompiledScenario) -> None:
    ids = [d.id for d in mechanics.decisions]
    assert ids == ["crisis", "rival_move", "election", "obligation:pact.art1"]
    obligation = mechanics.decisions[-1]
    assert [c.id for c in obligation.choices] == ["honour", "evade"]
    assert obligation.default_choice == 1  # a timed-out obligation is evaded
    assert mechanics.decisions[0].default_choice == 1  # calm_down is marked default
    assert mechanics.due_effects_depth == 4  # calm_down: delay 1 + duration 2, plus one


def test_derived_variables_in_dependency_order(mechanics: CompiledScenario) -> None:
    order = [mechanics.variable_ids[v] for v, _ in mechanics.derived]
    assert order == ["approval", "mood"]


def load_fixture_data(name: str) -> dict[str, object]:
    data = yaml.safe_load((ENGINE_FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_derived_cycle_is_reported() -> None:
    data = load_fixture_data("mechanics")
    variables = data["variables"]
    assert isinstance(variables, dict)
    variables["approval"]["derived"] = "mood + 1"
    with pytest.raises(ScenarioCompileError, match=r"cycle: (approval → mood → approval|mood → approval → mood)"):
        compile_scenario(Scenario.model_validate(data))


def test_compiled_arrays_are_read_only(mechanics: CompiledScenario) -> None:
    with pytest.raises(ValueError):
        mechanics.initial[0] = 1.0
