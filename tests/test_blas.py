"""The shim's BLAS products (shim/_cpu/blas.py): the faster call a small product takes gives numpy's matmul's
bits, which the conformance suite compares with torch's."""

from __future__ import annotations

import numpy as np
import pytest

from shim._cpu import blas


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_products_of_matrices_keep_matmuls_bits(dtype):
    """Products of two rows, columns and terms or more go through ndarray.dot (the same gemm at a third of
    np.matmul's call cost): equal bit for bit in every layout, signs of zero, infinities and NaN included.
    (From four terms: two or three take MKL's order, _k_order.)"""
    rng = np.random.default_rng(0)
    for trial in range(600):
        m, k, n = rng.integers(4, 40, 3) if trial % 5 else rng.integers(4, 300, 3)
        a, b = rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)
        if trial % 3 == 1:  # an infinity or NaN against zeros
            a.flat[rng.integers(0, a.size, 2)] = [np.inf, np.nan]
            b[rng.random(b.shape) < 0.3] = 0
        if trial % 3 == 2:
            a[rng.random(a.shape) < 0.5], b[rng.random(b.shape) < 0.5] = -0.0, -0.0
        if trial % 4 == 3:  # strided and column-major operands
            a, b = np.repeat(np.repeat(a, 2, 0), 2, 1)[::2, ::2], np.asfortranarray(np.repeat(b, 3, 1)[:, ::3])
        with np.errstate(all="ignore"):
            got, want = blas.matmul_2d(a, b, orient=False), np.matmul(a, b)
        assert got.flags.c_contiguous and got.dtype == dtype
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))


def test_a_one_term_product_keeps_inf_times_zero():
    """A column times a number is a scaling in dot, which makes inf * 0 a 0: matmul's NaN stays.  (With more
    terms, a strided single row or column is summed in another order by dot: matmul's too.)"""
    a, b = np.array([[np.inf], [2.0]], np.float32), np.zeros((1, 1), np.float32)
    with np.errstate(all="ignore"):
        assert np.isnan(blas.matmul_2d(a, b)[0, 0]) and blas.matmul_2d(a, b)[1, 0] == 0
        assert np.isnan(blas.matmul_2d(b, a.T)[0, 0])


def test_strided_single_rows_and_columns_keep_matmuls_order():
    """A strided single row or column: dot would sum it in another order (measured: some of these differ)."""
    rng = np.random.default_rng(1)
    for _ in range(300):
        k, n = rng.integers(4, 40, 2)
        a = rng.standard_normal((2, 2 * k)).astype(np.float32)[:1, ::2]
        b = rng.standard_normal((2 * k, 2 * n)).astype(np.float32)[::2, ::2]
        assert np.array_equal(blas.matmul_2d(a, b), np.matmul(a, b))
        assert np.array_equal(blas.matmul_2d(b.T, a.T), np.matmul(b.T, a.T))
