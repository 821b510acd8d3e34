"""Networks that realise known lower bounds on the number of linear regions.

Two constructions, both with exact rational weights, both verified exactly by
:func:`tropexact.regions.activation_regions` and
:func:`tropexact.regions.linear_regions` in ``tests/test_constructions.py``.

**One hidden layer in general position** (:func:`general_position_one_layer`).
n hyperplanes in general position in Q^d (every d normals independent, no
d + 1 hyperplanes through a point) cut Q^d into

    r(n, d) = Σ_{j=0}^{d} C(n, j)

regions (Zaslavsky 1975; Stanley 2007, Lecture 2), :func:`zaslavsky_count` (n, d)
of :mod:`tropexact.bounds.counts`.  A ReLU layer whose
neurons break along these hyperplanes, followed by a linear output whose
gradient changes across every hyperplane, has exactly r(n, d) linear regions:
the maximum for one hidden layer (Pascanu et al. 2014; Montúfar et al.
2014; the ``zaslavsky`` bound of docs/design.md §4).

**The zigzag construction** (:func:`montufar_zigzag`) of Montúfar, Pascanu,
Cho and Bengio (2014), Theorem 4: a ReLU network with d inputs and hidden
widths n_1, …, n_L, all n_l ≥ d, can have at least

    N_low = (Π_{l=1}^{L−1} ⌊n_l / d⌋^d) · Σ_{j=0}^{d} C(n_L, j)

linear regions.  The theorem speaks of linear regions of the function on the
whole input space R^d (here Q^d); the construction places all of them inside
the unit cube [0, 1]^d.  Layers 1, …, L−1 *fold*: each splits its neurons
into d groups of m_l = ⌊n_l/d⌋, and group i computes the tent map s_{m_l}
of the i-th coordinate (below), which maps each of the m_l intervals
[k/m_l, (k+1)/m_l] affinely onto [0, 1].  Their composition maps each of the
M^d subcubes of side 1/M, M = m_1 ⋯ m_{L−1}, affinely and bijectively onto
[0, 1]^d.  The last hidden layer is an arrangement of n_L hyperplanes in
general position all of whose regions meet the open cube (0, 1)^d, so it has
r(n_L, d) regions in every subcube: M^d · r(n_L, d) = N_low in all.

The fold.  With c_0 = 1 and c_k = 2(−1)^k for k ≥ 1,

    s_m(u) = Σ_{k=0}^{m−1} c_k · relu(m·u − k)

has slope m·(1 − 2 + 2 − ⋯) = m·(−1)^j on (j/m, (j+1)/m), so on [0, 1] it
is the tent map with s_m(k/m) = k mod 2: it rises from 0 to 1, falls back to
0, and so on, m times.  (Montúfar et al., proof of Theorem 4, use the units
max{0, w x}, max{0, 2w x − 1}, …, max{0, 2w x − (m−1)} combined with
alternating signs; here they are rescaled so that the fold maps [0, 1] onto
[0, 1].)  The alternating sum is linear, so it is absorbed into the weights of
the *next* layer; each fold layer is therefore relu(m_l·y_i − k) of the
previous fold's output y_i.  The composite of tents with m and m' pieces is
the tent with m·m' pieces (each piece of the first is mapped onto [0, 1],
where the second has m' equal pieces), so after L − 1 folds every coordinate
is s_M.  Neurons left over (n_l mod d of them) get zero weights and zero bias:
they are constant 0 (sign ``0``) and change nothing.

The last layer.  Hyperplane k (k = 1, …, n) has the normal
a_k = (1, k, k², …, k^{d−1}) on the moment curve, so any d of them form a
Vandermonde matrix (independent).  For n > d it is
a_k · (y − ½·1) = ε k^d with ε = 1 / (4 (n+1)^d): a point y lies on
H_{k_1}, …, H_{k_{d+1}} only if the polynomial ε t^d − Σ_j (y − ½)_{j+1} t^j
of degree d with leading coefficient ε ≠ 0 has d + 1 roots, impossible, so no
d + 1 of them meet.  The vertex on H_{k_1..k_d} has y − ½·1 = minus ε times
the lower coefficients of Π_i (t − k_i), each at most ε Π(1 + k_i) ≤
ε (n+1)^d = 1/4 in absolute value, so every vertex lies in [¼, ¾]^d.  Every
region of an arrangement whose normals span Q^d has a vertex, so every region
meets the open cube.

Why neighbouring regions never merge.  Orient neuron k as
relu(σ_k (a_k·y − β_k)) and give it the output weight v_k = σ_k 2^{k−1}.  On
a region with active neurons S the gradient in y is g = Σ_{k∈S} 2^{k−1} a_k:
every coordinate of a_k is positive, so g is componentwise positive unless
S = ∅.  Crossing a hyperplane changes g by ± 2^{k−1} a_k ≠ 0; crossing a fold
face x_i = j/M reflects y_i, which flips the sign of ∂/∂x_i, so the two
mirror regions carry the same affine map only if g_i = 0, i.e. S = ∅.  The
σ_k are chosen so that the all-inactive region R_0 is the cell of the point
with ε t^d − Σ (y−½)_{j+1} t^j = ε Π_{i=1}^{d} (t − i − ½): its sign at
t = k alternates for k = 1, …, d + 1, which confines it to the simplex of
H_1, …, H_{d+1} (Lagrange interpolation: the leading coefficient ε is a sum
of positive multiples of the values' absolute values), inside [¼, ¾]^d, away
from every fold face.  So for n_L > d all M^d · r(n_L, d) activation regions
in [0, 1]^d have pairwise different maps across every facet: the number of
linear regions on the cube is exactly N_low.

For n_L = d (the theorem allows n_L ≥ d) there is no bounded region, and
R_0 (a cone) reaches the boundary of the cube.  The hyperplanes are then taken
through c·1 with c = 1/(2 d n^{d−1}) and σ_k = +1 (independent normals through
a point of the open cube: all 2^n = r(n, d) regions meet the cube near c·1),
so R_0 = {a_k·y < a_k·c·1} touches every face y_i = 0 and no face y_i = 1
(there a_k·y ≥ 1 > ½ ≥ a_k·c·1).  Inside [0, 1] the tent s_M is 0 exactly at
the even multiples of 1/M, so the faces y_i = 0 are fold faces only when
M ≥ 3; across each, the two copies of R_0 carry the same constant map and
merge.  The copies of R_0 then form, coordinate by coordinate, the
⌈(M+1)/2⌉ classes {0}, {1, 2}, {3, 4}, …, so on [0, 1]^d there are exactly

    M^d (2^{n_L} − 1) + ⌈(M+1)/2⌉^d

linear regions, which is N_low = M^d 2^{n_L} for M ≤ 2 and less for M ≥ 3.
The shortfall is unavoidable for this construction: an unbounded R_0 always
reaches some face, and with M ≥ 3 every face of the cube is a fold face
somewhere.  Example: d = 1, widths (3, 1) gives 3 + 2 = 5 < 6 = 3·(1 + 1)
linear regions, on [0, 1] and on Q (a W-shaped first layer attains 6 with the
same widths, so the theorem survives; only this proof's network falls short).

References
----------
G. Montúfar, R. Pascanu, K. Cho, Y. Bengio, "On the Number of Linear Regions
of Deep Neural Networks", NeurIPS 27 (2014), arXiv:1402.1869; Theorem 4 (the
bound; its proof is the folding construction).
R. Pascanu, G. Montúfar, Y. Bengio, "On the number of response regions of deep
feed forward networks with piece-wise linear activations", ICLR 2014,
arXiv:1312.6098 (one layer: Σ_{j≤d} C(n, j) via Zaslavsky; the earlier
Ω(⌊n/d⌋^{L−1} n^d) bound for deep networks).
M. Telgarsky, "Benefits of depth in neural networks", COLT 2016 (the d = 1
sawtooth).
T. Zaslavsky, "Facing up to arrangements: face-count formulas for partitions
of space by hyperplanes", Mem. AMS 154 (1975).
R. Stanley, "An introduction to hyperplane arrangements", in Geometric
Combinatorics, IAS/Park City Math. Ser. 13 (2007), Lecture 2 (general position,
Zaslavsky's theorem).

Examples
--------
The d = 1 construction with widths (3, 3): the first layer folds [0, 1] three
times, the second puts 3 breakpoints in every copy, 3 · (1 + 3) = 12 linear
regions on [0, 1]:

>>> from tropexact.networks.domain import Domain
>>> from tropexact.regions import activation_regions, linear_regions
>>> net = montufar_zigzag(1, (3, 3))
>>> len(linear_regions(activation_regions(net, Domain.box([0], [1]))))
12
>>> net = general_position_one_layer(2, 4)          # 1 + 4 + 6 regions in Q^2
>>> len(linear_regions(activation_regions(net)))
11
"""

