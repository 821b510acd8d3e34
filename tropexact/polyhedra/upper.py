"""Upper hulls of lifted point sets: the engine behind tropical pruning.

For points p_i = (α_i, c_i) ∈ Q^{d+1} (height last) the *upper* vertices are
the points that maximise ⟨(x, 1), ·⟩ uniquely for some x ∈ Q^d, i.e. the
vertices of Q = conv(points) + cone(−e_last).  They are the terms of a reduced
tropical polynomial, and the upper faces project to its dual subdivision.
Four independent methods compute them (cdd's double description, certified
insertion on the integer Quickhull, Andrew's monotone chain in Q², one LP per
point); the tests cross-check all four.

Examples
--------
>>> upper_hull_vertices([(0, 0), (1, 1), (2, 0), (1, -5)])
(0, 1, 2)
"""

from __future__ import annotations

import itertools
from operator import mul
from dataclasses import dataclass
from typing import Any, Iterable

from tropexact.errors import InputError
from tropexact.exact.linalg import integer_points
from tropexact.exact.numbers import Q, vector

from . import _cdd
from .lp import LPStatus, lp
from .oracle import affine_values, integer_constraints, lex_argmax
from .polyhedron import extreme_generators
from .quickhull import lifted_facets

__all__ = ["UpperHull", "upper_hull", "upper_hull_vertices", "upper_hull_vertices_lp"]

Vec = tuple  # tuple of mpq


@dataclass(frozen=True)
class UpperHull:
    """Upper hull of lifted points p_i = (α_i, c_i) ∈ Q^{d+1} (height last).

    Attributes
    ----------
    vertices : tuple of int
        Indices of the upper vertices (points maximising <(x, 1), ·> uniquely
        for some x ∈ Q^d), increasing.
    facets : tuple of frozenset of int
        For each upper facet, every input index lying on it (vertices and
        non-vertex points on the face).
    edges : tuple of (int, int)
        The upper edges between upper vertices (i < j), sorted.
    """

    vertices: tuple
    facets: tuple
    edges: tuple


def _check_points(points: Iterable[Iterable[Any]]) -> list[Vec]:
    pts = [vector(p) for p in points]
    if not pts:
        return pts
    D = len(pts[0])
    if D == 0 or any(len(p) != D for p in pts):
        raise InputError("lifted points must all have the same dimension >= 1")
    if len(set(pts)) != len(pts):
        raise InputError("lifted points must be distinct")
    return pts


def upper_hull_vertices(points: Iterable[Iterable[Any]], method: str = "auto") -> tuple:
    """Indices of the upper vertices of conv(points), the height being the last coordinate.

    The upper vertices are exactly the vertices of Q = conv(points) + cone(−e_last):
    a vertex of Q maximises some w uniquely, and w must have positive last
    entry (w_last = 0 would make the ray −e_last part of the maximising face),
    so after scaling it is (x, 1).

    Parameters
    ----------
    method : {"auto", "cdd", "iterative", "chain", "lp"}
        ``"cdd"`` runs cdd's double description on all points and reads the
        vertices off the facet incidences; ``"iterative"`` certifies vertices
        one at a time and runs cdd only on the certified ones (see
        :func:`_upper_vertices_iterative`), much faster when most points are
        redundant, as after a tropical product; ``"chain"`` (points in Q²
        only) is Andrew's monotone chain; ``"lp"`` is the independent per-point
        LP of :func:`upper_hull_vertices_lp`.  ``"auto"`` takes ``"chain"`` in
        Q² and ``"iterative"`` otherwise.

    Examples
    --------
    >>> upper_hull_vertices([(0, 0), (1, "1/2"), (2, 1), (3, 0)])
    (0, 2, 3)
    """
    pts = _check_points(points)
    if len(pts) <= 1:
        return tuple(range(len(pts)))
    D = len(pts[0])
    if method == "auto":
        method = "chain" if D == 2 else "iterative"
    if method == "chain":
        if D != 2:
            raise InputError("method='chain' needs points in Q^2")
        return _upper_chain(pts)
    if method == "lp":
        return upper_hull_vertices_lp(pts)
    if method not in ("cdd", "iterative"):
        raise InputError(f"unknown method {method!r}; choose auto, cdd, iterative, chain or lp")
    if D == 1:
        best = max(range(len(pts)), key=lambda i: pts[i][0])
        return (best,)
    if len(pts) == 2 and method != "cdd":
        if pts[0][:-1] != pts[1][:-1]:
            return (0, 1)
        return (0,) if pts[0][-1] > pts[1][-1] else (1,)
    if method == "iterative":
        return _upper_vertices_iterative(pts)
    _, _, inc = _cdd.lifted_h_representation(pts)
    ext = extreme_generators(inc, len(pts))
    return tuple(i for i in ext if i < len(pts))


