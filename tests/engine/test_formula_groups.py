"""Formulas grouped by template give each member's own values bit for bit; grouped event triggering
gives the same game as triggering the events one by one."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from game.engine.compiled import compile_scenario
from game.engine.compiled_expression import (
    CONSTANT_TEMPLATE,
    VALUE_LIMIT,
    ExpressionContext,
    ExpressionIndex,
    FormulaTemplate,
    _divide,
    compile_condition,
    compile_expression,
    formula_template,
)
from game.engine.formula_groups import FormulaGroup, Pairs
from game.engine.randomness import Stream, stream_base, uniforms, uniforms_at, uniforms_at_columns
from game.engine.turn import SMALL_BATCH, TurnInput, resolve_turn
from game.engine.world import new_world, world_keys
from game.scenario.expressions import parse_expression
from game.scenario.models import Scenario

VARIABLES = [f"v{i}" for i in range(6)]
INDEX = ExpressionIndex(
    variables={name: i for i, name in enumerate(VARIABLES)},
    events={"e": 0},
    choices={"e": {"c": 0}},
    obligations={"o": 0},
    issues={"bases": ((1, 1.0, "japan"), (2, 3.0, "us"))},
)

# Each family: formulas of one template (variables and numbers differ), including a zero divisor next to
# non-zero ones (`_divide`'s guarded path for all members), saturation, clip, comparisons, logic, if/else.
FAMILIES = [
    ["1 + v0 / 50", "1 + v1 / 50", "2 + v2 / 0", "-3 + v3 / 7"],
    ["v0 / v1", "v2 / v5", "v4 / v0"],
    ["v0 * 1e12 * v1", "v2 * 1e12 * v3", "v4 * -1e12 * v0"],
    ["v0 + 9e14 + v1", "v2 + -9e14 + v3", "v4 + 1e12 + v5"],
    ["clip(0.01 * (v0 - 20), 0, 0.5)", "clip(0.02 * (v1 - 10), -1, 0.5)", "clip(0.01 * (v2 - 20), 0, 0.5)"],
    ["v0 > 3 and not (v1 < 2) or v2 == 0", "v3 > 1 and not (v4 < -2) or v5 == 0"],
    ["v2 - 1 if v0 > v1 else -v0", "v5 - 2.5 if v3 > v4 else -v1"],
    ["v2 - 1 if v0 > 0 else v1 > 2", "v3 - 4 if v1 > 1 else v2 > -2"],
    ["min(v0, 3, v1) + max(v2, -v3) + abs(v4 - 2)", "min(v1, 0, v2) + max(v3, -v4) + abs(v5 - 0.5)"],
    ["sqrt(v0) + round(v1 / 3)", "sqrt(v2) + round(v3 / 3)", "sqrt(v4) + round(v5 / 0.5)"],
    ["1 < v0 <= 5", "2 < v1 <= 2", "-1 < v2 <= 1e13"],
    ["v0 - 0.1 * 3", "v1 - 0.2 * 3 * (1 + 1)", "v2 - 1 / 3"],
    ["v0 >= 37.3", "v1 >= 0", "v5 >= -0.0"],
]


def random_values(rng: np.random.Generator, batch: int) -> np.ndarray:
    """[B, V] values mixing ordinary numbers, zeros, halves (round) and huge magnitudes (saturation)."""
    values = rng.uniform(-100, 100, (batch, len(VARIABLES)))
    kind = rng.integers(0, 5, values.shape)
    values[kind == 0] = 0.0
    values[kind == 1] = np.round(values[kind == 1]) + 0.5
    values[kind == 2] *= 1e12
    return np.asfortranarray(values)


def context_of(values: np.ndarray) -> ExpressionContext:
    batch = values.shape[0]
    return ExpressionContext(values, 3, 1960 * 12, np.zeros((batch, 1), np.int32), np.full((batch, 1), -1, np.int32),
                             np.full((batch, 1), -1, np.int16), np.zeros((batch, 1, 3), np.int32))


def templates_of(sources: list[str]) -> list[FormulaTemplate]:
    found = [formula_template(parse_expression(source), INDEX) for source in sources]  # type: ignore[arg-type]
    assert all(template is not None for template in found), sources
    return [template for template in found if template is not None]


@pytest.mark.parametrize("family", FAMILIES, ids=[family[0] for family in FAMILIES])
def test_a_group_gives_each_members_own_values_bit_for_bit(family: list[str]) -> None:
    templates = templates_of(family)
    assert len({template.key for template in templates}) == 1
    group = FormulaGroup(templates)
    rng = np.random.default_rng(len(family[0]))
    for _ in range(20):
        values = random_values(rng, 97)
        context = context_of(values)
        own = [compile_expression(parse_expression(s), INDEX)(context) for s in family]  # type: ignore[arg-type]
        truth = [compile_condition(parse_expression(s), INDEX)(context) for s in family]  # type: ignore[arg-type]
        dense = group.values_in_rows(values.T)
        dense_truth = group.holds_in_rows(values.T)
        members = rng.integers(0, len(family), 300).astype(np.intp)
        worlds = rng.integers(0, 97, 300).astype(np.intp)
        pairs = Pairs(values, members, worlds)
        paired, paired_truth = group.values(pairs), group.holds(pairs)
        for m in range(len(family)):
            assert dense[m].tobytes() == np.asarray(own[m], dtype=np.float64).tobytes(), family[m]
            assert np.array_equal(dense_truth[m], np.broadcast_to(truth[m], (97,))), family[m]
            picked = members == m
            assert paired[picked].tobytes() == np.asarray(own[m])[worlds[picked]].tobytes(), family[m]
            assert np.array_equal(paired_truth[picked], np.broadcast_to(truth[m], (97,))[worlds[picked]])
        assert np.all(np.abs(dense) <= VALUE_LIMIT)


def test_templates_tell_shapes_apart_and_keep_the_folded_numbers() -> None:
    a, b = templates_of(["v0 * 2 + 1", "v1 * 3 + v2"])
    assert a.key != b.key
    (folded,) = templates_of(["v3 - 0.1 * 3"])
    assert folded.columns == (3,) and folded.constants == (0.1 * 3,)
    (constant,) = templates_of(["0.5 * 2"])
    assert constant.key == CONSTANT_TEMPLATE and constant.constants == (1.0,)


@pytest.mark.parametrize("source", ["v0 ** 2", "v0 % 3", "fired(e) and v0 > 1", "fired_count(e) + v0",
                                    "turns_since(e) > v1", "chose(e, c)", "engaged(o)", "honoured(o) or v0 > 0",
                                    "evaded(o)", "turn + v0", "date > v0", "mean_opinion(bases) > v0",
                                    "mean_opinion(bases, japan)"])
def test_formulas_that_could_round_differently_or_read_event_state_are_not_grouped(source: str) -> None:
    assert formula_template(parse_expression(source), INDEX) is None  # type: ignore[arg-type]


def test_a_constant_divisor_gives_the_quotient_of_the_guarded_path() -> None:
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.uniform(-1e15, 1e15, 1000), rng.uniform(-1, 1, 1000), [0.0, -0.0, 1e15, -1e15]])
    for divisor in (50.0, 3.0, -7.0, 1e-12, 0.1, 1e12):
        fast = _divide(x, divisor)
        guarded = _divide(x, np.full(x.shape, divisor))
        assert np.asarray(fast).tobytes() == np.asarray(guarded).tobytes()


def test_per_pair_columns_give_the_numbers_of_uniforms_and_uniforms_at() -> None:
    keys = world_keys(np.random.default_rng(3), 500)
    columns = np.arange(40)
    table = uniforms(keys, 7, Stream.EVENT_CHANCE, columns)
    base = stream_base(keys, 7, Stream.EVENT_CHANCE)
    rng = np.random.default_rng(4)
    worlds = rng.integers(0, 500, 5000)
    picked = rng.integers(0, 40, 5000)
    drawn = uniforms_at_columns(base[worlds], picked)
    assert drawn.tobytes() == table[picked, worlds].tobytes()
    for column in (0, 17, 39):
        assert uniforms_at(base, column).tobytes() == table[column].tobytes()


def scenario_with_an_event_reading_fired() -> Scenario:
    """The generated stress scenario (40 grouped events) plus ungroupable events that read `fired()` of
    grouped ones before and after them, a date event and events whose shapes differ."""
    from benchmarks.bench_engine import generated_scenario

    data = generated_scenario().model_dump(mode="json", by_alias=True, exclude_none=True)
    events = data["events"]
    template = events[0]
    extra = [
        (3, {"id": "reads_earlier", "when": "fired(event0) or fired(event1)", "chance": 0.7}),
        (10, {"id": "reads_later", "when": "fired(event30) and v4 > 20", "chance": "clip(0.01 * v5, 0, 1)"}),
        (12, {"id": "power", "when": "v3 ** 2 > 1600", "chance": 1}),
        (20, {"id": "other_shape", "when": "v6 > 30 and v7 < 70", "chance": 0.5}),
        (21, {"id": "other_shape2", "when": "v8 > 30 and v9 < 70", "chance": 1}),
        (25, {"id": "dated", "date": "1960-03", "chance": 1}),
    ]
    for position, fields in reversed(extra):
        event = {key: value for key, value in template.items() if key not in ("when", "chance")}
        event.update(fields)
        event["title"] = fields["id"]
        events.insert(position, event)
    return Scenario.model_validate(data)


@pytest.mark.parametrize("policy", ["role", "random"])
def test_grouped_event_triggering_gives_the_same_game_as_one_by_one(policy: str) -> None:
    grouped = compile_scenario(scenario_with_an_event_reading_fired())
    assert {len(g.events) for g in grouped.event_groups} >= {2, 40}
    one_by_one = dataclasses.replace(grouped, event_groups=())
    batch = 300
    assert batch >= SMALL_BATCH
    keys = world_keys(np.random.default_rng(11), batch)
    states = [new_world(compiled, batch, keys) for compiled in (grouped, one_by_one)]
    inputs = TurnInput(policy=policy)  # type: ignore[arg-type]
    for _ in range(10):
        reports = [resolve_turn(compiled, state, inputs) for compiled, state in zip((grouped, one_by_one), states,
                                                                                    strict=True)]
        assert [(item, worlds.tolist()) for item, worlds in reports[0]._fired] == [
            (item, worlds.tolist()) for item, worlds in reports[1]._fired]
        assert any(item == "reads_earlier" for item, _ in reports[0]._fired) or states[0].turn < 3
        for name, array in states[0]._arrays().items():
            assert np.asarray(array).tobytes() == np.asarray(states[1]._arrays()[name]).tobytes(), name
        assert states[0].due_effects.tobytes() == states[1].due_effects.tobytes()
