"""Tests of tropexact.bounds: reference values, properties, formulas, parsing, CLI."""

from __future__ import annotations

import itertools
import json
import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from tropexact.bounds import (
    BOUND_NAMES, Architecture, Bound, all_bounds, architecture, bound_expression,
    bound_symbols, evaluate_bound, evaluate_expression, montufar2014_lower, montufar2017,
    serra2018, serra2018_lower, upper_bounds, zaslavsky, zhang2018,
)
from tropexact.cli.main import main
from tropexact.errors import InputError


# ----------------------------------------------------------------------------------
# Independent reference implementations (straight from the papers' formulas)
# ----------------------------------------------------------------------------------

def zaslavsky_count(n: int, d: int) -> int:
    """Regions of n generic hyperplanes in R^d: Σ_{j=0}^{d} C(n, j)."""
    return sum(math.comb(n, j) for j in range(d + 1))


def serra_bruteforce(d: int, widths: tuple[int, ...]) -> int:
    """Serra et al. Thm 1 by enumerating every (j_1..j_L) in the box and filtering J."""
    total = 0
    for js in itertools.product(*(range(min(d, n) + 1) for n in widths)):
        ok = all(js[l] <= min([d, widths[l]] + [widths[k] - js[k] for k in range(l)])
                 for l in range(len(widths)))
        if ok:
            total += math.prod(math.comb(n, j) for n, j in zip(widths, js))
    return total


def values(arch) -> dict:
    return {k: b.value for k, b in all_bounds(arch).items()}


small_arch = st.tuples(
    st.integers(1, 4),                                     # d
    st.lists(st.integers(1, 6), min_size=1, max_size=4),   # widths
    st.integers(1, 3),                                     # p
).map(lambda t: (t[0], *t[1], t[2]))


# ----------------------------------------------------------------------------------
# docs/design.md §4 reference values (the acceptance tests of issue 4)
# ----------------------------------------------------------------------------------

@pytest.mark.parametrize("arch, zhang, montufar, serra", [
    # d=2, (2,2): each factor Σ_{i≤2} C(2,i) = 1+2+1 = 4 -> 4^2 = 16; d_l = min(2,2) = 2
    # so Montúfar's factors are the same. Serra: j1=0 (weight 1): j2 ≤ 2 -> 4;
    # j1=1 (weight 2): j2 ≤ min(2, 2-1) = 1 -> 1+2 = 3, total 6; j1=2 (weight 1):
    # j2 ≤ 0 -> 1. Sum 4 + 6 + 1 = 11.
    ((2, 2, 2, 1), 16, 16, 11),
    # d=2, (3,3): factor 1+3+3 = 7 -> 49. Serra: j1=0 (w 1): j2 ≤ 2 -> 7; j1=1 (w 3):
    # j2 ≤ min(2, 3-1) = 2 -> 3*7 = 21; j1=2 (w 3): j2 ≤ 1 -> 3*(1+3) = 12. 7+21+12 = 40.
    ((2, 3, 3, 1), 49, 49, 40),
    # d=3, (4,4,4): factor 1+4+6+4 = 15 -> 15^3 = 3375. Serra by the bottleneck m
    # (m_l = min(m_{l-1}, n_l - j_l)): after layer 1 weights {m=3: 1+4, m=2: 6, m=1: 4};
    # after layer 2 {3: 5*5 = 25, 2: 5*6 + 6*(1+4+6) = 96, 1: 5*4 + 4*(1+4) = 40};
    # layer 3 adds Σ_{j≤m} C(4,j): 25*15 + 96*11 + 40*5 = 375 + 1056 + 200 = 1631.
    ((3, 4, 4, 4, 1), 3375, 3375, 1631),
    # d=1, ten layers of width 5: factor 1+5 = 6 -> 6^10 = 60,466,176 (issue 4).
    ((1, *[5] * 10, 1), 60_466_176, 60_466_176, 60_466_176),
    # d=1, (2,2): factor 1+2 = 3 -> 9; Serra: j1=0: 3, j1=1 (w 2): j2 ≤ min(1, 1) -> 2*3;
    # 3 + 6 = 9. (Every network of this architecture has <= 7 linear regions: docs/design.md §4.)
    ((1, 2, 2, 1), 9, 9, 9),
])
def test_design_reference_values(arch, zhang, montufar, serra):
    v = values(arch)
    assert (v["zhang2018"], v["montufar2017"], v["serra2018"]) == (zhang, montufar, serra)
    assert v["zaslavsky"] is None                       # more than one hidden layer
    assert upper_bounds(arch) == {"zhang2018": zhang, "montufar2017": montufar,
                                  "serra2018": serra}


