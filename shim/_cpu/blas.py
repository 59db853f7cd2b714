"""The shim's matrix products: in MKL's order where mkl_gemm models it (bit for bit with torch's), else
numpy's BLAS product, oriented as OpenBLAS runs it fastest.

OpenBLAS's sgemm/dgemm split a product with fewer rows than columns poorly: on this machine class
(2 cores) a 64x784 @ 784x128 product takes 130-150 us, and the same product computed transposed,
(B^T A^T)^T, 80-100 us; 128x64 @ 64x784 takes 150-180 us against 77 us (best of five runs, for
each of the four layouts of the operands).  The values agree within BLAS rounding either way, which is
all numpy's products promise against torch's MKL ones.  The result is C-contiguous either way, as
the structured mm/addmm kernels write it; a backward, whose gradients' layouts follow torch's, is not
oriented (copying a transposed 128x784 result back to rows costs more than the orientation saves)."""

from __future__ import annotations

import numpy as np

from . import mkl_dot, mkl_gemm, vml

__all__ = ["addmm_in_order", "addmv_in_order", "bmm", "dot", "gemv_column_major", "matmul", "matmul_2d", "mv"]

_TRANSPOSE_FROM = 1 << 18  # multiply-adds below which the orientation makes no difference
_BLAS_TYPES = (np.float32, np.float64)


def matmul(a: np.ndarray, b: np.ndarray, orient: bool = True) -> np.ndarray:
    """np.matmul(a, b); a 2-d float product of one rank-1 term is its products, one whose order mkl_gemm
    (or, for a matrix times a vector, addmv_in_order) models is summed in that order, and (where orient) one
    with fewer rows than columns is computed as (b^T a^T)^T, then copied to rows."""
    if a.ndim == 2 and b.ndim == 2 and a.dtype == b.dtype and a.dtype.type in _BLAS_TYPES:
        return matmul_2d(a, b, orient)
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] == b.shape[0]:
        return bmm(a, b)
    if a.ndim == 2 and b.ndim == 1:  # (mv: the backward of mv, self.t() @ grad)
        return mv(a, b)
    return np.matmul(a, b)


def matmul_2d(a: np.ndarray, b: np.ndarray, orient: bool = True) -> np.ndarray:
    """matmul of two 2-d float or double arrays of one dtype whose sizes match (the caller checked)."""
    (m, k), n = a.shape, b.shape[1]
    if k == 1 and m > 1 and n > 1:  # torch's gemm writes the products, -0s too; OpenBLAS adds them to +0
        return np.multiply(a, b)
    if vml.emulates_mkl():
        ordered = mkl_gemm.product(a, b)
        if ordered is not None:
            return ordered
    if orient and m < n and m * n * k >= _TRANSPOSE_FROM:
        return np.ascontiguousarray(np.matmul(b.T, a.T).T)
    if m > 1 and n > 1 and k > 1:
        # the same gemm call, at a third of matmul's cost on small operands (0.36 against 0.94 us for 3x4 @ 4x5;
        # equal on 40,000 random products in every layout, infinities, NaN and signed zeros among them); with a
        # single row or column, dot sums strided operands in another order, and a one-term product is a scaling
        # in it (inf * 0 gives 0, not NaN): those stay matmul's
        return a.dot(b)
    return np.matmul(a, b)


def dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x . y of two 1-d arrays of one dtype and length: in MKL's order where mkl_dot models it, else numpy's,
    from +0 as BLAS accumulates (never -0)."""
    if vml.emulates_mkl():
        ordered = mkl_dot.dot(x, y)
        if ordered is not None:
            return ordered
    value = np.dot(x, y)
    return value + np.zeros((), value.dtype)


def mv(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """a @ x (a 2-d, x 1-d, one dtype): in MKL's gemv order where modelled (addmv_in_order), else numpy's."""
    ordered = addmv_in_order(None, a, x)
    return np.matmul(a, x) if ordered is None else ordered


def gemv_column_major(a: np.ndarray) -> bool:
    """Whether torch's addmv runs gemv('n') on the matrix a: unit row stride and a column stride of at least its
    rows (lda_cond; any column stride for a single column), else gemv('t')."""
    m, k = a.shape
    return a.strides[0] == a.itemsize and (k == 1 or a.strides[1] >= max(1, m) * a.itemsize)


def addmv_in_order(base: np.ndarray | None, a: np.ndarray, x: np.ndarray) -> np.ndarray | None:
    """base + a @ x (base: the result's shape, or none) as MKL's gemv computes it, where modelled; else None.
    A column-major a (torch's test: unit row stride, any column stride from its rows) runs gemv('n'), each
    element's rounded products added in k order from the base (measured: every size to 4,096, strided
    vectors, signs of zero); a row-major one gemv('t'), mkl_dot's order, the base added after."""
    if not (vml.emulates_mkl() and a.size and a.dtype == x.dtype and a.dtype.type in _BLAS_TYPES):
        return None
    if gemv_column_major(a):
        return mkl_gemm.k_order(a, x[:, None], None if base is None else base[:, None])[:, 0]
    return mkl_dot.gemv(a, x, base)


def addmm_in_order(base: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """base + a @ b (alpha and beta 1, base broadcast to the result) as MKL's gemm computes it, where
    mkl_gemm models its order; else None."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != b.dtype or a.dtype.type not in _BLAS_TYPES:
        return None
    return mkl_gemm.product(a, b, base) if vml.emulates_mkl() else None


_LOOP_PRODUCTS = 400  # torch's bmm sums matrices of fewer multiply-adds than this in its own loop


def bmm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's bmm of two 3-d arrays with one batch size: for float and double matrices of fewer than 400
    multiply-adds, torch's own loop (baddbmm_cpu_kernel: each element's rounded products added in k order
    from +0, on every CPU); larger ones in MKL's order where mkl_gemm models its batched call; else numpy's
    product."""
    _, m, k = a.shape
    if a.dtype != b.dtype or a.dtype.type not in _BLAS_TYPES or not a.size or not b.size:
        return np.matmul(a, b)
    if m * k * b.shape[2] < _LOOP_PRODUCTS:
        return mkl_gemm.k_order_batched(a, b)
    ordered = mkl_gemm.batched_product(a, b) if vml.emulates_mkl() else None
    return np.matmul(a, b) if ordered is None else ordered
