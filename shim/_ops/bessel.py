"""Bessel functions J0, J1, Y0, Y1, the modified I0, I1, K0, K1 (and K scaled by exp(x)), the spherical j0
and Airy's Ai: the branches and series of Math.h's *_forward functions (Cephes), evaluated over the whole
array in the input's precision as torch's templates are (so a float argument of a sine loses what it loses
in torch), with Python constants rounded to that type.  Where the compiler's fused multiply-adds and the C
library's float functions round differently from numpy's, results differ in the last few ulps."""

from __future__ import annotations

import numpy as np

from .._cpu.fma import fused
from .._cpu.libm import glibc_cos, glibc_exp, glibc_expf, glibc_log, glibc_sin, libm_function
from .cephes_tables import TABLES

__all__ = ["BESSEL", "fused_horner", "modified_bessel"]

_SQRT_2_OVER_PI = 0.797884560802865355879892119868763737
_PI_4, _3PI_4 = 0.785398163397448309615660845819875721, 2.356194490192344928846982537459627163
_TWO_OVER_PI = 0.636619772367581343075535053490057448


def fused_horner(coefficients, z):
    """Cephes' polevl as torch's kernels compile it: r = r z + c, each step one fused multiply-add (GCC
    contracts the loop's body), in z's precision."""
    r = np.zeros_like(z)
    for c in coefficients:
        r = fused(r, z, np.asarray(c, z.dtype))
    return r


def _clenshaw(coefficients, y, unrolled: bool = False):
    """Math.h's Chebyshev sum: the recurrence a = y q - p + c over the coefficients, then (a - p) / 2; for
    half, in c10::Half's arithmetic: every operation rounded to half (no fused step), the coefficients
    converted through float.  `unrolled`: GCC unrolled the loop (float's 17- and 7-term i1 tables), so the
    first step, y c0 - 0 + c1, became one fused multiply-add."""
    if y.dtype == np.float16:
        coefficients = [np.float16(np.float32(c)) for c in coefficients]
        step = lambda y, q, p: y * q - p  # noqa: E731
    else:
        step = lambda y, q, p: fused(y, q, -p)  # noqa: E731
    p, q, a = np.zeros_like(y), np.zeros_like(y), np.full_like(y, coefficients[0])
    if unrolled:
        f = y.dtype.type
        p, q, a = q, a, fused(y, a, np.asarray(f(coefficients[1])))
        coefficients = coefficients[1:]
    for c in coefficients[1:]:
        p, q = q, a
        a = step(y, q, p) + y.dtype.type(c)
    return y.dtype.type(0.5) * (a - p)


def _asymptotic(t, x, order, sign):
    """The large-x form shared by J and Y: (P cos(x - shift) -+ 5/x Q sin(x - shift)) sqrt(2/(pi x)), shift
    pi/4 or 3pi/4 by order, with P and Q rational functions of 25 / x^2 (order 0's source writes it so, order
    1's as (5/x) (5/x)); Y swaps sin and cos (sign +1).  GCC fuses the first product into the sum:
    fma(P, cos, -(5/x Q sin))."""
    shift = _3PI_4 if order else _PI_4
    z = (5.0 / x) * (5.0 / x) if order else 25.0 / (x * x)
    p = fused_horner(t["PP"], z) / fused_horner(t["PQ"], z)
    q = fused_horner(t["QP"], z) / fused_horner(t["QQ"], z)
    phase = x - shift
    first, second = (_COS, _SIN) if sign < 0 else (_SIN, _COS)
    return fused(p, first(phase), sign * (5.0 / x * q * second(phase))) * _SQRT_2_OVER_PI / np.sqrt(x)


def bessel_j0(x):
    t = TABLES["bessel_j0"]
    x = np.abs(x)
    x2 = x * x
    small = (
        (x2 - 5.78318596294678452118)
        * (x2 - 3.04712623436620863991e1)
        * fused_horner(t["RP"], x2)
        / fused_horner(t["RQ"], x2)
    )
    small = np.where(x < 1e-5, 1.0 - x2 / 4.0, small)
    return np.where(x <= 5.0, small, _asymptotic(t, x, 0, -1))


def bessel_j1(x):
    t = TABLES["bessel_j1"]
    sign, x = np.where(x < 0, x.dtype.type(-1), x.dtype.type(1)), np.where(x < 0, -x, x)  # (-0 stays -0)
    x2 = x * x
    small = (
        fused_horner(t["RP"], x2)
        / fused_horner(t["RQ"], x2)
        * x
        * (x2 - 1.46819706421238932572e1)
        * (x2 - 4.92184563216946036703e1)
    )
    return sign * np.where(x <= 5.0, small, _asymptotic(t, x, 1, -1))


