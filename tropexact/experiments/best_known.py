"""Regression data: the best region counts found per architecture, with their networks.

``data/regions/best_known.json`` lists, for each architecture (d, n_1, …, n_L, 1),
the best exact linear-region and activation-region counts the search found,
the network attaining each, and every bound of docs/design.md §4.  The test suite
recomputes every recorded count exactly and checks it against the bounds, so
a regression in the enumerator, or a "best" network that is not, fails loudly.

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
from tropexact.bounds.published import UPPER, all_bounds
from tropexact.networks.files import load_json, write_json
from tropexact.networks.io import network_from_dict

from .search import OBJECTIVES, SearchSpec, count, search

__all__ = ["ARCHITECTURES", "entry", "build", "recheck"]

ARCHITECTURES = [
    (1, 2, 1), (1, 3, 1), (1, 2, 2, 1), (1, 3, 3, 1), (1, 4, 4, 1), (1, 2, 2, 2, 1),
    (2, 2, 1), (2, 3, 1), (2, 4, 1), (2, 1, 3, 1), (2, 2, 2, 1), (2, 3, 3, 1),
    (2, 2, 2, 2, 1), (3, 3, 3, 1),
]


def _bounds(arch: Sequence[int]) -> dict:
    return {name: b.value for name, b in all_bounds(arch).items()}


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
    prev = {tuple(e["architecture"]): e for e in (old or {}).get("entries", [])}
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
    return {"format": "tropexact-best-known", "version": 1,
            "note": "Best exact counts found by 'tropexact search' (lower bounds on the true "
                    "maxima), the networks attaining them, and the bounds of docs/design.md "
                    "section 4 (null where a bound's hypotheses fail).",
            "entries": entries}


def recheck(e: dict) -> list[str]:
    """Problems with one entry: recomputed counts, bound values, counts above upper bounds."""
    problems = []
    arch = tuple(e["architecture"])
    for obj in OBJECTIVES:
        net = network_from_dict(e[obj]["network"])
        if net.widths != arch:
            problems.append(f"{arch}: {obj} network has architecture {net.widths}")
            continue
        got = count(net, obj)
        if got != e[obj]["count"]:
            problems.append(f"{arch}: recorded {obj} {e[obj]['count']}, recomputed {got}")
    bounds = _bounds(arch)
    if bounds != e["bounds"]:
        problems.append(f"{arch}: recorded bounds {e['bounds']} differ from {bounds}")
    for name, b in all_bounds(arch).items():
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
