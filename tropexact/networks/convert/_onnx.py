"""ONNX importer: a single chain of Gemm / MatMul+Add / Relu / LeakyRelu / Identity / Flatten.

Parsed with the ``onnx`` package only (no onnxruntime); the forward-pass check
uses ``onnx.reference.ReferenceEvaluator``.  onnx and numpy are imported inside
the functions only.
"""

from __future__ import annotations

import math
import os
from typing import Any, Callable

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from ._build import Builder, Conversion, check_options, exact, finish, float32, leaky_slope, \
    matrix, model_path, require, transpose, vector

__all__ = ["from_onnx", "SUPPORTED_OPS"]

SUPPORTED_OPS = ("Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Identity", "Flatten")
_AFFINE = ("Gemm", "MatMul")


def _node_label(n: Any) -> str:
    if n.name:
        return f"node '{n.name}'"
    return f"node producing '{n.output[0]}'" if n.output else "unnamed node"


def _load(model: Any) -> tuple[Any, str | None]:
    onnx = require("onnx")
    if isinstance(model, onnx.ModelProto):
        return model, None
    if isinstance(model, (bytes, bytearray)):
        try:
            return onnx.load_from_string(bytes(model)), None
        except Exception as e:
            raise InputError(f"not an ONNX model ({type(e).__name__})") from None
    if isinstance(model, (str, os.PathLike)):
        p = model_path(model, "an .onnx file")
        try:
            return onnx.load(p), p
        except Exception as e:
            msg = str(e).splitlines()[0] if str(e) else ""
            raise InputError(f"not an ONNX model ({type(e).__name__}: {msg})", where=p) from None
    raise InputError(f"expected an onnx.ModelProto, bytes or a path, got {type(model).__name__}")


def _attrs(n: Any) -> dict:
    from onnx import helper
    return {a.name: helper.get_attribute_value(a) for a in n.attribute}


def _constant(n: Any, np: Any) -> Any:
    from onnx import numpy_helper
    a = _attrs(n)
    if "value" in a:
        return numpy_helper.to_array(a["value"])
    for key in ("value_float", "value_int"):
        if key in a:
            return np.array(a[key])
    for key in ("value_floats", "value_ints"):
        if key in a:
            return np.array(list(a[key]))
    raise InputError(f"Constant with attributes {sorted(a)} is not supported", where=_node_label(n))


def _values(arr: Any, where: str) -> list:
    kind = arr.dtype.kind
    if kind not in "fiu" or (kind == "f" and arr.dtype.itemsize > 8):
        raise InputError(f"dtype {arr.dtype} is not supported (expected float or integer)",
                         where=where)
    return arr.tolist()  # float16/32/64 -> Python float is exact


def _row_vector(arr: Any, n: int, where: str) -> list:
    """A bias-like constant that broadcasts to (1, n): shapes (), (1,), (n,), (1, 1), (1, n)."""
    shape = tuple(arr.shape)
    ok = (arr.ndim <= 2 and arr.size in (1, n) and (arr.ndim < 2 or shape[0] == 1))
    if not ok:
        raise InputError(f"has shape {shape}, which does not broadcast to one row of {n}",
                         where=where)
    vals = _values(arr.reshape(-1), where)
    return vals * n if len(vals) == 1 else vals


def from_onnx(model: Any, *, input_dim: int | None = None, max_denominator: int | None = None,
              samples: int = 64, seed: int = 0) -> Conversion:
    """Convert an ONNX MLP (an ``onnx.ModelProto``, its bytes, or a path).

    The data path from the single graph input to the single graph output must
    be a chain of Gemm (transA=0; transB, alpha and beta applied exactly, alpha
    and beta being the float32 attribute values), MatMul (optionally followed by
    Add), Add of a constant, Relu, LeakyRelu (alpha, default float32(0.01)),
    Identity and Flatten(axis=1).  Weights come from initializers or Constant
    nodes.  Any other op is an error naming it and its node.
    """
    check_options(input_dim, max_denominator, samples)
    require("onnx")
    np = require("numpy")
    from onnx import TensorProto, numpy_helper

    proto, path = _load(model)
    try:
        return _convert(proto, np, TensorProto, numpy_helper, input_dim=input_dim,
                        max_denominator=max_denominator, samples=samples, seed=seed)
    except InputError as e:
        raise (e.at(path) if path else e) from None


