"""Tropical algebra: the max-plus semiring, polynomials, rational maps, Newton polytopes.

Layer 3 of tropexact (see ``docs/architecture.md``); it computes on the
polyhedra below it (pruning to upper hulls) and knows nothing of networks.

:mod:`~tropexact.tropical.semiring`    the max-plus semiring, explicitly
:mod:`~tropexact.tropical.polynomial`  canonical max-plus polynomials (``+`` is ⊕, ``*`` is ⊙)
:mod:`~tropexact.tropical.rational`    tropical rational functions F ⊘ G and maps
:mod:`~tropexact.tropical.products`    reduced sums of products, never expanded
:mod:`~tropexact.tropical.newton`      Newton polytopes and dual subdivisions
:mod:`~tropexact.tropical.expression`  tropical expressions as text (a safe parser)
:mod:`~tropexact.tropical.hypersurface` T(f) as an exact polyhedral complex, weights, balancing
"""

from .newton import (DualSubdivision, dual_subdivision, extended_newton_polytope,
                     newton_polytope, upper_vertices)
from .polynomial import (TropicalPolynomial, expand_power, oplus, otimes,
                         tropical_product_polys, variables)
from .expression import parse_polynomial, parse_rational
from .hypersurface import Hypersurface, hypersurface
from .products import sum_of_products
from .rational import TropicalRationalFunction, TropicalRationalMap
from .semiring import MaxPlus, from_min_plus, to_min_plus, tropical_product, tropical_sum

__all__ = ["MaxPlus", "tropical_sum", "tropical_product", "from_min_plus", "to_min_plus",
           "TropicalPolynomial", "variables", "oplus", "otimes", "expand_power",
           "tropical_product_polys", "TropicalRationalFunction", "TropicalRationalMap",
           "sum_of_products", "newton_polytope", "extended_newton_polytope",
           "dual_subdivision", "DualSubdivision", "upper_vertices", "parse_polynomial",
           "parse_rational", "hypersurface", "Hypersurface"]
