"""Theorem checks (tropexact.verify.theorems): each claim passes where it holds and fails on tampered input.

Layers: the named networks of data/networks with their known counts, one
tampered input per check (a wrong (F, G) pair, a segment list missing a
segment, a boundary piece off the hypersurface, a correspondence against the
wrong polytope, a bound that is too small), the caveats the checks make
explicit (level sets with interior, non-generic segments, nonlinear outputs
in the bounds), and Hypothesis-random small integer networks.
"""

from __future__ import annotations

import functools
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tropexact.networks.io import load_network
from tropexact.networks.model import network
from tropexact.bounds.published import upper_bounds
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.polyhedra import upper_hull_vertices_lp
from tropexact.regions import activation_regions, linear_regions
from tropexact.regions import normal_fan_graph, term_regions
from tropexact.verify.check import Check, Status
from tropexact.verify.correspondence import compare_graphs
from tropexact.verify.theorems import (
    BoundaryPiece,
    check_all,
    check_bounds,
    check_correspondence,
    check_decision_boundary,
    check_tropical_identity,
    check_zonotopes,
)
from tropexact.verify.theorems.decision import _level_pieces, _piece_in_hypersurface, _pieces_check
from tropexact.verify.theorems.identity import _identity_check, _interior_point
from tropexact.verify.theorems.region_bounds import _bound_architecture, _bounds_check
from tropexact.verify.theorems.zonotopes import _neuron_polytopes, _output_zonotopes, _zonotope_check
from tropexact.networks.tropicalization import tropicalize

C2 = "data/networks/zhang2018_example_c2.json"
ZON = "data/networks/zonotope_2_4_1.json"
LEAKY = "data/networks/rational_leaky_2d.json"
CAVEAT = "data/networks/caveat_1d.json"
NAMED = [C2, ZON, LEAKY, CAVEAT]


@functools.lru_cache(maxsize=None)
def load(path):
    net = load_network(path)
    return net, tropicalize(net, count_before=False), activation_regions(net)


def q(*xs):
    return tuple(Q(x) for x in xs)


def dot(a, x):
    return sum((ai * xi for ai, xi in zip(a, x)), Q(0))


# ---------------------------------------------------------------------------
# 1. nu = F - G (Thm 5.4)
# ---------------------------------------------------------------------------

def assert_identity_pieces(net, T, C, chk):
    """The pieces cover every region and every cell, and nu = F - G at every piece point."""
    assert chk.passed, chk.detail
    for k, o in enumerate(T.outputs):
        mine = [w for w in chk.data if w[1] == k]
        assert {w[2] for w in mine} == set(range(len(C.regions)))
        assert {w[3] for w in mine} == set((o.F * o.G).exponents)
        for _, _, i, e, z in mine:
            r = C.regions[i]
            assert all(b + dot(a, z) > 0 for b, a in r.inequalities)  # interior of the region
            assert (o.F * o.G).argmax(z) == ((o.F * o.G).exponents.index(e),)  # ... and the cell
            assert net(z)[k] == o.F(z) - o.G(z) == dot(r.weight[k], z) + r.bias[k]


@pytest.mark.parametrize("path", NAMED)
def test_identity_named(path):
    net, T, C = load(path)
    chk = check_tropical_identity(net, tropical=T, regions=C)
    assert isinstance(chk, Check) and chk.name == "tropical_identity"
    assert_identity_pieces(net, T, C, chk)
    assert check_tropical_identity(net) == chk  # same answer when computing T and C itself


def test_identity_c2_counts():
    # 23 activation regions, F*G has 17 cells (17 upper vertices): every activation region
    # lies inside one cell (F and G are affine on it), so the refinement has 23 pieces.
    net, T, C = load(C2)
    chk = check_tropical_identity(net, tropical=T, regions=C)
    assert len(chk.data) == 23
    assert "23 full-dimensional pieces" in chk.detail and "17 cells" in chk.detail


