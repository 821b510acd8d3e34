"""Figures of trained models (issue 14): the dense default window, the inset, data points,
class colours, a slice's anchors, and bad point files.

Expectations come from the data, not from pictures:

* the moons classifier (bench/data/moons_2_16_16_2.json, 481 regions over Q²) has
  far vertices (hundreds of units away) where nearly parallel lines meet; its
  default window must contain the box of its training data
  (bench/data/moons_points.csv, written by bench/classifier.py) and be far smaller
  than the box of every vertex, which the inset shows;
* small nets keep the window holding every vertex (the enclosing box, recomputed
  here from the vertices);
* class colours: the class of every drawn cell wins, by the exact forward pass, at
  the cell's centroid, and the cells of a region tile its polygon (exact areas);
* anchors: P, P + U, P + V sit at (0, 0), (1, 0), (0, 1);
* the plane projection: points of the plane come back exactly; the residual of any
  point is orthogonal to U and V (Hypothesis).
"""

from __future__ import annotations

import argparse
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from tropexact import cli  # noqa: E402
from tropexact.cli.options import parse_plane, plot_overlay  # noqa: E402
from tropexact.errors import InputError  # noqa: E402
from tropexact.exact.linalg import dot  # noqa: E402
from tropexact.exact.numbers import Q  # noqa: E402
from tropexact.networks.convert.points import load_points  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402
from tropexact.networks.slicing import lift, make_plane, plane_coordinates, restrict  # noqa: E402
from tropexact.plot import render  # noqa: E402
from tropexact.plot.exact import polygon_area, polygon_centroid  # noqa: E402
from tropexact.plot.window import complex_vertices, fit_window  # noqa: E402
from tropexact.regions import activation_regions  # noqa: E402

MOONS = "bench/data/moons_2_16_16_2.json"
MOONS_POINTS = "bench/data/moons_points.csv"
C2 = "data/networks/zhang2018_example_c2.json"
THREE = "data/networks/three_inputs.json"


@pytest.fixture(scope="module")
def moons():
    return load_network(MOONS)


@pytest.fixture(scope="module")
def data():
    return load_points(MOONS_POINTS)


@pytest.fixture(scope="module")
def default_fig(moons):
    """The decision figure of the moons classifier in its default window (drawn once)."""
    return render(moons, "decision")


@pytest.fixture(scope="module")
def points_fig(moons, data):
    return render(moons, "decision", points=data.points, labels=data.labels,
                  classes=("upper", "lower"))


def _gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _box(points):
    return (min(p[0] for p in points), max(p[0] for p in points),
            min(p[1] for p in points), max(p[1] for p in points))


