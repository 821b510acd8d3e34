"""Upper vertices of point sets known through a linear-optimisation oracle.

The lexicographic maximiser of (⟨w, p⟩, p_last, p_0, p_1, …) over a finite set
is unique and, for w_last ≥ 0, an upper vertex (:func:`lex_argmax`).  It is
additive over Minkowski sums and the larger of the parts' over unions, so the
upper vertices of ⋃_s (c_s + Σ_j k_sj·P_sj) are found without expanding a sum
(:func:`upper_vertices_of_sums`): a cutting-plane loop asks the oracle for the
maximiser of every facet normal of the hull found so far
(:func:`upper_vertices_from_oracle`), the facets coming from the integer
Quickhull (:mod:`tropexact.polyhedra.quickhull`) or cdd.

Examples
--------
>>> sq = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 0)]
>>> len(upper_vertices_of_sums([(0, [(sq, 1), (sq, 2)])], 3))  # [0, 3]² at height 0
4
"""

from __future__ import annotations

import random
from typing import Any, Iterable, Sequence

from tropexact.errors import BudgetExceeded
from tropexact.exact.linalg import dot, integer_points, primitive_integer
from tropexact.exact.numbers import Q, to_rational

from . import _cdd
from .quickhull import lifted_facets

__all__ = ["lex_argmax", "affine_values", "integer_constraints", "upper_vertices_from_oracle",
           "upper_vertices_of_sums"]

Vec = tuple  # tuple of mpq


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
    vals = affine_values(0, w, cols, cand)
    top = max(vals)
    ties = [i for i, v in zip(cand, vals) if v == top]
    return max(ties, key=lambda i: (ip[i][-1], ip[i]))


def affine_values(b: int, a: Sequence[int], cols: Sequence[list], idx: Sequence[int]) -> list:
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


def _sample_vertices(oracle: Any, D: int, K: set, patience: int) -> None:
    """Add oracle answers for random directions (x, 1) until *patience* misses in a row.

    Only a speed-up: every answer is a certified upper vertex, and the facet
    loop afterwards finds whatever the sampling missed.  Seeded, so runs are
    repeatable.  Directions mix scales (the cells of a tropical polynomial
    range from tiny to unbounded): x has entries p/q with |p| ≤ S, q ≤ 4, S
    drawn from 1, 4, 16, 64, 256.
    """
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


def integer_constraints(ip: Sequence[tuple]) -> list[tuple[int, tuple]]:
    """Integer half-spaces b + <a, p> >= 0 describing Q = conv(ip) + cone(−e_last) exactly.

    Uses the integer Quickhull of :mod:`tropexact.polyhedra.quickhull` when Q is
    full-dimensional and cdd's double description otherwise; an equation of
    the affine hull comes back as two opposite half-spaces.
    """
    rows = lifted_facets(list(ip))
    if rows is not None:
        return rows
    hrows, lin, _ = _cdd.lifted_h_representation(ip)
    out = []
    for k, row in enumerate(hrows):
        if not any(row[1:]):
            continue
        b, *a = primitive_integer(row)
        out.append((b, tuple(a)))
        if k in lin:
            out.append((-b, tuple(-v for v in a)))
    return out


def _lifted_constraints(points: Sequence[Vec]) -> list[tuple[Any, tuple]]:
    """:func:`integer_constraints` for rational points (b rescaled, a integer)."""
    ip, L = integer_points(points)
    return [(Q(b, L), a) for b, a in integer_constraints(ip)]


def upper_vertices_from_oracle(oracle: Any, D: int,
                               seeds: Iterable[Sequence[Any]] = (), *,
                               sample: int = 0, max_vertices: int | None = None) -> list:
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

    Every point found is a vertex, so the loop stops with
    :class:`~tropexact.errors.BudgetExceeded` as soon as it has found more than
    *max_vertices* of them (before the cost of a hull of many points is paid).

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
        if max_vertices is not None and len(K) > max_vertices:
            raise BudgetExceeded(f"more than {max_vertices} upper vertices",
                                 param="max_vertices")
        pts = sorted(K)
        new = set()
        for b, a in _lifted_constraints(pts):
            v = tuple(oracle(tuple(int(-x) for x in a)))
            if b + dot(a, v) < 0:
                new.add(v)
        new -= K
        if not new:
            return pts
        K |= new


#: One summand of :func:`upper_vertices_of_sums`: (c, [(points, k), ...]) stands for
#: the point set (0, …, 0, c) + Σ_j k_j·points_j (Minkowski sum, k_j ≥ 0 rational).
Sum = tuple


class _Factor:
    """A point set with integer copies, for fast exact lexicographic maximisers."""

    __slots__ = ("pts", "ipts", "cols", "idx")

    def __init__(self, points: Sequence[Vec]) -> None:
        self.pts = points
        self.ipts, _ = integer_points(points)
        self.cols = [list(c) for c in zip(*self.ipts)]
        self.idx = range(len(self.ipts))

    def argmax(self, w: Sequence[int]) -> int:
        return lex_argmax(self.ipts, self.cols, self.idx, w)


def _lexkey(w: Sequence[int], p: Sequence[Any]) -> tuple:
    return (sum(a * b for a, b in zip(w, p)), p[-1], tuple(p))


def upper_vertices_of_sums(sums: Sequence[Sum], D: int, *,
                           max_vertices: int | None = None) -> list:
    """Upper vertices of ⋃_s ((0, …, 0, c_s) + Σ_j k_sj·P_sj) ⊂ Q^D, never expanding a sum.

    The lexicographic maximiser of a Minkowski sum is the sum of the summands'
    maximisers and that of a union is the larger of the parts' maximisers, so
    each oracle query costs Σ #P_sj operations, where expanding would cost
    Π #P_sj (#P the number of points of P).  Point sets given as the same object are prepared once.  Returns
    the vertices as sorted tuples of ``mpq`` (empty when there is no sum).
    """
    cache: dict[int, _Factor] = {}
    prods = []
    for c, factors in sums:
        fs = []
        for pts, k in factors:
            if id(pts) not in cache:
                cache[id(pts)] = _Factor(pts)
            fs.append((cache[id(pts)], to_rational(k)))
        prods.append((to_rational(c), fs))
    if not prods:
        return []
    zero = tuple(Q(0) for _ in range(D - 1))

    def oracle(w: Sequence[int]) -> tuple:
        best, bkey = None, None
        for c, fs in prods:
            p = list(zero) + [c]
            for fac, k in fs:
                q = fac.pts[fac.argmax(w)]
                for t in range(D):
                    p[t] += k * q[t]
            key = _lexkey(w, p)
            if bkey is None or key > bkey:
                best, bkey = p, key
        return tuple(best)  # type: ignore[arg-type]

    return upper_vertices_from_oracle(oracle, D, max_vertices=max_vertices)
