"""Bounds on the number of regions: published bounds, user formulas, constructions.

Layer 6 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.bounds.published`      the bounds of ``docs/design.md`` §4, exact and symbolic
:mod:`~tropexact.bounds.formula`        user bound formulas: safe parsing, exact evaluation
:mod:`~tropexact.bounds.constructions`  networks that attain lower bounds
"""

from .formula import bound_expression, evaluate_bound, evaluate_expression
from .published import (BOUND_NAMES, LOWER, UPPER, Architecture, Bound, all_bounds, architecture,
                        bound_symbols, montufar2014_lower, montufar2017, serra2018,
                        serra2018_lower, upper_bounds, zaslavsky, zaslavsky_count, zhang2018)

__all__ = ["Architecture", "Bound", "BOUND_NAMES", "UPPER", "LOWER", "architecture",
           "bound_symbols", "zaslavsky_count", "zaslavsky", "zhang2018", "montufar2017",
           "serra2018", "montufar2014_lower", "serra2018_lower", "all_bounds", "upper_bounds",
           "bound_expression", "evaluate_bound", "evaluate_expression"]
