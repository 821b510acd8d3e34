"""The grammar of the ``tropexact`` command line (argparse), apart from the commands.

Each subcommand's options are declared by one ``_add_<command>`` function; the
parsed namespace carries ``command``, which :mod:`tropexact.cli.main` dispatches.
:class:`_Parser` makes usage errors one line with exit status 2 and suggests the
closest valid choice or option.
"""

from __future__ import annotations

import argparse
import difflib
import re
from typing import Any

from tropexact import __version__
from tropexact.plot import WHATS as PLOT_WHATS  # tropexact.plot imports no matplotlib

__all__ = ["build_parser", "PLOT_WHATS"]


def _ascii(kind: type) -> Any:
    """The argparse type reading an option's value with *kind* (int or float) from
    ASCII text only: int() and float() also take other scripts' digits ('٣' is 3),
    which no other number in tropexact accepts.  A refused value is shown cut, so
    the one-line error stays short."""

    def convert(text: str) -> Any:
        try:
            if not text.isascii():
                raise ValueError(text)
            return kind(text)
        except ValueError:  # int() of more than 4,300 digits too
            shown = repr(text) if len(text) <= 40 else f"{text[:20]!r}...({len(text)} characters)"
            raise argparse.ArgumentTypeError(f"invalid {kind.__name__} value: {shown}") from None

    convert.__name__ = kind.__name__
    return convert


_INT, _FLOAT = _ascii(int), _ascii(float)

EXAMPLES = """\
examples:
  tropexact tropicalize data/networks/zhang2018_example_c2.json
  tropexact tropicalize data/networks/zhang2018_example_c2.json --json
  tropexact regions data/networks/zhang2018_example_c2.json
  tropexact regions data/networks/zhang2018_example_c2.json --domain box:-3,3 --certificate c2.cert.json
  tropexact check c2.cert.json
  tropexact verify data/networks/zhang2018_example_c2.json --json
  tropexact bounds --arch 2,4,4,1 --symbolic
"""

TROPICALIZE_EXAMPLES = """\
examples:
  tropexact tropicalize data/networks/zhang2018_example_c2.json
  tropexact tropicalize data/networks/zhang2018_example_c2.json --json
  tropexact tropicalize data/networks/rational_leaky_2d.json --no-count --max-terms 100000
  tropexact tropicalize data/networks/three_inputs.json --slice 0:0:1,e1,e2 --json
"""

CONVERT_EXAMPLES = """\
examples:
  tropexact convert model.pt -o net.json              # torch.save(nn.Sequential(...))
  tropexact convert model.onnx -o net.json            # torch.onnx.export(...) or any ONNX MLP
  tropexact convert weights.npz -o net.json           # arrays W0, b0, W1, b1, ...
  tropexact convert state_dict.pt -o net.json --activations relu,relu,identity
  tropexact convert model.pt -o net.json --max-denominator 1000   # explicit rounding
  tropexact convert cnn.onnx -o cnn.graph.json        # convolutions, residual blocks: a graph
  tropexact convert cnn.pt -o cnn.graph.json --input-shape 1,28,28
"""

PLOT_EXAMPLES = """\
examples:
  tropexact plot data/networks/zhang2018_example_c2.json -o c2.png --what regions
  tropexact plot data/networks/zhang2018_example_c2.json -o c2.svg --what newton
  tropexact plot data/networks/rational_leaky_2d.json -o lin.pdf --what linear --window -3,3,-3,3
  tropexact plot data/networks/caveat_1d.json -o nu.png --what regions
  tropexact plot mnist.json -o slice.png --what regions --slice random:1,random:2,random:3
"""

