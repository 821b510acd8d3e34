"""One enumeration split into independent parts, solved anywhere, merged exactly.

**The parts.**  Take the first nonlinear layer of the network, whose
pre-activations are affine functions of the input, and a few of its neurons
with non-zero weights: the first m in index order (after those that seed the
simplicial cones over Q^d, :mod:`tropexact.regions._seed`).  The cells of
their hyperplane arrangement within the domain -- itself a small enumeration,
done here by the same exact splitting -- fix the signs of those neurons, so
every activation region lies in exactly one cell: the one whose signs it has
on the *fixed* positions (the seeding neurons and the m neurons; each of them
has a hyperplane, so its sign is ``+`` or ``-`` on every region).  m grows
until there are at least *parts* cells (or the layer is used up).

**Solving a part** (:func:`solve`, :func:`solve_counts`) is the usual walk
(:mod:`tropexact.regions._walk`) started from the part's cell instead of
the domain: the cell is never left, and its leaves are exactly the regions
with the part's signs.  The neighbour across each facet of a region is known
by its exact sign vector (:mod:`tropexact.regions._neighbours`); a neighbour
whose signs differ on the fixed positions lies in another part, so the
facet is kept as a *half-edge* (own sign vector, neighbour's sign vector).

**Merging** (:func:`merge`, :func:`merge_counts`) takes the union of the
regions and the edges inside the parts, and matches the half-edges: each edge
between two parts was seen from both of its ends, so every half-edge (a, b)
must meet its mirror (b, a) -- an exact consistency check over the whole
complex, like the one a single enumeration makes (a missing or extra region
would leave a half-edge unmatched).  Linear regions are the classes of
"adjacent with the same affine map" over all the edges.

**Identical answers.**  A region's facet rows keep the order in which its
hyperplanes split it, and the m neurons come first in index order in both
ways of enumerating, so every region's record is the same whatever the
number of parts; :func:`~tropexact.regions.activation.build_complex` then
sorts the regions by sign vector and numbers the maps in that order.  So
``merge([solve(p) for p in subproblems(net, D, k)])`` equals
``activation_regions(net, D)`` for every k -- regions, records, map ids and
edges (tests/test_split.py).

Tasks (:class:`Part`) and results (:class:`PartRegions`, :class:`PartCounts`)
are plain picklable objects: run them on a ``ProcessPoolExecutor`` or Dask,
and save each finished result to resume an interrupted run.

Examples
--------
>>> from tropexact.networks.io import load_network
>>> net = load_network("data/networks/zhang2018_example_c2.json")
>>> tasks = subproblems(net, parts=3)
>>> len(tasks), tasks[0].fixed
(4, (0, 1))
>>> C = merge([solve(t) for t in tasks])
>>> len(C.regions), len(C.edges)
(23, 37)
>>> c = merge_counts([solve_counts(t) for t in tasks])
>>> c.activation_regions, c.linear_regions, c.affine_maps, c.adjacency_edges
(23, 15, 15, 37)
"""

from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from tropexact.errors import InputError, VerificationError
from tropexact.networks.domain import Domain
from tropexact.networks.model import Network, integer_network
from tropexact.polyhedra.arrangement import Cell, side

from ._maps import IntegerMap
from ._walk import IntegerLayers, cut, first_layer
from .activation import RegionComplex, build_complex, start_enumeration
from .units import has_maxout
from .stream import CountFold, RegionCounts

__all__ = ["Part", "PartRegions", "PartCounts", "subproblems", "solve", "solve_counts",
           "merge", "merge_counts", "split_regions"]


@dataclass(frozen=True)
class Part:
    """One sub-problem: the regions of *net* over *domain* with signs *pattern* on *fixed*.

    ``index`` numbers the parts of one split (0, 1, …); ``lines`` is the
    lineality space of the whole complex; the walk starts at layer ``start``
    from the cell (generators, tight sets, constraints, signs, notes) in
    ``cell_data`` with the map ``map_data`` (rows, offsets, denominator).
    """

    net: Network
    domain: Domain | None
    index: int
    fixed: tuple
    pattern: str
    lines: tuple
    start: int
    cell_data: tuple
    map_data: tuple

    def cell(self) -> Cell:
        """A fresh copy of the part's cell (the walk writes into it)."""
        gens, Z, cons, data, notes = self.cell_data
        return Cell(list(gens), list(Z), list(cons), list(data), notes)

    def map(self) -> IntegerMap:
        rows, off, den = self.map_data
        return IntegerMap([None if r is None else list(r) for r in rows], list(off), den)


