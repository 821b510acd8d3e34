"""The regions / verify / check commands and certificates end to end.

Counts for Example C.2 are the paper's (Zhang–Naitzat–Lim 2018, Appendix
C.2); everything else is checked against the independent checker or against
the library's own exact results, never against numbers typed in here.
"""

from __future__ import annotations

import copy
import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_regions import small_nets  # noqa: E402

from tropexact.verify.certificates import certificate  # noqa: E402
from tropexact.verify.checker import check_certificate  # noqa: E402
from tropexact.cli.main import main  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.regions import activation_regions  # noqa: E402

C2 = "data/networks/zhang2018_example_c2.json"


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_regions_json_contract(capsys):
    rc, out, _ = run(capsys, "regions", C2, "--json")
    assert rc == 0
    obj = json.loads(out)
    assert {"input_dim", "activation_regions", "linear_regions", "affine_maps", "tropical",
            "verified"} <= set(obj)
    assert (obj["input_dim"], obj["activation_regions"], obj["linear_regions"]) == (2, 23, 15)
    # H/G/F of C.2 reduce to 7/4/8 upper vertices (paper); the cells of F and G are those.
    assert obj["tropical"][0]["F_cells"] == 8 and obj["tropical"][0]["G_cells"] == 4
    assert obj["verified"] is True


def test_regions_no_tropical(capsys):
    rc, out, _ = run(capsys, "regions", C2, "--json", "--no-tropical")
    obj = json.loads(out)
    assert rc == 0 and obj["tropical"] is None and obj["verified"] is False


def test_regions_human_output(capsys):
    rc, out, _ = run(capsys, "regions", C2)
    assert rc == 0 and "activation regions" in out and "verified" in out


def test_certificate_round_trip_and_tamper(tmp_path, capsys):
    cert = tmp_path / "c2.cert.json"
    rc, _, _ = run(capsys, "regions", C2, "--domain", "box:-3,3", "--certificate", str(cert),
                   "--json")
    assert rc == 0
    rc, out, _ = run(capsys, "check", str(cert), "--json")
    assert rc == 0 and json.loads(out)["passed"] is True
    obj = json.loads(cert.read_text())
    obj["regions"][0]["point"] = obj["regions"][1]["point"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(obj))
    rc, out, _ = run(capsys, "check", str(bad))
    assert rc == 1 and "REJECTED" in out


def test_check_malformed_exit_2(tmp_path, capsys):
    p = tmp_path / "m.json"
    p.write_text("{not json")
    rc, _, err = run(capsys, "check", str(p))
    assert rc == 2 and "JSON" in err
    rc, _, err = run(capsys, "check", str(tmp_path / "missing.json"))
    assert rc == 2 and "missing.json" in err


def test_certificate_never_overwrites(tmp_path, capsys):
    cert = tmp_path / "c.json"
    cert.write_text("precious")
    rc, _, err = run(capsys, "regions", C2, "--no-tropical", "--certificate", str(cert))
    assert rc == 2 and "exists" in err and cert.read_text() == "precious"
    rc, _, _ = run(capsys, "regions", C2, "--no-tropical", "--certificate", str(cert), "--force")
    assert rc == 0 and json.loads(cert.read_text())["format"] == "tropexact-certificate"
    net = tmp_path / "net.json"
    net.write_text(open(C2).read())
    before = net.read_text()
    rc, _, err = run(capsys, "regions", str(net), "--certificate", str(net), "--force")
    assert rc == 2 and "input file" in err and net.read_text() == before


def test_max_regions_exit_2(capsys):
    rc, _, err = run(capsys, "regions", C2, "--max-regions", "5")
    assert rc == 2 and "more than 5 activation regions" in err
    rc, _, err = run(capsys, "regions", C2, "--max-regions", "0")
    assert rc == 2 and "--max-regions" in err


@pytest.mark.parametrize("spec,msg", [("box:1", "2 or 4 numbers"), ("cube:0,1", "unknown domain"),
                                      ("box:2,1", "lower < upper"), ("box:0,nan", "--domain"),
                                      ("polytope:/nonexistent.json", "cannot read")])
def test_bad_domain_exit_2(capsys, spec, msg):
    rc, _, err = run(capsys, "regions", C2, "--domain", spec)
    assert rc == 2 and msg in err


def test_polytope_domain_file(tmp_path, capsys):
    tri = tmp_path / "tri.json"
    tri.write_text(json.dumps({"inequalities": [[0, 1, 0], [0, 0, 1], ["2", -1, -1]]}))
    cert = tmp_path / "t.cert.json"
    rc, out, _ = run(capsys, "regions", C2, "--domain", f"polytope:{tri}", "--json",
                     "--certificate", str(cert))
    assert rc == 0
    rc, _, _ = run(capsys, "check", str(cert))
    assert rc == 0


