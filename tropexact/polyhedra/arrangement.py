"""Exact cell splitting: a polyhedral complex refined one hyperplane at a time.

This is the geometric engine behind :mod:`tropexact.regions`.  A *cell* is a
full-dimensional polyhedron P ⊂ Q^d kept in double description:

* generators in homogeneous integer coordinates g = (g₀, g₁, …, g_d) with
  g₀ ≥ 0: a vertex g[1:]/g₀ when g₀ > 0, a ray g[1:] when g₀ = 0 (primitive
  vectors, so equal points have equal tuples);
* a list of constraints h = (b, a₁, …, a_d) meaning b·g₀ + ⟨a, g[1:]⟩ ≥ 0
  (constraint 0 is the homogenising g₀ ≥ 0);
* for each generator the set Z(g) of constraints tight at it, as a bitmask.

Lines (a lineality space shared by the whole complex, e.g. ker W₁ when the
first layer has rank < d) are kept outside the cells: every hyperplane ever
applied vanishes on them, so they never take part in a split.

**Splitting** P by a hyperplane h is one step of the double description
method (Motzkin et al. 1953; Fukuda & Prodon 1996): generators are sorted by
the sign of h; the new generators are h(p)·n − h(n)·p for every *adjacent*
pair p (h > 0), n (h < 0).  Adjacency is decided by the exact combinatorial
test: p and n span an edge iff no third generator g has Z(g) ⊇ Z(p) ∩ Z(n).
The test is exact with any valid inequality system (redundant rows included),
because the face cut out by the rows tight at both p and n is the smallest face
containing them.  The generators stay the extreme rays of the homogenised cone
(no redundant generator is ever produced).

**Facets** are read off the final cell combinatorially
(:func:`facet_constraints`): constraint b defines a facet iff the set of
generators tight at b is maximal among the constraints' tight sets.

Examples
--------
Split the square [0, 1]² by x₀ = x₁ (h = x₀ − x₁):

>>> sq = box_cell([0, 0], [1, 1])
>>> plus, minus = split(sq, (0, 1, -1), "diag")
>>> sorted(vertices(plus)), sorted(vertices(minus))
([(mpq(0,1), mpq(0,1)), (mpq(1,1), mpq(0,1)), (mpq(1,1), mpq(1,1))], [(mpq(0,1), mpq(0,1)), (mpq(0,1), mpq(1,1)), (mpq(1,1), mpq(1,1))])
>>> [plus.cons[b][0] for b in facet_constraints(plus, 2)]
[('domain', 1), ('domain', 2), 'diag']
"""

from __future__ import annotations

import math
from operator import mul
from typing import Any, Iterable, Sequence

from tropexact.errors import VerificationError
from tropexact.exact.linalg import integer_vector, primitive, primitive_integer
from tropexact.exact.numbers import Q

__all__ = ["Cell", "split", "side", "sides", "values", "box_cell", "vertices", "interior_point",
           "interior_numerators", "facet_constraints", "cell_from_generators"]


class Cell:
    """A full-dimensional polyhedron in double description (see module docstring).

    ``cons[k]`` is ``(label, h)``: the k-th constraint, oriented to be ≥ 0 on
    the cell, and a caller-chosen label; ``cons[0]`` is the homogenising row.
    ``data`` and ``notes`` are free for the caller (the enumeration keeps the
    sign vector in ``data`` and coincident hyperplanes in ``notes``).
    """

    __slots__ = ("gens", "Z", "cons", "data", "notes")

    def __init__(self, gens: list, Z: list, cons: list, data: Any = None,
                 notes: tuple = ()) -> None:
        self.gens = gens
        self.Z = Z
        self.cons = cons
        self.data = data
        self.notes = notes


def _incidence(Z: list, n: int | None = None) -> list:
    """The transpose of the tight sets: entry b is the bitmask of generators tight at b.

    The bit matrix is transposed with C-level string operations: each Z(g) is
    written in binary (constraint n−1 first), the strings of the generators, the
    last first, are zipped column by column, and each column read back in binary.
    """
    m = n if n is not None else max((z.bit_length() for z in Z), default=0)
    if not Z or not m:
        return [0] * m
    fmt = "0%db" % m
    on = [int("".join(col), 2) for col in zip(*[format(z, fmt) for z in reversed(Z)])]
    on.reverse()
    return on


