"""ONNX importer: a single chain of Gemm / MatMul+Add / Relu / LeakyRelu / Identity / Flatten,
and maxout (a Max over affine branches, or a Reshape + ReduceMax / MaxPool run: ``_onnx_max``).

Parsed with the ``onnx`` package only (no onnxruntime); the forward-pass check
uses ``onnx.reference.ReferenceEvaluator``.  onnx and numpy are imported inside
the functions only.

The conversion runs in four steps, one function each:

1. :func:`_parse_graph` reads the constants (initializers, ``Constant`` nodes)
   and finds the single data input and output;
2. :func:`_data_path` walks from the input to the output, checking that every
   node on the way is supported and that nothing branches off or lies aside;
3. :func:`_layers` maps the ops on the path onto exact layers (a
   :class:`~._build.Builder`), after :func:`_input_dim` fixed the input size;
4. :func:`_forward` prepares the reference evaluator for the comparison.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Callable

from tropexact.errors import InputError
from tropexact.networks.activation import Activation
from ._build import Builder, array_values, check_input_dim, check_options, exact, float32, \
    leaky_slope, matrix, model_path, require, transpose, vector, zeros
from ._check import Conversion, describe, finish
from ._onnx_max import RUN_OPS, RUN_STARTS, Branches, attrs as _attrs, branches, \
    node_label as _node_label, probe_run, shape_nodes

__all__ = ["from_onnx", "SUPPORTED_OPS"]

SUPPORTED_OPS = ("Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Identity", "Flatten", "Max",
                 "Reshape", "Squeeze", "Unsqueeze", "Transpose", "MaxPool", "ReduceMax")
_AFFINE = ("Gemm", "MatMul")
_STANDARD = ("", "ai.onnx")  # the default operator domain


def _load(model: Any) -> tuple[Any, str | None]:
    """(the ModelProto, its path or None) of a ModelProto, its bytes or a path."""
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
            raise InputError(f"not an ONNX model ({describe(e)})", where=p) from None
    raise InputError(f"expected an onnx.ModelProto, bytes or a path, got {type(model).__name__}")


def _constant(n: Any, np: Any) -> Any:
    """The array of a ``Constant`` node."""
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


# -- 1. the graph ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Graph:
    """A parsed graph: its constant tensors and data nodes, its one input and output."""

    consts: dict  # tensor name -> numpy array
    label: dict  # tensor name -> "initializer 'W'" or "constant 'c'", for messages
    nodes: list  # every node that is not a constant
    inp: Any  # the graph input (ValueInfoProto)
    out_name: str
    shape_outs: frozenset = frozenset()  # outputs of shape computations (Shape, ...)

    def row_vector(self, name: str, n: int) -> tuple:
        """The constant *name*, which must broadcast to one row of *n*, as exact numbers."""
        arr, where = self.consts[name], self.label[name]
        shape = tuple(arr.shape)
        if not (arr.ndim <= 2 and arr.size in (1, n) and (arr.ndim < 2 or shape[0] == 1)):
            raise InputError(f"has shape {shape}, which does not broadcast to one row of {n}",
                             where=where)
        vals = array_values(arr.reshape(-1), where)
        return vector(vals * n if len(vals) == 1 else vals, where)


def _read_constants(graph: Any, np: Any, numpy_helper: Any) -> tuple[dict, dict, list]:
    """(name → array, name → label, the other nodes): initializers, Constant nodes and
    Identities of constants are constants."""
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
        std = n.domain in _STANDARD
        if std and n.op_type == "Constant" and len(n.output) == 1:
            consts[n.output[0]] = _constant(n, np)
            label[n.output[0]] = f"constant '{n.output[0]}'"
        elif std and n.op_type == "Identity" and n.input and n.input[0] in consts:
            consts[n.output[0]] = consts[n.input[0]]
            label[n.output[0]] = label[n.input[0]]
        else:
            others.append(n)
    return consts, label, others


def _parse_graph(proto: Any, np: Any, numpy_helper: Any) -> _Graph:
    """The constants and data nodes of *proto*, which must have one data input and one output."""
    graph = proto.graph
    consts, label, nodes = _read_constants(graph, np, numpy_helper)
    inputs = [i for i in graph.input if i.name not in consts]
    if len(inputs) != 1:
        raise InputError(f"the graph has {len(inputs)} data inputs, expected one "
                         "(is this an ONNX model of an MLP?)")
    if len(graph.output) != 1:
        raise InputError(f"the graph has {len(graph.output)} outputs, expected one")
    nodes, _, shape_outs = shape_nodes(nodes, consts)
    return _Graph(consts, label, nodes, inputs[0], graph.output[0].name, frozenset(shape_outs))


# -- 2. the data path --------------------------------------------------------------------

def _next_node(g: _Graph, cur: str) -> Any | None:
    """The one node that reads tensor *cur*; None once *cur* is the graph output."""
    consumers = [n for n in g.nodes if cur in n.input]
    if cur == g.out_name:
        if consumers:
            raise InputError(f"the graph output '{g.out_name}' is also used by "
                             f"{_node_label(consumers[0])}; expected a single chain")
        return None
    if not consumers:
        raise InputError(f"the data path ends at tensor '{cur}', which is not the graph "
                         f"output '{g.out_name}'")
    if len(consumers) > 1:
        return branches(g.nodes, cur, consumers)
    return consumers[0]


def _data_input(g: _Graph, n: Any, cur: str) -> int:
    """Check node *n*, which reads the data tensor *cur*; the position of that input.

    The op must be supported, its other inputs constants (or shape computations, for
    the ops of a max-pooling run), its other outputs unused.  For affine branches
    joined by a Max, every branch is checked.
    """
    if isinstance(n, Branches):
        for affine, add in n.arms:
            _data_input(g, affine, cur)
            if add is not None:
                _data_input(g, add, affine.output[0])
        return 0
    if n.domain not in _STANDARD or n.op_type not in SUPPORTED_OPS:
        op = n.op_type if n.domain in _STANDARD else f"{n.domain}.{n.op_type}"
        raise InputError(f"unsupported ONNX op {op!r} ({_node_label(n)}) (supported: "
                         f"{', '.join(SUPPORTED_OPS)})")
    uses = [i for i, t in enumerate(n.input) if t == cur]
    if len(uses) != 1:
        raise InputError(f"uses the data tensor '{cur}' twice", where=_node_label(n))
    for i, t in enumerate(n.input):
        if i != uses[0] and t and t not in g.consts and \
                not (n.op_type in RUN_OPS and t in g.shape_outs):
            raise InputError(f"input '{t}' is neither the data path nor a constant "
                             "(initializer or Constant node)", where=_node_label(n))
    for t in n.output[1:]:
        if t and (t == g.out_name or any(t in m.input for m in g.nodes)):
            raise InputError(f"its second output '{t}' is used; not supported",
                             where=_node_label(n))
    return uses[0]


def _data_path(g: _Graph) -> list[tuple[Any, int]]:
    """The nodes from the graph input to its output, each with the position of its data input.

    Every data node must be on this single chain: nothing is dropped silently.
    """
    chain: list[tuple[Any, int]] = []
    cur = g.inp.name
    while (n := _next_node(g, cur)) is not None:
        pos = _data_input(g, n, cur)
        if any(n is c for c, _ in chain):
            raise InputError("the graph has a cycle", where=_node_label(n))
        chain.append((n, pos))
        cur = n.output[0]
    on_path = [m for c, _ in chain for m in (c.members if isinstance(c, Branches) else [c])]
    for n in g.nodes:
        if not any(n is c for c in on_path):
            raise InputError(f"{_node_label(n)} ({n.op_type}) is not on the data path from "
                             f"'{g.inp.name}' to '{g.out_name}'; only a single chain is "
                             "supported")
    return chain


# -- 3. the input and the layers ---------------------------------------------------------

@dataclass(frozen=True)
class _Input:
    """The graph input's element type and dims (None: no shape; a dim None: symbolic)."""

    name: str
    elem_type: int
    dims: list | None

    @property
    def rank(self) -> int:
        return 2 if self.dims is None else len(self.dims)

    @property
    def features(self) -> list:
        """The non-batch dims (all dims of a rank-1 input)."""
        if self.dims is None:
            return [None]
        return self.dims if self.rank == 1 else self.dims[1:]

    @property
    def batch(self) -> int | None:
        return None if self.dims is None or self.rank == 1 else self.dims[0]


