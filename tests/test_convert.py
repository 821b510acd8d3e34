"""Model importers (tropexact.networks.convert): exactness, one network per model, clear errors.

The properties tested are the point of the feature:
* a float is converted to the binary rational it denotes, never rounded unless asked;
* the same model saved by PyTorch, exported to ONNX or dumped to .npz gives the same
  exact network (including the float32 LeakyReLU slope);
* nothing is dropped silently: an unsupported layer or op is an InputError naming it;
* torch, onnx and numpy are imported lazily.
"""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import pytest

from tropexact.networks.convert import Conversion, convert_file, detect_format, from_arrays, from_npz, \
    from_onnx, from_state_dict, from_torch, parse_activations
from tropexact.networks.convert._check import sample_points
from tropexact.errors import InputError
from tropexact.networks.io import load_network, network_to_dict
from tropexact.exact.numbers import Q, to_fraction
from tropexact.regions import activation_regions, linear_regions

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
np = pytest.importorskip("numpy")
nn = torch.nn
helper = onnx.helper
TP = onnx.TensorProto

ROOT = Path(__file__).resolve().parents[1]
C2 = ROOT / "data" / "networks" / "zhang2018_example_c2.json"


# -- helpers -------------------------------------------------------------------

def export_onnx(model, example, path):
    """The TorchScript exporter (Gemm/Relu graphs, no onnxscript needed)."""
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, str(path), dynamo=False)
    return path


def save_npz(model, path):
    lin = [m for m in model.modules() if type(m) is nn.Linear]
    arrays = {}
    for k, m in enumerate(lin):
        arrays[f"W{k}"] = m.weight.detach().numpy()
        arrays[f"b{k}"] = m.bias.detach().numpy()
    np.savez(path, **arrays)
    return path


def c2_model():
    ref = load_network(C2)
    m = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1), nn.ReLU())
    with torch.no_grad():
        for lin, lay in zip((m[0], m[2]), ref.layers):
            lin.weight.copy_(torch.tensor([[int(w) for w in row] for row in lay.weight],
                                          dtype=torch.float32))
            lin.bias.copy_(torch.tensor([int(b) for b in lay.bias], dtype=torch.float32))
    return m, ref


def numbers(net):
    """Every weight, bias and slope of a network."""
    for lay in net.layers:
        yield from (w for row in lay.weight for w in row)
        yield from lay.bias
        if lay.negative_slope is not None:
            yield lay.negative_slope


def is_power_of_two(n):
    n = int(n)
    return n > 0 and n & (n - 1) == 0


def f32(x):
    return float(np.float32(x))


# -- acceptance: Example C.2 from three sources -----------------------------------

def test_c2_from_torch_onnx_npz_is_the_hand_written_network(tmp_path):
    model, ref = c2_model()
    pt = tmp_path / "c2.pt"
    torch.save(model, pt)
    onx = export_onnx(model, torch.zeros(1, 2), tmp_path / "c2.onnx")
    npz = save_npz(model, tmp_path / "c2.npz")
    convs = {"pt": convert_file(pt), "onnx": convert_file(onx),
             "npz": convert_file(npz, activations="relu,relu")}
    assert [c.source for c in convs.values()] == ["pytorch", "onnx", "npz"]
    ref_json = ref.to_dict()
    C_ref = activation_regions(ref)
    for name, conv in convs.items():
        assert isinstance(conv, Conversion)
        assert network_to_dict(conv.network) == ref_json, name
        assert not conv.rounded and conv.samples == 64
        # integer weights, dyadic inputs k/2^16 of at most 17 bits: every value the
        # float32 model computes is exact, so the deviation is exactly zero
        assert conv.deviation == 0, name
        C = activation_regions(conv.network)
        assert len(C.regions) == len(C_ref.regions)
        assert len(linear_regions(C)) == len(linear_regions(C_ref))


def test_npz_default_activations_are_recorded(tmp_path):
    model, ref = c2_model()
    conv = convert_file(save_npz(model, tmp_path / "c2.npz"))
    # default: relu then identity, which is NOT the C.2 network (its output has a ReLU)
    assert [l.activation for l in conv.network.layers] == ["relu", "identity"]
    assert any("defaulted to relu,identity" in n for n in conv.notes)
    assert [l.weight for l in conv.network.layers] == [l.weight for l in ref.layers]


