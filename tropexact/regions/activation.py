"""Activation regions of a network, exactly, with their adjacency graph.

The activation regions of ν (docs/design.md §2.1) are built layer by layer.  Before
layer l the domain is covered by the cells of layer l−1, and on each cell the
output of layer l−1 is one affine map, so every neuron's pre-activation z is
affine there.  Each neuron whose z is not constant on a cell splits the cell
by the hyperplane z = t (t the activation's breakpoint); a neuron constant on
the cell does not split it and gets the sign of z − t there ('0' when z ≡ t).
The walk is depth first (:mod:`tropexact.regions._walk`).

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

**Facets and adjacency.**  A region's facets are read off its generators
(:func:`tropexact.polyhedra.arrangement.facet_constraints`); across each facet on
a neuron's hyperplane lies exactly one region, whose sign vector is computed
exactly (:mod:`tropexact.regions._neighbours`), so the adjacency graph is
matched by sign vectors (:mod:`tropexact.regions._engine`), every edge
found from both sides.

**Exactness.**  The network is first scaled to integers
(:func:`tropexact.networks.model.integer_network`; activation regions are unchanged by
positive scaling), affine maps are kept as integer matrices over a common
denominator, hyperplanes are primitive integer vectors and cell generators are
homogeneous integer vectors (:mod:`tropexact.polyhedra.arrangement`).  Over all of Q^d
the first nonlinear layer seeds the complex with the 2^r simplicial cones of r
independent hyperplanes (r its rank) times the lineality space, which every
later hyperplane contains; a box or polytope domain seeds it with one cell.

**Memory.**  The complex keeps each region as its sign vector and one packed
record of integers, each distinct affine map once, and the adjacency as two
integer arrays; :class:`ActivationRegion` objects are built when asked for,
and the networkx graph on first access of ``graph``.  To stream the regions
without keeping them, see :func:`tropexact.regions.stream.iter_regions`.

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

import marshal
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import networkx as nx

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.networks.model import Network

from ._engine import Enumeration, decode_label

if TYPE_CHECKING:
    from .split import Part

__all__ = ["ActivationRegion", "RegionComplex", "activation_regions", "build_complex"]


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
    E = start_enumeration(net, domain, max_regions, progress)
    signs: list[str] = []
    packed: list[bytes] = []
    map_of = array("q")
    u, v = array("q"), array("q")
    for i, s, (nums, den), rows, labels, _, mid, bounded, earlier, _, _ in E.records():
        signs.append(s)
        packed.append(marshal.dumps((nums, den, rows, labels, bounded), 2))
        map_of.append(mid)
        for j in earlier:
            u.append(j)
            v.append(i)
    maps = [b"" for _ in range(len(E.map_ids))]
    for mk, mid in E.map_ids.items():
        maps[mid] = mk
    E.map_ids.clear()
    return build_complex(net, domain, E.neurons, E.lines, signs, packed, maps, map_of, u, v)


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


def start_enumeration(net: Network, domain: Domain | None, max_regions: int | None,
                      progress: Callable[[int], None] | None,
                      adjacency: bool = True, part: "Part | None" = None) -> Enumeration:
    """The engine for *net* over *domain*, after checking that the domain fits."""
    if domain is not None and domain.dim != net.input_dim:
        raise InputError(f"the domain has dimension {domain.dim}, the network has "
                         f"{net.input_dim} inputs")
    return Enumeration(net, domain, max_regions, progress, adjacency, part)
