"""Write results.json, index.html and the run archive from the collected case results."""

from __future__ import annotations

import json
from pathlib import Path

from .render import render_html
from .serialize import to_json

__all__ = ["write_reports", "summarize"]

STATUSES = ("pass", "mismatch", "unsupported", "known", "not covered")


def summarize(results: list[dict]) -> dict:
    counts = {s: 0 for s in ("pass", "mismatch", "unsupported", "known")}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    counts["cases"] = len(results)
    counts["examples"] = sum(r["examples"] for r in results)
    counts["mismatch_records"] = sum(len(r["mismatches"]) for r in results)
    return counts


def write_reports(out_dir: Path, meta: dict, results: list[dict]) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"schema_version": 1, "run": meta, "summary": summarize(results), "cases": results}
    data = to_json(data)
    text = json.dumps(data, indent=1, allow_nan=False, sort_keys=False)
    (out_dir / "results.json").write_text(text + "\n", encoding="utf-8")
    (out_dir / "index.html").write_text(render_html(data), encoding="utf-8")
    return data
