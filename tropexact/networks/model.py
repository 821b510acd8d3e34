"""Feed-forward networks with exact rational weights.

A network ν: Q^d → Q^p is a sequence of layers x ↦ σ(A x + b), where
``A`` is out × in (PyTorch's convention) and σ acts coordinatewise:

* ``relu``: σ(z) = max(z, t) with threshold t (default 0);
* ``identity``: σ(z) = z (a linear layer, e.g. the output);
* ``leaky_relu``: σ(z) = max(z, a z) with slope 0 < a < 1;
* ``maxout`` with k ``pieces``: A has m·k rows and unit j outputs the maximum of
  the pre-activations j·k, …, j·k + k − 1 (Goodfellow et al. 2013); the layer's
  output dimension is m.  Max-pooling is a maxout with 0/1 rows.

Values are immutable; :func:`network` validates shapes and numbers and names
the culprit (``layers[1].weight[0][2]``) in every error.

Examples
--------
>>> net = network(1, [{"weight": [[1], [1]], "bias": [0, -1], "activation": "relu"},
...                   {"weight": [[1, -2]], "bias": [0], "activation": "identity"}])
>>> [net([x])[0] for x in (-1, "1/2", 1, 2)]
[mpq(0,1), mpq(1,2), mpq(1,1), mpq(0,1)]

A maxout unit with two pieces computing max(x, 1 − x):

>>> m = network(1, [{"weight": [[1], [-1]], "bias": [0, 1], "activation": "maxout",
...                  "pieces": 2}])
>>> [m([x])[0] for x in (0, "1/2", 3)], m.widths
([mpq(1,1), mpq(1,2), mpq(3,1)], (1, 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from tropexact.errors import InputError
from tropexact.exact.linalg import common_denominator
from tropexact.exact.numbers import Q, fmt, is_rational, to_rational

from .activation import Activation

__all__ = ["Activation", "Layer", "Network", "network", "layer", "integer_network",
           "MAX_PIECES", "PIECE_LETTERS"]

#: A maxout unit's state in a sign vector: the letter of its winning piece.
PIECE_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_PIECES = len(PIECE_LETTERS)

_LAYER_KEYS = {"weight", "bias", "activation", "threshold", "negative_slope", "pieces"}


@dataclass(frozen=True)
class Layer:
    """One affine layer followed by an activation (all numbers ``mpq``).

    *activation* may be given as its name; it is stored as an :class:`Activation`.
    A maxout layer has ``pieces`` = k rows per unit (``out_dim`` = rows / k);
    every other layer has ``pieces`` = 1.
    """

    weight: tuple  # out × in, tuple of row tuples
    bias: tuple
    activation: Activation = Activation.RELU
    threshold: Any = Q(0)  # relu only
    negative_slope: Any = None  # leaky_relu only
    pieces: int = 1  # maxout only: rows per unit

    def __post_init__(self) -> None:
        if not isinstance(self.activation, Activation):
            object.__setattr__(self, "activation", Activation.parse(self.activation))

    @property
    def breakpoint(self) -> Any:
        """Where the activation bends: t for relu, 0 for leaky relu, None for the identity."""
        if self.activation is Activation.RELU:
            return self.threshold
        return None if self.activation.is_linear else Q(0)

    @property
    def in_dim(self) -> int:
        return len(self.weight[0]) if self.weight else 0

    @property
    def out_dim(self) -> int:
        """The number of outputs: rows, or units (rows / pieces) for maxout."""
        return len(self.weight) // self.pieces

    def units(self) -> Iterator[tuple[int, int]]:
        """For each output, the range ``(start, stop)`` of its rows."""
        k = self.pieces
        return ((j * k, j * k + k) for j in range(self.out_dim))

    def pre_activation(self, x: Sequence[Any]) -> tuple:
        return tuple(b + sum((w * v for w, v in zip(row, x) if w), Q(0))
                     for row, b in zip(self.weight, self.bias))

    def activate(self, z: Iterable[Any]) -> tuple:
        if self.activation is Activation.RELU:
            t = self.threshold
            return tuple(v if v > t else t for v in z)
        if self.activation is Activation.IDENTITY:
            return tuple(z)
        if self.activation is Activation.MAXOUT:
            z = tuple(z)
            return tuple(max(z[i:j]) for i, j in self.units())
        a = self.negative_slope
        return tuple(v if v >= 0 else a * v for v in z)

    def __call__(self, x: Sequence[Any]) -> tuple:
        return self.activate(self.pre_activation(x))

    def to_dict(self) -> dict:
        d: dict[str, Any] = {
            "weight": [[fmt(w) for w in row] for row in self.weight],
            "bias": [fmt(b) for b in self.bias],
            "activation": self.activation.value,
        }
        if self.activation is Activation.RELU and self.threshold != 0:
            d["threshold"] = fmt(self.threshold)
        if self.activation is Activation.LEAKY_RELU:
            d["negative_slope"] = fmt(self.negative_slope)
        if self.activation is Activation.MAXOUT:
            d["pieces"] = self.pieces
        return d


@dataclass(frozen=True)
class Network:
    """An exact feed-forward network: input dimension and layers."""

    input_dim: int
    layers: tuple

    @property
    def output_dim(self) -> int:
        return self.layers[-1].out_dim

    @property
    def widths(self) -> tuple:
        """(d, n_1, …, n_L): input dimension then every layer's width."""
        return (self.input_dim,) + tuple(l.out_dim for l in self.layers)

    def __call__(self, x: Sequence[Any]) -> tuple:
        """Exact forward pass at a rational point (floats refused)."""
        xs = tuple(to_rational(v) for v in x)
        if len(xs) != self.input_dim:
            raise InputError(f"point has {len(xs)} coordinates, expected {self.input_dim}")
        for l in self.layers:
            xs = l(xs)
        return xs

    evaluate = __call__

    def to_dict(self) -> dict:
        """The JSON-ready dictionary of docs/design.md §5 (numbers as strings)."""
        return {"format": "tropexact-network", "version": 1, "input_dim": self.input_dim,
                "layers": [l.to_dict() for l in self.layers]}


