"""Computation graphs through the engine: regions, tropicalization, slices, commands.

Independent sources: the graph's exact forward pass; its plain ReLU rewrite
(``graph_as_relu``: skip connections carried as relu(v) − relu(−v), maxima as
pairwise relu trees) enumerated by the hyperplane walk, a second algorithm on a
second network computing the same function, hence the same linear regions and
affine maps; and, for a sequential network, the walk's complex itself.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_hardening import one_line_error, run
from tropexact.exact.numbers import Q
from tropexact.networks.graph import from_network, graph
from tropexact.networks.io import load_network
from tropexact.networks.rewrite import graph_as_relu
from tropexact.networks.slicing import lift, make_plane, restrict
from tropexact.regions import activation_regions, affine_map_count, linear_regions
from tropexact.regions.pieces import tropicalize

small = st.integers(min_value=-2, max_value=2)


@st.composite
def graphs(draw):
    """A random DAG: affine maps, relu / leaky relu (with thresholds), element-wise and
    grouped maxima, residual additions and concatenations over earlier values."""
    d = draw(st.integers(1, 3))
    sizes = {"input": d}
    nodes = []
    for k in range(draw(st.integers(2, 5))):
        names = list(sizes)
        src = draw(st.sampled_from(names))
        op = draw(st.sampled_from(["affine", "affine", "relu", "leaky_relu", "max", "maxg",
                                   "add", "concat"]))
        name = f"n{k}"
        same = [n for n in names if sizes[n] == sizes[src] and n != src]
        if op == "affine" or (op in ("max", "add") and not same) or \
                (op == "concat" and sizes[src] * 2 > 4):
            m = draw(st.integers(1, 3))
            nodes.append({"name": name, "op": "affine", "input": src,
                          "weight": [[draw(small) for _ in range(sizes[src])] for _ in range(m)],
                          "bias": [draw(small) for _ in range(m)]})
            sizes[name] = m
        elif op == "relu":
            nodes.append({"name": name, "op": "relu", "input": src, "threshold": draw(small)})
            sizes[name] = sizes[src]
        elif op == "leaky_relu":
            nodes.append({"name": name, "op": "leaky_relu", "input": src,
                          "negative_slope": Fraction(1, 3)})
            sizes[name] = sizes[src]
        elif op == "maxg":
            n = sizes[src]
            groups = [sorted(set(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))))
                      for _ in range(draw(st.integers(1, 2)))]
            nodes.append({"name": name, "op": "max", "input": src, "groups": groups})
            sizes[name] = len(groups)
        elif op == "concat":
            other = draw(st.sampled_from(names))
            if sizes[src] + sizes[other] > 4:
                other = src
            nodes.append({"name": name, "op": "concat", "inputs": [src, other]})
            sizes[name] = sizes[src] + sizes[other]
        else:
            nodes.append({"name": name, "op": op, "inputs": [src, draw(st.sampled_from(same))]})
            sizes[name] = sizes[src]
    last = nodes[-1]["name"]
    nodes.append({"name": "out", "op": "affine", "input": last,
                  "weight": [[draw(small) for _ in range(sizes[last])]], "bias": [draw(small)]})
    return graph(d, nodes, "out")


def point(rnd, d):
    return [Q(rnd.randint(-30, 30), rnd.randint(1, 6)) for _ in range(d)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_graph_regions_against_the_relu_rewrite(g):
    relu = graph_as_relu(g)
    rnd = random.Random(0)
    for _ in range(10):
        x = point(rnd, g.input_dim)
        assert relu(x) == g(x)
    C, R = activation_regions(g), activation_regions(relu)
    assert len(linear_regions(C)) == len(linear_regions(R))
    assert affine_map_count(C) == affine_map_count(R)
    for r in C.regions:
        assert g(r.point) == tuple(sum((w * v for w, v in zip(row, r.point)), Q(0)) + b
                                   for row, b in zip(r.weight, r.bias))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_graph_tropicalization_is_the_graph(g):
    T = tropicalize(g)
    rnd = random.Random(1)
    for x in [point(rnd, g.input_dim) for _ in range(8)] + \
            [r.point for r in activation_regions(g).regions]:
        assert T.map(x) == g(x)


def test_sequential_network_as_a_graph_has_the_walks_regions():
    net = load_network("data/networks/zhang2018_example_c2.json")
    C, W = activation_regions(from_network(net)), activation_regions(net)
    assert list(C._signs) == list(W._signs) and list(C.edges) == list(W.edges)
    assert [r.affine_map for r in C.regions] == [r.affine_map for r in W.regions]


def test_slice_of_a_graph():
    g = graph(3, [{"name": "h", "op": "affine", "input": "input",
                   "weight": [[1, -1, 0], [0, 1, 2]], "bias": [0, 1]},
                  {"name": "r", "op": "relu", "input": "h"},
                  {"name": "s", "op": "add", "inputs": ["r", "h"]},
                  {"name": "o", "op": "max", "input": "s", "groups": [[0, 1]]}], "o")
    plane = make_plane((Q(1), Q(0), Q(-1)), (Q(1), Q(2), Q(0)), (Q(0), Q(1), Q(1)), 3)
    gs = restrict(g, plane)
    rnd = random.Random(2)
    for _ in range(20):
        st_ = point(rnd, 2)
        assert gs(st_) == g(lift(plane, st_))


def test_commands_take_graph_files(tmp_path, capsys):
    g = graph(2, [{"name": "h", "op": "affine", "input": "input", "weight": [[1, -1], [2, 1]],
                   "bias": [0, -1]},
                  {"name": "r", "op": "relu", "input": "h"},
                  {"name": "s", "op": "add", "inputs": ["r", "input"]},
                  {"name": "o", "op": "max", "input": "s", "groups": [[0, 1]]}], "o")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(g.to_dict()))
    code, out, _ = run(capsys, "regions", path, "--json")
    res = json.loads(out)
    C = activation_regions(g)
    assert code == 0 and res["activation_regions"] == len(C) and res["verified"] is True
    code, out, _ = run(capsys, "verify", path)
    assert code == 0 and "[pass] certificate (independent checker)" in out and "FAIL" not in out
    code, _, err = run(capsys, "regions", path, "--certificate", tmp_path / "c.json")
    assert code == 0 and (tmp_path / "c.json").exists()
    code, _, err = run(capsys, "tropicalize", path, "--method", "regions")
    one_line_error(code, err, "--method")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_graph_round_trip_through_synthesize(g):
    # regression: verify --map on a graph crashed (the round trip read F, G off the
    # regions of sequential networks only); graph -> map -> network -> the same function
    from tropexact.networks.synthesis import synthesize
    from tropexact.verify.theorems import check_round_trip
    tmap = tropicalize(g).map
    assert check_round_trip(g, tmap).passed
    assert check_round_trip(synthesize(tmap).network, tmap).passed
