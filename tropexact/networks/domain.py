"""Domains for region enumeration: all of Q^d (``None``), a box, or a polytope.

A polytope domain is {x : b + ⟨a, x⟩ ≥ 0 for every row}, full-dimensional and
without lines; in files it is ``{"type": "polytope", "inequalities": [[b, a1,
..., ad], ...]}`` with numbers as in docs/design.md §5.  On the command line a
domain is the option ``--domain`` (:func:`tropexact.cli.options.parse_domain`).

Examples
--------
>>> D = Domain.box([-1, -1], [2, 2])
>>> D.kind, D.volume(), D.contains_strictly([0, 0])
('box', mpq(9,1), True)
>>> Domain.box([1], [0])
Traceback (most recent call last):
...
tropexact.errors.InputError: box needs lower < upper in every coordinate, got [1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt, to_rational
from tropexact.polyhedra import from_inequalities

__all__ = ["Domain", "domain_from_dict"]


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
        P = from_inequalities(ineqs)
        if P.is_empty() or P.dim < d:
            raise InputError("the polytope domain is not full-dimensional "
                             f"(dimension {P.dim} in Q^{d})")
        if P.lines:
            raise InputError("the polytope domain contains a line; use no domain to "
                             "enumerate over all of Q^d")
        return cls("polytope", d, ineqs)

    @property
    def bounded(self) -> bool:
        if self.kind == "box":
            return True
        return from_inequalities(self.inequalities).is_bounded()

    def volume(self) -> Any:
        """Exact volume of a box domain, the product of its side lengths."""
        if self.kind != "box":
            raise InputError("volume() is implemented for box domains only")
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


_DOMAIN_KEYS = {"all": {"type"}, "box": {"type", "lower", "upper"},
                "polytope": {"type", "inequalities"}}


def domain_from_dict(obj: Any, where: str = "domain") -> Domain | None:
    """Inverse of :meth:`Domain.to_dict`; ``{"type": "all"}`` gives None (all of Q^d)."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise InputError("expected an object with a 'type'", where=where)
    kind = obj["type"]
    allowed = _DOMAIN_KEYS.get(kind)
    if allowed is not None and set(obj) - allowed:
        unknown = sorted(set(obj) - allowed)[0]
        raise InputError(f"unknown key {unknown!r} for a {kind} domain (allowed: "
                         f"{', '.join(sorted(allowed))})", where=where)
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
