"""Reading networks: exact numbers (docs/design.md §5) and one clear error per bad input.

Every bad input gives exit status 2 from the CLI and a one-line message on stderr
that names the file and the place inside it; never a traceback, never an answer.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tropexact.cli.main import main
from tropexact.errors import InputError
from tropexact.networks.files import append_atomic, loads_exact
from tropexact.networks.io import dump_network, load_network, network_from_dict
from tropexact.exact.numbers import Q, limit_denominator, parse_number, to_rational

ROOT = Path(__file__).resolve().parents[1]
C2 = ROOT / "data" / "networks" / "zhang2018_example_c2.json"


def _layer(**kw):
    base = {"weight": [[1, 2]], "bias": [0], "activation": "relu"}
    base.update(kw)
    return base


def _doc(*layers, **top):
    d = {"format": "tropexact-network", "version": 1, "input_dim": 2, "layers": list(layers)}
    d.update(top)
    return d


# -- numbers ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("3", Q(3)), ("-3", Q(-3)), ("+4", Q(4)), ("6/4", Q(3, 2)), ("-1/3", Q(-1, 3)),
    ("0.125", Q(1, 8)), ("-0.1", Q(-1, 10)), ("1e-3", Q(1, 1000)), ("2.5E2", Q(250)),
    (".5", Q(1, 2)), ("5.", Q(5)),
])
def test_parse_number_table(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", " 1", "1 ", "abc", "1/0", "nan", "NaN", "inf", "-Infinity",
                                  "1/2/3", "0x10", "1/-2", "--1", "1e", "e5"])
def test_parse_number_rejects(text):
    with pytest.raises(InputError):
        parse_number(text)


@pytest.mark.parametrize("value", [True, False, None, float("nan"), float("inf"), -float("inf"),
                                   Decimal("NaN"), Decimal("Infinity"), [1], {"a": 1}])
def test_to_rational_rejects(value):
    with pytest.raises(InputError):
        to_rational(value, allow_float=True)


def test_floats_refused_unless_asked_then_exact():
    with pytest.raises(InputError, match="binary float"):
        to_rational(0.1)
    # 0.1 is the binary fraction 3602879701896397 / 2^55, exactly
    assert to_rational(0.1, allow_float=True) == Q(3602879701896397, 2 ** 55)
    assert to_rational(0.1, allow_float=True) != Q(1, 10)
    assert to_rational(Fraction(1, 3)) == Q(1, 3)
    assert to_rational(Decimal("0.1")) == Q(1, 10)
    # rounding only when asked, and then to the best approximation
    assert limit_denominator(0.1, 100) == Q(1, 10)


def test_json_decimal_literals_are_read_from_their_text():
    d = loads_exact('{"a": 0.1, "b": 1e-3, "c": -2.50, "d": 7}')
    assert d == {"a": Q(1, 10), "b": Q(1, 1000), "c": Q(-5, 2), "d": 7}


def test_example_c2_round_trip(tmp_path):
    net = load_network(C2)
    out = tmp_path / "c2.json"
    dump_network(net, out)
    assert load_network(out) == net


def test_dump_never_overwrites(tmp_path):
    net = load_network(C2)
    out = tmp_path / "mine.json"
    out.write_text("precious")
    with pytest.raises(InputError, match="refusing to overwrite"):
        dump_network(net, out)
    assert out.read_text() == "precious"


def test_exact_numbers_in_network_file(tmp_path):
    p = tmp_path / "n.json"
    p.write_text('{"input_dim": 1, "layers": [{"weight": [[0.1], ["2/3"]], "bias": ["1e-2", -1],'
                 ' "activation": "leaky_relu", "negative_slope": "0.25"}]}')
    net = load_network(p)
    assert net.layers[0].weight == ((Q(1, 10),), (Q(2, 3),))
    assert net.layers[0].bias == (Q(1, 100), Q(-1))
    assert net.layers[0].negative_slope == Q(1, 4)


# -- bad input: library errors name the place --------------------------------

BAD_DOCS = [
    # (name, document, expected fragment of the message)
    ("non-numeric weight", _doc(_layer(weight=[[1, "abc"]])), "layers[0].weight[0][1]: expected a number, got 'abc'"),
    ("boolean weight", _doc(_layer(weight=[[True, 1]])), "layers[0].weight[0][0]"),
    ("null bias", _doc(_layer(bias=[None])), "layers[0].bias[0]"),
    ("empty-string weight", _doc(_layer(weight=[[1, ""]])), "layers[0].weight[0][1]: expected a number, got an empty string"),
    ("nan string", _doc(_layer(weight=[["nan", 1]])), "layers[0].weight[0][0]"),
    ("inf string", _doc(_layer(bias=["inf"])), "layers[0].bias[0]"),
    ("row too short", _doc(_layer(weight=[[1]])), "layers[0].weight[0]: row has 1 entries, expected 2"),
    ("bias length", _doc(_layer(bias=[0, 1])), "layers[0].bias: has 2 entries, expected 1"),
    ("second layer shape", _doc(_layer(weight=[[1, 2], [3, 4]], bias=[0, 0]),
                                _layer(weight=[[1, 2, 3]])), "layers[1].weight[0]: row has 3 entries, expected 2"),
    ("weight not a list", _doc(_layer(weight=5)), "layers[0].weight"),
    ("row not a list", _doc(_layer(weight=[5])), "layers[0].weight[0]"),
    ("empty weight", _doc(_layer(weight=[], bias=[])), "layers[0].weight"),
    ("unknown activation", _doc(_layer(activation="relu6")), "layers[0].activation: unknown activation 'relu6'"),
    ("misspelt activation", _doc(_layer(activation="leaky_rleu")), "did you mean 'leaky_relu'"),
    ("missing activation", _doc({"weight": [[1, 2]], "bias": [0]}), "layers[0]: missing 'activation'"),
    ("unknown layer key", _doc(_layer(dropout=0.5)), "layers[0]: unknown key 'dropout'"),
    ("unknown layer type key", _doc(_layer(type="conv2d")), "layers[0]: unknown key 'type'"),
    ("leaky without slope", _doc(_layer(activation="leaky_relu")), "negative_slope"),
    ("leaky slope too big", _doc(_layer(activation="leaky_relu", negative_slope=1)), "layers[0].negative_slope: must satisfy 0 < a < 1"),
    ("threshold on identity", _doc(_layer(activation="identity", threshold=1)), "'threshold' is only allowed with relu"),
    ("bad threshold", _doc(_layer(threshold="x")), "layers[0].threshold"),
    ("missing layers", {"input_dim": 2}, "missing 'layers'"),
    ("missing input_dim", {"layers": [_layer()]}, "missing 'input_dim'"),
    ("input_dim zero", _doc(_layer(), input_dim=0), "input_dim: must be a positive integer"),
    ("input_dim bool", _doc(_layer(), input_dim=True), "input_dim"),
    ("input_dim string", _doc(_layer(), input_dim="2"), "input_dim"),
    ("no layers", _doc(), "layers: expected a non-empty list"),
    ("layer not object", _doc([1, 2]), "layers[0]: expected an object"),
    ("unknown top key", _doc(_layer(), widths=[2, 1]), "unknown top-level key 'widths'"),
    ("wrong format", _doc(_layer(), format="onnx"), "format: expected 'tropexact-network'"),
    ("wrong version", _doc(_layer(), version=2), "version: unsupported version 2"),
    ("top level list", [1, 2], "expected a JSON object at the top level"),
]


@pytest.mark.parametrize("name, doc, fragment", BAD_DOCS, ids=[b[0] for b in BAD_DOCS])
def test_bad_documents_name_the_place(name, doc, fragment):
    with pytest.raises(InputError) as info:
        network_from_dict(loads_exact(json.dumps(doc)))
    assert fragment in str(info.value)


# -- bad input through the CLI: exit 2, one line on stderr, nothing on stdout -----

RAW_FILES = [
    ("malformed json", '{"input_dim": 2, "layers": [', "malformed JSON"),
    ("NaN literal", '{"input_dim": 1, "layers": [{"weight": [[NaN]], "bias": [0], "activation": "relu"}]}', "NaN is not allowed"),
    ("Infinity literal", '{"input_dim": 1, "layers": [{"weight": [[1]], "bias": [-Infinity], "activation": "relu"}]}', "-Infinity is not allowed"),
    ("empty file", "", "malformed JSON"),
]


def _run_cli(args, capsys):
    code = main(args)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.mark.parametrize("name, text, fragment", RAW_FILES, ids=[r[0] for r in RAW_FILES])
def test_cli_bad_files(tmp_path, capsys, name, text, fragment):
    p = tmp_path / "bad.json"
    p.write_text(text)
    code, out, err = _run_cli(["tropicalize", str(p), "--json"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(p) in err and fragment in err


@pytest.mark.parametrize("name, doc, fragment", BAD_DOCS, ids=[b[0] for b in BAD_DOCS])
def test_cli_bad_documents(tmp_path, capsys, name, doc, fragment):
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc))
    before = p.read_bytes()
    code, out, err = _run_cli(["tropicalize", str(p)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{p}: " in err and fragment in err
    assert p.read_bytes() == before  # the user's file is untouched


def test_cli_missing_file_and_directory(tmp_path, capsys):
    code, out, err = _run_cli(["tropicalize", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "no such file" in err and "nope.json" in err
    code, out, err = _run_cli(["tropicalize", str(tmp_path)], capsys)
    assert code == 2 and "is a directory" in err


def test_cli_not_utf8(tmp_path, capsys):
    p = tmp_path / "bin.json"
    p.write_bytes(b"\xff\xfe\x00garbage")
    code, out, err = _run_cli(["tropicalize", str(p)], capsys)
    assert code == 2 and "not UTF-8" in err


def test_cli_usage_errors_suggest(capsys):
    with pytest.raises(SystemExit) as info:
        main(["tropicalise", "x.json"])
    assert info.value.code == 2
    assert "did you mean 'tropicalize'" in capsys.readouterr().err


# -- the CLI on good input -----------------------------------------------------

def test_cli_tropicalize_json_contract(capsys):
    code, out, err = _run_cli(["tropicalize", str(C2), "--json"], capsys)
    assert code == 0
    obj = json.loads(out)  # exactly one JSON object
    o = obj["outputs"][0]
    # Paper, Appendix C.2 (hand-check: H = F1 F2^2 F3 expands to 2*3*2 = 12 terms,
    # G = F4 F5^3 to 2*4 = 8, F = H ⊕ G to 12 + 8 - 1 shared exponent = 19)
    assert (o["H"]["terms"], o["G"]["terms"], o["F"]["terms"]) == (12, 8, 19)
    assert (o["H"]["upper_vertices"], o["G"]["upper_vertices"], o["F"]["upper_vertices"]) == (7, 4, 8)
    assert obj["terms_before_pruning"] == 19 + 8
    # numbers are exact strings and the polynomial has one row per upper vertex
    assert all(isinstance(v, str) for row in o["F"]["polynomial"] for v in row)
    assert len(o["F"]["polynomial"]) == 8 and len(o["F"]["polynomial"][0]) == 3


def test_console_script_demo_output():
    exe = Path(sys.executable).with_name("tropexact")
    r = subprocess.run([str(exe), "tropicalize", str(C2)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = {l.split()[0]: l.split()[1:] for l in r.stdout.splitlines() if l.strip()[:2] in ("H ", "G ", "F ")}
    assert lines["H"] == ["12", "7"] and lines["G"] == ["8", "4"] and lines["F"] == ["19", "8"]


def test_cli_max_terms_budget(capsys):
    # Example C.2's output F has 8 upper vertices (paper), so a budget of 5 must trip
    code, out, err = _run_cli(["tropicalize", str(C2), "--max-terms", "5"], capsys)
    assert code == 2 and out == "" and "max_terms=5" in err and err.count("\n") == 1
    code, out, err = _run_cli(["tropicalize", str(C2), "--max-terms", "8", "--json"], capsys)
    assert code == 0 and json.loads(out)["outputs"][0]["F"]["upper_vertices"] == 8
    code, out, err = _run_cli(["tropicalize", str(C2), "--max-terms", "0"], capsys)
    assert code == 2 and "--max-terms" in err


# -- append_atomic: the append path of sweep logs (results.jsonl) ------------------------------

def test_append_atomic_appends_and_creates(tmp_path):
    log = tmp_path / "results.jsonl"
    append_atomic(log, "a\n")
    append_atomic(log, "b\nc\n")
    assert log.read_text() == "a\nb\nc\n"


def test_append_atomic_refuses_what_is_not_a_regular_file(tmp_path):
    with pytest.raises(InputError, match="cannot write"):
        append_atomic(tmp_path, "x\n")  # a directory
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="cannot write"):
        append_atomic(fifo, "x\n")  # no reader: refused at once, no hang


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"),
                                     KeyboardInterrupt()])
def test_append_atomic_is_all_or_nothing(tmp_path, monkeypatch, failure):
    # the disk fills (or the user interrupts) after part of the text was written:
    # the log is cut back to its old content, never left with a partial record
    log = tmp_path / "results.jsonl"
    log.write_text('{"i": 0}\n')
    real_write = os.write
    calls = []

    def write_then_fail(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:5]))
        raise failure

    monkeypatch.setattr(os, "write", write_then_fail)
    kind = InputError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(kind):
        append_atomic(log, '{"i": 1}\n{"i": 2}\n')
    monkeypatch.undo()
    assert calls[0] == 18 and log.read_text() == '{"i": 0}\n'
