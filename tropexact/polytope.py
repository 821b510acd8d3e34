"""Exact polyhedra on cddlib (GMP arithmetic): the only module that imports ``cdd``.

Conventions
-----------
A half-space is a pair ``(b, a)`` meaning ``b + <a, x> >= 0`` (cdd's row
convention); an equation ``(b, a)`` means ``b + <a, x> = 0``.  A polyhedron is
``conv(vertices) + cone(rays) + span(lines)``.  All numbers are ``mpq``; they
cross into cdd as exact rationals and come back as :class:`fractions.Fraction`,
converted at once.  Only :mod:`cdd.gmp` is used, never the float module.

cdd quirks handled here, so nobody else has to know them:

* a generator row starts with 1 for a point and 0 for a ray/line;
* cdd may output the trivial row ``1 >= 0`` (the "row at infinity"); dropped;
* an H-polyhedron that is a pure cone may come back without the origin
  vertex; it is added back when the polyhedron is non-empty;
* LP status "dual inconsistent" can mean infeasible *or* unbounded; a
  feasibility LP decides which.

Examples
--------
>>> P = hull([(0, 0), (1, 0), (0, 1), (1, 1), ("1/2", "1/2")])
>>> len(P.vertices), len(P.inequalities), P.dim
(4, 4, 2)
>>> upper_hull_vertices([(0, 0), (1, 1), (2, 0), (1, -5)])
(0, 1, 2)
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence

import cdd
import cdd.gmp as _cdd

from .errors import InputError
from .numbers import Q, from_fraction, integer_points, to_rational

__all__ = [
    "Polyhedron",
    "Face",
    "LPStatus",
    "LPResult",
    "hull",
    "from_inequalities",
    "faces",
    "lp",
    "irredundant",
    "upper_hull_vertices",
    "upper_hull_vertices_lp",
    "upper_hull",
    "UpperHull",
    "affine_rank",
    "lex_argmax",
    "upper_vertices_from_oracle",
]

Vec = tuple  # tuple of mpq


def _vec(xs: Iterable[Any]) -> Vec:
    return tuple(to_rational(x) for x in xs)


def _from_cdd_row(row: Sequence[Fraction]) -> Vec:
    return tuple(from_fraction(v) for v in row)


def _normalize_row(row: Vec) -> Vec:
    """Scale a half-space row to primitive integer form (positive multiple)."""
    import math

    den = 1
    for v in row:
        den = math.lcm(den, int(v.denominator))
    ints = [int(v * den) for v in row]
    g = 0
    for v in ints:
        g = math.gcd(g, v)
    if g == 0:
        return row
    return tuple(Q(v // g) for v in ints)


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
        x = _vec(point)
        return all(b + _dot(a, x) >= 0 for b, a in self.inequalities) and all(
            b + _dot(a, x) == 0 for b, a in self.equations
        )


def _dot(a: Vec, x: Vec) -> Any:
    s = Q(0)
    for ai, xi in zip(a, x):
        if ai:
            s += ai * xi
    return s


def _split_h(mat: Any, n: int) -> tuple[list[Vec], list[Vec], list[int]]:
    """Split a cdd H-matrix into inequalities/equations, dropping 1 >= 0 rows."""
    ineqs, eqs, keep = [], [], []
    lin = mat.lin_set
    for i, row in enumerate(mat.array):
        r = _from_cdd_row(row)
        if not any(r[1:]):
            continue  # trivial row (b >= 0 with b >= 0) or the row at infinity
        r = _normalize_row(r)
        if i in lin:
            eqs.append((r[0], r[1:]))
        else:
            ineqs.append((r[0], r[1:]))
            keep.append(i)
    return ineqs, eqs, keep


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
    pts = [_vec(p) for p in points]
    rs = [_vec(r) for r in rays]
    ls = [_vec(l) for l in lines]
    if not pts:
        raise InputError("a polyhedron needs at least one point")
    n = len(pts[0])
    if any(len(v) != n for v in pts + rs + ls):
        raise InputError("all generators must have the same dimension")
    if n == 0:
        return Polyhedron(0, ((),), (), (), (), (), ())
    rows = [[1, *p] for p in pts] + [[0, *r] for r in rs] + [[0, *l] for l in ls]
    lin = range(len(pts) + len(rs), len(rows))
    mat = _cdd.matrix_from_array(rows, lin_set=lin, rep_type=cdd.RepType.GENERATOR)
    poly = _cdd.polyhedron_from_matrix(mat)
    hmat = _cdd.copy_inequalities(poly)
    ineqs, eqs, keep = _split_h(hmat, n)
    if rs or ls:
        # With rays the lineality space may be hidden (opposite rays); let cdd
        # compute the minimal generators from the H-representation.
        return _from_h(ineqs, eqs, n)
    inc_in = _cdd.copy_input_incidence(poly)  # per input row: set of H rows
    # Extreme points: no other point lies in every facet the point lies in.
    inc_gen = [frozenset(inc_in[i]) for i in range(len(pts))]
    vert_idx = _extreme(inc_gen, len(pts))
    incidence = tuple(frozenset(k for k, g in enumerate(vert_idx) if h in inc_gen[g])
                      for h in keep)
    return Polyhedron(n, tuple(pts[i] for i in vert_idx), (), (), tuple(ineqs), tuple(eqs),
                      incidence)


def _generators(ineqs: list, eqs: list, n: int) -> tuple[list, list, list]:
    """H→V with cdd: (points, rays, lines) of {b + <a, x> >= 0, b' + <a', x> = 0}."""
    rows = [[b, *a] for b, a in ineqs] + [[b, *a] for b, a in eqs]
    rows.append([1] + [0] * n)  # the universe needs a trivial row
    lin = range(len(ineqs), len(ineqs) + len(eqs))
    mat = _cdd.matrix_from_array(rows, lin_set=lin, rep_type=cdd.RepType.INEQUALITY)
    gmat = _cdd.copy_generators(_cdd.polyhedron_from_matrix(mat))
    verts, rays, lines = [], [], []
    for i, row in enumerate(gmat.array):
        r = _from_cdd_row(row)
        if i in gmat.lin_set:
            lines.append(_primitive(r[1:]))
        elif r[0] == 0:
            rays.append(_primitive(r[1:]))
        else:
            verts.append(tuple(v / r[0] for v in r[1:]))
    if not verts and (rays or lines):
        # a non-empty cone: cdd omits its apex, the origin
        verts.append(tuple(Q(0) for _ in range(n)))
    return verts, rays, lines


def _from_h(ineqs: list, eqs: list, n: int) -> Polyhedron:
    """Polyhedron from an irredundant H-representation: minimal V-rep by cdd, incidences by evaluation."""
    verts, rays, lines = _generators(ineqs, eqs, n)
    if not verts:
        return Polyhedron(n, (), (), (), (), (), ())
    verts = sorted(set(verts))
    gens = [(v, True) for v in verts] + [(r, False) for r in rays]
    incidence = tuple(
        frozenset(k for k, (g, is_point) in enumerate(gens)
                  if (b if is_point else 0) + _dot(a, g) == 0)
        for b, a in ineqs)
    return Polyhedron(n, tuple(verts), tuple(rays), tuple(lines), tuple(ineqs), tuple(eqs),
                      incidence)


def _primitive(v: Vec) -> Vec:
    return _normalize_row(v)


def _extreme(inc: list[frozenset], n_points: int) -> list[int]:
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
    ineqs = [(to_rational(b), _vec(a)) for b, a in inequalities]
    eqs = [(to_rational(b), _vec(a)) for b, a in equations]
    allrows = ineqs + eqs
    if ambient_dim is None:
        if not allrows:
            raise InputError("ambient_dim is required without inequalities")
        ambient_dim = len(allrows[0][1])
    n = ambient_dim
    if any(len(a) != n for _, a in allrows):
        raise InputError("all half-spaces must have the same dimension")
    verts, rays, lines = _generators(ineqs, eqs, n)
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


def affine_rank(points: Sequence[Vec], directions: Sequence[Vec] = ()) -> int:
    """Dimension of aff(points) + span(directions), exactly (Gaussian elimination)."""
    if not points:
        return -1
    p0 = points[0]
    rows = [[a - b for a, b in zip(p, p0)] for p in points[1:]] + [list(d) for d in directions]
    return _rank(rows)


def _rank(rows: list[list[Any]]) -> int:
    rows = [list(r) for r in rows if any(r)]
    if not rows:
        return 0
    rank, ncol = 0, len(rows[0])
    for c in range(ncol):
        piv = next((i for i in range(rank, len(rows)) if rows[i][c] != 0), None)
        if piv is None:
            continue
        rows[rank], rows[piv] = rows[piv], rows[rank]
        pr = rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][c] != 0:
                f = rows[i][c] / pr[c]
                rows[i] = [x - f * y for x, y in zip(rows[i], pr)]
        rank += 1
        if rank == len(rows):
            break
    return rank


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


class LPStatus(enum.Enum):
    """Outcome of an exact LP."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"


