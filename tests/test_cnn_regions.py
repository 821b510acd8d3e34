"""Imported convolutional and residual models: their regions on a slice, two ways.

Issue 14's acceptance: a small model of each kind, built in PyTorch and converted
exactly (torch.fx; the same file as the ONNX path is tested in
test_convert_graph.py), restricted to a plane through three seeded points, has the
same linear regions and affine maps on a box of the plane as its plain ReLU
rewrite (``graph_as_relu``: max-pooling as relu trees, skip connections carried
through the layers), which the hyperplane walk enumerates: a second network and a
second algorithm for the same function.
"""

from __future__ import annotations

import random

import pytest

from tropexact.exact.numbers import Q
from tropexact.networks.domain import Domain
from tropexact.networks.rewrite import graph_as_relu
from tropexact.networks.slicing import make_plane, restrict
from tropexact.regions import activation_regions, affine_map_count, linear_regions

torch = pytest.importorskip("torch")
nn = torch.nn


class Residual(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 3, padding=1)
        self.bn = nn.BatchNorm2d(1)
        self.head = nn.Linear(16, 2)

    def forward(self, x):
        return self.head(torch.flatten(torch.relu(self.bn(self.conv(x))) + x, 1))


def models():
    torch.manual_seed(3)
    cnn = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(2, 1))
    pooled = nn.Sequential(nn.Conv2d(1, 2, 2, stride=2), nn.ReLU(), nn.AvgPool2d(2),
                           nn.Flatten(), nn.Linear(2, 1))
    res = Residual()
    with torch.no_grad():
        res.bn.running_mean.fill_(0.1)
        res.bn.running_var.fill_(1.5)
    return {"conv-relu-maxpool": cnn, "conv-relu-avgpool": pooled, "residual+batchnorm": res}


@pytest.mark.parametrize("name", list(models()))
def test_slice_regions_agree_with_the_relu_rewrite(name):
    from tropexact.networks.convert import from_torch_graph
    g = from_torch_graph(models()[name].eval(), input_shape=(1, 4, 4), samples=4).graph
    rnd = random.Random(name)
    A, B, C = (tuple(Q(rnd.randint(-9, 9), 4) for _ in range(16)) for _ in range(3))
    plane = make_plane(A, tuple(b - a for a, b in zip(A, B)), tuple(c - a for a, c in zip(A, C)),
                       16)
    gs = restrict(g, plane)
    box = Domain.box([-2, -2], [3, 3])
    C1 = activation_regions(gs, box)
    C2 = activation_regions(graph_as_relu(gs), box)
    assert len(C1) > 1  # the plane crosses the model's hyperplanes
    assert len(linear_regions(C1)) == len(linear_regions(C2))
    assert affine_map_count(C1) == affine_map_count(C2)
    for r in C1.regions:  # the region's map is the model's, exactly
        assert gs(r.point) == tuple(sum((w * v for w, v in zip(row, r.point)), Q(0)) + b
                                    for row, b in zip(r.weight, r.bias))
