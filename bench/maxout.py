"""Benchmark: activation regions of maxout networks (exact LP enumeration) beside their
ReLU rewrites (the hyperplane walk on the same function).

Each row is a seeded random network of rank-k maxout layers with integer weights in
[-9, 9] and one identity output.  Printed per net: the maxout regions and seconds
(``tropexact.regions.units``), milliseconds per region, the ReLU rewrite's width,
regions and seconds (``maxout_as_relu`` then the walk), the linear regions of both
(equal: the same function), and the peak memory of a fresh process doing both
(``ru_maxrss`` of the child, interpreter included).

Usage: python bench/maxout.py [--seed S] [--net D:W1,W2:K ...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time

from tropexact.networks.model import network
from tropexact.networks.rewrite import maxout_as_relu
from tropexact.regions import activation_regions, linear_regions

NETS = ["2:8:2", "2:8:3", "2:6,6:2", "3:6:3", "2:10,10:2", "3:8,8:2", "2:6:5"]


def random_net(spec: str, seed: int):
    d, widths, k = spec.split(":")
    rnd = random.Random(f"{spec}/{seed}")
    dim, layers = int(d), []
    for w in map(int, widths.split(",")):
        rows = int(w) * int(k)
        layers.append({"weight": [[rnd.randint(-9, 9) for _ in range(dim)] for _ in range(rows)],
                       "bias": [rnd.randint(-9, 9) for _ in range(rows)],
                       "activation": "maxout", "pieces": int(k)})
        dim = w
    layers.append({"weight": [[rnd.randint(-9, 9) for _ in range(dim)]], "bias": [0],
                   "activation": "identity"})
    return network(int(d), layers)


def measure(spec: str, seed: int) -> dict:
    net = random_net(spec, seed)
    t0 = time.perf_counter()
    C = activation_regions(net)
    t1 = time.perf_counter() - t0
    relu = maxout_as_relu(net)
    t0 = time.perf_counter()
    R = activation_regions(relu)
    t2 = time.perf_counter() - t0
    return {"net": spec, "regions": len(C), "seconds": t1, "relu_widths": relu.widths,
            "relu_regions": len(R), "relu_seconds": t2, "linear": len(linear_regions(C)),
            "relu_linear": len(linear_regions(R))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--net", nargs="*", default=NETS, help="D:W1,W2,...:K")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.seed)))
        return
    print(f"{'net (d:widths:k)':18} {'regions':>8} {'s':>7} {'ms/reg':>7} | "
          f"{'relu rewrite':>18} {'regions':>8} {'s':>7} | {'linear':>11} {'peak MiB':>9}")
    for spec in args.net:
        p = subprocess.Popen([sys.executable, __file__, "--child", spec, "--seed",
                              str(args.seed)], stdout=subprocess.PIPE, text=True)
        out = p.stdout.read() if p.stdout else ""
        _, status, usage = os.wait4(p.pid, 0)
        if status:
            print(f"{spec:18} failed (status {status})")
            continue
        r = json.loads(out)
        widths = "-".join(map(str, r["relu_widths"]))
        print(f"{spec:18} {r['regions']:8} {r['seconds']:7.2f} "
              f"{1000 * r['seconds'] / r['regions']:7.2f} | {widths:>18} {r['relu_regions']:8} "
              f"{r['relu_seconds']:7.2f} | {r['linear']:5}={r['relu_linear']:<5} "
              f"{usage.ru_maxrss / 1024:9.0f}")


if __name__ == "__main__":
    main()