# -- exactness on a random float32 model ----------------------------------------------

def random_model():
    torch.manual_seed(7)
    return nn.Sequential(nn.Linear(3, 6), nn.LeakyReLU(0.2), nn.Linear(6, 4), nn.ReLU(),
                         nn.Linear(4, 2))


def test_random_float32_model_torch_and_onnx_give_the_same_exact_network(tmp_path):
    model = random_model()
    pt = tmp_path / "m.pt"
    torch.save(model, pt)
    a = convert_file(pt)
    b = convert_file(export_onnx(model, torch.zeros(1, 3), tmp_path / "m.onnx"))
    c = from_torch(model)
    assert network_to_dict(a.network) == network_to_dict(b.network) == network_to_dict(c.network)
    # exact binary values: every denominator is a power of two, and each entry is the float
    for q in numbers(a.network):
        assert is_power_of_two(q.denominator)
    lins = [m for m in model if type(m) is nn.Linear]
    for lin, lay in zip(lins, [l for l in a.network.layers]):
        for row_t, row_q in zip(lin.weight.tolist(), lay.weight):
            assert [Fraction(float(w)) for w in row_t] == [to_fraction(q) for q in row_q]
        assert [Fraction(float(v)) for v in lin.bias.tolist()] == [to_fraction(q) for q in lay.bias]
    # the slope the float32 model uses is float32(0.2), not the double 0.2 and not 1/5
    slope = a.network.layers[0].negative_slope
    assert to_fraction(slope) == Fraction(f32(0.2))
    assert slope != Q(1, 5) and to_fraction(slope) != Fraction(0.2)
    for conv in (a, b, c):
        assert conv.deviation is not None and 0 <= conv.deviation < Q(1, 10**4)
        assert conv.dtype == "float32" and not conv.rounded


def test_float64_model_keeps_the_double_slope():
    model = nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(0.2)).double()
    conv = from_torch(model)
    assert to_fraction(conv.network.layers[0].negative_slope) == Fraction(0.2)
    assert conv.dtype == "float64" and conv.deviation < Q(1, 10**12)


# -- ONNX graphs built by hand ------------------------------------------------------

def make_onnx(nodes, inits, in_shape, out_shape, in_name="X", out_name="Y", elem=TP.FLOAT):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(in_name, elem, in_shape)],
                              [helper.make_tensor_value_info(out_name, elem, out_shape)],
                              initializer=inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def init(name, arr):
    return onnx.numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)


def test_onnx_matmul_add_chain():
    rng = np.random.default_rng(3)
    W1, b1 = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=4).astype(np.float32)
    W2, b2 = rng.normal(size=(4, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32)
    nodes = [helper.make_node("MatMul", ["X", "W1"], ["h1"], name="mm1"),
             helper.make_node("Add", ["h1", "b1"], ["h2"], name="add1"),
             helper.make_node("Relu", ["h2"], ["h3"], name="relu"),
             helper.make_node("MatMul", ["h3", "W2"], ["h4"], name="mm2"),
             helper.make_node("Add", ["b2", "h4"], ["Y"], name="add2")]  # constant first
    m = make_onnx(nodes, [init("W1", W1), init("b1", b1), init("W2", W2), init("b2", b2)],
                  ["N", 3], ["N", 2])
    conv = from_onnx(m)
    net = conv.network
    assert net.widths == (3, 4, 2) and [l.activation for l in net.layers] == ["relu", "identity"]
    # MatMul weights are in × out: the network's weight is the exact transpose
    assert [[to_fraction(q) for q in row] for row in net.layers[0].weight] == \
        [[Fraction(float(v)) for v in col] for col in W1.T]
    assert [to_fraction(q) for q in net.layers[1].bias] == [Fraction(float(v)) for v in b2]
    assert conv.deviation is not None and conv.deviation < Q(1, 10**4)


def test_onnx_gemm_trans_b_0_with_alpha_beta():
    B = np.array([[0.5, -1.25, 3.0], [2.0, 0.75, -0.5]], dtype=np.float32)  # in × out
    C = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    node = helper.make_node("Gemm", ["X", "B", "C"], ["Y"], name="gemm", alpha=0.3, beta=2.5,
                            transB=0)
    conv = from_onnx(make_onnx([node], [init("B", B), init("C", C)], [1, 2], [1, 3]))
    lay = conv.network.layers[0]
    alpha = Fraction(f32(0.3))  # the float32 attribute, exactly
    assert alpha != Fraction(3, 10)
    assert [[to_fraction(q) for q in row] for row in lay.weight] == \
        [[alpha * Fraction(float(B[j, i])) for j in range(2)] for i in range(3)]
    assert [to_fraction(q) for q in lay.bias] == [Fraction(5, 2) * Fraction(float(c)) for c in C]
    assert lay.activation == "identity"
    assert conv.deviation < Q(1, 10**5)


def test_onnx_flatten_first_uses_the_graph_input_shape(tmp_path):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Flatten(), nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 1))
    conv = from_onnx(export_onnx(model, torch.zeros(1, 2, 3), tmp_path / "f.onnx"))
    assert conv.network.input_dim == 6 and conv.samples == 64
    assert conv.deviation < Q(1, 10**4)
    assert network_to_dict(conv.network) == network_to_dict(from_torch(model).network)
    with pytest.raises(InputError, match="input_dim=5"):
        from_onnx(tmp_path / "f.onnx", input_dim=5)


