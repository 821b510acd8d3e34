"""Dual subdivision δ(f) (upper faces of P(f)) against independent LP characterisations.

Upper edge {i, j}: some x makes terms i and j tie strictly above every other term.
Upper facet (d = 2): at some x the terms attaining max f(x) are exactly the cell's terms.
"""

from __future__ import annotations

import itertools
import random

import pytest

from tropexact.tropical.newton import dual_subdivision, extended_newton_polytope, newton_polytope
from tropexact.exact.numbers import Q
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.polyhedra import LPStatus, lp


def _tie_margin(f: TropicalPolynomial, group: tuple) -> object:
    """max t such that the terms in *group* tie at some x and beat the others by t (t ≤ 1)."""
    d = f.nvars
    terms = f.terms
    i0 = group[0]
    e0, c0 = terms[i0]
    eqs, ineqs = [], []
    for j in group[1:]:
        ej, cj = terms[j]
        eqs.append((c0 - cj, tuple(a - b for a, b in zip(e0, ej)) + (Q(0),)))
    for k, (ek, ck) in enumerate(terms):
        if k in group:
            continue
        ineqs.append((c0 - ck, tuple(a - b for a, b in zip(e0, ek)) + (Q(-1),)))
    ineqs.append((Q(1), (Q(0),) * d + (Q(-1),)))
    r = lp((Q(0),) * d + (Q(1),), ineqs, eqs)
    return r.value if r.status == LPStatus.OPTIMAL else None


def _random_poly(rng: random.Random, d: int, n: int) -> TropicalPolynomial:
    return TropicalPolynomial([(tuple(rng.randint(-2, 2) for _ in range(d)), rng.randint(-2, 2))
                               for _ in range(n)], d).reduced()


@pytest.mark.parametrize("seed", range(12))
def test_upper_edges_are_exactly_the_tying_pairs(seed):
    rng = random.Random(seed)
    d = 1 + seed % 3
    f = _random_poly(rng, d, 9)
    S = dual_subdivision(f)
    assert S.vertices == tuple(range(len(f)))  # f is reduced: every term is an upper vertex
    for i, j in itertools.combinations(range(len(f)), 2):
        m = _tie_margin(f, (i, j))
        assert ((i, j) in S.edges) == (m is not None and m > 0), (i, j, m)


@pytest.mark.parametrize("seed", range(8))
def test_upper_facets_in_the_plane_are_tropical_vertices(seed):
    rng = random.Random(100 + seed)
    f = TropicalPolynomial([((rng.randint(-2, 2), rng.randint(-2, 2)), rng.randint(-1, 1))
                            for _ in range(10)], 2)  # unreduced: non-vertex terms may sit on faces
    S = dual_subdivision(f)
    if newton_polytope(f).dim < 2:
        pytest.skip("degenerate draw: Newton polytope not full-dimensional")
    for cell in S.cells:
        group = tuple(sorted(cell))
        # the cell's terms tie at a point where every other term is strictly smaller
        m = _tie_margin(f, group)
        assert m is not None and m > 0, group
        # and no larger set ties: adding any other term makes the system infeasible or tight
        for k in range(len(f)):
            if k not in cell:
                m2 = _tie_margin(f, group + (k,))
                assert m2 is None or m2 <= 0


def test_extended_newton_polytope_of_a_zonotope_factor():
    # max(0, x) ⊙ max(0, y): P is the unit square at height 0 -> 4 vertices, one flat cell
    f = TropicalPolynomial({(0, 0): 0, (1, 0): 0, (0, 1): 0, (1, 1): 0})
    P = extended_newton_polytope(f)
    assert len(P.vertices) == 4 and P.dim == 2
    S = dual_subdivision(f)
    assert [sorted(c) for c in S.cells] == [[0, 1, 2, 3]]
    assert len(S.edges) == 4
