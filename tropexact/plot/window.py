"""Default windows of the 2-D region figures: where the regions are dense, or the data.

A trained network's arrangement has a few vertices far away, where nearly
parallel boundary lines meet (hundreds of units from the data of a two-moons
classifier), and a box holding every vertex shrinks the regions near the data
to a dot.  The rules here choose a window around the dense part, exactly:

**The dense window** (:func:`dense_window`).  Let V be the distinct vertices of
the region complex over Q².  In each coordinate take the quartiles of V by
nearest rank (Q1 the ⌈n/4⌉-th smallest value, Q3 the ⌈n/4⌉-th largest) and
Tukey's fences [Q1 − 3/2·IQR, Q3 + 3/2·IQR] (IQR = Q3 − Q1).  The vertices inside
both fences, together with the points that must be shown (the anchors of a
slice), span the *dense box*; it is padded by a tenth of its side on each side
and rounded outwards to a multiple of half the power of ten below the side
(:func:`padded`).  This window is used when the whole arrangement would be
unreadable: when some side of the window holding every vertex
(:func:`tropexact.plot.base.default_window`) is more than :data:`SPREAD` times
the same side of the dense window.  Otherwise, and when the complex has no
bounded region or fewer than 4 vertices, the window is the one holding every
vertex, as before.

**The data window** (:func:`fit_window`): with data points, the box of the
points (and the anchors), padded and rounded the same way.

Everything is exact; the only floats are those handed to matplotlib.

Examples
--------
>>> [str(x) for x in padded([Q(-1), Q(2), Q(0), Q(1, 3)])]
['-3/2', '5/2', '-1/20', '2/5']
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.polyhedra import from_inequalities
from tropexact.regions import RegionComplex

from .base import _decimal_step, default_window, undrawable

__all__ = ["SPREAD", "complex_vertices", "quartiles", "dense_window", "fit_window", "padded",
           "choose_window"]

#: the dense window replaces the one holding every vertex when some side of the
#: latter is more than SPREAD times longer
SPREAD = 10


def complex_vertices(C: RegionComplex) -> list:
    """The distinct vertices of the regions of C (exact), in a canonical order."""
    d = C.network.input_dim
    out: set = set()
    for r in C.regions:
        if r.inequalities:
            out.update(tuple(Q(x) for x in v)
                       for v in from_inequalities(r.inequalities, ambient_dim=d).vertices)
    return sorted(out)


def quartiles(values: Sequence[Any]) -> tuple:
    """(Q1, Q3) by nearest rank: the ⌈n/4⌉-th smallest and the ⌈n/4⌉-th largest value.

    Examples
    --------
    >>> quartiles([5, 1, 4, 2, 3])
    (2, 4)
    """
    v = sorted(values)
    k = -(-len(v) // 4)
    return v[k - 1], v[len(v) - k]


def padded(box: Sequence[Any]) -> tuple:
    """The box (xmin, xmax, ymin, ymax) grown by a tenth of each side, rounded outwards.

    Each bound is rounded outwards to a multiple of half the power of ten at or
    below the side (a side of 3.4 to multiples of 1/2, of 340 to multiples of 50).
    A side of length 0 counts as the other side's length (1 if both are 0).
    """
    sides = [box[1] - box[0], box[3] - box[2]]
    sides = [s if s > 0 else (max(sides) if max(sides) > 0 else Q(1)) for s in sides]
    out = []
    for i, side in enumerate(sides):
        lo, hi = box[2 * i] - side / 10, box[2 * i + 1] + side / 10
        step = _decimal_step(side) / 2
        out += [math.floor(lo / step) * step, math.ceil(hi / step) * step]
    return tuple(Q(x) for x in out)


def _checked(window: tuple, what: str) -> tuple:
    why = undrawable(window)
    if why is not None:
        raise InputError(f"the {what} {why}: give a window the figure can show", param="window")
    return window


def dense_window(C: RegionComplex, extra: Sequence[Sequence[Any]] = ()) -> tuple:
    """(window, whole): the dense window of C (module docstring), and the window
    holding every vertex when it differs from the one returned (else None).

    *extra* are points the window must hold (the anchors of a slice).
    """
    whole = default_window(C, extra)
    V = complex_vertices(C)
    if len(V) < 4 or not any(r.bounded for r in C.regions):
        return whole, None
    fences = []
    for i in range(2):
        q1, q3 = quartiles([v[i] for v in V])
        fences.append((q1 - (q3 - q1) * Q(3, 2), q3 + (q3 - q1) * Q(3, 2)))
    keep = [v for v in V if all(lo <= v[i] <= hi for i, (lo, hi) in enumerate(fences))]
    keep += [tuple(Q(x) for x in p) for p in extra]
    box = (min(v[0] for v in keep), max(v[0] for v in keep),
           min(v[1] for v in keep), max(v[1] for v in keep))
    window = padded(box)
    if all(whole[2 * i + 1] - whole[2 * i] <= SPREAD * (window[2 * i + 1] - window[2 * i])
           for i in range(2)):
        return whole, None
    return _checked(window, "dense window"), whole


def fit_window(points: Sequence[Sequence[Any]]) -> tuple:
    """The box of *points* (in the plane), padded and rounded (:func:`padded`).

    Examples
    --------
    >>> [str(x) for x in fit_window([(0, 0), (1, 2)])]
    ['-1/2', '3/2', '-1/2', '5/2']
    """
    xs = [Q(p[0]) for p in points]
    ys = [Q(p[1]) for p in points]
    return _checked(padded((min(xs), max(xs), min(ys), max(ys))), "window of the points")


def choose_window(C: RegionComplex, points: Sequence[Sequence[Any]] = (),
                  anchors: Sequence[Sequence[Any]] = ()) -> tuple:
    """(window, whole) of a 2-D figure without a given window.

    With data *points*, the window of the points and *anchors*
    (:func:`fit_window`); else the dense window holding the anchors
    (:func:`dense_window`).  *whole* is the window holding every vertex and the
    anchors (:func:`tropexact.plot.base.default_window`) when the chosen window
    does not contain it, else None.
    """
    if not points:
        return dense_window(C, anchors)
    window = fit_window(list(points) + list(anchors))
    whole = default_window(C, anchors)
    inside = all(window[2 * i] <= whole[2 * i] and whole[2 * i + 1] <= window[2 * i + 1]
                 for i in range(2))
    return window, None if inside else whole
