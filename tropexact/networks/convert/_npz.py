"""Arrays importer: ``(W, b)`` pairs (numpy arrays or nested lists) and ``.npz`` files.

numpy is imported only for numpy input and ``.npz`` files; plain Python lists
need nothing but the standard library.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.files import read_bytes
from ._build import Builder, Conversion, check_options, default_activations, finish, matrix, \
    parse_activations, require, vector

__all__ = ["from_arrays", "from_npz"]

_KEY_RE = re.compile(r"([Wb])(0|[1-9][0-9]*)\Z")


def _is_numpy(x: Any) -> bool:
    return type(x).__module__ == "numpy" and hasattr(x, "dtype") and hasattr(x, "ndim")


def _numpy_values(a: Any, where: str, ndim: int) -> list:
    """Exact Python values of a numpy array, after dtype and rank checks."""
    kind = a.dtype.kind
    if kind not in "fiu":
        raise InputError(f"dtype {a.dtype} is not numeric (expected float or integer)",
                         where=where)
    if kind == "f" and a.dtype.itemsize > 8:
        raise InputError(f"dtype {a.dtype} is not supported (use float64 or narrower)",
                         where=where)
    if a.ndim != ndim:
        what = "2-D (out × in)" if ndim == 2 else "1-D"
        raise InputError(f"has shape {tuple(a.shape)}, expected {what}", where=where)
    return a.tolist()  # float16/32/64 -> Python float is exact


def _plain(x: Any) -> Any:
    """Nested lists of an array-like (tensors via tolist, lists as they are)."""
    if hasattr(x, "tolist") and not isinstance(x, (list, tuple)):
        return x.tolist()
    return x


def _all_floats(rows: Any) -> bool:
    def ok(v: Any) -> bool:
        return type(v) in (float, int)
    return all(ok(v) for row in rows for v in row)


def _convert(items: list, activations: Any, *, input_dim: int | None,
             max_denominator: int | None, samples: int, seed: int, source: str,
             extra_notes: Sequence[str] = ()) -> Conversion:
    """items: (W, b or None, weight name, bias name) for each layer."""
    check_options(input_dim, max_denominator, samples)
    if not items:
        raise InputError("no layers: expected at least one (W, b) pair")
    notes = list(extra_notes)
    if activations is None:
        acts, note = default_activations(len(items))
        notes.append(note)
    else:
        acts = parse_activations(activations, len(items))
    numpy_in = all(_is_numpy(W) and (b is None or _is_numpy(b)) for W, b, _, _ in items)
    b = Builder(input_dim)
    plain: list = []
    for (W, bias, wname, bname), (kind, slope) in zip(items, acts):
        if numpy_in:
            wv = _numpy_values(W, wname, 2)
            bv = None if bias is None else _numpy_values(bias, bname, 1)
        else:
            wv, bv = _plain(W), None if bias is None else _plain(bias)
        weight = matrix(wv, wname)
        bvec = (Q(0),) * len(weight) if bv is None else vector(bv, bname)
        if len(bvec) != len(weight):
            raise InputError(f"has {len(bvec)} entries, expected {len(weight)} (rows of "
                             f"{wname})", where=bname)
        if b.width is not None and len(weight[0]) != b.width:
            raise InputError(f"has {len(weight[0])} columns, expected {b.width} (" +
                             ("the input dimension" if not b.layers else
                              f"the rows of {b.layers[-1]['where']}") + ")", where=wname)
        b.affine(weight, bvec, wname)
        b._flush(kind, slope)
        plain.append((wv, bv, kind, slope))
    layers = b.finish()
    d = len(layers[0]["weight"][0])
    if any(bias is None for _, bias, _, _ in items):
        notes.append("missing biases taken as zero: " +
                     ", ".join(bn for _, bias, _, bn in items if bias is None))

    forward: Callable | None = None
    dtype: str | None = None
    reason: str | None = None
    if numpy_in:
        np = require("numpy")
        arrs = [a for W, bias, _, _ in items for a in (W, bias) if a is not None]
        dt = np.result_type(*arrs)
        if dt.kind != "f":
            dt = np.dtype(np.float64)
        dtype = str(dt)
        net_arrays = [(W.astype(dt), None if bias is None else bias.astype(dt), kind, slope)
                      for (W, bias, _, _), (kind, slope) in zip(items, acts)]

        def numpy_forward(points: list) -> list:
            x = np.asarray(points, dtype=dt)
            for W, bias, kind, slope in net_arrays:
                x = x @ W.T
                if bias is not None:
                    x = x + bias
                if kind == "relu":
                    x = np.maximum(x, dt.type(0))
                elif kind == "leaky_relu":
                    x = np.where(x >= 0, x, dt.type(float(slope)) * x)
            return x.astype(np.float64).tolist()
        forward = numpy_forward
    elif all(_all_floats(wv) and (bv is None or all(type(v) in (float, int) for v in bv))
             for wv, bv, _, _ in plain):
        dtype = "float64"

        def python_forward(points: list) -> list:
            out = []
            for x in points:
                for wv, bv, kind, slope in plain:
                    z = []
                    for i, row in enumerate(wv):
                        s = float(bv[i]) if bv is not None else 0.0
                        for w, v in zip(row, x):
                            s += w * v
                        z.append(s)
                    if kind == "relu":
                        z = [v if v > 0 else 0.0 for v in z]
                    elif kind == "leaky_relu":
                        a = float(slope)
                        z = [v if v >= 0 else a * v for v in z]
                    x = z
                out.append(x)
            return out
        forward = python_forward
    else:
        reason = ("no floating-point model to compare with: the arrays hold exact numbers "
                  "(or mixed types), so the network is exactly what was given")
    return finish(layers, d, source=source, dtype=dtype, forward=forward,
                  max_denominator=max_denominator, samples=samples, seed=seed,
                  notes=notes + b.notes, no_forward_reason=reason)


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
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise InputError(f"expected a list of (W, b) pairs, got {type(layers).__name__}")
    items = []
    for k, pair in enumerate(layers):
        try:
            W, bias = pair
        except (TypeError, ValueError):
            raise InputError("expected a (W, b) pair", where=f"layers[{k}]") from None
        items.append((W, bias, f"layers[{k}].weight", f"layers[{k}].bias"))
    return _convert(items, activations, input_dim=input_dim, max_denominator=max_denominator,
                    samples=samples, seed=seed, source="arrays")


def from_npz(path: str | os.PathLike, activations: Any = None, *, input_dim: int | None = None,
             max_denominator: int | None = None, samples: int = 64,
             seed: int = 0) -> Conversion:
    """Convert a ``.npz`` archive of arrays W0, b0, W1, b1, ... (W out × in).

    Indices must be contiguous from 0 and every ``W_k`` needs its ``b_k``; any
    other array name is an error.  Default activations as in :func:`from_arrays`.
    """
    np = require("numpy")
    p = os.fspath(path)
    head = read_bytes(p, "a .npz file", 6)
    if head == b"\x93NUMPY":
        raise InputError("holds a single array (.npy); expected a .npz archive of W0, b0, W1, "
                         "b1, ... (numpy.savez)", where=p)
    if head[:4] != b"PK\x03\x04":
        raise InputError("not a .npz archive (no zip header); expected numpy.savez output with "
                         "arrays W0, b0, W1, b1, ...", where=p)
    try:
        data = np.load(p, allow_pickle=False)
    except Exception as e:
        raise InputError(f"not a .npz archive ({type(e).__name__}: "
                         f"{str(e).splitlines()[0] if str(e) else ''})", where=p) from None
    if not hasattr(data, "files"):
        raise InputError("holds a single array (.npy); expected a .npz archive of W0, b0, W1, "
                         "b1, ... (numpy.savez)", where=p)
    try:
        with data:
            keys = list(data.files)
            found: dict = {}
            for key in keys:
                m = _KEY_RE.match(key)
                if not m:
                    raise InputError(f"unexpected array {key!r} (expected W0, b0, W1, b1, ...)")
                found[(m.group(1), int(m.group(2)))] = key
            if not found:
                raise InputError("no arrays (expected W0, b0, W1, b1, ...)")
            n = 1 + max(i for _, i in found)
            for i in range(n):
                for letter in ("W", "b"):
                    if (letter, i) not in found:
                        other = "b" if letter == "W" else "W"
                        raise InputError(f"missing {letter}{i} (every {other}{i} needs its "
                                         f"{letter}{i}; indices run 0..{n - 1})")
            arrays = {}
            for key in keys:
                try:
                    arrays[key] = data[key]
                except Exception as e:
                    raise InputError(f"cannot read array {key!r} ({type(e).__name__}: "
                                     f"{str(e).splitlines()[0] if str(e) else ''})") from None
        items = [(arrays[f"W{i}"], arrays[f"b{i}"], f"W{i}", f"b{i}") for i in range(n)]
        for W, bias, wname, bname in items:
            _numpy_values(W, wname, 2)
            _numpy_values(bias, bname, 1)
            if bias.shape[0] != W.shape[0]:
                raise InputError(f"has shape {tuple(bias.shape)}, expected ({W.shape[0]},) "
                                 f"(the rows of {wname}, shape {tuple(W.shape)})", where=bname)
        for (W0, _, n0, _), (W1, _, n1, _) in zip(items, items[1:]):
            if W1.shape[1] != W0.shape[0]:
                raise InputError(f"has shape {tuple(W1.shape)}: {W1.shape[1]} columns, but "
                                 f"{n0} (shape {tuple(W0.shape)}) has {W0.shape[0]} rows",
                                 where=n1)
        if input_dim is not None and items[0][0].shape[1] != input_dim:
            raise InputError(f"input_dim={input_dim}, but W0 has shape "
                             f"{tuple(items[0][0].shape)} ({items[0][0].shape[1]} inputs)")
        return _convert(items, activations, input_dim=input_dim,
                        max_denominator=max_denominator, samples=samples, seed=seed,
                        source="npz")
    except InputError as e:
        raise e.at(p) from None