def test_verify_passes_on_c2(capsys):
    rc, out, _ = run(capsys, "verify", C2, "--json")
    obj = json.loads(out)
    assert rc == 0 and obj["passed"] is True
    names = [c["name"] for c in obj["checks"]]
    for needed in ("correspondence F (output 0)", "correspondence G (output 0)",
                   "correspondence F*G (output 0)", "nu = F - G at region points (output 0)",
                   "linear regions <= activation regions",
                   "linear regions <= cells of F*G (output 0)",
                   "certificate (independent checker)"):
        assert needed in names


def test_verify_exits_1_when_a_check_fails(capsys, monkeypatch):
    import tropexact.verify.certificates as cert_mod

    real = cert_mod.certificate

    def tampered(C):
        c = real(C)
        c["regions"][0]["signs"] = c["regions"][1]["signs"]
        return c

    monkeypatch.setattr(cert_mod, "certificate", tampered)
    rc, out, _ = run(capsys, "verify", C2)
    assert rc == 1 and "FAIL" in out


def test_verify_multi_output(tmp_path, capsys):
    net = {"input_dim": 2, "layers": [
        {"weight": [[1, 0], [0, 1], [1, -1]], "bias": [0, 0, 1], "activation": "relu"},
        {"weight": [[1, -1, 2], [0, 1, 1]], "bias": [0, -1], "activation": "identity"}]}
    p = tmp_path / "two.json"
    p.write_text(json.dumps(net))
    rc, out, _ = run(capsys, "verify", str(p), "--json")
    obj = json.loads(out)
    assert rc == 0 and obj["passed"]
    assert any("(output 1)" in c["name"] for c in obj["checks"])


# -- certificates of random nets pass, and tampering is caught ----------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(), st.integers(1, 3), st.booleans())
def test_random_certificates_pass(net, r, bounded):
    d = net.input_dim
    dom = Domain.box([-r] * d, [r] * d) if bounded else None
    rep = check_certificate(certificate(activation_regions(net, dom)))
    assert rep.passed, [c for c in rep.checks if not c.passed]


def _tamper(cert, how):
    c = copy.deepcopy(cert)
    regs = c["regions"]
    if how == "drop_region":
        regs.pop()
        c["counts"]["activation_regions"] -= 1
        c["linear_regions"] = [[i for i in g if i < len(regs)] for g in c["linear_regions"]]
        c["linear_regions"] = [g for g in c["linear_regions"] if g]
        c["adjacency"] = [e for e in c["adjacency"] if max(e) < len(regs)]
    elif how == "move_point":
        regs[0]["point"] = regs[-1]["point"]
    elif how == "map":
        regs[0]["affine_map"]["bias"][0] = "1/7" if regs[0]["affine_map"]["bias"][0] != "1/7" \
            else "2/7"
    elif how == "signs":
        regs[0]["signs"] = regs[-1]["signs"]
    elif how == "count":
        c["counts"]["linear_regions"] += 1
    return c


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_nets(), st.sampled_from(["drop_region", "move_point", "map", "signs", "count"]))
def test_tampered_certificates_fail(net, how):
    d = net.input_dim
    C = activation_regions(net, Domain.box([-2] * d, [2] * d))
    cert = certificate(C)
    if how != "count" and len(C.regions) < 2:
        return  # nothing to swap with; "count" still applies
    assert not check_certificate(_tamper(cert, how)).passed


def test_progress_bar_on_a_terminal_only(monkeypatch):
    # A net with enough regions for the progress callback (every 64 regions,
    # at most every 0.2 s): 40 generic lines in Q² give 1 + 40 + 780 regions.
    import io
    import time

    from tropexact.networks.model import network
    from tropexact.cli.progress import bar

    class TTY(io.StringIO):
        def isatty(self):
            return True

    rows = [[1, t] for t in range(40)]
    net = network(2, [{"weight": rows, "bias": [t * t for t in range(40)], "activation": "relu"},
                      {"weight": [[1] * 40], "bias": [0], "activation": "identity"}])
    clock = iter(range(10**6))  # a clock that advances 1 s per reading
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    for tty, quiet, shown in ((True, False, True), (True, True, False), (False, False, False)):
        fake = TTY() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", fake)
        with bar("regions", quiet=quiet) as show:
            C = activation_regions(net, progress=show)
        assert len(C.regions) == 1 + 40 + 780
        assert show.done >= 64  # the callback ran, shown or not
        assert ("regions" in fake.getvalue()) == shown
