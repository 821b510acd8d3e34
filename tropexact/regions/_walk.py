"""The depth-first walk behind the activation regions: cells split layer by layer.

Before layer l the domain is covered by the cells of layer l−1, and on each
cell the output of layer l−1 is one affine map, so every neuron's
pre-activation z is affine there.  Each neuron whose z is not constant on a
cell splits the cell by the hyperplane z = t (t the activation's breakpoint);
a neuron constant on the cell does not split it and gets the sign of z − t
there ('0' when z ≡ t).

The walk is depth first: a cell is split by all of its layer's neurons and
each piece is carried through the next layers before the next piece is
looked at, so only the cells on the current path and their pending siblings
are held (a few per layer and neuron), never a whole layer of cells.  The
cells are independent (:mod:`tropexact.polyhedra.arrangement` keeps no
shared facets), so the order changes nothing but the order of the leaves.

Inside one layer each neuron is first tested on the cell the layer starts
from (all of them at once, :func:`~tropexact.polyhedra.arrangement.sides`):
a neuron that misses it costs one test for all of its pieces.  The
neurons that cross it are then applied one by one, each piece being tested
against the neurons after the one that made it.

A neuron that does not split a cell, but whose hyperplane vanishes on at
least D generators of it (D the cell's dimension), may lie on a facet of the
cell; its oriented hyperplane is noted in ``cell.notes`` (the adjacency needs
them: :mod:`tropexact.regions._neighbours`).  Generic networks note nothing.

Consecutive cells mostly differ in a few signs, so a layer's pre-activations
and a ReLU layer's output are updated from the previous cell's where the signs
changed (:class:`~tropexact.regions._maps.IncrementalPre`,
:meth:`IntegerLayers.output`), exactly as if recomputed.
"""

from __future__ import annotations

import time
from itertools import compress
from operator import ne
from typing import Any, Callable, Iterator

from tropexact.errors import BudgetExceeded, InputError
from tropexact.networks.activation import Activation
from tropexact.networks.domain import Domain
from tropexact.networks.model import Network
from tropexact.polyhedra.arrangement import Cell, side, sides, split

from ._maps import IncrementalPre, IntegerMap, hyperplanes, layer_output
from ._seed import domain_cell, seed_cones

__all__ = ["IntegerLayers", "RegionCounter", "walk", "first_layer", "leaves", "split_layer", "cut"]


class IntegerLayers:
    """The layers of an integer network as Python ints, with each layer's first sign
    position (``bases``) and the (layer, neuron) of every sign (``neurons``)."""

    def __init__(self, inet: Network) -> None:
        if any(l.activation is Activation.MAXOUT for l in inet.layers):
            raise InputError("internal error: the hyperplane walk got a maxout layer (maxout "
                             "networks are enumerated by tropexact.regions.units)")
        self.layers, self.d = inet.layers, inet.input_dim
        self.bases: list[int] = []
        self.neurons: list[tuple[int, int]] = []
        for l, layer in enumerate(self.layers):
            self.bases.append(len(self.neurons))
            if not layer.activation.is_linear:
                self.neurons += [(l, k) for k in range(layer.out_dim)]
        self.W = [[[int(w) for w in row] for row in layer.weight] for layer in self.layers]
        self.B = [[int(b) for b in layer.bias] for layer in self.layers]
        self._pre = [IncrementalPre(w, b, self.d) for w, b in zip(self.W, self.B)]
        self._out: list[tuple | None] = [None] * len(self.layers)

    def pre_activation(self, l: int, m: IntegerMap) -> tuple[list, list]:
        """(A, C): layer l's pre-activations (A·x + C)/den on a cell whose map before l is *m*
        (:class:`~tropexact.regions._maps.IncrementalPre`)."""
        return self._pre[l](m)

    def output(self, l: int, A: list, C: list, den: int, signs: list) -> IntegerMap:
        """The map after layer l on a cell with *signs*; a ReLU layer's output on the
        same (A, C) as the previous call is that output patched where the signs changed."""
        layer, base = self.layers[l], self.bases[l]
        if layer.activation is not Activation.RELU:
            return layer_output(layer, A, C, den, signs, base)
        sg = signs[base:base + len(A)]
        last = self._out[l]
        if last is not None and last[0] is A and last[1] is C and last[2] == den:
            sg0, rows, off = last[3], last[4][:], last[5][:]
            dt = den * int(layer.threshold)
            for k in compress(range(len(sg)), map(ne, sg, sg0)):
                if sg[k] == "+":
                    rows[k], off[k] = A[k], C[k]
                else:
                    rows[k], off[k] = None, dt
            m = IntegerMap(rows, off, den)
        else:
            m = layer_output(layer, A, C, den, signs, base)
        self._out[l] = (A, C, den, sg, m.rows, m.off)
        return m


class RegionCounter:
    """Counts cells as they are split off; enforces the limit, reports progress."""

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


def _note(cell: Cell, g: int, s: str, h: tuple, vals: list, dim: int) -> None:
    """Record h (oriented ≥ 0 on the cell) if it may carry a facet of the cell."""
    if vals.count(0) >= dim:
        cell.notes = cell.notes + ((g, h if s == "+" else tuple([-x for x in h])),)


