"""Benchmark: convolutional, residual and dense networks enumerated exactly on a 2-D slice.

Three seeded random models (no dataset needed), converted exactly with torch.fx
(``from_torch_graph``; the dense MLP goes through the same graph path):

* ``lenet``: LeNet-style on 1×28×28 (bench/import_cnn.py), 784 inputs;
* ``resnet``: the small residual network on 1×8×8 with batch norms folded
  (bench/import_cnn.py), 64 inputs;
* ``mlp``: the MNIST-sized 784-64-64-10 MLP of bench/mnist_slice.py.

The plane passes through three seeded random images A, B, C (pixels uniform in
[0, 1] on the grid 1/255): P = A, U = B − A, V = C − A, so (s, t) = (0, 0), (1, 0),
(0, 1) are the images.  Each row enumerates every activation region of the slice in
the square [1/2 − w/2, 1/2 + w/2]² around the triangle's middle (exact LP
enumeration of graphs, ``tropexact.regions.units``) in a fresh process, and prints
the regions, linear regions, seconds and the peak memory of that process
(``ru_maxrss``, interpreter and torch included).

Usage: python bench/cnn_slice.py [--model lenet resnet mlp] [--side 1/100 1/50 ...]
       python bench/cnn_slice.py --figure docs/figures/cnn_slice.png
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


#: the squares measured by default: each model's regions are denser or sparser
SIDES = {"lenet": ["1/100", "1/50"], "resnet": ["1/4", "1/2"], "mlp": ["1/2", "1"]}


def model(name: str):
    import torch
    from torch import nn

    from import_cnn import ResNet, _randomise_bn, lenet
    torch.manual_seed(0)
    if name == "lenet":
        return lenet().eval(), (1, 28, 28)
    if name == "resnet":
        m = ResNet()
        _randomise_bn(m)
        return m.eval(), (1, 8, 8)
    return nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 10)).eval(), (784,)


def sliced(name: str):
    """The model's exact graph restricted to the plane through three random images."""
    from tropexact.exact.numbers import Q
    from tropexact.networks.convert import from_torch_graph
    from tropexact.networks.slicing import make_plane, restrict
    m, shape = model(name)
    g = from_torch_graph(m, input_shape=shape, samples=4).graph
    rnd = random.Random(f"{name}/plane")
    A, B, C = (tuple(Q(rnd.randint(0, 255), 255) for _ in range(g.input_dim)) for _ in range(3))
    plane = make_plane(A, tuple(b - a for a, b in zip(A, B)), tuple(c - a for a, c in zip(A, C)),
                       g.input_dim)
    return restrict(g, plane)


def measure(name: str, side: str) -> dict:
    from tropexact.exact.numbers import Q
    from tropexact.networks.domain import Domain
    from tropexact.regions import activation_regions, linear_regions
    g = sliced(name)
    w = Q(side) / 2
    lo, hi = Q(1, 2) - w, Q(1, 2) + w
    t0 = time.perf_counter()
    C = activation_regions(g, Domain.box([lo, lo], [hi, hi]))
    secs = time.perf_counter() - t0
    return {"model": name, "side": side, "regions": len(C), "linear": len(linear_regions(C)),
            "seconds": secs, "nodes": len(g.nodes)}


def figure(path: str, side: str) -> None:
    from tropexact.exact.numbers import Q
    from tropexact.plot import save_figure
    g = sliced("lenet")
    w = Q(side) / 2
    save_figure(g, "regions", path, window=(Q(1, 2) - w, Q(1, 2) + w, Q(1, 2) - w, Q(1, 2) + w),
                overwrite=True, name="LeNet 28x28 on a plane through three images",
                axes=("s", "t"))
    print(f"wrote {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", nargs="*", default=["lenet", "resnet", "mlp"])
    ap.add_argument("--side", nargs="*", default=None,
                    help="square sides (default: per model, see SIDES)")
    ap.add_argument("--figure", default=None, metavar="FILE.png")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    if args.figure:
        figure(args.figure, (args.side or SIDES["lenet"])[0])
        return
    print(f"{'model':7} {'square side':>11} {'regions':>8} {'linear':>7} {'seconds':>8} "
          f"{'peak MiB':>9}")
    for name in args.model:
        for side in args.side or SIDES[name]:
            p = subprocess.Popen([sys.executable, __file__, "--child", name, side],
                                 stdout=subprocess.PIPE, text=True)
            out = p.stdout.read() if p.stdout else ""
            _, status, usage = os.wait4(p.pid, 0)
            if status:
                print(f"{name:7} {side:>11} failed (status {status})")
                continue
            r = json.loads(out)
            print(f"{name:7} {side:>11} {r['regions']:8} {r['linear']:7} {r['seconds']:8.1f} "
                  f"{usage.ru_maxrss / 1024:9.0f}")


if __name__ == "__main__":
    main()
