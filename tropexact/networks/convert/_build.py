"""Shared machinery of the importers: exact numbers, activations, layer assembly.

Nothing here imports torch, onnx or numpy; the importers pass plain Python
values (``tolist()`` of their tensors; numpy arrays only through their
``dtype``/``ndim``/``tolist``).

An importer reads the model's ops in order and feeds them to a
:class:`Builder`, which groups them into :class:`LayerSpec` s (an exact affine
map plus an :class:`~tropexact.networks.activation.Activation`);
:func:`~._check.finish` then rounds them if asked, builds the network and
compares it with the model's own forward pass.

Examples
--------
A ReLU, then a linear map, then nothing: the ReLU gets an exact identity-weight
layer and the trailing map gets the identity activation.

>>> b = Builder(2)
>>> b.activation(Activation.RELU, None, "relu0")
>>> b.affine(((Q(1), Q(-1)),), (Q(1, 2),), "lin1")
>>> specs = b.finish()
>>> [(s.where, s.activation.value) for s in specs], b.notes
([('relu0', 'relu'), ('lin1', 'identity')], ['relu0: activation with no linear layer before it; inserted an exact identity-weight layer'])
>>> specs[0].weight
((mpq(1,1), mpq(0,1)), (mpq(0,1), mpq(1,1)))
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
import struct
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt, plural, to_rational
from tropexact.networks.activation import Activation
from tropexact.networks.files import read_bytes
from tropexact.networks.model import MAX_PIECES

__all__ = ["LayerSpec", "Builder", "require", "model_path", "exact", "vector", "matrix", "zeros",
           "transpose", "array_values", "float32", "parse_activations", "parse_activation",
           "default_activations", "activation_names", "leaky_slope", "check_options",
           "check_input_dim", "zero_bias_note"]

_EXTRAS = {"torch": ("PyTorch", "torch"), "onnx": ("onnx", "onnx"), "numpy": ("numpy", "numpy")}


# -- optional dependencies and files ----------------------------------------------------

def require(module: str) -> Any:
    """Import *module* (torch, onnx, numpy) or raise an InputError with the install hint."""
    label, extra = _EXTRAS[module]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"{label} is not installed: pip install 'tropexact[{extra}]'") from None


def model_path(path: Any, expected: str) -> str:
    """*path* as a string, once :func:`~tropexact.networks.files.read_bytes` can open it.

    The file is opened and nothing is read: a missing file, a directory or an
    unreadable file is the package's usual one-line InputError naming it.
    """
    p = os.fspath(path)
    read_bytes(p, expected, 0)
    return p


# -- exact numbers ---------------------------------------------------------------------

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
    """A nested list (out × in) → tuple of row tuples of ``mpq``; rows must be equal length.

    Examples
    --------
    >>> matrix([[0.5, 1], [0.25, -2]], "W")
    ((mpq(1,2), mpq(1,1)), (mpq(1,4), mpq(-2,1)))
    >>> matrix([[1, 2], [3]], "W")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: W[1]: row has 1 entries, row 0 has 2
    """
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


def zeros(n: int) -> tuple:
    """The zero bias of *n* outputs."""
    return (Q(0),) * n


def transpose(rows: tuple) -> tuple:
    """The transpose of a matrix given by its rows (``()`` for no rows)."""
    return tuple(zip(*rows)) if rows else ()


def _identity(n: int) -> tuple:
    return tuple(tuple(Q(1) if i == j else Q(0) for j in range(n)) for i in range(n))


def array_values(a: Any, where: str, ndim: int | None = None) -> list:
    """The entries of a numpy array as nested Python lists, after dtype (and rank) checks.

    Float16/32/64 become Python floats exactly; the rank is checked when *ndim*
    is given (2 for a weight, 1 for a bias).
    """
    kind = a.dtype.kind
    if kind not in "fiu":
        raise InputError(f"dtype {a.dtype} is not numeric (expected float or integer)",
                         where=where)
    if kind == "f" and a.dtype.itemsize > 8:
        raise InputError(f"dtype {a.dtype} is not supported (use float64 or narrower)",
                         where=where)
    if ndim is not None and a.ndim != ndim:
        what = "2-D (out × in)" if ndim == 2 else "1-D"
        raise InputError(f"has shape {tuple(a.shape)}, expected {what}", where=where)
    return a.tolist()


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


# -- activations -----------------------------------------------------------------------

#: Other spellings users give for an activation (lower case, '-' read as '_').
_ALIASES = {"linear": Activation.IDENTITY, "none": Activation.IDENTITY,
            "leakyrelu": Activation.LEAKY_RELU}


def parse_activations(spec: Any, count: int) -> list[tuple[Activation, Any]]:
    """Parse per-layer activations: ``"relu,relu,identity"`` or a list of names.

    Returns one ``(activation, slope)`` per layer; the slope is None except for a
    leaky ReLU, given as ``"leaky_relu:SLOPE"`` with an exact slope (``0.01``, ``1/100``).

    Examples
    --------
    >>> acts = parse_activations("relu, leaky_relu:0.01, Linear", 3)
    >>> [(a.value, s) for a, s in acts]
    [('relu', None), ('leaky_relu', mpq(1,100)), ('identity', None)]
    >>> parse_activations("relu", 2)
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: activations: 1 given for 2 linear layers (one per layer, e.g. relu,identity)
    """
    if isinstance(spec, str):
        items = [s.strip() for s in spec.split(",")]
    else:
        try:
            items = list(spec)
        except TypeError:
            raise InputError(f"expected a list of names, got {spec!r}",
                             param="activations") from None
    if len(items) != count:
        example = activation_names(default_activations(count))
        raise InputError(f"{len(items)} given for {plural(count, 'linear layer')} (one per "
                         f"layer, e.g. {example})", param="activations")
    return [parse_activation(item, f"activations[{k}]") for k, item in enumerate(items)]


def parse_activation(item: Any, where: str) -> tuple[Activation, Any]:
    """One user-given activation name (aliases allowed) → ``(Activation, parameter or None)``.

    The parameter is the slope of a leaky ReLU (``"leaky_relu:SLOPE"``, exact) and
    the number of pieces k of a maxout (``"maxout:K"``: the layer's rows j·k, …,
    j·k + k − 1 form unit j); the other activations take none.

    Examples
    --------
    >>> parse_activation("Leaky-ReLU: 1/8", "act")
    (<Activation.LEAKY_RELU: 'leaky_relu'>, mpq(1,8))
    >>> parse_activation("maxout:3", "act")
    (<Activation.MAXOUT: 'maxout'>, 3)
    >>> parse_activation("relu:2", "act")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: act: relu takes no parameter, got 'relu:2'
    """
    if not isinstance(item, str):
        raise InputError(f"expected a name such as 'relu', got {item!r}", where=where)
    name, sep, arg = item.strip().partition(":")
    name = name.strip().lower().replace("-", "_")
    act = Activation.parse(_ALIASES.get(name, name), where=where)
    if act is Activation.MAXOUT:
        return act, _pieces_arg(arg if sep else "", where)
    if act is not Activation.LEAKY_RELU:
        if sep:
            raise InputError(f"{act} takes no parameter, got {item!r}", where=where)
        return act, None
    if not arg.strip():
        raise InputError("leaky_relu needs its slope, e.g. 'leaky_relu:0.01'", where=where)
    try:
        slope = to_rational(arg.strip())
    except InputError as e:
        raise InputError(f"slope: {e.message}", where=where) from None
    if not 0 < slope < 1:
        raise InputError(f"leaky_relu slope must satisfy 0 < a < 1, got {fmt(slope)}",
                         where=where)
    return act, slope


def _pieces_arg(arg: str, where: str) -> int:
    """The k of ``maxout:K``: an integer 1 ≤ k ≤ MAX_PIECES."""
    arg = arg.strip()
    if not arg:
        raise InputError("maxout needs its number of pieces, e.g. 'maxout:2'", where=where)
    if not re.fullmatch(r"[0-9]{1,4}", arg) or not 1 <= int(arg) <= MAX_PIECES:
        raise InputError(f"maxout pieces must be an integer from 1 to {MAX_PIECES}, got "
                         f"{arg!r}", where=where)
    return int(arg)


def default_activations(count: int) -> list[tuple[Activation, Any]]:
    """relu for every layer but the last, identity for the last (no slopes)."""
    return [(Activation.RELU, None)] * (count - 1) + [(Activation.IDENTITY, None)]


def activation_names(acts: Sequence[tuple[Activation, Any]]) -> str:
    """``"relu,relu,identity"``: the names of parsed activations, as a user writes them.

    Examples
    --------
    >>> activation_names(default_activations(3))
    'relu,relu,identity'
    """
    return ",".join(a.value if s is None else f"{a.value}:{fmt(s)}" for a, s in acts)


def leaky_slope(value: Any, where: str) -> tuple[Activation, Any, str | None]:
    """Map a model's leaky-ReLU slope to (activation, slope, note) exactly.

    0 is ReLU, 1 is the identity; tropexact's leaky ReLU needs 0 < a < 1 otherwise.

    Examples
    --------
    >>> leaky_slope(0.0, "lr")
    (<Activation.RELU: 'relu'>, None, 'lr: LeakyReLU with slope 0 is ReLU')
    >>> leaky_slope(0.25, "lr")
    (<Activation.LEAKY_RELU: 'leaky_relu'>, mpq(1,4), None)
    """
    a = exact(value, f"{where}.negative_slope")
    if a == 0:
        return Activation.RELU, None, f"{where}: LeakyReLU with slope 0 is ReLU"
    if a == 1:
        return Activation.IDENTITY, None, f"{where}: LeakyReLU with slope 1 is the identity"
    if not 0 < a < 1:
        raise InputError(f"LeakyReLU negative_slope={value!r} is not supported (tropexact's "
                         "leaky ReLU needs 0 < slope < 1)", where=where)
    return Activation.LEAKY_RELU, a, None


# -- assembling layers -----------------------------------------------------------------

@dataclass(frozen=True)
class LayerSpec:
    """One exact layer before rounding: x ↦ σ(W x + b), and the model op it came from."""

    weight: tuple  # out × in, rows of mpq
    bias: tuple
    where: str
    activation: Activation = Activation.IDENTITY
    slope: Any = None  # leaky_relu only
    pieces: int = 1  # maxout only: rows per unit


class Builder:
    """Assemble tropexact layers (affine map + activation) from a stream of model ops.

    ``affine`` starts a pending affine map; ``activation`` closes it with an
    activation, or, when nothing is pending, inserts an exact identity-weight
    layer with that activation (a ReLU right after a ReLU is idempotent and is
    merged).  A pending map with no activation after it gets the identity.
    Sources that state one activation per linear layer (a state_dict, arrays)
    call ``dense`` instead.
    """

    def __init__(self, width: int | None) -> None:
        self.width = width
        self.layers: list[LayerSpec] = []
        self.pending: LayerSpec | None = None
        self.notes: list[str] = []

    def _close(self, activation: Activation, slope: Any) -> None:
        """Close the pending map with *activation* (for maxout, *slope* is the pieces k)."""
        assert self.pending is not None
        if activation is Activation.MAXOUT:
            spec = dataclasses.replace(self.pending, activation=activation, pieces=slope)
            self.width = len(spec.weight) // slope
        else:
            spec = dataclasses.replace(self.pending, activation=activation, slope=slope)
        self.layers.append(spec)
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
            self._close(Activation.IDENTITY, None)
        self.pending = LayerSpec(weight, bias, where)
        self.width = n_out

    def dense(self, weight: tuple, bias: tuple, activation: Activation, slope: Any,
              where: str) -> None:
        """Add one whole layer σ(W x + b) (the activation stated, identity included;
        for maxout, *slope* is the number of pieces k, which must divide the rows)."""
        if activation is Activation.MAXOUT and len(weight) % slope:
            raise InputError(f"has {len(weight)} rows, not a multiple of maxout's {slope} "
                             "pieces", where=where)
        self.affine(weight, bias, where)
        self._close(activation, slope)

    def pool(self, groups: Sequence[Sequence[int]], where: str) -> None:
        """Replace the data z by (max_{i ∈ S_j} z_i)_j, the S_j given as *groups*.

        This is a maxout: the rows of the pending affine map (or of an exact 0/1
        selection layer, when an activation came last) are reordered so that unit
        j's pieces are consecutive, rows j·k … j·k + k − 1.  Groups of different
        sizes are padded to the largest by repeating their first member (the max
        is unchanged).  Groups of one element only reorder or drop rows, so the
        affine map stays pending (nothing to do for the identity order).

        Examples
        --------
        Rows grouped as (0, 2), (1, 3), that is max(z0, z2), max(z1, z3):

        >>> b = Builder(1)
        >>> b.affine(tuple((Q(i),) for i in range(4)), zeros(4), "lin")
        >>> b.pool([(0, 2), (1, 3)], "pool")
        >>> spec = b.finish()[0]
        >>> spec.activation.value, spec.pieces, [int(r[0]) for r in spec.weight], b.width
        ('maxout', 2, [0, 2, 1, 3], 2)
        """
        k = max(len(g) for g in groups)
        if k > MAX_PIECES:
            raise InputError(f"a pooling window of {k} entries; a maxout unit has at most "
                             f"{MAX_PIECES} pieces", where=where)
        order = [i for g in groups for i in (*g, *(g[0],) * (k - len(g)))]
        if k == 1 and self.pending is None and order == list(range(self.width or 0)):
            return
        if self.pending is None:
            if self.width is None:
                raise InputError("the model starts with a max-pooling and its input dimension "
                                 "is unknown: pass input_dim", where=where)
            self.pending = LayerSpec(_identity(self.width), zeros(self.width), where)
            self.notes.append(f"{where}: max-pooling with no linear layer before it; inserted "
                              "an exact 0/1 selection layer")
        if any(len(g) != k for g in groups):
            self.notes.append(f"{where}: pooling windows of different sizes; the smaller ones "
                              "are padded by repeating a member (the max is unchanged)")
        w, bias = self.pending.weight, self.pending.bias
        self.pending = dataclasses.replace(self.pending, weight=tuple(w[i] for i in order),
                                           bias=tuple(bias[i] for i in order))
        self.width = len(order)
        if k > 1:
            self._close(Activation.MAXOUT, k)

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
            self.pending = LayerSpec(_identity(self.width), tuple(c), where)
        else:
            bias = tuple(b + v for b, v in zip(self.pending.bias, c))
            self.pending = dataclasses.replace(self.pending, bias=bias)

    def activation(self, kind: Activation, slope: Any, where: str) -> None:
        """Apply relu / identity / leaky_relu(slope) to the data."""
        if kind is Activation.IDENTITY:
            return
        if self.pending is not None:
            self._close(kind, slope)
            return
        if kind is Activation.RELU and self.layers and \
                self.layers[-1].activation is Activation.RELU:
            self.notes.append(f"{where}: ReLU right after a ReLU merged into it (idempotent)")
            return
        if self.width is None:
            raise InputError("the model starts with an activation and its input dimension is "
                             "unknown: pass input_dim", where=where)
        self.pending = LayerSpec(_identity(self.width), zeros(self.width), where)
        self._close(kind, slope)
        self.notes.append(f"{where}: activation with no linear layer before it; inserted an "
                          "exact identity-weight layer")

    def _source_of_width(self) -> str:
        if self.pending is not None:
            return f"the layer before ({self.pending.where})"
        if self.layers:
            return f"the layer before ({self.layers[-1].where})"
        return "the model input"

    def finish(self) -> list[LayerSpec]:
        """The layers; a pending affine map is closed with the identity."""
        if self.pending is not None:
            self._close(Activation.IDENTITY, None)
        if not self.layers:
            raise InputError("the model has no layers to convert (no Linear/Gemm/MatMul and "
                             "no activation)")
        return self.layers


# -- options ---------------------------------------------------------------------------

def check_options(input_dim: Any, max_denominator: Any, samples: Any) -> None:
    """Validate the keyword options shared by every importer (errors name the parameter)."""
    if input_dim is not None and (type(input_dim) is not int or input_dim < 1):
        raise InputError(f"must be a positive integer, got {input_dim!r}", param="input_dim")
    if max_denominator is not None and (type(max_denominator) is not int or max_denominator < 1):
        raise InputError(f"must be a positive integer, got {max_denominator!r}",
                         param="max_denominator")
    if type(samples) is not int or samples < 0:
        raise InputError(f"must be a non-negative integer, got {samples!r}", param="samples")


def check_input_dim(input_dim: int | None, d: int, what: str) -> None:
    """Refuse an *input_dim* the model contradicts; *what* says what fixes it to *d*.

    Examples
    --------
    >>> check_input_dim(3, 2, "W0 has 2 columns")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: input_dim: input_dim=3, but W0 has 2 columns
    """
    if input_dim is not None and input_dim != d:
        raise InputError(f"input_dim={input_dim}, but {what}", param="input_dim")


def zero_bias_note(names: Sequence[str]) -> list[str]:
    """The note for layers whose missing bias was read as zero (none if all were given)."""
    return ["missing biases taken as zero: " + ", ".join(names)] if names else []
