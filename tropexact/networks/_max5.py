"""The maximum of five numbers in two hidden ReLU layers (rational weights).

Bakaev, Brunck, Hertrich, Stade and Yehudayoff ("Better neural network
expressivity: subdividing the simplex", arXiv:2505.14338, 2025) show that two
hidden layers compute max(z_0, …, z_4), which with integer weights needs three
(Haase, Hertrich and Loho, ICLR 2023).  Their argument works with support
functions: max(z) = h_Δ(z) for the simplex Δ = conv(e_0, …, e_4), and

* one hidden layer computes h_Z for a zonotope Z = p + Σ_g [0, g]:
  h_Z(z) = ⟨p, z⟩ + Σ_g relu(⟨g, z⟩);
* two hidden layers compute max(h_{Z₁}, h_{Z₂}) = h_{Z₂} + relu(h_{Z₁} − h_{Z₂}), the
  support function of the join conv(Z₁ ∪ Z₂), and signed sums of those.

We could not retrieve the paper's explicit formula, so the identity used here was
found in exactly that class and is proven exactly by the tests (tropicalizing
the gadget gives the polynomial max(z_0, …, z_4), and ``tests/test_synthesis.py``
checks it on every activation region): with m_ij = (e_i + e_j)/2 and Σ_σ the sum
over the distinct images of a join under the permutations σ of the five
coordinates,

    max(z) = −(2/5) Σ_i z_i
             + (1/15) Σ_σ h(conv({e_4} ∪ P))        P = m_01 + [0, (e_2−e_1)/2] + [0, (e_3−e_0)/2]
             + (4/5)  Σ_σ h(conv(S ∪ S'))            S = [m_34, m_24], S' = [m_14, m_04]
             − (1/15) Σ_σ h(conv(P' ∪ P''))         P' = e_4 + [0, (e_3−e_4)/2] + [0, (e_2−e_4)/2],
                                                    P'' = m_02 + [0, (e_1−e_0)/2] + [0, (e_3−e_2)/2]

(15, 5 and 30 distinct images).  It was found by solving for the coefficients of
the symmetrised joins of zonotopes with vertices on the half-integer points of Δ
(81 orbits) at random points, then solved exactly; the weights are 1/2 in the
first layer and 1/15, 2/5, 4/5 at the output.  Width: the first hidden layer holds
relu(z_j − z_i) for the 20 ordered pairs, the second one neuron per join (50) and
two neurons carrying the joins' common part.

Examples
--------
>>> from tropexact.exact.numbers import Q
>>> zs = [Q(3), Q(-1), Q(7, 2), Q(0), Q(2)]
>>> evaluate(zs) == max(zs)
True
>>> len(JOINS)
50
"""

from __future__ import annotations

import itertools
from typing import Any, Sequence

from tropexact.exact.numbers import Q

from ._builder import Builder, Value, combine

__all__ = ["JOINS", "LINEAR", "evaluate", "first_layer", "second_layer"]

_H = Q(1, 2)


def _e(i: int) -> tuple:
    return tuple(Q(int(k == i)) for k in range(5))


def _m(i: int, j: int) -> tuple:
    return tuple((a + b) / 2 for a, b in zip(_e(i), _e(j)))


def _g(j: int, i: int) -> tuple:
    """(e_j − e_i)/2."""
    return tuple((a - b) / 2 for a, b in zip(_e(j), _e(i)))


#: the coefficient of Σ_i z_i
LINEAR = Q(-2, 5)

# (coefficient, Z1, Z2) with Z = (p, generators): one representative of each orbit
_BASE = (
    (Q(1, 15), (_e(4), ()), (_m(0, 1), (_g(2, 1), _g(3, 0)))),
    (Q(4, 5), (_m(3, 4), (_g(2, 3),)), (_m(1, 4), (_g(0, 1),))),
    (Q(-1, 15), (_e(4), (_g(3, 4), _g(2, 4))), (_m(0, 2), (_g(1, 0), _g(3, 2)))),
)


def _vertices(Z: tuple) -> frozenset:
    p, gens = Z
    return frozenset(tuple(a + sum((m * g[k] for m, g in zip(mask, gens)), Q(0))
                           for k, a in enumerate(p))
                     for mask in itertools.product((0, 1), repeat=len(gens)))


def _permute(Z: tuple, perm: Sequence[int]) -> tuple:
    p, gens = Z
    move = lambda v: tuple(v[perm[k]] for k in range(5))  # noqa: E731
    return (move(p), tuple(move(g) for g in gens))


def _joins() -> tuple:
    """(coefficient, Z1, Z2) for every distinct image of every base join."""
    out = []
    for coef, Z1, Z2 in _BASE:
        seen = set()
        for perm in itertools.permutations(range(5)):
            A, B = _permute(Z1, perm), _permute(Z2, perm)
            key = _vertices(A) | _vertices(B)
            if key not in seen:
                seen.add(key)
                out.append((coef, A, B))
    return tuple(out)


#: the 50 joins of the identity: (coefficient, Z1, Z2)
JOINS = _joins()


def _h(Z: tuple, z: Sequence[Any]) -> Any:
    p, gens = Z
    return sum((a * b for a, b in zip(p, z)), Q(0)) + \
        sum((max(Q(0), sum((a * b for a, b in zip(g, z)), Q(0))) for g in gens), Q(0))


def evaluate(z: Sequence[Any]) -> Any:
    """The right-hand side of the identity at a rational point (for tests)."""
    total = LINEAR * sum(z, Q(0))
    for coef, A, B in JOINS:
        total += coef * max(_h(A, z), _h(B, z))
    return total


def _pair(g: tuple) -> tuple[int, int, Any]:
    """g = s·(e_j − e_i) as (j, i, s) with s > 0."""
    j = next(k for k, a in enumerate(g) if a > 0)
    i = next(k for k, a in enumerate(g) if a < 0)
    return j, i, g[j]


def first_layer(b: Builder, values: Sequence[Value]) -> tuple:
    """The gadget's first hidden layer on five values: relu(v_j − v_i) and the carried v."""
    diffs = {}
    for _, A, B in JOINS:
        for g in A[1] + B[1]:
            j, i, _s = _pair(g)
            if (j, i) not in diffs:
                diffs[(j, i)] = b.neuron(values[j] - values[i])
    return (diffs, [b.carry(v) for v in values])


def _support(Z: tuple, diffs: dict, carried: Sequence[Value]) -> Value:
    p, gens = Z
    terms = [(a, v) for a, v in zip(p, carried) if a]
    for g in gens:
        j, i, s = _pair(g)
        terms.append((s, diffs[(j, i)]))
    return combine(terms)


def second_layer(b: Builder, state: tuple) -> Value:
    """The second hidden layer: relu(h_{Z1} − h_{Z2}) per join, and Σ c·h_{Z2} carried
    once; returns max of the five values in the new basis."""
    diffs, carried = state
    rest = [(LINEAR, v) for v in carried]
    tops = []
    for coef, A, B in JOINS:
        hA, hB = _support(A, diffs, carried), _support(B, diffs, carried)
        tops.append((coef, b.neuron(hA - hB)))
        rest.append((coef, hB))
    return combine([(1, b.carry(combine(rest)))] + tops)
