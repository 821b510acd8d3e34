"""Maxout units: the model, the LP enumeration of their regions, their tropicalization.

Independent sources: hand derivations for the example table; the ReLU rewrite
max(a, b) = relu(a − b) + relu(b) − relu(−b) enumerated by the hyperplane walk
(a second algorithm on a different network computing the same function: the same
linear regions and affine maps); the hull tropicalization against the one read off
the regions; and the LP enumeration against the walk on plain ReLU networks.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_hardening import one_line_error, run
from test_tropicalize import networks as relu_networks
from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.networks.model import network
from tropexact.networks.rewrite import maxout_as_relu
from tropexact.networks.tropicalization import tropicalize as by_hull
from tropexact.regions import activation_regions, affine_map_count, linear_regions
from tropexact.regions.pieces import tropicalize_by_regions
from tropexact.regions.units import unit_regions, unit_states

small = st.integers(min_value=-2, max_value=2)
rats = st.builds(Fraction, st.integers(-4, 4), st.integers(1, 3))


def maxout(rows, bias, k):
    return {"weight": rows, "bias": bias, "activation": "maxout", "pieces": k}


def ident(rows, bias=None):
    return {"weight": rows, "bias": bias or [0] * len(rows), "activation": "identity"}


@st.composite
def maxout_networks(draw, nums=small):
    """d ∈ 1..3, a maxout layer (k ∈ 1..3 pieces, 1..3 units), maybe a second hidden
    layer (relu, leaky relu or maxout), an identity output; small weights so that
    ties, duplicates and dead pieces are frequent."""
    d = draw(st.integers(1, 3))
    k, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    layers = [maxout([[draw(nums) for _ in range(d)] for _ in range(m * k)],
                     [draw(nums) for _ in range(m * k)], k)]
    dim = m
    kind = draw(st.sampled_from(["none", "relu", "leaky_relu", "maxout"]))
    if kind != "none":
        n = draw(st.integers(1, 2))
        k2 = 2 if kind == "maxout" else 1
        spec = {"weight": [[draw(nums) for _ in range(dim)] for _ in range(n * k2)],
                "bias": [draw(nums) for _ in range(n * k2)], "activation": kind}
        if kind == "maxout":
            spec["pieces"] = 2
        if kind == "leaky_relu":
            spec["negative_slope"] = Fraction(1, 3)
        layers.append(spec)
        dim = n
    layers.append(ident([[draw(nums) for _ in range(dim)]], [draw(nums)]))
    return network(d, layers)


def value_at(region, x):
    return tuple(sum((w * v for w, v in zip(row, x)), Q(0)) + b
                 for row, b in zip(region.weight, region.bias))


# --- example table (hand derivations) ---------------------------------------------

def test_tropical_line_max_of_x_y_0():
    # max(x0, x1, 0): the three sectors of a tropical line, pairwise adjacent, unbounded
    net = network(2, [maxout([[1, 0], [0, 1], [0, 0]], [0, 0, 0], 3), ident([[1]])])
    C = activation_regions(net)
    assert [r.signs for r in C.regions] == ["a", "b", "c"]
    assert list(C.edges) == [(0, 1), (0, 2), (1, 2)]
    assert [r.weight for r in C.regions] == [((1, 0),), ((0, 1),), ((0, 0),)]
    assert not any(r.bounded for r in C.regions)


def test_one_dimensional_max_of_three():
    # max(x, −x, 1): −x wins below −1, 1 on (−1, 1) (bounded), x above 1: a path of 3
    net = network(1, [maxout([[1], [-1], [0]], [0, 0, 1], 3), ident([[1]])])
    C = activation_regions(net)
    assert sorted((r.signs, r.bounded) for r in C.regions) == [("a", False), ("b", False),
                                                                ("c", True)]
    assert len(C.edges) == 2 and len(linear_regions(C)) == 3


@pytest.mark.parametrize("rows, bias, states", [
    ([[1], [1], [0]], [0, 0, 0], ["a", "c"]),     # pieces a ≡ b: the tie goes to a
    ([[1], [-1], [0]], [0, 0, -1], ["a", "b"]),   # −1 < |x|: the constant never wins
    ([[0], [0]], [1, 1], ["a"]),                  # identical constants: one region, a
    ([[0], [0]], [0, 2], ["b"]),                  # a constant difference: b wins everywhere
])
def test_ties_and_dead_pieces(rows, bias, states):
    net = network(1, [maxout(rows, bias, len(rows)), ident([[1]])])
    assert [r.signs for r in activation_regions(net).regions] == states


def test_one_piece_is_the_identity():
    net = network(2, [maxout([[1, 2]], [3], 1), ident([[1]])])
    C = activation_regions(net)
    assert [r.signs for r in C.regions] == ["a"] and C.regions[0].weight == ((1, 2),)


def test_box_domain_bounds_every_region():
    # max(x0, x1) on [0, 1]^2: the two triangles on either side of the diagonal
    net = network(2, [maxout([[1, 0], [0, 1]], [0, 0], 2), ident([[1]])])
    C = activation_regions(net, Domain.box([0, 0], [1, 1]))
    assert [r.signs for r in C.regions] == ["a", "b"] and all(r.bounded for r in C.regions)
    assert list(C.edges) == [(0, 1)]


def test_regions_contain_lines_unlike_the_walk():
    # max(x0, x1): each half-plane contains the line x0 = x1 + s, yet the two are regions
    net = network(2, [maxout([[1, 0], [0, 1]], [0, 0], 2), ident([[1]])])
    C = activation_regions(net)
    assert len(C) == 2 and [len(r.inequalities) for r in C.regions] == [1, 1]


# --- the model ---------------------------------------------------------------------

@pytest.mark.parametrize("spec, needle", [
    ({"weight": [[1], [2]], "bias": [0, 0], "activation": "maxout"}, "needs 'pieces'"),
    ({"weight": [[1], [2], [3]], "bias": [0, 0, 0], "activation": "maxout", "pieces": 2},
     "not a multiple of pieces = 2"),
    ({"weight": [[1]], "bias": [0], "activation": "maxout", "pieces": 0}, "positive integer"),
    ({"weight": [[1]], "bias": [0], "activation": "maxout", "pieces": "1"}, "positive integer"),
    ({"weight": [[1]], "bias": [0], "activation": "maxout", "pieces": True}, "positive integer"),
    ({"weight": [[1]], "bias": [0], "activation": "relu", "pieces": 1}, "only allowed with maxout"),
    ({"weight": [[1]] * 53, "bias": [0] * 53, "activation": "maxout", "pieces": 53},
     "at most 52"),
])
def test_bad_maxout_layers_are_refused(spec, needle):
    with pytest.raises(InputError, match=needle):
        network(1, [spec])


def test_bad_maxout_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "tropexact-network", "version": 1, "input_dim": 1,
                                "layers": [{"weight": [[1], [2], [3]], "bias": [0, 0, 0],
                                            "activation": "maxout", "pieces": 2}]}))
    code, _, err = run(capsys, "regions", path)
    one_line_error(code, err, "layers[0].weight", "pieces = 2")


def test_maxout_file_round_trip():
    net = network(1, [maxout([[1], ["1/2"]], [0, -1], 2), ident([[1]])])
    again = network(1, net.to_dict()["layers"])
    assert again == net and net.to_dict()["layers"][0]["pieces"] == 2


# --- cross-checks ---------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maxout_networks())
def test_same_linear_regions_as_the_relu_rewrite(net):
    C = activation_regions(net)
    R = activation_regions(maxout_as_relu(net))  # the hyperplane walk, on a ReLU network
    assert len(linear_regions(C)) == len(linear_regions(R))
    assert affine_map_count(C) == affine_map_count(R)
    assert len(R) >= len(C) or len(linear_regions(C)) == len(C)  # the rewrite is finer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maxout_networks(st.one_of(small, rats)), st.randoms(use_true_random=False))
def test_regions_points_maps_and_states(net, rnd):
    C = activation_regions(net)
    for r in C.regions:
        assert net(r.point) == value_at(r, r.point)
        assert unit_states(net, r.point) == r.signs  # the point is strictly inside
        assert all(b + sum((u * v for u, v in zip(a, r.point)), Q(0)) > 0
                   for b, a in r.inequalities)
    x = [Q(rnd.randint(-30, 30), rnd.randint(1, 7)) for _ in range(net.input_dim)]
    assert maxout_as_relu(net)(x) == net(x)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maxout_networks(st.one_of(small, rats)))
def test_tropicalization_by_regions_and_by_hull(net):
    A, B = tropicalize_by_regions(net, count_before=False), by_hull(net, count_before=False)
    assert A.map == B.map
    assert [(o.F, o.G) for o in A.outputs] == [(o.F, o.G) for o in B.outputs]
    rnd = random.Random(0)
    for _ in range(5):
        x = [Q(rnd.randint(-20, 20), rnd.randint(1, 4)) for _ in range(net.input_dim)]
        assert A.map(x) == net(x)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relu_networks(max_depth=2, budget=12, small=True))
def test_lp_enumeration_equals_the_walk_on_relu_networks(net):
    U, W = unit_regions(net), activation_regions(net)
    assert list(U._signs) == list(W._signs)
    assert list(U.edges) == list(W.edges)
    assert [r.affine_map for r in U.regions] == [r.affine_map for r in W.regions]
    assert [r.bounded for r in U.regions] == [r.bounded for r in W.regions]
    for r, s in zip(U.regions, W.regions):
        assert sorted(r.inequalities) == sorted(s.inequalities)


def test_domain_enumeration_against_the_rewrite():
    net = network(2, [maxout([[1, 0], [0, 1], [-1, 1], [1, 1], [2, -1], [0, 0]],
                             [0, 0, 1, -1, 0, 1], 3),
                      ident([[1, -1]])])
    box = Domain.box([-2, -2], [3, 1])
    C, R = activation_regions(net, box), activation_regions(maxout_as_relu(net), box)
    assert len(linear_regions(C)) == len(linear_regions(R))
    assert all(r.bounded for r in C.regions)


# --- the command line ---------------------------------------------------------------

def test_cli_regions_and_workers(tmp_path, capsys):
    path = tmp_path / "m.json"
    net = network(2, [maxout([[1, 0], [0, 1], [0, 0]], [0, 0, 0], 3), ident([[1]])])
    path.write_text(json.dumps(net.to_dict()))
    code, out, _ = run(capsys, "regions", path, "--json")
    assert code == 0
    res = json.loads(out)
    assert res["activation_regions"] == 3 and res["verified"] is True
    code, _, err = run(capsys, "regions", path, "--no-tropical", "--workers", "2")
    one_line_error(code, err, "--workers", "maxout")