REGIONS_EXAMPLES = """\
examples:
  tropexact regions data/networks/zhang2018_example_c2.json
  tropexact regions data/networks/rational_leaky_2d.json --domain box:-1,1 --json
  tropexact regions data/networks/zonotope_2_4_1.json --domain box:0,1,-2,2 --certificate z.cert.json
  tropexact regions data/networks/zonotope_2_4_1.json --domain polytope:triangle.json --no-tropical --max-regions 100000
  tropexact regions mnist.json --slice random:1,random:2,random:3 --no-tropical
  tropexact regions data/networks/three_inputs.json --slice 0:0:0,e1,1:1:1
  tropexact regions big.json --no-tropical --regions-out big.regions.jsonl
  tropexact regions big.json --no-tropical --workers 2 --checkpoint runs/big
  tropexact regions big.json --dask tcp://scheduler:8786 --certificate big.cert.json
"""

VERIFY_EXAMPLES = """\
examples:
  tropexact verify data/networks/zhang2018_example_c2.json
  tropexact verify data/networks/rational_leaky_2d.json --domain box:-2,2 --json
  tropexact verify data/networks/three_inputs.json --slice 0:0:1,e1,e2
  tropexact verify --random 100 --arch 2,4,4,1 --seed 0
  tropexact verify --random 1000 --arch 2,3,3,1 --workers 2 --out runs/v233 --resume
"""

SEARCH_EXAMPLES = """\
examples:
  tropexact search --arch 1,2,2,1 --weights -3..3 --budget 2000 --seed 0 --out runs/122
  tropexact search --arch 1,3,3,1 --bound "1 + n1 + n2" --out runs/cx
  tropexact search --arch 2,2,2,1 --bound serra2018 --workers 2 --out runs/serra
  tropexact search --arch 2,3,3,1 --dask tcp://scheduler:8786 --out runs/233 --resume
"""

CHECK_EXAMPLES = """\
examples:
  tropexact regions data/networks/caveat_1d.json --domain box:-1,1 --certificate c.cert.json
  tropexact check c.cert.json
"""


BOUNDS_EXAMPLES = """\
examples:
  tropexact bounds --arch 2,4,4,1
  tropexact bounds --arch 2,4,4,1 --json
  tropexact bounds --arch 1,3,3,1 --symbolic
  tropexact bounds --arch 3,4,4,4,1 --json --symbolic
  tropexact bounds --arch 2,4,4,1 --pieces 3          # maxout units of rank 3
"""


class _Parser(argparse.ArgumentParser):
    """argparse with exit status 2, one-line errors and 'did you mean' hints.

    Anything that starts with a minus and a digit (``-3..3``, ``-3,3,-1,1``,
    ``-1/2:0:1,e1,e2``) is a value, not an option: no option name starts so.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\.?[0-9]")

    def error(self, message: str) -> Any:  # type: ignore[override]
        hint = _did_you_mean(message, self)
        self.exit(2, f"{self.prog}: error: {message}{hint}\n")

    def _subcommands(self) -> list[str]:
        for a in self._actions:
            if isinstance(a, argparse._SubParsersAction):
                return list(a.choices)
        return []

    def _option_strings(self) -> list[str]:
        """Every option string of this parser (a subcommand's own options)."""
        return sorted({o for a in self._actions for o in a.option_strings})

    def subcommand(self, name: str) -> "_Parser":
        """The parser of the subcommand *name*."""
        for a in self._actions:
            if isinstance(a, argparse._SubParsersAction):
                return a.choices[name]
        raise KeyError(name)


def _did_you_mean(message: str, parser: _Parser) -> str:
    """'; did you mean X?' for an invalid choice or an unknown option, else ''."""
    m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if m:
        choices = re.findall(r"'([^']*)'", m.group(2)) or \
            [c.strip() for c in m.group(2).split(",")]
        close = difflib.get_close_matches(m.group(1), choices, n=1, cutoff=0.5)
        return f"; did you mean {close[0]!r}?" if close else ""
    m = re.search(r"unrecognized arguments: (.*)", message)
    if m:
        opts = parser._option_strings()
        for word in m.group(1).split():
            if word.startswith("--"):
                close = difflib.get_close_matches(word.split("=")[0], opts, n=1, cutoff=0.75)
                if close:
                    return f"; did you mean {close[0]!r}?"
    return ""


_RAW = argparse.RawDescriptionHelpFormatter


def _slice_option(q: argparse.ArgumentParser) -> None:
    q.add_argument("--slice", metavar="P,U,V", default=None,
                   help="restrict the network to the plane P + s*U + t*V (exact "
                   "composition, a 2-input network in (s, t)); each of P, U, V is 0, eK, "
                   "a:b:..., random:SEED or @FILE.json; or give FILE.json with {point, u, v}")


def _output_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q.add_argument("--quiet", action="store_true", help="no progress bar on stderr")


def _time_limit_option(q: argparse.ArgumentParser) -> None:
    q.add_argument("--time-limit", type=_FLOAT, default=None, metavar="S",
                   help="stop with exit status 2 after S seconds (the whole command)")


def _max_terms_option(q: argparse.ArgumentParser, what: str) -> None:
    q.add_argument("--max-terms", type=_INT, default=None, metavar="N",
                   help=f"stop with exit status 2 when a polynomial {what} has more than N "
                   "terms (a guard for large networks)")


def _sweep_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--workers", type=_INT, default=None, metavar="K",
                   help="local worker processes (default: one per CPU)")
    q.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run on a Dask cluster (scheduler address; pip install "
                   "'tropexact[dask]'); results are identical to a local run")
    q.add_argument("--out", metavar="DIR", default=None,
                   help="stream results to DIR/results.jsonl (never overwritten)")
    q.add_argument("--resume", action="store_true",
                   help="continue an interrupted run in --out DIR")


