"""The user's promise: a torch program runs unchanged on the shim.  Each program in examples/ runs under
real torch and under `python -m shim`, and must print the same thing (object addresses normalised)."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def _stdout(*command: str) -> str:
    result = subprocess.run([sys.executable, *command], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return _ADDRESS.sub("0x…", result.stdout)


def test_there_are_examples():
    assert {p.stem for p in EXAMPLES} >= {"notebook", "tensor_tour", "polynomial_autograd", "two_layer_network"}


@pytest.mark.parametrize("program", EXAMPLES, ids=lambda p: p.stem)
def test_example_prints_what_torch_prints(program):
    expected = _stdout(str(program))
    actual = _stdout("-m", "shim", str(program))
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "torch", "shim", lineterm=""))
    assert actual == expected, diff
    assert expected.count("\n") >= 5  # the program did print
