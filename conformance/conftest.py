"""pytest wiring: Hypothesis profiles and the report plugin (which writes reports/ from the controller)."""

from __future__ import annotations

from .mutants import apply_from_environment
from .profiles import register_profiles
from .report.collect import ReportPlugin

register_profiles()


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption("--reports-dir", default="reports", help="where results.json and index.html are written")
    group.addoption("--no-reports", action="store_true", help="do not write report files")


def pytest_configure(config):
    apply_from_environment()  # CONFORMANCE_MUTANT: a deliberate shim bug, to watch the suite catch it
    if not config.getoption("--no-reports"):
        config.pluginmanager.register(ReportPlugin(config), "conformance-report")
