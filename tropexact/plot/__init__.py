"""Figures like Zhang–Naitzat–Lim (2018): regions, tropical hypersurfaces, Newton polygons.

All geometry is computed on exact rationals (:mod:`tropexact.plot.exact`):
region polygons are the exact intersection of each region's half-planes with
the window, hypersurface edges and decision boundaries are exact segments.
Floats appear only when the artists are handed to matplotlib.  Matplotlib is
imported lazily, never through pyplot, and no global setting is changed;
``import tropexact.plot`` does not import it.

What can be drawn (:data:`WHATS`), for networks with 1 or 2 inputs:

* ``regions``: the activation regions, one colour each;
* ``linear``: the linear regions of output k (boundaries between them solid,
  activation boundaries inside one dashed);
* ``hypersurface``: T(F) and T(G) of output k, ν_k = F − G;
* ``newton``: Δ(F) with its dual subdivision δ(F) next to T(F), dual pairs in
  one colour (in 1-D: the lifted points with their upper hull);
* ``decision``: the decision boundary {ν = level} (one output) or the ties of the
  two largest outputs, over the activation regions;
* ``graph``: the region adjacency graph.

The default window is the integer box of :func:`tropexact.regions.enclosing_box`
(every vertex of the region complex inside; for ``hypersurface`` and ``newton``
also every vertex of the term regions of F, G), enlarged by a tenth on each side.
In 2-D, when the window holds cells too small to see (strictly inside, under
1/200 of its area), a second panel zooms on them.  The level of ``decision``
applies to one-output networks; with several outputs the ties are drawn.

Modules: :mod:`~tropexact.plot.exact` (exact planar geometry, no matplotlib),
:mod:`~tropexact.plot.base` (FigureInfo, windows, colours, the float conversion),
:mod:`~tropexact.plot.planar` and :mod:`~tropexact.plot.tropical2d` (2-D),
:mod:`~tropexact.plot.line` (1-D), :mod:`~tropexact.plot.draw2d` (2-D helpers).

Examples
--------
>>> WHATS
('regions', 'linear', 'hypersurface', 'newton', 'decision', 'graph')
>>> from tropexact.networks.io import load_network
>>> net = load_network("data/networks/caveat_1d.json")
>>> fig, info = render(net, "linear")  # doctest: +SKIP
>>> info.summary()  # doctest: +SKIP
'linear: 4 activation regions, 4 linear regions, 4 patches, 3 points in [-2,4]'
"""

from __future__ import annotations

import operator
import os
from dataclasses import replace
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.exact.numbers import to_rational
from tropexact.networks.files import check_output, write_atomic

from .base import AXIS_NAMES, PROGRESS, WHATS, FigureInfo, check_window, load_matplotlib
from .exact import clip_line, clip_polygon, convex_hull, interval, polygon_area
from .line import render_1d
from .overlay import SCENE, Scene, check_scene
from .planar import render_2d

__all__ = ["WHATS", "FORMATS", "FigureInfo", "figure", "render", "save_figure", "clip_polygon",
           "clip_line", "polygon_area", "convex_hull", "interval"]

FORMATS = (".png", ".svg", ".pdf")


def _check_request(net: Any, what: str, output: int) -> None:
    """Refuse an unknown *what*, a network with more than 2 inputs, or a bad *output*."""
    if what not in WHATS:
        raise InputError(f"unknown figure {what!r}; choose from {', '.join(WHATS)}")
    d = net.input_dim
    if d > 2:
        raise InputError(f"figures need a network with 1 or 2 inputs, this one has {d}: "
                         "draw its restriction to a plane (tropexact.networks.slicing.restrict)")
    if not isinstance(output, int) or isinstance(output, bool) or \
            not 0 <= output < net.output_dim:
        raise InputError(f"output must be an integer in 0..{net.output_dim - 1}, got {output!r}")


def _default_name(net: Any) -> str:
    """How titles name a network by default: ``the network 2-5-1``."""
    return "the network " + "-".join(str(w) for w in net.widths)


def render(net: Any, what: str, *, window: Sequence[Any] | None = None, output: int = 0,
           level: Any = 0, name: str | None = None,
           progress: Callable[[int], None] | None = None,
           axes: tuple[str, str] | None = None, points: Sequence[Sequence[Any]] = (),
           labels: Sequence[int] | None = None,
           anchors: Sequence[tuple[Sequence[Any], str]] = (),
           classes: Sequence[str] | None = None) -> tuple:
    """Build the figure and describe it: ``(matplotlib.figure.Figure, FigureInfo)``.

    Parameters are those of :func:`figure`, plus *progress*, called as
    ``progress(n)`` while regions are enumerated (as in
    :func:`tropexact.regions.activation_regions`), and *axes*, the names of
    the two inputs in axis labels (TeX, default ``("x_0", "x_1")``; the command
    line uses ``("s", "t")`` for a slice).

    The overlay of 2-input figures (:mod:`tropexact.plot.overlay`): *points*
    (data points, numbers of any kind, floats by their exact binary value) with
    *labels* (one class index >= 0 each), *anchors* (``((x, y), text)`` pairs
    to mark, e.g. P, P + U, P + V of a slice), and *classes* (a name per output,
    for the legend of a classifier's decision figure).  With points and no
    *window*, the window fits the points (:func:`tropexact.plot.window.fit_window`).
    For 2-input networks ``info.geometry`` also holds ``data_points``,
    ``anchors`` and ``whole`` (the window of the inset, or None).
    """
    sc = _scene(net, points, labels, anchors, classes)
    token = PROGRESS.set(progress)
    names = AXIS_NAMES.set(axes or AXIS_NAMES.get())
    scene_token = SCENE.set(sc)
    try:
        fig, info = _render_checked(net, what, window, output, level, name)
    finally:
        SCENE.reset(scene_token)
        AXIS_NAMES.reset(names)
        PROGRESS.reset(token)
    if net.input_dim == 2:
        info.geometry.update(data_points=sc.points, anchors=sc.anchors, whole=sc.whole)
    return fig, info


