"""Tests of the slow reference region enumerator (tests/reference_regions.py).

Every expected count is derived by hand in a comment, or quoted from
Zhang–Naitzat–Lim 2018 (Appendix C.2) for the paper's example.  Beyond the
counts, every region's interior point is checked against a plain forward pass,
and random generic points are checked to lie in exactly one region with the
right sign vector (soundness, disjointness and coverage).
"""

from __future__ import annotations

import itertools
import os
import random
import sys
from math import comb

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reference_regions import (  # noqa: E402
    box,
    reference_adjacency,
    reference_affine_maps,
    reference_linear_regions,
    reference_regions,
)

from tropexact.networks.io import load_network  # noqa: E402
from tropexact.networks.model import Layer, Network, network  # noqa: E402
from tropexact.exact.numbers import Q  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETS = os.path.join(ROOT, "data", "networks")


def relu(W, b, **kw):
    return {"weight": W, "bias": b, "activation": "relu", **kw}


def ident(W, b):
    return {"weight": W, "bias": b, "activation": "identity"}


def forward_signs(net, x):
    """Plain forward pass: (output, sign string with '0' where z equals the breakpoint)."""
    signs = []
    v = tuple(Q(c) for c in x)
    for lay in net.layers:
        z = lay.pre_activation(v)
        if lay.activation != "identity":
            t = lay.threshold if lay.activation == "relu" else Q(0)
            signs += ["+" if zi > t else "-" if zi < t else "0" for zi in z]
        v = lay.activate(z)
    return v, "".join(signs)


def check_regions(net, regions, domain=None, samples=60, seed=0):
    """Soundness of each region + coverage/disjointness on random generic points."""
    d = net.input_dim
    assert len({r.signs for r in regions}) == len(regions), "duplicate sign vectors"
    for r in regions:
        x = r.point
        assert len(x) == d
        assert all(b + sum(ai * xi for ai, xi in zip(a, x)) > 0 for b, a in r.inequalities)
        out, s = forward_signs(net, x)
        assert out == net(x)
        assert out == tuple(sum((w * xi for w, xi in zip(row, x)), Q(0)) + c
                            for row, c in zip(r.weight, r.bias))
        assert len(s) == len(r.signs)
        for got, want in zip(s, r.signs):
            # a '0' neuron is constant at its breakpoint on the region, so also '0' here
            assert got == want, (r.signs, s, x)
    rng = random.Random(seed)
    dom = [] if domain is None else domain
    checked = 0
    for _ in range(samples):
        x = tuple(Q(rng.randint(-60, 60), rng.choice([7, 11, 13])) for _ in range(d))

        def val(b, a):
            return b + sum(ai * xi for ai, xi in zip(a, x))

        if any(val(b, a) <= 0 for b, a in dom):
            continue
        if any(val(b, a) == 0 for r in regions for b, a in r.inequalities):
            continue  # on some boundary hyperplane: not generic
        inside = [r for r in regions if all(val(b, a) > 0 for b, a in r.inequalities)]
        assert len(inside) == 1, (x, [r.signs for r in inside])
        out, s = forward_signs(net, x)
        assert s == inside[0].signs
        assert out == tuple(sum((w * xi for w, xi in zip(row, x)), Q(0)) + c
                            for row, c in zip(inside[0].weight, inside[0].bias))
        checked += 1
    assert checked >= samples // 3


def by_signs(regions):
    return {r.signs: i for i, r in enumerate(regions)}


def edges_by_signs(regions, adj):
    return {frozenset(regions[i].signs for i in e) for e in adj}


# --------------------------------------------------------------------------- d = 1

