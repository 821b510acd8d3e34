"""Maxout in the importers: PyTorch max-pooling runs, ONNX Max branches and ReduceMax, npz.

The properties tested:
* a PyTorch model and its ONNX export (opsets 13 and 18, where ReduceMax's axes
  moved from an attribute to an input) convert to the same exact network, and
  that network is the one written by hand from the Linear weights with the rows
  grouped as the pattern groups them (tropexact: unit j = rows j·k … j·k + k − 1);
* the grouping convention: pieces deliberately asymmetric, so that reading a
  strided grouping as a consecutive one changes the function (values by hand);
* the network equals the model's own forward pass at random points up to float
  rounding (exactly, for a float64 model on integer weights);
* unsupported variants are refused naming the module or node and its place,
  one line (CLI exit 2), never dropped.
"""

from __future__ import annotations

import io
import warnings

import pytest

from tropexact import cli
from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.convert import convert_file, from_arrays, from_onnx, from_state_dict, \
    from_torch
from tropexact.networks.convert._check import sample_points
from tropexact.networks.io import load_network
from tropexact.networks.model import network

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
np = pytest.importorskip("numpy")
nn = torch.nn
helper = onnx.helper
TP = onnx.TensorProto
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

M, K, N = 3, 2, 2  # units, pieces, inputs


class Maxout(nn.Module):
    """The usual user-written maxout: consecutive groups of `pieces` of the last dim."""

    def __init__(self, pieces):
        super().__init__()
        self.pieces = pieces

    def forward(self, x):
        return x.view(x.shape[0], -1, self.pieces).max(dim=-1)[0]


class StridedMaxout(nn.Module):
    """Reshape to (k, m) and max over k: unit j = max of rows j, j + m, ... (named Maxout
    below, so the importer recognises it; its grouping is not the consecutive one)."""

    def __init__(self, pieces):
        super().__init__()
        self.pieces = pieces

    def forward(self, x):
        return x.view(x.shape[0], self.pieces, -1).amax(dim=1)


StridedMaxout.__name__ = "Maxout"


def consecutive(m, k):
    return [tuple(range(j * k, j * k + k)) for j in range(m)]


def strided(m, k):
    return [tuple(j + i * m for i in range(k)) for j in range(m)]


# pattern name -> (modules after Linear(N, M*K), the groups it takes the max of)
PATTERNS = {
    "unflatten_maxpool1d": (lambda: [nn.Unflatten(1, (M, K)), nn.MaxPool1d(K), nn.Flatten()],
                            consecutive(M, K)),
    "unflatten1_maxpool1d": (lambda: [nn.Unflatten(1, (1, M * K)), nn.MaxPool1d(K),
                                      nn.Flatten()], consecutive(M, K)),
    "maxout_module": (lambda: [Maxout(K)], consecutive(M, K)),
    "maxpool2d_strided": (lambda: [nn.Unflatten(1, (1, K, M)), nn.MaxPool2d((K, 1)),
                                   nn.Flatten()], strided(M, K)),
}


def model_with(pattern, seed=0, dtype=torch.float32):
    torch.manual_seed(seed)
    mods, groups = PATTERNS[pattern]
    model = nn.Sequential(nn.Linear(N, M * K), *mods(), nn.ReLU(), nn.Linear(M, 1)).to(dtype)
    return model.eval(), groups


def expected(model, groups):
    """The network written by hand: the first Linear's rows in the order of the groups."""
    lin0, lin1 = model[0], model[-1]
    W, b = lin0.weight.tolist(), lin0.bias.tolist()
    order = [i for g in groups for i in g]
    k = len(groups[0])
    return network(N, [
        {"weight": [[Q(w) for w in W[i]] for i in order], "bias": [Q(b[i]) for i in order],
         "activation": "maxout", "pieces": k},
        {"weight": [[Q(1) if i == j else Q(0) for j in range(M)] for i in range(M)],
         "bias": [0] * M, "activation": "relu"},
        {"weight": [[Q(w) for w in lin1.weight.tolist()[0]]], "bias": [Q(lin1.bias.item())],
         "activation": "identity"}])


def export(model, opset):
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, N), f, dynamo=False, opset_version=opset)
    return f.getvalue()


# -- one network from every pattern and both sources --------------------------------------

@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_torch_and_onnx_give_the_hand_written_network(pattern):
    model, groups = model_with(pattern)
    want = expected(model, groups)
    conv = from_torch(model)
    assert conv.network == want
    assert conv.network.layers[0].pieces == K and conv.network.widths == (N, M, M, 1)
    assert conv.deviation < 2.0 ** -20 and conv.samples == 64
    for opset in (13, 18):  # 18: ReduceMax's axes are an input, no longer an attribute
        onx = from_onnx(export(model, opset))
        assert onx.network == want, opset
        assert onx.deviation < 2.0 ** -20


