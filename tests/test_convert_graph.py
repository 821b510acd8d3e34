"""Graph importers: convolutional and residual networks from PyTorch (torch.fx) and ONNX.

The properties (issue 14's acceptance):
* a model converted through torch.fx and its ONNX export converted through the
  ONNX importer give the same graph file, byte for byte (two independent paths);
* the exact graph equals the model's own forward pass (torch; onnxruntime) at
  random points up to the model's float rounding;
* unsupported operators are refused with their name and position (exit 2, one line);
* hand-derived tables: a convolution's matrix, pooling windows with padding,
  ceil_mode and count_include_pad, the batch-norm rule, fusion.
"""

from __future__ import annotations

import io
import json
import warnings

import pytest

from tropexact import cli
from tropexact.errors import InputError
from tropexact.exact.numbers import Q
from tropexact.networks.convert import convert_model, from_onnx_graph, from_torch_graph, \
    graph_text
from tropexact.networks.convert._conv import avg_divisors, conv_entries, out_size, \
    pool_windows
from tropexact.networks.convert._graph_build import GraphBuilder
from tropexact.networks.graph import load_graph

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
nn = torch.nn
F = torch.nn.functional


def export(model, shape, fold=False):
    """ONNX bytes of *model* (TorchScript exporter; batch norm kept as its own node)."""
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), (torch.zeros(1, *shape),), f, dynamo=False,
                          do_constant_folding=fold)
    return f.getvalue()


def _bn(c, d=2):
    m = (nn.BatchNorm1d if d == 1 else nn.BatchNorm2d)(c)
    with torch.no_grad():
        m.running_mean.uniform_(-1, 1)
        m.running_var.uniform_(0.5, 2)
        m.weight.uniform_(0.5, 1.5)
        m.bias.uniform_(-0.5, 0.5)
    return m


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.c0 = nn.Conv2d(1, 2, 3, padding=1)
        self.c1 = nn.Conv2d(2, 2, 3, padding=1, bias=False)
        self.bn = _bn(2)
        self.fc = nn.Linear(2 * 36, 3)

    def forward(self, x):
        x = torch.relu(self.c0(x))
        y = torch.relu(self.bn(self.c1(x)) + x)
        return self.fc(torch.flatten(y, 1))


