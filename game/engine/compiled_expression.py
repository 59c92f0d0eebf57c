"""Expressions compiled once into numpy closures that evaluate for a batch of B worlds at a time.

`compile_expression` turns a checked `Expr` (from `game.scenario.expressions`) into a function of an
`ExpressionContext` returning a float64 array of shape [B]. Conditions give 0.0 (false) or 1.0 (true);
anything non-zero counts as true where a condition is read.

Arithmetic never produces inf or NaN, so one bad world cannot poison a batch:

- `x / 0` is 0 and `x % 0` is 0;
- `sqrt(x)` of a negative x is 0;
- `x ** y` that has no real value (a negative base with a fractional exponent, `0 ** -1`) is 0;
- every result of `+ - * / % **` lies within ±`VALUE_LIMIT` (1e15): a larger one saturates at the limit
  (`1e12 * 1e12` is 1e15), so long products of large numbers stay finite.

Constant sub-expressions are folded at compile time; `constant_value` exposes that for fast paths.
Nothing here loops over worlds: every node is one or two numpy operations on [B] arrays. A variable is
read as the column `values[:, i]`; keeping `values` in column-major order (`np.asfortranarray`, same
shape and indexing) makes those reads contiguous, which is several times faster for large B.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt

from game.scenario.expressions import (
    NEVER_FIRED_TURNS,
    Binary,
    Boolean,
    Call,
    Compare,
    Expr,
    IfElse,
    Logic,
    Month,
    Name,
    Number,
    Ref,
    Unary,
)

VALUE_LIMIT = 1e15
"""Arithmetic results saturate at ±VALUE_LIMIT (scenario numbers themselves lie within ±1e12)."""

_Int = TypeVar("_Int", bound=np.generic)
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Value = FloatArray | BoolArray | float
"""An intermediate result: a [B] array, or a plain float when it is the same in every world.

