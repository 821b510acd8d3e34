"""The independent certificate checker on hand-built certificates.

Every certificate below is written out by hand with its derivation in comments
(no tropexact code produces them), then tampered with: each tampering must make
the named check fail (the checks that rely on it are then "not run").  Box
inequalities are numbered 2i: x_i >= lower_i and 2i+1: x_i <= upper_i
(docs/certificates.md).  tests/test_tamper.py tampers with the engine's
certificates systematically; this file pins the messages and the limits.
"""

from __future__ import annotations

import copy
import inspect
import json
import math
import os
import random
import sys
import time
from fractions import Fraction
from itertools import combinations

import pytest

from tropexact.cli.main import main
from tropexact.verify import checker as checker_module
from tropexact.verify.checker import (CHECK_NAMES, MAX_JSON_DEPTH, MAX_NUMBER_LENGTH, CertificateError, Check, Report,
                                      TimeLimitExceeded, check_certificate, check_file)


# -- builders ---------------------------------------------------------------------

def layer(weight, bias, activation="relu", **extra):
    return {"weight": weight, "bias": bias, "activation": activation, **extra}


def region(signs, point, weight, bias, neurons=(), domain=()):
    return {"signs": signs, "point": point, "affine_map": {"weight": weight, "bias": bias},
            "facets": {"neurons": list(neurons), "domain": list(domain)}}


def certificate(d, layers, domain, neurons, regions, adjacency, groups, counts):
    return {"format": "tropexact-certificate", "version": 1,
            "network": {"format": "tropexact-network", "version": 1, "input_dim": d, "layers": layers},
            "domain": domain, "neurons": neurons, "regions": regions, "adjacency": adjacency,
            "linear_regions": groups,
            "counts": dict(zip(("activation_regions", "linear_regions", "affine_maps"), counts))}


def box(lo, hi, d):
    return {"type": "box", "lower": [lo] * d, "upper": [hi] * d}


ALL = {"type": "all"}


def statuses(cert):
    """{check name: status}, after checking the report's shape."""
    report = check_certificate(cert)
    assert isinstance(report, Report) and tuple(c.name for c in report.checks) == CHECK_NAMES
    # only a report whose every check passed is verified; a check not run is not a pass
    assert report.passed == report.complete == all(c.passed for c in report.checks)
    assert report.verdict == ("verified" if report.passed else
                              "rejected" if any(c.failed for c in report.checks) else "not verified")
    return {c.name: c.status for c in report.checks}


def failed(cert):
    """Names of the failed checks."""
    return {name for name, status in statuses(cert).items() if status == "fail"}


def detail(cert, name):
    return next(c.detail for c in check_certificate(cert).checks if c.name == name)


# -- the examples ---------------------------------------------------------------------

