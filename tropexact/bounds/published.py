r"""Published bounds on the number of regions of a ReLU network, exactly.

A fully connected ReLU network with architecture :math:`(d, n_1, \dots, n_L, p)`
(input dimension :math:`d`, hidden widths :math:`n_1, \dots, n_L`, a *linear*
output layer of width :math:`p`) is piecewise affine.  The number of its linear
regions depends on the weights; the literature bounds its maximum over all
weights by formulas in :math:`d, n_1, \dots, n_L` only (the output width never
matters).  This module gives each published bound as an exact Python integer and
as a sympy expression in the symbols ``d, n1, ..., nL``, with its reference and
its hypotheses, and reports a bound as *not applicable* when a hypothesis fails.

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

Each upper bound bounds the *activation regions* of DESIGN §2 (notion 1), hence
the linear regions (notion 2): Serra et al. count regions as activation patterns
(their Definition 2) and bound those; the other two are larger.  The bounds assume
a linear output layer; a network whose output layer has a ReLU is, for these
bounds, the architecture :math:`(d, n_1, \dots, n_L, p, p)`.

Lower bounds (*some* network of the architecture has at least this many linear
regions; a particular network can have far fewer):

``montufar2014_lower``
    :math:`n_l \ge d`: :math:`\bigl(\prod_{l<L}\lfloor n_l/d\rfloor^{d}\bigr)\sum_{j=0}^{d}\binom{n_L}{j}`.
``serra2018_lower``
    :math:`n_l \ge 3d`: :math:`\bigl(\prod_{l<L}(\lfloor n_l/d\rfloor+1)^{d}\bigr)\sum_{j=0}^{d}\binom{n_L}{j}`.

Both lower-bound formulas of DESIGN §4 were checked against the literature:
Serra et al.'s own text (their theorem verbatim, the quotation of Montúfar et
al.'s bound "when :math:`n \ge n_0`", and their account of the difference between
the two), and a study note of Montúfar et al.'s Sec. 3.2 (hypothesis
:math:`n_i \ge n_0` for all :math:`i \in [L]`).  Formulas and hypotheses agree
with DESIGN; the hypothesis is on *every* hidden layer, the last one included.

Exactness.  Values are Python integers (``math.comb``); formulas are sympy
expressions, evaluated by :func:`evaluate_bound` with exact rationals by explicit
iteration.  sympy's own ``Sum.doit()`` is *not* used: on Serra's nested sum it
sums the inner binomial sum over a symbolic limit in closed form and gets it
wrong (sympy 1.14 returns 16 for the architecture 2,2,2,1, where the true value is 11).

Examples
--------
>>> from tropexact.bounds.published import all_bounds, upper_bounds, evaluate_bound
>>> upper_bounds("2,2,2,1")
{'zhang2018': 16, 'montufar2017': 16, 'serra2018': 11}
>>> b = all_bounds((2, 3, 3, 1))
>>> b["serra2018"].value, b["zaslavsky"].applicable, b["montufar2014_lower"].value
(40, False, 7)
>>> b["zhang2018"].expression
Sum(binomial(n1, i), (i, 0, d))*Sum(binomial(n2, i), (i, 0, d))
>>> evaluate_bound("Sum(binomial(n1, j), (j, 0, d)) * (n2 + 1)", "2,3,3,1")
28
>>> evaluate_bound("serra2018", "1,2,2,1")
9
"""

from __future__ import annotations

import difflib

import ast
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import sympy as sp

from tropexact.errors import InputError
from tropexact.networks.architecture import Architecture, architecture

__all__ = [
    "Architecture", "Bound", "BOUND_NAMES", "UPPER", "LOWER", "architecture",
    "bound_symbols", "zaslavsky", "zhang2018", "montufar2017", "serra2018",
    "montufar2014_lower", "serra2018_lower", "all_bounds", "upper_bounds",
    "bound_expression", "evaluate_bound", "evaluate_expression",
]

UPPER = "upper"
LOWER = "lower"

#: The bounds, in the order :func:`all_bounds` returns them (DESIGN §6's JSON keys).
BOUND_NAMES: tuple[str, ...] = ("zaslavsky", "zhang2018", "montufar2017", "serra2018",
                                "montufar2014_lower", "serra2018_lower")


