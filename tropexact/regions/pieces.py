"""Tropicalization at enumeration speed: F and G from the affine pieces met on the regions.

The recursion of :mod:`tropexact.networks.tropicalization` (docs/design.md §3)
builds, neuron by neuron, tropical polynomials H, G' and F' = max(H, G' + t)
(relu), F' = H (identity) or F' = max(H + aG', aH + G') (leaky relu, slope a).
On an activation region every neuron's sign is fixed, so every one of these
maxima is decided there (the sign of z − t is the sign of H − G' − t): F, G and H
of every neuron of every layer are *affine* on the region.

A tropical polynomial f in reduced form has exactly one term per linear piece of
the convex function it defines, and every piece is full-dimensional.  The
activation regions over all of Q^d are open, disjoint and dense, so each piece
meets a region, where f is affine and hence equal to the piece on the whole
region; conversely the affine function f takes on a region is attained as the
maximum on an open set, so it is a term (an upper vertex of the lifted Newton
polytope).  Hence

    reduced f = ⊕ of the distinct affine functions f takes on the activation regions,

found without a hull or an LP: one affine update per neuron per distinct cell of
each layer (cells are shared by the regions below them: the sign vector's prefix).

:func:`tropicalize` chooses the method: ``"regions"`` (this one) or
``"hull"`` (:func:`tropexact.networks.tropicalization.tropicalize`, the paper's
recursion on polynomials with upper-vertex oracles); tests cross-check the two.

Examples
--------
>>> from tropexact.networks.io import load_network
>>> from tropexact.networks.tropicalization import tropicalize as by_hull
>>> net = load_network("data/networks/zhang2018_example_c2.json")
>>> T = tropicalize(net)
>>> [len(T.outputs[0].F), len(T.outputs[0].G)]
[8, 4]
>>> T.map == by_hull(net).map
True
"""

from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from tropexact.errors import BudgetExceeded, InputError
from tropexact.exact.numbers import Q
from tropexact.networks._term_count import LayerCount
from tropexact.networks.activation import Activation
from tropexact.networks.graph import Graph
from tropexact.networks.graph_tropical import tropicalize_graph
from tropexact.networks.model import PIECE_LETTERS, Network
from tropexact.networks.tropicalization import (LayerStats, OutputPolynomials, Tropicalization,
                                                 tropicalize as tropicalize_by_hull)
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap

from .activation import RegionComplex, activation_regions

__all__ = ["tropicalize", "tropicalize_by_regions", "final_pieces", "METHODS"]

#: the tropicalization methods :func:`tropicalize` offers
METHODS = ("auto", "regions", "hull")


def tropicalize(net: Network, *, method: str = "auto", **kwargs: Any) -> Tropicalization:
    """The tropical rational map F ⊘ G computing *net* exactly, by *method*.

    ``"regions"``: :func:`tropicalize_by_regions`, cost proportional to the
    activation regions over Q^d.  ``"hull"``:
    :func:`tropexact.networks.tropicalization.tropicalize`, the layer recursion with
    upper-vertex oracles (no enumeration).  Both give the same reduced polynomials;
    keyword arguments go to the method (``regions`` and ``max_regions`` only to
    ``"regions"``, ``prune`` only to ``"hull"``).  ``"auto"`` (default) takes
    ``"regions"``, except under a budget on the terms (*max_terms*) with neither
    regions nor a budget on them (*max_regions*) given: the enumeration cannot know
    the terms before it ends, while the hull recursion stops at the first
    polynomial over the budget.
    """
    if isinstance(net, Graph):
        if method == "regions":
            raise InputError("a computation graph is tropicalized node by node (method hull); "
                             "the regions method takes sequential networks", param="method")
        kwargs.pop("regions", None)
        kwargs.pop("max_regions", None)
        kwargs.pop("count_before", None)
        return tropicalize_graph(net, **kwargs)
    if method == "auto":
        method = "hull" if kwargs.get("max_terms") is not None and \
            kwargs.get("regions") is None and kwargs.get("max_regions") is None else "regions"
        if method == "hull":
            kwargs.pop("regions", None)
            kwargs.pop("max_regions", None)
    if method == "regions":
        return tropicalize_by_regions(net, **kwargs)
    if method == "hull":
        return tropicalize_by_hull(net, **kwargs)
    raise InputError(f"unknown method {method!r} (choose from {', '.join(METHODS)})",
                     param="method")


