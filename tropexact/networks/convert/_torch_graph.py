"""PyTorch importer for computation graphs: any ``nn.Module`` that ``torch.fx`` can trace.

``torch.fx.symbolic_trace`` records the module's forward pass as a list of
calls (submodules, functions, tensor methods) in execution order; each maps
onto :class:`~._graph_build.GraphBuilder` calls, independently of the ONNX
importer (:mod:`._onnx_graph`), so that a model and its ONNX export converted
to the same file is a real cross-check.  Any other call is refused with its
name and position in the trace.  The model is converted in eval mode: Dropout
is the identity and batch normalisation uses its running statistics.

torch is imported inside the functions only.
"""

from __future__ import annotations

import operator
from typing import Any

from tropexact.errors import InputError
from ._build import check_options, exact, float32, require
from ._check import describe
from ._graph_build import GraphBuilder, Tensor
from ._graph_check import GraphConversion, add_batch_norm, finish_graph
from ._torch import GRAPH_MODULES, _dtype_name, _module_forward, _values

__all__ = ["from_torch_graph", "GRAPH_MODULES", "GRAPH_FUNCTIONS"]

GRAPH_FUNCTIONS = ("operator.add", "torch.add", "operator.sub", "operator.mul",
                   "torch.cat", "torch.flatten", "torch.relu", "F.relu", "F.leaky_relu",
                   "torch.maximum", "torch.max (of two tensors)", "F.dropout",
                   "F.max_pool1d/2d", "F.avg_pool1d/2d", "F.adaptive_avg_pool1d/2d",
                   "F.adaptive_max_pool1d/2d",
                   "Tensor.view/reshape/flatten/size/contiguous/relu")
_POOL_FUNCTIONS = {"max_pool1d": "MaxPool1d", "max_pool2d": "MaxPool2d", "avg_pool1d": "AvgPool1d",
                   "avg_pool2d": "AvgPool2d", "adaptive_avg_pool1d": "AdaptiveAvgPool1d",
                   "adaptive_avg_pool2d": "AdaptiveAvgPool2d",
                   "adaptive_max_pool1d": "AdaptiveMaxPool1d",
                   "adaptive_max_pool2d": "AdaptiveMaxPool2d"}
_BATCH = 1  # the batch size the shape plumbing (x.size(0)) sees


def _exact_nested(v: Any, where: str) -> Any:
    if isinstance(v, list):
        return [_exact_nested(u, where) for u in v]
    return exact(v, where)


def _tuple(v: Any, k: int) -> tuple:
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * k


