r"""The tropical hypersurface T(f) as an exact polyhedral complex, with weights and balancing.

For f = max_i (c_i + <α_i, x>) on Q^d, T(f) is the set of points where the maximum
is attained at least twice: the corner locus of f.  It is dual to the regular
subdivision δ(f) of the Newton polytope (:mod:`tropexact.tropical.newton`): every
upper face σ of the extended Newton polytope P(f) = conv{(α_i, c_i)} with
dim σ ≥ 1 gives the cell

    C_σ = {x : t_i(x) = t_j(x) ≥ t_k(x) for the vertices i, j of σ and every term k},

a polyhedron of dimension d − dim σ on whose relative interior the terms
attaining the maximum are exactly the terms on σ (vertices of σ and other terms
on it).  Only the upper vertices of P(f) enter the inequalities: a term below
the upper hull is a convex combination of them minus a height and never exceeds
their maximum.  Terms strictly below every upper face never attain the maximum;
:attr:`Hypersurface.hidden_terms` lists them.

**Lineality.**  Every cell contains L = {v : <α_i − α_j, v> = 0 for all i, j},
the orthogonal complement of the directions of Δ(f); L ≠ 0 exactly when the
Newton polytope is not full-dimensional.  Cells are stored as pointed polyhedra
in L^⊥ (vertices and primitive integer rays), plus :attr:`Hypersurface.lineality`;
``dim`` counts the dimension in Q^d, lineality included.

**Weights.**  A maximal cell (dimension d − 1) is dual to an upper edge [p_i, p_j]
of P(f); its weight is the lattice length of α_j − α_i: the positive number t
with α_j − α_i = t·n, n a primitive integer vector.  For integral exponents this
is the usual weight (a positive integer, the number of lattice steps); for
rational exponents it is the same definition read in Q, which equals 1/D times
the weight of the integral polynomial f(D·y), D the common denominator of the
exponents (T(f) = D·T(f(D·y)) has the same directions).

**Balancing.**  At a cell τ of dimension d − 2 (dual to a polygon σ of δ(f)),
the adjacent maximal cells C_k (dual to the edges of σ) satisfy
Σ_k w_k u_k ∈ span(τ), u_k the primitive lattice vector of C_k modulo span(τ),
pointing from τ into C_k.  It is *checked*, not assumed: Z^d / (Z^d ∩ span τ) is
identified with a lattice Γ ⊂ Z^2 through two integer normals of span(τ), u_k
is the primitive vector of Γ along the image of (a point of C_k − a point of τ),
and the residue Σ w_k u_k (in a basis of Γ) must vanish.

Examples
--------
The tropical line max(0, x0, x1): one vertex, three rays of weight 1 (in max-plus
the rays point to −e0, −e1 and e0 + e1).

>>> from tropexact.tropical.expression import parse_polynomial
>>> H = hypersurface(parse_polynomial("max(0, x0, x1)"))
>>> H.vertices, H.rays
(((mpq(0,1), mpq(0,1)),), ((-1, 0), (0, -1), (1, 1)))
>>> [(c.edge, c.weight) for c in H.maximal_cells], H.balanced
([((0, 1), mpq(1,1)), ((0, 2), mpq(1,1)), ((1, 2), mpq(1,1))], True)

max(0, 2*x0) in one variable: T(f) = {0}, dual to the edge [0, 2] of weight 2.

>>> H = hypersurface(parse_polynomial("max(0, 2*x0)"))
>>> H.vertices, H.maximal_cells[0].weight
(((mpq(0,1),),), mpq(2,1))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tropexact.exact.linalg import dot, nullspace, primitive_integer
from tropexact.exact.numbers import Q, ZERO
from tropexact.polyhedra import faces, from_inequalities, hull

from .polynomial import TropicalPolynomial

__all__ = ["hypersurface", "Hypersurface", "HypersurfaceCell", "Balancing", "Curve"]


@dataclass(frozen=True)
class HypersurfaceCell:
    """One cell C_σ of T(f) and its dual cell σ in δ(f).

    Attributes
    ----------
    dim : int
        The dimension of C_σ in Q^d (lineality included): d − dim σ.
    vertices, rays : tuple of int
        Indices into :attr:`Hypersurface.vertices` and :attr:`Hypersurface.rays`.
    terms : tuple of int
        σ as term indices of f: every term attaining the maximum on the relative
        interior of C_σ (the vertices of σ and the terms lying on σ).
    dual_vertices : tuple of int
        The vertices of σ (upper vertices of P(f)); for a maximal cell, the two
        terms of its dual edge.
    point : tuple of mpq
        A point of the relative interior (vertex barycentre plus the rays' sum).
    weight : mpq or None
        Maximal cells: the lattice length of the dual edge; None otherwise.
    """

    dim: int
    vertices: tuple
    rays: tuple
    terms: tuple
    dual_vertices: tuple
    point: tuple
    weight: Any = None

    @property
    def edge(self) -> tuple:
        """The two terms of the dual edge (maximal cells)."""
        return self.dual_vertices


@dataclass(frozen=True)
class Balancing:
    """The balancing check at one cell τ of dimension d − 2.

    ``neighbours`` are the indices (into :attr:`Hypersurface.cells`) of the
    maximal cells containing τ; ``residue`` is Σ w_k u_k in coordinates of
    Z^d / (Z^d ∩ span τ) ≅ Z^2, zero iff balanced.
    """

    cell: int
    neighbours: tuple
    residue: tuple

    @property
    def balanced(self) -> bool:
        return not any(self.residue)


@dataclass(frozen=True)
class Curve:
    """A tropical plane curve (d = 2) as vertices, bounded edges, rays and lines.

    ``edges`` are (start, end, weight) with vertex indices; ``rays`` are
    (start, direction, weight), the direction a primitive integer vector;
    ``lines`` (only when the Newton polygon is a segment) are (point,
    direction, weight).
    """

    vertices: tuple
    edges: tuple
    rays: tuple
    lines: tuple


@dataclass(frozen=True)
class Hypersurface:
    """T(f) as an exact polyhedral complex; built by :func:`hypersurface`.

    Attributes
    ----------
    polynomial : TropicalPolynomial
        f as given (term indices refer to ``f.terms``).
    vertices : tuple of tuple of mpq
        The vertices of the cells (in L^⊥ when the lineality L ≠ 0), sorted.
    rays : tuple of tuple of int
        The primitive integer rays of the cells (in L^⊥), sorted.
    lineality : tuple of tuple of int
        An integer basis of L (empty when Δ(f) is full-dimensional or T(f) is empty).
    cells : tuple of HypersurfaceCell
        Every cell, by dimension, then by terms.
    hidden_terms : tuple of int
        Terms strictly below the upper hull of P(f): they never attain the maximum.
    balancing : tuple of Balancing
        One check per cell of dimension d − 2.
    """

    polynomial: TropicalPolynomial
    vertices: tuple
    rays: tuple
    lineality: tuple
    cells: tuple
    hidden_terms: tuple
    balancing: tuple

    @property
    def ambient_dim(self) -> int:
        return self.polynomial.nvars

    def is_empty(self) -> bool:
        return not self.cells

    def cells_of_dim(self, k: int) -> tuple:
        return tuple(c for c in self.cells if c.dim == k)

    @property
    def maximal_cells(self) -> tuple:
        """The cells of dimension d − 1, each with its weight and dual edge."""
        return self.cells_of_dim(self.ambient_dim - 1)

    @property
    def balanced(self) -> bool:
        """True when every check of :attr:`balancing` holds (vacuously for d ≤ 1)."""
        return all(b.balanced for b in self.balancing)

    def curve(self) -> Curve:
        """The plane-curve view (d = 2 only).

        Examples
        --------
        >>> from tropexact.tropical.expression import parse_polynomial
        >>> C = hypersurface(parse_polynomial("max(0, x0, x1, -1 + x0 + x1)")).curve()
        >>> len(C.vertices), C.edges, [(r[1], r[2]) for r in C.rays]
        (2, ((0, 1, mpq(1,1)),), [((-1, 0), mpq(1,1)), ((0, -1), mpq(1,1)), ((0, 1), mpq(1,1)), ((1, 0), mpq(1,1))])
        """
        if self.ambient_dim != 2:
            from tropexact.errors import InputError
            raise InputError(f"a curve view needs 2 variables, not {self.ambient_dim}")
        edges, rays, lines = [], [], []
        for c in self.maximal_cells:
            if self.lineality:
                lines.append((self.vertices[c.vertices[0]], self.lineality[0], c.weight))
            elif c.rays:
                rays.append((c.vertices[0], self.rays[c.rays[0]], c.weight))
            else:
                edges.append((c.vertices[0], c.vertices[1], c.weight))
        return Curve(self.vertices, tuple(sorted(edges)), tuple(sorted(rays)), tuple(sorted(lines)))


def hypersurface(f: TropicalPolynomial) -> Hypersurface:
    """T(f), the corner locus of f, with its cells, dual cells, weights and balancing.

    Parameters
    ----------
    f : TropicalPolynomial
        Any polynomial (reduced or not, rational exponents allowed).  With fewer
        than two distinct exponents among its upper vertices (one term, a
        constant, the tropical zero) T(f) is empty.

    Returns
    -------
    Hypersurface

    Examples
    --------
    Terms strictly below the upper hull are reported, terms on an upper face
    belong to the cells where they tie:

    >>> from tropexact.tropical.expression import parse_polynomial
    >>> H = hypersurface(parse_polynomial("max(0, -5 + x0, 2*x0, 4*x0)"))
    >>> [(c.terms, c.dual_vertices, c.weight) for c in H.cells], H.hidden_terms
    ([((0, 2, 3), (0, 3), mpq(4,1))], (1,))
    """
    d = f.nvars
    if len(f) < 2:      # the exponents are distinct: one term, a constant, or −inf
        return Hypersurface(f, (), (), (), (), (), ())
    lifted = f.lifted_points()
    index = {p: i for i, p in enumerate(lifted)}
    Qf = hull(lifted, rays=[(ZERO,) * d + (Q(-1),)])
    upper = [F for F in faces(Qf) if not F.rays]
    top = max(F.dim for F in upper)
    on_face = [_terms_on(Qf, F, lifted) for F in upper]
    vertex_terms = tuple(sorted(index[Qf.vertices[v]] for v in range(len(Qf.vertices))))
    seen_terms = set().union(*(t for F, t in zip(upper, on_face) if F.dim == top))
    hidden = tuple(i for i in range(len(f)) if i not in seen_terms)
    alphas = f.exponents
    lineality = tuple(nullspace([[a - b for a, b in zip(e, alphas[0])] for e in alphas[1:]], d))
    raw = []
    for F, terms in zip(upper, on_face):
        if F.dim == 0:
            continue
        duals = tuple(sorted(index[Qf.vertices[v]] for v in F.vertices))
        P = _dual_polyhedron(f, duals, vertex_terms, lineality)
        raw.append((d - F.dim, terms, duals, P))
    vertices = tuple(sorted({v for *_, P in raw for v in P.vertices}))
    rays = tuple(sorted({primitive_integer(r) for *_, P in raw for r in P.rays}))
    vpos = {v: k for k, v in enumerate(vertices)}
    rpos = {r: k for k, r in enumerate(rays)}
    cells = []
    for dim, terms, duals, P in sorted(raw, key=lambda r: (r[0], r[1])):
        vs = tuple(sorted(vpos[v] for v in P.vertices))
        rs = tuple(sorted(rpos[primitive_integer(r)] for r in P.rays))
        point = _relative_interior(P)
        weight = _lattice_length(alphas[duals[0]], alphas[duals[1]]) if dim == d - 1 else None
        cells.append(HypersurfaceCell(dim, vs, rs, terms, duals, point, weight))
    cells = tuple(cells)
    H = Hypersurface(f, vertices, rays, lineality, cells, hidden, ())
    return Hypersurface(f, vertices, rays, lineality, cells, hidden, _balancing(H))


def _terms_on(Qf: Any, F: Any, lifted: tuple) -> tuple:
    """Indices of the lifted points on the face F of Q (tight on each of its facets)."""
    rows = [Qf.inequalities[k] for k in F.facets]
    return tuple(i for i, p in enumerate(lifted) if all(b + dot(a, p) == 0 for b, a in rows))


def _dual_polyhedron(f: TropicalPolynomial, duals: tuple, vertex_terms: tuple,
                     lineality: tuple) -> Any:
    """C_σ ∩ L^⊥: t_{i0} = t_i on σ's vertices, t_{i0} ≥ t_k for the other upper vertices."""
    terms = f.terms
    e0, c0 = terms[duals[0]]
    d = f.nvars

    def diff(k: int) -> tuple:
        e, c = terms[k]
        return c0 - c, tuple(a - b for a, b in zip(e0, e))

    eqs = [diff(i) for i in duals[1:]] + [(ZERO, tuple(Q(v) for v in l)) for l in lineality]
    ineqs = [diff(k) for k in vertex_terms if k not in duals]
    return from_inequalities(ineqs, eqs, ambient_dim=d)


def _relative_interior(P: Any) -> tuple:
    """The vertices' barycentre plus the sum of the rays: in the relative interior of P."""
    n = len(P.vertices)
    return tuple(sum((v[j] for v in P.vertices), ZERO) / n + sum((r[j] for r in P.rays), ZERO)
                 for j in range(P.ambient_dim))


def _lattice_length(a: tuple, b: tuple) -> Any:
    """The t > 0 with b − a = t·n, n primitive integer (the lattice length of [a, b])."""
    v = [y - x for x, y in zip(a, b)]
    n = primitive_integer(v)
    k = next(j for j, x in enumerate(n) if x)
    return v[k] / n[k]


def _balancing(H: Hypersurface) -> tuple:
    """One :class:`Balancing` per cell of dimension d − 2 (see the module docstring)."""
    d = H.ambient_dim
    maximal = [(k, c) for k, c in enumerate(H.cells) if c.dim == d - 1]
    out = []
    for t, tau in enumerate(H.cells):
        if tau.dim != d - 2:
            continue
        span = [[Q(x) for x in H.rays[r]] for r in tau.rays] + [list(map(Q, l)) for l in H.lineality]
        v0 = H.vertices[tau.vertices[0]]
        span += [[a - b for a, b in zip(H.vertices[v], v0)] for v in tau.vertices[1:]]
        b1, b2 = nullspace(span, d)   # span(τ) has dimension d − 2
        u, g2 = _lattice_basis([(b1[j], b2[j]) for j in range(d)])
        residue = [ZERO, ZERO]
        nbrs = []
        for k, c in maximal:
            if not set(c.dual_vertices) <= set(tau.dual_vertices):
                continue
            nbrs.append(k)
            w = [y - x for x, y in zip(tau.point, c.point)]
            p1 = sum((a * x for a, x in zip(b1, w)), ZERO)
            p2 = sum((a * x for a, x in zip(b2, w)), ZERO)
            alpha = p1 / u[0]                      # coordinates in the basis u, (0, g2) of Γ
            beta = (p2 - alpha * u[1]) / g2
            g = primitive_integer((alpha, beta))
            residue[0] += c.weight * g[0]
            residue[1] += c.weight * g[1]
        out.append(Balancing(t, tuple(nbrs), tuple(residue)))
    return tuple(out)


def _lattice_basis(cols: list) -> tuple:
    """A basis ((g1, h), (0, g2)) of the rank-2 lattice in Z^2 spanned by *cols*
    (Hermite form by extended gcds, one column at a time)."""
    u, g2 = (0, 0), 0
    for a, b in cols:
        g, s, t = _egcd(u[0], a)
        if g == 0:
            g2 = math.gcd(g2, b)
            continue
        new_u = (g, s * u[1] + t * b)
        other = (a // g) * u[1] - (u[0] // g) * b   # first coordinate (a/g)·u0 − (u0/g)·a = 0
        g2 = math.gcd(g2, other)
        u = new_u
    return u, g2


def _egcd(x: int, y: int) -> tuple:
    """(g, s, t) with g = gcd(x, y) = s·x + t·y, g ≥ 0."""
    s0, s1, t0, t1 = 1, 0, 0, 1
    while y:
        q, r = divmod(x, y)
        x, y = y, r
        s0, s1, t0, t1 = s1, s0 - q * s1, t1, t0 - q * t1
    return (x, s0, t0) if x >= 0 else (-x, -s0, -t0)
