"""numpy's BLAS products, oriented as OpenBLAS runs them fastest.

OpenBLAS's sgemm/dgemm split a product with fewer rows than columns poorly: on this machine class
(2 cores) a 64x784 @ 784x128 product takes 130-150 us, and the same product computed transposed,
(B^T A^T)^T, 80-100 us; 128x64 @ 64x784 takes 150-180 us against 77 us (best of five runs, for
each of the four layouts of the operands).  The values agree within BLAS rounding either way, which is
all numpy's products promise against torch's MKL ones.  The result is C-contiguous either way, as
the structured mm/addmm kernels write it; a backward, whose gradients' layouts follow torch's, is not
oriented (copying a transposed 128x784 result back to rows costs more than the orientation saves)."""

from __future__ import annotations

import numpy as np

from . import vml

__all__ = ["addmm_in_order", "matmul", "matmul_2d"]

_TRANSPOSE_FROM = 1 << 18  # multiply-adds below which the orientation makes no difference
_BLAS_TYPES = (np.float32, np.float64)


def matmul(a: np.ndarray, b: np.ndarray, orient: bool = True) -> np.ndarray:
    """np.matmul(a, b); a 2-d float product of one rank-1 term is its products, one that MKL adds in k order
    is that sum (_k_order), and (where orient) one with fewer rows than columns is computed as
    (b^T a^T)^T, then copied to rows."""
    if a.ndim == 2 and b.ndim == 2 and a.dtype == b.dtype and a.dtype.type in _BLAS_TYPES:
        return matmul_2d(a, b, orient)
    return np.matmul(a, b)


def matmul_2d(a: np.ndarray, b: np.ndarray, orient: bool = True) -> np.ndarray:
    """matmul of two 2-d float or double arrays of one dtype whose sizes match (the caller checked)."""
    (m, k), n = a.shape, b.shape[1]
    if k == 1 and m > 1 and n > 1:  # torch's gemm writes the products, -0s too; OpenBLAS adds them to +0
        return np.multiply(a, b)
    if (m == 1 or k == 2 or k == 3) and (_in_k_order(m, k, n) or _row_in_k_order(a, b)):
        return _k_order(a, b)
    if orient and m < n and m * n * k >= _TRANSPOSE_FROM:
        return np.ascontiguousarray(np.matmul(b.T, a.T).T)
    if m > 1 and n > 1 and k > 1:
        # the same gemm call, at a third of matmul's cost on small operands (0.36 against 0.94 us for 3x4 @ 4x5;
        # equal on 40,000 random products in every layout, infinities, NaN and signed zeros among them); with a
        # single row or column, dot sums strided operands in another order, and a one-term product is a scaling
        # in it (inf * 0 gives 0, not NaN): those stay matmul's
        return a.dot(b)
    return np.matmul(a, b)


def _in_k_order(m: int, k: int, n: int) -> bool:
    return k in (2, 3) and (n <= 11 or m == 1) and vml.emulates_mkl()


def _row_in_k_order(a: np.ndarray, b: np.ndarray) -> bool:
    """A single row times a row-major matrix (or a column): MKL adds the rounded products along k from +0,
    for every k and column count measured (up to 10000 and 300)."""
    return a.shape == (1, b.shape[0]) and a.size and (b.flags.c_contiguous or b.shape[1] == 1) and vml.emulates_mkl()


def addmm_in_order(base: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """base + a @ b (alpha and beta 1) as MKL's gemm computes it where `_k_order` models the product: the
    base (torch's result, filled with it) taken into the sum first or added to the finished product last,
    by the operands' layouts (a column result: first where a is column-major; else first where b is
    row-major; measured on float and double, every layout).  None where the order is not modelled."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != b.dtype or a.dtype.type not in _BLAS_TYPES:
        return None
    (m, k), n = a.shape, b.shape[-1]
    if not _in_k_order(m, k, n):
        return None
    first = a.T.flags.c_contiguous if n == 1 and m > 1 else b.flags.c_contiguous
    if not first:
        return _k_order(a, b) + base
    result = base + np.multiply(a[:, :1], b[:1])
    for i in range(1, k):
        result += np.multiply(a[:, i : i + 1], b[i : i + 1])
    return result


def _k_order(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MKL's gemm where it adds each rounded product along k from +0 (no fused multiply-adds) on the AMD CPUs
    vml.py models, for float and double: two or three terms with at most 11 columns or one row, in every
    layout of a and b (measured over 1-5000 rows and 1-100 columns; from 12 columns on MKL runs another
    kernel, and from four terms on others again), and a single row times a row-major matrix."""
    result = np.multiply(a[:, :1], b[:1])
    result += 0  # (from +0: a -0 product sums to +0)
    for i in range(1, a.shape[1]):
        result += np.multiply(a[:, i : i + 1], b[i : i + 1])
    return result