@dataclass(frozen=True)
class LPResult:
    """An exact LP answer: status, optimal value and an optimal point (or None)."""

    status: LPStatus
    value: Any = None
    point: tuple | None = None


def lp(objective: Iterable[Any], inequalities: Iterable[tuple[Any, Iterable[Any]]],
       equations: Iterable[tuple[Any, Iterable[Any]]] = (), *, maximize: bool = True,
       constant: Any = 0) -> LPResult:
    """Solve max (or min) ``constant + <objective, x>`` subject to half-spaces, exactly.

    Examples
    --------
    >>> r = lp((1, 1), [(1, (-1, 0)), (1, (0, -1)), (0, (1, 0)), (0, (0, 1))])
    >>> r.status, r.value, r.point
    (<LPStatus.OPTIMAL: 'optimal'>, mpq(2,1), (mpq(1,1), mpq(1,1)))
    >>> lp((0, 1), [(1, (-1, 0)), (0, (1, 0))]).status
    <LPStatus.UNBOUNDED: 'unbounded'>
    >>> lp((0, 1), [(-1, (1, 0)), (0, (-1, 0))]).status
    <LPStatus.INFEASIBLE: 'infeasible'>
    """
    c = _vec(objective)
    n = len(c)
    ineqs = [(to_rational(b), _vec(a)) for b, a in inequalities]
    eqs = [(to_rational(b), _vec(a)) for b, a in equations]
    if any(len(a) != n for _, a in ineqs + eqs):
        raise InputError("objective and constraints must have the same dimension")
    rows = [[b, *a] for b, a in ineqs] + [[b, *a] for b, a in eqs]
    lin = range(len(ineqs), len(rows))
    if not rows:
        rows = [[1] + [0] * n]
    obj = cdd.LPObjType.MAX if maximize else cdd.LPObjType.MIN

    def solve(func: list) -> Any:
        mat = _cdd.matrix_from_array(rows, lin_set=lin, rep_type=cdd.RepType.INEQUALITY,
                                     obj_type=obj, obj_func=func)
        prog = _cdd.linprog_from_matrix(mat)
        _cdd.linprog_solve(prog)
        return prog

    prog = solve([to_rational(constant), *c])
    st = prog.status
    if st == cdd.LPStatusType.OPTIMAL:
        return LPResult(LPStatus.OPTIMAL, from_fraction(prog.obj_value),
                        _from_cdd_row(prog.primal_solution))
    if st in (cdd.LPStatusType.INCONSISTENT, cdd.LPStatusType.STRUC_INCONSISTENT):
        return LPResult(LPStatus.INFEASIBLE)
    # dual inconsistent / unbounded: decide feasibility with a zero objective
    feas = solve([0] * (n + 1))
    if feas.status == cdd.LPStatusType.OPTIMAL:
        return LPResult(LPStatus.UNBOUNDED, None, _from_cdd_row(feas.primal_solution))
    if feas.status in (cdd.LPStatusType.INCONSISTENT, cdd.LPStatusType.STRUC_INCONSISTENT):
        return LPResult(LPStatus.INFEASIBLE)
    raise RuntimeError(f"cdd LP returned an undecided status {feas.status!r}")


