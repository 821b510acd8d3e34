"""PyTorch importer: ``nn.Sequential`` models, state_dicts and ``torch.save`` files.

torch is imported inside the functions only.
"""

from __future__ import annotations

import os
import pickle
import re
from typing import Any, Mapping

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from ._build import Builder, Conversion, check_options, finish, float32, leaky_slope, \
    matrix, parse_activations, require, vector

__all__ = ["from_torch", "from_state_dict", "load_torch_file", "SUPPORTED_MODULES"]

SUPPORTED_MODULES = ("Linear", "ReLU", "LeakyReLU", "Identity", "Flatten", "Dropout")
_SUPPORTED_TEXT = "supported: Linear, ReLU, LeakyReLU, Identity, Flatten; Dropout as the identity"


def _torch() -> Any:
    return require("torch")


def _classes(torch: Any) -> list:
    nn = torch.nn
    return [nn.Sequential, nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Flatten, nn.Dropout]


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
    if type(module) in _classes_of(nn):
        return [(path, module)]
    raise InputError(f"unsupported layer {type(module).__name__} at {path} ({_SUPPORTED_TEXT})")


def _classes_of(nn: Any) -> tuple:
    return (nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Flatten, nn.Dropout)


def from_torch(module: Any, *, input_dim: int | None = None, max_denominator: int | None = None,
               samples: int = 64, seed: int = 0, source: str = "pytorch") -> Conversion:
    """Convert an ``nn.Sequential`` of Linear, ReLU, LeakyReLU, Identity, Flatten, Dropout.

    Nested Sequentials are flattened; any other module is an
    :class:`~tropexact.errors.InputError` naming it and its path.  Weights become
    the exact rationals of their float values; a LeakyReLU slope is taken in the
    model's dtype (the float32 value for a float32 model), as PyTorch applies it.
    """
    check_options(input_dim, max_denominator, samples)
    torch = _torch()
    nn = torch.nn
    if not isinstance(module, nn.Module):
        raise InputError(f"expected a torch.nn.Module, got {type(module).__name__}")
    if type(module) is not nn.Sequential and type(module) not in _classes_of(nn):
        raise InputError(f"unsupported model type {type(module).__name__}: expected an "
                         f"nn.Sequential ({_SUPPORTED_TEXT})")
    if type(module) is nn.Sequential and len(module) == 0:
        raise InputError("empty nn.Sequential: nothing to convert")
    leaves = _leaves(module, "model", nn)
    params = list(module.parameters())
    dtype = params[0].dtype if params else torch.get_default_dtype()
    dtype_name = _dtype_name(dtype)

    first = next((m for _, m in leaves if type(m) is nn.Linear), None)
    if first is not None:
        d = int(first.weight.shape[1])
        if input_dim is not None and input_dim != d:
            raise InputError(f"input_dim={input_dim}, but the first Linear takes {d} inputs")
    elif input_dim is None:
        raise InputError("the model has no Linear layer, so its input dimension is unknown: "
                         "pass input_dim")
    else:
        d = input_dim

    b = Builder(d)
    for path, m in leaves:
        t = type(m)
        if t is nn.Linear:
            W = m.weight
            if W.dim() != 2:
                raise InputError(f"weight has shape {tuple(W.shape)}, expected 2-D", where=path)
            weight = matrix(_values(W, f"{path}.weight"), f"{path}.weight")
            if m.bias is None:
                bias = (Q(0),) * len(weight)
            else:
                bias = vector(_values(m.bias, f"{path}.bias"), f"{path}.bias")
            b.affine(weight, bias, f"{path} (Linear)")
        elif t is nn.ReLU:
            b.activation("relu", None, f"{path} (ReLU)")
        elif t is nn.LeakyReLU:
            slope = float(m.negative_slope)
            if dtype != torch.float64:
                slope = float32(slope)
            kind, a, note = leaky_slope(slope, f"{path} (LeakyReLU)")
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
    layers = b.finish()

    def forward(points: list) -> list:
        device = params[0].device if params else torch.device("cpu")
        x = torch.tensor(points, dtype=dtype, device=device)
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

    return finish(layers, d, source=source, dtype=dtype_name, forward=forward,
                  max_denominator=max_denominator, samples=samples, seed=seed, notes=b.notes)


