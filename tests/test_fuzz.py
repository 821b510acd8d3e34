"""Fuzzing the command line: malformed networks, domain and slice files, certificates, models
and option strings.

Hypothesis mutates valid inputs at random and runs the real command line in this
process.  Whatever it makes, the command must end with exit status 0 or 2 (1 only
for a failed check) and, on 2, one line on stderr; any exception escaping
``tropexact.cli.main`` (a traceback for a user) fails the test.  When a mutated
network is accepted (exit 0), its answer is checked against the independent LP
enumeration of tests/reference_regions.py: never exit 0 with a wrong count.

A modest number of examples runs in ``make test``; ``make test-all`` runs the
``slow`` copies with many more.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference_regions import reference_adjacency, reference_linear_regions, reference_regions
from test_tamper import true_certificate
from tropexact import cli
from tropexact.networks.files import loads_exact
from tropexact.networks.domain import Domain
from tropexact.networks.io import network_from_dict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREE = os.path.join(ROOT, "data", "networks", "three_inputs.json")

VALID = {"format": "tropexact-network", "version": 1, "input_dim": 2, "layers": [
    {"weight": [[1, -1], [2, 1], [0, 1]], "bias": [0, "1/2", -1], "activation": "relu"},
    {"weight": [[1, 1, -2]], "bias": [0], "activation": "identity"}]}

#: JSON values a mutation may put anywhere (as text, so NaN and huge literals are possible)
ODD = ["null", "true", "false", '"abc"', '""', '"1/0"', '"nan"', '"inf"', "NaN", "Infinity",
       "-Infinity", "1e400", '"1e400"', "[]", "{}", "-1", "0", "2.5", '"-3/4"', "[[1]]",
       '"leaky_relu"', '"identity"', '"relu"', "1" * 40, '"' + "7" * 5000 + '"', "0.1"]


def _paths(obj, prefix=()):
    """Every path into a JSON document (dict keys and list indices)."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


_MARK = "__odd_value_%d__"


@st.composite
def mutated(draw, valid):
    """The valid document *valid* with 1 to 3 random mutations, as JSON text."""
    doc = copy.deepcopy(valid)
    odd = {}
    for n in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        op = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        last = path[-1]
        if op == "replace":
            parent[last] = _MARK % n
            odd[_MARK % n] = draw(st.sampled_from(ODD))
        elif op == "delete":
            del parent[last]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "threshold", "negative_slope", "pieces"]))] = \
                draw(st.sampled_from([0, "1/2", -1, "x"]))
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    text = json.dumps(doc)
    for mark, value in odd.items():
        text = text.replace(json.dumps(mark), value)
    return text


def mutated_networks():
    return mutated(VALID)


def _run(capsys, argv):
    code = cli.main(argv)  # an exception here is a crash a user would see: the test fails
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    if code == 2:
        assert "Traceback" not in err and err.count("\n") == 1, err
    return code, out, err


def _check_networks(tmp_path, capsys, text):
    path = tmp_path / "net.json"
    path.write_text(text)
    code, out, err = _run(capsys, ["regions", str(path), "--json", "--quiet", "--time-limit", "20"])
    if code == 0:  # accepted: the counts must be right (independent LP enumeration)
        net = network_from_dict(loads_exact(text))
        ref = reference_regions(net)
        got = json.loads(out)
        assert got["activation_regions"] == len(ref)
        adj = reference_adjacency(ref, net.input_dim)
        assert got["linear_regions"] == reference_linear_regions(ref, adj)
        assert got["verified"] is True


