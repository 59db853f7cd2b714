"""numpy's floating-point warnings switched off around a kernel: torch's kernels compute inf and NaN
silently, and so must the shim."""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["quiet_numpy", "quiet_call", "quiet_on", "quiet_off"]

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

    # for the hottest paths, without quiet_call's frame: token = quiet_on(); try: ... finally: quiet_off(token)
    quiet_on = functools.partial(_extobj_contextvar.set, _QUIET)
    quiet_off = _extobj_contextvar.reset

except ImportError:  # pragma: no cover - older numpy

    def quiet_numpy():
        return np.errstate(all="ignore")

    def quiet_call(fn, *args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)

    def quiet_on():
        return np.seterr(all="ignore")

    def quiet_off(token):
        np.seterr(**token)
