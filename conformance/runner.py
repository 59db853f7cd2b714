"""Run one case under Hypothesis against both backends and summarise the outcome.

Outcomes per example: both agree (same values, or the same exception class and message) -> pass;
only torch raises -> "unsupported by the reference" (reported, not a failure; a failure for error-parity
cases); a mismatch listed in the manifest -> known divergence; anything else -> mismatch, raised so that
Hypothesis shrinks it to a minimal example per mismatch kind.
"""

from __future__ import annotations

import fnmatch
import sys
import time
import types
import unittest
import zlib
from dataclasses import dataclass, field

import numpy as np
from hypothesis import Phase, given, seed, settings, target

from .backends import get_backend
from .compare import Mismatch, compare
from .manifest import Divergence
from .observe import realize
from .profiles import code_independent_draws, is_replay
from .strategies import ALL, KEY_MARKERS, TensorSpec, is_key_marker

__all__ = ["run_case", "repro_snippet", "describe_inputs"]

MAX_RECORDED = 3


def _case_dtype(case, drawn: dict) -> str | None:
    if case.dtype_of and isinstance(drawn.get(case.dtype_of), TensorSpec):
        return drawn[case.dtype_of].dtype
    for value in drawn.values():
        if isinstance(value, TensorSpec):
            return value.dtype
        if isinstance(value, tuple):
            for v in value:
                if isinstance(v, TensorSpec):
                    return v.dtype
    for value in drawn.values():
        if isinstance(value, str) and value in ALL:  # a dtype drawn by name
            return value
    return None


def describe_inputs(drawn: dict) -> dict:
    out = {}
    for name, value in drawn.items():
        out[name] = _describe_input(value)
    return out


def _describe_input(value):
    if isinstance(value, TensorSpec):
        return value.describe()
    if isinstance(value, tuple):
        return {"kind": "tuple", "items": [_describe_input(v) for v in value]}
    if isinstance(value, list):
        return {"kind": "list", "items": [_describe_input(v) for v in value]}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {"kind": "scalar", "value": str(value)}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return {"kind": "scalar", "value": value}
    return {"kind": "python", "repr": repr(value)}


