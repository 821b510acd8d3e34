"""Tropical hypersurfaces T(f) (tropical/hypersurface.py): hand-derived tables, published
answers of Sage, OSCAR and polymake, the cross-check with the term regions of
tropexact.regions (an LP-based second algorithm), balancing (and its failure when a
weight is tampered with), and the ``tropexact hypersurface`` command.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tropexact.cli.main import main
from tropexact.exact.numbers import Q
from tropexact.regions.cells import normal_fan_graph, term_regions
from tropexact.tropical.expression import parse_polynomial
from tropexact.tropical.hypersurface import _balancing, hypersurface
from tropexact.tropical.newton import dual_subdivision
from tropexact.tropical.polynomial import TropicalPolynomial

FEW = settings(max_examples=60, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])


def H_of(text, nvars=None):
    return hypersurface(parse_polynomial(text, nvars))


def q(*xs):
    return tuple(Q(Fraction(x)) for x in xs)


def segments(H):
    """The maximal cells of a plane curve as comparable sets: ('edge', {p, q}, w) or
    ('ray', p, direction, w)."""
    C = H.curve()
    out = set()
    for a, b, w in C.edges:
        out.add(("edge", frozenset((C.vertices[a], C.vertices[b])), w))
    for a, r, w in C.rays:
        out.add(("ray", C.vertices[a], r, w))
    return out


# -- hand-derived tables ----------------------------------------------------------------------

def test_tropical_line():
    # max(0, x0, x1): the three ties 0 = x0 ≥ x1 (ray −e1), 0 = x1 ≥ x0 (ray −e0) and
    # x0 = x1 ≥ 0 (ray e0 + e1) meet at the origin; each dual edge is primitive (weight 1)
    H = H_of("max(0, x0, x1)")
    assert segments(H) == {("ray", q(0, 0), (-1, 0), 1), ("ray", q(0, 0), (0, -1), 1),
                           ("ray", q(0, 0), (1, 1), 1)}
    assert H.balanced and len(H.balancing) == 1 and H.balancing[0].neighbours == (1, 2, 3)


@pytest.mark.parametrize("text, points, weights", [
    ("max(0, 2*x0)", [q(0)], [2]),                       # 0 = 2x: x = 0, edge [0, 2]
    ("max(0, x0 - 1, 2*x0 - 3)", [q(1), q(2)], [1, 1]),  # 0 = x − 1 at 1; x − 1 = 2x − 3 at 2
    ("max(0, -5 + x0, 2*x0, 4*x0)", [q(0)], [4]),        # (1, −5) below; (2, 0) on the edge
    ("max(3/2*x0, 1)", [q(Fraction(2, 3))], [Fraction(3, 2)]),   # rational lattice length
])
def test_one_variable(text, points, weights):
    H = H_of(text)
    assert H.vertices == tuple(points)
    assert [c.weight for c in H.maximal_cells] == [Q(w) for w in weights]
    assert H.balanced and H.balancing == ()


@pytest.mark.parametrize("text, nvars", [("7", 0), ("7", 2), ("3 + x0 - x1", 2), ("-inf", 2)])
def test_empty(text, nvars):
    H = H_of(text, nvars)
    assert H.is_empty() and H.vertices == H.rays == H.lineality == H.cells == ()
    assert H.balanced


def test_hidden_and_tied_terms():
    # terms (0,0), (1,−5), (2,0), (4,0): the upper hull is the segment from (0,0) to (4,0),
    # through (2,0); (1,−5) is strictly below and never attains the maximum
    H = H_of("max(0, -5 + x0, 2*x0, 4*x0)")
    (c,) = H.cells
    assert (c.terms, c.dual_vertices, H.hidden_terms) == ((0, 2, 3), (0, 3), (1,))


def test_lineality_segment_newton_polygon():
    # max(0, x0 + x1, 2x0 + 2x1 − 1): Δ is a segment along (1, 1), L = span(1, −1);
    # the ties u = 0 and u = 1 with u = x0 + x1 are two parallel lines, points (0,0), (1/2,1/2)
    H = H_of("max(0, x0 + x1, 2*x0 + 2*x1 - 1)")
    assert H.lineality == ((-1, 1),)
    assert H.vertices == (q(0, 0), q(Fraction(1, 2), Fraction(1, 2)))
    C = H.curve()
    assert C.lines == ((q(0, 0), (-1, 1), 1), (q(Fraction(1, 2), Fraction(1, 2)), (-1, 1), 1))


def test_rational_exponents_scale():
    # the weights of f with exponent denominators D are 1/D times those of f(D·y), whose
    # hypersurface is T(f)/D: max(0, x0/2, x1) and g = max(0, y0, 2*y1) (D = 2)
    H, G = H_of("max(0, 1/2*x0, x1)"), H_of("max(0, x0, 2*x1)")
    assert sorted(c.weight for c in H.maximal_cells) == \
        sorted(c.weight / 2 for c in G.maximal_cells)
    assert {tuple(2 * x for x in v) for v in G.vertices} == set(H.vertices)
    assert H.balanced and G.balanced


def test_cells_of_every_dimension_3d():
    # max(0, x0, x1, x2): a fan; cells ↔ faces of the simplex of dimension ≥ 1:
    # 6 edges → 6 two-dimensional cones, 4 triangles → 4 rays, the tetrahedron → the apex
    H = H_of("max(0, x0, x1, x2)")
    assert [len(H.cells_of_dim(k)) for k in range(3)] == [1, 4, 6]
    assert H.rays == ((-1, 0, 0), (0, -1, 0), (0, 0, -1), (1, 1, 1))
    assert H.balanced and len(H.balancing) == 4


def test_balancing_failure_is_reported():
    # tampering: double one weight of the tropical line; the vertex is no longer balanced
    H = H_of("max(0, x0, x1)")
    cells = list(H.cells)
    k = H.cells.index(H.maximal_cells[0])
    cells[k] = dataclasses.replace(cells[k], weight=Q(2))
    bad = dataclasses.replace(H, cells=tuple(cells))
    (b,) = _balancing(bad)
    assert not b.balanced and any(b.residue)


# -- published answers -----------------------------------------------------------------------
# Sage: src/sage/rings/semirings/tropical_variety.py (sagemath/sage, TropicalVariety,
# TropicalCurve and TropicalSurface docstrings).  Sage computes the corner locus of the
# polynomial in its own convention, in the same coordinates: with use_min=False it is our
# max-plus polynomial as written; with use_min=True (the default of TropicalSemiring(QQ))
# min_i(c_i + <a_i, x>) has the same corner locus as max_i(−c_i − <a_i, x>), and our
# min(...) reading (from_min_plus, constants negated) gives its reflection −T.

def test_sage_max_plus_curve():
    # p1 = R(1)*x + x*y + R(0), use_min=False: components (t, 1) t ≥ −1, (−1, t) t ≤ 1,
    # (−t, t) t ≥ 1, all of order 1; vertices {(−1, 1)}
    H = H_of("max(1 + x0, x0 + x1, 0)")
    assert H.vertices == (q(-1, 1),)
    assert segments(H) == {("ray", q(-1, 1), (1, 0), 1), ("ray", q(-1, 1), (0, -1), 1),
                           ("ray", q(-1, 1), (-1, 1), 1)}


def test_sage_max_plus_curve_with_order_two():
    # p1 = R(7) + T(4)*x + y + R(4)*x*y + R(3)*y^2 + R(-3)*x^2, use_min=False; components
    # (3, t) t ≤ 0; (−t + 3, t) 0 ≤ t ≤ 2; (t, 2) t ≤ 1 of order 2; (t, 0) 3 ≤ t ≤ 7;
    # (7, t) t ≤ 0; (t − 1, t) t ≥ 2; (t + 7, t) t ≥ 0 — read as segments and rays:
    H = H_of("max(7, 4 + x0, x1, 4 + x0 + x1, 3 + 2*x1, -3 + 2*x0)")
    assert segments(H) == {
        ("ray", q(3, 0), (0, -1), 1), ("edge", frozenset((q(3, 0), q(1, 2))), 1),
        ("ray", q(1, 2), (-1, 0), 2), ("edge", frozenset((q(3, 0), q(7, 0))), 1),
        ("ray", q(7, 0), (0, -1), 1), ("ray", q(1, 2), (1, 1), 1), ("ray", q(7, 0), (1, 1), 1)}


def test_sage_min_plus_curve_both_readings():
    # p1 = R(1)*x + x*y + R(0), use_min=True: components (t, 1) t ≤ −1, (−1, t) t ≥ 1,
    # (−t, t) t ≤ 1: vertex (−1, 1), rays (−1, 0), (0, 1), (1, −1)
    sage = {("ray", q(-1, 1), (-1, 0), 1), ("ray", q(-1, 1), (0, 1), 1),
            ("ray", q(-1, 1), (1, -1), 1)}
    assert segments(H_of("max(-1 - x0, -x0 - x1, 0)")) == sage          # same corner locus
    reflected = {("ray", tuple(-x for x in p), tuple(-x for x in r), w) for _, p, r, w in sage}
    assert segments(H_of("min(1 + x0, x0 + x1, 0)")) == reflected       # −T


def test_sage_min_plus_vertices_and_weight_vectors():
    # p1 = R(-2)*x^2 + R(-1)*x + R(1/2)*y + R(1/6) (min): vertices {(1, −1/2), (7/6, −1/3)};
    # weight vectors at (1, −1/2): [(0, 1), (−1, −2), (1, 1)] (weight times primitive direction)
    H = H_of("max(2 - 2*x0, 1 - x0, -1/2 - x1, -1/6)")
    v = q(1, Fraction(-1, 2))
    assert set(H.vertices) == {v, q(Fraction(7, 6), Fraction(-1, 3))}
    out = []
    for c in H.maximal_cells:
        if v in [H.vertices[k] for k in c.vertices]:
            d = [y - x for x, y in zip(v, c.point)]
            g = max(abs(x) for x in d)
            n = tuple(x / g for x in d)        # d is a positive multiple of the direction
            from tropexact.exact.linalg import primitive_integer
            out.append(tuple(c.weight * x for x in primitive_integer(n)))
    assert sorted(out) == sorted([(0, 1), (-1, -2), (1, 1)])


def test_sage_smooth_conic():
    # p2 = R(2)*x^2 + x*y + R(2)*y^2 + x + R(-1)*y + R(3) (min): vertices (−2, 0), (−1, −3),
    # (−1, 0), (3, 4), nine components, all weight vectors primitive (weights 1)
    H = H_of("max(-2 - 2*x0, -x0 - x1, -2 - 2*x1, -x0, 1 - x1, -3)")
    assert set(H.vertices) == {q(-2, 0), q(-1, -3), q(-1, 0), q(3, 4)}
    assert len(H.maximal_cells) == 9 and all(c.weight == 1 for c in H.maximal_cells)


def test_sage_surfaces():
    # TropicalSurface: x + y + z + R(0), use_min=False: six components of order 1
    H = H_of("max(x0, x1, x2, 0)")
    assert len(H.maximal_cells) == 6 and all(c.weight == 1 for c in H.maximal_cells)
    # number_of_components: a*x*y + x*z + y^2 + a*x + y + z over (a, x, y, z), min: 13
    H = H_of("min(x0 + x1 + x2, x1 + x3, 2*x2, x0 + x1, x2, x3)")
    assert len(H.maximal_cells) == 13 and H.balanced


# OSCAR: docs/src/TropicalGeometry/hypersurface.md and the tropical_hypersurface docstring
# (oscar-system/Oscar.jl).

def test_oscar_min_plus_conic():
    # T = tropical_semiring() (min), g = 1 + 2*x1^2 + 2*x2^2 + 1*x1*x2: vertices
    # [−1/2, 1/2], [1/2, −1/2], rays [−1, −1], [1, 0], [0, 1] (same corner locus as the max of
    # the negated terms)
    H = H_of("max(-1, -2 - 2*x0, -2 - 2*x1, -1 - x0 - x1)")
    assert set(H.vertices) == {q(Fraction(-1, 2), Fraction(1, 2)), q(Fraction(1, 2), Fraction(-1, 2))}
    assert set(H.rays) == {(-1, -1), (1, 0), (0, 1)}


def test_oscar_max_valuation_cubic():
    # nu = tropical_semiring_map(K, t, max): t^k has value −k, so
    # f = t^3 + x + t^2*y + x*(x^2 + y^2) tropicalizes to max(−3, x, −2 + y, 3x, x + 2y).
    # vertices_and_rays: [0,−1], [−2,0], [−3,−1], [0,0], [1,1], [−1,1], [−1,0]; maximal
    # polyhedra [4,5], [1,4], [2,4], [2,6], [2,3], [1,3], [3,7].  (The docstring's comment
    # "1,2,3 are vertices" cannot be right: [0,0] cannot be a ray; the incidences are
    # consistent only with vertices [−2,0], [−3,−1], [0,0] and rays [0,−1], [1,1], [−1,1],
    # [−1,0].)  Read with that: 7 cells, as below.
    H = H_of("max(-3, x0, -2 + x1, 3*x0, x0 + 2*x1)")
    assert {(s[0], s[1]) if s[0] == "edge" else s[:3] for s in segments(H)} == {
        ("ray", q(0, 0), (1, 1)), ("ray", q(0, 0), (0, -1)),
        ("edge", frozenset((q(-2, 0), q(0, 0)))), ("ray", q(-2, 0), (-1, 1)),
        ("edge", frozenset((q(-2, 0), q(-3, -1)))), ("ray", q(-3, -1), (0, -1)),
        ("ray", q(-3, -1), (-1, 0))}


def test_polymake_dual_addition_version():
    # polymake (apps/tropical, dual_addition_version): the min-line min(a, b−1, c−1) has apex
    # (0:1:1); its max version has apex (0:−1:−1) — the "signs of the vertices inverted",
    # which is our min(...) reading.  In R^3 the lineality is (1, 1, 1); our vertex lies in
    # its orthogonal complement.
    H = H_of("min(x0, -1 + x1, -1 + x2)")
    assert H.lineality == ((1, 1, 1),)
    (v,) = H.vertices
    diff = [a - b for a, b in zip(v, q(0, -1, -1))]
    assert diff[0] == diff[1] == diff[2] and sum(v) == 0


# -- the cross-check with the term regions (LPs, tropexact.regions) --------------------------

ints = st.integers(min_value=-3, max_value=3)


@st.composite
def integer_polys(draw):
    d = draw(st.sampled_from([1, 2, 2, 3]))
    n = draw(st.integers(min_value=2, max_value=6 if d < 3 else 5))
    rows = [(tuple(draw(st.integers(0, 3)) for _ in range(d)), draw(ints)) for _ in range(n)]
    f = TropicalPolynomial(rows, d)
    return f if len(f) >= 2 else TropicalPolynomial(rows + [((9,) * d, 0)], d)


def _push(f, R, p, n, i, j):
    """A point p + s·n (s > 0 halved until it works) interior to the region of term j only."""
    s = Q(1)
    for _ in range(64):
        x = tuple(a + s * b for a, b in zip(p, n))
        if f.argmax(x) == (j,):
            return x
        s /= 2
    raise AssertionError("no interior point next to the cell")


@FEW
@given(integer_polys())
def test_cells_against_term_regions(f):
    H = hypersurface(f)
    R = term_regions(f)
    assert H.balanced
    # every cell: the terms attaining the max at its relative-interior point are its terms
    for c in H.cells:
        assert f.argmax(c.point) == c.terms
    # dual edges of maximal cells = the adjacency graph of the regions = normal_fan_graph
    dual = {frozenset((f.terms[c.edge[0]][0], f.terms[c.edge[1]][0])) for c in H.maximal_cells}
    assert dual == {frozenset(e) for e in R.graph.edges} == \
        {frozenset(e) for e in normal_fan_graph(f).edges}
    assert set(H.hidden_terms) == set(R.empty_interior) - {
        t for c in H.cells for t in c.terms}
    for c in H.maximal_cells:
        i, j = c.edge
        n = [b - a for a, b in zip(f.terms[i][0], f.terms[j][0])]
        inside = [r.index for r in R.regions if r.contains(c.point)]
        assert inside == [i, j]
        assert R.region_of(f.terms[j][0]).contains(_push(f, R, c.point, n, i, j))
        assert R.region_of(f.terms[i][0]).contains(_push(f, R, c.point, [-x for x in n], j, i))
    # maximal upper faces of P(f) ↔ the minimal cells
    if f.nvars == 2 and not H.lineality:
        assert len(H.vertices) == len(dual_subdivision(f).cells)


# -- the command line ------------------------------------------------------------------------

def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text_and_json(capsys):
    code, out, err = run(capsys, "hypersurface", "max(0, x0, x1)")
    assert code == 0 and "v0 = (0, 0)" in out and "balanced: yes" in out
    code, out, _ = run(capsys, "hypersurface", "max(7, 4 + x0, x1, 4 + x0 + x1, 3 + 2*x1, "
                       "-3 + 2*x0)", "--json")
    data = json.loads(out)
    assert code == 0 and data["balanced"] is True
    assert sorted(data["vertices"]) == [["1", "2"], ["3", "0"], ["7", "0"]]
    assert sorted(c["weight"] for c in data["maximal_cells"]) == ["1"] * 6 + ["2"]
    two = next(c for c in data["maximal_cells"] if c["weight"] == "2")
    assert two["edge_terms"] == [["0", "0", "7"], ["0", "2", "3"]]
    assert data["cells_by_dimension"] == {"0": 3, "1": 7} and data["lineality"] == []


def test_cli_files(tmp_path, capsys):
    text = tmp_path / "f.txt"
    text.write_text("max(0, x0,\n    x1)\n")
    rows = tmp_path / "rows.json"
    rows.write_text('[[0, 0, 0], [1, 0, "0"], [0, 1, 0]]')
    mp = tmp_path / "mp.json"
    mp.write_text('{"polynomial": [[1, 0, 1], [1, 1, 0], [0, 0, 0]]}')
    for spec, extra in ((text, ()), (rows, ())):
        code, out, _ = run(capsys, "hypersurface", spec, "--json", *extra)
        assert code == 0 and json.loads(out)["vertices"] == [["0", "0"]]
    # min-plus rows of Sage's p1 = R(1)*x + x*y + R(0): vertex −(−1, 1) = (1, −1)
    code, out, _ = run(capsys, "hypersurface", mp, "--json", "--min-plus")
    assert code == 0 and json.loads(out)["vertices"] == [["1", "-1"]]


def test_cli_tropicalize_output(tmp_path, capsys):
    import os
    net = os.path.join(os.path.dirname(__file__), "..", "data", "networks",
                       "zhang2018_example_c2.json")
    code, out, _ = run(capsys, "tropicalize", net, "--json")
    trop = tmp_path / "c2.json"
    trop.write_text(out)
    F = [json.loads(out)["outputs"][0][w]["polynomial"] for w in ("F", "G")]
    for which, rows in zip(("F", "G"), F):
        code, out, err = run(capsys, "hypersurface", trop, "--which", which, "--json")
        assert code == 0, err
        assert json.loads(out)["terms"] == len(rows)


@pytest.mark.parametrize("argv, needle", [
    (["max(0, x0"], "expression: column 10: expected ',' or ')'"),
    (["nofile.json"], "cannot read nofile.json: no such file"),
    (["max(0, x0)", "--min-plus"], "--min-plus: applies to JSON rows"),
    (["max(0, x0)", "--which", "Q"], "--which: expected F, G or H"),
])
def test_cli_errors(capsys, argv, needle):
    code, out, err = run(capsys, "hypersurface", *argv)
    assert code == 2 and err.count("\n") == 1 and needle in err, err


@pytest.mark.parametrize("content, needle", [
    ("[]", "expected a non-empty list of rows"),
    ("[[0, 0], [1]]", "rows.json[1]: 1 entries, the first row has 2"),
    ('[[0, "x"]]', "rows.json[0]: expected a number"),
    ('{"outputs": []}', "--output: no output 0"),
    ('{"a": 1}', "expected rows"),
    ("[[0, 1.5e99999999]]", "over the limit"),
])
def test_cli_bad_json(tmp_path, capsys, content, needle):
    p = tmp_path / "rows.json"
    p.write_text(content)
    code, out, err = run(capsys, "hypersurface", p)
    assert code == 2 and err.count("\n") == 1 and needle in err, err
