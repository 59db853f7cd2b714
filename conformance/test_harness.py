"""Tests of the harness itself: an injected wrong shim result must fail a case and reach both reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import find, settings
from hypothesis import strategies as st

import shim

from .compare import Tolerance, compare
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


def test_a_budget_bounds_a_round_of_many_examples(monkeypatch):
    """CONFORMANCE_BUDGET_SECONDS's share: a case whose examples take 20 ms stops at its 0.6 s, though the
    profile asks 1000 examples a round (20 s): a first round of 10 times the examples, a second fits the
    rest.  The runner's clock is one that only the examples advance, so a loaded machine cannot change the
    count (a clean-clone CI run under load once took 2.8 s over the first 10 real sleeps)."""
    import types

    from conformance import runner

    clock = [0.0]
    monkeypatch.setattr(runner, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))

    def slow(xp, a):
        clock[0] += 0.01  # (per backend: 20 ms an example)
        return xp.tensor(a)

    case = Case(
        name="injected_slow", fn=slow, family="harness", inputs={"a": st.integers(0, 10**6)}, tolerance=Tolerance()
    )
    result = run_case(case, [], settings(max_examples=1000, database=None, deadline=None), explore=True, budget=0.6)
    assert result["status"] == "pass" and result["examples"] == 30 and abs(clock[0] - 0.6) < 1e-9


def _obs(values, dtype="float32", **fields) -> dict:
    """An observation of one tensor result, as observe.py records it."""
    values = np.asarray(values, dtype=np.dtype(dtype))
    record = {
        "kind": "tensor",
        "dtype": dtype,
        "shape": list(values.shape),
        "stride": [1] * values.ndim,
        "device": "cpu",
        "requires_grad": False,
        "is_leaf": True,
        "grad_fn": None,
        "version": 0,
        "values": values,
        "repr": f"tensor({values.tolist()})",
        "aliases": {},
    }
    record.update(fields)
    return {"result": record}


_EXACT = Tolerance(exact=True)


def _kinds(expected: dict, actual: dict, tolerance: Tolerance = _EXACT) -> list[str]:
    return [type(m).__name__ for m in compare(expected, actual, tolerance)]


def test_one_ulp_is_a_mismatch_where_the_result_is_exact():
    x = np.float32(1.5)
    assert _kinds(_obs([x, 2.0]), _obs([np.nextafter(x, np.float32(2)), 2.0])) == ["ValueMismatch"]
    assert _kinds(_obs([x, 2.0]), _obs([np.nextafter(x, np.float32(2)), 2.0]), Tolerance()) == []  # within rtol


def test_a_dtype_difference_is_reported_before_values():
    assert _kinds(_obs([1.0], "float32"), _obs([1.0], "float64"))[0] == "DtypeMismatch"


@pytest.mark.parametrize(
    ("torch_values", "shim_values", "kinds"),
    [
        ([0.0], [-0.0], ["SpecialValueMismatch"]),
        ([np.nan, 1.0], [1.0, np.nan], ["SpecialValueMismatch"]),
        ([np.inf], [-np.inf], ["SpecialValueMismatch"]),
        ([np.nan, 5.0], [np.nan, 6.0], ["ValueMismatch"]),  # a NaN in the right place hides nothing
    ],
    ids=["signed zero", "nan moved", "inf sign", "finite error beside a nan"],
)
def test_special_values_are_exact_and_never_hide_finite_errors(torch_values, shim_values, kinds):
    assert _kinds(_obs(torch_values), _obs(shim_values), Tolerance()) == kinds


@pytest.mark.parametrize("shape", [(), (2,)])
def test_complex_values_compare_as_torch_isclose_does(shape):
    """The modulus of the difference against rtol |torch's value|: a small part of a large value may carry
    the value's rounding error (per part it would not pass); the ulp slack applies per part, 0-d included."""
    big = np.full(shape, 16384 + 1j, np.complex64)
    assert _kinds(_obs(big, "complex64"), _obs(big + 0.01j, "complex64"), Tolerance()) == []
    assert _kinds(_obs(big, "complex64"), _obs(big + 0.05, "complex64"), Tolerance()) == ["ValueMismatch"]
    near = big.real + np.nextafter(np.float32(1), np.float32(2)) * 1j
    assert _kinds(_obs(big, "complex64"), _obs(near, "complex64"), Tolerance(exact=True, ulps=1)) == []
    assert _kinds(_obs(big, "complex64"), _obs(-big, "complex64"), Tolerance(ulps=1)) == ["ValueMismatch"]


def test_a_printed_difference_is_a_repr_mismatch():
    assert _kinds(_obs([1.0]), _obs([1.0], repr="tensor([1.0000])")) == ["ReprMismatch"]


def test_an_aliasing_difference_is_reported():
    shares = {"shares_storage_with": ["x"], "base": "x", "is_input": []}
    assert _kinds(_obs([1.0], aliases=shares), _obs([1.0])) == ["AliasingMismatch"]


_SEARCH = settings(database=None, max_examples=5000, derandomize=True, deadline=None)


