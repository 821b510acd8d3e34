"""Algebraic laws of the max-plus semiring (Q ∪ {−∞}, ⊕ = max, ⊙ = +), exactly.

docs/design.md §1: a ⊕ b = max(a, b), a ⊙ b = a + b, tropical zero −∞, one 0; min-plus data
is converted through the semiring isomorphism a ↦ −a.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.tropical.semiring import (
    MaxPlus,
    from_min_plus,
    to_min_plus,
    tropical_product,
    tropical_sum,
)

SETTINGS = settings(max_examples=40, deadline=None, database=None)

# -- strategies ----------------------------------------------------------------

fractions = st.fractions(min_value=-50, max_value=50, max_denominator=12)
finite = fractions.map(MaxPlus)
elements = st.one_of(st.just(MaxPlus.zero()), finite, finite, finite)  # −∞ about 1/4 of the time
nonneg_rationals = st.fractions(min_value=0, max_value=6, max_denominator=6)
# a min-plus element: a rational or +∞ (None)
min_plus_elements = st.one_of(st.none(), fractions)


def _min_plus_min(a, b):
    """min in (Q ∪ {+∞}); None is +∞."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _min_plus_plus(a, b):
    """+ in (Q ∪ {+∞}); +∞ is absorbing."""
    if a is None or b is None:
        return None
    return a + b


# -- ⊕ ---------------------------------------------------------------------------

@SETTINGS
@given(elements, elements, elements)
def test_oplus_associative(a, b, c):
    assert (a + b) + c == a + (b + c)


@SETTINGS
@given(elements, elements)
def test_oplus_commutative(a, b):
    assert a + b == b + a


@SETTINGS
@given(elements)
def test_oplus_idempotent(a):
    assert a + a == a


@SETTINGS
@given(elements)
def test_zero_neutral_for_oplus(a):
    assert a + MaxPlus.zero() == a
    assert MaxPlus.zero() + a == a


@SETTINGS
@given(finite, finite)
def test_oplus_is_max(a, b):
    assert (a + b).value == max(a.value, b.value)


# -- ⊙ ---------------------------------------------------------------------------

@SETTINGS
@given(elements, elements, elements)
def test_otimes_associative(a, b, c):
    assert (a * b) * c == a * (b * c)


@SETTINGS
@given(elements, elements)
def test_otimes_commutative(a, b):
    assert a * b == b * a


@SETTINGS
@given(elements)
def test_one_neutral_for_otimes(a):
    assert a * MaxPlus.one() == a
    assert MaxPlus.one() * a == a


@SETTINGS
@given(elements)
def test_zero_absorbing_for_otimes(a):
    assert a * MaxPlus.zero() == MaxPlus.zero()
    assert MaxPlus.zero() * a == MaxPlus.zero()


@SETTINGS
@given(finite, finite)
def test_otimes_is_plus(a, b):
    assert (a * b).value == a.value + b.value


@SETTINGS
@given(elements, elements, elements)
def test_distributive(a, b, c):
    assert a * (b + c) == (a * b) + (a * c)
    assert (b + c) * a == (b * a) + (c * a)


# -- powers ------------------------------------------------------------------------

@SETTINGS
@given(elements, nonneg_rationals, nonneg_rationals)
def test_power_of_power(a, k, m):
    assert (a ** k) ** m == a ** (k * m)


@SETTINGS
@given(elements, nonneg_rationals, nonneg_rationals)
def test_power_sum_of_exponents(a, k, m):
    # a^k ⊙ a^m = a^(k+m)  (k·a + m·a = (k+m)·a; for −∞ with k = m = 0: 0 ⊙ 0 = 0)
    assert a ** k * a ** m == a ** (k + m)


@SETTINGS
@given(finite, nonneg_rationals)
def test_power_is_scaling(a, k):
    assert (a ** k).value == Q(k.numerator, k.denominator) * a.value


@SETTINGS
@given(elements, st.integers(min_value=0, max_value=5))
def test_integer_power_is_repeated_product(a, n):
    assert a ** n == tropical_product([a] * n)


def test_powers_of_zero():
    z = MaxPlus.zero()
    assert z ** 0 == MaxPlus.one()
    assert z ** Fraction(1, 2) == z
    assert z ** 3 == z
    with pytest.raises(InputError):
        z ** -1


# -- min-plus ------------------------------------------------------------------------

@SETTINGS
@given(min_plus_elements)
def test_min_plus_round_trip_from_min(a):
    b = from_min_plus(a)
    back = to_min_plus(b)
    if a is None:
        assert b == MaxPlus.zero() and back is None
    else:
        assert back == Q(a.numerator, a.denominator)


@SETTINGS
@given(elements)
def test_min_plus_round_trip_from_max(a):
    assert from_min_plus(to_min_plus(a)) == a


@SETTINGS
@given(min_plus_elements, min_plus_elements)
def test_min_plus_is_semiring_isomorphism(a, b):
    # φ(min(a, b)) = φ(a) ⊕ φ(b) and φ(a + b) = φ(a) ⊙ φ(b), φ(+∞) = −∞, φ(0) = 0
    assert from_min_plus(_min_plus_min(a, b)) == from_min_plus(a) + from_min_plus(b)
    assert from_min_plus(_min_plus_plus(a, b)) == from_min_plus(a) * from_min_plus(b)


def test_min_plus_units():
    assert from_min_plus(None) == MaxPlus.zero()
    assert from_min_plus("inf") == MaxPlus.zero()
    assert from_min_plus(0) == MaxPlus.one()
    assert from_min_plus(3) == MaxPlus(-3)
    assert to_min_plus(MaxPlus.zero()) is None


# -- folds, types, refusals -----------------------------------------------------------

def test_empty_folds():
    assert tropical_sum([]) == MaxPlus.zero()
    assert tropical_product([]) == MaxPlus.one()
    # Python's sum() starts at 0, the tropical ONE: it is not the tropical sum.
    assert sum([MaxPlus(-3), MaxPlus(-5)], MaxPlus.zero()) == MaxPlus(-3)
    assert tropical_sum([MaxPlus(-3), MaxPlus(-5)]) == MaxPlus(-3)


@SETTINGS
@given(st.lists(elements, max_size=6))
def test_folds_match_pairwise(items):
    s, p = MaxPlus.zero(), MaxPlus.one()
    for a in items:
        s, p = s + a, p * a
    assert tropical_sum(items) == s
    assert tropical_product(items) == p


def test_values_are_exact_rationals():
    a = MaxPlus("1/3") * MaxPlus(Fraction(1, 6))
    assert a == MaxPlus("1/2")
    assert type(a.value) is type(Q(1, 2))
    assert MaxPlus("-inf").is_zero() and MaxPlus(None).is_zero()


def test_floats_refused():
    with pytest.raises(InputError):
        MaxPlus(0.5)
    with pytest.raises(InputError):
        MaxPlus(1) + 0.5
    with pytest.raises(InputError):
        MaxPlus(1) ** 0.5
    with pytest.raises(InputError):
        MaxPlus(float("nan"))


def test_immutable():
    a = MaxPlus(2)
    with pytest.raises(AttributeError):
        a._v = Q(3)  # type: ignore[misc]
    assert a == MaxPlus(2)


@SETTINGS
@given(elements, elements)
def test_order_and_hash(a, b):
    # ⊕ is the max of the total order with −∞ at the bottom
    assert a + b == (a if a >= b else b)
    if a == b:
        assert hash(a) == hash(b)