def _num(x: Any, where: str) -> Any:
    try:
        return to_rational(x)
    except InputError as e:
        raise InputError(e.message, where=where) from None


def layer(spec: Mapping, in_dim: int, where: str = "layer") -> Layer:
    """Validate one layer dictionary (docs/design.md §5) against its input dimension."""
    if not isinstance(spec, Mapping):
        raise InputError(f"expected an object, got {type(spec).__name__}", where=where)
    unknown = sorted(set(spec) - _LAYER_KEYS)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_LAYER_KEYS))})",
                         where=where)
    for key in ("weight", "bias"):
        if key not in spec:
            raise InputError(f"missing {key!r}", where=where)
    if spec.get("activation") is None:
        raise InputError("missing 'activation' (relu, identity, leaky_relu or maxout)",
                         where=where)
    act = Activation.parse(spec["activation"], where=f"{where}.activation")
    W = spec["weight"]
    if not isinstance(W, (list, tuple)) or not W:
        raise InputError("expected a non-empty list of rows", where=f"{where}.weight")
    rows = []
    for i, row in enumerate(W):
        if not isinstance(row, (list, tuple)):
            raise InputError(f"expected a row (list), got {row!r}", where=f"{where}.weight[{i}]")
        if len(row) != in_dim:
            raise InputError(f"row has {len(row)} entries, expected {in_dim} (the layer's input "
                             "dimension)", where=f"{where}.weight[{i}]")
        rows.append(tuple(_num(v, f"{where}.weight[{i}][{j}]") for j, v in enumerate(row)))
    b = spec["bias"]
    if not isinstance(b, (list, tuple)):
        raise InputError(f"expected a list, got {b!r}", where=f"{where}.bias")
    if len(b) != len(rows):
        raise InputError(f"has {len(b)} entries, expected {len(rows)} (rows of weight)",
                         where=f"{where}.bias")
    bias = tuple(_num(v, f"{where}.bias[{i}]") for i, v in enumerate(b))
    threshold, slope = Q(0), None
    if act is Activation.RELU:
        if "threshold" in spec:
            threshold = _num(spec["threshold"], f"{where}.threshold")
    elif "threshold" in spec:
        raise InputError(f"'threshold' is only allowed with relu, not {act}", where=where)
    if act is Activation.LEAKY_RELU:
        if "negative_slope" not in spec:
            raise InputError("leaky_relu needs 'negative_slope' (0 < a < 1)", where=where)
        slope = _num(spec["negative_slope"], f"{where}.negative_slope")
        if not 0 < slope < 1:
            raise InputError(f"must satisfy 0 < a < 1, got {fmt(slope)}",
                             where=f"{where}.negative_slope")
    elif "negative_slope" in spec:
        raise InputError(f"'negative_slope' is only allowed with leaky_relu, not {act}", where=where)
    return Layer(tuple(rows), bias, act, threshold, slope, _pieces(spec, act, len(rows), where))


