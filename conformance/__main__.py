"""`python -m conformance CASE [CASE ...]`: run cases in-process and print their mismatches with repros.

Cases are matched by substring; `--list` lists them.  Uses the `ci` profile unless HYPOTHESIS_PROFILE says
otherwise.  (The full suite, with reports, is `tox -e conformance`.)
"""

from __future__ import annotations

import os
import sys
import time

from hypothesis import settings

from .manifest import load_manifest
from .profiles import register_profiles
from .registry import load_cases
from .runner import run_case


def main(argv: list[str]) -> int:
    register_profiles()
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
    cases = load_cases()
    if not argv or argv[0] == "--list":
        print("\n".join(sorted(cases)))
        return 0
    verbose = "-v" in argv
    patterns = [a for a in argv if not a.startswith("-")]
    chosen = [name for name in sorted(cases) if any(p in name for p in patterns)]
    manifest = load_manifest()
    failed = 0
    for name in chosen:
        started = time.perf_counter()
        result = run_case(cases[name], manifest, settings())
        elapsed = time.perf_counter() - started
        print(f"{name}: {result['status']} ({result['examples']} examples, {elapsed:.2f}s)")
        for m in result["mismatches"]:
            failed += 1
            print(f"  {m['kind']} at {m['where']} ({m.get('dtype')}): {m['detail']}")
            if verbose:
                print("    " + m.get("repro", "").replace("\n", "\n    "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
