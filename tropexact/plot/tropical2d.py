"""The tropical figures of 2-input networks: T(F), T(G), and Δ(F) with δ(F) next to T(F).

Edges of a tropical hypersurface T(f) are computed exactly: for adjacent
term regions R_i, R_j (:func:`tropexact.regions.cells.term_regions`), the line
t_i = t_j clipped to R_i and the window.  Artists: ``TF``/``TG`` (line
collections), ``Tf-edge-k`` and ``dual-edge-k`` (one line each).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tropexact.exact.numbers import fmt, plural
from tropexact.regions.pieces import tropicalize
from tropexact.regions import normal_fan_graph, term_regions

from .base import AXIS_NAMES, FigureInfo, assign_colours, drawing_float, fmt_window, \
    shared_term_adjacency, tropical_window, zoom_window
from .draw2d import add_legend, add_polygon, add_segments, drawing_point, label_polygons, \
    panel_figure
from .exact import clip_line, clip_polygon, convex_hull

__all__ = ["hypersurface", "newton"]


def _hypersurface_edges(f: Any, window: tuple) -> tuple:
    """Edges of T(f) in the window as [((p, q), (i, j))], the term regions, their polygons."""
    R = term_regions(f)
    out = []
    for r in R.regions:
        for (b, a), j in zip(r.inequalities, r.neighbors):
            if r.index < j:
                seg = clip_line(b, a, r.inequalities, window)
                if seg is not None:
                    out.append((seg, (r.index, j)))
    polys = [clip_polygon(r.inequalities, window) for r in R.regions]
    return out, R, polys


def _vertices_in(segs: list, window: tuple) -> list:
    """Endpoints of segments strictly inside the window: the vertices of T(f) there."""
    inside = set()
    for (p, q), _ in segs:
        for v in (p, q):
            if window[0] < v[0] < window[1] and window[2] < v[1] < window[3]:
                inside.add(v)
    return sorted(inside)


def hypersurface(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
                 name: str) -> tuple:
    nu = tropicalize(net).outputs[output]
    window = tropical_window(net, window, [nu.F, nu.G])
    data = []
    cells: list = []
    for key, f, col, lw in (("F", nu.F, "tab:blue", 2.6), ("G", nu.G, "tab:orange", 1.4)):
        segs, _, polys = _hypersurface_edges(f, window)
        cells += polys
        data.append((key, f, col, lw, segs, _vertices_in(segs, window)))
    zoom = zoom_window(cells, window)

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for key, f, col, lw, segs, vs in data:
            add_segments(mpl, ax, [s for s, _ in segs], colors=col, linewidths=lw,
                         gid=f"{prefix}T{key}", zorder=2)
            if vs:
                ax.scatter([drawing_float(v[0]) for v in vs], [drawing_float(v[1]) for v in vs],
                           s=12, color=col, zorder=3, gid=f"{prefix}T{key}-vertices")

    title = (f"Tropical hypersurfaces of {name}, output {output}: ν = F − G\n"
             "(where the maximum in F, resp. G, is attained at least twice)")
    fig, _ = panel_figure(mpl, window, zoom, title, draw)
    add_legend(fig, [mpl.Line2D([], [], color=col, lw=lw, marker="o", ms=3,
                                label=f"T({key}): {plural(len(f), 'term')}, "
                                      f"{plural(len(segs), 'edge')}, "
                                      f"{plural(len(vs), 'vertex', 'vertices')}")
                     for key, f, col, lw, segs, vs in data])
    info = FigureInfo("hypersurface", 2, output, window, edges=sum(len(d[4]) for d in data),
                      points=sum(len(d[5]) for d in data),
                      geometry={d[0]: d[4] for d in data} | {"zoom": zoom})
    return fig, info


def newton(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
           name: str) -> tuple:
    f = tropicalize(net).outputs[output].F
    window = tropical_window(net, window, [f])
    segs, R, cells = _hypersurface_edges(f, window) if len(f) else ([], None, [])
    terms = f.terms
    dual = sorted(tuple(sorted(e)) for e in normal_fan_graph(f).edges)
    by_pair = {frozenset((terms[i][0], terms[j][0])): seg for seg, (i, j) in segs}
    palette = assign_colours(mpl, len(segs), shared_term_adjacency(segs))
    colour = {frozenset((terms[i][0], terms[j][0])): palette[k]
              for k, (_, (i, j)) in enumerate(segs)}
    pairs = [(by_pair[frozenset(e)], e) for e in dual if frozenset(e) in by_pair]
    unmatched = [e for e in dual if frozenset(e) not in by_pair]
    texts = [f"({fmt(r.exponent[0])},{fmt(r.exponent[1])})" for r in R.regions] if R else []
    zoom = zoom_window(cells, window)

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for k, (seg, (i, j)) in enumerate(segs):
            p, q = seg
            ax.plot([drawing_float(p[0]), drawing_float(q[0])],
                    [drawing_float(p[1]), drawing_float(q[1])], lw=2.2,
                    gid=f"{prefix}Tf-edge-{k}",
                    color=colour[frozenset((terms[i][0], terms[j][0]))])
        label_polygons(ax, cells, texts, win, size=7, color="0.25")
        if not segs:
            ax.text(0.5, 0.92, "F has one term: T(F) is empty" if len(f) <= 1 else
                    "T(F) does not meet the window", transform=ax.transAxes, ha="center")

    title = (f"{name}: numerator F of output {output} ({plural(len(f), 'term')}; "
             f"{plural(len(segs), 'edge')} of T(F) in {fmt_window(window)})")
    panel = ("T(F): each edge is perpendicular to the dual\n"
             "edge of δ(F) of its colour (labels: exponents)")
    fig, axes = panel_figure(mpl, window, zoom, title, draw, left=1, height=5.4, width=4.9,
                             panel_title=panel)
    _draw_newton_polygon(mpl, axes[0], f, dual, colour)
    info = FigureInfo("newton", 2, output, window, edges=len(segs), dual_edges=len(dual),
                      points=len(terms),
                      geometry={"pairs": pairs, "unmatched_dual": unmatched, "zoom": zoom,
                                "hull": convex_hull([e for e, _ in terms]) if terms else ()})
    return fig, info


def _draw_newton_polygon(mpl: SimpleNamespace, ax: Any, f: Any, dual: list, colour: dict) -> None:
    """Δ(f) filled, δ(f)'s edges in the colours of their dual edges, exponents labelled."""
    terms = f.terms
    exps = [e for e, _ in terms]
    H = convex_hull(exps) if exps else ()
    if len(H) >= 3:
        add_polygon(mpl, ax, H, facecolor="0.92", edgecolor="none", gid="newton-polygon")
    for k, (a, b) in enumerate(dual):
        col = colour.get(frozenset((a, b)))
        style = dict(color=col, lw=2.2) if col is not None else dict(color="0.5", lw=1.2, ls=":")
        ax.plot([drawing_float(a[0]), drawing_float(b[0])],
                [drawing_float(a[1]), drawing_float(b[1])], gid=f"dual-edge-{k}", zorder=2,
                **style)
    if exps:
        ax.scatter([drawing_float(e[0]) for e in exps], [drawing_float(e[1]) for e in exps],
                   s=22, color="black", zorder=3, gid="exponents")
        for e, c in terms:
            ax.annotate(fmt(c), drawing_point(e), xytext=(4, 4), textcoords="offset points",
                        fontsize=7)
        xs, ys = [e[0] for e in exps], [e[1] for e in exps]
        if max(xs) - min(xs) < 1 and max(ys) - min(ys) < 1:  # show at least a unit square
            cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
            ax.update_datalim([drawing_point((cx - 1, cy - 1)), drawing_point((cx + 1, cy + 1))])
            ax.autoscale_view()
        ax.margins(0.12)
    ax.set_aspect("equal", adjustable="datalim")
    x, y = AXIS_NAMES.get()
    ax.set_xlabel(f"exponent of ${x}$")
    ax.set_ylabel(f"exponent of ${y}$")
    ax.set_title("Newton polygon Δ(F) and dual subdivision δ(F)\n"
                 "(dots: exponents; labels: coefficients)", fontsize=10)
