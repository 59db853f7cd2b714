"""Which elements torch's CPU kernels compute in their SIMD loop and which in their scalar loop.

`cpu_kernel_vec` (aten/src/ATen/native/cpu/Loops.h) gets the rows of TensorIterator's coalesced
iteration space.  A row whose operands are all contiguous (one input may instead be a broadcast scalar)
runs `vectorized_loop`: blocks of two vectors, then the elements left over one by one through the scalar
lambda; any other row runs the scalar lambda throughout.  Vectors are 32 bytes (AVX2), or 64 for the
kernels torch also registers for AVX512 (ALSO_REGISTER_AVX512_DISPATCH) when the CPU runs that variant.
Past one grain (32768 elements) the iteration is split between torch's threads, and each thread's range
has its own scalar tail.  Where the two lambdas round or treat signed zeros differently, an element's
value depends on which loop it is in.
Checked against torch 2.13: 1-d, coalesced 2-d, sliced, transposed, broadcast and threaded layouts.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .capability import capability
from .threads import parallel_chunks

__all__ = ["simd_mask", "tail_mask", "vector_bytes"]

_VECTOR_BYTES = 32


@functools.cache  # (asked once per op)
def vector_bytes(avx512: bool = True) -> int:
    """The vector width of a kernel's SIMD loop on this CPU: 64 bytes where torch also registers the kernel
    for AVX512 (ALSO_REGISTER_AVX512_DISPATCH) and the CPU runs that variant, else AVX2's 32."""
    return 64 if avx512 and capability() == "AVX512" else _VECTOR_BYTES


def _coalesced(shape: tuple, strides: list[list[int]], perm: list[int]) -> tuple[int, list[int]]:
    """The innermost row of TensorIterator's coalesced dims (perm: innermost first): its length and
    each operand's element stride along it."""
    dims = [d for d in perm if shape[d] != 1]
    if not dims:
        return 1, [1] * len(strides)
    inner = dims[0]
    size = shape[inner]
    for d in dims[1:]:
        if any(s[d] != s[inner] * size for s in strides):
            break
        size *= shape[d]
    return size, [s[inner] for s in strides]


def simd_mask(
    shape: tuple, out_strides: tuple, inputs: list[tuple], itemsize: int, vector_bytes: int = _VECTOR_BYTES
) -> np.ndarray | None:
    """A boolean array of `shape` (read-only), True where torch's SIMD loop computes the element, or None
    where none is (small or strided iterations).  out_strides: the output's element strides; inputs: each
    input's element strides broadcast to `shape` (0 along broadcast dims)."""
    numel = math.prod(shape)
    if numel < 2 * vector_bytes // itemsize:
        return None
    key = (tuple(shape), tuple(out_strides), tuple(map(tuple, inputs)), itemsize, vector_bytes)
    return _mask(*key, threads=len(parallel_chunks(numel)))


def tail_mask(
    shape: tuple,
    out_strides: tuple,
    inputs: list[tuple],
    itemsize: int,
    vector_bytes: int,
    rule,
    strided_rule=None,
) -> np.ndarray | None:
    """Within the elements each contiguous row leaves to the scalar loop after its blocks (fewer than a block,
    at the end of each row and of each thread's range), those rule(count, broadcast) marks: a bool array of
    `shape` (read-only), or None where no row is contiguous.  `broadcast`: one input is a scalar along the
    row.  For a scalar loop that GCC vectorized again, computing some of those elements another way.
    strided_rule: likewise for the rows the vector loop does not take (strided), each a run of its own."""
    key = (tuple(shape), tuple(out_strides), tuple(map(tuple, inputs)), itemsize, vector_bytes, rule, strided_rule)
    return _tails(*key)


@functools.lru_cache(maxsize=128)
def _tails(shape, out_strides, inputs, itemsize, vector_bytes, rule, strided_rule) -> np.ndarray | None:
    block = 2 * vector_bytes // itemsize
    numel = math.prod(shape)
    strides = [list(out_strides), *[list(s) for s in inputs]]
    perm = sorted(range(len(shape)), key=lambda d: (out_strides[d], -d))
    row, inner = _coalesced(shape, strides, perm)
    vectorized = inner[0] == 1 and all(s in (0, 1) for s in inner[1:]) and inner[1:].count(0) <= 1
    if not numel or not (vectorized or strided_rule):
        return None
    if not vectorized:
        rule = strided_rule
    broadcast = 0 in inner[1:]

    def run_marks(count: int) -> np.ndarray:  # (a run of `count` elements of a row, from its start)
        left = count % block if vectorized else count
        marks = np.zeros(count, bool)
        if left:
            marks[count - left :] = rule(left, broadcast)
        return marks

    marked = np.zeros(numel, bool)
    for begin, end in parallel_chunks(numel):
        first = min(end, -(-begin // row) * row)  # the range's partial rows, then its whole rows (alike)
        last = max(first, end - end % row)
        marked[begin:first] = run_marks(first - begin)
        marked[last:end] = run_marks(end - last)
        if last > first:
            marked[first:last] = np.tile(run_marks(row), (last - first) // row)
    order = [shape[d] for d in reversed(perm)]
    marked.flags.writeable = False
    return marked.reshape(order).transpose(np.argsort(list(reversed(perm))))


@functools.lru_cache(maxsize=128)  # a training loop asks for the same few layouts at every step
def _mask(shape, out_strides, inputs, itemsize, vector_bytes, threads) -> np.ndarray | None:
    block = 2 * vector_bytes // itemsize
    numel = math.prod(shape)
    strides = [list(out_strides), *[list(s) for s in inputs]]
    perm = sorted(range(len(shape)), key=lambda d: (out_strides[d], -d))  # the output's memory order
    row, inner = _coalesced(shape, strides, perm)
    if inner[0] != 1 or any(s not in (0, 1) for s in inner[1:]) or inner[1:].count(0) > 1 or row < block:
        return None  # a strided row, two broadcast inputs, or rows too short for a block: the scalar loop
    # iteration order: rows of `row` elements, cut again where the threads' ranges meet
    vectorized = np.zeros(numel, bool)
    for begin, end in parallel_chunks(numel):
        first = min(end, -(-begin // row) * row)  # the first row boundary in the range
        last = max(first, end - end % row)  # the last one
        for lo, hi in ((begin, first), (last, end)):  # partial rows at the range's ends
            vectorized[lo : hi - (hi - lo) % block] = True
        whole = vectorized[first:last].reshape(-1, row)
        whole[:, : row - row % block] = True
    order = [shape[d] for d in reversed(perm)]  # outermost first
    vectorized.flags.writeable = False
    return vectorized.reshape(order).transpose(np.argsort(list(reversed(perm))))
