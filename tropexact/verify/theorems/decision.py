"""{ν = c} ⊆ T(max(F, G + c)), checked exactly in d ≤ 2 (Zhang–Naitzat–Lim 2018, Prop 6.1)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import dot
from tropexact.exact.numbers import Q, fmt, fmt_vector, plural, to_rational
from tropexact.networks.model import Network
from tropexact.networks.tropicalization import Tropicalization
from tropexact.regions import RegionComplex
from tropexact.tropical.polynomial import TropicalPolynomial

from ..check import Check
from .._inputs import regions_of, tropicalization_of

__all__ = ["BoundaryPiece", "check_decision_boundary"]

_ZERO = Q(0)


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
            return f"point {fmt_vector(self.at(self.lo))}"
        if self.kind == "segment":
            return f"segment {fmt_vector(self.at(self.lo))} -- {fmt_vector(self.at(self.hi))}"
        if self.kind == "ray":
            if self.lo is not None:
                return f"ray from {fmt_vector(self.at(self.lo))} along {fmt_vector(self.direction)}"
            return f"ray from {fmt_vector(self.at(self.hi))} along {fmt_vector(tuple(-u for u in self.direction))}"
        return f"line through {fmt_vector(self.base)} along {fmt_vector(self.direction)}"


def _level_pieces(C: RegionComplex, maps: Sequence[tuple], c: Any) -> tuple[list, list]:
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


def _envelope_breaks(lines: Sequence[tuple]) -> list:
    """The λ where the maximal line of max_i (m_i λ + q_i) changes, increasing.

    The upper envelope of lines, by slope (the convex hull trick): among equal slopes
    only the highest line can be maximal; a line is dropped when the next one
    overtakes the previous one before it does.  Between consecutive breaks one
    (m, q) -- one or several coinciding lines -- is maximal, strictly above the rest.

    Examples
    --------
    max(0, λ, 2λ − 2): the maximal line changes at λ = 0 and λ = 2.

    >>> _envelope_breaks([(0, 0, "a"), (1, 0, "b"), (2, -2, "c"), (1, -5, "d")])
    [mpq(0,1), mpq(2,1)]
    """
    best: dict = {}
    for m, q, _ in lines:
        if m not in best or q > best[m]:
            best[m] = q
    hull: list = []
    for m, q in sorted(best.items()):
        while len(hull) >= 2:
            (m1, q1), (m2, q2) = hull[-2], hull[-1]
            # drop hull[-1] if the new line reaches hull[-2] no later than hull[-1] does
            if (q1 - q) * (m2 - m1) <= (q1 - q2) * (m - m1):
                hull.pop()
            else:
                break
        hull.append((m, q))
    return [Q(q1 - q2) / (m2 - m1) for (m1, q1), (m2, q2) in zip(hull, hull[1:])]


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
        pts = [lam for lam in _envelope_breaks(lines)
               if (piece.lo is None or lam > piece.lo) and (piece.hi is None or lam < piece.hi)]
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


def _boundary_jobs(T: Tropicalization, C: RegionComplex) -> list:
    """(label, per-region maps of φ, plus, minus) with φ = plus − minus: ν = F − G for one
    output; for p ≥ 2 outputs, ν_i − ν_j = F_i ⊙ G_j − F_j ⊙ G_i for every pair i < j."""
    p = len(T.outputs)
    if p == 1:
        o = T.outputs[0]
        return [("nu", [(r.weight[0], r.bias[0]) for r in C.regions], o.F, o.G)]
    jobs = []
    for i, j in itertools.combinations(range(p), 2):
        oi, oj = T.outputs[i], T.outputs[j]
        maps = [(tuple(a - b for a, b in zip(r.weight[i], r.weight[j])), r.bias[i] - r.bias[j])
                for r in C.regions]
        jobs.append((f"nu{i}-nu{j}", maps, oi.F * oj.G, oj.F * oi.G))
    return jobs


def _boundary_job(C: RegionComplex, label: str, maps: list, h: TropicalPolynomial,
                  c: Any) -> tuple[bool, list, list, str]:
    """{φ = c} minus its interior ⊆ T(h), for one φ: (passed, witnesses, failures, text)."""
    pieces, flat = _level_pieces(C, maps, c)
    ok, wit, bad = _pieces_check(h, pieces, label)
    kinds = [pc.kind for pc in pieces]
    summary = ", ".join(plural(kinds.count(k), k) for k in ("segment", "ray", "line", "point")
                        if kinds.count(k))
    text = f"{label} = {fmt(c)}: {plural(len(pieces), 'piece')} ({summary or 'empty'}) in T(h)"
    if flat:
        z = C.regions[flat[0]].point
        top = h.argmax(z)
        text += (f"; {label} = {fmt(c)} on {plural(len(flat), 'whole activation region')}: the "
                 f"level set has interior, which is not in T(h) (at {fmt_vector(z)} h has "
                 f"{plural(len(top), 'maximal term')}); the inclusion holds for the level set "
                 "minus its interior")
        for i in flat:
            zi = C.regions[i].point
            wit.append(("interior", label, i, zi, tuple(h.terms[t][0] for t in h.argmax(zi))))
    return ok, wit, bad, text


def check_decision_boundary(net: Network, c: Any = 0, *,
                            tropical: Tropicalization | None = None,
                            regions: RegionComplex | None = None) -> Check:
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

    Nothing here depends on the activation: the level set is read off the
    activation regions' affine maps (they cover Q^d, with ν affine on each
    closure) and T(h) off the polynomials, so the check is sound for maxout
    networks as it is for relu ones (ν = F − G holds for them too: see
    :func:`check_tropical_identity`).

    Parameters
    ----------
    net : Network
        Input dimension 1 or 2 (otherwise "not applicable").
    c : rational
        The level (threshold) of the decision.

    Returns
    -------
    Check
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
    >>> chk.passed, [w[3] for w in chk.data]
    (True, ['ray from (1, 0) along (1, 1)', 'ray from (1, 0) along (0, -1)'])
    """
    d = net.input_dim
    if d not in (1, 2):
        return Check.not_applicable("decision_boundary", "the exact level-set computation is "
                                    f"implemented for d = 1 and d = 2 (d = {d})")
    c = to_rational(c)
    T = tropicalization_of(net, tropical)
    C = regions_of(net, regions)
    ok, wit, bad, parts = True, [], [], []
    for label, maps, plus, minus in _boundary_jobs(T, C):  # φ = plus − minus
        good, w, b, text = _boundary_job(C, label, maps, plus + minus * c, c)
        ok &= good
        wit += w
        bad += b
        parts.append(text)
    if ok:
        return Check.verdict("decision_boundary", True, "Prop 6.1: " + "; ".join(parts),
                             tuple(wit))
    first = bad[0]
    pt, exps = first[4][0]
    return Check.verdict(
        "decision_boundary", False,
        f"Prop 6.1 FAILS: {first[1]}, region {first[2]}: the {first[3]} leaves T(h) at "
        f"{fmt_vector(pt)} where only the term {fmt_vector(exps[0])} is maximal "
        f"({len(bad)} bad pieces)", tuple(bad + wit))
