"""Render index.html from the same data as results.json (Jinja2, autoescaped, self-contained)."""

from __future__ import annotations

from pathlib import Path

import jinja2

__all__ = ["render_html"]

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(data: dict) -> str:
    return _ENV.get_template("index.html.j2").render(
        data=data, run=data["run"], summary=data["summary"], cases=data["cases"]
    )