def test_ten_layer_value_is_six_to_the_tenth():
    assert evaluate_bound("zhang2018", [1] + [5] * 10 + [1]) == 6 ** 10 == 60_466_176


@pytest.mark.parametrize("arch, m14, s18", [
    # Montúfar 2014: floor(3/1)^1 * (1 + 3) = 12, the issue's "d=1 construction with widths
    # (3,3) has at least 12 regions". Serra 2018: (3+1)^1 * (1+3) = 16 = Π(n_l + 1).
    ((1, 3, 3, 1), 12, 16),
    # floor(4/2)^2 * (1 + 4 + 6) = 44; 4 < 3*2 so Serra's lower bound does not apply.
    ((2, 4, 4, 1), 44, None),
    # floor(6/2)^2 * (1 + 6 + 15) = 9 * 22 = 198; (3 + 1)^2 * 22 = 352.
    ((2, 6, 6, 1), 198, 352),
    # one hidden layer: both are Zaslavsky's count 1 + 7 + 21 = 29 (n=7 >= 3d=6).
    ((2, 7, 1), 29, 29),
    # n2 = 1 < d = 2: neither applies.
    ((2, 4, 1, 1), None, None),
])
def test_lower_bound_values(arch, m14, s18):
    v = values(arch)
    assert (v["montufar2014_lower"], v["serra2018_lower"]) == (m14, s18)
    b = all_bounds(arch)
    assert b["montufar2014_lower"].applicable == (m14 is not None)
    assert b["serra2018_lower"].applicable == (s18 is not None)


def test_lower_hypothesis_includes_last_layer():
    # Serra et al.: "n_l >= 3 n_0 for all l" -- the last hidden layer too.
    b = serra2018_lower((2, 6, 5, 1))
    assert not b.applicable and b.value is None
    assert "n2 = 5 < 3d = 6" in b.hypotheses
    assert "n1" not in b.hypotheses.split("fails:")[1]
    # Montúfar et al.: n_i >= n_0 for every i in [L], the last one included.
    b = montufar2014_lower((3, 4, 2, 1))
    assert not b.applicable and "n2 = 2 < d = 3" in b.hypotheses


def test_zaslavsky_applicability_and_value():
    assert zaslavsky((2, 5, 3)).value == 1 + 5 + 10
    assert zaslavsky((4, 3, 1)).value == 2 ** 3          # n <= d: every pattern occurs
    b = zaslavsky((2, 2, 2, 1))
    assert not b.applicable and b.value is None and b.expression is None
    assert "L = 2" in b.hypotheses


def test_zhang_reported_for_narrow_layers_with_explanation():
    b = zhang2018((3, 2, 5, 1))
    assert b.applicable
    assert b.value == 2 ** 2 * (1 + 5 + 10 + 10)         # n1 = 2 < d: factor 2^2
    assert "n1 = 2 < d = 3" in b.hypotheses and "montufar2017" in b.hypotheses
    assert zhang2018((2, 2, 2, 1)).hypotheses.endswith("holds")


def test_bound_record_fields():
    bs = all_bounds("2,4,4,1")
    assert tuple(bs) == BOUND_NAMES
    for name, b in bs.items():
        assert isinstance(b, Bound) and b.name == name
        assert b.kind == ("lower" if name.endswith("_lower") else "upper")
        assert b.reference and b.hypotheses
        assert b.applicable == (b.value is not None)
        assert b.value is None or type(b.value) is int
    with pytest.raises(Exception):
        bs["zhang2018"].value = 0                         # frozen


def test_serra_is_fast_on_deep_wide_nets():
    # 60 layers of width 200, d = 20: enumerating J is hopeless (21^60 boxes); the DP is not.
    widths = (200,) * 60
    v = serra2018((20, *widths, 1)).value
    assert v <= montufar2017((20, *widths, 1)).value
    # with every n_l - j_l >= d the bottleneck never binds: Serra = Montúfar = Zhang
    assert v == zaslavsky_count(200, 20) ** 60


