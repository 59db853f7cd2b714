"""The C library's log, sin and cos (and a few more) on arrays, as torch's scalar CPU code calls them.

torch's float64 Box-Muller calls glibc's `log` and `sincos`.  Python's `math` calls the same glibc, so it
is exact but element by element; numpy's SIMD loops are fast but may differ in the last bit (numpy 2.4's
AVX512 `log` does, for about 0.2 % of inputs).  A probe at first use decides, per function, whether
numpy agrees with the C library on a fixed sample; if not, the slow exact path is used.
"""

from __future__ import annotations

import ctypes
import functools
import math

import numpy as np

from . import parallel
from .quiet import quiet_numpy

__all__ = [
    "glibc_log",
    "glibc_log1p",
    "glibc_exp",
    "glibc_expf",
    "glibc_exp2f",
    "glibc_atan2",
    "glibc_tan",
    "glibc_sin",
    "glibc_cos",
    "glibc_sinf",
    "glibc_cosf",
    "glibc_hypot",
    "libm_scalar",
    "glibc_pow",
    "glibc_powf",
    "glibc_cpow",
    "libm_function",
    "normal_fill_16_default",
]

_PROBE_SIZE = 1 << 14


@functools.cache
def _numpy_matches(name: str) -> bool:
    rng = np.random.Generator(np.random.PCG64(20261126))
    x = rng.random(_PROBE_SIZE)
    if name not in ("log", "log1p"):
        x = x * (2 * math.pi)
    fast = getattr(np, name)(x)
    exact = np.fromiter(map(getattr(math, name), x.tolist()), np.float64, len(x))
    return bool(np.array_equal(fast, exact))


@functools.cache
def _c_math_library():
    """The C math library, loaded once (find_library runs a subprocess: ~3 ms a call)."""
    import ctypes.util  # (on first use: it imports subprocess and shutil, 8 ms of start-up)

    path = ctypes.util.find_library("m")
    return ctypes.CDLL(path) if path else None


def c_function(name: str):
    """The C math library's function `name` (a fresh ctypes function object: set its types), or None."""
    library = _c_math_library()
    try:
        return library[name] if library is not None else None  # (a new object: its types are the caller's)
    except AttributeError:
        return None


def _libm(name: str):
    np_fn = getattr(np, name)

    def apply(x: np.ndarray) -> np.ndarray:
        if _numpy_matches(name):
            return np_fn(x)
        c_fn = libm_scalar(name)  # (the C function itself: inf and NaN where Python's math raises)
        flat = np.fromiter(map(c_fn, x.reshape(-1).tolist()), np.float64, x.size)
        return flat.reshape(x.shape)

    apply.__name__ = f"glibc_{name}"
    return apply


glibc_log = _libm("log")
glibc_log1p = _libm("log1p")
glibc_exp = _libm("exp")
glibc_tan = _libm("tan")
glibc_sin = _libm("sin")
glibc_cos = _libm("cos")


@functools.cache
def _hypot_ufunc() -> np.ufunc:
    """The C library's hypot itself: Python's math.hypot is its own, correctly rounded, and numpy's is npymath's;
    glibc's is not always correctly rounded (|1+0.20000714765j| is one ulp low)."""
    hypot = c_function("hypot")
    if hypot is None:
        return np.frompyfunc(math.hypot, 2, 1)
    hypot.restype, hypot.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
    return np.frompyfunc(hypot, 2, 1)


def glibc_hypot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(_hypot_ufunc()(x, y), dtype=np.float64)


@functools.cache
def _cpow_ufunc(dtype: type) -> np.ufunc | None:
    """The C library's cpow (complex128) or cpowf (complex64) of Python complex numbers.  A C complex is
    passed and returned as a struct of its two parts (the x86-64 and AArch64 calling conventions agree)."""
    part = ctypes.c_double if dtype is np.complex128 else ctypes.c_float
    fn = c_function("cpow" if dtype is np.complex128 else "cpowf")
    if fn is None:
        return None

    class Complex(ctypes.Structure):
        _fields_ = [("re", part), ("im", part)]

    fn.restype, fn.argtypes = Complex, [Complex, Complex]

    def cpow(x: complex, y: complex) -> complex:
        r = fn(Complex(x.real, x.imag), Complex(y.real, y.imag))
        return complex(r.re, r.im)

    return np.frompyfunc(cpow, 2, 1)


