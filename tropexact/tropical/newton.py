"""Newton polytopes, extended Newton polytopes and dual subdivisions.

For f = max_i (c_i + <α_i, x>):

* the Newton polytope Δ(f) = conv{α_i} ⊂ Q^d;
* the extended Newton polytope P(f) = conv{(α_i, c_i)} ⊂ Q^{d+1}, coefficient last;
* the dual subdivision δ(f): the projection to Q^d of the upper faces of P(f).
  Its maximal cells are given as sets of term indices (every term lying on the
  upper face, vertex or not); its vertices are the upper vertices of P(f),
  which are the terms of the reduced form and index the linear regions of f.

Examples
--------
>>> from tropexact.tropical.polynomial import TropicalPolynomial
>>> f = TropicalPolynomial([((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 1)])
>>> S = dual_subdivision(f)
>>> S.vertices, sorted(sorted(c) for c in S.cells), len(S.edges)
((0, 1, 2, 3), [[0, 1, 3], [0, 2, 3]], 5)
>>> newton_polytope(f).dim, extended_newton_polytope(f).dim
(2, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

from .polynomial import TropicalPolynomial
from tropexact.polyhedra import Polyhedron, hull, upper_hull

__all__ = ["newton_polytope", "extended_newton_polytope", "dual_subdivision",
           "DualSubdivision", "upper_vertices"]


def newton_polytope(f: TropicalPolynomial) -> Polyhedron:
    """Δ(f) = conv of the exponents of f."""
    return hull(f.exponents)


def extended_newton_polytope(f: TropicalPolynomial) -> Polyhedron:
    """P(f) = conv{(α_i, c_i)}, the coefficient as the last coordinate."""
    return hull(f.lifted_points())


@dataclass(frozen=True)
class DualSubdivision:
    """δ(f): maximal cells (sets of term indices), upper vertices and upper edges."""

    polynomial: TropicalPolynomial
    cells: tuple
    vertices: tuple
    edges: tuple


def dual_subdivision(f: TropicalPolynomial) -> DualSubdivision:
    """The regular subdivision of Δ(f) induced by the coefficients (upper faces of P(f))."""
    H = upper_hull(f.lifted_points())
    return DualSubdivision(f, H.facets, H.vertices, H.edges)


def upper_vertices(f: TropicalPolynomial) -> tuple:
    """Indices of the terms of f that are upper vertices of P(f)."""
    return dual_subdivision(f).vertices
