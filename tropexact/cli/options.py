"""Parsers of the command line's option values (the syntax users type).

These are the command line's own: their messages name the option
(``--domain: box needs ...``).  The library takes the parsed values
(:class:`~tropexact.networks.domain.Domain`, :class:`~tropexact.networks.slicing.Plane`,
tuples of integers and rationals).

Examples
--------
>>> D = parse_domain("box:-1,2", 2)
>>> D.kind, D.lower, D.upper
('box', (mpq(-1,1), mpq(-1,1)), (mpq(2,1), mpq(2,1)))
>>> parse_domain("box:1,0", 1)
Traceback (most recent call last):
...
tropexact.errors.InputError: --domain: box needs lower < upper in every coordinate, got [1, 0]
>>> parse_plane("e3,e1,0:1:1", 3).v
(mpq(0,1), mpq(1,1), mpq(1,1))
>>> parse_range("-3..3", "--weights")
(-3, 3)
"""

from __future__ import annotations

import random
import re
from typing import Any

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, parse_number, quoted, to_rational
from tropexact.networks.architecture import architecture
from tropexact.networks.domain import Domain, domain_from_dict
from tropexact.networks.files import load_json
from tropexact.networks.slicing import Plane, make_plane, plane_from_dict
from tropexact.plot.overlay import read_points

__all__ = ["parse_domain", "parse_plane", "parse_range", "parse_arch", "parse_window",
           "parse_level", "parse_names", "plot_overlay"]


def parse_domain(spec: str, dim: int) -> Domain | None:
    """Parse the ``--domain`` option for a network with *dim* inputs."""
    try:
        kind, _, rest = spec.partition(":")
        if kind == "all" and not rest:
            return None
        if kind == "box":
            vals = [parse_number(t.strip()) for t in rest.split(",")]
            if len(vals) == 2:
                return Domain.box([vals[0]] * dim, [vals[1]] * dim)
            if len(vals) == 2 * dim:
                return Domain.box(vals[0::2], vals[1::2])
            need = "2 numbers (lo,hi)" if dim == 1 else \
                f"2 or {2 * dim} numbers (lo,hi, or lo,hi per coordinate)"
            raise InputError(f"box needs {need}, got {len(vals)}")
        if kind == "polytope":
            obj = load_json(rest)
            D = domain_from_dict({"type": "polytope", **obj} if isinstance(obj, dict) else obj,
                                 where=rest)
            if D is not None and D.dim != dim:
                raise InputError(f"the domain has dimension {D.dim}, the network has {dim} "
                                 "inputs")
            return D
        raise InputError(f"unknown domain {quoted(spec)}; expected box:lo,hi, "
                         "box:lo1,hi1,...,lod,hid, polytope:FILE or all")
    except InputError as e:
        raise e.at("--domain") from None


def _vector(token: str, dim: int) -> tuple:
    t = token.strip()
    if t in ("0", "origin"):
        return tuple(Q(0) for _ in range(dim))
    if re.fullmatch(r"e[0-9]+", t):  # ASCII digits: isdigit() takes '١' and '²'
        k = int(t[1:]) if len(t) <= 20 else 0
        if not 1 <= k <= dim:
            raise InputError(f"{quoted(t)}: unit vectors are e1..e{dim}")
        return tuple(Q(int(i == k - 1)) for i in range(dim))
    if t.startswith("random:"):
        seed = t[len("random:"):]
        if not re.fullmatch(r"-?[0-9]{1,4000}", seed):
            raise InputError(f"{quoted(t)}: expected random:SEED with an integer SEED")
        rng = random.Random(int(seed))
        return tuple(Q(rng.randint(-8, 8), 8) for _ in range(dim))
    if t.startswith("@"):
        obj = load_json(t[1:])
        if not isinstance(obj, list):
            raise InputError(f"{quoted(t[1:])}: expected a JSON list of {dim} numbers")
        return tuple(to_rational(x) for x in obj)
    if ":" in t or dim == 1:
        return tuple(parse_number(x) for x in t.split(":"))
    raise InputError(f"cannot read {quoted(t)} as a vector: expected 0, eK, a:b:..., random:SEED "
                     "or @FILE.json")


