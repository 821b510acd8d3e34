"""Networks: the exact model, its files, domains, slices, importers and tropicalization.

Layer 4 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.networks.model`        layers and networks with exact rational weights
:mod:`~tropexact.networks.io`           the one read path and the one atomic write path; network files
:mod:`~tropexact.networks.domain`       domains of enumeration: all of Q^d, a box, a polytope
:mod:`~tropexact.networks.slicing`      the exact restriction of a network to a plane
:mod:`~tropexact.networks.tropicalization`  networks → tropical rational maps F ⊘ G
:mod:`~tropexact.networks.convert`      PyTorch, ONNX and numpy importers (loaded lazily)
"""

from .domain import Domain, domain_from_dict, parse_domain
from .io import dump_network, load_json, load_network, network_from_dict, network_to_dict
from .model import Layer, Network, integer_network, network
from .slicing import Plane, lift, parse_plane, plane_from_dict, restrict
from .tropicalization import Tropicalization, tropicalize

__all__ = ["Layer", "Network", "network", "integer_network", "load_network", "dump_network",
           "load_json", "network_from_dict", "network_to_dict", "Domain", "parse_domain",
           "domain_from_dict", "Plane", "parse_plane", "plane_from_dict", "restrict", "lift",
           "Tropicalization", "tropicalize"]