def _region_options(q: argparse.ArgumentParser, net_optional: bool = False) -> None:
    q.add_argument("network", metavar="NET", nargs="?" if net_optional else None,
                   help="network file (tropexact-network JSON)")
    q.add_argument("--domain", metavar="SPEC", default=None,
                   help="box:lo,hi | box:lo1,hi1,...,lod,hid | polytope:FILE.json "
                   "(default: all of Q^d)")
    q.add_argument("--max-regions", type=_INT, default=None, metavar="N",
                   help="stop with exit status 2 beyond N activation regions")
    _max_terms_option(q, "of the tropical part (F, G or F*G)")
    _output_options(q)
    _time_limit_option(q)
    _slice_option(q)


def _add_tropicalize(sub: Any) -> None:
    t = sub.add_parser("tropicalize", help="network -> tropical rational map F - G",
                       description="Compute the reduced tropical rational map F - G of a "
                       "network (Zhang-Naitzat-Lim, Thm 5.4; docs/design.md section 3) and "
                       "the term counts before and after pruning.",
                       epilog=TROPICALIZE_EXAMPLES, formatter_class=_RAW)
    t.add_argument("network", metavar="NET", help="network file (tropexact-network JSON)")
    t.add_argument("--no-count", action="store_true",
                   help="skip counting the terms before pruning (faster on large nets)")
    t.add_argument("--method", choices=("auto", "regions", "hull"), default="auto",
                   help="regions: read F and G off the activation regions over Q^d; hull: "
                   "the layer recursion with upper-vertex oracles (no enumeration); both "
                   "give the same reduced polynomials; auto (default): regions, or hull "
                   "under --max-terms (which only hull can apply as it goes)")
    t.add_argument("--max-regions", type=_INT, default=None, metavar="N",
                   help="with the regions method: stop with exit status 2 beyond N "
                   "activation regions")
    _max_terms_option(t, "of the tropicalization")
    _output_options(t)
    _time_limit_option(t)
    _slice_option(t)
    t.set_defaults(command="tropicalize")


