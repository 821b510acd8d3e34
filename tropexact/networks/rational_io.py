"""Tropical rational map files: documents ↔ :class:`~tropexact.tropical.rational.TropicalRationalMap`.

A map ν = (F_1 ⊘ G_1, …, F_p ⊘ G_p) on Q^d is written as

.. code-block:: json

    {"format": "tropexact-rational", "version": 1, "input_dim": 2,
     "outputs": [{"numerator":   [[0, 0, 0], [1, 0, 1], [2, -1, 0]],
                  "denominator": [[0, 0, 0], [0, 1, 0]]}]}

Each row ``[e_1, …, e_d, c]`` is the monomial c ⊙ x^e, the affine function
c + ⟨e, x⟩ (coefficient last, as in ``tropexact tropicalize --json``); the row
above, ``[2, -1, 0]``, is 2·x0 − x1.  Numbers are exact: integers, decimal
literals (``0.1`` is 1/10) or strings ``"p/q"``; exponents may be negative or
fractional.  Rows with the same exponent merge by ⊕ (the larger coefficient
stays, as for every :class:`~tropexact.tropical.polynomial.TropicalPolynomial`).

The output of ``tropexact tropicalize --json`` is accepted as it is: its
``outputs`` hold ``{"F": {"polynomial": rows}, "G": {"polynomial": rows}, …}``.

Examples
--------
>>> from tropexact.networks.files import loads_exact
>>> m = map_from_dict(loads_exact('{"format": "tropexact-rational", "version": 1, '
...     '"input_dim": 1, "outputs": [{"numerator": [[0, 0], [1, "1/2"]], '
...     '"denominator": [[0, 0]]}]}'))
>>> print(m[0])
max(0, 1/2 + x0) - 0
>>> map_from_dict(map_to_dict(m)) == m
True
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt, is_rational, to_rational
from tropexact.tropical.polynomial import TropicalPolynomial
from tropexact.tropical.rational import TropicalRationalFunction, TropicalRationalMap

from .files import check_header, load_document, write_json

__all__ = ["FORMAT_NAME", "map_from_dict", "map_to_dict", "load_map", "dump_map"]

FORMAT_NAME = "tropexact-rational"
_TOP_KEYS = {"format", "version", "input_dim", "outputs", "name", "description"}
#: keys of ``tropexact tropicalize --json`` output, accepted as input
_TROPICALIZE_KEYS = {"network", "slice", "input_dim", "widths", "outputs",
                     "terms_before_pruning", "layers"}


def _rows(rows: Any, d: int | None, where: str) -> tuple[TropicalPolynomial, int]:
    """The polynomial of ``[[e_1, …, e_d, c], …]`` and its number of variables."""
    if not isinstance(rows, list) or not rows:
        raise InputError("expected a non-empty list of rows [e_1, ..., e_d, c] (a tropical "
                         "polynomial needs at least one monomial)", where=where)
    terms = []
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) < 2:
            raise InputError(f"expected a row [e_1, ..., e_d, c] with d >= 1, got {row!r}"[:200],
                             where=f"{where}[{i}]")
        if d is None:
            d = len(row) - 1
        if len(row) != d + 1:
            raise InputError(f"row has {len(row)} entries, expected {d + 1} (d exponents and "
                             "the coefficient)", where=f"{where}[{i}]")
        vals = []
        for j, v in enumerate(row):
            if isinstance(v, bool) or not (is_rational(v) or isinstance(v, (int, str))):
                raise InputError(f"expected a number, got {v!r}"[:200], where=f"{where}[{i}][{j}]")
            try:
                vals.append(to_rational(v))
            except InputError as e:
                raise InputError(e.message, where=f"{where}[{i}][{j}]") from None
        terms.append((tuple(vals[:-1]), vals[-1]))
    return TropicalPolynomial(terms, d), d


def _output(spec: Any, k: int, d: int | None, keys: tuple[str, str],
            nested: bool) -> tuple[TropicalRationalFunction, int]:
    where = f"outputs[{k}]"
    if not isinstance(spec, Mapping):
        raise InputError(f"expected an object, got {type(spec).__name__}", where=where)
    polys = []
    for key in keys:
        if key not in spec:
            raise InputError(f"missing {key!r}", where=where)
        rows = spec[key]
        if nested:  # tropicalize --json: {"polynomial": rows, ...}
            if not isinstance(rows, Mapping) or "polynomial" not in rows:
                raise InputError("expected an object with 'polynomial'", where=f"{where}.{key}")
            rows = rows["polynomial"]
        p, d = _rows(rows, d, f"{where}.{key}" + (".polynomial" if nested else ""))
        polys.append(p)
    if not nested:
        extra = sorted(set(spec) - set(keys))
        if extra:
            raise InputError(f"unknown key {extra[0]!r} (allowed: numerator, denominator)",
                             where=where)
    assert d is not None
    return TropicalRationalFunction(polys[0], polys[1]), d


def map_from_dict(doc: Any) -> TropicalRationalMap:
    """Validate a decoded map document (either form above) into a
    :class:`~tropexact.tropical.rational.TropicalRationalMap`; errors name the place
    (``outputs[1].denominator[0][2]``)."""
    if not isinstance(doc, Mapping):
        raise InputError(f"expected a JSON object at the top level, got {type(doc).__name__}")
    nested = "format" not in doc and set(doc) <= _TROPICALIZE_KEYS and "widths" in doc
    if nested:
        keys = ("F", "G")
    else:
        check_header(doc, _TOP_KEYS, FORMAT_NAME, format_required=True,
                     hint="; or the output of 'tropexact tropicalize --json'")
        keys = ("numerator", "denominator")
    d = doc.get("input_dim")
    if d is not None and (type(d) is not int or d < 1):
        raise InputError(f"must be a positive integer, got {d!r}"[:200], where="input_dim")
    outs = doc.get("outputs")
    if not isinstance(outs, list) or not outs:
        raise InputError("expected a non-empty list of outputs", where="outputs")
    comps = []
    for k, spec in enumerate(outs):
        f, d = _output(spec, k, d, keys, nested)
        comps.append(f)
    return TropicalRationalMap(comps)


def map_to_dict(tmap: TropicalRationalMap) -> dict:
    """The ``tropexact-rational`` document of *tmap* (numbers as exact strings)."""
    def rows(p: TropicalPolynomial) -> list:
        return [[*(fmt(a) for a in e), fmt(c)] for e, c in p.terms]
    return {"format": FORMAT_NAME, "version": 1, "input_dim": tmap.nvars,
            "outputs": [{"numerator": rows(f.numerator), "denominator": rows(f.denominator)}
                        for f in tmap]}


def load_map(path: str | os.PathLike) -> TropicalRationalMap:
    """Read and validate a map file; errors read ``FILE: outputs[0].numerator[1][0]: …``."""
    return load_document(path, map_from_dict)


def dump_map(tmap: TropicalRationalMap, path: str | os.PathLike, *, overwrite: bool = False,
             protect: tuple = ()) -> None:
    """Write a map file atomically; refuses to overwrite an existing file unless asked."""
    write_json(map_to_dict(tmap), path, overwrite=overwrite, protect=protect)
