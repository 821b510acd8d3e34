"""The end of every import: rounding, the exact network, and its comparison with the model.

:func:`finish` rounds the assembled layers (only when ``max_denominator`` asks),
builds the :class:`~tropexact.networks.model.Network`, and compares it with the
model's own forward pass; the result is a :class:`Conversion`.

Sample points are dyadic rationals k / 2^m in [-1, 1]^d (m = 16 for float32 and
float64 models, 10 for float16, 7 for bfloat16), so the model sees exactly the
point the exact network sees.  The model's output floats are read exactly, and
the deviation is the exact maximum of |model − network| over points and outputs.
A model that raises is reported, not propagated: :func:`describe` words a
foreign exception (also for the importers' own file errors).

Examples
--------
>>> from tropexact.networks.model import network
>>> net = network(1, [{"weight": [[2]], "bias": [0], "activation": "identity"}])
>>> pts = sample_points(1, 3, seed=0, bits=4)
>>> all(-1 <= p[0] <= 1 and p[0].denominator <= 16 for p in pts)
True
>>> compare(net, lambda xs: [[2 * x[0] + 2.0 ** -20] for x in xs], pts)
(mpq(1,1048576), None)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import common_denominator, integer_points
from tropexact.exact.numbers import Q, fmt, limit_denominator, to_rational
from tropexact.networks.activation import Activation
from tropexact.networks.model import Layer, Network, network

from ._build import LayerSpec

__all__ = ["Conversion", "finish", "sample_points", "compare", "describe", "first_line"]


def sample_points(d: int, n: int, seed: int, bits: int) -> list[tuple]:
    """*n* seeded points of [-1, 1]^d with coordinates k / 2^bits (exact ``mpq``)."""
    rng = random.Random(seed)
    top = 2 ** bits
    return [tuple(Q(rng.randint(-top, top), top) for _ in range(d)) for _ in range(n)]


def first_line(e: BaseException) -> str:
    """The first non-blank line of an exception's message (at most 200 characters).

    Examples
    --------
    >>> first_line(ValueError("\\n  bad magic number\\nmore detail"))
    'bad magic number'
    """
    for line in str(e).splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return ""


def describe(e: BaseException) -> str:
    """A foreign exception in a few words: its type and the first line of its message.

    Examples
    --------
    >>> describe(ValueError("bad magic number")), describe(KeyError())
    ('ValueError: bad magic number', 'KeyError')
    """
    line = first_line(e)
    name = type(e).__name__
    return name if line in ("", name) else f"{name}: {line}"


class _IntegerForward:
    """The exact forward pass of *net* on Python integers (faster than mpq for big layers).

    A vector is kept as integer numerators over one common denominator; each
    layer's weights are scaled to integers once.  The result equals ``net(x)``.

    Examples
    --------
    >>> from tropexact.networks.model import network
    >>> net = network(2, [{"weight": [["1/2", 1]], "bias": ["1/3"], "activation": "leaky_relu",
    ...                    "negative_slope": "1/4"}])
    >>> p = (Q(-1), Q(-1, 2))
    >>> _IntegerForward(net)(p), net(p)
    ((mpq(-1,6),), (mpq(-1,6),))
    >>> m = network(1, [{"weight": [[1], [-1]], "bias": [0, "1/2"], "activation": "maxout",
    ...                  "pieces": 2}])
    >>> _IntegerForward(m)((Q(1, 8),)), m((Q(1, 8),))
    ((mpq(3,8),), (mpq(3,8),))
    """

    def __init__(self, net: Network) -> None:
        self.layers = []
        for lay in net.layers:
            dw = common_denominator(w for row in lay.weight for w in row)
            W = [[int(w * dw) for w in row] for row in lay.weight]
            self.layers.append((W, dw, lay))

    def __call__(self, x: Sequence) -> tuple:
        [X], den = integer_points([x])
        for W, dw, lay in self.layers:
            # z = (W X) / (dw den) + b, as numerators over D
            relu = lay.activation is Activation.RELU
            D = math.lcm(dw * den, common_denominator(
                lay.bias + ((lay.threshold,) if relu else ())))
            k = D // (dw * den)
            Z = [k * sum(w * v for w, v in zip(row, X) if w) + int(b * D)
                 for row, b in zip(W, lay.bias)]
            if relu:
                t = int(lay.threshold * D)
                Z = [z if z > t else t for z in Z]
            elif lay.activation is Activation.LEAKY_RELU:
                p, q = int(lay.negative_slope.numerator), int(lay.negative_slope.denominator)
                Z = [z * q if z >= 0 else z * p for z in Z]
                D *= q
            elif lay.activation is Activation.MAXOUT:
                Z = [max(Z[i:j]) for i, j in lay.units()]
            X, den = tuple(Z), D
        return tuple(Q(z, den) for z in X)


def compare(net: Network, forward: Callable[[list], list], points: Sequence[tuple]) -> tuple:
    """(deviation, None), or (None, reason) when the model could not be compared.

    *forward* takes a list of points as lists of Python floats and returns one
    list of output floats per point.  *net* is a Network or any exact map, such as a
    computation graph (:class:`~tropexact.networks.graph.Graph`).
    """
    floats = [[float(v) for v in p] for p in points]
    try:
        outs = forward(floats)
    except Exception as e:  # the model's own forward pass failed: report, do not crash
        return None, f"forward-pass comparison failed: the model raised {describe(e)}"
    outs = [list(o) for o in outs]
    if len(outs) != len(points):
        return None, (f"forward-pass comparison failed: the model gave {len(outs)} outputs "
                      f"for {len(points)} points")
    worst = Q(0)
    exact = _IntegerForward(net) if isinstance(net, Network) else net
    for p, y in zip(points, outs):
        z = exact(p)
        if len(y) != len(z):
            return None, (f"forward-pass comparison failed: the model has {len(y)} outputs, "
                          f"the converted network {len(z)}")
        for a, b in zip(y, z):
            a = float(a)
            if not math.isfinite(a):
                return None, (f"forward-pass comparison failed: the model output {a!r} "
                              "(not finite)")
            diff = abs(to_rational(a, allow_float=True) - b)
            if diff > worst:
                worst = diff
    return worst, None


# -- the result of an import -------------------------------------------------------------

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


_SAMPLE_BITS = {"float64": 16, "float32": 16, "float16": 10, "bfloat16": 7}


class _Rounding:
    """Every number through ``limit_denominator`` when asked, counting those it changes."""

    def __init__(self, max_denominator: int | None) -> None:
        self.max_denominator = max_denominator
        self.changed = self.total = 0

    def __call__(self, q: Any) -> Any:
        self.total += 1
        if self.max_denominator is None:
            return q
        r = limit_denominator(q, self.max_denominator)
        self.changed += r != q
        return r

    def layer(self, spec: LayerSpec) -> Layer:
        """The tropexact layer of *spec*, its numbers rounded."""
        weight = tuple(tuple(self(w) for w in row) for row in spec.weight)
        bias = tuple(self(v) for v in spec.bias)
        slope = None if spec.slope is None else self(spec.slope)
        if slope is not None and not 0 < slope < 1:
            raise InputError(f"max_denominator={self.max_denominator} rounds the leaky ReLU "
                             f"slope to {fmt(slope)}, outside 0 < a < 1; use a larger "
                             "max_denominator", where=spec.where)
        return Layer(weight, bias, spec.activation, Q(0), slope, spec.pieces)


def _comparison(net: Network, forward: Callable | None, dtype: str | None, samples: int,
                seed: int, no_forward_reason: str | None) -> tuple[Any, int, str | None]:
    """(deviation or None, points used, note or None) of the forward-pass comparison."""
    if samples == 0:
        return None, 0, "forward-pass comparison skipped (samples=0)"
    if forward is None:
        return None, 0, no_forward_reason or "no forward pass available for this source"
    pts = sample_points(net.input_dim, samples, seed, _SAMPLE_BITS.get(dtype or "", 16))
    deviation, note = compare(net, forward, pts)
    return deviation, (0 if deviation is None else len(pts)), note


def finish(layers: list[LayerSpec], input_dim: int, *, source: str, dtype: str | None,
           forward: Callable | None, max_denominator: int | None, samples: int, seed: int,
           notes: Sequence[str], no_forward_reason: str | None = None) -> Conversion:
    """Round (if asked), build the Network, run the forward-pass comparison.

    Parameters
    ----------
    layers : list of LayerSpec
        The assembled layers (:meth:`~._build.Builder.finish`).
    input_dim : int
        The network's input dimension.
    source, dtype : str
        Recorded in the :class:`Conversion`; *dtype* also sets the sample grid.
    forward : callable or None
        The model's own forward pass (lists of float points → lists of float
        outputs); None when there is no float model, with *no_forward_reason*.
    max_denominator, samples, seed
        The importer's options (rounding, number and seed of sample points).
    notes : sequence of str
        The importer's notes; the rounding and comparison notes are appended.

    Examples
    --------
    The float 0.1 rounded to denominator 10 is 1/10; the float model (0.1 · x)
    then differs from the exact network by at most about one unit in the last place:

    >>> from tropexact.networks.convert._build import Builder, matrix
    >>> b = Builder(1)
    >>> b.dense(matrix([[0.1]], "W"), (Q(0),), Activation.RELU, None, "W")
    >>> conv = finish(b.finish(), 1, source="arrays", dtype="float64",
    ...               forward=lambda xs: [[max(0.1 * x[0], 0.0)] for x in xs],
    ...               max_denominator=10, samples=8, seed=0, notes=[])
    >>> conv.network.layers[0].weight, conv.rounded, conv.samples, conv.notes
    (((mpq(1,10),),), True, 8, ('max_denominator=10: 1 of 2 numbers rounded',))
    >>> 0 < conv.deviation < 2.0 ** -52
    True
    """
    notes = list(notes)
    rounding = _Rounding(max_denominator)
    net = network(input_dim, [rounding.layer(spec) for spec in layers])
    if max_denominator is not None:
        notes.append(f"max_denominator={max_denominator}: {rounding.changed} of "
                     f"{rounding.total} numbers rounded")
    deviation, used, note = _comparison(net, forward, dtype, samples, seed, no_forward_reason)
    if note:
        notes.append(note)
    return Conversion(network=net, source=source, deviation=deviation, samples=used,
                      rounded=rounding.changed > 0, notes=tuple(notes), dtype=dtype,
                      max_denominator=max_denominator)
