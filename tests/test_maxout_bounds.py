"""Maxout bounds (issue 13 §2): exact values, the constructions attaining them, the
Minkowski-sum check, best_known.json's maxout rows, the CLI.

Independent sources of the expected numbers: hand counts in the comments, the
ReLU bounds (a ReLU is a rank-2 unit), exact region enumeration
(tropexact.regions.activation_regions), and the upper-vertex oracle."""

from __future__ import annotations

import itertools
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tropexact.bounds.counts import (maxout_layer_count, minkowski_upper_vertex_bound,
                                     zaslavsky_count)
from tropexact.bounds.maxout import (MAXOUT_BOUND_NAMES, maxout_bounds, maxout_ranks,
                                     montufar2022, network_ranks, serra2018_maxout)
from tropexact.bounds.maxout_constructions import generic_maxout_layer, slab_breakpoints
from tropexact.bounds.published import montufar2017
from tropexact.cli.main import main
from tropexact.errors import InputError
from tropexact.experiments.best_known import MAXOUT_ARCHITECTURES, recheck
from tropexact.networks.architecture import architecture
from tropexact.networks.model import network
from tropexact.regions import activation_regions, linear_regions
from tropexact.verify.check import Status
from tropexact.verify.theorems import check_bounds, check_maxout_minkowski

BEST = "data/regions/best_known.json"


def maxout_net(d, units, k, out=None):
    """One maxout layer (units: list of k (w, b) pieces each) and a summing output."""
    rows = [list(w) for u in units for w, _ in u]
    bias = [b for u in units for _, b in u]
    layers = [{"weight": rows, "bias": bias, "activation": "maxout", "pieces": k}]
    layers += out or [{"weight": [[1] * len(units)], "bias": [0], "activation": "identity"}]
    return network(d, layers)


# -- the formulas ----------------------------------------------------------------

@pytest.mark.parametrize("n,k,d,want", [
    (1, 5, 3, 5),            # one unit: k regions
    (4, 3, 1, 9),            # a line: 1 + n(k - 1) breakpoints
    (2, 3, 2, 9),            # n <= d: every one of the k^n patterns
    (3, 4, 3, 64),
    (4, 3, 2, 33),           # 1 + 4·2 + 6·4
    (3, 1, 2, 1),            # rank 1: affine units, one region
    (0, 3, 2, 1),            # no unit
])
def test_maxout_layer_count_by_hand(n, k, d, want):
    assert maxout_layer_count(n, k, d) == want


@given(st.integers(0, 9), st.integers(0, 6))
def test_rank_two_is_zaslavsky(n, d):
    assert maxout_layer_count(n, 2, d) == zaslavsky_count(n, d)


@given(st.lists(st.integers(1, 5), max_size=6), st.integers(0, 5))
def test_minkowski_bound_is_the_subset_sum(sizes, d):
    # the definition: sum over subsets S of at most d summands of prod (k_i - 1)
    want = sum(math.prod(sizes[i] - 1 for i in S) for j in range(min(d, len(sizes)) + 1)
               for S in itertools.combinations(range(len(sizes)), j))
    assert minkowski_upper_vertex_bound(sizes, d) == want


def test_bad_ranks_are_one_line_errors():
    for bad in (0, -1, [3], [3, 3, 3], "x", 2.0, [2, "3"]):
        with pytest.raises(InputError):
            maxout_ranks(architecture("1,2,2,1"), bad)
    with pytest.raises(InputError):
        maxout_layer_count(2, 0, 1)


def test_serra_maxout_by_hand():
    # 4 units of rank 3 on Q^2: 4·C(3,2) = 12 tie lines, 1 + 12 + 66 regions at most
    assert serra2018_maxout("2,4,1", 3).value == 79
    # then 4 more units, d_2 = min(2, 4) = 2: 79^2; with k = 2 it is Zaslavsky squared
    assert serra2018_maxout("2,4,4,1", 3).value == 79 ** 2
    assert serra2018_maxout("2,4,4,1", 2).value == 11 ** 2


@pytest.mark.parametrize("arch", ["1,2,2,1", "2,3,3,1", "3,2,5,1", "2,4,4,4,1", "4,2,6,3,1"])
def test_montufar2022_at_rank_two_is_montufar2017(arch):
    assert montufar2022(arch, 2).value == montufar2017(arch).value


@pytest.mark.parametrize("d,widths,k", [(d, w, k) for d in (1, 2, 3) for w in
                                        ((1,), (3,), (2, 2), (4, 1, 3)) for k in (1, 2, 3, 5)])
