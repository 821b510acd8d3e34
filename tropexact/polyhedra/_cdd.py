"""The boundary to cddlib (GMP arithmetic): the only module of tropexact that imports ``cdd``.

Everything that crosses it is exact: ``mpq`` and Python ints go in, cdd's
:class:`fractions.Fraction` values come back and are converted to ``mpq`` at
once.  Only :mod:`cdd.gmp` is used, never the float module.  This module alone
knows cdd's conventions and quirks:

* an H-row ``(b, a)`` means ``b + <a, x> >= 0`` (or ``= 0`` for a row in the
  linearity set); a V-row starts with 1 for a point and 0 for a ray or line;
* cdd may output the trivial row ``1 >= 0`` (the "row at infinity"); dropped;
* the universe needs a trivial row to be representable;
* an H-polyhedron that is a pure cone may come back without the origin
  vertex; it is added back when the polyhedron is non-empty;
* LP status "dual inconsistent" can mean infeasible *or* unbounded; a
  feasibility LP decides which;
* pycddlib converts GMP numbers through their decimal strings, which Python
  refuses beyond 4,300 digits; every call lifts that limit while cdd runs
  (:func:`_big_numbers`), so exact values of any size pass.
"""

from __future__ import annotations

import functools
import sys
from fractions import Fraction
from typing import Any, Callable, Sequence, TypeVar

import cdd
import cdd.gmp as _gmp

from tropexact.errors import VerificationError
from tropexact.exact.linalg import primitive_integer
from tropexact.exact.numbers import Q, from_fraction

__all__ = ["h_representation", "generators", "lifted_h_representation", "lp_solve",
           "redundancy"]

Row = tuple  # tuple of mpq: (b, a_1, ..., a_n)


F = TypeVar("F", bound=Callable[..., Any])


