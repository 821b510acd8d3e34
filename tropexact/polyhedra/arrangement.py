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
containing them.

**Facets** are objects shared by the two cells they separate (or owned by one
cell on the domain boundary).  Each carries its own generators and tight sets
and is split by the same step, one dimension lower, whenever a cell on either
side is split through it.  So the complex always knows exactly which cells
meet in a (d−1)-dimensional face, with no tolerance and no search.

Examples
--------
Split the square [0, 1]² by x₀ = x₁ (h = x₀ − x₁):

>>> sq = box_cell([0, 0], [1, 1])
>>> plus, minus = split(sq, (0, 1, -1), "diag")
>>> sorted(vertices(plus)), sorted(vertices(minus))
([(mpq(0,1), mpq(0,1)), (mpq(1,1), mpq(0,1)), (mpq(1,1), mpq(1,1))], [(mpq(0,1), mpq(0,1)), (mpq(0,1), mpq(1,1)), (mpq(1,1), mpq(1,1))])
>>> [len(f.gens) for f in plus.facets if len(f.sides) == 2]
[2]
"""

from __future__ import annotations

import math
from operator import mul
from typing import Any, Iterable, Sequence

from tropexact.errors import VerificationError
from tropexact.exact.linalg import integer_vector, primitive, primitive_integer
from tropexact.exact.numbers import Q

__all__ = ["Cell", "Facet", "split", "side", "box_cell", "vertices", "interior_point",
           "cell_from_generators"]


class Facet:
    """A (d−1)-dimensional face: generators, tight sets, and its cells.

    ``sides`` maps each cell containing the facet to the index of that cell's
    constraint the facet lies on (one entry on the domain boundary).
    """

    __slots__ = ("gens", "Z", "nbits", "sides")

    def __init__(self, gens: list, Z: list, nbits: int, sides: dict) -> None:
        self.gens = gens
        self.Z = Z
        self.nbits = nbits
        self.sides = sides


class Cell:
    """A full-dimensional polyhedron in double description (see module docstring).

    ``cons[k]`` is ``(label, h)``: the k-th constraint, oriented to be ≥ 0 on
    the cell, and a caller-chosen label; ``cons[0]`` is the homogenising row.
    ``data`` is free for the caller (the enumeration keeps sign vectors and
    affine maps there).
    """

    __slots__ = ("gens", "Z", "cons", "facets", "data")

    def __init__(self, gens: list, Z: list, cons: list, data: Any = None) -> None:
        self.gens = gens
        self.Z = Z
        self.cons = cons
        self.facets: set = set()
        self.data = data


def _dd_step(gens: list, Z: list, vals: list, pos: list, neg: list,
             need: int) -> tuple[list, list]:
    """New generators on h = 0 from the adjacent (positive, negative) pairs.

    The combinatorial test "no third generator is tight wherever both are" is
    run with one bitmask of generators per constraint: the generators tight on
    every constraint of m = Z(p) ∩ Z(n) are the AND of those masks, and p, n
    are adjacent iff that AND holds exactly p and n.
    """
    newg, newZ = [], []
    everyone = (1 << len(Z)) - 1
    on: dict = {}
    for k, z in enumerate(Z):
        bit = 1 << k
        while z:
            low = z & -z
            on[low] = on.get(low, 0) | bit
            z ^= low
    for i in pos:
        zi, vi, gi = Z[i], vals[i], gens[i]
        pi = 1 << i
        for j in neg:
            m = zi & Z[j]
            if m.bit_count() < need:
                continue
            pair = pi | 1 << j
            common = everyone
            while m:
                low = m & -m
                common &= on[low]
                if common == pair:
                    break
                m ^= low
            if common == pair:
                vj = -vals[j]
                newg.append(primitive([vi * y + vj * x for x, y in zip(gi, gens[j])]))
                newZ.append(zi & Z[j])
    return newg, newZ


def side(cell: Cell, h: Sequence[int]) -> tuple[str, list]:
    """Where *cell* lies relative to h: ``'+'``, ``'-'`` or ``'split'``, and the values.

    The interior of a full-dimensional cell lies strictly on one side of a
    hyperplane unless the hyperplane crosses it, because a linear function
    that is ≥ 0 on every generator and > 0 on one is > 0 on the interior.
    """
    vals = [sum(map(mul, h, g)) for g in cell.gens]
    has_pos = has_neg = False
    for v in vals:
        if v > 0:
            has_pos = True
        elif v < 0:
            has_neg = True
    if has_pos and has_neg:
        return "split", vals
    if has_pos:
        return "+", vals
    if has_neg:
        return "-", vals
    raise VerificationError("internal error: a hyperplane vanishes on a full-dimensional cell")


def _split_facet(f: Facet, h: Sequence[int], vals: list, need: int) -> tuple[Facet, Facet]:
    pos = [i for i, v in enumerate(vals) if v > 0]
    neg = [i for i, v in enumerate(vals) if v < 0]
    zero = [i for i, v in enumerate(vals) if v == 0]
    newg, newZ = _dd_step(f.gens, f.Z, vals, pos, neg, need)
    hb = 1 << f.nbits
    zg = [f.gens[i] for i in zero] + newg
    zZ = [f.Z[i] | hb for i in zero] + [m | hb for m in newZ]
    fp = Facet([f.gens[i] for i in pos] + zg, [f.Z[i] for i in pos] + zZ, f.nbits + 1, {})
    fm = Facet([f.gens[i] for i in neg] + zg, [f.Z[i] for i in neg] + zZ, f.nbits + 1, {})
    return fp, fm


def split(cell: Cell, h: Sequence[int], label: Any, vals: list | None = None,
          dim: int | None = None) -> tuple[Cell, Cell]:
    """Split *cell* by the hyperplane h = 0 into the cells on h ≥ 0 and h ≤ 0.

    The caller must know that h crosses the cell (:func:`side` said
    ``'split'``); *vals* are h's values on the generators, if already known.
    Facets of *cell* are handed to the child containing them or split in two;
    the new facet on h is shared by the two children.  *dim* is the cell's
    dimension D modulo lines, used only to skip hopeless pairs quickly: two
    adjacent generators span a 2-dimensional face of the homogenised cone
    (dimension D + 1), so at least D − 1 constraints are tight at both.  The
    same bound holds in a facet, whose tight sets all contain the facet's own
    hyperplane.
    """
    gens, Z = cell.gens, cell.Z
    if vals is None:
        vals = [sum(map(mul, h, g)) for g in gens]
    pos = [i for i, v in enumerate(vals) if v > 0]
    neg = [i for i, v in enumerate(vals) if v < 0]
    zero = [i for i, v in enumerate(vals) if v == 0]
    need = 0 if dim is None else dim - 1
    newg, newZ = _dd_step(gens, Z, vals, pos, neg, need)
    bit = len(cell.cons)
    hb = 1 << bit
    zg = [gens[i] for i in zero] + newg
    zZ = [Z[i] | hb for i in zero] + [m | hb for m in newZ]
    neg_h = tuple(-x for x in h)
    plus = Cell([gens[i] for i in pos] + zg, [Z[i] for i in pos] + zZ,
                cell.cons + [(label, tuple(h))])
    minus = Cell([gens[i] for i in neg] + zg, [Z[i] for i in neg] + zZ,
                 cell.cons + [(label, neg_h)])
    new = Facet(list(zg), list(zZ), bit + 1, {plus: bit, minus: bit})
    plus.facets.add(new)
    minus.facets.add(new)
    # A facet piece lies inside the cell's face on its constraint, the convex
    # hull of the generators tight there: h can cut the piece only if it
    # takes both signs on those generators.
    pos_bits = neg_bits = 0
    for i in pos:
        pos_bits |= Z[i]
    for i in neg:
        neg_bits |= Z[i]
    for f in cell.facets:
        own = f.sides.pop(cell)
        if not (pos_bits & neg_bits) >> own & 1:
            to = plus if pos_bits >> own & 1 else minus if neg_bits >> own & 1 else None
            if to is not None:
                f.sides[to] = own
                to.facets.add(f)
                continue
        fv = [sum(map(mul, h, g)) for g in f.gens]
        if all(v >= 0 for v in fv):
            f.sides[plus] = own
            plus.facets.add(f)
            continue
        if all(v <= 0 for v in fv):
            f.sides[minus] = own
            minus.facets.add(f)
            continue
        fp, fm = _split_facet(f, h, fv, need)
        fp.sides[plus] = own
        fm.sides[minus] = own
        plus.facets.add(fp)
        minus.facets.add(fm)
        for other, ob in f.sides.items():
            other.facets.discard(f)
            fp.sides[other] = ob
            fm.sides[other] = ob
            other.facets.add(fp)
            other.facets.add(fm)
    cell.facets = set()
    return plus, minus


def vertices(cell: Cell) -> list[tuple]:
    """The vertices of *cell* as tuples of ``mpq``."""
    return [tuple(Q(x, g[0]) for x in g[1:]) for g in cell.gens if g[0] > 0]


def interior_point(cell: Cell) -> tuple:
    """A rational point strictly inside *cell*: the mean of its vertices plus its rays.

    It is a combination of all generators with strictly positive weights, so it
    lies on no proper face, i.e. in the interior of a full-dimensional cell.
    """
    vs = [g for g in cell.gens if g[0] > 0]
    d = len(cell.gens[0]) - 1
    L = math.lcm(*(g[0] for g in vs))  # the vertices' common denominator
    num = [0] * d
    for g in vs:
        f = L // g[0]
        for k in range(d):
            num[k] += f * g[k + 1]
    den = L * len(vs)
    for g in cell.gens:
        if g[0] == 0:
            for k in range(d):
                num[k] += den * g[k + 1]
    return tuple(Q(x, den) for x in num)


def homogeneous(point: Iterable[Any]) -> tuple:
    """The primitive homogeneous integer generator (g₀, g₁, …) of a rational point (g₀ > 0)."""
    return primitive_integer([Q(1), *point])


def cell_from_generators(vertices_: Sequence[Sequence[Any]], rays: Sequence[Sequence[Any]],
                         constraints: Sequence[tuple[Any, Sequence[int]]],
                         labels: Sequence[Any]) -> Cell:
    """A cell from a V-representation and the facet inequalities (b, a) of an H-representation.

    Every constraint must be a facet; each becomes a boundary facet owned by
    the cell (``sides`` has one entry), labelled by *labels*.
    """
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
    cell = Cell(gens, Z, cons)
    for k in range(1, len(cons)):
        on = [i for i, g in enumerate(gens) if Z[i] >> k & 1]
        f = Facet([gens[i] for i in on], [Z[i] for i in on], len(cons), {cell: k})
        cell.facets.add(f)
    return cell


def box_cell(lower: Sequence[Any], upper: Sequence[Any]) -> Cell:
    """The box Π [lowerᵢ, upperᵢ] as a cell with its 2d boundary facets.

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
