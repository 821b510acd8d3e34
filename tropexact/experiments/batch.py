"""Theorem checks on many seeded random networks (``tropexact verify --random``).

Network i of a batch draws its weights and biases, integers in [lo, hi], from a
generator seeded with ``f"{seed}:{i}"``; every check of
:func:`tropexact.verify.theorems.check_all` runs on it.  Records stream to
``results.jsonl`` in network order, so local processes, one process and a Dask
cluster give identical files, and ``resume`` continues an interrupted batch.

Examples
--------
>>> recs = verify_random((1, 2, 1), 3, seed=0, workers=1)
>>> [r["index"] for r in recs], all(c["status"] == "pass" for r in recs for c in r["checks"])
([0, 1, 2], True)
>>> summary(recs)[0]
('tropical_identity', {'pass': 3, 'fail': 0, 'not applicable': 0, 'not run': 0})
"""

from __future__ import annotations

import random
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.networks.architecture import architecture

from tropexact.verify.check import Check, tally
from tropexact.verify.theorems import check_all

from .parallel import append_records, open_run, task_mapper
from .search import check_range, params_network

__all__ = ["random_params", "verify_one", "verify_random", "summary", "record_failed"]


def random_params(arch: Sequence[int], lo: int, hi: int, seed: int, index: int) -> list[int]:
    """The parameters of network *index* of a batch (layout of :func:`params_network`)."""
    rng = random.Random(f"{seed}:{index}")
    n = sum(arch[i + 1] * (arch[i] + 1) for i in range(len(arch) - 1))
    return [rng.randint(lo, hi) for _ in range(n)]


def verify_one(task: tuple) -> dict:
    """Run every theorem check on one random network; a JSON-ready record whose checks are
    :meth:`tropexact.verify.check.Check.to_dict` records."""
    arch, lo, hi, seed, index = task
    params = random_params(arch, lo, hi, seed, index)
    checks = check_all(params_network(arch, params))
    return {"index": index, "params": params, "checks": [c.to_dict() for c in checks]}


def record_failed(record: dict) -> bool:
    """Whether some check of a :func:`verify_one` record failed."""
    return any(Check.from_dict(c).failed for c in record["checks"])


def verify_random(arch: Sequence[int], n: int, *, seed: int = 0, lo: int = -2, hi: int = 2,
                  workers: int | None = None, dask: Any = None, out_dir: str | None = None,
                  resume: bool = False, round_size: int = 8,
                  progress: Callable[[int, int, int], None] | None = None) -> list[dict]:
    """Check *n* seeded random networks of architecture *arch*; the records in order."""
    arch = architecture(arch, param="arch").as_tuple()
    if n < 1:
        raise InputError(f"must be >= 1, got {n}", param="n")
    check_range(lo, hi)
    records: list[dict] = []
    jsonl = None
    if out_dir is not None:
        spec = {"arch": list(arch), "n": n, "seed": seed, "lo": lo, "hi": hi}
        records, jsonl = open_run(out_dir, "verify.json", spec, resume)
    done = {r["index"] for r in records}
    todo = [i for i in range(n) if i not in done]
    run, close = task_mapper(verify_one, workers, dask)
    try:
        for start in range(0, len(todo), round_size):
            new = run([(arch, lo, hi, seed, i) for i in todo[start:start + round_size]])
            records += new
            if jsonl is not None:
                append_records(jsonl, new)
            if progress is not None:
                progress(len(records), n, sum(map(record_failed, records)))
    finally:
        close()
    return sorted(records, key=lambda r: r["index"])


def summary(records: Sequence[dict]) -> list[tuple[str, dict]]:
    """Per check, in order of first appearance: (name, {status: count}) over the records."""
    table: dict[str, list] = {}
    for r in records:
        for c in r["checks"]:
            table.setdefault(c["name"], []).append(Check.from_dict(c))
    return [(name, tally(checks)) for name, checks in table.items()]
