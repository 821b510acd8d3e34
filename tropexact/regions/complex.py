"""The region complex: activation regions as packed records, with their adjacency.

:class:`RegionComplex` is what every enumeration returns (the hyperplane walk of
:mod:`tropexact.regions.activation`, the parts of :mod:`tropexact.regions.split`
and the LP enumeration of maxout networks in :mod:`tropexact.regions.units`);
:func:`build_complex` puts regions found in any order into the canonical form.
Each region is kept as its sign vector and one marshalled record of integers,
each distinct affine map once, and the adjacency as two integer arrays;
:class:`ActivationRegion` objects are built when asked for.
"""

from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import networkx as nx

from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.networks.model import Network

from ._engine import decode_label

__all__ = ["ActivationRegion", "RegionComplex", "build_complex", "region_from_parts"]


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
        For each inequality, ``("neuron", k)`` (position in ``neurons``),
        ``("neuron", g, j)`` (maxout unit g: its winning piece ties piece j there)
        or ``("domain", i)``.
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


def region_from_parts(signs: str, nums: Sequence[int], den: int, rows: Sequence[Sequence[int]],
                      labels: Sequence[int], key: Sequence[int], bounded: bool,
                      d: int) -> ActivationRegion:
    """An :class:`ActivationRegion` from the integers the engine keeps (``_engine.records``)."""
    D, n = key[0], key[1:]
    p = len(n) // (d + 1)
    weight = tuple(tuple(Q(n[k * d + j], D) for j in range(d)) for k in range(p))
    bias = tuple(Q(n[p * d + k], D) for k in range(p))
    return ActivationRegion(signs, tuple(Q(x, den) for x in nums),
                            tuple((h[0], tuple(h[1:])) for h in rows),
                            tuple(decode_label(x) for x in labels), weight, bias, bool(bounded))


class _Regions(Sequence):
    """The regions of a complex, built from their packed records on access."""

    __slots__ = ("_C",)

    def __init__(self, C: "RegionComplex") -> None:
        self._C = C

    def __len__(self) -> int:
        return len(self._C._signs)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self))))
        C = self._C
        if i < 0:
            i += len(C._signs)
        nums, den, rows, labels, bounded = marshal.loads(C._packed[i])
        key = marshal.loads(C._maps[C._map_of[i]])
        return region_from_parts(C._signs[i], nums, den, rows, labels, key, bounded,
                                 C.network.input_dim)

    def __iter__(self) -> Iterator[ActivationRegion]:
        for i in range(len(self)):
            yield self[i]


class _Edges(Sequence):
    """The adjacency as (i, j) pairs with i < j, sorted, from two integer arrays."""

    __slots__ = ("_u", "_v")

    def __init__(self, u: array, v: array) -> None:
        self._u, self._v = u, v

    def __len__(self) -> int:
        return len(self._u)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return list(zip(self._u[k], self._v[k]))
        return (self._u[k], self._v[k])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._u, self._v)


class RegionComplex:
    """The activation regions of a network with their adjacency graph.

    ``regions`` is a sequence of :class:`ActivationRegion` (sorted by sign
    vector), built from packed records on access.  ``edges`` lists the pairs
    (i, j), i < j, of regions whose closures share a (d−1)-dimensional face;
    ``graph`` is the same as a networkx Graph with one node per region index
    (built on first access: large complexes should use ``edges``).
    ``map_ids[i]`` numbers region i's affine map among the ``map_count``
    distinct ones.  ``lines`` span the lineality space common to all regions
    (empty unless the first layer has rank < d).
    """

    __slots__ = ("network", "domain", "neurons", "lines", "_signs", "_packed", "_maps",
                 "_map_of", "_u", "_v", "_graph")

    def __init__(self, network: Network, domain: Domain | None, neurons: tuple, lines: tuple,
                 signs: list, packed: list, maps: list, map_of: array, u: array,
                 v: array) -> None:
        self.network, self.domain, self.neurons, self.lines = network, domain, neurons, lines
        self._signs, self._packed, self._maps, self._map_of = signs, packed, maps, map_of
        self._u, self._v = u, v
        self._graph: nx.Graph | None = None

    def __len__(self) -> int:
        return len(self._signs)

    @property
    def regions(self) -> _Regions:
        return _Regions(self)

    @property
    def edges(self) -> _Edges:
        return _Edges(self._u, self._v)

    @property
    def map_ids(self) -> array:
        return self._map_of

    @property
    def map_count(self) -> int:
        return len(self._maps)

    @property
    def graph(self) -> nx.Graph:
        if self._graph is None:
            G = nx.Graph()
            G.add_nodes_from(range(len(self._signs)))
            G.add_edges_from(zip(self._u, self._v))
            self._graph = G
        return self._graph


def build_complex(net: Network, domain: Domain | None, neurons: tuple, lines: tuple,
                  signs: list, packed: list, maps: list, map_of: array, u: array,
                  v: array) -> RegionComplex:
    """The complex in its canonical form, from regions in any order (the arrays are consumed).

    Region i has sign vector ``signs[i]``, packed record ``packed[i]`` and
    affine map ``maps[map_of[i]]`` (a marshalled :func:`~tropexact.regions._engine.map_key`);
    ``(u[k], v[k])`` are the adjacent pairs.  The regions are sorted by sign
    vector, the maps numbered in order of first appearance in that order, and
    the edges (i, j), i < j, sorted: the result depends only on the sets of
    regions, maps and edges, not on the order the enumeration found them in.
    """
    order = sorted(range(len(signs)), key=signs.__getitem__)
    n = len(order)
    new = array("q", bytes(8 * n))
    for k, i in enumerate(order):
        new[i] = k
    keys = sorted(min(new[a], new[b]) * n + max(new[a], new[b]) for a, b in zip(u, v))
    del u[:], v[:], new
    renumber: dict[int, int] = {}
    canon = array("q", (renumber.setdefault(map_of[i], len(renumber)) for i in order))
    cmaps = [b""] * len(renumber)
    for old, k in renumber.items():
        cmaps[k] = maps[old]
    return RegionComplex(net, domain, neurons, lines, [signs[i] for i in order],
                         [packed[i] for i in order], cmaps, canon,
                         array("q", (k // n for k in keys)), array("q", (k % n for k in keys)))
