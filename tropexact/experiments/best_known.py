"""Regression data: the best region counts found per architecture, with their networks.

``data/regions/best_known.json`` lists, for each architecture (d, n_1, …, n_L, 1),
the best exact linear-region and activation-region counts the search found,
the network attaining each, and every bound of docs/design.md §4.  The test suite
recomputes every recorded count exactly and checks it against the bounds, so
a regression in the enumerator, or a "best" network that is not, fails loudly.

An entry with the key ``"pieces": k`` is a maxout architecture: its hidden layers are
layers of rank-k maxout units (n_l units, k·n_l weight rows), its networks say so,
and its ``"bounds"`` are the maxout bounds of :mod:`tropexact.bounds.maxout`.  An
entry without the key is a ReLU architecture, as before (the key is optional, so
older files read unchanged).  The maxout entries come from
:func:`~tropexact.bounds.maxout_constructions.generic_maxout_layer`, whose counts
equal the sharp bound: they are the true maxima, not only the best found.

Rebuild (or extend) the file with::

    python -m tropexact.experiments.best_known --budget 3000 --seed 0 [--workers 2]

Examples
--------
>>> e = entry((1, 2, 1), budget=30, seed=0, workers=1)
>>> e["linear_regions"]["count"], e["bounds"]["zaslavsky"]
(3, 3)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Sequence

from tropexact.bounds.constructions import general_position_one_layer, montufar_zigzag
from tropexact.bounds.maxout import maxout_bounds
from tropexact.bounds.maxout_constructions import generic_maxout_layer
from tropexact.bounds.published import UPPER, all_bounds
from tropexact.networks.files import load_json, write_json
from tropexact.networks.io import network_from_dict

from .search import OBJECTIVES, SearchSpec, count, search

__all__ = ["ARCHITECTURES", "MAXOUT_ARCHITECTURES", "entry", "maxout_entry", "build",
           "recheck"]

ARCHITECTURES = [
    (1, 2, 1), (1, 3, 1), (1, 2, 2, 1), (1, 3, 3, 1), (1, 4, 4, 1), (1, 2, 2, 2, 1),
    (2, 2, 1), (2, 3, 1), (2, 4, 1), (2, 1, 3, 1), (2, 2, 2, 1), (2, 3, 3, 1),
    (2, 2, 2, 2, 1), (3, 3, 3, 1),
]

#: (architecture, pieces k) of the maxout entries: one hidden layer of rank-k units.
MAXOUT_ARCHITECTURES = [
    ((1, 3, 1), 3), ((1, 2, 1), 4), ((2, 2, 1), 3), ((2, 3, 1), 3), ((2, 4, 1), 3),
    ((2, 3, 1), 4), ((3, 3, 1), 3),
]


def _bounds(arch: Sequence[int], pieces: int | None = None) -> dict:
    found = all_bounds(arch) if pieces is None else maxout_bounds(arch, pieces)
    return {name: b.value for name, b in found.items()}


def _found(pieces: int | None) -> Any:
    return all_bounds if pieces is None else (lambda a: maxout_bounds(a, pieces))


def maxout_entry(arch: Sequence[int], pieces: int) -> dict:
    """The entry of a one-hidden-layer maxout architecture, from the construction that
    attains the sharp bound (its counts recomputed exactly here)."""
    d, widths = arch[0], tuple(arch[1:-1])
    if len(widths) != 1 or arch[-1] != 1:
        raise ValueError(f"maxout entries have one hidden layer and one output, got {arch}")
    net = generic_maxout_layer(d, widths[0], pieces)
    rec: dict[str, Any] = {"architecture": list(arch), "pieces": pieces}
    for obj in OBJECTIVES:
        rec[obj] = {"count": count(net, obj), "network": net.to_dict(),
                    "construction": "generic_maxout_layer"}
    rec["bounds"] = _bounds(arch, pieces)
    return rec


def entry(arch: Sequence[int], *, budget: int, seed: int, lo: int = -3, hi: int = 3,
          workers: int | None = None) -> dict:
    """Search one architecture for both objectives; a JSON-ready record."""
    rec: dict[str, Any] = {"architecture": list(arch)}
    for obj in OBJECTIVES:
        spec = SearchSpec(arch=tuple(arch), lo=lo, hi=hi, budget=budget, seed=seed,
                          objective=obj)
        r = search(spec, workers=workers)
        rec[obj] = {"count": r.best_count, "network": r.best_network.to_dict(),
                    "search": {"weights": f"{lo}..{hi}", "budget": budget, "seed": seed}}
    rec["bounds"] = _bounds(arch)
    return rec


def constructions(arch: Sequence[int]) -> list[tuple[str, Any]]:
    """The known constructions that fit *arch* (one output): (name, network)."""
    d, widths = arch[0], tuple(arch[1:-1])
    if arch[-1] != 1 or min(widths) < d:
        return []
    out = [("montufar_zigzag", montufar_zigzag(d, widths))]
    if len(widths) == 1:
        out.append(("general_position_one_layer", general_position_one_layer(d, widths[0])))
    return out


def build(archs: Sequence[Sequence[int]] = ARCHITECTURES, *, budget: int = 3000,
          seed: int = 0, workers: int | None = None, old: dict | None = None) -> dict:
    """Entries for every architecture: the search's best, a construction's when higher,
    and an older record's when higher still."""
    prev = {tuple(e["architecture"]): e for e in (old or {}).get("entries", [])
            if "pieces" not in e}
    entries = []
    for arch in archs:
        e = entry(arch, budget=budget, seed=seed, workers=workers)
        for name, net in constructions(arch):
            for obj in OBJECTIVES:
                c = count(net, obj)
                if c > e[obj]["count"]:
                    e[obj] = {"count": c, "network": net.to_dict(),
                              "construction": name}
        p = prev.get(tuple(arch))
        if p is not None:
            for obj in OBJECTIVES:
                if p[obj]["count"] > e[obj]["count"]:
                    e[obj] = p[obj]
        entries.append(e)
        print(f"{'-'.join(map(str, arch))}: linear {e['linear_regions']['count']}, "
              f"activation {e['activation_regions']['count']}", file=sys.stderr)
    entries += [maxout_entry(arch, k) for arch, k in MAXOUT_ARCHITECTURES]
    return {"format": "tropexact-best-known", "version": 1,
            "note": "Best exact counts found by 'tropexact search' (lower bounds on the true "
                    "maxima), the networks attaining them, and the bounds of docs/design.md "
                    "section 4 (null where a bound's hypotheses fail).",
            "entries": entries}


