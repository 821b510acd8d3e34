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
  so F' = (H ⊙ G'^a) ⊕ (H^a ⊙ G') and the new G is G'^{1+a};
* maxout over the pieces z_i = H_i − G'_i of a unit:
  max_i z_i = ⊕_i (H_i ⊙ ⊙_{j≠i} G'_j) − ⊙_i G'_i  (add Σ_j G'_j to every piece),
  so F' = ⊕_i (H_i ⊙ ⊙_{j≠i} G'_j) and the new G is ⊙_i G'_i.

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

from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap

from ._term_count import LayerCount
from .activation import Activation
from .model import Layer, Network

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

def _product(factors: Iterable[tuple[TropicalPolynomial, Any]], start: TropicalPolynomial,
             max_terms: int | None) -> TropicalPolynomial:
    """start ⊙ Π f^{⊙k} by the distributive law, unpruned (``prune=False`` only)."""
    out = start
    for f, k in factors:
        p = f.power(k, reduce=False) if k.denominator != 1 else expand_power(f, k, reduce=False)
        out = otimes(out, p, reduce=False)
        if max_terms is not None and len(out) > max_terms:
            raise BudgetExceeded(f"a polynomial grew past max_terms={max_terms} terms",
                                 param="max_terms")
    return out


def _scaled(factors: list, k: Any) -> list:
    return [(f, k * a) for f, a in factors]


def _neuron_products(l: Layer, row: Sequence[Any], b: Any, F: Sequence[TropicalPolynomial],
                     G: Sequence[TropicalPolynomial]) -> tuple:
    """The products of one neuron (module docstring): (pos, neg, hf, gf, f_prods, g_prods,
    g_scale) with H = b ⊙ Π hf, G' = Π gf, F' = ⊕ of f_prods, G'' = ⊕ g_prods = G'^g_scale."""
    pos = [(j, a) for j, a in enumerate(row) if a > 0]
    neg = [(j, -a) for j, a in enumerate(row) if a < 0]
    hf = [(F[j], a) for j, a in pos] + [(G[j], a) for j, a in neg]
    gf = [(G[j], a) for j, a in pos] + [(F[j], a) for j, a in neg]
    if l.activation is Activation.RELU:
        return pos, neg, hf, gf, [(b, hf), (l.threshold, gf)], [(Q(0), gf)], Q(1)
    if l.activation in (Activation.IDENTITY, Activation.MAXOUT):  # maxout: one piece
        return pos, neg, hf, gf, [(b, hf)], [(Q(0), gf)], Q(1)
    a = l.negative_slope  # leaky relu: max(H + aG', aH + G') − (1+a)G'
    f_prods = [(b, hf + _scaled(gf, a)), (a * b, _scaled(hf, a) + gf)]
    return pos, neg, hf, gf, f_prods, [(Q(0), _scaled(gf, 1 + a))], 1 + a


def _unit_products(l: Layer, rows: Sequence, biases: Sequence, F: Sequence[TropicalPolynomial],
                   G: Sequence[TropicalPolynomial]) -> tuple:
    """The products of one maxout unit (module docstring): (f_prods, g_prods), F' the
    tropical sum of the f_prods (one per piece) and G' the one product of g_prods."""
    pieces = [_neuron_products(l, row, b, F, G) for row, b in zip(rows, biases)]
    gfs = [p[3] for p in pieces]
    f_prods = [(b, p[2] + [f for j, gf in enumerate(gfs) if j != i for f in gf])
               for i, (p, b) in enumerate(zip(pieces, biases))]
    return f_prods, [(Q(0), [f for gf in gfs for f in gf])]


def _pruned(l: Layer, b: Any, hf: list, f_prods: list, g_prods: list, d: int,
            last: bool, max_terms: int | None) -> tuple:
    """(F', G', H) of a neuron in reduced form, never expanding a product (H only for the
    output layer, which reports it; F' is then built from the reduced H)."""
    def reduced(products: list) -> TropicalPolynomial:
        return sum_of_products(products, d, max_terms=max_terms)

    Gn = reduced(g_prods)
    if not last:
        return reduced(f_prods), Gn, None
    H = reduced([(b, hf)])
    if l.activation is Activation.IDENTITY:
        return H, Gn, H
    if l.activation is Activation.RELU:  # Gn is G' here
        return reduced([(Q(0), [(H, 1)]), (l.threshold, [(Gn, 1)])]), Gn, H
    return reduced(f_prods), Gn, H


def _unpruned(b: Any, hf: list, gf: list, f_prods: list, g_scale: Any, d: int,
              max_terms: int | None) -> tuple:
    """(F', G', H) of a neuron by the distributive law, nothing pruned (comparison only)."""
    H = _product(hf, TropicalPolynomial.constant(b, d), max_terms)
    Gp = _product(gf, TropicalPolynomial.one(d), max_terms)
    parts = [_product(fs, TropicalPolynomial.constant(c, d), max_terms) for c, fs in f_prods]
    Fn = parts[0]
    for p in parts[1:]:
        Fn = oplus(Fn, p, reduce=False)
    return Fn, Gp.power(g_scale, reduce=False), H


def _check_terms(F: TropicalPolynomial, G: TropicalPolynomial, max_terms: int | None) -> None:
    """Stop with :class:`~tropexact.errors.BudgetExceeded` when F or G has more than
    *max_terms* terms."""
    if max_terms is not None and max(len(F), len(G)) > max_terms:
        raise BudgetExceeded(f"a reduced polynomial has {max(len(F), len(G))} terms, more "
                             f"than max_terms={max_terms}", param="max_terms")


def _layer(l: Layer, F: Sequence[TropicalPolynomial], G: Sequence[TropicalPolynomial],
           prune: bool, count_budget: int | None, max_terms: int | None, last: bool) -> tuple:
    """One layer: the new F, G, H per neuron and the term counts before pruning."""
    d = F[0].nvars
    if l.activation is Activation.MAXOUT:
        return _maxout_layer(l, F, G, prune, max_terms)
    counter = LayerCount(l, F, G, count_budget) if count_budget is not None else None
    newF, newG, newH, before = [], [], [], []
    for row, b in zip(l.weight, l.bias):
        pos, neg, hf, gf, f_prods, g_prods, g_scale = _neuron_products(l, row, b, F, G)
        if prune:
            Fn, Gn, H = _pruned(l, b, hf, f_prods, g_prods, d, last, max_terms)
        else:
            Fn, Gn, H = _unpruned(b, hf, gf, f_prods, g_scale, d, max_terms)
        _check_terms(Fn, Gn, max_terms)
        newF.append(Fn)
        newG.append(Gn)
        newH.append(H)
        before.append(counter.neuron(pos, neg) if counter is not None else
                      {"H": None, "G": None, "F": None})
    return newF, newG, newH, before


def _maxout_layer(l: Layer, F: Sequence[TropicalPolynomial], G: Sequence[TropicalPolynomial],
                  prune: bool, max_terms: int | None) -> tuple:
    """A maxout layer (module docstring): per unit F' = ⊕_i (H_i ⊙ ⊙_{j≠i} G'_j) and
    G' = ⊙_i G'_i.  H is reported as F' (a maxout unit has no single pre-activation);
    the terms before pruning are not counted (None)."""
    d = F[0].nvars
    newF, newG, newH, before = [], [], [], []
    for i, j in l.units():
        f_prods, g_prods = _unit_products(l, l.weight[i:j], l.bias[i:j], F, G)
        if prune:
            Fn = sum_of_products(f_prods, d, max_terms=max_terms)
            Gn = sum_of_products(g_prods, d, max_terms=max_terms)
        else:
            Fn, Gn, _ = _unpruned(Q(0), [], [], f_prods, Q(1), d, max_terms)
            Gn = _product(g_prods[0][1], TropicalPolynomial.one(d), max_terms)
        _check_terms(Fn, Gn, max_terms)
        newF.append(Fn)
        newG.append(Gn)
        newH.append(Fn)
        before.append({"H": None, "G": None, "F": None})
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
        F, G, H, before = _layer(l, F, G, prune, count_budget if count_before else None,
                                 max_terms, k == len(net.layers) - 1)
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
