"""``tropexact convert`` for computation graphs: the --input-shape option and the report.

Examples
--------
>>> parse_shape("1, 28,28")
(1, 28, 28)
>>> parse_shape("1,x")
Traceback (most recent call last):
...
tropexact.errors.InputError: --input-shape: expected positive integers such as 1,28,28, got '1,x'
"""

from __future__ import annotations

import argparse
from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt
from tropexact.networks.convert import GraphConversion, graph_text
from tropexact.networks.files import write_atomic

from .render import print_json

__all__ = ["parse_shape", "report_graph", "comparison_json", "print_comparison"]


def parse_shape(text: str | None) -> tuple | None:
    """``--input-shape C,H,W`` as a tuple of positive integers (None when not given)."""
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        raise InputError(f"expected positive integers such as 1,28,28, got {text!r}",
                         where="--input-shape")
    return tuple(int(p) for p in parts)


def comparison_json(args: argparse.Namespace, conv: Any) -> dict:
    """The JSON keys every conversion reports: exactness and the model comparison."""
    dev = conv.deviation
    return {"exact": not conv.rounded, "max_denominator": args.max_denominator,
            "samples": conv.samples, "max_deviation": None if dev is None else fmt(dev),
            "max_deviation_approx": None if dev is None else f"{float(dev):.3e}",
            "notes": list(conv.notes)}


def print_comparison(args: argparse.Namespace, conv: Any) -> None:
    """The text lines every conversion reports after its first: numbers, comparison, notes."""
    print("  numbers: " + (f"rounded to denominators <= {args.max_denominator}" if conv.rounded
                           else "exact (each float is the binary rational it denotes)"))
    if conv.deviation is None:
        print("  forward-pass comparison: " + ("skipped (--samples 0)" if args.samples == 0
                                                else "not available for this source"))
    else:  # a float only to print the size of the model's own rounding
        print(f"  largest deviation from the model's forward pass at {conv.samples} sample "
              f"points: {float(conv.deviation):.3e}")
    for n in conv.notes:
        print(f"  note: {n}")


def report_graph(args: argparse.Namespace, conv: GraphConversion) -> int:
    """Write the graph file of *conv* and report it (text or --json)."""
    write_atomic(args.output, graph_text(conv.graph), overwrite=args.force,
                 protect=(args.model,))
    g = conv.graph
    ops: dict = {}
    for n in g.nodes:
        ops[n.op] = ops.get(n.op, 0) + 1
    weights = sum(len(r) for n in g.nodes for r in n.rows)
    if args.json:
        print_json({"model": args.model, "source": conv.source, "graph": args.output,
                    "input_dim": g.input_dim, "output_dim": g.output_dim,
                    "nodes": len(g.nodes), "ops": ops, "nonzero_weights": weights,
                    **comparison_json(args, conv)})
        return 0
    print(f"{args.model} ({conv.source}) -> {args.output}: computation graph, {g.input_dim} "
          f"inputs, {g.output_dim} outputs, {len(g.nodes)} nodes ("
          + ", ".join(f"{k} {v}" for k, v in ops.items()) + f"), {weights} nonzero weights")
    print_comparison(args, conv)
    return 0
