"""Round trip: does a network compute a given tropical rational map?  Checked exactly.

Two tropical rational functions F₁ ⊘ G₁ and F₂ ⊘ G₂ are equal as functions iff
F₁ + G₂ = F₂ + G₁ everywhere, i.e. iff the tropical products F₁ ⊙ G₂ and
F₂ ⊙ G₁ are the same function; reduced polynomials are equal iff their
functions are (a reduced polynomial is the list of the linear pieces of its
convex function), so the comparison is an equality of term lists.
:func:`check_round_trip` tropicalizes the network (ν = F₁ ⊘ G₁, read off its
activation regions over Q^d), compares every output this way, and also
evaluates both sides at every activation region's interior point — a second,
independent witness that fails with a point to show.

Examples
--------
>>> from tropexact.networks.model import network
>>> from tropexact.tropical.polynomial import TropicalPolynomial as P
>>> from tropexact.tropical.rational import TropicalRationalMap
>>> net = network(1, [{"weight": [[1]], "bias": [0], "activation": "relu"},
...                   {"weight": [[1]], "bias": [0], "activation": "identity"}])
>>> relu = TropicalRationalMap([P([((0,), 0), ((1,), 0)], 1) / P.one(1)])
>>> check_round_trip(net, relu).detail
'nu = the map: F1*G2 = F2*G1 as reduced polynomials for 1 output, and nu(x) = map(x) at all 2 activation region points'
>>> check_round_trip(net, TropicalRationalMap([P([((1,), 0)], 1) / P.one(1)])).passed
False
"""

from __future__ import annotations

from tropexact.exact.numbers import fmt, fmt_vector, plural
from tropexact.networks.model import Network
from tropexact.networks.tropicalization import Tropicalization
from tropexact.regions import RegionComplex
from tropexact.regions.pieces import tropicalize
from tropexact.tropical.rational import TropicalRationalMap

from ..check import Check
from .._inputs import regions_of

__all__ = ["check_round_trip"]

NAME = "round_trip"


def check_round_trip(net: Network, tmap: TropicalRationalMap, *,
                     regions: RegionComplex | None = None,
                     tropical: Tropicalization | None = None) -> Check:
    """Whether *net* computes *tmap* exactly, on all of Q^d.

    Parameters
    ----------
    net : Network
    tmap : TropicalRationalMap
        The map ν should be (as given; its polynomials need not be reduced).
    regions, tropical : optional
        The activation regions of *net* over Q^d and its tropicalization, if
        already computed (otherwise computed here, the regions once).

    Returns
    -------
    Check
        ``pass`` if every output satisfies F₁ ⊙ G₂ = F₂ ⊙ G₁ (reduced) and ν(x) = map(x)
        at every region's interior point; ``fail`` names the first output or point
        that differs (or the mismatched dimensions).  The data holds the failures.
    """
    if tmap.nvars != net.input_dim or len(tmap) != net.output_dim:
        return Check.verdict(NAME, False, f"the map is {tmap.nvars} -> {len(tmap)}, the "
                             f"network {net.input_dim} -> {net.output_dim}")
    C = regions_of(net, regions)
    T = tropical if tropical is not None else tropicalize(net, regions=C, count_before=False)
    bad = []
    for k, (mine, theirs) in enumerate(zip(T.map, tmap)):
        left = mine.numerator * theirs.denominator
        right = theirs.numerator * mine.denominator
        if left != right:
            bad.append(("polynomials", k))
    for r in C.regions:
        got, want = net(r.point), tmap(r.point)
        if got != want:
            k = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
            bad.append(("point", k, r.point, got[k], want[k]))
            break
    if not bad:
        return Check.verdict(NAME, True, "nu = the map: F1*G2 = F2*G1 as reduced polynomials "
                             f"for {plural(len(tmap), 'output')}, and nu(x) = map(x) at all "
                             f"{plural(len(C.regions), 'activation region point')}")
    first = bad[0]
    if first[0] == "polynomials":
        detail = f"output {first[1]}: F1*G2 != F2*G1 (the network computes another function)"
    else:
        _, k, x, got, want = first
        detail = f"output {k} at {fmt_vector(x)}: nu = {fmt(got)}, the map gives {fmt(want)}"
    return Check(NAME, "fail", detail, tuple(bad))
