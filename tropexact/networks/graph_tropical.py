"""Computation graphs → tropical rational maps F ⊘ G, node by node.

Each node's output is a vector of differences F − G of tropical polynomials,
built from its inputs' by the rules of docs/design.md §3, each new polynomial
in reduced form (:func:`tropexact.tropical.products.sum_of_products`, never
expanding a product).  With z = F − G:

* ``affine`` W u + b: H = W₊F + W₋G + b and G' = W₊G + W₋F (a row times F is the
  tropical product ⊙_j F_j^{⊙w_j});
* ``relu`` max(z, t) = max(F, G + t) − G;  ``leaky_relu`` max(z, az) =
  max(F + aG, aF + G) − (1 + a)G;  ``identity`` keeps (F, G);
* ``add`` Σ z_i = ⊙F_i − ⊙G_i;  ``concat`` joins the vectors;
* ``max`` over pieces z_i = F_i − G_i: max_i(F_i + Σ_{j≠i} G_j) − Σ_j G_j.

Start from F = x (the monomials e_j) and G = 0 at the input.  A sequential
network gives the same reduced polynomials as
:func:`tropexact.networks.tropicalization.tropicalize` (a test).

Examples
--------
>>> from tropexact.networks.graph import graph
>>> g = graph(1, [{"name": "r", "op": "relu", "input": "input"},
...               {"name": "y", "op": "add", "inputs": ["r", "input"]}], "y")
>>> T = tropicalize_graph(g)
>>> print(T.map[0])
max(x0, 2*x0) - 0
>>> T.map[0](["-3"]) == g(["-3"])[0]
True
"""

from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from tropexact.errors import BudgetExceeded
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial, variables
from tropexact.tropical.products import sum_of_products
from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap

from .graph import Graph, Node
from .tropicalization import LayerStats, OutputPolynomials, Tropicalization

__all__ = ["tropicalize_graph"]

_ZERO = Q(0)


def _affine(node: Node, F: Sequence, G: Sequence, d: int, most: int | None) -> tuple:
    newF, newG = [], []
    for row, b in zip(node.rows, node.bias):
        hf = [(F[j], w) if w > 0 else (G[j], -w) for j, w in row]
        gf = [(G[j], w) if w > 0 else (F[j], -w) for j, w in row]
        newF.append(sum_of_products([(b, hf)], d, max_terms=most))
        newG.append(sum_of_products([(_ZERO, gf)], d, max_terms=most))
    return newF, newG


def _max(pieces: Sequence[Sequence[tuple]], d: int, most: int | None) -> tuple:
    """Per output, the max over its pieces (F_i, G_i) (module docstring)."""
    newF, newG = [], []
    for ps in pieces:
        newF.append(sum_of_products(
            [(_ZERO, [(f, 1)] + [(g, 1) for j, (_, g) in enumerate(ps) if j != i])
             for i, (f, _) in enumerate(ps)], d, max_terms=most))
        newG.append(sum_of_products([(_ZERO, [(g, 1) for _, g in ps])], d, max_terms=most))
    return newF, newG


def _node(node: Node, ins: list, d: int, most: int | None) -> tuple:
    """(F, G) of one node from its inputs' (F, G) pairs."""
    op = node.op
    if op == "affine":
        return _affine(node, *ins[0], d, most)
    if op == "identity":
        return ins[0]
    if op == "concat":
        return [f for F, _ in ins for f in F], [g for _, G in ins for g in G]
    if op == "add":
        F = [sum_of_products([(_ZERO, [(f, 1) for f in fs])], d, max_terms=most)
             for fs in zip(*(F for F, _ in ins))]
        G = [sum_of_products([(_ZERO, [(g, 1) for g in gs])], d, max_terms=most)
             for gs in zip(*(G for _, G in ins))]
        return F, G
    if op == "max":
        if node.groups:
            F, G = ins[0]
            return _max([[(F[i], G[i]) for i in grp] for grp in node.groups], d, most)
        return _max([list(zip(fs, gs)) for fs, gs in
                     zip(zip(*(F for F, _ in ins)), zip(*(G for _, G in ins)))], d, most)
    F, G = ins[0]
    if op == "relu":
        return ([sum_of_products([(_ZERO, [(f, 1)]), (node.param, [(g, 1)])], d, max_terms=most)
                 for f, g in zip(F, G)], list(G))
    a = node.param
    return ([sum_of_products([(_ZERO, [(f, 1), (g, a)]), (_ZERO, [(f, a), (g, 1)])], d,
                             max_terms=most) for f, g in zip(F, G)],
            [g.power(1 + a) for g in G])


def tropicalize_graph(g: Graph, *, max_terms: int | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      **_: Any) -> Tropicalization:
    """The tropical rational map F ⊘ G computing the graph *g* exactly.

    Parameters
    ----------
    g : Graph
    max_terms : int, optional
        Raise :class:`~tropexact.errors.BudgetExceeded` when a reduced polynomial has
        more terms.
    progress : callable, optional
        ``progress(k, n)`` after each of the n nodes.

    Returns
    -------
    Tropicalization
        ``.map[i]`` is F_i ⊘ G_i; ``.layers`` has one entry per node (terms after
        pruning; the terms before pruning are not counted for graphs).
    """
    d = g.input_dim
    values = {"input": (list(variables(d)), [TropicalPolynomial.one(d)] * d)}
    stats = []
    for k, node in enumerate(g.nodes):
        t0 = time.perf_counter()
        F, G = _node(node, [values[i] for i in node.inputs], d, max_terms)
        if max_terms is not None and any(len(p) > max_terms for p in list(F) + list(G)):
            raise BudgetExceeded(f"a polynomial of node {node.name!r} has more than "
                                 f"max_terms={max_terms} terms", param="max_terms")
        values[node.name] = (F, G)
        stats.append(LayerStats(k, None, sum(len(f) + len(h) for f, h in zip(F, G)),
                                time.perf_counter() - t0))
        if progress is not None:
            progress(k + 1, len(g.nodes))
    F, G = values[g.output]
    none = {"H": None, "G": None, "F": None}
    outs = tuple(OutputPolynomials(f, f, h, dict(none)) for f, h in zip(F, G))
    tmap = TropicalRationalMap(TropicalRationalFunction(f, h) for f, h in zip(F, G))
    return Tropicalization(g, tmap, outs, tuple(stats), True)  # type: ignore[arg-type]
