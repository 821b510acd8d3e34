"""One hidden layer: P(F) and P(G) are zonotopes (Zhang–Naitzat–Lim 2018, §6.2)."""

from __future__ import annotations

import itertools
from typing import Any, Sequence

from tropexact.bounds import zaslavsky_count
from tropexact.errors import VerificationError
from tropexact.exact.linalg import rank
from tropexact.exact.numbers import Q, fmt_vector, plural
from tropexact.networks.activation import Activation
from tropexact.networks.model import Network
from tropexact.networks.tropicalization import Tropicalization
from tropexact.polyhedra import hull, upper_hull_vertices
from tropexact.tropical.polynomial import TropicalPolynomial

from ..check import Check
from .._inputs import tropicalization_of

__all__ = ["check_zonotopes"]

_ZERO = Q(0)
_ONE = Q(1)


def _neuron_polytopes(layer: Any) -> list[tuple[tuple, tuple, tuple]]:
    """Per neuron of a hidden layer fed by x: (p_i, q_i, g_i) with P(F_i) = [p_i, q_i], P(G_i) = {g_i}.

    With the row a = a₊ − a₋ and bias b, from F⁽⁰⁾ = x, G⁽⁰⁾ = 0 (docs/design.md §3):
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
    """(shift, segments) of P(H) and of P(G') for one output row w (docs/design.md §3).

    H = β ⊙ Π_i F_i^{w_i⁺} ⊙ G_i^{w_i⁻} and G' = Π_i G_i^{w_i⁺} ⊙ F_i^{w_i⁻}, so
    P(H) = (0, β) + Σ_{w_i<0} (−w_i) g_i + Σ_{w_i>0} w_i [p_i, q_i] and
    P(G') = Σ_{w_i>0} w_i g_i + Σ_{w_i<0} (−w_i) [p_i, q_i].
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
    return [points[i] for i in upper_hull_vertices(points, method="cdd")]


def _all_vertices(points: list) -> list:
    return list(hull(points).vertices)


def _independent(vectors: Sequence[tuple]) -> bool:
    """Whether the vectors are linearly independent (the empty family is)."""
    return rank(list(vectors)) == len(vectors)


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
        return False, (f"P({label}) != zonotope: {fmt_vector(diff[0])} is {where} "
                       f"({len(mine)} vs {len(Zu)} upper vertices)"), wit
    # exact polyhedron equality through cdd's H-representations:
    # conv(V) + cone(-e_last) for both vertex lists, each generator inside the other
    down = [tuple(_ZERO for _ in range(d)) + (-_ONE,)]
    P1, P2 = hull(lifted, down), hull(Zu, down)
    if not (all(P2.contains(v) for v in P1.vertices) and all(P1.contains(v) for v in P2.vertices)):
        raise VerificationError(f"equal upper vertex sets but different upper hulls for {label}")
    parts = [f"P({label}) = zonotope of {plural(len(segments), 'segment')}: "
             f"{plural(len(Zu), 'upper vertex', 'upper vertices')}"]
    gens = [tuple(b - a for a, b in zip(s[-2], s[-1])) for s in segments]
    gens = [g for g in gens if any(g)]
    gp_upper, gp_full = _general_position(gens, d)
    m = len(gens)
    ok = True
    if gp_upper:
        want = zaslavsky_count(m, d)
        ok &= want == len(mine)
        parts.append(f"general position: {len(mine)} = sum_j<={d} C({m}, j) = {want}"
                     if m else "a point")
        wit.append(("upper_vertex_count", label, len(mine), want))
    else:
        parts.append("segments not in general position (upper-vertex formula not asserted)")
    if gp_full:
        full = _minkowski(shift, segments, _all_vertices)
        want = 2 * zaslavsky_count(m - 1, d) if m else 1
        ok &= want == len(full)
        if m:
            parts.append(f"{len(full)} vertices in all = 2 sum_j<={d} C({m - 1}, j) = {want}")
        wit.append(("vertex_count", label, len(full), want))
    if not ok:
        return False, f"P({label}): vertex count differs from the general-position formula: " \
            + "; ".join(parts), wit
    return True, "; ".join(parts), wit


def check_zonotopes(net: Network, *, tropical: Tropicalization | None = None) -> Check:
    """One hidden layer: P(F) and P(G) are zonotopes Σ c_i S_i (Zhang–Naitzat–Lim 2018, §6.2).

    For ν = W σ(A x + b) + β with σ a relu (threshold t) or leaky relu, the
    tropicalization of neuron i (docs/design.md §3) has a segment as extended Newton
    polytope, P(F_i) = S_i = [p_i, q_i] with p_i = (a_i⁺, b_i),
    q_i = (a_i⁻, t) for relu, and a point P(G_i) = {g_i} = {(a_i⁻, 0)}.
    Splitting the output weights w = w⁺ − w⁻ (P(f ⊙ g) = P(f) + P(g) and
    P(f^{⊙c}) = c P(f)),

        P(H) = (0, β) + Σ_{w_i>0} w_i S_i + Σ_{w_i<0} (−w_i) g_i,
        P(G) = Σ_{w_i<0} (−w_i) S_i + Σ_{w_i>0} w_i g_i,

    zonotopes (translated).  H is the output's F for a linear output; for a
    relu or leaky output the claim is about its pre-activation, so H and G'
    (the G of a relu output; G^{1/(1+a)} for a leaky one) are checked.

    The reduced polynomial keeps only the *upper* vertices of its polytope,
    so the comparison is between upper hulls conv(V) + cone(−e_last): the
    upper vertices of the reduced H (or G) against the upper vertices of the
    Minkowski sum of the segments built from the weights (pruned summand by
    summand), as exact vertex sets and as cdd polyhedra.  When the segments'
    directions g_i = q_i − p_i are in general position (see
    ``_general_position``) the counts are checked against docs/design.md §3:
    Σ_{j=0}^{d} C(m, j) upper vertices for m segments in Q^{d+1}, and
    2 Σ_{j=0}^{d} C(m − 1, j) vertices of the whole zonotope.

    Returns
    -------
    Check
        ``name="zonotopes"``; status ``not applicable`` unless the
        network has exactly one hidden (relu or leaky relu) layer and no maxout
        layer (a maxout output included).  Witnesses:
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
    if any(l.activation is Activation.MAXOUT for l in L):
        return Check.not_applicable("zonotopes", "the zonotope claim is for relu and leaky relu "
                                    "layers: a maxout unit's P(F_i) is the hull of its k pieces' "
                                    "points, not a segment, so P(F) and P(G) are sums of "
                                    "polytopes, not zonotopes")
    if len(L) != 2 or L[0].activation.is_linear:
        return Check.not_applicable("zonotopes", "the zonotope claim is for exactly one hidden "
                                    f"relu or leaky relu layer (this network has {len(L) - 1} "
                                    "hidden layers)")
    T = tropicalization_of(net, tropical)
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
    return Check.verdict("zonotopes", ok, head + "; ".join(parts), tuple(wit))
