"""ATen/native/Distributions.h on the CPU, element by element as torch's serial kernels run it.

Samplers: Marsaglia and Tsang's gamma, Hörmann's transformed-rejection Poisson (multiplication of uniforms
below rate 10), BTRS or inversion for the binomial; each element draws doubles from the generator until it
accepts.  Reparameterisation gradients: d(sample)/d(concentration) of standard Gamma and of Dirichlet samples
(series, saddle-point and rational approximations by region).  `T` is the tensor's scalar type: the kernels
mix its arithmetic (numpy scalars here) with double's (Python floats)."""

from __future__ import annotations

import ctypes
import functools
import math

import numpy as np

from .._random import Generator, _normal_scalar, _uniform01
from .libm import _float_ufunc, c_function, libm_scalar

_THIRD_F = np.float32(1) / np.float32(3)  # the kernels' `1.0f / 3.0f`
_C0331_F = float(np.float32(0.0331))


def _uniform(gen: Generator) -> float:
    return float(_uniform01(gen, 1, np.float64)[0])


def _normal(gen: Generator) -> float:
    return float(_normal_scalar(gen, 1, 0.0, 1.0)[0])


def sample_gamma(alpha, T, gen: Generator):
    """One Gamma(alpha, 1) draw in type T (alpha boosted by one below 1, scaled back by u ** (1 / alpha))."""
    alpha = T(alpha)
    scale = 1.0
    if alpha < 1:
        if alpha == 0:
            return T(0)
        scale *= math.pow(1 - _uniform(gen), float(T(1) / alpha))
        alpha = T(alpha + T(1))
    d = float(T(alpha - T(_THIRD_F)))
    with np.errstate(invalid="ignore"):
        c = 1.0 / float(np.sqrt(9.0 * d))
    while True:
        x = _normal(gen)
        y = 1.0 + c * x
        while y <= 0:
            x = _normal(gen)
            y = 1.0 + c * x
        v = y * y * y
        u = 1 - _uniform(gen)
        xx = x * x
        if u < 1.0 - _C0331_F * xx * xx or math.log(u) < 0.5 * xx + d * (1.0 - v + _log(v)):
            return T(scale * d * v)


def _log(v: float) -> float:
    return math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan)


def at_least_tiny(sample, T):
    """std::max(numeric_limits<T>::min(), sample): a NaN sample gives the minimum too."""
    tiny = T(np.finfo(T).tiny)
    return sample if tiny < sample else tiny


def sample_poisson(lam: float, gen: Generator) -> int:
    if not lam >= 0:
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        lgamma = libm_scalar("lgamma")
        while True:
            u = _uniform(gen) - 0.5
            v = _uniform(gen)
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if _log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1.0):
                return k
    if lam == 0:
        return 0
    enlam, prod, x = math.exp(-lam), 1.0, 0
    while True:
        prod *= _uniform(gen)
        if prod <= enlam:
            return x
        x += 1


_STIRLING_TAIL = (
    0.0810614667953272,
    0.0413406959554092,
    0.0276779256849983,
    0.02079067210376509,
    0.0166446911898211,
    0.0138761288230707,
    0.0118967099458917,
    0.0104112652619720,
    0.00925546218271273,
    0.00833056343336287,
)


def _stirling_tail(k: float) -> float:
    if k < len(_STIRLING_TAIL):
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count, prob, T, gen: Generator):
    logprob = float(np.log1p(-prob))  # log1p of scalar_t: logf1p for float
    geom_sum, n = 0.0, T(0)
    while True:
        geom_sum += math.ceil(_log(_uniform(gen)) / logprob) if logprob else math.inf
        if geom_sum > count:
            return n
        n = T(n + T(1))