def test_order_of_the_maxout_bounds(d, widths, k):
    arch = (d, *widths, 1)
    b = maxout_bounds(arch, k)
    assert list(b) == list(MAXOUT_BOUND_NAMES)
    assert b["montufar2022"].value <= b["serra2018_maxout"].value
    # every pattern: at most k^(total units)
    assert b["montufar2022"].value <= k ** sum(widths)


def test_formulas_evaluate_to_the_values():
    import sympy as sp
    for arch, ks in (("2,3,1", 3), ("2,3,2,1", [3, 4]), ("1,4,4,4,1", 2)):
        for name, bound in maxout_bounds(arch, ks).items():
            a = [int(x) for x in arch.split(",")]
            ks_ = maxout_ranks(architecture(arch), ks)
            env = {"d": a[0], **{f"n{i}": n for i, n in enumerate(a[1:-1], 1)}}
            env.update({"k": ks_[0]} if len(set(ks_)) == 1 else
                       {f"k{i}": k for i, k in enumerate(ks_, 1)})
            e = bound.expression.subs({s: env[s.name] for s in bound.expression.free_symbols})
            assert int(e.doit()) == bound.value, (arch, name)
            assert isinstance(sp.srepr(e), str)


def test_network_ranks_reads_relu_as_rank_two():
    net = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
                      {"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, 0],
                       "activation": "maxout", "pieces": 3},
                      {"weight": [[1]], "bias": [0], "activation": "identity"}])
    a, ks = network_ranks(net)
    assert a.as_list() == [2, 2, 1, 1] and ks == (2, 3)


# -- the construction attains the sharp bound -----------------------------------

@pytest.mark.parametrize("d,n,k", [(d, n, k) for d in (1, 2, 3) for n in (1, 2, 3, 4)
                                   for k in (1, 2, 3, 4) if (d, n, k) != (3, 4, 4)])
def test_generic_layer_attains_the_bound(d, n, k):
    C = activation_regions(generic_maxout_layer(d, n, k))
    want = maxout_layer_count(n, k, d)
    assert len(C.regions) == want == montufar2022((d, n, 1), k).value
    assert len(linear_regions(C)) == want   # convex output: one linear region per region


def test_generic_layer_breakpoints_are_in_general_position():
    # d + 1 = 3 units, one hyperplane each, on Q^2: the 2nd divided difference of
    # beta is never 0 (the module's proof), so no three lines meet
    from fractions import Fraction
    for d, n, k in ((2, 4, 3), (3, 5, 2)):
        bp = slab_breakpoints(d, n, k)
        for J in itertools.combinations(range(n), d + 1):
            for I in itertools.product(range(k - 1), repeat=d + 1):
                dd = sum(Fraction(bp[j][1][i]) / math.prod(
                    Fraction(J[m] - J[o]) for o in range(d + 1) if o != m)
                    for m, (j, i) in enumerate(zip(J, I)))
                assert dd != 0


# -- the Minkowski check ---------------------------------------------------------

def test_minkowski_check_on_the_construction():
    chk = check_maxout_minkowski(generic_maxout_layer(2, 3, 3))
    assert chk.passed and "19 regions = 19 upper vertices" in chk.detail
    assert [w for w in chk.data if w[0] == "count"] == [("count", 19, 19, 19)]


def test_minkowski_check_degenerate_layers():
    # duplicate pieces: max(x, x, y): 2 regions, the segment's 2 upper vertices
    net = maxout_net(2, [[((1, 0), 0), ((1, 0), 0), ((0, 1), 0)]], 3)
    chk = check_maxout_minkowski(net)
    assert chk.passed and ("count", 2, 2, 2) in chk.data
    # zero weights: max(0, 1, -1) is constant: 1 region, 1 upper vertex (0, 0, 1);
    # the bound for one unit of 3 distinct points is 3
    net = maxout_net(2, [[((0, 0), 0), ((0, 0), 1), ((0, 0), -1)]], 3)
    chk = check_maxout_minkowski(net)
    assert chk.passed and ("count", 1, 1, 3) in chk.data and "1 region =" in chk.detail
    # collinear lifted points (0,0), (1,1), (2,2): the middle one is not upper: max(0, x+1, 2x+2)
    net = maxout_net(1, [[((0,), 0), ((1,), 1), ((2,), 2)]], 3)
    chk = check_maxout_minkowski(net)
    assert chk.passed and ("count", 2, 2, 3) in chk.data


