"""torch's pointwise float math bit for bit, where the shim computes it as torch's CPU kernels do: MKL's
vector math (sqrt, exp, log, log2, log10, sin, cos, tan, tanh, asin, acos, atan, erf, erfc, erfinv and
special.ndtr's erf, on float32 and float64), Sleef's (exp2, expm1, log1p, atanh, sinh, cosh on float32, exp2
and log1p on float64 too; the scalar loops of exp2, atanh, sinh and cosh: glibc's) and glibc's (asinh,
acosh: torch has no vector kernel for them; sinc's sinf), logit (MKL's log of the odds on a dense input,
Sleef's and glibc's logf otherwise), the modified Bessel functions (Cephes' Chebyshev series as Math.h sums
them, times glibc's exp), and the activations whose loops call Sleef's and glibc's exp, expm1, log1p and
tanh (sigmoid, silu, softplus and logsigmoid in float and double; mish, elu, selu, celu in float), over
values of every magnitude (subnormals, the largest floats, infinities, NaNs and negatives included),
contiguous and through a strided view.

Compared by bits on the CPUs the shim models (MODELLED below), elsewhere to torch's tolerance.  The shim's
reconstructions are of MKL's generic kernels, the ones MKL runs on AMD CPUs (shim/_cpu/vml.py); sin, cos
and tan are drawn within |x| <= 10000, beyond which MKL switches to a long argument reduction (float64's
from 65536 on) the shim does not reproduce (it rounds the double function there, or takes numpy's double
one: 0.1-1 % of those inputs differ by an ulp); log2's and log10's rare path for subnormals is not
reproduced either (float: 0.6-0.7 % of them differ by an ulp; double: 1 in 1e6), so their draws skip
subnormals."""

from __future__ import annotations

from hypothesis import strategies as st

from shim._cpu.capability import capability
from shim._cpu.vml import emulates_mkl

from ..registry import case

# MKL picks its kernels by CPU: the bits are compared where the shim models this CPU's (AMD family 19h),
# elsewhere to torch's tolerance (the shim's values are then the correctly rounded ones)
MODELLED = emulates_mkl()

_SMALLEST_NORMAL = {"float32": 2.0**-126, "float64": 2.0**-1022}

# op -> the dtypes whose bits the shim reproduces, and the largest |x| drawn (None: any float)
_OPS = {
    "sqrt": (("float32", "float64"), None),
    "exp": (("float32", "float64"), None),
    "log": (("float32", "float64"), None),
    "log2": (("float32", "float64"), None),
    "log10": (("float32", "float64"), None),
    "sin": (("float32", "float64"), 1e4),
    "cos": (("float32", "float64"), 1e4),
    "tan": (("float32", "float64"), 1e4),
    "tanh": (("float32", "float64"), None),
    "asin": (("float32", "float64"), None),
    "acos": (("float32", "float64"), None),
    "atan": (("float32", "float64"), None),
    "erf": (("float32", "float64"), None),
    "erfc": (("float32", "float64"), None),
    "erfinv": (("float32", "float64"), None),
    "special.ndtr": (("float32", "float64"), None),
    "exp2": (("float32", "float64"), None),
    "expm1": (("float32", "float64"), None),
    "log1p": (("float32", "float64"), None),
    "atanh": (("float32", "float64"), None),
    "sinh": (("float32", "float64"), None),
    "cosh": (("float32", "float64"), None),
    "asinh": (("float32", "float64"), None),
    "acosh": (("float32", "float64"), None),
    "sinc": (("float32", "float64"), None),
    "logit": (("float32",), None),
    "i0": (("float32", "float64"), None),
    "special.i0e": (("float32", "float64"), None),
    "special.i1": (("float32", "float64"), None),
    "special.i1e": (("float32", "float64"), None),
    "digamma": (("float32", "float64"), None),
    "lgamma": (("float32", "float64"), None),
    "special.entr": (("float32", "float64"), None),
    "sigmoid": (("float32", "float64"), None),
    "nn.functional.silu": (("float32", "float64"), None),
    **dict.fromkeys(
        (f"nn.functional.{name}" for name in ("softplus", "mish", "elu", "selu", "celu", "logsigmoid")),
        (("float32", "float64"), None),
    ),
}


@st.composite
def _inputs(draw):
    op = draw(st.sampled_from(sorted(_OPS)), label="op")
    dtypes, bound = _OPS[op]
    dtype = draw(st.sampled_from(dtypes), label="dtype")
    width = 32 if dtype == "float32" else 64
    if bound is None:
        anything = st.floats(width=width)
    else:
        anything = st.floats(-bound, bound, width=width) | st.sampled_from([float("inf"), float("-inf"), float("nan")])
    ordinary = st.floats(-100, 100, width=width)
    elements = ordinary | anything
    if op in ("log2", "log10"):
        elements = elements.filter(lambda v: not 0 < abs(v) < _SMALLEST_NORMAL[dtype])
    values = draw(st.lists(elements, min_size=1, max_size=70), label="values")  # (exp2: 32+ for vector lanes)
    return op, dtype, values