def tropicalize_by_regions(net: Network, regions: RegionComplex | None = None, *,
                           count_before: bool = True, count_budget: int = 5_000_000,
                           max_terms: int | None = None, max_regions: int | None = None,
                           progress: Callable[[int, int], None] | None = None
                           ) -> Tropicalization:
    """F ⊘ G of *net* from the affine pieces F and G take on its activation regions.

    Parameters
    ----------
    net : Network
    regions : RegionComplex, optional
        The activation regions of *net* over all of Q^d (a domain would miss pieces);
        enumerated here (with *max_regions*) if not given.
    count_before, count_budget
        As in :func:`tropexact.networks.tropicalization.tropicalize`: also count each
        layer's terms before pruning, from the reduced inputs.
    max_terms : int, optional
        Stop with :class:`~tropexact.errors.BudgetExceeded` as soon as a neuron's F,
        G or H has more than this many terms.
    progress : callable, optional
        Called as ``progress(k, L)`` after each of the L layers.

    Returns
    -------
    Tropicalization
        The same reduced polynomials as the hull method.
    """
    if regions is None:
        regions = activation_regions(net, max_regions=max_regions)
    else:
        _check_regions(net, regions)
    d, plan = net.input_dim, _Packing(net)
    polys, stats = [], []

    def layer_done(k: int, step: "_Layer", t0: float) -> None:
        F, G, H = step.polynomials()
        counts = _counts(net.layers[k], polys[-1] if polys else None, d, count_before,
                         count_budget)
        stats.append(LayerStats(k, counts[1], sum(len(f) + len(g) for f, g in zip(F, G)),
                                time.perf_counter() - t0))
        polys.append((F, G, H, counts[0]))
        if progress is not None:
            progress(k + 1, len(net.layers))

    _sweep(net, regions, plan, max_terms, layer_done)
    F, G, H, before = polys[-1]
    outs = tuple(OutputPolynomials(h, f, g, b) for h, f, g, b in zip(H, F, G, before))
    tmap = TropicalRationalMap(TropicalRationalFunction(f, g) for f, g in zip(F, G))
    return Tropicalization(net, tmap, outs, tuple(stats), True)


def _check_regions(net: Network, regions: RegionComplex) -> None:
    if regions.domain is not None or regions.network != net:
        raise InputError("the regions must be those of this network over all of Q^d",
                         param="regions")


def _sweep(net: Network, regions: RegionComplex, plan: "_Packing", max_terms: int | None,
           layer_done: Callable | None = None) -> dict:
    """Every layer's packed (F, G) on every distinct cell, layer by layer; returns the last
    layer's, keyed by the regions' full sign vectors.  ``layer_done(k, step, t0)`` sees
    each finished layer (its distinct pieces in ``step``)."""
    d, signs = net.input_dim, sorted({r.signs for r in regions.regions})
    cells = {"": ([1 << (plan.k * i) for i in range(d)], [0] * d)}  # prefix -> (F, G)
    start = 0
    for k, layer in enumerate(net.layers):
        t0 = time.perf_counter()
        end = start + (layer.out_dim if layer.activation is not Activation.IDENTITY else 0)
        step = _Layer(layer, k, plan)
        new: dict = {}
        for s in signs:
            prefix = s[:end]
            if prefix not in new:
                new[prefix] = step.apply(*cells[s[:start]], prefix[start:end])
        step.check(max_terms)
        if layer_done is not None:
            layer_done(k, step, t0)
        cells, start = new, end
    return cells


