"""Model importers: PyTorch, ONNX and numpy networks as exact tropexact networks.

Every float weight becomes the exact binary rational it denotes
(``float(x).as_integer_ratio()``), never a rounding, unless ``max_denominator``
asks for one (:func:`tropexact.exact.numbers.limit_denominator`, the only rounding).
Each importer returns a :class:`Conversion`: the network, plus the exact largest
deviation between the model's own forward pass and the exact network at seeded
sample points.  See ``docs/import.md``.

torch, onnx and numpy are imported only when a function needs them; a missing
one is an :class:`~tropexact.errors.InputError` with the install hint.

Examples
--------
Lists of floats are read exactly (0.1 is the binary fraction nearest to 1/10):

>>> conv = from_arrays([([[1.0, -0.5], [0.25, 2.0]], [0.0, 0.1]), ([[1.5, -1.0]], [0.0])])
>>> conv.source, conv.network.widths, [l.activation.value for l in conv.network.layers]
('arrays', (2, 2, 1), ['relu', 'identity'])
>>> conv.network.layers[0].bias[1]
mpq(3602879701896397,36028797018963968)
>>> conv.rounded, conv.samples, conv.deviation < 1e-15
(False, 64, True)
>>> conv.notes[0]
'activations defaulted to relu,identity (pass activations=... to change them)'

Rounding happens only when asked, and is reported:

>>> conv = from_arrays([([[0.1]], [0.0])], ["relu"], max_denominator=1000)
>>> conv.network.layers[0].weight, conv.rounded
(((mpq(1,10),),), True)
"""

from __future__ import annotations

import dataclasses
import os
import zipfile
from typing import Any, Mapping

from tropexact.errors import InputError
from tropexact.networks.files import read_bytes
from ._build import parse_activations
from ._check import Conversion
from ._graph_build import graph_text
from ._graph_check import GraphConversion
from ._onnx_graph import GRAPH_OPS, from_onnx_graph
from ._npz import from_arrays, from_npz
from ._onnx import SUPPORTED_OPS, from_onnx
from ._torch import SUPPORTED_MODULES, from_state_dict, from_torch, from_torch_file, \
    load_torch_file
from ._torch_graph import GRAPH_FUNCTIONS, GRAPH_MODULES, from_torch_graph

__all__ = ["Conversion", "convert_file", "from_torch", "from_state_dict", "from_torch_file",
           "from_onnx", "from_arrays", "from_npz", "load_torch_file", "parse_activations",
           "SUPPORTED_MODULES", "SUPPORTED_OPS", "detect_format", "GraphConversion",
           "from_onnx_graph", "from_torch_graph", "graph_text", "GRAPH_OPS", "GRAPH_MODULES",
           "GRAPH_FUNCTIONS", "convert_model"]

_EXT = {".pt": "torch", ".pth": "torch", ".onnx": "onnx", ".npz": "npz"}


def detect_format(path: str | os.PathLike) -> str:
    """``"torch"``, ``"onnx"`` or ``"npz"``: from the content when it is telling, else the extension.

    A zip archive holding ``data.pkl`` is a ``torch.save`` file and one holding only
    ``.npy`` members is an ``.npz``; a pickle (legacy ``torch.save``) is torch.

    Examples
    --------
    The content wins over a misleading extension:

    >>> import os, tempfile, zipfile
    >>> path = os.path.join(tempfile.mkdtemp(), "weights.pt")
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("W0.npy", b"")
    ...     z.writestr("b0.npy", b"")
    >>> detect_format(path)
    'npz'
    """
    p = os.fspath(path)
    head = read_bytes(p, "a model file", 4)
    ext = os.path.splitext(p)[1].lower()
    if head == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(p) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError):
            names = []
        if any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
            return "torch"
        if names and all(n.endswith(".npy") for n in names):
            return "npz"
    elif head[:1] == b"\x80" and ext != ".onnx":
        return "torch"
    if ext in _EXT:
        return _EXT[ext]
    raise InputError(f"cannot tell the model format of a {ext or 'extensionless'} file: expected "
                     "a .pt/.pth (torch.save), .onnx or .npz file", where=p)


