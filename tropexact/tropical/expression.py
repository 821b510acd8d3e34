r"""Tropical expressions as text: a safe parser (no ``eval``) of the library's own printing.

The grammar (blanks, tabs and newlines are free between tokens)::

    polynomial := 'max' '(' affine (',' affine)* ')'
                | 'min' '(' affine (',' affine)* ')'      (min-plus, see below)
                | affine
                | '-inf'                                  (the tropical zero)
    affine     := signed (('+' | '-') signed)*
    signed     := ['+' | '-'] piece
    piece      := number | number '*' var | var | var '*' number
    var        := 'x0' | 'x1' | ...                       (no leading zeros)
    number     := 7 | 3/2 | 0.25 | 1e-3                   (read exactly)
    rational   := polynomial ['-' denominator]
    denominator:= 'max(...)' | 'min(...)' | '(' affine ')' | an unsigned piece

An affine term ``c + k1*x0 - k2*x1 ...`` is the monomial c ⊙ x0^k1 ⊙ x1^(−k2):
its pieces add up, so ``x0 + x0`` is ``2*x0`` and the constant may stand anywhere.
Exponents may be any rationals (negative too).  ``max(t1, ..., tk)`` is the
tropical sum t1 ⊕ ... ⊕ tk; equal exponents keep the larger constant.

**Rational functions.**  ``P - Q`` is P ⊘ Q.  The denominator is the *last*
subtracted summand when it is a ``max(...)``, a ``min(...)``, an affine term in
parentheses, or a single unsigned piece (``0``, ``x1``, ``2*x0``); anything else
is part of the numerator and the denominator is 0 (the constant one-term
polynomial).  So ``max(0, x0) - 1`` is max(0, x0) ⊘ 1, ``x0 - x1`` is x0 ⊘ x1
(the same function as ``(x0 - x1) ⊘ 0``), and a denominator such as −2 + x0 is
written ``max(0, x0) - (-2 + x0)`` — exactly how ``str(F / G)`` prints it.

**Min-plus input.**  ``min(c_1 + <a_1, x>, ...)`` is converted by the semiring
isomorphism a ↦ −a of :meth:`TropicalPolynomial.from_min_plus`: every constant is
negated and the exponents are kept, giving q(y) = −p(−y).  Its tropical
hypersurface is the point reflection of the min-plus one: T(q) = −T(p)
(docs/tutorial.md, "How to read Sage/OSCAR/polymake (min-plus) data").  When
one ``min`` appears, the whole expression is min-plus (single affine terms are
converted too); mixing ``max`` and ``min`` is an error.

Every malformed input is one :class:`~tropexact.errors.InputError` naming the
column (or line and column), never a traceback: at most
:data:`MAX_VARIABLES` variables, numbers within the digit limit of
:mod:`tropexact.exact.limits`, linear time in the length of the text.

Examples
--------
>>> f = parse_polynomial("max(0, 1 + x0, -2 + 2*x0 + x1)")
>>> print(f); f.nvars
max(0, 1 + x0, -2 + 2*x0 + x1)
2
>>> parse_polynomial(str(f)) == f
True
>>> print(parse_polynomial("max(x0*3/2, 0.5 - x1)", nvars=3))
max(1/2 - x1, 3/2*x0)
>>> print(parse_rational("max(0, x0) - (-2 + x0)"))
max(0, x0) - (-2 + x0)
>>> print(parse_polynomial("min(1, x0)"))  # min-plus: constants negated
max(-1, x0)
>>> parse_polynomial("max(0, x0 x1)")
Traceback (most recent call last):
...
tropexact.errors.InputError: expression: column 11: expected ',' or ')', got 'x1'
"""

from __future__ import annotations

import re
from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import ONE, ZERO, parse_number, quoted

from .polynomial import TropicalPolynomial
from .rational import TropicalRationalFunction

__all__ = ["parse_polynomial", "parse_rational", "MAX_VARIABLES"]

#: The largest number of variables an expression may use (x0 ... x9999).
MAX_VARIABLES = 10_000
_MAX_CELLS = 10_000_000      # terms × variables of the dense exponent vectors

_TOKEN = re.compile(r"""
    (?P<blank>[ \t\r\n]+)
  | (?P<num>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?(?:/[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>[-+*(),])
""", re.VERBOSE)
_VAR = re.compile(r"x(0|[1-9][0-9]*)\Z")


