"""torch.special: every function the shim provides, as a function and with out=, over every dtype (torch's
refusals of half and complex included) and with gradients where torch has them.

Bit for bit (where torch runs its AVX2 or AVX512 kernels, whose Math.h code GCC compiles with fused
multiply-adds): i0, i0e, i1, i1e, the Bessel and Airy functions (Cephes in the input's precision, each sum
fused as GCC contracts it, glibc's exp, log, sin and cos), zeta (in double, glibc's pow and powf) and ndtri.
Tolerances: erfcx and log_ndtr read Faddeeva's tables as torch does, bit for bit in double and in float up
to erfcx's continued fraction (x above 50; log_ndtr below about -70), whose float evaluation is not
reproduced: a few ulps there.  The orthogonal
polynomials follow torch's recurrences with its fused multiply-adds and, for large degrees, its trigonometric
forms with the C library's acos, cos and sin: compared by bits too.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call
from ..registry import case
from ..strategies import ALL, FLOATS, REAL, tensors
from .float_math import VECTOR_KERNELS

# name: (value regime, ulps of slack)
UNARY = {
    "digamma": ("any", 4),
    "psi": ("any", 4),
    "erf": ("any", 2),
    "erfc": ("any", 2),
    "erfinv": ("unit", 2),
    "erfcx": ("any", 8),
    "exp2": ("any", 2),
    "expm1": ("any", 2),
    "log1p": ("any", 2),
    "expit": ("any", 2),
    "gammaln": ("any", 4),
    "i0": ("any", 4),
    "i0e": ("any", 8),
    "i1": ("any", 8),
    "i1e": ("any", 8),
    "ndtr": ("any", 2),
    "ndtri": ("unit", 0),
    "log_ndtr": ("any", 8),
    "entr": ("any", 2),
    "sinc": ("any", 4),
    **dict.fromkeys(
        [
            "bessel_j0",
            "bessel_j1",
            "bessel_y0",
            "bessel_y1",
            "modified_bessel_i0",
            "modified_bessel_i1",
            "modified_bessel_k0",
            "modified_bessel_k1",
            "scaled_modified_bessel_k0",
            "scaled_modified_bessel_k1",
            "spherical_bessel_j0",
            "airy_ai",
        ],
        ("any", 8),
    ),
}
# compared by bits where torch runs its vector-capable builds (see the docstring)
CEPHES_EXACT = {
    "i0", "i0e", "i1", "i1e", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0",
    "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1", "spherical_bessel_j0", "airy_ai",
}  # fmt: skip
BINARY = {"xlogy": 2, "xlog1py": 2, "zeta": 8}
# provided but not yet conforming, so without a case (the meter lists them): gammainc and gammaincc
# (torch.igamma's asymptotic series for a ~ x large and its subnormal and huge-a edges, which the shim's
# igamma and igammac lack)
POLYNOMIALS = [f"{prefix}chebyshev_polynomial_{kind}" for prefix in ("", "shifted_") for kind in "tuvw"] + [
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
]


def special_unary(xp, form, op, x):
    return call(xp, form, f"special.{op}", x)


for _op, (_regime, _ulps) in UNARY.items():
    _exact = VECTOR_KERNELS and _op in CEPHES_EXACT
    case(
        name=f"special_{_op}",
        covers=(f"special.{_op}",),
        grad=True,
        exact=_exact,
        ulps=0 if _exact else _ulps,
        forms=2,
        form=st.sampled_from(["function", "out"]),
        op=_op,
        x=tensors(dtypes=ALL, regime=_regime, requires_grad=st.booleans()),
    )(special_unary)


def special_binary(xp, form, op, x, other, scalar_first):
    if scalar_first:  # the (Number, Tensor) overload
        x = x.flatten()[0].item() if x.numel() else 2.0
    return call(xp, form, f"special.{op}", x, other)


for _op, _ulps in BINARY.items():
    _exact = VECTOR_KERNELS and _op == "zeta"  # (its pow and powf the C library's; computed in double)
    case(
        name=f"special_{_op}",
        covers=(f"special.{_op}",),
        grad=True,
        exact=_exact,
        ulps=0 if _exact else _ulps,
        forms=2,
        form=st.sampled_from(["function", "out"]),
        op=_op,
        x=tensors(dtypes=REAL, regime="positive" if _op != "xlogy" else "any", requires_grad=st.booleans()),
        other=tensors(dtypes=REAL, regime="positive" if _op != "xlogy" else "any", requires_grad=st.booleans()),
        scalar_first=st.booleans() if _op in ("xlog1py", "zeta") else False,
    )(special_binary)


# x finite: at NaN, torch's recurrences return a variable their loop never set (uninitialized memory)
@case(
    covers=tuple(f"special.{p}" for p in POLYNOMIALS),
    exact=VECTOR_KERNELS,
    ulps=0 if VECTOR_KERNELS else 4,
    form=st.sampled_from(["function", "out"]),
    op=st.sampled_from(POLYNOMIALS),
    x=tensors(dtypes=ALL, regime="finite"),
    n=st.integers(-1, 12) | tensors(dtypes=FLOATS + ("int64",), regime="exact", max_dims=1),
)
def special_polynomials(xp, form, op, x, n):
    n = n if isinstance(n, int) else (n.abs() * 4).round()
    return call(xp, form, f"special.{op}", x, n)


@case(
    covers=("special.logit", "special.polygamma", "special.multigammaln", "special.round"),
    grad=True,
    ulps=4,
    form=st.sampled_from(["function", "out"]),
    op=st.sampled_from(["logit", "polygamma", "multigammaln", "round"]),
    x=tensors(dtypes=ALL, regime="unit", requires_grad=st.booleans()),
    k=st.integers(0, 3),
)
def special_parametrized(xp, form, op, x, k):
    if op == "logit":
        return call(xp, form, f"special.{op}", x, [None, 1e-6, 0.1, 0.25][k])
    if op == "polygamma":
        return call(xp, form, f"special.{op}", k, x)
    if op == "multigammaln":
        return call(xp, form, f"special.{op}", x + 2.5, k + 1)
    return call(xp, form, f"special.{op}", x * 100, decimals=k - 1)


@case(
    covers=("special.softmax", "special.log_softmax", "special.logsumexp"),
    grad=True,
    ulps=2,
    op=st.sampled_from(["softmax", "log_softmax", "logsumexp"]),
    x=tensors(dtypes=FLOATS, regime="finite", min_dims=1, requires_grad=st.booleans()),
    dim=st.integers(-1, 0),
    keepdim=st.booleans(),
)
def special_softmaxes(xp, op, x, dim, keepdim):
    if op == "logsumexp":
        return xp.special.logsumexp(x, dim, keepdim)
    return getattr(xp.special, op)(x, dim)
