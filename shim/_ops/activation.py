"""The pointwise activations of torch.nn.functional (leaky_relu, elu/selu/celu, gelu, silu, mish, softplus,
hardtanh, hardsigmoid, hardswish, logsigmoid, threshold, hardshrink, softshrink), each once: its kernel, its
ATen node and derivative, and the dtype errors of its CPU kernel.  They run through the same `unary` dispatch
as torch.exp (promotion, half computed in float, in-place checks, layouts); `nn.functional` calls them with
their parameters.

The values are numpy's exp/tanh/erf where torch's vectorised loops use Sleef: last-bit differences are
possible and the conformance cases name their tolerance."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .._autograd.formulas import NP
from .._cpu import onednn, sleef
from .._cpu.fma import fma32, fma64, fused
from .._cpu.libm import glibc_expf, libm_function
from .._cpu.simd import simd_mask, vector_bytes
from .._cpu.sleef import expf
from .._cpu.sleef_double import erfd, expd, expm1d, log1pd, tanhd
from .._layout import result_layout
from .._views import contiguous_strides
from . import special_functions as sf
from .elementwise import Pointwise, unary, vector_formula
from .special import _clamp_kernel
from .unary import C_EXP, double_exp_lanes, exp_simd, in_backward_layout, vector_erf

__all__ = ["ACTIVATIONS", "activation"]

_SQRT1_2 = math.sqrt(0.5)
_KAPPA = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _fused(back, *params: str, reads: str = "self") -> tuple:
    """A derivative formula (F, g, x, *params) computed as the ATen backward kernel computes it: half in
    float, rounded once.  x is the input, or the result (reads="result") for the in-place forms."""

    def derivative(F, g, x, *values):
        return F.fused(lambda g, x: back(F, g, x, *values), g, x)

    return (derivative, (reads,) + params)


def _with_loop_exp(back, *params: str) -> tuple:
    """A derivative formula (F, g, x, *params, exp) whose ATen kernel calls exp: for float, double and half
    (computed in float, rounded once) with exp as each element's loop computes it, Sleef's on the vector
    loop's lanes and the C library's elsewhere (where the result's layout puts them)."""

    def derivative(F, g, x, *values):
        if not (isinstance(x, np.ndarray) and x.dtype in _OPMATH):
            return F.fused(lambda g, x: back(F, g, x, *values, exp=F.exp), g, x)
        g_, x_, lanes = _in_opmath(g, x)
        return in_backward_layout(back(F, g_, x_, *values, exp=_loop_exp(lanes)).astype(x.dtype), g, x)

    return (derivative, ("self",) + params)


# the type a backward kernel computes in (opmath_type): float for half
_OPMATH = {np.dtype(np.float16): np.float32, np.dtype(np.float32): np.float32, np.dtype(np.float64): np.float64}


def _in_opmath(g: np.ndarray, x: np.ndarray) -> tuple:
    """A float, double or half backward kernel's operands in its compute type, x broadcast to the result, and
    the lanes its vector loop computes (_backward_lanes)."""
    shape, lanes = _backward_lanes(g, x)
    kind = _OPMATH[x.dtype]
    return np.asarray(g, kind), np.broadcast_to(np.asarray(x, kind), shape), lanes


def _by_loop(derivative, x: np.ndarray, lanes: np.ndarray | None) -> np.ndarray:
    """derivative(x, vector) of each element as its loop computes it: the scalar loop's everywhere, the
    vector loop's on its lanes."""
    inner = derivative(x, False)
    if lanes is not None:
        inner[lanes] = derivative(x[lanes], True)
    return inner


def _loop_exp(lanes: np.ndarray | None):
    """exp as each element's loop computes it: Sleef's on the vector loop's lanes, glibc's elsewhere."""

    def exp(v: np.ndarray) -> np.ndarray:
        vector, scalar = (expf, glibc_expf) if v.dtype == np.float32 else (expd, C_EXP)
        if lanes is None:
            return scalar(v)
        if lanes.all():
            return vector(v)
        e = scalar(v)
        e[lanes] = vector(v[lanes])
        return e

    return exp


def _typed(x, v):
    """A Python parameter as the kernel's scalar of x's dtype (x an array; else left a Python number)."""
    return x.dtype.type(v) if isinstance(x, np.ndarray) else v


def _elu_back_from_result(F, g, result, alpha, scale, input_scale):
    """elu_backward with is_result: the input's exp recovered from the result, exp = result / negcoef + 1."""
    negcoef = _typed(result, alpha) * _typed(result, scale)
    return F.where(result <= 0, g * input_scale * (result + negcoef), g * scale)


def _no_ints(kernel: str) -> dict:
    return {"int": kernel, "bool": kernel, "complex": kernel}


_C_EXPM1, _C_LOG1P, _C_TANH, _C_ERF = (libm_function(name) for name in ("expm1", "log1p", "tanh", "erf"))
# the vector loops' tanh, log1p and exp (Vectorized<float>'s and Vectorized<double>'s: Sleef's)
_SLEEF_TANH_LOG1P_EXP = {np.float32: (sleef.tanhf, sleef.log1pf, expf), np.float64: (tanhd, log1pd, expd)}


_ONE_SIXTH = float(np.float32(1) / np.float32(6))  # (hardsigmoid_backward's 1.0f / 6.0f, widened for double)


def _c(a, v):
    """A Python parameter as the kernel's scalar of a's dtype."""
    return a.dtype.type(v)


def _elu_formula(a, alpha, scale, input_scale, expm1=np.expm1):
    negative = expm1(a * _c(a, input_scale)) * _c(a, alpha * scale)
    return np.where(a <= 0, negative, a * _c(a, scale))


def _elu(a, alpha, scale, input_scale):
    """The scalar loop: std::expm1, glibc's expm1f or expm1 (half: numpy's, in float)."""
    expm1 = _C_EXPM1 if a.dtype in (np.float32, np.float64) else np.expm1
    return _elu_formula(a, alpha, scale, input_scale, expm1)


@vector_formula
def _elu_simd(r, where, a, alpha, scale, input_scale):
    """elu's vector loop: Sleef's expm1 (float's or double's)."""
    x = a[where]
    expm1 = sleef.expm1f if x.dtype == np.float32 else expm1d
    value = x * _c(x, scale)
    negative = ~(x > 0)  # (a NaN too: the blend takes the exponential's lane where x > 0 fails)
    if negative.any():  # (each lane's exponential is its own: computed where the blend keeps it only)
        y = x[negative]
        value[negative] = expm1(y * _c(y, input_scale)) * _c(y, alpha * scale)
    r[where] = value


# (long results: numpy's expm1 until the vector lanes are known, glibc's only outside them)
_elu_simd.approximate, _elu_simd.scalar_loop = _elu_formula, _elu


def _elu_back(F, g, self, alpha, scale, input_scale, exp):
    """elu_backward: dy input_scale negcoef exp(x input_scale) multiplied left to right where x <= 0, dy scale
    elsewhere (negcoef = alpha scale in the dtype)."""
    negcoef = _typed(self, alpha) * _typed(self, scale)
    return F.where(self <= 0, g * input_scale * negcoef * exp(self * input_scale), g * scale)


def _gelu_tanh32(a, tanh):
    """GELU's tanh form for float: 0.5 x (1 + tanh(beta (x + kappa x**3))), the inner multiply-add fused (GCC
    contracts it), with the loop's tanh."""
    return _c(a, 0.5) * a * (1 + tanh(_c(a, _KAPPA) * fma32(_c(a, 0.044715), a * a * a, a).astype(a.dtype)))


def _onednn(a: np.ndarray, approximate: str) -> bool:
    """Whether torch hands this GELU to oneDNN (use_mkldnn): the erf form of a contiguous float input of more
    than one element."""
    return approximate == "none" and a.dtype == np.float32 and a.size > 1 and a.flags.c_contiguous


def _gelu(a, approximate):
    """The scalar loop: oneDNN's kernel where torch calls it; elsewhere torch's own kernel, half computed in
    float and rounded once (its reduced-float kernel)."""
    if a.dtype == np.float16:
        return _gelu_scalar_loop(a.astype(np.float32), approximate).astype(np.float16)
    if _onednn(a, approximate):
        return onednn.gelu_erf(a)
    return _gelu_scalar_loop(a, approximate)


def _gelu_scalar_loop(a, approximate):
    """torch's own scalar loop.  tanh: _gelu_tanh32 with glibc's tanhf for float, for double the same with
    glibc's tanh and the inner multiply-add fused (bit for bit on 100,000 strided doubles); erf: x 0.5 (1 +
    erf(x / sqrt 2)), glibc's erff for float."""
    if approximate == "tanh":
        return (_gelu_tanh32 if a.dtype == np.float32 else _gelu_tanh64)(a, _C_TANH)
    erf = _C_ERF if a.dtype == np.float32 else sf.erf
    return a * _c(a, 0.5) * (1 + np.asarray(erf(a * _c(a, _SQRT1_2))).astype(a.dtype, copy=False))


def _gelu_tanh64(a, tanh):
    """GELU's tanh form for double, the inner multiply-add fused, with the loop's tanh."""
    return _c(a, 0.5) * a * (1 + tanh(_c(a, _KAPPA) * fma64(_c(a, 0.044715), a * a * a, a)))


@vector_formula
def _gelu_simd(r, where, a, approximate):
    """gelu's vector loop for float and half (in float, rounded once): tanh with Sleef's tanhf; erf with
    Vectorized<float>::erf where torch's own kernel runs (not where oneDNN takes the input).  For double:
    Sleef's tanh, or Sleef's erf."""
    if a.dtype == np.float64:
        x = a[where]
        r[where] = _gelu_tanh64(x, tanhd) if approximate == "tanh" else x * 0.5 * (1 + erfd(x * _SQRT1_2))
        return
    x = np.asarray(a[where], np.float32)
    if approximate == "tanh":
        r[where] = _gelu_tanh32(x, sleef.tanhf)
    elif not _onednn(a, approximate):
        r[where] = x * _c(x, 0.5) * (1 + vector_erf(x * _c(x, _SQRT1_2)))


def _gelu_numpy(a, approximate):
    """numpy's stand-in for the tanh form's results until the vector lanes are known."""
    return _gelu_tanh32(np.asarray(a, np.float32), np.tanh)


# (the tanh form only: the erf form's scalar kernel depends on the input's layout, which a gather loses)
_gelu_simd.approximate, _gelu_simd.scalar_loop = _gelu_numpy, _gelu
_gelu_simd.defers = lambda approximate: approximate == "tanh"


def _gelu_derivative(F, g, self, approximate):
    """GeluBackward0: oneDNN's backward where torch calls it; torch's own kernel elsewhere, for float, double
    and half element by element (_gelu_own_derivative), for a recorded backward as the formula below."""
    if F is NP and _onednn(self, approximate):
        return onednn.gelu_erf_backward(self, g)
    if F is NP and isinstance(self, np.ndarray) and self.dtype in _OPMATH:
        return _gelu_own_derivative(g, self, approximate)
    return F.fused(lambda g, x: _gelu_back(F, g, x, approximate), g, self)


def _gelu_back(F, g, self, approximate):
    if approximate == "tanh":
        x_sq = self * self
        inner = _KAPPA * (self + 0.044715 * x_sq * self)
        t = F.tanh(inner)
        left_derivative = 0.5 * (1 + t)
        right_derivative = 0.5 * self * (1 - t * t) * _KAPPA * (1 + 3 * 0.044715 * x_sq)
        return g * (left_derivative + right_derivative)
    cdf = 0.5 * (1 + F.erf(self * _SQRT1_2))
    pdf = _INV_SQRT_2PI * F.exp(-0.5 * self * self)
    return g * (cdf + self * pdf)


_GELU_BETA = 1.12837916709551257390 * 0.70710678118654752440 * 0.5  # M_2_SQRTPI M_SQRT1_2 / 2
# the erf form's erf and exp, by loop: Vectorized<float>'s erf and Sleef's expf (double: Sleef's erf and exp)
# in the vector loop, the C library's in the scalar loop
_GELU_ERF_EXP = {
    (np.float32, True): (vector_erf, expf),
    (np.float32, False): (_C_ERF, glibc_expf),
    (np.float64, True): (erfd, expd),
    (np.float64, False): (_C_ERF, C_EXP),
}


def _gelu_erf_derivative(x: np.ndarray, vector: bool, contracted: bool) -> np.ndarray:
    """cdf + x pdf, cdf = (1 + erf(x / sqrt 2)) / 2 and pdf = beta exp(-x**2 / 2), in x's type (float or
    double), erf and exp as each loop computes them (_GELU_ERF_EXP); the last multiply-add `contracted` (GCC
    fuses it in the float kernel's vector loop, not in the half kernel's)."""
    kind = x.dtype.type
    erf, exp = _GELU_ERF_EXP[kind, vector]
    cdf = kind(0.5) * (kind(1) + erf(x * kind(_SQRT1_2)))
    pdf = kind(_GELU_BETA) * exp(x * x * kind(-0.5))
    return fused(x, pdf, cdf) if contracted else cdf + x * pdf


def _gelu_tanh_derivative(x: np.ndarray, vector: bool) -> np.ndarray:
    """(1 + t) / 2 + x/2 (1 - t**2) kappa (1 + 3 c x**2), t = tanh(kappa (x + c x**3)), in x's type (float or
    double): Sleef's tanh in the vector loop, glibc's in the scalar loop; in both, the three inner
    multiply-adds fused, the last sum not."""
    kind = x.dtype.type
    one, half, c = kind(1), kind(0.5), kind(0.044715)
    x_sq = x * x
    tanh = _SLEEF_TANH_LOG1P_EXP[kind][0] if vector else _C_TANH
    t = tanh(kind(_KAPPA) * fused(c, x_sq * x, x))
    tanh_derivative = fused(-t, t, one)
    inner_derivative = kind(_KAPPA) * fused(kind(3) * c, x_sq, one)
    return half * (one + t) + half * x * tanh_derivative * inner_derivative


def _backward_lanes(g: np.ndarray, x: np.ndarray) -> tuple[tuple, np.ndarray | None]:
    """(shape, lanes) of an activation's backward kernel over (grad, self): where torch's vector loop computes
    the element (None: nowhere), for its output laid out as TensorIterator lays it out."""
    shape = np.broadcast_shapes(g.shape, x.shape)
    strides = [tuple(s // a.itemsize for s in np.broadcast_to(a, shape).strides) for a in (g, x)]
    out_strides = result_layout(shape, [g, x]) or contiguous_strides(shape)
    return shape, simd_mask(shape, out_strides, strides, x.itemsize, vector_bytes())


def _gelu_own_derivative(g: np.ndarray, x: np.ndarray, approximate: str) -> np.ndarray:
    """GeluBackwardKernel for float, double and half (torch's own kernel: the tanh form, or an input oneDNN
    does not take): dy times the derivative, each element by the loop that computes it in torch; half in float,
    rounded once (bit for bit against torch 2.13 on contiguous, transposed, strided, broadcast and threaded
    layouts)."""
    dtype = x.dtype
    g_, x, lanes = _in_opmath(g, x)
    if approximate == "tanh":
        derivative = _gelu_tanh_derivative
    else:  # (the last multiply-add fused in the float and double kernels' vector loops, not half's)
        derivative = lambda v, vector: _gelu_erf_derivative(v, vector, vector and dtype != np.float16)  # noqa: E731
    return (g_ * _by_loop(derivative, x, lanes)).astype(dtype, copy=False)


def _softplus_formula(a, beta, threshold, log1p=np.log1p, exp=np.exp):
    scaled = a * _c(a, beta)
    return np.where(scaled > threshold, a, log1p(exp(scaled)) / _c(a, beta))


def _softplus(a, beta, threshold):
    """The scalar loop: std::log1p(std::exp(x beta)) / beta, the C library's (half: numpy's, in float)."""
    if a.dtype in (np.float32, np.float64):
        return _softplus_formula(a, beta, threshold, _C_LOG1P, glibc_expf if a.dtype == np.float32 else C_EXP)
    return _softplus_formula(a, beta, threshold)


@vector_formula
def _softplus_simd(r, where, a, beta, threshold):
    """softplus's vector loop: Sleef's exp and log1p (float's or double's)."""
    x = a[where]
    scaled = x * _c(x, beta)
    log1p, exp = (sleef.log1pf, sleef.expf) if x.dtype == np.float32 else (log1pd, expd)
    r[where] = np.where(scaled > threshold, x, log1p(exp(scaled)) / _c(x, beta))


_softplus_simd.approximate, _softplus_simd.scalar_loop = _softplus_formula, _softplus


def _softplus_back(F, g, self, beta, threshold, exp):
    z = exp(self * beta)
    return F.where(self * beta > threshold, g, g * z / (z + 1))


def _log_sigmoid(a):
    """min(x, 0) - log1p(exp(-|x|)); for float and double Sleef's exp and log1p in every element (torch's
    kernel is vectorised over a buffer, the tail a partial vector)."""
    if a.dtype == np.float32:
        return np.minimum(a, 0) - sleef.log1pf(sleef.expf(-np.abs(a)))
    if a.dtype == np.float64:
        return np.minimum(a, 0) - log1pd(expd(-np.abs(a)))
    return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))


def _log_sigmoid_back(F, g, self):
    negative, one = self < 0, _typed(self, 1)
    return _log_sigmoid_from_buffer(F, g, negative, F.exp(-F.abs(self)), one)


def _log_sigmoid_from_buffer(F, g, negative, z, one):
    return g * (F.where(negative, one, 0 * one) - F.where(negative, one, -one) * (z / (one + z)))


def _log_sigmoid_derivative(F, g, self):
    """log_sigmoid_backward from the forward's buffer exp(-|x|): Sleef's exp in every element for float,
    double and half (the buffer rounded to half), the formula in float for half (bit for bit on random
    draws)."""
    if not (isinstance(self, np.ndarray) and self.dtype in _OPMATH):
        return F.fused(lambda g, x: _log_sigmoid_back(F, g, x), g, self)
    kind = _OPMATH[self.dtype]
    x = np.asarray(self, kind)
    exp = sleef.expf if kind == np.float32 else expd
    buffer = exp(-np.abs(x)).astype(self.dtype).astype(kind)
    one = kind(1)
    value = _log_sigmoid_from_buffer(F, np.asarray(g, kind), x < 0, buffer, one).astype(self.dtype)
    return in_backward_layout(value, g, self)


def _mish_formula(a, tanh=np.tanh, log1p=np.log1p, exp=np.exp):
    return a * tanh(log1p(exp(a)))


def _mish(a):
    """The scalar loop: x tanh(log1p(exp(x))) with the C library's tanh, log1p and exp (half: numpy's)."""
    if a.dtype in (np.float32, np.float64):
        return _mish_formula(a, _C_TANH, _C_LOG1P, glibc_expf if a.dtype == np.float32 else C_EXP)
    return _mish_formula(a)


@vector_formula
def _mish_simd(r, where, a):
    """mish's vector loop: Sleef's exp, log1p and tanh (float's, also for half, computed in float; double's)."""
    x = a[where]
    r[where] = _mish_formula(x, *_SLEEF_TANH_LOG1P_EXP[x.dtype.type])


_mish_simd.approximate, _mish_simd.scalar_loop = _mish_formula, _mish


def _mish_back(F, g, self):
    sigmoid = 1 / (1 + F.exp(-self))
    t = F.tanh(F.log1p(F.exp(self)))
    return g * (t + self * sigmoid * (1 - t * t))


def _mish_derivative(F, g, self):
    """mish_backward: dy (t + x s (1 - t t)), s = 1 / (1 + exp(-x)), t = tanh(log1p(exp(x))), both multiply-adds
    fused (GCC contracts them in both loops); exp, log1p and tanh Sleef's on the vector loop's lanes and the C
    library's elsewhere; half in float (bit for bit on random draws)."""
    if not (isinstance(self, np.ndarray) and self.dtype in _OPMATH):
        return F.fused(lambda g, x: _mish_back(F, g, x), g, self)
    g_, x, lanes = _in_opmath(g, self)
    scalar_exp = glibc_expf if x.dtype == np.float32 else C_EXP

    def derivative(v, vector):
        tanh, log1p, exp = _SLEEF_TANH_LOG1P_EXP[v.dtype.type] if vector else (_C_TANH, _C_LOG1P, scalar_exp)
        one = v.dtype.type(1)
        s, t = one / (one + exp(-v)), tanh(log1p(exp(v)))
        return fused(v * s, fused(-t, t, one), t)

    return in_backward_layout((g_ * _by_loop(derivative, x, lanes)).astype(self.dtype), g, self)


def _silu(a):
    """x / (1 + exp(-x)) with the C library's exp, as torch's scalar loop computes it, in float for half (its
    vector loop: exp_simd, double_exp_lanes)."""
    if a.dtype == np.float32:
        return a / (np.float32(1) + glibc_expf(-a))
    if a.dtype == np.float64:
        return a / (1 + C_EXP(-a))
    return a / (1 + np.exp(-a))


def _silu_back(F, g, self):
    sigmoid = 1 / (1 + F.exp(-self))
    return g * sigmoid * (1 + self * (1 - sigmoid))


def _silu_derivative(F, g, self):
    """silu_backward: dy s (1 + x (1 - s)), s = 1 / (1 + exp(-x)), the last multiply-add fused; in float,
    double and half (computed in float), exp is Sleef's in the vector loop and the C library's in the scalar
    loop (bit for bit on random draws)."""
    if not (isinstance(self, np.ndarray) and self.dtype in _OPMATH):
        return F.fused(lambda g, x: _silu_back(F, g, x), g, self)
    g_, x, lanes = _in_opmath(g, self)
    e = _loop_exp(lanes)(-x)
    one = x.dtype.type(1)
    sigmoid = one / (one + e)
    return in_backward_layout((g_ * sigmoid * fused(x, one - sigmoid, one)).astype(self.dtype), g, self)


def _hardtanh(a, min_val, max_val):
    return _clamp_kernel(a, _c(a, min_val), _c(a, max_val))  # (x == min_val keeps x's zero sign, NaN passes)


def _zero_is_positive(r, where, a, lambd=None):
    """softshrink's vectorised loop blends in a +0 vector where the scalar loop answers a * 0 (-0 for -x)."""
    np.copyto(r, 0, where=where & (r == 0))


def _hardsigmoid(a):
    return np.minimum(np.maximum(a + 3, 0), 6) / _c(a, 6)


def _hardswish(a):
    return a * np.minimum(np.maximum(a + 3, 0), 6) / _c(a, 6)


def _hardswish_back(F, g, self):
    return F.where(self <= -3, 0.0, F.where(self < 3, g * (self / 3 + 0.5), g))


P = Pointwise
ACTIVATIONS = {
    spec.name: spec
    for spec in (
        P(
            "leaky_relu",
            lambda a, negative_slope: np.where(a > 0, a, a * _c(a, negative_slope)),
            "same",
            "LeakyReluBackward0",
            (_fused(lambda F, g, self, negative_slope: F.where(self > 0, g, g * negative_slope), "negative_slope"),),
            _no_ints("leaky_relu_cpu"),
        ),
        P(
            "elu",
            _elu,
            "same",
            "EluBackward0",
            (_with_loop_exp(_elu_back, "alpha", "scale", "input_scale"),),
            _no_ints("elu_cpu"),
            simd=dict.fromkeys(("float32", "float64"), _elu_simd),
            avx512=True,
        ),
        P(
            "celu",
            _elu,
            "same",
            "CeluBackward0",
            (_with_loop_exp(_elu_back, "alpha", "scale", "input_scale"),),
            _no_ints("elu_cpu"),
            simd=dict.fromkeys(("float32", "float64"), _elu_simd),
            avx512=True,
        ),
        P(
            "gelu",
            _gelu,
            "same",
            "GeluBackward0",
            ((_gelu_derivative, ("self", "approximate")),),
            _no_ints("GeluKernelImpl"),
            opmath=False,  # (half reaches the kernels as half: theirs is a float computation of their own)
            simd=dict.fromkeys(("float32", "float16", "float64"), _gelu_simd),
            avx512=True,
        ),
        P(
            "silu",
            _silu,
            "same",
            "SiluBackward0",
            ((_silu_derivative, ("self",)),),
            {"int": "silu_cpu", "bool": "silu_cpu"},
            simd={
                **dict.fromkeys(("float32", "float16"), exp_simd(lambda x, e: x / (1 + e))),
                "float64": double_exp_lanes(lambda x, e: x / (1 + e)),
            },
            avx512=True,
        ),
        P(
            "mish",
            _mish,
            "same",
            "MishBackward0",
            ((_mish_derivative, ("self",)),),
            _no_ints("mish_cpu"),
            simd=dict.fromkeys(("float32", "float16", "float64"), _mish_simd),  # (half: in float)
            avx512=True,
        ),
        P(
            "softplus",
            _softplus,
            "same",
            "SoftplusBackward0",
            (_with_loop_exp(_softplus_back, "beta", "threshold"),),
            _no_ints("softplus_cpu"),
            simd=dict.fromkeys(("float32", "float64"), _softplus_simd),
            avx512=True,
        ),
        P(
            "hardtanh",
            _hardtanh,
            "same",
            "HardtanhBackward0",
            (
                _fused(
                    lambda F, g, self, min_val, max_val: F.where((self <= min_val) | (self >= max_val), 0.0, g),
                    "min_val",
                    "max_val",
                ),
            ),
            {
                "bool": (RuntimeError, "Bool inputs not supported for hardtanh"),
                "complex": (NotImplementedError, "clamp is not supported for complex types"),
            },
        ),
        P(
            "hardsigmoid",
            _hardsigmoid,
            "same",
            "HardsigmoidBackward0",
            (_fused(lambda F, g, self: F.where((self > -3) & (self < 3), g * _ONE_SIXTH, 0.0)),),
            _no_ints("hardsigmoid_cpu"),
        ),
        P(
            "hardswish",
            _hardswish,
            "same",
            "HardswishBackward0",
            (_fused(_hardswish_back),),
            _no_ints("hardswish_cpu"),
        ),
        P(
            "log_sigmoid",
            _log_sigmoid,
            "same",
            "LogSigmoidBackward0",
            ((_log_sigmoid_derivative, ("self",)),),
            _no_ints("log_sigmoid_cpu"),
        ),
        P(
            "threshold",
            lambda a, threshold, value: np.where(a <= threshold, _c(a, value), a),
            "same",
            "ThresholdBackward0",
            (_fused(lambda F, g, self, threshold, value: F.where(self <= threshold, 0.0, g), "threshold", "value"),),
            {"bool": "threshold_cpu", "complex": "threshold_cpu"},
        ),
        P(
            "hardshrink",
            lambda a, lambd: np.where((a >= -lambd) & (a <= lambd), _c(a, 0), a),
            "same",
            "HardshrinkBackward0",
            (_fused(lambda F, g, self, lambd: F.where((self >= -lambd) & (self <= lambd), 0.0, g), "lambd"),),
            _no_ints("hardshrink_cpu"),
        ),
        P(
            "softshrink",
            lambda a, lambd: np.where(a > lambd, a - _c(a, lambd), np.where(a < -lambd, a + _c(a, lambd), a * 0)),
            "same",
            "SoftshrinkBackward0",
            (_fused(lambda F, g, self, lambd: F.where((self >= -lambd) & (self <= lambd), 0.0, g), "lambd"),),
            _no_ints("softshrink_check"),
            simd={"float": _zero_is_positive},
        ),
    )
}


# the in-place forms torch records under another node, whose derivative reads the result
_FROM_RESULT = {
    "leaky_relu": lambda F, g, result, negative_slope: F.where(result > 0, g, g * negative_slope),
    "elu": _elu_back_from_result,
    "celu": _elu_back_from_result,
}
_INPLACE = {
    name: replace(
        ACTIVATIONS[name],
        node=ACTIVATIONS[name].node.replace("Backward0", "Backward1"),
        grads=(_fused(back, *ACTIVATIONS[name].grads[0][1][1:], reads="result"),),
    )
    for name, back in _FROM_RESULT.items()
}
_INPLACE["threshold"] = replace(ACTIVATIONS["threshold"], node="ThresholdBackward1")  # (reads the input)


def activation(name: str, x, inplace: bool = False, **params):
    """Run activation `name` on x with its parameters (in place where asked)."""
    spec = _INPLACE.get(name, ACTIVATIONS[name]) if inplace else ACTIVATIONS[name]
    return unary(spec, x, inplace=inplace, extra=params or None)