# ----------------------------------------------------------------------------------
# Properties (Hypothesis, small architectures)
# ----------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(small_arch)
def test_serra_dp_equals_bruteforce(arch):
    assert serra2018(arch).value == serra_bruteforce(arch[0], tuple(arch[1:-1]))


@settings(max_examples=150, deadline=None)
@given(small_arch)
def test_upper_bounds_are_ordered(arch):
    # J ⊆ Π_l {0..d_l} gives serra <= montufar2017; d_l <= d gives montufar2017 <= zhang.
    v = values(arch)
    assert v["serra2018"] <= v["montufar2017"] <= v["zhang2018"]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(1, 12), st.integers(1, 3))
def test_one_hidden_layer_all_upper_bounds_agree(d, n, p):
    # True for every n, not only n >= d: for n < d all four are 2^n.
    v = values((d, n, p))
    assert v["zaslavsky"] == v["zhang2018"] == v["montufar2017"] == v["serra2018"] \
        == zaslavsky_count(n, d)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(2, 7), min_size=1, max_size=5))
def test_input_dimension_one(widths):
    # d = 1, n_l >= 2: the bottleneck m_l = min(1, n_l - j_l) stays 1, so Serra's sum
    # factorises to Π(n_l + 1); so do Zhang's and Montúfar's products.
    v = values((1, *widths, 1))
    assert v["serra2018"] == v["montufar2017"] == v["zhang2018"] == math.prod(n + 1 for n in widths)
    if all(n >= 3 for n in widths):                      # Serra et al.: then it is exact
        assert v["serra2018_lower"] == v["serra2018"]


@settings(max_examples=150, deadline=None)
@given(small_arch.filter(lambda a: min(a[1:-1]) >= a[0]))
def test_lower_bounds_below_upper_bounds(arch):
    v = values(arch)
    assert v["montufar2014_lower"] is not None
    assert v["montufar2014_lower"] <= v["serra2018"]
    if min(arch[1:-1]) >= 3 * arch[0]:
        assert v["montufar2014_lower"] <= v["serra2018_lower"] <= v["serra2018"]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2), st.lists(st.integers(6, 9), min_size=1, max_size=3))
def test_serra_lower_applies_and_is_below_upper(d, widths):
    v = values((d, *widths, 1))
    assert v["serra2018_lower"] is not None
    assert v["montufar2014_lower"] <= v["serra2018_lower"] <= v["serra2018"]


@settings(max_examples=120, deadline=None)
@given(small_arch)
def test_expressions_evaluate_to_values(arch):
    for name, b in all_bounds(arch).items():
        if b.expression is None:
            continue
        exact = evaluate_expression(b.expression, arch)
        if b.applicable:
            assert exact == b.value, name
        assert evaluate_bound(b.expression, arch) == exact


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.lists(st.integers(1, 4), min_size=1, max_size=2))
def test_expressions_against_sympy_doit(d, widths):
    # An independent evaluator for the single-level sums: substitute, then sympy's doit
    # (after substitution every limit is a number, where sympy sums term by term).
    # Serra's nested sum is excluded: sympy's doit gets it wrong (see the module docstring).
    arch = (d, *widths, 1)
    dd, ns = bound_symbols(len(widths))
    sub = {dd: d, **dict(zip(ns, widths))}
    for name, b in all_bounds(arch).items():
        if b.expression is None or name == "serra2018":
            continue
        assert sp.Integer(evaluate_expression(b.expression, arch)) == b.expression.subs(sub).doit()


def test_symbols_are_shared():
    d, ns = bound_symbols(2)
    e = zhang2018((2, 3, 3, 1)).expression
    assert e.free_symbols == {d, *ns}
    assert bound_expression("Sum(binomial(n1, i), (i, 0, d))", 2).free_symbols == {d, ns[0]}


# ----------------------------------------------------------------------------------
# Architecture validation
# ----------------------------------------------------------------------------------

