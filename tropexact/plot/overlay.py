"""What a 2-D figure shows besides the regions: data points, a slice's anchors, an inset.

* **Data points** (``points``, ``labels``): drawn on every map panel, each in the
  colour of its label's class (:func:`class_colours`, the colours of the classes
  in a decision figure), unlabelled points in black.  :func:`read_points` reads
  a point file (:func:`tropexact.networks.convert.points.load_points`) into the
  figure's coordinates: on a slice P + s·U + t·V of a d-input network, a file
  with 2 coordinates gives (s, t) directly and one with d coordinates gives
  points of Q^d, mapped to the (s, t) of their orthogonal projection onto the
  plane, exactly (:func:`tropexact.networks.slicing.plane_coordinates`).
* **Anchors** (``anchors``): named points; on a slice the command line marks
  P, P + U and P + V at (0, 0), (1, 0) and (0, 1).
* **The inset**: when the default window shows only the dense part of the
  arrangement or the data (:mod:`tropexact.plot.window`), a small panel in a
  corner of the main one shows the window holding every vertex, with the main
  window outlined.

The overlay of the figure being drawn lives in the context variable
:data:`SCENE` (set by :func:`tropexact.plot.render`), so that every figure
function draws it through :func:`tropexact.plot.draw2d.panel_figure`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import plural
from tropexact.networks.convert.points import load_points
from tropexact.networks.slicing import Plane, plane_coordinates

from .base import drawing_float

__all__ = ["Scene", "SCENE", "read_points", "class_colours", "check_scene", "draw_overlay",
           "draw_inset", "inset_corner", "class_name", "scene"]


@dataclass
class Scene:
    """The overlay of one figure (inputs) and what its window rule decided (outputs).

    Attributes
    ----------
    points : tuple of (mpq, mpq)
        Data points in the figure's coordinates.
    labels : tuple of int or None
        A label (class index) per point.
    anchors : tuple of ((mpq, mpq), str)
        Named points to mark.
    classes : tuple of str or None
        The names of the outputs (classes) of a decision figure.
    class_count : int
        The network's number of outputs (points take the colours of its classes).
    whole : tuple or None
        Set by the window rule: the window holding every vertex, when the figure's
        window differs from it (the inset shows it).
    whole_polygons : list
        The regions' polygons clipped to *whole*, for the inset.
    """

    points: tuple = ()
    labels: tuple | None = None
    anchors: tuple = ()
    classes: tuple | None = None
    class_count: int = 0
    whole: tuple | None = None
    whole_polygons: list = field(default_factory=list)


SCENE: ContextVar = ContextVar("tropexact_plot_scene", default=None)


def scene() -> Scene:
    """The overlay of the figure being drawn (an empty one outside :func:`render`)."""
    return SCENE.get() or Scene()


def read_points(path: str, plane: Plane | None = None) -> tuple:
    """(points in the figure's coordinates, labels or None, how many were projected).

    Without a plane the file needs 2 coordinates.  On a plane of Q^d it may have
    2 (the plane's coordinates (s, t)) or d (points of Q^d, projected
    orthogonally onto the plane, exactly); with d = 2 both readings coincide and
    the points are taken as (s, t).
    """
    dims = (2,) if plane is None or plane.dim == 2 else (2, plane.dim)
    ps = load_points(path, dims)
    if ps.dim == 2:
        return ps.points, ps.labels, 0
    return tuple(plane_coordinates(plane, p) for p in ps.points), ps.labels, len(ps.points)


def check_scene(sc: Scene, output_dim: int) -> None:
    """Refuse points and labels that do not fit the figure (one line each)."""
    if sc.classes is not None and len(sc.classes) != output_dim:
        raise InputError(f"{plural(len(sc.classes), 'class name')} for a network with "
                         f"{plural(output_dim, 'output')}", param="classes")
    if sc.labels is not None and len(sc.labels) != len(sc.points):
        raise InputError(f"{plural(len(sc.labels), 'label')} for {plural(len(sc.points), 'point')}",
                         param="labels")
    for p in sc.points:
        if len(p) != 2:
            raise InputError(f"points must have 2 coordinates, got {len(p)}", param="points")


def class_colours(mpl: SimpleNamespace, n: int) -> list:
    """n distinct colours for classes 0..n−1: tab10, tab20 beyond 10, cycled beyond 20."""
    name = "tab10" if n <= 10 else "tab20"
    cols = mpl.colormaps[name].colors
    return [tuple(float(c) for c in cols[k % len(cols)][:3]) for k in range(n)]


def class_name(sc: Scene, k: int) -> str:
    """How the legend names class k: its given name, or ``class k``."""
    return sc.classes[k] if sc.classes is not None else f"class {k}"


def draw_overlay(mpl: SimpleNamespace, ax: Any, prefix: str) -> None:
    """The data points and anchors of the current figure on the map panel *ax*."""
    sc = scene()
    if sc.points:
        n = max(sc.labels, default=-1) + 1 if sc.labels is not None else 0
        cols = class_colours(mpl, max(n, sc.class_count))
        colour = ["black"] * len(sc.points) if sc.labels is None else \
            [cols[k] for k in sc.labels]
        ax.scatter([drawing_float(p[0]) for p in sc.points],
                   [drawing_float(p[1]) for p in sc.points], s=12, c=colour,
                   edgecolors="black", linewidths=0.4, zorder=6, gid=f"{prefix}points")
    if sc.anchors:
        ax.scatter([drawing_float(p[0]) for p, _ in sc.anchors],
                   [drawing_float(p[1]) for p, _ in sc.anchors], s=70, marker="*",
                   color="gold", edgecolors="black", linewidths=0.8, zorder=7,
                   gid=f"{prefix}anchors")
        for p, text in sc.anchors:
            ax.annotate(text, (drawing_float(p[0]), drawing_float(p[1])), xytext=(5, 5),
                        textcoords="offset points", fontsize=9, weight="bold", zorder=8,
                        annotation_clip=True,
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.3", lw=0.5,
                                  alpha=0.85))


def inset_corner(window: tuple, points: Sequence[Sequence[Any]],
                 anchors: Sequence[Sequence[Any]] = ()) -> tuple:
    """The corner of *window* holding no anchor and the fewest *points*: (x, y) of the
    inset, in axes fractions, for an inset of a third of the panel (ties: lower right
    first, then upper right, lower left, upper left)."""
    x0, x1, y0, y1 = window
    w, h = (x1 - x0) / 3, (y1 - y0) / 3
    corners = (((2, 0), (x1 - w, x1, y0, y0 + h)), ((2, 2), (x1 - w, x1, y1 - h, y1)),
               ((0, 0), (x0, x0 + w, y0, y0 + h)), ((0, 2), (x0, x0 + w, y1 - h, y1)))

    def inside(box: tuple, pts: Sequence) -> int:
        return sum(box[0] <= p[0] <= box[1] and box[2] <= p[1] <= box[3] for p in pts)

    def count(box: tuple) -> tuple:
        return inside(box, anchors), inside(box, points)

    (cx, cy), _ = min(corners, key=lambda c: count(c[1]))
    return (0.01 + cx * 0.325, 0.01 + cy * 0.325)


def draw_inset(mpl: SimpleNamespace, ax: Any, window: tuple, vertices: Sequence) -> Any:
    """The whole arrangement (:attr:`Scene.whole`) as a small inset of *ax* (gid ``inset``),
    the main *window* outlined in it; None when there is nothing to show."""
    sc = scene()
    if sc.whole is None:
        return None
    x, y = inset_corner(window, list(vertices) + list(sc.points), [p for p, _ in sc.anchors])
    inset = ax.inset_axes([x, y, 0.32, 0.32], zorder=9)
    inset.set_gid("inset")
    for P in sc.whole_polygons:
        inset.add_patch(mpl.Polygon([(drawing_float(a), drawing_float(b)) for a, b in P],
                                    closed=True, facecolor="0.92", edgecolor="0.45",
                                    linewidth=0.3))
    W = sc.whole
    inset.set_xlim(drawing_float(W[0]), drawing_float(W[1]))
    inset.set_ylim(drawing_float(W[2]), drawing_float(W[3]))
    inset.tick_params(labelsize=5, length=2, pad=1)  # not to scale: the whole box may be flat
    inset.set_title("every vertex (not to scale)", fontsize=6, pad=2)
    inset.add_patch(mpl.Rectangle((drawing_float(window[0]), drawing_float(window[2])),
                                  drawing_float(window[1] - window[0]),
                                  drawing_float(window[3] - window[2]), fill=False,
                                  edgecolor="crimson", lw=1.0, gid="inset-window"))
    # the main window may be a dot at this scale: a ring marks where it is
    inset.scatter([drawing_float((window[0] + window[1]) / 2)],
                  [drawing_float((window[2] + window[3]) / 2)], s=40, facecolors="none",
                  edgecolors="crimson", linewidths=1.0)
    inset.set_facecolor("white")
    return inset