from __future__ import annotations

from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt, fmt_short
from tropexact.networks.model import Network, network


__all__ = ["zigzag_coefficients", "zigzag", "montufar_zigzag", "general_position_one_layer",
           "moment_arrangement"]


def _shown(x: Any) -> str:
    """An argument for a message: an int by :func:`fmt_short` (huge ones by their
    size), anything else by its repr, cut to 40 characters."""
    return fmt_short(x) if type(x) is int else repr(x)[:40]


def zigzag_coefficients(m: int) -> tuple:
    """The output weights (c_0, …, c_{m−1}) = (1, −2, 2, −2, …) of the tent s_m.

    s_m(u) = Σ_k c_k relu(m u − k) has slope m·(−1)^j on (j/m, (j+1)/m),
    because c_0 + … + c_j = (−1)^j.

    Examples
    --------
    >>> zigzag_coefficients(4)
    (1, -2, 2, -2)
    """
    if type(m) is not int or m < 1:
        raise InputError(f"the number of folds must be a positive integer, got {_shown(m)}")
    return tuple(1 if k == 0 else 2 * (-1) ** k for k in range(m))


def zigzag(m: int) -> Network:
    """The one-dimensional fold s_m as a network 1 → m → 1.

    Hidden neuron k computes relu(m x − k) (breakpoint k/m), the linear output
    is Σ_k c_k h_k with :func:`zigzag_coefficients`.  On [0, 1] this is the tent
    map with m pieces, s_m(k/m) = k mod 2, each piece mapped affinely onto
    [0, 1]; it is the building block of :func:`montufar_zigzag` (Montúfar et
    al. 2014, proof of Theorem 4; Telgarsky 2016).  Outside [0, 1] it is 0 for x ≤ 0
    and continues the last piece for x ≥ 1.

    Examples
    --------
    >>> f = zigzag(3)
    >>> [f([x])[0] for x in (0, "1/6", "1/3", "1/2", "2/3", 1)]
    [mpq(0,1), mpq(1,2), mpq(1,1), mpq(1,2), mpq(0,1), mpq(1,1)]
    """
    c = zigzag_coefficients(m)
    return network(1, [
        {"weight": [[m] for _ in range(m)], "bias": [-k for k in range(m)], "activation": "relu"},
        {"weight": [list(c)], "bias": [0], "activation": "identity"},
    ])


