"""The tropical expression parser (tropical/expression.py): tables, the round trip of the
library's own printing (Hypothesis), min-plus conversion, and fuzzed malformed input.

Independent sources: the expected polynomials below are built with the constructor
(exponent, coefficient) rows by hand, not by the parser; the round trip compares with
``str`` of polynomials built by the constructor; the fuzzing only asks for one-line
InputErrors with a position.
"""

from __future__ import annotations

import random
import re
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.tropical.expression import MAX_VARIABLES, parse_polynomial, parse_rational
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.tropical.rational import TropicalRationalFunction

SETTINGS = settings(max_examples=80, deadline=None, database=None)
P = TropicalPolynomial


# -- tables ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, nvars, rows", [
    ("max(0, 1 + x0, -2 + 2*x0 + x1)", None, [((0, 0), 0), ((1, 0), 1), ((2, 1), -2)]),
    ("0", None, [((), 0)]),
    ("7", 2, [((0, 0), 7)]),
    ("x1", None, [((0, 1), 0)]),
    ("-x0", None, [((-1,), 0)]),
    ("x0 + x0 - 3", None, [((2,), -3)]),                  # pieces add up
    ("x0*2 + 1/2*x1 - 0.25", None, [((2, Fraction(1, 2)), Fraction(-1, 4))]),
    ("3/2*x0 - 1e-3", None, [((Fraction(3, 2),), Fraction(-1, 1000))]),
    ("max(x0, x0 + 1, x0 - 5)", None, [((1,), 1)]),       # equal exponents: the larger stays
    ("max( 0 ,\n\tx2 )", None, [((0, 0, 0), 0), ((0, 0, 1), 0)]),
    ("x0 - - x1", None, [((1, 1), 0)]),                   # one unary sign after an operator
    ("+x0", None, [((1,), 0)]),
    ("max(1)", None, [((), 1)]),
])
def test_parse_table(text, nvars, rows):
    f = parse_polynomial(text, nvars)
    n = len(rows[0][0]) if nvars is None else nvars
    assert f == P(rows, n)


def test_minus_inf_is_the_tropical_zero():
    assert parse_polynomial("-inf", 3) == P.zero(3)
    assert parse_polynomial(" - inf ").nvars == 0


def test_nvars_rules():
    assert parse_polynomial("max(0, x0)").nvars == 1
    assert parse_polynomial("max(0, x0)", 4).nvars == 4
    assert parse_polynomial("5").nvars == 0
    with pytest.raises(InputError, match="variable x2 in an expression in 2 variables"):
        parse_polynomial("max(0, x2)", 2)
    for bad in (-1, True, 1.0, MAX_VARIABLES + 1):
        with pytest.raises(InputError, match="nvars: must be an integer"):
            parse_polynomial("0", bad)


@pytest.mark.parametrize("text, num, den", [
    ("max(0, x0) - max(0, x1)", [((0, 0), 0), ((1, 0), 0)], [((0, 0), 0), ((0, 1), 0)]),
    ("max(0, x0)", [((0,), 0), ((1,), 0)], [((0,), 0)]),     # P alone: denominator 0
    ("max(0, x0) - 1", [((0,), 0), ((1,), 0)], [((0,), 1)]),
    ("x0 - x1", [((1, 0), 0)], [((0, 1), 0)]),             # the last unsigned piece
    ("1 + x0 - x1 - x2", [((1, -1, 0), 1)], [((0, 0, 1), 0)]),
    ("x0 - -1", [((1,), 1)], [((0,), 0)]),                 # a signed piece stays in P
    ("x0 + 1", [((1,), 1)], [((0,), 0)]),
    ("max(0, x0) - (-2 + x0)", [((0,), 0), ((1,), 0)], [((1,), -2)]),
    ("x0 - max(0, x1)", [((1, 0), 0)], [((0, 0), 0), ((0, 1), 0)]),
    ("max(0,x0)-2*x0", [((0,), 0), ((1,), 0)], [((2,), 0)]),
])
def test_parse_rational_table(text, num, den):
    r = parse_rational(text)
    n = max(len(num[0][0]), len(den[0][0]))
    assert r == TropicalRationalFunction(P(num, n), P(den, n))


