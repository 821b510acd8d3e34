"""Activation regions, linear regions and affine maps of a network, exactly.

The activation regions of ν (DESIGN §2.1) are built layer by layer.  Before
layer l the domain is covered by the cells of layer l−1, and on each cell the
output of layer l−1 is one affine map, so every neuron's pre-activation z is
affine there.  Each neuron whose z is not constant on a cell splits the cell
by the hyperplane z = t (t the activation's breakpoint); a neuron constant on
the cell does not split it and gets the sign of z − t there ('0' when z ≡ t).

**Why this is complete.**  A point of the domain lies in the closure of some
cell at every stage (splitting a cell by a hyperplane covers it by the two
closed halves), and the open cells are exactly the maximal open sets on which
all sign vectors so far are constant, because every neuron of every layer was
tested against every cell of its layer, and a cell is split exactly when the
neuron takes both signs on its interior (:func:`tropexact.arrangement.side`
decides this from the cell's exact generators: no LP, no tolerance).  So the
final cells are the activation regions, each once.

**Why it is output-sensitive.**  No sign pattern is ever guessed: each split
creates one new region, so there are (#regions − #initial cells) splits, and
each neuron is tested once per cell of its layer.  A cell is first tested
through its parent (the cell of the previous layer): a neuron that misses the
parent costs one test for all of the parent's descendants.

**Exactness.**  The network is first scaled to integers
(:func:`tropexact.network.integer_network`; activation regions are unchanged by
positive scaling), affine maps are kept as integer matrices over a common
denominator, hyperplanes are primitive integer vectors and cell generators are
homogeneous integer vectors (:mod:`tropexact.arrangement`).  Over all of Q^d
the first nonlinear layer seeds the complex with the 2^r simplicial cones of r
independent hyperplanes (r its rank) times the lineality space, which every
later hyperplane contains; a box or polytope domain seeds it with one cell.

Examples
--------
Example C.2 of Zhang, Naitzat and Lim (2018): 23 activation regions, 15 linear
regions (their Appendix C.2 counts):

>>> from tropexact.io import load_network
>>> C = activation_regions(load_network("data/networks/zhang2018_example_c2.json"))
>>> len(C.regions), len(linear_regions(C)), affine_map_count(C)
(23, 15, 15)
"""

from __future__ import annotations

import math
import time
from operator import mul
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import networkx as nx

from .arrangement import Cell, Facet, _homogeneous, _primitive, cell_from_generators, \
    interior_point, side, split
from .domain import Domain
from .errors import BudgetExceeded, InputError
from .network import Network, integer_network
from .numbers import Q

__all__ = ["Region", "RegionComplex", "activation_regions", "linear_regions",
           "equal_map_components", "affine_map_count", "sign_vector_at"]


@dataclass(frozen=True)
class Region:
    """One activation region.

    Attributes
    ----------
    signs : str
        One of ``+ - 0`` per neuron of each nonlinear layer (see ``RegionComplex.neurons``).
    point : tuple of mpq
        A rational point strictly inside the region.
    inequalities : tuple of (b, a)
        Irredundant H-representation of the closure: b + ⟨a, x⟩ ≥ 0, as primitive
        integer vectors (Python ints: exact, and cheap to store).
    facet_labels : tuple
        For each inequality, ``("neuron", k)`` (position in ``neurons``) or
        ``("domain", i)``.
    weight, bias : tuple
        The affine map of ν on the region: ν(x) = weight·x + bias.
    bounded : bool
        Whether the region is bounded.
    """

    signs: str
    point: tuple
    inequalities: tuple
    facet_labels: tuple
    weight: tuple
    bias: tuple
    bounded: bool

    @property
    def affine_map(self) -> tuple:
        return (self.weight, self.bias)


@dataclass(frozen=True)
class RegionComplex:
    """The activation regions of a network with their adjacency graph.

    ``graph`` has one node per region index; an edge joins two regions whose
    closures share a (d−1)-dimensional face.  ``lines`` span the lineality
    space common to all regions (empty unless the first layer has rank < d).
    """

    network: Network
    domain: Domain | None
    neurons: tuple
    regions: tuple
    graph: nx.Graph
    lines: tuple

    def __len__(self) -> int:
        return len(self.regions)


