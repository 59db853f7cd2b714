"""The pytest plugin that gathers case results (from xdist workers too) and writes the reports once,
on the controller.  An interrupted or crashed run still gets a valid report, marked incomplete."""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

__all__ = ["ReportPlugin"]


class ReportPlugin:
    def __init__(self, config):
        self.config = config
        self.results: dict[str, dict] = {}
        self.expected: list[str] = []
        self.crashed: list[str] = []
        self.started = time.time()
        self.is_worker = hasattr(config, "workerinput")

    def pytest_collection_finish(self, session):
        """The cases this run will try (after -k and other deselection)."""
        self.expected = [
            item.callspec.params["name"]
            for item in session.items
            if item.originalname == "test_case" and hasattr(item, "callspec")
        ]

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        """Under xdist the controller collects nothing itself: the workers' collections name the cases."""
        if not self.expected:
            self.expected = [i.split("::test_case[", 1)[1][:-1] for i in ids if "::test_case[" in i]

    def pytest_runtest_logreport(self, report):
        for key, value in getattr(report, "user_properties", ()):
            if key == "conformance":
                result = json.loads(value)
                self.results[result["case"]] = result
        if report.failed and report.when == "call" and "test_case[" in report.nodeid:
            name = report.nodeid.split("test_case[", 1)[1].rstrip("]")
            if name not in self.results:
                self.crashed.append(name)

    def pytest_sessionfinish(self, session, exitstatus):
        if self.is_worker or not self.expected:
            return  # workers report through the controller; a run without cases writes no report
        from .writer import write_reports

        out_dir = Path(self.config.getoption("--reports-dir"))
        missing = [name for name in self.expected if name not in self.results]
        meta = run_metadata(self.config, time.time() - self.started, exitstatus)
        meta["complete"] = not missing
        meta["missing"] = missing
        meta["crashed"] = self.crashed
        data = write_reports(out_dir, meta, [self.results[k] for k in sorted(self.results)])
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            for entry in data["stale_manifest"]:
                terminal.write_line(f"warning: stale manifest entry {entry['key']} matched nothing", yellow=True)
            if missing:
                terminal.write_line(
                    f"warning: incomplete run, {len(missing)} case(s) missing from the report", red=True
                )
            terminal.write_line(f"conformance report: {out_dir / 'index.html'}")


def run_metadata(config, duration: float, exitstatus) -> dict:
    import numpy
    from hypothesis import __version__ as hypothesis_version

    from ..backends import get_backend
    from ..profiles import current_profile_name

    try:
        torch_version = get_backend("torch").version
    except ImportError:
        torch_version = None
    profile = current_profile_name()
    args = list(config.invocation_params.args)
    return {
        "torch": torch_version,
        "shim": get_backend("shim").version,
        "numpy": numpy.__version__,
        "hypothesis": hypothesis_version,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "profile": profile,
        "seed": "fixed per case: crc32 of its name" if profile == "ci" else "random",
        "mutant": os.environ.get("CONFORMANCE_MUTANT"),  # a deliberate shim bug was active (mutants.py)
        "duration_seconds": round(duration, 1),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": shlex.join(["python", "-m", "pytest", *args]) if args else "python -m pytest conformance",
        "exit_status": int(exitstatus),
        "python_executable": sys.executable,
    }