def test_1d_distinct_breakpoints():
    # z1 = x + 1 (breakpoint -1), z2 = -2x (0), z3 = 2x - 1 (1/2), z4 = -x + 2 (2).
    # k = 4 distinct breakpoints cut the line into k + 1 = 5 open intervals; on each
    # the signs are constant, and they differ across each breakpoint:
    #   x < -1: - + - +   (-1,0): + + - +   (0,1/2): + - - +   (1/2,2): + - + +   x > 2: + - + -
    net = network(1, [relu([[1], [-2], [2], [-1]], [1, 0, -1, 2])])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == sorted(["-+-+", "++-+", "+--+", "+-++", "+-+-"])
    check_regions(net, regs)
    # consecutive intervals share a point (a 0-dimensional face): a path of 4 edges
    adj = reference_adjacency(regs, 1)
    assert edges_by_signs(regs, adj) == {
        frozenset(p) for p in [("-+-+", "++-+"), ("++-+", "+--+"), ("+--+", "+-++"),
                               ("+-++", "+-+-")]}
    # with an identity output layer the sign strings are unchanged (identity has no signs)
    net2 = network(1, [relu([[1], [-2], [2], [-1]], [1, 0, -1, 2]),
                       ident([[1, 1, 1, 1]], [0])])
    regs2 = reference_regions(net2)
    assert sorted(r.signs for r in regs2) == sorted(r.signs for r in regs)
    check_regions(net2, regs2)


@pytest.mark.parametrize("k", [1, 2, 5])
def test_1d_k_breakpoints(k):
    # neuron i: z = x - i, breakpoint i; k distinct breakpoints -> k + 1 regions
    net = network(1, [relu([[1]] * k, list(range(0, -k, -1)))])
    regs = reference_regions(net)
    assert len(regs) == k + 1
    assert len(reference_adjacency(regs, 1)) == k  # a path
    check_regions(net, regs)


def test_three_regions_adjacency_1d():
    # relu(x), relu(x - 1): x < 0 "--", 0 < x < 1 "+-", x > 1 "++"; only neighbours meet
    net = network(1, [relu([[1], [1]], [0, -1])])
    regs = reference_regions(net)
    adj = reference_adjacency(regs, 1)
    assert edges_by_signs(regs, adj) == {frozenset({"--", "+-"}), frozenset({"+-", "++"})}
    assert len(adj) == 2


def test_box_domain_1d():
    # the breakpoints -1, 0, 1/2, 2 of test_1d_distinct_breakpoints on the domain [0, 10]:
    # -1 lies outside, 0 on the boundary (the x < 0 side is empty), so 3 regions remain:
    # (0,1/2) "+--+", (1/2,2) "+-++", (2,10) "+-+-".
    net = network(1, [relu([[1], [-2], [2], [-1]], [1, 0, -1, 2])])
    dom = box([0], [10])
    regs = reference_regions(net, dom)
    assert sorted(r.signs for r in regs) == sorted(["+--+", "+-++", "+-+-"])
    check_regions(net, regs, domain=dom)
    assert len(reference_adjacency(regs, 1)) == 2
    # a degenerate (lower-dimensional) domain has no full-dimensional region
    assert reference_regions(net, box([1], [1])) == []


def test_threshold_and_leaky_1d():
    # relu with threshold 1 on z = x: breakpoint z = 1; below it the output is the constant 1
    net = network(1, [relu([[1]], [0], threshold=1)])
    regs = reference_regions(net)
    s = by_signs(regs)
    assert set(s) == {"+", "-"}
    minus = regs[s["-"]]
    assert minus.point[0] < 1 and minus.weight == ((Q(0),),) and minus.bias == (Q(1),)
    check_regions(net, regs)
    # leaky relu, slope 1/2: maps x (x > 0) and x/2 (x < 0)
    net = network(1, [{"weight": [[1]], "bias": [0], "activation": "leaky_relu",
                       "negative_slope": "1/2"}])
    regs = reference_regions(net)
    s = by_signs(regs)
    assert regs[s["+"]].weight == ((Q(1),),) and regs[s["-"]].weight == ((Q(1, 2),),)
    check_regions(net, regs)


