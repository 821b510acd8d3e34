"""The figures of 2-input networks: regions, linear, graph, decision (and the dispatch).

The tropical figures (hypersurface, newton) are in :mod:`tropexact.plot.tropical2d`.

Each function computes its geometry exactly (:mod:`tropexact.plot.exact`)
and converts to floats only when it builds an artist.  Artists carry a
``gid`` naming what they are (``region-i``, ``linear-g``, ``TF``, ``TG``,
``Tf-edge-k``, ``dual-edge-k``, ``decision``, ``graph-nodes``, ``graph-edges``)
so that tests can count them; the first axes is always the full window.

When the window holds cells too small to see (a cell strictly inside the
window with less than 1/200 of its area), a second panel zooms on them
(:func:`tropexact.plot.base.zoom_window`): the same exact artists, drawn
again with ``zoom-`` prefixed gids and narrower limits.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tropexact.exact.numbers import fmt, plural

from .base import FigureInfo, assign_colours, graph_adjacency, linear_groups, zoom_window
from .draw2d import EDGE_COLOUR, MAX_LABELS, add_legend, add_polygon, add_segments, \
    drawing_point, edge_width, label_polygons, panel_figure, window_complex
from .classes import class_cells
from .exact import clip_line, clip_polygon, polygon_area, shared_segment
from .overlay import class_colours, class_name, scene
from .tropical2d import hypersurface, newton

__all__ = ["render_2d"]


# -- regions, linear, graph ----------------------------------------------------

def regions(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
            name: str) -> tuple:
    window, B, polys = window_complex(net, window)
    cols = assign_colours(mpl, len(polys), graph_adjacency(B.graph))
    zoom = zoom_window(polys, window)

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for i, P in enumerate(polys):
            add_polygon(mpl, ax, P, facecolor=cols[i], edgecolor=EDGE_COLOUR,
                        linewidth=edge_width(len(polys)), gid=f"{prefix}region-{i}")
        label_polygons(ax, polys, [str(i) for i in range(len(polys))], win)

    title = f"Activation regions of {name}: {len(polys)} in the window"
    if len(polys) <= MAX_LABELS:
        title += "\n(numbers: region index)"
    fig, _ = panel_figure(mpl, window, zoom, title, draw)
    info = FigureInfo("regions", 2, output, window, regions=len(B.regions), patches=len(polys),
                      geometry={"polygons": polys, "zoom": zoom})
    return fig, info


def linear(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
           name: str) -> tuple:
    window, B, polys = window_complex(net, window)
    groups, group_of, group_adjacency = linear_groups(B, output)
    cols = assign_colours(mpl, len(groups), group_adjacency)
    outer: list = []
    inner: list = []
    for i, j in sorted(B.graph.edges):
        seg = shared_segment(B.regions[i].inequalities, B.regions[j].inequalities, window)
        if seg is not None:
            (outer if group_of[i] != group_of[j] else inner).append(seg)
    # label each linear region once, in its largest activation region
    texts: list = [None] * len(polys)
    for g, members in enumerate(groups):
        texts[max(members, key=lambda i: polygon_area(polys[i]))] = f"L{g}"
    zoom = zoom_window(polys, window)

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for i, P in enumerate(polys):
            g = group_of[i]
            add_polygon(mpl, ax, P, facecolor=cols[g], edgecolor=cols[g], linewidth=0.3,
                        gid=f"{prefix}linear-{g}")
        add_segments(mpl, ax, outer, colors=EDGE_COLOUR, linewidths=1.3,
                     gid=f"{prefix}linear-boundaries")
        add_segments(mpl, ax, inner, colors="0.3", linewidths=0.6, linestyles="dashed",
                     gid=f"{prefix}activation-boundaries")
        label_polygons(ax, polys, texts, win)

    out = f", output {output}" if net.output_dim > 1 else ""
    title = (f"Linear regions of {name}{out}: {len(groups)} in the window\n"
             f"({len(polys)} activation regions; Lk: linear region k)")
    fig, _ = panel_figure(mpl, window, zoom, title, draw)
    add_legend(fig, [mpl.Line2D([], [], color=EDGE_COLOUR, lw=1.3,
                                label="boundary between linear regions"),
                     mpl.Line2D([], [], color="0.3", lw=0.6, ls="--",
                                label="activation boundary inside a linear region")])
    info = FigureInfo("linear", 2, output, window, regions=len(B.regions),
                      linear_regions=len(groups), patches=len(polys), edges=len(outer),
                      geometry={"polygons": polys, "groups": groups, "boundaries": outer,
                                "inner": inner, "zoom": zoom})
    return fig, info


def graph(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
          name: str) -> tuple:
    window, B, polys = window_complex(net, window)
    pts = [drawing_point(r.point) for r in B.regions]
    edges = sorted(B.graph.edges)
    zoom = zoom_window(polys, window)

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for i, P in enumerate(polys):
            add_polygon(mpl, ax, P, facecolor="0.94", edgecolor="0.65", linewidth=0.5,
                        gid=f"{prefix}region-{i}")
        ax.add_collection(mpl.LineCollection([[pts[i], pts[j]] for i, j in edges],
                                             colors="tab:blue", linewidths=1.0,
                                             gid=f"{prefix}graph-edges", zorder=3))
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=14, color="tab:red", zorder=4,
                   gid=f"{prefix}graph-nodes")
        skip = zoom if prefix == "" and zoom is not None else None
        for i, r in enumerate(B.regions):
            x, y = r.point
            if skip is not None and skip[0] < x < skip[1] and skip[2] < y < skip[3]:
                continue  # labelled in the zoom
            if win[0] < x < win[1] and win[2] < y < win[3]:
                ax.annotate(str(i), pts[i], xytext=(3, 3), textcoords="offset points",
                            fontsize=6.5, annotation_clip=True)

    title = (f"Region adjacency graph of {name}: {len(pts)} nodes, {len(edges)} edges\n"
             "(nodes at interior points; edges join regions sharing a facet)")
    fig, _ = panel_figure(mpl, window, zoom, title, draw)
    info = FigureInfo("graph", 2, output, window, regions=len(B.regions), patches=len(polys),
                      nodes=len(pts), edges=len(edges),
                      geometry={"points": [r.point for r in B.regions], "edges": edges,
                                "zoom": zoom})
    return fig, info


# -- decision boundary ---------------------------------------------------------

def _decision_pieces(B: Any, window: tuple, level: Any) -> tuple:
    """Exact segments of the decision boundary and polygons where it has interior."""
    p = len(B.regions[0].bias) if B.regions else 1
    segs: dict = {}
    flat: list = []
    for r in B.regions:
        pieces: list[tuple[Any, tuple, tuple]]
        if p == 1:
            pieces = [(r.bias[0] - level, r.weight[0], ())]
        else:
            pieces = []
            for a in range(p):
                for c in range(a + 1, p):
                    top = tuple((r.bias[a] - r.bias[k],
                                 tuple(x - y for x, y in zip(r.weight[a], r.weight[k])))
                                for k in range(p) if k not in (a, c))
                    pieces.append((r.bias[a] - r.bias[c],
                                   tuple(x - y for x, y in zip(r.weight[a], r.weight[c])), top))
        for b, w, extra in pieces:
            rows = r.inequalities + extra
            if not any(w):
                if b == 0:
                    P = clip_polygon(rows, window)
                    if P:
                        flat.append(P)
                continue
            seg = clip_line(b, w, rows, window)
            if seg is not None:
                segs.setdefault(frozenset(seg), seg)
    return list(segs.values()), flat


def decision(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int, level: Any,
             name: str) -> tuple:
    if net.output_dim > 1:
        return decision_classes(mpl, net, window, output, level, name)
    window, B, polys = window_complex(net, window)
    cols = assign_colours(mpl, len(polys), graph_adjacency(B.graph))
    lines, flat = _decision_pieces(B, window, level)
    zoom = zoom_window(polys, window)

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for i, P in enumerate(polys):
            add_polygon(mpl, ax, P, facecolor=cols[i], alpha=0.3, edgecolor="0.55",
                        linewidth=0.5, gid=f"{prefix}region-{i}")
        for P in flat:
            add_polygon(mpl, ax, P, facecolor="none", edgecolor="crimson", hatch="///",
                        linewidth=0.4, gid=f"{prefix}decision-flat")
        add_segments(mpl, ax, lines, colors="crimson", linewidths=2.2, gid=f"{prefix}decision",
                     zorder=3)

    lab = f"decision boundary {{ν = {fmt(level)}}}"
    flat_lab = f"ν ≡ {fmt(level)} on a region with interior"
    title = f"Decision boundary of {name} over its {len(polys)} activation regions"
    fig, _ = panel_figure(mpl, window, zoom, title, draw)
    handles = [mpl.Line2D([], [], color="crimson", lw=2.2, label=lab)]
    if flat:
        handles.append(mpl.Patch(facecolor="none", edgecolor="crimson", hatch="///",
                                 label=flat_lab))
    add_legend(fig, handles)
    info = FigureInfo("decision", 2, output, window, regions=len(B.regions), patches=len(polys),
                      edges=len(lines), geometry={"segments": lines, "flat": flat, "zoom": zoom})
    return fig, info


def decision_classes(mpl: SimpleNamespace, net: Any, window: tuple | None, output: int,
                     level: Any, name: str) -> tuple:
    """The decision figure of a classifier: each point in the colour of its winning class."""
    window, B, polys = window_complex(net, window)
    p = net.output_dim
    cells = class_cells(B.regions, polys, window)
    cols = class_colours(mpl, p)
    lines, flat = _decision_pieces(B, window, level)
    zoom = zoom_window(polys, window)
    lw = edge_width(len(polys))

    def draw(ax: Any, win: tuple, prefix: str) -> None:
        for i, k, P in cells:
            add_polygon(mpl, ax, P, facecolor=cols[k], alpha=0.45, edgecolor="none",
                        gid=f"{prefix}class-{k}")
        for i, P in enumerate(polys):
            add_polygon(mpl, ax, P, facecolor="none", edgecolor="0.5", linewidth=lw * 0.6,
                        gid=f"{prefix}region-{i}")
        for P in flat:
            add_polygon(mpl, ax, P, facecolor="none", edgecolor="black", hatch="///",
                        linewidth=0.4, gid=f"{prefix}decision-flat")
        add_segments(mpl, ax, lines, colors="black", linewidths=1.6, gid=f"{prefix}decision",
                     zorder=3)

    sc = scene()
    title = (f"Decision regions of {name} over its {len(polys)} activation regions\n"
             "(colour: the class with the largest output; a tie goes to the smaller index)")
    fig, _ = panel_figure(mpl, window, zoom, title, draw)
    won = sorted({k for _, k, _ in cells})
    handles = [mpl.Patch(facecolor=cols[k], alpha=0.6, edgecolor="none",
                         label=class_name(sc, k)) for k in won]
    if len(won) < p:
        handles.append(mpl.Patch(facecolor="none", edgecolor="none",
                                 label=f"({plural(p - len(won), 'other class', 'other classes')} "
                                 "not in the window)"))
    handles.append(mpl.Line2D([], [], color="black", lw=1.6,
                              label="decision boundary: the two largest outputs tie"))
    if flat:
        handles.append(mpl.Patch(facecolor="none", edgecolor="black", hatch="///",
                                 label="the two largest outputs agree on a region with interior"))
    add_legend(fig, handles, ncols=min(len(handles), 4))
    info = FigureInfo("decision", 2, output, window, regions=len(B.regions),
                      patches=len(cells), edges=len(lines),
                      geometry={"segments": lines, "flat": flat, "zoom": zoom, "polygons": polys,
                                "classes": cells})
    return fig, info


def render_2d(mpl: SimpleNamespace, net: Any, what: str, window: tuple | None, output: int,
              level: Any, name: str) -> tuple:
    """The figure *what* of a 2-input network: ``(Figure, FigureInfo)``."""
    draw = {"regions": regions, "linear": linear, "hypersurface": hypersurface,
            "newton": newton, "decision": decision, "graph": graph}[what]
    return draw(mpl, net, window, output, level, name)