def cut(c: Cell, g: int, h: tuple, s: str, vals: list, dim: int) -> tuple[Cell, Cell] | None:
    """Neuron g's hyperplane h on cell c, whose side test gave (s, vals): when h splits c,
    its two pieces (+ then −), each with its sign of g and c's notes (the − piece reuses
    c's signs); otherwise None, with c's sign of g set and h noted if it may carry a facet."""
    if s == "split":
        cp, cm = split(c, h, g, vals, dim)
        cp.data, cm.data = c.data[:], c.data
        cp.notes = cm.notes = c.notes
        cp.data[g], cm.data[g] = "+", "-"
        return cp, cm
    c.data[g] = s
    _note(c, g, s, h, vals, dim)
    return None


def split_layer(cell: Cell, hyps: list, base: int, dim: int,
                budget: RegionCounter) -> Iterator[Cell]:
    """The pieces of *cell* cut by one layer's hyperplanes (module docstring), depth first."""
    signs = cell.data
    todo = []
    tested = []
    for k, h in enumerate(hyps):
        g = base + k
        if signs[g] is not None:  # a seeding hyperplane
            continue
        if isinstance(h, str):
            signs[g] = h
            continue
        tested.append(g)
    hs = [hyps[g - base] for g in tested]
    for g, h, (s, vals) in zip(tested, hs, sides(cell, hs)):
        if s == "split":
            todo.append((g, h, vals))
        else:
            signs[g] = s
            _note(cell, g, s, h, vals, dim)
    if not todo:
        yield cell
        return
    n = len(todo)
    stack: list[tuple[Cell, int, Any]] = [(cell, 0, todo[0][2])]
    while stack:
        c, k, vals = stack.pop()
        while k < n:
            g, h, _ = todo[k]
            s = "split" if vals is not None else None
            if s is None:
                s, vals = side(c, h)
            pieces = cut(c, g, h, s, vals, dim)
            if pieces is not None:
                c, cm = pieces
                budget.add()
                stack.append((cm, k + 1, None))
            k += 1
            vals = None
        yield c


def _descend(L: IntegerLayers, cell: Cell, m: IntegerMap, l: int, dim: int,
             budget: RegionCounter) -> Iterator[tuple[Cell, IntegerMap]]:
    """The leaves below *cell*, whose map before layer l is *m*, with their final maps."""
    if l == len(L.layers):
        yield cell, m
        return
    A, C = L.pre_activation(l, m)
    layer = L.layers[l]
    if layer.activation is Activation.IDENTITY:
        yield from _descend(L, cell, L.output(l, A, C, m.den, cell.data), l + 1, dim, budget)
        return
    for leaf in split_layer(cell, hyperplanes(layer, A, C, m.den), L.bases[l], dim, budget):
        yield from _descend(L, leaf, L.output(l, A, C, m.den, leaf.data), l + 1, dim, budget)


def first_layer(L: IntegerLayers, domain: Domain | None, max_regions: int | None
                ) -> tuple[list, tuple, int, IntegerMap, list]:
    """(cells, lines, start, map, hyps): where every enumeration of *L* starts.

    Over all of Q^d, leading identity layers are global affine maps, and the
    first nonlinear layer (index *start*, whose hyperplanes are *hyps*) seeds
    the simplicial cones (:func:`seed_cones`); a domain seeds one cell at
    layer 0 (*hyps* are still those of the first nonlinear layer, for
    :mod:`tropexact.regions.split`).  *map* is the network's map before layer
    *start* (the identity for a domain).
    """
    d = L.d
    gmap = IntegerMap([[int(i == j) for j in range(d)] for i in range(d)], [0] * d, 1)
    m, first = gmap, 0
    while first < len(L.layers) and L.layers[first].activation is Activation.IDENTITY:
        A, C = L.pre_activation(first, m)
        m = L.output(first, A, C, m.den, [])
        first += 1
    hyps: list = []
    if first < len(L.layers):
        A, C = L.pre_activation(first, m)
        hyps = hyperplanes(L.layers[first], A, C, m.den)
    if domain is not None:
        return [domain_cell(domain, len(L.neurons))], (), 0, gmap, hyps
    if first == len(L.layers):
        cells, lines = seed_cones([], d, 0, 0)
    else:
        cells, lines = seed_cones(hyps, d, L.bases[first], len(L.neurons), max_regions)
    return cells, lines, first, m, hyps


def leaves(L: IntegerLayers, cells: list, m: IntegerMap, start: int, dim: int,
           budget: RegionCounter) -> Iterator[tuple[Cell, IntegerMap]]:
    """The leaves below each of *cells* in turn (popped: a finished cell is dropped)."""
    while cells:
        yield from _descend(L, cells.pop(0), m, start, dim, budget)


def walk(L: IntegerLayers, domain: Domain | None, max_regions: int | None,
         progress: Callable[[int], None] | None
         ) -> tuple[tuple, int, Iterator[tuple[Cell, IntegerMap]]]:
    """(lines, D, the leaves with their final maps): the activation regions as cells.

    The walk starts from :func:`first_layer`; D is the cells' dimension modulo
    the lines.
    """
    cells, lines, start, m, _ = first_layer(L, domain, max_regions)
    dim = L.d - len(lines)
    budget = RegionCounter(len(cells) - 1, max_regions, progress)
    budget.add()
    return lines, dim, leaves(L, cells, m, start, dim, budget)
