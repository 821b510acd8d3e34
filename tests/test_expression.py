"""Tropical expressions as text: the parser against the library's own printing.

Independent source: ``str`` of polynomials and rational functions (written by
tropexact.tropical.polynomial, not by the parser) must parse back to the same
polynomial, and to the same function for rational functions; arbitrary text never
raises anything but a one-line InputError.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.tropical.expression import parse_polynomial, parse_rational
from tropexact.tropical.polynomial import TropicalPolynomial, otimes

num = st.builds(lambda p, q: Q(p, q), st.integers(-50, 50), st.integers(1, 9))


@st.composite
def polys(draw, nvars=None):
    n = nvars or draw(st.integers(1, 3))
    terms = draw(st.lists(st.tuples(st.tuples(*[num] * n), num), min_size=1, max_size=5))
    return TropicalPolynomial(terms, n)


@settings(max_examples=200, deadline=None)
@given(polys())
def test_polynomials_round_trip(f):
    assert parse_polynomial(str(f), f.nvars) == f


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(polys(n), polys(n))))
def test_rational_functions_round_trip_as_functions(fg):
    f, g = fg
    r = parse_rational(str(f / g), f.nvars)
    # F1 ⊘ G1 = F2 ⊘ G2 as functions iff F1 ⊙ G2 = F2 ⊙ G1 (reduced forms are canonical)
    assert otimes(r.numerator, g) == otimes(f, r.denominator)


@pytest.mark.parametrize("text, value", [
    ("max(0, x0 + 1, 2*x0 - x1) - max(0, x1)", Q(-1)),   # max(0, 2, -1) - max(0, 3) at (1, 3)
    ("x0 - x1", Q(-2)),                                   # one term over 0
    ("x1*1/2 - max(x0, 0.5)", Q(1, 2)),                   # 3/2 - 1
    ("-inf - max(0, x0)", None),                          # the tropical zero numerator
])
def test_examples(text, value):
    r = parse_rational(text, 2)
    if value is None:
        assert r.numerator.is_zero()
    else:
        assert r([1, 3]) == value


@pytest.mark.parametrize("text, column", [
    ("max(0,", 7), ("max()", 5), ("foo(x0)", 1), ("x0 x1", 4), ("x-1", 1), ("1/0", 1),
    ("max(0, x0))", 11), ("", 1), ("max(0; x0)", 6), ("2**x0", 3), ("x0*x1", 4),
    ("max(0, x0) - max(1, x1) - x2", 25),
])
def test_errors_name_the_column(text, column):
    with pytest.raises(InputError) as e:
        parse_rational(text)
    assert str(e.value).startswith(f"expression: column {column}:"), str(e.value)
    assert "\n" not in str(e.value)


def test_limits():
    with pytest.raises(InputError, match="more than"):
        parse_polynomial("x0 + " * 300_000 + "1")
    with pytest.raises(InputError, match="there are 2 variables"):
        parse_polynomial("x2", 2)
    with pytest.raises(InputError, match="digits"):
        parse_polynomial("1" * 100_001)  # TROPEXACT_MAX_DIGITS is 100,000 by default


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="max(),+-*/.0123456789x eif ", max_size=40))
def test_fuzz_only_input_errors(text):
    try:
        parse_rational(text)
    except InputError as e:
        assert "\n" not in str(e)