class _Tokens:
    """The token list of a text with positions; errors name line and column."""

    def __init__(self, text: str, where: str) -> None:
        if not isinstance(text, str):
            raise InputError(f"expected an expression string, got {type(text).__name__}", where)
        self.text, self.where = text, where
        self.items: list[tuple[str, str, int]] = []   # (kind, text, offset)
        pos, n = 0, len(text)
        while pos < n:
            m = _TOKEN.match(text, pos)
            if m is None:
                self.pos = len(self.items)
                raise self.error(f"unexpected character {text[pos]!r}", pos)
            kind = m.lastgroup
            if kind != "blank":
                tok = m.group()
                self.items.append((tok if kind == "op" else kind, tok, pos))
            pos = m.end()
        self.items.append(("end", "", n))
        self.pos = 0

    def error(self, message: str, offset: int | None = None) -> InputError:
        if offset is None:
            offset = self.items[self.pos][2]
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        place = f"column {col}" if line == 1 and "\n" not in self.text else f"line {line}, column {col}"
        return InputError(message, f"{self.where}: {place}")

    def peek(self, ahead: int = 0) -> str:
        return self.items[min(self.pos + ahead, len(self.items) - 1)][0]

    def take(self) -> tuple[str, str, int]:
        item = self.items[self.pos]
        self.pos += 1
        return item

    def expect(self, kind: str, wanted: str) -> None:
        if self.peek() != kind:
            raise self.error(f"expected {wanted}, got {self.shown()}")
        self.pos += 1

    def shown(self) -> str:
        kind, tok, _ = self.items[self.pos]
        return "the end of the expression" if kind == "end" else quoted(tok, 20)


class _Parser:
    """Builds sparse affine terms: (constant, {variable index: exponent}) per term."""

    def __init__(self, tokens: _Tokens) -> None:
        self.t = tokens
        self.top = -1           # the largest variable index seen
        self.mode: str | None = None   # 'max' or 'min' once a group was read

    def number(self) -> Any:
        kind, tok, off = self.t.take()
        try:
            return parse_number(tok)
        except InputError as exc:
            raise self.t.error(exc.message, off) from None

    def var(self) -> int:
        kind, tok, off = self.t.take()
        m = _VAR.match(tok)
        if m is None:
            self.t.pos -= 1
            raise self.t.error(f"unknown name {quoted(tok, 20)} (variables are x0, x1, ...)")
        if len(tok) > 6 or int(m.group(1)) >= MAX_VARIABLES:
            self.t.pos -= 1
            raise self.t.error(f"variable {quoted(tok, 20)}: at most {MAX_VARIABLES} variables "
                               f"(x0 ... x{MAX_VARIABLES - 1})")
        j = int(m.group(1))
        self.top = max(self.top, j)
        return j

    def piece(self) -> tuple[Any, int | None]:
        """number | number '*' var | var | var '*' number → (factor, variable or None)."""
        kind = self.t.peek()
        if kind == "num":
            k = self.number()
            if self.t.peek() == "*":
                self.t.pos += 1
                if self.t.peek() != "name":
                    raise self.t.error(f"expected a variable after '*', got {self.t.shown()}")
                return k, self.var()
            return k, None
        if kind == "name":
            j = self.var()
            if self.t.peek() == "*":
                self.t.pos += 1
                if self.t.peek() != "num":
                    raise self.t.error(f"expected a number after '*', got {self.t.shown()}")
                return self.number(), j
            return ONE, j
        raise self.t.error(f"expected a number or a variable, got {self.t.shown()}")

    def affine(self, split_last: bool = False) -> tuple[tuple, tuple | None]:
        """An affine term; with *split_last*, a last '- piece' (unsigned) comes back
        apart as the denominator."""
        pieces = []   # (sign, factor, var, separator was '-', unary)
        sep_minus = False
        while True:
            sign, unary = 1, False
            if self.t.peek() in ("+", "-"):
                unary = True
                sign = -1 if self.t.take()[0] == "-" else 1
            k, j = self.piece()
            pieces.append((sign, k, j, sep_minus, unary))
            if self.t.peek() not in ("+", "-") or self.t.peek(1) == "(" or self.is_group(1):
                break
            sep_minus = self.t.take()[0] == "-"
        last = None
        if split_last and len(pieces) > 1 and pieces[-1][3] and not pieces[-1][4]:
            last = _term([pieces.pop()[1:3]])
        return _term([(-k if (s < 0) != sep else k, j) for s, k, j, sep, _ in pieces]), last

    def group(self) -> list[tuple]:
        """'max' '(' affine (',' affine)* ')' or the same with 'min'."""
        kind, tok, off = self.t.take()
        if self.mode is not None and tok != self.mode:
            raise self.t.error(f"'{tok}' after '{self.mode}': an expression is either "
                               "max-plus or min-plus", off)
        self.mode = tok
        self.t.expect("(", f"'(' after '{tok}'")
        if self.t.peek() == ")":
            raise self.t.error(f"empty '{tok}()': a tropical polynomial needs at least one term")
        terms = [self.affine()[0]]
        while self.t.peek() == ",":
            self.t.pos += 1
            terms.append(self.affine()[0])
        self.t.expect(")", "',' or ')'")
        return terms

    def is_group(self, ahead: int = 0) -> bool:
        """Whether a 'max(' or 'min(' starts *ahead* tokens on."""
        i = min(self.t.pos + ahead, len(self.t.items) - 1)
        return self.t.items[i][0] == "name" and self.t.items[i][1] in ("max", "min") \
            and self.t.peek(ahead + 1) == "("

    def polynomial(self, split_last: bool = False) -> tuple[list | None, tuple | None]:
        """A polynomial side: (its terms or None for -inf, a split-off denominator term)."""
        if self.is_group():
            return self.group(), None
        if self.t.peek() == "-" and self.t.peek(1) == "name" and self.t.items[self.t.pos + 1][1] == "inf":
            self.t.pos += 2
            return None, None
        term, last = self.affine(split_last)
        return [term], last

    def denominator(self) -> list:
        if self.is_group():
            return self.group()
        if self.t.peek() == "(":
            self.t.pos += 1
            term = self.affine()[0]
            self.t.expect(")", "'+', '-' or ')'")
            return [term]
        if self.t.peek() in ("num", "name"):
            return [_term([self.piece()])]
        raise self.t.error("expected a denominator: max(...), an affine term in parentheses "
                           f"or a single number or variable, got {self.t.shown()}")

    def end(self, what: str) -> None:
        if self.t.peek() != "end":
            raise self.t.error(f"expected {what}, got {self.t.shown()}")


