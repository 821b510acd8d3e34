"""Exact facet enumeration of ``conv(P) + cone(-e_last)`` by an integer Quickhull.

This is a pure-Python, integer-only replacement for the cddlib double
description in hot loops where the polyhedron

    Q = conv(P) + cone(-e_last)  ⊂ Q^D,   P ⊂ Z^D finite,

is needed in H-representation.  Nothing here uses floats: every normal is an
integer vector, every side test is an exact integer dot product.

Method
------
Work with the homogenized pointed cone ``C = cone{(1, p) : p ∈ P} + cone{(0, …, 0, -1)}``
in Z^{D+1}; ``Q = {x : (1, x) ∈ C}`` and a facet ``h·y >= 0`` of C is the
inequality ``h[0] + <h[1:], x> >= 0`` of Q.  The boundary of C is maintained as
a triangulation: every facet record is a simplicial cone on D generators with
a primitive inward normal and pointers to its D neighbours (neighbour ``k``
across the ridge opposite vertex ``k``).

* Start: the ray and D points that are linearly independent (greedy exact
  fraction-free elimination, preferring far points); if no such points exist,
  ``Q`` is not full-dimensional and ``None`` is returned.
* Each remaining point is put in the *outside set* of one facet that sees it
  strictly (``h·g < 0``); a point seen by no facet lies in the current cone
  and is dropped for good (the cone only grows).
* Quickhull step: take a facet with a non-empty outside set and its farthest
  point ``g`` (most negative ``h·g``; the comparison within one facet needs no
  norm).  The facets seeing ``g`` strictly are collected by a walk over
  neighbours (they form a shellable, hence strongly connected, ball by the
  Bruggesser–Mani line shelling).  Facets with ``h·g == 0`` are *not*
  visible, so the boundary stays a valid triangulation in which several
  simplices may share one hyperplane.
* For each horizon ridge ``R`` between a visible facet (normal ``h1``,
  ``h1·g < 0``) and a non-visible one (``h2``, ``h2·g >= 0``), the new facet
  ``R + g`` has the normal ``(h2·g) h1 - (h1·g) h2`` of the pencil through
  ``R``: it vanishes on ``R`` and ``g`` and is positive on the interior since
  both coefficients are >= 0 and the second is > 0.  No determinant is needed
  after the initial simplex.
* Outside points of the deleted facets are reassigned to the new facets only:
  a point outside the new cone that saw a deleted facet sees a new facet (the
  segment from it to a generic point of the deleted facet leaves the new cone
  through a new facet).

Every facet of Q is a union of simplices of the final triangulation, so it
appears among the returned rows; conversely each simplex is a D-dimensional
convex piece of the boundary, hence lies in one facet.  Rows are primitive
and deduplicated, so the result is exactly the irredundant facet system of Q
(in no particular order).

Examples
--------
>>> sorted(lifted_facets([(0, 0), (1, 1), (2, 0)]))
[(0, (1, -1)), (0, (1, 0)), (2, (-1, -1)), (2, (-1, 0))]
>>> lifted_facets([(0, 0, 0), (1, 1, 5), (2, 2, 1)]) is None   # collinear projections
True
"""

from __future__ import annotations

from math import gcd
from operator import mul

from tropexact.errors import InputError, VerificationError
from tropexact.exact.linalg import normal_vector, primitive

__all__ = ["lifted_facets"]


def _initial_simplex(gens: list[tuple[int, ...]], ray: int) -> list[int] | None:
    """Indices of n = D+1 linearly independent generators including ``ray``.

    Greedy: after the ray, repeatedly take the point whose residual (after
    fraction-free elimination against the chosen ones) has the largest
    entry.  All candidates are multiplied by the same factor during the
    elimination, so the comparison is fair.  ``None`` if the rank is < n.
    """
    n = len(gens[0])
    chosen = [ray]
    basis = [(n - 1, gens[ray])]  # (pivot column, row)
    cand = list(range(len(gens)))
    cand.remove(ray)
    res = {i: list(gens[i]) for i in cand}
    # eliminate the ray's pivot column
    for i in cand:
        r = res[i]
        r[n - 1] = 0  # ray = -e_last: eliminating it just clears the last entry
    while len(chosen) < n:
        best, bestv = -1, 0
        for i in cand:
            r = res[i]
            m = max(r, key=abs)
            if abs(m) > bestv:
                best, bestv = i, abs(m)
        if best < 0:
            return None
        chosen.append(best)
        cand.remove(best)
        row = primitive(res.pop(best))
        j = max(range(n), key=lambda c: abs(row[c]))
        pj = row[j]
        basis.append((j, row))
        for i in cand:
            r = res[i]
            rj = r[j]
            if rj:
                res[i] = [pj * x - rj * y for x, y in zip(r, row)]
            else:
                res[i] = [pj * x for x in r]
    return chosen


