"""The first cells of an enumeration: simplicial cones over all of Q^d, or the domain.

Over all of Q^d the first nonlinear layer seeds the complex with the 2^r
simplicial cones of r independent hyperplanes (r the layer's rank) times the
lineality space, which every later hyperplane contains; a box or polytope
domain seeds it with one cell (:mod:`tropexact.polyhedra.arrangement`).
"""

from __future__ import annotations

from tropexact.errors import BudgetExceeded
from tropexact.exact.linalg import integer_vector, nullspace, primitive, primitive_integer, rank, rref
from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.polyhedra import from_inequalities
from tropexact.polyhedra.arrangement import Cell, cell_from_generators, homogeneous

__all__ = ["seed_cones", "domain_cell"]


def seed_cones(hyps: list, d: int, base: int, nsigns: int,
               max_regions: int | None = None) -> tuple[list, tuple]:
    """The 2^r simplicial cones of r independent hyperplanes, and the lines.

    Returns the cells (signs of the chosen neurons filled in) and a basis of
    the lineality space {x : a_k·x = 0 for every k}.  Each cone holds at least one
    activation region, so 2^r > *max_regions* stops at once with
    :class:`~tropexact.errors.BudgetExceeded` (before any cone is built).
    """
    chosen: list[int] = []
    for k, h in enumerate(hyps):
        if not isinstance(h, str) and rank([hyps[j][1:] for j in chosen + [k]]) > len(chosen):
            chosen.append(k)
    r = len(chosen)
    if max_regions is not None and 2 ** r > max_regions:
        raise BudgetExceeded(f"more than {max_regions} activation regions (the first layer "
                             f"alone has 2^{r}); raise the limit or restrict the domain",
                             param="max_regions")
    # one point v on all chosen hyperplanes, and rays: ray i leaves hyperplane i
    # (a_i·ray = 1) and stays on the others, from the echelon form of [A | −b | I]
    aug = [list(hyps[k][1:]) + [-hyps[k][0]] + [int(i == j) for j in range(r)]
           for i, k in enumerate(chosen)]
    R, piv = rref(aug, d) if r else ([], [])
    v = [Q(0)] * d
    rays = [[Q(0)] * d for _ in range(r)]
    for p, c in enumerate(piv):
        v[c] = R[p][d]
        for i in range(r):
            rays[i][c] = R[p][d + 1 + i]
    lines = nullspace([hyps[k][1:] for k in chosen], d)
    vh = homogeneous(v)
    ray_int = [primitive([0, *integer_vector(ray)]) for ray in rays]
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
    return list(cones.values()), tuple(lines)


def domain_cell(domain: Domain, nsigns: int) -> Cell:
    P = from_inequalities(domain.inequalities)
    if domain.kind == "box":
        cons = list(domain.inequalities)
        labels = [("domain", i) for i in range(len(cons))]
    else:
        keys: dict[tuple, int] = {}
        for i, (b, a) in enumerate(domain.inequalities):
            keys.setdefault(primitive_integer([b, *a]), i)
        cons = list(P.inequalities)
        labels = [("domain", keys.get(primitive_integer([b, *a]), -1)) for b, a in cons]
    cell = cell_from_generators(P.vertices, P.rays, cons, labels)
    cell.data = [None] * nsigns
    return cell
