"""Regressions from an adversarial review of the trust work (issue 11): each test is
named after the bug it found, and failed before the fix.

Every command must end with exit status 0, or 2 and one line on stderr; never a
traceback, a hang, a wrong answer, or a user's file replaced.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time

import pytest

from test_hardening import one_line_error
from tropexact import cli
from tropexact.experiments.search import SearchSpec
from tropexact.errors import InputError
from tropexact.networks.files import write_atomic

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C2 = os.path.join(ROOT, "data", "networks", "zhang2018_example_c2.json")
CAVEAT = os.path.join(ROOT, "data", "networks", "caveat_1d.json")


def run(capfd, *argv):
    """The command line in this process; output read at the file-descriptor level (a
    --time-limit run executes in a forked child, whose writes capsys cannot see)."""
    code = cli.main([str(a) for a in argv])
    out, err = capfd.readouterr()
    return code, out, err


# -- outputs: never replace what is not a regular file ----------------------------------------

def test_regression_force_replaced_a_fifo_with_a_regular_file(tmp_path, capfd):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = run(capfd, "regions", CAVEAT, "--no-tropical", "--certificate", fifo, "--force")
    one_line_error(code, err, "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["fifo"]


def test_regression_force_replaced_a_symlink_instead_of_writing_through_it(tmp_path, capfd):
    target = tmp_path / "real.cert.json"
    target.write_text("old")
    link = tmp_path / "link.cert.json"
    link.symlink_to(target)
    code, _, err = run(capfd, "regions", CAVEAT, "--no-tropical", "--certificate", link, "--force")
    assert code == 0, err
    assert os.path.islink(link) and json.loads(target.read_text())["format"] == "tropexact-certificate"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    code, _, err = run(capfd, "regions", CAVEAT, "--no-tropical", "--certificate", dangling)
    one_line_error(code, err, "dangling symbolic link")
    assert not (tmp_path / "nowhere.json").exists()


def test_regression_write_atomic_truncated_a_file_with_the_predictable_temporary_name(tmp_path):
    # the temporary file was FILE.tmp-PID, opened with "wb": a user's file of that name
    # was truncated and then deleted; it is now created exclusively, with a random part
    out = tmp_path / "out.json"
    bystander = tmp_path / f"out.json.tmp-{os.getpid()}"
    bystander.write_text("keep me")
    write_atomic(out, "new\n")
    assert out.read_text() == "new\n" and bystander.read_text() == "keep me"
    assert sorted(os.listdir(tmp_path)) == ["out.json", bystander.name]
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- the search and the time limit -------------------------------------------------------------

def test_regression_search_swallowed_the_time_limit_and_reported_a_false_counterexample(
        tmp_path, capfd):
    # the chain caught every BudgetExceeded as "more than max_regions": the alarm of
    # --time-limit became a count of 1,000,001 regions, a false counterexample, exit 0.
    # The budget is far beyond what one second can finish (CI once ran 400 trials of
    # 2-6-6-1 inside the limit, and the test then saw a finished search, exit 0).
    code, out, err = run(capfd, "search", "--arch", "3,8,8,1", "--budget", "10000000",
                         "--workers", "1",
                         "--time-limit", "1", "--bound", "serra2018", "--out", tmp_path / "s",
                         "--quiet")
    one_line_error(code, err, "--time-limit")
    assert "COUNTEREXAMPLE" not in out
    assert not (tmp_path / "s" / "counterexample.json").exists()


def test_regression_search_weights_range_overflowed(tmp_path, capfd):
    huge = "9" * 23
    code, _, err = run(capfd, "search", "--arch", "1,2,1", "--weights", f"-{huge}..{huge}",
                       "--budget", "3", "--workers", "1", "--out", tmp_path / "s", "--quiet")
    one_line_error(code, err, "--weights", "at most 10001 integers")
    with pytest.raises(InputError, match="at most 10001 integers"):
        SearchSpec(arch=(1, 2, 1), lo=-5000, hi=5001, budget=3)
    SearchSpec(arch=(1, 2, 1), lo=-5000, hi=5000, budget=3)  # 10,001 integers: allowed


def test_regression_time_limit_did_not_stop_a_long_cdd_call(tmp_path, capfd):
    # verify --random on 30-30-1 spends minutes inside one cdd call (C code, where the
    # alarm's handler cannot run): the run is now stopped from outside, within a second
    # of the limit, with the same one-line error
    t0 = time.perf_counter()
    code, _, err = run(capfd, "verify", "--random", "1", "--arch", "30,30,1", "--workers", "1",
                       "--time-limit", "2", "--out", tmp_path / "v", "--quiet")
    secs = time.perf_counter() - t0
    one_line_error(code, err, "--time-limit", "stopped after 2 s")
    assert secs < 6
    leftovers = [f for f in os.listdir(tmp_path / "v") if ".tmp-" in f]
    assert leftovers == []


def test_regression_time_limit_stops_the_worker_processes_too(tmp_path, capfd):
    t0 = time.perf_counter()
    code, _, err = run(capfd, "verify", "--random", "4", "--arch", "30,30,1", "--workers", "2",
                       "--time-limit", "2", "--out", tmp_path / "v", "--quiet")
    one_line_error(code, err, "--time-limit")
    assert time.perf_counter() - t0 < 6


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_time_limit_leaves_no_process_behind(tmp_path, capfd):
    # the command runs in its own process group, killed whole at the hard stop
    before = _other_groups()
    run(capfd, "verify", "--random", "4", "--arch", "30,30,1", "--workers", "2",
        "--time-limit", "1", "--out", tmp_path / "v", "--quiet")
    time.sleep(0.5)
    assert _other_groups() == before


def _other_groups():
    """The pids of this session that are not in this process's group."""
    session, group, out = os.getsid(0), os.getpgid(0), set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and int(fields[2]) != group and fields[0] != "Z":
            out.add(int(pid))
    return out


