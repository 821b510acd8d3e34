"""The independent checker on maxout networks: what it proves, and every tampering rejected.

Four layers, as in tests/test_checker.py and tests/test_tamper.py:

* hand-built certificates (no tropexact code writes them; the derivation is in the
  comments), verified, then changed: each change must fail the check named;
* the engine's certificates of random small maxout networks (Hypothesis: d = 1..3,
  k = 1..3 pieces, with duplicated and constant pieces, identical units and zero
  weights; all of Q^d, boxes and polytopes) are verified, and their counts agree with
  a second method, the relu network computing the same function
  (:func:`tropexact.networks.rewrite.maxout_as_relu`);
* test_tamper's catalogue of mutations and its random edits (letters included) on
  maxout certificates, judged against the engine's truth (test_tamper's oracle);
* ``tropexact verify`` / ``regions --certificate`` / ``check`` end to end, and the
  relu certificates unchanged byte for byte.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_tamper import (ACCEPTED, REJECTED, _drop_region, _edit, domains, k_move_point_inside,
                         true_certificate, verdict)
from tropexact.cli.main import main
from tropexact.errors import InputError
from tropexact.networks.domain import Domain
from tropexact.networks.io import load_network
from tropexact.networks.model import PIECE_LETTERS, network
from tropexact.networks.rewrite import maxout_as_relu
from tropexact.regions import activation_regions, affine_map_count, linear_regions
from tropexact.regions._engine import decode_label, encode_label
from tropexact.verify.certificates import certificate as engine_certificate
from tropexact.verify.checker import CertificateError, check_certificate
from tropexact.verify.theorems import check_zonotopes


# -- hand-built certificates ----------------------------------------------------------

def maxout(weight, bias, pieces):
    return {"weight": weight, "bias": bias, "activation": "maxout", "pieces": pieces}


def region(signs, point, weight, bias, units=(), domain=(), neurons=()):
    return {"signs": signs, "point": point, "affine_map": {"weight": weight, "bias": bias},
            "facets": {"neurons": list(neurons), "domain": list(domain),
                       "units": [list(u) for u in units]}}


def cert(d, layers, domain, neurons, regions, adjacency, groups, counts):
    return {"format": "tropexact-certificate", "version": 1,
            "network": {"input_dim": d, "layers": layers}, "domain": domain, "neurons": neurons,
            "regions": regions, "adjacency": adjacency, "linear_regions": groups,
            "counts": dict(zip(("activation_regions", "linear_regions", "affine_maps"), counts))}


ALL = {"type": "all"}


def abs_1d():
    # |x| = max(x, -x) on Q: piece a wins where x - (-x) = 2x > 0, piece b where -2x > 0;
    # each region's one facet is 2x = 0, named [unit 0, the other piece].
    return cert(1, [maxout([[1], [-1]], [0, 0], 2)], ALL, [[0, 0]],
                [region("a", ["1"], [["1"]], ["0"], units=[(0, 1)]),
                 region("b", ["-1"], [["-1"]], ["0"], units=[(0, 0)])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def tie_1d():
    # max(x, x, 0): pieces a and b are the same function everywhere, so b never wins (the
    # smaller index wins a tie on the whole region).  'a' where x > 0 (a - b = 0 constant,
    # b > a index: fine; a - c = x > 0), 'c' where x < 0 (c - a = c - b = -x > 0: one
    # hyperplane, named once, by either piece).  Maps x and 0.
    return cert(1, [maxout([[1], [1], [0]], [0, 0, 0], 3)], ALL, [[0, 0]],
                [region("a", ["2"], [["1"]], ["0"], units=[(0, 2)]),
                 region("c", ["-3"], [["0"]], ["0"], units=[(0, 0)])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def max_box_2d():
    # max(x, y) on the box [-1, 1]^2 (domain inequalities 0: x >= -1, 1: x <= 1,
    # 2: y >= -1, 3: y <= 1).  'a' = {x > y}: the triangle (-1,-1), (1,-1), (1,1) with
    # facets x - y >= 0, y >= -1, x <= 1; 'b' = {y > x}: facets y - x >= 0, x >= -1, y <= 1.
    return cert(2, [maxout([[1, 0], [0, 1]], [0, 0], 2)], {"type": "box", "lower": [-1, -1],
                                                           "upper": [1, 1]}, [[0, 0]],
                [region("a", ["1/2", "-1/2"], [["1", "0"]], ["0"], units=[(0, 1)], domain=[1, 2]),
                 region("b", ["-1/2", "1/2"], [["0", "1"]], ["0"], units=[(0, 0)], domain=[0, 3])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def twin_units_1d():
    # two identical units max(x, 0), then their sum: both switch at x = 0, so the facet of
    # 'aa' (x > 0) lies on the hyperplane of both units; one is named.  'bb' (x < 0).
    return cert(1, [maxout([[1], [0], [1], [0]], [0, 0, 0, 0], 2),
                    {"weight": [[1, 1]], "bias": [0], "activation": "identity"}], ALL,
                [[0, 0], [0, 1]],
                [region("aa", ["1"], [["2"]], ["0"], units=[(0, 1)]),
                 region("bb", ["-1"], [["0"]], ["0"], units=[(1, 0)])],
                [[0, 1]], [[0], [1]], (2, 2, 2))


def relu_after_maxout_2d():
    # max(x, y) then relu(u - 1) over Q^2 (positions: unit 0, neuron 1).  'a-': x > y,
    # x < 1; 'a+': x > y, x > 1; 'b-': y > x, y < 1; 'b+': y > x, y > 1.  The region
    # 'a-' has facets x - y >= 0 (unit) and 1 - x >= 0 (neuron 1), and so on; pairs: a-/a+
    # across x = 1, b-/b+ across y = 1, a-/b- and a+/b+ across x = y.
    return cert(2, [maxout([[1, 0], [0, 1]], [0, 0], 2), {"weight": [[1]], "bias": [-1],
                                                          "activation": "relu"}], ALL,
                [[0, 0], [1, 0]],
                [region("a+", ["3", "2"], [["1", "0"]], ["-1"], units=[(0, 1)], neurons=[1]),
                 region("a-", ["0", "-1"], [["0", "0"]], ["0"], units=[(0, 1)], neurons=[1]),
                 region("b+", ["2", "3"], [["0", "1"]], ["-1"], units=[(0, 0)], neurons=[1]),
                 region("b-", ["-1", "0"], [["0", "0"]], ["0"], units=[(0, 0)], neurons=[1])],
                [[0, 1], [0, 2], [1, 3], [2, 3]], [[0], [1, 3], [2]], (4, 3, 3))


EXAMPLES = [abs_1d, tie_1d, max_box_2d, twin_units_1d, relu_after_maxout_2d]


def report(c):
    return check_certificate(c)


def failed(c):
    return [ch.name for ch in report(c).checks if ch.failed]


def detail(c, name):
    return next(ch.detail for ch in report(c).checks if ch.name == name)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_hand_built_maxout_certificates_are_verified(example):
    r = report(example())
    assert r.verdict == "verified", [ch for ch in r.checks if not ch.passed]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_the_engine_writes_the_same_certificates(example):
    # the hand derivations and the engine agree (regions compared by their signs)
    c = example()
    net = load_dict(c["network"])
    dom = None if c["domain"]["type"] == "all" else Domain.box(c["domain"]["lower"],
                                                              c["domain"]["upper"])
    e = engine_certificate(activation_regions(net, dom))
    assert e["counts"] == c["counts"] and e["neurons"] == c["neurons"]
    mine = {r["signs"]: r for r in c["regions"]}
    for r in e["regions"]:
        h = mine[r["signs"]]
        assert r["affine_map"] == h["affine_map"] and r["facets"]["domain"] == h["facets"]["domain"]
        assert r["facets"]["neurons"] == h["facets"]["neurons"]
        assert len(r["facets"]["units"]) == len(h["facets"]["units"])


def load_dict(d):
    return network(d["input_dim"], d["layers"])


def test_structure_counts_units():
    assert detail(relu_after_maxout_2d(), "structure") == "d = 2, 1 neurons, 1 maxout units, 4 regions"


def test_changed_letter_fails_points_inside():
    c = abs_1d()
    c["regions"][0]["signs"], c["regions"][0]["facets"]["units"] = "b", [[0, 0]]
    c["regions"][1]["signs"], c["regions"][1]["facets"]["units"] = "a", [[0, 1]]
    # the points and maps stay: x = 1 does not satisfy -x > x, and the map of 'b' is -x
    assert failed(c) == ["points_inside", "affine_maps"]
    assert "point violates state 'b' of unit 0 [0, 0] (piece 'b' above piece 'a')" in \
        detail(c, "points_inside")


def test_letter_of_no_piece_is_refused():
    c = abs_1d()
    c["regions"][0]["signs"] = "c"  # a 2-piece unit has states a and b only
    with pytest.raises(CertificateError, match=r"regions\[0\].signs: expected 1 characters from 'ab'"):
        check_certificate(c)


def test_relu_sign_at_a_unit_and_letter_at_a_neuron_fail_structure():
    c = relu_after_maxout_2d()
    c["regions"][0]["signs"] = "++"
    assert failed(c) == ["structure"]
    c = relu_after_maxout_2d()
    c["regions"][0]["signs"] = "ab"
    assert "'b' is not a state of neuron 1 [1, 0] (one of '+-0')" in detail(c, "structure")
    with pytest.raises(CertificateError, match=r"regions\[0\].signs: expected 1 characters from 'ab'"):
        check_certificate({**abs_1d(), "regions": [region("+", ["1"], [["1"]], ["0"])]})


def test_swapped_states_fail_points_inside():
    c = relu_after_maxout_2d()
    for r, s, u in ((0, "b+", 0), (2, "a+", 1)):
        c["regions"][r]["signs"], c["regions"][r]["facets"]["units"] = s, [[0, u]]
    assert failed(c) == ["points_inside", "affine_maps"]


def test_tie_claimed_by_the_larger_index_fails_points_inside():
    c = tie_1d()
    c["regions"][0]["signs"] = "b"  # b equals a on the region; the tie is a's
    assert failed(c) == ["points_inside"]
    assert ("unit 0 [0, 0] is 'b' but piece 'a' is the same function there and wins the tie "
            "(the smaller index)") in detail(c, "points_inside")


def test_constant_piece_above_fails_points_inside():
    # max(x, 1, 0): 'c' (the constant 0) never wins, 1 > 0 everywhere
    c = cert(1, [maxout([[1], [0], [0]], [0, 1, 0], 3)], ALL, [[0, 0]],
             [region("a", ["2"], [["1"]], ["0"], units=[(0, 1)]),
              region("b", ["0"], [["0"]], ["1"], units=[(0, 0)])],
             [[0, 1]], [[0], [1]], (2, 2, 2))
    assert report(c).verdict == "verified"
    c["regions"][1]["signs"] = "c"
    c["regions"][1]["affine_map"]["bias"] = ["0"]
    assert "points_inside" in failed(c)
    assert "is 'c' but piece 'b' is larger by a constant" in detail(c, "points_inside")


def test_tie_named_by_either_piece_but_once():
    c = tie_1d()
    c["regions"][1]["facets"]["units"] = [[0, 1]]  # c - b is the same hyperplane as c - a
    assert report(c).verdict == "verified"
    c["regions"][1]["facets"]["units"] = [[0, 0], [0, 1]]
    assert failed(c) == ["facets"]
    assert "name the same facet" in detail(c, "facets")


def test_twin_units_name_either():
    c = twin_units_1d()
    c["regions"][0]["facets"]["units"] = [[1, 1]]  # the other unit's hyperplane is the same
    c["regions"][1]["facets"]["units"] = [[0, 0]]
    assert report(c).verdict == "verified"


def test_removed_region_fails_coverage():
    c = _drop_region(relu_after_maxout_2d(), 1)
    assert "coverage" in failed(c)


def test_removed_or_added_pair_fails_adjacency():
    c = relu_after_maxout_2d()
    c["adjacency"].remove([0, 2])
    assert failed(c) == ["adjacency"]
    assert "claimed neighbours cover 0 of its facet on unit 0 [0, 0] against piece 'b'" in \
        detail(c, "adjacency")
    c = relu_after_maxout_2d()
    c["adjacency"].append([0, 3])  # a+ and b- meet at the point (1, 1) only
    assert failed(c) == ["adjacency"]


def test_point_moved_outside_fails_points_inside():
    c = max_box_2d()
    c["regions"][0]["point"] = ["-1/2", "1/2"]  # region b's point: the map is wrong there too
    assert failed(c) == ["points_inside", "affine_maps"]
    c = max_box_2d()
    c["regions"][0]["point"] = ["3", "-1/2"]  # x > y, but outside the box
    assert "point not strictly inside domain inequality 1" in detail(c, "points_inside")


def test_changed_pieces():
    # pieces 1: two units of one piece, so two outputs, which the next layer or the maps
    # do not have: the certificate is malformed, at the place named
    c = abs_1d()
    c["network"]["layers"][0]["pieces"] = 1
    with pytest.raises(CertificateError, match=r"regions\[0\].affine_map.weight: expected 2 entries"):
        check_certificate(c)
    c = relu_after_maxout_2d()
    c["network"]["layers"][0]["pieces"] = 1
    with pytest.raises(CertificateError, match=r"network.layers\[1\].weight\[0\]: expected 2 entries"):
        check_certificate(c)
    c = twin_units_1d()  # pieces 2 -> 4: one unit, and the neurons list no longer fits
    c["network"]["layers"][0]["pieces"] = 4
    c["network"]["layers"][1]["weight"] = [[1]]
    assert failed(c) == ["structure"]
    assert "neurons should be [[0, 0]]" in detail(c, "structure")
    for bad in (3, 0, -2, 53, "2", True, 2.0, None):
        c = abs_1d()
        c["network"]["layers"][0]["pieces"] = bad
        with pytest.raises(CertificateError, match=r"network.layers\[0\].pieces"):
            check_certificate(c)
    c = abs_1d()
    del c["network"]["layers"][0]["pieces"]
    with pytest.raises(CertificateError, match="missing key 'pieces'"):
        check_certificate(c)
    c = relu_after_maxout_2d()
    c["network"]["layers"][1]["pieces"] = 1
    with pytest.raises(CertificateError, match="unknown key 'pieces'"):
        check_certificate(c)


def test_facet_named_by_the_wrong_unit_or_piece():
    c = relu_after_maxout_2d()
    f = c["regions"][0]["facets"]
    f["units"], f["neurons"] = [], [0]  # a unit's facet as a neuron's
    assert failed(c) == ["structure"]
    assert "facet neuron 0 is not a +/- neuron" in detail(c, "structure")
    c = relu_after_maxout_2d()
    c["regions"][0]["facets"]["units"] = [[1, 0]]  # a relu neuron as a unit
    assert "facet unit [1, 0] is not a maxout unit and another of its pieces" in detail(c, "structure")
    c = relu_after_maxout_2d()
    c["regions"][0]["facets"]["units"] = [[0, 0]]  # the winning piece itself
    assert failed(c) == ["structure"]
    c = tie_1d()
    c["regions"][0]["facets"]["units"] = [[0, 1]]  # a - b is constant: no facet
    assert "facet unit [0, 1]: piece 'a' minus piece 'b' is constant on the region, no facet" in \
        detail(c, "structure")
    c = relu_after_maxout_2d()
    c["regions"][0]["facets"]["units"] = [[0, 1], [0, 1]]
    assert "a facet is listed twice" in detail(c, "structure")


def test_facet_named_by_the_wrong_unit_fails_closures():
    # max(x, 0) and max(y, 0) over Q^2: the quadrant 'ab' (x > 0 > y) has facets x >= 0
    # (unit 0 against b) and -y >= 0 (unit 1 against a); naming unit 1 against... the
    # first facet as unit 1's leaves x unbounded below.
    layers = [maxout([[1, 0], [0, 0], [0, 1], [0, 0]], [0, 0, 0, 0], 2)]
    regs = [region("aa", ["1", "1"], [["1", "0"], ["0", "1"]], ["0", "0"], units=[(0, 1), (1, 1)]),
            region("ab", ["1", "-1"], [["1", "0"], ["0", "0"]], ["0", "0"], units=[(0, 1), (1, 0)]),
            region("ba", ["-1", "1"], [["0", "0"], ["0", "1"]], ["0", "0"], units=[(0, 0), (1, 1)]),
            region("bb", ["-1", "-1"], [["0", "0"], ["0", "0"]], ["0", "0"], units=[(0, 0), (1, 0)])]
    c = cert(2, layers, ALL, [[0, 0], [0, 1]], regs, [[0, 1], [0, 2], [1, 3], [2, 3]],
             [[0], [1], [2], [3]], (4, 4, 4))
    assert report(c).verdict == "verified"
    c["regions"][1]["facets"]["units"] = [[1, 0]]  # x >= 0 dropped: unit 1's only
    assert failed(c) == ["closures"]
    assert "violates the state 'a' of unit 0 [0, 0] (piece 'a' above piece 'b')" in \
        detail(c, "closures")
    c = cert(2, layers, ALL, [[0, 0], [0, 1]], copy.deepcopy(regs), [[0, 1], [0, 2], [1, 3], [2, 3]],
             [[0], [1], [2], [3]], (4, 4, 4))
    c["regions"][2]["facets"]["units"] = [[0, 0], [1, 1], [1, 1]]
    assert failed(c) == ["structure"]


def test_units_key_is_optional_and_checked_on_relu_certificates():
    c = cert(1, [{"weight": [[1]], "bias": [0], "activation": "relu"}], ALL, [[0, 0]],
             [region("+", ["1"], [["1"]], ["0"], neurons=[0]),
              region("-", ["-1"], [["0"]], ["0"], neurons=[0])],
             [[0, 1]], [[0], [1]], (2, 2, 2))
    assert report(c).verdict == "verified"  # "units": [] on a relu certificate
    for r in c["regions"]:
        del r["facets"]["units"]
    assert report(c).verdict == "verified"
    c["regions"][0]["facets"]["units"] = [[0, 0]]
    assert failed(c) == ["structure"]
    for bad in ([[0]], [0], "x", [[0, "1"]]):
        c["regions"][0]["facets"]["units"] = bad
        with pytest.raises(CertificateError, match=r"regions\[0\].facets.units"):
            check_certificate(c)


def test_facet_labels_round_trip():
    for lab in (0, 7, ("domain", 0), ("domain", -1), ("neuron", 0, 0), ("neuron", 3, 51),
                ("neuron", 10 ** 6, 2)):
        code = encode_label(lab)
        assert decode_label(code) == (("neuron", lab) if isinstance(lab, int) else lab)
    codes = [encode_label(lab) for lab in [k for k in range(60)] + [("domain", i) for i in range(-1, 60)]
             + [("neuron", g, j) for g in range(5) for j in range(len(PIECE_LETTERS))]]
    assert len(set(codes)) == len(codes)


# -- the engine's certificates of random maxout networks -------------------------------

@st.composite
def maxout_nets(draw):
    """Small networks with maxout layers (and maybe a relu layer): duplicated pieces,
    constant pieces, identical units, zero weights."""
    d = draw(st.integers(1, 3))
    layers, prev = [], d
    for depth in range(draw(st.integers(1, 2))):
        if depth and draw(st.booleans()):
            n = draw(st.integers(1, 2))
            layers.append({"weight": [[draw(st.integers(-2, 2)) for _ in range(prev)] for _ in range(n)],
                           "bias": [draw(st.integers(-2, 2)) for _ in range(n)], "activation": "relu"})
            prev = n
            continue
        k = draw(st.integers(1, 3))
        units = []
        for _ in range(draw(st.integers(1, 2 if d == 3 or depth else 3))):
            if units and draw(st.integers(0, 4)) == 0:
                units.append(list(units[draw(st.integers(0, len(units) - 1))]))  # identical unit
                continue
            pieces = []
            for _ in range(k):
                kind = draw(st.integers(0, 5))
                if pieces and kind == 0:
                    pieces.append(pieces[draw(st.integers(0, len(pieces) - 1))])  # duplicated
                elif kind == 1:
                    pieces.append(([0] * prev, draw(st.integers(-2, 2))))  # constant (zero weights)
                else:
                    pieces.append(([draw(st.integers(-2, 2)) for _ in range(prev)],
                                   draw(st.integers(-2, 2))))
            units.append(pieces)
        rows = [p for u in units for p in u]
        layers.append(maxout([list(w) for w, _ in rows], [b for _, b in rows], k))
        prev = len(units)
    layers.append({"weight": [[draw(st.integers(-2, 2)) for _ in range(prev)]], "bias": [0],
                   "activation": "identity"})
    return network(d, layers)


def _random_maxout_certificate_is_verified(net, data):
    dom = data.draw(domains(net.input_dim))
    try:
        C = activation_regions(net, dom)
    except InputError:  # a polytope that is not full-dimensional
        return
    cert = engine_certificate(C)
    r = check_certificate(cert)
    assert r.verdict == "verified", [ch for ch in r.checks if not ch.passed]
    # a second method: the relu network computing the same function has the same
    # linear regions and affine maps (its activation regions are finer)
    R = activation_regions(maxout_as_relu(net), dom)
    assert len(linear_regions(R)) == cert["counts"]["linear_regions"]
    assert affine_map_count(R) == cert["counts"]["affine_maps"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maxout_nets(), st.data())
def test_random_maxout_certificates_are_verified(net, data):
    _random_maxout_certificate_is_verified(net, data)


@pytest.mark.slow
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maxout_nets(), st.data())
def test_random_maxout_certificates_are_verified_many(net, data):
    _random_maxout_certificate_is_verified(net, data)


# -- test_tamper's catalogue and random edits on maxout certificates -------------------

MX = {  # name: (network, domain)
    "mx_relu_all": (network(2, [maxout([[1, 0], [0, 1], [-1, 2], [1, -1], [2, 1], [0, -1]],
                                       [0, 0, 1, 0, -1, 2], 2),
                                {"weight": [[1, -1, 2], [0, 1, -1]], "bias": [0, 1], "activation": "relu"},
                                {"weight": [[1, -2]], "bias": [0], "activation": "identity"}]), None),
    "mx3_box": (network(2, [maxout([[1, 0], [0, 1], [-1, -1], [1, -1], [2, 1], [0, 0]],
                                   [0, 0, 1, 0, -1, 1], 3),
                            {"weight": [[1, 1]], "bias": [0], "activation": "identity"}]),
                Domain.box([-2, -2], [2, 2])),
    "mx_triangle": (network(2, [maxout([[1, 0], [0, 1], [1, 1]], [0, 0, -1], 3)]),
                    Domain.polytope([(0, (1, 0)), (0, (0, 1)), (4, (-1, -1))])),
    "mx_1d": (network(1, [maxout([[1], [-1], [0], [2]], [0, 0, 1, -3], 2),
                          {"weight": [[1, -1]], "bias": [0], "activation": "identity"}]), None),
}
_CACHE: dict = {}


def mx_engine(name):
    if name not in _CACHE:
        net, dom = MX[name]
        C = activation_regions(net, dom)
        _CACHE[name] = (engine_certificate(C), C)
    return _CACHE[name]


@pytest.mark.parametrize("name", sorted(MX))
def test_mx_cases_are_verified_and_true(name):
    c, _ = mx_engine(name)
    assert check_certificate(copy.deepcopy(c)).verdict == "verified"
    assert true_certificate(c)
    assert all(r["facets"]["units"] for r in c["regions"])  # every region has a unit facet


def _mx_apply(mutation, name, seed):
    cert_, C = mx_engine(name)
    c, rng = copy.deepcopy(cert_), random.Random(seed)
    return k_move_point_inside(c, rng, C) if mutation is k_move_point_inside else mutation(c, rng)


def m_letter(c, rng):
    """A unit's state changed to another of its letters (the certificate unchanged if
    earlier edits left no letter to change)."""
    try:
        pieces = next(l["pieces"] for l in c["network"]["layers"] if l["activation"] == "maxout")
        options = [(r, k, t) for r in c["regions"] for k, s in enumerate(r["signs"]) if s.isalpha()
                   for t in PIECE_LETTERS[:pieces] if t != s]
    except (TypeError, KeyError, IndexError, StopIteration, AttributeError):
        return c
    if options:
        r, k, t = rng.choice(options)
        r["signs"] = r["signs"][:k] + t + r["signs"][k + 1:]
    return c


def m_unit_facet_piece(c, rng):
    """A unit facet [g, j] renamed to another piece or unit."""
    r = rng.choice([r for r in c["regions"] if r["facets"]["units"]])
    e = rng.choice(r["facets"]["units"])
    e[rng.randrange(2)] += rng.choice([1, -1])
    return c


def m_unit_facet_remove(c, rng):
    r = rng.choice([r for r in c["regions"] if r["facets"]["units"]])
    r["facets"]["units"].pop(rng.randrange(len(r["facets"]["units"])))
    return c


def m_pieces(c, rng):
    layer = next(l for l in c["network"]["layers"] if l["activation"] == "maxout")
    layer["pieces"] = rng.choice([p for p in (1, 2, 3, 4, 6) if p != layer["pieces"]])
    return c


def k_reorder_units(c, rng):
    for r in c["regions"]:
        rng.shuffle(r["facets"]["units"])
    return c


@pytest.mark.parametrize("name", sorted(MX))
@pytest.mark.parametrize("mutation", REJECTED + [m_letter, m_unit_facet_piece, m_unit_facet_remove, m_pieces],
                         ids=lambda f: f.__name__[2:])
def test_mx_changes_of_meaning_are_rejected(mutation, name):
    for seed in range(2):
        c = _mx_apply(mutation, name, seed)
        if c is None:
            continue
        if mutation is m_unit_facet_piece and true_certificate(c):
            continue  # renamed to a piece or unit with the same hyperplane: still true
        assert not true_certificate(c), "the mutation kept the meaning; the catalogue is wrong"
        assert verdict(c) in ("rejected", "malformed")


@pytest.mark.parametrize("name", sorted(MX))
@pytest.mark.parametrize("mutation", ACCEPTED + [k_move_point_inside, k_reorder_units],
                         ids=lambda f: f.__name__[2:])
def test_mx_changes_keeping_the_meaning_are_accepted(mutation, name):
    for seed in range(2):
        c = _mx_apply(mutation, name, seed)
        if c is not None:
            assert true_certificate(c)
            assert verdict(c) == "verified"


def _mx_edit(c, rng):
    """test_tamper's random edit, or (one time in three) a changed letter."""
    return m_letter(c, rng) if rng.randrange(3) == 0 else _edit(c, rng)


