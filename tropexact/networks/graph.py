"""Computation graphs with exact rational weights: the ``tropexact-graph`` file format.

A graph is a list of named nodes, each computing a vector of rationals from the
vectors of earlier nodes (so the list is a topological order and there is no
cycle); the node named by ``output`` is the network's output.  The operations:

============== ===================================================================
``input``      the network's input x ∈ Q^d (implicit: the name ``"input"``)
``affine``     y = W u + b; W dense (a list of rows) or sparse
               (``{"shape": [m, n], "entries": [[i, j, w], ...]}``, row-major, each
               (i, j) once): a convolution stores only its nonzero weights
``relu``       y_i = max(u_i, t) (``threshold`` t, default 0)
``leaky_relu`` y_i = max(u_i, a u_i), 0 < a < 1 (``negative_slope``)
``identity``   y = u
``max``        with ``inputs`` [u, v, ...] of one size: the element-wise maximum;
               with one ``input`` and ``groups`` [[i, j, ...], ...]: y_g = max of
               u over group g (max-pooling); ``pieces`` k is the groups of k
               consecutive entries (a maxout layer after an ``affine``)
``add``        y = u + v + ... (``inputs`` of one size: residual connections)
``concat``     y = (u, v, ...) (``inputs``, in order)
============== ===================================================================

Every operation is piecewise linear with rational data, so a graph is a
tropical rational map (docs/design.md §3); a sequential network file is the
graph affine → activation → affine → ... (:func:`from_network`).

Examples
--------
A residual block y = relu(x − 1) + x on Q¹, then a max-pool of two copies:

>>> g = graph(1, [{"name": "h", "op": "affine", "input": "input", "weight": [[1]],
...                "bias": [-1]},
...               {"name": "r", "op": "relu", "input": "h"},
...               {"name": "y", "op": "add", "inputs": ["r", "input"]},
...               {"name": "z", "op": "max", "inputs": ["y", "h"]}], "z")
>>> [g([x])[0] for x in (0, 2, "5/2")]
[mpq(0,1), mpq(3,1), mpq(4,1)]
>>> graph_from_dict(g.to_dict()) == g
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt, to_rational

from .activation import Activation
from .files import check_header, load_document
from .model import MAX_PIECES, Network

__all__ = ["Node", "Graph", "graph", "graph_from_dict", "from_network", "load_graph",
           "restrict_graph",
           "GRAPH_FORMAT", "OPS"]

GRAPH_FORMAT = "tropexact-graph"
OPS = ("affine", "relu", "leaky_relu", "identity", "max", "add", "concat")
_TOP_KEYS = {"format", "version", "input_dim", "nodes", "output", "name", "description",
             "source"}
_KEYS = {"affine": {"weight", "bias"}, "relu": {"threshold"}, "leaky_relu": {"negative_slope"},
         "identity": set(), "max": {"groups", "pieces"}, "add": set(), "concat": set()}
_ZERO = Q(0)


@dataclass(frozen=True)
class Node:
    """One node: its name, operation, input names, output size and parameters.

    ``rows`` (affine) holds each row as a tuple of (column, weight) pairs with
    nonzero weights; ``groups`` (max over one input) the index tuples;
    ``param`` the relu threshold or the leaky slope.
    """

    name: str
    op: str
    inputs: tuple
    size: int
    rows: tuple = ()
    bias: tuple = ()
    in_size: int = 0
    groups: tuple = ()
    param: Any = None

    def apply(self, xs: Sequence[tuple]) -> tuple:
        """The node's output from its inputs' values (exact)."""
        op = self.op
        if op == "affine":
            (u,) = xs
            return tuple(b + sum((w * u[j] for j, w in row), _ZERO)
                         for row, b in zip(self.rows, self.bias))
        if op == "relu":
            return tuple(v if v > self.param else self.param for v in xs[0])
        if op == "leaky_relu":
            return tuple(v if v >= 0 else self.param * v for v in xs[0])
        if op == "identity":
            return xs[0]
        if op == "max":
            if self.groups:
                return tuple(max(xs[0][i] for i in g) for g in self.groups)
            return tuple(max(vs) for vs in zip(*xs))
        if op == "add":
            return tuple(sum(vs, _ZERO) for vs in zip(*xs))
        return tuple(v for u in xs for v in u)  # concat

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"name": self.name, "op": self.op}
        if len(self.inputs) == 1 and self.op not in ("add", "concat") and \
                not (self.op == "max" and not self.groups):
            d["input"] = self.inputs[0]
        else:
            d["inputs"] = list(self.inputs)
        if self.op == "affine":
            nnz = sum(len(r) for r in self.rows)
            if 2 * nnz < self.size * self.in_size:
                d["weight"] = {"shape": [self.size, self.in_size],
                               "entries": [[i, j, fmt(w)] for i, r in enumerate(self.rows)
                                           for j, w in r]}
            else:
                d["weight"] = [[fmt(w) for w in _dense(r, self.in_size)] for r in self.rows]
            d["bias"] = [fmt(b) for b in self.bias]
        elif self.op == "relu" and self.param != 0:
            d["threshold"] = fmt(self.param)
        elif self.op == "leaky_relu":
            d["negative_slope"] = fmt(self.param)
        elif self.op == "max" and self.groups:
            d["groups"] = [list(g) for g in self.groups]
        return d


def _dense(row: tuple, n: int) -> list:
    out = [_ZERO] * n
    for j, w in row:
        out[j] = w
    return out


@dataclass(frozen=True)
class Graph:
    """An exact computation graph: input dimension, nodes in topological order, output."""

    input_dim: int
    nodes: tuple
    output: str

    @property
    def output_dim(self) -> int:
        return next(n.size for n in self.nodes if n.name == self.output)

    @property
    def widths(self) -> tuple:
        """(d, the sizes of the relu, leaky relu and max nodes in order, the output's size):
        the graph's counterpart of a network's widths."""
        return (self.input_dim,) + tuple(n.size for n in self.nodes if n.op in
                                         ("relu", "leaky_relu", "max")) + (self.output_dim,)

    @property
    def layers(self) -> tuple:
        """The nodes (what a progress bar over the layers of a network counts)."""
        return self.nodes

    def __call__(self, x: Sequence[Any]) -> tuple:
        """Exact forward pass at a rational point (floats refused)."""
        xs = tuple(to_rational(v) for v in x)
        if len(xs) != self.input_dim:
            raise InputError(f"point has {len(xs)} coordinates, expected {self.input_dim}")
        values = {"input": xs}
        for n in self.nodes:
            values[n.name] = n.apply([values[i] for i in n.inputs])
        return values[self.output]

    evaluate = __call__

    def to_dict(self) -> dict:
        """The JSON-ready document (numbers as exact strings)."""
        return {"format": GRAPH_FORMAT, "version": 1, "input_dim": self.input_dim,
                "nodes": [n.to_dict() for n in self.nodes], "output": self.output}


def _num(x: Any, where: str) -> Any:
    try:
        return to_rational(x)
    except InputError as e:
        raise InputError(e.message, where=where) from None


def _index(x: Any, n: int, where: str) -> int:
    if type(x) is not int or not 0 <= x < n:
        raise InputError(f"expected an integer index in 0..{n - 1}, got {x!r}", where=where)
    return x


def _sparse(W: Mapping, in_size: int, where: str) -> tuple[tuple, int]:
    """Rows of a sparse weight ``{"shape": [m, n], "entries": [[i, j, w], ...]}``."""
    if set(W) != {"shape", "entries"}:
        raise InputError("a sparse weight has exactly the keys 'shape' and 'entries'",
                         where=where)
    shape = W["shape"]
    if not isinstance(shape, list) or len(shape) != 2 or \
            any(type(s) is not int or s < 1 for s in shape):
        raise InputError(f"expected [rows, columns] (positive integers), got {shape!r}",
                         where=f"{where}.shape")
    if shape[1] != in_size:
        raise InputError(f"has {shape[1]} columns, expected {in_size} (the input's size)",
                         where=f"{where}.shape")
    entries = W["entries"]
    if not isinstance(entries, list):
        raise InputError("expected a list of [row, column, weight]", where=f"{where}.entries")
    rows: list[dict] = [{} for _ in range(shape[0])]
    for k, e in enumerate(entries):
        at = f"{where}.entries[{k}]"
        if not isinstance(e, list) or len(e) != 3:
            raise InputError(f"expected [row, column, weight], got {e!r}", where=at)
        i, j = _index(e[0], shape[0], at), _index(e[1], shape[1], at)
        if j in rows[i]:
            raise InputError(f"entry ({i}, {j}) given twice", where=at)
        rows[i][j] = _num(e[2], at)
    return tuple(tuple(sorted((j, w) for j, w in r.items() if w)) for r in rows), shape[0]


def _affine(spec: Mapping, in_size: int, where: str) -> dict:
    W = spec.get("weight")
    if isinstance(W, Mapping):
        rows, m = _sparse(W, in_size, f"{where}.weight")
    elif isinstance(W, list) and W:
        out = []
        for i, row in enumerate(W):
            if not isinstance(row, list) or len(row) != in_size:
                raise InputError(f"expected a row of {in_size} numbers (the input's size)",
                                 where=f"{where}.weight[{i}]")
            out.append(tuple((j, w) for j, w in ((j, _num(v, f"{where}.weight[{i}][{j}]"))
                                                 for j, v in enumerate(row)) if w))
        rows, m = tuple(out), len(out)
    else:
        raise InputError("expected a non-empty list of rows or a sparse weight",
                         where=f"{where}.weight")
    b = spec.get("bias")
    if not isinstance(b, list) or len(b) != m:
        raise InputError(f"expected a list of {m} numbers", where=f"{where}.bias")
    return {"rows": rows, "bias": tuple(_num(v, f"{where}.bias[{i}]") for i, v in enumerate(b)),
            "size": m, "in_size": in_size}


def _groups(spec: Mapping, size: int, where: str) -> tuple:
    if "pieces" in spec:
        k = spec["pieces"]
        if "groups" in spec or type(k) is not int or not 1 <= k <= MAX_PIECES or size % k:
            raise InputError(f"'pieces' must be an integer from 1 to {MAX_PIECES} dividing the "
                             f"input's size "
                             f"{size} (and not given with 'groups')", where=f"{where}.pieces")
        return tuple(tuple(range(j, j + k)) for j in range(0, size, k))
    gs = spec.get("groups")
    if not isinstance(gs, list) or not gs:
        raise InputError("expected a non-empty list of index lists (a max over one 'input' "
                         "needs 'groups' or 'pieces')", where=f"{where}.groups")
    out = []
    for g, grp in enumerate(gs):
        if not isinstance(grp, list) or not grp:
            raise InputError("expected a non-empty list of indices", where=f"{where}.groups[{g}]")
        out.append(tuple(_index(i, size, f"{where}.groups[{g}]") for i in grp))
        if len(grp) > MAX_PIECES:
            raise InputError(f"{len(grp)} entries; a max takes at most {MAX_PIECES} pieces (its "
                             "state is one letter)", where=f"{where}.groups[{g}]")
    return tuple(out)


def _node(spec: Any, sizes: dict, where: str) -> Node:
    """Validate one node dictionary against the sizes of the nodes before it."""
    if not isinstance(spec, Mapping):
        raise InputError(f"expected an object, got {type(spec).__name__}", where=where)
    op, name = spec.get("op"), spec.get("name")
    if op not in OPS:
        raise InputError(f"unknown op {op!r} (known: {', '.join(OPS)})", where=f"{where}.op")
    if type(name) is not str or not name or name in sizes:
        raise InputError(f"expected a new, non-empty name, got {name!r}", where=f"{where}.name")
    many = op in ("add", "concat") or (op == "max" and "input" not in spec)
    allowed = {"name", "op", "inputs" if many else "input"} | \
        (set() if op == "max" and many else _KEYS[op])  # an element-wise max has no groups
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} for op {op!r} (allowed: "
                         f"{', '.join(sorted(allowed))})", where=where)
    ins = spec.get("inputs") if many else [spec.get("input")]
    if not isinstance(ins, list) or not ins or any(i not in sizes for i in ins):
        raise InputError(f"inputs must name earlier nodes (or 'input'), got {ins!r}",
                         where=where)
    in_sizes = [sizes[i] for i in ins]
    kw: dict[str, Any] = {"size": in_sizes[0]}
    if op == "affine":
        kw = _affine(spec, in_sizes[0], where)
    elif op in ("add", "max") and many and len(set(in_sizes)) != 1:
        raise InputError(f"inputs of different sizes {in_sizes}", where=where)
    elif op == "max" and many and len(ins) > MAX_PIECES:
        raise InputError(f"{len(ins)} inputs; a max takes at most {MAX_PIECES} pieces (its "
                         "state is one letter)", where=where)
    elif op == "concat":
        kw["size"] = sum(in_sizes)
    elif op == "max" and not many:
        kw["groups"] = _groups(spec, in_sizes[0], where)
        kw["size"] = len(kw["groups"])
    elif op == "relu":
        kw["param"] = _num(spec.get("threshold", 0), f"{where}.threshold")
    elif op == "leaky_relu":
        a = _num(spec.get("negative_slope"), f"{where}.negative_slope")
        if not 0 < a < 1:
            raise InputError(f"must satisfy 0 < a < 1, got {fmt(a)}",
                             where=f"{where}.negative_slope")
        kw["param"] = a
    return Node(name, op, tuple(ins), **kw)


def graph(input_dim: Any, nodes: Any, output: Any) -> Graph:
    """Build and validate a :class:`Graph` (module docstring: the operations)."""
    if type(input_dim) is not int or input_dim < 1:
        raise InputError(f"must be a positive integer, got {input_dim!r}", where="input_dim")
    if not isinstance(nodes, list) or not nodes:
        raise InputError("expected a non-empty list of nodes", where="nodes")
    sizes = {"input": input_dim}
    out = []
    for k, spec in enumerate(nodes):
        n = _node(spec, sizes, f"nodes[{k}]")
        sizes[n.name] = n.size
        out.append(n)
    if output not in sizes or output == "input":
        raise InputError(f"must name a node, got {output!r}", where="output")
    return Graph(input_dim, tuple(out), output)


def graph_from_dict(d: Any) -> Graph:
    """Validate a decoded ``tropexact-graph`` document."""
    check_header(d, _TOP_KEYS, GRAPH_FORMAT, format_required=True,
                 required=("input_dim", "nodes", "output"))
    return graph(d["input_dim"], d["nodes"], d["output"])


def from_network(net: Network) -> Graph:
    """The graph of a sequential network: per layer an ``affine`` node then its activation
    (relu, leaky_relu, a grouped ``max`` for maxout; none for the identity)."""
    nodes: list[dict] = []
    prev = "input"
    for l, layer in enumerate(net.layers):
        nodes.append({"name": f"fc{l}", "op": "affine", "input": prev,
                      "weight": [list(r) for r in layer.weight], "bias": list(layer.bias)})
        prev = f"fc{l}"
        act = layer.activation
        if act is Activation.IDENTITY:
            continue
        spec: dict[str, Any] = {"name": f"act{l}", "input": prev}
        if act is Activation.RELU:
            spec.update(op="relu", threshold=layer.threshold)
        elif act is Activation.LEAKY_RELU:
            spec.update(op="leaky_relu", negative_slope=layer.negative_slope)
        else:
            spec.update(op="max", pieces=layer.pieces)
        nodes.append(spec)
        prev = spec["name"]
    return graph(net.input_dim, nodes, prev)


def restrict_graph(g: Graph, point: Sequence[Any], u: Sequence[Any],
                   v: Sequence[Any]) -> Graph:
    """The 2-input graph (s, t) ↦ g(P + s·U + t·V): a first affine node from the plane,
    read by every node that read the input."""
    name = "plane"
    while any(n.name == name for n in g.nodes):
        name += "_"
    first = Node(name, "affine", ("input",), g.input_dim,
                 rows=tuple(tuple((j, w) for j, w in enumerate((a, b)) if w)
                            for a, b in zip(u, v)),
                 bias=tuple(point), in_size=2)
    rest = tuple(Node(n.name, n.op, tuple(name if i == "input" else i for i in n.inputs),
                      n.size, n.rows, n.bias, n.in_size, n.groups, n.param) for n in g.nodes)
    return Graph(2, (first,) + rest, g.output)


def load_graph(path: str | os.PathLike) -> Graph:
    """Read and validate a graph file; errors read ``FILE: nodes[3].weight.entries[7]: …``."""
    return load_document(path, graph_from_dict)
