"""Max-pooling read off a model by probing: which inputs each output is the maximum of.

A run of structural ops (reshapes, flattens, transposes, max-pools, reductions by
max; in PyTorch ``nn.Unflatten`` + ``nn.MaxPool1d`` + ``nn.Flatten`` or a
``Maxout(pieces=k)`` module, in ONNX ``Reshape`` + ``ReduceMax`` or ``MaxPool``)
maps data z of width w to outputs y_j = max_{i ∈ S_j} z_i: each output is the
maximum of a group S_j of the inputs.  The groups are read exactly by running
the ops on 0/1 inputs: on the unit vector e_i, output j is 1 when i ∈ S_j and 0
otherwise.  A second probe of distinct integers (negative ones too) checks that
the ops really take the maximum of those groups (not a sum, a mean, a ReLU, or
something mixing samples); both probes are exact in floating point.

The groups then become a maxout layer (:meth:`~._build.Builder.pool`) whose
rows are reordered to tropexact's convention, unit j = rows j·k … j·k + k − 1,
whatever grouping the model used (consecutive, strided, ...).

Nothing here imports torch, onnx or numpy: the importers pass *run*, the ops
applied to a list of input rows.

Examples
--------
Two units taking the maximum of z0, z2 and of z1, z3 (a reshape to (k, m) = (2, 2)
followed by a max over the first axis):

>>> run = lambda rows: [[max(r[0], r[2]), max(r[1], r[3])] for r in rows]
>>> probe_groups(run, 4, "pool")
[(0, 2), (1, 3)]
>>> probe_groups(lambda rows: [[r[0] + r[1]] for r in rows], 2, "sum")
Traceback (most recent call last):
...
tropexact.errors.InputError: sum: is not a maximum over groups of its inputs (at a probe point, output 0 is 2519.0 where the maximum of inputs 0, 1 is 1730)
"""

from __future__ import annotations

import random
from typing import Callable

from tropexact.errors import InputError
from ._check import describe

__all__ = ["probe_groups"]

#: Integer probe values stay below 2^11, exact in float16 and wider.
_LIMIT = 2048


def _outputs(run: Callable[[list], list], rows: list, where: str) -> list[list[float]]:
    """The ops applied to *rows*: one list of output floats per row, of equal lengths."""
    try:
        out = [[float(v) for v in y] for y in run(rows)]
    except InputError:
        raise
    except Exception as e:  # the model's own ops failed on a probe
        raise InputError(f"cannot be read as a max-pooling: running it raised {describe(e)}",
                         where=where) from None
    if len(out) != len(rows) or not out or len({len(y) for y in out}) != 1 or not out[0]:
        shapes = sorted({len(y) for y in out})
        raise InputError(f"cannot be read as a max-pooling: {len(rows)} probe rows gave "
                         f"{len(out)} outputs of sizes {shapes}", where=where)
    return out


def _groups(eye: list[list[float]], width: int, where: str) -> list[tuple]:
    """The groups S_j read off the outputs on the unit vectors (all 0/1)."""
    m = len(eye[0])
    for i, y in enumerate(eye):
        bad = next((v for v in y if v not in (0.0, 1.0)), None)
        if bad is not None:
            raise InputError(f"is not a maximum over groups of its inputs (on the unit "
                             f"vector e_{i} an output is {bad!r}, not 0 or 1)", where=where)
    groups = [tuple(i for i in range(width) if eye[i][j] == 1.0) for j in range(m)]
    empty = next((j for j, g in enumerate(groups) if not g), None)
    if empty is not None:
        raise InputError(f"is not a maximum over groups of its inputs (output {empty} "
                         "depends on none of them)", where=where)
    return groups


def probe_groups(run: Callable[[list], list], width: int, where: str,
                 seed: int = 0) -> list[tuple]:
    """The groups S_j with output j = max_{i ∈ S_j} z_i of the ops *run*, exactly.

    Parameters
    ----------
    run : callable
        The ops on a batch: a list of input rows (lists of *width* floats) to a
        list of output rows.
    width : int
        The input width w.
    where : str
        The ops, for messages.

    Returns
    -------
    list of tuple of int
        For each output j, the sorted input indices it is the maximum of.

    Raises
    ------
    InputError
        When the ops fail on the probes, or are not a maximum over groups.
    """
    if width > _LIMIT:
        raise InputError(f"max-pooling of {width} values; at most {_LIMIT} can be read "
                         "exactly", where=where)
    eye = [[1.0 if i == j else 0.0 for j in range(width)] for i in range(width)]
    groups = _groups(_outputs(run, eye, where), width, where)
    rng = random.Random(seed)
    rows = []
    for sign in (1, -1, 1, -1):
        vals = rng.sample(range(1, _LIMIT), width)
        rows.append([float(sign * v) for v in vals])
    for x, y in zip(rows, _outputs(run, rows, where)):
        if len(y) != len(groups):
            raise InputError(f"gives {len(y)} outputs on one probe and {len(groups)} on "
                             "another", where=where)
        for j, g in enumerate(groups):
            want = max(x[i] for i in g)
            if y[j] != want:
                members = ", ".join(str(i) for i in g)
                raise InputError(f"is not a maximum over groups of its inputs (at a probe "
                                 f"point, output {j} is {y[j]!r} where the maximum of inputs "
                                 f"{members} is {want:g})", where=where)
    return groups