def irredundant(inequalities: Iterable[tuple[Any, Iterable[Any]]],
                equations: Iterable[tuple[Any, Iterable[Any]]] = ()) -> tuple[list[int], list[int]]:
    """Redundancy removal: which input inequalities are facets, plus implied equations.

    Returns
    -------
    kept : list of int
        Indices of the input inequalities that are needed (irredundant).
    implicit : list of int
        Indices of input inequalities that hold with equality on the whole set.

    Examples
    --------
    >>> irredundant([(0, (1,)), (1, (1,)), (2, (-1,))])
    ([0, 2], [])
    """
    ineqs = [(to_rational(b), _vec(a)) for b, a in inequalities]
    eqs = [(to_rational(b), _vec(a)) for b, a in equations]
    if not ineqs:
        return [], []
    rows = [[b, *a] for b, a in ineqs] + [[b, *a] for b, a in eqs]
    mat = _cdd.matrix_from_array(rows, lin_set=range(len(ineqs), len(rows)),
                                 rep_type=cdd.RepType.INEQUALITY)
    impl = _cdd.implicit_linearity_rows(mat)
    redundant = _cdd.redundant_rows(mat)
    kept = [i for i in range(len(ineqs)) if i not in redundant and i not in impl]
    return kept, sorted(i for i in impl if i < len(ineqs))


