"""Activation regions as a stream: each finished region handed over, then forgotten.

:func:`~tropexact.regions.activation.activation_regions` keeps the whole complex
(packed, about 1 KB a region).  For complexes that should not be held at all,
:func:`iter_regions` yields the regions one by one as the depth-first walk
finishes them, and :func:`count_regions` folds the stream into the counts of
``tropexact regions`` (activation regions, linear regions, distinct affine
maps, bounded regions, adjacent pairs) while handing each region to a callback.

**Contract of the stream.**

* Every activation region is yielded exactly once, as a :class:`StreamedRegion`
  ``(index, region, neighbours, map_id, across)``; ``index`` counts 0, 1, 2, …
  in the order of the stream (the walk's order, *not* the sign-vector order of
  :class:`~tropexact.regions.activation.RegionComplex`).
* ``region`` is an :class:`~tropexact.regions.activation.ActivationRegion`:
  sign vector, interior point, irredundant H-representation with facet labels,
  affine map, boundedness -- the same values, field for field, that the complex
  gives for that sign vector.
* ``neighbours`` lists the indices of the *earlier* regions of the stream that
  share a (d−1)-dimensional face with this one: each adjacent pair is reported
  once, with its later region.  The pairs so reported are exactly the edges
  of ``RegionComplex.edges`` (up to the renumbering by sign vector).
* ``across[k]`` is the sign vector of the region on the other side of the
  k-th inequality of ``region`` (its k-th facet), or None when that facet
  lies on the domain's boundary: the adjacency by sign vectors, without
  indices.  A region is adjacent to another iff its sign vector is in the
  other's ``across``.
* ``map_id`` numbers the region's affine map among the distinct maps met so
  far (0, 1, 2, … in order of first appearance): two regions have the same map
  iff they have the same ``map_id``.
* With ``adjacency=False``, ``neighbours`` and ``across`` are empty and
  no facet is matched.
* **Memory.**  The stream holds the cells of the walk's current path, the
  regions that still wait for a neighbour (a border between finished and
  unfinished regions), and one canonical key per distinct affine map met so
  far (a few hundred bytes; a generic network has about one map per
  region, so this is the only part that grows with the regions).
  :func:`count_regions` adds two 8-byte integers per region.
* When the stream ends, every facet has found its region across (an exact
  consistency check); otherwise :class:`~tropexact.errors.VerificationError`.
  ``max_regions`` raises :class:`~tropexact.errors.BudgetExceeded` as soon as
  the count passes it (regions already yielded stay valid).
* With ``part`` (a :class:`~tropexact.regions.split.Part`), the stream runs
  over that part only: the regions with the part's signs on its fixed
  neurons.  ``neighbours`` then only joins regions of the part, and ``across``
  still names every neighbour, in the part or not.

Examples
--------
>>> from tropexact.networks.io import load_network
>>> S = iter_regions(load_network("data/networks/zhang2018_example_c2.json"))
>>> rs = list(S)
>>> len(rs), len(S.neurons), sum(len(r.neighbours) for r in rs)
(23, 6, 37)
>>> c = count_regions(load_network("data/networks/zhang2018_example_c2.json"))
>>> c.activation_regions, c.linear_regions, c.affine_maps, c.adjacency_edges
(23, 15, 15, 37)
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

from tropexact.networks.domain import Domain
from tropexact.networks.model import Network

from .activation import ActivationRegion, activation_regions, region_from_parts, start_enumeration
from .complex import RegionComplex
from .linear import affine_map_count, linear_regions
from .units import has_maxout

if TYPE_CHECKING:
    from .split import Part

__all__ = ["StreamedRegion", "RegionStream", "iter_regions", "RegionCounts", "count_regions",
           "CountFold", "counts_of"]


class StreamedRegion(NamedTuple):
    """One region of the stream (module docstring: the contract)."""

    index: int
    region: ActivationRegion
    neighbours: tuple
    map_id: int
    across: tuple


class RegionStream:
    """An iterable, once, over the regions of one enumeration.

    ``neurons`` (the (layer, neuron) of each sign) and ``lines`` (a basis of
    the lineality space shared by all regions) are known before the first region.
    """

    def __init__(self, net: Network, domain: Domain | None, adjacency: bool,
                 max_regions: int | None, progress: Callable[[int], None] | None,
                 part: "Part | None" = None) -> None:
        self._E = start_enumeration(net, domain, max_regions, progress, adjacency, part)
        self.neurons = self._E.neurons
        self.lines = self._E.lines
        self._d = net.input_dim
        self._used = False

    def __iter__(self) -> Iterator[StreamedRegion]:
        if self._used:
            raise RuntimeError("a RegionStream can be iterated once")
        self._used = True
        for raw in self._E.records():
            yield self.record(raw)

    def raw(self, interior: bool = True) -> Iterator[tuple]:
        """The engine's records, unconverted (``_engine.Enumeration.records``; without
        *interior* they cannot be passed to :meth:`record`)."""
        if self._used:
            raise RuntimeError("a RegionStream can be iterated once")
        self._used = True
        return self._E.records(interior)

    def record(self, raw: tuple) -> StreamedRegion:
        i, s, (nums, den), rows, labels, key, mid, bounded, earlier, _, across = raw
        return StreamedRegion(i, region_from_parts(s, nums, den, rows, labels, key, bounded,
                                                   self._d), earlier, mid, across)


def iter_regions(net: Network, domain: Domain | None = None, *, adjacency: bool = True,
                 max_regions: int | None = None,
                 progress: Callable[[int], None] | None = None,
                 part: "Part | None" = None) -> RegionStream:
    """The activation regions of *net* over *domain* as a stream (module docstring).

    Parameters
    ----------
    net : Network
    domain : Domain, optional
        A box or polytope; default all of Q^d.
    adjacency : bool
        Match neighbours (``neighbours`` of each region); off, every
        ``neighbours`` is empty and the walk does a little less.
    max_regions : int, optional
        Stop with :class:`~tropexact.errors.BudgetExceeded` beyond this many regions.
    progress : callable, optional
        Called now and then with the number of regions so far.
    part : Part, optional
        Only the regions of this part of a split (:mod:`tropexact.regions.split`;
        *net* and *domain* must be the part's).

    Returns
    -------
    RegionStream
        Iterate it once for :class:`StreamedRegion` records.

    Examples
    --------
    Three lines x = 0, y = 0, x + y = 1 cut Q² into 7 regions; each bounded one
    is a triangle with three neighbours:

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, -1],
    ...                    "activation": "relu"},
    ...                   {"weight": [[1, 1, 1]], "bias": [0], "activation": "identity"}])
    >>> tri = [r for r in iter_regions(net) if r.region.bounded]
    >>> tri[0].region.signs, tri[0].across
    ('++-', ('-+-', '+--', '+++'))
    """
    return RegionStream(net, domain, adjacency, max_regions, progress, part)


@dataclass(frozen=True)
class RegionCounts:
    """The counts of ``tropexact regions`` (docs/design.md §2), from one stream."""

    activation_regions: int
    linear_regions: int
    affine_maps: int
    bounded_regions: int
    adjacency_edges: int
    neurons: tuple
    lines: tuple


def count_regions(net: Network, domain: Domain | None = None, *,
                  max_regions: int | None = None,
                  progress: Callable[[int], None] | None = None,
                  on_region: Callable[[StreamedRegion], None] | None = None) -> RegionCounts:
    """Count the regions of *net* in one stream, handing each to *on_region* if given.

    Linear regions are the classes of the regions under "adjacent with the
    same affine map" (docs/design.md §2.2), found by union–find over an integer
    array as the pairs arrive; nothing else is kept per region.
    """
    if has_maxout(net):
        return _complex_counts(activation_regions(net, domain, max_regions=max_regions,
                                                  progress=progress), on_region)
    S = iter_regions(net, domain, max_regions=max_regions, progress=progress)
    fold = CountFold()
    for raw in S.raw(interior=on_region is not None):
        if on_region is not None:
            on_region(S.record(raw))
        fold.add(raw)
    return fold.counts(len(S._E.map_ids), S.neurons, S.lines)


def counts_of(C: RegionComplex) -> RegionCounts:
    """The counts of a complex held in memory (those a stream gives)."""
    return RegionCounts(len(C.regions), len(linear_regions(C)), affine_map_count(C),
                        sum(r.bounded for r in C.regions), len(C.edges), C.neurons, C.lines)


def _complex_counts(C: RegionComplex, on_region: Callable[[StreamedRegion], None] | None
                    ) -> RegionCounts:
    """:func:`count_regions` of a network with maxout layers: the complex is enumerated
    whole (:mod:`tropexact.regions.units`) and its regions handed over in order."""
    if on_region is not None:
        earlier: list[list[int]] = [[] for _ in range(len(C))]
        for i, j in C.edges:
            earlier[j].append(i)
        for i, R in enumerate(C.regions):
            on_region(StreamedRegion(i, R, tuple(earlier[i]), C.map_ids[i], ()))
    return counts_of(C)


class CountFold:
    """The counts of a stream of engine records, kept in two integer arrays.

    Linear regions are the classes of the regions under "adjacent with the
    same affine map" (docs/design.md §2.2): a union–find over the stream
    index, joined as the pairs arrive; ``groups`` is the number of classes.
    """

    def __init__(self) -> None:
        self.parent = array("q")
        self.maps = array("q")
        self.n = self.bounded = self.edges = self.groups = 0

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def add(self, raw: tuple) -> None:
        """Fold in one record of ``_engine.Enumeration.records``."""
        i, mid, earlier = raw[0], raw[6], raw[8]
        self.parent.append(i)
        self.maps.append(mid)
        self.groups += 1
        self.n += 1
        self.bounded += raw[7]
        for j in earlier:
            self.edges += 1
            if self.maps[j] == mid:
                a, b = self.find(i), self.find(j)
                if a != b:
                    self.parent[max(a, b)] = min(a, b)
                    self.groups -= 1

    def counts(self, distinct_maps: int, neurons: tuple, lines: tuple) -> RegionCounts:
        return RegionCounts(self.n, self.groups, distinct_maps, self.bounded, self.edges,
                            neurons, lines)
