"""Independent checker for region certificates (``docs/certificates.md``).

It trusts nothing else in tropexact: it imports only the standard library,
computes with Python integers and :class:`fractions.Fraction` (no floats, no
cdd), parses the network itself and re-derives every geometric fact by brute
force.  docs/certificates.md ("What the checker verifies") gives the argument
in full; in brief:

* The signs fix, node by node, an affine map of x and one strict inequality
  per ``+``/``-`` neuron; a maxout unit's state is the letter of its winning piece
  i and gives z_i - z_j > 0 for every other piece j whose difference is not
  constant (a constant one must be positive, or zero with j > i: the smaller
  index wins a tie); the region is the set of domain points satisfying them.  ``points_inside`` and ``distinct_signs``: the open regions are
  non-empty and pairwise disjoint; ``affine_maps``: ν is the claimed map there.
* Homogenize: a polyhedron Q = {x : b + a·x >= 0} becomes the closed cone
  K(Q) = {(t, x) : t >= 0, b·t + a·x >= 0} in Q^(d+1), and K(Q) ∩ S is a
  polytope for the simplex S = {t >= 0, x_i >= -1, t + Σ x_i <= 1}, whatever
  the domain (all of Q^d, a box, a polytope, bounded or not).  Vertices are
  enumerated exactly (one cut at a time, combinatorial adjacency), volumes
  by pulling triangulations.
* ``closures``: every sign and domain inequality holds at every vertex of
  K(Q_r) ∩ S, Q_r cut out by the named facets alone, so Q_r is the closure.
  ``facets``: each named inequality is a facet of it, no facet is named twice
  and no neuron names a facet lying on the domain's boundary.
  ``coverage``: the volumes of the K(Q_r) ∩ S sum to that of K(D) ∩ S, so the
  closures cover the domain D and no region is missing.
  ``adjacency``: each claimed pair shares a (d-1)-dimensional piece of a named
  facet of both, and on every neuron facet the claimed neighbours' pieces sum
  to the facet's (d-1)-volume, so no pair is missing.
  ``linear_regions``: the groups are the connected components of adjacent
  regions with equal maps; ``counts``: the counts are those of the lists.

A check whose premises did not pass is ``not run``; the verdict is
"verified" only when every check passed (:attr:`Report.verdict`).

**Networks and graphs.**  The network is a sequential network file or a
``tropexact-graph`` computation graph (docs/design.md §5), each read by its own
parser here.  Both become one list of nodes (:class:`_Node`): a layer is an
``affine`` node followed by its activation node (``relu``, ``leaky_relu``, or a
``max`` over its units' rows; none for the identity), so one node-by-node
derivation (:func:`_propagate`) and one forward pass serve both, and a graph's
``add``, ``concat`` and element-wise or grouped ``max`` need no second copy of the
argument: every node's output is an affine map of x on the region, by induction
over the nodes, exactly as over the layers.  The positions of the sign vector are
[layer, i] for a network and [node index, i] for a graph.

Examples
--------
>>> cert = {"format": "tropexact-certificate", "version": 1,
...     "network": {"input_dim": 1, "layers": [{"weight": [[1]], "bias": [0], "activation": "identity"}]},
...     "domain": {"type": "box", "lower": [0], "upper": [1]}, "neurons": [],
...     "regions": [{"signs": "", "point": ["1/2"], "affine_map": {"weight": [[1]], "bias": [0]},
...                  "facets": {"neurons": [], "domain": [0, 1]}}],
...     "adjacency": [], "linear_regions": [[0]],
...     "counts": {"activation_regions": 1, "linear_regions": 1, "affine_maps": 1}}
>>> check_certificate(cert).verdict
'verified'
>>> cert["regions"][0]["point"] = ["2"]
>>> report = check_certificate(cert)
>>> report.verdict, [c.name for c in report.checks if c.failed]
('rejected', ['points_inside'])

A maxout unit abs(x) = max(x, -x) on Q: piece a wins on x > 0, piece b on x < 0, and
each region's facet is named [unit 0, the other piece]:

>>> net = {"input_dim": 1, "layers": [{"weight": [[1], [-1]], "bias": [0, 0],
...                                    "activation": "maxout", "pieces": 2}]}
>>> regions = [{"signs": s, "point": [x], "affine_map": {"weight": [[x]], "bias": [0]},
...             "facets": {"neurons": [], "domain": [], "units": [[0, j]]}}
...            for s, x, j in (("a", 1, 1), ("b", -1, 0))]
>>> cert = {"format": "tropexact-certificate", "version": 1, "network": net,
...     "domain": {"type": "all"}, "neurons": [[0, 0]], "regions": regions,
...     "adjacency": [[0, 1]], "linear_regions": [[0], [1]],
...     "counts": {"activation_regions": 2, "linear_regions": 2, "affine_maps": 2}}
>>> check_certificate(cert).verdict
'verified'

The same function as a computation graph: the max node (node 2, so its position is
[2, 0]) over the entries of two affine nodes; naming the winning piece's node wrong is
a malformed certificate, with the place:

>>> graph = {"format": "tropexact-graph", "input_dim": 1, "output": "m", "nodes": [
...     {"name": "u", "op": "affine", "input": "input", "weight": [[1]], "bias": [0]},
...     {"name": "v", "op": "affine", "input": "input", "weight": [[-1]], "bias": [0]},
...     {"name": "m", "op": "max", "inputs": ["u", "v"]}]}
>>> cert.update(network=graph, neurons=[[2, 0]])
>>> check_certificate(cert).verdict
'verified'
>>> graph["nodes"][2]["inputs"] = ["u", "w"]
>>> check_certificate(cert)
Traceback (most recent call last):
...
tropexact.verify.checker.CertificateError: network.nodes[2].inputs[1]: 'w' is not an earlier node or 'input' (a node reads earlier nodes only: no cycle)
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate
from operator import mul
from typing import Callable, NamedTuple

__all__ = ["CHECK_NAMES", "MAX_FILE_BYTES", "MAX_JSON_DEPTH", "MAX_NUMBER_LENGTH", "MAX_EXPONENT",
           "CertificateError", "TimeLimitExceeded", "Check", "Report", "check_certificate",
           "check_file"]

#: the state of a maxout unit on a region: the letter of its winning piece ('a' the first),
#: as in tropexact.networks.model (copied: the checker imports nothing from tropexact).
PIECE_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

CHECK_NAMES = ("structure", "distinct_signs", "points_inside", "affine_maps", "closures",
               "facets", "coverage", "adjacency", "linear_regions", "counts")

_BAD_LIMITS: list = []  # environment variables that are set but not positive integers


def _env_limit(variable: str, default: int) -> int:
    """The limit the package reads from the environment variable *variable* (the same
    names and defaults as :mod:`tropexact.exact.limits`, read here independently, once,
    when this module is imported), so that whatever the engine reads and writes, the
    checker reads too.  A malformed value is refused when a check starts."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 30) or int(text) <= 0:  # '²' is a digit
        _BAD_LIMITS.append(f"{variable} must be a positive integer, got {text[:40]!r}")
        return default
    return int(text)


#: check_file refuses files larger than this many bytes (its argument max_bytes
#: overrides it); the environment variable TROPEXACT_MAX_FILE_BYTES sets it.
MAX_FILE_BYTES = _env_limit("TROPEXACT_MAX_FILE_BYTES", 256 * 2 ** 20)
#: check_file refuses JSON nested deeper than this (a certificate needs 6);
#: TROPEXACT_MAX_NESTING sets it.
MAX_JSON_DEPTH = _env_limit("TROPEXACT_MAX_NESTING", 64)
#: the longest number accepted, in characters of its literal ("p/q", decimal, JSON
#: integer): a sign and two parts of TROPEXACT_MAX_DIGITS (100,000) digits each.
MAX_NUMBER_LENGTH = 2 * _env_limit("TROPEXACT_MAX_DIGITS", 100_000) + 2
#: the largest absolute exponent of a decimal literal such as "1e-3".
MAX_EXPONENT = 10_000

#: the checks whose pass each check's argument needs (else it is "not run").
_NEEDS = {"closures": ("points_inside",), "facets": ("closures",),
          "coverage": ("distinct_signs", "points_inside", "closures"),
          "adjacency": ("distinct_signs", "points_inside", "closures", "facets"),
          "linear_regions": ("affine_maps", "adjacency"),
          "counts": ("coverage", "affine_maps", "linear_regions")}


class CertificateError(ValueError):
    """A malformed certificate or unreadable file; the one-line message names the place."""


class TimeLimitExceeded(Exception):
    """The time budget given to :func:`check_certificate` or :func:`check_file` ran out."""