def _mx_random_mutations(name, seed, edits):
    c, rng = copy.deepcopy(mx_engine(name)[0]), random.Random(seed)
    for _ in range(edits):
        c = _mx_edit(c, rng)
    assert (verdict(c) == "verified") == true_certificate(c), (name, seed, edits)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MX)), st.integers(0, 2 ** 32), st.integers(1, 3))
def test_mx_random_mutations_are_judged_like_the_oracle(name, seed, edits):
    _mx_random_mutations(name, seed, edits)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MX)), st.integers(0, 2 ** 32), st.integers(1, 3))
def test_mx_random_mutations_are_judged_like_the_oracle_many(name, seed, edits):
    _mx_random_mutations(name, seed, edits)


# -- end to end, the theorem checks, and the relu certificates unchanged ---------------

M2 = {"format": "tropexact-network", "version": 1, "input_dim": 2,
      "layers": MX["mx_relu_all"][0].to_dict()["layers"]}


@pytest.mark.parametrize("layers", [
    M2["layers"],
    [maxout([[1, 0], [0, 1], [-1, -1], [1, -1], [2, 1]], [0, 0, 1, 0, -1], 5),
     {"weight": [[1]], "bias": [0], "activation": "identity"}],  # one hidden maxout layer
    [maxout([[1], [2], [-1]], [0, -1, 0], 3)],  # a maxout output layer
], ids=["maxout-relu", "one-maxout-layer", "maxout-output"])
def test_verify_passes_on_maxout_nets_through_the_cli(tmp_path, capsys, layers):
    path = tmp_path / "m.json"
    d = len(layers[0]["weight"][0])
    path.write_text(json.dumps({"input_dim": d, "layers": layers}))
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[pass] certificate (independent checker)" in out
    assert "[n/a] theorem: zonotopes" in out and "[pass] theorem: bounds" in out
    assert "[FAIL]" not in out
    assert main(["verify", str(path), "--domain", "box:-2,2"]) == 0
    assert "[pass] certificate (independent checker)" in capsys.readouterr().out
    cert_path = tmp_path / "m.cert.json"
    assert main(["regions", str(path), "--certificate", str(cert_path), "--quiet"]) == 0
    assert main(["check", str(cert_path)]) == 0
    assert "certificate verified" in capsys.readouterr().out


