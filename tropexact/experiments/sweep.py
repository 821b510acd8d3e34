"""Exhaustive sweeps: the exact maximum region count over a finite family of networks.

The family: every network of an architecture (d, n_1, …, n_L, 1) whose hidden
weights lie in ``weights`` and hidden biases in ``biases`` (e.g. [−2, 2] with 0
excluded), with any output weights from ``weights`` and output bias 0.

Two exact reductions keep the sweep small without leaving anything out:

* **Output weights up to scale.** The linear regions of c·h + b do not depend
  on the output bias b, nor on a nonzero scaling of c (two maps are equal iff
  their scalings are).  So one hidden configuration is enumerated once, with
  its last hidden layer as the output (the regions carry the maps of h), and
  the linear regions of every primitive direction c are grouped from that one
  complex (c = 0 gives a single region).
* **Neuron permutations.** Permuting the neurons of a hidden layer (and the
  matching columns of the next layer) gives the same function; only the
  lexicographically smallest configuration of each orbit is enumerated.  The
  output directions c are all enumerated, so the last layer's permutations are
  covered too.

Examples
--------
All networks 1-1-1-1 with weights in {−1, 0, 1} and biases in {−1, 1}:

>>> r = exhaustive_max((1, 1, 1), weights=(-1, 0, 1), biases=(-1, 1), workers=1)
>>> r["max_linear_regions"], r["hidden_configurations"]
(3, 36)
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Iterable, Sequence

from tropexact.exact.linalg import primitive
from tropexact.networks.model import network
from tropexact.regions import activation_regions, equal_map_components

from .parallel import ordered_map
from .search import split_params

__all__ = ["exhaustive_max", "output_directions"]


def output_directions(n: int, weights: Sequence[int]) -> list[tuple]:
    """Primitive integer vectors in weights^n, one per line through 0 (first nonzero > 0)."""
    out = set()
    for c in itertools.product(weights, repeat=n):
        if not any(c):
            continue
        v = primitive(c)
        if next(x for x in v if x) < 0:
            v = tuple(-x for x in v)
        if all(x in weights or -x in weights for x in v):
            out.add(v)
    return sorted(out)


def _canonical(arch: Sequence[int], cfg: tuple) -> bool:
    """Is cfg the smallest of its orbit under permutations of hidden neurons?"""
    layers = split_params(arch, cfg)
    best = cfg
    perms = [list(itertools.permutations(range(arch[i + 1]))) for i in range(len(arch) - 1)]
    for choice in itertools.product(*perms):
        new, prev = [], tuple(range(arch[0]))
        for (W, b), p in zip(layers, choice):
            rows = [tuple(W[r][c] for c in prev) for r in p]
            new += [x for row in rows for x in row] + [b[r] for r in p]
            prev = p
        if tuple(new) < best:
            return False
    return True


def _count(task: tuple) -> tuple[int, int, tuple | None, tuple]:
    """(max linear regions, activation regions, best direction, cfg) of one hidden config."""
    arch, cfg, directions = task
    layers = [{"weight": [list(r) for r in W], "bias": list(b), "activation": "relu"}
              for W, b in split_params(arch, cfg)]
    n = arch[-1]
    layers.append({"weight": [[int(i == j) for j in range(n)] for i in range(n)],
                   "bias": [0] * n, "activation": "identity"})
    C = activation_regions(network(arch[0], layers))
    edges = list(C.graph.edges)
    best, best_c = 1, None
    for c in directions:
        maps = [(tuple(sum(ci * r.weight[i][j] for i, ci in enumerate(c))
                       for j in range(arch[0])),
                 sum(ci * r.bias[i] for i, ci in enumerate(c))) for r in C.regions]
        k = len(equal_map_components(maps, edges))
        if k > best:
            best, best_c = k, c
    return best, len(C.regions), best_c, cfg


def exhaustive_max(hidden_arch: Sequence[int], weights: Iterable[int], biases: Iterable[int],
                   workers: int = 1, chunksize: int = 256) -> dict:
    """Exact maximum of linear (and activation) regions over the family (module docstring).

    Parameters
    ----------
    hidden_arch : (d, n_1, …, n_L)
        Input dimension and hidden widths; the output is one linear neuron.
    weights, biases : iterables of int
        The values allowed for weights (hidden and output) and hidden biases.
    workers : int
        Local worker processes (1 runs in this process); the result is the same.
    chunksize : int
        Hidden configurations sent to a worker at a time
        (:func:`~tropexact.experiments.parallel.ordered_map`).

    Returns
    -------
    dict
        ``max_linear_regions``, ``max_activation_regions``, a network attaining the
        linear maximum (``argmax``: hidden config and output direction), and the
        sizes of the family.
    """
    arch = tuple(hidden_arch)
    weights, biases = tuple(sorted(set(weights))), tuple(sorted(set(biases)))
    slots = []
    for i in range(len(arch) - 1):
        slots += [weights] * (arch[i] * arch[i + 1]) + [biases] * arch[i + 1]
    directions = output_directions(arch[-1], weights)
    tasks = ((arch, cfg, directions) for cfg in itertools.product(*slots)
             if _canonical(arch, cfg))
    best: tuple[Any, ...] = (0, 0, None, None)
    max_act, n = 0, 0
    for res in ordered_map(_count, tasks, workers, chunksize=chunksize):
        n += 1
        max_act = max(max_act, res[1])
        if res[0] > best[0]:
            best = res
    return {
        "hidden_architecture": list(arch), "weights": list(weights), "biases": list(biases),
        "family_size": math.prod(len(s) for s in slots) * len(weights) ** arch[-1],
        "hidden_configurations": n, "output_directions": [list(c) for c in directions],
        "max_linear_regions": best[0], "max_activation_regions": max_act,
        "argmax": {"hidden": list(best[3]) if best[3] else None,
                   "output": list(best[2]) if best[2] else None},
    }
