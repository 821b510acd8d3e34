"""Files: the one read path and the one atomic write path of tropexact.

Reading: :func:`read_bytes` maps a user's file errors (missing, a directory,
unreadable) to one-line :class:`~tropexact.errors.InputError` s naming the file;
:func:`load_json` reads JSON *exactly*: decimal literals are read from their
text, so ``0.1`` in a file means 1/10, and ``NaN``/``Infinity`` are refused.

Writing: :func:`check_output` refuses to write over an input file or, unless
asked, over an existing file (:class:`~tropexact.errors.OutputExists`), before
any work is done; :func:`write_atomic` writes to a temporary file next to the
target and moves it into place, so a failed or interrupted write never leaves
a half-written file and never destroys the old one; :func:`append_atomic` adds
lines to a log (a sweep's ``results.jsonl``) all or nothing.  Every write failure
is one :class:`~tropexact.errors.InputError` naming the file.

Examples
--------
>>> loads_exact('{"w": [0.1, "1/3", 2]}')
{'w': [mpq(1,10), '1/3', 2]}
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from typing import Any, Callable, Iterable, Mapping

import gmpy2

from tropexact.errors import InputError, OutputExists
from tropexact.exact.limits import limit
from tropexact.exact.numbers import parse_number

__all__ = ["loads_exact", "read_bytes", "load_json", "load_document", "check_header",
           "check_output",
           "write_atomic",
           "write_json", "append_atomic", "temporary_prefix"]


def _refuse_constant(name: str) -> Any:
    raise InputError(f"{name} is not allowed (numbers must be finite)")


def _parse_int(text: str) -> int:
    """A JSON integer of any size up to the digit limit (Python's int() stops at 4,300)."""
    if len(text) > 4000:
        parse_number(text)  # the digit limit, with its message
        return int(gmpy2.mpz(text))
    return int(text)


def _object(pairs: list) -> dict:
    """A JSON object; a key given twice is an error (the last one would silently win)."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"duplicate key {key!r} in a JSON object")
        out[key] = value
    return out


def _check_nesting(obj: Any) -> None:
    """Refuse documents nested deeper than the limit (TROPEXACT_MAX_NESTING)."""
    most = limit("nesting")
    stack = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > most:
                raise InputError(f"JSON nested deeper than {most} levels "
                                 "(TROPEXACT_MAX_NESTING)")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def loads_exact(text: str) -> Any:
    """Parse JSON exactly: decimal literals become exact rationals, integers of any size
    are read, NaN/Infinity and duplicate keys are errors, nesting is limited."""
    try:
        obj = json.loads(text, parse_float=parse_number, parse_int=_parse_int,
                         parse_constant=_refuse_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply") from None
    _check_nesting(obj)
    return obj


def read_bytes(path: str | os.PathLike, expected: str, size: int = -1) -> bytes:
    """The bytes of a user's file (the first *size* only, if given).

    Only regular files are read (not devices, pipes or directories), and none
    larger than the limit (TROPEXACT_MAX_FILE_BYTES).  Errors read ``cannot read
    FILE: no such file`` (or ``is a directory, expected EXPECTED``, or the reason).
    """
    p = os.fspath(path)
    most = limit("file_bytes")
    try:
        info = os.stat(p)
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise InputError(f"cannot read {p}: not a regular file (a device, a pipe or a "
                             f"socket), expected {expected}")
        if info.st_size > most:
            raise InputError(f"cannot read {p}: {info.st_size} bytes, over the limit of {most} "
                             "(TROPEXACT_MAX_FILE_BYTES)")
        with open(p, "rb") as fh:
            data = fh.read(most + 1 if size < 0 else min(size, most + 1))
    except FileNotFoundError:
        raise InputError(f"cannot read {p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {p}: is a directory, expected {expected}") from None
    except OSError as e:
        raise InputError(f"cannot read {p}: {e.strerror}") from None
    if len(data) > most:
        raise InputError(f"cannot read {p}: larger than the limit of {most} bytes "
                         "(TROPEXACT_MAX_FILE_BYTES)")
    return data


def load_json(path: str | os.PathLike) -> Any:
    """Read a JSON file exactly; errors name the file."""
    p = os.fspath(path)
    raw = read_bytes(p, "a JSON file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", where=p) from None
    try:
        return loads_exact(text)
    except InputError as e:
        raise e.at(p) from None


def check_header(doc: Any, top_keys: Iterable[str], format_name: str, *,
                 format_required: bool = False, required: Iterable[str] = (),
                 hint: str = "") -> None:
    """The checks every document type shares: a JSON object, only the keys *top_keys* at
    the top level (*hint* is added to the list of those allowed), ``format`` equal to
    *format_name* (when present, or always with *format_required*), ``version`` 1 when
    present, and the keys *required* present."""
    if not isinstance(doc, Mapping):
        raise InputError(f"expected a JSON object at the top level, got {type(doc).__name__}")
    allowed = sorted(top_keys)
    unknown = sorted(set(doc) - set(allowed))
    if unknown:
        raise InputError(f"unknown top-level key {unknown[0]!r} "
                         f"(allowed: {', '.join(allowed)}{hint})")
    if (format_required or "format" in doc) and doc.get("format") != format_name:
        raise InputError(f"expected {format_name!r}, got {doc.get('format')!r}", where="format")
    if "version" in doc and (type(doc["version"]) is not int or doc["version"] != 1):
        raise InputError(f"unsupported version {doc['version']!r} (this tropexact reads 1)",
                         where="version")
    for key in required:
        if key not in doc:
            raise InputError(f"missing {key!r}")


def load_document(path: str | os.PathLike, parse: Callable[[Any], Any]) -> Any:
    """``parse(load_json(path))``, its errors located in the file (``FILE: outputs[0]: …``)."""
    doc = load_json(path)
    try:
        return parse(doc)
    except InputError as e:
        raise e.at(os.fspath(path)) from None


def check_output(path: str | os.PathLike, *, overwrite: bool = False,
                 protect: Iterable[str | os.PathLike] = ()) -> str:
    """Refuse to write *path* if it is one of the files in *protect* (the user's input
    files, symbolic links resolved), if it exists and is not a regular file (a
    directory, a device, a pipe: never replaced, even with *overwrite*) or, unless
    *overwrite*, if it exists.

    Returns the path to write: *path* itself or, for a symbolic link to a regular
    file, the file it points to (the link is kept).  Call it before the work whose
    result is written.

    Raises
    ------
    InputError
        *path* is a protected input file, not a regular file, or a dangling link.
    OutputExists
        *path* exists and *overwrite* is false.
    """
    p = os.fspath(path)
    target = os.path.realpath(p)
    if any(os.path.exists(q) and os.path.realpath(q) == target for q in protect):
        raise InputError("is an input file; refusing to write over it", where=p)
    if os.path.isdir(p):
        raise InputError("is a directory, expected a file name to write", where=p)
    if not os.path.lexists(p):
        return p
    if not os.path.exists(p):
        raise InputError("is a dangling symbolic link; refusing to write through it", where=p)
    if not stat.S_ISREG(os.stat(p).st_mode):
        raise InputError("is not a regular file (a device, a pipe or a socket); refusing "
                         "to replace it", where=p)
    if not overwrite:
        raise OutputExists("exists; refusing to overwrite it", where=p)
    return target if os.path.islink(p) else p


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_prefix(path: str, pid: int) -> str:
    """The name every temporary file of :func:`write_atomic` for *path* in process *pid*
    starts with (a random part follows), so that an interrupted run's leftovers can
    be found."""
    return f"{path}.tmp-{pid}-"


def write_atomic(path: str | os.PathLike, content: str | bytes | Callable[[str], Any], *,
                 overwrite: bool = False, protect: Iterable[str | os.PathLike] = ()) -> None:
    """Write *content* to *path* through a new temporary file in the same directory.

    *content* is text (UTF-8), bytes, or a function that writes a file at the
    temporary path it is given (e.g. a figure's ``savefig``).  The checks of
    :func:`check_output` run first; the temporary file is created exclusively (no
    existing file is ever truncated), and on any error it is removed and the old
    *path*, if any, is untouched.
    """
    shown = os.fspath(path)
    p = check_output(path, overwrite=overwrite, protect=protect)
    head, tail = os.path.split(temporary_prefix(p, os.getpid()))
    try:
        fd, tmp = tempfile.mkstemp(prefix=tail, dir=head or ".")
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror}", where=shown) from None
    try:
        try:
            os.fchmod(fd, 0o666 & ~_umask())  # as open() would make it (mkstemp gives 0600)
            with os.fdopen(fd, "wb") as fh:
                if not callable(content):
                    fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            if callable(content):
                content(tmp)
            os.replace(tmp, p)
        except OSError as e:
            raise InputError(f"cannot write: {e.strerror}", where=shown) from None
    except BaseException:  # any failure, an interrupt included: no temporary file is left
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_json(obj: Any, path: str | os.PathLike, *, overwrite: bool = False,
               protect: Iterable[str | os.PathLike] = ()) -> None:
    """:func:`write_atomic` of *obj* as indented JSON with a final newline."""
    write_atomic(path, json.dumps(obj, indent=1) + "\n", overwrite=overwrite, protect=protect)


def append_atomic(path: str | os.PathLike, text: str) -> None:
    """Append *text* (UTF-8) to the regular file *path* (created if missing) and sync it
    to disk, all or nothing: on any failure, an interrupt included, the file is cut back
    to its old length, so a log never ends in a partial record.

    Raises
    ------
    InputError
        *path* is not a regular file, or cannot be written.
    """
    p = os.fspath(path)
    data = text.encode("utf-8")
    try:
        fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o666)
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror}", where=p) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("cannot write: not a regular file", where=p)
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except BaseException as e:
            os.ftruncate(fd, start)
            if isinstance(e, OSError):
                raise InputError(f"cannot write: {e.strerror}", where=p) from None
            raise
    finally:
        os.close(fd)
