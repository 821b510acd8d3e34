"""Activation regions, linear regions and affine maps (tropexact.regions).

Four layers of tests:

* named examples whose counts are derived in comments (or quoted from the
  paper, Zhang–Naitzat–Lim 2018, Appendix C.2), degenerate nets included;
* properties every enumeration must have (points strictly inside, sign
  vectors reproduced by a forward pass, ν equal to the affine map there,
  irredundant H-representations, a connected adjacency graph);
* a cross-check against the independent LP enumeration of
  tests/reference_regions.py on random integer and rational nets with many
  coincidences (Hypothesis);
* regression tests named after bugs.
"""

from __future__ import annotations

import itertools
import os
import sys
from fractions import Fraction
from math import comb

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reference_regions import (  # noqa: E402
    reference_adjacency,
    reference_affine_maps,
    reference_linear_regions,
    reference_regions,
)

from tropexact.cli.options import parse_domain  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.errors import BudgetExceeded, InputError  # noqa: E402
from tropexact.networks.io import load_network, network_from_dict  # noqa: E402
from tropexact.networks.model import network  # noqa: E402
from tropexact.exact.numbers import Q  # noqa: E402
from tropexact.polyhedra import from_inequalities, irredundant  # noqa: E402
from tropexact.regions import (  # noqa: E402
    activation_regions,
    affine_map_count,
    linear_regions,
    sign_vector_at,
)

C2 = "data/networks/zhang2018_example_c2.json"


def one_layer(rows, biases, out=None, act="relu"):
    """ν = out · σ(W x + b) with an identity output layer."""
    n = len(rows)
    out = out or [1] * n
    first = {"weight": rows, "bias": biases, "activation": act}
    if act == "leaky_relu":
        first["negative_slope"] = "1/2"
    return network(len(rows[0]), [
        first,
        {"weight": [out], "bias": [0], "activation": "identity"}])


def check_complex(C):
    """Properties every RegionComplex must have; returns it for chaining."""
    net = C.network
    d = net.input_dim
    assert len({r.signs for r in C.regions}) == len(C.regions)
    for i, r in enumerate(C.regions):
        # the point is strictly inside the irredundant H-representation and the domain
        assert all(b + sum(a_ * x for a_, x in zip(a, r.point)) > 0 for b, a in r.inequalities)
        if C.domain is not None:
            assert C.domain.contains_strictly(r.point)
        # a forward pass sees the same signs ('0' neurons sit at their breakpoint)
        seen = sign_vector_at(net, r.point)
        assert all(s == t or (s == "0" and t == "0") for s, t in zip(r.signs, seen)), (r.signs, seen)
        # ν is the region's affine map at the point
        y = net(r.point)
        assert y == tuple(sum((w * x for w, x in zip(row, r.point)), Q(0)) + b
                          for row, b in zip(r.weight, r.bias))
        # the H-representation is irredundant and describes a full-dimensional set
        if r.inequalities:
            kept, implicit = irredundant(r.inequalities)
            assert kept == list(range(len(r.inequalities))) and implicit == []
            P = from_inequalities(r.inequalities, ambient_dim=d)
            assert P.dim == d
            assert P.is_bounded() == r.bounded
        else:
            assert not r.bounded
        assert len(r.inequalities) == len(r.facet_labels)
    assert set(C.graph.nodes) == set(range(len(C.regions)))
    if C.regions:
        assert nx.is_connected(C.graph)
    return C


def counts(net, domain=None):
    C = check_complex(activation_regions(net, domain))
    return len(C.regions), len(linear_regions(C)), affine_map_count(C)


# ---------------------------------------------------------------------------
# Named examples
# ---------------------------------------------------------------------------

def test_example_c2():
    # Zhang–Naitzat–Lim 2018, Appendix C.2: 23 activation regions, 15 linear regions.
    assert counts(load_network(C2))[:2] == (23, 15)


def test_example_c2_identity_output():
    # Without the output ReLU nothing splits the 16 first-layer regions
    # (1 + 5 + C(5,2) = 16 for five lines in general position) and the 16 maps
    # differ (paper, Appendix C.2: "without the output ReLU, 16").
    obj = load_network(C2).to_dict()
    obj["layers"][1]["activation"] = "identity"
    assert counts(network_from_dict(obj)) == (16, 16, 16)


def test_caveat_network():
    # ν = relu(x) − relu(2x−2) + relu(x−2) = max(0,x,2x−2) ⊘ max(0,2x−2):
    # breakpoints 0, 1, 2 give 4 regions with maps 0, x, 2−x, 0; the two zero
    # pieces are not adjacent: 4 linear regions, 3 affine maps (docs/design.md §2).
    assert counts(load_network("data/networks/caveat_1d.json")) == (4, 4, 3)