def _vertex_box(net):
    """The box of every vertex, one unit beyond, then a tenth more (the old default)."""
    V = complex_vertices(activation_regions(net))
    lo = [min(math.floor(v[i]) - 1 for v in V + [(0, 0)]) for i in range(2)]
    hi = [max(math.ceil(v[i]) + 1 for v in V + [(0, 0)]) for i in range(2)]
    lo, hi = [min(x, -1) for x in lo], [max(x, 1) for x in hi]
    out = []
    for a, b in zip(lo, hi):
        m = max(1, -(-(b - a) // 10))
        out += [Q(a - m), Q(b + m)]
    return tuple(out)


# -- the default window ------------------------------------------------------------

def test_moons_default_window_is_dense_and_holds_the_data(default_fig, data, moons):
    _, info = default_fig
    w, whole = info.window, info.geometry["whole"]
    x0, x1, y0, y1 = _box(data.points)
    assert w[0] < x0 and x1 < w[1] and w[2] < y0 and y1 < w[3]
    assert whole == _vertex_box(moons)
    # the far vertices are hundreds of units away: the window is a small part of that box
    area = (w[1] - w[0]) * (w[3] - w[2])
    assert (whole[1] - whole[0]) * (whole[3] - whole[2]) > 1000 * area
    # and it holds most vertices (at least the half between the quartiles)
    V = complex_vertices(activation_regions(moons))
    inside = sum(w[0] <= v[0] <= w[1] and w[2] <= v[1] <= w[3] for v in V)
    assert inside * 2 >= len(V)


def test_the_inset_shows_every_vertex(default_fig):
    fig, info = default_fig
    main = fig.axes[0]
    insets = [a for a in main.child_axes if a.get_gid() == "inset"]
    assert len(insets) == 1
    w = info.geometry["whole"]
    assert insets[0].get_xlim() == (float(w[0]), float(w[1]))
    assert insets[0].get_ylim() == (float(w[2]), float(w[3]))
    assert len(_gid(insets[0], "inset-window")) == 1


def test_small_nets_keep_the_window_of_every_vertex():
    net = load_network(C2)
    fig, info = render(net, "regions")
    assert info.window == _vertex_box(net) and info.geometry["whole"] is None
    assert not fig.axes[0].child_axes


def test_a_given_window_is_kept_without_inset(moons):
    fig, info = render(moons, "decision", window=(-2, 3, "-3/2", 2))
    assert info.window == (Q(-2), Q(3), Q(-3, 2), Q(2))
    assert info.geometry["whole"] is None and not fig.axes[0].child_axes
    assert info.regions == len(activation_regions(
        moons, __import__("tropexact").networks.domain.Domain.box((-2, Q(-3, 2)), (3, 2))).regions)


# -- data points --------------------------------------------------------------------

def test_points_are_drawn_in_their_class_colours(points_fig, data):
    fig, info = points_fig
    (sc,) = _gid(fig.axes[0], "points")
    assert len(sc.get_offsets()) == len(data.points) == 200
    colours = [tuple(c[:3]) for c in sc.get_facecolors()]
    by_label = {}
    for k, c in zip(data.labels, colours):
        by_label.setdefault(k, set()).add(c)
    assert sorted(by_label) == [0, 1] and all(len(s) == 1 for s in by_label.values())
    assert by_label[0] != by_label[1]
    # the class colours of the regions are those of the labels
    for k in (0, 1):
        patch = _gid(fig.axes[0], f"class-{k}")[0]
        assert tuple(patch.get_facecolor()[:3]) in by_label[k]


def test_the_window_fits_the_points(points_fig, data):
    _, info = points_fig
    assert info.window == fit_window(data.points)
    x0, x1, y0, y1 = _box(data.points)
    w = info.window
    assert w[0] < x0 and x1 < w[1] and w[2] < y0 and y1 < w[3]
    assert (w[1] - w[0]) <= 2 * (x1 - x0) and (w[3] - w[2]) <= 2 * (y1 - y0)


# -- class colours ------------------------------------------------------------------

def test_each_cell_has_the_colour_of_the_class_winning_there(points_fig, moons):
    fig, info = points_fig
    cells = info.geometry["classes"]
    polys = info.geometry["polygons"]
    assert {k for _, k, _ in cells} == {0, 1}
    for i, k, P in cells:
        c = polygon_centroid(P)
        out = moons(c)  # the exact forward pass
        assert out[k] == max(out) and all(out[j] < out[k] for j in range(k))
    area = {}
    for i, _, P in cells:
        area[i] = area.get(i, 0) + polygon_area(P)
    assert all(area.get(i, 0) == polygon_area(P) for i, P in enumerate(polys) if P)
    # two regions where the boundary passes hold two cells: the boundary is drawn
    assert len(cells) > sum(1 for P in polys if P) and info.edges > 0
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["upper", "lower"]


def test_single_output_decision_is_unchanged():
    net = load_network(C2)
    fig, info = render(net, "decision", level="1/2", window=(-3, 3, -3, 3))
    ax = fig.axes[0]
    assert "classes" not in info.geometry
    assert len([a for a in ax.get_children() if (a.get_gid() or "").startswith("region-")]) \
        == info.patches == info.regions
    (lines,) = _gid(ax, "decision")
    assert len(lines.get_segments()) == info.edges


# -- slices: anchors and projected points -----------------------------------------------

def _args(**kw):
    base = dict(points=None, classes=None, anchor_labels=None)
    return argparse.Namespace(**{**base, **kw})


def test_anchors_sit_at_p_p_plus_u_p_plus_v(tmp_path):
    full = load_network(THREE)
    plane = parse_plane("random:1,random:2,random:3", 3)
    net = restrict(full, plane)
    # points of Q^3: P, P + U, P + V themselves and one off the plane
    off = tuple(x + 1 for x in plane.point)
    rows = [lift(plane, st) for st in ((0, 0), (1, 0), (0, 1))] + [off]
    path = tmp_path / "pts.csv"
    path.write_text("x0,x1,x2,label\n" + "\n".join(
        ",".join(str(x) for x in r) + f",{k}" for k, r in enumerate(rows)) + "\n")
    overlay = plot_overlay(_args(points=str(path), anchor_labels="a,b,c"), net, plane)
    fig, info = render(net, "regions", **overlay)
    assert [p for p, _ in info.geometry["anchors"]] == [(0, 0), (1, 0), (0, 1)]
    assert [t for _, t in info.geometry["anchors"]] == ["P: a", "P+U: b", "P+V: c"]
    (marks,) = _gid(fig.axes[0], "anchors")
    assert [tuple(p) for p in marks.get_offsets()] == [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]
    pts = info.geometry["data_points"]
    assert pts[:3] == ((0, 0), (1, 0), (0, 1))
    s, t = pts[3]
    residual = [o - q for o, q in zip(off, lift(plane, (s, t)))]
    assert dot(residual, plane.u) == 0 and dot(residual, plane.v) == 0


small = st.fractions(-5, 5, max_denominator=6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(small, small, small), min_size=3, max_size=3),
       st.tuples(small, small), st.tuples(small, small, small))
def test_plane_coordinates_are_the_orthogonal_projection(pu_v, st_, x):
    P, U, V = ([Q(c) for c in v] for v in pu_v)
    try:
        plane = make_plane(P, U, V, 3)
    except InputError:
        return  # U, V dependent
    assert plane_coordinates(plane, lift(plane, st_)) == tuple(Q(c) for c in st_)
    s, t = plane_coordinates(plane, x)
    r = [Q(a) - b for a, b in zip(x, lift(plane, (s, t)))]
    assert dot(r, plane.u) == 0 and dot(r, plane.v) == 0


# -- point files ----------------------------------------------------------------------

def test_point_file_layouts(tmp_path):
    np = pytest.importorskip("numpy")
    f = tmp_path / "a.csv"
    f.write_text("# comment\n\n1,2\n-1/2,0.25\n")
    assert load_points(f).points == ((1, 2), (Q(-1, 2), Q(1, 4))) and load_points(f).labels is None
    f.write_text("1,2,3\n")
    assert load_points(f).labels == (3,)
    with pytest.raises(InputError, match="Add a header"):
        load_points(f, (2, 3))
    f.write_text("s,t,label\n1,2,3\n")
    assert load_points(f, (2, 3)).labels == (3,)
    np.savez(tmp_path / "b.npz", X=np.array([[0.5, 0.1]]), y=np.array([1]))
    ps = load_points(tmp_path / "b.npz")
    assert ps.points == ((Q(1, 2), Q(0.1)),) and ps.labels == (1,)  # 0.1: its binary value
    np.save(tmp_path / "c.npy", np.array([[1.0, 2.0, 0.0]]))
    assert load_points(tmp_path / "c.npy").labels == (0,)


BAD = [
    ("missing", None, "no such file"),
    ("ragged.csv", "1,2\n3\n", "row 2 has 1 column, expected 2"),
    ("text.csv", "1,2\n3,x\n", "row 2, column 2: expected a number"),
    ("nan.csv", "1,2\nnan,2\n", "row 2, column 1: expected a number, got 'nan'"),
    ("wide.csv", "1,2,3,4\n", "has 4 columns; expected 2 coordinates"),
    ("label.csv", "1,2,1.5\n", "column 3: a label must be an integer >= 0"),
    ("empty.csv", "# nothing\n", "no points"),
    ("nan.npy", "NPY-NAN", "expected a finite number"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_point_files_exit_2_with_one_line(tmp_path, capsys, name, text, message):
    path = tmp_path / name
    if text == "NPY-NAN":
        np = pytest.importorskip("numpy")
        np.save(path, np.array([[1.0, float("nan")]]))
    elif text is not None:
        path.write_text(text)
    out = tmp_path / "fig.png"
    code = cli.main(["plot", MOONS, "-o", str(out), "--what", "decision", "--points",
                     str(path), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert len(err.strip().splitlines()) == 1 and message in err and "--points" in err


def test_bad_overlay_options(tmp_path, capsys):
    out = str(tmp_path / "f.png")
    for argv, message in ((["--classes", "a,b,c"], "--classes: expects 2 non-empty names"),
                          (["--anchor-labels", "a,b,c"], "--anchor-labels: names the points")):
        code = cli.main(["plot", MOONS, "-o", out, "--what", "decision", *argv, "--quiet"])
        err = capsys.readouterr().err
        assert code == 2 and len(err.strip().splitlines()) == 1 and message in err


def test_cli_reports_points_and_inset(tmp_path, capsys):
    out = tmp_path / "moons.png"
    code = cli.main(["plot", MOONS, "-o", str(out), "--what", "decision", "--points",
                     MOONS_POINTS, "--json", "--quiet", "--window", "-2,3,-3/2,2"])
    rep = json.loads(capsys.readouterr().out)
    assert code == 0 and out.exists()
    assert rep["data_points"] == 200 and rep["inset_window"] is None
    assert rep["window"] == ["-2", "3", "-3/2", "2"]
