"""Tropical rational maps → ReLU networks computing them exactly (the converse of Thm 5.4).

Zhang, Naitzat and Lim (ICML 2018, Thm 5.4) prove that ReLU networks compute
exactly the tropical rational maps; the converse direction is a construction.
A tropical polynomial f = max_i (c_i + ⟨α_i, x⟩) with r monomials is a maximum
of r affine functions, and

    max(a, b) = b + relu(a − b)

takes the maximum of a pair in one ReLU layer, so ⌈log₂ r⌉ layers of pairwise
maxima compute f (an unpaired element is carried to the next level).  Every
component F_k ⊘ G_k of the map gets two such trees, run side by side, and the
identity output layer subtracts G_k's branch from F_k's.  Theorem 5.4 bounds the
depth: f ⊘ g is a network with

    L ≤ max(⌈log₂ r_f⌉, ⌈log₂ r_g⌉) + 2

layers; this construction folds the monomials' affine layer into the first
hidden layer and has max(⌈log₂ r_f⌉, ⌈log₂ r_g⌉) + 1 layers (hidden layers plus
the output layer), with r counted after reduction (which never increases it).

Design, beyond the paper:

* **Reduction first.** Each polynomial is replaced by its reduced form (only the
  upper vertices of the lifted Newton polytope: the same function, fewer
  monomials); a component with F = G is the zero function and needs no neuron.
* **Carrying.**  ReLU passes only nonnegative values, so a value carried through a
  layer costs neurons.  Mode ``"inputs"`` carries the input coordinates x_j
  (relu(x_j), relu(−x_j)) through every layer, so the affine parts of all values
  ride along for free and a pair costs 2 neurons after the first layer (1 in it);
  mode ``"values"`` carries each value's positive and negative parts (3 neurons a
  pair).  ``carry="auto"`` builds both and keeps the one with fewer neurons.
* **Sharing.** The monomials common to several polynomials (F and G of one output,
  several outputs) are paired first and in the same order, and a neuron with the
  same pre-activation is made once: equal sub-maxima of different trees are
  computed once (for F = G everything is shared).
* **Depth.** ``method="shallow"`` mixes binary nodes (one layer) with 5-ary nodes
  computing the maximum of five numbers in *two* hidden layers
  (:mod:`tropexact.networks._max5`, rational weights; Bakaev, Brunck, Hertrich,
  Stade and Yehudayoff 2025), using the fewest 5-ary nodes that reach the least
  depth.  With integer weights ⌈log₂ n⌉ hidden layers are necessary for the
  maximum of n numbers (Haase, Hertrich and Loho, ICLR 2023), so the paper's
  depth is optimal for integer weights and only fractional weights can go lower.

Rational exponents and coefficients are used as they are: the first layer's
weights are differences of exponents, the biases differences of coefficients,
every other weight is ±1 (or a weight of the 5-ary gadget).  So the network has
integer weights whenever the map does (and ``method="paper"``); the paper instead
scales a rational map to an integral one, which
:func:`tropexact.networks.model.integer_network` does for a network (it computes
D·ν for an integer D).

Examples
--------
>>> from tropexact.tropical.polynomial import TropicalPolynomial as P
>>> f = P([((0,), 0), ((1,), 1), ((2,), -1)], 1)     # max(0, 1 + x, 2x − 1)
>>> g = P([((0,), 0), ((1,), 0)], 1)                 # max(0, x)
>>> s = synthesize(f / g)
>>> s.network.widths, s.hidden_layers, s.depth, s.depth_bound
((1, 3, 3, 1), 2, 3, 4)
>>> all(s.network([x])[0] == f([x]) - g([x]) for x in (-2, "1/2", 3))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator, Sequence

from tropexact.errors import InputError
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap

from ._builder import Builder, Value
from . import _max5
from .model import Network

__all__ = ["Synthesis", "synthesize", "hidden_layers", "paper_depth_bound", "METHODS", "CARRY"]

#: the constructions :func:`synthesize` offers
METHODS = ("paper", "shallow")
#: how values are carried through a layer (see the module docstring)
CARRY = ("auto", "inputs", "values")


@dataclass(frozen=True)
class Synthesis:
    """A network computing a tropical rational map, and how it was built.

    Attributes
    ----------
    network : Network
        ReLU hidden layers, identity output layer; ν_k(x) = F_k(x) − G_k(x).
    map : TropicalRationalMap
        The map as given (its polynomials are those read, duplicates merged).
    method : str
        ``"paper"`` (binary maxima, Thm 5.4) or ``"shallow"`` (5-ary nodes too).
    carry : str
        ``"inputs"`` or ``"values"``: how values cross a layer.
    depth_bound : int
        Thm 5.4's bound max_k max(⌈log₂ r_{F_k}⌉, ⌈log₂ r_{G_k}⌉) + 2 on the number of
        layers, with r the monomials of the given polynomials.
    monomials : dict
        ``given``: terms of all F_k and G_k as given; ``reduced``: after reduction;
        ``distinct``: distinct affine functions among the reduced terms (each is
        computed once).
    """

    network: Network
    map: TropicalRationalMap
    method: str
    carry: str
    depth_bound: int
    monomials: dict = field(default_factory=dict)

    @property
    def hidden_layers(self) -> int:
        return len(self.network.layers) - 1

    @property
    def depth(self) -> int:
        """Layers (affine maps), the output layer included: the L of Thm 5.4."""
        return len(self.network.layers)

    @property
    def widths(self) -> tuple:
        return self.network.widths

    @property
    def neurons(self) -> int:
        """Hidden neurons in all."""
        return sum(self.network.widths[1:-1])

    @property
    def integral(self) -> bool:
        """Whether every weight and bias is an integer."""
        return all(v.denominator == 1 for l in self.network.layers
                   for v in (*(w for row in l.weight for w in row), *l.bias))

    def to_dict(self) -> dict:
        """The summary printed by ``tropexact synthesize --json``."""
        return {"method": self.method, "carry": self.carry, "input_dim": self.network.input_dim,
                "outputs": self.network.output_dim, "layers": self.depth,
                "hidden_layers": self.hidden_layers, "widths": list(self.widths),
                "neurons": self.neurons, "depth_bound": self.depth_bound,
                "integral": self.integral, "monomials": dict(self.monomials)}


def paper_depth_bound(tmap: TropicalRationalMap) -> int:
    """Thm 5.4's bound on the layers: max_k max(⌈log₂ r_{F_k}⌉, ⌈log₂ r_{G_k}⌉) + 2.

    >>> from tropexact.tropical.polynomial import variables
    >>> x, y = variables(2)
    >>> paper_depth_bound(TropicalRationalMap([(x + y + 0) / (x + 1)]))  # r = 3 and 2
    4
    """
    return max(_log2(len(p)) for f in tmap for p in (f.numerator, f.denominator)) + 2


def _log2(n: int) -> int:
    """⌈log₂ n⌉ for n ≥ 1."""
    return (n - 1).bit_length()


@lru_cache(maxsize=None)
def _least_depth(n: int) -> int:
    """The fewest hidden layers for the maximum of n numbers by binary (one layer) and
    5-ary (two layers) nodes: h(1) = 0, h(n) = min(1 + h(⌈n/2⌉), 2 + h(⌈n/5⌉))."""
    if n <= 1:
        return 0
    return min(1 + _least_depth(-(-n // 2)), 2 + _least_depth(-(-n // 5)))


def hidden_layers(n: int, method: str = "paper") -> int:
    """Hidden layers of the maximum of n numbers: ⌈log₂ n⌉ (``"paper"``), or the least
    depth of a tree of binary and 5-ary nodes (``"shallow"``).

    >>> [hidden_layers(n) for n in (1, 2, 5, 10, 25)], [hidden_layers(n, "shallow") for n in (1, 2, 5, 10, 25)]
    ([0, 1, 3, 4, 5], [0, 1, 2, 3, 4])
    """
    return _log2(n) if method == "paper" else _least_depth(n)


def _plan(n: int, depth: int, method: str) -> tuple:
    """Stages (2: a binary level, one layer; 5: a 5-ary level, two layers) reducing n
    values to one in at most *depth* layers, with the fewest 5-ary levels (the binary
    ones have integer weights and are narrower); 5-ary levels come first."""
    if method == "paper" or _log2(n) <= depth:
        return (2,) * _log2(n)
    best: tuple | None = None
    for fives in range(1, depth // 2 + 1):
        m, stages = n, []
        for _ in range(fives):
            m, stages = -(-m // 5), stages + [5]
        stages += [2] * _log2(m)
        if 2 * fives + _log2(m) <= depth:
            best = tuple(stages)
            break
    assert best is not None, (n, depth)
    return best


def _order(polys: Sequence[TropicalPolynomial]) -> dict:
    """Sort key of each term: the terms shared by most polynomials first, then by term,
    so that equal sub-maxima of different polynomials are paired alike."""
    count: dict = {}
    for p in set(polys):
        for t in p.terms:
            count[t] = count.get(t, 0) + 1
    return {t: (-c, t) for t, c in count.items()}


def _tree(b: Builder, values: list, stages: tuple, pad: int) -> Iterator[None]:
    """A generator: one ``yield`` per hidden layer, *pad* carrying layers first, then the
    stages; leaves the result in ``values[0]``."""
    for _ in range(pad):
        values[:] = [b.carry(v) for v in values]
        yield
    for stage in stages:
        if stage == 2:
            nxt = [b.max2(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
            values[:] = nxt + ([b.carry(values[-1])] if len(values) % 2 else [])
            yield
        else:
            groups = [values[i:i + 5] for i in range(0, len(values), 5)]
            states = [_group_first(b, g) for g in groups]
            yield
            values[:] = [_group_second(b, s) for s in states]
            yield


def _group_first(b: Builder, g: list) -> tuple:
    """First layer of a 5-ary node: the gadget's neurons, or a binary level for < 5."""
    if len(g) == 5:
        return ("max5", _max5.first_layer(b, g))
    if len(g) == 1:
        return ("one", [b.carry(g[0])])
    pairs = [b.max2(g[i], g[i + 1]) for i in range(0, len(g) - 1, 2)]
    return ("pairs", pairs + ([b.carry(g[-1])] if len(g) % 2 else []))


