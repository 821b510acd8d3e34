"""Exact planar geometry for the figures: polygons, segments and intervals over Q.

Everything here works on exact rationals (``mpq``) and never imports
matplotlib; the figure modules convert the results to floats only when they
build the artists.  Half-planes follow the library's convention: a row
``(b, a)`` means ``b + <a, x> >= 0``.  A *window* is ``(xmin, xmax, ymin, ymax)``
in the plane and ``(xmin, xmax)`` on the line.

Examples
--------
The unit square cut by x + y <= 1 is a triangle of area 1/2:

>>> T = clip_polygon([(1, (-1, -1))], (0, 1, 0, 1))
>>> [tuple(int(c) for c in v) for v in T], polygon_area(T)
([(0, 0), (1, 0), (0, 1)], mpq(1,2))

The line x = y inside that triangle:

>>> s = clip_line(0, (1, -1), [(1, (-1, -1))], (0, 1, 0, 1))
>>> [tuple(str(c) for c in p) for p in s]
[('0', '0'), ('1/2', '1/2')]
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import dot
from tropexact.exact.numbers import Q, to_rational

__all__ = ["window_inequalities", "clip_polygon", "polygon_area", "polygon_centroid",
           "clip_line", "shared_segment", "interval", "affine_value", "convex_hull",
           "polygon_inequalities"]

Point = tuple  # (mpq, mpq)


def window_inequalities(window: Sequence[Any]) -> tuple:
    """The rows (b, a) of the window box, in :class:`tropexact.networks.domain.Domain`'s order.

    Examples
    --------
    >>> [(int(b), tuple(int(x) for x in a)) for b, a in window_inequalities((0, 2))]
    [(0, (1,)), (2, (-1,))]
    """
    w = [to_rational(v) for v in window]
    d = len(w) // 2
    rows = []
    for i in range(d):
        e = tuple(Q(int(k == i)) for k in range(d))
        rows.append((-w[2 * i], e))
        rows.append((w[2 * i + 1], tuple(-x for x in e)))
    return tuple(rows)


def _exact_rows(inequalities: Iterable[tuple[Any, Sequence[Any]]]) -> list:
    """The rows (b, a) with every number an ``mpq``."""
    return [(Q(b), tuple(Q(x) for x in a)) for b, a in inequalities]


def _cross(o: Point, p: Point, q: Point) -> Any:
    """The cross product of p − o and q − o: > 0 when o, p, q turn counter-clockwise."""
    return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])


def polygon_area(vertices: Sequence[Point]) -> Any:
    """Exact signed area (shoelace formula); positive for counter-clockwise vertices.

    Examples
    --------
    >>> polygon_area([(0, 0), (2, 0), (0, 3)])
    mpq(3,1)
    """
    n = len(vertices)
    s = Q(0)
    for k in range(n):
        (x0, y0), (x1, y1) = vertices[k], vertices[(k + 1) % n]
        s += Q(x0) * Q(y1) - Q(x1) * Q(y0)
    return s / 2


def polygon_centroid(vertices: Sequence[Point]) -> Point:
    """Exact area centroid of a polygon with non-zero area.

    Examples
    --------
    >>> polygon_centroid([(0, 0), (3, 0), (0, 3)])
    (mpq(1,1), mpq(1,1))
    """
    n = len(vertices)
    A = polygon_area(vertices)
    cx = cy = Q(0)
    for k in range(n):
        (x0, y0), (x1, y1) = vertices[k], vertices[(k + 1) % n]
        c = Q(x0) * Q(y1) - Q(x1) * Q(y0)
        cx += (Q(x0) + Q(x1)) * c
        cy += (Q(y0) + Q(y1)) * c
    return (cx / (6 * A), cy / (6 * A))


def _drop_redundant_vertices(poly: list) -> list:
    """Drop repeated and collinear (180°) vertices of a convex polygon."""
    out: list = []
    for p in poly:
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    changed = True
    while changed and len(out) >= 3:
        changed = False
        for k in range(len(out)):
            if _cross(out[k - 1], out[k], out[(k + 1) % len(out)]) == 0:
                del out[k]
                changed = True
                break
    return out


def clip_polygon(inequalities: Iterable[tuple[Any, Sequence[Any]]],
                 window: Sequence[Any]) -> tuple:
    """Vertices of {x ∈ Q² : b + <a, x> >= 0 for every row} ∩ window, exactly.

    Sutherland–Hodgman clipping of the window rectangle by each half-plane in
    turn, on rationals: an edge crossing a line strictly is cut at the exact
    crossing point, so every vertex returned satisfies every row exactly.
    The vertices come counter-clockwise without repeated or collinear ones.

    Parameters
    ----------
    inequalities : iterable of (b, a)
        Half-planes b + a₀x + a₁y >= 0.
    window : (xmin, xmax, ymin, ymax)

    Returns
    -------
    tuple of (mpq, mpq)
        The polygon's vertices, or ``()`` when the intersection has empty interior.

    Examples
    --------
    >>> P = clip_polygon([(0, (1, -1))], (-1, 1, -1, 1))  # x >= y
    >>> [tuple(int(c) for c in v) for v in P]
    [(-1, -1), (1, -1), (1, 1)]
    >>> clip_polygon([(-5, (1, 0))], (-1, 1, -1, 1))  # x >= 5
    ()
    """
    xmin, xmax, ymin, ymax = (to_rational(v) for v in window)
    poly = [(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax)]
    for b, (a0, a1) in _exact_rows(inequalities):
        vals = [b + a0 * x + a1 * y for x, y in poly]
        out = []
        n = len(poly)
        for k in range(n):
            p, vp = poly[k], vals[k]
            q, vq = poly[(k + 1) % n], vals[(k + 1) % n]
            if vp >= 0:
                out.append(p)
            if (vp > 0 > vq) or (vp < 0 < vq):
                t = vp / (vp - vq)
                out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
        poly = _drop_redundant_vertices(out)
        if len(poly) < 3:
            return ()
    return tuple(poly) if polygon_area(poly) > 0 else ()


def clip_line(b: Any, a: Sequence[Any], inequalities: Iterable[tuple[Any, Sequence[Any]]],
              window: Sequence[Any]) -> tuple | None:
    """The segment of the line b + <a, x> = 0 inside the rows and the window, exactly.

    Returns ``(p, q)`` (two distinct points) or ``None`` when the line misses
    the region or touches it in a single point.  A row that vanishes
    identically on the line is satisfied.

    Examples
    --------
    >>> s = clip_line(-1, (1, 0), [], (0, 4, 0, 2))  # x = 1 in [0,4]×[0,2]
    >>> [tuple(int(c) for c in p) for p in s]
    [(1, 0), (1, 2)]
    >>> clip_line(-9, (1, 0), [], (0, 4, 0, 2)) is None
    True
    """
    b = Q(b)
    a0, a1 = Q(a[0]), Q(a[1])
    if a0 == 0 and a1 == 0:
        raise InputError("clip_line needs a line: a must not be zero")
    p0 = (-b / a0, Q(0)) if a0 != 0 else (Q(0), -b / a1)
    u = (-a1, a0)
    lo = hi = None
    for c, w in _exact_rows(inequalities) + list(window_inequalities(window)):
        k = c + w[0] * p0[0] + w[1] * p0[1]
        s = w[0] * u[0] + w[1] * u[1]
        if s == 0:
            if k < 0:
                return None
        elif s > 0:
            t = -k / s
            lo = t if lo is None or t > lo else lo
        else:
            t = -k / s
            hi = t if hi is None or t < hi else hi
    if lo is None or hi is None or lo >= hi:
        return None
    return ((p0[0] + lo * u[0], p0[1] + lo * u[1]), (p0[0] + hi * u[0], p0[1] + hi * u[1]))


def shared_segment(rows_i: Sequence[tuple], rows_j: Sequence[tuple],
                   window: Sequence[Any]) -> tuple | None:
    """The common edge of two convex regions with disjoint interiors, inside the window.

    The closures of two such regions meet inside a line carrying a facet of
    both (when they are adjacent): it is the line of one of the rows of the
    first region, clipped by both regions' rows.  ``None`` when they share no
    segment in the window.

    Examples
    --------
    >>> s = shared_segment([(0, (1, 0))], [(0, (-1, 0))], (-1, 1, -1, 1))  # x >= 0 | x <= 0
    >>> [tuple(int(c) for c in p) for p in s]
    [(0, -1), (0, 1)]
    """
    both = list(rows_i) + list(rows_j)
    for b, a in rows_i:
        if any(a):
            seg = clip_line(b, a, both, window)
            if seg is not None:
                return seg
    return None


def interval(inequalities: Iterable[tuple[Any, Sequence[Any]]],
             window: Sequence[Any]) -> tuple | None:
    """{x ∈ Q : b + a·x >= 0 for every row} ∩ [xmin, xmax] as (lo, hi), or None.

    None when the set is empty or a single point.

    Examples
    --------
    >>> interval([(1, (-2,))], (0, 3))  # 1 − 2x >= 0
    (mpq(0,1), mpq(1,2))
    >>> interval([(-5, (1,))], (0, 3)) is None
    True
    """
    lo, hi = (to_rational(v) for v in window)
    for b, a in _exact_rows(inequalities):
        (a0,) = a
        if a0 > 0:
            lo = max(lo, -b / a0)
        elif a0 < 0:
            hi = min(hi, -b / a0)
        elif b < 0:
            return None
    return (lo, hi) if lo < hi else None


def affine_value(weight: Sequence[Any], bias: Any, x: Sequence[Any]) -> Any:
    """bias + <weight, x>, exactly.

    Examples
    --------
    >>> affine_value((1, 2), 3, (Q(1, 2), 1))
    mpq(11,2)
    """
    return Q(bias) + dot(weight, x)


def convex_hull(points: Iterable[Sequence[Any]]) -> tuple:
    """Vertices of the convex hull of points in Q², counter-clockwise (monotone chain).

    Collinear points give the two end points; one point gives itself.

    Examples
    --------
    >>> [tuple(int(c) for c in v) for v in convex_hull([(0, 0), (2, 0), (1, 1), (1, 0), (0, 2)])]
    [(0, 0), (2, 0), (0, 2)]
    >>> [tuple(int(c) for c in v) for v in convex_hull([(0, 0), (1, 1), (2, 2)])]
    [(0, 0), (2, 2)]
    """
    pts = sorted({(Q(p[0]), Q(p[1])) for p in points})
    if len(pts) <= 2:
        return tuple(pts)

    def chain(seq: list) -> list:
        out: list = []
        for p in seq:
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = chain(pts), chain(pts[::-1])
    hull = lower[:-1] + upper[:-1]
    if len(hull) == 2 or polygon_area(hull) == 0:
        return (pts[0], pts[-1])
    return tuple(hull)


def polygon_inequalities(vertices: Sequence[Point]) -> tuple:
    """The half-planes (b, a) of a counter-clockwise convex polygon, one per edge.

    Examples
    --------
    >>> rows = polygon_inequalities([(0, 0), (1, 0), (0, 1)])
    >>> all(b + a[0] * Q(1, 4) + a[1] * Q(1, 4) > 0 for b, a in rows)
    True
    """
    rows = []
    n = len(vertices)
    for k in range(n):
        p, q = vertices[k], vertices[(k + 1) % n]
        a = (Q(p[1]) - Q(q[1]), Q(q[0]) - Q(p[0]))
        rows.append((-(a[0] * Q(p[0]) + a[1] * Q(p[1])), a))
    return tuple(rows)