def moment_arrangement(d: int, n: int, *, center: Any = "1/2", eps: Any = None) -> list:
    """n hyperplanes a_k · y = β_k in general position, normals on the moment curve.

    a_k = (1, k, k², …, k^{d−1}) and β_k = a_k · (center·1) + ε k^d for
    k = 1, …, n, with ε = 1/(4 (n+1)^d) unless given.

    General position, proved: any d normals form a Vandermonde matrix with
    distinct nodes, so they are independent; y lies on H_k iff the polynomial
    P_y(t) = ε t^d − Σ_j (y − center)_{j+1} t^j vanishes at t = k, and a
    nonzero polynomial of degree d has at most d roots, so no d + 1 of the
    hyperplanes share a point (ε ≠ 0).  Every vertex (intersection of d of
    them) is within ε (n+1)^d = ¼ of center·1 in every coordinate: its offset
    is minus ε times the coefficients of Π (t − k_i) below t^d, each bounded by
    Π (1 + k_i) ≤ (n+1)^d.  With ``eps=0`` all hyperplanes pass through
    center·1 (general position only when n ≤ d).

    Returns
    -------
    list of (a, beta)
        ``a`` a tuple of ints, ``beta`` an ``mpq``.

    Examples
    --------
    >>> moment_arrangement(1, 3)          # y = 1/2 + k/16 for k = 1, 2, 3
    [((1,), mpq(9,16)), ((1,), mpq(5,8)), ((1,), mpq(11,16))]
    """
    if type(d) is not int or d < 1:
        raise InputError(f"the dimension must be a positive integer, got {_shown(d)}")
    if type(n) is not int or n < 1:
        raise InputError(f"the number of hyperplanes must be a positive integer, got {_shown(n)}")
    e = Q(1, 4 * (n + 1) ** d) if eps is None else Q(eps)
    c = Q(center)
    out = []
    for k in range(1, n + 1):
        a = tuple(k ** j for j in range(d))
        out.append((a, c * sum(a) + e * k ** d))
    return out


