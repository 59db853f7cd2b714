"""`Case` and the `@case` decorator: a case is written once against `xp` (torch or shim)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import strategies as st

from .compare import Tolerance

__all__ = ["Case", "case", "CASES", "load_cases"]

CASES: dict[str, Case] = {}


@dataclass(eq=False)
class Case:
    name: str
    fn: Callable
    inputs: dict  # argument name -> strategy
    family: str
    covers: tuple = ()
    grad: bool = False
    tolerance: Tolerance = field(default_factory=Tolerance)
    options: dict = field(default_factory=dict)  # compare options: repr/strides/version/aliasing/warnings
    expect_error: bool = False  # an error-parity case: torch raising and the shim not is a mismatch
    max_examples: int | None = None  # at least this many examples in every profile
    forms: int = 1  # a case drawing one of several forms runs this many times the profile's examples
    dtype_of: str | None = None  # which input's dtype names the case's dtype in reports

    def strategy(self) -> st.SearchStrategy:
        """All inputs plus the seed of the random upstream gradient, drawn together."""
        parts = dict(self.inputs)
        if self.grad:
            parts["grad_seed"] = st.integers(0, 2**32 - 1)
        return st.fixed_dictionaries(parts)

    def source(self) -> str:
        """The case body as source, without its decorator (for repro snippets)."""
        src = textwrap.dedent(inspect.getsource(self.fn))
        lines = src.splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def "))
        return "\n".join(lines[start:])


def case(
    *,
    covers=(),
    grad=False,
    exact=False,
    scale=1.0,
    ulps=0,
    repr=True,
    strides=True,
    version=True,
    aliasing=True,
    warnings=True,
    expect_error=False,
    max_examples=None,
    forms=1,
    dtype_of=None,
    name=None,
    **inputs,
):
    """Register a case.  Keyword arguments other than the options are the named input strategies."""

    def deco(fn):
        module = fn.__module__.rsplit(".", 1)[-1]
        case_name = name or fn.__name__
        if case_name in CASES:
            raise ValueError(f"duplicate case name {case_name!r}")
        params = inspect.signature(fn).parameters
        missing = [p for p in list(params)[1:] if p not in inputs and params[p].default is inspect.Parameter.empty]
        if missing:  # (an input named like an option, `scale`, is taken as the option: every example would raise)
            raise ValueError(f"case {case_name!r}: no input strategy for {', '.join(missing)}")
        for arg, strategy in inputs.items():
            if not isinstance(strategy, st.SearchStrategy):
                inputs[arg] = st.just(strategy)
        CASES[case_name] = Case(
            name=case_name,
            fn=fn,
            inputs=inputs,
            family=module,
            covers=tuple(covers),
            grad=grad,
            tolerance=Tolerance(exact=exact, scale=scale, ulps=ulps),
            options={"repr": repr, "strides": strides, "version": version, "aliasing": aliasing, "warnings": warnings},
            expect_error=expect_error,
            max_examples=max_examples,
            forms=forms,
            dtype_of=dtype_of,
        )
        return fn

    return deco


def load_cases() -> dict[str, Case]:
    """Import every module of conformance.cases (registration happens on import)."""
    from . import cases

    for info in pkgutil.iter_modules(cases.__path__):
        importlib.import_module(f"{cases.__name__}.{info.name}")
    return CASES
