"""The ``tropexact`` command line: a thin layer over the library.

Every subcommand takes ``--json`` and then prints exactly one JSON object on
stdout.  Exit status: 0 success, 2 bad input (one-line message on stderr
naming the problem), 1 failed verification.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any, Sequence

from . import __version__
from .errors import BudgetExceeded, InputError, VerificationError
from .numbers import fmt

EXAMPLES = """\
examples:
  tropexact tropicalize data/networks/zhang2018_example_c2.json
  tropexact tropicalize data/networks/zhang2018_example_c2.json --json
"""


class _Parser(argparse.ArgumentParser):
    """argparse with exit status 2, one-line errors and 'did you mean' hints."""

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
