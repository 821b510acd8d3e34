"""The paper's claims checked on one network instance: the checks of ``tropexact verify``.

For a network ν = F ⊘ G, :func:`verify_network` enumerates the activation
regions once, tropicalizes once, and runs every check on those two objects:

* for every output k and for F, G and F ⊙ G: regions ↔ upper vertices with
  identical graphs (:func:`tropexact.verify.correspondence.verify_tropical`);
* the linear regions of ν_k counted two ways, from the activation regions and
  from the cells of F ⊙ G (over all of Q^d);
* ν_k = F_k − G_k exactly at every region's interior point;
* linear regions ≤ activation regions, and ≤ cells of F_k ⊙ G_k;
* for a slice, the 2-input network equals the full one at every region's
  lifted point;
* the region certificate, re-verified by the independent checker
  (:mod:`tropexact.verify.checker`);
* over all of Q^d, the theorem checks of :mod:`tropexact.verify.theorems`
  (the correspondence among them is the per-output check above, not rerun).

**Maxout networks.**  Every check above is sound for them, except the zonotope
theorem, which is "not applicable" (with the reason: a unit's Newton polytope is
the hull of its k pieces' points, not a segment); the region bounds use the maxout
bounds there, and the Minkowski-sum check applies to them only.  The others use
only what holds for any activation: the regions' affine maps and an exact forward
pass (the certificate proves both, maxout included), and F, G as tropical
polynomials.  Reading the cells of F, G and
F ⊙ G off the regions needs F and G affine on every activation region: by
induction over the layers, if the H_i and G_i of a unit's pieces are affine on a
region, so are F' = max_i (H_i + Σ_{j≠i} G_j), whose maximum is attained by the
winning piece (H_i + Σ_{j≠i} G_j = z_i + Σ_j G_j), and G' = Σ_j G_j; and
:func:`tropexact.regions.term_cells.term_regions_on` checks the winning term
strictly at a point of each cell anyway.

Examples
--------
>>> from tropexact.networks.io import load_network
>>> V = verify_network(load_network("data/networks/zhang2018_example_c2.json"))
>>> V.passed, len(V.regions.regions), [c.name for c in V.checks][:3]
(True, 23, ['correspondence F (output 0)', 'correspondence G (output 0)', 'correspondence F*G (output 0)'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from tropexact.errors import BudgetExceeded, VerificationError
from tropexact.exact.numbers import fmt_vector
from tropexact.networks.domain import Domain
from tropexact.networks.graph import Graph
from tropexact.networks.graph_tropical import tropicalize_graph
from tropexact.networks.model import Network
from tropexact.networks.slicing import Plane, lift
from tropexact.networks.tropicalization import Tropicalization
from tropexact.regions import RegionComplex, activation_regions, linear_regions
from tropexact.regions.cells import rational_linear_regions
from tropexact.regions.pieces import final_pieces, tropicalize_by_regions
from tropexact.regions.term_cells import term_regions_on
from tropexact.tropical.products import sum_of_products

from . import certificates
from .check import Check, none_failed
from .checker import check_certificate
from .correspondence import verify_tropical
from .theorems import (check_bounds, check_decision_boundary, check_maxout_minkowski,
                       check_tropical_identity, check_zonotopes)

__all__ = ["Verification", "tropical_checks", "instance_checks", "verify_network"]

#: ``progress(stage, done, total)``: stage is "regions", "layers", "outputs" or "checker".
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify_network`: the objects computed and every check.

    ``cells[k]`` is ``{"F_cells", "G_cells", "FG_cells"}`` for output k;
    ``linear_regions`` the number of linear regions of ν; ``passed`` is true when no
    check failed (checks that do not apply or did not run are listed with their
    status, and are not passes).
    """

    network: Network
    regions: RegionComplex
    tropical: Tropicalization
    cells: tuple
    linear_regions: int
    checks: tuple

    @property
    def passed(self) -> bool:
        return none_failed(self.checks)


