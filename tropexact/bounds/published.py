r"""Published bounds on the number of regions of a ReLU network, exactly.

A fully connected ReLU network with architecture :math:`(d, n_1, \dots, n_L, p)`
(input dimension :math:`d`, hidden widths :math:`n_1, \dots, n_L`, a *linear*
output layer of width :math:`p`) is piecewise affine.  The number of its linear
regions depends on the weights; the literature bounds its maximum over all
weights by formulas in :math:`d, n_1, \dots, n_L` only (the output width never
matters).  This module gives each published bound as an exact Python integer and
as a sympy expression in the symbols ``d, n1, ..., nL``, with its reference and
its hypotheses, and reports a bound as *not applicable* when a hypothesis fails.
User formulas are :mod:`tropexact.bounds.formula`'s.

Upper bounds (every network of the architecture has at most this many regions):

``zaslavsky``
    one hidden layer: :math:`\sum_{j=0}^{d}\binom{n}{j}` (hyperplane arrangements).
``zhang2018``
    :math:`\prod_{l=1}^{L}\sum_{i=0}^{d}\binom{n_l}{i}` (tropical geometry).
``montufar2017``
    :math:`\prod_{l=1}^{L}\sum_{j=0}^{d_l}\binom{n_l}{j}`, :math:`d_l=\min(d,n_1,\dots,n_l)`.
``serra2018``
    :math:`\sum_{(j_1,\dots,j_L)\in J}\prod_l\binom{n_l}{j_l}` (dimension bottlenecks).

They are ordered, for every architecture:
:math:`\text{serra2018} \le \text{montufar2017} \le \text{zhang2018}`.  Proof: in
Serra's index set :math:`J` every :math:`j_l \le \min(d, n_1, \dots, n_l) = d_l`
(because :math:`n_k - j_k \le n_k`), so :math:`J \subseteq \prod_l \{0, \dots, d_l\}`
and Serra's sum is at most the expanded product
:math:`\prod_l \sum_{j \le d_l} \binom{n_l}{j}`; and :math:`d_l \le d` term by term.
With one hidden layer all four coincide (terms with :math:`j > n` vanish).

Each upper bound bounds the *activation regions* of docs/design.md §2 (notion 1),
hence the linear regions (notion 2): Serra et al. count regions as activation
patterns (their Definition 2) and bound those; the other two are larger.  The
bounds assume a linear output layer; a network whose output layer has a ReLU is,
for these bounds, the architecture :math:`(d, n_1, \dots, n_L, p, p)`.

Lower bounds (*some* network of the architecture has at least this many linear
regions; a particular network can have far fewer):

``montufar2014_lower``
    :math:`n_l \ge d`: :math:`\bigl(\prod_{l<L}\lfloor n_l/d\rfloor^{d}\bigr)\sum_{j=0}^{d}\binom{n_L}{j}`.
``serra2018_lower``
    :math:`n_l \ge 3d`: :math:`\bigl(\prod_{l<L}(\lfloor n_l/d\rfloor+1)^{d}\bigr)\sum_{j=0}^{d}\binom{n_L}{j}`.

Both lower-bound formulas of docs/design.md §4 were checked against the
literature (see each function); the hypothesis is on *every* hidden layer, the
last one included.

Each bound function takes the architecture ``arch``: an :class:`Architecture`,
text such as ``"2,4,4,1"`` or a sequence of integers :math:`(d, n_1, \dots, n_L, p)`.
It returns a :class:`Bound` whose value is a Python integer (``math.comb``),
computed directly, never from the sympy expression.

Examples
--------
>>> from tropexact.bounds.published import all_bounds, upper_bounds
>>> upper_bounds("2,2,2,1")
{'zhang2018': 16, 'montufar2017': 16, 'serra2018': 11}
>>> b = all_bounds((2, 3, 3, 1))
>>> b["serra2018"].value, b["zaslavsky"].applicable, b["montufar2014_lower"].value
(40, False, 7)
>>> b["zhang2018"].expression
Sum(binomial(n1, i), (i, 0, d))*Sum(binomial(n2, i), (i, 0, d))
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:  # sympy loads when a formula is first asked for (0.3 s), not to compute values
    import sympy as sp

from tropexact.exact.numbers import fmt_short
from tropexact.networks.architecture import Architecture, architecture

from .counts import zaslavsky_count
from .lower import montufar2014_lower, serra2018_lower
from .record import (BOUND_NAMES, LOWER, UPPER, Bound, binomial, describe_layers, index_symbol,
                     layers_narrower, bound_symbols)

__all__ = [
    "Architecture", "Bound", "BOUND_NAMES", "UPPER", "LOWER", "architecture",
    "bound_symbols", "zaslavsky_count", "zaslavsky", "zhang2018", "montufar2017",
    "serra2018", "montufar2014_lower", "serra2018_lower", "all_bounds", "upper_bounds",
    "BOUND_FUNCTIONS",
]

_ZASLAVSKY_REF = ("T. Zaslavsky, Facing up to arrangements: face-count formulas for "
                  "partitions of space by hyperplanes, Mem. Amer. Math. Soc. 154 (1975): "
                  "n hyperplanes in general position cut R^d into sum_{j<=d} C(n, j) "
                  "regions, the most possible; hence the exact maximum for one hidden "
                  "layer (Serra, Tjandraatmadja & Ramalingam 2018, Thm 1, 'tight when L = 1')")
_ZHANG_REF = ("L. Zhang, G. Naitzat, L.-H. Lim, Tropical geometry of deep neural networks, "
              "ICML 2018 (PMLR 80), Theorem 6.3")
_MONTUFAR17_REF = ("G. Montufar, Notes on the number of linear regions of deep neural "
                   "networks, SampTA 2017; M. Raghu, B. Poole, J. Kleinberg, S. Ganguli, "
                   "J. Sohl-Dickstein, On the expressive power of deep neural networks, "
                   "ICML 2017 (asymptotic form O(n^(L d))); quoted in this form by Serra "
                   "et al. 2018, Sec. 3")
_SERRA_REF = ("T. Serra, C. Tjandraatmadja, S. Ramalingam, Bounding and counting linear "
              "regions of deep neural networks, ICML 2018 (arXiv:1711.02114), Theorem 1")
def zaslavsky(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Zaslavsky's count: the exact maximum for one hidden layer.

    With one hidden layer of :math:`n` ReLUs, the network is affine on each region of
    the arrangement of the :math:`n` hyperplanes :math:`w_i \cdot x + b_i = 0` in
    :math:`\mathbb{Q}^d`.  Zaslavsky's theorem counts those regions:
    :math:`\sum_{j=0}^{d}\binom{n}{j}`, attained exactly when the hyperplanes are in
    general position (every :math:`j \le d` of them meet in codimension :math:`j`,
    none more).  Each term counts the regions born when a :math:`j`-fold intersection
    appears.  For :math:`n \le d` the sum is :math:`2^n`: every activation pattern
    occurs.

    Reference: T. Zaslavsky, *Facing up to arrangements*, Mem. Amer. Math. Soc. 154
    (1975); as the one-layer maximum also Serra, Tjandraatmadja & Ramalingam (2018),
    Theorem 1 ("tight when L = 1").

    Hypotheses: exactly one hidden layer (:math:`L = 1`); any :math:`n`, :math:`d`.

    Examples
    --------
    >>> zaslavsky("2,5,1").value        # 1 + 5 + 10 lines in general position
    16
    >>> zaslavsky("2,5,1").expression
    Sum(binomial(n1, j), (j, 0, d))
    >>> zaslavsky("2,2,2,1").applicable
    False
    """
    a = architecture(arch)
    if a.L != 1:
        return Bound("zaslavsky", UPPER, None, False,
                     f"needs exactly one hidden layer (L = 1); here L = {a.L}",
                     _ZASLAVSKY_REF, None)
    return Bound("zaslavsky", UPPER, zaslavsky_count(a.widths[0], a.input_dim), True,
                 "one hidden layer (L = 1): holds", _ZASLAVSKY_REF, _zaslavsky_formula)


