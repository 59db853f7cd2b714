"""Write results.json, index.html and the run archive (reports/runs/) from the collected case results."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..manifest import load_manifest
from ..meter import measure
from ..registry import load_cases
from .model import exactness, group_mismatches, matrix, speed, stale_entries
from .render import render_html
from .serialize import to_json

__all__ = ["write_reports", "summarize", "HISTORY_LENGTH"]

HISTORY_LENGTH = 20  # runs shown in the trend chart


def summarize(results: list[dict]) -> dict:
    counts = {s: 0 for s in ("pass", "mismatch", "unsupported", "known")}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    counts["cases"] = len(results)
    counts["examples"] = sum(r["examples"] for r in results)
    counts["mismatch_records"] = sum(len(r["mismatches"]) for r in results)
    return counts


def write_reports(out_dir: Path, meta: dict, results: list[dict], manifest=None, registry=None) -> dict:
    """results.json and index.html from the same data; the run's summary is archived for the trend.
    registry: case name -> covers for every case (default: conformance/cases), for the coverage matrix."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest() if manifest is None else manifest
    if registry is None:
        registry = {name: list(case.covers) for name, case in load_cases().items()}
    summary = summarize(results)
    history = _archive(out_dir / "runs", meta, summary)
    data = {
        "schema_version": 1,
        "run": meta,
        "summary": summary,
        "speed": speed(results, meta.get("duration_seconds")),
        "exactness": exactness(results),
        "matrix": matrix(results, registry),
        "stale_manifest": stale_entries(manifest, results),
        "coverage": measure(registry, statuses={r["case"]: r["status"] for r in results}),
        "history": history,
        "cases": results,
    }
    data = to_json(data)
    text = json.dumps(data, indent=1, allow_nan=False, sort_keys=False)
    (out_dir / "results.json").write_text(text + "\n", encoding="utf-8")
    (out_dir / "index.html").write_text(render_html(data, group_mismatches(data["cases"])), encoding="utf-8")
    return data


def _archive(runs_dir: Path, meta: dict, summary: dict) -> list[dict]:
    """Add this run to reports/runs/<date>.json; return the recent runs, oldest first, this one last."""
    runs_dir.mkdir(exist_ok=True)
    entry = {"date": meta.get("date"), "profile": meta.get("profile"), "complete": meta.get("complete"), **summary}
    stamp = re.sub(r"[^0-9T]", "", str(meta.get("date") or "undated")[:19])
    path = runs_dir / f"{stamp}.json"
    n = 1
    while path.exists():  # two runs in one second keep both
        path, n = runs_dir / f"{stamp}-{n}.json", n + 1
    path.write_text(json.dumps(entry, allow_nan=False) + "\n", encoding="utf-8")
    runs = sorted(runs_dir.glob("*.json"), key=_run_order)[-HISTORY_LENGTH:]
    return [json.loads(p.read_text(encoding="utf-8")) for p in runs]


def _run_order(path: Path) -> tuple:
    stamp, _, n = path.stem.partition("-")
    return stamp, int(n or 0)
