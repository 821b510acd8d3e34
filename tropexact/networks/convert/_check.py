"""The forward-pass comparison of a converted network with its model.

Sample points are dyadic rationals k / 2^m in [-1, 1]^d (m = 16 for float32 and
float64 models, 10 for float16, 7 for bfloat16), so the model sees exactly the
point the exact network sees.  The model's output floats are read exactly, and
the deviation is the exact maximum of |model − network| over points and outputs.

Examples
--------
>>> from tropexact.networks.model import network
>>> net = network(1, [{"weight": [[2]], "bias": [0], "activation": "identity"}])
>>> pts = sample_points(1, 3, seed=0, bits=4)
>>> all(-1 <= p[0] <= 1 and p[0].denominator <= 16 for p in pts)
True
>>> compare(net, lambda xs: [[2 * x[0] + 2.0 ** -20] for x in xs], pts)
(mpq(1,1048576), None)
"""

from __future__ import annotations

import math
import random
from typing import Callable, Sequence

from tropexact.networks.model import Network
from tropexact.exact.numbers import Q, to_rational

__all__ = ["sample_points", "compare"]


def sample_points(d: int, n: int, seed: int, bits: int) -> list[tuple]:
    """*n* seeded points of [-1, 1]^d with coordinates k / 2^bits (exact ``mpq``)."""
    rng = random.Random(seed)
    top = 2 ** bits
    return [tuple(Q(rng.randint(-top, top), top) for _ in range(d)) for _ in range(n)]


class _IntegerForward:
    """The exact forward pass of *net* on Python integers (faster than mpq for big layers).

    A vector is kept as integer numerators over one common denominator; each
    layer's weights are scaled to integers once.  The result equals ``net(x)``.
    """

    def __init__(self, net: Network) -> None:
        self.layers = []
        for lay in net.layers:
            dw = 1
            for row in lay.weight:
                for w in row:
                    dw = math.lcm(dw, int(w.denominator))
            W = [[int(w * dw) for w in row] for row in lay.weight]
            self.layers.append((W, dw, lay.bias, lay.activation, lay.threshold,
                                lay.negative_slope))

    def __call__(self, x: Sequence) -> tuple:
        den = 1
        for v in x:
            den = math.lcm(den, int(v.denominator))
        X = [int(v * den) for v in x]
        for W, dw, bias, act, threshold, slope in self.layers:
            # z = (W X) / (dw den) + b  -> numerators over D
            D = dw * den
            for b in bias:
                D = math.lcm(D, int(b.denominator))
            if act == "relu":
                D = math.lcm(D, int(threshold.denominator))
            k = D // (dw * den)
            Z = [k * sum(w * v for w, v in zip(row, X) if w) + int(b * D)
                 for row, b in zip(W, bias)]
            if act == "relu":
                t = int(threshold * D)
                Z = [z if z > t else t for z in Z]
            elif act == "leaky_relu":
                p, q = int(slope.numerator), int(slope.denominator)
                Z = [z * q if z >= 0 else z * p for z in Z]
                D *= q
            X, den = Z, D
        return tuple(Q(z, den) for z in X)


def compare(net: Network, forward: Callable[[list], list], points: Sequence[tuple]) -> tuple:
    """(deviation, None), or (None, reason) when the model could not be compared.

    *forward* takes a list of points as lists of Python floats and returns one
    list of output floats per point.
    """
    floats = [[float(v) for v in p] for p in points]
    try:
        outs = forward(floats)
    except Exception as e:  # the model's own forward pass failed: report, do not crash
        msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
        return None, f"forward-pass comparison failed: the model raised {type(e).__name__}" + (
            f": {msg}" if msg else "")
    outs = [list(o) for o in outs]
    if len(outs) != len(points):
        return None, (f"forward-pass comparison failed: the model gave {len(outs)} outputs "
                      f"for {len(points)} points")
    worst = Q(0)
    exact = _IntegerForward(net)
    for p, y in zip(points, outs):
        z = exact(p)
        if len(y) != len(z):
            return None, (f"forward-pass comparison failed: the model has {len(y)} outputs, "
                          f"the converted network {len(z)}")
        for a, b in zip(y, z):
            a = float(a)
            if not math.isfinite(a):
                return None, (f"forward-pass comparison failed: the model output {a!r} "
                              "(not finite)")
            diff = abs(to_rational(a, allow_float=True) - b)
            if diff > worst:
                worst = diff
    return worst, None
