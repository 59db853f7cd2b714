"""MKL's vector math (VML) as torch 2.13's CPU build runs it, for the functions reproduced bit for bit:
sqrt, exp, log, sin, cos, tanh, asin, acos, atan and erf (float and double), log2, log10, tan and erfc
(float).

torch hands float and double sqrt, exp, log, sin, tanh, ... (ATen/cpu/vml.h) to MKL's vs*/vd* functions in
VML_HA mode with denormals kept, contiguous or through a buffer, whatever the tensor's size (a 0-d tensor
too).  MKL picks its kernels by CPU: on CPUs other than Intel's (AMD) it runs its generic SSE2 kernels
("EX": mkl_vml_kernel_sSqrt_EXHAynn, ...), which this module follows step for step, each product and sum
rounded as SSE2 rounds them (no fused multiply-adds), with the kernels' constants; every kernel's main path
is checked against torch, exhaustively over float32 (`python -m bench.float_math --exhaustive OP`), and its
rare path (zero, subnormals, extremes, inf, NaN) is the correctly rounded value, as MKL's rare paths return.
Elsewhere (Intel, or an AMD family whose rsqrtps was not measured) the functions return the correctly
rounded value, which is what MKL gives on Intel's AVX512 CPUs for sqrt.

sqrt (float and double) starts from the CPU's rsqrtps and is not correctly rounded: float for 9 % (x in
[1, 2)) to 25 % ([2, 4)) of inputs, double for 0.1 %.  Per lane:

    float:  y = rsqrtps(x); s = x * y; h = y * 0.5; e = 0.5 - s * h
            s1 = s * e + s; h1 = h * e + h; result = (x - s1 * s1) * h1 + s1
    double: y = rsqrtps(the float with x's top mantissa bits and exponent parity) * 2**-floor(e / 2)
            x = hi + lo (hi: x's top 26 mantissa bits); d = (1 - hi * y * y) - lo * y * y
            result = hi * y + (lo * y + (((c4 d + c3) d + c2) d + c1) d * y * x)

with c1..c4 the minimax coefficients of (1 - d)**-1/2 - 1 below.  Inputs outside the main path (zero,
subnormals, the largest floats (from 0x7F7FF001) or doubles (from 2**1022), negatives, inf, NaN) take MKL's
rare path, which returns the correctly rounded root (and a positive NaN for a negative).

rsqrtps is the CPU's own 12-bit approximation: on AMD family 19h its result depends only on the exponent's
parity and the top 12 mantissa bits, so its 8192 results, measured on an AMD EPYC of family 19h model 11h
(Zen 4), are the table below.  With it `sqrt` equals torch's float sqrt on all 2**32 inputs, and its double
sqrt on 2e7 random ones.  Family 1Ah (Zen 5, an AMD EPYC of model 02h) runs the same MKL kernels with the
same rsqrtps and rcpps: every kernel here equals torch's bits there too (float32: every pattern of the top 20
bits, 3.4e7 random bit patterns; float64: 2e6 random values).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import parallel
from .capability import cpu_model
from .quiet import quiet_numpy

__all__ = [
    "acos",
    "asin",
    "atan",
    "cos",
    "emulates_mkl",
    "erf",
    "erfc",
    "exp",
    "log",
    "log2",
    "log10",
    "sin",
    "sqrt",
    "tan",
    "tanh",
]

# rsqrtps on AMD family 19h: index = exponent LSB (of the biased exponent) * 4096 + top 12 mantissa bits; each
# result lies in [0.5, 1) with a 12-bit mantissa.  Stored as the first mantissa of each half (biased exponent
# even: x in [2, 4); odd: [1, 2)) and the decrements from one entry to the next (0, 1 or 2), four 2-bit codes
# to a byte, base64.
_RSQRTPS_FIRST = (1696, 4095)
_RSQRTPS_STEPS = (
    "RFEURUVRFEVFURRFRlEURUVRFEVEURRFRVEURUVRFEVFURRFRVEURURRFEVFURRFRVEURURRFEVFURRFRFEURVFEURRRRFEU"
    "UURRFFJEURRRRFEUUURRFFFEURRRRFEUUURRFFBEURRRRFEUUURRFFFEURRQRFEUUURRFFBEURRRRBQRUkQUEVFEFBFRRBQR"
    "UkQUEVFEFBFRRBQRUUQUEVFEFBFRRBQRUUQUEVFEFBFRRBQRUUQUEVFEFBFRRBQRUURERFBERERRREREUURERFBERERRRERE"
    "UERERFFERERQREREUERERFFERERQREREUERERFFERERQREREUERERBARERERERERERERERERERERERERERERERERERERERER"
    "EREREREREREQEREREREREREREREQERERERERERAREREFERFBBBERQQUREUEEERFBBRERQQQREUEEERFBBRERQQQREUEEERFB"
    "BBERQQUREUEEERFBBBERQQQREUEEERFBEEFEEBFBRBARQUQQEUFEEBFBRBARQUQQEUFEEBFBRBAQQUQQEUFEEBFBRBARQUQQ"
    "EEFEEBFBRBARQUQQEEFEEBFBBBEQQQQREUEEERBBBBERQQQREEEEERFBBBEQQQQREEEEERFBBBEQQQQREEEEERFBBBEQQQQR"
    "EEEEERBBBBFBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRBBEEEQQRABEEE"
    "EQRBEBEEQRARBEEQEARBEBEEQRARBEEQEQRBEBAEQRARBEEQEARBEBEEQRARBEEQEARBEBEEQRAQBEEQEQRBEBAEQRAQBEEQ"
    "EQRBEBAEQRARBEEQEARBEBAEQRARBEEQEARBEBAEQRARBEEQEARBEBAEQRAQBEEQEARBEBEEQRAEQRAQBEEQEARBEBAEQRAQ"
    "BEEQEARBEBAEQRAQBEEQEARBEBAEQRAQBEEQEARBEBAEQRAQBEEQEARBEBAEQRAQQRAQBEAQEARBEBAEQRAQBEEQEARBEBAE"
    "QRAQBEAQEARBEBAEQRAQBEEQEARAEBAEQRAQBEEQEARAEBAEQRAQBEEQEARAEBAEQRAQBEAQEARBEBAEQRAQBEAQEARBEBAE"
    "QBAQBEEQEARAEBAEQRAQBEAQEARBEBAEQBAQBEAQEAQREBAQEBAQEBEQEBAQEBAQEBAQEBEQEBAQEBAQEBAQEBEQEBAQEBAQ"
    "EBAQEBAQEBAREBAQEBAQEBAQEBAQEBAQERAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBEQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBAQEBAQEBAQEFRVVFVWVVRVVlVUVVVVVFVWVVRVVlVUVVVVVFVVVVRVVlVUVVVVVFVVVVRVVVVUVVVVVFVVVVRV"
    "VVVUVVRVVFVVVFVUVlRVVFVUVVRWVFVUVVRVVFVUVVRVVFVUVVRVVFVUVVRVVFVUVVRVVFVUVVRVVFVUVFRVVFVUVVRUVFVU"
    "FVVURRVVVEUWVVRFFVVURRVVVEUVVVRFFVVURRVVVEUVVVRFFVVURRRVVEUVVVRFFVVURRRVVEUVVVRFFFVURRVFRUUVRUVF"
    "FkVFRRVFRUUVRUVFFUVFRRVFRUUVRUVFFUVFRRVFRUUURUVFFUVFRRVFRUUURUVFFUVFRRRFRUVSVBRFUVQURVFUFEVSVBRF"
    "UVQURVFUFEVRVBRFUVQURVFUFEVRVBRFUVQURVFUFEVRVBRFUVQURVBUFEVRVBRFRVFEUURRRFFFUURRRFFEUUVRRFFEUURR"
    "RVFEUURRRFFEUURRRFFEUUVRRFFEUURRRFFEUURRRFFEUURRRFFEUVBEFEVRRBRFUUQURVFEFEVRRBRFUEQURVFEFEVRRBRF"
    "UEQURVFEFEVQRBRFUUQURVBEFEVRRBRFUEQURVBEFEURUUQUEVFEFBFRRBQSUUQUEVFEFBFRRBQRUUQUEVFEFBFRRBQRUUQU"
    "EVFEFBFRRBQRUUQUEFFEFBFRRBQRUUQUREREREVERERFREREREREREVERERERERERURERERERERFREREREREREVERERERERE"
    "REREREVERERERERERERERBEREREREREREREREREREREREREREREREREREREREREREREREREREREREREREREREREREREQERER"
    "EREREREREREREUREERFERBARREQREUREERFERBARREQREUREEBFERBERREQQEUREERFERBARREQREUREEBFERBARREQREURE"
    "RBARQUQQEUFEEBFBRBARQUUQEUFEEBFBRBARQUQQEUFEEBFBRBARQUQQEUFEEBFBRBARQUQQEUFEEBFBRBARQRFEEBERRBAR"
    "EUQQERBEEBERRBAREUQQERFEEBERRBAREEQQERFEEBERRBAREEQQERFEEBERRBAREEQQERFEEBEQQQRBEUEEQRBBBEERQQRB"
    "EEEEQRFBBEEQQQRBEUEEQRBBBEEQQQRBEUEEQRBBBEEQQQRBEUEEQRBBBEEQQQRBEUQQQRBEEEEQRBBBEEQQQRBEEEEQRBBB"
    "EEQQQRFEEEEQRBBBEEQQQRBEEEEQRBBBEEQQQRBEEEEQRBBBEEQQQUAQQRBBEEEQQRBBEEEQQRBBEEEQQBBBEEEQQRBBEEEQ"
    "QRBBEEEQQRBAEEEQQRBBEEEQQRBBEEEQQBBBEEEQQRA="
)


def _floats(*bits: int) -> tuple:
    """float32 constants from their bits, as the kernels hold them."""
    return tuple(np.uint32(b).view(np.float32) for b in bits)


def _doubles(*bits: int) -> tuple:
    """float64 constants from their bits."""
    return tuple(float(np.uint64(b).view(np.float64)) for b in bits)


def _float_constants(**bits: int) -> dict:
    """Named float32 constants from their bits."""
    return dict(zip(bits, _floats(*bits.values())))


_MEASURED_FAMILIES = (0x19, 0x1A)  # AMD's Zen 3 and 4, Zen 5


@functools.cache
def emulates_mkl() -> bool:
    """Whether MKL runs its EX kernels here, on a CPU whose rsqrtps was measured (above)."""
    vendor, family = cpu_model()
    return vendor == "AuthenticAMD" and family in _MEASURED_FAMILIES


# rcpps on AMD family 19h, likewise: its result depends only on the top 12 mantissa bits (and scales with the
# exponent); for x in [1, 2) it lies in (0.5, 1) with a 12-bit mantissa.  Stored as the first mantissa and
# the decrements (0 to 4), two 4-bit codes to a byte, base64.
_RCPPS_FIRST = 4094
_RCPPS_STEPS = (
    "ICEiIiIhIiIkISIiIiEiIiMhIiIiISIiJCEiIiIhIiIiISIiIiEiIiMhIiIiISIiIyEiIiIhIiIiISIiIiEiIiIhIiIiISIi"
    "IiEiIiIhIiIiISIiIiEiIiEhIiIiISIiISEiIiIhIiIhISIiIiEiIiEhIiIiISIiISEiIiIhIiISIiESIiESIhMiIRIiIRIi"
    "EyIhEiIhEiISIiESIiESIhMiIRIiIRIiEiIhEiIhEiISIiESIiESIhIiIRIiIRIiEiIhEiIhEiISIiESIiESIhEiIRIiIRIi"
    "ESIhEiIhEiIRIiESIiESIhEiIRIiIRIiESIhEiIhEiIQIiESIiESIhISISEhISEhExIhISEhISETEiEhISEhIRMSISEhISEh"
    "EhIhISEhISETEiEhISEhIRISISEhISEhEhIhISEhISESEiEhISEhIRISISEhISEhERIhISEhISESEiEhISEhIRESISEhISEh"
    "ERIhISEhISEREiEhISEhIRESISEhISEhEiEREiEREiESIRESIRESIRMhERIhERIhEiEREiEREiESIRESIRESIRIhERIhERIh"
    "EiEREiEREiESIRESIRESIREhERIhERIhEiEREiEREiERIRESIRESIREhERIhERIhESEREiEREiERIRESIRESIREhERIhERIh"
    "ECEREiEREiESESERIREREhIRIREhERESEhEhESERERISESERIREREhIRIREhERESEhEhESERERISESERIREREhERIREhERES"
    "EhEhESERERIRESERIREREhIRIREhERESEREhESERERIRESERIREREhERIREhERESEREhESERERIQESERIREREhEhERERERIR"
    "ESEREREREhESIRERERESEREhERERERIRESEREREREhERIRERERESEREhERERERIRESEREREREhERIRERERESERAhERERERIR"
    "ESEREREREhEQIRERERESEREhERERERIRECEREREREhEQIRERERESERAhERERERIRERERERERERESERERERERERERERERERER"
    "EhERERERERESERERERERERERERERERERERERERERERESERERERERERERERERERERERERERERERERERERERERERERERERERER"
    "EREREREREREQEREREREREREREREREREREREREREREREREREQERERERERERAREREREhEREBEREREREREQERERERERERARERER"
    "EREREBEREREREREQERERERERERAREREREREREBEREREREREQERERERARERAREREREREREBEREREQEREQERERERERERARERER"
    "EBEREBEREREREREQERERERABEREREBEREQEREREQERESARERERAREREBEREREBEREAEREREQERERARERERAREREBEREREBER"
    "EQEREREQEREQARERERAREREBEREREBEREQEREREQEREQARERERARERABEREREBEREQEREREQEREQARERERARERABEREREBER"
    "ERARAREREBEREBEBEREQEREQEQERERARERARAREREBEQEBEBEREQEREQEQERERARERARAREREBEREBEBEREQERAQEQERERAR"
    "ERARAREREBEQEBEBEREQEREQEQERERAREBARAREREBEQEBEBEREQEREQEQERERAREBARAREREBEQAREQERAREBEBERAREBEQ"
    "EQEREBEQERARAREQERAREBEBERAREBEQEQEREBEQERARAREQERAREBABERAREBEQEQEREBEQERARAREQERAREBABERAREBEQ"
    "EQEREBEQERAQAREQERAREBEBERAREBEQEAEREBEQERAQAREQERAREBEQAREQAREQERABERABERAREAEREAEREBEQAREQAREQ"
    "ERABERABERAREAEREAEREBEQAREQAREQERABERABERAREAEREAEREBEQAREQAREQERABERABERAQEAEREAEREBEQAREQAREQ"
    "EBABERABERAREAEREAEREBEQAREQAREQAREQEAEREBABERAQAREQEAEREBABERAQAhEQEAEREBABERAQAREQEAEREBABERAQ"
    "AREQEAEREBABERAQAREQEAIREBABERAQAREQEAEREBABERAQAREQEAEREBABERAQABEQEAEREBABERAQAREQEAEREBABERAQ"
    "AREQEAEREBABERAQAQEREAAREBABAREQAREQEAEBERABERAQAQEREAAREBABAREQAREQEAEBERAAERAQAQEREAEREBABAREQ"
    "ABEQEAEBERABERAQAQEREAAREBABAREQABEQEAEBERAAERAQAQEREAEREBABAREQABEQEAEBERAAERAQAQEREAEBAQEREBAQ"
    "AQEBAREQEBABAQEBERAQEAEBAQEREBAQAQEBAREQEBABAQEBERAQEAABAQEREBAQAQEBAREQEBABAQEBERAQEAEBAQEREBAQ"
    "AQEBAREQEBAAAQEBERAQEAEBAQEREBAQAQEBAREQEBAAAQEBERAQEAEBAQEREBAQAAEBERAQEBABAQEREBAQEAABAREQEBAQ"
    "AQEBERAQEBAAAQEREBAQEAABAREQEBAQAQEBERAQEBAAAQEREBAQEAABAREQEBAQAAEBERAQEBABAQEREBAQEAABAREQEBAQ"
    "AAEBERAQEBAAAQEREBAQEAABAREQEBAQAAEBERAQEBA="
)


def _mantissas(text: tuple, first, bits: int) -> np.ndarray:
    """12-bit mantissas from their first values and base64 decrements of `bits` bits each (little end first)."""
    import base64  # (here: first use, not import time)

    packed = np.frombuffer(base64.b64decode("".join(text)), np.uint8)
    mask = (1 << bits) - 1
    steps = np.stack([(packed >> shift) & mask for shift in range(0, 8, bits)], axis=1).astype(np.int32)
    steps = steps.reshape(len(np.atleast_1d(first)), -1)
    return (np.array(first, np.int32).reshape(-1, 1) - np.cumsum(steps, axis=1)).reshape(-1)


@functools.cache
def _rsqrtps_tables() -> tuple[np.ndarray, np.ndarray]:
    """rsqrtps's results by index (exponent LSB, top 12 mantissa bits), as bits less a scale that each
    kernel's exponent arithmetic adds back: float bits for x's top 9 bits (`_sqrt32`), double bits for its
    top 12 (`_sqrt64`)."""
    results = ((126 << 23) | (_mantissas(_RSQRTPS_STEPS, _RSQRTPS_FIRST, 2) << 11)).astype(np.int32)
    odd = np.arange(8192) >> 12  # the biased exponent's LSB
    # x = m * 4**k (m in [1, 4)): rsqrt(x) = rsqrtps(m) * 2**-k, k = floor((E - bias) / 2)
    as_float = results + ((64 - odd) << 23).astype(np.int32)
    as_double = results.view(np.float32).astype(np.float64).view(np.int64) + ((512 - odd) << 52)
    return as_float, as_double


def _horner(x: np.ndarray, coefficients: tuple, out: np.ndarray | None = None) -> np.ndarray:
    """(((c0 x + c1) x + c2) ... ) x + cn, each product and sum rounded, as the kernels evaluate their
    polynomials (into `out` where given)."""
    p = np.multiply(x, coefficients[0], out=out)
    p += coefficients[1]
    for c in coefficients[2:]:
        p *= x
        p += c
    return p


def _mkl(function, *dtypes):
    """The public form of a kernel for `dtypes`: any array in; another dtype or CPU gets `function`'s value
    (a float32 one computed in double and rounded once: what MKL returns for all but a few inputs); a 0-d
    array goes through a 1-element one (numpy's ufuncs give scalars for 0-d operands); numpy stays quiet."""

    def decorate(kernel):
        @functools.wraps(kernel)
        def apply(x):
            x = np.asarray(x)
            with quiet_numpy():
                if x.dtype.type not in dtypes or not emulates_mkl():
                    return function(x.astype(np.float64)).astype(x.dtype) if x.dtype == np.float32 else function(x)
                if x.ndim == 0:
                    return apply(x.reshape(1)).reshape(())
                return kernel(x)

        return parallel.splits(apply)

    return decorate


def _replace_rare(result: np.ndarray, x: np.ndarray, rare: np.ndarray, function, negative_nan: bool = True):
    """MKL's rare path where `rare` (zero, subnormals, extremes, inf, NaN, negatives): the correctly rounded
    value (`function` in double, rounded once), and where negative_nan a positive NaN for a negative (numpy's
    is negative); NaNs pass through."""
    if rare.any():
        x = x[rare]
        exact = function(x.astype(np.float64)).astype(x.dtype)
        if negative_nan:
            exact[x < 0] = np.nan
        result[rare] = exact


_HALF = np.float32(0.5)
_FLOAT_MAIN = (0x00800000, 0x7F7FF000)  # the main path's inputs, as bits (the rest take the rare path)
_DOUBLE_MAIN = (0x0010000000000000, 0x7FCFFFFFFFFFFFFF)
# (1 - d)**-1/2 = 1 + d * (c1 + d * (c2 + d * (c3 + d * c4))), as MKL's double kernel evaluates it
_C4, _C3, _C2, _C1 = (
    float.fromhex(h)
    for h in ("0x1.1800032338cbbp-2", "0x1.40000b13001d9p-2", "0x1.80000000000f6p-2", "0x1.ffffffffffe71p-2")
)


@_mkl(np.sqrt, np.float32, np.float64)
def sqrt(x: np.ndarray) -> np.ndarray:
    """torch's CPU sqrt of a real float array: MKL's for float32 and float64; half, which torch computes as
    the float root rounded, correctly rounded."""
    kernel, (lowest, highest) = (_sqrt32, _FLOAT_MAIN) if x.dtype == np.float32 else (_sqrt64, _DOUBLE_MAIN)
    root = kernel(x)
    unsigned = np.uint32 if x.dtype == np.float32 else np.uint64
    _replace_rare(root, x, np.subtract(x.view(unsigned), unsigned(lowest)) > unsigned(highest - lowest), np.sqrt)
    return root


def _rsqrtps(bits: np.ndarray, table: np.ndarray, mantissa_from: int) -> tuple[np.ndarray, np.ndarray]:
    """rsqrtps's table entry for each x (as `table` holds them), and a work buffer of bits' integer type:
    the index is the exponent's LSB and the 12 mantissa bits below it, which start at bit mantissa_from."""
    work = np.right_shift(bits, mantissa_from)
    work &= 0x1FFF
    return np.take(table, work, mode="wrap"), work


_BY_TOP_BITS_FROM = 1 << 14  # elements: from here the estimate is one lookup by the top 20 bits


@functools.cache
def _rsqrt32_by_top_bits() -> np.ndarray:
    """_sqrt32's estimate y for every float by its top 20 bits, the sign clear (the exponent and 12 mantissa
    bits: all that y depends on), the exponent arithmetic done: one lookup for four passes (4 MB)."""
    top = np.arange(1 << 20, dtype=np.int32)
    return _rsqrtps_tables()[0][top & 0x1FFF] - ((top << 10) & 0x3F800000)


def _rsqrtps32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rsqrtps of a float32 array (garbage where x is not a positive normal float: the kernels' masks and
    rare paths replace it), and a spare int32 buffer of x's shape."""
    bits = x.view(np.int32)
    if x.size >= _BY_TOP_BITS_FROM:
        work = np.right_shift(bits, 11)
        y = np.take(_rsqrt32_by_top_bits(), work, mode="wrap")  # (a negative x wraps)
    else:
        y, work = _rsqrtps(bits, _rsqrtps_tables()[0], 11)
        np.right_shift(bits, 1, out=work)
        work &= 0x3F800000  # (E >> 1) << 23
        y -= work
    return y.view(np.float32), work


def _sqrt32(x: np.ndarray) -> np.ndarray:
    """The float kernel's main path, in place on as few buffers as it can."""
    y, work = _rsqrtps32(x)
    s = np.multiply(x, y, out=work.view(np.float32))
    h = y
    h *= _HALF
    e = s * h
    np.subtract(_HALF, e, out=e)
    s1 = s * e
    s1 += s
    np.multiply(h, e, out=e)
    e += h  # h1
    np.multiply(s1, s1, out=h)
    np.subtract(x, h, out=h)
    h *= e
    h += s1
    return h


def _sqrt64(x: np.ndarray) -> np.ndarray:
    """The double kernel's main path."""
    bits = x.view(np.int64)
    y, work = _rsqrtps(bits, _rsqrtps_tables()[1], 40)
    np.right_shift(bits, 53, out=work)
    work <<= 52
    y -= work
    y = y.view(np.float64)
    hi = np.bitwise_and(bits, -(1 << 27), out=work).view(np.float64)
    lo = x - hi
    yy = y * y
    d = hi * yy
    np.subtract(1.0, d, out=d)
    yy *= lo
    d -= yy
    p = _horner(d, (_C4, _C3, _C2, _C1), out=yy)
    p *= d
    p *= y
    p *= x
    lo *= y
    lo += p
    hi *= y
    hi += lo
    return hi


# vsExp's and vdExp's EX kernels: x = (n + j / N) ln 2 + r, with n N + j = round(x N / ln 2) by adding
# 1.5 * 2**23 (float, N = 128) or 1.5 * 2**52 (double, N = 64), r by ln 2 / N split hi/lo; exp(r) - 1 as
# r + r * r / 2 (float) or r + r * r * (((c5 r + c4) r + c3) r + c2) (double); 2**(j / N) as the nearest
# float or double and the nearest to its remainder; 2**n by the exponent bits.  |x| beyond 87.3365 (float
# bits 0x42AEAC4F) or 708.3956 (double, top word 0x4086232A) takes the rare path: the correctly rounded exp.
_EXP32 = {
    "scale": np.uint32(0x4338AA3B).view(np.float32),  # 128 / ln 2
    "shifter": np.float32(1.5 * 2**23),
    "ln2_hi": np.float32(-0.0054168701171875),  # -(ln 2 / 128), rounded up in magnitude to 9 bits
    "ln2_lo": np.uint32(0x35DE8083).view(np.float32),
}
_EXP64 = {
    "scale": float.fromhex("0x1.71547652b82fep+6"),  # 64 / ln 2
    "shifter": 1.5 * 2**52,
    "ln2_hi": float.fromhex("-0x1.62e42fefa0000p-7"),
    "ln2_lo": float.fromhex("-0x1.cf79abc9e3b3ap-46"),
    "poly": tuple(
        float.fromhex(h)
        for h in ("0x1.111112d9f549bp-7", "0x1.555573f218b93p-5", "0x1.555555555653ep-3", "0x1.fffffffffdb3bp-2")
    ),
}


@functools.cache
def _exp_table(n: int, dtype: type) -> np.ndarray:
    """2**(j / n) for j < n as pairs (the nearest `dtype`, the nearest to the rest), each pair one item of the
    integer type twice as wide (for a single gather)."""
    from decimal import Decimal, localcontext  # (here: first use, not import time)

    table = np.empty((n, 2), dtype)
    with localcontext() as context:
        context.prec = 80
        for j in range(n):
            value = Decimal(2) ** (Decimal(j) / n)
            table[j, 0] = float(value)
            table[j, 1] = float(value - Decimal(float(table[j, 0])))
    return table.view(np.int64 if dtype is np.float32 else np.complex128).reshape(n)


@_mkl(np.exp, np.float32, np.float64)
def exp(x: np.ndarray) -> np.ndarray:
    """torch's CPU exp: MKL's for float32 and float64 (half is computed in float)."""
    if x.dtype == np.float32:
        result = _exp32(x)
        rare = (x.view(np.int32) & 0x7FFFFFF0) > 0x42AEAC4F
    else:
        result = _exp64(x)
        rare = (np.right_shift(x.view(np.int64), 32) & 0x7FFFFFFF) > 0x4086232A
    _replace_rare(result, x, rare, np.exp, negative_nan=False)
    return result


def _exp_reduction(x: np.ndarray, c: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """t = x N / ln 2 + shifter (its low bits: n N + j), and r = x - (n N + j) ln 2 / N; with a spare buffer."""
    t = x * c["scale"]
    t += c["shifter"]
    n = t - c["shifter"]
    r = n * c["ln2_hi"]
    r += x
    n *= c["ln2_lo"]
    r += n
    return t, r, n


def _exp32(x: np.ndarray) -> np.ndarray:
    t, r, spare = _exp_reduction(x, _EXP32)
    bits = t.view(np.int32)
    pair = np.take(_exp_table(128, np.float32), bits & 127).view(np.float32).reshape(*x.shape, 2)
    p = np.multiply(r, r, out=spare)
    p *= np.float32(0.5)
    p += r
    p *= pair[..., 0]
    p += pair[..., 1]
    p += pair[..., 0]
    bits <<= 16  # 2**(n // 128) as a float: n's bits from the shifter's mantissa into the exponent
    bits += 0x3F800000
    bits &= 0x7F800000
    p *= t
    return p


def _exp64(x: np.ndarray) -> np.ndarray:
    t, r, n = _exp_reduction(x, _EXP64)
    bits = t.view(np.int64)
    pair = np.take(_exp_table(64, np.float64), bits & 63)
    p = _horner(r, _EXP64["poly"])
    np.multiply(r, r, out=n)
    p *= n
    p += r
    p *= pair.real
    p += pair.imag
    p += pair.real
    bits <<= 46  # n // 64 added to the result's exponent
    bits &= -(1 << 52)
    result = p.view(np.int64)
    result += bits
    return p


# vsLn's EX kernel (float), no table: x = 2**e * m with m in [2/3, 4/3) (integer arithmetic on the bits, the
# exponent's split at 0x3F2AAAAB), r = m - 1, log1p(r) as r + r * r * P(r) (degree 8, Horner), then
# e * ln 2 added in two parts (lo first).  Zero, subnormals, negatives, inf and NaN take the rare path: the
# correctly rounded log (a positive NaN for a negative).
_LN32_POLY = _floats(
    0xBE0402C8, 0x3E0F335D, 0xBDF9889E, 0x3E0F6B8C, 0xBE2ACEE6, 0x3E4CE814, 0xBE7FFF78, 0x3EAAAA83, 0xBF000000
)
_LN32_LN2 = _floats(0x35BFBE8E, 0x3F317200)  # (lo, hi)


@_mkl(np.log, np.float32, np.float64)
def log(x: np.ndarray) -> np.ndarray:
    """torch's CPU log: MKL's for float32 and float64 (half is computed in float)."""
    if x.dtype == np.float64:
        return _log64(x, "e")
    bits = np.subtract(x.view(np.int32), np.int32(0x3F2AAAAB))
    e = np.right_shift(bits, 23).astype(np.float32)
    bits &= 0x7FFFFF
    bits += 0x3F2AAAAB
    r = bits.view(np.float32)
    r -= np.float32(1)
    p = _horner(r, _LN32_POLY)
    p *= r
    p *= r
    p += r
    lo, hi = _LN32_LN2
    np.multiply(e, lo, out=r)
    p += r
    e *= hi
    p += e
    _replace_rare(p, x, np.add(x.view(np.int32), np.int32(0x00800000)) <= 0x00FFFFFF, np.log)
    return p


# vsSin's and vsCos's EX kernels (float): n = round(|x| / pi) (cos: round((|x| + pi/2) / pi) - 1/2) by adding
# 1.5 * 2**23 in float; r = |x| - n pi in double (pi split hi/lo); sin(r) as r + r * z * P(z), z = r * r, in
# double, rounded once to float; n's parity (and for sin x's sign) into the sign bit.  |x| beyond 10000 takes
# MKL's long reduction, which the shim does not reproduce: there it rounds the double sin (1 % of those
# inputs differ by an ulp); inf gives the default NaN (negative), a NaN passes through.
_SINCOS32 = {
    "inv_pi": np.uint32(0x3EA2F983).view(np.float32),
    "half_pi": np.uint32(0x3FC90FDB).view(np.float32),
    "shifter": np.float32(1.5 * 2**23),
    "pi_hi": float.fromhex("0x1.921fb54440000p+1"),
    "pi_lo": float.fromhex("0x1.68c234c4c6629p-38"),
    "poly": tuple(
        float.fromhex(h)
        for h in ("0x1.5dbdf0e4c7deep-19", "-0x1.9f6ffeea73463p-13", "0x1.110ed3804ca96p-7", "-0x1.55554bc836587p-3")
    ),
}
_SINCOS32_MAIN = np.float32(10000)


@_mkl(np.sin, np.float32, np.float64)
def sin(x: np.ndarray) -> np.ndarray:
    """torch's CPU sin: MKL's for float32 with |x| <= 10000 and float64 with |x| <= 65536 (half is computed in
    float); beyond, and for complex, numpy's (float32: its double rounded once)."""
    return _sincos(x, np.sin, cosine=False) if x.dtype == np.float32 else _sincos64(x, cosine=False)


@_mkl(np.cos, np.float32, np.float64)
def cos(x: np.ndarray) -> np.ndarray:
    """torch's CPU cos, as `sin`."""
    return _sincos(x, np.cos, cosine=True) if x.dtype == np.float32 else _sincos64(x, cosine=True)


def _sincos(x: np.ndarray, function, cosine: bool) -> np.ndarray:
    c = _SINCOS32
    ax = np.abs(x)
    t = ax + c["half_pi"] if cosine else ax * c["inv_pi"]
    if cosine:
        t *= c["inv_pi"]
    t += c["shifter"]
    n = t - c["shifter"]
    if cosine:
        n -= np.float32(0.5)
    n = n.astype(np.float64)
    r = ax.astype(np.float64)
    r -= n * c["pi_hi"]
    n *= c["pi_lo"]
    r -= n
    z = np.multiply(r, r, out=n)
    p = _horner(z, c["poly"])
    p *= z
    p *= r
    p += r
    result = p.astype(np.float32)
    sign = t.view(np.uint32)
    sign <<= 31  # n's parity
    if not cosine:
        sign ^= x.view(np.uint32) & np.uint32(0x80000000)
    result.view(np.uint32)[...] ^= sign
    rare = ~(ax <= _SINCOS32_MAIN)
    if rare.any():
        _replace_rare(result, x, rare, function, negative_nan=False)
        result[np.isinf(x)] = -np.float32("nan")  # x86's default NaN
    return result


# vdSin's and vdCos's EX kernels (double): n = round(x 256 / pi) by adding 1.5 * 2**52 (sin: of |x|); r =
# x - n pi / 256 in three parts, the first two summed with their rounding error kept (r_lo, with the third);
# from the table at n mod 512 (cos: a quarter turn on), sin(y) = s + s_lo and cos(y) = c0 + c1; then
# sin(y + r) = s + r cos(y) - s r**2 / 2 + ..., the sum s + c1 r + c0 r by Knuth's two-sum with its errors
# carried, the odd and even polynomials in r**2, and (cos(y) - s r) r_lo; sin's sign from x last.  |x|
# beyond 65536 takes MKL's long reduction, which the shim does not reproduce: there numpy's sin (cos),
# within an ulp (0.14 % of those inputs differ).  Equal to torch on 4e6 random doubles within 65536 each.
_SINCOS64 = {
    "scale": _doubles(0x40545F306DC9C883)[0],  # 256 / pi
    "shifter": 1.5 * 2**52,
    "step": _doubles(0xBF8921FB54400000, 0x3D60B4611A600000, 0xBB33198A2E037073),  # -pi / 256 in three parts
    "odd": _doubles(0x3F81110FABB3551C, 0xBFC5555555554448),
    "even": _doubles(0xBF56C16AB163B2D7, 0x3FA5555555554CCF, 0xBFE0000000000000),
    "main": _doubles(0x40F000000E4DB24C)[0],  # 65536.0035
}


def _reduce64(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The double kernels' reduction by pi / 256: (t, whose low bits are n = round(a 256 / pi); r = a - n pi /
    256 rounded; r_lo, the rest: r's rounding error plus n times pi / 256's third part)."""
    c = _SINCOS64
    t = a * c["scale"]
    t += c["shifter"]
    n = t - c["shifter"]
    r_hi = n * c["step"][0]
    r_hi += a
    m = n * c["step"][1]
    r = r_hi - m
    r_hi -= r
    r_hi -= m  # (the error of r)
    r_lo = n * c["step"][2]
    r_lo += r_hi
    return t, r, r_lo


def _sincos64(x: np.ndarray, cosine: bool) -> np.ndarray:
    c = _SINCOS64
    t, r, r_lo = _reduce64(x if cosine else np.abs(x))
    index = np.bitwise_and(t.view(np.int64) + (128 if cosine else 0), 511)
    c0, c1, s, s_lo = (column.take(index) for column in _columns("SIN64", 4))  # (c0, c1, sin, its next bits)
    cos_y = c1 + c0
    c0r = c0 * r
    c1r = c1 * r
    total = s + c1r
    error = (s - total) + c1r
    head = c0r + total
    total -= head
    total += c0r
    total += error  # (the two sums' errors)
    r2 = r * r
    odd = _horner(r2, c["odd"])
    odd *= r2
    odd *= r
    odd *= cos_y
    odd += total
    even = _horner(r2, c["even"])
    even *= r2
    even *= s
    even += odd
    result = cos_y - s * r
    result *= r_lo
    result += s_lo
    result += even
    result += head
    if not cosine:
        result.view(np.int64)[...] ^= x.view(np.int64) & np.int64(-(1 << 63))
    rare = ~(np.abs(x) <= c["main"])
    if rare.any():
        result[rare] = (np.cos if cosine else np.sin)(x[rare])
    return result


# vsTan's EX kernel (float): n = round(|x| 2 / pi) by adding 1.5 * 2**23 in float; r = |x| - n pi / 2 in
# double (pi / 2 split hi/lo); tan(r) as the ratio S / C of r - 0.096 r**3 and 1 - 0.429 r**2 + 0.0097 r**4
# (C / S for an odd n), one double division rounded to float; n's parity and x's sign into the sign bit.
# |x| beyond 10000 takes MKL's long reduction, which the shim does not reproduce: there it rounds the
# double tan (0.1 % of those inputs differ by an ulp); inf gives the default NaN.  Equal to torch on every
# |x| <= 10000 (all 2**32 floats checked).
_TAN32 = {
    "two_over_pi": _floats(0x3F22F983)[0],
    "half_pi": _doubles(0x3FF921FB54440000, 0x3D868C234C4C6629),  # (hi, lo)
    "s": _doubles(0x3FB8867706ED6612)[0],
    "c": _doubles(0x3F83E66EA6AA37F2, 0xBFDB76F5E7F08C11),
}


@_mkl(np.tan, np.float32, np.float64)
def tan(x: np.ndarray) -> np.ndarray:
    """torch's CPU tan of float32 and float64: MKL's for |x| <= 10000 (double: 65536; beyond, numpy's tan, of
    the double for a float, rounded once)."""
    if x.dtype == np.float64:
        return _tan64(x)
    c = _TAN32
    ax = np.abs(x)
    t = ax * c["two_over_pi"]
    t += _SINCOS32["shifter"]
    n = (t - _SINCOS32["shifter"]).astype(np.float64)
    r = ax.astype(np.float64)
    r -= n * c["half_pi"][0]
    n *= c["half_pi"][1]
    r -= n
    r2 = np.multiply(r, r, out=n)
    s = r * c["s"]
    s *= r2
    np.subtract(r, s, out=s)
    cos = _horner(r2, c["c"])
    cos *= r2
    cos += 1.0
    odd = t.view(np.uint32) << np.uint32(31)
    even = odd == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(even, s, cos)
        ratio /= np.where(even, cos, s)
    result = ratio.astype(np.float32)
    result.view(np.uint32)[...] ^= odd ^ (x.view(np.uint32) & np.uint32(0x80000000))
    rare = ~(ax <= _SINCOS32_MAIN)
    if rare.any():
        _replace_rare(result, x, rare, np.tan, negative_nan=False)
        result[np.isinf(x)] = -np.float32("nan")  # x86's default NaN
    return result


# vdTan's EX kernel (double): n = round(|x| 256 / pi) and r = |x| - n pi / 256 as the sin and cos kernels
# reduce (_reduce64), renormalized to r + r_lo; by n mod 256 a table entry (vml_tables.TAN64): tan = c2 / (p -
# r) + c3 + c4 + (c5 + c6) r + c7 r**2 + ... + c12 r**7 with p = c0 + c1 - r_lo carried as a pair: 1 / p from
# rcpps (of p's top 26 bits as a float, kept to 26 bits) refined by e = 1 - p_hi y as y (1 + e) (1 + e**2)
# with p_lo's term, c2 y and the expansion's leading terms summed with their rounding errors carried; x's
# sign into the sign bit.  |x| beyond 65536, inf and NaN: numpy's tan (MKL's long reduction is not
# reproduced; 0.1 % of those inputs differ by an ulp), the default NaN for inf.
def _tan64(x: np.ndarray) -> np.ndarray:
    t, r, r_lo = _reduce64(np.abs(x))
    c = _columns("TAN64", 13)
    index = np.bitwise_and(t.view(np.int64), 255)

    def column(k: int) -> np.ndarray:
        return c[k].take(index)

    rr = r + r_lo
    r_lo += r - rr
    r = rr
    pole = column(0)
    p = pole - r
    p_hi = (p.view(np.int64) & _TOP27).view(np.float64)
    p_lo = pole - p
    p_lo -= r
    p_lo -= r_lo
    p -= p_hi
    p += column(1)
    p += p_lo  # (p's low part)
    y = np.copysign(_rcpps(np.abs(p_hi).astype(np.float32)).astype(np.float64), p_hi)
    y = (y.view(np.int64) & _TOP27).view(np.float64)
    e = 1.0 - p_hi * y
    refined = e * y
    refined += y
    refined *= e * e + 1.0
    p *= refined
    e -= p
    p *= p
    p += e
    p *= refined
    residue = column(2)
    y *= residue
    p *= residue  # (c2 / p = y + p, y the rcpps estimate's c2 y)
    r2 = r * r
    expansion = _horner_pairs(r, r2, [column(k) for k in (12, 11, 10, 9, 8, 7, 6)])
    expansion *= r
    c3, c5 = column(3), column(5)
    linear = r * c5
    head = c3 + linear
    low = c3 - head
    low += linear
    low += p
    total = head + y
    error = y - total
    error += head
    error += low
    tail = column(6) + c5
    tail *= r_lo
    tail += error
    tail += column(4)
    expansion += tail
    expansion += total
    expansion.view(np.int64)[...] ^= x.view(np.int64) & np.int64(-(1 << 63))
    rare = ~(np.abs(x) <= _SINCOS64["main"])
    if rare.any():
        expansion[rare] = np.tan(x[rare])
        expansion[np.isinf(x)] = -np.float64("nan")  # x86's default NaN
    return expansion


def _horner_pairs(r: np.ndarray, r2: np.ndarray, c: list) -> np.ndarray:
    """tan's expansion c6 + c7 r + ... + c12 r**6 (c given from c12 down) as the kernel evaluates it:
    r**4 (c12 r**2 + (c11 r + c10)) + (r**2 (c9 r + c8) + (c7 r + c6))."""
    c12, c11, c10, c9, c8, c7, c6 = c
    high = c11 * r
    high += c10
    high += c12 * r2
    middle = c9 * r
    middle += c8
    middle *= r2
    low = c7 * r
    low += c6
    middle += low
    high *= r2 * r2
    high += middle
    return high


# vsLog2's and vsLog10's EX kernels (float): x = 2**(E - 127) m; a float m' with m's mantissa and the exponent
# of 2**-7 (log2) or 2**-9 (log10); k = round(rcpps(m') K) by adding 1.5 * 2**23 in float, an integer from
# top / K ... top (K = 23/16, top = 184; K = 111/256, top = 222); r = m' k - K, in two parts (m' split at its
# top 15 mantissa bits), so m = (K + r) 2**s / k; log(m) = log(top / k) + log1p(r / K) with log(top / k) from
# a table of (hi: rounded to a multiple of 2**-14, lo: the rest rounded) indexed by k, and log1p(r / K) - r
# as a degree-3 polynomial; the E term and r added last with the rounding error of their sum carried.  Zero,
# subnormals, negatives, inf and NaN take the rare path: the correctly rounded value here, which is not
# quite MKL's for subnormals (56,110 of log2's and 48,093 of log10's 2**23 subnormal inputs differ by an ulp;
# every normal input is equal, all 2**32 checked).
_LOG2_10 = {
    2: {
        "exponent": 0x3C000000,
        "split": 0x3C7FFF00,
        "k": np.float32(1.4375),
        "top": 184,
        "poly": _floats(0x3E25C86A, 0xBEB2BB8C, 0x3B6CD7E0),
    },
    10: {
        "exponent": 0x3B000000,
        "split": 0x3B7FFF00,
        "k": np.float32(0.43359375),
        "top": 222,
        "poly": _floats(0x3FE35103, 0xBF93D7E4, 0x3AD3D366),
        "log2": _floats(0x3E9A2100, 0xB64AF600),  # log10(2), hi and lo
    },
}


@functools.cache
def _log_table(base: int) -> tuple[np.ndarray, np.ndarray]:
    """log_base(top / k) - 127 (log10: less 127 log10(2) as its hi and lo parts give it), split (hi, lo) as the
    kernels' tables hold it, by k."""
    from decimal import ROUND_HALF_EVEN, Decimal, localcontext  # (here: first use, not import time)

    c = _LOG2_10[base]
    top = c["top"]
    hi, lo = np.zeros(top + 1, np.float32), np.zeros(top + 1, np.float32)
    with localcontext() as context:
        context.prec = 50
        quantum = Decimal(2) ** -14
        if base == 2:
            bias_hi = bias = Decimal(127)
        else:
            log2_hi, log2_lo = (Decimal(float(v)) for v in c["log2"])
            bias_hi, bias = 127 * log2_hi, 127 * (log2_hi + log2_lo)
        for k in range(top // 2, top + 1):  # (rcpps of m' in [1, 2) 2**-s is within (2**(s - 1), 2**s])
            value = (Decimal(top) / Decimal(k)).ln() / Decimal(base).ln()
            # log10(2)'s own hi part where the value is log10(2) (k = 111)
            rounded = (
                log2_hi if base == 10 and k * 2 == top else (value / quantum).quantize(1, ROUND_HALF_EVEN) * quantum
            )
            hi[k] = float(rounded - bias_hi)
            lo[k] = float(value - bias - Decimal(float(hi[k])))
    return hi, lo


def _complex_parts_over_log(function, base: int):
    """numpy's log2 or log10, but for complex torch's Vectorized<complex>::log2/log10 (every element: vml's
    map): log(z) with each part divided by ln(base) in the parts' type."""

    def apply(x: np.ndarray) -> np.ndarray:
        if x.dtype.kind != "c":
            return function(x)
        r = np.asarray(np.log(x))  # (a 0-d array: numpy gives a scalar)
        ln = r.real.dtype.type(math.log(base))
        r.real /= ln
        r.imag /= ln
        return r

    return apply


@_mkl(_complex_parts_over_log(np.log2, 2), np.float32, np.float64)
def log2(x: np.ndarray) -> np.ndarray:
    """torch's CPU log2: MKL's for float32 and float64 (half computed in float); elsewhere numpy's (float32:
    the double rounded once)."""
    return _log64(x, 2) if x.dtype == np.float64 else _log_base(x, 2, np.log2)


@_mkl(_complex_parts_over_log(np.log10, 10), np.float32, np.float64)
def log10(x: np.ndarray) -> np.ndarray:
    """torch's CPU log10, as `log2`."""
    return _log64(x, 10) if x.dtype == np.float64 else _log_base(x, 10, np.log10)


def _log_base(x: np.ndarray, base: int, function) -> np.ndarray:
    c = _LOG2_10[base]
    bits = x.view(np.uint32)
    m = ((bits & np.uint32(0x7FFFFF)) | np.uint32(c["exponent"])).view(np.float32)
    rcp = np.take(_rcpps_table(), (bits >> np.uint32(11)) & np.uint32(0xFFF))
    rcp *= np.float32(1 << (7 if base == 2 else 9))
    k = rcp * c["k"]
    k += np.float32(1.5 * 2**23)
    k -= np.float32(1.5 * 2**23)
    m_hi = (m.view(np.uint32) & np.uint32(c["split"])).view(np.float32)
    m_lo = m - m_hi
    r = m_hi * k
    r -= c["k"]
    m_lo *= k
    r += m_lo
    hi, lo = _log_table(base)
    index = k.astype(np.intp)
    e = np.right_shift(bits, 23).astype(np.int32).astype(np.float32)  # the biased exponent
    if base == 2:
        term = np.take(hi, index)
        term += e
        p = _horner(r, c["poly"])
        p *= r
        total = term + r
        error = term - total
        error += r
        error += np.take(lo, index)
        error += p
    else:
        log2_hi, log2_lo = c["log2"]
        term = e * log2_hi
        term += np.take(hi, index)
        e *= log2_lo
        e += np.take(lo, index)
        p = _horner(r, c["poly"])
        p *= r
        p += e
        total = term + r
        error = term - total
        error += r
        error = p + error
    error += total
    _replace_rare(error, x, ~((x >= np.finfo(np.float32).smallest_normal) & (x <= np.finfo(np.float32).max)), function)
    return error


@functools.cache
def _rcpps_table() -> np.ndarray:
    """rcpps's result for 1 + j / 4096, j < 4096."""
    return (((126 << 23) | (_mantissas(_RCPPS_STEPS, _RCPPS_FIRST, 4) << 11)).astype(np.int32)).view(np.float32)


# vdLn's, vdLog2's and vdLog10's EX kernels (double): x = 2**(E - 1023) m; m' = m 2**-s (s: 10, 9, 10), k =
# round(rcpps(float(m')) c) by adding 1.5 * 2**52 (c: 1, 369/256, 111/256), an integer from K/2 to K (K = c
# 2**s: 1024, 738, 444); r = m' k - c in two parts (m' split at its top 26 mantissa bits); log(m) = log(K / k)
# + log1p(r / c), log(K / k) from a table of (hi: rounded to a multiple of 2**-40, lo: the rest, rounded; both
# less 1023 log(2) in the kernel's split of log(2), whose own parts stand for k = K / 2: the tables equal
# MKL's, all entries compared), log1p(r / c) - r as a polynomial in pairs (c_odd r + c_even) by r**2;
# E log(2) and r added with the rounding error of their sum carried.  Zero, subnormals, negatives, inf and
# NaN take the rare path: the correctly rounded log.
_LOG64 = {
    "e": {
        "exponent": 0x3F50000000000000,
        "split": 0x3F5FFFFFFC000000,
        "c": 1.0,
        "K": 1024,
        "log2": (float.fromhex("0x1.62e42fefa0000p-1"), float.fromhex("0x1.cf79abc9e0000p-40")),
        # log1p(r) - r = r**2 ((c5 r + c4) r**2 + (c3 r + c2))
        "pairs": ((0x3FC9999CACDB4D0A, 0x3FD55555555543C5), (0xBFD0000148058EE1, 0xBFDFFFFFFFFFF81F)),
        "last": 2,  # the pairs' sum times r**2
    },
    2: {
        "exponent": 0x3F60000000000000,
        "split": 0x3F6FFFFFFC000000,
        "c": 1.44140625,
        "K": 738,
        "log2": (1.0, 0.0),
        "pairs": (
            (0xBF9B743CA0B38EEB, 0xBFB563D0FCE18810, 0xBFD6386B9B9B5D42),
            (0x3FA7BE52039FB7CE, 0x3FC48DEAD300E7BF, 0x3F4D4C6D2BC5AEA6),
        ),
        "last": 1,  # times r
    },
    10: {
        "exponent": 0x3F50000000000000,
        "split": 0x3F5FFFFFFC000000,
        "c": 0.43359375,
        "K": 444,
        "log2": (float.fromhex("0x1.34413509f0000p-2"), float.fromhex("0x1.e7fbcc47c0000p-40")),
        "pairs": (
            (0xC025C91A15F7EB9F, 0xC008930964D2FA9B, 0xBFF27AF2DC77B115),
            (0x4016ABA863A166DB, 0x3FFC6A02DC954978, 0x3F5A7A6CBF2E410C),
        ),
        "last": 1,
    },
}


@functools.cache
def _log64_table(base) -> tuple[np.ndarray, np.ndarray]:
    """(hi, lo) of log_base(K / k) - 1023 log_base(2) for k from K/2 to K, as the kernel's table holds them."""
    from decimal import ROUND_HALF_EVEN, Decimal, localcontext  # (here: first use, not import time)

    c = _LOG64[base]
    big = c["K"]
    log2_hi, log2_lo = (Decimal(v) for v in c["log2"])
    hi, lo = np.empty(big // 2 + 1), np.empty(big // 2 + 1)
    with localcontext() as context:
        context.prec = 60
        quantum = Decimal(2) ** -40
        ln_base = Decimal(base).ln() if base != "e" else Decimal(1)
        for j in range(big // 2 + 1):
            value = (Decimal(big) / Decimal(big // 2 + j)).ln() / ln_base
            if j == 0:  # log(2) itself: the kernel's own parts
                hi[j], lo[j] = float(-1022 * log2_hi), float(-1022 * log2_lo)
                continue
            rounded = (value / quantum).quantize(1, ROUND_HALF_EVEN) * quantum - 1023 * log2_hi
            hi[j] = float(rounded)
            lo[j] = float(value - 1023 * (log2_hi + log2_lo) - rounded)
    return hi, lo


_RARE_LOG = {"e": np.log, 2: np.log2, 10: np.log10}


def _log64(x: np.ndarray, base) -> np.ndarray:
    c = _LOG64[base]
    bits = x.view(np.uint64)
    m = ((bits & np.uint64(0x000FFFFFFFFFFFFF)) | np.uint64(c["exponent"])).view(np.float64)
    single = m.astype(np.float32).view(np.uint32)  # (rounded: m' near the next power of two becomes it)
    k = np.take(_rcpps_table(), (single >> np.uint32(11)) & np.uint32(0xFFF)).astype(np.float64)
    k *= np.ldexp(1.0, 127 - (single >> np.uint32(23)).astype(np.int32))
    k *= c["c"]
    k += 1.5 * 2**52
    k -= 1.5 * 2**52
    m_hi = (m.view(np.uint64) & np.uint64(c["split"])).view(np.float64)
    m_lo = m - m_hi
    r = m_hi * k
    r -= c["c"]
    m_lo *= k
    r += m_lo
    index = k.astype(np.intp)
    index -= c["K"] // 2
    hi, lo = _log64_table(base)
    log2_hi, log2_lo = c["log2"]
    e = np.right_shift(bits, np.uint64(52)).astype(np.float64)
    term = e * log2_hi
    term += np.take(hi, index)
    total = term + r
    error = term - total
    error += r
    e *= log2_lo
    e += np.take(lo, index)
    error += e
    r2 = r * r
    odd, even = (_doubles(*half) for half in c["pairs"])
    p = r * odd[0]
    p += even[0]
    for a, b in zip(odd[1:], even[1:]):
        p *= r2
        q = r * a
        q += b
        p += q
    p *= r2 if c["last"] == 2 else r
    error += p
    error += total
    finite = (x >= np.finfo(np.float64).smallest_normal) & (x <= np.finfo(np.float64).max)
    _replace_rare(error, x, ~finite, _RARE_LOG[base])
    return error


# vsTanh's and vdTanh's EX kernels: a polynomial per interval of |x| (vml_tables), evaluated in double, its
# sign from x.  float: the interval by |x|'s exponent and two mantissa bits, from 0.125 (below, the first;
# from 10, the constant 1); p(|x|) by Horner, rounded once to float.  Those p lie within 0.0131 of a float
# ulp (of tanh's binade) from tanh, so the double tanh rounded is the kernel's result but within
# _TANH32_BAND of a float midpoint, where the kernel runs (4 % of the elements): equal to torch on all 2**32
# inputs.  double: the interval by the exponent and three mantissa bits from 0.125 (from 22, the constant
# 1); t = |x| + c12, the degree-8 tail by Horner, and c1 + c2 t summed as a pair: c2 and t split at their
# top 32 bits, c2_hi t_hi exact, its sum with c1 by Knuth's two-sum.  MKL's rare path (inf, NaN; in double
# also |x| below 2**-510 or from 2**1023) gives what the formulas give but for inf (+-1): |x| is clamped
# into the last interval.
@functools.cache
def _table(name: str, dtype: str = "<f8") -> np.ndarray:
    """One of vml_tables' tables, decoded at first use (flat)."""
    import base64  # (here: first use, not import time)

    from . import vml_tables

    return np.frombuffer(base64.b64decode("".join(getattr(vml_tables, name))), dtype)


@functools.cache
def _columns(name: str, width: int, dtype: str = "<f8") -> np.ndarray:
    """A table of entries of `width` numbers as (number, entry): one contiguous row per column, which a
    kernel gathers by its elements' entries."""
    return np.ascontiguousarray(_table(name, dtype).reshape(-1, width).T)


@functools.cache
def _tanh32_by_top_bits() -> np.ndarray:
    """The float kernel's polynomial for every |x| by its bits >> 21 (1024 rows), the index arithmetic done."""
    return _table("TANH32").reshape(27, 8)[np.clip(np.arange(1024) - (0x3DE00000 >> 21), 0, 26)]


@_mkl(np.tanh, np.float32, np.float64)
def tanh(x: np.ndarray) -> np.ndarray:
    """torch's CPU tanh: MKL's for float32 and float64."""
    if x.dtype == np.float32:
        return _tanh32(x)
    result = _tanh64(np.minimum(np.abs(x), 32.0))  # (NaN stays NaN)
    return np.copysign(result, x, out=result)


_TANH32_BAND = round(0.02 * 2**29)  # a float ulp's 0.02, in units of the double's 29 bits below a float's


def _tanh32(x: np.ndarray) -> np.ndarray:
    wide = x.astype(np.float64, order="C")  # (the result too: its flat view is written below)
    np.tanh(wide, out=wide)
    result = wide.astype(np.float32)
    off = np.bitwise_and(wide.view(np.int64), (1 << 29) - 1)  # where the double lies between two floats
    off -= 1 << 28
    np.abs(off, out=off)
    near = np.flatnonzero(off < _TANH32_BAND)
    if near.size:
        x = x.reshape(-1)[near]
        kernel = _tanh32_polynomial(np.bitwise_and(x.view(np.int32), 0x7FFFFFFF)).astype(np.float32)
        result.reshape(-1)[near] = np.copysign(kernel, x, out=kernel)
    return result


def _tanh32_polynomial(magnitude: np.ndarray) -> np.ndarray:
    """The float kernel's polynomial in double, of |x| given as its bits."""
    c = _tanh32_by_top_bits().take(np.right_shift(magnitude, 21), axis=0)
    t = np.minimum(magnitude.view(np.float32), np.float32(16)).astype(np.float64)  # (NaN stays NaN)
    p = c[:, 7] * t
    for k in range(6, 0, -1):
        p += c[:, k]
        p *= t
    p += c[:, 0]
    return p


_HI32 = np.int64(-(1 << 32))  # a double's top 32 bits


def _tanh64(ax: np.ndarray) -> np.ndarray:
    """The double kernel on |x| (clamped), with few fresh arrays (each costs about as much as a step)."""
    index = np.right_shift(ax.view(np.int64), 49)
    index -= 0x3FBE0000 >> 17
    np.maximum(index, 0, out=index)
    np.minimum(index, 59, out=index)
    c = _columns("TANH64", 13)  # (the polynomials by coefficient)

    def coefficient(k: int) -> np.ndarray:
        return c[k].take(index)  # (the method: np.take's wrapper costs more than a short gather)

    t = coefficient(12)
    t += ax
    p = coefficient(11)
    for k in range(10, 2, -1):
        p *= t
        p += coefficient(k)
    p *= t
    p *= t
    p += coefficient(0)
    c2_lo = coefficient(2)
    c2_hi = np.bitwise_and(c2_lo.view(np.int64), _HI32).view(np.float64)
    c2_lo -= c2_hi
    t_hi = np.bitwise_and(t.view(np.int64), _HI32).view(np.float64)
    t_lo = np.subtract(t, t_hi, out=t)
    low = t_lo * c2_hi
    low += np.multiply(c2_lo, t_lo, out=t_lo)
    low += np.multiply(t_hi, c2_lo, out=c2_lo)
    low += p
    product = np.multiply(c2_hi, t_hi, out=c2_hi)
    c1 = coefficient(1)
    total = np.add(c1, product, out=t)
    back = np.subtract(product, total, out=t_hi)  # two-sum's error of c1 + product, as the kernel orders it
    carried = np.add(total, back, out=p)
    back += c1
    product -= carried
    product += back
    product += low
    product += total
    return product


# vsErf's EX kernel (float), every input on one path: a = min(|x|, 3.9296875) (minps: a NaN gives the bound),
# y = a rounded to a multiple of 1/256 by adding 2**15 (0 below 0.013671875), d = a - y; from the table at
# k = 256 y: erf(y) as v (1 + j 2**-29) (v scaled by 2**120; below, |x| where that is smaller) and s =
# 64 exp(-y**2); erf = v + (s d (1 + r) + v j 2**-29 64) / 64 with r = (0.752 y d - 1.128) y d + 0.128 -
# 0.376 d**2 (d taken as 0 below 2**-48), each step rounded in float as written (no fused steps); x's sign
# last.  Equal to torch on all 2**32 inputs.
_ERF32 = _float_constants(
    bound=0x407B8000,  # 3.9296875
    grid=0x3C600000,  # 0.013671875: below, y is 0
    tiny=0x27800000,  # 2**-48: below, d**2 is dropped
    c0=0x3E0375D4,
    c2=0x3EC093B2,
    b1=0x3F4093A6,
    b0=0xBF906EBC,
    scale=0x7B800000,  # 2**120
)


def _special_function(name: str):
    """The shim's erf, erfc or erfinv for the dtypes and CPUs the kernels leave, imported at first use (the
    special functions import vml)."""

    def apply(x: np.ndarray) -> np.ndarray:
        from .._ops import special_functions

        return getattr(special_functions, name)(x)

    return apply


def _erf_from_grid(r: np.ndarray, pair: np.ndarray, d: np.ndarray, ax: np.ndarray, shift: int, mask: int, scale, tail):
    """vsErf's and vdErf's last steps: from the grid point's pair, its value v (the first number's low bits,
    times `scale`; |x| where that is smaller: minps with |x| second, so a NaN comes through) with its next
    bits j (the first number's bits from `shift` up) and its slope s (the second number):
    erf = v + (s d (1 + r) + v j ulp(1)) tail."""
    unsigned = np.uint32 if r.dtype == np.float32 else np.uint64
    v = pair[..., 0]
    j = np.right_shift(v.view(unsigned), unsigned(shift))
    j |= np.ones(1, r.dtype).view(unsigned)  # 1 + j ulp(1)
    v = np.bitwise_and(v.view(unsigned), unsigned(mask)).view(r.dtype)
    v = np.minimum(v, ax)
    v *= scale
    j = j.view(r.dtype)
    j *= v
    j -= v
    w = np.multiply(pair[..., 1], d, out=d)
    r *= w
    r += j
    r += w
    r *= tail
    r += v
    return r


@_mkl(_special_function("erf"), np.float32, np.float64)
def erf(x: np.ndarray) -> np.ndarray:
    """torch's CPU erf of float32 and float64: MKL's."""
    return _erf32(x) if x.dtype == np.float32 else _erf64(x)


def _erf32(x: np.ndarray) -> np.ndarray:
    c = _ERF32
    bits = x.view(np.int32)
    ax = np.bitwise_and(bits, 0x7FFFFFFF).view(np.float32)
    a = np.fmin(ax, c["bound"])
    y = a + np.float32(2**15)
    pair = _table("ERF32", "<i8").take(y.view(np.int32) - 0x47000000).view(np.float32).reshape(*x.shape, 2)
    y -= np.float32(2**15)
    y *= a >= c["grid"]
    d = a - y
    dd = d * (a > c["tiny"])
    dd *= dd
    dd *= c["c2"]
    q = np.subtract(c["c0"], dd, out=dd)
    y *= d  # y d
    r = y * c["b1"]
    r += c["b0"]
    r *= y
    r += q
    r = _erf_from_grid(r, pair, d, ax, 26, 0x03FFFFFF, c["scale"], np.float32(2**-6))
    r.view(np.int32)[...] ^= bits & np.int32(-(1 << 31))
    return r


# vdErf's EX kernel (double), vsErf's in double: a = min(|x|, 5.9921875), y = a rounded to a multiple of
# 1/128 by adding 2**45 (0 below 0.02734375), d = a - y (d**2 taken as 0 below 2**-256), u = y d; from the
# table: erf(y) as v (1 + j 2**-52) (v scaled by 2**1016) and s = 2**32 exp(-y**2); erf = v + (s d (1 + r)
# + v j 2**-52 2**32) 2**-32 with r = 0.128 + u (...) + d**2 (...), the polynomials in u and d**2 as the
# kernel nests them; x's sign last.  Equal to torch on 5e6 random and special doubles.
_ERF64 = _doubles(
    0x3FC4A21DA72D2522,
    0xBFC81277CD9C0EDF,
    0x3FBCE2F21A042BE2,  # a(u)
    0x3F7565BCD0E6A53F,
    0xBF9B82CE31288B51,  # b(d**2)
    0x3FD00C4F4DF93FE6,
    0xBFDCE2F500D00E98,
    0x3FE20DD75042830E,
    0xBFD812746B0379E7,  # c(u)
    0xBFA9AD4AC8DE7654,
    0x3FC341F806247CEC,
    0xBFD812746B036AD0,
    0x3FE812746B036E4C,
    0xBFF20DD750429B6D,  # e(u)
    0x3FC06EBA8214DB69,
)


def _erf64(x: np.ndarray) -> np.ndarray:
    c = _ERF64
    bits = x.view(np.int64)
    ax = np.bitwise_and(bits, np.int64(2**63 - 1)).view(np.float64)
    a = np.fmin(ax, 5.9921875)
    y = a + 2.0**45
    pair = _table("ERF64").reshape(-1, 2).take(y.view(np.int64) - 0x42C0000000000000, axis=0).view(np.float64)
    y -= 2.0**45
    y *= a >= 0.02734375
    d = a - y
    dd = d * (a > 2.0**-256)
    dd *= dd
    u = np.multiply(y, d, out=y)
    r = _horner(u, c[0:3])
    b = _horner(dd, c[3:5])
    b *= dd
    b += r
    b *= dd
    b += _horner(u, c[5:9])
    b *= dd
    e = _horner(u, c[9:14])
    e *= u
    e += c[14]
    b += e
    b = _erf_from_grid(b, pair, d, ax, 32, 0x007FFFFFFFFFFFFF, 2.0**1016, 2.0**-32)
    b.view(np.int64)[...] ^= bits & np.int64(-(1 << 63))
    return b


# vsErfc's EX kernel (float): a = min(|x|, 10.046875), y = a rounded to a multiple of 1/64 by adding 2**17,
# a raised to 2**-32, d = a - y, u = y d; from the table at k = 64 y: c = erfc(y) 2**64, and s, the scale
# of its slope (c's exponent with the second float's low 26 bits added to it as integers) with j, its top
# six bits; erfc(|x|) 2**64 = (c - s d) - s ((u**2 P(u) - u) d + Q(u) d**3 - j 2**-29), s d split (s at
# its top 8 mantissa bits, the product's rounding error carried), each step rounded in float as written;
# then r 2**-64 for a positive x, (r - 2**65) (-2**-64) = 2 - r 2**-64 for a negative one.  From
# 10.054194 (where erfc reaches half the smallest subnormal) and for NaN, MKL's rare path: the correctly
# rounded erfc.  Equal to torch on all 2**32 inputs.
_ERFC32 = _float_constants(
    bound=0x4120C000,  # 10.046875
    floor=0x2F800000,  # 2**-32
    rare=0x4120DDFB,  # 10.054194
    p1=0xBD362FD7,
    p2=0x3E08A294,
    p3=0xBEAAAAA7,
    p4=0x3F2AAAA8,
    q1=0xBECD2E81,
    q2=0x3F004465,
    q3=0xBEAAAA8B,
)


@_mkl(_special_function("erfc"), np.float32, np.float64)
def erfc(x: np.ndarray) -> np.ndarray:
    """torch's CPU erfc of float32 and float64: MKL's."""
    if x.dtype == np.float64:
        return _erfc64(x)
    c = _ERFC32
    bits = x.view(np.int32)
    a = np.fmin(np.bitwise_and(bits, 0x7FFFFFFF).view(np.float32), c["bound"])  # (minps: NaN gives the bound)
    y = a + np.float32(2**17)
    pair = _table("ERFC32", "<i8").take(y.view(np.int32) - 0x48000000).view(np.int32).reshape(*x.shape, 2)
    y -= np.float32(2**17)
    d = np.maximum(a, c["floor"], out=a)
    d -= y
    u = np.multiply(y, d, out=y)
    p = _horner(u, (c["p1"], c["p2"], c["p3"], c["p4"]))
    q = _horner(u, (c["q1"], c["q2"], c["q3"]))
    q *= d
    q *= d
    q *= d
    top = pair[..., 1]
    j = np.right_shift(top.view(np.uint32), 26)
    j |= np.uint32(0x3C800000)  # (1 + j 2**-23) / 64
    j = j.view(np.float32)
    j -= np.float32(0.015625)
    q -= j
    p *= u * u  # (u**2 first: the kernel's order)
    p -= u
    p *= d
    p += q
    value = pair[..., 0]
    scale = np.bitwise_and(value, 0x7F800000)
    scale += np.bitwise_and(top, 0x03FFFFFF)
    r = _erfc_tail(p, scale.view(np.float32), value.view(np.float32), d, np.int32(-0x8000))
    sign = np.bitwise_and(bits, np.int32(-(1 << 31)))
    r += (sign | 0x5F800000).view(np.float32) + np.float32(-(2.0**64))  # (0, or -2**65 for a negative x)
    r *= (sign | 0x1F800000).view(np.float32)  # +-2**-64
    _replace_rare(r, x, ~(x < c["rare"]), _special_function("erfc"), negative_nan=False)
    return r


def _erfc_tail(p: np.ndarray, scale: np.ndarray, value: np.ndarray, d: np.ndarray, top) -> np.ndarray:
    """The erfc kernels' last steps: value - s d - s p, s d's leading part (s's bits under `top`: sign,
    exponent and 8 or 9 mantissa bits) subtracted first with its rounding error carried.  Overwrites its
    arguments."""
    p *= scale
    scale_hi = (scale.view(top.dtype) & top).view(scale.dtype)
    scale -= scale_hi
    scale *= d
    product = np.multiply(d, scale_hi, out=d)
    r = value - product
    value -= r
    product -= value  # (the rounding error of value - s_hi d)
    p += scale
    p += product
    r -= p
    return r


# vdErfc's EX kernel (double), vsErfc's in double: |x| (at most 27.2421875, at least 2**-128) rounded to g, a
# multiple of 1/128, by adding 2**45; r = |x| - g, u = g r; the entry for g (vml_tables.ERFC64): erfc(g)
# 2**128, the slope s (its exponent relative to erfc(g)'s) and a correction k 2**-61; erfc(|x|) 2**128 =
# erfc(g) 2**128 - r s - s ((u**2 A(u) - u) r + (u B(u) + r**2 (r**2 D(u) + u C(u))) r**3 - k), A, B, C, D
# polynomials by Horner, r s_hi (s's top 9 mantissa bits) subtracted with its rounding error carried; then
# 2 - erfc(|x|) for a negative x, both by adding 0 or -2**129 and scaling by +-2**-128 (which rounds the
# subnormal results from 26.55 on).  From 27.226 on (the smallest subnormal, then 0) and NaN: the rare path,
# the correctly rounded value (_erfc64_rare).
_ERFC64 = {
    "bound": 27.2421875,
    "floor": 2.0**-128,
    "rare": float.fromhex("0x1.b39dc41e48bfdp+4"),  # 27.226017
    "a": _doubles(
        0x3EFAEC468D02A083,
        0xBF2282607C399DBF,
        0x3F471DE30B781626,
        0xBF6A019F74E36970,
        0x3F8A01A01A0F4F8C,
        0xBFA6C16C16CC1D1D,
        0x3FC111111111108F,
        0xBFD55555555554D9,
        0x3FE5555555555555,
    ),
    "b": _doubles(
        0x3F64D516D3DB4588,
        0xBF844103D0FA9378,
        0x3FA1110FFD4FA97F,
        0xBFB861848A3AC063,
        0x3FCC71C71CB27AB6,
        0xBFD9999999D359A6,
        0x3FDFFFFFFFFFF778,
    ),
    "c": _doubles(0x3FA30107685FC1EF, 0xBFB561B8921C8BC7, 0x3FC24921081BABF0, 0xBFC55550D7299C73),
    "c0": _doubles(0x3FB999999B2E0D33)[0],
    "d": _doubles(0x3FA5766603986421, 0xBF9898A47706CFA8),
    "d0": _doubles(0xBFD5555555555019)[0],
}


def _erfc64(x: np.ndarray) -> np.ndarray:
    c = _ERFC64
    a = np.fmin(np.abs(x), c["bound"])  # (minpd: NaN gives the bound)
    g = a + 2.0**45
    words = _table("ERFC64", "<u8").reshape(-1, 2).take(g.view(np.int64) & 0xFFF, axis=0)
    g -= 2.0**45
    r = np.maximum(a, c["floor"], out=a)
    r -= g
    u = np.multiply(g, r, out=g)
    high = _horner(u, c["a"])
    high *= u * u
    high -= u
    middle = _horner(u, c["b"])
    middle *= u
    low = _horner(u, c["c"])
    low *= u
    low += c["c0"]
    r2 = r * r
    d = _horner(u, c["d"])
    d *= r2
    d += low
    d *= r2
    d += c["d0"]
    middle += d
    middle *= r2 * r
    value, top = words[..., 0], words[..., 1]
    k = ((top >> np.uint64(55)) | np.uint64(0x3F60000000000000)).view(np.float64)
    k -= 2.0**-9  # (k 2**-61)
    middle -= k
    high *= r
    high += middle
    scale = ((value & np.uint64(0x7FF0000000000000)) + (top & np.uint64(0x007FFFFFFFFFFFFF))).view(np.float64)
    result = _erfc_tail(high, scale, value.view(np.float64), r, np.int64(-(1 << 43)))
    negative = np.signbit(x)
    result += np.where(negative, -(2.0**129), 0.0)
    result *= np.where(negative, -(2.0**-128), 2.0**-128)
    rare = ~(x < c["rare"])
    if rare.any():
        result[rare] = _erfc64_rare(x[rare])
    return result


_SQRT_PI_DIGITS = "1.7724538509055160272981674833411451827975494561223871282138"


def _erfc64_rare(x: np.ndarray) -> np.ndarray:
    """erfc from 27.226 on, correctly rounded as MKL's rare path gives it (the smallest subnormal, then 0):
    exp(-x**2) / (x sqrt(pi)) times the asymptotic series 1 - 1 / (2 x**2) + 3 / (2 x**2)**2 - ..., in decimal
    arithmetic element by element (its terms fall below 1e-28 by the thirteenth); a NaN passes through."""
    from decimal import Decimal, localcontext  # (here: the rare path, at first use)

    out = np.where(np.isnan(x), x * x, 0.0)  # (a NaN quieted, as the kernel's x * x does)
    for i in np.flatnonzero(x < 27.23):  # (beyond, erfc rounds to 0)
        with localcontext() as context:
            context.prec = 40
            v = Decimal(float(x[i]))
            v2 = v * v
            term = total = Decimal(1)
            for k in range(1, 14):
                term *= -(2 * k - 1) / (2 * v2)
                total += term
            out[i] = float((-v2).exp() * total / (v * Decimal(_SQRT_PI_DIGITS)))
    return out


# vsAtan's EX kernel (float): a = |x| in one of five intervals, split at 0.375, 0.72, 1.75 and 2.6875, each
# with a point c whose atan is a float pair (0; atan(1/2), atan(1), atan(2); pi/2 for the last):
# atan(a) = atan(c) + atan(t), t = (a - c) / (1 + a c) as num / den in float (a, (a - 0.5) / (0.5 a + 1),
# (a - 1) / (a + 1), (a - 2) / (2 a + 1), -1 / a); the division in double from rcpps's estimate r,
# e = 1 - den r, (e r + r) (e**2 + 1) num, split into float hi (its top 24 bits) and lo; then atan(t) =
# t_hi + (lo + t_hi s P(s**2)) with s = t_hi**2 (P's two halves by Estrin's split), plus atan(c)'s parts,
# each step rounded as written; x's sign last.  |x| below 2**-125 or from 2**123 (and inf, NaN) take MKL's
# rare path: the correctly rounded atan.  Equal to torch on all 2**32 inputs.
_ATAN32_BOUNDS = tuple(np.int32(b) for b in (0x3EC00000, 0x3F3851EC, 0x3FE00000, 0x402C0001))  # (|x|'s bits)
# per interval: the scale k with num = a (k < 2) - k, den = a k + (k < 2) (the kernel's a - c and its
# 1 + a c, the same roundings: the products are exact), and atan(c) as float bits (hi, lo)
_ATAN32_SCALES = np.array([0, 0.5, 1, 2, 1], np.float32)
_ATAN32_OFFSETS = np.array(
    [(0, 0), (0x3EED6338, 0x31AC3768), (0x3F490FD8, 0x34288858), (0x3F8DB710, 0xB4DA2880), (0x3FC90FD8, 0x34A88858)],
    np.uint32,
).view(np.int64)[:, 0]
_ATAN32_POLY = _floats(0x3DAE1329, 0x3E4CAA3B, 0xBE0F4E4E, 0xBEAAAA6C)


@functools.cache
def _rcpps_scaled() -> np.ndarray:
    """_rcpps_table's bits with the exponent bias added: rcpps(x) = entry - x's exponent bits."""
    return _rcpps_table().view(np.int32) + (127 << 23)


def _rcpps(x: np.ndarray) -> np.ndarray:
    """rcpps of positive normal floats: the measured estimate for the mantissa's top 12 bits, scaled by the
    exponent; 0 from 2**126 (and for inf), whose reciprocal the instruction flushes."""
    bits = x.view(np.int32)
    top = np.bitwise_and(np.right_shift(bits, 11), 0xFFF).astype(np.intp)
    estimate = _rcpps_scaled().take(top)
    estimate -= np.bitwise_and(bits, 0x7F800000)
    estimate *= bits < 0x7E800000
    return estimate.view(np.float32)


@_mkl(np.arctan, np.float32, np.float64)
def atan(x: np.ndarray) -> np.ndarray:
    """torch's CPU atan of float32 and float64: MKL's."""
    return _atan32(x) if x.dtype == np.float32 else _atan64(x)


def _atan32(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.int32)
    magnitude = np.bitwise_and(bits, 0x7FFFFFFF)
    a = magnitude.view(np.float32)
    interval = np.zeros(x.shape, np.intp)
    for bound in _ATAN32_BOUNDS:
        interval += magnitude >= bound
    scale = _ATAN32_SCALES.take(interval)
    below = (interval < 4).astype(np.float32)
    num = a * below
    num -= scale
    den = a * scale
    den += below
    r = _rcpps(den).astype(np.float64)
    e = den.astype(np.float64)
    e *= r
    np.subtract(1.0, e, out=e)
    r_e = e * r
    r_e += r
    e *= e
    e += 1.0
    e *= r_e
    e *= num
    hi = np.bitwise_and(e.view(np.int64), np.int64(-(1 << 29))).view(np.float64)
    offset = _ATAN32_OFFSETS.take(interval).view(np.float32).reshape(*x.shape, 2)
    lo = (e - hi).astype(np.float32)
    t = hi.astype(np.float32)
    lo += offset[..., 1]
    s = t * t
    s2 = s * s
    p = s2 * _ATAN32_POLY[0]
    p += _ATAN32_POLY[1]
    p *= s
    q = s2 * _ATAN32_POLY[2]
    q += _ATAN32_POLY[3]
    p += q
    p *= s
    p *= t
    p += lo
    p += t
    p += offset[..., 0]
    p.view(np.int32)[...] |= bits & np.int32(-(1 << 31))
    _replace_rare(p, x, np.add(magnitude, 0x7F000000) > -0x4000001, np.arctan, negative_nan=False)
    return p


# vdAtan's EX kernel: vsAtan's reduction in double, at the points 0, 0.5, 1, 1.5 (split at |x| = 0.4375,
# 0.6875, 1.1875, 2.4375 by its top 32 bits) and -1 / a from there (pi/2), with num and den as pairs (a split
# at its top 26 mantissa bits), den_hi's reciprocal from rcpps of it as a float and refined by
# r (1 - e + e**2 - ... - e**5); atan(t) = t + t s P(s**2) with s = t**2 (P in two halves by Estrin's split),
# each step rounded as written; x's sign last.  |x| below 2**-1020 or from 2**993 (inf, NaN) take MKL's rare
# path: the correctly rounded atan.  Equal to torch on 5e6 random and special doubles.
_ATAN64_BOUNDS = (0x3FDC0000, 0x3FE60000, 0x3FF30000, 0x40038000)  # (|x|'s top 32 bits)
# per interval: c, then 1 where the kernel reduces about c (0: -1 / a), and atan(c) as a (hi, lo) pair
_ATAN64_INTERVALS = np.array(
    [
        _doubles(0, 0x3FF0000000000000, 0, 0),
        _doubles(0x3FE0000000000000, 0x3FF0000000000000, 0x3FDDAC670561BB4F, 0x3C7A2B7F222F65E2),
        _doubles(0x3FF0000000000000, 0x3FF0000000000000, 0x3FE921FB54442D18, 0x3C81A62633145C07),
        _doubles(0x3FF8000000000000, 0x3FF0000000000000, 0x3FEF730BD281F69B, 0x3C7007887AF0CBBD),
        _doubles(0x3FF0000000000000, 0, 0x3FF921FB54442D18, 0x3C91A62633145C07),
    ]
).T.copy()
_ATAN64_POLY = _doubles(
    0x3F8BE4FBE6733718,
    0x3FA6AD5558FE19C9,
    0x3FAE12F1EDF7C393,
    0x3FB3B132B731E73A,
    0x3FBC71C719F99F96,
    0x3FC9999999998F43,  # (the even half)
    0xBFA04CD71F92185E,
    0xBFAA9E755CA13D23,
    0xBFB1108D326C68ED,
    0xBFB745D119677A4F,
    0xBFC2492492441A21,
    0xBFD5555555555552,
)
_TOP27 = np.int64(-(1 << 27))  # a double's top 26 mantissa bits


def _split27(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hi = np.bitwise_and(v.view(np.int64), _TOP27).view(np.float64)
    return hi, v - hi


def _atan64(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.int64)
    a = np.bitwise_and(bits, np.int64(2**63 - 1)).view(np.float64)
    top = np.right_shift(a.view(np.int64), 32)
    interval = np.zeros(x.shape, np.intp)
    for bound in _ATAN64_BOUNDS:
        interval += top > bound
    c, reduce, atan_hi, atan_lo = (row.take(interval) for row in _ATAN64_INTERVALS)
    a_hi, a_lo = _split27(a)
    num = a_hi * reduce
    num -= c
    num_lo = a_lo * reduce
    s = num - num_lo
    num_lo -= s - num  # (the rounding error of num - num_lo)
    s_hi, s_lo = _split27(s)
    s_lo += num_lo
    den = c * a_hi
    den += reduce
    c_lo = c * a_lo
    d = c_lo + den
    den -= d
    den += c_lo  # (the rounding error of den + c a_lo)
    d_hi, d_lo = _split27(d)
    d_lo += den
    r = _rcpps(d_hi.astype(np.float32)).astype(np.float64)
    e = d_hi * r
    e -= 1.0
    e += d_lo * r
    q = e * e
    q -= e
    for step in (np.add, np.subtract, np.add, np.subtract):
        q *= e
        step(q, e, out=q)
    q *= r
    t_lo = s_lo * r
    t_lo += q * s_hi + s_lo * q
    t_hi = s_hi * r
    t = t_hi + t_lo
    t2 = t * t
    t4 = t2 * t2
    p = _horner(t4, _ATAN64_POLY[:5])
    p *= t4
    p += _ATAN64_POLY[5]
    q = _horner(t4, _ATAN64_POLY[6:11])
    q *= t4
    q += _ATAN64_POLY[11]
    p *= t2
    p += q
    t_lo += atan_lo
    p *= t2
    p *= t
    p += t_lo
    p += t_hi
    p += atan_hi
    p.view(np.int64)[...] |= bits & np.int64(-(1 << 63))
    _replace_rare(p, x, (np.add(top, 0x7FD00000).astype(np.int32)) > -0x2300001, np.arctan, negative_nan=False)
    return p


# vsAsin's, vsAcos's, vdAsin's and vdAcos's EX kernels: w = (1 - |x|) / 2 and z = min(x**2, w); asin(|x|) is
# |x| + |x| z P(z) for z = x**2 (|x| below 0.5), else pi/2 - 2 asin(sqrt(w)) with sqrt(2 w) as s + corr:
# s = 2 w y from rsqrtps's y (of w as a float; its low bits cleared, 0 for w below a floor), 2 w (and in
# float s) split at their top bits, e = 2 w y**2 - 2 from the parts, corr = c(e) (s e) - (2 w)_lo y with c a
# short polynomial (0.25 - 0.094 e in float, degree 3 in double); acos the same pieces about pi/2 (|x| below
# 0.5) or 0 and pi (x positive or negative); each step rounded as written.  |x| above 1 (acos: NaN too) takes
# MKL's rare path: NaN.  Float equal to torch on all 2**32 inputs, double on 7e6 random and special ones.
_ASIN = {
    np.float32: {
        "poly": _floats(0x3D2EDC07, 0x3CC32A6B, 0x3D3A9AB4, 0x3D997C12, 0x3E2AAAFF),
        "correction": _floats(0xBDC00004, 0x3E800001),
        "half_pi": _floats(0x3FC90FDB, 0xB33BBD2E),  # (hi, lo)
        "pi": _floats(0x40490FDB, 0xB3BBBD2E),
    },
    np.float64: {
        "poly": _doubles(
            0x3FA07520C70EB909,
            0xBF90FB17F7DBB0ED,
            0x3F943F44BFBC3BAE,
            0x3F7A583395D45ED5,
            0x3F88F8DC2AFCCAD6,
            0x3F8C6DBBCB88BD57,
            0x3F91C6DCF538AD2E,
            0x3F96E89CEBDEFADD,
            0x3F9F1C72E13AD8BE,
            0x3FA6DB6DB3B445F8,
            0x3FB333333337E0DE,
            0x3FC555555555529C,
        ),
        "correction": _doubles(0xBF918000993B24C3, 0x3FA400006F70D42D, 0xBFB7FFFFFFFFFE97, 0x3FCFFFFFFFFFFF9D),
        "half_pi": _doubles(0x3FF921FB54442D18, 0x3C91A62633145C07),
        "pi": _doubles(0x400921FB54442D18, 0x3CA1A62633145C07),
    },
}


def _asin32_parts(w: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sqrt(2 w) as s + corr (s's low bits from rsqrtps), and z P(z) (the series' tail over x, in z): float."""
    y, _ = _rsqrtps32(w)
    y = np.bitwise_and(y.view(np.int32), np.int32(-0x1000)).view(np.float32)
    y *= ~(w < np.float32(2**-32))
    twice = w + w
    twice_hi = np.bitwise_and(twice.view(np.int32), np.int32(-0x2000)).view(np.float32)
    twice -= twice_hi  # (its lo part)
    s = twice_hi * y
    s_lo = twice * y
    s_hi = np.bitwise_and(s.view(np.int32), np.int32(-0x2000)).view(np.float32)
    e = s_hi * y
    e += np.float32(-2)
    e += y * s_lo
    e += (s - s_hi) * y
    se = s + s_lo
    se *= e
    c = _ASIN[np.float32]["correction"]
    corr = e * c[0]
    corr += c[1]
    corr *= se
    corr -= s_lo
    c = _ASIN[np.float32]["poly"]
    p = z * c[0]
    p += c[1]
    p *= z * z
    q = z * c[2]
    q += c[3]
    p += q
    p *= z
    p += c[4]
    p *= z
    return s, corr, p


def _asin64_parts(w: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_asin32_parts in double: rsqrtps of w rounded to float, its top 16 bits; P by Estrin's scheme."""
    y = _rsqrtps32(w.astype(np.float32))[0].astype(np.float64)
    y = np.bitwise_and(y.view(np.int64), np.int64(-(1 << 40))).view(np.float64)
    y *= ~(w < 2.0**-255)
    twice = w + w
    twice_hi = np.bitwise_and(twice.view(np.int64), np.int64(-(1 << 26))).view(np.float64)
    twice -= twice_hi  # (its lo part)
    s = twice_hi * y
    s_lo = twice * y
    e = y * s
    e += -2.0
    e += y * s_lo
    se = s + s_lo
    se *= e
    corr = _horner(e, _ASIN[np.float64]["correction"])
    corr *= se
    corr -= s_lo
    c = _ASIN[np.float64]["poly"]
    z2 = z * z
    p = _horner(z, c[0:2])
    p *= z2
    p += _horner(z, c[2:4])
    q = _horner(z, c[4:6])
    q *= z2
    q += _horner(z, c[6:8])
    p *= z2 * z2
    p += q
    p *= z2
    p += _horner(z, c[8:10])
    p *= z
    p += c[10]
    p *= z
    p += c[11]
    p *= z
    return s, corr, p


def _asin_pieces(x: np.ndarray) -> tuple:
    """What asin and acos share: |x|, x's sign bit, w, z, small (z = x**2, below w), s, corr, z P(z), the
    dtype's constants."""
    ints = np.int32 if x.dtype == np.float32 else np.int64
    sign_bit = np.iinfo(ints).min
    sign = x.view(ints) & sign_bit
    a = np.bitwise_and(x.view(ints), ~sign_bit).view(x.dtype)
    w = a * x.dtype.type(-0.5)
    w += x.dtype.type(0.5)
    z = a * a
    small = z < w
    s, corr, p = (_asin32_parts if x.dtype == np.float32 else _asin64_parts)(w, np.minimum(z, w))
    return a, sign, w, small, s, corr, p, _ASIN[x.dtype.type]


@_mkl(np.arcsin, np.float32, np.float64)
def asin(x: np.ndarray) -> np.ndarray:
    """torch's CPU asin of float32 and float64: MKL's."""
    a, sign, w, small, s, corr, p, c = _asin_pieces(x)
    hi, lo = c["half_pi"]
    near_one = hi - s  # (|x| from 0.5: pi/2 - s, its rounding error carried in the low part)
    low = (hi - near_one) - s
    low += corr + lo
    low *= ~small  # (+0 below 0.5, as the kernel adds it)
    r = np.where(small, a, corr - s)
    r *= p
    r += low
    r += np.where(small, a, near_one)
    r.view(sign.dtype)[...] ^= sign
    _replace_rare(r, x, a > 1, np.arcsin, negative_nan=False)
    return r


@_mkl(np.arccos, np.float32, np.float64)
def acos(x: np.ndarray) -> np.ndarray:
    """torch's CPU acos of float32 and float64: MKL's."""
    a, sign, w, small, s, corr, p, c = _asin_pieces(x)
    negative = ~small & ~(w < x)  # (from 0.5 on: x below 0 takes pi, above 0 takes 0)
    corr *= ~small
    base = np.where(small, -a, s)
    zero = x.dtype.type(0)
    low = np.where(small, c["half_pi"][1], np.where(negative, c["pi"][1], zero))
    low.view(sign.dtype)[...] ^= sign
    low -= corr
    r = base - corr
    r *= p
    r += low
    r += base
    r.view(sign.dtype)[...] ^= sign
    r += np.where(small, c["half_pi"][0], np.where(negative, c["pi"][0], zero))
    _replace_rare(r, x, ~(a <= 1), np.arccos, negative_nan=False)
    return r


# vsErfInv's and vdErfInv's EX kernels: w = 1 - |x| and its rounding error d = (1 - w) - |x|; by w's exponent
# and top mantissa bits (float: three, double: two) an entry of vml_tables.ERFINV32 or ERFINV64; t = w's
# remaining mantissa bits as 1.m less 1.0625 (double: 1.125), t' = t + d 2**-e (w in [2**e, 2**(e + 1)));
# erfinv(x) / x = S = lead + slope t + P(t') with P the table's polynomial by Horner (float: P's last step
# adds slope t's low part first), slope t from t's top bits (float: 12, double: 26) and the rest, S's own top
# bits split off; erfinv = x S as the sum of three partial products.  Every step in the input's type.  |x|
# at most 2**-24 (double: about 2**-53), from 1 on, and NaN take the rare path: x sqrt(pi) / 2 for the tiny
# (float: the double product rounded once; double: _erfinv64_tiny's scaled pair product), +-inf at +-1;
# beyond, float gives the CPU's default NaN (negative), double a positive one; a NaN passes through, quieted.
_ERFINV = {
    np.float32: {
        "main": (0x33800001, 0x3F7FFFFF),  # (|x|'s bits)
        "table": ("ERFINV32", "<f4", 8),
        "unit": 0x3F800000,
        "scale": 0x7F000000,  # (less w's exponent bits: 2**-e)
        "last": (1015, 20),  # entry = last[0] - (w's bits >> last[1])
        "mantissa": 0xFFFFF,
        "offset": 1.0625,
        "top": -4096,
        "degree": 5,
        "nan": 0xFFC00000,
    },
    np.float64: {
        "main": (0x3CA0000100000000, 0x3FEFFFFFFFFFFFFF),
        "table": ("ERFINV64", "<f8", 17),
        "unit": 0x3FF0000000000000,
        "scale": 0x7FE0000000000000,
        "last": (0xFFB, 50),
        "mantissa": 0x3FFFFFFFFFFFF,
        "offset": 1.125,
        "top": -(1 << 27),
        "degree": 14,
        "nan": 0x7FF8000000000000,
    },
}
_SQRT_PI_HALF = float.fromhex("0x1.c5bf891b4ef6bp-1")


@_mkl(_special_function("erfinv"), np.float32, np.float64)
def erfinv(x: np.ndarray) -> np.ndarray:
    """torch's CPU erfinv: MKL's for float32 and float64 (half: the shim's double erfinv, special_functions)."""
    c = _ERFINV[x.dtype.type]
    f, ints = x.dtype.type, np.dtype(f"i{x.itemsize}")
    a = np.abs(x)
    bits = a.view(ints)
    rare = (bits < c["main"][0]) | (bits > c["main"][1])  # (NaN's bits are above)
    w = f(1) - a
    d = f(1) - w
    d -= a
    bits = w.view(ints)
    d *= (ints.type(c["scale"]) - (bits & ints.type(c["unit"]))).view(f)
    name, layout, width = c["table"]
    entry = c["last"][0] - (bits >> c["last"][1])
    entry[rare] = 0
    columns, buffer = _columns(name, width, layout), np.empty_like(x)

    def column(k: int) -> np.ndarray:  # (each coefficient gathered into its own run: no strided reads)
        return np.take(columns[k], entry, out=buffer)

    t = ((bits & ints.type(c["mantissa"])) | ints.type(c["unit"])).view(f)
    t -= f(c["offset"])
    d += t  # t'
    top = ints.type(c["top"])
    degree = c["degree"]
    t_hi = (t.view(ints) & top).view(f)
    t_lo = d - t_hi
    slope = column(degree + 2)
    t_lo *= slope
    t_hi *= slope
    lead = column(degree + 1).copy()
    if x.dtype == np.float32:  # (P ends with the slope's low part; S's top bits from the whole sum)
        p = _horner_gathered(d, column, range(degree, -1, -1))
        p += t_lo
        s_hi = t_hi + p
        s_hi += lead
        s_hi = (s_hi.view(ints) & top).view(f)
        s_lo = lead - s_hi
        s_lo += t_hi
        s_lo += p
    else:  # (S's top bits from the lead and the slope's top part; P added to S's low part last)
        p = _horner_gathered(d, column, range(degree, 0, -1))
        p *= d
        p += column(0)
        s_hi = ((lead + t_hi).view(ints) & top).view(f)
        s_lo = lead - s_hi
        s_lo += t_hi
        s_lo += t_lo
        p += s_lo
        s_lo = p
    x_hi = (x.view(ints) & top).view(f)
    x_lo = x - x_hi
    s_lo *= x
    x_lo *= s_hi
    s_lo += x_lo
    x_hi *= s_hi
    s_lo += x_hi
    if rare.any():
        s_lo[rare] = _erfinv_rare(x[rare], c["nan"])
    return s_lo


def _erfinv_rare(x: np.ndarray, nan_bits: int) -> np.ndarray:
    """The rare path's values: +-inf at +-1, NaN beyond, a NaN quieted, and x sqrt(pi) / 2 for the tiny (float:
    the double product rounded once; double: _erfinv64_tiny)."""
    a = np.abs(x)
    if x.dtype == np.float32:
        r = (x.astype(np.float64) * _SQRT_PI_HALF).astype(np.float32)
    else:
        r = _erfinv64_tiny(x)
    r[a == 1] = np.copysign(np.inf, x[a == 1])
    unsigned = x.dtype.str.replace("f", "u")
    r[a > 1] = np.array(nan_bits, unsigned).view(x.dtype)
    nan = np.isnan(x)
    quiet = np.array(1 << (np.finfo(x.dtype).nmant - 1), unsigned)
    r[nan] = (x[nan].view(unsigned) | quiet).view(x.dtype)
    return r


# vdErfInv's rare path for |x| below 2**-35: x scaled by 2**256 and split (Veltkamp, by 1.5 * 2**36 + 1 and
# -1.5 * 2**36); x sqrt(pi) / 2 as hi x_hi + (lo x + hi x_lo) (sqrt(pi) / 2 = hi + lo, hi of 10 bits), scaled
# back by 2**-256; a subnormal result is rounded by adding 2**-766 with x's sign, whose mantissa bits are then
# the subnormal's.  A zero is kept.
_ERFINV64_TINY = _doubles(0x4238000000010000, 0xC238000000000000, 0x3FEC5C0000000000, 0xBECDB92C4255618F)


def _erfinv64_tiny(x: np.ndarray) -> np.ndarray:
    up, down, hi, lo = _ERFINV64_TINY
    scaled = x * 2.0**256
    x_hi = down * scaled
    x_hi += up * scaled
    x_lo = scaled - x_hi
    p = x_hi * hi
    q = scaled * lo
    q += x_lo * hi
    s = p + q
    r = s * 2.0**-256
    sub = np.abs(s) < 2.0**-766
    if sub.any():
        bias = np.copysign(2.0**-766, x[sub])
        u = s[sub] + bias
        v = down * u
        v += up * u
        w = p[sub] - (v - bias)
        w += q[sub]
        w += v
        r[sub] = (w.view(np.uint64) & np.uint64(0x800FFFFFFFFFFFFF)).view(np.float64)
    r[x == 0] = x[x == 0]
    return r


def _horner_gathered(t: np.ndarray, column, order) -> np.ndarray:
    """(((c[k0] t + c[k1]) t + ...) t + c[kn]) per element, each product and sum rounded; column(k): the
    elements' coefficient k (a buffer reused between calls)."""
    order = iter(order)
    p = column(next(order)) * t
    p += column(next(order))
    for k in order:
        p *= t
        p += column(k)
    return p
