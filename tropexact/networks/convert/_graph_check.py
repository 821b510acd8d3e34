"""The end of a graph import, and the batch-normalisation rule.

:func:`finish_graph` fuses, names and (only when asked) rounds the builder's
nodes into a :class:`~tropexact.networks.graph.Graph`, then compares its exact
forward pass with the model's own at seeded dyadic sample points, as the
sequential importers do (:mod:`._check`); the result is a :class:`GraphConversion`.

**Batch normalisation** (inference form) is y = γ (x − μ)/√(σ² + ε) + β per
channel.  √ is not rational, so one number is rounded, and only one: the scale
a = fl64(γ / fl64(√fl64(σ² + ε))), computed in IEEE double from the model's
float values of γ, σ² and ε (ε as a float32, as ONNX stores it and a float32
model adds it), then converted exactly.  The shift c = β − μ·a is exact.  The
rounding is measured, exactly: with r = a²(σ² + ε)/γ², the relative error of the
scale is |√r − 1| = |r − 1|/(√r + 1) < |r − 1|, and the largest |r − 1| over the
channels is reported in the notes.

Examples
--------
σ² = 3, ε = 1, γ = 2: the scale 2/√4 = 1 is exact, and c = β − μ = 1/2 − 3:

>>> a, c, err = batch_norm_rule([3.0], [2.0], [0.5], [3.0], 1.0)
>>> a, c, err
([mpq(1,1)], [mpq(-5,2)], 0.0)

σ² = 1, ε = 1: the scale 1/√2 is rounded to a double, within 2⁻⁵² relatively:

>>> a, c, err = batch_norm_rule([1.0], [1.0], [0.0], [0.0], 1.0)
>>> a[0] == 1 / 2 ** 0.5, 0 < err < 2.0 ** -52
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from tropexact.errors import InputError
from tropexact.networks.graph import Graph
from ._build import exact, float32
from ._check import _comparison
from ._graph_build import GraphBuilder, Tensor

__all__ = ["GraphConversion", "finish_graph", "batch_norm_rule", "add_batch_norm"]


@dataclass(frozen=True)
class GraphConversion:
    """The result of a graph import: the exact graph and how it relates to the model.

    The fields are those of :class:`~._check.Conversion`, with ``graph`` in place
    of ``network``: ``deviation`` is the exact largest |model − graph| over the
    ``samples`` points and the outputs (None when not compared; the reason is in
    ``notes``), ``rounded`` says whether ``max_denominator`` changed a number.
    """

    graph: Graph
    source: str
    deviation: Any
    samples: int
    rounded: bool
    notes: tuple = ()
    dtype: str | None = None
    max_denominator: int | None = None

    @property
    def exact(self) -> bool:
        """True when no number was rounded by ``max_denominator``."""
        return not self.rounded


def batch_norm_rule(var: Sequence[float], gamma: Sequence[float], beta: Sequence[float],
                    mean: Sequence[float], eps: float, where: str = "batch norm",
                    ) -> tuple[list, list, float]:
    """(scales a_c, shifts c_c, largest |r − 1|) of a batch normalisation (module docstring).

    *var*, *gamma*, *beta*, *mean* are the model's float values; *eps* is read as
    a float32.
    """
    e = float32(float(eps))
    scales, shifts, worst = [], [], 0.0
    for c, (v, g, b, m) in enumerate(zip(var, gamma, beta, mean)):
        den = float(v) + e
        if not den > 0 or not math.isfinite(den):
            raise InputError(f"running variance + eps = {den!r} in channel {c} (must be a "
                             "positive finite number)", where=where)
        a = exact(float(g) / math.sqrt(den), f"{where}.scale[{c}]")
        g_q, v_q = exact(float(g), f"{where}.weight[{c}]"), exact(float(v), f"{where}.var[{c}]")
        m_q = exact(float(m), f"{where}.mean[{c}]")
        shifts.append(exact(float(b), f"{where}.bias[{c}]") - m_q * a)
        scales.append(a)
        if g_q:
            r = a * a * (v_q + exact(e, f"{where}.eps")) / (g_q * g_q)
            worst = max(worst, float(abs(r - 1)))
    return scales, shifts, worst


def finish_graph(b: GraphBuilder, out: Tensor, *, source: str, dtype: str | None,
                 forward: Callable | None, max_denominator: int | None, samples: int,
                 seed: int, notes: Sequence[str] = (), no_forward_reason: str | None = None,
                 ) -> GraphConversion:
    """Fuse, name, round (if asked), and compare with the model's forward pass."""
    g = b.finish(out, max_denominator)
    notes = list(notes) + b.notes
    if max_denominator is not None:
        notes.append(f"max_denominator={max_denominator}: {b.rounded} numbers rounded")
    deviation, used, note = _comparison(g, forward, dtype, samples, seed, no_forward_reason)
    if note:
        notes.append(note)
    return GraphConversion(graph=g, source=source, deviation=deviation, samples=used,
                           rounded=b.rounded > 0, notes=tuple(notes), dtype=dtype,
                           max_denominator=max_denominator)


def add_batch_norm(b: GraphBuilder, x: Tensor, var: Sequence[float], gamma: Sequence[float],
                   beta: Sequence[float], mean: Sequence[float], eps: float,
                   where: str) -> Tensor:
    """The batch normalisation of *x* (channel axis 0) by :func:`batch_norm_rule`, as a
    per-channel affine node (fused later into a neighbouring affine map), with a note
    giving the measured rounding."""
    if len(x.shape) < 1 or not len(var) == len(gamma) == len(beta) == len(mean) == x.shape[0]:
        raise InputError(f"has parameters for {len(var)} channels, the data of shape "
                         f"{x.shape} has {x.shape[0] if x.shape else 0}", where=where)
    a, c, worst = batch_norm_rule(var, gamma, beta, mean, eps, where)
    b.notes.append(f"{where}: batch norm scale γ/√(σ²+ε) taken as its float64 value, relative "
                   f"error < {max(worst, 0.0):.1e} (exact bound |r − 1|)")
    return b.channel_affine(x, a, c, "bn", where)
