r"""A maxout layer's regions are the upper vertices of a Minkowski sum (Montúfar–Ren–Zhang 2022).

Let the first nonlinear layer of a network be a maxout layer of m units with k
pieces, unit j computing :math:`\max_i(\langle w_{ji}, x\rangle + b_{ji})` of the
input :math:`x \in \mathbb{Q}^d` (identity layers before it are composed in).
Unit j is the tropical polynomial :math:`f_j = \bigoplus_i b_{ji} \odot x^{w_{ji}}`
with lifted point set :math:`P_j = \{(w_{ji}, b_{ji})\}_i \subset \mathbb{Q}^{d+1}`,
and the layer's activation regions (one winning piece per unit, docs/design.md §2.1)
are the cells of :math:`f_1 \odot \dots \odot f_m`, whose extended Newton polytope is
the Minkowski sum :math:`P_1 + \dots + P_m`.  So (docs/design.md §2.4)

* the layer's regions are in bijection with the upper vertices of the sum, the
  region where the pieces :math:`i_1, \dots, i_m` win going to the vertex
  :math:`\sum_j (w_{j i_j}, b_{j i_j})` (the lexicographically unique maximiser of
  :math:`\langle (x, 1), \cdot\rangle` for x inside the region);
* there are at most :math:`\sum_{|S| \le d}\prod_{j \in S}(k_j - 1)` of them, k_j the
  number of distinct points of :math:`P_j` (Montúfar, Ren & Zhang 2022; the
  ``montufar2022`` bound of :mod:`tropexact.bounds.maxout`).

:func:`check_maxout_minkowski` checks both on a network, exactly: the upper vertices
come from the linear-optimisation oracle of
:func:`tropexact.polyhedra.oracle.upper_vertices_of_sums`, which never expands the
sum; the regions from the enumeration, whose sign vectors begin with the layer's m
letters.  Later layers refine the layer's regions, so the distinct m-letter
prefixes among all regions are the layer's regions.
"""

from __future__ import annotations

from tropexact.bounds.counts import maxout_layer_count, minkowski_upper_vertex_bound
from tropexact.exact.numbers import Q, fmt_vector, plural
from tropexact.networks.activation import Activation
from tropexact.networks.model import PIECE_LETTERS, Layer, Network
from tropexact.polyhedra.oracle import upper_vertices_of_sums
from tropexact.regions import RegionComplex

from ..check import Check
from .._inputs import regions_of

__all__ = ["check_maxout_minkowski", "first_maxout_layer", "lifted_units"]

NAME = "maxout_minkowski"


def first_maxout_layer(net: Network) -> tuple[Layer, list, list] | None:
    """The first nonlinear layer if it is a maxout layer, with the affine map (A, c) of
    the identity layers before it (x ↦ A x + c); ``None`` otherwise."""
    d = net.input_dim
    A = [[Q(int(i == j)) for j in range(d)] for i in range(d)]
    c = [Q(0)] * d
    for lay in net.layers:
        if lay.activation is Activation.IDENTITY:
            A = [[sum((w * A[t][j] for t, w in enumerate(row)), Q(0)) for j in range(d)]
                 for row in lay.weight]
            c = [b + sum((w * ct for w, ct in zip(row, c)), Q(0))
                 for row, b in zip(lay.weight, lay.bias)]
            continue
        return (lay, A, c) if lay.activation is Activation.MAXOUT else None
    return None


def lifted_units(layer: Layer, A: list, c: list) -> list[list[tuple]]:
    """Per unit, its pieces' lifted points (w, b) ∈ Q^{d+1} as functions of the network's
    input (weights W A, biases W c + b)."""
    d = len(A[0])
    pts = [tuple(sum((w * A[t][j] for t, w in enumerate(row)), Q(0)) for j in range(d))
           + (b + sum((w * ct for w, ct in zip(row, c)), Q(0)),)
           for row, b in zip(layer.weight, layer.bias)]
    return [pts[s:e] for s, e in layer.units()]


def _pattern_vertex(units: list, pattern: str) -> tuple:
    """Σ_j of unit j's winning point, the winner named by its letter."""
    D = len(units[0][0])
    v = [Q(0)] * D
    for P, letter in zip(units, pattern):
        p = P[PIECE_LETTERS.index(letter)]
        for t in range(D):
            v[t] += p[t]
    return tuple(v)


