"""The safe formula grammar: exact Decimal arithmetic, clear errors, never eval."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.formula import FormulaError, evaluate, formula_problem, parse_formula


@pytest.mark.parametrize(
    ("text", "rate", "expected"),
    [
        ("rate*10/0.3", "0.3", "10"),  # on the band's upper edge: exactly 10, not 9.999…
        ("rate*10/0.5", "0.4", "8"),
        ("rate x 10 / 30%", "0.15", "5"),  # as plans write it: x, a percentage
        ("rate × 60", "0.75", "45"),
        ("rate ÷ 2", "1", "0.5"),
        ("rate*0,5", "2", "1"),  # decimal comma
        ("min(rate*60, 60)", "1.2", "60"),
        ("max(0; 2 - rate)", "3", "0"),
        ("-(1 + 2) * 3", "0", "-9"),
        ("2 + 3 * 4", "0", "14"),
        ("(2 + 3) * 4", "0", "20"),
        ("10 − rate", "4", "6"),  # U+2212 minus
        ("+rate", "7", "7"),
    ],
)
def test_evaluates_like_the_plan(text: str, rate: str, expected: str) -> None:
    assert evaluate(text, rate=rate) == Decimal(expected)


def test_fast_call_and_variables() -> None:
    f = parse_formula("rate*40")
    assert f(Decimal("0.9")) == Decimal("36")
    assert f.variables == {"rate"}
    assert parse_formula("2*3").variables == frozenset()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("rate*", "position 6"),
        ("foo+1", "unknown name 'foo'"),
        ("(1", "expected ')'"),
        ("rate rate", "position 6"),
        ("", "empty"),
        ("__import__", "unknown name"),
        ("open('x')", "unexpected character"),
        ("rate ** 2", "position 7"),
        ("rate; 1", "expected an operator"),
        ("min(rate", "')' or ','"),
        ("2 $ 3", "unexpected character '$'"),
    ],
)
def test_errors_say_where(text: str, fragment: str) -> None:
    problem = formula_problem(text)
    assert problem is not None and fragment in problem


def test_division_by_zero_is_a_formula_error() -> None:
    with pytest.raises(FormulaError, match="division by zero"):
        evaluate("rate/(rate-1)", rate=1)


def test_missing_variable() -> None:
    with pytest.raises(FormulaError, match="needs a value for rate"):
        parse_formula("rate*2").evaluate()


def test_no_eval_anywhere() -> None:
    import ast
    import inspect

    import planparse.formula as module

    tree = ast.parse(inspect.getsource(module))
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert not called & {"eval", "exec", "compile"}


# --- properties -----------------------------------------------------------------------------

numbers = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def expressions(draw, depth: int = 3):
    """A random expression as text, with its exact value as a Fraction (None when undefined)."""
    if depth == 0 or draw(st.booleans()):
        n = draw(numbers)
        return (f"({n})" if n < 0 else str(n)), Fraction(n)
    op = draw(st.sampled_from("+-*/"))
    left_text, left = draw(expressions(depth=depth - 1))
    right_text, right = draw(expressions(depth=depth - 1))
    if left is None or right is None:
        value = None
    elif op == "+":
        value = left + right
    elif op == "-":
        value = left - right
    elif op == "*":
        value = left * right
    else:
        value = None if right == 0 else left / right
    return f"({left_text} {op} {right_text})", value


@settings(max_examples=200, deadline=None)
@given(expressions())
def test_matches_exact_rational_arithmetic(case) -> None:
    text, value = case
    if value is None:
        with pytest.raises(FormulaError):
            evaluate(text)
        return
    got = evaluate(text)
    # Decimal divides to 28 significant digits; everything else is exact.
    assert abs(Fraction(got) - value) <= abs(value) * Fraction(1, 10**20) + Fraction(1, 10**20)


@given(numbers)
def test_numbers_read_back_exactly(n: Decimal) -> None:
    text = f"({n})" if n < 0 else str(n)
    assert evaluate(text) == n
    assert evaluate(text.replace(".", ",")) == n