Conditions stay boolean arrays between nodes (`a > 1 and b < 2` converts nothing); arithmetic turns
them into 0.0/1.0, and the final result is always float64.
"""


@dataclass
class ExpressionContext:
    """What an expression can read, for B worlds (or for the `worlds` among them, when given)."""

    values: FloatArray  # [B, V] current variable values
    turn: int  # 0-based turn number
    date: int  # months: year * 12 + month - 1 of the current turn
    fired_count: npt.NDArray[np.int32]  # [B, E] times each event fired
    last_fired: npt.NDArray[np.int32]  # [B, E] turn it last fired, -1 never
    last_choice: npt.NDArray[np.int16]  # [B, E] index of the last choice taken, -1 none
    obligation_state: npt.NDArray[np.int32]  # [B, O, 3] counts of (engaged, honoured, evaded)
    # Indices of the worlds to evaluate (results then have one entry per index); None = all B.
    # Only the columns an expression reads are gathered, so evaluating a few worlds costs little.
    worlds: npt.NDArray[np.intp] | None = None

    @property
    def batch(self) -> int:
        """How many worlds an evaluation gives values for."""
        return int(self.values.shape[0]) if self.worlds is None else int(self.worlds.shape[0])

    def only(self, worlds: npt.NDArray[np.intp]) -> ExpressionContext:
        """The same state, evaluated for the given worlds only (indices into this context's B)."""
        assert self.worlds is None, "a context of some worlds is not narrowed again"
        return ExpressionContext(self.values, self.turn, self.date, self.fired_count, self.last_fired,
                                 self.last_choice, self.obligation_state, worlds)

    def variable(self, column: int) -> FloatArray:
        """[n] one variable's values (a view of the state when every world is evaluated)."""
        values = self.values[:, column]
        return values if self.worlds is None else values[self.worlds]

    def event_column(self, table: npt.NDArray[_Int], event: int) -> npt.NDArray[_Int]:
        """[n] one column of a per-event table (`fired_count`, `last_fired`, `last_choice`)."""
        column = table[:, event]
        return column if self.worlds is None else column[self.worlds]

    def obligation_column(self, obligation: int, column: int) -> npt.NDArray[np.int32]:
        """[n] one obligation's count of (0 engaged, 1 honoured, 2 evaded)."""
        counts = self.obligation_state[:, obligation, column]
        return counts if self.worlds is None else counts[self.worlds]


@dataclass(frozen=True)
class ExpressionIndex:
    """Names → array indices, as laid out by the compiled scenario."""

    variables: Mapping[str, int]
    events: Mapping[str, int]
    choices: Mapping[str, Mapping[str, int]]  # event → choice → index among its choices
    obligations: Mapping[str, int]
    issues: Mapping[str, tuple[tuple[int, float, str], ...]]  # issue → (variable index, weight, actor)


CompiledExpression = Callable[[ExpressionContext], FloatArray]
_Evaluator = Callable[[ExpressionContext], Value]
_Compiled = float | _Evaluator  # a float when the node is a constant

_T = TypeVar("_T")
_OBLIGATION_COLUMNS = {"engaged": 0, "honoured": 1, "evaded": 2}


class _NotConstant(Exception):
    """Raised while folding when a node reads the world (used by `constant_value`)."""


def compile_expression(expr: Expr, index: ExpressionIndex) -> CompiledExpression:
    """Compile a checked expression once; the result evaluates it for all worlds of a context.

    Raises KeyError for a name the index does not know (`check_expression` reports those to the
    modder first, so this only happens on a programming error).
    """
    compiled = _Compiler(index).compile(expr)
    if isinstance(compiled, float):
        constant = compiled

        def evaluate_constant(context: ExpressionContext) -> FloatArray:
            return np.full(context.batch, constant)

        return evaluate_constant

    evaluator = compiled

    def evaluate(context: ExpressionContext) -> FloatArray:
        return _as_batch(evaluator(context), context.batch)

    return evaluate


CompiledCondition = Callable[[ExpressionContext], BoolArray]


def compile_condition(expr: Expr, index: ExpressionIndex) -> CompiledCondition:
    """Like `compile_expression`, for an expression taken as a condition: bool, non-zero is true.

    The same truth as `compile_expression(...)(context) != 0`, without turning a comparison's booleans
    into floats and back (two array passes and a broadcast per evaluation, most of the cost on a few worlds).
    """
    compiled = _Compiler(index).compile(expr)
    if isinstance(compiled, float):
        truth = compiled != 0.0
        return lambda context: np.full(context.batch, truth)
    evaluator = compiled
    return lambda context: _truth(evaluator(context))  # [B], or 0-d when it reads only the turn or date


def constant_value(expr: Expr) -> float | None:
    """The value of an expression that reads nothing from the world (`0.5 * 2`, `1960-05`), else None."""
    try:
        compiled = _Compiler(None).compile(expr)
    except _NotConstant:
        return None
    return compiled if isinstance(compiled, float) else None


def _as_batch(value: Value, batch: int) -> FloatArray:
    """A fresh float64 [B] array: callers may keep or modify it without touching the world state."""
    if isinstance(value, np.ndarray) and value.shape == (batch,) and value.flags.owndata and value.dtype == np.float64:
        return cast(FloatArray, value)
    return np.array(np.broadcast_to(value, (batch,)), dtype=np.float64)


class _Compiler:
    def __init__(self, index: ExpressionIndex | None) -> None:
        self._index = index

    def _lookup(self) -> ExpressionIndex:
        if self._index is None:
            raise _NotConstant
        return self._index

    def compile(self, node: Expr) -> _Compiled:
        match node:
            case Number(value=value):
                return float(value)
            case Boolean(value=value):
                return 1.0 if value else 0.0
            case Month(value=value):
                return float(value)
            case Name(id=name):
                return self._name(name)
            case Unary(op=op, operand=operand):
                return self._apply(_UNARY[op], (self.compile(operand),))
            case Binary(op=op, left=left, right=right):
                return self._apply(_BINARY[op], (self.compile(left), self.compile(right)))
            case Compare(ops=ops, operands=operands):
                return self._compare(ops, operands)
            case Logic(op=op, operands=operands):
                combine = _all_true if op == "and" else _any_true
                return self._apply(combine, tuple(self.compile(operand) for operand in operands))
            case IfElse(cond=cond, then=then, otherwise=otherwise):
                parts = (self.compile(cond), self.compile(then), self.compile(otherwise))
                return self._apply(_if_else, parts)
            case Call(func=func, args=args):
                return self._call(func, args)
            case Ref(id=name):
                raise ValueError(f"'{name}' is an id, not a value")
        raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover - programming error

    def _apply(self, operation: Callable[..., Value], parts: tuple[_Compiled, ...]) -> _Compiled:
        """Fold when every part is constant; otherwise build a closure (specialised for 1–2 parts)."""
        if all(isinstance(part, float) for part in parts):
            return float(np.asarray(operation(*parts)))
        evaluators = [part if callable(part) else _constant_evaluator(part) for part in parts]
        if len(evaluators) == 1:
            (only,) = evaluators
            return lambda context: operation(only(context))
        if len(evaluators) == 2:
            first, second = evaluators
            return lambda context: operation(first(context), second(context))
        return lambda context: operation(*(evaluator(context) for evaluator in evaluators))

    def _name(self, name: str) -> _Compiled:
        if name == "turn":
            self._lookup()
            return lambda context: float(context.turn)
        if name == "date":
            self._lookup()
            return lambda context: float(context.date)
        column = _find(self._lookup().variables, name, "variable")
        # Inlined rather than `context.variable(column)`: one call less per read matters at B = 1. The
        # column first, then the worlds: a 1-D gather from the contiguous column (values are column-major)
        # costs a third of `values[worlds, column]`.
        return lambda context: (context.values[:, column] if context.worlds is None
                                else context.values[:, column][context.worlds])

    def _compare(self, ops: tuple[str, ...], operands: tuple[Expr, ...]) -> _Compiled:
        compiled = [self.compile(operand) for operand in operands]
        links = [
            self._apply(_COMPARISONS[op], (left, right))
            for op, left, right in zip(ops, compiled, compiled[1:], strict=False)
        ]
        if len(links) == 1:
            return links[0]
        return self._apply(_all_true, tuple(links))

    def _call(self, func: str, args: tuple[Expr, ...]) -> _Compiled:
        if func in _NUMERIC_FUNCTIONS:
            return self._apply(_NUMERIC_FUNCTIONS[func], tuple(self.compile(arg) for arg in args))
        ids = [_ref_id(arg) for arg in args]
        index = self._lookup()
        if func == "mean_opinion":
            return _mean_opinion(index, ids[0], ids[1] if len(ids) > 1 else None)
        if func in _OBLIGATION_COLUMNS:
            obligation, column = _find(index.obligations, ids[0], "obligation"), _OBLIGATION_COLUMNS[func]
            return lambda context: context.obligation_column(obligation, column) > 0
        event = _find(index.events, ids[0], "event")
        if func == "fired":
            return lambda context: context.event_column(context.fired_count, event) > 0
        if func == "fired_count":
            return lambda context: context.event_column(context.fired_count, event).astype(np.float64)
        if func == "turns_since":
            return lambda context: _turns_since(context, event)
        if func == "chose":
            choice = _find(index.choices.get(ids[0], {}), ids[1], "choice")
            return lambda context: context.event_column(context.last_choice, event) == choice
        raise KeyError(f"unknown function '{func}'")


def _find(names: Mapping[str, _T], name: str, what: str) -> _T:
    try:
        return names[name]
    except KeyError:
        raise KeyError(f"unknown {what} '{name}' (check_expression reports this to the modder first)") from None


def _ref_id(arg: Expr) -> str:
    if not isinstance(arg, Ref):
        raise ValueError(f"expected an id, got {arg!r}")
    return arg.id


def _constant_evaluator(value: float) -> _Evaluator:
    return lambda context: value


def _mean_opinion(index: ExpressionIndex, issue: str, actor: str | None) -> _Compiled:
    everyone = _find(index.issues, issue, "issue")
    members = [(column, weight) for column, weight, owner in everyone if actor is None or owner == actor]
    total = sum(weight for _, weight in members)
    if not members or total <= 0:
        return 0.0
    columns = [column for column, _ in members]
    weights = [weight / total for _, weight in members]

    # A sum in a fixed order, not a matrix product: BLAS rounds differently for different batch
    # sizes, and a world's numbers must not depend on the batch it runs in.
    def mean(context: ExpressionContext) -> FloatArray:
        result = context.variable(columns[0]) * weights[0]
        for column, weight in zip(columns[1:], weights[1:], strict=True):
            result = result + context.variable(column) * weight
        return np.asarray(result, dtype=np.float64)

    return mean


def _turns_since(context: ExpressionContext, event: int) -> FloatArray:
    last = context.event_column(context.last_fired, event)
    return np.where(last < 0, float(NEVER_FIRED_TURNS), float(context.turn) - last)


# --- element-wise operations: each takes floats or [B] arrays ----------------------------------


def _array(value: Value) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def _truth(value: Value) -> BoolArray:
    if isinstance(value, np.ndarray):
        return cast(BoolArray, value if value.dtype == np.bool_ else np.not_equal(value, 0.0))
    return np.asarray(value != 0.0)


def _flags(flags: BoolArray | np.bool_) -> Value:
    return np.asarray(flags, dtype=np.bool_)


def _saturated(result: FloatArray) -> FloatArray:
    # Clipping maps ±inf to the limits (and keeps NaN). In place for arrays (every caller passes a fresh
    # one); a constant folded at compile time arrives as a numpy scalar. For arrays, maximum then minimum
    # is what np.clip computes, without its Python wrapper (3 µs of 4.5 per call, and most formulas
    # are evaluated on a few worlds, where that overhead is the whole cost).
    if isinstance(result, np.ndarray) and result.ndim:
        np.maximum(result, -VALUE_LIMIT, out=result)
        return np.minimum(result, VALUE_LIMIT, out=result)
    return np.asarray(np.clip(result, -VALUE_LIMIT, VALUE_LIMIT))


def _add(a: Value, b: Value) -> Value:
    return _saturated(np.add(_array(a), b))


def _subtract(a: Value, b: Value) -> Value:
    return _saturated(np.subtract(_array(a), b))


def _multiply(a: Value, b: Value) -> Value:
    with np.errstate(over="ignore"):
        return _saturated(np.multiply(_array(a), b))


def _divide(a: Value, b: Value) -> Value:
    if isinstance(b, float) and b != 0.0:  # a constant divisor (`x / 50`): no zero to guard against
        with np.errstate(over="ignore"):
            return _saturated(np.divide(_array(a), b))
    a_array, b_array = _array(a), _array(b)
    out = np.zeros(np.broadcast_shapes(a_array.shape, b_array.shape))
    with np.errstate(over="ignore"):
        return _saturated(np.divide(a_array, b_array, out=out, where=b_array != 0))


def _remainder(a: Value, b: Value) -> Value:
    a_array, b_array = _array(a), _array(b)
    out = np.zeros(np.broadcast_shapes(a_array.shape, b_array.shape))
    return np.remainder(a_array, b_array, out=out, where=b_array != 0)


def _power(a: Value, b: Value) -> Value:
    base, exponent = _array(a), _array(b)
    with np.errstate(all="ignore"):
        result = np.power(base, exponent)
    no_value = np.isnan(result) | ((base == 0) & (exponent < 0))
    return np.where(no_value, 0.0, np.clip(result, -VALUE_LIMIT, VALUE_LIMIT))


def _sqrt(x: Value) -> Value:
    return np.sqrt(np.maximum(_array(x), 0.0))


def _round(x: Value) -> Value:
    # Halves go away from zero (2.5 → 3, -2.5 → -3), as modders expect; numpy rounds them to even.
    array = _array(x)
    return np.copysign(np.floor(np.abs(array) + 0.5), array)


def _clip(x: Value, lo: Value, hi: Value) -> Value:
    return np.minimum(np.maximum(_array(x), lo), hi)


def _minimum(*values: Value) -> Value:
    return reduce(np.minimum, values[1:], _array(values[0]))


def _maximum(*values: Value) -> Value:
    return reduce(np.maximum, values[1:], _array(values[0]))


def _all_true(*values: Value) -> Value:
    return _flags(reduce(np.logical_and, (_truth(value) for value in values)))


def _any_true(*values: Value) -> Value:
    return _flags(reduce(np.logical_or, (_truth(value) for value in values)))


def _if_else(cond: Value, then: Value, otherwise: Value) -> Value:
    return np.where(_truth(cond), then, otherwise)


_UNARY: Mapping[str, Callable[[Value], Value]] = {
    "-": lambda x: np.negative(_array(x)),
    "+": _array,
    "not": lambda x: _flags(~_truth(x)),
}
_BINARY: Mapping[str, Callable[[Value, Value], Value]] = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
    "%": _remainder,
    "**": _power,
}
_COMPARISONS: Mapping[str, Callable[[Value, Value], Value]] = {
    "<": lambda a, b: _flags(np.less(a, b)),
    "<=": lambda a, b: _flags(np.less_equal(a, b)),
    ">": lambda a, b: _flags(np.greater(a, b)),
    ">=": lambda a, b: _flags(np.greater_equal(a, b)),
    "==": lambda a, b: _flags(np.equal(a, b)),
    "!=": lambda a, b: _flags(np.not_equal(a, b)),
}
_NUMERIC_FUNCTIONS: Mapping[str, Callable[..., Value]] = {
    "clip": _clip,
    "min": _minimum,
    "max": _maximum,
    "abs": lambda x: np.abs(_array(x)),
    "sqrt": _sqrt,
    "round": _round,
}


