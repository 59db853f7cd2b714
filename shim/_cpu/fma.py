"""Fused multiply-add, a*b + c with one rounding, exactly, on numpy arrays (numpy has no fma ufunc).

torch's CPU kernels get FMAs where GCC contracted a multiply and an add (`-ffp-contract=fast`) and where
they call `_mm256_fmadd_ps` / `std::fma`; a random stream is bit-identical only if those are emulated.

float32: the product of two floats is exact in float64, so a*b + c needs one float64 addition; rounding
that sum to odd (nudging an inexact even result one ulp toward the lost part) and then to float32 gives
the correctly rounded fma, because float64 has more than 24 + 1 bits.

float64: Boldo and Melquiond's emulation ("Emulation of FMA and correctly rounded sums: proved
algorithms using rounding to odd", IEEE TC 2008, algorithm 5.3): an exact product (Dekker) and an exact
sum (Knuth) leave two small error terms, added with rounding to odd, then one round-to-nearest sum.
Both are checked against exact rational arithmetic in tests/test_fma.py.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from . import parallel
from .libm import c_function, libm_scalar

__all__ = [
    "Fma32Chain", "fma32", "fma32_in_double", "fma64", "fma_scalar", "fused", "fused_running_sum", "horner32_in_double",
]  # fmt: skip

_SPLIT = np.float64(134217729.0)  # 2**27 + 1: Veltkamp's splitter for 53-bit doubles


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = a * b
    ah, bh = a * _SPLIT, b * _SPLIT
    ah = ah - (ah - a)
    bh = bh - (bh - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(s: np.ndarray, err: np.ndarray) -> np.ndarray:
    """s = RN(x), err = x - s exactly: the round-to-odd value of x."""
    even = (s.view(np.int64) & 1) == 0
    fix = (err != 0) & even & np.isfinite(s)
    if fix.any():
        s, err = np.array(s), np.asarray(err)  # (a copy; 0-d sums come as numpy scalars)
        s[fix] = np.nextafter(s[fix], np.where(err[fix] > 0, np.inf, -np.inf))
    return s


_F32_MIDPOINT_BITS = np.int64((1 << 29) - 1)  # the float64 mantissa bits below float32's last bit
_F32_MIDPOINT = np.int64(1 << 28)
_F32_TINY = np.float32(2.0**-125)  # at and below this a float32 ulp is not 2**-23 of the value (subnormals)


_CHAIN_TINY_BITS = np.float64(2 * _F32_TINY).view(np.uint64)
_WHOLE_REDO = 2048  # arrays up to this size round the whole sum to odd rather than index the few to redo


def fma32(a, b, c) -> np.ndarray:
    """float32 a*b + c, rounded once (long operands of one shape: split between torch's threads)."""
    r = parallel.map_parts(_fma32, (a, b, c), np.float32)
    return _fma32(a, b, c) if r is None else r


def _fma32(a, b, c) -> np.ndarray:
    s = np.asarray(np.multiply(a, b, dtype=np.float64))  # exact: 24 + 24 bits
    if s.size <= _WHOLE_REDO:  # (whole-array steps cost less than indexing the few to redo)
        return _fma32_short(s, a, b, c)
    if np.shape(c) == s.shape or np.ndim(c) == 0 or np.broadcast_shapes(s.shape, np.shape(c)) == s.shape:
        np.add(s, c, out=s)
    else:
        s = s + c
    r = s.astype(np.float32, order="C")  # (C order, as the flat indices below)
    # rounding s to float32 errs only where s sits exactly on a float32 midpoint but the sum was inexact,
    # and near the subnormal range, where the midpoint test does not apply; those few are summed again
    # exactly from the operands and rounded to odd first.  (s itself is then spent on the test, in place:
    # on long arrays each fresh double temporary costs as much as the arithmetic.)
    tiny = None
    if np.fmin.reduce(np.abs(r), axis=None) <= _F32_TINY:  # (fmin: past NaNs)
        tiny = (np.abs(r) <= _F32_TINY) & (s != 0)  # (a zero sum of two doubles is exact)
    bits = np.bitwise_and(s.view(np.int64), _F32_MIDPOINT_BITS, out=s.view(np.int64))
    redo = np.equal(bits, _F32_MIDPOINT)
    if tiny is not None:
        redo |= tiny
    if np.count_nonzero(redo):
        redo = np.flatnonzero(redo)
        where = np.unravel_index(redo, r.shape)
        a_, b_, c_ = (_at(v, where, r.shape) for v in (a, b, c))
        r.reshape(-1)[redo] = _round_to_odd(*_two_sum(a_ * b_, c_))
    return r


def _at(v, where: tuple, shape: tuple):
    """The operand v's values (as doubles) at the indices `where` of the result's `shape`."""
    if np.ndim(v) == 0:
        return np.float64(v)
    return (v if v.shape == shape else np.broadcast_to(v, shape))[where].astype(np.float64)


def _fma32_short(p: np.ndarray, a, b, c) -> np.ndarray:
    """_fma32 of a short result, its exact products p given: the whole sum rounded to odd where any
    element needs it."""
    s = np.add(p, c, dtype=np.float64)
    r = np.asarray(s.astype(np.float32, order="C"))
    redo = np.bitwise_and(s.view(np.int64), _F32_MIDPOINT_BITS) == _F32_MIDPOINT
    redo |= np.abs(r) <= _F32_TINY
    if np.count_nonzero(redo):  # (cheaper than .any() on the small arrays of sequential kernels)
        redo &= s != 0  # a zero sum of two doubles is exact (and zeros are common: a ReLU's dead gradients)
        if np.count_nonzero(redo):
            return np.asarray(_round_to_odd(*_two_sum(p, np.asarray(c, np.float64))).astype(np.float32, order="C"))
    return r


def fma32_in_double(a, b, c) -> np.ndarray:
    """a*b + c summed in float64 and rounded once to float32: fma32 without its midpoint check, so right
    unless the float64 sum is inexact and lands on a float32 midpoint.  Only for inputs shown never to."""
    s = np.multiply(a, b, dtype=np.float64)
    s += c
    return s.astype(np.float32)


class Fma32Chain:
    """fma32 for a recurrence of many small steps (Welford's moments): each call rounds its float64 sum
    p + c (p = a*b, exact) to float at once, three numpy calls where fma32 makes nine, and keeps p, c and the
    sum; `exact()` then tests them all together.  Where it says no, the caller runs its steps again with
    fma32 itself."""

    def __init__(self) -> None:
        self._steps: list[tuple] = []

    def __call__(self, a, b, c) -> np.ndarray:
        """a*b + c of floats (float32, or float64 arrays holding floats: faster, numpy's loops in one dtype)."""
        p = np.multiply(a, b, dtype=np.float64)
        s = np.add(p, c, dtype=np.float64)
        self._steps.append((p, c if np.shape(c) == p.shape else np.broadcast_to(c, p.shape), s))
        return s.astype(np.float32)

    def exact(self) -> bool:
        """Whether every call's result is fma32's.  Rounding the sum to float can err only where the sum sits
        on a float32 midpoint or is at most twice _F32_TINY (not zero), and then only if the double sum was
        inexact: those few are tested for exactness (s - p == c and s - c == p; one of the two differences
        is computed exactly, so an inexact sum fails one)."""
        if not self._steps:
            return True
        sums = np.concatenate([s.ravel() for _, _, s in self._steps])  # (ravel: np.reshape costs 1 us a call)
        return _rounded_right(
            sums,
            lambda: np.concatenate([p.ravel() for p, _, _ in self._steps]),
            lambda: np.concatenate([c.ravel() for _, c, _ in self._steps]),
        )


def _rounded_right(sums: np.ndarray, products, addends) -> bool:
    """Whether every double sum p + c in `sums` (flat, float64) rounds straight to fma32's float: true unless
    a sum sits on a float32 midpoint or is at most twice _F32_TINY (not zero) and the double sum was inexact.
    `products` and `addends` give the flat p and c, asked for only where some sum is unsure."""
    bits = sums.view(np.int64)
    unsure = np.bitwise_and(bits, _F32_MIDPOINT_BITS) == _F32_MIDPOINT
    magnitude = np.bitwise_and(bits, np.int64(2**63 - 1)).view(np.uint64)
    magnitude -= np.uint64(1)  # (zero wraps to the top)
    unsure |= magnitude < _CHAIN_TINY_BITS
    unsure = np.flatnonzero(unsure)
    if not unsure.size:
        return True
    s, p, c = sums[unsure], products()[unsure], addends()[unsure].astype(np.float64)
    with np.errstate(invalid="ignore"):  # (one of the two differences is exact, so an inexact sum fails one)
        return bool(np.all((s - p == c) & (s - c == p)))


_CHAIN_UP_TO = 2**18  # elements: a chain keeps three doubles for each


def fused_running_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """buffer = fma32(a[k], b[k], buffer) for k in turn from +0 (a, b: float32, (steps, ...)), as a loop of
    contracted multiply-adds into a float accumulator computes it.  Each step's double sum is rounded at once
    (three numpy calls where fma32 makes nine) and the unsure ones are checked together at the end, else
    every step runs again with fma32's own checks."""
    if a.size <= _CHAIN_UP_TO:
        products = np.multiply(a, b, dtype=np.float64)
        sums = np.empty_like(products)
        narrow, wide = np.zeros(a.shape[1:], np.float32), np.zeros(a.shape[1:])
        for k in range(len(a)):
            np.add(products[k], wide, out=sums[k])
            narrow[...] = sums[k]
            wide[...] = narrow

        def addends() -> np.ndarray:  # each step's: the float before it
            return np.concatenate((np.zeros(narrow.size), sums[:-1].astype(np.float32).ravel()))

        if _rounded_right(sums.ravel(), products.ravel, addends):
            return narrow
    buffer = np.zeros(a.shape[1:], np.float32)
    for k in range(len(a)):
        buffer = fma32(a[k], b[k], buffer)
    return buffer


def horner32_in_double(s, coefficients) -> np.ndarray:
    """The float polynomial c0 s**n + ... as a chain of fused multiply-adds, u = c0 s + c1, then u s + c (each
    coefficient a float, or an array of floats: one polynomial per element), each step fma32_in_double's
    (the product exact in double, one double sum rounded to float), in two buffers reused from step to step
    (a fresh double array per step costs half again as much on long inputs, and a product of a float and a
    double array twice as much as the float's value copied back to double first)."""
    s = np.asarray(s, np.float64)
    wide, u = np.empty(s.shape), np.empty(s.shape, np.float32)
    np.multiply(s, np.asarray(coefficients[0], np.float64), out=wide)
    for c in coefficients[1:-1]:
        np.add(wide, c, out=wide)
        u[...] = wide  # (rounded to float)
        wide[...] = u
        np.multiply(wide, s, out=wide)
    np.add(wide, coefficients[-1], out=wide)
    u[...] = wide
    return u


def fused(a: np.ndarray, b, c) -> np.ndarray:
    """a * b + c rounded once in a's type (float or double): a multiply-add GCC contracts in torch's build."""
    return (fma32 if a.dtype == np.float32 else fma64)(a, b, c).astype(a.dtype)


def fma64(a, b, c) -> np.ndarray:
    """float64 a*b + c, rounded once."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    with np.errstate(invalid="ignore", over="ignore"):
        a, b = _balanced(a, b)
        uh, ul = _two_prod(a, b)
        th, tl = _two_sum(c, uh)
        v, verr = _two_sum(tl, ul)
        v = _round_to_odd(np.atleast_1d(v), np.atleast_1d(verr)).reshape(v.shape)
        plain = a * b + c
        fused = th + v
        # where anything is infinite or NaN, the error terms are NaN and the plain expression is right (near
        # the float64 limit Veltkamp's split overflows: the plain expression stands in there too).  A zero
        # result takes the sign of the exact sum when that is not zero (an underflow), else IEEE's rule for
        # an exact zero sum, which the plain expression follows since a*b is then exact.
        exact_sign = np.where(th != 0, th, tl + ul)
        # a product below the subnormals leaves no error term: a*b + 0 then has the sign of a*b
        exact_sign = np.where((exact_sign == 0) & (c == 0) & (a != 0) & (b != 0), np.sign(a) * np.sign(b), exact_sign)
        zero = np.where(exact_sign != 0, np.copysign(0.0, exact_sign), plain)
        result = np.where(fused != 0, fused, zero)
        result = np.where(np.isfinite(plain) & np.isfinite(fused), result, plain)
        # a finite product past the float64 range: plain is inf or NaN, where the fused result is c for an
        # infinite c and may be finite for a finite one (scale a and c down by a power of two that brings the
        # product into range, fuse, scale back)
        over = np.isinf(a * b) & np.isfinite(a) & np.isfinite(b)
        if over.any():
            result = np.where(over & np.isinf(c), c, result)
            rest = over & np.isfinite(c)
            if rest.any():
                result = np.array(result)
                shift = np.frexp(a[rest])[1] + np.frexp(b[rest])[1] - 1000
                result[rest] = np.ldexp(fma64(np.ldexp(a[rest], -shift), b[rest], np.ldexp(c[rest], -shift)), shift)
        # a product near or in the subnormals leaves an error term Dekker's split cannot hold: those (rare)
        # elements are summed exactly in rationals, and rounded once (a tiny negative sum rounds to -0)
        tiny = (np.abs(a * b) < _DEKKER_TINY) & (a != 0) & (b != 0) & np.isfinite(c) & np.isfinite(a * b)
        if tiny.any():
            result = np.array(result)
            result[tiny] = [_exact_fma(*v) for v in zip(a[tiny].tolist(), b[tiny].tolist(), c[tiny].tolist())]
        return result


_DEKKER_TINY = 2.0**-969  # below this product, its rounding error may not be representable
_SPLIT_LIMIT = 2.0**995  # above it Veltkamp's split (x times 2**27 + 1) overflows


def _balanced(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a and b with the same product, both below _SPLIT_LIMIT where a finite product allows: the larger
    scaled down and the smaller up by one power of two, exactly (c10::complex's division of numbers past
    1e300 fuses such products: the plain expression stood in for them)."""
    big = (np.abs(a) > _SPLIT_LIMIT) | (np.abs(b) > _SPLIT_LIMIT)
    if not big.any():
        return a, b
    big &= np.isfinite(a * b)
    a, b = np.array(a), np.array(b)
    shift = (np.frexp(a[big])[1] - np.frexp(b[big])[1]) // 2
    a[big], b[big] = np.ldexp(a[big], -shift), np.ldexp(b[big], shift)
    return a, b


@functools.cache
def _c_fma():
    """The C library's fma, or None (libm_scalar would stand math.fma in, which raises at inf * 0)."""
    return libm_scalar("fma", 3) if c_function("fma") is not None else None


def fma_scalar(a: float, b: float, c: float) -> float:
    """Python floats a*b + c rounded once: the C library's fma (~0.3 us; fma64 costs ~30 us on one element),
    else exact rationals."""
    fn = _c_fma()
    if fn is not None:
        return fn(a, b, c)
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c) and math.isfinite(a * b)):
        return fma64(a, b, c).item()
    return _exact_fma(a, b, c)


def _exact_fma(a: float, b: float, c: float) -> float:
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return 0.0  # (a nonzero product cancelled exactly: +0 when rounding to nearest)
    return math.copysign(float(exact), exact)
