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


_MUTANTS_KILLED: dict[str, bool] = {}  # test id -> whether the suite caught that mutant


def pytest_runtest_logreport(report):
    if "test_the_suite_kills_the_mutant" in report.nodeid and report.when == "call":
        _MUTANTS_KILLED[report.nodeid] = report.passed


def pytest_terminal_summary(terminalreporter):
    """The suite's power in one line: how many of the deliberate bugs in mutants.py its cases caught."""
    if _MUTANTS_KILLED:
        killed, total = sum(_MUTANTS_KILLED.values()), len(_MUTANTS_KILLED)
        terminalreporter.write_line(f"mutants killed: {killed} of {total} ({100 * killed / total:.0f}%)")
