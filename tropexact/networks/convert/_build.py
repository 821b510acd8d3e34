"""Shared machinery of the importers: exact numbers, layer assembly, rounding.

Nothing here imports torch, onnx or numpy; the importers pass plain Python
values (``tolist()`` of their tensors) and a forward-pass callable.
"""

from __future__ import annotations

import difflib
import importlib
import struct
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.networks.model import Layer, Network, network
from tropexact.exact.numbers import Q, fmt, limit_denominator, to_rational

__all__ = ["Conversion", "require", "model_path", "exact", "matrix", "vector", "float32",
           "parse_activations", "Builder", "finish", "check_options"]

_EXTRAS = {"torch": ("PyTorch", "torch"), "onnx": ("onnx", "onnx"), "numpy": ("numpy", "numpy")}


@dataclass(frozen=True)
class Conversion:
    """The result of an import: the exact network and how it relates to the model.

    Attributes
    ----------
    network : Network
        The exact tropexact network.
    source : str
        ``"pytorch"``, ``"pytorch-state-dict"``, ``"onnx"``, ``"npz"`` or ``"arrays"``.
    deviation : mpq or None
        Exact max over the sample points and outputs of |model − network|, the
        model's output floats read exactly; ``None`` when no forward pass was run
        (the reason is in :attr:`notes`).
    samples : int
        Number of sample points the comparison used (0 when none).
    rounded : bool
        True when ``max_denominator`` changed at least one number; False means
        every number is the exact binary value of the model's float.
    notes : tuple of str
        Defaults applied, modules treated as the identity, merges, skipped checks.
    dtype : str or None
        The model's floating-point type (``"float32"``, ...), None for exact input.
    max_denominator : int or None
        The rounding that was asked for, if any.
    """

    network: Network
    source: str
    deviation: Any
    samples: int
    rounded: bool
    notes: tuple = ()
    dtype: str | None = None
    max_denominator: int | None = None

    @property
    def exact(self) -> bool:
        """True when no number was rounded (the network is the model's exact value)."""
        return not self.rounded


def require(module: str) -> Any:
    """Import *module* (torch, onnx, numpy) or raise an InputError with the install hint."""
    label, extra = _EXTRAS[module]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"{label} is not installed: pip install 'tropexact[{extra}]'") from None


def model_path(path: Any, expected: str) -> str:
    """*path* as a string, or an InputError if it is missing or a directory."""
    import os

    p = os.fspath(path)
    if not os.path.exists(p):
        raise InputError("no such file", where=p)
    if os.path.isdir(p):
        raise InputError(f"is a directory, expected {expected}", where=p)
    return p


def exact(x: Any, where: str) -> Any:
    """One model number → its exact ``mpq`` (floats by their binary value)."""
    try:
        return to_rational(x, allow_float=True)
    except InputError:
        raise InputError(f"{x!r} is not a finite number (weights must be finite)",
                         where=where) from None


def vector(xs: Sequence[Any], where: str) -> tuple:
    """A list of model numbers → tuple of ``mpq``; errors name ``where[i]``."""
    if not isinstance(xs, (list, tuple)):
        xs = [xs]
    return tuple(exact(v, f"{where}[{i}]") for i, v in enumerate(xs))


def matrix(rows: Sequence[Sequence[Any]], where: str) -> tuple:
    """A nested list (out × in) → tuple of row tuples of ``mpq``; rows must be equal length."""
    if not isinstance(rows, (list, tuple)) or not rows:
        raise InputError("expected a non-empty matrix (list of rows)", where=where)
    n = None
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)):
            raise InputError(f"expected a row (list), got {row!r}", where=f"{where}[{i}]")
        if n is None:
            n = len(row)
        elif len(row) != n:
            raise InputError(f"row has {len(row)} entries, row 0 has {n}", where=f"{where}[{i}]")
        out.append(tuple(exact(v, f"{where}[{i}][{j}]") for j, v in enumerate(row)))
    return tuple(out)


def transpose(rows: tuple) -> tuple:
    return tuple(zip(*rows)) if rows else ()


def float32(x: float) -> float:
    """The float32 value nearest to the double *x* (what a float32 model uses), exactly.

    Examples
    --------
    >>> float32(0.01), float32(0.5)
    (0.009999999776482582, 0.5)
    """
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


_ACTS = ("relu", "identity", "leaky_relu")