# -- affine maps as integer matrices over a common denominator ----------------

class _Map:
    """y = (rows·x + off) / den with integer rows (None for a zero row)."""

    __slots__ = ("rows", "off", "den")

    def __init__(self, rows: list, off: list, den: int) -> None:
        self.rows = rows
        self.off = off
        self.den = den


def _pre_activation(W: list, bias: list, m: _Map, d: int) -> tuple[list, list]:
    """Integer rows a_k and offsets c_k with z_k = (a_k·x + c_k) / den.

    a_k = Σ_j W[k][j]·rows[j] (a zero row for an inactive input j) and
    c_k = den·b_k + Σ_j W[k][j]·off[j], computed column by column with
    ``sum(map(mul, ...))``: C-level loops over (big) integers.
    """
    cols = [[0 if r is None else r[i] for r in m.rows] for i in range(d)]
    off, den = m.off, m.den
    A, C = [], []
    for wk, bk in zip(W, bias):
        A.append([sum(map(mul, wk, col)) for col in cols])
        C.append(den * bk + sum(map(mul, wk, off)))
    return A, C


def _layer_output(layer: Any, A: list, C: list, den: int, signs: list, base: int) -> _Map:
    act = layer.activation
    if act == "identity":
        return _Map([a if any(a) else None for a in A], C, den)
    if act == "relu":
        t = int(layer.threshold)
        rows, off = [], []
        for k, (a, c) in enumerate(zip(A, C)):
            if signs[base + k] == "+":
                rows.append(a if any(a) else None)
                off.append(c)
            else:
                rows.append(None)
                off.append(den * t)
        return _Map(rows, off, den)
    s = Q(layer.negative_slope)
    p, q = int(s.numerator), int(s.denominator)
    rows, off = [], []
    for k, (a, c) in enumerate(zip(A, C)):
        sg = signs[base + k]
        f = q if sg == "+" else p if sg == "-" else 0
        rows.append([f * x for x in a] if f and any(a) else None)
        off.append(f * c)
    return _Map(rows, off, den * q)


def _hyperplanes(layer: Any, A: list, C: list, den: int) -> list:
    """Per neuron: the primitive integer hyperplane (b, a) of z − t, or a sign if constant."""
    t = int(layer.threshold) if layer.activation == "relu" else 0
    out: list[tuple | str] = []
    for a, c in zip(A, C):
        b = c - den * t
        if any(a):
            out.append(_primitive([b, *a]))
        else:
            out.append("+" if b > 0 else "-" if b < 0 else "0")
    return out


# -- seeding ------------------------------------------------------------------

def _rref(rows: list, ncols: int) -> tuple[list, list]:
    """Reduced row echelon form over Q; returns (rows, pivot columns)."""
    M = [[Q(x) for x in r] for r in rows]
    piv = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        piv.append(c)
        r += 1
        if r == len(M):
            break
    return M[:r], piv


