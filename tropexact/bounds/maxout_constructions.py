r"""A maxout layer attaining the sharp bound of Montúfar, Ren and Zhang.

:func:`generic_maxout_layer` (d, n, k) is a network Q^d → Q with one layer of
n rank-k maxout units and the linear output "sum of the units".  It has exactly

    Σ_{j=0}^{d} C(n, j) (k − 1)^j

activation regions and as many linear regions: the ``montufar2022`` bound of
:mod:`tropexact.bounds.maxout` for one hidden layer, which is therefore the exact
maximum (``tests/test_maxout_bounds.py`` counts the regions exactly).

**Slabs.**  Unit j (j = 1, …, n) has the direction v_j = (1, j, j², …, j^{d−1})
on the moment curve and the pieces i·⟨v_j, x⟩ + b_{j,i}, i = 0, …, k − 1, with
b_{j,0} = 0 and b_{j,i} = b_{j,i−1} − β_{j,i}.  As a function of s = ⟨v_j, x⟩ the
unit is convex with slopes 0, 1, …, k − 1 and breakpoints β_{j,1} < … < β_{j,k−1}
(pieces i − 1 and i tie at s = b_{j,i−1} − b_{j,i} = β_{j,i}), so piece i wins on
the open slab β_{j,i} < ⟨v_j, x⟩ < β_{j,i+1}.  The layer's activation regions are
the non-empty intersections of one slab per unit: the regions of the arrangement of
the n(k − 1) hyperplanes H_{j,i} = {⟨v_j, x⟩ = β_{j,i}}.

**General position up to parallelism.**  The breakpoints are
β_{j,i} = j^d + i·δ with δ = 1 / ((d + 1) k).  Any d normals of distinct units form
a Vandermonde matrix, so hyperplanes of m ≤ d distinct units meet in codimension m;
hyperplanes of one unit are parallel and disjoint.  Hyperplanes of d + 1 distinct
units j_0, …, j_d: their normals satisfy the one relation Σ_m λ_m v_{j_m} = 0 with
λ_m = 1 / Π_{m' ≠ m} (j_m − j_{m'}), the coefficients of the d-th divided
difference (which vanishes on every t^e, e < d), so they share a point iff
Σ_m λ_m β_{j_m, i_m} = 0.  That sum is the d-th divided difference of t^d, which is 1,
plus δ Σ_m λ_m i_m, and abs(λ_m) ≤ 1 (integer nodes), so it is at least
1 − δ (d + 1)(k − 1) > 0: no d + 1 of the hyperplanes meet.

**The count.**  By Zaslavsky's theorem the arrangement has
Σ_S (−1)^(#S − rank S) regions over the subsets S with a common point; here those
are the sets of at most d hyperplanes from distinct units, each of rank #S, and
there are Σ_{j ≤ d} C(n, j)(k − 1)^j of them.  The output Σ_j max_i(…) is convex, and
across every facet between two regions some unit changes its slope by a positive
amount, so adjacent regions carry different affine maps; the set where a convex
function equals one of its affine pieces is convex, so no two regions merge: the
linear regions are the activation regions.

Examples
--------
>>> net = generic_maxout_layer(2, 2, 3)           # two units of three pieces on Q^2
>>> [l.activation.value for l in net.layers], net.widths
(['maxout', 'identity'], (2, 2, 1))
>>> net.layers[0].weight[3:], net.layers[0].bias[3:]   # unit 2: v = (1, 2), β = 4 + i/9
(((mpq(0,1), mpq(0,1)), (mpq(1,1), mpq(2,1)), (mpq(2,1), mpq(4,1))), (mpq(0,1), mpq(-37,9), mpq(-25,3)))
"""

from __future__ import annotations

from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt_short
from tropexact.networks.model import MAX_PIECES, Network, network

__all__ = ["generic_maxout_layer", "slab_breakpoints"]


def slab_breakpoints(d: int, n: int, k: int) -> list[tuple[tuple, list]]:
    """Per unit j = 1, …, n: its direction v_j and breakpoints [β_{j,1}, …, β_{j,k−1}].

    Examples
    --------
    >>> slab_breakpoints(1, 2, 3)                     # d = 1: points j + i/6 on the line
    [((mpq(1,1),), [mpq(7,6), mpq(4,3)]), ((mpq(1,1),), [mpq(13,6), mpq(7,3)])]
    """
    for name, v, lo in (("d", d, 1), ("n", n, 1), ("k", k, 1)):
        if type(v) is not int or v < lo:
            raise InputError(f"must be a positive integer, got {v!r:.40}", param=name)
    if k > MAX_PIECES:
        raise InputError(f"at most {MAX_PIECES} pieces, got {fmt_short(k)}", param="k")
    delta = Q(1, (d + 1) * k)
    return [(tuple(Q(j) ** e for e in range(d)), [Q(j) ** d + i * delta for i in range(1, k)])
            for j in range(1, n + 1)]


def generic_maxout_layer(d: int, n: int, k: int) -> Network:
    """One layer of n rank-k maxout units on Q^d with Σ_{j≤d} C(n, j)(k−1)^j regions.

    The output is the sum of the units (weights 1, bias 0).  See the module
    docstring for the construction and the proof of the count.

    Examples
    --------
    >>> net = generic_maxout_layer(1, 3, 2)            # three ReLU-like units on a line
    >>> [net([x])[0] for x in (0, "3/2", 5)]          # breakpoints at 1 + 1/4, 2 + 1/4, 3 + 1/4
    [mpq(0,1), mpq(1,4), mpq(33,4)]
    """
    rows: list[Any] = []
    bias: list[Any] = []
    for v, betas in slab_breakpoints(d, n, k):
        b = Q(0)
        for i in range(k):
            if i:
                b -= betas[i - 1]
            rows.append([i * x for x in v])
            bias.append(b)
    return network(d, [{"weight": rows, "bias": bias, "activation": "maxout", "pieces": k},
                       {"weight": [[1] * n], "bias": [0], "activation": "identity"}])
