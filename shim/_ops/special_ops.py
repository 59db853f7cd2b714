"""The pointwise ops torch has only in torch.special: entr, erfcx, log_ndtr, ndtri, i0e, i1, i1e, xlog1py,
zeta, the Bessel and Airy functions (shim/_ops/bessel.py) and the orthogonal polynomials, as Pointwise specs
run by the shared unary/binary dispatch.

The kernels follow aten/src/ATen/native/Math.h: the polynomials' recurrences step by step in the input's
precision, each element leaving its loop where torch's would; ndtri is Cephes' rational approximation, erfcx
reads Faddeeva's tables (faddeeva_tables.py) as torch does, and log_ndtr takes the same branches.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .._autograd.grad_mode import no_grad
from .._cpu.fma import fused
from .._cpu.libm import glibc_log, libm_function
from .._dispatch import broadcast_shapes
from .._tensor import Tensor
from . import special_functions as sf
from .bessel import BESSEL, fused_horner
from .binary import C_LOG1P, _not_implemented_input, _rename_node
from .binary import run as run_binary
from .elementwise import Pointwise, formula, unary, vector_formula
from .unary import I1, _special

__all__ = ["SPECIAL_UNARY", "SPECIAL_BINARY", "POLYNOMIALS", "special_unary", "special_binary"]

_SQRT_2PI = math.sqrt(2 * math.pi)
_FRAC_SQRT_2 = math.sqrt(0.5)  # (M_SQRT1_2, correctly rounded: 1 / math.sqrt(2) is an ulp below it)
_ISPI = 0.56418958354775628694807945156  # 1 / sqrt(pi)


_C_LOG, _C_ERFC, _C_EXP = libm_function("log"), libm_function("erfc"), libm_function("exp")


@vector_formula
def _i0e_half_lanes(r, where, a):
    """i0e's vector loop for half: the float kernel (Vectorized<float>), rounded to half once; its scalar
    loop, the kernel, computes in half (calc_i0e has no half overload that goes through float)."""
    r[where] = sf.i0e(a[where].astype(np.float32)).astype(np.float16)


def _entr(x):
    """-x log x; 0 at 0, -inf below, NaN kept (torch's kernel, in the input's precision, std::log: glibc's
    logf for float; for half, its log rounded to half, then the product in float, rounded again)."""
    with np.errstate(all="ignore"):
        if x.dtype == np.float16:
            x32 = x.astype(np.float32)
            r = (-x32 * _C_LOG(x32).astype(np.float16).astype(np.float32)).astype(np.float16)
        else:
            r = -x * (_C_LOG(x) if x.dtype == np.float32 else glibc_log(x))
    r = np.where(x == 0, x.dtype.type(0), r)
    return np.where(x < 0, x.dtype.type(-np.inf), r)


def _erfcx(x):
    """calc_erfcx in the input's precision: Faddeeva's Chebyshev fits of y = 400 / (4 + |x|) up to |x| 50
    (_erfcx_y100), 2 exp(x**2) less that for a negative x (the C library's double exp of the square in x's
    type, the difference in double), 2 exp(x**2) alone below -6.1 and inf below -26.7; above 50 the 5-term
    continued fraction (its double literals: computed in double; bit for bit for double, not for float, whose
    results there lie up to 3 ulps from the exact value in torch: an order not found), above 5e7
    1 / (x sqrt(pi))."""
    f = x.dtype.type
    with np.errstate(all="ignore"):
        a = np.abs(x)
        y = _erfcx_y100(f(400) / (f(4) + a))
        twice = 2 * _C_EXP((x * x).astype(np.float64))  # (::exp: the double function of the square)
        near = np.where(x < 0, (twice - y).astype(x.dtype), y)
        near = np.where(x < f(-6.1), twice.astype(x.dtype), near)
        x2 = (x * x).astype(np.float64)  # (x * x in x's type, then the double literals)
        wide = x.astype(np.float64)
        numerator = fused(x2, x2 + 4.5, np.asarray(2.0))  # (x*x (x*x + 4.5) + 2, its last step contracted)
        denominator = fused(x2, x2 + 5.0, np.asarray(3.75))
        far = (f(_ISPI) * numerator / (wide * denominator)).astype(x.dtype)
        far = np.where(x > f(5e7), f(_ISPI) / x, far)
        r = np.where(x > f(50), far, near)
        return np.where(x < f(-26.7), f(np.inf), np.where(np.isnan(x), x, r))


def _erfcx_y100(y100: np.ndarray) -> np.ndarray:
    """erfcx_y100: for y100 in [k, k + 1), t = 2 y100 - (2k + 1) in y100's type, then table k's polynomial in
    t by Horner in double (its literals are doubles), each step rounded (no fused steps here: measured); 1 at
    y100 = 100 (x = 0)."""
    k = np.clip(np.nan_to_num(y100), 0, 100).astype(np.intp)
    f = y100.dtype.type
    t = (f(2) * y100 - (2 * k + 1).astype(y100.dtype)).astype(np.float64)
    c = _erfcx_table()
    p = np.take(c[6], k) * t
    p += np.take(c[5], k)
    for j in (4, 3, 2, 1, 0):
        p *= t
        p += np.take(c[j], k)
    return np.where(k == 100, 1.0, p).astype(y100.dtype)


@functools.cache
def _erfcx_table() -> np.ndarray:
    """faddeeva_tables.ERFCX_Y100 as (coefficient, interval), with a 101st interval (y100 = 100: unused)."""
    from .faddeeva_tables import ERFCX_Y100

    return np.ascontiguousarray(np.array([*ERFCX_Y100, ERFCX_Y100[-1]]).T)


def _log_ndtr(x):
    """calc_log_ndtr in the input's precision: log1p(-erfc(t) / 2) from x = -1 up, log(erfcx(-t) / 2) - t**2
    below, t = x / sqrt 2, with the C library's erfc, log1p and log and _erfcx (bit for bit against torch 2.13
    but for float below about -70, where erfcx's continued fraction is not float's)."""
    f = x.dtype.type
    t = x * f(_FRAC_SQRT_2)
    with np.errstate(all="ignore"):
        upper = C_LOG1P(-_C_ERFC(t) / f(2))
        lower = _C_LOG(_erfcx(-t) / f(2)) - t * t
    return np.where(x < f(-1), lower, upper)


# Cephes ndtri: (0.135, 0.865) by P0/Q0 around 0.5, the tails by P1/Q1 (down to exp(-32)) and P2/Q2
_P0 = (-5.99633501014107895267e1, 9.80010754185999661536e1, -5.66762857469070293439e1, 1.39312609387279679503e1,
       -1.23916583867381258016e0)  # fmt: skip
_Q0 = (1.0, 1.95448858338141759834e0, 4.67627912898881538453e0, 8.63602421390890590575e1, -2.25462687854119370527e2,
       2.00260212380060660359e2, -8.20372256168333339912e1, 1.59056225126211695515e1,
       -1.18331621121330003142e0)  # fmt: skip
_P1 = (4.05544892305962419923e0, 3.15251094599893866154e1, 5.71628192246421288162e1, 4.40805073893200834700e1,
       1.46849561928858024014e1, 2.18663306850790267539e0, -1.40256079171354495875e-1, -3.50424626827848203418e-2,
       -8.57456785154685413611e-4)  # fmt: skip
_Q1 = (1.0, 1.57799883256466749731e1, 4.53907635128879210584e1, 4.13172038254672030440e1, 1.50425385692907503408e1,
       2.50464946208309415979e0, -1.42182922854787788574e-1, -3.80806407691578277194e-2,
       -9.33259480895457427372e-4)  # fmt: skip
_P2 = (3.23774891776946035970e0, 6.91522889068984211695e0, 3.93881025292474443415e0, 1.33303460815807542389e0,
       2.01485389549179081538e-1, 1.23716634817820021358e-2, 3.01581553508235416007e-4, 2.65806974686737550832e-6,
       6.23974539184983293730e-9)  # fmt: skip
_Q2 = (1.0, 6.02427039364742014255e0, 3.67983563856160859403e0, 1.37702099489081330271e0, 2.16236993594496635890e-1,
       1.34204006088543189037e-2, 3.28014464682127739104e-4, 2.89247864745380683936e-6,
       6.79019408009981274425e-9)  # fmt: skip
_EXP_M2 = 0.13533528323661269189


def _ndtri(y0):
    """Math.h's calc_ndtri (Cephes) in the input's precision: polevl's steps fused (GCC contracts r x + c),
    and the middle range's y + y (...) too; ::log and ::sqrt are the C library's double functions even for
    float (the argument promoted, the tail's x and x0 rounded back to float).  Bit for bit against torch
    2.13 on 140,000 float and double inputs (uniform, tiny, near 1)."""
    f = y0.dtype.type
    with np.errstate(all="ignore"):
        upper = y0 > f(1) - f(_EXP_M2)
        y = np.where(upper, f(1) - y0, y0)
        centre = y - f(0.5)
        c2 = centre * centre
        ratio = c2 * fused_horner(_P0, c2) / fused_horner(_Q0, c2)
        middle = fused(centre, ratio, centre) * f(2.50662827463100050242)
        x = np.sqrt(-2.0 * _C_LOG(y.astype(np.float64))).astype(y0.dtype)
        wide = x.astype(np.float64)
        x0 = (wide - _C_LOG(wide) / wide).astype(y0.dtype)
        z = f(1) / x
        p1, p2 = z * fused_horner(_P1, z) / fused_horner(_Q1, z), z * fused_horner(_P2, z) / fused_horner(_Q2, z)
        x1 = np.where(x < f(8), p1, p2)
        tail = np.where(upper, x0 - x1, x1 - x0)
        r = np.where(y > _EXP_M2, middle, tail)
        r = np.where((y0 < 0) | (y0 > 1) | np.isnan(y0), np.nan, r)
        return np.where(y0 == 0, -np.inf, np.where(y0 == 1, np.inf, r))


def _xlog1py(x, y):
    with np.errstate(all="ignore"):
        r = x * C_LOG1P(y)  # (the C library's, as torch's scalar kernel)
    return np.where(np.isnan(y), y, np.where(x == 0, x.dtype.type(0), r))


# -- the orthogonal polynomials (x, n): n truncated to an integer, the recurrence in x's precision ---------
def _degree(n: np.ndarray) -> np.ndarray:
    """static_cast<int64_t>(n): truncation; NaN, infinities and values past int64 convert (on x86) to
    INT64_MIN, a negative degree."""
    if n.dtype.kind != "f":
        return n.astype(np.int64)
    valid = np.isfinite(n) & (np.abs(n) < 2.0**63)
    return np.where(valid, np.trunc(np.where(valid, n, 0)), -(2.0**63)).astype(np.int64)


def _recur(x, n, p, q, step, first: int, stop_at_nan: bool = True, increment: int = 1):
    """r = step(k, p, q) for k = first, first + increment, ... while k < n; an element leaves when its n is
    reached (or, as torch's loop, when q is NaN): returns q where the loop ran, p, q being its last two."""
    r = q.copy()
    k = first
    active = k < n
    while active.any():
        if stop_at_nan:
            active &= ~np.isnan(q)
        kt = x.dtype.type(k)
        new = step(kt, p, q)
        p, q = np.where(active, q, p), np.where(active, new, q)
        r = np.where(active, new, r)
        k += increment
        active &= k < n
    return r


def _piecewise(x, n, cases, general):
    """The first case (mask, value) that holds for an element, else the recurrence `general`."""
    result = np.zeros(np.broadcast_shapes(x.shape, n.shape), x.dtype)
    done = np.zeros(result.shape, bool)
    for mask, value in cases:
        mask = np.broadcast_to(mask, result.shape) & ~done
        result = np.where(mask, value, result)
        done |= mask
    if not done.all():
        result = np.where(done, result, general())
    return result


# the degree above which inside (-1, 1) the trigonometric form replaces the recurrence
_TRIG_FROM = {("t", False): 6, ("u", False): 8, ("v", False): 8, ("w", False): 8}
_TRIG_FROM.update({("t", True): 6, ("u", True): 6, ("v", True): 6, ("w", True): 4})


# the trigonometric forms call std::acos, std::cos and std::sin of x's type (glibc's acosf, ... for float)
_ACOS, _COS, _SIN = (libm_function(name) for name in ("acos", "cos", "sin"))


def _chebyshev(kind: str, shifted: bool = False):
    """Chebyshev polynomials T, U, V, W (shifted: of 2x - 1): endpoints, the trigonometric form inside
    (-1, 1) for large n, and r = 2y q - p from their own first two terms."""
    first_term = {"t": lambda y: y, "u": lambda y: y + y, "v": lambda y: y + y - 1, "w": lambda y: y + y + 1}[kind]
    threshold = _TRIG_FROM[kind, shifted]

    def kernel(x, n):
        n = _degree(n)
        t = x.dtype.type
        y = x + x - t(1) if shifted else x
        nt = n.astype(x.dtype)
        parity = np.where(n % 2 == 0, t(1), t(-1))
        with np.errstate(all="ignore"):
            theta = _ACOS(y)
            if kind == "t":
                endpoint = np.where(y > 0, t(1), parity)
                trig = [(_COS(nt * theta), True)]
            elif kind == "u":
                endpoint = np.where(y > 0, nt + 1, parity * (nt + 1))
                sin_theta = _SIN(theta)
                trig = [
                    (_SIN((nt + 1) * theta) / sin_theta, sin_theta != 0),
                    ((nt + 1) * _COS((nt + 1) * theta) / y, True),
                ]
            elif kind == "v":
                endpoint = np.where(y > 0, t(1), parity * (nt + nt + 1))
                trig = [
                    (_COS((nt + t(0.5)) * theta) / _COS(theta / t(2)), _SIN(theta / t(2)) != 1),
                    (parity * (nt + nt + 1), True),
                ]
            else:
                endpoint = np.where(y > 0, nt + nt + 1, parity)
                trig = [
                    (_SIN((nt + t(0.5)) * theta) / _SIN(theta / t(2)), _COS(theta / t(2)) != 1),
                    (parity if shifted else endpoint, True),
                ]
        inside = (n > threshold) & (np.abs(y) < 1)
        cases = [(n < 0, t(0)), (np.abs(y) == 1, endpoint)]
        cases += [(inside & cond, value) for value, cond in trig]
        cases += [(n == 0, t(1)), (n == 1, first_term(y))]

        def general():
            with np.errstate(all="ignore"):
                q = first_term(y)
                return _recur(x, n + 1, np.ones_like(q), q, lambda k, p, q: fused(y + y, q, -p), 2)

        return _piecewise(x, n, cases, general)

    return kernel


_HERMITE_LIMIT = {np.float32: 128, np.float64: 512}


def _hermite(physicists: bool):
    def kernel(x, n):
        n = _degree(n)
        t = x.dtype.type
        first = (x + x) if physicists else x
        cases = [(n < 0, t(0)), (n == 0, t(1)), (n == 1, first), (n > _HERMITE_LIMIT[x.dtype.type], t(np.nan))]

        def general():
            with np.errstate(all="ignore"):
                if physicists:  # k = 2, 4, ... below 2n
                    step = lambda k, p, q: fused(x + x, q, -(k * p))  # noqa: E731
                    return _recur(x, n + n, np.ones_like(x), first, step, 2, stop_at_nan=False, increment=2)
                step = lambda k, p, q: fused(x, q, -(k * p))  # noqa: E731
                return _recur(x, n, np.ones_like(x), first, step, 1, stop_at_nan=False)

        return _piecewise(x, n, cases, general)

    return kernel


def _laguerre(x, n):
    n = _degree(n)
    t = x.dtype.type
    cases = [(n < 0, t(0)), (np.abs(x) == 0, t(1)), (n == 0, t(1)), (n == 1, t(1) - x)]

    def general():
        with np.errstate(all="ignore"):
            step = lambda k, p, q: fused((k + k) + (t(1) - x), q, -(k * p)) / (k + t(1))  # noqa: E731
            return _recur(x, n, np.ones_like(x), t(1) - x, step, 1)

    return _piecewise(x, n, cases, general)


def _legendre(x, n):
    n = _degree(n)
    t = x.dtype.type
    endpoint = np.where((x > 0) | (n % 2 == 0), t(1), t(-1))
    cases = [(n < 0, t(0)), (np.abs(x) == 1, endpoint), (n == 0, t(1)), (n == 1, x)]

    def general():
        with np.errstate(all="ignore"):
            step = lambda k, p, q: fused((k + k + t(1)) * x, q, -(k * p)) / (k + t(1))  # noqa: E731
            return _recur(x, n, np.ones_like(x), x.copy(), step, 1)

    return _piecewise(x, n, cases, general)


def _undifferentiated(name: str, kernel) -> Pointwise:
    """An op torch gives no derivative, with no kernel for half or complex."""
    return Pointwise(f"special_{name}", kernel, "float", None, (), {"float16": f"{name}_cpu", "complex": f"{name}_cpu"})


def _broadcast(kernel):
    """The polynomial kernels step x and n element by element: both at the broadcast shape."""

    def run(x, n):
        x, n = (np.array(v) for v in np.broadcast_arrays(x, n))
        return kernel(x, n)

    return run


POLYNOMIALS = {
    f"{prefix}chebyshev_polynomial_{kind}": _broadcast(_chebyshev(kind, shifted=bool(prefix)))
    for prefix in ("", "shifted_")
    for kind in "tuvw"
}
POLYNOMIALS.update(
    hermite_polynomial_h=_broadcast(_hermite(True)),
    hermite_polynomial_he=_broadcast(_hermite(False)),
    laguerre_polynomial_l=_broadcast(_laguerre),
    legendre_polynomial_p=_broadcast(_legendre),
)

P = Pointwise
SPECIAL_UNARY = {  # by torch.special's name; each spec named as torch's messages name the op (special_entr)
    s.name.removeprefix("special_"): s
    for s in [
        P("special_entr", _entr, "float", "SpecialEntrBackward0", (formula(lambda F, g, self: g * -(1 + F.log(self))),),
          {"complex": "entr_cpu"}, opmath=False),
        P(
            "special_erfcx",
            _erfcx,
            "float",
            "SpecialErfcxBackward0",
            (formula(lambda F, g, self, result: (2.0 * self * result - 2.0 / math.sqrt(math.pi)) * g),),
            {"float16": "erfcx_cpu", "complex": "erfcx_cpu"},
        ),
        P(
            "special_log_ndtr",
            _log_ndtr,
            "float",
            "SpecialLogNdtrBackward0",
            (formula(lambda F, g, self, result: g / _SQRT_2PI * F.exp(-(result + self * self / 2))),),
            {"float16": "log_ndtr_cpu", "complex": "log_ndtr_cpu"},
        ),
        P(
            "special_ndtri",
            _ndtri,
            "float",
            "SpecialNdtriBackward0",
            (formula(lambda F, g, result: g * _SQRT_2PI * F.exp(result * result / 2)),),
            {"float16": "ndtri_cpu", "complex": "ndtri_cpu"},
        ),
        P(
            "special_i0e",
            _special(sf.i0e),
            "float",
            "SpecialI0EBackward0",
            (formula(lambda F, g, self, result: g * (F.special_i1e(self) - F.sign(self) * result)),),
            {"complex": "i0e_cpu"},
            opmath=False,  # (half reaches the kernel as half: its scalar loop computes in half)
            simd={"float16": _i0e_half_lanes},
        ),
        P(
            "special_i1",
            I1.kernel,
            "float",
            "SpecialI1Backward0",
            (formula(lambda F, g, self, result: g * _i1_grad(F, self, result, False)),),
            {"complex": "i1_cpu"},
        ),
        P(
            "special_i1e",
            _special(sf.i1e),
            "float",
            "SpecialI1EBackward0",
            (formula(lambda F, g, self, result: g * _i1_grad(F, self, result, True)),),
            {"complex": "i1e_cpu"},
        ),
        *(_undifferentiated(name, kernel) for name, kernel in BESSEL.items()),
    ]
}  # fmt: skip


def _i1_grad(F, x, result, scaled: bool):
    """torch's i1_backward / i1e_backward: at |x| <= eps the limit 0.5, elsewhere i0(x) - i1(x)/x (scaled:
    i0e(x) - i1e(x) (sgn(x) + 1/x)), computed on an input kept away from zero."""
    eps = float(np.finfo(x.dtype if isinstance(x, np.ndarray) else x.dtype.np).eps)
    big = F.abs(x) > eps
    safe = F.where(big, x, eps)
    if scaled:
        value = F.special_i0e(safe) - result * (F.sign(safe) + 1 / safe)
    else:
        value = F.i0(safe) - result * (1 / safe)
    return F.where(big, value, 0.5)


SPECIAL_BINARY = {
    s.name.removeprefix("special_"): s
    for s in [
        P(
            "special_xlog1py",
            _xlog1py,
            "float",
            "SpecialXlog1PyBackward0",
            (
                formula(lambda F, g, self, other: F.where((self == 0) & (other <= -1), 0, F.special_xlog1py(g, other))),
                formula(lambda F, g, self, other: g * self / (other + 1)),
            ),
            {"complex": "xlog1py_cpu"},
            opmath=False,  # (half: c10's std::log1p of a Half returns a Half, and the product rounds again)
        ),
        P(
            "special_zeta",
            lambda x, q: sf.zeta(x, q),
            "float",
            "SpecialZetaBackward0",
            (
                _not_implemented_input("zeta"),
                formula(lambda F, g, self, other: g * F.neg(self) * F.special_zeta(self + 1.0, other)),
            ),
            # (torch refuses half after the shapes but before out='s autograd check: see special_binary)
            {"float16": (NotImplementedError, "\"zeta_cpu\" not implemented for 'Half'"), "complex": "zeta_cpu"},
        ),
        *(_undifferentiated(name, kernel) for name, kernel in POLYNOMIALS.items()),
    ]
}


def special_unary(name: str, x: Tensor, out=None) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"special_{name}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    return unary(SPECIAL_UNARY[name], x, out)


def special_binary(name: str, x, other, out=None) -> Tensor:
    """(Tensor, Tensor), (Tensor, Number) and (Number, Tensor): a Number first operand is a 0-dim tensor of
    the type promotion gives it (its node is then the op's Backward1, with only `other` differentiable)."""
    from .. import result_type, scalar_tensor

    spec = SPECIAL_BINARY[name]
    if isinstance(x, Tensor):
        if name == "zeta" and isinstance(other, Tensor):  # zeta checks shapes, then half, then out='s grad
            broadcast_shapes(x._a.shape, other._a.shape)
        return run_binary(spec.name, x, other, out, spec=spec)
    if not isinstance(other, Tensor):
        raise TypeError(
            f"special_{name}() received an invalid combination of arguments - got ({type(x).__name__}, "
            f"{type(other).__name__})"
        )
    scalar = scalar_tensor(x, dtype=result_type(x, other))
    if out is not None:  # torch's (Number, Tensor, out=) overload runs below autograd: no grad check, no graph
        with no_grad():
            return run_binary(spec.name, scalar, other, out, spec=spec)
    r = run_binary(spec.name, scalar, other, spec=spec)
    if r._fn is not None:
        _rename_node(r, spec.node[:-1] + "1")
    return r