# -- budgets -----------------------------------------------------------------------------------

def test_regression_max_regions_did_not_stop_the_seeding_over_qd(tmp_path, capfd):
    # 26 independent first-layer neurons: the seeding built all 2^26 cones before the
    # budget was looked at (minutes, gigabytes); each cone holds a region, so 2^26 >
    # 1000 stops at once
    d = 26
    net = {"input_dim": d, "layers": [
        {"weight": [[int(i == j) for j in range(d)] for i in range(d)], "bias": [0] * d,
         "activation": "relu"},
        {"weight": [[1] * d], "bias": [0], "activation": "identity"}]}
    path = tmp_path / "d26.json"
    path.write_text(json.dumps(net))
    t0 = time.perf_counter()
    code, _, err = run(capfd, "regions", path, "--max-regions", "1000", "--no-tropical")
    one_line_error(code, err, "--max-regions", "more than 1000 activation regions", "2^26")
    assert time.perf_counter() - t0 < 5
    # the limit is exact: 2^3 = 8 cones are 8 regions, allowed with --max-regions 8
    small = {"input_dim": 3, "layers": [dict(net["layers"][0], weight=[[1, 0, 0], [0, 1, 0], [0, 0, 1]],
                                            bias=[0, 0, 0]),
                                        {"weight": [[1, 1, 1]], "bias": [0], "activation": "identity"}]}
    path.write_text(json.dumps(small))
    code, out, err = run(capfd, "regions", path, "--max-regions", "8", "--no-tropical", "--json")
    assert code == 0 and json.loads(out)["activation_regions"] == 8, err
    code, _, err = run(capfd, "regions", path, "--max-regions", "7", "--no-tropical")
    one_line_error(code, err, "--max-regions")


# -- the engine writes only certificates the checker reads ------------------------------------

def _perturbed_c2(k):
    """Example C.2 with every number w replaced by (w (10^k + i) + 1) / (10^k + 3i): the
    same shape, numbers of about k digits, interior points of many more."""
    net = json.loads(open(C2).read())
    i = 0
    for layer in net["layers"]:
        for row in layer["weight"]:
            for j, w in enumerate(row):
                i += 1
                row[j] = f"{int(w) * (10 ** k + i) + 1}/{10 ** k + 3 * i}"
        layer["bias"] = [f"{int(b) * (10 ** k + i + j) + 1}/{10 ** k + 5 * j + 1}"
                         for j, b in enumerate(layer["bias"])]
    return net


def test_regression_engine_wrote_certificates_the_checker_refused(tmp_path, capfd, monkeypatch):
    # with 9-digit numbers and TROPEXACT_MAX_DIGITS=100 the network is read, but its
    # interior points have hundreds of digits: the certificate was written (exit 0) and
    # then refused by 'tropexact check'; now it is refused before anything is written
    net = tmp_path / "c2_9.json"
    net.write_text(json.dumps(_perturbed_c2(8)))
    cert = tmp_path / "c.cert.json"
    monkeypatch.setenv("TROPEXACT_MAX_DIGITS", "100")
    code, _, err = run(capfd, "regions", net, "--no-tropical", "--certificate", cert)
    one_line_error(code, err, "more than the 202 that 'tropexact check' reads", "TROPEXACT_MAX_DIGITS")
    assert not cert.exists()
    monkeypatch.delenv("TROPEXACT_MAX_DIGITS")  # the default limit: written and verified
    code, _, err = run(capfd, "regions", net, "--no-tropical", "--certificate", cert)
    assert code == 0, err
    code, out, err = run(capfd, "check", cert)
    assert code == 0 and "certificate verified" in out, err
