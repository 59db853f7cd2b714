"""torch's float matrix products bit for bit on random values, in the shapes and layouts whose summation order
the shim models (shim/_cpu/mkl_gemm.py): MKL's gemm adds a small product's rounded products in k order
(a single row; 2 or 3 rows; 2, 4 or 8 columns; columns 5-11 up to 7 terms, and from 8 on in chunks of four
on some rows of the first columns), a larger float32 one as fused
multiply-adds in blocks of k (4, 8 or 12 and more rows, 12 columns and more; 5-7 or 9-11 rows split between
that kernel and the small one), a larger double one as fused multiply-adds in groups of 12 columns, and
nn.Linear's x @ W.T with up to 11 outputs (or 3 rows) in four lanes.  Each product through `@`, addmm with
a bias (taken into the sum first or added last, by layout) and, for the lanes, nn.functional.linear.
Vectors (shim/_cpu/mkl_dot.py): MKL's dot in 16-byte lanes and four accumulators (dot, vdot, inner and
matmul of two vectors, at an offset from a boundary too), and its gemv on a row-major matrix (mv, a matrix
times a vector, a single column: nn.Linear(k, 1)).

Compared by bits where the shim models this CPU's MKL (MODELLED), elsewhere to a tolerance (numpy's BLAS then
stands in, within BLAS rounding).  The fused blocks are numpy's own products of each block, where numpy's
BLAS kernel sums in k order as fused multiply-adds (OpenBLAS's on AMD family 19h; on family 1Ah its sgemm
sums otherwise and its dgemm only up to 256 terms), so those regimes have cases of their own, compared by bits
where a probe finds numpy's kernel so (BLOCKS_MODELLED), elsewhere to the tolerance."""

from __future__ import annotations

from hypothesis import strategies as st

from shim._cpu.mkl_gemm import fused_blocks_modelled

from ..registry import case
from .float_math import MODELLED

BLOCKS_MODELLED = MODELLED and fused_blocks_modelled()

# regime: (dtypes, rows, terms, columns, layouts of a and b: C row-major, F column-major)
_REGIMES = {
    "one row": (("float32", "float64"), st.just(1), st.integers(1, 300), st.integers(1, 40), ("CC", "FC")),
    "two or three rows": (
        ("float32", "float64"),
        st.integers(2, 3),
        st.integers(2, 200),
        st.sampled_from([2, 4, 8, 12, 16, 24, 32]),
        ("CC", "FC"),
    ),
    "narrow": (
        ("float32", "float64"),
        st.integers(4, 40),
        st.integers(2, 200),
        st.sampled_from([2, 4, 8]),
        ("CC", "FC"),
    ),
    "short": (("float32",), st.integers(4, 40), st.integers(2, 7), st.integers(5, 11), ("CC", "FC")),
    "chunks of four": (  # (the first n % 4 columns on some rows)
        ("float32",),
        st.integers(2, 40),
        st.integers(8, 400),
        st.sampled_from([5, 6, 7, 10, 11]),
        ("CC", "FC"),
    ),
}
# numpy's products of each block of k (float32) or group of columns (double)
_BLOCK_REGIMES = {
    "double groups": (
        ("float64",),
        st.integers(4, 40),
        st.integers(2, 300),
        st.integers(6, 30).map(lambda half: 2 * half),  # (even: the rows past a multiple of 4 in k order)
        ("CC", "FC"),
    ),
    "fused blocks": (
        ("float32",),
        st.sampled_from([4, 8]) | st.integers(12, 48),
        st.integers(1, 420),  # (one block up to 192 terms, halves up to 384, then blocks of 192)
        st.integers(12, 48),
        ("CC", "CF", "FC", "FF"),
    ),
    "split rows": (
        ("float32",),
        st.sampled_from([5, 6, 7, 9, 10, 11]),
        st.integers(5, 300),
        st.sampled_from([20, 24, 32, 48, 64]),
        ("CC", "FC"),
    ),
}


@st.composite
def _products(draw, regimes):
    regime = draw(st.sampled_from(sorted(regimes)), label="regime")
    dtypes, rows, terms, columns, layouts = regimes[regime]
    shape = (draw(rows, label="m"), draw(terms, label="k"), draw(columns, label="n"))
    return draw(st.sampled_from(dtypes), label="dtype"), shape, draw(st.sampled_from(layouts), label="layouts")


def _matrix(xp, rows, columns, layout, dtype):
    """A random matrix, row-major or (the transpose of a row-major one) column-major."""
    if layout == "C":
        return xp.randn(rows, columns, dtype=dtype)
    return xp.randn(columns, rows, dtype=dtype).t()


def _tolerance(modelled: bool) -> dict:
    return {"exact": True, "ulps": 0} if modelled else {"scale": 100.0}