def test_rational_with_zero_numerator():
    r = parse_rational("-inf - x0")
    assert r.numerator.is_zero() and r.denominator == P([((1,), 0)])


# -- min-plus -------------------------------------------------------------------------------

def test_min_plus_is_from_min_plus():
    # min(1, x0, 3 + 2*x1): the min-plus data {(0,0): 1, (1,0): 0, (0,2): 3}
    f = parse_polynomial("min(1, x0, 3 + 2*x1)")
    assert f == P.from_min_plus({(0, 0): 1, (1, 0): 0, (0, 2): 3})
    # q(y) = -p(-y) at a few points, p the min-plus function itself
    p = lambda x: min(Q(1), x[0], 3 + 2 * x[1])  # noqa: E731
    for x in [(0, 0), (2, -1), (Q(-1, 2), 5)]:
        assert f(x) == -p(tuple(-Q(v) for v in x))


def test_min_plus_rational_and_no_mixing():
    r = parse_rational("min(0, x0) - x1")
    assert r.numerator == P.from_min_plus({(0, 0): 0, (1, 0): 0})
    assert r.denominator == P([((0, 1), 0)])
    assert parse_rational("min(0, x0) - 2").denominator == P([((0,), -2)])
    with pytest.raises(InputError, match="column 13: 'max' after 'min'"):
        parse_rational("min(0,x0) - max(1)")


# -- round trip of the library's printing ---------------------------------------------------

rats = st.fractions(min_value=-20, max_value=20, max_denominator=7)
big = st.integers(min_value=-10 ** 30, max_value=10 ** 30).map(Fraction)
numbers = st.one_of(rats, rats, big)


@st.composite
def polynomials(draw, nvars=None):
    n = draw(st.integers(min_value=0, max_value=4)) if nvars is None else nvars
    k = draw(st.integers(min_value=1, max_value=6))
    rows = [(tuple(draw(numbers) for _ in range(n)), draw(numbers)) for _ in range(k)]
    return P(rows, n)


@SETTINGS
@given(polynomials())
def test_round_trip_polynomial(f):
    assert parse_polynomial(str(f), f.nvars) == f
    assert parse_polynomial(repr(f)[len("TropicalPolynomial('"):repr(f).rindex("', nvars")],
                            f.nvars) == f


@SETTINGS
@given(st.integers(min_value=0, max_value=3).flatmap(
    lambda n: st.tuples(polynomials(n), polynomials(n), st.booleans())))
def test_round_trip_rational(data):
    F, G, zero_numerator = data
    if zero_numerator:
        F = P.zero(F.nvars)
    r = TropicalRationalFunction(F, G)
    assert parse_rational(str(r), r.nvars) == r
    assert parse_rational(str(F / G) if not zero_numerator else str(r), r.nvars) == r


def test_round_trip_single_term_denominators():
    # regression: "x0 - x1 - x2" was ambiguous before single-term denominators of several
    # pieces were printed in parentheses
    x = [P([((1 if i == j else 0 for i in range(3)), 0)], 3) for j in range(3)]
    for F, G in [(x[0], P([((0, 1, 1), 0)], 3)), (P([((1, -1, 0), 0)], 3), x[2]),
                 (x[0], P([((0, 0, 0), -1)], 3)), (x[0], P([((0, -1, 0), 0)], 3))]:
        assert parse_rational(str(F / G), 3) == F / G


