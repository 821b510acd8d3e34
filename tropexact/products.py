"""Reduced tropical sums of products, computed without expanding the products.

A neuron's polynomials have the shape

    max_s ( c_s + Σ_j k_sj · f_sj(x) ),

a tropical sum (union of lifted point sets) of tropical products (Minkowski
sums) of scaled reduced polynomials f_sj.  Expanding a product of m
polynomials of n terms creates up to n^m candidates of which few survive.
Here the upper vertices are found instead through a linear-optimisation
oracle (:func:`tropexact.polytope.upper_vertices_from_oracle`): the
lexicographic maximiser of a Minkowski sum is the sum of the factors'
maximisers, and that of a union is the larger of the parts' maximisers, so
each query costs Σ n_sj operations.

Examples
--------
>>> from tropexact.polynomial import TropicalPolynomial, otimes
>>> f = TropicalPolynomial({(0, 0): 0, (1, 0): 0, (0, 1): 0})
>>> g = TropicalPolynomial({(0, 0): 0, (1, 1): 1})
>>> sum_of_products([(0, [(f, 1), (g, 2)])], 2) == otimes(f, g ** 2)
True
"""

from __future__ import annotations

from typing import Any, Sequence

from .numbers import Q, integer_points, to_rational
from .polynomial import TropicalPolynomial
from .polytope import lex_argmax, upper_vertices_from_oracle

__all__ = ["sum_of_products", "Product"]

#: (constant, [(polynomial, k), ...]) with k > 0 rational: c ⊙ Π f^{⊙k}
Product = tuple


class _Factor:
    """A polynomial's lifted points, with integer copies for fast argmax."""

    __slots__ = ("pts", "ipts", "cols", "idx")

    def __init__(self, f: TropicalPolynomial) -> None:
        self.pts = f.lifted_points()
        self.ipts, _ = integer_points(self.pts)
        self.cols = [list(c) for c in zip(*self.ipts)]
        self.idx = range(len(self.ipts))

    def argmax(self, w: Sequence[int]) -> int:
        return lex_argmax(self.ipts, self.cols, self.idx, w)


def _lexkey(w: Sequence[int], p: Sequence[Any]) -> tuple:
    return (sum(a * b for a, b in zip(w, p)), p[-1], tuple(p))


def sum_of_products(products: Sequence[Product], nvars: int) -> TropicalPolynomial:
    """The reduced form of ⊕_s ( c_s ⊙ ⊙_j f_sj^{⊙k_sj} ), never expanding a product.

    Parameters
    ----------
    products : sequence of (c, [(f, k), ...])
        Constants c and exponents k ≥ 0 rational, f tropical polynomials (any
        form; they are reduced first, which changes no function).
    nvars : int
    """
    D = nvars + 1
    cache: dict[int, _Factor] = {}
    prods = []
    for c, factors in products:
        fs = []
        for f, k in factors:
            k = to_rational(k)
            if k == 0:
                continue
            if f.is_zero():
                break  # a tropical-zero factor annihilates the product
            f = f.reduced()
            fid = id(f)
            if fid not in cache:
                cache[fid] = _Factor(f)
            fs.append((cache[fid], k, f))
        else:
            prods.append((to_rational(c), fs))
    if not prods:
        return TropicalPolynomial.zero(nvars)
    zero = tuple(Q(0) for _ in range(nvars))

    def oracle(w: Sequence[int]) -> tuple:
        best, bkey = None, None
        for c, fs in prods:
            p = list(zero) + [c]
            for fac, k, _ in fs:
                q = fac.pts[fac.argmax(w)]
                for t in range(D):
                    p[t] += k * q[t]
            key = _lexkey(w, p)
            if bkey is None or key > bkey:
                best, bkey = p, key
        assert best is not None
        return tuple(best)

    verts = upper_vertices_from_oracle(oracle, D)
    return TropicalPolynomial._from_canonical(
        tuple((v[:-1], v[-1]) for v in verts), nvars, True)
