"""The expression language: parsing, checking and the names an expression reads.

Conditions, chances, weights and amounts in a scenario are expressions over variable ids, such as
`tension > 60 and opinion.okinawa.bases < 30` or `clip(0.1 + 0.02 * (tension - 50), 0, 0.9)`.
The modder-facing reference is `docs/expressions.md`.

Python's `ast` module (eval mode) is used only as a tokenizer and parser: the tree it returns is
walked with a whitelist of node types and converted to the frozen dataclasses below, so nothing is
ever evaluated by Python and the engine never depends on `ast`. Every node keeps the 1-based column
where it starts in the expression text, for error messages.

Month literals (`1960-05`) are not Python: before parsing they are replaced by placeholder names of
the same length, so columns stay right, and turned back into `Month` nodes afterwards.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from game.scenario.diagnostics import did_you_mean
from game.scenario.months import month_of
from game.scenario.symbols import BUILTIN_NAMES, Symbols

MAX_LENGTH = 2_000
MAX_NODES = 200
MAX_DEPTH = 32
NEVER_FIRED_TURNS = 9999
"""What `turns_since(event)` gives for an event that has never fired."""

Expect = Literal["number", "condition", "any"]
RefKind = Literal["event", "choice", "issue", "actor", "obligation"]
ParamKind = Literal["number", "event", "choice", "issue", "actor", "obligation"]
ValueType = Literal["number", "condition"]

# --- the tree ------------------------------------------------------------------------------------
# `col` is left out of equality so that two spellings of the same expression compare equal.


@dataclass(frozen=True)
class Number:
    """A number literal: `0.3`, `60`."""

    value: float
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Boolean:
    """`true` or `false` (also `True`/`False`); as a number, 1 or 0."""

    value: bool
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Month:
    """A month literal `1960-05`; `value` counts months: year * 12 + (month - 1), like `date`."""

    value: int
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Name:
    """A variable id (possibly dotted, `opinion.okinawa.bases`) or a built-in name (`turn`, `date`)."""

    id: str
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Ref:
    """An event, choice, issue, actor or obligation id given to a function: `fired(senkaku_collision)`."""

    id: str
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Unary:
    """`-x`, `+x` or `not x`."""

    op: Literal["-", "+", "not"]
    operand: Expr
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Binary:
    """Arithmetic: `+ - * / % **`."""

    op: Literal["+", "-", "*", "/", "%", "**"]
    left: Expr
    right: Expr
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Compare:
    """A comparison, possibly chained: `0 < x <= 10` has ops ('<', '<=') and three operands."""

    ops: tuple[str, ...]
    operands: tuple[Expr, ...]
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Logic:
    """`a and b and c`, `a or b`."""

    op: Literal["and", "or"]
    operands: tuple[Expr, ...]
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class IfElse:
    """`then if cond else otherwise`."""

    cond: Expr
    then: Expr
    otherwise: Expr
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Call:
    """A call of one of the built-in functions (see `FUNCTIONS`)."""

    func: str
    args: tuple[Expr, ...]
    col: int = field(default=1, compare=False)


Expr = Number | Boolean | Month | Name | Ref | Unary | Binary | Compare | Logic | IfElse | Call


@dataclass(frozen=True)
class ExpressionProblem:
    """One problem in an expression: where (1-based column; 1 when unknown), what, and how to fix it."""

    col: int
    message: str
    hint: str | None = None


# --- the functions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionSignature:
    """One built-in function: its parameters, what it returns and its one-line description.

    `params` lists the kinds of the required parameters, then the optional ones; `variadic` means the
    last kind may repeat (min/max). This registry drives parsing, checking and the docs test.
    """

    name: str
    params: tuple[ParamKind, ...]
    required: int
    returns: ValueType
    summary: str
    variadic: bool = False

    def arity_text(self) -> str:
        if self.variadic:
            return f"at least {self.required} arguments"
        if self.required == len(self.params):
            count = self.required
            return f"{count} argument" + ("" if count == 1 else "s")
        return f"{self.required} to {len(self.params)} arguments"

    def accepts(self, count: int) -> bool:
        if self.variadic:
            return count >= self.required
        return self.required <= count <= len(self.params)

    def kind_of(self, position: int) -> ParamKind:
        return self.params[min(position, len(self.params) - 1)]


FUNCTIONS: Mapping[str, FunctionSignature] = {
    f.name: f
    for f in (
        FunctionSignature(
            "clip", ("number", "number", "number"), 3, "number", "clip(x, lo, hi): x limited to the range lo..hi."
        ),
        FunctionSignature(
            "min", ("number", "number"), 2, "number", "min(a, b, ...): the smallest of its arguments.", variadic=True
        ),
        FunctionSignature(
            "max", ("number", "number"), 2, "number", "max(a, b, ...): the largest of its arguments.", variadic=True
        ),
        FunctionSignature("abs", ("number",), 1, "number", "abs(x): x without its sign."),
        FunctionSignature("sqrt", ("number",), 1, "number", "sqrt(x): the square root of x (0 when x < 0)."),
        FunctionSignature(
            "round",
            ("number",),
            1,
            "number",
            "round(x): x rounded to the nearest whole number (halves away from zero).",
        ),
        FunctionSignature(
            "mean_opinion",
            ("issue", "actor"),
            1,
            "number",
            "mean_opinion(issue[, actor]): population-weighted mean opinion of all groups "
            "(or of one actor's groups) on an issue.",
        ),
        FunctionSignature("fired", ("event",), 1, "condition", "fired(event): true once the event has fired."),
        FunctionSignature(
            "fired_count", ("event",), 1, "number", "fired_count(event): how many times the event has fired."
        ),
        FunctionSignature(
            "turns_since",
            ("event",),
            1,
            "number",
            f"turns_since(event): turns since the event last fired ({NEVER_FIRED_TURNS} if never).",
        ),
        FunctionSignature(
            "chose",
            ("event", "choice"),
            2,
            "condition",
            "chose(event, choice): true if the last decision on the event took that choice.",
        ),
        FunctionSignature(
            "engaged",
            ("obligation",),
            1,
            "condition",
            "engaged(treaty.article): true once the obligation has been engaged.",
        ),
        FunctionSignature(
            "honoured",
            ("obligation",),
            1,
            "condition",
            "honoured(treaty.article): true once the obligation has been honoured.",
        ),
        FunctionSignature(
            "evaded",
            ("obligation",),
            1,
            "condition",
            "evaded(treaty.article): true once the obligation has been evaded.",
        ),
    )
}

# --- parsing -------------------------------------------------------------------------------------

_MONTH_RE = re.compile(r"\b(\d{4})-(\d{2})\b", re.ASCII)
_MONTH_WITH_DAY_RE = re.compile(r"\b(\d{4}-\d{2})-\d{1,2}\b", re.ASCII)
_SHORT_MONTH_RE = re.compile(r"\b(\d{4})-(\d)\b(?!\.)", re.ASCII)
_AS_SPACE = str.maketrans({"\r": " ", "\n": " ", "\t": " ", "\xa0": " ", "\u3000": " "})
_PLACEHOLDER_PREFIX = "_M"  # variable ids start with a lower-case letter, so no clash is possible

_BINARY_OPS: Mapping[type[ast.operator], Literal["+", "-", "*", "/", "%", "**"]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Mod: "%",
    ast.Pow: "**",
}
_FORBIDDEN_BINARY: Mapping[type[ast.operator], tuple[str, str | None]] = {
    ast.FloorDiv: ("//", "use '/' and round()"),
    ast.MatMult: ("@", None),
    ast.BitAnd: ("&", "use 'and'"),
    ast.BitOr: ("|", "use 'or'"),
    ast.BitXor: ("^", "use '**' for powers"),
    ast.LShift: ("<<", None),
    ast.RShift: (">>", None),
}
_COMPARE_OPS: Mapping[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_FORBIDDEN_COMPARE: Mapping[type[ast.cmpop], tuple[str, str]] = {
    ast.Is: ("is", "use '=='"),
    ast.IsNot: ("is not", "use '!='"),
    ast.In: ("in", "compare with '==' and join with 'or'"),
    ast.NotIn: ("not in", "compare with '!=' and join with 'and'"),
}
_FORBIDDEN_NODES: Mapping[type[ast.AST], tuple[str, str | None]] = {
    ast.Subscript: ("indexing with '[ ]' is not allowed in expressions", None),
    ast.List: ("lists are not allowed in expressions", None),
    ast.Tuple: ("a comma is only allowed between a function's arguments", None),
    ast.Set: ("sets are not allowed in expressions", None),
    ast.Dict: ("mappings are not allowed in expressions", None),
    ast.Lambda: ("'lambda' is not allowed in expressions", None),
    ast.ListComp: ("comprehensions are not allowed in expressions", None),
    ast.SetComp: ("comprehensions are not allowed in expressions", None),
    ast.DictComp: ("comprehensions are not allowed in expressions", None),
    ast.GeneratorExp: ("comprehensions are not allowed in expressions", None),
    ast.NamedExpr: ("':=' is not allowed in expressions", "use '==' to compare"),
    ast.Starred: ("'*' unpacking is not allowed in expressions", None),
    ast.JoinedStr: ("text in quotes is not allowed in expressions", None),
    ast.Await: ("'await' is not allowed in expressions", None),
    ast.Yield: ("'yield' is not allowed in expressions", None),
    ast.YieldFrom: ("'yield' is not allowed in expressions", None),
}


class _Reject(Exception):
    """Raised inside the converter; becomes the ExpressionProblem that parse_expression returns."""

    def __init__(self, col: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.problem = ExpressionProblem(col, message, hint)


def parse_expression(source: str | float | int | bool) -> Expr | ExpressionProblem:
    """Parse expression text (or a plain number/boolean from YAML) into an `Expr`.

    Never raises on bad input: the first problem found is returned instead, with its column.
    """
    try:
        return _parse(source)
    except _Reject as reject:
        return reject.problem
    except (RecursionError, MemoryError):
        return ExpressionProblem(1, f"expression is nested too deeply (the limit is {MAX_DEPTH} levels)", None)


def _parse(source: object) -> Expr:
    if isinstance(source, bool):
        return Boolean(source)
    if isinstance(source, int | float):
        return Number(_finite_number(source, 1))
    if not isinstance(source, str):
        raise _Reject(1, f"expected an expression (text or a number), not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise _Reject(1, f"expression is too long: {len(source):,} characters (the limit is {MAX_LENGTH:,})")
    # Newlines (from YAML literal blocks) become spaces, so a long expression may span lines and the
    # column simply counts characters from the start of the text. No-break and ideographic spaces
    # (easy to type with a Japanese input method) are spaces too. Every replacement keeps the length.
    text = source.translate(_AS_SPACE)
    indent = len(text) - len(text.lstrip())
    if not text.strip():
        raise _Reject(1, "the expression is empty")
    months = _replace_months(text)
    replaced = text
    for placeholder, (_, col) in months.items():
        replaced = replaced[: col - 1] + placeholder + replaced[col - 1 + len(placeholder) :]
    parsed_text = replaced[indent:]
    try:
        tree = ast.parse(parsed_text, mode="eval")
    except SyntaxError as error:
        raise _syntax_problem(error, text, indent) from None
    except (ValueError, OverflowError):
        # Null characters, lone surrogates and similar: nothing a modder would type on purpose.
        raise _Reject(1, "the expression contains characters that cannot be read") from None
    converter = _Converter(text, indent, months)
    converter.check_bounds(tree.body)
    return converter.convert(tree.body)


def _finite_number(value: float | int, col: int) -> float:
    try:
        number = float(value)
    except OverflowError:
        raise _Reject(col, "number is too large") from None
    if not math.isfinite(number):
        raise _Reject(col, "number is too large" if not math.isnan(number) else "'nan' is not a number")
    return number


def _replace_months(text: str) -> dict[str, tuple[int, int]]:
    """Find the month literals: placeholder name → (months since year 0, 1-based column)."""
    with_day = _MONTH_WITH_DAY_RE.search(text)
    if with_day:
        raise _Reject(
            with_day.start() + 1,
            f"'{with_day.group(0)}' has a day, but dates in expressions are months: write '{with_day.group(1)}'",
        )
    short = _SHORT_MONTH_RE.search(text)
    if short:
        year, month = short.groups()
        raise _Reject(
            short.start() + 1,
            f"a month needs two digits: write '{year}-{int(month):02d}', not '{short.group(0)}'",
            "put spaces around '-' to subtract",
        )
    months: dict[str, tuple[int, int]] = {}
    for number, match in enumerate(_MONTH_RE.finditer(text)):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise _Reject(
                match.start() + 1,
                f"'{match.group(0)}' is not a month: months go from 01 to 12",
                "write months as YYYY-MM, e.g. 1960-05",
            )
        placeholder = f"{_PLACEHOLDER_PREFIX}{number:05d}"  # 7 characters, like '1960-05'
        months[placeholder] = (month_of(year, month), match.start() + 1)
    return months


def _syntax_problem(error: SyntaxError, text: str, indent: int) -> _Reject:
    message = error.msg or "invalid syntax"
    end = len(text.rstrip())
    offset = error.offset or 0
    col = offset + indent if offset else end + 1
    if message.startswith("leading zeros"):
        return _Reject(col, "numbers cannot start with 0", "write months as YYYY-MM, e.g. 1960-05")
    if message == "too many nested parentheses":
        return _Reject(col, f"expression is nested too deeply (the limit is {MAX_DEPTH} levels)")
    if message == "invalid decimal literal":
        return _Reject(col, "a number runs into a name", "put an operator between them, e.g. '3 * x'")
    if "null bytes" in message:
        return _Reject(1, "the expression contains characters that cannot be read")
    if message.startswith("unterminated"):
        return _Reject(col, "text in quotes is not allowed in expressions", "ids are written without quotes")
    if "invalid syntax" not in message:
        return _Reject(min(col, end + 1), message.rstrip("."))
    if col > end:
        last = re.search(r"([\w.]+|[^\w\s]+)\s*$", text)
        after = last.group(1) if last else text.strip()
        return _Reject(end + 1, f"the expression ends too early, after '{after}'", "something is missing at the end")
    start, token = _token_at(text, col - 1)
    col = start + 1
    hints = {
        "=": ("'=' is not a comparison", "use '==' to compare"),
        "&&": ("'&&' is not an operator", "use 'and'"),
        "||": ("'||' is not an operator", "use 'or'"),
        "!": ("'!' is not an operator", "use 'not', or '!=' to compare"),
        "===": ("'===' is not an operator", "use '=='"),
        "=<": ("'=<' is not an operator", "use '<='"),
        "=>": ("'=>' is not an operator", "use '>='"),
        "<>": ("'<>' is not an operator", "use '!='"),
        "!==": ("'!==' is not an operator", "use '!='"),
        "'": ("text in quotes is not allowed in expressions", "ids are written without quotes"),
        '"': ("text in quotes is not allowed in expressions", "ids are written without quotes"),
    }
    if token in hints:
        return _Reject(col, *hints[token])
    return _Reject(col, f"unexpected '{token}'")


_OPERATOR_CHARS = r"[^\w\s()\[\]{},'\"]"


def _token_at(text: str, index: int) -> tuple[int, str]:
    """The word or run of operator characters at `index` (and where it starts), for 'unexpected ...'."""
    if index >= len(text):
        return index, ""
    char = text[index]
    if char.isalnum() or char == "_":
        match = re.match(r"[\w.]+", text[index:])
    elif char in "'\"":
        return index, char
    else:
        # Python points at the second '&' of '&&': take the whole run of operator characters.
        while index > 0 and re.match(_OPERATOR_CHARS, text[index - 1]):
            index -= 1
        match = re.match(_OPERATOR_CHARS + "+", text[index:])
    return index, match.group(0) if match else char


class _Converter:
    """Walks a Python `ast` tree, accepting only whitelisted nodes, and builds our `Expr` tree."""

    def __init__(self, text: str, indent: int, months: Mapping[str, tuple[int, int]]) -> None:
        self._text = text
        self._indent = indent
        self._months = months
        self._encoded = text[indent:].encode("utf-8", "surrogatepass")

    def col(self, node: ast.expr) -> int:
        """1-based character column of a node (ast gives UTF-8 byte offsets)."""
        prefix = self._encoded[: node.col_offset].decode("utf-8", "replace")
        return self._indent + len(prefix) + 1

    def end_col(self, node: ast.expr) -> int:
        end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        prefix = self._encoded[:end].decode("utf-8", "replace")
        return self._indent + len(prefix) + 1

    def operator_col(self, left: ast.expr, right: ast.expr, symbol: str, fallback: int) -> int:
        """Column of an operator between two operands (ast does not record it)."""
        start, stop = self.end_col(left) - 1, self.col(right) - 1
        found = self._text.find(symbol, start, stop)
        return found + 1 if found >= 0 else fallback

    def check_bounds(self, root: ast.expr) -> None:
        """Refuse trees that are too big or too deep, without recursion (the tree may be very deep)."""
        nodes = 0
        deepest = 0
        stack: list[tuple[ast.expr, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            nodes += 1
            deepest = max(deepest, depth)
            if isinstance(node, ast.Attribute):
                continue  # a dotted name is one node, however many dots it has
            stack.extend((child, depth + 1) for child in _expr_children(node))
        if nodes > MAX_NODES:
            raise _Reject(
                1,
                f"expression is too complex: {nodes:,} parts (the limit is {MAX_NODES})",
                "split it into derived variables",
            )
        if deepest > MAX_DEPTH:
            raise _Reject(
                1,
                f"expression is nested too deeply: {deepest} levels (the limit is {MAX_DEPTH})",
                "split it into derived variables",
            )

    def convert(self, node: ast.expr) -> Expr:
        col = self.col(node)
        match node:
            case ast.Constant(value=value):
                return self._constant(value, col)
            case ast.Name(id=name):
                return self._name(name, col)
            case ast.Attribute():
                return Name(self._dotted(node), col)
            case ast.UnaryOp(op=op, operand=operand):
                return self._unary(op, operand, col)
            case ast.BinOp(left=left, op=op, right=right):
                return self._binary(left, op, right, col)
            case ast.BoolOp(op=op, values=values):
                logic_op: Literal["and", "or"] = "and" if isinstance(op, ast.And) else "or"
                return Logic(logic_op, tuple(self.convert(value) for value in values), col)
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                return self._compare(left, ops, comparators, col)
            case ast.IfExp(test=test, body=body, orelse=orelse):
                return IfElse(self.convert(test), self.convert(body), self.convert(orelse), col)
            case ast.Call():
                return self._call(node, col)
        fallback = (f"'{type(node).__name__}' is not allowed in expressions", None)
        message, hint = _FORBIDDEN_NODES.get(type(node), fallback)
        raise _Reject(col, message, hint)

    def _constant(self, value: object, col: int) -> Expr:
        if isinstance(value, bool):
            return Boolean(value, col)
        if isinstance(value, int | float):
            return Number(_finite_number(value, col), col)
        if isinstance(value, str | bytes):
            raise _Reject(col, "text in quotes is not allowed in expressions", "ids are written without quotes")
        if isinstance(value, complex):
            raise _Reject(col, "complex numbers are not allowed in expressions")
        if value is None:
            raise _Reject(col, "'None' is not a value in expressions", "use 0 or false")
        raise _Reject(col, f"'{self._text[col - 1 : col + 2]}' is not allowed in expressions")

    def _name(self, name: str, col: int) -> Expr:
        if name in self._months and self._months[name][1] == col:
            return Month(self._months[name][0], col)
        if name in ("true", "false"):
            return Boolean(name == "true", col)
        if name.startswith("_"):
            raise _Reject(col, f"names cannot start with '_': '{name}'")
        return Name(name, col)

    def _dotted(self, node: ast.Attribute) -> str:
        parts: list[str] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name) or current.id in self._months:
            dot = self._text.find(".", self.end_col(current) - 1)
            raise _Reject(
                dot + 1 if dot >= 0 else self.col(node),
                f"'.{parts[-1]}' can only follow a name, as in 'opinion.okinawa.bases'",
            )
        parts.append(current.id)
        if any(part.startswith("_") for part in parts):
            raise _Reject(self.col(node), "names cannot start with '_'")
        return ".".join(reversed(parts))

    def _unary(self, op: ast.unaryop, operand: ast.expr, col: int) -> Expr:
        if isinstance(op, ast.Not):
            return Unary("not", self.convert(operand), col)
        if isinstance(op, ast.USub):
            return Unary("-", self.convert(operand), col)
        if isinstance(op, ast.UAdd):
            return Unary("+", self.convert(operand), col)
        raise _Reject(col, "'~' is not allowed in expressions", "use 'not'")

    def _binary(self, left: ast.expr, op: ast.operator, right: ast.expr, col: int) -> Expr:
        symbol = _BINARY_OPS.get(type(op))
        if symbol is None:
            forbidden, hint = _FORBIDDEN_BINARY.get(type(op), (type(op).__name__, None))
            raise _Reject(
                self.operator_col(left, right, forbidden, col), f"'{forbidden}' is not allowed in expressions", hint
            )
        return Binary(symbol, self.convert(left), self.convert(right), col)

    def _compare(self, left: ast.expr, ops: list[ast.cmpop], comparators: list[ast.expr], col: int) -> Expr:
        symbols: list[str] = []
        previous = left
        for op, right in zip(ops, comparators, strict=True):
            symbol = _COMPARE_OPS.get(type(op))
            if symbol is None:
                forbidden, hint = _FORBIDDEN_COMPARE.get(type(op), (type(op).__name__, "use == or !="))
                where = self.operator_col(previous, right, forbidden.split()[0], col)
                raise _Reject(where, f"'{forbidden}' is not allowed in expressions", hint)
            symbols.append(symbol)
            previous = right
        operands = (self.convert(left), *(self.convert(c) for c in comparators))
        return Compare(tuple(symbols), operands, col)

    def _call(self, node: ast.Call, col: int) -> Expr:
        if not isinstance(node.func, ast.Name):
            raise _Reject(col, "only the built-in functions can be called, as in 'clip(x, 0, 1)'")
        name = node.func.id
        signature = FUNCTIONS.get(name)
        if signature is None:
            hint = did_you_mean(name, FUNCTIONS) or "the functions are: " + ", ".join(sorted(FUNCTIONS))
            raise _Reject(col, f"unknown function '{name}'", hint)
        if node.keywords:
            keyword = node.keywords[0]
            raise _Reject(self.col(keyword.value), f"{name}() takes no named arguments", None)
        if not signature.accepts(len(node.args)):
            raise _Reject(
                col,
                f"{name}() takes {signature.arity_text()}, not {len(node.args)}",
                signature.summary,
            )
        args: list[Expr] = []
        for position, arg in enumerate(node.args):
            kind = signature.kind_of(position)
            args.append(self.convert(arg) if kind == "number" else self._ref(arg, kind, name))
        return Call(name, tuple(args), col)

    def _ref(self, node: ast.expr, kind: ParamKind, func: str) -> Ref:
        col = self.col(node)
        if isinstance(node, ast.Name) and node.id not in self._months and not node.id.startswith("_"):
            return Ref(node.id, col)
        if isinstance(node, ast.Attribute):
            return Ref(self._dotted(node), col)
        hint = (
            "ids are written without quotes" if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
        )
        example = "treaty.article" if kind == "obligation" else kind
        raise _Reject(col, f"{func}() expects {_article(kind)} {kind} id here, such as {func}({example})", hint)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _expr_children(node: ast.expr) -> Iterator[ast.expr]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr):
            yield child
        elif isinstance(child, ast.keyword | ast.comprehension):
            yield from (c for c in ast.iter_child_nodes(child) if isinstance(c, ast.expr))


# --- checking ------------------------------------------------------------------------------------


def check_expression(expr: Expr, symbols: Symbols, *, expect: Expect = "any") -> list[ExpressionProblem]:
    """Every problem in a parsed expression against the scenario's names, in column order.

    Checks unknown variables and ids (with did-you-mean hints), ids used where a number is expected,
    numbers used where a condition is expected (`and`, `or`, `not`, `if`), and comparisons of `date`
    with plain numbers. `expect="condition"` also requires the whole expression to be a condition.
    """
    checker = _Checker(symbols)
    value_type = checker.visit(expr)
    if expect == "condition":
        checker.require_condition(expr, value_type, "a condition (true or false) is expected here")
    if expect in ("number", "condition") and isinstance(expr, Ref):
        checker.problems.append(ExpressionProblem(expr.col, f"'{expr.id}' is an id, not a number"))
    return sorted(checker.problems, key=lambda problem: problem.col)


def problems_in(
    source: str | float | int | bool, symbols: Symbols, *, expect: Expect = "any"
) -> list[ExpressionProblem]:
    """Parse and check in one call: an empty list means the expression is fine."""
    parsed = parse_expression(source)
    if isinstance(parsed, ExpressionProblem):
        return [parsed]
    return check_expression(parsed, symbols, expect=expect)


class _Checker:
    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self.problems: list[ExpressionProblem] = []

    def problem(self, col: int, message: str, hint: str | None = None) -> None:
        self.problems.append(ExpressionProblem(col, message, hint))

    def require_condition(self, node: Expr, value_type: ValueType, message: str) -> None:
        # Plain 0 and 1 pass: YAML authors sometimes write them for false and true.
        if value_type == "condition" or (isinstance(node, Number) and node.value in (0.0, 1.0)):
            return
        self.problem(node.col, message + ", but this is a number", "compare it, e.g. 'tension > 50'")

    def visit(self, node: Expr) -> ValueType:
        match node:
            case Number() | Month():
                return "number"
            case Boolean():
                return "condition"
            case Name(id=name):
                self._check_name(name, node.col)
                return "number"
            case Ref(id=name):
                self.problem(node.col, f"'{name}' is an id, not a number")
                return "number"
            case Unary(op=op, operand=operand):
                operand_type = self.visit(operand)
                if op == "not":
                    self.require_condition(operand, operand_type, "'not' needs a condition")
                    return "condition"
                return "number"
            case Binary(left=left, right=right):
                self.visit(left)
                self.visit(right)
                return "number"
            case Compare(operands=operands):
                for operand in operands:
                    self.visit(operand)
                self._check_date_comparison(operands)
                return "condition"
            case Logic(op=op, operands=operands):
                for operand in operands:
                    self.require_condition(operand, self.visit(operand), f"'{op}' joins conditions")
                return "condition"
            case IfElse(cond=cond, then=then, otherwise=otherwise):
                self.require_condition(cond, self.visit(cond), "'if' needs a condition")
                branches = (self.visit(then), self.visit(otherwise))
                return "condition" if branches == ("condition", "condition") else "number"
            case Call():
                return self._check_call(node)
        raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover - programming error

    def _check_name(self, name: str, col: int) -> None:
        if name in self.symbols.variables or name in BUILTIN_NAMES:
            return
        hint = self.symbols.suggestions.hint(name, self.symbols.variables, BUILTIN_NAMES)
        if hint is None:
            if name in self.symbols.events:
                hint = f"'{name}' is an event: use fired({name}) or fired_count({name})"
            elif name in self.symbols.obligations:
                hint = f"'{name}' is an obligation: use engaged({name}), honoured({name}) or evaded({name})"
            elif name in self.symbols.issues:
                hint = f"'{name}' is an issue: use mean_opinion({name})"
            elif name in FUNCTIONS:
                hint = f"'{name}' is a function: {FUNCTIONS[name].summary}"
        self.problem(col, f"unknown variable '{name}'", hint)

    def _check_date_comparison(self, operands: tuple[Expr, ...]) -> None:
        for left, right in itertools.pairwise(operands):
            for mine, other in ((left, right), (right, left)):
                if isinstance(mine, Name) and mine.id == "date" and isinstance(other, Number):
                    self.problem(
                        other.col,
                        "'date' is compared with a plain number",
                        "compare it with a month written YYYY-MM, e.g. 'date >= 1960-05'",
                    )
                if isinstance(mine, Name) and mine.id == "turn" and isinstance(other, Month):
                    self.problem(
                        other.col,
                        "'turn' counts turns from 0 and is compared with a month",
                        "use 'date' to compare with a month",
                    )

    def _check_call(self, node: Call) -> ValueType:
        signature = FUNCTIONS.get(node.func)
        if signature is None:
            self.problem(node.col, f"unknown function '{node.func}'", did_you_mean(node.func, FUNCTIONS))
            return "number"
        if not signature.accepts(len(node.args)):
            self.problem(node.col, f"{node.func}() takes {signature.arity_text()}, not {len(node.args)}")
            return signature.returns
        event: str | None = None
        for position, arg in enumerate(node.args):
            kind = signature.kind_of(position)
            if kind == "number":
                self.visit(arg)
                continue
            if not isinstance(arg, Ref):
                self.problem(arg.col, f"{node.func}() expects {_article(kind)} {kind} id here")
                continue
            self._check_ref(arg, kind, event)
            if kind == "event":
                event = arg.id
        if node.func == "mean_opinion" and len(node.args) == 2:
            self._check_actor_has_opinions(node.args[0], node.args[1])
        return signature.returns

    def _check_ref(self, ref: Ref, kind: ParamKind, event: str | None) -> None:
        known: frozenset[str] | Mapping[str, object]
        if kind == "event":
            known = self.symbols.events
        elif kind == "issue":
            known = self.symbols.issues
        elif kind == "actor":
            known = self.symbols.actors
        elif kind == "obligation":
            known = self.symbols.obligations
        else:  # a choice of the event named just before it
            if event is None or event not in self.symbols.events:
                return  # the unknown event is reported already
            choices = self.symbols.choices.get(event, frozenset())
            if ref.id not in choices:
                self.problem(
                    ref.col,
                    f"event '{event}' has no choice '{ref.id}'",
                    did_you_mean(ref.id, choices) or _listing("its choices", choices),
                )
            return
        if ref.id not in known:
            hint = did_you_mean(ref.id, known) or _listing(f"the {kind}s", known)
            if kind == "obligation" and "." not in ref.id:
                hint = "write an obligation as treaty.article, e.g. " + (min(known) if known else "anpo1960.art5")
            self.problem(ref.col, f"unknown {kind} '{ref.id}'", hint)

    def _check_actor_has_opinions(self, issue: Expr, actor: Expr) -> None:
        if not (isinstance(issue, Ref) and isinstance(actor, Ref)):
            return
        members = self.symbols.issues.get(issue.id)
        if members is None or actor.id not in self.symbols.actors:
            return
        if not any(member.actor == actor.id for member in members):
            self.problem(actor.col, f"no opinion group of actor '{actor.id}' has an opinion on '{issue.id}'")


def _listing(what: str, names: frozenset[str] | Mapping[str, object]) -> str | None:
    if not names:
        return None
    shown = sorted(names)
    more = ", ..." if len(shown) > 8 else ""
    return f"{what}: " + ", ".join(shown[:8]) + more


# --- what an expression reads --------------------------------------------------------------------


def names_used(expr: Expr, *, symbols: Symbols | None = None) -> frozenset[str]:
    """The variable ids an expression reads (built-ins `turn` and `date` excluded).

    `mean_opinion(issue)` reads the opinion variables of that issue; they are listed only when
    `symbols` is given (opinion variables are generated, never derived, so ordering derived
    variables does not need them).
    """
    found: set[str] = set()
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        match node:
            case Name(id=name) if name not in BUILTIN_NAMES:
                found.add(name)
            case Unary(operand=operand):
                stack.append(operand)
            case Binary(left=left, right=right):
                stack.extend((left, right))
            case Compare(operands=operands) | Logic(operands=operands):
                stack.extend(operands)
            case IfElse(cond=cond, then=then, otherwise=otherwise):
                stack.extend((cond, then, otherwise))
            case Call(func="mean_opinion", args=args) if symbols is not None:
                found.update(_opinion_variables(args, symbols))
            case Call(args=args):
                stack.extend(args)
    return frozenset(found)


def _opinion_variables(args: tuple[Expr, ...], symbols: Symbols) -> Iterator[str]:
    if not args or not isinstance(args[0], Ref):
        return
    actor = args[1].id if len(args) > 1 and isinstance(args[1], Ref) else None
    for member in symbols.issues.get(args[0].id, ()):
        if actor is None or member.actor == actor:
            yield member.variable
