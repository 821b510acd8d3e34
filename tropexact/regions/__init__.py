"""Regions: activation regions and linear regions of networks, cells of tropical polynomials.

Layer 5 of tropexact (see ``docs/architecture.md``); the four region notions of
``docs/design.md`` §2 are kept apart:

:mod:`~tropexact.regions.activation`  activation regions by exact cell splitting (notion 1)
:mod:`~tropexact.regions.stream`      the same regions as a stream, and their counts, in bounded memory
:mod:`~tropexact.regions.split`       one enumeration as independent parts (processes, Dask), merged exactly
:mod:`~tropexact.regions.linear`      linear regions and distinct affine maps (notions 2, 3)
:mod:`~tropexact.regions.cells`       the cells of a tropical polynomial and its normal fan (notion 4)
"""

from .activation import ActivationRegion, RegionComplex, activation_regions
from .cells import (TermRegion, TermRegions, cell_containing, normal_fan_graph,
                    rational_linear_regions, term_regions, tropical_cells)
from .stream import RegionCounts, RegionStream, StreamedRegion, count_regions, iter_regions
from .linear import (affine_map_count, enclosing_box, equal_map_components, linear_regions,
                     sign_vector_at)

__all__ = ["ActivationRegion", "RegionComplex", "activation_regions", "linear_regions",
           "equal_map_components", "affine_map_count", "sign_vector_at", "enclosing_box",
           "TermRegion", "TermRegions", "term_regions", "normal_fan_graph", "cell_containing",
           "tropical_cells", "rational_linear_regions", "iter_regions", "count_regions",
           "RegionStream", "StreamedRegion", "RegionCounts"]