def glibc_cpow(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """std::pow of two complex numbers, torch's complex pow in both loops (c10::complex's pow is std::pow,
    libstdc++'s is __builtin_cpow): glibc's cexp(y * clog(x)), element by element, ~1 us each; numpy's
    power agrees on ordinary values but not at zeros, infinities and NaNs (0j ** 0j: numpy 1, cpow NaN, as
    torch).  x and y: one complex dtype."""
    dtype = np.result_type(x, y).type
    ufunc = _cpow_ufunc(dtype)
    if ufunc is None:  # (no C library to ask)
        return np.power(x, y)
    return np.asarray(ufunc(x, y), dtype=dtype)


@functools.cache
def libm_scalar(name: str, arguments: int = 1):
    """The C library's double function `name` of Python floats (CPython's math.lgamma is its own)."""
    fn = c_function(name)
    if fn is None:
        return getattr(math, name)
    fn.restype, fn.argtypes = ctypes.c_double, [ctypes.c_double] * arguments
    return fn


@functools.cache
def _double_ufunc(name: str) -> np.ufunc:
    return np.frompyfunc(libm_scalar(name), 1, 1)


@functools.cache
def _float_ufunc(name: str, arguments: int = 1) -> np.ufunc:
    """The C library's float function `name` (sinf, cosf, powf, atan2f): glibc's are not always correctly
    rounded, so float32(sin(double(x))) differs from them for about 1 % of inputs."""
    fn = c_function(name)
    if fn is None:  # no C library to ask: the double function rounded once
        double = getattr(math, name[:-1])
        return np.frompyfunc(lambda *v: float(np.float32(double(*v))), arguments, 1)
    fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float] * arguments
    return np.frompyfunc(fn, arguments, 1)


def glibc_sinf(x: np.ndarray) -> np.ndarray:
    return np.asarray(_float_ufunc("sinf")(x), dtype=np.float32)


def glibc_cosf(x: np.ndarray) -> np.ndarray:
    return np.asarray(_float_ufunc("cosf")(x), dtype=np.float32)


_C_WHOLE = 24  # (measured: 16 elements 5 us element by element, 11.5 us by the test)


def _not_normal(x: np.ndarray) -> np.ndarray:
    """Where a float32 array holds zero, a subnormal, inf or NaN: its magnitude bits less the smallest
    normal's, unsigned, at or past inf's less the same (three passes, and no np.finfo per call)."""
    bits = np.bitwise_and(x.view(np.uint32), np.uint32(0x7FFFFFFF))
    bits -= np.uint32(0x00800000)
    return bits >= np.uint32(0x7F800000 - 0x00800000)


def rounded_unless_near_midpoint(x: np.ndarray, double, exact, band: int, unsure_inputs, whole=0) -> np.ndarray:
    """A float function that returns its exact value correctly rounded except where that value lies close to
    a midpoint between two floats (within 0.002 ulp for glibc's expf, or where a float-pair computation
    rounds its last sum): the double function rounded once decides every element whose double value lies
    more than 2**-band ulp from a midpoint, and `exact` (the function itself, slow) computes the rest, the
    elements where unsure_inputs(x) holds, and those whose result is not a normal float.  Arrays of at most
    `whole` elements go to `exact` whole (the C library called element by element costs less than the
    test's dozen numpy calls there: a 0-d tensor, the scalar tail of a vector loop)."""
    x = np.asarray(x, np.float32)
    if x.size <= whole:
        return np.asarray(exact(x), dtype=np.float32)
    with quiet_numpy():
        wide = np.asarray(double(x.astype(np.float64)))
        out = np.asarray(wide.astype(np.float32))
        # the 29 mantissa bits a double has past a float's (a float ulp is 2**29 of them): near 2**28, midway
        below_float = wide.view(np.uint64) & np.uint64((1 << 29) - 1)
        half_width = 1 << (29 - band)
        unsure = below_float - np.uint64((1 << 28) - half_width) <= np.uint64(2 * half_width)
        unsure |= _not_normal(out)
        unsure |= unsure_inputs(x)
        if unsure.any():
            out[unsure] = np.asarray(exact(x[unsure]), dtype=np.float32)
    return out


@functools.partial(parallel.splits, dtypes=(np.float32,))  # (a long array: in parts on torch's threads)
def glibc_expf(x: np.ndarray) -> np.ndarray:
    """The C library's expf (std::exp of a float in torch's scalar loops): within 0.502 ulp."""
    return rounded_unless_near_midpoint(x, np.exp, _float_ufunc("expf"), 8, lambda x: ~(np.abs(x) < 87), _C_WHOLE)