def test_regression_zonotopes_crashed_on_a_maxout_layer():
    # check_zonotopes took one hidden maxout layer for a leaky relu one and crashed
    # (TypeError: the layer has no slope), and read a maxout output row by row
    for net in (network(2, [maxout([[1, 0], [0, 1], [-1, -1]], [0, 0, 1], 3),
                            {"weight": [[1]], "bias": [0], "activation": "identity"}]),
                network(1, [{"weight": [[1], [-1]], "bias": [0, 0], "activation": "relu"},
                            maxout([[1, 1], [1, -1]], [0, 0], 2)])):
        chk = check_zonotopes(net)
        assert chk.status == "not applicable" and "maxout" in chk.detail


# sha256 of json.dumps(certificate(...)) of relu networks, as the engine wrote them before
# maxout certificates existed (main at 86cd893): relu certificates did not change
RELU_SHA256 = {
    ("zhang2018_example_c2.json", "all"): "3e6cd0c8cb2c8a25e3c01a49684efd27e7bf2db41e27909b57897f7f10280b10",
    ("zhang2018_example_c2.json", "box"): "31265b15713ed6413209f794a4f904da301a28c016502c529245ecc73193d2c2",
    ("rational_leaky_2d.json", "all"): "7a3618e0d72ab635a93aa78dd92e585a88361fddd770bb38456607eb5b9ed85c",
    ("caveat_1d.json", "all"): "fd1d7160f5dd93f4dbd4ea0915f4a28b464d4b30ad0e9759b7b24c2d4e49eda7",
}


@pytest.mark.parametrize("name, dom", [("zhang2018_example_c2.json", None),
                                       ("zhang2018_example_c2.json", Domain.box([-2, -2], [2, 2])),
                                       ("rational_leaky_2d.json", None), ("caveat_1d.json", None)])
def test_relu_certificates_are_unchanged(name, dom):
    c = engine_certificate(activation_regions(load_network("data/networks/" + name), dom))
    assert all(set(r["facets"]) == {"neurons", "domain"} for r in c["regions"])
    text = json.dumps(c)
    key = (name, "all" if dom is None else "box")
    assert hashlib.sha256(text.encode()).hexdigest() == RELU_SHA256[key]