def test_the_tensor_strategy_reaches_every_corner():
    """0-d, empty and non-contiguous inputs, each found by Hypothesis in the default strategy."""
    spec = tensors()
    find(spec, lambda t: t.values.ndim == 0, settings=_SEARCH)
    find(spec, lambda t: t.values.size == 0 and t.values.ndim > 0, settings=_SEARCH)
    for layout in ("transposed", "sliced", "expanded"):
        find(
            spec,
            lambda t, layout=layout: t.layout == layout and not t.materialize(shim).is_contiguous(),
            settings=_SEARCH,
        )
    offset = find(spec, lambda t: t.layout == "offset" and t.values.size > 0, settings=_SEARCH)
    assert offset.materialize(shim).storage_offset() == 1


def test_parallel_run_writes_a_complete_report(tmp_path):
    """Under pytest-xdist the controller collects no items itself; it must still know the cases and write
    one report of all of them."""
    cmd = [sys.executable, "-m", "pytest", "conformance/test_conformance.py", "-q", "-n", "2", "-p", "no:cacheprovider"]
    cmd += ["-k", "add_forms or sub_forms", "--reports-dir", str(tmp_path), "--hypothesis-profile=ci"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CONFORMANCE_MAX_EXAMPLES="3"))
    assert result.returncode == 0, result.stdout[-2000:]
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["run"]["complete"] is True
    assert sorted(c["case"] for c in report["cases"]) == ["add_forms", "sub_forms"]
    assert (tmp_path / "index.html").exists()


def test_an_interrupted_run_still_writes_a_report_marked_incomplete(tmp_path):
    """-x stops at the first failing case (a mutant makes special_values_unary fail); the report says what is
    missing."""
    cmd = [sys.executable, "-m", "pytest", "conformance/test_conformance.py", "-q", "-x", "-p", "no:cacheprovider"]
    cmd += ["-k", "special_values_unary or sub_forms", "--reports-dir", str(tmp_path), "--hypothesis-profile=ci"]
    env = dict(os.environ, CONFORMANCE_MUTANT="abs_negative_zero", CONFORMANCE_MAX_EXAMPLES="25")
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stdout[-2000:]
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["run"]["complete"] is False and report["run"]["missing"] == ["sub_forms"]
    assert report["run"]["mutant"] == "abs_negative_zero"
    assert 'id="incomplete"' in (tmp_path / "index.html").read_text()


def test_a_grad_case_repro_prints_both_libraries_gradients():
    """The repro of a grad case replays the suite's upstream gradient, so a gradient mismatch reproduces."""
    from .cases.reductions import cumulative
    from .registry import CASES
    from .runner import repro_snippet

    case = CASES[cumulative.__name__]
    drawn = find(
        case.strategy(),
        lambda d: d["x"].requires_grad and d["op_form"] == ("cumprod", "function") and len(d["x"].shape) > 0,
    )
    script = repro_snippet(case, drawn)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout
    printed = [line.split(" ", 2)[:2] for line in out.splitlines()]
    assert ["torch", "grads"] in printed and ["shim", "grads"] in printed, out


def test_a_repro_of_each_family_runs_on_its_own():
    """A repro imports the tables and helpers its case reads from the case's module: the script runs as
    printed, on both libraries, for a case of every family."""
    from .registry import CASES
    from .runner import repro_snippet

    first = {}
    for case in CASES.values():
        first.setdefault(case.family, case)
    scripts = []
    for case in first.values():
        drawn = find(case.strategy(), lambda d: True, settings=_SEARCH)
        scripts.append(f"print('### {case.name}')\n" + repro_snippet(case, drawn))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", "\n".join(scripts)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    for chunk in out.stdout.split("### ")[1:]:
        name, *lines = chunk.splitlines()
        printed = [line.split(" ", 2)[:2] for line in lines]
        assert any(p[0] == "torch" for p in printed) and any(p[0] == "shim" for p in printed), chunk
        assert not any(p[1:] == ["NameError"] for p in printed), chunk


def test_the_tally_counts_floating_elements_and_the_bit_identical_ones():
    """Each float is counted once (a complex number as one element) and is bit-identical only to its exact
    bits: -0 against +0 and a one-ULP difference are not; two NaNs are, whatever their signs."""
    from .observe import describe

    def tally_of(pairs) -> dict:
        tally: dict = {}
        for e, a in pairs:
            compare(
                {"r": describe(shim, shim.tensor(e))}, {"r": describe(shim, shim.tensor(a))}, Tolerance(), tally=tally
            )
        return tally

    tally = tally_of([
        ([1.0, 0.0, float("nan"), 2.0], [1.0, -0.0, -float("nan"), 2.0000002]),
        ([1 + 2j, 3j], [1 + 2j, 3.5j]),
        ([1, 2], [1, 2]),
    ])  # fmt: skip
    assert tally == {"float32": {"elements": 4, "identical": 2}, "complex64": {"elements": 2, "identical": 1}}


def test_a_case_input_named_like_an_option_is_refused():
    """An input named like a case option (`scale`) would be taken as the option and leave the function's
    parameter unbound: every example would raise the same TypeError in both libraries and pass."""
    from hypothesis import strategies as st

    from .registry import CASES, case

    with pytest.raises(ValueError, match="no input strategy for scale"):

        @case(scale=st.just(1.0))
        def option_named_input(xp, scale):
            return scale

    assert "option_named_input" not in CASES
