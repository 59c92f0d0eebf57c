"""For any scenario that validates, every value stays finite: numbers at the format's limits
(±1e12), the steepest influence shapes, long products in formulas and huge lever settings."""

from __future__ import annotations

import numpy as np
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from game.engine.compiled import compile_scenario
from game.engine.scoring import evaluate_role
from game.engine.turn import TurnInput, resolve_turn
from game.engine.world import new_world
from game.scenario.loader import load_scenario_text
from game.scenario.models import MAX_MAGNITUDE

BIG = st.sampled_from([MAX_MAGNITUDE, -MAX_MAGNITUDE, 1e9, -1e9, 0.0, 1e-12, 3.5])
SHAPES = st.sampled_from(["linear", "sqrt", "square", "threshold", "sign"])
FORMULAS = st.sampled_from([
    "a * b * a * b * a * b", "a ** 40", "(a - b) ** 3 / (b - a)", "a / (b - b) + sqrt(-a)", "-(a * a * a)",
    "a * 1e12 * 1e12 - b * 1e12 * 1e12", "0 ** -1 + (-8) ** 0.5", "clip(a * a, -1e12, a * b)",
])


@st.composite
def extreme_scenarios(draw: st.DrawFn) -> str:
    lo = draw(st.sampled_from([-MAX_MAGNITUDE, -1e6, 0.0]))
    variables = {
        name: {"label": name, "range": [lo, MAX_MAGNITUDE], "initial": draw(st.sampled_from([lo, MAX_MAGNITUDE])),
               "noise": draw(st.sampled_from([0.0, MAX_MAGNITUDE])), "drift": draw(st.sampled_from([0.0, 1.0]))}
        for name in ("a", "b")
    }
    variables["c"] = {"label": "c", "range": [-MAX_MAGNITUDE, MAX_MAGNITUDE], "initial": 0, "derived": draw(FORMULAS)}
    influences = [
        {"from": source, "to": target, "weight": draw(BIG), "pivot": draw(BIG), "shape": draw(SHAPES)}
        for source, target in (("a", "b"), ("b", "a"), ("c", "a"), ("a", "a"))
    ]
    scenario = {
        "format": 1, "id": "extreme", "title": "Extreme", "summary": "Numbers at the limits.",
        "calendar": {"start": "1960-01", "turn": "month", "turns": 12},
        "actors": {"x": {"name": "X"}},
        "variables": variables,
        "influences": influences,
        "roles": {"boss": {"actor": "x", "title": "Boss",
                           "levers": {"knob": {"label": "Knob", "range": [-MAX_MAGNITUDE, MAX_MAGNITUDE],
                                               "initial": 0}},
                           "objectives": [{"id": "big", "label": "Big", "when": "c > 0", "points": MAX_MAGNITUDE,
                                           "check": "every_turn"}]}},
        "events": [{"id": "boom", "owner": "boss", "title": "Boom", "text": "Boom.", "when": True,
                    "once": False, "effects": [{"target": "a", "amount": draw(FORMULAS).replace("b", "c"),
                                                "duration": 40}],
                    "choices": [{"id": "go", "label": "Go", "weight": "a * a * a",
                                 "effects": [{"target": "b", "amount": MAX_MAGNITUDE, "duration": 40}]}]}],
        "endings": [{"id": "end", "title": "End", "text": "End.", "at_end": True}],
        "map": {"view": [0, 0, 10, 10]},
    }
    return yaml.safe_dump(scenario, sort_keys=False)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate])
@given(extreme_scenarios(), st.sampled_from([MAX_MAGNITUDE, -MAX_MAGNITUDE, 1e300, -1e300]))
def test_values_stay_finite_at_the_limits(text: str, setting: float) -> None:
    result = load_scenario_text(text)
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    compiled = compile_scenario(result.scenario)
    state = new_world(compiled, 4, np.arange(4, dtype=np.uint64))
    assert np.isfinite(state.values).all()
    for _ in range(compiled.turns):
        resolve_turn(compiled, state, TurnInput(lever_settings={"knob": setting}, policy="softmax"))
        assert np.isfinite(state.values).all()
        assert ((state.values >= compiled.lower) & (state.values <= compiled.upper)).all()
    score = evaluate_role(compiled, state, "boss")
    assert np.isfinite([score.points, score.max_points, score.percent]).all()


def test_arithmetic_saturates_instead_of_overflowing() -> None:
    """Before the rule, a long product of 1e12 gave inf, and inf - inf a NaN that clamping kept."""
    scenario = yaml.safe_load(_FIXED)
    result = load_scenario_text(yaml.safe_dump(scenario))
    assert result.scenario is not None, [d.format() for d in result.diagnostics]
    compiled = compile_scenario(result.scenario)
    state = new_world(compiled, 1, np.zeros(1, dtype=np.uint64))
    c = compiled.variable_index["c"]
    assert state.values[0, c] == 0.0  # each product saturates at 1e15; 1e15 - 1e15 is 0


_FIXED = """
format: 1
id: fixed
title: Fixed
summary: A product far beyond the float maximum.
calendar: {start: "1960-01", turn: month, turns: 2}
actors: {x: {name: X}}
variables:
  a: {label: a, range: [0, 1.0e+12], initial: 1.0e+12}
  c:
    label: c
    range: [-1.0e+12, 1.0e+12]
    initial: 0
    derived: "a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a
      - a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a"
roles: {boss: {actor: x, title: Boss}}
endings: [{id: end, title: End, text: End., at_end: true}]
map: {view: [0, 0, 10, 10]}
"""
