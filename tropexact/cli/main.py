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

from tropexact import __version__
from tropexact.errors import (BudgetExceeded, InputError, OutputExists, TropexactError,
                              VerificationError)
from tropexact.exact.numbers import fmt
from tropexact.plot.base import WHATS as PLOT_WHATS  # matplotlib is imported only to draw
from .progress import bar

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

TROPICALIZE_EXAMPLES = """\
examples:
  tropexact tropicalize data/networks/zhang2018_example_c2.json
  tropexact tropicalize data/networks/zhang2018_example_c2.json --json
  tropexact tropicalize NET.json --no-count --max-terms 100000
  tropexact tropicalize NET3.json --slice 0:0:1,e1,e2 --json
"""

CONVERT_EXAMPLES = """\
examples:
  tropexact convert model.pt -o net.json              # torch.save(nn.Sequential(...))
  tropexact convert model.onnx -o net.json            # torch.onnx.export(...) or any ONNX MLP
  tropexact convert weights.npz -o net.json           # arrays W0, b0, W1, b1, ...
  tropexact convert state_dict.pt -o net.json --activations relu,relu,identity
  tropexact convert model.pt -o net.json --max-denominator 1000   # explicit rounding
"""

PLOT_EXAMPLES = """\
examples:
  tropexact plot data/networks/zhang2018_example_c2.json -o c2.png --what regions
  tropexact plot data/networks/zhang2018_example_c2.json -o c2.svg --what newton
  tropexact plot NET.json -o lin.pdf --what linear --window -3,3,-3,3
  tropexact plot data/networks/caveat_1d.json -o nu.png --what regions
  tropexact plot mnist.json -o slice.png --what regions --slice random:1,random:2,random:3
"""

REGIONS_EXAMPLES = """\
examples:
  tropexact regions data/networks/zhang2018_example_c2.json
  tropexact regions NET.json --domain box:-1,1 --json
  tropexact regions NET.json --domain box:0,1,-2,2 --certificate NET.cert.json
  tropexact regions NET.json --domain polytope:triangle.json --no-tropical --max-regions 100000
  tropexact regions mnist.json --slice random:1,random:2,random:3 --no-tropical
  tropexact regions NET3.json --slice 0:0:0,e1,1:1:1
"""

