"""Compiled expressions: values on a small batch of worlds, the safe-arithmetic rules, constants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.compiled_expression import (
    VALUE_LIMIT,
    ExpressionContext,
    ExpressionIndex,
    compile_condition,
    compile_expression,
    constant_value,
)
from game.scenario.expressions import (
    FUNCTIONS,
    Binary,
    Boolean,
    Call,
    Compare,
    Expr,
    ExpressionProblem,
    IfElse,
    Logic,
    Month,
    Name,
    Number,
    Ref,
    Unary,
    parse_expression,
)

VARIABLES = ["tension", "opinion.okinawa.bases", "opinion.mainland.bases", "opinion.congress.bases", "zero"]
INDEX = ExpressionIndex(
    variables={name: i for i, name in enumerate(VARIABLES)},
    events={"senkaku_collision": 0, "lower_house_vote": 1},
    choices={
        "senkaku_collision": {"protest": 0, "ignore": 1},
        "lower_house_vote": {"force_the_vote": 0, "postpone": 1},
    },
    obligations={"anpo1960.art5": 0, "anpo1960.art6": 1},
    issues={"bases": ((1, 1.0, "japan"), (2, 3.0, "japan"), (3, 4.0, "us"))},
)
TURN = 5
DATE = 1960 * 12 + 4  # May 1960


def make_context() -> ExpressionContext:
    """Three worlds that differ in every way an expression can read."""
    return ExpressionContext(
        values=np.array(
            [
                # tension, okinawa, mainland, congress, zero
                [70.0, 20.0, 40.0, 80.0, 0.0],
                [50.0, 40.0, 60.0, 20.0, 0.0],
                [10.0, 80.0, 0.0, 50.0, 0.0],
            ]
        ),
        turn=TURN,
        date=DATE,
        fired_count=np.array([[0, 2], [1, 0], [3, 1]], dtype=np.int32),
        last_fired=np.array([[-1, 4], [2, -1], [5, 0]], dtype=np.int32),
        last_choice=np.array([[-1, 0], [1, -1], [0, 1]], dtype=np.int16),
        obligation_state=np.array(
            [
                [[0, 0, 0], [1, 1, 0]],
                [[1, 1, 0], [0, 0, 0]],
                [[2, 1, 1], [1, 0, 1]],
            ],
            dtype=np.int32,
        ),
    )


def evaluate(source: str | float | bool) -> list[float]:
    expr = parse_expression(source)
    assert not isinstance(expr, ExpressionProblem), expr
    result = compile_expression(expr, INDEX)(make_context())
    assert result.dtype == np.float64 and result.shape == (3,)
    return [float(x) for x in result]


VALUES = [
    # (expression, value in each of the three worlds)
    (0.3, [0.3, 0.3, 0.3]),
    (True, [1, 1, 1]),
    ("tension", [70, 50, 10]),
    ("opinion.okinawa.bases", [20, 40, 80]),
    ("-tension + 1", [-69, -49, -9]),
    ("+tension", [70, 50, 10]),
    ("tension * 2 - 10 / 5", [138, 98, 18]),
    ("tension % 30", [10, 20, 10]),
    ("-7 % 3", [2, 2, 2]),
    ("2 ** 3 ** 2", [512, 512, 512]),
    ("tension > 40", [1, 1, 0]),
    ("tension >= 50", [1, 1, 0]),
    ("tension < 50", [0, 0, 1]),
    ("tension <= 50", [0, 1, 1]),
    ("tension == 50", [0, 1, 0]),
    ("tension != 50", [1, 0, 1]),
    ("20 < tension < 60", [0, 1, 0]),
    ("tension > 60 and opinion.okinawa.bases < 30", [1, 0, 0]),
    ("tension > 60 or opinion.okinawa.bases > 60", [1, 0, 1]),
    ("tension > 60 or tension < 20 or tension == 50", [1, 1, 1]),
    ("not tension > 40", [0, 0, 1]),
    ("true and not false", [1, 1, 1]),
    ("tension if tension > 40 else -1", [70, 50, -1]),
    ("1 if turn == 5 else 0", [1, 1, 1]),
    ("turn", [5, 5, 5]),
    ("date", [DATE, DATE, DATE]),
    ("date >= 1960-05", [1, 1, 1]),
    ("date > 1960-05", [0, 0, 0]),
    ("date - 1960-01", [4, 4, 4]),
    ("clip(0.1 + 0.02 * (tension - 50), 0, 0.5)", [0.5, 0.1, 0]),
    ("min(tension, opinion.okinawa.bases, 30)", [20, 30, 10]),
    ("max(tension, opinion.okinawa.bases)", [70, 50, 80]),
    ("abs(30 - tension)", [40, 20, 20]),
    ("sqrt(tension - 10)", [math.sqrt(60), math.sqrt(40), 0]),
    ("round(tension / 20)", [4, 3, 1]),  # 3.5 → 4, 2.5 → 3, 0.5 → 1: halves away from zero
    ("round(-tension / 20)", [-4, -3, -1]),
    ("mean_opinion(bases)", [(20 + 3 * 40 + 4 * 80) / 8, (40 + 180 + 80) / 8, (80 + 0 + 200) / 8]),
    ("mean_opinion(bases, japan)", [(20 + 120) / 4, (40 + 180) / 4, 80 / 4]),
    ("mean_opinion(bases, us)", [80, 20, 50]),
    ("fired(senkaku_collision)", [0, 1, 1]),
    ("fired(lower_house_vote)", [1, 0, 1]),
    ("fired_count(senkaku_collision)", [0, 1, 3]),
    ("turns_since(senkaku_collision)", [9999, 3, 0]),
    ("turns_since(lower_house_vote)", [1, 9999, 5]),
    ("chose(senkaku_collision, protest)", [0, 0, 1]),
    ("chose(senkaku_collision, ignore)", [0, 1, 0]),
    ("chose(lower_house_vote, force_the_vote)", [1, 0, 0]),
    ("engaged(anpo1960.art5)", [0, 1, 1]),
    ("honoured(anpo1960.art5)", [0, 1, 1]),
    ("evaded(anpo1960.art5)", [0, 0, 1]),
    ("evaded(anpo1960.art6)", [0, 0, 1]),
    ("10 * fired(senkaku_collision) + fired_count(lower_house_vote)", [2, 10, 11]),
    # Safe arithmetic: never inf or NaN.
    ("tension / zero", [0, 0, 0]),
    ("tension / (tension - 50)", [3.5, 0, -0.25]),
    ("tension % zero", [0, 0, 0]),
    ("sqrt(-tension)", [0, 0, 0]),
    ("(-tension) ** 0.5", [0, 0, 0]),
    ("zero ** -1", [0, 0, 0]),
    ("tension ** 1000", [1e15, 1e15, 1e15]),  # an overflow saturates at VALUE_LIMIT
    ("-(tension ** 1000)", [-1e15, -1e15, -1e15]),
    ("tension ** 1000 - tension ** 1000", [0, 0, 0]),  # not inf - inf = NaN
    ("zero - (tension * 1e12) * (tension * 1e12)", [-1e15, -1e15, -1e15]),
    ("1 / 0", [0, 0, 0]),
]


@pytest.mark.parametrize(("source", "expected"), VALUES, ids=[repr(source) for source, _ in VALUES])
def test_expression_values_in_each_world(source: str | float, expected: list[float]) -> None:
    assert evaluate(source) == pytest.approx(expected)


def test_every_function_compiles() -> None:
    # A function added to the registry without an implementation must fail here, not in a game.
    sample_args: dict[str, str] = {
        "number": "tension",
        "event": "senkaku_collision",
        "choice": "protest",
        "issue": "bases",
        "actor": "japan",
        "obligation": "anpo1960.art5",
    }
    for name, signature in FUNCTIONS.items():
        args = ", ".join(sample_args[kind] for kind in signature.params)
        values = evaluate(f"{name}({args})")
        assert all(math.isfinite(v) for v in values), name


def test_the_result_is_a_fresh_array_not_a_view_of_the_state() -> None:
    context = make_context()
    expr = parse_expression("tension")
    assert isinstance(expr, Name)
    result = compile_expression(expr, INDEX)(context)
    result[:] = -1
    assert context.values[:, 0].tolist() == [70, 50, 10]


def test_constants_broadcast_to_the_batch_size() -> None:
    context = make_context()
    context.values = np.zeros((7, len(VARIABLES)))
    for source in ("2 * 3", "turn + 1", "tension + 1"):
        expr = parse_expression(source)
        assert not isinstance(expr, ExpressionProblem)
        result = compile_expression(expr, INDEX)(context)
        assert result.shape == (7,) and result.dtype == np.float64


def test_an_index_without_the_name_raises_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown variable 'nope'"):
        compile_expression(Name("nope"), INDEX)
    with pytest.raises(KeyError, match="unknown choice 'postpone'"):
        compile_expression(Call("chose", (Ref("senkaku_collision"), Ref("postpone"))), INDEX)


CONSTANTS = [
    ("0.5 * 2", 1.0),
    ("1960-05", 1960 * 12 + 4.0),
    ("true", 1.0),
    ("1 / 0", 0.0),
    ("clip(5, 0, 1) + max(1, 2)", 3.0),
    ("1 if 2 > 1 else 0", 1.0),
    ("tension", None),
    ("turn + 1", None),
    ("date > 1960-05", None),
    ("fired(senkaku_collision)", None),
    ("mean_opinion(bases)", None),
    ("0 * tension", None),  # no algebra: reading a variable is never folded away
]


@pytest.mark.parametrize(("source", "value"), CONSTANTS, ids=[source for source, _ in CONSTANTS])
def test_constant_value(source: str, value: float | None) -> None:
    expr = parse_expression(source)
    assert not isinstance(expr, ExpressionProblem)
    assert constant_value(expr) == value


# --- property: the compiled closure agrees with a plain per-world interpreter ---------------------

NUMERIC_NAMES = ["tension", "opinion.okinawa.bases", "zero", "turn"]


def reference(expr: Expr, context: ExpressionContext, world: int) -> float:
    """Evaluate one world with plain Python floats: the language's semantics written out simply."""

    def value(node: Expr) -> float:
        return reference(node, context, world)

    match expr:
        case Number(value=v):
            return v
        case Boolean(value=b):
            return 1.0 if b else 0.0
        case Month(value=m):
            return float(m)
        case Name(id="turn"):
            return float(context.turn)
        case Name(id="date"):
            return float(context.date)
        case Name(id=name):
            return float(context.values[world, INDEX.variables[name]])
        case Unary(op="-", operand=operand):
            return -value(operand)
        case Unary(op="+", operand=operand):
            return value(operand)
        case Unary(op="not", operand=operand):
            return 0.0 if value(operand) != 0 else 1.0
        case Binary(op=op, left=left, right=right):
            return binary(op, value(left), value(right))
        case Compare(ops=ops, operands=operands):
            values = [value(o) for o in operands]
            tests = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}
            tests |= {"==": float.__eq__, "!=": float.__ne__}
            return float(all(tests[op](a, b) for op, a, b in zip(ops, values, values[1:], strict=False)))
        case Logic(op="and", operands=operands):
            return float(all([value(o) != 0 for o in operands]))
        case Logic(op="or", operands=operands):
            return float(any([value(o) != 0 for o in operands]))
        case IfElse(cond=cond, then=then, otherwise=otherwise):
            return value(then) if value(cond) != 0 else value(otherwise)
        case Call(func=func, args=args):
            xs = [value(a) for a in args]
            functions = {
                "clip": lambda: min(max(xs[0], xs[1]), xs[2]),
                "min": lambda: min(xs),
                "max": lambda: max(xs),
                "abs": lambda: abs(xs[0]),
                "sqrt": lambda: math.sqrt(max(xs[0], 0.0)),
                "round": lambda: math.copysign(math.floor(abs(xs[0]) + 0.5), xs[0]),
            }
            return float(functions[func]())
        case Ref():
            raise AssertionError("refs are not generated")
    raise AssertionError(expr)


