"""Benchmark (issue 12, "Scale"): time and peak memory of the command line at scale.

Every case is one ``tropexact`` command in a fresh process on a tree's package
(``bench/verify.py``'s runner: wall seconds, peak resident memory of the child from
``os.wait4``), killed after ``--timeout`` seconds (printed as "> S s", with the peak
reached so far as ">= MiB").  Tables:

* regions:     ``regions NET --no-tropical --json --quiet`` on the issue's generic
               nets: regions, wall seconds, peak MiB, KiB and ms per region (both
               from the wall time and peak of the whole process), and the
               enumeration's own seconds from the JSON.  The first row, Example
               C.2 (23 regions), is the fixed cost of a process (start-up, imports).
* dimension:   the same command for d = 2..8 at comparable region counts: one
               hidden layer d-n-1 (an arrangement of n generic hyperplanes,
               exactly sum_{i<=d} C(n, i) regions, 7,000-13,000: checked), then two
               hidden layers d-n-n-1 with n > d (7,900-13,400 regions; n <= d
               makes the first layer a cheap simplicial fan, 8-8-8-1 costs less
               per region than 7-8-8-1) and the issue's 8-10-1 (1,013 regions).
* tropicalize: ``tropicalize NET --no-count --quiet --json`` (integer 3-16-16-1 and
               4-10-10-1, generic 2-20-20-1), each after the enumeration of the same
               net, whose time it is compared with ("x enum").
* classifier:  the trained 2-16-16-2 two-moons MLP (``bench/data/moons_2_16_16_2.json``,
               made by ``bench/classifier.py``): ``regions`` with its tropical phase,
               ``regions --no-tropical`` and ``verify --quiet --json``.
* workers:     ``regions --no-tropical`` in one process and with ``--workers 2`` (one
               enumeration in parts on 2 local processes): 3-20-20-1, and the issue's
               4-24-24-1 (145,626 regions) and 3-96-96-1 (1,201,714 regions).

Generic nets: weights and biases N(0, 1) rounded to multiples of 1/1024
(``bench/regions.py``'s ``generic_net``) with seed 7, the seed that reproduces the
issue's counts (959, 5,156, 7,928, 34,341, 77,845, 10,932 for 6-8-8-1, 1,013 for
8-10-1); integer nets: weights in [-3, 3] (``integer_net``), seed 0.  Output layer
identity.  The network files are written to a temporary directory by the tropexact
this script imports (PYTHONPATH); the timed trees only read them.

``--baseline-tree DIR2`` runs each case on DIR2 and then on ``--tree`` (interleaved, so
that load on the machine hits both alike) and prints "before -> after" and the speed-up;
a region count that differs between the trees is flagged.  Peak memory is the larger of
the command's own peak (``ru_maxrss``) and the peak of the summed resident memory of
the command and its worker processes (sampled every 0.1 s).  Timings on a shared 2-core
machine vary by 10-25 %: compare ranges, not single digits.

Usage:
  python bench/scale.py --quick                   # a few minutes (today: ~6 min)
  python bench/scale.py --only 2-20-20-1 moons    # these nets, in every table
  python bench/scale.py --table dimension --timeout 600
  python bench/scale.py --tree /path/new --baseline-tree /path/old --quick
  python bench/scale.py                           # everything; hours today (3-96-96-1
                                                  #   alone: ~700 s and 16 GB)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from regions import generic_net, integer_net  # noqa: E402
from verify import Run, run  # noqa: E402

GENERIC_SEED, INTEGER_SEED = 7, 0
MOONS = HERE / "data" / "moons_2_16_16_2.json"
ENUM = ("regions", "--no-tropical", "--json", "--quiet")


class Case(NamedTuple):
    table: str
    net: str            # generic "2-20-20-1", integer "int-3-16-16-1", or "moons"
    argv: tuple         # the command, NET stands for the network file
    quick: bool = False


def _cases() -> list[Case]:
    big = {"3-64-64-1", "3-96-96-1", "4-24-24-1", "5-12-12-12-1", "6-10-10-1"}
    cases = [Case("regions", n, ENUM, n not in big)
             for n in ("example-c2", "2-20-20-1", "3-16-16-1", "2-64-64-1", "4-16-16-1", "6-10-10-1",
                       "3-64-64-1", "3-96-96-1", "4-24-24-1", "5-12-12-12-1")]
    cases += [Case("dimension", n, ENUM)
              for n in ("2-140-1", "3-38-1", "4-22-1", "5-17-1", "6-15-1", "7-14-1", "8-14-1",
                        "2-64-64-1", "3-20-20-1", "4-12-12-1", "5-9-9-1", "6-8-8-1",
                        "7-8-8-1", "8-10-1")]
    for n in ("int-3-16-16-1", "int-4-10-10-1", "2-20-20-1"):
        cases += [Case("tropicalize", n, ENUM, True),
                  Case("tropicalize", n, ("tropicalize", "--no-count", "--quiet", "--json"), True)]
    cases += [Case("classifier", "moons", a, True)
              for a in (("regions", "--quiet", "--json"), ENUM, ("verify", "--quiet", "--json"))]
    cases += [Case("workers", n, ENUM + w, n == "3-20-20-1")
              for n in ("3-20-20-1", "4-24-24-1", "3-96-96-1")
              for w in ((), ("--workers", "2"))]
    return cases


def net_file(name: str, tmp: str) -> str:
    if name == "moons":
        return str(MOONS)
    if name == "example-c2":  # 23 regions: the fixed cost of a process
        return str(ROOT / "data" / "networks" / "zhang2018_example_c2.json")
    path = os.path.join(tmp, name + ".json")
    if not os.path.exists(path):
        integer = name.startswith("int-")
        arch = [int(x) for x in name.removeprefix("int-").split("-")]
        net = integer_net(arch, INTEGER_SEED) if integer else generic_net(arch, GENERIC_SEED)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(net.to_dict(), fh)
    return path


def outcome(r: Run, command: str) -> tuple[int | None, str]:
    """(activation regions or None, a short result) from a run's JSON (for ``regions``
    the enumeration's own seconds, without start-up and tropical phase)."""
    if r.timed_out:
        return None, "timeout"
    try:
        js = json.loads(r.stdout)
    except ValueError:
        return None, f"exit {r.code}: {(r.stderr.strip().splitlines() or [''])[-1][:60]}"
    if command == "regions":
        return js["activation_regions"], f"enumeration {js['seconds']:.2f} s" + (
            "" if js["tropical"] is None else f", verified {js['verified']}")
    if command == "tropicalize":
        o = js["outputs"][0]
        return None, f"F {o['F']['upper_vertices']}, G {o['G']['upper_vertices']} terms"
    checks = js["checks"]
    failed = [c["name"] for c in checks if c["status"] == "fail"]
    return None, (f"{len(checks)} checks, all passed" if js["passed"] and not failed
                  else f"FAILED: {', '.join(failed)}")


