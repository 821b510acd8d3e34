"""Exact 2-D slices: a network restricted to a plane is a 2-input network.

For a network ν : Q^d → Q^p and a plane {P + s·U + t·V : (s, t) ∈ Q²}, the
restriction (s, t) ↦ ν(P + s·U + t·V) is again a network: only the first layer
changes, to

    W₁' = W₁ [U V]   (n₁ × 2),      b₁' = b₁ + W₁ P.

This is an exact composition (no sampling, no rounding), so every region,
linear region and tropical cell of the 2-input network is exactly the
intersection of the plane with the corresponding object of ν: an activation
region of the slice is the set of (s, t) whose lifted point has a given sign
vector.  U and V must be linearly independent, so that (s, t) are coordinates
on the plane.

On the command line the plane is the option ``--slice P,U,V``
(:func:`tropexact.cli.options.parse_plane`).

Examples
--------
>>> from tropexact import Q, network
>>> net = network(3, [{"weight": [[1, 2, 3], [0, 1, -1]], "bias": [1, 0], "activation": "relu"},
...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
>>> plane = make_plane([0, 0, 1], [1, 0, 0], [0, 1, 1], 3)
>>> sliced = restrict(net, plane)
>>> sliced.input_dim, [list(map(str, row)) for row in sliced.layers[0].weight]
(2, [['1', '5'], ['0', '0']])
>>> [str(b) for b in sliced.layers[0].bias]
['4', '-1']
>>> s, t = Q(1, 2), Q(-3)
>>> sliced((s, t)) == net(lift(plane, (s, t)))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import dot, rank
from tropexact.exact.numbers import fmt, to_rational

from .graph import Graph, restrict_graph
from .model import Layer, Network

__all__ = ["Plane", "make_plane", "plane_from_dict", "restrict", "lift", "plane_coordinates"]


@dataclass(frozen=True)
class Plane:
    """The plane {point + s·u + t·v} in Q^d (exact; u and v independent)."""

    point: tuple
    u: tuple
    v: tuple

    @property
    def dim(self) -> int:
        return len(self.point)

    def to_dict(self) -> dict:
        return {"point": [fmt(x) for x in self.point], "u": [fmt(x) for x in self.u],
                "v": [fmt(x) for x in self.v]}


def make_plane(point: Sequence[Any], u: Sequence[Any], v: Sequence[Any], dim: int) -> Plane:
    for name, vec in (("point", point), ("u", u), ("v", v)):
        if len(vec) != dim:
            raise InputError(f"{name} has {len(vec)} coordinates, the network has {dim} inputs")
    if dim < 2:
        raise InputError(f"a plane needs at least 2 input dimensions, the network has {dim}")
    plane = Plane(tuple(point), tuple(u), tuple(v))
    if rank([plane.u, plane.v]) < 2:
        raise InputError("U and V are linearly dependent; they must span a plane")
    return plane


def plane_from_dict(obj: Any, dim: int) -> Plane:
    """The plane of a ``{"point": [...], "u": [...], "v": [...]}`` object."""
    if not isinstance(obj, dict) or set(obj) != {"point", "u", "v"}:
        raise InputError("expected an object with exactly the keys point, u, v")
    vecs = []
    for key in ("point", "u", "v"):
        if not isinstance(obj[key], list):
            raise InputError(f"{key}: expected a list of numbers")
        vecs.append(tuple(to_rational(x) for x in obj[key]))
    return make_plane(vecs[0], vecs[1], vecs[2], dim)


def restrict(net: Network | Graph, plane: Plane) -> Network | Graph:
    """The 2-input network (s, t) ↦ net(P + s·U + t·V), by exact composition (a graph
    gets a first affine node from the plane)."""
    if plane.dim != net.input_dim:
        raise InputError(f"the plane lives in Q^{plane.dim}, the network has "
                         f"{net.input_dim} inputs")
    if isinstance(net, Graph):
        return restrict_graph(net, plane.point, plane.u, plane.v)
    first = net.layers[0]
    weight = tuple((dot(row, plane.u), dot(row, plane.v)) for row in first.weight)
    bias = tuple(b + dot(row, plane.point) for row, b in zip(first.weight, first.bias))
    layer = Layer(weight, bias, first.activation, first.threshold, first.negative_slope,
                  first.pieces)
    return Network(2, (layer,) + tuple(net.layers[1:]))


def lift(plane: Plane, st: Sequence[Any]) -> tuple:
    """The point P + s·U + t·V of Q^d for plane coordinates (s, t)."""
    s, t = (to_rational(x) for x in st)
    return tuple(p + s * a + t * b for p, a, b in zip(plane.point, plane.u, plane.v))


def plane_coordinates(plane: Plane, x: Sequence[Any]) -> tuple:
    """The coordinates (s, t) of the orthogonal projection of x ∈ Q^d onto the plane.

    The point P + s·U + t·V nearest to x (Euclidean distance) solves the normal
    equations

        [U·U  U·V] [s]   [U·(x − P)]
        [U·V  V·V] [t] = [V·(x − P)],

    a 2 × 2 system with a non-zero Gram determinant (U, V independent), solved
    exactly by Cramer's rule: no rounding, and a point of the plane gets exactly
    its own coordinates (``plane_coordinates(plane, lift(plane, st)) == st``).

    Examples
    --------
    >>> plane = make_plane([0, 0, 1], [1, 0, 0], [0, 1, 1], 3)
    >>> plane_coordinates(plane, lift(plane, (2, -3)))
    (mpq(2,1), mpq(-3,1))
    >>> plane_coordinates(plane, (0, 0, 2))  # (0,0,1) + t(0,1,1) nearest at t = 1/2
    (mpq(0,1), mpq(1,2))
    """
    if len(x) != plane.dim:
        raise InputError(f"a point with {len(x)} coordinates cannot be projected onto a plane "
                         f"of Q^{plane.dim}")
    r = tuple(to_rational(a) - p for a, p in zip(x, plane.point))
    uu, uv, vv = dot(plane.u, plane.u), dot(plane.u, plane.v), dot(plane.v, plane.v)
    ur, vr = dot(plane.u, r), dot(plane.v, r)
    det = uu * vv - uv * uv
    return ((ur * vv - uv * vr) / det, (uu * vr - uv * ur) / det)
