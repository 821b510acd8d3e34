"""Figures (tropexact.plot): every figure renders, and what is drawn is what was computed.

* every ``what`` renders to PNG for Example C.2 (2-D) and the caveat net (1-D),
  SVG and PDF for some;
* structure: region patches = activation regions counted independently on the
  same box, colours of the linear figure = linear regions, graph nodes/edges,
  the Newton figure's dual pairs (exactly perpendicular, on T(F)), the
  decision boundary (exactly on {ν = c});
* the exact polygon helper (Hypothesis): vertices satisfy every inequality
  exactly, and the region polygons tile the window (exact areas);
* errors: extension, existing file, protected input, 3-D nets, bad windows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from tropexact.regions.cells import normal_fan_graph, term_regions  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.errors import InputError  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402
from tropexact.networks.model import network  # noqa: E402
from tropexact.exact.numbers import Q  # noqa: E402
from tropexact.plot import WHATS, figure, render, save_figure  # noqa: E402
from tropexact.plot.exact import clip_line, clip_polygon, convex_hull, polygon_area, \
    polygon_inequalities  # noqa: E402
from tropexact.regions import activation_regions, linear_regions  # noqa: E402
from tropexact.networks.tropicalization import tropicalize  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C2 = os.path.join(ROOT, "data", "networks", "zhang2018_example_c2.json")
CAVEAT = os.path.join(ROOT, "data", "networks", "caveat_1d.json")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def c2():
    return load_network(C2)


@pytest.fixture(scope="module")
def caveat():
    return load_network(CAVEAT)


@pytest.fixture(scope="module")
def rendered(c2, caveat):
    """(figure, info) for every what of both nets, computed once."""
    cache: dict = {}

    def get(which: str, what: str):
        if (which, what) not in cache:
            cache[which, what] = render(c2 if which == "c2" else caveat, what)
        return cache[which, what]

    return get


def _box(window):
    return Domain.box(window[0::2], window[1::2])


def _gids(ax, pattern):
    rx = re.compile(pattern)
    return [a for a in ax.get_children() if a.get_gid() and rx.fullmatch(a.get_gid())]


# -- every figure renders ----------------------------------------------------------

@pytest.mark.parametrize("which", ["c2", "caveat"])
@pytest.mark.parametrize("what", WHATS)
def test_every_figure_renders_png(which, what, c2, caveat, tmp_path):
    net = c2 if which == "c2" else caveat
    path = tmp_path / f"{which}_{what}.png"
    info = save_figure(net, what, str(path))
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 5000
    assert info.path == str(path) and info.what == what
    assert info.input_dim == net.input_dim
    assert what in info.summary()


@pytest.mark.parametrize("ext, magic", [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_svg_and_pdf(ext, magic, c2, caveat, tmp_path):
    for net, what in ((c2, "regions"), (caveat, "newton")):
        path = tmp_path / f"{what}{ext}"
        save_figure(net, what, str(path))
        assert path.read_bytes().startswith(magic)
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]


def test_import_is_lazy_and_nothing_global():
    code = ("import sys, tropexact.plot\n"
            "assert 'matplotlib' not in sys.modules, 'import tropexact.plot imported matplotlib'\n"
            "from tropexact.networks.io import load_network\n"
            "fig = tropexact.plot.figure(load_network(%r), 'regions')\n"
            "import matplotlib\n"
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
            "assert type(fig).__name__ == 'Figure'\n" % CAVEAT)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


def test_rcparams_unchanged(caveat):
    import matplotlib

    before = dict(matplotlib.rcParams)
    figure(caveat, "linear")
    assert dict(matplotlib.rcParams) == before


def test_missing_matplotlib(monkeypatch, caveat):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(InputError, match=r"matplotlib is not installed: pip install "
                                         r"'tropexact\[plot\]'"):
        figure(caveat, "regions")


# -- structure, 2-D ------------------------------------------------------------------

def test_regions_patches_match_an_independent_count(rendered, c2):
    fig, info = rendered("c2", "regions")
    B = activation_regions(c2, _box(info.window))
    patches = _gids(fig.axes[0], r"region-\d+")
    assert len(patches) == info.patches == info.regions == len(B.regions)
    # the default window holds every vertex: as many regions as over all of Q^2
    assert len(B.regions) == len(activation_regions(c2).regions)
    # polygons are exact and tile the window
    w = info.window
    assert sum(polygon_area(P) for P in info.geometry["polygons"]) == \
        (w[1] - w[0]) * (w[3] - w[2])


def test_regions_in_a_given_window(c2):
    fig, info = render(c2, "regions", window=("-3", 3, -3, "3"))
    assert info.window == (Q(-3), Q(3), Q(-3), Q(3))
    B = activation_regions(c2, Domain.box([-3, -3], [3, 3]))
    assert len(_gids(fig.axes[0], r"region-\d+")) == len(B.regions) == 22
    x0, x1, y0, y1 = (float(v) for v in info.window)
    assert fig.axes[0].get_xlim() == (x0, x1) and fig.axes[0].get_ylim() == (y0, y1)


def test_linear_colours_are_linear_regions(rendered, c2):
    fig, info = rendered("c2", "linear")
    B = activation_regions(c2, _box(info.window))
    groups = linear_regions(B, 0)
    patches = _gids(fig.axes[0], r"linear-\d+")
    assert len(patches) == len(B.regions)
    assert len({p.get_gid() for p in patches}) == len(groups) == info.linear_regions
    assert len({tuple(p.get_facecolor()) for p in patches}) == len(groups)
    # patches of one group share a colour
    by_gid: dict = {}
    for p in patches:
        by_gid.setdefault(p.get_gid(), set()).add(tuple(p.get_facecolor()))
    assert all(len(c) == 1 for c in by_gid.values())
    # boundaries drawn only between different linear regions, each on a shared facet
    assert info.edges == sum(1 for i, j in B.graph.edges
                             if not any(i in g and j in g for g in groups))


def test_graph_nodes_and_edges(rendered, c2):
    fig, info = rendered("c2", "graph")
    B = activation_regions(c2, _box(info.window))
    (nodes,) = _gids(fig.axes[0], "graph-nodes")
    (edges,) = _gids(fig.axes[0], "graph-edges")
    assert len(nodes.get_offsets()) == B.graph.number_of_nodes() == info.nodes
    assert len(edges.get_segments()) == B.graph.number_of_edges() == info.edges


def test_newton_dual_pairs_are_perpendicular(rendered, c2):
    fig, info = rendered("c2", "newton")
    f = tropicalize(c2).outputs[0].F
    fan = normal_fan_graph(f)
    left, right = fig.axes[0], fig.axes[1]
    tf = _gids(right, r"Tf-edge-\d+")
    dual = _gids(left, r"dual-edge-\d+")
    assert len(tf) == len(dual) == info.edges == info.dual_edges == fan.number_of_edges()
    assert not info.geometry["unmatched_dual"]
    assert len(info.geometry["pairs"]) == len(tf)
    for (p, q), (a, b) in info.geometry["pairs"]:
        d = (q[0] - p[0], q[1] - p[1])
        e = (b[0] - a[0], b[1] - a[1])
        assert any(d) and any(e)
        assert d[0] * e[0] + d[1] * e[1] == 0  # exactly perpendicular
        for v in (p, q):  # the segment lies on T(F), where the terms a and b attain F
            top = {f.terms[k][0] for k in f.argmax(v)}
            assert {a, b} <= top
    # each T(F) edge has the colour of its dual edge, and colours are distinct
    assert {tuple(a.get_color()) if not isinstance(a.get_color(), str) else a.get_color()
            for a in tf} == \
        {tuple(a.get_color()) if not isinstance(a.get_color(), str) else a.get_color()
         for a in dual}
    assert len({str(a.get_color()) for a in tf}) == len(tf)
    assert "output 0" in fig.get_suptitle() and "F" in fig.get_suptitle()


def test_hypersurface_edges_lie_on_T(rendered, c2):
    fig, info = rendered("c2", "hypersurface")
    o = tropicalize(c2).outputs[0]
    for key, f in (("F", o.F), ("G", o.G)):
        segs = info.geometry[key]
        assert len(segs) == term_regions(f).graph.number_of_edges()
        (art,) = _gids(fig.axes[0], f"T{key}")
        assert len(art.get_segments()) == len(segs)
        for (p, q), _ in segs:
            mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            for v in (p, q, mid):
                assert len(f.argmax(v)) >= 2
    assert info.edges == len(info.geometry["F"]) + len(info.geometry["G"])


def test_decision_boundary_is_the_level_set(rendered, c2):
    fig, info = rendered("c2", "decision")
    segs = info.geometry["segments"]
    assert segs and len(_gids(fig.axes[0], "decision")[0].get_segments()) == len(segs)
    for p, q in segs:
        for v in (p, q, ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)):
            assert c2(v)[0] == 0
    # the output relu makes ν ≡ 0 on whole regions: shaded, and really zero there
    assert info.geometry["flat"]
    for P in info.geometry["flat"]:
        c = (sum(v[0] for v in P) / len(P), sum(v[1] for v in P) / len(P))
        assert c2(c)[0] == 0


def test_decision_level_and_two_outputs():
    net = network(2, [{"weight": [[1, 0], [0, 1], [1, 1]], "bias": [0, 0, -1],
                       "activation": "relu"},
                      {"weight": [[1, -1, 1], [-1, 1, 0], [0, 0, 1]], "bias": [0, 0, "1/2"],
                       "activation": "identity"}])
    _, info = render(net, "decision")
    assert info.geometry["segments"]
    for p, q in info.geometry["segments"]:
        v = net(((p[0] + q[0]) / 2, (p[1] + q[1]) / 2))
        top = sorted(v, reverse=True)
        assert top[0] == top[1]
    one = network(2, [{"weight": [[1, 0], [0, 1]], "bias": [0, 0], "activation": "relu"},
                      {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    _, info = render(one, "decision", level="3/2", window=(-1, 2, -1, 2))
    segs = info.geometry["segments"]
    assert segs and all(one(v)[0] == Q(3, 2) for s in segs for v in s)


@pytest.mark.parametrize("what", WHATS)
def test_degenerate_newton_polygons_render(what):
    one_term = network(2, [{"weight": [[1, 2]], "bias": [1], "activation": "identity"}])
    collinear = network(2, [{"weight": [[1, 1], [1, 1]], "bias": [0, -1], "activation": "relu"},
                            {"weight": [[1, 1]], "bias": [0], "activation": "identity"}])
    for net in (one_term, collinear):
        fig, info = render(net, what)
        assert fig.axes
    if what == "newton":
        _, info = render(collinear, "newton")
        assert info.edges == info.dual_edges == 2
        for (p, q), (a, b) in info.geometry["pairs"]:
            assert (q[0] - p[0]) * (b[0] - a[0]) + (q[1] - p[1]) * (b[1] - a[1]) == 0


# -- structure, 1-D ------------------------------------------------------------------

def test_1d_regions_and_breakpoints(rendered, caveat):
    fig, info = rendered("caveat", "regions")
    B = activation_regions(caveat, Domain.box(info.window[:1], info.window[1:]))
    assert len(_gids(fig.axes[0], r"region-\d+")) == len(B.regions) == info.regions == 4
    assert info.geometry["breakpoints"] == [Q(0), Q(1), Q(2)]
    fig, info = rendered("caveat", "linear")
    assert len({p.get_gid() for p in _gids(fig.axes[0], r"linear-\d+")}) == \
        len(linear_regions(B)) == info.linear_regions == 4


def test_1d_tropical_figures(rendered, caveat):
    _, info = rendered("caveat", "hypersurface")
    assert info.geometry == {"F": [Q(0), Q(2)], "G": [Q(1)]}
    _, info = rendered("caveat", "newton")
    f = tropicalize(caveat).outputs[0].F
    assert info.edges == info.dual_edges == len(info.geometry["pairs"]) == 2
    coef = dict(f.terms)
    for x, (a, b) in info.geometry["pairs"]:
        assert coef[a] + a[0] * x == coef[b] + b[0] * x  # x is where the two terms tie
    _, info = rendered("caveat", "decision")
    assert info.geometry["crossings"] == [Q(0), Q(2)]
    assert info.geometry["flat"]  # ν ≡ 0 for x < 0 and x > 2
    fig, info = rendered("caveat", "graph")
    assert info.nodes == 4 and info.edges == 3
    assert len(_gids(fig.axes[0], "graph-edges")[0].get_segments()) == 3


# -- the exact polygon helper ----------------------------------------------------------

small = st.integers(-4, 4)
rows = st.lists(st.tuples(small, st.tuples(small, small)), max_size=6)
windows = st.tuples(st.integers(-5, 0), st.integers(1, 5), st.integers(-5, 0),
                    st.integers(1, 5)).map(lambda t: tuple(Q(v) for v in t))


@settings(max_examples=150, deadline=None)
@given(rows, windows, st.tuples(small, st.tuples(small, small)))
def test_clip_polygon_is_exact(ineqs, window, cut):
    P = clip_polygon(ineqs, window)
    x0, x1, y0, y1 = window
    if P:
        assert len(P) >= 3 and polygon_area(P) > 0
        for v in P:
            assert x0 <= v[0] <= x1 and y0 <= v[1] <= y1
            assert all(b + a[0] * v[0] + a[1] * v[1] >= 0 for b, a in ineqs)
        # counter-clockwise and convex: every turn is strictly left
        n = len(P)
        for k in range(n):
            o, p, q = P[k - 1], P[k], P[(k + 1) % n]
            assert (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]) > 0
        # re-clipping by its own edges gives it back
        assert set(clip_polygon(polygon_inequalities(P), window)) == set(P)
    # a further half-plane and its opposite split the area exactly
    b, a = cut
    if any(a):
        pos = clip_polygon(list(ineqs) + [(b, a)], window)
        neg = clip_polygon(list(ineqs) + [(-b, (-a[0], -a[1]))], window)
        area = polygon_area(P) if P else 0
        assert (polygon_area(pos) if pos else 0) + (polygon_area(neg) if neg else 0) == area
        seg = clip_line(b, a, ineqs, window)
        if seg is not None:
            for v in seg:
                assert b + a[0] * v[0] + a[1] * v[1] == 0


weights = st.integers(-3, 3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(weights, weights, weights), min_size=1, max_size=4),
       st.lists(weights, min_size=4, max_size=4), windows)
def test_region_polygons_tile_the_window(hidden, out, window):
    net = network(2, [{"weight": [[a, b] for a, b, _ in hidden], "bias": [c for _, _, c in hidden],
                       "activation": "relu"},
                      {"weight": [out[:len(hidden)]], "bias": [0], "activation": "relu"}])
    B = activation_regions(net, _box(window))
    polys = [clip_polygon(r.inequalities, window) for r in B.regions]
    total = Q(0)
    for r, P in zip(B.regions, polys):
        assert P, "every activation region has interior in the window"
        for v in P:
            assert all(b + a[0] * v[0] + a[1] * v[1] >= 0 for b, a in r.inequalities)
        total += polygon_area(P)
    x0, x1, y0, y1 = window
    assert total == (x1 - x0) * (y1 - y0)


def test_convex_hull_degenerate():
    assert convex_hull([(1, 1)]) == ((Q(1), Q(1)),)
    assert convex_hull([(0, 0), (2, 2), (1, 1)]) == ((Q(0), Q(0)), (Q(2), Q(2)))


# -- errors ---------------------------------------------------------------------------

def test_bad_extension(caveat, tmp_path):
    with pytest.raises(InputError, match=r"\.png, \.svg, \.pdf"):
        save_figure(caveat, "regions", str(tmp_path / "x.jpg"))
    with pytest.raises(InputError, match=r"\.png"):
        save_figure(caveat, "regions", str(tmp_path / "noext"))
    assert not os.listdir(tmp_path)


def test_existing_file_needs_overwrite(caveat, tmp_path):
    path = tmp_path / "f.png"
    path.write_bytes(b"keep")
    with pytest.raises(InputError, match="exists"):
        save_figure(caveat, "regions", str(path))
    assert path.read_bytes() == b"keep"
    save_figure(caveat, "regions", str(path), overwrite=True)
    assert path.read_bytes().startswith(PNG)


def test_protected_path_is_never_written(caveat, tmp_path):
    path = tmp_path / "net.png"
    path.write_bytes(b"input")
    with pytest.raises(InputError, match="input file"):
        save_figure(caveat, "regions", str(path), overwrite=True, protect=(str(path),))
    link = tmp_path / "alias.png"
    link.symlink_to(path)
    with pytest.raises(InputError, match="input file"):
        save_figure(caveat, "regions", str(link), overwrite=True, protect=(str(path),))
    assert path.read_bytes() == b"input"


def test_three_inputs_need_a_slice(tmp_path):
    net = network(3, [{"weight": [[1, 0, 0]], "bias": [0], "activation": "relu"}])
    # the library points to restrict(); the command line names --slice (test_cli_plot)
    with pytest.raises(InputError, match="restriction to a plane"):
        figure(net, "regions")
    with pytest.raises(InputError, match="restriction to a plane"):
        save_figure(net, "graph", str(tmp_path / "x.png"))
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("kwargs, message", [
    ({"what": "nope"}, "unknown figure"),
    ({"window": (0, 1)}, "needs xmin,xmax,ymin,ymax"),
    ({"window": (1, 0, 0, 1)}, "min < max"),
    ({"window": (0.5, 1, 0, 1)}, "binary float"),
    ({"output": 1}, "output must be"),
    ({"level": "x"}, "level"),
])
def test_bad_arguments(c2, kwargs, message):
    args = {"what": "regions", **kwargs}
    with pytest.raises(InputError, match=message):
        figure(c2, args.pop("what"), **args)


def test_1d_window_shape(caveat):
    with pytest.raises(InputError, match="needs xmin,xmax"):
        figure(caveat, "regions", window=(0, 1, 0, 1))
    _, info = render(caveat, "regions", window=("1/2", 3))
    assert info.window == (Q(1, 2), Q(3)) and info.regions == 3
