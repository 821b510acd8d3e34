"""Affine maps of a network on one cell, as integer matrices over a common denominator.

On a cell of the region complex every layer's output is one affine map of x; it
is kept as ``(rows·x + off) / den`` with Python-int rows, so that the
pre-activations of the next layer, and the hyperplanes where they cross their
breakpoints, are exact integer vectors (:mod:`tropexact.regions.activation`).
"""

from __future__ import annotations

from operator import itemgetter, mul
from typing import Any

from tropexact.exact.linalg import primitive
from tropexact.exact.numbers import Q
from tropexact.networks.activation import Activation

__all__ = ["IntegerMap", "pre_activation", "layer_output", "hyperplanes"]


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