def lifted_facets(points: list[tuple[int, ...]]) -> list[tuple[int, tuple[int, ...]]] | None:
    """Facet inequalities of ``Q = conv(points) + cone(-e_last)``, exactly.

    Parameters
    ----------
    points : list of tuples of int
        Integer points of Z^D (D >= 1), all of the same length.  Repeated
        points are harmless.

    Returns
    -------
    list of (b, a) or None
        Primitive integer rows ``(b, a)`` meaning ``b + <a, x> >= 0``, one per
        facet of Q (no duplicates; ``a[-1] <= 0`` always), with
        ``Q = {x : all rows hold}``.  ``None`` when ``points`` is empty or Q is
        not full-dimensional (the projections of the points to the first D-1
        coordinates do not affinely span Q^{D-1}).
    """
    pts = list(points)
    if not pts:
        return None
    D = len(pts[0])
    if D == 0 or any(len(p) != D for p in pts):
        raise InputError("points must all have the same dimension >= 1")
    if D == 1:
        return [(max(p[0] for p in pts), (-1,))]
    n = D + 1
    gens = [(1, *p) for p in pts]
    ray = len(gens)
    gens.append((0,) * D + (-1,))

    simplex = _initial_simplex(gens, ray)
    if simplex is None:
        return None

    # facet records (parallel lists, indexed by facet id)
    F_verts: list[list[int]] = []
    F_h: list[tuple[int, ...]] = []
    F_nbr: list[list[int]] = []
    F_out: list[list[int] | None] = []

    for k in range(n):
        verts = simplex[:k] + simplex[k + 1:]
        h = list(normal_vector([gens[v] for v in verts]))
        if sum(map(mul, h, gens[simplex[k]])) < 0:
            h = [-x for x in h]
        F_verts.append(verts)
        F_h.append(primitive(h))
        # facet k omits simplex[k]; its vertex at position p is simplex[p'] with
        # p' = p (p < k) or p + 1 (p >= k); across that vertex lies facet p'.
        F_nbr.append([p if p < k else p + 1 for p in range(n - 1)])
        F_out.append([])

    alive = [True] * n
    in_simplex = set(simplex)
    for i in range(len(pts)):
        if i in in_simplex:
            continue
        g = gens[i]
        for f in range(n):
            if sum(map(mul, F_h[f], g)) < 0:
                F_out[f].append(i)
                break

    stack = [f for f in range(n) if F_out[f]]
    while stack:
        f = stack.pop()
        if not alive[f]:
            continue
        outs = F_out[f]
        if not outs:
            continue
        # farthest point of the outside set
        h = F_h[f]
        q = -1
        dq = 0
        for i in outs:
            d = sum(map(mul, h, gens[i]))
            if d < dq:
                q, dq = i, d
        g = gens[q]

        # visible facets (strictly) by a walk over neighbours; horizon ridges
        tested = {f: dq}
        vis = [f]
        horizon = []
        j = 0
        while j < len(vis):
            v = vis[j]
            j += 1
            for k, nb in enumerate(F_nbr[v]):
                d = tested.get(nb)
                if d is None:
                    d = sum(map(mul, F_h[nb], g))
                    tested[nb] = d
                    if d < 0:
                        vis.append(nb)
                        continue
                elif d < 0:
                    continue
                horizon.append((v, k, nb, d))

        # new facets: ridge (vertices of v minus position k) + q
        new = []
        pending = {}
        for v, k, nb, d2 in horizon:
            d1 = tested[v]  # < 0
            h1 = F_h[v]
            h2 = F_h[nb]
            nh = [d2 * a - d1 * b for a, b in zip(h1, h2)]
            c = gcd(*nh)
            nh = tuple([x // c for x in nh]) if c > 1 else tuple(nh)
            verts = F_verts[v][:]
            verts[k] = q
            nbrs = [-1] * D
            nbrs[k] = nb
            nf = len(F_h)
            F_verts.append(verts)
            F_h.append(nh)
            F_nbr.append(nbrs)
            F_out.append([])
            alive.append(True)
            nl = F_nbr[nb]
            nl[nl.index(v)] = nf
            new.append(nf)
            fs = frozenset(verts)
            for m in range(D):
                if m == k:
                    continue
                key = fs - {verts[m]}
                other = pending.pop(key, None)
                if other is None:
                    pending[key] = (nf, m)
                else:
                    of, om = other
                    nbrs[m] = of
                    F_nbr[of][om] = nf
        if pending:  # pragma: no cover - would mean a broken horizon
            raise VerificationError("internal error: horizon is not a closed manifold")

        # delete visible facets, reassign their outside points
        pool = []
        for v in vis:
            alive[v] = False
            o = F_out[v]
            if o:
                pool.extend(o)
            F_out[v] = None
        newh = [(nf, F_h[nf]) for nf in new]
        for i in pool:
            if i == q:
                continue
            gi = gens[i]
            for nf, nh in newh:
                if sum(map(mul, nh, gi)) < 0:
                    F_out[nf].append(i)
                    break
        for nf in new:
            if F_out[nf]:
                stack.append(nf)

    rows = {F_h[f] for f in range(len(F_h)) if alive[f]}
    return [(h[0], h[1:]) for h in rows]
