"""The shim's matrix products (shim/_cpu/blas.py, shim/_cpu/mkl_gemm.py): MKL's summation orders where
mkl_gemm models them, checked against sums written out here and against digests of torch's own results;
numpy's product, called the cheaper way, everywhere else."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import shim
from shim._cpu import blas, mkl_dot, mkl_gemm, vml
from shim._cpu.fma import fma32

MODELLED = pytest.mark.skipif(
    not vml.emulates_mkl(), reason="MKL's orders are modelled on AMD families 19h and 1Ah only"
)
BLOCKS = pytest.mark.skipif(
    not (vml.emulates_mkl() and mkl_gemm.fused_blocks_modelled()),
    reason="float32's fused blocks are numpy's products of each block, where its BLAS sums as MKL does (a probe)",
)


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
    """k_order, whatever its blocking and orientation, is the products added one by one from +0 (or from the
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
            got, want = mkl_gemm.k_order(a, b, start), _in_k_order(a, b, start)
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))


@BLOCKS
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


def test_double_lanes_are_two_wide():
    """_lanes for double: two lanes (16 bytes) from each row's 16-byte boundary (a row's first term alone
    where the row starts between two), added by halves, then the terms past the last whole vector in order;
    only for column counts that are multiples of four (the last n % 4 columns' order is not modelled)."""
    rng = np.random.default_rng(5)
    for _ in range(40):
        m, n, k = int(rng.integers(2, 12)), 4 * int(rng.integers(1, 3)), int(rng.integers(2, 60))
        x, w = rng.standard_normal((m, k)), rng.standard_normal((n, k))
        want = np.empty((m, n))
        for i in range(m):
            head = (x.ctypes.data // 8 + k * i) % 2  # (1: the row starts between two 16-byte boundaries)
            for j in range(n):
                lanes = np.zeros(2)
                lanes[0] = lanes[0] + x[i, 0] * w[j, 0] if head and k else 0.0
                whole = head + (k - head) // 2 * 2
                for t in range(head, whole, 2):
                    lanes = lanes + x[i, t : t + 2] * w[j, t : t + 2]
                total = lanes[0] + lanes[1]
                for t in range(whole, k):
                    total = total + x[i, t] * w[j, t]
                want[i, j] = total
        assert np.array_equal(mkl_gemm._lanes(x, w.T), want)


@MODELLED
def test_double_linear_equals_torchs(digest):
    """Digests of torch 2.13's double nn.Linear products with 8 and 16 columns (default_rng(20261207)
    normal values: x (64, 30), W (8, 30), b (8,), then x (3, 41) @ W (16, 41).T)."""
    import shim as torch

    rng = np.random.default_rng(20261207)
    x, w, b = (torch.tensor(rng.normal(size=s)) for s in ((64, 30), (8, 30), (8,)))
    x3, w3 = torch.tensor(rng.normal(size=(3, 41))), torch.tensor(rng.normal(size=(16, 41)))
    assert digest(torch.nn.functional.linear(x, w, b).numpy()) == "960fa4b133898a66"
    assert digest((x3 @ w3.T).numpy()) == "bbbf570d71b93cff"


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
    pytest.param("mm", (64, 784, 128), "CC", "float32", "e34ab3409313bd12", marks=BLOCKS),
    pytest.param("mm", (100, 100, 100), "FF", "float32", "c816644eeb76fb5c", marks=BLOCKS),
    pytest.param("mm", (33, 65, 17), "CF", "float32", "e77f75cbfe1b321e", marks=BLOCKS),
    pytest.param(
        "mm", (10, 64, 128), "FC", "float32", "522a0f413e6f80ba", marks=BLOCKS
    ),  # a 10-class layer's weight gradient
    ("mm", (64, 500, 4), "CC", "float64", "5cc93ccfe8724d0f"),
    pytest.param(
        "addmm", (64, 784, 128), "CF", "float32", "d58decd5e2e3a6d6", marks=BLOCKS
    ),  # nn.Linear(784, 128) on a batch of 64
    ("addmm", (64, 64, 10), "CF", "float32", "de025a5119ad2da8"),  # nn.Linear(64, 10)
    pytest.param("addmm", (10, 784, 128), "CF", "float32", "f1a65f2ee629ea0f", marks=BLOCKS),
    ("addmm", (6, 20, 8), "FF", "float32", "290503406cb06137"),
    ("mm", (64, 64, 10), "CC", "float32", "9247710ef57d64d7"),  # a hand-written 10-class layer: chunks of four
    ("addmm", (33, 100, 7), "FC", "float32", "e680ca15260322fe"),
    ("mm", (16, 100, 40), "CC", "float64", "f99913efb727a64c"),  # double in groups of 12 columns
    ("addmm", (30, 64, 26), "FC", "float64", "a6dd9b898d977ace"),
    ("addmm", (32, 10, 1), "CF", "float32", "9ad5d11e9fdd8ed4"),  # nn.Linear(10, 1): MKL's gemv, the bias after
    ("addmm", (100, 3, 1), "CF", "float32", "eebcee74d3767816"),
    ("addmm", (20, 13, 1), "CC", "float64", "829554ce99e7e378"),
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
    pytest.param((4, 16, 300, 40), "float32", "65c8f0aa5d7da634", marks=BLOCKS),
    pytest.param((2, 64, 64, 64), "float32", "a4468ffa410abd5b", marks=BLOCKS),
)


