"""PyTorch importer: ``nn.Sequential`` models, state_dicts and ``torch.save`` files.

torch is imported inside the functions only.
"""

from __future__ import annotations

import os
import pickle
import re
from typing import Any, Callable, Mapping

from tropexact.errors import InputError
from tropexact.networks.activation import Activation
from ._build import Builder, activation_names, check_input_dim, check_options, \
    default_activations, float32, leaky_slope, matrix, model_path, parse_activations, require, \
    vector, zero_bias_note, zeros
from ._check import Conversion, describe, finish, first_line
from ._pool import probe_groups

__all__ = ["from_torch", "from_state_dict", "from_torch_file", "load_torch_file",
           "SUPPORTED_MODULES"]

#: The torch.nn classes a model may use (Dropout is read as the identity; Unflatten and
#: the max-pools only in a max-pooling run, read as a maxout, see docs/import.md).
SUPPORTED_MODULES = ("Linear", "ReLU", "LeakyReLU", "Identity", "Flatten", "Dropout",
                     "Unflatten", "MaxPool1d", "MaxPool2d", "AdaptiveMaxPool1d")
_SUPPORTED_TEXT = ("supported: Linear, ReLU, LeakyReLU, Identity, Flatten; Dropout as the "
                   "identity; maxout as Unflatten/MaxPool1d/MaxPool2d/AdaptiveMaxPool1d/Flatten "
                   "runs or a parameter-free Maxout(pieces=k)")
#: The torch.nn classes the graph importer (``_torch_graph``) reads; a saved model may hold them.
GRAPH_MODULES = ("Conv1d", "Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "MaxPool1d",
                 "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d",
                 "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "ReLU", "LeakyReLU", "Flatten",
                 "Dropout", "Identity")
#: The modules that start (or continue) a max-pooling run; Flatten only continues one.
_POOLS = ("Unflatten", "MaxPool1d", "MaxPool2d", "AdaptiveMaxPool1d")


def _torch() -> Any:
    return require("torch")


def _classes_of(nn: Any) -> tuple:
    """The supported layer classes (:data:`SUPPORTED_MODULES`) of ``torch.nn``."""
    return tuple(getattr(nn, name) for name in SUPPORTED_MODULES)


def _graph_classes(nn: Any) -> tuple:
    """The further layer classes the graph importer reads (:data:`GRAPH_MODULES`),
    allowed when unpickling a saved model."""
    return tuple(getattr(nn, name) for name in GRAPH_MODULES)


def _dtype_name(dtype: Any) -> str:
    return str(dtype).replace("torch.", "")


def _values(t: Any, where: str) -> list:
    """A tensor's entries as Python numbers, exactly (floats widened to double)."""
    torch = _torch()
    t = t.detach().cpu()
    if t.is_complex():
        raise InputError(f"complex dtype {_dtype_name(t.dtype)} is not supported", where=where)
    if t.dtype == torch.bool:
        raise InputError("bool tensor is not a weight", where=where)
    if t.is_floating_point() and t.dtype != torch.float64:
        t = t.to(torch.float64)  # float16/bfloat16/float32 -> float64 is exact
    return t.tolist()


# -- nn.Sequential -----------------------------------------------------------------------

def _leaves(module: Any, path: str, nn: Any) -> list:
    """Flatten nested Sequentials into (path, module); unsupported modules are errors."""
    if type(module) is nn.Sequential:
        out = []
        for name, child in module._modules.items():
            if child is None:
                continue
            sub = f"{path}[{name}]" if name.isdigit() else f"{path}.{name}"
            out.extend(_leaves(child, sub, nn))
        return out
    if type(module) in _classes_of(nn) or _is_maxout(module, path):
        return [(path, module)]
    raise InputError(f"unsupported layer {type(module).__name__} at {path} ({_SUPPORTED_TEXT})")