class Branches(nn.Module):
    """Concat of two branches (channel axis), an element-wise max, a reshape by view."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 2, 3, stride=2, padding=1)
        self.b = nn.Conv2d(1, 2, 3, stride=2, padding=2, dilation=2)
        self.fc = nn.Linear(4 * 9, 2)

    def forward(self, x):
        a, b = self.a(x), self.b(x)
        z = torch.cat([torch.maximum(a, b), F.relu(a)], dim=1)
        return self.fc(z.view(z.size(0), -1))


class WidthConcat(nn.Module):
    """Concat along the width axis (a permutation in row-major order)."""

    def forward(self, x):
        return torch.relu(torch.cat([x, -1.5 * x], dim=3))


def _models():
    torch.manual_seed(0)
    return {
        "conv1d": (nn.Sequential(nn.Conv1d(2, 3, 3, stride=2, padding=1, dilation=2), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(9, 2)), (2, 7)),
        "conv2d-groups": (nn.Sequential(nn.Conv2d(2, 4, 3, stride=2, padding=1, groups=2),
                                        nn.LeakyReLU(0.1), nn.Flatten()), (2, 6, 6)),
        "maxpool": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.MaxPool2d(3, stride=2, padding=1,
                                                                   dilation=1, ceil_mode=True),
                                  nn.Flatten()), (1, 6, 6)),
        "maxpool-dilated-1d": (nn.Sequential(nn.MaxPool1d(2, stride=1, dilation=2),
                                             nn.Flatten()), (2, 6)),
        "avgpool": (nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(),
                                  nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True),
                                  nn.Flatten()), (1, 7, 7)),
        "avgpool-exclude-pad": (nn.Sequential(nn.AvgPool2d(2, stride=1, padding=1,
                                                           count_include_pad=False),
                                              nn.Flatten()), (1, 3, 3)),
        "global-avg": (nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                     nn.Flatten(), nn.Linear(3, 2)), (1, 5, 5)),
        "batchnorm": (nn.Sequential(nn.Conv2d(1, 2, 3), _bn(2), nn.ReLU(), nn.Flatten()),
                      (1, 4, 4)),
        "batchnorm-1d-first": (nn.Sequential(_bn(2, 1), nn.Conv1d(2, 2, 2), nn.ReLU(),
                                             nn.Flatten()), (2, 4)),
        "residual": (Residual(), (1, 6, 6)),
        "branches": (Branches(), (1, 6, 6)),
        "width-concat": (WidthConcat(), (1, 2, 2)),
        "dropout": (nn.Sequential(nn.Conv2d(1, 1, 2), nn.Dropout(0.5), nn.ReLU(),
                                  nn.Flatten()), (1, 3, 3)),
    }


MODELS = _models()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_pytorch_and_onnx_give_the_same_graph_equal_to_the_model(name):
    model, shape = MODELS[name]
    model.eval()
    t = from_torch_graph(model, input_shape=shape, samples=16)
    o = from_onnx_graph(export(model, shape), samples=16)
    assert t.graph == o.graph
    assert graph_text(t.graph) == graph_text(o.graph)
    # float32 models: the deviation is the model's rounding, a few ulps of its outputs
    assert t.samples == o.samples == 16
    assert t.deviation < 1e-5 and o.deviation < 1e-5
    assert not t.rounded and t.dtype == "float32"


def test_float64_model_agrees_to_double_rounding():
    model, shape = MODELS["residual"]
    m = Residual().double().eval()
    m.load_state_dict(model.state_dict())
    t = from_torch_graph(m.double(), input_shape=shape, samples=8)
    assert t.dtype == "float64" and t.deviation < 1e-12


def test_batchnorm_folded_into_the_convolution():
    model, shape = MODELS["batchnorm"]
    g = from_torch_graph(model, input_shape=shape, samples=0).graph
    assert [n.op for n in g.nodes] == ["affine", "relu"]
    assert any("batch norm scale" in n for n in from_torch_graph(model, input_shape=shape,
                                                                  samples=0).notes)


def test_onnx_export_with_torch_folding_agrees_with_the_model():
    """torch.onnx folds batch norm into the Conv in float32; the result is still the
    model up to float rounding (but not the same file: the folded weights are rounded)."""
    model, shape = MODELS["batchnorm"]
    o = from_onnx_graph(export(model, shape, fold=True), samples=16)
    assert o.deviation < 1e-5


# -- tables: hand-derived windows and matrices -----------------------------------

def test_conv_matrix_by_hand():
    # 2 input channels, groups=2, kernel (1, -1) per channel, no padding, L = 3:
    # output channel 0 reads channel 0: y0[t] = x0[t] - x0[t+1]; channel 1: x1[t] - x1[t+1]
    w = [[[Q(1), Q(-1)]], [[Q(1), Q(-1)]]]
    got = conv_entries((2, 3), w, 2, (1,), (1,), (0, 0), (2,))
    assert got == [(0, 0, 1), (0, 1, -1), (1, 1, 1), (1, 2, -1),
                   (2, 3, 1), (2, 4, -1), (3, 4, 1), (3, 5, -1)]


@pytest.mark.parametrize("L,k,s,d,p,ceil,want", [
    (6, 2, 2, 1, 0, False, 3), (5, 2, 2, 1, 0, False, 2), (5, 2, 2, 1, 0, True, 3),
    # ceil_mode never starts a window in the right padding: L=4, k=2, s=2, p=1 -> 3 not 4
    (4, 2, 2, 1, 1, True, 3), (7, 3, 1, 2, 0, False, 3), (2, 3, 1, 1, 0, False, 0)])
def test_out_size_table(L, k, s, d, p, ceil, want):
    assert out_size(L, k, s, d, p, p, ceil) == want


def test_pool_windows_and_divisors_by_hand():
    # L = 3, k = 2, s = 1, p = 1: windows {-1, 0}, {0, 1}, {1, 2}, {2, 3}
    wins = pool_windows((1, 3), (2,), (1,), (1,), (1, 1), (4,))
    assert wins == [(0,), (0, 1), (1, 2), (2,)]
    assert avg_divisors((1, 3), (2,), (1,), (1, 1), (4,), wins, False) == [1, 2, 2, 1]
    assert avg_divisors((1, 3), (2,), (1,), (1, 1), (4,), wins, True) == [2, 2, 2, 2]


def test_fusion_keeps_a_node_read_twice():
    b = GraphBuilder((2,))
    h = b.add_const(b.input, [Q(1), Q(2)], "c")
    y = b.add([b.relu(h, "r"), h], "sum")
    g = b.finish(y)
    assert [n.op for n in g.nodes] == ["affine", "relu", "add"]
    assert g([1, -5]) == (Q(4), Q(-3))  # relu(2) + 2, relu(-3) + (-3)


# -- refusals --------------------------------------------------------------------

class Squash(nn.Module):
    def forward(self, x):
        return torch.sigmoid(x)


@pytest.mark.parametrize("model,shape,words", [
    (nn.Sequential(nn.Conv2d(1, 1, 2), nn.Sigmoid()), (1, 3, 3), ["Sigmoid", "#"]),
    (nn.Sequential(nn.Flatten(), nn.Linear(4, 2), nn.Softmax(dim=1)), (1, 2, 2),
     ["Softmax", "#"]),
    (nn.Sequential(nn.Upsample(scale_factor=2), nn.Flatten()), (1, 2, 2), ["Upsample"]),
    (Squash(), (2,), ["sigmoid", "fx node #1"]),
])
def test_unsupported_torch_layers_are_refused_by_name(model, shape, words):
    with pytest.raises(InputError) as e:
        from_torch_graph(model, input_shape=shape, samples=0)
    assert all(w in str(e.value) for w in words), str(e.value)


@pytest.mark.parametrize("model,shape,op", [
    (nn.Sequential(nn.Conv2d(1, 1, 2), nn.Sigmoid()), (1, 3, 3), "Sigmoid"),
    (nn.Sequential(nn.Flatten(), nn.Linear(4, 2), nn.Softmax(dim=1)), (1, 2, 2), "Softmax"),
    (nn.Sequential(nn.Upsample(scale_factor=2), nn.Flatten()), (1, 2, 2), "Resize"),
])
def test_unsupported_onnx_ops_are_refused_with_their_position(model, shape, op):
    with pytest.raises(InputError, match=rf"unsupported ONNX op '{op}' at node .*\(#\d+, {op}\)"):
        from_onnx_graph(export(model, shape), samples=0)


def _onnx_model(nodes, inputs, inits=()):
    h, TP = onnx.helper, onnx.TensorProto
    g = h.make_graph(nodes, "g", inputs, [h.make_tensor_value_info("y", TP.FLOAT, None)],
                     list(inits))
    return h.make_model(g, opset_imports=[h.make_opsetid("", 17)])


def test_conv_with_a_non_constant_weight_is_refused():
    h, TP = onnx.helper, onnx.TensorProto
    x = h.make_tensor_value_info("x", TP.FLOAT, [1, 1, 3, 3])
    m = _onnx_model([h.make_node("Conv", ["x", "x"], ["y"], name="self_conv")], [x])
    with pytest.raises(InputError, match="self_conv.*non-constant weight"):
        from_onnx_graph(m, samples=0)


def test_a_dead_branch_is_refused_not_dropped():
    h, TP = onnx.helper, onnx.TensorProto
    x = h.make_tensor_value_info("x", TP.FLOAT, [1, 2])
    m = _onnx_model([h.make_node("Relu", ["x"], ["y"]),
                     h.make_node("Relu", ["x"], ["z"], name="dead")], [x])
    with pytest.raises(InputError, match="dead.*does not reach the graph output"):
        from_onnx_graph(m, samples=0)


def test_symbolic_input_needs_its_shape():
    h, TP = onnx.helper, onnx.TensorProto
    x = h.make_tensor_value_info("x", TP.FLOAT, ["N", 1, "H", "W"])
    m = _onnx_model([h.make_node("Relu", ["x"], ["y"])], [x])
    with pytest.raises(InputError, match="symbolic shape"):
        from_onnx_graph(m, samples=0)
    assert from_onnx_graph(m, input_shape=(1, 2, 2), samples=4).deviation == 0


# -- the command line ------------------------------------------------------------

def test_cli_writes_a_graph_file_and_refuses_in_one_line(tmp_path, capsys):
    model, shape = MODELS["residual"]
    src = tmp_path / "res.onnx"
    src.write_bytes(export(model, shape))
    out = tmp_path / "res.json"
    assert cli.main(["convert", str(src), "-o", str(out), "--json", "--samples", "8"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["nodes"] == len(load_graph(out).nodes) and rep["samples"] == 8
    assert load_graph(out) == from_torch_graph(model, input_shape=shape, samples=0).graph
    bad = tmp_path / "sig.onnx"
    bad.write_bytes(export(nn.Sequential(nn.Conv2d(1, 1, 2), nn.Sigmoid()), (1, 3, 3)))
    assert cli.main(["convert", str(bad), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Sigmoid" in err and "#1" in err


def test_graph_flag_on_an_mlp_gives_the_same_function(tmp_path):
    torch.manual_seed(1)
    mlp = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).eval()
    seq = convert_model(mlp, samples=0).network
    g = convert_model(mlp, graph=True, samples=8).graph
    for p in ([0, 0, 0], [1, -2, "1/3"], ["1/2", 5, -1]):
        assert g(p) == seq(p)
