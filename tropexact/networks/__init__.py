"""Networks: the exact model, its files, domains, slices, importers and tropicalization.

Layer 4 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.networks.activation`   the activation of a layer, a small typed value
:mod:`~tropexact.networks.model`        layers and networks with exact rational weights
:mod:`~tropexact.networks.architecture` architectures (d, n_1, …, n_L, p), validated once
:mod:`~tropexact.networks.files`        the one read path and the one atomic write path
:mod:`~tropexact.networks.io`           network files
:mod:`~tropexact.networks.domain`       domains of enumeration: all of Q^d, a box, a polytope
:mod:`~tropexact.networks.slicing`      the exact restriction of a network to a plane
:mod:`~tropexact.networks.tropicalization`  networks → tropical rational maps F ⊘ G
:mod:`~tropexact.networks.synthesis`    tropical rational maps → networks (the converse)
:mod:`~tropexact.networks.rational_io`  tropical rational map files
:mod:`~tropexact.networks.convert`      PyTorch, ONNX and numpy importers (loaded lazily)
"""

from .architecture import Architecture, architecture
from .domain import Domain, domain_from_dict
from .files import load_json
from .io import dump_network, load_network, network_from_dict, network_to_dict
from .model import Layer, Network, integer_network, network
from .slicing import Plane, lift, make_plane, plane_from_dict, restrict
from .tropicalization import Tropicalization, tropicalize

__all__ = ["Layer", "Network", "network", "integer_network", "load_network", "dump_network",
           "load_json", "network_from_dict", "network_to_dict", "Domain", "domain_from_dict",
           "Architecture", "architecture", "Plane", "make_plane", "plane_from_dict", "restrict",
           "lift",
           "Tropicalization", "tropicalize"]
