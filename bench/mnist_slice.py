"""Benchmark: an MNIST-sized MLP analysed exactly on a 2-D slice, the way a user would.

1. Build a 784-64-64-10 ``nn.Sequential`` with PyTorch's default initialisation
   under ``torch.manual_seed(SEED)`` (float32 weights) and ``torch.save`` it.
2. ``tropexact convert model.pt -o mnist.json`` (exact binary rationals, forward
   pass compared with PyTorch's).
3. ``tropexact regions mnist.json --slice P,U,V --no-tropical --json``: every
   activation region of the plane P + s·U + t·V, exactly (all of Q², no box).
4. ``tropexact plot mnist.json --slice P,U,V --what regions -o FIGURE``.

Each step runs the installed command line in a subprocess and is timed with its
start-up; the table also shows the ``seconds`` the regions step reports for the
enumeration alone.  Needs the torch and plot extras (``make setup`` installs them).

Usage: python bench/mnist_slice.py [--seed 0] [--widths 784,64,64,10]
           [--plane random:1,random:2,random:3] [--figure FILE.png] [--window -4,4,-4,4]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def run(*args: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "tropexact", *args], capture_output=True,
                       text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"tropexact {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
    return dt, p.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--widths", default="784,64,64,10")
    ap.add_argument("--plane", default="random:1,random:2,random:3")
    ap.add_argument("--figure", default=None, help="also draw the regions to this file")
    ap.add_argument("--window", default="-4,4,-4,4", help="figure window in (s, t)")
    a = ap.parse_args()

    import torch

    widths = [int(w) for w in a.widths.split(",")]
    torch.manual_seed(a.seed)
    mods: list = []
    for i in range(1, len(widths)):
        mods.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i < len(widths) - 1:
            mods.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*mods).eval()

    with tempfile.TemporaryDirectory() as tmp:
        pt, js = os.path.join(tmp, "mnist.pt"), os.path.join(tmp, "mnist.json")
        torch.save(model, pt)
        rows = []
        dt, out = run("convert", pt, "-o", js, "--json")
        conv = json.loads(out)
        rows.append(("convert (exact, forward pass compared)", dt,
                     f"max deviation {conv['max_deviation_approx']} at {conv['samples']} points; "
                     f"{os.path.getsize(js) / 1e6:.1f} MB JSON"))
        dt, out = run("regions", js, "--slice", a.plane, "--no-tropical", "--json", "--quiet")
        reg = json.loads(out)
        rows.append(("regions on the plane (all of Q^2)", dt,
                     f"{reg['activation_regions']} activation regions "
                     f"({reg['bounded_regions']} bounded), {reg['linear_regions']} linear "
                     f"regions; enumeration {reg['seconds']:.1f} s"))
        if a.figure:
            dt, out = run("plot", js, "--slice", a.plane, "--what", "regions", "-o", a.figure,
                          "--window", a.window, "--force", "--json", "--quiet")
            fig = json.loads(out)
            rows.append((f"plot regions in [{a.window}]", dt,
                         f"{fig.get('regions')} regions drawn -> {a.figure}"))
    print(f"{'-'.join(map(str, widths))} MLP, torch.manual_seed({a.seed}), plane {a.plane}")
    print(f"{'step':<42}{'seconds':>9}  result")
    for name, dt, what in rows:
        print(f"{name:<42}{dt:>9.1f}  {what}")


if __name__ == "__main__":
    main()
