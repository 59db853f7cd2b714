"""Unary elementwise ops: one table row each, forward kernel and derivative side by side."""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np

from .. import _dtypes
from .._autograd.formulas import NP
from .._cpu import c10_complex, parallel, sleef, vml
from .._cpu.fma import fma32, fused
from .._cpu.libm import glibc_atan2, glibc_exp2f, glibc_expf, glibc_hypot, libm_function
from .._cpu.simd import simd_mask, vector_bytes
from .._cpu.sleef import expf
from .._cpu.sleef_double import atan2d, atanhd, coshd, exp2d, expd, expm1d, lgammad, log1pd, sinhd
from .._dispatch import check_inplace, check_out_grad
from .._dtypes import COMPLEX, INT
from .._errors import TEMPLATES
from .._layout import conform, result_layout
from .._registry import register
from .._tensor import Tensor
from .._views import contiguous_strides, is_dense
from . import special_functions as sf
from .elementwise import Pointwise, formula, unary, vector_formula

__all__ = ["UNARY"]


# -- kernels that differ from numpy's ---------------------------------------------------------------
def log1p_kernel(z):
    """log1p; for double, Sleef's (in every element, as torch's vml map computes it); for complex, c10's
    (c10_complex.log1p)."""
    z = np.asarray(z)
    if z.dtype == np.float64:
        return log1pd(z)
    return c10_complex.log1p(z) if z.dtype.kind == "c" else np.log1p(z)


def _acos(a):
    """arccos: float32 and float64 MKL's (vml.acos); complex128 as torch computes it in both loops
    (Vectorized<complex<double>>::acos and the scalar loop alike, measured): pi/2 - asin(z) part by part,
    the imaginary part as 0 - imag (+0 where asin's is 0).  numpy's arccos differed on 35 % of random
    values; complex64's agrees with torch's."""
    if a.dtype in (np.float32, np.float64):
        return vml.acos(a)
    if a.dtype != np.complex128:
        return np.arccos(a)
    r = np.asarray(np.arcsin(a))  # (a 0-d array: numpy gives a scalar)
    r.real = np.pi / 2 - r.real
    r.imag = 0.0 - r.imag
    return r


def _expm1(a):
    """expm1 of double as Sleef's (in every element: torch's vml map), of complex as c10's."""
    if a.dtype == np.float64:
        return expm1d(a)
    return c10_complex.expm1(a) if a.dtype.kind == "c" else np.expm1(a)


def _sign(a):
    """torch: (0 < x) - (x < 0), so sign(nan) is 0 and bool is kept."""
    if a.dtype == np.bool_:
        return a.copy()
    if a.dtype.kind == "f":
        return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)
    return np.sign(a)


def _sgn(a):
    return complex_sgn(a) if a.dtype.kind == "c" else _sign(a)