def _check(net: Network, domain: Domain | None) -> None:
    if has_maxout(net):
        raise InputError("a network with maxout layers, or a computation graph, is enumerated "
                         "in one process (its exact LP enumeration cannot be split into parts)",
                         param="workers")
    if domain is not None and domain.dim != net.input_dim:
        raise InputError(f"the domain has dimension {domain.dim}, the network has "
                         f"{net.input_dim} inputs")


def _presplit(cells: list, hyps: list, base: int, dim: int, parts: int) -> tuple[list, list]:
    """Split *cells* by the first free neurons of the layer, one at a time, until there
    are *parts* cells; (the cells, the sign positions so fixed)."""
    used = []
    for k, h in enumerate(hyps):
        g = base + k
        if len(cells) >= parts:
            break
        if isinstance(h, str) or cells[0].data[g] is not None:
            continue
        used.append(g)
        out = []
        for c in cells:
            s, vals = side(c, h)
            pieces = cut(c, g, h, s, vals, dim)
            out += pieces if pieces is not None else (c,)
        cells = out
    return cells, used


def subproblems(net: Network, domain: Domain | None = None, parts: int = 8, *,
                max_regions: int | None = None) -> list[Part]:
    """Split the enumeration of *net* over *domain* (None: Q^d) into at least *parts* parts.

    Parameters
    ----------
    net : Network
    domain : Domain, optional
    parts : int
        The number of parts wanted; fewer when the first nonlinear layer has too
        few neurons to cut the domain that finely, more when one more neuron
        cuts it into more cells than asked for (each neuron at most doubles them).
    max_regions : int, optional
        Over Q^d, stop at once when the seeding cones alone exceed it.

    Returns
    -------
    list of Part
        Independent, picklable tasks for :func:`solve` or :func:`solve_counts`.
    """
    _check(net, domain)
    L = IntegerLayers(integer_network(net)[0])
    cells, lines, start, m, hyps = first_layer(L, domain, max_regions)
    dim = L.d - len(lines)
    fixed: list[int] = []
    if hyps:
        first = next(lay for lay in range(len(L.layers))
                     if not L.layers[lay].activation.is_linear)
        base = L.bases[first]
        fixed = [base + k for k in range(len(hyps)) if cells[0].data[base + k] is not None]
        cells, used = _presplit(cells, hyps, base, dim, parts)
        fixed = sorted(fixed + used)
    mdata = (tuple(None if r is None else tuple(r) for r in m.rows), tuple(m.off), m.den)
    return [Part(net, domain, i, tuple(fixed), "".join(c.data[g] for g in fixed), lines,
                 start, (tuple(c.gens), tuple(c.Z), tuple(c.cons), tuple(c.data), c.notes),
                 mdata)
            for i, c in enumerate(cells)]


@dataclass
class PartRegions:
    """The regions of one part (:func:`solve`), in the walk's order.

    ``signs[i]``, ``packed[i]`` (the record :class:`~tropexact.regions.activation.RegionComplex`
    keeps) and ``maps[map_of[i]]`` (a marshalled canonical map) describe region i;
    ``(u[k], v[k])`` are the edges inside the part; ``(out_from[k], out_to[k])``
    the half-edges to regions of other parts (a local index, a sign vector).
    """

    index: int
    net: Network
    domain: Domain | None
    neurons: tuple
    lines: tuple
    signs: list
    packed: list
    maps: list
    map_of: array
    u: array
    v: array
    out_from: array
    out_to: list


@dataclass
class PartCounts:
    """The counts of one part (:func:`solve_counts`).

    ``groups`` counts its classes of adjacent equal-map regions (edges inside
    the part only); ``maps`` holds its distinct marshalled maps; ``border``
    maps each region with neighbours in other parts to (its class, its map),
    and ``out`` lists those half-edges (own sign vector, neighbour's).
    """

    index: int
    neurons: tuple
    lines: tuple
    regions: int
    bounded: int
    edges: int
    groups: int
    maps: frozenset
    border: dict
    out: list


def solve(part: Part, *, max_regions: int | None = None,
          progress: Callable[[int], None] | None = None) -> PartRegions:
    """Enumerate the regions of one part, with their edges and half-edges (module docstring)."""
    E = start_enumeration(part.net, part.domain, max_regions, progress, True, part)
    R = PartRegions(part.index, part.net, part.domain, E.neurons, E.lines, [], [], [], array("q"), array("q"),
                    array("q"), array("q"), [])
    for i, s, (nums, den), rows, labels, _, mid, bounded, earlier, outside, _ in E.records():
        R.signs.append(s)
        R.packed.append(marshal.dumps((nums, den, rows, labels, bounded), 2))
        R.map_of.append(mid)
        for j in earlier:
            R.u.append(j)
            R.v.append(i)
        for t in outside:
            R.out_from.append(i)
            R.out_to.append(t)
    R.maps = [b""] * len(E.map_ids)
    for mk, mid in E.map_ids.items():
        R.maps[mid] = mk
    return R


