r"""Published upper bounds on the number of regions of maxout networks, exactly.

A *rank-k maxout unit* computes :math:`\max_{i=1}^{k}(\langle w_i, x\rangle + b_i)`,
the maximum of :math:`k` affine functions (Goodfellow et al. 2013; the layer
``{"activation": "maxout", "pieces": k}`` of :mod:`tropexact.networks.model`).  A
ReLU is the rank-2 unit :math:`\max(\langle w, x\rangle + b, 0)`, so every bound
here with :math:`k = 2` must be, and is, at least the ReLU bound of
:mod:`tropexact.bounds.published` (and ``montufar2022`` at :math:`k = 2` *is*
``montufar2017``).

The architecture is :math:`(d, n_1, \dots, n_L, p)` with :math:`n_l` the number of
maxout *units* of hidden layer :math:`l` (not the :math:`k \cdot n_l` rows of its
weight matrix) and a linear output; the ranks are one :math:`k` for the whole
network (the papers' setting) or one :math:`k_l` per hidden layer.

Which regions (docs/design.md §2): both bounds count **activation regions**, the
sets of inputs on which every unit's winning piece is fixed (one letter per unit in
a sign vector, ``'a'`` + the piece's index).  Given the winning pieces of the layers
before :math:`l`, the pre-activations of layer :math:`l` are affine, so each such
set is a polyhedron and an activation region is one pattern.  Linear regions are
unions of activation regions, so the bounds bound them too.  For one hidden layer,
``montufar2022`` is the exact maximum of both: the output
:math:`\sum_j \max_i(\dots)` of the construction
:func:`tropexact.bounds.maxout_constructions.generic_maxout_layer` is a convex
function with one linear region per activation region.

``montufar2022``
    :math:`\prod_{l=1}^{L}\sum_{j=0}^{d_l}\binom{n_l}{j}(k_l-1)^j`,
    :math:`d_l=\min(d, n_1, \dots, n_{l-1})`; sharp for :math:`L = 1`.
``serra2018_maxout``
    :math:`\prod_{l=1}^{L}\sum_{j=0}^{d_l}\binom{k_l(k_l-1)n_l/2}{j}`
    (the :math:`\binom{k}{2}` tie hyperplanes of each unit, Zaslavsky).

They are ordered: montufar2022 ≤ serra2018_maxout, factor by factor: a layer
attaining the single-layer maximum is affine on each region of its units' tie
hyperplanes, so that maximum is at most the arrangement's Zaslavsky count
(``tests/test_maxout_bounds.py`` also checks the inequality on a grid).

Examples
--------
>>> {name: b.value for name, b in maxout_bounds("2,4,1", 3).items()}
{'montufar2022': 33, 'serra2018_maxout': 79}
>>> maxout_bounds("2,4,4,1", 2)["montufar2022"].value          # = montufar2017 (k = 2)
121
>>> maxout_bounds("1,3,3,1", 3)["montufar2022"].expression
Sum((k - 1)**j*binomial(n1, j), (j, 0, d))*Sum((k - 1)**j*binomial(n2, j), (j, 0, Min(d, n1)))
"""

from __future__ import annotations

import math
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:  # sympy loads when a formula is first asked for
    import sympy as sp

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt_short
from tropexact.networks.activation import Activation
from tropexact.networks.architecture import Architecture, architecture
from tropexact.networks.model import Network

from .counts import maxout_layer_count, zaslavsky_count
from .record import UPPER, Bound, binomial, bound_symbols, index_symbol

__all__ = ["MAXOUT_BOUND_NAMES", "maxout_ranks", "montufar2022", "serra2018_maxout",
           "maxout_bounds", "maxout_upper_bounds", "network_ranks", "rank_symbol"]

#: The maxout bounds, in the order :func:`maxout_bounds` returns them.
MAXOUT_BOUND_NAMES: tuple[str, ...] = ("montufar2022", "serra2018_maxout")

_MRZ_REF = ("G. Montufar, Y. Ren, L. Zhang, Sharp bounds for the number of regions of maxout "
            "networks and vertices of Minkowski sums, SIAM J. Appl. Algebra Geometry 6(4) "
            "(2022), arXiv:2104.08135: the sharp single-layer bound (the maximum number of "
            "upper vertices of a Minkowski sum of n polytopes with k vertices in R^(d+1)) "
            "and the multi-layer bound built from it")
