"""Benchmark: exact activation-region enumeration on seeded random networks.

Prints regions, seconds and regions per second.  Generic nets have weights and
biases N(0, 1) rounded to multiples of 1/1024 (exact rationals, generic in
practice); integer nets have weights and biases uniform in [-3, 3] (many
coincidences).  The output layer is a single identity neuron.

Targets (issue 3): 2-20-20-1 < 1.6 s, 3-16-16-1 < 8 s, 4-10-10-1 < 6 s, and
cost linear in the number of regions (see the 2-32-32-32-1 row's rate).

``--memory`` runs each net in a fresh process (os.wait4's ru_maxrss: the peak
resident memory of the whole process, interpreter included) in two modes:
``full`` keeps the RegionComplex (activation_regions, then linear regions and
affine maps), ``stream`` folds the regions into counts without keeping them
(count_regions, what ``regions --no-tropical`` needs).

Usage: python bench/regions.py [--seed S] [--arch 2,20,20,1 ...] [--profile]
       python bench/regions.py --memory [--arch 4,16,16,1 ...]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import subprocess
import sys
import time

from tropexact.networks.model import network
from tropexact.exact.numbers import Q
from tropexact.regions import activation_regions, affine_map_count, count_regions, linear_regions

GENERIC = ["2,20,20,1", "3,16,16,1", "4,10,10,1", "2,32,32,32,1"]
INTEGER = ["2,8,8,1", "2,16,16,1"]


def generic_net(arch: list[int], seed: int):
    """Weights and biases N(0, 1) rounded to multiples of 1/1024 (the only float use:
    drawing random numbers, turned into exact rationals before anything is computed)."""
    rng = random.Random(seed)

    def q() -> object:
        return Q(round(rng.gauss(0, 1) * 1024), 1024)

    return _net(arch, q)


def integer_net(arch: list[int], seed: int):
    rng = random.Random(seed)
    return _net(arch, lambda: rng.randint(-3, 3))


def _net(arch: list[int], draw) -> object:
    layers = []
    for i in range(1, len(arch)):
        layers.append({"weight": [[draw() for _ in range(arch[i - 1])] for _ in range(arch[i])],
                       "bias": [draw() for _ in range(arch[i])],
                       "activation": "identity" if i == len(arch) - 1 else "relu"})
    return network(arch[0], layers)


def scaling(seed: int) -> None:
    """One network, growing domains: time per region should stay flat (linear cost)."""
    from tropexact.networks.domain import Domain

    net = generic_net([2, 32, 32, 32, 1], seed)
    print(f"{'domain':<16}{'regions':>9}{'seconds':>10}{'ms/region':>11}")
    for r in ("1/4", "1/2", "1", "2", "4", None):
        dom = None if r is None else Domain.box([f"-{r}"] * 2, [r] * 2)
        t0 = time.perf_counter()
        C = activation_regions(net, dom)
        dt = time.perf_counter() - t0
        name = "all of Q^2" if r is None else f"[-{r}, {r}]^2"
        print(f"{name:<16}{len(C.regions):>9}{dt:>10.2f}{1000 * dt / len(C.regions):>11.3f}",
              flush=True)


def one(kind: str, arch: list[int], seed: int, mode: str) -> dict:
    """One enumeration in this process: regions, linear regions, maps, seconds."""
    net = (generic_net if kind == "generic" else integer_net)(arch, seed)
    t0 = time.perf_counter()
    if mode == "stream":
        c = count_regions(net)
        n, lin, maps, edges = c.activation_regions, c.linear_regions, c.affine_maps, \
            c.adjacency_edges
    else:
        C = activation_regions(net)
        n, lin, maps, edges = len(C.regions), len(linear_regions(C)), affine_map_count(C), \
            len(C.edges)
    return {"regions": n, "linear": lin, "maps": maps, "edges": edges,
            "seconds": time.perf_counter() - t0}


def memory(cases: list, seed: int) -> None:
    """Each case and mode in a fresh process; peak resident memory from os.wait4."""
    print(f"{'net':<16}{'mode':<8}{'regions':>9}{'linear':>9}{'edges':>9}{'seconds':>9}"
          f"{'ms/region':>11}{'peak MB':>9}{'KB/region':>11}")
    for kind, a in cases:
        for mode in ("full", "stream"):
            cmd = [sys.executable, __file__, "--one", kind, a, mode, "--seed", str(seed)]
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            out = p.stdout.read()
            _, status, ru = os.wait4(p.pid, 0)
            r = json.loads(out)
            mb = ru.ru_maxrss / 1024
            print(f"{a.replace(',', '-'):<16}{mode:<8}{r['regions']:>9}{r['linear']:>9}"
                  f"{r['edges']:>9}{r['seconds']:>9.2f}{1000 * r['seconds'] / r['regions']:>11.3f}"
                  f"{mb:>9.0f}{1024 * mb / r['regions']:>11.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--arch", action="append", help="only these (generic weights)")
    ap.add_argument("--integer", action="append", help="only these (integer weights)")
    ap.add_argument("--profile", action="store_true", help="print a profile of each run")
    ap.add_argument("--scaling", action="store_true",
                    help="2-32-32-32-1 on growing boxes: is the cost per region constant?")
    ap.add_argument("--memory", action="store_true",
                    help="each net in a fresh process, full complex and stream: peak memory")
    ap.add_argument("--one", nargs=3, metavar=("KIND", "ARCH", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        kind, a, mode = args.one
        print(json.dumps(one(kind, [int(x) for x in a.split(",")], args.seed, mode)))
        return
    if args.scaling:
        scaling(args.seed)
        return
    cases = [("generic", a) for a in (args.arch or ([] if args.integer else GENERIC))]
    cases += [("integer", a) for a in (args.integer or ([] if args.arch else INTEGER))]
    if args.memory:
        memory(cases, args.seed)
        return
    print(f"{'net':<16}{'weights':<10}{'regions':>9}{'linear':>9}{'seconds':>10}{'regions/s':>11}"
          f"{'adjacency s':>13}")
    for kind, a in cases:
        arch = [int(x) for x in a.split(",")]
        net = (generic_net if kind == "generic" else integer_net)(arch, args.seed)
        prof = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        C = activation_regions(net)
        t1 = time.perf_counter()
        lin = len(linear_regions(C))
        t2 = time.perf_counter()
        if prof:
            prof.disable()
        n = len(C.regions)
        print(f"{'-'.join(map(str, arch)):<16}{kind:<10}{n:>9}{lin:>9}{t1 - t0:>10.2f}"
              f"{n / (t1 - t0):>11.0f}{t2 - t1:>13.3f}", flush=True)
        if prof:
            pstats.Stats(prof).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