def final_pieces(net: Network, regions: RegionComplex) -> list:
    """Per region of *regions* (over all of Q^d), per output: the affine functions F and
    G of the output take there, each as (exponent, coefficient) -- the term of the
    reduced F (or G) that attains the maximum on the whole region.

    Examples
    --------
    Example C.2 has 23 regions; output 0's F takes 8 distinct pieces on them, its
    terms:

    >>> from tropexact.networks.io import load_network
    >>> net = load_network("data/networks/zhang2018_example_c2.json")
    >>> C = activation_regions(net)
    >>> P = final_pieces(net, C)
    >>> len(P), len({p[0][0] for p in P}) == len(tropicalize(net).outputs[0].F)
    (23, True)
    """
    _check_regions(net, regions)
    plan = _Packing(net)
    cells = _sweep(net, regions, plan, None)
    d, scale = net.input_dim, plan.layers[-1][-1]
    memo: dict = {}

    def term(x: int) -> tuple:
        if x not in memo:
            c = plan.unpack(x, scale)
            memo[x] = (c[:d], c[d])
        return memo[x]

    return [tuple((term(f), term(g)) for f, g in zip(*cells[r.signs])) for r in regions.regions]


class _Packing:
    """Exact integer arithmetic on affine functions, d + 1 coefficients packed in one int.

    Layer l's weights, biases, threshold (and a leaky slope's denominator) are scaled
    to integers by D_l, so its pieces are integers over S_l = D_1 ⋯ D_l.  An affine
    function with scaled coefficients c_0 … c_d (c_d the constant) is the integer
    Σ c_i 2^(k i): linear combinations of affine functions are then single integer
    operations, and a piece is its own canonical key.  Every coefficient any layer can
    produce is below 2^(k−1) in absolute value (a bound propagated layer by layer:
    Σ|w|·(previous bound) + |b| + |t|), so the packed integer determines the
    coefficients exactly (:meth:`unpack`), whatever the carries between slots.
    """

    def __init__(self, net: Network) -> None:
        self.d, bound, S, top = net.input_dim, 1, 1, 1
        self.layers: list = []
        for layer in net.layers:
            a = layer.negative_slope if layer.activation is Activation.LEAKY_RELU else None
            t = layer.threshold if layer.activation is Activation.RELU else Q(0)
            nums = [w for row in layer.weight for w in row] + list(layer.bias) + [t]
            D = 1
            for v in nums:
                D = D * v.denominator // _gcd(D, v.denominator)
            W = [[int(w * D) for w in row] for row in layer.weight]
            B, T = [int(b * D) * S for b in layer.bias], int(t * D) * S
            grow = max(sum(abs(w) for w in row) for row in W) * bound
            bound = grow + max(abs(b) for b in B) + abs(T)
            leaky = (int(a.numerator), int(a.denominator)) if a is not None else None
            if leaky:
                bound *= sum(leaky)
            bound *= layer.pieces  # maxout: F' = H_i + Σ_{j≠i} G'_j
            top = max(top, bound)  # a later layer's bound can be smaller (zero weights)
            self.layers.append((W, B, T, leaky))
            S *= D * (leaky[1] if leaky else 1)
            self.layers[-1] += (S,)
        self.k = top.bit_length() + 2

    def constant(self, c: int) -> int:
        return c << (self.k * self.d)

    def unpack(self, x: int, scale: int) -> tuple:
        """The affine function (c_0/scale, …, c_d/scale) packed in *x*."""
        k, out = self.k, []
        mask, half = (1 << k) - 1, 1 << (k - 1)
        for _ in range(self.d + 1):
            c = x & mask
            if c >= half:
                c -= 1 << k
            out.append(Q(c, scale))
            x = (x - c) >> k
        return tuple(out)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


