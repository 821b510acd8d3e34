"""Counting formulas the bounds and the checks share, without sympy.

Examples
--------
>>> zaslavsky_count(4, 2)          # 1 + 4 + 6 regions of 4 lines in general position
11
>>> maxout_layer_count(4, 3, 2)    # 1 + 4·2 + 6·4 regions of 4 rank-3 maxout units on Q^2
33
"""

from __future__ import annotations

import math
from typing import Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt_short

__all__ = ["zaslavsky_count", "maxout_layer_count", "minkowski_upper_vertex_bound"]


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


def maxout_layer_count(n: int, k: int, d: int) -> int:
    r"""The sum :math:`\sum_{j=0}^{d}\binom{n}{j}(k-1)^j`, exactly.

    The most activation regions a layer of :math:`n` rank-:math:`k` maxout units can
    make on :math:`\mathbb{Q}^d`, and the most upper vertices a Minkowski sum of
    :math:`n` point sets of :math:`k` points each can have in
    :math:`\mathbb{Q}^{d} \times \mathbb{Q}` (Montúfar, Ren & Zhang 2022; see
    :mod:`tropexact.bounds.maxout`).  :math:`k = 2` is Zaslavsky's count (a ReLU is
    the rank-2 unit max(z, 0)); :math:`k = 1` gives 1; :math:`n \le d` gives
    :math:`k^n`, every pattern.

    Raises
    ------
    InputError
        *n* negative or *k* < 1.

    Examples
    --------
    >>> [maxout_layer_count(n, 3, 1) for n in range(4)]      # 1 + 2n breakpoints on a line
    [1, 3, 5, 7]
    >>> maxout_layer_count(3, 4, 5) == 4 ** 3 and maxout_layer_count(5, 2, 2) == zaslavsky_count(5, 2)
    True
    """
    if n < 0:
        raise InputError(f"must be >= 0, got {fmt_short(n)}", param="n")
    if k < 1:
        raise InputError(f"must be >= 1, got {fmt_short(k)}", param="k")
    return sum(math.comb(n, j) * (k - 1) ** j for j in range(min(d, n) + 1))


def minkowski_upper_vertex_bound(sizes: Sequence[int], d: int) -> int:
    r"""The most upper vertices of :math:`P_1 + \dots + P_n \subset \mathbb{Q}^{d+1}`
    when :math:`P_i` has :math:`k_i` points: :math:`\sum_{|S| \le d}\prod_{i \in S}(k_i - 1)`.

    The sum runs over the subsets :math:`S` of the summands with at most :math:`d`
    elements (Montúfar, Ren & Zhang 2022; equal sizes give
    :func:`maxout_layer_count`).  Computed as :math:`e_0 + \dots + e_d` of the
    elementary symmetric polynomials of the :math:`k_i - 1`, by the recurrence
    :math:`e_j \leftarrow e_j + (k_i - 1)\,e_{j-1}`, never by listing subsets.

    Examples
    --------
    >>> minkowski_upper_vertex_bound([3, 3, 3, 3], 2) == maxout_layer_count(4, 3, 2)
    True
    >>> minkowski_upper_vertex_bound([2, 5], 1)      # 1 + 1 + 4 breakpoints on a line
    6
    >>> minkowski_upper_vertex_bound([], 3)          # the empty sum is a point
    1
    """
    if any(k < 1 for k in sizes):
        raise InputError(f"every summand needs a point, got sizes {list(sizes)[:10]}",
                         param="sizes")
    top = max(min(d, len(sizes)), 0)
    e = [1] + [0] * top
    for k in sizes:
        for j in range(top, 0, -1):
            e[j] += (k - 1) * e[j - 1]
    return sum(e) if d >= 0 else 0
