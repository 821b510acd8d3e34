"""Bounds on the number of regions: published bounds, user formulas, constructions.

Layer 6 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.bounds.counts`         Zaslavsky's count, shared by bounds and checks
:mod:`~tropexact.bounds.record`         the record of a bound, and the symbols of the formulas
:mod:`~tropexact.bounds.published`      the upper bounds of ``docs/design.md`` §4, all bounds at once
:mod:`~tropexact.bounds.lower`          the two published lower bounds
:mod:`~tropexact.bounds.formula`        user bound formulas: safe parsing, exact evaluation
:mod:`~tropexact.bounds.constructions`  networks that attain lower bounds
:mod:`~tropexact.bounds.maxout`         the bounds for maxout networks (Montúfar–Ren–Zhang, Serra et al.)
:mod:`~tropexact.bounds.maxout_constructions`  a maxout layer attaining the sharp bound

sympy takes about 0.3 s to import, and only formulas need it: the values of the
bounds are Python integers, a bound's ``expression`` is built on first access,
and the names of :mod:`~tropexact.bounds.formula` (user formulas) load on first
use (``tropexact.bounds.evaluate_bound``), not when this package is imported.
"""

from importlib import import_module
from typing import Any

from tropexact.networks.architecture import Architecture, architecture

from .counts import zaslavsky_count
from .published import (BOUND_NAMES, LOWER, UPPER, Bound, all_bounds, bound_symbols,
                        montufar2014_lower, montufar2017, serra2018, serra2018_lower, upper_bounds,
                        zaslavsky, zhang2018)

_LAZY = {name: "formula" for name in ("bound_expression", "evaluate_bound", "evaluate_expression")}

__all__ = ["Architecture", "architecture", "zaslavsky_count", "BOUND_NAMES", "LOWER", "UPPER",
           "Bound", "all_bounds", "bound_symbols", "montufar2014_lower", "montufar2017",
           "serra2018", "serra2018_lower", "upper_bounds", "zaslavsky", "zhang2018", *_LAZY]


def __getattr__(name: str) -> Any:
    """Load a name of the sympy-based formula module on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
