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
from typing import TYPE_CHECKING, Callable

from tropexact.errors import InputError
from tropexact.networks.domain import Domain
from tropexact.networks.model import Network

from ._engine import Enumeration
from .complex import ActivationRegion, RegionComplex, build_complex, region_from_parts
from .units import has_maxout, unit_regions

if TYPE_CHECKING:
    from .split import Part

__all__ = ["ActivationRegion", "RegionComplex", "activation_regions", "build_complex",
           "region_from_parts"]


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

    A network with a maxout layer is enumerated by exact linear programming
    (:func:`tropexact.regions.units.unit_regions`): its sign vectors carry one
    letter per maxout unit, the winning piece.
    """
    if has_maxout(net):
        return unit_regions(net, domain, max_regions=max_regions, progress=progress)
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


def start_enumeration(net: Network, domain: Domain | None, max_regions: int | None,
                      progress: Callable[[int], None] | None,
                      adjacency: bool = True, part: "Part | None" = None) -> Enumeration:
    """The engine for *net* over *domain*, after checking that the domain fits."""
    if domain is not None and domain.dim != net.input_dim:
        raise InputError(f"the domain has dimension {domain.dim}, the network has "
                         f"{net.input_dim} inputs")
    return Enumeration(net, domain, max_regions, progress, adjacency, part)