def _add_regions(sub: Any) -> None:
    r = sub.add_parser("regions", help="exact activation/linear regions and tropical cells",
                       description="Enumerate the activation regions of a network exactly, "
                       "group them into linear regions, count distinct affine maps and the "
                       "tropical cells of F, G and F*G, and check the region <-> upper-vertex "
                       "correspondence (docs/design.md section 2).", epilog=REGIONS_EXAMPLES,
                       formatter_class=_RAW)
    _region_options(r)
    r.add_argument("--no-tropical", action="store_true",
                   help="skip tropicalization (tropical: null, verified: false)")
    r.add_argument("--certificate", metavar="FILE", default=None,
                   help="write a certificate (re-check it with 'tropexact check FILE')")
    r.add_argument("--force", action="store_true",
                   help="replace an existing certificate or --regions-out file")
    r.add_argument("--regions-out", metavar="FILE", default=None,
                   help="with --no-tropical: stream every region to FILE as JSON Lines (sign "
                   "vector, interior point, map id, affine map, bounded, earlier neighbours), "
                   "holding none of them in memory")
    r.add_argument("--workers", type=_INT, default=1, metavar="K",
                   help="split the enumeration into parts run by K local worker processes "
                   "(default 1: this process); the answer is identical")
    r.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run the parts on a Dask cluster (scheduler address; pip install "
                   "'tropexact[dask]')")
    r.add_argument("--parts", type=_INT, default=None, metavar="N",
                   help="parts to split into (default 32 per worker, 64 on Dask)")
    r.add_argument("--checkpoint", metavar="DIR", default=None,
                   help="save every finished part in DIR; the same command run again "
                   "resumes from them")
    r.set_defaults(command="regions")


def _add_verify(sub: Any) -> None:
    v = sub.add_parser("verify", help="run the paper's instance checks on a network",
                       description="Check, for every output: regions <-> upper vertices with "
                       "identical graphs for F, G and F*G; nu = F - G at every region's "
                       "interior point; linear regions <= activation regions; linear regions "
                       "<= cells of F*G; the region certificate with the independent "
                       "checker; and, over all of Q^d, the theorem checks (docs/design.md "
                       "sections 2-4). Each check passes, fails, does not apply or was not "
                       "run; exit status 1 if any check fails.", epilog=VERIFY_EXAMPLES,
                       formatter_class=_RAW)
    _region_options(v, net_optional=True)
    v.add_argument("--map", metavar="MAP", default=None,
                   help="also check that NET computes this tropical rational map (a file "
                   "or an expression, as for synthesize): round_trip")
    v.add_argument("--random", type=_INT, default=None, metavar="N",
                   help="instead of NET: run the theorem checks on N seeded random networks")
    v.add_argument("--arch", metavar="D,N1,...,P", help="architecture for --random")
    v.add_argument("--seed", type=_INT, default=0, help="seed for --random (default 0)")
    v.add_argument("--weights", default="-2..2", metavar="LO..HI",
                   help="integer weight and bias range for --random (default -2..2)")
    _sweep_options(v)
    v.set_defaults(command="verify")


def _add_check(sub: Any) -> None:
    c = sub.add_parser("check", help="re-verify a region certificate independently",
                       description="Verify a certificate written by 'tropexact regions "
                       "--certificate' with the independent checker (plain Fractions, no "
                       "cdd; docs/certificates.md). Exit status 0 if it is verified, 1 if it is "
                       "rejected or could not be verified, 2 if it is malformed or the time "
                       "limit ran out.", epilog=CHECK_EXAMPLES, formatter_class=_RAW)
    c.add_argument("certificate", metavar="FILE", help="certificate JSON file")
    _time_limit_option(c)
    _output_options(c)
    c.set_defaults(command="check")