def parse_plane(spec: str, dim: int) -> Plane:
    """Parse ``--slice P,U,V`` (or ``--slice FILE.json``) for a network with *dim* inputs."""
    try:
        if spec.endswith(".json") and "," not in spec:
            return plane_from_dict(load_json(spec), dim)
        parts = spec.split(",")
        if len(parts) != 3:
            raise InputError(f"expected P,U,V (three vectors separated by commas) or FILE.json, "
                             f"got {len(parts)} part(s)")
        P, U, V = (_vector(p, dim) for p in parts)
        return make_plane(P, U, V, dim)
    except InputError as e:
        raise e.at("--slice") from None




def parse_range(text: str, option: str) -> tuple[int, int]:
    """``"-3..3"`` → (−3, 3): an integer range LO..HI with LO <= HI."""
    m = re.fullmatch(r"\s*([+-]?[0-9]{1,4000})\s*\.\.\s*([+-]?[0-9]{1,4000})\s*", text, re.ASCII)
    if not m:  # ASCII digits (int() takes '٣' and '1_000'), at most 4,000 (int() stops at 4,300)
        raise InputError(f"expects LO..HI with integers, got {quoted(text)}", where=option)
    a, b = int(m[1]), int(m[2])
    if a > b:
        raise InputError(f"needs lo <= hi, got {quoted(text)}", where=option)
    return a, b


def parse_arch(text: str) -> tuple[int, ...]:
    """``--arch D,N1,...,NL,P`` as a validated tuple (:func:`~tropexact.networks.architecture.architecture`)."""
    try:
        return architecture(text).as_tuple()
    except InputError as e:
        raise e.at("--arch") from None


def parse_window(text: str | None, dim: int) -> tuple | None:
    """``--window XMIN,XMAX[,YMIN,YMAX]``: exact bounds, min < max on each axis (what
    floating-point drawing can show is checked by :func:`tropexact.plot.base.check_window`)."""
    if text is None:
        return None
    try:
        vals = tuple(parse_number(t.strip()) for t in text.split(","))
    except InputError as e:
        raise e.at("--window") from None
    if len(vals) != 2 * dim:
        raise InputError(f"needs {2 * dim} numbers "
                         f"({'xmin,xmax' if dim == 1 else 'xmin,xmax,ymin,ymax'}), got {len(vals)}",
                         where="--window")
    if any(vals[2 * i] >= vals[2 * i + 1] for i in range(dim)):
        raise InputError(f"needs min < max, got {quoted(text)}", where="--window")
    return vals


def parse_level(text: str) -> Any:
    """``--level C``: an exact number."""
    try:
        return parse_number(text)
    except InputError as e:
        raise e.at("--level") from None


def parse_names(text: str, option: str, count: int) -> tuple:
    """``--classes a,b,c``: *count* non-empty names separated by commas."""
    names = tuple(t.strip() for t in text.split(","))
    if len(names) != count or not all(names):
        raise InputError(f"expects {count} non-empty names separated by commas, got "
                         f"{quoted(text)}", where=option)
    return names


def plot_overlay(args: Any, net: Any, plane: Plane | None) -> dict:
    """The overlay keywords of :func:`tropexact.plot.save_figure` from plot's options:
    ``--points`` (read and, on a slice, mapped to the plane's coordinates),
    ``--classes``, and the anchors P, P+U, P+V of ``--slice`` named by ``--anchor-labels``."""
    out: dict = {}
    if args.points is not None:
        if net.input_dim != 2:
            raise InputError("draws data points on figures of 2-input networks (or a --slice)",
                             where="--points")
        try:
            out["points"], out["labels"], _ = read_points(args.points, plane)
        except InputError as e:
            raise e.at("--points") from None
    if args.classes is not None:
        out["classes"] = parse_names(args.classes, "--classes", net.output_dim)
    if args.anchor_labels is not None and plane is None:
        raise InputError("names the points P, P+U, P+V of a --slice; there is none",
                         where="--anchor-labels")
    if plane is not None:
        names = ("P", "P+U", "P+V")
        if args.anchor_labels is not None:
            given = parse_names(args.anchor_labels, "--anchor-labels", 3)
            names = tuple(f"{n}: {g}" for n, g in zip(names, given))
        out["anchors"] = tuple(zip(((Q(0), Q(0)), (Q(1), Q(0)), (Q(0), Q(1))), names))
    return out