def test_identity_fails_on_wrong_pair():
    net, T, C = load(C2)
    F, G = T.outputs[0].F, T.outputs[0].G
    # raise the constant term of F by 1: F' - G differs from nu wherever that term is maximal
    e0, c0 = F.terms[0]
    bad = TropicalPolynomial([(e, c + 1 if e == e0 else c) for e, c in F.terms])
    ok, _, _, failures = _identity_check(C, [(bad, G)])
    assert not ok and failures
    for label, k, i, e, z, nu_map, trop_map in failures:
        assert label == "mismatch" and nu_map != trop_map
        assert net(z)[k] != bad(z) - G(z)  # a point where the identity really breaks
    # F and G swapped: nu = G - F would be -nu
    ok, *_ = _identity_check(C, [(G, F)])
    assert not ok


def test_identity_accepts_an_equivalent_pair():
    # F ⊙ x0 ⊘ G ⊙ x0 is the same function: the check proves a function identity,
    # not that the polynomials are the ones tropicalize returns.
    net, T, C = load(ZON)
    F, G = T.outputs[0].F, T.outputs[0].G
    x0 = TropicalPolynomial.monomial((1, 0))
    ok, counts, pieces, failures = _identity_check(C, [(F * x0, G * x0)])
    assert ok and not failures and counts[0][0] == len(C.regions)


def test_identity_on_a_finer_refinement():
    # (F ⊙ f) ⊘ (G ⊙ f) is still nu, but f = max(0, x0 + x1/7 - 1/3) cuts activation
    # regions, so pieces are found by LP (not the region-inside-one-cell fast path)
    net, T, C = load(C2)
    F, G = T.outputs[0].F, T.outputs[0].G
    f = TropicalPolynomial([((0, 0), 0), ((1, Q(1, 7)), Q(-1, 3))])
    ok, counts, pieces, failures = _identity_check(C, [(F * f, G * f)])
    assert ok and not failures
    n, cells = counts[0]
    assert n > len(C.regions) and n == len(pieces)
    assert len({w[2] for w in pieces}) == len(C.regions)  # every region is covered
    for _, k, i, e, z in pieces:
        assert net(z)[0] == (F * f)(z) - (G * f)(z)
    # ... and with f on one side only, the identity fails
    ok, *_ = _identity_check(C, [(F * f, G)])
    assert not ok


def test_interior_point():
    square = [(0, q(1, 0)), (0, q(0, 1)), (1, q(-1, 0)), (1, q(0, -1))]  # [0, 1]^2
    shifted = [(b - a[0] * Q(1, 2), a) for b, a in square]  # [1/2, 3/2] x [0, 1]
    beside = [(b - a[0], a) for b, a in square]  # [1, 2] x [0, 1]: shares an edge only
    z = _interior_point(square, shifted, q("1/4", "1/2"), q(1, "1/2"))
    assert z is not None and all(b + dot(a, z) > 0 for b, a in square + shifted)
    assert _interior_point(square, beside, q("1/2", "1/2"), q("3/2", "1/2")) is None
    far = [(b - a[0] * 5, a) for b, a in square]
    assert _interior_point(square, far, q("1/2", "1/2"), q("11/2", "1/2")) is None


# ---------------------------------------------------------------------------
# 2. zonotopes (one hidden layer)
# ---------------------------------------------------------------------------

def counts_of(chk, label):
    return {w[1]: w[2:] for w in chk.data if w[0] == label}