def saturated(x: float) -> float:
    return min(max(x, -VALUE_LIMIT), VALUE_LIMIT)


def binary(op: str, a: float, b: float) -> float:
    if op == "+":
        return saturated(a + b)
    if op == "-":
        return saturated(a - b)
    if op == "*":
        return saturated(a * b)
    if op == "/":
        return saturated(a / b) if b != 0 else 0.0
    if op == "%":
        return a % b if b != 0 else 0.0
    try:
        result = a**b
    except ZeroDivisionError:
        return 0.0
    except OverflowError:
        negative = a < 0 and float(b).is_integer() and int(b) % 2 == 1
        return -VALUE_LIMIT if negative else VALUE_LIMIT
    return saturated(result) if isinstance(result, float) and not math.isnan(result) else 0.0


def expression_texts() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(NUMERIC_NAMES),
        st.integers(-20, 20).map(str),
        st.sampled_from(["0.5", "2.25", "true", "false", "1960-05", "date"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "**"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(["-", "not "]), inner).map(lambda t: f"({t[0]}{t[1]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            st.tuples(st.sampled_from(["abs", "sqrt", "round"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(expression_texts())
def test_compiled_expressions_agree_with_a_plain_interpreter(text: str) -> None:
    expr = parse_expression(text)
    assert not isinstance(expr, ExpressionProblem), (text, expr)
    context = make_context()
    with np.errstate(over="ignore", invalid="ignore"):  # '*' and '+' may overflow like Python floats
        result = compile_expression(expr, INDEX)(context)
    expected = np.array([reference(expr, context, world) for world in range(3)])
    assert np.allclose(result, expected, rtol=1e-9, atol=1e-12, equal_nan=True), (text, result, expected)
    folded = constant_value(expr)
    if folded is not None:
        assert np.allclose(result, folded, rtol=1e-9, atol=1e-12, equal_nan=True), (text, folded, result)


def test_reference_ref_guard() -> None:
    # The reference interpreter above must not silently accept ids.
    with pytest.raises(AssertionError):
        reference(Ref("x"), make_context(), 0)


@pytest.mark.parametrize(("source", "expected"), VALUES, ids=[repr(source) for source, _ in VALUES])
def test_a_context_of_some_worlds_gives_their_values(source: str | float, expected: list[float]) -> None:
    # The engine evaluates formulas only in the worlds that need them (`ExpressionContext.only`).
    expr = parse_expression(source)
    assert not isinstance(expr, ExpressionProblem)
    evaluate_some = compile_expression(expr, INDEX)
    for worlds in ([2, 0], [1], []):
        result = evaluate_some(make_context().only(np.array(worlds, dtype=np.intp)))
        assert result.shape == (len(worlds),) and result.dtype == np.float64
        assert result.tolist() == pytest.approx([expected[w] for w in worlds])


@pytest.mark.parametrize(("source", "expected"), VALUES, ids=[repr(source) for source, _ in VALUES])
def test_a_condition_holds_where_the_value_is_not_zero(source: str | float, expected: list[float]) -> None:
    # `compile_condition` skips the float conversion of a comparison; its truth must be the value's.
    expr = parse_expression(source)
    assert not isinstance(expr, ExpressionProblem)
    condition = compile_condition(expr, INDEX)
    for worlds in (None, [2, 0], [1]):
        context = make_context() if worlds is None else make_context().only(np.array(worlds, dtype=np.intp))
        with np.errstate(over="ignore"):
            truth = np.broadcast_to(condition(context), (context.batch,))
        assert truth.dtype == np.bool_
        picked = range(3) if worlds is None else worlds
        assert truth.tolist() == [expected[w] != 0 for w in picked]