def test_float64_model_on_integer_weights_is_reproduced_exactly():
    # integer weights, dyadic inputs k/2^16: every float64 value the model computes is
    # exact, so the model and the network agree exactly at every sample point
    model, groups = model_with("maxout_module", dtype=torch.float64)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randint(-5, 6, p.shape, dtype=torch.float64))
    conv = from_torch(model, samples=200, seed=3)
    assert conv.deviation == 0 and conv.network == expected(model, groups)
    for x in sample_points(N, 20, seed=9, bits=16):
        y = model(torch.tensor([[float(v) for v in x]], dtype=torch.float64)).item()
        assert conv.network(x) == (Q(y),)


def test_grouping_convention_asymmetric_pieces():
    # rows z = (x, 2x, -x, -2x).  Consecutive groups (0,1), (2,3): (max(x, 2x), max(-x, -2x))
    # = (2, -1) at x = 1.  Strided groups (0,2), (1,3): (|x|, 2|x|) = (1, 2) at x = 1.
    def make(mods):
        m = nn.Sequential(nn.Linear(1, 4), *mods)
        with torch.no_grad():
            m[0].weight.copy_(torch.tensor([[1.0], [2.0], [-1.0], [-2.0]]))
            m[0].bias.zero_()
        return m.eval()
    cons = make([nn.Unflatten(1, (2, 2)), nn.MaxPool1d(2), nn.Flatten()])
    strd = make([nn.Unflatten(1, (1, 2, 2)), nn.MaxPool2d((2, 1)), nn.Flatten()])
    mod = make([StridedMaxout(2)])
    nc, ns, nm = (from_torch(m).network for m in (cons, strd, mod))
    assert nc([1]) == (2, -1) and ns([1]) == (1, 2) and nm([1]) == (1, 2)
    assert [int(r[0]) for r in ns.layers[0].weight] == [1, -1, 2, -2]  # regrouped rows
    assert [int(r[0]) for r in nc.layers[0].weight] == [1, 2, -1, -2]  # as they were
    for m, net in ((cons, nc), (strd, ns)):
        assert from_onnx(export_1(m)).network == net


def export_1(model):
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 1), f, dynamo=False)
    return f.getvalue()


