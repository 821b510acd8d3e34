"""ONNX importer for computation graphs: convolutional and residual networks.

The nodes are read in the file's order (ONNX requires a topological one).  A
tensor is either **data** (it depends on the graph input: a
:class:`~._graph_build.Tensor` of the :class:`~._graph_build.GraphBuilder`) or a
**constant** (initializers, ``Constant`` nodes, and the *shape plumbing* torch
emits: ``Shape`` of a data tensor is the known shape, batch first, and a node
whose inputs are all constants is evaluated by ``onnx.reference``).  Each node
with a data input maps onto builder calls (docs/import.md lists every op and its
exact semantics); any other op is refused with its name and position.  A data
node that does not lead to the output is refused too: nothing is dropped.

The forward-pass comparison runs the model with onnxruntime (all graph
optimisations off, so the model's own arithmetic runs), or with
``onnx.reference`` when onnxruntime is not installed.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from tropexact.errors import InputError
from ._build import array_values, check_options, exact, float32, require, vector
from ._check import describe
from ._conv import check_window
from ._graph_build import GraphBuilder, Tensor
from ._graph_check import GraphConversion, add_batch_norm, finish_graph
from ._onnx import _load, _read_constants
from ._onnx_max import attrs, node_label

__all__ = ["from_onnx_graph", "GRAPH_OPS"]

GRAPH_OPS = ("Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
             "BatchNormalization", "Add", "Sub", "Mul", "Div", "Concat", "Flatten", "Reshape",
             "Max", "Dropout", "Identity", "Relu", "LeakyRelu", "Gemm", "MatMul")


class _Walk:
    """The state of the walk: constants, data tensors, the builder, the batch size."""

    def __init__(self, consts: dict, label: dict, b: GraphBuilder, batch: int, np: Any):
        self.consts, self.label, self.b, self.batch, self.np = consts, label, b, batch, np
        self.data: dict[str, Tensor] = {}

    def const(self, name: str, where: str) -> Any:
        if name not in self.consts:
            raise InputError(f"input '{name}' must be a constant (initializer or Constant "
                             "node), not data", where=where)
        return self.consts[name]

    def values(self, name: str, where: str) -> list:
        """A constant's entries, flattened, as exact numbers."""
        arr = self.const(name, where)
        return list(vector(array_values(arr.reshape(-1), self.label.get(name, name)),
                           self.label.get(name, name)))

    def broadcast(self, name: str, x: Tensor, where: str) -> list:
        """A constant broadcast to one sample of *x* (it may not widen the data)."""
        np = self.np
        arr = self.const(name, where)
        full = (self.batch, *x.shape)
        try:
            if math.prod(arr.shape) > x.size or np.broadcast_shapes(arr.shape, full) != full:
                raise ValueError
            arr = np.broadcast_to(arr, full)[0]
        except ValueError:
            raise InputError(f"constant of shape {tuple(arr.shape)} does not broadcast to "
                             f"the data's shape {full}", where=where) from None
        return list(vector(array_values(arr.reshape(-1), where), where))


def _where(k: int, n: Any) -> str:
    return f"{node_label(n)} (#{k}, {n.op_type})"


def _window(n: Any, x: Tensor, where: str, kernel: Any = None) -> tuple:
    """(kernel, strides, dilations, pads) of a Conv or pooling node on *x* (a Conv's
    kernel shape defaults to its weight's, *kernel*)."""
    a = attrs(n)
    k = len(x.shape) - 1
    kernel = check_window(list(a.get("kernel_shape", kernel or [])), k, "kernel_shape", where)
    strides = check_window(list(a.get("strides", [1] * k)), k, "strides", where)
    dil = check_window(list(a.get("dilations", [1] * k)), k, "dilations", where)
    pads = check_window(list(a.get("pads", [0] * 2 * k)), 2 * k, "pads", where, least=0)
    auto = a.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto == "VALID":
        pads = (0,) * 2 * k
    elif auto in ("SAME_UPPER", "SAME_LOWER"):
        pads = _same_pads(x.shape[1:], kernel, strides, dil, auto == "SAME_UPPER")
    elif auto != "NOTSET":
        raise InputError(f"auto_pad={auto!r} is not supported", where=where)
    return kernel, strides, dil, pads


