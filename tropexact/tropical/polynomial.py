"""Tropical (max-plus) polynomials with rational exponents, immutable and canonical.

A tropical polynomial is the convex piecewise-affine function

    f(x) = max_i (c_i + <α_i, x>),   α_i ∈ Q^d, c_i ∈ Q,

i.e. the tropical sum ⊕ of monomials c_i ⊙ x^{α_i}.  Storage is canonical from
birth: one coefficient per exponent (⊕ keeps the larger), no tropical-zero
terms, terms sorted by exponent.  Hence ``==`` and ``hash`` compare term tuples.

Operators: ``+`` is ⊕, ``*`` is ⊙ (Minkowski sum of the extended Newton
polytopes), ``**`` a rational power k ≥ 0 (the function k·f: exponents and
coefficients scaled, no expansion), ``/`` builds a tropical rational function.
These operators return the **reduced form** (only the upper vertices of the
extended Newton polytope P(f) survive).  The reduced form depends only on the
function, so two reduced polynomials are equal iff they are equal as functions.
:func:`oplus`, :func:`otimes` and :func:`expand_power` with ``reduce=False``
give the unpruned expansions (for counting terms before pruning).

Examples
--------
>>> x0, x1 = variables(2)
>>> f = TropicalPolynomial.constant(0, 2) + 1 * x0 + (-2) * x0 ** 2 * x1
>>> print(f)
max(0, 1 + x0, -2 + 2*x0 + x1)
>>> f([1, 3])
mpq(3,1)
>>> print((x0 + x1) ** 2)
max(2*x1, 2*x0)
>>> len(expand_power(x0 + x1, 2, reduce=False))  # max(2x0, x0+x1, 2x1) before pruning
3
"""

from __future__ import annotations

from operator import mul
from typing import Any, Iterable, Mapping, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import common_denominator
from tropexact.exact.numbers import Q, fmt, to_rational
from tropexact.polyhedra.oracle import upper_vertices_of_sums
from tropexact.polyhedra.upper import upper_hull_vertices

from .rational import TropicalRationalFunction
from .semiring import MaxPlus

__all__ = [
    "TropicalPolynomial",
    "variables",
    "oplus",
    "otimes",
    "expand_power",
    "tropical_product_polys",
]

_ZERO = Q(0)


def _exp_tuple(e: Iterable[Any]) -> tuple:
    return tuple(to_rational(v) for v in e)


