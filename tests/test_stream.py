"""The stream of regions and its counting fold (tropexact.regions.stream).

Checked against the kept complex (``activation_regions``: the same regions,
field for field, and the same edges) and against the independent LP
enumeration of tests/reference_regions.py (counts, adjacency by sign vector).
"""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reference_regions import (  # noqa: E402
    reference_adjacency,
    reference_affine_maps,
    reference_linear_regions,
    reference_regions,
)
from test_regions import one_layer, small_nets  # noqa: E402

from tropexact.errors import BudgetExceeded  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402
from tropexact.regions import activation_regions, count_regions, iter_regions  # noqa: E402
from tropexact.regions.split import solve, subproblems  # noqa: E402


def check_stream(net, domain=None):
    C = activation_regions(net, domain)
    by_sign = {r.signs: i for i, r in enumerate(C.regions)}
    streamed = list(iter_regions(net, domain))
    assert [s.index for s in streamed] == list(range(len(C.regions)))
    assert sorted(s.region.signs for s in streamed) == sorted(by_sign)
    sign_of = [s.region.signs for s in streamed]
    edges, across_edges = set(), set()
    for s in streamed:
        assert s.region == C.regions[by_sign[s.region.signs]]
        assert all(j < s.index for j in s.neighbours)
        edges |= {frozenset((by_sign[s.region.signs], by_sign[sign_of[j]]))
                  for j in s.neighbours}
        assert len(s.across) == len(s.region.inequalities)
        for t, lab in zip(s.across, s.region.facet_labels):
            assert (t is None) == (lab[0] == "domain")
            if t is not None:
                across_edges.add(frozenset((by_sign[s.region.signs], by_sign[t])))
    assert edges == across_edges == {frozenset(e) for e in C.edges}
    # map ids: equal iff the affine maps are equal
    maps = {}
    for s in streamed:
        assert maps.setdefault(s.map_id, s.region.affine_map) == s.region.affine_map
    assert len(set(maps.values())) == len(maps)
    return streamed


def check_counts(net, domain=None):
    ref = reference_regions(net, None if domain is None else list(domain.inequalities))
    adj = reference_adjacency(ref, net.input_dim)
    c = count_regions(net, domain)
    assert (c.activation_regions, c.linear_regions, c.affine_maps, c.adjacency_edges) == \
        (len(ref), reference_linear_regions(ref, adj), reference_affine_maps(ref), len(adj))
    assert c.bounded_regions == sum(r.bounded for r in activation_regions(net, domain).regions)


def test_named_nets():
    c2 = load_network("data/networks/zhang2018_example_c2.json")
    for net in (c2, load_network("data/networks/caveat_1d.json"),
                one_layer([[1, 0], [0, 1], [1, 1], [1, 0], [-2, 0], [0, 0]],
                          [0, 0, -1, 0, 0, 0])):
        check_stream(net)
        check_counts(net)
    check_stream(c2, Domain.box([-1, -1], [2, 1]))
    check_counts(c2, Domain.box([-1, -1], [2, 1]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets())
def test_random_nets(net):
    check_stream(net)
    check_counts(net)


def test_a_part_streams_its_regions():
    net = load_network("data/networks/zhang2018_example_c2.json")
    everyone = {s.region.signs: s.region for s in iter_regions(net)}
    seen = []
    for t in subproblems(net, parts=5):
        streamed = list(iter_regions(net, part=t))
        assert [s.region.signs for s in streamed] == solve(t).signs
        for s in streamed:
            assert s.region == everyone[s.region.signs]
            assert all(x is None or x in everyone for x in s.across)
        seen += [s.region.signs for s in streamed]
    assert sorted(seen) == sorted(everyone)


def test_without_adjacency_and_with_a_budget():
    net = load_network("data/networks/zhang2018_example_c2.json")
    rs = list(iter_regions(net, adjacency=False))
    assert len(rs) == 23 and all(r.neighbours == () and r.across == () for r in rs)
    with pytest.raises(BudgetExceeded):
        list(iter_regions(net, max_regions=10))
    S = iter_regions(net)
    list(S)
    with pytest.raises(RuntimeError):
        list(S)
