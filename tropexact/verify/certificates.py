"""Region certificates: everything needed to re-check a region count independently.

The format is documented in ``docs/certificates.md``; the checker is
:mod:`tropexact.verify.checker` (plain ``fractions.Fraction``, no cdd, no import from
the rest of tropexact).

Examples
--------
>>> from tropexact.networks.io import load_network
>>> from tropexact.regions import activation_regions
>>> from tropexact.networks.domain import Domain
>>> from tropexact.verify.checker import check_certificate
>>> net = load_network("data/networks/zhang2018_example_c2.json")
>>> cert = certificate(activation_regions(net, Domain.box([-3, -3], [3, 3])))
>>> cert["counts"]
{'activation_regions': 22, 'linear_regions': 16, 'affine_maps': 15}
>>> check_certificate(cert).passed
True

A computation graph's certificate holds the graph, and its positions [node, entry]:

>>> from tropexact.networks.io import load_model
>>> g = load_model("data/networks/residual_graph_2d.json")
>>> cert = certificate(activation_regions(g))
>>> cert["network"]["format"], cert["neurons"], check_certificate(cert).verdict
('tropexact-graph', [[1, 0], [1, 1], [3, 0]], 'verified')
"""

from __future__ import annotations

from itertools import chain

from tropexact.errors import InputError
from tropexact.exact.limits import limit
from tropexact.exact.numbers import fmt
from tropexact.networks.files import write_json
from tropexact.regions import RegionComplex, affine_map_count, linear_regions
from tropexact.regions.units import has_maxout

__all__ = ["certificate", "write_certificate"]


def certificate(C: RegionComplex) -> dict:
    """The JSON-ready certificate of a region complex (docs/certificates.md).

    A network with a maxout layer, and every computation graph, gets the key
    ``"units"`` in every region's ``facets``: the facets of its maxout units (a
    graph's ``max`` outputs) as pairs [g, j] (unit g, its winning piece tying piece
    j); other certificates are unchanged (no such key).  A graph's certificate
    holds the graph document as its network and its positions [node index, entry]
    as ``neurons``.
    """
    regions, maxout = [], has_maxout(C.network)
    for r in C.regions:
        facets = {"neurons": sorted(lab[1] for lab in r.facet_labels if lab[0] == "neuron"
                                    and len(lab) == 2),
                  "domain": sorted(lab[1] for lab in r.facet_labels if lab[0] == "domain")}
        if maxout:  # a unit's facet names the other piece too; absent for other networks
            facets["units"] = sorted([lab[1], lab[2]] for lab in r.facet_labels if len(lab) == 3)
        regions.append({
            "signs": r.signs,
            "point": [fmt(x) for x in r.point],
            "affine_map": {"weight": [[fmt(w) for w in row] for row in r.weight],
                           "bias": [fmt(b) for b in r.bias]},
            "facets": facets,
        })
    groups = linear_regions(C)
    return {
        "format": "tropexact-certificate", "version": 1,
        "network": C.network.to_dict(),
        "domain": {"type": "all"} if C.domain is None else C.domain.to_dict(),
        "neurons": [list(n) for n in C.neurons],
        "regions": regions,
        "adjacency": sorted([min(e), max(e)] for e in C.graph.edges),
        "linear_regions": [list(g) for g in groups],
        "counts": {"activation_regions": len(C.regions), "linear_regions": len(groups),
                   "affine_maps": affine_map_count(C)},
    }


def write_certificate(C: RegionComplex, path: str, *, overwrite: bool = False,
                      protect: tuple = ()) -> None:
    """Write the certificate of *C* to *path* (atomically).

    An existing file is never replaced unless *overwrite*; paths in *protect*
    (the user's input files) are never written.  A certificate holding a number
    longer than the checker reads (2 × TROPEXACT_MAX_DIGITS + 2 characters: interior
    points can be far longer than the network's numbers) is refused, not written.

    Raises
    ------
    InputError
        A number is too long for the checker (raise TROPEXACT_MAX_DIGITS for both).
    """
    cert = certificate(C)
    _check_readable(cert, path)
    write_json(cert, path, overwrite=overwrite, protect=protect)


def _check_readable(cert: dict, path: str) -> None:
    """Refuse a certificate the checker would refuse for the length of a number."""
    most = 2 * limit("digits") + 2
    for r, reg in enumerate(cert["regions"]):
        m = reg["affine_map"]
        for text in chain(reg["point"], chain.from_iterable(m["weight"]), m["bias"]):
            if len(text) > most:
                raise InputError(
                    f"regions[{r}] holds a number of {len(text)} characters, more than the "
                    f"{most} that 'tropexact check' reads (2 x TROPEXACT_MAX_DIGITS + 2); raise "
                    "TROPEXACT_MAX_DIGITS to write this certificate", where=path)