def test_architecture_parsing():
    assert architecture(" 2, 4 ,4,1") == Architecture(2, (4, 4), 1)
    assert architecture((1, 2, 3)).L == 1 and str(architecture([1, 2, 3])) == "1,2,3"


@pytest.mark.parametrize("bad, fragment", [
    ("2,1", "at least 3 numbers"),
    ((2, 4), "at least 3 numbers"),
    ("2,0,1", "0 is not positive"),
    ("2,-3,1", "-3 is not positive"),
    ("2,4.0,1", "'4.0' is not an integer"),
    ("2,,1", "'' is not an integer"),
    ((2, 4.0, 1), "4.0 is not an integer"),
    ((2, True, 1), "True is not an integer"),
    (5, "not a sequence"),
])
def test_bad_architectures(bad, fragment):
    with pytest.raises(InputError, match="architecture") as e:
        all_bounds(bad)
    assert fragment in str(e.value)


# ----------------------------------------------------------------------------------
# User formulas
# ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, arch, expected", [
    ("1 + n1 + n2", (1, 3, 3, 1), 7),
    ("Sum(binomial(n1, j), (j, 0, d))", (2, 5, 1), 16),       # 1 + 5 + 10
    ("Sum(binomial(n, j), (j, 0, d))", (2, 5, 1), 16),        # n = n1 when L = 1
    ("Product(n1 + 1, (k, 1, d))", (3, 2, 1), 27),            # 3^3
    ("(floor(n1/d) + 1)^d * Sum(binomial(n2, j), (j, 0, d))", (2, 6, 6, 1), 352),
    ("Max(n1, n2) - Min(d, n1) + factorial(3)", (2, 3, 5, 1), 5 - 2 + 6),
    ("2**d * n1/2", (3, 3, 1), 12),
    ("Sum(Sum(binomial(n1, j1)*binomial(n2, j2), (j2, 0, Min(d, n1 - j1, n2))), "
     "(j1, 0, Min(d, n1)))", (2, 2, 2, 1), 11),               # Serra written by hand
    ("Sum(1, (j, 3, 1))", (2, 2, 1), 0),                      # empty range
])
def test_user_formulas(text, arch, expected):
    assert evaluate_bound(text, arch) == expected


def test_named_bound_through_evaluate_bound():
    assert evaluate_bound("serra2018", "3,4,4,4,1") == 1631
    assert evaluate_bound(" montufar2014_lower ", "1,3,3,1") == 12
    with pytest.raises(InputError, match="zaslavsky is not applicable.*L = 2"):
        evaluate_bound("zaslavsky", "2,2,2,1")


def test_nested_serra_formula_equals_named_expression():
    arch = (3, 4, 4, 4, 1)
    e = serra2018(arch).expression
    assert evaluate_bound(e, arch) == evaluate_bound(str(e), arch) == 1631


@pytest.mark.parametrize("text, fragment", [
    ("__import__('os')", "'__import__'"),
    ("__import__('os').system('true')", "attribute access"),
    ("d.__class__", "attribute access '.__class__'"),
    ("x + d", "unknown symbol 'x'"),
    ("n + d", "unknown symbol 'n'"),                          # n is only for L = 1
    ("n3 + 1", "unknown symbol 'n3'"),
    ("1.5*d", "floating-point number 1.5"),
    ("1e3 + d", "floating-point number 1e3"),
    ("sqrt(d)", "unknown function 'sqrt'"),
    ("binomial(n1)", "binomial() takes 2 arguments"),
    ("Sum(j, (d, 0, 3))", "limits must be (index, lower, upper)"),
    ("Sum(j, j)", "limits must be"),
    ("j + d", "index j is used outside"),
    ("d // 2", "operator //"),
    ("d if n1 else 2", "IfExp"),
    ("[d for d in n1]", "ListComp"),
    ("lambda: 1", "Lambda"),
    ("'abc'", "constant 'abc'"),
    ("True + d", "constant True"),
    ("d +", "cannot parse"),
    ("", "empty"),
    ("binomial", "binomial is a function"),
    ("Min(*(d, n1))", "*args"),
])
def test_rejected_formulas(text, fragment):
    with pytest.raises(InputError) as e:
        bound_expression(text, 2)
    assert fragment in str(e.value)


