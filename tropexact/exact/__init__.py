"""Exact arithmetic and exact linear algebra: the bottom layer of tropexact.

:mod:`~tropexact.exact.numbers` decides what a number is (gmpy2 ``mpq``, the
parsing rules of user input, the rule for binary floats);
:mod:`~tropexact.exact.linalg` holds denominators, primitive vectors, rank,
nullspace and determinants, written once.  It imports only
:mod:`tropexact.errors` (see ``docs/architecture.md``).
"""

from .linalg import (affine_rank, common_denominator, det, dot, integer_points, integer_vector,
                     normal_vector, nullspace, primitive, primitive_integer, rank, rref)
from .numbers import (ONE, ZERO, Q, fmt, fmt_short, fmt_vector, from_fraction, is_rational, limit_denominator,
                      parse_number, plural, quoted, to_fraction, to_rational, vector)

__all__ = ["Q", "ZERO", "ONE", "is_rational", "to_rational", "parse_number", "fmt", "fmt_short",
           "fmt_vector", "quoted", "plural", "to_fraction", "from_fraction", "vector", "limit_denominator", "dot",
           "common_denominator", "integer_vector", "integer_points", "primitive",
           "primitive_integer", "rref", "rank", "nullspace", "affine_rank", "det",
           "normal_vector"]