def _seed_cones(hyps: list, d: int, base: int, nsigns: int) -> tuple[list, tuple]:
    """The 2^r simplicial cones of r independent hyperplanes, and the lines.

    Returns the cells (signs of the chosen neurons filled in) and a basis of
    the lineality space {x : a_k·x = 0 for every k}.
    """
    chosen: list[int] = []
    for k, h in enumerate(hyps):
        if isinstance(h, str):
            continue
        _, piv = _rref([hyps[j][1:] for j in chosen + [k]], d)
        if len(piv) > len(chosen):
            chosen.append(k)
    r = len(chosen)
    aug = [list(hyps[k][1:]) + [-hyps[k][0]] + [int(i == j) for j in range(r)]
           for i, k in enumerate(chosen)]
    R, piv = _rref(aug, d) if r else ([], [])
    free = [c for c in range(d) if c not in piv]
    v = [Q(0)] * d
    rays = [[Q(0)] * d for _ in range(r)]
    lines = []
    for p, c in enumerate(piv):
        v[c] = R[p][d]
        for i in range(r):
            rays[i][c] = R[p][d + 1 + i]
    for f in free:
        ln = [Q(0)] * d
        ln[f] = Q(1)
        for p, c in enumerate(piv):
            ln[c] = -R[p][f]
        den = 1
        for x in ln:
            den = math.lcm(den, int(x.denominator))
        lines.append(_primitive([int(x * den) for x in ln]))
    vh = _homogeneous(v)
    ray_int = []
    for ray in rays:
        den = 1
        for x in ray:
            den = math.lcm(den, int(x.denominator))
        ray_int.append(_primitive([0] + [int(x * den) for x in ray]))
    all_bits = sum(1 << (i + 1) for i in range(r))
    x0 = (None, (1,) + (0,) * d)
    cones = {}
    for mask in range(1 << r):
        sg = [1 if mask >> i & 1 else -1 for i in range(r)]
        gens = [vh] + [tuple(s * x for x in ray) for s, ray in zip(sg, ray_int)]
        Z = [all_bits] + [1 | (all_bits & ~(1 << (i + 1))) for i in range(r)]
        cons = [x0] + [(base + k, tuple(s * x for x in hyps[k])) for s, k in zip(sg, chosen)]
        cell = Cell(gens, Z, cons)
        signs: list[str | None] = [None] * nsigns
        for s, k in zip(sg, chosen):
            signs[base + k] = "+" if s > 0 else "-"
        cell.data = signs
        cones[mask] = cell
    for i in range(r):
        for mask, cell in cones.items():
            if mask >> i & 1:
                other = cones[mask & ~(1 << i)]
                keep = [0] + [j + 1 for j in range(r) if j != i]
                piece = Facet([cell.gens[j] for j in keep], [cell.Z[j] for j in keep], r + 1,
                              {cell: i + 1, other: i + 1})
                cell.facets.add(piece)
                other.facets.add(piece)
    return list(cones.values()), tuple(lines)


def _domain_cell(domain: Domain, nsigns: int) -> Cell:
    from .polytope import from_inequalities

    P = from_inequalities(domain.inequalities)
    if domain.kind == "box":
        cons = list(domain.inequalities)
        labels = [("domain", i) for i in range(len(cons))]
    else:
        keys: dict[tuple, int] = {}
        for i, (b, a) in enumerate(domain.inequalities):
            keys.setdefault(_key(b, a), i)
        cons = list(P.inequalities)
        labels = [("domain", keys.get(_key(b, a), -1)) for b, a in cons]
    cell = cell_from_generators(P.vertices, P.rays, cons, labels)
    cell.data = [None] * nsigns
    return cell


def _key(b: Any, a: Sequence[Any]) -> tuple:
    row = [Q(b), *(Q(x) for x in a)]
    den = 1
    for x in row:
        den = math.lcm(den, int(x.denominator))
    return _primitive([int(x * den) for x in row])


# -- the enumeration ----------------------------------------------------------

class _Budget:
    def __init__(self, count: int, max_regions: int | None,
                 progress: Callable[[int], None] | None) -> None:
        self.count = count
        self.max = max_regions
        self.progress = progress
        self.last = time.monotonic()

    def add(self) -> None:
        self.count += 1
        if self.max is not None and self.count > self.max:
            raise BudgetExceeded(f"more than {self.max} activation regions (--max-regions); "
                                 "raise the limit or restrict the domain")
        if self.progress is not None and not self.count & 63:
            now = time.monotonic()
            if now - self.last > 0.2:
                self.last = now
                self.progress(self.count)


