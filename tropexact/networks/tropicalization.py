"""Networks → tropical rational maps F ⊘ G (Zhang–Naitzat–Lim 2018, proof of Thm 5.4).

For a layer x ↦ σ(A x + b) whose input is F − G (vectors of tropical
polynomials), split A = A₊ − A₋ with A₊ = max(A, 0), A₋ = max(−A, 0).  Then

    H  = A₊F + A₋G + b,      G' = A₊G + A₋F,

where a row of a matrix times F means the tropical product ⊙_j F_j^{⊙a_ij}
(exponents a_ij may be rational: the power is scaling).  The output is F' − G'
with

* relu with threshold t:  F' = max(H, G' + t)  (= H ⊕ (t ⊙ G'));
* identity:               F' = H;
* leaky_relu, slope a:    max(z, az) = max(H + aG', aH + G') − (1+a)G',
  so F' = (H ⊙ G'^a) ⊕ (H^a ⊙ G') and the new G is G'^{1+a}.

Start from F⁽⁰⁾ = x (the monomials e_j) and G⁽⁰⁾ = 0.  Each new F and G is
computed directly in reduced form from the reduced inputs by
:func:`tropexact.tropical.products.sum_of_products`, which finds the upper vertices of
the sums of products through a linear-optimisation oracle and never expands
a product; so every layer's output is pruned before the next layer starts.
Alongside, the number of terms each layer *would* have before pruning (the
distributive expansion of the layer applied to the reduced inputs, integer
powers expanded) is counted on exponent sets only; this is the count the
paper reports (Example C.2: H, G, F have 12, 8, 19 terms, pruned to 7, 4, 8).

Examples
--------
>>> from tropexact.networks.model import network
>>> net = network(1, [{"weight": [[1], [2]], "bias": [0, -2], "activation": "relu"},
...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
>>> T = tropicalize(net)
>>> print(T.map[0])
max(0, x0) - max(0, -2 + 2*x0)
>>> T.map[0](["3/2"]) == net(["3/2"])[0]
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from tropexact.errors import BudgetExceeded
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial, expand_power, oplus, otimes, variables
from tropexact.tropical.products import sum_of_products

from .activation import Activation
from .model import Layer, Network
from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap

__all__ = ["tropicalize", "Tropicalization", "OutputPolynomials", "LayerStats"]


@dataclass(frozen=True)
class OutputPolynomials:
    """The last layer's polynomials for one output, with term counts.

    ``H`` is the pre-activation numerator A₊F + A₋G + b, ``F`` and ``G`` the
    output's numerator and denominator (all reduced).  ``terms_before`` maps
    ``"H"``, ``"G"``, ``"F"`` to the number of terms of the layer's unpruned
    expansion (``None`` when counting exceeded the budget).
    """

    H: TropicalPolynomial
    F: TropicalPolynomial
    G: TropicalPolynomial
    terms_before: dict


@dataclass(frozen=True)
class LayerStats:
    """Totals over one layer's neurons: terms before and after pruning, seconds."""

    layer: int
    terms_before: int | None
    terms_after: int
    seconds: float


@dataclass(frozen=True)
class Tropicalization:
    """The result of :func:`tropicalize`: ν = F ⊘ G as a map, plus bookkeeping."""

    network: Network
    map: TropicalRationalMap
    outputs: tuple
    layers: tuple = field(default=())
    pruned: bool = True

    @property
    def terms_before_pruning(self) -> int | None:
        """Σ over outputs of the F and G terms before the last layer's pruning."""
        total = 0
        for o in self.outputs:
            for k in ("F", "G"):
                if o.terms_before[k] is None:
                    return None
                total += o.terms_before[k]
        return total


# ---------------------------------------------------------------------------
# exponent-set bookkeeping for "terms before pruning"

class _Budget:
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


def _mink(a: frozenset | None, b: frozenset | None, budget: _Budget) -> frozenset | None:
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


