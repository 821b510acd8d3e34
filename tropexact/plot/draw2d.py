"""Drawing helpers shared by the 2-D figures: panels, exact polygons, labels, zoom.

Every helper takes exact data and converts it to floats itself, at the last
moment (:func:`tropexact.plot.base.fl`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable

from tropexact.networks.domain import Domain
from .base import AXES, default_window, fl, fmt_window, regions_of
from .exact import clip_polygon, polygon_area, polygon_centroid, polygon_inequalities

__all__ = ["EDGE", "PANEL", "pt", "setup", "window_complex", "add_polygon",
           "segments", "labels", "edge_width", "MAX_LABELS", "panels", "legend"]

EDGE = "#222222"
PANEL = 6.2  # inches per map panel
MAX_LABELS = 80  # beyond this many cells, labels would hide the picture


def edge_width(n: int) -> float:
    """Boundary line width for a figure of *n* cells: thinner as they get many."""
    return 0.7 if n <= 200 else 0.4 if n <= 2000 else 0.2


def pt(p: Any) -> tuple:
    return (fl(p[0]), fl(p[1]))


def setup(ax: Any, window: tuple, title: str) -> None:
    ax.set_xlim(fl(window[0]), fl(window[1]))
    ax.set_ylim(fl(window[2]), fl(window[3]))
    ax.set_aspect("equal", adjustable="box")
    x, y = AXES.get()
    ax.set_xlabel(f"${x}$")
    ax.set_ylabel(f"${y}$")
    ax.set_title(title, fontsize=10)


def window_complex(net: Any, window: tuple | None) -> tuple:
    if window is None:
        window = default_window(regions_of(net))
    B = regions_of(net, Domain.box(window[0::2], window[1::2]))
    polys = [clip_polygon(r.inequalities, window) for r in B.regions]
    return window, B, polys


def add_polygon(m: SimpleNamespace, ax: Any, P: tuple, **kw: Any) -> None:
    ax.add_patch(m.Polygon([pt(v) for v in P], closed=True, **kw))


def segments(m: SimpleNamespace, ax: Any, segs: list, **kw: Any) -> None:
    ax.add_collection(m.LineCollection([[pt(p), pt(q)] for p, q in segs], **kw))


def labels(ax: Any, polys: list, texts: list, win: tuple, size: float = 7,
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
            ax.text(fl(c[0]), fl(c[1]), text, fontsize=size, ha="center", va="center",
                    clip_on=True, **kw)


def panels(m: SimpleNamespace, window: tuple, zoom: tuple | None, title: str,
            draw: Callable[[Any, tuple, str], None], left: int = 0,
            height: float = 6.0, width: float = PANEL, panel_title: str | None = None) -> tuple:
    """A figure titled *title* with *left* extra axes, the full window and the zoom (if any)."""
    n = left + 1 + (zoom is not None)
    fig = m.Figure(figsize=(width * n + 0.6, height), layout="constrained")
    fig.suptitle(title, fontsize=11, wrap=True)
    axes = list(fig.subplots(1, n, squeeze=False)[0])
    main = axes[left]
    draw(main, window, "")
    setup(main, window, panel_title or f"window {fmt_window(window)}")
    if zoom is not None:
        z = axes[left + 1]
        draw(z, zoom, "zoom-")
        setup(z, zoom, f"zoom on the small cells: {fmt_window(zoom)}")
        main.add_patch(m.Rectangle((fl(zoom[0]), fl(zoom[2])), fl(zoom[1] - zoom[0]),
                                   fl(zoom[3] - zoom[2]), fill=False, ls="--", lw=0.9,
                                   edgecolor="black", gid="zoom-box", zorder=5))
    return fig, axes


def legend(fig: Any, handles: list) -> None:
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 3),
               fontsize=8, frameon=False)