def _dd_step(gens: list, Z: list, vals: list, pos: list, neg: list,
             need: int) -> tuple[list, list]:
    """New generators on h = 0 from the adjacent (positive, negative) pairs.

    The combinatorial test "no third generator is tight wherever both are" is
    run with one bitmask of generators per constraint: the generators tight on
    every constraint of m = Z(p) ∩ Z(n) are the AND of those masks, and p, n
    are adjacent iff that AND holds exactly p and n.

    A *simple* generator p, tight at exactly D = need + 1 rows, needs no
    test: every extreme ray of the homogenised cone (dimension D + 1) lies on
    at least D facets and every facet is a row, so p's D rows are facets, any
    D − 1 of them cut out a 2-face through p, and that 2-face has exactly one
    other extreme ray (a ray of the cell when the edge is unbounded).  So p's
    neighbours are, for each of its rows b, the generator tight at p's other
    D − 1 rows, if it is negative: an AND of masks per row, whatever the
    number of generators.  Generic cells are simple; the others take the test.
    """
    newg, newZ = [], []
    everyone = (1 << len(Z)) - 1
    on = _incidence(Z)
    negmask = sum(1 << j for j in neg)
    D = need + 1 if need > 0 else -1
    for i in pos:
        zi, vi, gi = Z[i], vals[i], gens[i]
        if zi.bit_count() == D:
            for j in _simple_neighbours(zi, on, negmask, D):
                _new(newg, newZ, gi, vi, gens[j], vals[j], zi & Z[j])
            continue
        pi = 1 << i
        for j in [j for j in neg if (zi & Z[j]).bit_count() >= need]:
            m = zi & Z[j]
            pair = pi | 1 << j
            common = everyone
            mm = m
            while mm:
                low = mm & -mm
                common &= on[low.bit_length() - 1]
                if common == pair:
                    break
                mm ^= low
            if common == pair:
                _new(newg, newZ, gi, vi, gens[j], vals[j], m)
    return newg, newZ


def _simple_neighbours(z: int, on: list, within: int, D: int) -> list[int]:
    """The generators in *within* adjacent to a simple generator tight at the rows *z*
    (:func:`_dd_step`), in increasing order."""
    masks = []
    while z:
        low = z & -z
        masks.append(on[low.bit_length() - 1])
        z ^= low
    pre = [within]
    for mk in masks[:-1]:
        pre.append(pre[-1] & mk)
    out = []
    suf = -1
    for k in range(D - 1, -1, -1):
        common = pre[k] & suf
        if common:
            if common & (common - 1):
                raise VerificationError("internal error: a 2-face with three extreme rays")
            out.append(common.bit_length() - 1)
        suf &= masks[k]
    out.sort()
    return out