@MODELLED
@pytest.mark.parametrize(("shape", "dtype", "digest"), _TORCH_BMM_DIGESTS)
def test_batched_products_equal_torchs(shape, dtype, digest):
    batch, m, k, n = shape
    rng = np.random.default_rng(batch * 1000003 + m * 10007 + k * 101 + n)
    a, b = rng.standard_normal((batch, m, k)).astype(dtype), rng.standard_normal((batch, k, n)).astype(dtype)
    result = shim.bmm(shim.from_numpy(a), shim.from_numpy(b)).numpy()
    assert hashlib.sha256(result.tobytes()).hexdigest()[:16] == digest


def _dot_written_out(x: np.ndarray, y: np.ndarray, shift: int) -> np.ndarray:
    """MKL's dot order (mkl_dot's docstring) as loops over lanes: the terms before the boundary into lane 0 of
    accumulator 0, blocks of four vectors, then (float) two vectors and one, (double) pairs, then terms one by
    one into lane 0; the accumulators in turn, the lanes by halves."""
    lanes = 16 // x.itemsize
    acc = [[x.dtype.type(0)] * lanes for _ in range(4)]
    at = 0
    while at < x.size and (shift + at) % lanes:
        acc[0][0] += x[at] * y[at]
        at += 1
    widths = []
    rest = x.size - at
    while rest >= 4 * lanes:
        widths.append(4)
        rest -= 4 * lanes
    if lanes == 4:
        widths += [2] * (rest >= 8) + [1] * (rest % 8 >= 4)
    else:
        widths += [1] * (rest // 2)
    for width in widths:
        for vector in range(width):
            for lane in range(lanes):
                acc[vector][lane] += x[at] * y[at]
                at += 1
    for term in range(at, x.size):
        acc[0][0] += x[term] * y[term]
    total = [((acc[0][lane] + acc[1][lane]) + acc[2][lane]) + acc[3][lane] for lane in range(lanes)]
    while len(total) > 1:
        half = len(total) // 2
        total = [total[i] + total[i + half] for i in range(half)]
    return total[0] + x.dtype.type(0)


def _at_shift(values: np.ndarray, shift: int) -> np.ndarray:
    """values copied to start `shift` elements past a 16-byte boundary."""
    per = 16 // values.itemsize
    buffer = np.zeros(values.size + 2 * per, values.dtype)
    start = (-buffer.ctypes.data % 16) // values.itemsize + shift
    out = buffer[start : start + values.size]
    out[...] = values
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dot_follows_mkls_lanes(dtype):
    """mkl_dot.dot against the order written out: every length to 80 and some longer, every offset from a
    16-byte boundary, signs of zero among the terms; two threads from 32 KB (halves at ceil(k / 2), each
    with its own alignment); vectors at different offsets, or strided, are left to numpy (None)."""
    rng = np.random.default_rng(7)
    threads = shim.get_num_threads()
    shim.set_num_threads(2)
    try:
        for k in [*range(1, 81), 255, 1000, 8191, 8192, 9001]:
            shift = k % (16 // np.dtype(dtype).itemsize)
            x, y = rng.standard_normal((2, k)).astype(dtype)
            if k % 7 == 0:
                x[rng.random(k) < 0.5], y[:] = 0.0, -0.0
            x, y = _at_shift(x, shift), _at_shift(y, shift)
            got = mkl_dot.dot(x, y)
            if k * x.itemsize < 1 << 15:
                want = _dot_written_out(x, y, shift)
            else:
                cut = -(-k // 2)
                want = _dot_written_out(x[:cut], y[:cut], shift) + _dot_written_out(x[cut:], y[cut:], shift + cut)
            assert got.tobytes() == np.asarray(want).tobytes(), k
        x = _at_shift(rng.standard_normal(20).astype(dtype), 0)
        assert mkl_dot.dot(x, _at_shift(x, 1)) is None
        assert mkl_dot.dot(x[::2], x[1::2]) is None
    finally:
        shim.set_num_threads(threads)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gemv_follows_mkls_lanes(dtype):
    """mkl_dot.gemv against loops: rows in groups of four, each row's first (k - 1) % lanes + 1 terms one by
    one, then vectors into one accumulator, the lanes by halves; float's single row past the groups: terms to
    the vector's next boundary (four on one), vectors of eight, halves, the rest one by one.  Two or three
    rows past the groups, a double row past them, a matrix off 16 bytes or not row-major: None."""
    rng = np.random.default_rng(8)
    lanes = 16 // np.dtype(dtype).itemsize
    for trial in range(120):
        m = int(rng.integers(1, 12)) * 4 + (trial % 2 if dtype == np.float32 else 0)
        k, shift = int(rng.integers(1, 90)), int(rng.integers(0, 4))
        a = _at_shift(rng.standard_normal(m * k).astype(dtype), 0).reshape(m, k)
        x = _at_shift(rng.standard_normal(k).astype(dtype), shift % lanes)
        want = np.empty(m, dtype)
        for row in range(m):
            last = row >= m // 4 * 4
            head = min(k, (-shift - 1) % 4 + 1 if last else (k - 1) % lanes + 1)
            width = 8 if last else lanes
            lane = [dtype(0)] * width
            for term in range(head):
                lane[0] += a[row, term] * x[term]
            vectors = (k - head) // width
            for term in range(head, head + vectors * width):
                lane[(term - head) % width] += a[row, term] * x[term]
            while len(lane) > 1:
                half = len(lane) // 2
                lane = [lane[i] + lane[i + half] for i in range(half)]
            total = lane[0]
            for term in range(head + vectors * width, k):
                total += a[row, term] * x[term]
            want[row] = total + dtype(0)
        assert mkl_dot.gemv(a, x).tobytes() == want.tobytes(), (m, k, shift)
    a = _at_shift(rng.standard_normal(60).astype(dtype), 0).reshape(6, 10)
    assert mkl_dot.gemv(a, a[0]) is None  # (two rows past the groups)
    assert mkl_dot.gemv(np.asfortranarray(a[:4]), a[0]) is None
    assert mkl_dot.gemv(_at_shift(a[:4].ravel(), 1).reshape(4, 10), a[0]) is None


# dot and mv: digests as above, of default_rng(k * 1009 + shift) values (x, then y, each k + shift long, the
# product of their last k) and of default_rng(m * 1000003 + k * 1009) values (the matrix, then the vector)
_TORCH_DOT_DIGESTS = (
    (1000, "float32", 0, "1615c1f56c6261fd"),
    (10001, "float32", 0, "b0365f63ecbd7611"),  # (two threads)
    (777, "float64", 0, "87d22bfd03b6731e"),
    (300, "float32", 1, "356e6b8fb3723585"),
    (5000, "float64", 1, "ca77a06172f3a404"),  # (two threads, the second half off the boundary)
)
_TORCH_MV_DIGESTS = (
    ((64, 784), "float32", "9970a129746eb8d8"),
    ((13, 100), "float32", "ac4dc571f457a47c"),
    ((16, 50), "float64", "7356bc591b8c42f0"),
    ((1, 37), "float32", "c78e96aaf1d43204"),
)


@MODELLED
@pytest.mark.parametrize(("k", "dtype", "shift", "digest"), _TORCH_DOT_DIGESTS)
def test_dot_equals_torchs(k, dtype, shift, digest):
    rng = np.random.default_rng(k * 1009 + shift)
    x, y = (_at_shift(rng.standard_normal(k + shift).astype(dtype), 0) for _ in range(2))
    threads = shim.get_num_threads()
    shim.set_num_threads(2)  # (torch's digests: two threads)
    try:
        result = shim.dot(shim.from_numpy(x)[shift:], shim.from_numpy(y)[shift:]).numpy()
    finally:
        shim.set_num_threads(threads)
    assert hashlib.sha256(result.tobytes()).hexdigest()[:16] == digest


@MODELLED
@pytest.mark.parametrize(("shape", "dtype", "digest"), _TORCH_MV_DIGESTS)
def test_mv_equals_torchs(shape, dtype, digest):
    m, k = shape
    rng = np.random.default_rng(m * 1000003 + k * 1009)
    a = _at_shift(rng.standard_normal(m * k).astype(dtype), 0).reshape(m, k)
    x = _at_shift(rng.standard_normal(k).astype(dtype), 0)
    result = shim.mv(shim.from_numpy(a), shim.from_numpy(x)).numpy()
    assert hashlib.sha256(result.tobytes()).hexdigest()[:16] == digest


@MODELLED
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_column_major_mv_adds_in_k_order_from_the_base(dtype):
    """gemv('n') (a column-major matrix, any column stride from its rows, as torch's addmv tests it): each
    element's rounded products added in k order from the base, or +0; a row-major matrix adds the base after
    mkl_dot's sums."""
    rng = np.random.default_rng(9)
    for trial in range(60):
        m, k = (int(v) for v in rng.integers(1, 40, 2))
        a = rng.standard_normal((k, m + trial % 3)).astype(dtype)[:, :m].T
        x, base = rng.standard_normal(k).astype(dtype), rng.standard_normal(m).astype(dtype)
        if trial % 4 == 1:
            a[rng.random(a.shape) < 0.5], base[:] = -0.0, -0.0
        want = base.copy() if trial % 2 else np.zeros(m, dtype)
        for term in range(k):
            want = want + a[:, term] * x[term]
        got = blas.addmv_in_order(base if trial % 2 else None, a, x)
        assert got.tobytes() == (want + dtype(0)).tobytes()
    rows = _at_shift(rng.standard_normal(80).astype(dtype), 0).reshape(8, 10)
    x, base = rows[0].copy(), np.arange(8, dtype=dtype)
    assert blas.addmv_in_order(base, rows, x).tobytes() == (mkl_dot.gemv(rows, x) + base).tobytes()