class TropicalPolynomial:
    """An immutable, canonical max-plus polynomial in ``nvars`` variables.

    Parameters
    ----------
    terms : mapping exponent → coefficient, or iterable of (exponent, coefficient)
        Exponents are sequences of rationals of length ``nvars``; coefficients
        are rationals or ``None``/``MaxPlus.zero()`` for −∞ (dropped).  Equal
        exponents merge by ⊕ (the larger coefficient stays).
    nvars : int, optional
        Number of variables; required when *terms* is empty.

    Notes
    -----
    The constructor only normalises; it never prunes.  Use :meth:`reduced`.
    """

    __slots__ = ("_terms", "_nvars", "_is_reduced", "_hash", "_integer")
    _terms: tuple
    _nvars: int
    _is_reduced: bool
    _hash: int | None

    def __init__(self, terms: Mapping | Iterable = (), nvars: int | None = None) -> None:
        items = terms.items() if isinstance(terms, Mapping) else terms
        checked = []
        n = nvars
        for e, c in items:
            if isinstance(c, MaxPlus):
                c = c.value
            if c is None:
                continue
            e = _exp_tuple(e)
            if n is None:
                n = len(e)
            elif len(e) != n:
                raise InputError(f"exponent {tuple(map(fmt, e))} has {len(e)} entries, expected {n}")
            checked.append((e, to_rational(c)))
        if n is None:
            raise InputError("nvars is required for a polynomial without terms")
        self._init(tuple(sorted(_keep_max(checked).items())), n, False)

    def _init(self, terms: tuple, nvars: int, is_reduced: bool) -> None:
        object.__setattr__(self, "_terms", terms)
        object.__setattr__(self, "_nvars", nvars)
        object.__setattr__(self, "_is_reduced", is_reduced)
        object.__setattr__(self, "_hash", None)
        object.__setattr__(self, "_integer", None)

    @classmethod
    def _from_canonical(cls, terms: tuple, nvars: int, is_reduced: bool = False) -> "TropicalPolynomial":
        obj = cls.__new__(cls)
        obj._init(terms, nvars, is_reduced)
        return obj

    @classmethod
    def _from_dict(cls, merged: dict, nvars: int) -> "TropicalPolynomial":
        return cls._from_canonical(tuple(sorted(merged.items())), nvars)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("TropicalPolynomial is immutable")

    # -- constructors -------------------------------------------------------
    @classmethod
    def zero(cls, nvars: int) -> "TropicalPolynomial":
        """The tropical zero polynomial (no terms; −∞ everywhere)."""
        return cls._from_canonical((), nvars, True)

    @classmethod
    def constant(cls, c: Any, nvars: int) -> "TropicalPolynomial":
        """The constant c = c ⊙ x^0."""
        return cls._from_canonical((((_ZERO,) * nvars, to_rational(c)),), nvars, True)

    @classmethod
    def one(cls, nvars: int) -> "TropicalPolynomial":
        """The tropical one, the constant 0."""
        return cls.constant(0, nvars)

    @classmethod
    def monomial(cls, exponent: Sequence[Any], coefficient: Any = 0) -> "TropicalPolynomial":
        """c ⊙ x^α, the affine function c + <α, x>."""
        e = _exp_tuple(exponent)
        return cls._from_canonical(((e, to_rational(coefficient)),), len(e), True)

    @classmethod
    def from_upper_vertices(cls, vertices: Sequence[tuple], nvars: int) -> "TropicalPolynomial":
        """The reduced polynomial whose lifted points are *vertices*: distinct upper
        vertices (α, c) of a lifted point set, sorted, as the oracle of
        :func:`tropexact.polyhedra.oracle.upper_vertices_of_sums` returns them.

        Examples
        --------
        >>> print(TropicalPolynomial.from_upper_vertices([(Q(0), Q(0)), (Q(1), Q(-1))], 1))
        max(0, -1 + x0)
        """
        return cls._from_canonical(tuple((v[:-1], v[-1]) for v in vertices), nvars, True)

    @classmethod
    def from_min_plus(cls, terms: Mapping | Iterable, nvars: int | None = None) -> "TropicalPolynomial":
        """Convert min-plus data ``min_i(c_i + <α_i, x>)`` to max-plus (coefficients negated).

        With q the result, q(y) = −p(−y): the semiring isomorphism a ↦ −a.

        Examples
        --------
        >>> print(TropicalPolynomial.from_min_plus({(0,): 1, (1,): 0}))
        max(-1, x0)
        """
        items = terms.items() if isinstance(terms, Mapping) else terms
        return cls([(e, None if c is None else -to_rational(c)) for e, c in items], nvars)

    def to_min_plus(self) -> tuple:
        """The min-plus data (exponent, −coefficient) of this polynomial."""
        return tuple((e, -c) for e, c in self._terms)

    # -- accessors ------------------------------------------------------------
    @property
    def nvars(self) -> int:
        return self._nvars

    @property
    def terms(self) -> tuple:
        """Tuple of (exponent tuple, coefficient), sorted by exponent."""
        return self._terms

    @property
    def exponents(self) -> tuple:
        return tuple(e for e, _ in self._terms)

    @property
    def coefficients(self) -> tuple:
        return tuple(c for _, c in self._terms)

    def lifted_points(self) -> tuple:
        """The points (α_i, c_i) ∈ Q^{d+1} spanning P(f), coefficient last."""
        return tuple(e + (c,) for e, c in self._terms)

    def is_zero(self) -> bool:
        return not self._terms

    def is_reduced(self) -> bool:
        """True when every term is an upper vertex of P(f) (computes if unknown)."""
        return self._is_reduced or len(self.reduced()) == len(self)

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self):
        return iter(self._terms)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TropicalPolynomial):
            return NotImplemented
        return self._nvars == other._nvars and self._terms == other._terms

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash((self._nvars, self._terms))
            object.__setattr__(self, "_hash", h)
        return h

    # -- evaluation ---------------------------------------------------------
    def __call__(self, x: Sequence[Any]) -> Any:
        """Exact value max_i (c_i + <α_i, x>) at a rational point (floats refused)."""
        vals, den = self._integer_values(x)
        return Q(max(vals), den)

    evaluate = __call__

    def _values(self, x: Sequence[Any]) -> list:
        """The terms' values c_i + <α_i, x> at a rational point (checked, floats refused)."""
        xs = tuple(to_rational(v) for v in x)
        if len(xs) != self._nvars:
            raise InputError(f"point has {len(xs)} coordinates, expected {self._nvars}")
        if not self._terms:
            raise InputError("the tropical zero polynomial is -inf everywhere")
        return [c + sum((a * v for a, v in zip(e, xs) if a), _ZERO) for e, c in self._terms]

    def _integer_values(self, x: Sequence[Any]) -> tuple[list, int]:
        """(N, D) with N[i] / D = c_i + <α_i, x>: the same values in integer arithmetic,
        the terms scaled to integers once per polynomial (L) and x by its denominators (q):
        L·q·t_i(x) = (L c_i)·q + <L α_i, q x>."""
        xs = tuple(to_rational(v) for v in x)
        if len(xs) != self._nvars:
            raise InputError(f"point has {len(xs)} coordinates, expected {self._nvars}")
        if not self._terms:
            raise InputError("the tropical zero polynomial is -inf everywhere")
        if self._integer is None:
            L = common_denominator(v for e, c in self._terms for v in (*e, c))
            ints = tuple((int(c * L), tuple(int(a * L) for a in e)) for e, c in self._terms)
            object.__setattr__(self, "_integer", (ints, L))
        ints, L = self._integer
        q = common_denominator(xs)
        X = tuple(int(v * q) for v in xs)
        return [c * q + sum(map(mul, a, X)) for c, a in ints], L * q

    def argmax(self, x: Sequence[Any]) -> tuple:
        """Indices of the terms attaining the maximum at x."""
        vals = self._integer_values(x)[0]
        m = max(vals)
        return tuple(i for i, v in enumerate(vals) if v == m)

    # -- algebra (reduced results) -------------------------------------------
    def reduced(self, method: str = "auto") -> "TropicalPolynomial":
        """The reduced form: keep the terms that are upper vertices of P(f).

        It is the same function; see :func:`tropexact.polyhedra.upper_hull_vertices`
        for *method*.

        Examples
        --------
        >>> x0, = variables(1)
        >>> f = TropicalPolynomial([((0,), 0), ((1,), -1), ((2,), -2), ((3,), -10)])
        >>> print(f.reduced())  # (1, -1) lies on the upper edge from (0, 0) to (2, -2)
        max(0, -2 + 2*x0, -10 + 3*x0)
        """
        if self._is_reduced and method == "auto":
            return self
        keep = upper_hull_vertices(self.lifted_points(), method=method)
        if len(keep) == len(self._terms):
            return self._from_canonical(self._terms, self._nvars, True)
        return self._from_canonical(tuple(self._terms[i] for i in keep), self._nvars, True)

    def _coerce(self, other: Any) -> "TropicalPolynomial":
        if isinstance(other, TropicalPolynomial):
            if other._nvars != self._nvars:
                raise InputError(f"polynomials in {self._nvars} and {other._nvars} variables")
            return other
        if isinstance(other, MaxPlus):
            return TropicalPolynomial.zero(self._nvars) if other.is_zero() else \
                TropicalPolynomial.constant(other.value, self._nvars)
        return TropicalPolynomial.constant(to_rational(other), self._nvars)

    def __add__(self, other: Any) -> "TropicalPolynomial":
        return oplus(self, self._coerce(other))

    __radd__ = __add__

    def __mul__(self, other: Any) -> "TropicalPolynomial":
        return otimes(self, self._coerce(other))

    __rmul__ = __mul__

    def __pow__(self, k: Any) -> "TropicalPolynomial":
        """f^{⊙k} for rational k ≥ 0: the function k·f (exponents, coefficients scaled)."""
        return self.power(k)

    def power(self, k: Any, *, reduce: bool = True) -> "TropicalPolynomial":
        """f^{⊙k} = k·f for rational k ≥ 0, reduced unless ``reduce=False``.

        Scaling by k > 0 maps upper vertices of P(f) to upper vertices of
        P(k·f), so a reduced f stays reduced at no cost.
        """
        k = to_rational(k)
        if k < 0:
            raise InputError("negative tropical powers are not polynomials; use f ⊘ g")
        if k == 0:
            return TropicalPolynomial.one(self._nvars)
        terms = tuple((tuple(k * a for a in e), k * c) for e, c in self._terms)
        out = self._from_canonical(terms, self._nvars, self._is_reduced)
        return out.reduced() if reduce else out

    def __truediv__(self, other: Any) -> TropicalRationalFunction:
        return TropicalRationalFunction(self, self._coerce(other))

    # -- rendering ------------------------------------------------------------
    def __repr__(self) -> str:
        return f"TropicalPolynomial({str(self)!r}, nvars={self._nvars})"

    def __str__(self) -> str:
        if not self._terms:
            return "-inf"
        parts = [_affine_str(e, c) for e, c in self._terms]
        if len(parts) == 1:
            return parts[0]
        return "max(" + ", ".join(parts) + ")"

    def to_sympy(self, symbols: Sequence[Any] | None = None) -> Any:
        """A sympy ``Max`` of the affine terms (exact ``Rational`` coefficients).

        Examples
        --------
        >>> x0, x1 = variables(2)
        >>> (x0 + 1 * x1).to_sympy()
        Max(x0, x1 + 1)
        """
        import sympy

        if symbols is None:
            symbols = sympy.symbols(f"x0:{self._nvars}") if self._nvars else ()
        if len(symbols) != self._nvars:
            raise InputError(f"need {self._nvars} symbols, got {len(symbols)}")
        if not self._terms:
            return sympy.S.NegativeInfinity
        R = lambda q: sympy.Rational(int(q.numerator), int(q.denominator))  # noqa: E731
        affs = [R(c) + sum((R(a) * s for a, s in zip(e, symbols) if a), sympy.S.Zero)
                for e, c in self._terms]
        return affs[0] if len(affs) == 1 else sympy.Max(*affs, evaluate=False)