class _Layer:
    """One layer's affine update on packed pieces (H, G', F' per neuron from the previous
    F, G and the neurons' signs on a cell), and the distinct pieces met so far.

    A maxout unit whose piece i wins on the cell has F' = H_i + Σ_{j≠i} G'_j (the
    winning term of ⊕_i H_i ⊙ ⊙_{j≠i} G'_j, which is z_i + Σ_j G'_j) and
    G' = Σ_j G'_j; its H is reported as its F' (as the hull method does).
    """

    def __init__(self, layer: Any, index: int, plan: _Packing) -> None:
        self.kind, self.plan = layer.activation, plan
        W, B, T, self.leaky, self.scale = plan.layers[index]
        self.rows = [([(j, w) for j, w in enumerate(row) if w > 0],
                      [(j, -w) for j, w in enumerate(row) if w < 0], plan.constant(b))
                     for row, b in zip(W, B)]
        self.t = plan.constant(T)
        self.units = list(layer.units())
        n = len(self.units)
        self.pieces: dict = {"F": [set() for _ in range(n)], "G": [set() for _ in range(n)],
                             "H": [set() for _ in range(n)]}

    def apply(self, F: Sequence[int], G: Sequence[int], signs: str) -> tuple:
        """(F', G') of the layer on a cell where the previous layer is (F, G) and the
        layer's neurons have *signs* (empty for an identity layer)."""
        if self.kind is Activation.MAXOUT:
            return self._maxout(F, G, signs)
        newF, newG = [], []
        pF, pG, pH = self.pieces["F"], self.pieces["G"], self.pieces["H"]
        for i, (pos, neg, b) in enumerate(self.rows):
            H, Gp = b, 0
            for j, w in pos:
                H += w * F[j]
                Gp += w * G[j]
            for j, w in neg:
                H += w * G[j]
                Gp += w * F[j]
            if self.kind is Activation.IDENTITY:
                Fn, Gn = H, Gp
            elif self.kind is Activation.RELU:  # '+': H; '-' or '0' (both equal): G' + t
                Fn, Gn = (H if signs[i] == "+" else Gp + self.t), Gp
            else:  # leaky relu a = p/q: max(H + aG', aH + G'), scaled by q; new G (1 + a) G'
                p, q = self.leaky
                Fn = q * H + p * Gp if signs[i] == "+" else p * H + q * Gp
                Gn, H = (p + q) * Gp, q * H
            newF.append(Fn)
            newG.append(Gn)
            pF[i].add(Fn)
            pG[i].add(Gn)
            pH[i].add(H)
        return newF, newG

    def _maxout(self, F: Sequence[int], G: Sequence[int], states: str) -> tuple:
        """(F', G') of a maxout layer on a cell whose units have *states* (class docstring)."""
        HG = []
        for pos, neg, b in self.rows:
            HG.append((b + sum(w * F[j] for j, w in pos) + sum(w * G[j] for j, w in neg),
                       sum(w * G[j] for j, w in pos) + sum(w * F[j] for j, w in neg)))
        newF, newG = [], []
        for u, ((i, j), s) in enumerate(zip(self.units, states)):
            win = i + PIECE_LETTERS.index(s)
            Gn = sum(g for _, g in HG[i:j])
            Fn = HG[win][0] + Gn - HG[win][1]
            newF.append(Fn)
            newG.append(Gn)
            self.pieces["F"][u].add(Fn)
            self.pieces["G"][u].add(Gn)
            self.pieces["H"][u].add(Fn)
        return newF, newG

    def check(self, max_terms: int | None) -> None:
        if max_terms is None:
            return
        for name, sets in self.pieces.items():
            for i, s in enumerate(sets):
                if len(s) > max_terms:
                    raise BudgetExceeded(f"{name} of neuron {i} has more than max_terms="
                                         f"{max_terms} terms", param="max_terms")

    def polynomials(self) -> tuple:
        """(F, G, H): per neuron, the reduced polynomial of the distinct pieces."""
        d, unpack, scale = self.plan.d, self.plan.unpack, self.scale
        return tuple([TropicalPolynomial.from_upper_vertices(
            sorted(unpack(x, scale) for x in s), d) for s in sets]
            for sets in (self.pieces["F"], self.pieces["G"], self.pieces["H"]))


def _counts(layer: Any, previous: tuple | None, d: int, count_before: bool,
            budget: int) -> tuple[list, int | None]:
    """The layer's terms before pruning per neuron, and their F + G total (None when
    not counted or past the budget), from the reduced inputs as the hull method does."""
    n = layer.out_dim
    if not count_before or layer.activation is Activation.MAXOUT:
        return [{"H": None, "G": None, "F": None}] * n, None
    if previous is None:
        from tropexact.tropical.polynomial import variables
        F, G = list(variables(d)), [TropicalPolynomial.one(d)] * d
    else:
        F, G = previous[0], previous[1]
    counter = LayerCount(layer, F, G, budget)
    before = [counter.neuron([(j, w) for j, w in enumerate(row) if w > 0],
                             [(j, -w) for j, w in enumerate(row) if w < 0]) for row in layer.weight]
    values = [v for b in before for v in b.values()]
    total = None if any(v is None for v in values) else sum(b["F"] + b["G"] for b in before)
    return before, total