def test_onnx_symbolic_feature_dim_needs_or_infers_input_dim():
    W = np.eye(2, dtype=np.float32)
    node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="mm")
    m = make_onnx([node], [init("W", W)], ["N", "F"], ["N", 2])
    conv = from_onnx(m)
    assert conv.network.input_dim == 2 and any("symbolic" in n for n in conv.notes)
    assert from_onnx(m, input_dim=2).deviation == 0


def test_onnx_leaky_relu_default_alpha_is_float32():
    node1 = helper.make_node("Gemm", ["X", "W"], ["h"], name="g", transB=1)
    node2 = helper.make_node("LeakyRelu", ["h"], ["Y"], name="lr")
    conv = from_onnx(make_onnx([node1, node2], [init("W", [[1.0, 2.0]])], [1, 2], [1, 1]))
    assert to_fraction(conv.network.layers[0].negative_slope) == Fraction(f32(0.01))


# -- rounding -----------------------------------------------------------------------

def test_max_denominator_is_the_only_rounding():
    lin = nn.Linear(1, 1)
    with torch.no_grad():
        lin.weight.fill_(0.1)
        lin.bias.fill_(0.0)
    exact = from_torch(nn.Sequential(lin))
    w = exact.network.layers[0].weight[0][0]
    assert to_fraction(w) == Fraction(f32(0.1)) and w != Q(1, 10) and not exact.rounded
    rounded = from_torch(nn.Sequential(lin), max_denominator=1000)
    assert rounded.network.layers[0].weight[0][0] == Q(1, 10)
    assert rounded.rounded and rounded.max_denominator == 1000
    assert rounded.deviation > 0  # the rounding shows in the comparison
    # a max_denominator that changes nothing leaves the network exact
    model, ref = c2_model()
    same = from_torch(model, max_denominator=10)
    assert not same.rounded and network_to_dict(same.network) == ref.to_dict()


# -- unsupported layers and bad weights ------------------------------------------------

