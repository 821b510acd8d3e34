"""``--time-limit S``: a soft alarm inside the command, and a hard stop from outside.

The command runs in a forked child process that leads its own process group, so
the worker processes it starts belong to the group too.

* At S seconds the child's real-time alarm raises :class:`TimeUp`.  It is a
  ``BaseException``: no ``except Exception`` of a model loader and no handler of
  another budget can swallow it.  The command unwinds (temporary files removed,
  pools cancelled) and reports the budget, exit status 2.
* Code that holds the interpreter (a long cdd call in C) cannot run the alarm's
  handler.  :data:`GRACE` seconds later the parent kills the whole group, removes
  the child's temporary files and any partial last line of a sweep log, and reports
  the same one-line error, exit status 2.

Ctrl-C, SIGTERM and SIGHUP sent to the parent are passed on to the group; if the
command has not ended :data:`GRACE` seconds later (it is inside cdd), the group is
killed and the parent exits as interrupted (130, or 128 + the signal).  Without
``--time-limit`` nothing is forked.
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import os
import select
import signal
import sys
import time
import traceback
from typing import Callable, Iterable, Iterator

__all__ = ["TimeUp", "GRACE", "MAX_SECONDS", "TIME_UP", "alarm", "supervise"]

#: seconds between the soft alarm and the hard stop
GRACE = 1.0
#: the longest --time-limit (a year; the real-time alarm takes not much more)
MAX_SECONDS = 365 * 24 * 3600
#: the child's exit status after its soft alarm: the parent alone reports the budget
#: (one line, whether the child stopped itself or had to be stopped)
TIME_UP = 124
#: how often the parent looks at the child (seconds)
_POLL = 0.02


class TimeUp(BaseException):
    """The soft alarm of ``--time-limit`` went off (see the module docstring)."""


@contextlib.contextmanager
def alarm(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeUp` in this process after *seconds* (None: never)."""
    if seconds is None:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def supervise(seconds: float, command: Callable[[], int], outputs: Iterable[str],
              report: Callable[[], int]) -> int:
    """Run *command* in a child process and return its exit status; when it exits with
    :data:`TIME_UP`, or past *seconds* plus :data:`GRACE` (then its process group is
    killed), clean up after it (the temporary files of
    :func:`~tropexact.networks.files.write_atomic` next to each of *outputs*, which
    may be files or directories) and return ``report()``.

    The child writes to this process's standard streams: directly when they are the
    real file descriptors 1 and 2 (a terminal keeps its progress bars), else (a
    notebook, a test's capture) through pipes that this process copies into them.
    """
    streams = [sys.stdout, sys.stderr]
    for stream in streams:
        stream.flush()
    pipes = [None if _is_fd(stream, fd) else os.pipe() for fd, stream in enumerate(streams, 1)]
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its lines run, but not under coverage
        _child(command, pipes)
    for p in pipes:
        if p is not None:
            os.close(p[1])
    with contextlib.suppress(OSError):  # also here: no race with the child's own call
        os.setpgid(pid, pid)
    copies = {p[0]: s for p, s in zip(pipes, streams) if p is not None}
    signals: list = []  # (signal, when) as they arrive
    with _forwarding(pid, signals):
        status = _wait(pid, time.monotonic() + seconds + GRACE, _Copier(copies), signals)
    if status is not None and status != TIME_UP:
        return status
    _clean(pid, outputs)
    if signals:  # the child did not stop within GRACE of the user's signal
        signum = signals[0][0]
        print("tropexact: interrupted" if signum == signal.SIGINT else
              f"tropexact: stopped by signal {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum
    return report()


def _is_fd(stream: object, fd: int) -> bool:
    """Whether *stream* writes to file descriptor *fd* itself."""
    try:
        return stream.fileno() == fd  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _child(command: Callable[[], int], pipes: list) -> None:  # pragma: no cover - child
    """The forked child: its own process group, its output into *pipes* where given,
    the command, and an exit that skips everything the parent still owns."""
    code = 1
    try:
        os.setpgid(0, 0)
        # after a hard stop, multiprocessing's resource tracker (in the group, it ignores
        # SIGTERM) cleans up the workers' semaphores; its warning about them is noise
        os.environ["PYTHONWARNINGS"] = ",".join(filter(None, (
            os.environ.get("PYTHONWARNINGS"),
            "ignore::UserWarning:multiprocessing.resource_tracker")))
        for fd, p in enumerate(pipes, 1):
            if p is not None:
                os.close(p[0])
                os.dup2(p[1], fd)
                os.close(p[1])
                stream = open(fd, "w", encoding="utf-8", errors="replace", buffering=1,
                              closefd=False)
                if fd == 1:
                    sys.stdout = stream
                else:
                    sys.stderr = stream
        code = command()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # a bug: show it as the command would have
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


class _Copier:
    """Copies what the child writes into the pipes to this process's streams."""

    def __init__(self, copies: dict) -> None:
        self.copies = copies
        self.decoders = {fd: codecs.getincrementaldecoder("utf-8")("replace") for fd in copies}

    def pump(self, timeout: float) -> None:
        """Copy what is there, waiting up to *timeout* seconds for something."""
        if not self.copies:
            time.sleep(timeout)
            return
        ready, _, _ = select.select(list(self.copies), [], [], timeout)
        for fd in ready:
            data = os.read(fd, 65536)
            stream = self.copies[fd]
            if not data:  # the child and every process it started have closed it
                stream.write(self.decoders[fd].decode(b"", final=True))
                os.close(fd)
                del self.copies[fd]
            else:
                stream.write(self.decoders[fd].decode(data))
            stream.flush()

    def drain(self) -> None:
        """Copy everything left (the child has ended: the pipes reach their end)."""
        end = time.monotonic() + GRACE
        while self.copies and time.monotonic() < end:
            self.pump(_POLL)
        for fd in list(self.copies):
            os.close(fd)
        self.copies.clear()


def _wait(pid: int, deadline: float, copier: _Copier, signals: list) -> int | None:
    """The child's exit status, or None after stopping its group at *deadline* or
    :data:`GRACE` after a forwarded signal; its output copied meanwhile.  Whatever the
    child leaves running in its group (workers busy in C code) is stopped too."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            _stop_group(pid)
            copier.drain()
            code = os.waitstatus_to_exitcode(status)
            return code if code >= 0 else 128 - code  # killed by a signal: 128 + signal
        now = time.monotonic()
        if now > deadline or (signals and now > signals[0][1] + GRACE):
            _stop_group(pid)
            with contextlib.suppress(ChildProcessError):  # unless _stop_group reaped it
                os.waitpid(pid, 0)
            copier.drain()
            return None
        copier.pump(_POLL)


def _stop_group(pid: int) -> None:
    """SIGTERM to the group (its default action ends even a process inside C code; the
    multiprocessing resource tracker ignores it, cleans up and leaves by itself), then
    SIGKILL to the child if it is still there."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:  # already reaped
            return
        time.sleep(_POLL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def _forwarding(pid: int, signals: list) -> Iterator[None]:
    """Pass the signals a user sends to this process on to the child's group, and
    note each in *signals* as (signal, time)."""
    def forward(signum: int, frame: object) -> None:
        signals.append((signum, time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signum)

    kinds = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = [signal.signal(k, forward) for k in kinds]
    try:
        yield
    finally:
        for k, handler in zip(kinds, previous):
            signal.signal(k, handler)


def _clean(pid: int, outputs: Iterable[str]) -> None:
    """Remove what a killed child *pid* may have left half-written next to *outputs*."""
    from tropexact.networks.files import temporary_prefix  # the one naming rule

    for out in outputs:
        if os.path.isdir(out):
            for name in glob.glob(os.path.join(glob.escape(out), f"*.tmp-{pid}-*")):
                _remove(name)
            _cut_partial_line(os.path.join(out, "results.jsonl"))
        else:  # next to the file written: a link's target
            for name in glob.glob(glob.escape(temporary_prefix(os.path.realpath(out), pid)) + "*"):
                _remove(name)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def _cut_partial_line(path: str) -> None:
    """Cut a JSON Lines file back to its last complete line."""
    with contextlib.suppress(OSError):
        with open(path, "rb+") as fh:
            data = fh.read()
            if data and not data.endswith(b"\n"):
                fh.truncate(data.rfind(b"\n") + 1)
