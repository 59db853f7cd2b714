"""Golden replay: torch's observations, recorded once, checked against the shim where torch is absent.

    python -m conformance.golden record     # needs torch 2.13.0: writes conformance/golden/torch-<v>.pkl.gz
    python -m conformance.golden replay     # needs only the shim (tests/test_golden.py runs it under tox)

Each case contributes its first EXAMPLES derandomized examples per form it draws (the ci profile's seed for
the case) with torch's observation of each.  A case's fingerprint (its source and its @case arguments) is stored with
them; replay refuses a golden file whose fingerprints no longer match the cases: re-record it.  The file
is a gzipped pickle of plain data (numpy arrays, TensorSpecs, dicts) written by this module only.
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import pickle
import sys
from pathlib import Path

from hypothesis import Phase, given, seed, settings

from .backends import get_backend
from .manifest import load_manifest
from .observe import observe
from .profiles import code_independent_draws, register_profiles
from .registry import load_cases
from .runner import _case_dtype, case_seed, judge

__all__ = ["GOLDEN_DIR", "EXAMPLES", "fingerprint", "record", "replay", "golden_path"]

GOLDEN_DIR = Path(__file__).with_name("golden")
EXAMPLES = 6
TORCH_VERSION = "2.13.0"


def golden_path(version: str = TORCH_VERSION) -> Path:
    return GOLDEN_DIR / f"torch-{version}.pkl.gz"


def fingerprint(case) -> str:
    """What the recorded examples depend on: the case function's source and its strategies and options (not
    its tolerance, which judges a replay and may depend on the CPU: bits where the shim models its kernels)."""
    text = inspect.getsource(case.fn) + repr(case.strategy()) + repr(sorted(case.options))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _examples(case) -> list[dict]:
    drawn_list: list[dict] = []

    @seed(case_seed(case.name))
    @settings(settings.get_profile("ci"), max_examples=EXAMPLES * case.forms, phases=[Phase.generate])
    @given(drawn=case.strategy())
    def collect(drawn):
        drawn_list.append(drawn)

    with code_independent_draws():
        collect()
    return drawn_list


def record(path: Path | None = None) -> dict:
    """Observe every case's golden examples on torch and write them (torch must be installed)."""
    register_profiles()
    torch_b = get_backend("torch")
    golden = {"torch": str(torch_b.version), "examples_per_case": EXAMPLES, "cases": {}, "skipped": {}}
    for name, case in sorted(load_cases().items()):
        examples = []
        for drawn in _examples(case):
            try:
                pickle.dumps(drawn)
            except Exception as e:  # noqa: BLE001  (an input the file cannot hold: noted, not recorded)
                golden["skipped"][name] = f"inputs cannot be pickled: {type(e).__name__}"
                break
            examples.append({"drawn": drawn, "torch": observe(torch_b, case, drawn)})
        else:
            golden["cases"][name] = {"fingerprint": fingerprint(case), "examples": examples}
    path = path or golden_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # no time stamp in the gzip header: recording the same recordings again leaves the file as it was
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        pickle.dump(golden, f, protocol=pickle.HIGHEST_PROTOCOL)
    return golden


def load(path: Path | None = None) -> dict:
    with gzip.open(path or golden_path(), "rb") as f:
        return pickle.load(f)


def stale_cases(golden: dict) -> dict[str, str]:
    """Cases whose recording no longer matches the code: name -> why."""
    cases = load_cases()
    stale = {
        name: "changed since recorded"
        for name, rec in golden["cases"].items()
        if name in cases and rec["fingerprint"] != fingerprint(cases[name])
    }
    stale.update({name: "removed" for name in golden["cases"] if name not in cases})
    stale.update(
        {name: "not recorded" for name in cases if name not in golden["cases"] and name not in golden["skipped"]}
    )
    return stale


def replay(golden: dict, names=None) -> dict[str, list[str]]:
    """Replay the recorded examples on the shim; case name -> descriptions of its live mismatches."""
    register_profiles()
    cases, manifest, shim_b = load_cases(), load_manifest(), get_backend("shim")
    failures: dict[str, list[str]] = {}
    for name in names or sorted(golden["cases"]):
        case = cases[name]
        for i, example in enumerate(golden["cases"][name]["examples"]):
            drawn = example["drawn"]
            actual = observe(shim_b, case, drawn)
            verdict = judge(case, manifest, _case_dtype(case, drawn), example["torch"], actual)
            failures.setdefault(name, []).extend(f"example {i}: {m}" for m in verdict.live)
    return {name: found for name, found in failures.items() if found}


def main(argv: list[str]) -> int:
    if argv[:1] == ["record"]:
        golden = record()
        size = golden_path().stat().st_size
        print(f"recorded {len(golden['cases'])} cases ({size / 1e6:.2f} MB) to {golden_path()}")
        for name, why in golden["skipped"].items():
            print(f"  skipped {name}: {why}")
        return 0
    if argv[:1] == ["replay"]:
        golden = load()
        stale = stale_cases(golden)
        if stale:
            print("stale golden file (python -m conformance.golden record):", stale)
            return 1
        failures = replay(golden)
        for name, found in failures.items():
            print(name, *found[:3], sep="\n  ")
        print(f"replayed {len(golden['cases'])} cases: {len(failures)} with mismatches")
        return 1 if failures else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
