"""Counting formulas the bounds and the checks share, without sympy.

Examples
--------
>>> zaslavsky_count(4, 2)          # 1 + 4 + 6 regions of 4 lines in general position
11
"""

from __future__ import annotations

import math

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt_short

__all__ = ["zaslavsky_count"]


def zaslavsky_count(n: int, d: int) -> int:
    r"""Zaslavsky's sum :math:`\sum_{j=0}^{d}\binom{n}{j}`, exactly.

    The number of regions of :math:`n` hyperplanes in general position in
    :math:`\mathbb{Q}^d` (Zaslavsky 1975), the most :math:`n` hyperplanes can make;
    the value of :func:`zaslavsky`, the factors of :func:`zhang2018` and
    :func:`montufar2017`, and the upper-vertex count of a generic zonotope with
    :math:`n` generators in :math:`\mathbb{Q}^d \times \mathbb{Q}`.  Only the
    non-zero terms :math:`j \le \min(d, n)` are summed; :math:`d < 0` gives the
    empty sum 0.

    Raises
    ------
    InputError
        *n* is negative.

    Examples
    --------
    >>> [zaslavsky_count(n, 2) for n in range(5)]
    [1, 2, 4, 7, 11]
    >>> zaslavsky_count(3, 10)          # n <= d: every subset, 2^n
    8
    """
    if n < 0:
        raise InputError(f"must be >= 0, got {fmt_short(n)}", param="n")
    return sum(math.comb(n, j) for j in range(min(d, n) + 1))
