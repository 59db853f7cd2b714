"""The shim's matrix products (shim/_cpu/blas.py, shim/_cpu/mkl_gemm.py): MKL's summation orders where
mkl_gemm models them, checked against sums written out here and against digests of torch's own results;
numpy's product, called the cheaper way, everywhere else."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import shim
from shim._cpu import blas, mkl_gemm, vml
from shim._cpu.fma import fma32

MODELLED = pytest.mark.skipif(not vml.emulates_mkl(), reason="MKL's orders are modelled on AMD family 19h only")


def _operand(rng, shape, layout, dtype):
    x = rng.standard_normal(shape).astype(dtype)
    return x if layout == "C" else np.asfortranarray(x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_products_outside_the_models_keep_matmuls_bits(dtype):
    """Products whose order mkl_gemm does not model go through ndarray.dot where they have two rows, columns
    and terms or more (the same gemm at a third of np.matmul's call cost): equal bit for bit in every layout,
    signs of zero, infinities and NaN included."""
    rng = np.random.default_rng(0)
    checked = 0
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
            if vml.emulates_mkl() and mkl_gemm.product(a, b) is not None:
                continue
            got, want = blas.matmul_2d(a, b, orient=False), np.matmul(a, b)
        checked += 1
        assert got.flags.c_contiguous and got.dtype == dtype
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))
    assert checked > 50


def test_a_one_term_product_keeps_inf_times_zero():
    """A column times a number is a scaling in dot, which makes inf * 0 a 0: matmul's NaN stays."""
    a, b = np.array([[np.inf], [2.0]], np.float32), np.zeros((1, 1), np.float32)
    with np.errstate(all="ignore"):
        assert np.isnan(blas.matmul_2d(a, b)[0, 0]) and blas.matmul_2d(a, b)[1, 0] == 0
        assert np.isnan(blas.matmul_2d(b, a.T)[0, 0])


def test_strided_single_rows_and_columns_keep_matmuls_order():
    """A strided single row or column where the order is not modelled: dot would sum it in another order."""
    rng = np.random.default_rng(1)
    for _ in range(300):
        k, n = rng.integers(4, 40, 2)
        a = rng.standard_normal((2, 2 * k)).astype(np.float32)[:1, ::2]
        b = rng.standard_normal((2 * k, 2 * n)).astype(np.float32)[::2, ::2]
        for x, y in ((a, b), (b.T, a.T)):
            if not (vml.emulates_mkl() and mkl_gemm.product(x, y) is not None):
                assert np.array_equal(blas.matmul_2d(x, y), np.matmul(x, y))


def _in_k_order(a, b, start=None):
    total = (
        np.zeros((a.shape[0], b.shape[1]), a.dtype)
        if start is None
        else np.array(np.broadcast_to(start, (a.shape[0], b.shape[1])))
    )
    for t in range(a.shape[1]):
        total = total + a[:, t : t + 1] * b[t : t + 1]
    return total


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_k_order_adds_the_rounded_products_from_zero(dtype):
    """_k_order, whatever its blocking and orientation, is the products added one by one from +0 (or from the
    start given): a sum of -0 products is +0, infinities and NaN where the loop has them."""
    rng = np.random.default_rng(2)
    for trial in range(300):
        m, n = rng.integers(1, 30, 2)
        k = int(rng.integers(1, 40 if trial % 4 else 3000))
        a, b = _operand(rng, (m, k), "CF"[trial % 2], dtype), _operand(rng, (k, n), "CF"[trial // 2 % 2], dtype)
        if trial % 5 == 1:
            a[rng.random(a.shape) < 0.5], b[rng.random(b.shape) < 0.5] = -0.0, 0.0
        if trial % 5 == 2:
            a.flat[rng.integers(0, a.size)] = np.inf
        start = rng.standard_normal(n).astype(dtype) if trial % 3 == 0 else None
        with np.errstate(all="ignore"):
            got, want = mkl_gemm._k_order(a, b, start), _in_k_order(a, b, start)
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))


@MODELLED
def test_blocks_are_fused_multiply_adds_block_by_block():
    """_blocks (numpy's product of each block, on whole 16-column tiles) equals chains of fused multiply-adds
    along k from +0, one per block (all of k up to 192 terms, halves up to 384, then 192 at a time), added to
    the base in turn: the order MKL's sgemm follows from 12 columns."""
    rng = np.random.default_rng(3)
    for trial in range(40):
        m, n = int(rng.integers(4, 40)), int(rng.integers(12, 70))
        k = int(rng.choice([int(rng.integers(1, 192)), 192, 193, 300, 384, 385, 500]))
        a, b = (
            _operand(rng, (m, k), "CF"[trial % 2], np.float32),
            _operand(rng, (k, n), "CF"[trial // 2 % 2], np.float32),
        )
        base = rng.standard_normal(n).astype(np.float32) if trial % 3 else None
        step = k if k <= 192 else k // 2 if k <= 384 else 192
        want = None if base is None else np.array(np.broadcast_to(base, (m, n)))
        for first in range(0, k, step):
            chain = np.zeros((m, n), np.float32)
            for t in range(first, min(first + step, k)):
                chain = fma32(a[:, t : t + 1], b[t : t + 1], chain)
            want = chain if want is None else want + chain
        assert np.array_equal(mkl_gemm._blocks(a, b, base), want)


def test_lanes_add_four_lanes_then_halves():
    """_lanes: each element's products in four lanes by index (eight for the last n % 4 columns), each lane
    added in order from +0, the lanes by halves, then the terms past the last whole vector in order."""
    rng = np.random.default_rng(4)
    for _ in range(60):
        m, n, k = int(rng.integers(2, 20)), int(rng.integers(2, 12)), 4 * int(rng.integers(1, 30))
        x, w = rng.standard_normal((m, k)).astype(np.float32), rng.standard_normal((n, k)).astype(np.float32)
        want = np.empty((m, n), np.float32)
        for j in range(n):
            width = 4 if j < n // 4 * 4 else 8
            whole = k // width * width
            lanes = np.zeros((m, width), np.float32)
            for t in range(0, whole, width):
                lanes = lanes + x[:, t : t + width] * w[j, t : t + width]
            while lanes.shape[1] > 1:
                lanes = lanes[:, : lanes.shape[1] // 2] + lanes[:, lanes.shape[1] // 2 :]
            total = lanes[:, 0]
            for t in range(whole, k):
                total = total + x[:, t] * w[j, t]
            want[:, j] = total
        assert np.array_equal(mkl_gemm._lanes(x, w.T), want)


def test_chunks_of_four_sum_every_other_chunk_alone():
    """_in_chunks: the even chunks' terms one by one, each odd chunk's four terms summed from +0 and added."""
    rng = np.random.default_rng(6)
    for _ in range(50):
        rows, k = int(rng.integers(1, 9)), 4 * int(rng.integers(2, 40))
        x, w = rng.standard_normal((rows, k)).astype(np.float32), rng.standard_normal(k).astype(np.float32)
        start = rng.standard_normal(rows).astype(np.float32) if rng.random() < 0.5 else None
        want = np.zeros(rows, np.float32) if start is None else start.copy()
        for chunk in range(k // 4):
            terms = [x[:, 4 * chunk + i] * w[4 * chunk + i] for i in range(4)]
            if chunk % 2 == 0:
                for term in terms:
                    want = want + term
            else:
                alone = np.zeros(rows, np.float32)
                for term in terms:
                    alone = alone + term
                want = want + alone
        assert np.array_equal(mkl_gemm._in_chunks(x, w, start), want)


# sha256 (first 16 hex digits) of torch 2.13's results on an AMD EPYC (Zen 4) for products of
# numpy.random.default_rng(m * 1000003 + k * 1009 + n).standard_normal values: a (m, k), then b (k, n), then
# the bias (n), in the layouts named (C row-major, F column-major)
_TORCH_DIGESTS = (
    ("mm", (3, 4, 5), "CC", "float32", "de7206be4824ab6f"),  # the notebook's product
    ("mm", (8, 8, 8), "CC", "float32", "7316ed0d81bdfcf5"),
    ("mm", (2, 300, 24), "FC", "float64", "89bab2887e366678"),
    ("mm", (64, 784, 128), "CC", "float32", "e34ab3409313bd12"),
    ("mm", (100, 100, 100), "FF", "float32", "c816644eeb76fb5c"),
    ("mm", (33, 65, 17), "CF", "float32", "e77f75cbfe1b321e"),
    ("mm", (10, 64, 128), "FC", "float32", "522a0f413e6f80ba"),  # a 10-class layer's weight gradient
    ("mm", (64, 500, 4), "CC", "float64", "5cc93ccfe8724d0f"),
    ("addmm", (64, 784, 128), "CF", "float32", "d58decd5e2e3a6d6"),  # nn.Linear(784, 128) on a batch of 64
    ("addmm", (64, 64, 10), "CF", "float32", "de025a5119ad2da8"),  # nn.Linear(64, 10)
    ("addmm", (10, 784, 128), "CF", "float32", "f1a65f2ee629ea0f"),
    ("addmm", (6, 20, 8), "FF", "float32", "290503406cb06137"),
    ("mm", (64, 64, 10), "CC", "float32", "9247710ef57d64d7"),  # a hand-written 10-class layer: chunks of four
    ("addmm", (33, 100, 7), "FC", "float32", "e680ca15260322fe"),
    ("mm", (16, 100, 40), "CC", "float64", "f99913efb727a64c"),  # double in groups of 12 columns
    ("addmm", (30, 64, 26), "FC", "float64", "a6dd9b898d977ace"),
)


@MODELLED
@pytest.mark.parametrize(("op", "shape", "layouts", "dtype", "digest"), _TORCH_DIGESTS)
def test_products_equal_torchs(op, shape, layouts, dtype, digest):
    m, k, n = shape
    rng = np.random.default_rng(m * 1000003 + k * 1009 + n)
    a, b = _operand(rng, (m, k), layouts[0], dtype), _operand(rng, (k, n), layouts[1], dtype)
    bias = rng.standard_normal(n).astype(dtype)
    t = shim.from_numpy
    result = t(a) @ t(b) if op == "mm" else shim.addmm(t(bias), t(a), t(b))
    assert hashlib.sha256(np.ascontiguousarray(result.numpy()).tobytes()).hexdigest()[:16] == digest


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_small_batched_products_add_in_k_order(dtype):
    """bmm of matrices of fewer than 400 multiply-adds: torch's own loop, each element's rounded products
    added in k order from +0, in every layout (on every CPU)."""
    rng = np.random.default_rng(5)
    for trial in range(200):
        batch, m, k, n = (int(v) for v in rng.integers(1, 8, 4))
        a, b = rng.standard_normal((batch, m, k)).astype(dtype), rng.standard_normal((batch, k, n)).astype(dtype)
        if trial % 2:
            a = np.ascontiguousarray(a.transpose(0, 2, 1)).transpose(0, 2, 1)
        if trial % 5 == 1:
            a[rng.random(a.shape) < 0.5], b[rng.random(b.shape) < 0.5] = -0.0, 0.0
        want = np.stack([_in_k_order(x, y) for x, y in zip(a, b)])
        got = blas.bmm(a, b)
        assert np.array_equal(got, want) and np.array_equal(np.signbit(got), np.signbit(want))


# bmm: the digests as above, of default_rng(batch * 1000003 + m * 10007 + k * 101 + n) values, a then b
_TORCH_BMM_DIGESTS = (
    ((3, 4, 5, 6), "float64", "b42a82d43448ea82"),
    ((2, 7, 7, 7), "float32", "5269e9f1a8f1f730"),
    ((4, 16, 300, 40), "float32", "65c8f0aa5d7da634"),
    ((2, 64, 64, 64), "float32", "a4468ffa410abd5b"),
)


@MODELLED
@pytest.mark.parametrize(("shape", "dtype", "digest"), _TORCH_BMM_DIGESTS)
def test_batched_products_equal_torchs(shape, dtype, digest):
    batch, m, k, n = shape
    rng = np.random.default_rng(batch * 1000003 + m * 10007 + k * 101 + n)
    a, b = rng.standard_normal((batch, m, k)).astype(dtype), rng.standard_normal((batch, k, n)).astype(dtype)
    result = shim.bmm(shim.from_numpy(a), shim.from_numpy(b)).numpy()
    assert hashlib.sha256(result.tobytes()).hexdigest()[:16] == digest
