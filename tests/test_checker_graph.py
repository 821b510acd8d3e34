"""The independent checker on computation graphs: what it proves, and every tampering rejected.

The layers, as in tests/test_checker_maxout.py:

* hand-built graph certificates (derived by hand in the comments, no tropexact code
  writes them), verified, and the engine writes the same ones;
* the engine's certificates of random small graphs (Hypothesis, the graphs of
  tests/test_graph_regions.py: residual adds, concats, element-wise and grouped
  maxima, relu with thresholds, leaky relu; all of Q^d, boxes and polytopes; slices)
  are verified, and their counts agree with a second method, the plain relu network
  computing the same function (``graph_as_relu``, enumerated by the hyperplane walk);
* named tamperings of graph certificates, each rejected by the check named or refused
  as malformed at the place named; malformed graph documents refused by the checker and
  by the engine's reader alike;
* test_tamper's catalogue of mutations and its random edits on graph certificates,
  judged against the engine's truth (test_tamper's oracle reads graphs too);
* ``regions --certificate`` / ``check`` / ``verify`` on graph files end to end.
"""

from __future__ import annotations

import copy
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_graph_regions import graphs
from test_hardening import run
from test_tamper import (ACCEPTED, REJECTED, _drop_region, _edit, domains, k_move_point_inside,
                         true_certificate, verdict)
from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.networks.graph import graph, graph_from_dict
from tropexact.networks.rewrite import graph_as_relu
from tropexact.networks.slicing import make_plane, restrict
from tropexact.regions import activation_regions, affine_map_count, linear_regions
from tropexact.verify.certificates import certificate as engine_certificate
from tropexact.verify.checker import MAX_GRAPH_ENTRIES, CertificateError, check_certificate

# -- hand-built certificates ------------------------------------------------------------


def doc(d, nodes, output):
    return {"format": "tropexact-graph", "version": 1, "input_dim": d, "nodes": nodes,
            "output": output}


def region(signs, point, weight, bias, units=(), domain=(), neurons=()):
    return {"signs": signs, "point": point, "affine_map": {"weight": weight, "bias": bias},
            "facets": {"neurons": list(neurons), "domain": list(domain),
                       "units": [list(u) for u in units]}}


def cert(net, domain, positions, regions, adjacency, groups, counts):
    return {"format": "tropexact-certificate", "version": 1, "network": net, "domain": domain,
            "neurons": positions, "regions": regions, "adjacency": adjacency,
            "linear_regions": groups,
            "counts": dict(zip(("activation_regions", "linear_regions", "affine_maps"), counts))}


ALL = {"type": "all"}


