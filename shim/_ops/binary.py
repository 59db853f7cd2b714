"""Binary elementwise ops: one table row each, and every Python form torch offers (function, method,
operator, reflected operator, in-place, out=)."""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import _dtypes
from .._cpu import c10_complex, sleef, vml
from .._cpu.fma import fma32, fma64
from .._cpu.libm import glibc_atan2, glibc_cpow, glibc_exp2f, glibc_expf, glibc_pow, glibc_powf, libm_function
from .._cpu.sleef_double import atan2d, exp2d, expd, hypotd, log1pd, powd
from .._dispatch import binary_result_type, check_inplace, is_scalar, scalar_value
from .._dtypes import COMPLEX, INT
from .._registry import register
from .._tensor import Tensor
from .elementwise import (
    Pointwise,
    ScalarLoopRule,
    binary,
    binary_plain,
    binary_plain_scalar,
    formula,
    not_implemented_formula,
    unary,
    vector_formula,
)
from .unary import C_EXP

__all__ = ["BINARY", "pow_scalar"]


# -- kernels with torch's semantics where numpy's differ ----------------------------------------------
def _check_int_zero(a, b) -> None:
    if not np.all(b) and np.broadcast(a, b).size:
        raise RuntimeError("ZeroDivisionError")


def _remainder(a, b):
    """The sign of the divisor, and fmod's -0 kept (numpy gives +0 where torch gives -0)."""
    if a.dtype.kind in "fc":
        m = np.fmod(a, b)
        return np.where((m != 0) & ((b < 0) != (m < 0)), m + b, m)
    _check_int_zero(a, b)
    return np.remainder(a, b)


def _fmod(a, b):
    if a.dtype.kind in "iub":
        _check_int_zero(a, b)
    return np.fmod(a, b)


def _floor_divide(a, b):
    if a.dtype.kind in "iu":
        _check_int_zero(a, b)
        return np.floor_divide(a, b)
    # c10::div_floor_floating
    mod = np.fmod(a, b)
    div = (a - mod) / b
    div = np.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    floordiv = np.floor(div)
    floordiv = np.where(div - floordiv > 0.5, floordiv + 1, floordiv)
    zero = np.copysign(np.zeros_like(div), a / b)
    return np.where(b == 0, a / b, np.where(div == 0, zero, floordiv))


def _trunc_divide(a, b):
    if a.dtype.kind in "iu":
        _check_int_zero(a, b)
        q = np.floor_divide(a, b)
        r = np.remainder(a, b)
        return np.where((r != 0) & ((a < 0) != (b < 0)), q + a.dtype.type(1), q).astype(a.dtype)
    return np.trunc(a / b)


def _int_pow(a, b):
    """Integer powers; negative exponents give 1/x**n truncated, as torch computes them."""
    b = np.asarray(b)
    if not np.any(b < 0):
        return np.power(a, b)
    neg = b < 0
    r = np.power(a, np.where(neg, 0, b))
    inv = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0)).astype(r.dtype)
    return np.where(neg, inv, r)


def _c_pow(a, b):
    """C's pow (glibc's powf and pow for float and double, as torch's scalar loop calls them).  numpy's power
    takes sqrt for an exponent of 0.5 broadcast over the base, which differs at -0 (C gives +0) and -inf (C
    gives +inf, sqrt NaN)."""
    if getattr(a, "dtype", None) == np.float32 and getattr(b, "dtype", None) == np.float32:
        return glibc_powf(a, b)
    if getattr(a, "dtype", None) == np.float64 and np.result_type(a, b) == np.float64:
        return glibc_pow(a, b)
    if np.result_type(a, b).kind == "c":
        return glibc_cpow(a, b)
    r = np.power(a, b)
    if r.dtype.kind == "f" and np.any(b == 0.5):
        r = np.where((b == 0.5) & (a == 0), r.dtype.type(0), r)
        r = np.where((b == 0.5) & np.isneginf(a), r.dtype.type(np.inf), r)
    return r


def _pow(a, b):
    return _int_pow(a, b) if a.dtype.kind in "iu" else _c_pow(a, b)


def _square(a):
    return a * a


# torch's pow(Tensor, Scalar) fast paths by exponent (the square of a complex: c10::complex's product,
# contracted: re = fma(a, c, -bd)); sqrt is torch's sqrt kernel, MKL's for float32
_POW_FAST_PATHS = {
    0.5: vml.sqrt,
    -0.5: lambda a: 1 / np.sqrt(a),
    -1: lambda a: 1 / a,
    2: _square,
    3: lambda a: a * a * a,
    -2: lambda a: 1 / (a * a),
}


def _pow_scalar_exponent(a, e):
    """torch's pow(Tensor, Scalar), `e` the Python exponent: fast paths x*x, x*x*x, sqrt, rsqrt,
    reciprocal, 1/(x*x); otherwise std::pow with a double exponent (float, double) or in float with a
    float16 exponent (half)."""
    kind = a.dtype.kind
    if kind == "f" and a.itemsize == 2:  # no fast paths for half: powf(float(x), float(half(e)))
        return _c_pow(a.astype(np.float32), np.float32(np.float16(e))).astype(np.float16)
    if kind in "fc":
        fast = _POW_FAST_PATHS.get(e.item() if isinstance(e, (np.generic, np.ndarray)) else e)
        if fast is not None:
            return c10_complex.product(a, a, fused=True) if fast is _square and kind == "c" else fast(a)
        if a.dtype == np.float32:
            return np.power(a.astype(np.float64), np.float64(e)).astype(np.float32)
        if kind == "c":  # std::pow(base, complex(exp)), the exponent in the base's type
            return glibc_cpow(a, np.asarray(e, a.dtype))
        return glibc_pow(a, e)
    return _int_pow(a, e)


def _maximum(a, b):
    """std::max(a, b) with NaN propagation, as torch's scalar loop: ties (-0 vs 0) keep `a`."""
    r = np.where(a < b, b, a)
    if r.dtype.kind == "f":
        r = np.where(np.isnan(a) | np.isnan(b), np.asarray(np.nan, r.dtype), r)
    return r


def _minimum(a, b):
    r = np.where(b < a, b, a)
    if r.dtype.kind == "f":
        r = np.where(np.isnan(a) | np.isnan(b), np.asarray(np.nan, r.dtype), r)
    return r


# pow_tensor_scalar_optimized_kernel's exponents with a kernel of their own (x * x, sqrt, ...), the same in
# both loops; any other exponent: std::pow in the scalar loop, Sleef's powf in the vector loop
_FAST_EXPONENTS = (2, 3, 0.5, -0.5, -1, -2)


def _pow_scalar_sleef(r, where, a, e):
    """float's vectorized pow(Tensor, Scalar): Sleef's powf with the exponent as a float (Vectorized<float>(
    exp)); the scalar loop calls the double pow with the double exponent.  Besides the last bit they part where
    rounding changes the exponent's kind: -1e-177 becomes -0 (x ** -0 is 1), 2 + 1e-9 an even integer.
    double's: Sleef's pow."""
    base = np.broadcast_to(a, r.shape)[where]
    r[where] = powd(base, e) if r.dtype == np.float64 else sleef.powf(base, np.float32(e))


