"""One enumeration split into parts (tropexact.regions.split).

Every answer is compared with sources that do not go through the split:

* the single-process enumeration (``activation_regions``, ``count_regions``):
  the merged complex must be *identical* -- every region record, map id and
  edge -- whatever the number of parts;
* the independent LP enumeration of tests/reference_regions.py (sign vectors,
  affine maps, adjacency, linear regions, distinct maps), on random nets with
  many coincidences (Hypothesis) and on named degenerate nets;
* the definition of a part: its regions carry its signs on the fixed neurons,
  and the parts cover the regions once each.
"""

from __future__ import annotations

import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reference_regions import (  # noqa: E402
    reference_affine_maps,
    reference_linear_regions,
)
from test_regions import assert_matches_reference, one_layer, small_nets  # noqa: E402

from tropexact.errors import InputError, VerificationError  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402
from tropexact.networks.model import network  # noqa: E402
from tropexact.regions import activation_regions, count_regions, linear_regions  # noqa: E402
from tropexact.regions.split import (  # noqa: E402
    merge,
    merge_counts,
    solve,
    solve_counts,
    split_regions,
    subproblems,
)

C2 = "data/networks/zhang2018_example_c2.json"


def snapshot(C):
    """Everything a complex says, as plain values (regions in full, map ids, edges)."""
    return ([r for r in C.regions], list(C.map_ids), list(C.edges), C.lines, C.neurons)


def assert_split_equals_single(net, domain=None, parts_list=(1, 2, 3, 7, 64)):
    single = activation_regions(net, domain)
    counted = count_regions(net, domain)
    want = snapshot(single)
    for parts in parts_list:
        tasks = subproblems(net, domain, parts)
        assert [t.index for t in tasks] == list(range(len(tasks)))
        results = [solve(t) for t in tasks]
        # each part holds exactly the regions with its signs on the fixed neurons
        for t, R in zip(tasks, results):
            assert all("".join(s[g] for g in t.fixed) == t.pattern for s in R.signs)
        assert len({t.pattern for t in tasks}) == len(tasks)
        assert snapshot(merge(results[::-1])) == want, parts
        assert merge_counts([solve_counts(t) for t in tasks]) == counted, parts
    return single


def compare_reference(net, domain=None, parts=5):
    """The merged complex against the independent LP enumeration."""
    C = split_regions(net, domain, parts)
    ref, adj = assert_matches_reference(C, net, domain)
    assert len(linear_regions(C)) == reference_linear_regions(ref, adj)
    assert C.map_count == reference_affine_maps(ref)
    c = merge_counts([solve_counts(t) for t in subproblems(net, domain, parts)])
    assert (c.activation_regions, c.linear_regions, c.affine_maps, c.adjacency_edges) == \
        (len(ref), reference_linear_regions(ref, adj), reference_affine_maps(ref), len(adj))


# ---------------------------------------------------------------------------
# Named nets, degenerate ones included
# ---------------------------------------------------------------------------

def test_example_c2_everywhere():
    net = load_network(C2)
    assert_split_equals_single(net)
    assert_split_equals_single(net, Domain.box([-1, -1], [2, 1]))
    compare_reference(net)


def test_coincident_dead_and_zero_neurons():
    # x = 0 three times (once reversed), y = 0, x + y = 1, a dead and a '0' neuron,
    # and a zero first neuron (nothing to split on: the split skips it)
    rows = [[0, 0], [1, 0], [0, 1], [1, 0], [-2, 0], [1, 1], [0, 0]]
    net = one_layer(rows, [0, 0, 0, 0, 0, -1, -3])
    C = assert_split_equals_single(net)
    assert len(C.regions) == 7  # 1 + 3 + 3 for three lines in general position
    compare_reference(net)
    compare_reference(net, Domain.box([-2, -2], [2, 2]))


def test_coincidences_in_the_second_layer():
    # layer 2 repeats layer 1's hyperplanes (relu(h1) = h1 where h1 > 0 ...)
    net = network(2, [
        {"weight": [[1, 0], [0, 1], [1, -1]], "bias": [0, 0, 1], "activation": "relu"},
        {"weight": [[1, 0, 0], [0, 1, 0], [1, 1, -1], [0, 0, 0]], "bias": [0, 0, 0, 2],
         "activation": "relu"},
        {"weight": [[1, 1, 1, 1]], "bias": [0], "activation": "identity"}])
    assert_split_equals_single(net)
    compare_reference(net)