def residual_1d():
    # y = max(x, 1) + x (a relu with threshold 1 read from the input, then a residual add);
    # node 0 is the relu, so its one position is [0, 0].  '+': x > 1, y = 2x; '-': x < 1,
    # y = 1 + x.  One facet each, x = 1, named by neuron 0.
    net = doc(1, [{"name": "r", "op": "relu", "input": "input", "threshold": "1"},
                  {"name": "y", "op": "add", "inputs": ["r", "input"]}], "y")
    return cert(net, ALL, [[0, 0]],
                [region("+", ["2"], [["2"]], ["0"], neurons=[0]),
                 region("-", ["0"], [["1"]], ["1"], neurons=[0])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def max_box_2d():
    # max(a, b) element-wise over the nodes a = x, b = y (node 2, position [2, 0]) on the
    # box [-1, 1]^2 (inequalities 0: x >= -1, 1: x <= 1, 2: y >= -1, 3: y <= 1).  'a' is
    # the triangle x > y with facets x - y >= 0 (the unit against piece 1), y >= -1, x <= 1;
    # 'b' is y > x with facets y - x >= 0, x >= -1, y <= 1.
    net = doc(2, [{"name": "a", "op": "affine", "input": "input", "weight": [[1, 0]], "bias": [0]},
                  {"name": "b", "op": "affine", "input": "input", "weight": [[0, 1]], "bias": [0]},
                  {"name": "m", "op": "max", "inputs": ["a", "b"]}], "m")
    return cert(net, {"type": "box", "lower": [-1, -1], "upper": [1, 1]}, [[2, 0]],
                [region("a", ["1/2", "-1/2"], [["1", "0"]], ["0"], units=[(0, 1)], domain=[1, 2]),
                 region("b", ["-1/2", "1/2"], [["0", "1"]], ["0"], units=[(0, 0)], domain=[0, 3])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def tie_groups_1d():
    # h = (x, 0), then the max over the group [0, 0, 1]: pieces x, x, 0.  The second piece
    # equals the first everywhere and never wins (the smaller index wins a tie).  'a' where
    # x > 0 (facet: a - c = x >= 0, unit 0 against piece 2); 'c' where x < 0 (c - a = c - b
    # = -x: one hyperplane, named once).  Maps x and 0.
    net = doc(1, [{"name": "h", "op": "affine", "input": "input", "weight": [[1], [0]],
                   "bias": [0, 0]},
                  {"name": "m", "op": "max", "input": "h", "groups": [[0, 0, 1]]}], "m")
    return cert(net, ALL, [[1, 0]],
                [region("a", ["2"], [["1"]], ["0"], units=[(0, 2)]),
                 region("c", ["-3"], [["0"]], ["0"], units=[(0, 0)])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def leaky_concat_2d():
    # l = leaky_relu(x, y; 1/2) (positions [0, 0], [0, 1]), c = (l, x, y) ... concatenated
    # with the input, o = c_0 + c_3 (a sparse weight): o = x + y where x > 0, x/2 + y where
    # x < 0, whatever the sign of y.  Four quadrants, pairwise adjacent across the axes;
    # two linear regions {++, +-} and {-+, --} (each pair adjacent across y = 0).
    net = doc(2, [{"name": "l", "op": "leaky_relu", "input": "input", "negative_slope": "1/2"},
                  {"name": "c", "op": "concat", "inputs": ["l", "input"]},
                  {"name": "o", "op": "affine", "input": "c",
                   "weight": {"shape": [1, 4], "entries": [[0, 0, "1"], [0, 3, "1"]]},
                   "bias": ["0"]}], "o")
    return cert(net, ALL, [[0, 0], [0, 1]],
                [region("++", ["1", "1"], [["1", "1"]], ["0"], neurons=[0, 1]),
                 region("+-", ["1", "-1"], [["1", "1"]], ["0"], neurons=[0, 1]),
                 region("-+", ["-1", "1"], [["1/2", "1"]], ["0"], neurons=[0, 1]),
                 region("--", ["-1", "-1"], [["1/2", "1"]], ["0"], neurons=[0, 1])],
                [[0, 1], [0, 2], [1, 3], [2, 3]], [[0, 1], [2, 3]], (4, 2, 2))


EXAMPLES = [residual_1d, max_box_2d, tie_groups_1d, leaky_concat_2d]


def failed(c):
    return [ch.name for ch in check_certificate(c).checks if ch.failed]


def detail(c, name):
    return next(ch.detail for ch in check_certificate(c).checks if ch.name == name)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_hand_built_graph_certificates_are_verified(example):
    r = check_certificate(example())
    assert r.verdict == "verified", [ch for ch in r.checks if not ch.passed]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_the_engine_writes_the_same_certificates(example):
    c = example()
    dom = None if c["domain"]["type"] == "all" else Domain.box(c["domain"]["lower"],
                                                              c["domain"]["upper"])
    e = engine_certificate(activation_regions(graph_from_dict(c["network"]), dom))
    assert e["counts"] == c["counts"] and e["neurons"] == c["neurons"]
    assert check_certificate(e).verdict == "verified"
    mine = {r["signs"]: r for r in c["regions"]}
    assert set(mine) == {r["signs"] for r in e["regions"]}
    for r in e["regions"]:
        h = mine[r["signs"]]
        assert [[Q(x) for x in row] for row in r["affine_map"]["weight"]] == \
            [[Q(x) for x in row] for row in h["affine_map"]["weight"]]
        assert r["facets"]["domain"] == h["facets"]["domain"]
        assert r["facets"]["neurons"] == h["facets"]["neurons"]
        assert len(r["facets"]["units"]) == len(h["facets"]["units"])


def test_structure_names_the_graph():
    assert detail(leaky_concat_2d(), "structure") == "d = 2, a graph of 3 nodes, 2 neurons, 4 regions"
    assert detail(max_box_2d(), "structure") == "d = 2, a graph of 3 nodes, 0 neurons, 1 max units, 2 regions"


# -- named tamperings -------------------------------------------------------------------

def test_changed_state_fails_points_inside():
    c = leaky_concat_2d()
    c["regions"][0]["signs"] = "-+"  # the point (1, 1) has x > 0; the map x/2 + y is not claimed
    assert "points_inside" in failed(c) and "distinct_signs" in failed(c)
    assert "point violates sign '-' of neuron 0 [0, 0] of node 'l'" in detail(c, "points_inside")
    c = max_box_2d()
    c["regions"][0]["signs"], c["regions"][0]["facets"]["units"] = "b", [[0, 0]]
    c["regions"][1]["signs"], c["regions"][1]["facets"]["units"] = "a", [[0, 1]]
    assert failed(c) == ["points_inside", "affine_maps"]
    assert "state 'b' of unit 0 [2, 0] of node 'm' (piece 'b' above piece 'a')" in \
        detail(c, "points_inside")


def test_tie_claimed_by_the_larger_index_fails_points_inside():
    c = tie_groups_1d()
    c["regions"][0]["signs"] = "b"  # b is the same function as a; the tie is a's
    assert failed(c) == ["points_inside"]
    assert "is 'b' but piece 'a' is the same function there and wins the tie" in \
        detail(c, "points_inside")


def test_changed_weight_is_rejected():
    # a = 2x instead of x: on 'a' (2x > y) the map is 2x, not the claimed x
    c = max_box_2d()
    c["network"]["nodes"][0]["weight"] = [[2, 0]]
    assert "affine_maps" in failed(c)
    c = leaky_concat_2d()  # o = c_0 + 2 c_3: every map's y coefficient is 2
    c["network"]["nodes"][2]["weight"]["entries"][1][2] = "2"
    assert failed(c) == ["affine_maps"]
    c = residual_1d()  # threshold 0: the breakpoint moves to x = 0 (region '-' has its point
    c["network"]["nodes"][0]["threshold"] = "0"  # there) and its map becomes x
    assert failed(c) == ["points_inside", "affine_maps"]


def test_input_renamed_to_a_later_node_is_malformed():
    c = leaky_concat_2d()
    c["network"]["nodes"][0]["input"] = "c"  # l reads c, which reads l: a cycle
    with pytest.raises(CertificateError, match=r"network.nodes\[0\].input: 'c' is not an earlier "
                                               r"node or 'input' \(a node reads earlier nodes only"):
        check_certificate(c)
    c = leaky_concat_2d()
    c["network"]["nodes"][1]["inputs"][1] = "o"
    with pytest.raises(CertificateError, match=r"network.nodes\[1\].inputs\[1\]: 'o' is not"):
        check_certificate(c)


def test_group_index_out_of_range_is_malformed():
    c = tie_groups_1d()
    c["network"]["nodes"][1]["groups"] = [[0, 0, 2]]
    with pytest.raises(CertificateError, match=r"network.nodes\[1\].groups\[0\]\[2\]: index 2 out "
                                               r"of range 0..1"):
        check_certificate(c)


def test_removed_region_fails_coverage():
    assert "coverage" in failed(_drop_region(leaky_concat_2d(), 2))


def test_removed_or_added_pair_fails_adjacency():
    c = leaky_concat_2d()
    c["adjacency"].remove([0, 2])
    assert "adjacency" in failed(c)
    assert "claimed neighbours cover 0 of its facet on neuron 0 [0, 0] of node 'l'" in \
        detail(c, "adjacency")
    c = leaky_concat_2d()
    c["adjacency"].append([0, 3])  # ++ and -- meet at the origin only
    c["adjacency"].sort()
    assert failed(c) == ["adjacency"]


def test_point_moved_outside_fails_points_inside():
    c = max_box_2d()
    c["regions"][0]["point"] = ["3", "-1/2"]  # x > y, outside the box
    assert failed(c) == ["points_inside"]
    assert "point not strictly inside domain inequality 1" in detail(c, "points_inside")


def test_facet_named_by_the_wrong_position():
    c = max_box_2d()
    c["regions"][0]["facets"]["units"], c["regions"][0]["facets"]["neurons"] = [], [0]
    assert failed(c) == ["structure"]
    assert "facet neuron 0 is not a +/- neuron" in detail(c, "structure")
    c = leaky_concat_2d()
    c["regions"][0]["facets"]["units"] = [[1, 0]]  # a leaky neuron as a max unit
    assert "facet unit [1, 0] is not a maxout unit" in detail(c, "structure")
    c = leaky_concat_2d()
    c["regions"][0]["facets"]["neurons"] = [1, 1]
    assert "a facet is listed twice" in detail(c, "structure")
    c = leaky_concat_2d()
    c["regions"][0]["facets"]["neurons"] = [1]  # x >= 0 dropped: the quadrant is not closed
    assert failed(c) == ["closures"]
    c = tie_groups_1d()
    c["regions"][0]["facets"]["units"] = [[0, 1]]  # a - b is constant: no facet
    assert "piece 'a' minus piece 'b' is constant on the region, no facet" in detail(c, "structure")


def test_positions_must_be_the_graphs():
    c = leaky_concat_2d()
    c["neurons"] = [[1, 0], [1, 1]]  # node 1 is the concat
    assert failed(c) == ["structure"]
    assert "neurons should be [[0, 0], [0, 1]]" in detail(c, "structure")


def _g(nodes, output="o", d=2):
    return doc(d, nodes, output)


AFF = {"name": "h", "op": "affine", "input": "input", "weight": [[1, 0], [0, 1]], "bias": [0, 0]}
MALFORMED = [  # (graph document, the place and message the checker names)
    (_g([AFF, {"name": "o", "op": "conv", "input": "h"}]), r"nodes\[1\].op: unknown op 'conv'"),
    (_g([AFF, {"name": "h", "op": "relu", "input": "h"}], "h"), r"nodes\[1\].name: expected a new"),
    (_g([{**AFF, "name": "input"}], "input"), r"nodes\[0\].name: expected a new"),
    (_g([AFF, {"name": "x", "op": "affine", "input": "h", "weight": [[1, 1]], "bias": [0]},
         {"name": "o", "op": "add", "inputs": ["h", "x"]}]), r"nodes\[2\].inputs: inputs of different sizes"),
    (_g([AFF, {"name": "o", "op": "max", "inputs": ["h", "h"], "groups": [[0]]}]),
     r"nodes\[1\]: unknown key 'groups'"),
    (_g([AFF, {"name": "o", "op": "max", "input": "h"}]), r"nodes\[1\]: a max over one input needs"),
    (_g([AFF, {"name": "o", "op": "max", "input": "h", "groups": [[0]], "pieces": 1}]),
     r"nodes\[1\]: a max over one input needs"),
    (_g([AFF, {"name": "o", "op": "max", "input": "h", "pieces": 3}]), r"nodes\[1\].pieces: must be"),
    (_g([AFF, {"name": "o", "op": "max", "input": "h", "groups": [list(range(2)) * 27]}]),
     r"nodes\[1\].groups\[0\]: expected 1 to 52 entries"),
    (_g([AFF, {"name": "o", "op": "max", "inputs": ["h"] * 53}]), r"nodes\[1\].inputs: more than 52"),
    (_g([AFF, {"name": "o", "op": "max", "input": "h", "groups": []}]), r"nodes\[1\].groups: no groups"),
    (_g([AFF, {"name": "o", "op": "leaky_relu", "input": "h", "negative_slope": 1}]),
     r"nodes\[1\].negative_slope: must lie in \(0, 1\)"),
    (_g([AFF, {"name": "o", "op": "relu", "input": "h", "slope": 1}]), r"nodes\[1\]: unknown key 'slope'"),
    (_g([{**AFF, "weight": [[1, 0], [1]]}], "h"), r"nodes\[0\].weight\[1\]: expected 2 entries"),
    (_g([{**AFF, "bias": [0]}], "h"), r"nodes\[0\].bias: expected 2 entries"),
    (_g([{**AFF, "weight": {"shape": [1, 3], "entries": []}, "bias": [0]}], "h"),
     r"nodes\[0\].weight.shape: expected \[rows >= 1, 2\]"),
    (_g([{**AFF, "weight": {"shape": [1, 2], "entries": [[0, 1, 1], [0, 1, 2]]}, "bias": [0]}], "h"),
     r"nodes\[0\].weight.entries\[1\]: entry \(0, 1\) given twice"),
    (_g([{**AFF, "weight": {"shape": [1, 2], "entries": [[1, 0, 1]]}, "bias": [0]}], "h"),
     r"nodes\[0\].weight.entries\[0\]: \(1, 0\) is outside the 1 x 2 matrix"),
    (_g([{**AFF, "weight": {"shape": [1, 2], "entries": [[0, 0, "x"]]}, "bias": [0]}], "h"),
     r"nodes\[0\].weight.entries\[0\]\[2\]: not a number"),
    (_g([AFF], "z"), r"network.output: must name a node, got 'z'"),
    (_g([AFF], "input"), r"network.output: must name a node, got 'input'"),
    (_g([], "input"), r"network.nodes: no nodes"),
    ({**_g([AFF], "h"), "version": 2}, r"network: not a tropexact-graph of version 1"),
    ({**_g([AFF], "h"), "layers": []}, r"network: unknown key 'layers'"),
]


@pytest.mark.parametrize("net, message", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_graphs_are_refused_at_the_place_named(net, message):
    c = residual_1d()
    c["network"] = net
    with pytest.raises(CertificateError, match="network." + message if "network" not in message
                       else message):
        check_certificate(c)
    with pytest.raises(InputError):  # the engine's reader refuses them too
        graph_from_dict(net)


def test_graph_sizes_are_bounded():
    # concat doubles a size; 23 doublings pass MAX_GRAPH_ENTRIES before anything is built
    nodes = [{"name": "c0", "op": "concat", "inputs": ["input", "input"]}]
    nodes += [{"name": f"c{k}", "op": "concat", "inputs": [f"c{k - 1}", f"c{k - 1}"]} for k in range(1, 40)]
    c = residual_1d()
    c["network"] = doc(1, nodes, "c39")
    with pytest.raises(CertificateError, match=rf"network.nodes\[21\]: the nodes have more than "
                                               rf"{MAX_GRAPH_ENTRIES} entries"):
        check_certificate(c)


# -- the engine's certificates of random graphs ------------------------------------------

def _random_graph_certificate(g, data):
    dom = data.draw(domains(g.input_dim))
    if g.input_dim >= 2 and data.draw(st.integers(0, 3)) == 0:  # a slice: a 2-input graph
        vec = st.lists(st.integers(-2, 2), min_size=g.input_dim, max_size=g.input_dim)
        try:
            g = restrict(g, make_plane(*(data.draw(vec) for _ in range(3)), g.input_dim))
        except InputError:  # u, v dependent
            return
        dom = data.draw(domains(2))
    try:
        C = activation_regions(g, dom)
    except InputError:  # a polytope that is not full-dimensional
        return
    cert = engine_certificate(C)
    r = check_certificate(cert)
    assert r.verdict == "verified", [ch for ch in r.checks if not ch.passed]
    # a second method: the plain relu network computing the same function (the walk)
    R = activation_regions(graph_as_relu(g), dom)
    assert len(linear_regions(R)) == cert["counts"]["linear_regions"]
    assert affine_map_count(R) == cert["counts"]["affine_maps"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_random_graph_certificates_are_verified(g, data):
    _random_graph_certificate(g, data)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_random_graph_certificates_are_verified_many(g, data):
    _random_graph_certificate(g, data)


# -- test_tamper's catalogue and random edits on graph certificates ----------------------

GRAPH = graph(2, [{"name": "h", "op": "affine", "input": "input", "weight": [[1, -1], [2, 1], [0, 1]],
                   "bias": [0, -1, 1]},
                  {"name": "r", "op": "relu", "input": "h", "threshold": "1/2"},
                  {"name": "s", "op": "add", "inputs": ["r", "h"]},
                  {"name": "l", "op": "leaky_relu", "input": "s", "negative_slope": "1/3"},
                  {"name": "c", "op": "concat", "inputs": ["l", "input"]},
                  {"name": "m", "op": "max", "input": "c", "groups": [[0, 3], [1, 4, 2]]},
                  {"name": "e", "op": "max", "inputs": ["m", "input"]},
                  {"name": "o", "op": "affine", "input": "e", "weight": [[1, -2]], "bias": [0]}], "o")
SMALL = graph(2, [{"name": "h", "op": "affine", "input": "input", "weight": [[1, 1], [1, -1]],
                   "bias": [0, 1]},
                  {"name": "r", "op": "relu", "input": "h"},
                  {"name": "m", "op": "max", "inputs": ["r", "h"]},
                  {"name": "g", "op": "max", "input": "m", "pieces": 2}], "g")
GR = {  # name: (graph, domain)
    "graph_all": (SMALL, None),
    "graph_box": (GRAPH, Domain.box([-2, -2], [2, 2])),
    "graph_triangle": (SMALL, Domain.polytope([(0, (1, 0)), (0, (0, 1)), (4, (-1, -1))])),
}
_CACHE: dict = {}


def g_engine(name):
    if name not in _CACHE:
        g, dom = GR[name]
        C = activation_regions(g, dom)
        _CACHE[name] = (engine_certificate(C), C)
    return _CACHE[name]


@pytest.mark.parametrize("name", sorted(GR))
def test_graph_cases_are_verified_and_true(name):
    c, _ = g_engine(name)
    assert check_certificate(copy.deepcopy(c)).verdict == "verified"
    assert true_certificate(c)
    assert any(r["facets"]["units"] for r in c["regions"]) and any(r["facets"]["neurons"] for r in c["regions"])


def g_letter(c, rng):
    """A max output's state changed to another letter (the certificate unchanged if earlier
    edits left no letter to change)."""
    try:
        options = [(r, k) for r in c["regions"] for k, s in enumerate(r["signs"]) if s.isalpha()]
    except (TypeError, KeyError, AttributeError):
        return c
    if not options:
        return c
    r, k = rng.choice(options)
    r["signs"] = r["signs"][:k] + rng.choice([t for t in "abc" if t != r["signs"][k]]) + r["signs"][k + 1:]
    return c


def g_unit_facet_remove(c, rng):
    r = rng.choice([r for r in c["regions"] if r["facets"]["units"]])
    r["facets"]["units"].pop(rng.randrange(len(r["facets"]["units"])))
    return c


def g_input_later(c, rng):
    """A node reads a later node (a cycle)."""
    nodes = c["network"]["nodes"]
    k = rng.randrange(len(nodes) - 1)
    later = nodes[rng.randrange(k + 1, len(nodes))]["name"]
    if "input" in nodes[k]:
        nodes[k]["input"] = later
    else:
        nodes[k]["inputs"][0] = later
    return c


def g_group_index(c, rng):
    node = next(n for n in c["network"]["nodes"] if "groups" in n)
    node["groups"][rng.randrange(len(node["groups"]))].append(99)
    return c


def g_weight(c, rng):
    """A weight of an affine node changed (the meaning usually changes: judged)."""
    node = rng.choice([n for n in c["network"]["nodes"] if n["op"] == "affine"])
    w = node["weight"]
    if isinstance(w, dict):
        e = rng.choice(w["entries"])
        e[2] = str(Q(e[2]) + rng.choice([1, -1]))
    else:
        row = rng.choice(w)
        k = rng.randrange(len(row))
        row[k] = str(Q(row[k]) + rng.choice([1, -1]))
    return c


def _g_apply(mutation, name, seed):
    cert_, C = g_engine(name)
    c, rng = copy.deepcopy(cert_), random.Random(seed)
    return k_move_point_inside(c, rng, C) if mutation is k_move_point_inside else mutation(c, rng)


@pytest.mark.parametrize("name", sorted(GR))
@pytest.mark.parametrize("mutation", REJECTED + [g_letter, g_unit_facet_remove, g_input_later, g_group_index],
                         ids=lambda f: f.__name__[2:])
def test_graph_changes_of_meaning_are_rejected(mutation, name):
    for seed in range(2):
        c = _g_apply(mutation, name, seed)
        if c is None:
            continue
        assert not true_certificate(c), "the mutation kept the meaning; the catalogue is wrong"
        assert verdict(c) in ("rejected", "malformed")


@pytest.mark.parametrize("name", sorted(GR))
@pytest.mark.parametrize("mutation", ACCEPTED + [k_move_point_inside], ids=lambda f: f.__name__[2:])
def test_graph_changes_keeping_the_meaning_are_accepted(mutation, name):
    for seed in range(2):
        c = _g_apply(mutation, name, seed)
        if c is not None:
            assert true_certificate(c)
            assert verdict(c) == "verified"


def test_changed_weights_are_judged_by_their_meaning():
    outcomes = set()
    for name in sorted(GR):
        for seed in range(3):
            c = _g_apply(g_weight, name, seed)
            truth = true_certificate(c)
            assert (verdict(c) == "verified") == truth, (name, seed)
            outcomes.add(truth)
    assert False in outcomes


def _g_random_mutations(name, seed, edits):
    c, rng = copy.deepcopy(g_engine(name)[0]), random.Random(seed)
    for _ in range(edits):
        c = g_letter(c, rng) if rng.randrange(4) == 0 else _edit(c, rng)
    assert (verdict(c) == "verified") == true_certificate(c), (name, seed, edits)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(GR)), st.integers(0, 2 ** 32), st.integers(1, 3))
def test_graph_random_mutations_are_judged_like_the_oracle(name, seed, edits):
    _g_random_mutations(name, seed, edits)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(GR)), st.integers(0, 2 ** 32), st.integers(1, 3))
def test_graph_random_mutations_are_judged_like_the_oracle_many(name, seed, edits):
    _g_random_mutations(name, seed, edits)


# -- end to end ----------------------------------------------------------------------------

def test_graph_certificates_through_the_cli(tmp_path, capsys):
    path = tmp_path / "g.json"
    path.write_text(__import__("json").dumps(GRAPH.to_dict()))
    code, out, _ = run(capsys, "verify", path, "--domain", "box:-2,2")
    assert code == 0 and "[pass] certificate (independent checker)" in out and "FAIL" not in out
    for extra in ([], ["--domain", "polytope:" + str(tmp_path / "p.json")],
                  ["--slice", "0:0,e1,e2"]):
        (tmp_path / "p.json").write_text('{"inequalities": [[3, 1, 0], [3, 0, 1], [3, -1, -1]]}')
        cert_path = tmp_path / f"g{len(extra)}{extra[:1]}.cert.json".replace(" ", "").replace("'", "")
        code, out, err = run(capsys, "regions", path, *extra, "--certificate", cert_path, "--quiet")
        assert code == 0, err
        code, out, _ = run(capsys, "check", cert_path)
        assert code == 0 and "certificate verified" in out
        assert "a graph of" in out


def test_regression_max_without_groups_was_a_traceback():
    # graph.py read spec["groups"] for a max over one input with neither 'groups' nor
    # 'pieces' (KeyError), and a max over more than 52 pieces crashed the enumeration
    # (the letter of piece 52 does not exist); both are now one-line input errors
    for nodes, where in (([{"name": "m", "op": "max", "input": "input"}], "nodes[0].groups"),
                         ([{"name": "m", "op": "max", "inputs": ["input"] * 53}], "nodes[0]"),
                         ([{"name": "m", "op": "max", "input": "input", "groups": [[0] * 53]}],
                          "nodes[0].groups[0]")):
        with pytest.raises(InputError) as e:
            graph(1, nodes, "m")
        assert e.value.where == where
