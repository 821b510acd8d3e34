"""The max-plus semiring (Q ∪ {−∞}, ⊕ = max, ⊙ = +), explicitly.

Elements are :class:`MaxPlus` values: an exact rational or the tropical zero −∞.
``+`` is ⊕ and ``*`` is ⊙, so ``MaxPlus(2) + MaxPlus(3) == MaxPlus(3)`` and
``MaxPlus(2) * MaxPlus(3) == MaxPlus(5)``.

.. warning::
   Python's :func:`sum` starts at the integer 0, which is the tropical *one*,
   not the tropical zero.  Use :func:`tropical_sum` and :func:`tropical_product`.

Min-plus data (the default of Sage and OSCAR) is converted through the semiring
isomorphism a ↦ −a from (Q ∪ {+∞}, min, +) to (Q ∪ {−∞}, max, +):
:func:`from_min_plus` and :func:`to_min_plus`.  A min-plus polynomial
``min_i(c_i + <α_i, x>)`` becomes the max-plus polynomial with coefficients
``−c_i`` (same exponents), evaluated at ``−x``; see
:func:`tropexact.tropical.polynomial.TropicalPolynomial.from_min_plus`.

Examples
--------
>>> a, b = MaxPlus(2), MaxPlus("1/2")
>>> a + b, a * b, a ** 3
(MaxPlus(2), MaxPlus(5/2), MaxPlus(6))
>>> tropical_sum([]) == MaxPlus.zero(), tropical_product([]) == MaxPlus.one()
(True, True)
>>> MaxPlus.zero() * a
MaxPlus(-inf)
"""

from __future__ import annotations

from functools import total_ordering
from typing import Any, Iterable

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt, to_rational

__all__ = ["MaxPlus", "tropical_sum", "tropical_product", "from_min_plus", "to_min_plus"]


@total_ordering
class MaxPlus:
    """An element of the max-plus semiring: an ``mpq`` or −∞ (``value is None``)."""

    __slots__ = ("_v",)
    _v: Any

    def __init__(self, value: Any) -> None:
        if isinstance(value, MaxPlus):
            object.__setattr__(self, "_v", value._v)
        elif value is None or (isinstance(value, str) and value in ("-inf", "−∞")):
            object.__setattr__(self, "_v", None)
        else:
            object.__setattr__(self, "_v", to_rational(value))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("MaxPlus is immutable")

    @classmethod
    def zero(cls) -> "MaxPlus":
        """The tropical zero −∞ (neutral for ⊕, absorbing for ⊙)."""
        return cls(None)

    @classmethod
    def one(cls) -> "MaxPlus":
        """The tropical one 0 (neutral for ⊙)."""
        return cls(0)

    @property
    def value(self) -> Any:
        """The rational value, or ``None`` for −∞."""
        return self._v

    def is_zero(self) -> bool:
        return self._v is None

    def __add__(self, other: Any) -> "MaxPlus":
        o = other if isinstance(other, MaxPlus) else MaxPlus(other)
        if self._v is None:
            return o
        if o._v is None:
            return self
        return self if self._v >= o._v else o

    __radd__ = __add__

    def __mul__(self, other: Any) -> "MaxPlus":
        o = other if isinstance(other, MaxPlus) else MaxPlus(other)
        if self._v is None or o._v is None:
            return MaxPlus.zero()
        return MaxPlus(self._v + o._v)

    __rmul__ = __mul__

    def __pow__(self, k: Any) -> "MaxPlus":
        """a^{⊙k} = k·a for rational k; (−∞)^{⊙0} = 0, (−∞)^{⊙k} = −∞ for k > 0."""
        k = to_rational(k)
        if self._v is None:
            if k < 0:
                raise InputError("the tropical zero has no negative power")
            return MaxPlus.one() if k == 0 else MaxPlus.zero()
        return MaxPlus(k * self._v)

    def __truediv__(self, other: Any) -> "MaxPlus":
        """a ⊘ b = a − b (b must not be −∞)."""
        o = other if isinstance(other, MaxPlus) else MaxPlus(other)
        if o._v is None:
            raise ZeroDivisionError("division by the tropical zero")
        if self._v is None:
            return self
        return MaxPlus(self._v - o._v)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MaxPlus):
            return NotImplemented
        return self._v == other._v if (self._v is not None and other._v is not None) else (
            self._v is None and other._v is None)

    def __lt__(self, other: "MaxPlus") -> bool:
        if self._v is None:
            return other._v is not None
        if other._v is None:
            return False
        return bool(self._v < other._v)

    def __hash__(self) -> int:
        return hash(("MaxPlus", self._v))

    def __repr__(self) -> str:
        return f"MaxPlus({'-inf' if self._v is None else fmt(self._v)})"

    def __str__(self) -> str:
        return "-inf" if self._v is None else fmt(self._v)


def tropical_sum(items: Iterable[Any]) -> MaxPlus:
    """⊕ of *items*, starting from the tropical zero −∞ (not Python's 0)."""
    out = MaxPlus.zero()
    for a in items:
        out = out + a
    return out


def tropical_product(items: Iterable[Any]) -> MaxPlus:
    """⊙ of *items*, starting from the tropical one 0."""
    out = MaxPlus.one()
    for a in items:
        out = out * a
    return out


def from_min_plus(value: Any) -> MaxPlus:
    """Map a min-plus element (``None`` or ``"inf"`` for +∞) to max-plus: a ↦ −a.

    Examples
    --------
    >>> from_min_plus(3), from_min_plus("inf")
    (MaxPlus(-3), MaxPlus(-inf))
    """
    if value is None or (isinstance(value, str) and value in ("inf", "+inf", "∞")):
        return MaxPlus.zero()
    return MaxPlus(-to_rational(value))


def to_min_plus(a: MaxPlus) -> Any:
    """Inverse of :func:`from_min_plus`; −∞ maps to ``None`` (min-plus +∞)."""
    return None if a.value is None else -a.value


