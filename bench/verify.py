"""Benchmark: ``tropexact verify`` end to end (wall time and peak memory).

Runs the command line in a fresh process, as a user would, on Example C.2 and on
the seeded integer 2-8-8-1 network of ``bench/tropicalize.py`` (weights and biases
in [-3, 3], seed 0), best of ``--repeat`` runs; peak memory is the child's
maximum resident set size.  ``--tree DIR`` times another checkout of the package
(e.g. the commit before a change) with the same script, for before/after tables.

Usage: python bench/verify.py [--repeat 3] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tropicalize import random_integer_net  # noqa: E402  (the same seeded network)


class Run(NamedTuple):
    seconds: float
    mib: float          # the child's peak resident set size (ru_maxrss)
    code: int           # exit status; -9 when killed at the timeout
    timed_out: bool
    stdout: str
    stderr: str
    group_mib: float = 0.0  # peak of the summed resident memory of the command and its workers


def run(tree: Path, argv: Sequence[str], timeout: float | None = None) -> Run:
    """One ``tropexact ARGV`` run in a fresh process on *tree*'s package, killed (with
    its process group) after *timeout* seconds; peak memory from ``os.wait4``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "tropexact", *argv], env=env, cwd=tree,
                             stdout=out, stderr=err, text=True, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        peak = [0.0]
        stop = threading.Event()
        sampler = threading.Thread(target=_sample_session, args=(p.pid, peak, stop), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        stop.set()
        sampler.join()
        if timer:
            timer.cancel()
        p.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(dt, usage.ru_maxrss / 1024, code, killed.is_set(), out.read(), err.read(),
                   max(peak[0], usage.ru_maxrss / 1024))


def _sample_session(sid: int, peak: list, stop: threading.Event) -> None:
    """The largest sum of resident memory (MiB) over the processes of session *sid* (the
    command and its workers), sampled every 0.1 s: the peak of a multi-process run."""
    page = os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    while not stop.wait(0.1):
        total = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                total += int(fields[21])
        peak[0] = max(peak[0], total * page)


def tropexact(tree: Path, *argv: str) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit status) of one ``tropexact ARGV`` run in a fresh process
    on *tree*'s package; exits with its message on a status other than 0 or 1."""
    r = run(tree, argv)
    if r.code not in (0, 1):
        sys.exit(f"tropexact {' '.join(argv)} failed ({r.code}): {r.stderr.strip()}")
    return r.seconds, r.mib, r.code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tree", default=str(ROOT), help="checkout whose tropexact/ is timed")
    args = ap.parse_args()
    tree = Path(args.tree).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        net2881 = os.path.join(tmp, "integer_2_8_8_1.json")
        with open(net2881, "w", encoding="utf-8") as fh:
            json.dump(random_integer_net([2, 8, 8, 1], 0).to_dict(), fh)
        cases = [("Example C.2 (2-5-1)", str(ROOT / "data/networks/zhang2018_example_c2.json")),
                 ("integer 2-8-8-1, seed 0", net2881)]
        print(f"tree {tree}")
        print(f"{'network':<26}{'seconds (best)':>16}  {'all runs':<32}{'peak MiB':>9}")
        for name, path in cases:
            times, peak, status = [], 0.0, 0
            for _ in range(args.repeat):
                dt, mib, status = tropexact(tree, "verify", path, "--json", "--quiet")
                times.append(dt)
                peak = max(peak, mib)
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(f"{name:<26}{min(times):>16.2f}  {runs:<32}{peak:>9.0f}"
                  + ("" if status == 0 else "  (some check failed)"))


if __name__ == "__main__":
    main()
