"""numpy's floating-point warnings switched off around a kernel: torch's kernels compute inf and NaN
silently, and so must the shim."""

from __future__ import annotations

import numpy as np

__all__ = ["quiet_numpy", "quiet_call"]

try:  # numpy >= 2: set the error state through its context variable, ~20x cheaper than np.errstate
    from numpy._core.umath import _extobj_contextvar, _make_extobj

    _QUIET = _make_extobj(all="ignore")

    class quiet_numpy:
        __slots__ = ("token",)

        def __enter__(self):
            self.token = _extobj_contextvar.set(_QUIET)

        def __exit__(self, *exc):
            _extobj_contextvar.reset(self.token)

    def quiet_call(fn, *args, **kwargs):
        token = _extobj_contextvar.set(_QUIET)
        try:
            return fn(*args, **kwargs)
        finally:
            _extobj_contextvar.reset(token)

except ImportError:  # pragma: no cover - older numpy

    def quiet_numpy():
        return np.errstate(all="ignore")

    def quiet_call(fn, *args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
