"""Convolution and pooling windows as index arithmetic on row-major tensors.

A sample tensor of shape (C, S₁, …, S_k) (k = 1 or 2 spatial dims; no batch
axis) is stored as one vector, row-major: entry (c, s₁, …, s_k) has index
((c·S₁ + s₁)·S₂ + s₂)… — the order of ``torch.flatten`` and of ONNX ``Flatten``.

Along one spatial axis of length L, with kernel k, stride s, dilation d and
paddings p₀ (before) and p₁ (after), window o reads the positions
o·s − p₀ + d·q for q = 0 … k − 1; positions outside 0 … L − 1 are the padding.
There are ⌊(L + p₀ + p₁ − d(k − 1) − 1)/s⌋ + 1 windows (the ceiling with
``ceil_mode``, then dropping a last window that would start in the right
padding, the rule PyTorch and ONNX share).

* a **convolution** reads the padding as 0: its outputs are an affine map whose
  nonzero weights are the kernel entries at in-range positions
  (:func:`conv_entries`; every nonzero written once);
* a **max-pooling** reads the padding as −∞: output o is the maximum of the
  in-range entries of its window (:func:`pool_windows` gives them);
* an **average pooling** divides the sum of the in-range entries by their number,
  or, with ``count_include_pad``, by the window's size clipped to the padded input
  (PyTorch's and ONNX's divisor).

Examples
--------
A 1-D convolution of L = 4 entries with kernel (1, 2), stride 2, padding 1:
window 0 reads positions −1 (padding) and 0, window 1 positions 1, 2, window 2
positions 3, 4 (padding):

>>> out_size(4, 2, 2, 1, 1, 1)
3
>>> conv_entries((1, 4), [[[1, 2]]], 1, (2,), (1,), (1, 1), (3,))
[(0, 0, 2), (1, 1, 1), (1, 2, 2), (2, 3, 1)]
>>> pool_windows((1, 4), (2,), (2,), (1,), (1, 1), (3,))
[(0,), (1, 2), (3,)]
"""

from __future__ import annotations

import itertools
from typing import Any, Sequence

from tropexact.errors import InputError

__all__ = ["out_size", "out_shape", "conv_entries", "pool_windows", "avg_divisors",
           "adaptive_windows", "strides_of", "check_window"]


def out_size(L: int, k: int, s: int, d: int, p0: int, p1: int, ceil_mode: bool = False) -> int:
    """The number of windows along an axis of length *L* (module docstring).

    Examples
    --------
    >>> out_size(5, 2, 2, 1, 0, 0), out_size(5, 2, 2, 1, 0, 0, ceil_mode=True)
    (2, 3)
    """
    span = L + p0 + p1 - d * (k - 1) - 1
    if span < 0:
        return 0
    n = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (n - 1) * s >= L + p0:
        n -= 1
    return n


def out_shape(shape: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
              dilation: Sequence[int], pads: Sequence[int], ceil_mode: bool,
              where: str) -> tuple:
    """The spatial output shape; *pads* = (begins…, ends…) as in ONNX."""
    k = len(kernel)
    out = tuple(out_size(shape[i], kernel[i], stride[i], dilation[i], pads[i], pads[k + i],
                         ceil_mode) for i in range(k))
    if any(o < 1 for o in out):
        raise InputError(f"the window (kernel {tuple(kernel)}, dilation {tuple(dilation)}) "
                         f"does not fit the input of spatial shape {tuple(shape)} with "
                         f"padding {tuple(pads)}", where=where)
    return out


def strides_of(shape: Sequence[int]) -> tuple:
    """Row-major strides: index of (i₀, i₁, …) = Σ iⱼ·strideⱼ.

    Examples
    --------
    >>> strides_of((2, 3, 4))
    (12, 4, 1)
    """
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= n
    return tuple(reversed(out))


def _taps(o: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
          dilation: Sequence[int], pads: Sequence[int], space: Sequence[int]) -> list:
    """(kernel offset, input spatial position) of window *o*, in-range positions only."""
    out = []
    for q in itertools.product(*(range(k) for k in kernel)):
        pos = tuple(o[i] * stride[i] - pads[i] + dilation[i] * q[i] for i in range(len(o)))
        if all(0 <= p < n for p, n in zip(pos, space)):
            out.append((q, pos))
    return out