def general_position_one_layer(d: int, n: int) -> Network:
    """One hidden layer of n ReLUs in general position, generic linear output.

    The neurons break along :func:`moment_arrangement` (d, n) and are oriented
    relu(a_k · x − β_k); the output is Σ_k 2^{k−1} h_k.  The regions of the
    arrangement are the activation regions (Zaslavsky: Σ_{j=0}^{d} C(n, j) of
    them), and on the region with active set S the gradient is
    Σ_{k∈S} 2^{k−1} a_k, whose first coordinate Σ_{k∈S} 2^{k−1} (every a_k
    starts with 1) determines S.  So all regions carry *pairwise distinct*
    affine maps: linear regions = distinct affine maps = activation regions
    = Σ_{j≤d} C(n, j) over Q^d, the largest possible for one hidden layer
    (Zaslavsky 1975; Pascanu, Montúfar, Bengio 2014).

    Examples
    --------
    >>> from tropexact.bounds import zaslavsky_count
    >>> from tropexact.regions import activation_regions, linear_regions, affine_map_count
    >>> C = activation_regions(general_position_one_layer(3, 5))
    >>> len(C.regions), len(linear_regions(C)), affine_map_count(C), zaslavsky_count(5, 3)
    (26, 26, 26, 26)
    """
    hyps = moment_arrangement(d, n)
    return network(d, [
        {"weight": [list(a) for a, _ in hyps], "bias": [fmt(-b) for _, b in hyps],
         "activation": "relu"},
        {"weight": [[2 ** k for k in range(n)]], "bias": [0], "activation": "identity"},
    ])


def _last_layer(d: int, n: int) -> tuple[list, list]:
    """Hyperplanes (a_k, β_k) and orientations σ_k of the last hidden layer."""
    if n > d:
        hyps = moment_arrangement(d, n)
        # R_0 = the cell where ε Π_{i≤d}(t − i − ½) is the sign pattern: neuron k
        # inactive there, sign of Π_i (k − i − ½) = (−1)^{#{i ≥ k}}.
        sigma = [(-1) ** max(0, d - k + 1) for k in range(1, n + 1)]
    else:
        hyps = moment_arrangement(d, n, center=Q(1, 2 * d * n ** (d - 1)), eps=0)
        sigma = [1] * n
    return hyps, sigma


