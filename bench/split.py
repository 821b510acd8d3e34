"""Benchmark: one enumeration split over worker processes (tropexact.regions.split).

For each net and worker count K, a fresh process runs ``subproblems`` (PARTS
parts), ``solve_counts`` on a ``ProcessPoolExecutor(K)`` (K = 1: in the process
itself) and ``merge_counts``; it prints wall seconds and the peak resident
memory of the parent and of the largest worker (os.wait4 / RUSAGE_CHILDREN),
and checks that the counts agree for every K.  ``--full`` uses ``solve`` and
``merge`` (the whole RegionComplex) instead.

Generic nets as in bench/regions.py (seed 7 reproduces issue 12's counts).

Measured (shared 2-core machine, seed 7, --parts 32 giving 57 parts; counts equal for
every K): 4-16-16-1 4.32 s -> 2.41 s on 2 workers (1.79x), 4-24-24-1 21.45 s -> 10.91 s
(1.97x; 1.37x when another job held a core), parent 156 MB, worker 52 MB;
3-96-96-1 (1,201,714 regions, --parts 64) 249 s on 2 workers, parent 500 MB, worker 136 MB.

Usage: python bench/split.py [--arch 4,24,24,1] [--workers 1 2] [--parts 32] [--full]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from regions import generic_net  # noqa: E402

from tropexact.regions.split import (merge, merge_counts, solve, solve_counts,  # noqa: E402
                                     subproblems)


def one(arch: list[int], seed: int, workers: int, parts: int, full: bool) -> dict:
    net = generic_net(arch, seed)
    t0 = time.perf_counter()
    tasks = subproblems(net, parts=parts)
    fn = solve if full else solve_counts
    if workers == 1:
        results = [fn(t) for t in tasks]
    else:
        with ProcessPoolExecutor(workers) as ex:
            results = list(ex.map(fn, tasks))
    if full:
        C = merge(results)
        out = {"regions": len(C.regions), "edges": len(C.edges), "maps": C.map_count}
    else:
        c = merge_counts(results)
        out = {"regions": c.activation_regions, "linear": c.linear_regions,
               "maps": c.affine_maps, "edges": c.adjacency_edges}
    out["seconds"] = time.perf_counter() - t0
    out["parts"] = len(tasks)
    out["child_MB"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", action="append")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--parts", type=int, default=32)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        a, k = args.one
        print(json.dumps(one([int(x) for x in a.split(",")], args.seed, int(k), args.parts,
                             args.full)))
        return
    print(f"{'net':<14}{'K':>3}{'parts':>6}{'regions':>9}{'edges':>9}{'seconds':>9}"
          f"{'speed-up':>9}{'parent MB':>10}{'worker MB':>10}")
    for a in args.arch or ["4,24,24,1"]:
        base, seen = None, None
        for k in args.workers:
            cmd = [sys.executable, __file__, "--one", a, str(k), "--seed", str(args.seed),
                   "--parts", str(args.parts)] + (["--full"] if args.full else [])
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            out = p.stdout.read()
            _, status, ru = os.wait4(p.pid, 0)
            r = json.loads(out)
            key = {x: r[x] for x in ("regions", "edges", "maps", "linear") if x in r}
            if seen is not None and key != seen:
                print(f"COUNTS DIFFER: {key} vs {seen}")
            seen = key
            base = base or r["seconds"]
            print(f"{a.replace(',', '-'):<14}{k:>3}{r['parts']:>6}{r['regions']:>9}"
                  f"{r['edges']:>9}{r['seconds']:>9.2f}{base / r['seconds']:>9.2f}"
                  f"{ru.ru_maxrss / 1024:>10.0f}{r['child_MB']:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