def _btrs(count, prob, T, gen: Generator):
    """Hörmann's BTRS; the kernel's scalar_t products (count * prob, r, m, count - k + 1) stay in T."""
    one = T(1)
    stddev = float(np.sqrt(count * prob * (one - prob)))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * float(prob)
    c = float(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = float(prob / (one - prob))
    alpha = (2.83 + 5.1 / b) * stddev
    m = float(np.floor((count + one) * prob))
    n = float(count)
    while True:
        u = _uniform(gen) - 0.5
        v = _uniform(gen)
        us = 0.5 - abs(u)
        k = T(math.floor((2 * a / us + b) * u + c))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = _log(v * alpha / (a / (us * us) + b))
        upper = (
            (m + 0.5) * math.log((m + 1) / (r * (n - m + 1)))
            + float(count + one) * math.log((n - m + 1) / float(count - k + one))
            + (float(k) + 0.5) * math.log(r * float(count - k + one) / float(k + one))
            + _stirling_tail(m)
            + _stirling_tail(n - m)
            - _stirling_tail(float(k))
            - _stirling_tail(float(count - k))
        )
        if v <= upper:
            return k


def sample_binomial(count, prob, T, gen: Generator):
    count, prob = T(count), T(prob)
    if count <= 0 or prob <= 0:
        return T(0)
    if prob >= 1:
        return count
    flip = prob > 0.5
    q = T(T(1) - prob) if flip else prob
    draw = _btrs if count * q >= 10 else _binomial_inversion
    k = draw(count, q, T, gen)
    return T(count - k) if flip else k


# -- reparameterisation gradients ----------------------------------------------------------------------------
def _polevl(x: float, coefficients) -> float:
    result = coefficients[0]
    for c in coefficients[1:]:
        result = result * x + c
    return result


_PSI_10 = 2.25175258906672110764
_DIGAMMA_A = (
    8.33333333333333333333e-2,
    -2.10927960927960927961e-2,
    7.57575757575757575758e-3,
    -4.16666666666666666667e-3,
    3.96825396825396825397e-3,
    -8.33333333333333333333e-3,
    8.33333333333333333333e-2,
)


def _logf(x):
    return np.float32(_float_ufunc("logf")(np.float32(x)))


def _tanf(x):
    return np.float32(_float_ufunc("tanf")(np.float32(x)))


def digamma_one(x, T=float):
    """Cephes' digamma with x in T (float or np.float32) and the accumulation in double."""
    f32 = T is np.float32
    x = T(x)
    if x == 0:
        return T(math.inf)
    extra = 0.0
    if x < 0:
        if x == math.floor(x):
            return T(math.inf)
        extra = (
            float(-np.float32(math.pi) / _tanf(np.float32(math.pi) * x)) if f32 else -math.pi / math.tan(math.pi * x)
        )
        x = T(1 - x)
    result = 0.0
    while x < 10:
        result -= float(T(1) / x)
        x = T(x + 1)
    if x == 10:
        return T(result + _PSI_10 + extra)
    y = 0.0
    if x < 1.0e17:
        z = 1.0 / float(x * x)
        y = z * _polevl(z, _DIGAMMA_A)
    log_x = float(_logf(x)) if f32 else math.log(x)
    return T(result + log_x - float(T(0.5) / x) - y + extra)


_F32_0_8, _F32_0_9, _F32_1_1 = (float(np.float32(c)) for c in (0.8, 0.9, 1.1))  # the kernel's float literals


def _pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


_GAMMA_GRAD_UV = (
    (0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084),
    (0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623),
    (
        0.040121004,
        -0.0065914022,
        -0.0026286047,
        -0.0013441777,
        0.017050642,
        -0.0021309326,
        0.00085092367,
        -1.5247877e-07,
    ),
)


def standard_gamma_grad_one(alpha: float, x: float) -> float:
    """-(d/dalpha cdf(x; alpha)) / pdf(x; alpha) for x ~ Gamma(alpha), in double."""
    if x < _F32_0_8:  # Taylor series for small x
        numer, denom = 1.0, alpha
        series1, series2 = numer / denom, numer / (denom * denom)
        for i in range(1, 6):
            numer *= -x / i
            denom += 1
            series1 += numer / denom
            series2 += numer / (denom * denom)
        pow_x_alpha = _pow(x, alpha)
        gamma_pdf = _pow(x, alpha - 1) * math.exp(-x)
        gamma_cdf = pow_x_alpha * series1
        with np.errstate(all="ignore"):  # C's inf and NaN arithmetic, which Python's floats raise on
            gamma_cdf_alpha = np.float64(_log(x) - digamma_one(alpha)) * gamma_cdf - pow_x_alpha * series2
            result = -gamma_cdf_alpha / np.float64(gamma_pdf)
        return 0.0 if math.isnan(result) else float(result)
    if alpha > 8.0:  # Rice saddle-point expansion for large alpha
        if _F32_0_9 * alpha <= x <= _F32_1_1 * alpha:
            numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
            numer_2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x)
            denom = 1244160 * (alpha * alpha) * (alpha * alpha)
            return numer_1 * numer_2 / denom
        denom = math.sqrt(8 * alpha)
        term2 = denom / (alpha - x)
        term3 = _pow(x - alpha - alpha * math.log(x / alpha), -1.5)
        term23 = term2 - term3 if x < alpha else term2 + term3
        term1 = math.log(x / alpha) * term23 - math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        return -stirling * (x * term1) / denom
    u, v = math.log(x / alpha), math.log(alpha)  # a bivariate rational approximation elsewhere
    coef_v = [a + u * (b + u * c) for a, b, c in zip(*_GAMMA_GRAD_UV)]
    p = coef_v[0] + v * (coef_v[1] + v * (coef_v[2] + v * coef_v[3]))
    q = coef_v[4] + v * (coef_v[5] + v * (coef_v[6] + v * coef_v[7]))
    return math.exp(p / q)


@functools.cache
def _powf():
    fn = c_function("powf")
    if fn is None:
        return lambda x, y: float(np.float32(math.pow(x, y)))
    fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
    return fn


def _pow_t(x, y, T):
    """pow in T: powf for float, pow for double (C's inf/NaN, no exceptions)."""
    return np.float32(_powf()(float(x), float(y))) if T is np.float32 else _pow(x, y)


