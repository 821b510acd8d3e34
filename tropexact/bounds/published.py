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
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:  # sympy loads when a formula is first asked for (0.3 s), not to compute values
    import sympy as sp

from tropexact.errors import InputError
from tropexact.networks.architecture import Architecture, architecture

from .counts import zaslavsky_count

__all__ = [
    "Architecture", "Bound", "BOUND_NAMES", "UPPER", "LOWER", "architecture",
    "bound_symbols", "zaslavsky_count", "zaslavsky", "zhang2018", "montufar2017",
    "serra2018", "montufar2014_lower", "serra2018_lower", "all_bounds", "upper_bounds",
]

UPPER = "upper"
LOWER = "lower"

#: The bounds, in the order :func:`all_bounds` returns them (docs/design.md §6's JSON keys).
BOUND_NAMES: tuple[str, ...] = ("zaslavsky", "zhang2018", "montufar2017", "serra2018",
                                "montufar2014_lower", "serra2018_lower")


# --------------------------------------------------------------------------------------
# Symbols
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def bound_symbols(L: int) -> tuple[sp.Symbol, tuple[sp.Symbol, ...]]:
    """The symbols ``d`` and ``(n1, ..., nL)`` of the bound formulas.

    All are positive integer sympy symbols; the same objects are returned on every
    call, so formulas built here and formulas parsed by
    :func:`~tropexact.bounds.formula.bound_expression` share their symbols.

    Examples
    --------
    >>> bound_symbols(3)
    (d, (n1, n2, n3))
    """
    if isinstance(L, bool) or not isinstance(L, int) or L < 1:
        raise InputError(f"the number of hidden layers must be a positive integer, got {L!r}")
    import sympy as sp

    d = sp.Symbol("d", integer=True, positive=True)
    return d, tuple(sp.Symbol(f"n{l}", integer=True, positive=True) for l in range(1, L + 1))


@lru_cache(maxsize=None)
def _index(name: str) -> sp.Symbol:
    import sympy as sp

    return sp.Symbol(name, integer=True)


def _binom(n: sp.Expr, k: sp.Expr) -> sp.Expr:
    import sympy as sp

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
        formula does not exist at this depth, e.g. Zaslavsky's for ``L >= 2``);
        built on first access (it needs sympy; the value does not).
    """

    name: str
    kind: str
    value: int | None
    applicable: bool
    hypotheses: str
    reference: str
    formula: Callable[[], Any] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def expression(self) -> sp.Expr | None:
        return None if self.formula is None else self.formula()


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
    j = _index("j")
    return sp.Sum(_binom(n1, j), (j, 0, d))


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
    narrow = _widths_below(a, a.input_dim)
    if narrow:
        hyp = (f"Thm 6.3 assumes n_l >= d for every hidden layer, which fails here "
               f"({_fmt_layers(a, narrow, f'd = {a.input_dim}')}); the value is still an "
               f"upper bound: it is >= montufar2017, which needs no width hypothesis")
    else:
        hyp = "n_l >= d for every hidden layer (Thm 6.3): holds"
    return Bound("zhang2018", UPPER, value, True, hyp, _ZHANG_REF, lambda: _zhang_formula(a.L))


def _zhang_formula(L: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    i = _index("i")
    return sp.Mul(*[sp.Sum(_binom(n, i), (i, 0, d)) for n in ns])


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
                 _MONTUFAR17_REF, lambda: _montufar2017_formula(a.L))


def _montufar2017_formula(L: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    j = _index("j")
    return sp.Mul(*[sp.Sum(_binom(ns[l], j), (j, 0, sp.Min(d, *ns[:l + 1], evaluate=False)))
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
                 lambda: _serra_formula(a.L))


def _serra_formula(L: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    js = [_index(f"j{l}") for l in range(1, L + 1)]
    limits = []
    for l in range(L):
        top = sp.Min(d, *[ns[k] - js[k] for k in range(l)], ns[l], evaluate=False)
        limits.append((js[l], 0, top))
    return sp.Sum(sp.Mul(*[_binom(ns[l], js[l]) for l in range(L)]), *reversed(limits))


def _lower_formula(L: int, plus: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    j = _index("j")
    last = sp.Sum(_binom(ns[-1], j), (j, 0, d))
    return sp.Mul(*[(sp.floor(n / d, evaluate=False) + plus) ** d for n in ns[:-1]]) * last


def _lower_common(a: Architecture, name: str, factor: int, plus: int, ref: str,
                  paper: str) -> Bound:
    expr = lambda: _lower_formula(a.L, plus)  # noqa: E731
    need = f"{factor}d" if factor > 1 else "d"
    narrow = _widths_below(a, a.input_dim, factor)
    if narrow:
        return Bound(name, LOWER, None, False,
                     f"needs n_l >= {need} for every hidden layer l = 1..L ({paper}); fails: "
                     + _fmt_layers(a, narrow, f"{need} = {factor * a.input_dim}"),
                     ref, expr)
    dd = a.input_dim
    value = math.prod((n // dd + plus) ** dd for n in a.widths[:-1])
    value *= zaslavsky_count(a.widths[-1], dd)
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

    Reference: G. Montúfar, R. Pascanu, K. Cho, Y. Bengio, *On the number of linear
    regions of deep neural networks*, NIPS 2014, Sec. 3.2 "Formal result" (its
    rectifier lower-bound theorem; Serra et al. 2018 cite it as "Theorem 5"; the
    theorem number was not checked against the proceedings, where we believe it is
    Theorem 4).  Checked against docs/design.md §4: the formula and the hypothesis agree
    (Serra et al. quote the same formula, "when :math:`n \ge n_0`", and a study note
    of Sec. 3.2 states the hypothesis as :math:`n_i \ge n_0` for all
    :math:`i \in [L]`).

    Hypotheses: :math:`n_l \ge d` for **every** hidden layer :math:`l = 1, \dots, L`
    (the paper: ":math:`n_i \ge n_0` rectifiers at the :math:`i`-th layer", for all
    :math:`i`), the last layer included; when one fails the value is ``None`` and the
    expression is given all the same.

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

    Reference: T. Serra, C. Tjandraatmadja, S. Ramalingam, *Bounding and counting
    linear regions of deep neural networks*, ICML 2018 (arXiv:1711.02114), Sec. 3.3
    "A lower bound on the maximal number of linear regions" (Theorem 6 in the ICLR
    2018 submission text that was checked; later versions renumber the theorems).
    Checked against docs/design.md §4: formula and hypothesis agree.  The paper states the
    difference from Montúfar et al. (2014) as replacing :math:`n_l \ge n_0` by the more
    restrictive :math:`n_l \ge 3 n_0` and :math:`\lfloor n_l/n_0\rfloor` by
    :math:`\lfloor n_l/n_0\rfloor + 1`.

    Hypotheses: :math:`n_l \ge 3d` for **every** hidden layer :math:`l = 1, \dots, L`
    ("with :math:`n_l \ge 3n_0` for all :math:`l`"), the last layer included; when
    one fails the value is ``None``.

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
    """Every bound of docs/design.md §4 at *arch*, name → :class:`Bound`, in the order
    of :data:`BOUND_NAMES`.

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
