"""The one parametrised test: each case runs against torch and the shim under Hypothesis."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import settings

from .manifest import load_manifest
from .registry import load_cases
from .report.serialize import to_json
from .runner import run_case

CASES = load_cases()
MANIFEST = load_manifest()


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name, request):
    case = CASES[name]
    explore = settings._current_profile == "explore"
    result = run_case(case, MANIFEST, settings(), explore=explore, budget=_budget_per_case())
    request.node.user_properties.append(("conformance", json.dumps(to_json(result))))
    if result["mismatches"]:
        blocks = [
            f"{m['kind']} at {m['where']} ({m.get('dtype')}): {m['detail']}\n{m.get('repro', '')}"
            for m in result["mismatches"]
        ]
        pytest.fail(f"{name}: {len(blocks)} mismatch kind(s)\n\n" + "\n\n".join(blocks), pytrace=False)


def _budget_per_case() -> float | None:
    """CONFORMANCE_BUDGET_SECONDS (a whole run's wall-clock budget) shared among the cases and the workers:
    each case keeps drawing fresh rounds of examples for its share."""
    total = os.environ.get("CONFORMANCE_BUDGET_SECONDS")
    if not total:
        return None
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    return float(total) * workers / len(CASES)
