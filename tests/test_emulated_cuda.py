"""The emulated CUDA device against a real one: tests/cuda_probe.py recorded its observations under torch
2.11.0+cu130 on an NVIDIA H200 (tests/data/...json, the only CUDA torch the project could reach); the
shim, emulating CUDA, must observe the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
RECORDED = HERE / "data" / "torch-2.11-cu130-emulated-cuda-probe.json"
# torch's CUDA wrappers name the offending argument and the generated kernel wrapper (mm's mat2, cat's
# tensors); the shim gives the generic device-mismatch message there.
NOT_EMULATED = {"mm", "cat"}


def test_emulated_cuda_observes_what_real_cuda_does(tmp_path):
    out = tmp_path / "shim.json"
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    subprocess.run([sys.executable, str(HERE / "cuda_probe.py"), "shim", str(out)], check=True, env=env)
    expected = dict(json.loads(RECORDED.read_text()))
    actual = dict(json.loads(out.read_text()))
    assert set(actual) == set(expected)
    differ = {k for k in expected if expected[k] != actual[k]}
    assert differ == NOT_EMULATED, {k: (expected[k], actual[k]) for k in differ ^ NOT_EMULATED}
