"""The memory layout torch gives elementwise results (TensorIterator's reorder_dimensions).

numpy's order='K' outputs usually agree with torch; they differ for size-1 dims, ties and mixed layouts.
`result_layout` returns the strides torch would allocate, and `conform` moves a numpy result there.
"""

from __future__ import annotations

import numpy as np

__all__ = ["result_layout", "conform", "needs_layout", "contiguous"]

_as_strided = np.lib.stride_tricks.as_strided


def needs_layout(arrays) -> bool:
    """False when numpy's result already has torch's layout: every operand but the 0-d ones (which take
    no part) C-contiguous, of one shape, without size-1 dims (whose strides numpy carries over)."""
    shape = None
    for a in arrays:
        if not a.ndim:
            continue
        if not a.flags.c_contiguous or (a.ndim > 1 and 1 in a.shape) or (shape is not None and a.shape != shape):
            return True
        shape = a.shape
    return False


def reorder_dimensions(shape, strides: list, reduction: bool = False) -> list[int]:
    """TensorIterator::reorder_dimensions: the dims, innermost first, insertion-sorted from the reversed order
    by each operand's strides in turn (a broadcast dim, stride 0, decides nothing; equal strides put the
    smaller dim first).  With `reduction`, the first operand is the output, whose reduced dims (stride 0) go
    to the front."""
    ndim = len(shape)

    def should_swap(dim0: int, dim1: int) -> int:
        for k, operand in enumerate(strides):
            s0, s1 = operand[dim0], operand[dim1]
            if reduction and k == 0 and (s0 == 0) != (s1 == 0):
                return 1 if s1 == 0 else -1
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[dim0] > shape[dim1]:
                return 1
        return 0

    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[dim0], perm[dim1])
            if comparison > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif comparison < 0:
                break
    return perm


def result_layout(shape: tuple, operands, common: np.dtype | None = None) -> tuple | None:
    """Element strides torch allocates for an elementwise result of `shape`, or None for contiguous.

    operands: the input ndarrays (0-d ones and scalars take no part, as in torch).
    common: the dtype TensorIterator promotes inputs to; an input of another dtype takes part with the
    layout of its converted copy (`.to(common)`, which makes a non-dense input dense).
    """
    if not len(shape):
        return None
    shape = tuple(shape)
    arrays = [a for a in operands if isinstance(a, np.ndarray)]
    # a pure function of the shapes, strides and item sizes (and which inputs convert): remembered by them, as
    # a training loop meets the same few layouts at every step
    key = (shape, common, *[(a.shape, a.strides, a.itemsize, a.dtype) for a in arrays])
    strides = _LAYOUTS.get(key, _UNKNOWN)
    if strides is _UNKNOWN:
        strides = _torch_layout(shape, arrays, common)
        if len(_LAYOUTS) < _LAYOUTS_KEPT:
            _LAYOUTS[key] = strides
    return strides


_LAYOUTS: dict = {}
_LAYOUTS_KEPT = 4096
_UNKNOWN = object()


def _torch_layout(shape: tuple, arrays: list, common: np.dtype | None) -> tuple | None:
    ndim = len(shape)
    if common is not None and any(a.ndim and a.dtype != common for a in arrays):
        from ._views import empty_preserving

        arrays = [empty_preserving(a) if a.ndim and a.dtype != common else a for a in arrays]
    if not any(a.ndim for a in arrays):
        return None
    if all(a.shape == shape for a in arrays):
        fast = _fast_setup(shape, arrays)
        if fast is not None:
            return fast
    byte_strides = []
    for a in arrays:
        if a.ndim == 0:
            continue
        offset = ndim - a.ndim
        strides = [0] * ndim
        for i, (size, stride) in enumerate(zip(a.shape, a.strides)):
            strides[offset + i] = 0 if (size == 1 and shape[offset + i] != 1) else stride
        byte_strides.append(strides)
    perm = reorder_dimensions(shape, byte_strides)
    if perm == list(range(ndim - 1, -1, -1)):
        return None
    strides = [0] * ndim
    next_stride = 1
    for dim in perm:
        strides[dim] = next_stride
        next_stride *= shape[dim]
    return tuple(strides)


def _fast_setup(shape: tuple, arrays: list) -> tuple | None:
    """torch's fast setup, for operands all of the result's shape: all contiguous give a contiguous result
    (()), dense operands with equal strides give it those strides; else None."""
    first = arrays[0]
    if all(a.flags.c_contiguous for a in arrays):
        return ()
    for a in arrays[1:]:  # (equal element strides: equal byte strides where the item sizes agree)
        if (a.strides != first.strides) if a.itemsize == first.itemsize else (_elements(a) != _elements(first)):
            return None
    strides = _elements(first)
    return strides if dense_strides(shape, strides) else None


def _elements(a: np.ndarray) -> tuple:
    item = a.itemsize
    return tuple(s // item for s in a.strides)


def dense_strides(shape, strides) -> bool:
    """torch's is_non_overlapping_and_dense (size-1 dims may have any stride)."""
    expected = 1
    for stride, size in sorted((s, d) for d, s in zip(shape, strides) if d != 1):
        if size == 0:
            return True
        if stride != expected:
            return False
        expected *= size
    return True


def _contiguous(shape) -> tuple:
    strides, acc = [], 1
    for d in reversed(shape):
        strides.append(acc)
        acc *= max(d, 1)
    return tuple(reversed(strides))


def contiguous(a: np.ndarray) -> np.ndarray:
    """`a` as a C-contiguous array (np.ascontiguousarray would turn a 0-d array into a 1-d one)."""
    return a if a.flags.c_contiguous else np.array(a, order="C", copy=True)


def conform(r: np.ndarray, strides) -> np.ndarray:
    """`r` laid out with the given element strides (() or None: C-contiguous)."""
    item = r.itemsize
    if not strides:
        if r.flags.c_contiguous and (r.ndim < 2 or 1 not in r.shape):
            return r
        strides = _contiguous(r.shape)
    if r.strides == tuple(s * item for s in strides):
        return r
    extent = 1 + sum((d - 1) * s for d, s in zip(r.shape, strides)) if r.size else 1
    out = _as_strided(np.empty(extent, r.dtype), r.shape, tuple(s * item for s in strides))
    out[...] = r
    return out