# ---------------------------------------------------------------------------
# Upper hulls of lifted point sets (the engine behind tropical pruning)
# ---------------------------------------------------------------------------

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


def _lifted_polyhedron(points: Sequence[Vec]) -> tuple[Any, Any, list[frozenset]]:
    D = len(points[0])
    rows = [[1, *p] for p in points] + [[0] * D + [-1]]
    mat = _cdd.matrix_from_array(rows, rep_type=cdd.RepType.GENERATOR)
    poly = _cdd.polyhedron_from_matrix(mat)
    inc = [frozenset(s) for s in _cdd.copy_input_incidence(poly)]
    return poly, _cdd.copy_inequalities(poly), inc


def _check_points(points: Iterable[Iterable[Any]]) -> list[Vec]:
    pts = [_vec(p) for p in points]
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
    _, _, inc = _lifted_polyhedron(pts)
    ext = _extreme(inc, len(pts))
    return tuple(i for i in ext if i < len(pts))


def lex_argmax(ip: list[tuple], cols: Sequence[list], cand: Sequence[int],
               w: Sequence[int]) -> int:
    """Index in *cand* maximising (<w, p>, p_last, p_0, p_1, …) lexicographically.

    *ip* holds integer points and *cols* the same points column-wise
    (``cols[k][i] == ip[i][k]``), which makes the hot loop cheaper.

    The functionals w, e_last, e_0, … span the space, so the lexicographic
    maximum of a finite set is unique and is a vertex of its hull; it is a
    vertex of the perturbed direction w + ε e_last + ε² e_0 + …, whose last
    entry is positive whenever w_last ≥ 0, hence an *upper* vertex.
    """
    vals = _affine_values(0, w, cols, cand)
    top = max(vals)
    ties = [i for i, v in zip(cand, vals) if v == top]
    return max(ties, key=lambda i: (ip[i][-1], ip[i]))


def _affine_values(b: int, a: Sequence[int], cols: Sequence[list], idx: Sequence[int]) -> list:
    """[b + <a, p_i>] for i in idx, points stored column-wise (hot loop, unrolled)."""
    if len(a) == 3:
        a0, a1, a2 = a
        c0, c1, c2 = cols
        return [b + a0 * c0[i] + a1 * c1[i] + a2 * c2[i] for i in idx]
    if len(a) == 4:
        a0, a1, a2, a3 = a
        c0, c1, c2, c3 = cols
        return [b + a0 * c0[i] + a1 * c1[i] + a2 * c2[i] + a3 * c3[i] for i in idx]
    return [b + sum(ak * ck[i] for ak, ck in zip(a, cols)) for i in idx]


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
        cons = _integer_constraints([ip[i] for i in sorted(K)])
        inside = alive
        violated = []
        for b, a in cons:
            vals = _affine_values(b, a, cols, inside)
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


