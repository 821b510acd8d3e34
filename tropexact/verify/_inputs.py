"""The objects the checks share, computed once when the caller has not already done it."""

from __future__ import annotations


from tropexact.errors import InputError
from tropexact.networks.model import Network
from tropexact.networks.tropicalization import Tropicalization
from tropexact.regions import RegionComplex, activation_regions
from tropexact.regions.pieces import tropicalize

__all__ = ["tropicalization_of", "regions_of"]


def tropicalization_of(net: Network, tropical: Tropicalization | None) -> Tropicalization:
    """*tropical*, or ``tropicalize(net)`` (without counting terms) if it is None."""
    return tropical if tropical is not None else tropicalize(net, count_before=False)


def regions_of(net: Network, regions: RegionComplex | None) -> RegionComplex:
    """*regions*, or the activation regions of *net* over all of Q^d if it is None."""
    if regions is None:
        return activation_regions(net)
    if regions.domain is not None:
        raise InputError("theorem checks need the activation regions over all of Q^d "
                         "(no domain)", param="regions")
    return regions
