"""Kernels of the special functions (erf family, gamma family, zeta, Bessel I0/I1), numpy only.

Where torch's CPU kernel is its own algorithm (aten/src/ATen/native/Math.h: calc_digamma, calc_trigamma,
zeta, calc_erfinv's Newton steps), the same steps are followed over whole arrays, each element leaving the
loop where torch's would.  Where torch calls the C library (erf, erfc, lgamma) the value comes from Python's
math module, which calls the same C functions (erf and erfc of floats: from a vectorised series and continued
fraction that round to the same floats, _erf_of_floats), or for lgamma, CPython's own, from the C library.  digamma and
trigamma compute in the input's precision (float or double), as torch's templates do; the others in double
(torch's accumulate type on the CPU, or the C library's double functions).  The op rounds the result to its
dtype.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from .._cpu import parallel
from .._cpu.fma import fused
from .._cpu.libm import glibc_pow, glibc_powf, libm_function, libm_scalar
from .bessel import fused_horner, modified_bessel

__all__ = [
    "erf", "erfc", "erfinv", "lgamma", "digamma", "trigamma", "polygamma", "zeta", "i0", "i1", "i0e", "i1e",
    "igamma", "igammac", "igamma_grad_x",
]  # fmt: skip


def _elementwise(fn, on_error=math.nan):
    """A Python float function over a float64 array (math's functions raise where C returns inf/NaN)."""

    def scalar(v):
        try:
            return fn(v)
        except (ValueError, OverflowError):
            return on_error(v) if callable(on_error) else on_error

    vec = np.frompyfunc(scalar, 1, 1)

    def kernel(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float64)
        return np.asarray(vec(x), dtype=np.float64) if x.size else np.empty(x.shape, np.float64)

    return kernel


_exp = _elementwise(math.exp, on_error=math.inf)  # the C library's, where an ulp is amplified (erfinv's tail)
_log = _elementwise(math.log, on_error=lambda v: -math.inf if v == 0 else math.nan)
_C_ERF, _C_ERFC = _elementwise(math.erf), _elementwise(math.erfc)

# erf(x) sqrt(pi) / (2 x) as a series in x**2: (-1)**n / (n! (2n + 1)), to within 1e-15 for |x| <= 2
_ERF_SERIES = tuple((-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(36))
_ERF_SERIES_TO = 2.0
_ERFC_FRACTION_DEPTH = 60  # Laplace's continued fraction for erfc, to within 1e-14 from x = 2
_ERF_SLICE = 1 << 15  # (elements per pass: a slice's doubles stay in cache)


def _erf_slice(x: np.ndarray, complement: bool) -> np.ndarray:
    out = np.empty_like(x)
    near = np.abs(x) <= _ERF_SERIES_TO  # (a NaN goes with the fraction's, and is copied through at the end)
    xs = x[near]
    z = xs * xs
    p = np.full_like(z, _ERF_SERIES[-1])
    for c in _ERF_SERIES[-2::-1]:
        p *= z
        p += c
    p *= xs
    p *= 2 / math.sqrt(math.pi)
    out[near] = 1 - p if complement else p
    far = ~near
    if far.any():
        xf = x[far]
        a = np.abs(xf)
        t = a.copy()  # x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))), from the last level
        for k in range(_ERFC_FRACTION_DEPTH, 0, -1):
            np.divide(k / 2, t, out=t)
            t += a
        tail = np.exp(-(a * a)) / math.sqrt(math.pi) / t  # erfc(|x|): 0 at inf and past exp's range
        out[far] = np.where(xf > 0, tail, 2 - tail) if complement else np.copysign(1 - tail, xf)
        np.copyto(out, x, where=np.isnan(x))  # (a NaN passes through, as the C library's)
    return out


def _erf_of_floats(x: np.ndarray, complement: bool) -> np.ndarray:
    """erf (or erfc) of a float32 or float16 array, in double to within 1e-14 of the exact value, for a result
    rounded to float: half's erfc (torch's, computed in float) and the float kernels' stand-in where vml does
    not model the CPU's MKL (shim/_cpu/vml.py's erf and erfc reproduce it on the modelled ones).  Equal to
    the C library's double erf and erfc rounded to float on 6.5e6 float inputs (random bit patterns,
    normals, a dense grid of [-7, 7], the special values); several times faster than calling it element by
    element (slices in cache, split between torch's threads)."""
    x = np.asarray(x, np.float64)
    out = np.empty(x.shape)
    flat_x, flat_out = x.reshape(-1), out.reshape(-1)

    def work(part: slice) -> None:
        for start in range(part.start, part.stop, _ERF_SLICE):
            stop = min(part.stop, start + _ERF_SLICE)
            flat_out[start:stop] = _erf_slice(flat_x[start:stop], complement)

    with np.errstate(all="ignore"):
        parallel.in_parts(flat_x.size, work)
    return out


def erf(x) -> np.ndarray:
    """erf in double: the C library's for a double input, else _erf_of_floats."""
    x = np.asarray(x)
    return _erf_of_floats(x, False) if x.dtype in (np.float32, np.float16) else _C_ERF(x)


def erfc(x) -> np.ndarray:
    x = np.asarray(x)
    return _erf_of_floats(x, True) if x.dtype in (np.float32, np.float16) else _C_ERFC(x)


@functools.cache
def _c_lgamma():
    return _elementwise(libm_scalar("lgamma"), on_error=math.inf)


def lgamma(x) -> np.ndarray:
    """The C library's lgamma of a double array (std::lgamma: igamma's and polygamma's kernels; the poles
    give +inf), the library loaded on first use.  Python's math.lgamma is CPython's own: of 2,000 random
    doubles torch's lgamma op (Sleef's lgammad, within 0.02 % of the correctly rounded value) matched it on
    16 %, glibc's on 68 %."""
    return _c_lgamma()(x)


def _polevl(z, coefficients):
    r = np.zeros_like(z)
    for c in coefficients:
        r = r * z + c
    return r


_C_LOG, _C_SIN = libm_function("log"), libm_function("sin")


# calc_digamma: asymptotic series in 1/x^2 (coefficients B_2k / 2k, highest first) after pushing x past 10
_PSI_A = [float(Fraction(*c)) for c in ((1, 12), (-691, 32760), (1, 132), (-1, 240), (1, 252), (-1, 120), (1, 12))]
_PSI_10 = 2.25175258906672110764


def _own_precision(x) -> np.ndarray:
    x = np.asarray(x)
    return np.array(x, x.dtype if x.dtype in (np.float32, np.float64) else np.float64)


def digamma(x: np.ndarray) -> np.ndarray:
    """calc_digamma: +-inf at +-0, NaN at negative integers; other negatives reflected, digamma(1 - x) less
    pi / tan(pi r) for r the fractional part, taken in double (and rounded to float for float); then the
    recurrence up to 10 and the asymptotic series, in the input's precision."""
    x = _own_precision(x)
    t = x.dtype.type
    out = np.empty_like(x)
    zero = x == 0
    out[zero] = np.copysign(np.inf, -x[zero])
    negative = (x < 0) & ~zero
    whole = x == np.trunc(x)
    out[negative & whole] = np.nan
    out[np.isnan(x)] = np.nan
    reflect = negative & ~whole
    live = ~zero & ~(negative & whole) & ~np.isnan(x)
    y = np.where(reflect, t(1) - x, np.where(live, x, t(1)))  # (1 where the answer is already known)
    result = np.zeros_like(x)
    with np.errstate(all="ignore"):
        while True:
            step = live & (y < 10)
            if not step.any():
                break
            result[step] -= t(1) / y[step]
            y[step] += t(1)
        z = t(1) / (y * y)
        series = np.where(y < t(1.0e17), z * fused_horner(_PSI_A, z), t(0))
        log = _C_LOG(y)  # (glibc's logf is not correctly rounded: 0.1 % of floats; numpy's float32 log: 6 %)
        value = np.where(y == 10, result + t(_PSI_10), result + log - t(0.5) / y - series)
        r = np.fmod(x[reflect].astype(np.float64), 1.0)  # glibc's tan (math.tan), which numpy's differs from
        value[reflect] -= (np.pi / np.fromiter(map(math.tan, (np.pi * r).tolist()), np.float64, r.size)).astype(t)
    out[live] = value[live]
    return out


def trigamma(x: np.ndarray) -> np.ndarray:
    """calc_trigamma: reflection below 1/2 (the C library's sin), six recurrence steps, then the short
    asymptotic series (1 + 1 / (2x) + ixx (1/6 - ixx (1/30 - ixx / 42))) / x, each a + b c in it fused as GCC
    contracts it; all in the input's precision."""
    x = _own_precision(x)
    t = x.dtype.type
    with np.errstate(all="ignore"):
        reflect = x < t(0.5)
        sign = np.where(reflect, t(-1), t(1))
        sin_pi_x = _C_SIN(t(np.pi) * x)
        result = np.where(reflect, -((t(np.pi) * t(np.pi)) / (sin_pi_x * sin_pi_x)), t(0))
        x = np.where(reflect, t(1) - x, x)
        for _ in range(6):
            result += t(1) / (x * x)
            x = x + t(1)
        ixx = t(1) / (x * x)
        series = fused(-ixx, np.asarray(t(1 / 42)), np.asarray(t(1 / 30)))
        series = fused(-ixx, series, np.asarray(t(1 / 6)))
        result += fused(ixx, series, t(1) + t(1) / (t(2) * x)) / x
        return sign * result


# zeta's Euler-Maclaurin terms: (2k)! / B_2k, k = 1..12
_ZETA_A = [12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
           -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
           1.8152105401943546773e17, -7.1661652561756670113e18]  # fmt: skip
_MACHEP = 1.11022302462515654042e-16


def zeta(x, q, accumulate=np.float64) -> np.ndarray:
    """The Hurwitz zeta function as torch's (Cephes') zeta computes it, element by element, in its
    accumulation type (`accumulate`: double for float and double, float for half), with the C library's
    double pow for each term after the first, pow(q, -x) in the inputs' type (powf for float and half)."""
    single = np.result_type(x, q) == np.float32 or accumulate == np.float32
    x, q = np.broadcast_arrays(np.asarray(x, accumulate), np.asarray(q, accumulate))
    f = x.dtype.type
    machep, one = f(_MACHEP), f(1)
    out = np.full(x.shape, np.nan, x.dtype)
    done = np.zeros(x.shape, bool)
    with np.errstate(all="ignore"):
        out[x == 1] = np.inf
        done |= (x == 1) | (x < 1) | np.isnan(x) | np.isnan(q)
        pole = ~done & (q <= 0) & (q == np.floor(q))
        out[pole] = np.inf
        done |= pole | (~done & (q <= 0) & (x != np.floor(x)))
        if single:
            s = glibc_powf(q.astype(np.float32), -x.astype(np.float32)).astype(x.dtype)
        else:
            s = glibc_pow(q, -x)
        a = q.copy()
        b = np.zeros_like(s)
        i = 0
        live = ~done
        while live.any():
            i += 1
            a = np.where(live, a + one, a)
            b[live] = glibc_pow(a[live].astype(np.float64), -x[live].astype(np.float64))  # (::pow: the double one)
            s = np.where(live, s + b, s)
            small = live & (-machep * s < b) & (b < machep * s)
            out[small] = s[small]
            done |= small
            live = ~done & ((i < 9) | (a <= f(9)))
        live = ~done
        w = a
        s = s + b * w / (x - one)
        s = s - f(0.5) * b
        a = np.ones_like(s)
        k = np.zeros_like(s)
        for coefficient in _ZETA_A:
            a = a * (x + k)
            b = b / w
            t = a * b / f(coefficient)
            s = s + t
            small = live & (np.fabs(t / s) < machep)
            out[small] = s[small]
            live &= ~small
            k = k + one
            a = a * (x + k)
            b = b / w
            k = k + one
        out[live] = s[live]
    return out


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """calc_polygamma: digamma, trigamma, else (-1)^(n+1) exp(lgamma(n + 1)) zeta(n + 1, x) in the input's
    precision (half: the factor in float, zeta accumulated in float and rounded to half)."""
    x = np.asarray(x)
    half = x.dtype == np.float16
    x = x.astype(np.float32) if half else x
    if n == 0:
        return digamma(x)
    if n == 1:
        return trigamma(x)
    x = _own_precision(x)
    t = x.dtype.type
    # std::exp(std::lgamma(n + 1)), expf and lgammaf for float: glibc's lgamma of an integer is log(n!)
    # correctly rounded (Python's math.lgamma is CPython's own, and differs)
    factor = t(math.exp(t(math.log(math.factorial(n)))))
    with np.errstate(all="ignore"):  # (half's zeta accumulates in float, its value rounded to half)
        z = zeta(float(n + 1), x, np.float32 if half else np.float64).astype(np.float16 if half else t).astype(t)
        return t(1.0 if n % 2 else -1.0) * factor * z


# -- Bessel I0 and I1: Math.h's calc_i0, calc_i0e, calc_i1, calc_i1e (bessel.py) ------------------------------
i0, i0e, i1, i1e = (modified_bessel(order, scaled) for order, scaled in ((0, False), (0, True), (1, False), (1, True)))


# -- erfinv: calc_erfinv's first guess and two Newton steps on erf, three on erfc in the tail ----
_ERFINV_A = (-0.140543331, 0.914624893, -1.645349621, 0.886226899)
_ERFINV_B = (0.012229801, -0.329097515, 1.442710462, -2.118377725, 1.0)
_ERFINV_C = (1.641345311, 3.429567803, -1.624906493, -1.970840454)
_ERFINV_D = (1.637067800, 3.543889200, 1.0)


def erfinv(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, np.float64)
    a = np.abs(y)
    with np.errstate(all="ignore"):
        z = y * y
        central = y * _polevl(z, _ERFINV_A) / _polevl(z, _ERFINV_B)
        z = np.sqrt(-_log((1.0 - a) / 2.0))
        tail = np.copysign(_polevl(z, _ERFINV_C), y) / _polevl(z, _ERFINV_D)
        x = np.where(a <= 0.7, central, tail)
        slope = 2.0 / math.sqrt(math.pi)
        for _ in range(2):
            x = x - (erf(x) - y) / (slope * _exp(-x * x))
        # torch's float and double kernels are MKL's ErfInv (reproduced in vml.erfinv; this stands in for half
        # and other CPUs), accurate where erf(x) - y cancels (|y| near 1): three more Newton steps on erfc,
        # whose 1 - |y| is exact there
        x, tail = np.array(x), (a > 0.7) & (a < 1)
        t, rest = np.abs(x[tail]), 1.0 - a[tail]
        for _ in range(3):
            t = t + (erfc(t) - rest) / (slope * _exp(-t * t))
        x[tail] = np.copysign(t, y[tail])
        x = np.where(a == 1, np.copysign(np.inf, y), x)
        return np.where((a > 1) | np.isnan(y), np.nan, x)


# -- the regularized incomplete gamma functions: the series below a + 1, the continued fraction above ----------
_IGAMMA_MAX_TERMS = 20000


def _igamma_parts(a, x):
    """(P(a, x), Q(a, x)) where both are computed; torch's special cases are applied by the callers."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    p = np.full(a.shape, np.nan)
    q = np.full(a.shape, np.nan)
    ok = (a > 0) & (x > 0) & np.isfinite(a) & np.isfinite(x)
    aa, xx = a[ok], x[ok]
    with np.errstate(all="ignore"):
        log_front = aa * np.log(xx) - xx - lgamma(aa)
        series = xx < aa + 1
        # series: P = e^front * sum x^n / (a (a+1) ... (a+n))
        ap = aa.copy()
        term = 1.0 / aa
        total = term.copy()
        for n in range(_IGAMMA_MAX_TERMS):  # terms fall like exp(-n^2 / 2a) near x = a: ~sqrt(a) of them
            ap = ap + 1
            term = term * xx / ap
            total = total + term
            if n % 64 == 63 and not np.any(term > total * 1e-17):
                break
        p_series = total * np.exp(log_front)
        # continued fraction (modified Lentz) for Q
        tiny = 1e-300
        b = xx + 1 - aa
        c = np.full_like(b, 1 / tiny)
        d = 1 / np.where(b == 0, tiny, b)
        h = d.copy()
        for i in range(1, _IGAMMA_MAX_TERMS):
            an = -i * (i - aa)
            b = b + 2
            d = an * d + b
            d = np.where(np.abs(d) < tiny, tiny, d)
            c = b + an / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            d = 1 / d
            step = d * c
            h = h * step
            if i % 64 == 0 and not np.any(np.abs(step - 1) > 1e-17):
                break
        q_fraction = np.exp(log_front) * h
        p[ok] = np.where(series, p_series, 1 - q_fraction)
        q[ok] = np.where(series, 1 - p_series, q_fraction)
    return a, x, p, q


def _igamma_edges(a, x, value, upper: bool):
    """torch's calc_igamma/calc_igammac boundary values (following SciPy), in its order of checks."""
    zero, one = (1.0, 0.0) if upper else (0.0, 1.0)
    with np.errstate(invalid="ignore"):
        conditions = [
            (x < 0) | (a < 0),
            (a == 0) & (x > 0),
            a == 0,
            x == 0,
            np.isinf(a) & np.isinf(x),
            np.isinf(a),
            np.isinf(x),
        ]
    return np.select(conditions, [np.nan, one, np.nan, zero, np.nan, zero, one], value)


def igamma(a, x) -> np.ndarray:
    a, x, p, _ = _igamma_parts(a, x)
    return _igamma_edges(a, x, p, upper=False)


def igammac(a, x) -> np.ndarray:
    a, x, _, q = _igamma_parts(a, x)
    return _igamma_edges(a, x, q, upper=True)


def igamma_grad_x(a, x) -> np.ndarray:
    """d/dx P(a, x) = exp((a - 1) log x - x - lgamma(a)), as torch's derivative computes it."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    with np.errstate(all="ignore"):
        return np.exp((a - 1) * np.log(x) - x - lgamma(a))