def _same_pads(space: tuple, kernel: tuple, strides: tuple, dil: tuple, upper: bool) -> tuple:
    begins, ends = [], []
    for L, k, s, d in zip(space, kernel, strides, dil):
        total = max((-(-L // s) - 1) * s + d * (k - 1) + 1 - L, 0)
        small, big = total // 2, total - total // 2
        begins.append(small if upper else big)
        ends.append(big if upper else small)
    return (*begins, *ends)


def _conv(w: _Walk, n: Any, x: Tensor, where: str) -> Tensor:
    np = w.np
    if len(n.input) < 2 or n.input[1] not in w.consts or \
            (len(n.input) > 2 and n.input[2] and n.input[2] not in w.consts):
        raise InputError("a Conv with a non-constant weight or bias is not supported (they "
                         "must be initializers or Constants)", where=where)
    W = w.consts[n.input[1]]
    a = attrs(n)
    if list(a.get("kernel_shape", W.shape[2:])) != list(W.shape[2:]):
        raise InputError(f"kernel_shape {list(a['kernel_shape'])} differs from the weight's "
                         f"{list(W.shape[2:])}", where=where)
    kernel, strides, dil, pads = _window(n, x, where, list(W.shape[2:]))
    label = w.label[n.input[1]]
    weight = np.vectorize(lambda v: exact(float(v), label), otypes=[object])(W).tolist()
    bias = w.values(n.input[2], where) if len(n.input) > 2 and n.input[2] else None
    return w.b.conv(x, weight, bias, strides, dil, pads, int(a.get("group", 1)), where)


def _pool(w: _Walk, n: Any, x: Tensor, where: str) -> Tensor:
    a = attrs(n)
    kernel, strides, dil, pads = _window(n, x, where)
    ceil = bool(a.get("ceil_mode", 0))
    if n.op_type == "MaxPool":
        if int(a.get("storage_order", 0)):
            raise InputError("storage_order=1 is not supported", where=where)
        return w.b.max_pool(x, kernel, strides, dil, pads, ceil, where)
    if any(d != 1 for d in dil):
        raise InputError("AveragePool with dilations is not supported", where=where)
    return w.b.avg_pool(x, kernel, strides, pads, ceil, bool(a.get("count_include_pad", 0)),
                        where)


def _reshape(w: _Walk, n: Any, x: Tensor, where: str) -> Tensor:
    target = [int(v) for v in w.const(n.input[1], where).reshape(-1).tolist()]
    full = (w.batch, *x.shape)
    if not int(attrs(n).get("allowzero", 0)):
        target = [full[i] if v == 0 and i < len(full) else v for i, v in enumerate(target)]
    return w.b.batch_reshape(x, target, w.batch, where)


def _gemm(w: _Walk, n: Any, x: Tensor, where: str) -> Tensor:
    a = attrs(n)
    if len(x.shape) != 1 or a.get("transA", 0):
        raise InputError(f"Gemm needs (batch, features) data as its first input (data shape "
                         f"{x.shape}, transA={a.get('transA', 0)})", where=where)
    B = w.const(n.input[1], where)
    rows = array_values(B if a.get("transB", 0) else B.T, w.label[n.input[1]], 2)
    alpha = exact(float(a.get("alpha", 1.0)), f"{where}.alpha")
    beta = exact(float(a.get("beta", 1.0)), f"{where}.beta")
    W = [[alpha * exact(v, w.label[n.input[1]]) for v in r] for r in rows]
    y = w.b.linear(x, W, None, where)
    if len(n.input) > 2 and n.input[2]:
        c = w.broadcast(n.input[2], y, where)
        y = w.b.add_const(y, [beta * v for v in c], where)
    return y


def _binary(w: _Walk, n: Any, ins: list, where: str) -> Tensor:
    """Add / Sub / Mul / Div / Max with data and constant operands."""
    op, b = n.op_type, w.b
    data = [w.data[t] for t in ins if t in w.data]
    if op in ("Add", "Max") and len(data) == len(ins):
        return b.add(data, where) if op == "Add" else b.maximum(data, where)
    if len(ins) != 2 or len(data) != 1 or (op in ("Sub", "Div") and ins[0] not in w.data):
        raise InputError(f"{op} of {len(data)} data and {len(ins) - len(data)} constant "
                         "operands is not supported (Add/Max: data tensors of one shape, or "
                         "data and one constant; Sub/Div: data first)", where=where)
    x = data[0]
    c = w.broadcast(ins[1] if ins[0] in w.data else ins[0], x, where)
    if op == "Add":
        return b.add_const(x, c, where)
    if op == "Sub":
        return b.add_const(x, [-v for v in c], where)
    if op == "Mul":
        return b.mul_const(x, c, where)
    if op == "Div":
        if any(v == 0 for v in c):
            raise InputError("division by zero", where=where)
        return b.mul_const(x, [1 / v for v in c], where)
    raise InputError("a Max of data and constants is not supported", where=where)


def _data_node(w: _Walk, k: int, n: Any) -> Tensor:
    """The builder calls of one node with data input(s)."""
    op, where, b = n.op_type, _where(k, n), w.b
    ins = [t for t in n.input if t]
    x = w.data.get(n.input[0]) if n.input else None
    if op in ("Add", "Sub", "Mul", "Div", "Max"):
        return _binary(w, n, ins, where)
    if op == "Concat":
        if any(t not in w.data for t in ins):
            raise InputError("Concat of data and constants is not supported", where=where)
        xs = [w.data[t] for t in ins]
        axis = int(attrs(n)["axis"])
        axis = axis + len(xs[0].shape) + 1 if axis < 0 else axis
        if axis == 0:
            raise InputError("Concat along the batch axis is not supported", where=where)
        return b.concat(xs, axis - 1, where)
    if x is None:
        raise InputError("its data must be the first input", where=where)
    if op == "Conv":
        return _conv(w, n, x, where)
    if any(t in w.data for t in ins[1:]):
        raise InputError("only its first input may be data", where=where)
    if op in ("MaxPool", "AveragePool"):
        return _pool(w, n, x, where)
    if op == "GlobalAveragePool":
        return b.global_avg(x, where)
    if op == "GlobalMaxPool":
        return b.adaptive(x, (1,) * (len(x.shape) - 1), "max", where)
    if op == "BatchNormalization":
        a = attrs(n)
        if int(a.get("training_mode", 0)):
            raise InputError("training_mode=1 is not supported (export in eval mode)",
                             where=where)
        s, bb, m, v = (w.const(t, where).reshape(-1).tolist() for t in n.input[1:5])
        return add_batch_norm(b, x, v, s, bb, m, float(a.get("epsilon", 1e-5)), where)
    if op == "Flatten":
        axis = int(attrs(n).get("axis", 1))
        if axis not in (1, -len(x.shape)):
            raise InputError(f"Flatten(axis={axis}) is not supported (only axis=1, keeping "
                             "the batch axis)", where=where)
        return b.reshape(x, (x.size,), where)
    if op == "Reshape":
        return _reshape(w, n, x, where)
    if op in ("Dropout", "Identity"):
        if op == "Dropout" and len(ins) > 2 and bool(w.const(ins[2], where)):
            raise InputError("Dropout in training mode is not supported", where=where)
        return x
    if op == "Relu":
        return b.relu(x, where)
    if op == "LeakyRelu":
        return b.leaky_relu(x, exact(float(attrs(n).get("alpha", float32(0.01))), where),
                            where)
    if op == "Gemm":
        return _gemm(w, n, x, where)
    if op == "MatMul":  # x @ B on the last axis
        B = w.const(n.input[1], where)
        if B.ndim != 2:
            raise InputError(f"MatMul weight of shape {tuple(B.shape)}; expected 2-D",
                             where=where)
        rows = array_values(B.T, w.label[n.input[1]], 2)
        return b.linear(x, [vector(r, w.label[n.input[1]]) for r in rows], None, where)
    raise InputError(f"unsupported ONNX op {op!r} at {where} (supported: "
                     f"{', '.join(GRAPH_OPS)})")


def _fold_constant(w: _Walk, n: Any, where: str) -> None:
    """Evaluate a node whose inputs are all constants (shape plumbing)."""
    from onnx.reference import ReferenceEvaluator
    try:
        outs = ReferenceEvaluator(n).run(None, {t: w.consts[t] for t in n.input if t})
    except Exception as e:
        raise InputError(f"cannot evaluate this constant computation ({describe(e)})",
                         where=where) from None
    for t, v in zip(n.output, outs):
        if t:
            w.consts[t] = w.np.asarray(v)
            w.label[t] = f"constant '{t}'"


def _walk(w: _Walk, nodes: list, all_nodes: list, out_name: str) -> Tensor:
    """Run through the nodes; the output tensor.  Refuses data nodes off the output path."""
    made: dict = {}
    for n in nodes:
        k = next(i for i, m in enumerate(all_nodes) if m is n)
        where = _where(k, n)
        if n.domain not in ("", "ai.onnx"):
            raise InputError(f"unsupported ONNX op '{n.domain}.{n.op_type}' at {where}")
        if n.op_type == "Shape" and n.input[0] in w.data:
            full = (w.batch, *w.data[n.input[0]].shape)
            a = attrs(n)
            w.consts[n.output[0]] = w.np.array(full[a.get("start", 0):a.get("end", len(full))],
                                               dtype=w.np.int64)
            continue
        if not any(t in w.data for t in n.input if t):
            _fold_constant(w, n, where)
            continue
        y = _data_node(w, k, n)
        for t in n.output[1:]:
            if t and (t == out_name or any(t in m.input for m in all_nodes)):
                raise InputError(f"its second output '{t}' is used; not supported", where=where)
        w.data[n.output[0]] = y
        made[n.output[0]] = (n, where)
    if out_name not in w.data:
        raise InputError(f"the graph output '{out_name}' does not depend on the input")
    _check_all_used(made, out_name)
    return w.data[out_name]


def _check_all_used(made: dict, out_name: str) -> None:
    """Every data node leads to the output (a dead branch is an error, never dropped)."""
    live, stack = set(), [out_name]
    while stack:
        t = stack.pop()
        if t in live or t not in made:
            continue
        live.add(t)
        stack.extend(i for i in made[t][0].input if i)
    for t, (n, where) in made.items():
        if t not in live:
            raise InputError(f"{where} computes data that does not reach the graph output "
                             f"'{out_name}'; not supported")


def _ort_forward(proto: Any, name: str, batch: int | None, shape: tuple, np_dtype: Any,
                 out_name: str, np: Any) -> tuple[Callable, str]:
    """The model's own forward pass: onnxruntime (optimisations off), else onnx.reference."""
    try:
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        sess = ort.InferenceSession(proto.SerializeToString(), opts,
                                    providers=["CPUExecutionProvider"])
        engine = "onnxruntime"
    except ImportError:
        from onnx.reference import ReferenceEvaluator
        sess = ReferenceEvaluator(proto)
        engine = "onnx.reference (onnxruntime is not installed)"

    def forward(points: list) -> list:
        size = batch or len(points)
        out: list = []
        for i in range(0, len(points), size):
            chunk = points[i:i + size]
            x = np.asarray(chunk + [chunk[0]] * (size - len(chunk)), dtype=np_dtype)
            y = sess.run([out_name], {name: x.reshape((size, *shape))})[0]
            out.extend(np.asarray(y).astype(np.float64).reshape(size, -1)[:len(chunk)].tolist())
        return out
    return forward, engine


def _input(proto: Any, consts: dict, input_shape: tuple | None) -> tuple:
    """(name, element type, batch dim or None, per-sample shape) of the one data input."""
    inputs = [i for i in proto.graph.input if i.name not in consts]
    if len(inputs) != 1 or len(proto.graph.output) != 1:
        raise InputError(f"the graph has {len(inputs)} data inputs and "
                         f"{len(proto.graph.output)} outputs, expected one of each")
    inp = inputs[0]
    tt = inp.type.tensor_type
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim] \
        if tt.HasField("shape") else None
    if not dims or len(dims) < 2:
        raise InputError(f"graph input '{inp.name}' has shape {dims}; expected (batch, ...)")
    feats = tuple(dims[1:])
    if input_shape is not None:
        if any(f is not None and f != s for f, s in zip(feats, input_shape)) or \
                len(input_shape) != len(feats):
            raise InputError(f"input_shape={list(input_shape)}, but graph input '{inp.name}' "
                             f"has shape {dims}", param="input_shape")
        feats = tuple(input_shape)
    if any(f is None for f in feats):
        raise InputError(f"graph input '{inp.name}' has a symbolic shape {dims}: pass "
                         "input_shape (the shape of one sample)", param="input_shape")
    return inp.name, tt.elem_type, dims[0], feats


def from_onnx_graph(model: Any, *, input_shape: Any = None, max_denominator: int | None = None,
                    samples: int = 64, seed: int = 0) -> GraphConversion:
    """Convert an ONNX model (ModelProto, bytes or path) to an exact computation graph.

    The ops and their exact semantics: docs/import.md.  *input_shape* is the shape
    of one sample (no batch axis), needed only when the graph's is symbolic.
    """
    check_options(None, max_denominator, samples)
    require("onnx")
    np = require("numpy")
    from onnx import TensorProto, numpy_helper
    proto, path = _load(model)
    try:
        return _convert(proto, np, TensorProto, numpy_helper, input_shape, max_denominator,
                        samples, seed)
    except InputError as e:
        raise (e.at(path) if path else e) from None


def _convert(proto: Any, np: Any, TensorProto: Any, numpy_helper: Any, input_shape: Any,
             max_denominator: int | None, samples: int, seed: int) -> GraphConversion:
    consts, label, nodes = _read_constants(proto.graph, np, numpy_helper)
    shape = None if input_shape is None else tuple(input_shape)
    name, elem, batch, feats = _input(proto, consts, shape)
    b = GraphBuilder(feats)
    w = _Walk(consts, label, b, batch or 1, np)
    w.data[name] = b.input
    out = _walk(w, nodes, list(proto.graph.node), proto.graph.output[0].name)
    dtypes = {TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64}
    forward, reason, notes = None, None, []
    if elem in dtypes:
        forward, engine = _ort_forward(proto, name, batch, feats, dtypes[elem],
                                       proto.graph.output[0].name, np)
        notes.append(f"reference forward pass: {engine}")
    else:
        reason = (f"forward-pass comparison skipped: input element type "
                  f"{TensorProto.DataType.Name(elem)} is not float32/float64")
    dtype = np.dtype(dtypes[elem]).name if elem in dtypes else None
    return finish_graph(b, out, source="onnx", dtype=dtype, forward=forward,
                        max_denominator=max_denominator, samples=samples, seed=seed,
                        notes=notes, no_forward_reason=reason)
