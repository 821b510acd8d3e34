"""Running independent tasks in this process, in local worker processes, or on Dask.

The sweeps (``search``, ``verify --random``, the exhaustive sweep) split their work
into tasks whose results depend only on their arguments, and consume the results in
task order, so every backend gives the same output.

* :func:`process_pool`: the one factory of local worker pools.
* :func:`task_mapper`: run lists of tasks (rounds) on one backend, kept open
  between rounds: this process, a local pool, or a Dask cluster.
* :func:`ordered_map`: stream the results of a long (lazy) iterable of tasks in
  order, drawing tasks in chunks only as workers free up.

Examples
--------
>>> run, close = task_mapper(abs, workers=1)
>>> run([-1, 2, -3]); close()
[1, 2, 3]
>>> list(ordered_map(abs, iter([-1, 2, -3]), workers=1))
[1, 2, 3]
"""

from __future__ import annotations

import collections
import itertools
import json
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any, Callable, Iterable, Iterator

from tropexact.errors import InputError, RunExists
from tropexact.networks.files import append_atomic, load_json, read_bytes, write_json

__all__ = ["process_pool", "check_workers", "task_mapper", "ordered_map", "completed_map",
           "make_directory", "open_run", "append_records"]


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of *workers* local worker processes.

    The processes are started by the ``forkserver`` method, not ``fork``: forking a
    process that runs threads (a Dask client, say) can deadlock the child.  Tasks
    and their function must be picklable (module-level functions).
    """
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("forkserver"))


def check_workers(workers: int | None) -> int:
    """The number of local worker processes: *workers*, or one per CPU if None; at least
    1 and at most 4 per CPU (at least 8): more CPU-bound processes than that only
    compete for the CPUs, and each holds its own interpreter and data.

    Examples
    --------
    >>> check_workers(2)
    2
    """
    cpus = os.cpu_count() or 1
    n = workers if workers is not None else cpus
    if n < 1:
        raise InputError(f"must be >= 1, got {n}", param="workers")
    limit = max(8, 4 * cpus)
    if n > limit:
        raise InputError(f"must be at most {limit} (4 per CPU of this machine), got {n}",
                         param="workers")
    return n


def task_mapper(fn: Callable, workers: int | None = None,
                dask: Any = None) -> tuple[Callable[[list], list], Callable[[], Any]]:
    """Return (run, close): run(tasks) = [fn(t) for t in tasks], in order, on the backend.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled for worker processes and Dask).
    workers : int, optional
        Local worker processes (default one per CPU; 1 runs in this process).
    dask : str or distributed.Client, optional
        A scheduler address, or a client, to run the tasks on a Dask cluster.
    """
    if dask is not None:
        client, close = _dask_client(dask)

        def run_dask(tasks: list) -> list:
            return client.gather(client.map(fn, tasks, pure=False))

        return run_dask, close
    n = check_workers(workers)
    if n == 1:
        return (lambda tasks: [fn(t) for t in tasks]), (lambda: None)
    pool = process_pool(n)
    # closing cancels the tasks not started (an interrupt or a time limit stops promptly)
    return (lambda tasks: list(pool.map(fn, tasks))), \
        (lambda: pool.shutdown(wait=True, cancel_futures=True))


def _dask_client(dask: Any) -> tuple[Any, Callable[[], Any]]:
    """(client, close) for a scheduler address or an existing client (not closed here)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("needs the optional dependency distributed: pip install "
                         "'tropexact[dask]'", param="dask") from None
    try:
        client = dask if isinstance(dask, Client) else Client(dask, timeout="10s")
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(f"cannot reach the Dask scheduler {dask}: {e}", param="dask") from None
    return client, (lambda: None) if client is dask else client.close


def completed_map(fn: Callable, tasks: Iterable, workers: int | None = 1,
                  dask: Any = None) -> Iterator:
    """Yield ``fn(t)`` for every task as soon as it finishes, in any order.

    For a few long tasks of very different lengths (the parts of one enumeration)
    no worker waits for a slower one: all tasks are submitted at once (to a local
    pool, :func:`process_pool`, or a Dask cluster) and each result is handed over
    when it is ready.  Stopping early cancels what has not started.

    Examples
    --------
    >>> sorted(completed_map(abs, [-3, 1, -2], workers=1))
    [1, 2, 3]
    """
    tasks = list(tasks)
    if dask is not None:
        from distributed import as_completed as dask_completed
        client, close = _dask_client(dask)
        futures = client.map(fn, tasks, pure=False)
        try:
            for f in dask_completed(futures):
                yield f.result()
        finally:
            client.cancel(futures)
            close()
        return
    n = check_workers(workers)
    if n == 1:
        yield from map(fn, tasks)
        return
    pool = process_pool(n)
    try:
        for f in as_completed([pool.submit(fn, t) for t in tasks]):
            yield f.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_chunk(fn: Callable, chunk: list) -> list:
    return [fn(t) for t in chunk]


