"""The decision regions of a classifier in the plane, exactly: where each class wins.

On an activation region R every output is affine, ν_k(x) = b_k + <w_k, x>, so
the set of R where class k wins is the convex polygon

    R ∩ {x : ν_k(x) >= ν_j(x) for every j ≠ k},

cut from R's polygon by p − 1 half-planes (:func:`tropexact.plot.exact.clip_polygon`).
Two classes can only share a piece with interior when ν_k − ν_j vanishes on
all of R; such a tie goes to the smaller index (the decision figure hatches it
as well).  When one class wins strictly at every vertex of R's polygon it wins
on all of it (each ν_k − ν_j is affine), and no clipping is needed.

Examples
--------
Two classes on one region, the square [0, 2]²: ν_0 = x, ν_1 = 1, so class 0
wins right of x = 1:

>>> from types import SimpleNamespace as NS
>>> R = NS(weight=((1, 0), (0, 0)), bias=(0, 1))
>>> square = ((0, 0), (2, 0), (2, 2), (0, 2))
>>> cells = class_cells([R], [square], (0, 2, 0, 2))
>>> [(i, k, sorted((int(x), int(y)) for x, y in P)) for i, k, P in cells]
[(0, 0, [(1, 0), (1, 2), (2, 0), (2, 2)]), (0, 1, [(0, 0), (0, 2), (1, 0), (1, 2)])]
"""

from __future__ import annotations

from typing import Any, Sequence

from tropexact.exact.numbers import Q

from .exact import affine_value, clip_polygon, polygon_inequalities

__all__ = ["class_cells", "winner"]


def winner(values: Sequence[Any]) -> int:
    """The winning class: the largest value, ties to the smaller index.

    Examples
    --------
    >>> winner([1, 3, 3, 2])
    1
    """
    return max(range(len(values)), key=lambda k: (values[k], -k))


def _strict_winner(r: Any, P: Sequence) -> int | None:
    """The class winning strictly at every vertex of P, or None."""
    p = len(r.bias)
    first = None
    for v in P:
        vals = [affine_value(r.weight[k], r.bias[k], v) for k in range(p)]
        k = winner(vals)
        if any(vals[j] == vals[k] for j in range(p) if j != k) or first not in (None, k):
            return None
        first = k
    return first


def _cell(r: Any, k: int, P: Sequence, window: Sequence) -> tuple:
    """The part of polygon P where class k wins (ties on all of R to the smaller index)."""
    rows = list(polygon_inequalities(P))
    for j in range(len(r.bias)):
        if j == k:
            continue
        b = Q(r.bias[k]) - Q(r.bias[j])
        w = tuple(Q(a) - Q(c) for a, c in zip(r.weight[k], r.weight[j]))
        if not any(w) and (b < 0 or (b == 0 and j < k)):
            return ()
        rows.append((b, w))
    return clip_polygon(rows, window)


def class_cells(regions: Sequence[Any], polys: Sequence[Sequence], window: Sequence) -> list:
    """``[(i, k, polygon)]``: the part of region i's polygon where class k wins, exactly.

    *regions* carry the affine maps (``weight``, ``bias``) of the outputs, *polys*
    their polygons in *window* (``()`` for a region outside it).  Pieces without
    interior are left out; the pieces of one region tile its polygon.
    """
    out = []
    for i, (r, P) in enumerate(zip(regions, polys)):
        if not P:
            continue
        k = _strict_winner(r, P)
        if k is not None:
            out.append((i, k, tuple(P)))
            continue
        for k in range(len(r.bias)):
            C = _cell(r, k, P, window)
            if C:
                out.append((i, k, C))
    return out
