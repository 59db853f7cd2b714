"""The emulated CUDA device against a real one: tests/cuda_probe.py recorded its observations under torch
2.11.0+cu130 on an NVIDIA H100 (tests/data/torch-2.11-cu130-cuda-probe.json; the only CUDA torch the project
can reach), and saved tests/data/torch-cuda-save.pt there; the shim, emulating CUDA, must observe the same,
and loads that file (torch loaded the shim's tests/data/shim-cuda-save.pt in the same run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
RECORDED = HERE / "data" / "torch-2.11-cu130-cuda-probe.json"
# The probe's `with_device` step enters `torch.device("cuda")` and never leaves, so from there on factories
# place tensors on the GPU in both libraries (torch keeps that context past `set_default_device(None)`).
PHILOX = "torch's CUDA generator is Philox4x32-10; the emulated device draws from the CPU's Mersenne Twister"
NOT_EMULATED = {
    "randn": PHILOX,
    "rand": PHILOX,
    "randperm": PHILOX,
    "linear_mix": PHILOX + " (nn.Linear's initialisation, made on the GPU inside the open `with`)",
    "linear_mix_w": PHILOX + " (nn.Linear's initialisation, made on the GPU inside the open `with`)",
    "load_other": "each side loads the other's file: torch's `cpu` entry was made inside the open `with`, on the GPU",
}


def test_emulated_cuda_observes_what_real_cuda_does(tmp_path):
    out = tmp_path / "shim.json"
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    subprocess.run([sys.executable, str(HERE / "cuda_probe.py"), "shim", str(out)], check=True, env=env)
    expected = dict(json.loads(RECORDED.read_text()))
    actual = dict(json.loads(out.read_text()))
    assert set(actual) == set(expected)
    differ = {k for k in expected if expected[k] != actual[k]}
    assert differ == set(NOT_EMULATED), {k: (expected[k], actual[k]) for k in differ ^ set(NOT_EMULATED)}


def test_default_device_contexts_behave_as_torchs():
    """torch's DeviceContext bookkeeping (checked against torch 2.13 with 'meta' as the other device): leaving
    a context restores the one it replaced, whichever is in force; set_default_device leaves its own."""
    code = """
import shim as torch
def dev():
    return torch.ones(1).device.type
seen = []
torch.device('cuda').__enter__(); torch.set_default_device(None); seen.append(dev())       # left open: cuda
import shim._devices as d; d._active[0] = d._global[0] = None; d._entered.clear()
c = torch.device('cuda'); c.__enter__(); torch.set_default_device('cpu'); seen.append(dev())  # cpu
c.__exit__(None, None, None); seen.append(dev())                                            # cpu
torch.set_default_device(None); seen.append(dev())                                          # cuda (c's again)
d._active[0] = d._global[0] = None
torch.set_default_device('cuda')
with torch.device('cpu'):
    seen.append(dev())                                                                      # cpu
seen.append(dev())                                                                          # cuda
torch.set_default_device(None)
with torch.device('cuda'):
    with torch.device('cpu'):
        seen.append(dev())                                                                  # cpu
    seen.append(dev())                                                                      # cuda
    torch.set_default_device(None)
    seen.append(dev())                                                                      # cuda
seen.append(dev())                                                                          # cpu
print(' '.join(seen))
"""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent), SHIM_EMULATE_CUDA="1")
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True).stdout
    assert out.split() == "cuda cpu cpu cuda cpu cuda cpu cuda cuda cpu".split()


def test_pinned_memory_with_the_emulated_accelerator():
    """With an accelerator, `pin_memory=True` pins factories' results, and a DataLoader pins every tensor of
    its batches, through the batch's containers (torch's CPU build refuses the one and warns for the other,
    which the conformance cases pinned_factories and dataloader_batches compare)."""
    code = """
import collections, warnings
import shim as torch
from shim.utils.data import DataLoader
Pair = collections.namedtuple('Pair', 'x y')
made = [torch.ones(2, pin_memory=True), torch.randn(2, pin_memory=True), torch.tensor([1], pin_memory=True),
        torch.zeros_like(torch.ones(1), pin_memory=True), torch.ones(2, pin_memory=False)]
print(' '.join(str(t.is_pinned()) for t in made))
samples = [{'a': torch.tensor([float(i)]), 'b': Pair(torch.tensor(i), 'k')} for i in range(4)]
with warnings.catch_warnings():
    warnings.simplefilter('error')
    batch = next(iter(DataLoader(samples, batch_size=2, pin_memory=True)))
print(batch['a'].is_pinned(), type(batch['b']).__name__, batch['b'].x.is_pinned(), batch['b'].y)
"""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent), SHIM_EMULATE_CUDA="1")
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True).stdout
    assert out.splitlines() == ["True True True True False", "True Pair True ('k', 'k')"]
