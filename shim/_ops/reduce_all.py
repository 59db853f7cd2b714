"""Which zero torch's max() and min() of all elements return when the extreme is zero.

`max_all`/`min_all` (aten/src/ATen/native/cpu/ReduceAllOpsKernel.cpp) run `vec::reduce_all` over the
contiguous input, one range per thread, and combine the ranges' results with std::max/std::min, which keep
the first of equal values.  Within a range, AVX2's `_mm256_max_ps`/`_mm256_min_ps` answer their second
operand where the two are equal, so between 0.0 and -0.0 the later one wins: per lane over the blocks of
the range (the tail block filling the first lanes), then across the lanes, by a loop (double, and a range
shorter than a vector) or by VecReduceAllSIMD's halving shuffles (float).  Half and bfloat16 are read as
two float vectors per 16-element block, folded together before the shuffles
(functional_bfloat16.h).  Checked against torch 2.13 on random mixes of signed zeros.

amax()/amin() of all elements run Reduce.h's `vectorized_inner_reduction` instead (reduce_values_zero).
"""

from __future__ import annotations

import numpy as np

from .._cpu.simd import vector_bytes
from .._cpu.threads import parallel_chunks

__all__ = ["reduce_all_zero", "reduce_values_zero"]

# VecReduceAllSIMD<float>: _mm256_permute2f128_ps(v, v, 1), then _mm256_shuffle_ps(v, v, 0x4E) and 0xB1
_FLOAT_SHUFFLES = ((4, 5, 6, 7, 0, 1, 2, 3), (2, 3, 0, 1, 6, 7, 4, 5), (1, 0, 3, 2, 5, 4, 7, 6))


def reduce_all_zero(flat: np.ndarray, largest: bool) -> np.generic:
    """The element torch's max() (largest) or min() of the 1-d float array `flat` returns, given that its
    extreme is a zero: the first range whose own result is that zero."""
    for start, end in parallel_chunks(flat.size):
        part = flat[start:end]
        if (part.max() if largest else part.min()) == 0:
            return _range_zero(part, largest)
    raise ValueError("the extreme is not zero")


def _range_zero(x: np.ndarray, largest: bool):
    def pick(a, b):
        return _pick(a, b, largest)

    def fold(lanes, size):  # vec_reduce_all's loop: lane 0 against each following lane
        acc = lanes[0]
        for i in range(1, size):
            acc = pick(acc, lanes[i])
        return acc

    def shuffles(lanes):
        for order in _FLOAT_SHUFFLES:
            lanes = pick(lanes, lanes[list(order)])
        return lanes[0]

    n = x.size
    if x.dtype.itemsize == 2:  # a 16-lane block read as two float vectors
        if n >= 16:
            lanes = _lanes(x, 16, largest)
            return shuffles(pick(lanes[:8], lanes[8:]))
        lanes = np.zeros(16, x.dtype)
        lanes[:n] = x
        if n > 8:
            lanes[: n - 8] = pick(lanes[: n - 8], lanes[8:n])
            return fold(lanes, 8)
        return fold(lanes, n)
    width = vector_bytes(avx512=False) // x.dtype.itemsize  # (measured: AVX2 lanes, on an AVX512 CPU too)
    if n < width:
        return fold(x, n)
    lanes = _lanes(x, width, largest)
    return shuffles(lanes) if x.dtype == np.float32 else fold(lanes, width)


def _lanes(x: np.ndarray, width: int, largest: bool) -> np.ndarray:
    """Each lane's accumulator after the blocks: its extreme, and where that is zero, the lane's last zero."""
    blocks = -(-x.size // width)
    padded = np.full(blocks * width, -np.inf if largest else np.inf, x.dtype)
    padded[: x.size] = x
    rows = padded.reshape(blocks, width)
    extreme = rows.max(axis=0) if largest else rows.min(axis=0)
    last_zero = blocks - 1 - np.argmax(rows[::-1] == 0, axis=0)
    return np.where(extreme == 0, rows[last_zero, np.arange(width)], extreme)


def reduce_values_zero(flat: np.ndarray, largest: bool) -> np.generic:
    """The zero torch's amax() (largest) or amin() of the contiguous 1-d float array `flat` returns, given
    that its extreme is zero.  two_pass_reduction gives each thread a range and combines their results in
    thread order; a range is reduced by vectorized_inner_reduction: four vector accumulators over blocks of
    4 vectors (the vector max/min answers its second operand between equal values), folded pairwise, the
    lanes folded by the scalar op (std::max/std::min: the first of equal values), then the scalar tail."""
    width = vector_bytes(avx512=False) // flat.dtype.itemsize
    result = None
    for start, end in parallel_chunks(flat.size):
        part = flat[start:end]
        blocks = part.size // (4 * width)
        values = list(part[blocks * 4 * width :])
        if blocks:
            acc = _lanes(part[: blocks * 4 * width], 4 * width, largest).reshape(4, width)
            acc = _pick(_pick(acc[0], acc[1], largest), _pick(acc[2], acc[3], largest), largest)
            values[:0] = acc
        for value in values:
            if result is None or (value > result if largest else value < result):
                result = value
    return result


def _pick(a: np.ndarray, b: np.ndarray, largest: bool) -> np.ndarray:
    """The vector max/min (_mm256_max_ps(a, b)): b where b is at least as extreme as a."""
    return np.where(b >= a if largest else b <= a, b, a)