def _graph_input(inp: Any) -> tuple[_Input, list[str]]:
    """The graph input's type and shape, and a note when it has no shape."""
    tt = inp.type.tensor_type if inp.type.HasField("tensor_type") else None
    if tt is None:
        raise InputError(f"graph input '{inp.name}' is not a tensor")
    if not tt.HasField("shape"):
        return _Input(inp.name, tt.elem_type, None), [
            f"graph input '{inp.name}' has no shape; assumed (batch, input_dim)"]
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
    if not dims:
        raise InputError(f"graph input '{inp.name}' is a scalar; expected (batch, features)")
    return _Input(inp.name, tt.elem_type, dims), []


def _first_weight_inputs(chain: list[tuple[Any, int]], consts: dict) -> int | None:
    """The input size the first Gemm/MatMul's 2-D weight fixes, if any."""
    for n, pos in chain:
        if n.op_type in _AFFINE:
            B = consts.get(n.input[1]) if pos == 0 and len(n.input) > 1 else None
            if B is not None and B.ndim == 2:
                tb = n.op_type == "Gemm" and _attrs(n).get("transB", 0)
                return int(B.shape[1] if tb else B.shape[0])
            return None
    return None


def _input_dim(shape: _Input, chain: list[tuple[Any, int]], consts: dict,
               input_dim: int | None) -> tuple[int, list[str]]:
    """The input dimension: from the input's dims, else *input_dim*, else the first weight."""
    first_in = _first_weight_inputs(chain, consts)
    if all(f is not None for f in shape.features):
        d = math.prod(shape.features)
        check_input_dim(input_dim, d, f"graph input '{shape.name}' has shape "
                                      f"{tuple(shape.dims)} ({d} features)")
        return d, []
    if input_dim is not None:
        return input_dim, []
    if first_in is not None:
        return first_in, [f"input dimension {first_in} taken from the first "
                          f"{chain[0][0].op_type}'s weight (graph input '{shape.name}' has a "
                          "symbolic shape)"]
    raise InputError(f"graph input '{shape.name}' has a symbolic shape and no weight fixes "
                     "its size: pass input_dim")


