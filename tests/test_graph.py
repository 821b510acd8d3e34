"""The tropexact-graph format: validation, exact forward pass, sparse weights.

Independent sources: the sequential network's own forward pass (a graph built
from it must compute the same function), and hand-computed values.
"""

from __future__ import annotations

import json
import random

import pytest

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.graph import from_network, graph, graph_from_dict, load_graph
from tropexact.networks.io import load_network

NETS = ["maxout_2d", "zhang2018_example_c2", "rational_leaky_2d", "three_inputs", "caveat_1d"]


@pytest.mark.parametrize("name", NETS)
def test_sequential_networks_as_graphs(name):
    net = load_network(f"data/networks/{name}.json")
    g = from_network(net)
    rnd = random.Random(name)
    for _ in range(30):
        x = [Q(rnd.randint(-40, 40), rnd.randint(1, 6)) for _ in range(net.input_dim)]
        assert g(x) == net(x)
    assert graph_from_dict(json.loads(json.dumps(g.to_dict()))) == g


def test_hand_computed_residual_and_pooling():
    # conv-like sparse affine 3 -> 2, relu, add a skip, max-pool over both entries
    g = graph(3, [
        {"name": "c", "op": "affine", "input": "input",
         "weight": {"shape": [2, 3], "entries": [[0, 0, 1], [0, 1, -1], [1, 2, "1/2"]]},
         "bias": [0, 1]},
        {"name": "r", "op": "relu", "input": "c"},
        {"name": "skip", "op": "affine", "input": "input", "weight": [[1, 0, 0], [0, 0, 1]],
         "bias": [0, 0]},
        {"name": "s", "op": "add", "inputs": ["r", "skip"]},
        {"name": "p", "op": "max", "input": "s", "groups": [[0, 1]]},
        {"name": "o", "op": "concat", "inputs": ["p", "r"]}], "o")
    # x = (1, 3, 4): c = (1 - 3, 2 + 1) = (-2, 3); r = (0, 3); skip = (1, 4); s = (1, 7)
    assert g([1, 3, 4]) == (7, 0, 3)
    d = g.to_dict()  # 3 of 6 weights are nonzero: written dense (sparse below half)
    assert d["nodes"][0]["weight"] == [["1", "-1", "0"], ["0", "0", "1/2"]]
    assert graph_from_dict(d) == g


def test_sparse_weights_are_written_sparse():
    eye = {"name": "a", "op": "affine", "input": "input", "weight": [[int(i == j) for j in
                                                                      range(4)] for i in range(4)],
           "bias": [0] * 4}
    d = graph(4, [eye], "a").to_dict()
    assert d["nodes"][0]["weight"] == {"shape": [4, 4],
                                       "entries": [[i, i, "1"] for i in range(4)]}


@pytest.mark.parametrize("nodes, output, where", [
    ([{"name": "a", "op": "affine", "input": "b", "weight": [[1]], "bias": [0]}], "a",
     "nodes[0]"),
    ([{"name": "a", "op": "conv", "input": "input"}], "a", "nodes[0].op"),
    ([{"name": "a", "op": "relu", "input": "input"}, {"name": "a", "op": "relu",
                                                      "input": "input"}], "a", "nodes[1].name"),
    ([{"name": "a", "op": "affine", "input": "input", "weight": [[1, 2]], "bias": [0]}], "a",
     "nodes[0].weight[0]"),
    ([{"name": "a", "op": "affine", "input": "input",
       "weight": {"shape": [1, 1], "entries": [[0, 0, 1], [0, 0, 2]]}, "bias": [0]}], "a",
     "nodes[0].weight.entries[1]"),
    ([{"name": "a", "op": "affine", "input": "input",
       "weight": {"shape": [1, 1], "entries": [[1, 0, 1]]}, "bias": [0]}], "a",
     "nodes[0].weight.entries[0]"),
    ([{"name": "a", "op": "affine", "input": "input", "weight": [[1], [1]], "bias": [0, 0]},
      {"name": "b", "op": "add", "inputs": ["a", "input"]}], "b", "nodes[1]"),
    ([{"name": "a", "op": "max", "input": "input", "groups": [[0, 1]]}], "a",
     "nodes[0].groups[0]"),
    ([{"name": "a", "op": "max", "input": "input", "pieces": 2}], "a", "nodes[0].pieces"),
    ([{"name": "a", "op": "leaky_relu", "input": "input", "negative_slope": 1}], "a",
     "nodes[0].negative_slope"),
    ([{"name": "a", "op": "relu", "input": "input", "slope": 1}], "a", "nodes[0]"),
    ([{"name": "a", "op": "relu", "input": "input"}], "b", "output"),
])
def test_bad_graphs_name_the_place(nodes, output, where):
    with pytest.raises(InputError) as e:
        graph(1, nodes, output)
    assert e.value.where == where, str(e.value)


def test_load_graph_names_the_file(tmp_path):
    p = tmp_path / "g.json"
    p.write_text(json.dumps({"format": "tropexact-graph", "input_dim": 1, "nodes": [
        {"name": "a", "op": "relu", "input": "input", "threshold": "x"}], "output": "a"}))
    with pytest.raises(InputError, match="g.json: nodes\\[0\\].threshold"):
        load_graph(p)
