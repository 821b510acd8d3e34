"""Shared pieces of the figures: FigureInfo, windows, colours, the lazy matplotlib import.

Nothing here imports matplotlib at module level; :func:`load_matplotlib` does
it on demand and turns a missing installation into an :class:`InputError`.
:func:`drawing_float` is the one place where an exact number becomes a float.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import Q, fmt_short, plural, to_rational
from tropexact.polyhedra import from_inequalities
from tropexact.regions import (RegionComplex, activation_regions, enclosing_box, linear_regions,
                               term_regions)

from .exact import polygon_area

__all__ = ["WHATS", "PROGRESS", "AXIS_NAMES", "FigureInfo", "load_matplotlib", "check_window",
           "default_window", "assign_colours", "drawing_float", "fmt_window", "term_vertices",
           "tropical_window", "zoom_window", "regions_with_progress", "graph_adjacency",
           "shared_term_adjacency", "linear_groups", "undrawable"]

WHATS = ("regions", "linear", "hypersurface", "newton", "decision", "graph")

# The progress callback of the figure being rendered (set by tropexact.plot.render),
# so that every region enumeration behind a figure reports to one progress bar.
PROGRESS: ContextVar = ContextVar("tropexact_plot_progress", default=None)
# The names of the two inputs in axis labels (TeX without $): ("s", "t") for a slice.
AXIS_NAMES: ContextVar = ContextVar("tropexact_plot_axes", default=("x_0", "x_1"))


def regions_with_progress(net: Any, domain: Any = None) -> Any:
    """``activation_regions(net, domain)``, reporting to the current figure's progress."""
    return activation_regions(net, domain, progress=PROGRESS.get())


@dataclass(frozen=True)
class FigureInfo:
    """What a figure shows, for a one-line summary and for tests.

    Attributes
    ----------
    what : str
        One of :data:`WHATS`.
    input_dim, output : int
        The network's input dimension and the output drawn.
    window : tuple of mpq
        (xmin, xmax, ymin, ymax), or (xmin, xmax) for a 1-input network.
    regions : int or None
        Activation regions in the window (None when the figure does not use them).
    linear_regions : int or None
        Linear regions in the window (``linear`` only).
    patches : int
        Filled region shapes drawn (polygons in 2-D, bands in 1-D).
    edges : int
        Segments drawn: boundaries between linear regions, edges of T(F) and
        T(G), edges of T(f), pieces of the decision boundary, graph edges.
    dual_edges : int or None
        Edges of the dual subdivision δ(f) drawn (``newton`` only).
    nodes : int
        Graph nodes drawn (``graph``).
    points : int
        Marked points: breakpoints and crossings in 1-D, tropical vertices.
    path : str or None
        Where the figure was written (:func:`tropexact.plot.save_figure`).
    geometry : dict
        The exact data the artists were built from (before float conversion),
        e.g. ``geometry["pairs"]`` for ``newton``: ((p, q), (α_i, α_j)) per
        edge of T(f) and its dual edge.
    """

    what: str
    input_dim: int
    output: int
    window: tuple
    regions: int | None = None
    linear_regions: int | None = None
    patches: int = 0
    edges: int = 0
    dual_edges: int | None = None
    nodes: int = 0
    points: int = 0
    path: str | None = None
    geometry: dict = field(default_factory=dict, compare=False, repr=False)

    def summary(self) -> str:
        """One line for the command line, e.g. ``regions: 23 activation regions, ...``."""
        parts = []
        if self.regions is not None:
            parts.append(plural(self.regions, "activation region"))
        if self.linear_regions is not None:
            parts.append(plural(self.linear_regions, "linear region"))
        for n, word in ((self.patches, "patch"), (self.edges, "edge"),
                        (self.dual_edges, "dual edge"), (self.nodes, "node"),
                        (self.points, "point")):
            if n or (word == "dual edge" and n is not None):
                parts.append(plural(n, word, "patches" if word == "patch" else None))
        text = f"{self.what}: {', '.join(parts) or 'drawn'} in {fmt_window(self.window)}"
        return text + (f" -> {self.path}" if self.path else "")


def fmt_window(window: Sequence[Any]) -> str:
    """``[lo,hi]×[lo,hi]`` with exact numbers (a number longer than 40 characters by
    its size: titles and messages stay readable)."""
    return "×".join(f"[{fmt_short(window[i])},{fmt_short(window[i + 1])}]"
                    for i in range(0, len(window), 2))


#: the largest absolute value drawn: floats end near 1.8e308, and matplotlib computes
#: margins and ticks beyond the data
DRAW_MAX = 10 ** 300
#: an axis whose bounds are all smaller than this in absolute value is singular to
#: matplotlib (it replaces the limits by [-0.05, 0.05])
_AXIS_MIN = Q(1, 10 ** 280)
#: the smallest width of an axis relative to its largest |bound|: 2^-40 leaves some
#: 4,000 floats across it (matplotlib calls an axis narrower than 1e-15 of it singular)
_WIDTH_MIN = Q(1, 2 ** 40)


