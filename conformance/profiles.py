"""Hypothesis profiles: `ci` (deterministic, used by tox) and `explore` (deep, stateful search)."""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase

__all__ = [
    "register_profiles",
    "PROFILE_ENV",
    "current_profile_name",
    "code_independent_draws",
    "is_replay",
    "EXAMPLES_DIR",
]

# the examples explore runs found failing, kept in the repository: the ci profile replays them on every run
EXAMPLES_DIR = str(Path(__file__).with_name("examples"))

PROFILE_ENV = "HYPOTHESIS_PROFILE"
_QUIET = list(HealthCheck)


def register_profiles() -> None:
    import_local_modules()
    settings.register_profile(
        "ci",
        # the same examples every run (runner.py seeds each case from its name), after the examples explore
        # runs found and stored: the database is replayed, never written
        deadline=None,
        max_examples=int(os.environ.get("CONFORMANCE_MAX_EXAMPLES", "25")),
        database=ReadOnlyDatabase(DirectoryBasedExampleDatabase(EXAMPLES_DIR)),
        suppress_health_check=_QUIET,
        report_multiple_bugs=True,
        print_blob=False,
    )
    settings.register_profile(
        "explore",
        deadline=None,
        max_examples=int(os.environ.get("CONFORMANCE_MAX_EXAMPLES", "1000")),
        database=DirectoryBasedExampleDatabase(EXAMPLES_DIR),
        suppress_health_check=_QUIET,
        report_multiple_bugs=True,
    )


def is_replay(hypothesis_settings: settings) -> bool:
    """A profile that only reads its example database (ci): seeded per case, its draws code-independent."""
    return isinstance(hypothesis_settings.database, ReadOnlyDatabase)


def import_local_modules() -> None:
    """Import every module of shim and conformance before anything is generated.

    Hypothesis mixes literal constants from the project's own loaded modules into what it draws: the
    examples of a seed depend on which modules are in sys.modules.  With this fixed set, `pytest -k
    one_case`, a full run and `python -m conformance` draw the same examples (for the same code)."""
    import shim

    from . import __name__ as package

    for root in (shim, importlib.import_module(package)):
        for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            try:
                importlib.import_module(info.name)
            except Exception:  # noqa: S112  (pytest skips modules it cannot import; so do we, alike)
                continue
            except BaseException as exc:  # pytest.importorskip raises its Skipped, a BaseException
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise


def current_profile_name() -> str:
    return settings._current_profile or "default"


@contextmanager
def code_independent_draws() -> Iterator[None]:
    """Draw without the literals Hypothesis collects from the project's own modules.

    Hypothesis mixes constants found in local source files into what it draws, so with a fixed seed the
    examples of every case shift whenever any module of the project gains or loses a literal.  Under the
    derandomized `ci` profile that makes a run's examples depend on unrelated edits; without the local
    constants a case's examples depend only on its strategy, its seed and the Hypothesis version.  (A
    private Hypothesis hook; where it is missing, draws fall back to Hypothesis' default.)"""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants

        original = providers._get_local_constants
        empty = Constants()
    except (ImportError, AttributeError):  # pragma: no cover  (another Hypothesis layout)
        yield
        return
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()