FUZZ = settings(deadline=None, database=None, max_examples=40,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
FUZZ_SLOW = settings(FUZZ, max_examples=400)


@FUZZ
@given(mutated_networks())
def test_fuzz_networks(tmp_path, capsys, text):
    _check_networks(tmp_path, capsys, text)


@pytest.mark.slow
@FUZZ_SLOW
@given(mutated_networks())
def test_fuzz_networks_many(tmp_path, capsys, text):
    _check_networks(tmp_path, capsys, text)


# -- domain and slice files -------------------------------------------------------------------

C2 = os.path.join(ROOT, "data", "networks", "zhang2018_example_c2.json")
#: the triangle x >= -1, y >= -1, x + y <= 1 (b + <a, x> >= 0 per row [b, a1, a2])
TRIANGLE = {"inequalities": [[1, 1, 0], [1, 0, 1], [1, -1, -1]]}
#: a plane through the three-input network: point, two directions
PLANE = {"point": [0, "1/2", 0], "u": [1, 0, 0], "v": [0, 1, -1]}


def _check_domain_file(tmp_path, capsys, text):
    path = tmp_path / "dom.json"
    path.write_text(text)
    code, out, err = _run(capsys, ["regions", C2, "--domain", f"polytope:{path}", "--json",
                                   "--quiet", "--no-tropical", "--time-limit", "20"])
    if code == 0:  # accepted: the count must be the LP enumeration's on that polytope
        doc = loads_exact(text)
        D = Domain.polytope([(row[0], row[1:]) for row in doc["inequalities"]])
        net = network_from_dict(loads_exact(open(C2).read()))
        assert json.loads(out)["activation_regions"] == len(reference_regions(net, D.inequalities))


def _check_slice_file(tmp_path, capsys, text):
    path = tmp_path / "plane.json"
    path.write_text(text)
    code, out, err = _run(capsys, ["regions", THREE, "--slice", str(path), "--json", "--quiet",
                                   "--no-tropical", "--time-limit", "20"])
    assert code in (0, 2), err
    if code == 0:  # accepted: a plane of the right shape, with independent directions
        doc = loads_exact(text)
        assert set(doc) == {"point", "u", "v"}
        assert all(len(doc[k]) == 3 for k in doc)
        assert json.loads(out)["activation_regions"] >= 1


@FUZZ
@given(mutated(TRIANGLE))
def test_fuzz_domain_files(tmp_path, capsys, text):
    _check_domain_file(tmp_path, capsys, text)


@FUZZ
@given(mutated(PLANE))
def test_fuzz_slice_files(tmp_path, capsys, text):
    _check_slice_file(tmp_path, capsys, text)


@pytest.mark.slow
@FUZZ_SLOW
@given(mutated(TRIANGLE), mutated(PLANE))
def test_fuzz_domain_and_slice_files_many(tmp_path, capsys, domain, plane):
    _check_domain_file(tmp_path, capsys, domain)
    _check_slice_file(tmp_path, capsys, plane)


# -- certificates through the command line ------------------------------------------------------

def _certificate(domain):
    """The engine's certificate of Example C.2 on *domain* (None: all of Q^2), computed once."""
    if domain not in _CERTS:
        out = os.path.join(_TMP, f"{len(_CERTS)}.cert.json")
        argv = ["regions", C2, "--certificate", out, "--quiet", "--no-tropical", "--force"]
        assert cli.main(argv + (["--domain", domain] if domain else [])) == 0
        _CERTS[domain] = json.loads(open(out).read())
    return _CERTS[domain]


_CERTS: dict = {}
_TMP = tempfile.mkdtemp(prefix="tropexact-fuzz-")


@st.composite
def mutated_certificates(draw):
    cert = _certificate(draw(st.sampled_from([None, "box:-2,3"])))
    return draw(mutated(cert))


def _check_certificate_file(tmp_path, capsys, text):
    path = tmp_path / "c.cert.json"
    path.write_text(text)
    code, out, err = _run(capsys, ["check", str(path), "--quiet", "--time-limit", "20"])
    if code == 0:  # verified: the engine, as an oracle, agrees that it states the truth
        assert "certificate verified" in out
        assert true_certificate(loads_exact(text)), text
    elif code == 1:  # rejected or not verified, and said so
        assert "CERTIFICATE REJECTED" in out or "CERTIFICATE NOT VERIFIED" in out, out


@FUZZ
@given(mutated_certificates())
def test_fuzz_certificate_files(tmp_path, capsys, text):
    _check_certificate_file(tmp_path, capsys, text)


@pytest.mark.slow
@FUZZ_SLOW
@given(mutated_certificates())
def test_fuzz_certificate_files_many(tmp_path, capsys, text):
    _check_certificate_file(tmp_path, capsys, text)


# -- option strings ---------------------------------------------------------------------------

TOKENS = ["0", "e1", "e2", "e3", "e0", "e9", "1:2:3", "1/2:0:-1", "random:1", "random:x", "@",
          "@missing.json", "box", "box:", "box:0,1", "box:1,0", "box:-1,1,-1,1", "polytope:",
          "polytope:missing.json", "all", "1e400", "nan", "-", ",", "::", "1/0", "", " ",
          "0.5", "-3..3", "3..-3", "a..b", "1,2,1", "1,x", "0,0,0", "2,2,2,2,2,2,1"]
option_text = st.lists(st.sampled_from(TOKENS), min_size=0, max_size=4).map(",".join)


@st.composite
def option_argv(draw):
    option, command = draw(st.sampled_from([
        ("--domain", "regions"), ("--slice", "regions"), ("--slice", "tropicalize"),
        ("--window", "plot"), ("--level", "plot"), ("--arch", "bounds"), ("--weights", "search"),
        ("--max-regions", "regions"), ("--max-terms", "tropicalize"),
        ("--time-limit", "regions")]))
    value = draw(option_text)
    if command == "bounds":
        return ["bounds", option, value, "--json"]
    if command == "search":
        return ["search", "--arch", "1,1,1", option, value, "--budget", "2", "--workers", "1",
                "--json", "--quiet"]
    if command == "plot":
        return ["plot", os.path.join(ROOT, "data", "networks", "caveat_1d.json"), "-o",
                "fig.png", option, value, "--json", "--quiet"]
    return [command, THREE, option, value, "--json", "--quiet"]


def _check_options(tmp_path, capsys, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    try:
        _run(capsys, argv)
    except SystemExit as e:  # argparse: a usage error, one line, exit 2
        assert e.code == 2
        assert "Traceback" not in capsys.readouterr().err


@FUZZ
@given(option_argv())
def test_fuzz_option_strings(tmp_path, capsys, monkeypatch, argv):
    _check_options(tmp_path, capsys, monkeypatch, argv)


@pytest.mark.slow
@FUZZ_SLOW
@given(option_argv())
def test_fuzz_option_strings_many(tmp_path, capsys, monkeypatch, argv):
    _check_options(tmp_path, capsys, monkeypatch, argv)


# -- model files ------------------------------------------------------------------------------

@FUZZ
@given(st.sampled_from([".pt", ".onnx", ".npz", ".pth", ""]),
       st.one_of(st.binary(max_size=200), st.sampled_from([b"PK\x03\x04" + bytes(40),
                                                          b"\x80\x02" + bytes(20)])))
def test_fuzz_model_files(tmp_path, capsys, monkeypatch, ext, data):
    monkeypatch.chdir(tmp_path)
    model = tmp_path / f"model{ext}"
    model.write_bytes(data)
    code, _, _ = _run(capsys, ["convert", str(model), "-o", "net.json", "--json"])
    assert code == 2 and not (tmp_path / "net.json").exists()


def test_regression_oracle_refused_a_decimal_literal_the_checker_reads_exactly(tmp_path, capsys):
    # found by the fuzz layer: a point written as a JSON decimal literal (1e400 there) is an
    # exact number (docs/design.md section 5: decimal literals are read from their text);
    # the checker verified such a certificate, the tests' oracle called it false
    cert = copy.deepcopy(_certificate(None))
    k = next(i for i, r in enumerate(cert["regions"])
             if all("/" not in str(v) for v in r["point"]))
    marks = [f"@{j}@" for j in range(len(cert["regions"][k]["point"]))]
    values = cert["regions"][k]["point"]
    cert["regions"][k]["point"] = marks
    text = json.dumps(cert)
    for m, v in zip(marks, values):
        text = text.replace(json.dumps(m), f"{int(v)}.0e0")
    assert "e0" in text
    path = tmp_path / "lit.cert.json"
    path.write_text(text)
    code, out, err = _run(capsys, ["check", str(path), "--quiet"])
    assert code == 0, out + err
    _check_certificate_file(tmp_path, capsys, text)
