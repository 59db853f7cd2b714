"""Sleef's float32 functions as torch's `Vectorized<float>` calls them (Sleef_*f16_u10 and *f8_u10), lane
for lane, followed step by step (sleefsimdsp.c: each fused multiply-add, each float-pair step of
float_pairs.py, each special-value rule).

Where torch runs them: in the vector loop of a kernel that has one (exp inside sigmoid, silu, the softmaxes,
logaddexp and softplus; exp2, atanh, sinh, cosh, pow, atan2; expm1 in elu, tanh in mish and GELU's tanh
form), whose scalar loop calls glibc's function instead; in every element of the vml kernels torch builds
without MKL (expm1, log1p, lgamma: vml's map computes the tail as a partial vector) and of log_sigmoid.
Checked against torch 2.13 on this machine class with `python -m bench.float_math --exhaustive OP`:
expm1, log1p, exp2, atanh, sinh and cosh on all 2**32 inputs; the others on 2e6-8e6 random bit patterns
plus ordinary ranges (powf and atan2f: every bit pattern of one operand against ordinary values of the
other, and every pair of special values), expf also on 390,000 values through log_softmax's backward.

The u10 functions that end by rounding a float pair (expm1, log1p, atanh, sinh, cosh, tanh) are that pair's
value correctly rounded except within a small fraction of an ulp of a midpoint: those take the double
function rounded once and run the steps only near midpoints (_pair_rounded).
"""

from __future__ import annotations

import numpy as np

from . import parallel
from .float_pairs import dfadd, dfadd2, dfdiv, dfmul, dfnormalize, dfrec, dfsqu, fma
from .fma import horner32_in_double
from .libm import rounded_unless_near_midpoint
from .quiet import quiet_numpy

__all__ = [
    "expf",
    "logf",
    "exp2f",
    "expm1f",
    "log1pf",
    "atanhf",
    "sinhf",
    "coshf",
    "powf",
    "atan2f",
    "lgammaf",
    "tanhf",
]

_F32 = np.float32
_ONE = _F32(1)
_R_LN2 = _F32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U, _L2L = _F32(0.693145751953125), _F32(1.428606765330187045e-06)  # ln 2, split
_LN2_HI, _LN2_LO = _F32(0.69314718246459960938), _F32(-1.904654323148236017e-09)
_NAN_BITS = np.uint32(0xFFFFFFFF)  # (Sleef's NaN: an all-ones mask or-ed in)
_SIGN_BIT = np.uint32(0x80000000)
_TINY = _F32(2.0**-20)  # (below it the pair functions stray from the correctly rounded value: steps only)


def _coefficients(*values: float) -> tuple:
    return tuple(_F32(v) for v in values)


_horner = horner32_in_double  # (Sleef's vmla chains: u starts as the first coefficient)


def _float32_arrays(kernel):
    """kernel on a float32 array of at least one dimension (numpy makes scalars of 0-d results)."""

    split = parallel.splits(kernel, (np.float32,))  # (a long array: in parts on torch's threads)

    def apply(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float32)
        return kernel(x.reshape(1)).reshape(()) if x.ndim == 0 else split(x)

    apply.__name__, apply.__doc__ = kernel.__name__.lstrip("_"), kernel.__doc__
    return apply


def _pair_rounded(double, band: int, unsure_inputs):
    """A Sleef function that ends by rounding a float pair within a small fraction of an ulp of its exact
    value: the double function rounded once decides all but the elements within 2**-band ulp of a midpoint
    (band: twice to five times the largest distance seen among 2e7 random inputs where Sleef's result is not
    the correctly rounded one), which the steps compute, with the inputs where Sleef's own rules decide
    (unsure_inputs).  `.steps` runs the steps on every element (for checks)."""

    def wrap(steps):
        def quiet_steps(x: np.ndarray) -> np.ndarray:
            with quiet_numpy():
                return steps(x)

        def apply(x: np.ndarray) -> np.ndarray:
            with quiet_numpy():
                return rounded_unless_near_midpoint(x, double, steps, band, unsure_inputs)

        quiet_steps.__name__ = apply.__name__ = steps.__name__
        apply.__doc__ = steps.__doc__
        fast = _float32_arrays(apply)
        fast.steps = _float32_arrays(quiet_steps)
        return fast

    return wrap


