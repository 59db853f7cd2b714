"""index.html as a person sees it: opened in headless Chromium, the mismatch rows are visible and the API x
dtype matrix renders.  REPORT_SCREENSHOT=docs/report.png also saves the screenshot the README shows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from .manifest import load_manifest
from .mutants import MUTANTS
from .registry import load_cases
from .report.writer import write_reports
from .runner import run_case

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the 'suite' extra; tox installs it")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them where it may)",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A report with real mismatches (two mutants active) beside passing cases."""
    cases, manifest, ci = load_cases(), load_manifest(), settings.get_profile("ci")
    mp = pytest.MonkeyPatch()
    for name in ("sqrt_negative_zero", "view_copies"):
        next(m for m in MUTANTS if m.name == name).apply(mp.setattr)
    try:
        names = ("special_values_unary", "view_case", "add_forms", "mm_matrices", "repr_values")
        results = [run_case(cases[n], manifest, ci) for n in names]
    finally:
        mp.undo()
    out = tmp_path_factory.mktemp("report")
    meta = {
        "torch": "2.13.0",
        "profile": "ci",
        "command": "python -m pytest conformance",
        "complete": True,
        "missing": [],
        "crashed": [],
        "mutant": "sqrt_negative_zero + view_copies",
    }
    write_reports(out, meta, results)
    return out / "index.html"


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=webdriver.ChromeService(DRIVER), options=options)
    yield driver
    driver.quit()


def test_mismatch_rows_are_visible_and_the_matrix_renders(report, browser):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, ".mismatch-row")
    assert len(rows) >= 2 and all(r.is_displayed() and r.size["height"] > 20 for r in rows)
    assert any("special_values_unary" in r.text for r in rows)
    matrix = browser.find_element(By.CSS_SELECTOR, "table.matrix")
    assert matrix.is_displayed() and matrix.size["width"] > 300
    cells = browser.find_elements(By.CSS_SELECTOR, "table.matrix td.mismatch")
    assert cells and cells[0].value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    assert browser.find_elements(By.CSS_SELECTOR, "table.matrix td.pass")
    target = os.environ.get("REPORT_SCREENSHOT")
    if target:
        browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "summary"))
        browser.save_screenshot(target)