def _sequential_leaves(module: Any, nn: Any) -> list:
    """The (path, module) leaves of a supported model: an nn.Sequential or one layer."""
    if not isinstance(module, nn.Module):
        raise InputError(f"expected a torch.nn.Module, got {type(module).__name__}")
    if type(module) is not nn.Sequential and type(module) not in _classes_of(nn) and \
            not _is_maxout(module, "model"):
        raise InputError(f"unsupported model type {type(module).__name__}: expected an "
                         f"nn.Sequential ({_SUPPORTED_TEXT})")
    if type(module) is nn.Sequential and len(module) == 0:
        raise InputError("empty nn.Sequential: nothing to convert")
    return _leaves(module, "model", nn)


def _is_maxout(module: Any, path: str) -> bool:
    """A user-defined ``Maxout`` module: the class name, an int ``pieces``, no parameters."""
    if type(module).__name__ != "Maxout":
        return False
    k = getattr(module, "pieces", None)
    if type(k) is not int or k < 1:
        raise InputError(f"a Maxout module needs an integer attribute pieces >= 1 (got "
                         f"{k!r})", where=f"{path} (Maxout)")
    if any(True for _ in module.parameters()) or any(True for _ in module.children()):
        raise InputError("this Maxout has parameters or submodules (its own linear map?); "
                         "supported: a parameter-free Maxout(pieces=k) after an nn.Linear",
                         where=f"{path} (Maxout)")
    return True


def _starts_pool(m: Any, nn: Any) -> bool:
    return type(m) in tuple(getattr(nn, name) for name in _POOLS) or \
        type(m).__name__ == "Maxout"


def _pool_runs(leaves: list, nn: Any) -> list:
    """The leaves with each max-pooling run (a pool module, then pools and Flattens)
    gathered into one list item; other leaves as they are."""
    out: list = []
    for path, m in leaves:
        if _starts_pool(m, nn) or (type(m) is nn.Flatten and out and isinstance(out[-1], list)):
            if out and isinstance(out[-1], list):
                out[-1].append((path, m))
            else:
                out.append([(path, m)])
        else:
            out.append((path, m))
    return out


def _add_pool(b: Builder, run: list, torch: Any) -> None:
    """Feed one max-pooling run to *b*: its groups, probed in float64, as a maxout."""
    where = f"{run[0][0]}..{run[-1][0]}" if len(run) > 1 else run[0][0]
    where += f" ({', '.join(type(m).__name__ for _, m in run)})"
    if b.width is None:
        raise InputError("the model starts with a max-pooling and its input dimension is "
                         "unknown: pass input_dim", where=where)
    seq = torch.nn.Sequential(*(m for _, m in run))

    def apply(rows: list) -> list:
        with torch.no_grad():
            y = seq.eval()(torch.tensor(rows, dtype=torch.float64))
        if not isinstance(y, torch.Tensor) or y.dim() != 2:
            shape = ("(batch, " + ", ".join(map(str, y.shape[1:])) + ")"
                     if isinstance(y, torch.Tensor) else f"a {type(y).__name__}")
            raise InputError(f"leaves data of shape {shape}, not (batch, features): end the "
                             "max-pooling with nn.Flatten()", where=where)
        return y.tolist()
    groups = probe_groups(apply, b.width, where)
    path, first = run[0]
    if type(first).__name__ == "Maxout" and all(type(m) is torch.nn.Flatten for _, m in run[1:]):
        sizes = sorted({len(g) for g in groups})
        if sizes != [first.pieces]:
            raise InputError(f"Maxout(pieces={first.pieces}) takes the maximum of groups of "
                             f"{', '.join(map(str, sizes))} inputs, not {first.pieces}",
                             where=f"{path} (Maxout)")
    b.pool(groups, where)


def _module_input_dim(leaves: list, input_dim: int | None, nn: Any) -> int:
    """The input dimension: the first Linear's, else *input_dim*."""
    first = next((m for _, m in leaves if type(m) is nn.Linear), None)
    if first is not None:
        d = int(first.weight.shape[1])
        check_input_dim(input_dim, d, f"the first Linear takes {d} inputs")
        return d
    if input_dim is None:
        raise InputError("the model has no Linear layer, so its input dimension is unknown: "
                         "pass input_dim")
    return input_dim


