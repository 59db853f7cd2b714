"""Sleef's float-pair arithmetic (src/libm/df.h in the fused multiply-add forms the AVX2 and AVX512 builds
compile), on float32 arrays.

A pair (x, xy) is the unevaluated sum x + xy of two floats, about 48 bits of a value.  Sleef's u10 functions
keep their reductions and polynomials' last terms in pairs and round once at the end; each helper here is
one of df.h's, its additions in df.h's order (the low parts are not reassociated).  Arguments named `..y`
(the low part) may be None where df.h has the overload for a plain float.  fmapn(a, b, c) = a b - c is
fma(a, b, -c), exact for the error of a product.
"""

from __future__ import annotations

import numpy as np

from .fma import fma32_in_double as fma

__all__ = ["fma", "dfadd", "dfadd2", "dfnormalize", "dfmul", "dfsqu", "dfdiv", "dfrec"]

_ONE = np.float32(1)


def dfadd(x, xy, y, yy=None):
    """dfadd_vf2_*: s = x + y and the error (x - s) + y, then the low parts (|x| >= |y| assumed)."""
    s = x + y
    e = (x - s) + y
    if xy is not None:
        e = e + xy
    return s, e if yy is None else e + yy


def dfnormalize(x, xy):
    """dfnormalize_vf2_vf2: the same pair with its high part the rounded sum."""
    return dfadd(x, None, xy)


def dfadd2(x, xy, y, yy=None):
    """dfadd2_vf2_*: s = x + y with its rounding error kept exactly (any order of magnitude), then the low
    parts (both at once: xy + yy, as dfadd2_vf2_vf2_vf2)."""
    s = x + y
    v = s - x
    e = (x - (s - v)) + (y - v)
    low = xy if yy is None else yy if xy is None else xy + yy
    return s, e if low is None else e + low


def dfmul(x, xy, y, yy=None):
    """dfmul_vf2_vf2_vf (yy None; xy None: dfmul_vf2_vf_vf) and dfmul_vf2_vf2_vf2."""
    s = x * y
    e = fma(x, y, -s)
    if xy is not None:
        e = fma(xy, y, e)
    return s, e if yy is None else fma(x, yy, e)


def dfsqu(x, xy):
    s = x * x
    return s, fma(x + x, xy, fma(x, x, -s))


def dfdiv(nx, ny, dx, dy):
    """dfdiv_vf2_vf2_vf2: the quotient from 1 / d.x and two fused correction steps."""
    t = _ONE / dx
    qx = nx * t
    u = fma(t, nx, -qx)
    qy = fma(-dy, t, fma(-dx, t, _ONE))
    return qx, fma(qx, qy, fma(ny, t, u))


def dfrec(x, xy):
    """dfrec_vf2_vf2: 1 / (x + xy) as a pair."""
    qx = _ONE / x
    return qx, qx * fma(-xy, qx, fma(-x, qx, _ONE))