def _scene(net: Any, points: Sequence[Sequence[Any]], labels: Sequence[int] | None,
           anchors: Sequence[tuple[Sequence[Any], str]], classes: Sequence[str] | None) -> Scene:
    """The overlay as exact values, checked against the network (one-line errors)."""
    if (len(points) or len(anchors)) and net.input_dim != 2:
        raise InputError("data points and anchors are drawn on figures of 2-input networks "
                         f"(this one has {net.input_dim} inputs)", param="points")
    try:
        pts = tuple(tuple(to_rational(x, allow_float=True) for x in p) for p in points)
        marks = tuple((tuple(to_rational(x, allow_float=True) for x in p), str(t))
                      for p, t in anchors)
    except (InputError, TypeError) as e:
        raise InputError(f"points and anchors need numbers: {e}", param="points") from None
    try:  # ints, or integer scalars such as numpy's (operator.index refuses 1.0)
        labs = None if labels is None else tuple(operator.index(k) for k in labels)
    except TypeError:
        labs = (-1,)
    if labs is not None and any(k < 0 or isinstance(k, bool) for k in labs):
        raise InputError("labels must be integers >= 0", param="labels")
    sc = Scene(pts, labs, marks, None if classes is None else tuple(map(str, classes)),
               class_count=net.output_dim)
    check_scene(sc, net.output_dim)
    return sc


def _render_checked(net: Any, what: str, window: Sequence[Any] | None, output: int, level: Any,
                    name: str | None) -> tuple:
    """Check the request, make window and level exact, load matplotlib and draw."""
    _check_request(net, what, output)
    exact_window = check_window(window, net.input_dim)
    try:
        exact_level = to_rational(level)
    except InputError as e:
        raise InputError(e.message, e.where, param="level") from None
    mpl = load_matplotlib()
    label = name or _default_name(net)
    render_nd = render_1d if net.input_dim == 1 else render_2d
    return render_nd(mpl, net, what, exact_window, output, exact_level, label)


def figure(net: Any, what: str, *, window: Sequence[Any] | None = None, output: int = 0,
           level: Any = 0, name: str | None = None, **overlay: Any) -> Any:
    """A :class:`matplotlib.figure.Figure` of *net* (no pyplot, no GUI backend).

    Parameters
    ----------
    net : Network
        A network with 1 or 2 inputs (more: take a 2-D slice first).
    what : str
        One of :data:`WHATS`.
    window : sequence of rationals, optional
        (xmin, xmax, ymin, ymax), or (xmin, xmax) for one input; ints, strings
        such as ``"-1/2"`` or Fractions (binary floats are refused).  Default:
        a box holding every vertex (module docstring).
    output : int
        The output k whose linear regions / F, G / level set are drawn.
    level : rational
        The level c of the decision boundary {ν = c} (one output).
    name : str, optional
        How titles name the network (default: its widths, e.g. "2-5-1").
    **overlay
        ``points``, ``labels``, ``anchors``, ``classes``: what 2-input figures
        draw over the regions (:func:`render`).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        Unknown *what*, bad window or output, more than 2 inputs, or matplotlib missing.
    """
    return render(net, what, window=window, output=output, level=level, name=name,
                  **overlay)[0]


def save_figure(net: Any, what: str, path: str | os.PathLike, *,
                window: Sequence[Any] | None = None, output: int = 0, level: Any = 0,
                overwrite: bool = False, protect: Sequence[str | os.PathLike] = (),
                dpi: int = 100, name: str | None = None,
                progress: Callable[[int], None] | None = None,
                axes: tuple[str, str] | None = None, **overlay: Any) -> FigureInfo:
    """Draw *what* for *net* and write it to *path* (.png, .svg or .pdf).

    *overlay* takes the keywords ``points``, ``labels``, ``anchors`` and
    ``classes`` of :func:`render`.  The format comes from the extension.  An existing file is replaced only
    with *overwrite*; a path in *protect* (the input files) is never written.
    The file is written to a temporary name first and moved into place.

    Returns
    -------
    FigureInfo
        What was drawn, with ``path`` set.

    Raises
    ------
    InputError
        Bad extension, existing file, protected path, unwritable place, or any
        error of :func:`figure`.
    """
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower()
    if ext not in FORMATS:
        raise InputError(f"cannot tell the figure format of {p!r}: the file name must end in "
                         f"{', '.join(FORMATS)}")
    check_output(p, overwrite=overwrite, protect=protect)
    fig, info = render(net, what, window=window, output=output, level=level, name=name,
                       progress=progress, axes=axes, **overlay)
    write_atomic(p, lambda tmp: fig.savefig(tmp, format=ext[1:], dpi=dpi,
                                            metadata=_reproducible_metadata(ext)),
                 overwrite=overwrite, protect=protect)
    return replace(info, path=p)


def _reproducible_metadata(ext: str) -> dict:
    """File metadata without creation dates."""
    if ext == ".png":
        return {"Software": "tropexact"}
    if ext == ".pdf":
        return {"Creator": "tropexact", "CreationDate": None}
    return {"Creator": "tropexact", "Date": None}

