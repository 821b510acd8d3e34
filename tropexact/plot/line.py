"""The figures of 1-input networks: graphs over the window [xmin, xmax].

Activation regions are intervals; ν is affine on each, so its graph is drawn
from exact values at the interval ends.  Breakpoints, crossings and
tropical points are computed exactly and become floats only in the artists.
Region bands carry the gid ``region-i`` (``linear-g`` for linear regions).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tropexact.networks.domain import Domain
from tropexact.exact.numbers import Q, fmt
from .base import FigureInfo, assign_colours, default_window, fl, fmt_window, linear_groups, \
    neighbours, plural, regions_of, sharing, tropical_window
from .exact import affine_value, interval

__all__ = ["render1"]


def _complex(net: Any, window: tuple | None) -> tuple:
    if window is None:
        window = default_window(regions_of(net))
    B = regions_of(net, Domain.box(window[:1], window[1:]))
    ivals = [interval(r.inequalities, window) for r in B.regions]
    return window, B, ivals


def _nu(r: Any, k: int, x: Any) -> Any:
    return affine_value(r.weight[k], r.bias[k], (x,))


def _setup(ax: Any, window: tuple, title: str, ylabel: str) -> None:
    ax.set_xlim(fl(window[0]), fl(window[1]))
    ax.set_xlabel("$x_0$")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.5)


def _figure(m: SimpleNamespace, size: tuple = (7.0, 4.5)) -> Any:
    return m.Figure(figsize=size, layout="constrained")


def _piecewise(ax: Any, B: Any, ivals: list, k: int, colours: list, lw: float = 2.2) -> None:
    for i, (r, iv) in enumerate(zip(B.regions, ivals)):
        lo, hi = iv
        ax.plot([fl(lo), fl(hi)], [fl(_nu(r, k, lo)), fl(_nu(r, k, hi))], color=colours[i], lw=lw,
                gid=f"piece-{i}", solid_capstyle="butt")


def _breakpoints(B: Any, ivals: list, window: tuple) -> list:
    """(x, i, j) for adjacent regions i (left) and j (right), exact x."""
    out = []
    for i, j in B.graph.edges:
        a, b = ivals[i], ivals[j]
        if a[1] == b[0]:
            out.append((a[1], i, j))
        elif b[1] == a[0]:
            out.append((b[1], j, i))
    return sorted(out)


def regions(m: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
            name: str, linear: bool = False) -> tuple:
    window, B, ivals = _complex(net, window)
    n = len(B.regions)
    if linear:
        groups, group_of, gnb = linear_groups(B, output)
        gcols = assign_colours(m, len(groups), gnb)
        cols = [gcols[group_of[i]] for i in range(n)]
        gids = [f"linear-{group_of[i]}" for i in range(n)]
    else:
        cols = assign_colours(m, n, neighbours(B.graph))
        gids = [f"region-{i}" for i in range(n)]
    fig = _figure(m)
    ax = fig.add_subplot()
    for i, (lo, hi) in enumerate(ivals):
        ax.axvspan(fl(lo), fl(hi), color=cols[i], alpha=0.22, lw=0, gid=gids[i])
    _piecewise(ax, B, ivals, output, cols)
    bps = _breakpoints(B, ivals, window)
    marked = [(x, i, j) for x, i, j in bps if not linear or group_of[i] != group_of[j]]
    inner = [(x, i, j) for x, i, j in bps if linear and group_of[i] == group_of[j]]
    for x, i, _ in marked:
        ax.axvline(fl(x), color="0.3", lw=0.7, ls=":")
    ax.scatter([fl(x) for x, _, _ in marked], [fl(_nu(B.regions[i], output, x))
                                                for x, i, _ in marked],
               s=22, color="black", zorder=3, gid="breakpoints")
    if inner:
        ax.scatter([fl(x) for x, _, _ in inner], [fl(_nu(B.regions[i], output, x))
                                                   for x, i, _ in inner],
                   s=22, facecolors="white", edgecolors="black", zorder=3, gid="inner-breakpoints")
    kind = "Linear" if linear else "Activation"
    count = len(groups) if linear else n
    out = f", output {output}" if net.output_dim > 1 else ""
    title = f"{kind} regions of {name}{out}: {count} in {fmt_window(window)}"
    if linear:
        title += "\n(bands: linear regions; hollow dots: activation breakpoints inside one)"
    else:
        title += "\n(bands: activation regions; dots: breakpoints)"
    _setup(ax, window, title, f"$\\nu_{{{output}}}(x_0)$")
    what = "linear" if linear else "regions"
    info = FigureInfo(what, 1, output, window, regions=n,
                      linear_regions=len(groups) if linear else None, patches=n,
                      points=len(marked),
                      geometry={"intervals": ivals, "breakpoints": [x for x, _, _ in marked],
                                "groups": groups if linear else None})
    return fig, info


def linear(m: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
           name: str) -> tuple:
    return regions(m, net, window, output, level, name, linear=True)


def graph(m: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
          name: str) -> tuple:
    window, B, ivals = _complex(net, window)
    cols = assign_colours(m, len(ivals), neighbours(B.graph))
    fig = _figure(m, (7.0, 3.0))
    ax = fig.add_subplot()
    for i, (lo, hi) in enumerate(ivals):
        ax.axvspan(fl(lo), fl(hi), color=cols[i], alpha=0.22, lw=0, gid=f"region-{i}")
    xs = [fl(r.point[0]) for r in B.regions]
    edges = sorted(B.graph.edges)
    ax.add_collection(m.LineCollection([[(xs[i], 0.0), (xs[j], 0.0)] for i, j in edges],
                                       colors="tab:blue", linewidths=1.2, gid="graph-edges"))
    ax.scatter(xs, [0.0] * len(xs), s=30, color="tab:red", zorder=3, gid="graph-nodes")
    for i, x in enumerate(xs):
        ax.annotate(str(i), (x, 0.0), xytext=(0, 7), textcoords="offset points", fontsize=7,
                    ha="center")
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    _setup(ax, window, f"Region adjacency graph of {name}: {len(xs)} nodes, {len(edges)} edges"
                       " (a path)", "")
    info = FigureInfo("graph", 1, output, window, regions=len(ivals), patches=len(ivals),
                      nodes=len(xs), edges=len(edges),
                      geometry={"points": [r.point for r in B.regions], "edges": edges})
    return fig, info


# -- tropical pictures ---------------------------------------------------------------

def _tropical_points(f: Any, window: tuple) -> list:
    """(x, (i, j)) for each point of T(f) inside the window, exact."""
    from tropexact.regions.cells import term_regions

    out = []
    terms = f.terms
    G = term_regions(f).graph
    for u, v in G.edges:
        i, j = G.nodes[u]["index"], G.nodes[v]["index"]
        (ai,), ci = terms[i]
        (aj,), cj = terms[j]
        x = (cj - ci) / (ai - aj)
        if window[0] < x < window[1]:
            out.append((x, (min(i, j), max(i, j))))
    return sorted(out)


def _graph_of(ax: Any, f: Any, window: tuple, pts: list, **kw: Any) -> None:
    xs = [window[0]] + [x for x, _ in pts] + [window[1]]
    ax.plot([fl(x) for x in xs], [fl(f((x,))) for x in xs], **kw)


def hypersurface(m: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
                 name: str) -> tuple:
    from tropexact.networks.tropicalization import tropicalize

    o = tropicalize(net).outputs[output]
    window = tropical_window(net, window, [o.F, o.G])
    fig = _figure(m)
    ax = fig.add_subplot()
    geo = {}
    for key, f, col in (("F", o.F, "tab:blue"), ("G", o.G, "tab:orange")):
        pts = _tropical_points(f, window)
        geo[key] = [x for x, _ in pts]
        _graph_of(ax, f, window, pts, color=col, lw=2.0, gid=key,
                  label=f"{key} ({plural(len(f), 'term')}); T({key}): "
                        f"{plural(len(pts), 'point')}")
        ax.scatter([fl(x) for x, _ in pts], [fl(f((x,))) for x, _ in pts], s=26, color=col,
                   edgecolors="black", zorder=3, gid=f"T{key}")
    ax.legend(fontsize=8, loc="best")
    _setup(ax, window, f"{name}, output {output}: ν = F − G; the tropical hypersurfaces T(F), "
                       "T(G)\nare the marked breakpoints of F and G", "value")
    info = FigureInfo("hypersurface", 1, output, window, points=len(geo["F"]) + len(geo["G"]),
                      geometry=geo)
    return fig, info


def newton(m: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
           name: str) -> tuple:
    from tropexact.regions.cells import normal_fan_graph
    from tropexact.networks.tropicalization import tropicalize

    f = tropicalize(net).outputs[output].F
    window = tropical_window(net, window, [f])
    terms = f.terms
    pts = _tropical_points(f, window) if len(f) > 1 else []
    pal = assign_colours(m, len(pts), sharing(pts))
    colour = {frozenset((terms[i][0], terms[j][0])): pal[k] for k, (_, (i, j)) in enumerate(pts)}
    fig = _figure(m, (12.0, 4.8))
    axl, axr = fig.subplots(1, 2)
    lifted = [(e[0], c) for e, c in terms]
    fan = normal_fan_graph(f)
    dual = sorted(tuple(sorted(e)) for e in fan.edges)
    pairs = []
    for k, (a, b) in enumerate(dual):
        key = frozenset((a, b))
        pa, pb = fan.nodes[a]["lifted"], fan.nodes[b]["lifted"]
        col = colour.get(key)
        style = dict(color=col, lw=2.4) if col is not None else dict(color="0.5", lw=1.2, ls=":")
        axl.plot([fl(pa[0]), fl(pb[0])], [fl(pa[1]), fl(pb[1])], gid=f"dual-edge-{k}", **style)
        x = next((x for x, (i, j) in pts if frozenset((terms[i][0], terms[j][0])) == key), None)
        if x is not None:
            pairs.append((x, (a, b)))
    axl.scatter([fl(p[0]) for p in lifted], [fl(p[1]) for p in lifted], s=24, color="black",
                zorder=3, gid="lifted-points")
    if lifted:
        lo = min(p[1] for p in lifted)
        span = max(max(p[1] for p in lifted) - lo, Q(1))
        base = fl(lo - span / 5)
        axl.plot([fl(min(p[0] for p in lifted)), fl(max(p[0] for p in lifted))], [base, base],
                 color="0.4", lw=4, alpha=0.5, solid_capstyle="butt", gid="newton-segment")
        axl.scatter([fl(p[0]) for p in lifted], [base] * len(lifted), s=14, color="0.2",
                    zorder=3)
        axl.annotate("Δ(F) and δ(F): the projection", (fl(lifted[0][0]), base), xytext=(0, 6),
                     textcoords="offset points", fontsize=7)
    axl.set_xlabel("exponent α")
    axl.set_ylabel("coefficient c")
    axl.set_title("Lifted points (α, c) of F and their upper hull\n"
                  "(upper edges = dual subdivision δ(F) of the segment Δ(F))", fontsize=10)
    axl.grid(True, lw=0.3, alpha=0.5)
    _graph_of(axr, f, window, pts, color="0.2", lw=1.8, gid="F")
    for x, (i, j) in pts:
        col = colour[frozenset((terms[i][0], terms[j][0]))]
        axr.scatter([fl(x)], [fl(f((x,)))], s=40, color=col, edgecolors="black", zorder=3,
                    gid="Tf-point")
        axr.axvline(fl(x), color=col, lw=1, ls=":")
    _setup(axr, window, "F and T(F) (its breakpoints): each point has the colour\n"
                        "of its dual upper edge (slope of that edge = minus the point)",
           "$F(x_0)$")
    fig.suptitle(f"{name}: numerator F of output {output} ({plural(len(f), 'term')})",
                 fontsize=11)
    info = FigureInfo("newton", 1, output, window, edges=len(pts), dual_edges=len(dual),
                      points=len(pts), geometry={"pairs": pairs})
    return fig, info


# -- decision ------------------------------------------------------------------------

def decision(m: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
             name: str) -> tuple:
    window, B, ivals = _complex(net, window)
    cols = assign_colours(m, len(ivals), neighbours(B.graph))
    p = net.output_dim
    fig = _figure(m)
    ax = fig.add_subplot()
    for i, (lo, hi) in enumerate(ivals):
        ax.axvspan(fl(lo), fl(hi), color=cols[i], alpha=0.18, lw=0, gid=f"region-{i}")
    crossings: set = set()
    flat = []
    for r, (lo, hi) in zip(B.regions, ivals):
        tests: list[tuple[Any, Any, tuple]]
        if p == 1:
            tests = [(r.weight[0][0], r.bias[0] - level, ())]
        else:
            tests = [(r.weight[a][0] - r.weight[c][0], r.bias[a] - r.bias[c], (a, c))
                     for a in range(p) for c in range(a + 1, p)]
        for w, b, pair in tests:
            if w == 0:
                if b == 0 and (not pair or _top(r, pair, (lo + hi) / 2)):
                    flat.append((lo, hi))
                continue
            x = -b / w
            if lo <= x <= hi and (not pair or _top(r, pair, x)):
                crossings.add(x)
    xs = sorted(crossings)
    for k in range(p):
        for r, (lo, hi) in zip(B.regions, ivals):
            ax.plot([fl(lo), fl(hi)], [fl(_nu(r, k, lo)), fl(_nu(r, k, hi))],
                    color=f"C{k % 10}", lw=2.0)
    handles = [m.Line2D([], [], color=f"C{k % 10}", lw=2, label=f"$\\nu_{{{k}}}$")
               for k in range(p)]
    if p == 1:
        ax.axhline(fl(level), color="crimson", lw=1, ls="--")
        handles.append(m.Line2D([], [], color="crimson", ls="--", label=f"level {fmt(level)}"))
        ys = [fl(level)] * len(xs)
    else:
        ys = [fl(max(_nu(_region_at(B, ivals, x), k, x) for k in range(p))) for x in xs]
    ax.scatter([fl(x) for x in xs], ys, s=40, color="crimson", edgecolors="black", zorder=4,
               gid="decision")
    handles.append(m.Line2D([], [], color="crimson", marker="o", ls="none",
                            label=f"decision boundary: {plural(len(xs), 'point')}"))
    for lo, hi in flat:
        ax.axvspan(fl(lo), fl(hi), facecolor="none", edgecolor="crimson", hatch="//",
                   alpha=0.6, lw=0.5, gid="decision-flat")
    if flat:
        handles.append(m.Patch(facecolor="none", edgecolor="crimson", hatch="//",
                               label=f"ν ≡ {fmt(level)} on an interval" if p == 1
                               else "two largest outputs equal on an interval"))
    ax.legend(handles=handles, fontsize=8, loc="best")
    what = f"{{ν = {fmt(level)}}}" if p == 1 else "where the two largest outputs tie"
    _setup(ax, window, f"Decision boundary of {name}: {what}", "value")
    info = FigureInfo("decision", 1, output, window, regions=len(ivals), patches=len(ivals),
                      points=len(xs), geometry={"crossings": xs, "flat": flat})
    return fig, info


def _top(r: Any, pair: tuple, x: Any) -> bool:
    """Whether outputs pair[0] and pair[1] are (weakly) the largest at x on region r."""
    v = _nu(r, pair[0], x)
    return all(_nu(r, k, x) <= v for k in range(len(r.bias)))


def _region_at(B: Any, ivals: list, x: Any) -> Any:
    return next(r for r, (lo, hi) in zip(B.regions, ivals) if lo <= x <= hi)


def render1(m: SimpleNamespace, net: Any, what: str, window: tuple | None, output: int,
            level: Any, name: str) -> tuple:
    fn = {"regions": regions, "linear": linear, "hypersurface": hypersurface, "newton": newton,
          "decision": decision, "graph": graph}[what]
    return fn(m, net, window, output, level, name)