def _pow_scalar_loop(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    """pow(Tensor, Scalar)'s scalar loop on the elements outside the vector lanes (e broadcast with them):
    std::pow with the double exponent, float's in double and rounded once."""
    if a.dtype == np.float32:
        return np.power(a.astype(np.float64), e.astype(np.float64)).astype(np.float32)
    return glibc_pow(a, e)


# (long results: numpy's power until the vector loop's lanes are known, the C library's only outside them)
_pow_scalar_sleef.approximate, _pow_scalar_sleef.scalar_loop = np.power, _pow_scalar_loop


def _atan2_sleef(r, where, a, b):
    """float's vectorized atan2 is Sleef's atan2f (the scalar loop: glibc's), half's too (in float, rounded
    once); double's Sleef's atan2."""
    a, b = np.broadcast_to(a, r.shape)[where], np.broadcast_to(b, r.shape)[where]
    if r.dtype == np.float64:
        r[where] = atan2d(a, b)
    else:
        r[where] = sleef.atan2f(a.astype(np.float32, copy=False), b.astype(np.float32, copy=False))


# (long results: numpy's atan2 until the vector loop's lanes are known, glibc's only outside them)
_atan2_sleef.approximate, _atan2_sleef.scalar_loop = np.arctan2, glibc_atan2


def _hypot_sleef(r, where, a, b):
    """double's vectorized hypot: Sleef's hypot (u05; the scalar loop's, glibc's, is numpy's here)."""
    r[where] = hypotd(np.broadcast_to(a, r.shape)[where], np.broadcast_to(b, r.shape)[where])


def _pow_sleef(r, where, a, b):
    """float's and double's vectorized pow(Tensor, Tensor) is Sleef's pow (the scalar loop: glibc's)."""
    a, b = np.broadcast_to(a, r.shape)[where], np.broadcast_to(b, r.shape)[where]
    r[where] = powd(a, b) if r.dtype == np.float64 else sleef.powf(a, b)


# (long results: numpy's power until the vector loop's lanes are known, the C library's only outside them)
_pow_sleef.approximate, _pow_sleef.scalar_loop = np.power, _c_pow


def _complex_power_simd(r, where, a, e):
    """Complex x*x and x*x*x: the scalar loop's std::complex product contracts re = ac - bd into one fused
    multiply-add (numpy's product does too); Vectorized<complex>::operator* rounds both products first."""
    if e in (2, 3):
        value = c10_complex.product(a, a)
        np.copyto(r, value if e == 2 else c10_complex.product(value, a), where=where)


def _half_fmadd(r, where, a, b, alpha=None):
    """Half's vectorized add with alpha: vec::fmadd(b, alpha, a) in float, rounded to half once (the
    scalar loop rounds alpha * b to half first).  Without alpha the two loops agree."""
    if alpha is not None:
        np.copyto(r, fma32(b, alpha, a).astype(np.float16), where=where)


def _nextafter(x, y):
    """C's nextafter, which answers y where x == y (numpy's half loop answers x: 0 toward -0)."""
    r = np.nextafter(x, y)
    return np.where(x == y, y, r) if r.dtype == np.float16 else r


def _toward_zero(x):
    """Sleef's toward0: one ulp toward zero (x > 0)."""
    return np.nextafter(x, x.dtype.type(0))


def _fmod_overflow_nan(r, where, a, b):
    """Vectorized<T>::fmod is Sleef's xfmod, which estimates the quotient as toward0(|a|) * toward0(1/|b|)
    (subnormal |b| and |a| first scaled by 2**25, 2**54 for double): where that overflows its answer is
    NaN; C's fmod is exact there.  remainder builds on it."""
    nu, de = np.abs(a), np.abs(b)
    scale = nu.dtype.type(2.0**25 if nu.dtype == np.float32 else 2.0**54)
    small = de < np.finfo(de.dtype).tiny
    nu, de = np.where(small, nu * scale, nu), np.where(small, de * scale, de)
    quotient = _toward_zero(nu) * _toward_zero(1 / de)
    nan = where & np.isinf(quotient) & np.isfinite(a) & (b != 0) & (nu >= de)
    np.copyto(r, np.asarray(np.nan, r.dtype), where=nan)


def _ties_to_second(r, where, a, b):
    """Vectorized<T>::maximum/minimum (_mm256_max_ps, _mm256_min_ps) answer `b` where a == b (-0 vs 0);
    the scalar loop answered `a`."""
    np.copyto(r, np.broadcast_to(b, r.shape), where=where & (a == b), casting="unsafe")


def _not_implemented_input(what: str) -> tuple:
    """A derivative derivatives.yaml marks not_implemented: backward raises NotImplementedError."""

    def back(F, g):
        raise NotImplementedError(f"the derivative for '{what}' is not implemented.")

    return formula(back)


def _multiply(a, b):
    """Complex products as mul's scalar loop computes them: c10::complex's (ac - bd) + (ad + bc)i, which the
    compiler contracts into fma(a, c, -(b d)) and fma(a, d, b c) for double but not for float (measured on
    3,000 products each); the vector loop rounds each product (_complex_mul_simd)."""
    if np.result_type(a, b).kind != "c":
        return np.multiply(a, b)
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b)
    a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    return c10_complex.product(a, b, fused=dtype == np.complex128)


def _complex_mul_simd(r, where, a, b, alpha=None):
    """Vectorized<complex>::operator*: ac - bd and ad + bc with each product rounded (hsub of the products)."""
    np.copyto(r, c10_complex.product(a, b), where=where)


def _complex64_fused_tails(count: int, broadcast: bool) -> np.ndarray:
    """Which of the `count` elements a contiguous complex64 row leaves after its blocks GCC's vectorized copy of
    mul's scalar loop computes with fused multiply-adds (measured on every count, with random products):
    with every operand stepping by one element, the pairs (a last odd element: rounded products); with one
    a broadcast scalar, the second to fifth where five or more are left (none below)."""
    if not broadcast:
        return _pairs(count, broadcast)
    fused = np.zeros(count, bool)
    if count >= 5:
        fused[1:5] = True
    return fused


def _pairs(count: int, broadcast: bool) -> np.ndarray:
    """The pairs of a run (all but an odd last element): what GCC's pairwise copy of a complex64 scalar loop
    computes; a strided row's, broadcast operand or not (mul: fused products)."""
    fused = np.zeros(count, bool)
    fused[: count - count % 2] = True
    return fused


def _complex64_mul_simd(r, where, a, b, alpha=None):
    """complex64's vector loop, as complex128's (its own function: it carries complex64's remainder rule)."""
    _complex_mul_simd(r, where, a, b, alpha)


def _fused_products(r, where, a, b, alpha=None):
    np.copyto(r, c10_complex.product(*np.broadcast_arrays(a, b), fused=True), where=where)


_complex64_mul_simd.tails = ScalarLoopRule(_complex64_fused_tails, _fused_products, strided=_pairs)


def _true_divide(a, b):
    if np.result_type(a, b).kind == "c":
        return c10_complex.divide(np.asarray(a), np.asarray(b))
    return np.true_divide(a, b)


