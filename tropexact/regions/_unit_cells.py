"""The cells of the LP enumeration of :mod:`tropexact.regions.units`: their parts and maps.

A cell carries its inequalities, its states, the affine map of every node computed
so far and a point strictly inside; :func:`parts` splits it by one relu entry or one
max output (on the cell's exact generators when that decides it, by exact LP
otherwise), and the ``*_map`` functions push the node maps through a node.
"""

from __future__ import annotations

from operator import itemgetter, mul, sub
from typing import Any, Sequence

from tropexact.errors import VerificationError
from tropexact.exact.numbers import Q
from tropexact.networks.graph import Node
from tropexact.networks.model import PIECE_LETTERS
from tropexact.polyhedra import LPStatus, from_inequalities, lp

__all__ = ["Cell", "dot", "interior", "parts", "neuron_options", "unit_options", "max_pieces",
           "linear_map", "AffineMaps", "state_map"]

_ZERO = Q(0)


def dot(a: Sequence[Any], x: Sequence[Any]) -> Any:
    return sum(map(mul, a, x), _ZERO)


def interior(ineqs: Sequence[tuple], d: int) -> tuple | None:
    """A point with every b + a·x > 0, if the set is full-dimensional; else None."""
    zero = (_ZERO,) * d
    cons = [(b, (*a, Q(-1))) for b, a in ineqs] + [(Q(1), (*zero, Q(-1)))]
    res = lp((*zero, Q(1)), cons)
    if res.status is not LPStatus.OPTIMAL or not res.value > 0:
        return None
    return tuple(res.point[:d])


class Cell:
    """Inequalities (b, a, label), states, the affine maps (rows, offsets) of the nodes
    computed so far (by name), a point strictly inside, and the generators (vertices,
    rays, lines) once computed."""

    __slots__ = ("ineqs", "states", "maps", "point", "gens")

    def __init__(self, ineqs: list, states: list, maps: dict, point: tuple,
                 gens: tuple | None = None) -> None:
        self.ineqs, self.states, self.maps, self.point = ineqs, states, maps, point
        self.gens = gens

    def child(self, new: list, state: str, g: int, point: tuple, same: bool = False) -> "Cell":
        """The part of the cell where *new* holds, with *state* at position *g*; *same*
        when *new* holds on the whole cell (the generators carry over)."""
        states = self.states[:]
        states[g] = state
        return Cell(self.ineqs + new, states, dict(self.maps), point,
                     self.gens if same else None)

    def generators(self, d: int) -> tuple:
        """(vertices, rays, lines) of the closed cell (cdd, exact; computed once)."""
        if self.gens is None:
            P = from_inequalities([(b, a) for b, a, _ in self.ineqs], ambient_dim=d)
            self.gens = (P.vertices, P.rays, P.lines)
        return self.gens


def _range(gens: tuple, b: Any, a: tuple) -> tuple[bool, bool]:
    """Whether h = b + a·x takes positive, and negative, values on the cell with
    generators *gens* (the cell is conv(vertices) + cone(rays) + span(lines))."""
    V, R, L = gens
    if any(dot(a, l) for l in L):
        return True, True
    hv = [b + dot(a, v) for v in V] + [dot(a, r) for r in R]
    return any(h > 0 for h in hv), any(h < 0 for h in hv)


def _witness(cell: Cell, gens: tuple, b: Any, a: tuple) -> tuple:
    """A point strictly inside the cell with b + a·x > 0, given that h takes positive
    values there: the cell's point moved towards a vertex (short of it), or along a ray
    or a line."""
    p = cell.point
    hp = b + dot(a, p)
    if hp > 0:
        return p
    V, R, L = gens
    for v in V:
        hv = b + dot(a, v)
        if hv > 0:  # h(p + λ(v − p)) > 0 for λ0 < λ ≤ 1, λ0 = h(p)/(h(p) − h(v)); λ < 1
            lam = (hp / (hp - hv) + 1) / 2
            return tuple(x + lam * (y - x) for x, y in zip(p, v))
    for r in tuple(R) + tuple(L) + tuple(tuple(-x for x in l) for l in L):
        ar = dot(a, r)
        if ar > 0:
            mu = (1 - hp) / ar
            return tuple(x + mu * y for x, y in zip(p, r))
    raise VerificationError("internal error: no generator where the affine function is "
                            "positive")


