"""torch's AVX2 float32 Box-Muller (`normal_fill_16_AVX2`), lane for lane.

torch 2.13's CPU `normal_` for >= 16 contiguous float32 elements runs `log256_ps` and `sincos256_ps` from
aten/src/ATen/native/cpu/avx_mathfun.h (Cephes polynomials, after Pommier's sse_mathfun) on blocks of
8 lanes.  The release build (GCC 13, -O2 -mavx2 -mfma) contracted some multiply/add pairs into FMAs;
the steps below follow the header's order and names, with `fma` wherever the compiled code fuses and
the product is not exact anyway.  Every array here is float32 with a trailing axis of 8 lanes (or any
shape: the lanes are independent).

Speed: the FMAs default to `fma32_in_double`, which skips fma32's midpoint check.  tests/test_random.py
runs both kernels on every one of the 2**24 inputs the Box-Muller can give them (1 - k/2**24 and
2*pi*k/2**24) and finds them identical with either; the other steps work in place, without `np.where`.
"""

from __future__ import annotations

import numpy as np

from .fma import fma32, fma32_in_double, horner32_in_double

__all__ = ["log256_ps", "sincos256_ps", "normal_fill_16_avx2"]

_f32 = np.float32
_ONE = _f32(1.0)
_HALF = _f32(0.5)
_MIN_NORM_POS = np.array(0x00800000, np.uint32).view(np.float32)
_INV_MANT_MASK = np.uint32(~0x7F800000 & 0xFFFFFFFF)
_HALF_BITS = np.array(0.5, np.float32).view(np.uint32)

_SQRTHF = _f32(0.707106781186547524)
_LOG_P = [
    _f32(v)
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
]
_LOG_Q1 = _f32(-2.12194440e-4)
_LOG_Q2 = _f32(0.693359375)

_MINUS_DP1 = _f32(-0.78515625)
_MINUS_DP2 = _f32(-2.4187564849853515625e-4)
_MINUS_DP3 = _f32(-3.77489497744594108e-8)
_SINCOF = [_f32(-1.9515295891e-4), _f32(8.3321608736e-3), _f32(-1.6666654611e-1)]
_COSCOF = [_f32(2.443315711809948e-005), _f32(-1.388731625493765e-003), _f32(4.166664568298827e-002)]
_FOPI = _f32(1.27323954473516)  # 4 / pi
_SIGN = np.uint32(0x80000000)

_TWO_PI = _f32(2.0 * np.pi)
_MINUS_TWO = _f32(-2.0)


def _horner(x: np.ndarray, coefficients: list, fma) -> np.ndarray:
    """The header's fused Horner steps: y = c0 x + c1, then y x + c."""
    if fma is fma32_in_double:
        return horner32_in_double(x, coefficients)
    y = fma(x, coefficients[0], coefficients[1])
    for c in coefficients[2:]:
        y = fma(y, x, c)
    return y


def log256_ps(x: np.ndarray, fma=fma32_in_double) -> np.ndarray:
    """Natural log of positive floats (the callers never pass x <= 0)."""
    x = np.maximum(x, _MIN_NORM_POS)  # cut off denormals
    bits = x.view(np.uint32)
    e = (bits >> np.uint32(23)).astype(np.float32)
    e -= _f32(0x7F - 1)  # (imm0 - 0x7f) + 1, exact in float
    bits &= _INV_MANT_MASK  # keep the mantissa, in [0.5, 1)
    bits |= _HALF_BITS
    mask = x < _SQRTHF
    tmp = x * mask  # x where the mask is set, else +0 (the header's and_ps)
    x -= _ONE
    e -= mask
    x += tmp
    z = x * x
    y = _horner(x, _LOG_P, fma)  # fused Horner steps
    y *= x
    y = fma(y, z, e * _LOG_Q1)  # y*z + e*q1
    z *= _HALF  # z*0.5 is exact: vfnmadd rounds as the subtraction does
    y -= z
    x += y
    e *= _LOG_Q2  # e*q2 is exact (9-bit constant, small integer e)
    x += e
    return x


def sincos256_ps(x: np.ndarray, fma=fma32_in_double) -> tuple[np.ndarray, np.ndarray]:
    """(sin x, cos x) by the Cephes sinf/cosf reduction to [-pi/4, pi/4]."""
    sign_bit_sin = x.view(np.uint32) & _SIGN
    x = np.abs(x)
    imm2 = (x * _FOPI).astype(np.int32)  # truncation, as cvttps
    imm2 += np.int32(1)
    imm2 &= np.int32(~1)
    y = imm2.astype(np.float32)
    swap_sign_bit_sin = ((imm2 & np.int32(4)) << np.int32(29)).view(np.uint32)
    poly_mask = (imm2 & np.int32(2)) == 0

    # extended precision modular arithmetic: x = ((x - y*DP1) - y*DP2) - y*DP3, each step fused;
    # y is a small integer, so y*DP1 and y*DP2 are exact and only the last fusion changes a bit
    x += y * _MINUS_DP1
    x += y * _MINUS_DP2
    x = fma(y, _MINUS_DP3, x)

    imm2 -= np.int32(2)  # imm4
    np.invert(imm2, out=imm2)
    imm2 &= np.int32(4)
    imm2 <<= np.int32(29)
    sign_bit_cos = imm2.view(np.uint32)
    sign_bit_sin ^= swap_sign_bit_sin

    z = x * x
    y = _horner(z, _COSCOF, fma)
    y *= z
    y = fma(y, z, -(z * _HALF))  # z*y - 0.5z: vfmsub
    y += _ONE

    y2 = _horner(z, _SINCOF, fma)
    y2 *= z
    y2 = fma(y2, x, x)

    # select by poly_mask, as the header's and/andnot do: sin takes y2 where it is set and y elsewhere
    keep = poly_mask.view(np.uint8).astype(np.uint32)
    keep *= np.uint32(0xFFFFFFFF)
    ysin2 = (y2.view(np.uint32) & keep).view(np.float32)
    np.invert(keep, out=keep)
    ysin1 = (y.view(np.uint32) & keep).view(np.float32)
    y2 -= ysin2
    y -= ysin1
    s = (ysin1 + ysin2).view(np.uint32)
    c = (y + y2).view(np.uint32)
    s ^= sign_bit_sin
    c ^= sign_bit_cos
    return s.view(np.float32), c.view(np.float32)


def normal_fill_16_avx2(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Box-Muller over blocks of 16 uniforms, shape (n, 16) float32: lanes 0-7 give r*cos, 8-15 r*sin."""
    u1 = _ONE - blocks[:, :8]
    u2 = blocks[:, 8:]
    radius = _MINUS_TWO * log256_ps(u1)
    np.sqrt(radius, out=radius)
    sintheta, costheta = sincos256_ps(_TWO_PI * u2)
    out = np.empty_like(blocks)
    n1, n2 = out[:, :8], out[:, 8:]
    np.multiply(radius, costheta, out=n1)
    np.multiply(radius, sintheta, out=n2)
    mean32, std32 = _f32(mean), _f32(std)
    if std32 == _ONE:  # fma(n, 1, mean) rounds as n + mean does
        out += mean32
    else:
        out[...] = fma32(out, std32, mean32)
    return out
