"""Networks → tropical rational maps: ν = F ⊘ G exactly (docs/design.md §3).

Random small integer and rational networks (relu with thresholds, leaky_relu with
slope 1/2 or 1/3, identity or relu output), the unpruned expansion, reducedness,
the integer rescaling, and the paper's Example C.2.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, reject, settings, strategies as st

from tropexact.errors import BudgetExceeded, InputError
from tropexact.networks.io import load_network
from tropexact.networks.model import integer_network, network
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.networks.tropicalization import tropicalize

SETTINGS = settings(max_examples=30, deadline=None, database=None)
C2 = Path(__file__).resolve().parent.parent / "data" / "networks" / "zhang2018_example_c2.json"

# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------

ints = st.integers(min_value=-3, max_value=3).map(Fraction)
rats = st.fractions(min_value=-3, max_value=3, max_denominator=3)
small_ints = st.integers(min_value=-2, max_value=2).map(Fraction)
small_rats = st.fractions(min_value=-2, max_value=2, max_denominator=2)


@st.composite
def networks(draw, max_depth=3, max_width=4, budget=24, integer=None, small=False):
    """A random network: d ∈ {1,2,3}, 1..max_depth hidden layers of width 1..max_width.

    ``budget`` caps d · Π widths so that the exact tropicalization stays fast.
    """
    if integer is None:
        integer = draw(st.booleans())
    nums = (small_ints if integer else st.one_of(small_ints, small_rats)) if small else \
        (ints if integer else st.one_of(ints, rats))
    d = draw(st.sampled_from([1, 2, 3]))
    depth = draw(st.integers(min_value=1, max_value=max_depth))
    widths = []
    for _ in range(depth):
        cap = max(1, min(max_width, budget // (d * math.prod(widths or [1]))))
        widths.append(draw(st.integers(min_value=1, max_value=cap)))
    layers, dim = [], d
    for w in widths:
        act = draw(st.sampled_from(["relu", "relu", "leaky_relu"]))
        spec = {"weight": [[draw(nums) for _ in range(dim)] for _ in range(w)],
                "bias": [draw(nums) for _ in range(w)], "activation": act}
        if act == "leaky_relu":
            spec["negative_slope"] = draw(st.sampled_from([Fraction(1, 2), Fraction(1, 3)]))
        elif draw(st.booleans()):
            spec["threshold"] = draw(nums)
        layers.append(spec)
        dim = w
    p = draw(st.integers(min_value=1, max_value=2))
    out = {"weight": [[draw(nums) for _ in range(dim)] for _ in range(p)],
           "bias": [draw(nums) for _ in range(p)],
           "activation": draw(st.sampled_from(["identity", "relu"]))}
    if out["activation"] == "relu" and draw(st.booleans()):
        out["threshold"] = draw(nums)
    layers.append(out)
    return network(d, layers)


def points(d, n_max=4):
    coord = st.fractions(min_value=-5, max_value=5, max_denominator=6)
    return st.lists(st.tuples(*[coord] * d), min_size=1, max_size=n_max)


def breakpoint_points(net):
    """Points on the first layer's hyperplanes w·x + b = t (where relus switch)."""
    l0 = net.layers[0]
    t = l0.threshold if l0.activation == "relu" else Q(0)
    out = []
    for row, b in zip(l0.weight, l0.bias):
        k = next((i for i, w in enumerate(row) if w != 0), None)
        if k is None:
            continue
        x = [Q(1, 2)] * len(row)
        rest = sum((w * v for i, (w, v) in enumerate(zip(row, x)) if i != k), Q(0))
        x[k] = (t - b - rest) / row[k]
        out.append(tuple(x))
    return out


def trop(net, **kw):
    """tropicalize() with a small budget for the "terms before pruning" bookkeeping.

    That count works on exponent sets in pure Python and can take seconds on
    networks whose pruned tropicalization takes milliseconds (e.g. d = 2, widths
    4, 2 with a leaky layer: 143 200 exponents counted); past the budget it is None.
    """
    kw.setdefault("count_budget", 20_000)
    return tropicalize(net, **kw)


def assert_computes(T, net, xs):
    for x in xs:
        y = net(x)
        assert T.map(x) == y
        for comp, yi in zip(T.map, y):
            assert comp.numerator(x) - comp.denominator(x) == yi


# ---------------------------------------------------------------------------
# ν = F − G
# ---------------------------------------------------------------------------

@SETTINGS
@given(st.data())
def test_network_equals_f_minus_g(data):
    net = data.draw(networks())
    T = trop(net)
    assert len(T.map) == net.output_dim and T.map.nvars == net.input_dim
    assert len(T.layers) == len(net.layers)
    xs = data.draw(points(net.input_dim)) + breakpoint_points(net)
    assert_computes(T, net, xs)