def test_unsupported_torch_layers_are_named_in_memory():
    with pytest.raises(InputError, match=r"unsupported layer Conv2d at model\[0\]"):
        from_torch(nn.Sequential(nn.Conv2d(1, 1, 1), nn.ReLU()))
    with pytest.raises(InputError, match=r"unsupported layer Sigmoid at model\[1\]\[1\]"):
        from_torch(nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Sigmoid())))

    class Net(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(InputError, match="unsupported model type Net"):
        from_torch(Net())


@pytest.mark.parametrize("layer, name", [(nn.Upsample(scale_factor=2), "Upsample"),
                                         (nn.Sigmoid(), "Sigmoid")])
def test_unsupported_torch_layers_are_named_in_saved_files(tmp_path, layer, name):
    path = tmp_path / "bad.pt"
    torch.save(nn.Sequential(nn.Linear(1, 1), layer), path)
    with pytest.raises(InputError, match=rf"unsupported layer {name} \(torch\.nn\.modules\."):
        convert_file(path)


def test_unsupported_onnx_op_is_named(tmp_path):
    path = export_onnx(nn.Sequential(nn.Linear(2, 2), nn.Sigmoid()), torch.zeros(1, 2),
                       tmp_path / "s.onnx")
    with pytest.raises(InputError, match=r"unsupported ONNX op 'Sigmoid' at node '/1/Sigmoid' \(#1, Sigmoid\)"):
        convert_file(path)


def test_onnx_side_branch_is_not_dropped():
    nodes = [helper.make_node("Relu", ["X"], ["Y"], name="r"),
             helper.make_node("Shape", ["X"], ["s"], name="shape")]
    with pytest.raises(InputError, match="branches at tensor 'X'"):
        from_onnx(make_onnx(nodes, [], [1, 2], [1, 2]))


@pytest.mark.parametrize("nodes, message", [
    ([helper.make_node("Gemm", ["X", "W"], ["Y"], name="g", transA=1)], "transA=1"),
    ([helper.make_node("MatMul", ["W", "X"], ["Y"], name="mm")], "first input"),
    ([helper.make_node("Relu", ["X"], ["Y"], name="r"),
      helper.make_node("Relu", ["W"], ["Z"], name="dead")], r"node 'dead' \(Relu\) is not on"),
    ([helper.make_node("Flatten", ["X"], ["Y"], name="f", axis=0)], r"Flatten\(axis=0\)"),
    ([helper.make_node("Sigmoid", ["X"], ["Y"])], "unsupported ONNX op 'Sigmoid' "
                                                   r"\(node producing 'Y'\)"),
])
def test_unsupported_onnx_graphs(nodes, message):
    with pytest.raises(InputError, match=message):
        from_onnx(make_onnx(nodes, [init("W", [[1.0, 2.0], [3.0, 4.0]])], [2, 2], [2, 2]))


def test_nan_and_inf_weights_are_named(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    with torch.no_grad():
        model[0].weight[1, 0] = float("nan")
    with pytest.raises(InputError, match=r"model\[0\]\.weight\[1\]\[0\]: nan is not a finite"):
        from_torch(model)
    np.savez(tmp_path / "inf.npz", W0=np.ones((2, 2)), b0=np.array([0.0, np.inf]))
    with pytest.raises(InputError, match=r"inf\.npz: b0\[1\]: inf is not a finite"):
        convert_file(tmp_path / "inf.npz")


# -- structure: how torch modules map onto layers ---------------------------------------

def test_activation_placement_rules():
    torch.manual_seed(2)
    model = nn.Sequential(nn.ReLU(), nn.Linear(2, 3), nn.LeakyReLU(0.25), nn.ReLU(), nn.ReLU(),
                          nn.Identity(), nn.Dropout(0.5), nn.Linear(3, 3), nn.Linear(3, 1))
    model.train()
    conv = from_torch(model)
    acts = [l.activation for l in conv.network.layers]
    # ReLU first -> identity-weight layer; LeakyReLU closes Linear; ReLU after LeakyReLU ->
    # identity-weight layer; ReLU after ReLU merged; Linear, Linear -> identity in between
    assert acts == ["relu", "leaky_relu", "relu", "identity", "identity"]
    eye = tuple(tuple(Q(int(i == j)) for j in range(2)) for i in range(2))
    assert conv.network.layers[0].weight == eye
    assert any("Dropout" in n for n in conv.notes) and any("merged" in n for n in conv.notes)
    assert conv.deviation < Q(1, 10**5)
    assert model.training  # the model's mode is restored after the comparison


@pytest.mark.parametrize("model, message", [
    (nn.Sequential(), "empty"),
    (nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), r"model\[1\] \(Linear\): takes 4 inputs"),
    (nn.Sequential(nn.Flatten(0), nn.Linear(2, 1)), r"Flatten\(start_dim=0"),
    (nn.Sequential(nn.ReLU()), "pass input_dim"),
    (nn.Sequential(nn.Linear(2, 1), nn.LeakyReLU(-0.5)), "negative_slope"),
])
def test_bad_torch_models(model, message):
    with pytest.raises(InputError, match=message):
        from_torch(model)


def test_input_dim_checked_and_used():
    with pytest.raises(InputError, match="input_dim=3"):
        from_torch(nn.Sequential(nn.Linear(2, 1)), input_dim=3)
    conv = from_torch(nn.Sequential(nn.ReLU()), input_dim=2)
    assert conv.network.widths == (2, 2) and conv.deviation == 0


# -- state_dict ----------------------------------------------------------------------

def test_state_dict_with_and_without_activations(tmp_path):
    model = random_model()
    path = tmp_path / "sd.pt"
    torch.save(model.state_dict(), path)
    with pytest.raises(InputError, match="pass one per linear layer"):
        convert_file(path)
    slope = Fraction(f32(0.2))
    acts = ["leaky_relu:" + f"{slope.numerator}/{slope.denominator}", "relu", "identity"]
    conv = convert_file(path, activations=acts)
    assert conv.source == "pytorch-state-dict"
    assert network_to_dict(conv.network) == network_to_dict(from_torch(model).network)
    assert conv.deviation < Q(1, 10**4)
    with pytest.raises(InputError, match="2 given for 3 linear layers"):
        from_state_dict(model.state_dict(), "relu,relu")


def test_state_dict_missing_bias_is_zero():
    model = nn.Sequential(nn.Linear(2, 2, bias=False), nn.ReLU(), nn.Linear(2, 1))
    conv = from_state_dict(model.state_dict(), "relu,identity")
    assert conv.network.layers[0].bias == (Q(0), Q(0))
    assert any("'0.bias'" in n for n in conv.notes)
    with pytest.raises(InputError, match="unexpected state_dict key 'bn.running_mean'"):
        from_state_dict({"bn.running_mean": torch.zeros(2)}, "relu")


def test_parse_activations():
    assert parse_activations(["relu", "leaky_relu:1/100", "identity"], 3) == \
        [("relu", None), ("leaky_relu", Q(1, 100)), ("identity", None)]
    for bad, msg in [("relu,sigmoid", "unknown activation"), ("leaky_relu,relu", "slope"),
                     ("leaky_relu:2,relu", "0 < a < 1")]:
        with pytest.raises(InputError, match=msg):
            parse_activations(bad, 2)


# -- npz --------------------------------------------------------------------------------

@pytest.mark.parametrize("arrays, message", [
    ({"W0": np.ones((2, 2)), "b0": np.ones(2), "W1": np.ones((1, 2))}, "missing b1"),
    ({"W0": np.ones((2, 2)), "b0": np.ones(3)}, r"b0: has shape \(3,\), expected \(2,\)"),
    ({"W0": np.ones((2, 2)), "b0": np.ones(2), "W1": np.ones((1, 3)), "b1": np.ones(1)},
     r"W1: has shape \(1, 3\): 3 columns, but W0"),
    ({"W0": np.ones(2), "b0": np.ones(2)}, r"W0: has shape \(2,\), expected 2-D"),
    ({"W0": np.ones((1, 1)), "b0": np.ones(1), "extra": np.ones(1)}, "unexpected array 'extra'"),
    ({"W0": np.ones((1, 1)), "b0": np.ones(1), "W2": np.ones((1, 1)), "b2": np.ones(1)},
     "missing W1"),
    ({"W0": np.array([["a"]]), "b0": np.ones(1)}, "not numeric"),
])
def test_bad_npz(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(InputError, match=message):
        from_npz(path)


def test_from_arrays_exact_input_has_no_float_model():
    conv = from_arrays([([["1/3", 1]], ["0.1"])], ["identity"])
    assert conv.network.layers[0].weight[0][0] == Q(1, 3)
    assert conv.network.layers[0].bias[0] == Q(1, 10)
    assert conv.deviation is None and conv.samples == 0 and conv.notes
    with pytest.raises(InputError, match=r"layers\[0\]\.weight\[1\]: row has 1 entries"):
        from_arrays([([[1, 2], [3]], [0, 0])])


# -- files -----------------------------------------------------------------------------

def test_bad_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        convert_file(tmp_path / "missing.pt")
    for name, data in [("t.pt", b"hello, not a model\n"), ("t.onnx", b"\x00\xff garbage"),
                       ("t.npz", b"not a zip"), ("t.pt2", b"")]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError) as info:
            convert_file(tmp_path / name)
        assert name in str(info.value)
    np.save(tmp_path / "one.npy", np.ones(2))
    (tmp_path / "one.npy").rename(tmp_path / "one.npz")
    with pytest.raises(InputError, match=r"single array \(\.npy\)"):
        convert_file(tmp_path / "one.npz")
    torch.save([1, 2], tmp_path / "list.pt")
    with pytest.raises(InputError, match="holds a list"):
        convert_file(tmp_path / "list.pt")
    model, _ = c2_model()
    torch.save(model, tmp_path / "full.pt")
    with pytest.raises(InputError, match="activations are given"):
        convert_file(tmp_path / "full.pt", activations="relu,relu")
    export_onnx(model, torch.zeros(1, 2), tmp_path / "m.onnx")
    with pytest.raises(InputError, match="an ONNX model has its own"):
        convert_file(tmp_path / "m.onnx", activations="relu,relu")


def test_format_detected_from_content(tmp_path):
    model, ref = c2_model()
    torch.save(model, tmp_path / "model.bin")
    save_npz(model, tmp_path / "w.npz")
    (tmp_path / "w.npz").rename(tmp_path / "weights.dat")
    assert detect_format(tmp_path / "model.bin") == "torch"
    assert detect_format(tmp_path / "weights.dat") == "npz"
    assert network_to_dict(convert_file(tmp_path / "model.bin").network) == ref.to_dict()


def test_integer_forward_pass_equals_the_network():
    import random
    from tropexact.networks.convert._check import _IntegerForward
    from tropexact.networks.model import network
    rng = random.Random(5)

    def q():
        return Fraction(rng.randint(-50, 50), rng.choice([1, 2, 3, 7, 64]))

    for _ in range(20):
        widths = [rng.randint(1, 4) for _ in range(4)]
        layers = []
        for k in range(3):
            act = rng.choice(["relu", "identity", "leaky_relu"])
            spec = {"weight": [[q() for _ in range(widths[k])] for _ in range(widths[k + 1])],
                    "bias": [q() for _ in range(widths[k + 1])], "activation": act}
            if act == "relu":
                spec["threshold"] = q()
            if act == "leaky_relu":
                spec["negative_slope"] = Fraction(rng.randint(1, 9), 10)
            layers.append(spec)
        net = network(widths[0], layers)
        f = _IntegerForward(net)
        for p in sample_points(widths[0], 5, seed=rng.randint(0, 99), bits=6):
            assert f(p) == net(p)


def test_sample_points_are_dyadic_and_in_the_cube():
    pts = sample_points(3, 50, seed=4, bits=10)
    assert pts == sample_points(3, 50, seed=4, bits=10)
    assert all(-1 <= v <= 1 and is_power_of_two(v.denominator) and v.denominator <= 1024
               for p in pts for v in p)


# -- lazy imports ---------------------------------------------------------------------

def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_import_does_not_load_torch_onnx_numpy():
    r = run_python("import sys, tropexact.networks.convert\n"
                   "print(sorted(m for m in ('torch', 'onnx', 'numpy') if m in sys.modules))")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_missing_torch_gives_the_install_hint(tmp_path):
    path = tmp_path / "m.pt"
    path.write_bytes(b"\x80\x02")
    r = run_python("import sys\nsys.modules['torch'] = None\nsys.modules['onnx'] = None\n"
                   "from tropexact.networks.convert import convert_file, from_onnx\n"
                   "from tropexact.errors import InputError\n"
                   "for f, a in ((convert_file, %r), (from_onnx, b'')):\n"
                   "    try:\n        f(a)\n    except InputError as e:\n        print(e)\n"
                   % str(path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["PyTorch is not installed: pip install 'tropexact[torch]'",
                                     "onnx is not installed: pip install 'tropexact[onnx]'"]


@pytest.mark.slow
def test_larger_random_models_torch_equals_onnx(tmp_path):
    for seed in range(5):
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32),
                              nn.LeakyReLU(0.1), nn.Linear(32, 4))
        a = from_torch(model, samples=200, seed=seed)
        b = from_onnx(export_onnx(model, torch.zeros(1, 8), tmp_path / f"m{seed}.onnx"),
                      samples=200, seed=seed)
        assert network_to_dict(a.network) == network_to_dict(b.network)
        assert max(a.deviation, b.deviation) < Q(1, 10**4)
        assert not math.isnan(float(a.deviation))