def upper_hull(points: Iterable[Iterable[Any]]) -> UpperHull:
    """Upper vertices, upper facets (as sets of input indices) and upper edges.

    Upper facets are the facets of Q = conv(points) + cone(−e_last) whose
    inequality bounds the height from above (last coefficient < 0).  When the
    points do not span Q^{d+1} horizontally, the "facets" are the maximal upper
    faces (the cells of the dual subdivision in the affine hull).

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
    poly, hmat, inc = _lifted_polyhedron(pts)
    ext = _extreme(inc, len(pts))
    verts = tuple(i for i in ext if i < len(pts))
    ray = len(pts)
    lin = hmat.lin_set
    # upper faces are the faces not containing the ray; facets of Q not containing it
    upper_rows = [k for k, row in enumerate(hmat.array)
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


def _sample_vertices(oracle: Any, D: int, K: set, patience: int) -> None:
    """Add oracle answers for random directions (x, 1) until *patience* misses in a row.

    Only a speed-up: every answer is a certified upper vertex, and the facet
    loop afterwards finds whatever the sampling missed.  Seeded, so runs are
    repeatable.  Directions mix scales (the cells of a tropical polynomial
    range from tiny to unbounded): x has entries p/q with |p| ≤ S, q ≤ 4, S
    drawn from 1, 4, 16, 64, 256.
    """
    import random

    rng = random.Random(20181)
    misses = 0
    while misses < patience:
        S = 4 ** rng.randint(0, 4)
        q = rng.randint(1, 4)
        w = tuple(rng.randint(-S, S) for _ in range(D - 1)) + (q,)
        v = tuple(oracle(w))
        if v in K:
            misses += 1
        else:
            K.add(v)
            misses = 0


def _integer_constraints(ip: Sequence[tuple]) -> list[tuple[int, tuple]]:
    """Integer half-spaces b + <a, p> >= 0 describing Q = conv(ip) + cone(−e_last) exactly.

    Uses the integer Quickhull of :mod:`tropexact._hull` when Q is
    full-dimensional and cdd's double description otherwise; an equation of
    the affine hull comes back as two opposite half-spaces.
    """
    from ._hull import lifted_facets

    rows = lifted_facets(list(ip))
    if rows is not None:
        return rows
    D = len(ip[0])
    mat = _cdd.matrix_from_array([[1, *p] for p in ip] + [[0] * D + [-1]],
                                 rep_type=cdd.RepType.GENERATOR)
    hmat = _cdd.copy_inequalities(_cdd.polyhedron_from_matrix(mat))
    out = []
    for k, row in enumerate(hmat.array):
        r = _normalize_row(_from_cdd_row(row))
        b, a = int(r[0]), tuple(int(v) for v in r[1:])
        if not any(a):
            continue
        out.append((b, a))
        if k in hmat.lin_set:
            out.append((-b, tuple(-v for v in a)))
    return out


def _lifted_constraints(points: Sequence[Vec]) -> list[tuple[Any, tuple]]:
    """:func:`_integer_constraints` for rational points (b rescaled, a integer)."""
    ip, L = integer_points(points)
    return [(Q(b, L), a) for b, a in _integer_constraints(ip)]


def upper_vertices_from_oracle(oracle: Any, D: int,
                               seeds: Iterable[Sequence[Any]] = (), *,
                               sample: int = 0) -> list:
    """Upper vertices of a point set known only through a linear-optimisation oracle.

    ``oracle(w)`` must return the lexicographic maximiser, over the point set,
    of (<w, p>, p_last, p_0, p_1, …) for an integer direction ``w`` with
    ``w_last >= 0``; such a maximiser is an upper vertex (see
    :func:`lex_argmax`).  This is how the vertices of a Minkowski sum or of
    a union of sums are found without expanding it: the lexicographic
    maximiser of A + B is the sum of those of A and B.

    Algorithm: K starts with the oracle's answers for ``seeds``, a few fixed
    directions and, when ``sample > 0``, random directions until ``sample``
    answers in a row bring nothing new (cheap queries save costly hull
    computations); Q_K = conv(K) + cone(−e_last) is computed with cdd; for
    every facet b + <a, p> >= 0 of Q_K (both signs for an equation) the oracle
    is asked for the maximiser v of −a; if v violates the facet it is new and
    joins K.  When no facet is violated, every facet of Q_K is valid on the
    whole set, so Q = Q_K and K is exactly the vertex set.

    Returns the vertices as tuples of ``mpq``, sorted.
    """
    K: set = set()
    up = tuple([0] * (D - 1) + [1])
    dirs = [up]
    for j in range(D - 1):
        for s in (1, -1):
            w = [0] * D
            w[j] = s
            dirs.append(tuple(w))
            w = list(up)
            w[j] = s
            dirs.append(tuple(w))
    for direction in list(seeds) + dirs:
        K.add(tuple(oracle(tuple(direction))))
    if sample:
        _sample_vertices(oracle, D, K, sample)
    while True:
        pts = sorted(K)
        new = set()
        for b, a in _lifted_constraints(pts):
            v = tuple(oracle(tuple(int(-x) for x in a)))
            if b + _dot(a, v) < 0:
                new.add(v)
        new -= K
        if not new:
            return pts
        K |= new
