"""The cells of a tropical polynomial read off activation regions on which it is affine.

:func:`tropexact.regions.cells.term_regions` finds the cells of f = max_i t_i with
one exact LP per term and a redundancy removal per cell: T LPs of T constraints.
When f is the F, G or F ⊙ G of a network's output, the activation regions over Q^d
already subdivide every cell (f is affine on each region, docs/design.md §3), so the
cells and their adjacency can be read off the regions instead:

* the term of region R is the affine function f takes on R
  (:func:`tropexact.regions.pieces.final_pieces`); it must be a term of f;
* term i has a full-dimensional cell iff it is the term of some region (the regions
  are dense in Q^d, and a cell with interior meets one in an open set, where the
  affine f is t_i); its witness is a region's interior point, where t_i is checked
  to beat every other term strictly (the margin, computed exactly);
* two cells share a (d−1)-face iff two adjacent regions (closures sharing a
  (d−1)-face) have these two terms: the common face of the regions lies in both
  cells, and conversely the regions on either side of a shared face of the cells
  cover it by facets of their own, so some facet is shared by a region of each;
* the facets of cell i are the hyperplanes t_i = t_j of its neighbours j, no two of
  them the same hyperplane (checked, as in ``term_regions``).

The cost is one pass over the regions and edges plus one exact evaluation of f per
cell (the witness).  The result is a :class:`~tropexact.regions.cells.TermRegions`
like ``term_regions``'s; the tests check the two are equal.

Examples
--------
>>> from tropexact.networks.io import load_network
>>> from tropexact.regions import activation_regions, term_regions
>>> from tropexact.regions.pieces import final_pieces, tropicalize
>>> net = load_network("data/networks/zhang2018_example_c2.json")
>>> C, F = activation_regions(net), tropicalize(net).outputs[0].F
>>> R = term_regions_on(F, C, [p[0][0] for p in final_pieces(net, C)])
>>> len(R.regions), sorted(R.graph.edges) == sorted(term_regions(F).graph.edges)
(8, True)
"""

from __future__ import annotations

from typing import Any, Sequence

import networkx as nx

from tropexact.errors import InputError, VerificationError
from tropexact.exact.linalg import primitive_integer
from tropexact.exact.numbers import Q, fmt_vector
from tropexact.tropical.polynomial import TropicalPolynomial

from .activation import RegionComplex
from .cells import TermRegion, TermRegions

__all__ = ["term_regions_on"]


def _margin(f: TropicalPolynomial, i: int, point: tuple) -> Any:
    """min over j ≠ i of t_i(point) − t_j(point), exactly (integer arithmetic)."""
    if len(f) == 1:
        return Q(1)
    vals, den = f._integer_values(point)
    mine = vals[i]
    return Q(min(mine - v for j, v in enumerate(vals) if j != i), den)


def term_regions_on(f: TropicalPolynomial, regions: RegionComplex,
                    pieces: Sequence[tuple]) -> TermRegions:
    """The full-dimensional cells of *f* and their adjacency, from activation regions.

    Parameters
    ----------
    f : TropicalPolynomial
        A polynomial affine on every region (the F, G or F ⊙ G of one output).
    regions : RegionComplex
        Activation regions over all of Q^d, with their adjacency graph.
    pieces : sequence of (exponent, coefficient)
        ``pieces[k]`` is the affine function f takes on region k.

    Returns
    -------
    TermRegions
        Cells in term order, each with the first region's interior point as witness.

    Raises
    ------
    VerificationError
        A piece that is not a term of f, a witness where its term does not win
        strictly, or two neighbours on one hyperplane: f is not affine on the
        regions as claimed (a bug, never a property of f).
    """
    if regions.domain is not None:
        raise InputError("the cells of f need the regions over all of Q^d", param="regions")
    if len(pieces) != len(regions.regions):
        raise InputError(f"{len(pieces)} pieces for {len(regions.regions)} regions",
                         param="pieces")
    terms = f.terms
    index = {t: i for i, t in enumerate(terms)}
    owner, first = [], {}
    for k, piece in enumerate(pieces):
        i = index.get((tuple(piece[0]), piece[1]))
        if i is None:
            raise VerificationError(f"the piece {fmt_vector(piece[0])}, {piece[1]} of region {k} "
                                    "is not a term of f")
        owner.append(i)
        first.setdefault(i, k)
    nbrs: dict[int, set] = {i: set() for i in first}
    for u, v in regions.graph.edges:
        a, b = owner[u], owner[v]
        if a != b:
            nbrs[a].add(b)
            nbrs[b].add(a)
    cells = []
    for i in sorted(first):
        (ai, ci), point = terms[i], tuple(regions.regions[first[i]].point)
        margin = _margin(f, i, point)
        if margin <= 0:
            raise VerificationError(f"term {fmt_vector(ai)} does not win strictly at the interior "
                                    f"point {fmt_vector(point)} of its region")
        others = sorted(nbrs[i])
        rows = tuple((ci - terms[j][1], tuple(x - y for x, y in zip(ai, terms[j][0])))
                     for j in others)
        if len({primitive_integer([b, *a]) for b, a in rows}) != len(rows):
            raise VerificationError(f"two neighbours of {fmt_vector(ai)} on one hyperplane")
        cells.append(TermRegion(i, ai, ci, point, margin, rows, tuple(others)))
    graph = nx.Graph()
    for r in cells:
        graph.add_node(r.exponent, index=r.index, coefficient=r.coefficient, point=r.point)
    for r in cells:
        for j in r.neighbors:
            graph.add_edge(r.exponent, terms[j][0])
    empty = tuple(i for i in range(len(terms)) if i not in first)
    return TermRegions(f, tuple(cells), empty, nx.freeze(graph))
