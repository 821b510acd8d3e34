"""Exact polyhedra: the one place that talks to cddlib.

Layer 2 of tropexact (see ``docs/architecture.md``): it may import
:mod:`tropexact.exact` and :mod:`tropexact.errors`, and nothing above.

Modules
-------
:mod:`~tropexact.polyhedra._cdd`         the boundary to cddlib (GMP mode); the only ``import cdd``
:mod:`~tropexact.polyhedra.polyhedron`   :class:`Polyhedron` (V- and H-representations), faces
:mod:`~tropexact.polyhedra.lp`           exact LP and redundancy removal
:mod:`~tropexact.polyhedra.quickhull`    an integer Quickhull for ``conv(P) + cone(−e_last)``
:mod:`~tropexact.polyhedra.oracle`       upper vertices through a linear-optimisation oracle
:mod:`~tropexact.polyhedra.upper`        upper hulls of lifted point sets (four methods)
:mod:`~tropexact.polyhedra.arrangement`  cells split by hyperplanes, with shared facets
"""

from .lp import LPResult, LPStatus, irredundant, lp
from .oracle import lex_argmax, upper_vertices_from_oracle, upper_vertices_of_sums
from .polyhedron import Face, Polyhedron, faces, from_inequalities, hull
from .upper import UpperHull, upper_hull, upper_hull_vertices, upper_hull_vertices_lp

__all__ = ["Polyhedron", "Face", "hull", "from_inequalities", "faces", "LPStatus", "LPResult",
           "lp", "irredundant", "UpperHull", "upper_hull", "upper_hull_vertices",
           "upper_hull_vertices_lp", "lex_argmax", "upper_vertices_from_oracle",
           "upper_vertices_of_sums"]
