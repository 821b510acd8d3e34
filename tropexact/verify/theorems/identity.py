"""ν ≡ F ⊘ G on all of Q^d (Zhang–Naitzat–Lim 2018, Thm 5.4), proven on one network.

Both sides are affine on pieces: ν on its activation regions, F − G on the
cells of F ⊙ G.  :func:`check_tropical_identity` enumerates the
full-dimensional pieces of the common refinement and compares the two affine
maps exactly on each.
"""

from __future__ import annotations

from typing import Any, Sequence

from tropexact.errors import VerificationError
from tropexact.exact.linalg import dot
from tropexact.exact.numbers import Q, fmt, fmt_vector
from tropexact.networks.model import Network
from tropexact.networks.tropicalization import Tropicalization
from tropexact.polyhedra import LPStatus, from_inequalities, lp
from tropexact.regions import RegionComplex, TermRegions, term_regions
from tropexact.tropical.polynomial import TropicalPolynomial

from ..check import Check
from .._inputs import regions_of, tropicalization_of

__all__ = ["check_tropical_identity"]

_ZERO = Q(0)
_ONE = Q(1)


def _interior_point(rows1: Sequence, rows2: Sequence, p1: tuple, p2: tuple) -> tuple | None:
    """A point strictly inside {rows1 ≥ 0} ∩ {rows2 ≥ 0}, or None if the interior is empty.

    *p1* is strictly inside the first polyhedron and *p2* strictly inside the
    second; if one of them is strictly inside the other polyhedron it is the
    answer, otherwise the exact LP max s s.t. b + ⟨a, x⟩ ≥ s on every row,
    s ≤ 1 decides (interior non-empty iff s* > 0; x* is then interior).
    """
    if all(b + dot(a, p1) > 0 for b, a in rows2):
        return p1
    if all(b + dot(a, p2) > 0 for b, a in rows1):
        return p2
    d = len(p1)
    cons = [(Q(b), tuple(a) + (-_ONE,)) for b, a in list(rows1) + list(rows2)]
    cons.append((_ONE, (_ZERO,) * d + (-_ONE,)))
    r = lp((_ZERO,) * d + (_ONE,), cons)
    if r.status != LPStatus.OPTIMAL:  # cannot happen: feasible (s → −∞), bounded (s ≤ 1)
        raise VerificationError(f"interior LP returned {r.status.value}")
    assert r.point is not None
    return tuple(r.point[:d]) if r.value > 0 else None


def _contains(rows: Sequence, P: Any) -> bool:
    """Whether the polyhedron P (with generators) satisfies every row b + ⟨a, x⟩ ≥ 0."""
    return all(all(b + dot(a, v) >= 0 for v in P.vertices)
               and all(dot(a, r) >= 0 for r in P.rays)
               and all(dot(a, l) == 0 for l in P.lines) for b, a in rows)


def _cell_maps(F: TropicalPolynomial, G: TropicalPolynomial, R: TermRegions) -> tuple:
    """The cells of F ⊙ G (their regions *R*), each with the affine map of F − G on it.

    A cell of F ⊙ G belongs to an upper vertex (v, c_v) of P(F) + P(G), which
    is (u, c_u) + (w, c_w) for terms u of F and w of G.  On the closed cell,
    F + G = c_v + ⟨v, x⟩ = t_u(x) + t_w(x) with F ≥ t_u and G ≥ t_w, so both
    are equalities: F − G = t_u − t_w on the whole cell.
    """
    Gd = dict(G.terms)
    out = []
    for cell in R.regions:
        for u, cu in F.terms:
            w = tuple(a - b for a, b in zip(cell.exponent, u))
            cw = Gd.get(w)
            if cw is not None and cu + cw == cell.coefficient:
                grad = tuple(a - b for a, b in zip(u, w))
                out.append((cell, grad, cu - cw))
                break
        else:  # impossible: the vertices of a Minkowski sum are sums of vertices
            raise VerificationError(f"cell {fmt_vector(cell.exponent)} of F*G is not a sum of terms")
    return tuple(out)


def _identity_check(C: RegionComplex, polys: Sequence[tuple],
                    products: Sequence[TermRegions] | None = None) -> tuple[bool, list, list, list]:
    """ν_k = F_k − G_k on every full-dimensional piece, for explicit (F_k, G_k).

    *products*: the regions of each F_k ⊙ G_k if already computed (by the
    correspondence check).  Returns (passed, per-output piece counts, piece
    witnesses, failures).
    """
    d = C.network.input_dim
    gens = [from_inequalities(r.inequalities, ambient_dim=d) for r in C.regions]
    counts, pieces, bad = [], [], []
    for k, (F, G) in enumerate(polys):
        R = products[k] if products is not None else term_regions(F * G)
        cells = _cell_maps(F, G, R)
        by_exponent = {cell.exponent: n for n, (cell, _, _) in enumerate(cells)}
        FG = R.polynomial
        n = 0
        for i, r in enumerate(C.regions):
            w_nu, b_nu = tuple(r.weight[k]), r.bias[k]
            # fast path: the region lies inside the cell holding its interior point (then no
            # other cell meets its interior); checked on the region's generators, exactly
            top = FG.argmax(r.point)
            todo, inside = cells, False
            if len(top) == 1:
                cell = cells[by_exponent[FG.terms[top[0]][0]]]
                if _contains(cell[0].inequalities, gens[i]):
                    todo, inside = (cell,), True
            for cell, grad, const in todo:
                z = (r.point if inside else
                     _interior_point(r.inequalities, cell.inequalities, r.point, cell.point))
                if z is None:
                    continue
                n += 1
                pieces.append(("piece", k, i, cell.exponent, z))
                value = C.network(z)[k]
                if grad != w_nu or const != b_nu or value != F(z) - G(z):
                    bad.append(("mismatch", k, i, cell.exponent, z, (w_nu, b_nu), (grad, const)))
        counts.append((n, len(cells)))
    return not bad, counts, pieces, bad