def test_zonotopes_c2():
    # C.2: output weights (1, 2, 1, -1, -3): P(H) is a zonotope of 3 segments in Q^3, in
    # general position: 1 + 3 + 3 = 7 upper vertices; P(G) of 2 segments: 1 + 2 + 1 = 4
    # (the paper's 7 and 4).  The relu output makes F = max(H, G) no zonotope: H is checked.
    net, T, _ = load(C2)
    chk = check_zonotopes(net, tropical=T)
    assert chk.passed, chk.detail
    assert counts_of(chk, "upper_vertex_count") == {"H_0": (7, 7), "G_0": (4, 4)}
    # whole zonotopes: 2 (1 + 2 + 1) = 8 and 2 (1 + 1 + 0) = 4 vertices
    assert counts_of(chk, "vertex_count") == {"H_0": (8, 8), "G_0": (4, 4)}
    segs = [w for w in chk.data if w[0] == "segment"]
    assert sorted((w[1], w[2], w[3]) for w in segs) == [
        ("G_0", 3, 1), ("G_0", 4, 3), ("H_0", 0, 1), ("H_0", 1, 2), ("H_0", 2, 1)]
    # segment of neuron 1 (row (1, -3), bias -1, weight 2): 2 [(1, 0, -1), (0, 3, 0)]
    assert [w[4:] for w in segs if w[2] == 1] == [(q(2, 0, -2), q(0, 6, 0))]


def test_zonotopes_2_4_1():
    net, T, _ = load(ZON)
    chk = check_zonotopes(net, tropical=T)
    assert chk.passed
    assert counts_of(chk, "upper_vertex_count")["H_0"] == (11, 11)  # 1 + 4 + 6
    assert counts_of(chk, "vertex_count")["H_0"] == (14, 14)  # 2 (1 + 3 + 3)


def test_zonotope_missing_segment_fails():
    net, T, _ = load(ZON)
    (shift, segs), _ = _output_zonotopes(_neuron_polytopes(net.layers[0]),
                                         net.layers[1].weight[0], net.layers[1].bias[0])
    H = T.outputs[0].H
    assert _zonotope_check("H", H, shift, segs)[0]
    for drop in range(len(segs)):
        short = segs[:drop] + segs[drop + 1:]
        ok, detail, wit = _zonotope_check("H", H, shift, short)
        assert not ok and "!= zonotope" in detail
        (_, _, v), = [w for w in wit if w[0] == "vertex"]
        # v is an upper vertex of exactly one side; the short sum by brute force (all 2^3
        # endpoint choices, upper vertices by one LP per point)
        sums = sorted({tuple(sum(x) for x in zip(shift, *choice))
                       for choice in itertools.product(*[(s[2], s[3]) for s in short])})
        brute = {sums[i] for i in upper_hull_vertices_lp(sums)}
        assert (v in set(H.lifted_points())) != (v in brute)
    # a segment with the wrong weight (doubled) fails too
    i, w, p, qq = segs[0]
    wrong = ((i, 2 * w, tuple(2 * x for x in p), tuple(2 * x for x in qq)),) + segs[1:]
    assert not _zonotope_check("H", H, shift, wrong)[0]
    # and a wrong translation (bias)
    assert not _zonotope_check("H", H, shift[:-1] + (shift[-1] + 1,), segs)[0]


def test_zonotopes_not_in_general_position():
    # three parallel hyperplanes x = 0, 1, 2: the arrangement has 4 regions, not 1 + 3 + 3
    net = network(2, [{"weight": [[1, 0], [1, 0], [1, 0]], "bias": [0, -1, -2],
                       "activation": "relu"},
                      {"weight": [[1, 1, 1]], "bias": [0], "activation": "identity"}])
    chk = check_zonotopes(net)
    assert chk.passed and "not in general position" in chk.detail
    assert "H_0" not in counts_of(chk, "upper_vertex_count")
    assert len(tropicalize(net).outputs[0].H) == 4


def test_zonotopes_leaky_hidden_relu_outputs():
    # leaky hidden layer (P(F_i) a segment, P(G_i) a point), two relu outputs:
    # the claim is checked for each output's pre-activation H and G'
    net = network(2, [{"weight": [[1, -1], [2, 1], [0, 1]], "bias": [1, 0, "-1/2"],
                       "activation": "leaky_relu", "negative_slope": "1/3"},
                      {"weight": [[1, -2, 1], [-1, 1, "1/2"]], "bias": [0, 1],
                       "activation": "relu"}])
    chk = check_zonotopes(net)
    assert chk.passed, chk.detail
    assert {w[1] for w in chk.data if w[0] == "segment"} == {"H_0", "G_0", "H_1", "G_1"}


