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
from .graph import Graph, Node
from .model import Layer, Network

__all__ = ["maxout_as_relu", "graph_as_relu"]

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


def _last_use(g: Graph) -> dict:
    """For every value (the input and each node), the index of the last node reading it
    (len(nodes) for the output)."""
    last = {"input": -1}
    for k, n in enumerate(g.nodes):
        last.setdefault(n.name, k)
        for i in n.inputs:
            last[i] = k
    last[g.output] = len(g.nodes)
    return last


class _Levels:
    """The ReLU layers emitted so far and every live value's entries as affine forms
    (row over the last layer's outputs, bias)."""

    def __init__(self, d: int) -> None:
        self.layers: list[Layer] = []
        self.width = d
        self.forms: dict[str, list] = {
            "input": [(tuple(_ONE if i == j else _ZERO for j in range(d)), _ZERO)
                      for i in range(d)]}

    def emit(self, units: list, keep: list) -> list:
        """One ReLU layer: *units* lists, per new value, its neurons as (form, coefficient)
        pairs; the values named in *keep* are carried (relu(v) − relu(−v)).  Returns the
        new values' forms over the layer's outputs."""
        rows, bias, out = [], [], []
        for neurons in units:
            coef = {}
            for (row, b), c in neurons:
                coef[len(rows)] = c
                rows.append(row)
                bias.append(b)
            out.append(coef)
        carried = {}
        for name in keep:
            cs = []
            for row, b in self.forms[name]:
                cs.append({len(rows): _ONE, len(rows) + 1: -_ONE})
                rows += [row, tuple(-x for x in row)]
                bias += [b, -b]
            carried[name] = cs
        n = len(rows)
        self.layers.append(Layer(tuple(rows), tuple(bias), Activation.RELU))
        self.width = n
        dense = [(tuple(c.get(i, _ZERO) for i in range(n)), _ZERO) for c in out]
        self.forms = {name: [(tuple(c.get(i, _ZERO) for i in range(n)), _ZERO) for c in cs]
                      for name, cs in carried.items()}
        return dense


def _lin(forms: Sequence, coefs: Sequence, const: object = _ZERO) -> tuple:
    """Σ c·form + const over forms of one width."""
    n = len(forms[0][0])
    return (tuple(sum((c * f[0][i] for f, c in zip(forms, coefs) if c), _ZERO) for i in range(n)),
            sum((c * f[1] for f, c in zip(forms, coefs) if c), _ZERO) + const)


def _linear_forms(node: Node, forms: dict) -> list:
    ins = [forms[i] for i in node.inputs]
    if node.op == "affine":
        u = ins[0]
        return [_lin([u[j] for j, _ in row] or [u[0]], [w for _, w in row] or [_ZERO], b)
                for row, b in zip(node.rows, node.bias)]
    if node.op == "identity":
        return list(ins[0])
    if node.op == "add":
        return [_lin(list(fs), [_ONE] * len(fs)) for fs in zip(*ins)]
    return [f for u in ins for f in u]  # concat


def _neg(f: tuple) -> tuple:
    return (tuple(-x for x in f[0]), -f[1])


def _sub(f: tuple, g: tuple) -> tuple:
    return (tuple(x - y for x, y in zip(f[0], g[0])), f[1] - g[1])


def _max_level(groups: list) -> tuple[list, list]:
    """One level of pairwise maxima: per group of forms, the neurons of each new value."""
    units, sizes = [], []
    for forms in groups:
        new = []
        for p in range(0, len(forms), 2):
            if p + 1 < len(forms):
                a, b = forms[p], forms[p + 1]
                new.append([(_sub(a, b), _ONE), (b, _ONE), (_neg(b), -_ONE)])
            else:
                new.append([(forms[p], _ONE), (_neg(forms[p]), -_ONE)])
        units += new
        sizes.append(len(new))
    return units, sizes


def graph_as_relu(g: Graph) -> Network:
    """A plain ReLU network computing the same function as the graph *g*.

    Linear nodes compose affine forms; each relu, leaky relu or max node emits
    ReLU layers (max(z, t) = relu(z − t) + t; max(z, az) = relu(z) − a·relu(−z);
    pairwise maxima in ⌈log₂ k⌉ layers), and every value a later node still reads is
    carried through them as relu(v) − relu(−v) (skip connections).  The result has
    the graph's linear regions and affine maps; its activation regions are finer.
    """
    L = _Levels(g.input_dim)
    last = _last_use(g)
    for k, node in enumerate(g.nodes):
        if node.op in ("affine", "identity", "add", "concat"):
            L.forms[node.name] = _linear_forms(node, L.forms)
            continue
        keep = [n for n in L.forms if last.get(n, -1) > k]
        ins = [L.forms[i] for i in node.inputs]
        if node.op == "relu":
            t = node.param
            units = [[(_lin([f], [_ONE], -t), _ONE)] for f in ins[0]]
            new = L.emit(units, keep)
            L.forms[node.name] = [(row, t) for row, _ in new]
        elif node.op == "leaky_relu":
            units = [[(f, _ONE), (_neg(f), -node.param)] for f in ins[0]]
            L.forms[node.name] = L.emit(units, keep)
        else:
            groups = ([[ins[0][i] for i in grp] for grp in node.groups] if node.groups
                      else [list(fs) for fs in zip(*ins)])
            while any(len(grp) > 1 for grp in groups):
                units, sizes = _max_level(groups)
                new = L.emit(units, keep)
                groups, p = [], 0
                for s in sizes:
                    groups.append(new[p:p + s])
                    p += s
            L.forms[node.name] = [grp[0] for grp in groups]
    out = L.forms[g.output]
    last_layer = Layer(tuple(r for r, _ in out), tuple(b for _, b in out), Activation.IDENTITY)
    return Network(g.input_dim, tuple(L.layers) + (last_layer,))