def _weight(g: _Graph, n: Any, where: str) -> tuple:
    """The exact 2-D weight (second input) of a Gemm or MatMul, as stored (rows of B)."""
    if len(n.input) < 2 or not n.input[1]:
        raise InputError("missing its weight input", where=where)
    name = n.input[1]
    B = g.consts[name]
    if B.ndim != 2:
        raise InputError(f"weight {g.label[name]} has shape {tuple(B.shape)}, expected 2-D",
                         where=where)
    return matrix(array_values(B, g.label[name]), g.label[name])


def _gemm(g: _Graph, n: Any, a: dict, B: tuple, where: str) -> tuple[tuple, tuple]:
    """(W, b) of Gemm: alpha·op(B)ᵀ x + beta·C, alpha and beta read exactly."""
    if a.get("transA", 0):
        raise InputError("transA=1 (the data transposed) is not supported", where=where)
    W = B if a.get("transB", 0) else transpose(B)
    alpha = exact(float(a.get("alpha", 1.0)), f"{where}.alpha")
    beta = exact(float(a.get("beta", 1.0)), f"{where}.beta")
    if alpha != 1:
        W = tuple(tuple(alpha * w for w in row) for row in W)
    if len(n.input) > 2 and n.input[2]:
        return W, tuple(beta * v for v in g.row_vector(n.input[2], len(W)))
    return W, zeros(len(W))


def _affine(g: _Graph, n: Any, pos: int, rank: int, where: str) -> tuple[tuple, tuple]:
    """(W, b), W out × in, of a Gemm or MatMul reading 2-D data as its first input."""
    op = n.op_type
    if pos != 0:
        raise InputError(f"the data must be {op}'s first input", where=where)
    if rank > 2:
        raise InputError(f"the data has rank {rank}; a Flatten(axis=1) must come first",
                         where=where)
    if op == "Gemm" and rank != 2:
        raise InputError("Gemm needs 2-D (batch, features) data", where=where)
    B = _weight(g, n, where)
    if op == "MatMul":  # x @ B with B in × out
        W = transpose(B)
        return W, zeros(len(W))
    return _gemm(g, n, _attrs(n), B, where)


