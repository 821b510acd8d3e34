"""Benchmark: the independent checker, ``tropexact check`` (wall time and peak memory).

For each case the tree under test writes a certificate with ``tropexact regions
--certificate`` (not timed); then ``tropexact check`` re-verifies it in a fresh
process, best of ``--repeat`` runs; peak memory is the child's maximum resident set
size.  Networks are the seeded ones of ``bench/regions.py`` (generic: N(0, 1) rounded
to multiples of 1/1024; integer: weights and biases in [-3, 3]).  ``--tree DIR`` times
another checkout (e.g. the commit before a change) for before/after tables.

Usage: python bench/checker.py [--repeat 3] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from regions import generic_net, integer_net  # noqa: E402  (the same seeded networks)
from verify import tropexact  # noqa: E402  (one fresh-process run)

CASES = [  # (name, network or None for Example C.2, --domain)
    ("Example C.2, Q^2", None, "all"),
    ("generic 2-8-8-1 s0, Q^2", ("generic", [2, 8, 8, 1]), "all"),
    ("generic 2-20-20-1 s0, [-2,2]^2", ("generic", [2, 20, 20, 1]), "box:-2,2"),
    ("integer 3-8-8-1 s0, [-2,2]^3", ("integer", [3, 8, 8, 1]), "box:-2,2"),
    ("integer 3-8-8-1 s0, Q^3", ("integer", [3, 8, 8, 1]), "all"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tree", default=str(ROOT), help="checkout whose tropexact/ is timed")
    args = ap.parse_args()
    tree = Path(args.tree).resolve()
    print(f"tree {tree}")
    print(f"{'certificate':<32}{'regions':>8}{'seconds (best)':>16}  {'all runs':<24}"
          f"{'peak MiB':>9}  verdict")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, spec, domain) in enumerate(CASES):
            if spec is None:
                net = str(ROOT / "data/networks/zhang2018_example_c2.json")
            else:
                kind, arch = spec
                net = os.path.join(tmp, f"net{i}.json")
                make = generic_net if kind == "generic" else integer_net
                with open(net, "w", encoding="utf-8") as fh:
                    json.dump(make(arch, 0).to_dict(), fh)
            cert = os.path.join(tmp, f"case{i}.cert.json")
            tropexact(tree, "regions", net, "--domain", domain, "--no-tropical", "--quiet",
                      "--certificate", cert)
            with open(cert, encoding="utf-8") as fh:
                regions = len(json.load(fh)["regions"])
            times, peak, status = [], 0.0, 0
            for _ in range(args.repeat):
                dt, mib, status = tropexact(tree, "check", cert, "--quiet")
                times.append(dt)
                peak = max(peak, mib)
            runs = ", ".join(f"{t:.2f}" for t in times)
            verdict = "verified" if status == 0 else "not verified / rejected"
            print(f"{name:<32}{regions:>8}{min(times):>16.2f}  {runs:<24}{peak:>9.0f}  {verdict}")


if __name__ == "__main__":
    main()