_TOLERANCE, _BLOCK_TOLERANCE = _tolerance(MODELLED), _tolerance(BLOCKS_MODELLED)


def _product(xp, seed, product):
    """a @ b and addmm(bias, a, b) on seeded normal values."""
    dtype, (m, k, n), layouts = product
    xp.manual_seed(seed)
    dtype = getattr(xp, dtype)
    a, b = _matrix(xp, m, k, layouts[0], dtype), _matrix(xp, k, n, layouts[1], dtype)
    bias = xp.randn(n, dtype=dtype)
    return a @ b, xp.addmm(bias, a, b)


@case(covers=("mm", "matmul", "addmm"), **_TOLERANCE, seed=st.integers(0, 2**16), product=_products(_REGIMES))
def matmul_bits(xp, seed, product):
    """a @ b and addmm(bias, a, b) in the regimes MKL's order is modelled in on its own."""
    return _product(xp, seed, product)


@case(covers=("mm", "addmm"), **_BLOCK_TOLERANCE, seed=st.integers(0, 2**16), product=_products(_BLOCK_REGIMES))
def matmul_block_bits(xp, seed, product):
    """a @ b and addmm(bias, a, b) in float32's fused blocks (numpy's products of each block of k)."""
    return _product(xp, seed, product)


@st.composite
def _linear_shapes(draw):
    rows = draw(st.integers(1, 40), label="rows")
    if rows == 1:  # (one sample: the weight's gemv, rows in groups of four and one past them)
        outputs = 4 * draw(st.integers(1, 40), label="outputs / 4") + draw(st.integers(0, 1), label="one more")
    else:
        outputs = draw(st.integers(2, 11) if rows > 3 else st.integers(2, 40), label="outputs")
    return rows, draw(st.integers(1, 256), label="inputs"), outputs


@case(covers=("nn.functional.linear", "nn.Linear"), **_TOLERANCE, seed=st.integers(0, 2**16), shape=_linear_shapes())
def linear_bits(xp, seed, shape):
    """x @ W.T with and without a bias, as nn.Linear computes it (MKL's lanes, each row first taking its terms up
    to its 16-byte boundary one by one; one sample, as a row or a vector: the weight's gemv)."""
    rows, inputs, outputs = shape
    xp.manual_seed(seed)
    x, weight, bias = xp.randn(rows, inputs), xp.randn(outputs, inputs), xp.randn(outputs)
    results = [xp.nn.functional.linear(x, weight, bias), xp.nn.functional.linear(x, weight), x @ weight.t()]
    return results + ([xp.nn.functional.linear(x[0], weight, bias)] if rows == 1 else [])


@st.composite
def _double_linear_shapes(draw):
    """Double's lanes (two doubles): 4 or 8 outputs from 4 rows, any multiple of four on 2 or 3 rows (the
    last n % 4 columns' order is not modelled)."""
    rows = draw(st.integers(2, 40), label="rows")
    outputs = 4 * draw(st.integers(1, 2) if rows > 3 else st.integers(1, 10), label="outputs / 4")
    return rows, draw(st.integers(1, 256), label="inputs"), outputs


@case(covers=("nn.functional.linear",), **_TOLERANCE, seed=st.integers(0, 2**16), shape=_double_linear_shapes())
def linear_double_bits(xp, seed, shape):
    """double x @ W.T with and without a bias, in MKL's lanes of two doubles (each row first taking its
    terms up to its 16-byte boundary one by one)."""
    rows, inputs, outputs = shape
    xp.manual_seed(seed)
    x, weight, bias = (xp.randn(*s, dtype=xp.float64) for s in ((rows, inputs), (outputs, inputs), (outputs,)))
    return xp.nn.functional.linear(x, weight, bias), xp.nn.functional.linear(x, weight), x @ weight.t()


@st.composite
def _batched(draw, small):
    """A batch of small matrices (fewer than 400 multiply-adds: torch's own loop) in float or double, or of
    float32 ones in MKL's fused blocks."""
    if small:
        shape = draw(
            st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9)).filter(
                lambda s: s[0] * s[1] * s[2] < 400
            )
        )
        dtype = draw(st.sampled_from(["float32", "float64"]), label="dtype")
    else:
        shape = (
            draw(st.sampled_from([4, 8]) | st.integers(12, 32)),
            draw(st.integers(2, 300)),
            draw(st.integers(12, 40)),
        )
        dtype = "float32"
    layouts = draw(st.sampled_from(["CC", "CF", "FC", "FF"]), label="layouts")
    return dtype, draw(st.integers(1, 4), label="batch"), shape, layouts