def parse_activations(spec: Any, count: int) -> list:
    """Parse per-layer activations: ``"relu,relu,identity"`` or a list of names.

    A leaky ReLU is ``"leaky_relu:SLOPE"`` with an exact slope (``0.01``, ``1/100``).

    Examples
    --------
    >>> parse_activations("relu, leaky_relu:0.01, identity", 3)
    [('relu', None), ('leaky_relu', mpq(1,100)), ('identity', None)]
    """
    if isinstance(spec, str):
        items = [s.strip() for s in spec.split(",")]
    else:
        try:
            items = list(spec)
        except TypeError:
            raise InputError(f"activations: expected a list of names, got {spec!r}") from None
    if len(items) != count:
        raise InputError(f"activations: {len(items)} given for {count} linear layer"
                         f"{'s' if count != 1 else ''} (one per layer, e.g. "
                         f"{','.join(['relu'] * (count - 1) + ['identity'])})")
    out = []
    for k, item in enumerate(items):
        if not isinstance(item, str):
            raise InputError(f"expected a name such as 'relu', got {item!r}",
                             where=f"activations[{k}]")
        name, sep, arg = item.strip().partition(":")
        name = name.strip().lower().replace("-", "_")
        name = {"linear": "identity", "none": "identity", "leakyrelu": "leaky_relu"}.get(name, name)
        if name not in _ACTS:
            close = difflib.get_close_matches(name, _ACTS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(_ACTS)})"
            raise InputError(f"unknown activation {item!r}{hint}", where=f"activations[{k}]")
        if name == "leaky_relu":
            if not sep or not arg.strip():
                raise InputError("leaky_relu needs its slope, e.g. 'leaky_relu:0.01'",
                                 where=f"activations[{k}]")
            try:
                slope = to_rational(arg.strip())
            except InputError as e:
                raise InputError(f"slope: {e.message}", where=f"activations[{k}]") from None
            if not 0 < slope < 1:
                raise InputError(f"leaky_relu slope must satisfy 0 < a < 1, got {fmt(slope)}",
                                 where=f"activations[{k}]")
            out.append((name, slope))
        else:
            if sep:
                raise InputError(f"{name} takes no parameter, got {item!r}",
                                 where=f"activations[{k}]")
            out.append((name, None))
    return out


def default_activations(count: int) -> tuple[list, str]:
    """relu for every layer but the last, identity for the last; and the note saying so."""
    acts = [("relu", None)] * (count - 1) + [("identity", None)]
    names = ",".join(a for a, _ in acts)
    return acts, f"activations defaulted to {names} (pass activations=... to change them)"


def _identity(n: int) -> tuple:
    return tuple(tuple(Q(1) if i == j else Q(0) for j in range(n)) for i in range(n))


class Builder:
    """Assemble tropexact layers (affine map + activation) from a stream of model ops.

    ``affine`` starts a pending affine map; ``activation`` closes it with an
    activation, or, when nothing is pending, inserts an exact identity-weight
    layer with that activation (a ReLU right after a ReLU is idempotent and is
    merged).  A pending map with no activation after it gets ``identity``.
    """

    def __init__(self, width: int | None) -> None:
        self.width = width
        self.layers: list[dict] = []
        self.pending: dict | None = None
        self.notes: list[str] = []

    def _flush(self, activation: str, slope: Any) -> None:
        p = self.pending
        assert p is not None
        self.layers.append({"weight": p["weight"], "bias": p["bias"], "activation": activation,
                            "slope": slope, "where": p["where"]})
        self.pending = None

    def affine(self, weight: tuple, bias: tuple, where: str) -> None:
        """Add x ↦ W x + b (W out × in, exact)."""
        if not weight or not weight[0]:
            raise InputError("has no outputs or no inputs (empty weight)", where=where)
        n_out, n_in = len(weight), len(weight[0])
        if self.width is not None and n_in != self.width:
            raise InputError(f"takes {n_in} inputs, but {self._source_of_width()} has "
                             f"{self.width} outputs", where=where)
        if len(bias) != n_out:
            raise InputError(f"bias has {len(bias)} entries, expected {n_out} (rows of the "
                             "weight)", where=where)
        if self.pending is not None:
            self._flush("identity", None)
        self.pending = {"weight": weight, "bias": bias, "where": where}
        self.width = n_out

    def add_bias(self, c: tuple, where: str) -> None:
        """Add a constant vector to the data (ONNX Add): folded into the pending bias."""
        if self.width is None:
            raise InputError("cannot place a bias before the input dimension is known "
                             "(pass input_dim)", where=where)
        if len(c) == 1 and self.width != 1:
            c = c * self.width
        if len(c) != self.width:
            raise InputError(f"adds {len(c)} values to data of width {self.width}", where=where)
        if self.pending is None:
            self.pending = {"weight": _identity(self.width), "bias": tuple(c), "where": where}
        else:
            self.pending = dict(self.pending, bias=tuple(b + v for b, v in
                                                         zip(self.pending["bias"], c)))

    def activation(self, kind: str, slope: Any, where: str) -> None:
        """Apply relu / identity / leaky_relu(slope) to the data."""
        if kind == "identity":
            return
        if self.pending is not None:
            self._flush(kind, slope)
            return
        last = self.layers[-1] if self.layers else None
        if (kind == "relu" and last is not None and last["activation"] == "relu"):
            self.notes.append(f"{where}: ReLU right after a ReLU merged into it (idempotent)")
            return
        if self.width is None:
            raise InputError("the model starts with an activation and its input dimension is "
                             "unknown: pass input_dim", where=where)
        self.pending = {"weight": _identity(self.width), "bias": (Q(0),) * self.width,
                        "where": where}
        self._flush(kind, slope)
        self.notes.append(f"{where}: activation with no linear layer before it; inserted an "
                          "exact identity-weight layer")

    def _source_of_width(self) -> str:
        if self.pending is not None:
            return f"the layer before ({self.pending['where']})"
        if self.layers:
            return f"the layer before ({self.layers[-1]['where']})"
        return "the model input"

    def finish(self) -> list[dict]:
        if self.pending is not None:
            self._flush("identity", None)
        if not self.layers:
            raise InputError("the model has no layers to convert (no Linear/Gemm/MatMul and "
                             "no activation)")
        return self.layers


