"""tropexact: exact tropical geometry of ReLU neural networks.

A ReLU network with rational weights is a tropical rational map F ⊘ G
(Zhang, Naitzat and Lim, ICML 2018).  tropexact computes F and G exactly,
reduced to the upper vertices of their extended Newton polytopes, on exact
rationals (gmpy2 ``mpq``) and cddlib in GMP mode.

Examples
--------
>>> from tropexact import load_network, tropicalize
>>> T = tropicalize(load_network("data/networks/zhang2018_example_c2.json"))
>>> [len(T.outputs[0].H), len(T.outputs[0].G), len(T.outputs[0].F)]
[7, 4, 8]
"""

__version__ = "0.1.0"

from tropexact.errors import BudgetExceeded, InputError, TropexactError, VerificationError
from tropexact.exact.numbers import Q, parse_number, to_rational
from tropexact.networks.domain import Domain
from tropexact.networks.io import dump_network, load_network, network_from_dict, network_to_dict
from tropexact.networks.model import Layer, Network, integer_network, network
from tropexact.networks.tropicalization import Tropicalization
from tropexact.regions.pieces import tropicalize
from tropexact.regions import (RegionComplex, activation_regions, affine_map_count,
                               linear_regions, tropical_cells)
from tropexact.verify.correspondence import verify_correspondence, verify_tropical
from tropexact.tropical.polynomial import TropicalPolynomial, variables
from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap
from tropexact.tropical.semiring import MaxPlus

__all__ = [
    "__version__", "BudgetExceeded", "InputError", "TropexactError", "VerificationError",
    "dump_network", "load_network", "network_from_dict", "network_to_dict",
    "Layer", "Network", "integer_network", "network", "Q", "parse_number", "to_rational",
    "TropicalPolynomial", "variables", "TropicalRationalFunction", "TropicalRationalMap",
    "MaxPlus", "Tropicalization", "tropicalize", "Domain", "RegionComplex",
    "activation_regions", "affine_map_count", "linear_regions", "tropical_cells",
    "verify_correspondence", "verify_tropical",
]