@SETTINGS
@given(st.data())
def test_pruned_polynomials_are_reduced(data):
    net = data.draw(networks())
    T = trop(net)
    for o, comp in zip(T.outputs, T.map):
        assert comp.numerator is o.F and comp.denominator is o.G
        for P in (o.F, o.G, o.H):
            assert P == P.reduced(method="lp")
            if P.nvars >= 2:
                assert P == P.reduced(method="cdd")


@SETTINGS
@given(st.data())
def test_unpruned_is_same_function(data):
    net = data.draw(networks(max_depth=2, max_width=3, budget=8, small=True))
    try:
        Tu = trop(net, prune=False, max_terms=400)
    except BudgetExceeded:
        reject()
    T = trop(net)
    assert not Tu.pruned and T.pruned
    for cu, cp in zip(Tu.map, T.map):
        # same function: F_u − G_u = F − G everywhere; checked at points …
        for x in data.draw(points(net.input_dim)) + breakpoint_points(net):
            assert cu(x) == cp(x)
        # … and exactly: pruning never changes the function of any intermediate
        # polynomial, so the unpruned F and G reduce to the pruned ones
        assert cu.numerator.reduced(method="lp") == cp.numerator
        assert cu.denominator.reduced(method="lp") == cp.denominator


def _seeded_network(rng):
    """Larger networks than Hypothesis tends to draw (d · Π widths ≤ 24)."""
    while True:
        d = rng.choice([1, 2, 3])
        widths = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
        if d * math.prod(widths) <= 24:
            break

    def num():
        return Fraction(rng.randint(-3, 3), rng.choice([1, 1, 2, 3]))

    layers, dim = [], d
    for w in widths:
        act = rng.choice(["relu", "relu", "leaky_relu"])
        spec = {"weight": [[num() for _ in range(dim)] for _ in range(w)],
                "bias": [num() for _ in range(w)], "activation": act}
        if act == "leaky_relu":
            spec["negative_slope"] = rng.choice([Fraction(1, 2), Fraction(1, 3)])
        elif rng.random() < 0.4:
            spec["threshold"] = num()
        layers.append(spec)
        dim = w
    layers.append({"weight": [[num() for _ in range(dim)]], "bias": [num()],
                   "activation": rng.choice(["identity", "relu"])})
    return network(d, layers)


@pytest.mark.parametrize("seed", range(12))
def test_network_equals_f_minus_g_seeded(seed):
    import random

    rng = random.Random(seed)
    net = _seeded_network(rng)
    T = trop(net)
    xs = [tuple(Fraction(rng.randint(-30, 30), rng.randint(1, 7)) for _ in range(net.input_dim))
          for _ in range(8)] + breakpoint_points(net)
    assert_computes(T, net, xs)
    for c in T.map:
        assert c.numerator == c.numerator.reduced(method="lp")
        assert c.denominator == c.denominator.reduced(method="lp")


# ---------------------------------------------------------------------------
# integer rescaling
# ---------------------------------------------------------------------------

@SETTINGS
@given(st.data())
def test_integer_network(data):
    net = data.draw(networks(integer=False))
    inet, scale = integer_network(net)
    assert scale >= 1 and scale.denominator == 1
    assert [l.activation for l in inet.layers] == [l.activation for l in net.layers]
    for l, l0 in zip(inet.layers, net.layers):
        assert all(w.denominator == 1 for row in l.weight for w in row)
        assert all(b.denominator == 1 for b in l.bias)
        assert l.threshold.denominator == 1
        assert l.negative_slope == l0.negative_slope
    xs = data.draw(points(net.input_dim)) + breakpoint_points(net)
    for x in xs:
        assert net(x) == tuple(v / scale for v in inet(x))
    # max is positively homogeneous: the tropicalization of ν' is scale·(F, G) exactly
    T, Ti = trop(net, count_before=False), trop(inet, count_before=False)
    for c, ci in zip(T.map, Ti.map):
        assert ci.numerator == c.numerator ** scale
        assert ci.denominator == c.denominator ** scale
    if all(l.activation != "leaky_relu" for l in net.layers):
        # integer weights, no slopes: integer exponents and coefficients
        for ci in Ti.map:
            for P in (ci.numerator, ci.denominator):
                assert all(v.denominator == 1 for e, c in P.terms for v in e + (c,))


def test_integer_network_docstring_example():
    net = network(1, [{"weight": [["1/2"]], "bias": ["1/3"], "activation": "relu"},
                      {"weight": [["3/4"]], "bias": [0], "activation": "identity"}])
    inet, s = integer_network(net)
    # D_1 = lcm(2, 3) = 6 (weight 1/2, bias 1/3); D_2 = 4 (weight 3/4): scale 24
    assert s == 24
    assert inet.layers[0].weight == ((Q(3),),) and inet.layers[0].bias == (Q(2),)
    assert inet.layers[1].weight == ((Q(3),),)