# --- formula templates: formulas that differ only in their variables and numbers ---------------------

TemplateKey = tuple[object, ...]
"""A formula's tree with every variable and every maximal constant sub-tree replaced by a slot."""

CONSTANT_TEMPLATE: TemplateKey = ("constant",)
"""The template of a formula that reads nothing from the world: one constant slot."""


@dataclass(frozen=True)
class FormulaTemplate:
    """A formula as (template, parameters): `key` is the same for formulas that share a shape, `columns`
    holds the variable slots' columns and `constants` the constant slots' values, in slot order.

    Formulas with the same key can be evaluated together, member by member and world by world, with the
    very same element-wise operations (`compile_template`): that is what keeps every value bit-identical
    to the formula's own `compile_expression`.
    """

    key: TemplateKey
    columns: tuple[int, ...]
    constants: tuple[float, ...]


class _Ungroupable(Exception):
    """Raised while taking a formula's template when a node's result could differ if evaluated in a group."""


def formula_template(expr: Expr, index: ExpressionIndex) -> FormulaTemplate | None:
    """The template and parameters of a compiled-checked expression, or None when it cannot be grouped.

    Each maximal constant sub-tree becomes one constant slot holding the float `_Compiler` folds it to
    (so the number is the one the formula itself uses), each variable one variable slot. Ungroupable:
    `turn`, `date`, `mean_opinion`, the event-state functions (`fired`, `chose`, ...: they read state
    that changes while events fire) and `**`/`%` (numpy's `power` takes other paths for a scalar exponent
    than for an array, so a grouped result could differ in the last bit).
    """
    compiler = _Compiler(index)
    columns: list[int] = []
    constants: list[float] = []

    def shape(node: Expr) -> TemplateKey:
        folded = compiler.compile(node)
        if isinstance(folded, float):
            constants.append(folded)
            return CONSTANT_TEMPLATE
        match node:
            case Name(id=name):
                if name in ("turn", "date"):
                    raise _Ungroupable
                columns.append(_find(index.variables, name, "variable"))
                return ("variable",)
            case Unary(op=op, operand=operand):
                return ("unary", op, shape(operand))
            case Binary(op=op, left=left, right=right):
                if op not in _GROUPABLE_BINARY:
                    raise _Ungroupable
                return ("binary", op, shape(left), shape(right))
            case Compare(ops=ops, operands=operands):
                return ("compare", ops, tuple(shape(operand) for operand in operands))
            case Logic(op=op, operands=operands):
                return ("logic", op, tuple(shape(operand) for operand in operands))
            case IfElse(cond=cond, then=then, otherwise=otherwise):
                return ("if", shape(cond), shape(then), shape(otherwise))
            case Call(func=func, args=args) if func in _NUMERIC_FUNCTIONS:
                return ("call", func, tuple(shape(arg) for arg in args))
        raise _Ungroupable

    try:
        key = shape(expr)
    except _Ungroupable:
        return None
    return FormulaTemplate(key, tuple(columns), tuple(constants))


