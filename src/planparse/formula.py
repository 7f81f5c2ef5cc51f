"""Safe arithmetic for the formulas plans write inside score bands.

Plans say things like "Tỷ lệ % số hồ sơ x 10 / 30%": the extractor stores that as
`rate*10/0.3` and the scorer evaluates it for every unit.  We never hand such text to
`eval`: this module tokenizes it and parses it with a small recursive-descent parser into
a tree of closures over `Decimal`, so that values sitting exactly on an edge compute as the
plan says (0.3*10/0.3 is 10, not 9.999…).

Grammar (whitespace ignored)::

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('+' | '-') unary | atom
    atom   := NUMBER ['%'] | NAME | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
    FUNC   := 'min' | 'max'

Numbers take a decimal point or a decimal comma (`0,5`); `30%` means 0.3; `x`, `×`
multiply, `÷`, `:` divide, `−` (U+2212) subtracts.  The only names are the variables the
caller allows (by default `rate`, the unit's value as a fraction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from planparse.errors import DefinitionError

DEFAULT_VARIABLES = frozenset({"rate"})
_FUNCTIONS = {"min": min, "max": max}

Evaluator = Callable[[Mapping[str, Decimal]], Decimal]


class FormulaError(DefinitionError):
    """A formula cannot be parsed or evaluated; the message shows where."""


@dataclass(frozen=True)
class _Token:
    kind: str  # num, name, op, lparen, rparen, comma, end
    text: str
    pos: int
    value: Decimal | None = None


_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<num>\d+(?:[.,]\d+)?%?|[.,]\d+%?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>[-+*/×x÷:−])
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>;)
    """,
    re.VERBOSE,
)

_OP_ALIASES = {"×": "*", "x": "*", "÷": "/", ":": "/", "−": "-"}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        # A comma between two expressions separates min/max arguments; inside a number it
        # is a decimal comma ("0,5").  The number pattern is tried first, so "min(rate, 1)"
        # (comma then space) still separates.
        if text[pos] == ",":
            tokens.append(_Token("comma", ",", pos))
            pos += 1
            continue
        match = _TOKEN_RE.match(text, pos)
        if not match:
            raise FormulaError(f"unexpected character {text[pos]!r} at position {pos + 1} in formula {text!r}")
        kind = match.lastgroup or ""
        raw = match.group()
        if kind == "name" and raw == "x":
            kind = "op"
        if kind == "num":
            number = raw.rstrip("%").replace(",", ".")
            value = Decimal(number)
            if raw.endswith("%"):
                value = value / 100
            tokens.append(_Token("num", raw, pos, value))
        elif kind == "op":
            tokens.append(_Token("op", _OP_ALIASES.get(raw, raw), pos))
        elif kind != "space":
            tokens.append(_Token(kind, raw, pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


@dataclass
class _Parser:
    text: str
    tokens: list[_Token]
    allowed: frozenset[str]
    index: int = 0
    names: set[str] = field(default_factory=set)

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, token: _Token, expected: str) -> FormulaError:
        found = repr(token.text) if token.kind != "end" else "the end"
        return FormulaError(f"expected {expected} but found {found} at position {token.pos + 1} in formula {self.text!r}")

    def expect(self, kind: str, expected: str) -> _Token:
        token = self.take()
        if token.kind != kind:
            raise self.fail(token, expected)
        return token

    def expr(self) -> Evaluator:
        left = self.term()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            right = self.term()
            left = _binary(op, left, right, self.text)
        return left

    def term(self) -> Evaluator:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in "*/":
            op = self.take().text
            right = self.unary()
            left = _binary(op, left, right, self.text)
        return left

    def unary(self) -> Evaluator:
        token = self.peek()
        if token.kind == "op" and token.text in "+-":
            self.take()
            inner = self.unary()
            return inner if token.text == "+" else (lambda env, f=inner: -f(env))
        return self.atom()

    def atom(self) -> Evaluator:
        token = self.take()
        if token.kind == "num":
            value = token.value
            return lambda env, v=value: v
        if token.kind == "lparen":
            inner = self.expr()
            self.expect("rparen", "')'")
            return inner
        if token.kind == "name":
            name = token.text.lower()
            if name in _FUNCTIONS:
                self.expect("lparen", f"'(' after {name}")
                args = [self.expr()]
                while self.peek().kind == "comma":
                    self.take()
                    args.append(self.expr())
                self.expect("rparen", "')' or ','")
                func = _FUNCTIONS[name]
                return lambda env, fs=tuple(args), fn=func: fn(f(env) for f in fs)
            if name not in self.allowed:
                allowed = ", ".join(sorted(self.allowed)) or "none"
                raise FormulaError(
                    f"unknown name {token.text!r} at position {token.pos + 1} in formula {self.text!r} "
                    f"(allowed: {allowed}, min, max)"
                )
            self.names.add(name)
            return lambda env, n=name: env[n]
        raise self.fail(token, "a number, a name or '('")


def _binary(op: str, left: Evaluator, right: Evaluator, text: str) -> Evaluator:
    if op == "+":
        return lambda env: left(env) + right(env)
    if op == "-":
        return lambda env: left(env) - right(env)
    if op == "*":
        return lambda env: left(env) * right(env)

    def divide(env: Mapping[str, Decimal]) -> Decimal:
        denominator = right(env)
        if denominator == 0:
            raise FormulaError(f"division by zero in formula {text!r}")
        return left(env) / denominator

    return divide


@dataclass(frozen=True)
class Formula:
    """A parsed formula: call `evaluate(rate=…)` as often as needed."""

    text: str
    variables: frozenset[str]
    _run: Evaluator = field(repr=False, compare=False)

    def evaluate(self, env: Mapping[str, Decimal] | None = None, **values: Decimal) -> Decimal:
        scope = dict(env or {})
        scope.update(values)
        missing = self.variables - scope.keys()
        if missing:
            raise FormulaError(f"formula {self.text!r} needs a value for {', '.join(sorted(missing))}")
        try:
            return self._run(scope)
        except (InvalidOperation, DivisionByZero) as exc:
            raise FormulaError(f"formula {self.text!r} cannot be computed: {exc}") from None

    def __call__(self, rate: Decimal) -> Decimal:
        """Fast path for the scorer: the one variable `rate`."""
        return self._run({"rate": rate})


@lru_cache(maxsize=512)
def _parse_cached(text: str, allowed: frozenset[str]) -> Formula:
    if not text or not text.strip():
        raise FormulaError("the formula is empty")
    parser = _Parser(text, _tokenize(text), allowed)
    run = parser.expr()
    if parser.peek().kind != "end":
        raise parser.fail(parser.peek(), "an operator or the end")
    return Formula(text, frozenset(parser.names), run)


def parse_formula(text: str, variables: Iterable[str] = DEFAULT_VARIABLES) -> Formula:
    """Parse `text` or raise FormulaError saying where it went wrong."""
    return _parse_cached(text, frozenset(v.lower() for v in variables))


def formula_problem(text: str, variables: Iterable[str] = DEFAULT_VARIABLES) -> str | None:
    """None when `text` is a valid formula, else the reason (for the extractor's checks)."""
    try:
        parse_formula(text, variables)
    except FormulaError as exc:
        return str(exc)
    return None


def evaluate(text: str, **values: Decimal | int | float | str) -> Decimal:
    """Parse and evaluate in one call; numbers are converted through `str` to stay exact."""
    env = {k.lower(): v if isinstance(v, Decimal) else Decimal(str(v)) for k, v in values.items()}
    return parse_formula(text, env.keys() | DEFAULT_VARIABLES).evaluate(env)