def _upper_vertices_iterative(pts: list[Vec]) -> tuple:
    """Upper vertices by certified insertion (a quickhull-style outer loop).

    1. Seed K with lexicographic maximisers of a few directions (x, 1); each
       is an upper vertex (see :func:`lex_argmax`).
    2. Compute the facets of Q_K = conv(K) + cone(−e_last) (K is small), by
       :func:`_integer_constraints`.
    3. Points inside Q_K are convex combinations of K and the ray, so they are
       not vertices: drop them for good.  For every facet (or equation) of Q_K
       violated by some point, add the lexicographic maximiser of its outer
       normal over all points; the maximum is attained only by violators, so
       it is a new point, and it is an upper vertex.  Repeat until nothing is
       violated; then every vertex of Q lies in K and K holds only vertices.
    """
    ip, _ = integer_points(pts)
    n, D = len(ip), len(ip[0])
    cols = [[p[k] for p in ip] for k in range(D)]
    K: set[int] = set()
    span = max(max(cols[-1]) - min(cols[-1]), 1)
    dirs = [tuple([0] * (D - 1) + [1])]
    for j in range(D - 1):
        for s in (1, -1):
            for scale in (1, span):
                w = [0] * (D - 1) + [1]
                w[j] = s * scale
                dirs.append(tuple(w))
    everyone = range(n)
    for direction in dirs:
        K.add(lex_argmax(ip, cols, everyone, direction))
    alive = [i for i in everyone if i not in K]
    while alive:
        cons = integer_constraints([ip[i] for i in sorted(K)])
        inside = alive
        violated = []
        for b, a in cons:
            vals = affine_values(b, a, cols, inside)
            if any(v < 0 for v in vals):
                violated.append((b, a))
                inside = [i for i, v in zip(inside, vals) if v >= 0]
        if not violated:
            break
        inside_set = set(inside)
        still = [i for i in alive if i not in inside_set]
        for _, a in violated:
            K.add(lex_argmax(ip, cols, still, tuple(-v for v in a)))
        alive = [i for i in still if i not in K]
    return tuple(sorted(K))


def _upper_chain(pts: list[Vec]) -> tuple:
    """Andrew's monotone chain, upper part, strict turns only (collinear dropped)."""
    best: dict[Any, int] = {}
    for i, (a, c) in enumerate(pts):
        j = best.get(a)
        if j is None or pts[j][1] < c:
            best[a] = i
    order = sorted(best.values(), key=lambda i: pts[i][0])
    chain: list[int] = []
    for i in order:
        x3, y3 = pts[i]
        while len(chain) >= 2:
            x1, y1 = pts[chain[-2]]
            x2, y2 = pts[chain[-1]]
            # keep chain[-1] only if it is strictly above segment chain[-2] -> i
            if (x2 - x1) * (y3 - y1) - (y2 - y1) * (x3 - x1) >= 0:
                chain.pop()
            else:
                break
        chain.append(i)
    return tuple(sorted(chain))


def upper_hull_vertices_lp(points: Iterable[Iterable[Any]]) -> tuple:
    """Upper vertices by one exact LP per point (independent of the hull code).

    Point i = (α_i, c_i) is an upper vertex iff some x ∈ Q^d makes its affine
    function strictly largest: max t s.t. c_i + <α_i, x> ≥ c_j + <α_j, x> + t
    for all j ≠ i, with t ≤ 1; vertex iff the optimum is > 0.

    Examples
    --------
    >>> upper_hull_vertices_lp([(0, 0), (1, "1/2"), (2, 1), (3, 0)])
    (0, 2, 3)
    """
    pts = _check_points(points)
    if len(pts) <= 1:
        return tuple(range(len(pts)))
    d = len(pts[0]) - 1
    out = []
    for i, p in enumerate(pts):
        ai, ci = p[:-1], p[-1]
        cons = []
        for j, q in enumerate(pts):
            if j == i:
                continue
            aj, cj = q[:-1], q[-1]
            # (ci - cj) + <ai - aj, x> - t >= 0
            cons.append((ci - cj, tuple(x - y for x, y in zip(ai, aj)) + (Q(-1),)))
        cons.append((Q(1), tuple(Q(0) for _ in range(d)) + (Q(-1),)))
        r = lp(tuple(Q(0) for _ in range(d)) + (Q(1),), cons)
        if r.status == LPStatus.OPTIMAL and r.value > 0:
            out.append(i)
    return tuple(out)


