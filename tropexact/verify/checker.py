"""Independent checker for region certificates (``docs/certificates.md``).

It trusts nothing else in tropexact: it imports only the standard library,
computes with :class:`fractions.Fraction` and Python integers (no floats, no cdd),
parses the network itself and re-derives every geometric fact by brute force.

What is checked, and why it suffices
------------------------------------
The signs fix, layer by layer, an affine map of x (relu: ``+`` keeps z, ``-`` and
``0`` give the threshold t; leaky_relu: ``+`` keeps z, ``-`` gives a·z, ``0`` gives
0).  A region is the set of domain points where every ``+``/``-`` neuron has its
strict sign; there ν is the derived map (induction over the layers).

* ``points_inside``: the point is strictly inside the domain and has every sign
  strictly; each ``0`` neuron is constantly at its breakpoint.  So the region is
  open and non-empty.  ``distinct_signs``: the regions are pairwise disjoint.
* ``affine_maps``: the claimed map is the derived one and agrees with ν(point)
  from a plain forward pass.
* ``volume`` (bounded domains): Q = domain ∩ named facets uses some of the
  closure's inequalities, so Q contains the closure; every sign holds (≥ 0) at
  every vertex of Q (all d-subsets of constraints), so Q is the closure.  Exact
  volumes (pulling triangulation) are positive and sum to the domain's volume,
  so the disjoint open regions fill the domain: none is missing.
* ``adjacency`` (bounded domains): the closures of each claimed pair meet in
  dimension d - 1, and no two regions with the same map in different linear
  regions do (an omitted edge cannot split a linear region).
* ``linear_regions``, ``counts``: the groups partition the regions, each has one
  map and is connected by claimed edges, no edge joins two groups with the same
  map, and the counts are those of the lists.

Examples
--------
>>> cert = {"format": "tropexact-certificate", "version": 1,
...     "network": {"input_dim": 1, "layers": [{"weight": [[1]], "bias": [0], "activation": "identity"}]},
...     "domain": {"type": "box", "lower": [0], "upper": [1]}, "neurons": [],
...     "regions": [{"signs": "", "point": ["1/2"], "affine_map": {"weight": [[1]], "bias": [0]},
...                  "facets": {"neurons": [], "domain": [0, 1]}}],
...     "adjacency": [], "linear_regions": [[0]],
...     "counts": {"activation_regions": 1, "linear_regions": 1, "affine_maps": 1}}
>>> check_certificate(cert).passed
True
>>> cert["regions"][0]["point"] = ["2"]
>>> [c.name for c in check_certificate(cert).checks if not c.passed]
['points_inside']
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Callable

__all__ = ["CHECK_NAMES", "CertificateError", "Check", "Report", "check_certificate", "check_file"]

CHECK_NAMES = ("structure", "distinct_signs", "points_inside", "affine_maps",
               "linear_regions", "counts", "adjacency", "volume")


class CertificateError(ValueError):
    """A malformed certificate; the message names the location."""


@dataclass(frozen=True)
class Check:
    """One named verification: status ``"pass"``, ``"fail"``, ``"not applicable"`` or
    ``"not run"``, and a detail saying what was established, what failed, or why not.

    The same shape as :class:`tropexact.verify.check.Check`, kept here in plain
    standard-library form so that the checker imports nothing from tropexact.
    Only ``"pass"`` is a pass.
    """

    name: str
    status: str
    detail: str
    data: tuple = ()

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass(frozen=True)
class Report:
    """All checks, in the order of :data:`CHECK_NAMES`.

    ``passed`` is true when no check failed; ``complete`` when every check
    passed (on an unbounded domain ``adjacency`` and ``volume`` are ``"not run"``:
    the regions listed are verified, their completeness is not).
    """

    passed: bool
    checks: tuple[Check, ...]

    @property
    def complete(self) -> bool:
        return all(c.passed for c in self.checks)


# -- parsing: anything malformed raises CertificateError naming its place ------

def _fail(where: str, what: str) -> CertificateError:
    return CertificateError(f"{where}: {what}")


def _num(x: object, where: str) -> Fraction:
    """An exact number: int, Fraction or a string "p/q", "-3", "0.125", "1e-3"."""
    if type(x) is int or type(x) is Fraction:
        return Fraction(x)
    if type(x) is str and x and set(x) <= set("0123456789+-./eE"):
        exponent = x.lower().partition("e")[2]
        try:
            if not exponent or abs(int(exponent)) <= 10_000:
                return Fraction(x)
        except (ValueError, ZeroDivisionError):
            pass
    raise _fail(where, f"not a number ({x!r})")


def _get(obj: object, key: str, where: str) -> object:
    if not isinstance(obj, dict):
        raise _fail(where, "expected an object")
    if key not in obj:
        raise _fail(where, f"missing key {key!r}")
    return obj[key]


def _list(x: object, where: str, length: int | None = None) -> list:
    if not isinstance(x, list):
        raise _fail(where, "expected a list")
    if length is not None and len(x) != length:
        raise _fail(where, f"expected {length} entries, got {len(x)}")
    return x


def _int(x: object, where: str) -> int:
    if type(x) is not int:
        raise _fail(where, f"expected an integer, got {x!r}")
    return x


def _vec(x: object, where: str, n: int | None = None) -> tuple[Fraction, ...]:
    return tuple(_num(v, f"{where}[{i}]") for i, v in enumerate(_list(x, where, n)))


def _ints(x: object, where: str) -> list[int]:
    return [_int(v, f"{where}[{i}]") for i, v in enumerate(_list(x, where))]


def _network(net: object, w: str = "network") -> tuple[int, list[tuple]]:
    """(input_dim, [(weight, bias, activation, threshold or slope), ...])."""
    d = width = _int(_get(net, "input_dim", w), f"{w}.input_dim")
    if d < 1:
        raise _fail(f"{w}.input_dim", "must be at least 1")
    layers = []
    for l, layer in enumerate(_list(_get(net, "layers", w), f"{w}.layers")):
        at = f"{w}.layers[{l}]"
        weight = tuple(_vec(r, f"{at}.weight[{i}]", width)
                       for i, r in enumerate(_list(_get(layer, "weight", at), f"{at}.weight")))
        if not weight:
            raise _fail(f"{at}.weight", "no rows")
        bias, kind = _vec(_get(layer, "bias", at), f"{at}.bias", len(weight)), _get(layer, "activation", at)
        if kind == "relu":
            param = _num(layer.get("threshold", 0), f"{at}.threshold")
        elif kind == "leaky_relu":
            param = _num(_get(layer, "negative_slope", at), f"{at}.negative_slope")
            if not 0 < param < 1:
                raise _fail(f"{at}.negative_slope", "must lie in (0, 1)")
        elif kind == "identity":
            param = Fraction(0)
        else:
            raise _fail(f"{at}.activation", f"unknown activation {kind!r}")
        layers.append((weight, bias, kind, param))
        width = len(weight)
    if not layers:
        raise _fail(f"{w}.layers", "no layers")
    return d, layers


def _domain(dom: object, d: int, w: str = "domain") -> tuple[list[tuple], Fraction | None]:
    """(inequalities (b, a) meaning b + a·x >= 0, volume or None if unbounded)."""
    kind = _get(dom, "type", w)
    if kind == "all":
        return [], None
    if kind == "box":
        lo, hi = (_vec(_get(dom, k, w), f"{w}.{k}", d) for k in ("lower", "upper"))
        if not all(l < h for l, h in zip(lo, hi)):
            raise _fail(w, "needs lower < upper in every coordinate")
        unit = [tuple(Fraction(i == j) for j in range(d)) for i in range(d)]
        ineqs = [c for i, e in enumerate(unit) for c in ((-lo[i], e), (hi[i], tuple(-a for a in e)))]
        return ineqs, Fraction(math.prod(h - l for l, h in zip(lo, hi)))
    if kind == "polytope":
        rows = _list(_get(dom, "inequalities", w), f"{w}.inequalities")
        ineqs = [(r[0], r[1:]) for r in (_vec(r, f"{w}.inequalities[{i}]", d + 1) for i, r in enumerate(rows))]
        return ineqs, (_volume(_vertices(ineqs, d), d) if _bounded([a for _, a in ineqs], d) else None)
    raise _fail(f"{w}.type", f"unknown domain type {kind!r}")


# -- exact linear algebra and brute-force polytopes ------------------------------

def _val(con: tuple, x: tuple) -> Fraction:
    """b + a·x for the constraint con = (b, a)."""
    return con[0] + sum(a * v for a, v in zip(con[1], x))


def _integral(v: tuple | list) -> tuple[list[int], int]:
    """(v scaled to integers by s, s) with s the lcm of the denominators."""
    s = math.lcm(*(x.denominator for x in v))
    return [int(x * s) for x in v], s


def _eliminate(rows: list) -> tuple[int, Fraction]:
    """(rank, determinant) by fraction-free (Bareiss) elimination of the rows
    scaled to integers; the determinant is 0 unless square and invertible."""
    scaled = [_integral(r) for r in rows]
    m, rank, pivot, sign = [r for r, _ in scaled], 0, 1, 1
    for c in range(len(m[0]) if m else 0):
        p = next((i for i in range(rank, len(m)) if m[i][c]), None)
        if p is None:
            continue
        m[rank], m[p], sign = m[p], m[rank], sign if p == rank else -sign
        for i in range(rank + 1, len(m)):  # the division is exact (Sylvester's identity)
            m[i] = [(x * m[rank][c] - m[i][c] * y) // pivot for x, y in zip(m[i], m[rank])]
        pivot, rank = m[rank][c], rank + 1
    square = rank == len(m) == (len(m[0]) if m else 0)
    return rank, Fraction(sign * pivot, math.prod(s for _, s in scaled)) if square else Fraction(0)


def _dim(points: list) -> int:
    """Affine dimension of a finite point set (-1 when empty)."""
    return _eliminate([[a - b for a, b in zip(p, points[0])] for p in points[1:]])[0] if points else -1


def _bounded(rows: list, d: int) -> bool:
    """Whether {y : a·y >= 0 for all rows a} = {0}: rank d and no extreme ray
    (a generalised cross product of d - 1 rows, either way round) in the cone."""
    if _eliminate(rows)[0] < d:
        return False
    for sub in combinations(rows, d - 1):
        y = [(-1) ** k * _eliminate([r[:k] + r[k + 1:] for r in sub])[1] for k in range(d)]
        if any(y) and any(all(s * sum(a * v for a, v in zip(r, y)) >= 0 for r in rows) for s in (1, -1)):
            return False
    return True


def _vertices(cons: list, d: int) -> list[tuple]:
    """Vertices of {x : b + a·x >= 0 for (b, a) in cons}, each with the set of
    constraints tight there: unique solutions of d equations that satisfy all."""
    rows, found = [_integral((b,) + a)[0] for b, a in cons], {}
    for sub in combinations(rows, d):
        den = int(_eliminate([r[1:] for r in sub])[1])
        if den:  # Cramer's rule; vals are den² times the constraints' values
            num = [int(_eliminate([r[1:k + 1] + [-r[0]] + r[k + 2:] for r in sub])[1]) for k in range(d)]
            vals = [(r[0] * den + sum(a * x for a, x in zip(r[1:], num))) * den for r in rows]
            if min(vals) >= 0:
                found[tuple(Fraction(x, den) for x in num)] = frozenset(i for i, v in enumerate(vals) if v == 0)
    return list(found.items())


def _simplices(face: frozenset, k: int, verts: list) -> list[list[int]]:
    """Pulling triangulation of a k-face (vertex indices): cone from its first
    vertex over the facets missing it; a facet is the face's vertices tight at
    one more constraint, with dimension k - 1."""
    if k == 0:
        return [sorted(face)]
    apex, out, seen = min(face), [], set()
    for i in frozenset().union(*(verts[v][1] for v in face)):
        facet = frozenset(v for v in face if i in verts[v][1])
        if apex not in facet and facet not in seen and _dim([verts[v][0] for v in facet]) == k - 1:
            seen.add(facet)
            out += [[apex] + s for s in _simplices(facet, k - 1, verts)]
    return out


def _volume(verts: list, d: int) -> Fraction:
    """Volume of the polytope with these vertices (as returned by _vertices)."""
    if _dim([p for p, _ in verts]) < d:
        return Fraction(0)
    dets = (_eliminate([[a - b for a, b in zip(verts[v][0], verts[s[0]][0])] for v in s[1:]])[1]
            for s in _simplices(frozenset(range(len(verts))), d, verts))
    return sum(map(abs, dets), Fraction(0)) / math.factorial(d)


# -- the network ---------------------------------------------------------------

def _propagate(layers: list, signs: str, d: int) -> tuple[tuple, dict, list]:
    """On the region with these signs: (ν's affine map (W, b), {k: (b, a)} the
    constraint s·(z - t) >= 0 of each +/- neuron k, [each '0' neuron k whose z is
    not the constant t])."""
    W, b = tuple(tuple(Fraction(i == j) for j in range(d)) for i in range(d)), (Fraction(0),) * d
    cons, bad, k, zero = {}, [], 0, (Fraction(0),) * d
    for weight, bias, kind, param in layers:
        live = [j for j, row in enumerate(W) if any(row)]  # skip the constant neurons
        Z = [tuple(sum(row[j] * W[j][i] for j in live if row[j]) for i in range(d)) for row in weight]
        z = [sum(w * c for w, c in zip(row, b) if w and c) + c0 for row, c0 in zip(weight, bias)]
        t = param if kind == "relu" else Fraction(0)
        for i in range(len(Z) if kind != "identity" else 0):  # the nonlinear neurons
            s, k = signs[k], k + 1
            if s == "0":
                bad += [k - 1] if any(Z[i]) or z[i] != t else []
                Z[i], z[i] = zero, t
            else:
                cons[k - 1] = (z[i] - t, Z[i]) if s == "+" else (t - z[i], tuple(-a for a in Z[i]))
                if s == "-":
                    Z[i], z[i] = (zero, t) if kind == "relu" else (tuple(param * a for a in Z[i]), param * z[i])
        W, b = tuple(Z), tuple(z)
    return (W, b), cons, bad


def _forward(layers: list, point: tuple) -> tuple:
    """ν(x) by plain evaluation."""
    x = list(point)
    for weight, bias, kind, param in layers:
        x = [sum(w * v for w, v in zip(row, x)) + c for row, c in zip(weight, bias)]
        if kind == "relu":
            x = [max(z, param) for z in x]
        elif kind == "leaky_relu":
            x = [max(z, param * z) for z in x]
    return tuple(x)


# -- the checks -----------------------------------------------------------------

def _check(name: str, failures: list[str], ok: str) -> Check:
    more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
    if failures:
        return Check(name, "fail", "; ".join(failures[:5]) + more)
    return Check(name, "pass", ok)


def _roots(n: int, edges: list) -> list[int]:
    """A representative of the connected component of each vertex of the graph
    (range(n), edges), by union-find."""
    label = list(range(n))

    def root(r: int) -> int:
        while label[r] != r:
            r = label[r]
        return r

    for i, j in edges:
        label[root(i)] = root(j)
    return [root(r) for r in range(n)]


@dataclass
class _Certificate:
    """The parsed certificate; numbers are Fractions, maps are (W, b) tuples."""

    d: int
    layers: list            # (weight, bias, activation, threshold or slope)
    domain: list            # inequalities (b, a): b + a·x >= 0
    domain_volume: Fraction | None  # None when unbounded
    neurons: list
    signs: list
    points: list
    maps: list
    facets: list            # [neuron positions, domain inequality indices]
    adjacency: list
    groups: list
    counts: dict


def _parse(cert: object) -> _Certificate:
    top = "certificate"
    version = _int(_get(cert, "version", top), "version")
    if _get(cert, "format", top) != "tropexact-certificate" or version != 1:
        raise _fail(top, "not a tropexact-certificate of version 1")
    d, layers = _network(_get(cert, "network", top))
    domain, volume = _domain(_get(cert, "domain", top), d)
    p = len(layers[-1][0])
    neurons = [_ints(n, f"neurons[{k}]") for k, n in enumerate(_list(_get(cert, "neurons", top), "neurons"))]
    signs, points, maps, facets = [], [], [], []
    for r, reg in enumerate(_list(_get(cert, "regions", top), "regions")):
        at = f"regions[{r}]"
        s, m, f = (_get(reg, key, at) for key in ("signs", "affine_map", "facets"))
        if type(s) is not str or len(s) != len(neurons) or set(s) - set("+-0"):
            raise _fail(f"{at}.signs", f"expected {len(neurons)} characters from '+-0'")
        rows = _list(_get(m, "weight", f"{at}.affine_map"), f"{at}.affine_map.weight", p)
        signs.append(s)
        points.append(_vec(_get(reg, "point", at), f"{at}.point", d))
        maps.append((tuple(_vec(row, f"{at}.affine_map.weight[{i}]", d) for i, row in enumerate(rows)),
                     _vec(_get(m, "bias", f"{at}.affine_map"), f"{at}.affine_map.bias", p)))
        facets.append([_ints(_get(f, k, f"{at}.facets"), f"{at}.facets.{k}") for k in ("neurons", "domain")])
    pairs, groups = (_list(_get(cert, key, top), key) for key in ("adjacency", "linear_regions"))
    counts = _get(cert, "counts", top)
    return _Certificate(
        d, layers, domain, volume, neurons, signs, points, maps, facets,
        [tuple(_ints(e, f"adjacency[{i}]")) for i, e in enumerate(pairs)],
        [_ints(g, f"linear_regions[{i}]") for i, g in enumerate(groups)],
        {k: _int(_get(counts, k, "counts"), f"counts.{k}")
         for k in ("activation_regions", "linear_regions", "affine_maps")})


def _structure(c: _Certificate) -> list[str]:
    """Consistency between the parts, so that every index used later is valid."""
    n, bad = len(c.signs), []
    expected = [[l, i] for l, (weight, _, kind, _) in enumerate(c.layers) if kind != "identity"
                for i in range(len(weight))]
    bad += [] if c.neurons == expected else [f"neurons should be {expected}"]
    bad += [] if n else ["no regions"]
    for r, (fn, fd) in enumerate(c.facets):
        bad += [f"region {r}: facet neuron {k} is not a +/- neuron" for k in fn
                if not (0 <= k < len(c.neurons) and c.signs[r][k] != "0")]
        bad += [f"region {r}: no domain inequality {i}" for i in fd if not 0 <= i < len(c.domain)]
    bad += [f"adjacency[{e}]: {list(pair)} is not a pair i < j of regions"
            for e, pair in enumerate(c.adjacency) if len(pair) != 2 or not 0 <= pair[0] < pair[1] < n]
    return bad + ([] if len(set(c.adjacency)) == len(c.adjacency) else ["adjacency lists a pair twice"])


def _points_inside(c: _Certificate, derived: list) -> list[str]:
    bad = []
    for r, (x, (_, cons, zeros)) in enumerate(zip(c.points, derived)):
        bad += [f"region {r}: point not strictly inside domain inequality {i}"
                for i, con in enumerate(c.domain) if _val(con, x) <= 0]
        bad += [f"region {r}: point violates sign {c.signs[r][k]!r} of neuron {k} {c.neurons[k]}"
                for k, con in cons.items() if _val(con, x) <= 0]
        bad += [f"region {r}: neuron {k} {c.neurons[k]} is '0' but not constantly at its breakpoint"
                for k in zeros]
    return bad


def _affine_maps(c: _Certificate, derived: list) -> list[str]:
    bad = []
    for r, (x, (W, b)) in enumerate(zip(c.points, c.maps)):
        bad += [] if derived[r][0] == (W, b) else [f"region {r}: affine_map differs from the map its signs give"]
        if _forward(c.layers, x) != tuple(sum(w * v for w, v in zip(row, x)) + o for row, o in zip(W, b)):
            bad.append(f"region {r}: affine_map at the point differs from the forward pass")
    return bad


def _linear_regions(c: _Certificate, group_of: dict) -> list[str]:
    if not group_of:
        return [f"linear_regions is not a partition of 0..{len(c.signs) - 1} into non-empty groups"]
    bad = [f"linear_regions[{g}]: regions {members[0]} and {r} have different maps"
           for g, members in enumerate(c.groups) for r in members if c.maps[r] != c.maps[members[0]]]
    roots = _roots(len(c.signs), [(i, j) for i, j in c.adjacency if group_of[i] == group_of[j]])
    bad += [f"linear_regions[{g}]: not connected by adjacency"
            for g, members in enumerate(c.groups) if len({roots[r] for r in members}) > 1]
    return bad + [f"adjacency {list(e)} joins two linear regions with the same map"
                  for e in c.adjacency if group_of[e[0]] != group_of[e[1]] and c.maps[e[0]] == c.maps[e[1]]]


def _adjacency(c: _Certificate, closures: list, verts: list, group_of: dict) -> list[str]:
    """Claimed pairs meet in dimension d - 1; equal-map regions of different
    linear regions that are not claimed adjacent do not."""
    def inside(v: tuple, r: int) -> bool:
        return all(_val(con, v) >= 0 for con in closures[r])

    def meet(i: int, j: int) -> int:
        Vi, Vj = [v for v, _ in verts[i]], [v for v, _ in verts[j]]
        # a constraint of one polytope negative at every vertex of the other separates them
        if any(all(_val(con, v) < 0 for v in Vj) for con in closures[i]) or \
                any(all(_val(con, v) < 0 for v in Vi) for con in closures[j]):
            return -1
        # vertices of either lying in the other span part of the intersection; the
        # interiors are disjoint once "volume" passes, so d - 1 found here is exact
        found = _dim([v for v in Vi if inside(v, j)] + [v for v in Vj if inside(v, i)])
        if found >= c.d - 1:
            return found
        return _dim([v for v, _ in _vertices(list(dict.fromkeys(closures[i] + closures[j])), c.d)])

    bad = [f"adjacency {list(e)}: closures meet in dimension {dim}, not {c.d - 1}"
           for e in c.adjacency if (dim := meet(*e)) != c.d - 1]
    same_map: dict = {}
    for r, m in enumerate(c.maps):
        same_map.setdefault(m, []).append(r)
    claimed = set(c.adjacency)
    return bad + [f"regions {i} and {j}: same map and a common facet, but neither adjacent nor one linear region"
                  for rs in same_map.values() for i, j in combinations(rs, 2)
                  if group_of and group_of[i] != group_of[j] and (i, j) not in claimed and meet(i, j) == c.d - 1]


def _volumes(c: _Certificate, all_verts: list, derived: list) -> list[str]:
    """Each closure's polytope satisfies every sign at its vertices and has
    positive volume; the volumes sum to the domain's."""
    bad, total = [], Fraction(0)
    for r, verts in enumerate(all_verts):
        bad += [f"region {r}: sign of neuron {k} {c.neurons[k]} fails at vertex {[str(x) for x in v]}"
                f" of its facets' polytope" for v, _ in verts for k, con in derived[r][1].items() if _val(con, v) < 0][:1]
        volume = _volume(verts, c.d)
        bad += [] if volume else [f"region {r}: closure has zero volume"]
        total += volume
    return bad + ([] if total == c.domain_volume else
                  [f"region volumes sum to {total}, domain volume is {c.domain_volume}"])


