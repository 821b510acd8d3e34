"""Activation regions of networks with maxout units and of computation graphs, exactly.

A maxout unit outputs max(z_1, …, z_k) of k affine pre-activations; its state
on a region is the index of the winning piece, written in the sign vector as
the letter ``PIECE_LETTERS[i]`` (``a`` for the first piece).  Relu and leaky
relu neurons keep their ``+ - 0``, so on a network without maxout the sign
vectors are those of :func:`tropexact.regions.activation.activation_regions`.

**The enumeration.**  Layer by layer, every cell carries its inequalities
b + a·x ≥ 0, the affine map of the previous layer's output on it, a point
strictly inside it, and its states so far.  A neuron whose z − t is not
constant on the cell splits it into the parts where z − t > 0 and < 0 that are
full-dimensional; a maxout unit splits it into the parts where piece i beats
every other piece, for each i whose part is full-dimensional.  Full
dimension is decided by the exact LP "maximise r subject to b + a·x ≥ r for
every inequality, r ≤ 1" (full-dimensional iff the optimum is positive), whose
optimal point is strictly inside; a part that contains the cell's point with
every new inequality strict needs no LP.  **Ties** are decided exactly: a
piece identically equal to an earlier piece on the cell never wins (the
smallest index wins a tie that holds on the whole cell), so each region has
one state per unit, and constant differences are decided by their sign
without any LP.

**Why the regions are exactly the activation regions.**  The parts of a cell
for one unit cover it (every point has a maximal piece) and overlap only on
lower-dimensional sets, and a part is kept exactly when it is
full-dimensional; by induction over the units, the final cells are the
maximal open sets on which every state is constant, each found once.  Each is
convex: it is cut out by the inequalities of its own states.  Unlike the
hyperplane walk (:mod:`tropexact.regions._walk`) nothing here needs a pointed
cell, so a region may contain lines (max(x₀, x₁) has the two half-planes
x₀ ≷ x₁ as its regions, each containing the line x₀ = x₁ + s).

**Facets and adjacency.**  The facets are the irredundant inequalities (cdd's
exact redundancy removal), each labelled by the neuron or unit whose state it
bounds (or the domain); a unit's facet z_i − z_j = 0 (i its winning piece) is
labelled ``("neuron", g, j)``, naming the other piece j too (the certificates
need it: docs/certificates.md).  Across a facet F with a point q in its relative
interior (the mean of the facet's vertices plus the sum of its rays) and a
direction n leaving the region, the region met by q + εn for small ε > 0 has
the same states as the region wherever a state is strict at q (the node values
are continuous).  So when the facet's own entry is the only one tied at q (read
off the region's affine maps, a few products per entry) the neighbour is the
region with that entry flipped, or switched to its other tied piece; otherwise
one forward pass on pairs (value, derivative) compared lexicographically decides
it: a state not tied at q is kept, a tie is decided by the derivatives, and a
tie in both means the two sides are equal on the whole neighbouring region (an
affine function that vanishes on F and along n vanishes on the region), decided
as above.  The
argument of :mod:`tropexact.regions._neighbours` shows that every point of F
sees the same neighbour, so every edge is found from both sides; the
enumeration checks exactly that (a missing or one-sided neighbour is an
error, never a silently different graph).

Examples
--------
One maxout unit max(x₀, x₁, 0) on Q², then the identity: three regions, one
per winning piece, pairwise adjacent along the three rays of a tropical line:

>>> from tropexact.networks.model import network
>>> net = network(2, [{"weight": [[1, 0], [0, 1], [0, 0]], "bias": [0, 0, 0],
...                    "activation": "maxout", "pieces": 3},
...                   {"weight": [[1]], "bias": [0], "activation": "identity"}])
>>> C = unit_regions(net)
>>> [r.signs for r in C.regions], len(C.edges)
(['a', 'b', 'c'], 3)
>>> [r.bounded for r in C.regions]
[False, False, False]
"""

from __future__ import annotations

