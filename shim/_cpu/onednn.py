"""oneDNN's float32 GELU (erf form) as torch calls it, lane for lane: at::native's gelu and gelu_backward
hand a contiguous float input of more than one element to ideep's eltwise primitives (`use_mkldnn`), whose
JIT kernels are src/cpu/x64/injectors/jit_uni_eltwise_injector.cpp: every table constant by its bits, the
tail lanes computed as the others, every fused multiply-add as its product (exact in double) plus the addend
rounded once to float (fma32_in_double: wrong only where that double sum lands on a float midpoint, which
happens for none of these kernels' steps: on all 2**32 inputs they equal the same kernels with exact fma32
steps, at half the cost).

- forward, avx512_core: erf(x / sqrt 2) as one of 24 minimax polynomials of degree 5 in |x|, picked by the
  float's exponent and top two mantissa bits (1 + that erf cancels: -0 from x = -5.54 on);
- forward, avx2 (a CPU without AVX512, or ONEDNN_MAX_CPU_ISA=AVX2): Abramowitz and Stegun's 7.1.26,
  1 - t P(t) exp(-x**2) with t = 1 / (1 + p |x|), over oneDNN's own exp;
- backward, either ISA: the same erf, and x / sqrt(pi) exp(-x**2), for the derivative
  (1 + erf) / 2 + x exp(-x**2 / 2) / sqrt(2 pi), times the incoming gradient.

Equal to torch 2.13 on all 2**32 float32 inputs (`python -m bench.float_math --exhaustive gelu` and
gelu_backward; the avx2 forward under ONEDNN_MAX_CPU_ISA=AVX2), and with expanded and transposed gradients
(tests/test_gelu.py has the facts)."""

from __future__ import annotations

import numpy as np

from .capability import onednn_avx512
from .fma import fma32_in_double, horner32_in_double
from .quiet import quiet_numpy

__all__ = ["gelu_erf", "gelu_erf_backward"]

_F32 = np.float32
_ONE, _HALF, _TWO = _F32(1), _F32(0.5), _F32(2)
_SIGN = np.uint32(0x80000000)
_ABS = np.int32(0x7FFFFFFF)


def _floats(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint32).view(np.float32)


# exp_compute_vector_fwd: the clamp to [ln FLT_MIN, ln FLT_MAX], log2(e), ln 2 and p1..p5
_LN_FLT_MIN, _LN_FLT_MAX, _LOG2E, _LN2 = _floats(0xC2AEAC50, 0x42B17218, 0x3FB8AA3B, 0x3F317218)
_EXP_POL = _floats(0x3F7FFFFB, 0x3EFFFEE3, 0x3E2AAD40, 0x3D2B9D0D, 0x3C07CFCE)

# gelu_erf_Abramowitz_Stegun: p, 1 / sqrt 2, 1 / sqrt pi and p1..p5
_AS_P, _SQRT1_2, _SQRT1_PI = _floats(0x3EA7BA05, 0x3F3504F3, 0x3F106EBA)
_AS_POL = _floats(0x3E827906, 0xBE91A98E, 0x3FB5F0E3, 0xBFBA00E3, 0x3F87DC22)

# gelu_erf_minimax: the index bias (as the int32 0xc21fffff), the bound past which erf is 1 (polynomial 23),
# and the coefficients of degrees 0..5, one row per degree, one column per polynomial (24 and their padding)
_IDX_BIAS = np.int32(-0x3DE00001)
_RBOUND = _floats(0x40B15CEE)[0]
_MINIMAX = np.array(
    [
        [0xA6F2CB94, 0x32827792, 0x3381CC0C, 0x34523D4A, 0x351AC44D, 0x35F36D88, 0x36EE8229, 0x37B8A3BB,
         0x3867A213, 0x3940033B, 0x3A2A5A1D, 0x3AE35863, 0x3B7828F2, 0x3C08B14B, 0x3C515ED3, 0xBB503236,
         0xBD8D8E5E, 0xBE8ABCD9, 0xBF0C19A2, 0xBECCB328, 0x3E176CED, 0x3F470D99, 0x3F7ABB28, 0x3F800000, 0],
        [0x3F4C422A, 0x3F4C421F, 0x3F4C4207, 0x3F4C41CB, 0x3F4C413B, 0x3F4C3FAD, 0x3F4C3A2F, 0x3F4C2D40,
         0x3F4C146A, 0x3F4BC341, 0x3F4AD08C, 0x3F48F8CF, 0x3F45FAC7, 0x3F404E07, 0x3F3B980F, 0x3F48DFF3,
         0x3F78B21B, 0x3FBB0704, 0x40019C32, 0x3FE536D6, 0x3F81331E, 0x3E6C8684, 0x3C98F936, 0, 0x3F800000],
        [0xB62173F4, 0x3735E4CF, 0x37F2FF89, 0x388C23BE, 0x3917535C, 0x39AB2AB0, 0x3A60FADB, 0x3AF9B960,
         0x3B6E5491, 0x3C0A4EC5, 0x3CA5AA8C, 0x3D2138D9, 0x3D8737D4, 0x3DDFB660, 0x3E0F27AB, 0x3D94004B,
         0xBE0EFDEB, 0xBF1D96C3, 0xBF89DB58, 0xBF6D9897, 0xBEF69FB8, 0xBDC4F8A8, 0xBBDE6422, 0, 0],
        [0xBE081A19, 0xBE084570, 0xBE08639B, 0xBE089837, 0xBE08F409, 0xBE09AB95, 0xBE0B66D0, 0xBE0E400A,
         0xBE124DF8, 0xBE1BDE02, 0xBE2F19C9, 0xBE4931BF, 0xBE685FBC, 0xBE89C95F, 0xBE96CBCA, 0xBE8044AA,
         0xBE0550F2, 0x3DCFD6A1, 0x3E94C826, 0x3E79345F, 0x3DECEC91, 0x3CA46568, 0x3AA1E00A, 0, 0],
        [0xBA3D61DB, 0x39F097A3, 0x3A5845DC, 0x3AB1FA35, 0x3B0CEFB8, 0x3B653AB6, 0x3BCAE527, 0x3C221712,
         0x3C6C5840, 0x3CC0A703, 0x3D1DCC19, 0x3D63656D, 0x3D955907, 0x3DBF9910, 0x3DD53F69, 0x3DB7DCEF,
         0x3D639EBE, 0xBA6EDE48, 0xBD22BE69, 0xBD041CF1, 0xBC64F5AB, 0xBB097A32, 0xB8EBF380, 0, 0],
        [0x3CB7D80C, 0x3C9B6050, 0x3C978D11, 0x3C92E850, 0x3C8D058B, 0x3C848454, 0x3C6CD623, 0x3C4C824B,
         0x3C2A7935, 0x3BE0B390, 0x3B0651AC, 0xBB232F53, 0xBBD42FA0, 0xBC2C5366, 0xBC492C9E, 0xBC2A7AA6,
         0xBBD55D04, 0xBA823A76, 0x3B102AA8, 0x3AE25A7E, 0x3A31F792, 0x38B84375, 0x3689BB5A, 0, 0],
    ],
    np.uint32,
).view(np.float32)  # fmt: skip
_MINIMAX64 = _MINIMAX.astype(np.float64)
_EXP_STEPS = (*_EXP_POL[::-1], _ONE)  # (p5 first: the chain's u starts as it)
_AS_STEPS = tuple(_AS_POL[::-1])


