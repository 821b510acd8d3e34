"""Exact polyhedra: both representations, incidences and the face lattice.

Conventions
-----------
A half-space is a pair ``(b, a)`` meaning ``b + <a, x> >= 0``; an equation
``(b, a)`` means ``b + <a, x> = 0``.  A polyhedron is
``conv(vertices) + cone(rays) + span(lines)``.  All numbers are ``mpq``.  The
double description itself is cddlib's, behind :mod:`tropexact.polyhedra._cdd`.

Examples
--------
>>> P = hull([(0, 0), (1, 0), (0, 1), (1, 1), ("1/2", "1/2")])
>>> len(P.vertices), len(P.inequalities), P.dim
(4, 4, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import affine_rank, dot
from tropexact.exact.numbers import to_rational, vector

from . import _cdd

__all__ = ["Polyhedron", "Face", "hull", "from_inequalities", "faces", "extreme_generators"]


@dataclass(frozen=True)
class Polyhedron:
    """An exact polyhedron in Q^n with both representations and incidences.

    Attributes
    ----------
    ambient_dim : int
        n.
    vertices, rays, lines : tuple of tuples of mpq
        The minimal V-representation (``lines`` span the lineality space).
    inequalities : tuple of (b, a)
        Irredundant facet inequalities ``b + <a, x> >= 0``, primitive integer rows.
    equations : tuple of (b, a)
        A basis of the affine hull's equations ``b + <a, x> = 0``.
    incidence : tuple of frozenset of int
        ``incidence[k]`` is the set of generators on facet ``k``; generators are
        numbered vertices first, then rays (lines lie on every facet).
    """

    ambient_dim: int
    vertices: tuple
    rays: tuple
    lines: tuple
    inequalities: tuple
    equations: tuple
    incidence: tuple

    @property
    def dim(self) -> int:
        """Dimension of the polyhedron (−1 when empty)."""
        if not self.vertices:
            return -1
        return self.ambient_dim - len(self.equations)

    def is_empty(self) -> bool:
        return not self.vertices

    def is_bounded(self) -> bool:
        return not self.rays and not self.lines

    def contains(self, point: Iterable[Any]) -> bool:
        """Exact membership test."""
        x = vector(point)
        return all(b + dot(a, x) >= 0 for b, a in self.inequalities) and all(
            b + dot(a, x) == 0 for b, a in self.equations
        )


def hull(points: Iterable[Iterable[Any]], rays: Iterable[Iterable[Any]] = (),
         lines: Iterable[Iterable[Any]] = ()) -> Polyhedron:
    """V→H: the polyhedron conv(points) + cone(rays) + span(lines).

    Redundant input generators are removed: ``vertices`` holds the extreme
    points only (in input order for a polytope; with rays or lines, the points
    cdd chooses for the minimal V-representation, sorted).

    Examples
    --------
    >>> P = hull([(0, 0), (2, 0), (0, 2), (1, 1)])
    >>> P.vertices == ((0, 0), (2, 0), (0, 2))
    True
    >>> sorted(P.inequalities)
    [(mpq(0,1), (mpq(0,1), mpq(1,1))), (mpq(0,1), (mpq(1,1), mpq(0,1))), (mpq(2,1), (mpq(-1,1), mpq(-1,1)))]
    """
    pts = [vector(p) for p in points]
    rs = [vector(r) for r in rays]
    ls = [vector(l) for l in lines]
    if not pts:
        raise InputError("a polyhedron needs at least one point")
    n = len(pts[0])
    if any(len(v) != n for v in pts + rs + ls):
        raise InputError("all generators must have the same dimension")
    if n == 0:
        return Polyhedron(0, ((),), (), (), (), (), ())
    ineqs, eqs, incidence_in = _cdd.h_representation(pts, rs, ls)
    if rs or ls:
        # With rays the lineality space may be hidden (opposite rays); let cdd
        # compute the minimal generators from the H-representation.
        return _from_h(ineqs, eqs, n)
    # Extreme points: no other point lies in every facet the point lies in.
    vert_idx = extreme_generators(incidence_in[:len(pts)], len(pts))
    incidence = tuple(frozenset(k for k, g in enumerate(vert_idx) if h in incidence_in[g])
                      for h in range(len(ineqs)))
    return Polyhedron(n, tuple(pts[i] for i in vert_idx), (), (), _pairs(ineqs), _pairs(eqs),
                      incidence)


def _pairs(rows: Sequence[tuple]) -> tuple:
    """cdd rows (b, a_1, ..., a_n) as half-space pairs (b, a)."""
    return tuple((r[0], r[1:]) for r in rows)


def _from_h(ineqs: list, eqs: list, n: int) -> Polyhedron:
    """Polyhedron from an irredundant H-representation: minimal V-rep by cdd, incidences by evaluation."""
    verts, rays, lines = _cdd.generators(ineqs, eqs, n)
    if not verts:
        return Polyhedron(n, (), (), (), (), (), ())
    verts = sorted(set(verts))
    gens = [(v, True) for v in verts] + [(r, False) for r in rays]
    pairs = _pairs(ineqs)
    incidence = tuple(
        frozenset(k for k, (g, is_point) in enumerate(gens)
                  if (b if is_point else 0) + dot(a, g) == 0)
        for b, a in pairs)
    return Polyhedron(n, tuple(verts), tuple(rays), tuple(lines), pairs, _pairs(eqs), incidence)


def extreme_generators(inc: list[frozenset], n_points: int) -> list[int]:
    """Indices of extreme generators given their facet-incidence sets.

    The smallest face containing generator g consists of the generators whose
    incidence contains inc[g].  A point is a vertex iff that face is {g}
    (duplicates: the first copy wins); a ray is extreme iff the face is a ray,
    i.e. holds no point and no non-parallel ray (duplicates: first wins).
    """
    order = sorted(range(len(inc)), key=lambda i: -len(inc[i]))
    out = []
    for g in range(len(inc)):
        s = inc[g]
        ok = True
        for h in order:
            if len(inc[h]) < len(s):
                break
            if h == g or not (s <= inc[h]):
                continue
            if g < n_points:
                # another point or ray in g's minimal face: g is not a vertex,
                # unless h is an identical later copy of g.
                if h < n_points and inc[h] == s and h > g:
                    continue
                ok = False
                break
            else:
                if h < n_points:
                    continue  # points never lie in a ray's face of a pointed cone
                if inc[h] == s and h > g:
                    continue
                ok = False
                break
        if ok:
            out.append(g)
    return out


def from_inequalities(inequalities: Iterable[tuple[Any, Iterable[Any]]],
                      equations: Iterable[tuple[Any, Iterable[Any]]] = (),
                      ambient_dim: int | None = None) -> Polyhedron:
    """H→V: the polyhedron {x : b + <a, x> >= 0, b' + <a', x> = 0}.

    Examples
    --------
    >>> P = from_inequalities([(0, (1, 0)), (0, (0, 1)), (1, (-1, -1)), (5, (-1, -1))])
    >>> sorted(P.vertices), len(P.inequalities)
    ([(mpq(0,1), mpq(0,1)), (mpq(0,1), mpq(1,1)), (mpq(1,1), mpq(0,1))], 3)
    >>> from_inequalities([(-1, (1,)), (0, (-1,))]).is_empty()
    True
    """
    ineqs = [(to_rational(b), vector(a)) for b, a in inequalities]
    eqs = [(to_rational(b), vector(a)) for b, a in equations]
    allrows = ineqs + eqs
    if ambient_dim is None:
        if not allrows:
            raise InputError("ambient_dim is required without inequalities")
        ambient_dim = len(allrows[0][1])
    n = ambient_dim
    if any(len(a) != n for _, a in allrows):
        raise InputError("all half-spaces must have the same dimension")
    verts, rays, lines = _cdd.generators([(b, *a) for b, a in ineqs], [(b, *a) for b, a in eqs], n)
    if not verts:
        return Polyhedron(n, (), (), (), (), (), ())
    return hull(verts, rays, lines)


@dataclass(frozen=True)
class Face:
    """A non-empty face: its dimension and the generators/facets it holds."""

    dim: int
    vertices: frozenset  # indices into Polyhedron.vertices
    rays: frozenset  # indices into Polyhedron.rays
    facets: frozenset  # indices into Polyhedron.inequalities containing it


def faces(P: Polyhedron) -> list[Face]:
    """The face lattice of *P* (non-empty faces, every dimension), from incidences.

    A face is the set of generators lying on a set of facets; faces are the
    intersections of facet-incidence sets that still contain a vertex, plus
    *P* itself.  Sorted by dimension, then by vertex sets.

    Examples
    --------
    >>> square = hull([(0, 0), (1, 0), (0, 1), (1, 1)])
    >>> [sum(1 for f in faces(square) if f.dim == k) for k in range(3)]
    [4, 4, 1]
    """
    if P.is_empty():
        return []
    nv, nr = len(P.vertices), len(P.rays)
    all_gens = frozenset(range(nv + nr))
    seen: dict[frozenset, frozenset] = {all_gens: frozenset()}
    frontier = [all_gens]
    while frontier:
        nxt = []
        for g in frontier:
            for inc in P.incidence:
                h = g & inc
                if h == g or not any(i < nv for i in h) or h in seen:
                    continue
                seen[h] = frozenset()
                nxt.append(h)
        frontier = nxt
    out = []
    for g in seen:
        facets = frozenset(k for k, inc in enumerate(P.incidence) if g <= inc)
        vs = [P.vertices[i] for i in sorted(g) if i < nv]
        rs = [P.rays[i - nv] for i in sorted(g) if i >= nv]
        dim = affine_rank(vs, rs + list(P.lines))
        out.append(Face(dim, frozenset(i for i in g if i < nv),
                        frozenset(i - nv for i in g if i >= nv), facets))
    out.sort(key=lambda f: (f.dim, sorted(f.vertices), sorted(f.rays)))
    return out
