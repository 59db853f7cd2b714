"""The order in which MKL's sgemm and dgemm add a product's terms, as torch 2.13 calls them on the AMD CPUs
vml.py models, so that a matrix product is bit-identical, not merely within BLAS rounding.

torch hands every float product to MKL, which picks a kernel by dtype, shape and the operands' layouts
(row-major 'C' or column-major 'F' in torch's strides).  Measured against torch (stop 56; `python -m
bench.matmul_bits` shows the shares), its kernels sum in these orders:

- in k order (`k_order`): the rounded products added one after another from +0.  Small products: a single
  row; 2 or 3 rows (but as below); up to 11 columns from 4 rows on; two or three terms in every layout
  (`_plain_terms`).
  From 8 terms, 5-7, 10 or 11 columns: the same but for some rows of the first n % 4 columns, which sum every
  other chunk of four terms on its own (`_head_chunks`).
- fused, in blocks (`_blocks`, float32 from 12 columns and 4, 8 or 12 and more rows): each block of k summed
  as fused multiply-adds in k order from +0 and added to the result in turn.  numpy's own product sums a
  block this way (OpenBLAS's sgemm kernel on whole tiles of 16 columns, from a row-major b), so each block
  is one numpy product.  With 5-7 or 9-11 rows, MKL runs the rows past the last multiple of four through
  its small-matrix kernel (`_split`).
- in lanes (`_lanes`, x @ W.T, nn.Linear's product, up to 11 columns or 3 rows): each element a dot product
  whose terms go to 16 bytes of lanes by index (four floats, two doubles), the lanes then added by halves;
  float's columns past the last multiple of four in twice as many lanes (double's in an order not found:
  such a double product is left to numpy).
- double from 12 columns and 4 rows (`_double_groups`): groups of 12 columns as fused multiply-adds in k order,
  the other columns in k order.
- a single column from a row-major a of 2 rows or more, or a single element from a column-major b (x @ w of
  nn.Linear(k, 1)): MKL's gemv (mkl_dot.gemv), a bias added after; likewise a single row times a column-major
  b (nn.Linear on one sample), as b.T's gemv (a product of its own only: not the rows split off a larger one).

Elsewhere (double with a column-major b or past 300 terms, 9 columns past 7 terms, ...) `product` returns None
and numpy's product stands in, within BLAS rounding of torch's.
The shapes and layouts each rule names were measured on 1-2,000 rows, 1-784 columns and 2-3,000 terms, then
checked on thousands of random products: every element equal, but for NaN's payload.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import mkl_dot
from .fma import fma_scalar, fused_running_sum

__all__ = ["batched_product", "fused_blocks_modelled", "k_order", "k_order_batched", "product"]

_ALL = math.inf
_CHUNK = 1 << 20  # products held at once


def product(a: np.ndarray, b: np.ndarray, base: np.ndarray | None = None) -> np.ndarray | None:
    """base + a @ b (base broadcast to the result, or none) as MKL's gemm sums it, for 2-d float or double
    arrays of one dtype; None where its order is not modelled here."""
    if not (a.size and b.size):
        return None
    layouts = _layout(a), _layout(b)
    if a.shape[0] == 1 and b.shape[1] > 1 and layouts[1] == "F":  # (nn.Linear on one sample: b.T's gemv)
        row = mkl_dot.gemv(b.T, a[0], None if base is None else np.broadcast_to(base, (1, b.shape[1]))[0])
        if row is not None:
            return row[None]
    return _rows(a, b, base, layouts)


def batched_product(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """a @ b for stacks of matrices as MKL's batched gemm sums them: matrix by matrix as `product`, but for
    single rows, rows past a multiple of four from 12 columns (float32 below 12 rows, double always) and 5-11
    columns from 8 terms, which the batched call orders otherwise (not modelled: None)."""
    _, m, k = a.shape
    n = b.shape[2]
    if m == 1 or (m % 4 and n >= 12 and (m < 12 or a.dtype == np.float64)) or (4 < n < 12 and k >= 8):
        return None
    parts = [product(x, y) for x, y in zip(a, b)]
    return None if any(part is None for part in parts) else np.stack(parts)


def _layout(x: np.ndarray) -> str | None:
    """'C' or 'F' where x's strides are exactly a row-major or column-major matrix's, else None."""
    rows, columns = x.shape
    if x.strides == (columns * x.itemsize, x.itemsize):
        return "C"
    if x.strides == (x.itemsize, rows * x.itemsize):
        return "F"
    return None


def _rows(a: np.ndarray, b: np.ndarray, base: np.ndarray | None, layouts: tuple) -> np.ndarray | None:
    (m, k), n = a.shape, b.shape[1]
    single = a.dtype == np.float32
    if single and n in _HEADS and m >= 2 and k >= 8 and layouts[1] == "C" and layouts[0]:
        return _head_chunks(a, b, base)
    if n == 1 and layouts[0] and (m > 1 or layouts[1] == "F"):  # (a column: MKL's gemv, where mkl_dot models it)
        column = mkl_dot.gemv(a, b[:, 0], None if base is None else np.broadcast_to(base, (m, 1))[:, 0])
        if column is not None:
            return column[:, None]
    if k <= _plain_terms(a, b, layouts):
        # the base in the sum first where b is row-major (a column result: where a is column-major)
        first = base is not None and (a.T.flags.c_contiguous if n == 1 and m > 1 else b.flags.c_contiguous)
        total = k_order(a, b, base if first else None)
        return total if first or base is None else total + base
    if single and n >= 12 and m >= 4 and _fused_terms(np.float32) >= _K_BLOCK:
        if m >= 12 or m in (4, 8) or (k <= 16 if n <= 16 else k <= 4 and n <= 100):
            return _blocks(a, b, base)
        if n <= 100 or n >= 112:
            return _split(a, b, base, layouts)
        return None
    if (
        not single
        and n >= 12
        and m >= 4
        and 1 < k + (base is not None) <= _fused_terms(np.float64)
        and n % 12 in _DOUBLE_TAILS
        and layouts[1] == "C"
    ):
        return _double_groups(a, b, base, layouts)
    if _in_lanes(a, b, layouts) and (single or n % 4 == 0):
        total = _lanes(a, b)
        return total if base is None else total + base
    return None


def _plain_terms(a: np.ndarray, b: np.ndarray, layouts: tuple) -> float:
    """Up to how many terms k MKL adds the rounded products of a @ b in k order from +0 (0: not even two)."""
    m, n = a.shape[0], b.shape[1]
    if None in layouts:  # (a row of a larger matrix: measured up to k = 10,000; two or three terms: any layout)
        if m == 1 and (b.flags.c_contiguous or n == 1):
            return _ALL
        return 3 if n <= 11 or m == 1 else 0
    single, few = a.dtype == np.float32, m <= 3
    if layouts[1] == "C":  # C @ C and F @ C
        if m == 1 or (n == 1 and layouts[0] == "F"):
            return _ALL
        if n == 1:
            return (11 if single else 8) if few else 4
        if n > 11 and not few:
            return 0
        if single:
            whole = (n <= 5 or n % 4 == 0) if few else n in (2, 3, 4, 8)
        else:
            whole = n % 2 == 0
        return _ALL if whole else 7
    if m == 1:  # C @ F and F @ F (a single element: MKL's gemv, in `_rows`; two terms add alike in any order)
        return 2 if n == 1 else (11 if single else 8) if n <= 3 else 4
    if n > 11 and not few:
        return 0
    if layouts[0] == "F":
        return _ALL if single or n == 1 else 7
    if n == 1:
        return (11 if single else 8) if few else 4
    return 7 if n <= 3 else 3


# sgemm of 2 rows or more (2 and 3 measured in stop 57) by a row-major b of 5-7, 10 or 11 columns, from 8
# terms: every element in k order from +0 (the base first), but for the first n % 4 columns on some rows, where
# the terms go in chunks of four, every other chunk summed on its own and added to the rest, the k % 4 terms
# past the last chunk one by one (found by probing single
# elements: one term of 2**24 among ones).  Which rows, by the row modulo 4, for each column (9 columns take
# yet another pattern, not modelled):
_HEADS = {5: 1, 6: 2, 7: 3, 10: 2, 11: 3}


def _chunked_rows(n: int, column: int, m: int) -> np.ndarray:
    quarter = np.arange(m) % 4
    if n == 5:
        return quarter == 3
    if n in (6, 10):
        return quarter % 2 == 1
    return quarter > column


def _head_chunks(a: np.ndarray, b: np.ndarray, base: np.ndarray | None) -> np.ndarray:
    m, n = a.shape[0], b.shape[1]
    result = k_order(a, b, base)
    if base is not None:
        base = np.broadcast_to(base, (m, n))
    for column in range(_HEADS[n]):
        rows = np.flatnonzero(_chunked_rows(n, column, m))
        if rows.size:
            start = None if base is None else base[rows, column]
            result[rows, column] = _in_chunks(a[rows], b[:, column], start)
    return result


def _in_chunks(x: np.ndarray, w: np.ndarray, start: np.ndarray | None) -> np.ndarray:
    """x @ w (x: rows by k) in chunks of four terms: the even chunks' terms one by one, each odd chunk summed
    on its own from +0 and then added, all in order from `start` (or +0), then the k % 4 terms left one by
    one."""
    rows, k = x.shape
    products = np.multiply(x, w)
    whole = k // 4 * 4
    chunks = products[:, :whole].reshape(rows, k // 4, 4)
    alone = chunks[:, 1::2]
    sums = (((alone[..., 0] + 0) + alone[..., 1]) + alone[..., 2]) + alone[..., 3]
    direct = chunks[:, 0::2]
    terms = np.zeros((rows, direct.shape[1], 5), x.dtype)  # (each even chunk's terms, then the next one's sum)
    terms[..., :4] = direct
    terms[:, : sums.shape[1], 4] = sums
    width = 4 * direct.shape[1] + sums.shape[1]  # (no sum after a last even chunk)
    first = np.zeros((1, rows), x.dtype) if start is None else np.asarray(start, x.dtype)[None]
    return _sum_in_order(np.concatenate((first, terms.reshape(rows, -1)[:, :width].T, products[:, whole:].T)))


def k_order(a: np.ndarray, b: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """a @ b as the rounded products added along k from +0, or from `start` (broadcast to the result).  The
    products of a block of terms at a time, (terms, rows, columns) with the longer of the result's sides
    innermost (the transposed result where that is its rows), each block's sum carried into the next one's
    first term."""
    (m, k), n = a.shape, b.shape[1]
    flip = m > n  # (the transposed product b^T a^T has the same products and sums)
    left, right = (b.T, a.T) if flip else (a, b)
    rows, columns = left.shape[0], right.shape[1]
    if start is None and 1 < rows * columns and k * rows * columns <= _CHUNK:  # (one block: the commonest)
        terms = np.multiply(left.T[:, :, None], right[:, None, :], order="C")
        total = np.add.reduce(terms, 0, initial=0.0)  # (_sum_in_order, from +0: a sum of -0 products is +0)
        return np.ascontiguousarray(total.T) if flip else total
    total = None
    if start is not None:
        total = np.array(np.broadcast_to(start, (m, n)).T if flip else np.broadcast_to(start, (m, n)))
    step = max(1, _CHUNK // (rows * columns))
    for first in range(0, k, step):
        terms = np.multiply(left.T[first : first + step, :, None], right[first : first + step, None, :], order="C")
        if total is not None:
            terms[0] += total
        total = _sum_in_order(terms)
    if start is None:
        total += 0  # (from +0: a sum of -0 products is +0)
    return np.ascontiguousarray(total.T) if flip else total


def _sum_in_order(terms: np.ndarray) -> np.ndarray:
    """The terms (k, ...) added along the first axis one after another: a reduce adds in order along an axis
    that is not the innermost in memory (so in C order), from -0 (numpy's reduce starts from its identity, +0,
    which would turn a first term of -0 and -0s after it into +0); where the rest is a single element,
    accumulate."""
    flat = np.ascontiguousarray(terms).reshape(len(terms), -1)
    total = np.add.reduce(flat, 0, initial=-0.0) if flat.shape[1] > 1 else np.add.accumulate(flat[:, 0])[-1:]
    return total.reshape(terms.shape[1:])


def k_order_batched(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for stacks of matrices (batch, m, k) and (batch, k, n): each element's rounded products added in k
    order from +0, blocks of matrices at a time."""
    batch, m, k = a.shape
    n = b.shape[2]
    result = np.empty((batch, m, n), a.dtype)
    step = max(1, _CHUNK // (m * k * n))
    for first in range(0, batch, step):
        x, y = a[first : first + step], b[first : first + step]
        terms = np.multiply(np.moveaxis(x, 2, 0)[..., None], np.moveaxis(y, 1, 0)[:, :, None, :], order="C")
        total = _sum_in_order(terms)  # (terms, matrices, rows, columns)
        total += 0  # (from +0)
        result[first : first + step] = total
    return result


# the fused kernel's blocks of k: all of k up to _K_BLOCK terms, halves up to twice that, then _K_BLOCK at a time
_K_BLOCK, _TILE = 192, 16
# OpenBLAS's small-matrix kernels, which it runs on products of up to about a million multiply-adds, sum a
# column-major b in another order: below this size b is copied to rows
_SMALL_PRODUCTS = 1 << 21


def fused_blocks_modelled() -> bool:
    """Whether float32's fused blocks and double's groups of columns are modelled here for all the terms MKL
    sums so (`_fused_terms`); elsewhere those products are numpy's, within BLAS rounding of torch's."""
    return _fused_terms(np.float32) >= _K_BLOCK and _fused_terms(np.float64) >= _DOUBLE_TERMS + 1


@functools.cache
def _fused_terms(dtype: type) -> int:
    """Up to how many terms numpy's product sums each element of a row-major product as fused multiply-adds in
    k order from +0, as `_blocks` and `_double_groups` take its BLAS's kernel to (OpenBLAS's on AMD family 19h
    does; on family 1Ah its sgemm kernel splits the terms otherwise): probed at first use against the chain
    itself, at the counts the callers need, most first (0: none of them)."""
    rng = np.random.default_rng(0)
    # a block of float32's fused kernel; double's groups, a bias as one more term (OpenBLAS's dgemm kernel on
    # AMD family 1Ah keeps k order up to 256 terms only)
    for k in (_K_BLOCK,) if dtype == np.float32 else (_DOUBLE_TERMS + 1, 256):
        a, b = rng.standard_normal((8, k)).astype(dtype), rng.standard_normal((k, 32)).astype(dtype)
        if _is_fused_chain(np.matmul(a, b), a, b):
            return k
    return 0


def _is_fused_chain(product: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether `product` is a @ b as fused multiply-adds in k order from +0: float's every element (by
    fused_running_sum), double's one element of each row, in another column each (by the C library's fma)."""
    if a.dtype == np.float32:
        shape = (a.shape[1], a.shape[0], b.shape[1])
        chain = fused_running_sum(np.broadcast_to(a.T[:, :, None], shape), np.broadcast_to(b[:, None, :], shape))
        return np.array_equal(product, chain)
    for i, row in enumerate(a.tolist()):
        j, total = 5 * i % b.shape[1], 0.0
        for x, y in zip(row, b[:, j].tolist()):
            total = fma_scalar(x, y, total)
        if product[i, j] != total:
            return False
    return True


def _blocks(a: np.ndarray, b: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
    """base + a @ b in the fused kernel's order: numpy's product of each block of k, added to the base (or
    from the first block) in turn.  OpenBLAS sums a column-major b, or a last tile narrower than _TILE
    columns, in another order: a small b is taken as rows, and its last columns widened with zeros to a tile."""
    (m, k), n = a.shape, b.shape[1]
    step = k if k <= _K_BLOCK else k // 2 if k <= 2 * _K_BLOCK else _K_BLOCK
    if m * n * step <= _SMALL_PRODUCTS:
        b = np.ascontiguousarray(b)
    whole = n // _TILE * _TILE
    last = None
    if whole < n:
        last = np.zeros((k, _TILE), b.dtype)
        last[:, : n - whole] = b[:, whole:]
    result = None if base is None else np.array(np.broadcast_to(base, (m, n)))
    for start in range(0, k, step):
        terms = slice(start, start + step)
        block = np.matmul(a[:, terms], b[terms, :whole]) if whole else None
        if last is not None:
            tail = np.matmul(a[:, terms], last[terms])[:, : n - whole]
            block = tail if block is None else np.concatenate((block, tail), 1)
        if result is None:
            result = np.ascontiguousarray(block)
        else:
            result += block
    return result


def _split(a: np.ndarray, b: np.ndarray, base: np.ndarray | None, layouts: tuple) -> np.ndarray | None:
    """5-7 or 9-11 rows: the rows up to the last multiple of four in the fused kernel, the others as a product
    of their own (in the operands' layouts)."""
    top = a.shape[0] // 4 * 4
    bases = (None, None) if base is None else (base[:top], base[top:])
    rest = _rows(a[top:], b, bases[1], layouts)
    if rest is None:
        return None
    return np.concatenate((_blocks(a[:top], b, bases[0]), rest))


# dgemm of a row-major b from 12 columns and 4 rows: the columns in groups of 12 as fused multiply-adds in k
# order from +0, or from a bias (numpy's dgemm sums them so on whole tiles of 8 columns, for up to
# _DOUBLE_TERMS terms measured; the bias as a first term of 1 times it), the columns past the last group in
# k order, the rows past the last multiple of four as a product of their own.  Where the columns left are an
# odd count above one, the first of them is summed otherwise, and a base that is not one row broadcast is
# added otherwise (neither modelled).
_DOUBLE_TERMS, _DOUBLE_TILE = 300, 8
_DOUBLE_TAILS = (0, 1, 2, 4, 6, 8, 10)


def _double_groups(a: np.ndarray, b: np.ndarray, base: np.ndarray | None, layouts: tuple) -> np.ndarray | None:
    (m, k), n = a.shape, b.shape[1]
    row = None
    if base is not None:
        base = np.broadcast_to(base, (m, n))
        if base.strides[0] != 0:
            return None
        row = base[0]
    top, grouped = m // 4 * 4, n // 12 * 12
    width = -(-grouped // _DOUBLE_TILE) * _DOUBLE_TILE
    first = 0 if row is None else 1
    tiles = np.zeros((first + k, width), b.dtype)
    tiles[first:, :grouped] = b[:, :grouped]
    left = a[:top]
    if row is not None:
        tiles[0, :grouped] = row[:grouped]
        left = np.concatenate((np.ones((top, 1), a.dtype), left), 1)
    parts = [np.matmul(left, tiles)[:, :grouped]]
    if grouped < n:
        parts.append(k_order(a[:top], b[:, grouped:], None if row is None else row[grouped:]))
    result = np.concatenate(parts, 1) if len(parts) > 1 else np.ascontiguousarray(parts[0])
    if top < m:
        rest = _rows(a[top:], b, None if base is None else base[top:], layouts)
        if rest is None:
            return None
        result = np.concatenate((result, rest))
    return result


_VECTOR_BYTES = 16  # (the lanes' vector: SSE's)
_CACHED = 1 << 15  # products held at once while summing in lanes


def _in_lanes(a: np.ndarray, b: np.ndarray, layouts: tuple) -> bool:
    """Where MKL sums a row-major a times a column-major b in lanes: 2 or 3 rows, or up to 11 columns, a's
    data starting on an element boundary (a whole number of elements past a 16-byte boundary)."""
    m, n = a.shape[0], b.shape[1]
    return layouts == ("C", "F") and m >= 2 and n >= 2 and (m <= 3 or n <= 11) and a.ctypes.data % a.itemsize == 0


def _lanes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b in lanes: the first n // 4 * 4 columns in 16 bytes of lanes, the others in twice as many; each
    row of a first takes its terms up to its next 16-byte boundary one by one (rows by that count)."""
    (m, k), n = a.shape, b.shape[1]
    split = n // 4 * 4
    width = _VECTOR_BYTES // a.itemsize
    result = np.empty((m, n), a.dtype)
    offsets = (a.ctypes.data // a.itemsize + k * np.arange(m)) % width  # (each row's elements past a boundary)
    for offset in np.unique(offsets):
        rows = np.flatnonzero(offsets == offset)
        rows = slice(None) if rows.size == m else rows
        for columns, lanes in ((slice(0, split), width), (slice(split, n), 2 * width)):
            if columns.start < columns.stop:
                result[rows, columns] = _lane_sums(a[rows], b.T[columns], lanes, int(-offset % width))
    return result


def _lane_sums(a: np.ndarray, w: np.ndarray, lanes: int, head: int) -> np.ndarray:
    """a @ w.T: each pair of rows' first `head` products one by one into lane 0, the rest summed in `lanes`
    lanes from +0 (blocks of rows of a at a time), the lanes added by halves, then the terms past the last
    whole vector one by one."""
    (m, k), n = a.shape, w.shape[0]
    head = min(head, k)
    vectors = (k - head) // lanes
    whole = head + vectors * lanes
    # the terms as (vectors, lanes, n, rows), the rows innermost (numpy's loops run along the innermost axis):
    # each lane's terms along the first axis
    right = w[:, head:whole].reshape(n, vectors, lanes).transpose(1, 2, 0)[..., None]
    result = np.empty((m, n), a.dtype)
    rows = max(1, _CHUNK // (n * k))
    for first in range(0, m, rows):
        block = a[first : first + rows]
        left = np.ascontiguousarray(block[:, head:whole].reshape(len(block), vectors, lanes).transpose(1, 2, 0))
        sums = np.zeros((lanes, n, len(block)), a.dtype)  # (from +0)
        for i in range(head):
            sums[0] += np.multiply.outer(w[:, i], block[:, i])
        step = max(1, _CACHED // (lanes * n * len(block)))
        for start in range(0, vectors, step):  # (blocks of vectors that stay in cache, each carried into the next)
            terms = np.multiply(right[start : start + step], left[start : start + step, :, None, :], order="C")
            terms[0] += sums
            sums = _sum_in_order(terms)
        while len(sums) > 1:
            sums = sums[: len(sums) // 2] + sums[len(sums) // 2 :]
        total = sums[0].T
        for i in range(whole, k):
            total += np.multiply.outer(block[:, i], w[:, i])
        result[first : first + rows] = total
    return result