def _odd_last(count: int, broadcast: bool) -> np.ndarray:
    """The last of an odd count: the element GCC's pairwise copy of a complex64 scalar loop leaves to its
    scalar code."""
    last = np.zeros(count, bool)
    last[-1] = count % 2 == 1
    return last


def _complex64_div_simd(r, where, a, b):
    """complex64's vector loop divides as the scalar loop's pairs do (c10::complex's quotient, fused): no fix
    there; its function carries the rule for the scalar loop's odd last element."""


def _lone_quotients(r, where, a, b):
    """The odd last element of a complex64 division's scalar-loop run (each row's remainder, or a whole strided
    row; a 0-d division too), and every element of such a run in place: c10::complex's quotient with its
    denominator fused but its numerators' products rounded (measured against torch on every layout:
    contiguous, broadcast either way, strided, in place)."""
    a, b = np.broadcast_arrays(a, b)
    r[where] = c10_complex.divide(a[where], b[where], fused_numerators=False)


def _every(count: int, broadcast: bool) -> np.ndarray:
    return np.ones(count, bool)


_complex64_div_simd.tails = ScalarLoopRule(_odd_last, _lone_quotients, strided=_odd_last, in_place=_every)


_BOOL_SUB_TWO = (
    "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
    "`logical_xor()` operator instead."
)
_BOOL_SUB_ONE = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
    "mask, use the `~` or `logical_not()` operator instead."
)


C_LOG, C_LOG1P = libm_function("log"), libm_function("log1p")
_C_EXP2 = libm_function("exp2")  # (std::exp2 of a double)


def _xlogy(a, b):
    """torch: NaN where y is NaN, 0 where x is 0, else x * log(y), the C library's log (its scalar kernel's
    std::log; numpy's float32 log differs from glibc's in the last bit)."""
    with np.errstate(all="ignore"):
        return np.where(np.isnan(b), b, np.where(a == 0, a.dtype.type(0), a * C_LOG(b)))


def _log_of(base, like) -> float | complex:
    """Scalar::log of pow's Scalar base: in double, complex where the base or the result is."""
    complex_ = isinstance(base, complex) or (like.is_complex() if isinstance(like, Tensor) else np.iscomplexobj(like))
    with np.errstate(all="ignore"):
        return np.log(np.asarray(base, np.complex128 if complex_ else np.float64)).item()


def _minus_one(exponent):
    """exponent - 1 in pow's backward, which torch computes as a tensor subtraction: refused for bool."""
    if getattr(exponent, "dtype", None) in (np.bool_, _dtypes.bool_):
        raise RuntimeError(_BOOL_SUB_ONE)
    return exponent - 1


def _at_least_zero(F, exponent):
    """pow_backward_exponent's test of the exponent: >= 0, a complex one real (imaginary part 0) and >= 0 (numpy
    would compare complex numbers by their real parts first)."""
    if F.is_complex(exponent):
        return (F.imag(exponent) == 0) & (F.real(exponent) >= 0)
    return exponent >= 0


def _atan2_recip(F, self, other):
    """torch's atan2_backward: 1 / (self^2 + other^2), with 0 where that overflows (at the origin)."""
    recip = 1 / (self * self + other * other)
    return F.where(recip == math.inf, 0, recip)


def _copysign_self_back(F, g, self, result):
    ratio = result / self
    return g * F.where(self == 0, 0, ratio)


def _fmax_fmin_back(keeps_self):
    def back(F, g, self, other):
        wins = keeps_self(self, other) | (other != other)
        return F.where(wins, g, 0)

    def back_other(F, g, self, other):
        wins = keeps_self(self, other) | (other != other)
        return F.where(wins, 0, g)

    return formula(back), formula(back_other)


def _logaddexp(a, b):
    """torch: a where both are the same infinity, else max + log1p(exp(-|a - b|)); complex values around
    the one with the larger real part, falling back to log(exp(a) + exp(b)) at infinities (but -inf in both
    real parts gives b itself)."""
    with np.errstate(all="ignore"):
        if a.dtype.kind == "c":
            first = a.real >= b.real
            m, n = np.where(first, a, b), np.where(first, b, a)
            stable = m + np.log1p(np.exp(n - m))
            stable = np.where(np.isnan(stable), np.log(np.exp(a) + np.exp(b)), stable)
            return np.where((a.real == b.real) & (a.real == -np.inf), b, stable)  # (torch answers the second)
        m = np.maximum(a, b)
        if a.dtype in (np.float32, np.float64):  # std::log1p(std::exp(...)): glibc's log1p(f) and exp(f)
            value = m + C_LOG1P((glibc_expf if a.dtype == np.float32 else C_EXP)(-np.abs(a - b)))
        else:
            value = m + np.log1p(np.exp(-np.abs(a - b)))
        return np.where(np.isinf(a) & (a == b), a, value)


def _logaddexp_sleef(r, where, a, b):
    """float's and double's vectorized logaddexp: Sleef's exp and log1p (the scalar loop: glibc's)."""
    a, b = np.broadcast_to(a, r.shape)[where], np.broadcast_to(b, r.shape)[where]
    exp, log1p = (sleef.expf, sleef.log1pf) if a.dtype == np.float32 else (expd, log1pd)
    with np.errstate(all="ignore"):
        value = np.maximum(a, b) + log1p(exp(-np.abs(a - b)))
    r[where] = np.where((a == b) & np.isinf(a), a, value)


_logaddexp_sleef.approximate, _logaddexp_sleef.scalar_loop = np.logaddexp, _logaddexp


def _logaddexp2(a, b, exp2=None, log1p=None):
    """torch: a where both are the same infinity, else max + log1p(exp2(-|a - b|)) / ln 2, whose multiply-add
    GCC fuses (so logaddexp2(-1, -1) is -1.06e-08 in float32, -0 in half); half is computed in float.  The
    scalar loop's exp2 and log1p are the C library's (the vector loop's: _logaddexp2_sleef)."""
    if a.dtype == np.float16:  # torch computes half in float and rounds once
        return _logaddexp2(a.astype(np.float32), b.astype(np.float32), exp2, log1p).astype(np.float16)
    if exp2 is None:  # (the scalar loop)
        exp2, log1p = (glibc_exp2f, C_LOG1P) if a.dtype == np.float32 else (_C_EXP2, C_LOG1P)
    with np.errstate(all="ignore"):
        m = np.maximum(a, b)
        fma = fma32 if a.dtype == np.float32 else fma64
        value = fma(log1p(exp2(-np.abs(a - b))), a.dtype.type(1 / math.log(2)), m).astype(a.dtype)
        return np.where(np.isinf(a) & (a == b), a, value)


@vector_formula
def _logaddexp2_sleef(r, where, a, b):
    """float's (and half's, in float) and double's vectorized logaddexp2: Sleef's exp2 and log1p."""
    a, b = np.broadcast_to(a, r.shape)[where], np.broadcast_to(b, r.shape)[where]
    exp2, log1p = (sleef.exp2f, sleef.log1pf) if a.dtype != np.float64 else (exp2d, log1pd)
    r[where] = _logaddexp2(a, b, exp2, log1p)