def cells(r: Run, regions: int | None, timeout: float) -> dict[str, str]:
    if r.timed_out:
        return {"s": f"> {timeout:g}", "MiB": f">= {r.mib:.0f}", "KiB/reg": "-", "ms/reg": "-"}
    per = regions or None
    mib = max(r.mib, r.group_mib)  # the command and its workers together
    return {"s": f"{r.seconds:.2f}" if r.seconds < 100 else f"{r.seconds:.0f}",
            "MiB": f"{mib:.0f}",
            "KiB/reg": f"{1024 * mib / per:.1f}" if per else "-",
            "ms/reg": f"{1000 * r.seconds / per:.3f}" if per else "-"}


def commit(tree: Path) -> str:
    p = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %cs"],
                       capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "-uno", "tropexact"],
                           capture_output=True, text=True).stdout.strip()
    return (p.stdout.strip() or "not a git checkout") + (" + uncommitted changes" if dirty else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", default=str(ROOT), help="checkout whose tropexact/ is timed")
    ap.add_argument("--baseline-tree", help="also time this checkout (before -> after)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per case (default 300)")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help="only these nets (2-20-20-1, int-3-16-16-1, moons, ...)")
    ap.add_argument("--table", nargs="+", choices=["regions", "dimension", "tropicalize",
                                                   "classifier", "workers"])
    ap.add_argument("--quick", action="store_true",
                    help="the small nets, tropicalize and classifier (minutes)")
    args = ap.parse_args()
    trees = [Path(t).resolve() for t in (args.baseline_tree, args.tree) if t]
    cases = [c for c in _cases()
             if (not args.only or c.net in args.only) and (not args.table or c.table in args.table)
             and (not args.quick or c.quick)]
    if not cases:
        sys.exit("no case selected; names: " + ", ".join(sorted({c.net for c in _cases()})))
    for label, t in zip(("before", "after") if len(trees) == 2 else ("tree",), trees):
        print(f"{label}: {t} ({commit(t)})")
    print(f"generic nets seed {GENERIC_SEED}, integer nets seed {INTEGER_SEED}; "
          f"timeout {args.timeout:g} s per case")
    cols, width = ["s", "MiB", "KiB/reg", "ms/reg"], 22 if len(trees) == 2 else 10
    table, enum_s, known = None, {}, {}   # per net: enumeration seconds, region count
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases:
            if c.table != table:
                table = c.table
                print(f"\n== {table} ==")
                print(f"{'net':<15}{'command':<26}{'regions':>9}"
                      + "".join(f"{h:>{width}}" for h in cols) + "  result")
            path = net_file(c.net, tmp)
            runs = [run(t, (c.argv[0], path, *c.argv[1:]), args.timeout) for t in trees]
            res = [outcome(r, c.argv[0]) for r in runs]
            counts = {n for n, _ in res if n is not None}
            notes = [" -> ".join(dict.fromkeys(note for _, note in res))]
            if len(counts) > 1:
                notes.append("REGION COUNTS DIFFER: " + " vs ".join(str(n) for n, _ in res))
            regions = counts.pop() if len(counts) == 1 else known.get(c.net)
            if c.argv[:len(ENUM)] == ENUM and regions and not any(r.timed_out for r in runs):
                enum_s[c.net], known[c.net] = [r.seconds for r in runs], regions
            if c.argv[0] == "tropicalize" and c.net in enum_s and not any(r.timed_out for r in runs):
                notes.append("x enum " + " -> ".join(f"{r.seconds / e:.1f}"
                                                     for r, e in zip(runs, enum_s[c.net])))
            if len(runs) == 2 and not any(r.timed_out for r in runs):
                notes.append(f"speed-up x{runs[0].seconds / runs[1].seconds:.2f}")
            cs = [cells(r, regions, args.timeout) for r in runs]
            row = "".join(f"{' -> '.join(x[h] for x in cs):>{width}}" for h in cols)
            cmd = " ".join(a for a in c.argv if a not in ("--json", "--quiet"))
            if c.net == "example-c2":
                notes.append("the fixed cost of a process")
            arch = c.net.split("-")
            if c.argv == ENUM and len(arch) == 3 and regions:  # an arrangement: count known
                d, n = int(arch[0]), int(arch[1])
                want = sum(math.comb(n, i) for i in range(d + 1))
                notes.append(f"= sum C({n}, i<={d})" if regions == want else f"EXPECTED {want}")
            note = "; ".join(dict.fromkeys(n for n in notes if n))
            print(f"{c.net:<15}{cmd:<26}{regions or '':>9}{row}  {note}", flush=True)


if __name__ == "__main__":
    main()