def test_two_layers_1d_split_and_merge():
    # g(x) = relu(x) - relu(x - 1) - 1/2 is -1/2 (x<0), x - 1/2 (0<x<1), 1/2 (x>1).
    # The output relu is constant on x<0 ('-', no split) and x>1 ('+'), and splits
    # (0,1) at 1/2.  Regions: "---" (map 0), "+--" (0), "+-+" (x - 1/2), "+++" (1/2).
    # "---" and "+--" share the point 0 and the map 0: 3 linear regions, 3 affine maps.
    net = network(1, [relu([[1], [1]], [0, -1]), relu([[1, -1]], ["-1/2"])])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == sorted(["---", "+--", "+-+", "+++"])
    s = by_signs(regs)
    assert regs[s["+-+"]].weight == ((Q(1),),) and regs[s["+-+"]].bias == (Q(-1, 2),)
    adj = reference_adjacency(regs, 1)
    assert len(adj) == 3
    assert reference_linear_regions(regs, adj) == 3
    assert reference_affine_maps(regs) == 3
    check_regions(net, regs)


def test_caveat_network_inline():
    # relu(x) - relu(2x - 2): 0 (x<0), x (0<x<1), x - (2x - 2) = 2 - x (x>1).
    # 3 activation regions, 3 linear regions, 3 affine maps.
    net = network(1, [relu([[1], [2]], [0, -2]), ident([[1, -1]], [0])])
    regs = reference_regions(net)
    adj = reference_adjacency(regs, 1)
    assert (len(regs), reference_linear_regions(regs, adj), reference_affine_maps(regs)) == (3, 3, 3)
    check_regions(net, regs)


def test_cancellation_merges():
    # relu(x - y) - relu(x - y) = 0: the duplicated neuron gives 2 activation regions
    # ("++", "--") sharing the line x = y, both with map 0: 1 linear region, 1 map.
    net = network(2, [relu([[1, -1], [1, -1]], [0, 0]), ident([[1, -1]], [0])])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == ["++", "--"]
    adj = reference_adjacency(regs, 2)
    assert len(adj) == 1
    assert reference_linear_regions(regs, adj) == 1 and reference_affine_maps(regs) == 1
    check_regions(net, regs)


# --------------------------------------------------------------------------- d = 2

@pytest.mark.parametrize("rows", [
    [[1, 0]],
    [[1, 0], [0, 1]],
    [[1, 0], [0, 1], [1, 1], [1, -2]],
    [[1, 0], [0, 1], [1, 1], [1, -2], [-3, 1], [2, 5]],
])
def test_lines_through_origin(rows):
    # k distinct lines through 0 (pairwise non-parallel normals): a central arrangement
    # in the plane has 2k sectors; consecutive sectors share a ray: a 2k-cycle (k = 1: 1 edge)
    k = len(rows)
    net = network(2, [relu(rows, [0] * k)])
    regs = reference_regions(net)
    assert len(regs) == 2 * k
    adj = reference_adjacency(regs, 2)
    assert len(adj) == (1 if k == 1 else 2 * k)
    if k > 1:
        assert all(sum(i in e for e in adj) == 2 for i in range(len(regs)))
    check_regions(net, regs)


def test_parallel_lines():
    # x + 2y = 0, -2x - 4y + 1 = 0 (x + 2y = 1/2), 3x + 6y - 5 = 0 (x + 2y = 5/3):
    # k = 3 distinct parallel lines -> k + 1 = 4 strips, a path of 3 edges
    net = network(2, [relu([[1, 2], [-2, -4], [3, 6]], [0, 1, -5])])
    regs = reference_regions(net)
    assert len(regs) == 4
    assert len(reference_adjacency(regs, 2)) == 3
    check_regions(net, regs)


def test_quadrants_adjacency():
    # relu(x), relu(y): 4 quadrants; each shares a half-axis with two others, and the
    # diagonal pairs (++, --) and (+-, -+) meet only at the origin (dimension 0)
    net = network(2, [relu([[1, 0], [0, 1]], [0, 0])])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == ["++", "+-", "-+", "--"]
    adj = reference_adjacency(regs, 2)
    assert edges_by_signs(regs, adj) == {frozenset(p) for p in
                                         [("++", "+-"), ("++", "-+"), ("--", "+-"), ("--", "-+")]}
    assert frozenset({"++", "--"}) not in edges_by_signs(regs, adj)
    assert frozenset({"+-", "-+"}) not in edges_by_signs(regs, adj)
    check_regions(net, regs)


