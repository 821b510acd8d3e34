"""The paper's correspondence, checked: regions of f in Q^d ↔ upper vertices of P(f).

For a tropical polynomial f, the full-dimensional regions {x : term i attains
f(x)} correspond to the upper vertices of the extended Newton polytope P(f),
and two regions share a facet iff the two lifted points span an upper edge
(docs/design.md §2).  :func:`verify_correspondence` computes both sides
independently -- the regions and their adjacency by exact LPs and redundancy
removal in Q^d (:func:`tropexact.regions.cells.term_regions`), the upper hull
by cdd in Q^{d+1} (:func:`tropexact.regions.cells.normal_fan_graph`) -- and
:func:`compare_graphs` checks that they agree vertex for vertex and edge for
edge.  For F ⊘ G the cells are those of F ⊙ G (:func:`verify_tropical`).

Examples
--------
>>> from tropexact.tropical.polynomial import TropicalPolynomial
>>> f = TropicalPolynomial([((0, 0), 0), ((1, 0), 0), ((0, 1), 0)])  # max(0, x, y)
>>> c = verify_correspondence(f)
>>> c.passed, c.detail, c.data.regions
(True, '3 regions = 3 upper vertices; 3 edges match', 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import networkx as nx

from tropexact.exact.numbers import fmt_vector
from tropexact.regions.cells import TermRegions, normal_fan_graph, term_regions
from tropexact.tropical.polynomial import TropicalPolynomial

from tropexact.networks.model import Network
from tropexact.networks.tropicalization import Tropicalization

from ._inputs import tropicalization_of
from .check import Check

__all__ = ["GraphComparison", "compare_graphs", "verify_correspondence", "verify_tropical",
           "check_correspondence"]


@dataclass(frozen=True)
class GraphComparison:
    """The data of a correspondence check: counts and the two graphs compared.

    Attributes
    ----------
    regions : int
        Full-dimensional regions (input space, by LP).
    upper_vertices : int
        Upper vertices of P(f) (polytope space, by convex hull).
    edges : int
        Edges of the region graph.
    region_graph, fan_graph : networkx.Graph
        :attr:`tropexact.regions.cells.TermRegions.graph` and
        :func:`tropexact.regions.cells.normal_fan_graph` (frozen).
    term_regions : TermRegions or None
        The regions of f themselves, when :func:`verify_correspondence` computed them
        (other checks on the same f reuse them).
    """

    regions: int
    upper_vertices: int
    edges: int
    region_graph: nx.Graph = field(compare=False, repr=False)
    fan_graph: nx.Graph = field(compare=False, repr=False)
    term_regions: TermRegions | None = field(default=None, compare=False, repr=False)


def _edge_key(u: tuple, v: tuple) -> tuple:
    return (u, v) if u <= v else (v, u)


def compare_graphs(region_graph: nx.Graph, fan_graph: nx.Graph, name: str = "f") -> Check:
    """The check that the region graph equals the normal-fan graph, node for node and edge
    for edge; on failure the detail names the first differing term or edge."""
    n_r, n_v = region_graph.number_of_nodes(), fan_graph.number_of_nodes()
    data = GraphComparison(n_r, n_v, region_graph.number_of_edges(), region_graph, fan_graph)
    nodes_r, nodes_v = set(region_graph.nodes), set(fan_graph.nodes)
    if nodes_r != nodes_v:
        first = min(nodes_r ^ nodes_v)
        if first in nodes_r:
            why = "has a full-dimensional region but is not an upper vertex of P(f)"
        else:
            why = "is an upper vertex of P(f) but its region has empty interior"
        return Check.verdict(name, False, f"{n_r} regions vs {n_v} upper vertices: term "
                             f"{fmt_vector(first)} {why}", data)
    edges_r = {_edge_key(u, v) for u, v in region_graph.edges}
    edges_v = {_edge_key(u, v) for u, v in fan_graph.edges}
    if edges_r != edges_v:
        u, v = min(edges_r ^ edges_v)
        if (u, v) in edges_r:
            why = "is a shared facet of two regions but not an upper edge of P(f)"
        else:
            why = "is an upper edge of P(f) but the two regions share no facet"
        return Check.verdict(name, False, f"edge {fmt_vector(u)} -- {fmt_vector(v)} {why}", data)
    return Check.verdict(name, True, f"{n_r} regions = {n_v} upper vertices; "
                         f"{len(edges_r)} edges match", data)


def verify_correspondence(f: TropicalPolynomial, *, name: str = "f",
                          cells: TermRegions | None = None) -> Check:
    """Check N(f) = #upper vertices of P(f) and region graph = normal-fan graph, exactly.

    The region side comes from :func:`term_regions` (LPs in Q^d), or is *cells* when
    given (read off a network's activation regions by
    :func:`tropexact.regions.term_cells.term_regions_on`); the polytope side from
    :func:`normal_fan_graph` (the exact hull in Q^{d+1}); neither uses the other.

    Examples
    --------
    max(0, x, 2x − 2) on Q: regions x ≤ 0, 0 ≤ x ≤ 2, x ≥ 2 in a path; the
    lifted points (0, 0), (1, 0), (2, −2) are all upper vertices (the slopes 0
    and −2 of the chain decrease), in a path.

    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> C = verify_correspondence(TropicalPolynomial([((0,), 0), ((1,), 0), ((2,), -2)]))
    >>> C.passed, C.data.regions, C.data.upper_vertices, C.detail
    (True, 3, 3, '3 regions = 3 upper vertices; 2 edges match')
    """
    R = term_regions(f) if cells is None else cells
    check = compare_graphs(R.graph, nx.freeze(normal_fan_graph(f)), name)
    return replace(check, data=replace(check.data, term_regions=R))


def verify_tropical(F: TropicalPolynomial, G: TropicalPolynomial,
                    product: TropicalPolynomial | None = None,
                    cells: Sequence[TermRegions] | None = None) -> list:
    """:func:`verify_correspondence` on F, G and F ⊙ G (named "F", "G", "F*G").

    *product* is F ⊙ G if already computed (e.g. under a budget on its terms);
    *cells* the region sides of F, G and F ⊙ G if already known.

    Examples
    --------
    max(0, x, 2x − 2) ⊘ max(0, 2x − 2): F ⊙ G has the 4 upper vertices
    (0, 0), (1, 0), (3, −2), (4, −4) (the lifted point (2, −2) of 0 + (2x − 2)
    lies below the upper edge from (1, 0) to (3, −2)), so 4 cells.

    >>> from tropexact.tropical.polynomial import TropicalPolynomial
    >>> F = TropicalPolynomial([((0,), 0), ((1,), 0), ((2,), -2)])
    >>> G = TropicalPolynomial([((0,), 0), ((2,), -2)])
    >>> [(c.name, c.passed, c.data.regions) for c in verify_tropical(F, G)]
    [('F', True, 3), ('G', True, 2), ('F*G', True, 4)]
    """
    FG = product if product is not None else F * G
    known = list(cells) if cells is not None else [None] * 3
    return [verify_correspondence(f, name=n, cells=c)
            for f, n, c in zip((F, G, FG), ("F", "G", "F*G"), known)]


def check_correspondence(net: Network, *, tropical: Tropicalization | None = None,
                         correspondences: Sequence[list] | None = None) -> Check:
    """Tropical cells ↔ upper vertices of P(f), with the graphs (Zhang–Naitzat–Lim 2018, §3, §6.3).

    For a tropical polynomial f = max_i t_i, the cell of term i is where t_i
    attains f; it is full-dimensional iff (α_i, c_i) is an upper vertex of
    the extended Newton polytope P(f), and two cells share a facet iff the
    two lifted points span an upper edge (the cells are the normal cones of
    P(f) cut at last coordinate 1; the dual subdivision δ(f) is the
    projection of the upper faces).  The paper counts linear regions of a
    tropical polynomial this way (§6.3); for a tropical rational function
    F ⊘ G the cells are those of F ⊙ G, one per upper vertex of P(F) + P(G).

    For every output, :func:`verify_tropical` computes both
    sides independently, for F, G and F ⊙ G: the full-dimensional cells and
    their adjacency by exact LPs and redundancy removal in Q^d, the upper
    vertices and edges by cdd's convex hull in Q^{d+1}; they must agree
    vertex for vertex and edge for edge.

    Parameters
    ----------
    net : Network
    tropical : Tropicalization, optional
        ``tropicalize(net)`` if already computed.
    correspondences : sequence, optional
        The list ``verify_tropical(F_k, G_k)`` for every output k, if already computed.

    Returns
    -------
    Check
        ``name="correspondence"``; data: the witnesses ``("graph", output, "F" | "G" |
        "F*G", regions, upper vertices, edges, passed)``.

    Examples
    --------
    >>> from tropexact.networks.model import network
    >>> net = network(1, [{"weight": [[1], [2]], "bias": [0, -2], "activation": "relu"},
    ...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    >>> check_correspondence(net).detail
    'output 0: F 2 regions = 2 upper vertices; 1 edges match, G 2 regions = 2 upper vertices; 1 edges match, F*G 3 regions = 3 upper vertices; 2 edges match'
    """
    if correspondences is None:
        T = tropicalization_of(net, tropical)
        correspondences = [verify_tropical(o.F, o.G) for o in T.outputs]
    parts, wit, ok = [], [], True
    for k, corr in enumerate(correspondences):
        for c in corr:
            ok &= c.passed
            wit.append(("graph", k, c.name, c.data.regions, c.data.upper_vertices,
                        c.data.edges, c.passed))
        parts.append(f"output {k}: " + ", ".join(f"{c.name} {c.detail}" for c in corr))
    return Check.verdict("correspondence", ok, ("" if ok else "FAILS: ") + "; ".join(parts),
                         tuple(wit))