# --------------------------------------------------------------------------------------
# Architectures and symbols
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def bound_symbols(L: int) -> tuple[sp.Symbol, tuple[sp.Symbol, ...]]:
    """The symbols ``d`` and ``(n1, ..., nL)`` of the bound formulas.

    All are positive integer sympy symbols; the same objects are returned on every
    call, so formulas built here and formulas parsed by :func:`bound_expression`
    share their symbols.

    Examples
    --------
    >>> bound_symbols(3)
    (d, (n1, n2, n3))
    """
    if isinstance(L, bool) or not isinstance(L, int) or L < 1:
        raise InputError(f"the number of hidden layers must be a positive integer, got {L!r}")
    d = sp.Symbol("d", integer=True, positive=True)
    return d, tuple(sp.Symbol(f"n{l}", integer=True, positive=True) for l in range(1, L + 1))


@lru_cache(maxsize=None)
def _index(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True)


def _binom(n: sp.Expr, k: sp.Expr) -> sp.Expr:
    # unevaluated: sympy's binomial.eval queries assumptions and costs ~5 ms a call
    return sp.binomial(n, k, evaluate=False)


# --------------------------------------------------------------------------------------
# The Bound record and the bounds
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bound:
    """One published bound evaluated at one architecture.

    Attributes
    ----------
    name : str
        One of :data:`BOUND_NAMES`.
    kind : {"upper", "lower"}
        ``"upper"``: no network of the architecture has more linear regions.
        ``"lower"``: some network of the architecture has at least this many.
    value : int or None
        The exact value; ``None`` when not applicable.
    applicable : bool
        Whether the theorem's hypotheses hold for this architecture.
    hypotheses : str
        The hypotheses and whether they hold (which one fails, if any).
    reference : str
        Authors, year, venue and theorem.
    expression : sympy.Expr or None
        The formula in ``d, n1, ..., nL`` for this depth ``L`` (``None`` when the
        formula does not exist at this depth, e.g. Zaslavsky's for ``L >= 2``).
    """

    name: str
    kind: str
    value: int | None
    applicable: bool
    hypotheses: str
    reference: str
    expression: sp.Expr | None


def _sum_binom(n: int, top: int) -> int:
    """Σ_{j=0}^{top} C(n, j), summing only the non-zero terms j ≤ n."""
    return sum(math.comb(n, j) for j in range(min(top, n) + 1))


def _widths_below(a: Architecture, lo: int, factor: int = 1) -> list[int]:
    return [l for l, n in enumerate(a.widths, 1) if n < factor * lo]


def _fmt_layers(a: Architecture, layers: list[int], what: str) -> str:
    return ", ".join(f"n{l} = {a.widths[l - 1]} < {what}" for l in layers)


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
_MONTUFAR14_REF = ("G. Montufar, R. Pascanu, K. Cho, Y. Bengio, On the number of linear "
                   "regions of deep neural networks, NIPS 2014, Sec. 3.2 'Formal result' "
                   "(its rectifier lower-bound theorem, which Serra et al. 2018 cite as "
                   "Theorem 5; the number was not checked against the proceedings)")
_SERRA_LOWER_REF = ("T. Serra, C. Tjandraatmadja, S. Ramalingam, Bounding and counting "
                    "linear regions of deep neural networks, ICML 2018 (arXiv:1711.02114), "
                    "Sec. 3.3 'A lower bound on the maximal number of linear regions' "
                    "(Theorem 6 of the ICLR 2018 submission text; later versions renumber)")


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

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    Bound
        Not applicable (value ``None``, expression ``None``) when :math:`L \ge 2`.

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
    d, (n1,) = bound_symbols(1)
    j = _index("j")
    return Bound("zaslavsky", UPPER, _sum_binom(a.widths[0], a.input_dim), True,
                 "one hidden layer (L = 1): holds", _ZASLAVSKY_REF,
                 sp.Sum(_binom(n1, j), (j, 0, d)))