def test_duplicate_and_dead_neurons():
    # Base: 3 lines through 0 (x = 0, y = 0, x + y = 0) -> 6 regions.  Added neurons:
    #   2x            (positive multiple of neuron 0: same sign, same hyperplane)
    #   -x - y        (negative multiple of neuron 2: opposite sign)
    #   0·x - 1       (dead: constant -1 < 0 -> '-', no split)
    #   0·x + 3       (constant 3 > 0 -> '+')
    # Count unchanged (6); each sign string extends the base one accordingly.
    base = [[1, 0], [0, 1], [1, 1]]
    net0 = network(2, [relu(base, [0, 0, 0])])
    net = network(2, [relu(base + [[2, 0], [-1, -1], [0, 0], [0, 0]], [0, 0, 0, 0, 0, -1, 3])])
    r0 = reference_regions(net0)
    regs = reference_regions(net)
    assert len(r0) == len(regs) == 6
    flip = {"+": "-", "-": "+"}
    assert sorted(r.signs for r in regs) == sorted(
        s + s[0] + flip[s[2]] + "-+" for s in (r.signs for r in r0))
    check_regions(net, regs)
    assert len(reference_adjacency(regs, 2)) == len(reference_adjacency(r0, 2)) == 6


def test_zero_neuron_sign_zero():
    # a zero row with zero bias: z == 0 identically -> sign '0' everywhere (relu and leaky);
    # a zero row with bias 1 under threshold 1: z == t -> '0' as well
    net = network(2, [relu([[1, 0], [0, 0]], [0, 0])])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == ["+0", "-0"]
    check_regions(net, regs)
    net = network(2, [relu([[0, 0], [1, 1]], [1, 0], threshold=1)])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == ["0+", "0-"]
    check_regions(net, regs)
    net = network(2, [{"weight": [[0, 0], [1, -1]], "bias": [0, 0], "activation": "leaky_relu",
                       "negative_slope": "1/4"}, relu([[1, 1]], [0])])
    regs = reference_regions(net)
    # second layer: 0 + leaky(x - y) > 0 iff x > y: so "0++" and "0--"
    assert sorted(r.signs for r in regs) == ["0++", "0--"]
    check_regions(net, regs)


def _general_position(rows, biases):
    """No two lines parallel, no three through one point (exact)."""
    n = len(rows)
    pts = []
    for i, j in itertools.combinations(range(n), 2):
        (a, b), (c, e) = rows[i], rows[j]
        det = Q(a * e - b * c)
        if det == 0:
            return False
        # solve a x + b y = -p, c x + e y = -q
        p, q = biases[i], biases[j]
        pts.append(((-p * e + b * q) / det, (-a * q + c * p) / det))
    return len(set(pts)) == len(pts)


@pytest.mark.parametrize("n", [3, 6])
def test_generic_one_layer_2d(n):
    # n lines in general position in the plane: 1 + n + C(n, 2) regions (Zaslavsky);
    # each line is cut by the n - 1 others into n pieces, each a shared edge: n^2 edges
    rng = random.Random(n)
    while True:
        rows = [[rng.randint(-5, 5), rng.randint(-5, 5)] for _ in range(n)]
        biases = [rng.randint(-6, 6) for _ in range(n)]
        if all(any(r) for r in rows) and _general_position(rows, biases):
            break
    net = network(2, [relu(rows, biases), ident([[1] * n], [0])])
    regs = reference_regions(net)
    assert len(regs) == 1 + n + comb(n, 2)
    assert len(reference_adjacency(regs, 2)) == n * n
    check_regions(net, regs)