def undrawable(window: Sequence[Any]) -> str | None:
    """Why floating-point drawing cannot show the exact *window* faithfully, or None.

    Checked exactly: every bound at most :data:`DRAW_MAX` in absolute value, each
    axis reaching beyond 1e-280 from 0, each width at least 2^-40 of the axis'
    largest absolute bound, so that the float bounds stay ordered and matplotlib
    keeps them, and in the plane sides within a factor 2^40 of each other (the
    figure has equal aspect; matplotlib fails near 1e16).

    Examples
    --------
    >>> undrawable((Q(0), Q(1))) is None
    True
    >>> undrawable((Q(1), 1 + Q(1, 10 ** 15)))
    '[1,1000000000000001/1000000000000000] is too narrow for floating point: its width must be at least 2^-40 of its largest |bound|'
    """
    for i in range(0, len(window), 2):
        lo, hi = window[i], window[i + 1]
        big = max(abs(lo), abs(hi))
        shown = f"[{fmt_short(lo)},{fmt_short(hi)}]"
        if big > DRAW_MAX:
            return f"{shown} reaches beyond 1e300 in absolute value, where floating point ends"
        if big < _AXIS_MIN:
            return f"{shown} lies within 1e-280 of 0, too close for floating point"
        if hi - lo < big * _WIDTH_MIN:
            return f"{shown} is too narrow for floating point: its width must be at least " \
                   "2^-40 of its largest |bound|"
    sides = [window[i + 1] - window[i] for i in range(0, len(window), 2)]
    if len(sides) == 2 and max(sides) > min(sides) * 2 ** 40:
        return f"{fmt_window(window)} has sides whose ratio is beyond 2^40, which a figure of " \
               "equal aspect cannot show"
    return None


def drawing_float(x: Any) -> float:
    """An exact number as a float, for handing to matplotlib only.

    The one place where an exact number becomes a float: geometry is never
    computed on the result.

    Raises
    ------
    InputError
        If ``abs(x)`` is beyond :data:`DRAW_MAX` (a float would be infinite or
        overflow matplotlib's arithmetic).

    Examples
    --------
    >>> drawing_float(Q(1, 4))
    0.25
    """
    try:
        f = float(x)
    except OverflowError:
        f = math.inf
    if not abs(f) <= 1e300:  # the float nearest DRAW_MAX (a window's bound may be it)
        raise InputError(f"cannot draw the number {fmt_short(x)}: drawing uses floating point, "
                         "here up to 1e300 in absolute value")
    return f


def load_matplotlib() -> SimpleNamespace:
    """The matplotlib pieces the figures use, imported now (never pyplot)."""
    try:
        import matplotlib
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch, Polygon, Rectangle
    except ImportError:
        raise InputError("matplotlib is not installed: pip install 'tropexact[plot]'") from None
    return SimpleNamespace(matplotlib=matplotlib, Figure=Figure, Polygon=Polygon, Patch=Patch,
                           Rectangle=Rectangle,
                           Line2D=Line2D, LineCollection=LineCollection,
                           colormaps=matplotlib.colormaps)


def check_window(window: Sequence[Any] | None, d: int) -> tuple | None:
    """Validate a user window for a d-input network; exact rationals out."""
    if window is None:
        return None
    try:
        w = tuple(to_rational(v) for v in window)
    except InputError as e:
        raise InputError(e.message, e.where, param="window") from None
    if len(w) != 2 * d:
        need = "xmin,xmax" if d == 1 else "xmin,xmax,ymin,ymax"
        raise InputError(f"a network with {plural(d, 'input')} needs {need} "
                         f"({2 * d} numbers), got {len(w)}", param="window")
    for i in range(d):
        if w[2 * i] >= w[2 * i + 1]:
            raise InputError(f"needs min < max in every coordinate, got {fmt_window(w)}",
                             param="window")
    why = undrawable(w)
    if why is not None:
        raise InputError(why, param="window")
    return w