def _affine_str(e: tuple, c: Any) -> str:
    pieces: list[str] = []
    if c != 0 or not any(e):
        pieces.append(fmt(c))
    for j, a in enumerate(e):
        if a == 0:
            continue
        mag = abs(a)
        body = f"x{j}" if mag == 1 else f"{fmt(mag)}*x{j}"
        if not pieces:
            pieces.append(body if a > 0 else "-" + body)
        else:
            pieces.append(("+ " if a > 0 else "- ") + body)
    return " ".join(pieces)


def variables(n: int) -> tuple:
    """The monomials x_0, …, x_{n−1} as polynomials in n variables."""
    return tuple(
        TropicalPolynomial.monomial(tuple(Q(1) if i == j else _ZERO for i in range(n)))
        for j in range(n)
    )


def _keep_max(terms: Iterable[tuple]) -> dict:
    """exponent → coefficient, equal exponents merged by ⊕ (the larger coefficient stays)."""
    merged: dict[tuple, Any] = {}
    for e, c in terms:
        old = merged.get(e)
        if old is None or old < c:
            merged[e] = c
    return merged


def oplus(f: TropicalPolynomial, g: TropicalPolynomial, *, reduce: bool = True) -> TropicalPolynomial:
    """f ⊕ g = max(f, g): the union of the terms (equal exponents keep the larger)."""
    if f.nvars != g.nvars:
        raise InputError(f"polynomials in {f.nvars} and {g.nvars} variables")
    out = TropicalPolynomial._from_dict(_keep_max(f.terms + g.terms), f.nvars)
    return out.reduced() if reduce else out


