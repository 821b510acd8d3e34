"""The figures of 1-input networks: graphs over the window [xmin, xmax].

Activation regions are intervals; ν is affine on each, so its graph is drawn
from exact values at the interval ends.  Breakpoints, crossings and
tropical points are computed exactly and become floats only in the artists.
Region bands carry the gid ``region-i`` (``linear-g`` for linear regions).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tropexact.exact.numbers import Q, fmt, plural
from tropexact.networks.domain import Domain
from tropexact.regions.pieces import tropicalize
from tropexact.regions import normal_fan_graph, term_regions

from .base import FigureInfo, assign_colours, default_window, drawing_float, fmt_window, \
    graph_adjacency, linear_groups, regions_with_progress, shared_term_adjacency, \
    tropical_window
from .exact import affine_value, interval

__all__ = ["render_1d"]


def _window_intervals(net: Any, window: tuple | None) -> tuple:
    """(window, activation regions in the window, their exact intervals)."""
    if window is None:
        window = default_window(regions_with_progress(net))
    B = regions_with_progress(net, Domain.box(window[:1], window[1:]))
    ivals = [interval(r.inequalities, window) for r in B.regions]
    return window, B, ivals


def _output_value(r: Any, k: int, x: Any) -> Any:
    """ν_k(x) on the activation region r, exactly."""
    return affine_value(r.weight[k], r.bias[k], (x,))


def _setup_axes(ax: Any, window: tuple, title: str, ylabel: str) -> None:
    ax.set_xlim(drawing_float(window[0]), drawing_float(window[1]))
    ax.set_xlabel("$x_0$")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.5)


def _new_figure(mpl: SimpleNamespace, size: tuple = (7.0, 4.5)) -> Any:
    return mpl.Figure(figsize=size, layout="constrained")


def _draw_bands(ax: Any, ivals: list, colours: list, gids: list, alpha: float) -> None:
    """One vertical band per interval, in its colour."""
    for i, (lo, hi) in enumerate(ivals):
        ax.axvspan(drawing_float(lo), drawing_float(hi), color=colours[i], alpha=alpha, lw=0,
                   gid=gids[i])


def _draw_output_pieces(ax: Any, B: Any, ivals: list, k: int, colours: list,
                        lw: float = 2.2) -> None:
    """The graph of ν_k, one segment per activation region, in the region's colour."""
    for i, (r, iv) in enumerate(zip(B.regions, ivals)):
        lo, hi = iv
        ax.plot([drawing_float(lo), drawing_float(hi)],
                [drawing_float(_output_value(r, k, lo)), drawing_float(_output_value(r, k, hi))],
                color=colours[i], lw=lw, gid=f"piece-{i}", solid_capstyle="butt")


def _breakpoints(B: Any, ivals: list) -> list:
    """(x, i, j) for adjacent regions i (left) and j (right), exact x."""
    out = []
    for i, j in B.graph.edges:
        a, b = ivals[i], ivals[j]
        if a[1] == b[0]:
            out.append((a[1], i, j))
        elif b[1] == a[0]:
            out.append((b[1], j, i))
    return sorted(out)


def _scatter_on_output(ax: Any, B: Any, k: int, points: list, **kw: Any) -> None:
    """Mark the breakpoints (x, i, _) on the graph of ν_k (value taken on region i)."""
    ax.scatter([drawing_float(x) for x, _, _ in points],
               [drawing_float(_output_value(B.regions[i], k, x)) for x, i, _ in points],
               s=22, zorder=3, **kw)


