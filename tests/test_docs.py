"""The documentation runs as written: every code block of README.md and docs/*.md.

What runs, and how (docs/design.md §6 is the contract the commands rely on):

* ```python blocks are executed in document order, in one fresh namespace per
  file, so a block may use the names of earlier blocks of the same file.  A
  block whose first line starts with ``>>>`` is a doctest: its shown outputs
  are compared (NORMALIZE_WHITESPACE, ELLIPSIS).
* ```sh and ```bash blocks: every line is a command (a trailing backslash
  continues it; comments are stripped; blank lines skipped).  ```console
  blocks: the lines starting with ``$ `` are commands, and the lines after
  one, up to the next, are its output.  Every shown output line must occur in
  the real output, whitespace-normalised; ``...`` matches anything and a time
  such as ``0.00 s`` matches any time.
* A command runs through bash (``pipefail``): ``tropexact`` is
  ``python -m tropexact`` and ``python`` is this interpreter, with this
  checkout's package first on the path.  It must exit 0, or 1 when its
  comment starts with ``exit status 1`` (a documented failing check).
  ``make TARGET`` lines are not run; TARGET must be a target of the Makefile.
* Everything of one file runs in a scratch directory holding a copy of
  ``data/`` and ``bench/data/``, so relative paths read as from the repository root, and nothing
  is written into the repository (checked).
* Files a command takes as given that cannot live in the repository (the
  PyTorch model ``model.pt``, its ONNX export ``model.onnx``, ``state_dict.pt``,
  ``weights.npz``) are built in the scratch directory the way docs/import.md
  makes them (:data:`MODEL_FILES`) before the first command that names them.
* Blocks without a language are sample output and are not run; ```json
  blocks are data (one that is a network document must load).
* Exceptions, marked by an HTML comment on the line before the block (or a
  blank line apart): ``<!-- not run: REASON -->`` (never run) and
  ``<!-- slow: REASON -->`` (run only with ``-m slow``, e.g. ``make test-all``).
  Both need a reason; :func:`test_exceptions_are_rare` keeps them few.
* A block that needs an optional extra that is not installed (torch, onnx,
  numpy, matplotlib) is skipped with a warning, or fails under
  ``TROPEXACT_REQUIRE_EXTRAS=1`` (``make test``).

The other tests check the references: no "DESIGN §n" is left, every link to
docs/design.md names one of its sections, every relative link resolves, and
every ``tropexact/...`` path and ``tropexact.x.y`` name in the prose exists.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN_LANGS = {"python", "sh", "bash", "console"}
REQUIRE_EXTRAS = os.environ.get("TROPEXACT_REQUIRE_EXTRAS") == "1"
COMMAND_TIMEOUT = 600
MAX_EXCEPTIONS = 3

_MARKER = re.compile(r"<!--\s*(not run|slow)\s*:\s*(.*?)\s*-->")
_FENCE = re.compile(r"^(\s*)(`{3,})\s*([\w+-]*)\s*$")


# --------------------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------------------

@dataclass
class Block:
    """One fenced code block of a markdown file."""

    path: Path
    line: int            # 1-based line of the opening fence
    lang: str
    text: str
    marker: tuple | None = None   # ("not run" | "slow", reason)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of *path*, with the exception marker right before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        body = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^\s*{fence}\s*$", lines[j]):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j])
            j += 1
        k = i - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        mk = _MARKER.search(lines[k]) if k >= 0 else None
        marker = (mk.group(1), mk.group(2)) if mk else None
        out.append(Block(path, i + 1, lang, "\n".join(body) + "\n", marker))
        i = j + 1
    return out


def strip_comment(line: str) -> tuple[str, str]:
    """(command, comment): split at the first ``#`` outside quotes that starts a word."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


@dataclass
class Command:
    text: str
    comment: str
    line: int                      # 1-based line in the markdown file
    output: list = field(default_factory=list)   # console blocks: the shown output

    @property
    def expected_status(self) -> int:
        return 1 if self.comment.lower().startswith("exit status 1") else 0


def commands(block: Block) -> list[Command]:
    """The commands of a sh/bash/console block."""
    out: list[Command] = []
    lines = block.text.splitlines()
    if block.lang == "console":
        for n, raw in enumerate(lines):
            if raw.startswith("$ "):
                text, comment = strip_comment(raw[2:])
                out.append(Command(text, comment, block.line + 1 + n))
            elif out and raw.strip():
                out[-1].output.append(raw)
        return out
    pending, start = "", 0
    for n, raw in enumerate(lines):
        text, comment = strip_comment(raw)
        if not pending:
            start = n
        if text.endswith("\\"):
            pending += text[:-1].strip() + " "
            continue
        text = (pending + text.strip()).strip()
        pending = ""
        if text:
            out.append(Command(text, comment, block.line + 1 + start))
    return out


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, re.M))