def _compare(units: list, patterns: set, vertices: list) -> tuple[bool, str, list]:
    """Regions ↔ upper vertices: (passed, detail, witnesses)."""
    image: dict[tuple, str] = {}
    for s in sorted(patterns):
        v = _pattern_vertex(units, s)
        if v in image:
            return False, (f"regions {image[v]!r} and {s!r} of the layer map to the same "
                           f"vertex {fmt_vector(v)}"), [("collision", image[v], s, v)]
        image[v] = s
    want = set(vertices)
    extra = sorted(set(image) - want)
    if extra:
        return False, (f"region {image[extra[0]]!r}: the sum of its winning pieces "
                       f"{fmt_vector(extra[0])} is not an upper vertex of the Minkowski "
                       "sum"), [("not_a_vertex", image[extra[0]], extra[0])]
    missing = sorted(want - set(image))
    if missing:
        return False, (f"the upper vertex {fmt_vector(missing[0])} of the Minkowski sum has "
                       f"no region ({len(image)} regions, {len(want)} upper vertices)"), \
            [("vertex_without_region", missing[0])]
    return True, "", [("region_vertex", s, v) for v, s in sorted(image.items())]


def check_maxout_minkowski(net: Network, *, regions: RegionComplex | None = None) -> Check:
    """A maxout layer's regions ↔ the upper vertices of Σ_j conv{(w_ji, b_ji)}, exactly.

    Parameters
    ----------
    net : Network
    regions : RegionComplex, optional
        The activation regions of *net* over all of Q^d (computed if absent).

    Returns
    -------
    Check
        ``name="maxout_minkowski"``; ``not applicable`` unless the first nonlinear
        layer is a maxout layer.  It passes when the map "region of the layer ↦ sum of
        its winning pieces" is a bijection onto the upper vertices of the Minkowski
        sum and their number is at most the Montúfar–Ren–Zhang bound.  Witnesses:
        ``("region_vertex", letters, vertex)`` for every region, ``("count", regions,
        upper_vertices, bound)``; on failure ``("collision", …)``,
        ``("not_a_vertex", …)`` or ``("vertex_without_region", vertex)``.

    Examples
    --------
    A tropical line max(x, y, 0) and max(x − 1, 0, 0) (its third piece repeats the
    second and never wins): of the 3 · 2 patterns, "0 wins the first unit and x − 1
    the second" is empty (x < 0 and x > 1), so 5 regions, the 5 upper vertices of a
    triangle plus a segment.  The bound for 3 and 2 distinct points in Q^3 is
    e_0 + e_1 + e_2 of (2, 1): 1 + 3 + 2 = 6; for two units of 3 pieces it is
    1 + 2·2 + 1·4 = 9:

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1], [0, 0], [1, 0], [0, 0], [0, 0]],
    ...                    "bias": [0, 0, 0, -1, 0, 0], "activation": "maxout", "pieces": 3},
    ...                   {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    >>> chk = check_maxout_minkowski(net)
    >>> chk.passed, chk.detail
    (True, 'layer 0 (2 units of 3 pieces): 5 regions = 5 upper vertices of the Minkowski sum, region by region; <= the Montufar-Ren-Zhang bound 6 (k = 3: 9)')
    """
    found = first_maxout_layer(net)
    if found is None:
        return Check.not_applicable(NAME, "the first nonlinear layer is not a maxout layer")
    layer, A, c = found
    index = net.layers.index(layer)
    C = regions_of(net, regions)
    units = lifted_units(layer, A, c)
    m, d = len(units), net.input_dim
    patterns = {r.signs[:m] for r in C.regions}
    vertices = upper_vertices_of_sums([(0, [(P, 1) for P in units])], d + 1)
    ok, detail, wit = _compare(units, patterns, vertices)
    sizes = [len(set(P)) for P in units]
    bound = minkowski_upper_vertex_bound(sizes, d)
    generic = maxout_layer_count(m, layer.pieces, d)
    wit.append(("count", len(patterns), len(vertices), bound))
    head = (f"layer {index} ({plural(m, 'unit')} of {plural(layer.pieces, 'piece')}): ")
    if not ok:
        return Check.verdict(NAME, False, "FAILS: " + head + detail, tuple(wit))
    within = len(vertices) <= bound
    detail = (f"{plural(len(patterns), 'region')} = "
              f"{plural(len(vertices), 'upper vertex', 'upper vertices')} of the Minkowski sum, "
              f"region by region; {'<=' if within else 'EXCEEDS'} the Montufar-Ren-Zhang "
              f"bound {bound}" + (f" (k = {layer.pieces}: {generic})" if bound != generic else ""))
    return Check.verdict(NAME, within, ("" if within else "FAILS: ") + head + detail,
                         tuple(wit))

