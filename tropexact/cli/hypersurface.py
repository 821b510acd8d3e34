"""``tropexact hypersurface POLY``: the tropical hypersurface T(f) of one polynomial.

POLY is an expression (``"max(0, x0, x1)"``, :mod:`tropexact.tropical.expression`)
or a file holding one polynomial:

* a text file with an expression (any extension except ``.json``);
* a JSON file with rows ``[[e1, ..., ed, c], ...]`` (exponents, then the
  coefficient; numbers as JSON numbers or strings such as ``"3/2"``), the rows
  ``tropexact tropicalize --json`` prints in its ``"polynomial"`` lists;
* a JSON object with such rows under ``"polynomial"`` (one entry of that output);
* a whole ``tropexact tropicalize --json`` output: ``--output K`` and
  ``--which F|G|H`` choose the polynomial (default: output 0, F).

``--min-plus`` reads rows as min-plus data (coefficients negated,
:meth:`TropicalPolynomial.from_min_plus`); an expression says ``min(...)`` instead.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt, fmt_vector, plural, to_rational
from tropexact.networks.files import load_json, read_bytes
from tropexact.tropical.expression import parse_polynomial
from tropexact.tropical.hypersurface import Hypersurface, hypersurface
from tropexact.tropical.polynomial import TropicalPolynomial

from .render import print_json

__all__ = ["hypersurface_command", "load_polynomial"]


def _rows(rows: Any, where: str) -> TropicalPolynomial:
    """The polynomial of JSON rows [[e1, ..., ed, c], ...] (exact numbers)."""
    if not isinstance(rows, list) or not rows:
        raise InputError("expected a non-empty list of rows [e1, ..., ed, c]", where)
    width = None
    terms = []
    for k, row in enumerate(rows):
        if not isinstance(row, list) or not row:
            raise InputError("expected a row [e1, ..., ed, c]", f"{where}[{k}]")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InputError(f"{len(row)} entries, the first row has {width}", f"{where}[{k}]")
        try:
            values = [to_rational(v) for v in row]
        except InputError as e:
            raise InputError(e.message, f"{where}[{k}]") from None
        terms.append((values[:-1], values[-1]))
    return TropicalPolynomial(terms, width - 1)


def _from_json(obj: Any, path: str, output: int, which: str) -> Any:
    """Rows out of a rows list, a ``{"polynomial": rows}`` object or a tropicalize output."""
    if isinstance(obj, dict) and "outputs" in obj:
        outs = obj["outputs"]
        if not isinstance(outs, list) or not 0 <= output < len(outs):
            raise InputError(f"no output {output} (the file has "
                             f"{len(outs) if isinstance(outs, list) else 0})", param="output")
        entry = outs[output].get(which) if isinstance(outs[output], dict) else None
        if not isinstance(entry, dict) or "polynomial" not in entry:
            raise InputError(f"outputs[{output}] has no polynomial {which!r}", path)
        return entry["polynomial"], f"{path}: outputs[{output}].{which}.polynomial"
    if isinstance(obj, dict) and "polynomial" in obj:
        return obj["polynomial"], f"{path}: polynomial"
    if isinstance(obj, list):
        return obj, path
    raise InputError("expected rows [[e1, ..., ed, c], ...], an object with \"polynomial\" or "
                     "a tropicalize --json output", path)


def load_polynomial(spec: str, *, output: int = 0, which: str = "F",
                    min_plus: bool = False) -> TropicalPolynomial:
    """The polynomial named by POLY: an existing file (JSON or an expression), else an
    expression."""
    if os.path.exists(spec):
        if spec.lower().endswith(".json"):
            rows, where = _from_json(load_json(spec), spec, output, which)
            f = _rows(rows, where)
            return TropicalPolynomial.from_min_plus(f.terms, f.nvars) if min_plus else f
        try:
            text = read_bytes(spec, "a text file with an expression").decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", spec) from None
        _no_min_plus(min_plus)
        return parse_polynomial(text, where=spec)
    if spec.lower().endswith((".json", ".txt")):
        raise InputError(f"cannot read {spec}: no such file")
    _no_min_plus(min_plus)
    return parse_polynomial(spec)


def _no_min_plus(min_plus: bool) -> None:
    if min_plus:
        raise InputError("applies to JSON rows; in an expression write min(...)",
                         param="min_plus")


def _cell_json(H: Hypersurface, c: Any) -> dict:
    out = {"dim": c.dim, "vertices": list(c.vertices), "rays": list(c.rays),
           "terms": list(c.terms), "dual_vertices": list(c.dual_vertices),
           "point": [fmt(x) for x in c.point]}
    if c.weight is not None:
        terms = H.polynomial.terms
        out["weight"] = fmt(c.weight)
        out["edge"] = list(c.edge)
        out["edge_terms"] = [[*(fmt(a) for a in terms[i][0]), fmt(terms[i][1])] for i in c.edge]
    return out


def hypersurface_json(H: Hypersurface) -> dict:
    """The JSON object of ``tropexact hypersurface --json`` (docs/design.md)."""
    d = H.ambient_dim
    return {
        "polynomial": str(H.polynomial), "nvars": d, "terms": len(H.polynomial),
        "hidden_terms": list(H.hidden_terms),
        "vertices": [[fmt(x) for x in v] for v in H.vertices],
        "rays": [[str(x) for x in r] for r in H.rays],
        "lineality": [[str(x) for x in l] for l in H.lineality],
        "cells_by_dimension": {str(k): len(H.cells_of_dim(k)) for k in range(d)
                               if H.cells_of_dim(k)},
        "cells": [_cell_json(H, c) for c in H.cells],
        "maximal_cells": [_cell_json(H, c) for c in H.maximal_cells],
        "balanced": H.balanced,
        "balancing": [{"cell": b.cell, "neighbours": list(b.neighbours),
                       "residue": [fmt(x) for x in b.residue], "balanced": b.balanced}
                      for b in H.balancing],
    }


def _print_text(H: Hypersurface) -> None:
    f, d = H.polynomial, H.ambient_dim
    print(f"T(f) for f = {f}")
    print(f"  {plural(d, 'variable')}, {plural(len(f), 'term')}"
          + (f", {plural(len(H.hidden_terms), 'term')} below the upper hull "
             f"(never maximal): {', '.join(map(str, H.hidden_terms))}" if H.hidden_terms else ""))
    if H.is_empty():
        print("  T(f) is empty (fewer than two terms)")
        return
    if H.lineality:
        print("  lineality space: span of " + ", ".join(fmt_vector(l) for l in H.lineality)
              + " (vertices and rays below lie in its orthogonal complement)")
    print(f"vertices ({len(H.vertices)}):")
    for k, v in enumerate(H.vertices):
        print(f"  v{k} = {fmt_vector(v)}")
    print(f"rays ({len(H.rays)}):")
    for k, r in enumerate(H.rays):
        print(f"  r{k} = {fmt_vector(r)}")
    print(f"maximal cells, dimension {d - 1} ({len(H.maximal_cells)}):")
    for c in H.maximal_cells:
        i, j = c.edge
        gens = [f"v{k}" for k in c.vertices] + [f"r{k}" for k in c.rays]
        print(f"  [{', '.join(gens)}]  weight {fmt(c.weight)}  dual edge: terms {i}, {j} "
              f"(exponents {fmt_vector(f.terms[i][0])}, {fmt_vector(f.terms[j][0])})")
    counts = ", ".join(f"{len(H.cells_of_dim(k))} of dimension {k}" for k in range(d)
                       if H.cells_of_dim(k))
    print(f"cells: {counts}")
    if d < 2:
        print("balanced: yes (nothing to check in one variable)")
        return
    failed = [str(b.cell) for b in H.balancing if not b.balanced]
    checked = f"{plural(len(H.balancing), 'cell')} of dimension {d - 2} checked"
    print(f"balanced: yes ({checked})" if not failed
          else f"balanced: NO ({checked}; failing at cells {', '.join(failed)})")


def hypersurface_command(args: argparse.Namespace) -> int:
    if args.which not in ("F", "G", "H"):
        raise InputError(f"expected F, G or H, got {args.which!r}", param="which")
    if args.output < 0:
        raise InputError(f"must be >= 0, got {args.output}", param="output")
    f = load_polynomial(args.poly, output=args.output, which=args.which, min_plus=args.min_plus)
    H = hypersurface(f)
    if args.json:
        print_json(hypersurface_json(H))
    else:
        _print_text(H)
    return 0 if H.balanced else 1
