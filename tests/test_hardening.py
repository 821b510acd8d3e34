"""Input that cannot crash and budgets that stop: the cases found by trying tropexact as a
new user would (issue 11, cases 3 to 12; cases 1 and 2, the checker, are in
tests/test_tamper.py).  Each test is named after its case and failed before the fix.

Every command here must end with exit status 0, or 2 and one line on stderr naming the
problem; never a traceback, never a hang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tropexact import cli
from tropexact.bounds.constructions import montufar_zigzag

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C2 = os.path.join(ROOT, "data", "networks", "zhang2018_example_c2.json")
THREE = os.path.join(ROOT, "data", "networks", "three_inputs.json")


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code, err, *needles):
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    for n in needles:
        assert n in err, err


def write(path, obj):
    path.write_text(json.dumps(obj) if not isinstance(obj, str) else obj)
    return str(path)


def one_neuron(weight, bias="0", layers=1):
    return {"input_dim": 1, "layers": [{"weight": [[weight]], "bias": [bias],
                                        "activation": "relu"}] * layers
            + [{"weight": [["1"]], "bias": ["0"], "activation": "identity"}]}


# -- case 3: numbers longer than Python's 4,300-digit int/str limit ------------------------

def test_case03_long_numbers_are_read_and_printed(tmp_path, capsys):
    # "1e5000" and a 5,000-digit integer in a network: exact, and written back in full
    net = write(tmp_path / "big.json", one_neuron("1e5000", "9" * 5000))
    code, out, err = run(capsys, "tropicalize", net, "--json")
    assert code == 0, err
    poly = json.loads(out)["outputs"][0]["F"]["polynomial"]
    # relu(10^5000 x + 9...9) then the identity: F = max(0, 9...9 + 10^5000 x), G = 0
    assert sorted(poly) == [["0", "0"], ["1" + "0" * 5000, "9" * 5000]]
    code, out, err = run(capsys, "regions", net, "--domain", "box:-1e5000,1e5000", "--json")
    assert code == 0 and json.loads(out)["activation_regions"] == 2, err


def test_case03_intermediate_values_grow_past_the_limit(tmp_path, capsys):
    # 50 layers of weight 1e100: values of 5,000 digits inside the computation
    net = write(tmp_path / "deep.json", one_neuron("1e100", layers=50))
    cert = tmp_path / "deep.cert.json"
    code, out, err = run(capsys, "regions", net, "--certificate", cert, "--json")
    assert code == 0 and json.loads(out)["activation_regions"] == 2, err
    assert "1" + "0" * 5000 in cert.read_text()
    code, out, err = run(capsys, "tropicalize", net, "--json", "--no-count")
    assert code == 0, err


def test_case03_numbers_over_the_digit_limit_are_refused(tmp_path, capsys, monkeypatch):
    net = write(tmp_path / "big.json", one_neuron("1e5000"))
    monkeypatch.setenv("TROPEXACT_MAX_DIGITS", "1000")
    code, _, err = run(capsys, "regions", net)
    one_line_error(code, err, "over the limit of 1000", "TROPEXACT_MAX_DIGITS",
                   "layers[0].weight[0][0]")


def test_case03_the_checker_reads_every_number_the_engine_accepts(tmp_path, capsys):
    # a weight of 60,000 digits (under the 100,000-digit limit) and a bias of 30,000:
    # the certificate holds numbers of 60,000+ characters, which the checker must read
    net = write(tmp_path / "long.json", one_neuron("7" * 60_000, "3" * 30_000))
    cert = tmp_path / "long.cert.json"
    code, _, err = run(capsys, "regions", net, "--certificate", cert, "--no-tropical", "--quiet")
    assert code == 0, err
    code, out, err = run(capsys, "check", cert, "--quiet")
    assert code == 0 and "certificate verified" in out, err


def test_case03_checker_limits_follow_the_package_limits(tmp_path):
    # the checker reads the same variables itself (it imports nothing from the package),
    # at import: a fresh interpreter with the limits lowered refuses what it exceeds
    from tropexact.exact.limits import limit
    from tropexact.verify import checker
    assert checker.MAX_FILE_BYTES == limit("file_bytes")
    assert checker.MAX_JSON_DEPTH == limit("nesting")
    assert checker.MAX_NUMBER_LENGTH == 2 * limit("digits") + 2
    cert = tmp_path / "c.cert.json"
    assert cli.main(["regions", C2, "--certificate", str(cert), "--no-tropical", "--quiet"]) == 0
    env = dict(os.environ, TROPEXACT_MAX_FILE_BYTES="100")
    p = subprocess.run([sys.executable, "-m", "tropexact", "check", str(cert)], env=env,
                       capture_output=True, text=True, cwd=ROOT)
    one_line_error(p.returncode, p.stderr, "larger than the limit of 100 bytes",
                   "TROPEXACT_MAX_FILE_BYTES")
    env = dict(os.environ, TROPEXACT_MAX_DIGITS="many")
    p = subprocess.run([sys.executable, "-m", "tropexact", "check", str(cert)], env=env,
                       capture_output=True, text=True, cwd=ROOT)
    one_line_error(p.returncode, p.stderr, "TROPEXACT_MAX_DIGITS must be a positive integer")


# -- case 4: non-regular and huge files ------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["regions", "/dev/zero"], ["tropicalize", "/dev/zero"],
    ["regions", C2, "--domain", "polytope:/dev/zero"], ["regions", C2, "--slice", "/dev/zero.json"],
    ["convert", "/dev/zero", "-o", "x.json"],
])
def test_case04_non_regular_files_are_refused(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    t0 = time.perf_counter()
    code, _, err = run(capsys, *argv)
    assert time.perf_counter() - t0 < 5
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1, err
    assert "not a regular file" in err or "no such file" in err
    assert not os.listdir(tmp_path)


def test_case04_files_over_the_size_limit_are_refused(capsys, monkeypatch):
    monkeypatch.setenv("TROPEXACT_MAX_FILE_BYTES", "100")
    code, _, err = run(capsys, "regions", C2)
    one_line_error(code, err, "over the limit of 100", "TROPEXACT_MAX_FILE_BYTES")


# -- cases 5 and 6: nesting and duplicate keys -------------------------------------------------

@pytest.mark.parametrize("depth", [100, 100_000])
def test_case05_deeply_nested_polytope_file(tmp_path, capsys, depth):
    f = write(tmp_path / "deep.json", "[" * depth + "]" * depth)
    code, _, err = run(capsys, "regions", C2, "--domain", f"polytope:{f}")
    one_line_error(code, err, "--domain", "nested")


def test_case06_duplicate_keys_are_refused(tmp_path, capsys):
    text = ('{"input_dim": 1, "layers": [{"weight": [[1]], "bias": [0], '
            '"activation": "relu", "activation": "identity"}]}')
    code, _, err = run(capsys, "regions", write(tmp_path / "dup.json", text))
    one_line_error(code, err, "duplicate key 'activation'")


# -- case 7: convert into a missing directory or onto a directory ------------------------------

def test_case07_convert_into_a_missing_directory_or_onto_a_directory(tmp_path, capsys):
    pytest.importorskip("numpy")
    import numpy as np

    model = tmp_path / "w.npz"
    np.savez(model, W0=np.array([[1.0]]), b0=np.array([0.0]))
    code, _, err = run(capsys, "convert", model, "-o", tmp_path / "missing" / "net.json")
    one_line_error(code, err, "cannot write")
    (tmp_path / "adir").mkdir()
    code, _, err = run(capsys, "convert", model, "-o", tmp_path / "adir", "--force")
    one_line_error(code, err, "is a directory")
    assert sorted(os.listdir(tmp_path)) == ["adir", "w.npz"] and not os.listdir(tmp_path / "adir")


# -- case 8: budgets that stop ---------------------------------------------------------------

def _timed(capsys, *argv):
    t0 = time.perf_counter()
    code, out, err = run(capsys, *argv)
    return code, err, time.perf_counter() - t0


def test_case08_max_terms_stops_tropicalize_without_counting(tmp_path, capsys):
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    from tropicalize import random_integer_net

    net = write(tmp_path / "n6.json", random_integer_net([6, 40, 40, 1], 0).to_dict())
    code, err, secs = _timed(capsys, "tropicalize", net, "--max-terms", "10", "--no-count")
    one_line_error(code, err, "--max-terms", "max_terms=10")
    assert secs < 10


@pytest.fixture(scope="module")
def sawtooth(tmp_path_factory):
    # a 10-layer width-2 sawtooth on one input: 1,026 regions in 0.4 s, but a tropical
    # phase of a minute without a budget
    path = tmp_path_factory.mktemp("saw") / "saw.json"
    path.write_text(json.dumps(montufar_zigzag(1, (2,) * 10).to_dict()))
    return str(path)


def test_case08_max_terms_stops_the_tropical_phase_of_regions(sawtooth, capsys):
    code, err, secs = _timed(capsys, "regions", sawtooth, "--max-terms", "200")
    one_line_error(code, err, "--max-terms")
    assert secs < 10


def test_case08_time_limit_stops_every_phase(sawtooth, capsys, tmp_path):
    # the sawtooth's tropical phases take minutes (checks; the hull recursion); the
    # 5-30-30-1 net's enumeration alone takes minutes (the regions method's phase)
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    from tropicalize import random_integer_net

    big = write(tmp_path / "n5.json", random_integer_net([5, 30, 30, 1], 0).to_dict())
    for argv in (["regions", sawtooth], ["verify", sawtooth],
                 ["tropicalize", sawtooth, "--method", "hull"], ["tropicalize", big]):
        code, err, secs = _timed(capsys, *argv, "--time-limit", "1")
        one_line_error(code, err, "--time-limit", "stopped after 1 s")
        assert secs < 5


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "0", "-1"])
@pytest.mark.parametrize("command", ["regions", "check"])
def test_regression_time_limit_inf_overflowed_the_alarm(tmp_path, capsys, value, command):
    # --time-limit inf reached signal.setitimer and raised OverflowError (a traceback);
    # every subcommand, the checker's included, now refuses it in one line
    target = C2 if command == "regions" else write(tmp_path / "c.json", "{}")
    code, _, err = run(capsys, command, target, "--time-limit", value, "--quiet")
    one_line_error(code, err, "--time-limit: must be a positive number of seconds")


def test_case08_no_budget_no_change(capsys):
    code, _, err = run(capsys, "regions", C2, "--max-terms", "100", "--time-limit", "60")
    assert code == 0, err


# -- case 9: --quiet everywhere ----------------------------------------------------------------

def test_case09_every_subcommand_takes_quiet():
    parser = cli.build_parser()
    for name in ("tropicalize", "regions", "verify", "check", "bounds", "search", "convert",
                 "plot"):
        assert "--quiet" in parser.subcommand(name)._option_strings(), name


def test_case09_bounds_quiet_runs(capsys):
    code, out, err = run(capsys, "bounds", "--arch", "2,2,1", "--quiet")
    assert code == 0 and "zaslavsky" in out, err


# -- case 10: the small ones -------------------------------------------------------------------

def test_case10_an_empty_slice_is_an_error(capsys):
    code, _, err = run(capsys, "regions", THREE, "--slice", "")
    one_line_error(code, err, "--slice", "expected P,U,V")


@pytest.mark.parametrize("what", ["domain", "slice"])
def test_case10_force_never_overwrites_an_input_file(tmp_path, capsys, what):
    if what == "domain":
        inp = write(tmp_path / "tri.json", {"inequalities": [[0, 1, 0], [0, 0, 1], [1, -1, -1]]})
        argv = ["regions", C2, "--domain", f"polytope:{inp}"]
    else:
        inp = write(tmp_path / "plane.json", {"point": [0, 0, 1], "u": [1, 0, 0], "v": [0, 1, 0]})
        argv = ["regions", THREE, "--slice", inp]
    before = open(inp).read()
    code, _, err = run(capsys, *argv, "--certificate", inp, "--force")
    one_line_error(code, err, "input file")
    assert open(inp).read() == before


def test_case10_a_sweep_never_writes_into_a_directory_of_user_files(tmp_path, capsys):
    # search writes best.json / counterexample.json into --out: a new run needs a new or
    # empty directory, so a user's file of that name is never replaced
    mine = write(tmp_path / "counterexample.json", {"mine": True})
    code, _, err = run(capsys, "search", "--arch", "1,3,3,1", "--bound", "1 + n1 + n2",
                       "--out", tmp_path, "--quiet")
    one_line_error(code, err, "is not empty and holds no run")
    assert json.loads(open(mine).read()) == {"mine": True}
    assert os.listdir(tmp_path) == ["counterexample.json"]


def test_case10_polytope_files_refuse_unknown_keys(tmp_path, capsys):
    f = write(tmp_path / "tri.json", {"inequalities": [[0, 1, 0], [0, 0, 1], [1, -1, -1]],
                                      "inequalites": []})
    code, _, err = run(capsys, "regions", C2, "--domain", f"polytope:{f}")
    one_line_error(code, err, "unknown key 'inequalites'")


def test_case10_a_decimal_input_dim_is_named_as_such(tmp_path, capsys):
    net = write(tmp_path / "n.json", '{"input_dim": 2.0, "layers": []}')
    code, _, err = run(capsys, "regions", net)
    one_line_error(code, err, "input_dim: must be a positive integer, got 2 (a decimal number)")
    assert "mpq" not in err


def test_case10_convert_samples_zero_says_skipped(tmp_path, capsys):
    pytest.importorskip("numpy")
    import numpy as np

    model = tmp_path / "w.npz"
    np.savez(model, W0=np.array([[1.0]]), b0=np.array([0.0]))
    code, out, err = run(capsys, "convert", model, "-o", tmp_path / "n.json", "--samples", "0")
    assert code == 0 and "skipped (--samples 0)" in out and "not available" not in out, err


def test_case10_suggestions_are_close_and_from_the_subcommand(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["regions", C2, "--frobnicate"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "did you mean" not in err
    with pytest.raises(SystemExit):
        cli.main(["bounds", "--arch", "2,2,1", "--jsno"])
    assert "did you mean '--json'" in capsys.readouterr().err


# -- cases 11 and 12: output that says what it counts ------------------------------------------

def test_case11_box_runs_say_the_cells_are_over_all_of_qd(capsys):
    code, out, err = run(capsys, "regions", C2, "--domain", "box:-1,1")
    assert code == 0, err
    assert "activation regions        16" in out and "cells over all of Q^2" in out


def test_case12_random_table_counts_not_applicable_apart(capsys):
    # two hidden layers: the zonotope claim does not apply to any of the networks
    code, out, err = run(capsys, "verify", "--random", "3", "--arch", "1,2,2,1", "--json",
                         "--workers", "1")
    assert code == 0, err
    rows = {c["name"]: c for c in json.loads(out)["checks"]}
    assert rows["zonotopes"]["passed"] == 0 and rows["zonotopes"]["not_applicable"] == 3
    code, out, _ = run(capsys, "verify", "--random", "3", "--arch", "1,2,2,1", "--workers", "1")
    assert "n/a" in out.splitlines()[1]


# -- regressions: digits of other scripts --------------------------------------------------------

NON_ASCII = ["١", "١/٢", "١.٥", "٣e2", "1e٣", "²", "１", "-٣"]


@pytest.mark.parametrize("text", NON_ASCII)
def test_regression_non_ascii_digits_crashed_gmpy2_or_were_read(text, tmp_path, capsys):
    # \d matched Arabic-Indic digits: '١' reached gmpy2.mpz (a ValueError traceback) and
    # '١.٥' was read as 3/2 by the engine while the checker refused it
    from tropexact.errors import InputError
    from tropexact.exact.numbers import parse_number

    with pytest.raises(InputError, match="expected a number"):
        parse_number(text)
    code, _, err = run(capsys, "regions", C2, f"--domain=box:{text},2", "--no-tropical")
    one_line_error(code, err, "--domain: expected a number")
    net = json.loads(open(C2).read())
    net["layers"][0]["weight"][0][0] = text
    path = write(tmp_path / "uni.json", net)
    for command in ("regions", "tropicalize"):
        code, _, err = run(capsys, command, path, "--quiet")
        one_line_error(code, err, "layers[0].weight[0][0]: expected a number")


@pytest.mark.parametrize("argv, needle", [
    (["search", "--arch", "١,2,1"], "--arch: architecture"),
    (["search", "--arch", "1,2,1", "--weights", "٣..٤"], "--weights: expects LO..HI"),
    (["search", "--arch", "1,2,1", "--weights", "1_0..20"], "--weights: expects LO..HI"),
    (["tropicalize", C2, "--slice", "0,e١,e2"], "--slice: cannot read 'e١'"),
    (["tropicalize", C2, "--slice", "0,e²,e2"], "--slice: cannot read 'e²'"),
    (["tropicalize", C2, "--slice", "random:١,e1,e2"], "--slice: 'random:١': expected random:SEED"),
    (["tropicalize", C2, "--slice", "random:²,e1,e2"], "--slice: 'random:²': expected random:SEED"),
    (["tropicalize", C2, "--slice", "0,e" + "1" * 5000 + ",e2"], "(5001 characters): unit vectors"),
])
def test_regression_non_ascii_digits_in_options_were_read(argv, needle, capsys):
    # int() and isdigit() take other scripts' digits: '١,2,1' was the architecture 1,2,1,
    # 'e²' passed isdigit() and crashed int(); a 5,000-digit eK crashed int()
    code, _, err = run(capsys, *argv, "--quiet")
    one_line_error(code, err, needle)
    assert len(err) < 300


@pytest.mark.parametrize("option, value", [("--budget", "٣"), ("--time-limit", "٣"), ("--seed", "-٣"),
                                           ("--budget", "9" * 5000), ("--seed", "1" * 5000)])
def test_regression_non_ascii_digits_in_numeric_options_were_read(option, value, capsys):
    # argparse's int and float take '٣' as 3; a refused value was echoed whole
    with pytest.raises(SystemExit) as e:
        cli.main(["search", "--arch", "1,2,1", option, value, "--quiet"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.count("\n") == 1 and len(err) < 300, err
    assert f"argument {option}: invalid" in err or err.endswith(f"argument {option}: expected one argument\n")


def test_regression_superscript_digit_in_a_limit_variable_was_a_valueerror(monkeypatch):
    # '²'.isdigit() is true but int('²') raises: the limits and the checker crashed
    from tropexact.errors import InputError
    from tropexact.exact.limits import limit
    from tropexact.verify import checker as checker_module

    for text in ("²", "١٠٠", "9" * 5000):
        monkeypatch.setenv("TROPEXACT_MAX_DIGITS", text)
        with pytest.raises(InputError, match="TROPEXACT_MAX_DIGITS: must be a positive integer"):
            limit("digits")
        monkeypatch.setattr(checker_module, "_BAD_LIMITS", [])
        assert checker_module._env_limit("TROPEXACT_MAX_DIGITS", 7) == 7
        assert checker_module._BAD_LIMITS[0].startswith("TROPEXACT_MAX_DIGITS must be a positive integer")


def test_regression_non_ascii_digits_in_a_bound_index_were_read():
    # the index pattern [ijk]\d* took 'j١' (a Python identifier) as a summation index
    from tropexact.bounds import evaluate_bound
    from tropexact.errors import InputError

    assert evaluate_bound("Sum(1, (j1, 0, d))", "2,3,1") == 3
    with pytest.raises(InputError, match="limits must be"):
        evaluate_bound("Sum(1, (j١, 0, d))", "2,3,1")


# -- regressions: the digit limit of decimals ------------------------------------------------------

def test_regression_design_doc_promised_an_exponent_limit_the_engine_lacks(monkeypatch):
    # docs/design.md §5 said decimal exponents beyond ±10000 are refused; the engine counts
    # a decimal's digits plus |exponent| toward TROPEXACT_MAX_DIGITS: the text states that
    # rule and its examples hold
    from fractions import Fraction

    from tropexact.errors import InputError
    from tropexact.exact.numbers import parse_number

    text = open(os.path.join(ROOT, "docs", "design.md"), encoding="utf-8").read()
    section = " ".join(text[text.index("## 5. File formats"):text.index("## 6.")].split())
    assert "±10000" not in section and "±10,000" not in section
    for claim in ('`"1e5000"` counts 5,001', '`"0.125"` counts 6',
                  'from `"1e-99999"` to `"1e99999"`', "There is no separate exponent limit"):
        assert claim in section, claim
    for ok, bad, value in (("1e-99999", "1e-100000", Fraction(1, 10 ** 99999)),
                           ("1e99999", "1e100000", Fraction(10 ** 99999))):
        assert parse_number(ok) == value
        with pytest.raises(InputError, match="over the limit of 100000"):
            parse_number(bad)
    for literal, size in (("1e5000", 5001), ("0.125", 6)):
        monkeypatch.setenv("TROPEXACT_MAX_DIGITS", str(size))
        parse_number(literal)
        monkeypatch.setenv("TROPEXACT_MAX_DIGITS", str(size - 1))
        with pytest.raises(InputError, match=f"has about {size} digits"):
            parse_number(literal)


@pytest.mark.parametrize("text", ["1e99999999999999999999", "1e-99999999999999999999999"])
def test_regression_decimal_exponent_beyond_decimal_range_was_invalidoperation(text, tmp_path, capsys):
    # Decimal() raises decimal.InvalidOperation for an exponent beyond about 10^18: a traceback
    code, _, err = run(capsys, "regions", C2, f"--domain=box:0,{text}", "--no-tropical")
    one_line_error(code, err, "--domain: number", "has an exponent beyond 10^18")
    net = write(tmp_path / "e.json", '{"input_dim": 1, "layers": [{"weight": [[%s]], "bias": [0], '
                                     '"activation": "relu"}]}' % text)
    code, _, err = run(capsys, "regions", net, "--quiet")
    one_line_error(code, err, "has an exponent beyond 10^18")