_logaddexp2_sleef.approximate, _logaddexp2_sleef.scalar_loop = np.logaddexp2, _logaddexp2


def _shift(left: bool):
    """torch's shift kernels: a shift by a negative amount or past the width gives 0 (left) or the sign
    (right); left shifts work on the unsigned bits."""

    def kernel(a, b):
        bits = a.dtype.itemsize * 8
        if a.dtype == np.bool_:
            a, b = a.astype(np.uint8), b.astype(np.uint8)
        signed_b = b.astype(np.int64)
        if left:
            out_of_range = (signed_b < 0) | (signed_b >= bits)
            u = a.view(a.dtype.str.replace("i", "u")) if a.dtype.kind == "i" else a
            safe = np.where(out_of_range, 0, signed_b).astype(u.dtype)
            r = np.left_shift(u, safe).view(a.dtype)
            return np.where(out_of_range, a.dtype.type(0), r)
        limit = bits - 1 if a.dtype.kind == "i" else bits
        out_of_range = (signed_b < 0) | (signed_b >= limit)
        safe = np.where(out_of_range, 0, signed_b).astype(a.dtype)
        r = np.right_shift(a, safe)
        if a.dtype.kind == "i":
            return np.where(out_of_range, np.right_shift(a, a.dtype.type(limit)), r)
        return np.where(out_of_range, a.dtype.type(0), r)

    return kernel


def _gcd(a, b):
    """torch's calc_gcd: Euclid's loop on |a| and |b| with C's remainder, in the dtype itself, so the
    most negative value (whose |x| wraps to itself) gives torch's negative results (gcd(-2**63, 6) is -2)."""
    a, b = np.broadcast_arrays(np.abs(a), np.abs(b))
    a, b = a.copy(), b.copy()
    with np.errstate(all="ignore"):
        while True:
            live = a != 0
            if not live.any():
                return b
            c = a.copy()
            a[live] = np.fmod(b[live], a[live])  # C's %: truncated, the sign of the dividend
            b[live] = c[live]