def _power_set(a: frozenset | None, k: Any, budget: _Budget) -> frozenset | None:
    """Exponent set of the distributive expansion of f^{⊙k} (scaling if k ∉ Z)."""
    if a is None:
        return None
    if k.denominator != 1:
        return _scale(a, k)
    u = next(iter(a))
    out: frozenset | None = frozenset({0 if isinstance(u, int) else tuple(Q(0) for _ in u)})
    for _ in range(int(k)):
        out = _mink(out, a, budget)
    return out


def _union(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    return None if a is None or b is None else a | b


# ---------------------------------------------------------------------------

def _product(factors: Iterable[tuple[TropicalPolynomial, Any]], start: TropicalPolynomial,
             max_terms: int | None) -> TropicalPolynomial:
    """start ⊙ Π f^{⊙k} by the distributive law, unpruned (``prune=False`` only)."""
    out = start
    for f, k in factors:
        p = f.power(k, reduce=False) if k.denominator != 1 else expand_power(f, k, reduce=False)
        out = otimes(out, p, reduce=False)
        if max_terms is not None and len(out) > max_terms:
            raise BudgetExceeded(f"a polynomial grew past max_terms={max_terms} terms")
    return out


def _scaled(factors: list, k: Any) -> list:
    return [(f, k * a) for f, a in factors]


def _layer(l: Layer, F: Sequence[TropicalPolynomial], G: Sequence[TropicalPolynomial],
           prune: bool, count: bool, budget: _Budget, max_terms: int | None, last: bool):
    d = F[0].nvars
    Fs = Gs = None
    if count:
        packed = (l.activation is not Activation.LEAKY_RELU
                  and all(w.denominator == 1 for row in l.weight for w in row)
                  and all(v.denominator == 1 and abs(v) < 2 ** 40
                          for p in list(F) + list(G) for e in p.exponents for v in e))
        conv = _pack if packed else (lambda e: e)
        Fs = [frozenset(conv(e) for e in f.exponents) for f in F]
        Gs = [frozenset(conv(e) for e in g.exponents) for g in G]
    newF, newG, newH, before = [], [], [], []
    for row, b in zip(l.weight, l.bias):
        pos = [(j, a) for j, a in enumerate(row) if a > 0]
        neg = [(j, -a) for j, a in enumerate(row) if a < 0]
        hf = [(F[j], a) for j, a in pos] + [(G[j], a) for j, a in neg]  # H = b ⊙ Π hf
        gf = [(G[j], a) for j, a in pos] + [(F[j], a) for j, a in neg]  # G' = Π gf
        if l.activation is Activation.RELU:
            f_prods = [(b, hf), (l.threshold, gf)]  # max(H, G' + t)
            g_prods, g_scale = [(Q(0), gf)], Q(1)
        elif l.activation is Activation.IDENTITY:
            f_prods = [(b, hf)]
            g_prods, g_scale = [(Q(0), gf)], Q(1)
        else:  # leaky_relu: max(H + aG', aH + G') − (1+a)G'
            a = l.negative_slope
            f_prods = [(b, hf + _scaled(gf, a)), (a * b, _scaled(hf, a) + gf)]
            g_prods, g_scale = [(Q(0), _scaled(gf, 1 + a))], 1 + a
        if prune:
            Gn = sum_of_products(g_prods, d)
            if not last:
                H = None
                Fn = sum_of_products(f_prods, d)
            else:
                # the output layer reports H too: build F from the reduced H
                # instead of searching H's products a second time
                H = sum_of_products([(b, hf)], d)
                if l.activation is Activation.IDENTITY:
                    Fn = H
                elif l.activation is Activation.RELU:  # Gn is G' here
                    Fn = sum_of_products([(Q(0), [(H, 1)]), (l.threshold, [(Gn, 1)])], d)
                else:
                    Fn = sum_of_products(f_prods, d)
        else:
            H = _product(hf, TropicalPolynomial.constant(b, d), max_terms)
            Gp = _product(gf, TropicalPolynomial.one(d), max_terms)
            parts = [_product(fs, TropicalPolynomial.constant(c, d), max_terms)
                     for c, fs in f_prods]
            Fn = parts[0]
            for p in parts[1:]:
                Fn = oplus(Fn, p, reduce=False)
            Gn = Gp.power(g_scale, reduce=False)
        hs = gs = fs = None
        if count:
            assert Fs is not None and Gs is not None
            zero = frozenset({0 if packed else tuple(Q(0) for _ in range(d))})
            hs, gs = zero, zero
            for j, a in pos:
                hs = _mink(hs, _power_set(Fs[j], a, budget), budget)
                gs = _mink(gs, _power_set(Gs[j], a, budget), budget)
            for j, a in neg:
                hs = _mink(hs, _power_set(Gs[j], a, budget), budget)
                gs = _mink(gs, _power_set(Fs[j], a, budget), budget)
            if l.activation is Activation.RELU:
                fs = _union(hs, gs)
            elif l.activation is Activation.IDENTITY:
                fs = hs
            else:
                a = l.negative_slope
                fs = _union(_mink(hs, _scale(gs, a), budget), _mink(_scale(hs, a), gs, budget))
                gs = _scale(gs, 1 + a)
        if max_terms is not None and max(len(Fn), len(Gn)) > max_terms:
            raise BudgetExceeded(
                f"a reduced polynomial has {max(len(Fn), len(Gn))} terms, more than "
                f"max_terms={max_terms}")
        newF.append(Fn)
        newG.append(Gn)
        newH.append(H)
        before.append({"H": None if hs is None else len(hs),
                       "G": None if gs is None else len(gs),
                       "F": None if fs is None else len(fs)})
    return newF, newG, newH, before


def tropicalize(net: Network, *, prune: bool = True, count_before: bool = True,
                count_budget: int = 5_000_000, max_terms: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> Tropicalization:
    """The tropical rational map F ⊘ G computing *net* exactly.

    Parameters
    ----------
    net : Network
    prune : bool
        Compute every neuron's F and G in reduced form (default), so that each
        layer starts from reduced inputs.  ``False`` gives the raw
        distributive expansion of the whole network, for comparison only.
    count_before : bool
        Also count the terms each layer has before pruning (exponent sets).
    count_budget : int
        Work limit for that count, per layer (set-sum operations on packed
        integer exponents; 10 per operation on rational exponents); past it
        the layer's counts are ``None``.
    max_terms : int, optional
        Raise :class:`~tropexact.errors.BudgetExceeded` when a polynomial (a
        neuron's reduced F or G, or with ``prune=False`` any partial
        expansion) has more than this many terms.
    progress : callable, optional
        Called as ``progress(k, L)`` after each of the L layers.

    Returns
    -------
    Tropicalization
        ``.map[i]`` is F_i ⊘ G_i with ν_i(x) = F_i(x) − G_i(x) for every x.
    """
    d = net.input_dim
    F = list(variables(d))
    G = [TropicalPolynomial.one(d) for _ in range(d)]
    stats = []
    H: list = []
    before: list = []
    for k, l in enumerate(net.layers):
        t0 = time.perf_counter()
        # each layer's count starts from the reduced inputs, so each gets its own budget
        F, G, H, before = _layer(l, F, G, prune, count_before, _Budget(count_budget), max_terms,
                                  k == len(net.layers) - 1)
        tb = [b["H"] for b in before] + [b["G"] for b in before] + [b["F"] for b in before]
        stats.append(LayerStats(
            k,
            None if (not count_before or any(v is None for v in tb))
            else sum(b["F"] + b["G"] for b in before),
            sum(len(f) + len(g) for f, g in zip(F, G)),
            time.perf_counter() - t0))
        if progress is not None:
            progress(k + 1, len(net.layers))
    outs = tuple(OutputPolynomials(h, f, g, b) for h, f, g, b in zip(H, F, G, before))
    tmap = TropicalRationalMap(TropicalRationalFunction(f, g) for f, g in zip(F, G))
    return Tropicalization(net, tmap, outs, tuple(stats), prune)
