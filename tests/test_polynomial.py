"""Tropical polynomials: evaluation laws, canonical form, pruning, rendering, min-plus.

docs/design.md §1.  f = max_i (c_i + <α_i, x>), stored canonically; the reduced form keeps the
upper vertices of P(f) = conv{(α_i, c_i)}.  Pruning is cross-checked between three
independent engines: cdd (double description), the per-point LP, and (Q²) the
monotone chain.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import (
    TropicalPolynomial,
    expand_power,
    oplus,
    otimes,
    variables,
)
from tropexact.polyhedra import LPStatus, lp, upper_hull_vertices
from tropexact.tropical.semiring import MaxPlus

SETTINGS = settings(max_examples=40, deadline=None, database=None)
FEW = settings(max_examples=25, deadline=None, database=None)

# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------

int_exps = st.integers(min_value=-2, max_value=3).map(Fraction)
rat_exps = st.fractions(min_value=-2, max_value=3, max_denominator=3)
exps = st.one_of(int_exps, int_exps, rat_exps)
coefs = st.one_of(st.integers(min_value=-5, max_value=5).map(Fraction),
                  st.fractions(min_value=-5, max_value=5, max_denominator=4))
nonneg = st.fractions(min_value=0, max_value=3, max_denominator=3)
positive = st.fractions(min_value=Fraction(1, 3), max_value=3, max_denominator=3)
dims = st.sampled_from([1, 2, 3])


def _mid(a, b):
    return tuple((x + y) / 2 for x, y in zip(a, b))


@st.composite
def raw_terms(draw, d, max_base=5):
    """A list of (exponent, coefficient) with deliberate degeneracies.

    * ``dup``: a repeated exponent (must merge, keeping the larger coefficient);
    * ``mid``: the midpoint of two lifted points (on the segment: never above the hull,
      on an upper face when the segment is an upper edge);
    * ``below``: the midpoint pushed strictly down (strictly below the hull);
    * ``collinear``: 2b − a at height 2e − c (three collinear lifted points).
    """
    n = draw(st.integers(min_value=1, max_value=max_base))
    terms = [(tuple(draw(exps) for _ in range(d)), draw(coefs)) for _ in range(n)]
    extras = draw(st.lists(st.sampled_from(["dup", "mid", "below", "collinear"]), max_size=3))
    for kind in extras:
        i = draw(st.integers(min_value=0, max_value=len(terms) - 1))
        j = draw(st.integers(min_value=0, max_value=len(terms) - 1))
        (a, c), (b, e) = terms[i], terms[j]
        if kind == "dup":
            terms.append((a, c + draw(st.fractions(min_value=-3, max_value=3, max_denominator=2))))
        elif kind == "mid":
            terms.append((_mid(a, b), (c + e) / 2))
        elif kind == "below":
            terms.append((_mid(a, b), (c + e) / 2 - draw(positive)))
        else:
            terms.append((tuple(2 * y - x for x, y in zip(a, b)), 2 * e - c))
    return terms


@st.composite
def polys(draw, d=None, count=1):
    """(d, [f_1, …, f_count]) random polynomials in the same number of variables."""
    if d is None:
        d = draw(dims)
    return d, [TropicalPolynomial(draw(raw_terms(d)), d) for _ in range(count)]


def points(d, n_min=1, n_max=4):
    coord = st.fractions(min_value=-6, max_value=6, max_denominator=5)
    return st.lists(st.tuples(*[coord] * d), min_size=n_min, max_size=n_max)


# ---------------------------------------------------------------------------
# helpers (independent of the pruning code)
# ---------------------------------------------------------------------------

def term_value(term, x):
    e, c = term
    return c + sum((Q(a) * Q(v) for a, v in zip(e, x)), Q(0))


def brute_value(terms, x):
    return max(term_value(t, x) for t in terms)


def cell_point(terms, i):
    """(x, margin) with term i beating every other term by ≥ margin > 0 at x, or None.

    The certificate is re-checked by direct evaluation, so a wrong LP answer in the
    positive direction cannot pass silently.
    """
    ai, ci = terms[i]
    d = len(ai)
    cons = [(ci - cj, tuple(a - b for a, b in zip(ai, aj)) + (Q(-1),))
            for j, (aj, cj) in enumerate(terms) if j != i]
    cons.append((Q(1), (Q(0),) * d + (Q(-1),)))
    r = lp((Q(0),) * d + (Q(1),), cons)
    assert r.status is LPStatus.OPTIMAL
    if r.value <= 0:
        return None
    x = r.point[:d]
    vi = term_value(terms[i], x)
    for j, t in enumerate(terms):
        if j != i:
            assert vi - term_value(t, x) >= r.value
    return x, r.value


def probe_points(f):
    """Points where ties and argmax changes happen: exponent differences and midpoints."""
    out = []
    es = f.exponents
    for i in range(len(es)):
        for j in range(i + 1, len(es)):
            diff = tuple(a - b for a, b in zip(es[i], es[j]))
            out.append(diff)
            out.append(tuple(-v for v in diff))
            out.append(tuple(v / 3 for v in diff))
    return out


def witness(F, G):
    """A rational point where the functions F, G differ, or None if they are equal.

    For each term of the reduced F take an interior point x of its cell (margin t).
    F is affine with gradient α on the box of radius δ around x.  If G agrees with F at
    x and x ± δ e_k for all k, then G (convex) is differentiable at x with gradient α,
    so its only active term at x is (α, F(x) − <α, x>) = (α, c): that term is an upper
    vertex of G.  Hence: no witness for any term of F or of G ⇔ equal reduced forms.
    """
    for P, other in ((F, G), (G, F)):
        terms = P.terms
        for i, (alpha, _c) in enumerate(terms):
            cp = cell_point(terms, i)
            assert cp is not None, "a term of a reduced polynomial must have a cell"
            x, t = cp
            spread = max((abs(a - b) for aj, _cj in terms for a, b in zip(alpha, aj)),
                         default=Q(0))
            delta = t / (1 + spread)
            cands = [x]
            for k in range(len(x)):
                for s in (delta, -delta):
                    cands.append(tuple(v + (s if kk == k else 0) for kk, v in enumerate(x)))
            for y in cands:
                if P(y) != other(y):
                    return y
    return None


# ---------------------------------------------------------------------------
# evaluation laws
# ---------------------------------------------------------------------------

@SETTINGS
@given(st.data())
def test_product_and_sum_evaluate_pointwise(data):
    d, (f, g) = data.draw(polys(count=2))
    for x in data.draw(points(d)):
        assert (f * g)(x) == f(x) + g(x)
        assert (f + g)(x) == max(f(x), g(x))
        assert otimes(f, g, reduce=False)(x) == f(x) + g(x)
        assert oplus(f, g, reduce=False)(x) == max(f(x), g(x))


@SETTINGS
@given(st.data())
def test_rational_power_is_scaling(data):
    d, (f,) = data.draw(polys())
    k = data.draw(nonneg)
    for x in data.draw(points(d)):
        assert (f ** k)(x) == Q(k.numerator, k.denominator) * f(x)


@SETTINGS
@given(st.data())
def test_integer_power_expansion(data):
    d, (f,) = data.draw(polys())
    n = data.draw(st.integers(min_value=0, max_value=3))
    assert expand_power(f.reduced(), n) == f.reduced() ** n
    assert expand_power(f, n).reduced() == f.reduced() ** n
    unreduced = expand_power(f, n, reduce=False)
    for x in data.draw(points(d)):
        assert unreduced(x) == n * f(x)


@SETTINGS
@given(st.data())
def test_evaluation_matches_brute_force(data):
    d = data.draw(dims)
    raw = data.draw(raw_terms(d))
    f = TropicalPolynomial(raw, d)
    rawq = [(tuple(Q(a) for a in e), Q(c)) for e, c in raw]
    for x in data.draw(points(d)) + probe_points(f):
        assert f(x) == brute_value(rawq, x)


# ---------------------------------------------------------------------------
# reduced form
# ---------------------------------------------------------------------------

@SETTINGS
@given(st.data())
def test_reduced_is_same_function(data):
    d, (f,) = data.draw(polys())
    r = f.reduced()
    assert set(r.terms) <= set(f.terms)
    assert r.reduced() == r and r.is_reduced()
    pts = data.draw(points(d)) + probe_points(f)
    # the cells: where each term of f is strictly largest (argmax points)
    for i in range(len(f)):
        cp = cell_point(f.terms, i)
        if cp is not None:
            pts.append(cp[0])
            assert f.terms[i] in r.terms, "a term strictly largest somewhere must be kept"
    dropped = [t for t in f.terms if t not in r.terms]
    for x in pts:
        assert r(x) == f(x)
        for t in dropped:
            assert term_value(t, x) <= r(x)


@SETTINGS
@given(st.data())
def test_dropped_terms_never_strictly_above(data):
    d, (f,) = data.draw(polys())
    r = f.reduced()
    kept = list(r.terms)
    for t in f.terms:
        if t in r.terms:
            continue
        # max over x of min_j (t(x) − kept_j(x)) must be ≤ 0
        assert cell_point(kept + [t], len(kept)) is None
    # every kept term has a witness point where it beats all others strictly
    for i in range(len(kept)):
        assert cell_point(kept, i) is not None


@SETTINGS
@given(st.data())
def test_reduced_cdd_equals_lp(data):
    d, (f,) = data.draw(polys())
    r_cdd = f.reduced(method="cdd")
    r_lp = f.reduced(method="lp")
    assert r_cdd == r_lp
    assert f.reduced(method="iterative") == r_cdd
    assert f.reduced() == r_cdd
    if d == 1:
        assert f.reduced(method="chain") == r_cdd


def test_reduced_docstring_example():
    # (1, -1) is the midpoint of (0, 0) and (2, -2): on the upper edge, not a vertex.
    # (3, -10) has the largest exponent, so it is an upper vertex (by hand: -10 + 3x
    # beats -2 + 2x for x > 8 and 0 for x > 10/3).
    f = TropicalPolynomial([((0,), 0), ((1,), -1), ((2,), -2), ((3,), -10)])
    assert f.reduced().exponents == ((Q(0),), (Q(2),), (Q(3),))


# ---------------------------------------------------------------------------
# canonical form, equality, hashing
# ---------------------------------------------------------------------------

@SETTINGS
@given(st.data())
def test_canonical_form_ignores_order_and_duplicates(data):
    d = data.draw(dims)
    raw = data.draw(raw_terms(d))
    shuffled = data.draw(st.permutations(raw))
    lowered = [(e, Fraction(c) - 1) for e, c in data.draw(st.lists(st.sampled_from(raw), max_size=3))]
    f = TropicalPolynomial(raw, d)
    g = TropicalPolynomial(list(shuffled) + list(raw) + lowered, d)
    h = TropicalPolynomial({tuple(str(a) for a in e): c for e, c in reversed(sorted(g.terms))}, d)
    assert f == g == h
    assert hash(f) == hash(g) == hash(h)
    # repeated exponents merge keeping the larger coefficient
    best = {}
    for e, c in raw:
        e = tuple(Q(a) for a in e)
        best[e] = max(best.get(e, Q(c)), Q(c))
    assert dict(f.terms) == best
    assert list(f.exponents) == sorted(best)


def test_tropical_zero_terms_dropped():
    f = TropicalPolynomial([((1,), None), ((0,), 0), ((2,), MaxPlus.zero())])
    assert f.terms == (((Q(0),), Q(0)),)
    assert TropicalPolynomial([], 2).is_zero()
    with pytest.raises(InputError):
        TropicalPolynomial([])  # nvars unknown
    with pytest.raises(InputError):
        TropicalPolynomial([((0, 1), 0), ((1,), 0)])  # mixed lengths


@SETTINGS
@given(st.data())
def test_reduced_equal_iff_functions_equal(data):
    d, (f, g) = data.draw(polys(count=2))
    # g2: f plus terms never above the hull of f (same function) and maybe a random term
    extra = []
    ts = f.terms
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        (a, c), (b, e) = data.draw(st.sampled_from(ts)), data.draw(st.sampled_from(ts))
        extra.append((_mid(a, b), (c + e) / 2 - data.draw(nonneg)))
    if data.draw(st.booleans()):
        extra.append((tuple(data.draw(exps) for _ in range(d)), data.draw(coefs)))
    g2 = TropicalPolynomial(list(ts) + extra, d)
    for other in (g, g2):
        F, G = f.reduced(), other.reduced()
        w = witness(F, G)
        assert (F == G) == (w is None)
        if w is not None:
            assert f(w) != other(w)


@SETTINGS
@given(st.data())
def test_algebraic_identities_hold_exactly_for_reduced_forms(data):
    d = data.draw(dims)
    f, g, h = (TropicalPolynomial(data.draw(raw_terms(d, max_base=3)), d).reduced()
               for _ in range(3))
    assert f + g == g + f
    assert f * g == g * f
    assert (f + g) + h == f + (g + h)
    assert (f * g) * h == f * (g * h)
    assert f * (g + h) == f * g + f * h
    assert f + f == f
    assert f * f == f ** 2
    assert f * TropicalPolynomial.one(d) == f
    assert f + TropicalPolynomial.zero(d) == f
    assert (f * TropicalPolynomial.zero(d)).is_zero()
    k = data.draw(nonneg)
    assert (f ** k).is_reduced()


@SETTINGS
@given(st.data())
def test_algebraic_identities_for_unreduced_inputs(data):
    # same identities with unreduced operands, compared as functions (reduced forms)
    d = data.draw(dims)
    f, g, h = (TropicalPolynomial(data.draw(raw_terms(d, max_base=3)), d) for _ in range(3))
    R = lambda p: p.reduced(method="cdd")  # noqa: E731  (recomputes, never trusts a flag)
    assert R(f + g) == R(g + f)
    assert R(f * g) == R(g * f)
    assert R(f * (g + h)) == R(f * g + f * h)
    assert R(f * f) == R(f) ** 2
    k = data.draw(nonneg)
    assert R(f ** k) == R(f) ** k
    # the unpruned expansions are the same functions
    assert R(otimes(f, g, reduce=False)) == R(f * g)
    assert R(oplus(f, g, reduce=False)) == R(f + g)


# Regression tests for a bug found while writing this file: the module docstring says
# "+, *, ** … return the reduced form", but otimes() takes a shortcut when one factor
# has a single term ("translation by a monomial keeps reducedness") and returns the
# other factor unpruned; ** scales without pruning.  Inputs built by the tropicalizer
# are always reduced, so tropicalize() is not affected.
_UNREDUCED = TropicalPolynomial({(-1,): 0, (0,): 0, (1,): 0})  # (0, 0) is on the upper edge


# regression (bug: f * monomial returns f unpruned when f is unreduced (otimes single-term shortcut skips reduce=True))
def test_regression_product_with_monomial_is_reduced():
    assert _UNREDUCED.reduced() == TropicalPolynomial({(-1,): 0, (1,): 0})
    assert _UNREDUCED * TropicalPolynomial.one(1) == _UNREDUCED.reduced()


# regression (bug: expand_power(f, 1) (reduce=True) returns f unpruned (same otimes single-term shortcut))
def test_regression_expand_power_one_is_reduced():
    assert expand_power(_UNREDUCED, 1) == _UNREDUCED.reduced()


# regression (bug: f ** k returns the scaled terms unpruned when f is unreduced, although ** is documented to return the reduced form)
def test_regression_power_is_reduced():
    assert _UNREDUCED ** 2 == TropicalPolynomial({(-2,): 0, (2,): 0})


# ---------------------------------------------------------------------------
# rendering, sympy, immutability, floats, min-plus
# ---------------------------------------------------------------------------

def test_str_example():
    x0, x1 = variables(2)
    f = TropicalPolynomial.constant(0, 2) + 1 * x0 + (-2) * x0 ** 2 * x1
    assert str(f) == "max(0, 1 + x0, -2 + 2*x0 + x1)"
    # the same polynomial from its data (terms sorted by exponent)
    g = TropicalPolynomial({(2, 1): -2, (0, 0): 0, (1, 0): 1})
    assert g == f and str(g) == str(f)
    assert f([1, 3]) == Q(3)  # max(0, 2, 3)


def test_str_small_cases():
    assert str(TropicalPolynomial.zero(2)) == "-inf"
    assert str(TropicalPolynomial.constant("-3/2", 1)) == "-3/2"
    assert str(TropicalPolynomial.monomial((1, -1), 2)) == "2 + x0 - x1"
    assert str(TropicalPolynomial({("1/2",): -1, (-1,): 0})) == "max(-x0, -1 + 1/2*x0)"


@FEW
@given(st.data())
def test_to_sympy_evaluates_like_f(data):
    d, (f,) = data.draw(polys())
    syms = sympy.symbols(f"x0:{d}")
    expr = f.to_sympy()
    for x in data.draw(points(d, 1, 2)):
        v = expr.subs({s: sympy.Rational(c.numerator, c.denominator) for s, c in zip(syms, x)})
        fx = f(x)
        assert v.is_Rational and v == sympy.Rational(int(fx.numerator), int(fx.denominator))


def test_immutable():
    x0, x1 = variables(2)
    f = x0 + x1
    for name in ("_terms", "_nvars", "terms", "foo"):
        with pytest.raises(AttributeError):
            setattr(f, name, ())
    assert isinstance(f.terms, tuple) and all(isinstance(t, tuple) for t in f.terms)
    assert f == x1 + x0


def test_floats_refused():
    x0, x1 = variables(2)
    f = x0 + x1
    with pytest.raises(InputError):
        f([0.5, 1])
    with pytest.raises(InputError):
        f(["1/2", 1.0])
    with pytest.raises(InputError):
        TropicalPolynomial([((0.5,), 1)])
    with pytest.raises(InputError):
        TropicalPolynomial([((1,), 0.25)])
    with pytest.raises(InputError):
        f ** 0.5
    with pytest.raises(InputError):
        f + 0.5
    with pytest.raises(InputError):
        f([1])  # wrong arity
    with pytest.raises(InputError):
        f ** -1


@SETTINGS
@given(st.data())
def test_from_min_plus(data):
    d = data.draw(dims)
    raw = data.draw(raw_terms(d))  # min-plus data (repeated exponents: min keeps smaller)

    def p(x):
        return min(term_value((tuple(Q(a) for a in e), Q(c)), x) for e, c in raw)

    q = TropicalPolynomial.from_min_plus(raw, d)
    q_dict = TropicalPolynomial.from_min_plus(dict(raw), d)
    for y in data.draw(points(d)):
        neg = tuple(-v for v in y)
        assert q(y) == -p(neg)
        dict_raw = dict(raw)
        assert q_dict(y) == -min(term_value((tuple(Q(a) for a in e), Q(c)), neg)
                                 for e, c in dict_raw.items())
    assert TropicalPolynomial.from_min_plus(q.to_min_plus(), d) == q


# ---------------------------------------------------------------------------
# pruning engines cross-checked on degenerate lifted point sets
# ---------------------------------------------------------------------------

small = st.one_of(st.integers(min_value=-3, max_value=3).map(Fraction),
                  st.fractions(min_value=-3, max_value=3, max_denominator=2))


@st.composite
def lifted_point_sets(draw):
    D = draw(st.sampled_from([2, 3, 4]))
    d = D - 1
    mode = draw(st.sampled_from(
        ["random", "equal_heights", "affine_heights", "on_line", "on_plane", "midpoints",
         "collinear", "same_exponent", "concave_grid"]))
    n = draw(st.integers(min_value=1, max_value=8))
    if mode == "on_line":  # exponents on a line (lower-dimensional Newton polytope)
        p0 = [draw(small) for _ in range(d)]
        v = [draw(small) for _ in range(d)]
        ss = draw(st.lists(small, min_size=1, max_size=n))
        ex = [tuple(a + s * b for a, b in zip(p0, v)) for s in ss]
    elif mode == "on_plane" and d == 3:
        ex = [(a, b, a + 2 * b - 1) for a, b in
              draw(st.lists(st.tuples(small, small), min_size=1, max_size=n))]
    elif mode == "concave_grid":  # heights −|α|²: every grid point is an upper vertex
        ex = [tuple(Fraction(v) for v in draw(st.tuples(*[st.integers(-2, 2)] * d)))
              for _ in range(n)]
    else:
        ex = [tuple(draw(small) for _ in range(d)) for _ in range(n)]
    if mode == "equal_heights":
        h0 = draw(small)
        pts = [e + (h0,) for e in ex]
    elif mode == "affine_heights":  # all lifted points in one hyperplane
        w = [draw(small) for _ in range(d)]
        b = draw(small)
        pts = [e + (b + sum(x * y for x, y in zip(w, e)),) for e in ex]
    elif mode == "concave_grid":
        pts = [e + (-sum(v * v for v in e),) for e in ex]
    else:
        pts = [e + (draw(small),) for e in ex]
    if mode == "midpoints":
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            a, b = draw(st.sampled_from(pts)), draw(st.sampled_from(pts))
            pts.append(tuple((x + y) / 2 for x, y in zip(a, b)))
            pts.append(tuple((x + y) / 2 for x, y in zip(a, b))[:-1] + ((a[-1] + b[-1]) / 2 - 1,))
    elif mode == "collinear":
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            a, b = draw(st.sampled_from(pts)), draw(st.sampled_from(pts))
            pts.append(tuple(2 * y - x for x, y in zip(a, b)))
            pts.append(tuple((2 * x + y) / 3 for x, y in zip(a, b)))
    elif mode == "same_exponent":
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            a = draw(st.sampled_from(pts))
            pts.append(a[:-1] + (a[-1] + draw(st.sampled_from([-2, -1, Fraction(1, 2), 1])),))
    # distinct points, order kept
    seen, out = set(), []
    for p in pts:
        key = tuple(Q(v) for v in p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return mode, out


@settings(max_examples=60, deadline=None, database=None)
@given(lifted_point_sets())
def test_upper_hull_engines_agree(case):
    mode, pts = case
    v_cdd = upper_hull_vertices(pts, method="cdd")
    v_lp = upper_hull_vertices(pts, method="lp")
    assert v_cdd == v_lp, mode
    assert upper_hull_vertices(pts, method="iterative") == v_cdd, mode
    if len(pts[0]) == 2:
        assert upper_hull_vertices(pts, method="chain") == v_cdd, mode
    if mode == "concave_grid":
        assert v_cdd == tuple(range(len(pts)))


def test_upper_hull_engines_agree_seeded_degenerate_families():
    """Deterministic families where the answer is known by hand."""
    rng = random.Random(20240611)
    cases = []
    # flat unit square + centre: 4 corners only; centre raised: 5; centre lowered: 4
    sq = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 0)]
    cases += [(sq + [(Fraction(1, 2), Fraction(1, 2), 0)], (0, 1, 2, 3)),
              (sq + [(Fraction(1, 2), Fraction(1, 2), 1)], (0, 1, 2, 3, 4)),
              (sq + [(Fraction(1, 2), Fraction(1, 2), -1)], (0, 1, 2, 3))]
    # Q²: equal heights on a line: the two ends only
    cases.append(([(i, 5) for i in range(6)], (0, 5)))
    # Q²: docstring example, (1, 1/2) on the upper edge from (0, 0) to (2, 1)
    cases.append(([(0, 0), (1, Fraction(1, 2)), (2, 1), (3, 0)], (0, 2, 3)))
    # d = 2, exponents all on the line α = (s, 2s), heights −s²: all strictly concave
    cases.append(([(s, 2 * s, -s * s) for s in range(-2, 3)], (0, 1, 2, 3, 4)))
    # d = 3, all heights equal on the cube {0,1}³ plus its centre: the 8 corners
    cube = [(a, b, c, 7) for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    cases.append((cube + [(Fraction(1, 2),) * 3 + (7,)], tuple(range(8))))
    for pts, expected in cases:
        assert upper_hull_vertices(pts, method="cdd") == expected
        assert upper_hull_vertices(pts, method="lp") == expected
        assert upper_hull_vertices(pts, method="iterative") == expected
        if len(pts[0]) == 2:
            assert upper_hull_vertices(pts, method="chain") == expected
    # random dense sets with many ties
    for _ in range(15):
        D = rng.choice([2, 3, 4])
        pts = list({tuple(rng.randint(-2, 2) for _ in range(D - 1)) + (rng.randint(-1, 1),)
                    for _ in range(rng.randint(2, 14))})
        assert upper_hull_vertices(pts, method="cdd") == upper_hull_vertices(pts, method="lp")
        assert upper_hull_vertices(pts, method="iterative") == upper_hull_vertices(pts, method="lp")
        if D == 2:
            assert upper_hull_vertices(pts, method="chain") == upper_hull_vertices(pts, method="lp")


def test_upper_hull_vertices_input_errors():
    with pytest.raises(InputError):
        upper_hull_vertices([(0, 0), (0, 0)])
    with pytest.raises(InputError):
        upper_hull_vertices([(0, 0), (1, 0, 0)])
    with pytest.raises(InputError):
        upper_hull_vertices([(0, 0, 0), (1, 0, 0)], method="chain")
    with pytest.raises(InputError):
        upper_hull_vertices([(0, 0), (1, 0)], method="nope")
    assert upper_hull_vertices([]) == ()
    assert upper_hull_vertices([(1, 2, 3)]) == (0,)


def test_large_products_take_the_oracle_path_and_agree_with_expansion():
    """otimes() on |f|·|g| > 64 candidates uses the oracle; compare with expand + cdd."""
    from tropexact.tropical.polynomial import otimes

    rng = random.Random(7)
    for d in (1, 2, 3):
        for _ in range(4):
            f, g = (TropicalPolynomial([(tuple(rng.randint(-20, 20) for _ in range(d)),
                                         rng.randint(-4, 4)) for _ in range(12)], d)
                    for _ in range(2))
            assert len(f) * len(g) > 64
            assert otimes(f, g) == otimes(f, g, reduce=False).reduced(method="cdd")
