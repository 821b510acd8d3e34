"""Arrays importer: ``(W, b)`` pairs (numpy arrays or nested lists) and ``.npz`` files.

numpy is imported only for numpy input and ``.npz`` files; plain Python lists
need nothing but the standard library.

The arrays do not record activations: they are given (``activations=``) or
default to relu, ..., relu, identity.  The forward-pass comparison runs the
arrays themselves: numpy in their dtype, or Python floats for lists of floats.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import quoted
from tropexact.networks.activation import Activation
from tropexact.networks.files import read_bytes
from ._build import Builder, LayerSpec, activation_names, array_values, check_input_dim, \
    check_options, default_activations, matrix, parse_activations, require, vector, \
    zero_bias_note, zeros
from ._check import Conversion, describe, finish

__all__ = ["from_arrays", "from_npz"]

_KEY_RE = re.compile(r"([Wb])(0|[1-9][0-9]{0,8})\Z")  # int() stops at 4,300 digits
_NPZ_LAYOUT = "a .npz archive of W0, b0, W1, b1, ... (numpy.savez)"


@dataclass(frozen=True)
class _Item:
    """One layer as given: the weight and bias objects (bias may be None) and their names."""

    W: Any
    b: Any
    wname: str
    bname: str


def _is_numpy(x: Any) -> bool:
    return type(x).__module__ == "numpy" and hasattr(x, "dtype") and hasattr(x, "ndim")


def _plain(x: Any) -> Any:
    """Nested lists of an array-like (tensors via tolist, lists as they are)."""
    if hasattr(x, "tolist") and not isinstance(x, (list, tuple)):
        return x.tolist()
    return x


def _all_floats(values: Any) -> bool:
    """True when a list (of rows) holds only Python floats and ints (a float64 model)."""
    return all(_all_floats(v) if isinstance(v, (list, tuple)) else type(v) in (float, int)
               for v in values)


# -- exact layers ----------------------------------------------------------------------

def _values(items: list[_Item], numpy_in: bool) -> list[tuple]:
    """(weight, bias or None) of each layer as nested Python lists, checked for numpy input."""
    out = []
    for it in items:
        if numpy_in:
            wv = array_values(it.W, it.wname, 2)
            bv = None if it.b is None else array_values(it.b, it.bname, 1)
        else:
            wv, bv = _plain(it.W), None if it.b is None else _plain(it.b)
        out.append((wv, bv))
    return out


def _layers(items: list[_Item], values: list[tuple], acts: list,
            input_dim: int | None) -> Builder:
    """The exact layers; shape errors name the array (W1 columns vs W0 rows, b0 length)."""
    b = Builder(input_dim)
    for it, (wv, bv), (kind, slope) in zip(items, values, acts):
        weight = matrix(wv, it.wname)
        bias = zeros(len(weight)) if bv is None else vector(bv, it.bname)
        if len(bias) != len(weight):
            raise InputError(f"has {len(bias)} entries, expected {len(weight)} (rows of "
                             f"{it.wname})", where=it.bname)
        if b.width is not None and len(weight[0]) != b.width:
            source = _outputs_of(b.layers[-1]) if b.layers else "the input dimension"
            raise InputError(f"has {len(weight[0])} columns, expected {b.width} ({source})",
                             where=it.wname)
        b.dense(weight, bias, kind, slope, it.wname)
    return b


def _outputs_of(spec: LayerSpec) -> str:
    """What fixes the next layer's inputs: the rows of a layer, or its maxout units."""
    if spec.activation is Activation.MAXOUT:
        return (f"the maxout units of {spec.where}: {len(spec.weight)} rows in groups of "
                f"{spec.pieces}")
    return f"the rows of {spec.where}"


def _units(rows: int, kind: Activation, param: Any) -> int:
    """The outputs of a layer of *rows* rows: rows / k for a maxout of k pieces."""
    return rows // param if kind is Activation.MAXOUT else rows


# -- forward passes --------------------------------------------------------------------

def _numpy_forward(items: list[_Item], acts: list) -> tuple[Callable, str]:
    """The arrays' own forward pass in numpy, in their common float dtype (else float64)."""
    np = require("numpy")
    dt = np.result_type(*[a for it in items for a in (it.W, it.b) if a is not None])
    if dt.kind != "f":
        dt = np.dtype(np.float64)
    layers = [(it.W.astype(dt), None if it.b is None else it.b.astype(dt), kind, slope)
              for it, (kind, slope) in zip(items, acts)]

    def forward(points: list) -> list:
        x = np.asarray(points, dtype=dt)
        for W, bias, kind, slope in layers:
            x = x @ W.T
            if bias is not None:
                x = x + bias
            if kind is Activation.RELU:
                x = np.maximum(x, dt.type(0))
            elif kind is Activation.LEAKY_RELU:
                x = np.where(x >= 0, x, dt.type(float(slope)) * x)
            elif kind is Activation.MAXOUT:  # rows j*k .. j*k+k-1 -> unit j
                x = x.reshape(x.shape[0], -1, slope).max(axis=-1)
        return x.astype(np.float64).tolist()
    return forward, str(dt)