def _add_constant(g: _Graph, n: Any, pos: int, rank: int, width: int | None,
                  where: str) -> tuple:
    """The constant an Add adds to the data (broadcast to one row of *width*)."""
    if rank > 2:
        raise InputError(f"the data has rank {rank}; Add is supported after "
                         "Flatten/Gemm/MatMul only", where=where)
    if len(n.input) != 2:
        raise InputError(f"has {len(n.input)} inputs, expected 2", where=where)
    if width is None:
        raise InputError("Add before the input size is known", where=where)
    return g.row_vector(n.input[1 - pos], width)


def _flatten(a: dict, rank: int, where: str) -> int:
    """The data's rank after Flatten (2); only axis=1, which keeps the batch axis."""
    axis = int(a.get("axis", 1))
    if axis < 0:
        axis += rank
    if rank < 2 or axis != 1:
        raise InputError(f"Flatten(axis={a.get('axis', 1)}) on data of rank {rank} "
                         "is not supported (only axis=1: keep the batch axis)", where=where)
    return 2


def _add_node(b: Builder, g: _Graph, n: Any, pos: int, rank: int) -> int:
    """Feed one node of the data path to *b*; the rank of the data after it."""
    op = n.op_type
    where = f"{_node_label(n)} ({op})"
    if op in _AFFINE:
        b.affine(*_affine(g, n, pos, rank, where), where)
    elif op == "Add":
        b.add_bias(_add_constant(g, n, pos, rank, b.width, where), where)
    elif op == "Relu":
        b.activation(Activation.RELU, None, where)
    elif op == "LeakyRelu":
        alpha = float(_attrs(n).get("alpha", float32(0.01)))
        kind, slope, note = leaky_slope(alpha, where)
        if note:
            b.notes.append(note)
        b.activation(kind, slope, where)
    elif op == "Flatten":
        return _flatten(_attrs(n), rank, where)
    elif op == "Max":
        raise InputError("a Max of the data and constants is not supported (a maxout is a Max "
                         "over affine branches of the same data)", where=where)
    return rank  # Identity: nothing


def _add_branches(b: Builder, g: _Graph, br: Branches, rank: int) -> None:
    """Feed k affine branches joined by a Max to *b*: the stacked maps, then a maxout
    whose unit j is the maximum of row j of every branch."""
    where = f"{_node_label(br.max_node)} (Max of {len(br.arms)} branches)"
    maps = []
    for affine, add in br.arms:
        at = f"{_node_label(affine)} ({affine.op_type})"
        W, bias = _affine(g, affine, 0, rank, at)
        if add is not None:
            at = f"{_node_label(add)} (Add)"
            c = _add_constant(g, add, list(add.input).index(affine.output[0]), rank, len(W), at)
            bias = tuple(v + u for v, u in zip(bias, c))
        maps.append((W, bias))
    m = len(maps[0][0])
    if any(len(W) != m for W, _ in maps):
        raise InputError(f"the branches have {sorted({len(W) for W, _ in maps})} outputs; a "
                         "maxout needs them equal", where=where)
    b.affine(tuple(r for W, _ in maps for r in W), tuple(v for _, c in maps for v in c), where)
    b.pool([tuple(i * m + j for i in range(len(maps))) for j in range(m)], where)


def _run_end(chain: list[tuple[Any, int]], i: int) -> int:
    """The end (exclusive) of the max-pooling run starting at chain[i] (i itself if none)."""
    n = chain[i][0]
    if isinstance(n, Branches) or n.op_type not in RUN_STARTS:
        return i
    j = i + 1
    while j < len(chain) and not isinstance(chain[j][0], Branches) and \
            chain[j][0].op_type in RUN_OPS:
        j += 1
    return j


