"""Assembling an exact computation graph (``tropexact-graph``) from a model's operators.

Both graph importers (ONNX: :mod:`._onnx_graph`, PyTorch via ``torch.fx``:
:mod:`._torch_graph`) read their model's operators in execution order and call
one :class:`GraphBuilder` method per operator, with exact numbers.  A tensor is
a :class:`Tensor`: the graph node holding its values and its per-sample shape
(no batch axis), its entries stored row-major (``torch.flatten`` order).

* Convolutions, average poolings, linear maps, batch normalisations and the
  addition of constants are ``affine`` nodes (sparse when that is smaller);
  max-poolings are grouped ``max`` nodes; Flatten, Reshape, Identity and
  Dropout change only the shape and add no node.
* :meth:`GraphBuilder.finish` then **fuses** an affine node into the affine node
  reading it when nothing else reads it and the product has no more nonzero
  weights than the two had (a batch normalisation into its convolution, a bias
  into its map); composing affine maps is exact.  Nodes are then named by their
  kind and position (``conv0``, ``relu1``, …), so two importers feeding the same
  operators produce the same file.

Examples
--------
A 1×1×3 signal, a convolution with kernel (1, −1), a ReLU, then an average:

>>> b = GraphBuilder((1, 3))
>>> y = b.conv(b.input, [[[Q(1), Q(-1)]]], [Q(0)], (1,), (1,), (0, 0), 1, "c")
>>> y.shape
(1, 2)
>>> g = b.finish(b.global_avg(b.relu(y, "r"), "p"))
>>> [n.name for n in g.nodes], g([3, 1, 2])
(['conv0', 'relu1', 'avgpool2'], (mpq(1,1),))
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt, limit_denominator
from tropexact.networks.graph import Graph, graph
from ._conv import adaptive_windows, avg_divisors, conv_entries, out_shape, pool_windows, \
    strides_of

__all__ = ["Tensor", "GraphBuilder", "graph_text"]

_ONE = Q(1)


@dataclass(frozen=True)
class Tensor:
    """A model tensor: the node holding its entries (row-major) and its shape per sample."""

    node: str
    shape: tuple

    @property
    def size(self) -> int:
        return math.prod(self.shape)


class GraphBuilder:
    """Collect graph nodes from a model's operators (module docstring).

    Every method takes the operand :class:`Tensor` (s) and a *where* for
    messages, and returns the result :class:`Tensor`.
    """

    def __init__(self, input_shape: Sequence[int]) -> None:
        shape = tuple(input_shape)
        if not shape or any(type(n) is not int or n < 1 for n in shape):
            raise InputError(f"the input shape must be positive integers, got {shape!r}")
        self.input = Tensor("input", shape)
        self.nodes: list[dict] = []
        self.notes: list[str] = []
        self.rounded = 0  # numbers max_denominator changed (set by finish)

    def _add(self, kind: str, op: str, inputs: Sequence[Tensor], shape: tuple,
             **fields: Any) -> Tensor:
        name = f"n{len(self.nodes)}"
        self.nodes.append({"name": name, "kind": kind, "op": op,
                           "inputs": [t.node for t in inputs], **fields})
        return Tensor(name, tuple(shape))

    # -- affine maps -----------------------------------------------------------------

    def affine(self, x: Tensor, rows: list, bias: Sequence[Any], shape: Sequence[int],
               kind: str) -> Tensor:
        """y = W x + b with W given by *rows* (dicts column → weight), y of *shape*."""
        return self._add(kind, "affine", [x], tuple(shape), rows=rows, bias=list(bias),
                         in_size=x.size)

    def conv(self, x: Tensor, weight: Any, bias: Sequence[Any] | None, stride: tuple,
             dilation: tuple, pads: tuple, groups: int, where: str) -> Tensor:
        """A convolution (weight (C_out, C/groups, k…), exact; padding by zeros)."""
        k = len(x.shape) - 1
        cout = len(weight)
        kernel = _shape_of(weight)[2:]
        if k not in (1, 2) or len(kernel) != k:
            raise InputError(f"a {len(kernel)}-D kernel on data of shape {x.shape}; supported: "
                             "1-D (C, L) and 2-D (C, H, W) convolutions", where=where)
        if groups < 1 or x.shape[0] % groups or cout % groups or \
                _shape_of(weight)[1] != x.shape[0] // groups:
            raise InputError(f"weight of shape {_shape_of(weight)} with groups={groups} does not "
                             f"fit {x.shape[0]} input channels", where=where)
        space = out_shape(x.shape[1:], kernel, stride, dilation, pads, False, where)
        rows: list[dict] = [{} for _ in range(cout * math.prod(space))]
        for i, j, w in conv_entries(x.shape, weight, groups, stride, dilation, pads, space):
            rows[i][j] = w
        per = math.prod(space)
        b = [Q(0)] * len(rows) if bias is None else [v for v in bias for _ in range(per)]
        return self.affine(x, rows, b, (cout, *space), "conv")

    def linear(self, x: Tensor, W: Sequence[Sequence[Any]], b: Sequence[Any] | None,
               where: str) -> Tensor:
        """x ↦ W x + b on the last axis (on every leading index, as torch's Linear)."""
        n, m = x.shape[-1], len(W)
        if any(len(r) != n for r in W):
            raise InputError(f"takes {len(W[0])} inputs, but the data's last axis has {n} "
                             f"entries (shape {x.shape})", where=where)
        lead = x.size // n
        rows = [{k * n + j: w for j, w in enumerate(r) if w} for k in range(lead) for r in W]
        bias = list(b) * lead if b is not None else [Q(0)] * (m * lead)
        return self.affine(x, rows, bias, (*x.shape[:-1], m), "linear")

    def channel_affine(self, x: Tensor, scale: Sequence[Any], shift: Sequence[Any],
                       kind: str, where: str) -> Tensor:
        """y = a_c x + c_c per channel c (axis 0): a batch normalisation."""
        C = x.shape[0]
        if len(scale) != C or len(shift) != C:
            raise InputError(f"has {len(scale)} channels, the data {C} (shape {x.shape})",
                             where=where)
        per = x.size // C
        rows = [{i: scale[i // per]} if scale[i // per] else {} for i in range(x.size)]
        return self.affine(x, rows, [shift[i // per] for i in range(x.size)], x.shape, kind)

    def add_const(self, x: Tensor, values: Sequence[Any], where: str) -> Tensor:
        """x + c, c of the data's size (already broadcast)."""
        if len(values) != x.size:
            raise InputError(f"adds {len(values)} values to data of shape {x.shape}",
                             where=where)
        return self.affine(x, [{i: _ONE} for i in range(x.size)], values, x.shape, "bias")

    def mul_const(self, x: Tensor, values: Sequence[Any], where: str) -> Tensor:
        """x ⊙ c entry-wise, c of the data's size (already broadcast)."""
        if len(values) != x.size:
            raise InputError(f"multiplies data of shape {x.shape} by {len(values)} values",
                             where=where)
        rows = [{i: v} if v else {} for i, v in enumerate(values)]
        return self.affine(x, rows, [Q(0)] * x.size, x.shape, "scale")

    # -- pooling ---------------------------------------------------------------------

    def max_pool(self, x: Tensor, kernel: tuple, stride: tuple, dilation: tuple, pads: tuple,
                 ceil_mode: bool, where: str) -> Tensor:
        """Max over each window's in-range entries (padding is −∞)."""
        _spatial(x, kernel, where)
        space = out_shape(x.shape[1:], kernel, stride, dilation, pads, ceil_mode, where)
        groups = pool_windows(x.shape, kernel, stride, dilation, pads, space)
        return self.pool_max(x, groups, (x.shape[0], *space))

    def pool_max(self, x: Tensor, groups: list, shape: tuple) -> Tensor:
        """The grouped max node of *groups* (windows of input indices)."""
        return self._add("maxpool", "max", [x], shape, groups=[list(g) for g in groups])

    def avg_pool(self, x: Tensor, kernel: tuple, stride: tuple, pads: tuple, ceil_mode: bool,
                 count_include_pad: bool, where: str) -> Tensor:
        """The mean of each window (divisor: :func:`~._conv.avg_divisors`)."""
        _spatial(x, kernel, where)
        ones = (1,) * len(kernel)
        space = out_shape(x.shape[1:], kernel, stride, ones, pads, ceil_mode, where)
        wins = pool_windows(x.shape, kernel, stride, ones, pads, space)
        divs = avg_divisors(x.shape, kernel, stride, pads, space, wins, count_include_pad)
        return self._mean(x, wins, divs, (x.shape[0], *space))

    def adaptive(self, x: Tensor, out_space: tuple, how: str, where: str) -> Tensor:
        """Adaptive average (*how* ``"avg"``) or max pooling to spatial shape *out_space*."""
        _spatial(x, out_space, where)
        wins = adaptive_windows(x.shape, out_space)
        shape = (x.shape[0], *out_space)
        if how == "max":
            return self.pool_max(x, wins, shape)
        return self._mean(x, wins, [len(w) for w in wins], shape)

    def global_avg(self, x: Tensor, where: str) -> Tensor:
        """The mean over all spatial positions of each channel: shape (C, 1, …, 1)."""
        if len(x.shape) < 2:
            raise InputError(f"global pooling needs (C, spatial…) data, got shape {x.shape}",
                             where=where)
        return self.adaptive(x, (1,) * (len(x.shape) - 1), "avg", where)

    def _mean(self, x: Tensor, wins: list, divs: list, shape: tuple) -> Tensor:
        rows = [{i: Q(1, d) for i in w} for w, d in zip(wins, divs)]
        return self.affine(x, rows, [Q(0)] * len(rows), shape, "avgpool")

    # -- element-wise and structural -------------------------------------------------

    def relu(self, x: Tensor, where: str) -> Tensor:
        return self._add("relu", "relu", [x], x.shape)

    def leaky_relu(self, x: Tensor, slope: Any, where: str) -> Tensor:
        """max(x, a x); a = 0 is a ReLU and a = 1 the identity (noted)."""
        if slope == 0:
            self.notes.append(f"{where}: LeakyReLU with slope 0 is ReLU")
            return self.relu(x, where)
        if slope == 1:
            self.notes.append(f"{where}: LeakyReLU with slope 1 is the identity")
            return x
        if not 0 < slope < 1:
            raise InputError(f"LeakyReLU slope {fmt(slope)} is not supported (tropexact's "
                             "leaky ReLU needs 0 < slope < 1)", where=where)
        return self._add("leaky", "leaky_relu", [x], x.shape, slope=slope)

    def _same(self, xs: Sequence[Tensor], what: str, where: str) -> tuple:
        shapes = {t.shape for t in xs}
        if len(shapes) != 1:
            raise InputError(f"{what} of tensors of shapes {sorted(shapes)}; broadcasting "
                             "between data tensors is not supported", where=where)
        return xs[0].shape

    def add(self, xs: Sequence[Tensor], where: str) -> Tensor:
        """The sum of data tensors of one shape (a residual connection)."""
        return self._add("add", "add", xs, self._same(xs, "a sum", where))

    def maximum(self, xs: Sequence[Tensor], where: str) -> Tensor:
        """The element-wise maximum of data tensors of one shape."""
        return self._add("max", "max", xs, self._same(xs, "a maximum", where))

    def concat(self, xs: Sequence[Tensor], axis: int, where: str) -> Tensor:
        """Concatenation along *axis* of the per-sample shape (0: channels, a plain concat
        of the vectors; another axis: a concat then an exact 0/1 permutation)."""
        r = len(xs[0].shape)
        if any(len(t.shape) != r for t in xs) or not 0 <= axis < r or \
                any(t.shape[:axis] + t.shape[axis + 1:] != xs[0].shape[:axis] +
                    xs[0].shape[axis + 1:] for t in xs):
            raise InputError(f"cannot concatenate shapes {[t.shape for t in xs]} along "
                             f"axis {axis}", where=where)
        shape = list(xs[0].shape)
        shape[axis] = sum(t.shape[axis] for t in xs)
        y = self._add("concat", "concat", xs, (sum(t.size for t in xs),))
        if axis == 0 or math.prod(xs[0].shape[:axis]) == 1:
            return Tensor(y.node, tuple(shape))
        return self._permute(y, _concat_order(xs, axis, tuple(shape)), tuple(shape))

    def _permute(self, x: Tensor, order: list, shape: tuple) -> Tensor:
        rows = [{j: _ONE} for j in order]
        return self.affine(x, rows, [Q(0)] * len(rows), shape, "permute")

    def reshape(self, x: Tensor, shape: Sequence[int], where: str) -> Tensor:
        """The same entries with another shape (row-major: no node)."""
        shape = tuple(shape)
        if math.prod(shape) != x.size or any(n < 1 for n in shape):
            raise InputError(f"cannot reshape data of shape {x.shape} to {shape}", where=where)
        return Tensor(x.node, shape)

    def batch_reshape(self, x: Tensor, target: Sequence[int], batch: int,
                      where: str) -> Tensor:
        """A reshape of the batched data (*batch*, *x.shape) to *target* (one −1 inferred),
        which must keep the batch axis first."""
        full = (batch, *x.shape)
        target = list(target)
        if target.count(-1) == 1:
            known = math.prod(v for v in target if v != -1)
            target[target.index(-1)] = math.prod(full) // known if known else 0
        if not target or target[0] != batch or math.prod(target) != math.prod(full):
            raise InputError(f"reshape of data {full} (batch first) to {target}: only "
                             "reshapes that keep the batch axis are supported", where=where)
        return self.reshape(x, target[1:], where)

    # -- the graph -------------------------------------------------------------------

    def finish(self, out: Tensor, max_denominator: int | None = None) -> Graph:
        """The validated :class:`~tropexact.networks.graph.Graph` with output *out*:
        fused, named, and rounded only if *max_denominator* asks."""
        if out.node == "input":
            out = self._add("identity", "identity", [out], out.shape)
        nodes = _fuse(self.nodes, out.node)
        names = {"input": "input"}
        for k, n in enumerate(nodes):
            names[n["name"]] = f"{n['kind']}{k}"
        changed: list = []
        specs = [_spec(n, names, max_denominator, changed) for n in nodes]
        self.rounded = len(changed)
        return graph(self.input.size, specs, names[out.node])


def _shape_of(w: Any) -> tuple:
    dims = []
    while isinstance(w, (list, tuple)):
        dims.append(len(w))
        w = w[0]
    return tuple(dims)


def _spatial(x: Tensor, window: tuple, where: str) -> None:
    if len(x.shape) != len(window) + 1:
        raise InputError(f"a {len(window)}-D window on data of shape {x.shape}; expected "
                         f"(C, {len(window)} spatial dims)", where=where)


def _concat_order(xs: Sequence[Tensor], axis: int, shape: tuple) -> list:
    """For each output index (row-major over *shape*), its index in the plain concat."""
    offsets, acc = [], 0
    for t in xs:
        offsets.append(acc)
        acc += t.size
    order = []
    for pos in itertools.product(*(range(n) for n in shape)):
        a, k = pos[axis], 0
        while a >= xs[k].shape[axis]:
            a -= xs[k].shape[axis]
            k += 1
        local = pos[:axis] + (a,) + pos[axis + 1:]
        order.append(offsets[k] + sum(p * s for p, s in zip(local, strides_of(xs[k].shape))))
    return order


def _fuse(nodes: list, out: str) -> list:
    """Compose each affine node with the affine node it reads, when that one has no other
    reader, is not the output, and the product has at most the nonzeros of the two."""
    readers: dict = {}
    for n in nodes:
        for i in n["inputs"]:
            readers[i] = readers.get(i, 0) + 1
    readers[out] = readers.get(out, 0) + 1
    by_name = {n["name"]: n for n in nodes}
    gone = set()
    for n in nodes:
        if n["op"] != "affine":
            continue
        a = by_name.get(n["inputs"][0])
        if a is None or a["op"] != "affine" or readers.get(a["name"]) != 1:
            continue
        arows, brows = a["rows"], n["rows"]
        cost = sum(len(arows[k]) for r in brows for k in r)
        if cost > sum(map(len, arows)) + sum(map(len, brows)):
            continue
        rows = []
        for r in brows:
            acc: dict = {}
            for k, w in r.items():
                for j, v in arows[k].items():
                    acc[j] = acc.get(j, 0) + w * v
            rows.append({j: v for j, v in acc.items() if v})
        bias = [c + sum((w * a["bias"][k] for k, w in r.items()), Q(0))
                for r, c in zip(brows, n["bias"])]
        n.update(rows=rows, bias=bias, inputs=a["inputs"], in_size=a["in_size"],
                 kind=a["kind"] if a["kind"] not in ("bias", "scale") else n["kind"])
        gone.add(a["name"])
    return [n for n in nodes if n["name"] not in gone]


def _spec(n: dict, names: dict, max_denominator: int | None, changed: list) -> dict:
    """The graph-file node of a builder node (numbers rounded only when asked; each
    changed number appended to *changed*)."""
    def num(q: Any) -> Any:
        if max_denominator is None:
            return q
        r = limit_denominator(q, max_denominator)
        if r != q:
            changed.append(q)
        return r
    ins = [names[i] for i in n["inputs"]]
    d: dict[str, Any] = {"name": names[n["name"]], "op": n["op"]}
    op = n["op"]
    if op in ("add", "concat") or (op == "max" and "groups" not in n):
        d["inputs"] = ins
    else:
        d["input"] = ins[0]
    if op == "affine":
        d["weight"] = {"shape": [len(n["rows"]), n["in_size"]],
                       "entries": [[i, j, num(w)] for i, r in enumerate(n["rows"])
                                   for j, w in sorted(r.items())]}
        d["bias"] = [num(v) for v in n["bias"]]
    elif op == "leaky_relu":
        d["negative_slope"] = num(n["slope"])
    elif op == "max" and "groups" in n:
        d["groups"] = n["groups"]
    return d


def graph_text(g: Graph) -> str:
    """The graph file's text: the document with one node per line (compact JSON inside).

    Examples
    --------
    >>> b = GraphBuilder((2,))
    >>> print(graph_text(b.finish(b.relu(b.input, "r"))), end="")
    {"format": "tropexact-graph", "version": 1, "input_dim": 2, "output": "relu0", "nodes": [
    {"name":"relu0","op":"relu","input":"input"}
    ]}
    """
    import json
    d = g.to_dict()
    head = json.dumps({k: v for k, v in d.items() if k != "nodes"})[:-1]
    body = ",\n".join(json.dumps(n, separators=(",", ":")) for n in d["nodes"])
    return f'{head}, "nodes": [\n{body}\n]}}\n'
