"""The rest of torch's pointwise math (erf and gamma families, hyperbolic inverses, sinc, logit, angle
conversions, and the binary and ternary functions), each in every form torch offers, drawn per example."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import available, call, covers, forms
from ..registry import case
from ..strategies import ALL, FLOATS, INTS, NUMERIC, REAL, broadcastable, scalars, tensors
from .float_math import VECTOR_KERNELS

# name: (value regime, exact?, ulps of slack); torch computes the special functions with its own or the C
# library's algorithms in the input's precision, the shim in double rounded once: values agree within
# assert_close's tolerances, and exactly where the case says so
UNARY = {
    "acosh": ("any", False, 2),
    "asinh": ("any", False, 2),
    "atanh": ("any", False, 2),
    "arccosh": ("any", False, 2),
    "arcsinh": ("any", False, 2),
    "arctanh": ("any", False, 2),
    "erf": ("any", False, 2),
    "erfc": ("any", False, 2),
    "erfinv": ("unit", False, 2),
    "lgamma": ("any", False, 4),
    "digamma": ("any", False, 4),
    "i0": ("any", False, 4),
    "sinc": ("any", False, 4),
    "deg2rad": ("any", True, 0),
    "rad2deg": ("any", True, 0),
    "signbit": ("any", True, 0),
    "logit": ("unit", False, 2),
    "fix": ("any", True, 0),
    "absolute": ("any", True, 0),
    "negative": ("any", True, 0),
    "arccos": ("any", False, 2),
    "arcsin": ("any", False, 2),
    "arctan": ("any", False, 2),
    "sgn": ("any", True, 0),
    "angle": ("any", False, 2),
}


def unary_forms(xp, form, op, x):
    return call(xp, form, op, x)


for _op, (_regime, _exact, _ulps) in UNARY.items():
    case(
        name=f"{_op}_forms",
        covers=covers(_op),
        grad=True,
        exact=_exact,
        ulps=_ulps,
        forms=len(available(_op)),
        form=forms(_op),
        op=_op,
        x=tensors(dtypes=ALL, regime=_regime, requires_grad=st.booleans()),
    )(unary_forms)


@case(
    covers=covers("logit"),
    grad=True,
    ulps=2,
    form=forms("logit"),
    x=tensors(dtypes=FLOATS, regime="unit", requires_grad=st.booleans()),
    eps=st.none() | st.sampled_from([0.0, 1e-6, 0.1, 0.5]),
)
def logit_eps(xp, form, x, eps):
    return call(xp, form, "logit", x, eps)


# polygamma: calc_digamma, calc_trigamma and zeta (half's accumulated in float) with their fused steps and
# the C library's sin, pow and powf: bit for bit where torch runs its vector-capable builds
@case(
    covers=covers("polygamma"),
    grad=True,
    exact=VECTOR_KERNELS,
    ulps=0 if VECTOR_KERNELS else 4,
    form=forms("polygamma"),
    x=tensors(dtypes=REAL, requires_grad=st.booleans()),
    n=st.integers(-1, 4),
)
def polygamma_case(xp, form, x, n):
    if form == "function":
        return xp.polygamma(n, x)
    if form == "out":
        out = xp.empty(0)
        r = xp.polygamma(n, x, out=out)
        return r, r is out
    return call(xp, form, "polygamma", x, n)


@case(
    covers=covers("mvlgamma"),
    grad=True,
    ulps=4,
    form=forms("mvlgamma"),
    x=tensors(dtypes=REAL, regime="positive", requires_grad=st.booleans()),
    p=st.integers(0, 4),
)
def mvlgamma_case(xp, form, x, p):
    return call(xp, form, "mvlgamma", x + 1.5, p)


# -- binary ---------------------------------------------------------------------------------------------------
# name: (dtypes of the operands, exact?, ulps)
BINARY = {
    "xlogy": (ALL, False, 2),
    "hypot": (ALL, False, 1),
    "copysign": (ALL, True, 0),
    "nextafter": (ALL, True, 0),
    "fmax": (ALL, True, 0),
    "fmin": (ALL, True, 0),
    "logaddexp": (ALL, False, 2),
    "logaddexp2": (ALL, False, 2),
    "gcd": (REAL, True, 0),
    "lcm": (REAL, True, 0),
    "bitwise_left_shift": (REAL, True, 0),
    "bitwise_right_shift": (REAL, True, 0),
    "heaviside": (ALL, True, 0),
    "igamma": (REAL, False, 4),
    "igammac": (REAL, False, 4),
    "ldexp": (NUMERIC, True, 0),
    "float_power": (ALL, False, 2),
    "arctan2": (REAL, False, 2),
}


# lcm at a signed type's minimum: std::abs overflows in torch's gcd, which can then come out -1, and
# INT_MIN / -1 raises SIGFPE, killing the process (lcm(int32 min, int32 max)); those values are not drawn
_REGIME = {"lcm": "finite"}


def binary_forms(xp, form, op, pair):
    a, b = pair
    return call(xp, form, op, a, b)


def binary_scalar_forms(xp, form, op, x, s):
    return call(xp, form, op, x, s)


for _op, (_dtypes, _exact, _ulps) in BINARY.items():
    case(
        name=f"{_op}_forms",
        covers=covers(_op),
        grad=True,
        exact=_exact,
        ulps=_ulps,
        form=forms(_op),
        op=_op,
        pair=broadcastable(2, dtypes=_dtypes, regime=_REGIME.get(_op, "any"), requires_grad=st.booleans()),
    )(binary_forms)
    case(  # a Python number as `other`: accepted, or refused with the argument parser's error
        name=f"{_op}_scalar_forms",
        covers=covers(_op),
        exact=_exact,
        ulps=_ulps,
        form=forms(_op),
        op=_op,
        x=tensors(dtypes=_dtypes, regime=_REGIME.get(_op, "any")),
        s=scalars(("int", "float"), regime=_REGIME.get(_op, "any")),
    )(binary_scalar_forms)


@case(
    covers=("<<", ">>", "<<=", ">>=", "reflected <<", "reflected >>"),
    exact=True,
    pair=broadcastable(2, dtypes=INTS),
    s=st.integers(-2, 70),
)
def shift_operators(xp, pair, s):
    a, b = pair
    out = [a << b, a >> b, a << s, a >> s]
    c = a.clone()
    c <<= b
    out.append(c)
    c >>= s
    out.append(c)
    for left, right in ((s, a), (s, b)):
        try:
            out.append((left << right, left >> right))
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


@case(
    covers=covers("frexp"),
    grad=True,
    exact=True,
    form=forms("frexp"),
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
)
def frexp_case(xp, form, x):
    return call(xp, form, "frexp", x)


# -- ternary --------------------------------------------------------------------------------------------------
@case(
    covers=covers("addcmul", "addcdiv"),
    grad=True,
    ulps=1,
    op=st.sampled_from(["addcmul", "addcdiv"]),
    form=st.sampled_from(["function", "method", "inplace", "out"]),
    triple=broadcastable(3, dtypes=ALL, requires_grad=st.booleans()),
    value=st.sampled_from([1, 2, -0.5, 0.25, True, 1j]),
)
def addc_forms(xp, op, form, triple, value):
    a, t1, t2 = triple
    return call(xp, form, op, a, t1, t2, value=value)
