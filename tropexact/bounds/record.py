"""The record of one published bound at one architecture, and the symbols of the formulas.

Shared by the upper bounds (:mod:`tropexact.bounds.published`) and the lower
bounds (:mod:`tropexact.bounds.lower`).  sympy is imported only when a
formula is built.

Examples
--------
>>> bound_symbols(2)
(d, (n1, n2))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # sympy loads when a formula is first asked for (0.3 s), not to compute values
    import sympy as sp

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt_short
from tropexact.networks.architecture import Architecture


__all__ = ["Bound", "UPPER", "LOWER", "BOUND_NAMES", "bound_symbols", "index_symbol", "binomial",
           "layers_narrower", "describe_layers"]

UPPER = "upper"
LOWER = "lower"

#: The bounds, in the order :func:`all_bounds` returns them (docs/design.md §6's JSON keys).
BOUND_NAMES: tuple[str, ...] = ("zaslavsky", "zhang2018", "montufar2017", "serra2018",
                                "montufar2014_lower", "serra2018_lower")


@lru_cache(maxsize=None)
def bound_symbols(L: int) -> tuple[sp.Symbol, tuple[sp.Symbol, ...]]:
    """The symbols ``d`` and ``(n1, ..., nL)`` of the bound formulas.

    All are positive integer sympy symbols; the same objects are returned on every
    call, so formulas built here and formulas parsed by
    :func:`~tropexact.bounds.formula.bound_expression` share their symbols.

    Examples
    --------
    >>> bound_symbols(3)
    (d, (n1, n2, n3))
    """
    if isinstance(L, bool) or not isinstance(L, int) or L < 1:
        raise InputError(f"the number of hidden layers must be a positive integer, got "
                         f"{fmt_short(L) if type(L) is int else repr(L)[:40]}")
    import sympy as sp

    d = sp.Symbol("d", integer=True, positive=True)
    return d, tuple(sp.Symbol(f"n{l}", integer=True, positive=True) for l in range(1, L + 1))


@lru_cache(maxsize=None)
def index_symbol(name: str) -> sp.Symbol:
    """The integer summation index *name* of the formulas (one object per name)."""
    import sympy as sp

    return sp.Symbol(name, integer=True)


def binomial(n: sp.Expr, k: sp.Expr) -> sp.Expr:
    """C(n, k) as an unevaluated sympy expression."""
    import sympy as sp

    # unevaluated: sympy's binomial.eval queries assumptions and costs ~5 ms a call
    return sp.binomial(n, k, evaluate=False)


@dataclass(frozen=True)
class Bound:
    """One published bound evaluated at one architecture.

    Attributes
    ----------
    name : str
        One of :data:`BOUND_NAMES`.
    kind : {"upper", "lower"}
        ``"upper"``: no network of the architecture has more linear regions.
        ``"lower"``: some network of the architecture has at least this many.
    value : int or None
        The exact value; ``None`` when not applicable.
    applicable : bool
        Whether the theorem's hypotheses hold for this architecture.
    hypotheses : str
        The hypotheses and whether they hold (which one fails, if any).
    reference : str
        Authors, year, venue and theorem.
    expression : sympy.Expr or None
        The formula in ``d, n1, ..., nL`` for this depth ``L`` (``None`` when the
        formula does not exist at this depth, e.g. Zaslavsky's for ``L >= 2``);
        built on first access (it needs sympy; the value does not).
    """

    name: str
    kind: str
    value: int | None
    applicable: bool
    hypotheses: str
    reference: str
    formula: Callable[[], Any] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def expression(self) -> sp.Expr | None:
        return None if self.formula is None else self.formula()


def layers_narrower(a: Architecture, lo: int, factor: int = 1) -> list[int]:
    """The hidden layers l (from 1) with n_l < factor·lo."""
    return [l for l, n in enumerate(a.widths, 1) if n < factor * lo]


def describe_layers(a: Architecture, layers: list[int], what: str) -> str:
    """``n2 = 3 < d = 4, ...`` for a hypothesis that fails on *layers* (huge widths
    by their size)."""
    return ", ".join(f"n{l} = {fmt_short(a.widths[l - 1])} < {what}" for l in layers)
