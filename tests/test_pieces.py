"""Tropicalization from the regions against the hull method: two independent
algorithms for the same reduced polynomials (tropexact.regions.pieces).

The hull method runs the paper's recursion on polynomials with upper-vertex oracles
and never enumerates a region; the region method reads the affine pieces off the
activation regions and never computes a hull.  They must agree on every neuron's F,
G and H (the outputs), on the per-layer term totals and on the counts before pruning.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_tropicalize import networks
from tropexact.errors import BudgetExceeded, InputError
from tropexact.networks.domain import Domain
from tropexact.networks.io import load_network
from tropexact.networks.model import network
from tropexact.networks.tropicalization import tropicalize as by_hull
from tropexact.regions import activation_regions
from tropexact.regions.pieces import tropicalize, tropicalize_by_regions


def same(A, B):
    assert A.map == B.map
    for a, b in zip(A.outputs, B.outputs):
        assert (a.F, a.G, a.H) == (b.F, b.G, b.H)
        assert a.terms_before == b.terms_before
    assert [s.terms_after for s in A.layers] == [s.terms_after for s in B.layers]
    assert [s.terms_before for s in A.layers] == [s.terms_before for s in B.layers]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_regions_and_hull_give_the_same_polynomials(net):
    same(tropicalize_by_regions(net), by_hull(net))


@pytest.mark.parametrize("name", ["zhang2018_example_c2", "rational_leaky_2d", "three_inputs",
                                  "caveat_1d", "zonotope_2_4_1"])
def test_example_networks(name):
    net = load_network(f"data/networks/{name}.json")
    same(tropicalize(net), tropicalize(net, method="hull"))


def test_example_c2_terms_of_the_paper():
    # Appendix C.2: F has 8 terms, G 4 after pruning; before pruning H, G, F have 12, 8, 19
    T = tropicalize(load_network("data/networks/zhang2018_example_c2.json"))
    o = T.outputs[0]
    assert (len(o.F), len(o.G)) == (8, 4)
    assert o.terms_before == {"H": 12, "G": 8, "F": 19}


def test_degenerate_networks():
    # dead, duplicate and zero neurons, and a zero output: the pieces are still exactly
    # the terms
    net = network(2, [
        {"weight": [[1, 1], [1, 1], [0, 0], [2, 2]], "bias": [0, 0, -1, 1], "activation": "relu"},
        {"weight": [[1, -1, 3, 0], [0, 0, 0, 0]], "bias": [0, 0], "activation": "identity"}])
    same(tropicalize(net), by_hull(net))


def test_given_regions_must_be_over_all_of_qd():
    net = load_network("data/networks/zhang2018_example_c2.json")
    C = activation_regions(net)
    same(tropicalize_by_regions(net, C), by_hull(net))
    with pytest.raises(InputError, match="over all of Q"):
        tropicalize_by_regions(net, activation_regions(net, Domain.box([-1, -1], [1, 1])))
    with pytest.raises(InputError, match="unknown method"):
        tropicalize(net, method="fast")


def test_budgets():
    net = load_network("data/networks/zhang2018_example_c2.json")
    with pytest.raises(BudgetExceeded) as e:
        tropicalize(net, max_terms=5)  # F of the output has 8 terms
    assert e.value.param == "max_terms"
    tropicalize(net, max_terms=8)
    with pytest.raises(BudgetExceeded) as e:
        tropicalize(net, max_regions=10)  # 23 regions
    assert e.value.param == "max_regions"


@st.composite
def big_networks(draw):
    """Small networks with huge and tiny rational weights, thresholds and leaky slopes:
    the packed integers of the region method carry many slots of hundreds of bits."""
    big = st.fractions(min_value=-10 ** 20, max_value=10 ** 20, max_denominator=10 ** 6)
    d, dim, layers = draw(st.integers(1, 2)), None, []
    dim = d
    for _ in range(draw(st.integers(1, 2))):
        w = draw(st.integers(1, 3))
        act = draw(st.sampled_from(["relu", "leaky_relu"]))
        spec = {"weight": [[draw(big) for _ in range(dim)] for _ in range(w)],
                "bias": [draw(big) for _ in range(w)], "activation": act}
        if act == "leaky_relu":
            spec["negative_slope"] = draw(st.fractions(min_value=Fraction(1, 10 ** 9),
                                                       max_value=Fraction(99, 100),
                                                       max_denominator=10 ** 9).filter(lambda a: 0 < a < 1))
        else:
            spec["threshold"] = draw(big)
        layers.append(spec)
        dim = w
    layers.append({"weight": [[draw(big) for _ in range(dim)]], "bias": [draw(big)],
                   "activation": "identity"})
    return network(d, layers)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(big_networks())
def test_packed_arithmetic_with_huge_numbers(net):
    same(tropicalize_by_regions(net), by_hull(net))


def test_regression_packing_width_came_from_the_last_layer():
    # found by Hypothesis: the packed width k was taken from the *last* layer's bound on
    # the coefficients; a zero last layer made it 2 bits, and layer 2's piece x1 + 2*x2
    # unpacked as 1 + x1 - 2*x2.  By hand: layer 1 gives relu(x1 + x2), 0, relu(x2);
    # layer 2 is relu(relu(x1 + x2) + relu(x2)), whose F is max(0, x2, x1 + x2, x1 + 2*x2)
    def layer(w, act="relu"):
        return {"weight": w, "bias": [0] * len(w), "activation": act}

    first = [layer([[0, 1, 1], [0, 0, 0], [0, 0, 1]]), layer([[1, 0, 1]])]
    net = network(3, first + [layer([[2]]), layer([[0]], "identity")])
    same(tropicalize_by_regions(net), by_hull(net))
    assert str(tropicalize_by_regions(network(3, first)).outputs[0].F) == \
        "max(0, x2, x1 + x2, x1 + 2*x2)"