@case(covers=tuple(_OPS), exact=MODELLED, ulps=0 if MODELLED else 1, inputs=_inputs())
def float_math_bits(xp, inputs):
    """The op on a contiguous tensor, on every other element (the strided loop torch runs through a
    buffer), and on a 0-d tensor."""
    op, dtype, values = inputs
    x = xp.tensor(values, dtype=getattr(xp, dtype))
    namespace, _, name = op.rpartition(".")
    fn = getattr({"": xp, "special": xp.special, "nn.functional": xp.nn.functional}[namespace], name)
    return fn(x), fn(x[::2]), fn(x[0])


# Sleef's and glibc's bits do not depend on the CPU's vendor, only on torch running its AVX2 or AVX512 kernels
VECTOR_KERNELS = capability() in ("AVX2", "AVX512")

_EXPONENTS = (2.5, -1.7, 1 / 3, 0.1, 7.0, -3.0, 2 + 1e-9, -1e-177, 1e10)
_SPECIAL = (0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1e-40, 3.0, -3.0)


def _special_pairs(xp, fn, dtype=None):
    """fn over every pair of special values, in the vector loop (contiguous) and the scalar loop (strided)."""
    grid = xp.tensor(_SPECIAL, dtype=dtype or xp.float32)
    a, b = grid.repeat_interleave(len(_SPECIAL)), grid.repeat(len(_SPECIAL))
    wide_a, wide_b = xp.stack([a, a]).t(), xp.stack([b, b]).t()
    return fn(a, b), fn(wide_a[:, 0], wide_b[:, 0])


@st.composite
def _pow_inputs(draw):
    anything = st.floats(width=32)
    ordinary = st.floats(0, 30, width=32) | st.floats(-30, 30, width=32).map(round)
    n = draw(st.integers(1, 70), label="n")  # (32 and more: vector lanes; fewer: glibc's powf alone)
    bases = draw(st.lists(ordinary | anything, min_size=n, max_size=n), label="bases")
    exponents = draw(st.lists(st.floats(-4, 4, width=32) | anything, min_size=n, max_size=n), label="exponents")
    return bases, exponents, draw(st.sampled_from(_EXPONENTS), label="scalar exponent")


@case(covers=("pow",), exact=VECTOR_KERNELS, ulps=0 if VECTOR_KERNELS else 1, inputs=_pow_inputs())
def pow_bits(xp, inputs):
    """float32 and float64 pow: of two tensors (Sleef's pow in the vector loop, glibc's in the scalar loop),
    of a tensor and a scalar exponent without a kernel of its own (Sleef's pow, float's with the exponent as
    a float; the double pow), each contiguous, strided and 0-d; and the gradients of the first (at::pow of
    self and exponent - 1: the same kernels)."""
    bases, exponents, e = inputs
    results = []
    for dtype in (xp.float32, xp.float64):
        x = xp.tensor(bases, dtype=dtype, requires_grad=True)
        y = xp.tensor(exponents, dtype=dtype, requires_grad=True)
        z = xp.pow(x, y)
        results += [z, xp.pow(x[::2], y[::2]), xp.pow(x[0], y[0]), x**e, x[::2] ** e, _special_pairs(xp, xp.pow, dtype)]
        results += [*xp.autograd.grad(z.sum(), (x, y)), *xp.autograd.grad((x**e).sum(), x)]
    return results


@case(covers=("atan2", "hypot", "angle"), exact=VECTOR_KERNELS, ulps=0 if VECTOR_KERNELS else 1, inputs=_pow_inputs())
def atan2_bits(xp, inputs):
    """float32 and float64 atan2 (Sleef's atan2 in the vector loop, glibc's in the scalar loop) and half's
    (in float): contiguous, strided, 0-d and broadcast; hypot likewise (Sleef's u05 hypot in double's vector
    loop); the angle of complex64 and complex128 numbers (the same atan2s of their parts) and its gradient."""
    ys, xs, _ = inputs
    results = []
    for dtype in (xp.float32, xp.float64):
        y, x = xp.tensor(ys, dtype=dtype), xp.tensor(xs, dtype=dtype)
        for op in (xp.atan2, xp.hypot):
            results += [op(y, x), op(y[::2], x[::2]), op(y[0], x[0]), op(y, x[0]), _special_pairs(xp, op, dtype)]
        z = xp.complex(x, y).requires_grad_()
        angle = xp.angle(z)
        results += [
            angle,
            xp.angle(z[::2]),
            xp.angle(z[0]),
            _special_pairs(xp, lambda a, b: xp.angle(xp.complex(a, b)), dtype),
        ]
        results += xp.autograd.grad(angle, z, xp.tensor(ys, dtype=dtype))
    yh, xh = xp.tensor(ys).repeat(3).half(), xp.tensor(xs).repeat(3).half()  # (half's vector loop: blocks of 64)
    return results, xp.atan2(yh, xh), xp.atan2(yh[::2], xh[::2])


