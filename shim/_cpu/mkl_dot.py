"""The order in which MKL's sdot/ddot and its gemv of a row-major matrix (each row dotted with the vector) add
their terms, as torch 2.13 calls them (dot, vdot, inner, matmul of two vectors; mv, matmul of a matrix and a
vector) on the AMD CPUs vml.py models, so that they are bit-identical rather than within BLAS rounding.

Measured against torch (stop 57: tree search over every summation order of up to 8 terms, then models fitted
and checked on thousands of random vectors and matrices), on 16-byte SSE lanes, the rounded products (no fused
multiply-adds), every lane starting from +0:

- dot: the terms before the second vector's first 16-byte boundary one by one into lane 0 of the first of four
  accumulators (so its alignment matters: torch's storages start on 64 bytes, a view's offset moves it); then
  blocks of 4 x lanes terms, one vector per accumulator; then float: 8 terms into the first two accumulators,
  4 into the first, double: up to three pairs into the first; the last terms one by one into lane 0; the four
  accumulators added in turn, their lanes by halves.  From 32 KB per vector MKL splits the sum between two
  threads at ceil(k / 2) and adds the two halves (the second half's alignment is its own).  Both vectors
  must lie at one offset from a 16-byte boundary (else MKL takes another path: not modelled).
- gemv of a C-contiguous matrix starting on 16 bytes, rows in groups of four: each row's first (k - 1) % lanes
  + 1 terms one by one into lane 0, then the rest a vector at a time into one accumulator, its lanes by
  halves; float32's single row past the groups: its terms up to the vector's next 16-byte boundary (four on
  one) one by one, then vectors of eight lanes, the lanes by halves, then the terms left one by one.  Other
  rows past the groups (or that row with a strided vector), other layouts and strides, a matrix off 16 bytes:
  not modelled.
"""

from __future__ import annotations

import numpy as np

from .threads import get_num_threads

__all__ = ["dot", "gemv"]

_LANES = {np.dtype(np.float32): 4, np.dtype(np.float64): 2}
_BOUNDARY = 16  # bytes: SSE's aligned loads
_SPLIT_BYTES = 1 << 15  # bytes per vector from which dot runs on two threads
_ACCUMULATORS = 4


def dot(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """x . y (1-d, one float dtype, equal lengths) as MKL's dot sums it (a 0-d array); None where its order is
    not modelled here."""
    lanes = _LANES.get(x.dtype)
    k = x.size
    if lanes is None or y.dtype != x.dtype or not k:
        return None
    offset = y.ctypes.data % _BOUNDARY
    if k > 1 and (x.strides[0] != x.itemsize or y.strides[0] != y.itemsize or x.ctypes.data % _BOUNDARY != offset):
        return None
    if offset % x.itemsize:
        return None
    products = np.multiply(x, y)
    shift = offset // x.itemsize
    if k * x.itemsize < _SPLIT_BYTES or get_num_threads() == 1:
        return _dot_part(products, shift, lanes)
    if get_num_threads() > 2:  # (measured on two threads only)
        return None
    cut = -(-k // 2)
    return _dot_part(products[:cut], shift, lanes) + _dot_part(products[cut:], (shift + cut) % lanes, lanes)


def _dot_part(products: np.ndarray, shift: int, lanes: int) -> np.ndarray:
    """One thread's sum (products: its own, written to), `shift` elements past a boundary.  Each accumulator's
    lanes summed along the blocks by one reduce (in order: the blocks' axis is not the innermost), the
    scalars before the first boundary added to the first block's lane 0 first.  (A lane starting from +0
    never holds -0: the +0 at the end stands for that start.)"""
    k = products.size
    head = min(k, -shift % lanes)
    block = _ACCUMULATORS * lanes
    main = head + (k - head) // block * block
    first = products[0] if head else None
    for at in range(1, head):
        first += products[at]
    if main > head:
        if head:
            products[head] += first
        accumulators = np.add.reduce(products[head:main].reshape(-1, _ACCUMULATORS, lanes), 0)
    else:
        accumulators = np.zeros((_ACCUMULATORS, lanes), products.dtype)
        if head:
            accumulators[0, 0] = first
    at = main
    if lanes == 4:  # float: 8 terms into accumulators 0 and 1, then 4 into 0
        for width in (2, 1):
            if k - at >= 4 * width:
                accumulators[:width] += products[at : at + 4 * width].reshape(width, 4)
                at += 4 * width
    else:  # double: pairs into accumulator 0
        while k - at >= 2:
            accumulators[0] += products[at : at + 2]
            at += 2
    for term in products[at:]:  # the last terms one by one into lane 0
        accumulators[0, 0] += term
    return _by_halves(np.add.reduce(accumulators, 0)) + products.dtype.type(0)


def gemv(a: np.ndarray, x: np.ndarray, base: np.ndarray | None = None) -> np.ndarray | None:
    """base + a @ x (a: 2-d, x: 1-d, one float dtype; base: the result's shape, or none: +0) as MKL's gemv
    computes it for a row-major a, each row's sum added to the base; None where its order is not modelled."""
    lanes = _LANES.get(a.dtype)
    m, k = a.shape
    if lanes is None or x.dtype != a.dtype or not (m and k) or a.strides[1:] != (a.itemsize,):
        return None
    if m > 1 and a.strides[0] != k * a.itemsize:  # (row-major: a single row's stride is any)
        return None
    if a.ctypes.data % _BOUNDARY or m % 4 > (1 if lanes == 4 else 0):
        return None
    grouped = m // 4 * 4
    if grouped < m and ((k > 1 and x.strides[0] != x.itemsize) or x.ctypes.data % x.itemsize):
        return None
    terms = np.multiply(a.T, x[:, None], order="C")  # (k by rows: each row's products down a column)
    sums = _in_vectors(terms[:, :grouped], (k - 1) % lanes + 1, lanes)
    if grouped < m:
        shift = x.ctypes.data % _BOUNDARY // x.itemsize
        last = _in_vectors(terms[:, grouped:], (-shift - 1) % 4 + 1, 8)  # (float: the one row past the groups)
        sums = np.concatenate((sums, last)) if grouped else last
    return sums + (a.dtype.type(0) if base is None else base)  # (-0 where a row's terms are all -0, one by one)


def _in_vectors(terms: np.ndarray, head: int, lanes: int) -> np.ndarray:
    """Each row's sum (terms: k by rows, a row's products down a column, rows unit-strided; written to): its
    first `head` products one by one into lane 0, then vectors of `lanes` into one accumulator (one reduce
    along the vectors: in order, their axis outermost; the lanes start from +0), the lanes by halves, then the
    products left one by one.  Where no vector is left the terms go one by one from the first (-0s stay -0)."""
    k = terms.shape[0]
    head = min(k, head)
    vectors = (k - head) // lanes
    end = head + vectors * lanes
    total = terms[0].copy()
    for term in terms[1:head]:
        total += term
    if vectors:
        terms[head] += total
        total = _by_halves(np.add.reduce(terms[head:end].reshape(vectors, lanes, -1), 0))
    for term in terms[end:]:
        total += term
    return total


def _by_halves(lanes: np.ndarray) -> np.ndarray:
    """The lanes (along the first axis, 2**j of them) added by halves: lane i to lane i + half, until one is
    left."""
    while len(lanes) > 1:
        half = len(lanes) // 2
        lanes = lanes[:half] + lanes[half:]
    return lanes[0]