def _linear(m: Any, path: str) -> tuple[tuple, tuple]:
    """(W, b) of an nn.Linear, exactly; a missing bias is zero."""
    if m.weight.dim() != 2:
        raise InputError(f"weight has shape {tuple(m.weight.shape)}, expected 2-D", where=path)
    weight = matrix(_values(m.weight, f"{path}.weight"), f"{path}.weight")
    if m.bias is None:
        return weight, zeros(len(weight))
    return weight, vector(_values(m.bias, f"{path}.bias"), f"{path}.bias")


def _add_module(b: Builder, path: str, m: Any, float64: bool, nn: Any) -> None:
    """Feed one leaf module to *b*; a LeakyReLU slope in the model's precision."""
    t = type(m)
    if t is nn.Linear:
        b.affine(*_linear(m, path), f"{path} (Linear)")
    elif t is nn.ReLU:
        b.activation(Activation.RELU, None, f"{path} (ReLU)")
    elif t is nn.LeakyReLU:
        slope = float(m.negative_slope)
        kind, a, note = leaky_slope(slope if float64 else float32(slope), f"{path} (LeakyReLU)")
        if note:
            b.notes.append(note)
        b.activation(kind, a, f"{path} (LeakyReLU)")
    elif t is nn.Flatten:
        if (m.start_dim, m.end_dim) != (1, -1):
            raise InputError(f"Flatten(start_dim={m.start_dim}, end_dim={m.end_dim}) is not "
                             "supported (only start_dim=1, end_dim=-1)", where=path)
    elif t is nn.Dropout:
        b.notes.append(f"{path} (Dropout): treated as the identity (the conversion is of the "
                       "model in eval mode)")
    # nn.Identity: nothing to do


def _module_forward(module: Any, params: list, dtype: Any, torch: Any,
                    shape: tuple | None = None) -> Callable:
    """The model's own forward pass in eval mode (its training mode restored after); each
    point is reshaped to one sample of *shape* when given (an image C×H×W)."""
    def forward(points: list) -> list:
        device = params[0].device if params else torch.device("cpu")
        x = torch.tensor(points, dtype=dtype, device=device)
        if shape is not None:
            x = x.reshape(len(points), *shape)
        was = module.training
        module.eval()
        try:
            with torch.no_grad():
                y = module(x)
        finally:
            module.train(was)
        y = y.detach().cpu().reshape(len(points), -1)
        if y.is_floating_point():
            y = y.to(torch.float64)
        return y.tolist()
    return forward


def from_torch(module: Any, *, input_dim: int | None = None, max_denominator: int | None = None,
               samples: int = 64, seed: int = 0, source: str = "pytorch") -> Conversion:
    """Convert an ``nn.Sequential`` of Linear, ReLU, LeakyReLU, Identity, Flatten, Dropout.

    Maxout: a run of Unflatten / MaxPool1d / MaxPool2d / AdaptiveMaxPool1d /
    Flatten modules, or a parameter-free ``Maxout`` module with an int ``pieces``,
    is read as a maximum over groups by exact probing (:mod:`._pool`) and becomes a
    maxout layer, rows regrouped to units j·k … j·k + k − 1 (docs/import.md).
    Nested Sequentials are flattened; any other module is an
    :class:`~tropexact.errors.InputError` naming it and its path.  Weights become
    the exact rationals of their float values; a LeakyReLU slope is taken in the
    model's dtype (the float32 value for a float32 model), as PyTorch applies it.
    """
    check_options(input_dim, max_denominator, samples)
    torch = _torch()
    nn = torch.nn
    leaves = _sequential_leaves(module, nn)
    params = list(module.parameters())
    dtype = params[0].dtype if params else torch.get_default_dtype()
    d = _module_input_dim(leaves, input_dim, nn)
    b = Builder(d)
    for item in _pool_runs(leaves, nn):
        if isinstance(item, list):
            _add_pool(b, item, torch)
        else:
            _add_module(b, *item, dtype == torch.float64, nn)
    layers = b.finish()
    return finish(layers, d, source=source, dtype=_dtype_name(dtype),
                  forward=_module_forward(module, params, dtype, torch),
                  max_denominator=max_denominator, samples=samples, seed=seed, notes=b.notes)