def _lcm(a, b):
    """torch: |a / gcd * b| in C++'s arithmetic (types narrower than int promoted to int, wider ones wrapping
    on overflow), stored back into the dtype; 0 where the gcd is 0."""
    g = _gcd(a, b)
    with np.errstate(all="ignore"):
        safe = np.where((g == 0) | (g == -1), 1, g)  # C's a / -1 is -a (numpy's INT_MIN // -1 traps)
        quotient = np.where(g == -1, np.negative(a), (a - np.fmod(a, safe)) // safe)  # exact: C's a / g
        if a.dtype.itemsize < 4:
            quotient, b = quotient.astype(np.int32), np.asarray(b).astype(np.int32)
        return np.where(g == 0, a.dtype.type(0), np.abs(quotient * b).astype(a.dtype))


def _heaviside(a, b):
    return np.where(a == 0, b, (a > 0).astype(a.dtype))


def _igamma(upper: bool):
    def kernel(a, x):
        from .special_functions import igamma, igammac

        return (igammac if upper else igamma)(a, x)

    return kernel


def _minmax_back(self_wins):
    """maximum/minimum: the gradient goes to the winner, halved on ties."""

    def back(F, g, self, other):
        self, other = F.cast_like(self, g), F.cast_like(other, g)  # compared as promoted, as torch does
        lose = (self < other) if self_wins else (self > other)
        return F.where(self == other, g / 2, F.where(lose, 0, g))

    return formula(back)


P = Pointwise
BINARY = {
    s.name: s
    for s in [
        P(
            "add",
            np.add,
            "same",
            "AddBackward0",
            (formula(lambda F, g: g), formula(lambda F, g, alpha: g * alpha if alpha != 1 else g)),
            simd={"float16": _half_fmadd},
        ),
        P(
            "sub",
            np.add,
            "same",
            "SubBackward0",
            (formula(lambda F, g: g), formula(lambda F, g, alpha: F.neg(g) * alpha if alpha != 1 else F.neg(g))),
            simd={"float16": _half_fmadd},
        ),
        P(
            "mul",
            _multiply,
            "same",
            "MulBackward0",
            (formula(lambda F, g, other: g * F.conj(other)), formula(lambda F, g, self: g * F.conj(self))),
            simd={"complex64": _complex64_mul_simd, "complex128": _complex_mul_simd},
            real_kernel=np.multiply,
        ),
        P(
            "div",
            _true_divide,
            "float",
            "DivBackward0",
            (
                formula(lambda F, g, other: g / F.conj(other)),
                formula(lambda F, g, self, other: F.neg(g) * F.conj((self / other) / other)),
            ),
            simd={"complex64": _complex64_div_simd},
            errors={"complex32": "div_cpu"},  # div_true_kernel's dispatch, which ComplexHalf reaches
            kernel_name="div_true_cpu",
            real_kernel=np.true_divide,
        ),
        P(
            "floor_divide",
            _floor_divide,
            "same",
            "NotImplemented",
            (not_implemented_formula("floor_divide"),) * 2,
            {"bool": "div_floor_cpu", "complex": "div_floor_cpu"},
            opmath=False,  # c10::div_floor_floating on c10::Half: every step rounds to half
            scalar_opmath=True,
        ),
        P(
            "remainder",
            _remainder,
            "same",
            "RemainderBackward1",
            (formula(lambda F, g: g), formula(lambda F, g, self, other: -g * F.floor_divide(self, other))),
            {"bool": "remainder_cpu", "complex": "remainder_cpu"},
            simd={"float": _fmod_overflow_nan},
        ),
        P(
            "fmod",
            _fmod,
            "same",
            "FmodBackward1",
            (formula(lambda F, g: g), formula(lambda F, g, self, other: -g * F.trunc_divide(self, other))),
            {"bool": "fmod_cpu", "complex": "fmod_cpu"},
            simd={"float": _fmod_overflow_nan},
        ),
        P(
            "pow",
            _pow,
            "same",
            "PowBackward1",
            (
                formula(
                    lambda F, g, self, exponent: F.where(
                        exponent == 0, 0, g * F.conj(exponent * F.pow(self, _minus_one(exponent)))
                    )
                ),
                formula(  # torch's pow_backward_exponent: grad times the masked factor (0 keeps grad's sign)
                    lambda F, g, self, exponent, result: (
                        g * F.where((self == 0) & _at_least_zero(F, exponent), 0, F.conj(result * F.log(self)))
                    )
                ),
            ),
            {"bool": "pow"},
            kernel_name="pow",
            simd=dict.fromkeys(("float32", "float64"), _pow_sleef),
            avx512=True,
        ),
        P(
            "atan2",
            glibc_atan2,
            "float",
            "Atan2Backward0",
            (
                formula(lambda F, g, self, other: g * other * _atan2_recip(F, self, other)),
                formula(lambda F, g, self, other: g * F.neg(self) * _atan2_recip(F, self, other)),
            ),
            {"complex": "atan2_cpu"},
            simd=dict.fromkeys(("float32", "float16", "float64"), _atan2_sleef),
            avx512=True,
        ),
        P(
            "maximum",
            _maximum,
            "same",
            "MaximumBackward0",
            (_minmax_back(True), _minmax_back(False)),
            {"complex": (RuntimeError, "maximum not implemented for complex tensors.")},
            simd={"float": _ties_to_second},
        ),
        P(
            "minimum",
            _minimum,
            "same",
            "MinimumBackward0",
            (_minmax_back(False), _minmax_back(True)),
            {"complex": (RuntimeError, "minimum not implemented for complex tensors.")},
            simd={"float": _ties_to_second},
        ),
        P("eq", np.equal, "bool", opmath=False),
        P("ne", np.not_equal, "bool", opmath=False),
        P("lt", np.less, "bool", errors={"complex": "lt_cpu"}, opmath=False),
        P("le", np.less_equal, "bool", errors={"complex": "le_cpu"}, opmath=False),
        P("gt", np.greater, "bool", errors={"complex": "gt_cpu"}, opmath=False),
        P("ge", np.greater_equal, "bool", errors={"complex": "ge_cpu"}, opmath=False),
        P("logical_and", np.logical_and, "bool", opmath=False),
        P("logical_or", np.logical_or, "bool", opmath=False),
        P("logical_xor", np.logical_xor, "bool", opmath=False),
        P("bitwise_and", np.bitwise_and, "same", errors={"float": "bitwise_and_cpu", "complex": "bitwise_and_cpu"}),
        P("bitwise_or", np.bitwise_or, "same", errors={"float": "bitwise_or_cpu", "complex": "bitwise_or_cpu"}),
        P("bitwise_xor", np.bitwise_xor, "same", errors={"float": "bitwise_xor_cpu", "complex": "bitwise_xor_cpu"}),
        P(
            "xlogy",
            _xlogy,
            "float",
            "XlogyBackward0",
            (
                formula(lambda F, g, self, other: F.where((self == 0) & (other <= 0), 0, F.xlogy(g, other))),
                formula(lambda F, g, self, other: g * self / other),
            ),
            {"complex": "xlogy_cpu"},
            opmath=False,  # (half: c10's std::log of a Half returns a Half, and the product rounds again)
        ),
        P(
            "hypot",
            np.hypot,
            "same",
            "HypotBackward0",
            (
                formula(lambda F, g, self, result: g * self / result),
                formula(lambda F, g, other, result: g * other / result),
            ),
            {"bool": "hypot_cpu", "int": "hypot_cpu", "complex": "hypot_cpu"},
            simd={"float64": _hypot_sleef},
            avx512=True,
        ),
        P(
            "copysign",
            np.copysign,
            "float",
            "CopysignBackward0",
            (formula(_copysign_self_back), formula(lambda F, g: F.zeros_like(g))),
            {"complex": "copysign_cpu"},
        ),
        P(
            "nextafter",
            _nextafter,
            "same",
            "NextafterBackward0",
            (formula(lambda F, g: g), formula(lambda F, g: F.zeros_like(g))),
            {"bool": "nextafter_cpu", "int": "nextafter_cpu", "complex": "nextafter_cpu"},
            opmath=False,
        ),
        P(
            "fmax",
            lambda a, b: np.where((a >= b) | (b != b), a, b),  # the first on ties, so fmax(-0., 0.) is -0.
            "same",
            "FmaxBackward0",
            _fmax_fmin_back(lambda a, b: a >= b),
            {"complex": (RuntimeError, "fmax not implemented for complex tensors.")},
        ),
        P(
            "fmin",
            lambda a, b: np.where((a <= b) | (b != b), a, b),
            "same",
            "FminBackward0",
            _fmax_fmin_back(lambda a, b: a <= b),
            {"complex": (RuntimeError, "fmin not implemented for complex tensors.")},
        ),
        P(
            "logaddexp",
            _logaddexp,
            "same",
            "LogaddexpBackward0",
            (
                formula(lambda F, g, self, other: g / F.conj(1 + F.exp(other - self))),
                formula(lambda F, g, self, other: g / F.conj(1 + F.exp(self - other))),
            ),
            {"bool": "logaddexp_cpu", "int": "logaddexp_cpu"},
            simd=dict.fromkeys(("float32", "float64"), _logaddexp_sleef),
            avx512=True,
        ),
        P(
            "logaddexp2",
            _logaddexp2,
            "same",
            "Logaddexp2Backward0",
            (
                formula(lambda F, g, self, other: g / (1 + F.pow(2, other - self))),
                formula(lambda F, g, self, other: g / (1 + F.pow(2, self - other))),
            ),
            {"bool": "logaddexp2_cpu", "int": "logaddexp2_cpu", "complex": "logaddexp2_cpu"},
            simd=dict.fromkeys(("float32", "float16", "float64"), _logaddexp2_sleef),
            avx512=True,
        ),
        P(
            "_prelu_kernel",  # prelu on a weight already shaped to broadcast over self's channels
            lambda a, w: np.where(a > 0, a, w * a),
            "same",
            "PreluKernelBackward0",
            (
                formula(lambda F, g, self, other: F.where(self > 0, g, other * g)),
                formula(lambda F, g, self: F.where(self > 0, 0, self * g)),
            ),
            {"bool": "prelu_cpu", "int": "prelu_cpu", "complex": "prelu_cpu"},
        ),
        P("gcd", _gcd, "same", None, (), {"bool": "gcd_cpu", "float": "gcd_cpu", "complex": "gcd_cpu"}),
        P("lcm", _lcm, "same", None, (), {"bool": "lcm_cpu", "float": "lcm_cpu", "complex": "lcm_cpu"}),
        P(
            "bitwise_left_shift",
            _shift(left=True),
            "same",
            errors={"bool": "lshift_cpu", "float": "lshift_cpu", "complex": "lshift_cpu"},
        ),
        P(
            "bitwise_right_shift",
            _shift(left=False),
            "same",
            errors={"bool": "rshift_cpu", "float": "rshift_cpu", "complex": "rshift_cpu"},
        ),
        P(
            "heaviside",
            _heaviside,
            "same",
            "NotImplemented",
            (not_implemented_formula("heaviside"),) * 2,
            {"complex": (RuntimeError, "heaviside is not yet implemented for complex tensors.")},
        ),
        P(
            "igamma",
            _igamma(upper=False),
            "same",
            "IgammaBackward0",
            (
                _not_implemented_input("igamma: input"),
                formula(lambda F, g, self, other: g * F.igamma_grad_x(self, other)),
            ),
            {"bool": "igamma_cpu", "int": "igamma_cpu", "complex": "igamma_cpu"},
        ),
        P(
            "igammac",
            _igamma(upper=True),
            "same",
            "IgammacBackward0",
            (
                _not_implemented_input("igammac: input"),
                formula(lambda F, g, self, other: -g * F.igamma_grad_x(self, other)),
            ),
            {"bool": "igammac_cpu", "int": "igammac_cpu", "complex": "igammac_cpu"},
        ),
    ]
}
_DIV_FLOOR = P(
    "div",
    _floor_divide,
    "same",
    "DivBackward2",
    (formula(lambda F, g: F.zeros_like(g)),) * 2,
    {"bool": "div_floor_cpu", "complex": "div_floor_cpu"},
    opmath=False,
    scalar_opmath=True,
)
_DIV_TRUNC = P(
    "div",
    _trunc_divide,
    "same",
    "DivBackward2",
    (formula(lambda F, g: F.zeros_like(g)),) * 2,
    {"bool": "div_trunc_cpu", "complex": "div_trunc_cpu"},
    opmath=False,  # std::trunc(a / b) on c10::Half: the quotient rounds to half before the trunc
    scalar_opmath=True,
)
# (Tensor, Scalar) overloads whose scalar is an argument, not a wrapped input: their node and derivative
_SCALAR_OVERLOADS = {
    "floor_divide": ("NotImplemented", (not_implemented_formula("floor_divide"),)),
    "remainder": ("RemainderBackward0", (formula(lambda F, g: g),)),
    "fmod": ("FmodBackward0", (formula(lambda F, g: g),)),
    "pow": (
        "PowBackward0",
        (
            formula(
                lambda F, g, self, exponent: (
                    F.zeros_like(g)
                    if exponent == 0
                    else g * F.conj(F.times_scalar(F.pow(self, exponent - 1), exponent))
                )
            ),
        ),
    ),
}
# (Scalar, Tensor) overloads reached through reflected operators
_REFLECTED_OVERLOADS = {
    "pow": (
        "PowBackward2",
        (
            # torch: grad * where(base == 0 and exponent >= 0, 0, result * log(base)), the base the Scalar itself
            # (its log in double; complex for a complex exponent): the zero keeps grad's sign
            formula(
                lambda F, g, base, exponent, result: (
                    g
                    * F.where(
                        _at_least_zero(F, exponent) & (base == 0),
                        0,
                        F.conj(F.times_scalar(result, _log_of(base, result))),
                    )
                )
            ),
        ),
    ),
    "remainder": ("NotImplemented", (not_implemented_formula("remainder"),)),
    "floor_divide": ("NotImplemented", (not_implemented_formula("floor_divide"),)),
    "xlogy": ("XlogyBackward1", (formula(lambda F, g, self, other: g * self / other),)),  # (xlogy.Scalar_Self)
}
# ops that take a Tensor `other` only: a Python number is a TypeError, as in torch's argument parser
_TENSOR_OTHER = {
    **dict.fromkeys(
        "maximum minimum fmax fmin atan2 hypot logical_and logical_or logical_xor logaddexp logaddexp2 nextafter "
        "gcd lcm igamma igammac".split(),
        "other",
    ),
    "heaviside": "values",
}


# ops whose (Tensor, Scalar) overload computes what the plain kernel does with the scalar in the tensor's dtype
# (sub's alpha makes it x + -y; pow, remainder, ... have their own scalar kernels)
_PLAIN_SCALAR = frozenset(BINARY[name] for name in ("add", "mul", "div"))


def _other(spec, other, inplace=False):
    if isinstance(other, Tensor):
        return other
    if is_scalar(other) and spec.name not in _TENSOR_OTHER:
        return scalar_value(other)
    name = spec.name + "_" if inplace else spec.name
    argument = _TENSOR_OTHER.get(spec.name, "other")
    raise TypeError(f"{name}(): argument '{argument}' (position 1) must be Tensor, not {type(other).__name__}")


def _check_bool_sub(a, b) -> None:
    a_bool = a._dtype is _dtypes.bool_
    b_bool = b._dtype is _dtypes.bool_ if isinstance(b, Tensor) else type(b) is bool
    if a_bool and b_bool:
        raise RuntimeError(_BOOL_SUB_TWO)
    if a_bool or b_bool:
        raise RuntimeError(_BOOL_SUB_ONE)


def _check_alpha(alpha, dtype) -> None:
    """torch's alpha_check, in its order."""
    if isinstance(alpha, bool) and dtype is not _dtypes.bool_:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if dtype.category <= INT and not isinstance(alpha, int):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if dtype.category != COMPLEX and type(alpha) is complex:
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")


def run(name: str, a, b, out=None, inplace=False, reflected=False, alpha=1, spec=None, contiguous=False):
    """Dispatch a binary op by name with torch's overload rules for Python scalars."""
    spec = spec or BINARY[name]
    if out is None and not (reflected or contiguous) and type(alpha) is int and alpha == 1:
        if type(b) is Tensor:
            result = binary_plain(spec, a, b, inplace)
        elif type(b) is float and not inplace and spec in _PLAIN_SCALAR:
            result = binary_plain_scalar(spec, a, b)
        else:
            result = None
        if result is not None:
            return result
    b = _other(spec, b, inplace)
    checks_alpha = alpha != 1 or type(alpha) is not int
    if inplace and (name == "sub" or checks_alpha):
        check_inplace(a, overlap=False)  # autograd's leaf checks come before the op's own
    if name == "sub":
        _check_bool_sub(a, b)
    if checks_alpha:
        _check_alpha(alpha, binary_result_type(a, b))
    scalar = not isinstance(b, Tensor)
    if scalar and reflected and name in _REFLECTED_OVERLOADS:
        node, grads = _REFLECTED_OVERLOADS[name]
        return binary(spec, a, b, out, alpha, inplace, True, node, grads, wraps_scalar=False, contiguous=contiguous)
    if scalar and name in _SCALAR_OVERLOADS:
        node, grads = _SCALAR_OVERLOADS[name]
        return binary(spec, a, b, out, alpha, inplace, reflected, node, grads, wraps_scalar=False)
    return binary(spec, a, b, out, alpha, inplace, reflected)


# -- the plain forms --------------------------------------------------------------------------------
def _check_heaviside(self, values) -> None:
    if not isinstance(values, Tensor):
        return
    if self._dtype.category == COMPLEX or values._dtype.category == COMPLEX:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if values._dtype is not self._dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")


def _plain(name: str):
    """The operators' shortcut to run's first step: two plain tensors (see binary_plain)."""
    return functools.partial(binary_plain, BINARY[name])


def _forms(name):
    def method(self, other, *, out=None):
        if not isinstance(self, Tensor):  # the (Scalar self, Tensor other) overload: see _NUMBER_FIRST
            return run(name, other, self, out, reflected=True)
        if name == "heaviside":
            _check_heaviside(self, other)
        return run(name, self, other, out)

    def inplace(self, other):
        if name == "heaviside":
            check_inplace(self, overlap=False)  # autograd's checks come before the op's own
            _check_heaviside(self, other)
        return run(name, self, other, inplace=True)

    method.__name__, inplace.__name__ = name, name + "_"
    return method, inplace


_DUNDERS = {  # operator, reflected operator, in-place operator
    "mul": ("__mul__", "__rmul__", "__imul__"),
    "eq": ("__eq__", None, None),
    "ne": ("__ne__", None, None),
    "lt": ("__lt__", None, None),
    "le": ("__le__", None, None),
    "gt": ("__gt__", None, None),
    "ge": ("__ge__", None, None),
    "bitwise_and": ("__and__", "__rand__", "__iand__"),
    "bitwise_or": ("__or__", "__ror__", "__ior__"),
    "bitwise_xor": ("__xor__", "__rxor__", "__ixor__"),
    "bitwise_left_shift": ("__lshift__", None, "__ilshift__"),
    "bitwise_right_shift": ("__rshift__", None, "__irshift__"),
}
_ALIASES = {
    "mul": ("multiply",),
    "ne": ("not_equal",),
    "lt": ("less",),
    "le": ("less_equal",),
    "gt": ("greater",),
    "ge": ("greater_equal",),
    "eq": (),
    "sub": ("subtract",),
    "div": ("divide",),
    "atan2": ("arctan2",),
}
_NO_INPLACE = {"maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2"}
# functions torch also takes with a Number first (its wrapped_scalar_tensor, or xlogy's own Scalar_Self overload)
_NUMBER_FIRST = {
    **dict.fromkeys(
        ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"), "without out"
    ),
    "xlogy": True,
}

for _name in (
    "mul",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "fmod",
    "atan2",
    "maximum",
    "minimum",
    "logical_and",
    "logical_or",
    "logical_xor",
    "xlogy",
    "hypot",
    "copysign",
    "nextafter",
    "fmax",
    "fmin",
    "logaddexp",
    "logaddexp2",
    "gcd",
    "lcm",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "heaviside",
    "igamma",
    "igammac",
):
    _m, _i = _forms(_name)
    _op, _refl, _iop = _DUNDERS.get(_name, (None, None, None))
    register(
        _name,
        operators=(_op,) if _op else (),
        reflected=(_refl,) if _refl else (),
        inplace=None if _name in _NO_INPLACE else _i,
        ioperators=(_iop,) if _iop else (),
        aliases=_ALIASES.get(_name, ()),
        scalar_input=_NUMBER_FIRST.get(_name, False),
        plain=_plain(_name),
    )(_m)


@register("prelu")
def prelu(self: Tensor, weight: Tensor) -> Tensor:
    """at::prelu: its checks, then the kernel on the weight viewed as (1, C, 1, ...) over self."""
    if self._dtype is not weight._dtype:
        raise RuntimeError(
            f"prelu: Type promoting not supported. Got {self._dtype._scalar_name} and {weight._dtype._scalar_name}"
        )
    dim = self.dim()
    if weight.numel() != 1:
        if dim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = self.shape[1] if dim > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {weight.numel()} "
                f"and channel size = {channels}."
            )
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}")
    if dim != weight.dim():
        weight = weight.reshape([weight.numel() if i == 1 else 1 for i in range(dim)])
    return run("_prelu_kernel", self, weight)


