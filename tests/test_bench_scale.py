"""The scale benchmark's pieces (bench/scale.py, bench/classifier.py, bench/verify.py's runner).

The committed trained classifier is the network the benchmark times: exact, 2-16-16-2,
ReLU, ReLU, identity, and its 481 activation regions.  The runner kills a case at its
timeout.  scale.py prints a row end to end (the 23 regions of Example C.2).  The slow
case retrains the classifier and checks that the committed file is what the script makes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tropexact.networks.io import load_network
from tropexact.regions import activation_regions

ROOT = Path(__file__).resolve().parents[1]
MOONS = ROOT / "bench" / "data" / "moons_2_16_16_2.json"
sys.path.insert(0, str(ROOT / "bench"))

from verify import run  # noqa: E402
from reference_regions import reference_regions  # noqa: E402


def test_committed_classifier():
    net = load_network(MOONS)
    assert list(net.widths) == [2, 16, 16, 2]
    assert [layer.activation.value for layer in net.layers] == ["relu", "relu", "identity"]
    # the count against the independent LP enumeration of tests/reference_regions.py
    assert len(activation_regions(net).regions) == len(reference_regions(net)) == 481


def test_runner_timeout(tmp_path):
    r = run(ROOT, ("regions", str(MOONS), "--json", "--quiet"), timeout=0.3)
    assert r.timed_out and r.code == -9


def test_scale_prints_a_row():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--only", "example-c2",
                          "--tree", str(ROOT), "--timeout", "60"],
                         capture_output=True, text=True, check=True).stdout
    row = next(line for line in out.splitlines() if line.startswith("example-c2"))
    assert row.split()[3] == "23"


@pytest.mark.slow
def test_classifier_reproducible(tmp_path):
    pytest.importorskip("torch")
    out = tmp_path / "moons.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "classifier.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == MOONS.read_bytes()
