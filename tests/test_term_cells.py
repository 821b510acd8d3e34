"""Cells of F, G and F ⊙ G read off the activation regions, against the LP method.

tropexact.regions.term_cells.term_regions_on reads the cells of a tropical polynomial
and their adjacency off the activation regions (one pass over regions and edges);
tropexact.regions.cells.term_regions finds them with one exact LP per term and a
redundancy removal per cell, never looking at a network.  Two independent algorithms:
they must give the same cells, witnesses that win strictly, the same facet rows and
the same adjacency graph.  Tampered pieces must be refused.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from test_tropicalize import networks
from tropexact.errors import InputError, VerificationError
from tropexact.networks.domain import Domain
from tropexact.networks.io import load_network
from tropexact.regions import activation_regions, term_regions
from tropexact.regions.pieces import final_pieces, tropicalize_by_regions
from tropexact.regions.term_cells import term_regions_on


def _polys_and_pieces(net):
    C = activation_regions(net)
    T = tropicalize_by_regions(net, C, count_before=False)
    P = final_pieces(net, C)
    for k, o in enumerate(T.outputs):
        pf = [p[k][0] for p in P]
        pg = [p[k][1] for p in P]
        pfg = [(tuple(a + b for a, b in zip(f[0], g[0])), f[1] + g[1]) for f, g in zip(pf, pg)]
        yield C, ((o.F, pf), (o.G, pg), (o.F * o.G, pfg))


def same_cells(net):
    for C, polys in _polys_and_pieces(net):
        for f, pieces in polys:
            a, b = term_regions_on(f, C, pieces), term_regions(f)
            assert [r.index for r in a.regions] == [r.index for r in b.regions]
            assert a.empty_interior == b.empty_interior
            for r, s in zip(a.regions, b.regions):
                assert dict(zip(r.neighbors, r.inequalities)) == dict(zip(s.neighbors, s.inequalities))
                assert r.margin > 0 and f.argmax(r.point) == (r.index,)
            assert sorted(map(sorted, a.graph.edges)) == sorted(map(sorted, b.graph.edges))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_cells_from_regions_equal_cells_by_lp(net):
    same_cells(net)


@pytest.mark.parametrize("name", ["zhang2018_example_c2", "rational_leaky_2d", "three_inputs",
                                  "caveat_1d", "zonotope_2_4_1"])
def test_example_networks(name):
    same_cells(load_network(f"data/networks/{name}.json"))


def test_tampered_pieces_are_refused():
    net = load_network("data/networks/zhang2018_example_c2.json")
    C, ((F, pf), _, _) = next(_polys_and_pieces(net))
    # a piece that is not a term of F
    bad = list(pf)
    bad[0] = (bad[0][0], bad[0][1] + 1)
    with pytest.raises(VerificationError, match="not a term of f"):
        term_regions_on(F, C, bad)
    # every region of region 0's term A relabelled with another term B: B's first region
    # is now region 0, where A (not B) wins strictly -- the witness must fail
    A = pf[0]
    B = next(p for p in pf if p != A)
    with pytest.raises(VerificationError, match="does not win strictly"):
        term_regions_on(F, C, [B if p == A else p for p in pf])
    with pytest.raises(InputError, match="pieces for"):
        term_regions_on(F, C, pf[:-1])


def test_a_domain_is_refused():
    net = load_network("data/networks/zhang2018_example_c2.json")
    C = activation_regions(net, Domain.box([-1, -1], [1, 1]))
    F = tropicalize_by_regions(net).outputs[0].F
    with pytest.raises(InputError, match="all of Q"):
        term_regions_on(F, C, [])


def test_a_wrong_polynomial_fails_the_check_instead_of_crashing():
    # F with one term dropped: the regions' pieces are no longer all terms of F, so the
    # cells fall back to the LPs, and the comparison with the hull must fail (not pass,
    # not raise)
    from dataclasses import replace

    from tropexact.tropical.polynomial import TropicalPolynomial
    from tropexact.verify.instance import tropical_checks

    net = load_network("data/networks/zhang2018_example_c2.json")
    C = activation_regions(net)
    T = tropicalize_by_regions(net, C)
    o = T.outputs[0]
    F = TropicalPolynomial(o.F.terms[1:], net.input_dim)
    bad = replace(T, outputs=(replace(o, F=F),))
    checks = tropical_checks(net, C, bad, lambda *a: None)[1]
    names = {c.name: c for c in checks}
    assert not names["nu = F - G at region points (output 0)"].passed
    # F alone is still a polynomial whose LP cells match its hull: that check may pass;
    # F*G against the hull uses the LP cells of the wrong product
    assert any(not c.passed for c in checks)
