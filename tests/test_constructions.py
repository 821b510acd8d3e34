"""Networks realising known lower bounds (tropexact.bounds.constructions), checked exactly.

Every expected count below comes with its formula:

* r(n, d) = Σ_{j=0}^{d} C(n, j): n hyperplanes in general position in Q^d
  (Zaslavsky 1975);
* N_low(d; n_1..n_L) = (Π_{l<L} ⌊n_l/d⌋^d) · r(n_L, d): Montúfar, Pascanu, Cho,
  Bengio, NeurIPS 2014, Theorem 4 (a lower bound on the maximal number of
  linear regions over the whole input space R^d, hypothesis n_l ≥ d).  The
  zigzag construction has exactly N_low linear regions on [0, 1]^d when
  n_L > d or M = Π_{l<L} ⌊n_l/d⌋ ≤ 2 (derivation in the module docstring);
* for n_L = d and M ≥ 3 the construction has M^d (2^d − 1) + ⌈(M+1)/2⌉^d
  linear regions on [0, 1]^d (the all-inactive region merges with its mirror
  images across the fold faces y_i = 0; module docstring);
* over Q (d = 1, L ≥ 2, n_L ≥ 2): M (n_L + 1) + 1 + [L ≥ 3 and m_1⋯m_{L−2}
  even] (the constant region x < 0, and one more for x > 1 when a fold layer
  switches off at x = 1; docstring of montufar_zigzag).

For d ≥ 2 over all of Q^d no exact count is derived; the tests check the
theorem's bound N_low and that there are at least as many activation regions
as on the cube (each cube region lies in its own region of Q^d: activation
regions are the classes of the sign vector, which are convex).
"""

from __future__ import annotations

import itertools
from math import comb, prod

import pytest
import sympy

from tropexact.bounds.constructions import (
    general_position_one_layer,
    montufar_zigzag,
    moment_arrangement,
    zigzag,
    zigzag_coefficients,
)
from tropexact.bounds import zaslavsky_count
from tropexact.networks.domain import Domain
from tropexact.errors import InputError
from tropexact.exact.numbers import Q, is_rational
from tropexact.regions import activation_regions, affine_map_count, linear_regions


# -- formulas, computed here independently of the module ----------------------

def r(n: int, d: int) -> int:
    """Zaslavsky: regions of n hyperplanes in general position in Q^d."""
    return sum(comb(n, j) for j in range(d + 1))