def _add_bounds(sub: Any) -> None:
    b = sub.add_parser("bounds", help="published bounds on the number of linear regions",
                       description="Evaluate the published upper and lower bounds on the "
                       "number of linear regions of a ReLU architecture exactly "
                       "(docs/design.md section 4): Zaslavsky (one layer), Zhang-Naitzat-Lim "
                       "2018, Montufar 2017, Serra-Tjandraatmadja-Ramalingam 2018, and the "
                       "lower bounds of Montufar et al. 2014 and Serra et al. 2018. A bound "
                       "whose hypotheses fail is reported as n/a (null in JSON).",
                       epilog=BOUNDS_EXAMPLES, formatter_class=_RAW)
    b.add_argument("--arch", required=True, metavar="D,N1,...,NL,P",
                   help="input dimension, hidden widths, output width, e.g. 2,4,4,1")
    _output_options(b)
    _time_limit_option(b)
    b.add_argument("--symbolic", action="store_true",
                   help="also give each bound's formula (sympy), hypotheses and reference")
    b.add_argument("--pieces", metavar="K[,K2,...]", default=None,
                   help="the hidden units are maxout units of rank K (K pieces; one K, or "
                   "one per hidden layer): give the maxout bounds of Montufar-Ren-Zhang 2022 "
                   "and Serra et al. 2018 instead of the ReLU bounds")
    b.set_defaults(command="bounds")


def _add_search(sub: Any) -> None:
    s = sub.add_parser("search", help="search for networks with many regions, or a "
                       "counterexample to a bound",
                       description="Random restarts plus local search (one weight or bias "
                       "at a time) over integer networks, maximising an exact count over "
                       "Q^d. With --bound, a network above the bound stops the search and is "
                       "written with its certificate. Deterministic for a seed, with any "
                       "number of workers or on Dask.", epilog=SEARCH_EXAMPLES,
                       formatter_class=_RAW)
    s.add_argument("--arch", required=True, metavar="D,N1,...,P",
                   help="input dimension, hidden widths, output width, e.g. 1,2,2,1")
    s.add_argument("--weights", default="-3..3", metavar="LO..HI",
                   help="integer range of weights and biases (default -3..3)")
    s.add_argument("--objective", default="linear_regions",
                   choices=["linear_regions", "activation_regions"])
    s.add_argument("--bound", default=None, metavar="EXPR|NAME",
                   help="a bound name (serra2018, ...) or a formula in d, n1, ..., nL")
    s.add_argument("--budget", type=_INT, default=2000, metavar="N",
                   help="networks to evaluate (default 2000)")
    s.add_argument("--seed", type=_INT, default=0)
    s.add_argument("--chain-length", type=_INT, default=40, metavar="K",
                   help="local-search steps per random restart (default 40)")
    _output_options(s)
    _time_limit_option(s)
    _sweep_options(s)
    s.set_defaults(command="search")


def _add_convert(sub: Any) -> None:
    cv = sub.add_parser("convert", help="import a PyTorch, ONNX or numpy model exactly",
                        description="Convert a PyTorch nn.Sequential (torch.save) or "
                        "state_dict, an ONNX model or a numpy .npz of W0, b0, W1, b1, ... into "
                        "a tropexact network file (docs/import.md). Float weights become the "
                        "exact binary rationals they are, unless --max-denominator asks for a "
                        "rounding. Unsupported layers are an error (exit 2) naming them; "
                        "nothing is dropped. The result is compared with the model's own "
                        "forward pass at sample points and the largest deviation is reported.",
                        epilog=CONVERT_EXAMPLES, formatter_class=_RAW)
    cv.add_argument("model", metavar="MODEL", help="model file: .pt/.pth, .onnx or .npz")
    cv.add_argument("-o", "--output", required=True, metavar="NET.json",
                    help="network file to write (never overwritten without --force)")
    cv.add_argument("--max-denominator", type=_INT, default=None, metavar="Q",
                    help="round every number to the closest rational with denominator <= Q "
                    "(default: no rounding, exact binary values)")
    cv.add_argument("--input-dim", type=_INT, default=None, metavar="D",
                    help="input dimension, when the model does not fix it")
    cv.add_argument("--activations", default=None, metavar="A1,A2,...",
                    help="one activation per linear layer (relu, identity, leaky_relu:SLOPE, "
                    "maxout:K) "
                    "for a state_dict or .npz (npz default: relu, ..., relu, identity)")
    cv.add_argument("--samples", type=_INT, default=64, metavar="N",
                    help="sample points for the forward-pass comparison (default 64)")
    cv.add_argument("--seed", type=_INT, default=0, help="seed for the sample points")
    cv.add_argument("--force", action="store_true", help="replace an existing output file")
    cv.add_argument("--graph", action="store_true",
                    help="write a computation graph (tropexact-graph) even for a sequential "
                    "MLP; other models (convolutions, residual connections, ...) always give one")
    cv.add_argument("--input-shape", default=None, metavar="C,H,W",
                    help="the shape of one input sample, for a graph whose model does not fix "
                    "it (a saved PyTorch model, an ONNX input with symbolic dims)")
    _output_options(cv)
    _time_limit_option(cv)
    cv.set_defaults(command="convert")


