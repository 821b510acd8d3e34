"""``tropexact synthesize``: a tropical rational map → a ReLU network computing it.

SOURCE is a file or an expression, by one rule: an existing path is a file (a
``tropexact-rational`` document or the output of ``tropicalize --json``); anything
else must parse as an expression (``"max(0, x0 + 1, 2*x0 - x1) - max(0, x1)"``,
several outputs separated by ``;``), and a text that is neither is a one-line
error naming both readings.  The same rule reads ``verify NET --map MAP``.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from tropexact.errors import InputError
from tropexact.networks.files import check_output
from tropexact.networks.io import dump_network
from tropexact.networks.model import Network
from tropexact.networks.rational_io import load_map
from tropexact.networks.synthesis import Synthesis, synthesize
from tropexact.tropical.rational import TropicalRationalMap
from tropexact.verify.check import Check
from tropexact.verify.theorems.roundtrip import check_round_trip

from .render import architecture, checks_json, print_checks, print_json, verdict_line

__all__ = ["synthesize_command", "read_map", "round_trip_for_verify", "DEPTHS"]

#: ``--depth`` → the library's method
DEPTHS = {"paper": "paper", "min": "shallow"}


def _expression(text: str, input_dim: int | None) -> TropicalRationalMap:
    try:
        from tropexact.tropical.expression import parse_rational
    except ImportError:  # pragma: no cover - the parser ships with tropexact
        raise InputError("expressions are not available in this installation") from None
    parts = [p.strip() for p in text.split(";")]
    if any(not p for p in parts):
        raise InputError("an empty output between ';'")
    first = [parse_rational(p, input_dim) for p in parts]
    n = max(f.nvars for f in first)
    return TropicalRationalMap(first if all(f.nvars == n for f in first)
                               else [parse_rational(p, n) for p in parts])


def read_map(source: str, input_dim: int | None = None) -> tuple[TropicalRationalMap, tuple]:
    """The map of SOURCE (file or expression, module docstring) and the files it read."""
    if os.path.lexists(source) or source.endswith(".json"):
        tmap = load_map(source)
        if input_dim is not None and input_dim != tmap.nvars:
            raise InputError(f"{source} is a map on Q^{tmap.nvars}, not Q^{input_dim}",
                             param="input_dim")
        return tmap, (source,)
    try:
        return _expression(source, input_dim), ()
    except InputError as e:
        shown = source if len(source) <= 60 else source[:57] + "..."
        raise InputError(f"{shown!r} is not a file, and not an expression: {e}") from None


def _figures(s: Synthesis) -> dict:
    return {"method": s.method, "layers": s.depth, "hidden_layers": s.hidden_layers,
            "widths": list(s.widths), "neurons": s.neurons, "integral": s.integral}


def synthesize_command(args: argparse.Namespace) -> int:
    if args.input_dim is not None and args.input_dim < 1:
        raise InputError(f"must be >= 1, got {args.input_dim}", param="input_dim")
    tmap, inputs = read_map(args.source, args.input_dim)
    if inputs and os.path.realpath(args.output) == os.path.realpath(args.source):
        raise InputError(f"-o {args.output} is the source file itself; choose another name")
    check_output(args.output, overwrite=args.force, protect=inputs)
    method = DEPTHS[args.depth]
    s = synthesize(tmap, method=method)
    other = synthesize(tmap, method="shallow" if method == "paper" else "paper")
    dump_network(s.network, args.output, overwrite=args.force, protect=inputs)
    checks = [check_round_trip(s.network, tmap)] if args.verify else []
    passed = all(c.passed for c in checks)
    if args.json:
        print_json({"source": args.source, "network": args.output, **s.to_dict(),
                    "other": _figures(other), "checks": checks_json(checks),
                    "passed": passed if checks else None})
        return 0 if passed else 1
    _print(args, s, other, checks)
    return 0 if passed else 1


def _print(args: argparse.Namespace, s: Synthesis, other: Synthesis, checks: list) -> None:
    m = s.monomials
    print(f"{args.source} -> {args.output}: {len(s.map)} output(s) on Q^{s.map.nvars}, "
          f"{m['given']} monomials ({m['reduced']} reduced, {m['distinct']} distinct "
          "affine functions)")
    print(f"  construction   {s.method} (values carried as {s.carry})")
    print(f"  architecture   {architecture(s.network)} ({s.neurons} hidden neurons)")
    print(f"  layers         {s.depth} ({s.hidden_layers} hidden + identity output); "
          f"Thm 5.4 bound {s.depth_bound}")
    print(f"  weights        {'integers' if s.integral else 'rational (not all integers)'}")
    print(f"  other ({other.method}): {other.depth} layers, architecture "
          f"{architecture(other.network)} ({other.neurons} hidden neurons)")
    if checks:
        print_checks(checks)
        print(verdict_line(checks))


def round_trip_for_verify(args: argparse.Namespace, net: Network, full: Network,
                          regions: Any) -> Check:
    """The round-trip check ``verify NET --map MAP`` adds: the whole network (not a
    slice) against the map over all of Q^d; the regions of ``verify`` are reused when
    they are those over Q^d of the whole network."""
    tmap, _ = read_map(args.map)
    whole = getattr(args, "slice", None) is None and getattr(args, "domain", None) is None
    return check_round_trip(full, tmap, regions=regions if whole and net is full else None)