def test_maxpool_after_relu_is_a_selection_maxout():
    model = nn.Sequential(nn.Linear(N, 4), nn.ReLU(), nn.MaxPool1d(2, stride=1)).eval()
    conv = from_torch(model)
    # windows (0,1), (1,2), (2,3) of the ReLU outputs: a 0/1 maxout layer of 3 units
    lay = conv.network.layers[1]
    assert lay.pieces == 2 and conv.network.widths == (N, 4, 3)
    assert [[int(v) for v in r] for r in lay.weight] == [
        [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    assert conv.deviation < 2.0 ** -20 and "selection layer" in conv.notes[0]


# -- ONNX: Max over affine branches ----------------------------------------------------

class Branches(nn.Module):
    def __init__(self, nested_right=False):
        super().__init__()
        self.arms = nn.ModuleList(nn.Linear(N, M) for _ in range(3))
        self.right = nested_right

    def forward(self, x):
        a, b, c = (arm(x) for arm in self.arms)
        if self.right:
            return torch.maximum(a, torch.maximum(b, c))
        return torch.maximum(torch.maximum(a, b), c)


@pytest.mark.parametrize("nested_right", [False, True])
def test_onnx_max_of_branches_is_a_maxout(nested_right):
    torch.manual_seed(1)
    model = Branches(nested_right).eval()
    conv = from_onnx(export(model, 13))
    # unit j = max over the branches of their row j: rows a_j, b_j, c_j consecutive
    rows = [arm.weight.tolist() for arm in model.arms]
    bias = [arm.bias.tolist() for arm in model.arms]
    want = network(N, [{"weight": [[Q(w) for w in rows[i][j]] for j in range(M) for i in range(3)],
                        "bias": [Q(bias[i][j]) for j in range(M) for i in range(3)],
                        "activation": "maxout", "pieces": 3}])
    assert conv.network == want and conv.deviation < 2.0 ** -20


def _graph(nodes, inits, opset, out_dim, name="g"):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("X", TP.FLOAT, [None, 1])],
                          [helper.make_tensor_value_info("Y", TP.FLOAT, [None, out_dim])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def _t(name, values, dtype=np.float32):
    return onnx.numpy_helper.from_array(np.array(values, dtype=dtype), name)


def test_onnx_hand_built_matmul_add_branches_and_reshape_reducemax():
    # the asymmetric rows of the grouping test: z = (x, 2x, -x, -2x) + (0, 0, 1, 0)
    branches = _graph([helper.make_node("MatMul", ["X", "A"], ["za"]),
                       helper.make_node("Add", ["za", "ca"], ["a"]),
                       helper.make_node("MatMul", ["X", "B"], ["zb"]),
                       helper.make_node("Add", ["cb", "zb"], ["b"]),
                       helper.make_node("Max", ["a", "b"], ["Y"])],
                      [_t("A", [[1, 2]]), _t("ca", [0, 0]), _t("B", [[-1, -2]]), _t("cb", [1, 0])],
                      13, 2)
    net = from_onnx(branches).network
    # unit 0 = max(x, -x + 1), unit 1 = max(2x, -2x): at x = 1/4 that is (3/4, 1/2)
    assert net([Q(1, 4)]) == (Q(3, 4), Q(1, 2)) and net.layers[0].pieces == 2
    W = _t("W", [[1, 2, -1, -2]])
    shape = _t("s", [-1, 2, 2], np.int64)
    for opset in (13, 18):
        if opset == 13:
            red = helper.make_node("ReduceMax", ["r"], ["Y"], axes=[-1], keepdims=0)
            extra = []
        else:
            red = helper.make_node("ReduceMax", ["r", "ax"], ["Y"], keepdims=0)
            extra = [_t("ax", [-1], np.int64)]
        m = _graph([helper.make_node("MatMul", ["X", "W"], ["z"]),
                    helper.make_node("Reshape", ["z", "s"], ["r"]), red],
                   [W, shape, *extra], opset, 2)
        net = from_onnx(m).network
        assert net([1]) == (2, -1), opset  # consecutive: (max(x, 2x), max(-x, -2x))
        m = _graph([helper.make_node("MatMul", ["X", "W"], ["z"]),
                    helper.make_node("Reshape", ["z", "s"], ["r"]),
                    helper.make_node("ReduceMax", ["r"], ["Y"], axes=[1], keepdims=0)],
                   [W, shape], 13, 2)
        assert from_onnx(m).network([1]) == (1, 2)  # over axis 1: strided, (|x|, 2|x|)


# -- .npz, arrays and state_dicts: maxout:K ------------------------------------------------

def test_npz_and_state_dict_maxout_activations(tmp_path):
    model, groups = model_with("maxout_module")
    lin = [m for m in model if type(m) is nn.Linear]
    arrays = {}
    for i, m in enumerate(lin):
        arrays[f"W{i}"], arrays[f"b{i}"] = m.weight.detach().numpy(), m.bias.detach().numpy()
    np.savez(tmp_path / "w.npz", **arrays)
    want = from_torch(nn.Sequential(lin[0], Maxout(K), lin[1])).network
    conv = convert_file(tmp_path / "w.npz", activations=f"maxout:{K},identity")
    assert conv.network == want and conv.deviation < 2.0 ** -20
    sd = {"0.weight": lin[0].weight, "0.bias": lin[0].bias, "1.weight": lin[1].weight,
          "1.bias": lin[1].bias}
    conv = from_state_dict(sd, ["maxout:2", "identity"])
    assert conv.network == want and conv.deviation < 2.0 ** -20
    # lists of floats: a Python forward pass
    conv = from_arrays([(arrays["W0"].tolist(), arrays["b0"].tolist()),
                        (arrays["W1"].tolist(), arrays["b1"].tolist())], "maxout:2,identity")
    assert conv.network == want and conv.deviation < 2.0 ** -40


@pytest.mark.parametrize("acts, message", [
    ("maxout:4,identity", "W0: has shape (6, 2): 6 rows, not a multiple of maxout's 4 pieces"),
    ("maxout,identity", "maxout needs its number of pieces"),
    ("maxout:0,identity", "maxout pieces must be an integer from 1 to 52, got '0'"),
    ("maxout:x,identity", "maxout pieces must be an integer"),
    ("maxout:3,identity", "W1: has shape (1, 3): 3 columns, but W0 (shape (6, 2)) has 2 "
                          "maxout units"),
])
def test_npz_bad_maxout_specs_are_named(tmp_path, acts, message):
    W0, W1 = np.ones((6, 2), np.float32), np.ones((1, 3), np.float32)
    np.savez(tmp_path / "w.npz", W0=W0, b0=np.zeros(6, np.float32), W1=W1,
             b1=np.zeros(1, np.float32))
    with pytest.raises(InputError) as e:
        convert_file(tmp_path / "w.npz", activations=acts)
    assert message in str(e.value)


# -- refusals -----------------------------------------------------------------------------

class MeanPool(nn.Module):
    def __init__(self, pieces):
        super().__init__()
        self.pieces = pieces

    def forward(self, x):
        return x.view(x.shape[0], -1, self.pieces).mean(dim=-1)


MeanPool.__name__ = "Maxout"


class Triples(Maxout):
    def forward(self, x):
        return x.view(x.shape[0], -1, 3).max(dim=-1)[0]


Triples.__name__ = "Maxout"


class LinearMaxout(nn.Module):
    def __init__(self):
        super().__init__()
        self.pieces = 2
        self.lin = nn.Linear(N, 4)

    def forward(self, x):
        return self.lin(x).view(x.shape[0], -1, 2).max(dim=-1)[0]


LinearMaxout.__name__ = "Maxout"


@pytest.mark.parametrize("mods, message", [
    ([nn.Unflatten(1, (3, 2)), nn.AvgPool1d(2), nn.Flatten()],
     "unsupported layer AvgPool1d at model[2]"),
    ([nn.Unflatten(1, (3, 2)), nn.MaxPool1d(2)],
     "model[1]..model[2] (Unflatten, MaxPool1d): leaves data of shape (batch, 3, 1), not "
     "(batch, features): end the max-pooling with nn.Flatten()"),
    ([MeanPool(2)], "model[1] (Maxout): is not a maximum over groups of its inputs"),
    ([Triples(2)], "model[1] (Maxout): Maxout(pieces=2) takes the maximum of groups of 3 "
                   "inputs, not 2"),
    ([nn.Identity(), LinearMaxout()], "model[2] (Maxout): this Maxout has parameters"),
    ([nn.MaxPool1d(2, return_indices=True)], "model[1] (MaxPool1d): leaves data of shape a "
                                             "tuple"),
])
def test_torch_unsupported_variants_are_named(mods, message):
    model = nn.Sequential(nn.Linear(N, 6), *mods).eval()
    with pytest.raises(InputError) as e:
        from_torch(model)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_onnx_unsupported_variants_are_named():
    # torch's MaxPool1d on (batch, features) data exports an ONNX MaxPool on rank-2 data,
    # which ONNX does not define: refused, naming the node
    model = nn.Sequential(nn.Linear(N, 6), nn.MaxPool1d(2)).eval()
    assert from_torch(model).network.layers[0].pieces == 2  # torch itself is fine
    with pytest.raises(InputError, match=r"node '/1/MaxPool' \(MaxPool\): cannot be read as a "
                                         "max-pooling"):
        from_onnx(export(model, 13))
    relu_arm = _graph([helper.make_node("MatMul", ["X", "A"], ["a"]),
                       helper.make_node("Relu", ["X"], ["b"]),
                       helper.make_node("Max", ["a", "b"], ["Y"])], [_t("A", [[1]])], 13, 1)
    with pytest.raises(InputError, match="branches at tensor 'X'.*joined by one Max"):
        from_onnx(relu_arm)
    max_const = _graph([helper.make_node("MatMul", ["X", "A"], ["a"]),
                        helper.make_node("Max", ["a", "c"], ["Y"], name="mx")],
                       [_t("A", [[1]]), _t("c", [0])], 13, 1)
    with pytest.raises(InputError, match=r"node 'mx' \(Max\): a Max of the data and constants"):
        from_onnx(max_const)
    summed = _graph([helper.make_node("MatMul", ["X", "W"], ["z"]),
                     helper.make_node("Reshape", ["z", "s"], ["r"]),
                     helper.make_node("ReduceSum", ["r", "ax"], ["Y"], keepdims=0, name="rs")],
                    [_t("W", [[1, 2]]), _t("s", [-1, 1, 2], np.int64), _t("ax", [-1], np.int64)],
                    13, 1)
    with pytest.raises(InputError, match=r"unsupported ONNX op 'ReduceSum' \(node 'rs'\)"):
        from_onnx(summed)


def test_cli_converts_maxout_and_refuses_in_one_line(tmp_path, capsys):
    model, groups = model_with("unflatten_maxpool1d")
    pt, dst = tmp_path / "m.pt", tmp_path / "m.json"
    torch.save(model, pt)
    assert cli.main(["convert", str(pt), "-o", str(dst)]) == 0
    capsys.readouterr()
    net = load_network(dst)
    assert net == expected(model, groups) and net.layers[0].pieces == K
    bad = nn.Sequential(nn.Linear(N, 6), nn.Unflatten(1, (3, 2)), nn.AvgPool1d(2)).eval()
    torch.save(bad, tmp_path / "bad.pt")
    assert cli.main(["convert", str(tmp_path / "bad.pt"), "-o", str(tmp_path / "b.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert "AvgPool1d" in err and len(err.splitlines()) == 1