def _zaslavsky_formula() -> sp.Expr:
    import sympy as sp

    d, (n1,) = bound_symbols(1)
    j = index_symbol("j")
    return sp.Sum(binomial(n1, j), (j, 0, d))


def zhang2018(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Zhang–Naitzat–Lim: :math:`\prod_{l=1}^{L}\sum_{i=0}^{d}\binom{n_l}{i}`.

    Why, by induction over the layers: on each region of the first :math:`l - 1`
    layers (a convex subset of :math:`\mathbb{Q}^d`) the pre-activations of layer
    :math:`l` are affine, so its :math:`n_l` ReLUs cut the region along at most
    :math:`n_l` hyperplanes of :math:`\mathbb{Q}^d`, into at most
    :math:`\sum_{i=0}^{d}\binom{n_l}{i}` pieces (Zaslavsky).  Multiplying over the
    layers gives the product.  Zhang et al. obtain it from the tropical picture: the
    regions correspond to upper vertices of Newton polytopes (docs/design.md §2) built from
    zonotopes layer by layer.

    Reference: L. Zhang, G. Naitzat, L.-H. Lim, *Tropical geometry of deep neural
    networks*, ICML 2018, Theorem 6.3.

    Hypotheses: the theorem is stated for :math:`n_l \ge d` for every hidden layer.
    **Decision:** the bound is reported as applicable for every architecture, because
    the formula is a valid upper bound without that hypothesis: each factor
    :math:`\sum_{i \le d}\binom{n_l}{i}` is at least :math:`\sum_{j \le d_l}\binom{n_l}{j}`
    (:math:`d_l \le d`), so the product is at least :func:`montufar2017`, which holds
    for all widths.  The ``hypotheses`` text says when the paper's width condition
    fails.  (When :math:`n_l < d` the factor is :math:`2^{n_l}`.)

    Examples
    --------
    >>> zhang2018("2,3,3,1").value         # (1 + 3 + 3)^2
    49
    >>> zhang2018("1," + "5," * 10 + "1").value == 6 ** 10
    True
    >>> zhang2018("3,2,5,1").hypotheses.startswith("Thm 6.3 assumes")
    True
    """
    a = architecture(arch)
    value = math.prod(zaslavsky_count(n, a.input_dim) for n in a.widths)
    narrow = layers_narrower(a, a.input_dim)
    if narrow:
        hyp = (f"Thm 6.3 assumes n_l >= d for every hidden layer, which fails here "
               f"({describe_layers(a, narrow, f'd = {fmt_short(a.input_dim)}')}); the value is still an "
               f"upper bound: it is >= montufar2017, which needs no width hypothesis")
    else:
        hyp = "n_l >= d for every hidden layer (Thm 6.3): holds"
    return Bound("zhang2018", UPPER, value, True, hyp, _ZHANG_REF, partial(_zhang_formula, a.L))


def _zhang_formula(L: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    i = index_symbol("i")
    return sp.Mul(*[sp.Sum(binomial(n, i), (i, 0, d)) for n in ns])


def montufar2017(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Montúfar 2017 / Raghu et al. 2017: :math:`\prod_l\sum_{j=0}^{d_l}\binom{n_l}{j}`.

    Here :math:`d_l = \min(d, n_1, \dots, n_l)`.  On a region of the first
    :math:`l - 1` layers the network is affine, so the :math:`n_l` switching
    hyperplanes of layer :math:`l`, pulled back to the input space, have normals in
    the row space of a product of matrices of ranks at most
    :math:`d, n_1, \dots, n_{l-1}`, and they have only :math:`n_l` rows themselves:
    their normals span a space of dimension at most :math:`d_l`.  :math:`n_l`
    hyperplanes whose normals span dimension :math:`r` make at most
    :math:`\sum_{j \le r}\binom{n_l}{j}` regions (Zaslavsky in the row space), so
    layer :math:`l` multiplies the count by at most that sum.  Compared with
    :func:`zhang2018`, a narrow layer throttles every later one.

    Reference: G. Montúfar, *Notes on the number of linear regions of deep neural
    networks*, SampTA 2017; M. Raghu, B. Poole, J. Kleinberg, S. Ganguli,
    J. Sohl-Dickstein, *On the expressive power of deep neural networks*, ICML 2017
    (the asymptotic form :math:`O(n^{Ld})`).  Quoted in exactly this form by Serra et
    al. 2018, Sec. 3.

    Hypotheses: none (any widths and input dimension).

    Examples
    --------
    >>> montufar2017("3,2,5,1").value    # d_1 = 2, d_2 = 2: (1+2+1) * (1+5+10)
    64
    >>> montufar2017("2,2,2,1").expression
    Sum(binomial(n1, j), (j, 0, Min(d, n1)))*Sum(binomial(n2, j), (j, 0, Min(d, n1, n2)))
    """
    a = architecture(arch)
    value, dl = 1, a.input_dim
    for n in a.widths:
        dl = min(dl, n)
        value *= zaslavsky_count(n, dl)
    return Bound("montufar2017", UPPER, value, True, "none (any widths)",
                 _MONTUFAR17_REF, partial(_montufar2017_formula, a.L))


def _montufar2017_formula(L: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    j = index_symbol("j")
    return sp.Mul(*[sp.Sum(binomial(ns[l], j), (j, 0, sp.Min(d, *ns[:l + 1], evaluate=False)))
                    for l in range(L)])


def _serra_dp(d: int, widths: Sequence[int]) -> int:
    r"""Serra's sum by dynamic programming over the running bottleneck.

    Let :math:`m_0 = d` and :math:`m_l = \min(m_{l-1}, n_l - j_l)`.  The constraint
    :math:`j_l \le \min(d, n_1 - j_1, \dots, n_{l-1} - j_{l-1}, n_l)` is
    :math:`j_l \le \min(m_{l-1}, n_l)`, so the sum only depends on the prefix through
    :math:`m_{l-1} \in \{0, \dots, d\}`: keep, for each value of :math:`m`, the total
    weight :math:`\prod_{k \le l}\binom{n_k}{j_k}` of the prefixes that reach it.
    Cost :math:`O(L \cdot \min(d, n_1) \cdot \min(d, \max n_l))` big-integer operations.
    """
    weight: dict[int, int] = {d: 1}
    for n in widths:
        nxt: dict[int, int] = {}
        for m, w in weight.items():
            for j in range(min(m, n) + 1):
                m2 = min(m, n - j)
                nxt[m2] = nxt.get(m2, 0) + w * math.comb(n, j)
        weight = nxt
    return sum(weight.values())


def serra2018(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Serra–Tjandraatmadja–Ramalingam: the bottleneck sum over activation dimensions.

    .. math::
        \sum_{(j_1,\dots,j_L)\in J}\ \prod_{l=1}^{L}\binom{n_l}{j_l},\qquad
        J = \{ j \in \mathbb{Z}^L : 0 \le j_l \le
               \min(d, n_1 - j_1, \dots, n_{l-1} - j_{l-1}, n_l)\ \forall l \}.

    Why: call the *dimension* of a region after layer :math:`l` the rank of the
    linear part of the map from the input to layer :math:`l`'s output on it; it is at
    most :math:`\min(d, |S^1|, \dots, |S^l|)`, :math:`S^k` the active neurons, and it
    can only fall from layer to layer.  Inside a region of dimension :math:`r`, the
    :math:`n_l` neurons of layer :math:`l` make at most
    :math:`\sum_{j \le \min(r, n_l)}\binom{n_l}{j}` regions (Zaslavsky in the row
    space), and in the term :math:`\binom{n_l}{j}` at most :math:`n_l - j` neurons
    are active, so those sub-regions have dimension at most :math:`\min(r, n_l - j)`
    (Serra et al.'s argument, with :math:`j_l` the index of the Zaslavsky term chosen
    at layer :math:`l`).  Unrolling the recurrence gives the sum.  The bound is at
    most :func:`montufar2017` (relax :math:`n_k - j_k` to :math:`n_k`), is tight for
    :math:`L = 1`, and for :math:`d = 1` and all :math:`n_l \ge 2` equals
    :math:`\prod_l (n_l + 1)` (Serra et al. show this is the exact maximum when all
    :math:`n_l \ge 3`).  It is computed here by the dynamic programme
    :func:`_serra_dp`, not by enumerating :math:`J`.

    Reference: T. Serra, C. Tjandraatmadja, S. Ramalingam, *Bounding and counting
    linear regions of deep neural networks*, ICML 2018 (arXiv:1711.02114), Theorem 1.

    Hypotheses: none (any widths and input dimension).

    The expression is the explicit nested sum for this :math:`L`, indices
    ``j1, ..., jL`` (sympy lists the innermost limit first).

    Examples
    --------
    >>> serra2018("2,2,2,1").value
    11
    >>> serra2018("3,4,4,4,1").value
    1631
    >>> serra2018("2,1,3,1").expression
    Sum(binomial(n1, j1)*binomial(n2, j2), (j2, 0, Min(d, n2, -j1 + n1)), (j1, 0, Min(d, n1)))
    >>> serra2018("10," + "100," * 50 + "1").value > 10 ** 600   # fast at depth 50
    True
    """
    a = architecture(arch)
    return Bound("serra2018", UPPER, _serra_dp(a.input_dim, a.widths), True,
                 "none (any widths); tight for one hidden layer", _SERRA_REF,
                 partial(_serra_formula, a.L))


def _serra_formula(L: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    js = [index_symbol(f"j{l}") for l in range(1, L + 1)]
    limits = []
    for l in range(L):
        top = sp.Min(d, *[ns[k] - js[k] for k in range(l)], ns[l], evaluate=False)
        limits.append((js[l], 0, top))
    return sp.Sum(sp.Mul(*[binomial(ns[l], js[l]) for l in range(L)]), *reversed(limits))


#: name → the function computing that bound at an architecture (the order of BOUND_NAMES).
BOUND_FUNCTIONS: dict[str, Callable[[Any], Bound]] = {
    "zaslavsky": zaslavsky, "zhang2018": zhang2018, "montufar2017": montufar2017,
    "serra2018": serra2018, "montufar2014_lower": montufar2014_lower,
    "serra2018_lower": serra2018_lower,
}


def all_bounds(arch: Architecture | str | Sequence[int]) -> dict[str, Bound]:
    """Every bound of docs/design.md §4 at *arch*, name → :class:`Bound`, in the order
    of :data:`BOUND_NAMES`.

    Examples
    --------
    >>> {k: b.value for k, b in all_bounds("2,4,4,1").items()}
    {'zaslavsky': None, 'zhang2018': 121, 'montufar2017': 121, 'serra2018': 121, 'montufar2014_lower': 44, 'serra2018_lower': None}
    """
    a = architecture(arch)
    return {name: BOUND_FUNCTIONS[name](a) for name in BOUND_NAMES}


def upper_bounds(arch: Architecture | str | Sequence[int]) -> dict[str, int]:
    """The applicable upper bounds, name → exact value.

    Examples
    --------
    >>> upper_bounds("2,5,1")
    {'zaslavsky': 16, 'zhang2018': 16, 'montufar2017': 16, 'serra2018': 16}
    """
    return {k: b.value for k, b in all_bounds(arch).items()
            if b.kind == UPPER and b.applicable and b.value is not None}
