"""Finished activation regions, one at a time, with their adjacency as integer pairs.

The walk (:mod:`tropexact.regions._walk`) hands over the regions as cells
with their final affine maps; this module turns each into a compact record
and matches neighbours.  A region's facets are its irredundant constraints
(:func:`~tropexact.polyhedra.arrangement.facet_constraints`), and across each
facet on a neuron's hyperplane lies exactly one region, whose sign vector is
known (:mod:`tropexact.regions._neighbours`).  So adjacency is a matter of
bookkeeping: a finished region whose neighbours are not all finished waits in
a table keyed by its sign vector with the number of facets still unmatched;
when a neighbour finishes, the edge is reported once, with the later region,
and the earlier one leaves the table when its count reaches zero.  Only the
regions on the border between finished and unfinished ones are held.

At the end the table must be empty: every facet found its region and every
region was found by each of its neighbours -- an exact consistency check of
the enumeration (a missing or extra region would leave an entry behind).

Affine maps are kept canonical (integer numerators over a positive common
denominator, reduced), so equal maps have equal keys; each distinct map gets
an id in order of first appearance.
"""

from __future__ import annotations

import marshal
import math
from operator import itemgetter
from typing import TYPE_CHECKING, Callable, Iterator

from tropexact.errors import VerificationError
from tropexact.networks.domain import Domain
from tropexact.networks.model import MAX_PIECES, Network, integer_network
from tropexact.polyhedra.arrangement import facet_constraints, interior_numerators

from ._maps import IntegerMap
from ._neighbours import neighbour_signs
from ._walk import IntegerLayers, RegionCounter, leaves, walk

if TYPE_CHECKING:
    from .split import Part

__all__ = ["Enumeration", "map_key", "encode_label", "decode_label"]


def map_key(m: IntegerMap, scale: int, d: int) -> tuple:
    """(D, n_1, …): the map ν(x) = (rows·x + off)/(den·scale) as reduced integers over D > 0.

    Row k's weights are n[k·d + j]/D and its bias n[p·d + k]/D.
    """
    nums = [x for r in m.rows for x in (r if r is not None else [0] * d)] + list(m.off)
    D = m.den * scale
    g = math.gcd(D, *nums)
    return (D // g, *[x // g for x in nums]) if g > 1 else (D, *nums)


def encode_label(lab: object) -> int:
    """Neuron k ↦ 2k, ``("domain", i)`` ↦ 2i + 1 (i = −1 for an unlabelled polytope row),
    ``("neuron", g, j)`` (maxout unit g's facet where its winning piece ties piece j)
    ↦ −2(g·MAX_PIECES + j + 1): three disjoint sets of integers."""
    if isinstance(lab, int):
        return 2 * lab
    if len(lab) == 3:  # type: ignore[arg-type]
        return -2 * (lab[1] * MAX_PIECES + lab[2] + 1)  # type: ignore[index]
    return 2 * lab[1] + 1  # type: ignore[index]


def decode_label(x: int) -> tuple:
    """The inverse of :func:`encode_label`.

    >>> [decode_label(encode_label(lab)) for lab in (3, ("domain", -1), ("neuron", 2, 1))]
    [('neuron', 3), ('domain', -1), ('neuron', 2, 1)]
    """
    if x % 2:
        return ("domain", (x - 1) // 2)
    if x >= 0:
        return ("neuron", x // 2)
    return ("neuron", *divmod(-x // 2 - 1, MAX_PIECES))


class Enumeration:
    """One enumeration of the activation regions of *net* over *domain* (None: Q^d).

    ``lines``, ``neurons`` and ``dim`` are known at once; :meth:`records`
    yields the regions as they finish.
    """

    def __init__(self, net: Network, domain: Domain | None, max_regions: int | None,
                 progress: Callable[[int], None] | None, adjacency: bool = True,
                 part: "Part | None" = None) -> None:
        inet, scale = integer_network(net)
        self.L = IntegerLayers(inet)
        self.scale = int(scale)
        self.d = net.input_dim
        self.neurons = tuple(self.L.neurons)
        if part is None:
            self.lines, self.dim, self._leaves = walk(self.L, domain, max_regions, progress)
            self.fixed: tuple = ()
        else:
            self.lines, self.dim = part.lines, self.d - len(part.lines)
            budget = RegionCounter(0, max_regions, progress)
            budget.add()
            self._leaves = leaves(self.L, [part.cell()], part.map(), part.start, self.dim,
                                  budget)
            self.fixed = part.fixed
        self.adjacency = adjacency
        self.map_ids: dict[bytes, int] = {}

    def records(self, interior: bool = True) -> Iterator[tuple]:
        """Yield ``(index, signs, (nums, den), rows, labels, map_key, map_id, bounded, earlier,
        outside, across)``.

        *rows* are the facet rows h = (b, a₁, …, a_d) (primitive, ≥ 0 on the region,
        in the order of the constraints), *labels* their :func:`encode_label`
        codes, *earlier* the indices of already reported regions adjacent to
        this one (each edge once, with its later end; empty when adjacency is off).
        For a part (:mod:`tropexact.regions.split`), *outside* holds the sign
        vectors of the neighbours outside the part (signs differ on ``fixed``),
        which are not waited for; otherwise it is empty.  *across* gives, for each
        row, the sign vector of the region across it (None on the domain's boundary;
        empty when adjacency is off).  Without *interior*, ``(nums, den)`` is None (counts
        need no interior point).
        """
        pending: dict[str, list] = {}
        index = 0
        L, dim, scale, d, fixed = self.L, self.dim, self.scale, self.d, self.fixed
        at_fixed = itemgetter(*fixed) if fixed else None  # the signs on fixed, in C
        for cell, m in self._leaves:
            signs = "".join(cell.data)
            fb = facet_constraints(cell, dim)
            rows = tuple(cell.cons[b][1] for b in fb)
            labels = tuple(encode_label(cell.cons[b][0]) for b in fb)
            key = map_key(m, scale, d)
            mk = marshal.dumps(key, 2)
            mid = self.map_ids.setdefault(mk, len(self.map_ids))
            bounded = not self.lines and all(map(itemgetter(0), cell.gens))  # g₀ ≥ 0
            earlier: list[int] = []
            outside: list[str] = []
            across: tuple = ()
            if self.adjacency:
                waiting = 0
                across = tuple(neighbour_signs(L, signs, cell, fb))
                own = at_fixed(signs) if at_fixed is not None else None
                for s in across:
                    if s is None:
                        continue
                    if at_fixed is not None and at_fixed(s) != own:
                        outside.append(s)
                        continue
                    entry = pending.get(s)
                    if entry is None:
                        waiting += 1
                        continue
                    earlier.append(entry[0])
                    entry[1] -= 1
                    if not entry[1]:
                        del pending[s]
                if waiting:
                    pending[signs] = [index, waiting]
            yield (index, signs, interior_numerators(cell) if interior else None, rows, labels, key, mid, bounded,
                   tuple(earlier), tuple(outside), across)
            index += 1
        if pending:
            raise VerificationError(f"internal error: {len(pending)} regions have a facet whose "
                                    "neighbour was never found")
