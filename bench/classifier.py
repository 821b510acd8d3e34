"""A small trained classifier for the benchmarks: 2-16-16-2 on two-moons data.

Trains an MLP Linear(2,16)-ReLU-Linear(16,16)-ReLU-Linear(16,2) (identity output) on
two-moons data with 600 full-batch Adam steps (lr 0.01, cross-entropy), everything
seeded and deterministic on the CPU (one thread), prints the training accuracy, saves
the model with ``torch.save`` and converts it with ``tropexact convert`` (exact binary
rationals, no rounding) into ``bench/data/moons_2_16_16_2.json``.  That file is
committed, so ``bench/scale.py`` needs no torch; rerunning this script regenerates it
and says whether the new file is identical to the committed one.

Two-moons data (the formula of scikit-learn's ``make_moons``, which is not a
dependency): N/2 points (cos t, sin t) and N/2 points (1 - cos t, 1/2 - sin t), t evenly
spaced in [0, pi], plus N(0, 0.1^2) noise from a seeded ``torch.Generator``.

The training points go to ``bench/data/moons_points.csv`` (columns x0,x1,label, the
float32 coordinates to 6 decimals), the data overlaid by ``tropexact plot --points``.

Usage: python bench/classifier.py [--out bench/data/moons_2_16_16_2.json]
                                  [--points-out bench/data/moons_points.csv]
(needs torch: pip install 'tropexact[torch]')
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data" / "moons_2_16_16_2.json"
DEFAULT_POINTS = HERE / "data" / "moons_points.csv"
N_SAMPLES, NOISE, STEPS, LR, SEED = 200, 0.1, 600, 0.01, 0


def two_moons(n: int, noise: float, seed: int):
    """(X, y): n points of the two interleaving half circles, labels 0 and 1."""
    import torch

    g = torch.Generator().manual_seed(seed)
    n_out, n_in = n // 2, n - n // 2
    t_out = torch.linspace(0, math.pi, n_out, dtype=torch.float64)
    t_in = torch.linspace(0, math.pi, n_in, dtype=torch.float64)
    X = torch.cat([torch.stack([torch.cos(t_out), torch.sin(t_out)], 1),
                   torch.stack([1 - torch.cos(t_in), 0.5 - torch.sin(t_in)], 1)])
    X = X + noise * torch.randn(X.shape, generator=g, dtype=torch.float64)
    y = torch.cat([torch.zeros(n_out, dtype=torch.long), torch.ones(n_in, dtype=torch.long)])
    return X.float(), y


def train():
    """The trained nn.Sequential and its training accuracy."""
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    X, y = two_moons(N_SAMPLES, NOISE, SEED)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                          nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = (model(X).argmax(1) == y).float().mean().item()
    return model.eval(), acc, loss.item()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="network file to (re)write")
    ap.add_argument("--points-out", default=str(DEFAULT_POINTS),
                    help="CSV file of the training points to (re)write")
    args = ap.parse_args()
    import torch

    X, y = two_moons(N_SAMPLES, NOISE, SEED)
    rows = [f"{a:.6f},{b:.6f},{int(k)}" for (a, b), k in zip(X.tolist(), y.tolist())]
    Path(args.points_out).write_text("x0,x1,label\n" + "\n".join(rows) + "\n")
    print(f"wrote {args.points_out} ({len(rows)} points)")

    model, acc, loss = train()
    print(f"2-16-16-2 on two moons ({N_SAMPLES} points, noise {NOISE}), {STEPS} Adam steps: "
          f"training accuracy {acc:.3f}, final loss {loss:.4f}")
    out = Path(args.out)
    old = out.read_bytes() if out.exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        pt, js = os.path.join(tmp, "moons.pt"), os.path.join(tmp, "moons.json")
        torch.save(model, pt)
        subprocess.run([sys.executable, "-m", "tropexact", "convert", pt, "-o", js, "--quiet"],
                       check=True)
        new = Path(js).read_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(new)
    state = ("new file" if old is None else
             "identical to the previous file" if old == new else "DIFFERS from the previous file")
    print(f"wrote {out} ({len(new)} bytes): {state}")


if __name__ == "__main__":
    main()