def _with_sign_of(value: np.ndarray, x: np.ndarray) -> np.ndarray:
    """vxorps with x's sign bit: value's sign flipped where x is negative."""
    return (value.view(np.uint32) ^ (x.view(np.uint32) & _SIGN)).view(np.float32)


def _exp(v: np.ndarray) -> np.ndarray:
    """exp_compute_vector_fwd: v clamped to [ln FLT_MIN, ln FLT_MAX] (vminps/vmaxps: a NaN takes the bound),
    n = floor(v log2(e) + 1/2), r = v - n ln 2 fused, a degree-5 polynomial by fused steps, times 2**(n-1)
    and by 2.  (oneDNN writes 0 for 2**(n-1) below ln FLT_MIN; there n - 1 = -127, whose exponent field, 0,
    makes that zero already.)"""
    v = np.where(v < _LN_FLT_MAX, v, _LN_FLT_MAX)
    v = np.where(v > _LN_FLT_MIN, v, _LN_FLT_MIN)
    n = np.floor(v * _LOG2E + _HALF)
    r = fma32_in_double(-n, _LN2, v)
    scale = ((n - _ONE).astype(np.int32) + 127) << 23
    p = horner32_in_double(r, _EXP_STEPS)
    p *= scale.view(np.float32)
    p *= _TWO
    return p


def _erf_abramowitz_stegun(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(erf x, exp(-x**2)) as the avx2 forward and the backward compute them: t = 1 / fma(p, |x|, 1),
    erf = fma(-exp(-x**2) t, P(t), 1) with x's sign."""
    t = _ONE / fma32_in_double(_AS_P, np.abs(x), _ONE)
    q = _exp(-(x * x))
    p = horner32_in_double(t, _AS_STEPS)
    return _with_sign_of(fma32_in_double(-q * t, p, _ONE), x), q


def _gelu_minimax(x: np.ndarray) -> np.ndarray:
    """gelu_erf_minimax_approx_compute_vector_fwd: the polynomial's index is (bits(|x|) + bias) >> 21,
    clamped to [1, 24], and 23 (erf = 1) past the bound; x (1 + erf) / 2."""
    magnitude = x.view(np.int32) & _ABS
    index = (magnitude + _IDX_BIAS) >> 21
    np.clip(index, 1, 24, out=index)
    positive = magnitude.view(np.float32)
    index[_RBOUND < positive] = 23
    erf = horner32_in_double(positive, [_MINIMAX64[degree].take(index) for degree in range(5, -1, -1)])
    return (x * (_with_sign_of(erf, x) + _ONE)) * _HALF


def _gelu_abramowitz_stegun(x: np.ndarray) -> np.ndarray:
    """gelu_erf_compute_vector_fwd below avx512: x/2 + x/2 erf(x / sqrt 2), fused."""
    half = x * _HALF
    return fma32_in_double(_erf_abramowitz_stegun(x * _SQRT1_2)[0], half, half)


def gelu_erf(x: np.ndarray) -> np.ndarray:
    """oneDNN's GELU (erf form) of a float32 array, by the kernel this machine's oneDNN runs."""
    with quiet_numpy():
        return _gelu_minimax(x) if onednn_avx512() else _gelu_abramowitz_stegun(x)


def gelu_erf_backward(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """gelu_erf_compute_vector_bwd times the incoming gradient: (T + 1/2) + erf / 2 fused, with
    T = r / sqrt(pi) exp(-r**2) and r = x / sqrt 2."""
    with quiet_numpy():
        r = x * _SQRT1_2
        erf, q = _erf_abramowitz_stegun(r)
        t = r * _SQRT1_PI
        t *= q
        t += _HALF
        return grad * fma32_in_double(erf, _HALF, t)