def _quiet(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: report nothing."""


class TropicalChecks(NamedTuple):
    """What :func:`tropical_checks` found: per output k, ``cells[k]`` (the counts
    ``{"F_cells", "G_cells", "FG_cells"}``), ``linear[k]`` (the linear regions of ν_k
    from the activation regions) and ``products[k]`` (the regions of F_k ⊙ G_k, for
    reuse); and the checks."""

    cells: list
    checks: list
    linear: list
    products: list


def _cells_from_regions(C: RegionComplex, pieces: list | None, k: int,
                        polys: tuple) -> list | None:
    """The cells of output k's F, G and F ⊙ G read off the activation regions over Q^d
    (one pass, instead of an LP per term); ``None`` (the LPs decide) without pieces (on a
    domain), or if the pieces are not the polynomials' terms, which the hull comparison
    then reports."""
    if pieces is None:
        return None
    pf = [p[k][0] for p in pieces]
    pg = [p[k][1] for p in pieces]
    pfg = [(tuple(a + b for a, b in zip(f[0], g[0])), f[1] + g[1]) for f, g in zip(pf, pg)]
    try:
        return [term_regions_on(f, C, p) for f, p in zip(polys, (pf, pg, pfg))]
    except VerificationError:
        return None


def tropical_checks(net: Network, C: RegionComplex, T: Tropicalization,
                    progress: Progress = _quiet, *,
                    max_terms: int | None = None) -> TropicalChecks:
    """Per output: the cell counts of F, G, F ⊙ G, and the correspondence, two-way
    linear-region and ν = F − G checks.

    *max_terms* bounds the work: a polynomial F, G or F ⊙ G with more terms stops the
    checks with :class:`~tropexact.errors.BudgetExceeded` (the cells of a polynomial
    of T terms cost T exact LPs of T constraints).
    """
    cells, checks, products = [], [], []
    values = [net(r.point) for r in C.regions]
    linear = [len(linear_regions(C, k)) for k in range(len(T.outputs))]
    pieces = final_pieces(net, C) if C.domain is None and isinstance(net, Network) else None
    for k, o in enumerate(T.outputs):
        for name, p in (("F", o.F), ("G", o.G)):
            if max_terms is not None and len(p) > max_terms:
                raise BudgetExceeded(f"{name} of output {k} has {len(p)} terms, more than "
                                     f"max_terms={max_terms}", param="max_terms")
        FG = sum_of_products([(0, [(o.F, 1), (o.G, 1)])], net.input_dim, max_terms=max_terms)
        corr = verify_tropical(o.F, o.G, FG, _cells_from_regions(C, pieces, k, (o.F, o.G, FG)))
        cells.append({"F_cells": corr[0].data.upper_vertices,
                      "G_cells": corr[1].data.upper_vertices,
                      "FG_cells": corr[2].data.upper_vertices})
        products.append(corr[2].data.term_regions)
        checks += [Check(f"correspondence {c.name} (output {k})", c.status, c.detail, c.data)
                   for c in corr]
        if C.domain is None and all(c.passed for c in corr):
            mine = linear[k]
            theirs = len(rational_linear_regions(o.F, o.G, corr[2].data.region_graph))
            checks.append(Check.verdict(
                f"linear regions two ways (output {k})", mine == theirs,
                f"{mine} from the activation regions, {theirs} from the cells of F*G"))
        bad = [i for i, r in enumerate(C.regions) if o.F(r.point) - o.G(r.point) != values[i][k]]
        checks.append(Check.verdict(
            f"nu = F - G at region points (output {k})", not bad,
            f"exact at all {len(C.regions)} interior points" if not bad else
            f"differs at region {bad[0]} (point {fmt_vector(C.regions[bad[0]].point)})"))
        progress("outputs", k + 1, len(T.outputs))
    return TropicalChecks(cells, checks, linear, products)


def _slice_check(net: Network, C: RegionComplex, plane: Plane, full: Network) -> Check:
    bad = [i for i, r in enumerate(C.regions) if full(lift(plane, r.point)) != net(r.point)]
    return Check.verdict(
        "slice = restriction of the network", not bad,
        f"the 2-input network equals the {full.input_dim}-input network at the lifted interior "
        f"points of all {len(C.regions)} regions" if not bad else f"differs at region {bad[0]}")


def _certificate_checks(C: RegionComplex, progress: Progress) -> list:
    """The independent checker on the certificate of C, as one check: ``pass`` when it
    verified every claim (coverage and adjacency included, on every domain), ``fail``
    when it rejected one, ``not run`` when a check's premises did not pass."""
    report = check_certificate(certificates.certificate(C),
                               progress=lambda done, total: progress("checker", done, total))
    name = "certificate (independent checker)"
    failed = [c for c in report.checks if c.failed]
    if failed or report.passed:
        return [Check.verdict(name, not failed,
                              "; ".join(f"{c.name}: {c.detail}" for c in failed) if failed
                              else ", ".join(c.name for c in report.checks) + " passed")]
    undecided = [c for c in report.checks if not c.passed]
    return [Check.not_run(name, "; ".join(f"{c.name}: {c.detail}" for c in undecided))]


def _theorem_checks(net: Network, C: RegionComplex, T: Tropicalization, products: list) -> list:
    """The theorem checks over all of Q^d, sharing C, T and the regions of every F ⊙ G
    (the correspondence is checked per output already)."""
    checks = [check_tropical_identity(net, tropical=T, regions=C, products=products),
              check_zonotopes(net, tropical=T),
              check_decision_boundary(net, 0, tropical=T, regions=C),
              check_bounds(net, regions=C), check_maxout_minkowski(net, regions=C)]
    return [Check(f"theorem: {c.name}", c.status, c.detail, c.data) for c in checks]


def instance_checks(net: Network, C: RegionComplex, T: Tropicalization, *,
                    plane: Plane | None = None, full: Network | None = None,
                    progress: Progress = _quiet, max_terms: int | None = None) -> Verification:
    """Every check of the module docstring on given regions C and tropicalization T of *net*.

    *plane* and *full*: *net* is ``restrict(full, plane)``; the slice is checked too.
    """
    cells, checks, linear, products = tropical_checks(net, C, T, progress, max_terms=max_terms)
    if C.domain is not None:
        checks.append(Check.not_run("linear regions two ways", "the cells of F*G cover all "
                                    "of Q^d; this run has a domain"))
    if plane is not None and full is not None:
        checks.insert(0, _slice_check(net, C, plane, full))
    lin = len(linear_regions(C))
    checks.append(Check.verdict("linear regions <= activation regions", lin <= len(C.regions),
                                f"{lin} <= {len(C.regions)}"))
    for k, (t, lk) in enumerate(zip(cells, linear)):
        checks.append(Check.verdict(f"linear regions <= cells of F*G (output {k})",
                                    lk <= t["FG_cells"], f"{lk} <= {t['FG_cells']}"))
    checks += _certificate_checks(C, progress)
    if isinstance(net, Graph):
        checks.append(Check.not_run("theorem checks", "they are stated for sequential networks; "
                                    "this is a computation graph"))
    elif C.domain is None:
        checks += _theorem_checks(net, C, T, products)
    else:
        checks.append(Check.not_run("theorem checks", "they are checked over all of Q^d; "
                                    "this run has a domain"))
    return Verification(net, C, T, tuple(cells), lin, tuple(checks))


def verify_network(net: Network, domain: Domain | None = None, *, plane: Plane | None = None,
                   full: Network | None = None, max_regions: int | None = None,
                   max_terms: int | None = None, progress: Progress = _quiet) -> Verification:
    """Enumerate the regions of *net* and tropicalize it, once each, then run
    :func:`instance_checks` on them.

    Parameters
    ----------
    net : Network
    domain : Domain, optional
        Default all of Q^d (the theorem checks run only then).
    plane, full : optional
        When *net* is the restriction ``restrict(full, plane)``.
    max_regions : int, optional
        Passed to :func:`tropexact.regions.activation_regions`.
    max_terms : int, optional
        The most terms a polynomial of the tropical part may have (tropicalization,
        F, G and F ⊙ G): past it, :class:`~tropexact.errors.BudgetExceeded`.
    progress : callable, optional
        ``progress(stage, done, total)`` with stage ``"regions"``, ``"layers"``,
        ``"outputs"`` or ``"checker"`` (total None while unknown).
    """
    C = activation_regions(net, domain, max_regions=max_regions,
                           progress=lambda n: progress("regions", n, None))
    # the pieces of F and G are read off the regions over all of Q^d (these, or a
    # second enumeration when the run has a domain)
    if isinstance(net, Graph):
        T = tropicalize_graph(net, max_terms=max_terms,
                              progress=lambda k, L: progress("layers", k, L))
    else:
        T = tropicalize_by_regions(net, C if domain is None else None, count_before=False,
                                   max_terms=max_terms, max_regions=max_regions,
                                   progress=lambda k, L: progress("layers", k, L))
    return instance_checks(net, C, T, plane=plane, full=full, progress=progress,
                           max_terms=max_terms)
