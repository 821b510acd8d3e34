"""``tropexact plot`` through the command line: every figure for Example C.2 and a 1-D net.

The structural checks of each figure live in tests/test_plot.py; here the
command line must render every ``--what`` to a real file, agree with the
library's counts, honour ``--slice``/``--window``, and refuse bad input with
exit status 2 without touching existing files.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("matplotlib")

from tropexact import cli  # noqa: E402
from tropexact.networks.domain import Domain  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402
from tropexact.regions import activation_regions, linear_regions  # noqa: E402
from tropexact.cli.options import parse_plane  # noqa: E402
from tropexact.networks.slicing import restrict  # noqa: E402

C2 = "data/networks/zhang2018_example_c2.json"
ONE_D = "data/networks/caveat_1d.json"
PNG = b"\x89PNG\r\n\x1a\n"


def _plot(capsys, *argv):
    code = cli.main(["plot", *argv, "--json", "--quiet"])
    cap = capsys.readouterr()
    return code, (json.loads(cap.out) if code == 0 else None), cap.err


def test_what_choices_match_the_library():
    from tropexact.plot import WHATS

    assert cli.PLOT_WHATS == WHATS


@pytest.mark.parametrize("net", [C2, ONE_D])
@pytest.mark.parametrize("what", cli.PLOT_WHATS)
def test_every_figure_renders(tmp_path, capsys, net, what):
    out = tmp_path / f"{what}.png"
    code, rep, err = _plot(capsys, net, "-o", str(out), "--what", what)
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(PNG) and len(data) > 5000
    if what in ("regions", "graph"):
        # the default window holds every vertex, so it shows every region of Q^d
        assert rep["regions"] == len(activation_regions(load_network(net)).regions)


def test_window_and_linear_counts(tmp_path, capsys):
    code, rep, _ = _plot(capsys, C2, "-o", str(tmp_path / "l.svg"), "--what", "linear",
                         "--window", "-3,3,-3,3")
    assert code == 0 and rep["window"] == ["-3", "3", "-3", "3"]
    B = activation_regions(load_network(C2), Domain.box([-3, -3], [3, 3]))
    assert rep["regions"] == len(B.regions) and rep["linear_regions"] == len(linear_regions(B))
    assert (tmp_path / "l.svg").read_text().lstrip().startswith("<?xml")


def test_plot_a_slice_of_a_three_input_net(tmp_path, capsys):
    from tropexact.networks.model import network

    net = network(3, [{"weight": [[1, 0, 1], [0, 1, -1], [1, 1, 1]], "bias": [0, 1, -1],
                       "activation": "relu"},
                      {"weight": [[1, -1, 2]], "bias": [0], "activation": "identity"}])
    path = tmp_path / "net3.json"
    path.write_text(json.dumps(net.to_dict()))
    code, _, err = _plot(capsys, str(path), "-o", str(tmp_path / "x.png"))
    assert code == 2 and "--slice" in err
    code, rep, err = _plot(capsys, str(path), "-o", str(tmp_path / "x.png"), "--slice",
                           "0:0:1/2,e1,e2", "--window", "-2,2,-2,2")
    assert code == 0, err
    sliced = restrict(net, parse_plane("0:0:1/2,e1,e2", 3))
    assert rep["regions"] == len(activation_regions(sliced, Domain.box([-2, -2], [2, 2])).regions)
    assert rep["slice"]["point"] == ["0", "0", "1/2"]


def test_slice_axes_are_named_s_and_t():
    from tropexact.plot import render

    net = load_network(C2)
    fig, _ = render(net, "regions", window=(-1, 1, -1, 1), axes=("s", "t"))
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("$s$", "$t$")
    fig, _ = render(net, "regions", window=(-1, 1, -1, 1))  # the default is restored
    assert fig.axes[0].get_xlabel() == "$x_0$"


@pytest.mark.parametrize("argv, message", [
    (["-o", "fig.gif"], "must end in"),
    (["-o", "fig.png", "--what", "region"], "did you mean 'regions'"),
    (["-o", "fig.png", "--window", "1,0,0,1"], "min < max"),
    (["-o", "fig.png", "--window", "0,1"], "needs 4 numbers"),
    (["-o", "fig.png", "--output-index", "3"], "--output-index must be in 0..0"),
    (["-o", "fig.png", "--level", "abc"], "--level"),
])
def test_bad_plot_arguments_exit_2(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    import os

    net = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), C2)
    code = cli.main(["plot", net, *argv]) if "--what" not in argv else None
    if code is None:
        with pytest.raises(SystemExit) as e:
            cli.main(["plot", net, *argv])
        code = e.value.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_plot_never_overwrites(tmp_path, capsys):
    out = tmp_path / "f.png"
    out.write_bytes(b"keep")
    code, _, err = _plot(capsys, C2, "-o", str(out))
    assert code == 2 and "--force" in err and out.read_bytes() == b"keep"
    code, _, _ = _plot(capsys, C2, "-o", str(out), "--force")
    assert code == 0 and out.read_bytes().startswith(PNG)
    net = tmp_path / "c2.png"  # a network file with a figure's name: never written over
    net.write_text(open(C2).read())
    before = net.read_bytes()
    code, _, err = _plot(capsys, str(net), "-o", str(net), "--force")
    assert code == 2 and "input file" in err and net.read_bytes() == before


def test_human_summary(tmp_path, capsys):
    assert cli.main(["plot", C2, "-o", str(tmp_path / "c2.png"), "--quiet"]) == 0
    out = capsys.readouterr().out
    # 23: the paper's count for Example C.2 (docs/design.md §5); the default window holds all
    assert out.startswith(f"{C2}: regions: 23 activation regions") and "c2.png" in out


# -- regressions: windows floating point cannot draw ---------------------------------------

@pytest.mark.parametrize("window, message", [
    ("-1e9000,1e9000,-1e9000,1e9000", "reaches beyond 1e300"),
    ("-1e308,1e308,-1,1", "reaches beyond 1e300"),
    ("-1e-9000,1e-9000,-1e-9000,1e-9000", "lies within 1e-280 of 0"),
    ("0,1e-320,0,1", "lies within 1e-280 of 0"),
    ("1,1.00000000000000000001,0,1", "is too narrow for floating point"),
    ("1000000000000000,1000000000000000.1,0,1", "is too narrow for floating point"),
    ("-1,1,-1e16,1e16", "sides whose ratio is beyond 2^40"),
])
def test_regression_plot_window_beyond_floats_overflowed_or_drew_nothing(tmp_path, capsys, window, message):
    # 1e9000 raised OverflowError ('mpq' too large to convert to float), 1e308 and a thin
    # window crashed matplotlib, and 1e-9000 drew an empty degenerate figure with exit 0
    # (printing its 9,000-digit bounds): every such window is refused, in one short line
    out = tmp_path / "f.png"
    code, _, err = _plot(capsys, C2, "-o", str(out), "--window", window)
    assert code == 2 and err.startswith("tropexact: error: --window: ") and message in err, err
    assert err.count("\n") == 1 and len(err) < 300 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("window", ["-1e300,1e300,-1e300,1e300", "-1e-270,1e-270,-1e-270,1e-270",
                                    "1,1.000000000001,0,1", "-1,1,-1e12,1e12"])
def test_plot_windows_near_the_float_limits_are_drawn(tmp_path, capsys, window):
    # the windows just inside the limits draw, and their axes are the window
    from tropexact.cli.options import parse_window
    from tropexact.plot import figure

    out = tmp_path / "f.png"
    code, rep, err = _plot(capsys, C2, "-o", str(out), "--window", window)
    assert code == 0 and out.read_bytes().startswith(PNG), err
    w = parse_window(window, 2)
    fig = figure(load_network(C2), "regions", window=w)
    assert fig.axes[0].get_xlim() == (float(w[0]), float(w[1]))
    assert fig.axes[0].get_ylim() == (float(w[2]), float(w[3]))


def test_regression_plot_values_beyond_floats_overflowed(tmp_path, capsys):
    # a function value of 1e400 (1-D graph) or a default window reaching 1e400 raised
    # OverflowError where the exact numbers became floats
    net = tmp_path / "big.json"
    for layers, needle in (
            ([{"weight": [["1"]], "bias": ["0"], "activation": "relu"},
              {"weight": [["1e400"]], "bias": ["0"], "activation": "identity"}],
             "cannot draw the number <a number of about 401 digits>"),
            ([{"weight": [["1"]], "bias": ["-1e400"], "activation": "relu"},
              {"weight": [["1"]], "bias": ["0"], "activation": "identity"}],
             "--window: the default window [")):
        net.write_text(json.dumps({"input_dim": 1, "layers": layers}))
        code, _, err = _plot(capsys, str(net), "-o", str(tmp_path / "f.png"), "--force")
        assert code == 2 and needle in err and err.count("\n") == 1 and len(err) < 300, err
    code, _, err = _plot(capsys, str(net), "-o", str(tmp_path / "f.png"), "--window", "0,1")
    assert code == 0, err
