"""Exact integer Quickhull ``lifted_facets`` against cddlib.

``lifted_facets(P)`` must return exactly the facets of
``Q = conv(P) + cone(-e_last)`` (primitive integer rows ``b + <a, x> >= 0``)
or ``None`` when Q is not full-dimensional.  The reference is cddlib through
:func:`tropexact.polyhedra.hull` (GMP arithmetic): cdd's irredundant facet set
must equal ours, and independently of cdd every row must be valid for Q and
facet-defining (tight on D linearly independent generators of the cone).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tropexact.polyhedra.quickhull import lifted_facets
from tropexact.polyhedra import hull

# ---------------------------------------------------------------------------
# reference and checks


def cdd_facets(points):
    """(full_dimensional, set of primitive rows (b, *a)) by cddlib."""
    D = len(points[0])
    ray = (0,) * (D - 1) + (-1,)
    P = hull(points, rays=[ray])
    rows = set()
    for b, a in P.inequalities:
        row = (b, *a)
        assert all(Fraction(x).denominator == 1 for x in row)
        rows.add(tuple(int(x) for x in row))
    return not P.equations, rows


def _rank(rows, stop=None):
    """Exact rank of an integer matrix (integer elimination; stops at ``stop``)."""
    from math import gcd

    basis = []  # (pivot column, row) with zeros at earlier pivots
    for r in rows:
        r = list(r)
        for j, b in basis:
            if r[j]:
                pj, rj = b[j], r[j]
                r = [pj * x - rj * y for x, y in zip(r, b)]
        if any(r):
            g = gcd(*r)
            r = [x // g for x in r]
            basis.append((next(j for j, x in enumerate(r) if x), r))
            if stop is not None and len(basis) >= stop:
                break
    return len(basis)


def projections_span(points):
    """Do the projections to the first D-1 coordinates affinely span Q^{D-1}?"""
    D = len(points[0])
    p0 = points[0]
    diffs = [[a - b for a, b in zip(p[:-1], p0[:-1])] for p in points[1:]]
    return D == 1 or (bool(diffs) and _rank(diffs) == D - 1)


def check_valid(points, rows):
    """cdd-free checks: primitive, valid on Q, facet-defining, no duplicates."""
    from math import gcd

    D = len(points[0])
    gens = [(1, *p) for p in points] + [(0,) * D + (-1,)]
    assert len(set(rows)) == len(rows), "duplicate rows"
    for b, a in rows:
        assert isinstance(b, int) and all(isinstance(x, int) for x in a)
        assert len(a) == D
        assert gcd(b, *a) == 1, "row not primitive"
        assert any(a), "trivial row"
        assert a[-1] <= 0, "row cut by the ray -e_last"
        h = (b, *a)
        vals = [sum(x * y for x, y in zip(h, g)) for g in gens]
        assert min(vals) >= 0, "row violated by an input point"
        tight = [g for g, v in zip(gens, vals) if v == 0]
        assert _rank(tight, stop=D) == D, "row is not facet-defining"


def check(points):
    """Full comparison with cdd; returns our rows (or None)."""
    points = [tuple(p) for p in points]
    ours = lifted_facets(points)
    full, ref = cdd_facets(points)
    assert full == projections_span(points)
    if not full:
        assert ours is None
        return None
    assert ours is not None
    check_valid(points, ours)
    got = {(b, *a) for b, a in ours}
    # the robust direction first: every cdd facet is among ours
    missing = ref - got
    assert not missing, f"missing facets {missing}"
    assert got == ref, f"extra rows {got - ref}"
    return ours


# ---------------------------------------------------------------------------
# point-set generators (all seeded)


def random_points(rng, D, n, lo, hi):
    return sorted({tuple(rng.randint(lo, hi) for _ in range(D)) for _ in range(n)})


def minkowski(*sets):
    out = {tuple([0] * len(sets[0][0]))}
    for S in sets:
        out = {tuple(x + y for x, y in zip(p, q)) for p in out for q in S}
    return sorted(out)


def zonotope_points(rng, D, m, R):
    segs = [[(0,) * D, tuple(rng.randint(-R, R) for _ in range(D))] for _ in range(m)]
    return minkowski(*segs)


def grid(D, R):
    return list(itertools.product(range(-R, R + 1), repeat=D))


def sphere_points(D, r2):
    """All integer points with |x|^2 = r2 (very cospherical)."""
    R = int(r2 ** 0.5) + 1
    return [p for p in itertools.product(range(-R, R + 1), repeat=D)
            if sum(x * x for x in p) == r2]


def upper_vertices_of(points):
    """Vertices of Q by cdd (to build sets where every point is a vertex)."""
    from tropexact.polyhedra import upper_hull_vertices

    return [points[i] for i in upper_hull_vertices(points, method="cdd")]


# ---------------------------------------------------------------------------
# small hand-checked cases


def test_empty_and_trivial():
    assert lifted_facets([]) is None
    assert lifted_facets([(0, 0)]) is None  # a vertical half-line
    assert lifted_facets([(0, 0), (0, 5)]) is None  # same projection
    assert lifted_facets([(3,)]) == [(3, (-1,))]  # D = 1: x <= 3
    assert lifted_facets([(3,), (-1,), (7,)]) == [(7, (-1,))]


def test_triangle():
    got = sorted(lifted_facets([(0, 0), (1, 1), (2, 0)]))
    # x >= 0, y <= x, x <= 2, y <= 2 - x
    assert got == [(0, (1, -1)), (0, (1, 0)), (2, (-1, -1)), (2, (-1, 0))]


def test_segment_with_interior_points_2d():
    pts = [(i, 7) for i in range(-3, 4)]  # all on y = 7
    assert sorted(lifted_facets(pts)) == [(3, (-1, 0)), (3, (1, 0)), (7, (0, -1))]
    check(pts)


def test_simplex_3d():
    pts = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]
    rows = check(pts)
    assert len(rows) == 4  # three vertical facets and one upper facet


def test_cube_and_duplicates():
    cube = list(itertools.product((0, 1), repeat=3))
    rows = check(cube)
    # 4 vertical facets and the top z <= 1
    assert sorted(rows) == sorted([(0, (1, 0, 0)), (0, (0, 1, 0)), (1, (-1, 0, 0)),
                                   (1, (0, -1, 0)), (1, (0, 0, -1))])
    assert sorted(lifted_facets(cube + cube[:3])) == sorted(rows)


def test_lower_dimensional_projection_is_none():
    # all projections on the line x = y in Q^2 (D = 3)
    pts = [(t, t, h) for t in range(5) for h in (0, 3, -2)]
    assert lifted_facets(pts) is None
    check(pts)
    # D = 4: projections in the plane x1 + x2 + x3 = 1
    rng = random.Random(1)
    pts = sorted({(a, b, 1 - a - b, rng.randint(-5, 5))
                  for a in range(-3, 4) for b in range(-3, 4)})
    assert lifted_facets(pts) is None
    check(pts)
    # D = 5: projections collinear
    pts = [(t, 2 * t, -t, 3 * t, t * t) for t in range(-4, 5)]
    assert lifted_facets(pts) is None


def test_non_vertical_hyperplane_is_full_dimensional():
    # all points on x_D = x_1 + 2 x_2: Q is full-dimensional with one upper facet
    pts = [(a, b, a + 2 * b) for a in range(-2, 3) for b in range(-2, 3)]
    rows = check(pts)
    assert (0, (1, 2, -1)) in rows
    assert len(rows) == 5


def test_order_invariance():
    rng = random.Random(7)
    pts = random_points(rng, 4, 60, -3, 3)
    ref = sorted(check(pts))
    for _ in range(5):
        rng.shuffle(pts)
        assert sorted(lifted_facets(pts)) == ref


def test_large_coordinates():
    rng = random.Random(3)
    for D in (3, 4):
        pts = random_points(rng, D, 40, -10**12, 10**12)
        check(pts)
        check([tuple(x * 10**15 + 1 for x in p) for p in random_points(rng, D, 30, -2, 2)])


# ---------------------------------------------------------------------------
# seeded random and degenerate families against cdd


@pytest.mark.parametrize("D", [2, 3, 4, 5])
def test_random_small_ranges(D):
    rng = random.Random(1000 + D)
    n_cases = {2: 120, 3: 100, 4: 70, 5: 30}[D]
    for _ in range(n_cases):
        R = rng.choice([1, 1, 2, 2, 3, 10] if D < 5 else [1, 1, 2, 2, 3])
        n = rng.randint(1, {2: 30, 3: 40, 4: 40, 5: 30}[D])
        check(random_points(rng, D, n, -R, R))


@pytest.mark.parametrize("D", [2, 3, 4, 5])
def test_same_last_coordinate(D):
    rng = random.Random(2000 + D)
    for _ in range(15):
        c = rng.randint(-3, 3)
        pts = sorted({tuple(rng.randint(-2, 2) for _ in range(D - 1)) + (c,)
                      for _ in range(rng.randint(1, 25))})
        rows = check(pts)
        if rows is not None:
            assert (c, (0,) * (D - 1) + (-1,)) in rows


@pytest.mark.parametrize("D", [2, 3, 4, 5])
def test_few_distinct_heights_and_coplanar(D):
    """Many points on a few common hyperplanes (vertical and not)."""
    rng = random.Random(3000 + D)
    for _ in range(15):
        base = random_points(rng, D - 1, rng.randint(3, 25), -2, 2)
        w = [rng.randint(-2, 2) for _ in range(D - 1)]
        pts = []
        for p in base:
            h = sum(x * y for x, y in zip(w, p)) + rng.choice([0, 0, 0, -1, 1])
            pts.append((*p, h))
        check(pts)


@pytest.mark.parametrize("D,r2", [(2, 25), (2, 65), (3, 9), (3, 14), (3, 27), (4, 4),
                                  (4, 9), (4, 12), (5, 4), (5, 6)])
def test_sphere_lattice(D, r2):
    pts = sphere_points(D, r2)
    assert len(pts) >= D + 1
    check(pts)


@pytest.mark.parametrize("D,R", [(2, 4), (3, 2), (4, 1), (5, 1)])
def test_lifted_grid_paraboloid(D, R):
    """Grid in Q^{D-1} lifted to -|x|^2: every point is a vertex, cospherical cells."""
    pts = [(*x, -sum(t * t for t in x)) for x in grid(D - 1, R)]
    rows = check(pts)
    # the upper facets are the Delaunay cells (unit cubes); plus 2(D-1) vertical facets
    assert len(rows) == (2 * R) ** (D - 1) + 2 * (D - 1)


@pytest.mark.parametrize("D,R", [(3, 2), (4, 1), (5, 1)])
def test_full_grid(D, R):
    check(grid(D, R))


@pytest.mark.parametrize("D", [2, 3, 4, 5])
def test_zonotopes_and_minkowski_sums(D):
    rng = random.Random(4000 + D)
    for _ in range({2: 12, 3: 10, 4: 8, 5: 4}[D]):
        m = rng.randint(1, {2: 7, 3: 6, 4: 6, 5: 5}[D])
        check(zonotope_points(rng, D, m, 2))
    for _ in range({2: 8, 3: 6, 4: 4, 5: 2}[D]):
        sets = [random_points(rng, D, rng.randint(2, 3), -2, 2) for _ in range(3)]
        check(minkowski(*sets))


def _product_vertex_set(seed, size):
    """Grow a tropical-product-like 4-D set (Minkowski sums, pruned) to >= size points."""
    rng = random.Random(seed)
    S = [(0, 0, 0, 0)]
    while len(S) < size:
        P = random_points(rng, 4, rng.choice([2, 3]), -3, 3)
        S = upper_vertices_of(minkowski(S, P))
    return S


def test_all_points_vertices_4d():
    """A tropical-product-like set where every point is a vertex of Q."""
    S = _product_vertex_set(5, 120)
    rows = check(S)
    # every point is tight on >= D rows (it is a vertex)
    for p in S:
        tight = sum(1 for b, a in rows if b + sum(x * y for x, y in zip(a, p)) == 0)
        assert tight >= 4


@pytest.mark.slow
def test_all_points_vertices_4d_large():
    check(_product_vertex_set(36, 250))


# ---------------------------------------------------------------------------
# property-based


def _point_sets(D, R):
    return st.lists(st.tuples(*[st.integers(-R, R)] * D), min_size=1, max_size=30,
                    unique=True)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from([2, 3, 4]).flatmap(
    lambda D: _point_sets(D, 2) | _point_sets(D, 6)))
def test_hypothesis_matches_cdd(pts):
    check(pts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[st.integers(-1, 1)] * 5), min_size=1, max_size=40, unique=True))
def test_hypothesis_5d_tiny_range(pts):
    check(pts)


# ---------------------------------------------------------------------------
# upper_hull: vertices, upper facets and upper edges, Quickhull against cdd

def _upper_hull_both(points):
    from tropexact.polyhedra import upper_hull
    a, b = upper_hull(points, method="cdd"), upper_hull(points, method="auto")
    assert a.vertices == b.vertices
    assert sorted(map(sorted, a.facets)) == sorted(map(sorted, b.facets))
    assert a.edges == b.edges
    return a


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4).flatmap(lambda D: st.lists(
    st.tuples(*[st.fractions(-3, 3, max_denominator=3)] * D), min_size=1, max_size=25,
    unique=True)))
def test_upper_hull_quickhull_equals_cdd(points):
    # degenerate sets included: collinear, coplanar, equal heights, lower-dimensional
    # projections (then "auto" falls back to cdd and "quickhull" refuses)
    _upper_hull_both(points)


def test_upper_hull_quickhull_on_a_paraboloid_grid():
    # every lifted point of a paraboloid is an upper vertex; the upper facets are the
    # (2R)^2 unit squares of the grid, each with 4 vertices (cospherical: no triangulation)
    R = 2
    pts = [(x, y, -(x * x + y * y)) for x in range(-R, R + 1) for y in range(-R, R + 1)]
    H = _upper_hull_both(pts)
    assert len(H.vertices) == len(pts) and len(H.facets) == (2 * R) ** 2
    assert all(len(f) == 4 for f in H.facets)
    # edges of the grid: 2 * (2R+1) * 2R
    assert len(H.edges) == 2 * (2 * R + 1) * 2 * R


def test_upper_hull_quickhull_refuses_a_flat_projection():
    from tropexact.errors import InputError
    from tropexact.polyhedra import upper_hull
    with pytest.raises(InputError, match="quickhull"):
        upper_hull([(0, 0, 0), (1, 1, 0), (2, 2, 1)], method="quickhull")