def _pairs(sd: Mapping, torch: Any) -> list:
    """(prefix, weight, bias-or-None) in key order; other keys are errors."""
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
        raise InputError(f"a state_dict does not record its activations: pass one per linear "
                         f"layer ({len(pairs)} here), e.g. activations="
                         f"{','.join(['relu'] * (len(pairs) - 1) + ['identity'])} "
                         "(relu, identity, leaky_relu:SLOPE)")
    acts = parse_activations(activations, len(pairs))
    dtype = pairs[0][2].dtype
    d = int(pairs[0][2].shape[1]) if pairs[0][2].dim() == 2 else None
    if input_dim is not None and d is not None and input_dim != d:
        raise InputError(f"input_dim={input_dim}, but {pairs[0][1]!r} takes {d} inputs")
    b = Builder(d)
    tensors = []
    for (prefix, key, W, bias), (kind, slope) in zip(pairs, acts):
        if W.dim() != 2:
            raise InputError(f"has shape {tuple(W.shape)}, expected 2-D (out × in)", where=key)
        weight = matrix(_values(W, key), key)
        if bias is None:
            bvec = (Q(0),) * len(weight)
        else:
            bkey = key[:-len("weight")] + "bias"
            if bias.dim() != 1:
                raise InputError(f"has shape {tuple(bias.shape)}, expected 1-D", where=bkey)
            bvec = vector(_values(bias, bkey), bkey)
        b.affine(weight, bvec, key)
        b._flush(kind, slope)
        tensors.append((W, bias, kind, slope))
    layers = b.finish()

    def forward(points: list) -> list:
        F = torch.nn.functional
        x = torch.tensor(points, dtype=dtype)
        with torch.no_grad():
            for W, bias, kind, slope in tensors:
                x = F.linear(x, W.detach().cpu(), None if bias is None else bias.detach().cpu())
                if kind == "relu":
                    x = torch.relu(x)
                elif kind == "leaky_relu":
                    x = F.leaky_relu(x, float(slope))
        return x.to(torch.float64).tolist()

    notes = [] if all(t[1] is not None for t in tensors) else \
        ["missing biases taken as zero: " + ", ".join(repr(p[1][:-len("weight")] + "bias")
                                                     for p in pairs if p[3] is None)]
    return finish(layers, d, source="pytorch-state-dict", dtype=_dtype_name(dtype),
                  forward=forward, max_denominator=max_denominator, samples=samples, seed=seed,
                  notes=notes + b.notes)


_GLOBAL_RE = re.compile(r"Unsupported global: GLOBAL ([\w.]+)")


def load_torch_file(path: str | os.PathLike) -> Any:
    """``torch.load`` with ``weights_only=True``: only the supported classes may be unpickled."""
    torch = _torch()
    p = os.fspath(path)
    try:
        with torch.serialization.safe_globals(_classes(torch)):
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
        detail = " ".join(m.group(1).split()) if m else (_first_line(e) or type(e).__name__)
        raise InputError(f"cannot be loaded safely (torch.load with weights_only=True): "
                         f"{detail[:300]}; re-save the nn.Sequential with a current torch.save, "
                         "or save its state_dict",
                         where=p) from None
    except FileNotFoundError:
        raise InputError("no such file", where=p) from None
    except Exception as e:  # corrupt archive, not a torch file, ...
        detail = _first_line(e)
        detail = type(e).__name__ if detail in ("", type(e).__name__) else \
            f"{type(e).__name__}: {detail}"
        raise InputError(f"not a PyTorch file ({detail})", where=p) from None


def _first_line(e: BaseException) -> str:
    for line in str(e).splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return ""


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
