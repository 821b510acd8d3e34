"""One enumeration of activation regions spread over many workers, resumable.

:mod:`tropexact.regions.split` cuts an enumeration into independent parts (the
cells of a few first-layer hyperplanes) and merges their results into exactly the
complex -- or exactly the counts -- of a single enumeration.  This module runs the
parts on a backend of :mod:`tropexact.experiments.parallel` (this process, local
worker processes, or a Dask cluster), all at once, taking each result as it
finishes (progress is reported across the workers), and, with a checkpoint
directory, saves every finished part so that a rerun of the same enumeration resumes where the
last one stopped.

**The checkpoint** is a directory holding ``checkpoint.json`` (what is being
enumerated: the network, the domain, the number of parts and whether counts or
regions are kept) and one ``part-NNNNN.pickle`` per finished part, each written
atomically.  A directory holding anything else is refused, and so is a
checkpoint of a different enumeration; a part file that cannot be read, or
holds another part, is a one-line error naming it.  Part files are Python
pickles: resume only from directories you wrote.

Examples
--------
>>> from tropexact.networks.io import load_network
>>> net = load_network("data/networks/zhang2018_example_c2.json")
>>> c = spread_regions(net, counts_only=True, parts=4)
>>> c.activation_regions, c.linear_regions, c.adjacency_edges
(23, 15, 37)
>>> len(spread_regions(net, parts=4).regions)
23
"""

from __future__ import annotations

import functools
import os
import pickle
import re
from typing import Any, Callable

from tropexact.errors import BudgetExceeded, InputError
from tropexact.networks.domain import Domain
from tropexact.networks.files import load_json, write_atomic, write_json
from tropexact.networks.model import Network
from tropexact.regions.activation import RegionComplex
from tropexact.regions.split import (PartCounts, PartRegions, merge, merge_counts, solve,
                                     solve_counts, subproblems)
from tropexact.regions.stream import RegionCounts

from .parallel import check_workers, completed_map, make_directory

__all__ = ["spread_regions", "CHECKPOINT_FORMAT"]

CHECKPOINT_FORMAT = "tropexact-regions-checkpoint"
_MANIFEST = "checkpoint.json"
_PART = re.compile(r"part-(\d{5,})\.pickle\Z")


def _open_checkpoint(path: str, spec: dict) -> dict:
    """Create the checkpoint directory, or check that it holds this enumeration;
    returns the finished parts found there ({index: file})."""
    make_directory(path, "checkpoint")
    manifest = os.path.join(path, _MANIFEST)
    if not os.path.exists(manifest):
        if os.listdir(path):
            raise InputError(f"{path} is not empty and holds no checkpoint; choose a new or "
                             "empty directory", param="checkpoint")
        write_json(spec, manifest)
        return {}
    try:
        old = load_json(manifest)
    except InputError as e:
        raise InputError(f"cannot resume: {e}", param="checkpoint") from None
    if old != spec:
        raise InputError(f"{path} holds the checkpoint of another enumeration (another "
                         f"network, domain, number of parts or kind; see {_MANIFEST})",
                         param="checkpoint")
    found = {}
    for name in os.listdir(path):
        m = _PART.match(name)
        if m:
            found[int(m.group(1))] = os.path.join(path, name)
    return found


def _load_part(file: str, index: int, kind: type) -> Any:
    try:
        with open(file, "rb") as fh:
            R = pickle.load(fh)
    except Exception as e:  # a cut or foreign file: any unpickling error  # noqa: BLE001
        raise InputError(f"{file}: not a readable part ({type(e).__name__}); delete it and "
                         "rerun", param="checkpoint") from None
    if not isinstance(R, kind) or R.index != index:
        raise InputError(f"{file}: does not hold part {index} of this enumeration; delete "
                         "it and rerun", param="checkpoint")
    return R


def spread_regions(net: Network, domain: Domain | None = None, *, workers: int = 1,
                   dask: Any = None, parts: int | None = None, counts_only: bool = False,
                   checkpoint: str | None = None, max_regions: int | None = None,
                   progress: Callable[[int, int], None] | None = None
                   ) -> RegionComplex | RegionCounts:
    """The activation regions of *net* over *domain*, enumerated in parts on workers.

    Parameters
    ----------
    net, domain
        As for :func:`tropexact.regions.activation_regions`.
    workers : int
        Local worker processes (1: this process).
    dask : str or distributed.Client, optional
        Run the parts on a Dask cluster instead.
    parts : int, optional
        Parts wanted (default 32 per worker, 64 on Dask: the parts differ in size by
        factors of ten, and many small ones keep every worker busy to the end).
    counts_only : bool
        Return the counts of :func:`tropexact.regions.stream.count_regions` (each part
        keeps only its border: memory per worker bounded by its part) instead of the
        complex.
    checkpoint : str, optional
        A directory to save finished parts in and resume from (module docstring).
    max_regions : int, optional
        Stop with :class:`~tropexact.errors.BudgetExceeded` beyond this many regions
        (checked per part as it runs, and on the total).
    progress : callable, optional
        ``progress(parts_done, parts)`` after every finished part.

    Returns
    -------
    RegionComplex or RegionCounts
        Identical to the single enumeration's, whatever the workers, parts or backend.
    """
    if dask is None:
        check_workers(workers)
    n_parts = parts if parts is not None else (64 if dask is not None else 32 * workers)
    if n_parts < 1:
        raise InputError(f"must be >= 1, got {n_parts}", param="parts")
    tasks = subproblems(net, domain, n_parts, max_regions=max_regions)
    kind = PartCounts if counts_only else PartRegions
    done: dict[int, Any] = {}
    if checkpoint is not None:
        spec = {"format": CHECKPOINT_FORMAT, "version": 1, "network": net.to_dict(),
                "domain": None if domain is None else domain.to_dict(),
                "parts": len(tasks), "kind": "counts" if counts_only else "regions"}
        for i, file in _open_checkpoint(checkpoint, spec).items():
            if i < len(tasks):
                done[i] = _load_part(file, i, kind)
    todo = [t for t in tasks if t.index not in done]
    fn = functools.partial(solve_counts if counts_only else solve, max_regions=max_regions)
    if progress is not None:
        progress(len(done), len(tasks))
    for R in completed_map(fn, todo, workers=workers, dask=dask):
        done[R.index] = R
        if checkpoint is not None:
            write_atomic(os.path.join(checkpoint, f"part-{R.index:05d}.pickle"),
                         pickle.dumps(R, protocol=pickle.HIGHEST_PROTOCOL))
        if progress is not None:
            progress(len(done), len(tasks))
    results = [done[t.index] for t in tasks]
    out = merge_counts(results) if counts_only else merge(results)
    total = out.activation_regions if counts_only else len(out.regions)
    if max_regions is not None and total > max_regions:
        raise BudgetExceeded(f"more than {max_regions} activation regions; raise the limit or "
                             "restrict the domain", param="max_regions")
    return out