def test_zonotopes_not_applicable():
    net, T, _ = load(LEAKY)
    chk = check_zonotopes(net, tropical=T)
    assert chk.status is Status.NOT_APPLICABLE and not chk.passed and chk.data == ()


# ---------------------------------------------------------------------------
# 3. cells <-> upper vertices
# ---------------------------------------------------------------------------

def test_correspondence_named():
    for path in NAMED:
        net, T, _ = load(path)
        chk = check_correspondence(net, tropical=T)
        assert chk.passed, chk.detail
        assert len(chk.data) == 3 * net.output_dim
    net, T, _ = load(C2)
    got = {w[2]: w[3:6] for w in check_correspondence(net, tropical=T).data}
    assert got == {"F": (8, 8, 14), "G": (4, 4, 4), "F*G": (17, 17, 30)}


def test_correspondence_against_the_wrong_polytope_fails():
    _, T, _ = load(C2)
    F = T.outputs[0].F

    def _correspondence_pair(f, fan):  # the check's own path, with the fan of another polynomial
        c = compare_graphs(term_regions(f).graph, normal_fan_graph(fan))
        return c.passed, c.detail, (c.data.regions, c.data.upper_vertices, c.data.edges)

    assert _correspondence_pair(F, F)[0]

    def moved(e0, delta):
        return TropicalPolynomial([(e, c + delta if e == e0 else c) for e, c in F.terms])

    # F = max(x0 + 7x1, 3 + 5x0 + 9x1, ...): (5, 9) is inside the Newton polygon, so sinking
    # its term far below the hull removes an upper vertex; the regions of F keep 8
    ok, detail, (regions, vertices, _) = _correspondence_pair(F, moved(q(5, 9), -1000))
    assert not ok and (regions, vertices) == (8, 7) and "not an upper vertex" in detail
    # raising it by 1 keeps 8 vertices but changes the dual subdivision (the upper edges)
    ok, detail, _ = _correspondence_pair(F, moved(q(5, 9), 1))
    assert not ok and detail.startswith("edge (1, 7) -- (7, 3)")
    # the check is combinatorial: a perturbation that keeps the subdivision is not seen
    # ((10, 13) is a vertex of the Newton polygon with a stable neighbourhood)
    assert _correspondence_pair(F, moved(q(10, 13), 1))[0]


# ---------------------------------------------------------------------------
# 4. decision boundary (Prop 6.1)
# ---------------------------------------------------------------------------

def assert_boundary(net, T, chk, c):
    """Every reported point lies on {nu = c} and in T(h), with >= 2 maximal terms."""
    assert chk.passed, chk.detail
    o = T.outputs[0]
    h = o.F + o.G * c
    pieces = [w for w in chk.data if w[0] == "piece"]
    for _, _, region, _, ties in pieces:
        for point, exps in ties:
            assert len(exps) >= 2 and net(point)[0] == c
            assert {h.terms[i][0] for i in h.argmax(point)} == set(exps)
    return pieces


@pytest.mark.parametrize("path", [C2, ZON, LEAKY, CAVEAT])
@pytest.mark.parametrize("c", [0, 1, "-1/2"])
def test_boundary_named(path, c):
    net, T, C = load(path)
    chk = check_decision_boundary(net, c, tropical=T, regions=C)
    assert chk.name == "decision_boundary"
    assert_boundary(net, T, chk, Q(c) if c != "-1/2" else Q(-1, 2))


