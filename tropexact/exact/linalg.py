"""Exact linear algebra, written once: denominators, primitive vectors, rank, nullspace, determinants.

Every geometric module of tropexact reduces its rational data to integers the
same way, so the helpers live here and nowhere else:

* :func:`common_denominator` and :func:`integer_vector` clear denominators
  (scaling by a positive integer preserves every affine and convex relation);
* :func:`primitive` divides an integer vector by the gcd of its entries, so two
  vectors are positive multiples of each other iff their primitive forms are
  equal (:func:`primitive_integer` does both steps for a rational vector);
* :func:`rref`, :func:`rank`, :func:`nullspace` and :func:`affine_rank` are
  Gauss–Jordan elimination over Q (``mpq``);
* :func:`det` and :func:`normal_vector` are fraction-free (Bareiss) on integers.

Examples
--------
>>> common_denominator([Q(1, 4), Q(5, 6), Q(2)])
12
>>> integer_vector([Q(1, 2), Q(-1, 3)]), primitive([4, -6, 0]), primitive_integer([Q(1, 2), Q(1)])
((3, -2), (2, -3, 0), (1, 2))
>>> rank([[1, 2], [2, 4], [0, 1]]), nullspace([[1, 1, 0]], 3)
(2, [(-1, 1, 0), (0, 0, 1)])
>>> det([[2, 1], [1, 3]]), normal_vector([(1, 0, 0), (0, 1, 0)])
(5, (0, 0, 1))
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from .numbers import Q, to_rational

__all__ = ["dot", "common_denominator", "integer_vector", "integer_points", "primitive",
           "primitive_integer", "rref", "rank", "nullspace", "affine_rank", "det",
           "normal_vector"]


def dot(a: Iterable[Any], x: Iterable[Any]) -> Any:
    """Exact inner product ⟨a, x⟩ as an ``mpq`` (zero entries of *a* skipped).

    Examples
    --------
    >>> dot([1, 0, Q(1, 2)], [3, 5, 4])
    mpq(5,1)
    """
    s = Q(0)
    for ai, xi in zip(a, x):
        if ai:
            s += ai * xi
    return s


def common_denominator(xs: Iterable[Any]) -> int:
    """Least common multiple of the denominators of the rationals *xs* (1 if empty)."""
    out = 1
    for x in xs:
        out = math.lcm(out, int(to_rational(x).denominator))
    return out


def integer_vector(xs: Iterable[Any]) -> tuple[int, ...]:
    """The rationals *xs* times their common denominator, as Python ints."""
    v = [to_rational(x) for x in xs]
    L = common_denominator(v)
    return tuple(int(x * L) for x in v)


def integer_points(points: Iterable[Iterable[Any]]) -> tuple[list[tuple], int]:
    """Scale rational points by the lcm L of all their denominators.

    Returns the integer points (tuples of Python ints) and L.  Scaling by
    L > 0 preserves every affine and convex relation among the points.

    Examples
    --------
    >>> integer_points([(Q(1, 2), Q(1)), (Q(1, 3), Q(0))])
    ([(3, 6), (2, 0)], 6)
    """
    pts = [tuple(p) for p in points]
    L = common_denominator(v for p in pts for v in p)
    return [tuple(int(v * L) for v in p) for p in pts], L


def primitive(v: Sequence[int]) -> tuple[int, ...]:
    """*v* divided by the gcd of its entries (signs kept; the zero vector unchanged)."""
    g = math.gcd(*v)
    return tuple(v) if g <= 1 else tuple([x // g for x in v])


def primitive_integer(xs: Iterable[Any]) -> tuple[int, ...]:
    """The primitive integer vector that is a positive multiple of the rational vector *xs*."""
    return primitive(integer_vector(xs))


def rref(rows: Sequence[Sequence[Any]], ncols: int) -> tuple[list[list[Any]], list[int]]:
    """Reduced row echelon form over Q: (the non-zero rows, their pivot columns)."""
    M = [[Q(x) for x in r] for r in rows]
    piv: list[int] = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        piv.append(c)
        r += 1
        if r == len(M):
            break
    return M[:r], piv


def rank(rows: Sequence[Sequence[Any]]) -> int:
    """The rank of a rational matrix given by its rows."""
    rows = [r for r in rows if any(r)]
    return len(rref(rows, len(rows[0]))[1]) if rows else 0


def nullspace(rows: Sequence[Sequence[Any]], ncols: int) -> list[tuple[int, ...]]:
    """A basis of {x : r·x = 0 for every row r}, as primitive integer vectors.

    One vector per free column f of the echelon form: x_f = 1, the other free
    entries 0, the pivot entries solved for.
    """
    R, piv = rref(rows, ncols) if rows else ([], [])
    out = []
    for f in (c for c in range(ncols) if c not in piv):
        v = [Q(0)] * ncols
        v[f] = Q(1)
        for p, c in enumerate(piv):
            v[c] = -R[p][f]
        out.append(primitive_integer(v))
    return out


def affine_rank(points: Sequence[Sequence[Any]], directions: Sequence[Sequence[Any]] = ()) -> int:
    """Dimension of aff(points) + span(directions), exactly (−1 without points)."""
    if not points:
        return -1
    p0 = points[0]
    return rank([[a - b for a, b in zip(p, p0)] for p in points[1:]] + [list(d) for d in directions])


def det(rows: Sequence[Sequence[int]]) -> int:
    """Exact determinant of a square integer matrix (fraction-free Bareiss elimination)."""
    m = [list(r) for r in rows]
    n = len(m)
    if n == 0:
        return 1
    sign = 1
    prev = 1
    for k in range(n - 1):
        if m[k][k] == 0:
            for i in range(k + 1, n):
                if m[i][k] != 0:
                    m[k], m[i] = m[i], m[k]
                    sign = -sign
                    break
            else:
                return 0
        pk = m[k][k]
        rk = m[k]
        for i in range(k + 1, n):
            ri = m[i]
            rik = ri[k]
            for j in range(k + 1, n):
                ri[j] = (ri[j] * pk - rik * rk[j]) // prev
        prev = pk
    return sign * m[n - 1][n - 1]


def normal_vector(rows: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """Generalised cross product of n − 1 integer vectors in Z^n: orthogonal to every row.

    Entry c is (−1)^c times the minor without column c, so ⟨h, v⟩ is the
    determinant of the rows with v appended (zero for v among the rows).
    """
    n = len(rows[0])
    h = []
    for c in range(n):
        d = det([[r[j] for j in range(n) if j != c] for r in rows])
        h.append(-d if c % 2 else d)
    return tuple(h)