def _add_plot(sub: Any) -> None:
    pl = sub.add_parser("plot", help="draw regions, tropical curves, Newton polygons",
                        description="Draw a figure of a 1- or 2-input network (use --slice "
                        "for more inputs): activation regions, linear regions, the tropical "
                        "hypersurfaces T(F) and T(G), the Newton polygon with its dual "
                        "subdivision beside T(F), the decision boundary, or the region "
                        "adjacency graph. 1-input networks are drawn as the graph of nu with "
                        "its breakpoints. All geometry is exact; floats appear only in the "
                        "drawing.", epilog=PLOT_EXAMPLES, formatter_class=_RAW)
    pl.add_argument("network", metavar="NET", help="network file (tropexact-network JSON)")
    pl.add_argument("-o", "--output", required=True, metavar="FILE",
                    help="figure file: .png, .svg or .pdf (never overwritten without --force)")
    pl.add_argument("--what", default="regions", choices=PLOT_WHATS,
                    help="which figure (default regions)")
    pl.add_argument("--window", default=None, metavar="XMIN,XMAX,YMIN,YMAX",
                    help="drawing window (xmin,xmax for a 1-input network); default: the box "
                    "of the --points, else a box around the dense part of the region complex "
                    "(Tukey fences on its vertices) with the whole one as an inset")
    pl.add_argument("--output-index", type=_INT, default=0, metavar="K",
                    help="which output of the network to draw (default 0)")
    pl.add_argument("--level", default="0", metavar="C",
                    help="decision boundary level {nu = C} for one output (default 0)")
    pl.add_argument("--force", action="store_true", help="replace an existing figure file")
    _add_plot_overlay(pl)
    _output_options(pl)
    _time_limit_option(pl)
    _slice_option(pl)
    pl.set_defaults(command="plot")


HYPERSURFACE_EXAMPLES = """\
examples:
  tropexact hypersurface "max(0, x0, x1)"
  tropexact hypersurface "max(0, 1 + x0, 1 + x1, x0 + x1)" --json
  tropexact hypersurface "min(0, x0, x1, -1 + x0 + x1)"      (min-plus, read reflected)
  tropexact hypersurface poly.json --min-plus                 (rows [[e1, ..., ed, c], ...])
  tropexact hypersurface c2.tropical.json --output 0 --which G  (a tropicalize --json output)
"""


def _add_hypersurface(sub: Any) -> None:
    h = sub.add_parser("hypersurface", help="the tropical hypersurface T(f) of a polynomial",
                       description="The tropical hypersurface T(f) of one max-plus polynomial "
                       "as an exact polyhedral complex: vertices, rays, lineality, cells with "
                       "their dual cells, weights of the maximal cells, and the balancing "
                       "condition checked at every cell of codimension 2 (exit status 1 if it "
                       "fails). POLY is an expression or a file (docs/tutorial.md).",
                       epilog=HYPERSURFACE_EXAMPLES, formatter_class=_RAW)
    h.add_argument("poly", metavar="POLY", help="an expression such as 'max(0, x0, x1)', a text "
                   "file holding one, or a JSON file: rows [[e1, ..., ed, c], ...], an object "
                   "with such rows under \"polynomial\", or a tropicalize --json output")
    h.add_argument("--output", type=_INT, default=0, metavar="K",
                   help="with a tropicalize --json file: the output (default 0)")
    h.add_argument("--which", default="F", metavar="F|G|H",
                   help="with a tropicalize --json file: the polynomial (default F)")
    h.add_argument("--min-plus", action="store_true",
                   help="read JSON rows as min-plus data (coefficients negated; T(f) is then "
                   "the reflection -T of the min-plus hypersurface)")
    h.add_argument("--json", action="store_true", help="one JSON object on stdout")
    h.set_defaults(command="hypersurface")