_GROUPABLE_BINARY = frozenset({"+", "-", "*", "/"})

SlotValues = tuple[list[Value], list[Value]]
"""(variable slots, constant slots): each a [P] array (one entry per evaluated pair), or a float for a
constant slot that holds the same number in every member."""
_SlotEvaluator = Callable[[list[Value], list[Value]], Value]


class TemplateEvaluator:
    """A template compiled once: evaluates every member formula of a group on (member, world) pairs.

    Slot values are laid out per pair, so each node is the same element-wise function that
    `compile_expression` applies to one formula (`_BINARY`, `_COMPARISONS`, `_NUMERIC_FUNCTIONS`, ...),
    only on longer arrays; every element is computed by the same IEEE operations, hence bit-identical.
    """

    def __init__(self, key: TemplateKey) -> None:
        self.key = key
        self._slots = [0, 0]  # variable, constant slots numbered in the order `formula_template` fills them
        self._evaluate = self._build(key)
        self.variable_slots, self.constant_slots = self._slots

    def values(self, variables: list[Value], constants: list[Value], shape: tuple[int, ...]) -> FloatArray:
        """Float64 values of the given shape (conditions give 0.0/1.0), like `compile_expression`."""
        value = self._evaluate(variables, constants)
        if isinstance(value, np.ndarray) and value.shape == shape and value.dtype == np.float64:
            return cast(FloatArray, value)
        return np.array(np.broadcast_to(value, shape), dtype=np.float64)

    def holds(self, variables: list[Value], constants: list[Value], shape: tuple[int, ...]) -> BoolArray:
        """Booleans of the given shape: taken as a condition, like `compile_condition`."""
        truth = _truth(self._evaluate(variables, constants))
        return truth if truth.shape == shape else np.broadcast_to(truth, shape)

    def _build(self, node: TemplateKey) -> _SlotEvaluator:
        kind = node[0]
        if kind == "constant":
            slot = self._next(1)
            return lambda variables, constants: constants[slot]
        if kind == "variable":
            slot = self._next(0)
            return lambda variables, constants: variables[slot]
        if kind == "unary":
            return self._combine(_UNARY[cast(str, node[1])], [cast(TemplateKey, node[2])])
        if kind == "binary":
            return self._combine(_BINARY[cast(str, node[1])], [cast(TemplateKey, node[2]), cast(TemplateKey, node[3])])
        if kind == "compare":
            return self._compare(cast(tuple[str, ...], node[1]), cast(tuple[TemplateKey, ...], node[2]))
        if kind == "logic":
            return self._combine(_all_true if node[1] == "and" else _any_true, list(cast(tuple[TemplateKey, ...],
                                                                                        node[2])))
        if kind == "if":
            return self._combine(_if_else, [cast(TemplateKey, part) for part in node[1:]])
        if kind == "call":
            return self._combine(_NUMERIC_FUNCTIONS[cast(str, node[1])], list(cast(tuple[TemplateKey, ...], node[2])))
        raise TypeError(f"not a template node: {node!r}")  # pragma: no cover - programming error

    def _next(self, which: int) -> int:
        slot = self._slots[which]
        self._slots[which] += 1
        return slot

    def _combine(self, operation: Callable[..., Value], parts: list[TemplateKey]) -> _SlotEvaluator:
        evaluators = [self._build(part) for part in parts]  # in order: slots are numbered depth first
        if len(evaluators) == 1:
            (only,) = evaluators
            return lambda variables, constants: operation(only(variables, constants))
        if len(evaluators) == 2:
            first, second = evaluators
            return lambda variables, constants: operation(first(variables, constants), second(variables, constants))
        return lambda variables, constants: operation(*(e(variables, constants) for e in evaluators))

    def _compare(self, ops: tuple[str, ...], operands: tuple[TemplateKey, ...]) -> _SlotEvaluator:
        # As `_Compiler._compare`: each operand evaluated once, the links joined by `_all_true`.
        evaluators = [self._build(operand) for operand in operands]
        comparisons = [_COMPARISONS[op] for op in ops]
        if len(comparisons) == 1:
            (compare,), (left, right) = comparisons, evaluators
            return lambda variables, constants: compare(left(variables, constants), right(variables, constants))

        def chain(variables: list[Value], constants: list[Value]) -> Value:
            parts = [evaluate(variables, constants) for evaluate in evaluators]
            links = [compare(a, b) for compare, a, b in zip(comparisons, parts, parts[1:], strict=False)]
            return _all_true(*links)

        return chain
