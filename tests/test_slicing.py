"""Exact 2-D slices (tropexact.networks.slicing) and the ``--slice`` option.

* the restricted network equals the full network at lifted points (Hypothesis,
  exact equality);
* every region of a slice carries the full network's sign vector at its
  lifted point, and a grid on the plane finds no sign vector the slice missed;
* an axis plane of a network that ignores its third input reproduces the
  2-input complex exactly; a generic plane through a one-layer 3-D net cuts
  its hyperplanes in n lines in general position, 1 + n + C(n, 2) regions by
  Zaslavsky's theorem;
* parsing errors, and the CLI on regions / verify.
"""

from __future__ import annotations

import json
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tropexact import cli
from tropexact.errors import InputError
from tropexact.networks.io import load_network
from tropexact.networks.model import network
from tropexact.exact.numbers import Q
from tropexact.regions import activation_regions, sign_vector_at
from tropexact.cli.options import parse_plane
from tropexact.networks.slicing import Plane, lift, plane_from_dict, restrict

C2 = "data/networks/zhang2018_example_c2.json"

small = st.fractions(min_value=-3, max_value=3, max_denominator=4)


def _net(d: int, widths: list, data) -> object:
    layers, dim = [], d
    for k, w in enumerate(widths):
        act = "identity" if k == len(widths) - 1 else "relu"
        layers.append({"weight": [[data.draw(small) for _ in range(dim)] for _ in range(w)],
                       "bias": [data.draw(small) for _ in range(w)], "activation": act})
        dim = w
    return network(d, layers)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_restriction_equals_network_at_lifted_points(data):
    d = data.draw(st.integers(2, 5))
    net = _net(d, [data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3)), 2], data)
    vec = st.lists(small, min_size=d, max_size=d)
    u, v = data.draw(vec), data.draw(vec)
    plane = Plane(tuple(map(Q, data.draw(vec))), tuple(map(Q, u)), tuple(map(Q, v)))
    try:
        plane = plane_from_dict({k: [str(x) for x in getattr(plane, k)]
                                 for k in ("point", "u", "v")}, d)
    except InputError:
        return  # u, v dependent: refused, checked in test_dependent_directions_refused
    sliced = restrict(net, plane)
    assert sliced.input_dim == 2 and sliced.widths[1:] == net.widths[1:]
    for _ in range(5):
        st_ = (Q(data.draw(small)), Q(data.draw(small)))
        assert sliced(st_) == net(lift(plane, st_))


def _grid_signs(net, plane, n=12):
    """Sign vectors of the full net at grid points of the plane off every breakpoint."""
    out = set()
    for i in range(-n, n + 1):
        for j in range(-n, n + 1):
            x = lift(plane, (Q(i, 3), Q(j, 3)))
            s = sign_vector_at(net, x)
            if "0" not in s:
                out.add(s)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_slice_regions_are_the_full_networks_sign_vectors(seed):
    import random

    rng = random.Random(seed)
    d = 4
    rows = lambda n, m: [[Q(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(m)]  # noqa
                         for _ in range(n)]
    net = network(d, [{"weight": rows(5, d), "bias": [rng.randint(-2, 2) for _ in range(5)],
                       "activation": "relu"},
                      {"weight": rows(3, 5), "bias": [rng.randint(-2, 2) for _ in range(3)],
                       "activation": "relu"},
                      {"weight": rows(1, 3), "bias": [0], "activation": "identity"}])
    plane = parse_plane(f"random:{seed},random:{seed + 10},random:{seed + 20}", d)
    C = activation_regions(restrict(net, plane))
    signs = [r.signs for r in C.regions]
    assert len(set(signs)) == len(signs)
    for r in C.regions:
        assert sign_vector_at(net, lift(plane, r.point)) == r.signs
    # completeness on a grid: each off-breakpoint grid sign vector is a region's
    # (regions whose sign vector has a 0 are flat pieces the grid avoids)
    assert _grid_signs(net, plane) <= set(signs)


def test_axis_plane_of_a_padded_network_is_the_network_itself():
    # C.2 with a third input that no neuron reads: the plane x3 = 7 spanned by
    # e1, e2 must give exactly C.2's complex (same sign vectors, same maps).
    c2 = load_network(C2)
    d = c2.to_dict()
    d["input_dim"] = 3
    d["layers"][0]["weight"] = [row + ["0"] for row in d["layers"][0]["weight"]]
    padded = network(3, d["layers"])
    sliced = restrict(padded, parse_plane("0:0:7,e1,e2", 3))
    A, B = activation_regions(c2), activation_regions(sliced)
    assert sorted(r.signs for r in A.regions) == sorted(r.signs for r in B.regions)
    assert {(r.signs, r.weight, r.bias) for r in A.regions} == \
        {(r.signs, r.weight, r.bias) for r in B.regions}


@pytest.mark.parametrize("n", [3, 5, 7])
def test_generic_plane_through_one_layer_net_gives_zaslavsky_count(n):
    # Hyperplanes w_i·x + b_i = 0 of a one-layer net in Q^3 meet the plane in
    # lines (W U)·(s,t) + (b + W P) = 0.  We check those lines are in general
    # position (no two parallel, no three concurrent) exactly, then Zaslavsky:
    # 1 + n + C(n, 2) regions.
    import random

    rng = random.Random(n)
    rows = [[Q(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(3)] for _ in range(n)]
    net = network(3, [{"weight": rows, "bias": [Q(rng.randint(-9, 9), 7) for _ in range(n)],
                       "activation": "relu"},
                      {"weight": [[1] * n], "bias": [0], "activation": "identity"}])
    plane = parse_plane("1/2:-1:1/3,1:2:-1,0:1:3", 3)
    first = restrict(net, plane).layers[0]
    lines = list(zip(first.weight, first.bias))
    for i in range(n):
        for j in range(i + 1, n):
            (a1, b1), (a2, b2) = lines[i][0], lines[j][0]
            assert a1 * b2 - a2 * b1 != 0  # not parallel
            for k in range(j + 1, n):
                M = [[*lines[m][0], lines[m][1]] for m in (i, j, k)]
                det = (M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
                       - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
                       + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]))
                assert det != 0  # not concurrent
    assert len(activation_regions(restrict(net, plane)).regions) == 1 + n + comb(n, 2)