def test_boundary_level_set_with_interior_c2():
    # C.2 has a relu output: nu = 0 on 9 whole activation regions.  There max(F, G) has a
    # single maximal term, so the literal inclusion {nu = 0} ⊆ T(h) fails; it holds for the
    # level set minus its interior, which is what passes.
    net, T, C = load(C2)
    chk = check_decision_boundary(net, 0, tropical=T, regions=C)
    inner = [w for w in chk.data if w[0] == "interior"]
    assert chk.passed and len(inner) == 9 and "has interior" in chk.detail
    h = T.outputs[0].F + T.outputs[0].G
    for _, _, i, z, exps in inner:
        assert net(z)[0] == 0 and len(h.argmax(z)) == 1 == len(exps)
        assert C.regions[i].weight[0] == q(0, 0)
    # at level 1 the level set has no interior
    chk1 = check_decision_boundary(net, 1, tropical=T, regions=C)
    assert not [w for w in chk1.data if w[0] == "interior"]
    assert "has interior" not in chk1.detail


def test_boundary_pieces_c2_level_1_are_the_level_set():
    # each piece of {nu = 1} lies in its region's closure and on the region's level line;
    # every region whose level line crosses its interior has a piece
    net, T, C = load(C2)
    maps = [(r.weight[0], r.bias[0]) for r in C.regions]
    pieces, flat = _level_pieces(C, maps, Q(1))
    assert not flat and pieces
    seen = {p.region for p in pieces}
    for p in pieces:
        r = C.regions[p.region]
        for lam in [x for x in (p.lo, p.hi) if x is not None] or [Q(0)]:
            x = p.at(lam)
            assert all(b + dot(a, x) >= 0 for b, a in r.inequalities)
            assert dot(r.weight[0], x) + r.bias[0] == 1 == net(x)[0]
    for i, r in enumerate(C.regions):
        w, b = r.weight[0], r.bias[0]
        if any(w):  # the foot of the perpendicular from the region's point to the line
            t = (1 - b - dot(w, r.point)) / dot(w, w)
            x = tuple(z + t * wi for z, wi in zip(r.point, w))
            if all(bi + dot(a, x) > 0 for bi, a in r.inequalities):
                assert i in seen


def test_boundary_1d_points():
    # caveat_1d: nu = 0, x, 2 - x, 0 on (-inf, 0], [0, 1], [1, 2], [2, inf): {nu = 1/2} = {1/2, 3/2}
    net, T, C = load(CAVEAT)
    chk = check_decision_boundary(net, "1/2", tropical=T, regions=C)
    pieces = assert_boundary(net, T, chk, Q(1, 2))
    assert sorted(w[3] for w in pieces) == ["point (1/2)", "point (3/2)"]


def test_piece_off_the_hypersurface_fails():
    net, T, C = load(C2)
    o = T.outputs[0]
    h = o.F + o.G * 1
    maps = [(r.weight[0], r.bias[0]) for r in C.regions]
    good, _ = _level_pieces(C, maps, Q(1))
    assert _pieces_check(h, good, "nu")[0]
    # a short segment from a region's interior point in a generic direction: not in T(h)
    z = C.regions[0].point
    bad = BoundaryPiece(0, z, q("1/1000", "1/997"), Q(0), Q(1))
    ok, ties = _piece_in_hypersurface(h, bad)
    assert not ok
    point, exps = ties[0]
    assert len(exps) == 1 and len(h.argmax(point)) == 1
    ok, wit, failures = _pieces_check(h, list(good) + [bad], "nu")
    assert not ok and len(failures) == 1 and failures[0][0] == "not_in_hypersurface"
    # a true piece shifted off the level set also fails
    p = next(p for p in good if p.kind == "segment")
    shifted = BoundaryPiece(p.region, tuple(x + Q(1, 100) for x in p.base), p.direction, p.lo, p.hi)
    assert not _piece_in_hypersurface(h, shifted)[0]
    # a ray and a line through the interior of a region fail as well
    assert not _piece_in_hypersurface(h, BoundaryPiece(0, z, q(1, 3), Q(0), None))[0]
    assert not _piece_in_hypersurface(h, BoundaryPiece(0, z, q(1, 3), None, None))[0]