def _conv(b: GraphBuilder, m: Any, x: Tensor, where: str) -> Tensor:
    k = len(m.kernel_size)
    if m.padding_mode != "zeros":
        raise InputError(f"padding_mode={m.padding_mode!r} is not supported (only 'zeros')",
                         where=where)
    if m.padding == "valid":
        pads = (0,) * 2 * k
    elif m.padding == "same":
        tot = [d * (q - 1) for d, q in zip(m.dilation, m.kernel_size)]
        pads = (*(t // 2 for t in tot), *(t - t // 2 for t in tot))
    else:
        pads = _tuple(m.padding, k) * 2
    weight = _exact_nested(_values(m.weight, f"{where}.weight"), f"{where}.weight")
    bias = None if m.bias is None else \
        [exact(v, f"{where}.bias") for v in _values(m.bias, f"{where}.bias")]
    return b.conv(x, weight, bias, tuple(m.stride), tuple(m.dilation), pads, m.groups, where)


def _pool(b: GraphBuilder, m: Any, x: Tensor, where: str, name: str) -> Tensor:
    k = 1 if name.endswith("1d") else 2
    if name.startswith("Adaptive"):
        size = _tuple(m.output_size, k)
        if any(s is None for s in size):
            raise InputError("an adaptive output size None is not supported", where=where)
        return b.adaptive(x, size, "max" if "Max" in name else "avg", where)
    kernel = _tuple(m.kernel_size, k)
    stride = _tuple(m.stride if m.stride is not None else m.kernel_size, k)
    pads = _tuple(m.padding, k) * 2
    if name.startswith("MaxPool"):
        if m.return_indices:
            raise InputError("return_indices=True is not supported", where=where)
        return b.max_pool(x, kernel, stride, _tuple(m.dilation, k), pads, m.ceil_mode, where)
    if getattr(m, "divisor_override", None):
        raise InputError("divisor_override is not supported", where=where)
    return b.avg_pool(x, kernel, stride, pads, m.ceil_mode, m.count_include_pad, where)


def _module(b: GraphBuilder, m: Any, x: Tensor, where: str, f64: bool) -> Tensor:
    """One submodule call on the data tensor *x*."""
    name = type(m).__name__
    if name in ("Conv1d", "Conv2d"):
        return _conv(b, m, x, where)
    if name == "Linear":
        W = _exact_nested(_values(m.weight, f"{where}.weight"), f"{where}.weight")
        bias = None if m.bias is None else _exact_nested(_values(m.bias, f"{where}.bias"),
                                                         f"{where}.bias")
        return b.linear(x, W, bias, where)
    if name in ("BatchNorm1d", "BatchNorm2d"):
        if m.running_mean is None:
            raise InputError("batch norm without running statistics is not supported",
                             where=where)
        C = m.num_features
        g = _values(m.weight, where) if m.weight is not None else [1.0] * C
        bb = _values(m.bias, where) if m.bias is not None else [0.0] * C
        return add_batch_norm(b, x, _values(m.running_var, where), g, bb,
                              _values(m.running_mean, where), m.eps, where)
    if "Pool" in name:
        return _pool(b, m, x, where, name)
    if name == "ReLU":
        return b.relu(x, where)
    if name == "LeakyReLU":
        s = float(m.negative_slope)
        return b.leaky_relu(x, exact(s if f64 else float32(s), where), where)
    if name == "Flatten":
        return _flatten(b, x, m.start_dim, m.end_dim, where)
    if name == "Dropout":
        b.notes.append(f"{where}: Dropout is the identity (the model in eval mode)")
    return x  # Identity, Dropout


def _flatten(b: GraphBuilder, x: Tensor, start: int, end: int, where: str) -> Tensor:
    r = len(x.shape) + 1
    start, end = start % r, end % r
    if start == 0 or start > end:
        raise InputError(f"flatten(start_dim={start}, end_dim={end}) across the batch axis "
                         "is not supported", where=where)
    s = x.shape
    mid = 1
    for n in s[start - 1:end]:
        mid *= n
    return b.reshape(x, (*s[:start - 1], mid, *s[end:]), where)


class _Trace:
    """The values of the traced nodes: data tensors, constants, shape numbers."""

    def __init__(self, gm: Any, b: GraphBuilder, torch: Any, f64: bool) -> None:
        self.gm, self.b, self.torch, self.f64 = gm, b, torch, f64
        self.env: dict = {}

    def val(self, a: Any) -> Any:
        fx = self.torch.fx
        if isinstance(a, fx.Node):
            return self.env[a.name]
        if isinstance(a, (list, tuple)):
            return type(a)(self.val(u) for u in a)
        return a

    def const_values(self, v: Any, x: Tensor, where: str) -> list:
        """A Python number or a constant tensor broadcast to one sample of *x*."""
        torch = self.torch
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return [exact(float(v) if isinstance(v, float) else v, where)] * x.size
        if isinstance(v, torch.Tensor):
            try:
                t = torch.broadcast_to(v.detach(), (_BATCH, *x.shape))[0]
            except RuntimeError:
                raise InputError(f"constant of shape {tuple(v.shape)} does not broadcast to "
                                 f"the data's shape {x.shape}", where=where) from None
            return [exact(u, where) for u in _values(t.reshape(-1), where)]
        raise InputError(f"operand {type(v).__name__} is not supported", where=where)


_ARITH = {"add": (operator.add, "torch.add"), "sub": (operator.sub, "torch.sub"),
          "mul": (operator.mul, "torch.mul")}


def _arith(t: _Trace, kind: str, args: tuple, where: str) -> Tensor:
    b = t.b
    vals = [t.val(a) for a in args[:2]]
    data = [v for v in vals if isinstance(v, Tensor)]
    if kind == "add" and len(data) == 2:
        return b.add(data, where)
    if len(data) != 1 or (kind == "sub" and not isinstance(vals[0], Tensor)):
        raise InputError(f"{kind} of these operands is not supported (data + data, data ± "
                         "constant, data × constant)", where=where)
    x = data[0]
    c = t.const_values(vals[1] if vals[0] is x else vals[0], x, where)
    if kind == "add":
        return b.add_const(x, c, where)
    if kind == "sub":
        return b.add_const(x, [-v for v in c], where)
    return b.mul_const(x, c, where)


def _function(t: _Trace, n: Any, where: str) -> Any:
    torch, b = t.torch, t.b
    F = torch.nn.functional
    f, args, kw = n.target, n.args, n.kwargs
    for kind, fns in _ARITH.items():
        if f in (fns[0], getattr(torch, kind)) and not kw:
            return _arith(t, kind, args, where)
    if f is operator.getitem and isinstance(t.val(args[0]), (tuple, list)):
        return t.val(args[0])[args[1]]
    x = t.val(args[0]) if args else None
    if f in (torch.cat, torch.concat):
        xs = t.val(args[0])
        dim = kw.get("dim", args[1] if len(args) > 1 else 0)
        if not all(isinstance(v, Tensor) for v in xs):
            raise InputError("cat of data and constants is not supported", where=where)
        dim = dim % (len(xs[0].shape) + 1)
        if dim == 0:
            raise InputError("cat along the batch axis is not supported", where=where)
        return b.concat(xs, dim - 1, where)
    if f is torch.flatten:
        return _flatten(b, x, kw.get("start_dim", args[1] if len(args) > 1 else 0),
                        kw.get("end_dim", args[2] if len(args) > 2 else -1), where)
    if f in (torch.relu, F.relu):
        return b.relu(x, where)
    if f is F.leaky_relu:
        s = float(kw.get("negative_slope", args[1] if len(args) > 1 else 0.01))
        return b.leaky_relu(x, exact(s if t.f64 else float32(s), where), where)
    if f in (torch.maximum, torch.max) and len(args) == 2 and not kw:
        ys = [t.val(a) for a in args]
        if all(isinstance(y, Tensor) for y in ys):
            return b.maximum(ys, where)
    if f is F.dropout:
        return x
    pools = {getattr(F, fn): cls for fn, cls in _POOL_FUNCTIONS.items()}
    if f in pools:
        m = getattr(torch.nn, pools[f])(*[t.val(a) for a in args[1:]],
                                        **{k: t.val(v) for k, v in kw.items()})
        return _pool(b, m, x, where, pools[f])
    raise InputError(f"unsupported function {_name(f)} at {where} (supported: "
                     f"{', '.join(GRAPH_FUNCTIONS)})")


def _method(t: _Trace, n: Any, where: str) -> Any:
    b = t.b
    x = t.val(n.args[0])
    args = [t.val(a) for a in n.args[1:]]
    m = n.target
    if not isinstance(x, Tensor):
        raise InputError(f"method {m} of a constant is not supported", where=where)
    if m == "size":
        full = (_BATCH, *x.shape)
        return full[args[0]] if args else full
    if m in ("view", "reshape"):
        target = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
        return b.batch_reshape(x, [int(v) for v in target], _BATCH, where)
    if m == "flatten":
        return _flatten(b, x, args[0] if args else n.kwargs.get("start_dim", 0),
                        args[1] if len(args) > 1 else n.kwargs.get("end_dim", -1), where)
    if m == "contiguous":
        return x
    if m == "relu":
        return b.relu(x, where)
    raise InputError(f"unsupported tensor method .{m}() at {where} (supported: view, reshape, "
                     "flatten, size, contiguous, relu)")


def _name(f: Any) -> str:
    mod = getattr(f, "__module__", None) or ""
    return f"{mod}.{getattr(f, '__name__', repr(f))}".lstrip(".")


def _run(t: _Trace, nodes: list) -> Tensor:
    """Map every traced node; the output tensor."""
    out = None
    for k, n in enumerate(nodes):
        where = f"fx node #{k} '{n.name}'"
        if n.op == "placeholder":
            t.env[n.name] = t.b.input
        elif n.op == "get_attr":
            t.env[n.name] = _attr(t.gm, n.target)
        elif n.op == "call_module":
            m = t.gm.get_submodule(n.target)
            name = type(m).__name__
            where = f"{n.target} ({name}, fx node #{k})"
            if name not in GRAPH_MODULES:
                raise InputError(f"unsupported layer {name} at {where} (supported: "
                                 f"{', '.join(GRAPH_MODULES)}; functions: "
                                 f"{', '.join(GRAPH_FUNCTIONS)})")
            x = t.val(n.args[0])
            if not isinstance(x, Tensor) or len(n.args) != 1 or n.kwargs:
                raise InputError("a layer must be called on one data tensor", where=where)
            t.env[n.name] = _module(t.b, m, x, where, t.f64)
        elif n.op == "call_function":
            t.env[n.name] = _function(t, n, where)
        elif n.op == "call_method":
            t.env[n.name] = _method(t, n, where)
        elif n.op == "output":
            out = t.val(n.args[0])
    if not isinstance(out, Tensor):
        raise InputError(f"the model returns a {type(out).__name__}; expected one tensor")
    return out


def _attr(gm: Any, target: str) -> Any:
    obj = gm
    for part in target.split("."):
        obj = getattr(obj, part)
    return obj


def from_torch_graph(module: Any, *, input_shape: Any = None,
                     max_denominator: int | None = None, samples: int = 64,
                     seed: int = 0) -> GraphConversion:
    """Convert an ``nn.Module`` traced by ``torch.fx`` into an exact computation graph.

    *input_shape* is the shape of one sample (no batch axis), e.g. ``(1, 28, 28)``;
    it may be omitted when the model starts with an ``nn.Linear`` (then it is
    ``(in_features,)``).  The layers, functions and methods understood are
    :data:`GRAPH_MODULES` and :data:`GRAPH_FUNCTIONS` (docs/import.md).
    """
    check_options(None, max_denominator, samples)
    torch = require("torch")
    if not isinstance(module, torch.nn.Module):
        raise InputError(f"expected a torch.nn.Module, got {type(module).__name__}")
    try:
        gm = torch.fx.symbolic_trace(module)
    except Exception as e:
        raise InputError(f"torch.fx cannot trace the model ({describe(e)}); export it to ONNX "
                         "and convert that") from None
    nodes = list(gm.graph.nodes)
    if sum(n.op == "placeholder" for n in nodes) != 1:
        raise InputError("the model's forward takes more than one input; expected one")
    shape = _input_shape(module, input_shape, torch)
    params = list(module.parameters())
    dtype = params[0].dtype if params else torch.get_default_dtype()
    b = GraphBuilder(shape)
    t = _Trace(gm, b, torch, dtype == torch.float64)
    was = module.training
    module.eval()
    try:
        out = _run(t, nodes)
    finally:
        module.train(was)
    return finish_graph(b, out, source="pytorch", dtype=_dtype_name(dtype),
                        forward=_module_forward(module, list(module.parameters()), dtype,
                                               torch, shape),
                        max_denominator=max_denominator, samples=samples, seed=seed)


def _input_shape(module: Any, input_shape: Any, torch: Any) -> tuple:
    if input_shape is not None:
        shape = tuple(input_shape)
        if not shape or any(type(v) is not int or v < 1 for v in shape):
            raise InputError(f"must be positive integers (one sample's shape), got "
                             f"{input_shape!r}", param="input_shape")
        return shape
    first = next((m for m in module.modules() if not list(m.children())), None)
    if isinstance(first, torch.nn.Linear):
        return (first.in_features,)
    raise InputError("the model does not fix its input shape: give the shape of one sample "
                     "(e.g. 1,28,28)", param="input_shape")