_SERRA_MAXOUT_REF = ("T. Serra, C. Tjandraatmadja, S. Ramalingam, Bounding and counting linear "
                     "regions of deep neural networks, ICML 2018 (arXiv:1711.02114): 'a first "
                     "upper bound for multi-layer maxout networks', each rank-k unit read as "
                     "its k(k-1)/2 tie hyperplanes")


def maxout_ranks(arch: Architecture, pieces: Any) -> tuple[int, ...]:
    """Validate the ranks: one integer k ≥ 1 for every hidden layer, or one per layer.

    Examples
    --------
    >>> a = architecture("2,4,4,1")
    >>> maxout_ranks(a, 3), maxout_ranks(a, "3"), maxout_ranks(a, [3, 2]), maxout_ranks(a, "2,5")
    ((3, 3), (3, 3), (3, 2), (2, 5))
    >>> maxout_ranks(a, [3])
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: pieces: 1 rank for 2 hidden layers; give one k or one per hidden layer
    """
    if isinstance(pieces, str):
        try:
            pieces = [int(s) for s in pieces.split(",")]
            if len(pieces) == 1:
                pieces = pieces[0]
        except ValueError:
            raise InputError(f"expected an integer or comma-separated integers, got "
                             f"{pieces[:40]!r}", param="pieces") from None
    if type(pieces) is int:
        pieces = [pieces] * arch.L
    if not isinstance(pieces, (list, tuple)) or any(type(k) is not int for k in pieces):
        raise InputError(f"expected an integer or a list of integers, got {pieces!r:.60}",
                         param="pieces")
    if len(pieces) != arch.L:
        raise InputError(f"{len(pieces)} rank{'s' * (len(pieces) != 1)} for {arch.L} "
                         "hidden layers; give one k or one per hidden layer", param="pieces")
    for k in pieces:
        if k < 1:
            raise InputError(f"every rank (pieces of a maxout unit) must be >= 1, got "
                             f"{fmt_short(k)}", param="pieces")
    return tuple(pieces)


def network_ranks(net: Network) -> tuple[Architecture, tuple[int, ...]]:
    """The architecture and ranks under which the maxout bounds apply to *net*.

    Every nonlinear layer is a hidden layer of rank: its ``pieces`` for maxout, 2
    for relu and leaky relu (max(z, t) and max(z, a z) are maxima of two affine
    functions).  The last layer, when it is the identity, is the linear output;
    a nonlinear last layer is a hidden layer followed by an identity output of the
    same width (as in :mod:`tropexact.bounds.published`).  An identity layer between
    hidden layers is composed into the next layer's weights, which gives a network of
    the architecture without it, so that architecture's bounds hold.

    Examples
    --------
    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, 0],
    ...                    "activation": "maxout", "pieces": 3},
    ...                   {"weight": [[1]], "bias": [0], "activation": "relu"}])
    >>> a, ks = network_ranks(net)
    >>> str(a), ks
    ('2,1,1,1', (3, 2))
    """
    widths, ranks = [], []
    for lay in net.layers:
        if lay.activation is Activation.IDENTITY:
            continue
        widths.append(lay.out_dim)
        ranks.append(lay.pieces if lay.activation is Activation.MAXOUT else 2)
    if not widths:
        raise InputError("the network has no nonlinear layer, so no region bound applies",
                         param="net")
    return architecture([net.input_dim, *widths, net.output_dim]), tuple(ranks)


def _dims(a: Architecture) -> list[int]:
    """d_l = min(d, n_1, …, n_{l−1}): the most dimensions layer l's inputs can span."""
    out, m = [], a.input_dim
    for n in a.widths:
        out.append(m)
        m = min(m, n)
    return out


@lru_cache(maxsize=None)
def rank_symbol(l: int | None = None) -> sp.Symbol:
    """The positive integer symbol ``k`` (one rank) or ``k<l>`` (the rank of layer l)."""
    import sympy as sp

    return sp.Symbol("k" if l is None else f"k{l}", integer=True, positive=True)


