"""The number of terms a layer *would* have before pruning, counted on exponent sets.

The paper counts, for Example C.2, the terms of H, G and F before pruning: the
distributive expansion of one layer applied to the (reduced) inputs, integer
powers expanded (max(a, b)^{⊙2} = max(2a, a + b, 2b)), equal exponents
merged.  Coefficients do not matter for that count, so only exponent sets are
formed: a product of polynomials is the Minkowski sum of their exponent sets.
A work budget per layer keeps large layers from running away; past it the
count is ``None``.

Examples
--------
>>> from tropexact.networks.model import Layer
>>> from tropexact.tropical.polynomial import TropicalPolynomial, variables
>>> x, = variables(1)
>>> F, G = [TropicalPolynomial.one(1) + x], [TropicalPolynomial.one(1)]   # max(0, x), 0
>>> counter = LayerCount(Layer(((2,),), (0,), "relu"), F, G, 1000)
>>> counter.neuron([(0, 2)], [])     # max(0, x)^2 has the exponents 0, 1, 2; G' = 0
{'H': 3, 'G': 1, 'F': 3}
"""

from __future__ import annotations

from typing import Any, Sequence

from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial

from .activation import Activation
from .model import Layer

__all__ = ["LayerCount"]


class _CountBudget:
    """Work left for one layer's count (set-sum operations)."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


# Exponent sets are frozensets of either tuples of mpq, or -- when a layer has
# integer exponents and weights -- of ints packing e as Σ_j e_j·2^(64 j).  The
# packing is linear and injective while |e_j| < 2^63, so Minkowski sums and
# integer scalings of packed sets are packed Minkowski sums; they are ~10×
# cheaper, which the budget reflects.
_SHIFT = 64
_TUPLE_COST = 10


def _pack(e: tuple) -> int:
    return sum(int(v) << (_SHIFT * j) for j, v in enumerate(e))


def _is_packed(a: frozenset) -> bool:
    return isinstance(next(iter(a)), int)


def _mink(a: frozenset | None, b: frozenset | None, budget: _CountBudget) -> frozenset | None:
    if a is None or b is None:
        return None
    if _is_packed(a):
        if not budget.spend(len(a) * len(b)):
            return None
        return frozenset(x + y for x in a for y in b)
    if not budget.spend(_TUPLE_COST * len(a) * len(b)):
        return None
    return frozenset(tuple(x + y for x, y in zip(u, v)) for u in a for v in b)


def _scale(a: frozenset | None, k: Any) -> frozenset | None:
    if a is None:
        return None
    if _is_packed(a):  # only ever scaled by integers (leaky layers use tuples)
        return frozenset(int(k) * x for x in a)
    return frozenset(tuple(k * x for x in u) for u in a)


def _power_set(a: frozenset | None, k: Any, budget: _CountBudget) -> frozenset | None:
    """Exponent set of the distributive expansion of f^{⊙k} (scaling if k ∉ Z)."""
    if a is None:
        return None
    if k.denominator != 1:
        return _scale(a, k)
    if len(a) == 1:  # a single exponent: its k-fold sum is k times it
        return _scale(a, k)
    if k > budget.left:  # a k-fold sum of >= 2 points has >= k + 1 points: over budget
        budget.left = -1
        return None
    u = next(iter(a))
    out: frozenset | None = frozenset({0 if isinstance(u, int) else tuple(Q(0) for _ in u)})
    for _ in range(int(k)):
        out = _mink(out, a, budget)
        if out is None:  # the budget is spent: stop at once, whatever k is
            return None
    return out


def _union(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    return None if a is None or b is None else a | b




class LayerCount:
    """Counts the terms of one layer's H, G and F before pruning, neuron by neuron.

    Parameters
    ----------
    layer : Layer
    F, G : sequences of TropicalPolynomial
        The layer's (reduced) inputs.
    budget : int
        Work limit for the whole layer; past it the counts are ``None``.
    """

    def __init__(self, layer: Layer, F: Sequence[TropicalPolynomial],
                 G: Sequence[TropicalPolynomial], budget: int) -> None:
        self.layer = layer
        self.packed = (layer.activation is not Activation.LEAKY_RELU
                       and all(w.denominator == 1 for row in layer.weight for w in row)
                       and all(v.denominator == 1 and abs(v) < 2 ** 40
                               for p in list(F) + list(G) for e in p.exponents for v in e))
        conv = _pack if self.packed else (lambda e: e)
        self.Fs = [frozenset(conv(e) for e in f.exponents) for f in F]
        self.Gs = [frozenset(conv(e) for e in g.exponents) for g in G]
        d = F[0].nvars
        self.zero = frozenset({0 if self.packed else tuple(Q(0) for _ in range(d))})
        self.budget = _CountBudget(budget)

    def neuron(self, pos: list, neg: list) -> dict:
        """``{"H", "G", "F"}`` term counts of the neuron with positive weights *pos* and
        negative weights *neg* (lists of (input index, |weight|))."""
        budget, Fs, Gs = self.budget, self.Fs, self.Gs
        hs: Any = self.zero
        gs: Any = self.zero
        for j, a in pos:
            hs = _mink(hs, _power_set(Fs[j], a, budget), budget)
            gs = _mink(gs, _power_set(Gs[j], a, budget), budget)
        for j, a in neg:
            hs = _mink(hs, _power_set(Gs[j], a, budget), budget)
            gs = _mink(gs, _power_set(Fs[j], a, budget), budget)
        act = self.layer.activation
        if act is Activation.RELU:
            fs = _union(hs, gs)
        elif act is Activation.IDENTITY:
            fs = hs
        else:
            a = self.layer.negative_slope
            fs = _union(_mink(hs, _scale(gs, a), budget), _mink(_scale(hs, a), gs, budget))
            gs = _scale(gs, 1 + a)
        return {"H": None if hs is None else len(hs), "G": None if gs is None else len(gs),
                "F": None if fs is None else len(fs)}
