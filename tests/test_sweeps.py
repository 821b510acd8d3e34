"""Sweeps: the exhaustive 1-2-2-1 record, best_known.json, verify --random, search CLI."""

from __future__ import annotations

import itertools
import json
import os

import pytest

from tropexact.experiments.best_known import ARCHITECTURES, recheck
from tropexact.bounds.published import upper_bounds
from tropexact.cli.main import main
from tropexact.networks.model import network
from tropexact.regions import activation_regions, linear_regions
from tropexact.experiments.search import count
from tropexact.experiments.sweep import _count, exhaustive_max, output_directions

BEST = "data/regions/best_known.json"
SWEEP = "data/regions/sweep_1_2_2_1.json"


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


# -- the exhaustive 1-2-2-1 sweep (issue 4: "no more than 7 although the bounds say 9")

def test_recorded_sweep_maximum_is_attained_and_below_the_bounds():
    rec = json.load(open(SWEEP))
    assert rec["max_linear_regions"] == 7
    h, c = rec["argmax"]["hidden"], rec["argmax"]["output"]
    # rebuild the argmax network: layer 1 (w, b per neuron), layer 2, output c
    net = network(1, [
        {"weight": [[h[0]], [h[1]]], "bias": [h[2], h[3]], "activation": "relu"},
        {"weight": [[h[4], h[5]], [h[6], h[7]]], "bias": [h[8], h[9]], "activation": "relu"},
        {"weight": [c], "bias": [0], "activation": "identity"}])
    assert count(net, "linear_regions") == 7
    # every product bound says 9 = (1 + 2)(1 + 2) for d = 1, widths (2, 2)
    assert set(upper_bounds((1, 2, 2, 1)).values()) == {9}
    assert rec["family_size"] == 5 ** 8 * 4 ** 4


def test_sweep_reductions_lose_nothing():
    # On a small family, the reduced sweep equals brute force over every network
    # (all hidden configurations, all output weights, no symmetry used).
    W, B = (-1, 0, 1), (-1, 1)
    r = exhaustive_max((1, 2, 1), weights=W, biases=B, workers=1)
    best = 0
    for w1a, w1b, b1a, b1b, w2a, w2b, b2 in itertools.product(W, W, B, B, W, W, B):
        for c in W:
            net = network(1, [
                {"weight": [[w1a], [w1b]], "bias": [b1a, b1b], "activation": "relu"},
                {"weight": [[w2a, w2b]], "bias": [b2], "activation": "relu"},
                {"weight": [[c]], "bias": [0], "activation": "identity"}])
            best = max(best, count(net, "linear_regions"))
    assert r["max_linear_regions"] == best


def test_output_directions_are_lines_through_zero():
    dirs = output_directions(2, range(-2, 3))
    # the 8 lines through 0 spanned by vectors of [-2, 2]^2
    assert len(dirs) == 8 and (1, 0) in dirs and (2, -1) in dirs and (2, 2) not in dirs


def test_count_of_one_configuration():
    best, act, c, cfg = _count(((1, 1, 1), (1, 0, 1, -1), [(1,)]))
    # relu(relu(x) - 1): breakpoints 0 (dead below) and 1: regions x<0, 0<x<1, x>1 ->
    # maps 0, 0, x-1: the first two merge: 2 linear regions, 3 activation regions
    assert (best, act) == (2, 3)


# -- best_known.json -----------------------------------------------------------

def test_best_known_covers_the_issue_architectures():
    data = json.load(open(BEST))
    have = {tuple(e["architecture"]) for e in data["entries"]}
    assert set(ARCHITECTURES) <= have


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: "-".join(map(str, a)))
def test_best_known_entry_recomputes(arch):
    data = json.load(open(BEST))
    e = next(e for e in data["entries"] if tuple(e["architecture"]) == arch and "pieces" not in e)
    assert recheck(e) == []


def test_best_known_acceptance_values():
    data = {tuple(e["architecture"]): e for e in json.load(open(BEST))["entries"]
            if "pieces" not in e}
    # d=1 (2,2): 7 (the sweep above shows nothing in its family does better)
    assert data[(1, 2, 2, 1)]["linear_regions"]["count"] == 7
    # d=2 (1,3): the Serra bound 5 = C(1,0)(1+3) + C(1,1)·1 is attained
    assert data[(2, 1, 3, 1)]["linear_regions"]["count"] == 5 == \
        upper_bounds((2, 1, 3, 1))["serra2018"]
    # d=1 (3,3): Montúfar's construction gives at least 3·(1+3) = 12
    assert data[(1, 3, 3, 1)]["linear_regions"]["count"] >= 12


# -- verify --random and search on the command line ----------------------------

