"""Benchmark: tropicalize seeded random integer networks (weights and biases in [-3, 3]).

Prints, per architecture, the wall time of ``tropicalize`` (every layer's
output pruned to the upper hull before the next layer), the terms before and
after pruning summed over all layers and neurons (F and G; "before" is each
layer's distributive expansion of its reduced inputs), the output's F and G
sizes, and the separate time spent counting the terms before pruning.  Targets on the 2-core reference machine: 2-8-8-1 < 0.5 s,
3-8-8-1 < 10 s.  With --unpruned a last row expands 2-8-8-1 without any pruning, for comparison
(63,178 terms of F and G; several minutes).

Usage: python bench/tropicalize.py [--seed S] [--arch 2,8,8,1 ...] [--unpruned]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tropexact.errors import BudgetExceeded  # noqa: E402
from tropexact.networks.model import network  # noqa: E402
from tropexact.networks.tropicalization import tropicalize  # noqa: E402

DEFAULT = ["2,8,8,1", "3,8,8,1", "2,16,16,1", "2,8,8,8,1"]


def random_integer_net(arch: list[int], seed: int, lo: int = -3, hi: int = 3):
    rng = random.Random(seed)
    layers = []
    for k in range(1, len(arch)):
        layers.append({
            "weight": [[rng.randint(lo, hi) for _ in range(arch[k - 1])] for _ in range(arch[k])],
            "bias": [rng.randint(lo, hi) for _ in range(arch[k])],
            "activation": "identity" if k == len(arch) - 1 else "relu",
        })
    return network(arch[0], layers)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count-budget", type=int, default=20_000_000,
                    help="work limit for counting terms before pruning ('>' marks a partial count)")
    ap.add_argument("--arch", nargs="*", default=DEFAULT)
    ap.add_argument("--unpruned", action="store_true",
                    help="also expand 2-8-8-1 with no pruning at all (minutes)")
    args = ap.parse_args()
    print(f"{'arch':<12}{'seconds':>10}{'terms before':>15}{'terms after':>13}"
          f"{'F,G of output':>15}{'count s':>9}")
    for a in args.arch:
        arch = [int(v) for v in a.split(",")]
        net = random_integer_net(arch, args.seed)
        t0 = time.perf_counter()
        T = tropicalize(net, count_before=False)
        dt = time.perf_counter() - t0
        # counting the unpruned terms is bookkeeping, timed separately
        t0 = time.perf_counter()
        Tc = tropicalize(net, count_before=True, count_budget=args.count_budget)
        dc = time.perf_counter() - t0 - dt
        before = sum(s.terms_before for s in Tc.layers if s.terms_before is not None)
        if any(s.terms_before is None for s in Tc.layers):
            before_s = f">{before}"
        else:
            before_s = str(before)
        after = sum(s.terms_after for s in T.layers)
        fg = f"{len(T.map[0].numerator)},{len(T.map[0].denominator)}"
        print(f"{a:<12}{dt:>10.3f}{before_s:>15}{after:>13}{fg:>15}{dc:>9.1f}", flush=True)
    if args.unpruned:
        net = random_integer_net([2, 8, 8, 1], args.seed)
        t0 = time.perf_counter()
        try:
            U = tropicalize(net, prune=False, count_before=False, max_terms=2_000_000)
            n = len(U.map[0].numerator) + len(U.map[0].denominator)
            print(f"{'2,8,8,1 raw':<12}{time.perf_counter() - t0:>10.3f}{'':>15}{n:>13}"
                  "   (no pruning at all: F+G terms of the output)")
        except BudgetExceeded as e:
            print(f"2,8,8,1 raw: {e}")


if __name__ == "__main__":
    main()