def test_boundary_two_outputs():
    net = network(2, [{"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, -1],
                       "activation": "relu"},
                      {"weight": [[1, -1, 1], [0, 2, -1]], "bias": [0, 1],
                       "activation": "identity"}])
    chk = check_decision_boundary(net)
    assert chk.passed, chk.detail
    assert {w[1] for w in chk.data} == {"nu0-nu1"}
    T = tropicalize(net)
    h = T.outputs[0].F * T.outputs[1].G + T.outputs[1].F * T.outputs[0].G
    for _, _, _, _, ties in chk.data:
        for point, exps in ties:
            v = net(point)
            assert v[0] == v[1] and len(h.argmax(point)) >= 2


def test_boundary_not_applicable_d3():
    net = network(3, [{"weight": [[1, 0, 0]], "bias": [0], "activation": "relu"},
                      {"weight": [[1]], "bias": [0], "activation": "identity"}])
    chk = check_decision_boundary(net)
    assert chk.status is Status.NOT_APPLICABLE and not chk.passed


# ---------------------------------------------------------------------------
# 5. bounds
# ---------------------------------------------------------------------------

def test_bound_architecture():
    assert _bound_architecture(load(C2)[0]) == ((2, 5, 1, 1), True)  # relu output: one more layer
    assert _bound_architecture(load(ZON)[0]) == ((2, 4, 1), True)
    assert _bound_architecture(load(LEAKY)[0]) == ((2, 3, 2, 1), False)


def test_bounds_check_fails_on_a_small_bound():
    assert _bounds_check(15, 23, {"a": 23, "b": 100})[0]
    ok, text, wit = _bounds_check(15, 23, {"a": 23, "too_small": 16})
    assert not ok and "EXCEEDED" in text
    assert [w[-1] for w in wit] == [True, False]
    assert not _bounds_check(15, 23, {"below_linear": 14})[0]
    assert not _bounds_check(5, 4, {})[0]  # linear regions above activation regions


def test_check_bounds_with_explicit_bounds():
    # C.2: 15 linear regions, 23 activation regions
    net, _, C = load(C2)
    chk = check_bounds(net, regions=C, bounds={"exact": 23, "loose": 100})
    assert chk.passed and chk.data[0] == ("architecture", (2, 5, 1, 1))
    # 16 bounds the linear regions but not the activation regions: the check asserts both
    chk = check_bounds(net, regions=C, bounds={"sixteen": 16})
    assert not chk.passed and "EXCEEDED" in chk.detail
    assert chk.data[1] == ("bound", "sixteen", 16, 15, 23, False)
    assert not check_bounds(net, regions=C, bounds={"fourteen": 14}).passed


@pytest.mark.parametrize("path", NAMED)
def test_bounds_named(path):
    net, _, C = load(path)
    chk = check_bounds(net, regions=C)
    assert chk.passed, chk.detail
    (_, arch), *rest = chk.data
    assert arch == _bound_architecture(net)[0] and rest
    for _, name, B, lin, act, good in rest:
        assert good and lin == len(linear_regions(C)) <= act == len(C.regions) <= B
    if path == LEAKY:
        assert "serra2018" not in {w[1] for w in rest}


def test_relu_output_needs_the_extra_layer():
    # C.2 has 23 activation regions; the bounds of (2, 5, 1) (the relu output ignored) give
    # at most 16, so the relu output must count as a layer: (2, 5, 1, 1)
    net, _, C = load(C2)
    assert min(upper_bounds((2, 5, 1)).values()) < len(C.regions) == 23
    assert check_bounds(net, regions=C).passed


# ---------------------------------------------------------------------------
# all checks, random networks
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", NAMED)
def test_check_all_named(path):
    net = load(path)[0]
    checks = check_all(net)
    assert [c.name for c in checks] == ["tropical_identity", "zonotopes", "correspondence",
                                        "decision_boundary", "bounds"]
    # a check whose hypotheses fail for the network is "not applicable", not a pass
    assert not any(c.failed for c in checks), [c.detail for c in checks if c.failed]


def test_check_all_explicit_bounds():
    net, _, C = load(ZON)  # attains the one-layer count 1 + 4 + 6 = 11 exactly
    checks = check_all(net, bounds={"zaslavsky": 11})
    assert all(c.passed for c in checks) and len(checks) == 5
    assert not check_all(net, bounds={"zaslavsky": 10})[-1].passed


