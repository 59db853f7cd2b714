"""Hypothesis profiles: `ci` (deterministic, used by tox) and `explore` (deep, stateful search)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

__all__ = ["register_profiles", "PROFILE_ENV", "current_profile_name"]

PROFILE_ENV = "HYPOTHESIS_PROFILE"
_QUIET = list(HealthCheck)


def register_profiles() -> None:
    settings.register_profile(
        "ci",
        derandomize=True,  # the same examples every run: runner.py seeds each case from its name
        deadline=None,
        max_examples=int(os.environ.get("CONFORMANCE_MAX_EXAMPLES", "25")),
        database=None,
        suppress_health_check=_QUIET,
        report_multiple_bugs=True,
        print_blob=False,
    )
    settings.register_profile(
        "explore",
        deadline=None,
        max_examples=int(os.environ.get("CONFORMANCE_MAX_EXAMPLES", "1000")),
        database=DirectoryBasedExampleDatabase(".hypothesis/conformance"),
        suppress_health_check=_QUIET,
        report_multiple_bugs=True,
    )


def current_profile_name() -> str:
    return settings._current_profile or "default"