@pytest.mark.parametrize("spec, message", [
    ("e1,e2", "expected P,U,V"),
    ("0,e1,e1", "linearly dependent"),
    ("0,e1,2:0:0", "linearly dependent"),
    ("0,e0,e1", "unit vectors are e1..e3"),
    ("0,e4,e1", "unit vectors are e1..e3"),
    ("0,1:2,e1", "u has 2 coordinates"),
    ("0,e1,abc", "cannot read 'abc'"),
    ("0,e1,1:x:2", "expected a number"),
    ("0,random:z,e1", "random:SEED"),
    ("missing.json", "cannot read missing.json"),
])
def test_bad_slices_are_refused_with_a_message(spec, message):
    with pytest.raises(InputError, match=message) as e:
        parse_plane(spec, 3)
    assert "--slice" in str(e.value)


def test_slice_needs_two_inputs():
    with pytest.raises(InputError, match="at least 2 input dimensions"):
        parse_plane("0,1,1", 1)


def test_slice_from_files(tmp_path):
    f = tmp_path / "plane.json"
    f.write_text(json.dumps({"point": [0, "1/2", 0.25], "u": [1, 0, 0], "v": [0, 1, 1]}))
    p = parse_plane(str(f), 3)
    assert p.point == (Q(0), Q(1, 2), Q(1, 4))  # 0.25 read from its text
    g = tmp_path / "u.json"
    g.write_text("[1, 2, 3]")
    assert parse_plane(f"0,@{g},e1", 3).u == (Q(1), Q(2), Q(3))
    f.write_text(json.dumps({"point": [0, 0, 0], "u": [1, 0, 0]}))
    with pytest.raises(InputError, match="exactly the keys point, u, v"):
        parse_plane(str(f), 3)


def _three_d(tmp_path):
    net = network(3, [{"weight": [[1, 0, 1], [0, 1, -1], [1, 1, 1], [2, -1, 0]],
                       "bias": [0, 1, -1, 2], "activation": "relu"},
                      {"weight": [[1, -1, 2, 1]], "bias": [0], "activation": "identity"}])
    path = tmp_path / "net3.json"
    path.write_text(json.dumps(net.to_dict()))
    return net, str(path)


def test_cli_regions_on_a_slice(tmp_path, capsys):
    net, path = _three_d(tmp_path)
    assert cli.main(["regions", path, "--slice", "0:0:1,e1,e2", "--json", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    expect = activation_regions(restrict(net, parse_plane("0:0:1,e1,e2", 3)))
    assert out["input_dim"] == 2 and out["activation_regions"] == len(expect.regions)
    assert out["slice"] == {"point": ["0", "0", "1"], "u": ["1", "0", "0"], "v": ["0", "1", "0"]}
    assert out["verified"] is True


def test_cli_verify_on_a_slice(tmp_path, capsys):
    _, path = _three_d(tmp_path)
    assert cli.main(["verify", path, "--slice", "1:1:1,1:0:1,0:1:-1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] and out["checks"][0]["name"] == "slice = restriction of the network"
    assert cli.main(["verify", "--random", "2", "--arch", "2,2,1", "--slice", "0,e1,e2"]) == 2
    assert "--slice applies to a network file" in capsys.readouterr().err


def test_cli_bad_slice_is_exit_2(tmp_path, capsys):
    _, path = _three_d(tmp_path)
    assert cli.main(["regions", path, "--slice", "0,e1,e1"]) == 2
    err = capsys.readouterr().err
    assert "--slice" in err and "linearly dependent" in err and "Traceback" not in err


def test_cli_tropicalize_a_slice(tmp_path, capsys):
    # the tropicalization of the slice computes the restricted network: F - G = nu
    # at lifted points, and the exponents live in Q^2
    from tropexact.networks.tropicalization import tropicalize

    net, path = _three_d(tmp_path)
    assert cli.main(["tropicalize", path, "--slice", "1:0:0,e2,e3", "--json", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["input_dim"] == 2 and out["slice"]["point"] == ["1", "0", "0"]
    plane = parse_plane("1:0:0,e2,e3", 3)
    T = tropicalize(restrict(net, plane), count_before=False)
    assert [len(row) for row in out["outputs"][0]["F"]["polynomial"]] == \
        [3] * len(T.outputs[0].F)
    for st_ in [(Q(0), Q(0)), (Q(1, 2), Q(-3)), (Q(5), Q(2))]:
        o = T.outputs[0]
        assert o.F(st_) - o.G(st_) == net(lift(plane, st_))[0]