def convert_file(path: str | os.PathLike, *, max_denominator: int | None = None,
                 input_dim: int | None = None, activations: Any = None, samples: int = 64,
                 seed: int = 0, graph: bool = False,
                 input_shape: Any = None) -> Conversion | GraphConversion:
    """Convert a model file to an exact network, or to an exact computation graph.

    A sequential MLP (what the sequential importers read) becomes a network
    (:class:`Conversion`); any other PyTorch or ONNX model, or any model when
    *graph* is true, becomes a computation graph (:class:`GraphConversion`,
    :mod:`tropexact.networks.graph`).

    Parameters
    ----------
    path : str or PathLike
        ``.pt``/``.pth`` (``torch.save`` of an ``nn.Sequential`` or a state_dict;
        loaded with ``weights_only=True``), ``.onnx``, or ``.npz`` (W0, b0, W1, b1, ...).
        The format is read from the content when it is telling, else the extension.
    max_denominator : int, optional
        Round every number to the closest rational with at most this denominator.
        Default: no rounding, each float is its exact binary value.
    input_dim : int, optional
        The input dimension, when the model does not fix it (checked when it does).
    activations : str or list of str, optional
        For a state_dict (required) or an ``.npz`` (default relu, ..., relu,
        identity): one per linear layer, ``relu``, ``identity`` or
        ``leaky_relu:SLOPE`` with an exact slope.
    samples, seed : int
        Number of seeded sample points of [-1, 1]^d for the forward-pass comparison.
    graph : bool
        Write a computation graph even for a sequential MLP.
    input_shape : sequence of int, optional
        The shape of one sample (e.g. ``(1, 28, 28)``) for a graph, when the model
        does not fix it (a ``torch.save``'d model, an ONNX input with symbolic dims).

    Returns
    -------
    Conversion or GraphConversion

    Raises
    ------
    InputError
        Missing or unreadable file, unsupported layer or op (named), bad shapes,
        NaN/inf weights (named), missing optional dependency (with the install hint).
    """
    kind = detect_format(path)
    opts: dict[str, Any] = dict(input_dim=input_dim, max_denominator=max_denominator,
                                samples=samples, seed=seed)
    if kind == "npz" or (kind == "torch" and activations is not None):
        _no_graph(graph, input_shape, path)
        if kind == "npz":
            return from_npz(path, activations, **opts)
        return from_torch_file(path, activations=activations, **opts)
    if activations is not None:
        raise InputError("apply to a state_dict or an .npz only; an ONNX model has its own",
                         where=os.fspath(path), param="activations")
    if kind == "onnx":
        return convert_model(path, graph=graph, input_shape=input_shape, **opts)
    obj = load_torch_file(path)
    try:
        if isinstance(obj, Mapping):
            _no_graph(graph, input_shape, path)
            return from_state_dict(obj, activations, **opts)
        if type(obj).__module__.split(".")[0] == "torch":
            return convert_model(obj, graph=graph, input_shape=input_shape, **opts)
    except InputError as e:
        raise e.at(os.fspath(path)) from None
    raise InputError(f"holds a {type(obj).__name__}; expected a torch.save of an nn.Module "
                     "or of a state_dict", where=os.fspath(path))


def _no_graph(graph: bool, input_shape: Any, path: Any) -> None:
    if graph or input_shape is not None:
        raise InputError("a state_dict or an .npz has no graph: graph and input_shape apply "
                         "to full PyTorch and ONNX models", where=os.fspath(path))


def convert_model(model: Any, *, graph: bool = False, input_shape: Any = None,
                  input_dim: int | None = None, max_denominator: int | None = None,
                  samples: int = 64, seed: int = 0) -> Conversion | GraphConversion:
    """A PyTorch ``nn.Module`` or an ONNX model (ModelProto, bytes or path): a sequential
    network when it is an MLP the sequential importers read (and *graph* is false), else
    a computation graph.

    The sequential importer is tried first; when it refuses the model, the graph
    importer converts it (a note keeps the sequential importer's reason), and when
    both refuse, the graph importer's error is raised: it names the operator and its
    position.  *input_dim*, if given, must equal the number of input entries.
    """
    is_torch = not isinstance(model, (str, os.PathLike, bytes, bytearray)) and \
        type(model).__module__.split(".")[0] == "torch"
    opts: dict[str, Any] = dict(max_denominator=max_denominator, samples=samples, seed=seed)
    reason = "graph requested"
    if not graph and input_shape is None:
        try:
            if is_torch:
                return from_torch(model, input_dim=input_dim, **opts)
            return from_onnx(model, input_dim=input_dim, **opts)
        except InputError as e:
            reason = str(e).split(" (supported:")[0]
    if is_torch:
        conv = from_torch_graph(model, input_shape=input_shape, **opts)
    else:
        conv = from_onnx_graph(model, input_shape=input_shape, **opts)
    if input_dim is not None and input_dim != conv.graph.input_dim:
        raise InputError(f"input_dim={input_dim}, but the model takes "
                         f"{conv.graph.input_dim} inputs", param="input_dim")
    if reason != "graph requested":
        note = f"converted as a computation graph (not a sequential MLP: {reason})"
        conv = dataclasses.replace(conv, notes=(note,) + conv.notes)
    return conv
