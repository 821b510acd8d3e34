"""One enumeration over many workers (tropexact.experiments.spread, ``regions --workers``).

The answer must not depend on where it was computed: a local Dask cluster, two local
processes and a checkpointed, interrupted-and-resumed run all give exactly the single
process's complex (every region record, map id and edge), counts, JSON and
certificate bytes.  The counts are also checked against the independent LP
enumeration of tests/reference_regions.py.  ``--regions-out`` streams exactly the
regions of the complex.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reference_regions import (  # noqa: E402
    reference_adjacency,
    reference_linear_regions,
    reference_regions,
)
from test_split import snapshot  # noqa: E402
from tropexact import cli  # noqa: E402
from tropexact.errors import InputError  # noqa: E402
from tropexact.experiments.spread import spread_regions  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402
from tropexact.regions import activation_regions, count_regions  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "bench"))
from regions import generic_net  # noqa: E402

C2 = os.path.abspath("data/networks/zhang2018_example_c2.json")
NETS = [C2, "data/networks/rational_leaky_2d.json", "data/networks/three_inputs.json",
        "data/networks/caveat_1d.json"]


@pytest.fixture(scope="module")
def generic():
    return generic_net([3, 8, 8, 1], 3)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_two_local_processes_equal_one(generic):
    for net, domain in [(generic, None), (generic, Domain.box([-1] * 3, [1] * 3)),
                        (load_network(C2), None)]:
        single = activation_regions(net, domain)
        assert snapshot(spread_regions(net, domain, workers=2)) == snapshot(single)
        assert spread_regions(net, domain, workers=2, counts_only=True) == \
            count_regions(net, domain)


def test_local_dask_cluster_equals_one_process(generic):
    distributed = pytest.importorskip("distributed")
    single = activation_regions(generic)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert snapshot(spread_regions(generic, dask=client, parts=5)) == snapshot(single)
        assert spread_regions(generic, dask=client, counts_only=True) == count_regions(generic)


def test_counts_against_the_independent_enumeration():
    net = generic_net([2, 4, 4, 1], 5)  # small: the reference's adjacency is quadratic
    ref = reference_regions(net)
    c = spread_regions(net, workers=2, parts=6, counts_only=True)
    assert c.activation_regions == len(ref)
    assert c.linear_regions == reference_linear_regions(ref, reference_adjacency(ref, 2))


@pytest.mark.parametrize("path", NETS)
def test_cli_json_and_certificate_identical_across_workers(path, tmp_path, capsys):
    outs = []
    for k in ("1", "2"):
        cert = tmp_path / f"c{k}.json"
        code, out, err = run(capsys, "regions", path, "--workers", k, "--json", "--quiet",
                             "--certificate", cert)
        assert code == 0, err
        doc = json.loads(out)
        doc.pop("seconds"), doc.pop("certificate")
        outs.append((doc, cert.read_bytes()))
    assert outs[0] == outs[1]
    assert outs[0][0]["verified"] is True


def test_checkpoint_resumes_and_refuses_what_it_cannot_trust(generic, tmp_path, capsys):
    ck = tmp_path / "ck"
    single = count_regions(generic)
    assert spread_regions(generic, workers=1, parts=6, counts_only=True,
                          checkpoint=str(ck)) == single
    parts = sorted(f for f in os.listdir(ck) if f.startswith("part-"))
    assert len(parts) >= 6
    # an interrupted run: two parts missing; the rerun solves them again, same answer
    for f in parts[:2]:
        os.remove(ck / f)
    assert spread_regions(generic, parts=6, counts_only=True, checkpoint=str(ck)) == single
    assert sorted(f for f in os.listdir(ck) if f.startswith("part-")) == parts
    # a cut part file, a part file of another part, another enumeration, a foreign dir
    (ck / parts[0]).write_bytes((ck / parts[0]).read_bytes()[:20])
    with pytest.raises(InputError, match="not a readable part"):
        spread_regions(generic, parts=6, counts_only=True, checkpoint=str(ck))
    (ck / parts[0]).write_bytes((ck / parts[1]).read_bytes())
    with pytest.raises(InputError, match="does not hold part"):
        spread_regions(generic, parts=6, counts_only=True, checkpoint=str(ck))
    with pytest.raises(InputError, match="another enumeration"):
        spread_regions(generic, parts=6, checkpoint=str(ck))  # regions, not counts
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    code, _, err = run(capsys, "regions", C2, "--checkpoint", tmp_path / "mine", "--quiet")
    assert code == 2 and "--checkpoint" in err and err.count("\n") == 1
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_regions_out_streams_exactly_the_regions(generic, tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    code, text, err = run(capsys, "regions", C2, "--no-tropical", "--regions-out", out,
                          "--json", "--quiet")
    assert code == 0, err
    C = activation_regions(load_network(C2))
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["index"] for x in lines] == list(range(len(C.regions)))
    assert sorted(x["signs"] for x in lines) == sorted(r.signs for r in C.regions)
    assert sum(len(x["neighbours"]) for x in lines) == len(C.edges) == \
        json.loads(text)["adjacency_edges"]
    by_signs = {r.signs: r for r in C.regions}
    for x in lines:
        r = by_signs[x["signs"]]
        assert x["bounded"] == r.bounded and len(x["point"]) == 2
        assert all(n < x["index"] for n in x["neighbours"])
    # never over an existing file without --force; the file is untouched
    before = out.read_bytes()
    code, _, err = run(capsys, "regions", C2, "--no-tropical", "--regions-out", out, "--quiet")
    assert code == 2 and "--force" in err and out.read_bytes() == before


@pytest.mark.parametrize("argv, needle", [
    (["--regions-out", "x.jsonl"], "--regions-out: streams the regions without keeping"),
    (["--no-tropical", "--regions-out", "x.jsonl", "--workers", "2"], "from one process"),
    (["--parts", "3"], "--parts: splits the enumeration"),
    (["--workers", "0"], "--workers: must be >= 1"),
    (["--workers", "2", "--parts", "0"], "--parts: must be >= 1"),
    # a typo must not fork a thousand interpreters (each with its own memory)
    (["--workers", "1000"], "--workers: must be at most"),
])
def test_bad_combinations_are_one_line_errors(argv, needle, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "regions", C2, *argv)
    assert code == 2 and needle in err and err.count("\n") == 1
    assert not os.path.exists(tmp_path / "x.jsonl")


def test_cli_dask_address_equals_one_process(capsys, tmp_path):
    distributed = pytest.importorskip("distributed")
    code, single, err = run(capsys, "regions", C2, "--json", "--quiet",
                            "--certificate", tmp_path / "a.json")
    assert code == 0, err
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        code, spread, err = run(capsys, "regions", C2, "--json", "--quiet", "--dask",
                                cluster.scheduler_address, "--certificate", tmp_path / "b.json")
    assert code == 0, err
    a, b = json.loads(single), json.loads(spread)
    for doc in (a, b):
        doc.pop("seconds"), doc.pop("certificate")
    assert a == b and a["verified"] is True
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