def make_target(command: str) -> str:
    words = [w for w in command.split()[1:] if "=" not in w and not w.startswith("-")]
    return words[0] if words else "all"


# --------------------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------------------

#: Model files the docs take as given, and the modules needed to build them.
MODEL_FILES = {"model.pt": ("torch",), "model.onnx": ("torch", "onnx"),
               "state_dict.pt": ("torch",), "weights.npz": ("torch", "numpy")}

_BUILD_MODELS = textwrap.dedent("""\
    import numpy as np, torch, torch.nn as nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1))
    torch.save(model, "model.pt")
    torch.save(model.state_dict(), "state_dict.pt")
    torch.onnx.export(model, torch.zeros(1, 2), "model.onnx", dynamo=False)
    W0, b0, W1, b1 = (p.detach().numpy() for p in model.parameters())
    np.savez("weights.npz", W0=W0, b0=b0, W1=W1, b1=b1)
    """)

_EXTRA_IMPORT = re.compile(r"^\s*(?:import|from)\s+(torch|onnx|numpy|matplotlib)\b", re.M)


def missing(modules) -> list[str]:
    return sorted({m for m in modules if importlib.util.find_spec(m) is None})


def needs(block: Block, cmd: Command | None = None) -> set[str]:
    """Optional modules a block (or one of its commands) needs."""
    if cmd is None:
        return set(_EXTRA_IMPORT.findall(block.text))
    out: set[str] = set()
    words = cmd.text.split()
    if "plot" in words:
        out.add("matplotlib")
    for name, mods in MODEL_FILES.items():
        if name in words:
            out.update(mods)
    return out


class Session:
    """The scratch directory and namespace in which one markdown file runs."""

    def __init__(self, tmp: Path) -> None:
        self.dir = tmp / "work"
        shutil.copytree(ROOT / "data", self.dir / "data")
        shutil.copytree(ROOT / "bench" / "data", self.dir / "bench" / "data")
        bindir = tmp / "bin"
        bindir.mkdir()
        for name, line in (("tropexact", f'exec "{sys.executable}" -m tropexact "$@"'),
                           ("python", f'exec "{sys.executable}" "$@"'),
                           ("python3", f'exec "{sys.executable}" "$@"')):
            script = bindir / name
            script.write_text(f"#!/bin/sh\n{line}\n")
            script.chmod(0o755)
        self.env = dict(os.environ)
        self.env["PATH"] = f"{bindir}{os.pathsep}{self.env.get('PATH', '')}"
        self.env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT)] + ([self.env["PYTHONPATH"]] if self.env.get("PYTHONPATH") else []))
        self.env["MPLBACKEND"] = "Agg"
        self.namespace: dict = {"__name__": "__docs__"}
        self.failures: list[str] = []
        self.skipped: list[str] = []

    # -- helpers -------------------------------------------------------------------
    def _extras_ok(self, where: str, modules) -> bool:
        gone = missing(modules)
        if not gone:
            return True
        msg = f"{where}: needs {', '.join(gone)} (not installed)"
        if REQUIRE_EXTRAS:
            self.failures.append(msg + " and TROPEXACT_REQUIRE_EXTRAS=1")
        else:
            self.skipped.append(msg)
        return False

    def _models(self, where: str, cmd: Command) -> bool:
        """Build the model files *cmd* names, if not there yet; False if that failed."""
        words = cmd.text.split()
        if not any(n in words and not (self.dir / n).exists() for n in MODEL_FILES):
            return True
        p = subprocess.run([sys.executable, "-c", _BUILD_MODELS], cwd=self.dir, env=self.env,
                           capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        if p.returncode:
            self.failures.append(f"{where}: building the model files failed\n{p.stderr[-2000:]}")
        return p.returncode == 0

    # -- blocks --------------------------------------------------------------------
    def run(self, block: Block) -> None:
        if block.lang == "python":
            self.run_python(block)
        else:
            self.run_shell(block)

    def run_python(self, block: Block) -> None:
        if not self._extras_ok(block.where, needs(block)):
            return
        old = os.getcwd()
        os.chdir(self.dir)
        try:
            if block.text.lstrip().startswith(">>>"):
                self._doctest(block)
            else:
                code = compile(block.text, block.where, "exec")
                exec(code, self.namespace)
        except Exception:
            self.failures.append(f"{block.where}: python block raised\n"
                                 + traceback.format_exc(limit=-3))
        finally:
            os.chdir(old)

    def _doctest(self, block: Block) -> None:
        test = doctest.DocTestParser().get_doctest(block.text, self.namespace, block.where,
                                                   str(block.path), block.line)
        report = io.StringIO()
        runner = doctest.DocTestRunner(
            optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
        result = runner.run(test, out=report.write, clear_globs=False)
        self.namespace.update(test.globs)
        if result.failed:
            self.failures.append(f"{block.where}: doctest failed\n{report.getvalue()}")

    def run_shell(self, block: Block) -> None:
        targets = None
        for cmd in commands(block):
            where = f"{block.path.relative_to(ROOT)}:{cmd.line}"
            if cmd.text.split()[0] == "make":
                targets = targets or make_targets()
                if make_target(cmd.text) not in targets:
                    self.failures.append(f"{where}: {cmd.text!r}: no such Makefile target")
                continue
            if not self._extras_ok(where, needs(block, cmd)):
                continue
            if not self._models(where, cmd):
                continue
            p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd.text], cwd=self.dir,
                               env=self.env, capture_output=True, text=True,
                               timeout=COMMAND_TIMEOUT)
            if p.returncode != cmd.expected_status:
                self.failures.append(
                    f"{where}: {cmd.text!r} exited {p.returncode}, expected "
                    f"{cmd.expected_status}\n--- stderr:\n{p.stderr[-2000:]}")
                continue
            for shown in cmd.output:
                if not output_shows(shown, p.stdout):
                    self.failures.append(f"{where}: {cmd.text!r}: shown output line not "
                                         f"printed: {shown.strip()!r}\n--- stdout:\n"
                                         f"{p.stdout[-3000:]}")