def _label(g: int, j: int | None) -> Any:
    """The label of an inequality of state g: g (a neuron), or ``("neuron", g, j)`` for a
    max unit's z_i − z_j > 0, naming the other piece j (the certificates need it)."""
    return g if j is None else ("neuron", g, j)


def _fast_parts(cell: Cell, options: list, g: int, d: int) -> list | None:
    """The parts of *cell* for a relu entry (two options, one inequality each), decided
    on the cell's generators without an LP; None for other options."""
    if len(options) != 2 or any(new is None or len(new) != 1 for _, new in options):
        return None
    gens = cell.generators(d)
    (b, a, _), = options[0][1]
    pos, neg = _range(gens, b, a)
    out = []
    for (state, new), live, other in ((options[0], pos, neg), (options[1], neg, pos)):
        if live:
            (bb, aa, j), = new  # an inequality that holds on the whole cell is not kept
            out.append(cell.child([(bb, aa, _label(g, j))] if other else [], state, g,
                                  _witness(cell, gens, bb, aa), same=not other))
    return out


def _screen(cell: Cell, live: list, d: int) -> list:
    """A max unit's candidates screened on the cell's generators: a piece that some
    other piece is at least as large as on the whole cell never wins strictly (dropped);
    a piece at least as large as every other on the whole cell is the only part."""
    gens = cell.generators(d)
    out = []
    for state, new in live:
        ranges = [_range(gens, b, a) for b, a, _ in new]
        if not any(neg for _, neg in ranges):
            return [(state, new)]
        if all(pos for pos, _ in ranges):
            out.append((state, new))
    return out


def parts(cell: Cell, options: list, g: int, d: int) -> list:
    """The full-dimensional parts of *cell*: *options* lists (state, [(b, a, j)] the strict
    inequalities of that state, or None when the state is impossible); an inequality is
    labelled g, or ``("neuron", g, j)`` when j is not None (a max: against piece j).
    A relu entry is decided on the cell's generators; a max unit's candidates are
    screened there first, and each remaining one is decided by an exact LP (a part
    containing the cell's point with every new inequality strict needs none)."""
    fast = _fast_parts(cell, options, g, d)
    if fast is not None:
        return fast
    live = [(state, new) for state, new in options if new is not None]
    if len(live) > 1:
        live = _screen(cell, live, d)
    out = []
    for state, new in live:
        if all(b + dot(a, cell.point) > 0 for b, a, _ in new):
            point = cell.point
        else:
            point = interior([(b, a) for b, a, _ in cell.ineqs + new], d)
            if point is None:
                continue
        whole = len(live) == 1  # the only candidate wins on the whole cell
        labelled = [(b, a, _label(g, j)) for b, a, j in new]
        out.append(cell.child([] if whole else labelled, state, g, point, same=whole))
    return out


def neuron_options(a: tuple, c: Any, t: Any) -> list:
    """The states of a relu (breakpoint t) or leaky relu (t = 0) entry z = a·x + c."""
    h = c - t
    if not any(a):
        return [("+" if h > 0 else "-" if h < 0 else "0", [])]
    return [("+", [(h, a, None)]), ("-", [(-h, tuple(-v for v in a), None)])]


def unit_options(pieces: Sequence[tuple]) -> list:
    """The states of a max over pieces (a_i, c_i): piece i wins where z_i − z_j > 0 for
    every j whose difference is not constant; a constant difference is decided by its
    sign, a tie by the smaller index.  Each inequality carries j."""
    out = []
    for i, (ai, ci) in enumerate(pieces):
        new: list | None = []
        for j, (aj, cj) in enumerate(pieces):
            if j == i:
                continue
            a = tuple(u - v for u, v in zip(ai, aj))
            b = ci - cj
            if any(a):
                new.append((b, a, j))
            elif b < 0 or (b == 0 and j < i):
                new = None
                break
        out.append((PIECE_LETTERS[i], new))
    return out