def _layers(g: _Graph, chain: list[tuple[Any, int]], d: int, shape: _Input,
            proto: Any, np: Any) -> Builder:
    """The exact layers of the data path, for data of input size *d* and *shape*."""
    b = Builder(d)
    rank, i = shape.rank, 0
    while i < len(chain):
        n, pos = chain[i]
        j = _run_end(chain, i)
        if isinstance(n, Branches):
            _add_branches(b, g, n, rank)
        elif j > i:
            run = [c for c, _ in chain[i:j]]
            if rank != 2 or pos != 0:
                raise InputError(f"a max-pooling must start on (batch, features) data as "
                                 f"its first input; the data has rank {rank}",
                                 where=f"{_node_label(n)} ({n.op_type})")
            b.pool(probe_run(proto, run, b.width, shape.elem_type, shape.batch, np),
                   f"{_node_label(n)} ({n.op_type})")
            i = j
            continue
        else:
            rank = _add_node(b, g, n, pos, rank)
        i += 1
    return b


# -- 4. the forward pass -----------------------------------------------------------------

def _sample_shape(feat: list, d: int) -> list | None:
    """The non-batch shape of one sample, filling one symbolic dim from d if needed.

    Examples
    --------
    >>> _sample_shape([2, None], 6), _sample_shape([None, None], 6), _sample_shape([4], 4)
    ([2, 3], None, [4])
    """
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


def _reference_forward(proto: Any, shape: _Input, sample: list, np_dtype: Any,
                       out_name: str, np: Any) -> Callable:
    """The model's own forward pass by ``onnx.reference``, batched as its input allows.

    A fixed batch size is filled up with copies of the first point of the chunk.
    """
    rank, batch = shape.rank, shape.batch

    def forward(points: list) -> list:
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
            x = x.reshape(tuple(sample)) if rank == 1 else x.reshape((size, *sample))
            y = sess.run([out_name], {shape.name: x})[0]
            y = np.asarray(y).astype(np.float64).reshape(size if rank != 1 else 1, -1)
            out.extend(y[:k].tolist())
        return out
    return forward


def _forward(proto: Any, g: _Graph, shape: _Input, d: int, np: Any,
             TensorProto: Any) -> tuple[Callable | None, str | None, str | None]:
    """(forward, dtype name, reason): the reference evaluator, or why it cannot run."""
    dtypes = {TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64,
              TensorProto.FLOAT16: np.float16}
    np_dtype = dtypes.get(shape.elem_type)
    if np_dtype is None:
        return None, None, (f"forward-pass comparison skipped: graph input element type "
                            f"{TensorProto.DataType.Name(shape.elem_type)} is not "
                            "float16/32/64")
    dtype_name = np.dtype(np_dtype).name
    sample = _sample_shape(shape.features, d)
    if sample is None:
        return None, dtype_name, ("forward-pass comparison skipped: cannot shape a sample for "
                                  f"graph input '{shape.name}' with dims "
                                  f"{tuple(shape.dims or ())}")
    return _reference_forward(proto, shape, sample, np_dtype, g.out_name, np), dtype_name, None


# -- the importer ------------------------------------------------------------------------

def from_onnx(model: Any, *, input_dim: int | None = None, max_denominator: int | None = None,
              samples: int = 64, seed: int = 0) -> Conversion:
    """Convert an ONNX MLP (an ``onnx.ModelProto``, its bytes, or a path).

    The data path from the single graph input to the single graph output must
    be a chain of Gemm (transA=0; transB, alpha and beta applied exactly, alpha
    and beta being the float32 attribute values), MatMul (optionally followed by
    Add), Add of a constant, Relu, LeakyRelu (alpha, default float32(0.01)),
    Identity and Flatten(axis=1); maxout as a Max over affine branches or a
    max-pooling run of Reshape / MaxPool / ReduceMax / ... (:mod:`._onnx_max`).
    Weights come from initializers or Constant nodes.  Any other op is an error
    naming it and its node.
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
    """Parse, walk, map onto layers, and compare with the reference evaluator."""
    g = _parse_graph(proto, np, numpy_helper)
    chain = _data_path(g)
    shape, notes = _graph_input(g.inp)
    d, more = _input_dim(shape, chain, g.consts, input_dim)
    b = _layers(g, chain, d, shape, proto, np)
    layers = b.finish()
    forward, dtype, reason = _forward(proto, g, shape, d, np, TensorProto)
    return finish(layers, d, source="onnx", dtype=dtype, forward=forward,
                  max_denominator=max_denominator, samples=samples, seed=seed,
                  notes=notes + more + b.notes, no_forward_reason=reason)