def otimes(f: TropicalPolynomial, g: TropicalPolynomial, *, reduce: bool = True) -> TropicalPolynomial:
    """f ⊙ g = f + g: all pairwise sums of terms (Minkowski sum of P(f) and P(g))."""
    if f.nvars != g.nvars:
        raise InputError(f"polynomials in {f.nvars} and {g.nvars} variables")
    if len(f) == 1 or len(g) == 1:
        # translation by a monomial keeps reducedness
        (e0, c0), other = (f.terms[0], g) if len(f) == 1 else (g.terms[0], f)
        terms = tuple((tuple(a + b for a, b in zip(e, e0)), c + c0) for e, c in other.terms)
        out = TropicalPolynomial._from_canonical(terms, f.nvars, other._is_reduced)
        return out.reduced() if reduce else out
    if reduce and len(f) * len(g) > 64:
        # never expand a large product: find its upper vertices by an oracle
        verts = upper_vertices_of_sums(
            [(0, [(f.reduced().lifted_points(), 1), (g.reduced().lifted_points(), 1)])],
            f.nvars + 1)
        return TropicalPolynomial.from_upper_vertices(verts, f.nvars)
    merged = _keep_max((tuple(a + b for a, b in zip(e1, e2)), c1 + c2)
                       for e1, c1 in f.terms for e2, c2 in g.terms)
    out = TropicalPolynomial._from_dict(merged, f.nvars)
    return out.reduced() if reduce else out


def expand_power(f: TropicalPolynomial, k: Any, *, reduce: bool = True) -> TropicalPolynomial:
    """f^{⊙k} by the distributive law for integer k ≥ 0 (rational k: scaling).

    Reduced, this equals ``f ** k``; unreduced it is the textbook expansion whose
    terms the paper counts (e.g. max(a, b)^{⊙2} = max(2a, a + b, 2b)).
    """
    k = to_rational(k)
    if k < 0:
        raise InputError("negative tropical powers are not polynomials")
    if k.denominator != 1:
        return f ** k
    out = TropicalPolynomial.one(f.nvars)
    for _ in range(int(k)):
        out = otimes(out, f, reduce=reduce)
    return out


def tropical_product_polys(polys: Iterable[TropicalPolynomial], nvars: int, *,
                           reduce: bool = True) -> TropicalPolynomial:
    """⊙ of polynomials, starting from the tropical one (the constant 0)."""
    out = TropicalPolynomial.one(nvars)
    for p in polys:
        out = otimes(out, p, reduce=reduce)
    return out