@case(covers=("logaddexp", "logaddexp2"), exact=VECTOR_KERNELS, ulps=0 if VECTOR_KERNELS else 1, inputs=_pow_inputs())
def logaddexp_bits(xp, inputs):
    """float32 and float64 logaddexp: max + log1p(exp(-|a - b|)) with Sleef's exp and log1p in the vector
    loop, glibc's in the scalar loop; logaddexp2 the same with exp2, its last multiply-add by 1 / ln 2 fused,
    and in half (computed in float); contiguous, strided, 0-d, and every pair of special values."""
    a, b, _ = inputs
    results = []
    for dtype in (xp.float32, xp.float64):
        x, y = xp.tensor(a, dtype=dtype), xp.tensor(b, dtype=dtype)
        for op in (xp.logaddexp, xp.logaddexp2):
            results += [op(x, y), op(x[::2], y[::2]), op(x[0], y[0]), _special_pairs(xp, op, dtype)]
    x, y = xp.tensor(a, dtype=xp.half), xp.tensor(b, dtype=xp.half)
    return results, xp.logaddexp2(x, y), xp.logaddexp2(x[::2], y[::2])


@case(covers=("nn.functional.gelu",), exact=VECTOR_KERNELS, ulps=0 if VECTOR_KERNELS else 1, inputs=_pow_inputs())
def gelu_bits(xp, inputs):
    """float32 GELU where torch runs its own kernel: the tanh form everywhere (Sleef's tanhf in the vector
    loop, glibc's tanhf in the scalar loop), the erf form on inputs that are not contiguous (Vectorized<float>
    ::erf, glibc's erff), and their backward (the tanh form's: Sleef's tanhf or glibc's, three multiply-adds
    fused; the erf form's: Vectorized erf and Sleef's expf in the vector loop of a transposed input and
    gradient, glibc's functions in the scalar loop of a strided one); half in float, rounded once (the
    erf form's last multiply-add unfused there); both forms in double too (Sleef's tanh, erf and exp); a
    contiguous float input's erf form goes to oneDNN (gelu_onednn_bits)."""
    values, others, _ = inputs
    x = xp.tensor(values, dtype=xp.float32)
    strided = xp.tensor(values + [0.5, -1.5, 2.0], dtype=xp.float32)[::2]  # (2+ elements: not contiguous)
    gelu = xp.nn.functional.gelu
    rows = xp.tensor(values * 2 + [0.5, -1.5], dtype=xp.float32).view(2, -1).requires_grad_()
    transposed = gelu(rows.t())
    transposed.backward(xp.ones_like(transposed))  # (ones laid out as the result: both operands transposed)
    vector_loop = rows.grad.clone()
    rows.grad = None
    gelu(rows[:, ::2]).sum().backward()
    forward = gelu(x, approximate="tanh"), gelu(x[::2], approximate="tanh"), gelu(x[0], approximate="tanh")
    tanh_input = xp.tensor(values + [0.5, -1.5], dtype=xp.float32, requires_grad=True)
    gelu(tanh_input, approximate="tanh").backward(xp.tensor(others + [1.0, -2.0], dtype=xp.float32))
    tanh_strided = tanh_input.detach().clone().requires_grad_()
    gelu(tanh_strided[::2], approximate="tanh").sum().backward()
    halves = xp.tensor(values + [0.5, -1.5], dtype=xp.float16, requires_grad=True)
    half_results = [gelu(halves, approximate=form) for form in ("none", "tanh")]
    (half_results[0].sum() + half_results[1][::2].sum()).backward()
    results = forward, gelu(strided), transposed, vector_loop, rows.grad, tanh_input.grad, tanh_strided.grad
    doubles = xp.tensor(values + [0.5, -1.5], dtype=xp.float64, requires_grad=True)
    double_results = [gelu(doubles, approximate=form) for form in ("tanh", "none")]
    double_results += [gelu(doubles[::2], approximate=form) for form in ("tanh", "none")]
    sum(r.sum() for r in double_results).backward()
    return results, half_results, halves.grad, double_results, doubles.grad