def default_window(C: RegionComplex, extra_points: Sequence[Sequence[Any]] = ()) -> tuple:
    """A window holding every vertex of the region complex C (and *extra_points*).

    The box is :func:`tropexact.regions.enclosing_box` (integers, one unit
    beyond every vertex), grown to hold the extra points the same way, then
    enlarged on each side by a tenth of its extent rounded up, so that every
    bounded region and every vertex sits well inside.
    """
    lo, hi = enclosing_box(C)
    lo, hi = [int(v) for v in lo], [int(v) for v in hi]
    for p in extra_points:
        for i, x in enumerate(p):
            lo[i] = min(lo[i], math.floor(x) - 1)
            hi[i] = max(hi[i], math.ceil(x) + 1)
    out = []
    for a, b in zip(lo, hi):
        margin = max(1, -(-(b - a) // 10))  # ceil((b - a)/10) in integers
        out += [Q(a - margin), Q(b + margin)]
    why = undrawable(out)
    if why is not None:
        raise InputError(f"the default window {why}: give a window the figure can show",
                         param="window")
    return tuple(out)


def _palette(mpl: SimpleNamespace) -> list:
    """Distinct RGB colours from matplotlib's qualitative colormaps, in order."""
    cols: list = []
    for name in ("tab10", "Set2", "Pastel1", "Dark2", "tab20b", "Set3", "tab20c"):
        for c in mpl.colormaps[name].colors:
            c = tuple(float(v) for v in c[:3])
            # skip near-duplicates across colormaps (tab10's pink and Set2's, ...)
            if all(sum((a - b) ** 2 for a, b in zip(c, d)) >= 0.15 ** 2 for d in cols):
                cols.append(c)
    return cols


def graph_adjacency(G: Any) -> dict:
    """Adjacency of a networkx graph as {node: set of neighbours}."""
    return {i: set(G[i]) for i in G}


def shared_term_adjacency(items: list) -> dict:
    """Edges (…, (i, j)) that share a term are neighbours: their colours should differ."""
    out: dict = {k: set() for k in range(len(items))}
    for k, (_, e) in enumerate(items):
        for l, (_, g) in enumerate(items[:k]):
            if set(e) & set(g):
                out[k].add(l)
                out[l].add(k)
    return out


def linear_groups(B: Any, output: int) -> tuple:
    """The linear regions of complex *B* for *output*: (groups, group_of, adjacency of groups)."""
    groups = linear_regions(B, output)
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    adjacency: dict = {g: set() for g in range(len(groups))}
    for i, j in B.graph.edges:
        if group_of[i] != group_of[j]:
            adjacency[group_of[i]].add(group_of[j])
            adjacency[group_of[j]].add(group_of[i])
    return groups, group_of, adjacency


def assign_colours(mpl: SimpleNamespace, n: int, adjacency: dict) -> list:
    """A colour per item 0..n−1 from qualitative colormaps, cycled.

    Items get distinct colours while the palette lasts (about 70 colours);
    in any case an item never gets the colour of an already coloured
    neighbour, and prefers one well apart from theirs.
    """
    palette = _palette(mpl)
    used: set = set()
    out: list = []

    def dist(c1: tuple, c2: tuple) -> float:
        return sum((a - b) ** 2 for a, b in zip(c1, c2)) ** 0.5

    for i in range(n):
        near = [out[j] for j in adjacency.get(i, ()) if j < i]
        cand = [k for k in range(len(palette)) if k not in used] or list(range(len(palette)))
        cand = [k for k in cand if palette[k] not in near] or cand
        best = next((k for k in cand if all(dist(palette[k], c) >= 0.3 for c in near)), None)
        if best is None:
            best = max(cand, key=lambda k: min((dist(palette[k], c) for c in near), default=0))
        used.add(best)
        if len(used) == len(palette):
            used = set()
        out.append(palette[best])
    return out


def term_vertices(polys: list) -> list:
    """Vertices of the term regions of each polynomial (exact, via cdd)."""
    out = []
    for f in polys:
        for r in term_regions(f).regions:
            if r.inequalities:
                out += list(from_inequalities(r.inequalities, ambient_dim=f.nvars).vertices)
    return out


def tropical_window(net: Any, window: tuple | None, polys: list) -> tuple:
    """*window*, or by default one holding the region complex and the term regions of *polys*."""
    if window is not None:
        return window
    return default_window(regions_with_progress(net), term_vertices(polys))


def _decimal_step(x: Any) -> Any:
    """The power of ten (an exact rational) with step <= x < 10·step, for x > 0."""
    s = Q(1)
    while s > x:
        s /= 10
    while s * 10 <= x:
        s *= 10
    return s


def zoom_window(polys: Sequence[tuple], window: Sequence[Any]) -> tuple | None:
    """A square window around the cells too small to see, or None.

    A cell is small when it lies strictly inside *window* and has less than
    1/200 of its area.  The zoom is the square around their vertices, one
    and a half times as wide, rounded outwards to a decimal grid; None when
    there is no small cell or the zoom would show more than half the window.
    """
    x0, x1, y0, y1 = window
    area = (x1 - x0) * (y1 - y0)
    small = [P for P in polys if P and polygon_area(P) * 200 < area
             and all(x0 < v[0] < x1 and y0 < v[1] < y1 for v in P)]
    if not small:
        return None
    xs = [v[0] for P in small for v in P]
    ys = [v[1] for P in small for v in P]
    half = max(max(xs) - min(xs), max(ys) - min(ys)) * 3 / 4
    half = max(half, min(x1 - x0, y1 - y0) / 100)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    step = _decimal_step(half) / 2
    zoom = (Q(math.floor((cx - half) / step)) * step, Q(math.ceil((cx + half) / step)) * step,
            Q(math.floor((cy - half) / step)) * step, Q(math.ceil((cy + half) / step)) * step)
    if (zoom[1] - zoom[0]) * 2 > x1 - x0 or (zoom[3] - zoom[2]) * 2 > y1 - y0:
        return None
    return zoom if undrawable(zoom) is None else None