@dataclass(frozen=True)
class Check:
    """One named verification: status ``"pass"``, ``"fail"``, ``"not applicable"`` or
    ``"not run"``, and a detail saying what was established, what failed, or why not.

    The same shape as :class:`tropexact.verify.check.Check`, kept here in plain
    standard-library form so that the checker imports nothing from tropexact.
    Only ``"pass"`` is a pass.
    """

    name: str
    status: str
    detail: str
    data: tuple = ()

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass(frozen=True)
class Report:
    """All checks, in the order of :data:`CHECK_NAMES`.

    ``passed`` is true only when every check passed: a check that failed or was
    not run (its premises did not pass) leaves the certificate unverified.
    """

    passed: bool
    checks: tuple[Check, ...]

    @property
    def complete(self) -> bool:
        """Every check passed (the same as :attr:`passed`; kept for callers)."""
        return all(c.passed for c in self.checks)

    @property
    def verdict(self) -> str:
        """``"verified"`` (every check passed), ``"rejected"`` (a check failed) or
        ``"not verified"`` (none failed, but some could not be decided)."""
        if self.complete:
            return "verified"
        return "rejected" if any(c.failed for c in self.checks) else "not verified"


# -- the time budget and progress -----------------------------------------------

class _Clock:
    """The deadline (integer nanoseconds, no floats) and the progress count."""

    def __init__(self, time_limit: object, progress: Callable[[int, int], None] | None) -> None:
        if _BAD_LIMITS:
            raise CertificateError(_BAD_LIMITS[0])
        self.deadline = None
        self.limit = str(time_limit)
        if time_limit is not None:
            try:
                seconds = Fraction(time_limit) if not isinstance(time_limit, bool) else None
            except (TypeError, ValueError, OverflowError):
                seconds = None
            if seconds is None or seconds <= 0:
                raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
            self.deadline = time.monotonic_ns() + math.ceil(seconds * 10 ** 9)
        self.progress, self.done, self.total, self.stage = progress, 0, 1, "reading"

    def tick(self) -> None:
        if self.deadline is not None and time.monotonic_ns() > self.deadline:
            raise TimeLimitExceeded(f"time limit of {self.limit} s reached while {self.stage}")

    def step(self, k: int = 1) -> None:
        self.done += k
        self.tick()
        if self.progress is not None and k:
            self.progress(min(self.done, self.total), self.total)


# -- numbers: exact, any length up to MAX_NUMBER_LENGTH, never through int(str) ---

def _fail(where: str, what: str) -> CertificateError:
    return CertificateError(f"{where}: {what}")


