"""Tropical rational maps → ReLU networks (tropexact.networks.synthesis), checked exactly.

Every synthesized network is tropicalized again (tropexact.regions.pieces) and
compared with the map as a function: F1*G2 = F2*G1 as reduced polynomials and
equal values at every activation region's interior point (check_round_trip).
The expected depths come from the construction's arithmetic: ⌈log₂ r⌉ hidden
layers for the maximum of r numbers by pairs, and h(n) = min(1 + h(⌈n/2⌉),
2 + h(⌈n/5⌉)) with the 5-ary gadget, whose capacities by depth are
C(L) = max(2 C(L−1), 5 C(L−2)) = 1, 2, 5, 10, 25, 50, 125.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks import _max5
from tropexact.networks.files import loads_exact
from tropexact.networks.io import load_network
from tropexact.networks.model import Layer, Network, network
from tropexact.networks.rational_io import map_from_dict, map_to_dict
from tropexact.networks.synthesis import hidden_layers, paper_depth_bound, synthesize
from tropexact.regions.pieces import tropicalize
from tropexact.tropical.polynomial import TropicalPolynomial as P
from tropexact.tropical.rational import TropicalRationalMap
from tropexact.verify.theorems.roundtrip import check_round_trip

C2 = "data/networks/zhang2018_example_c2.json"
FEW = settings(max_examples=20, deadline=None, database=None)


def poly(d, *terms):
    return P([(tuple(t[:-1]), t[-1]) for t in terms], d)


def rmap(*pairs):
    return TropicalRationalMap([f / g for f, g in pairs])


def round_trip(s):
    check = check_round_trip(s.network, s.map)
    assert check.passed, check.detail
    return check


# -- example table ------------------------------------------------------------------------

ZERO1 = poly(1, (0, 0))
RELU = poly(1, (0, 0), (1, 0))                       # max(0, x)


@pytest.mark.parametrize("name, tmap, hidden", [
    # a single monomial: the output layer alone computes 1 + x0 (no maximum to take)
    ("monomial", rmap((poly(1, (1, 1)), ZERO1)), 0),
    ("constant", rmap((poly(2, (0, 0, 3)), poly(2, (0, 0, 0)))), 0),
    # F = G: the zero function, no neuron
    ("F = G", rmap((RELU, RELU)), 0),
    ("relu", rmap((RELU, ZERO1)), 1),
    # r = 3 and 2: ⌈log₂ 3⌉ = 2 hidden layers
    ("d = 1", rmap((poly(1, (0, 0), (1, 1), (2, -1)), RELU)), 2),
    # two outputs sharing max(0, x0): depth from the largest polynomial (r = 4: 2 layers)
    ("two outputs", rmap((poly(2, (0, 0, 0), (1, 0, 0)), poly(2, (0, 1, 0))),
                         (poly(2, (0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, -1)),
                          poly(2, (0, 0, 0), (1, 0, 0)))), 2),
    # rational exponents and coefficients
    ("rational", rmap((poly(1, (0, 0), ("1/2", "-1/3")), poly(1, (0, "1/4"), ("3/2", 0)))), 1),
])
def test_examples_round_trip_with_the_expected_depth(name, tmap, hidden):
    for method in ("paper", "shallow"):
        s = synthesize(tmap, method=method)
        assert s.hidden_layers == hidden, (name, method, s.widths)
        assert s.depth == hidden + 1 <= s.depth_bound
        assert s.network.layers[-1].activation.value == "identity"
        assert all(l.activation.value == "relu" for l in s.network.layers[:-1])
        round_trip(s)


def test_relu_is_one_neuron_and_f_equals_g_has_none():
    # max(0, x) = 0 + relu(x − 0): the constant is carried for free, one neuron in all
    assert synthesize(rmap((RELU, ZERO1))).widths == (1, 1, 1)
    s = synthesize(rmap((RELU, RELU)))
    assert s.widths == (1, 1) and s.network([5]) == (0,)


def test_integral_weights_exactly_when_the_map_is_integral():
    integral = rmap((poly(2, (0, 0, 0), (1, 0, 1), (2, -1, 0)), poly(2, (0, 0, 0), (0, 1, 0))))
    assert synthesize(integral).integral
    assert not synthesize(rmap((poly(1, (0, 0), ("1/2", 0)), ZERO1))).integral


def test_monomials_shared_between_outputs_are_computed_once():
    f = poly(2, (0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, -1))
    one = synthesize(rmap((f, poly(2, (0, 0, 0)))), carry="inputs")
    # the same polynomial in three places: the neurons of one tree, nothing more
    many = synthesize(rmap((f, poly(2, (0, 0, 0))), (f, poly(2, (0, 0, 0))),
                           (poly(2, (0, 0, 0)), f)), carry="inputs")
    assert one.widths[1:-1] == many.widths[1:-1]
    assert many.monomials == {"given": 15, "reduced": 15, "distinct": 4}
    round_trip(many)


def test_duplicated_and_redundant_monomials_are_merged_and_reduced():
    # x^1 twice (⊕ keeps −1 + x), and (1, −1) lies on the upper edge from (0, 0) to
    # (2, −2): reduced, f = max(0, −2 + 2x), 2 monomials, one hidden layer
    f = P([((0,), 0), ((1,), -1), ((1,), -5), ((2,), -2)], 1)
    s = synthesize(rmap((f, ZERO1)))
    assert s.monomials == {"given": 3 + 1, "reduced": 2 + 1, "distinct": 2}
    assert s.hidden_layers == 1
    round_trip(s)


def test_the_paper_example_c2_map_fed_back():
    # tropicalize C.2 (F: 8 terms, G: 4) and synthesize: ⌈log₂ 8⌉ = 3 hidden layers
    net = load_network(C2)
    T = tropicalize(net)
    s = synthesize(T.map)
    assert (s.hidden_layers, s.depth_bound) == (3, 5)
    round_trip(s)
    check = check_round_trip(net, tropicalize(s.network).map)
    assert check.passed, check.detail


# -- depth ----------------------------------------------------------------------------------

def test_depth_tables():
    ns = [1, 2, 3, 4, 5, 6, 10, 11, 25, 26, 50, 51, 125]
    assert [hidden_layers(n) for n in ns] == [0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7]
    # the capacities 1, 2, 5, 10, 25, 50, 125 of the module docstring
    assert [hidden_layers(n, "shallow") for n in ns] == [0, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]


def test_paper_depth_bound_counts_the_given_monomials():
    x = poly(1, (1, 0))
    assert paper_depth_bound(rmap((x, x))) == 2                     # ⌈log₂ 1⌉ + 2
    assert paper_depth_bound(rmap((poly(1, *[(k, 0) for k in range(9)]), x))) == 6


# -- the maximum of five numbers in two hidden layers ---------------------------------------

def test_max5_gadget_is_the_maximum_exactly():
    # max(0, x0, ..., x3) = max of five affine functions; tropicalize the shallow network
    d = 4
    f = P([((0,) * d, 0)] + [(tuple(int(i == j) for j in range(d)), 0) for i in range(d)], d)
    s = synthesize(rmap((f, P.one(d))), method="shallow")
    assert s.hidden_layers == 2 and not s.integral
    assert synthesize(rmap((f, P.one(d)))).hidden_layers == 3      # ⌈log₂ 5⌉
    T = tropicalize(s.network)
    assert T.map[0].numerator == (f * T.map[0].denominator)       # F1 = f ⊙ G1
    round_trip(s)


@FEW
@given(st.lists(st.fractions(min_value=-20, max_value=20, max_denominator=6), min_size=5,
                max_size=5))
def test_max5_identity_at_random_points(zs):
    zs = [Q(z.numerator, z.denominator) for z in zs]
    assert _max5.evaluate(zs) == max(zs)
    for perm in itertools.islice(itertools.permutations(zs), 0, 120, 17):
        assert _max5.evaluate(list(perm)) == max(zs)


def test_max5_of_affine_functions_in_one_variable():
    # five affine functions of x: the gadget composed with the first affine layer
    f = poly(1, (0, 0), (1, 1), (2, -1), (3, -4), (-1, -2))
    s = synthesize(rmap((f, ZERO1)), method="shallow")
    assert s.hidden_layers == 2
    round_trip(s)


def test_ten_numbers_mix_a_five_node_and_a_binary_level():
    # max of k·x − k², k = 0..9: all ten terms are upper vertices (the coefficients are
    # strictly concave in k).  Paper: ⌈log₂ 10⌉ = 4; shallow: ⌈10/5⌉ = 2, then one pair: 2 + 1
    f = poly(1, *[(k, -k * k) for k in range(10)])
    assert len(f.reduced()) == 10
    s = synthesize(rmap((f, ZERO1)), method="shallow")
    assert (s.hidden_layers, synthesize(rmap((f, ZERO1))).hidden_layers) == (3, 4)
    round_trip(s)


# -- Hypothesis round trips -----------------------------------------------------------------

NUMS = st.sampled_from([Q(-2), Q(-1), Q(0), Q(1), Q(2), Q(1, 2), Q(-3, 2)])


@st.composite
def maps(draw):
    d = draw(st.integers(1, 2))
    def p():
        n = draw(st.integers(1, 5))
        return P([(tuple(draw(NUMS) for _ in range(d)), draw(NUMS)) for _ in range(n)], d)
    return rmap(*[(p(), p()) for _ in range(draw(st.integers(1, 2)))])


@FEW
@given(maps(), st.sampled_from(["paper", "shallow"]), st.sampled_from(["inputs", "values"]))
def test_synthesize_then_tropicalize_is_the_same_function(tmap, method, carry):
    s = synthesize(tmap, method=method, carry=carry)
    round_trip(s)
    reduced = [len(p.reduced()) for f in tmap for p in (f.numerator, f.denominator)
               if f.numerator.reduced() != f.denominator.reduced()]
    assert s.hidden_layers == max((hidden_layers(r, method) for r in reduced), default=0)
    assert s.depth <= s.depth_bound
    integral = all(v.denominator == 1 for f in tmap for p in (f.numerator, f.denominator)
                   for e, c in p.terms for v in (*e, c))
    if method == "paper" and integral:
        assert s.integral


WEIGHTS = st.integers(-2, 2)


@st.composite
def networks(draw):
    d, n1, n2 = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    def layer(m, k, act):
        return {"weight": [[draw(WEIGHTS) for _ in range(k)] for _ in range(m)],
                "bias": [draw(WEIGHTS) for _ in range(m)], "activation": act}
    return network(d, [layer(n1, d, "relu"), layer(n2, n1, "relu"), layer(1, n2, "identity")])


@FEW
@given(networks())
def test_network_tropicalize_synthesize_is_the_same_function(net):
    T = tropicalize(net, count_before=False)
    s = synthesize(T.map)
    check = check_round_trip(s.network, T.map)
    assert check.passed, check.detail
    back = check_round_trip(net, tropicalize(s.network, count_before=False).map)
    assert back.passed, back.detail


# -- tampering ------------------------------------------------------------------------------

def _changed(net, k, i, j, delta):
    layers = list(net.layers)
    l = layers[k]
    rows = [list(r) for r in l.weight]
    rows[i][j] += delta
    layers[k] = Layer(tuple(tuple(r) for r in rows), l.bias, l.activation)
    return Network(net.input_dim, tuple(layers))


def _hidden(net, x):
    for l in net.layers[:-1]:
        x = l(x)
    return x


def test_one_changed_weight_fails_the_round_trip():
    """Not every weight change changes ν (relu(y0 − c·y1) with y0 = relu(x), y1 = relu(−x) is
    relu(x) for every c > 0), so the changes are those that must: the output layer's weight
    of a last-layer neuron u with u(x) ≠ 0 somewhere adds c·u(x) ≠ 0 there; the bias adds c;
    and the first layer's relu(−x − 1) → relu(−(2/3)x − 1) moves a breakpoint of F."""
    tmap = rmap((poly(1, (0, 0), (1, 1), (2, -1)), RELU))
    net = synthesize(tmap, carry="inputs").network
    points = [Q(k, 2) for k in range(-8, 9)]
    out = len(net.layers) - 1
    live = [j for j in range(net.layers[out].in_dim) if any(_hidden(net, [x])[j] for x in points)]
    assert live
    for j in live:
        check = check_round_trip(_changed(net, out, 0, j, Q(1, 3)), tmap)
        assert check.failed, (j, check.detail)
    l = net.layers[out]
    biased = Network(1, net.layers[:-1] + (Layer(l.weight, (l.bias[0] + 1,), l.activation),))
    assert check_round_trip(biased, tmap).failed
    assert net.layers[0].weight[2] == (-1,) and net.layers[0].bias[2] == -1
    check = check_round_trip(_changed(net, 0, 2, 0, Q(1, 3)), tmap)
    assert check.failed and "F1*G2 != F2*G1" in check.detail