def _python_forward(values: list[tuple], acts: list) -> Callable:
    """The forward pass of lists of Python floats, in Python floats (float64)."""
    layers = [(wv, bv, kind, slope if slope is None or kind is Activation.MAXOUT else
               float(slope)) for (wv, bv), (kind, slope) in zip(values, acts)]

    def forward(points: list) -> list:
        out = []
        for x in points:
            for wv, bv, kind, slope in layers:
                z = []
                for i, row in enumerate(wv):
                    s = float(bv[i]) if bv is not None else 0.0
                    for w, v in zip(row, x):
                        s += w * v
                    z.append(s)
                if kind is Activation.RELU:
                    z = [v if v > 0 else 0.0 for v in z]
                elif kind is Activation.LEAKY_RELU:
                    z = [v if v >= 0 else slope * v for v in z]
                elif kind is Activation.MAXOUT:
                    z = [max(z[i:i + slope]) for i in range(0, len(z), slope)]
                x = z
            out.append(x)
        return out
    return forward


def _forward(items: list[_Item], values: list[tuple], acts: list,
             numpy_in: bool) -> tuple[Callable | None, str | None, str | None]:
    """(forward, dtype, reason): the float model to compare with, or why there is none."""
    if numpy_in:
        return (*_numpy_forward(items, acts), None)
    if all(_all_floats(wv) and (bv is None or _all_floats(bv)) for wv, bv in values):
        return _python_forward(values, acts), "float64", None
    return None, None, ("no floating-point model to compare with: the arrays hold exact "
                        "numbers (or mixed types), so the network is exactly what was given")


def _activations(activations: Any, count: int) -> tuple[list, list[str]]:
    """(the parsed activations, notes): the given ones, or relu, ..., relu, identity."""
    if activations is None:
        acts = default_activations(count)
        return acts, [f"activations defaulted to {activation_names(acts)} (pass "
                      "activations=... to change them)"]
    return parse_activations(activations, count), []


def _convert(items: list[_Item], activations: Any, *, input_dim: int | None,
             max_denominator: int | None, samples: int, seed: int,
             source: str) -> Conversion:
    """Convert checked-out layers: activations, exact layers, forward pass, result."""
    check_options(input_dim, max_denominator, samples)
    if not items:
        raise InputError("no layers: expected at least one (W, b) pair")
    acts, notes = _activations(activations, len(items))
    numpy_in = all(_is_numpy(it.W) and (it.b is None or _is_numpy(it.b)) for it in items)
    values = _values(items, numpy_in)
    b = _layers(items, values, acts, input_dim)
    layers: list[LayerSpec] = b.finish()
    notes += zero_bias_note([it.bname for it in items if it.b is None])
    forward, dtype, reason = _forward(items, values, acts, numpy_in)
    return finish(layers, len(layers[0].weight[0]), source=source, dtype=dtype,
                  forward=forward, max_denominator=max_denominator, samples=samples,
                  seed=seed, notes=notes + b.notes, no_forward_reason=reason)