def check_tropical_identity(net: Network, *, tropical: Tropicalization | None = None,
                            regions: RegionComplex | None = None,
                            products: Sequence[TermRegions] | None = None) -> Check:
    """Prove ν ≡ F ⊘ G on all of Q^d (Zhang–Naitzat–Lim 2018, Thm 5.4), exactly.

    Theorem 5.4 says that a ReLU network is a tropical rational map: every
    output is ν_k = F_k ⊘ G_k = F_k − G_k for tropical polynomials F_k, G_k
    (here computed by :func:`tropexact.networks.tropicalization.tropicalize`).  This is a
    *proof* for the given network, not a sampling:

    * ν_k is affine on every activation region R (docs/design.md §2.1), with the map
      w_R·x + b_R recorded by :func:`tropexact.regions.activation_regions`;
    * F_k − G_k is affine on every cell of F_k ⊙ G_k, with the map
      t_u − t_w where (u, w) is the unique pair of terms whose sum is the
      cell's term (on the closed cell F + G = t_u + t_w with F ≥ t_u and
      G ≥ t_w, so F = t_u and G = t_w there);
    * two affine maps agree on a full-dimensional set iff their gradients and
      their values at one interior point agree.

    So the full-dimensional pieces R ∩ cell are enumerated and, on each, the
    gradients and constants are compared exactly, and ν_k(z) = F_k(z) −
    G_k(z) is evaluated at an interior point z as a cross-check.  Finding
    the pieces: when every vertex, ray and line of R satisfies the
    inequalities of the cell holding R's interior point, R lies inside that
    cell and is a piece by itself (cells have disjoint interiors; this is
    the usual case, F and G being affine on activation regions).  Otherwise
    one exact LP per cell decides whether R ∩ cell has interior (max s with
    every row ≥ s, s ≤ 1; interior iff s* > 0) and gives z, skipped when R's
    or the cell's own interior point lies strictly inside the other.
    The pieces cover Q^d up to a closed null set and both sides are
    continuous, hence equal everywhere.  The proof relies on the activation
    regions covering Q^d with the stated affine maps, which the certificate
    checker (:mod:`tropexact.verify.checker`) verifies independently.

    The argument uses nothing of the activation but those two facts and the
    exact forward pass ν(z), so it proves the identity for maxout networks
    too (a tropical rational map as well: a unit max_i z_i with z_i = H_i − G_i
    is (max_i (H_i + Σ_{j≠i} G_j)) − Σ_j G_j): their activation regions, one
    winning piece per unit, carry affine maps the checker verifies in the same
    way, and the cells of F ⊙ G are those of any pair of tropical polynomials.

    Parameters
    ----------
    net : Network
    tropical : Tropicalization, optional
        ``tropicalize(net)`` if already computed.
    regions : RegionComplex, optional
        ``activation_regions(net)`` (over all of Q^d) if already computed.
    products : sequence of TermRegions, optional
        ``term_regions(F_k * G_k)`` for every output k, if already computed (the
        correspondence check computes them: ``check.data.term_regions``).

    Returns
    -------
    Check
        ``name="tropical_identity"``.  Witnesses on success: one
        ``("piece", output, region index, cell exponent, interior point)``
        per full-dimensional piece; on failure the offending pieces as
        ``("mismatch", output, region, cell exponent, point, (gradient, constant)
        of ν, (gradient, constant) of F − G)``.

    Examples
    --------
    ν = relu(x) + relu(y) on Q²: four quadrant regions, and F ⊙ G =
    max(0, x) ⊙ max(0, y) has the same four cells:

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
    ...                   {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    >>> chk = check_tropical_identity(net)
    >>> chk.passed, len(chk.data)
    (True, 4)
    """
    T = tropicalization_of(net, tropical)
    C = regions_of(net, regions)
    ok, counts, pieces, bad = _identity_check(C, [(o.F, o.G) for o in T.outputs], products)
    d = net.input_dim
    per = "; ".join(f"output {k}: {n} pieces, {m} cells" for k, (n, m) in enumerate(counts))
    if ok:
        total = sum(n for n, _ in counts)
        return Check.verdict(
            "tropical_identity", True,
            f"Thm 5.4: nu = F - G on all of Q^{d}, proven on {total} full-dimensional pieces of "
            f"the common refinement of {len(C.regions)} activation regions and the cells of F*G "
            f"({per})", tuple(pieces))
    _, k, i, e, z, (wn, bn), (wt, bt) = bad[0]
    return Check.verdict(
        "tropical_identity", False,
        f"Thm 5.4 FAILS: output {k}, region {i} and cell {fmt_vector(e)} of F*G overlap around "
        f"{fmt_vector(z)} where nu = {fmt_vector(wn)}.x + {fmt(bn)} but F - G = {fmt_vector(wt)}.x + {fmt(bt)} "
        f"({len(bad)} bad pieces; {per})", tuple(bad))