def test_mismatched_dimensions_fail():
    s = synthesize(rmap((RELU, ZERO1)))
    two = rmap((poly(2, (0, 0, 0), (1, 0, 0)), poly(2, (0, 0, 0))))
    assert check_round_trip(s.network, two).failed


# -- files -----------------------------------------------------------------------------------

def test_map_file_round_trip_and_tropicalize_json_accepted():
    tmap = rmap((poly(2, (0, 0, 0), ("1/2", 1, "-2/3")), poly(2, (0, 1, 0))))
    assert map_from_dict(map_to_dict(tmap)) == tmap
    doc = {"network": "x", "slice": None, "input_dim": 1, "widths": [1, 1],
           "outputs": [{"H": {"polynomial": [["1", "0"]]}, "F": {"polynomial": [["1", "0"]]},
                        "G": {"polynomial": [["0", "0"]]}}],
           "terms_before_pruning": 2, "layers": []}
    assert map_from_dict(doc) == rmap((poly(1, (1, 0)), ZERO1))


@pytest.mark.parametrize("text, needle", [
    ('[]', "top level"),
    ('{"format": "tropexact-network", "outputs": []}', "format"),
    ('{"format": "tropexact-rational", "version": 2, "outputs": []}', "version"),
    ('{"format": "tropexact-rational", "outputs": []}', "non-empty list of outputs"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [[0, 0]]}]}', "denominator"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [], "denominator": [[0, 0]]}]}',
     "at least one monomial"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [[0, 0], [1, 2, 3]], '
     '"denominator": [[0, 0]]}]}', "numerator[1]: row has 3 entries"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [[0, true]], '
     '"denominator": [[0, 0]]}]}', "numerator[0][1]"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [["x", 0]], '
     '"denominator": [[0, 0]]}]}', "numerator[0][0]"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [[0]], '
     '"denominator": [[0, 0]]}]}', "d >= 1"),
    ('{"format": "tropexact-rational", "input_dim": 2, "outputs": [{"numerator": [[0, 0]], '
     '"denominator": [[0, 0]]}]}', "expected 3"),
    ('{"format": "tropexact-rational", "input_dim": 0, "outputs": []}', "input_dim"),
    ('{"format": "tropexact-rational", "outputs": [{"numerator": [[0, 0]], '
     '"denominator": [[0, 0]], "extra": 1}]}', "unknown key 'extra'"),
    ('{"format": "tropexact-rational", "bogus": 1, "outputs": []}', "unknown top-level key"),
])
def test_bad_map_documents_name_the_place(text, needle):
    with pytest.raises(InputError, match=None) as e:
        map_from_dict(loads_exact(text))
    assert needle in str(e.value)


KEYS = st.sampled_from(["format", "version", "input_dim", "outputs", "numerator",
                        "denominator", "F", "G", "polynomial", "widths"])


def _nest(kids):
    return st.lists(kids, max_size=3) | st.dictionaries(KEYS, kids, max_size=4)


JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3)
                    | st.sampled_from(["1/2", "x", "tropexact-rational"]), _nest, max_leaves=12)


@settings(max_examples=200, deadline=None, database=None)
@given(JSON)
def test_fuzzed_map_documents_are_a_map_or_one_input_error(doc):
    try:
        tmap = map_from_dict(doc)
    except InputError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(tmap, TropicalRationalMap)


def test_bad_arguments():
    with pytest.raises(InputError, match="method"):
        synthesize(rmap((RELU, ZERO1)), method="deep")
    with pytest.raises(InputError, match="carry"):
        synthesize(rmap((RELU, ZERO1)), carry="both")
    with pytest.raises(InputError, match="tropical rational map"):
        synthesize(RELU)
