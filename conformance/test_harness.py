"""Tests of the harness itself: an injected wrong shim result must fail a case and reach both reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import settings
from hypothesis import strategies as st

import shim

from .compare import Tolerance
from .registry import Case
from .report.writer import write_reports
from .runner import run_case
from .strategies import FLOATS, tensors


def _add_case() -> Case:
    def add(xp, a, b):
        return a + b

    return Case(
        name="injected_add",
        fn=add,
        family="harness",
        inputs={"a": tensors(dtypes=FLOATS, shape=st.just((3,))), "b": tensors(dtypes=FLOATS, shape=st.just((3,)))},
        tolerance=Tolerance(),
    )


def test_injected_wrong_result_is_a_mismatch_in_both_reports(monkeypatch, tmp_path):
    real_add = shim.Tensor.__add__

    def wrong_add(self, other):
        result = real_add(self, other)
        result._a = result._a.copy()
        result._a[...] += 1  # off by one everywhere
        return result

    monkeypatch.setattr(shim.Tensor, "__add__", wrong_add)
    result = run_case(_add_case(), [], settings(settings.get_profile("ci"), max_examples=10))
    assert result["status"] == "mismatch"
    kinds = {m["kind"] for m in result["mismatches"]}
    assert kinds & {"ValueMismatch", "SpecialValueMismatch"}

    meta = {"torch": "test", "profile": "ci", "command": "pytest", "complete": True, "missing": []}
    write_reports(tmp_path, meta, [result])
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["summary"]["mismatch"] == 1
    assert data["cases"][0]["mismatches"][0]["kind"] in kinds
    html = (tmp_path / "index.html").read_text()
    assert "injected_add" in html and data["cases"][0]["mismatches"][0]["kind"] in html


def test_a_correct_shim_passes_the_same_case():
    result = run_case(_add_case(), [], settings(settings.get_profile("ci"), max_examples=10))
    assert result["status"] == "pass", result["mismatches"]


@pytest.mark.parametrize("value", [float("nan"), 0.0])
def test_nan_and_signed_zero_are_compared_exactly(value):
    import numpy as np

    from .compare import compare

    def obs(x):
        return {
            "result": {
                "kind": "tensor",
                "dtype": "float32",
                "shape": [1],
                "stride": [1],
                "device": "cpu",
                "requires_grad": False,
                "is_leaf": True,
                "grad_fn": None,
                "version": 0,
                "values": np.array([x], np.float32),
                "repr": "",
                "aliases": {},
            }
        }

    mismatches = compare(obs(value), obs(-value if value == 0.0 else 1.0), Tolerance())
    assert mismatches and type(mismatches[0]).__name__ == "SpecialValueMismatch"


def test_parallel_run_writes_a_complete_report(tmp_path):
    """Under pytest-xdist the controller collects no items itself; it must still know the cases and write
    one report of all of them."""
    cmd = [sys.executable, "-m", "pytest", "conformance/test_conformance.py", "-q", "-n", "2", "-p", "no:cacheprovider"]
    cmd += ["-k", "add_function or sub_function", "--reports-dir", str(tmp_path), "--hypothesis-profile=ci"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CONFORMANCE_MAX_EXAMPLES="3"))
    assert result.returncode == 0, result.stdout[-2000:]
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["run"]["complete"] is True
    assert sorted(c["case"] for c in report["cases"]) == ["add_function", "sub_function"]
    assert (tmp_path / "index.html").exists()
