"""Tropical polynomials and rational functions written as text, parsed exactly (no eval).

The grammar is the one the library prints (``str`` of a polynomial or of a
rational function), so printing and parsing round-trip:

* an **affine term** is a sum of a constant and multiples of the variables
  ``x0``, ``x1``, …: ``-3/4 + 1/2*x0 - x1``, ``2*x0 + 0.5``, ``x1*3`` (numbers
  are integers, fractions ``p/q`` or decimals, read exactly);
* a **polynomial** is ``max(t1, t2, …)`` of affine terms, one affine term
  (parentheses allowed), or ``-inf`` (the tropical zero);
* a **rational function** is ``P - Q`` with P and Q polynomials, or P alone
  (Q = 0).  An affine P takes every ``+``/``-`` term that follows it up to a
  ``max(`` or a ``(``, so ``x0 - x1`` is the one-term polynomial x0 − x1 over Q = 0
  (the same function as x0 ⊘ x1), and ``x0 - (1 + x1)`` is x0 ⊘ (1 + x1), which is
  how such a function prints.

The number of variables is 1 + the largest index used, unless given.

Examples
--------
>>> f = parse_polynomial("max(0, x0 + 1, 2*x0 - x1)")
>>> print(f)
max(0, 1 + x0, 2*x0 - x1)
>>> f.nvars
2
>>> r = parse_rational("max(0, x0 + 1, 2*x0 - x1) - max(0, x1)")
>>> r([1, 3])
mpq(-1,1)
>>> parse_polynomial(str(f)) == f
True
>>> parse_polynomial("max(0, x0 +)")
Traceback (most recent call last):
...
tropexact.errors.InputError: expression: column 12: expected a number or a variable x0, x1, ...
"""

from __future__ import annotations

import re
from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, parse_number

from .polynomial import TropicalPolynomial
from .rational import TropicalRationalFunction

__all__ = ["parse_polynomial", "parse_rational", "MAX_EXPRESSION_LENGTH"]

#: The longest expression read (characters).
MAX_EXPRESSION_LENGTH = 1_000_000

_TOKEN = re.compile(r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)"
                    r"|(?P<var>x\d+)|(?P<word>[A-Za-z_]\w*)|(?P<op>[-+*(),]))")


class _Parser:
    """A recursive-descent parser over the tokens of one expression."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise InputError(f"expected a string, got {type(text).__name__}", where="expression")
        if len(text) > MAX_EXPRESSION_LENGTH:
            raise InputError(f"{len(text)} characters, more than {MAX_EXPRESSION_LENGTH}",
                             where="expression")
        self.text, self.tokens = text, []
        pos = 0
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos == len(text):
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                self.fail(pos, f"unexpected character {text[pos]!r}")
            kind = m.lastgroup
            self.tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        self.i = 0
        self.top = -1

    def fail(self, pos: int, why: str) -> None:
        raise InputError(f"column {pos + 1}: {why}", where="expression")

    def peek(self) -> tuple:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", len(self.text))

    def take(self, value: str, why: str) -> None:
        kind, v, pos = self.peek()
        if v != value or kind not in ("op", "word"):
            self.fail(pos, why)
        self.i += 1

    def _factor(self) -> tuple:
        """(coefficient, variable index or None) of one product."""
        kind, v, pos = self.peek()
        if kind == "num":
            self.i += 1
            c = _number(v, pos, self)
            if self.peek()[1] == "*":
                self.i += 1
                k2, v2, p2 = self.peek()
                if k2 != "var":
                    self.fail(p2, "expected a variable x0, x1, ... after '*'")
                self.i += 1
                return c, self._var(v2)
            return c, None
        if kind == "var":
            self.i += 1
            j = self._var(v)
            if self.peek()[1] == "*":
                self.i += 1
                k2, v2, p2 = self.peek()
                if k2 != "num":
                    self.fail(p2, "expected a number after '*'")
                self.i += 1
                return _number(v2, p2, self), j
            return Q(1), j
        self.fail(pos, "expected a number or a variable x0, x1, ...")
        return Q(0), None

    def _var(self, v: str) -> int:
        j = int(v[1:])
        self.top = max(self.top, j)
        return j

    def affine(self, greedy: bool = True) -> dict:
        """An affine term as {None: constant, j: coefficient}; with *greedy*, it takes every
        following ``+``/``-`` term that is not a ``max(``."""
        out: dict = {}
        sign = Q(1)
        if self.peek()[1] in "+-" and self.peek()[0] == "op":
            sign = Q(-1) if self.peek()[1] == "-" else Q(1)
            self.i += 1
        while True:
            c, j = self._factor()
            out[j] = out.get(j, Q(0)) + sign * c
            kind, v, _ = self.peek()
            nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
            if kind != "op" or v not in "+-" or not greedy or \
                    (nxt is not None and (nxt[0] == "word" or nxt[1] == "(")):
                return out
            sign = Q(-1) if v == "-" else Q(1)
            self.i += 1

    def polynomial(self) -> list:
        """The terms of ``max(...)``, one affine term, or ``-inf`` (no term)."""
        kind, v, pos = self.peek()
        if kind == "op" and v == "-" and self.i + 1 < len(self.tokens) and \
                self.tokens[self.i + 1][1] == "inf":
            self.i += 2
            return []
        if kind == "op" and v == "(":
            self.i += 1
            term = self.affine()
            self.take(")", "expected ')'")
            return [term]
        if kind == "word":
            if v != "max":
                self.fail(pos, f"unknown name {v!r} (expected max, -inf or x0, x1, ...)")
            self.i += 1
            self.take("(", "expected '(' after max")
            terms = [self.affine()]
            while self.peek()[1] == ",":
                self.i += 1
                terms.append(self.affine())
            self.take(")", "expected ',' or ')'")
            return terms
        return [self.affine()]

    def end(self) -> None:
        kind, v, pos = self.peek()
        if kind != "end":
            self.fail(pos, f"unexpected {v!r}")


def _number(text: str, pos: int, p: _Parser) -> Any:
    try:
        return parse_number(text)
    except InputError as e:
        p.fail(pos, e.message)
        raise


def _poly(terms: list, nvars: int) -> TropicalPolynomial:
    out = []
    for t in terms:
        e = [Q(0)] * nvars
        for j, c in t.items():
            if j is not None:
                e[j] = c
        out.append((tuple(e), t.get(None, Q(0))))
    return TropicalPolynomial(out, nvars)


def _nvars(p: _Parser, nvars: int | None) -> int:
    need = p.top + 1
    if nvars is None:
        return max(need, 1)
    if type(nvars) is not int or nvars < 1:
        raise InputError(f"must be a positive integer, got {nvars!r}", param="nvars")
    if need > nvars:
        raise InputError(f"uses x{p.top}, but there are {nvars} variables (x0 .. x{nvars - 1})",
                         where="expression")
    return nvars


def parse_polynomial(text: str, nvars: int | None = None) -> TropicalPolynomial:
    """The tropical polynomial written in *text* (module docstring: the grammar)."""
    p = _Parser(text)
    terms = p.polynomial()
    p.end()
    return _poly(terms, _nvars(p, nvars))


def parse_rational(text: str, nvars: int | None = None) -> TropicalRationalFunction:
    """The tropical rational function ``P - Q`` (or ``P``) written in *text*."""
    p = _Parser(text)
    num = p.polynomial()
    den: list = [{None: Q(0)}]
    if p.peek() == ("op", "-", p.peek()[2]):
        p.i += 1
        den = p.polynomial()
    p.end()
    n = _nvars(p, nvars)
    return TropicalRationalFunction(_poly(num, n), _poly(den, n))