def _new(newg: list, newZ: list, gp: tuple, vp: int, gn: tuple, vn: int, m: int) -> None:
    """Append h(p)·n − h(n)·p (primitive) with tight set *m*."""
    vn = -vn
    if len(gp) == 4:
        a0, a1, a2, a3 = gp
        b0, b1, b2, b3 = gn
        v: Sequence[int] = (vp * b0 + vn * a0, vp * b1 + vn * a1, vp * b2 + vn * a2,
                            vp * b3 + vn * a3)
    elif len(gp) == 5:
        a0, a1, a2, a3, a4 = gp
        b0, b1, b2, b3, b4 = gn
        v = (vp * b0 + vn * a0, vp * b1 + vn * a1, vp * b2 + vn * a2, vp * b3 + vn * a3,
             vp * b4 + vn * a4)
    else:
        v = tuple([vp * y + vn * x for x, y in zip(gp, gn)])
    g = math.gcd(*v)
    newg.append(v if g == 1 else tuple([x // g for x in v]))
    newZ.append(m)


def _vals2(h: Sequence[int], gens: list) -> list:
    h0, h1 = h
    return [h0 * a + h1 * b for a, b in gens]


def _vals3(h: Sequence[int], gens: list) -> list:
    h0, h1, h2 = h
    return [h0 * a + h1 * b + h2 * c for a, b, c in gens]


def _vals4(h: Sequence[int], gens: list) -> list:
    h0, h1, h2, h3 = h
    return [h0 * a + h1 * b + h2 * c + h3 * e for a, b, c, e in gens]


def _vals5(h: Sequence[int], gens: list) -> list:
    h0, h1, h2, h3, h4 = h
    return [h0 * a + h1 * b + h2 * c + h3 * e + h4 * f for a, b, c, e, f in gens]


_VALS = {2: _vals2, 3: _vals3, 4: _vals4, 5: _vals5}


def values(h: Sequence[int], gens: list) -> list:
    """[h·g for g in gens]: exact integer dot products, unrolled for d ≤ 4."""
    f = _VALS.get(len(h))
    if f is not None:
        return f(h, gens)
    return [sum(map(mul, h, g)) for g in gens]


def side(cell: Cell, h: Sequence[int]) -> tuple[str, list]:
    """Where *cell* lies relative to h: ``'+'``, ``'-'`` or ``'split'``, and the values.

    The interior of a full-dimensional cell lies strictly on one side of a
    hyperplane unless the hyperplane crosses it, because a linear function
    that is ≥ 0 on every generator and > 0 on one is > 0 on the interior.
    """
    vals = values(h, cell.gens)
    hi, lo = max(vals), min(vals)
    if lo < 0 < hi:
        return "split", vals
    if hi > 0:
        return "+", vals
    if lo < 0:
        return "-", vals
    raise VerificationError("internal error: a hyperplane vanishes on a full-dimensional cell")


def sides(cell: Cell, hs: Sequence[Sequence[int]]) -> list[tuple[str, tuple]]:
    """:func:`side` for each of *hs* (the values as tuples), computed generator by generator:
    one product of every h with each generator, then the values transposed."""
    out: list[tuple[str, tuple]] = []
    if not hs:
        return out
    for vt in zip(*[values(g, hs) for g in cell.gens]):
        hi, lo = max(vt), min(vt)
        if lo < 0 < hi:
            out.append(("split", vt))
        elif hi > 0:
            out.append(("+", vt))
        elif lo < 0:
            out.append(("-", vt))
        else:
            raise VerificationError("internal error: a hyperplane vanishes on a "
                                    "full-dimensional cell")
    return out


def split(cell: Cell, h: Sequence[int], label: Any, vals: list | None = None,
          dim: int | None = None) -> tuple[Cell, Cell]:
    """Split *cell* by the hyperplane h = 0 into the cells on h ≥ 0 and h ≤ 0.

    The caller must know that h crosses the cell (:func:`side` said
    ``'split'``); *vals* are h's values on the generators, if already known.
    *dim* is the cell's dimension D modulo lines, used only to skip hopeless
    pairs quickly: two adjacent generators span a 2-dimensional face of the
    homogenised cone (dimension D + 1), so at least D − 1 constraints are tight
    at both.  The children's ``data`` and ``notes`` are left to the caller.
    """
    gens, Z = cell.gens, cell.Z
    if vals is None:
        vals = values(h, gens)
    pos = [i for i, v in enumerate(vals) if v > 0]
    neg = [i for i, v in enumerate(vals) if v < 0]
    zero = [i for i, v in enumerate(vals) if v == 0]
    need = 0 if dim is None else dim - 1
    newg, newZ = _dd_step(gens, Z, vals, pos, neg, need)
    hb = 1 << len(cell.cons)
    zg = [gens[i] for i in zero] + newg
    zZ = [Z[i] | hb for i in zero] + [m | hb for m in newZ]
    h = tuple(h)
    plus = Cell([gens[i] for i in pos] + zg, [Z[i] for i in pos] + zZ,
                cell.cons + [(label, h)])
    minus = Cell([gens[i] for i in neg] + zg, [Z[i] for i in neg] + zZ,
                 cell.cons + [(label, tuple([-x for x in h]))])
    return plus, minus


def facet_constraints(cell: Cell, dim: int) -> list[int]:
    """The indices b ≥ 1 of the constraints that define facets of *cell*, in order.

    *dim* is the cell's dimension D modulo lines.  The generators are the
    extreme rays of the homogenised cone (dimension D + 1) and every facet is
    among the constraints, so every face cut out by a constraint lies in a
    facet cut out by one; hence b defines a facet iff its tight set S_b (the
    generators tight at b) is not strictly inside another constraint's tight
    set -- the homogenising row 0, whose face is at infinity, included.  A
    facet has at least D generators, which prunes the candidates.  Two
    constraints with the same facet would be the same oriented hyperplane,
    which the enumeration never adds twice (a hyperplane that does not cross
    a cell does not split it); meeting one is an internal error.

    A *simple* cell, whose generators are each tight at exactly D rows, needs
    no comparison: those D rows are facets (an extreme ray lies on at least D
    facets, all among the rows; :func:`_dd_step`), so the facets are the rows
    b ≥ 1 tight at some generator.
    """
    Z = cell.Z
    if dim >= 1 and all(z.bit_count() == dim for z in Z):
        tight = 0
        for z in Z:
            tight |= z
        return [b for b in range(1, len(cell.cons)) if tight >> b & 1]
    on = _incidence(Z, len(cell.cons))
    cand = [b for b in range(1, len(on)) if on[b].bit_count() >= max(dim, 1)]
    others = cand + [0]
    out = []
    for b in cand:
        ob = on[b]
        facet, twin = True, False
        for c in others:
            if c != b and ob & on[c] == ob:
                if c == 0 or on[c] != ob:
                    facet = False
                    break
                twin = True
        if facet:
            if twin:
                raise VerificationError("internal error: two constraints cut out the same facet")
            out.append(b)
    return out


def vertices(cell: Cell) -> list[tuple]:
    """The vertices of *cell* as tuples of ``mpq``."""
    return [tuple(Q(x, g[0]) for x in g[1:]) for g in cell.gens if g[0] > 0]


def interior_numerators(cell: Cell) -> tuple[tuple, int]:
    """(numerators, denominator) of :func:`interior_point`, as Python ints (denominator > 0)."""
    s = [sum(col) for col in zip(*cell.gens)]
    return tuple(s[1:]), s[0]


def interior_point(cell: Cell) -> tuple:
    """A rational point strictly inside *cell*: y[1:]/y₀ for y the sum of all generators.

    y is a combination of all the extreme rays of the homogenised cone with
    strictly positive weights, so it lies in the cone's interior, and y₀ > 0
    because a cell has a vertex; so y[1:]/y₀ lies on no proper face of the
    cell, i.e. in its interior.
    """
    num, den = interior_numerators(cell)
    return tuple(Q(x, den) for x in num)


def homogeneous(point: Iterable[Any]) -> tuple:
    """The primitive homogeneous integer generator (g₀, g₁, …) of a rational point (g₀ > 0)."""
    return primitive_integer([Q(1), *point])


def cell_from_generators(vertices_: Sequence[Sequence[Any]], rays: Sequence[Sequence[Any]],
                         constraints: Sequence[tuple[Any, Sequence[int]]],
                         labels: Sequence[Any]) -> Cell:
    """A cell from a V-representation and the facet inequalities (b, a) of an H-representation,
    each constraint labelled by *labels*."""
    gens = [homogeneous(v) for v in vertices_] + [primitive([0, *integer_vector(r)])
                                                  for r in rays]
    cons: list = [(None, (1,) + (0,) * (len(gens[0]) - 1))]
    for (b, a), lab in zip(constraints, labels):
        cons.append((lab, primitive_integer([b, *a])))
    Z = []
    for g in gens:
        z = 0
        for k, (_, h) in enumerate(cons):
            if sum(map(mul, h, g)) == 0:
                z |= 1 << k
        Z.append(z)
    return Cell(gens, Z, cons)


def box_cell(lower: Sequence[Any], upper: Sequence[Any]) -> Cell:
    """The box Π [lowerᵢ, upperᵢ] as a cell.

    Constraint 2i+1 is xᵢ − lowerᵢ ≥ 0 and 2i+2 is upperᵢ − xᵢ ≥ 0 (labels
    ``("domain", 2i)`` and ``("domain", 2i+1)``).
    """
    d = len(lower)
    verts = []
    for mask in range(1 << d):
        verts.append([upper[i] if mask >> i & 1 else lower[i] for i in range(d)])
    cons, labels = [], []
    for i in range(d):
        e = [0] * d
        e[i] = 1
        cons.append((-Q(lower[i]), e))
        cons.append((Q(upper[i]), [-x for x in e]))
        labels += [("domain", 2 * i), ("domain", 2 * i + 1)]
    return cell_from_generators(verts, [], cons, labels)