def _pieces(spec: Mapping, act: Activation, rows: int, where: str) -> int:
    """The ``pieces`` k of a maxout layer: an integer ≥ 1 dividing the number of rows."""
    if act is not Activation.MAXOUT:
        if "pieces" in spec:
            raise InputError(f"'pieces' is only allowed with maxout, not {act}", where=where)
        return 1
    if "pieces" not in spec:
        raise InputError("maxout needs 'pieces' (the rows per unit)", where=where)
    k = spec["pieces"]
    if type(k) is not int or k < 1:
        raise InputError(f"must be a positive integer, got {k!r}", where=f"{where}.pieces")
    if rows % k:
        raise InputError(f"{rows} rows of weight are not a multiple of pieces = {k}",
                         where=f"{where}.weight")
    if k > MAX_PIECES:
        raise InputError(f"{k} pieces; at most {MAX_PIECES} are supported (a unit's argmax is "
                         "one letter of the sign vector)", where=f"{where}.pieces")
    return k


def network(input_dim: Any, layers: Iterable[Mapping | Layer]) -> Network:
    """Build and validate a :class:`Network` from layer dictionaries or :class:`Layer` s."""
    if type(input_dim) is not int or input_dim < 1:
        shown = f"{fmt(input_dim)} (a decimal number)" if is_rational(input_dim) else \
            repr(input_dim)
        raise InputError(f"must be a positive integer, got {shown}", where="input_dim")
    if not isinstance(layers, (list, tuple)) or not layers:
        raise InputError("expected a non-empty list of layers", where="layers")
    out = []
    dim = input_dim
    for k, spec in enumerate(layers):
        if isinstance(spec, Layer):
            if spec.in_dim != dim:
                raise InputError(f"takes {spec.in_dim} inputs, expected {dim}", where=f"layers[{k}]")
            lay = spec
        else:
            lay = layer(spec, dim, where=f"layers[{k}]")
        out.append(lay)
        dim = lay.out_dim
    return Network(input_dim, tuple(out))


def integer_network(net: Network) -> tuple[Network, Any]:
    """Rescale a rational network to one with integer weights, biases and thresholds.

    Layer l is multiplied by D_l, the least common multiple of the
    denominators of its weights and of P_{l−1}·b_l and P_{l−1}·t_l, where
    P_l = D_1⋯D_l.  Because max is positively homogeneous, the new layer-l
    output is P_l times the old one, so ν' = P_L · ν.  Leaky-ReLU slopes are not
    weights and stay as they are.

    Returns
    -------
    (net', scale) with ν(x) = ν'(x) / scale exactly.

    Examples
    --------
    >>> net = network(1, [{"weight": [["1/2"]], "bias": ["1/3"], "activation": "relu"},
    ...                   {"weight": [["3/4"]], "bias": [0], "activation": "identity"}])
    >>> inet, s = integer_network(net)
    >>> [l.weight for l in inet.layers], [l.bias for l in inet.layers], s
    ([((mpq(3,1),),), ((mpq(3,1),),)], [(mpq(2,1),), (mpq(0,1),)], mpq(24,1))
    >>> net([5]) == tuple(v / s for v in inet([5]))
    True
    """
    P = 1
    layers = []
    for l in net.layers:
        relu = l.activation is Activation.RELU
        D = common_denominator([w for row in l.weight for w in row]
                               + [P * b for b in l.bias] + ([P * l.threshold] if relu else []))
        P *= D
        layers.append(Layer(
            tuple(tuple(D * w for w in row) for row in l.weight),
            tuple(P * b for b in l.bias),
            l.activation,
            P * l.threshold if relu else Q(0),
            l.negative_slope,
            l.pieces,
        ))
    return Network(net.input_dim, tuple(layers)), Q(P)
