"""Sleef's double functions as torch's `Vectorized<double>` calls them (Sleef_*d8_u10 on AVX512, *d4_u10 on
AVX2: the same steps, FMA builds both), lane for lane, followed step by step (sleefsimddp.c and dd.h's FMA
forms), so that double's vector loops give torch's bits: exp (sigmoid, silu, the softmaxes, softplus,
logsigmoid, mish and the activations' gradients), log (log_softmax's row sums), exp2, expm1, log1p (every
element of torch's vml map), sinh, cosh, tanh (mish, GELU's tanh form), atanh, erf (GELU's erf form),
lgamma, pow, atan2 and hypot.  Checked against torch 2.13 on 20,000-60,000 random values of every magnitude
and every pair of special values each; the AVX512 build's exponent and mantissa (getexp, getmant) where it
differs from AVX2's.

Sleef's fused multiply-adds are emulated exactly, by two means (numpy has no fma, and the general
emulation, fma.fma64, costs ~80 numpy calls): where the addend outweighs the product (each step of the
polynomials Sleef evaluates by Estrin's scheme: the coefficients fall by more than 1 / |x| from one to the
next) `_Dekker.mla`, Dekker's exact product, Fast2Sum of the addend and the product, the two error terms
added and the sum rounded once (~20 calls); elsewhere `_Dekker.fma`, Boldo and Melquiond's emulation with
the error terms rounded to odd on their bits (~25 calls).  The few elements where either form could be
wrong (the error terms summing to within an ulp of a power of two, products near the subnormals or past
the range) are collected and their steps run again through fma64 (`_cheap_then_exact`).
"""

from __future__ import annotations

import numpy as np

from . import parallel
from .fma import fma64
from .quiet import quiet_numpy

__all__ = [
    "atan2d", "atanhd", "coshd", "erfd", "exp2d", "expd", "expm1d", "hypotd",
    "lgammad", "log1pd", "logd", "powd", "sinhd", "tanhd",
]  # fmt: skip

_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two 26-bit halves
_MANTISSA = np.int64((1 << 52) - 1)


class _Operand:
    """A multiplicand with its Veltkamp halves (each of at most 26 significant bits, so that their products
    are exact), split once for every product it takes part in."""

    __slots__ = ("value", "hi", "lo")

    def __init__(self, value) -> None:
        self.value = value
        c = value * _SPLITTER
        self.hi = c - (c - value)
        self.lo = value - self.hi


class _Dekker:
    """Sleef's multiply-adds where the addend outweighs the product (its exponent larger: true of every step
    of the functions here), exactly: Dekker's product p + e, Fast2Sum of the addend and p into head + tail,
    then head + (tail + e).  That is the correctly rounded a*b + c unless tail + e, rounded, lies within
    an ulp of half or a quarter of head's ulp (a power of two: `doubt` collects those elements, ~1 in
    10**15 of random inputs, for the exact steps to redo)."""

    def __init__(self, shape: tuple) -> None:
        self.doubt = np.zeros(shape, bool)

    def mla(self, a: _Operand, b: _Operand, c) -> np.ndarray:
        p = a.value * b.value
        e = a.hi * b.hi
        e -= p
        e += a.hi * b.lo
        e += a.lo * b.hi
        e += a.lo * b.lo  # a b - p, exactly
        head = c + p
        tail = head - c
        np.subtract(p, tail, out=tail)  # c + p - head, exactly
        tail += e
        near = ((tail.view(np.int64) + 2) & _MANTISSA) <= 4
        if near.any():  # (a zero tail + e is exact)
            self.doubt |= near & (tail != 0)
        head += tail
        return head

    def fma(self, a, b, c) -> np.ndarray:
        """a * b + c rounded once, any magnitudes (the double-double arithmetic's fused steps): Boldo and
        Melquiond's emulation, the exact product's and sum's error terms added rounded to odd; products near
        the subnormals or past the range (their error not representable) and non-finite results doubted."""
        p = a * b
        e = _error_of(_Operand(a), _Operand(b), p)
        head = c + p
        virtual = head - c
        tail = (c - (head - virtual)) + (p - virtual)  # (TwoSum)
        v = tail + e
        virtual = v - tail
        v_error = (tail - (v - virtual)) + (e - virtual)
        bits = v.view(np.int64)  # v rounded to odd: one step toward the error where inexact and even
        step = np.where((v_error > 0) == (v > 0), 1, -1) * ((v_error != 0) & ((bits & 1) == 0))
        result = head + (bits + step).view(np.float64)
        magnitude = np.abs(p)
        self.doubt |= ((magnitude < 2.0**-960) & (p != 0)) | ~(magnitude < 2.0**1000) | ~np.isfinite(result)
        return result

    def doubt_where(self, risky: np.ndarray) -> None:
        """Inputs whose steps break the condition above (the exact steps redo them)."""
        self.doubt |= risky


class _Exact:
    """The same steps through the general fused multiply-add emulation (fma64): every element exact."""

    doubt = None

    def mla(self, a: _Operand, b: _Operand, c) -> np.ndarray:
        return fma64(a.value, b.value, c)

    def fma(self, a, b, c) -> np.ndarray:
        return fma64(a, b, c)

    def doubt_where(self, risky: np.ndarray) -> None:
        pass


def _cheap_then_exact(steps, *args: np.ndarray) -> np.ndarray:
    """Sleef's steps on float64 arrays of one shape by _Dekker's multiply-adds, the doubtful elements redone
    by _Exact's."""
    with quiet_numpy():
        arithmetic = _Dekker(args[0].shape)
        result = steps(*args, arithmetic)
        if arithmetic.doubt.any():
            result[arithmetic.doubt] = steps(*(a[arithmetic.doubt] for a in args), _Exact())
        return result


def _exactly(steps):
    """A function of one array by Sleef's steps (_cheap_then_exact; long arrays in parts on torch's threads);
    `.exact` runs _Exact's on every element (for checks)."""

    def apply(d: np.ndarray) -> np.ndarray:
        return _cheap_then_exact(steps, d)

    def exact(d: np.ndarray) -> np.ndarray:
        with quiet_numpy():
            return steps(np.asarray(d, np.float64), _Exact())

    apply.__name__, apply.__doc__ = steps.__name__, steps.__doc__
    fast = _float64_arrays(apply)
    fast.exact = exact
    return fast


