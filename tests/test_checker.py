"""The independent certificate checker on hand-built certificates.

Every certificate below is written out by hand with its derivation in comments
(no tropexact code produces them), then tampered with: each tampering must make
the named check fail.  Box inequalities are numbered 2i: x_i >= lower_i and
2i+1: x_i <= upper_i (docs/certificates.md).
"""

from __future__ import annotations

import copy
import json

import pytest

from tropexact.verify.checker import CHECK_NAMES, CertificateError, Check, Report, check_certificate, check_file


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


def failed(cert):
    """Names of the failed checks (and sanity of the report's shape)."""
    report = check_certificate(cert)
    assert isinstance(report, Report) and tuple(c.name for c in report.checks) == CHECK_NAMES
    # the report passes when no check failed; a check not run is not a pass
    assert report.passed == (not any(c.failed for c in report.checks))
    return {c.name for c in report.checks if not c.passed}


def detail(cert, name):
    return next(c.detail for c in check_certificate(cert).checks if c.name == name)


# -- the examples ---------------------------------------------------------------------

def relu_1d():
    # ν(x) = relu(x) on [-1, 1].  Neuron z = x.
    # x < 0: '-', ν = 0; closure {-x >= 0, x >= -1 (domain 0)}.
    # x > 0: '+', ν = x; closure {x >= 0, x <= 1 (domain 1)}.  Lengths 1 + 1 = 2.
    return certificate(
        1, [layer([[1]], [0]), layer([[1]], [0], "identity")], box(-1, 1, 1), [[0, 0]],
        [region("-", ["-1/2"], [[0]], [0], [0], [0]),
         region("+", ["0.5"], [[1]], ["0"], [0], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def quadrants_2d():
    # ν(x, y) = relu(x) + relu(y) on [-1, 1]^2: the four open quadrants.
    # Maps: ++ -> x + y, +- -> x, -+ -> y, -- -> 0 (four distinct maps).
    # Quadrant ++ is bounded by x >= 0, y >= 0 (neurons 0, 1) and x <= 1, y <= 1
    # (domain 1, 3); the others likewise.  Areas 1 each, total 4 = 2 * 2.
    # Adjacent (sharing a segment): ++/+- (y = 0), ++/-+ (x = 0), +-/-- , -+/--.
    # ++/-- and +-/-+ only touch at the origin.
    return certificate(
        2, [layer([[1, 0], [0, 1]], [0, 0]), layer([[1, 1]], [0], "identity")], box(-1, 1, 2),
        [[0, 0], [0, 1]],
        [region("++", ["1/2", "1/2"], [[1, 1]], [0], [0, 1], [1, 3]),
         region("+-", ["1/2", "-1/2"], [[1, 0]], [0], [0, 1], [1, 2]),
         region("-+", ["-1/2", "1/2"], [[0, 1]], [0], [0, 1], [0, 3]),
         region("--", ["-1/2", "-1/2"], [[0, 0]], [0], [0, 1], [0, 2])],
        [[0, 1], [0, 2], [1, 3], [2, 3]], [[0], [1], [2], [3]], (4, 4, 4))


def hat_1d():
    # ν = relu(x + 1/2) - 2 relu(x) + relu(x - 1/2) on [-1, 1] (a hat).
    # (-1, -1/2) '---': 0;  (-1/2, 0) '+--': x + 1/2;  (0, 1/2) '++-': 1/2 - x;
    # (1/2, 1) '+++': (x + 1/2) - 2x + (x - 1/2) = 0.
    # 4 activation regions, 4 linear regions (the two zero pieces are not
    # adjacent), 3 distinct affine maps.
    return certificate(
        1, [layer([[1], [1], [1]], ["1/2", 0, "-1/2"]), layer([[1, -2, 1]], [0], "identity")],
        box(-1, 1, 1), [[0, 0], [0, 1], [0, 2]],
        [region("---", ["-3/4"], [[0]], [0], [0], [0]),
         region("+--", ["-1/4"], [[1]], ["1/2"], [0, 1]),
         region("++-", ["1/4"], [[-1]], ["1/2"], [1, 2]),
         region("+++", ["3/4"], [[0]], [0], [2], [1])],
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


def leaky_1d():
    # h = leaky_relu(x, 1/4), then ν = relu(h - 1/2), on [-1, 1].
    # x < 0: h = x/4, z = x/4 - 1/2 < 0: '--', ν = 0.
    # 0 < x < 1/2: h = x, z = x - 1/2 < 0: '+-', ν = 0.
    # 1/2 < x: '++', ν = x - 1/2.
    # Regions 0 and 1 are adjacent (at x = 0) with the same map: 2 linear regions.
    return certificate(
        1, [layer([[1]], [0], "leaky_relu", negative_slope="1/4"), layer([[1]], ["-1/2"])],
        box(-1, 1, 1), [[0, 0], [1, 0]],
        [region("--", ["-1/2"], [[0]], [0], [0], [0]),
         region("+-", ["1/4"], [[0]], [0], [0, 1]),
         region("++", ["3/4"], [[1]], ["-1/2"], [1], [1])],
        [[0, 1], [1, 2]], [[0, 1], [2]], (3, 2, 2))


def triangle_2d():
    # ν = relu(x - y) on the triangle x >= 0, y >= 0, x + y <= 1 (area 1/2).
    # x < y: '-', ν = 0, triangle (0,0), (0,1), (1/2,1/2): facets y - x >= 0,
    #        domain 0 (x >= 0) and 2; area 1/4.
    # x > y: '+', ν = x - y, triangle (0,0), (1,0), (1/2,1/2); area 1/4.
    # They share the segment (0,0)-(1/2,1/2).
    return certificate(
        2, [layer([[1, -1]], [0])],
        {"type": "polytope", "inequalities": [[0, 1, 0], [0, 0, 1], [1, -1, -1]]}, [[0, 0]],
        [region("-", ["1/4", "1/2"], [[0, 0]], [0], [0], [0, 2]),
         region("+", ["1/2", "1/4"], [[1, -1]], [0], [0], [1, 2])],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def cut_cube_3d():
    # ν = relu(x + y + z) on [-1, 1]^3; the plane x + y + z = 0 halves the cube
    # (central symmetry), volumes 4 + 4 = 8.  Every cube face meets both halves
    # in a 2-dimensional set, so both regions name all six.
    return certificate(
        3, [layer([[1, 1, 1]], [0])], box(-1, 1, 3), [[0, 0]],
        [region("-", ["-1/2", 0, 0], [[0, 0, 0]], [0], [0], range(6)),
         region("+", ["1/2", 0, 0], [[1, 1, 1]], [0], [0], range(6))],
        [[0, 1]], [[0], [1]], (2, 2, 2))


def two_cuts_4d():
    # ν = relu(x1 - x2) + relu(x3 + x4) on [-1, 1]^4 (volume 16).  Swapping x1, x2
    # and negating x3, x4 permute the four sign patterns, so each has volume 4.
    # Pairs differing in one sign share a 3-face; ++/-- and +-/-+ meet in 2-d.
    maps = {"++": [[1, -1, 1, 1]], "+-": [[1, -1, 0, 0]], "-+": [[0, 0, 1, 1]], "--": [[0, 0, 0, 0]]}
    points = {"++": ["1/2", 0, "1/2", 0], "+-": ["1/2", 0, "-1/2", 0],
              "-+": [0, "1/2", "1/2", 0], "--": [0, "1/2", "-1/2", 0]}
    return certificate(
        4, [layer([[1, -1, 0, 0], [0, 0, 1, 1]], [0, 0]), layer([[1, 1]], [0], "identity")],
        box(-1, 1, 4), [[0, 0], [0, 1]],
        [region(s, points[s], maps[s], [0], [0, 1], range(8)) for s in ("++", "+-", "-+", "--")],
        [[0, 1], [0, 2], [1, 3], [2, 3]], [[0], [1], [2], [3]], (4, 4, 4))


def relu_all():
    # relu(x) on the whole line: volume and adjacency cannot be checked.
    cert = relu_1d()
    cert["domain"] = {"type": "all"}
    for r, x in zip(cert["regions"], ("-7", "1e3")):
        r["point"], r["facets"]["domain"] = [x], []
    return cert


EXAMPLES = [relu_1d, quadrants_2d, hat_1d, dead_and_zero_1d, leaky_1d, triangle_2d,
            cut_cube_3d, two_cuts_4d, relu_all]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_valid_certificates_pass(example):
    report = check_certificate(example())
    assert report.passed, [c for c in report.checks if not c.passed]


@pytest.mark.parametrize("example", [relu_all, cut_cube_3d], ids=lambda f: f.__name__)
def test_progress_counts_up_to_its_total(example):
    seen = []
    report = check_certificate(example(), progress=lambda done, total: seen.append((done, total)))
    assert report.passed and seen
    totals = {t for _, t in seen}
    assert len(totals) == 1 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_unbounded_domain_not_checked():
    for cert in (relu_all(), triangle_2d()):
        if cert["domain"]["type"] == "polytope":  # drop x + y <= 1: a cone, unbounded
            cert["domain"]["inequalities"].pop()
            for r in cert["regions"]:
                r["facets"]["domain"] = [i for i in r["facets"]["domain"] if i < 2]
        checks = {c.name: c for c in check_certificate(cert).checks}
        why = "unbounded domain: checked on bounded domains only"
        assert checks["volume"] == Check("volume", "not run", why) and not checks["volume"].passed
        assert checks["adjacency"] == Check("adjacency", "not run", why)
        assert check_certificate(cert).passed and not check_certificate(cert).complete


def test_volume_detail_is_exact():
    assert detail(triangle_2d(), "volume") == "region volumes sum to the domain volume 1/2"
    assert detail(two_cuts_4d(), "volume") == "region volumes sum to the domain volume 16"


def test_threshold_relu():
    # ν = max(x, 1/2) on [-1, 1] (relu with threshold 1/2): '-' gives the constant 1/2.
    cert = certificate(
        1, [layer([[1]], [0], threshold="1/2")], box(-1, 1, 1), [[0, 0]],
        [region("-", [0], [[0]], ["1/2"], [0], [0]), region("+", ["3/4"], [[1]], [0], [0], [1])],
        [[0, 1]], [[0], [1]], (2, 2, 2))
    assert failed(cert) == set()
    cert["regions"][0]["affine_map"]["bias"] = [0]  # the threshold-0 answer
    assert failed(cert) == {"affine_maps"}


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


# -- tampering -----------------------------------------------------------------

def test_point_outside_its_region():
    cert = quadrants_2d()
    cert["regions"][0]["point"] = ["1/2", "-1/2"]  # in quadrant +-, not ++
    assert failed(cert) == {"points_inside", "affine_maps"}
    assert "region 0" in detail(cert, "points_inside")
    cert = quadrants_2d()
    cert["regions"][3]["point"] = ["-2", "-1/2"]  # outside the box
    assert failed(cert) == {"points_inside"}
    assert detail(cert, "points_inside") == "region 3: point not strictly inside domain inequality 0"


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
    assert failed(cert) == {"distinct_signs", "volume"}
    assert detail(cert, "distinct_signs") == "regions 3 and 4 have the same signs '--'"


def test_affine_map_altered():
    cert = quadrants_2d()
    cert["regions"][2]["affine_map"]["weight"] = [[0, "2"]]
    assert failed(cert) == {"affine_maps"}
    assert detail(cert, "affine_maps").startswith("region 2: affine_map differs")


def test_region_removed():
    cert = quadrants_2d()
    del cert["regions"][3]
    cert["adjacency"] = [[0, 1], [0, 2]]
    cert["linear_regions"] = [[0], [1], [2]]
    cert["counts"] = {"activation_regions": 3, "linear_regions": 3, "affine_maps": 3}
    assert failed(cert) == {"volume"}
    assert detail(cert, "volume") == "region volumes sum to 3, domain volume is 4"


def test_missing_facet():
    # Without y >= 0, quadrant ++'s polytope is the half box x >= 0, whose vertex
    # (1, -1) violates the sign of neuron 1.
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["neurons"] = [0]
    assert "volume" in failed(cert)
    assert detail(cert, "volume").startswith("region 0: sign of neuron 1 [0, 1] fails at vertex")
    cert = cut_cube_3d()
    cert["regions"][1]["facets"]["neurons"] = []
    assert "volume" in failed(cert)


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
    for groups in ([[0], [1], [2]], [[0], [1], [2], [3, 3]], [[0, 1, 2, 3], []]):
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
    assert "regions 0 and 1" in detail(cert, "adjacency")


def test_fake_adjacency():
    cert = quadrants_2d()
    cert["adjacency"].insert(0, [0, 3])  # ++ and -- touch only at the origin
    assert failed(cert) == {"adjacency"}
    assert detail(cert, "adjacency") == "adjacency [0, 3]: closures meet in dimension 0, not 1"
    cert = two_cuts_4d()
    cert["adjacency"].append([1, 2])  # +- and -+ meet in a 2-face only
    assert failed(cert) == {"adjacency"}
    cert = hat_1d()
    cert["adjacency"].append([0, 3])  # disjoint segments (and equal maps)
    assert failed(cert) == {"adjacency", "linear_regions"}
    assert "dimension -1" in detail(cert, "adjacency")


def test_structure_failures():
    cert = quadrants_2d()
    cert["neurons"] = [[0, 1], [0, 0]]
    assert failed(cert) == set(CHECK_NAMES)
    cert = quadrants_2d()
    cert["adjacency"].append([1, 0])
    assert "structure" in failed(cert)
    cert = quadrants_2d()
    cert["regions"][0]["facets"]["domain"] = [8]
    assert detail(cert, "structure") == "region 0: no domain inequality 8"
    cert = dead_and_zero_1d()
    cert["regions"][0]["facets"]["neurons"] = [0, 2]  # a '0' neuron is no facet
    assert "structure" in failed(cert)


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
    (("regions", 1, "point"), ["1", "2"], r"regions\[1\]\.point: expected 1 entries, got 2"),
    (("regions", 0, "signs"), "+-", r"regions\[0\]\.signs"),
    (("regions", 0, "signs"), "x", r"regions\[0\]\.signs"),
    (("network", "layers", 0, "weight", 0, 0), 1.0, r"network\.layers\[0\]\.weight\[0\]\[0\]"),
    (("network", "layers", 0, "activation"), "tanh", "unknown activation"),
    (("network", "layers", 0, "bias"), [0, 0], r"network\.layers\[0\]\.bias: expected 1"),
    (("domain", "type"), "ball", "unknown domain type"),
    (("domain", "upper", 0), "-1", r"domain: needs lower < upper"),
    (("counts", "affine_maps"), "2", r"counts\.affine_maps: expected an integer"),
    (("adjacency", 0, 0), "0", r"adjacency\[0\]\[0\]"),
    (("version",), 2, "version 1"),
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