def relu_1d():
    # ν(x) = relu(x) on [-1, 1].  Neuron z = x.
    # x < 0: '-', ν = 0; closure {-x >= 0, x >= -1 (domain 0)}.
    # x > 0: '+', ν = x; closure {x >= 0, x <= 1 (domain 1)}.
    return certificate(
        1, [layer([[1]], [0]), layer([[1]], [0], "identity")], box(-1, 1, 1), [[0, 0]],
        [region("-", ["-1/2"], [[0]], [0], [0], [0]),
         region("+", ["0.5"], [[1]], ["0"], [0], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def quadrants_2d(domain=None):
    # ν(x, y) = relu(x) + relu(y) on [-1, 1]^2: the four open quadrants.
    # Maps: ++ -> x + y, +- -> x, -+ -> y, -- -> 0 (four distinct maps).
    # Quadrant ++ is bounded by x >= 0, y >= 0 (neurons 0, 1) and x <= 1, y <= 1
    # (domain 1, 3); the others likewise.  Adjacent (sharing a segment): ++/+-
    # (y = 0), ++/-+ (x = 0), +-/--, -+/--.  ++/-- and +-/-+ only touch at the origin.
    # Over all of Q^2 (domain=ALL) the same without the domain facets.
    on_box = domain is None
    facets = {"++": [1, 3], "+-": [1, 2], "-+": [0, 3], "--": [0, 2]}
    points = {"++": ["1/2", "1/2"], "+-": ["1/2", "-1/2"], "-+": ["-1/2", "1/2"], "--": ["-1/2", "-1/2"]}
    maps = {"++": [[1, 1]], "+-": [[1, 0]], "-+": [[0, 1]], "--": [[0, 0]]}
    return certificate(
        2, [layer([[1, 0], [0, 1]], [0, 0]), layer([[1, 1]], [0], "identity")],
        box(-1, 1, 2) if on_box else domain, [[0, 0], [0, 1]],
        [region(s, points[s], maps[s], [0], [0, 1], facets[s] if on_box else [])
         for s in ("++", "+-", "-+", "--")],
        [[0, 1], [0, 2], [1, 3], [2, 3]], [[0], [1], [2], [3]], (4, 4, 4))


def hat_1d(domain=None):
    # ν = relu(x + 1/2) - 2 relu(x) + relu(x - 1/2) on [-1, 1] (a hat).
    # (-1, -1/2) '---': 0;  (-1/2, 0) '+--': x + 1/2;  (0, 1/2) '++-': 1/2 - x;
    # (1/2, 1) '+++': (x + 1/2) - 2x + (x - 1/2) = 0.
    # 4 activation regions, 4 linear regions (the two zero pieces are not
    # adjacent), 3 distinct affine maps.  Over Q (domain=ALL): no domain facets.
    on_box = domain is None
    return certificate(
        1, [layer([[1], [1], [1]], ["1/2", 0, "-1/2"]), layer([[1, -2, 1]], [0], "identity")],
        box(-1, 1, 1) if on_box else domain, [[0, 0], [0, 1], [0, 2]],
        [region("---", ["-3/4"], [[0]], [0], [0], [0] if on_box else []),
         region("+--", ["-1/4"], [[1]], ["1/2"], [0, 1]),
         region("++-", ["1/4"], [[-1]], ["1/2"], [1, 2]),
         region("+++", ["3/4"], [[0]], [0], [2], [1] if on_box else [])],
        [[0, 1], [1, 2], [2, 3]], [[0], [1], [2], [3]], (4, 4, 3))


def dead_and_zero_1d():
    # Hidden relu layer with rows x, 0 (bias -1) and 0 (bias 0); output sums them.
    # Neuron 1 has z = -1 < 0 everywhere: '-' (output 0).  Neuron 2 has z ≡ 0,
    # the breakpoint, on every region: '0' (output 0).  So ν = relu(x).
    return certificate(
        1, [layer([[1], [0], [0]], [0, -1, 0]), layer([[1, 1, 1]], [0], "identity")],
        box(-1, 1, 1), [[0, 0], [0, 1], [0, 2]],
        [region("--0", ["-1/2"], [[0]], [0], [0], [0]),
         region("+-0", ["1/2"], [[1]], [0], [0], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def leaky_1d(domain=None):
    # h = leaky_relu(x, 1/4), then ν = relu(h - 1/2), on [-1, 1].
    # x < 0: h = x/4, z = x/4 - 1/2 < 0: '--', ν = 0.
    # 0 < x < 1/2: h = x, z = x - 1/2 < 0: '+-', ν = 0.
    # 1/2 < x: '++', ν = x - 1/2.
    # Regions 0 and 1 are adjacent (at x = 0) with the same map: 2 linear regions.
    on_box = domain is None
    return certificate(
        1, [layer([[1]], [0], "leaky_relu", negative_slope="1/4"), layer([[1]], ["-1/2"])],
        box(-1, 1, 1) if on_box else domain, [[0, 0], [1, 0]],
        [region("--", ["-1/2"], [[0]], [0], [0], [0] if on_box else []),
         region("+-", ["1/4"], [[0]], [0], [0, 1]),
         region("++", ["3/4"], [[1]], ["-1/2"], [1], [1] if on_box else [])],
        [[0, 1], [1, 2]], [[0, 1], [2]], (3, 2, 2))


def triangle_2d():
    # ν = relu(x - y) on the triangle x >= 0, y >= 0, x + y <= 1.
    # x < y: '-', ν = 0, triangle (0,0), (0,1), (1/2,1/2): facets y - x >= 0,
    #        domain 0 (x >= 0) and 2.
    # x > y: '+', ν = x - y, triangle (0,0), (1,0), (1/2,1/2).
    # They share the segment (0,0)-(1/2,1/2).
    return certificate(
        2, [layer([[1, -1]], [0])],
        {"type": "polytope", "inequalities": [[0, 1, 0], [0, 0, 1], [1, -1, -1]]}, [[0, 0]],
        [region("-", ["1/4", "1/2"], [[0, 0]], [0], [0], [0, 2]),
         region("+", ["1/2", "1/4"], [[1, -1]], [0], [0], [1, 2])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def quarter_plane_2d():
    # relu(x - y) on the unbounded polytope x >= 0, y >= 0 (domain rows 0, 1):
    # '-' (y > x) is bounded by y - x >= 0 and x >= 0; '+' by x - y >= 0 and y >= 0.
    return certificate(
        2, [layer([[1, -1]], [0])],
        {"type": "polytope", "inequalities": [[0, 1, 0], [0, 0, 1]]}, [[0, 0]],
        [region("-", ["1", "2"], [[0, 0]], [0], [0], [0]),
         region("+", ["2", "1"], [[1, -1]], [0], [0], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def cut_cube_3d():
    # ν = relu(x + y + z) on [-1, 1]^3; the plane x + y + z = 0 halves the cube.
    # Every cube face meets both halves in a 2-dimensional set, so both regions
    # name all six.
    return certificate(
        3, [layer([[1, 1, 1]], [0])], box(-1, 1, 3), [[0, 0]],
        [region("-", ["-1/2", 0, 0], [[0, 0, 0]], [0], [0], range(6)),
         region("+", ["1/2", 0, 0], [[1, 1, 1]], [0], [0], range(6))],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def two_cuts_4d():
    # ν = relu(x1 - x2) + relu(x3 + x4) on [-1, 1]^4.  Pairs differing in one sign
    # share a 3-face; ++/-- and +-/-+ meet in a 2-face only.  Facets of ++
    # (x1 > x2, x3 + x4 > 0) on the box: x1 <= 1 (1) and x2 >= -1 (2) -- at x1 = -1
    # x2 < -1 is impossible --, x3 <= 1 (5) and x4 <= 1 (7); the others likewise.
    maps = {"++": [[1, -1, 1, 1]], "+-": [[1, -1, 0, 0]], "-+": [[0, 0, 1, 1]], "--": [[0, 0, 0, 0]]}
    points = {"++": ["1/2", 0, "1/2", 0], "+-": ["1/2", 0, "-1/2", 0],
              "-+": [0, "1/2", "1/2", 0], "--": [0, "1/2", "-1/2", 0]}
    facets = {"++": [1, 2, 5, 7], "+-": [1, 2, 4, 6], "-+": [0, 3, 5, 7], "--": [0, 3, 4, 6]}
    return certificate(
        4, [layer([[1, -1, 0, 0], [0, 0, 1, 1]], [0, 0]), layer([[1, 1]], [0], "identity")],
        box(-1, 1, 4), [[0, 0], [0, 1]],
        [region(s, points[s], maps[s], [0], [0, 1], facets[s]) for s in ("++", "+-", "-+", "--")],
        [[0, 1], [0, 2], [1, 3], [2, 3]], [[0], [1], [2], [3]], (4, 4, 4))


def relu_all():
    # relu(x) on the whole line: the facet x = 0 only.
    cert = relu_1d()
    cert["domain"] = ALL
    for r, x in zip(cert["regions"], ("-7", "1e3")):
        r["point"], r["facets"]["domain"] = [x], []
    return cert


def one_region_all():
    # ν(x, y) = x + y, no nonlinear neuron: one region, all of Q^2, no facet.
    return certificate(2, [layer([[1, 1]], [0], "identity")], ALL, [],
                       [region("", [0, 0], [[1, 1]], [0])], [], [[0]], (1, 1, 1))


def lineality_all():
    # relu(x + y) over Q^2: two half-planes, each containing the line x + y = 0's
    # direction; their closures share that line.
    return certificate(
        2, [layer([[1, 1]], [0])], ALL, [[0, 0]],
        [region("-", ["-1", "0"], [[0, 0]], [0], [0]), region("+", ["1", "0"], [[1, 1]], [0], [0])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def duplicate_neurons_1d():
    # relu(x) + relu(2x) on [-1, 1]: neurons 0 and 1 have the same hyperplane x = 0,
    # named once (either one).
    return certificate(
        1, [layer([[1], [2]], [0, 0]), layer([[1, 1]], [0], "identity")], box(-1, 1, 1),
        [[0, 0], [0, 1]],
        [region("--", ["-1/2"], [[0]], [0], [0], [0]), region("++", ["1/2"], [[3]], [0], [1], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def boundary_neuron_1d():
    # relu(x - 1) on [-1, 1]: the neuron's hyperplane x = 1 is the domain's facet 1;
    # one region '-', whose facets are the domain's two.
    return certificate(
        1, [layer([[1]], [-1]), layer([[1]], [0], "identity")], box(-1, 1, 1), [[0, 0]],
        [region("-", ["0"], [[0]], [0], [], [0, 1])], [], [[0]], (1, 1, 1))


EXAMPLES = [relu_1d, quadrants_2d, hat_1d, dead_and_zero_1d, leaky_1d, triangle_2d, quarter_plane_2d,
            cut_cube_3d, two_cuts_4d, relu_all, one_region_all, lineality_all, duplicate_neurons_1d,
            boundary_neuron_1d]
OVER_QD = [quadrants_2d, hat_1d, leaky_1d]


@pytest.mark.parametrize("example", [pytest.param(f, id=f.__name__) for f in EXAMPLES] +
                         [pytest.param(lambda f=f: f(ALL), id=f.__name__ + "_all") for f in OVER_QD])
def test_valid_certificates_are_verified(example):
    report = check_certificate(example())
    assert report.verdict == "verified", [c for c in report.checks if not c.passed]
    assert report.passed and report.complete


def test_check_names_and_order():
    # the table of checks, in the order they run and are printed
    assert CHECK_NAMES == ("structure", "distinct_signs", "points_inside", "affine_maps", "closures",
                           "facets", "coverage", "adjacency", "linear_regions", "counts")


@pytest.mark.parametrize("example", [relu_all, cut_cube_3d], ids=lambda f: f.__name__)
def test_progress_counts_up_to_its_total(example):
    seen = []
    report = check_certificate(example(), progress=lambda done, total: seen.append((done, total)))
    assert report.passed and seen
    totals = {t for _, t in seen}
    assert len(totals) == 1 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_coverage_detail_is_exact():
    # S = {t >= 0, x_i >= -1, t + Σ x_i <= 1} has volume (d + 1)^(d+1) / (d + 1)!
    assert detail(quadrants_2d(ALL), "coverage") == \
        "the 4 closures cover Q^2 (homogenized volumes sum to 9/2)"
    assert detail(relu_all(), "coverage") == "the 2 closures cover Q^1 (homogenized volumes sum to 2)"
    assert detail(triangle_2d(), "coverage").startswith("the 2 closures cover the polytope")


def test_threshold_relu():
    # ν = max(x, 1/2) on [-1, 1] (relu with threshold 1/2): '-' gives the constant 1/2.
    cert = certificate(
        1, [layer([[1]], [0], threshold="1/2")], box(-1, 1, 1), [[0, 0]],
        [region("-", [0], [[0]], ["1/2"], [0], [0]), region("+", ["3/4"], [[1]], [0], [0], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))
    assert failed(cert) == set() and check_certificate(cert).passed
    cert["regions"][0]["affine_map"]["bias"] = [0]  # the threshold-0 answer
    assert failed(cert) == {"affine_maps"}


# -- issue 11, case 1: over all of Q^d the counts are proven --------------------------

def test_case01_qd_checker_rejects_false_counts_after_deleting_a_region():
    cert = quadrants_2d(ALL)
    del cert["regions"][3]  # '--', and every mention of it
    cert["adjacency"] = [[0, 1], [0, 2]]
    cert["linear_regions"] = [[0], [1], [2]]
    cert["counts"] = {"activation_regions": 3, "linear_regions": 3, "affine_maps": 3}
    assert failed(cert) == {"coverage", "adjacency"}
    assert "a region is missing" in detail(cert, "coverage")
    assert detail(cert, "adjacency") == (  # +- and -+ lost their neighbour --
        "region 1: the claimed neighbours cover 0 of its facet on neuron 0 [0, 0]: an adjacent pair is "
        "missing; region 2: the claimed neighbours cover 0 of its facet on neuron 1 [0, 1]: an adjacent "
        "pair is missing")
    assert check_certificate(cert).verdict == "rejected"


def test_case01_qd_checker_rejects_an_emptied_adjacency():
    # Without adjacency, every region alone is a consistent grouping: the missing
    # pairs themselves must be found.
    for cert in (quadrants_2d(ALL), leaky_1d(ALL), hat_1d(ALL)):
        n = len(cert["regions"])
        cert["adjacency"], cert["linear_regions"] = [], [[r] for r in range(n)]
        cert["counts"]["linear_regions"] = n
        assert failed(cert) == {"adjacency"}
        assert statuses(cert)["counts"] == "not run"
        assert "an adjacent pair is missing" in detail(cert, "adjacency")


def test_case01_qd_cli_exits_1(tmp_path, capsys):
    cert = leaky_1d(ALL)
    cert["adjacency"], cert["linear_regions"] = [[1, 2]], [[0], [1], [2]]
    cert["counts"]["linear_regions"] = 3
    path = tmp_path / "bad.cert.json"
    path.write_text(json.dumps(cert))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] adjacency" in out and "CERTIFICATE REJECTED" in out
    path.write_text(json.dumps(leaky_1d(ALL)))
    assert main(["check", str(path), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["verdict"] == "verified" and obj["passed"] and obj["complete"]


# -- issue 11, case 2: box adjacency and domain facets --------------------------------

def test_case02_box_adjacency_and_domain_facets_a_deleted_pair():
    cert = quadrants_2d()
    cert["adjacency"].remove([1, 3])
    assert failed(cert) == {"adjacency"}
    assert detail(cert, "adjacency").startswith("region 1: the claimed neighbours cover 0 of its facet")


def test_case02_box_adjacency_and_domain_facets_relabelled_or_deleted():
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["domain"] = [0, 3]  # x >= -1 instead of x <= 1
    assert failed(cert) == {"closures"}
    assert detail(cert, "closures") == ("region 0: its named facets allow the direction (1, 0), which "
                                        "violates domain inequality 1")
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["domain"] = [3]  # x <= 1 deleted
    assert failed(cert) == {"closures"}
    cert = cut_cube_3d()
    cert["regions"][1]["facets"]["domain"] = [0, 1, 2, 3, 4]
    assert failed(cert) == {"closures"}


def test_case02_box_adjacency_and_domain_facets_irredundant():
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["domain"] = [0, 1, 3]  # x >= -1 is no facet of [0, 1]^2
    assert failed(cert) == {"facets"}
    assert detail(cert, "facets") == "region 0: domain inequality 0 is named but is not a facet of its closure"
    cert = hat_1d()
    cert["regions"][0]["facets"]["neurons"] = [0, 2]  # x = 1/2 is far from (-1, -1/2)
    assert failed(cert) == {"facets"}
    assert "neuron 2 [0, 2] is named but is not a facet" in detail(cert, "facets")


def test_case02_a_neuron_on_the_domain_boundary_is_named_by_the_domain():
    cert = boundary_neuron_1d()
    cert["regions"][0]["facets"] = {"neurons": [0], "domain": [0]}
    assert failed(cert) == {"facets"}
    assert detail(cert, "facets") == ("region 0: the facet of neuron 0 [0, 0] lies on domain "
                                      "inequality 1, which is not named instead")
    cert["regions"][0]["facets"] = {"neurons": [0], "domain": [0, 1]}
    assert failed(cert) == {"facets"}
    assert "neuron 0 [0, 0] and domain inequality 1 name the same facet" in detail(cert, "facets")


def test_case02_duplicate_hyperplanes_named_once():
    cert = duplicate_neurons_1d()
    cert["regions"][0]["facets"]["neurons"] = [1]  # the other neuron of the same hyperplane
    assert check_certificate(cert).passed
    cert["regions"][0]["facets"]["neurons"] = [0, 1]
    assert failed(cert) == {"facets"}
    assert "neuron 0 [0, 0] and neuron 1 [0, 1] name the same facet" in detail(cert, "facets")
    # a polytope domain listing one inequality twice: either copy, not both
    cert = triangle_2d()
    cert["domain"]["inequalities"].append([2, -2, -2])  # 2(1 - x - y) >= 0, inequality 3
    assert check_certificate(cert).passed
    cert["regions"][0]["facets"]["domain"] = [0, 3]
    assert check_certificate(cert).passed
    cert["regions"][0]["facets"]["domain"] = [0, 2, 3]
    assert failed(cert) == {"facets"}


# -- more tampering ------------------------------------------------------------------

def test_point_outside_its_region():
    cert = quadrants_2d()
    cert["regions"][0]["point"] = ["1/2", "-1/2"]  # in quadrant +-, not ++
    assert failed(cert) == {"points_inside", "affine_maps"}
    assert "region 0" in detail(cert, "points_inside")
    cert = quadrants_2d()
    cert["regions"][3]["point"] = ["-2", "-1/2"]  # outside the box
    assert failed(cert) == {"points_inside"}
    assert detail(cert, "points_inside") == "region 3: point not strictly inside domain inequality 0"
    assert statuses(cert)["closures"] == "not run"
    assert detail(cert, "closures") == "needs points_inside, which did not pass"


def test_point_on_the_boundary():
    cert = relu_1d()
    cert["regions"][1]["point"] = [0]  # z = 0 is not > 0
    assert failed(cert) == {"points_inside"}
    assert "region 1" in detail(cert, "points_inside")
    cert = relu_1d()
    cert["regions"][1]["point"] = [1]  # on the box boundary x = 1
    assert failed(cert) == {"points_inside"}


def test_flipped_sign():
    cert = dead_and_zero_1d()
    cert["regions"][1]["signs"] = "++0"  # the dead neuron (z = -1) claimed active
    assert "points_inside" in failed(cert)
    assert "neuron 1 [0, 1]" in detail(cert, "points_inside")
    cert = dead_and_zero_1d()
    cert["regions"][0]["signs"] = "--+"  # the constant-zero neuron claimed positive
    assert "points_inside" in failed(cert)
    cert = dead_and_zero_1d()
    cert["regions"][0]["signs"] = "-00"  # the dead neuron is constant, but not 0
    assert "points_inside" in failed(cert)
    assert "'0' but not constantly at its breakpoint" in detail(cert, "points_inside")


def test_duplicated_region():
    cert = quadrants_2d()
    extra = copy.deepcopy(cert["regions"][3])
    extra["point"] = ["-1/4", "-3/4"]
    cert["regions"].append(extra)
    cert["linear_regions"].append([4])
    cert["counts"]["activation_regions"] = cert["counts"]["linear_regions"] = 5
    assert failed(cert) == {"distinct_signs"}
    assert detail(cert, "distinct_signs") == "regions 3 and 4 have the same signs '--'"
    assert statuses(cert)["coverage"] == "not run"


def test_affine_map_altered():
    cert = quadrants_2d()
    cert["regions"][2]["affine_map"]["weight"] = [[0, "2"]]
    assert failed(cert) == {"affine_maps"}
    assert detail(cert, "affine_maps").startswith("region 2: affine_map differs")
    assert statuses(cert)["linear_regions"] == statuses(cert)["counts"] == "not run"


def test_region_removed_from_a_box():
    cert = quadrants_2d()
    del cert["regions"][3]
    cert["adjacency"] = [[0, 1], [0, 2]]
    cert["linear_regions"] = [[0], [1], [2]]
    cert["counts"] = {"activation_regions": 3, "linear_regions": 3, "affine_maps": 3}
    assert failed(cert) == {"coverage", "adjacency"}


def test_missing_facet():
    # Without y >= 0, quadrant ++'s closure would be the half box x >= 0, whose
    # corner (1, -1) violates the sign of neuron 1.
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["neurons"] = [0]
    assert failed(cert) == {"closures"}
    assert detail(cert, "closures") == ("region 0: its named facets allow the direction (0, -1), which "
                                        "violates the sign '+' of neuron 1 [0, 1]")
    cert = quadrants_2d(ALL)
    cert["regions"][3]["facets"]["neurons"] = [0]
    assert failed(cert) == {"closures"}
    assert detail(cert, "closures") == ("region 3: its named facets allow the direction (-1, 2), which "
                                        "violates the sign '-' of neuron 1 [0, 1]")
    cert = cut_cube_3d()
    cert["regions"][1]["facets"]["neurons"] = []
    assert failed(cert) == {"closures"}


def test_wrong_counts():
    for key, value in (("activation_regions", 3), ("linear_regions", 3), ("affine_maps", 4)):
        cert = hat_1d()
        cert["counts"][key] = value
        assert failed(cert) == {"counts"}
        assert key in detail(cert, "counts")


def test_grouping_non_adjacent_regions():
    # The two zero pieces of the hat have the same map but do not touch.
    cert = hat_1d()
    cert["linear_regions"] = [[0, 3], [1], [2]]
    cert["counts"]["linear_regions"] = 3
    assert failed(cert) == {"linear_regions"}
    assert "linear_regions[0]: not connected" in detail(cert, "linear_regions")


def test_grouping_errors():
    cert = leaky_1d()
    cert["linear_regions"] = [[0], [1], [2]]  # splits adjacent equal maps
    cert["counts"]["linear_regions"] = 3
    assert failed(cert) == {"linear_regions"}
    assert "adjacency [0, 1] joins" in detail(cert, "linear_regions")
    cert = hat_1d()
    cert["linear_regions"] = [[0, 1], [2, 3]]  # different maps in one group
    cert["counts"]["linear_regions"] = 2
    assert failed(cert) == {"linear_regions"}
    for groups in ([[0], [1], [2]], [[0], [1], [2], [3, 3]], [[0, 1, 2, 3], []], [[0], [1], [2], [7]]):
        cert = hat_1d()
        cert["linear_regions"] = groups
        assert "not a partition" in detail(cert, "linear_regions")


def test_hidden_adjacency_splitting_a_linear_region():
    # Omitting the edge 0-1 of the leaky example and splitting its linear region
    # fools the grouping check, but regions 0 and 1 do share the point x = 0.
    cert = leaky_1d()
    cert["adjacency"] = [[1, 2]]
    cert["linear_regions"] = [[0], [1], [2]]
    cert["counts"]["linear_regions"] = 3
    assert failed(cert) == {"adjacency"}
    assert "region 0: the claimed neighbours cover 0 of its facet on neuron 0 [0, 0]" in \
        detail(cert, "adjacency")


def test_fake_adjacency():
    cert = quadrants_2d()
    cert["adjacency"].insert(0, [0, 3])  # ++ and -- touch only at the origin
    assert failed(cert) == {"adjacency"}
    assert detail(cert, "adjacency") == \
        "adjacency [0, 3]: the closures share no 1-dimensional piece of a facet"
    cert = two_cuts_4d()
    cert["adjacency"].append([1, 2])  # +- and -+ meet in a 2-face only
    assert failed(cert) == {"adjacency"}
    cert = hat_1d(ALL)
    cert["adjacency"].append([0, 3])  # disjoint half-lines
    assert failed(cert) == {"adjacency"}


def test_structure_failures():
    cert = quadrants_2d()
    cert["neurons"] = [[0, 1], [0, 0]]
    assert failed(cert) == {"structure"}
    assert set(statuses(cert).values()) == {"fail", "not run"}
    cert = quadrants_2d()
    cert["adjacency"].append([1, 0])
    assert "structure" in failed(cert)
    cert = quadrants_2d()
    cert["adjacency"].append([0, 1])
    assert detail(cert, "structure") == "adjacency lists a pair twice"
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["domain"] = [8]
    assert detail(cert, "structure") == "region 0: no domain inequality 8"
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["neurons"] = [0, 1, 0]
    assert detail(cert, "structure") == "region 0: a facet is listed twice"
    cert = dead_and_zero_1d()
    cert["regions"][0]["facets"]["neurons"] = [0, 2]  # a '0' neuron is no facet
    assert "structure" in failed(cert)


def test_not_verified_is_not_a_pass(monkeypatch, tmp_path, capsys):
    report = Report(False, (Check("structure", "pass", ""), Check("coverage", "not run", "why")))
    assert report.verdict == "not verified" and not report.complete
    path = tmp_path / "c.json"
    path.write_text(json.dumps(relu_1d()))
    monkeypatch.setattr("tropexact.cli.commands.check_file", lambda *a, **k: report)
    assert main(["check", str(path)]) == 1
    assert "CERTIFICATE NOT VERIFIED: not run: coverage" in capsys.readouterr().out


# -- malformed input -----------------------------------------------------------

@pytest.mark.parametrize("path, value, message", [
    (("regions", 1, "point", 0), "1/x", r"regions\[1\]\.point\[0\]: not a number"),
    (("regions", 1, "point", 0), 0.5, r"regions\[1\]\.point\[0\]: not a number \(0\.5\)"),
    (("regions", 1, "point", 0), True, r"regions\[1\]\.point\[0\]: not a number"),
    (("regions", 1, "point", 0), None, "not a number"),
    (("regions", 1, "point", 0), "nan", "not a number"),
    (("regions", 1, "point", 0), "1/0", "not a number"),
    (("regions", 1, "point", 0), "", "not a number"),
    (("regions", 1, "point", 0), " 1", "not a number"),
    (("regions", 1, "point", 0), "1e999999", "not a number"),
    (("regions", 1, "point", 0), "1e12345678901", "not a number"),
    (("regions", 1, "point", 0), "\u0661", "not a number"),  # an Arabic-Indic one
    (("regions", 1, "point", 0), ".", "not a number"),
    (("regions", 1, "point"), ["1", "2"], r"regions\[1\]\.point: expected 1 entries, got 2"),
    (("regions", 0, "signs"), "+-", r"regions\[0\]\.signs"),
    (("regions", 0, "signs"), "x", r"regions\[0\]\.signs"),
    (("regions", 0, "colour"), "red", r"regions\[0\]: unknown key 'colour'"),
    (("network", "layers", 0, "weight", 0, 0), 1.0, r"network\.layers\[0\]\.weight\[0\]\[0\]"),
    (("network", "layers", 0, "activation"), "tanh", "unknown activation"),
    (("network", "layers", 0, "negative_slope"), "1/2", r"network\.layers\[0\]: unknown key"),
    (("network", "layers", 0, "bias"), [0, 0], r"network\.layers\[0\]\.bias: expected 1"),
    (("network", "version"), 2, "not a tropexact-network of version 1"),
    (("network", "colour"), 2, "network: unknown key"),
    (("domain", "type"), "ball", "unknown domain type"),
    (("domain", "upper", 0), "-1", r"domain: needs lower < upper"),
    (("domain", "inequalities"), [], r"domain: unknown key 'inequalities'"),
    (("counts", "affine_maps"), "2", r"counts\.affine_maps: expected an integer"),
    (("counts", "regions"), 2, r"counts: unknown key"),
    (("adjacency", 0, 0), "0", r"adjacency\[0\]\[0\]"),
    (("version",), 2, "version 1"),
    (("version",), True, "expected an integer"),
    (("comment",), "hello", "certificate: unknown key 'comment'"),
])
def test_malformed_values(path, value, message):
    cert = relu_1d()
    target = cert
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(CertificateError, match=message):
        check_certificate(cert)


@pytest.mark.parametrize("path", [("regions", 0, "point"), ("counts",), ("network", "input_dim"),
                                  ("regions", 1, "facets", "domain"), ("domain", "lower")])
def test_missing_key(path):
    cert = relu_1d()
    target = cert
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    with pytest.raises(CertificateError, match=f"missing key '{path[-1]}'"):
        check_certificate(cert)


def test_not_a_certificate():
    for bad in ([], "cert", None):
        with pytest.raises(CertificateError, match="expected an object"):
            check_certificate(bad)


# -- files and their limits ---------------------------------------------------------

def test_check_file_reads_decimal_literals_exactly(tmp_path):
    text = json.dumps(relu_1d()).replace('"0.5"', "0.5")
    assert '[0.5]' in text
    path = tmp_path / "cert.json"
    path.write_text(text)
    assert check_file(str(path)).passed
    path.write_text(text.replace("0.5", "NaN"))
    with pytest.raises(CertificateError, match="NaN"):
        check_file(str(path))
    path.write_text("{")
    with pytest.raises(CertificateError, match="cannot read JSON"):
        check_file(str(path))
    with pytest.raises(CertificateError, match="cannot read"):
        check_file(str(tmp_path / "missing.json"))


def test_long_numbers_are_read(tmp_path):
    # 5,000 digits, over Python's 4,300-digit int(str) limit: a number, read exactly
    # (the strings are built without int(str) or str(int), which refuse them too).
    ten, two = "1" + "0" * 4999, "2" + "0" * 4999  # 10^4999 and 2·10^4999
    cert = relu_1d()
    cert["regions"][1]["point"] = [f"{ten}/{two}"]  # 1/2
    cert["domain"]["upper"] = [10 ** 4999]  # x <= 10^4999 as a Python int
    assert check_certificate(cert).passed
    cert["regions"][1]["point"] = ["0." + "0" * 4990 + "1"]  # a long decimal string, still > 0
    assert check_certificate(cert).passed
    cert["domain"]["upper"] = [1]
    path = tmp_path / "long.cert.json"
    text = json.dumps(cert).replace('"upper": [1]', f'"upper": [{ten}]')
    assert f'"upper": [{ten}]' in text  # a JSON integer literal of 5,000 digits
    path.write_text(text)
    report = check_file(str(path))
    assert report.passed, report.checks


def test_too_long_numbers_are_refused_by_place(tmp_path):
    long = "1" * (MAX_NUMBER_LENGTH + 1)
    cert = relu_1d()
    cert["regions"][1]["point"] = [long]
    n = MAX_NUMBER_LENGTH
    with pytest.raises(CertificateError, match=rf"regions\[1\]\.point\[0\]: a number of {n + 1} characters, "
                                               rf"longer than the limit of {n} \(2 x TROPEXACT_MAX_DIGITS"):
        check_certificate(cert)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(relu_1d()).replace('"upper": [1]', f'"upper": [{long}]'))
    with pytest.raises(CertificateError, match=rf"c\.json: domain\.upper\[0\]: a number of {n + 1} characters"):
        check_file(str(path))
    cert = relu_1d()
    cert["domain"]["upper"] = [10 ** MAX_NUMBER_LENGTH]  # a Python int, as big
    with pytest.raises(CertificateError, match=rf"domain\.upper\[0\]: a number of more than {n}"):
        check_certificate(cert)


def test_not_regular_files_are_refused(tmp_path):
    if os.path.exists("/dev/zero"):
        with pytest.raises(CertificateError, match="^/dev/zero: cannot read: a device, pipe or socket"):
            check_file("/dev/zero")
    with pytest.raises(CertificateError, match="a directory, not a regular file"):
        check_file(str(tmp_path))
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        start = time.monotonic()
        with pytest.raises(CertificateError, match="not a regular file"):
            check_file(str(fifo))  # refused without waiting for a writer
        assert time.monotonic() - start < 5


def test_size_limit(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(relu_1d()))
    size = path.stat().st_size
    assert check_file(str(path), max_bytes=size).passed
    with pytest.raises(CertificateError, match=f"c.json: larger than the limit of {size - 1} bytes"):
        check_file(str(path), max_bytes=size - 1)


def test_nesting_limit(tmp_path):
    path = tmp_path / "c.json"
    cert = relu_1d()
    path.write_text(json.dumps(cert))
    assert check_file(str(path), max_depth=6).passed  # a certificate needs 6
    with pytest.raises(CertificateError, match="nested deeper than the limit of 5"):
        check_file(str(path), max_depth=5)
    deep = MAX_JSON_DEPTH + 8
    text = json.dumps(cert)[:-1] + ', "x": ' + "[" * deep + "]" * deep + "}"
    path.write_text(text)
    with pytest.raises(CertificateError, match=rf"c\.json: cannot read JSON: nested deeper than the limit of "
                                               rf"{MAX_JSON_DEPTH} \(TROPEXACT_MAX_NESTING"):
        check_file(str(path))
    path.write_text("[" * 100_000 + "]" * 100_000)  # no RecursionError
    with pytest.raises(CertificateError, match="nested deeper"):
        check_file(str(path))
    path.write_text(json.dumps(cert)[:-1] + ', "x": "' + "[" * 40 + '"}')  # brackets in a string
    with pytest.raises(CertificateError, match="unknown key 'x'"):
        check_file(str(path))


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "c.json"
    text = json.dumps(relu_1d())
    path.write_text(text.replace('"counts": {', '"counts": {"affine_maps": 7, ', 1))
    with pytest.raises(CertificateError, match=r"c\.json: cannot read JSON: duplicate key 'affine_maps'"):
        check_file(str(path))
    path.write_text('{"version": 1, ' + text[1:])
    with pytest.raises(CertificateError, match="duplicate key 'version'"):
        check_file(str(path))


def test_errors_are_one_line_naming_the_file(tmp_path):
    path = tmp_path / "c.json"
    cert = relu_1d()
    cert["regions"][0]["point"] = ["x"]
    path.write_text(json.dumps(cert))
    with pytest.raises(CertificateError) as e:
        check_file(str(path))
    assert str(e.value) == f"{path}: regions[0].point[0]: not a number ('x')"


# -- the time budget -----------------------------------------------------------------

def _big_certificate():
    """The engine's certificate of 24 relu neurons over Q^2 (several hundred regions,
    more than a second of checking): for the time limit only."""
    from tropexact.networks.model import network
    from tropexact.regions import activation_regions
    from tropexact.verify.certificates import certificate as engine_certificate
    rows = [[(i * 7) % 5 - 2 or 3, (i * 3) % 7 - 3 or 1] for i in range(24)]
    net = network(2, [{"weight": rows, "bias": [str(i % 5 - 2) for i in range(24)], "activation": "relu"},
                      {"weight": [[1] * 24], "bias": [0], "activation": "identity"}])
    return engine_certificate(activation_regions(net))


def test_time_limit_stops_promptly(tmp_path, capsys):
    cert = _big_certificate()
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match=r"time limit of 0\.05 s reached while"):
        check_certificate(cert, time_limit=0.05)
    assert time.monotonic() - start < 1.5
    path = tmp_path / "big.cert.json"
    path.write_text(json.dumps(cert))
    assert main(["check", str(path), "--time-limit", "0.01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tropexact: budget exceeded: {path}: time limit of 0.01 s reached")
    assert main(["check", str(path), "--time-limit", "0"]) == 2
    assert "--time-limit: must be a positive number" in capsys.readouterr().err


def test_time_limit_values():
    for bad in (0, -1, "x", float("nan"), float("inf"), True):
        with pytest.raises(ValueError, match="time_limit"):
            check_certificate(relu_1d(), time_limit=bad)
    for good in (60, "60", 60.5, Fraction(1, 1)):
        assert check_certificate(relu_1d(), time_limit=good).passed


# -- the exact geometry, against brute force -------------------------------------------

def _brute_vertices(rows, d):
    """Vertices of {y in Q^(d+1) : c + r·y >= 0} by solving every (d+1)-subset of rows."""
    F, n, out = Fraction, d + 1, set()
    for sub in combinations(rows, n):
        M = [[F(x) for x in r[1:]] + [F(-r[0])] for r in sub]
        for c in range(n):  # Gauss-Jordan
            p = next((i for i in range(c, n) if M[i][c]), None)
            if p is None:
                break
            M[c], M[p] = M[p], M[c]
            M[c] = [x / M[c][c] for x in M[c]]
            for i in range(n):
                if i != c and M[i][c]:
                    M[i] = [a - M[i][c] * b for a, b in zip(M[i], M[c])]
        else:
            y = tuple(M[i][n] for i in range(n))
            if all(r[0] + sum(a * v for a, v in zip(r[1:], y)) >= 0 for r in rows):
                out.add(y)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_vertex_enumeration_and_volume_match_brute_force(seed):
    F, rng = Fraction, random.Random(seed)
    d = rng.choice([1, 2, 2, 3])
    clock = checker_module._Clock(None, None)
    cone = [(0,) + tuple(rng.randint(-3, 3) for _ in range(d + 1)) for _ in range(rng.randint(0, 5))]
    verts = checker_module._polytope(cone, d + 2, d, clock)
    rows = [(0, 1) + (0,) * d] + [(1, 0) + tuple(int(i == j) for j in range(d)) for i in range(d)] + \
        [(1, -1) + (-1,) * d] + cone
    assert {tuple(F(x, w[0]) for x in w[1:]) for w, _ in verts} == _brute_vertices(rows, d)
    for w, mask in verts:  # the masks are the tight rows
        assert mask == sum(1 << i for i, r in enumerate(rows) if checker_module._dot(r, w) == 0)
    if cone == []:  # the simplex S itself: (d + 1)^(d + 1) / (d + 1)!
        assert checker_module._volume(verts, clock) == F((d + 1) ** (d + 1), math.factorial(d + 1))


# -- regressions ------------------------------------------------------------------------

@pytest.mark.parametrize("activation", [[], {}, ["relu"], {"relu": 1}])
def test_regression_checker_activation_list_was_a_typeerror(tmp_path, capsys, activation):
    # an activation that is a list or an object was looked up in a dict: "unhashable type"
    cert = relu_1d()
    cert["network"]["layers"][0]["activation"] = activation
    with pytest.raises(CertificateError, match=r"network\.layers\[0\]\.activation: unknown activation "
                                               r"(a list|an object)$"):
        check_certificate(cert)
    path = tmp_path / "act.json"
    path.write_text(json.dumps(cert))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown activation" in err and "Traceback" not in err


def _shallow(call):
    """call() with the recursion limit only 60 frames above the current depth."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)
    try:
        return call()
    finally:
        sys.setrecursionlimit(limit)


def test_regression_checker_volume_recursed_once_per_dimension(tmp_path, capsys, monkeypatch):
    # the pulling triangulation recursed once per dimension: an identity network on
    # Q^1000 died with RecursionError; the depth must not grow with the dimension
    d = 60
    nets = {"identity": [layer([[1] * d], [0], "identity")],
            "relu": [layer([[1] + [0] * (d - 1)], [0]), layer([[1]], [0], "identity")]}
    for name, layers in nets.items():
        net, cert = tmp_path / f"{name}.json", tmp_path / f"{name}.cert.json"
        net.write_text(json.dumps({"input_dim": d, "layers": layers}))
        assert main(["regions", str(net), "--no-tropical", "--quiet", "--certificate", str(cert)]) == 0
        start = time.monotonic()
        report = _shallow(lambda: check_file(str(cert)))
        assert report.verdict == "verified", report.checks
        assert f"cover Q^{d}" in detail(json.loads(cert.read_text()), "coverage")
        assert time.monotonic() - start < 10
    capsys.readouterr()


def test_regression_checker_volume_of_a_simplex_is_one_determinant(monkeypatch):
    # a polytope with dimension + 1 vertices is a simplex: no triangulation is built
    clock = checker_module._Clock(None, None)
    monkeypatch.setattr(checker_module, "_pulling", lambda *a: pytest.fail("triangulated a simplex"))
    for d in (1, 3, 200):  # S in Q^(d+1): volume (d + 1)^(d + 1) / (d + 1)!
        volume = _shallow(lambda: checker_module._volume(checker_module._simplex(d), clock))
        assert volume == Fraction((d + 1) ** (d + 1), math.factorial(d + 1))
