"""One exception root: what the library raises on bad input, and how it names the culprit.

Regressions from the architecture issue: errors that escaped the hierarchy
(ValueError, NotImplementedError, AssertionError, RuntimeError) and library
messages that named command-line flags.
"""

from __future__ import annotations

import inspect

import pytest

import tropexact.errors as errors
from tropexact.errors import BudgetExceeded, InputError, OutputExists, TropexactError
from tropexact.experiments.parallel import task_mapper
from tropexact.experiments.search import SearchSpec
from tropexact.networks.domain import Domain
from tropexact.networks.files import write_atomic
from tropexact.networks.model import network
from tropexact.polyhedra.quickhull import lifted_facets
from tropexact.regions import activation_regions
from tropexact.tropical.polynomial import TropicalPolynomial


def test_every_error_class_derives_from_the_root():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)
               if issubclass(c, Exception) and c.__module__ == errors.__name__]
    assert len(classes) == 6 and all(issubclass(c, TropexactError) for c in classes)


def test_argmax_of_the_zero_polynomial_is_an_input_error():
    # was: ValueError from max() of an empty list, while __call__ raised InputError
    zero = TropicalPolynomial.zero(2)
    for f in (zero.argmax, zero):
        with pytest.raises(InputError, match="tropical zero"):
            f([0, 0])


def test_argmax_checks_the_point_like_call():
    f = TropicalPolynomial({(0,): 0, (1,): 0})
    with pytest.raises(InputError, match="2 coordinates, expected 1"):
        f.argmax([1, 2])
    with pytest.raises(InputError, match="binary float"):
        f.argmax([0.5])


def test_volume_of_a_polytope_domain_is_an_input_error():
    # was: NotImplementedError
    D = Domain.polytope([(0, (1, 0)), (0, (0, 1)), (1, (-1, -1))])
    with pytest.raises(InputError, match="box domains only"):
        D.volume()


def test_quickhull_refuses_points_of_mixed_dimension():
    # was: ValueError
    with pytest.raises(InputError, match="same dimension"):
        lifted_facets([(0, 0), (1, 2, 3)])


@pytest.mark.parametrize("call, param", [
    (lambda: SearchSpec(arch=(1, 2, 1), lo=0, hi=1, budget=0), "budget"),
    (lambda: SearchSpec(arch=(1, 2), lo=0, hi=1, budget=1), "arch"),
    (lambda: SearchSpec(arch=(1, 2, 1), lo=2, hi=1, budget=1), "lo"),
    (lambda: task_mapper(abs, workers=0), "workers"),
])
def test_library_messages_name_the_parameter_not_a_flag(call, param):
    with pytest.raises(InputError) as e:
        call()
    assert e.value.param == param and str(e.value).startswith(f"{param}: ")
    assert "--" not in str(e.value)


def test_region_budget_names_its_parameter():
    net = network(1, [{"weight": [[1], [1], [1]], "bias": [0, -1, -2], "activation": "relu"}])
    with pytest.raises(BudgetExceeded) as e:
        activation_regions(net, max_regions=2)
    assert e.value.param == "max_regions" and "--" not in str(e.value)


def test_output_exists_is_an_input_error_and_keeps_the_file(tmp_path):
    p = tmp_path / "out.json"
    p.write_text("keep")
    with pytest.raises(OutputExists, match="exists; refusing to overwrite"):
        write_atomic(p, "new")
    assert p.read_text() == "keep" and issubclass(OutputExists, InputError)


def test_located_errors_keep_their_kind_and_parameter():
    e = BudgetExceeded("more than 3 regions", param="max_regions").at("net.json")
    assert type(e) is BudgetExceeded and str(e) == "net.json: max_regions: more than 3 regions"
    assert e.render("--max-regions") == "net.json: --max-regions: more than 3 regions"


def test_write_atomic_leaves_no_temporary_file_when_the_writer_fails(tmp_path):
    # regression: only OSError cleaned up; a figure's savefig raising anything else (or an
    # interrupt) left FILE.tmp-PID behind
    p = tmp_path / "fig.png"

    def broken(tmp):
        open(tmp, "w").write("half")
        raise RuntimeError("the drawing failed")

    with pytest.raises(RuntimeError):
        write_atomic(p, broken)
    assert list(tmp_path.iterdir()) == []


def test_old_batch_records_are_read_with_the_status_they_meant():
    # regression: resuming a verify --random run written before statuses existed failed
    from tropexact.verify.check import Check, Status

    old = [{"name": "zonotopes", "passed": True, "detail": "not applicable: two hidden layers"},
           {"name": "bounds", "passed": True, "detail": "7 <= 9"},
           {"name": "identity", "passed": False, "detail": "FAILS: ..."}]
    got = [Check.from_dict(r) for r in old]
    assert [c.status for c in got] == [Status.NOT_APPLICABLE, Status.PASS, Status.FAIL]
    assert got[0].detail == "two hidden layers" and not got[0].passed
