"""Exact region counts ≤ every applicable upper bound (Thm 6.3 and docs/design.md §4)."""

from __future__ import annotations

from tropexact.bounds import upper_bounds
from tropexact.bounds.maxout import maxout_upper_bounds, network_ranks
from tropexact.errors import InputError
from tropexact.networks.activation import Activation
from tropexact.networks.model import Network
from tropexact.regions import RegionComplex, linear_regions

from ..check import Check
from .._inputs import regions_of

__all__ = ["check_bounds"]


def _bound_architecture(net: Network) -> tuple[tuple, bool]:
    """(architecture for docs/design.md §4, whether every hidden layer is a relu layer).

    The bounds are for hidden layers followed by a linear output.  A
    nonlinear output layer also splits regions, so it is counted as one more
    hidden layer of width p followed by a (virtual) linear output of width p.
    """
    L = net.layers
    if L[-1].activation is Activation.IDENTITY:
        hidden = L[:-1]
        arch = (net.input_dim,) + tuple(l.out_dim for l in hidden) + (net.output_dim,)
    else:
        hidden = L
        arch = (net.input_dim,) + tuple(l.out_dim for l in L) + (net.output_dim,)
    return arch, all(l.activation is Activation.RELU for l in hidden)


def _bounds_check(linear: int, activation: int, bounds: dict) -> tuple[bool, str, tuple]:
    """linear ≤ activation ≤ every bound, for explicit counts and bounds."""
    ok = linear <= activation
    wit, parts = [], []
    for name, B in sorted(bounds.items()):
        good = linear <= B and activation <= B
        ok &= good
        wit.append(("bound", name, B, linear, activation, good))
        parts.append(f"{name} {B}{'' if good else ' (EXCEEDED)'}")
    text = (f"{linear} linear regions <= {activation} activation regions <= "
            + (", ".join(parts) if parts else "(no applicable bound)"))
    return ok, text, tuple(wit)


def check_bounds(net: Network, *, regions: RegionComplex | None = None,
                 bounds: dict | None = None) -> Check:
    """Exact region counts ≤ every applicable upper bound (Thm 6.3 and docs/design.md §4).

    Zhang–Naitzat–Lim 2018, Thm 6.3 bounds the number of linear regions of a
    network with hidden widths n_1..n_L ≥ d and a linear output by
    Π_l Σ_{i=0}^{d} C(n_l, i); :func:`tropexact.bounds.upper_bounds` gives it
    with the other upper bounds of docs/design.md §4 (Zaslavsky for one layer,
    Montúfar 2017 / Raghu et al. 2017, Serra–Tjandraatmadja–Ramalingam 2018
    Thm 1), each only where its hypotheses hold.

    What is asserted: linear regions ≤ activation regions ≤ B for every
    applicable bound B.  The first inequality holds because every linear
    region is a union of activation regions.  The second is true for all of
    these bounds because their proofs count activation regions: layer l
    splits each region of layer l − 1 by at most n_l hyperplanes pulled back
    through an affine map whose image has dimension at most
    r = min(d, n_1, …, n_{l−1}), giving at most Σ_{j=0}^{r} C(n_l, j) pieces
    (Zaslavsky's count, and the products of Zhang et al. and of Montúfar),
    whatever the activation; Serra et al. bound the number of activation
    patterns the same way and refine it with the dimension lost to inactive
    relu units.  That refinement needs inactive units to output a constant,
    so for networks with leaky relu (or identity) hidden layers
    ``serra2018`` is not applied.  A relu or leaky
    output layer splits regions too, so the architecture passed to the bounds
    is (d, n_1, …, n_L, p, p) then: the output layer counted as a hidden
    layer in front of a virtual linear output.

    A network with a maxout layer gets the maxout bounds of
    :mod:`tropexact.bounds.maxout` instead (the ReLU bounds do not hold: one layer of
    four rank-3 units on Q² has 33 regions, Zaslavsky's count is 11), with every
    relu or leaky relu layer as a layer of rank 2 (:func:`network_ranks`).

    Parameters
    ----------
    net : Network
    regions : RegionComplex, optional
        ``activation_regions(net)`` (over all of Q^d) if already computed.
    bounds : dict, optional
        Name → integer bound to check instead of ``upper_bounds(arch)`` (e.g.
        a conjectured bound); taken as given, without the relu filter.

    Returns
    -------
    Check
        ``name="bounds"``; data: the witnesses ``("architecture", arch)`` and
        ``("bound", name, value, linear regions, activation regions, passed)``.

    Examples
    --------
    ν = relu(x) − relu(x − 1): 3 activation regions, 3 linear regions; two
    hyperplanes (points) in Q cut it into at most C(2, 0) + C(2, 1) = 3:

    >>> from tropexact.networks.model import network
    >>> net = network(1, [{"weight": [[1], [1]], "bias": [0, -1], "activation": "relu"},
    ...                   {"weight": [[1, -1]], "bias": [0], "activation": "identity"}])
    >>> check_bounds(net, bounds={"zaslavsky": 3}).detail
    'architecture 1,2,1: 3 linear regions <= 3 activation regions <= zaslavsky 3'
    >>> check_bounds(net, bounds={"wrong": 2}).passed
    False
    """
    C = regions_of(net, regions)
    arch, all_relu = _bound_architecture(net)
    dropped = ""
    if bounds is None and any(l.activation is Activation.MAXOUT for l in net.layers):
        a, ranks = network_ranks(net)
        arch = tuple(a.as_list())
        bounds = maxout_upper_bounds(a, ranks)
        dropped = f" (maxout bounds, ranks {','.join(map(str, ranks))})"
    if bounds is None:
        try:
            bounds = upper_bounds(arch)
        except InputError as e:
            return Check.not_applicable("bounds", f"no bound for architecture {arch}: {e}")
        bounds = {k: v for k, v in bounds.items() if v is not None and not k.endswith("lower")}
        if not all_relu and "serra2018" in bounds:
            del bounds["serra2018"]
            dropped = " (serra2018 not applied: it needs relu hidden layers)"
    bounds = {k: int(v) for k, v in bounds.items()}
    ok, text, wit = _bounds_check(len(linear_regions(C)), len(C.regions), bounds)
    return Check.verdict("bounds", ok, ("" if ok else "FAILS: ") + f"architecture "
                        f"{','.join(map(str, arch))}: {text}{dropped}",
                        (("architecture", arch),) + wit)