def bessel_y0(x):
    t = TABLES["bessel_y0"]
    x2 = x * x
    ratio = fused_horner(t["YP"], x2) / fused_horner(t["YQ"], x2)
    small = fused(_TWO_OVER_PI * _LOG(x), bessel_j0(x), ratio)  # (yp / yq + 2/pi log(x) j0(x), contracted)
    r = np.where(x <= 5.0, small, _asymptotic(t, x, 0, 1))
    return np.where(x == 0, -np.inf, np.where(x < 0, np.nan, r))


def bessel_y1(x):
    t = TABLES["bessel_y1"]
    x2 = x * x
    ratio = fused_horner(t["YP"], x2) / fused_horner(t["YQ"], x2)
    # x (yp / yq) + 2/pi (j1(x) log(x) - 1 / x), both sums contracted with their first products
    small = fused(x, ratio, _TWO_OVER_PI * fused(bessel_j1(x), _LOG(x), -(1.0 / x)))
    r = np.where(x <= 5.0, small, _asymptotic(t, x, 1, 1))
    return np.where(x == 0, -np.inf, np.where(x < 0, np.nan, r))


def _libc(name: str, double, single=None):
    """std::name as Math.h's templates call it: the C library's float function for float (numpy's float32
    sin, cos, log and exp are not glibc's), its double one for double."""
    single = single or libm_function(name)

    def call(x):
        x = np.asarray(x)
        if x.dtype == np.float32:
            return single(x)
        return double(x) if x.dtype == np.float64 else getattr(np, name)(x)

    return call


_c_exp = _libc("exp", glibc_exp, glibc_expf)
_SIN, _COS, _LOG = _libc("sin", glibc_sin), _libc("cos", glibc_cos), _libc("log", glibc_log)


def modified_bessel_i0(x):
    t = TABLES["modified_bessel_i0"]
    a = np.abs(x)
    near = _c_exp(a) * _clenshaw(t["A"], a / 2.0 - 2.0)
    far = _c_exp(a) * _clenshaw(t["B"], 32.0 / a - 2.0) / np.sqrt(a)
    return np.where(a <= 8.0, near, far)


def modified_bessel_i1(x):
    t = TABLES["modified_bessel_i1"]
    a = np.abs(x)
    near = _clenshaw(t["A"], a / 2.0 - 2.0) * a * _c_exp(a)
    far = _c_exp(a) * _clenshaw(t["B"], 32.0 / a - 2.0) / np.sqrt(a)
    r = np.where(a <= 8.0, near, far)
    return np.where(x < 0, -r, r)


