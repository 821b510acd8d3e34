"""``tropexact convert`` end to end: the issue's acceptance through the command line.

A PyTorch model and its ONNX export must convert to the same exact JSON, and
their region counts must equal those of the hand-written JSON of the same
weights (Example C.2, whose weights are integers, so the hand-written file is
the ground truth).  Unsupported layers exit 2 with a message naming them.
"""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")

from tropexact import cli  # noqa: E402
from tropexact.networks.io import load_network  # noqa: E402

C2 = "data/networks/zhang2018_example_c2.json"
# torch.onnx.export(dynamo=False) warns that the TorchScript exporter is legacy;
# it is the exporter that needs no onnxscript, and the one users still run most.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _c2_model():
    net = load_network(C2)
    l1, l2 = net.layers
    m = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1),
                            torch.nn.ReLU())
    with torch.no_grad():
        m[0].weight.copy_(torch.tensor([[float(w) for w in r] for r in l1.weight]))
        m[0].bias.copy_(torch.tensor([float(b) for b in l1.bias]))
        m[2].weight.copy_(torch.tensor([[float(w) for w in r] for r in l2.weight]))
        m[2].bias.copy_(torch.tensor([float(b) for b in l2.bias]))
    return m.eval()


def _convert(capsys, *argv):
    code = cli.main(["convert", *argv, "--json"])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if code == 0 else None), captured.err


def _regions(capsys, path):
    assert cli.main(["regions", path, "--json", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    return out["activation_regions"], out["linear_regions"], out["verified"]


def test_pytorch_and_onnx_give_the_hand_written_network(tmp_path, capsys):
    m = _c2_model()
    pt, onnx_path = tmp_path / "c2.pt", tmp_path / "c2.onnx"
    torch.save(m, pt)
    torch.onnx.export(m, torch.zeros(1, 2), str(onnx_path), dynamo=False)
    outs = {}
    for src in (pt, onnx_path):
        dst = tmp_path / (src.name + ".json")
        code, rep, err = _convert(capsys, str(src), "-o", str(dst))
        assert code == 0, err
        assert rep["exact"] and rep["architecture"] == [2, 5, 1]
        assert rep["max_deviation"] == "0"  # integer weights: float32 is exact here
        outs[src.suffix] = dst
    a = json.loads(outs[".pt"].read_text())
    b = json.loads(outs[".onnx"].read_text())
    assert a == b
    assert load_network(outs[".pt"]).to_dict() == load_network(C2).to_dict()
    expected = _regions(capsys, C2)
    assert expected[2] is True
    assert _regions(capsys, str(outs[".pt"])) == expected
    assert _regions(capsys, str(outs[".onnx"])) == expected


def test_random_float_model_pytorch_equals_onnx(tmp_path, capsys):
    torch.manual_seed(3)
    m = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.LeakyReLU(0.1),
                            torch.nn.Linear(6, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)).eval()
    pt, onnx_path = tmp_path / "m.pt", tmp_path / "m.onnx"
    torch.save(m, pt)
    torch.onnx.export(m, torch.zeros(1, 3), str(onnx_path), dynamo=False)
    for src in (pt, onnx_path):
        code, rep, err = _convert(capsys, str(src), "-o", str(tmp_path / (src.name + ".json")))
        assert code == 0, err
        assert float(rep["max_deviation_approx"]) < 1e-5
    assert (tmp_path / "m.pt.json").read_text() == (tmp_path / "m.onnx.json").read_text()


@pytest.mark.parametrize("layer, name", [
    (lambda: torch.nn.Conv2d(1, 1, 3), "Conv2d"),
    (lambda: torch.nn.Sigmoid(), "Sigmoid"),
])
def test_unsupported_layer_exits_2_naming_it(tmp_path, capsys, layer, name):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), layer())
    pt = tmp_path / "bad.pt"
    torch.save(m, pt)
    code, _, err = _convert(capsys, str(pt), "-o", str(tmp_path / "bad.json"))
    assert code == 2 and name in err and "Traceback" not in err
    assert not (tmp_path / "bad.json").exists()


def test_sigmoid_in_onnx_exits_2_naming_it(tmp_path, capsys):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid()).eval()
    path = tmp_path / "s.onnx"
    torch.onnx.export(m, torch.zeros(1, 2), str(path), dynamo=False)
    code, _, err = _convert(capsys, str(path), "-o", str(tmp_path / "s.json"))
    assert code == 2 and "Sigmoid" in err


def test_convert_never_overwrites(tmp_path, capsys):
    m = _c2_model()
    pt = tmp_path / "c2.pt"
    torch.save(m, pt)
    before = pt.read_bytes()
    code, _, err = _convert(capsys, str(pt), "-o", str(pt), "--force")
    assert code == 2 and "model file itself" in err and pt.read_bytes() == before
    out = tmp_path / "c2.json"
    out.write_text("keep me")
    code, _, err = _convert(capsys, str(pt), "-o", str(out))
    assert code == 2 and "refusing to overwrite" in err and out.read_text() == "keep me"
    code, _, _ = _convert(capsys, str(pt), "-o", str(out), "--force")
    assert code == 0 and load_network(out).to_dict() == load_network(C2).to_dict()


def test_rounding_is_reported(tmp_path, capsys):
    m = torch.nn.Sequential(torch.nn.Linear(1, 1)).eval()
    with torch.no_grad():
        m[0].weight.fill_(0.1)
        m[0].bias.fill_(0.0)
    pt = tmp_path / "r.pt"
    torch.save(m, pt)
    code, rep, _ = _convert(capsys, str(pt), "-o", str(tmp_path / "exact.json"))
    assert code == 0 and rep["exact"]
    w = json.loads((tmp_path / "exact.json").read_text())["layers"][0]["weight"][0][0]
    assert w == "13421773/134217728"  # float32(0.1) = 13421773 / 2^27 exactly
    code, rep, _ = _convert(capsys, str(pt), "-o", str(tmp_path / "r.json"),
                            "--max-denominator", "100")
    assert code == 0 and not rep["exact"] and rep["max_denominator"] == 100
    assert json.loads((tmp_path / "r.json").read_text())["layers"][0]["weight"][0][0] == "1/10"


def test_convert_human_output(tmp_path, capsys):
    pt = tmp_path / "c2.pt"
    torch.save(_c2_model(), pt)
    assert cli.main(["convert", str(pt), "-o", str(tmp_path / "c2.json")]) == 0
    out = capsys.readouterr().out
    assert "architecture 2-5-1" in out and "exact" in out and "largest deviation" in out
