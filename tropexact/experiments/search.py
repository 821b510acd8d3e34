"""Search for networks with many regions, and certified counterexamples to bounds.

The search maximises an exact count (linear or activation regions over all of
Q^d) over integer networks of a fixed architecture, weights and biases in a
range [lo, hi], with random restarts and local search: a *chain* starts from a
random network and, ``chain_length`` times, changes one weight or bias to
another value of the range, keeping the change when the count does not drop.

**Determinism.**  Chain i draws from its own generator seeded with
``f"{seed}:{i}"``, so its whole history depends on (spec, i) only.  Chains
run in rounds of ``round_size`` (fixed, not the number of workers); after
each round the chain records are appended to ``results.jsonl`` in chain order
and the search stops if a chain found a network above the bound.  Hence the
JSON Lines, the best network and the counterexample are the same with one
worker, many local processes, or a Dask cluster.

**Certificates.**  The reported network comes with a region certificate
(docs/certificates.md) over all of Q^d, the domain of the bound it is compared
with; :mod:`tropexact.verify.checker` re-verifies its counts there, coverage of
Q^d and adjacency included.

Examples
--------
>>> spec = SearchSpec(arch=(1, 2, 2, 1), lo=-2, hi=2, budget=40, seed=1)
>>> r = search(spec, workers=1)
>>> r.best_count >= 3, r.evaluations
(True, 40)
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

from tropexact import bounds  # sympy (0.3 s) loads on first use, not in every worker
from tropexact.errors import BudgetExceeded, InputError
from tropexact.exact.numbers import fmt
from tropexact.networks.architecture import architecture
from tropexact.networks.io import dump_network
from tropexact.networks.model import Network, network
from tropexact.regions import activation_regions, linear_regions
from tropexact.verify.certificates import write_certificate

from .parallel import append_records, open_run, task_mapper

__all__ = ["OBJECTIVES", "SearchSpec", "SearchResult", "search", "params_network",
           "split_params", "count", "run_chain", "check_range"]

OBJECTIVES = ("linear_regions", "activation_regions")


@dataclass(frozen=True)
class SearchSpec:
    """What to search: architecture (d, n_1, …, n_L, p), value range, objective, budget.

    ``budget`` is the number of networks evaluated in all; ``bound`` a bound
    name or a formula in d, n1, …, nL (see :mod:`tropexact.bounds`).
    """

    arch: tuple
    lo: int
    hi: int
    budget: int
    seed: int = 0
    objective: str = "linear_regions"
    bound: str | None = None
    chain_length: int = 40
    round_size: int = 8
    max_regions: int = 1_000_000

    def __post_init__(self) -> None:
        arch = architecture(self.arch, param="arch").as_tuple()
        object.__setattr__(self, "arch", arch)
        check_range(self.lo, self.hi)
        if self.objective not in OBJECTIVES:
            raise InputError(f"unknown objective {self.objective!r}; choose from "
                             f"{', '.join(OBJECTIVES)}", param="objective")
        if self.budget < 1:
            raise InputError(f"must be >= 1, got {self.budget}", param="budget")
        if self.chain_length < 0:
            raise InputError(f"must be >= 0, got {self.chain_length}", param="chain_length")
        if self.round_size < 1:
            raise InputError(f"must be >= 1, got {self.round_size}", param="round_size")

    @property
    def nparams(self) -> int:
        a = self.arch
        return sum(a[i + 1] * (a[i] + 1) for i in range(len(a) - 1))

    @property
    def chains(self) -> int:
        return math.ceil(self.budget / (self.chain_length + 1))


@dataclass(frozen=True)
class SearchResult:
    """Outcome: the best network and count, the bound and a counterexample if found."""

    spec: SearchSpec
    best_count: int
    best_network: Network
    best_chain: int
    evaluations: int
    bound_value: int | None = None
    counterexample: bool = False
    records: tuple = field(default=(), repr=False)


def split_params(arch: Sequence[int], params: Sequence[int]) -> list[tuple[list, list]]:
    """(weight rows, biases) per layer from a flat vector: weights row by row, then biases."""
    layers, k = [], 0
    for i in range(len(arch) - 1):
        n_in, n_out = arch[i], arch[i + 1]
        W = [list(params[k + r * n_in:k + (r + 1) * n_in]) for r in range(n_out)]
        k += n_in * n_out
        layers.append((W, list(params[k:k + n_out])))
        k += n_out
    return layers


def params_network(arch: Sequence[int], params: Sequence[int]) -> Network:
    """The network of a flat parameter vector (:func:`split_params`).

    Hidden layers are relu, the output layer identity.
    """
    parts = split_params(arch, params)
    return network(arch[0], [{"weight": W, "bias": b,
                              "activation": "identity" if i == len(parts) - 1 else "relu"}
                             for i, (W, b) in enumerate(parts)])


def count(net: Network, objective: str, max_regions: int | None = None) -> int:
    """The exact objective over all of Q^d."""
    C = activation_regions(net, max_regions=max_regions)
    return len(C.regions) if objective == "activation_regions" else len(linear_regions(C))


def run_chain(spec: SearchSpec, chain: int, bound_value: int | None = None) -> dict:
    """One random restart plus local search; a JSON-ready record (deterministic)."""
    rng = random.Random(f"{spec.seed}:{chain}")
    values = list(range(spec.lo, spec.hi + 1))
    params = [rng.choice(values) for _ in range(spec.nparams)]

    def value(p: list) -> int:
        try:
            return count(params_network(spec.arch, p), spec.objective, spec.max_regions)
        except BudgetExceeded as e:  # only this network's region budget: "more than max"
            if e.param != "max_regions":
                raise
            return spec.max_regions + 1

    best = value(params)
    best_step, evaluations = 0, 1
    remaining = spec.budget - chain * (spec.chain_length + 1)
    steps = min(spec.chain_length, remaining - 1)
    for step in range(1, steps + 1):
        if bound_value is not None and best > bound_value:
            break
        k = rng.randrange(len(params))
        others = [v for v in values if v != params[k]]
        if not others:
            break
        cand = params[:]
        cand[k] = rng.choice(others)
        c = value(cand)
        evaluations += 1
        if c >= best:
            if c > best:
                best_step = step
            best, params = c, cand
    return {"chain": chain, "evaluations": evaluations, "best": best, "best_step": best_step,
            "params": params,
            "exceeds_bound": bound_value is not None and best > bound_value}


def _chain_task(args: tuple) -> dict:
    return run_chain(*args)


def _spec_json(spec: SearchSpec) -> dict:
    d = asdict(spec)
    d["arch"] = list(spec.arch)
    return d


def search(spec: SearchSpec, *, out_dir: str | None = None, workers: int | None = None,
           dask: Any = None, resume: bool = False,
           progress: Callable[[int, int, int], None] | None = None) -> SearchResult:
    """Run the search; with *out_dir*, stream chain records to ``results.jsonl`` there.

    Parameters
    ----------
    workers : int, optional
        Local worker processes (default: one per CPU; 1 runs in this process).
    dask : str or distributed.Client, optional
        A scheduler address (or a client) to run the chains on a Dask cluster.
    resume : bool
        Continue an interrupted search in *out_dir* (the spec must be the same).
    progress : callable, optional
        Called after each round with (networks evaluated, budget, best count).
    """
    bound_value = None
    if spec.bound is not None:
        bound_value = bounds.evaluate_bound(spec.bound, spec.arch)
    records: list[dict] = []
    jsonl = None
    if out_dir is not None:
        records, jsonl = open_run(out_dir, "search.json", _spec_json(spec), resume)
    done = {r["chain"] for r in records}
    found = any(r["exceeds_bound"] for r in records)
    mapper, close = task_mapper(_chain_task, workers, dask)
    try:
        todo = [i for i in range(spec.chains) if i not in done]
        for start in range(0, len(todo), spec.round_size):
            if found:
                break
            batch = todo[start:start + spec.round_size]
            new = mapper([(spec, i, bound_value) for i in batch])
            new.sort(key=lambda r: r["chain"])
            records += new
            if jsonl is not None:
                append_records(jsonl, new)
            found = any(r["exceeds_bound"] for r in new)
            if progress is not None:
                progress(sum(r["evaluations"] for r in records), spec.budget,
                         max(r["best"] for r in records))
    finally:
        close()
    records.sort(key=lambda r: r["chain"])
    if found:
        best = next(r for r in records if r["exceeds_bound"])
    else:
        best = max(records, key=lambda r: (r["best"], -r["chain"]))
    net = params_network(spec.arch, best["params"])
    result = SearchResult(spec, best["best"], net, best["chain"],
                          sum(r["evaluations"] for r in records), bound_value, found,
                          tuple(records))
    if out_dir is not None:
        _write_outputs(result, out_dir)
    return result


def _write_outputs(result: SearchResult, out_dir: str) -> None:
    name = "counterexample" if result.counterexample else "best"
    net_path = os.path.join(out_dir, f"{name}.json")
    cert_path = os.path.join(out_dir, f"{name}.cert.json")
    dump_network(result.best_network, net_path, overwrite=True)
    write_certificate(activation_regions(result.best_network), cert_path, overwrite=True)


#: the most integers a weight range lo..hi may hold (a search draws from the list)
MAX_RANGE = 10_001


def check_range(lo: int, hi: int) -> None:
    """Refuse an empty range of integer weights lo..hi, or one of more than
    :data:`MAX_RANGE` integers."""
    if lo > hi:
        raise InputError(f"needs lo <= hi, got lo={fmt(lo)}, hi={fmt(hi)}", param="lo")
    if hi - lo >= MAX_RANGE:
        raise InputError(f"a weight range may hold at most {MAX_RANGE} integers, got "
                         f"{fmt(hi - lo + 1)}", param="lo")
