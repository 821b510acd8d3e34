"""What the commands print: one JSON object with ``--json``, tables for humans otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

from tropexact.exact.numbers import fmt
from tropexact.networks.domain import Domain
from tropexact.networks.model import Network
from tropexact.networks.slicing import Plane
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.verify.check import Check, tally

__all__ = ["print_json", "poly_json", "architecture", "print_header", "print_checks",
           "checks_json", "verdict_line"]


def print_json(obj: Any) -> None:
    """Exactly one JSON object on stdout (docs/design.md §6); its integers in full,
    however long (a bound can have more than the 4,300 digits Python's ``str`` of an
    int allows by default: the limit is lifted while encoding, then restored)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        text = json.dumps(obj)
    finally:
        sys.set_int_max_str_digits(limit)
    sys.stdout.write(text + "\n")


def poly_json(p: TropicalPolynomial, before: int | None) -> dict:
    """A polynomial as ``{"terms", "upper_vertices", "polynomial": [[e..., c], ...]}``."""
    return {"terms": before, "upper_vertices": len(p),
            "polynomial": [[*(fmt(a) for a in e), fmt(c)] for e, c in p.terms]}


def architecture(net: Network) -> str:
    """``2-5-1``: the widths of a network."""
    return "-".join(str(n) for n in net.widths)


def print_header(name: str, net: Network, plane: Plane | None, slice_spec: str | None,
                 domain: Domain | None, domain_spec: str | None) -> None:
    """The first line of ``regions`` and ``verify``: network, slice, architecture, domain."""
    where = "all of Q^%d" % net.input_dim if domain is None else domain_spec
    if plane is None:
        print(f"network {name}: architecture {architecture(net)}, domain {where}")
    else:
        print(f"network {name} on the plane P + s*U + t*V of Q^{plane.dim} "
              f"(--slice {slice_spec}): architecture {architecture(net)} in (s, t), "
              f"domain {where}")


def print_checks(checks: Iterable[Check], indent: str = "  ") -> None:
    """One line per check: ``[pass] name: detail`` (``FAIL``, ``n/a``, ``not run``)."""
    for c in checks:
        print(f"{indent}[{c.label}] {c.name}: {c.detail}")


def checks_json(checks: Iterable[Check]) -> list:
    """The checks as ``[{"name", "status", "passed", "detail"}, ...]``."""
    return [c.to_dict() for c in checks]


def verdict_line(checks: Iterable[Check]) -> str:
    """The last line: ``all checks passed``, or ``no check failed: 12 passed, 1 not run``
    when some did not apply or did not run, or ``SOME CHECKS FAILED: ...``."""
    counts = tally(checks)
    parts = ", ".join(f"{n} {s.replace('pass', 'passed').replace('fail', 'failed')}"
                      for s, n in counts.items() if n)
    if counts["fail"]:
        return f"SOME CHECKS FAILED: {parts}"
    if counts["not applicable"] or counts["not run"]:
        return f"no check failed: {parts}"
    return "all checks passed"