def from_arrays(layers: Sequence, activations: Any = None, *, input_dim: int | None = None,
                max_denominator: int | None = None, samples: int = 64,
                seed: int = 0) -> Conversion:
    """Convert ``[(W0, b0), (W1, b1), ...]`` (W out × in, as in PyTorch) to a network.

    Parameters
    ----------
    layers : sequence of (W, b)
        numpy arrays, or nested lists of numbers (floats are read as their exact
        binary value; ints, Fractions and strings such as ``"1/3"`` exactly).  ``b``
        may be None (zero bias).
    activations : str or list of str, optional
        One per layer: ``relu``, ``identity``, ``leaky_relu:SLOPE``.  Default:
        relu for every layer but the last, identity for the last (recorded in
        ``notes``).

    The forward-pass comparison runs numpy in the arrays' dtype for numpy input,
    Python floats (float64) for lists of floats, and is skipped (noted) for exact
    input, which the network reproduces by construction.

    Examples
    --------
    >>> from fractions import Fraction
    >>> conv = from_arrays([([[1, -1], [Fraction(1, 3), 2]], [0, "1/2"]), ([[1, 1]], None)])
    >>> conv.network.widths, [l.activation.value for l in conv.network.layers]
    ((2, 2, 1), ['relu', 'identity'])
    >>> conv.network([1, 0])
    (mpq(11,6),)
    >>> conv.notes[1]
    'missing biases taken as zero: layers[1].bias'

    Exact input has no float model to compare with, so no comparison is run:

    >>> conv.deviation, conv.samples
    (None, 0)
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise InputError(f"expected a list of (W, b) pairs, got {type(layers).__name__}")
    items = []
    for k, pair in enumerate(layers):
        try:
            W, bias = pair
        except (TypeError, ValueError):
            raise InputError("expected a (W, b) pair", where=f"layers[{k}]") from None
        items.append(_Item(W, bias, f"layers[{k}].weight", f"layers[{k}].bias"))
    return _convert(items, activations, input_dim=input_dim, max_denominator=max_denominator,
                    samples=samples, seed=seed, source="arrays")


# -- .npz files ------------------------------------------------------------------------

def _open_npz(p: str) -> Any:
    """The ``numpy.load`` of an .npz archive (no pickles); a single .npy is an error."""
    np = require("numpy")
    head = read_bytes(p, "a .npz file", 6)
    if head == b"\x93NUMPY":
        raise InputError(f"holds a single array (.npy); expected {_NPZ_LAYOUT}", where=p)
    if head[:4] != b"PK\x03\x04":
        raise InputError("not a .npz archive (no zip header); expected numpy.savez output with "
                         "arrays W0, b0, W1, b1, ...", where=p)
    try:
        data = np.load(p, allow_pickle=False)
    except Exception as e:
        raise InputError(f"not a .npz archive ({describe(e)})", where=p) from None
    if not hasattr(data, "files"):
        raise InputError(f"holds a single array (.npy); expected {_NPZ_LAYOUT}", where=p)
    return data


def _layer_count(keys: Sequence[str]) -> int:
    """The number of layers named by the array names W0, b0, ..., W{n-1}, b{n-1}.

    Examples
    --------
    >>> _layer_count(["W0", "b0", "W1", "b1"])
    2
    >>> _layer_count(["W0", "b0", "b1"])
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: missing W1 (every b1 needs its W1; indices run 0..1)
    """
    found = set()
    for key in keys:
        m = _KEY_RE.match(key)
        if not m:
            raise InputError(f"unexpected array {quoted(key)} (expected W0, b0, W1, b1, ...)")
        found.add((m.group(1), int(m.group(2))))
    if not found:
        raise InputError("no arrays (expected W0, b0, W1, b1, ...)")
    n = 1 + max(i for _, i in found)
    for i in range(n):
        for letter, other in (("W", "b"), ("b", "W")):
            if (letter, i) not in found:
                raise InputError(f"missing {letter}{i} (every {other}{i} needs its "
                                 f"{letter}{i}; indices run 0..{n - 1})")
    return n


def _npz_items(data: Any) -> list[_Item]:
    """The layers of an open .npz archive (closed afterwards), names checked."""
    with data:
        keys = list(data.files)
        n = _layer_count(keys)
        arrays = {}
        for key in keys:
            try:
                arrays[key] = data[key]
            except Exception as e:
                raise InputError(f"cannot read array {key!r} ({describe(e)})") from None
    return [_Item(arrays[f"W{i}"], arrays[f"b{i}"], f"W{i}", f"b{i}") for i in range(n)]


def _check_shapes(items: list[_Item], acts: list, input_dim: int | None) -> None:
    """Dtypes, ranks and chained shapes of the arrays, each error naming its array.

    A maxout layer of k pieces has rows / k outputs (its rows must be a multiple of k).
    """
    for it in items:
        array_values(it.W, it.wname, 2)
        array_values(it.b, it.bname, 1)
        if it.b.shape[0] != it.W.shape[0]:
            raise InputError(f"has shape {tuple(it.b.shape)}, expected ({it.W.shape[0]},) "
                             f"(the rows of {it.wname}, shape {tuple(it.W.shape)})",
                             where=it.bname)
    for it, (kind, k) in zip(items, acts):
        if kind is Activation.MAXOUT and it.W.shape[0] % k:
            raise InputError(f"has shape {tuple(it.W.shape)}: {it.W.shape[0]} rows, not a "
                             f"multiple of maxout's {k} pieces", where=it.wname)
    for a, b, (kind, k) in zip(items, items[1:], acts):
        units = _units(a.W.shape[0], kind, k)
        if b.W.shape[1] != units:
            what = f"{units} maxout units" if kind is Activation.MAXOUT else f"{units} rows"
            raise InputError(f"has shape {tuple(b.W.shape)}: {b.W.shape[1]} columns, but "
                             f"{a.wname} (shape {tuple(a.W.shape)}) has {what}",
                             where=b.wname)
    W0 = items[0].W
    check_input_dim(input_dim, W0.shape[1],
                    f"W0 has shape {tuple(W0.shape)} ({W0.shape[1]} inputs)")


def from_npz(path: str | os.PathLike, activations: Any = None, *, input_dim: int | None = None,
             max_denominator: int | None = None, samples: int = 64,
             seed: int = 0) -> Conversion:
    """Convert a ``.npz`` archive of arrays W0, b0, W1, b1, ... (W out × in).

    Indices must be contiguous from 0 and every ``W_k`` needs its ``b_k``; any
    other array name is an error.  Default activations as in :func:`from_arrays`;
    errors are located in the file (``weights.npz: b0: ...``).
    """
    p = os.fspath(path)
    data = _open_npz(p)
    try:
        items = _npz_items(data)
        _check_shapes(items, _activations(activations, len(items))[0], input_dim)
        return _convert(items, activations, input_dim=input_dim,
                        max_denominator=max_denominator, samples=samples, seed=seed,
                        source="npz")
    except InputError as e:
        raise e.at(p) from None
