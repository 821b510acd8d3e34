"""The ``tropexact`` command line: a thin layer over the library.

Every subcommand takes ``--json`` and then prints exactly one JSON object on
stdout.  Exit status: 0 success, 2 bad input (one-line message on stderr
naming the problem), 1 failed verification.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from typing import Any, Sequence

from . import __version__
from .errors import BudgetExceeded, InputError, VerificationError
from .numbers import fmt

EXAMPLES = """\
examples:
  tropexact tropicalize data/networks/zhang2018_example_c2.json
  tropexact tropicalize data/networks/zhang2018_example_c2.json --json
  tropexact regions data/networks/zhang2018_example_c2.json
  tropexact regions data/networks/zhang2018_example_c2.json --domain box:-3,3 --certificate c2.cert.json
  tropexact check c2.cert.json
  tropexact verify data/networks/zhang2018_example_c2.json --json
  tropexact bounds --arch 2,4,4,1 --symbolic
"""

REGIONS_EXAMPLES = """\
examples:
  tropexact regions data/networks/zhang2018_example_c2.json
  tropexact regions NET.json --domain box:-1,1 --json
  tropexact regions NET.json --domain box:0,1,-2,2 --certificate NET.cert.json
  tropexact regions NET.json --domain polytope:triangle.json --no-tropical --max-regions 100000
"""

VERIFY_EXAMPLES = """\
examples:
  tropexact verify data/networks/zhang2018_example_c2.json
  tropexact verify NET.json --domain box:-2,2 --json
  tropexact verify --random 100 --arch 2,4,4,1 --seed 0
  tropexact verify --random 1000 --arch 2,3,3,1 --workers 2 --out runs/v233 --resume
"""

SEARCH_EXAMPLES = """\
examples:
  tropexact search --arch 1,2,2,1 --weights -3..3 --budget 2000 --seed 0 --out runs/122
  tropexact search --arch 1,3,3,1 --bound "1 + n1 + n2" --out runs/cx
  tropexact search --arch 2,2,2,1 --bound serra2018 --workers 2 --out runs/serra
  tropexact search --arch 2,3,3,1 --dask tcp://scheduler:8786 --out runs/233 --resume
"""

CHECK_EXAMPLES = """\
examples:
  tropexact regions NET.json --domain box:-1,1 --certificate NET.cert.json
  tropexact check NET.cert.json
"""


BOUNDS_EXAMPLES = """\
examples:
  tropexact bounds --arch 2,4,4,1
  tropexact bounds --arch 2,4,4,1 --json
  tropexact bounds --arch 1,3,3,1 --symbolic
  tropexact bounds --arch 3,4,4,4,1 --json --symbolic
