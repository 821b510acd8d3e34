"""A deliberately simple, slow reference enumerator of activation regions (tests only).

This module exists to cross-check the real enumerator (``tropexact.regions``)
and shares no code with it: it uses only the network data structures and the
exact LP of :func:`tropexact.polyhedra.lp`.  Everything is exact (``mpq``).

Algorithm (docs/design.md §2.1), layer by layer:

* A *cell* carries its inequalities ``(b, a)`` (meaning ``b + a·x >= 0``), its
  sign string so far, and the affine map ``x -> M x + o`` of the current layer's
  output on the cell.  The first cell is the domain (all of Q^d, or a list of
  inequalities) with the identity map.
* For a relu / leaky_relu layer, each neuron's pre-activation on a cell is
  ``z(x) = a·x + c`` with ``a = W_row M`` and ``c = W_row·o + bias``; its
  breakpoint function is ``h = z - t`` (t the relu threshold, 0 for leaky).
  If ``a == 0`` the neuron is constant on the cell and gets ``'0'`` (h == 0),
  ``'+'`` or ``'-'`` with no split.  Otherwise the cell is branched on
  ``s in (+, -)``: a branch is kept iff the cell with the strict constraint
  ``s·h > 0`` added is still full-dimensional, decided by the exact LP
  "maximise r subject to b + a·x >= r for every inequality, r <= 1" (full-
  dimensional iff the optimum is > 0).  A kept branch adds ``s·h >= 0``.
  Neurons of one layer are handled depth-first on the same (layer-fixed) map.
* After the layer, each cell's map is pushed through the activation (relu:
  ``+`` keeps z, ``-``/``0`` give the constant t; leaky: ``+`` keeps z, ``-``
  gives slope·z, ``0`` gives 0; identity keeps z).

The final cells are the activation regions.

Examples
--------
>>> from tropexact.networks.model import network
>>> net = network(1, [{"weight": [[1], [1]], "bias": [0, -1], "activation": "relu"},
...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
>>> regs = reference_regions(net)
>>> sorted(r.signs for r in regs)
['++', '+-', '--']
>>> adj = reference_adjacency(regs, 1)
>>> len(adj), reference_linear_regions(regs, adj), reference_affine_maps(regs)
(2, 3, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from tropexact.exact.numbers import Q, to_rational
from tropexact.polyhedra import LPStatus, lp

__all__ = ["RefRegion", "reference_regions", "reference_adjacency",
           "reference_linear_regions", "reference_affine_maps", "box", "full_dim_point"]


@dataclass(frozen=True)
class RefRegion:
    """One activation region found by the reference enumerator.

    signs : str
        One of ``+ - 0`` per neuron of every relu/leaky_relu layer, in layer
        then neuron order.
    point : tuple of mpq
        A point strictly inside the region (all inequalities strict).
    inequalities : list of (b, a)
        The constraints ``b + a·x >= 0`` defining the region's closure (domain
        inequalities first, then one per non-constant neuron; may be redundant).
    weight, bias : tuple of tuples of mpq, tuple of mpq
        The affine map of ν on the region: ν(x) = weight·x + bias (weight p × d).
    """

    signs: str
    point: tuple
    inequalities: list
    weight: tuple
    bias: tuple


def _dot(u: Sequence[Any], v: Sequence[Any]) -> Any:
    s = Q(0)
    for a, b in zip(u, v):
        s += a * b
    return s


def full_dim_point(inequalities: Sequence[tuple], d: int) -> tuple | None:
    """A point x with every ``b + a·x > 0`` if the set is full-dimensional, else None.

    Exact LP over (x, r): maximise r subject to b + a·x − r >= 0 and 1 − r >= 0.
    """
    zero = (Q(0),) * d
    cons = [(Q(b), tuple(a) + (Q(-1),)) for b, a in inequalities]
    cons.append((Q(1), zero + (Q(-1),)))
    res = lp(zero + (Q(1),), cons)
    if res.status == LPStatus.UNBOUNDED:  # cannot happen with r <= 1, kept for safety
        raise AssertionError("full-dimensionality LP unexpectedly unbounded")
    if res.status != LPStatus.OPTIMAL or not res.value > 0:
        return None
    x = tuple(res.point[:d])
    # belt and braces: the point really is strictly inside
    assert all(b + _dot(a, x) > 0 for b, a in inequalities)
    return x


def box(lower: Sequence[Any], upper: Sequence[Any]) -> list:
    """The box domain as inequalities, numbered as in the certificates: 2i lower, 2i+1 upper."""
    d = len(lower)
    out = []
    for i in range(d):
        e = tuple(Q(1) if j == i else Q(0) for j in range(d))
        out.append((-to_rational(lower[i]), e))
        out.append((to_rational(upper[i]), tuple(-v for v in e)))
    return out


@dataclass
class _Cell:
    ineqs: list
    signs: str
    M: list  # rows over x (current layer output dimension × d)
    o: list  # offset


def reference_regions(net: Any, domain: Iterable[tuple] | None = None) -> list:
    """All activation regions of *net* on *domain* (None = Q^d), as :class:`RefRegion` s.

    Slow on purpose: O(#cells × #neurons) exact LPs.  Regions come out in
    depth-first order ('+' branch before '-').  An empty or lower-dimensional
    domain gives no regions.
    """
    d = net.input_dim
    dom = [] if domain is None else [(to_rational(b), tuple(to_rational(v) for v in a))
                                     for b, a in domain]
    if len(dom) and any(len(a) != d for _, a in dom):
        raise ValueError("domain inequalities must have the network's input dimension")
    if full_dim_point(dom, d) is None:
        return []
    ident = [[Q(1) if i == j else Q(0) for j in range(d)] for i in range(d)]
    cells = [_Cell(list(dom), "", ident, [Q(0)] * d)]
    for layer in net.layers:
        new_cells = []
        for cell in cells:
            # pre-activations on this cell: z_i(x) = a_i·x + c_i
            A = [[_dot(row, [cell.M[k][j] for k in range(len(cell.M))]) for j in range(d)]
                 for row in layer.weight]
            C = [_dot(row, cell.o) + b for row, b in zip(layer.weight, layer.bias)]
            if layer.activation == "identity":
                new_cells.append(_Cell(cell.ineqs, cell.signs, A, C))
                continue
            t = layer.threshold if layer.activation == "relu" else Q(0)
            for ineqs, signs in _branch(cell.ineqs, A, [c - t for c in C], d):
                M, o = [], []
                for a, c, s in zip(A, C, signs):
                    if s == "+":
                        M.append(list(a))
                        o.append(c)
                    elif layer.activation == "relu":  # '-' or '0': constant t
                        M.append([Q(0)] * d)
                        o.append(t)
                    elif s == "-":  # leaky
                        slope = layer.negative_slope
                        M.append([slope * v for v in a])
                        o.append(slope * c)
                    else:  # leaky '0': z == 0
                        M.append([Q(0)] * d)
                        o.append(Q(0))
                new_cells.append(_Cell(ineqs, cell.signs + signs, M, o))
        cells = new_cells
    out = []
    for cell in cells:
        x = full_dim_point(cell.ineqs, d)
        assert x is not None
        out.append(RefRegion(cell.signs, x, cell.ineqs,
                             tuple(tuple(r) for r in cell.M), tuple(cell.o)))
    return out


def _branch(ineqs: list, A: list, H: list, d: int) -> list:
    """Depth-first sign patterns of one layer on one cell: [(inequalities, signs)]."""
    results = []

    def rec(k: int, cur: list, signs: str) -> None:
        if k == len(A):
            results.append((cur, signs))
            return
        a, h = A[k], H[k]
        if not any(a):
            rec(k + 1, cur, signs + ("0" if h == 0 else "+" if h > 0 else "-"))
            return
        for s, ch in ((1, "+"), (-1, "-")):
            con = (s * h, tuple(s * v for v in a))
            nxt = cur + [con]
            if full_dim_point(nxt, d) is not None:
                rec(k + 1, nxt, signs + ch)

    rec(0, list(ineqs), "")
    return results


def _normal(b: Any, a: Sequence[Any]) -> tuple:
    """(b, a) scaled by a positive number so the first non-zero of a is ±1."""
    lead = next(v for v in a if v != 0)
    s = abs(lead)
    return (b / s,) + tuple(v / s for v in a)


def reference_adjacency(regions: Sequence[RefRegion], d: int) -> set:
    """Pairs {i, j} of regions whose closures share a (d−1)-dimensional face.

    For each pair and each inequality g = (b, a) of region i whose opposite is
    (a positive multiple of) an inequality of region j: maximise r over r <= 1
    subject to g(x) = 0 and every other inequality of i and j (those not on
    the hyperplane of g, in either orientation) >= r.  Adjacent iff r > 0.
    """
    norm = [[(_normal(b, a), (b, a)) for b, a in r.inequalities if any(a)] for r in regions]
    zero = (Q(0),) * d
    edges = set()
    for i in range(len(regions)):
        for j in range(i + 1, len(regions)):
            nj = {n for n, _ in norm[j]}
            tried = set()
            for n, (b, a) in norm[i]:
                neg = tuple(-v for v in n)
                if neg not in nj or n in tried:
                    continue
                tried.add(n)
                others = [g for m, g in norm[i] + norm[j] if m != n and m != neg]
                cons = [(Q(gb), tuple(ga) + (Q(-1),)) for gb, ga in others]
                cons.append((Q(1), zero + (Q(-1),)))
                res = lp(zero + (Q(1),), cons, [(Q(b), tuple(a) + (Q(0),))])
                if res.status == LPStatus.UNBOUNDED:
                    raise AssertionError("adjacency LP unexpectedly unbounded")
                if res.status == LPStatus.OPTIMAL and res.value > 0:
                    edges.add(frozenset((i, j)))
                    break
    return edges


def reference_linear_regions(regions: Sequence[RefRegion], adjacency: Iterable) -> int:
    """Connected components of the adjacency graph restricted to edges between equal maps."""
    parent = list(range(len(regions)))

    def find(u: int) -> int:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for e in adjacency:
        i, j = tuple(e)
        if (regions[i].weight, regions[i].bias) == (regions[j].weight, regions[j].bias):
            parent[find(i)] = find(j)
    return len({find(u) for u in range(len(regions))})


def reference_affine_maps(regions: Sequence[RefRegion]) -> int:
    """Number of distinct affine maps (weight, bias) over the regions."""
    return len({(r.weight, r.bias) for r in regions})
