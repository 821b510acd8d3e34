"""Activation regions of a network, exactly, with their adjacency graph.

The activation regions of ν (docs/design.md §2.1) are built layer by layer.  Before
layer l the domain is covered by the cells of layer l−1, and on each cell the
output of layer l−1 is one affine map, so every neuron's pre-activation z is
affine there.  Each neuron whose z is not constant on a cell splits the cell
by the hyperplane z = t (t the activation's breakpoint); a neuron constant on
the cell does not split it and gets the sign of z − t there ('0' when z ≡ t).

**Why this is complete.**  A point of the domain lies in the closure of some
cell at every stage (splitting a cell by a hyperplane covers it by the two
closed halves), and the open cells are exactly the maximal open sets on which
all sign vectors so far are constant, because every neuron of every layer was
tested against every cell of its layer, and a cell is split exactly when the
neuron takes both signs on its interior (:func:`tropexact.polyhedra.arrangement.side`
decides this from the cell's exact generators: no LP, no tolerance).  So the
final cells are the activation regions, each once.

**Why it is output-sensitive.**  No sign pattern is ever guessed: each split
creates one new region, so there are (#regions − #initial cells) splits, and
each neuron is tested once per cell of its layer.  A cell is first tested
through its parent (the cell of the previous layer): a neuron that misses the
parent costs one test for all of the parent's descendants.

**Exactness.**  The network is first scaled to integers
(:func:`tropexact.networks.model.integer_network`; activation regions are unchanged by
positive scaling), affine maps are kept as integer matrices over a common
denominator, hyperplanes are primitive integer vectors and cell generators are
homogeneous integer vectors (:mod:`tropexact.polyhedra.arrangement`).  Over all of Q^d
the first nonlinear layer seeds the complex with the 2^r simplicial cones of r
independent hyperplanes (r its rank) times the lineality space, which every
later hyperplane contains; a box or polytope domain seeds it with one cell.

Examples
--------
Example C.2 of Zhang, Naitzat and Lim (2018) has 23 activation regions (their
Appendix C.2 count); each carries a sign vector, one character per hidden and
output neuron:

>>> from tropexact.networks.io import load_network
>>> C = activation_regions(load_network("data/networks/zhang2018_example_c2.json"))
>>> len(C.regions), len(C.neurons), len(C.regions[0].signs)
(23, 6, 6)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import networkx as nx

from tropexact.errors import BudgetExceeded, InputError
from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.networks.activation import Activation
from tropexact.networks.model import Network, integer_network
from tropexact.polyhedra.arrangement import Cell, interior_point, side, split

from ._maps import IntegerMap, hyperplanes, layer_output, pre_activation
from ._seed import domain_cell, seed_cones

__all__ = ["ActivationRegion", "RegionComplex", "activation_regions"]


@dataclass(frozen=True)
class ActivationRegion:
    """One activation region.

    Attributes
    ----------
    signs : str
        One of ``+ - 0`` per neuron of each nonlinear layer (see ``RegionComplex.neurons``).
    point : tuple of mpq
        A rational point strictly inside the region.
    inequalities : tuple of (b, a)
        Irredundant H-representation of the closure: b + ⟨a, x⟩ ≥ 0, as primitive
        integer vectors (Python ints: exact, and cheap to store).
    facet_labels : tuple
        For each inequality, ``("neuron", k)`` (position in ``neurons``) or
        ``("domain", i)``.
    weight, bias : tuple
        The affine map of ν on the region: ν(x) = weight·x + bias.
    bounded : bool
        Whether the region is bounded.
    """

    signs: str
    point: tuple
    inequalities: tuple
    facet_labels: tuple
    weight: tuple
    bias: tuple
    bounded: bool

    @property
    def affine_map(self) -> tuple:
        return (self.weight, self.bias)


@dataclass(frozen=True)
class RegionComplex:
    """The activation regions of a network with their adjacency graph.

    ``graph`` has one node per region index; an edge joins two regions whose
    closures share a (d−1)-dimensional face.  ``lines`` span the lineality
    space common to all regions (empty unless the first layer has rank < d).
    """

    network: Network
    domain: Domain | None
    neurons: tuple
    regions: tuple
    graph: nx.Graph
    lines: tuple

    def __len__(self) -> int:
        return len(self.regions)


class _RegionCounter:
    """Counts regions as they are split off; enforces the limit, reports progress."""

    def __init__(self, count: int, max_regions: int | None,
                 progress: Callable[[int], None] | None) -> None:
        self.count = count
        self.max = max_regions
        self.progress = progress
        self.last = time.monotonic()

    def add(self) -> None:
        self.count += 1
        if self.max is not None and self.count > self.max:
            raise BudgetExceeded(f"more than {self.max} activation regions; raise the limit or "
                                 "restrict the domain", param="max_regions")
        if self.progress is not None and not self.count & 63:
            now = time.monotonic()
            if now - self.last > 0.2:
                self.last = now
                self.progress(self.count)


def _refine(leaves: list, parent: Cell | None, hyps: list, base: int, dim: int,
            budget: _RegionCounter) -> list:
    """Split *leaves* (cells inside *parent*) by the hyperplanes of one layer."""
    for k, h in enumerate(hyps):
        g = base + k
        if isinstance(h, str):
            for c in leaves:
                if c.data[g] is None:
                    c.data[g] = h
            continue
        known = None
        if parent is not None:
            s, vals = side(parent, h)
            if s != "split":
                for c in leaves:
                    c.data[g] = s
                continue
            if leaves[0] is parent:  # parent not split yet: reuse its values
                known = vals
        new = []
        for c in leaves:
            if c.data[g] is not None:  # a seeding hyperplane
                new.append(c)
                continue
            s, vals = ("split", known) if known is not None else side(c, h)
            if s == "split":
                cp, cm = split(c, h, g, vals, dim)
                cp.data = c.data[:]
                cm.data = c.data[:]
                cp.data[g] = "+"
                cm.data[g] = "-"
                new += (cp, cm)
                budget.add()
            else:
                c.data[g] = s
                new.append(c)
        leaves = new
    return leaves


def activation_regions(net: Network, domain: Domain | None = None, *,
                       max_regions: int | None = None,
                       progress: Callable[[int], None] | None = None) -> RegionComplex:
    """Enumerate the activation regions of *net* exactly (module docstring: the method).

    Parameters
    ----------
    net : Network
    domain : Domain, optional
        A box or polytope; default all of Q^d.
    max_regions : int, optional
        Stop with :class:`~tropexact.errors.BudgetExceeded` beyond this many regions.
    progress : callable, optional
        Called now and then with the number of cells so far.

    Returns
    -------
    RegionComplex
        Regions with sign vectors, interior points, irredundant H-representations,
        affine maps, and the adjacency graph.

    Examples
    --------
    Two lines through the origin cut Q² into four regions; ν = relu(x) + relu(y):

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
    ...                   {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    >>> C = activation_regions(net)
    >>> sorted(r.signs for r in C.regions), C.graph.number_of_edges()
    (['++', '+-', '-+', '--'], 4)
    """
    if domain is not None and domain.dim != net.input_dim:
        raise InputError(f"the domain has dimension {domain.dim}, the network has "
                         f"{net.input_dim} inputs")
    inet, scale = integer_network(net)
    L = _IntegerLayers(inet)
    cells, lines, start, gmap = _seed(L, domain, max_regions)
    dim = net.input_dim - len(lines)
    budget = _RegionCounter(len(cells) - 1, max_regions, progress)
    budget.add()
    maps: dict = {c: gmap for c in cells}
    for l in range(start, len(L.layers)):
        if l == start and domain is None:  # the seeding layer: one global pre-activation
            A, C = L.pre_activation(l, gmap)
            leaves = _refine(cells, None, hyperplanes(L.layers[l], A, C, gmap.den), L.bases[l],
                             dim, budget)
            maps = {c: L.output(l, A, C, gmap.den, c.data) for c in leaves}
        else:
            maps = _next_layer(L, l, maps, dim, budget)
    return _assemble(net, domain, tuple(L.neurons), maps, lines, scale, net.input_dim)


class _IntegerLayers:
    """The layers of an integer network as Python ints, with each layer's first sign
    position (``bases``) and the (layer, neuron) of every sign (``neurons``)."""

    def __init__(self, inet: Network) -> None:
        self.layers, self.d = inet.layers, inet.input_dim
        self.bases: list[int] = []
        self.neurons: list[tuple[int, int]] = []
        for l, layer in enumerate(self.layers):
            self.bases.append(len(self.neurons))
            if not layer.activation.is_linear:
                self.neurons += [(l, k) for k in range(layer.out_dim)]
        self.W = [[[int(w) for w in row] for row in layer.weight] for layer in self.layers]
        self.B = [[int(b) for b in layer.bias] for layer in self.layers]

    def pre_activation(self, l: int, m: IntegerMap) -> tuple[list, list]:
        return pre_activation(self.W[l], self.B[l], m, self.d)

    def output(self, l: int, A: list, C: list, den: int, signs: list) -> IntegerMap:
        return layer_output(self.layers[l], A, C, den, signs, self.bases[l])


def _seed(L: _IntegerLayers, domain: Domain | None,
          max_regions: int | None = None) -> tuple[list, tuple, int, IntegerMap]:
    """(first cells, lineality lines, first layer to split by, the map before it).

    Over all of Q^d, leading identity layers are global affine maps, and the first
    nonlinear layer seeds the simplicial cones; a domain seeds one cell.
    """
    d = L.d
    gmap = IntegerMap([[int(i == j) for j in range(d)] for i in range(d)], [0] * d, 1)
    if domain is not None:
        return [domain_cell(domain, len(L.neurons))], (), 0, gmap
    start = 0
    while start < len(L.layers) and L.layers[start].activation is Activation.IDENTITY:
        A, C = L.pre_activation(start, gmap)
        gmap = L.output(start, A, C, gmap.den, [])
        start += 1
    if start == len(L.layers):
        cells, lines = seed_cones([], d, 0, 0)
    else:
        A, C = L.pre_activation(start, gmap)
        cells, lines = seed_cones(hyperplanes(L.layers[start], A, C, gmap.den), d,
                                  L.bases[start], len(L.neurons), max_regions)
    return cells, lines, start, gmap


def _next_layer(L: _IntegerLayers, l: int, maps: dict, dim: int,
                budget: _RegionCounter) -> dict:
    """Split every cell by layer l's neurons; the cells with their maps after layer l."""
    nxt: dict = {}
    for c, m in maps.items():
        A, C = L.pre_activation(l, m)
        if L.layers[l].activation is Activation.IDENTITY:
            nxt[c] = L.output(l, A, C, m.den, c.data)
            continue
        for leaf in _refine([c], c, hyperplanes(L.layers[l], A, C, m.den), L.bases[l], dim,
                            budget):
            nxt[leaf] = L.output(l, A, C, m.den, leaf.data)
    return nxt


def _assemble(net: Network, domain: Domain | None, neurons: tuple, maps: dict,
              lines: tuple, scale: Any, d: int) -> RegionComplex:
    cells = sorted(maps, key=lambda c: "".join(c.data) if c.data else "")
    index = {c: i for i, c in enumerate(cells)}
    regions = []
    G = nx.Graph()
    for i, c in enumerate(cells):
        m = maps[c]
        den = m.den * scale
        p = len(m.rows)
        weight = tuple(tuple(Q(m.rows[k][j], 1) / den if m.rows[k] is not None else Q(0)
                             for j in range(d)) for k in range(p))
        bias = tuple(Q(m.off[k]) / den for k in range(p))
        bits = sorted({f.sides[c] for f in c.facets})
        ineqs, labels = [], []
        for b in bits:
            lab, h = c.cons[b]
            ineqs.append((h[0], h[1:]))
            labels.append(lab if isinstance(lab, tuple) else ("neuron", lab))
        bounded = not lines and all(g[0] > 0 for g in c.gens)
        regions.append(ActivationRegion("".join(c.data), interior_point(c), tuple(ineqs), tuple(labels),
                              weight, bias, bounded))
        G.add_node(i)
    for c in cells:
        for f in c.facets:
            for o in f.sides:
                if o is not c:
                    G.add_edge(index[c], index[o])
    return RegionComplex(net, domain, neurons, tuple(regions), G, lines)