def _code(value) -> str:
    if isinstance(value, TensorSpec):
        return value.to_code("xp")
    if is_key_marker(value):
        return KEY_MARKERS[value[0]][0].format(value[1])
    if isinstance(value, tuple):
        inner = ", ".join(_code(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_code(v) for v in value) + "]"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return f"float('{value}')"
    return repr(value)


def _module_globals_used(fn) -> list[str]:
    """The names of fn's module that its body reads (tables, helpers, `call`), for the repro to import."""
    module = vars(sys.modules[fn.__module__])
    names, codes = set(), [fn.__code__]
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return sorted(n for n in names if n in module and n not in ("np", fn.__name__))


def repro_snippet(case, drawn: dict) -> str:
    """A script, run from the project's root, that runs the case on both torch and the shim and prints both
    results; for a grad case, also the gradients from the upstream gradient the suite gave."""
    args = [name for name in drawn if name != "grad_seed"]
    imports = ["import numpy as np", "import torch", "import shim"]
    helpers = _module_globals_used(case.fn)
    if helpers:
        imports.append(f"from {case.fn.__module__} import {', '.join(helpers)}")
    if case.grad:
        imports.append("from conformance.observe import first_differentiable, upstream_gradient")
    lines = [*imports, "", case.source(), "", "for xp in (torch, shim):"]
    for name in args:
        lines.append(f"    {name} = {_code(drawn[name])}")
    call = ", ".join(f"{a}={a}" for a in args)
    lines += [
        "    try:",
        f"        result = {case.fn.__name__}(xp, {call})",
        "        print(xp.__name__, repr(result))",
    ]
    if case.grad:
        leaves = ", ".join(f"{a!r}: {a}" for a in args)
        lines += [
            "        target = first_differentiable(xp, result)",
            "        if target is not None:",
            f"            upstream = upstream_gradient(target, {drawn.get('grad_seed', 0)!r})",
            "            target.backward(xp.tensor(upstream, dtype=target.dtype))",
            f"            leaves = {{{leaves}}}",
            "            grads = {k: v.grad for k, v in leaves.items() if isinstance(v, xp.Tensor) and v.is_leaf}",
            "            print(xp.__name__, 'grads', grads)",
        ]
    lines += ["    except Exception as e:", "        print(xp.__name__, type(e).__name__, e)"]
    return "\n".join(lines)


def _only_torch_raises(expected: dict, actual: dict) -> bool:
    return expected["result"]["kind"] == "exception" and actual["result"]["kind"] != "exception"


def _only_torch_raises_in_backward(expected: dict, actual: dict) -> bool:
    e, a = expected.get("grads"), actual.get("grads")
    return bool(e) and e.get("kind") == "exception" and a is not None and a.get("kind") != "exception"


def _without(obs: dict, key: str) -> dict:
    return {k: v for k, v in obs.items() if k != key}


def _error_size(m: Mismatch) -> float:
    size = m.extra.get("max_abs_error")
    if isinstance(size, (int, float)) and np.isfinite(size):
        return float(size)
    return 1.0


@dataclass
class Verdict:
    """What one example shows: only torch raised (unsupported by the reference), only torch's backward
    raised (forwards compared alone), the mismatches the manifest explains, and the live ones."""

    unsupported: bool = False
    backward_unsupported: bool = False
    known: list = field(default_factory=list)  # (Divergence, Mismatch)
    live: list = field(default_factory=list)


def judge(
    case, entries: list[Divergence], dtype: str | None, expected: dict, actual: dict, tally: dict | None = None
) -> Verdict:
    """Compare torch's and the shim's observations of one example, by the suite's rules (tally: see
    compare)."""
    if _only_torch_raises(expected, actual) and not case.expect_error:
        return Verdict(unsupported=True)
    verdict = Verdict()
    if _only_torch_raises_in_backward(expected, actual):
        verdict.backward_unsupported = True
        expected, actual = _without(expected, "grads"), _without(actual, "grads")
    mismatches = compare(expected, actual, case.tolerance, case.options, tally)
    if not case.options.get("warnings", True):
        mismatches = [m for m in mismatches if m.stage != "warning"]
    for m in mismatches:
        entry = next((d for d in entries if d.matches(case.name, dtype, type(m).__name__, m.path, m.detail)), None)
        if entry is None:
            verdict.live.append(m)
        else:
            verdict.known.append((entry, m))
    return verdict


def case_seed(name: str) -> int:
    """The seed of a case's examples under the replaying (ci) profile."""
    return zlib.crc32(name.encode())


_FIRST_ROUND = 10  # examples: a budgeted case's first round, which times its examples


def run_case(
    case, manifest: list[Divergence], hypothesis_settings: settings, explore: bool = False, budget: float | None = None
) -> dict:
    """Run `case`; return its result record (status, counts, mismatches, known divergences).  budget: seconds
    to keep drawing fresh examples, until a mismatch or the time is up: in rounds of the profile's count, the
    first a few examples long and each later one sized by the time an example took to fit what is left (a
    round of the profile's 1000 can take many times a case's share)."""
    torch_b, shim_b = get_backend("torch"), get_backend("shim")
    state = {"examples": 0, "unsupported": [], "unsupported_count": 0, "known": {}, "dtypes": {}, "exactness": {}}
    entries = [d for d in manifest if fnmatch.fnmatchcase(case.name, d.case)]

    def seen(dtype, key):
        row = state["dtypes"].setdefault(dtype or "-", {"examples": 0, "unsupported": 0, "known": 0})
        row[key] += 1

    # each form a case draws gets the profile's examples; a case's own count is a floor (a deeper profile
    # still draws more)
    # an example runs torch and the shim and compares everything: its time is no finding (whatever the profile)
    hypothesis_settings = settings(hypothesis_settings, deadline=None)
    examples = max(case.max_examples or 0, hypothesis_settings.max_examples * case.forms)

    def check(drawn):
        state["examples"] += 1
        dtype = _case_dtype(case, drawn)
        seen(dtype, "examples")
        expected = _observe(torch_b, case, drawn)
        actual = _observe(shim_b, case, drawn)
        verdict = judge(case, entries, dtype, expected, actual, state["exactness"])
        if verdict.unsupported or verdict.backward_unsupported:
            state["unsupported_count"] += 1
            seen(dtype, "unsupported")
        if verdict.unsupported:
            if len(state["unsupported"]) < MAX_RECORDED:
                state["unsupported"].append(
                    {
                        "dtype": dtype,
                        "inputs": describe_inputs(drawn),
                        "torch": expected["result"],
                        "shim": _strip(actual["result"]),
                        "repro": repro_snippet(case, drawn),
                    }
                )
            return
        for entry, m in verdict.known:
            seen(dtype, "known")
            state["known"].setdefault(
                entry.key(),
                {
                    "entry": {
                        "case": entry.case,
                        "dtype": entry.dtype,
                        "kind": entry.kind,
                        "where": entry.where,
                        "detail": entry.detail,
                        "reason": entry.reason,
                    },
                    "example": {
                        **m.record(),
                        "dtype": dtype,
                        "inputs": describe_inputs(drawn),
                        "repro": repro_snippet(case, drawn),
                    },
                    "count": 0,
                },
            )["count"] += 1
        live = verdict.live
        if live:
            first = live[0]
            if explore:
                target(_error_size(first), label="error size")
            first.context = {
                "dtype": dtype,
                "drawn": drawn,
                "torch": expected,
                "shim": actual,
                "others": [m.record() for m in live[1:6]],
            }
            raise first

    # the example database keys each case by its name (Hypothesis would key every case by this function)
    check._hypothesis_internal_add_digest = case.name.encode()
    test = given(drawn=case.strategy())(check)
    replay = is_replay(hypothesis_settings)
    if replay:
        # the examples explore runs stored for this case, then fresh ones from a fixed seed per case, from its
        # name (Hypothesis would derive one from this function's source, the same for every case, and change
        # them all with any edit here; and a seeded run reads no database)
        stored = settings(hypothesis_settings, phases=[Phase.reuse])(given(drawn=case.strategy())(check))
        seeded = seed(case_seed(case.name))(settings(hypothesis_settings, max_examples=examples)(test))

        def run():
            try:
                stored()
            except unittest.SkipTest:  # nothing stored for this case
                pass
            with code_independent_draws():
                seeded()
    else:

        def run():  # (a fresh test each round: settings apply once to a test)
            settings(hypothesis_settings, max_examples=count)(given(drawn=case.strategy())(check))()

    count = examples if budget is None else min(examples, _FIRST_ROUND)
    started = time.perf_counter()
    failures = []
    while True:
        round_started, drawn_before = time.perf_counter(), state["examples"]
        try:
            run()
        except BaseException as exc:  # noqa: BLE001  (Hypothesis re-raises the minimal failures; collect them)
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures = _collect(case, exc)
        now = time.perf_counter()
        if failures or budget is None or replay or now - started >= budget:
            break
        per_example = (now - round_started) / max(1, state["examples"] - drawn_before)
        count = max(1, min(examples, int((budget - (now - started)) / per_example)))
    elapsed = time.perf_counter() - started
    for f in failures:
        row = state["dtypes"].setdefault(f.get("dtype") or "-", {"examples": 0, "unsupported": 0, "known": 0})
        row["mismatch"] = row.get("mismatch", 0) + 1
    status = (
        "mismatch"
        if failures
        else (
            "known"
            if state["known"]
            else (
                "unsupported"
                if state["unsupported_count"] and state["examples"] == state["unsupported_count"]
                else "pass"
            )
        )
    )
    return {
        "case": case.name,
        "family": case.family,
        "covers": list(case.covers),
        "status": status,
        "examples": state["examples"],
        "seconds": round(elapsed, 3),
        "unsupported_count": state["unsupported_count"],
        "unsupported": state["unsupported"],
        "known": list(state["known"].values()),
        "mismatches": failures,
        "dtypes": state["dtypes"],
        # (an exact case with a ULP slack accepts more than its bits: it is reported as compared to a tolerance)
        "comparison": "bits" if case.tolerance.exact and not case.tolerance.ulps else "tolerance",
        "exactness": state["exactness"],
    }


def _observe(backend, case, drawn):
    from .observe import observe

    return observe(backend, case, drawn)


def _strip(obs: dict) -> dict:
    return {k: v for k, v in obs.items() if k != "values"}


def _collect(case, exc: BaseException) -> list[dict]:
    """Mismatch records from what Hypothesis raised (one exception, or a group of distinct ones)."""
    if isinstance(exc, BaseExceptionGroup):
        out = []
        for inner in exc.exceptions:
            out.extend(_collect(case, inner))
        return out
    if isinstance(exc, Mismatch):
        ctx = getattr(exc, "context", {})
        drawn = ctx.get("drawn", {})
        return [
            {
                **exc.record(),
                "dtype": ctx.get("dtype"),
                "inputs": describe_inputs(drawn),
                "torch": ctx.get("torch"),
                "shim": ctx.get("shim"),
                "others": ctx.get("others", []),
                "repro": repro_snippet(case, drawn) if drawn else "",
            }
        ]
    return [
        {
            "kind": "HarnessError",
            "stage": "harness",
            "where": "<harness>",
            "detail": f"{type(exc).__name__}: {exc}",
            "dtype": None,
            "inputs": {},
            "torch": None,
            "shim": None,
            "others": [],
            "repro": "",
        }
    ]


__all__ += ["realize"]