def test_non_integer_value_rejected():
    with pytest.raises(InputError, match="3/2, not an integer"):
        evaluate_bound("d/2", (3, 1, 1))
    with pytest.raises(InputError, match="unknown symbol 'x'"):
        evaluate_bound(sp.Symbol("x") + 1, (3, 1, 1))


def test_huge_numbers_refused_not_computed():
    e = bound_expression("2**2**100 + d", 1)                  # parsed, not evaluated
    assert isinstance(e, sp.Expr)
    with pytest.raises(InputError, match="bits"):
        evaluate_bound(e, (1, 1, 1))
    with pytest.raises(InputError, match="too expensive"):
        evaluate_bound("Sum(1, (i, 1, 10**9))", (1, 1, 1))
    with pytest.raises(InputError, match="too expensive"):
        evaluate_bound("Sum(Sum(1, (i, 1, 1000)), (j, 1, 1000))", (1, 1, 1))
    with pytest.raises(InputError, match="factorial"):
        evaluate_bound("factorial(10**9)", (1, 1, 1))


# ----------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_reference_values(capsys):
    code, out, _ = run(capsys, "bounds", "--arch", "2,2,2,1", "--json")
    assert code == 0
    obj = json.loads(out)
    assert obj == {"architecture": [2, 2, 2, 1],
                   "bounds": {"zaslavsky": None, "zhang2018": 16, "montufar2017": 16,
                              "serra2018": 11, "montufar2014_lower": 4,   # floor(2/2)^2*4
                              "serra2018_lower": None}}
    assert out.count("\n") == 1                           # exactly one JSON object


def test_cli_json_symbolic(capsys):
    code, out, _ = run(capsys, "bounds", "--arch", "2,3,3,1", "--json", "--symbolic")
    assert code == 0
    obj = json.loads(out)
    assert list(obj["bounds"]) == list(BOUND_NAMES) == list(obj["symbolic"]) \
        == list(obj["hypotheses"])
    assert obj["symbolic"]["zaslavsky"] is None
    for name, text in obj["symbolic"].items():
        if text is not None and obj["bounds"][name] is not None:
            assert evaluate_bound(text, obj["architecture"]) == obj["bounds"][name]
    assert obj["bounds"]["serra2018"] == 40
    assert "fails" in obj["hypotheses"]["serra2018_lower"]


def test_cli_table(capsys):
    code, out, _ = run(capsys, "bounds", "--arch", "1,3,3,1", "--symbolic")
    assert code == 0
    lines = out.splitlines()
    row = next(line for line in lines if line.strip().startswith("serra2018 "))
    assert row.split()[:3] == ["serra2018", "upper", "16"]
    assert any(line.split()[:3] == ["zaslavsky", "upper", "n/a"] for line in lines)
    assert "Theorem 6.3" in out and "floor(n1/d)" in out


@pytest.mark.parametrize("arch", ["2,1", "2,x,1", "0,3,1", "2,3.5,1"])
def test_cli_bad_arch_exits_2(capsys, arch):
    code, out, err = run(capsys, "bounds", "--arch", arch, "--json")
    assert code == 2 and out == ""
    assert "architecture" in err and err.count("\n") == 1


def test_bounds_pickle_with_their_formulas():
    # regression: formulas became lambdas when they were made lazy, and Bound stopped
    # pickling (workers and Dask return results by pickling)
    import pickle

    for name, b in all_bounds((2, 3, 3, 1)).items():
        c = pickle.loads(pickle.dumps(b))
        assert (c.value, c.applicable, c.hypotheses) == (b.value, b.applicable, b.hypotheses)
        assert c.expression == b.expression, name


# -- regressions: huge numbers in messages and outputs --------------------------------

def _one_short_line(message: str, most: int = 400) -> None:
    assert "\n" not in message.strip() and len(message) <= most, message[:500]