def _add(self, other, *, alpha=1, out=None):
    return run("add", self, other, out, alpha=alpha)


def _add_(self, other, *, alpha=1):
    return run("add", self, other, inplace=True, alpha=alpha)


def _sub(self, other, *, alpha=1, out=None):
    return run("sub", self, other, out, alpha=alpha)


def _sub_(self, other, *, alpha=1):
    return run("sub", self, other, inplace=True, alpha=alpha)


register(
    "add", operators=("__add__",), reflected=("__radd__",), inplace=_add_, ioperators=("__iadd__",), plain=_plain("add")
)(_add)
register(
    "sub", operators=("__sub__",), inplace=_sub_, ioperators=("__isub__",), aliases=("subtract",), plain=_plain("sub")
)(_sub)


def _rsub(self, other, *, alpha=1):
    """rsub(input, other) = other - alpha * input."""
    if isinstance(other, Tensor):
        r = _sub(other, self, alpha=alpha)
        if r._fn is not None:
            _rename_node(r, "RsubBackward0", swap=True)
        return r
    if not is_scalar(other):
        raise TypeError(f"rsub(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    other = scalar_value(other)
    _check_bool_sub(self, other)
    if alpha != 1 or type(alpha) is not int:
        _check_alpha(alpha, binary_result_type(self, other))
    return binary(
        _RSUB_SCALAR,
        self,
        other,
        None,
        alpha,
        reflected=True,
        scalar_node="RsubBackward1",
        scalar_grads=_RSUB_SCALAR.grads,
        wraps_scalar=False,
    )


# rsub(Tensor, Scalar) = other + (-alpha) * self, as torch computes it (`binary` applies the alpha)
_RSUB_SCALAR = P(
    "rsub",
    np.add,
    "same",
    "RsubBackward1",
    (formula(lambda F, g, alpha: F.neg(g) * alpha if alpha != 1 else F.neg(g)),),
    simd={"float16": _half_fmadd},
)


def _rename_node(t, name, swap=False):
    """Give t's node torch's name for the op that produced it (rsub is sub with its inputs swapped)."""
    from .._autograd.graph import node_class

    node = t._fn
    cls = node_class(name)
    new = cls.__new__(cls)
    order = slice(None, None, -1) if swap else slice(None)
    new.next_functions = node.next_functions[order]
    new._formulas = node._formulas[order]
    new._inputs = node._inputs[order]
    new._saved, new._released, new._seq = node._saved, False, node._seq
    new._hooks = new._pre_hooks = new._extra = None
    t._fn = new


register("rsub", method=False)(_rsub)
Tensor.__rsub__ = lambda self, other: _rsub(self, other) if is_scalar(other) else NotImplemented
Tensor.__rlshift__ = lambda self, other: (
    run("bitwise_left_shift", self, other, reflected=True) if is_scalar(other) else NotImplemented
)
Tensor.__rrshift__ = lambda self, other: (
    run("bitwise_right_shift", self, other, reflected=True) if is_scalar(other) else NotImplemented
)


def _div_spec(rounding_mode):
    if rounding_mode is None:
        return BINARY["div"]
    if rounding_mode == "floor":
        return _DIV_FLOOR
    if rounding_mode == "trunc":
        return _DIV_TRUNC
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def _div(self, other, *, rounding_mode=None, out=None):
    return run("div", self, other, out, spec=_div_spec(rounding_mode))


def _div_(self, other, *, rounding_mode=None):
    return run("div", self, other, inplace=True, spec=_div_spec(rounding_mode))


register(
    "div",
    operators=("__truediv__",),
    inplace=_div_,
    ioperators=("__itruediv__",),
    aliases=("divide",),
    plain=_plain("div"),
)(_div)
register("true_divide", inplace=lambda self, other: run("div", self, other, inplace=True))(
    lambda self, other, *, out=None: run("div", self, other, out)
)


def _rtruediv(self, other):
    # torch's Tensor.__rdiv__ is `self.reciprocal() * other`
    if not is_scalar(other):
        return NotImplemented
    from .unary import UNARY

    return run("mul", unary(UNARY["reciprocal"], self), other)


Tensor.__rtruediv__ = _rtruediv


def _floor_divide(self, other, *, out=None):
    return run("floor_divide", self, other, out)


register(
    "floor_divide",
    operators=("__floordiv__",),
    inplace=lambda self, other: run("floor_divide", self, other, inplace=True),
    ioperators=("__ifloordiv__",),
)(_floor_divide)
Tensor.__rfloordiv__ = lambda self, other: (
    run("floor_divide", self, other, reflected=True) if is_scalar(other) else NotImplemented
)


def _remainder(self, other, *, out=None):
    if not isinstance(self, Tensor):  # torch.remainder(Scalar, Tensor)
        return run("remainder", other, self, out, reflected=True)
    return run("remainder", self, other, out)


register(
    "remainder",
    operators=("__mod__",),
    inplace=lambda self, other: run("remainder", self, other, inplace=True),
    ioperators=("__imod__",),
    scalar_input="without out",
)(_remainder)
Tensor.__rmod__ = lambda self, other: (
    run("remainder", self, other, reflected=True) if is_scalar(other) else NotImplemented
)


# -- pow --------------------------------------------------------------------------------------------
def _pow_scalar_spec(kernel_name: str, fast: bool = False) -> P:
    """fast: for the exponents torch's kernel computes the same way in both loops (_FAST_EXPONENTS)."""
    float_fix = {} if fast else dict.fromkeys(("float32", "float64"), _pow_scalar_sleef)
    return P(
        "pow",
        _pow_scalar_exponent,
        "same",
        "PowBackward0",
        _SCALAR_OVERLOADS["pow"][1],
        {"bool": "pow"},
        kernel_name=kernel_name,
        opmath=False,
        simd={**float_fix, "complex64": _complex_power_simd, "complex128": _complex_power_simd},
        avx512=True,
    )


_POW_SCALAR = _pow_scalar_spec("pow", fast=True)
_POW_SCALAR_NODE = _SCALAR_OVERLOADS["pow"]  # (recorded by the plain path too)
_POW_SCALAR_GENERAL = _pow_scalar_spec("pow")
_POW_TRIVIAL = {  # fill_(1) and copy_, which take every dtype
    0: P(
        "pow",
        lambda a, e: np.ones_like(a),
        "same",
        "PowBackward0",
        _SCALAR_OVERLOADS["pow"][1],
        opmath=False,
        complex32=True,
    ),
    1: P(
        "pow", lambda a, e: a.copy(), "same", "PowBackward0", _SCALAR_OVERLOADS["pow"][1], opmath=False, complex32=True
    ),
}
# pow(Scalar, Tensor) with a base equal to 1 (a bool is not): out.fill_(1), which takes every dtype
_POW_ONE_BASE = P(
    "pow",
    lambda base, e: np.ones(np.broadcast_shapes(np.shape(base), np.shape(e)), np.result_type(base, e)),
    "same",
    "PowBackward2",
    _REFLECTED_OVERLOADS["pow"][1],
    opmath=False,
    complex32=True,
)
# pow_tensor_scalar_kernel's fast paths for complex dtypes: ComplexHalf reaches these kernels' dtype checks
_POW_COMPLEX32 = {
    e: _pow_scalar_spec(k, fast=True) for e, k in ((0.5, "sqrt_vml_cpu"), (-0.5, "rsqrt_cpu"), (-1, "reciprocal_cpu"))
}


_C_INT_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t"}


def _float_holds(e) -> bool:
    """Whether a float holds the exponent as it is (or it is not finite)."""
    if type(e) is int and -(1 << 24) <= e <= 1 << 24:  # (the common case at its cost: x ** 2)
        return True
    if type(e) is complex:
        return False
    if type(e) is float and not math.isfinite(e):
        return True
    return abs(e) < 3.4e38 and float(np.float32(e)) == e


def _pow_scalar_for(exponent) -> P:
    return _POW_SCALAR if exponent in _FAST_EXPONENTS else _POW_SCALAR_GENERAL


def pow_scalar(self, exponent, out=None, inplace=False):
    """pow(Tensor, Scalar), with torch's error for integers to negative integer powers and its
    exponent-0 (fill with 1) and exponent-1 (copy) shortcuts, which skip the kernel's dtype checks."""
    exponent = scalar_value(exponent)
    if out is None and not inplace and type(exponent) in (int, float) and exponent not in (0, 1):
        # the common case at its cost: x ** 2 of a float tensor not in a graph (an exponent float holds is
        # the same number converted to the tensor's dtype)
        if _float_holds(exponent):
            result = binary_plain_scalar(_pow_scalar_for(exponent), self, exponent, _POW_SCALAR_NODE)
            if result is not None:
                return result
    if self._dtype.category <= INT and type(exponent) is int and exponent >= 1 << 63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")  # exp.toLong() < 0
    promoted = binary_result_type(self, exponent)
    if promoted.category <= INT and type(exponent) in (int, bool) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    # the kernel converts the exponent to the tensor's type, after the output checks
    conversion = None
    if promoted.category == INT and type(exponent) is int:
        info = np.iinfo(promoted.np)
        if not info.min <= exponent <= info.max:
            conversion = f"value cannot be converted to type {_C_INT_NAMES[promoted._name]} without overflow"
    if promoted is _dtypes.float16 and np.isfinite(exponent) and abs(exponent) > 65504:
        conversion = "value cannot be converted to type c10::Half without overflow"
    if exponent == 0 or exponent == 1:
        return binary(
            _POW_TRIVIAL[exponent],
            self,
            exponent,
            out,
            None,
            inplace,
            False,
            "PowBackward0",
            _POW_SCALAR.grads,
            wraps_scalar=False,
        )
    if promoted is _dtypes.complex32:
        spec = _POW_COMPLEX32.get(exponent, _POW_SCALAR)
    else:
        spec = _pow_scalar_for(exponent)
    return binary(
        spec,
        self,
        exponent,
        out,
        None,
        inplace,
        False,
        "PowBackward0",
        _POW_SCALAR.grads,
        wraps_scalar=False,
        raw_scalar=True,
        kernel_error=None if conversion is None else RuntimeError(conversion),
    )


def _pow(self, exponent, *, out=None):
    if not isinstance(self, Tensor):  # torch.pow(Scalar, Tensor)
        if not isinstance(exponent, Tensor):
            raise TypeError(
                f"pow() received an invalid combination of arguments - got ({type(self).__name__}, "
                f"{type(exponent).__name__})"
            )
        return _pow_scalar_base(self, exponent, out)
    if isinstance(exponent, Tensor):
        return run("pow", self, exponent, out)
    if not is_scalar(exponent):
        raise TypeError(f"pow(): argument 'exponent' must be Number, not {type(exponent).__name__}")
    return pow_scalar(self, exponent, out)


def _pow_(self, exponent):
    if isinstance(exponent, Tensor):
        return run("pow", self, exponent, inplace=True)
    return pow_scalar(self, exponent, inplace=True)


register("pow", operators=("__pow__",), inplace=_pow_, ioperators=("__ipow__",), scalar_input=True)(_pow)
Tensor.__rpow__ = lambda self, other: _pow_scalar_base(other, self) if is_scalar(other) else NotImplemented


def _pow_scalar_base(base, exponent: Tensor, out=None) -> Tensor:
    """pow(Scalar, Tensor): a base equal to 1 fills the result with ones, skipping the kernel's dtype checks."""
    one = type(base) is not bool and base == 1
    return run("pow", exponent, base, out, reflected=True, contiguous=True, spec=_POW_ONE_BASE if one else None)
