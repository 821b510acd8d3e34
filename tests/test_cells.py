"""Tropical cells: regions in input space against upper vertices/edges in polytope space.

Layers: named examples with hand derivations (every count is derived in a
comment), degenerate cases (non-vertex terms, ties, lower-dimensional Newton
polytopes, one term, the tropical zero), the docs/design.md §2 facts, and Hypothesis
properties on small integer data (many degeneracies), cross-checking the two
sides of the correspondence and the two redundancy-removal paths.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tropexact.regions.cells import (
    cell_containing,
    normal_fan_graph,
    term_regions,
    tropical_cells,
)
from tropexact.verify.check import Check
from tropexact.verify.correspondence import compare_graphs, verify_correspondence, verify_tropical
from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial, tropical_product_polys

FEW = settings(max_examples=40, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])


def P(*terms):
    """TropicalPolynomial from (exponent, coefficient) pairs; strings allowed for p/q."""
    return TropicalPolynomial([(e, Q(Fraction(c)) if isinstance(c, str) else c) for e, c in terms])


def q(*xs):
    return tuple(Q(x) for x in xs)


def edges(G):
    return {frozenset(e) for e in G.edges}


def E(*pairs):
    return {frozenset((q(*a), q(*b))) for a, b in pairs}


def strictly_dominant(f, w, i):
    return f.argmax(w) == (i,)


def check_regions(f, R):
    """Invariants of any TermRegions: witnesses strictly inside, rows are t_i ≥ t_j facets."""
    for r in R.regions:
        assert strictly_dominant(f, r.point, r.index)
        assert r.margin > 0
        assert r.contains(r.point)
        ai, ci = f.terms[r.index]
        for (b, a), j in zip(r.inequalities, r.neighbors):
            aj, cj = f.terms[j]
            assert b == ci - cj and a == tuple(x - y for x, y in zip(ai, aj))
            assert b + sum(x * y for x, y in zip(a, r.point)) > 0
        assert R.graph.nodes[r.exponent]["point"] == r.point
        assert set(R.graph[r.exponent]) == {f.terms[j][0] for j in r.neighbors}


# ---------------------------------------------------------------------------
# named examples, d = 1
# ---------------------------------------------------------------------------

def test_relu_d1():
    # max(0, x): t_0 = 0 wins on x ≤ 0, t_1 = x on x ≥ 0; one shared facet {0}.
    f = P(((0,), 0), ((1,), 0))
    R = term_regions(f)
    check_regions(f, R)
    assert [r.exponent for r in R.regions] == [q(0), q(1)]
    assert R.regions[0].inequalities == ((Q(0), q(-1)),)  # 0 − x ≥ 0
    assert R.regions[1].inequalities == ((Q(0), q(1)),)  # x − 0 ≥ 0
    assert R.regions[0].point[0] < 0 < R.regions[1].point[0]
    assert edges(R.graph) == E(((0,), (1,)))
    assert R.empty_interior == ()
    C = verify_correspondence(f)
    assert C.passed and C.detail == "2 regions = 2 upper vertices; 1 edges match"


def test_three_pieces_d1():
    # max(0, x, 2x − 2): x ≥ 0 ⇔ t_1 ≥ t_0, x ≤ 2 ⇔ t_1 ≥ t_2, so the regions are
    # (−∞, 0], [0, 2], [2, ∞): 3 regions in a path (2 edges); the middle one is bounded.
    f = P(((0,), 0), ((1,), 0), ((2,), -2))
    R = term_regions(f)
    check_regions(f, R)
    assert len(R.regions) == 3 and edges(R.graph) == E(((0,), (1,)), ((1,), (2,)))
    mid = R.regions[1]
    assert set(mid.inequalities) == {(Q(0), q(1)), (Q(2), q(-1))}  # x ≥ 0, 2 − x ≥ 0
    assert mid.is_bounded() and not R.regions[0].is_bounded()
    assert 0 < mid.point[0] < 2
    assert verify_correspondence(f).passed


def test_non_vertex_term_on_upper_edge_d1():
    # max(0, x − 1, 2x − 2): the lifted point (1, −1) is the midpoint of (0, 0) and
    # (2, −2), so t_1 = (t_0 + t_2)/2 ≤ max(t_0, t_2) with equality only at x = 1.
    # Term 1 has no interior; t_0 − t_1 and t_0 − t_2 are proportional (same hyperplane).
    f = P(((0,), 0), ((1,), -1), ((2,), -2))
    R = term_regions(f)
    check_regions(f, R)
    assert R.empty_interior == (1,)
    assert [r.index for r in R.regions] == [0, 2]
    assert R.regions[0].neighbors == (2,)  # the duplicate hyperplane names one neighbour
    assert edges(R.graph) == E(((0,), (2,)))
    assert verify_correspondence(f).passed
    assert f.argmax([1]) == (0, 1, 2)


def test_several_terms_tie_d1():
    # max(0, x − 1, 2x − 2, 3x − 3): four collinear lifted points (k, −k); only the
    # ends are upper vertices; all four terms tie at x = 1: 2 regions, 1 edge.
    f = P(((0,), 0), ((1,), -1), ((2,), -2), ((3,), -3))
    R = term_regions(f)
    check_regions(f, R)
    assert R.empty_interior == (1, 2) and edges(R.graph) == E(((0,), (3,)))
    assert f.argmax([1]) == (0, 1, 2, 3)
    assert cell_containing(f, [1]) == (q(0), q(3))
    assert verify_correspondence(f).passed


def test_term_below_upper_hull_d1():
    # max(0, x − 5, 2x): (1, −5) lies strictly below the segment from (0, 0) to (2, 0):
    # t_1 < max(t_0, t_2) everywhere (at x = 0 it is −5 < 0), so no tie at all.
    f = P(((0,), 0), ((1,), -5), ((2,), 0))
    R = term_regions(f)
    assert R.empty_interior == (1,) and len(R.regions) == 2
    assert verify_correspondence(f).passed


# ---------------------------------------------------------------------------
# named examples, d = 2 and 3
# ---------------------------------------------------------------------------

def test_max_x_y_half_planes():
    # max(x, y): Newton polytope is the segment [(1,0), (0,1)] (lower-dimensional in Q²);
    # regions are the half-planes x ≥ y and y ≥ x sharing the line x = y.
    f = P(((1, 0), 0), ((0, 1), 0))
    R = term_regions(f)
    check_regions(f, R)
    by = {r.exponent: r for r in R.regions}
    assert by[q(1, 0)].inequalities == ((Q(0), q(1, -1)),)
    assert by[q(0, 1)].inequalities == ((Q(0), q(-1, 1)),)
    assert not any(r.is_bounded() for r in R.regions)
    assert edges(R.graph) == E(((0, 1), (1, 0)))
    assert verify_correspondence(f).detail == "2 regions = 2 upper vertices; 1 edges match"


def test_max_0_x_y_triangle():
    # max(0, x, y): three cones around the origin, each with 2 facets; P(f) is a
    # triangle, all three sides upper edges: 3 regions, 3 edges (K3).
    f = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0))
    R = term_regions(f)
    check_regions(f, R)
    assert len(R.regions) == 3 and all(len(r.inequalities) == 2 for r in R.regions)
    assert edges(R.graph) == E(((0, 0), (1, 0)), ((0, 0), (0, 1)), ((1, 0), (0, 1)))
    assert verify_correspondence(f).passed


def test_square_with_raised_corner():
    # polytope.upper_hull's docstring example: max(0, x, y, 1 + x + y).  Upper hull =
    # two triangles glued along the raised diagonal (0,0)–(1,1): 4 vertices, 5 edges;
    # (1,0)–(0,1) is not an edge.  By hand: R_(1,0) = {x ≥ 0, y ≤ −1} (the row x ≥ y
    # is implied, x ≥ 0 > −1 ≥ y), R_(1,1) = {x ≥ −1, y ≥ −1, x + y ≥ −1}.
    f = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 1))
    R = term_regions(f)
    check_regions(f, R)
    r10 = R.region_of((1, 0))
    assert set(r10.inequalities) == {(Q(0), q(1, 0)), (Q(-1), q(0, -1))}
    assert len(R.region_of((1, 1)).inequalities) == 3
    assert edges(R.graph) == E(((0, 0), (1, 0)), ((0, 0), (0, 1)), ((0, 0), (1, 1)),
                               ((1, 0), (1, 1)), ((0, 1), (1, 1)))
    assert edges(normal_fan_graph(f)) == edges(R.graph)
    assert verify_correspondence(f).detail == "4 regions = 4 upper vertices; 5 edges match"


def test_flat_square_point_contact_is_not_adjacency():
    # max(0, x, y, x + y): all lifted points at height 0, one upper facet (the square),
    # whose 4 sides are the upper edges; the diagonals are not.  The regions are the
    # quadrants; R_(0,0) and R_(1,1) meet only at the origin: 4 regions, 4 edges.
    f = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 0))
    R = term_regions(f)
    check_regions(f, R)
    assert len(R.regions) == 4
    assert not R.graph.has_edge(q(0, 0), q(1, 1)) and not R.graph.has_edge(q(1, 0), q(0, 1))
    assert R.graph.number_of_edges() == 4
    assert verify_correspondence(f).passed


def test_ties_on_upper_face_d2():
    # max(0, x, 3x, 3y, x + y): lifted points (0,0,0), (1,0,0), (3,0,0), (0,3,0), (1,1,0)
    # on one flat upper facet, the triangle with vertices (0,0), (3,0), (0,3).  (1,0)
    # lies on the upper edge (0,0)–(3,0) (its hyperplane x = 0 against t_(0,0)
    # duplicates that of (3,0)), (1,1) inside the facet: 3 regions, 3 edges, and
    # all five terms tie at the origin.
    f = P(((0, 0), 0), ((1, 0), 0), ((3, 0), 0), ((0, 3), 0), ((1, 1), 0))
    R = term_regions(f)
    check_regions(f, R)
    assert {f.terms[i][0] for i in R.empty_interior} == {q(1, 0), q(1, 1)}
    assert set(R.graph.nodes) == {q(0, 0), q(3, 0), q(0, 3)}
    assert R.graph.number_of_edges() == 3
    assert len(f.argmax([0, 0])) == 5
    assert verify_correspondence(f).passed


def test_slabs_lower_dimensional_newton_polytope():
    # max(0, x + y − 1, 2x + 2y − 4): exponents on the line through (1, 1); with
    # u = x + y the terms are 0, u − 1, 2u − 4, so the regions are the slabs
    # u ≤ 1, 1 ≤ u ≤ 3, u ≥ 3 (lifted slopes −1, −3 decrease: all upper vertices).
    f = P(((0, 0), 0), ((1, 1), -1), ((2, 2), -4))
    R = term_regions(f)
    check_regions(f, R)
    mid = R.region_of((1, 1))
    assert set(mid.inequalities) == {(Q(-1), q(1, 1)), (Q(3), q(-1, -1))}
    assert not any(r.is_bounded() for r in R.regions)
    assert edges(R.graph) == E(((0, 0), (1, 1)), ((1, 1), (2, 2)))
    assert verify_correspondence(f).passed


def test_lower_dimensional_in_d3():
    # max(0, x, y) in 3 variables: the regions are the d = 2 cones times the z-axis
    # (prisms): 3 regions, 3 edges.  And max(0, x + y + z, 2x + 2y + 2z − 3) (exponents
    # on a line): 3 slabs in a path (slopes 1, −3 of the lifted chain decrease).
    f = P(((0, 0, 0), 0), ((1, 0, 0), 0), ((0, 1, 0), 0))
    R = term_regions(f)
    check_regions(f, R)
    assert len(R.regions) == 3 and R.graph.number_of_edges() == 3
    assert verify_correspondence(f).passed
    g = P(((0, 0, 0), 0), ((1, 1, 1), 1), ((2, 2, 2), -3))
    R = term_regions(g)
    check_regions(g, R)
    assert len(R.regions) == 3 and R.graph.number_of_edges() == 2
    assert verify_correspondence(g).passed


@pytest.mark.parametrize("d", [2, 3, 4])
def test_simplex_regions_complete_graph(d):
    # max(0, x_1, …, x_d): P(f) is the standard simplex, every pair of vertices is an
    # edge: d + 1 regions, C(d + 1, 2) edges (any two cones share a facet).
    f = P(((0,) * d, 0), *[(tuple(int(i == k) for i in range(d)), 0) for k in range(d)])
    R = term_regions(f)
    check_regions(f, R)
    assert len(R.regions) == d + 1
    assert R.graph.number_of_edges() == (d + 1) * d // 2
    assert verify_correspondence(f).passed


def test_three_generic_lines_arrangement():
    # max(0, x) ⊙ max(0, y) ⊙ max(0, x + y − 1): the arrangement of the lines x = 0,
    # y = 0, x + y = 1 (no two parallel, not concurrent) has Σ_{j≤2} C(3, j) = 7 regions
    # (docs/design.md §3); each line is cut into 3 pieces by the other two, and each piece is
    # one shared facet: 9 edges.
    x0 = P(((0, 0), 0), ((1, 0), 0))
    x1 = P(((0, 0), 0), ((0, 1), 0))
    x2 = P(((0, 0), 0), ((1, 1), -1))
    f = tropical_product_polys([x0, x1, x2], 2)
    R = term_regions(f)
    check_regions(f, R)
    assert len(R.regions) == 7 and R.graph.number_of_edges() == 9
    assert verify_correspondence(f).detail == "7 regions = 7 upper vertices; 9 edges match"


def test_rational_exponents_and_coefficients():
    # max(0, x/2 + 1/3, 3x/2 − 1): t_1 ≥ t_0 ⇔ x ≥ −2/3; t_1 ≥ t_2 ⇔ x ≤ 4/3.
    f = P(((0,), 0), (("1/2",), "1/3"), (("3/2",), -1))
    R = term_regions(f)
    check_regions(f, R)
    mid = R.region_of(["1/2"])
    assert {-b / a[0] for b, a in mid.inequalities} == {Q(-2, 3), Q(4, 3)}
    assert verify_correspondence(f).passed


# ---------------------------------------------------------------------------
# trivial polynomials
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 3])
def test_single_term_whole_space(d):
    # one term: R_0 = Q^d, no facets, no edges; its lifted point is the one upper vertex
    f = P(((1,) * d, 5))
    R = term_regions(f)
    assert len(R.regions) == 1 and R.regions[0].inequalities == ()
    assert R.regions[0].contains((10**6,) * d) and not R.regions[0].is_bounded()
    assert R.graph.number_of_nodes() == 1 and R.graph.number_of_edges() == 0
    assert verify_correspondence(f).detail == "1 regions = 1 upper vertices; 0 edges match"


@pytest.mark.parametrize("d", [1, 2, 3])
def test_tropical_zero_has_no_regions(d):
    f = TropicalPolynomial.zero(d)
    R = term_regions(f)
    assert R.regions == () and R.empty_interior == () and R.graph.number_of_nodes() == 0
    C = verify_correspondence(f)
    assert C.passed and C.data.regions == C.data.upper_vertices == 0
    with pytest.raises(InputError):
        cell_containing(f, (0,) * d)


# ---------------------------------------------------------------------------
# docs/design.md §2 facts and the rational-function helpers
# ---------------------------------------------------------------------------

def test_design_fact_cancellation_two_cells():
    # max(x, y) ⊘ max(x, y) = 0 (1 linear region), but F ⊙ G = max(2x, x + y, 2y)
    # reduces to max(2x, 2y) ((1,1,0) is the midpoint of the upper edge): 2 cells.
    F = P(((1, 0), 0), ((0, 1), 0))
    for method in ("hull", "regions"):
        assert tropical_cells(F, F, method=method) == {"F_cells": 2, "G_cells": 2, "FG_cells": 2}
    assert all(c.passed for c in verify_tropical(F, F))


def test_design_fact_four_cells():
    # max(0, x, 2x − 2) ⊘ max(0, 2x − 2): breakpoints of F at 0, 2 and of G at 1, so
    # F ⊙ G has the regions cut at 0, 1, 2: 4 cells (upper vertices (0,0), (1,0),
    # (3,−2), (4,−4); (2,−2) lies below the edge (1,0)–(3,−2)).
    F = P(((0,), 0), ((1,), 0), ((2,), -2))
    G = P(((0,), 0), ((2,), -2))
    for method in ("hull", "regions"):
        assert tropical_cells(F, G, method=method) == {"F_cells": 3, "G_cells": 2, "FG_cells": 4}
    cs = verify_tropical(F, G)
    assert [c.name for c in cs] == ["F", "G", "F*G"]
    assert [(c.passed, c.data.regions, c.data.upper_vertices) for c in cs] == \
        [(True, 3, 3), (True, 2, 2), (True, 4, 4)]
    assert isinstance(cs[2], Check)
    assert edges(cs[2].data.region_graph) == edges(cs[2].data.fan_graph) == \
        E(((0,), (1,)), ((1,), (3,)), ((3,), (4,)))


def test_tropical_cells_bad_method():
    F = P(((0,), 0))
    with pytest.raises(InputError):
        tropical_cells(F, F, method="lp")


def test_cell_containing():
    # max(0, x, y): interior points name one cell, the origin all three, (1, 1) two
    f = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0))
    assert cell_containing(f, [-1, -2]) == (q(0, 0),)
    assert cell_containing(f, [0, 0]) == (q(0, 0), q(0, 1), q(1, 0))
    assert cell_containing(f, [1, 1]) == (q(0, 1), q(1, 0))


def _ok_detail(check):
    return check.passed, check.detail


def test_failure_detail_names_first_difference():
    # compare the region graph of max(0, x, y) with the fan of max(0, x, 2y) on purpose
    f = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0))
    g = P(((0, 0), 0), ((1, 0), 0), ((0, 2), 0))
    ok, detail = _ok_detail(compare_graphs(term_regions(f).graph, normal_fan_graph(g)))
    assert not ok and "term (0, 1) has a full-dimensional region" in detail
    # same nodes, one edge missing: the square's fan against the flat square's regions
    sq = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 1))
    flat = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 0))
    ok, detail = _ok_detail(compare_graphs(term_regions(flat).graph, normal_fan_graph(sq)))
    assert not ok and detail == \
        "edge (0, 0) -- (1, 1) is an upper edge of P(f) but the two regions share no facet"


# ---------------------------------------------------------------------------
# properties on random small integer polynomials (many degeneracies)
# ---------------------------------------------------------------------------

@st.composite
def small_polys(draw, dims=(1, 2, 3), max_terms=8):
    d = draw(st.sampled_from(dims))
    exps = draw(st.lists(st.tuples(*[st.integers(0, 3)] * d), min_size=1, max_size=max_terms,
                         unique=True))
    coeffs = draw(st.lists(st.integers(-2, 2), min_size=len(exps), max_size=len(exps)))
    return TropicalPolynomial(list(zip(exps, coeffs)))


@FEW
@given(small_polys())
def test_property_correspondence(f):
    C = verify_correspondence(f)
    assert C.passed, C.detail
    assert C.data.regions == C.data.upper_vertices == len(f.reduced())


@FEW
@given(small_polys())
def test_property_witnesses_connected_and_reduced_terms(f):
    R = term_regions(f)
    check_regions(f, R)
    # the regions cover Q^d and neighbours across a facet are adjacent: connected
    assert nx.is_connected(R.graph)
    # exactly the terms of the reduced form have full-dimensional regions
    assert tuple(f.terms[r.index] for r in R.regions) == f.reduced().terms
    assert sorted(R.empty_interior + tuple(r.index for r in R.regions)) == list(range(len(f)))
    # and pruning changes nothing but the term numbering
    Rr = term_regions(f.reduced())
    assert [(r.exponent, set(r.inequalities)) for r in R.regions] == \
        [(r.exponent, set(r.inequalities)) for r in Rr.regions]


@FEW
@given(small_polys(dims=(1, 2, 3), max_terms=10))
def test_property_prefilter_matches_plain_redundancy_removal(f):
    a = term_regions(f, prefilter=True)
    b = term_regions(f, prefilter=False)
    assert [(r.index, set(r.inequalities), set(r.neighbors)) for r in a.regions] == \
        [(r.index, set(r.inequalities), set(r.neighbors)) for r in b.regions]


@FEW
@given(st.sampled_from([1, 2]).flatmap(lambda d: st.tuples(small_polys(dims=(d,), max_terms=6),
                                                           small_polys(dims=(d,), max_terms=6))))
def test_property_tropical_cells(fg):
    f, g = fg
    cs = verify_tropical(f, g)
    assert all(c.passed for c in cs), [c.detail for c in cs]
    counts = tropical_cells(f, g)
    assert counts == {"F_cells": cs[0].data.regions, "G_cells": cs[1].data.regions,
                      "FG_cells": cs[2].data.regions}


@settings(max_examples=30, deadline=None, database=None)
@given(small_polys(dims=(2, 3), max_terms=6), st.lists(st.integers(-3, 3), min_size=3, max_size=3))
def test_property_cell_containing_matches_regions(f, x):
    x = x[:f.nvars]
    R = term_regions(f)
    inside = tuple(sorted(r.exponent for r in R.regions if r.contains(x)))
    assert tuple(sorted(cell_containing(f, x))) == inside


def test_unreduced_product_expansion():
    # (max(0, x, y))^{⊙2} expanded without pruning has the 6 exponents of degree ≤ 2;
    # all lie on the flat upper face 2·triangle and only its 3 corners are vertices.
    from tropexact.tropical.polynomial import expand_power

    f = P(((0, 0), 0), ((1, 0), 0), ((0, 1), 0))
    g = expand_power(f, 2, reduce=False)
    assert len(g) == 6
    R = term_regions(g)
    assert len(R.regions) == 3 and len(R.empty_interior) == 3
    assert verify_correspondence(g).passed


def test_many_terms_paraboloid_d2():
    # c = −|α|² makes every lifted point (α, −|α|²) an upper vertex (strictly concave
    # lift): the 10 × 10 grid gives 100 regions.  Every unit square has 4 cocircular
    # corners, so the upper faces are the squares and the upper edges the grid edges:
    # 2 · 10 · 9 = 180.
    grid = list(itertools.product(range(10), repeat=2))
    f = TropicalPolynomial([(e, -(e[0] ** 2 + e[1] ** 2)) for e in grid])
    C = verify_correspondence(f)
    assert C.passed and C.data.regions == 100 and C.data.region_graph.number_of_edges() == 180


def test_many_terms_paraboloid_d3():
    # the 5 × 5 × 6 grid under −|α|²: 150 regions; upper faces are the unit cubes, so
    # the edges are the grid edges: 4·5·6 + 5·4·6 + 5·5·5 = 120 + 120 + 125 = 365.
    grid = list(itertools.product(range(5), range(5), range(6)))
    f = TropicalPolynomial([(e, -sum(x * x for x in e)) for e in grid])
    C = verify_correspondence(f)
    assert C.passed and C.data.regions == 150 and C.data.region_graph.number_of_edges() == 365


# -- linear regions of a tropical rational function (docs/design.md §2 facts) ----------

def test_design_caveat_linear_regions_maps_cells():
    from tropexact.regions.cells import rational_linear_regions

    # max(0, x, 2x−2) ⊘ max(0, 2x−2) on Q: cells of F⊙G at breakpoints 0, 1, 2
    # (4 cells); F − G is 0, x, 2 − x, 0 on them: 4 linear regions (the two
    # zero pieces are not adjacent), 3 distinct maps.
    F = TropicalPolynomial([((0,), 0), ((1,), 0), ((2,), -2)])
    G = TropicalPolynomial([((0,), 0), ((2,), -2)])
    L = rational_linear_regions(F, G)
    assert len(L) == 4 and len({m for m, _ in L}) == 3
    assert tropical_cells(F, G)["FG_cells"] == 4
    zero = ((Q(0),), Q(0))
    assert sum(m == zero for m, _ in L) == 2


def test_design_cancellation():
    from tropexact.regions.cells import rational_linear_regions

    # max(x, y) ⊘ max(x, y) ≡ 0: one linear region, but F⊙G = max(2x, 2y) has 2 cells.
    F = TropicalPolynomial([((1, 0), 0), ((0, 1), 0)])
    L = rational_linear_regions(F, F)
    assert len(L) == 1 and L[0][0] == ((Q(0), Q(0)), Q(0))
    assert tropical_cells(F, F)["FG_cells"] == 2