SYNTHESIZE_EXAMPLES = """\
examples:
  tropexact synthesize map.json -o net.json
  tropexact synthesize "max(0, x0 + 1, 2*x0 - x1) - max(0, x1)" -o net.json --verify
  tropexact synthesize "max(0, x0, x1, x2, x3)" -o max5.json --depth min --json
  tropexact tropicalize net.json --json > back.json && tropexact synthesize back.json -o net2.json
  tropexact verify net.json --map map.json
"""


def _add_synthesize(sub: Any) -> None:
    s = sub.add_parser("synthesize", help="tropical rational map -> a ReLU network computing it",
                       description="Build a ReLU network (relu hidden layers, identity output) "
                       "computing a tropical rational map exactly: the construction of "
                       "Zhang-Naitzat-Lim Thm 5.4 (pairwise maxima, ceil(log2 r) hidden "
                       "layers) or, with --depth min, fewer layers with rational weights "
                       "(two hidden layers for the maximum of five numbers). SOURCE is a "
                       "file (tropexact-rational JSON, or 'tropicalize --json' output) if "
                       "that path exists, else an expression (outputs separated by ';').",
                       epilog=SYNTHESIZE_EXAMPLES, formatter_class=_RAW)
    s.add_argument("source", metavar="SOURCE", help="map file or expression")
    s.add_argument("-o", "--output", required=True, metavar="NET.json",
                   help="network file to write (never overwritten without --force)")
    s.add_argument("--depth", choices=("paper", "min"), default="paper",
                   help="paper (default): binary maxima, integer weights for an integral "
                   "map; min: also 5-ary maxima in two layers, the least depth")
    s.add_argument("--input-dim", type=_INT, default=None, metavar="D",
                   help="number of variables of an expression (default: the highest x_k)")
    s.add_argument("--verify", action="store_true",
                   help="check the round trip exactly (tropicalize the network and compare)")
    s.add_argument("--force", action="store_true", help="replace an existing NET.json")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(command="synthesize")


def _add_plot_overlay(pl: Any) -> None:
    """plot's data points, class names and slice anchors (2-input figures)."""
    pl.add_argument("--points", default=None, metavar="FILE",
                    help="data points to draw, coloured by label: CSV (x0,x1[,label], optional "
                    "header), .npy (n x k) or .npz (X, optional y); on a slice (s,t) or points "
                    "of Q^d projected orthogonally onto the plane; the window fits them")
    pl.add_argument("--classes", default=None, metavar="NAME0,NAME1,...",
                    help="names of the outputs for the legend of a classifier's decision "
                    "figure (default: class 0, class 1, ...)")
    pl.add_argument("--anchor-labels", default=None, metavar="P,P+U,P+V",
                    help="with --slice: names of the marked points P, P+U, P+V "
                    "(e.g. the digits whose images they are)")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: ``tropexact [--version] COMMAND ...``."""
    p = _Parser(prog="tropexact", description="Exact tropical geometry of ReLU networks "
                "(docs/design.md).", epilog=EXAMPLES, formatter_class=_RAW)
    p.add_argument("--version", action="version", version=f"tropexact {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for add in (_add_tropicalize, _add_regions, _add_verify, _add_check, _add_bounds,
                _add_search, _add_convert, _add_plot, _add_hypersurface,
                _add_synthesize):
        add(sub)
    return p