def montufar_lower(d: int, widths: tuple) -> int:
    """Montúfar et al. 2014, Theorem 4: (Π_{l<L} ⌊n_l/d⌋^d) · Σ_{j≤d} C(n_L, j)."""
    return prod((w // d) ** d for w in widths[:-1]) * r(widths[-1], d)


def folds(d: int, widths: tuple) -> int:
    """M = Π_{l<L} ⌊n_l/d⌋: pieces of the composite tent in each coordinate."""
    return prod(w // d for w in widths[:-1])


def unit_box(d: int) -> Domain:
    return Domain.box([0] * d, [1] * d)


def counts(net, domain=None) -> tuple:
    C = activation_regions(net, domain)
    return len(C.regions), len(linear_regions(C)), C


# -- the fold s_m ---------------------------------------------------------------

@pytest.mark.parametrize("m", range(1, 8))
def test_zigzag_maps_unit_interval_onto_itself(m):
    """s_m is the tent with m pieces: s_m(k/m) = k mod 2, slope m(−1)^j on piece j.

    A piecewise linear function with breakpoints only at the k/m takes its
    extremes on [0, 1] at breakpoints, so values 0 and 1 there prove that the
    image of [0, 1] is exactly [0, 1], each piece mapped onto it.
    """
    f = zigzag(m)
    hidden = f.layers[0]
    # breakpoints of the hidden neurons relu(m x − k) are exactly k/m
    breaks = sorted(-b / w[0] for w, b in zip(hidden.weight, hidden.bias))
    assert breaks == [Q(k, m) for k in range(m)]
    s = [f([Q(k, m)])[0] for k in range(m + 1)]
    assert s == [Q(k % 2) for k in range(m + 1)]
    assert min(s) == 0 and max(s) == 1
    for j in range(m):
        assert (s[j + 1] - s[j]) / (Q(j + 1, m) - Q(j, m)) == m * (-1) ** j
        mid = f([Q(2 * j + 1, 2 * m)])[0]
        assert mid == Q(1, 2)  # linear on the piece: the midpoint value is the mean
    assert f([-1])[0] == 0 and f(["-1/3"])[0] == 0  # all neurons off for x < 0
    assert [sum(zigzag_coefficients(m)[:j + 1]) for j in range(m)] == [(-1) ** j for j in range(m)]


@pytest.mark.parametrize("m1,m2", [(2, 2), (2, 3), (3, 2), (3, 3), (4, 3)])
def test_tent_composition(m1, m2):
    """s_{m2} ∘ s_{m1} = s_{m1 m2} on [0, 1].

    Both sides are piecewise linear with breakpoints in the grid (1/(m1 m2))Z
    (s_{m1} maps the piece [j/m1, (j+1)/m1] affinely onto [0, 1], so the
    preimages of the breakpoints k/m2 are grid points), hence equality at every
    grid point proves equality on [0, 1]; midpoints are checked as well.
    """
    f1, f2, f12 = zigzag(m1), zigzag(m2), zigzag(m1 * m2)
    for k in range(2 * m1 * m2 + 1):
        x = Q(k, 2 * m1 * m2)
        assert f2([f1([x])[0]])[0] == f12([x])[0]


def test_zigzag_layer_in_network_maps_box_onto_box():
    """Inside montufar_zigzag the fold of every coordinate maps [0, 1] onto [0, 1].

    Evaluated exactly at the breakpoints j/M of the composite tent (where it
    must be j mod 2; the tent is linear between them, so its image is [0, 1])
    through the network's own first L−1 layers, read out with the alternating
    coefficients (1, −2, 2, …) that the last layer absorbs into its weights.
    """
    d, widths = 2, (4, 6, 3)
    net = montufar_zigzag(d, widths)
    M = folds(d, widths)
    # output of the fold layers, read by the alternating coefficients of the last fold
    m_last = widths[-2] // d
    c = zigzag_coefficients(m_last)
    for j1, j2 in itertools.product(range(M + 1), repeat=2):
        h = (Q(j1, M), Q(j2, M))
        for L in net.layers[:-2]:
            h = L(h)
        y = [sum(c[k] * h[i * m_last + k] for k in range(m_last)) for i in range(d)]
        assert y == [Q(j1 % 2), Q(j2 % 2)]


# -- exactness of the weights ---------------------------------------------------

def _leaves(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _leaves(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _leaves(v)
    else:
        yield obj


@pytest.mark.parametrize("make", [
    lambda: zigzag(5),
    lambda: general_position_one_layer(3, 5),
    lambda: general_position_one_layer(2, 7),
    lambda: montufar_zigzag(1, (3, 3)),
    lambda: montufar_zigzag(2, (5, 4, 3)),
    lambda: montufar_zigzag(3, (7, 3)),
])
def test_weights_are_exact_rationals(make):
    net = make()
    for L in net.layers:
        assert all(is_rational(w) for row in L.weight for w in row)
        assert all(is_rational(b) for b in L.bias)
    leaves = list(_leaves(net.to_dict()["layers"]))
    assert not any(isinstance(v, float) for v in leaves)
    # some weight is genuinely non-integer in the perturbed arrangements
    if net.widths == (3, 5, 1):
        assert any(b.denominator > 1 for b in net.layers[0].bias)


def test_leftover_neurons_have_zero_weights():
    """n_l mod d neurons: zero row, zero bias, zero outgoing weights."""
    net = montufar_zigzag(2, (5, 5, 3))  # 5 = 2·2 + 1: one leftover per fold layer
    for l in (0, 1):
        assert net.layers[l].weight[4] == tuple(Q(0) for _ in net.layers[l].weight[4])
        assert net.layers[l].bias[4] == 0
        assert all(row[4] == 0 for row in net.layers[l + 1].weight)


# -- one layer in general position ------------------------------------------------

def _det(rows) -> sympy.Rational:
    return sympy.Matrix([[sympy.Rational(int(v.numerator), int(v.denominator)) for v in row]
                         for row in rows]).det()


@pytest.mark.parametrize("d,n", [(1, 3), (2, 4), (3, 5), (2, 2), (3, 2), (2, 6)])
def test_general_position_is_general(d, n):
    """Proved in the docstring, checked here exactly on the network's own weights.

    Every d rows of W are independent (det ≠ 0).  No d + 1 hyperplanes
    w·x + b = 0 share a point: such a point would put (x, 1) in the kernel of
    the (d+1)×(d+1) matrix [W_S | b_S], so det [W_S | b_S] ≠ 0 rules it out.
    """
    net = general_position_one_layer(d, n)
    W, b = net.layers[0].weight, net.layers[0].bias
    for S in itertools.combinations(range(n), min(d, n)):
        M = [W[k] for k in S]
        if len(S) == d:
            assert _det(M) != 0
        else:  # fewer than d hyperplanes: independent normals (full row rank)
            assert sympy.Matrix([[sympy.Rational(int(v.numerator), int(v.denominator))
                                  for v in row] for row in M]).rank() == len(S)
    for S in itertools.combinations(range(n), d + 1):
        assert _det([tuple(W[k]) + (b[k],) for k in S]) != 0


@pytest.mark.parametrize("d,n", [(1, 3), (2, 4), (3, 5), (1, 1), (2, 1), (2, 2), (2, 5), (3, 3)])
def test_general_position_one_layer_attains_zaslavsky(d, n):
    """Exactly Σ_{j≤d} C(n, j) activation regions = linear regions = distinct maps.

    Activation regions: Zaslavsky.  Linear regions and distinct affine maps: the
    gradient Σ_{k∈S} 2^{k−1} a_k has first coordinate Σ_{k∈S} 2^{k−1}, which
    determines the active set S, i.e. the region.
    """
    C = activation_regions(general_position_one_layer(d, n))
    assert len(C.regions) == r(n, d) == zaslavsky_count(n, d)
    assert len(linear_regions(C)) == r(n, d)
    assert affine_map_count(C) == r(n, d)


def test_moment_arrangement_vertices_inside_quarter_box():
    """Every vertex of moment_arrangement(d, n) lies in [1/4, 3/4]^d (docstring bound)."""
    for d, n in [(1, 5), (2, 5), (3, 6)]:
        hyps = moment_arrangement(d, n)
        for S in itertools.combinations(hyps, d):
            A = sympy.Matrix([[sympy.Integer(v) for v in a] for a, _ in S])
            rhs = sympy.Matrix([sympy.Rational(int(b.numerator), int(b.denominator)) for _, b in S])
            v = A.LUsolve(rhs)
            assert all(sympy.Rational(1, 4) <= t <= sympy.Rational(3, 4) for t in v)


# -- the Montúfar et al. (2014) zigzag construction ---------------------------------

def test_acceptance_montufar_d1_widths_3_3():
    """The issue's acceptance item: d = 1, widths (3, 3) has at least 12 linear regions.

    3 folds of [0, 1], 3 breakpoints of the last layer in each copy:
    3^1 · (1 + 3) = 12 on [0, 1], exactly; over Q one more, the constant
    region x < 0 (3 is odd, so nothing switches off at x = 1): 13.
    """
    net = montufar_zigzag(1, (3, 3))
    act, lin, _ = counts(net, unit_box(1))
    assert montufar_lower(1, (3, 3)) == 12
    assert act == lin == 12
    assert counts(net)[1] == 13 >= 12


def _d1_q_count(widths: tuple) -> int:
    """M (n_L + 1) + 1 + [L ≥ 3 and m_1⋯m_{L−2} even] (montufar_zigzag Notes)."""
    L = len(widths)
    M = folds(1, widths)
    extra = 1 if L >= 3 and prod(widths[:-2]) % 2 == 0 else 0
    return M * (widths[-1] + 1) + 1 + extra


@pytest.mark.parametrize("widths", [(3, 3), (2, 2, 2), (4, 4), (2, 3), (2, 2), (3, 2),
                                    (5, 5), (3, 3, 3), (2, 3, 2), (3, 2, 4), (2, 2, 2, 2)])
def test_montufar_d1_sawtooth(widths):
    """d = 1: exactly M (n_L + 1) = N_low on [0, 1]; the derived count over Q.

    On [0, 1]: M copies of [0, 1] (the composite tent), n_L breakpoints in each
    (the last layer's points 1/2 + k/(4(n_L+1)) lie in (0, 1)), n_L + 1
    intervals per copy, and neighbouring intervals have different slopes.
    """
    net = montufar_zigzag(1, widths)
    act, lin, C = counts(net, unit_box(1))
    assert act == lin == montufar_lower(1, widths)
    assert affine_map_count(C) <= lin
    act_q, lin_q, _ = counts(net)
    assert lin_q == _d1_q_count(widths)
    assert lin_q >= montufar_lower(1, widths)


# (d, widths) with n_L > d or M ≤ 2: exactly N_low on the cube
EXACT_CASES = [
    (2, (2, 2)),      # M = 1: 1 · (1 + 2 + 1) = 4
    (2, (4, 2)),      # M = 2, n_L = d: 2² · 4 = 16
    (2, (4, 4)),      # 2² · (1 + 4 + 6) = 44
    (2, (3, 3)),      # M = 1: 1 + 3 + 3 = 7
    (2, (5, 3)),      # 2² · 7 = 28 (one leftover neuron)
    (2, (6, 3)),      # 3² · 7 = 63
    (2, (6, 6)),      # 3² · 22 = 198
    (2, (4, 4, 4)),   # 2² · 2² · 11 = 176
    (3, (3, 3)),      # 1 · 8 = 8
    (3, (6, 3)),      # 2³ · 8 = 64
    (3, (6, 4)),      # 2³ · (1 + 4 + 6 + 4) = 120
]


@pytest.mark.parametrize("d,widths", EXACT_CASES)
def test_montufar_general_d_exact_on_cube(d, widths):
    net = montufar_zigzag(d, widths)
    act, lin, C = counts(net, unit_box(d))
    assert act == lin == montufar_lower(d, widths)
    # the structure behind the count: each of the M^d subcubes of side 1/M holds
    # exactly r(n_L, d) regions (identified by an interior point)
    M = folds(d, widths)
    per_cube: dict = {}
    for reg in C.regions:
        key = tuple(int(M * t) for t in reg.point)  # floor: interior points avoid j/M
        per_cube[key] = per_cube.get(key, 0) + 1
    assert len(per_cube) == M ** d
    assert set(per_cube.values()) == {r(widths[-1], d)}
    # over all of Q^d: at least as many activation regions, and the theorem's bound
    act_q, lin_q, _ = counts(net)
    assert act_q >= act
    assert lin_q >= montufar_lower(d, widths)


@pytest.mark.slow
@pytest.mark.parametrize("d,widths", [(3, (6, 6, 4)), (2, (6, 6, 6)), (3, (9, 4))])
def test_montufar_exact_on_cube_larger(d, widths):
    net = montufar_zigzag(d, widths)
    act, lin, _ = counts(net, unit_box(d))
    assert act == lin == montufar_lower(d, widths)
    act_q, lin_q, _ = counts(net)
    assert lin_q >= montufar_lower(d, widths)


@pytest.mark.parametrize("d,widths", [(1, (2, 1)), (1, (3, 1)), (1, (4, 1)), (1, (5, 1)),
                                      (1, (2, 3, 1)), (2, (6, 2)), (2, (6, 4, 2))])
def test_montufar_shortfall_when_last_width_equals_d(d, widths):
    """n_L = d, M ≥ 3: M^d (2^d − 1) + ⌈(M+1)/2⌉^d < N_low on the cube.

    The all-inactive region R_0 (constant map) touches every face y_i = 0, and
    those are fold faces x_i = 2j/M inside the cube; along each coordinate the
    copies of R_0 merge into the ⌈(M+1)/2⌉ classes {0}, {1,2}, {3,4}, ….
    For d = 1 the count over Q is the same: x < 0 is constant 0 = R_0's value
    and merges with the copy of R_0 at x = 0; for x > 1 either nothing breaks
    or the neighbour in [0, 1] is again a copy of R_0.
    """
    M = folds(d, widths)
    expected = M ** d * (2 ** d - 1) + (-(-(M + 1) // 2)) ** d
    net = montufar_zigzag(d, widths)
    act, lin, _ = counts(net, unit_box(d))
    assert act == montufar_lower(d, widths)  # the activation regions are all there
    assert lin == expected
    assert (lin < montufar_lower(d, widths)) == (M >= 3)
    if d == 1:
        assert counts(net)[1] == expected


def test_montufar_w_shape_attains_bound_for_3_1():
    """The shortfall is the construction's, not the theorem's: d = 1, widths (3, 1).

    A W-shaped first layer g = 2 relu(x) − 2 relu(2 − x) + 3 relu(3 − x) has
    slopes −1, +1, −1, +2 on (−∞, 0), (0, 2), (2, 3), (3, ∞) and values
    g(0) = 5, g(2) = 7, g(3) = 6.  relu(g − 13/2) is positive on
    (−∞, −3/2), (3/2, 5/2), (13/4, ∞) and 0 elsewhere, with the kink of g at 2
    inside the middle bump: pieces (−∞,−3/2) slope −1, (−3/2, 3/2) const,
    (3/2, 2) +1, (2, 5/2) −1, (5/2, 13/4) const, (13/4, ∞) +2: six linear
    regions = 3 · (1 + 1) = N_low over Q.
    """
    from tropexact.networks.model import network
    net = network(1, [
        {"weight": [[1], [-1], [-1]], "bias": [0, 2, 3], "activation": "relu"},
        {"weight": [[2, -2, 3]], "bias": ["-13/2"], "activation": "relu"},
        {"weight": [[1]], "bias": [0], "activation": "identity"},
    ])
    assert [net([x])[0] for x in ("-3/2", "3/2", 2, "5/2", "13/4")] == [0, 0, Q(1, 2), 0, 0]
    assert counts(net)[1] == montufar_lower(1, (3, 1)) == 6


def test_montufar_mirror_symmetry():
    """ν depends on x only through the folded point: ν(x) = ν(2j/M − x) = ν(x + 2/M).

    Checked exactly at rational points inside the cube (d = 2, widths (6, 4),
    M = 3): reflections in the fold lines x_i = j/M and translation by 2/M.
    """
    d, widths = 2, (6, 4)
    net = montufar_zigzag(d, widths)
    M = folds(d, widths)
    pts = [(Q(1, 7), Q(2, 11)), (Q(3, 13), Q(1, 5)), (Q(1, 4), Q(1, 9))]  # in [0, 1/3]²
    for x in pts:
        v = net(x)
        checked = 0
        for j in range(1, M):  # reflection in the fold line x_i = j/M, when it stays in the cube
            for i in range(d):
                y = list(x)
                y[i] = Q(2 * j, M) - x[i]
                if 0 <= y[i] <= 1:
                    assert net(y) == v
                    checked += 1
        assert checked == 2  # x in the first subcube: only j = 1 stays inside for M = 3
        assert net((x[0] + Q(2, M), x[1])) == v
        assert net((x[0], x[1] + Q(2, M))) == v
        assert net((x[0] + Q(2, M), x[1] + Q(2, M))) == v


@pytest.mark.parametrize("d,widths", [(2, (1, 3)), (2, (4, 1)), (3, (2, 3)), (1, ())])
def test_montufar_rejects_widths_below_d(d, widths):
    with pytest.raises(InputError):
        montufar_zigzag(d, widths)