def leaky_slope(value: Any, where: str) -> tuple[str, Any, str | None]:
    """Map a model's leaky-ReLU slope to (activation, slope, note) exactly.

    0 is ReLU, 1 is the identity; tropexact's leaky ReLU needs 0 < a < 1 otherwise.
    """
    a = exact(value, f"{where}.negative_slope")
    if a == 0:
        return "relu", None, f"{where}: LeakyReLU with slope 0 is ReLU"
    if a == 1:
        return "identity", None, f"{where}: LeakyReLU with slope 1 is the identity"
    if not 0 < a < 1:
        raise InputError(f"LeakyReLU negative_slope={value!r} is not supported (tropexact's "
                         "leaky ReLU needs 0 < slope < 1)", where=where)
    return "leaky_relu", a, None


def check_options(input_dim: Any, max_denominator: Any, samples: Any) -> None:
    """Validate the keyword options shared by every importer."""
    if input_dim is not None and (type(input_dim) is not int or input_dim < 1):
        raise InputError(f"input_dim must be a positive integer, got {input_dim!r}")
    if max_denominator is not None and (type(max_denominator) is not int or max_denominator < 1):
        raise InputError(f"max_denominator must be a positive integer, got {max_denominator!r}")
    if type(samples) is not int or samples < 0:
        raise InputError(f"samples must be a non-negative integer, got {samples!r}")


_SAMPLE_BITS = {"float64": 16, "float32": 16, "float16": 10, "bfloat16": 7}


def finish(layers: list[dict], input_dim: int, *, source: str, dtype: str | None,
           forward: Callable | None, max_denominator: int | None, samples: int, seed: int,
           notes: Sequence[str], no_forward_reason: str | None = None) -> Conversion:
    """Round (if asked), build the Network, run the forward-pass comparison."""
    from ._check import compare, sample_points

    notes = list(notes)
    changed = total = 0

    def rnd(q: Any) -> Any:
        nonlocal changed, total
        total += 1
        if max_denominator is None:
            return q
        r = limit_denominator(q, max_denominator)
        if r != q:
            changed += 1
        return r

    out = []
    for spec in layers:
        W = tuple(tuple(rnd(w) for w in row) for row in spec["weight"])
        b = tuple(rnd(v) for v in spec["bias"])
        slope = spec["slope"]
        if slope is not None:
            slope = rnd(slope)
            if not 0 < slope < 1:
                raise InputError(f"max_denominator={max_denominator} rounds the leaky ReLU "
                                 f"slope to {fmt(slope)}, outside 0 < a < 1; use a larger "
                                 "max_denominator", where=spec["where"])
        out.append(Layer(W, b, spec["activation"], Q(0), slope))
    net = network(input_dim, out)
    if max_denominator is not None:
        notes.append(f"max_denominator={max_denominator}: {changed} of {total} numbers rounded")

    deviation, used = None, 0
    if samples == 0:
        notes.append("forward-pass comparison skipped (samples=0)")
    elif forward is None:
        notes.append(no_forward_reason or "no forward pass available for this source")
    else:
        pts = sample_points(input_dim, samples, seed, _SAMPLE_BITS.get(dtype or "", 16))
        deviation, note = compare(net, forward, pts)
        if deviation is None:
            notes.append(note)
        else:
            used = len(pts)
    return Conversion(network=net, source=source, deviation=deviation, samples=used,
                      rounded=changed > 0, notes=tuple(notes), dtype=dtype,
                      max_denominator=max_denominator)