VERIFY_EXAMPLES = """\
examples:
  tropexact verify data/networks/zhang2018_example_c2.json
  tropexact verify NET.json --domain box:-2,2 --json
  tropexact verify NET3.json --slice 0:0:1,e1,e2
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

    Anything that starts with a minus and a digit (``-3..3``, ``-3,3,-1,1``,
    ``-1/2:0:1,e1,e2``) is a value, not an option: no option name starts so.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def error(self, message: str) -> Any:  # type: ignore[override]
        hint = _did_you_mean(message, self)
        self.exit(2, f"{self.prog}: error: {message}{hint}\n")

    def _subcommands(self) -> list[str]:
        for a in self._actions:
            if isinstance(a, argparse._SubParsersAction):
                return list(a.choices)
        return []

    def _option_strings(self) -> list[str]:
        """Every option string of this parser and of its subcommands."""
        out = [o for a in self._actions for o in a.option_strings]
        for a in self._actions:
            if isinstance(a, argparse._SubParsersAction):
                for q in a.choices.values():
                    out += [o for b in q._actions for o in b.option_strings]
        return sorted(set(out))


def _did_you_mean(message: str, parser: _Parser) -> str:
    """'; did you mean X?' for an invalid choice or an unknown option, else ''."""
    m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if m:
        choices = re.findall(r"'([^']*)'", m.group(2)) or \
            [c.strip() for c in m.group(2).split(",")]
        close = difflib.get_close_matches(m.group(1), choices, n=1, cutoff=0.5)
        return f"; did you mean {close[0]!r}?" if close else ""
    m = re.search(r"unrecognized arguments: (.*)", message)
    if m:
        opts = parser._option_strings()
        for word in m.group(1).split():
            if word.startswith("--"):
                close = difflib.get_close_matches(word.split("=")[0], opts, n=1, cutoff=0.6)
                if close:
                    return f"; did you mean {close[0]!r}?"
    return ""


def _poly_json(p: Any, before: int | None) -> dict:
    return {"terms": before, "upper_vertices": len(p),
            "polynomial": [[*(fmt(a) for a in e), fmt(c)] for e, c in p.terms]}


def cmd_tropicalize(args: argparse.Namespace) -> int:
    from tropexact.networks.tropicalization import tropicalize

    net, plane, _ = _load(args)
    if args.max_terms is not None and args.max_terms < 1:
        raise InputError(f"--max-terms must be >= 1, got {args.max_terms}")
    with bar("layers", total=len(net.layers), quiet=args.quiet) as show:
        T = tropicalize(net, count_before=not args.no_count, max_terms=args.max_terms,
                        progress=show)
    if args.json:
        out = {
            "network": args.network,
            "slice": None if plane is None else plane.to_dict(),
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
    on = "" if plane is None else f" on the plane P + s*U + t*V (--slice {args.slice})"
    print(f"network {args.network}{on}: architecture {w}")
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


def _load(args: argparse.Namespace) -> tuple:
    """(net, plane, full): the network of ``args.network`` as loaded (full), and
    restricted to ``--slice`` if given (net; plane is None without a slice)."""
    from tropexact.networks.io import load_network

    full = load_network(args.network)
    if not getattr(args, "slice", None):
        return full, None, full
    from tropexact.networks.slicing import restrict

    from .options import parse_plane

    plane = parse_plane(args.slice, full.input_dim)
    return restrict(full, plane), plane, full


def _enumerate(args: argparse.Namespace) -> tuple:
    """Load the network and domain, enumerate the regions.

    Returns (net, plane, full, domain, C, seconds), net and plane as in :func:`_load`.
    """
    import time

    from .options import parse_domain
    from tropexact.regions import activation_regions

    net, plane, full = _load(args)
    domain = parse_domain(args.domain, net.input_dim) if args.domain else None
    if args.max_regions is not None and args.max_regions < 1:
        raise InputError(f"--max-regions must be >= 1, got {args.max_regions}")
    t0 = time.perf_counter()
    with bar("regions", quiet=args.quiet) as show:
        C = activation_regions(net, domain, max_regions=args.max_regions, progress=show)
    return net, plane, full, domain, C, time.perf_counter() - t0


def _tropical_checks(net: Any, C: Any, quiet: bool = False) -> tuple[list, list]:
    """Per output: cell counts and the instance checks of the correspondence and ν = F − G."""
    from tropexact.networks.tropicalization import tropicalize

    with bar("layers tropicalized", total=len(net.layers), quiet=quiet) as show:
        T = tropicalize(net, count_before=False, progress=show)
    counts, checks = [], []
    values = [net(r.point) for r in C.regions]
    with bar("outputs checked", total=len(T.outputs), quiet=quiet) as show:
        for k, o in enumerate(T.outputs):
            counts_k, checks_k = _output_checks(k, o, C, [v[k] for v in values])
            counts.append(counts_k)
            checks += checks_k
            show(k + 1)
    return counts, checks


def _output_checks(k: int, o: Any, C: Any, values: list) -> tuple[dict, list]:
    """Output k: cell counts; the correspondence, two-way linear-region and ν = F − G checks."""
    from tropexact.regions.cells import rational_linear_regions, verify_tropical
    from tropexact.regions import linear_regions

    corr = verify_tropical(o.F, o.G)
    counts = {"F_cells": corr[0].upper_vertices, "G_cells": corr[1].upper_vertices,
              "FG_cells": corr[2].upper_vertices}
    checks = [(f"correspondence {c.name} (output {k})", c.passed, c.detail) for c in corr]
    if C.domain is None and all(c.passed for c in corr):
        mine = len(linear_regions(C, k))
        theirs = len(rational_linear_regions(o.F, o.G, corr[2].region_graph))
        checks.append((f"linear regions two ways (output {k})", mine == theirs,
                       f"{mine} from the activation regions, {theirs} from the cells of F*G"))
    bad = [i for i, r in enumerate(C.regions) if o.F(r.point) - o.G(r.point) != values[i]]
    checks.append((f"nu = F - G at region points (output {k})", not bad,
                   f"exact at all {len(C.regions)} interior points" if not bad else
                   f"differs at region {bad[0]} (point "
                   f"{', '.join(fmt(x) for x in C.regions[bad[0]].point)})"))
    return counts, checks


def cmd_regions(args: argparse.Namespace) -> int:
    from tropexact.verify.certificates import write_certificate
    from tropexact.regions import affine_map_count, linear_regions

    net, plane, _, domain, C, secs = _enumerate(args)
    if args.certificate:
        write_certificate(C, args.certificate, overwrite=args.force, protect=(args.network,))
    lin = len(linear_regions(C))
    maps = affine_map_count(C)
    tropical = None
    verified = False
    if not args.no_tropical:
        tropical, checks = _tropical_checks(net, C, args.quiet)
        verified = all(ok for _, ok, _ in checks)
    if args.json:
        _print_json({
            "network": args.network, "input_dim": net.input_dim,
            "slice": None if plane is None else plane.to_dict(),
            "domain": None if domain is None else domain.to_dict(),
            "activation_regions": len(C.regions), "linear_regions": lin, "affine_maps": maps,
            "bounded_regions": sum(r.bounded for r in C.regions),
            "adjacency_edges": C.graph.number_of_edges(),
            "tropical": tropical, "verified": verified,
            "certificate": args.certificate, "seconds": round(secs, 3)})
        return 0
    _print_header(args, net, plane, domain)
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


def _print_header(args: argparse.Namespace, net: Any, plane: Any, domain: Any) -> None:
    w = "-".join(str(n) for n in net.widths)
    where = "all of Q^%d" % net.input_dim if domain is None else args.domain
    if plane is None:
        print(f"network {args.network}: architecture {w}, domain {where}")
    else:
        print(f"network {args.network} on the plane P + s*U + t*V of Q^{plane.dim} "
              f"(--slice {args.slice}): architecture {w} in (s, t), domain {where}")


def cmd_verify_random(args: argparse.Namespace) -> int:
    from tropexact.experiments.batch import summary, verify_random
    from .options import parse_arch, parse_range

    if args.network is not None:
        raise InputError("give either NET or --random N, not both")
    if not args.arch:
        raise InputError("--random needs --arch D,N1,...,P")
    lo, hi = parse_range(args.weights, "--weights")
    with bar("networks", total=args.random, quiet=args.quiet, extra="failed") as show:
        recs = verify_random(parse_arch(args.arch), args.random, seed=args.seed, lo=lo, hi=hi,
                             workers=args.workers, dask=args.dask, out_dir=args.out,
                             resume=args.resume, progress=show)
    rows = summary(recs)
    failed = [r for r in recs if not all(c["passed"] for c in r["checks"])]
    if args.json:
        _print_json({"architecture": list(parse_arch(args.arch)), "networks": len(recs),
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
    from tropexact.verify.certificates import certificate
    from tropexact.verify.checker import check_certificate
    from tropexact.regions import linear_regions

    if args.random is not None:
        if args.slice:
            raise InputError("--slice applies to a network file, not to --random")
        return cmd_verify_random(args)
    if args.network is None:
        raise InputError("give a network file NET, or --random N --arch D,N1,...,P")
    net, plane, full, domain, C, _ = _enumerate(args)
    tropical, checks = _tropical_checks(net, C, args.quiet)
    if plane is not None:
        from tropexact.networks.slicing import lift

        bad = [i for i, r in enumerate(C.regions) if full(lift(plane, r.point)) != net(r.point)]
        checks.insert(0, ("slice = restriction of the network", not bad,
                          f"the 2-input network equals the {full.input_dim}-input network at "
                          f"the lifted interior points of all {len(C.regions)} regions" if not bad
                          else f"differs at region {bad[0]}"))
    lin = len(linear_regions(C))
    checks.append(("linear regions <= activation regions", lin <= len(C.regions),
                   f"{lin} <= {len(C.regions)}"))
    for k, t in enumerate(tropical):
        lk = len(linear_regions(C, k))
        checks.append((f"linear regions <= cells of F*G (output {k})", lk <= t["FG_cells"],
                       f"{lk} <= {t['FG_cells']}"))
    with bar("checker steps", quiet=args.quiet) as show:
        rep = check_certificate(certificate(C), progress=show)
    failed = [c for c in rep.checks if not c.passed]
    checks.append(("certificate (independent checker)", rep.passed,
                   "; ".join(f"{c.name}: {c.detail}" for c in failed) if failed else
                   ", ".join(c.name for c in rep.checks) + " passed"))
    if domain is None:
        from tropexact.verify.theorems import check_all

        for t in check_all(net):
            if t.name != "correspondence":  # already checked above, output by output
                checks.append((f"theorem: {t.name}", t.passed, t.detail))
    passed = all(ok for _, ok, _ in checks)
    if args.json:
        _print_json({"network": args.network,
                     "slice": None if plane is None else plane.to_dict(),
                     "checks": [{"name": n, "passed": ok, "detail": d} for n, ok, d in checks],
                     "passed": passed})
    else:
        _print_header(args, net, plane, domain)
        print(f"  {len(C.regions)} activation regions, {lin} linear regions")
        for n, ok, d in checks:
            print(f"  [{'pass' if ok else 'FAIL'}] {n}: {d}")
        print("all checks passed" if passed else "SOME CHECKS FAILED")
    return 0 if passed else 1


def cmd_check(args: argparse.Namespace) -> int:
    from tropexact.verify.checker import CertificateError, check_file

    try:
        with bar("checker steps", quiet=args.quiet) as show:
            rep = check_file(args.certificate, progress=show)
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
    from tropexact.bounds.published import all_bounds, architecture

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
    from tropexact.experiments.search import SearchSpec, search

    from .options import parse_arch, parse_range

    lo, hi = parse_range(args.weights, "--weights")
    spec = SearchSpec(arch=parse_arch(args.arch), lo=lo, hi=hi, budget=args.budget, seed=args.seed,
                      objective=args.objective, bound=args.bound,
                      chain_length=args.chain_length)
    with bar("networks", total=spec.budget, quiet=args.quiet, extra="best") as show:
        r = search(spec, out_dir=args.out, workers=args.workers, dask=args.dask,
                   resume=args.resume, progress=show)
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


def _activations(text: str | None) -> list[str] | None:
    return None if text is None else [a.strip() for a in text.split(",")]


def cmd_convert(args: argparse.Namespace) -> int:
    import os

    from tropexact.networks.convert import convert_file
    from tropexact.networks.io import dump_network

    if os.path.abspath(args.output) == os.path.abspath(args.model):
        raise InputError(f"-o {args.output} is the model file itself; choose another name")
    if args.output and os.path.exists(args.output) and not args.force:
        raise InputError(f"{args.output} exists; refusing to overwrite (pass --force)")
    if args.samples < 0:
        raise InputError(f"--samples must be >= 0, got {args.samples}")
    conv = convert_file(args.model, max_denominator=args.max_denominator,
                        input_dim=args.input_dim, activations=_activations(args.activations),
                        samples=args.samples, seed=args.seed)
    dump_network(conv.network, args.output, overwrite=args.force)
    net = conv.network
    dev = conv.deviation
    if args.json:
        _print_json({"model": args.model, "source": conv.source, "network": args.output,
                     "architecture": list(net.widths),
                     "activations": [l.activation for l in net.layers],
                     "exact": not conv.rounded, "max_denominator": args.max_denominator,
                     "samples": conv.samples,
                     "max_deviation": None if dev is None else fmt(dev),
                     "max_deviation_approx": None if dev is None else f"{float(dev):.3e}",
                     "notes": list(conv.notes)})
        return 0
    w = "-".join(str(n) for n in net.widths)
    acts = ",".join(l.activation for l in net.layers)
    print(f"{args.model} ({conv.source}) -> {args.output}: architecture {w}, activations {acts}")
    print("  numbers: " + (f"rounded to denominators <= {args.max_denominator}" if conv.rounded
                           else "exact (each float is the binary rational it denotes)"))
    if dev is None:
        print("  forward-pass comparison: not available for this source")
    else:
        print(f"  largest deviation from the model's forward pass at {conv.samples} sample "
              f"points: {float(dev):.3e}")
    for n in conv.notes:
        print(f"  note: {n}")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    import os

    from tropexact.plot import save_figure

    from .options import parse_level, parse_window

    net, plane, _ = _load(args)
    if net.input_dim > 2:
        raise InputError(f"the network has {net.input_dim} inputs; plot draws 1- and 2-input "
                         "networks: restrict it to a plane with --slice P,U,V")
    if not 0 <= args.output_index < net.output_dim:
        raise InputError(f"--output-index must be in 0..{net.output_dim - 1}, got "
                         f"{args.output_index}")
    level = parse_level(args.level)
    window = parse_window(args.window, net.input_dim)
    with bar("regions", quiet=args.quiet) as show:
        info = save_figure(net, args.what, args.output, window=window,
                           output=args.output_index, level=level, overwrite=args.force,
                           protect=(args.network,), progress=show,
                           axes=None if plane is None else ("s", "t"),
                           name=None if plane is None else
                           f"{os.path.basename(args.network)} on the plane {args.slice}")
    if args.json:
        _print_json({"network": args.network, "figure": args.output, "what": args.what,
                     "slice": None if plane is None else plane.to_dict(),
                     "input_dim": info.input_dim, "output_index": info.output,
                     "window": [fmt(x) for x in info.window],
                     "regions": info.regions, "linear_regions": info.linear_regions,
                     "patches": info.patches, "edges": info.edges,
                     "dual_edges": info.dual_edges, "nodes": info.nodes,
                     "points": info.points})
    else:
        print(f"{args.network}: {info.summary()}")
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

    def slice_option(q: argparse.ArgumentParser) -> None:
        q.add_argument("--slice", metavar="P,U,V", default=None,
                       help="restrict the network to the plane P + s*U + t*V (exact "
                       "composition, a 2-input network in (s, t)); each of P, U, V is 0, eK, "
                       "a:b:..., random:SEED or @FILE.json; or give FILE.json with "
                       "{point, u, v}")

    t = sub.add_parser("tropicalize", help="network -> tropical rational map F - G",
                       description="Compute the reduced tropical rational map F - G of a "
                       "network (Zhang-Naitzat-Lim, Thm 5.4) and the term counts before and "
                       "after pruning.", epilog=TROPICALIZE_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("network", metavar="NET", help="network file (tropexact-network JSON)")
    t.add_argument("--json", action="store_true", help="print one JSON object")
    t.add_argument("--no-count", action="store_true",
                   help="skip counting the terms before pruning (faster on large nets)")
    t.add_argument("--max-terms", type=int, default=None, metavar="N",
                   help="stop with exit status 2 when a reduced polynomial has more than N "
                   "terms (a guard for large networks)")
    t.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    slice_option(t)
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
        q.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
        slice_option(q)

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
    c.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
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

    cv = sub.add_parser("convert", help="import a PyTorch, ONNX or numpy model exactly",
                        description="Convert a PyTorch nn.Sequential (torch.save) or state_dict, "
                        "an ONNX model or a numpy .npz of W0, b0, W1, b1, ... into a "
                        "tropexact network file. Float weights become the exact binary "
                        "rationals they are, unless --max-denominator asks for a rounding. "
                        "Unsupported layers are an error (exit 2) naming them; nothing is "
                        "dropped. The result is compared with the model's own forward pass "
                        "at sample points and the largest deviation is reported.",
                        epilog=CONVERT_EXAMPLES,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    cv.add_argument("model", metavar="MODEL", help="model file: .pt/.pth, .onnx or .npz")
    cv.add_argument("-o", "--output", required=True, metavar="NET.json",
                    help="network file to write (never overwritten without --force)")
    cv.add_argument("--max-denominator", type=int, default=None, metavar="Q",
                    help="round every number to the closest rational with denominator <= Q "
                    "(default: no rounding, exact binary values)")
    cv.add_argument("--input-dim", type=int, default=None, metavar="D",
                    help="input dimension, when the model does not fix it")
    cv.add_argument("--activations", default=None, metavar="A1,A2,...",
                    help="one activation per linear layer (relu, identity, leaky_relu:SLOPE) "
                    "for a state_dict or .npz (npz default: relu, ..., relu, identity)")
    cv.add_argument("--samples", type=int, default=64, metavar="N",
                    help="sample points for the forward-pass comparison (default 64)")
    cv.add_argument("--seed", type=int, default=0, help="seed for the sample points")
    cv.add_argument("--force", action="store_true", help="replace an existing output file")
    cv.add_argument("--json", action="store_true", help="print one JSON object")
    cv.set_defaults(func=cmd_convert)

    pl = sub.add_parser("plot", help="draw regions, tropical curves, Newton polygons",
                        description="Draw a figure of a 1- or 2-input network (use --slice "
                        "for more inputs): activation regions, linear regions, the tropical "
                        "hypersurfaces T(F) and T(G), the Newton polygon with its dual "
                        "subdivision beside T(F), the decision boundary, or the region "
                        "adjacency graph. 1-input networks are drawn as the graph of nu with "
                        "its breakpoints. All geometry is exact; floats appear only in the "
                        "drawing.", epilog=PLOT_EXAMPLES,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pl.add_argument("network", metavar="NET", help="network file (tropexact-network JSON)")
    pl.add_argument("-o", "--output", required=True, metavar="FILE",
                    help="figure file: .png, .svg or .pdf (never overwritten without --force)")
    pl.add_argument("--what", default="regions", choices=PLOT_WHATS,
                    help="which figure (default regions)")
    pl.add_argument("--window", default=None, metavar="XMIN,XMAX,YMIN,YMAX",
                    help="drawing window (xmin,xmax for a 1-input network); default: a box "
                    "around every vertex of the region complex")
    pl.add_argument("--output-index", type=int, default=0, metavar="K",
                    help="which output of the network to draw (default 0)")
    pl.add_argument("--level", default="0", metavar="C",
                    help="decision boundary level {nu = C} for one output (default 0)")
    pl.add_argument("--force", action="store_true", help="replace an existing figure file")
    pl.add_argument("--json", action="store_true", help="print one JSON object")
    pl.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    slice_option(pl)
    pl.set_defaults(func=cmd_plot)
    return p


#: The option of each library parameter that a message may name (errors.TropexactError.param).
PARAM_FLAGS = {"arch": "--arch", "budget": "--budget", "chain_length": "--chain-length",
               "objective": "--objective", "lo": "--weights", "hi": "--weights",
               "n": "--random", "workers": "--workers", "dask": "--dask", "out_dir": "--out",
               "resume": "--resume", "max_regions": "--max-regions", "max_terms": "--max-terms",
               "max_denominator": "--max-denominator", "input_dim": "--input-dim",
               "activations": "--activations", "samples": "--samples", "output": "--output-index"}


def _message(e: TropexactError) -> str:
    """The error's message with the library parameter it names shown as its option."""
    return e.render(PARAM_FLAGS.get(e.param or "", e.param))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except OutputExists as e:
        print(f"tropexact: error: {_message(e)} (pass --force to replace it)", file=sys.stderr)
        return 2
    except InputError as e:
        print(f"tropexact: error: {_message(e)}", file=sys.stderr)
        return 2
    except BudgetExceeded as e:
        print(f"tropexact: budget exceeded: {_message(e)}", file=sys.stderr)
        return 2
    except VerificationError as e:
        print(f"tropexact: verification failed: {_message(e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tropexact: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
