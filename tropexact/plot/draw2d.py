"""Drawing helpers shared by the 2-D figures: panels, exact polygons, labels, zoom.

Every helper takes exact data and converts it to floats itself, at the last
moment (:func:`tropexact.plot.base.drawing_float`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable

from tropexact.networks.domain import Domain

from .base import AXIS_NAMES, drawing_float, fmt_window, regions_with_progress
from .exact import clip_polygon, polygon_area, polygon_centroid, polygon_inequalities
from .overlay import draw_inset, draw_overlay, scene
from .window import choose_window

__all__ = ["EDGE_COLOUR", "PANEL_WIDTH", "MAX_LABELS", "drawing_point", "setup_map_axes",
           "window_complex", "add_polygon", "add_segments", "label_polygons", "edge_width",
           "panel_figure", "add_legend"]

EDGE_COLOUR = "#222222"
PANEL_WIDTH = 6.2  # inches per map panel
MAX_LABELS = 80  # beyond this many cells, labels would hide the picture


def edge_width(n: int) -> float:
    """Boundary line width for a figure of *n* cells: thinner as they get many."""
    return 0.7 if n <= 200 else 0.4 if n <= 2000 else 0.2


def drawing_point(p: Any) -> tuple:
    """An exact point of the plane as a pair of floats, for matplotlib only."""
    return (drawing_float(p[0]), drawing_float(p[1]))


def setup_map_axes(ax: Any, window: tuple, title: str) -> None:
    """Limits, equal aspect, axis labels (the input names) and title of a map panel."""
    ax.set_xlim(drawing_float(window[0]), drawing_float(window[1]))
    ax.set_ylim(drawing_float(window[2]), drawing_float(window[3]))
    ax.set_aspect("equal", adjustable="box")
    x, y = AXIS_NAMES.get()
    ax.set_xlabel(f"${x}$")
    ax.set_ylabel(f"${y}$")
    ax.set_title(title, fontsize=10)


def window_complex(net: Any, window: tuple | None) -> tuple:
    """(window, activation regions in the window box, their exact polygons).

    The window defaults to the box of the data points when the figure has some,
    else to the dense window (:mod:`tropexact.plot.window`); either holds the
    anchors.  When it leaves out vertices of the arrangement, the window holding
    them all and the regions' polygons there go to the scene, for the inset.
    """
    if window is None:
        sc = scene()
        C = regions_with_progress(net)
        window, whole = choose_window(C, sc.points, [p for p, _ in sc.anchors])
        if whole is not None:
            sc.whole = whole
            sc.whole_polygons = [P for P in (clip_polygon(r.inequalities, whole)
                                             for r in C.regions) if P]
    B = regions_with_progress(net, Domain.box(window[0::2], window[1::2]))
    polys = [clip_polygon(r.inequalities, window) for r in B.regions]
    return window, B, polys


def add_polygon(mpl: SimpleNamespace, ax: Any, P: tuple, **kw: Any) -> None:
    """Draw the exact polygon *P* (vertices in order) with the artist options *kw*."""
    ax.add_patch(mpl.Polygon([drawing_point(v) for v in P], closed=True, **kw))


def add_segments(mpl: SimpleNamespace, ax: Any, segs: list, **kw: Any) -> None:
    """Draw the exact segments ``[(p, q), ...]`` as one line collection."""
    ax.add_collection(mpl.LineCollection([[drawing_point(p), drawing_point(q)] for p, q in segs],
                                         **kw))


def label_polygons(ax: Any, polys: list, texts: list, win: tuple, size: float = 7,
                   **kw: Any) -> None:
    """Label each polygon at the centroid of its part visible in the panel *win*.

    Parts smaller than 1/1500 of the panel get no label (they are too small to hold
    one), and with more than :data:`MAX_LABELS` cells nothing is labelled.
    """
    if sum(P != () for P in polys) > MAX_LABELS:
        return
    area = (win[1] - win[0]) * (win[3] - win[2])
    for P, text in zip(polys, texts):
        if not P or text is None:
            continue
        V = clip_polygon(polygon_inequalities(P), win)
        if V and polygon_area(V) * 1500 >= area:
            c = polygon_centroid(V)
            ax.text(drawing_float(c[0]), drawing_float(c[1]), text, fontsize=size, ha="center",
                    va="center", clip_on=True, **kw)


def panel_figure(mpl: SimpleNamespace, window: tuple, zoom: tuple | None, title: str,
                 draw: Callable[[Any, tuple, str], None], left: int = 0,
                 height: float = 6.0, width: float = PANEL_WIDTH,
                 panel_title: str | None = None) -> tuple:
    """A figure titled *title* with *left* extra axes, the full window and the zoom (if any).

    ``draw(ax, window, gid_prefix)`` draws the map into one panel; it is called
    with the prefix ``""`` for the full window and ``"zoom-"`` for the zoom.
    Returns ``(figure, list of axes)``.
    """
    n = left + 1 + (zoom is not None)
    fig = mpl.Figure(figsize=(width * n + 0.6, height), layout="constrained")
    fig.suptitle(title, fontsize=11, wrap=True)
    axes = list(fig.subplots(1, n, squeeze=False)[0])
    main = axes[left]
    draw(main, window, "")
    draw_overlay(mpl, main, "")
    setup_map_axes(main, window, panel_title or f"window {fmt_window(window)}")
    draw_inset(mpl, main, window, [v for P in scene().whole_polygons for v in P])
    if zoom is not None:
        z = axes[left + 1]
        draw(z, zoom, "zoom-")
        draw_overlay(mpl, z, "zoom-")
        setup_map_axes(z, zoom, f"zoom on the small cells: {fmt_window(zoom)}")
        main.add_patch(mpl.Rectangle(drawing_point((zoom[0], zoom[2])),
                                     drawing_float(zoom[1] - zoom[0]),
                                     drawing_float(zoom[3] - zoom[2]), fill=False, ls="--",
                                     lw=0.9, edgecolor="black", gid="zoom-box", zorder=5))
    return fig, axes


def add_legend(fig: Any, handles: list, ncols: int | None = None) -> None:
    """The figure's legend, below the panels (*ncols* columns, default up to 3)."""
    fig.legend(handles=handles, loc="outside lower center",
               ncols=ncols or min(len(handles), 3),
               fontsize=8, frameon=False)