def test_minkowski_check_after_identity_and_in_a_deep_network():
    # an identity layer first (x, y) -> (x + y, y), then the maxout layer, then relu
    net = network(2, [{"weight": [[1, 1], [0, 1]], "bias": [0, 1], "activation": "identity"},
                      {"weight": [[1, 0], [0, 1], [0, 0], [1, -1], [0, 0], [-1, 0]],
                       "bias": [0, 0, 0, 0, 1, 0], "activation": "maxout", "pieces": 3},
                      {"weight": [[1, -1]], "bias": [0], "activation": "relu"},
                      {"weight": [[1]], "bias": [0], "activation": "identity"}])
    chk = check_maxout_minkowski(net)
    assert chk.passed and "layer 1" in chk.detail


def test_minkowski_check_not_applicable():
    relu = network(1, [{"weight": [[1]], "bias": [0], "activation": "relu"},
                       {"weight": [[1]], "bias": [0], "activation": "identity"}])
    assert check_maxout_minkowski(relu).status is Status.NOT_APPLICABLE
    later = network(1, [{"weight": [[1]], "bias": [0], "activation": "relu"},
                        {"weight": [[1], [2]], "bias": [0, 0], "activation": "maxout",
                         "pieces": 2}])
    assert check_maxout_minkowski(later).status is Status.NOT_APPLICABLE


def test_minkowski_check_fails_on_wrong_regions():
    # tampering: feed the check the regions of another network with the same letters
    net = generic_maxout_layer(2, 2, 3)
    other = activation_regions(maxout_net(2, [[((1, 0), 0), ((0, 1), 0), ((0, 0), 0)],
                                              [((1, 0), 0), ((0, 1), 0), ((0, 0), 0)]], 3))
    chk = check_maxout_minkowski(net, regions=other)
    assert chk.failed and "FAILS" in chk.detail


small = st.integers(-2, 2)


@st.composite
def maxout_layers(draw):
    d = draw(st.integers(1, 2))
    k = draw(st.integers(1, 3))
    m = draw(st.integers(1, 3))
    units = []
    for _ in range(m):
        pieces = [(tuple(draw(small) for _ in range(d)), draw(small)) for _ in range(k)]
        if draw(st.booleans()):      # a duplicate piece
            pieces[-1] = pieces[0]
        units.append(pieces)
    return d, units, k


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maxout_layers())
def test_minkowski_check_on_random_layers(layer):
    d, units, k = layer
    net = maxout_net(d, units, k)
    C = activation_regions(net)
    chk = check_maxout_minkowski(net, regions=C)
    assert chk.passed, chk.detail
    assert len(C.regions) <= maxout_layer_count(len(units), k, d)
    assert check_bounds(net, regions=C).passed


# -- best_known.json ----------------------------------------------------------------

@pytest.mark.parametrize("arch,k", MAXOUT_ARCHITECTURES, ids=lambda a: str(a))
def test_best_known_maxout_rows(arch, k):
    data = json.load(open(BEST))
    e = next(e for e in data["entries"]
             if tuple(e["architecture"]) == arch and e.get("pieces") == k)
    assert recheck(e) == []
    # the construction attains the sharp bound: these counts are the true maxima
    assert e["linear_regions"]["count"] == e["bounds"]["montufar2022"] \
        == maxout_layer_count(arch[1], k, arch[0])


def test_recheck_catches_a_wrong_maxout_row():
    data = json.load(open(BEST))
    e = next(e for e in data["entries"] if e.get("pieces") == 3)
    bad = dict(e, pieces=2)
    assert any("pieces" in p for p in recheck(bad))


# -- the command line ---------------------------------------------------------------

def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_bounds_pieces(capsys):
    rc, out, _ = run(capsys, "bounds", "--arch", "2,4,1", "--pieces", "3")
    assert rc == 0 and "maxout units of rank 3" in out
    assert "montufar2022      upper     33" in out and "serra2018_maxout" in out
    rc, out, _ = run(capsys, "bounds", "--arch", "2,4,4,1", "--pieces", "3,2", "--json")
    obj = json.loads(out)
    assert obj["pieces"] == [3, 2]
    # 33 · (1 + 4 + 6) and 79 · (1 + 4 + 6)
    assert obj["bounds"] == {"montufar2022": 363, "serra2018_maxout": 869}
    rc, out, _ = run(capsys, "bounds", "--arch", "1,3,1", "--pieces", "2", "--symbolic")
    assert rc == 0 and "Sum((k - 1)**j*binomial(n1, j), (j, 0, d))" in out


@pytest.mark.parametrize("bad", ["0", "x", "3,3,3", "2.5"])
def test_cli_bounds_bad_pieces(capsys, bad):
    rc, _, err = run(capsys, "bounds", "--arch", "2,4,4,1", "--pieces", bad)
    assert rc == 2 and err.startswith("tropexact: error: --pieces") and "Traceback" not in err