def regions(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
            name: str, linear: bool = False) -> tuple:
    window, B, ivals = _window_intervals(net, window)
    n = len(B.regions)
    if linear:
        groups, group_of, group_adjacency = linear_groups(B, output)
        group_colours = assign_colours(mpl, len(groups), group_adjacency)
        cols = [group_colours[group_of[i]] for i in range(n)]
        gids = [f"linear-{group_of[i]}" for i in range(n)]
    else:
        cols = assign_colours(mpl, n, graph_adjacency(B.graph))
        gids = [f"region-{i}" for i in range(n)]
    fig = _new_figure(mpl)
    ax = fig.add_subplot()
    _draw_bands(ax, ivals, cols, gids, alpha=0.22)
    _draw_output_pieces(ax, B, ivals, output, cols)
    bps = _breakpoints(B, ivals)
    marked = [(x, i, j) for x, i, j in bps if not linear or group_of[i] != group_of[j]]
    inner = [(x, i, j) for x, i, j in bps if linear and group_of[i] == group_of[j]]
    for x, i, _ in marked:
        ax.axvline(drawing_float(x), color="0.3", lw=0.7, ls=":")
    _scatter_on_output(ax, B, output, marked, color="black", gid="breakpoints")
    if inner:
        _scatter_on_output(ax, B, output, inner, facecolors="white", edgecolors="black",
                           gid="inner-breakpoints")
    kind = "Linear" if linear else "Activation"
    count = len(groups) if linear else n
    out = f", output {output}" if net.output_dim > 1 else ""
    title = f"{kind} regions of {name}{out}: {count} in {fmt_window(window)}"
    if linear:
        title += "\n(bands: linear regions; hollow dots: activation breakpoints inside one)"
    else:
        title += "\n(bands: activation regions; dots: breakpoints)"
    _setup_axes(ax, window, title, f"$\\nu_{{{output}}}(x_0)$")
    what = "linear" if linear else "regions"
    info = FigureInfo(what, 1, output, window, regions=n,
                      linear_regions=len(groups) if linear else None, patches=n,
                      points=len(marked),
                      geometry={"intervals": ivals, "breakpoints": [x for x, _, _ in marked],
                                "groups": groups if linear else None})
    return fig, info


def linear(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
           name: str) -> tuple:
    return regions(mpl, net, window, output, level, name, linear=True)


def graph(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
          name: str) -> tuple:
    window, B, ivals = _window_intervals(net, window)
    cols = assign_colours(mpl, len(ivals), graph_adjacency(B.graph))
    fig = _new_figure(mpl, (7.0, 3.0))
    ax = fig.add_subplot()
    _draw_bands(ax, ivals, cols, [f"region-{i}" for i in range(len(ivals))], alpha=0.22)
    xs = [drawing_float(r.point[0]) for r in B.regions]
    edges = sorted(B.graph.edges)
    ax.add_collection(mpl.LineCollection([[(xs[i], 0.0), (xs[j], 0.0)] for i, j in edges],
                                         colors="tab:blue", linewidths=1.2, gid="graph-edges"))
    ax.scatter(xs, [0.0] * len(xs), s=30, color="tab:red", zorder=3, gid="graph-nodes")
    for i, x in enumerate(xs):
        ax.annotate(str(i), (x, 0.0), xytext=(0, 7), textcoords="offset points", fontsize=7,
                    ha="center")
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    _setup_axes(ax, window, f"Region adjacency graph of {name}: {len(xs)} nodes, "
                            f"{len(edges)} edges (a path)", "")
    info = FigureInfo("graph", 1, output, window, regions=len(ivals), patches=len(ivals),
                      nodes=len(xs), edges=len(edges),
                      geometry={"points": [r.point for r in B.regions], "edges": edges})
    return fig, info


# -- tropical pictures ---------------------------------------------------------------

def _tropical_points(f: Any, window: tuple) -> list:
    """(x, (i, j)) for each point of T(f) inside the window, exact."""
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


def _draw_polynomial_graph(ax: Any, f: Any, window: tuple, pts: list, **kw: Any) -> None:
    """The graph of the tropical polynomial f over the window (exact at its breakpoints)."""
    xs = [window[0]] + [x for x, _ in pts] + [window[1]]
    ax.plot([drawing_float(x) for x in xs], [drawing_float(f((x,))) for x in xs], **kw)


def hypersurface(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
                 name: str) -> tuple:
    nu = tropicalize(net).outputs[output]
    window = tropical_window(net, window, [nu.F, nu.G])
    fig = _new_figure(mpl)
    ax = fig.add_subplot()
    geometry = {}
    for key, f, col in (("F", nu.F, "tab:blue"), ("G", nu.G, "tab:orange")):
        pts = _tropical_points(f, window)
        geometry[key] = [x for x, _ in pts]
        _draw_polynomial_graph(ax, f, window, pts, color=col, lw=2.0, gid=key,
                               label=f"{key} ({plural(len(f), 'term')}); T({key}): "
                                     f"{plural(len(pts), 'point')}")
        ax.scatter([drawing_float(x) for x, _ in pts], [drawing_float(f((x,))) for x, _ in pts],
                   s=26, color=col, edgecolors="black", zorder=3, gid=f"T{key}")
    ax.legend(fontsize=8, loc="best")
    _setup_axes(ax, window, f"{name}, output {output}: ν = F − G; the tropical hypersurfaces "
                            "T(F), T(G)\nare the marked breakpoints of F and G", "value")
    info = FigureInfo("hypersurface", 1, output, window,
                      points=len(geometry["F"]) + len(geometry["G"]), geometry=geometry)
    return fig, info