def _ks(ranks: tuple[int, ...]) -> list:
    same = len(set(ranks)) == 1
    return [rank_symbol(None if same else l) for l in range(1, len(ranks) + 1)]


def montufar2022(arch: Architecture | str | Sequence[int], pieces: Any) -> Bound:
    r"""Montúfar–Ren–Zhang: :math:`\prod_{l}\sum_{j=0}^{d_l}\binom{n_l}{j}(k_l-1)^j`.

    **One layer.**  Unit :math:`j` of a layer on :math:`\mathbb{Q}^d` is the
    tropical polynomial :math:`f_j = \bigoplus_i b_{ji} \odot x^{w_{ji}}`, and the layer's
    activation regions are the cells of :math:`f_1 \odot \dots \odot f_n` (a region
    fixes every unit's winning piece, and conversely).  By the correspondence of
    docs/design.md §2.4 they are the upper vertices of the Minkowski sum
    :math:`P_1 + \dots + P_n \subset \mathbb{Q}^{d+1}`,
    :math:`P_j = \operatorname{conv}\{(w_{ji}, b_{ji})\}_i` (checked on every
    network by :func:`tropexact.verify.theorems.maxout.check_maxout_minkowski`).
    Montúfar, Ren and Zhang prove that a Minkowski sum of :math:`n` polytopes with
    :math:`k_1, \dots, k_n` vertices in :math:`\mathbb{Q}^{d+1}` has at most
    :math:`\sum_{|S| \le d}\prod_{i \in S}(k_i - 1)` upper vertices
    (:func:`~tropexact.bounds.counts.minkowski_upper_vertex_bound`), and that this is
    attained: for :math:`k_i = k` the exact maximum number of regions of a layer of
    :math:`n` rank-:math:`k` units is :math:`\sum_{j=0}^{d}\binom{n}{j}(k-1)^j`.
    Sanity checks of the formula: one unit has :math:`k` regions (:math:`n = 1`);
    on a line each unit adds its :math:`k - 1` breakpoints (:math:`d = 1`:
    :math:`1 + n(k-1)`); with :math:`n \le d` all :math:`k^n` patterns occur; and
    :math:`k = 2` is Zaslavsky's count.

    **Several layers.**  On an activation region of layers :math:`1, \dots, l-1` the
    map from the input to layer :math:`l`'s input is affine and its linear part has
    rank at most :math:`d_l = \min(d, n_1, \dots, n_{l-1})` (each unit outputs one
    number), so layer :math:`l`'s pre-activations factor through
    :math:`\mathbb{Q}^{d_l}` and the region meets at most the single-layer maximum
    in dimension :math:`d_l` of layer :math:`l`'s regions.  Multiplying over the
    layers gives the product, the maxout analogue of :func:`montufar2017` (equal to
    it at :math:`k = 2`); Montúfar, Ren and Zhang derive their multi-layer bound,
    asymptotically sharp, from the single-layer one in this way.

    Reference: G. Montúfar, Y. Ren, L. Zhang, *Sharp bounds for the number of regions
    of maxout networks and vertices of Minkowski sums*, SIAM J. Appl. Algebra Geometry
    6(4), 2022 (arXiv:2104.08135).

    Hypotheses: none (any widths and ranks); sharp for one hidden layer.

    Examples
    --------
    >>> montufar2022("2,4,1", 3).value             # 1 + 4·2 + 6·4
    33
    >>> montufar2022("1,2,2,1", 3).value           # (1 + 2·2)·(1 + 2·2)
    25
    >>> montufar2022("3,1,4,1", [4, 3]).value      # d_2 = 1: 4 · (1 + 4·2)
    36
    >>> montufar2022("2,3,1", [3]).expression
    Sum((k - 1)**j*binomial(n1, j), (j, 0, d))
    """
    a = architecture(arch)
    ks = maxout_ranks(a, pieces)
    value = math.prod(maxout_layer_count(n, k, dl) for n, k, dl in zip(a.widths, ks, _dims(a)))
    hyp = "none (any widths and ranks)" + ("; the exact maximum for one hidden layer"
                                           if a.L == 1 else "")
    return Bound("montufar2022", UPPER, value, True, hyp, _MRZ_REF,
                 partial(_mrz_formula, ks))