"""


class _Parser(argparse.ArgumentParser):
    """argparse with exit status 2, one-line errors and 'did you mean' hints.

    Values such as ``-3..3`` (a range) are read as values, not as options.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d+\.\.-?\d+$")

    def error(self, message: str) -> Any:  # type: ignore[override]
        if "invalid choice" in message:
            bad = message.split("'")[1] if "'" in message else ""
            choices = [a for a in self._subcommands()]
            close = difflib.get_close_matches(bad, choices, n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
        self.exit(2, f"{self.prog}: error: {message}\n")

    def _subcommands(self) -> list[str]:
        for a in self._actions:
            if isinstance(a, argparse._SubParsersAction):
                return list(a.choices)
        return []


def _poly_json(p: Any, before: int | None) -> dict:
    return {"terms": before, "upper_vertices": len(p),
            "polynomial": [[*(fmt(a) for a in e), fmt(c)] for e, c in p.terms]}


def cmd_tropicalize(args: argparse.Namespace) -> int:
    from .io import load_network
    from .tropicalize import tropicalize

    net = load_network(args.network)
    if args.max_terms is not None and args.max_terms < 1:
        raise InputError(f"--max-terms must be >= 1, got {args.max_terms}")
    T = tropicalize(net, count_before=not args.no_count, max_terms=args.max_terms)
    if args.json:
        out = {
            "network": args.network,
            "input_dim": net.input_dim,
            "widths": list(net.widths),
            "outputs": [{"H": _poly_json(o.H, o.terms_before["H"]),
                         "F": _poly_json(o.F, o.terms_before["F"]),
                         "G": _poly_json(o.G, o.terms_before["G"])} for o in T.outputs],
            "terms_before_pruning": T.terms_before_pruning,
            "layers": [{"layer": s.layer, "terms_before_pruning": s.terms_before,
                        "terms_after_pruning": s.terms_after} for s in T.layers],
        }
        _print_json(out)
        return 0
    w = "-".join(str(n) for n in net.widths)
    print(f"network {args.network}: architecture {w}")
    for k, o in enumerate(T.outputs):
        print(f"\noutput {k}: nu_{k} = F_{k} - G_{k} (max-plus; H = pre-activation numerator)")
        print(f"  {'poly':<5}{'terms before pruning':>22}{'upper vertices':>16}")
        for name, p in (("H", o.H), ("G", o.G), ("F", o.F)):
            tb = o.terms_before[name]
            print(f"  {name:<5}{'?' if tb is None else tb:>22}{len(p):>16}")
        print(f"  F_{k} = {o.F}")
        print(f"  G_{k} = {o.G}")
    print("\nterms per layer (before -> after pruning, all neurons, F and G):")
    for s in T.layers:
        tb = "?" if s.terms_before is None else s.terms_before
        print(f"  layer {s.layer}: {tb} -> {s.terms_after}")
    return 0


def _progress(enabled: bool) -> Any:
    """A stderr progress line (regions found, rate) when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return None
    import time

    t0 = time.monotonic()

    def show(n: int) -> None:
        dt = max(time.monotonic() - t0, 1e-9)
        sys.stderr.write(f"\r  {n} regions so far, {n / dt:.0f} regions/s ")
        sys.stderr.flush()

    return show


def _end_progress(show: Any) -> None:
    if show is not None:
        sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()


def _enumerate(args: argparse.Namespace) -> tuple:
    """Load the network and domain, enumerate the regions; returns (net, domain, C, seconds)."""
    import time

    from .domain import parse_domain
    from .io import load_network
    from .regions import activation_regions

    net = load_network(args.network)
    domain = parse_domain(args.domain, net.input_dim) if args.domain else None
    if args.max_regions is not None and args.max_regions < 1:
        raise InputError(f"--max-regions must be >= 1, got {args.max_regions}")
    show = _progress(not args.quiet)
    t0 = time.perf_counter()
    try:
        C = activation_regions(net, domain, max_regions=args.max_regions, progress=show)
    finally:
        _end_progress(show)
    return net, domain, C, time.perf_counter() - t0


def _tropical_checks(net: Any, C: Any) -> tuple[list, list]:
    """Per output: cell counts and the instance checks of the correspondence and ν = F − G."""
    from .cells import rational_linear_regions, verify_tropical
    from .regions import linear_regions
    from .tropicalize import tropicalize

    T = tropicalize(net, count_before=False)
    counts, checks = [], []
    values = [net(r.point) for r in C.regions]
    for k, o in enumerate(T.outputs):
        corr = verify_tropical(o.F, o.G)
        counts.append({"F_cells": corr[0].upper_vertices, "G_cells": corr[1].upper_vertices,
                       "FG_cells": corr[2].upper_vertices})
        for c in corr:
            checks.append((f"correspondence {c.name} (output {k})", c.passed, c.detail))
        if C.domain is None and all(c.passed for c in corr):
            mine = len(linear_regions(C, k))
            theirs = len(rational_linear_regions(o.F, o.G, corr[2].region_graph))
            checks.append((f"linear regions two ways (output {k})", mine == theirs,
                           f"{mine} from the activation regions, {theirs} from the cells "
                           "of F*G"))
        bad = [i for i, r in enumerate(C.regions) if o.F(r.point) - o.G(r.point) != values[i][k]]
        checks.append((f"nu = F - G at region points (output {k})", not bad,
                       f"exact at all {len(C.regions)} interior points" if not bad else
                       f"differs at region {bad[0]} (point "
                       f"{', '.join(fmt(x) for x in C.regions[bad[0]].point)})"))
    return counts, checks


def cmd_regions(args: argparse.Namespace) -> int:
    from .certificate import write_certificate
    from .regions import affine_map_count, linear_regions

    net, domain, C, secs = _enumerate(args)
    if args.certificate:
        write_certificate(C, args.certificate, overwrite=args.force, protect=(args.network,))
    lin = len(linear_regions(C))
    maps = affine_map_count(C)
    tropical = None
    verified = False
    if not args.no_tropical:
        tropical, checks = _tropical_checks(net, C)
        verified = all(ok for _, ok, _ in checks)
    if args.json:
        _print_json({
            "network": args.network, "input_dim": net.input_dim,
            "domain": None if domain is None else domain.to_dict(),
            "activation_regions": len(C.regions), "linear_regions": lin, "affine_maps": maps,
            "bounded_regions": sum(r.bounded for r in C.regions),
            "adjacency_edges": C.graph.number_of_edges(),
            "tropical": tropical, "verified": verified,
            "certificate": args.certificate, "seconds": round(secs, 3)})
        return 0
    w = "-".join(str(n) for n in net.widths)
    where = "all of Q^%d" % net.input_dim if domain is None else args.domain
    print(f"network {args.network}: architecture {w}, domain {where}")
    print(f"  activation regions  {len(C.regions):>8}   ({sum(r.bounded for r in C.regions)} "
          f"bounded, {C.graph.number_of_edges()} adjacent pairs, {secs:.2f} s)")
    print(f"  linear regions      {lin:>8}")
    print(f"  distinct affine maps{maps:>8}")
    if tropical is not None:
        for k, t in enumerate(tropical):
            print(f"  output {k}: cells of F {t['F_cells']}, of G {t['G_cells']}, "
                  f"of F*G {t['FG_cells']}")
        print(f"  verified (regions <-> upper vertices for F, G, F*G; nu = F - G at every "
              f"region point): {'yes' if verified else 'NO'}")
    else:
        print("  tropical part skipped (--no-tropical)")
    if args.certificate:
        print(f"  certificate written to {args.certificate} (check it: tropexact check "
              f"{args.certificate})")
    return 0


def _arch(text: str) -> tuple:
    try:
        arch = tuple(int(t) for t in text.split(","))
    except ValueError:
        raise InputError(f"--arch expects comma-separated integers, got {text!r}") from None
    if len(arch) < 3 or min(arch) < 1:
        raise InputError(f"--arch needs input, hidden widths and output (all >= 1), got {text}")
    return arch


def _bar(quiet: bool, what: str) -> Any:
    """A stderr progress bar (done/total, and a third number) on a terminal."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, extra: int) -> None:
        w = 30
        k = min(w, w * done // max(total, 1))
        sys.stderr.write(f"\r  [{'#' * k}{'.' * (w - k)}] {done}/{total} {what} {extra} ")
        sys.stderr.flush()

    return show


def cmd_verify_random(args: argparse.Namespace) -> int:
    from .batch import summary, verify_random
    from .search import parse_range

    if args.network is not None:
        raise InputError("give either NET or --random N, not both")
    if not args.arch:
        raise InputError("--random needs --arch D,N1,...,P")
    lo, hi = parse_range(args.weights)
    show = _bar(args.quiet, "networks; failed")
    try:
        recs = verify_random(_arch(args.arch), args.random, seed=args.seed, lo=lo, hi=hi,
                             workers=args.workers, dask=args.dask, out_dir=args.out,
                             resume=args.resume, progress=show)
    finally:
        _end_progress(show)
    rows = summary(recs)
    failed = [r for r in recs if not all(c["passed"] for c in r["checks"])]
    if args.json:
        _print_json({"architecture": list(_arch(args.arch)), "networks": len(recs),
                     "seed": args.seed, "weights": args.weights,
                     "checks": [{"name": n, "passed": p, "failed": f, "not_applicable": na}
                                for n, p, f, na in rows],
                     "failed_networks": [r["index"] for r in failed],
                     "passed": not failed})
    else:
        print(f"{len(recs)} random networks {args.arch} (weights {args.weights}, seed "
              f"{args.seed})")
        print(f"  {'check':<20}{'passed':>8}{'failed':>8}{'n/a':>6}")
        for n, p, f, na in rows:
            print(f"  {n:<20}{p:>8}{f:>8}{na:>6}")
        if failed:
            r = failed[0]
            bad = next(c for c in r["checks"] if not c["passed"])
            print(f"first failure: network {r['index']} (params {r['params']}): "
                  f"{bad['name']}: {bad['detail']}")
        print("all checks passed" if not failed else "SOME CHECKS FAILED")
    return 0 if not failed else 1


def cmd_verify(args: argparse.Namespace) -> int:
    from .certificate import certificate
    from .checker import check_certificate
    from .regions import linear_regions

    if args.random is not None:
        return cmd_verify_random(args)
    if args.network is None:
        raise InputError("give a network file NET, or --random N --arch D,N1,...,P")
    net, domain, C, _ = _enumerate(args)
    tropical, checks = _tropical_checks(net, C)
    lin = len(linear_regions(C))
    checks.append(("linear regions <= activation regions", lin <= len(C.regions),
                   f"{lin} <= {len(C.regions)}"))
    for k, t in enumerate(tropical):
        lk = len(linear_regions(C, k))
        checks.append((f"linear regions <= cells of F*G (output {k})", lk <= t["FG_cells"],
                       f"{lk} <= {t['FG_cells']}"))
    rep = check_certificate(certificate(C))
    failed = [c for c in rep.checks if not c.passed]
    checks.append(("certificate (independent checker)", rep.passed,
                   "; ".join(f"{c.name}: {c.detail}" for c in failed) if failed else
                   ", ".join(c.name for c in rep.checks) + " passed"))
    if domain is None:
        from .theorems import check_all

        for t in check_all(net):
            if t.name != "correspondence":  # already checked above, output by output
                checks.append((f"theorem: {t.name}", t.passed, t.detail))
    passed = all(ok for _, ok, _ in checks)
    if args.json:
        _print_json({"network": args.network,
                     "checks": [{"name": n, "passed": ok, "detail": d} for n, ok, d in checks],
                     "passed": passed})
    else:
        print(f"network {args.network}: {len(C.regions)} activation regions, {lin} linear regions")
        for n, ok, d in checks:
            print(f"  [{'pass' if ok else 'FAIL'}] {n}: {d}")
        print("all checks passed" if passed else "SOME CHECKS FAILED")
    return 0 if passed else 1


def cmd_check(args: argparse.Namespace) -> int:
    from .checker import CertificateError, check_file

    try:
        rep = check_file(args.certificate)
    except CertificateError as e:
        raise InputError(str(e)) from None
    if args.json:
        _print_json({"certificate": args.certificate,
                     "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail}
                                for c in rep.checks], "passed": rep.passed})
    else:
        for c in rep.checks:
            print(f"  [{'pass' if c.passed else 'FAIL'}] {c.name}: {c.detail}")
        print("certificate verified" if rep.passed else "CERTIFICATE REJECTED")
    return 0 if rep.passed else 1


def cmd_bounds(args: argparse.Namespace) -> int:
    from .bounds import all_bounds, architecture

    arch = architecture(args.arch)
    bounds = all_bounds(arch)
    if args.json:
        out: dict[str, Any] = {"architecture": arch.as_list(),
                               "bounds": {k: b.value for k, b in bounds.items()}}
        if args.symbolic:
            out["symbolic"] = {k: None if b.expression is None else str(b.expression)
                               for k, b in bounds.items()}
            out["hypotheses"] = {k: b.hypotheses for k, b in bounds.items()}
            out["references"] = {k: b.reference for k, b in bounds.items()}
        _print_json(out)
        return 0
    widths = ", ".join(map(str, arch.widths))
    print(f"architecture {arch}: input dimension d = {arch.input_dim}, hidden widths "
          f"({widths}), linear output of width {arch.output_dim}")
    rows = [(k, b.kind, "n/a" if b.value is None else str(b.value), b.hypotheses)
            for k, b in bounds.items()]
    w = [max(len(r[i]) for r in rows + [("bound", "kind", "value", "")]) for i in range(3)]
    print(f"  {'bound':<{w[0]}}  {'kind':<{w[1]}}  {'value':>{w[2]}}  hypotheses")
    for name, kind, value, hyp in rows:
        print(f"  {name:<{w[0]}}  {kind:<{w[1]}}  {value:>{w[2]}}  {hyp}")
    print("  (upper: no network of this architecture has more linear regions; lower: some "
          "network has at least this many)")
    if args.symbolic:
        print("\nformulas (d = input dimension, n1..nL = hidden widths):")
        for k, b in bounds.items():
            print(f"  {k}: {'n/a at this depth' if b.expression is None else b.expression}")
            print(f"    {b.reference}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .search import SearchSpec, parse_range, search

    lo, hi = parse_range(args.weights)
    spec = SearchSpec(arch=_arch(args.arch), lo=lo, hi=hi, budget=args.budget, seed=args.seed,
                      objective=args.objective, bound=args.bound,
                      chain_length=args.chain_length)
    show = _bar(args.quiet, "networks; best")
    try:
        r = search(spec, out_dir=args.out, workers=args.workers, dask=args.dask,
                   resume=args.resume, progress=show)
    finally:
        _end_progress(show)
    name = "counterexample" if r.counterexample else "best"
    if args.json:
        _print_json({"architecture": list(spec.arch), "objective": spec.objective,
                     "best": r.best_count, "chain": r.best_chain, "evaluations": r.evaluations,
                     "bound": spec.bound, "bound_value": r.bound_value,
                     "counterexample": r.counterexample,
                     "network": r.best_network.to_dict(),
                     "files": None if args.out is None else {
                         "results": f"{args.out}/results.jsonl",
                         "network": f"{args.out}/{name}.json",
                         "certificate": f"{args.out}/{name}.cert.json"}})
    else:
        w = "-".join(map(str, spec.arch))
        print(f"search {w}, weights {args.weights}, {spec.objective}: best {r.best_count} "
              f"(chain {r.best_chain}) after {r.evaluations} networks")
        if spec.bound is not None:
            verdict = ("COUNTEREXAMPLE found" if r.counterexample else
                       "no network above it found")
            print(f"  bound {spec.bound} = {r.bound_value}: {verdict}")
        if args.out:
            print(f"  {name} network and certificate in {args.out}/ (check it: tropexact "
                  f"check {args.out}/{name}.cert.json)")
    return 0


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="tropexact",
                description="Exact tropical geometry of ReLU networks.",
                epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"tropexact {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    t = sub.add_parser("tropicalize", help="network -> tropical rational map F - G",
                       description="Compute the reduced tropical rational map F - G of a "
                       "network (Zhang-Naitzat-Lim, Thm 5.4) and the term counts before and "
                       "after pruning.", epilog=EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("network", metavar="NET", help="network file (tropexact-network JSON)")
    t.add_argument("--json", action="store_true", help="print one JSON object")
    t.add_argument("--no-count", action="store_true",
                   help="skip counting the terms before pruning (faster on large nets)")
    t.add_argument("--max-terms", type=int, default=None, metavar="N",
                   help="stop with exit status 2 when a reduced polynomial has more than N "
                   "terms (a guard for large networks)")
    t.set_defaults(func=cmd_tropicalize)

    def sweep_options(q: argparse.ArgumentParser) -> None:
        q.add_argument("--workers", type=int, default=None, metavar="K",
                       help="local worker processes (default: one per CPU)")
        q.add_argument("--dask", metavar="ADDRESS", default=None,
                       help="run on a Dask cluster (scheduler address; pip install "
                       "'tropexact[dask]'); results are identical to a local run")
        q.add_argument("--out", metavar="DIR", default=None,
                       help="stream results to DIR/results.jsonl (never overwritten)")
        q.add_argument("--resume", action="store_true",
                       help="continue an interrupted run in --out DIR")

    def region_options(q: argparse.ArgumentParser, net_optional: bool = False) -> None:
        q.add_argument("network", metavar="NET", nargs="?" if net_optional else None,
                       help="network file (tropexact-network JSON)")
        q.add_argument("--domain", metavar="SPEC", default=None,
                       help="box:lo,hi | box:lo1,hi1,...,lod,hid | polytope:FILE.json "
                       "(default: all of Q^d)")
        q.add_argument("--max-regions", type=int, default=None, metavar="N",
                       help="stop with exit status 2 beyond N activation regions")
        q.add_argument("--json", action="store_true", help="print one JSON object")
        q.add_argument("--quiet", action="store_true", help="no progress line on stderr")

    r = sub.add_parser("regions", help="exact activation/linear regions and tropical cells",
                       description="Enumerate the activation regions of a network exactly, "
                       "group them into linear regions, count distinct affine maps and the "
                       "tropical cells of F, G and F*G, and check the region <-> upper-vertex "
                       "correspondence (DESIGN section 2).", epilog=REGIONS_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    region_options(r)
    r.add_argument("--no-tropical", action="store_true",
                   help="skip tropicalization (tropical: null, verified: false)")
    r.add_argument("--certificate", metavar="FILE", default=None,
                   help="write a certificate (re-check it with 'tropexact check FILE')")
    r.add_argument("--force", action="store_true", help="replace an existing certificate file")
    r.set_defaults(func=cmd_regions)

    v = sub.add_parser("verify", help="run the paper's instance checks on a network",
                       description="Check, for every output: regions <-> upper vertices with "
                       "identical graphs for F, G and F*G; nu = F - G at every region's "
                       "interior point; linear regions <= activation regions; linear regions "
                       "<= cells of F*G; and the region certificate with the independent "
                       "checker. Exit status 1 if any check fails.", epilog=VERIFY_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    region_options(v, net_optional=True)
    v.add_argument("--random", type=int, default=None, metavar="N",
                   help="instead of NET: run the theorem checks on N seeded random networks")
    v.add_argument("--arch", metavar="D,N1,...,P", help="architecture for --random")
    v.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    v.add_argument("--weights", default="-2..2", metavar="LO..HI",
                   help="integer weight and bias range for --random (default -2..2)")
    sweep_options(v)
    v.set_defaults(func=cmd_verify)

    c = sub.add_parser("check", help="re-verify a region certificate independently",
                       description="Verify a certificate written by 'tropexact regions "
                       "--certificate' with the independent checker (plain Fractions, no "
                       "cdd). Exit status 1 if it is rejected, 2 if it is malformed.",
                       epilog=CHECK_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("certificate", metavar="FILE", help="certificate JSON file")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=cmd_check)

    b = sub.add_parser("bounds", help="published bounds on the number of linear regions",
                       description="Evaluate the published upper and lower bounds on the "
                       "number of linear regions of a ReLU architecture exactly (DESIGN "
                       "section 4): Zaslavsky (one layer), Zhang-Naitzat-Lim 2018, Montufar "
                       "2017, Serra-Tjandraatmadja-Ramalingam 2018, and the lower bounds of "
                       "Montufar et al. 2014 and Serra et al. 2018. A bound whose hypotheses "
                       "fail is reported as n/a (null in JSON).", epilog=BOUNDS_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("--arch", required=True, metavar="D,N1,...,NL,P",
                   help="input dimension, hidden widths, output width, e.g. 2,4,4,1")
    b.add_argument("--json", action="store_true", help="print one JSON object")
    b.add_argument("--symbolic", action="store_true",
                   help="also give each bound's formula (sympy), hypotheses and reference")
    b.set_defaults(func=cmd_bounds)

    s = sub.add_parser("search", help="search for networks with many regions, or a "
                       "counterexample to a bound",
                       description="Random restarts plus local search (one weight or bias "
                       "at a time) over integer networks, maximising an exact count over "
                       "Q^d. With --bound, a network above the bound stops the search and is "
                       "written with its certificate. Deterministic for a seed, with any "
                       "number of workers or on Dask.", epilog=SEARCH_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--arch", required=True, metavar="D,N1,...,P",
                   help="input dimension, hidden widths, output width, e.g. 1,2,2,1")
    s.add_argument("--weights", default="-3..3", metavar="LO..HI",
                   help="integer range of weights and biases (default -3..3)")
    s.add_argument("--objective", default="linear_regions",
                   choices=["linear_regions", "activation_regions"])
    s.add_argument("--bound", default=None, metavar="EXPR|NAME",
                   help="a bound name (serra2018, ...) or a formula in d, n1, ..., nL")
    s.add_argument("--budget", type=int, default=2000, metavar="N",
                   help="networks to evaluate (default 2000)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--chain-length", type=int, default=40, metavar="K",
                   help="local-search steps per random restart (default 40)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    sweep_options(s)
    s.set_defaults(func=cmd_search)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as e:
        print(f"tropexact: error: {e}", file=sys.stderr)
        return 2
    except BudgetExceeded as e:
        print(f"tropexact: budget exceeded: {e}", file=sys.stderr)
        return 2
    except VerificationError as e:
        print(f"tropexact: verification failed: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tropexact: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