def _dual_edge_style(col: Any) -> dict:
    """A dual edge in the colour of its edge of T(f), or dotted grey when it has none."""
    return dict(color=col, lw=2.4) if col is not None else dict(color="0.5", lw=1.2, ls=":")


def _lifted_points_panel(ax: Any, f: Any, pts: list, colour: dict) -> tuple:
    """Left panel of ``newton``: the lifted points (α, c) of f and their upper hull.

    Returns (dual edges, pairs ``(x, (α_i, α_j))`` of a point of T(f) and its dual edge).
    """
    terms = f.terms
    lifted = [(e[0], c) for e, c in terms]
    fan = normal_fan_graph(f)
    dual = sorted(tuple(sorted(e)) for e in fan.edges)
    pairs = []
    for k, (a, b) in enumerate(dual):
        key = frozenset((a, b))
        pa, pb = fan.nodes[a]["lifted"], fan.nodes[b]["lifted"]
        ax.plot([drawing_float(pa[0]), drawing_float(pb[0])],
                [drawing_float(pa[1]), drawing_float(pb[1])], gid=f"dual-edge-{k}",
                **_dual_edge_style(colour.get(key)))
        x = next((x for x, (i, j) in pts if frozenset((terms[i][0], terms[j][0])) == key), None)
        if x is not None:
            pairs.append((x, (a, b)))
    ax.scatter([drawing_float(p[0]) for p in lifted], [drawing_float(p[1]) for p in lifted],
               s=24, color="black", zorder=3, gid="lifted-points")
    if lifted:
        _newton_segment(ax, lifted)
    ax.set_xlabel("exponent α")
    ax.set_ylabel("coefficient c")
    ax.set_title("Lifted points (α, c) of F and their upper hull\n"
                 "(upper edges = dual subdivision δ(F) of the segment Δ(F))", fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.5)
    return dual, pairs


def _newton_segment(ax: Any, lifted: list) -> None:
    """The segment Δ(F) with the projected points, drawn below the lifted points."""
    lo = min(p[1] for p in lifted)
    span = max(max(p[1] for p in lifted) - lo, Q(1))
    base = drawing_float(lo - span / 5)
    ax.plot([drawing_float(min(p[0] for p in lifted)), drawing_float(max(p[0] for p in lifted))],
            [base, base], color="0.4", lw=4, alpha=0.5, solid_capstyle="butt",
            gid="newton-segment")
    ax.scatter([drawing_float(p[0]) for p in lifted], [base] * len(lifted), s=14, color="0.2",
               zorder=3)
    ax.annotate("Δ(F) and δ(F): the projection", (drawing_float(lifted[0][0]), base),
                xytext=(0, 6), textcoords="offset points", fontsize=7)


def newton(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
           name: str) -> tuple:
    f = tropicalize(net).outputs[output].F
    window = tropical_window(net, window, [f])
    terms = f.terms
    pts = _tropical_points(f, window) if len(f) > 1 else []
    palette = assign_colours(mpl, len(pts), shared_term_adjacency(pts))
    colour = {frozenset((terms[i][0], terms[j][0])): palette[k]
              for k, (_, (i, j)) in enumerate(pts)}
    fig = _new_figure(mpl, (12.0, 4.8))
    axl, axr = fig.subplots(1, 2)
    dual, pairs = _lifted_points_panel(axl, f, pts, colour)
    _draw_polynomial_graph(axr, f, window, pts, color="0.2", lw=1.8, gid="F")
    for x, (i, j) in pts:
        col = colour[frozenset((terms[i][0], terms[j][0]))]
        axr.scatter([drawing_float(x)], [drawing_float(f((x,)))], s=40, color=col,
                    edgecolors="black", zorder=3, gid="Tf-point")
        axr.axvline(drawing_float(x), color=col, lw=1, ls=":")
    _setup_axes(axr, window, "F and T(F) (its breakpoints): each point has the colour\n"
                             "of its dual upper edge (slope of that edge = minus the point)",
                "$F(x_0)$")
    fig.suptitle(f"{name}: numerator F of output {output} ({plural(len(f), 'term')})",
                 fontsize=11)
    info = FigureInfo("newton", 1, output, window, edges=len(pts), dual_edges=len(dual),
                      points=len(pts), geometry={"pairs": pairs})
    return fig, info


