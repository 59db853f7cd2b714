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

__all__ = ["matmul"]

_TRANSPOSE_FROM = 1 << 18  # multiply-adds below which the orientation makes no difference
_BLAS_TYPES = (np.float32, np.float64)


def matmul(a: np.ndarray, b: np.ndarray, orient: bool = True) -> np.ndarray:
    """np.matmul(a, b); a 2-d float product of one rank-1 term is its products, and (where orient) one
    with fewer rows than columns is computed as (b^T a^T)^T, then copied to rows."""
    if a.ndim == 2 and b.ndim == 2 and a.dtype == b.dtype and a.dtype.type in _BLAS_TYPES:
        (m, k), n = a.shape, b.shape[-1]
        if k == 1 and m > 1 and n > 1:  # torch's gemm writes the products, -0s too; OpenBLAS adds them to +0
            return np.multiply(a, b)
        if orient and m < n and m * n * k >= _TRANSPOSE_FROM:
            return np.ascontiguousarray(np.matmul(b.T, a.T).T)
    return np.matmul(a, b)