def test_cancellation_network():
    # relu(x−y) − relu(x−y) ≡ 0: two activation regions, one linear region,
    # one affine map (the network version of max(x,y) ⊘ max(x,y), docs/design.md §2).
    assert counts(one_layer([[1, -1], [1, -1]], [0, 0], [1, -1])) == (2, 1, 1)


def _general_position(rows, biases):
    """Exact check: every d rows independent, no d+1 hyperplanes through one point."""
    d = len(rows[0])
    aug = [[Fraction(x) for x in r] + [Fraction(b)] for r, b in zip(rows, biases)]

    def rank(M):
        M = [r[:] for r in M]
        rk = 0
        for c in range(len(M[0])):
            p = next((i for i in range(rk, len(M)) if M[i][c] != 0), None)
            if p is None:
                continue
            M[rk], M[p] = M[p], M[rk]
            for i in range(len(M)):
                if i != rk and M[i][c] != 0:
                    f = M[i][c] / M[rk][c]
                    M[i] = [x - f * y for x, y in zip(M[i], M[rk])]
            rk += 1
        return rk
    for S in itertools.combinations(range(len(rows)), min(d, len(rows))):
        if rank([aug[i][:d] for i in S]) < len(S):
            return False
    for S in itertools.combinations(range(len(rows)), d + 1):
        if rank([aug[i] for i in S]) < d + 1:
            return False
    return True


@pytest.mark.parametrize("d,n", [(1, 1), (1, 4), (2, 3), (2, 6), (3, 4), (3, 6)])
def test_one_layer_generic(d, n):
    # Zaslavsky: n hyperplanes in general position cut Q^d into Σ_{j≤d} C(n, j).
    # Hyperplanes tangent-like to the moment curve: a = (1, t, t², …), b = t^d + 1/(t+7).
    rows = [[Q(t) ** k for k in range(d)] for t in range(1, n + 1)]
    biases = [Q(t) ** d + Q(1, t + 7) for t in range(1, n + 1)]
    assert _general_position(rows, biases)
    expected = sum(comb(n, j) for j in range(d + 1))
    C = check_complex(activation_regions(one_layer(rows, biases)))
    assert len(C.regions) == expected
    # each region's sign vector is realised by a point, and in a generic one-layer
    # arrangement two regions are adjacent iff their sign vectors differ in one place
    for i, j in itertools.combinations(range(len(C.regions)), 2):
        diff = sum(a != b for a, b in zip(C.regions[i].signs, C.regions[j].signs))
        assert C.graph.has_edge(i, j) == (diff == 1)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_lines_through_origin(k):
    # k distinct lines through 0 in Q² cut it into 2k sectors, a 2k-cycle (k ≥ 2).
    rows = [[1, t] for t in range(k)]
    C = check_complex(activation_regions(one_layer(rows, [0] * k)))
    assert len(C.regions) == 2 * k
    assert C.graph.number_of_edges() == (2 * k if k >= 2 else 1)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_parallel_lines(k):
    # k parallel lines give k + 1 slabs in a path; the complex has a line
    # (lineality space) in the direction (1, -1).
    C = check_complex(activation_regions(one_layer([[1, 1]] * k, list(range(k)))))
    assert len(C.regions) == k + 1
    assert C.graph.number_of_edges() == k
    assert len(C.lines) == 1 and not any(r.bounded for r in C.regions)


def test_several_lines_through_one_point():
    # x = 1, y = 1 and x = y all pass through (1, 1); x = -5 is parallel to x = 1.
    # Adding lines one at a time, a line adds 1 + (distinct crossing points on it):
    # 1 → 2; y = 1 (1 point) → 4; x = y (only the point (1,1)) → 6;
    # x = -5 (crosses y = 1 and x = y at two points) → 9.
    rows = [[1, 0], [0, 1], [1, -1], [1, 0]]
    biases = [-1, -1, 0, 5]
    assert counts(one_layer(rows, biases))[0] == 9


def test_duplicated_and_dead_neurons_change_nothing():
    # Base: lines x = 0, y = 0, x + y = 1 in general position: 1 + 3 + 3 = 7 regions.
    base = ([[1, 0], [0, 1], [1, 1]], [0, 0, -1])
    n0 = counts(one_layer(*base))[0]
    assert n0 == 7
    # duplicated neuron, a positive and a negative multiple (coincident hyperplanes)
    dup = ([[1, 0], [0, 1], [1, 1], [1, 0], [-2, 0]], [0, 0, -1, 0, 0])
    # a dead neuron (zero row, negative bias) and a zero neuron (sign '0')
    dead = ([[1, 0], [0, 1], [1, 1], [0, 0], [0, 0]], [0, 0, -1, -3, 0])
    for rows, b in (dup, dead):
        C = check_complex(activation_regions(one_layer(rows, b)))
        assert len(C.regions) == n0
    C = activation_regions(one_layer(*dead))
    assert {r.signs[3:] for r in C.regions} == {"-0"}