def _group_second(b: Builder, state: tuple) -> Value:
    kind, vs = state
    if kind == "max5":
        return _max5.second_layer(b, vs)
    if len(vs) == 1:
        return b.carry(vs[0])
    return b.max2(vs[0], vs[1])


def _build(tmap: TropicalRationalMap, reduced: list, method: str, carry: str,
           depth: int) -> Network:
    d = tmap.nvars
    polys = [p for pair in reduced if pair[0] != pair[1] for p in pair]
    key = _order(polys)
    used = tuple(j for j in range(d) if any(e[j] for p in polys for e, _ in p.terms))
    b = Builder(d, used if carry == "inputs" else ())
    trees: dict[TropicalPolynomial, tuple[list, Iterator[None]]] = {}
    for p in sorted(set(polys), key=lambda p: p.terms):
        terms = sorted(p.terms, key=key.__getitem__)
        values = [Value.affine(e, c) for e, c in terms]
        stages = _plan(len(values), depth, method)
        need = sum(1 if s == 2 else 2 for s in stages)
        pad = depth - need
        gen = _tree(b, values, stages, pad if carry == "inputs" else 0)
        trees[p] = (values, _with_tail(gen, b, values, pad if carry != "inputs" else 0))
    for _ in range(depth):
        b.begin()
        for _values, gen in trees.values():
            next(gen)
        b.end()
    zero = Value((0,) * d)
    outs = [zero if F == G else trees[F][0][0] - trees[G][0][0] for F, G in reduced]
    return Network(d, tuple(b.layers) + (b.output(outs),))