def _exactly_binary(steps):
    """A function of two arrays (broadcast) by Sleef's steps (_cheap_then_exact; long ones in parts on torch's
    threads)."""

    def whole(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _cheap_then_exact(steps, *np.broadcast_arrays(a, b))

    def apply(a, b) -> np.ndarray:
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
        result = parallel.map_parts(whole, (a, b), np.float64)
        return whole(a, b) if result is None else result

    apply.__name__, apply.__doc__ = steps.__name__.removeprefix("_steps_of_") + "d", steps.__doc__
    return apply


def _float64_arrays(kernel):
    """kernel on a float64 array of any shape (long ones in parts on torch's threads)."""
    split = parallel.splits(kernel, (np.float64,))

    def apply(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float64)
        return split(x.reshape(-1)).reshape(x.shape)

    apply.__name__, apply.__doc__ = kernel.__name__.lstrip("_"), kernel.__doc__
    return apply


class _Estrin:
    """A polynomial (coefficients highest first) as Sleef's POLY macros evaluate it by Estrin's scheme: the
    pairs c_2k+1 x + c_2k, then pairs of those with x**2, with x**4, ..., a term left without a partner (the
    highest) carried up a level (POLY10 = x**8 POLY2 + POLY8; POLY7's c6 pairs with POLY2 at x**2).
    `general`: coefficients whose terms need not outweigh the products (the general fused step)."""

    def __init__(self, *coefficients: float, general: bool = False) -> None:
        low_first = coefficients[::-1]
        self.pairs = [(_Operand(odd), even) for even, odd in zip(low_first[0::2], low_first[1::2])]
        self.top = [low_first[-1]] if len(low_first) % 2 else []  # (a constant term of its own)
        self.general = general

    def __call__(self, arithmetic, x: _Operand, powers: list[_Operand]) -> np.ndarray:
        """powers: x**2, x**4, ... (as many as the scheme has levels)."""

        def mla(a: _Operand, b, c):  # (b: a coefficient split once, or a term)
            if self.general:
                return arithmetic.fma(a.value, b.value if isinstance(b, _Operand) else b, c)
            return arithmetic.mla(a, b if isinstance(b, _Operand) else _Operand(b), c)

        terms = [mla(x, odd, even) for odd, even in self.pairs] + self.top
        for power in powers:
            if len(terms) == 1:
                break
            paired = [mla(power, hi, lo) for lo, hi in zip(terms[0::2], terms[1::2])]
            terms = paired + terms[len(paired) * 2 :]
        return terms[0]


def _pow2(n: np.ndarray) -> np.ndarray:
    """vpow2i_vd_vi: 2.0**n by its exponent bits, n in [-1022, 1023]."""
    return ((n + 1023) << 52).view(np.float64)


def _ldexp2(d: np.ndarray, q: np.ndarray) -> np.ndarray:
    """vldexp2_vd_vd_vi: d times 2**(q >> 1), then times 2**(q - (q >> 1))."""
    half = q >> 1
    return d * _pow2(half) * _pow2(q - half)


# -- exp ----------------------------------------------------------------------------------------------------
_R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931
_L2U = 0.69314718055966295651160180568695068359375  # ln 2's upper bits: q L2U is exact
_NEG_L2L = _Operand(-0.28235290563031577122588448175013436025525412068e-12)  # (ln 2 - L2U)
_EXP_POLY = _Estrin(
    0.2081276378237164457e-8,
    0.2511210703042288022e-7,
    0.2755762628169491192e-6,
    0.2755723402025388239e-5,
    0.2480158687479686264e-4,
    0.1984126989855865850e-3,
    0.1388888888914497797e-2,
    0.8333333333314938210e-2,
    0.4166666666666602598e-1,
    0.1666666666666669072e0,
)
_EXP_OVERFLOW = 709.78271114955742909217217426  # above: inf
_EXP_UNDERFLOW = -1000.0  # below: +0


@_exactly
def expd(d: np.ndarray, arithmetic) -> np.ndarray:
    """exp of a float64 array as Sleef_expd8_u10 computes it (xexp, FMA build): q = rint(d / ln 2),
    s = d - q ln 2 in two fused steps, a degree-10 polynomial by Estrin's scheme, three more fused steps
    (u s + 1/2, u s + 1, u s + 1), then 2**q in two halves; inf above 709.78..., +0 below -1000."""
    u = np.rint(d * _R_LN2)
    s = d - u * _L2U  # (exact: u has at most 11 bits where the result is kept, L2U 41)
    # the second step's product (at most 2**-31) outweighs s only where s is tiny
    arithmetic.doubt_where((np.abs(s) < 2.0**-28) & (u != 0))
    x = _Operand(arithmetic.mla(_Operand(u), _NEG_L2L, s))
    s2 = x.value * x.value
    s4 = s2 * s2
    p = _EXP_POLY(arithmetic, x, [_Operand(s2), _Operand(s4), _Operand(s4 * s4)])
    p = arithmetic.mla(_Operand(p), x, 0.5)
    p = arithmetic.mla(_Operand(p), x, 1.0)
    p = arithmetic.mla(_Operand(p), x, 1.0)
    q = np.clip(np.nan_to_num(u), -2000, 2000).astype(np.int64)  # (outside: replaced below)
    p = _ldexp2(p, q)
    p[d > _EXP_OVERFLOW] = np.inf
    p[d < _EXP_UNDERFLOW] = 0.0
    return p


_EXP2_POLY = _Estrin(
    0.4434359082926529454e-9,
    0.7073164598085707425e-8,
    0.1017819260921760451e-6,
    0.1321543872511327615e-5,
    0.1525273353517584730e-4,
    0.1540353045101147808e-3,
    0.1333355814670499073e-2,
    0.9618129107597600536e-2,
    0.5550410866482046596e-1,
    0.2402265069591012214e0,
)
_LN2 = 0.6931471805599452862


@_exactly
def exp2d(d: np.ndarray, arithmetic) -> np.ndarray:
    """2**d of a float64 array as Sleef_exp2d8_u10 computes it (xexp2, FMA build): s = d - rint(d), a
    degree-10 polynomial by Estrin's scheme, then u s + ln 2 and u s + 1 fused, 2**rint(d) in two halves;
    inf from 1024 up, +0 below -2000."""
    u = np.rint(d)
    x = _Operand(d - u)
    s2 = x.value * x.value
    s4 = s2 * s2
    p = _EXP2_POLY(arithmetic, x, [_Operand(s2), _Operand(s4), _Operand(s4 * s4)])
    p = arithmetic.mla(_Operand(p), x, _LN2)
    p = arithmetic.mla(_Operand(p), x, 1.0)
    p = _ldexp2(p, np.clip(np.nan_to_num(u), -2000, 1024).astype(np.int64))  # (outside: replaced below)
    p[d >= 1024] = np.inf
    p[d < -2000] = 0.0
    return p


# -- log ----------------------------------------------------------------------------------------------------
_LN2_HI, _LN2_LO = 0.693147180559945286226764, 2.319046813846299558417771e-17
_LOG_POLY = _Estrin(
    0.1532076988502701353e0,
    0.1525629051003428716e0,
    0.1818605932937785996e0,
    0.2222214519839380009e0,
    0.2857142932794299317e0,
    0.3999999999635251990e0,
    0.6666666666667333541e0,
)


def _product_error(a, b, p: np.ndarray) -> np.ndarray:
    """vfmapn(a, b, p) for p = a * b rounded: the product's rounding error, exactly (Dekker; a factor past
    2**900, whose split would overflow, is scaled down and the other up by 2**200 first: the same product)."""
    big_a, big_b = np.abs(a) > 2.0**900, np.abs(b) > 2.0**900
    if np.any(big_a) or np.any(big_b):
        scale = np.where(big_a, 2.0**-200, np.where(big_b, 2.0**200, 1.0))
        a, b = a * scale, b / scale
    return _error_of(_Operand(a), _Operand(b), p)


def _error_of(a: _Operand, b: _Operand, p: np.ndarray) -> np.ndarray:
    """a b - p for p = a * b rounded, exactly (Dekker: the halves' products are exact)."""
    return ((a.hi * b.hi - p) + a.hi * b.lo + a.lo * b.hi) + a.lo * b.lo


def _exponent(d: np.ndarray) -> np.ndarray:
    """vgetexp(d / 0.75) as a double: the e of d = m 2**e with m in [0.75, 1.5) (subnormals too), 1024 where
    d / 0.75 overflows (Sleef's rule for getexp's inf)."""
    scaled = d * (1 / 0.75)
    e = (np.frexp(scaled)[1] - 1).astype(np.float64)
    e[scaled == np.inf] = 1024
    return e


def _reduced(d: np.ndarray) -> tuple:
    """xlog_u1's and logk's start: d = m 2**e (e by _exponent, m by ldexp: getmant's), and m + 1 as a pair
    (ddadd2's TwoSum): (e, m, hi, lo)."""
    e = _exponent(d)
    m = np.ldexp(d, -np.clip(e, -1100, 1100).astype(np.int64))
    hi = m + 1
    return e, m, hi, (1 - (hi - (hi - 1))) + (m - (hi - 1))


def _log_of_quotient(e, numerator, denominator, denominator_lo, arithmetic) -> np.ndarray:
    """e ln 2 + 2 atanh(x), x = numerator / (denominator + denominator_lo), as xlog_u1 and xlog1p finish:
    x as a double-double (dddiv with fused steps; the numerator's low part is 0), 2 atanh x = 2x + x**3
    P(x**2) with P of degree 6 by Estrin's scheme, e ln 2 as a double-double (ddmul), the pairs added
    (ddadd) and their parts added last."""
    t = 1 / denominator
    x_hi = numerator * t
    u = _product_error(t, numerator, x_hi)
    p = denominator * t
    one_less = (1 - p) - _product_error(denominator, t, p)  # vfmanp(dx, t, 1): 1 - p exact, one rounding
    x_lo = arithmetic.fma(x_hi, arithmetic.fma(-denominator_lo, t, one_less), u)
    x2 = x_hi * x_hi
    x4 = x2 * x2
    poly = _LOG_POLY(arithmetic, _Operand(x2), [_Operand(x4), _Operand(x4 * x4)])
    s_hi = _LN2_HI * e  # ddmul(ln 2, e): its low part one fused step over the product's error
    s_lo = arithmetic.fma(_LN2_LO, e, _product_error(_LN2_HI, e, s_hi))
    hi = s_hi + 2 * x_hi  # ddadd(s, 2x)
    lo = (((s_hi - hi) + 2 * x_hi) + s_lo) + 2 * x_lo
    v = x2 * x_hi * poly
    r_hi = hi + v  # ddadd(s, x**3 P)
    return r_hi + (((hi - r_hi) + v) + lo)


@_exactly
def logd(d: np.ndarray, arithmetic) -> np.ndarray:
    """log of a float64 array as Sleef_logd8_u10 computes it (xlog_u1, AVX512 build): d = m 2**e with m in
    [0.75, 1.5) (getexp of d / 0.75, getmant), then e ln 2 + 2 atanh((m - 1) / (m + 1)) (_log_of_quotient);
    -inf at 0, NaN below it, inf at inf."""
    e, m, denominator, denominator_lo = _reduced(d)
    # (m - 1 is exact: ddadd2(-1, m)'s low part is 0)
    r = _log_of_quotient(e, m - 1, denominator, denominator_lo, arithmetic)
    r[d == 0] = -np.inf
    r[(d < 0) | np.isnan(d)] = np.nan
    r[d == np.inf] = np.inf
    return r


@_exactly
def log1pd(d: np.ndarray, arithmetic) -> np.ndarray:
    """log(1 + d) of a float64 array as Sleef_log1pd8_u10 computes it (xlog1p, AVX512 build): e from
    1 + d (getexp of (1 + d) / 0.75), m = d 2**-e + (2**-e - 1) (one rounding: the product is exact), then
    e ln 2 + 2 atanh(m / (2 + m)) (_log_of_quotient); inf at inf, -inf at -1, NaN below it, -0 kept (torch's
    Sleef has no cut-off at 1e307: finite up to the largest double)."""
    e = _exponent(d + 1)
    t = np.ldexp(1.0, -np.clip(e, -1100, 1100).astype(np.int64))
    m = d * t + (t - 1)
    denominator = 2 + m
    r = _log_of_quotient(e, m, denominator, (2 - denominator) + m, arithmetic)  # (ddadd(2, m): Fast2Sum)
    r[d == np.inf] = np.inf
    r[(d < -1) | np.isnan(d)] = np.nan
    r[d == -1] = -np.inf
    r[(d == 0) & np.signbit(d)] = -0.0
    return r


# -- the double-double functions: expm1, sinh, cosh, tanh -------------------------------------------------
# (dd.h's FMA forms; a pair is (hi, lo); vfmapn(a, b, a * b) is the product's exact error)


def _dd_add(x, y) -> tuple:
    """ddadd_vd2_vd2_vd2 (|x| >= |y|); x a double: ddadd_vd2_vd_vd2."""
    if not isinstance(x, tuple):
        hi = x + y[0]
        return hi, ((x - hi) + y[0]) + y[1]
    hi = x[0] + y[0]
    return hi, (((x[0] - hi) + y[0]) + x[1]) + y[1]


def _dd_add2(x, y) -> tuple:
    """ddadd2_vd2_vd2_vd2: TwoSum of the high parts, then both low parts."""
    hi = x[0] + y[0]
    v = hi - x[0]
    return hi, ((x[0] - (hi - v)) + (y[0] - v)) + (x[1] + y[1])


def _dd_add2_double(x, y) -> tuple:
    """ddadd2_vd2_vd2_vd: TwoSum of x's high part and y, then x's low part."""
    hi = x[0] + y
    v = hi - x[0]
    return hi, ((x[0] - (hi - v)) + (y - v)) + x[1]


def _dd_mul(x, y, arithmetic) -> tuple:
    """ddmul_vd2_vd2_vd2: hi = x.hi y.hi, lo = fma(x.hi, y.lo, fma(x.lo, y.hi, the product's error))."""
    hi = x[0] * y[0]
    return hi, arithmetic.fma(x[0], y[1], arithmetic.fma(x[1], y[0], _product_error(x[0], y[0], hi)))


def _dd_mul_double(x, y, arithmetic) -> tuple:
    """ddmul_vd2_vd2_vd: hi = x.hi y, lo = fma(x.lo, y, the product's error)."""
    hi = x[0] * y
    return hi, arithmetic.fma(x[1], y, _product_error(x[0], y, hi))


def _dd_square(x, arithmetic) -> tuple:
    """ddsqu_vd2_vd2: hi = x.hi**2, lo = fma(x.hi + x.hi, x.lo, the square's error)."""
    hi = x[0] * x[0]
    return hi, arithmetic.fma(x[0] + x[0], x[1], _product_error(x[0], x[0], hi))


def _one_less(d, t) -> np.ndarray:
    """vfmanp(d, t, 1) for t = 1 / d rounded: 1 - d t with one rounding (1 - p is exact)."""
    p = d * t
    return (1 - p) - _product_error(d, t, p)


def _dd_reciprocal(d, arithmetic) -> tuple:
    """ddrec_vd2_vd2: t = 1 / d.hi, lo = t fma(-d.lo, t, 1 - d.hi t)."""
    t = 1 / d[0]
    return t, t * arithmetic.fma(-d[1], t, _one_less(d[0], t))


def _dd_divide(n, d, arithmetic) -> tuple:
    """dddiv_vd2_vd2_vd2: t = 1 / d.hi, hi = n.hi t, lo = fma(hi, fma(-d.lo, t, 1 - d.hi t), fma(n.lo, t,
    the quotient's product error))."""
    t = 1 / d[0]
    hi = n[0] * t
    u = _product_error(t, n[0], hi)
    return hi, arithmetic.fma(hi, arithmetic.fma(-d[1], t, _one_less(d[0], t)), arithmetic.fma(n[1], t, u))


_EXPK2_POLY = _Estrin(
    0.1602472219709932072e-9,
    0.2092255183563157007e-8,
    0.2505230023782644465e-7,
    0.2755724800902135303e-6,
    0.2755731892386044373e-5,
    0.2480158735605815065e-4,
    0.1984126984148071858e-3,
    0.1388888888886763255e-2,
    0.8333333333333347095e-2,
    0.4166666666666669905e-1,
)


def _expk2(a: np.ndarray, arithmetic) -> tuple:
    """expk2 of (a, 0): exp(a) as a double-double.  q = rint(a / ln 2), s = a - q ln 2 as a pair, s**2 and
    s**4 as pairs, a degree-10 polynomial in s by Estrin's scheme (plain doubles), then
    1 + s (1 + s (1/2 + s/6)) + s**4 P(s) in pairs, times 2**q (both parts); 0 below -1000."""
    dq = np.rint(a * _R_LN2)
    s = _dd_add2_double((a, np.zeros_like(a)), dq * -_L2U)
    s = _dd_add2_double(s, dq * _NEG_L2L.value)
    s2 = _dd_square(s, arithmetic)
    s4 = _dd_square(s2, arithmetic)
    x = _Operand(s[0])
    u = _EXPK2_POLY(arithmetic, x, [_Operand(s2[0]), _Operand(s4[0]), _Operand(s4[0] * s4[0])])
    t = _dd_add(0.5, _dd_mul_double(s, 0.1666666666666666574, arithmetic))
    t = _dd_add(1.0, _dd_mul(t, s, arithmetic))
    t = _dd_add(1.0, _dd_mul(t, s, arithmetic))
    t = _dd_add(t, _dd_mul_double(s4, u, arithmetic))
    q = np.clip(np.nan_to_num(dq), -2000, 2000).astype(np.int64)  # (outside: replaced by the callers)
    hi, lo = _ldexp2(t[0], q), _ldexp2(t[1], q)
    hi[a < -1000], lo[a < -1000] = 0.0, 0.0
    return hi, lo


@_exactly
def expm1d(a: np.ndarray, arithmetic) -> np.ndarray:
    """exp(a) - 1 of a float64 array as Sleef_expm1d8_u10 computes it (xexpm1): expk2's pair plus -1
    (ddadd2), its parts added; inf above 709.78..., -1 below -36.74..., -0 kept."""
    hi, lo = _dd_add2_double(_expk2(a, arithmetic), -1.0)
    x = hi + lo
    x[a > 709.782712893383996732223] = np.inf
    x[a < -36.736800569677101399113302437] = -1.0
    x[(a == 0) & np.signbit(a)] = -0.0
    return x


def _with_sign_of(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """vmulsign: y with its sign flipped where x's sign bit is set."""
    return np.where(np.signbit(x), -y, y)


@_exactly
def sinhd(x: np.ndarray, arithmetic) -> np.ndarray:
    """sinh of a float64 array as Sleef_sinhd8_u10 computes it (xsinh): d = expk2(|x|), (d - 1/d) / 2 in
    pairs (ddsub of ddrec), the parts added; inf past |x| > 710 (or a NaN pair), x's sign, NaN for NaN."""
    d = _expk2(np.abs(x), arithmetic)
    r = _dd_reciprocal(d, arithmetic)
    hi = d[0] - r[0]  # ddsub_vd2_vd2_vd2
    lo = (((d[0] - hi) - r[0]) + d[1]) - r[1]
    y = (hi + lo) * 0.5
    y[(np.abs(x) > 710) | np.isnan(y)] = np.inf
    y = _with_sign_of(y, x)
    y[np.isnan(x)] = np.nan
    return y


@_exactly
def coshd(x: np.ndarray, arithmetic) -> np.ndarray:
    """cosh of a float64 array as Sleef_coshd8_u10 computes it (xcosh): d = expk2(|x|), (d + 1/d) / 2 in
    pairs, the parts added; inf past |x| > 710 (or a NaN pair), NaN for NaN."""
    d = _expk2(np.abs(x), arithmetic)
    hi, lo = _dd_add(d, _dd_reciprocal(d, arithmetic))
    y = (hi + lo) * 0.5
    y[(np.abs(x) > 710) | np.isnan(y)] = np.inf
    y[np.isnan(x)] = np.nan
    return y


@_exactly
def tanhd(x: np.ndarray, arithmetic) -> np.ndarray:
    """tanh of a float64 array as Sleef_tanhd8_u10 computes it (xtanh): d = expk2(|x|), e = 1/d,
    (d - e) / (d + e) in pairs (ddadd2, dddiv), the parts added; 1 past |x| > 18.71... (or a NaN pair),
    x's sign, NaN for NaN."""
    d = _expk2(np.abs(x), arithmetic)
    e = _dd_reciprocal(d, arithmetic)
    hi, lo = _dd_divide(_dd_add2(d, (-e[0], -e[1])), _dd_add2(d, e), arithmetic)
    y = hi + lo
    y[(np.abs(x) > 18.714973875) | np.isnan(y)] = 1.0
    y = _with_sign_of(y, x)
    y[np.isnan(x)] = np.nan
    return y


_LOGK2_POLY = _Estrin(
    0.13860436390467167910856,
    0.131699838841615374240845,
    0.153914168346271945653214,
    0.181816523941564611721589,
    0.22222224632662035403996,
    0.285714285511134091777308,
    0.400000000000914013309483,
)


def _logk2(d, arithmetic) -> tuple:
    """logk2: log of a double-double as a double-double.  d = m 2**e (e of d.hi / 0.75, both parts scaled),
    x = (m - 1) / (m + 1) in pairs (ddadd2, dddiv), x**2 as a pair, t = P(x**2) of degree 6 by Estrin's
    scheme then t x**2 + 2/3 fused, and e ln 2 + 2x + x**3 t in pairs."""
    e = _exponent(d[0])
    scale = np.ldexp(1.0, -np.clip(e, -1100, 1100).astype(np.int64))
    m = (d[0] * scale, d[1] * scale)
    x = _dd_divide(_dd_add2_double(m, -1.0), _dd_add2_double(m, 1.0), arithmetic)
    x2 = _dd_square(x, arithmetic)
    x4 = x2[0] * x2[0]
    t = _LOGK2_POLY(arithmetic, _Operand(x2[0]), [_Operand(x4), _Operand(x4 * x4)])
    t = arithmetic.mla(_Operand(t), _Operand(x2[0]), 0.666666666666664853302393)
    s = _dd_mul_double((_LN2_HI, _LN2_LO), e, arithmetic)
    s = _dd_add(s, (x[0] * 2, x[1] * 2))
    return _dd_add(s, _dd_mul_double(_dd_mul(x2, x, arithmetic), t, arithmetic))


@_exactly
def atanhd(x: np.ndarray, arithmetic) -> np.ndarray:
    """atanh of a float64 array as Sleef_atanhd8_u10 computes it (xatanh): log((1 + |x|) / (1 - |x|)) / 2
    in pairs (ddadd2, dddiv, logk2), the parts added; inf at |x| = 1, NaN past it, at +-inf and for NaN;
    x's sign."""
    y = np.abs(x)
    hi, lo = _logk2(_dd_divide(_dd_add2_double((1.0, 0.0), y), _dd_add2_double((1.0, 0.0), -y), arithmetic), arithmetic)
    r = (hi + lo) * 0.5
    r[y == 1] = np.inf
    r[y > 1] = np.nan
    r = _with_sign_of(r, x)
    r[np.isinf(x) | np.isnan(r) | np.isnan(x)] = np.nan
    return r


# -- erf ----------------------------------------------------------------------------------------------------
_EXPK_POLY = _Estrin(
    2.51069683420950419527139e-08,
    2.76286166770270649116855e-07,
    2.75572496725023574143864e-06,
    2.48014973989819794114153e-05,
    0.000198412698809069797676111,
    0.0013888888939977128960529,
    0.00833333333332371417601081,
    0.0416666666665409524128449,
    0.166666666666666740681535,
    0.500000000000000999200722,
)


def _expk(d, arithmetic) -> np.ndarray:
    """expk: exp of a double-double as a double: q = rint((d.hi + d.lo) / ln 2), s = d - q ln 2 as a
    normalized pair, 1 + s + s**2 P(s) (P of degree 9 by Estrin's scheme) in pairs, its parts added, times
    2**q; 0 below -1000."""
    dq = np.rint((d[0] + d[1]) * _R_LN2)
    s = _dd_add2_double(d, dq * -_L2U)
    s = _dd_add2_double(s, dq * _NEG_L2L.value)
    hi = s[0] + s[1]  # ddnormalize
    s = (hi, (s[0] - hi) + s[1])
    s2 = s[0] * s[0]
    s4 = s2 * s2
    u = _EXPK_POLY(arithmetic, _Operand(s[0]), [_Operand(s2), _Operand(s4), _Operand(s4 * s4)])
    t = _dd_add(_dd_add(1.0, s), _dd_mul_double(_dd_square(s, arithmetic), u, arithmetic))
    r = _ldexp2(t[0] + t[1], np.clip(np.nan_to_num(dq), -2000, 2000).astype(np.int64))
    r[d[0] < -1000] = 0.0
    return r


# Abramowitz and Stegun's form: erf x = 1 - (1 + x P(x))**-16 up to 2.5, 1 - exp(x P(x)) past it; P's
# coefficients by interval, highest first (POLY21, then poly4dd's three double-double ones)
_ERF_POLY = {
    "near": _Estrin(
        -0.2083271002525222097e-14, +0.7151909970790897009e-13, -0.1162238220110999364e-11,
        +0.1186474230821585259e-10, -0.8499973178354613440e-10, +0.4507647462598841629e-9,
        -0.1808044474288848915e-8, +0.5435081826716212389e-8, -0.1143939895758628484e-7,
        +0.1215442362680889243e-7, +0.1669878756181250355e-7, -0.9808074602255194288e-7,
        +0.1389000557865837204e-6, +0.2945514529987331866e-6, -0.1842918273003998283e-5,
        +0.3417987836115362136e-5, +0.3860236356493129101e-5, -0.3309403072749947546e-4,
        +0.1060862922597579532e-3, +0.2323253155213076174e-3, +0.1490149719145544729e-3,
        general=True,
    ),
    "far": _Estrin(
        -0.4024015130752621932e-18, +0.3847193332817048172e-16, -0.1749316241455644088e-14,
        +0.5029618322872872715e-13, -0.1025221466851463164e-11, +0.1573695559331945583e-10,
        -0.1884658558040203709e-9, +0.1798167853032159309e-8, -0.1380745342355033142e-7,
        +0.8525705726469103499e-7, -0.4160448058101303405e-6, +0.1517272660008588485e-5,
        -0.3341634127317201697e-5, -0.2515023395879724513e-5, +0.6539731269664907554e-4,
        -0.3551065097428388658e-3, +0.1210736097958368864e-2, -0.2605566912579998680e-2,
        +0.1252823202436093193e-2, +0.1820191395263313222e-1, -0.1021557155453465954e0,
        general=True,
    ),
}  # fmt: skip
_ERF_PAIRS = {
    "near": (
        (0.0092877958392275604405, 7.9287559463961107493e-19),
        (0.042275531758784692937, 1.3785226620501016138e-19),
        (0.07052369794346953491, 9.5846628070792092842e-19),
    ),
    "far": (
        (-0.63691044383641748361, -2.4249477526539431839e-17),
        (-1.1282926061803961737, -6.2970338860410996505e-17),
        (-1.2261313785184804967e-05, -5.5329707514490107044e-22),
    ),
}


def _erf_poly(x: np.ndarray, powers: list, part: str, arithmetic) -> tuple:
    """POLY21 in x, then poly4dd: x**2 (x t + c2) + (x c1 + c0) with double-double coefficients."""
    t = _ERF_POLY[part](arithmetic, _Operand(x), powers)
    c2, c1, c0 = _ERF_PAIRS[part]
    high = _dd_add(c2, _dd_mul_double((t, np.zeros_like(t)), x, arithmetic))  # poly2dd: ddmla(x, (t, 0), c2)
    low = _dd_add(c0, _dd_mul_double(c1, x, arithmetic))  # poly2dd_b: ddmla(x, c1, c0)
    return _dd_add(low, _dd_mul_double(high, x * x, arithmetic))


@_exactly
def erfd(a: np.ndarray, arithmetic) -> np.ndarray:
    """erf of a float64 array as Sleef_erfd8_u10 computes it (xerf_u1): for |x| <= 2.5, 1 - (1 + x P)**-16
    with the power by four pair squarings and a pair reciprocal; past it, 1 - exp(x P) (expk); x's sign.
    2 x / sqrt(pi) below 1e-8, 1 from 6 and at +-inf, 0 at +-0."""
    x = np.abs(a)
    x2 = x * x
    x4 = x2 * x2
    x8 = x4 * x4
    powers = [_Operand(x2), _Operand(x4), _Operand(x8), _Operand(x8 * x8)]
    near = x <= 2.5
    t2 = _dd_add(1.0, _dd_mul_double(_erf_poly(x, powers, "near", arithmetic), x, arithmetic))
    for _ in range(4):
        t2 = _dd_square(t2, arithmetic)
    t2 = _dd_reciprocal(t2, arithmetic)
    if not near.all():
        far = _expk(_erf_poly(x, powers, "far", arithmetic), arithmetic)
        t2 = (np.where(near, t2[0], far), np.where(near, t2[1], 0.0))
    hi, lo = _dd_add2_double(t2, -1.0)
    z = -(hi + lo)
    z = np.where(x < 1e-8, x * 1.12837916709551262756245475959, z)
    z[x >= 6] = 1.0
    z[np.isinf(a)] = 1.0
    z[a == 0] = 0.0
    return _with_sign_of(z, a)


# -- pow ----------------------------------------------------------------------------------------------------
_LOGK_POLY = _Estrin(
    0.116255524079935043668677,
    0.103239680901072952701192,
    0.117754809412463995466069,
    0.13332981086846273921509,
    0.153846227114512262845736,
    0.181818180850050775676507,
    0.222222222230083560345903,
    0.285714285714249172087875,
    0.400000000000000077715612,
)


def _logk(d: np.ndarray, arithmetic) -> tuple:
    """logk (AVX512 build): log of a double as a double-double.  d = m 2**e, x = (m - 1) / (m + 1) in pairs,
    x**2 as a pair, P(x**2) of degree 8 by Estrin's scheme, then e ln 2 + 2x + x**3 (2/3) + x**5 P in
    pairs."""
    e, m, denominator, denominator_lo = _reduced(d)
    x = _dd_divide((m - 1, np.zeros_like(m)), (denominator, denominator_lo), arithmetic)
    x2 = _dd_square(x, arithmetic)
    x4 = x2[0] * x2[0]
    x8 = x4 * x4
    t = _LOGK_POLY(arithmetic, _Operand(x2[0]), [_Operand(x4), _Operand(x8), _Operand(x8 * x8)])
    s = _dd_mul_double((_LN2_HI, _LN2_LO), e, arithmetic)
    s = _dd_add(s, (x[0] * 2, x[1] * 2))
    x = _dd_mul(x2, x, arithmetic)
    s = _dd_add(s, _dd_mul(x, (0.666666666666666629659233, 3.80554962542412056336616e-17), arithmetic))
    x = _dd_mul(x2, x, arithmetic)
    return _dd_add(s, _dd_mul_double(x, t, arithmetic))


def _is_integer(y: np.ndarray) -> np.ndarray:
    return np.isfinite(y) & (np.trunc(y) == y)


def _steps_of_pow(x: np.ndarray, y: np.ndarray, arithmetic) -> np.ndarray:
    """xpow: exp(y log|x|) with log and exp in pairs (logk, ddmul, expk), inf past 709.78...; the sign by
    y's parity for x < 0 (NaN for a y not an integer), then C99's special cases."""
    x, y = np.broadcast_arrays(x, y)
    y_int = _is_integer(y)
    y_odd = y_int & (np.abs(np.fmod(y, 2)) == 1)
    d = _dd_mul_double(_logk(np.abs(x), arithmetic), y, arithmetic)
    result = _expk(d, arithmetic)
    result[d[0] > _EXP_OVERFLOW] = np.inf
    result = result * np.where(x > 0, 1.0, np.where(y_int, np.where(y_odd, -1.0, 1.0), np.nan))
    efx = _with_sign_of(np.abs(x) - 1, y)
    at_inf_y = np.where(efx < 0, 0.0, np.where(efx == 0, 1.0, np.inf))
    result = np.where(np.isinf(y), at_inf_y, result)
    zero_or_inf = np.where(np.signbit(y) ^ (x == 0), 0.0, np.inf)
    result = np.where(np.isinf(x) | (x == 0), _with_sign_of(zero_or_inf, np.where(y_odd, x, 1.0)), result)
    result = np.where(np.isnan(x) | np.isnan(y), np.nan, result)
    return np.where((y == 0) | (x == 1), 1.0, result)


powd = _exactly_binary(_steps_of_pow)


# -- atan2 --------------------------------------------------------------------------------------------------
_ATAN_POLY = _Estrin(
    1.06298484191448746607415e-05,
    -0.000125620649967286867384336,
    0.00070557664296393412389774,
    -0.00251865614498713360352999,
    0.00646262899036991172313504,
    -0.0128281333663399031014274,
    0.0208024799924145797902497,
    -0.0289002344784740315686289,
    0.0359785005035104590853656,
    -0.041848579703592507506027,
    0.0470843011653283988193763,
    -0.0524914210588448421068719,
    0.0587946590969581003860434,
    -0.0666620884778795497194182,
    0.0769225330296203768654095,
    -0.0909090442773387574781907,
    general=True,
)
_ATAN_TAIL = (0.111111108376896236538123, -0.142857142756268568062339, 0.199999999997977351284817)
_ATAN_TAIL += (-0.333333333333317605173818,)
_HALF_PI = (1.570796326794896557998982, 6.12323399573676603586882e-17)


def _atan2k_u1(y: np.ndarray, x: np.ndarray, arithmetic) -> tuple:
    """atan2k_u1 of (y, 0) and (x, 0), y >= 0: x's sign folded into a quadrant count q, the smaller over the
    larger as a pair (dddiv), s + s t P(t) in pairs with t = s**2 and P of degree 19 (Estrin's 16 and four
    fused steps), plus q pi/2 in pairs."""
    zero = np.zeros_like(x)
    negative = x < 0
    q = np.where(negative, -2.0, 0.0)
    x = np.where(negative, -x, x)
    steep = x < y
    q = np.where(steep, q + 1, q)
    s = _dd_divide((np.where(steep, -x, y), zero), (np.where(steep, y, x), zero), arithmetic)
    t = _dd_square(s, arithmetic)
    hi = t[0] + t[1]  # ddnormalize
    t = (hi, (t[0] - hi) + t[1])
    t2 = t[0] * t[0]
    t4 = t2 * t2
    u = _ATAN_POLY(arithmetic, _Operand(t[0]), [_Operand(t2), _Operand(t4), _Operand(t4 * t4)])
    for c in _ATAN_TAIL:
        u = arithmetic.fma(u, t[0], c)
    t = _dd_add(s, _dd_mul_double(_dd_mul(s, t, arithmetic), u, arithmetic))
    return _dd_add(_dd_mul_double(_HALF_PI, q, arithmetic), t)


def _steps_of_atan2(y: np.ndarray, x: np.ndarray, arithmetic) -> np.ndarray:
    """xatan2_u1: atan2k_u1 of |y| and x (both scaled by 2**53 where |x| is below 1 / DBL_MAX), the pair's
    parts added, x's sign; C99's special cases for zeros and infinities; y's sign."""
    tiny = np.abs(x) < 5.5626846462680083984e-309
    x, y = np.where(tiny, x * 2.0**53, x), np.where(tiny, y * 2.0**53, y)
    hi, lo = _atan2k_u1(np.abs(y), x, arithmetic)
    r = _with_sign_of(hi + lo, x)
    x_inf = np.isinf(x)
    r = np.where(x_inf | (x == 0), np.pi / 2 - np.where(x_inf, _with_sign_of(np.pi / 2, x), 0.0), r)
    r = np.where(np.isinf(y), np.pi / 2 - np.where(x_inf, _with_sign_of(np.pi / 4, x), 0.0), r)
    r = np.where(y == 0, np.where(np.signbit(x), np.pi, 0.0), r)
    return np.where(np.isnan(x) | np.isnan(y), np.nan, _with_sign_of(r, y))


atan2d = _exactly_binary(_steps_of_atan2)


# -- hypot --------------------------------------------------------------------------------------------------
def _dd_sqrt(d, arithmetic) -> tuple:
    """ddsqrt_vd2_vd2: t = sqrt(d.hi + d.lo), then (d + t t) / t / 2 in pairs (ddmul of a ddrec)."""
    t = np.sqrt(d[0] + d[1])
    square = t * t
    total = _dd_add2(d, (square, _product_error(t, t, square)))
    reciprocal = 1 / t
    inverse = (reciprocal, reciprocal * _one_less(t, reciprocal))  # ddrec_vd2_vd
    hi, lo = _dd_mul(total, inverse, arithmetic)
    return hi * 0.5, lo * 0.5


def _steps_of_hypot(x: np.ndarray, y: np.ndarray, arithmetic) -> np.ndarray:
    """xhypot_u05: max sqrt(1 + (min / max)**2) in pairs (dddiv, ddsqu, ddadd2, ddsqrt, ddmul), both scaled
    by 2**54 below DBL_MIN; max where min is 0, inf for a NaN pair, NaN for a NaN input unless one is
    infinite."""
    x, y = np.abs(x), np.abs(y)
    small, large = np.minimum(x, y), np.maximum(x, y)
    tiny = large < 2.2250738585072014e-308
    n, d = np.where(tiny, small * 2.0**54, small), np.where(tiny, large * 2.0**54, large)
    zero = np.zeros_like(n)
    t = _dd_divide((n, zero), (d, zero), arithmetic)
    t = _dd_add2_double(_dd_square(t, arithmetic), 1.0)
    hi, lo = _dd_mul_double(_dd_sqrt(t, arithmetic), large, arithmetic)
    r = hi + lo
    r = np.where(np.isnan(r), np.inf, r)
    r = np.where(small == 0, large, r)
    r = np.where(np.isnan(x) | np.isnan(y), np.nan, r)
    return np.where((x == np.inf) | (y == np.inf), np.inf, r)


hypotd = _exactly_binary(_steps_of_hypot)


# -- lgamma -------------------------------------------------------------------------------------------------
def _dd_add2_first_double(x, y) -> tuple:
    """ddadd2_vd2_vd_vd2: TwoSum of x and y's high part, then y's low part."""
    hi = x + y[0]
    v = hi - x
    return hi, ((x - (hi - v)) + (y[0] - v)) + y[1]


def _dd_normalize(x) -> tuple:
    hi = x[0] + x[1]
    return hi, (x[0] - hi) + x[1]


def _dd_select(mask, x, y) -> tuple:
    return np.where(mask, x[0], y[0]), np.where(mask, x[1], y[1])


def _flip_where(mask, x) -> tuple:
    """Both parts' signs flipped where mask (an xor of the sign bits)."""
    return np.where(mask, -x[0], x[0]), np.where(mask, -x[1], x[1])


def _truncate_int32(v: np.ndarray) -> np.ndarray:
    """vtruncate_vi_vd (cvttpd2dq): toward zero, -2**31 where an int32 cannot hold it."""
    inside = np.abs(v) < 2.0**31
    return np.where(inside, np.trunc(np.where(inside, v, 0)), -(2.0**31)).astype(np.int64)


_SINPI_U = (
    (9.94480387626843774090208e-16, -2.02461120785182399295868e-14),
    (-3.89796226062932799164047e-13, 6.948218305801794613277840e-12),
    (1.150115825399960352669010e-10, -1.75724749952853179952664e-09),
    (-2.46113695010446974953590e-08, 3.133616889668683928784220e-07),
    (3.590860448590527540050620e-06, -3.65762041821615519203610e-05),
    (-0.000325991886927389905997954, 0.0024903945701927185027435600),
)  # (odd quarter, even quarter), highest first


def _sinpik(d: np.ndarray, arithmetic) -> tuple:
    """sinpik: sin(pi d) as a pair, d reduced to a quarter period by q = trunc(4 d) made even, a polynomial
    in s = (4d - q)**2 (cos's on odd quarters), finished in pairs."""
    u = d * 4.0
    q = _truncate_int32(u)
    q = (q + (((q >> 63) & 1) ^ 1)) & ~1
    odd = (q & 2) == 2
    s = u - q.astype(np.float64)
    t = s
    s = s * s
    t2 = t * t
    s2 = (t2, _product_error(t, t, t2))
    u = np.where(odd, *_SINPI_U[0])
    for pair in _SINPI_U[1:]:
        u = arithmetic.fma(u, s, np.where(odd, *pair))
    x = _dd_add2_first_double(
        u * s,
        _dd_select(odd, (0.0158543442438155018914259, -1.04693272280631521908845e-18),
                   (-0.0807455121882807852484731, 3.61852475067037104849987e-18)),
    )  # fmt: skip
    x = _dd_add2(
        _dd_mul(s2, x, arithmetic),
        _dd_select(odd, (-0.308425137534042437259529, -1.95698492133633550338345e-17),
                   (0.785398163397448278999491, 3.06287113727155002607105e-17)),
    )  # fmt: skip
    x = _dd_mul(x, _dd_select(odd, s2, (t, np.zeros_like(t))), arithmetic)
    x = _dd_select(odd, _dd_add2_double(x, 1.0), x)
    return _flip_where((q & 4) == 4, x)


# gammak's polynomial in t, highest first: (x >= 2.3 (Stirling's in 1/x), 0.5 <= x <= 1.1, else)
_GAMMA_U = (
    (-156.801412704022726379848862, +0.2947916772827614196e2, +0.7074816000864609279e-7),
    (+1.120804464289911606838558160000, +0.1281459691827820109e3, +0.4009244333008730443e-6),
    (+13.39798545514258921833306020000, +0.2617544025784515043e3, +0.1040114641628246946e-5),
    (-0.116546276599463200848033357000, +0.3287022855685790432e3, +0.1508349150733329167e-5),
    (-1.391801093265337481495562410000, +0.2818145867730348186e3, +0.1288143074933901020e-5),
    (+0.015056113040026424412918973400, +0.1728670414673559605e3, +0.4744167749884993937e-6),
    (+0.179540117061234856098844714000, +0.7748735764030416817e2, -0.6554816306542489902e-7),
    (-0.002481743600264997730942489280, +0.2512856643080930752e2, -0.3189252471452599844e-6),
    (-0.029527880945699120504851034100, +0.5766792106140076868e1, +0.1358883821470355377e-6),
    (+0.000540164767892604515196325186, +0.7270275473996180571e0, -0.4343931277157336040e-6),
    (+0.006403362833808069794787256200, +0.8396709124579147809e-1, +0.9724785897406779555e-6),
    (-0.000162516262783915816896611252, -0.8211558669746804595e-1, -0.2036886057225966011e-5),
    (-0.001914438498565477526465972390, +0.6828831828341884458e-1, +0.4373363141819725815e-5),
    (+7.20489541602001055898311517e-05, -0.7712481339961671511e-1, -0.9439951268304008677e-5),
    (+0.000839498720672087279971000786, +0.8337492023017314957e-1, +0.2050727030376389804e-4),
    (-5.17179090826059219329394422e-05, -0.9094964931456242518e-1, -0.4492620183431184018e-4),
    (-0.000592166437353693882857342347, +0.1000996313575929358e0, +0.9945751236071875931e-4),
    (+6.97281375836585777403743539e-05, -0.1113342861544207724e0, -0.2231547599034983196e-3),
    (+0.000784039221720066627493314301, +0.1255096673213020875e0, +0.5096695247101967622e-3),
    (-0.000229472093621399176949318732, -0.1440498967843054368e0, -0.1192753911667886971e-2),
    (-0.002681327160493827160473958490, +0.1695571770041949811e0, +0.2890510330742210310e-2),
    (+0.003472222222222222222175164840, -0.2073855510284092762e0, -0.7385551028674461858e-2),
    (+0.083333333333333333335592087900, +0.2705808084277815939e0, +0.2058080842778455335e-1),
)
_GAMMA_Z = (  # (0.5 <= x <= 1.1, else)
    (-0.4006856343865314862e0, -0.6735230105319810201e-1),
    (+0.8224670334241132030e0, +0.3224670334241132030e0),
    (-0.5772156649015328655e0, +0.4227843350984671345e0),
)


def _gammak(a: np.ndarray, arithmetic) -> tuple:
    """gammak: log|gamma(a)| as (clc, clln / clld) in pairs: Stirling's series from 2.3 on (after four
    steps of the recurrence below 7), a polynomial near 1 and 2 below, the reflection through sin(pi a)
    below 1/2, and a scaled identity below 1e-306."""
    zero = np.zeros_like(a)
    one = (np.ones_like(a), zero)
    tiny = np.abs(a) < 1e-306
    ref = a < 0.5
    x = _dd_select(tiny, (zero, zero), _dd_select(ref, _dd_add2_first_double(1.0, (-a, zero)), (a, zero)))
    o0 = (0.5 <= x[0]) & (x[0] <= 1.1)
    o2 = 2.3 <= x[0]
    y = _dd_normalize(_dd_mul(_dd_add2_double(x, 1.0), x, arithmetic))
    for k in (2.0, 3.0, 4.0):
        y = _dd_normalize(_dd_mul(_dd_add2_double(x, k), y, arithmetic))
    o = o2 & (x[0] <= 7)
    clln = _dd_select(o, y, one)
    x = _dd_select(o, _dd_add2_double(x, 5.0), x)
    t = np.where(o2, 1 / x[0], _dd_normalize(_dd_add2_double(x, np.where(o0, -1.0, -2.0)))[0])
    u = np.where(o2, _GAMMA_U[0][0], np.where(o0, _GAMMA_U[0][1], _GAMMA_U[0][2]))
    for c2, c0, c in _GAMMA_U[1:]:
        u = arithmetic.fma(u, t, np.where(o2, c2, np.where(o0, c0, c)))
    y = _dd_mul(_dd_add2_double(x, -0.5), _logk2(x, arithmetic), arithmetic)
    y = _dd_add2(y, (-x[0], -x[1]))
    y = _dd_add2(y, (0.91893853320467278056, -3.8782941580672414498e-17))  # log(2 pi) / 2
    ut = u * t
    z = _dd_add2_double((ut, _product_error(u, t, ut)), np.where(o0, *_GAMMA_Z[0]))
    for pair in _GAMMA_Z[1:]:
        z = _dd_add2_double(_dd_mul_double(z, t, arithmetic), np.where(o0, *pair))
    z = _dd_mul_double(z, t, arithmetic)
    clc = _dd_select(o2, y, z)
    clld = _dd_select(o2, _dd_add2_double((ut, _product_error(u, t, ut)), 1.0), one)
    y = clln
    reflected = _dd_add2((1.1447298858494001639, 1.026595116270782638e-17), (-clc[0], -clc[1]))  # log(pi) - clc
    clc = _dd_select(tiny, (83.1776616671934334590333, 3.67103459631568507221878e-15), _dd_select(ref, reflected, clc))
    clln = _dd_select(tiny, one, _dd_select(ref, clln, clld))
    if ref.any():
        t = a - 2.0**28 * _truncate_int32(a * (1.0 / 2**28)).astype(np.float64)
        x = _dd_mul(clld, _sinpik(t, arithmetic), arithmetic)
    clld = _dd_select(tiny, (a * 2.0**120, zero), _dd_select(ref, x, y))
    return clc, _dd_divide(clln, clld, arithmetic)


@_exactly
def lgammad(a: np.ndarray, arithmetic) -> np.ndarray:
    """log|gamma(a)| of a float64 array as Sleef_lgammad8_u10 computes it (xlgamma_u1): gammak's pair
    plus logk2 of its quotient's absolute value, the parts added; inf at infinities, at the non-positive
    integers and where a finite input gives NaN."""
    clc, quotient = _gammak(a, arithmetic)
    magnitude = _flip_where(quotient[0] < 0, quotient)  # ddabs
    hi, lo = _dd_add2(clc, _logk2(magnitude, arithmetic))
    r = hi + lo
    inf = np.isinf(a) | ((a <= 0) & _is_integer(a)) | (~np.isnan(a) & ~np.isinf(a) & np.isnan(r))
    r[inf] = np.inf
    return r