_TIME = re.compile(r"\d+\.\d+ s\b")


def _pattern(shown: str) -> re.Pattern:
    parts = []
    for piece in re.split(r"(\.\.\.|\d+\.\d+ s\b)", " ".join(shown.split())):
        if piece == "...":
            parts.append(".*")
        elif _TIME.fullmatch(piece):
            parts.append(r"\d+(?:\.\d+)? s")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def output_shows(shown: str, stdout: str) -> bool:
    """Whether the shown output line occurs (as a whole line) in *stdout*."""
    if shown.strip() in ("", "..."):
        return True
    pat = _pattern(shown)
    return any(pat.fullmatch(" ".join(line.split())) for line in stdout.splitlines())


def _snapshot() -> dict:
    """Names, sizes and times of the files a stray write could touch."""
    out = {}
    for top in [ROOT, ROOT / "data", ROOT / "docs"]:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")
                           and d != "__pycache__" and not d.endswith(".egg-info")]
            for f in filenames:
                if f.startswith("."):
                    continue
                p = Path(dirpath, f)
                st = p.stat()
                out[str(p)] = (st.st_size, st.st_mtime_ns)
            if Path(dirpath) == ROOT:
                dirnames[:] = []      # the top level only; data/ and docs/ are walked whole
    return out


def run_file(path: Path, tmp: Path, *, slow: bool) -> None:
    before = _snapshot()
    session = Session(tmp)
    for block in blocks(path):
        if block.lang not in RUN_LANGS:
            continue
        if block.marker and block.marker[0] == "not run":
            continue
        if block.marker and block.marker[0] == "slow" and not slow:
            continue
        session.run(block)
    after = _snapshot()
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if changed:
        session.failures.append(f"files in the repository changed: {changed}")
    if session.skipped:
        warnings.warn("; ".join(session.skipped))
    if session.failures:
        pytest.fail(f"{len(session.failures)} failure(s) in {path.relative_to(ROOT)}:\n\n"
                    + "\n\n".join(session.failures), pytrace=False)


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


# --------------------------------------------------------------------------------------
# the tests
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", DOCS, ids=_ids(DOCS))
def test_blocks_run(path: Path, tmp_path: Path) -> None:
    run_file(path, tmp_path, slow=False)


SLOW_DOCS = [p for p in DOCS if any(b.marker and b.marker[0] == "slow" for b in blocks(p))]


@pytest.mark.slow
@pytest.mark.parametrize("path", SLOW_DOCS, ids=_ids(SLOW_DOCS))
def test_blocks_run_including_slow(path: Path, tmp_path: Path) -> None:
    run_file(path, tmp_path, slow=True)


def test_exceptions_are_rare() -> None:
    marked = [(b.where, b.marker) for p in DOCS for b in blocks(p) if b.marker]
    assert all(reason for _, (_, reason) in marked), marked
    assert len(marked) <= MAX_EXCEPTIONS, marked


def test_there_is_something_to_run() -> None:
    runnable = [b for p in DOCS for b in blocks(p) if b.lang in RUN_LANGS]
    assert len(runnable) >= 10
    assert all(commands(b) for b in runnable if b.lang != "python")