import marshal
import math
from array import array
from typing import Any, Callable, Iterator, Sequence

from tropexact.errors import BudgetExceeded, InputError, VerificationError
from tropexact.exact.linalg import primitive_integer
from tropexact.exact.numbers import Q
from tropexact.networks.activation import Activation
from tropexact.networks.domain import Domain
from tropexact.networks.graph import Graph, Node, from_network
from tropexact.networks.model import PIECE_LETTERS, Network
from tropexact.polyhedra import from_inequalities

from ._engine import encode_label
from ._unit_cells import (AffineMaps, Cell, dot, interior, linear_map, max_pieces, neuron_options, parts,
                          state_map, unit_options)
from .complex import RegionComplex, build_complex

__all__ = ["unit_regions", "has_maxout", "unit_states"]

_ZERO = Q(0)


def has_maxout(net: Network | Graph) -> bool:
    """Whether *net* needs this module: a maxout layer, or any computation graph."""
    return isinstance(net, Graph) or any(l.activation is Activation.MAXOUT for l in net.layers)


def _graph(net: Network | Graph) -> Graph:
    return net if isinstance(net, Graph) else from_network(net)


def _positions(net: Network | Graph) -> tuple:
    """Where each state comes from: (layer, neuron) for a sequential network (as the walk
    numbers them: each neuron of a relu or leaky relu layer, each unit of a maxout
    layer), (node index, entry) for a graph (each entry of a relu or leaky relu node,
    each output of a max node), in order."""
    if isinstance(net, Network):
        return tuple((l, k) for l, layer in enumerate(net.layers)
                     if not layer.activation.is_linear for k in range(layer.out_dim))
    return tuple((n, i) for n, node in enumerate(net.nodes)
                 if node.op in ("relu", "leaky_relu", "max") for i in range(node.size))


def _split(cells: list, node: Node, base: int, d: int, budget: "_Budget") -> list:
    """Every cell of *cells* split by one node's entries (relu) or outputs (max)."""
    out: list = []
    for n, cell in enumerate(cells):
        if node.op == "max":
            options = [unit_options(p) for p in max_pieces(node, cell.maps)]
        else:
            M, o = cell.maps[node.inputs[0]]
            t = node.param if node.op == "relu" else _ZERO
            options = [neuron_options(a, c, t) for a, c in zip(M, o)]
        todo = [cell]
        for k, opts in enumerate(options):
            todo = [p for c in todo for p in parts(c, opts, base + k, d)]
            budget.add(len(out) + len(todo) + len(cells) - n - 1)
        for c in todo:
            c.maps[node.name] = state_map(node, c.maps, c.states[base:base + node.size], d)
        out += todo
    return out


class _Budget:
    """The region limit and the progress callback."""

    def __init__(self, most: int | None, progress: Callable[[int], None] | None) -> None:
        self.most, self.progress = most, progress

    def add(self, count: int) -> None:
        if self.most is not None and count > self.most:
            raise BudgetExceeded(f"more than {self.most} activation regions; raise the limit "
                                 "or restrict the domain", param="max_regions")
        if self.progress is not None:
            self.progress(count)


def _leaves(g: Graph, domain: Domain | None, budget: _Budget) -> list:
    """The final cells of the enumeration (module docstring), in no particular order."""
    d = g.input_dim
    ineqs = [] if domain is None else [(b, a, ("domain", i))
                                       for i, (b, a) in enumerate(domain.inequalities)]
    point = interior([(b, a) for b, a, _ in ineqs], d)
    if point is None:
        raise InputError("the domain is not full-dimensional")
    ident = tuple(tuple(Q(int(i == j)) for j in range(d)) for i in range(d))
    cells = [Cell(ineqs, [None] * len(_positions(g)), {"input": (ident, (_ZERO,) * d)},
                   point)]
    base = 0
    for node in g.nodes:
        if node.op in ("relu", "leaky_relu", "max"):
            cells = _split(cells, node, base, d, budget)
            base += node.size
        elif node.op == "affine":
            step = AffineMaps(node, d)
            for c in cells:
                c.maps[node.name] = step(c.maps)
        else:
            for c in cells:
                c.maps[node.name] = linear_map(node, c.maps, d)
    return cells


