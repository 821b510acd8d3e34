"""Network files (docs/design.md §5): documents ↔ :class:`~tropexact.networks.model.Network`.

Files are read through :func:`tropexact.networks.files.load_json` (numbers
exact, errors naming the file and the place inside it) and written through
:func:`tropexact.networks.files.write_json` (atomic, never over an existing file
unless asked).

Examples
--------
>>> from tropexact.networks.files import loads_exact
>>> net = network_from_dict(loads_exact('{"input_dim": 1, "layers": [{"weight": [[0.1]],'
...                                     ' "bias": ["1/3"], "activation": "relu"}]}'))
>>> net.layers[0].weight, net.layers[0].bias
(((mpq(1,10),),), (mpq(1,3),))
>>> network_from_dict(network_to_dict(net)) == net
True
"""

from __future__ import annotations

import os
from typing import Any, Mapping


from .files import check_header, load_document, write_json
from .graph import GRAPH_FORMAT, Graph, graph_from_dict
from .model import Network, network

__all__ = ["network_from_dict", "network_to_dict", "load_network", "load_model", "dump_network",
           "FORMAT_NAME"]

FORMAT_NAME = "tropexact-network"
_TOP_KEYS = {"format", "version", "input_dim", "layers", "name", "description", "source"}


def network_from_dict(d: Any) -> Network:
    """Validate a decoded network document (docs/design.md §5) into a :class:`Network`."""
    check_header(d, _TOP_KEYS, FORMAT_NAME, required=("input_dim", "layers"))
    return network(d["input_dim"], d["layers"])


def network_to_dict(net: Network) -> dict:
    """The inverse of :func:`network_from_dict` (numbers as exact strings)."""
    return net.to_dict()


def load_network(path: str | os.PathLike) -> Network:
    """Read and validate a network file; errors read ``FILE: layers[1].weight[0][2]: …``."""
    return load_document(path, network_from_dict)


def load_model(path: str | os.PathLike) -> Network | Graph:
    """Read a network file or a computation-graph file (``"format": "tropexact-graph"``)."""
    return load_document(path, model_from_dict)


def model_from_dict(d: Any) -> Network | Graph:
    """A decoded network or graph document, told apart by its ``format``."""
    if isinstance(d, Mapping) and d.get("format") == GRAPH_FORMAT:
        return graph_from_dict(d)
    return network_from_dict(d)


def dump_network(net: Network | Graph, path: str | os.PathLike, *, overwrite: bool = False,
                 protect: tuple = ()) -> None:
    """Write a network file; refuses to overwrite an existing file unless asked."""
    write_json(net.to_dict(), path, overwrite=overwrite, protect=protect)
