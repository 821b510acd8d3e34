"""A trained 64-32-32-10 digit classifier, sliced through images of a 0, a 1 and a 2.

Trains an MLP Linear(64,32)-ReLU-Linear(32,32)-ReLU-Linear(32,10) (identity output)
on scikit-learn's 8×8 digits (1,797 images, pixels 0..16 divided by 16), the first
1,500 images for training and the other 297 for testing, with 400 full-batch Adam
steps (lr 0.01, cross-entropy), seeded and deterministic on the CPU (one thread).
It prints the accuracies and writes, under ``bench/data/``:

* ``digits_64_32_32_10.json``: the model converted with ``tropexact convert`` (exact
  binary rationals, no rounding);
* ``digits_plane_012.json``: the plane P + s·U + t·V with P the first test image of
  a 0, P + U the first of a 1 and P + V the first of a 2 (``--slice`` takes the file);
* ``digits_012.csv``: the test images of 0, 1 and 2 as points of Q^64 with their
  labels (``--points`` projects them orthogonally onto the plane, exactly).

Then it draws ``docs/figures/digits_slice.png``: the decision figure of the slice,
coloured by the winning digit, with the test images projected and P, P + U, P + V
named.  Rerunning says whether the files are identical to the committed ones.

Usage: python bench/digits.py [--figure docs/figures/digits_slice.png]
(needs torch and scikit-learn: pip install 'tropexact[torch,bench]')
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
NET = DATA / "digits_64_32_32_10.json"
PLANE = DATA / "digits_plane_012.json"
POINTS = DATA / "digits_012.csv"
FIGURE = HERE.parent / "docs" / "figures" / "digits_slice.png"
N_TRAIN, STEPS, LR, SEED = 1500, 400, 0.01, 0


def digits():
    """(X, y) of scikit-learn's 8×8 digits, pixels as exact fractions k/16."""
    from sklearn.datasets import load_digits

    d = load_digits()
    X = [[Fraction(int(v), 16) for v in row] for row in d.data.tolist()]
    return X, [int(k) for k in d.target.tolist()]


def train(X: list, y: list):
    """The trained nn.Sequential, its training and test accuracies."""
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    Xt = torch.tensor([[float(v) for v in row] for row in X], dtype=torch.float32)
    yt = torch.tensor(y)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 10))
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(Xt[:N_TRAIN]), yt[:N_TRAIN])
        loss.backward()
        opt.step()
    with torch.no_grad():
        pred = model(Xt).argmax(1)
    train_acc = (pred[:N_TRAIN] == yt[:N_TRAIN]).float().mean().item()
    test_acc = (pred[N_TRAIN:] == yt[N_TRAIN:]).float().mean().item()
    return model.eval(), train_acc, test_acc


def _write(path: Path, data: bytes) -> str:
    old = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return ("new file" if old is None else "identical to the previous file" if old == data
            else "DIFFERS from the previous file")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--figure", default=str(FIGURE), help="figure of the slice to (re)write")
    args = ap.parse_args()
    import torch

    X, y = digits()
    model, train_acc, test_acc = train(X, y)
    print(f"64-32-32-10 on the 8x8 digits ({N_TRAIN} training images, {STEPS} Adam steps): "
          f"training accuracy {train_acc:.3f}, test accuracy {test_acc:.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        pt, js = os.path.join(tmp, "digits.pt"), os.path.join(tmp, "digits.json")
        torch.save(model, pt)
        subprocess.run([sys.executable, "-m", "tropexact", "convert", pt, "-o", js, "--quiet"],
                       check=True)
        print(f"wrote {NET}: {_write(NET, Path(js).read_bytes())}")
    test = list(range(N_TRAIN, len(X)))
    first = {k: next(i for i in test if y[i] == k) for k in (0, 1, 2)}
    P = X[first[0]]
    plane = {"point": [str(v) for v in P],
             "u": [str(a - b) for a, b in zip(X[first[1]], P)],
             "v": [str(a - b) for a, b in zip(X[first[2]], P)]}
    print(f"wrote {PLANE}: {_write(PLANE, (json.dumps(plane) + chr(10)).encode())}")
    rows = [",".join(str(v) for v in X[i]) + f",{y[i]}" for i in test if y[i] in (0, 1, 2)]
    header = ",".join(f"x{j}" for j in range(64)) + ",label"
    print(f"wrote {POINTS} ({len(rows)} test images of 0, 1, 2): "
          f"{_write(POINTS, (header + chr(10) + chr(10).join(rows) + chr(10)).encode())}")
    t0 = time.perf_counter()
    root = HERE.parent
    out = subprocess.run([sys.executable, "-m", "tropexact", "plot", str(NET.relative_to(root)),
                          "--slice", str(PLANE.relative_to(root)), "--what", "decision",
                          "--points", str(POINTS.relative_to(root)),
                          "--anchor-labels", "a 0,a 1,a 2", "-o", os.path.abspath(args.figure),
                          "--force", "--quiet"], check=True, capture_output=True, text=True,
                         cwd=root).stdout
    print(f"{out.strip()} ({time.perf_counter() - t0:.1f} s with start-up)")


if __name__ == "__main__":
    main()