def unit_states(net: Network | Graph, x: Sequence[Any],
                direction: Sequence[Any] | None = None) -> str:
    """The states at x, or at x + εn for all small ε > 0 when *direction* n is given.

    One exact forward pass on pairs (value, derivative along n), compared
    lexicographically (module docstring); a tie in both is decided by the
    smaller piece index for max and gives ``0`` for relu.
    """
    g = _graph(net)
    zero = (_ZERO, _ZERO)
    dv = [Q(u) for u in direction] if direction is not None else [_ZERO] * len(x)
    vals = {"input": [(Q(u), w) for u, w in zip(x, dv)]}
    out = []
    for node in g.nodes:
        ins = [vals[i] for i in node.inputs]
        if node.op == "affine":
            u = ins[0]
            vals[node.name] = [(b + sum((w * u[j][0] for j, w in row), _ZERO),
                                sum((w * u[j][1] for j, w in row), _ZERO))
                               for row, b in zip(node.rows, node.bias)]
        elif node.op == "identity":
            vals[node.name] = ins[0]
        elif node.op == "add":
            vals[node.name] = [(sum((p for p, _ in ps), _ZERO), sum((q for _, q in ps), _ZERO))
                               for ps in zip(*ins)]
        elif node.op == "concat":
            vals[node.name] = [p for u in ins for p in u]
        elif node.op == "max":
            pieces = ([[ins[0][i] for i in grp] for grp in node.groups] if node.groups
                      else [list(ps) for ps in zip(*ins)])
            new = []
            for ps in pieces:
                best = max(range(len(ps)), key=lambda m: (ps[m], -m))
                out.append(PIECE_LETTERS[best])
                new.append(ps[best])
            vals[node.name] = new
        else:
            t = node.param if node.op == "relu" else _ZERO
            new = []
            for p, q in ins[0]:
                s = "+" if (p - t, q) > zero else "-" if (p - t, q) < zero else "0"
                out.append(s)
                if s == "+":
                    new.append((p, q))
                elif node.op == "relu":
                    new.append((t, _ZERO))
                else:
                    f = node.param if s == "-" else _ZERO
                    new.append((f * p, f * q))
            vals[node.name] = new
    return "".join(out)


def _facet_point(P: Any, k: int, d: int) -> tuple:
    """A point in the relative interior of facet k of P: the mean of its vertices plus
    the sum of its rays (lines lie in every facet)."""
    on = P.incidence[k]
    nv = len(P.vertices)
    V = [P.vertices[i] for i in on if i < nv]
    R = [P.rays[i - nv] for i in on if i >= nv]
    return tuple(sum((v[c] for v in V), _ZERO) / len(V) + sum((r[c] for r in R), _ZERO)
                 for c in range(d))


