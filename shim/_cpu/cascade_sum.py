"""torch's CPU summation order for float, double and their complex types (aten/src/ATen/native/cpu/
SumKernel.cpp), so that a sum is bit-identical, not merely close.

A row contiguous in memory is summed as 32-byte vectors (AVX2 lanes; the DEFAULT build has the same
width), four vectors at a time (`row_sum`'s ILP factor).  `multi_row_sum` adds those rows in blocks of
L = 2**max(4, ceil(log2(rows)) // 4), sequentially, and carries block sums up a four-level cascade,
each level flushed to the next every L entries.  The lanes are then added to the scalar tail in order.
A full reduction larger than one grain (32768 elements) is split between torch's threads
(`two_pass_reduction`): each thread sums its chunk into a zeroed slot, and the slots are added in
thread order.  Checked bit for bit against torch 2.13 on random data of 5 to 3,000,000 elements (complex:
3,000 random layouts and dims: identical but for the threaded case that cascade_sum does not model).

Any other reduction (leading dims, several dims, transposed or strided memory) follows the reduction's
TensorIterator (`iterator_dims`): its first two dims make one call of the loop, which picks one of four
kernels by layout and adds one partial per column; its other dims repeat the call; each partial is added
to its zeroed output element in turn.  Fuzzed against torch 2.13 on 6,000 random layouts and dims.

Half runs the same loop in float over the Half memory (`cascade_sum<Half>`), with three differences: a
kernel is vectorized from 16 elements (Vectorized<Half>), an inner vector of 16 halves becomes 8 float
lanes as its two halves added (lane i: elements i and i + 8), and each partial is stored as
`*out += Half(partial)`: rounded to half, added to the Half output in float, rounded again.  torch's sum
takes this kernel unless its first two iterator dims are both reduced (then it sums a float copy,
`should_use_acc_buffer`); nansum always takes it.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from .._layout import reorder_dimensions
from .quiet import quiet_numpy
from .threads import GRAIN_SIZE, parallel_chunks

__all__ = [
    "cascade_sum",
    "contiguous_total",
    "iterator_dims",
    "loop_calls",
    "ordered_sum",
    "reduced_rows",
    "reduction_order",
]

_VECTOR_BYTES = 32  # sum and nansum are not dispatched to AVX512 kernels
# complex adds part by part, so a complex sum is this cascade over complex elements, with the vector's
# lanes counted in complex numbers (Vectorized<c10::complex<float>> holds 4)
_SUMMED_TYPES = (np.float32, np.float64, np.complex64, np.complex128)
_ILP = 4
_LEVELS = 4


_LOOP_FROM = 1024  # slices of at least this many elements are added in a Python loop; smaller, accumulate
_LOOP_SLICES, _SHORT_RUN = 64, 64  # (and at most this many of them, where their runs are this short)


def _widths(a: np.ndarray, half: bool) -> tuple[int, int]:
    """(float lanes of an accumulator vector, elements a loaded vector holds: Vectorized<scalar_t>::size(),
    the kernels' thresholds) for the float array `a` (the values of a Half input where `half`)."""
    lanes = _VECTOR_BYTES // a.itemsize
    return lanes, 2 * lanes if half else lanes


def _in_order(x: np.ndarray, axis: int = 1) -> np.ndarray:
    """The entries along `axis` added one by one, as a C loop adds them from +0, except that a sum of
    only -0s may come out as -0: ufunc.accumulate (sequential, but slow on large slices) starts from the
    first entry.  That sign is lost in any later sum but the all-zero one, which callers fix by adding
    their terms to an explicit zero."""
    count, inner = x.shape[axis], math.prod(x.shape[axis + 1 :])
    if axis < x.ndim - 1 and inner > 1:
        # numpy reduces an axis that is not the innermost in memory slice by slice, in order (the
        # pairwise sum is only ever along the innermost): the fastest way.  (C-contiguous, a later dim of
        # more than one entry is innermost.)
        if not x.flags.c_contiguous and abs(x.strides[axis]) <= min(
            abs(st) for st, n in zip(x.strides, x.shape) if n > 1
        ):
            x = np.ascontiguousarray(x)
        if 0 < count <= _LOOP_SLICES and inner <= _SHORT_RUN and x.size >= _LOOP_FROM * count:
            # large slices of short runs (a vector's lanes): added one by one, each a single ufunc call (a
            # reduce runs its inner loop once per run: twice as slow)
            index = [slice(None)] * x.ndim
            index[axis] = 0
            total = x[tuple(index)].copy()
            for j in range(1, count):
                index[axis] = j
                total += x[tuple(index)]
            return total
        return np.add.reduce(x, axis=axis)
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
    if size < step:  # no block completes: the first level holds them all
        return _in_order(rows)
    blocks, acc0 = _sequential(rows, step)  # acc0: the rows after the last full block
    if blocks.shape[1] < step:  # no second-level flush: the block sums are the second level
        acc0 += _in_order(blocks)
        return acc0
    level1, acc1 = _sequential(blocks, step)
    level2, acc2 = _sequential(level1, step)
    acc3 = _in_order(level2)  # the last level is never flushed
    acc0 += acc1
    acc0 += acc2
    acc0 += acc3
    return acc0


def _row_sums(rows: np.ndarray) -> np.ndarray:
    """rows: (batch, n, lanes) -> (batch, lanes): row_sum over n (vectors of `lanes`, or scalars with lanes
    1): four interleaved partial sums, each a cascade over every fourth entry, then the leftover entries
    added to the first, then the others."""
    batch, n, lanes = rows.shape
    size_ilp = n // _ILP
    partial = _multi_row_sum(rows[:, : size_ilp * _ILP].reshape(batch, size_ilp, _ILP, lanes))
    first = partial[:, 0].copy()
    for j in range(size_ilp * _ILP, n):
        first += rows[:, j]
    for k in range(1, _ILP):
        first += partial[:, k]
    return first


def _short_row_sums(body: np.ndarray, vec_size: int, lanes: int) -> np.ndarray | None:
    """body: (..., vec_size * lanes) -> (..., lanes): _row_sums of each row's vectors in the fewest numpy
    calls, where the cascade flushes at most its first level (rows of fewer than 4 * 16 * 16 vectors: every
    row up to 8192 floats); else None.  The same adds in the same order: a reduce along an axis that is not
    the innermost adds its slices one by one."""
    lead, size_ilp = body.shape[:-1], vec_size // _ILP
    channels = _ILP * lanes
    step = 1 << max(4, (size_ilp - 1).bit_length() // _LEVELS if size_ilp > 1 else 0)
    full = size_ilp // step
    if full >= step:
        return None
    split, end = full * step * channels, size_ilp * channels
    # the rows after the last full block, then the blocks' sums added in order
    axis = len(lead)
    partial = _in_order(body[..., split:end].reshape(*lead, -1, channels), axis)
    if full:
        blocks = _in_order(body[..., :split].reshape(*lead, full, step, channels), axis + 1)
        partial += _in_order(blocks, axis)
    # lane by lane: the first partial, the vectors left over, then the other partials (accumulate: a reduce
    # of one-lane rows would be numpy's pairwise sum)
    rows = np.concatenate((partial[..., :lanes], body[..., end:], partial[..., lanes:]), -1)
    return _in_order(rows.reshape(*lead, -1, lanes), axis)


class _RowPlan(NamedTuple):
    """One contiguous row as _row_sums takes it, in elements: its vectors' lanes, the ILP rows (four
    vectors each) and where they end, the vectors after them and the scalar tail; the cascade's blocks of
    `step` rows, its groups of `step` blocks, the blocks after the last group and the accumulators left."""

    lanes: int
    channels: int
    size_ilp: int
    ilp_end: int
    vec_end: int
    extra: int
    tail: int
    step: int
    blocked: int
    grouped: int
    left: int
    groups: int
    accumulators: int


@functools.lru_cache(maxsize=1024)
def _row_plan(n: int, lanes: int) -> _RowPlan | None:
    """_RowPlan of a row of n elements where the cascade flushes at most its second level; else None."""
    if n < lanes:
        lanes = 1
    vec_size = n // lanes
    size_ilp = vec_size // _ILP
    step = 1 << max(4, (size_ilp - 1).bit_length() // _LEVELS if size_ilp > 1 else 0)
    full = size_ilp // step
    if full >= step * step:
        return None
    channels, vec_end, groups = _ILP * lanes, vec_size * lanes, full // step
    ilp_end, left = size_ilp * channels, full - groups * step
    accumulators = left + (size_ilp > full * step) + (groups > 0)
    return _RowPlan(
        lanes, channels, size_ilp, ilp_end, vec_end, vec_end - ilp_end, n - vec_end, step, full * step,
        groups * step * step, left, groups, accumulators,
    )  # fmt: skip


def _row_total(a: np.ndarray) -> np.ndarray:
    """_inner_sums of one contiguous row of float, double or complex (the commonest sum: a loss, a scalar's
    gradient), in the fewest numpy calls, each reduce writing where the next reads: the same adds in the
    same order, but for two added the other way round (which changes no bit but which NaN comes out, as
    torch leaves unspecified).  The sum's explicit zeros are left out: a sum that starts from +0 is never
    -0, so adding a zero changes nothing, and the sign they decide (a sum of -0s is +0) is the final
    `+ 0`'s."""
    plan = _row_plan(a.shape[0], _VECTOR_BYTES // a.itemsize)
    if plan is None:
        return _inner_sums(a)
    lanes, channels, size_ilp, ilp_end, vec_end, extra, tail, step, blocked, grouped, left, groups, count = plan
    reduce = np.add.reduce  # (arguments positional: cheaper to parse)
    if size_ilp:
        # the vectors added lane by lane: the first ILP partial, the vectors after the ILP rows, the other
        # partials; the partials are written after room for the extra vectors, the first then moved ahead
        vectors = np.empty(extra + channels, a.dtype)
        partial = vectors[extra:]
        rows = a[:ilp_end].reshape(size_ilp, channels)
        if count > 1 or groups:
            # the accumulators are added in order: the rows after the last full block (level 0), the blocks
            # after the last full group (level 1), the groups' sums (level 2).  The sums of those blocks,
            # the rows, then the groups' sum, added in order, make level 1 first and then add level 0 to
            # it: level 0 plus level 1 the other way round; then level 2
            sums = np.empty((count, channels), a.dtype)
            if left:
                reduce(rows[grouped:blocked].reshape(left, step, channels), 1, None, sums[:left])
            if size_ilp > blocked:
                reduce(rows[blocked:], 0, None, sums[left])
            if groups:
                blocks = reduce(rows[:grouped].reshape(groups, step, step, channels), 2)
                reduce(reduce(blocks, 1), 0, None, sums[-1])
            reduce(sums, 0, None, partial)
        else:  # one accumulator: no block completes, or one block and nothing after it
            reduce(rows, 0, None, partial)
        if extra:
            vectors[:lanes] = partial[:lanes]
            vectors[lanes : lanes + extra] = a[ilp_end:vec_end]
    else:  # vectors, but no ILP row
        vectors = a[:vec_end]
    if vectors.size == lanes:
        lane_sums = vectors
    elif lanes > 1:  # (a reduce along the outer axis adds its rows in order)
        lane_sums = reduce(vectors.reshape(-1, lanes), 0)
    else:  # (one lane: numpy would sum pairwise)
        lane_sums = np.add.accumulate(vectors)[-1:]
    if tail:  # the scalar tail first, then the vector's lanes, added in order
        lane_sums = np.concatenate((a[vec_end:], lane_sums))
    return np.add.accumulate(lane_sums)[-1] + 0


def _inner_sums(a: np.ndarray, half: bool = False) -> np.ndarray:
    """a: (..., n) C-contiguous -> (...) torch's vectorized_inner_sum of each row (a row shorter than one
    vector takes the scalar row_sum: the same ILP partials, one lane wide).  `half`: `a` holds a Half
    input's values, loaded 16 at a time into two float vectors that are added."""
    lead, n = a.shape[:-1], a.shape[-1]
    lanes, width = _widths(a, half)
    if n < width:
        return _scalar_row_sums(a)
    vec_size = n // width
    body = a[..., : vec_size * width]
    if width != lanes:
        pairs = body.reshape(*lead, vec_size, 2, lanes)
        body = (pairs[..., 0, :] + pairs[..., 1, :]).reshape(*lead, vec_size * lanes)
    lane_sums = _short_row_sums(body, vec_size, lanes)
    if lane_sums is None:
        lane_sums = _row_sums(body.reshape(-1, vec_size, lanes)).reshape(*lead, lanes)
    # from +0 (a sum of -0s is +0), the scalar tail, then the vector's lanes, in order
    terms = np.concatenate((np.zeros((*lead, 1), a.dtype), a[..., vec_size * width :], lane_sums), -1)
    return _in_order(terms, len(lead))


def _scalar_row_sums(a: np.ndarray) -> np.ndarray:
    """_inner_sums of rows shorter than one vector: the scalar row_sum, whose four ILP partials take every
    fourth element (n // 4 of each, in order; fewer than 16, so no cascade level flushes), then the first
    partial, the elements left over and the other partials are added in order from +0."""
    lead, n = a.shape[:-1], a.shape[-1]
    size_ilp = n // _ILP
    if size_ilp:
        partials = a[..., : size_ilp * _ILP].reshape(*lead, size_ilp, _ILP)
        if size_ilp > 1:
            partials = np.add.accumulate(partials, -2)  # (sequential along an outer axis: the last row is the sum)
        partials = partials[..., -1, :]
        a = np.concatenate((partials[..., :1], a[..., size_ilp * _ILP :], partials[..., 1:]), -1)
    # (accumulate starts from the first term: + 0 gives a sum of -0s the sign an addition from +0 gives)
    return np.add.accumulate(a, -1)[..., -1] + a.dtype.type(0)


def _column_sums(view: np.ndarray, kernel: str, lanes: int, half: bool = False) -> np.ndarray:
    """view: (batch, size1, size0) -> (batch, size1): each column's sum over size0 as one call of the
    cascade_sum loop adds it (SumKernel.cpp's vectorized_inner_sum, scalar_inner_sum, vectorized_outer_sum
    and scalar_outer_sum)."""
    batch, columns, size0 = view.shape
    if kernel == "vectorized_inner":
        return _inner_sums(view.reshape(batch * columns, size0), half).reshape(batch, columns)
    if kernel == "scalar_inner":
        return _row_sums(view.reshape(batch * columns, size0, 1))[:, 0].reshape(batch, columns)
    # the outer sums take columns in blocks (4 vectors, or 4 scalars) summed by one plain cascade each;
    # the columns after the last block take row_sum.  Rows of columns are what lies together in memory.
    rows = view.swapaxes(1, 2)  # (batch, size0, columns)
    grouped = columns // (_ILP * lanes) * (_ILP * lanes) if kernel == "vectorized_outer" else columns // _ILP * _ILP
    if grouped == columns:
        return _multi_row_sum(rows[..., None])[:, :, 0]
    out = np.empty((batch, columns), view.dtype)
    if grouped:
        out[:, :grouped] = _multi_row_sum(rows[:, :, :grouped, None])[:, :, 0]
    rest = view[:, grouped:].reshape(-1, size0, 1)
    out[:, grouped:] = _row_sums(rest)[:, 0].reshape(batch, columns - grouped)
    return out


def _strides(a: np.ndarray, axes) -> tuple[list[int], list[int]]:
    """A reduction's output strides (a new contiguous tensor, stride 0 where reduced) and input strides, in
    elements."""
    out_strides, step = [0] * a.ndim, 1
    for d in reversed(range(a.ndim)):
        if d not in axes:
            out_strides[d], step = step, step * a.shape[d]
    return out_strides, [st // a.itemsize for st in a.strides]


def reduction_order(a: np.ndarray, axes) -> list[int]:
    """The reduction's TensorIterator dims, fastest first (reorder_dimensions: reduced dims to the front,
    then by input stride)."""
    return reorder_dimensions(a.shape, list(_strides(a, axes)), True)


def reduced_rows(a: np.ndarray, axes) -> np.ndarray:
    """a as (kept dims..., reduced elements): each output's elements in the order its reduction's iterator
    takes them (the reduced dims by reduction_order, slowest first)."""
    order = [d for d in reversed(reduction_order(a, axes)) if d in axes]
    kept = [d for d in range(a.ndim) if d not in axes]
    return np.transpose(a, kept + order).reshape([a.shape[d] for d in kept] + [math.prod(a.shape[d] for d in order)])


def iterator_dims(a: np.ndarray, axes: tuple[int, ...]) -> list[list[int]]:
    """The reduction's TensorIterator dims, fastest first, as [size, input stride, output stride] in
    elements: reduction_order, then coalesce_dimensions."""
    out_strides, in_strides = _strides(a, axes)
    perm = [[a.shape[d], in_strides[d], out_strides[d]] for d in reduction_order(a, axes)]
    coalesced = [perm[0]]
    for size, in_stride, out_stride in perm[1:]:
        last = coalesced[-1]
        if last[0] == 1 or size == 1 or (last[0] * last[1] == in_stride and last[0] * last[2] == out_stride):
            if last[0] == 1:
                last[1], last[2] = in_stride, out_stride
            last[0] *= size
        else:
            coalesced.append([size, in_stride, out_stride])
    return coalesced


def strided_view(a: np.ndarray, shape: list, strides: list) -> np.ndarray:
    """A read-only view of a's memory from its first element (np.ndarray over a contiguous array's buffer:
    as_strided costs several times more)."""
    if a.flags.c_contiguous:
        view = np.ndarray(shape, a.dtype, a, 0, strides)
        view.flags.writeable = False
        return view
    return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)


def _stored_in_half(partials: np.ndarray) -> np.ndarray:
    """partials: (..., n) floats -> (...) as `*out += Half(partial)` adds them to a zeroed Half output."""
    with quiet_numpy():  # (past half's range: inf, as the conversion gives)
        rounded = partials.astype(np.float16).astype(np.float32)
        total = np.zeros(partials.shape[:-1], np.float32)
        for j in range(partials.shape[-1]):
            total = (total + rounded[..., j]).astype(np.float16).astype(np.float32)
    return total


def _strided_sum(a: np.ndarray, axes: tuple[int, ...], keepdims: bool, dims: list, half: bool) -> np.ndarray:
    """torch's single-threaded reduction of any layout: the iterator's first two dims are one call of the
    loop (one partial per column), the other dims repeat it, and every partial is added to its output
    element (zeroed first) in the order the loop makes it."""
    (size0, in0, out0), (size1, in1, out1) = dims[0], dims[1] if len(dims) > 1 else (1, 0, 0)
    if out0 != 0 and out1 == 0:  # the reduced dim goes first
        (size0, in0, out0), (size1, in1, out1) = (size1, in1, out1), (size0, in0, out0)
    lanes, vector = _widths(a, half)
    # the loop's dims as axes of one view, slowest first: the outer dims, then size1, then size0
    loop = [*dims[:1:-1], (size1, in1, out1), (size0, in0, out0)]
    view = strided_view(a, [d[0] for d in loop], [d[1] * a.itemsize for d in loop])
    if out0 != 0 and out1 != 0:  # no dim reduced: each element added to a zero
        partials = view
    else:
        block = view.reshape(-1, size1, size0)
        kernel = _kernel(size0, in0, size1, in1, vector)
        partials = _column_sums(block, kernel, lanes, half).reshape(view.shape[:-1])
        loop = loop[:-1]
    # the partials of one output element, in loop order, are those along the reduced axes (out stride 0)
    # (kept in the output's memory order, which is the result's C order)
    kept = sorted((i for i, d in enumerate(loop) if d[2] != 0), key=lambda i: -loop[i][2])
    summed = [i for i, d in enumerate(loop) if d[2] == 0]
    ordered = np.transpose(partials, kept + summed).reshape([loop[i][0] for i in kept] + [-1])
    if half:
        total = _stored_in_half(ordered)
    else:
        total = np.add(_in_order(ordered, ordered.ndim - 1), 0)  # from the zeroed output: -0 sums give +0
    return total.reshape([1 if d in axes else n for d, n in enumerate(a.shape)] if keepdims else
                         [n for d, n in enumerate(a.shape) if d not in axes])  # fmt: skip


_MAX_LOOP_CALLS = 4096  # beyond this many calls of the loop, numpy's sum (not bit for bit) is the model


def _kernel(size0: int, in0: int, size1: int, in1: int, vector: int) -> str:
    """The loop's choice of kernel for one call (cascade_sum), by the strides (in elements) of its dims."""
    if in0 == 1 and size0 >= vector:
        return "vectorized_inner"
    if in1 == 1 and size1 >= vector:
        return "vectorized_outer"
    return "scalar_inner" if in0 < in1 else "scalar_outer"


def loop_calls(a: np.ndarray, dims: list, begin: int, end: int) -> list[np.ndarray] | None:
    """The calls of a 2-d loop over the range [begin, end) of an iterator's dims (fastest first, [size,
    stride in elements, ...]), as serial_for_each's DimCounter makes them: the rest of a dim-0 row, or
    whole rows of dims 0 and 1.  Each call as a (size1, size0) view of a's memory; None past
    _MAX_LOOP_CALLS calls."""
    sizes, strides = [d[0] for d in dims], [d[1] for d in dims]
    item = a.itemsize
    in0, in1 = strides[0] * item, strides[1] * item if len(sizes) > 1 else 0
    span = 1 + sum((n - 1) * s for n, s in zip(sizes, strides))
    memory = strided_view(a, [span], [item])  # a's memory from its first element
    calls, offset = [], begin
    while offset < end:
        index, rest = [], offset
        for n in sizes:
            index.append(rest % n)
            rest //= n
        step0, step1 = min(sizes[0] - index[0], end - offset), 1
        if index[0] == 0 and len(sizes) > 1:
            step1 = max(1, min(sizes[1] - index[1], (end - offset) // sizes[0]))
        start = sum(i * s for i, s in zip(index, strides))
        calls.append(np.lib.stride_tricks.as_strided(memory[start:], (step1, step0), (in1, in0), writeable=False))
        offset += step0 * step1
        if len(calls) > _MAX_LOOP_CALLS:
            return None
    return calls


def _two_pass_sum(a: np.ndarray, dims: list, half: bool) -> np.ndarray | None:
    """A full reduction larger than one grain (two_pass_reduction): each thread takes its range of the
    iteration space in calls of the loop (loop_calls), adds each call's partials in turn to its zeroed slot
    (of the output's dtype), and the slots are summed into the output."""
    lanes, vector = _widths(a, half)
    threads = [loop_calls(a, dims, begin, end) for begin, end in parallel_chunks(a.size)]
    if None in threads:
        return None
    in0, in1 = dims[0][1], dims[1][1] if len(dims) > 1 else 0
    total = a.dtype.type(0)
    with quiet_numpy():
        for calls in threads:
            partials = []
            for block in calls:
                kernel = _kernel(block.shape[1], in0, block.shape[0], in1, vector)
                partials.append(_column_sums(block[None], kernel, lanes, half)[0])
            partials = np.concatenate(partials)
            slot = _stored_in_half(partials[None])[0] if half else np.add(_in_order(partials[None])[0], 0)
            total = a.dtype.type(total + slot)  # (the final reduction of the slots: their row_sum)
    return np.asarray(total)


def _as_float(a: np.ndarray) -> np.ndarray:
    """A Half array's values as float32 with the same element strides: what the Half kernels add, read
    from the same layout."""
    if a.flags.c_contiguous:
        return a.astype(np.float32)
    span = 1 + sum((n - 1) * s for n, s in zip(a.shape, a.strides)) // a.itemsize
    run = strided_view(a, [span], [a.itemsize]).astype(np.float32)  # a's memory, from its first element
    return np.lib.stride_tricks.as_strided(run, a.shape, [2 * s for s in a.strides], writeable=False)


def contiguous_total(a: np.ndarray) -> np.ndarray | None:
    """The sum of all of a C-contiguous float, double or complex array of at most one grain (the commonest
    sum: a loss, a scalar's gradient; one thread's row), as a 0-d array; else None."""
    if a.size == 0 or a.size > GRAIN_SIZE or not a.flags.c_contiguous or a.dtype.type not in _SUMMED_TYPES:
        return None
    with quiet_numpy():
        return np.asarray(_row_total(a.reshape(-1)))


def cascade_sum(a: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray | None:
    """torch's cascade_sum kernel of `a` (half, float32, float64 or complex) over `axes`, or None where its
    order is not modelled here (a full reduction of more than one grain, split between threads, of memory
    that is not one run; a partial reduction that large is modelled as one thread's, as torch's split
    between columns gives)."""
    if a.size == 0 or a.ndim == 0 or min(a.strides) < 0:
        return None
    if a.ndim == 1 or len({d % a.ndim for d in axes}) == a.ndim:
        total = contiguous_total(a)
        if total is not None:
            return total.reshape((1,) * a.ndim) if keepdims else total
    if a.dtype == np.float16:
        with quiet_numpy():
            value = _cascade(_as_float(a), axes, keepdims, True)
            return None if value is None else value.astype(np.float16)
    if a.dtype.type not in _SUMMED_TYPES:
        return None
    return _cascade(a, axes, keepdims, False)


def _cascade(a: np.ndarray, axes: tuple[int, ...], keepdims: bool, half: bool) -> np.ndarray | None:
    nd = a.ndim
    axes = tuple(sorted({d % nd for d in axes}))
    lanes, vector = _widths(a, half)
    if nd == 2 and axes == (0,) and a.flags.c_contiguous and a.shape[1] > 1 and a.shape[0] > 1:
        # the commonest (a bias's gradient): one call of an outer-sum kernel over rows of columns
        kernel = "vectorized_outer" if a.shape[1] >= vector else "scalar_outer"
        with quiet_numpy():
            out = np.add(_column_sums(a.T[None], kernel, lanes)[0], 0)  # (into a zeroed output)
        return out[None] if keepdims else out
    single = all(a.shape[d] == 1 for d in range(nd) if d not in axes)  # (one output element: torch splits its sum)
    if single and a.size > GRAIN_SIZE and len(parallel_chunks(a.size)) > 1:
        total = _two_pass_sum(a, iterator_dims(a, axes), half)
        if total is None:
            return None
        return total.reshape((1,) * (nd if keepdims else nd - len(axes)))
    if not a.flags.c_contiguous or axes != tuple(range(nd - len(axes), nd)):
        with quiet_numpy():
            return _strided_sum(a, axes, keepdims, iterator_dims(a, axes), half)
    kept = a.shape[: nd - len(axes)]
    with quiet_numpy():
        out = np.asarray(_inner_sums(a.reshape(*kept, -1), half))
    if keepdims:
        out = out.reshape(kept + (1,) * len(axes))
    return out


def _sums_float_copy(a: np.ndarray, axes: tuple[int, ...]) -> bool:
    """Whether torch's sum of Half `a` reduces a float copy (should_use_acc_buffer): where the iterator's
    first two dims are both reduced, partials of one output element would be rounded to half in turn."""
    if a.size == 0 or a.ndim == 0:
        return False
    dims = iterator_dims(a, tuple(d % a.ndim for d in axes))
    return len(dims) >= 2 and dims[0][2] == 0 and dims[1][2] == 0


def ordered_sum(a: np.ndarray, axes, keepdims: bool = False, *, float_copy: bool = True) -> np.ndarray:
    """torch's sum where its order is modelled (cascade_sum), else numpy's pairwise one: within torch's
    tolerance, not bit for bit.  A Half input is summed in float and rounded as torch's sum does
    (`float_copy`; nansum never copies); numpy would add a strided half axis in half, losing every 1 added
    to 2392."""
    axes = tuple(axes)
    if a.dtype.kind in "iu":  # (exact in any order: numpy's own)
        return np.add.reduce(a, axes, dtype=a.dtype, keepdims=keepdims)  # (numpy would widen a small int)
    if a.dtype == np.float16 and float_copy and _sums_float_copy(a, axes):
        from .._views import empty_preserving

        copy = empty_preserving(a, np.float32)
        copy[...] = a
        with quiet_numpy():  # (past half's range: inf, as torch's conversion gives)
            return ordered_sum(copy, axes, keepdims).astype(np.float16)
    value = cascade_sum(a, axes, keepdims)
    if value is None:
        with quiet_numpy():
            value = a.sum(axis=axes, keepdims=keepdims, dtype=np.float32 if a.dtype == np.float16 else None)
            value = value.astype(a.dtype, copy=False)
    return value
