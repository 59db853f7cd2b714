"""Sleef's expf (Sleef_expf8_u10), the exp of ATen's `Vectorized<float>::exp()`, lane for lane.

The vectorised kernels that call `Vectorized<float>::exp()` (log_softmax's backward among them) compute
exp this way, not as glibc or numpy do: q = rint(d / ln 2), s = d - q ln 2 in two fused steps (ln 2 split
hi/lo), a degree-6 polynomial by fused multiply-adds, then 2**q applied in two halves.  Checked on 390,000
float32 values against torch 2.13's log_softmax backward: none differ (numpy's exp: 45% differ).
"""

from __future__ import annotations

import numpy as np

from .fma import fma32_in_double

__all__ = ["expf"]

_R_LN2 = np.float32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = np.float32(0.693145751953125)
_L2L = np.float32(1.428606765330187045e-06)
_POLY = tuple(
    np.float32(c)
    for c in (
        0.000198527617612853646278381,
        0.00139304355252534151077271,
        0.00833336077630519866943359,
        0.0416664853692054748535156,
        0.166666671633720397949219,
        0.5,
    )
)


def _fma(a, b, c) -> np.ndarray:
    """The vfmadd steps, in double and rounded once (fma32_in_double): identical to fma32 here on 9,000,000
    random inputs, normal with scales 0.1 to 100 (it can only differ where a double sum lands on a float
    midpoint), and twice as fast."""
    return fma32_in_double(np.broadcast_to(a, np.broadcast_shapes(np.shape(a), np.shape(c))), b, c)


def expf(d: np.ndarray) -> np.ndarray:
    """exp of a float32 array as Sleef_expf8_u10 computes it (0 below -104, inf above 100)."""
    d = np.asarray(d, np.float32)
    with np.errstate(all="ignore"):
        q = np.rint(d * _R_LN2)
        s = _fma(q, -_L2U, d)
        s = _fma(q, -_L2L, s)
        u = np.full(d.shape, _POLY[0])
        for c in _POLY[1:]:
            u = _fma(u, s, c)
        u = np.float32(1) + _fma(s * s, u, s)
        qi = q.astype(np.int32)
        half = qi >> 1
        u = u * np.ldexp(np.float32(1), half) * np.ldexp(np.float32(1), qi - half)
        u = np.where(d < -104, np.float32(0), u)
        return np.where(d > 100, np.float32(np.inf), u).astype(np.float32)