def _log_t(x, T):
    return _logf(x) if T is np.float32 else _log(x)


def _beta_grad_alpha_small(x, alpha, beta, T):
    """Near x = 0: a Taylor series, in T."""
    factor = T(digamma_one(alpha, T) - digamma_one(T(alpha + beta), T) - _log_t(x, T))
    numer = T(1)
    series = T(numer / alpha * (factor + T(1) / alpha))
    for i in range(1, 11):
        ci = T(i)
        numer = T(numer * ((ci - beta) * x / ci))
        denom = T(alpha + ci)
        series = T(series + numer / denom * (factor + T(1) / denom))
    result = T(x * _pow_t(T(1) - x, -beta, T) * series)
    return T(0) if np.isnan(result) else result


def _beta_grad_beta_small(x, alpha, beta, T):
    factor = T(digamma_one(T(alpha + beta), T) - digamma_one(beta, T))
    numer, betas, dbetas, series = T(1), T(1), T(0), T(factor / alpha)
    for i in range(1, 9):
        ci = T(i)
        numer = T(numer * (-x / ci))
        dbetas = T(dbetas * (beta - ci) + betas)
        betas = T(betas * (beta - ci))
        series = T(series + numer / (alpha + ci) * (dbetas + factor * betas))
    result = T(-_pow_t(T(1) - x, T(1) - beta, T) * series)
    return T(0) if np.isnan(result) else result


def _beta_grad_alpha_mid(x: float, alpha: float, beta: float) -> float:
    """alpha and beta both large: a Rice saddle-point expansion, in double."""
    total = alpha + beta
    mean = alpha / total
    std = math.sqrt(alpha * beta / (total + 1)) / total
    if mean - 0.1 * std <= x <= mean + 0.1 * std:  # the expansion's singularity at the mean, avoided
        poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
            (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta
            + alpha
            * (
                3 * (59 + 180 * beta - 90 * x) * (beta * beta)
                + alpha * ((453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (8 * (1 - x) * (135 * beta - 11)))
            )
        )
        prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
        prefactor_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
        return prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / math.sqrt(2 * alpha * beta / total)
    stirling = (
        (1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
        * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
        / (1 + 1 / (12 * total) + 1 / (288 * total * total))
    )
    term1_num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    term1_den = math.sqrt(2 * alpha / beta) * _pow(total, 1.5) * axbx * axbx
    term1 = term1_num / term1_den
    term2 = 0.5 * _log(alpha / (total * x))
    term3 = math.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4_base = beta * _log(beta / (total * (1 - x))) + alpha * _log(alpha / (total * x))
    term4 = _pow(term4_base, -1.5)
    term1234 = term1 + term2 * (term3 + (term4 if x < mean else -term4))
    return stirling * prefactor * term1234


_DIRICHLET_C = (
    (
        (
            (1.003668233, -0.01061107488, -0.0657888334, 0.01201642863),
            (0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033),
            (-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013),
        ),
        (
            (0.221950385, -0.3187676331, 0.01799915743, 0.01074823814),
            (-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057),
            (0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05),
        ),
        (
            (-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565),
            (0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181),
            (0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05),
        ),
    ),
    (
        (
            (1, -0.02924021934, -0.04438342661, 0.007285809825),
            (0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521),
            (-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149),
        ),
        (
            (0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273),
            (0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956),
            (-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05),
        ),
        (
            (0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05),
            (0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05),
            (-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06),
        ),
    ),
)


def dirichlet_grad_one(x, alpha, total, T):
    """-(d/dalpha cdf(x; alpha, total - alpha)) / pdf / (1 - x) for x ~ Beta(alpha, total - alpha)."""
    x, alpha, total = T(x), T(alpha), T(total)
    beta = T(total - alpha)
    boundary = T(total * x * (T(1) - x))
    if x <= 0.5 and boundary < 2.5:
        return _beta_grad_alpha_small(x, alpha, beta, T)
    if x >= 0.5 and boundary < 0.75:
        return T(-_beta_grad_beta_small(T(T(1) - x), beta, alpha, T))
    x_, alpha_, total_ = float(x), float(alpha), float(total)
    beta_ = total_ - alpha_
    if alpha > 6 and beta > 6:
        return T(_beta_grad_alpha_mid(x_, alpha_, beta_))
    u = _log(x_)
    a = _log(alpha_) - u
    b = _log(total_) - a
    pow_u, pow_a = (1, u, u * u), (1, a, a * a)
    p = q = 0.0
    for i in range(3):
        for j in range(3):
            ua = pow_u[i] * pow_a[j]
            cp, cq = _DIRICHLET_C[0][i][j], _DIRICHLET_C[1][i][j]
            p += ua * (cp[0] + b * (cp[1] + b * (cp[2] + b * cp[3])))
            q += ua * (cq[0] + b * (cq[1] + b * (cq[2] + b * cq[3])))
    approx = x_ * float(T(digamma_one(T(total_), T) - digamma_one(T(alpha_), T))) / beta_
    return T(p / q * approx)