def glibc_atan2(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The C library's atan2f or atan2 (std::atan2: the scalar loop of torch's atan2), element by element:
    glibc's atan2f is not correctly rounded (16 % of random float pairs differ from the rounded double), and
    numpy's double atan2 differs from glibc's on 9 %."""
    if y.dtype == np.float32 and x.dtype == np.float32:
        return np.asarray(_float_ufunc("atan2f", 2)(y, x), dtype=np.float32)
    if y.dtype == np.float64 and x.dtype == np.float64:
        return np.asarray(np.frompyfunc(libm_scalar("atan2", 2), 2, 1)(y, x), dtype=np.float64)
    return np.arctan2(y, x)


def glibc_exp2f(x: np.ndarray) -> np.ndarray:
    """The C library's exp2f (std::exp2 of a float: the scalar loop of torch's exp2): within 0.502 ulp."""
    return rounded_unless_near_midpoint(x, np.exp2, _float_ufunc("exp2f"), 8, lambda x: ~(np.abs(x) < 125), _C_WHOLE)


@functools.cache
def _pow_ufunc() -> np.ufunc:
    c_pow = libm_scalar("pow", 2)

    def power(a: float, b: float) -> float:
        try:
            return math.pow(a, b)  # (the C library's pow, called by CPython with less overhead than ctypes)
        except (ValueError, OverflowError):  # (where math.pow raises: overflow, a negative to a fraction)
            return c_pow(a, b)

    return np.frompyfunc(power, 2, 1)


def glibc_pow(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The C library's pow of two doubles, element by element, ~0.2 us each (numpy's SIMD power differs from
    glibc's in the last bit on 5 % of pairs)."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return np.asarray(_pow_ufunc()(x, y), np.float64) if x.size and y.size else np.power(x, y)


def glibc_powf(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The C library's powf (std::pow of two floats in torch's scalar loops), as glibc_expf: the double pow
    rounded once decides every element but those near a midpoint between two floats, and those out of the
    normal range, which the C library is asked about.  Near: within 2**-6 + |e| 2**-8 ulp for a result of
    binary exponent e, twice the farthest of glibc's misrounded results from a midpoint among 2.6 million
    random pairs (its error grows with the result's exponent: 0.013 ulp below 2**8, 0.19 ulp near 2**100)."""
    x, y = np.broadcast_arrays(np.asarray(x, np.float32), np.asarray(y, np.float32))
    with quiet_numpy():
        wide = np.asarray(np.power(x.astype(np.float64), y.astype(np.float64)))
        out = np.asarray(wide.astype(np.float32))
        below_float = wide.view(np.uint64) & np.uint64((1 << 29) - 1)
        exponent = np.abs(((wide.view(np.uint64) >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64) - 1023)
        half_width = ((1 << 23) + (exponent << 21)).astype(np.uint64)  # (units of 2**-29 ulp)
        unsure = below_float - (np.uint64(1 << 28) - half_width) <= 2 * half_width
        unsure |= _not_normal(out)
        if unsure.any():
            out[unsure] = np.asarray(_float_ufunc("powf", 2)(x[unsure], y[unsure]), dtype=np.float32)
    return out


@functools.cache  # (one wrapper per function, however many modules ask)
def libm_function(name: str):
    """The C library's `name` on a float32 array (its `namef`) or a float64 one, element by element, as
    torch's scalar kernels call it through std::name (numpy's own acos, cos, ... differ from glibc's in the
    last bit: in 29-34 % of float32 and 6-7 % of float64 Chebyshev polynomials of degree below 40).  The C
    library is loaded on the first call, not at import."""

    def apply(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype == np.float32:
            return np.asarray(_float_ufunc(name + "f")(x), np.float32)
        if x.dtype == np.float64:
            return np.asarray(_double_ufunc(name)(x), np.float64)
        return getattr(np, name)(x)

    apply.__name__ = f"libm_{name}"
    return apply


def normal_fill_16_default(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    """The DEFAULT-capability float32 Box-Muller (logf, sincosf, fmaf).  glibc's float functions are not
    correctly rounded and are not ported here: this rounds the double results, which agrees with them
    almost everywhere but not bit for bit (conformance runs the AVX2 kernel, which is exact)."""
    f32 = np.float32
    u1 = (f32(1) - blocks[:, :8]).astype(np.float64)
    u2 = blocks[:, 8:]
    radius = np.sqrt(f32(-2) * np.log(u1).astype(f32))
    theta = (2.0 * math.pi * u2.astype(np.float64)).astype(f32).astype(np.float64)
    out = np.empty_like(blocks)
    out[:, :8] = (radius * np.cos(theta).astype(f32)).astype(np.float64) * std + mean
    out[:, 8:] = (radius * np.sin(theta).astype(f32)).astype(np.float64) * std + mean
    return out
