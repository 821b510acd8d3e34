"""The layout keeps its promises: imports point down the layers, no cycles, engines stay put.

docs/architecture.md draws the layers; this test reads every ``import`` of the
package (module-level and inside functions, not those under
``if TYPE_CHECKING:``, which do not run) and fails on

* an import of a layer that the importing layer may not use (``ALLOWED``);
* any cycle among the modules (including the packages' ``__init__`` that an
  import of a submodule runs first);
* a third-party engine imported outside its home (``cdd`` only in
  ``polyhedra/_cdd.py``, matplotlib only in ``plot`` and only inside
  functions, ...);
* the independent checker importing anything but the standard library;
* a module over 600 lines or a function with more than 80 lines of code
  (docstring excluded), unless it is listed in ``SIZE_EXCEPTIONS`` with why.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "tropexact"

#: layer -> the layers it may import (besides itself).  "root" is tropexact/__init__.py
#: and __main__.py; "errors" is tropexact/errors.py.
ALLOWED = {
    "errors": set(),
    "exact": {"errors"},
    "polyhedra": {"exact", "errors"},
    "tropical": {"polyhedra", "exact", "errors"},
    "networks": {"tropical", "polyhedra", "exact", "errors"},
    "regions": {"networks", "tropical", "polyhedra", "exact", "errors"},
    "bounds": {"networks", "exact", "errors"},
    "verify": {"bounds", "regions", "networks", "tropical", "polyhedra", "exact", "errors"},
    "experiments": {"verify", "bounds", "regions", "networks", "tropical", "polyhedra", "exact",
                    "errors"},
    "plot": {"regions", "networks", "tropical", "polyhedra", "exact", "errors"},
    "cli": {"root", "experiments", "verify", "bounds", "plot", "regions", "networks",
            "tropical", "polyhedra", "exact", "errors"},
    "root": {"cli", "verify", "regions", "networks", "tropical", "exact", "errors"},
}

#: third-party module -> the modules (path prefixes) that may import it, and whether only
#: inside functions (optional extras and heavy engines load when used)
ENGINES = {
    "cdd": (("polyhedra/_cdd.py",), False),
    "matplotlib": (("plot/",), True),
    "torch": (("networks/convert/",), True),
    "onnx": (("networks/convert/",), True),
    "numpy": (("networks/convert/",), True),
    "distributed": (("experiments/parallel.py",), True),
    "dask": (("experiments/parallel.py",), True),
    "tqdm": (("cli/progress.py",), True),
    "sympy": (("bounds/record.py", "bounds/published.py", "bounds/lower.py", "bounds/formula.py",
               "bounds/maxout.py",
               "tropical/polynomial.py"), False),
}

#: modules and functions allowed over the size limits, with the reason (docs/architecture.md)
SIZE_EXCEPTIONS = {
    "verify/checker.py": "the independent checker is one standard-library file on purpose: "
                         "it can be read, audited and copied alone",
}
MAX_MODULE_LINES = 600
MAX_FUNCTION_CODE_LINES = 80


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers of statements under ``if TYPE_CHECKING:`` (typing only, never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for sub in node.body:
                lines.update(range(sub.lineno, sub.end_lineno + 1))
    return lines


def _imports(name: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every runtime import of *name*."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = name if _is_package(name) else name.rpartition(".")[0]
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(range(node.lineno, node.end_lineno + 1))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, node.lineno in in_function) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for a in node.names:  # `from pkg import module` imports the module
                full = f"{base}.{a.name}"
                target = full if full in MODULES else base
                out.append((target, node.lineno, node.lineno in in_function))
    return out


def _layer(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "root"
    return parts[1]


def _rel(name: str) -> str:
    return str(MODULES[name].relative_to(PKG))


def test_every_import_points_down_the_layers():
    bad = []
    for name in MODULES:
        src = _layer(name)
        for target, line, _ in _imports(name):
            if not target.startswith("tropexact"):
                continue
            dst = _layer(target)
            if dst != src and dst not in ALLOWED[src]:
                bad.append(f"{_rel(name)}:{line}: {src} imports {target} ({dst})")
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


def _graph() -> nx.DiGraph:
    """Module -> module edges; importing a.b.c first runs the packages a and a.b."""
    G = nx.DiGraph()
    G.add_nodes_from(MODULES)
    for name in MODULES:
        own = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 2)}
        for target, _, _ in _imports(name):
            if target not in MODULES:
                continue
            parts = target.split(".")
            for k in range(1, len(parts) + 1):
                mod = ".".join(parts[:k])
                if mod in MODULES and mod not in own and mod != name:
                    G.add_edge(name, mod)
    return G


def test_no_import_cycles():
    cycles = list(nx.simple_cycles(_graph()))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + c[:1]) for c in cycles[:10])


def test_third_party_engines_stay_home():
    bad = []
    for name in MODULES:
        rel = _rel(name)
        for target, line, in_func in _imports(name):
            top = target.split(".")[0]
            if top not in ENGINES:
                continue
            homes, lazy = ENGINES[top]
            if not rel.startswith(homes):
                bad.append(f"{rel}:{line}: imports {target} (only {', '.join(homes)})")
            elif lazy and not in_func:
                bad.append(f"{rel}:{line}: imports {target} at module level (load it when used)")
    assert not bad, "\n".join(bad)


def test_the_checker_imports_only_the_standard_library():
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    found = {t.split(".")[0] for t, _, _ in _imports("tropexact.verify.checker")}
    assert found <= stdlib, f"checker imports {sorted(found - stdlib)}"


def test_the_layer_table_names_every_subpackage():
    layers = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert layers | {"errors", "root"} == set(ALLOWED)


def _function_lengths(path: Path) -> list[tuple[int, int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = 0
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None),
                                                          ast.Constant) \
                    and isinstance(first.value.value, str):
                doc = first.end_lineno - first.lineno + 1
            out.append((node.end_lineno - node.lineno + 1 - doc, node.lineno, node.name))
    return out


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_and_functions_stay_small(name):
    rel = _rel(name)
    if rel in SIZE_EXCEPTIONS:
        return
    path = MODULES[name]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{rel} has {lines} lines"
    long = [f"{rel}:{line} {fn} ({n} lines of code)" for n, line, fn in _function_lengths(path)
            if n > MAX_FUNCTION_CODE_LINES]
    assert not long, "\n".join(long)


def test_the_architecture_document_lists_every_subpackage():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for layer in ALLOWED:
        if layer != "root":
            assert f"`{layer}" in text, f"docs/architecture.md does not describe {layer}"


def test_the_rules_catch_a_violation(tmp_path, monkeypatch):
    # a lower layer importing a higher one is reported (the test can fail)
    fake = PKG / "exact" / "_tmp_violation_probe.py"
    assert not fake.exists()
    tree_src = "from tropexact.cli.main import main\n"
    monkeypatch.setitem(MODULES, "tropexact.exact._tmp_violation_probe", tmp_path / "p.py")
    (tmp_path / "p.py").write_text(tree_src)
    monkeypatch.setattr(sys.modules[__name__], "_rel", lambda name: str(MODULES[name]))
    with pytest.raises(AssertionError, match="exact imports tropexact.cli.main"):
        test_every_import_points_down_the_layers()