def _refine(leaves: list, parent: Cell | None, hyps: list, base: int, dim: int,
            budget: _Budget) -> list:
    """Split *leaves* (cells inside *parent*) by the hyperplanes of one layer."""
    for k, h in enumerate(hyps):
        g = base + k
        if isinstance(h, str):
            for c in leaves:
                if c.data[g] is None:
                    c.data[g] = h
            continue
        known = None
        if parent is not None:
            s, vals = side(parent, h)
            if s != "split":
                for c in leaves:
                    c.data[g] = s
                continue
            if leaves[0] is parent:  # parent not split yet: reuse its values
                known = vals
        new = []
        for c in leaves:
            if c.data[g] is not None:  # a seeding hyperplane
                new.append(c)
                continue
            s, vals = ("split", known) if known is not None else side(c, h)
            if s == "split":
                cp, cm = split(c, h, g, vals, dim)
                cp.data = c.data[:]
                cm.data = c.data[:]
                cp.data[g] = "+"
                cm.data[g] = "-"
                new += (cp, cm)
                budget.add()
            else:
                c.data[g] = s
                new.append(c)
        leaves = new
    return leaves


def activation_regions(net: Network, domain: Domain | None = None, *,
                       max_regions: int | None = None,
                       progress: Callable[[int], None] | None = None) -> RegionComplex:
    """Enumerate the activation regions of *net* exactly (module docstring: the method).

    Parameters
    ----------
    net : Network
    domain : Domain, optional
        A box or polytope; default all of Q^d.
    max_regions : int, optional
        Stop with :class:`~tropexact.errors.BudgetExceeded` beyond this many regions.
    progress : callable, optional
        Called now and then with the number of cells so far.

    Returns
    -------
    RegionComplex
        Regions with sign vectors, interior points, irredundant H-representations,
        affine maps, and the adjacency graph.

    Examples
    --------
    Two lines through the origin cut Q² into four regions; ν = relu(x) + relu(y):

    >>> from tropexact.network import network
    >>> net = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
    ...                   {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    >>> C = activation_regions(net)
    >>> sorted(r.signs for r in C.regions), C.graph.number_of_edges()
    (['++', '+-', '-+', '--'], 4)
    """
    inet, scale = integer_network(net)
    d = net.input_dim
    layers = inet.layers
    bases: list[int] = []
    neurons: list[tuple[int, int]] = []
    for l, L in enumerate(layers):
        bases.append(len(neurons))
        if L.activation != "identity":
            neurons += [(l, k) for k in range(L.out_dim)]
    nsigns = len(neurons)
    Ws = [[[int(w) for w in row] for row in L.weight] for L in layers]
    Bs = [[int(b) for b in L.bias] for L in layers]
    m0 = _Map([[int(i == j) for j in range(d)] for i in range(d)], [0] * d, 1)
    lines: tuple = ()
    start = 0
    gmap = m0
    if domain is None:
        # leading identity layers are global affine maps
        while start < len(layers) and layers[start].activation == "identity":
            A, C = _pre_activation(Ws[start], Bs[start], gmap, d)
            gmap = _layer_output(layers[start], A, C, gmap.den, [], 0)
            start += 1
        if start < len(layers):
            A, C = _pre_activation(Ws[start], Bs[start], gmap, d)
            hyps = _hyperplanes(layers[start], A, C, gmap.den)
            cells, lines = _seed_cones(hyps, d, bases[start], nsigns)
        else:
            cells, lines = _seed_cones([], d, 0, 0)
    else:
        if domain.dim != d:
            raise InputError(f"the domain has dimension {domain.dim}, the network has {d} inputs")
        cells = [_domain_cell(domain, nsigns)]
    dim = d - len(lines)
    budget = _Budget(len(cells) - 1, max_regions, progress)
    budget.add()
    maps: dict = {c: gmap for c in cells}
    for l in range(start, len(layers)):
        L = layers[l]
        nxt: dict = {}
        if l == start and domain is None:
            # the seeding layer: all cones share the global pre-activation
            A, C = _pre_activation(Ws[l], Bs[l], gmap, d)
            hyps = _hyperplanes(L, A, C, gmap.den)
            leaves = _refine(cells, None, hyps, bases[l], dim, budget)
            for c in leaves:
                nxt[c] = _layer_output(L, A, C, gmap.den, c.data, bases[l])
            maps = nxt
            continue
        for c, m in maps.items():
            A, C = _pre_activation(Ws[l], Bs[l], m, d)
            if L.activation == "identity":
                nxt[c] = _layer_output(L, A, C, m.den, c.data, bases[l])
                continue
            hyps = _hyperplanes(L, A, C, m.den)
            for leaf in _refine([c], c, hyps, bases[l], dim, budget):
                nxt[leaf] = _layer_output(L, A, C, m.den, leaf.data, bases[l])
        maps = nxt
    return _assemble(net, domain, tuple(neurons), maps, lines, scale, d)