def test_lines_and_leading_identity_layer():
    # a leading identity layer; the first relu layer has rank 1 on Q^3 (two lines)
    net = network(3, [
        {"weight": [[1, 1, 0], [0, 0, 1]], "bias": [0, 1], "activation": "identity"},
        {"weight": [[1, 0], [2, 0], [-1, 0]], "bias": [0, -1, 3], "activation": "relu"},
        {"weight": [[1, -1, 1]], "bias": [0], "activation": "leaky_relu",
         "negative_slope": "1/2"},
        {"weight": [[1]], "bias": [0], "activation": "identity"}])
    C = assert_split_equals_single(net)
    assert len(C.lines) == 2
    compare_reference(net)
    compare_reference(net, Domain.box([-3, -3, -3], [3, 3, 3]))


def test_no_nonlinear_layer_and_zero_layer():
    net = network(2, [{"weight": [[1, 2]], "bias": [3], "activation": "identity"}])
    assert len(subproblems(net, parts=4)) == 1
    assert_split_equals_single(net)
    zero = one_layer([[0, 0], [0, 0]], [1, 0])
    assert len(subproblems(zero, parts=4)) == 1
    assert_split_equals_single(zero)


def test_polytope_domains():
    net = one_layer([[1, -1], [1, 1], [0, 1], [2, -1]], [0, -1, 0, 1])
    tri = Domain.polytope([(0, (1, 0)), (0, (0, 1)), (2, (-1, -1))])
    cone = Domain.polytope([(1, (1, 0)), (1, (0, 1))])  # unbounded
    for D in (tri, cone):
        assert_split_equals_single(net, D)
        compare_reference(net, D)


def test_generic_two_hidden_layers():
    net = network(3, [
        {"weight": [[1, 2, -1], [-2, 1, 3], [1, -1, 1], [3, 1, 2], [-1, -3, 2]],
         "bias": [1, -2, 3, 0, 1], "activation": "relu"},
        {"weight": [[1, -2, 1, 1, -1], [2, 1, -1, 3, 1], [-1, 1, 2, -2, 1]],
         "bias": [-1, 2, 1], "activation": "relu"},
        {"weight": [[1, -1, 2]], "bias": [0], "activation": "identity"}])
    assert_split_equals_single(net, parts_list=(1, 2, 4, 16, 1000))
    compare_reference(net, parts=6)


# ---------------------------------------------------------------------------
# Random nets against the reference
# ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(), st.integers(1, 9))
def test_random_nets(net, parts):
    assert_split_equals_single(net, parts_list=(parts,))
    compare_reference(net, parts=parts)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(rational=True), st.integers(1, 3), st.integers(2, 9))
def test_random_nets_in_a_box(net, r, parts):
    D = Domain.box([-r] * net.input_dim, [r] * net.input_dim)
    assert_split_equals_single(net, D, parts_list=(parts,))
    compare_reference(net, D, parts)


# ---------------------------------------------------------------------------
# Tasks and results travel; the merge checks what it is given
# ---------------------------------------------------------------------------

def test_pickled_and_run_in_processes():
    net = load_network(C2)
    tasks = [pickle.loads(pickle.dumps(t)) for t in subproblems(net, parts=6)]
    with ProcessPoolExecutor(2) as ex:
        results = list(ex.map(solve, tasks))
        counts = list(ex.map(solve_counts, tasks))
    results = [pickle.loads(pickle.dumps(r)) for r in results]
    assert snapshot(merge(results)) == snapshot(activation_regions(net))
    assert merge_counts(counts) == count_regions(net)


def test_merge_refuses_missing_parts_and_lost_half_edges():
    net = load_network(C2)
    tasks = subproblems(net, parts=4)
    results = [solve(t) for t in tasks]
    with pytest.raises(InputError):
        merge(results[1:])
    with pytest.raises(InputError):
        merge(results + results[:1])
    k = next(i for i, R in enumerate(results) if R.out_to)
    results[k].out_to[0] = results[k].out_to[0][::-1]  # a neighbour nobody is
    with pytest.raises(VerificationError):
        merge(results)
    counts = [solve_counts(t) for t in tasks]
    k = next(i for i, c in enumerate(counts) if c.out)
    counts[k].out.pop()
    with pytest.raises(VerificationError):
        merge_counts(counts)


def test_domain_of_wrong_dimension():
    with pytest.raises(InputError):
        subproblems(load_network(C2), Domain.box([0], [1]))