def _big_numbers(fn: F) -> F:
    """Run *fn* with Python's int/str conversion limit lifted (restored afterwards)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return fn(*args, **kwargs)
        finally:
            sys.set_int_max_str_digits(old)
    return wrapper  # type: ignore[return-value]


def _matrix(rows: Sequence[Sequence[Any]], **kwargs: Any) -> Any:
    """A cdd GMP matrix of exact rows: every entry handed over as a Fraction built from its
    integers (cdd would otherwise go through str(), which Python refuses past 4,300 digits)."""
    return _gmp.matrix_from_array([[_fraction(v) for v in r] for r in rows], **kwargs)


def _fraction(v: Any) -> Fraction:
    """An exact rational (mpq, int or Fraction) as a Fraction, through its integers."""
    return Fraction(int(v.numerator), int(v.denominator))


def _row(row: Sequence[Fraction]) -> Row:
    return tuple(from_fraction(v) for v in row)


def _primitive_row(row: Row) -> Row:
    """A positive multiple of *row* with coprime integer entries (as ``mpq``)."""
    return tuple(Q(v) for v in primitive_integer(row)) if any(row) else row


def _h_rows(mat: Any) -> tuple[list[Row], list[Row], list[int]]:
    """(inequalities, equations, cdd row index of each inequality) of an H-matrix.

    Rows are primitive; trivial rows ``b >= 0`` are dropped.
    """
    ineqs, eqs, keep = [], [], []
    lin = mat.lin_set
    for i, row in enumerate(mat.array):
        r = _row(row)
        if not any(r[1:]):
            continue  # trivial row (b >= 0 with b >= 0) or the row at infinity
        r = _primitive_row(r)
        if i in lin:
            eqs.append(r)
        else:
            ineqs.append(r)
            keep.append(i)
    return ineqs, eqs, keep


@_big_numbers
def h_representation(points: Sequence[Sequence[Any]], rays: Sequence[Sequence[Any]] = (),
                     lines: Sequence[Sequence[Any]] = ()) -> tuple[list[Row], list[Row], list]:
    """V→H for conv(points) + cone(rays) + span(lines).

    Returns (inequality rows, equation rows, incidence): ``incidence[i]`` is the
    set of positions (in the returned inequality list) of the inequalities tight
    at input generator i (points first, then rays, then lines).
    """
    rows = [[1, *p] for p in points] + [[0, *r] for r in rays] + [[0, *l] for l in lines]
    lin = range(len(points) + len(rays), len(rows))
    mat = _matrix(rows, lin_set=lin, rep_type=cdd.RepType.GENERATOR)
    poly = _gmp.polyhedron_from_matrix(mat)
    ineqs, eqs, keep = _h_rows(_gmp.copy_inequalities(poly))
    position = {k: j for j, k in enumerate(keep)}
    incidence = [frozenset(position[k] for k in s if k in position)
                 for s in _gmp.copy_input_incidence(poly)]
    return ineqs, eqs, incidence


@_big_numbers
def generators(ineqs: Sequence[Row], eqs: Sequence[Row], n: int) -> tuple[list, list, list]:
    """H→V: (points, rays, lines) of {b + <a, x> >= 0, b' + <a', x> = 0} in Q^n.

    Rays and lines are primitive integer directions (as ``mpq``); no points
    means the polyhedron is empty.
    """
    rows = [list(r) for r in ineqs] + [list(r) for r in eqs]
    rows.append([1] + [0] * n)  # the universe needs a trivial row
    lin = range(len(ineqs), len(ineqs) + len(eqs))
    mat = _matrix(rows, lin_set=lin, rep_type=cdd.RepType.INEQUALITY)
    gmat = _gmp.copy_generators(_gmp.polyhedron_from_matrix(mat))
    verts, rays, lines = [], [], []
    for i, row in enumerate(gmat.array):
        r = _row(row)
        if i in gmat.lin_set:
            lines.append(_primitive_row(r[1:]))
        elif r[0] == 0:
            rays.append(_primitive_row(r[1:]))
        else:
            verts.append(tuple(v / r[0] for v in r[1:]))
    if not verts and (rays or lines):
        # a non-empty cone: cdd omits its apex, the origin
        verts.append(tuple(Q(0) for _ in range(n)))
    return verts, rays, lines


@_big_numbers
def lifted_h_representation(points: Sequence[Sequence[Any]]) -> tuple[list[Row], list[int], list]:
    """H-rows of Q = conv(points) + cone(−e_last), as cdd gives them (trivial rows included).

    Returns (rows, linearity set, incidence) with ``incidence[i]`` the rows tight
    at input i: the points in order, then the ray −e_last (index ``len(points)``).
    """
    D = len(points[0])
    rows = [[1, *p] for p in points] + [[0] * D + [-1]]
    mat = _matrix(rows, rep_type=cdd.RepType.GENERATOR)
    poly = _gmp.polyhedron_from_matrix(mat)
    hmat = _gmp.copy_inequalities(poly)
    return ([_row(r) for r in hmat.array], sorted(hmat.lin_set),
            [frozenset(s) for s in _gmp.copy_input_incidence(poly)])


@_big_numbers
def lp_solve(rows: Sequence[Row], n_ineqs: int, objective: Row,
             maximize: bool) -> tuple[str, Any, tuple | None]:
    """Solve an LP exactly: (status, value, point), status ``"optimal"``, ``"infeasible"``
    or ``"unbounded"`` (then *point* is a feasible point).

    *rows* are H-rows, the first *n_ineqs* inequalities and the rest equations;
    *objective* is ``(constant, c_1, ..., c_n)``.
    """
    n = len(objective) - 1
    lin = range(n_ineqs, len(rows))
    table: list[list[Any]] = [list(r) for r in rows] or [[1] + [0] * n]
    obj = cdd.LPObjType.MAX if maximize else cdd.LPObjType.MIN
    infeasible = (cdd.LPStatusType.INCONSISTENT, cdd.LPStatusType.STRUC_INCONSISTENT)

    def solve(func: Sequence[Any]) -> Any:
        mat = _matrix(table, lin_set=lin, rep_type=cdd.RepType.INEQUALITY,
                      obj_type=obj, obj_func=[_fraction(v) for v in func])
        prog = _gmp.linprog_from_matrix(mat)
        _gmp.linprog_solve(prog)
        return prog

    prog = solve(objective)
    if prog.status == cdd.LPStatusType.OPTIMAL:
        return "optimal", from_fraction(prog.obj_value), _row(prog.primal_solution)
    if prog.status in infeasible:
        return "infeasible", None, None
    # dual inconsistent / unbounded: decide feasibility with a zero objective
    feas = solve([0] * (n + 1))
    if feas.status == cdd.LPStatusType.OPTIMAL:
        return "unbounded", None, _row(feas.primal_solution)
    if feas.status in infeasible:
        return "infeasible", None, None
    raise VerificationError(f"cdd LP returned an undecided status {feas.status!r}")


@_big_numbers
def redundancy(rows: Sequence[Row], n_ineqs: int) -> tuple[set, set]:
    """(implicit equations, redundant rows) among H-rows (the first *n_ineqs* inequalities)."""
    mat = _matrix(rows, lin_set=range(n_ineqs, len(rows)), rep_type=cdd.RepType.INEQUALITY)
    return set(_gmp.implicit_linearity_rows(mat)), set(_gmp.redundant_rows(mat))