def complex_sgn(a: np.ndarray) -> np.ndarray:
    """torch's complex sgn, 0 at 0: its scalar loop (sgn_impl) divides z by complex(|z|, 0) with c10's complex
    division, a * (1 / |z|) part by part; its vector loop divides each part by |z| (|z| as torch's abs
    computes it in each loop, so inf past the range and the quotient 0 there).  The lanes follow the memory
    order of the result, which keeps the input's layout."""
    a = np.asarray(a)
    modulus = _abs(a)
    with np.errstate(all="ignore"):
        out = c10_complex.divide(a, modulus.astype(a.dtype))
        out_strides = result_layout(a.shape, [a]) or contiguous_strides(a.shape)
        in_strides = tuple(s // a.itemsize for s in a.strides)
        lanes = simd_mask(a.shape, out_strides, [in_strides], a.itemsize, vector_bytes())
        if lanes is not None:
            vector_modulus = modulus.copy()
            if a.dtype == np.complex128:
                _abs_simd(vector_modulus, lanes, a)
            vector = np.empty_like(a)
            vector.real, vector.imag = a.real / vector_modulus, a.imag / vector_modulus
            out = np.where(lanes, vector, out)
        return np.where(modulus == 0, a.dtype.type(0), out)


def _round(a, decimals=0):
    if decimals == 0:
        return np.rint(a)
    # torch: nearbyint(x * 10^d) / 10^d, or nearbyint(x / 10^-d) * 10^-d for negative d
    if decimals > 0:
        ten = a.dtype.type(10.0**decimals)
        return np.rint(a * ten) / ten
    ten = a.dtype.type(10.0 ** (-decimals))
    return np.rint(a / ten) * ten


def _identity_for_ints(kernel):
    """Rounding ops leave integers alone (numpy would round-trip them through float64)."""

    def rounding(a, **kw):
        return a.copy() if a.dtype.kind in "iub" else kernel(a, **kw)

    return rounding


def _frac(a):
    return a - np.trunc(a)


def _sigmoid(a):
    """1 / (1 + exp(-x)) with the C library's exp, as torch's scalar loop (std::exp) computes it, in float for
    half; complex: c10::complex's division (both loops)."""
    if a.dtype == np.float32:
        return np.float32(1) / (np.float32(1) + glibc_expf(-a))
    if a.dtype == np.float64:
        return 1 / (1 + C_EXP(-a))
    if a.dtype.kind == "c":
        return _complex_reciprocal(1 + np.exp(-a))
    return 1 / (1 + np.exp(-a))


def in_backward_layout(value: np.ndarray, g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A backward kernel's result laid out as TensorIterator lays out its output over (grad, x)."""
    return conform(value, result_layout(value.shape, [np.asarray(g), np.asarray(x)]))


def _tanh_derivative(F, g, result):
    """tanh_backward: g (1 - y y), the 1 - y y one multiply-add (GCC contracts it in both loops: bit for bit on
    random draws, float and double; half computed in float); complex: g conj(1 - y y)."""

    def back(g, y):
        if isinstance(y, np.ndarray) and y.dtype in (np.float32, np.float64):
            return in_backward_layout(g * fused(-y, y, y.dtype.type(1)), g, y)
        return g * F.conj(1 - y * y)

    return F.fused(back, g, result)


def exp_simd(kernel):
    """A vector-loop fix (the kernel registered for AVX512 too) for a float/half kernel of x and exp(-x):
    the same formula with Sleef's expf, the exp of Vectorized<float> (sigmoid, silu)."""

    @vector_formula
    def fix(r, where, a):
        x = np.asarray(a, np.float32)[where]
        r[where] = kernel(x, expf(-x)).astype(r.dtype)

    return fix


C_EXP = libm_function("exp")  # (std::exp of a double, element by element)


def vector_erf(x: np.ndarray) -> np.ndarray:
    """Vectorized<float>::erf (torch's own): Abramowitz and Stegun's 7.1.26, 1 - t P(t) exp(-x**2) with
    t = 1 / (1 + p |x|), its steps fused as the header writes them, exp from Sleef's expf."""
    f = np.float32
    t = f(1) / fma32(f(0.3275911), np.abs(x), f(1)).astype(f)
    r = fma32(f(1.061405429), t, f(-1.453152027)).astype(f)
    for c in (1.421413741, -0.284496736, 0.254829592):
        r = fma32(r, t, f(c)).astype(f)
    out = fma32(-sleef.expf(-(x * x)) * t, r, f(1)).astype(f)
    return (out.view(np.uint32) ^ (x.view(np.uint32) & np.uint32(0x80000000))).view(np.float32)


def _erf(a: np.ndarray) -> np.ndarray:
    """erf: half as torch computes it, Vectorized<float>::erf in every element, contiguous or not (all 65,536
    halves measured), rounded to half; float32 and float64 MKL's (vml.erf)."""
    return vector_erf(a.astype(np.float32)) if a.dtype == np.float16 else vml.erf(a)


def double_exp_lanes(kernel):
    """The vector-loop fix for double of a kernel of x and exp(-x) (sigmoid, silu): Sleef's double exp on the
    lanes, the scalar loop's C exp outside them (numpy's stands in where both write over it)."""
    return _sleef_lanes(
        None, lambda a: kernel(a, expd(-a)), lambda a: kernel(a, C_EXP(-a)), lambda a: kernel(a, np.exp(-a))
    )


def _float32_by(kernel32, other):
    """`kernel32` for float32 (and half, computed in float), `other` for the other dtypes."""

    def kernel(a):
        return kernel32(a) if a.dtype == np.float32 else other(a)

    kernel.__name__ = kernel32.__name__
    return parallel.splits(kernel)  # (every use: an emulation of torch's float math)


def _sleef_lanes(kernel32, kernel64, scalar_loop=None, approximate=None):
    """The vector-loop formula of a kernel whose Vectorized<float> and Vectorized<double> forms are Sleef's
    (exp2, atanh, sinh, cosh; the scalar loop calls glibc's): kernel32 for float, kernel64 for double.
    scalar_loop: the op's kernel where it calls the C library element by element, run on long results only
    where the vector loop does not reach (`approximate`, numpy's function, stands in until then; kernel64
    where none is given)."""

    @vector_formula
    def fix(r, where, a):
        kernel = kernel32 if a.dtype == np.float32 else kernel64
        r[where] = kernel(a[where]).astype(r.dtype)

    fix.approximate, fix.scalar_loop = approximate or kernel64, scalar_loop
    return fix


_SIGMOID_SIMD = exp_simd(lambda x, e: np.float32(1) / (np.float32(1) + e))  # (1 + exp(-x)).reciprocal()
_SIGMOID_DOUBLE = double_exp_lanes(lambda x, e: 1 / (1 + e))


def _relu(a):
    # torch keeps -0 and NaN: only elements below zero become +0
    if a.dtype.kind != "f":
        return np.maximum(a, a.dtype.type(0))
    zero = a.dtype.type(0)
    return np.maximum(zero, a) if _maximum_is_relu(a.dtype.type) else NP.zero_where(a < 0, a)


@functools.cache
def _maximum_is_relu(dtype: type) -> bool:
    """Whether numpy's maximum(0, x) is torch's relu here, bit for bit: -0 kept, a NaN's bits kept, below zero
    +0 (numpy's SIMD and scalar loops return the second operand of a tie; maximum(x, 0) gives +0 for -0).  A
    probe at first use, over lengths that reach the SIMD loops and their tails; else the masked form, which
    costs three more passes."""
    rng = np.random.default_rng(0)
    nan = np.array([0x7FC12345, 0xFFC00001], np.uint32).view(np.float32).astype(dtype)
    for n in (1, 5, 16, 33, 100, 1031):
        x = rng.standard_normal(n).astype(dtype)
        x[::3], x[1::7], x[2::11] = dtype(-0.0), nan[0], nan[1]
        if np.maximum(dtype(0), x).tobytes() != NP.zero_where(x < 0, x).tobytes():
            return False
    return True


def _rsqrt(a):
    if a.dtype == np.float16:  # torch's scalar loop: Half(1) / std::sqrt(Half), each rounded to half
        root = np.sqrt(a.astype(np.float32)).astype(np.float16)
        return (np.float32(1) / root.astype(np.float32)).astype(np.float16)
    if a.dtype.kind == "c":  # sqrt().reciprocal(), c10::complex's division
        return _complex_reciprocal(np.sqrt(a))
    return 1 / np.sqrt(a)


@vector_formula
def _rsqrt_simd(r, where, a):
    """Vectorized<Half>::rsqrt: 1/sqrt in float, rounded to half once."""
    np.copyto(r, (1 / np.sqrt(a.astype(np.float32))).astype(np.float16), where=where)


@vector_formula
def _neg_simd(r, where, a):
    """Vectorized<complex>::neg: 0 - x, so zero parts come out +0 (the scalar loop's -x flips them)."""
    np.subtract(0, a, out=r, where=where)


def _nan_to_num(a, nan=None, posinf=None, neginf=None):
    if a.dtype.kind not in "fc":
        return a.copy()
    info = np.finfo(a.dtype)
    through = np.float32 if a.dtype == np.float16 else float  # (a double becomes Half through float)
    return np.nan_to_num(
        a,
        nan=0.0 if nan is None else through(nan),
        posinf=info.max if posinf is None else through(posinf),
        neginf=info.min if neginf is None else through(neginf),
    )


def _complex_reciprocal(a):
    """c10::complex<T>(1) / a, as Vectorized<complex>::reciprocal computes it too."""
    return c10_complex.divide(np.ones_like(a), a)


def _reciprocal(a):
    return _complex_reciprocal(a) if a.dtype.kind == "c" else np.reciprocal(a)


def _lgamma(a: np.ndarray) -> np.ndarray:
    """lgamma of double as torch's vml map computes it (Sleef's, in every element); other dtypes: the C
    library's."""
    return lgammad(a) if a.dtype == np.float64 else sf.lgamma(a)


def _special(kernel):
    """A special function's kernel (shim/_ops/special_functions.py) on real floating inputs; it computes in
    the input's precision or in double, as torch's does, and the result is rounded to the op's dtype."""

    def run(a, **extra):
        if a.dtype.kind == "c":
            raise AssertionError("complex inputs are refused before the kernel")
        # rounded to the computing type first: half computes in float, and float rounds to half from there
        return np.asarray(kernel(a, **extra)).astype(a.dtype, copy=False)

    return run


_C_SIN, _C_SINH, _C_COSH, _C_ATANH = (libm_function(name) for name in ("sin", "sinh", "cosh", "atanh"))


def _sinc(a):
    """torch (a scalar loop only): 1 at 0, else sin(pi x) / (pi x) in the op's own precision, with the C
    library's sinf or sin (numpy's float32 sin differs from glibc's sinf on 14 % of these products)."""
    pi_a = a * a.dtype.type(np.pi)
    with np.errstate(all="ignore"):
        return np.where(a == 0, a.dtype.type(1), _C_SIN(pi_a) / pi_a)


def _signbit(a):
    return np.signbit(a) if a.dtype.kind == "f" else a < 0 if a.dtype.kind == "i" else np.zeros(a.shape, bool)


_C_LOG = libm_function("log")


def _odds(a, eps=None):
    """x / (1 - x), x clamped to [eps, 1 - eps] first where eps is given."""
    if eps is not None:
        lo = a.dtype.type(eps)
        a = np.clip(a, lo, a.dtype.type(1) - lo)
    return a / (a.dtype.type(1) - a)


def _logit(a, eps=None):
    """log of the odds.  Measured on torch 2.13: a dense input (any dim order) takes MKL's log in every
    element; any other layout runs logit's loops, glibc's logf in the scalar loop (and Sleef's logf in the
    vector loop: _logit_simd)."""
    if a.dtype == np.float16:  # c10::Half arithmetic: 1 - x and the quotient each rounded to half, log in float
        return np.log(_odds(a, eps).astype(np.float32)).astype(np.float16)
    return (vml.log if is_dense(a) else _C_LOG)(_odds(a, eps))


def _logit_simd(r, where, a, eps=None):
    """logit's vector loop for float on a layout that is not dense: (x / (1 - x)).log(), Sleef's logf."""
    if not is_dense(a):
        r[where] = sleef.logf(_odds(np.broadcast_to(a, r.shape)[where], eps))


def _logit_back(F, g, self, eps):
    """logit_backward's scalar lambda: g * inf at 0 and 1 (eps = 0 reaches them too), NaN outside [0, 1]
    without eps, 0 outside [eps, 1 - eps] with it."""
    if eps is None or eps < 0:  # (NaN falls through to the quotient, as in the lambda)
        inner = F.where((self == 0) | (self == 1), g * float("inf"), g / (self * (1 - self)))
        r = F.where((self < 0) | (self > 1), float("nan"), inner)
    else:
        inner = F.where((self == 0) | (self == 1), g * float("inf"), g / (self * (1 - self)))
        r = F.where((self < eps) | (self > 1 - eps), 0, inner)
    if isinstance(self, np.ndarray) and not (eps is not None and eps > 0):  # (past eps, -0 gives 0 in both loops)
        r = _logit_back_simd(r, g, self)
    return r


def _logit_back_simd(r, g, self):
    """logit_backward's vector lambda (registered for AVX512 too) divides, g / (x (1 - x)), where its scalar
    lambda multiplies g by inf at x = 0: at x = -0 the two give opposite infinities."""
    negative_zero = (self == 0) & np.signbit(self)
    if not negative_zero.any():
        return r
    strides = [tuple(s // a.itemsize for s in np.broadcast_to(a, r.shape).strides) for a in (g, self)]
    out_strides = result_layout(r.shape, [g, self]) or contiguous_strides(r.shape)  # (laid out as its inputs)
    lanes = simd_mask(r.shape, out_strides, strides, r.itemsize, vector_bytes())
    if lanes is None:
        return r
    with np.errstate(all="ignore"):
        return np.where(lanes & negative_zero, g / (self * (1 - self)), r)


def _sinc_back(F, g, self):
    """torch's sinc_backward: grad * (pi x cos(pi x) - sin(pi x)) / (x x pi), 0 where that is 0; for half,
    every tensor op rounds to half (c10::Half arithmetic)."""
    if isinstance(self, np.ndarray) and self.dtype == np.float16:
        return _sinc_back_half(g, self)
    pi_x = self * np.pi
    squared = self * self * np.pi
    out = g * F.conj((pi_x * F.cos(pi_x)) - F.sin(pi_x)) / F.conj(squared)
    return F.where(squared == 0, 0, out)


def _sinc_back_half(g, x):
    def op(fn, *args):  # one half tensor op: computed in float, rounded to half
        return fn(*(np.asarray(a, np.float32) for a in args)).astype(np.float16)

    pi = np.float32(np.pi)
    pi_x = op(lambda a: a * pi, x)
    squared = op(lambda a: a * pi, op(np.multiply, x, x))
    numerator = op(np.subtract, op(np.multiply, pi_x, op(np.cos, pi_x)), op(np.sin, pi_x))
    out = op(np.divide, op(np.multiply, g, numerator), squared)
    return np.where(squared == 0, np.float16(0), out)


def _angle(a):
    """angle: of complex, std::arg in the scalar loop (the C library's atan2 of the parts: numpy's angle
    differs from it on 38 % of complex64 and 9 % of complex128 numbers)."""
    if a.dtype.kind == "c":
        return glibc_atan2(a.imag, a.real)
    # real inputs: pi below zero, NaN kept, else 0 (-0 included, where numpy's arctan2 gives pi)
    return np.where(np.isnan(a), a, np.where(a < 0, a.dtype.type(np.pi), a.dtype.type(0)))


@vector_formula
def _angle_simd(r, where, a):
    """Vectorized<complex>::angle: Sleef's atan2 of the parts (Sleef_atan2f8_u10, Sleef_atan2d4_u10)."""
    z = a[where]
    r[where] = (sleef.atan2f if z.dtype == np.complex64 else atan2d)(z.imag, z.real)


def _sigmoid_back(F, g, result):
    """sigmoid_backward: a * (1 - b) * b for reals, a * conj((1 - b) * b) for complex (its own kernel)."""
    return g * F.conj((1 - result) * result) if F.is_complex(result) else g * (1 - result) * result


def _angle_back(F, g, self):
    if not F.is_complex(self):
        return F.zeros_like(g)
    return F.where(self == 0, 0, g * self / (F.abs(self) ** 2) * 1j)


_M_PI_180 = 0.017453292519943295
_M_180_PI = 57.295779513082323
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _zeros(F, g):
    return F.zeros_like(g)


def _sgn_back(F, g, self, result):
    """torch's sgn_backward: zero for real input; for complex, (g - sgn² conj(g)) / (2 |x|), 0 where x is 0."""
    if not F.is_complex(self):
        return F.zeros_like(g)
    abs_ = F.abs(self)
    return F.where(abs_ == 0, 0, (g - (result * result) * F.conj(g)) / (2.0 * abs_))


def _acosh_back(F, g, self):
    """torch's formula: sqrt(x² - 1) factored as sqrt(x + 1) sqrt(x - 1) for complex x, where the branch cuts
    differ (x - 1 as x + (-1): torch's complex subtraction keeps +0 imaginary parts)."""
    if F.is_complex(self):
        return g * F.conj(F.rsqrt(self + 1) * F.rsqrt(self + (-1)))
    return g * F.rsqrt(self * self - 1)


def _not_for_complex(name):
    return (NotImplementedError, f"{name} is not supported for complex inputs")


_BOOL_NEG = (RuntimeError, TEMPLATES["bool_neg"])
_NO_INPUT_BOOL = {"bool": "{}_vml_cpu", "complex": None}


def _abs(x: np.ndarray) -> np.ndarray:
    """|x|, as torch's scalar loop computes it: std::abs, the C library's hypot for complex128 (numpy's abs is
    npymath's, and differs); for complex64 hypotf, computed in double and rounded once."""
    if x.dtype == np.complex64:
        return np.hypot(x.real.astype(np.float64), x.imag.astype(np.float64)).astype(np.float32)
    if x.dtype == np.complex128:
        return glibc_hypot(x.real, x.imag)
    return np.abs(x)


_HYPOT = np.frompyfunc(math.hypot, 2, 1)


@vector_formula
def _abs_simd(r, where, a):
    """Vectorized<c10::complex<double>>::abs is Sleef_hypotd4_u05, which rounds a near-half case correctly
    where glibc's hypot does not (|1+0.20000714765j|); Python's math.hypot is correctly rounded."""
    r[where] = _HYPOT(a.real[where], a.imag[where]).astype(np.float64)


P = Pointwise
UNARY = {
    s.name: s
    for s in [
        P(
            "neg",
            np.negative,
            "same",
            "NegBackward0",
            (formula(lambda F, g: F.neg(g)),),
            {"bool": _BOOL_NEG},
            out="same",
            simd={"complex": _neg_simd},
        ),
        P(
            "positive",
            np.positive,
            "same",
            None,
            (),
            {"bool": (RuntimeError, "The `+` operator, on a bool tensor is not supported.")},
            out="none",
        ),
        P(
            "abs",
            _abs,
            "real",
            "AbsBackward0",
            (formula(lambda F, g, self: g * F.sign(self)),),
            {"bool": "abs_cpu"},
            out="same",
            simd={"complex128": _abs_simd},
        ),
        P(
            "sign",
            _sign,
            "same",
            "SignBackward0",
            (formula(_zeros),),
            {
                "complex": (
                    NotImplementedError,
                    "Unlike NumPy, torch.sign is not intended to support complex numbers. "
                    "Please use torch.sgn instead.",
                )
            },
            out="same",
        ),
        P(
            "sgn",
            _sgn,
            "same",
            "SgnBackward0",
            (formula(_sgn_back),),
            out="same",
        ),
        P(
            "sqrt",
            vml.sqrt,
            "float",
            "SqrtBackward0",
            (formula(lambda F, g, result: g / (2 * F.conj(result))),),
            opmath=False,  # float16: its float root rounded to half, not MKL's
        ),
        P(
            "rsqrt",
            _rsqrt,
            "float",
            "RsqrtBackward0",
            (formula(lambda F, g, result: -0.5 * g * F.conj(result * result * result)),),
            opmath=False,  # float16 is rounded twice (see _rsqrt)
            simd={"float16": _rsqrt_simd},
        ),
        P(
            "exp",
            vml.exp,
            "float",
            "ExpBackward0",
            (formula(lambda F, g, result: g * F.conj(result)),),
        ),
        P(
            "exp2",
            _float32_by(glibc_exp2f, libm_function("exp2")),
            "float",
            "Exp2Backward0",
            (formula(lambda F, g, result: g * F.conj(result) * F.LN2),),
            simd=dict.fromkeys(("float32", "float64"), _sleef_lanes(sleef.exp2f, exp2d)),
            avx512=True,
        ),
        P(
            "expm1",
            _float32_by(sleef.expm1f, _expm1),  # (all elements, as torch's vml map: partial vectors too)
            "float",
            "Expm1Backward0",
            (formula(lambda F, g, result: g * (F.conj(result) + 1)),),
        ),
        P("log", vml.log, "float", "LogBackward0", (formula(lambda F, g, self: g / F.conj(self)),)),
        P(
            "log2",
            vml.log2,
            "float",
            "Log2Backward0",
            (formula(lambda F, g, self: g / (F.conj(self) * F.LN2)),),
        ),
        P(
            "log10",
            vml.log10,
            "float",
            "Log10Backward0",
            (formula(lambda F, g, self: g / (F.conj(self) * F.LN10)),),
        ),
        P(
            "log1p",
            _float32_by(sleef.log1pf, log1p_kernel),  # (likewise)
            "float",
            "Log1PBackward0",
            (formula(lambda F, g, self: g / F.conj(self + 1)),),
        ),
        P(
            "sin",
            vml.sin,
            "float",
            "SinBackward0",
            (formula(lambda F, g, self: g * F.conj(F.cos(self))),),
        ),
        P(
            "cos",
            vml.cos,
            "float",
            "CosBackward0",
            (formula(lambda F, g, self: g * -F.conj(F.sin(self))),),
        ),
        P(
            "tan",
            vml.tan,
            "float",
            "TanBackward0",
            (formula(lambda F, g, result: g * F.conj(1 + result * result)),),
        ),
        P(
            "asin",
            vml.asin,
            "float",
            "AsinBackward0",
            (formula(lambda F, g, self: g * F.conj(F.rsqrt(-self * self + 1))),),
        ),
        P(
            "acos",
            _acos,
            "float",
            "AcosBackward0",
            (formula(lambda F, g, self: g * -F.conj(F.rsqrt(-self * self + 1))),),
        ),
        P(
            "atan",
            vml.atan,
            "float",
            "AtanBackward0",
            (formula(lambda F, g, self: g / F.conj(self * self + 1)),),
        ),
        P(
            "sinh",
            _C_SINH,
            "float",
            "SinhBackward0",
            (formula(lambda F, g, self: g * F.conj(F.cosh(self))),),
            simd=dict.fromkeys(("float32", "float64"), _sleef_lanes(sleef.sinhf, sinhd, _C_SINH, np.sinh)),
            avx512=True,
        ),
        P(
            "cosh",
            _C_COSH,
            "float",
            "CoshBackward0",
            (formula(lambda F, g, self: g * F.conj(F.sinh(self))),),
            simd=dict.fromkeys(("float32", "float64"), _sleef_lanes(sleef.coshf, coshd, _C_COSH, np.cosh)),
            avx512=True,
        ),
        P(
            "tanh",
            vml.tanh,
            "float",
            "TanhBackward0",
            (formula(_tanh_derivative),),
        ),
        P(
            "sigmoid",
            _sigmoid,
            "float",
            "SigmoidBackward0",
            (formula(_sigmoid_back),),
            simd={"float32": _SIGMOID_SIMD, "float16": _SIGMOID_SIMD, "float64": _SIGMOID_DOUBLE},
            avx512=True,
        ),
        P(
            "relu",
            _relu,
            "same",
            "ReluBackward0",
            (formula(lambda F, g, result: F.zero_where(result <= 0, g)),),  # threshold_backward: NaN passes
            {
                "bool": (RuntimeError, "Boolean inputs not supported for relu"),
                "complex": (NotImplementedError, "clamp is not supported for complex types"),
            },
            out="none",
        ),
        P(
            "ceil",
            _identity_for_ints(np.ceil),
            "same",
            "CeilBackward0",
            (formula(_zeros),),
            {"bool": "ceil_vml_cpu", "complex": _not_for_complex("ceil")},
            out="same",
        ),
        P(
            "floor",
            _identity_for_ints(np.floor),
            "same",
            "FloorBackward0",
            (formula(_zeros),),
            {"bool": "floor_vml_cpu", "complex": _not_for_complex("floor")},
            out="same",
        ),
        P(
            "trunc",
            _identity_for_ints(np.trunc),
            "same",
            "TruncBackward0",
            (formula(_zeros),),
            {"bool": "trunc_vml_cpu", "complex": _not_for_complex("trunc")},
            out="same",
        ),
        P(
            "round",
            _identity_for_ints(_round),
            "same",
            "RoundBackward0",
            (formula(_zeros),),
            {"bool": "round_vml_cpu", "complex": "round_vml_cpu"},
            out="same",
        ),
        P(
            "frac",
            _frac,
            "same",
            "FracBackward0",
            (formula(lambda F, g: g),),
            {"bool": "frac_cpu", "int": "frac_cpu", "complex": "frac_cpu"},
            out="same",
        ),
        P(
            "reciprocal",
            _reciprocal,
            "float",
            "ReciprocalBackward0",
            (formula(lambda F, g, result: F.neg(g) * F.conj(result * result)),),
        ),
        P(
            "nan_to_num",
            _nan_to_num,  # in the dtype itself: infinities become its own max and min (half's 65504)
            "same",
            "NanToNumBackward0",
            (formula(lambda F, g, self: g * F.isfinite(self)),),
            opmath=False,
            kernel_name="nan_to_num",
        ),
        P(
            "acosh",
            libm_function("acosh"),  # (glibc's in both loops: torch has no vectorized acosh kernel)
            "float",
            "AcoshBackward0",
            (formula(_acosh_back),),
        ),
        P(
            "asinh",
            libm_function("asinh"),  # (likewise)
            "float",
            "AsinhBackward0",
            (formula(lambda F, g, self: g * F.conj(F.rsqrt(self * self + 1))),),
        ),
        P(
            "atanh",
            _C_ATANH,
            "float",
            "AtanhBackward0",
            (formula(lambda F, g, self: g * 1 / F.conj(1 - self * self)),),
            simd=dict.fromkeys(("float32", "float64"), _sleef_lanes(sleef.atanhf, atanhd, _C_ATANH, np.arctanh)),
            avx512=True,
        ),
        P(
            "erf",
            _special(_erf),
            "float",
            "ErfBackward0",
            (formula(lambda F, g, self: _TWO_OVER_SQRT_PI * F.exp(-(self * self)) * g),),
            {"complex": "erf_vml_cpu"},
            opmath=False,  # (half reaches the kernel as half: its float computation is its own)
        ),
        P(
            "erfc",
            _special(vml.erfc),
            "float",
            "ErfcBackward0",
            (formula(lambda F, g, self: -_TWO_OVER_SQRT_PI * F.exp(-(self * self)) * g),),
            {"complex": "erfc_vml_cpu"},
        ),
        P(
            "erfinv",
            _special(vml.erfinv),
            "float",
            "ErfinvBackward0",
            (formula(lambda F, g, self: 0.5 * math.sqrt(math.pi) * F.exp(F.erfinv(self) ** 2) * g),),
            {"complex": "erfinv_vml_cpu"},
        ),
        P(
            "lgamma",
            _special(_float32_by(sleef.lgammaf, _lgamma)),  # (vml's map: Sleef's lgamma in every element)
            "float",
            "LgammaBackward0",
            (formula(lambda F, g, self: g * F.digamma(self)),),
            {"complex": "lgamma_vml_cpu"},
        ),
        P(
            "digamma",
            _special(sf.digamma),
            "float",
            "DigammaBackward0",
            (formula(lambda F, g, self: g * F.polygamma(1, self)),),
            {"complex": "digamma"},
        ),
        P(
            "i0",
            _special(sf.i0),
            "float",
            "I0Backward0",
            (formula(lambda F, g, self: g * F.i1(self)),),
            {"complex": "i0_vml_cpu"},
        ),
        P("sinc", _sinc, "float", "SincBackward0", (formula(_sinc_back),)),
        P(
            "deg2rad",
            lambda a: a * a.dtype.type(_M_PI_180),
            "float",
            "Deg2RadBackward0",
            (formula(lambda F, g: g * _M_PI_180),),
            {"complex": (RuntimeError, "deg2rad is not supported for complex tensors.")},
        ),
        P(
            "rad2deg",
            lambda a: a * a.dtype.type(_M_180_PI),
            "float",
            "Rad2DegBackward0",
            (formula(lambda F, g: g * _M_180_PI),),
            {"complex": (RuntimeError, "rad2deg is not supported for complex tensors.")},
        ),
        P(
            "logit",
            _logit,
            "float",
            "LogitBackward0",
            (formula(_logit_back),),
            {"complex": "logit_cpu"},
            opmath=False,
            simd={"float32": _logit_simd},
            avx512=True,
        ),
        P(
            "signbit",
            _signbit,
            "bool",
            errors={"complex": (NotImplementedError, "signbit is not implemented for complex tensors.")},
            checks_first=True,
        ),
        P("angle", _angle, "real float", "AngleBackward0", (formula(_angle_back),), simd={"complex": _angle_simd}),
        P("isnan", np.isnan, "bool", out="none"),
        P(
            "isposinf",
            np.isposinf,
            "bool",
            errors={"complex": (RuntimeError, "isposinf does not support complex inputs.")},
        ),
        P(
            "isneginf",
            np.isneginf,
            "bool",
            errors={"complex": (RuntimeError, "isneginf does not support complex inputs.")},
        ),
        P("logical_not", np.logical_not, "bool", opmath=False),
        P(
            "bitwise_not",
            np.invert,
            "same",
            None,
            (),
            {"float": "bitwise_not_cpu", "complex": "bitwise_not_cpu"},
            out="same",
        ),
    ]
}
_ROUND_DECIMALS = Pointwise(
    "round",
    _round,
    "same",
    "RoundBackward1",
    (formula(_zeros),),
    {"bool": "round_cpu", "int": "round_cpu", "complex": "round_cpu"},
    out="same",
)
_NO_INPLACE = {"isnan", "isinf", "isfinite", "isposinf", "isneginf", "positive", "signbit", "angle"}
_OPERATORS = {"neg": ("__neg__",), "abs": ("__abs__",), "positive": ("__pos__",)}
_ALIASES = {
    "abs": ("absolute",),
    "neg": ("negative",),
    "trunc": ("fix",),
    "asin": ("arcsin",),
    "acos": ("arccos",),
    "atan": ("arctan",),
    "acosh": ("arccosh",),
    "asinh": ("arcsinh",),
    "atanh": ("arctanh",),
}


# (op, dtype category) -> torch's refusal of the in-place form
_INPLACE_REFUSED = {("abs", COMPLEX): "In-place abs is not supported for complex tensors."}


def _forms(spec):
    def method(self, *, out=None, **extra):
        return unary(spec, self, out, extra=extra or None)

    def inplace(self, **extra):
        refused = _INPLACE_REFUSED.get((spec.name, self._dtype.category))
        if refused:
            check_inplace(self, overlap=False)  # the autograd checks come first
            raise RuntimeError(refused)
        return unary(spec, self, inplace=True, extra=extra or None)

    method.__name__, inplace.__name__ = spec.name, spec.name + "_"
    return method, inplace


for _spec in UNARY.values():
    if _spec.name in ("round", "nan_to_num", "positive", "logit"):
        continue
    _method, _inplace = _forms(_spec)
    register(
        _spec.name,
        operators=_OPERATORS.get(_spec.name, ()),
        aliases=_ALIASES.get(_spec.name, ()),
        inplace=None if _spec.name in _NO_INPLACE else _inplace,
    )(_method)


# round(x, decimals=d), d given even as 0, is the decimals overload (RoundBackward1); at d = 0 its kernel is
# round's own, which refuses integers ("round_vml_cpu"), where round(x) without decimals passes them through
_ROUND_DECIMALS_ZERO = replace(
    _ROUND_DECIMALS, errors={"bool": "round_vml_cpu", "int": "round_vml_cpu", "complex": "round_vml_cpu"}, table={},
    plain_dtypes={}
)  # fmt: skip


def _round_spec(decimals):
    if decimals is None:
        return UNARY["round"], None
    return (_ROUND_DECIMALS_ZERO if decimals == 0 else _ROUND_DECIMALS), {"decimals": decimals}


def _round_method(self, *, decimals=None, out=None):
    spec, extra = _round_spec(decimals)
    return unary(spec, self, out, extra=extra)


def _round_inplace(self, *, decimals=None):
    spec, extra = _round_spec(decimals)
    return unary(spec, self, inplace=True, extra=extra)


register("round", inplace=_round_inplace)(_round_method)


def _nan_to_num_method(self, nan=0.0, posinf=None, neginf=None, *, out=None):
    if out is not None and out._dtype is not self._dtype:
        raise RuntimeError(
            f"nan_to_num: dtype of out: {out._dtype._scalar_name} should be same as input: {self._dtype._scalar_name}"
        )
    return unary(UNARY["nan_to_num"], self, out, extra={"nan": nan, "posinf": posinf, "neginf": neginf})


def _nan_to_num_inplace(self, nan=0.0, posinf=None, neginf=None):
    if self._dtype.category <= INT:  # nothing to replace: torch copies self onto itself (no overlap check)
        from .._dispatch import bump_version

        check_inplace(self, overlap=False)
        bump_version(self)
        return self
    return unary(UNARY["nan_to_num"], self, inplace=True, extra={"nan": nan, "posinf": posinf, "neginf": neginf})


register("nan_to_num", inplace=_nan_to_num_inplace)(_nan_to_num_method)


def _logit_method(self, eps=None, *, out=None):
    return unary(UNARY["logit"], self, out, extra={"eps": eps})


def _logit_inplace(self, eps=None):
    return unary(UNARY["logit"], self, inplace=True, extra={"eps": eps})


register("logit", inplace=_logit_inplace)(_logit_method)


def _square(self, *, out=None):
    from .binary import pow_scalar

    return pow_scalar(self, 2, out=out)


def _square_inplace(self):
    from .binary import pow_scalar

    return pow_scalar(self, 2, inplace=True)


register("square", inplace=_square_inplace)(_square)


def positive(self):
    if self._dtype is _dtypes.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self  # torch returns the input itself


register("positive", operators=("__pos__",))(positive)


def _special_check(self, name, combine):
    """isinf/isfinite as torch composes them: integers give zeros/ones laid out like the input; complex
    values combine the parts in place (which bumps the result's version counter)."""
    from .._creation import ones_like, zeros_like
    from .._dispatch import bump_version

    if self._dtype.category <= INT:
        return (zeros_like if name == "isinf" else ones_like)(self, dtype=_dtypes.bool_)
    if self._dtype.category == _dtypes.COMPLEX:
        real, imag = unary(_CHECKS[name], self.real), unary(_CHECKS[name], self.imag)
        real._a = combine(real._a, imag._a)
        if name == "isfinite":  # torch combines with an in-place `&=`; isinf is a single kernel there
            bump_version(real)
        return real
    return unary(_CHECKS[name], self)


_CHECKS = {
    "isinf": P("isinf", np.isinf, "bool", out="none"),
    "isfinite": P("isfinite", np.isfinite, "bool", out="none"),
}


def isinf(self):
    return _special_check(self, "isinf", np.logical_or)


def isfinite(self):
    return _special_check(self, "isfinite", np.logical_and)


register("isinf")(isinf)
register("isfinite")(isfinite)


def _invert(self):
    if self._dtype.category > INT:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return unary(UNARY["bitwise_not"], self)


Tensor.__invert__ = _invert


# -- the gamma family's ops with an order argument ---------------------------------------------------------
def _polygamma_kernel(a, n):
    return sf.polygamma(n, a)


_POLYGAMMA = Pointwise(
    "polygamma",
    _special(_polygamma_kernel),
    "float",
    "PolygammaBackward0",
    (formula(lambda F, g, self, n: g * F.polygamma(n + 1, self)),),
    {"complex": "polygamma"},
    opmath=False,  # (half's zeta is rounded to half: the kernel sees the half input)
)
# polygamma(0, x) and polygamma(1, x) dispatch to digamma's and trigamma's kernels, which name themselves
_POLYGAMMA_BY_ORDER = {
    n: replace(_POLYGAMMA, errors={"complex": kernel}, table={}, plain_dtypes={})
    for n, kernel in ((0, "digamma"), (1, "trigamma"))
}


def _check_polygamma(n) -> None:
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")


def _polygamma_method(self, n):
    _check_polygamma(n)
    return unary(_POLYGAMMA_BY_ORDER.get(n, _POLYGAMMA), self, extra={"n": n})


def _polygamma_inplace(self, n):
    check_inplace(self, overlap=False)  # autograd's checks come before the op's own
    _check_polygamma(n)
    return unary(_POLYGAMMA_BY_ORDER.get(n, _POLYGAMMA), self, inplace=True, extra={"n": n})


def polygamma(n, input, *, out=None):
    if not isinstance(input, Tensor):
        raise TypeError(f"polygamma(): argument 'input' (position 2) must be Tensor, not {type(input).__name__}")
    if out is not None:  # autograd's out= check comes before the op's own
        check_out_grad("polygamma", out, (input,))
    _check_polygamma(n)
    return unary(_POLYGAMMA_BY_ORDER.get(n, _POLYGAMMA), input, out, extra={"n": n})


register("polygamma", function=False, inplace=_polygamma_inplace)(_polygamma_method)


def _mvlgamma_kernel(a, p):
    offsets = np.arange(-p / 2.0 + 0.5, 0.5, 0.5).astype(a.dtype)
    terms = sf.lgamma(a[..., None] + offsets).astype(a.dtype)
    return np.add.reduce(terms, axis=-1) + a.dtype.type(p * (p - 1) * math.log(math.pi) * 0.25)


def _mvlgamma_back(F, g, self, p):
    offsets = np.arange(-p / 2.0 + 0.5, 0.5, 0.5)
    terms = [F.digamma(self + float(o)) for o in offsets]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return g * total


_MVLGAMMA = Pointwise(
    "mvlgamma",
    _mvlgamma_kernel,
    "float",
    "MvlgammaBackward0",
    (formula(_mvlgamma_back),),
    {"complex": "arange_cpu"},  # torch's arange of the offsets in the input's dtype comes first
    opmath=False,
)


def _check_mvlgamma(self, p) -> None:
    """torch 2.13's mvlgamma_check (it no longer checks the domain: lgamma's poles give inf)."""
    if self._dtype is _dtypes.bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")


def _mvlgamma_method(self, p, *, out=None):
    _check_mvlgamma(self, p)
    return unary(_MVLGAMMA, self, out, extra={"p": p})


def _mvlgamma_inplace(self, p):
    _check_mvlgamma(self, p)
    return unary(_MVLGAMMA, self, inplace=True, extra={"p": p})


register("mvlgamma", inplace=_mvlgamma_inplace)(_mvlgamma_method)

# torch.special.i1: the derivative of i0
I1 = Pointwise("i1", _special(sf.i1), "float", "SpecialI1Backward0", (), {"complex": "i1_cpu"})

FUNCTIONS = {"polygamma": polygamma}