def test_neuron_constant_on_a_cell():
    # Layer 1: relu(x), relu(-x); layer 2: relu(h1 + h2 - 1) = relu(|x| - 1).
    # and relu(h1 - 1), constant -1 on x < 0 (h1 = 0 there), so it cuts only x > 0,
    # at x = 1 where relu(|x| - 1) already breaks.  Breakpoints 0, ±1: 4 regions.
    net = network(1, [
        {"weight": [[1], [-1]], "bias": [0, 0], "activation": "relu"},
        {"weight": [[1, 1], [1, 0]], "bias": [-1, -1], "activation": "relu"},
        {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    # x < -1: "-++-", -1 < x < 0: "-+--", 0 < x < 1: "+---", x > 1: "+-++"
    # (relu(h1 - 1) is the constant -1 on x < 0, so it is '-' without splitting).
    C = check_complex(activation_regions(net))
    assert sorted(r.signs for r in C.regions) == sorted(["-++-", "-+--", "+---", "+-++"])


def test_zero_first_layer_gives_one_region():
    # All first-layer rows are zero: ν is constant, one region = Q², lines span Q².
    C = check_complex(activation_regions(one_layer([[0, 0], [0, 0]], [1, 0])))
    assert [r.signs for r in C.regions] == ["+0"]
    assert len(C.lines) == 2


def test_identity_only_network():
    net = network(2, [{"weight": [[1, 2]], "bias": [3], "activation": "identity"}])
    C = check_complex(activation_regions(net))
    assert len(C.regions) == 1 and C.regions[0].weight == ((1, 2),)


def test_thresholds_and_leaky():
    # relu with threshold 1 breaks at x = 1; leaky_relu at x = -2: three regions.
    net = network(1, [
        {"weight": [[1]], "bias": [0], "activation": "relu", "threshold": 1},
        {"weight": [[1]], "bias": [2], "activation": "leaky_relu", "negative_slope": "1/3"},
        {"weight": [[1]], "bias": [0], "activation": "identity"}])
    # layer 1 output max(x, 1); layer 2 pre-activation max(x,1) + 2 > 0 always: 2 regions.
    assert counts(net)[0] == 2
    # one leaky layer with breakpoints -2 and 1: three regions, three maps
    assert counts(one_layer([[1], [1]], [2, -1], act="leaky_relu")) == (3, 3, 3)


def test_rational_leaky_file():
    C = check_complex(activation_regions(load_network("data/networks/rational_leaky_2d.json")))
    ref = reference_regions(C.network)
    assert sorted(r.signs for r in C.regions) == sorted(r.signs for r in ref)


# ---------------------------------------------------------------------------
# Domains
# ---------------------------------------------------------------------------

def test_box_domain_counts_regions_meeting_the_box():
    # Lines x = 0, y = 0 and x + y = 3 in the box [-1, 1]²: x + y = 3 misses the
    # box, so the 4 quadrant pieces remain; over Q² there are 1 + 3 + 3 = 7.
    net = one_layer([[1, 0], [0, 1], [1, 1]], [0, 0, -3])
    assert counts(net)[0] == 7
    C = check_complex(activation_regions(net, Domain.box([-1, -1], [1, 1])))
    assert len(C.regions) == 4 and all(r.bounded for r in C.regions)
    # the region x, y > 0 is bounded by x ≥ 0, y ≥ 0 and the two upper box faces
    top = next(r for r in C.regions if r.signs.startswith("++"))
    assert sorted(top.facet_labels) == [("domain", 1), ("domain", 3), ("neuron", 0),
                                        ("neuron", 1)]


def test_polytope_domain_triangle():
    # Triangle x ≥ 0, y ≥ 0, x + y ≤ 2 cut by x = y: two regions.
    D = Domain.polytope([(0, (1, 0)), (0, (0, 1)), (2, (-1, -1))])
    C = check_complex(activation_regions(one_layer([[1, -1]], [0]), D))
    assert len(C.regions) == 2 and C.graph.number_of_edges() == 1


def test_parse_domain_errors():
    with pytest.raises(InputError, match="--domain"):
        parse_domain("cube:1", 2)
    with pytest.raises(InputError, match="2 or 4 numbers"):
        parse_domain("box:1,2,3", 2)
    with pytest.raises(InputError):
        parse_domain("box:a,b", 2)
    assert parse_domain("box:0,1,2,3", 2).upper == (1, 3)
    with pytest.raises(InputError, match=r"needs 2 numbers \(lo,hi\), got 3"):
        parse_domain("box:0,1,2", 1)


def test_max_regions_guard():
    # tangents x + t y + t² = 0 of a parabola: no two parallel, no three concurrent
    net = one_layer([[1, t] for t in range(6)], [t * t for t in range(6)])
    with pytest.raises(BudgetExceeded, match="more than 5 activation regions"):
        activation_regions(net, max_regions=5)
    assert len(activation_regions(net, max_regions=100).regions) == 1 + 6 + 15


def test_progress_callback_is_called():
    calls = []
    net = one_layer([[1, t] for t in range(12)], [t * t for t in range(12)])
    from tropexact.regions._walk import RegionCounter
    b = RegionCounter(0, None, calls.append)
    b.last = -1e9
    for _ in range(64):
        b.add()
    assert calls == [64]
    assert len(activation_regions(net, progress=calls.append).regions) == 1 + 12 + 66


# ---------------------------------------------------------------------------
# Cross-check with the independent LP enumeration
# ---------------------------------------------------------------------------

def assert_matches_reference(C, net, domain=None):
    """Complex C against the independent LP enumeration: the same sign vectors, maps and
    adjacent pairs; returns (the reference regions, their adjacent pairs)."""
    ref = reference_regions(net, None if domain is None else list(domain.inequalities))
    assert sorted(r.signs for r in C.regions) == sorted(r.signs for r in ref)
    by_sign = {r.signs: i for i, r in enumerate(C.regions)}
    for r in ref:
        mine = C.regions[by_sign[r.signs]]
        assert (mine.weight, mine.bias) == (r.weight, r.bias)
    adj = reference_adjacency(ref, net.input_dim)
    ref_edges = {frozenset(by_sign[ref[i].signs] for i in e) for e in adj}
    assert ref_edges == {frozenset(e) for e in C.graph.edges}
    return ref, adj


def _compare(net, domain=None):
    C = check_complex(activation_regions(net, domain))
    ref, adj = assert_matches_reference(C, net, domain)
    assert len(linear_regions(C)) == reference_linear_regions(ref, adj)
    assert affine_map_count(C) == reference_affine_maps(ref)


@st.composite
def small_nets(draw, rational=False):
    d = draw(st.integers(1, 3))
    depth = draw(st.integers(1, 2))
    widths = [draw(st.integers(1, 3 if d == 3 else 4)) for _ in range(depth)]
    num = (st.fractions(min_value=-2, max_value=2, max_denominator=3) if rational
           else st.integers(-2, 2))
    layers, prev = [], d
    for w in widths:
        act = draw(st.sampled_from(["relu", "relu", "leaky_relu"]))
        L = {"weight": [[str(draw(num)) for _ in range(prev)] for _ in range(w)],
             "bias": [str(draw(num)) for _ in range(w)], "activation": act}
        if act == "leaky_relu":
            L["negative_slope"] = "1/2"
        layers.append(L)
        prev = w
    layers.append({"weight": [[str(draw(num)) for _ in range(prev)]], "bias": ["0"],
                   "activation": "identity"})
    return network(d, layers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets())
def test_matches_reference_integer(net):
    _compare(net)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(rational=True))
def test_matches_reference_rational(net):
    _compare(net)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(), st.integers(1, 3))
def test_matches_reference_in_a_box(net, r):
    d = net.input_dim
    _compare(net, Domain.box([-r] * d, [r] * d))


def test_matches_reference_c2():
    _compare(load_network(C2))
    _compare(load_network(C2), Domain.box([-1, -1], [2, 1]))


# ---------------------------------------------------------------------------
# Linear regions two ways: activation regions vs the cells of F ⊙ G
# ---------------------------------------------------------------------------

def _linear_two_ways(net):
    from tropexact.regions.cells import rational_linear_regions
    from tropexact.networks.tropicalization import tropicalize

    C = activation_regions(net)
    T = tropicalize(net, count_before=False)
    for k, o in enumerate(T.outputs):
        L = rational_linear_regions(o.F, o.G)
        assert len(linear_regions(C, k)) == len(L)
        mine = {(tuple(r.weight[k]), r.bias[k]) for r in C.regions}
        assert mine == {m for m, _ in L}
        assert affine_map_count(C, k) == len({m for m, _ in L})


def test_linear_regions_two_ways_named():
    _linear_two_ways(load_network(C2))
    _linear_two_ways(load_network("data/networks/caveat_1d.json"))
    _linear_two_ways(load_network("data/networks/rational_leaky_2d.json"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets())
def test_linear_regions_two_ways(net):
    _linear_two_ways(net)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets())
def test_matches_reference_in_an_unbounded_cone(net):
    # the pointed cone x_i >= -1 (unbounded domain with rays)
    d = net.input_dim
    _compare(net, Domain.polytope([(1, tuple(int(j == i) for j in range(d))) for i in range(d)]))