@pytest.mark.parametrize("formula", ["n1**n1**n1**n1**n1**n1", "2^3^4^5", "2**(10**5000)"])
def test_regression_bound_power_message_with_huge_bit_count_was_a_valueerror(formula, tmp_path, capsys):
    # the refusal of a huge power formatted its bit count with str(): beyond 4,300
    # digits that raised ValueError; "2^3^4^5" printed a message of 490 digits
    with pytest.raises(InputError, match=r"power in the bound formula has about <a number of about "
                                         r"\d+ digits> bits") as e:
        evaluate_bound(formula, "1,2,1")
    _one_short_line(str(e.value))
    code = main(["search", "--arch", "1,2,1", "--bound", formula, "--budget", "3", "--workers", "1",
                 "--quiet", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("tropexact: error: ") and "Traceback" not in err
    _one_short_line(err)


@pytest.mark.parametrize("formula, message", [
    ("factorial(3*10**4999)", r"factorial\(<a number of about 5000 digits>\) is out of range"),
    ("binomial(10**5000, 10**4000)", r"binomial\(<a number of about 5001 digits>, <a number of about "
                                     r"4001 digits>\) is too large"),
    ("Sum(j, (j, 0, 10**5000))", r"j runs over <a number of about 5001 digits> values"),
    ("(2**2**2**2**2)/3", r"is <a number of about 19730 digits>, not an integer"),
    ("binomial(10**5000/3, 2)", r"binomial's n must be an integer, got <a number of about \d+ digits>"),
    ("1" * 5000, r"cannot parse \(an integer of more than 4300 digits\)"),
    ("x" * 3000, r"unknown bound 'x+'\.\.\.\(3000 characters\)"),
])
def test_regression_bound_messages_showed_huge_numbers_in_full(formula, message):
    # every number in a formula's error message is shortened: str() of an int beyond
    # 4,300 digits raises ValueError, and shorter ones made messages thousands of digits long
    with pytest.raises(InputError, match=message) as e:
        evaluate_bound(formula, "1,2,1")
    _one_short_line(str(e.value))


def test_regression_deeply_nested_bound_formula_was_a_recursionerror():
    # "1+1+...+1" nests once per term: 500 terms raised RecursionError while checking
    for terms in (150, 500, 3000):
        with pytest.raises(InputError, match="nested deeper than 100 levels") as e:
            evaluate_bound("+".join(["1"] * terms), "1,2,1")
        _one_short_line(str(e.value))
    assert evaluate_bound("+".join(["1"] * 90), "1,2,1") == 90
    assert evaluate_bound("(" * 90 + "n1" + ")" * 90, "1,2,1") == 2


def test_regression_bounds_command_printed_huge_values_with_str(capsys):
    # the table and the JSON printed bound values with str()/json.dumps, which refuse
    # integers beyond 4,300 digits: n = 10^4000 - 1 in d = 2 gives 1 + n + C(n, 2), 8,000 digits
    import sys

    n = 10 ** 4000 - 1
    expected = 1 + n + n * (n - 1) // 2
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        n_text, expected_text = str(n), str(expected)
    finally:
        sys.set_int_max_str_digits(limit)
    code, out, err = run(capsys, "bounds", "--arch", f"2,{n_text},1")
    assert code == 0 and err == ""
    row = next(line.split() for line in out.splitlines() if line.split()[:1] == ["zaslavsky"])
    assert row[2] == expected_text and len(expected_text) > 7900
    code, out, err = run(capsys, "bounds", "--arch", f"2,{n_text},1", "--json")
    assert code == 0 and err == ""
    sys.set_int_max_str_digits(0)
    try:
        data = json.loads(out)
    finally:
        sys.set_int_max_str_digits(limit)
    assert data["bounds"]["zaslavsky"] == expected and data["architecture"] == [2, n, 1]
    assert sys.get_int_max_str_digits() == limit


@pytest.mark.parametrize("arch", ["1," + "9" * 5000 + ",1", "1," + "0" * 4300 + "1,1", (1, 10 ** 5000, 1)])
def test_regression_architecture_with_huge_number_was_a_valueerror(arch, capsys):
    # int() of a text of more than 4,300 digits raised ValueError; a sequence holding
    # such an int gave an Architecture that str() could not print
    with pytest.raises(InputError, match=r"a number of (more than )?\d+ digits") as e:
        architecture(arch)
    _one_short_line(str(e.value), 300)
    if isinstance(arch, str):
        code, out, err = run(capsys, "bounds", "--arch", arch)
        assert code == 2 and out == "" and err.startswith("tropexact: error: --arch: architecture ")
        _one_short_line(err, 300)
