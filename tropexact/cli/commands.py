"""The commands on one network or file: tropicalize, regions, verify, check, convert, plot.

Each command loads its input, calls the library once per computation, and
prints (:mod:`tropexact.cli.render`); it returns the exit status (0, or 1 when a
check failed).  Errors propagate to :func:`tropexact.cli.main.main`.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace

from tropexact.errors import BudgetExceeded, InputError
from tropexact.exact.numbers import fmt
from tropexact.networks.convert import GraphConversion, convert_file
from tropexact.networks.domain import Domain
from tropexact.networks.files import check_output
from tropexact.networks.io import dump_network, load_model
from tropexact.networks.model import Network
from tropexact.networks.slicing import Plane, restrict
from tropexact.networks.tropicalization import Tropicalization
from tropexact.plot import save_figure
from tropexact.regions.pieces import tropicalize
from tropexact.verify.certificates import write_certificate
from tropexact.verify.check import Check, Status
from tropexact.verify.checker import CertificateError, TimeLimitExceeded, check_file
from tropexact.verify.instance import tropical_checks, verify_network

from .convert_graph import comparison_json, parse_shape, print_comparison, report_graph
from .enumerate import check_spread_options, counts_of, enumerate_complex, enumerate_counts
from .options import parse_domain, parse_level, parse_plane, parse_window, plot_overlay
from .progress import bar, stages
from .synthesize import round_trip_for_verify
from .render import (architecture, checks_json, poly_json, print_checks, print_header,
                     print_json, verdict_line)

__all__ = ["tropicalize_command", "regions_command", "verify_command", "check_command",
           "convert_command", "plot_command"]

_STAGES = {"regions": "regions", "layers": "layers tropicalized", "outputs": "outputs checked",
           "checker": "checker steps"}


def _inputs(args: argparse.Namespace) -> tuple[str, ...]:
    """Every file the command reads (network, ``polytope:`` domain, slice files): no output
    may be written over them, even with ``--force``."""
    out = [args.network]
    domain = getattr(args, "domain", None) or ""
    if domain.startswith("polytope:"):
        out.append(domain[len("polytope:"):])
    spec = getattr(args, "slice", None) or ""
    if spec.endswith(".json") and "," not in spec:
        out.append(spec)
    out += [t.strip()[1:] for t in spec.split(",") if t.strip().startswith("@")]
    return tuple(out)


def _load(args: argparse.Namespace) -> tuple[Network, Plane | None, Network]:
    """(net, plane, full): the network file as loaded (full), and restricted to
    ``--slice`` if given (net; plane is None without a slice)."""
    full = load_model(args.network)
    if getattr(args, "slice", None) is None:
        return full, None, full
    plane = parse_plane(args.slice, full.input_dim)
    return restrict(full, plane), plane, full


def _domain(args: argparse.Namespace, net: Network) -> Domain | None:
    """The domain of ``--domain`` (None: all of Q^d), with ``--max-regions`` checked."""
    _check_max_regions(args.max_regions)
    return parse_domain(args.domain, net.input_dim) if args.domain else None


def _check_max_regions(max_regions: int | None) -> None:
    if max_regions is not None and max_regions < 1:
        raise InputError(f"--max-regions must be >= 1, got {max_regions}")


def _check_max_terms(max_terms: int | None) -> int | None:
    if max_terms is not None and max_terms < 1:
        raise InputError(f"--max-terms must be >= 1, got {max_terms}")
    return max_terms


def _tropicalize(net: Network, quiet: bool, **kwargs: object) -> Tropicalization:
    with bar("layers tropicalized", total=len(net.layers), quiet=quiet) as show:
        return tropicalize(net, progress=show, **kwargs)  # type: ignore[arg-type]


def tropicalize_command(args: argparse.Namespace) -> int:
    net, plane, _ = _load(args)
    _check_max_terms(args.max_terms)
    _check_max_regions(args.max_regions)
    if args.max_regions is not None and args.method == "hull":
        raise InputError("applies to the regions method only, not to --method hull",
                         param="max_regions")
    T = _tropicalize(net, args.quiet, method=args.method, count_before=not args.no_count,
                     max_terms=args.max_terms,
                     **({} if args.max_regions is None else {"max_regions": args.max_regions}))
    if args.json:
        print_json({
            "network": args.network, "slice": None if plane is None else plane.to_dict(),
            "input_dim": net.input_dim, "widths": list(net.widths),
            "outputs": [{name: poly_json(getattr(o, name), o.terms_before[name])
                         for name in ("H", "F", "G")} for o in T.outputs],
            "terms_before_pruning": T.terms_before_pruning,
            "layers": [{"layer": s.layer, "terms_before_pruning": s.terms_before,
                        "terms_after_pruning": s.terms_after} for s in T.layers]})
        return 0
    on = "" if plane is None else f" on the plane P + s*U + t*V (--slice {args.slice})"
    print(f"network {args.network}{on}: architecture {architecture(net)}")
    for k, o in enumerate(T.outputs):
        print(f"\noutput {k}: nu_{k} = F_{k} - G_{k} (max-plus; H = pre-activation numerator)")
        print(f"  {'poly':<5}{'terms before pruning':>22}{'upper vertices':>16}")
        for name in ("H", "G", "F"):
            tb = o.terms_before[name]
            print(f"  {name:<5}{'?' if tb is None else tb:>22}{len(getattr(o, name)):>16}")
        print(f"  F_{k} = {o.F}")
        print(f"  G_{k} = {o.G}")
    print("\nterms per layer (before -> after pruning, all neurons, F and G):")
    for s in T.layers:
        print(f"  layer {s.layer}: {'?' if s.terms_before is None else s.terms_before} -> "
              f"{s.terms_after}")
    return 0


def regions_command(args: argparse.Namespace) -> int:
    net, plane, _ = _load(args)
    check_spread_options(args)
    for out in (args.certificate, args.regions_out):
        if out:
            check_output(out, overwrite=args.force, protect=_inputs(args))
    domain = _domain(args, net)
    cells: list | None = None
    checks: list[Check] = []
    if args.no_tropical and not args.certificate:
        counts, secs = enumerate_counts(args, net, domain, _inputs(args))
    else:
        C, secs = enumerate_complex(args, net, domain)
        if args.certificate:
            write_certificate(C, args.certificate, overwrite=args.force, protect=_inputs(args))
        counts = counts_of(C)
        if not args.no_tropical:
            _check_max_terms(args.max_terms)
            # F and G from the regions over Q^d: these, or a second enumeration under a domain
            T = _tropicalize(net, args.quiet, count_before=False, max_terms=args.max_terms,
                             regions=C if domain is None else None, max_regions=args.max_regions)
            with stages(_STAGES, quiet=args.quiet) as show:
                cells, checks = tropical_checks(net, C, T, show, max_terms=args.max_terms)[:2]
    verified = cells is not None and all(c.passed for c in checks)
    if args.json:
        print_json({
            "network": args.network, "input_dim": net.input_dim,
            "slice": None if plane is None else plane.to_dict(),
            "domain": None if domain is None else domain.to_dict(),
            "activation_regions": counts.activation_regions,
            "linear_regions": counts.linear_regions, "affine_maps": counts.affine_maps,
            "bounded_regions": counts.bounded_regions, "adjacency_edges": counts.adjacency_edges,
            "tropical": cells, "verified": verified,
            "certificate": args.certificate, "regions_out": args.regions_out,
            "seconds": round(secs, 3)})
        return 0
    print_header(args.network, net, plane, args.slice, domain, args.domain)
    print(f"  activation regions  {counts.activation_regions:>8}   ({counts.bounded_regions} "
          f"bounded, {counts.adjacency_edges} adjacent pairs, {secs:.2f} s)")
    print(f"  linear regions      {counts.linear_regions:>8}")
    print(f"  distinct affine maps{counts.affine_maps:>8}")
    if cells is not None:
        # the cells are those of the polynomials, over all of Q^d, whatever the domain
        over = "" if domain is None else " over all of Q^%d (not only the domain)" % net.input_dim
        for k, t in enumerate(cells):
            print(f"  output {k}: cells{over} of F {t['F_cells']}, of G {t['G_cells']}, "
                  f"of F*G {t['FG_cells']}")
        print(f"  verified (regions <-> upper vertices for F, G, F*G; nu = F - G at every "
              f"region point): {'yes' if verified else 'NO'}")
    else:
        print("  tropical part skipped (--no-tropical)")
    if args.certificate:
        print(f"  certificate written to {args.certificate} (check it: tropexact check "
              f"{args.certificate})")
    if args.regions_out:
        print(f"  regions written to {args.regions_out} (JSON Lines, one region a line)")
    return 0


def verify_command(args: argparse.Namespace) -> int:
    """``verify NET``: every instance check, each computation once."""
    if args.network is None:
        raise InputError("give a network file NET, or --random N --arch D,N1,...,P")
    net, plane, full = _load(args)
    domain = _domain(args, net)
    with stages(_STAGES, quiet=args.quiet) as show:
        V = verify_network(net, domain, plane=plane, full=full, max_regions=args.max_regions,
                           max_terms=_check_max_terms(args.max_terms), progress=show)
    if args.map is not None:
        V = replace(V, checks=V.checks + (round_trip_for_verify(args, net, full, V.regions),))
    if args.json:
        print_json({"network": args.network,
                    "slice": None if plane is None else plane.to_dict(),
                    "checks": checks_json(V.checks), "passed": V.passed})
    else:
        print_header(args.network, net, plane, args.slice, domain, args.domain)
        print(f"  {len(V.regions.regions)} activation regions, {V.linear_regions} linear regions")
        print_checks(V.checks)
        print(verdict_line(V.checks))
    return 0 if V.passed else 1


def check_command(args: argparse.Namespace) -> int:
    try:
        with bar("checker steps", quiet=args.quiet) as show:
            rep = check_file(args.certificate, progress=show, time_limit=args.time_limit)
    except CertificateError as e:  # name the file (read errors already do)
        text = str(e)
        raise InputError(text if text.startswith(args.certificate) else
                         f"{args.certificate}: {text}") from None
    except TimeLimitExceeded as e:
        raise BudgetExceeded(f"{args.certificate}: {e} (--time-limit)") from None
    checks = [Check(c.name, Status(c.status), c.detail) for c in rep.checks]
    if args.json:
        print_json({"certificate": args.certificate, "checks": checks_json(checks),
                    "passed": rep.passed, "complete": rep.complete, "verdict": rep.verdict})
    else:
        print_checks(checks)
        if rep.verdict == "verified":
            print("certificate verified")
        elif rep.verdict == "rejected":
            print("CERTIFICATE REJECTED")
        else:  # nothing failed, something was not decided: not a pass
            print("CERTIFICATE NOT VERIFIED: not run: "
                  + ", ".join(c.name for c in checks if not c.passed))
    return 0 if rep.passed else 1


def convert_command(args: argparse.Namespace) -> int:
    if os.path.realpath(args.output) == os.path.realpath(args.model):
        raise InputError(f"-o {args.output} is the model file itself; choose another name")
    check_output(args.output, overwrite=args.force, protect=(args.model,))
    if args.samples < 0:
        raise InputError(f"--samples must be >= 0, got {args.samples}")
    activations = None if args.activations is None else \
        [a.strip() for a in args.activations.split(",")]
    conv = convert_file(args.model, max_denominator=args.max_denominator,
                        input_dim=args.input_dim, activations=activations,
                        samples=args.samples, seed=args.seed, graph=args.graph,
                        input_shape=parse_shape(args.input_shape))
    if isinstance(conv, GraphConversion):
        return report_graph(args, conv)
    dump_network(conv.network, args.output, overwrite=args.force, protect=(args.model,))
    net = conv.network
    if args.json:
        print_json({"model": args.model, "source": conv.source, "network": args.output,
                    "architecture": list(net.widths),
                    "activations": [l.activation.value for l in net.layers],
                    **comparison_json(args, conv)})
        return 0
    acts = ",".join(l.activation.value for l in net.layers)
    print(f"{args.model} ({conv.source}) -> {args.output}: architecture {architecture(net)}, "
          f"activations {acts}")
    print_comparison(args, conv)
    return 0


def plot_command(args: argparse.Namespace) -> int:
    net, plane, _ = _load(args)
    if net.input_dim > 2:
        raise InputError(f"the network has {net.input_dim} inputs; plot draws 1- and 2-input "
                         "networks: restrict it to a plane with --slice P,U,V")
    if not 0 <= args.output_index < net.output_dim:
        raise InputError(f"--output-index must be in 0..{net.output_dim - 1}, got "
                         f"{args.output_index}")
    level = parse_level(args.level)
    window = parse_window(args.window, net.input_dim)
    overlay = plot_overlay(args, net, plane)
    with bar("regions", quiet=args.quiet) as show:
        info = save_figure(net, args.what, args.output, window=window,
                           output=args.output_index, level=level, overwrite=args.force,
                           protect=_inputs(args), progress=show,
                           axes=None if plane is None else ("s", "t"),
                           name=None if plane is None else
                           f"{os.path.basename(args.network)} on the plane {args.slice}",
                           **overlay)
    if args.json:
        print_json({"network": args.network, "figure": args.output, "what": args.what,
                    "slice": None if plane is None else plane.to_dict(),
                    "input_dim": info.input_dim, "output_index": info.output,
                    "window": [fmt(x) for x in info.window],
                    "regions": info.regions, "linear_regions": info.linear_regions,
                    "patches": info.patches, "edges": info.edges,
                    "dual_edges": info.dual_edges, "nodes": info.nodes,
                    "points": info.points,
                    "data_points": len(info.geometry.get("data_points", ())),
                    "inset_window": None if info.geometry.get("whole") is None else
                    [fmt(x) for x in info.geometry["whole"]]})
    else:
        print(f"{args.network}: {info.summary()}")
    return 0