def _term(pieces: list) -> tuple:
    const, exps = ZERO, {}
    for k, j in pieces:
        if j is None:
            const += k
        else:
            exps[j] = exps.get(j, ZERO) + k
    return const, exps


def _build(p: _Parser, terms: list | None, nvars: int | None) -> TropicalPolynomial:
    n = p.top + 1 if nvars is None else nvars
    if terms is None:
        return TropicalPolynomial.zero(n)
    if len(terms) * n > _MAX_CELLS:
        raise InputError(f"{len(terms)} terms in {n} variables: over the limit of "
                         f"{_MAX_CELLS} exponent entries", p.t.where)
    sign = -1 if p.mode == "min" else 1
    rows = []
    for c, exps in terms:
        e = [ZERO] * n
        for j, k in exps.items():
            e[j] = k
        rows.append((e, sign * c))
    return TropicalPolynomial(rows, n)


def _check_nvars(p: _Parser, nvars: int | None) -> None:
    if nvars is None:
        return
    if isinstance(nvars, bool) or not isinstance(nvars, int) or not 0 <= nvars <= MAX_VARIABLES:
        raise InputError(f"must be an integer between 0 and {MAX_VARIABLES}, got {nvars!r}",
                         param="nvars")
    if p.top >= nvars:
        raise InputError(f"variable x{p.top} in an expression in {nvars} "
                         f"variable{'s' if nvars != 1 else ''} (x0 ... x{nvars - 1})"
                         if nvars else f"variable x{p.top} in an expression in 0 variables",
                         p.t.where)


def parse_polynomial(text: str, nvars: int | None = None, *,
                     where: str = "expression") -> TropicalPolynomial:
    """The tropical polynomial written in *text* (grammar in the module docstring).

    Parameters
    ----------
    text : str
        ``max(t1, ..., tk)``, ``min(...)`` (min-plus, converted), one affine
        term, or ``-inf``.
    nvars : int, optional
        The number of variables; by default 1 + the largest variable index
        (0 for a constant).  A variable beyond it is an error.
    where : str
        The name of the text in error messages (e.g. a file name).

    Returns
    -------
    TropicalPolynomial
        Normalised, not pruned: ``str(parse_polynomial(s))`` lists every term.

    Examples
    --------
    >>> print(parse_polynomial("max(x0 + x0, 1 - x1, 3)"))
    max(1 - x1, 3, 2*x0)
    >>> parse_polynomial("max(0, x2)", nvars=2)
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: expression: variable x2 in an expression in 2 variables (x0 ... x1)
    """
    p = _Parser(_Tokens(text, where))
    terms, _ = p.polynomial()
    if p.t.peek() == "-":
        raise p.t.error("expected the end of the expression, got '-' (a rational function "
                        "P - Q is not a polynomial)")
    p.end("the end of the expression" if terms is None or len(terms) > 1 or p.mode
          else "'+', '-' or the end of the expression")
    _check_nvars(p, nvars)
    return _build(p, terms, nvars)


def parse_rational(text: str, nvars: int | None = None, *,
                   where: str = "expression") -> TropicalRationalFunction:
    """The tropical rational function ``P - Q`` = P ⊘ Q written in *text*.

    The denominator is the last subtracted summand when it is a ``max(...)``
    (``min(...)``), an affine term in parentheses or one unsigned piece; without
    one, the denominator is the constant 0.  See the module docstring.

    Examples
    --------
    >>> r = parse_rational("max(0, x0, -2 + 2*x0) - max(0, -2 + 2*x0)")
    >>> r([1]), r(["1/2"]), r([3])
    (mpq(1,1), mpq(1,2), mpq(0,1))
    >>> print(parse_rational("max(0, x0)")); print(parse_rational("x0 - x1"))
    max(0, x0) - 0
    x0 - x1
    """
    p = _Parser(_Tokens(text, where))
    num, last = p.polynomial(split_last=True)
    if last is not None:
        den = [last]
    elif p.t.peek() == "-":
        p.t.pos += 1
        den = p.denominator()
    else:
        den = [(ZERO, {})]
    p.end("the end of the expression")
    _check_nvars(p, nvars)
    return TropicalRationalFunction(_build(p, num, nvars), _build(p, den, nvars))
