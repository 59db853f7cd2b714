"""A stateful Hypothesis test: random sequences of ops, views, in-place updates and backward calls run on
torch and the shim in lockstep, compared after every step."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from .backends import get_backend
from .compare import Tolerance, compare
from .observe import describe
from .report.serialize import to_json

TORCH, SHIM = get_backend("torch").xp, get_backend("shim").xp
UNARY = ["exp", "sin", "tanh", "sigmoid", "relu", "abs", "neg", "square", "sqrt"]
BINARY = ["add", "sub", "mul", "div", "maximum"]
VIEWS = ["t", "view_flat", "slice", "select", "unsqueeze", "expand", "transpose"]
INPLACE = ["add_", "mul_", "zero_", "clamp_", "setitem", "exp_"]
INPLACE_WITH = ["mul_", "add_", "div_", "copy_", "setitem", "requires_grad_"]
# A chain of up to a dozen ops multiplies a last-bit kernel difference by the chain's condition number
# (exp(exp(x)) by about exp(x)); each op's own accuracy is held to torch's tolerance by the cases, so the
# machine's job is structure (shapes, dtypes, aliasing, versions, graph), with values to a chain tolerance.
CHAIN_TOLERANCE = Tolerance(scale=100, ulps=4)


def _run(fn):
    """Run fn on both backends; (torch result, shim result), exceptions captured as (class, message)."""
    out = []
    for xp in (TORCH, SHIM):
        try:
            out.append(fn(xp))
        except Exception as e:
            out.append((type(e).__name__, str(e)))
    return out


class Lockstep(RuleBasedStateMachine):
    tensors = Bundle("tensors")

    def __init__(self):
        super().__init__()
        self.leaves = []
        self.all = []

    def _pair(self, pair):
        self.all.append(pair)
        return pair

    def _check_same(self, t_value, s_value, where, version=True):
        if isinstance(t_value, tuple) or isinstance(s_value, tuple):
            assert t_value == s_value, f"{where}: torch {t_value!r}, shim {s_value!r}"
            return
        e = {"result": describe(TORCH, t_value)}
        a = {"result": describe(SHIM, s_value)}
        mismatches = compare(e, a, CHAIN_TOLERANCE, {"aliasing": False, "strides": False, "version": version})
        assert not mismatches, f"{where}: {mismatches[0]}"

    @initialize(
        target=tensors,
        values=st.lists(st.floats(-3, 3), min_size=6, max_size=6),
        dtype=st.sampled_from(["float32", "float64"]),
    )
    def leaf(self, values, dtype):
        arr = np.array(values).reshape(2, 3)
        pair = tuple(xp.tensor(arr, dtype=getattr(xp, dtype), requires_grad=True) for xp in (TORCH, SHIM))
        self.leaves.append(pair)
        return self._pair(pair)

    @initialize(target=tensors, dtype=st.sampled_from(["float32", "float64"]))
    def plain(self, dtype):
        """A tensor that does not require grad: writing a value that does into one of its views rebases it
        (CopySlices) and makes its other views require grad."""
        return self._pair(tuple(xp.zeros(2, 3, dtype=getattr(xp, dtype)) for xp in (TORCH, SHIM)))

    @rule(target=tensors, x=tensors, op=st.sampled_from(UNARY))
    def unary(self, x, op):
        t, s = _run(lambda xp: getattr(x[0] if xp is TORCH else x[1], op)())
        self._check_same(t, s, f"{op}")
        return self._pair((t, s)) if not isinstance(t, tuple) else x

    @rule(target=tensors, x=tensors, y=tensors, op=st.sampled_from(BINARY))
    def binary(self, x, y, op):
        t, s = _run(lambda xp: getattr(xp, op)(*(p[0] if xp is TORCH else p[1] for p in (x, y))))
        self._check_same(t, s, f"{op}")
        return self._pair((t, s)) if not isinstance(t, tuple) else x

    @rule(target=tensors, x=tensors, op=st.sampled_from(VIEWS))
    def view(self, x, op):
        def apply(xp):
            v = x[0] if xp is TORCH else x[1]
            if op == "t":
                return v.t() if v.dim() <= 2 else v.transpose(0, 1)
            if op == "view_flat":
                return v.reshape(-1)
            if op == "slice":
                return v[..., :2] if v.dim() else v
            if op == "select":
                return v[0] if v.dim() else v
            if op == "unsqueeze":
                return v.unsqueeze(0)
            if op == "expand":
                return v.expand(2, *v.shape)
            return v.transpose(-1, 0) if v.dim() else v

        t, s = _run(apply)
        self._check_same(t, s, op)
        return self._pair((t, s)) if not isinstance(t, tuple) else x

    @rule(x=tensors, op=st.sampled_from(INPLACE), no_grad=st.booleans())
    def inplace(self, x, op, no_grad):
        def apply(xp):
            v = x[0] if xp is TORCH else x[1]
            ctx = xp.no_grad() if no_grad else xp.enable_grad()
            with ctx:
                if op == "add_":
                    v.add_(1.5)
                elif op == "mul_":
                    v.mul_(0.5)
                elif op == "zero_":
                    v.zero_()
                elif op == "clamp_":
                    v.clamp_(-1, 1)
                elif op == "exp_":
                    v.exp_()
                else:
                    v[(0,) * max(v.dim(), 1) if v.dim() else ()] = 2.0
            return v

        t, s = _run(apply)
        self._check_same(t, s, f"in-place {op}")

    @rule(x=tensors, y=tensors, op=st.sampled_from(INPLACE_WITH), no_grad=st.booleans())
    def inplace_with(self, x, y, op, no_grad):
        """In-place ops reading another tensor, which may share x's storage (y.mul_(y) saves an operand that
        the write makes stale), and writes of y's values into x (setitem, copy_)."""

        def apply(xp):
            v, w = (x[0], y[0]) if xp is TORCH else (x[1], y[1])
            with xp.no_grad() if no_grad else xp.enable_grad():
                if op == "mul_":
                    v.mul_(w)
                elif op == "add_":
                    v.add_(w)
                elif op == "div_":
                    v.div_(w)
                elif op == "copy_":
                    v.copy_(w)
                elif op == "setitem":
                    v[0] = w.reshape(-1)[0] if w.dim() else w
                else:
                    v.requires_grad_()
            return v

        t, s = _run(apply)
        self._check_same(t, s, f"in-place {op} with another tensor")

    @rule(x=tensors, retain=st.booleans())
    def backward(self, x, retain):
        def apply(xp):
            v = x[0] if xp is TORCH else x[1]
            v.sum().backward(retain_graph=retain)
            return [(p[0] if xp is TORCH else p[1]).grad for p in self.leaves]

        t, s = _run(apply)
        if isinstance(t, tuple) or isinstance(s, tuple):
            assert t == s, f"backward: torch {t!r}, shim {s!r}"
            return
        for i, (tg, sg) in enumerate(zip(t, s)):
            assert (tg is None) == (sg is None), f"grad of leaf {i}: torch {tg!r}, shim {sg!r}"
            if tg is not None:
                # a gradient's _version also counts in-place steps inside torch's derivative formulas
                # (MaximumBackward0's masked_fill_, ...); the shim models only the engine's own
                self._check_same(tg, sg, f"grad of leaf {i}", version=False)

    @invariant()
    def same_state(self):
        for i, (t, s) in enumerate(self.all):
            self._check_same(t, s, f"tensor {i} (requires_grad/grad_fn/version/values)")


