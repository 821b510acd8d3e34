"""Published lower bounds: some network of the architecture has at least this many linear regions.

``montufar2014_lower``
    n_l ≥ d: (Π_{l<L} ⌊n_l/d⌋^d) · Σ_{j=0}^{d} C(n_L, j).
``serra2018_lower``
    n_l ≥ 3d: (Π_{l<L} (⌊n_l/d⌋ + 1)^d) · Σ_{j=0}^{d} C(n_L, j).

A particular network can have far fewer; the constructions of
:mod:`tropexact.bounds.constructions` attain them.  How the formulas were checked
against the papers is in :mod:`tropexact.bounds.published` and docs/design.md §4.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import sympy as sp

from tropexact.exact.numbers import fmt_short
from tropexact.networks.architecture import Architecture, architecture

from .counts import zaslavsky_count
from .record import LOWER, Bound, binomial, describe_layers, index_symbol, layers_narrower, bound_symbols

__all__ = ["montufar2014_lower", "serra2018_lower"]

_MONTUFAR14_REF = ("G. Montufar, R. Pascanu, K. Cho, Y. Bengio, On the number of linear "
                   "regions of deep neural networks, NIPS 2014, Sec. 3.2 'Formal result' "
                   "(its rectifier lower-bound theorem, which Serra et al. 2018 cite as "
                   "Theorem 5; the number was not checked against the proceedings)")
_SERRA_LOWER_REF = ("T. Serra, C. Tjandraatmadja, S. Ramalingam, Bounding and counting "
                    "linear regions of deep neural networks, ICML 2018 (arXiv:1711.02114), "
                    "Sec. 3.3 'A lower bound on the maximal number of linear regions' "
                    "(Theorem 6 of the ICLR 2018 submission text; later versions renumber)")


def _lower_formula(L: int, plus: int) -> sp.Expr:
    import sympy as sp

    d, ns = bound_symbols(L)
    j = index_symbol("j")
    last = sp.Sum(binomial(ns[-1], j), (j, 0, d))
    return sp.Mul(*[(sp.floor(n / d, evaluate=False) + plus) ** d for n in ns[:-1]]) * last


def _lower_common(a: Architecture, name: str, factor: int, plus: int, ref: str,
                  paper: str) -> Bound:
    expr = partial(_lower_formula, a.L, plus)
    need = f"{factor}d" if factor > 1 else "d"
    narrow = layers_narrower(a, a.input_dim, factor)
    if narrow:
        return Bound(name, LOWER, None, False,
                     f"needs n_l >= {need} for every hidden layer l = 1..L ({paper}); fails: "
                     + describe_layers(a, narrow, f"{need} = {fmt_short(factor * a.input_dim)}"),
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