def check_certificate(cert: dict, progress: Callable[[int, int], None] | None = None) -> Report:
    """Verify a certificate given as a dict (as read from JSON).

    *progress*, if given, is called as ``progress(done, total)`` as the checks
    advance (one step per check, one per region while the vertices are found).

    Raises
    ------
    CertificateError
        If the certificate is malformed; the message names the location.
    """
    c = _parse(cert)
    n, bad = len(c.signs), _structure(c)
    total = 6 + (2 + n if c.domain_volume is not None else 0)
    step = [0]

    def tick(k: int = 1) -> None:
        step[0] += k
        if progress is not None:
            progress(step[0], total)

    if bad:
        skipped = (Check(name, "not run", "structure failed") for name in CHECK_NAMES[1:])
        return Report(False, (_check("structure", bad, ""), *skipped))
    derived = [_propagate(c.layers, s, c.d) for s in c.signs]  # (map, sign constraints, bad '0's)
    tick()
    first: dict = {}
    group_of = {r: g for g, members in enumerate(c.groups) for r in members}
    if sorted(r for g in c.groups for r in g) != list(range(n)) or not all(c.groups):
        group_of = {}
    actual = {"activation_regions": n, "linear_regions": len(c.groups), "affine_maps": len(set(c.maps))}
    checks = [
        _check("structure", [], f"d = {c.d}, {len(c.neurons)} neurons, {n} regions"),
        _check("distinct_signs", [f"regions {first[s]} and {r} have the same signs {s!r}" for r, s in
                                  enumerate(c.signs) if first.setdefault(s, r) != r], f"{n} sign vectors"),
        _check("points_inside", _points_inside(c, derived), "every point strictly inside its region"),
        _check("affine_maps", _affine_maps(c, derived), "every map agrees with its signs and the forward pass"),
        _check("linear_regions", _linear_regions(c, group_of), f"{len(c.groups)} linear regions"),
        _check("counts", [f"{k} is {c.counts[k]}, should be {v}" for k, v in actual.items() if c.counts[k] != v],
               str(actual))]
    tick(5)
    if c.domain_volume is None:
        checks += [Check(name, "not run", "unbounded domain: checked on bounded domains only")
                   for name in ("adjacency", "volume")]
    else:  # Q_r = domain ∩ the named neuron facets
        closures = [c.domain + [derived[r][1][k] for k in fn] for r, (fn, _) in enumerate(c.facets)]
        verts = []
        for cons in closures:
            verts.append(_vertices(cons, c.d))
            tick()
        checks.append(_check("adjacency", _adjacency(c, closures, verts, group_of),
                             f"{len(c.adjacency)} pairs meet in dimension {c.d - 1}"))
        tick()
        checks.append(_check("volume", _volumes(c, verts, derived),
                             f"region volumes sum to the domain volume {c.domain_volume}"))
        tick()
    return Report(not any(ch.failed for ch in checks), tuple(checks))


def check_file(path: str, progress: Callable[[int, int], None] | None = None) -> Report:
    """Check a certificate file; JSON decimal literals are read exactly.

    Raises
    ------
    CertificateError
        If the file cannot be read or parsed or the certificate is malformed.
    """
    def refuse(name: str) -> object:
        raise CertificateError(f"{name} is not a number")
    try:
        with open(path, encoding="utf-8") as fh:
            cert = json.load(fh, parse_float=str, parse_constant=refuse)
    except (OSError, ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError
        raise _fail(path, f"cannot read JSON: {e}") from None
    return check_certificate(cert, progress)