def test_verify_random_table_and_json(capsys):
    rc, out, _ = run(capsys, "verify", "--random", "4", "--arch", "1,2,1", "--seed", "3",
                     "--json", "--workers", "1")
    obj = json.loads(out)
    assert rc == 0 and obj["passed"] and obj["networks"] == 4
    assert {c["name"] for c in obj["checks"]} == {"tropical_identity", "zonotopes",
                                                  "correspondence", "decision_boundary",
                                                  "bounds"}
    assert all(c["passed"] == 4 for c in obj["checks"])


@pytest.mark.parametrize("argv,msg", [
    (["verify", "--random", "3"], "--arch"),
    (["verify", "data/networks/caveat_1d.json", "--random", "3", "--arch", "1,2,1"], "not both"),
    (["verify"], "NET"),
    (["verify", "--random", "3", "--arch", "1,x,1"], "integers"),
    (["search", "--arch", "1,2,1", "--weights", "3..1"], "lo <= hi"),
    (["search", "--arch", "1,2,1", "--weights", "a"], "LO..HI"),
    (["search", "--arch", "1,2,1", "--bound", "__import__('os')"], "bound"),
    (["search", "--arch", "1,2,1", "--bound", "serra2017"], "did you mean 'serra2018'"),
    (["search", "--arch", "1,2,1", "--out", "README.md"], "is a file, not a directory"),
    (["search", "--arch", "1,2"], "--arch: "),
    (["search", "--arch", "1,2,1", "--budget", "0"], "--budget: must be >= 1"),
])
def test_sweep_bad_input_exit_2(capsys, argv, msg):
    rc, _, err = run(capsys, *argv)
    assert rc == 2 and msg in err


def test_verify_random_jsonl_identical_with_dask(tmp_path):
    distributed = pytest.importorskip("distributed")
    from tropexact.experiments.batch import verify_random

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        verify_random((1, 2, 1), 6, seed=2, dask=client, out_dir=str(tmp_path / "d"))
    verify_random((1, 2, 1), 6, seed=2, workers=2, out_dir=str(tmp_path / "l"))
    a = open(tmp_path / "d" / "results.jsonl").read()
    assert a == open(tmp_path / "l" / "results.jsonl").read() and a.count("\n") == 6


def test_search_cli_is_deterministic_across_workers(tmp_path, capsys):
    outs = []
    for k in ("1", "2"):
        d = str(tmp_path / k)
        rc, out, _ = run(capsys, "search", "--arch", "1,2,2,1", "--weights", "-2..2",
                         "--budget", "100", "--seed", "5", "--workers", k, "--out", d, "--json")
        assert rc == 0
        outs.append((json.loads(out)["best"], open(os.path.join(d, "results.jsonl")).read()))
    assert outs[0] == outs[1]
    rc, _, err = run(capsys, "search", "--arch", "1,2,2,1", "--weights", "-2..2",
                     "--budget", "100", "--seed", "5", "--out", str(tmp_path / "1"))
    assert rc == 2 and "--resume" in err


def test_search_cli_counterexample(tmp_path, capsys):
    out = str(tmp_path / "cx")
    rc, text, _ = run(capsys, "search", "--arch", "1,3,3,1", "--bound", "1 + n1 + n2",
                      "--seed", "0", "--workers", "1", "--out", out, "--json")
    obj = json.loads(text)
    assert rc == 0 and obj["counterexample"] and obj["best"] > obj["bound_value"] == 7
    rc, _, _ = run(capsys, "check", obj["files"]["certificate"])
    assert rc == 0
    net = activation_regions(network(obj["network"]["input_dim"], obj["network"]["layers"]))
    assert len(linear_regions(net)) == obj["best"]


def test_search_progress_bar_on_a_terminal(monkeypatch):
    import io
    import sys

    from tropexact.cli.progress import bar
    from tropexact.experiments.search import SearchSpec, search

    class TTY(io.StringIO):
        def isatty(self):
            return True

    fake = TTY()
    monkeypatch.setattr(sys, "stderr", fake)
    with bar("networks", total=30, extra="best") as show:
        search(SearchSpec(arch=(1, 2, 1), lo=-1, hi=1, budget=30, seed=0, chain_length=4,
                          round_size=2), workers=1, progress=show)
    assert show.done == 30 and "/30" in fake.getvalue() and "networks" in fake.getvalue()


def test_workers_are_capped_at_four_per_cpu(capsys):
    # more CPU-bound processes than that only compete; a typo (--workers 1000) must be a
    # one-line error, not a thousand interpreters
    import os

    from tropexact.errors import InputError
    from tropexact.experiments.parallel import check_workers

    limit = max(8, 4 * (os.cpu_count() or 1))
    assert check_workers(limit) == limit
    with pytest.raises(InputError, match=f"at most {limit}"):
        check_workers(limit + 1)
    rc, _, err = run(capsys, "search", "--arch", "1,2,1", "--budget", "3", "--workers",
                     str(limit + 1))
    assert rc == 2 and "--workers: must be at most" in err and err.count("\n") == 1
