"""Maxout in ONNX graphs: ``Max`` over affine branches, and max-pooling runs.

Two forms express a maxout layer in ONNX:

* **branches**: the data tensor feeds k affine branches (``Gemm``, or ``MatMul``,
  each optionally followed by an ``Add`` of a constant), all of m outputs, and one
  ``Max`` node takes their elementwise maximum: unit j = max_i (W_i x + b_i)_j.
  :func:`branches` finds them; the importer stacks the branches and reorders the
  rows to tropexact's convention (unit j = rows j·k … j·k + k − 1).
* **a max-pooling run**: a chain of ``Reshape``, ``Flatten``, ``Squeeze``,
  ``Unsqueeze``, ``Transpose``, ``MaxPool``, ``ReduceMax`` and ``Identity`` nodes
  from (batch, w) data back to (batch, m) data, e.g. what ``torch.onnx.export``
  writes for ``x.view(-1, m, k).max(dim=-1)`` (``Reshape`` + ``ReduceMax``, the
  axes an attribute before opset 18 and an input from 18 on) or for
  ``nn.Unflatten`` + ``nn.MaxPool1d`` + ``nn.Flatten`` (``Reshape`` whose target
  is computed by ``Shape``/``Slice``/``Concat`` nodes, ``MaxPool``, ``Flatten``).
  Each such op outputs, per sample, the maximum of a group of its inputs, so the
  run is a max over groups; :func:`probe_run` reads the groups exactly with
  :func:`~._pool.probe_groups`, running the run's nodes (and the shape
  computations they need) with ``onnx.reference``.

*Shape nodes* compute shapes, not data: a ``Shape`` node, and any node whose
inputs are all constants or shape-node outputs (:func:`shape_nodes`).  They may
feed only the non-data inputs of the ops of a max-pooling run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tropexact.errors import InputError
from ._pool import probe_groups

__all__ = ["RUN_OPS", "RUN_STARTS", "Branches", "branches", "shape_nodes", "probe_run",
           "node_label", "attrs"]

#: The ops of a max-pooling run; a run starts at one of RUN_STARTS.
RUN_OPS = ("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "MaxPool", "ReduceMax",
           "Identity")
RUN_STARTS = ("Reshape", "Squeeze", "Unsqueeze", "Transpose", "MaxPool", "ReduceMax")
_AFFINE = ("Gemm", "MatMul")


def node_label(n: Any) -> str:
    """A node as messages name it: its name, else the tensor it produces."""
    if n.name:
        return f"node '{n.name}'"
    return f"node producing '{n.output[0]}'" if n.output else "unnamed node"


def attrs(n: Any) -> dict:
    """The attributes of node *n* as Python values."""
    from onnx import helper
    return {a.name: helper.get_attribute_value(a) for a in n.attribute}


def shape_nodes(nodes: list, consts: dict) -> tuple[list, list, set]:
    """(data nodes, shape nodes, the shape nodes' outputs), in the graph's order."""
    outs: set = set()
    shape: list = []
    dead: list = []
    changed = True
    while changed:
        changed = False
        for n in nodes:
            if any(n is s for s in shape):
                continue
            if n.op_type == "Shape" or all(not t or t in consts or t in outs for t in n.input):
                shape.append(n)
                outs.update(t for t in n.output if t)
                changed = True
    while True:  # a shape computation nothing reads is no shape node: the walk reports it
        used = {t for n in nodes if not any(n is d for d in dead) for t in n.input}
        more = [s for s in shape if not any(t in used for t in s.output)]
        if not more:
            break
        dead += more
        shape = [s for s in shape if not any(s is d for d in more)]
    outs = {t for s in shape for t in s.output if t}
    data = [n for n in nodes if not any(n is s for s in shape)]
    return data, [n for n in nodes if any(n is s for s in shape)], outs


@dataclass(frozen=True)
class Branches:
    """k affine branches of the data joined by ``Max`` nodes (one, or a tree of them, as
    torch writes ``maximum(maximum(a, b), c)``): a maxout layer."""

    arms: tuple  # per branch: (affine node, Add node or None)
    max_nodes: tuple  # the last one gives the result
    op_type: str = "Max"

    @property
    def max_node(self) -> Any:
        return self.max_nodes[-1]

    @property
    def members(self) -> list:
        return [n for arm in self.arms for n in arm if n is not None] + list(self.max_nodes)

    @property
    def output(self) -> list:
        return list(self.max_node.output)


def _arm(nodes: list, n: Any) -> tuple[tuple, str]:
    """One branch starting at node *n*: (affine, Add or None) and its output tensor."""
    t = n.output[0]
    after = [c for c in nodes if t in c.input]
    if len(after) == 1 and after[0].op_type == "Add":
        return (n, after[0]), after[0].output[0]
    return (n, None), t


def branches(nodes: list, cur: str, consumers: list) -> Branches:
    """The ``Max`` of affine branches reading *cur*, or the error of a branching path."""
    def refuse() -> InputError:
        names = ", ".join(node_label(n) for n in consumers)
        return InputError(f"the data path branches at tensor '{cur}' (used by {names}); only "
                          "a single chain of layers is supported, or affine branches (Gemm, "
                          "MatMul, each optionally + Add) joined by one Max (a maxout)")
    if not all(n.op_type in _AFFINE for n in consumers):
        raise refuse()
    arms, ends = [], []
    for n in consumers:
        arm, t = _arm(nodes, n)
        arms.append(arm)
        ends.append(t)
    live, joins = list(ends), []
    while len(live) > 1 or not joins:
        users = [[c for c in nodes if t in c.input] for t in live]
        if not all(len(u) == 1 and u[0].op_type == "Max" for u in users):
            raise refuse()
        ready = [u[0] for u in users if all(t in live for t in u[0].input)]
        if not ready or len(set(ready[0].input)) != len(ready[0].input):
            raise refuse()
        mx = ready[0]  # a Max all of whose inputs are live tensors joins them
        live = [t for t in live if t not in mx.input] + [mx.output[0]]
        joins.append(mx)
    return Branches(tuple(arms), tuple(joins))


def _needed(graph: Any, run: list, start: str) -> list:
    """The nodes computing the run's output from *start*: the run and, backwards from its
    non-data inputs, the shape computations and constants (in the graph's order)."""
    made = {t: n for n in graph.node for t in n.output if t}
    want = {id(n) for n in run}
    stack = [t for n in run for t in n.input if t and t != start]
    inside = {t for n in run for t in n.output}
    while stack:
        t = stack.pop()
        src = made.get(t)
        if src is None or id(src) in want or t in inside:
            continue
        if src.op_type != "Constant" and src.op_type != "Shape" and not src.input:
            continue
        want.add(id(src))
        for u in src.input:
            if not u:
                continue
            if src.op_type == "Shape" and u != start and u not in inside:
                raise InputError(f"a Shape of tensor '{u}', outside the max-pooling run, "
                                 "sets its shape; not supported", where=node_label(run[0]))
            if src.op_type != "Shape":
                stack.append(u)
    return [n for n in graph.node if id(n) in want]


def probe_run(proto: Any, run: list, width: int, elem_type: int, batch: int | None,
              np: Any) -> list[tuple]:
    """The groups S_j (output j = max_{i ∈ S_j} input i) of a max-pooling run of nodes.

    The run's nodes and the shape computations they need become a small model
    fed (batch, *width*) data, run by ``onnx.reference`` in chunks of the graph's
    fixed batch size (if it has one).
    """
    from onnx import helper
    from onnx.reference import ReferenceEvaluator
    where = (f"{node_label(run[0])}..{node_label(run[-1])}" if len(run) > 1 else
             node_label(run[0])) + f" ({', '.join(n.op_type for n in run)})"
    start, end = run[0].input[0], run[-1].output[0]
    nodes = _needed(proto.graph, run, start)
    used = {t for n in nodes for t in n.input}
    inits = [i for i in proto.graph.initializer if i.name in used and i.name != start]
    graph = helper.make_graph(nodes, "maxout_probe",
                              [helper.make_tensor_value_info(start, elem_type, [batch, width])],
                              [helper.make_tensor_value_info(end, elem_type, None)], inits)
    model = helper.make_model(graph, opset_imports=list(proto.opset_import))
    model.ir_version = proto.ir_version
    sess = ReferenceEvaluator(model)
    np_dtype = helper.tensor_dtype_to_np_dtype(elem_type)

    def apply(rows: list) -> list:
        size = batch or len(rows)
        out: list = []
        for i in range(0, len(rows), size):
            chunk = rows[i:i + size]
            x = np.asarray(chunk + [chunk[0]] * (size - len(chunk)), dtype=np_dtype)
            y = np.asarray(sess.run([end], {start: x})[0])
            if y.ndim != 2 or y.shape[0] != size:
                raise InputError(f"leaves data of shape {tuple(y.shape)} for {size} samples, "
                                 "not (batch, features): end the max-pooling with a Flatten "
                                 "or Reshape to (batch, m)", where=where)
            out.extend(y[:len(chunk)].astype(np.float64).tolist())
        return out
    return probe_groups(apply, width, where)