def _assemble(net: Network, domain: Domain | None, neurons: tuple, maps: dict,
              lines: tuple, scale: Any, d: int) -> RegionComplex:
    cells = sorted(maps, key=lambda c: "".join(c.data) if c.data else "")
    index = {c: i for i, c in enumerate(cells)}
    regions = []
    G = nx.Graph()
    for i, c in enumerate(cells):
        m = maps[c]
        den = m.den * scale
        p = len(m.rows)
        weight = tuple(tuple(Q(m.rows[k][j], 1) / den if m.rows[k] is not None else Q(0)
                             for j in range(d)) for k in range(p))
        bias = tuple(Q(m.off[k]) / den for k in range(p))
        bits = sorted({f.sides[c] for f in c.facets})
        ineqs, labels = [], []
        for b in bits:
            lab, h = c.cons[b]
            ineqs.append((h[0], h[1:]))
            labels.append(lab if isinstance(lab, tuple) else ("neuron", lab))
        bounded = not lines and all(g[0] > 0 for g in c.gens)
        regions.append(Region("".join(c.data), interior_point(c), tuple(ineqs), tuple(labels),
                              weight, bias, bounded))
        G.add_node(i)
    for c in cells:
        for f in c.facets:
            for o in f.sides:
                if o is not c:
                    G.add_edge(index[c], index[o])
    return RegionComplex(net, domain, neurons, tuple(regions), G, lines)


def _maps(C: RegionComplex, output: int | None) -> list:
    if output is None:
        return [r.affine_map for r in C.regions]
    return [(r.weight[output], r.bias[output]) for r in C.regions]


def linear_regions(C: RegionComplex, output: int | None = None) -> tuple:
    """The linear regions (DESIGN §2.2): groups of region indices.

    Two activation regions are in one linear region when a path of regions
    with the same affine map joins them, consecutive ones sharing a
    (d−1)-dimensional face.  Groups are sorted by their smallest index.
    With *output* = k, the linear regions of the k-th coordinate of ν.
    """
    return equal_map_components(_maps(C, output), C.graph.edges)


def equal_map_components(maps: Sequence[Any], edges: Iterable[tuple[int, int]]) -> tuple:
    """Connected components of the regions under the *edges* that join equal *maps*.

    ``maps[i]`` is any comparable value for region i (its affine map, or that map
    composed with an output direction); groups are sorted by their smallest index.

    Examples
    --------
    >>> equal_map_components(["a", "a", "b", "a"], [(0, 1), (1, 2), (2, 3)])
    ((0, 1), (2,), (3,))
    """
    parent = list(range(len(maps)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        if maps[i] == maps[j]:
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict = {}
    for i in range(len(maps)):
        groups.setdefault(find(i), []).append(i)
    return tuple(tuple(g) for g in sorted(groups.values()))


def affine_map_count(C: RegionComplex, output: int | None = None) -> int:
    """How many distinct affine maps ν (or its coordinate *output*) has (DESIGN §2.3)."""
    return len(set(_maps(C, output)))


def sign_vector_at(net: Network, x: Sequence[Any]) -> str:
    """The signs of all nonlinear neurons at a point, by a plain forward pass.

    Gives ``+``/``-`` only (a point cannot see that a neuron is constant), and
    ``0`` where the pre-activation equals the breakpoint at x.
    """
    out = []
    y = tuple(Q(v) for v in x)
    for L in net.layers:
        z = L.pre_activation(y)
        if L.activation != "identity":
            t = L.threshold if L.activation == "relu" else 0
            out += ["+" if v > t else "-" if v < t else "0" for v in z]
        y = L.activate(z)
    return "".join(out)
