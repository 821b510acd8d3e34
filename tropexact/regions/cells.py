"""Tropical cells: the regions of a tropical polynomial, exactly, and their dual.

For f = max_i t_i with t_i(x) = c_i + <α_i, x> (α_i ∈ Q^d, c_i ∈ Q), the
**region** (tropical cell) of term i is the polyhedron

    R_i = {x ∈ Q^d : t_i(x) ≥ t_j(x) for all j}
        = {x : (c_i − c_j) + <α_i − α_j, x> ≥ 0 for all j ≠ i},

the set where term i attains the maximum.  The regions cover Q^d and f is
affine (equal to t_i) on R_i.  Two views of the same object (docs/design.md §2.4):

**Input space.**  R_i has non-empty interior iff the LP

    maximise s  subject to  (c_i − c_j) + <α_i − α_j, x> ≥ s  (j ≠ i),  s ≤ 1

has optimum s* > 0; an optimal x is then a rational point at which t_i beats
every other term by s* -- an interior witness.  Two full-dimensional regions
are **adjacent** when they share a (d−1)-dimensional face; since

    R_i ∩ {t_i = t_j} = {x : t_i(x) = t_j(x) ≥ t_k(x) for all k} = R_j ∩ {t_i = t_j},

that happens iff the hyperplane {t_i = t_j} carries a facet of R_i, a
symmetric relation (:func:`term_regions`).

**Polytope space.**  Term i is the linear functional (x, 1) ↦ t_i(x) applied
to the lifted point p_i = (α_i, c_i), so R_i is the set of directions (x, 1)
maximised by p_i over the extended Newton polytope P(f) = conv{p_i}: the
normal cone of p_i, cut by the hyperplane of last coordinate 1.  Hence R_i is
full-dimensional iff p_i is an **upper vertex** of P(f), and R_i, R_j share a
facet iff [p_i, p_j] is an **upper edge** (:func:`normal_fan_graph`).

:func:`tropexact.verify.correspondence.verify_correspondence` computes both
sides independently (LPs and redundancy removal in Q^d on one side, cdd's
convex hull in Q^{d+1} on the other) and checks that they agree vertex for
vertex and edge for edge -- the paper's correspondence N(f) = #upper vertices
of P(f), with graph identity.  For a tropical rational function F ⊘ G the
tropical cells are those of F ⊙ G (:func:`tropical_cells`).

Degenerate polynomials are first-class: a term whose lifted point is not an
upper vertex (it lies below the upper hull, or on an upper face without being
a vertex of it) has a region of empty interior and is reported in
:attr:`TermRegions.empty_interior`; a Newton polytope of lower dimension
gives regions that are unbounded in the directions normal to it (slabs,
half-planes); a single term has the whole space as its region; the tropical
zero polynomial has no region.

Examples
--------
f = max(0, x, y) on Q²: three regions meeting at the origin, pairwise adjacent
along three rays; dually P(f) is a triangle with three upper edges.

>>> from tropexact.tropical.polynomial import TropicalPolynomial
>>> f = TropicalPolynomial([((0, 0), 0), ((1, 0), 0), ((0, 1), 0)])
>>> R = term_regions(f)
>>> len(R.regions), R.graph.number_of_edges()
(3, 3)
>>> sorted(R.graph.edges) == sorted(normal_fan_graph(f).edges)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import networkx as nx

from tropexact.errors import InputError, VerificationError
from tropexact.exact.linalg import dot, primitive_integer
from tropexact.exact.numbers import Q, fmt_vector, to_rational
from tropexact.polyhedra import LPStatus, from_inequalities, lp, upper_hull
from tropexact.tropical.polynomial import TropicalPolynomial

from ._facets import facet_rows
from .linear import equal_map_components

__all__ = [
    "TermRegion",
    "TermRegions",
    "term_regions",
    "normal_fan_graph",
    "cell_containing",
    "tropical_cells",
    "rational_linear_regions",
]

_ZERO = Q(0)
_ONE = Q(1)
_PREFILTER_MAX_DIM = 3  # measured: see term_regions(prefilter=...)


# ---------------------------------------------------------------------------
# regions in input space
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TermRegion:
    """A full-dimensional region R_i of one term, with its certificate.

    Attributes
    ----------
    index : int
        Position of the term in ``f.terms``.
    exponent : tuple of mpq
        α_i.
    coefficient : mpq
        c_i.
    point : tuple of mpq
        An interior witness w: t_i(w) > t_j(w) for every j ≠ i.
    margin : mpq
        min_{j ≠ i} (t_i(w) − t_j(w)) > 0 at the witness (1 for a single term).
    inequalities : tuple of (b, a)
        The irredundant H-representation, one row per facet: ``b + <a, x> ≥ 0``
        with ``b = c_i − c_j`` and ``a = α_i − α_j``, i.e. the row says
        t_i(x) ≥ t_j(x).  Empty when R_i = Q^d.
    neighbors : tuple of int
        ``neighbors[k]`` is the term j of ``inequalities[k]``: the adjacent
        region across that facet.
    """

    index: int
    exponent: tuple
    coefficient: Any
    point: tuple
    margin: Any
    inequalities: tuple
    neighbors: tuple

    def contains(self, x: Sequence[Any]) -> bool:
        """Exact membership of x in the closed region."""
        xs = tuple(to_rational(v) for v in x)
        return all(b + dot(a, xs) >= 0 for b, a in self.inequalities)

    def is_bounded(self) -> bool:
        """True when R_i is a polytope (computed with cdd; empty rows: Q^d)."""
        if not self.inequalities:
            return len(self.exponent) == 0
        return from_inequalities(self.inequalities).is_bounded()


@dataclass(frozen=True)
class TermRegions:
    """The full-dimensional regions of a tropical polynomial and their adjacency graph.

    Attributes
    ----------
    polynomial : TropicalPolynomial
        f, as given (reduced or not).
    regions : tuple of TermRegion
        One record per term whose region has non-empty interior, in term order.
    empty_interior : tuple of int
        Indices of the terms whose region has empty interior (the terms that are
        not upper vertices of P(f); empty for a reduced f).
    graph : networkx.Graph
        Nodes are the exponents α_i of the regions (attributes ``index``,
        ``coefficient``, ``point`` = the interior witness); an edge joins two
        regions sharing a (d−1)-dimensional face.  Frozen (``nx.freeze``).
    """

    polynomial: TropicalPolynomial
    regions: tuple
    empty_interior: tuple
    graph: nx.Graph = field(compare=False, repr=False)

    def region_of(self, exponent: Sequence[Any]) -> TermRegion:
        """The region of the term with this exponent (KeyError if it has none)."""
        e = tuple(to_rational(v) for v in exponent)
        for r in self.regions:
            if r.exponent == e:
                return r
        raise KeyError(f"no full-dimensional region for exponent {fmt_vector(e)}")


def _witness(terms: tuple, i: int, d: int) -> tuple[Any, tuple]:
    """(s*, x*) of the interior LP of term i; s* ≤ 0 means empty interior."""
    ai, ci = terms[i]
    minus_s = (Q(-1),)
    cons = [(ci - cj, tuple(x - y for x, y in zip(ai, aj)) + minus_s)
            for j, (aj, cj) in enumerate(terms) if j != i]
    cons.append((_ONE, (_ZERO,) * d + minus_s))  # s ≤ 1 keeps the LP bounded
    r = lp((_ZERO,) * d + (_ONE,), cons)
    if r.status != LPStatus.OPTIMAL:  # cannot happen: feasible (s → −∞) and bounded (s ≤ 1)
        raise VerificationError(f"interior LP of term {i} returned {r.status.value}")
    assert r.point is not None
    return r.value, tuple(r.point[:d])


def term_regions(f: TropicalPolynomial, *, prefilter: bool | None = None) -> TermRegions:
    """The full-dimensional regions R_i = {x : t_i(x) = f(x)} of f, exactly, with adjacency.

    Algorithm (T terms in d variables):

    1. For every term i one exact LP in (x, s) ∈ Q^{d+1}:
       maximise s subject to t_i(x) − t_j(x) ≥ s for j ≠ i and s ≤ 1.  R_i has
       non-empty interior iff s* > 0, and then x* is an interior witness.  (T LPs.)
    2. For every full-dimensional R_i, the irredundant H-representation of
       {x : t_i(x) ≥ t_j(x), j full-dimensional, j ≠ i}.  This is R_i: a term j
       with empty interior satisfies t_j ≤ max_k t_k over the full-dimensional
       k (the regions of those cover Q^d), so on R_i it is ≤ t_i.  Dropping
       those rows also removes the duplicate hyperplanes of collinear lifted
       points: if p_i, p_j, p_k are collinear then t_i − t_j and t_i − t_k are
       proportional, but the middle point is not an upper vertex.  Among the
       kept rows no two are positive multiples of each other (checked), so
       each facet names exactly one neighbour.  Redundancy removal is exact
       (cdd); in d ≤ 3 a cutting-plane prefilter first certifies most rows
       redundant (see ``prefilter``).
    3. i ~ j iff the row t_i ≥ t_j is a facet of R_i.  The relation is
       checked to be symmetric (R_i ∩ {t_i = t_j} = R_j ∩ {t_i = t_j}).

    Parameters
    ----------
    f : TropicalPolynomial
        Any polynomial, reduced or not (canonical: distinct exponents).
    prefilter : bool, optional
        Use the cutting-plane prefilter before cdd's redundancy removal (same
        answer; ``False`` runs the redundancy LPs on all rows).  Default: on
        for d ≤ 3, where it is several times faster on polynomials whose terms
        are mostly upper vertices; off for d ≥ 4, where the vertex sets of the
        intermediate polyhedra grow and the plain redundancy LPs win.

    Returns
    -------
    TermRegions

    Raises
    ------
    VerificationError
        If an internal exact consistency check fails (an asymmetric adjacency,
        two neighbours on one hyperplane): a bug, never a property of f.

    Examples
    --------
    max(0, x) on Q: the regions x ≤ 0 and x ≥ 0, adjacent at 0.

    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> R = term_regions(TropicalPolynomial([((0,), 0), ((1,), 0)]))
    >>> [(r.exponent, r.inequalities) for r in R.regions]
    [((mpq(0,1),), ((mpq(0,1), (mpq(-1,1),)),)), ((mpq(1,1),), ((mpq(0,1), (mpq(1,1),)),))]
    >>> list(R.graph.edges())
    [((mpq(0,1),), (mpq(1,1),))]

    An unreduced polynomial: in max(0, x − 1, 2x − 2) the middle lifted point
    (1, −1) is the midpoint of (0, 0) and (2, −2), so term 1 ties with both
    others only at x = 1 and has no interior.

    >>> g = TropicalPolynomial([((0,), 0), ((1,), -1), ((2,), -2)])
    >>> R = term_regions(g)
    >>> [r.index for r in R.regions], R.empty_interior
    ([0, 2], (1,))
    """
    d = f.nvars
    terms = f.terms
    T = len(terms)
    if prefilter is None:
        prefilter = d <= _PREFILTER_MAX_DIM
    graph = nx.Graph()
    if T == 0:
        return TermRegions(f, (), (), nx.freeze(graph))
    wit: dict[int, tuple] = {}
    empty: list[int] = []
    for i in range(T):
        s, x = _witness(terms, i, d)
        if s > 0:
            wit[i] = (s, x)
        else:
            empty.append(i)
    full = sorted(wit)
    regions = []
    for i in full:
        ai, ci = terms[i]
        others = [j for j in full if j != i]
        rows = [(ci - terms[j][1], tuple(x - y for x, y in zip(ai, terms[j][0]))) for j in others]
        keys: dict[tuple, int] = {}
        for j, (b, a) in zip(others, rows):
            key = primitive_integer([b, *a])
            if key in keys:
                raise VerificationError(
                    f"terms {fmt_vector(terms[keys[key]][0])} and {fmt_vector(terms[j][0])} give the "
                    f"same hyperplane against {fmt_vector(ai)} although all three have interiors")
            keys[key] = j
        kept = facet_rows(rows, wit[i][1], prefilter=prefilter)
        regions.append(TermRegion(i, ai, ci, wit[i][1], wit[i][0],
                              tuple(rows[k] for k in kept), tuple(others[k] for k in kept)))
    for r in regions:
        graph.add_node(r.exponent, index=r.index, coefficient=r.coefficient, point=r.point)
    nbrs = {r.index: set(r.neighbors) for r in regions}
    for r in regions:
        for j in r.neighbors:
            if r.index not in nbrs[j]:
                raise VerificationError(
                    f"asymmetric adjacency: {fmt_vector(terms[j][0])} is a facet neighbour of "
                    f"{fmt_vector(r.exponent)} but not conversely")
            graph.add_edge(r.exponent, terms[j][0])
    return TermRegions(f, tuple(regions), tuple(empty), nx.freeze(graph))


# ---------------------------------------------------------------------------
# polytope space
# ---------------------------------------------------------------------------

def normal_fan_graph(f: TropicalPolynomial) -> nx.Graph:
    """The graph of upper vertices and upper edges of P(f) (the 1-skeleton of δ(f)).

    Computed from :func:`tropexact.polyhedra.upper_hull` on the lifted points
    (α_i, c_i).  Nodes are exponents α_i of upper vertices (attributes
    ``index``, ``coefficient``, ``lifted`` = (α_i, c_i)); edges are the upper
    edges.  By the correspondence it equals ``term_regions(f).graph``.

    Examples
    --------
    The unit square with the corner (1, 1) raised to height 1 (f =
    max(0, x, y, 1 + x + y)): the upper hull is two triangles glued along the
    raised diagonal, so 4 vertices and 5 edges; (1, 0) and (0, 1) are not joined.

    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> f = TropicalPolynomial([((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 1)])
    >>> G = normal_fan_graph(f)
    >>> G.number_of_nodes(), G.number_of_edges(), G.has_edge((1, 0), (0, 1))
    (4, 5, False)
    """
    graph = nx.Graph()
    if f.is_zero():
        return graph
    pts = f.lifted_points()
    H = upper_hull(pts)
    terms = f.terms
    for i in H.vertices:
        graph.add_node(terms[i][0], index=i, coefficient=terms[i][1], lifted=pts[i])
    for i, j in H.edges:
        graph.add_edge(terms[i][0], terms[j][0])
    return graph


# ---------------------------------------------------------------------------
# point location and rational functions
# ---------------------------------------------------------------------------

def cell_containing(f: TropicalPolynomial, x: Sequence[Any]) -> tuple:
    """Exponents of the full-dimensional cells whose (closed) region contains x.

    These are the terms attaining f(x) that are upper vertices of P(f).  The
    answer has one element iff x is interior to a cell: at an interior point
    of R_i the affine function t_i − t_j is positive for every other term j
    (t_i − t_j ≥ 0 near x with a zero at x would force t_i = t_j).

    Examples
    --------
    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> f = TropicalPolynomial([((0,), 0), ((1,), -1), ((2,), -2)])  # max(0, x−1, 2x−2)
    >>> cell_containing(f, [3]), cell_containing(f, [1])
    (((mpq(2,1),),), ((mpq(0,1),), (mpq(2,1),)))
    """
    if f.is_zero():
        raise InputError("the tropical zero polynomial has no cells")
    vertices = set(f.reduced().exponents)
    return tuple(f.terms[i][0] for i in f.argmax(x) if f.terms[i][0] in vertices)


def tropical_cells(F: TropicalPolynomial, G: TropicalPolynomial, *,
                   method: str = "hull") -> dict:
    """Cell counts of F, G and F ⊙ G, the tropical cells of F ⊘ G (docs/design.md §2.4).

    The cells of F ⊘ G are those of F ⊙ G, one per upper vertex of
    P(F) + P(G); they refine the linear regions of F − G.

    Parameters
    ----------
    method : {"hull", "regions"}
        ``"hull"`` counts upper vertices (the terms of the reduced forms; fast);
        ``"regions"`` counts full-dimensional regions by LP (:func:`term_regions`).
        By the correspondence the two agree; :func:`verify_tropical` checks it.

    Returns
    -------
    dict
        ``{"F_cells": n, "G_cells": n, "FG_cells": n}``.

    Examples
    --------
    max(x, y) ⊘ max(x, y) is the zero function (one linear region), yet F ⊙ G =
    max(2x, x + y, 2y) reduces to max(2x, 2y): two cells.

    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> F = TropicalPolynomial([((1, 0), 0), ((0, 1), 0)])
    >>> tropical_cells(F, F) == {"F_cells": 2, "G_cells": 2, "FG_cells": 2}
    True
    >>> tropical_cells(F, F, method="regions")["FG_cells"]
    2
    """
    if method not in ("hull", "regions"):
        raise InputError(f"unknown method {method!r}; choose 'hull' or 'regions'")
    FG = F * G
    if method == "hull":
        count = lambda p: len(p.reduced())  # noqa: E731
    else:
        count = lambda p: len(term_regions(p).regions)  # noqa: E731
    return {"F_cells": count(F), "G_cells": count(G), "FG_cells": count(FG)}


def rational_linear_regions(F: TropicalPolynomial, G: TropicalPolynomial,
                            graph: nx.Graph | None = None) -> tuple:
    """Linear regions of the tropical rational function F ⊘ G (docs/design.md §2.2), from its cells.

    The cells of F ⊙ G subdivide Q^d and refine the cells of F and of G, so on
    each cell F − G is one affine map: (α − β, a − b) where c + ⟨α, x⟩ and
    b + ⟨β, x⟩ are the terms of F and G that are maximal at the cell's interior
    witness (unique there).  The linear regions are the connected components,
    through shared (d−1)-faces, of cells carrying the same map.  For a network
    ν = F − G this is a second route to its linear regions, independent of the
    activation regions (any two subdivisions on whose pieces ν is affine give
    the same components, since their common refinement does).

    Parameters
    ----------
    graph : networkx.Graph, optional
        The region graph of F ⊙ G if already computed (``term_regions(F * G).graph``,
        or ``check.data.region_graph`` of the F*G check of
        :func:`tropexact.verify.correspondence.verify_tropical`).

    Returns
    -------
    tuple of (map, tuple of exponents)
        One entry per linear region: the affine map ``(gradient, constant)``
        and the exponents (of F ⊙ G) of its cells.

    Examples
    --------
    max(0, x, 2x − 2) ⊘ max(0, 2x − 2) (docs/design.md §2): 4 cells, maps 0, x, 2 − x, 0
    -- 4 linear regions but only 3 distinct maps; max(x, y) ⊘ max(x, y) has 2
    cells and 1 linear region (cancellation).

    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> F = TropicalPolynomial([((0,), 0), ((1,), 0), ((2,), -2)])
    >>> G = TropicalPolynomial([((0,), 0), ((2,), -2)])
    >>> L = rational_linear_regions(F, G)
    >>> len(L), len({m for m, _ in L})
    (4, 3)
    >>> H = TropicalPolynomial([((1, 0), 0), ((0, 1), 0)])
    >>> len(rational_linear_regions(H, H)), len(term_regions(H * H).regions)
    (1, 2)
    """
    R = graph if graph is not None else term_regions(F * G).graph
    cells = list(R.nodes)
    index = {e: k for k, e in enumerate(cells)}
    maps = []
    for exponent in cells:
        point = R.nodes[exponent]["point"]
        (i,), (j,) = F.argmax(point), G.argmax(point)
        (a, c), (b, e) = F.terms[i], G.terms[j]
        maps.append((tuple(x - y for x, y in zip(a, b)), c - e))
    groups = equal_map_components(maps, ((index[u], index[v]) for u, v in R.edges))
    return tuple(sorted((maps[g[0]], tuple(sorted(cells[k] for k in g))) for g in groups))
