"""``tropexact synthesize`` and ``verify --map`` end to end (exit statuses, files, JSON)."""

from __future__ import annotations

import json

import pytest

from tropexact.cli.main import main
from tropexact.networks.io import load_network
from tropexact.networks.rational_io import load_map
from tropexact.regions.pieces import tropicalize

from test_hardening import one_line_error, write

C2 = "data/networks/zhang2018_example_c2.json"


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def c2_map(tmp_path, capsys):
    """``tropicalize --json`` of Example C.2, fed back as a map file."""
    rc, out, _ = run(capsys, "tropicalize", C2, "--json")
    assert rc == 0
    return write(tmp_path / "c2map.json", out)


def test_tropicalize_json_output_round_trips(tmp_path, capsys, c2_map):
    net = tmp_path / "net.json"
    rc, out, _ = run(capsys, "synthesize", c2_map, "-o", net, "--json", "--verify")
    assert rc == 0
    obj = json.loads(out)
    assert {"layers", "widths", "depth_bound", "hidden_layers", "method", "monomials",
            "integral", "other", "checks", "passed"} <= set(obj)
    # F has 8 terms, G 4: ⌈log₂ 8⌉ = 3 hidden layers + the output layer; Thm 5.4: 3 + 2
    assert (obj["layers"], obj["depth_bound"], obj["integral"], obj["passed"]) == (4, 5, True, True)
    assert obj["widths"] == list(load_network(net).widths)
    # the written network computes the same function as C.2 itself
    assert tropicalize(load_network(net)).map[0](["1/3", -2]) == load_network(C2)(["1/3", -2])[0]
    rc, out, _ = run(capsys, "verify", C2, "--map", c2_map, "--json")
    assert rc == 0 and json.loads(out)["checks"][-1]["name"] == "round_trip"


def test_text_output_names_depth_bound_and_weights(tmp_path, capsys, c2_map):
    rc, out, _ = run(capsys, "synthesize", c2_map, "-o", tmp_path / "n.json", "--depth", "min")
    assert rc == 0
    assert "Thm 5.4 bound 5" in out and "integers" in out and "other (paper)" in out


def test_map_file_with_several_outputs(tmp_path, capsys):
    doc = {"format": "tropexact-rational", "version": 1, "input_dim": 1,
           "outputs": [{"numerator": [[0, 0], [1, 0]], "denominator": [[0, 0]]},
                       {"numerator": [[0, 0], [1, "1/2"], [2, -1]], "denominator": [[1, 0]]}]}
    src = write(tmp_path / "m.json", doc)
    rc, out, _ = run(capsys, "synthesize", src, "-o", tmp_path / "n.json", "--json",
                     "--verify", "--depth", "min")
    assert rc == 0 and json.loads(out)["outputs"] == 2 and not json.loads(out)["integral"]
    assert len(load_map(src)) == 2


def test_refusals(tmp_path, capsys, c2_map):
    net = tmp_path / "n.json"
    assert run(capsys, "synthesize", c2_map, "-o", net)[0] == 0
    one_line_error(*run(capsys, "synthesize", c2_map, "-o", net)[::2], "exists", "--force")
    assert run(capsys, "synthesize", c2_map, "-o", net, "--force")[0] == 0
    one_line_error(*run(capsys, "synthesize", c2_map, "-o", c2_map, "--force")[::2],
                   "source file itself")
    one_line_error(*run(capsys, "synthesize", tmp_path / "none.json", "-o", net)[::2],
                   "no such file")
    one_line_error(*run(capsys, "synthesize", c2_map, "-o", tmp_path)[::2], "directory")
    one_line_error(*run(capsys, "synthesize", c2_map, "-o", net, "--force",
                        "--input-dim", "3")[::2], "Q^2", "--input-dim")


@pytest.mark.parametrize("doc, needle", [
    ("not json", "malformed JSON"),
    ({"format": "tropexact-rational", "outputs": [{"numerator": [[0, "a"]],
                                                   "denominator": [[0, 0]]}]}, "numerator[0][1]"),
    ({"format": "tropexact-rational", "outputs": [{"numerator": [[0, 0]],
                                                   "denominator": []}]}, "denominator"),
    ({"format": "tropexact-rational", "outputs": [{"numerator": [[0, 1e400]],
                                                   "denominator": [[0, 0]]}]}, "Infinity"),
    ({"outputs": 3}, "format"),
    ([1, 2], "top level"),
])
def test_bad_map_files_exit_2_with_one_line(tmp_path, capsys, doc, needle):
    src = write(tmp_path / "bad.json", doc if isinstance(doc, str) else json.dumps(doc))
    rc, _, err = run(capsys, "synthesize", src, "-o", tmp_path / "n.json")
    one_line_error(rc, err, needle)
    assert not (tmp_path / "n.json").exists()


def test_tampered_network_fails_verify_map(tmp_path, capsys, c2_map):
    net = tmp_path / "n.json"
    assert run(capsys, "synthesize", c2_map, "-o", net)[0] == 0
    doc = json.loads(net.read_text())
    doc["layers"][-1]["bias"][0] = str(int(doc["layers"][-1]["bias"][0]) + 1)  # ν + 1
    bad = write(tmp_path / "bad.json", doc)
    rc, out, _ = run(capsys, "verify", bad, "--map", c2_map)
    assert rc == 1 and "[FAIL] round_trip" in out


def test_verify_map_refused_with_random(capsys, c2_map):
    one_line_error(*run(capsys, "verify", "--random", "2", "--arch", "1,2,1",
                        "--map", c2_map)[::2], "--map")


# -- expressions (tropexact.tropical.expression, from the helper-hyper branch) -----------------

EXAMPLE = "max(0, x0 + 1, 2*x0 - x1) - max(0, x1)"   # the map of data/maps/example.json


def test_expression_source_is_the_map_of_the_example_file(tmp_path, capsys):
    pytest.importorskip("tropexact.tropical.expression")
    rc, out, _ = run(capsys, "synthesize", EXAMPLE, "-o", tmp_path / "e.json", "--json",
                     "--verify")
    assert rc == 0
    obj = json.loads(out)
    assert (obj["input_dim"], obj["layers"], obj["passed"]) == (2, 3, True)
    rc, out, _ = run(capsys, "verify", tmp_path / "e.json", "--map", "data/maps/example.json")
    assert rc == 0 and "[pass] round_trip" in out
    rc, out, _ = run(capsys, "synthesize", "max(0, x0); max(0, x1) - x0", "-o",
                     tmp_path / "two.json", "--json", "--verify", "--input-dim", "3")
    assert rc == 0 and (json.loads(out)["input_dim"], json.loads(out)["outputs"]) == (3, 2)


def test_neither_file_nor_expression_names_both(tmp_path, capsys):
    pytest.importorskip("tropexact.tropical.expression")
    rc, _, err = run(capsys, "synthesize", "max(0, x0", "-o", tmp_path / "n.json")
    one_line_error(rc, err, "not a file, and not an expression")
    rc, _, err = run(capsys, "synthesize", "max(0, x0);", "-o", tmp_path / "n.json")
    one_line_error(rc, err, "not a file, and not an expression")