def test_parsing(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text("<!-- slow: a big budget -->\n\n```sh\ntropexact search\n```\n\n"
                  "text\n```console\n$ ls\n```\n\n```\noutput\n```\n")
    found = blocks(md)
    assert [(b.line, b.lang, b.marker) for b in found] == \
        [(3, "sh", ("slow", "a big budget")), (8, "console", None), (12, "", None)]
    assert strip_comment('tropexact search --bound "1 + n1 # n2"   # comment') == \
        ('tropexact search --bound "1 + n1 # n2"', "comment")
    assert strip_comment("a#b") == ("a#b", "")
    block = Block(ROOT / "README.md", 1, "console",
                  "$ tropexact check bad.json  # exit status 1: rejected\n  [FAIL] x\n$ ls\n")
    cmds = commands(block)
    assert [(c.text, c.expected_status, c.output) for c in cmds] == \
        [("tropexact check bad.json", 1, ["  [FAIL] x"]), ("ls", 0, [])]
    sh = Block(ROOT / "README.md", 1, "sh", "a \\\n  b   # c\n\n# only a comment\nmake demo\n")
    assert [c.text for c in commands(sh)] == ["a b", "make demo"]
    assert make_target("make TORCH=torch==2.1 test") == "test" and make_target("make") == "all"
    assert output_shows("  activation regions  23   (11 bounded, 0.00 s)",
                        "  activation regions        23   (11 bounded, 0.13 s)\n")
    assert output_shows("  serra2018_lower  lower  n/a  needs ...; fails: n1 = 5",
                        "  serra2018_lower  lower  n/a  needs n_l >= 3d; fails: n1 = 5\n")
    assert not output_shows("  linear regions 15", "  linear regions 16\n")


def test_network_json_blocks_load() -> None:
    """A ```json block that is a network document is a valid one."""
    from tropexact.networks.files import loads_exact
    from tropexact.networks.io import network_from_dict

    found = 0
    for path in DOCS:
        for b in blocks(path):
            if b.lang == "json" and re.match(r'\s*\{"format": "tropexact-network"', b.text):
                network_from_dict(loads_exact(b.text))
                found += 1
    assert found >= 2


# -- references ------------------------------------------------------------------------

def _prose(path: Path) -> str:
    """The text outside fenced blocks."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def _design_sections() -> tuple[set[str], set[str]]:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    heads = re.findall(r"^#{1,6}\s+(.*)$", text, re.M)
    numbers = {m.group(1) for h in heads if (m := re.match(r"(\d+(?:\.\d+)*)\.?\s", h))}
    return {_slug(h) for h in heads}, numbers


def test_design_references() -> None:
    anchors, numbers = _design_sections()
    assert {n for n in numbers if "." not in n} == {str(n) for n in range(1, 8)}
    bad = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        for m in re.finditer(r"\bDESIGN\b", text):
            bad.append(f"{where}: 'DESIGN' left at offset {m.start()}")
        for m in re.finditer(r"design\.md#([\w-]+)", text):
            if m.group(1) not in anchors:
                bad.append(f"{where}: no section #{m.group(1)} in docs/design.md")
        for m in re.finditer(r"design(?:\.md)?\]?(?:\([^)]*\))?\s*§(\d+(?:\.\d+)*)", text):
            if m.group(1) not in numbers:
                bad.append(f"{where}: docs/design.md has no §{m.group(1)}")
    assert not bad, "\n".join(bad)


def test_relative_links_resolve() -> None:
    bad = []
    for path in DOCS:
        for m in re.finditer(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
            target = m.group(1).split("#")[0]
            if not target or re.match(r"[a-z]+:", target):
                continue
            if not (path.parent / target).exists():
                bad.append(f"{path.relative_to(ROOT)}: link to {m.group(1)} does not resolve")
    assert not bad, "\n".join(bad)


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        try:
            for attr in parts[k:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def test_module_paths_exist() -> None:
    bad = []
    for path in DOCS:
        prose = _prose(path)
        where = path.relative_to(ROOT)
        for m in re.finditer(r"(?<![\w/.])(tropexact/[\w/]*[\w.]*\w)", prose):
            if not (ROOT / m.group(1)).exists():
                bad.append(f"{where}: path {m.group(1)} does not exist")
        for m in re.finditer(r"(?<![\w/.-])(tropexact(?:\.[A-Za-z_]\w*)+)", prose):
            name = m.group(1)
            if name.endswith((".md", ".json", ".py")):
                continue
            if not _resolves(name):
                bad.append(f"{where}: {name} does not resolve")
    assert not bad, "\n".join(bad)
