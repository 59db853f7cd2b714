"""The report as data and as a page: strict JSON valid against its schema, escaping, incompleteness, the
trend over archived runs, stale manifest entries, the coverage matrix, large values cut on the page only."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import settings

from .manifest import Divergence, load_manifest
from .mutants import MUTANTS
from .registry import load_cases
from .report.render import PAGE_LIMIT, brief
from .report.writer import write_reports
from .runner import run_case

SCHEMA = json.loads((Path(__file__).parent / "report" / "results.schema.json").read_text())
META = {
    "torch": "2.13.0",
    "shim": "2.13.0",
    "numpy": "2",
    "hypothesis": "6",
    "python": "3.11",
    "profile": "ci",
    "seed": "fixed per case",
    "date": "2026-01-01T00:00:00+00:00",
    "duration_seconds": 1.0,
    "command": "pytest",
    "complete": True,
    "missing": [],
    "crashed": [],
}


def _reject_constant(name):
    raise ValueError(f"non-standard JSON constant {name}")


@pytest.fixture(scope="module")
def sqrt_mismatch(tmp_path_factory) -> dict:
    """A real mismatch with NaNs in torch's observation: sqrt of negatives, under the sqrt mutant."""
    mp = pytest.MonkeyPatch()
    next(m for m in MUTANTS if m.name == "sqrt_negative_zero").apply(mp.setattr)
    try:
        return run_case(load_cases()["special_values_unary"], load_manifest(), settings.get_profile("ci"))
    finally:
        mp.undo()


def test_results_json_is_strict_and_valid(sqrt_mismatch, tmp_path):
    data = write_reports(tmp_path, META, [sqrt_mismatch])
    text = (tmp_path / "results.json").read_text()
    assert json.loads(text, parse_constant=_reject_constant) == data  # NaN and inf are strings
    jsonschema.validate(data, SCHEMA)
    assert '"nan"' in text
    html = (tmp_path / "index.html").read_text()
    assert 'class="mismatch-row"' in html and "special_values_unary" in html


