"""Data points for the figures: CSV, ``.npy`` and ``.npz`` files read exactly.

A point file holds n points with k coordinates and, optionally, an integer label
per point (the class of a training example).  Every number becomes an exact
rational: CSV fields are read as written (``0.1`` is 1/10, ``2/3`` is 2/3), numpy
floats by their exact binary value (as the model importers do).  NaN, infinities,
missing or extra fields, non-numbers and non-integer labels are refused with one
line naming the file, the row and the column.

The layouts:

* **CSV** (any other extension): one point per line, fields separated by commas,
  blank lines and lines starting with ``#`` skipped.  An optional first line of
  column names (its first field is not a number) is a header; when its last name
  is ``label``, ``y`` or ``class`` that column holds the labels.  Without a header
  the column count decides: k columns are k coordinates, k + 1 columns are k
  coordinates and a label, where k must be one of the accepted dimensions
  (``dims``); when both readings are possible (3 columns on a slice of a
  3-input network) the file needs a header.
* **.npy**: one 2-D numeric array, read like a CSV file without a header.
* **.npz**: an array ``X`` of shape (n, k) and optionally ``y`` of shape (n,)
  with integer values (scikit-learn's names; ``numpy.savez(f, X=X, y=y)``).

numpy is imported only to read ``.npy``/``.npz`` files.

Examples
--------
>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "pts.csv")
>>> _ = open(path, "w").write("x0,x1,label\\n0.5,-1,0\\n2/3,1e-1,1\\n")
>>> ps = load_points(path)
>>> [tuple(str(c) for c in p) for p in ps.points], ps.labels
([('1/2', '-1'), ('2/3', '1/10')], (0, 1))
>>> _ = open(path, "w").write("1,2,3,4\\n")
>>> load_points(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tropexact.errors.InputError: ...pts.csv: row 1 has 4 columns; expected 2 coordinates (2 columns), or 2 coordinates and a label (3 columns)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import parse_number, plural, quoted, to_rational
from tropexact.networks.files import read_bytes

from ._build import array_values, require

__all__ = ["PointSet", "load_points", "LABEL_NAMES"]

#: header names of a label column (case-insensitive)
LABEL_NAMES = ("label", "y", "class")


@dataclass(frozen=True)
class PointSet:
    """Points with exact coordinates and optional integer labels.

    Attributes
    ----------
    points : tuple of tuple of mpq
        n points, each with k coordinates.
    labels : tuple of int or None
        One label (an integer >= 0) per point, or None.
    source : str
        The file the points came from.
    """

    points: tuple
    labels: tuple | None
    source: str

    @property
    def dim(self) -> int:
        """The number of coordinates k of each point."""
        return len(self.points[0])


def _layout(n: int, dims: Sequence[int], row: str) -> bool:
    """Whether n columns hold a label (after k coordinates, k in *dims*), or an error."""
    plain, labelled = n in dims, n - 1 in dims
    want = " or ".join(f"{k} coordinates ({k} columns), or {k} coordinates and a label "
                       f"({k + 1} columns)" for k in dims)
    if plain and labelled:
        raise InputError(f"{row} has {n} columns: {n} coordinates or {n - 1} coordinates and a "
                         f"label? Add a header line naming the columns (the last one "
                         f"'label' for labels)")
    if not plain and not labelled:
        raise InputError(f"{row} has {n} columns; expected {want}")
    return labelled


def _label(x: Any, where: str) -> int:
    """An integer label >= 0 (exact: 1, '1', '1.0' and 1.0 are 1; 1.5 and -1 are refused)."""
    q = parse_number(x.strip()) if isinstance(x, str) else to_rational(x, allow_float=True)
    if q.denominator != 1 or q < 0:
        raise InputError(f"a label must be an integer >= 0, got {x if isinstance(x, str) else q}",
                         where=where)
    return int(q)


def _number(x: Any, where: str) -> Any:
    try:
        return parse_number(x.strip()) if isinstance(x, str) else to_rational(x, allow_float=True)
    except InputError as e:
        raise InputError(e.message, where=where) from None


def _rows_to_points(rows: list, labelled: bool, path: str, lines: list) -> PointSet:
    """Exact points (and labels) of the table *rows*; ``lines[i]`` names row i in errors."""
    pts, labels = [], []
    for row, line in zip(rows, lines):
        k = len(row) - labelled
        pts.append(tuple(_number(x, f"{path}: {line}, column {j + 1}")
                         for j, x in enumerate(row[:k])))
        if labelled:
            labels.append(_label(row[k], f"{path}: {line}, column {k + 1}"))
    return PointSet(tuple(pts), tuple(labels) if labelled else None, path)


def _is_number(text: str) -> bool:
    try:
        parse_number(text.strip())
    except InputError:
        return False
    return True


def _read_csv(path: str, dims: Sequence[int]) -> PointSet:
    try:
        text = read_bytes(path, "a CSV file of points").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text file (expected comma-separated numbers, or a "
                         ".npy/.npz file)") from None
    rows, lines = [], []
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(line.split(","))
            lines.append(f"row {i}")
    header = rows and not _is_number(rows[0][0])
    if header:
        names = [x.strip().lower() for x in rows[0]]
        rows, lines = rows[1:], lines[1:]
    if not rows:
        raise InputError(f"{path}: no points (expected one point per line, comma-separated)")
    n = len(rows[0])
    if header:
        labelled = names[-1] in LABEL_NAMES
        if len(names) - labelled not in dims:
            raise InputError(f"{path}: the header names {len(names) - labelled} coordinates; "
                             f"expected {' or '.join(map(str, dims))}")
        n = len(names)
    else:
        labelled = _layout(n, dims, f"{path}: {lines[0]}")
    for row, line in zip(rows, lines):
        if len(row) != n:
            raise InputError(f"{path}: {line} has {plural(len(row), 'column')}, expected {n} (as "
                             f"{'the header' if header else 'the first row'})")
    return _rows_to_points(rows, labelled, path, lines)


def _array(a: Any, path: str, name: str, ndim: int) -> list:
    where = f"{path}: {name}" if name else path
    if a.ndim != ndim or 0 in a.shape:
        shape = "(n, k)" if ndim == 2 else "(n,)"
        raise InputError(f"has shape {tuple(a.shape)}, expected {shape} with n >= 1",
                         where=where)
    return array_values(a, where)


def _read_numpy(path: str, dims: Sequence[int]) -> PointSet:
    np = require("numpy")
    read_bytes(path, "a .npy or .npz file", 0)
    try:
        data = np.load(path, allow_pickle=False)
    except Exception as e:
        first = (str(e).splitlines() or [type(e).__name__])[0]
        raise InputError(f"{path}: not a numpy file ({first})") from None
    if not hasattr(data, "files"):
        X = _array(data, path, "", 2)
        labelled = _layout(len(X[0]), dims, path)
        return _rows_to_points(X, labelled, path, [f"row {i + 1}" for i in range(len(X))])
    with data:
        if "X" not in data.files:
            raise InputError(f"{path}: no array X (found {', '.join(map(quoted, data.files))}); "
                             "expected X of shape (n, k) and optionally labels y of shape (n,)")
        X = _array(data["X"], path, "X", 2)
        y = _array(data["y"], path, "y", 1) if "y" in data.files else None
    if len(X[0]) not in dims:
        raise InputError(f"{path}: X has {len(X[0])} columns, expected "
                         f"{' or '.join(map(str, dims))} coordinates")
    if y is not None and len(y) != len(X):
        raise InputError(f"{path}: y has {len(y)} labels for {len(X)} points in X")
    rows = [list(x) + ([y[i]] if y is not None else []) for i, x in enumerate(X)]
    return _rows_to_points(rows, y is not None, path, [f"X row {i + 1}" for i in range(len(X))])


def load_points(path: str | os.PathLike, dims: Sequence[int] = (2,)) -> PointSet:
    """Read a point file (module docstring) with k coordinates, k in *dims*.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV file, or a ``.npy``/``.npz`` file (by the extension).
    dims : sequence of int
        The accepted numbers of coordinates: ``(2,)`` for a 2-input network,
        ``(2, d)`` on a slice of a d-input network (points in the plane's
        coordinates, or in Q^d).

    Returns
    -------
    PointSet

    Raises
    ------
    InputError
        A missing or unreadable file, no points, a row with the wrong number of
        columns, a field that is not a number (or NaN, infinite), a label that
        is not an integer >= 0; numpy missing for a numpy file.
    """
    p = os.fspath(path)
    if os.path.splitext(p)[1].lower() in (".npy", ".npz"):
        return _read_numpy(p, dims)
    return _read_csv(p, dims)