# -- state_dict --------------------------------------------------------------------------

def _pairs(sd: Mapping, torch: Any) -> list:
    """[prefix, weight key, weight, bias-or-None] in key order; other keys are errors."""
    pairs: list = []
    for key, value in sd.items():
        if not isinstance(key, str):
            raise InputError(f"state_dict key {key!r} is not a string")
        if isinstance(value, Mapping):
            raise InputError(f"state_dict[{key!r}] is a dict, not a tensor: is this a training "
                             "checkpoint? save model.state_dict() or the model itself")
        if not isinstance(value, torch.Tensor):
            raise InputError(f"state_dict[{key!r}] is a {type(value).__name__}, not a tensor")
        prefix, dot, leaf = key.rpartition(".")
        if leaf == "weight":
            pairs.append([prefix, key, value, None])
        elif leaf == "bias":
            if not pairs or pairs[-1][0] != prefix or pairs[-1][3] is not None:
                raise InputError(f"state_dict[{key!r}]: a bias without the weight "
                                 f"{(prefix + '.weight') if prefix else 'weight'!r} right "
                                 "before it")
            pairs[-1][3] = value
        else:
            raise InputError(f"unexpected state_dict key {key!r}: only linear layers "
                             "(*.weight, *.bias) are supported")
    if not pairs:
        raise InputError("the state_dict has no weights")
    return pairs


def _bias_key(weight_key: str) -> str:
    return weight_key[:-len("weight")] + "bias"


def _state_dict_layers(pairs: list, acts: list, d: int | None) -> Builder:
    """The exact layers of the (weight, bias) pairs with their given activations."""
    b = Builder(d)
    for (_, key, W, bias), (kind, slope) in zip(pairs, acts):
        if W.dim() != 2:
            raise InputError(f"has shape {tuple(W.shape)}, expected 2-D (out × in)", where=key)
        weight = matrix(_values(W, key), key)
        if bias is None:
            bvec = zeros(len(weight))
        else:
            bkey = _bias_key(key)
            if bias.dim() != 1:
                raise InputError(f"has shape {tuple(bias.shape)}, expected 1-D", where=bkey)
            bvec = vector(_values(bias, bkey), bkey)
        b.dense(weight, bvec, kind, slope, key)
    return b


def _state_dict_forward(pairs: list, acts: list, dtype: Any, torch: Any) -> Callable:
    """The forward pass of the tensors with the given activations, in their dtype."""
    def forward(points: list) -> list:
        F = torch.nn.functional
        x = torch.tensor(points, dtype=dtype)
        with torch.no_grad():
            for (_, _, W, bias), (kind, slope) in zip(pairs, acts):
                x = F.linear(x, W.detach().cpu(), None if bias is None else bias.detach().cpu())
                if kind is Activation.RELU:
                    x = torch.relu(x)
                elif kind is Activation.LEAKY_RELU:
                    x = F.leaky_relu(x, float(slope))
                elif kind is Activation.MAXOUT:  # rows j*k .. j*k+k-1 -> unit j
                    x = x.reshape(x.shape[0], -1, slope).amax(dim=-1)
        return x.to(torch.float64).tolist()
    return forward