def _mrz_formula(ks: tuple[int, ...]) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(len(ks))
    j = index_symbol("j")
    k = _ks(ks)
    return sp.Mul(*[sp.Sum(binomial(ns[l], j) * (k[l] - 1) ** j,
                           (j, 0, sp.Min(d, *ns[:l], evaluate=False) if l else d))
                    for l in range(len(ks))])


def serra2018_maxout(arch: Architecture | str | Sequence[int], pieces: Any) -> Bound:
    r"""Serra–Tjandraatmadja–Ramalingam for maxout: :math:`\prod_l\sum_{j\le d_l}\binom{k_l(k_l-1)n_l/2}{j}`.

    A rank-:math:`k` unit changes its winning piece only where two pieces tie, on
    one of the :math:`\binom{k}{2}` hyperplanes :math:`\langle w_a - w_b, x\rangle
    + b_a - b_b = 0`, so a layer of :math:`n` units is affine on every region of an
    arrangement of :math:`N = n\binom{k}{2}` hyperplanes: at most
    :math:`\sum_{j \le d}\binom{N}{j}` regions (Zaslavsky).  The layers multiply as
    in :func:`montufar2022`, with :math:`d_l = \min(d, n_1, \dots, n_{l-1})`, the
    dimension argument proven there.  Serra et al. gave this product as the first
    upper bound for multi-layer maxout networks; it is never smaller than
    :func:`montufar2022` and grows like :math:`k^{2 d}` per layer instead of
    :math:`k^{d}`.

    Reference: T. Serra, C. Tjandraatmadja, S. Ramalingam, *Bounding and counting
    linear regions of deep neural networks*, ICML 2018 (arXiv:1711.02114), the
    maxout bound.

    Hypotheses: none.

    Examples
    --------
    >>> serra2018_maxout("2,4,1", 3).value          # 12 tie lines: 1 + 12 + 66
    79
    >>> serra2018_maxout("2,4,1", 2).value          # k = 2: Zaslavsky's 1 + 4 + 6
    11
    """
    a = architecture(arch)
    ks = maxout_ranks(a, pieces)
    value = math.prod(zaslavsky_count(n * k * (k - 1) // 2, dl)
                      for n, k, dl in zip(a.widths, ks, _dims(a)))
    return Bound("serra2018_maxout", UPPER, value, True, "none (any widths and ranks)",
                 _SERRA_MAXOUT_REF, partial(_serra_maxout_formula, ks))


def _serra_maxout_formula(ks: tuple[int, ...]) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(len(ks))
    j = index_symbol("j")
    k = _ks(ks)
    return sp.Mul(*[sp.Sum(binomial(k[l] * (k[l] - 1) * ns[l] / 2, j),
                           (j, 0, sp.Min(d, *ns[:l], evaluate=False) if l else d))
                    for l in range(len(ks))])


#: name → the function computing that bound (the order of MAXOUT_BOUND_NAMES).
MAXOUT_BOUND_FUNCTIONS: dict[str, Callable[[Any, Any], Bound]] = {
    "montufar2022": montufar2022, "serra2018_maxout": serra2018_maxout}


def maxout_bounds(arch: Architecture | str | Sequence[int], pieces: Any) -> dict[str, Bound]:
    """Every maxout bound at *arch* with ranks *pieces*, name → :class:`Bound`.

    Examples
    --------
    >>> {k: b.value for k, b in maxout_bounds("2,4,4,1", 3).items()}
    {'montufar2022': 1089, 'serra2018_maxout': 6241}
    """
    a = architecture(arch)
    ks = maxout_ranks(a, pieces)
    return {name: MAXOUT_BOUND_FUNCTIONS[name](a, ks) for name in MAXOUT_BOUND_NAMES}


def maxout_upper_bounds(arch: Architecture | str | Sequence[int], pieces: Any) -> dict[str, int]:
    """The maxout upper bounds, name → exact value.

    Examples
    --------
    >>> maxout_upper_bounds("1,3,1", 4)
    {'montufar2022': 10, 'serra2018_maxout': 19}
    """
    return {k: b.value for k, b in maxout_bounds(arch, pieces).items()
            if b.applicable and b.value is not None}
