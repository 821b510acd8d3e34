"""Theorem checks: the claims of Zhang–Naitzat–Lim (2018) verified exactly on a given network.

Zhang, Naitzat and Lim, "Tropical Geometry of Deep Neural Networks" (ICML
2018) prove that a ReLU network ν is a tropical rational map F ⊘ G and read
geometry off F and G.  Each function below takes a network, verifies one of
those claims *on that network* with exact rational arithmetic (gmpy2 ``mpq``,
cddlib in GMP mode; no floats, no tolerances) and returns a
:class:`TheoremCheck` holding the verdict and the witnesses that prove or
refute it:

* :func:`check_tropical_identity` -- ν ≡ F ⊘ G on all of Q^d (Thm 5.4),
  proven piece by piece on a common refinement;
* :func:`check_zonotopes` -- one hidden layer: P(F) and P(G) are the
  zonotopes Σ c_i S_i of the neurons' segments (§6.2);
* :func:`check_correspondence` -- tropical cells ↔ upper vertices of P(f),
  with the adjacency graph = the upper edges (§3, §6.3);
* :func:`check_decision_boundary` -- {ν = c} ⊆ T(max(F, G + c)) in
  d ≤ 2 (Prop 6.1);
* :func:`check_bounds` -- region counts ≤ every applicable upper bound
  (Thm 6.3 and the other bounds of DESIGN §4);
* :func:`check_all` -- all of them, sharing the expensive parts.

A check that does not apply to the network (e.g. zonotopes for a deep
network) returns ``passed=True`` with a detail starting ``"not applicable:"``.
Every check is split into a public function taking the network and a private
function taking the mathematical objects explicitly (polynomials, segments,
boundary pieces, bounds); the tests feed the private functions deliberately
wrong objects and watch the checks fail.

Notation (DESIGN §1, §3): max-plus; a term c ⊙ x^α is the affine function
c + ⟨α, x⟩; the extended Newton polytope P(f) = conv{(α_i, c_i)} has the
coefficient last, and its *upper* vertices are the terms of the reduced f.
Layer l computes σ(A x + b); with A = A₊ − A₋ the tropicalization is
H = A₊F + A₋G + b, G' = A₊G + A₋F, F' = max(H, G' + t).

Examples
--------
ν = relu(x) − relu(x − 1) on Q (a clipped ramp):

>>> from tropexact.networks.model import network
>>> net = network(1, [{"weight": [[1], [1]], "bias": [0, -1], "activation": "relu"},
...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
>>> [(c.name, c.passed) for c in check_all(net, bounds={"zaslavsky": 3})]  # doctest: +NORMALIZE_WHITESPACE
[('tropical_identity', True), ('zonotopes', True), ('correspondence', True),
 ('decision_boundary', True), ('bounds', True)]
>>> check_tropical_identity(net).detail
'Thm 5.4: nu = F - G on all of Q^1, proven on 3 full-dimensional pieces of the common refinement of 3 activation regions and the cells of F*G (output 0: 3 pieces, 3 cells)'
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from tropexact.errors import InputError, VerificationError
from tropexact.networks.activation import Activation
from tropexact.networks.model import Network
from tropexact.exact.linalg import dot
from tropexact.exact.numbers import Q, fmt
from tropexact.tropical.polynomial import TropicalPolynomial

__all__ = [
    "TheoremCheck",
    "BoundaryPiece",
    "check_tropical_identity",
    "check_zonotopes",
    "check_correspondence",
    "check_decision_boundary",
    "check_bounds",
    "check_all",
]

_ZERO = Q(0)
_ONE = Q(1)


@dataclass(frozen=True)
class TheoremCheck:
    """The verdict of one theorem check.

    Attributes
    ----------
    name : str
        A stable identifier: ``"tropical_identity"``, ``"zonotopes"``,
        ``"correspondence"``, ``"decision_boundary"`` or ``"bounds"``.
    passed : bool
        True when the claim was verified exactly (or does not apply).
    detail : str
        One line for humans, naming the theorem and what was established,
        or the first failure.  Starts with ``"not applicable:"`` when the
        claim's hypotheses fail for this network.
    witnesses : tuple
        Tuples whose first entry is a label, holding the exact rational
        objects (points, exponents, terms, edges, counts) that prove the
        claim or refute it.  Each check's docstring lists its labels.
    """

    name: str
    passed: bool
    detail: str
    witnesses: tuple = ()


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def _vs(v: Iterable[Any]) -> str:
    return "(" + ", ".join(fmt(x) for x in v) + ")"


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _tropical(net: Network, tropical: Any) -> Any:
    if tropical is not None:
        return tropical
    from tropexact.networks.tropicalization import tropicalize

    return tropicalize(net, count_before=False)


def _regions(net: Network, regions: Any) -> Any:
    if regions is not None:
        if regions.domain is not None:
            raise InputError("theorem checks need the activation regions over all of Q^d "
                             "(no domain)")
        return regions
    from tropexact.regions import activation_regions

    return activation_regions(net)


def _not_applicable(name: str, why: str) -> TheoremCheck:
    return TheoremCheck(name, True, f"not applicable: {why}", ())


# ---------------------------------------------------------------------------
# 1. nu = F (/) G  (Thm 5.4)
# ---------------------------------------------------------------------------

def _interior_point(rows1: Sequence, rows2: Sequence, p1: tuple, p2: tuple) -> tuple | None:
    """A point strictly inside {rows1 ≥ 0} ∩ {rows2 ≥ 0}, or None if the interior is empty.

    *p1* is strictly inside the first polyhedron and *p2* strictly inside the
    second; if one of them is strictly inside the other polyhedron it is the
    answer, otherwise the exact LP max s s.t. b + ⟨a, x⟩ ≥ s on every row,
    s ≤ 1 decides (interior non-empty iff s* > 0; x* is then interior).
    """
    from tropexact.polyhedra import LPStatus, lp

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


def _cell_maps(F: TropicalPolynomial, G: TropicalPolynomial) -> tuple:
    """The cells of F ⊙ G, each with the affine map of F − G on it.

    A cell of F ⊙ G belongs to an upper vertex (v, c_v) of P(F) + P(G), which
    is (u, c_u) + (w, c_w) for terms u of F and w of G.  On the closed cell,
    F + G = c_v + ⟨v, x⟩ = t_u(x) + t_w(x) with F ≥ t_u and G ≥ t_w, so both
    are equalities: F − G = t_u − t_w on the whole cell.
    """
    from tropexact.regions.cells import term_regions

    Gd = dict(G.terms)
    out = []
    for cell in term_regions(F * G).regions:
        for u, cu in F.terms:
            w = tuple(a - b for a, b in zip(cell.exponent, u))
            cw = Gd.get(w)
            if cw is not None and cu + cw == cell.coefficient:
                grad = tuple(a - b for a, b in zip(u, w))
                out.append((cell, grad, cu - cw))
                break
        else:  # impossible: the vertices of a Minkowski sum are sums of vertices
            raise VerificationError(f"cell {_vs(cell.exponent)} of F*G is not a sum of terms")
    return tuple(out)


def _identity_check(C: Any, polys: Sequence[tuple]) -> tuple[bool, list, list, list]:
    """ν_k = F_k − G_k on every full-dimensional piece, for explicit (F_k, G_k).

    Returns (passed, per-output piece counts, piece witnesses, failures).
    """
    from tropexact.polyhedra import from_inequalities

    d = C.network.input_dim
    gens = [from_inequalities(r.inequalities, ambient_dim=d) for r in C.regions]
    counts, pieces, bad = [], [], []
    for k, (F, G) in enumerate(polys):
        cells = _cell_maps(F, G)
        by_exponent = {cell.exponent: n for n, (cell, _, _) in enumerate(cells)}
        FG = F * G
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


def check_tropical_identity(net: Network, *, tropical: Any = None,
                            regions: Any = None) -> TheoremCheck:
    """Prove ν ≡ F ⊘ G on all of Q^d (Zhang–Naitzat–Lim 2018, Thm 5.4), exactly.

    Theorem 5.4 says that a ReLU network is a tropical rational map: every
    output is ν_k = F_k ⊘ G_k = F_k − G_k for tropical polynomials F_k, G_k
    (here computed by :func:`tropexact.networks.tropicalization.tropicalize`).  This is a
    *proof* for the given network, not a sampling:

    * ν_k is affine on every activation region R (DESIGN §2.1), with the map
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

    Parameters
    ----------
    net : Network
    tropical : Tropicalization, optional
        ``tropicalize(net)`` if already computed.
    regions : RegionComplex, optional
        ``activation_regions(net)`` (over all of Q^d) if already computed.

    Returns
    -------
    TheoremCheck
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
    >>> chk.passed, len(chk.witnesses)
    (True, 4)
    """
    T = _tropical(net, tropical)
    C = _regions(net, regions)
    ok, counts, pieces, bad = _identity_check(C, [(o.F, o.G) for o in T.outputs])
    d = net.input_dim
    per = "; ".join(f"output {k}: {n} pieces, {m} cells" for k, (n, m) in enumerate(counts))
    if ok:
        total = sum(n for n, _ in counts)
        return TheoremCheck(
            "tropical_identity", True,
            f"Thm 5.4: nu = F - G on all of Q^{d}, proven on {total} full-dimensional pieces of "
            f"the common refinement of {len(C.regions)} activation regions and the cells of F*G "
            f"({per})", tuple(pieces))
    _, k, i, e, z, (wn, bn), (wt, bt) = bad[0]
    return TheoremCheck(
        "tropical_identity", False,
        f"Thm 5.4 FAILS: output {k}, region {i} and cell {_vs(e)} of F*G overlap around "
        f"{_vs(z)} where nu = {_vs(wn)}.x + {fmt(bn)} but F - G = {_vs(wt)}.x + {fmt(bt)} "
        f"({len(bad)} bad pieces; {per})", tuple(bad))


# ---------------------------------------------------------------------------
# 2. zonotopes (one hidden layer)
# ---------------------------------------------------------------------------

def _neuron_polytopes(layer: Any) -> list[tuple[tuple, tuple, tuple]]:
    """Per neuron of a hidden layer fed by x: (p_i, q_i, g_i) with P(F_i) = [p_i, q_i], P(G_i) = {g_i}.

    With the row a = a₊ − a₋ and bias b, from F⁽⁰⁾ = x, G⁽⁰⁾ = 0 (DESIGN §3):
    relu with threshold t: F_i = max(b + ⟨a₊, x⟩, t + ⟨a₋, x⟩), G_i = ⟨a₋, x⟩;
    leaky relu with slope s: F_i = max(b + ⟨a₊ + s a₋, x⟩, s b + ⟨s a₊ + a₋, x⟩),
    G_i = ⟨(1 + s) a₋, x⟩.
    """
    out = []
    for row, b in zip(layer.weight, layer.bias):
        ap = tuple(a if a > 0 else _ZERO for a in row)
        am = tuple(-a if a < 0 else _ZERO for a in row)
        if layer.activation is Activation.RELU:
            out.append((ap + (b,), am + (layer.threshold,), am + (_ZERO,)))
        else:
            s = layer.negative_slope
            out.append((tuple(x + s * y for x, y in zip(ap, am)) + (b,),
                        tuple(s * x + y for x, y in zip(ap, am)) + (s * b,),
                        tuple((1 + s) * y for y in am) + (_ZERO,)))
    return out


def _output_zonotopes(neurons: list, row: Sequence, bias: Any) -> tuple:
    """(shift, segments) of P(H) and of P(G') for one output row w (DESIGN §3).

    H = β ⊙ Π_i F_i^{w_i⁺} ⊙ G_i^{w_i⁻} and G' = Π_i G_i^{w_i⁺} ⊙ F_i^{w_i⁻}, so
    P(H) = (0, β) + Σ_{w_i<0} |w_i| g_i + Σ_{w_i>0} w_i [p_i, q_i] and
    P(G') = Σ_{w_i>0} w_i g_i + Σ_{w_i<0} |w_i| [p_i, q_i].
    """
    D = len(neurons[0][0])
    h_shift = [_ZERO] * (D - 1) + [Q(bias)]
    g_shift = [_ZERO] * D
    h_segs, g_segs = [], []
    for i, (w, (p, q, g)) in enumerate(zip(row, neurons)):
        if w > 0:
            h_segs.append((i, w, tuple(w * x for x in p), tuple(w * x for x in q)))
            g_shift = [x + w * y for x, y in zip(g_shift, g)]
        elif w < 0:
            h_shift = [x - w * y for x, y in zip(h_shift, g)]
            g_segs.append((i, -w, tuple(-w * x for x in p), tuple(-w * x for x in q)))
    return (tuple(h_shift), tuple(h_segs)), (tuple(g_shift), tuple(g_segs))


def _minkowski(shift: tuple, segments: Sequence, keep: Any) -> list:
    """Vertices (chosen by *keep*) of shift + Σ [p, q], pruning after each summand.

    Sound because a vertex of A + B maximising some functional uniquely is
    the sum of the unique maximisers over A and B, so the vertices of the
    partial sum (upper ones, or all) suffice at every step.
    """
    pts = {tuple(shift)}
    for seg in segments:
        p, q = seg[-2], seg[-1]
        cand = sorted({tuple(a + b for a, b in zip(x, e)) for x in pts for e in (p, q)})
        pts = set(keep(cand))
    return sorted(pts)


def _upper(points: list) -> list:
    from tropexact.polyhedra import upper_hull_vertices

    return [points[i] for i in upper_hull_vertices(points, method="cdd")]


def _all_vertices(points: list) -> list:
    from tropexact.polyhedra import hull

    return list(hull(points).vertices)


def _independent(vectors: Sequence[tuple]) -> bool:
    from tropexact.exact.linalg import affine_rank

    if not vectors:
        return True
    origin = tuple(_ZERO for _ in vectors[0])
    return affine_rank([origin], list(vectors)) == len(vectors)


def _general_position(gens: Sequence[tuple], d: int) -> tuple[bool, bool]:
    """(upper, full): genericity of the generators g_i ∈ Q^{d+1} for the two vertex formulas.

    Upper vertices of Σ [p_i, q_i] ↔ regions of the affine arrangement
    {x : ⟨g_i, (x, 1)⟩ = 0} in Q^d (the endpoint of segment i maximising
    ⟨(x, 1), ·⟩ switches there).  It is in general position, hence has
    Σ_{j=0}^{d} C(m, j) regions, iff every d (or all, if m < d) of the g_i
    together with e_last are linearly independent (j hyperplanes meet in a
    (d−j)-flat) and every d + 1 of them are (d + 1 have no common point).
    All vertices: every min(m, d+1) generators linearly independent.
    """
    m = len(gens)
    e = tuple(_ZERO for _ in range(d)) + (_ONE,)
    upper = all(_independent(list(J) + [e])
                for J in itertools.combinations(gens, min(m, d)))
    if upper and m >= d + 1:
        upper = all(_independent(J) for J in itertools.combinations(gens, d + 1))
    full = all(_independent(J) for J in itertools.combinations(gens, min(m, d + 1)))
    return upper, full


def _zonotope_check(label: str, poly: TropicalPolynomial, shift: tuple,
                    segments: Sequence) -> tuple[bool, str, list]:
    """Compare the upper hull of P(poly) with that of shift + Σ [p_i, q_i], exactly.

    *segments* holds tuples ending with the two endpoints p_i, q_i (lifted
    points in Q^{d+1}, coefficient last).  Returns (passed, detail, witnesses).
    """
    from tropexact.polyhedra import hull

    d = poly.nvars
    lifted = sorted(poly.lifted_points())
    mine = sorted(_upper(lifted))
    Zu = _minkowski(shift, segments, _upper)
    wit: list = [("segment", label) + tuple(s) for s in segments]
    if mine != Zu:
        diff = sorted(set(mine) ^ set(Zu))
        where = "an upper vertex of P(%s) but not of the zonotope" % label \
            if diff[0] in mine else "an upper vertex of the zonotope but not of P(%s)" % label
        wit.append(("vertex", label, diff[0]))
        return False, (f"P({label}) != zonotope: {_vs(diff[0])} is {where} "
                       f"({len(mine)} vs {len(Zu)} upper vertices)"), wit
    # exact polyhedron equality through cdd's H-representations:
    # conv(V) + cone(-e_last) for both vertex lists, each generator inside the other
    down = [tuple(_ZERO for _ in range(d)) + (-_ONE,)]
    P1, P2 = hull(lifted, down), hull(Zu, down)
    if not (all(P2.contains(v) for v in P1.vertices) and all(P1.contains(v) for v in P2.vertices)):
        raise VerificationError(f"equal upper vertex sets but different upper hulls for {label}")
    parts = [f"P({label}) = zonotope of {_n(len(segments), 'segment')}: "
             f"{_n(len(Zu), 'upper vertex', 'upper vertices')}"]
    gens = [tuple(b - a for a, b in zip(s[-2], s[-1])) for s in segments]
    gens = [g for g in gens if any(g)]
    gp_upper, gp_full = _general_position(gens, d)
    m = len(gens)
    ok = True
    if gp_upper:
        want = sum(math.comb(m, j) for j in range(d + 1))
        ok &= want == len(mine)
        parts.append(f"general position: {len(mine)} = sum_j<={d} C({m}, j) = {want}"
                     if m else "a point")
        wit.append(("upper_vertex_count", label, len(mine), want))
    else:
        parts.append("segments not in general position (upper-vertex formula not asserted)")
    if gp_full:
        full = _minkowski(shift, segments, _all_vertices)
        want = 2 * sum(math.comb(m - 1, j) for j in range(d + 1)) if m else 1
        ok &= want == len(full)
        if m:
            parts.append(f"{len(full)} vertices in all = 2 sum_j<={d} C({m - 1}, j) = {want}")
        wit.append(("vertex_count", label, len(full), want))
    if not ok:
        return False, f"P({label}): vertex count differs from the general-position formula: " \
            + "; ".join(parts), wit
    return True, "; ".join(parts), wit


def check_zonotopes(net: Network, *, tropical: Any = None) -> TheoremCheck:
    """One hidden layer: P(F) and P(G) are zonotopes Σ c_i S_i (Zhang–Naitzat–Lim 2018, §6.2).

    For ν = W σ(A x + b) + β with σ a relu (threshold t) or leaky relu, the
    tropicalization of neuron i (DESIGN §3) has a segment as extended Newton
    polytope, P(F_i) = S_i = [p_i, q_i] with p_i = (a_i⁺, b_i),
    q_i = (a_i⁻, t) for relu, and a point P(G_i) = {g_i} = {(a_i⁻, 0)}.
    Splitting the output weights w = w⁺ − w⁻ (P(f ⊙ g) = P(f) + P(g) and
    P(f^{⊙c}) = c P(f)),

        P(H) = (0, β) + Σ_{w_i>0} w_i S_i + Σ_{w_i<0} |w_i| g_i,
        P(G) = Σ_{w_i<0} |w_i| S_i + Σ_{w_i>0} w_i g_i,

    zonotopes (translated).  H is the output's F for a linear output; for a
    relu or leaky output the claim is about its pre-activation, so H and G'
    (the G of a relu output; G^{1/(1+a)} for a leaky one) are checked.

    The reduced polynomial keeps only the *upper* vertices of its polytope,
    so the comparison is between upper hulls conv(V) + cone(−e_last): the
    upper vertices of the reduced H (or G) against the upper vertices of the
    Minkowski sum of the segments built from the weights (pruned summand by
    summand), as exact vertex sets and as cdd polyhedra.  When the segments'
    directions g_i = q_i − p_i are in general position (see
    ``_general_position``) the counts are checked against DESIGN §3:
    Σ_{j=0}^{d} C(m, j) upper vertices for m segments in Q^{d+1}, and
    2 Σ_{j=0}^{d} C(m − 1, j) vertices of the whole zonotope.

    Returns
    -------
    TheoremCheck
        ``name="zonotopes"``; ``passed=True`` with "not applicable" unless the
        network has exactly one hidden (relu or leaky relu) layer.  Witnesses:
        ``("segment", label, neuron, weight, p, q)`` for every segment,
        ``("upper_vertex_count", label, found, formula)``,
        ``("vertex_count", label, found, formula)``, and on failure
        ``("vertex", label, point)`` for a vertex in one hull but not the other.

    Examples
    --------
    Two neurons relu(x), relu(y) with output weights 1 and −1: P(H) is the
    segment [(0, 0, 0), (1, 0, 0)] translated by g_2 = (0, 0, 0), and P(G)
    the segment [(0, 0, 0), (0, 1, 0)]:

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
    ...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    >>> chk = check_zonotopes(net)
    >>> chk.passed, chk.detail.split(";")[0]
    (True, 'output 0: P(H_0) = zonotope of 1 segment: 2 upper vertices')
    """
    L = net.layers
    if len(L) != 2 or L[0].activation.is_linear:
        return _not_applicable("zonotopes", "the zonotope claim is for exactly one hidden relu "
                               f"or leaky relu layer (this network has {len(L) - 1} hidden "
                               "layers)")
    T = _tropical(net, tropical)
    neurons = _neuron_polytopes(L[0])
    out = L[1]
    parts, wit, ok = [], [], True
    for k, (row, beta) in enumerate(zip(out.weight, out.bias)):
        (hs, hseg), (gs, gseg) = _output_zonotopes(neurons, row, beta)
        o = T.outputs[k]
        G = o.G
        if out.activation is Activation.LEAKY_RELU:
            G = G.power(1 / (1 + out.negative_slope))
        for label, poly, shift, segs in ((f"H_{k}", o.H, hs, hseg), (f"G_{k}", G, gs, gseg)):
            good, detail, w = _zonotope_check(label, poly, shift, segs)
            ok &= good
            parts.append(f"output {k}: {detail}")
            wit += w
    head = "" if ok else "FAILS: "
    return TheoremCheck("zonotopes", ok, head + "; ".join(parts), tuple(wit))


# ---------------------------------------------------------------------------
# 3. cells <-> upper vertices
# ---------------------------------------------------------------------------

def _correspondence_pair(f: TropicalPolynomial, fan: TropicalPolynomial) -> tuple[bool, str, tuple]:
    """Regions of *f* in Q^d against the upper hull of the lifted points of *fan*.

    In :func:`check_correspondence` both are the same polynomial; a different
    *fan* (e.g. one coefficient changed) is how the tests tamper with it.
    """
    from tropexact.regions.cells import _compare_graphs, normal_fan_graph, term_regions

    rg = term_regions(f).graph
    fg = normal_fan_graph(fan)
    ok, detail = _compare_graphs(rg, fg)
    return ok, detail, (rg.number_of_nodes(), fg.number_of_nodes(), rg.number_of_edges())


def check_correspondence(net: Network, *, tropical: Any = None) -> TheoremCheck:
    """Tropical cells ↔ upper vertices of P(f), with the graphs (Zhang–Naitzat–Lim 2018, §3, §6.3).

    For a tropical polynomial f = max_i t_i, the cell of term i is where t_i
    attains f; it is full-dimensional iff (α_i, c_i) is an upper vertex of
    the extended Newton polytope P(f), and two cells share a facet iff the
    two lifted points span an upper edge (the cells are the normal cones of
    P(f) cut at last coordinate 1; the dual subdivision δ(f) is the
    projection of the upper faces).  The paper counts linear regions of a
    tropical polynomial this way (§6.3); for a tropical rational function
    F ⊘ G the cells are those of F ⊙ G, one per upper vertex of P(F) + P(G).

    For every output, :func:`tropexact.regions.cells.verify_tropical` computes both
    sides independently, for F, G and F ⊙ G: the full-dimensional cells and
    their adjacency by exact LPs and redundancy removal in Q^d, the upper
    vertices and edges by cdd's convex hull in Q^{d+1}; they must agree
    vertex for vertex and edge for edge.

    Returns
    -------
    TheoremCheck
        ``name="correspondence"``; witnesses ``("graph", output, "F" | "G" |
        "F*G", regions, upper vertices, edges, passed)``.

    Examples
    --------
    >>> from tropexact.networks.model import network
    >>> net = network(1, [{"weight": [[1], [2]], "bias": [0, -2], "activation": "relu"},
    ...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    >>> check_correspondence(net).detail
    'output 0: F 2 regions = 2 upper vertices; 1 edges match, G 2 regions = 2 upper vertices; 1 edges match, F*G 3 regions = 3 upper vertices; 2 edges match'
    """
    from tropexact.regions.cells import verify_tropical

    T = _tropical(net, tropical)
    parts, wit, ok = [], [], True
    for k, o in enumerate(T.outputs):
        corr = verify_tropical(o.F, o.G)
        for c in corr:
            ok &= c.passed
            wit.append(("graph", k, c.name, c.regions, c.upper_vertices,
                        c.region_graph.number_of_edges(), c.passed))
        parts.append(f"output {k}: " + ", ".join(f"{c.name} {c.detail}" for c in corr))
    return TheoremCheck("correspondence", ok, ("" if ok else "FAILS: ") + "; ".join(parts),
                        tuple(wit))


# ---------------------------------------------------------------------------
# 4. decision boundary (Prop 6.1)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BoundaryPiece:
    """One piece {base + λ·direction : lo ≤ λ ≤ hi} of a level set (``None`` = ±∞).

    In Q² a piece is a point (lo == hi), a segment, a ray or a line; in Q it
    is a point.  ``region`` is the activation region it lies in.
    """

    region: int
    base: tuple
    direction: tuple
    lo: Any
    hi: Any

    def at(self, lam: Any) -> tuple:
        return tuple(b + lam * u for b, u in zip(self.base, self.direction))

    @property
    def kind(self) -> str:
        if self.lo is not None and self.hi is not None:
            return "point" if self.lo == self.hi else "segment"
        return "line" if self.lo is None and self.hi is None else "ray"

    def describe(self) -> str:
        if self.kind == "point":
            return f"point {_vs(self.at(self.lo))}"
        if self.kind == "segment":
            return f"segment {_vs(self.at(self.lo))} -- {_vs(self.at(self.hi))}"
        if self.kind == "ray":
            if self.lo is not None:
                return f"ray from {_vs(self.at(self.lo))} along {_vs(self.direction)}"
            return f"ray from {_vs(self.at(self.hi))} along {_vs(tuple(-u for u in self.direction))}"
        return f"line through {_vs(self.base)} along {_vs(self.direction)}"


def _level_pieces(C: Any, maps: Sequence[tuple], c: Any) -> tuple[list, list]:
    """The pieces R ∩ {w·x + b = c} of the level set, and the flat regions (w = 0, b = c).

    *maps* holds one (w, b) per activation region.  For w ≠ 0 the line
    {w·x + b = c} is base + λu with base = (c − b) w / |w|² and u ⊥ w (Q²), and
    each row b_i + ⟨a_i, x⟩ ≥ 0 of the region bounds λ; in Q the level set in
    R is the single point (c − b)/w if R holds it.
    """
    pieces, flat = [], []
    for i, (r, (w, b)) in enumerate(zip(C.regions, maps)):
        w = tuple(Q(x) for x in w)
        if not any(w):
            if b == c:
                flat.append(i)
            continue
        ww = dot(w, w)
        base = tuple(x * (c - b) / ww for x in w)
        if len(w) == 1:
            u: tuple = (_ZERO,)
        elif len(w) == 2:
            u = (-w[1], w[0])
        else:
            raise InputError("level sets are computed in dimension 1 or 2 only")
        lo = hi = None
        empty = False
        for bi, ai in r.inequalities:
            val = bi + dot(ai, base)
            slope = dot(ai, u)
            if slope == 0:
                if val < 0:
                    empty = True
                    break
            elif slope > 0:
                t = -val / slope
                lo = t if lo is None or t > lo else lo
            else:
                t = val / -slope
                hi = t if hi is None or t < hi else hi
        if len(w) == 1:
            lo = hi = _ZERO
        if empty or (lo is not None and hi is not None and lo > hi):
            continue
        pieces.append(BoundaryPiece(i, base, u, lo, hi))
    return pieces, flat


def _piece_in_hypersurface(h: TropicalPolynomial, piece: BoundaryPiece) -> tuple[bool, tuple]:
    """Decide exactly whether the whole piece lies in T(h) (≥ 2 terms attain h).

    Along the piece, term i is the affine function of λ with slope ⟨α_i, u⟩
    and intercept c_i + ⟨α_i, base⟩.  Cut [lo, hi] at every λ where two of
    these lines cross; between consecutive cuts the set of maximal terms is
    constant, so one test point per open sub-interval decides it.  The piece
    lies in T(h) iff every sub-interval has ≥ 2 maximal terms: then those
    terms tie on the closed sub-interval (continuity), and cut points are
    covered by the neighbouring sub-intervals.

    Returns (passed, ties): ties holds, per sub-interval, (test point, the
    exponents of the maximal terms); on failure the first sub-interval with
    a single maximal term comes first.
    """
    lines = [(dot(e, piece.direction), c + dot(e, piece.base), e) for e, c in h.terms]
    if piece.kind == "point":
        tests = [piece.lo]
    else:
        cuts = set()
        for (m1, q1, _), (m2, q2, _) in itertools.combinations(lines, 2):
            if m1 != m2:
                lam = (q2 - q1) / (m1 - m2)
                if (piece.lo is None or lam > piece.lo) and (piece.hi is None or lam < piece.hi):
                    cuts.add(lam)
        pts = sorted(cuts)
        ends = ([piece.lo] if piece.lo is not None else []) + pts + \
            ([piece.hi] if piece.hi is not None else [])
        tests = [(a + b) / 2 for a, b in zip(ends, ends[1:])]
        if piece.lo is None:
            tests.insert(0, (ends[0] - 1) if ends else _ZERO)
        if piece.hi is None and ends:
            tests.append(ends[-1] + 1)
    ties = []
    for lam in tests:
        vals = [(m * lam + q, e) for m, q, e in lines]
        top = max(v for v, _ in vals)
        ties.append((piece.at(lam), tuple(e for v, e in vals if v == top)))
    bad = [t for t in ties if len(t[1]) < 2]
    return not bad, tuple(bad + [t for t in ties if len(t[1]) >= 2])


def _pieces_check(h: TropicalPolynomial, pieces: Sequence[BoundaryPiece],
                  label: str) -> tuple[bool, list, list]:
    """Every piece in T(h)?  Returns (passed, witnesses, failures)."""
    wit, bad = [], []
    for p in pieces:
        ok, ties = _piece_in_hypersurface(h, p)
        if ok:
            wit.append(("piece", label, p.region, p.describe(), ties))
        else:
            bad.append(("not_in_hypersurface", label, p.region, p.describe(), ties))
    return not bad, wit, bad


def check_decision_boundary(net: Network, c: Any = 0, *, tropical: Any = None,
                            regions: Any = None) -> TheoremCheck:
    """{ν = c} ⊆ T(max(F, G + c)), checked exactly in d ≤ 2 (Zhang–Naitzat–Lim 2018, Prop 6.1).

    The tropical hypersurface T(h) of a tropical polynomial h is where at
    least two of its terms attain the maximum (it is the same set for h and
    its reduced form).  Proposition 6.1: the decision boundary {ν = c} of a
    network with one output ν = F ⊘ G lies in T(max(F, G + c)); for two or
    more outputs, {ν_i = ν_j} ⊆ T(F_i ⊙ G_j ⊕ F_j ⊙ G_i).  (Here, for p ≥ 2
    outputs every pair i < j is checked, with level c for ν_i − ν_j.)

    Why, and the precise statement checked: write φ = P − Q (φ = ν, P = F,
    Q = G; or φ = ν_i − ν_j, P = F_i ⊙ G_j, Q = F_j ⊙ G_i) and
    h = max(P, Q + c).  At a point with φ = c the maximal terms of h are those
    of P together with those of Q + c; x ∉ T(h) iff both have the same single
    maximal term near x, i.e. iff φ ≡ c on a neighbourhood of x.  So

        {φ = c} minus its interior  ⊆  T(h),

    and the literal inclusion holds iff {φ = c} has empty interior.  When φ
    is constant c on an activation region (e.g. every hidden neuron off and
    the output bias equal to c, or a relu output with c = 0) the level set
    has interior, which is not part of any hypersurface: the check then
    verifies the inclusion for the rest and reports the flat regions, with
    a witness point where h has a single maximal term.

    Method (exact): {φ = c} minus its interior is the union over the
    activation regions R on which φ = w·x + b is not constant of
    R ∩ {w·x + b = c}: in Q² a segment, ray, line or point obtained by
    clipping the line to the region's inequalities (unbounded regions give
    rays and lines), in Q a point.  For each piece, h restricted to the piece
    is a maximum of affine functions of the line parameter; the piece is cut
    where two of them cross, and every sub-interval must have at least two
    maximal terms, which then tie along the whole sub-interval
    (``_piece_in_hypersurface``).

    Parameters
    ----------
    net : Network
        Input dimension 1 or 2 (otherwise "not applicable").
    c : rational
        The level (threshold) of the decision.

    Returns
    -------
    TheoremCheck
        ``name="decision_boundary"``.  Witnesses: ``("piece", label, region,
        description, ties)`` per piece, ties being (point, exponents of the
        tying terms) per sub-interval; ``("interior", label, region, point,
        maximal exponents of h)`` per flat region; on failure
        ``("not_in_hypersurface", label, region, description, ties)`` whose
        first tie has a single maximal term.

    Examples
    --------
    ν = relu(x) − relu(y) and c = 1: {ν = 1} is the ray from (1, 0) along
    x − y = 1 (quadrant x, y > 0) and the ray from (1, 0) down the line x = 1
    (quadrant x > 0 > y); each lies in T(max(F, G + 1)):

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
    ...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    >>> chk = check_decision_boundary(net, 1)
    >>> chk.passed, [w[3] for w in chk.witnesses]
    (True, ['ray from (1, 0) along (1, 1)', 'ray from (1, 0) along (0, -1)'])
    """
    from tropexact.exact.numbers import to_rational

    d = net.input_dim
    if d not in (1, 2):
        return _not_applicable("decision_boundary", f"the exact level-set computation is "
                               f"implemented for d = 1 and d = 2 (d = {d})")
    c = to_rational(c)
    T = _tropical(net, tropical)
    C = _regions(net, regions)
    p = net.output_dim
    jobs = []
    if p == 1:
        F, G = T.outputs[0].F, T.outputs[0].G
        jobs.append(("nu", [(r.weight[0], r.bias[0]) for r in C.regions], F, G,
                     "{nu = c} in T(max(F, G + c))"))
    else:
        for i, j in itertools.combinations(range(p), 2):
            oi, oj = T.outputs[i], T.outputs[j]
            maps = [(tuple(a - b for a, b in zip(r.weight[i], r.weight[j])),
                     r.bias[i] - r.bias[j]) for r in C.regions]
            jobs.append((f"nu{i}-nu{j}", maps, oi.F * oj.G, oj.F * oi.G,
                         "{nu_i - nu_j = c} in T(F_i*G_j + F_j*G_i*c)"))
    ok, wit, bad, parts = True, [], [], []
    for label, maps, P, Qp, _ in jobs:
        h = P + Qp * c
        pieces, flat = _level_pieces(C, maps, c)
        good, w, b = _pieces_check(h, pieces, label)
        ok &= good
        wit += w
        bad += b
        kinds = [pc.kind for pc in pieces]
        summary = ", ".join(_n(kinds.count(k), k) for k in ("segment", "ray", "line", "point")
                            if kinds.count(k))
        text = f"{label} = {fmt(c)}: {_n(len(pieces), 'piece')} ({summary or 'empty'}) in T(h)"
        if flat:
            z = C.regions[flat[0]].point
            top = tuple(h.terms[t][0] for t in h.argmax(z))
            text += (f"; {label} = {fmt(c)} on {_n(len(flat), 'whole activation region')}: the level "
                     f"set has interior, which is not in T(h) (at {_vs(z)} h has "
                     f"{len(top)} maximal term{'s' if len(top) > 1 else ''}); the inclusion "
                     "holds for the level set minus its interior")
            for i in flat:
                zi = C.regions[i].point
                wit.append(("interior", label, i, zi,
                            tuple(h.terms[t][0] for t in h.argmax(zi))))
        parts.append(text)
    if ok:
        return TheoremCheck("decision_boundary", True, "Prop 6.1: " + "; ".join(parts),
                            tuple(wit))
    first = bad[0]
    pt, exps = first[4][0]
    return TheoremCheck(
        "decision_boundary", False,
        f"Prop 6.1 FAILS: {first[1]}, region {first[2]}: the {first[3]} leaves T(h) at "
        f"{_vs(pt)} where only the term {_vs(exps[0])} is maximal ({len(bad)} bad pieces)",
        tuple(bad + wit))


# ---------------------------------------------------------------------------
# 5. bounds
# ---------------------------------------------------------------------------

def _bound_architecture(net: Network) -> tuple[tuple, bool]:
    """(architecture for DESIGN §4, whether every hidden layer is a relu layer).

    The bounds are for hidden layers followed by a linear output.  A
    nonlinear output layer also splits regions, so it is counted as one more
    hidden layer of width p followed by a (virtual) linear output of width p.
    """
    L = net.layers
    if L[-1].activation is Activation.IDENTITY:
        hidden = L[:-1]
        arch = (net.input_dim,) + tuple(l.out_dim for l in hidden) + (net.output_dim,)
    else:
        hidden = L
        arch = (net.input_dim,) + tuple(l.out_dim for l in L) + (net.output_dim,)
    return arch, all(l.activation is Activation.RELU for l in hidden)


def _bounds_check(linear: int, activation: int, bounds: dict) -> tuple[bool, str, tuple]:
    """linear ≤ activation ≤ every bound, for explicit counts and bounds."""
    ok = linear <= activation
    wit, parts = [], []
    for name, B in sorted(bounds.items()):
        good = linear <= B and activation <= B
        ok &= good
        wit.append(("bound", name, B, linear, activation, good))
        parts.append(f"{name} {B}{'' if good else ' (EXCEEDED)'}")
    text = (f"{linear} linear regions <= {activation} activation regions <= "
            + (", ".join(parts) if parts else "(no applicable bound)"))
    return ok, text, tuple(wit)


def check_bounds(net: Network, *, regions: Any = None, bounds: dict | None = None) -> TheoremCheck:
    """Exact region counts ≤ every applicable upper bound (Thm 6.3 and DESIGN §4).

    Zhang–Naitzat–Lim 2018, Thm 6.3 bounds the number of linear regions of a
    network with hidden widths n_1..n_L ≥ d and a linear output by
    Π_l Σ_{i=0}^{d} C(n_l, i); :func:`tropexact.bounds.upper_bounds` gives it
    with the other upper bounds of DESIGN §4 (Zaslavsky for one layer,
    Montúfar 2017 / Raghu et al. 2017, Serra–Tjandraatmadja–Ramalingam 2018
    Thm 1), each only where its hypotheses hold.

    What is asserted: linear regions ≤ activation regions ≤ B for every
    applicable bound B.  The first inequality holds because every linear
    region is a union of activation regions.  The second is true for all of
    these bounds because their proofs count activation regions: layer l
    splits each region of layer l − 1 by at most n_l hyperplanes pulled back
    through an affine map whose image has dimension at most
    r = min(d, n_1, …, n_{l−1}), giving at most Σ_{j=0}^{r} C(n_l, j) pieces
    (Zaslavsky's count, and the products of Zhang et al. and of Montúfar),
    whatever the activation; Serra et al. bound the number of activation
    patterns the same way and refine it with the dimension lost to inactive
    relu units.  That refinement needs inactive units to output a constant,
    so for networks with leaky relu (or identity) hidden layers
    ``serra2018`` is not applied.  A relu or leaky
    output layer splits regions too, so the architecture passed to the bounds
    is (d, n_1, …, n_L, p, p) then: the output layer counted as a hidden
    layer in front of a virtual linear output.

    Parameters
    ----------
    net : Network
    regions : RegionComplex, optional
        ``activation_regions(net)`` (over all of Q^d) if already computed.
    bounds : dict, optional
        Name → integer bound to check instead of ``upper_bounds(arch)`` (e.g.
        a conjectured bound); taken as given, without the relu filter.

    Returns
    -------
    TheoremCheck
        ``name="bounds"``; witnesses ``("architecture", arch)`` and
        ``("bound", name, value, linear regions, activation regions, passed)``.

    Examples
    --------
    ν = relu(x) − relu(x − 1): 3 activation regions, 3 linear regions; two
    hyperplanes (points) in Q cut it into at most C(2, 0) + C(2, 1) = 3:

    >>> from tropexact.networks.model import network
    >>> net = network(1, [{"weight": [[1], [1]], "bias": [0, -1], "activation": "relu"},
    ...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    >>> check_bounds(net, bounds={"zaslavsky": 3}).detail
    'architecture 1,2,1: 3 linear regions <= 3 activation regions <= zaslavsky 3'
    >>> check_bounds(net, bounds={"wrong": 2}).passed
    False
    """
    from tropexact.regions import linear_regions

    C = _regions(net, regions)
    arch, all_relu = _bound_architecture(net)
    dropped = ""
    if bounds is None:
        from tropexact.bounds.published import upper_bounds

        try:
            bounds = upper_bounds(arch)
        except InputError as e:
            return _not_applicable("bounds", f"no bound for architecture {arch}: {e}")
        bounds = {k: v for k, v in bounds.items() if v is not None and not k.endswith("lower")}
        if not all_relu and "serra2018" in bounds:
            del bounds["serra2018"]
            dropped = " (serra2018 not applied: it needs relu hidden layers)"
    bounds = {k: int(v) for k, v in bounds.items()}
    ok, text, wit = _bounds_check(len(linear_regions(C)), len(C.regions), bounds)
    return TheoremCheck("bounds", ok, ("" if ok else "FAILS: ") + f"architecture "
                        f"{','.join(map(str, arch))}: {text}{dropped}",
                        (("architecture", arch),) + wit)


# ---------------------------------------------------------------------------

def check_all(net: Network, c: Any = 0, *, bounds: dict | None = None) -> list:
    """Run every check on *net*, computing the tropicalization and the regions once.

    Returns the checks in the order identity (Thm 5.4), zonotopes (§6.2),
    correspondence (§3/§6.3), decision boundary (Prop 6.1, level *c*),
    bounds (Thm 6.3 and DESIGN §4).  Checks whose hypotheses fail are
    included with ``passed=True`` and a "not applicable" detail.

    Parameters
    ----------
    net : Network
    c : rational
        The level of the decision boundary check.
    bounds : dict, optional
        Passed to :func:`check_bounds` (default: the applicable bounds of
        :func:`tropexact.bounds.upper_bounds`).

    Examples
    --------
    Three lines x = 0, y = 0, x + y = 1 in general position: 7 regions, the
    Zaslavsky count 1 + 3 + 3:

    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, -1],
    ...                    "activation": "relu"},
    ...                   {"weight": [[1, -1, 1]], "bias": [0], "activation": "identity"}])
    >>> checks = check_all(net, bounds={"zaslavsky": 7})
    >>> [(chk.name, chk.passed) for chk in checks]  # doctest: +NORMALIZE_WHITESPACE
    [('tropical_identity', True), ('zonotopes', True), ('correspondence', True),
     ('decision_boundary', True), ('bounds', True)]
    >>> checks[-1].detail
    'architecture 2,3,1: 7 linear regions <= 7 activation regions <= zaslavsky 7'
    """
    from tropexact.networks.tropicalization import tropicalize
    from tropexact.regions import activation_regions

    T = tropicalize(net, count_before=False)
    C = activation_regions(net)
    return [check_tropical_identity(net, tropical=T, regions=C),
            check_zonotopes(net, tropical=T),
            check_correspondence(net, tropical=T),
            check_decision_boundary(net, c, tropical=T, regions=C),
            check_bounds(net, regions=C, bounds=bounds)]