def recheck(e: dict) -> list[str]:
    """Problems with one entry: recomputed counts, bound values, counts above upper bounds."""
    problems = []
    arch = tuple(e["architecture"])
    pieces = e.get("pieces")
    for obj in OBJECTIVES:
        net = network_from_dict(e[obj]["network"])
        if net.widths != arch:
            problems.append(f"{arch}: {obj} network has architecture {net.widths}")
            continue
        ks = {l.pieces for l in net.layers[:-1]}
        if pieces is not None and ks != {pieces}:
            problems.append(f"{arch}: {obj} network has pieces {sorted(ks)}, not {pieces}")
        got = count(net, obj)
        if got != e[obj]["count"]:
            problems.append(f"{arch}: recorded {obj} {e[obj]['count']}, recomputed {got}")
    bounds = _bounds(arch, pieces)
    if bounds != e["bounds"]:
        problems.append(f"{arch}: recorded bounds {e['bounds']} differ from {bounds}")
    for name, b in _found(pieces)(arch).items():
        if b.kind == UPPER and b.applicable:
            for obj in OBJECTIVES:
                if e[obj]["count"] > b.value:
                    problems.append(f"{arch}: {obj} {e[obj]['count']} exceeds {name} {b.value}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tropexact.experiments.best_known",
                                 description="Rebuild data/regions/best_known.json.")
    ap.add_argument("--out", default="data/regions/best_known.json")
    ap.add_argument("--budget", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    old = load_json(args.out) if os.path.exists(args.out) else None
    data = build(budget=args.budget, seed=args.seed, workers=args.workers, old=old)
    write_json(data, args.out, overwrite=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
