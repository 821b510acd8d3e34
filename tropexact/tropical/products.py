"""Reduced tropical sums of products, computed without expanding the products.

A neuron's polynomials have the shape

    max_s ( c_s + Σ_j k_sj · f_sj(x) ),

a tropical sum (union of lifted point sets) of tropical products (Minkowski
sums) of scaled reduced polynomials f_sj.  Expanding a product of m
polynomials of n terms creates up to n^m candidates of which few survive.
Here the upper vertices are found instead through a linear-optimisation
oracle (:func:`tropexact.polyhedra.oracle.upper_vertices_of_sums`): the
lexicographic maximiser of a Minkowski sum is the sum of the factors'
maximisers, and that of a union is the larger of the parts' maximisers, so
each query costs Σ n_sj operations.

Examples
--------
>>> from tropexact.tropical.polynomial import TropicalPolynomial, otimes
>>> f = TropicalPolynomial({(0, 0): 0, (1, 0): 0, (0, 1): 0})
>>> g = TropicalPolynomial({(0, 0): 0, (1, 1): 1})
>>> sum_of_products([(0, [(f, 1), (g, 2)])], 2) == otimes(f, g ** 2)
True
"""

from __future__ import annotations

from typing import Sequence

from tropexact.errors import BudgetExceeded
from tropexact.exact.numbers import to_rational
from tropexact.polyhedra.oracle import upper_vertices_of_sums

from .polynomial import TropicalPolynomial

__all__ = ["sum_of_products", "Product"]

#: (constant, [(polynomial, k), ...]) with k > 0 rational: c ⊙ Π f^{⊙k}
Product = tuple


def sum_of_products(products: Sequence[Product], nvars: int, *,
                    max_terms: int | None = None) -> TropicalPolynomial:
    """The reduced form of ⊕_s ( c_s ⊙ ⊙_j f_sj^{⊙k_sj} ), never expanding a product.

    Parameters
    ----------
    products : sequence of (c, [(f, k), ...])
        Constants c and exponents k ≥ 0 rational, f tropical polynomials (any
        form; they are reduced first, which changes no function).
    nvars : int
    max_terms : int, optional
        Stop with :class:`~tropexact.errors.BudgetExceeded` as soon as the result is
        known to have more than this many terms (before computing all of them).
    """
    lifted: dict[int, tuple] = {}  # one point set per polynomial object
    sums = []
    for c, factors in products:
        fs = []
        for f, k in factors:
            k = to_rational(k)
            if k == 0:
                continue
            if f.is_zero():
                break  # a tropical-zero factor annihilates the product
            if id(f) not in lifted:
                lifted[id(f)] = (f, f.reduced().lifted_points())
            fs.append((lifted[id(f)][1], k))
        else:
            sums.append((c, fs))
    try:
        verts = upper_vertices_of_sums(sums, nvars + 1, max_vertices=max_terms)
    except BudgetExceeded as e:
        if e.param != "max_vertices":  # another budget (a time limit) stopped the oracle
            raise
        raise BudgetExceeded(f"a reduced polynomial has more than max_terms={max_terms} terms",
                             param="max_terms") from None
    return TropicalPolynomial.from_upper_vertices(verts, nvars)