def ordered_map(fn: Callable, tasks: Iterable, workers: int | None = 1, *,
                chunksize: int = 1) -> Iterator:
    """Yield ``fn(t)`` for each task, in task order, streaming.

    Unlike ``Executor.map``, which submits every task at once, the tasks are drawn
    from *tasks* lazily, *chunksize* at a time, and at most ``2 * workers`` chunks
    are in flight: a generator of millions of tasks is never materialised.  The
    pool (:func:`process_pool`) lives as long as the iteration; stopping early
    cancels the chunks not yet started.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled for the worker processes).
    tasks : iterable
        The tasks, consumed once, in order.
    workers : int, optional
        Local worker processes (``None``: one per CPU; 1 runs in this process).
    chunksize : int
        Tasks sent to a worker at a time.

    Examples
    --------
    >>> list(ordered_map(abs, (k * (-1) ** k for k in range(5)), workers=1, chunksize=2))
    [0, 1, 2, 3, 4]
    """
    n = check_workers(workers)
    if chunksize < 1:
        raise InputError(f"must be >= 1, got {chunksize}", param="chunksize")
    if n == 1:
        return map(fn, tasks)
    return _ordered_pool_map(fn, iter(tasks), n, chunksize)


def _ordered_pool_map(fn: Callable, tasks: Iterator, workers: int,
                      chunksize: int) -> Iterator:
    chunks = iter(lambda: list(itertools.islice(tasks, chunksize)), [])
    pool = process_pool(workers)
    try:
        pending: collections.deque[Future] = collections.deque(
            pool.submit(_run_chunk, fn, c) for c in itertools.islice(chunks, 2 * workers))
        while pending:
            done = pending.popleft().result()
            for c in itertools.islice(chunks, 1):
                pending.append(pool.submit(_run_chunk, fn, c))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def make_directory(path: str, param: str) -> None:
    """Create the directory *path* (and its parents) if missing; a file there, or a
    directory that cannot be made, is a one-line error naming *param*."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise InputError(f"{path} is a file, not a directory", param=param)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create directory {path}: {e.strerror}", param=param) from None


def open_run(out_dir: str, spec_name: str, spec: dict, resume: bool) -> tuple[list, str]:
    """Prepare *out_dir* for a sweep streamed to ``results.jsonl``.

    A new run needs a new or empty directory, which gets ``spec_name`` (the
    settings, JSON).  An existing run is continued only with *resume* and identical
    settings; its records are returned so that the sweep skips them.  Nothing the
    user put there is ever overwritten.
    """
    make_directory(out_dir, "out_dir")
    spec_path = os.path.join(out_dir, spec_name)
    jsonl = os.path.join(out_dir, "results.jsonl")
    records: list[dict] = []
    if not (os.path.exists(spec_path) or os.path.exists(jsonl)):
        if os.listdir(out_dir):  # a run writes best.json etc.: never over the user's files
            raise InputError(f"{out_dir} is not empty and holds no run; choose a new or "
                             "empty directory", param="out_dir")
        write_json(spec, spec_path)
        return records, jsonl
    if not resume:
        raise RunExists(f"{out_dir} already holds a run; resume it or choose another "
                        "directory", param="out_dir")
    try:
        old = load_json(spec_path)
    except InputError as e:
        raise InputError(f"cannot resume: {e}") from None
    if old != spec:
        raise InputError(f"cannot resume: {out_dir} holds a run with different settings "
                         f"(see {spec_name})")
    if os.path.exists(jsonl):
        lines = read_bytes(jsonl, "a JSON Lines file").decode("utf-8", "replace").splitlines()
        for n, line in enumerate(lines, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    raise InputError(f"{jsonl}:{n}: not JSON (a line cut by an "
                                     "interruption? delete it and resume)") from None
    return records, jsonl


def append_records(jsonl: str, records: list) -> None:
    """Append records as JSON Lines (sorted keys), synced to disk, all or nothing
    (:func:`~tropexact.networks.files.append_atomic`)."""
    append_atomic(jsonl, "".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