def conv_entries(shape: Sequence[int], weight: Any, groups: int, stride: Sequence[int],
                 dilation: Sequence[int], pads: Sequence[int], out_space: Sequence[int],
                 ) -> list:
    """The nonzero (row, column, weight) of a convolution as a matrix on row-major vectors.

    Parameters
    ----------
    shape : (C, S₁, …)
        The input's shape.
    weight : nested lists, (C_out, C/groups, k₁, …)
        The kernel (exact numbers; zeros are skipped).
    groups : int
        Output channel o reads the input channels of its group,
        (o // (C_out/groups))·(C/groups) + i.
    stride, dilation, pads, out_space
        As in the module docstring; *pads* = (begins…, ends…).
    """
    C, space = shape[0], tuple(shape[1:])
    cout, cin = len(weight), C // groups
    per = cout // groups
    in_st, out_st = strides_of(shape), strides_of((cout, *out_space))
    entries = []
    for o_pos in itertools.product(*(range(n) for n in out_space)):
        taps = _taps(o_pos, _kernel_shape(weight), stride, dilation, pads, space)
        base = sum(p * s for p, s in zip(o_pos, out_st[1:]))
        for oc in range(cout):
            row = oc * out_st[0] + base
            first = (oc // per) * cin
            cols = []
            for i in range(cin):
                w_i = weight[oc][i]
                for q, pos in taps:
                    w = _at(w_i, q)
                    if w:
                        col = (first + i) * in_st[0] + sum(p * s for p, s in zip(pos, in_st[1:]))
                        cols.append((col, w))
            entries.extend((row, c, w) for c, w in sorted(cols))
    entries.sort(key=lambda e: e[0])
    return entries


def _kernel_shape(weight: Any) -> tuple:
    k = weight[0][0]
    dims = []
    while isinstance(k, (list, tuple)):
        dims.append(len(k))
        k = k[0]
    return tuple(dims)


def _at(w: Any, q: tuple) -> Any:
    for i in q:
        w = w[i]
    return w


def pool_windows(shape: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
                 dilation: Sequence[int], pads: Sequence[int], out_space: Sequence[int],
                 ) -> list:
    """Per output (row-major over (C, out_space)), the input indices of its window in range."""
    C, space = shape[0], tuple(shape[1:])
    in_st = strides_of(shape)
    wins = []
    for o_pos in itertools.product(*(range(n) for n in out_space)):
        wins.append(tuple(sum(p * s for p, s in zip(pos, in_st[1:]))
                          for _, pos in _taps(o_pos, kernel, stride, dilation, pads, space)))
    if any(not w for w in wins):
        raise InputError("a pooling window lies entirely in the padding")
    return [tuple(c * in_st[0] + i for i in w) for c in range(C) for w in wins]


def avg_divisors(shape: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
                 pads: Sequence[int], out_space: Sequence[int], windows: list,
                 count_include_pad: bool) -> list:
    """The divisor of each average-pooling output: the in-range count, or (with
    *count_include_pad*) the window clipped to the padded input, per axis
    min(start + k, L + p₁) − start with start = o·s − p₀ (PyTorch's rule)."""
    if not count_include_pad:
        return [len(w) for w in windows]
    space, k = tuple(shape[1:]), len(kernel)
    per = []
    for o_pos in itertools.product(*(range(n) for n in out_space)):
        size = 1
        for i, o in enumerate(o_pos):
            start = o * stride[i] - pads[i]
            size *= min(start + kernel[i], space[i] + pads[k + i]) - start
        per.append(size)
    return per * shape[0]


def adaptive_windows(shape: Sequence[int], out_space: Sequence[int]) -> list:
    """The windows of an adaptive pooling: along an axis of L to n outputs, output o
    covers ⌊o·L/n⌋ … ⌈(o + 1)·L/n⌉ − 1 (PyTorch's rule).

    Examples
    --------
    >>> adaptive_windows((1, 5), (2,))
    [(0, 1, 2), (2, 3, 4)]
    """
    space = tuple(shape[1:])
    in_st = strides_of(shape)
    ranges = [[range(o * L // n, -(-(o + 1) * L // n)) for o in range(n)]
              for L, n in zip(space, out_space)]
    wins = []
    for rs in itertools.product(*ranges):
        wins.append(tuple(sum(p * s for p, s in zip(pos, in_st[1:]))
                          for pos in itertools.product(*rs)))
    return [tuple(c * in_st[0] + i for i in w) for c in range(shape[0]) for w in wins]


def check_window(values: Sequence[Any], n: int, name: str, where: str,
                 least: int = 1) -> tuple:
    """*values* as a tuple of *n* integers ≥ *least* (a single value is repeated)."""
    vals = tuple(values) if isinstance(values, (list, tuple)) else (values,)
    if len(vals) == 1 and n > 1:
        vals = vals * n
    if len(vals) != n or any(type(v) is not int or v < least for v in vals):
        raise InputError(f"{name}={list(vals)!r} must be {n} integers >= {least}", where=where)
    return vals