# ---------------------------------------------------------------------------
# hand-derived examples
# ---------------------------------------------------------------------------

def test_docstring_example_by_hand():
    # hidden: max(x, 0), max(2x − 2, 0); output n1 − n2 (identity).
    # A₊ = [1, 0], A₋ = [0, 1], G⁽¹⁾ = 0: F = F₁ ⊙ G₂ = max(0, x), G = G₁ ⊙ F₂ = max(0, 2x − 2)
    net = network(1, [{"weight": [[1], [2]], "bias": [0, -2], "activation": "relu"},
                      {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    T = tropicalize(net)
    assert T.map[0].numerator == TropicalPolynomial({(0,): 0, (1,): 0})
    assert T.map[0].denominator == TropicalPolynomial({(0,): 0, (2,): -2})
    assert str(T.map[0]) == "max(0, x0) - max(0, -2 + 2*x0)"


def test_leaky_relu_by_hand():
    # one neuron z = x, slope 1/2: max(z, z/2) = max(H + aG, aH + G) − (1+a)G with H = x, G = 0
    net = network(1, [{"weight": [[1]], "bias": [0], "activation": "leaky_relu",
                       "negative_slope": "1/2"}])
    T = tropicalize(net)
    assert T.map[0].numerator == TropicalPolynomial({("1/2",): 0, (1,): 0})
    assert T.map[0].denominator == TropicalPolynomial.one(1)
    assert [T.map[0]([x]) for x in (-2, 0, 3)] == [Q(-1), Q(0), Q(3)]


def test_relu_threshold_by_hand():
    # σ(z) = max(z, t) with t = 3/2 on z = 2x − 1: F = max(2x − 1, 3/2), G = 0
    net = network(1, [{"weight": [[2]], "bias": [-1], "activation": "relu", "threshold": "3/2"}])
    T = tropicalize(net)
    assert T.map[0].numerator == TropicalPolynomial({(0,): "3/2", (2,): -1})
    assert T.map[0]([0]) == Q(3, 2) and T.map[0]([3]) == Q(5)


def test_rational_weights_give_rational_exponents():
    net = network(2, [{"weight": [["1/2", "-2/3"]], "bias": ["1/5"], "activation": "relu"}])
    T = tropicalize(net)
    # H = x0^{1/2} ⊙ 1/5, G' = x1^{2/3}: F = max(1/5 + x0/2, 2/3·x1), G = 2/3·x1
    assert T.map[0].numerator == TropicalPolynomial({("1/2", 0): "1/5", (0, "2/3"): 0})
    assert T.map[0].denominator == TropicalPolynomial({(0, "2/3"): 0})


def test_floats_refused():
    net = network(1, [{"weight": [[1]], "bias": [0], "activation": "relu"}])
    T = tropicalize(net)
    with pytest.raises(InputError):
        T.map[0]([0.5])
    with pytest.raises(InputError):
        net([0.5])
    with pytest.raises(InputError):
        network(1, [{"weight": [[0.5]], "bias": [0], "activation": "relu"}])


# ---------------------------------------------------------------------------
# Example C.2 of Zhang, Naitzat and Lim (ICML 2018)
# ---------------------------------------------------------------------------

def test_example_c2_counts():
    """Source: Zhang–Naitzat–Lim 2018, Appendix C.2 (H, G, F: 12, 8, 19 terms before
    pruning; 7, 4, 8 after).

    Hand derivation of 12 and 8: the output row is (1, 2, 1, −1, −3), so
    H = F₁ ⊙ F₂^2 ⊙ F₃ ⊙ G₄ ⊙ G₅^3 ⊙ 0 and G = G₁ ⊙ G₂^2 ⊙ G₃ ⊙ F₄ ⊙ F₅^3.  Every
    layer-1 F_j = max(w_j⁺·x + b_j, w_j⁻·x) has 2 terms and every G_j = w_j⁻·x is a
    monomial; max(a, b)^2 expands to 3 terms and max(a, b)^3 to 4.  Hence H has
    2·3·2 = 12 terms and G has 4·2 = 8; F = max(H, G) has 19 distinct exponents
    (one exponent is shared by H and G; the paper reports 19).
    """
    net = load_network(C2)
    assert net.widths == (2, 5, 1)
    T = tropicalize(net)
    o = T.outputs[0]
    assert o.terms_before == {"H": 12, "G": 8, "F": 19}
    assert (len(o.H), len(o.G), len(o.F)) == (7, 4, 8)
    assert T.terms_before_pruning == 19 + 8
    assert o.F == o.F.reduced(method="lp") and o.G == o.G.reduced(method="lp")
    # independent route to 12/8/19: the unpruned expansion, counted on polynomials
    Tu = tropicalize(net, prune=False)
    ou = Tu.outputs[0]
    assert (len(ou.H), len(ou.G), len(ou.F)) == (12, 8, 19)
    assert ou.H.reduced() == o.H and ou.G.reduced() == o.G and ou.F.reduced() == o.F
    # and the map computes the network
    xs = [(0, 0), (1, 2), ("-3/2", "5/7"), (4, -1), ("1/3", "-2/9"), (-5, -5)]
    assert_computes(T, net, xs)
    assert_computes(Tu, net, xs)


def test_example_c2_count_budget():
    # past the counting budget the counts are None (unknown), the map is unaffected
    net = load_network(C2)
    T = tropicalize(net, count_budget=10)
    assert T.outputs[0].terms_before == {"H": None, "G": None, "F": None}
    assert T.terms_before_pruning is None
    assert (len(T.outputs[0].H), len(T.outputs[0].G), len(T.outputs[0].F)) == (7, 4, 8)
    T0 = tropicalize(net, count_before=False)
    assert T0.map == T.map


def test_example_c2_without_output_relu():
    # same layers with an identity output: F = H, so F has the 7 terms of H
    net = load_network(C2)
    d = net.to_dict()
    d["layers"][1]["activation"] = "identity"
    net2 = network(d["input_dim"], d["layers"])
    T = tropicalize(net2)
    o = T.outputs[0]
    assert o.F == o.H and len(o.F) == 7 and len(o.G) == 4
    assert o.terms_before == {"H": 12, "G": 8, "F": 12}
    assert_computes(T, net2, [(0, 0), (1, 2), ("-3/2", "5/7"), (4, -1)])


# ---------------------------------------------------------------------------
# the production path (oracle hull of unexpanded sums of products) against
# expand-everything-then-prune with cdd and with the per-term LP
# ---------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from tropexact.tropical.polynomial import TropicalPolynomial as _TP, oplus as _oplus, otimes as _otimes  # noqa: E402
from tropexact.tropical.products import sum_of_products  # noqa: E402


@st.composite
def _small_poly(draw, d):
    n = draw(st.integers(1, 5))
    coord = st.integers(-2, 2) | st.sampled_from([Fraction(1, 2), Fraction(-3, 2)])
    terms = [(tuple(draw(coord) for _ in range(d)), draw(st.integers(-3, 3))) for _ in range(n)]
    if draw(st.booleans()) and n >= 2:
        # a degenerate extra term: the midpoint of two terms at the average height
        (e1, c1), (e2, c2) = terms[0], terms[1]
        terms.append((tuple(Fraction(a + b, 2) for a, b in zip(e1, e2)), Fraction(c1 + c2, 2)))
    return _TP(terms, d)


@st.composite
def _sum_of_products(draw):
    d = draw(st.integers(1, 3))
    prods = []
    for _ in range(draw(st.integers(1, 3))):
        c = draw(st.integers(-3, 3))
        factors = [(draw(_small_poly(d)), draw(st.sampled_from([1, 2, Fraction(1, 2), 3])))
                   for _ in range(draw(st.integers(0, 3)))]
        prods.append((c, factors))
    return d, prods


def _expand(d, prods):
    out = _TP.zero(d)
    for c, factors in prods:
        p = _TP.constant(c, d)
        for f, k in factors:
            p = _otimes(p, f.power(k, reduce=False), reduce=False)
        out = _oplus(out, p, reduce=False)
    return out


@settings(max_examples=60, deadline=None)
@given(_sum_of_products())
def test_sum_of_products_equals_expand_then_prune(case):
    d, prods = case
    expanded = _expand(d, prods)
    fast = sum_of_products(prods, d)
    assert fast == expanded.reduced(method="cdd")
    assert fast == expanded.reduced(method="lp")


def test_huge_weight_does_not_hang_the_term_count():
    # regression: the count of terms before pruning looped k times for a weight k, even
    # after its budget was spent (a weight 10^9 took minutes, 10^400 forever)
    import time

    big = 10 ** 400
    net = network(1, [{"weight": [[1], [1]], "bias": [0, -1], "activation": "relu"},
                      {"weight": [[big, 1]], "bias": [0], "activation": "identity"}])
    t0 = time.perf_counter()
    T = tropicalize(net)
    assert time.perf_counter() - t0 < 5
    # layer 0: max(0, x), max(0, x - 1) have 2 terms each; their 10^400-fold sum has more
    # than the budget allows, so the last layer's count is unknown, not wrong
    assert T.outputs[0].terms_before["F"] is None
    x = Q(3, 2)
    assert net([x])[0] == T.map[0]([x]) == big * Q(3, 2) + Q(1, 2)