class _Long:
    """A JSON integer literal longer than MAX_NUMBER_LENGTH, refused where it is used."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


_LIMIT = 10 ** MAX_NUMBER_LENGTH
_RATIO = re.compile(r"([+-]?)([0-9]+)/([0-9]+)")
_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,9}))?")


def _digits(s: str) -> int:
    """int(s) for a string of ASCII digits of any length, without Python's 4,300-digit
    conversion limit and without changing it: halves converted separately."""
    if len(s) <= 4000:
        return int(s)
    k = len(s) // 2
    return _digits(s[:-k]) * 10 ** k + _digits(s[-k:])


def _show(x: object) -> str:
    """A value for a message: huge numbers by their size (str() of an int beyond
    4,300 digits raises), long strings cut, containers by their kind."""
    if type(x) is int or type(x) is Fraction:
        f = Fraction(x)
        bits = max(abs(f.numerator), f.denominator).bit_length()
        return str(f) if bits <= 2000 else f"<a number of about {bits * 30103 // 100000} digits>"
    if isinstance(x, _Long):
        return f"<a number of {x.length} characters>"
    if isinstance(x, (list, dict)):
        return "a list" if isinstance(x, list) else "an object"
    return repr(x if not isinstance(x, str) or len(x) <= 40 else x[:37] + "...")


def _too_long(where: str, length: object) -> CertificateError:
    return _fail(where, f"a number of {length} characters, longer than the limit of "
                        f"{MAX_NUMBER_LENGTH} (2 x TROPEXACT_MAX_DIGITS + 2)")


def _num(x: object, where: str) -> Fraction:
    """An exact number: int, Fraction, or a string "p/q", "-3", "0.125", "1e-3"."""
    if type(x) is int or type(x) is Fraction:
        if abs(Fraction(x).numerator) >= _LIMIT or Fraction(x).denominator >= _LIMIT:
            raise _too_long(where, f"more than {MAX_NUMBER_LENGTH}")
        return Fraction(x)
    if isinstance(x, _Long):
        raise _too_long(where, x.length)
    if type(x) is str:
        if len(x) > MAX_NUMBER_LENGTH:
            raise _too_long(where, len(x))
        m = _RATIO.fullmatch(x)
        if m and m[3].strip("0"):
            return Fraction(_digits(m[2]) * (-1 if m[1] == "-" else 1), _digits(m[3]))
        m = None if m else _DECIMAL.fullmatch(x)
        if m and (m[2] or m[3]) and abs(int(m[4] or 0)) <= MAX_EXPONENT:
            frac = m[3] or ""
            v, e = _digits(m[2] + frac) * (-1 if m[1] == "-" else 1), int(m[4] or 0) - len(frac)
            return Fraction(v * 10 ** e) if e >= 0 else Fraction(v, 10 ** -e)
    raise _fail(where, f"not a number ({_show(x)})")


def _get(obj: object, key: str, where: str) -> object:
    if not isinstance(obj, dict):
        raise _fail(where, "expected an object")
    if key not in obj:
        raise _fail(where, f"missing key {key!r}")
    return obj[key]


def _keys(obj: object, required: tuple, optional: tuple, where: str) -> dict:
    """The object, with every required key and no key outside required + optional."""
    for key in required:
        _get(obj, key, where)
    extra = [k for k in obj if k not in required and k not in optional]  # type: ignore[union-attr]
    if extra:
        raise _fail(where, f"unknown key {_show(extra[0])}")
    return obj  # type: ignore[return-value]


def _list(x: object, where: str, length: int | None = None) -> list:
    if not isinstance(x, list):
        raise _fail(where, "expected a list")
    if length is not None and len(x) != length:
        raise _fail(where, f"expected {length} entries, got {len(x)}")
    return x


def _int(x: object, where: str) -> int:
    if isinstance(x, _Long) or (type(x) is int and abs(x) >= _LIMIT):
        raise _too_long(where, getattr(x, "length", f"more than {MAX_NUMBER_LENGTH}"))
    if type(x) is not int:
        raise _fail(where, f"expected an integer, got {_show(x)}")
    return x


def _vec(x: object, where: str, n: int | None = None) -> tuple[Fraction, ...]:
    return tuple(_num(v, f"{where}[{i}]") for i, v in enumerate(_list(x, where, n)))


def _ints(x: object, where: str) -> list[int]:
    return [_int(v, f"{where}[{i}]") for i, v in enumerate(_list(x, where))]


# -- reading a file: regular files only, bounded size and depth, no duplicate keys -

_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DEPTH = {"[": 1, "{": 1, "]": -1, "}": -1}


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """The file's bytes; it must be a regular file (opened without blocking, so a
    FIFO is refused, not waited on) of at most max_bytes bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror or e}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise _fail(path, f"cannot read: {kind}, not a regular file")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(2 ** 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _fail(path, f"larger than the limit of {max_bytes} bytes "
                          "(TROPEXACT_MAX_FILE_BYTES or max_bytes)")
    return data


def _load_json(path: str, max_bytes: int, max_depth: int, clock: _Clock) -> object:
    """The file's JSON: decimal literals kept as strings (read exactly later), long
    integers converted without the int(str) limit, duplicate keys refused."""
    try:
        text = _read_bytes(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(path, f"cannot read JSON: not UTF-8 (byte {e.start})") from None
    clock.tick()
    brackets, depth = _NOT_BRACKETS.sub("", _STRINGS.sub("", text)), 0
    for start in range(0, len(brackets), 2 ** 20):
        clock.tick()
        seen = list(accumulate(map(_DEPTH.__getitem__, brackets[start:start + 2 ** 20]), initial=depth))
        if max(seen) > max_depth:
            raise _fail(path, f"cannot read JSON: nested deeper than the limit of {max_depth} "
                              "(TROPEXACT_MAX_NESTING or max_depth)")
        depth = seen[-1]

    def integer(s: str) -> object:
        clock.tick()
        if len(s) > MAX_NUMBER_LENGTH:
            return _Long(len(s))
        return -_digits(s[1:]) if s.startswith("-") else _digits(s)

    def pairs(items: list) -> dict:
        clock.tick()
        out = dict(items)
        if len(out) != len(items):
            seen: set = set()
            dup = next(k for k, _ in items if k in seen or seen.add(k))
            raise CertificateError(f"{path}: cannot read JSON: duplicate key {_show(dup)}")
        return out

    def constant(name: str) -> object:
        raise CertificateError(f"{path}: cannot read JSON: {name} is not a number")

    try:
        return json.loads(text, parse_float=str, parse_int=integer, parse_constant=constant,
                          object_pairs_hook=pairs)
    except CertificateError:
        raise
    except (ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError
        raise _fail(path, f"cannot read JSON: {e}") from None


# -- parsing the certificate ------------------------------------------------------

class _Node(NamedTuple):
    """A node as the checker evaluates it (sequential layers become nodes too).

    ``op`` is affine, relu, leaky_relu, identity, max, add or concat; ``inputs`` the
    names it reads; ``size`` its output size; ``param`` the affine's (rows, bias)
    (each row the (column, weight) pairs of its nonzero weights), the relu
    threshold, the leaky slope, or a max's pieces ((input name, entry), ...) per
    output; ``pos`` the first number of its positions [pos, i] in ``neurons`` (the
    layer or node index) for relu, leaky_relu and max, else -1.
    """

    name: str
    op: str
    inputs: tuple
    size: int
    param: object = None
    pos: int = -1


#: the most entries of all nodes of a graph together (a chain of concats doubles sizes)
MAX_GRAPH_ENTRIES = 2 ** 22


def _network(net: object, clock: _Clock, w: str = "network") -> tuple[int, list[_Node], str]:
    """(input_dim, nodes, output name) of a network file (docs/design.md §5), read as
    nodes by :func:`_sequential`.  A maxout layer's ``pieces`` k is an integer from 1
    to len(PIECE_LETTERS) dividing the rows: unit u takes the maximum of rows
    u·k … u·k + k − 1, and the layer has rows / k outputs."""
    _keys(net, ("input_dim", "layers"), ("format", "version", "name", "description", "source"), w)
    if net.get("format", "tropexact-network") != "tropexact-network" or \
            (net.get("version", 1) != 1 or type(net.get("version", 1)) is not int):
        raise _fail(w, "not a tropexact-network of version 1")
    d = width = _int(_get(net, "input_dim", w), f"{w}.input_dim")
    if d < 1:
        raise _fail(f"{w}.input_dim", "must be at least 1")
    layers = []
    for l, layer in enumerate(_list(_get(net, "layers", w), f"{w}.layers")):
        clock.tick()
        at = f"{w}.layers[{l}]"
        weight = []
        for i, r in enumerate(_list(_get(layer, "weight", at), f"{at}.weight")):
            clock.tick()
            weight.append(_vec(r, f"{at}.weight[{i}]", width))
        if not weight:
            raise _fail(f"{at}.weight", "no rows")
        bias, kind = _vec(_get(layer, "bias", at), f"{at}.bias", len(weight)), _get(layer, "activation", at)
        if type(kind) is not str or kind not in ("relu", "leaky_relu", "identity", "maxout"):
            raise _fail(f"{at}.activation", f"unknown activation {_show(kind)}")  # [] is unhashable
        extra = {"relu": ("threshold",), "leaky_relu": ("negative_slope",)}.get(kind, ())
        _keys(layer, ("weight", "bias", "activation") + (("pieces",) if kind == "maxout" else ()),
              extra, at)
        if kind == "maxout":
            param = _int(layer["pieces"], f"{at}.pieces")
            if not 1 <= param <= len(PIECE_LETTERS) or len(weight) % param:
                raise _fail(f"{at}.pieces", f"must be an integer from 1 to {len(PIECE_LETTERS)} "
                                            f"dividing the {len(weight)} rows, got {param}")
        elif kind == "relu":
            param = _num(layer.get("threshold", 0), f"{at}.threshold")
        elif kind == "leaky_relu":
            param = _slope(_get(layer, "negative_slope", at), f"{at}.negative_slope")
        else:
            param = Fraction(0)
        layers.append((tuple(weight), bias, kind, param))
        width = len(weight) // param if kind == "maxout" else len(weight)
    if not layers:
        raise _fail(f"{w}.layers", "no layers")
    return (d, *_sequential(layers))


def _slope(x: object, where: str) -> Fraction:
    a = _num(x, where)
    if not 0 < a < 1:
        raise _fail(where, "must lie in (0, 1)")
    return a


def _sequential(layers: list) -> tuple[list[_Node], str]:
    """The nodes of a sequential network: layer l is the affine node ``l``, then (unless
    it is the identity) its activation node ``l+`` with positions [l, i]; a maxout
    layer's unit u is the max of the affine rows u·k … u·k + k − 1."""
    nodes, prev = [], "input"
    for l, (weight, bias, kind, param) in enumerate(layers):
        rows = tuple(tuple((j, w) for j, w in enumerate(row) if w) for row in weight)
        nodes.append(_Node(f"{l}", "affine", (prev,), len(weight), (rows, bias)))
        if kind == "maxout":
            pieces = tuple(tuple((f"{l}", u + i) for i in range(param))
                           for u in range(0, len(weight), param))
            nodes.append(_Node(f"{l}+", "max", (f"{l}",), len(pieces), pieces, l))
        elif kind != "identity":
            nodes.append(_Node(f"{l}+", kind, (f"{l}",), len(weight), param, l))
        prev = nodes[-1].name
    return nodes, prev


_OPS = {"affine": (("weight", "bias"), ()), "relu": ((), ("threshold",)),  # required, optional keys
        "leaky_relu": (("negative_slope",), ()), "identity": ((), ()), "max": ((), ("groups", "pieces")),
        "add": ((), ()), "concat": ((), ())}


def _graph(net: object, clock: _Clock, w: str = "network") -> tuple[int, list[_Node], str]:
    """(input_dim, nodes, output name) of a ``tropexact-graph`` document (docs/design.md
    §5, "Computation graphs"): each node has a new name and reads earlier nodes only
    (so the list is a topological order, with no cycle), the sizes agree, and the
    output names a node."""
    _keys(net, ("format", "input_dim", "nodes", "output"), ("version", "name", "description", "source"), w)
    if net.get("version", 1) != 1 or type(net.get("version", 1)) is not int:  # type: ignore[union-attr]
        raise _fail(w, "not a tropexact-graph of version 1")
    d = _int(net["input_dim"], f"{w}.input_dim")  # type: ignore[index]
    if d < 1:
        raise _fail(f"{w}.input_dim", "must be at least 1")
    sizes, nodes = {"input": d}, []
    for n, spec in enumerate(_list(net["nodes"], f"{w}.nodes")):  # type: ignore[index]
        clock.tick()
        node = _graph_node(spec, n, sizes, clock, f"{w}.nodes[{n}]")
        sizes[node.name] = node.size
        nodes.append(node)
        if sum(sizes.values()) > MAX_GRAPH_ENTRIES:
            raise _fail(f"{w}.nodes[{n}]", f"the nodes have more than {MAX_GRAPH_ENTRIES} entries")
    if not nodes:
        raise _fail(f"{w}.nodes", "no nodes")
    out = net["output"]  # type: ignore[index]
    if type(out) is not str or out not in sizes or out == "input":
        raise _fail(f"{w}.output", f"must name a node, got {_show(out)}")
    return d, nodes, out


def _graph_node(spec: object, n: int, sizes: dict, clock: _Clock, at: str) -> _Node:
    """One node of a graph, checked against the sizes of the nodes before it."""
    op = _get(spec, "op", at)
    if type(op) is not str or op not in _OPS:
        raise _fail(f"{at}.op", f"unknown op {_show(op)} (one of {', '.join(_OPS)})")
    many = op in ("add", "concat") or (op == "max" and "input" not in spec)  # type: ignore[operator]
    _keys(spec, ("name", "op", "inputs" if many else "input") + _OPS[op][0],
          () if many else _OPS[op][1], at)  # an element-wise max has no groups
    name = spec["name"]  # type: ignore[index]
    if type(name) is not str or not name or name in sizes:
        raise _fail(f"{at}.name", f"expected a new, non-empty name, got {_show(name)}")
    ins = _list(spec["inputs"], f"{at}.inputs") if many else [spec["input"]]  # type: ignore[index]
    if not ins:
        raise _fail(f"{at}.inputs", "no inputs")
    for i, u in enumerate(ins):
        if type(u) is not str or u not in sizes:
            raise _fail(f"{at}.inputs[{i}]" if many else f"{at}.input", f"{_show(u)} is not an earlier "
                        "node or 'input' (a node reads earlier nodes only: no cycle)")
    in_sizes = [sizes[u] for u in ins]
    if op == "affine":
        rows, bias = _affine(spec, in_sizes[0], clock, at)
        return _Node(name, op, tuple(ins), len(rows), (rows, bias))
    if op == "concat":
        return _Node(name, op, tuple(ins), sum(in_sizes))
    if op in ("add", "max") and many and len(set(in_sizes)) > 1:
        raise _fail(f"{at}.inputs", f"inputs of different sizes {in_sizes}")
    if op == "max":
        if many and len(ins) > len(PIECE_LETTERS):
            raise _fail(f"{at}.inputs", f"more than {len(PIECE_LETTERS)} inputs (one letter each)")
        pieces = tuple(tuple((u, e) for u in ins) for e in range(in_sizes[0])) if many else \
            _groups(spec, ins[0], in_sizes[0], at)
        return _Node(name, op, tuple(ins), len(pieces), pieces, n)
    if op == "relu":
        return _Node(name, op, tuple(ins), in_sizes[0], _num(spec.get("threshold", 0), f"{at}.threshold"), n)
    if op == "leaky_relu":
        return _Node(name, op, tuple(ins), in_sizes[0], _slope(spec["negative_slope"], f"{at}.negative_slope"), n)
    return _Node(name, op, tuple(ins), in_sizes[0])  # identity, add


def _affine(spec: dict, n: int, clock: _Clock, at: str) -> tuple[tuple, tuple]:
    """(rows, bias) of an affine node reading n entries; each row the (column, weight)
    pairs of its nonzero weights.  The weight is dense (rows of n numbers) or sparse,
    ``{"shape": [m, n], "entries": [[i, j, w], ...]}`` with each (i, j) once."""
    W, w = spec["weight"], f"{at}.weight"
    if not isinstance(W, dict):
        dense = []
        for i, r in enumerate(_list(W, w)):
            clock.tick()
            dense.append(_vec(r, f"{w}[{i}]", n))
        if not dense:
            raise _fail(w, "no rows")
        return (tuple(tuple((j, v) for j, v in enumerate(r) if v) for r in dense),
                _vec(spec["bias"], f"{at}.bias", len(dense)))
    _keys(W, ("shape", "entries"), (), w)
    m, cols = _ints(_list(W["shape"], f"{w}.shape", 2), f"{w}.shape")
    if m < 1 or cols != n:
        raise _fail(f"{w}.shape", f"expected [rows >= 1, {n}] ({n} the input's size), got {[m, cols]}")
    bias = _vec(spec["bias"], f"{at}.bias", m)  # before m rows are made: m is that long
    rows: list[dict] = [{} for _ in range(m)]
    for k, e in enumerate(_list(W["entries"], f"{w}.entries")):
        clock.tick()
        i, j = _ints(_list(e, f"{w}.entries[{k}]", 3)[:2], f"{w}.entries[{k}]")
        if not (0 <= i < m and 0 <= j < n):
            raise _fail(f"{w}.entries[{k}]", f"({i}, {j}) is outside the {m} x {n} matrix")
        if j in rows[i]:
            raise _fail(f"{w}.entries[{k}]", f"entry ({i}, {j}) given twice")
        rows[i][j] = _num(e[2], f"{w}.entries[{k}][2]")
    return tuple(tuple(sorted((j, v) for j, v in r.items() if v)) for r in rows), bias


def _groups(spec: dict, name: str, size: int, at: str) -> tuple:
    """The pieces ((name, entry), ...) of each output of a max over one input: its
    ``groups`` of entries, or ``pieces`` k (consecutive groups of k)."""
    most = len(PIECE_LETTERS)
    if ("groups" in spec) == ("pieces" in spec):
        raise _fail(at, "a max over one input needs 'groups' or 'pieces' (one of them)")
    if "pieces" in spec:
        k = _int(spec["pieces"], f"{at}.pieces")
        if not 1 <= k <= most or size % k:
            raise _fail(f"{at}.pieces", f"must be an integer from 1 to {most} dividing the "
                                        f"input's size {size}, got {k}")
        return tuple(tuple((name, u + i) for i in range(k)) for u in range(0, size, k))
    groups = [_ints(g, f"{at}.groups[{i}]") for i, g in enumerate(_list(spec["groups"], f"{at}.groups"))]
    if not groups:
        raise _fail(f"{at}.groups", "no groups")
    for i, g in enumerate(groups):
        if not 1 <= len(g) <= most:
            raise _fail(f"{at}.groups[{i}]", f"expected 1 to {most} entries (one letter each), got {len(g)}")
        for k, e in enumerate(g):
            if not 0 <= e < size:
                raise _fail(f"{at}.groups[{i}][{k}]", f"index {e} out of range 0..{size - 1}")
    return tuple(tuple((name, e) for e in g) for g in groups)


def _domain(dom: object, d: int, w: str = "domain") -> tuple[str, list[tuple]]:
    """(kind, inequalities (b, a) meaning b + a·x >= 0)."""
    kind = _get(dom, "type", w)
    if kind == "all":
        _keys(dom, ("type",), (), w)
        return "all", []
    if kind == "box":
        _keys(dom, ("type", "lower", "upper"), (), w)
        lo, hi = (_vec(_get(dom, k, w), f"{w}.{k}", d) for k in ("lower", "upper"))
        if not all(l < h for l, h in zip(lo, hi)):
            raise _fail(w, "needs lower < upper in every coordinate")
        unit = [tuple(Fraction(i == j) for j in range(d)) for i in range(d)]
        return "box", [c for i, e in enumerate(unit)
                       for c in ((-lo[i], e), (hi[i], tuple(-a for a in e)))]
    if kind == "polytope":
        _keys(dom, ("type", "inequalities"), (), w)
        rows = _list(_get(dom, "inequalities", w), f"{w}.inequalities")
        return "polytope", [(r[0], r[1:]) for r in (_vec(r, f"{w}.inequalities[{i}]", d + 1)
                                                    for i, r in enumerate(rows))]
    raise _fail(f"{w}.type", f"unknown domain type {_show(kind)}")


@dataclass
class _Certificate:
    """The parsed certificate; numbers are Fractions, maps are (W, b) tuples."""

    d: int
    nodes: list             # the network as _Node's, sequential or graph
    output: str             # the name of the output node
    kind: str               # "all", "box" or "polytope"
    domain: list            # inequalities (b, a): b + a·x >= 0
    neurons: list
    signs: list
    points: list
    maps: list
    facets: list            # [neuron positions, domain inequality indices, unit facets (g, j)]
    adjacency: list
    groups: list
    counts: dict
    states: list            # per position of the sign vector: its alphabet ('+-0' or letters)
    expected: list          # the positions [layer or node index, entry], in order
    places: list            # per position, how messages name it
    is_graph: bool          # the network is a tropexact-graph


def _parse(cert: object, clock: _Clock) -> _Certificate:
    top = "certificate"
    clock.stage = "parsing the certificate"
    _keys(cert, ("format", "version", "network", "domain", "neurons", "regions", "adjacency",
                 "linear_regions", "counts"), (), top)
    version = _int(_get(cert, "version", top), "version")
    if _get(cert, "format", top) != "tropexact-certificate" or version != 1:
        raise _fail(top, "not a tropexact-certificate of version 1")
    net = _get(cert, "network", top)
    is_graph = isinstance(net, dict) and net.get("format") == "tropexact-graph"
    d, nodes, output = (_graph if is_graph else _network)(net, clock)
    kind, domain = _domain(_get(cert, "domain", top), d)
    p = next(node.size for node in nodes if node.name == output)
    states, expected, places = _positions(nodes, is_graph)
    most = max((len(a) for a in states if a != "+-0"), default=0)  # pieces of a max unit
    alphabet = ("+-0" if "+-0" in states or not most else "") + PIECE_LETTERS[:most]
    neurons = [_ints(n, f"neurons[{k}]") for k, n in enumerate(_list(_get(cert, "neurons", top), "neurons"))]
    signs, points, maps, facets = [], [], [], []
    for r, reg in enumerate(_list(_get(cert, "regions", top), "regions")):
        clock.tick()
        at = f"regions[{r}]"
        s, m, f = (_keys(reg, ("signs", "point", "affine_map", "facets"), (), at)[key]
                   for key in ("signs", "affine_map", "facets"))
        _keys(m, ("weight", "bias"), (), f"{at}.affine_map")
        _keys(f, ("neurons", "domain"), ("units",), f"{at}.facets")
        if type(s) is not str or len(s) != len(neurons) or set(s) - set(alphabet):
            raise _fail(f"{at}.signs", f"expected {len(neurons)} characters from {alphabet!r}")
        rows = _list(_get(m, "weight", f"{at}.affine_map"), f"{at}.affine_map.weight", p)
        signs.append(s)
        points.append(_vec(_get(reg, "point", at), f"{at}.point", d))
        maps.append((tuple(_vec(row, f"{at}.affine_map.weight[{i}]", d) for i, row in enumerate(rows)),
                     _vec(_get(m, "bias", f"{at}.affine_map"), f"{at}.affine_map.bias", p)))
        facets.append([_ints(_get(f, k, f"{at}.facets"), f"{at}.facets.{k}") for k in ("neurons", "domain")]
                      + [[tuple(_ints(_list(e, f"{at}.facets.units[{i}]", 2), f"{at}.facets.units[{i}]"))
                          for i, e in enumerate(_list(f.get("units", []), f"{at}.facets.units"))]])
    pairs, groups = (_list(_get(cert, key, top), key) for key in ("adjacency", "linear_regions"))
    counts = _keys(_get(cert, "counts", top), ("activation_regions", "linear_regions", "affine_maps"), (),
                   "counts")
    return _Certificate(
        d, nodes, output, kind, domain, neurons, signs, points, maps, facets,
        [tuple(_ints(e, f"adjacency[{i}]")) for i, e in enumerate(pairs)],
        [_ints(g, f"linear_regions[{i}]") for i, g in enumerate(groups)],
        {k: _int(_get(counts, k, "counts"), f"counts.{k}")
         for k in ("activation_regions", "linear_regions", "affine_maps")}, states, expected, places, is_graph)


def _positions(nodes: list, is_graph: bool) -> tuple[list, list, list]:
    """(alphabets, positions, places): per position of the sign vector, in order, its
    states (``+-0`` for each entry of a relu or leaky relu node, the first k letters
    for each output of a max node over k pieces), its position [pos, i] and its name
    in messages (for a graph, with the node's name); other nodes have none."""
    states, expected, places = [], [], []
    for node in nodes:
        if node.pos < 0:
            continue
        states += [PIECE_LETTERS[:len(p)] for p in node.param] if node.op == "max" else ["+-0"] * node.size
        expected += [[node.pos, i] for i in range(node.size)]
        places += [f"[{node.pos}, {i}]" + (f" of node {_show(node.name)}" if is_graph else "")
                   for i in range(node.size)]
    return states, expected, places


# -- the network --------------------------------------------------------------------

def _propagate(nodes: list, output: str, signs: str, d: int, clock: _Clock) -> tuple[tuple, dict, list]:
    """On the region with these signs: (ν's affine map (W, b), {key: (b, a)} the
    constraints b + a·x > 0 the states impose, [(k, why) for each state at odds with
    a constant]), node by node: every node's output is an affine map of x there.

    A +/- neuron k gives s·(z - t) > 0 (key k); a max unit k in state i gives
    z_i - z_j > 0 for each piece j whose difference is not constant (key (k, j)).  A
    '0' neuron whose z is not the constant t is at odds, and so is a unit with a
    constant z_i - z_j < 0, or = 0 with j < i (the smaller index wins such a tie)."""
    zero = (Fraction(0),) * d
    maps = {"input": (tuple(tuple(Fraction(i == j) for j in range(d)) for i in range(d)), zero)}
    cons: dict = {}
    bad: list = []
    k = 0
    for node in nodes:
        clock.tick()
        ins = [maps[u] for u in node.inputs]
        if node.op == "affine":
            maps[node.name] = _affine_map(node.param, *ins[0], d, clock)
        elif node.op in ("relu", "leaky_relu"):
            maps[node.name] = _neurons(node, *ins[0], signs, k, cons, bad)
        elif node.op == "max":
            maps[node.name] = _units(node, maps, signs, k, cons, bad)
        elif node.op == "add":
            maps[node.name] = (tuple(tuple(map(sum, zip(*rows))) for rows in zip(*(W for W, _ in ins))),
                               tuple(map(sum, zip(*(b for _, b in ins)))))
        elif node.op == "concat":
            maps[node.name] = (tuple(r for W, _ in ins for r in W), tuple(v for _, b in ins for v in b))
        else:  # identity
            maps[node.name] = ins[0]
        k += node.size if node.pos >= 0 else 0
    return maps[output], cons, bad


def _affine_map(param: tuple, W: tuple, b: tuple, d: int, clock: _Clock) -> tuple:
    """The map x ↦ rows·(W x + b) + bias (constant inputs skipped in the linear part)."""
    rows, bias = param
    live = [any(r) for r in W]
    Z = []
    for row in rows:
        clock.tick()
        terms = [(w, W[j]) for j, w in row if live[j]]
        Z.append(tuple(sum(w * r[i] for w, r in terms) for i in range(d)))
    return tuple(Z), tuple(sum(w * b[j] for j, w in row if b[j]) + c0 for row, c0 in zip(rows, bias))


def _neurons(node: _Node, Z: tuple, z: tuple, signs: str, k: int, cons: dict, bad: list) -> tuple:
    """A relu (breakpoint t) or leaky relu (t = 0) node on a region (see
    :func:`_propagate`): its input map Z·x + z gives each entry's constraint (into
    *cons*, *bad*); returns the output map."""
    t = node.param if node.op == "relu" else Fraction(0)
    zero = (Fraction(0),) * len(Z[0]) if Z else ()
    W, b = [], []
    for i, (a, c0) in enumerate(zip(Z, z)):
        s = signs[k + i]
        if s == "0":
            if any(a) or c0 != t:
                bad.append((k + i, "is '0' but not constantly at its breakpoint"))
            a, c0 = zero, t
        else:
            cons[k + i] = (c0 - t, a) if s == "+" else (t - c0, tuple(-v for v in a))
            if s == "-":
                a, c0 = (zero, t) if node.op == "relu" else (tuple(node.param * v for v in a), node.param * c0)
        W.append(a)
        b.append(c0)
    return tuple(W), tuple(b)


def _units(node: _Node, maps: dict, signs: str, k: int, cons: dict, bad: list) -> tuple:
    """A max node on a region (see :func:`_propagate`): each output's pieces, as maps
    of x, give its constraints (into *cons*, *bad*); returns the output map, each
    output the map of its winning piece."""
    W, b = [], []
    for u, pieces in enumerate(node.param):
        z = [(maps[name][0][e], maps[name][1][e]) for name, e in pieces]
        i = PIECE_LETTERS.index(signs[k + u])
        for j, (a_j, c_j) in enumerate(z):
            a = tuple(p - q for p, q in zip(z[i][0], a_j))
            c0 = z[i][1] - c_j
            if j != i and any(a):
                cons[(k + u, j)] = (c0, a)
            elif j != i and (c0 < 0 or (c0 == 0 and j < i)):
                bad.append((k + u, f"is {signs[k + u]!r} but piece {PIECE_LETTERS[j]!r} is " + (
                    "larger by a constant" if c0 < 0 else
                    "the same function there and wins the tie (the smaller index)")))
        W.append(z[i][0])
        b.append(z[i][1])
    return tuple(W), tuple(b)


def _forward(nodes: list, output: str, point: tuple, clock: _Clock) -> tuple:
    """ν(x) by plain evaluation, node by node."""
    vals = {"input": list(point)}
    for node in nodes:
        clock.tick()
        ins, op, param = [vals[u] for u in node.inputs], node.op, node.param
        if op == "affine":
            x = [sum(w * ins[0][j] for j, w in row) + c for row, c in zip(*param)]  # type: ignore[misc]
        elif op == "relu":
            x = [max(z, param) for z in ins[0]]
        elif op == "leaky_relu":
            x = [max(z, param * z) for z in ins[0]]  # type: ignore[operator]
        elif op == "max":
            x = [max(vals[name][e] for name, e in pieces) for pieces in param]  # type: ignore[union-attr]
        elif op == "add":
            x = [sum(vs) for vs in zip(*ins)]
        elif op == "concat":
            x = [v for u in ins for v in u]
        else:
            x = ins[0]
        vals[node.name] = x
    return tuple(vals[output])


def _val(con: tuple, x: tuple) -> Fraction:
    """b + a·x for the constraint con = (b, a)."""
    return con[0] + sum(a * v for a, v in zip(con[1], x))


# -- exact polytopes in homogeneous integer coordinates -----------------------------
#
# Space Q^n, n = d + 1, coordinates y = (t, x).  A row (c, r_0, ..., r_d) of integers
# means c + r·y >= 0; a point y = (p_0, ..., p_d)/q (q > 0) is the integer vector
# w = (q, p_0, ..., p_d), so the row's value has the sign of the dot product row·w.
# A vertex is (w, mask): mask has bit i set when row i is tight at it.

def _dot(row: tuple, w: tuple) -> int:
    return sum(map(mul, row, w))


def _primitive(v: tuple) -> tuple[int, ...]:
    """The positive multiple of a rational vector with coprime integer entries."""
    s = math.lcm(*(x.denominator for x in v))
    ints = [x.numerator * (s // x.denominator) for x in v]
    g = math.gcd(*ints)
    return tuple(x // g for x in ints) if g > 1 else tuple(ints)


def _homogenized(con: tuple) -> tuple[int, ...]:
    """The row of b·t + a·x >= 0 for the constraint b + a·x >= 0 (primitive)."""
    return (0,) + _primitive((con[0],) + tuple(con[1]))


def _eliminate(rows: list, clock: _Clock | None = None) -> tuple[int, int]:
    """(rank, determinant) of an integer matrix by fraction-free (Bareiss)
    elimination; the determinant is 0 unless square and invertible.  Below the
    pivot rows, the columns before the current one are zero and are left alone."""
    m, rank, pivot, sign = [list(r) for r in rows], 0, 1, 1
    width = len(m[0]) if m else 0
    for c in range(width):
        if clock is not None:
            clock.tick()
        p = next((i for i in range(rank, len(m)) if m[i][c]), None)
        if p is None:
            continue
        if p != rank:
            m[rank], m[p], sign = m[p], m[rank], -sign
        top, pc = m[rank][c:], m[rank][c]
        for i in range(rank + 1, len(m)):  # the division is exact (Sylvester's identity)
            f = m[i][c]
            if f:
                m[i][c:] = [(x * pc - f * y) // pivot for x, y in zip(m[i][c:], top)]
            elif pc != pivot:  # the row only scales (its zeros stay: sparse rows are cheap)
                m[i][c:] = [x * pc // pivot if x else 0 for x in m[i][c:]]
        pivot, rank = pc, rank + 1
        if rank == len(m):
            break
    return rank, sign * pivot if rank == len(m) == width else 0


def _rank(verts: list) -> int:
    """Affine dimension + 1 of the vertices (w, mask)."""
    return _eliminate([w for w, _ in verts])[0] if verts else 0


def _simplex(d: int) -> list[tuple]:
    """The vertices of the simplex S = {t >= 0 (row 0), 1 + x_i >= 0 (row 1 + i),
    1 - t - Σ x_i >= 0 (row d + 1)} with their masks.  Near 0, S is the half-space
    t >= 0 (0 is strictly inside every row but the first), so a cone K is covered by
    cones K_r when K ∩ S is covered by the K_r ∩ S (scale any point of K into S)."""
    minus, every = (-1,) * d, (1 << (d + 2)) - 1
    out = [((1, 0) + minus, every & ~(1 << (d + 1))), ((1, d + 1) + minus, every & ~1)]
    for i in range(d):
        out.append(((1, 0) + minus[:i] + (d,) + minus[i + 1:], every & ~(1 << (i + 1))))
    return out


def _clip(verts: list, row: tuple, bit: int, clock: _Clock) -> list:
    """The vertices of polytope ∩ {row >= 0}: those kept, and the cut point of each
    edge from a vertex with row > 0 to one with row < 0.  Two vertices span an edge
    exactly when no third vertex is tight at every row tight at both (the smallest
    face containing both has only them as vertices); the rows tight on an edge of a
    polytope in Q^n have rank n - 1, so fewer than n - 1 common rows rule it out."""
    vals = [_dot(row, w) for w, _ in verts]
    out = [(w, m | bit if v == 0 else m) for (w, m), v in zip(verts, vals) if v >= 0]
    neg = [i for i, v in enumerate(vals) if v < 0]
    if not neg:
        return out
    masks, need = [m for _, m in verts], len(verts[0][0]) - 2
    for i, vi in enumerate(vals):
        if vi <= 0:
            continue
        clock.tick()
        for j in neg:
            common = masks[i] & masks[j]
            if common.bit_count() < need:
                continue
            clock.tick()
            if any(k != i and k != j and mk & common == common for k, mk in enumerate(masks)):
                continue
            vj = -vals[j]  # the point vi·w_j + vj·w_i has row value vi·(-vj) + vj·vi = 0
            w = [vi * a + vj * b for a, b in zip(verts[j][0], verts[i][0])]
            g = math.gcd(*w)
            out.append((tuple(x // g for x in w), common | bit))
    return out


def _polytope(rows: list, first_bit: int, d: int, clock: _Clock) -> list:
    """The vertices of K ∩ S, K = {row >= 0 for the (homogenized) rows}; row i gets
    bit first_bit + i."""
    verts = _simplex(d)
    for i, row in enumerate(rows):
        verts = _clip(verts, row, 1 << (first_bit + i), clock)
        if not verts:
            break
    return verts


def _volume(verts: list, clock: _Clock, drop: int | None = None) -> Fraction:
    """Exact volume of the polytope with these vertices, by a pulling triangulation:
    cone from the face's first vertex over its facets that miss it, recursively.
    The facets of a face are its maximal proper subfaces, each the vertices tight at
    one more row.  With *drop*, the (n-1)-volume of the polytope's projection
    forgetting coordinate w[drop] (for a polytope lying in a hyperplane).

    A polytope with one vertex more than its dimension is a simplex (one
    determinant).  The recursion over faces runs on an explicit stack, so its depth,
    the dimension, meets no recursion limit."""
    if not verts:
        return Fraction(0)
    masks = [m for _, m in verts]
    pts = [w if drop is None else w[:drop] + w[drop + 1:] for w, _ in verts]
    k = len(pts[0]) - 1
    if len(pts) == k + 1:  # a simplex, or flat (determinant 0)
        pieces = [tuple(range(len(pts)))]
    else:
        pieces = _pulling(masks, (1 << len(pts)) - 1, clock)
    total = Fraction(0)
    for s in pieces:
        clock.tick()
        if len(s) == k + 1:  # lower-dimensional pieces add nothing
            det = _eliminate([pts[i] for i in s], clock)[1]
            total += Fraction(abs(det), math.prod(pts[i][0] for i in s))
    return total / math.factorial(k)


def _facets_of(masks: list, face: int) -> list[int]:
    """The facets of a face (a bit set of vertices): its maximal proper subfaces,
    each the face's vertices tight at one more row."""
    idx = [i for i in range(len(masks)) if face >> i & 1]
    every, some = -1, 0
    for i in idx:
        every, some = every & masks[i], some | masks[i]
    cands, rows = set(), some & ~every
    while rows:
        bit = rows & -rows
        rows ^= bit
        cands.add(sum(1 << i for i in idx if masks[i] & bit))
    return [g for g in cands if not any(g != h and g & h == g for h in cands)]


def _pulling(masks: list, top: int, clock: _Clock) -> list[tuple]:
    """The simplices (tuples of vertex indices) of the pulling triangulation of the
    face *top*: a vertex alone, or the face's first vertex (its apex) joined to each
    simplex of each facet missing it; computed depth first on an explicit stack."""
    memo: dict[int, list[tuple]] = {}
    below: dict[int, list[int]] = {}  # face -> its facets missing its apex
    stack = [top]
    while stack:
        face = stack[-1]
        if face in memo:
            stack.pop()
            continue
        clock.tick()
        apex = (face & -face).bit_length() - 1
        if face == 1 << apex:
            memo[face] = [(apex,)]
            stack.pop()
            continue
        if face not in below:
            below[face] = [g for g in _facets_of(masks, face) if not g >> apex & 1]
        todo = [g for g in below[face] if g not in memo]
        if todo:
            stack.extend(todo)
            continue
        memo[face] = [(apex,) + s for g in below.pop(face) for s in memo[g]]
        stack.pop()
    return memo[top]


def _point(w: tuple) -> str:
    """A vertex (t, x) of a homogenized polytope as a point x/t of Q^d or, at t = 0, a direction."""
    if w[1] > 0:
        return "the point (" + ", ".join(_show(Fraction(x, w[1])) for x in w[2:]) + ")"
    g = math.gcd(*w[2:]) or 1
    return "the direction (" + ", ".join(_show(x // g) for x in w[2:]) + ")"


# -- the checks ---------------------------------------------------------------------

@dataclass
class _Regions:
    """What the checks share: the derived maps and constraints, and the homogenized
    geometry (the named rows of each region, labelled, and the vertices of K(Q_r) ∩ S)."""

    derived: list          # per region: (map, {key: constraint}, [(k, why) states at odds])
    sign_rows: list        # per region: {key: homogenized constraint}, key k or (unit g, piece j)
    domain_rows: list      # homogenized domain inequalities
    named: list            # per region: [(label, row)], label ("neuron", k), ("unit", g, j) or ("domain", i)
    verts: list            # per region: vertices of K(Q_r) ∩ S, Q_r cut out by the named rows
    base: int              # bit of a region's first named row (rows 0..d+1 are S's)

    def bit(self, e: int) -> int:
        return 1 << (self.base + e)


def _label(c: _Certificate, label: tuple) -> str:
    if label[0] == "unit":
        return f"unit {label[1]} {c.places[label[1]]} against piece {PIECE_LETTERS[label[2]]!r}"
    return f"neuron {label[1]} {c.places[label[1]]}" if label[0] == "neuron" else \
        f"domain inequality {label[1]}"


def _state(c: _Certificate, r: int, key: object) -> str:
    """The state behind constraint *key* of region r, for messages."""
    if isinstance(key, tuple):  # maxout unit g against piece j
        g, j = key
        return (f"state {c.signs[r][g]!r} of unit {g} {c.places[g]} (piece {c.signs[r][g]!r} "
                f"above piece {PIECE_LETTERS[j]!r})")
    return f"sign {c.signs[r][key]!r} of neuron {key} {c.places[key]}"


def _structure(c: _Certificate) -> list[str]:
    """Consistency between the parts, so that every index used later is valid."""
    n, bad = len(c.signs), []
    expected = c.expected
    bad += [] if c.neurons == expected else [f"neurons should be {expected}"]
    bad += [] if n else ["no regions"]
    for r, s in enumerate(c.signs if c.neurons == expected else ()):
        bad += [f"region {r}: {s[k]!r} is not a state of {'neuron' if a == '+-0' else 'unit'} {k} "
                f"{c.places[k]} (one of {a!r})" for k, a in enumerate(c.states) if s[k] not in a]
    n_states = min(len(c.neurons), len(c.states))
    for r, (fn, fd, fu) in enumerate(c.facets):
        bad += [f"region {r}: facet neuron {k} is not a +/- neuron" for k in fn
                if not (0 <= k < len(c.neurons) and c.signs[r][k] in "+-")]
        bad += [f"region {r}: facet unit {list(e)} is not a maxout unit and another of its pieces"
                for e in fu if not (0 <= e[0] < n_states and c.states[e[0]] != "+-0"
                                    and 0 <= e[1] < len(c.states[e[0]])
                                    and c.signs[r][e[0]] != PIECE_LETTERS[e[1]])]
        bad += [f"region {r}: no domain inequality {i}" for i in fd if not 0 <= i < len(c.domain)]
        bad += [f"region {r}: a facet is listed twice" for f in (fn, fd, fu) if len(set(f)) != len(f)][:1]
    bad += [f"adjacency[{e}]: {list(pair)} is not a pair i < j of regions"
            for e, pair in enumerate(c.adjacency) if len(pair) != 2 or not 0 <= pair[0] < pair[1] < n]
    return bad + ([] if len(set(c.adjacency)) == len(c.adjacency) else ["adjacency lists a pair twice"])


def _points_inside(c: _Certificate, R: _Regions, clock: _Clock) -> list[str]:
    bad = []
    for r, (x, (_, cons, zeros)) in enumerate(zip(c.points, R.derived)):
        clock.tick()
        bad += [f"region {r}: point not strictly inside domain inequality {i}"
                for i, con in enumerate(c.domain) if _val(con, x) <= 0]
        bad += [f"region {r}: point violates {_state(c, r, k)}" for k, con in cons.items()
                if _val(con, x) <= 0]
        bad += [f"region {r}: {'neuron' if c.states[k] == '+-0' else 'unit'} {k} {c.places[k]} "
                f"{why}" for k, why in zeros]
    return bad


def _affine_maps(c: _Certificate, R: _Regions, clock: _Clock) -> list[str]:
    bad = []
    for r, (x, (W, b)) in enumerate(zip(c.points, c.maps)):
        clock.tick()
        bad += [] if R.derived[r][0] == (W, b) else [f"region {r}: affine_map differs from the map its signs give"]
        if _forward(c.nodes, c.output, x, clock) != tuple(sum(w * v for w, v in zip(row, x)) + o for row, o in zip(W, b)):
            bad.append(f"region {r}: affine_map at the point differs from the forward pass")
    return bad


def _closures(c: _Certificate, R: _Regions, clock: _Clock) -> list[str]:
    """Enumerate K(Q_r) ∩ S for the named rows; every sign constraint and every domain
    inequality must hold at every vertex (then on K(Q_r) ∩ S by convexity, on K(Q_r)
    by scaling, on Q_r at t = 1): Q_r is contained in, hence equal to, the closure."""
    bad = []
    for r in range(len(c.signs)):
        R.verts.append(_polytope([row for _, row in R.named[r]], R.base, c.d, clock))
        clock.step()
        tests = [(f"the {_state(c, r, k)}", row) for k, row in R.sign_rows[r].items()]
        for what, row in tests + [(f"domain inequality {i}", row) for i, row in enumerate(R.domain_rows)]:
            w = next((w for w, _ in R.verts[r] if _dot(row, w) < 0), None)
            if w is not None:
                bad.append(f"region {r}: its named facets allow {_point(w)}, which violates {what}")
                break
    return bad


def _facets(c: _Certificate, R: _Regions, clock: _Clock) -> list[str]:
    """Each named row is a facet: its face of K(Q_r) ∩ S has dimension d and points
    with t > 0; no two name one facet (equal primitive rows); no neuron names a facet
    lying on a domain inequality's hyperplane (that facet is the domain's)."""
    bad, domain = [], {}
    for i, row in enumerate(R.domain_rows):
        domain.setdefault(row, i)
    for r, named in enumerate(R.named):
        clock.step()
        seen: dict = {}
        for e, (label, row) in enumerate(named):
            face = [v for v in R.verts[r] if v[1] & R.bit(e)]
            name = _label(c, label)
            if not any(w[1] > 0 for w, _ in face) or _rank(face) != c.d + 1:
                bad.append(f"region {r}: {name} is named but is not a facet of its closure")
            elif row in seen:
                bad.append(f"region {r}: {seen[row]} and {name} name the same facet")
            elif label[0] != "domain" and row in domain:
                bad.append(f"region {r}: the facet of {name} lies on domain inequality "
                           f"{domain[row]}, which is not named instead")
            seen.setdefault(row, name)
    return bad


def _coverage(c: _Certificate, R: _Regions, clock: _Clock) -> tuple[list[str], str]:
    """The open regions are disjoint, so are the interiors of the cones K(Q_r); their
    pieces K(Q_r) ∩ S lie in K(D) ∩ S, and equal total volume leaves no gap."""
    total = Fraction(0)
    for verts in R.verts:
        total += _volume(verts, clock)
        clock.step()
    whole = _volume(_polytope(R.domain_rows, R.base, c.d, clock), clock)
    clock.step()
    where = {"all": f"Q^{c.d}", "box": "the box", "polytope": "the polytope"}[c.kind]
    if total != whole:
        return [f"the regions' homogenized volumes sum to {_show(total)}, {_show(whole)} would "
                f"cover {where}: {'a region is missing' if total < whole else 'regions overlap'}"], ""
    return [], f"the {len(R.verts)} closures cover {where} (homogenized volumes sum to {_show(whole)})"


def _adjacency(c: _Certificate, R: _Regions, clock: _Clock) -> list[str]:
    """Each claimed pair shares a d-dimensional piece of K(Q_i) ∩ K(Q_j) ∩ S inside
    opposite named neuron facets of both; on every neuron facet of every region the
    claimed pieces' volumes (in one coordinate projection of its hyperplane) sum to
    the facet's, so the claimed neighbours cover it and no neighbour is missing."""
    bad, covered, n = [], {}, c.d + 1
    index = [{row: e for e, (label, row) in enumerate(named) if label[0] != "domain"}
             for named in R.named]
    for i, j in c.adjacency:
        clock.step()
        found = None
        for e, (label, row) in enumerate(R.named[i]):
            f = index[j].get(tuple(-x for x in row)) if label[0] != "domain" else None
            if f is None:
                continue
            piece = [v for v in R.verts[i] if v[1] & R.bit(e)]
            for g, (_, other) in enumerate(R.named[j]):
                piece = _clip(piece, other, R.bit(len(R.named[i]) + g), clock) if piece else piece
            if any(w[1] > 0 for w, _ in piece) and _rank(piece) == n:
                found = (e, f, piece, row)
                break
        if found is None:
            bad.append(f"adjacency [{i}, {j}]: the closures share no {c.d - 1}-dimensional "
                       "piece of a facet")
            continue
        e, f, piece, row = found
        volume = _volume(piece, clock, _drop(row))
        for key in ((i, e), (j, f)):
            covered[key] = covered.get(key, 0) + volume
    for r, named in enumerate(R.named):
        clock.step()
        for e, (label, row) in enumerate(named):
            if label[0] != "domain":
                whole = _volume([v for v in R.verts[r] if v[1] & R.bit(e)], clock, _drop(row))
                part = covered.get((r, e), Fraction(0))
                if part != whole:
                    bad.append(f"region {r}: the claimed neighbours cover {_show(part / whole)} of "
                               f"its facet on {_label(c, label)}: an adjacent pair is missing")
    return bad


def _drop(row: tuple) -> int:
    """A coordinate of w = (q, t, x) whose projection is one-to-one on the row's
    hyperplane: the first with a nonzero coefficient (the same for -row)."""
    return next(i for i, a in enumerate(row) if i and a)


def _roots(n: int, edges: list) -> list[int]:
    """A representative of the connected component of each vertex of the graph
    (range(n), edges), by union-find."""
    label = list(range(n))

    def root(r: int) -> int:
        while label[r] != r:
            label[r] = label[label[r]]
            r = label[r]
        return r

    for i, j in edges:
        label[root(i)] = root(j)
    return [root(r) for r in range(n)]


def _linear_regions(c: _Certificate, group_of: dict) -> list[str]:
    """The groups are the connected components of the claimed adjacency restricted to
    pairs with equal maps: one map per group, connected, no equal-map pair between two."""
    if not group_of:
        return [f"linear_regions is not a partition of 0..{len(c.signs) - 1} into non-empty groups"]
    bad = [f"linear_regions[{g}]: regions {members[0]} and {r} have different maps"
           for g, members in enumerate(c.groups) for r in members if c.maps[r] != c.maps[members[0]]]
    roots = _roots(len(c.signs), [(i, j) for i, j in c.adjacency if group_of[i] == group_of[j]])
    bad += [f"linear_regions[{g}]: not connected by adjacency"
            for g, members in enumerate(c.groups) if len({roots[r] for r in members}) > 1]
    return bad + [f"adjacency {list(e)} joins two linear regions with the same map"
                  for e in c.adjacency if group_of[e[0]] != group_of[e[1]] and c.maps[e[0]] == c.maps[e[1]]]


class _Results:
    """The checks so far, in order; a check whose premises (_NEEDS) did not all pass
    is "not run", and so is every check after a failed structure."""

    def __init__(self, clock: _Clock) -> None:
        self.checks: dict[str, Check] = {}
        self.clock = clock

    def unmet(self, name: str) -> list[str]:
        return [p for p in _NEEDS.get(name, ()) if not self.checks[p].passed]

    def run(self, name: str, steps: int, check: Callable[[], tuple[list[str], str]]) -> None:
        """Record check() = (failures, detail on success), or "not run" if a premise failed."""
        unmet = self.unmet(name)
        if unmet:
            self.clock.step(steps)
            self.checks[name] = Check(name, "not run", f"needs {', '.join(unmet)}, which did not pass")
            return
        self.clock.stage, start = f"checking {name}", self.clock.done
        failures, ok = check()
        self.clock.step(max(0, start + steps - self.clock.done))
        more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
        self.checks[name] = Check(name, "fail", "; ".join(failures[:5]) + more) if failures else \
            Check(name, "pass", ok)


def _counts(c: _Certificate, results: _Results) -> Check:
    """The counts are those of the lists; they are proven when the lists are."""
    actual = {"activation_regions": len(c.signs), "linear_regions": len(c.groups),
              "affine_maps": len(set(c.maps))}
    wrong = [f"{k} is {_show(c.counts[k])}, should be {v}" for k, v in actual.items() if c.counts[k] != v]
    if wrong:
        return Check("counts", "fail", "; ".join(wrong))
    unmet = results.unmet("counts")
    if unmet:
        return Check("counts", "not run", f"the counts match the lists, which are not proven "
                                          f"({', '.join(unmet)} did not pass)")
    return Check("counts", "pass", str(actual))


def _verify(cert: object, clock: _Clock) -> Report:
    c = _parse(cert, clock)
    n, bad = len(c.signs), _structure(c)
    clock.total = 5 * n + len(c.adjacency) + 3
    results = _Results(clock)
    clock.stage, derived = "deriving the regions", []
    for s in c.signs if not bad else ():
        clock.tick()
        derived.append(_propagate(c.nodes, c.output, s, c.d, clock))
    bad += [f"region {r}: facet unit {list(e)}: piece {c.signs[r][e[0]]!r} minus piece "
            f"{PIECE_LETTERS[e[1]]!r} is constant on the region, no facet"
            for r, (_, cons, _) in enumerate(derived) for e in c.facets[r][2] if e not in cons]
    if bad:
        results.checks["structure"] = Check("structure", "fail", "; ".join(bad[:5]))
        skipped = [Check(name, "not run", "structure failed") for name in CHECK_NAMES[1:]]
        clock.step(clock.total)
        return Report(False, (results.checks["structure"], *skipped))
    sign_rows = [{k: _homogenized(con) for k, con in cons.items()} for _, cons, _ in derived]
    domain_rows = [_homogenized(con) for con in c.domain]
    named = [[(("neuron", k), sign_rows[r][k]) for k in fn] + [(("unit", *e), sign_rows[r][e]) for e in fu]
             + [(("domain", i), domain_rows[i]) for i in fd] for r, (fn, fd, fu) in enumerate(c.facets)]
    R = _Regions(derived, sign_rows, domain_rows, named, [], c.d + 2)
    units = sum(a != "+-0" for a in c.states)
    graph = f"a graph of {len(c.nodes)} nodes, " if c.is_graph else ""
    results.checks["structure"] = Check("structure", "pass", f"d = {c.d}, {graph}{len(c.neurons) - units} "
                                        f"neurons, " + (f"{units} {'max' if graph else 'maxout'} units, "
                                                        if units else "") + f"{n} regions")
    clock.step(n)
    first: dict = {}
    results.run("distinct_signs", 0, lambda: (
        [f"regions {first[s]} and {r} have the same signs {s!r}" for r, s in enumerate(c.signs)
         if first.setdefault(s, r) != r], f"{n} sign vectors"))
    results.run("points_inside", 0, lambda: (
        _points_inside(c, R, clock), "every point strictly inside its region"))
    results.run("affine_maps", 1, lambda: (
        _affine_maps(c, R, clock), "every map agrees with its signs and the forward pass"))
    results.run("closures", n, lambda: (
        _closures(c, R, clock), "the named facets of every region cut out its closure"))
    results.run("facets", n, lambda: (_facets(c, R, clock), "every named facet is a facet of its region's "
                                      "closure, each once; the domain's facets are named as such"))
    results.run("coverage", n + 1, lambda: _coverage(c, R, clock))
    results.run("adjacency", n + len(c.adjacency), lambda: (_adjacency(c, R, clock), (
        f"{len(c.adjacency)} pairs share {c.d - 1}-dimensional faces; every interior facet is "
        "covered by the claimed neighbours")))
    group_of = {r: g for g, members in enumerate(c.groups) for r in members}
    if sorted(r for g in c.groups for r in g) != list(range(n)) or not all(c.groups):
        group_of = {}
    results.run("linear_regions", 1, lambda: (_linear_regions(c, group_of), (
        f"{len(c.groups)} linear regions: the components of adjacent regions with equal maps")))
    results.checks["counts"] = _counts(c, results)
    clock.step(clock.total - clock.done)
    checks = tuple(results.checks[name] for name in CHECK_NAMES)
    return Report(all(ch.passed for ch in checks), checks)


def check_certificate(cert: dict, progress: Callable[[int, int], None] | None = None, *,
                      time_limit: object = None) -> Report:
    """Verify a certificate given as a dict (as read from JSON).

    *progress*, if given, is called as ``progress(done, total)`` as the checks
    advance.  *time_limit* (seconds: int, Fraction, float or str) stops the check
    with :class:`TimeLimitExceeded` once it has run that long.

    Raises
    ------
    CertificateError
        If the certificate is malformed; the message names the location.
    TimeLimitExceeded
        If *time_limit* ran out.
    """
    return _verify(cert, _Clock(time_limit, progress))


def check_file(path: str, progress: Callable[[int, int], None] | None = None, *,
               time_limit: object = None, max_bytes: int = MAX_FILE_BYTES,
               max_depth: int = MAX_JSON_DEPTH) -> Report:
    """Check a certificate file; JSON decimal literals are read exactly.

    Only a regular file of at most *max_bytes* bytes with JSON nested at most
    *max_depth* deep and no duplicate key is read.  *time_limit* counts from the call.

    Raises
    ------
    CertificateError
        If the file cannot be read or parsed or the certificate is malformed
        (one line, naming the file).
    TimeLimitExceeded
        If *time_limit* ran out.
    """
    clock = _Clock(time_limit, progress)
    cert = _load_json(path, max_bytes, max_depth, clock)
    try:
        return _verify(cert, clock)
    except CertificateError as e:
        raise CertificateError(f"{path}: {e}") from None
