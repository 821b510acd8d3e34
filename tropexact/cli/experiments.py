"""The commands over many networks or an architecture: bounds, search, verify --random."""

from __future__ import annotations

import argparse
from typing import Any

from tropexact.bounds import all_bounds, architecture
from tropexact.bounds.maxout import maxout_bounds, maxout_ranks
from tropexact.errors import InputError
from tropexact.exact.numbers import fmt
from tropexact.experiments.batch import record_failed, summary, verify_random
from tropexact.experiments.search import SearchSpec, search

from .options import parse_arch, parse_range
from .progress import bar
from .render import print_json

__all__ = ["bounds_command", "search_command", "verify_random_command"]


def verify_random_command(args: argparse.Namespace) -> int:
    """``verify --random N --arch ...``: the theorem checks on N seeded random networks."""
    if args.network is not None:
        raise InputError("give either NET or --random N, not both")
    if args.slice:
        raise InputError("--slice applies to a network file, not to --random")
    if not args.arch:
        raise InputError("--random needs --arch D,N1,...,P")
    arch = parse_arch(args.arch)
    lo, hi = parse_range(args.weights, "--weights")
    with bar("networks", total=args.random, quiet=args.quiet, extra="failed") as show:
        recs = verify_random(arch, args.random, seed=args.seed, lo=lo, hi=hi,
                             workers=args.workers, dask=args.dask, out_dir=args.out,
                             resume=args.resume, progress=show)
    rows = summary(recs)
    failed = [r for r in recs if record_failed(r)]
    if args.json:
        print_json({"architecture": list(arch), "networks": len(recs), "seed": args.seed,
                    "weights": args.weights,
                    "checks": [{"name": n, "passed": t["pass"], "failed": t["fail"],
                                "not_applicable": t["not applicable"], "not_run": t["not run"]}
                               for n, t in rows],
                    "failed_networks": [r["index"] for r in failed], "passed": not failed})
        return 0 if not failed else 1
    print(f"{len(recs)} random networks {args.arch} (weights {args.weights}, seed {args.seed})")
    print(f"  {'check':<20}{'passed':>8}{'failed':>8}{'n/a':>6}{'not run':>9}")
    for n, t in rows:
        print(f"  {n:<20}{t['pass']:>8}{t['fail']:>8}{t['not applicable']:>6}{t['not run']:>9}")
    if failed:
        r = failed[0]
        bad = next(c for c in r["checks"] if c["status"] == "fail")
        print(f"first failure: network {r['index']} (params {r['params']}): "
              f"{bad['name']}: {bad['detail']}")
    print("no check failed" if not failed else "SOME CHECKS FAILED")
    return 0 if not failed else 1


def bounds_command(args: argparse.Namespace) -> int:
    try:
        arch = architecture(args.arch)
    except InputError as e:
        raise e.at("--arch") from None
    if args.pieces is None:
        found = all_bounds(arch)
    else:
        ranks = maxout_ranks(arch, args.pieces)
        found = maxout_bounds(arch, ranks)
    if args.json:
        out: dict[str, Any] = {"architecture": arch.as_list(),
                               "bounds": {k: b.value for k, b in found.items()}}
        if args.pieces is not None:
            out["pieces"] = list(ranks)
        if args.symbolic:
            out["symbolic"] = {k: None if b.expression is None else str(b.expression)
                               for k, b in found.items()}
            out["hypotheses"] = {k: b.hypotheses for k, b in found.items()}
            out["references"] = {k: b.reference for k, b in found.items()}
        print_json(out)
        return 0
    widths = ", ".join(map(str, arch.widths))
    units = "" if args.pieces is None else \
        f" maxout units of rank {','.join(map(str, ranks))},"
    print(f"architecture {arch}: input dimension d = {arch.input_dim}, hidden widths "
          f"({widths}),{units} linear output of width {arch.output_dim}")
    rows = [(k, b.kind, "n/a" if b.value is None else fmt(b.value), b.hypotheses)  # any length
            for k, b in found.items()]
    w = [max(len(r[i]) for r in rows + [("bound", "kind", "value", "")]) for i in range(3)]
    print(f"  {'bound':<{w[0]}}  {'kind':<{w[1]}}  {'value':>{w[2]}}  hypotheses")
    for name, kind, value, hyp in rows:
        print(f"  {name:<{w[0]}}  {kind:<{w[1]}}  {value:>{w[2]}}  {hyp}")
    print("  (upper: no network of this architecture has more linear regions; lower: some "
          "network has at least this many)" if args.pieces is None else
          "  (upper: no network of this architecture has more activation regions, hence "
          "linear regions)")
    if args.symbolic:
        print("\nformulas (d = input dimension, n1..nL = hidden widths" +
              ("):" if args.pieces is None else ", k = rank):"))
        for k, b in found.items():
            print(f"  {k}: {'n/a at this depth' if b.expression is None else b.expression}")
            print(f"    {b.reference}")
    return 0


def search_command(args: argparse.Namespace) -> int:
    lo, hi = parse_range(args.weights, "--weights")
    spec = SearchSpec(arch=parse_arch(args.arch), lo=lo, hi=hi, budget=args.budget,
                      seed=args.seed, objective=args.objective, bound=args.bound,
                      chain_length=args.chain_length)
    with bar("networks", total=spec.budget, quiet=args.quiet, extra="best") as show:
        r = search(spec, out_dir=args.out, workers=args.workers, dask=args.dask,
                   resume=args.resume, progress=show)
    name = "counterexample" if r.counterexample else "best"
    if args.json:
        print_json({"architecture": list(spec.arch), "objective": spec.objective,
                    "best": r.best_count, "chain": r.best_chain, "evaluations": r.evaluations,
                    "bound": spec.bound, "bound_value": r.bound_value,
                    "counterexample": r.counterexample, "network": r.best_network.to_dict(),
                    "files": None if args.out is None else {
                        "results": f"{args.out}/results.jsonl",
                        "network": f"{args.out}/{name}.json",
                        "certificate": f"{args.out}/{name}.cert.json"}})
        return 0
    print(f"search {'-'.join(map(str, spec.arch))}, weights {args.weights}, {spec.objective}: "
          f"best {r.best_count} (chain {r.best_chain}) after {r.evaluations} networks")
    if spec.bound is not None:
        verdict = "COUNTEREXAMPLE found" if r.counterexample else "no network above it found"
        print(f"  bound {spec.bound} = {fmt(r.bound_value)}: {verdict}")
    if args.out:
        print(f"  {name} network and certificate in {args.out}/ (check it: tropexact "
              f"check {args.out}/{name}.cert.json)")
    return 0
