"""Render index.html from the same data as results.json (Jinja2, autoescaped, self-contained: inline CSS
and SVG, no scripts, no network)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jinja2

from .model import DTYPE_COLUMNS

__all__ = ["render_html", "brief", "trend_points"]

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
PAGE_LIMIT = 1500  # characters of one observation or input shown on the page; results.json has all


def brief(value, limit: int = PAGE_LIMIT) -> str:
    """A value as indented JSON, cut at `limit` characters (the exact data stays in results.json)."""
    text = value if isinstance(value, str) else json.dumps(value, indent=1, ensure_ascii=False)
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… {len(text) - limit} more characters in results.json"


def trend_points(history: list[dict], width: int = 320, height: int = 60) -> dict:
    """Polyline points of pass and mismatch counts over the archived runs, scaled into the chart."""
    top = max([max(h.get("pass", 0), h.get("mismatch", 0)) for h in history] + [1])
    step = width / max(len(history) - 1, 1)

    def points(key: str) -> str:
        return " ".join(f"{i * step:.1f},{height - h.get(key, 0) / top * height:.1f}" for i, h in enumerate(history))

    return {"pass": points("pass"), "mismatch": points("mismatch"), "top": top, "width": width, "height": height}


def percent_identical(identical: int, elements: int) -> str:
    """A share as a percentage that reads 100% only when every element was bit-identical (rounded down)."""
    if identical == elements:
        return "100%"
    return f"{math.floor(1000 * identical / elements) / 10:g}%"


def identical_shares(exactness: dict) -> str:
    """A case's bit-identical shares per dtype: "float32 100% of 4,120; float64 99.2% of 1,232"."""
    return "; ".join(
        f"{dtype} {percent_identical(row['identical'], row['elements'])} of {row['elements']:,}"
        for dtype, row in sorted(exactness.items())
    )


_ENV.filters["brief"] = brief
_ENV.filters["identical_shares"] = identical_shares
_ENV.globals["percent_identical"] = percent_identical
_RUN_FIELDS = (
    "torch", "shim", "numpy", "hypothesis", "python", "platform", "profile", "seed", "mutant", "date",
    "duration_seconds", "command", "complete",
)  # fmt: skip


def _sections(matrix: list[dict]) -> list[dict]:
    """The matrix by section, in order: rows shown one per entry, and the entries whose cases did not run
    (a partial run) folded into one line."""
    sections: dict[str, dict] = {}
    for row in matrix:
        section = sections.setdefault(row["section"], {"name": row["section"], "rows": [], "not_run": []})
        (section["not_run"] if row["state"] == "not run" else section["rows"]).append(row)
    return list(sections.values())


def render_html(data: dict, groups: list[dict]) -> str:
    return _ENV.get_template("index.html.j2").render(
        data=data,
        run={key: None for key in _RUN_FIELDS} | {"missing": [], "crashed": []} | data["run"],
        summary=data["summary"],
        speed=data["speed"],
        exactness=data["exactness"],
        cases=data["cases"],
        sections=_sections(data["matrix"]),
        columns=DTYPE_COLUMNS,
        groups=groups,
        stale=data["stale_manifest"],
        coverage=data["coverage"],
        history=data["history"],
        trend=trend_points(data["history"]),
    )