def zhang2018(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Zhang–Naitzat–Lim: :math:`\prod_{l=1}^{L}\sum_{i=0}^{d}\binom{n_l}{i}`.

    Why, by induction over the layers: on each region of the first :math:`l - 1`
    layers (a convex subset of :math:`\mathbb{Q}^d`) the pre-activations of layer
    :math:`l` are affine, so its :math:`n_l` ReLUs cut the region along at most
    :math:`n_l` hyperplanes of :math:`\mathbb{Q}^d`, into at most
    :math:`\sum_{i=0}^{d}\binom{n_l}{i}` pieces (Zaslavsky).  Multiplying over the
    layers gives the product.  Zhang et al. obtain it from the tropical picture: the
    regions correspond to upper vertices of Newton polytopes (DESIGN §2) built from
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

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    Bound

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
    d, ns = bound_symbols(a.L)
    i = _index("i")
    value = math.prod(_sum_binom(n, a.input_dim) for n in a.widths)
    expr = sp.Mul(*[sp.Sum(_binom(n, i), (i, 0, d)) for n in ns])
    narrow = _widths_below(a, a.input_dim)
    if narrow:
        hyp = (f"Thm 6.3 assumes n_l >= d for every hidden layer, which fails here "
               f"({_fmt_layers(a, narrow, f'd = {a.input_dim}')}); the value is still an "
               f"upper bound: it is >= montufar2017, which needs no width hypothesis")
    else:
        hyp = "n_l >= d for every hidden layer (Thm 6.3): holds"
    return Bound("zhang2018", UPPER, value, True, hyp, _ZHANG_REF, expr)


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

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    Bound

    Examples
    --------
    >>> montufar2017("3,2,5,1").value    # d_1 = 2, d_2 = 2: (1+2+1) * (1+5+10)
    64
    >>> montufar2017("2,2,2,1").expression
    Sum(binomial(n1, j), (j, 0, Min(d, n1)))*Sum(binomial(n2, j), (j, 0, Min(d, n1, n2)))
    """
    a = architecture(arch)
    d, ns = bound_symbols(a.L)
    j = _index("j")
    value, dl = 1, a.input_dim
    for n in a.widths:
        dl = min(dl, n)
        value *= _sum_binom(n, dl)
    expr = sp.Mul(*[sp.Sum(_binom(ns[l], j), (j, 0, sp.Min(d, *ns[:l + 1], evaluate=False)))
                    for l in range(a.L)])
    return Bound("montufar2017", UPPER, value, True, "none (any widths)",
                 _MONTUFAR17_REF, expr)


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

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    Bound
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
    d, ns = bound_symbols(a.L)
    js = [_index(f"j{l}") for l in range(1, a.L + 1)]
    limits = []
    for l in range(a.L):
        top = sp.Min(d, *[ns[k] - js[k] for k in range(l)], ns[l], evaluate=False)
        limits.append((js[l], 0, top))
    expr = sp.Sum(sp.Mul(*[_binom(ns[l], js[l]) for l in range(a.L)]), *reversed(limits))
    return Bound("serra2018", UPPER, _serra_dp(a.input_dim, a.widths), True,
                 "none (any widths); tight for one hidden layer", _SERRA_REF, expr)


def _lower_common(a: Architecture, name: str, factor: int, plus: int, ref: str,
                  paper: str) -> Bound:
    d, ns = bound_symbols(a.L)
    j = _index("j")
    last = sp.Sum(_binom(ns[-1], j), (j, 0, d))
    expr = sp.Mul(*[(sp.floor(n / d, evaluate=False) + plus) ** d for n in ns[:-1]]) * last
    need = f"{factor}d" if factor > 1 else "d"
    narrow = _widths_below(a, a.input_dim, factor)
    if narrow:
        return Bound(name, LOWER, None, False,
                     f"needs n_l >= {need} for every hidden layer l = 1..L ({paper}); fails: "
                     + _fmt_layers(a, narrow, f"{need} = {factor * a.input_dim}"),
                     ref, expr)
    dd = a.input_dim
    value = math.prod((n // dd + plus) ** dd for n in a.widths[:-1])
    value *= _sum_binom(a.widths[-1], dd)
    return Bound(name, LOWER, value, True,
                 f"n_l >= {need} for every hidden layer l = 1..L ({paper}): holds", ref, expr)


def montufar2014_lower(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Montúfar–Pascanu–Cho–Bengio lower bound: deep nets fold space.

    .. math::
        \Bigl(\prod_{l=1}^{L-1}\Bigl\lfloor\frac{n_l}{d}\Bigr\rfloor^{d}\Bigr)
        \sum_{j=0}^{d}\binom{n_L}{j}.

    Construction: split the :math:`n_l` units of a hidden layer into :math:`d` groups
    of :math:`p = \lfloor n_l/d \rfloor` (spare units unused); group :math:`k` computes
    a zigzag of coordinate :math:`k` with :math:`p` teeth, which folds the unit cube
    onto itself :math:`p` times along that axis.  Each of the first :math:`L - 1`
    layers thus identifies :math:`p^d` cubes, and the last hidden layer, a generic
    arrangement of :math:`n_L` hyperplanes (Zaslavsky's count), is replicated in every
    one of the :math:`\prod_{l<L}\lfloor n_l/d\rfloor^{d}` identified cubes.

    It is a bound on the *maximum* over weights: some network of the architecture has
    at least this many linear regions.

    Reference: G. Montúfar, R. Pascanu, K. Cho, Y. Bengio, *On the number of linear
    regions of deep neural networks*, NIPS 2014, Sec. 3.2 "Formal result" (its
    rectifier lower-bound theorem; Serra et al. 2018 cite it as "Theorem 5"; the
    theorem number was not checked against the proceedings, where we believe it is
    Theorem 4).  Checked against DESIGN §4: the formula and the hypothesis agree
    (Serra et al. quote the same formula, "when :math:`n \ge n_0`", and a study note
    of Sec. 3.2 states the hypothesis as :math:`n_i \ge n_0` for all
    :math:`i \in [L]`).

    Hypotheses: :math:`n_l \ge d` for **every** hidden layer :math:`l = 1, \dots, L`
    (the paper: ":math:`n_i \ge n_0` rectifiers at the :math:`i`-th layer", for all
    :math:`i`), the last layer included.

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    Bound
        Not applicable (value ``None``) when some :math:`n_l < d`; the expression is
        given either way.

    Examples
    --------
    >>> montufar2014_lower("1,3,3,1").value     # 3 teeth, then 1 + 3 regions in each
    12
    >>> montufar2014_lower("2,4,4,1").value     # floor(4/2)^2 * (1 + 4 + 6)
    44
    >>> montufar2014_lower("2,4,1,1").applicable
    False
    """
    return _lower_common(architecture(arch), "montufar2014_lower", 1, 0, _MONTUFAR14_REF,
                         "Montufar et al. 2014")


def serra2018_lower(arch: Architecture | str | Sequence[int]) -> Bound:
    r"""Serra–Tjandraatmadja–Ramalingam lower bound: one more tooth per fold.

    .. math::
        \Bigl(\prod_{l=1}^{L-1}\Bigl(\Bigl\lfloor\frac{n_l}{d}\Bigr\rfloor + 1\Bigr)^{d}\Bigr)
        \sum_{j=0}^{d}\binom{n_L}{j}.

    The construction of :func:`montufar2014_lower` with a better one-dimensional
    zigzag: :math:`p` units make :math:`p + 1` (instead of :math:`p`) pieces that are
    all mapped onto the whole interval, so no region of image dimension zero is
    wasted; it needs at least three units per coordinate.  For :math:`d = 1` it
    equals :math:`\prod_l (n_l + 1)`, Serra's upper bound: the exact maximum.

    It is a bound on the *maximum* over weights: some network of the architecture has
    at least this many linear regions.

    Reference: T. Serra, C. Tjandraatmadja, S. Ramalingam, *Bounding and counting
    linear regions of deep neural networks*, ICML 2018 (arXiv:1711.02114), Sec. 3.3
    "A lower bound on the maximal number of linear regions" (Theorem 6 in the ICLR
    2018 submission text that was checked; later versions renumber the theorems).
    Checked against DESIGN §4: formula and hypothesis agree.  The paper states the
    difference from Montúfar et al. (2014) as replacing :math:`n_l \ge n_0` by the more
    restrictive :math:`n_l \ge 3 n_0` and :math:`\lfloor n_l/n_0\rfloor` by
    :math:`\lfloor n_l/n_0\rfloor + 1`.

    Hypotheses: :math:`n_l \ge 3d` for **every** hidden layer :math:`l = 1, \dots, L`
    ("with :math:`n_l \ge 3n_0` for all :math:`l`"), the last layer included.

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    Bound
        Not applicable (value ``None``) when some :math:`n_l < 3d`.

    Examples
    --------
    >>> serra2018_lower("1,3,3,1").value        # (3 + 1) * (1 + 3) = Serra's upper bound
    16
    >>> serra2018_lower("2,6,6,1").value        # (3 + 1)^2 * (1 + 6 + 15)
    352
    >>> serra2018_lower("2,4,4,1").hypotheses
    'needs n_l >= 3d for every hidden layer l = 1..L (Serra et al. 2018); fails: n1 = 4 < 3d = 6, n2 = 4 < 3d = 6'
    """
    return _lower_common(architecture(arch), "serra2018_lower", 3, 1, _SERRA_LOWER_REF,
                         "Serra et al. 2018")


_BOUNDS: dict[str, Callable[[Any], Bound]] = {
    "zaslavsky": zaslavsky, "zhang2018": zhang2018, "montufar2017": montufar2017,
    "serra2018": serra2018, "montufar2014_lower": montufar2014_lower,
    "serra2018_lower": serra2018_lower,
}


def all_bounds(arch: Architecture | str | Sequence[int]) -> dict[str, Bound]:
    """Every bound of DESIGN §4 at one architecture, in the order of :data:`BOUND_NAMES`.

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``, e.g. ``"2,4,4,1"`` or ``(2, 4, 4, 1)``.

    Returns
    -------
    dict of str to Bound

    Examples
    --------
    >>> {k: b.value for k, b in all_bounds("2,4,4,1").items()}
    {'zaslavsky': None, 'zhang2018': 121, 'montufar2017': 121, 'serra2018': 121, 'montufar2014_lower': 44, 'serra2018_lower': None}
    """
    a = architecture(arch)
    return {name: _BOUNDS[name](a) for name in BOUND_NAMES}


def upper_bounds(arch: Architecture | str | Sequence[int]) -> dict[str, int]:
    """The applicable upper bounds, name → exact value.

    Examples
    --------
    >>> upper_bounds("2,5,1")
    {'zaslavsky': 16, 'zhang2018': 16, 'montufar2017': 16, 'serra2018': 16}
    """
    return {k: b.value for k, b in all_bounds(arch).items()
            if b.kind == UPPER and b.applicable and b.value is not None}


# --------------------------------------------------------------------------------------
# User formulas: safe parsing and exact evaluation
# --------------------------------------------------------------------------------------

_FUNCS: dict[str, Callable[..., Any]] = {
    "binomial": lambda *a: sp.binomial(*a, evaluate=False),
    "floor": lambda *a: sp.floor(*a, evaluate=False),
    "factorial": lambda *a: sp.factorial(*a, evaluate=False),
    "Min": lambda *a: sp.Min(*a, evaluate=False),
    "Max": lambda *a: sp.Max(*a, evaluate=False),
    "Sum": sp.Sum,
    "Product": sp.Product,
}
_ARITY = {"binomial": (2, 2), "floor": (1, 1), "factorial": (1, 1), "Min": (1, None),
          "Max": (1, None), "Sum": (2, None), "Product": (2, None)}
_INDEX_RE = re.compile(r"[ijk]\d*")
_MAX_TEXT = 10_000
_MAX_BITS = 1 << 23          # ~8 million bits: refuse to build larger intermediate numbers
_MAX_STEPS = 200_000         # summation/product terms per evaluation (~1 s)
_MAX_FACTORIAL = 100_000


def _arch_names(L: int) -> list[str]:
    return ["d", *(f"n{l}" for l in range(1, L + 1))] + (["n"] if L == 1 else [])


def _allowed_text(L: int) -> str:
    names = ", ".join(_arch_names(L))
    return (f"allowed: the symbols {names}, integers, + - * / ** ^, the functions "
            f"{', '.join(_FUNCS)}, and summation indices i, j, k (optionally numbered, "
            f"e.g. j1)")


class _Checker(ast.NodeVisitor):
    """Whitelist the syntax tree of a formula before sympy ever sees it."""

    _BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.BitXor)

    def __init__(self, text: str, L: int) -> None:
        self.text, self.L = text, L
        self.names = set(_arch_names(L))

    def fail(self, msg: str) -> InputError:
        return InputError(f"bound expression {self.text!r}: {msg}")

    def generic_visit(self, node: ast.AST) -> None:
        raise self.fail(f"{type(node).__name__} syntax is not allowed "
                        f"({_allowed_text(self.L)})")

    def visit_Expression(self, node: ast.Expression) -> None:
        self.visit(node.body)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if not isinstance(node.op, self._BINOPS):
            sym = {ast.FloorDiv: "//", ast.Mod: "%"}.get(type(node.op), type(node.op).__name__)
            raise self.fail(f"operator {sym} is not allowed (use floor(a/b) for integer "
                            f"division)")
        self.visit(node.left)
        self.visit(node.right)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if not isinstance(node.op, (ast.UAdd, ast.USub)):
            raise self.fail(f"operator {type(node.op).__name__} is not allowed")
        self.visit(node.operand)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, float):
                raise self.fail(f"floating-point number {ast.get_source_segment(self.text, node)}"
                                f" is not allowed (exact arithmetic only); write a fraction "
                                f"such as 3/2")
            raise self.fail(f"constant {v!r} is not allowed; only integers")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _FUNCS:
            raise self.fail(f"{node.id} is a function; call it, e.g. {node.id}(...)")
        if node.id not in self.names and not _INDEX_RE.fullmatch(node.id):
            raise self.fail(f"unknown symbol {node.id!r} ({_allowed_text(self.L)})")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        raise self.fail(f"attribute access '.{node.attr}' is not allowed")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            self.visit(node.func)            # refuses attribute access, naming it
        if not isinstance(node.func, ast.Name):
            raise self.fail("only calls of the allowed functions by name are allowed")
        name = node.func.id
        if name not in _FUNCS:
            raise self.fail(f"unknown function {name!r} ({_allowed_text(self.L)})")
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments")
        lo, hi = _ARITY[name]
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            raise self.fail(f"{name}() takes {lo if hi == lo else f'at least {lo}'} "
                            f"argument{'s' if lo > 1 else ''}, got {len(node.args)}")
        if name in ("Sum", "Product"):
            self.visit(node.args[0])
            for lim in node.args[1:]:
                if not (isinstance(lim, ast.Tuple) and len(lim.elts) == 3
                        and isinstance(lim.elts[0], ast.Name)
                        and _INDEX_RE.fullmatch(lim.elts[0].id)):
                    raise self.fail(f"{name}() limits must be (index, lower, upper) with an "
                                    f"index named i, j, k or j1, j2, ...; e.g. "
                                    f"{name}(binomial(n1, j), (j, 0, d))")
                self.visit(lim.elts[1])
                self.visit(lim.elts[2])
        else:
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise self.fail("*args are not allowed")
                self.visit(arg)


