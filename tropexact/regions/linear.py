"""Linear regions and distinct affine maps of a region complex (docs/design.md §2.2–2.3).

Two activation regions belong to one linear region when a path of regions with
the same affine map joins them, consecutive ones sharing a (d−1)-dimensional
face (:func:`equal_map_components`; regions meeting in a lower-dimensional face
stay apart).

Examples
--------
>>> from tropexact.networks.io import load_network
>>> from tropexact.regions.activation import activation_regions
>>> C = activation_regions(load_network("data/networks/zhang2018_example_c2.json"))
>>> len(linear_regions(C)), affine_map_count(C)
(15, 15)
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from tropexact.exact.numbers import Q
from tropexact.networks.model import Network
from tropexact.polyhedra import from_inequalities

from .activation import RegionComplex

__all__ = ["linear_regions", "equal_map_components", "affine_map_count", "sign_vector_at",
           "enclosing_box"]


def _maps(C: RegionComplex, output: int | None) -> Sequence[Any]:
    """Per region a value equal exactly when the maps (or their coordinate *output*) are."""
    if output is None:
        return C.map_ids  # ids of the distinct canonical maps
    return [(r.weight[output], r.bias[output]) for r in C.regions]


def linear_regions(C: RegionComplex, output: int | None = None) -> tuple:
    """The linear regions (docs/design.md §2.2): groups of region indices.

    Two activation regions are in one linear region when a path of regions
    with the same affine map joins them, consecutive ones sharing a
    (d−1)-dimensional face.  Groups are sorted by their smallest index.
    With *output* = k, the linear regions of the k-th coordinate of ν.
    """
    return equal_map_components(_maps(C, output), C.edges)


def equal_map_components(maps: Sequence[Any], edges: Iterable[tuple[int, int]]) -> tuple:
    """Connected components of the regions under the *edges* that join equal *maps*.

    ``maps[i]`` is any comparable value for region i (its affine map, or that map
    composed with an output direction); groups are sorted by their smallest index.

    Examples
    --------
    >>> equal_map_components(["a", "a", "b", "a"], [(0, 1), (1, 2), (2, 3)])
    ((0, 1), (2,), (3,))
    """
    parent = list(range(len(maps)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        if maps[i] == maps[j]:
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict = {}
    for i in range(len(maps)):
        groups.setdefault(find(i), []).append(i)
    return tuple(tuple(g) for g in sorted(groups.values()))


def affine_map_count(C: RegionComplex, output: int | None = None) -> int:
    """How many distinct affine maps ν (or its coordinate *output*) has (docs/design.md §2.3)."""
    if output is None:
        return C.map_count
    return len(set(_maps(C, output)))


def sign_vector_at(net: Network, x: Sequence[Any]) -> str:
    """The signs of all nonlinear neurons at a point, by a plain forward pass.

    Gives ``+``/``-`` only (a point cannot see that a neuron is constant), and
    ``0`` where the pre-activation equals the breakpoint at x.
    """
    out = []
    y = tuple(Q(v) for v in x)
    for L in net.layers:
        z = L.pre_activation(y)
        if not L.activation.is_linear:
            t = L.breakpoint
            out += ["+" if v > t else "-" if v < t else "0" for v in z]
        y = L.activate(z)
    return "".join(out)


def enclosing_box(C: RegionComplex) -> tuple[list, list]:
    """An integer box holding every vertex of the region complex C in its interior.

    Such a box meets every region and every shared facet in a full-dimensional
    set (each has a vertex, or is a cylinder over the lineality space through
    the box), so counts and adjacency in the box are those over Q^d.
    """
    d = C.network.input_dim
    lo, hi = [-1] * d, [1] * d
    for r in C.regions:
        if not r.inequalities:
            continue
        P = from_inequalities(r.inequalities, ambient_dim=d)
        for v in P.vertices:
            for i, x in enumerate(v):
                lo[i] = min(lo[i], math.floor(x) - 1)
                hi[i] = max(hi[i], math.ceil(x) + 1)
    return lo, hi
