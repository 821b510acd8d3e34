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


class _Boundary:
    """The triangulated boundary of the growing cone: facet records in parallel lists.

    Facet f has the generator indices ``verts[f]`` (D of them), the primitive inward
    normal ``h[f]``, the neighbour ``nbr[f][k]`` across the ridge opposite
    ``verts[f][k]``, the outside set ``out[f]`` (points that see f strictly) and
    ``alive[f]`` (False once replaced).
    """

    __slots__ = ("gens", "D", "verts", "h", "nbr", "out", "alive")

    def __init__(self, gens: list[tuple[int, ...]], simplex: list[int]) -> None:
        self.gens, self.D = gens, len(gens[0]) - 1
        self.verts: list[list[int]] = []
        self.h: list[tuple[int, ...]] = []
        self.nbr: list[list[int]] = []
        self.out: list[list[int] | None] = []
        self.alive: list[bool] = []
        n = len(simplex)
        for k in range(n):
            verts = simplex[:k] + simplex[k + 1:]
            h = list(normal_vector([gens[v] for v in verts]))
            if sum(map(mul, h, gens[simplex[k]])) < 0:
                h = [-x for x in h]
            # facet k omits simplex[k]; its vertex at position p is simplex[p'] with
            # p' = p (p < k) or p + 1 (p >= k); across that vertex lies facet p'.
            self._add(verts, primitive(h), [p if p < k else p + 1 for p in range(n - 1)])

    def _add(self, verts: list[int], h: tuple[int, ...], nbrs: list[int]) -> int:
        self.verts.append(verts)
        self.h.append(h)
        self.nbr.append(nbrs)
        self.out.append([])
        self.alive.append(True)
        return len(self.h) - 1

    def assign(self, points: list[int], facets: list[int]) -> None:
        """Put each point in the outside set of the first of *facets* it sees strictly;
        a point seen by none lies in the cone, which only grows: it is dropped for good."""
        gens, h, out = self.gens, self.h, self.out
        for i in points:
            g = gens[i]
            for f in facets:
                if sum(map(mul, h[f], g)) < 0:
                    out[f].append(i)  # type: ignore[union-attr]
                    break

    def farthest(self, f: int) -> tuple[int, int]:
        """(q, h·g_q): the point of f's outside set farthest below f (most negative)."""
        h, q, dq = self.h[f], -1, 0
        for i in self.out[f]:  # type: ignore[union-attr]
            d = sum(map(mul, h, self.gens[i]))
            if d < dq:
                q, dq = i, d
        return q, dq

    def visible(self, f: int, dq: int, g: tuple[int, ...]) -> tuple[list, dict, list]:
        """The facets seeing g strictly (a walk over neighbours from f), their values
        h·g, and the horizon ridges (visible v, position k, neighbour nb, nb's value)."""
        tested = {f: dq}
        vis, horizon, j = [f], [], 0
        while j < len(vis):
            v = vis[j]
            j += 1
            for k, nb in enumerate(self.nbr[v]):
                d = tested.get(nb)
                if d is None:
                    d = sum(map(mul, self.h[nb], g))
                    tested[nb] = d
                    if d < 0:
                        vis.append(nb)
                        continue
                elif d < 0:
                    continue
                horizon.append((v, k, nb, d))
        return vis, tested, horizon

    def cone(self, q: int, tested: dict, horizon: list) -> list[int]:
        """The new facets: each horizon ridge joined to q, normal from the pencil
        through the ridge, neighbours linked across the ridges they share."""
        new: list[int] = []
        pending: dict[frozenset, tuple[int, int]] = {}
        for v, k, nb, d2 in horizon:
            d1 = tested[v]  # < 0
            nh = [d2 * a - d1 * b for a, b in zip(self.h[v], self.h[nb])]
            c = gcd(*nh)  # linalg.primitive inlined: this is the hot loop of pruning
            verts = self.verts[v][:]
            verts[k] = q
            nbrs = [-1] * self.D
            nbrs[k] = nb
            nf = self._add(verts, tuple([x // c for x in nh]) if c > 1 else tuple(nh), nbrs)
            nl = self.nbr[nb]
            nl[nl.index(v)] = nf
            new.append(nf)
            fs = frozenset(verts)
            for m in range(self.D):
                if m == k:
                    continue
                key = fs - {verts[m]}
                other = pending.pop(key, None)
                if other is None:
                    pending[key] = (nf, m)
                else:
                    of, om = other
                    nbrs[m] = of
                    self.nbr[of][om] = nf
        if pending:  # pragma: no cover - would mean a broken horizon
            raise VerificationError("internal error: horizon is not a closed manifold")
        return new

    def retire(self, facets: list[int]) -> list[int]:
        """Delete *facets*; return the points of their outside sets."""
        pool: list[int] = []
        for v in facets:
            self.alive[v] = False
            pool.extend(self.out[v] or ())
            self.out[v] = None
        return pool

    def step(self, f: int) -> list[int]:
        """One Quickhull step on facet f; returns the new facets with outside points."""
        q, dq = self.farthest(f)
        vis, tested, horizon = self.visible(f, dq, self.gens[q])
        new = self.cone(q, tested, horizon)
        self.assign([i for i in self.retire(vis) if i != q], new)
        return [nf for nf in new if self.out[nf]]

    def rows(self) -> list[tuple[int, tuple[int, ...]]]:
        """The distinct facet rows (b, a) of the live facets."""
        return [(h[0], h[1:]) for h in {self.h[f] for f in range(len(self.h)) if self.alive[f]}]


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
    gens = [(1, *p) for p in pts]
    ray = len(gens)
    gens.append((0,) * D + (-1,))
    simplex = _initial_simplex(gens, ray)
    if simplex is None:
        return None
    hull = _Boundary(gens, simplex)
    first = list(range(len(simplex)))
    in_simplex = set(simplex)
    hull.assign([i for i in range(len(pts)) if i not in in_simplex], first)
    stack = [f for f in first if hull.out[f]]
    while stack:
        f = stack.pop()
        if hull.alive[f] and hull.out[f]:
            stack += hull.step(f)
    return hull.rows()