@case(covers=("nn.functional.gelu",), exact=VECTOR_KERNELS, ulps=0 if VECTOR_KERNELS else 1, inputs=_pow_inputs())
def gelu_onednn_bits(xp, inputs):
    """float32 GELU's erf form where torch hands it to oneDNN (a contiguous input of two elements or more):
    a minimax erf over 24 intervals on avx512_core, Abramowitz and Stegun's erf over oneDNN's exp on avx2;
    and its backward (oneDNN's on either ISA), with a gradient of drawn values and with sum()'s expanded
    ones, in one and two dims."""
    values, others, _ = inputs
    x = xp.tensor(values + [0.5, -5.6], dtype=xp.float32, requires_grad=True)
    y = xp.nn.functional.gelu(x)
    y.backward(xp.tensor(others + [1.0, -2.0], dtype=xp.float32))
    rows = x.detach()[: x.numel() // 2 * 2].view(2, -1).requires_grad_()
    z = xp.nn.GELU()(rows)
    z.sum().backward()
    return y, x.grad, z, rows.grad


# the activations and losses whose backward kernels call exp, log1p and tanh (Sleef's on the vector loop's
# lanes, glibc's in the scalar loop) or fuse multiply-adds as GCC contracts them (tanh, mish), or multiply by
# a float constant (hardsigmoid's 1.0f / 6.0f)
_GRADIENTS = (
    "tanh", "sigmoid", "nn.functional.softplus", "nn.functional.mish", "nn.functional.elu",
    "nn.functional.selu", "nn.functional.celu", "nn.functional.logsigmoid", "nn.functional.hardsigmoid",
    "nn.functional.silu", "nn.functional.binary_cross_entropy_with_logits",
)  # fmt: skip


@case(
    covers=_GRADIENTS,
    version=False,  # (torch's BCE-with-logits backward updates its buffer in place, sub_, mul_, div_: version 3)
    exact=MODELLED and VECTOR_KERNELS,
    ulps=0 if MODELLED and VECTOR_KERNELS else 4,
    op=st.sampled_from(_GRADIENTS),
    dtype=st.sampled_from(["float32", "float16", "float64"]),
    seed=st.integers(0, 2**16),
    shape=st.sampled_from([(1,), (37,), (200,), (13, 9)]),
)
def activation_grad_bits(xp, op, dtype, seed, shape):
    """The op and its gradient on seeded normal values (times 3), on a contiguous input (its vector loop and
    scalar tail) and, in two dims, a transposed one (the lanes follow the result's layout)."""
    xp.manual_seed(seed)
    x = (xp.randn(*shape) * 3).to(getattr(xp, dtype))
    upstream = xp.randn(*shape).to(x.dtype)
    target = (xp.randn(*shape) > 0).to(x.dtype)
    namespace, _, name = op.rpartition(".")
    fn = getattr(xp.nn.functional if namespace else xp, name)
    results = []
    for layout in (x, x.t()) if x.dim() == 2 else (x,):
        leaf = layout.detach().requires_grad_()
        y = fn(leaf, target if layout is x else target.t()) if "entropy" in name else fn(leaf)
        results += [
            y,
            *xp.autograd.grad(y, leaf, upstream if y.dim() and layout is x else upstream.t() if y.dim() else None),
        ]
    return results


@case(
    covers=("softmax", "log_softmax", "nn.functional.cross_entropy"),
    exact=VECTOR_KERNELS,
    ulps=0 if VECTOR_KERNELS else 4,
    op=st.sampled_from(["softmax", "log_softmax", "cross_entropy"]),
    dtype=st.sampled_from(["float32", "float64", "float16"]),
    seed=st.integers(0, 2**16),
    shape=st.sampled_from([(1, 7), (4, 10), (3, 37), (16, 3), (2, 100), (5, 8, 6)]),
    dim=st.sampled_from([0, -1]),
)
def softmax_bits(xp, op, dtype, seed, shape, dim):
    """softmax, log_softmax (along the last dim and another, and on a transposed input) and cross_entropy of
    seeded logits (times 4), with their gradients: Sleef's exp (and log) on the vector loop's lanes and in
    vec::map's partial vector, glibc's in the scalar columns, vec::reduce_all's lane sums, fused steps; half
    in float, its row sums and their logs stored as half."""
    xp.manual_seed(seed)
    x = (xp.randn(*shape) * 4).to(getattr(xp, dtype))
    upstream = xp.randn(*shape).to(x.dtype)
    results = []
    for layout in (x, x.transpose(0, -1)):
        leaf = layout.detach().requires_grad_()
        if op == "cross_entropy":
            y = xp.nn.functional.cross_entropy(leaf, xp.arange(leaf.shape[0]) % leaf.shape[1])
            results += [y, *xp.autograd.grad(y, leaf)]
        else:
            y = getattr(leaf, op)(dim)
            results += [y, *xp.autograd.grad(y, leaf, upstream if layout is x else upstream.transpose(0, -1))]
    return results