def _ldexp2(d: np.ndarray, q: np.ndarray) -> np.ndarray:
    """vldexp2_vf_vf_vi2: d times 2**(q >> 1), then times 2**(q - (q >> 1))."""
    half = q >> 1
    return d * _power_of_two(half) * _power_of_two(q - half)


def _power_of_two(n: np.ndarray) -> np.ndarray:
    """2.0**n as floats by their exponent bits, for n in [-126, 127] (np.ldexp's loop is slower)."""
    n = n + 127
    n <<= 23
    return n.view(np.float32)


def _ldexp(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """vldexp_vf_vf_vi2: x 2**q as four multiplications by 2**m (m clamped to the exponent range) and one by
    2**(q - 4m), so results in the subnormal range round once at the end."""
    m = q >> 31
    m = (((m + q) >> 6) - m) << 4
    q = q - (m << 2)
    u = (np.clip(m + 0x7F, 0, 0xFF) << 23).view(np.float32)
    return x * u * u * u * u * _power_of_two(q)


def _exponent_and_mantissa(d: np.ndarray, normal: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """d = m 2**e with m in [0.75, 1.5) (ilogb2k of d / 0.75, ldexp3), subnormals scaled by 2**64 first
    (`normal`: the caller knows there are none): (e as float, m, the int exponent used for m)."""
    tiny = None if normal else d < _F32(2.0**-126)
    if tiny is not None:
        d = np.where(tiny, d * _F32(2.0**64), d)
    e = ((np.asarray(d * _F32(1 / 0.75)).view(np.int32) >> 23) & 0xFF) - 0x7F
    m = np.asarray(d.view(np.int32) - (e << 23)).view(np.float32)
    return (e if tiny is None else np.where(tiny, e - 64, e)).astype(np.float32), m, e


# -- exp ----------------------------------------------------------------------------------------------------
_EXP_POLY = _coefficients(
    0.000198527617612853646278381,
    0.00139304355252534151077271,
    0.00833336077630519866943359,
    0.0416664853692054748535156,
    0.166666671633720397949219,
    0.5,
)


@_float32_arrays
def expf(d: np.ndarray) -> np.ndarray:
    """exp of a float32 array as Sleef_expf8_u10 computes it: q = rint(d / ln 2), s = d - q ln 2 in two
    fused steps, a degree-6 polynomial by fused multiply-adds, then 2**q applied in two halves (0 below -104,
    inf above 100).  (numpy's exp differs from it on 45 % of floats.)"""
    with quiet_numpy():
        q = np.rint(d * _R_LN2)
        # the first fused step is exact in float (Cody and Waite: q has at most 8 bits where the result is
        # kept, L2U 15, and d - q L2U loses nothing by Sterbenz), so plain float steps give its bits
        s = fma(q, -_L2L, d - q * _L2U)
        u = _ONE + fma(s * s, _horner(s, _EXP_POLY), s)
        if not d.size or (_EXP_NORMAL[0] < d.min() and d.max() < _EXP_NORMAL[1]):  # (false for a NaN)
            # every u 2**q normal: the two halves' products are exact, so one product by 2**q is theirs
            scale = q.astype(np.int32)
            scale += 127
            scale <<= 23
            u *= scale.view(np.float32)
            return u
        u = _ldexp2(u, q.astype(np.int32))
        u[d < -104] = 0
        u[d > 100] = np.inf
        return u


# inputs whose q = rint(d / ln 2) lies in [-125, 127], so that u 2**q (u within [0.7, 1.42]) is a normal float
_EXP_NORMAL = (_F32(-86.5), _F32(88))


_EXP2_POLY = _coefficients(0.1535920892e-3, 0.1339262701e-2, 0.9618384764e-2, 0.5550347269e-1, 0.2402264476)


@_float32_arrays
def exp2f(d: np.ndarray) -> np.ndarray:
    """2**x as Sleef_exp2f16_u10 computes it (xexp2f): s = d - rint(d), a degree-6 polynomial by fused
    multiply-adds (its last step s u + 1), 2**rint(d) in two halves; inf from 128 up, +0 below -150."""
    with quiet_numpy():
        u = np.rint(d)
        q = np.clip(np.nan_to_num(u), -160, 160).astype(np.int32)
        s = d - u
        u = _ldexp2(_horner(s, (*_EXP2_POLY, _F32(0.6931471825), _ONE)), q)
        u[d >= 128] = np.inf
        u[d < -150] = 0
        return u


_EXPK2_POLY = _coefficients(0.1980960224e-3, 0.1394256484e-2, 0.8333456703e-2, 0.4166637361e-1)


def _expk2(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """expk2f: exp of a float as a pair: q = rint(x / ln 2), s = x - q ln 2 kept as a pair, a degree-7
    polynomial whose last three terms are pairs, 2**q applied to both parts; (0, 0) below -104."""
    qf = np.rint(a * _R_LN2)
    q = np.clip(np.nan_to_num(qf), -200, 200).astype(np.int32)
    s, sy = dfadd2(*dfadd2(a, None, qf * -_L2U), qf * -_L2L)
    u = _horner(s, _EXPK2_POLY)
    t, ty = dfadd2(*dfmul(s, sy, u), _F32(0.166666659414234244790680580464))
    t, ty = dfadd2(*dfmul(s, sy, t, ty), _F32(0.5))
    t, ty = dfadd2(s, sy, *dfmul(*dfsqu(s, sy), t, ty))
    x, y = dfadd(_ONE, None, t, ty)
    x, y = _ldexp2(x, q), _ldexp2(y, q)
    below = a < -104
    x[below], y[below] = 0, 0
    return x, y


@_pair_rounded(np.expm1, 4, lambda a: ~((np.abs(a) >= _TINY) & (a > _F32(-16.6)) & (a < _F32(88.7))))
def expm1f(a: np.ndarray) -> np.ndarray:
    """exp(x) - 1 as Sleef_expm1f16_u10 computes it (xexpm1f): expk2f's pair minus 1 with its rounding
    error; inf above 88.72283, -1 below -16.635532, -0 kept."""
    x, y = dfadd2(*_expk2(a), _F32(-1))
    r = np.asarray(x + y, np.float32)
    r[a > _F32(88.72283172607421875)] = np.inf
    r[a < _F32(-16.635532333438687426013570)] = -1
    r[(a == 0) & np.signbit(a)] = -0.0
    return r


def _hyperbolic(x: np.ndarray, sign: int) -> np.ndarray:
    """(e + sign / e) / 2 with e = exp(|x|) as a pair (xsinhf, xcoshf); inf beyond |x| = 89."""
    ex, ey = _expk2(np.abs(x))
    rx, ry = dfrec(ex, ey)
    if sign < 0:  # dfsub_vf2_vf2_vf2
        s = ex - rx
        sy = (((ex - s) - rx) + ey) - ry
    else:
        s, sy = dfadd(ex, ey, rx, ry)
    r = np.asarray((s + sy) * _F32(0.5), np.float32)
    r[(np.abs(x) > 89) | np.isnan(r)] = np.inf
    if sign < 0:
        r.view(np.uint32)[...] ^= x.view(np.uint32) & _SIGN_BIT  # vmulsign
    r.view(np.uint32)[np.isnan(x)] = _NAN_BITS
    return r


@_pair_rounded(np.sinh, 4, lambda x: ~((np.abs(x) >= _TINY) & (np.abs(x) < 88)))
def sinhf(x: np.ndarray) -> np.ndarray:
    """sinh as Sleef_sinhf16_u10 computes it (xsinhf): (e - 1 / e) / 2 in float pairs."""
    return _hyperbolic(x, -1)


@_pair_rounded(np.cosh, 4, lambda x: ~((np.abs(x) >= _TINY) & (np.abs(x) < 88)))
def coshf(x: np.ndarray) -> np.ndarray:
    """cosh as Sleef_coshf16_u10 computes it (xcoshf): (e + 1 / e) / 2 in float pairs."""
    return _hyperbolic(x, 1)


# -- log ----------------------------------------------------------------------------------------------------
_LOG_POLY = _coefficients(0.3027294874, 0.3996108174, 0.6666694880)


def _log_of_mantissa(e: np.ndarray, x, xy) -> np.ndarray:
    """logf_u1's and log1pf's last steps: e ln 2 (a pair) + 2 x + x**3 P(x**2) for x = (m - 1) / (m + 1) as a
    pair, rounded once."""
    x2 = x * x
    s = dfadd(*dfmul(_LN2_HI, _LN2_LO, e), x * _F32(2), xy * _F32(2))
    s = dfadd(*s, (x2 * x) * _horner(x2, _LOG_POLY))
    return np.asarray(s[0] + s[1], np.float32)


def logf(d: np.ndarray) -> np.ndarray:
    """log as Sleef_logf8_u10 / logf16_u10 compute it (xlogf_u1): d = m 2**e with m in [0.75, 1.5), log m =
    2 atanh((m - 1) / (m + 1)) in float pairs, e ln 2 with ln 2 split in two.  (The AVX512 build takes e and
    m from getexp/getmant; for normal inputs they are the same numbers.)"""
    d = np.asarray(d, np.float32)
    with quiet_numpy():
        # (positive normal finite inputs, a softmax's sums: no subnormal to scale, no rule to apply)
        ordinary = bool(d.size) and _F32(2.0**-126) <= d.min() and d.max() < np.inf  # (false for a NaN)
        e, m, _ = _exponent_and_mantissa(d, ordinary)
        r = _log_of_mantissa(e, *dfdiv(*dfadd2(-_ONE, None, m), *dfadd2(_ONE, None, m)))
        if ordinary:
            return r
        r = np.where(d == np.inf, _F32(np.inf), r)
        r = np.where((d < 0) | np.isnan(d), _F32(np.nan), r)
        return np.asarray(np.where(d == 0, _F32(-np.inf), r), np.float32)


@_pair_rounded(np.log1p, 2, lambda d: ~((np.abs(d) >= _TINY) & (d <= _F32(1e38))))
def log1pf(d: np.ndarray) -> np.ndarray:
    """log(1 + x) as Sleef_log1pf8_u10 computes it (xlog1pf, its AVX2 form: torch registers no AVX512
    log1p): 1 + x = m 2**e, m formed from x itself (x 2**-e + (2**-e - 1) in one fused step), then as logf;
    Sleef's logf beyond 1e38 (where 1 + x is x), -inf at -1, a NaN with every bit set below -1, -0 kept."""
    e, _, ei = _exponent_and_mantissa(d + _ONE)
    t = ((0x7F - ei) << 23).view(np.float32)  # ldexp3(1, -e)
    m = fma(d, t, t - _ONE)
    r = _log_of_mantissa(e, *dfdiv(m, _F32(0), *dfadd(_F32(2), None, m)))
    lowest, highest = (d.min(), d.max()) if d.size else (_F32(1), _F32(1))
    if not (_F32(-1) < lowest and highest <= _F32(1e38)):  # (the rules' inputs, a NaN among them: looked for)
        big = d > _F32(1e38)
        r[big] = logf(d[big])
        r.view(np.uint32)[d < -1] = _NAN_BITS
        r[d == -1] = -np.inf
    if not lowest > 0:
        r[(d == 0) & np.signbit(d)] = -0.0
    return r


_LOGK2_POLY = _coefficients(
    0.2392828464508056640625, 0.28518211841583251953125, 0.400005877017974853515625, 0.666666686534881591796875
)


def _logk2(dx: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """logk2f: log of a pair as a pair, as logf with the mantissa's pair (vilogbk for the exponent)."""
    scaled = dx * _F32(1 / 0.75)
    tiny = scaled < _F32(5.421010862427522e-20)
    bits = np.where(tiny, scaled * _F32(1.8446744073709552e19), scaled).view(np.int32)
    e = (((bits >> 23) & 0xFF) - np.where(tiny, 64 + 0x7F, 0x7F)).astype(np.int32)
    scale = ((0x7F - e) << 23).view(np.float32)  # vpow2i(-e)
    mx, my = dx * scale, dy * scale
    x, xy = dfdiv(*dfadd2(mx, my, -_ONE), *dfadd2(mx, my, _ONE))
    x2, x2y = dfsqu(x, xy)
    s = dfadd(*dfmul(_LN2_HI, _LN2_LO, e.astype(np.float32)), x * _F32(2), xy * _F32(2))
    return dfadd(*s, *dfmul(*dfmul(x2, x2y, x, xy), _horner(x2, _LOGK2_POLY)))


@_pair_rounded(np.arctanh, 4, lambda x: ~((np.abs(x) >= _TINY) & (np.abs(x) < 1)))
def atanhf(x: np.ndarray) -> np.ndarray:
    """atanh as Sleef_atanhf16_u10 computes it (xatanhf): log((1 + |x|) / (1 - |x|)) / 2 in float pairs,
    x's sign put back; inf at |x| = 1, a NaN with every bit set beyond."""
    y = np.abs(x)
    dx, dy = _logk2(*dfdiv(*dfadd2(_ONE, None, y), *dfadd2(_ONE, None, -y)))
    r = np.asarray((dx + dy) * _F32(0.5), np.float32)
    r[y == 1] = np.inf
    bits = r.view(np.uint32)
    bits[(y > 1) | np.isinf(x) | np.isnan(r)] = _NAN_BITS
    bits ^= x.view(np.uint32) & _SIGN_BIT  # vmulsign
    bits[np.isnan(x)] = _NAN_BITS
    return r


# -- pow ----------------------------------------------------------------------------------------------------
_LOGK_POLY = _coefficients(0.240320354700088500976562, 0.285112679004669189453125, 0.400007992982864379882812)
_LOGK_C = (_F32(0.66666662693023681640625), _F32(3.69183861259614332084311e-09))
_EXPK_POLY = _coefficients(
    0.00136324646882712841033936,
    0.00836596917361021041870117,
    0.0416710823774337768554688,
    0.166665524244308471679688,
    0.499999850988388061523438,
)


def _logk(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """logkf: log of a positive float as a pair, its polynomial's last coefficient a pair too."""
    e, m, _ = _exponent_and_mantissa(d)
    x, xy = dfdiv(*dfadd2(-_ONE, None, m), *dfadd2(_ONE, None, m))
    x2, x2y = dfsqu(x, xy)
    s = dfadd(*dfmul(_LN2_HI, _LN2_LO, e), x * _F32(2), xy * _F32(2))
    c = dfadd2(*dfmul(x2, x2y, _horner(x2, _LOGK_POLY)), *_LOGK_C)
    return dfadd(*s, *dfmul(*dfmul(x2, x2y, x, xy), *c))


def _expk(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """expkf: exp of a pair as a float (2**q by vldexp); 0 below -104."""
    qf = np.rint((dx + dy) * _R_LN2)
    q = np.clip(np.nan_to_num(qf), -300, 300).astype(np.int32)
    s, sy = dfadd2(*dfadd2(dx, dy, qf * -_L2U), qf * -_L2L)
    s, sy = dfnormalize(s, sy)
    t = dfadd(_ONE, None, *dfadd(s, sy, *dfmul(*dfsqu(s, sy), _horner(s, _EXPK_POLY))))
    u = np.asarray(_ldexp(t[0] + t[1], q), np.float32)
    u[dx < -104] = 0
    return u


def powf(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x ** y of float32 arrays (broadcast) as Sleef_powf16_u10 computes it (xpowf): exp(y log|x|) with the
    logarithm and the product as float pairs, the sign from y's parity, and C's rules for zeros, infinities
    and NaNs (NaNs with every bit set)."""
    x, y = (np.array(v, np.float32, ndmin=1) for v in np.broadcast_arrays(x, y))
    shape = np.broadcast_shapes(np.shape(x), np.shape(y))
    with quiet_numpy():
        ay = np.abs(y)
        yisint = (np.trunc(y) == y) | (ay > _F32(1 << 24))
        yisodd = ((np.trunc(np.where(ay < _F32(1 << 24), y, 0)).astype(np.int32) & 1) == 1) & yisint
        r = _expk(*dfmul(*_logk(np.abs(x)), y))
        r[np.isnan(r)] = np.inf
        r *= np.where(x > 0, _ONE, np.where(yisint, np.where(yisodd, -_ONE, _ONE), _F32(np.nan)))
        efx = np.abs(x) - _ONE
        efx.view(np.uint32)[...] ^= y.view(np.uint32) & _SIGN_BIT  # vmulsign
        inf_y = np.isinf(y)
        r[inf_y] = np.where(efx < 0, _F32(0), np.where(efx == 0, _ONE, _F32(np.inf)))[inf_y]
        edge = np.isinf(x) | (x == 0)
        sign = np.where(yisodd, np.copysign(_ONE, x), _ONE)
        r[edge] = (sign * np.where(np.where(x == 0, -y, y) < 0, _F32(0), _F32(np.inf)))[edge]
        r.view(np.uint32)[np.isnan(x) | np.isnan(y)] = _NAN_BITS
        r[(y == 0) | (x == 1)] = 1
        return r.reshape(shape)


# -- atan2 --------------------------------------------------------------------------------------------------
_ATAN_POLY = _coefficients(
    -0.00176397908944636583328247,
    0.0107900900766253471374512,
    -0.0309564601629972457885742,
    0.0577365085482597351074219,
    -0.0838950723409652709960938,
    0.109463557600975036621094,
    -0.142626821994781494140625,
    0.199983194470405578613281,
)
_HALF_PI = (_F32(1.5707963705062866211), _F32(-4.3711388286737928865e-08))


def _atan2k(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """atan2kf_u1 of y >= 0 and x: the quotient of the smaller over the larger as a pair, a degree-10
    polynomial in its square (last terms in pairs), plus q pi/2 for the octant."""
    negative = x < 0
    q = np.where(negative, -2, 0).astype(np.int32)
    x = np.abs(x)
    steep = x < y
    q += steep
    s, sy = dfdiv(np.where(steep, -x, y), _F32(0), np.where(steep, y, x), _F32(0))
    t, ty = dfnormalize(*dfsqu(s, sy))
    u = _horner(t, _ATAN_POLY)
    t, ty = dfmul(t, ty, *dfadd(_F32(-0.333332866430282592773438), None, u * t))
    t, ty = dfmul(s, sy, *dfadd(_ONE, None, t, ty))
    return dfadd(*dfmul(*_HALF_PI, q.astype(np.float32)), t, ty)


def atan2f(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """atan2(y, x) of float32 arrays (broadcast) as Sleef_atan2f16_u10 computes it (xatan2f_u1), with C's
    values at zeros and infinities and a NaN with every bit set for a NaN operand."""
    y, x = (np.array(v, np.float32, ndmin=1) for v in np.broadcast_arrays(y, x))
    shape = np.broadcast_shapes(np.shape(y), np.shape(x))
    with quiet_numpy():
        tiny = np.abs(x) < _F32(2.9387372783541830947e-39)
        x = np.where(tiny, x * _F32(1 << 24), x)
        y = np.where(tiny, y * _F32(1 << 24), y)
        d = _atan2k(np.abs(y), x)
        r = np.asarray(d[0] + d[1], np.float32)
        bits = r.view(np.uint32)
        bits ^= x.view(np.uint32) & _SIGN_BIT  # vmulsign(r, x)
        half_pi, quarter_pi = _F32(np.pi / 2), _F32(np.pi / 4)
        x_inf = np.isinf(x)
        edge = x_inf | (x == 0)
        r[edge] = (half_pi - np.where(x_inf, np.copysign(half_pi, x), _F32(0)))[edge]
        y_inf = np.isinf(y)
        r[y_inf] = (half_pi - np.where(x_inf, np.copysign(quarter_pi, x), _F32(0)))[y_inf]
        zero_y = y == 0
        r[zero_y] = np.where(np.signbit(x), _F32(np.pi), _F32(0))[zero_y]
        bits ^= y.view(np.uint32) & _SIGN_BIT  # vmulsign(r, y)
        bits[np.isnan(x) | np.isnan(y)] = _NAN_BITS
        return r.reshape(shape)


# -- lgamma -------------------------------------------------------------------------------------------------
def _sinpik(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sinpifk: sin(pi d) as a pair, d reduced to a quarter period by q = trunc(4 d) made even."""
    u = d * _F32(4)
    q = _truncate(u)
    q = (q + (((q >> 31) & 1) ^ 1)) & ~1
    o = (q & 2) == 2
    s = u - q.astype(np.float32)
    t = s
    s = s * s
    s2 = dfmul(t, None, t)
    u = np.where(o, _F32(-0.2430611801e-7), _F32(0.3093842054e-6))
    u = fma(u, s, np.where(o, _F32(0.3590577080e-5), _F32(-0.3657307388e-4)))
    u = fma(u, s, np.where(o, _F32(-0.3259917721e-3), _F32(0.2490393585e-2)))
    c = (np.where(o, _F32(0.015854343771934509277), _F32(-0.080745510756969451904)),
         np.where(o, _F32(4.4940051354032242811e-10), _F32(-1.3373665339076936258e-09)))  # fmt: skip
    x = dfadd2(u * s, None, *c)
    c = (np.where(o, _F32(-0.30842512845993041992), _F32(0.78539818525314331055)),
         np.where(o, _F32(-9.0728339030733922277e-09), _F32(-2.1857338617566484855e-08)))  # fmt: skip
    x = dfadd2(*dfmul(*s2, *x), *c)
    x = dfmul(*x, np.where(o, s2[0], t), np.where(o, s2[1], _F32(0)))
    one = dfadd2(*x, _ONE)
    x = np.where(o, one[0], x[0]), np.where(o, one[1], x[1])
    flip = np.where((q & 4) == 4, _SIGN_BIT, np.uint32(0))
    return (x[0].view(np.uint32) ^ flip).view(np.float32), (x[1].view(np.uint32) ^ flip).view(np.float32)


def _truncate(v: np.ndarray) -> np.ndarray:
    """vtruncate_vi2_vf (cvttps2dq): toward zero, 0x80000000 where the int32 cannot hold it."""
    inside = np.abs(v) < _F32(2.0**31)
    return np.where(inside, np.trunc(np.where(inside, v, 0)), -(2.0**31)).astype(np.int32)


def _pair_constant(value: float) -> tuple[np.float32, np.float32]:
    """vcast_vf2_d: a double as a float pair."""
    hi = _F32(value)
    return hi, _F32(value - float(hi))


# gammafk's polynomial: (x >= 2.3, 0.5 <= x <= 1.2, else) coefficients, highest first
_GAMMA_U = tuple(
    tuple(_F32(c) for c in triple)
    for triple in (
        (+0.000839498720672087279971000786, +0.9435157776e0, +0.1102489550e-3),
        (-5.17179090826059219329394422e-05, +0.8670063615e0, +0.8160019934e-4),
        (-0.000592166437353693882857342347, +0.4826702476e0, +0.1528468856e-3),
        (+6.97281375836585777403743539e-05, -0.8855129778e-1, -0.2355068718e-3),
        (+0.000784039221720066627493314301, +0.1013825238e0, +0.4962242092e-3),
        (-0.000229472093621399176949318732, -0.1493408978e0, -0.1193488017e-2),
        (-0.002681327160493827160473958490, +0.1697509140e0, +0.2891599433e-2),
        (+0.003472222222222222222175164840, -0.2072454542e0, -0.7385451812e-2),
        (+0.083333333333333333335592087900, +0.2705872357e0, +0.2058077045e-1),
    )
)
_GAMMA_Z = tuple(
    (_F32(near), _F32(far))
    for near, far in (
        (-0.400686534596170958447352690395, -0.673523028297382446749257758235e-1),
        (+0.822466960142643054450325495997, +0.322467033928981157743538726901),
        (-0.577215665946766039837398973297, +0.422784335087484338986941629852),
    )
)


def _gammak(a: np.ndarray):
    """gammafk: log|gamma(a)| as (clc, clln / clld): Stirling's series from 2.3 on (after up to three steps
    of the recurrence below 7), a polynomial near 1 and 2 below, the reflection through sin(pi a) below 1/2."""
    tiny = np.abs(a) < _F32(1e-30)
    ref = a < _F32(0.5)
    rx, ry = dfadd2(_ONE, None, -a)
    x = np.where(tiny, _F32(0), np.where(ref, rx, a))
    xy = np.where(tiny | ~ref, _F32(0), ry)
    o0 = (_F32(0.5) <= x) & (x <= _F32(1.2))
    o2 = _F32(2.3) <= x
    y = dfnormalize(*dfmul(*dfadd2(x, xy, _ONE), x, xy))
    y = dfnormalize(*dfmul(*dfadd2(x, xy, _F32(2)), *y))
    o = o2 & (x <= _F32(7))
    clln = np.where(o, y[0], _ONE), np.where(o, y[1], _F32(0))
    x3 = dfadd2(x, xy, _F32(3))
    x, xy = np.where(o, x3[0], x), np.where(o, x3[1], xy)
    t = np.where(o2, _ONE / x, dfnormalize(*dfadd2(x, xy, np.where(o0, _F32(-1), _F32(-2))))[0])
    u = np.where(o2, _GAMMA_U[0][0], np.where(o0, _GAMMA_U[0][1], _GAMMA_U[0][2]))
    for c0, c1, c2 in _GAMMA_U[1:]:
        u = fma(u, t, np.where(o2, c0, np.where(o0, c1, c2)))
    y = dfmul(*dfadd2(x, xy, _F32(-0.5)), *_logk2(x, xy))
    y = dfadd2(*y, -x, -xy)
    y = dfadd2(*y, *_pair_constant(0.91893853320467278056))  # log(2 pi) / 2
    z = dfadd2(*dfmul(u, None, t), np.where(o0, *_GAMMA_Z[0]))
    for near, far in _GAMMA_Z[1:]:
        z = dfadd2(*dfmul(*z, t), np.where(o0, near, far))
    z = dfmul(*z, t)
    clc = np.where(o2, y[0], z[0]), np.where(o2, y[1], z[1])
    ld = dfadd2(*dfmul(u, None, t), _ONE)
    clld = np.where(o2, ld[0], _ONE), np.where(o2, ld[1], _F32(0))
    y = clln
    reflected = dfadd2(*_pair_constant(1.1447298858494001639), -clc[0], -clc[1])  # log(pi) - clc
    log_2_60 = _pair_constant(41.58883083359671856503)
    clc = (np.where(tiny, log_2_60[0], np.where(ref, reflected[0], clc[0])),
           np.where(tiny, log_2_60[1], np.where(ref, reflected[1], clc[1])))  # fmt: skip
    clln = (np.where(tiny, _ONE, np.where(ref, clln[0], clld[0])),
            np.where(tiny, _F32(0), np.where(ref, clln[1], clld[1])))  # fmt: skip
    t = a - _F32(4096) * _truncate(a * _F32(1.0 / 4096)).astype(np.float32)
    x = dfmul(*clld, *_sinpik(t))
    scaled = a * _F32(2.0**60)
    clld = (np.where(tiny, scaled, np.where(ref, x[0], y[0])), np.where(tiny, _F32(0), np.where(ref, x[1], y[1])))
    return clc, dfdiv(*clln, *clld)


@_float32_arrays
def lgammaf(a: np.ndarray) -> np.ndarray:
    """log|gamma(x)| as Sleef_lgammaf8_u10 computes it (xlgammaf_u1): gammafk's log part plus the log of its
    quotient, in float pairs; inf at infinities and at zero and the negative integers."""
    with quiet_numpy():
        clc, (qx, qy) = _gammak(a)
        flip = qx.view(np.uint32) & _SIGN_BIT
        y = dfadd2(*clc, *_logk2(np.abs(qx), (qy.view(np.uint32) ^ flip).view(np.float32)))
        r = np.asarray(y[0] + y[1], np.float32)
        integer = np.trunc(a) == a
        r[np.isinf(a) | ((a <= 0) & integer) | (np.isfinite(a) & np.isnan(r))] = np.inf
        return r


@_pair_rounded(np.tanh, 4, lambda x: ~((np.abs(x) >= _TINY) & (np.abs(x) < _F32(8.6))))
def tanhf(x: np.ndarray) -> np.ndarray:
    """tanh as Sleef_tanhf16_u10 computes it (xtanhf), the Vectorized<float>::tanh of torch's activation
    kernels (torch.tanh itself is MKL's): (e - 1 / e) / (e + 1 / e) in float pairs, 1 beyond 8.664339742."""
    ex, ey = _expk2(np.abs(x))
    rx, ry = dfrec(ex, ey)
    dx, dy = dfdiv(*dfadd(ex, ey, -rx, -ry), *dfadd(ex, ey, rx, ry))
    r = np.asarray(dx + dy, np.float32)
    r[(np.abs(x) > _F32(8.664339742)) | np.isnan(r)] = 1
    r.view(np.uint32)[...] ^= x.view(np.uint32) & _SIGN_BIT  # vmulsign
    r.view(np.uint32)[np.isnan(x)] = _NAN_BITS
    return r
