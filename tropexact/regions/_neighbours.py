"""Who lies across each facet of an activation region: exact sign vectors, no geometry.

Let R be an activation region with sign vector σ and F a facet of R on the
hyperplane of neuron g (a facet on the domain's boundary has nobody across).
Every pre-activation z_m is continuous on Q^d and affine on R, so on the
relative interior of F each z_m − t_m either keeps a sign or vanishes on all
of F.  Call V the neurons vanishing on F: g, the neurons with σ_m = '0', and
those whose hyperplane on R is F's hyperplane (noted by the walk,
:mod:`tropexact.regions._walk`).  Take p in the relative interior of F and a
direction n leaving R through F.  For small ε > 0 the point p + εn lies in
one region R': every neuron outside V keeps its sign from R (it is non-zero
at p), and along the segment the network is affine, so a neuron m of V has
z_m − t_m = ε·∂_n z_m there, whose sign is the sign of the derivative of z_m
along n computed through the activation states of R' (a forward pass on
derivatives, layer by layer; a derivative 0 means z_m ≡ t_m near p, hence on
all of R', sign '0').  The signs do not depend on p, so **the whole facet F
is shared with the one region R'**: adjacency needs no facet geometry, only
a sign vector per facet, looked up among the regions.

In the generic case V = {g} and R' is σ with the sign of g flipped; the
derivative pass runs only when V is larger (coincident hyperplanes, '0'
neurons: degenerate networks).
"""

from __future__ import annotations

from operator import mul
from typing import Sequence

from tropexact.errors import VerificationError
from tropexact.exact.numbers import Q
from tropexact.networks.activation import Activation
from tropexact.polyhedra.arrangement import Cell

from ._walk import IntegerLayers

__all__ = ["neighbour_signs"]

_FLIP = {"+": "-", "-": "+"}


def neighbour_signs(L: IntegerLayers, signs: str, cell: Cell,
                    facets: Sequence[int]) -> list[str | None]:
    """For each facet constraint of *cell* (indices into ``cell.cons``), the sign vector
    of the region across it, or None on the domain's boundary (module docstring)."""
    generic = "0" not in signs
    noted = {h for _, h in cell.notes}
    out: list[str | None] = []
    for b in facets:
        g, h = cell.cons[b]
        if not isinstance(g, int):
            out.append(None)
        elif generic and h not in noted:
            out.append(signs[:g] + _FLIP[signs[g]] + signs[g + 1:])
        else:
            same = {m for m, row in cell.notes if row == h}
            out.append(_across(L, signs, g, h, same))
    return out


def _across(L: IntegerLayers, signs: str, g: int, h: Sequence[int], same: set) -> str:
    """The sign vector at p + εn (module docstring), n = −a for the facet row h = (b, a)."""
    dy = [-x for x in h[1:]]
    out = list(signs)
    for l, layer in enumerate(L.layers):
        dz = [sum(map(mul, row, dy)) for row in L.W[l]]
        act = layer.activation
        if act is Activation.IDENTITY:
            dy = dz
            continue
        base = L.bases[l]
        if act is Activation.RELU:
            p, q = 0, 1
        else:
            s = Q(layer.negative_slope)
            p, q = int(s.numerator), int(s.denominator)
        new = []
        for k, v in enumerate(dz):
            i = base + k
            s_i = signs[i]
            if i == g or s_i == "0" or i in same:
                s_i = "+" if v > 0 else "-" if v < 0 else "0"
                out[i] = s_i
            new.append(q * v if s_i == "+" else p * v if s_i == "-" else 0)
        dy = new  # the layer's derivative times q > 0: signs downstream unchanged
    if out[g] != _FLIP.get(signs[g]):
        raise VerificationError("internal error: crossing a facet did not flip its neuron")
    return "".join(out)