def bound_expression(text: str, L: int) -> sp.Expr:
    r"""Parse a user formula in ``d, n1, ..., nL`` safely into a sympy expression.

    The text is first parsed by Python's :mod:`ast` and checked against a whitelist
    — integers, the symbols ``d, n1, ..., nL`` (and ``n`` for ``n1`` when
    :math:`L = 1`), ``+ - * / ** ^``, the functions ``binomial``, ``floor``, ``Min``,
    ``Max``, ``Sum``, ``Product``, ``factorial``, and summation indices ``i``, ``j``,
    ``k`` (optionally numbered) bound by a ``Sum``/``Product`` — and only then handed
    to :func:`sympy.parsing.sympy_parser.parse_expr` with dictionaries holding
    exactly those names (no builtins) and ``evaluate=False``, so nothing is computed
    at parse time (``2**2**100`` is kept as written, not expanded).  Floats are
    refused: bounds are exact.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"1 + n1 + n2"`` or ``"Sum(binomial(n1, j), (j, 0, d))"``.
    L : int
        The number of hidden layers (which ``n``-symbols exist).

    Returns
    -------
    sympy.Expr
        Unevaluated, in the symbols of :func:`bound_symbols`.

    Raises
    ------
    InputError
        Syntax errors, any name or construct outside the whitelist (the message names
        it), floats, an index used outside a ``Sum``/``Product``.

    Examples
    --------
    >>> bound_expression("1 + n1 + n2", 2)
    n1 + n2 + 1
    >>> bound_expression("Sum(binomial(n, j), (j, 0, d))", 1)
    Sum(binomial(n1, j), (j, 0, d))
    >>> bound_expression("__import__('os')", 2)
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound expression "__import__('os')": unknown function '__import__' (allowed: the symbols d, n1, n2, integers, + - * / ** ^, the functions binomial, floor, factorial, Min, Max, Sum, Product, and summation indices i, j, k (optionally numbered, e.g. j1))
    >>> bound_expression("1.5*d", 1)
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound expression '1.5*d': floating-point number 1.5 is not allowed (exact arithmetic only); write a fraction such as 3/2
    """
    from sympy.parsing.sympy_parser import auto_number, convert_xor, parse_expr

    d, ns = bound_symbols(L)
    if not isinstance(text, str):
        raise InputError(f"bound expression must be text, got {type(text).__name__}")
    if len(text) > _MAX_TEXT:
        raise InputError(f"bound expression is too long ({len(text)} characters, at most "
                         f"{_MAX_TEXT})")
    if not text.strip():
        raise InputError("bound expression is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        raise InputError(f"bound expression {text!r}: cannot parse ({e.msg})") from None
    _Checker(text.strip(), L).visit(tree)

    local: dict[str, Any] = {"d": d, **{f"n{l + 1}": s for l, s in enumerate(ns)}, **_FUNCS}
    if L == 1:
        local["n"] = ns[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and _INDEX_RE.fullmatch(node.id):
            local[node.id] = _index(node.id)
    glob = {"__builtins__": {}, "Integer": sp.Integer, "Rational": sp.Rational,
            "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow}
    try:
        expr = parse_expr(text.strip(), local_dict=local, global_dict=glob,
                          transformations=(auto_number, convert_xor), evaluate=False)
    except InputError:
        raise
    except Exception as e:  # sympy rejects e.g. Sum limits it cannot use
        raise InputError(f"bound expression {text!r}: {type(e).__name__}: {e}") from None
    if not isinstance(expr, sp.Expr):
        raise InputError(f"bound expression {text!r} is not a number-valued formula")
    allowed = {d, *ns}
    for s in sorted(expr.free_symbols - allowed, key=str):
        raise InputError(f"bound expression {text!r}: index {s} is used outside a "
                         f"Sum/Product that binds it")
    return expr


def _as_int(x: Fraction, what: str) -> int:
    if x.denominator != 1:
        raise InputError(f"{what} must be an integer, got {x}")
    return x.numerator


class _Evaluator:
    """Exact evaluation of a sympy formula by explicit iteration (no ``doit``)."""

    def __init__(self, env: Mapping[str, int]) -> None:
        self.env: dict[str, Fraction] = {k: Fraction(v) for k, v in env.items()}
        self.steps = 0

    def __call__(self, e: sp.Basic) -> Fraction:
        if e.is_Float:
            raise InputError(f"floating-point number {e} in a bound formula; bounds are exact")
        if e.is_Rational:
            return Fraction(int(e.p), int(e.q))
        if e.is_Symbol:
            try:
                return self.env[e.name]
            except KeyError:
                raise InputError(f"unknown symbol {e.name!r} in bound formula (known: "
                                 f"{', '.join(sorted(self.env))})") from None
        if isinstance(e, sp.Add):
            return sum((self(a) for a in e.args), Fraction(0))
        if isinstance(e, sp.Mul):
            out = Fraction(1)
            for a in e.args:
                out *= self(a)
            return out
        if isinstance(e, sp.Pow):
            return self._pow(self(e.base), self(e.exp))
        if isinstance(e, sp.binomial):
            return Fraction(self._binomial(_as_int(self(e.args[0]), "binomial's n"),
                                           _as_int(self(e.args[1]), "binomial's k")))
        if isinstance(e, sp.factorial):
            n = _as_int(self(e.args[0]), "factorial's argument")
            if n < 0 or n > _MAX_FACTORIAL:
                raise InputError(f"factorial({n}) is out of range 0..{_MAX_FACTORIAL}")
            return Fraction(math.factorial(n))
        if isinstance(e, sp.floor):
            return Fraction(math.floor(self(e.args[0])))
        if isinstance(e, sp.ceiling):
            return Fraction(math.ceil(self(e.args[0])))
        if isinstance(e, sp.Min):
            return min(self(a) for a in e.args)
        if isinstance(e, sp.Max):
            return max(self(a) for a in e.args)
        if isinstance(e, (sp.Sum, sp.Product)):
            return self._big(e)
        raise InputError(f"cannot evaluate {type(e).__name__} exactly in a bound formula: {e}")

    def _pow(self, b: Fraction, x: Fraction) -> Fraction:
        k = _as_int(x, "an exponent")
        if b == 0 and k < 0:
            raise InputError("division by zero (0 to a negative power) in a bound formula")
        if abs(b) != 1 and b != 0:
            bits = abs(k) * max(abs(b.numerator).bit_length(), b.denominator.bit_length())
            if bits > _MAX_BITS:
                raise InputError(f"a power in the bound formula has about {bits} bits; "
                                 f"refusing numbers above {_MAX_BITS} bits")
        return b ** k

    @staticmethod
    def _binomial(n: int, k: int) -> int:
        if k < 0:
            return 0
        if n >= 0:
            if k > n:
                return 0
            k = min(k, n - k)
            if k * max(n.bit_length(), 1) > _MAX_BITS:
                raise InputError(f"binomial({n}, {k}) is too large to evaluate")
            return math.comb(n, k)
        # generalised binomial for n < 0 (sympy's convention): (-1)^k C(k - n - 1, k)
        return (-1) ** k * _Evaluator._binomial(k - n - 1, k)

    def _big(self, e: sp.Sum | sp.Product) -> Fraction:
        is_sum = isinstance(e, sp.Sum)
        limits = list(e.limits)          # innermost first
        for lim in limits:
            if len(lim) != 3:
                raise InputError(f"{type(e).__name__} limit {lim} needs (index, lower, upper)")

        def rec(k: int) -> Fraction:   # k indexes limits from the outermost (last)
            if k < 0:
                self.steps += 1
                if self.steps > _MAX_STEPS:
                    raise InputError(f"bound formula needs more than {_MAX_STEPS} terms; "
                                     f"too expensive to evaluate")
                return self(e.function)
            var, lo, hi = limits[k]
            lo_i = _as_int(self(lo), f"the lower limit of {var}")
            hi_i = _as_int(self(hi), f"the upper limit of {var}")
            if hi_i - lo_i + 1 > _MAX_STEPS:
                raise InputError(f"{var} runs over {hi_i - lo_i + 1} values; more than "
                                 f"{_MAX_STEPS} terms is too expensive to evaluate")
            saved = self.env.get(var.name)
            acc = Fraction(0) if is_sum else Fraction(1)
            try:
                for v in range(lo_i, hi_i + 1):   # an empty range gives 0 (sum) or 1 (product)
                    self.env[var.name] = Fraction(v)
                    if is_sum:
                        acc += rec(k - 1)
                    else:
                        acc *= rec(k - 1)
            finally:
                if saved is None:
                    self.env.pop(var.name, None)
                else:
                    self.env[var.name] = saved
            return acc

        return rec(len(limits) - 1)


def evaluate_expression(expr: sp.Expr, arch: Architecture | str | Sequence[int]) -> Fraction:
    """Evaluate a formula in ``d, n1, ..., nL`` exactly at an architecture.

    Sums and products are expanded term by term (an empty range, upper < lower,
    contributes 0 to a sum and 1 to a product: the combinatorial convention, not
    sympy's Karr convention); ``binomial(n, k)`` is 0 for ``k < 0`` or ``k > n >= 0``.

    Returns
    -------
    fractions.Fraction
        The exact value (not necessarily an integer).

    Examples
    --------
    >>> d, (n1, n2) = bound_symbols(2)
    >>> evaluate_expression((n1 + n2) / d, "4,3,2,1")
    Fraction(5, 4)
    """
    a = architecture(arch)
    env = {"d": a.input_dim, **{f"n{l}": n for l, n in enumerate(a.widths, 1)}}
    if a.L == 1:
        env["n"] = a.widths[0]
    unknown = sorted({s.name for s in expr.free_symbols} - set(env))
    if unknown:
        raise InputError(f"unknown symbol {unknown[0]!r} in bound formula for architecture "
                         f"{a} (known: {', '.join(sorted(env))})")
    return _Evaluator(env)(sp.sympify(expr))


def evaluate_bound(bound: str | sp.Expr, arch: Architecture | str | Sequence[int]) -> int:
    """The exact integer value of a named bound or of a user formula at an architecture.

    Parameters
    ----------
    bound : str or sympy.Expr
        A name from :data:`BOUND_NAMES`, or a formula (text, parsed with
        :func:`bound_expression`, or a sympy expression) in ``d, n1, ..., nL``.
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    int

    Raises
    ------
    InputError
        A named bound whose hypotheses fail (the message says which), a formula that
        does not parse or uses unknown names, or a value that is not an integer.

    Examples
    --------
    >>> evaluate_bound("zhang2018", "3,4,4,4,1")
    3375
    >>> evaluate_bound("1 + n1 + n2", (1, 3, 3, 1))
    7
    >>> evaluate_bound("d/2", "3,1,1")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound formula 'd/2' at architecture 3,1,1 is 3/2, not an integer
    >>> evaluate_bound("serra2018_lower", "2,4,4,1")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound serra2018_lower is not applicable to architecture 2,4,4,1: needs n_l >= 3d for every hidden layer l = 1..L (Serra et al. 2018); fails: n1 = 4 < 3d = 6, n2 = 4 < 3d = 6
    """
    a = architecture(arch)
    if isinstance(bound, str) and bound.strip() in _BOUNDS:
        b = _BOUNDS[bound.strip()](a)
        if not b.applicable or b.value is None:
            raise InputError(f"bound {b.name} is not applicable to architecture {a}: "
                             f"{b.hypotheses}")
        return b.value
    if isinstance(bound, str):
        text = bound.strip()
        if text.isidentifier() and not re.fullmatch(r"d|n\d*", text):
            close = difflib.get_close_matches(text, BOUND_NAMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(f"unknown bound {text!r}: give a name ({', '.join(BOUND_NAMES)}) "
                             f"or a formula in d, n1, ..., nL{hint}")
        expr = bound_expression(bound, a.L)
        shown = text
    elif isinstance(bound, sp.Basic):
        expr, shown = bound, str(bound)
    else:
        raise InputError(f"a bound is a name ({', '.join(BOUND_NAMES)}) or a formula, got "
                         f"{type(bound).__name__}")
    value = evaluate_expression(expr, a)
    if value.denominator != 1:
        raise InputError(f"bound formula {shown!r} at architecture {a} is {value}, not an "
                         f"integer")
    return value.numerator