# -- malformed input: one line, a position, fast --------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("max(0, x0 x1)", "column 11: expected ',' or ')', got 'x1'"),
    ("max(0, x0", "column 10: expected ',' or ')', got the end of the expression"),
    ("max()", "column 5: empty 'max()'"),
    ("x-1", "column 1: unknown name 'x'"),
    ("y0 + 1", "column 1: unknown name 'y0'"),
    ("x01", "column 1: unknown name 'x01'"),
    ("max(0,,x0)", "column 7: expected a number or a variable, got ','"),
    ("max(0, x0))", "column 11: expected the end of the expression, got ')'"),
    ("(x0)", "column 1: expected a number or a variable, got '('"),
    ("2*", "column 3: expected a variable after '*'"),
    ("x0*x1", "column 4: expected a number after '*', got 'x1'"),
    ("x0 ^ 2", "column 4: unexpected character '^'"),
    ("1/0", "column 1: zero denominator"),
    ("1.5/2", "column 1: expected a number"),
    ("1e99999999", "column 1: number '1e99999999' has about 100000000 digits"),
    ("x123456789", "column 1: variable 'x123456789': at most 10000 variables"),
    ("", "column 1: expected a number or a variable, got the end of the expression"),
    ("max(0, x0) - x1", "column 12: expected the end of the expression, got '-' (a rational"),
    ("max(0, x0) + 1", "column 12: expected the end of the expression, got '+'"),
    ("max(0,\n x0 x1)", "line 2, column 5: expected ',' or ')'"),
    ("x0 ١", "column 4: unexpected character '١'"),      # digits of other scripts
])
def test_malformed_polynomials(text, message):
    with pytest.raises(InputError) as info:
        parse_polynomial(text)
    assert str(info.value) == "expression: " + message or message in str(info.value)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("max(0, x0) - x1 - 1", "column 17: expected the end of the expression, got '-'"),
    ("max(0, x0) - (1 - x1", "column 21: expected '+', '-' or ')'"),
    ("max(0, x0) - -1", "column 14: expected a denominator"),
    ("max(0, x0) - ", "column 14: expected a denominator"),
])
def test_malformed_rationals(text, message):
    with pytest.raises(InputError, match=re.escape("expression: " + message)):
        parse_rational(text)


def test_where_names_the_source():
    with pytest.raises(InputError, match=r"^f\.txt: column 5: empty"):
        parse_polynomial("max()", where="f.txt")


def test_not_a_string():
    with pytest.raises(InputError, match="expected an expression string"):
        parse_polynomial(3)


@pytest.mark.parametrize("make", [
    lambda n: "max(" * n,
    lambda n: "(" * n,
    lambda n: "x0 + " * (n // 5) + "x0",
    lambda n: "max(" + ", ".join(["x0"] * (n // 4)) + ")",
    lambda n: "9" * n,
    lambda n: "max(0, " + "1" * n + ")",
    lambda n: "- " * n,
])
def test_million_character_inputs_are_quick(make):
    text = make(10 ** 6)
    start = time.perf_counter()
    try:
        f = parse_polynomial(text)
    except InputError as exc:
        assert "\n" not in str(exc) and "column" in str(exc) and len(str(exc)) < 300
    else:
        assert len(f) == 1
    assert time.perf_counter() - start < 10


def test_too_many_exponent_entries():
    text = "max(" + ", ".join(f"{i} + x{i}" for i in range(4000)) + ")"
    with pytest.raises(InputError, match="4000 terms in 4000 variables: over the limit"):
        parse_polynomial(text)


_ALPHABET = list("max(min)x0123456789/.*+-, e\n") + ["max(", "x1", "inf", "-inf", "1/2", ")("]


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=30))
def test_fuzz_only_input_errors(parts):
    text = "".join(parts)
    for parse in (parse_polynomial, parse_rational):
        try:
            parse(text)
        except InputError as exc:
            assert "\n" not in str(exc) and re.search(r"column \d+|variable|nvars", str(exc)), exc


def test_fuzz_mutations_of_printed_polynomials():
    rnd = random.Random(13)
    base = "max(0, 1 + x0, -2 + 3/2*x0 - x1) - (1/2 - x2)"
    for _ in range(1500):
        s = list(base)
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(len(s) + 1)
            op = rnd.random()
            if op < 0.4 and s:
                del s[min(i, len(s) - 1)]
            elif op < 0.8:
                s.insert(i, rnd.choice("()*,+-x0/. m"))
            else:
                s[min(i, len(s) - 1)] = rnd.choice("()*,+-x9/.")
        text = "".join(s)
        for parse in (parse_polynomial, parse_rational):
            try:
                parse(text)
            except InputError as exc:
                assert "\n" not in str(exc) and "column" in str(exc), (text, exc)
