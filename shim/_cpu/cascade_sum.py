"""torch's CPU summation order for float and double (aten/src/ATen/native/cpu/SumKernel.cpp), so that a
sum is bit-identical, not merely close.

A row contiguous in memory is summed as 32-byte vectors (AVX2 lanes; the DEFAULT build has the same
width), four vectors at a time (`row_sum`'s ILP factor).  `multi_row_sum` adds those rows in blocks of
L = 2**max(4, ceil(log2(rows)) // 4), sequentially, and carries block sums up a four-level cascade,
each level flushed to the next every L entries.  The lanes are then added to the scalar tail in order.
A full reduction larger than one grain (32768 elements) is split between torch's threads
(`two_pass_reduction`): each thread sums its chunk into a zeroed slot, and the slots are added in
thread order.  Checked bit for bit against torch 2.13 on random data of 5 to 3,000,000 elements.
"""

from __future__ import annotations

import math

import numpy as np

from .quiet import quiet_numpy
from .threads import parallel_chunks

__all__ = ["cascade_sum", "ordered_sum"]

_VECTOR_BYTES = 32
_ILP = 4
_LEVELS = 4


_LOOP_FROM = 1024  # slices of at least this many elements are added in a Python loop; smaller, accumulate


def _in_order(x: np.ndarray, axis: int = 1) -> np.ndarray:
    """The entries along `axis` added one by one, as a C loop adds them from +0, except that a sum of
    only -0s may come out as -0: ufunc.accumulate (sequential, but slow on large slices) starts from the
    first entry.  That sign is lost in any later sum but the all-zero one, which `_inner_sums` fixes."""
    count = x.shape[axis]
    if count == 0 or x.size >= _LOOP_FROM * count:
        total = np.zeros(x.shape[:axis] + x.shape[axis + 1 :], x.dtype)
        for j in range(count):
            total += x[(slice(None),) * axis + (j,)]
        return total
    return np.add.accumulate(x, axis=axis)[(slice(None),) * axis + (-1,)]


def _sequential(x: np.ndarray, group: int) -> tuple[np.ndarray, np.ndarray]:
    """x: (batch, n, ...) -> sums of each full group of `group` entries along axis 1, added in order from
    zero, and the ordered sum of the entries left over."""
    full = x.shape[1] // group
    grouped = x[:, : full * group].reshape((x.shape[0], full, group) + x.shape[2:])
    return _in_order(grouped, axis=2), _in_order(x[:, full * group :])


def _multi_row_sum(rows: np.ndarray) -> np.ndarray:
    """rows: (batch, size, nrows, lanes) -> (batch, nrows, lanes), the four-level cascade."""
    size = rows.shape[1]
    step = 1 << max(4, (size - 1).bit_length() // _LEVELS if size > 1 else 0)
    blocks, acc0 = _sequential(rows, step)  # acc0: the rows after the last full block
    level1, acc1 = _sequential(blocks, step)
    level2, acc2 = _sequential(level1, step)
    acc3 = _in_order(level2)  # the last level is never flushed
    acc0 += acc1
    acc0 += acc2
    acc0 += acc3
    return acc0


def _inner_sums(a: np.ndarray) -> np.ndarray:
    """a: (batch, n) C-contiguous -> (batch,) torch's vectorized_inner_sum of each row (a row shorter
    than one vector takes the scalar row_sum: the same ILP partials, one lane wide)."""
    batch, n = a.shape
    lanes = _VECTOR_BYTES // a.itemsize
    if n < lanes:
        lanes = 1
    vec_size = n // lanes
    vectors = a[:, : vec_size * lanes].reshape(batch, vec_size, lanes)
    size_ilp = vec_size // _ILP
    if size_ilp:
        partial = _multi_row_sum(vectors[:, : size_ilp * _ILP].reshape(batch, size_ilp, _ILP, lanes))
        first = partial[:, 0]
    else:  # the other partials stay +0: adding them changes nothing
        first = np.zeros((batch, lanes), a.dtype)
    for j in range(size_ilp * _ILP, vec_size):
        first += vectors[:, j]
    if size_ilp:
        for k in range(1, _ILP):
            first += partial[:, k]
    # from +0, the scalar tail, then the vector's lanes, in order; adding +0 gives +0 for a sum of -0s
    total = _in_order(np.concatenate([a[:, vec_size * lanes :], first], axis=1))
    return np.add(total, 0, dtype=a.dtype)


def cascade_sum(a: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray | None:
    """torch's sum of float32/float64 `a` over `axes`, or None where its order is not modelled here (the
    reduced axes must be the trailing ones of a C-contiguous array)."""
    if a.dtype.type not in (np.float32, np.float64) or not a.flags.c_contiguous or a.size == 0:
        return None
    nd = a.ndim
    if nd == 0 or sorted(axes) != list(range(nd - len(axes), nd)):
        return None
    kept = a.shape[: nd - len(axes)]
    rows = a.reshape(-1, math.prod(a.shape[nd - len(axes) :]))
    with quiet_numpy():
        chunks = parallel_chunks(rows.shape[1]) if rows.shape[0] == 1 else ()
        if len(chunks) > 1:
            parts = [_inner_sums(rows[:, begin:end])[0] for begin, end in chunks]
            total = a.dtype.type(0)
            for part in parts:
                total = a.dtype.type(total + part)
            sums = np.array([total], a.dtype)
        else:
            sums = _inner_sums(rows)
    out = sums.reshape(kept)
    if keepdims:
        out = out.reshape(kept + (1,) * len(axes))
    return out


def ordered_sum(a: np.ndarray, axes, keepdims: bool = False) -> np.ndarray:
    """A sum in torch's order where it is modelled (cascade_sum), else numpy's pairwise one: within
    torch's tolerance, not bit for bit.  Half is summed in float and rounded once, as torch accumulates it
    (numpy adds a strided half axis in half, losing every 1 added to 2392)."""
    if a.dtype == np.float16:
        with quiet_numpy():  # (past half's range: inf, as torch's conversion gives)
            return ordered_sum(a.astype(np.float32), axes, keepdims).astype(np.float16)
    value = cascade_sum(a, tuple(axes), keepdims)
    if value is None:
        with quiet_numpy():
            value = a.sum(axis=tuple(axes), keepdims=keepdims)
    return value
