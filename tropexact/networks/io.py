"""Reading and writing networks (DESIGN §5) and JSON with exact numbers.

JSON decimal literals are read from their text, so ``0.1`` in a file means
1/10 exactly; ``NaN``/``Infinity`` literals are refused.  Every error is an
:class:`~tropexact.errors.InputError` naming the file and the place inside it.

Examples
--------
>>> net = network_from_dict(loads_exact('{"input_dim": 1, "layers": [{"weight": [[0.1]],'
...                                     ' "bias": ["1/3"], "activation": "relu"}]}'))
>>> net.layers[0].weight, net.layers[0].bias
(((mpq(1,10),),), (mpq(1,3),))
>>> network_from_dict(network_to_dict(net)) == net
True
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping

from tropexact.errors import InputError
from .model import Network, network
from tropexact.exact.numbers import parse_number

__all__ = ["loads_exact", "load_json", "read_bytes", "network_from_dict", "network_to_dict",
           "load_network", "dump_network", "FORMAT_NAME"]

FORMAT_NAME = "tropexact-network"
_TOP_KEYS = {"format", "version", "input_dim", "layers", "name", "description", "source"}


def _refuse_constant(name: str) -> Any:
    raise InputError(f"{name} is not allowed (numbers must be finite)")


def loads_exact(text: str) -> Any:
    """Parse JSON; decimal literals become exact rationals, NaN/Infinity are errors."""
    def parse_float(s: str) -> Any:
        return parse_number(s)

    try:
        return json.loads(text, parse_float=parse_float, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply") from None


def read_bytes(path: str | os.PathLike, expected: str, size: int = -1) -> bytes:
    """The bytes of a user's file (the first *size* only, if given); errors name the file.

    *expected* says what the file should be ("a JSON file"), for the error on a directory.
    """
    p = os.fspath(path)
    try:
        with open(p, "rb") as fh:
            return fh.read(size)
    except FileNotFoundError:
        raise InputError("no such file", where=p) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected {expected}", where=p) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", where=p) from None


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


def network_from_dict(d: Any) -> Network:
    """Validate a decoded network document (DESIGN §5) into a :class:`Network`."""
    if not isinstance(d, Mapping):
        raise InputError(f"expected a JSON object at the top level, got {type(d).__name__}")
    unknown = sorted(set(d) - _TOP_KEYS)
    if unknown:
        raise InputError(f"unknown top-level key {unknown[0]!r} "
                         f"(allowed: {', '.join(sorted(_TOP_KEYS))})")
    if "format" in d and d["format"] != FORMAT_NAME:
        raise InputError(f"expected {FORMAT_NAME!r}, got {d['format']!r}", where="format")
    if "version" in d and (type(d["version"]) is not int or d["version"] != 1):
        raise InputError(f"unsupported version {d['version']!r} (this tropexact reads 1)",
                         where="version")
    for key in ("input_dim", "layers"):
        if key not in d:
            raise InputError(f"missing {key!r}")
    return network(d["input_dim"], d["layers"])


def network_to_dict(net: Network) -> dict:
    """The inverse of :func:`network_from_dict` (numbers as exact strings)."""
    return net.to_dict()


def load_network(path: str | os.PathLike) -> Network:
    """Read and validate a network file; errors read ``FILE: layers[1].weight[0][2]: …``."""
    d = load_json(path)
    try:
        return network_from_dict(d)
    except InputError as e:
        raise e.at(os.fspath(path)) from None


def dump_network(net: Network, path: str | os.PathLike, *, overwrite: bool = False) -> None:
    """Write a network file; refuses to overwrite an existing file unless asked."""
    p = os.fspath(path)
    if os.path.exists(p) and not overwrite:
        raise InputError("exists; refusing to overwrite (pass overwrite=True)", where=p)
    tmp = p + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(network_to_dict(net), fh, indent=1)
        fh.write("\n")
    os.replace(tmp, p)
