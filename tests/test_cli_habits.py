"""The command line's habits: --help with examples everywhere, --version, python -m,
suggestions for typos, negative values without '=', and the docs it points to.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys

import pytest

from tropexact import __version__, cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _subcommands() -> list[str]:
    return cli.build_parser()._subcommands()


def test_every_subcommand_has_help_with_runnable_looking_examples(capsys):
    subs = _subcommands()
    assert {"tropicalize", "regions", "verify", "check", "bounds", "search", "convert",
            "plot"} <= set(subs)
    for sub in subs:
        with pytest.raises(SystemExit) as e:
            cli.main([sub, "--help"])
        assert e.value.code == 0
        text = capsys.readouterr().out
        assert "examples:" in text, sub
        # every example line names this very subcommand
        examples = text.split("examples:", 1)[1]
        assert re.search(rf"^\s+tropexact {sub}\b", examples, re.M), sub
        assert "--json" in text, sub


def test_version_and_python_dash_m():
    p = subprocess.run([sys.executable, "-m", "tropexact", "--version"], capture_output=True,
                       text=True, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.strip() == f"tropexact {__version__}"
    p = subprocess.run([sys.executable, "-m", "tropexact", "bounds", "--arch", "2,2,1",
                        "--json"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0 and '"zaslavsky": 4' in p.stdout  # 1 + 2 + C(2,2) lines in Q^2


@pytest.mark.parametrize("argv, hint", [
    (["regoins", "x.json"], "did you mean 'regions'"),
    (["regions", "x.json", "--jsno"], "did you mean '--json'"),
    (["search", "--arch", "1,2,1", "--objective", "linear"], "did you mean 'linear_regions'"),
    (["bounds", "--arch", "2,2,1", "--symbolc"], "did you mean '--symbolic'"),
])
def test_typos_get_a_suggestion(capsys, argv, hint):
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert e.value.code == 2
    assert hint in capsys.readouterr().err


def test_negative_values_need_no_equals_sign(capsys):
    # '-3,3' and '-1:0,e1,e2' start with a minus and a digit: values, not options
    assert cli.main(["regions", f"{ROOT}/data/networks/zhang2018_example_c2.json", "--domain",
                     "box:-3,3", "--json", "--quiet", "--no-tropical"]) == 0
    capsys.readouterr()
    args = cli.build_parser().parse_args(["plot", "n.json", "-o", "f.png", "--window",
                                          "-3,3,-1,1", "--slice", "-1:0:0,e1,e2"])
    assert args.window == "-3,3,-1,1" and args.slice == "-1:0:0,e1,e2"


def test_tutorial_examples_run():
    # docs/tutorial.md's Python session (the erratum: four terms of F tie at (1, 0))
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        r = doctest.testfile(os.path.join(ROOT, "docs", "tutorial.md"), module_relative=False,
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    finally:
        os.chdir(cwd)
    assert r.attempted >= 4 and r.failed == 0


def test_figures_shown_in_the_docs_are_committed():
    for doc in ("README.md", "docs/tutorial.md"):
        text = open(os.path.join(ROOT, doc), encoding="utf-8").read()
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
        assert len(images) >= 2, doc
        for img in images:
            path = os.path.join(ROOT, os.path.dirname(doc), img)
            with open(path, "rb") as fh:
                assert fh.read(8) == b"\x89PNG\r\n\x1a\n", path


@pytest.mark.skipif(not os.environ.get("TROPEXACT_REQUIRE_EXTRAS"),
                    reason="only where the extras must be installed (make test sets it)")
def test_the_extras_are_installed_so_their_tests_run():
    # tests of convert/plot use importorskip; under `make test` a missing extra
    # must fail loudly instead of skipping those tests
    import importlib

    for mod in ("torch", "onnx", "numpy", "matplotlib", "tqdm"):
        importlib.import_module(mod)
