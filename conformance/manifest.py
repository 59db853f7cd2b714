"""The known-divergence manifest (manifest.toml): each entry matches a case (and optionally a dtype, a
mismatch kind, a location or a phrase of the mismatch's detail) and says why the shim differs there.
Entries that match nothing are stale."""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Divergence", "load_manifest", "MANIFEST_PATH"]

MANIFEST_PATH = Path(__file__).with_name("manifest.toml")


@dataclass(frozen=True)
class Divergence:
    case: str
    reason: str
    dtype: str | None = None
    kind: str | None = None
    where: str | None = None  # a substring of the mismatch's location, e.g. ".imag" for complex parts
    detail: str | None = None  # a substring of the mismatch's detail, e.g. one exception message

    def matches(self, case: str, dtype: str | None, kind: str, where: str = "", detail: str = "") -> bool:
        return (
            fnmatch.fnmatchcase(case, self.case)
            and (self.dtype is None or self.dtype == dtype)
            and (self.kind is None or self.kind == kind)
            and (self.where is None or self.where in where)
            and (self.detail is None or self.detail in detail)
        )

    def key(self) -> str:
        key = f"{self.case}/{self.dtype or '*'}/{self.kind or '*'}/{self.where or '*'}"
        return key + (f"/{self.detail}" if self.detail else "")


_FIELDS = ("case", "reason", "dtype", "kind", "where", "detail")


def load_manifest(path: Path = MANIFEST_PATH) -> list[Divergence]:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    entries = []
    for raw in data.get("divergence", []):
        unknown = set(raw) - set(_FIELDS)
        if unknown or not raw.get("reason") or not raw.get("case"):
            raise ValueError(f"manifest entry needs case and reason (and only {'/'.join(_FIELDS[2:])} besides): {raw}")
        entries.append(Divergence(**raw))
    return entries
