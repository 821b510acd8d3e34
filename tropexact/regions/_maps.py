"""Affine maps of a network on one cell, as integer matrices over a common denominator.

On a cell of the region complex every layer's output is one affine map of x; it
is kept as ``(rows·x + off) / den`` with Python-int rows, so that the
pre-activations of the next layer, and the hyperplanes where they cross their
breakpoints, are exact integer vectors (:mod:`tropexact.regions.activation`).
"""

from __future__ import annotations

from itertools import compress
from operator import add, itemgetter, mul, ne, or_
from typing import Any

from tropexact.exact.linalg import primitive
from tropexact.exact.numbers import Q
from tropexact.networks.activation import Activation

__all__ = ["IntegerMap", "pre_activation", "IncrementalPre", "layer_output", "hyperplanes"]


class IntegerMap:
    """y = (rows·x + off) / den with integer rows (None for a zero row)."""

    __slots__ = ("rows", "off", "den")

    def __init__(self, rows: list, off: list, den: int) -> None:
        self.rows = rows
        self.off = off
        self.den = den


def pre_activation(W: list, bias: list, m: IntegerMap, d: int) -> tuple[list, list]:
    """Integer rows a_k and offsets c_k with z_k = (a_k·x + c_k) / den.

    a_k = Σ_j W[k][j]·rows[j] over the active inputs j (rows[j] not None) and
    c_k = den·b_k + Σ_j W[k][j]·off[j], computed column by column with
    ``sum(map(mul, ...))``: C-level loops over (big) integers.
    """
    active = [j for j, r in enumerate(m.rows) if r is not None]
    off, den = m.off, m.den
    if not active:
        return [[0] * d for _ in W], [den * bk + sum(map(mul, wk, off)) for wk, bk in zip(W, bias)]
    cols = [[m.rows[j][i] for j in active] for i in range(d)]
    pick = itemgetter(*active) if len(active) > 1 else (lambda w: (w[active[0]],))
    A, C = [], []
    for wk, bk in zip(W, bias):
        w = pick(wk)
        A.append([sum(map(mul, w, col)) for col in cols])
        C.append(den * bk + sum(map(mul, wk, off)))
    return A, C


class IncrementalPre:
    """:func:`pre_activation` of one layer, updated from the previous call's result.

    The walk asks for a layer's pre-activations on cells met one after the
    other, whose input maps mostly differ in a few rows (the neurons of the
    previous layer whose signs changed).  With the same denominator, A and C
    are linear in the input rows and offsets, so the previous A, C plus
    W[:, j]·(new − old) over the changed inputs j give the new ones exactly;
    when many inputs changed, they are recomputed from scratch.  A and C are
    kept as columns (one list of all neurons per input coordinate).
    """

    __slots__ = ("W", "B", "d", "Wcols", "last")

    def __init__(self, W: list, bias: list, d: int) -> None:
        self.W, self.B, self.d = W, bias, d
        self.Wcols = [list(col) for col in zip(*W)] if W else []
        self.last: tuple | None = None

    def __call__(self, m: IntegerMap) -> tuple[list, list]:
        last, d = self.last, self.d
        if last is not None and last[0] == m.den:
            _, rows0, off0, cols, C = last
            changed = list(compress(range(len(off0)), map(or_, map(ne, m.rows, rows0),
                                                          map(ne, m.off, off0))))
            active = len(m.rows) - m.rows.count(None)
            if 2 * len(changed) <= active:
                cols = cols[:]
                for j in changed:
                    wj, r, r0 = self.Wcols[j], m.rows[j], rows0[j]
                    for i in range(d):
                        x = (r[i] if r is not None else 0) - (r0[i] if r0 is not None else 0)
                        if x:
                            cols[i] = list(map(add, cols[i], [w * x for w in wj]))
                    x = m.off[j] - off0[j]
                    if x:
                        C = list(map(add, C, [w * x for w in wj]))
                self.last = (m.den, m.rows, m.off, cols, C)
                return [list(r) for r in zip(*cols)] if d else [[] for _ in C], C
        A, C = pre_activation(self.W, self.B, m, d)
        cols = [list(col) for col in zip(*A)] if d else []
        self.last = (m.den, m.rows, m.off, cols if A else [[] for _ in range(d)], C)
        return A, C


def layer_output(layer: Any, A: list, C: list, den: int, signs: list, base: int) -> IntegerMap:
    """The map after the layer on a cell where its neurons have *signs* (from *base*);
    a row of an inactive (or constant) neuron is None."""
    act = layer.activation
    if act is Activation.IDENTITY:
        return IntegerMap([a if any(a) else None for a in A], C, den)
    sg = signs[base:base + len(A)]
    if act is Activation.RELU:
        dt = den * int(layer.threshold)
        return IntegerMap([a if s == "+" else None for a, s in zip(A, sg)],
                          [c if s == "+" else dt for c, s in zip(C, sg)], den)
    s = Q(layer.negative_slope)
    p, q = int(s.numerator), int(s.denominator)
    rows, off = [], []
    for a, c, sk in zip(A, C, sg):
        f = q if sk == "+" else p if sk == "-" else 0
        rows.append([f * x for x in a] if f and any(a) else None)
        off.append(f * c)
    return IntegerMap(rows, off, den * q)


def hyperplanes(layer: Any, A: list, C: list, den: int) -> list:
    """Per neuron: the primitive integer hyperplane (b, a) of z − t, or a sign if constant."""
    t = int(layer.breakpoint)
    out: list[tuple | str] = []
    for a, c in zip(A, C):
        b = c - den * t
        if any(a):
            out.append(primitive([b, *a]))
        else:
            out.append("+" if b > 0 else "-" if b < 0 else "0")
    return out