def from_state_dict(state_dict: Mapping, activations: Any = None, *,
                    input_dim: int | None = None, max_denominator: int | None = None,
                    samples: int = 64, seed: int = 0) -> Conversion:
    """Convert a state_dict of linear layers: (``*.weight``, ``*.bias``) pairs in key order.

    A state_dict does not record activations: pass one per linear layer, e.g.
    ``["relu", "relu", "identity"]`` or ``"relu,leaky_relu:0.01,identity"`` (slopes
    are exact decimals or fractions).  A missing bias is zero.
    """
    check_options(input_dim, max_denominator, samples)
    torch = _torch()
    if not isinstance(state_dict, Mapping):
        raise InputError(f"expected a state_dict (a mapping of tensors), got "
                         f"{type(state_dict).__name__}")
    pairs = _pairs(state_dict, torch)
    if activations is None:
        example = activation_names(default_activations(len(pairs)))
        raise InputError(f"a state_dict does not record its activations: pass one per linear "
                         f"layer ({len(pairs)} here), e.g. {example} (relu, identity, "
                         "leaky_relu:SLOPE)", param="activations")
    acts = parse_activations(activations, len(pairs))
    W0 = pairs[0][2]
    d = int(W0.shape[1]) if W0.dim() == 2 else None
    if d is not None:
        check_input_dim(input_dim, d, f"{pairs[0][1]!r} takes {d} inputs")
    b = _state_dict_layers(pairs, acts, d)
    layers = b.finish()
    notes = zero_bias_note([repr(_bias_key(key)) for _, key, _, bias in pairs if bias is None])
    return finish(layers, d, source="pytorch-state-dict", dtype=_dtype_name(W0.dtype),
                  forward=_state_dict_forward(pairs, acts, W0.dtype, torch),
                  max_denominator=max_denominator, samples=samples, seed=seed,
                  notes=notes + b.notes)


# -- torch.save files --------------------------------------------------------------------

_GLOBAL_RE = re.compile(r"Unsupported global: GLOBAL ([\w.]+)")


def load_torch_file(path: str | os.PathLike) -> Any:
    """``torch.load`` with ``weights_only=True``: only the supported classes may be unpickled.

    A class outside :data:`SUPPORTED_MODULES` stops the unpickling, with an
    error naming it; no code from the file runs.
    """
    torch = _torch()
    p = model_path(path, "a torch.save file")
    try:
        with torch.serialization.safe_globals([torch.nn.Sequential, *_classes_of(torch.nn),
                                               *_graph_classes(torch.nn)]):
            return torch.load(p, weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as e:
        m = _GLOBAL_RE.search(str(e))
        if m:
            name = m.group(1)
            short = name.rsplit(".", 1)[-1]
            if name.startswith("torch.nn.modules."):
                raise InputError(f"unsupported layer {short} ({name}) in the saved model "
                                 f"({_SUPPORTED_TEXT}); the file was not unpickled further",
                                 where=p) from None
            raise InputError(f"unsupported class {name} in the saved object: save an "
                             f"nn.Sequential ({_SUPPORTED_TEXT}) or a state_dict; the file was "
                             "not unpickled further", where=p) from None
        text = str(e)
        m = re.search(r"WeightsUnpickler error:(.*?)(Check the documentation|$)", text, re.S)
        detail = " ".join(m.group(1).split()) if m else (first_line(e) or type(e).__name__)
        raise InputError(f"cannot be loaded safely (torch.load with weights_only=True): "
                         f"{detail[:300]}; re-save the nn.Sequential with a current torch.save, "
                         "or save its state_dict",
                         where=p) from None
    except Exception as e:  # corrupt archive, not a torch file, ...
        raise InputError(f"not a PyTorch file ({describe(e)})", where=p) from None


def from_torch_file(path: str | os.PathLike, *, activations: Any = None,
                    input_dim: int | None = None, max_denominator: int | None = None,
                    samples: int = 64, seed: int = 0) -> Conversion:
    """Load a ``torch.save`` file (a full ``nn.Sequential`` or a state_dict) and convert it."""
    torch = _torch()
    p = os.fspath(path)
    obj = load_torch_file(p)
    opts: dict[str, Any] = dict(input_dim=input_dim, max_denominator=max_denominator,
                                samples=samples, seed=seed)
    try:
        if isinstance(obj, torch.nn.Module):
            if activations is not None:
                raise InputError("activations are given, but the file holds a full model "
                                 "whose activations are its own; drop activations")
            return from_torch(obj, **opts)
        if isinstance(obj, Mapping):
            return from_state_dict(obj, activations, **opts)
    except InputError as e:
        raise e.at(p) from None
    raise InputError(f"holds a {type(obj).__name__}; expected a torch.save of an nn.Sequential "
                     "or of a state_dict", where=p)
