"""The expression language's parser and checker: good expressions, bad ones with their messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.scenario.expressions import (
    FUNCTIONS,
    MAX_LENGTH,
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
    check_expression,
    names_used,
    parse_expression,
    problems_in,
)
from game.scenario.symbols import IssueMember, Symbols

DOCS = Path(__file__).resolve().parents[2] / "docs" / "expressions.md"

SYMBOLS = Symbols(
    variables=frozenset(
        {
            "tension",
            "us.credibility",
            "lever.defense_budget",
            "opinion.okinawa.bases",
            "opinion.okinawa.government",
            "opinion.mainland.bases",
            "opinion.congress.bases",
        }
    ),
    events=frozenset({"senkaku_collision", "lower_house_vote"}),
    choices={
        "senkaku_collision": frozenset({"protest", "ignore"}),
        "lower_house_vote": frozenset({"force_the_vote", "postpone"}),
    },
    actors=frozenset({"japan", "us", "china"}),
    roles=frozenset({"japan_pm", "us_president"}),
    obligations=frozenset({"anpo1960.art5", "anpo1960.art6"}),
    issues={
        "bases": (
            IssueMember("opinion.okinawa.bases", 0.1, "japan"),
            IssueMember("opinion.mainland.bases", 0.9, "japan"),
            IssueMember("opinion.congress.bases", 1.0, "us"),
        ),
        "government": (IssueMember("opinion.okinawa.government", 1.0, "japan"),),
    },
)


def parsed(source: str | float | int | bool) -> Expr:
    result = parse_expression(source)
    assert not isinstance(result, ExpressionProblem), result
    return result


# --- good expressions: the tree they give (equality ignores columns) ------------------------------

GOOD = [
    ("0.3", Number(0.3)),
    (0.3, Number(0.3)),
    (60, Number(60.0)),
    (True, Boolean(True)),
    ("true", Boolean(True)),
    ("False", Boolean(False)),
    ("tension", Name("tension")),
    ("opinion.okinawa.bases", Name("opinion.okinawa.bases")),
    ("date >= 1960-05", Compare((">=",), (Name("date"), Month(1960 * 12 + 4)))),
    ("1960-01", Month(1960 * 12)),
    ("-tension", Unary("-", Name("tension"))),
    ("not fired(senkaku_collision)", Unary("not", Call("fired", (Ref("senkaku_collision"),)))),
    ("1 + 2 * 3", Binary("+", Number(1), Binary("*", Number(2), Number(3)))),
    ("2 ** 3 % 5", Binary("%", Binary("**", Number(2), Number(3)), Number(5))),
    ("0 < tension <= 50", Compare(("<", "<="), (Number(0), Name("tension"), Number(50)))),
    (
        "tension > 60 and opinion.okinawa.bases < 30",
        Logic(
            "and",
            (
                Compare((">",), (Name("tension"), Number(60))),
                Compare(("<",), (Name("opinion.okinawa.bases"), Number(30))),
            ),
        ),
    ),
    ("true or false or true", Logic("or", (Boolean(True), Boolean(False), Boolean(True)))),
    ("1 if fired(lower_house_vote) else 2", IfElse(Call("fired", (Ref("lower_house_vote"),)), Number(1), Number(2))),
    (
        "clip(0.1 + 0.02 * (tension - 50), 0, 0.9)",
        Call(
            "clip",
            (
                Binary("+", Number(0.1), Binary("*", Number(0.02), Binary("-", Name("tension"), Number(50)))),
                Number(0),
                Number(0.9),
            ),
        ),
    ),
    ("min(1, 2, 3)", Call("min", (Number(1), Number(2), Number(3)))),
    ("chose(lower_house_vote, postpone)", Call("chose", (Ref("lower_house_vote"), Ref("postpone")))),
    ("engaged(anpo1960.art5)", Call("engaged", (Ref("anpo1960.art5"),))),
    ("mean_opinion(bases, japan)", Call("mean_opinion", (Ref("bases"), Ref("japan")))),
    ("  tension\n  > 5", Compare((">",), (Name("tension"), Number(5)))),
    ("\u3000tension\u3000>\xa05", Compare((">",), (Name("tension"), Number(5)))),
]


@pytest.mark.parametrize(("source", "tree"), GOOD, ids=[repr(source) for source, _ in GOOD])
def test_good_expressions_parse_to_the_expected_tree(source: str | float, tree: Expr) -> None:
    assert parsed(source) == tree


@pytest.mark.parametrize("source", [source for source, _ in GOOD], ids=[repr(source) for source, _ in GOOD])
def test_good_expressions_check_clean(source: str | float) -> None:
    assert problems_in(source, SYMBOLS) == []


def test_columns_point_at_each_node() -> None:
    tree = parsed("tension > 60 and opinion.okinawa.bases < 30")
    assert isinstance(tree, Logic)
    first, second = tree.operands
    assert isinstance(first, Compare) and isinstance(second, Compare)
    assert [first.col, *(o.col for o in first.operands)] == [1, 1, 11]
    assert [second.col, *(o.col for o in second.operands)] == [18, 18, 42]


def test_month_literal_keeps_the_columns_after_it() -> None:
    tree = parsed("date >= 1960-05 and tension")
    assert isinstance(tree, Logic)
    assert tree.operands[1].col == 21


def test_columns_count_characters_not_bytes() -> None:
    problem = problems_in("min(1, 2) + tensión", SYMBOLS)
    assert [(p.col, p.message) for p in problem] == [(13, "unknown variable 'tensión'")]


# --- bad expressions: the problem they must produce ----------------------------------------------

BAD = [
    # (source, column, message pattern, hint pattern or None)
    ("1 +", 4, r"^the expression ends too early, after '\+'$", "missing"),
    ("tension > 60 and", 17, r"ends too early, after 'and'", None),
    ("date >= 1960-13", 9, r"^'1960-13' is not a month: months go from 01 to 12$", "YYYY-MM"),
    ("date >= 1960-00", 9, r"'1960-00' is not a month", None),
    ("date >= 1960-5", 9, r"^a month needs two digits: write '1960-05', not '1960-5'$", None),
    ("date >= 1960-05-01", 9, r"^'1960-05-01' has a day, but dates in expressions are months: write '1960-05'$", None),
    ("tension > 05", 11, r"^numbers cannot start with 0$", "YYYY-MM"),
    ("firde(senkaku_collision)", 1, r"^unknown function 'firde'$", r"did you mean 'fired'\?"),
    ("tension + __import__('os')", 11, r"^unknown function '__import__'$", "the functions are: abs, chose"),
    ("clip(tension, 0)", 1, r"^clip\(\) takes 3 arguments, not 2$", r"clip\(x, lo, hi\)"),
    ("1 + abs()", 5, r"^abs\(\) takes 1 argument, not 0$", None),
    ("max(tension)", 1, r"^max\(\) takes at least 2 arguments, not 1$", None),
    ("mean_opinion(bases, japan, us)", 1, r"^mean_opinion\(\) takes 1 to 2 arguments, not 3$", None),
    ("clip(tension, lo=0, hi=1)", 18, r"^clip\(\) takes no named arguments$", None),
    ("fired(senkaku_collision).count", 25, r"^'\.count' can only follow a name", None),
    ("(tension + 1).real", 14, r"^'\.real' can only follow a name", None),
    ("tension.__class__", 1, r"^names cannot start with '_'$", None),
    ("_private", 1, r"^names cannot start with '_'", None),
    ("lambda: 1", 1, r"^'lambda' is not allowed in expressions$", None),
    ("tension[0]", 1, r"^indexing with '\[ \]' is not allowed", None),
    ("[tension]", 1, r"^lists are not allowed", None),
    ("{1: 2}", 1, r"^mappings are not allowed", None),
    ("tension, 1", 1, r"^a comma is only allowed between a function's arguments$", None),
    ("'tension'", 1, r"^text in quotes is not allowed in expressions$", "without quotes"),
    ('"abc', 1, r"^text in quotes is not allowed", None),
    ("fired('senkaku_collision')", 7, r"^fired\(\) expects an event id here", "without quotes"),
    ("fired(1 + 2)", 7, r"^fired\(\) expects an event id here, such as fired\(event\)$", None),
    ("engaged(3)", 9, r"^engaged\(\) expects an obligation id here, such as engaged\(treaty\.article\)$", None),
    ("tension // 2", 9, r"^'//' is not allowed in expressions$", "use '/'"),
    ("tension > 1 & tension < 5", 13, r"^'&' is not allowed", "use 'and'"),
    ("tension ^ 2", 9, r"^'\^' is not allowed", r"use '\*\*'"),
    ("~tension", 1, r"^'~' is not allowed", "use 'not'"),
    ("tension is 1", 9, r"^'is' is not allowed", "use '=='"),
    ("tension not in 1", 9, r"^'not in' is not allowed", None),
    ("tension = 1", 9, r"^'=' is not a comparison$", "use '=='"),
    ("tension && 1", 9, r"^'&&' is not an operator$", "use 'and'"),
    ("tension =< 1", 9, r"^'=<' is not an operator$", "use '<='"),
    ("tension 1", 9, r"^unexpected '1'$", None),
    ("(tension + 1", 1, r"'\(' was never closed", None),
    ("tension + 1)", 12, r"unmatched '\)'", None),
    ("3tension", 1, r"^a number runs into a name$", r"3 \* x"),
    ("1 if tension", 1, r"expected 'else'", None),
    ("None", 1, r"^'None' is not a value", None),
    ("2j", 1, r"^complex numbers are not allowed", None),
    ("(x := 1)", 2, r"^':=' is not allowed in expressions$", "use '=='"),
    ("[x for x in y]", 1, r"^comprehensions are not allowed", None),
    ("(x for x in y)", 1, r"^comprehensions are not allowed", None),
    ("f'{tension}'", 1, r"^text in quotes is not allowed", None),
    ("1e999", 1, r"^number is too large$", None),
    (float("nan"), 1, r"^'nan' is not a number$", None),
    (10**400, 1, r"^number is too large$", None),
    ("", 1, r"^the expression is empty$", None),
    ("   ", 1, r"^the expression is empty$", None),
    ("tension\x00", 1, r"cannot be read", None),
    ("\ud800", 1, r"cannot be read", None),
    ("x" * 2345, 1, r"^expression is too long: 2,345 characters \(the limit is 2,000\)$", None),
    ("+".join(["tension"] * 120), 1, r"^expression is too complex: 239 parts \(the limit is 200\)$", "derived"),
    ("-" * 40 + "tension", 1, r"^expression is nested too deeply: 41 levels \(the limit is 32\)$", "derived"),
    ("(" * 250 + "1" + ")" * 250, 1, r"nested too deeply", None),
    # Python's own parser may run out of recursion first on this one, depending on the stack depth.
    ("-" * 1500 + "1", 1, r"^expression is (too complex|nested too deeply)", None),
]


@pytest.mark.parametrize(("source", "col", "message", "hint"), BAD, ids=[repr(row[0])[:40] for row in BAD])
def test_bad_expressions_give_a_clear_problem(
    source: str | float | int, col: int, message: str, hint: str | None
) -> None:
    problem = parse_expression(source)
    assert isinstance(problem, ExpressionProblem), problem
    assert re.search(message, problem.message), problem
    if hint is not None:
        assert problem.hint is not None and re.search(hint, problem.hint), problem
    if col > 1 or "nested" not in message:
        assert problem.col == col, problem


# --- checking against the scenario's names ------------------------------------------------------

CHECKS = [
    # (source, expect, [(col, message, hint pattern or None)])
    (
        "tension > 60 and opinion.okinawa.base < 30",
        "any",
        [(18, "unknown variable 'opinion.okinawa.base'", r"^did you mean 'opinion\.okinawa\.bases'\?$")],
    ),
    ("tensoin + us.credibilty", "any", [(1, "unknown variable 'tensoin'", "tension"), (11, None, "us.credibility")]),
    ("senkaku_collision > 0", "any", [(1, "unknown variable 'senkaku_collision'", r"is an event: use fired\(")]),
    ("fired(senkaku_colision)", "any", [(7, "unknown event 'senkaku_colision'", "did you mean 'senkaku_collision'")]),
    ("fired(zzz)", "any", [(7, "unknown event 'zzz'", "the events: lower_house_vote, senkaku_collision")]),
    ("fired(tension)", "any", [(7, "unknown event 'tension'", None)]),
    (
        "chose(lower_house_vote, force_vote)",
        "any",
        [(25, "event 'lower_house_vote' has no choice 'force_vote'", "did you mean 'force_the_vote'")],
    ),
    ("chose(no_such_event, x)", "any", [(7, "unknown event 'no_such_event'", None)]),
    ("honoured(anpo1960.art7)", "any", [(10, "unknown obligation 'anpo1960.art7'", "anpo1960.art")]),
    ("evaded(art5)", "any", [(8, "unknown obligation 'art5'", "treaty.article")]),
    ("mean_opinion(base)", "any", [(14, "unknown issue 'base'", "did you mean 'bases'")]),
    ("mean_opinion(bases, japna)", "any", [(21, "unknown actor 'japna'", "did you mean 'japan'")]),
    ("mean_opinion(bases, china)", "any", [(21, "no opinion group of actor 'china' has an opinion on 'bases'", None)]),
    ("tension", "condition", [(1, "a condition (true or false) is expected here, but this is a number", "compare")]),
    ("tension + 1 and fired(senkaku_collision)", "any", [(1, "'and' joins conditions, but this is a number", None)]),
    ("not tension", "any", [(5, "'not' needs a condition, but this is a number", None)]),
    ("1 if tension else 2", "any", [(6, "'if' needs a condition, but this is a number", None)]),
    ("date >= 1960", "any", [(9, "'date' is compared with a plain number", "1960-05")]),
    ("turn < 1960-05", "any", [(8, "'turn' counts turns from 0 and is compared with a month", "date")]),
    # Fine: booleans are numbers, 0/1 stand for false/true, conditions may be used where numbers are.
    ("fired(senkaku_collision) + 1", "number", []),
    ("fired(senkaku_collision) * 0.5 + fired_count(lower_house_vote)", "number", []),
    ("tension > 5", "number", []),
    (1, "condition", []),
    (0, "condition", []),
    (True, "condition", []),
    ("turns_since(lower_house_vote) > 4 and turn >= 2", "condition", []),
    ("mean_opinion(government) - mean_opinion(bases, us)", "number", []),
    ("1 if date < 1960-06 else 0.5", "number", []),
    ("fired(senkaku_collision) if tension > 2 else honoured(anpo1960.art5)", "condition", []),
]


@pytest.mark.parametrize(("source", "expect", "expected"), CHECKS, ids=[repr(row[0])[:50] for row in CHECKS])
def test_check_reports_unknown_names_and_type_errors(
    source: str | int, expect: str, expected: list[tuple[int, str | None, str | None]]
) -> None:
    problems = problems_in(source, SYMBOLS, expect=expect)  # type: ignore[arg-type]
    assert len(problems) == len(expected), problems
    for problem, (col, message, hint) in zip(problems, expected, strict=True):
        assert problem.col == col, problem
        if message is not None:
            assert problem.message == message, problem
        if hint is not None:
            assert problem.hint is not None and re.search(hint, problem.hint), problem


def test_check_collects_every_problem_in_column_order() -> None:
    problems = problems_in("fired(x) and tensoin > 1 and chose(y, z) and not lever.defence", SYMBOLS)
    assert [p.col for p in problems] == [7, 14, 36, 50, 50]  # 'not' needs a condition; unknown variable


def test_a_ref_built_by_hand_in_a_number_position_is_reported() -> None:
    expr = Binary("+", Ref("senkaku_collision", col=1), Number(1, col=21))
    problems = check_expression(expr, SYMBOLS, expect="number")
    assert [p.message for p in problems] == ["'senkaku_collision' is an id, not a number"]


def test_parse_problems_come_through_problems_in() -> None:
    assert problems_in("1 +", SYMBOLS) == [parse_expression("1 +")]


# --- names used ---------------------------------------------------------------------------------


def test_names_used_lists_variables_but_not_builtins_or_ids() -> None:
    tree = parsed("tension > 1 and date > 1960-01 and turn > 2 and fired(senkaku_collision) or -us.credibility < 0")
    assert names_used(tree) == {"tension", "us.credibility"}


def test_names_used_looks_inside_every_kind_of_node() -> None:
    tree = parsed("clip(a, b, c) if not d else (e ** f if 0 < g < h else i)")
    assert names_used(tree) == set("abcdefghi")


def test_names_used_expands_mean_opinion_when_given_the_symbols() -> None:
    tree = parsed("mean_opinion(bases, japan) + tension")
    assert names_used(tree) == {"tension"}
    assert names_used(tree, symbols=SYMBOLS) == {"tension", "opinion.okinawa.bases", "opinion.mainland.bases"}


# --- robustness and documentation ---------------------------------------------------------------

EXPRESSION_ALPHABET = "abcdefghijklmnopqrstuvwxyz_.0123456789 +-*/%<>=!()[]{},:'\"~^&|@#\\\n\t"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_LENGTH + 20))
def test_parse_expression_never_raises_on_arbitrary_text(text: str) -> None:
    result = parse_expression(text)
    assert isinstance(result, ExpressionProblem) or hasattr(result, "col")
    if isinstance(result, ExpressionProblem):
        assert result.col >= 1 and result.message


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=EXPRESSION_ALPHABET, max_size=120))
def test_parse_and_check_never_raise_on_expression_like_text(text: str) -> None:
    result = parse_expression(text)
    if isinstance(result, ExpressionProblem):
        assert 1 <= result.col <= len(text) + 1, (text, result)
    else:
        check_expression(result, SYMBOLS, expect="condition")
        names_used(result, symbols=SYMBOLS)


def test_every_function_is_documented_for_modders() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in FUNCTIONS:
        assert f"`{name}(" in text, f"docs/expressions.md does not document {name}()"
    assert "x / 0" in text  # the division rule is part of the language


EXPRESSION_KEYS = frozenset({"when", "chance", "weight", "trigger", "available", "amount", "derived"})
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def expressions_in(node: object) -> list[str | float | int | bool]:
    """Every value under an expression key of a YAML document."""
    found: list[str | float | int | bool] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in EXPRESSION_KEYS and isinstance(value, str | float | int | bool):
                found.append(value)
            else:
                found.extend(expressions_in(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(expressions_in(item))
    return found


@pytest.mark.parametrize("path", sorted(SCENARIOS.rglob("*.yaml")), ids=lambda path: path.name)
def test_every_expression_in_the_shipped_scenarios_parses(path: Path) -> None:
    found = expressions_in(yaml.safe_load(path.read_text(encoding="utf-8")))
    problems = [(source, parse_expression(source)) for source in found]
    assert [(source, p) for source, p in problems if isinstance(p, ExpressionProblem)] == []
