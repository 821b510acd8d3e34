"""Domains for region enumeration: all of Q^d, a box, or a polytope.

A domain is given on the command line as ``box:lo,hi`` (the cube [lo, hi]^d),
``box:lo1,hi1,...,lod,hid`` (one interval per coordinate) or
``polytope:FILE.json`` (a JSON object ``{"inequalities": [[b, a1, ..., ad], ...]}``
meaning b + a·x ≥ 0).  Numbers follow DESIGN §5: ``"1/3"``, ``"0.5"``, integers.

Examples
--------
>>> D = parse_domain("box:-1,2", 2)
>>> D.kind, D.lower, D.upper
('box', (mpq(-1,1), mpq(-1,1)), (mpq(2,1), mpq(2,1)))
>>> D.volume()
mpq(9,1)
>>> parse_domain("box:1,0", 1)
Traceback (most recent call last):
...
tropexact.errors.InputError: --domain: box needs lower < upper in every coordinate, got [1, 0]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt, parse_number, to_rational

__all__ = ["Domain", "parse_domain", "domain_from_dict"]


@dataclass(frozen=True)
class Domain:
    """A full-dimensional domain: ``kind`` is ``"box"`` or ``"polytope"``.

    ``inequalities`` are (b, a) with b + ⟨a, x⟩ ≥ 0; for a box they are numbered
    2i: xᵢ − lowerᵢ ≥ 0 and 2i+1: upperᵢ − xᵢ ≥ 0 (the certificate's order).
    """

    kind: str
    dim: int
    inequalities: tuple
    lower: tuple = ()
    upper: tuple = ()

    @classmethod
    def box(cls, lower: Sequence[Any], upper: Sequence[Any]) -> "Domain":
        lo = tuple(to_rational(x) for x in lower)
        hi = tuple(to_rational(x) for x in upper)
        if len(lo) != len(hi) or not lo:
            raise InputError("box needs as many lower as upper bounds")
        if any(a >= b for a, b in zip(lo, hi)):
            raise InputError("box needs lower < upper in every coordinate, got "
                             f"[{', '.join(fmt(v) for p in zip(lo, hi) for v in p)}]")
        d = len(lo)
        ineqs = []
        for i in range(d):
            e = tuple(Q(int(k == i)) for k in range(d))
            ineqs.append((-lo[i], e))
            ineqs.append((hi[i], tuple(-x for x in e)))
        return cls("box", d, tuple(ineqs), lo, hi)

    @classmethod
    def polytope(cls, inequalities: Sequence[tuple[Any, Sequence[Any]]]) -> "Domain":
        """A polyhedron {x : b + ⟨a, x⟩ ≥ 0}; it must be full-dimensional and contain no line."""
        ineqs = tuple((to_rational(b), tuple(to_rational(x) for x in a)) for b, a in inequalities)
        if not ineqs:
            raise InputError("a polytope domain needs at least one inequality")
        d = len(ineqs[0][1])
        if d == 0 or any(len(a) != d for _, a in ineqs):
            raise InputError("all inequalities of a polytope domain need the same dimension")
        from tropexact.polyhedra import from_inequalities

        P = from_inequalities(ineqs)
        if P.is_empty() or P.dim < d:
            raise InputError("the polytope domain is not full-dimensional "
                             f"(dimension {P.dim} in Q^{d})")
        if P.lines:
            raise InputError("the polytope domain contains a line; leave --domain out "
                             "to enumerate over all of Q^d")
        return cls("polytope", d, ineqs)

    @property
    def bounded(self) -> bool:
        if self.kind == "box":
            return True
        from tropexact.polyhedra import from_inequalities

        return from_inequalities(self.inequalities).is_bounded()

    def volume(self) -> Any:
        """Exact volume of a box (polytopes: see the checker)."""
        if self.kind != "box":
            raise NotImplementedError("volume of a polytope domain")
        v = Q(1)
        for a, b in zip(self.lower, self.upper):
            v *= b - a
        return v

    def contains_strictly(self, x: Sequence[Any]) -> bool:
        return all(b + sum((ai * xi for ai, xi in zip(a, x)), Q(0)) > 0
                   for b, a in self.inequalities)

    def to_dict(self) -> dict:
        if self.kind == "box":
            return {"type": "box", "lower": [fmt(x) for x in self.lower],
                    "upper": [fmt(x) for x in self.upper]}
        return {"type": "polytope",
                "inequalities": [[fmt(b), *(fmt(x) for x in a)] for b, a in self.inequalities]}


def domain_from_dict(obj: Any, where: str = "domain") -> Domain | None:
    """Inverse of :meth:`Domain.to_dict`; ``{"type": "all"}`` gives None (all of Q^d)."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise InputError("expected an object with a 'type'", where=where)
    kind = obj["type"]
    if kind == "all":
        return None
    if kind == "box":
        return Domain.box(obj.get("lower", ()), obj.get("upper", ()))
    if kind == "polytope":
        rows = obj.get("inequalities")
        if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) >= 2
                                                 for r in rows):
            raise InputError("'inequalities' must be a list of [b, a1, ..., ad]", where=where)
        return Domain.polytope([(r[0], r[1:]) for r in rows])
    raise InputError(f"unknown domain type {kind!r} (expected all, box or polytope)",
                     where=where)


def parse_domain(spec: str, dim: int) -> Domain | None:
    """Parse the ``--domain`` option for a network with *dim* inputs."""
    try:
        kind, _, rest = spec.partition(":")
        if kind == "all" and not rest:
            return None
        if kind == "box":
            vals = [parse_number(t.strip()) for t in rest.split(",")]
            if len(vals) == 2:
                return Domain.box([vals[0]] * dim, [vals[1]] * dim)
            if len(vals) == 2 * dim:
                return Domain.box(vals[0::2], vals[1::2])
            need = "2 numbers (lo,hi)" if dim == 1 else \
                f"2 or {2 * dim} numbers (lo,hi, or lo,hi per coordinate)"
            raise InputError(f"box needs {need}, got {len(vals)}")
        if kind == "polytope":
            try:
                with open(rest, encoding="utf-8") as fh:
                    obj = json.load(fh, parse_float=str, parse_int=str)
            except OSError as e:
                raise InputError(f"cannot read {rest}: {e.strerror}") from None
            except json.JSONDecodeError as e:
                raise InputError(f"{rest} is not valid JSON: {e}") from None
            D = domain_from_dict({"type": "polytope", **obj} if isinstance(obj, dict) else obj,
                                 where=rest)
            if D is not None and D.dim != dim:
                raise InputError(f"the domain has dimension {D.dim}, the network has {dim} "
                                 "inputs")
            return D
        raise InputError(f"unknown domain {spec!r}; expected box:lo,hi, "
                         "box:lo1,hi1,...,lod,hid, polytope:FILE or all")
    except InputError as e:
        raise e.at("--domain") from None
