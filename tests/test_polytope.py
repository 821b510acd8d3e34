"""Exact polyhedra: named example tables, round trips, LPs, redundancy, zonotopes.

Every expected count below comes with its source (formula or hand derivation).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from math import comb

import cdd
import cdd.gmp
import pytest

from tropexact.errors import InputError
from tropexact.networks.model import network
from tropexact.exact.numbers import Q
from tropexact.polyhedra import (
    LPStatus,
    faces,
    from_inequalities,
    hull,
    irredundant,
    lp,
    upper_hull_vertices,
)
from tropexact.networks.tropicalization import tropicalize


def qv(*xs):
    return tuple(Q(x) if not isinstance(x, str) else Q(Fraction(x)) for x in xs)


def fvector(P):
    """(f_0, f_1, …, f_dim): number of faces of each dimension."""
    fs = faces(P)
    return tuple(sum(1 for f in fs if f.dim == k) for k in range(P.dim + 1))


def check_h_matches_v(P):
    """Every vertex satisfies every inequality/equation; each facet holds ≥ dim vertices."""
    for v in P.vertices:
        assert P.contains(v)
    for k, (b, a) in enumerate(P.inequalities):
        tight = {i for i, v in enumerate(P.vertices) if b + sum(x * y for x, y in zip(a, v)) == 0}
        assert tight == {i for i in P.incidence[k] if i < len(P.vertices)}


# ---------------------------------------------------------------------------
# named examples
# ---------------------------------------------------------------------------

def test_square():
    # 4 corners + centre (not a vertex); 4 edges; f-vector (4, 4, 1) by hand
    P = hull([(0, 0), (1, 0), (0, 1), (1, 1), ("1/2", "1/2")])
    assert P.vertices == (qv(0, 0), qv(1, 0), qv(0, 1), qv(1, 1))
    assert len(P.inequalities) == 4 and P.dim == 2 and P.equations == ()
    assert set(P.inequalities) == {(Q(0), qv(1, 0)), (Q(0), qv(0, 1)),
                                   (Q(1), qv(-1, 0)), (Q(1), qv(0, -1))}
    assert fvector(P) == (4, 4, 1)
    assert P.is_bounded() and not P.is_empty()
    assert P.contains(("1/3", 1)) and not P.contains(("4/3", 0))
    check_h_matches_v(P)


def test_triangle_with_interior_point():
    # conv{(0,0),(3,0),(0,3)} contains (1,1) strictly inside: 3 vertices, input order kept
    P = hull([(1, 1), (0, 0), (3, 0), (0, 3)])
    assert P.vertices == (qv(0, 0), qv(3, 0), qv(0, 3))
    assert set(P.inequalities) == {(Q(0), qv(1, 0)), (Q(0), qv(0, 1)), (Q(3), qv(-1, -1))}
    assert fvector(P) == (3, 3, 1)
    check_h_matches_v(P)


def test_cube_face_lattice():
    # the 3-cube: 2^3 vertices, 3·2^2 edges, 2·3 facets, itself: (8, 12, 6, 1)
    P = hull(list(itertools.product((0, 1), repeat=3)) + [("1/2", "1/2", "1/2")])
    assert fvector(P) == (8, 12, 6, 1)
    fs = faces(P)
    # each facet is a square with 4 vertices, each edge has 2
    assert all(len(f.vertices) == 4 for f in fs if f.dim == 2)
    assert all(len(f.vertices) == 2 for f in fs if f.dim == 1)
    check_h_matches_v(P)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_simplex_face_lattice(n):
    # the standard n-simplex conv{0, e_1..e_n}: C(n+1, k+1) faces of dimension k
    pts = [tuple(0 for _ in range(n))] + [tuple(int(i == j) for i in range(n)) for j in range(n)]
    P = hull(pts)
    assert fvector(P) == tuple(comb(n + 1, k + 1) for k in range(n + 1))
    assert len(P.inequalities) == n + 1


def test_segment():
    S = hull([(0,), (2,), (1,)])
    assert S.vertices == (qv(0), qv(2)) and S.dim == 1 and fvector(S) == (2, 1)
    # a segment in Q^2: dimension 1, one equation (the line y = x)
    T = hull([(0, 0), (2, 2), (1, 1)])
    assert T.dim == 1 and len(T.equations) == 1 and len(T.vertices) == 2
    assert T.contains(("1/2", "1/2")) and not T.contains(("1/2", 0))
    assert fvector(T) == (2, 1)


def test_single_point():
    P = hull([(1, 2, 3), (1, 2, 3)])
    assert P.vertices == (qv(1, 2, 3),)
    assert P.dim == 0 and len(P.equations) == 3 and P.inequalities == ()
    assert fvector(P) == (1,)
    assert P.contains((1, 2, 3)) and not P.contains((1, 2, 4))


def test_square_in_a_plane_in_q3():
    # the unit square lifted to the plane z = x + y + 1: dim 2 in Q^3, one equation
    sq = [(0, 0), (1, 0), (0, 1), (1, 1)]
    P = hull([(x, y, x + y + 1) for x, y in sq] + [("1/2", "1/2", 2)])
    assert P.dim == 2 and len(P.equations) == 1 and len(P.vertices) == 4
    (b, a), = P.equations
    for v in P.vertices:
        assert b + sum(x * y for x, y in zip(a, v)) == 0
    assert fvector(P) == (4, 4, 1)
    assert P.contains(("1/2", "1/2", 2)) and not P.contains(("1/2", "1/2", 0))


def test_unbounded_region_with_rays():
    # {x ≥ 0, y ≥ 0, x + y ≥ 1}: vertices (1,0), (0,1); rays e1, e2 (by hand)
    P = from_inequalities([(0, (1, 0)), (0, (0, 1)), (-1, (1, 1))])
    assert set(P.vertices) == {qv(1, 0), qv(0, 1)}
    assert set(P.rays) == {qv(1, 0), qv(0, 1)}
    assert P.lines == () and not P.is_bounded() and P.dim == 2
    assert len(P.inequalities) == 3
    # faces: 2 vertices; the bounded edge and two unbounded edges; P itself
    assert fvector(P) == (2, 3, 1)
    assert P.contains((5, 0)) and not P.contains(("1/3", "1/3"))


def test_half_plane_has_a_line():
    P = from_inequalities([(0, (0, 1))])  # y ≥ 0
    assert len(P.lines) == 1 and len(P.rays) == 1 and len(P.vertices) == 1
    (l,), (r,) = P.lines, P.rays
    assert l[1] == 0 and l[0] != 0 and r[1] > 0
    assert P.dim == 2 and not P.is_bounded()
    assert P.contains((-100, 0)) and not P.contains((0, "-1/2"))


def test_pure_cone_keeps_its_apex():
    P = from_inequalities([(0, (1, 0)), (0, (0, 1))])  # the positive quadrant
    assert P.vertices == (qv(0, 0),)
    assert set(P.rays) == {qv(1, 0), qv(0, 1)}


@pytest.mark.parametrize("ineqs", [
    [(-1, (1,)), (0, (-1,))],  # x ≥ 1 and x ≤ 0
    [(-1, (1, 0)), (0, (-1, 0))],  # the same with a free direction y (recession line)
    [(-1, (1, 0)), (0, (-1, 0)), (0, (0, 1))],  # … and a ray direction
])
def test_empty_polyhedron(ineqs):
    P = from_inequalities(ineqs)
    assert P.is_empty() and P.dim == -1
    assert P.vertices == () and P.rays == () and P.lines == ()
    assert faces(P) == []


def test_whole_space():
    P = from_inequalities([], ambient_dim=2)
    assert P.dim == 2 and len(P.lines) == 2 and P.contains((7, -9))


@pytest.mark.parametrize("seed,D,n", [(1, 2, 7), (2, 3, 9), (3, 3, 12), (4, 4, 10)])
def test_h_v_round_trip(seed, D, n):
    rng = random.Random(seed)
    pts = [tuple(Fraction(rng.randint(-9, 9), rng.randint(1, 3)) for _ in range(D))
           for _ in range(n)]
    P = hull(pts)
    if P.dim < D:
        pytest.skip("degenerate draw")
    check_h_matches_v(P)
    Q2 = from_inequalities(P.inequalities, P.equations)
    assert set(Q2.vertices) == set(P.vertices)
    assert set(Q2.inequalities) == set(P.inequalities)
    assert Q2.rays == () and Q2.lines == ()
    assert fvector(Q2) == fvector(P)
    # every input point is inside; vertices are input points
    assert all(P.contains(p) for p in pts)
    assert set(P.vertices) <= {tuple(Q(x) for x in p) for p in pts}


def test_h_v_round_trip_lower_dimensional():
    # points in the plane x + y + z = 1 in Q^3
    rng = random.Random(7)
    pts = []
    for _ in range(8):
        x, y = rng.randint(-5, 5), rng.randint(-5, 5)
        pts.append((x, y, 1 - x - y))
    P = hull(pts)
    assert P.dim == 2 and len(P.equations) == 1
    Q2 = from_inequalities(P.inequalities, P.equations)
    assert set(Q2.vertices) == set(P.vertices)
    assert Q2.dim == 2 and fvector(Q2) == fvector(P)


# ---------------------------------------------------------------------------
# LPs
# ---------------------------------------------------------------------------

UNIT_SQUARE = [(1, (-1, 0)), (1, (0, -1)), (0, (1, 0)), (0, (0, 1))]


def test_lp_optimal():
    r = lp((1, 2), UNIT_SQUARE)
    assert r.status is LPStatus.OPTIMAL and r.value == 3 and r.point == qv(1, 1)
    r = lp((1, 2), UNIT_SQUARE, maximize=False, constant="1/2")
    assert r.status is LPStatus.OPTIMAL and r.value == Q(1, 2) and r.point == qv(0, 0)
    # with an equation x = y: max x + 2y on the diagonal is 3 at (1,1)
    r = lp(("1/3", 0), UNIT_SQUARE, equations=[(0, (1, -1))])
    assert r.status is LPStatus.OPTIMAL and r.value == Q(1, 3)
    b, a = 0, (1, -1)
    assert b + sum(Q(x) * y for x, y in zip(a, r.point)) == 0


def test_lp_unbounded():
    r = lp((0, 1), [(1, (-1, 0)), (0, (1, 0))])  # 0 ≤ x ≤ 1, y free
    assert r.status is LPStatus.UNBOUNDED and r.value is None
    # the reported point is feasible
    assert 0 <= r.point[0] <= 1
    assert lp((1, 1), []).status is LPStatus.UNBOUNDED


def test_lp_infeasible():
    r = lp((0, 1), [(-1, (1, 0)), (0, (-1, 0))])
    assert r.status is LPStatus.INFEASIBLE and r.value is None and r.point is None
    assert lp((1,), [(0, (1,))], equations=[(1, (1,))]).status is LPStatus.INFEASIBLE


def test_lp_infeasible_but_relaxation_unbounded():
    """The ambiguous cdd case: x ≥ 1, x ≤ 0, maximise y (y unconstrained).

    The feasible set is empty, but the objective is unbounded on any relaxation that
    drops the x-constraints; cdd reports a *dual* inconsistency, which alone cannot
    tell infeasible from unbounded.
    """
    rows = [[-1, 1, 0], [0, -1, 0]]
    mat = cdd.gmp.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY,
                                    obj_type=cdd.LPObjType.MAX, obj_func=[0, 0, 1])
    prog = cdd.gmp.linprog_from_matrix(mat)
    cdd.gmp.linprog_solve(prog)
    assert prog.status in (cdd.LPStatusType.DUAL_INCONSISTENT,
                           cdd.LPStatusType.STRUC_DUAL_INCONSISTENT)  # the case is exercised
    r = lp((0, 1), [(-1, (1, 0)), (0, (-1, 0))])
    assert r.status is LPStatus.INFEASIBLE
    r = lp((0, 1), [(-1, (1, 0)), (0, (-1, 0))], maximize=False)
    assert r.status is LPStatus.INFEASIBLE


def test_lp_refuses_floats_and_bad_shapes():
    with pytest.raises(InputError):
        lp((0.5, 1), UNIT_SQUARE)
    with pytest.raises(InputError):
        lp((1, 1, 1), UNIT_SQUARE)


# ---------------------------------------------------------------------------
# redundancy
# ---------------------------------------------------------------------------

def test_irredundant_duplicates():
    # x ≥ 0 twice (once scaled) and x ≤ 1: exactly one copy of x ≥ 0 survives
    kept, implicit = irredundant([(0, (1,)), (0, (2,)), (1, (-1,)), (0, (1,))])
    assert implicit == []
    assert 2 in kept and len(kept) == 2 and len({0, 1, 3} & set(kept)) == 1


def test_irredundant_implied():
    # unit square plus x + y ≤ 2 (touches only the corner (1,1)) and x + y ≥ -1
    ineqs = UNIT_SQUARE + [(2, (-1, -1)), (1, (1, 1))]
    kept, implicit = irredundant(ineqs)
    assert kept == [0, 1, 2, 3] and implicit == []
    # x ≥ 0, y ≥ 0, x + y ≥ 0 (implied), x + y ≤ 1
    kept, implicit = irredundant([(0, (1, 0)), (0, (0, 1)), (0, (1, 1)), (1, (-1, -1))])
    assert kept == [0, 1, 3] and implicit == []


def test_irredundant_implicit_equations():
    # x ≥ 0 and x ≤ 0 force x = 0; y ≤ 1 stays a facet of the ray {x=0, y ≤ 1}
    kept, implicit = irredundant([(0, (1, 0)), (0, (-1, 0)), (1, (0, -1))])
    assert implicit == [0, 1] and kept == [2]
    assert irredundant([]) == ([], [])


# ---------------------------------------------------------------------------
# zonotopes
# ---------------------------------------------------------------------------

def det(rows):
    """Exact determinant (fraction-free Gaussian elimination on Fractions)."""
    m = [[Fraction(x) for x in r] for r in rows]
    n, sign, out = len(m), 1, Fraction(1)
    for c in range(n):
        piv = next((i for i in range(c, n) if m[i][c] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != c:
            m[c], m[piv] = m[piv], m[c]
            sign = -sign
        out *= m[c][c]
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            m[i] = [x - f * y for x, y in zip(m[i], m[c])]
    return sign * out


def generic(gens):
    """Every min(n, D) of the n generators in Q^D are linearly independent.

    (For k < D vectors: independent iff their Gram determinant is non-zero.)
    """
    D = len(gens[0])
    k = min(len(gens), D)
    for sub in itertools.combinations(gens, k):
        gram = [[sum(x * y for x, y in zip(u, v)) for v in sub] for u in sub]
        if det(gram) == 0:
            return False
    return True


def zonotope_points(gens):
    """All 2^n sums Σ ε_i g_i, ε ∈ {0, 1}: their hull is the zonotope Σ [0, g_i]."""
    D = len(gens[0])
    return [tuple(sum((g[k] for g, e in zip(gens, eps) if e), 0) for k in range(D))
            for eps in itertools.product((0, 1), repeat=len(gens))]


def zonotope_vertex_count(n, D):
    # docs/design.md §3: 2 Σ_{j=0}^{D-1} C(n-1, j) vertices for n generic generators in Q^D
    return 2 * sum(comb(n - 1, j) for j in range(D))


def random_generic(rng, n, D, lo=-20, hi=20):
    while True:
        gens = [tuple(rng.randint(lo, hi) for _ in range(D)) for _ in range(n)]
        if generic(gens):
            return gens


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_zonotope_q2_has_2n_vertices(n):
    rng = random.Random(100 + n)
    gens = random_generic(rng, n, 2)
    P = hull(zonotope_points(gens))
    assert zonotope_vertex_count(n, 2) == 2 * n
    assert len(P.vertices) == 2 * n  # a centrally symmetric 2n-gon
    if n >= 2:
        assert fvector(P) == (2 * n, 2 * n, 1)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_zonotope_q3_seeded_random(n):
    rng = random.Random(200 + n)
    gens = random_generic(rng, n, 3)
    P = hull(zonotope_points(gens))
    assert zonotope_vertex_count(n, 3) == n * (n - 1) + 2
    assert len(P.vertices) == n * (n - 1) + 2


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_zonotope_q3_moment_curve(n):
    # (1, t, t²) for distinct t: every 3 are independent (Vandermonde determinant ≠ 0)
    gens = [(1, t, t * t) for t in range(-2, n - 2)]
    assert generic(gens)
    P = hull(zonotope_points(gens))
    assert len(P.vertices) == n * (n - 1) + 2
    # a 3-zonotope: f-vector (V, E, F) with Euler V - E + F = 2 and F = n(n-1) (pairs of
    # generators give parallelogram facets, each pair twice) and E = 2 n(n-1)
    V, E, F, _ = fvector(P)
    assert (V, E, F) == (n * (n - 1) + 2, 2 * n * (n - 1), n * (n - 1))


def test_zonotope_parallel_generators_have_fewer_vertices():
    # Q²: (1,0) ∥ (2,0): the zonotope is a parallelogram, 4 < 2·3 = 6 vertices
    assert len(hull(zonotope_points([(1, 0), (2, 0), (0, 1)])).vertices) == 4
    # Q³: (1,0,0) ∥ (2,0,0): a box with 8 vertices < 4·3 + 2 = 14
    assert len(hull(zonotope_points([(1, 0, 0), (2, 0, 0), (0, 1, 0), (0, 0, 1)])).vertices) == 8
    # Q³: (1,0,0), (0,1,0), (1,1,0) coplanar: hexagon (2·3 vertices) × segment = 12 < 14
    assert len(hull(zonotope_points([(1, 0, 0), (0, 1, 0), (1, 1, 0), (0, 0, 1)])).vertices) == 12


# ---------------------------------------------------------------------------
# one hidden layer: P(F) is a zonotope; its upper vertices count the regions
# ---------------------------------------------------------------------------

def hyperplanes_generic(W, b):
    """No d of the normals dependent, and no d+1 hyperplanes w·x + b = 0 through a point."""
    d = len(W[0])
    if not all(det(sub) != 0 for sub in itertools.combinations(W, d)):
        return False
    rows = [tuple(w) + (bi,) for w, bi in zip(W, b)]
    return all(det(sub) != 0 for sub in itertools.combinations(rows, d + 1))


def random_one_layer(rng, d, n):
    while True:
        W = [[rng.randint(-9, 9) for _ in range(d)] for _ in range(n)]
        b = [rng.randint(-9, 9) for _ in range(n)]
        if hyperplanes_generic(W, b):
            break  # skip-and-redraw otherwise
    a = [rng.randint(1, 5) for _ in range(n)]  # positive output weights
    return W, b, a


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_one_layer_upper_vertices_count_regions(d, n):
    rng = random.Random(1000 * d + n)
    W, b, a = random_one_layer(rng, d, n)
    net = network(d, [{"weight": W, "bias": b, "activation": "relu"},
                      {"weight": [a], "bias": [rng.randint(-3, 3)], "activation": "identity"}])
    T = tropicalize(net)
    F = T.map[0].numerator
    G = T.map[0].denominator
    # regions of a generic affine arrangement of n hyperplanes in Q^d (Zaslavsky)
    expected = sum(comb(n, j) for j in range(d + 1))
    assert len(F) == expected
    assert F == F.reduced(method="lp")
    assert len(G) == 1  # positive output weights: G = Σ a_i G_i is a monomial
    # the same count from the zonotope itself: segment i of P(F) is a_i·[(w_i⁻, 0), (w_i⁺, b_i)]
    seg_lo = [tuple(Q(ai * max(-w, 0)) for w in row) + (Q(0),) for ai, row in zip(a, W)]
    gens = [tuple(Q(ai * w) for w in row) + (Q(ai * bi),) for ai, row, bi in zip(a, W, b)]
    base = tuple(sum(p[k] for p in seg_lo) for k in range(d + 1))
    pts = sorted({tuple(x + y for x, y in zip(base, z)) for z in zonotope_points(gens)})
    assert len(pts) == 2 ** n
    up = upper_hull_vertices(pts, method="cdd")
    assert len(up) == expected
    out_bias = net.layers[1].bias[0]
    assert {p[:-1] + (p[-1] + out_bias,) for p in (pts[i] for i in up)} == set(F.lifted_points())
    # and the whole zonotope in Q^{d+1} has 2 Σ_{j≤d} C(n-1, j) vertices (generic generators)
    assert generic(gens)
    assert len(hull(pts).vertices) == zonotope_vertex_count(n, d + 1)
    # the function is right at a few rational points
    for _ in range(5):
        x = [Fraction(rng.randint(-20, 20), rng.randint(1, 4)) for _ in range(d)]
        assert T.map[0](x) == net(x)[0]


# ---------------------------------------------------------------------------
# regressions
# ---------------------------------------------------------------------------

def test_regression_hull_with_opposite_rays_is_the_half_plane():
    # bug: hull() dropped the only point of a non-pointed polyhedron and called it empty
    # conv{(0,0)} + cone{(1,0), (-1,0), (0,1)} is the half-plane y ≥ 0
    P = hull([(0, 0)], rays=[(1, 0), (-1, 0), (0, 1)])
    assert not P.is_empty()
    assert P.dim == 2
    assert P.contains((-5, 1)) and not P.contains((0, -1))