def solve_counts(part: Part, *, max_regions: int | None = None,
                 progress: Callable[[int], None] | None = None) -> PartCounts:
    """Count the regions of one part, keeping only its border (module docstring)."""
    E = start_enumeration(part.net, part.domain, max_regions, progress, True, part)
    fold = CountFold()
    border: dict[str, tuple] = {}
    out: list[tuple[str, str]] = []
    for raw in E.records(interior=False):
        fold.add(raw)
        if raw[9]:
            border[raw[1]] = (raw[0], marshal.dumps(raw[5], 2))
            out += [(raw[1], t) for t in raw[9]]
    border = {s: (fold.find(i), mk) for s, (i, mk) in border.items()}
    return PartCounts(part.index, E.neurons, E.lines, fold.n, fold.bounded, fold.edges,
                      fold.groups, frozenset(E.map_ids), border, out)


def _mirrored(out: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges between parts, once each (a < b), after checking every half-edge's mirror."""
    half = set(out)
    for a, b in half:
        if (b, a) not in half:
            raise VerificationError("internal error: a region's neighbour in another part "
                                    f"does not see it ({a} -> {b})")
    return sorted((a, b) for a, b in half if a < b)


def _ordered(results: Sequence) -> list:
    rs = sorted(results, key=lambda r: r.index)
    if not rs or [r.index for r in rs] != list(range(len(rs))):
        raise InputError("merge needs the results of all the parts of one split, once each")
    return rs


def merge(results: Sequence[PartRegions]) -> RegionComplex:
    """The region complex of the whole split from the results of all its parts.

    Equal to ``activation_regions(net, domain)`` (module docstring).
    """
    rs = _ordered(results)
    signs, packed, maps = [], [], []
    map_of, u, v = array("q"), array("q"), array("q")
    ids: dict[bytes, int] = {}
    out = []
    for R in rs:
        off = len(signs)
        signs += R.signs
        packed += R.packed
        local = [ids.setdefault(mk, len(ids)) for mk in R.maps]
        map_of.extend(local[m] for m in R.map_of)
        u.extend(off + i for i in R.u)
        v.extend(off + i for i in R.v)
        out += [(R.signs[i], t) for i, t in zip(R.out_from, R.out_to)]
    maps = [b""] * len(ids)
    for mk, k in ids.items():
        maps[k] = mk
    where = {s: i for i, s in enumerate(signs)}
    if len(where) != len(signs):
        raise VerificationError("internal error: a region was found in two parts")
    for a, b in _mirrored(out):
        u.append(where[a])
        v.append(where[b])
    return build_complex(rs[0].net, rs[0].domain, rs[0].neurons, rs[0].lines, signs, packed, maps,
                         map_of, u, v)


def merge_counts(results: Sequence[PartCounts]) -> RegionCounts:
    """The counts of the whole split (those of :func:`~tropexact.regions.stream.count_regions`)."""
    rs = _ordered(results)
    border = {s: (R.index, g, mk) for R in rs for s, (g, mk) in R.border.items()}
    parent: dict = {}

    def find(x: tuple) -> tuple:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    joined = 0
    cross = _mirrored(h for R in rs for h in R.out)
    for a, b in cross:
        pa, ga, ma = border[a]
        pb, gb, mb = border[b]
        if ma == mb:
            x, y = find((pa, ga)), find((pb, gb))
            if x != y:
                parent[max(x, y)] = min(x, y)
                joined += 1
    maps: set = set()
    for R in rs:
        maps |= R.maps
    return RegionCounts(sum(R.regions for R in rs), sum(R.groups for R in rs) - joined,
                        len(maps), sum(R.bounded for R in rs),
                        sum(R.edges for R in rs) + len(cross), rs[0].neurons, rs[0].lines)


def split_regions(net: Network, domain: Domain | None = None, parts: int = 8, *,
                  mapper: Callable = map) -> RegionComplex:
    """``merge`` of ``solve`` over ``subproblems``; *mapper* runs the parts
    (``map``, or an executor's ``map``).

    Examples
    --------
    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, -1],
    ...                    "activation": "relu"},
    ...                   {"weight": [[1, 1, 1]], "bias": [0], "activation": "identity"}])
    >>> C = split_regions(net, parts=4)
    >>> len(C.regions), len(C.edges)
    (7, 9)
    """
    return merge(list(mapper(solve, subproblems(net, domain, parts))))
