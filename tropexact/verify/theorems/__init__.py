"""Theorem checks: the claims of Zhang–Naitzat–Lim (2018) verified exactly on a given network.

Zhang, Naitzat and Lim, "Tropical Geometry of Deep Neural Networks" (ICML
2018) prove that a ReLU network ν is a tropical rational map F ⊘ G and read
geometry off F and G.  Each function below takes a network, verifies one of
those claims *on that network* with exact rational arithmetic (gmpy2 ``mpq``,
cddlib in GMP mode; no floats, no tolerances) and returns a
:class:`~tropexact.verify.check.Check` holding the verdict and, as its data,
the witnesses that prove or refute it:

* :func:`check_tropical_identity` -- ν ≡ F ⊘ G on all of Q^d (Thm 5.4),
  proven piece by piece on a common refinement;
* :func:`check_zonotopes` -- one hidden layer: P(F) and P(G) are the
  zonotopes Σ c_i S_i of the neurons' segments (§6.2);
* :func:`check_correspondence` -- tropical cells ↔ upper vertices of P(f),
  with the adjacency graph = the upper edges (§3, §6.3);
* :func:`check_decision_boundary` -- {ν = c} ⊆ T(max(F, G + c)) in
  d ≤ 2 (Prop 6.1);
* :func:`check_maxout_minkowski` -- a first maxout layer's regions are the upper
  vertices of the Minkowski sum of its units' lifted pieces (Montúfar–Ren–Zhang 2022;
  ``tropexact verify`` runs it, :func:`check_all` does not);
* :func:`check_bounds` -- region counts ≤ every applicable upper bound
  (Thm 6.3 and the other bounds of docs/design.md §4);
* :func:`check_all` -- all of them, sharing the expensive parts.

A check whose hypotheses fail for the network (e.g. zonotopes for a deep
network) has the status ``not applicable``, which is not a pass.
Every check is split into a public function taking the network and a private
function taking the mathematical objects explicitly (polynomials, segments,
boundary pieces, bounds); the tests feed the private functions deliberately
wrong objects and watch the checks fail.

Notation (docs/design.md §1, §3): max-plus; a term c ⊙ x^α is the affine function
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

from typing import Any

from tropexact.networks.model import Network
from tropexact.regions.pieces import tropicalize_by_regions
from tropexact.regions import activation_regions

from ..check import Check
from ..correspondence import check_correspondence, verify_tropical
from .decision import BoundaryPiece, check_decision_boundary
from .identity import check_tropical_identity
from .maxout import check_maxout_minkowski
from .region_bounds import check_bounds
from .zonotopes import check_zonotopes

__all__ = ["Check", "BoundaryPiece", "check_tropical_identity", "check_zonotopes", "check_correspondence",
           "check_decision_boundary", "check_bounds", "check_maxout_minkowski", "check_all"]


def check_all(net: Network, c: Any = 0, *, bounds: dict | None = None) -> list:
    """Run every check on *net*, computing the tropicalization, the regions and the cells
    of every F ⊙ G once.

    Returns the checks in the order identity (Thm 5.4), zonotopes (§6.2),
    correspondence (§3/§6.3), decision boundary (Prop 6.1, level *c*),
    bounds (Thm 6.3 and docs/design.md §4).  Checks whose hypotheses fail are
    included with the status ``not applicable`` and the reason as detail.

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
    C = activation_regions(net)
    T = tropicalize_by_regions(net, C, count_before=False)
    corr = [verify_tropical(o.F, o.G) for o in T.outputs]
    return [check_tropical_identity(net, tropical=T, regions=C,
                                    products=[c[2].data.term_regions for c in corr]),
            check_zonotopes(net, tropical=T),
            check_correspondence(net, correspondences=corr),
            check_decision_boundary(net, c, tropical=T, regions=C),
            check_bounds(net, regions=C, bounds=bounds)]