def _with_tail(gen: Iterator[None], b: Builder, values: list, tail: int) -> Iterator[None]:
    """*gen*, then *tail* layers carrying its result."""
    yield from gen
    for _ in range(tail):
        values[:] = [b.carry(values[0])]
        yield


def synthesize(tmap: TropicalRationalMap | TropicalRationalFunction, *, method: str = "paper",
               carry: str = "auto", reduce: bool = True) -> Synthesis:
    """A ReLU network computing the tropical rational map *tmap* exactly.

    Parameters
    ----------
    tmap : TropicalRationalMap or TropicalRationalFunction
        ν = (F_1 ⊘ G_1, …, F_p ⊘ G_p); a single function is a map with one output.
    method : {"paper", "shallow"}
        ``"paper"``: binary maxima, ⌈log₂ r⌉ hidden layers for r monomials (integer
        weights for an integral map); ``"shallow"``: also 5-ary nodes of two hidden
        layers (rational weights), the least depth such trees reach.
    carry : {"auto", "inputs", "values"}
        How values cross a layer (module docstring); ``"auto"`` keeps the narrower.
    reduce : bool
        Reduce every polynomial first (default; the same function, fewer monomials).

    Returns
    -------
    Synthesis
        The network (ReLU hidden layers, identity output layer) and its figures.
    """
    if isinstance(tmap, TropicalRationalFunction):
        tmap = TropicalRationalMap([tmap])
    if not isinstance(tmap, TropicalRationalMap):
        raise InputError(f"expected a tropical rational map, got {type(tmap).__name__}",
                         param="tmap")
    if method not in METHODS:
        raise InputError(f"unknown method {method!r} (choose from {', '.join(METHODS)})",
                         param="method")
    if carry not in CARRY:
        raise InputError(f"unknown carry {carry!r} (choose from {', '.join(CARRY)})",
                         param="carry")
    polish: Callable = (lambda p: p.reduced()) if reduce else (lambda p: p)
    reduced = [(polish(f.numerator), polish(f.denominator)) for f in tmap]
    live = [p for F, G in reduced if F != G for p in (F, G)]
    depth = max((hidden_layers(len(p), method) for p in live), default=0)
    modes = ("inputs", "values") if carry == "auto" else (carry,)
    nets = {m: _build(tmap, reduced, method, m, depth) for m in modes}
    mode = min(modes, key=lambda m: (sum(nets[m].widths[1:-1]), max(nets[m].widths)))
    given = [p for f in tmap for p in (f.numerator, f.denominator)]
    monomials = {"given": sum(len(p) for p in given),
                 "reduced": sum(len(p) for pair in reduced for p in pair),
                 "distinct": len({t for p in live for t in p.terms})}
    return Synthesis(nets[mode], tmap, method, mode, paper_depth_bound(tmap), monomials)