@st.composite
def small_nets(draw):
    d = draw(st.integers(1, 2))
    depth = draw(st.integers(1, 2))
    layers, prev = [], d
    for _ in range(depth):
        w = draw(st.integers(1, 3))
        act = draw(st.sampled_from(["relu", "relu", "leaky_relu"]))
        L = {"weight": [[draw(st.integers(-2, 2)) for _ in range(prev)] for _ in range(w)],
             "bias": [draw(st.integers(-2, 2)) for _ in range(w)], "activation": act}
        if act == "leaky_relu":
            L["negative_slope"] = "1/2"
        layers.append(L)
        prev = w
    p = draw(st.integers(1, 2))
    layers.append({"weight": [[draw(st.integers(-2, 2)) for _ in range(prev)] for _ in range(p)],
                   "bias": [draw(st.integers(-2, 2)) for _ in range(p)],
                   "activation": draw(st.sampled_from(["identity", "identity", "relu"]))})
    return network(d, layers)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(), st.integers(-1, 1))
def test_random_networks(net, c):
    T = tropicalize(net, count_before=False)
    C = activation_regions(net)
    assert_identity_pieces(net, T, C, check_tropical_identity(net, tropical=T, regions=C))
    z = check_zonotopes(net, tropical=T)
    assert not z.failed, z.detail
    assert (len(net.layers) == 2 and net.layers[0].activation != "identity") \
        != (z.status is Status.NOT_APPLICABLE)
    assert check_correspondence(net, tropical=T).passed
    b = check_decision_boundary(net, c, tropical=T, regions=C)
    assert b.passed, b.detail
    chk = check_bounds(net, regions=C)
    assert chk.passed, chk.detail


@pytest.mark.parametrize("path", NAMED)
def test_identity_reuses_the_cells_of_the_correspondence(path):
    # verify computes the regions of F*G once (for the correspondence) and hands them to
    # the proof of Thm 5.4: the proof must be the same as with its own computation
    from tropexact.verify.correspondence import verify_tropical

    net, T, C = load(path)
    products = [verify_tropical(o.F, o.G)[2].data.term_regions for o in T.outputs]
    mine = check_tropical_identity(net, tropical=T, regions=C)
    shared = check_tropical_identity(net, tropical=T, regions=C, products=products)
    assert (shared.status, shared.detail, shared.data) == (mine.status, mine.detail, mine.data)


# -- the upper envelope of lines (decision boundary pieces) -------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-4, 4), st.fractions(-6, 6, max_denominator=4)),
                min_size=1, max_size=12))
def test_envelope_breaks_against_all_pairwise_crossings(lines):
    # brute force: cut at every crossing of two lines, take the maximal (m, q) on each
    # open sub-interval (and beyond the ends), merge repeats; the envelope must give
    # the same sequence, with exactly one change of maximal line at each break
    from tropexact.verify.theorems.decision import _envelope_breaks
    lines = [(Q(m), Q(q), k) for k, (m, q) in enumerate(lines)]

    def top(lam):
        return max((m * lam + q, m) for m, q, _ in lines)[1]  # value, then slope

    def sequence(cuts):
        cuts = sorted(set(cuts))
        if not cuts:
            return [top(Q(0))]
        tests = [cuts[0] - 1] + [(a + b) / 2 for a, b in zip(cuts, cuts[1:])] + [cuts[-1] + 1]
        seq = [top(t) for t in tests]
        return [s for i, s in enumerate(seq) if i == 0 or s != seq[i - 1]]

    crossings = [(q2 - q1) / (m1 - m2) for (m1, q1, _), (m2, q2, _) in
                 itertools.combinations(lines, 2) if m1 != m2]
    breaks = _envelope_breaks(lines)
    assert breaks == sorted(set(breaks))
    assert sequence(breaks) == sequence(crossings)
    assert len(sequence(breaks)) == len(breaks) + 1
