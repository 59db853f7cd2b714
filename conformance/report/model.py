"""What the report shows beyond the per-case results: the API x dtype matrix, the API-surface coverage, stale
manifest entries, speed, and the trend over archived runs.  All of it goes into results.json too."""

from __future__ import annotations

import fnmatch

from ..compare import effective_rule
from ..manifest import Divergence
from ..strategies import ALL
from ..surface import TESTED_ELSEWHERE, coverage, normalize

__all__ = ["DTYPE_COLUMNS", "matrix", "stale_entries", "speed", "group_mismatches"]

# the matrix's columns: every dtype in scope, then "-" for cases whose inputs hold no tensor
DTYPE_COLUMNS = ALL + ("-",)
_WORST_FIRST = ("mismatch", "known", "unsupported", "pass")


def _cell(row: dict) -> str | None:
    """The status of one case at one dtype, from its per-dtype counts."""
    if row.get("mismatch"):
        return "mismatch"
    if row.get("known"):
        return "known"
    if row.get("examples") and row.get("unsupported", 0) >= row["examples"]:
        return "unsupported"
    return "pass" if row.get("examples") else None


def matrix(cases: list[dict], registry: dict[str, list[str]]) -> list[dict]:
    """One row per API-surface entry: its section, the cases covering it (registry: every case's covers,
    run or not), and a status per dtype column: the worst over the cases that ran, None where no example
    had that dtype.  A row without cases is not covered; one whose cases did not run is not run."""
    by_name = {c["case"]: c for c in cases}
    rows = []
    for section, entries in coverage({name: {"covers": covers} for name, covers in registry.items()}).items():
        for entry, names in entries.items():
            ran = [n for n in names if n in by_name]
            cells = {}
            for dtype in DTYPE_COLUMNS:
                found = {_cell(by_name[n].get("dtypes", {}).get(dtype, {})) for n in ran} - {None}
                cells[dtype] = next((s for s in _WORST_FIRST if s in found), None)
            state = "covered" if ran else ("not run" if names else "not covered")
            row = {"section": section, "api": entry, "cases": names, "state": state, "cells": cells}
            if not names and entry in TESTED_ELSEWHERE:
                row["state"], row["tested_in"] = "tested elsewhere", TESTED_ELSEWHERE[entry]
            rows.append(row)
    return rows


def stale_entries(manifest: list[Divergence], cases: list[dict]) -> list[dict]:
    """Manifest entries whose cases ran and matched nothing: each is a fixed divergence or a wrong filter."""
    matched = {Divergence(**_fields(k["entry"])).key() for c in cases for k in c.get("known", [])}
    return [
        {"key": d.key(), "case": d.case, "reason": d.reason}
        for d in manifest
        if d.key() not in matched and any(fnmatch.fnmatchcase(c["case"], d.case) for c in cases)
    ]


def _fields(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if v is not None}


def exactness(cases: list[dict]) -> list[dict]:
    """Per comparison rule and dtype, the floating-point elements compared over the run and the share that
    was bit-identical: cases compared by bits are bit-identical wherever they pass; those compared to a
    tolerance show how far from bit-identical they are."""
    totals: dict = {}
    for c in cases:
        for dtype, row in c.get("exactness", {}).items():
            rule = effective_rule(c.get("comparison", "tolerance"), dtype)
            total = totals.setdefault((rule, dtype), {"elements": 0, "identical": 0})
            total["elements"] += row["elements"]
            total["identical"] += row["identical"]
    return [
        {"comparison": rule, "dtype": dtype, **row, "share": row["identical"] / row["elements"]}
        for (rule, dtype), row in sorted(totals.items())
    ]


def speed(cases: list[dict], duration: float | None) -> dict:
    examples = sum(c["examples"] for c in cases)
    busy = sum(c["seconds"] for c in cases)
    return {
        "examples": examples,
        "case_seconds": round(busy, 2),
        "examples_per_second": round(examples / busy, 1) if busy else None,
        "wall_examples_per_second": round(examples / duration, 1) if duration else None,
    }


def group_mismatches(cases: list[dict]) -> list[dict]:
    """Mismatches grouped by API (a case's first covered entry), then by kind."""
    groups: dict[str, dict[str, list]] = {}
    for c in cases:
        api = normalize(c["covers"][0]) if c.get("covers") else c["case"]
        for m in c["mismatches"]:
            groups.setdefault(api, {}).setdefault(m["kind"], []).append({"case": c["case"], **m})
    return [
        {"api": api, "kinds": [{"kind": k, "records": v} for k, v in sorted(kinds.items())]}
        for api, kinds in sorted(groups.items())
    ]
