"""The suite's power: every deliberate corner-only bug in conformance/mutants.py must be caught by the
cases it names, run with the same settings as under tox."""

from __future__ import annotations

import pytest
from hypothesis import settings

from .manifest import load_manifest
from .mutants import MUTANTS
from .registry import load_cases
from .runner import run_case

CASES = load_cases()
MANIFEST = load_manifest()


def test_every_mutant_names_real_cases_and_a_unique_name():
    assert len({m.name for m in MUTANTS}) == len(MUTANTS) >= 20
    assert all(name in CASES for m in MUTANTS for name in m.cases)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_the_suite_kills_the_mutant(mutant, monkeypatch):
    ci = settings.get_profile("ci")
    for name in mutant.cases:  # each passes unmutated: the ci run proves that
        assert run_case(CASES[name], MANIFEST, ci)["status"] in ("pass", "known"), name
    mutant.apply(monkeypatch.setattr)
    results = {name: run_case(CASES[name], MANIFEST, ci) for name in mutant.cases}
    assert any(r["status"] == "mismatch" for r in results.values()), f"{mutant.name} survived: {mutant.breaks}"
