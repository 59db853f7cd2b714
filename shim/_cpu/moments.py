"""torch's RowwiseMoments for float32 (aten/src/ATen/native/cpu/moments_utils.h): the mean and biased
variance of each row by Welford's algorithm, vectorised and cascaded, as layer_norm computes them.

A row is read as vectors of 8 floats (the AVX2 width: measured, layer_norm is not dispatched to AVX512
kernels here), in chunks of 16 vectors. Each chunk's lanes run Welford's update from zero with fused
multiply-adds (UpdateMomentsVec: computed for every chunk at once); the chunks' moments join, in order, a
stack of partial moments (AddMomentsVec), whose levels merge like a binary counter, depth CeilLog2(chunks)
deep, and are folded into its first level at the end. The elements after the last whole vector run the
scalar Welford update, and the eight lanes are then merged into them in order (AddMoments, whose products
GCC contracts into fused multiply-adds: measured). Each row is independent, so rows are computed together,
one numpy operation for all of them."""

from __future__ import annotations

import numpy as np

from .fma import _CHAIN_UP_TO, Fma32Chain, fma32

__all__ = ["rowwise_moments"]

_LANES = 8  # Vectorized<float>::size() of the kernel that runs
_CHUNK = 16  # kChunkSize
_F32 = np.float32
_INVERSES = [np.float64(_F32(1) / _F32(i + 1)) for i in range(_CHUNK)]  # c_vecs (floats, held as doubles)


def _ceil_log2(x: int) -> int:
    return 1 if x <= 2 else (x - 1).bit_length()


def _add_moments_vec(fma, m0_add: int, m1_add, m2_add, m0: int, m1, m2) -> tuple:
    n = m0 + m0_add
    c = _F32(0) if n == 0 else _F32(m0_add) / _F32(n)
    delta = m1_add - m1
    c_delta = c * delta
    return n, m1 + c_delta, fma(delta * _F32(m0), c_delta, m2 + m2_add)


def _add_moments(fma, m0_add: int, m1_add, m2_add, m0: int, m1, m2) -> tuple:
    n = m0 + m0_add
    c = _F32(0) if n == 0 else _F32(m0_add) / _F32(n)
    delta = m1_add - m1
    return n, fma(c, delta, m1), m2 + fma(delta * delta * c, _F32(m0), m2_add)


def _update_moments(fma, vectors: np.ndarray, chunks: int) -> tuple[np.ndarray, np.ndarray]:
    """vectors: (rows, n, lanes) -> each chunk's (m1, m2), (rows, chunks, lanes): UpdateMomentsVec, Welford's
    update from zero over the chunk's vectors in turn, for all chunks at once (a short last chunk stops
    early)."""
    rows, n, lanes = vectors.shape
    padded = np.zeros((rows, chunks * _CHUNK, lanes), _F32)
    padded[:, :n] = vectors
    padded = np.ascontiguousarray(padded.reshape(rows, chunks, _CHUNK, lanes).transpose(2, 0, 1, 3))  # (step first)
    m1 = m2 = np.zeros((rows, chunks, lanes), _F32)
    m1_wide = m2_wide = np.zeros(m1.shape)  # the same floats as doubles: the fused steps' operands, which
    # numpy multiplies and adds fastest in one dtype
    last = n - (chunks - 1) * _CHUNK  # the vectors in the last chunk
    for j in range(_CHUNK if chunks > 1 else last):
        v = padded[j]
        delta = (v - m1).astype(np.float64)
        new_m1 = fma(_INVERSES[j], delta, m1_wide)
        new_m2 = fma(delta, (v - new_m1).astype(np.float64), m2_wide)
        if j >= last:  # past the end of the last chunk: it keeps its moments
            new_m1[:, -1], new_m2[:, -1] = m1[:, -1], m2[:, -1]
        m1, m2 = new_m1, new_m2
        m1_wide, m2_wide = m1.astype(np.float64), m2.astype(np.float64)
    return m1, m2


def rowwise_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x: (rows, N) float32 -> per row (mean, biased variance), float32, bit for bit as torch's: the steps'
    fused multiply-adds rounded at once and checked together at the end (Fma32Chain), else all run again
    with fma32's own checks."""
    if x.size > _CHAIN_UP_TO:  # (the chain keeps its sums: 32 bytes per element; fma32's checks cost little here)
        return _rowwise_moments(x, fma32)
    chain = Fma32Chain()
    moments = _rowwise_moments(x, chain)
    return moments if chain.exact() else _rowwise_moments(x, fma32)


def _rowwise_moments(x: np.ndarray, fma) -> tuple[np.ndarray, np.ndarray]:
    rows, size = x.shape
    vectors = size // _LANES
    chunks = -(-vectors // _CHUNK)
    depth = _ceil_log2(chunks)
    zero = np.zeros((rows, _LANES), _F32)
    stack = [(0, zero, zero)] * depth
    with np.errstate(all="ignore"):
        if chunks:
            chunk_m1, chunk_m2 = _update_moments(fma, x[:, : vectors * _LANES].reshape(rows, vectors, _LANES), chunks)
        for i in range(chunks):
            count = min(_CHUNK, vectors - i * _CHUNK)
            stack[0] = _add_moments_vec(fma, count, chunk_m1[:, i], chunk_m2[:, i], *stack[0])
            mask, level = i + 1, 1
            while level < depth and mask & 1 == 0:
                stack[level] = _add_moments_vec(fma, *stack[level - 1], *stack[level])
                stack[level - 1] = (0, zero, zero)
                mask >>= 1
                level += 1
        for level in range(1, depth):
            stack[0] = _add_moments_vec(fma, *stack[level], *stack[0])
        count, m1, m2 = 0, np.zeros(rows, _F32), np.zeros(rows, _F32)
        for k in range(vectors * _LANES, size):  # the scalar tail (its products are not fused)
            v = x[:, k]
            delta = v - m1
            count += 1
            m1 = m1 + delta / _F32(count)
            m2 = m2 + delta * (v - m1)
        lanes_m1, lanes_m2 = stack[0][1], stack[0][2]
        for lane in range(_LANES):
            count, m1, m2 = _add_moments(fma, vectors, lanes_m1[:, lane], lanes_m2[:, lane], count, m1, m2)
        return m1, m2 / _F32(size)
