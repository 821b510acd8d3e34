"""The facets of a region {x : b + ⟨a, x⟩ ≥ 0}, found by a cutting-plane prefilter and cdd.

Redundancy removal by one LP per row is exact but costs one LP per row; for
the regions of a tropical polynomial most rows are redundant, so
:func:`facet_rows` first certifies most of them redundant cheaply (rays from an
interior point, the generators of a small sub-system), then runs cdd's exact
redundancy removal on the few rows left.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from tropexact.errors import VerificationError
from tropexact.exact.linalg import dot
from tropexact.exact.numbers import Q
from tropexact.polyhedra import from_inequalities, irredundant

__all__ = ["facet_rows"]

_ZERO = Q(0)


def _first_hits(rows: list, vals: list, idx: Iterable[int], u: Sequence[Any]) -> list[int]:
    """The rows (among *idx*) first met on the ray z + λu, λ > 0; *vals* are their values at z."""
    best = None
    hits: list[int] = []
    for k in idx:
        au = dot(rows[k][1], u)
        if au < 0:
            lam = vals[k] / -au
            if best is None or lam < best:
                best, hits = lam, [k]
            elif lam == best:
                hits.append(k)
    return hits


def _seed_directions(d: int) -> list:
    """±e_k and ±e_k ± e_l: 2d² directions, spread enough to meet most facets at once."""
    out = []
    for k in range(d):
        for sgn in (1, -1):
            u = [_ZERO] * d
            u[k] = Q(sgn)
            out.append(tuple(u))
            for m in range(k + 1, d):
                for sgn2 in (1, -1):
                    w = list(u)
                    w[m] = Q(sgn2)
                    out.append(tuple(w))
    return out


def facet_rows(rows: list, z: tuple, *, prefilter: bool = True) -> list[int]:
    """Indices of the irredundant rows of {x : b + <a, x> ≥ 0}, z strictly inside.

    A cutting-plane loop shrinks the work of :func:`tropexact.polyhedra.irredundant`
    from all rows to (about) the facets.  S is a set of rows, A the rows not
    yet known to be redundant:

    1. S starts with the rows first hit by the rays from z along ±e_k and
       ±e_k ± e_l (:func:`_seed_directions`).
    2. The generators of P(S) = {x : rows in S} are computed with cdd (S is
       small).  A row of A holding on every vertex, ray and line of P(S) is
       implied by S, hence redundant, and leaves A for good (P(S) only shrinks).
       For each generator violating a row of A, the ray from z towards it (a
       vertex v: direction v − z; a ray or a line: its direction) first meets a
       row of A outside S -- rows implied by S are non-negative on P(S), which
       contains the segment [z, v] and the ray -- and the row joins S.
    3. When nothing is violated, P(S) is the region and its facets are the
       irredundant rows of S, found by cdd's exact redundancy LPs.

    Only speed depends on the loop: the answer is cdd's redundancy removal on a
    subset S whose complement is certified redundant.  ``prefilter=False``
    runs :func:`~tropexact.polyhedra.irredundant` on all rows (a cross-check).
    """
    n = len(rows)
    if n == 0:
        return []
    if not prefilter:
        kept, implicit = irredundant(rows)
        if implicit:
            raise VerificationError("a full-dimensional region has an implicit equation")
        return kept
    d = len(z)
    vals = [b + dot(a, z) for b, a in rows]
    if any(v <= 0 for v in vals):
        raise VerificationError("the witness is not interior")
    S: set[int] = set()
    everyone = range(n)
    for u in _seed_directions(d):
        S.update(_first_hits(rows, vals, everyone, u))
    alive = [k for k in everyone if k not in S]
    while alive:
        P = from_inequalities([rows[k] for k in sorted(S)], ambient_dim=d)
        gens = ([(v, tuple(p - q for p, q in zip(v, z)), True) for v in P.vertices]
                + [(r, r, False) for r in P.rays])
        bad: set[int] = set()  # positions in gens of violating generators
        still = []
        for k in alive:
            b, a = rows[k]
            hit = [g for g, (x, _, is_point) in enumerate(gens)
                   if (b if is_point else _ZERO) + dot(a, x) < 0]
            if hit or any(dot(a, line) != 0 for line in P.lines):
                still.append(k)
                bad.update(hit)
        alive = still
        if not alive:
            break
        directions = [gens[g][1] for g in sorted(bad)]
        for line in P.lines:
            directions += [line, tuple(-x for x in line)]
        grown = len(S)
        for u in directions:
            S.update(_first_hits(rows, vals, alive, u))
        if len(S) == grown:  # impossible by the argument above; guards the loop
            raise VerificationError("cutting-plane loop made no progress")
        alive = [k for k in alive if k not in S]
    cand = sorted(S)
    kept, implicit = irredundant([rows[k] for k in cand])
    if implicit:
        raise VerificationError("a full-dimensional region has an implicit equation")
    return [cand[k] for k in kept]
