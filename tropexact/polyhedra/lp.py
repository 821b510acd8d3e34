"""Exact linear programming and redundancy removal (cddlib's exact LP, GMP arithmetic).

Examples
--------
>>> r = lp((1, 1), [(1, (-1, 0)), (1, (0, -1)), (0, (1, 0)), (0, (0, 1))])
>>> r.status, r.value
(<LPStatus.OPTIMAL: 'optimal'>, mpq(2,1))
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Iterable

from tropexact.errors import InputError
from tropexact.exact.numbers import to_rational, vector

from . import _cdd

__all__ = ["LPStatus", "LPResult", "lp", "irredundant"]


class LPStatus(enum.Enum):
    """Outcome of an exact LP."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"


@dataclass(frozen=True)
class LPResult:
    """An exact LP answer: status, optimal value and an optimal point (or None)."""

    status: LPStatus
    value: Any = None
    point: tuple | None = None


def lp(objective: Iterable[Any], inequalities: Iterable[tuple[Any, Iterable[Any]]],
       equations: Iterable[tuple[Any, Iterable[Any]]] = (), *, maximize: bool = True,
       constant: Any = 0) -> LPResult:
    """Solve max (or min) ``constant + <objective, x>`` subject to half-spaces, exactly.

    Examples
    --------
    >>> r = lp((1, 1), [(1, (-1, 0)), (1, (0, -1)), (0, (1, 0)), (0, (0, 1))])
    >>> r.status, r.value, r.point
    (<LPStatus.OPTIMAL: 'optimal'>, mpq(2,1), (mpq(1,1), mpq(1,1)))
    >>> lp((0, 1), [(1, (-1, 0)), (0, (1, 0))]).status
    <LPStatus.UNBOUNDED: 'unbounded'>
    >>> lp((0, 1), [(-1, (1, 0)), (0, (-1, 0))]).status
    <LPStatus.INFEASIBLE: 'infeasible'>
    """
    c = vector(objective)
    n = len(c)
    ineqs = [(to_rational(b), vector(a)) for b, a in inequalities]
    eqs = [(to_rational(b), vector(a)) for b, a in equations]
    if any(len(a) != n for _, a in ineqs + eqs):
        raise InputError("objective and constraints must have the same dimension")
    rows = [(b, *a) for b, a in ineqs] + [(b, *a) for b, a in eqs]
    status, value, point = _cdd.lp_solve(rows, len(ineqs), (to_rational(constant), *c), maximize)
    return LPResult(LPStatus(status), value, point)


def irredundant(inequalities: Iterable[tuple[Any, Iterable[Any]]],
                equations: Iterable[tuple[Any, Iterable[Any]]] = ()) -> tuple[list[int], list[int]]:
    """Redundancy removal: which input inequalities are facets, plus implied equations.

    Returns
    -------
    kept : list of int
        Indices of the input inequalities that are needed (irredundant).
    implicit : list of int
        Indices of input inequalities that hold with equality on the whole set.

    Examples
    --------
    >>> irredundant([(0, (1,)), (1, (1,)), (2, (-1,))])
    ([0, 2], [])
    """
    ineqs = [(to_rational(b), vector(a)) for b, a in inequalities]
    eqs = [(to_rational(b), vector(a)) for b, a in equations]
    if not ineqs:
        return [], []
    impl, redundant = _cdd.redundancy([(b, *a) for b, a in ineqs] + [(b, *a) for b, a in eqs],
                                      len(ineqs))
    kept = [i for i in range(len(ineqs)) if i not in redundant and i not in impl]
    return kept, sorted(i for i in impl if i < len(ineqs))