def modified_bessel(order: int, scaled: bool):
    """torch.i0, i0e, special.i1, i1e: Math.h's calc_i0, calc_i0e, calc_i1, calc_i1e (Cephes), the same
    Chebyshev series as the modified_bessel functions, in the input's precision, multiplied in their own
    order; float's i1 tables keep only the last 17 and 7 coefficients (torch's float specialisations)."""
    t = TABLES[f"modified_bessel_i{order}"]
    near_coefficients, far_coefficients = t["A"], t["B"]

    def kernel(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        f = x.dtype.type
        near_c, far_c = near_coefficients, far_coefficients
        unrolled = order == 1 and x.dtype == np.float32
        if unrolled:
            near_c, far_c = near_c[-17:], far_c[-7:]
        a = np.abs(x)
        with np.errstate(all="ignore"):
            near = _clenshaw(near_c, a / f(2) - f(2), unrolled)
            far = _clenshaw(far_c, f(32) / a - f(2), unrolled)
            if scaled:
                near = near * a if order else near
            else:
                e = _c_exp(a)
                near = e * a * near if order else e * near
                far = e * far
            if x.dtype == np.float16:  # (calc_i0e's half scalar loop: std::sqrt and its quotient in float)
                far = far.astype(np.float32) / np.sqrt(a.astype(np.float32))
            else:
                far = far / np.sqrt(a)
            r = np.where(a <= f(8), near, far)
        return np.where(x < 0, -r, r) if order else r

    return kernel


def _k(order: int, scaled: bool):
    def kernel(x):
        t = TABLES[f"modified_bessel_k{order}"]
        f = x.dtype.type
        near = _clenshaw(t["A"], fused(x, x, np.asarray(f(-2))))  # (x * x - 2, contracted)
        if order == 0 and not scaled:  # log(0.5 * x): a double literal, so this term is computed in double
            x64 = x.astype(np.float64)
            i0 = modified_bessel_i0(x).astype(np.float64)
            near = fused(-_LOG(0.5 * x64), i0, near.astype(np.float64)).astype(x.dtype)
        elif order == 0:
            near = fused(-_LOG(f(0.5) * x), modified_bessel_i0(x), near)
        else:
            near = fused(_LOG(f(0.5) * x), modified_bessel_i1(x), near / x)
        far = _clenshaw(t["B"], 8.0 / x - 2.0)
        if scaled:
            r = np.where(x <= 2.0, near * _c_exp(x), far / np.sqrt(x))
        else:  # (exp(-x) times the sum, then divided by sqrt(x))
            r = np.where(x <= 2.0, near, _c_exp(-x) * far / np.sqrt(x))
        return np.where(x == 0, np.inf, np.where(x < 0, np.nan, r))

    return kernel


def spherical_bessel_j0(x):
    """1 + x**2 (-1/6 + x**2 (1/120 + ...)) below 1/2, each level one fused multiply-add and each coefficient
    a quotient in x's type (T(-1) / T(6)); sin(x) / x above."""
    f = x.dtype.type
    x2 = x * x
    series = np.asarray(f(1) / f(6227020800))
    for denominator in (-39916800, 362880, -5040, 120, -6):
        series = fused(x2, series, np.asarray(f(np.sign(denominator)) / f(abs(denominator))))
    series = fused(x2, series, np.asarray(f(1)))
    r = np.where(np.abs(x) < 0.5, series, _SIN(x) / x)
    return np.where(np.isinf(x), 0.0, r)


def airy_ai(x):
    """Ai: an asymptotic form below -2.09 (rational functions of 1/zeta^2), another above 2.09 (of 1/zeta,
    taken up to 8.32), the Maclaurin series f, g between (summed until a term is below double's epsilon)."""
    t = TABLES["airy_ai"]
    with np.errstate(all="ignore"):
        root = np.sqrt(np.abs(x))
        zeta = 2.0 * np.abs(x) * root / 3.0
        z = 1.0 / (-2.0 * x * np.sqrt(-x) / 3.0)
        zz = z * z
        phase = -2.0 * x * np.sqrt(-x) / 3.0 + 0.25 * np.pi
        left = (
            5.64189583547756286948e-01
            / np.sqrt(np.sqrt(-x))
            * fused(  # (sin(phase) (1 + ...) - cos(phase) (...), contracted)
                _SIN(phase),
                1.0 + zz * fused_horner(t["AFN"], zz) / fused_horner(t["AFD"], zz),
                -(_COS(phase) * (z * fused_horner(t["AGN"], zz) / fused_horner(t["AGD"], zz))),
            )
        )
        inv = 1.0 / zeta
        right = (
            5.64189583547756286948e-01
            * (fused_horner(t["AN"], inv) / fused_horner(t["AD"], inv))
            / (2.0 * np.sqrt(root) * _c_exp(zeta))
        )
        middle = _airy_series(np.where((x >= -2.09) & (x < 2.09) | np.isnan(x), x, 0.0))
    r = np.where(x < -2.09, left, np.where(x >= 2.09, right, middle))
    r = np.where(x > 103.892, 0.0, r)
    return np.where(np.isinf(x), np.nan, r)


def _airy_series(x):
    f, g, k, m, n, t = np.ones_like(x), x.copy(), np.ones_like(x), np.ones_like(x), x.copy(), np.ones_like(x)
    z = x * x * x
    eps = np.finfo(x.dtype).eps
    active = t > eps
    while active.any():
        m = np.where(active, m * z, m)
        k = np.where(active, k + 1.0, k)
        m = np.where(active, m / k, m)
        n = np.where(active, n * z, n)
        k = np.where(active, k + 1.0, k)
        n = np.where(active, n / k, n)
        m = np.where(active, m / k, m)
        f = np.where(active, f + m, f)
        k = np.where(active, k + 1.0, k)
        n = np.where(active, n / k, n)
        g = np.where(active, g + n, g)
        t = np.where(active, np.abs(m / f), t)
        active &= t > eps
    return fused(np.asarray(x.dtype.type(0.355028053887817239260)), f, -(0.258819403792806798405 * g))  # (contracted)


BESSEL = {
    "bessel_j0": bessel_j0,
    "bessel_j1": bessel_j1,
    "bessel_y0": bessel_y0,
    "bessel_y1": bessel_y1,
    "modified_bessel_i0": modified_bessel_i0,
    "modified_bessel_i1": modified_bessel_i1,
    "modified_bessel_k0": _k(0, scaled=False),
    "modified_bessel_k1": _k(1, scaled=False),
    "scaled_modified_bessel_k0": _k(0, scaled=True),
    "scaled_modified_bessel_k1": _k(1, scaled=True),
    "spherical_bessel_j0": spherical_bessel_j0,
    "airy_ai": airy_ai,
}