def _lifted_incidence(pts: list, method: str) -> tuple[list, list, list] | None:
    """(rows, linearity, incidence) of Q = conv(pts) + cone(−e_last) as
    :func:`_cdd.lifted_h_representation` gives them, by the integer Quickhull when
    *method* allows and Q is full-dimensional (``None`` when it is not)."""
    if method == "cdd":
        return _cdd.lifted_h_representation(pts)
    ipts, _ = integer_points(pts)
    rows = lifted_facets(ipts)
    if rows is None:
        return _cdd.lifted_h_representation(pts) if method == "auto" else None
    inc = [frozenset(k for k, (b, a) in enumerate(rows) if b + sum(map(mul, a, p)) == 0)
           for p in ipts]
    inc.append(frozenset(k for k, (b, a) in enumerate(rows) if a[-1] == 0))  # the ray −e_last
    return [(b, *a) for b, a in rows], [], inc


def upper_hull(points: Iterable[Iterable[Any]], method: str = "auto") -> UpperHull:
    """Upper vertices, upper facets (as sets of input indices) and upper edges.

    Upper facets are the facets of Q = conv(points) + cone(−e_last) whose
    inequality bounds the height from above (last coefficient < 0).  When the
    points do not span Q^{d+1} horizontally, the "facets" are the maximal upper
    faces (the cells of the dual subdivision in the affine hull).

    *method* ``"cdd"`` reads everything off cdd's double description; ``"quickhull"``
    off the integer Quickhull's facets (:func:`~tropexact.polyhedra.quickhull.lifted_facets`,
    tens of times faster; Q must be full-dimensional); ``"auto"`` (default) takes
    Quickhull when Q is full-dimensional and cdd otherwise.  The tests compare them.

    Examples
    --------
    The unit square with the corner (1, 1) raised to height 1 is split along
    the raised diagonal (its midpoint has height 1/2 > 0):

    >>> H = upper_hull([(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 1)])
    >>> H.vertices, sorted(sorted(f) for f in H.facets), H.edges
    ((0, 1, 2, 3), [[0, 1, 3], [0, 2, 3]], ((0, 1), (0, 2), (0, 3), (1, 3), (2, 3)))
    """
    pts = _check_points(points)
    if len(pts) == 1:
        return UpperHull((0,), (frozenset({0}),), ())
    if not pts:
        return UpperHull((), (), ())
    D = len(pts[0])
    if D == 1:
        best = max(range(len(pts)), key=lambda i: pts[i][0])
        return UpperHull((best,), (frozenset({best}),), ())
    if method not in ("auto", "cdd", "quickhull"):
        raise InputError(f"unknown method {method!r} (auto, cdd or quickhull)", param="method")
    found = _lifted_incidence(pts, method)
    if found is None:
        raise InputError("the quickhull method needs points whose projections span Q^d",
                         param="method")
    rows, lin, inc = found
    ext = extreme_generators(inc, len(pts))
    verts = tuple(i for i in ext if i < len(pts))
    ray = len(pts)
    # upper faces are the faces not containing the ray; facets of Q not containing it
    upper_rows = [k for k, row in enumerate(rows)
                  if k not in lin and any(row[1:]) and row[-1] < 0]
    facets = []
    for k in upper_rows:
        facets.append(frozenset(i for i in range(len(pts)) if k in inc[i]))
    if not facets:
        # Q has no upper facet when dim(Q) < D+... (e.g. a single vertical
        # direction): then P itself is the only maximal upper face.
        facets = [frozenset(verts)]
    # Upper edges: vertices u, v whose smallest common face holds no third
    # extreme generator (no other vertex and not the ray).
    vset = set(verts)
    edges = []
    for u, v in itertools.combinations(verts, 2):
        common = inc[u] & inc[v]
        if common <= inc[ray]:
            continue  # the ray lies in their minimal face: not an edge
        if any(w != u and w != v and common <= inc[w] for w in vset):
            continue
        edges.append((u, v))
    return UpperHull(verts, tuple(facets), tuple(sorted(edges)))
