"""The enumeration behind ``regions``: in this process, streamed, or spread over workers.

``regions`` needs the whole complex when it runs the tropical phase or writes a
certificate; otherwise (``--no-tropical``) only the counts, which a stream gives in
bounded memory (``--regions-out`` writes every region as it is finished).  With
``--workers``, ``--dask`` or ``--checkpoint`` the enumeration is cut into parts
(:func:`tropexact.experiments.spread.spread_regions`); the answer is identical.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt
from tropexact.experiments.spread import spread_regions
from tropexact.networks.domain import Domain
from tropexact.networks.files import write_atomic
from tropexact.networks.model import Network
from tropexact.regions import RegionComplex, activation_regions
from tropexact.regions.stream import RegionCounts, StreamedRegion, count_regions, counts_of

from .progress import bar

__all__ = ["spread_requested", "check_spread_options", "enumerate_complex", "enumerate_counts",
           "counts_of"]


def spread_requested(args: argparse.Namespace) -> bool:
    """Whether the command line asks for the enumeration in parts."""
    return args.workers != 1 or args.dask is not None or args.checkpoint is not None


def check_spread_options(args: argparse.Namespace) -> None:
    """One-line errors for the combinations that cannot work."""
    if args.workers < 1:
        raise InputError(f"must be >= 1, got {args.workers}", param="workers")
    if args.parts is not None and args.parts < 1:
        raise InputError(f"must be >= 1, got {args.parts}", param="parts")
    if args.parts is not None and not spread_requested(args):
        raise InputError("splits the enumeration for --workers, --dask or --checkpoint; "
                         "give one of them", param="parts")
    if args.regions_out is not None:
        if not args.no_tropical or args.certificate:
            raise InputError("streams the regions without keeping them: it needs "
                             "--no-tropical and no --certificate", param="regions_out")
        if spread_requested(args):
            raise InputError("streams from one process: drop --workers, --dask and "
                             "--checkpoint", param="regions_out")


def _spread(args: argparse.Namespace, net: Network, domain: Domain | None,
            counts_only: bool) -> Any:
    with bar("parts", quiet=args.quiet) as show:
        return spread_regions(net, domain, workers=args.workers, dask=args.dask,
                              parts=args.parts, counts_only=counts_only,
                              checkpoint=args.checkpoint, max_regions=args.max_regions,
                              progress=show)


def enumerate_complex(args: argparse.Namespace, net: Network,
                      domain: Domain | None) -> tuple[RegionComplex, float]:
    """The activation regions over *domain* with the seconds taken."""
    t0 = time.perf_counter()
    if spread_requested(args):
        C = _spread(args, net, domain, False)
    else:
        with bar("regions", quiet=args.quiet) as show:
            C = activation_regions(net, domain, max_regions=args.max_regions, progress=show)
    return C, time.perf_counter() - t0


def _region_line(r: StreamedRegion) -> str:
    R = r.region
    return json.dumps({"index": r.index, "signs": R.signs, "point": [fmt(v) for v in R.point],
                       "map_id": r.map_id, "weight": [[fmt(v) for v in row] for row in R.weight],
                       "bias": [fmt(v) for v in R.bias], "bounded": R.bounded,
                       "neighbours": list(r.neighbours)}) + "\n"


def enumerate_counts(args: argparse.Namespace, net: Network, domain: Domain | None,
                     protect: list) -> tuple[RegionCounts, float]:
    """The counts of ``regions --no-tropical``, streamed (holding no region), or from the
    parts; with ``--regions-out`` every region is written as one JSON line, in a
    temporary file moved into place when the enumeration has finished."""
    t0 = time.perf_counter()
    if spread_requested(args):
        return _spread(args, net, domain, True), time.perf_counter() - t0
    found: list[RegionCounts] = []

    def run(fh: Any = None) -> None:
        with bar("regions", quiet=args.quiet) as show:
            found.append(count_regions(net, domain, max_regions=args.max_regions, progress=show,
                                       on_region=None if fh is None else
                                       (lambda r: fh.write(_region_line(r)))))

    if args.regions_out is None:
        run()
    else:
        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                run(fh)

        write_atomic(args.regions_out, write, overwrite=args.force, protect=protect)
    return found[0], time.perf_counter() - t0
