"""Bounds on the number of regions: published bounds, user formulas, constructions.

Layer 6 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.bounds.counts`         Zaslavsky's count, shared by bounds and checks
:mod:`~tropexact.bounds.published`      the bounds of ``docs/design.md`` §4, exact and symbolic
:mod:`~tropexact.bounds.formula`        user bound formulas: safe parsing, exact evaluation
:mod:`~tropexact.bounds.constructions`  networks that attain lower bounds

The bounds carry sympy formulas, and sympy takes about 0.3 s to import; so the
names of :mod:`~tropexact.bounds.published` and :mod:`~tropexact.bounds.formula`
are loaded on first use (``tropexact.bounds.all_bounds``), not when this package
is imported.
"""

from importlib import import_module
from typing import Any

from tropexact.networks.architecture import Architecture, architecture

from .counts import zaslavsky_count

_LAZY = {name: "published" for name in (
    "BOUND_NAMES", "LOWER", "UPPER", "Bound", "all_bounds", "bound_symbols",
    "montufar2014_lower", "montufar2017", "serra2018", "serra2018_lower", "upper_bounds",
    "zaslavsky", "zhang2018")}
_LAZY.update({name: "formula" for name in ("bound_expression", "evaluate_bound",
                                            "evaluate_expression")})

__all__ = ["Architecture", "architecture", "zaslavsky_count", *_LAZY]


def __getattr__(name: str) -> Any:
    """Load a name of the sympy-based modules on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