def _batch(xp, batch, rows, columns, layout, dtype):
    if layout == "C":
        return xp.randn(batch, rows, columns, dtype=dtype)
    return xp.randn(batch, columns, rows, dtype=dtype).transpose(1, 2)


@case(covers=("bmm",), **_TOLERANCE, seed=st.integers(0, 2**16), product=_batched(small=True))
def bmm_bits(xp, seed, product):
    """bmm and matmul of two batches of small matrices on seeded normal values, and their gradients (torch's
    loop again, on the transposed operands)."""
    return _batched_products(xp, seed, product)


@case(covers=("bmm",), **_BLOCK_TOLERANCE, seed=st.integers(0, 2**16), product=_batched(small=False))
def bmm_block_bits(xp, seed, product):
    """bmm and matmul of two batches of float32 matrices in MKL's fused blocks."""
    return _batched_products(xp, seed, product)


def _batched_products(xp, seed, product):
    dtype, batch, (m, k, n), layouts = product
    xp.manual_seed(seed)
    dtype = getattr(xp, dtype)
    a, b = _batch(xp, batch, m, k, layouts[0], dtype), _batch(xp, batch, k, n, layouts[1], dtype)
    results = [xp.bmm(a, b), a @ b]
    if m * k * n < 400:
        a.requires_grad_(), b.requires_grad_()
        upstream = xp.randn(batch, m, n, dtype=dtype)
        results += list(xp.autograd.grad(xp.bmm(a, b), (a, b), upstream))
    return results


@case(
    covers=("dot", "vdot", "inner", "tensordot"),
    **_TOLERANCE,
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from(["float32", "float64"]),
    k=st.integers(1, 40) | st.integers(41, 2000),  # (below 32 KB a vector: one thread)
    offset=st.integers(0, 3),
    factor=st.sampled_from([1.0, 1.0, 0.0]),
)
def dot_bits(xp, seed, dtype, k, offset, factor):
    """x . y in each of torch's spellings, on fresh vectors and on views `offset` elements in (MKL's dot adds
    the terms before a 16-byte boundary one by one); the gradients (the other vector times the upstream).
    A factor of 0 makes every product a signed zero."""
    xp.manual_seed(seed)
    x, y = xp.randn(k + offset, dtype=getattr(xp, dtype)) * factor, xp.randn(k + offset, dtype=getattr(xp, dtype))
    x.requires_grad_()
    shifted = xp.dot(x[offset:], y[offset:])
    values = [xp.dot(x, y), xp.vdot(x, y), xp.inner(x, y), x @ y, xp.tensordot(x, y, dims=1), shifted]
    return [*values, *xp.autograd.grad(shifted, x)]


@st.composite
def _gemv_shapes(draw):
    """Rows in groups of four (float32: or one past them), MKL's gemv kernels that mkl_dot models."""
    dtype = draw(st.sampled_from(["float32", "float64"]), label="dtype")
    groups = draw(st.integers(0, 16), label="groups of four rows")
    extra = draw(st.integers(0 if groups else 1, 1), label="a row past them") if dtype == "float32" else 0
    groups = groups or (dtype == "float64")
    return dtype, 4 * groups + extra, draw(st.integers(1, 30) | st.integers(31, 800), label="k")


_FACTORS = st.sampled_from([1.0, 0.0])  # (0: every product a signed zero)


@case(covers=("mv", "addmv"), **_TOLERANCE, seed=st.integers(0, 2**16), shape=_gemv_shapes(), factor=_FACTORS)
def mv_bits(xp, seed, shape, factor):
    """A row-major matrix times a vector (mv, @, inner, and addmv: the bias added after), the single column
    of nn.Linear(k, 1) (mm and addmm: MKL's gemv again), a column-major matrix times a vector (gemv('n'): in
    k order, addmv from the bias), and mv's gradients (the vector's: the transposed matrix, column-major).  A
    factor of 0 makes the matrix signed zeros (a row of -0 products sums to -0 where MKL adds them one by one)."""
    dtype, m, k = shape
    xp.manual_seed(seed)
    dtype = getattr(xp, dtype)
    a, x, bias = xp.randn(m, k, dtype=dtype) * factor, xp.randn(k, dtype=dtype), xp.randn(m, dtype=dtype) * factor
    weight = x[None]
    linear = xp.nn.functional.linear(a, weight, bias[:1])
    results = [xp.mv(a, x), a @ x, xp.inner(a, x), xp.addmv(bias, a, x), a @ weight.t(), linear]
    columns = (xp.randn(k, m, dtype=dtype) * factor).t()
    results += [xp.mv(columns, x), xp.addmv(bias, columns, x)]
    a.requires_grad_(), x.requires_grad_()
    return [*results, *xp.autograd.grad(xp.mv(a, x), (a, x), xp.randn(m, dtype=dtype))]
