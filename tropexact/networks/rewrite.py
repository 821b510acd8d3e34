"""Maxout units rewritten as ReLU layers: the same function, a plain ReLU network.

The maximum of two numbers is max(a, b) = relu(a − b) + b, and a value b
passes a ReLU layer as relu(b) − relu(−b).  So one level of pairwise maxima
of a unit's pieces costs one ReLU layer of three neurons per pair,
relu(a − b), relu(b), relu(−b), and two per unpaired piece; ⌈log₂ k⌉ levels
reduce k pieces to one value, whose linear combination of the last level's
outputs is composed into the next layer (or an identity layer when the
maxout layer was the last).  Every weight is a sum of products of the
original weights with 0 and ±1: integer networks stay integer.

The rewritten network computes the same function, so it has the same linear
regions and the same distinct affine maps (docs/design.md §2, notions 2 and
3); its activation regions are finer (the pairwise comparisons and the
carried values' signs split them).  That is the second method against which
the maxout enumeration (:mod:`tropexact.regions.units`) is checked.

Examples
--------
>>> from tropexact.networks.model import network
>>> net = network(1, [{"weight": [[1], [-1], [0]], "bias": [0, 0, 1],
...                    "activation": "maxout", "pieces": 3}])
>>> relu = maxout_as_relu(net)
>>> relu.widths, [l.activation.value for l in relu.layers]
((1, 5, 3, 1), ['relu', 'relu', 'identity'])
>>> all(relu([x]) == net([x]) for x in (-3, "-1/2", 0, "1/3", 2))
True
"""

from __future__ import annotations

from typing import Sequence

from tropexact.exact.numbers import Q

from .activation import Activation
from .model import Layer, Network

__all__ = ["maxout_as_relu"]

_ZERO, _ONE = Q(0), Q(1)


def _level(forms: list) -> tuple[Layer, list]:
    """One ReLU layer of pairwise maxima: *forms* lists, per unit, its values as affine
    forms (row over the layer's input, bias); returns the layer and, per unit, the
    halved list of values as forms over the layer's outputs."""
    rows: list = []
    bias: list = []
    out = []
    for values in forms:
        new = []
        for p in range(0, len(values), 2):
            n = len(rows)
            if p + 1 < len(values):
                (ra, ba), (rb, bb) = values[p], values[p + 1]
                rows += [tuple(x - y for x, y in zip(ra, rb)), rb, tuple(-y for y in rb)]
                bias += [ba - bb, bb, -bb]
                coef = {n: _ONE, n + 1: _ONE, n + 2: -_ONE}
            else:
                (rc, bc) = values[p]
                rows += [rc, tuple(-y for y in rc)]
                bias += [bc, -bc]
                coef = {n: _ONE, n + 1: -_ONE}
            new.append(coef)
        out.append(new)
    size = len(rows)
    dense = [[(tuple(c.get(i, _ZERO) for i in range(size)), _ZERO) for c in unit]
             for unit in out]
    return Layer(tuple(rows), tuple(bias), Activation.RELU), dense


def _compose(layer: Layer, forms: Sequence) -> Layer:
    """*layer* applied to values given as affine forms (row, bias) over some input."""
    n = len(forms[0][0]) if forms else 0
    rows, bias = [], []
    for w, b in zip(layer.weight, layer.bias):
        rows.append(tuple(sum((wj * f[0][i] for wj, f in zip(w, forms) if wj), _ZERO)
                          for i in range(n)))
        bias.append(b + sum((wj * f[1] for wj, f in zip(w, forms) if wj), _ZERO))
    return Layer(tuple(rows), tuple(bias), layer.activation, layer.threshold,
                 layer.negative_slope, layer.pieces)


def _expand(layer: Layer) -> tuple[list, list]:
    """(ReLU layers, the unit values as forms over the last one's outputs) of a maxout
    layer; with one piece per unit there is no ReLU layer and the forms are the rows."""
    forms = [[(layer.weight[r], layer.bias[r]) for r in range(i, j)] for i, j in layer.units()]
    layers = []
    while any(len(v) > 1 for v in forms):
        new, forms = _level(forms)
        layers.append(new)
    return layers, [unit[0] for unit in forms]


def maxout_as_relu(net: Network) -> Network:
    """The plain ReLU network computing the same function as *net* (module docstring).

    Layers without maxout are kept as they are (a following layer absorbs the
    last level's linear combination); a network without maxout is returned
    unchanged.
    """
    out: list[Layer] = []
    pending: list | None = None  # forms the next layer must be composed with
    for layer in net.layers:
        if pending is not None:
            layer = _compose(layer, pending)
            pending = None
        if layer.activation is not Activation.MAXOUT:
            out.append(layer)
            continue
        relus, pending = _expand(layer)
        if not relus:  # one piece per unit: an affine layer
            out.append(Layer(layer.weight, layer.bias, Activation.IDENTITY))
            pending = None
            continue
        out += relus
    if pending is not None:
        n = len(pending)
        out.append(_compose(Layer(tuple(tuple(_ONE if i == j else _ZERO for j in range(n))
                                         for i in range(n)), (_ZERO,) * n,
                                   Activation.IDENTITY), pending))
    return Network(net.input_dim, tuple(out))