def _convert(proto: Any, np: Any, TensorProto: Any, numpy_helper: Any, *, input_dim: int | None,
             max_denominator: int | None, samples: int, seed: int) -> Conversion:
    graph = proto.graph
    consts: dict = {}
    label: dict = {}
    for init in graph.initializer:
        try:
            consts[init.name] = numpy_helper.to_array(init)
        except Exception as e:
            raise InputError(f"cannot read initializer {init.name!r} ({type(e).__name__})") \
                from None
        label[init.name] = f"initializer '{init.name}'"
    if len(graph.sparse_initializer):
        raise InputError("sparse initializers are not supported")
    others = []
    for n in graph.node:
        std = n.domain in ("", "ai.onnx")
        if std and n.op_type == "Constant" and len(n.output) == 1:
            consts[n.output[0]] = _constant(n, np)
            label[n.output[0]] = f"constant '{n.output[0]}'"
        elif std and n.op_type == "Identity" and n.input and n.input[0] in consts:
            consts[n.output[0]] = consts[n.input[0]]
            label[n.output[0]] = label[n.input[0]]
        else:
            others.append(n)

    inputs = [i for i in graph.input if i.name not in consts]
    if len(inputs) != 1:
        raise InputError(f"the graph has {len(inputs)} data inputs, expected one "
                         "(is this an ONNX model of an MLP?)")
    if len(graph.output) != 1:
        raise InputError(f"the graph has {len(graph.output)} outputs, expected one")
    inp, out_name = inputs[0], graph.output[0].name

    # -- walk the single data path ------------------------------------------
    chain: list[tuple[Any, int]] = []
    cur = inp.name
    while True:
        consumers = [n for n in others if cur in n.input]
        if cur == out_name:
            if consumers:
                raise InputError(f"the graph output '{out_name}' is also used by "
                                 f"{_node_label(consumers[0])}; expected a single chain")
            break
        if not consumers:
            raise InputError(f"the data path ends at tensor '{cur}', which is not the graph "
                             f"output '{out_name}'")
        if len(consumers) > 1:
            names = ", ".join(_node_label(n) for n in consumers)
            raise InputError(f"the data path branches at tensor '{cur}' (used by {names}); "
                             "only a single chain of layers is supported")
        n = consumers[0]
        if n.domain not in ("", "ai.onnx") or n.op_type not in SUPPORTED_OPS:
            op = n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"
            raise InputError(f"unsupported ONNX op {op!r} ({_node_label(n)}) (supported: "
                             f"{', '.join(SUPPORTED_OPS)})")
        uses = [i for i, t in enumerate(n.input) if t == cur]
        if len(uses) != 1:
            raise InputError(f"uses the data tensor '{cur}' twice", where=_node_label(n))
        for i, t in enumerate(n.input):
            if i != uses[0] and t and t not in consts:
                raise InputError(f"input '{t}' is neither the data path nor a constant "
                                 "(initializer or Constant node)", where=_node_label(n))
        for t in n.output[1:]:
            if t and (t == out_name or any(t in m.input for m in others)):
                raise InputError(f"its second output '{t}' is used; not supported",
                                 where=_node_label(n))
        if any(n is c for c, _ in chain):
            raise InputError("the graph has a cycle", where=_node_label(n))
        chain.append((n, uses[0]))
        cur = n.output[0]
    on_path = [c for c, _ in chain]
    for n in others:
        if not any(n is c for c in on_path):
            raise InputError(f"{_node_label(n)} ({n.op_type}) is not on the data path from "
                             f"'{inp.name}' to '{out_name}'; only a single chain is supported")

    # -- the input shape -----------------------------------------------------
    notes: list = []
    tt = inp.type.tensor_type if inp.type.HasField("tensor_type") else None
    if tt is None:
        raise InputError(f"graph input '{inp.name}' is not a tensor")
    if tt.HasField("shape"):
        dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
    else:
        dims = None
        notes.append(f"graph input '{inp.name}' has no shape; assumed (batch, input_dim)")
    if dims is not None and len(dims) == 0:
        raise InputError(f"graph input '{inp.name}' is a scalar; expected (batch, features)")
    rank = 2 if dims is None else len(dims)
    feat = [None] if dims is None else (dims if rank == 1 else dims[1:])
    batch = None if dims is None or rank == 1 else dims[0]

    first_in = None
    for n, pos in chain:
        if n.op_type in _AFFINE:
            B = consts.get(n.input[1]) if pos == 0 and len(n.input) > 1 else None
            if B is not None and B.ndim == 2:
                tb = n.op_type == "Gemm" and _attrs(n).get("transB", 0)
                first_in = int(B.shape[1] if tb else B.shape[0])
            break
    if all(f is not None for f in feat):
        d = math.prod(feat)
        if input_dim is not None and input_dim != d:
            raise InputError(f"input_dim={input_dim}, but graph input '{inp.name}' has shape "
                             f"{tuple(dims)} ({d} features)")
    elif input_dim is not None:
        d = input_dim
    elif first_in is not None:
        d = first_in
        notes.append(f"input dimension {d} taken from the first {chain[0][0].op_type}'s weight "
                     f"(graph input '{inp.name}' has a symbolic shape)")
    else:
        raise InputError(f"graph input '{inp.name}' has a symbolic shape and no weight fixes "
                         "its size: pass input_dim")

    # -- build ---------------------------------------------------------------
    b = Builder(d)
    cur_rank = rank
    for n, pos in chain:
        op = n.op_type
        where = f"{_node_label(n)} ({op})"
        a = _attrs(n)
        if op in ("Gemm", "MatMul"):
            if pos != 0:
                raise InputError(f"the data must be {op}'s first input", where=where)
            if cur_rank > 2:
                raise InputError(f"the data has rank {cur_rank}; a Flatten(axis=1) must come "
                                 "first", where=where)
            if op == "Gemm" and cur_rank != 2:
                raise InputError("Gemm needs 2-D (batch, features) data", where=where)
            if len(n.input) < 2 or not n.input[1]:
                raise InputError("missing its weight input", where=where)
            Bname = n.input[1]
            B = consts[Bname]
            if B.ndim != 2:
                raise InputError(f"weight {label[Bname]} has shape {tuple(B.shape)}, "
                                 "expected 2-D", where=where)
            Bm = matrix(_values(B, label[Bname]), label[Bname])
            if op == "MatMul":
                W = transpose(Bm)
                bias = (Q(0),) * len(W)
            else:
                if a.get("transA", 0):
                    raise InputError("transA=1 (the data transposed) is not supported",
                                     where=where)
                W = Bm if a.get("transB", 0) else transpose(Bm)
                alpha = exact(float(a.get("alpha", 1.0)), f"{where}.alpha")
                beta = exact(float(a.get("beta", 1.0)), f"{where}.beta")
                if alpha != 1:
                    W = tuple(tuple(alpha * w for w in row) for row in W)
                if len(n.input) > 2 and n.input[2]:
                    Cname = n.input[2]
                    c = vector(_row_vector(consts[Cname], len(W), label[Cname]), label[Cname])
                    bias = tuple(beta * v for v in c)
                else:
                    bias = (Q(0),) * len(W)
            b.affine(W, bias, where)
        elif op == "Add":
            if cur_rank > 2:
                raise InputError(f"the data has rank {cur_rank}; Add is supported after "
                                 "Flatten/Gemm/MatMul only", where=where)
            if len(n.input) != 2:
                raise InputError(f"has {len(n.input)} inputs, expected 2", where=where)
            cname = n.input[1 - pos]
            if b.width is None:
                raise InputError("Add before the input size is known", where=where)
            c = vector(_row_vector(consts[cname], b.width, label[cname]), label[cname])
            b.add_bias(c, where)
        elif op == "Relu":
            b.activation("relu", None, where)
        elif op == "LeakyRelu":
            alpha = float(a.get("alpha", float32(0.01)))
            kind, slope, note = leaky_slope(alpha, where)
            if note:
                b.notes.append(note)
            b.activation(kind, slope, where)
        elif op == "Flatten":
            axis = int(a.get("axis", 1))
            if axis < 0:
                axis += cur_rank
            if cur_rank < 2 or axis != 1:
                raise InputError(f"Flatten(axis={a.get('axis', 1)}) on data of rank {cur_rank} "
                                 "is not supported (only axis=1: keep the batch axis)",
                                 where=where)
            cur_rank = 2
        # Identity: nothing
    layers = b.finish()

    # -- forward pass with the reference evaluator ---------------------------
    dtypes = {TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64,
              TensorProto.FLOAT16: np.float16}
    np_dtype = dtypes.get(tt.elem_type)
    dtype_name = None if np_dtype is None else np.dtype(np_dtype).name
    shape = _sample_shape(feat, d)
    forward: Callable | None = None
    reason: str | None = None
    if np_dtype is None:
        reason = (f"forward-pass comparison skipped: graph input element type "
                  f"{TensorProto.DataType.Name(tt.elem_type)} is not float16/32/64")
    elif shape is None:
        reason = ("forward-pass comparison skipped: cannot shape a sample for graph input "
                  f"'{inp.name}' with dims {tuple(dims or ())}")
    else:
        def onnx_forward(points: list) -> list:
            from onnx.reference import ReferenceEvaluator
            sess = ReferenceEvaluator(proto)
            out: list = []
            if rank == 1:
                chunks = [[p] for p in points]
            else:
                size = batch if batch else len(points)
                chunks = [points[i:i + size] for i in range(0, len(points), size)]
            for chunk in chunks:
                k = len(chunk)
                size = k if rank == 1 or not batch else batch
                rows = chunk + [chunk[0]] * (size - k)
                x = np.asarray(rows, dtype=np_dtype)
                x = x.reshape(tuple(shape)) if rank == 1 else x.reshape((size, *shape))
                y = sess.run([out_name], {inp.name: x})[0]
                y = np.asarray(y).astype(np.float64).reshape(size if rank != 1 else 1, -1)
                out.extend(y[:k].tolist())
            return out
        forward = onnx_forward
    return finish(layers, d, source="onnx", dtype=dtype_name, forward=forward,
                  max_denominator=max_denominator, samples=samples, seed=seed,
                  notes=notes + b.notes, no_forward_reason=reason)


def _sample_shape(feat: list, d: int) -> list | None:
    """The non-batch shape of one sample, filling one symbolic dim from d if needed."""
    unknown = [i for i, f in enumerate(feat) if f is None]
    if not unknown:
        return list(feat)
    if len(unknown) > 1:
        return None
    known = math.prod(f for f in feat if f is not None)
    if known == 0 or d % known:
        return None
    out = list(feat)
    out[unknown[0]] = d // known
    return out