def _record(cell: Cell, g: Graph, d: int) -> tuple:
    """(states, point, facets (row, label) irredundant, map key, bounded, facet points)
    of a leaf.

    The facets are cdd's irredundant inequalities of the closed cell, each labelled by
    the first of the cell's inequalities with the same primitive row; each facet not on
    the domain's boundary gets a point of its relative interior (:func:`_facet_point`).
    """
    seen: dict[tuple, Any] = {}
    for b, a, lab in cell.ineqs:
        seen.setdefault(primitive_integer((b, *a)), lab)
    P = from_inequalities([(b, a) for b, a, _ in cell.ineqs], ambient_dim=d)
    facets, points = [], []
    for k, (b, a) in enumerate(P.inequalities):
        row = primitive_integer((b, *a))
        if row not in seen:
            raise VerificationError("internal error: a facet of a region is none of its "
                                    "inequalities")
        lab = seen[row]
        facets.append((row, lab))
        domain = isinstance(lab, tuple) and lab[0] == "domain"
        points.append(None if domain else _facet_point(P, k, d))
    M, o = cell.maps[g.output]
    nums = [x for row in M for x in row] + list(o)
    D = math.lcm(*(int(x.denominator) for x in nums)) if nums else 1
    ints = [int(x * D) for x in nums]
    gcd = math.gcd(D, *ints)
    key = (D // gcd, *(x // gcd for x in ints))
    return ("".join(cell.states), cell.point, facets, key, not P.rays and not P.lines,
            tuple(points))


def unit_regions(net: Network | Graph, domain: Domain | None = None, *,
                 max_regions: int | None = None,
                 progress: Callable[[int], None] | None = None) -> RegionComplex:
    """The activation regions of *net* (any activations, maxout included), exactly.

    Parameters and result as :func:`tropexact.regions.activation.activation_regions`:
    regions sorted by sign vector, each with an interior point, irredundant
    facets, the affine map of ν and whether it is bounded, and the adjacency.
    """
    if domain is not None and domain.dim != net.input_dim:
        raise InputError(f"the domain has dimension {domain.dim}, the network has "
                         f"{net.input_dim} inputs")
    g = _graph(net)
    positions = _positions(net)
    leaves = _leaves(g, domain, _Budget(max_regions, progress))
    records = [_record(c, g, net.input_dim) for c in leaves]
    return _complex(net, domain, positions, records)


def _edges(records: list) -> Iterator[tuple[int, int]]:
    """Each adjacent pair once (i < j), every edge found from both sides.

    Across a facet F (row h) with q in its relative interior lies exactly one region,
    and it has −h as a facet and q in its closure (module docstring); among the
    regions with the facet −h, it is the one whose inequalities all hold at q.  No
    region, or more than one, or an edge seen from one side only, is an error.
    """
    by_row: dict[tuple, list[int]] = {}
    for i, record in enumerate(records):
        for row, _ in record[2]:
            by_row.setdefault(row, []).append(i)
    found: dict[tuple[int, int], int] = {}
    for i, record in enumerate(records):
        for (row, _), q in zip(record[2], record[5]):
            if q is None:  # the domain's boundary
                continue
            hits = [j for j in by_row.get(tuple(-x for x in row), ())
                    if all(r[0] + dot(r[1:], q) >= 0 for r, _ in records[j][2])]
            if len(hits) != 1 or hits[0] == i:
                raise VerificationError(f"internal error: region {record[0]!r} has a facet "
                                        f"with {len(hits)} regions across it")
            j = hits[0]
            e = (min(i, j), max(i, j))
            found[e] = found.get(e, 0) + 1
    for e, n in found.items():
        if n != 2:
            raise VerificationError("internal error: an edge of the region graph was found "
                                    "from one side only")
        yield e


def _complex(net: Network | Graph, domain: Domain | None, positions: tuple,
             records: list) -> RegionComplex:
    """The records as a :class:`RegionComplex` (packed exactly as the walk packs them)."""
    signs, packed, map_of = [], [], array("q")
    map_ids: dict[bytes, int] = {}
    for s, point, facets, key, bounded, _ in records:
        den = math.lcm(*(int(x.denominator) for x in point)) if point else 1
        nums = tuple(int(x * den) for x in point)
        rows = tuple(r for r, _ in facets)
        labels = tuple(encode_label(lab) for _, lab in facets)
        signs.append(s)
        packed.append(marshal.dumps((nums, den, rows, labels, bounded), 2))
        mk = marshal.dumps(key, 2)
        map_of.append(map_ids.setdefault(mk, len(map_ids)))
    maps = [b""] * len(map_ids)
    for mk, k in map_ids.items():
        maps[k] = mk
    u, v = array("q"), array("q")
    for i, j in sorted(_edges(records)):
        u.append(i)
        v.append(j)
    return build_complex(net, domain, positions, (), signs, packed, maps, map_of, u, v)
