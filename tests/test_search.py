"""The certified search: determinism across workers and Dask, resume, certificates."""

from __future__ import annotations

import json
import os

import pytest

from tropexact.verify.checker import check_file
from tropexact.errors import InputError, RunExists
from tropexact.networks.io import load_network
from tropexact.regions import activation_regions, linear_regions
from tropexact.experiments.search import SearchSpec, count, params_network, run_chain, search
from tropexact.regions import enclosing_box

SPEC = SearchSpec(arch=(1, 2, 2, 1), lo=-2, hi=2, budget=120, seed=7, chain_length=14,
                  round_size=4)


def lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().splitlines()


def test_params_network_layout():
    net = params_network((2, 1, 1), [1, 2, 3, 4, 5])
    # layer 0: weight [[1, 2]], bias [3]; layer 1: weight [[4]], bias [5]
    assert net.layers[0].weight == ((1, 2),) and net.layers[0].bias == (3,)
    assert net.layers[1].weight == ((4,),) and net.layers[1].bias == (5,)
    assert net.layers[1].activation == "identity"


def test_chain_is_deterministic_and_counts_are_exact():
    a, b = run_chain(SPEC, 3), run_chain(SPEC, 3)
    assert a == b
    net = params_network(SPEC.arch, a["params"])
    assert a["best"] == len(linear_regions(activation_regions(net)))
    assert a["best"] == count(net, "linear_regions")


def test_budget_is_spent_exactly():
    r = search(SPEC, workers=1)
    assert r.evaluations == SPEC.budget
    assert len(r.records) == SPEC.chains


def test_same_results_in_process_and_with_processes(tmp_path):
    one = search(SPEC, out_dir=str(tmp_path / "one"), workers=1)
    two = search(SPEC, out_dir=str(tmp_path / "two"), workers=2)
    assert lines(tmp_path / "one" / "results.jsonl") == lines(tmp_path / "two" / "results.jsonl")
    assert one.best_count == two.best_count and one.best_chain == two.best_chain


def test_dask_gives_identical_jsonl(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        search(SPEC, out_dir=str(tmp_path / "dask"), dask=client)
    search(SPEC, out_dir=str(tmp_path / "local"), workers=1)
    assert lines(tmp_path / "dask" / "results.jsonl") == lines(tmp_path / "local" / "results.jsonl")


def test_resume_continues_and_loses_nothing(tmp_path):
    out = str(tmp_path / "s")
    full = search(SPEC, out_dir=str(tmp_path / "full"), workers=1)
    search(SPEC, out_dir=out, workers=1)
    kept = lines(os.path.join(out, "results.jsonl"))[:3]
    with open(os.path.join(out, "results.jsonl"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(kept) + "\n")  # as if interrupted after three chains
    # the library names its parameter; the command line adds --resume (test_sweeps)
    with pytest.raises(RunExists, match="^out_dir: .*already holds a run"):
        search(SPEC, out_dir=out, workers=1)
    again = search(SPEC, out_dir=out, workers=1, resume=True)
    assert lines(os.path.join(out, "results.jsonl")) == \
        lines(tmp_path / "full" / "results.jsonl")
    assert again.best_count == full.best_count
    other = SearchSpec(arch=(1, 2, 2, 1), lo=-2, hi=2, budget=120, seed=8, chain_length=14)
    with pytest.raises(InputError, match="different settings"):
        search(other, out_dir=out, workers=1, resume=True)


def test_best_network_and_certificate_are_written(tmp_path):
    out = tmp_path / "s"
    r = search(SPEC, out_dir=str(out), workers=1)
    net = load_network(str(out / "best.json"))
    assert count(net, "linear_regions") == r.best_count
    rep = check_file(str(out / "best.cert.json"))
    assert rep.passed
    cert = json.loads((out / "best.cert.json").read_text())
    assert cert["counts"]["linear_regions"] == r.best_count


def test_enclosing_box_keeps_every_region():
    # The box holds all vertices, so it meets every region: counts agree with Q^d.
    from tropexact.networks.domain import Domain

    for seed in range(5):
        rec = run_chain(SearchSpec(arch=(2, 3, 2, 1), lo=-2, hi=2, budget=5, seed=seed,
                                   chain_length=4), 0)
        net = params_network((2, 3, 2, 1), rec["params"])
        C = activation_regions(net)
        lo, hi = enclosing_box(C)
        B = activation_regions(net, Domain.box(lo, hi))
        assert len(B.regions) == len(C.regions)
        assert len(linear_regions(B)) == len(linear_regions(C))
        assert B.graph.number_of_edges() == C.graph.number_of_edges()


def test_false_bound_gives_a_certified_counterexample(tmp_path):
    # 1 + n1 + n2 is false for arch 1,3,3,1: a two-layer net easily has more
    # than 7 linear regions (e.g. Montúfar's zigzag reaches 3·4 = 12).
    spec = SearchSpec(arch=(1, 3, 3, 1), lo=-3, hi=3, budget=2000, seed=0,
                      bound="1 + n1 + n2")
    out = tmp_path / "cx"
    r = search(spec, out_dir=str(out), workers=1)
    assert r.counterexample and r.bound_value == 7 and r.best_count > 7
    assert check_file(str(out / "counterexample.cert.json")).passed
    net = load_network(str(out / "counterexample.json"))
    assert count(net, "linear_regions") == r.best_count


def test_bad_specs():
    # the library names its parameter; the command line shows it as --arch (test_sweeps)
    with pytest.raises(InputError, match="^arch: "):
        SearchSpec(arch=(1, 2), lo=0, hi=1, budget=1)
    with pytest.raises(InputError, match="lo <= hi"):
        SearchSpec(arch=(1, 2, 1), lo=2, hi=1, budget=1)
    with pytest.raises(InputError, match="objective"):
        SearchSpec(arch=(1, 2, 1), lo=0, hi=1, budget=1, objective="regions")


def test_enclosing_box_with_a_lineality_space():
    # Parallel lines x + y = 5 and x + y = 10: three slabs, no vertices; cdd's
    # representative points (5, 0) and (10, 0) must be inside the box.
    from tropexact.networks.domain import Domain
    from tropexact.networks.model import network

    net = network(2, [{"weight": [[1, 1], [2, 2]], "bias": [-5, -20], "activation": "relu"},
                      {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    C = activation_regions(net)
    assert len(C.lines) == 1 and len(C.regions) == 3
    lo, hi = enclosing_box(C)
    B = activation_regions(net, Domain.box(lo, hi))
    assert len(B.regions) == 3 and B.graph.number_of_edges() == C.graph.number_of_edges() == 2