def test_observed_text_is_escaped(tmp_path):
    hostile = "<script>alert('x')</script>"
    result = {
        "case": "hostile",
        "family": "harness",
        "covers": ["add"],
        "status": "mismatch",
        "examples": 1,
        "seconds": 0.1,
        "unsupported_count": 0,
        "unsupported": [],
        "known": [],
        "dtypes": {},
        "mismatches": [
            {
                "kind": "ReprMismatch",
                "stage": "repr",
                "where": "['result']",
                "detail": hostile,
                "dtype": "float32",
                "inputs": {"x": {"kind": "python", "repr": hostile}},
                "torch": {"result": {"repr": hostile}},
                "shim": {"result": {"repr": "tensor(1.)"}},
                "others": [],
                "repro": hostile,
            }
        ],
    }
    write_reports(tmp_path, META, [result], manifest=[], registry={"hostile": ["add"]})
    html = (tmp_path / "index.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html


def _passing(name: str = "injected_add") -> dict:
    return {
        "case": name,
        "family": "harness",
        "covers": ["add"],
        "status": "pass",
        "examples": 4,
        "seconds": 0.5,
        "unsupported_count": 0,
        "unsupported": [],
        "known": [],
        "mismatches": [],
        "dtypes": {"float32": {"examples": 4, "unsupported": 0, "known": 0}},
    }


def test_an_interrupted_run_is_marked_incomplete(tmp_path):
    meta = dict(META, complete=False, missing=["sub_forms"], crashed=["mul_forms"])
    write_reports(tmp_path, meta, [_passing()], manifest=[], registry={"injected_add": ["add"]})
    html = (tmp_path / "index.html").read_text()
    assert 'id="incomplete"' in html and "sub_forms" in html and "mul_forms" in html


def test_runs_are_archived_and_drawn_as_a_trend(tmp_path):
    for date in ("2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"):
        data = write_reports(tmp_path, dict(META, date=date), [_passing()], manifest=[], registry={})
    assert len(list((tmp_path / "runs").glob("*.json"))) == 2
    assert [h["date"][:10] for h in data["history"]] == ["2026-01-01", "2026-01-02"]
    assert "<polyline" in (tmp_path / "index.html").read_text()


def test_stale_manifest_entries_are_listed(tmp_path):
    manifest = [Divergence("injected_add", "once differed", kind="DtypeMismatch"), Divergence("never_ran", "n/a")]
    data = write_reports(tmp_path, META, [_passing()], manifest=manifest, registry={})
    assert [s["case"] for s in data["stale_manifest"]] == ["injected_add"]  # a case that did not run is not judged
    assert 'id="stale"' in (tmp_path / "index.html").read_text()


def test_the_matrix_shows_api_by_dtype_and_the_uncovered(tmp_path):
    registry = {"injected_add": ["add", "Tensor.add"], "idle_case": ["mul"]}
    data = write_reports(tmp_path, META, [_passing()], manifest=[], registry=registry)
    rows = {r["api"]: r for r in data["matrix"]}
    assert rows["add"]["state"] == "covered" and rows["add"]["cells"]["float32"] == "pass"
    assert rows["add"]["cells"]["int64"] is None
    assert rows["mul"]["state"] == "not run" and rows["sub"]["state"] == "not covered"
    html = (tmp_path / "index.html").read_text()
    assert 'class="matrix"' in html and "not covered" in html


def test_large_values_are_cut_on_the_page_only():
    long = list(range(5000))
    text = brief(long)
    assert len(text) < PAGE_LIMIT + 100 and "more characters in results.json" in text
    assert brief([1, 2]) == json.dumps([1, 2], indent=1)


def test_the_report_shows_bit_identical_shares(tmp_path):
    """A case compared by bits, and one to torch's tolerance: each row names its rule and its shares, the
    summary totals them per rule and dtype, and a share reads 100% only when every element was identical."""
    from .report.render import percent_identical

    cases, ci = load_cases(), settings(settings.get_profile("ci"), max_examples=5)
    results = [run_case(cases[name], load_manifest(), ci) for name in ("splits", "special_values_unary")]
    data = write_reports(tmp_path, META, results)
    jsonschema.validate(data, SCHEMA)
    assert [c["comparison"] for c in data["cases"]] == ["bits", "tolerance"]
    bits = [e for e in data["exactness"] if e["comparison"] == "bits"]
    assert bits and all(e["share"] == 1 and e["identical"] == e["elements"] for e in bits)
    assert not any(e["dtype"].startswith("complex") for e in bits)  # (complex values take the tolerance)
    html = (tmp_path / "index.html").read_text()
    assert 'id="exactness"' in html and "exact bits" in html and "100% of" in html
    assert (percent_identical(9999, 10000), percent_identical(0, 3), percent_identical(7, 7)) == ("99.9%", "0%", "100%")


def test_the_bench_page_shows_spread_targets_and_history(tmp_path, monkeypatch):
    """bench.html from a run's data: each row's min / median and paired ratios, a target missed in red, the
    start-up time, and the history that record_history appends to (one line per full run)."""
    import bench.__main__ as bench

    monkeypatch.setattr(bench, "HISTORY", tmp_path / "history.jsonl")
    row = {
        "name": "add 3x4", "group": "small", "torch": 2e-6, "shim": 3e-6, "ratio": 1.5, "target": 1.3,
        "spread": {"torch": {"min": 1.9e-6, "median": 2e-6}, "shim": {"min": 2.8e-6, "median": 3e-6}},
        "ratio_range": [1.4, 1.6],
    }  # fmt: skip
    data = {
        "date": "2026-12-05T00:00:00+00:00", "torch": "2.13.0", "numpy": "2", "python": "3.11", "platform": "x",
        "torch_threads": 2, "quick": False, "benchmarks": [row], "geomean_ratio": 1.5,
        "imports": {"torch": {"seconds": 1.0, "megabytes": 200.0}, "shim": {"seconds": 0.18, "megabytes": 33.0}},
        "import_targets": bench.IMPORT_TARGETS, "startup": {"seconds": 0.19, "target": bench.STARTUP_TARGET},
    }  # fmt: skip
    bench.record_history(data)
    data["history"] = bench.record_history(dict(data, benchmarks=[dict(row, ratio=1.2)]))
    assert [h["ratios"]["add 3x4"] for h in data["history"]] == [1.5, 1.2]
    html = bench.render(data)
    assert "1.90 / 2.00 µs" in html and "1.40 – 1.60" in html and 'class="miss"' in html
    assert "History" in html and ">1.20<" in html and "0.190 s" in html


def test_the_float_math_measure_counts_bits():
    """bench.float_math: a -0 against a +0 differs (0 ULPs apart), two NaNs do not, one ULP is one."""
    import numpy as np

    from bench.float_math import differing, ulp_distance

    x = np.array([0.0, 1.0, np.nan, -1.0], np.float32)
    y = np.array([-0.0, np.nextafter(np.float32(1), np.float32(2)), np.nan, -1.0], np.float32)
    assert differing(x, y).tolist() == [True, True, False, False]
    assert ulp_distance(x, y).tolist() == [0, 1, 0, 0]


def test_the_matmul_measure_adds_along_k_rounded_or_fused():
    """bench.matmul_bits: (1 + 2**-12)**2 = 1 + 2**-11 + 2**-24 rounds to 1 + 2**-11 on its own (a tie to even),
    so after -1 - 2**-11 the rounded order gives 0 and the fused one keeps the 2**-24."""
    import numpy as np

    from bench.matmul_bits import sequential

    a = np.array([[1, 1 + 2**-12]], np.float32)
    b = np.array([[-1 - 2**-11], [1 + 2**-12]], np.float32)
    assert sequential(a, b, fused=False).tolist() == [[0.0]]
    assert sequential(a, b, fused=True).tolist() == [[2**-24]]
    assert sequential(a, b, fused=True).dtype == np.float32