def montufar_zigzag(d: int, widths: Sequence[int]) -> Network:
    """The folding construction of Montúfar, Pascanu, Cho, Bengio (2014), Thm 4.

    Parameters
    ----------
    d : int
        Input dimension n_0.
    widths : sequence of int
        Hidden widths n_1, …, n_L, each ≥ d (the theorem's hypothesis).  Layers
        1…L−1 fold every coordinate ⌊n_l/d⌋ times; layer L is a general-position
        arrangement of n_L hyperplanes inside the unit cube.  The output is one
        linear unit.

    Returns
    -------
    Network
        d → n_1 → ⋯ → n_L → 1 with exact rational weights.

    Notes
    -----
    With M = Π_{l<L} ⌊n_l/d⌋, the activation regions in [0, 1]^d are the
    M^d subcubes of side 1/M times the Σ_{j≤d} C(n_L, j) regions of the last
    arrangement pulled back to each.  When n_L > d, or M ≤ 2, no two
    neighbouring regions share an affine map (module docstring), so on
    [0, 1]^d the number of linear regions is *exactly*
    (Π_{l<L} ⌊n_l/d⌋^d) · Σ_{j=0}^{d} C(n_L, j), Theorem 4's bound.  When
    n_L = d and M ≥ 3 the all-inactive region merges with its mirror images
    across fold faces and the construction falls short of the bound: it has
    M^d (2^d − 1) + ⌈(M+1)/2⌉^d linear regions on [0, 1]^d.

    Over all of Q^d the count also includes regions outside the cube, where a
    fold is 0 (x_i < 0: every neuron of group i inactive) or continues its last
    piece.  For d = 1, L ≥ 2 and n_L ≥ 2 it is exactly

        M·(n_L + 1) + 1 + [L ≥ 3 and m_1 ⋯ m_{L−2} is even]:

    x < 0 is one constant region, different from its neighbour in [0, 1]
    (slope ±M·g ≠ 0 there, since R_0 is interior); for x > 1 the input of fold
    layer l starts at y^{(l−1)}(1) = (m_1 ⋯ m_{l−1}) mod 2, and when that is 0
    the layer's neuron relu(m_l y) switches off at x = 1, making ν constant on
    x > 1 (one more region); otherwise every layer continues its last piece
    away from [0, 1], crosses no breakpoint, and the last region of [0, 1]
    simply extends.  For d ≥ 2 the tests report the Q^d counts.

    Examples
    --------
    d = 2, widths (4, 4): each coordinate folded twice, 2² subcubes, 1 + 4 + 6
    regions of 4 lines in each, 44 linear regions in the unit square:

    >>> from tropexact.networks.domain import Domain
    >>> from tropexact.regions import activation_regions, linear_regions
    >>> net = montufar_zigzag(2, (4, 4))
    >>> C = activation_regions(net, Domain.box([0, 0], [1, 1]))
    >>> len(C.regions), len(linear_regions(C))
    (44, 44)
    """
    widths = _zigzag_widths(d, widths)
    layers, fold = _fold_layers(d, widths[:-1])
    return network(d, layers + _last_layers(d, widths[-1], fold))


def _zigzag_widths(d: int, widths: Sequence[int]) -> tuple:
    """Check the hypotheses of :func:`montufar_zigzag`; the widths as a tuple."""
    if type(d) is not int or d < 1:
        raise InputError(f"the input dimension must be a positive integer, got {_shown(d)}")
    widths = tuple(widths)
    if not widths:
        raise InputError("need at least one hidden layer")
    for l, w in enumerate(widths):
        if type(w) is not int or w < d:
            raise InputError(f"hidden width n_{l + 1} = {_shown(w)} must be an integer "
                             f"≥ d = {fmt_short(d)} "
                             "(Montúfar et al. 2014, Theorem 4)")
    return widths


def _fold_layers(d: int, widths: Sequence[int]) -> tuple[list[dict], list[list]]:
    """The fold layers of :func:`montufar_zigzag`, and the folded coordinates after them.

    ``fold[i][j]``: the folded coordinate y_i = Σ_j fold[i][j] · h_j as a linear form
    in the outputs h of the last fold layer (the identity on x when there is none).
    """
    layers: list[dict] = []
    fold = [[Q(int(i == j)) for j in range(d)] for i in range(d)]
    for w in widths:
        m = w // d
        c = zigzag_coefficients(m)
        W, b = [], []
        for i in range(d):
            for k in range(m):
                W.append([m * v for v in fold[i]])
                b.append(Q(-k))
        for _ in range(w - d * m):
            W.append([Q(0)] * len(fold[0]))
            b.append(Q(0))
        layers.append({"weight": [[fmt(v) for v in row] for row in W],
                       "bias": [fmt(v) for v in b], "activation": "relu"})
        fold = [[Q(c[j - i * m]) if i * m <= j < (i + 1) * m else Q(0) for j in range(w)]
                for i in range(d)]
    return layers, fold


def _last_layers(d: int, n: int, fold: list[list]) -> list[dict]:
    """The last hidden layer (n oriented hyperplanes in the folded coordinates) and the
    linear output Σ_k σ_k 2^{k−1} h_k of :func:`montufar_zigzag`."""
    hyps, sigma = _last_layer(d, n)
    W, b = [], []
    for (a, beta), s in zip(hyps, sigma):
        row = [sum((s * a[i] * fold[i][j] for i in range(d)), Q(0)) for j in range(len(fold[0]))]
        W.append([fmt(v) for v in row])
        b.append(fmt(-s * beta))
    return [{"weight": W, "bias": b, "activation": "relu"},
            {"weight": [[s * 2 ** k for k, s in enumerate(sigma)]], "bias": [0],
             "activation": "identity"}]