def max_pieces(node: Node, maps: dict) -> list:
    """Per output of a max node, its pieces as (row, offset) pairs."""
    if node.groups:
        M, o = maps[node.inputs[0]]
        return [[(M[i], o[i]) for i in g] for g in node.groups]
    ins = [maps[i] for i in node.inputs]
    return [[(M[e], o[e]) for M, o in ins] for e in range(node.size)]


class AffineMaps:
    """The map of one affine node on cell after cell, each updated from the previous
    one where its input rows changed.

    Cells met one after the other are mostly siblings whose states differ in a few
    entries, so their input maps differ in a few rows j; the output is linear in the
    input rows, so the previous output plus W[:, j]·(new row j − old row j) over the
    changed j is the new output exactly.  With many changed rows it is recomputed.
    """

    def __init__(self, node: Node, d: int) -> None:
        self.node, self.d = node, d
        self.cols: list[list] = [[] for _ in range(node.in_size)]
        for i, row in enumerate(node.rows):
            for j, w in row:
                self.cols[j].append((i, w))
        # per row: a picker of its input columns and its weights (None for a zero row)
        self.rows = [(itemgetter(*[j for j, _ in row]) if len(row) > 1
                      else (lambda col, j=row[0][0]: (col[j],)), [w for _, w in row])
                     if row else None for row in node.rows]
        self.last: tuple | None = None

    def _full(self, ext: list) -> list:
        """The output rows (coefficients, then offset) computed column by column: C-level
        sums of products over each row's nonzero weights."""
        cols = list(zip(*ext)) if ext else [()] * (self.d + 1)
        zero = (_ZERO,) * self.d
        out = []
        for sparse, b in zip(self.rows, self.node.bias):
            if sparse is None:
                out.append(zero + (b,))
                continue
            pick, ws = sparse
            r = [sum(map(mul, ws, pick(col)), _ZERO) for col in cols]
            r[-1] += b
            out.append(tuple(r))
        return out

    def __call__(self, maps: dict) -> tuple:
        M, o = maps[self.node.inputs[0]]
        ext = [r + (c,) for r, c in zip(M, o)]
        last = self.last
        changed = None
        if last is not None:
            changed = [j for j, (a, b) in enumerate(zip(ext, last[0])) if a != b]
        if changed is None or 8 * len(changed) > len(ext):
            rows = self._full(ext)
        else:
            rows = last[1][:]
            for j in changed:
                delta = tuple(map(sub, ext[j], last[0][j]))
                for i, w in self.cols[j]:
                    rows[i] = tuple(a + w * b for a, b in zip(rows[i], delta))
        self.last = (ext, rows)
        d = self.d
        return tuple(r[:d] for r in rows), tuple(r[d] for r in rows)


def linear_map(node: Node, maps: dict, d: int) -> tuple:
    """The map of an identity, add or concat node from its inputs' maps (an affine node's
    is :class:`AffineMaps`)."""
    ins = [maps[i] for i in node.inputs]
    if node.op == "identity":
        return ins[0]
    if node.op == "add":
        return (tuple(tuple(sum(cs, _ZERO) for cs in zip(*rs)) for rs in zip(*(M for M, _ in ins))),
                tuple(sum(vs, _ZERO) for vs in zip(*(o for _, o in ins))))
    return (tuple(r for M, _ in ins for r in M), tuple(v for _, o in ins for v in o))


def state_map(node: Node, maps: dict, states: Sequence[str], d: int) -> tuple:
    """The output map of a relu, leaky relu or max node on a cell with *states*."""
    if node.op == "max":
        win = [p[PIECE_LETTERS.index(s)] for p, s in zip(max_pieces(node, maps), states)]
        return tuple(r for r, _ in win), tuple(c for _, c in win)
    M, o = maps[node.inputs[0]]
    rows, off = [], []
    for a, c, s in zip(M, o, states):
        if s == "+":
            rows.append(a)
            off.append(c)
        elif node.op == "relu":
            rows.append((_ZERO,) * d)
            off.append(node.param)
        else:
            f = node.param if s == "-" else _ZERO
            rows.append(tuple(f * v for v in a))
            off.append(f * c)
    return tuple(rows), tuple(off)