# -- decision ------------------------------------------------------------------------

def _decision_points(B: Any, ivals: list, p: int, level: Any) -> tuple:
    """(sorted crossings x, intervals where the decision boundary has interior), exact.

    One output: where ν = level.  Several: where two outputs tie as the largest.
    """
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
                if b == 0 and (not pair or _pair_is_largest(r, pair, (lo + hi) / 2)):
                    flat.append((lo, hi))
                continue
            x = -b / w
            if lo <= x <= hi and (not pair or _pair_is_largest(r, pair, x)):
                crossings.add(x)
    return sorted(crossings), flat


def _decision_artists(mpl: SimpleNamespace, ax: Any, B: Any, ivals: list, p: int, level: Any,
                      xs: list, flat: list) -> list:
    """Draw every ν_k, the level (one output), the crossings and flat parts; the legend handles."""
    for k in range(p):
        for r, (lo, hi) in zip(B.regions, ivals):
            ax.plot([drawing_float(lo), drawing_float(hi)],
                    [drawing_float(_output_value(r, k, lo)),
                     drawing_float(_output_value(r, k, hi))], color=f"C{k % 10}", lw=2.0)
    handles = [mpl.Line2D([], [], color=f"C{k % 10}", lw=2, label=f"$\\nu_{{{k}}}$")
               for k in range(p)]
    if p == 1:
        ax.axhline(drawing_float(level), color="crimson", lw=1, ls="--")
        handles.append(mpl.Line2D([], [], color="crimson", ls="--", label=f"level {fmt(level)}"))
        ys = [drawing_float(level)] * len(xs)
    else:
        ys = [drawing_float(max(_output_value(_region_at(B, ivals, x), k, x) for k in range(p)))
              for x in xs]
    ax.scatter([drawing_float(x) for x in xs], ys, s=40, color="crimson", edgecolors="black",
               zorder=4, gid="decision")
    handles.append(mpl.Line2D([], [], color="crimson", marker="o", ls="none",
                              label=f"decision boundary: {plural(len(xs), 'point')}"))
    for lo, hi in flat:
        ax.axvspan(drawing_float(lo), drawing_float(hi), facecolor="none", edgecolor="crimson",
                   hatch="//", alpha=0.6, lw=0.5, gid="decision-flat")
    if flat:
        handles.append(mpl.Patch(facecolor="none", edgecolor="crimson", hatch="//",
                                 label=f"ν ≡ {fmt(level)} on an interval" if p == 1
                                 else "two largest outputs equal on an interval"))
    return handles


def decision(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
             name: str) -> tuple:
    window, B, ivals = _window_intervals(net, window)
    cols = assign_colours(mpl, len(ivals), graph_adjacency(B.graph))
    p = net.output_dim
    fig = _new_figure(mpl)
    ax = fig.add_subplot()
    _draw_bands(ax, ivals, cols, [f"region-{i}" for i in range(len(ivals))], alpha=0.18)
    xs, flat = _decision_points(B, ivals, p, level)
    handles = _decision_artists(mpl, ax, B, ivals, p, level, xs, flat)
    ax.legend(handles=handles, fontsize=8, loc="best")
    what = f"{{ν = {fmt(level)}}}" if p == 1 else "where the two largest outputs tie"
    _setup_axes(ax, window, f"Decision boundary of {name}: {what}", "value")
    info = FigureInfo("decision", 1, output, window, regions=len(ivals), patches=len(ivals),
                      points=len(xs), geometry={"crossings": xs, "flat": flat})
    return fig, info


def _pair_is_largest(r: Any, pair: tuple, x: Any) -> bool:
    """Whether outputs pair[0] and pair[1] are (weakly) the largest at x on region r."""
    v = _output_value(r, pair[0], x)
    return all(_output_value(r, k, x) <= v for k in range(len(r.bias)))


def _region_at(B: Any, ivals: list, x: Any) -> Any:
    """The first activation region whose interval holds x."""
    return next(r for r, (lo, hi) in zip(B.regions, ivals) if lo <= x <= hi)


def render_1d(mpl: SimpleNamespace, net: Any, what: str, window: tuple | None, output: int,
              level: Any, name: str) -> tuple:
    """The figure *what* of a 1-input network: ``(Figure, FigureInfo)``."""
    draw = {"regions": regions, "linear": linear, "hypersurface": hypersurface,
            "newton": newton, "decision": decision, "graph": graph}[what]
    return draw(mpl, net, window, output, level, name)