def test_bent_hyperplane_adjacency():
    # Layer 1: relu(y), relu(x), relu(-x); layer 2: z = 2 relu(y) + relu(x) - relu(-x) - 1
    # = 2 relu(y) + x - 1.  Its zero set bends at (1, 0): 2y + x = 1 for y > 0, x = 1 for
    # y < 0.  Quadrants Q1 (y>0,x>0), Q2 (y>0,x<0), Q3, Q4 (y<0,x>0); z splits Q1, Q2 and
    # Q4 (in Q3 z = x - 1 < 0).  7 regions (signs y, x, -x, z):
    #   Q1+ ++-+  Q1- ++--  Q2+ +-++  Q2- +-+-  Q4+ -+-+  Q4- -+--  Q3- --+-
    # Edges (9): Q1+|Q1-, Q2+|Q2-, Q4+|Q4- (the bent line), Q1+|Q2+ (x=0, y>1/2),
    # Q1-|Q2- (x=0, 0<y<1/2), Q4-|Q3- (x=0, y<0), Q1+|Q4+ (y=0, x>1), Q1-|Q4- (y=0,
    # 0<x<1), Q2-|Q3- (y=0, x<0).  Q1-/Q4+ and Q1+/Q4- lie on opposite sides of y = 0
    # but meet only at (1, 0): the LP equation y = 0 is what rules them out.
    # Maps: 0 on every '-' region (connected: Q1-, Q2-, Q4-, Q3-), 2y + x - 1 on Q1+
    # and Q2+ (adjacent), x - 1 on Q4+: 3 linear regions, 3 affine maps.
    net = network(2, [relu([[0, 1], [1, 0], [-1, 0]], [0, 0, 0]), relu([[2, 1, -1]], [-1])])
    regs = reference_regions(net)
    assert sorted(r.signs for r in regs) == sorted(
        ["++-+", "++--", "+-++", "+-+-", "-+-+", "-+--", "--+-"])
    adj = reference_adjacency(regs, 2)
    assert edges_by_signs(regs, adj) == {frozenset(p) for p in [
        ("++-+", "++--"), ("+-++", "+-+-"), ("-+-+", "-+--"), ("++-+", "+-++"),
        ("++--", "+-+-"), ("-+--", "--+-"), ("++-+", "-+-+"), ("++--", "-+--"),
        ("+-+-", "--+-")]}
    assert reference_linear_regions(regs, adj) == 3
    assert reference_affine_maps(regs) == 3
    check_regions(net, regs)


# --------------------------------------------------------------------------- the paper

def test_example_c2():
    # Zhang–Naitzat–Lim 2018, Appendix C.2 (docs/design.md §5): 23 activation regions and
    # 15 linear regions with the output relu; 16 and 16 with an identity output
    # (then the regions are those of the 5 first-layer lines, in general position:
    # 1 + 5 + 10 = 16).
    net = load_network(os.path.join(NETS, "zhang2018_example_c2.json"))
    regs = reference_regions(net)
    assert len(regs) == 23
    adj = reference_adjacency(regs, 2)
    assert reference_linear_regions(regs, adj) == 15
    check_regions(net, regs, samples=100)

    out = net.layers[-1]
    lin = Network(2, (net.layers[0], Layer(out.weight, out.bias, "identity")))
    regs2 = reference_regions(lin)
    assert len(regs2) == 16
    adj2 = reference_adjacency(regs2, 2)
    assert len(adj2) == 25  # 5 lines in general position: 5^2 edges
    assert reference_linear_regions(regs2, adj2) == 16
    check_regions(lin, regs2, samples=100)


def test_rational_leaky_network_is_consistent():
    # no hand count: soundness and coverage on the repository's rational/leaky example
    net = load_network(os.path.join(NETS, "rational_leaky_2d.json"))
    regs = reference_regions(net)
    assert regs
    adj = reference_adjacency(regs, 2)
    assert 1 <= reference_linear_regions(regs, adj) <= len(regs)
    assert reference_affine_maps(regs) <= reference_linear_regions(regs, adj)
    check_regions(net, regs, samples=150)