def test_lockstep(request):
    """Run the machine; its result joins the report as the case `stateful_lockstep`."""
    examples = int(os.environ.get("CONFORMANCE_STATEFUL_EXAMPLES", "40"))
    started = time.perf_counter()
    failure = None
    try:
        run_state_machine_as_test(
            Lockstep, settings=settings(settings(), max_examples=examples, stateful_step_count=12, deadline=None)
        )
    except AssertionError as exc:
        steps = "\n".join(getattr(exc, "__notes__", [])).split("\nExplanation:", 1)[0]
        failure = {
            "kind": "StatefulMismatch",
            "stage": "stateful",
            "where": str(exc).split(":", 1)[0],
            "detail": str(exc).split("\n", 1)[0],
            "dtype": None,
            "inputs": {},
            "torch": None,
            "shim": None,
            "others": [],
            "repro": "# the shortest failing sequence Hypothesis found (conformance/test_stateful.py)\n" + steps,
        }
    result = {
        "case": "stateful_lockstep",
        "family": "stateful",
        "covers": [
            "views",
            "in-place ops",
            "version counters",
            "backward",
            "grad accumulation",
            "CopySlices",
            "saved operands aliasing an in-place output",
            "leaf and view-of-leaf checks",
        ],  # fmt: skip
        "status": "mismatch" if failure else "pass",
        "examples": examples,
        "seconds": round(time.perf_counter() - started, 3),
        "unsupported_count": 0,
        "unsupported": [],
        "known": [],
        "mismatches": [failure] if failure else [],
        "dtypes": {},
    }
    request.node.user_properties.append(("conformance", json.dumps(to_json(result))))
    if failure:
        pytest.fail(f"{failure['detail']}\n\n{failure['repro']}", pytrace=False)
