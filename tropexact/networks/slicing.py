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

The ``--slice P,U,V`` option
----------------------------
Each of P, U, V is one of

* ``0`` or ``origin`` — the zero vector;
* ``eK`` — the K-th standard unit vector, counting from 1 (``e1``, …, ``ed``);
* ``a:b:…`` — an inline vector of d exact numbers (``1/2:0:-3``, decimals are
  read exactly, ``0.1`` is 1/10);
* ``random:SEED`` — d seeded random rationals k/8 with k ∈ [−8, 8] (the same
  vector on every machine and Python version);
* ``@FILE.json`` — a JSON list of d numbers (numbers as in DESIGN §5).

Alternatively the whole option is ``FILE.json`` holding
``{"point": [...], "u": [...], "v": [...]}``.

Examples
--------
>>> from tropexact import network
>>> net = network(3, [{"weight": [[1, 2, 3], [0, 1, -1]], "bias": [1, 0], "activation": "relu"},
...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
>>> plane = parse_plane("e3,e1,0:1:1", 3)
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

import random
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from .model import Layer, Network
from tropexact.exact.linalg import dot
from tropexact.exact.numbers import Q, fmt, parse_number, to_rational

__all__ = ["Plane", "parse_plane", "plane_from_dict", "restrict", "lift"]


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


def _independent(u: Sequence[Any], v: Sequence[Any]) -> bool:
    """u, v linearly independent iff some 2×2 minor is non-zero."""
    nz = [i for i in range(len(u)) if u[i] or v[i]]
    return any(u[i] * v[j] - u[j] * v[i] for a, i in enumerate(nz) for j in nz[a + 1:])


def _make(point: Sequence[Any], u: Sequence[Any], v: Sequence[Any], dim: int) -> Plane:
    for name, vec in (("point", point), ("u", u), ("v", v)):
        if len(vec) != dim:
            raise InputError(f"{name} has {len(vec)} coordinates, the network has {dim} inputs")
    if dim < 2:
        raise InputError(f"a plane needs at least 2 input dimensions, the network has {dim}")
    plane = Plane(tuple(point), tuple(u), tuple(v))
    if not _independent(plane.u, plane.v):
        raise InputError("U and V are linearly dependent; they must span a plane")
    return plane


def _vector(token: str, dim: int) -> tuple:
    t = token.strip()
    if t in ("0", "origin"):
        return tuple(Q(0) for _ in range(dim))
    if len(t) > 1 and t[0] == "e" and t[1:].isdigit():
        k = int(t[1:])
        if not 1 <= k <= dim:
            raise InputError(f"{t}: unit vectors are e1..e{dim}")
        return tuple(Q(int(i == k - 1)) for i in range(dim))
    if t.startswith("random:"):
        seed = t[len("random:"):]
        if not seed.lstrip("-").isdigit():
            raise InputError(f"{t}: expected random:SEED with an integer SEED")
        rng = random.Random(int(seed))
        return tuple(Q(rng.randint(-8, 8), 8) for _ in range(dim))
    if t.startswith("@"):
        obj = _load(t[1:])
        if not isinstance(obj, list):
            raise InputError(f"{t[1:]}: expected a JSON list of {dim} numbers")
        return tuple(to_rational(x) for x in obj)
    if ":" in t or dim == 1:
        return tuple(parse_number(x) for x in t.split(":"))
    raise InputError(f"cannot read {t!r} as a vector: expected 0, eK, a:b:..., random:SEED "
                     "or @FILE.json")


def _load(path: str) -> Any:
    from .io import loads_exact

    try:
        with open(path, encoding="utf-8") as fh:
            return loads_exact(fh.read())
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None


def plane_from_dict(obj: Any, dim: int) -> Plane:
    """The plane of a ``{"point": [...], "u": [...], "v": [...]}`` object."""
    if not isinstance(obj, dict) or set(obj) != {"point", "u", "v"}:
        raise InputError("expected an object with exactly the keys point, u, v")
    vecs = []
    for key in ("point", "u", "v"):
        if not isinstance(obj[key], list):
            raise InputError(f"{key}: expected a list of numbers")
        vecs.append(tuple(to_rational(x) for x in obj[key]))
    return _make(vecs[0], vecs[1], vecs[2], dim)


def parse_plane(spec: str, dim: int) -> Plane:
    """Parse ``--slice P,U,V`` (or ``--slice FILE.json``) for a network with *dim* inputs."""
    try:
        if spec.endswith(".json") and "," not in spec:
            return plane_from_dict(_load(spec), dim)
        parts = spec.split(",")
        if len(parts) != 3:
            raise InputError(f"expected P,U,V (three vectors separated by commas) or FILE.json, "
                             f"got {len(parts)} part(s)")
        P, U, V = (_vector(p, dim) for p in parts)
        return _make(P, U, V, dim)
    except InputError as e:
        raise e.at("--slice") from None


def restrict(net: Network, plane: Plane) -> Network:
    """The 2-input network (s, t) ↦ net(P + s·U + t·V), by exact composition."""
    if plane.dim != net.input_dim:
        raise InputError(f"the plane lives in Q^{plane.dim}, the network has "
                         f"{net.input_dim} inputs")
    first = net.layers[0]
    weight = tuple((dot(row, plane.u), dot(row, plane.v)) for row in first.weight)
    bias = tuple(b + dot(row, plane.point) for row, b in zip(first.weight, first.bias))
    layer = Layer(weight, bias, first.activation, first.threshold, first.negative_slope)
    return Network(2, (layer,) + tuple(net.layers[1:]))


def lift(plane: Plane, st: Sequence[Any]) -> tuple:
    """The point P + s·U + t·V of Q^d for plane coordinates (s, t)."""
    s, t = (to_rational(x) for x in st)
    return tuple(p + s * a + t * b for p, a, b in zip(plane.point, plane.u, plane.v))
