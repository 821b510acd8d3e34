"""Benchmark: converting convolutional and residual networks to exact computation graphs.

Two seeded random models (no dataset needed), each converted twice, through
torch.fx (``from_torch_graph``) and through its ONNX export (``from_onnx_graph``,
onnxruntime as the reference):

* ``lenet``: LeNet-style on 1×28×28, conv(6, 5×5) – ReLU – maxpool 2 – conv(16, 5×5) –
  ReLU – maxpool 2 – linear(256 → 10);
* ``resnet``: a small residual network on 1×8×8, conv(4, 3×3) – BN – ReLU, two
  residual blocks (conv – BN – ReLU – conv – BN, + skip, ReLU), a stride-2 conv(8),
  global average pooling, linear(8 → 10).

Printed per model and path: the graph file's size, nodes, nonzero weights, the
conversion seconds (the forward-pass comparison included) and the largest
deviation from the model at the sample points; whether the two paths gave the
same file.  ``--save DIR`` writes the graph files smaller than 5 MB.

Usage: python bench/import_cnn.py [--samples N] [--save bench/data]
"""

from __future__ import annotations

import argparse
import io
import os
import time
import warnings

import torch
from torch import nn

from tropexact.networks.convert import from_onnx_graph, from_torch_graph, graph_text


def lenet() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(256, 10))


class Block(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.c2, self.b2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(self.b2(self.c2(torch.relu(self.b1(self.c1(x))))) + x)


class ResNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.blocks = nn.Sequential(Block(4), Block(4))
        self.down = nn.Conv2d(4, 8, 3, stride=2, padding=1)
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        x = self.down(self.blocks(self.stem(x)))
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(torch.relu(x), 1), 1))


def _randomise_bn(model: nn.Module) -> None:
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)


def _onnx(model: nn.Module, shape: tuple) -> bytes:
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, *shape),), f, dynamo=False,
                          do_constant_folding=False)
    return f.getvalue()


def run(name: str, model: nn.Module, shape: tuple, samples: int, save: str | None) -> None:
    model.eval()
    texts = {}
    for path in ("torch.fx", "onnx"):
        t0 = time.perf_counter()
        if path == "torch.fx":
            conv = from_torch_graph(model, input_shape=shape, samples=samples)
        else:
            conv = from_onnx_graph(_onnx(model, shape), samples=samples)
        secs = time.perf_counter() - t0
        g = conv.graph
        text = texts[path] = graph_text(g)
        nnz = sum(len(r) for n in g.nodes for r in n.rows)
        bn = [n for n in conv.notes if "batch norm" in n]
        print(f"{name:7} {path:8} {len(text) / 1e6:7.2f} MB  {len(g.nodes):3} nodes  "
              f"{nnz:7} weights  {secs:6.2f} s  deviation {float(conv.deviation):.2e} "
              f"({conv.samples} points)" + (f"  [{len(bn)} batch norms folded]" if bn else ""))
    print(f"{name:7} same file from both paths: {texts['torch.fx'] == texts['onnx']}")
    if save and len(texts["onnx"]) < 5_000_000:
        out = os.path.join(save, f"{name}.graph.json")
        with open(out, "w") as f:
            f.write(texts["onnx"])
        print(f"{name:7} saved {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--save", default=None, metavar="DIR")
    args = ap.parse_args()
    torch.manual_seed(0)
    run("lenet", lenet(), (1, 28, 28), args.samples, args.save)
    torch.manual_seed(0)
    res = ResNet()
    _randomise_bn(res)
    run("resnet", res, (1, 8, 8), args.samples, args.save)


if __name__ == "__main__":
    main()
