"""torch's CPU multiplication order for prod of half, float and double (binary_kernel_reduce_vec in
aten/src/ATen/native/cpu/Reduce.h), so that a product is bit-identical, not merely close.

A row contiguous in memory, of at least four vectors (32 bytes each, as for sum), goes through
`reduction128`: four vector accumulators take the row's blocks of 4 * lanes in turn, are combined as
(a0 * a1) * (a2 * a3), and the lanes of that are multiplied in order; the elements after the last full
block follow one by one.  Shorter rows, and products along a strided dim (`vectorized_outer_reduction`
goes down each column in order), multiply in order from 1.  A full reduction larger than one grain is
split between torch's threads (`two_pass_reduction`): each thread's chunk gives one product, and those
are multiplied in thread order.  Checked bit for bit against torch 2.13 on 16 to 1,000,001 elements.
A full reduction of an input that does not coalesce to one run (expanded, or with gaps) walks the
iterator's rows into its one accumulator, each row's block product first, then its tail.  Half rounds
every product to half (Vectorized<Half> and Half multiply in float and convert back).
"""

from __future__ import annotations

import math

import numpy as np

from .cascade_sum import iterator_dims, strided_view
from .quiet import quiet_numpy
from .threads import GRAIN_SIZE, parallel_chunks

__all__ = ["ordered_prod"]

_VECTOR_BYTES = 32
_ACCUMULATORS = 4


def _in_order(x: np.ndarray, axis: int = 1) -> np.ndarray:
    """The entries along `axis` multiplied one by one from 1 (1 * x0 is x0 exactly).  numpy's reduce is
    that order where the axis is not the innermost in memory (it then multiplies whole rows in turn);
    along the innermost axis it may reorder, and accumulate, which never does, is used instead.  Half is
    always accumulated: numpy's half reduce loop keeps a float accumulator wherever its iterator makes the
    axis the inner loop (an expanded dim of stride 0 can put it there)."""
    if x.shape[axis] == 0:
        return np.ones(x.shape[:axis] + x.shape[axis + 1 :], x.dtype)
    others = [s for d, s in enumerate(x.strides) if x.shape[d] > 1 and d != axis]
    if others and x.strides[axis] > min(others) and x.dtype != np.float16:
        return np.multiply.reduce(x, axis=axis)
    return np.take(np.multiply.accumulate(x, axis=axis), -1, axis=axis)


def _row_terms(rows: np.ndarray) -> np.ndarray:
    """rows: (batch, n) C-contiguous -> what vectorized_inner_reduction multiplies into each row's output
    one by one: the product of its vector blocks (four accumulators, combined, their lanes in order), then
    the elements after the last full block; the row itself when it has no full block."""
    batch, n = rows.shape
    lanes = _VECTOR_BYTES // rows.itemsize
    block = _ACCUMULATORS * lanes
    count = n // block
    if not count:
        return rows
    blocks = rows[:, : count * block].reshape(batch, count, block)
    acc = _in_order(blocks).reshape(batch, _ACCUMULATORS, lanes)
    combined = _in_order((acc[:, 0] * acc[:, 1]) * (acc[:, 2] * acc[:, 3]))
    return np.concatenate([combined[:, None], rows[:, count * block :]], axis=1)


def _inner_products(rows: np.ndarray) -> np.ndarray:
    """rows: (batch, n) C-contiguous -> (batch,), vectorized_inner_reduction of each row."""
    return _in_order(_row_terms(rows))


def _strided_product(a: np.ndarray):
    """A full reduction whose input does not coalesce to one run (expanded, or with gaps), below one grain:
    TensorIterator's loop walks its dims (iterator_dims) into the one output element, a row of the
    fastest dim at a time, by vectorized_inner_reduction where that dim is contiguous, else one by one."""
    dims = iterator_dims(a, tuple(range(a.ndim)))
    loop = dims[::-1]  # slowest first
    rows = strided_view(a, [d[0] for d in loop], [d[1] * a.itemsize for d in loop]).reshape(-1, dims[0][0])
    terms = _row_terms(np.ascontiguousarray(rows)) if dims[0][1] == 1 else rows
    return _in_order(terms.reshape(1, -1))[0]


def _product(flat: np.ndarray):
    """One product over a contiguous 1-d array: split between the threads past one grain."""
    value = flat.dtype.type(1)
    for begin, end in parallel_chunks(flat.size):  # the threads' products, in thread order
        value = value * _inner_products(flat[begin:end].reshape(1, -1))[0]
    return value


def ordered_prod(a: np.ndarray, axis: int | None, keepdims: bool) -> np.ndarray | None:
    """torch's prod of float16/float32/float64 `a` over one axis or all, or None where its order is not
    modelled here (a full reduction of a grain or more whose input does not coalesce: torch's threads then
    split TensorIterator's rows).  Half multiplies in float
    and rounds each product to half, in the same order (numpy's float16 multiply does too, but its reduce
    along the innermost axis keeps a float accumulator: `_in_order` accumulates there)."""
    if a.dtype.type not in (np.float16, np.float32, np.float64) or a.ndim == 0:
        return None
    with quiet_numpy():
        if axis is None:  # TensorIterator walks a dense array in memory order
            in_memory_order = a.transpose(np.argsort(a.strides, kind="stable")[::-1])
            if in_memory_order.flags.c_contiguous:
                value = np.asarray(_product(in_memory_order.reshape(-1)))
            elif a.size < GRAIN_SIZE:
                value = np.asarray(_strided_product(a))
            else:
                return None
            return value.reshape((1,) * a.ndim) if keepdims else value
        if a.strides[axis] != a.itemsize or a.shape[axis] == 1:
            value = _in_order(a, axis)
        else:
            moved = np.moveaxis(a, axis, -1)
            rows = np.ascontiguousarray(moved).reshape(math.prod(moved.shape[:-1]), a.shape[axis])
            if rows.shape[0] == 1:  # one output: the threads split the row, as for a full reduction
                value = np.asarray([_product(rows[0])])
            else:
                value = _inner_products(rows)
            value = value.reshape(moved.shape[:-1])
    return np.expand_dims(value, axis) if keepdims else value
