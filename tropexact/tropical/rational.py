"""Tropical rational functions f ⊘ g = f − g and tropical rational maps.

Examples
--------
>>> from tropexact.tropical.polynomial import TropicalPolynomial, variables
>>> x, = variables(1)
>>> zero = TropicalPolynomial.one(1)
>>> r = (zero + x + (-2) * x ** 2) / (zero + (-2) * x ** 2)
>>> print(r)
max(0, x0, -2 + 2*x0) - max(0, -2 + 2*x0)
>>> r([1]), r(["1/2"]), r([3])
(mpq(1,1), mpq(1,2), mpq(0,1))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from tropexact.errors import InputError

if TYPE_CHECKING:  # typing only: polynomial imports this module (f / g builds f ⊘ g)
    from .polynomial import TropicalPolynomial

__all__ = ["TropicalRationalFunction", "TropicalRationalMap"]


class TropicalRationalFunction:
    """f ⊘ g, the difference of two tropical polynomials (kept as the pair)."""

    __slots__ = ("_num", "_den")
    _num: TropicalPolynomial
    _den: TropicalPolynomial

    def __init__(self, numerator: TropicalPolynomial, denominator: TropicalPolynomial) -> None:
        if numerator.nvars != denominator.nvars:
            raise InputError("numerator and denominator need the same number of variables")
        if denominator.is_zero():
            raise InputError("the denominator of f ⊘ g must not be the tropical zero")
        object.__setattr__(self, "_num", numerator)
        object.__setattr__(self, "_den", denominator)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("TropicalRationalFunction is immutable")

    @property
    def numerator(self) -> TropicalPolynomial:
        return self._num

    @property
    def denominator(self) -> TropicalPolynomial:
        return self._den

    @property
    def nvars(self) -> int:
        return self._num.nvars

    def __call__(self, x: Sequence[Any]) -> Any:
        """Exact value f(x) − g(x)."""
        return self._num(x) - self._den(x)

    def product(self) -> TropicalPolynomial:
        """f ⊙ g, whose cells refine those of f ⊘ g (reduced)."""
        return self._num * self._den

    def reduced(self) -> "TropicalRationalFunction":
        return TropicalRationalFunction(self._num.reduced(), self._den.reduced())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TropicalRationalFunction):
            return NotImplemented
        return (self._num, self._den) == (other._num, other._den)

    def __hash__(self) -> int:
        return hash((self._num, self._den))

    def __str__(self) -> str:
        """``F - G``; a one-term G of several pieces or a minus sign is put in
        parentheses (``max(0, x0) - (-2 + x0)``), so that
        :func:`tropexact.tropical.expression.parse_rational` reads it back."""
        den = str(self._den)
        if len(self._den) == 1 and (" " in den or den.startswith("-")):
            den = f"({den})"
        return f"{self._num} - {den}"

    def __repr__(self) -> str:
        return f"TropicalRationalFunction({str(self)!r})"

    def to_sympy(self, symbols: Sequence[Any] | None = None) -> Any:
        return self._num.to_sympy(symbols) - self._den.to_sympy(symbols)


class TropicalRationalMap:
    """A vector (F_1 ⊘ G_1, …, F_p ⊘ G_p) of tropical rational functions."""

    __slots__ = ("_components",)
    _components: tuple

    def __init__(self, components: Iterable[TropicalRationalFunction]) -> None:
        comps = tuple(components)
        if not comps:
            raise InputError("a tropical rational map needs at least one component")
        if len({c.nvars for c in comps}) != 1:
            raise InputError("all components need the same number of variables")
        object.__setattr__(self, "_components", comps)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("TropicalRationalMap is immutable")

    @property
    def components(self) -> tuple:
        return self._components

    @property
    def nvars(self) -> int:
        return self._components[0].nvars

    def __len__(self) -> int:
        return len(self._components)

    def __getitem__(self, i: int) -> TropicalRationalFunction:
        return self._components[i]

    def __iter__(self):
        return iter(self._components)

    def __call__(self, x: Sequence[Any]) -> tuple:
        return tuple(c(x) for c in self._components)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TropicalRationalMap):
            return NotImplemented
        return self._components == other._components

    def __hash__(self) -> int:
        return hash(self._components)

    def __str__(self) -> str:
        return "(" + ", ".join(str(c) for c in self._components) + ")"
