"""Selections and writes by index beyond indexing.py: masked_select, take, take_along_dim, put, index_copy,
index_fill, index_reduce, scatter_reduce, masked_scatter and the *_scatter ops (diagonal, select, slice),
each with torch's checks, its derivative and its in-place form where torch has one."""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE, no_grad
from .._autograd.views import record_inplace
from .._dispatch import (
    _has_internal_overlap,
    assert_no_overlap,
    broadcast_shapes,
    bump_version,
    check_inplace,
    check_out_grad,
    check_overlap,
    needs_grad,
    quiet_numpy,
    record,
    scalar_value,
    to_stored_scalar,
    write_out,
)
from .._dtypes import COMPLEX
from .._errors import not_implemented_for, shape_str, wrap_dim
from .._layout import contiguous
from .._registry import register
from .._tensor import Tensor, make, storage_root
from .._views import contiguous_strides, copy_preserving, empty_strided, strided_at
from .elementwise import formula
from .indexing import _gather_indices, in_scatter_buffer

__all__ = ["masked_select", "take", "take_along_dim", "diagonal_scatter", "select_scatter", "slice_scatter"]


# -- masked_select, take, take_along_dim -------------------------------------------------------------------------
def _masked_select_back(F, g, self_sizes, mask):
    zeros = F.new_zeros(self_sizes, g)
    full = F.expand(zeros, mask.shape) if tuple(mask.shape) != tuple(self_sizes) else zeros
    return F.setitem(F.clone(full), mask, g)


@register("masked_select")
def masked_select(self, mask, *, out=None):
    if not isinstance(mask, Tensor):
        raise TypeError(f"masked_select(): argument 'mask' (position 1) must be Tensor, not {type(mask).__name__}")
    if mask._dtype is not _dtypes.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(mask._a.shape, self._a.shape)
    a, m = np.broadcast_to(self._a, shape), np.broadcast_to(mask._a, shape)
    value = np.ascontiguousarray(a[m])
    if out is not None:
        return write_out("masked_select", out, value, self._dtype, (self,))
    r = make(value, self._dtype, self._device)
    if needs_grad(self):
        saved = {"self_sizes": self._a.shape, "mask": np.ascontiguousarray(m)}
        record("MaskedSelectBackward0", (self,), (formula(_masked_select_back),), saved, r)
    return r


def _check_index(index: Tensor, name: str) -> None:
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' (position 1) must be Tensor, not {type(index).__name__}")
    if index._dtype is not _dtypes.int64:
        raise RuntimeError(f"{name}(): Expected a long tensor for index, but got {index._dtype._scalar_name}")


def _flat_positions(index: np.ndarray, numel: int) -> np.ndarray:
    bad = index[(index >= numel) | (index < -numel)]
    if bad.size:
        raise IndexError(f"out of range: tried to access index {int(bad.flat[0])} on a tensor of {numel} elements.")
    return np.where(index < 0, index + numel, index)


@register("take")
def take(self, index, *, out=None):
    _check_index(index, "take")
    if self._a.size == 0 and index._a.size:
        raise IndexError("take(): tried to take from an empty tensor")
    flat = _flat_positions(index._a, self._a.size)
    value = contiguous(np.asarray(self._a.reshape(-1)[flat]))
    if out is not None:
        return write_out("take", out, value, self._dtype, (self,))
    r = make(value, self._dtype, self._device)
    if needs_grad(self):
        record("TakeBackward0", (self,), (formula(_take_back),), {"self_sizes": self._a.shape, "flat": flat}, r)
    return r


def _take_back(F, g, self_sizes, flat):
    zeros = F.new_zeros((int(np.prod(self_sizes, dtype=np.int64)),), g)
    return F.reshape(F.index_add(zeros, flat.reshape(-1), F.reshape(g, (-1,))), self_sizes)


def take_along_dim(input, indices, dim=None, *, out=None):
    if dim is None:  # (gather's checks)
        r = input.view(-1).gather(0, indices.view(-1))
    else:
        if indices._dtype is not _dtypes.int64:
            raise RuntimeError(
                f"torch.take_along_dim(): dtype of indices should be Long but got {indices._dtype._scalar_name}"
            )
        d = wrap_dim(dim, input._a.ndim)
        shape_self = list(input._a.shape)
        shape_idx = list(indices._a.shape)
        shape_self[d] = shape_idx[d] = 1
        common = broadcast_shapes(tuple(shape_self), tuple(shape_idx))
        idx_shape, self_shape = list(common), list(common)
        idx_shape[d], self_shape[d] = indices._a.shape[d], input._a.shape[d]
        size = input._a.shape[d] if input._a.ndim else 1
        if size == 0 and math.prod(idx_shape):
            raise RuntimeError("ZeroDivisionError")  # torch wraps the indices with index % size first
        with no_grad():
            wrapped = indices.remainder(size) if size else indices
        r = input.expand(*self_shape).gather(d, wrapped.expand(*idx_shape))
    if out is not None:
        check_out_grad("gather", out, (input,))
        return write_out("take_along_dim", out, r._a, r._dtype, (input,))
    return r


register("take_along_dim")(take_along_dim)


def _put(self, index, source, accumulate, inplace):
    if inplace:  # autograd's leaf and version checks come before the kernel's (its overlap checks come last)
        check_inplace(self, overlap=False)
    _check_index(index, "put_" if inplace else "put")
    if source._dtype is not self._dtype:
        raise RuntimeError(
            f"put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{self._dtype._scalar_name} and source.dtype = {source._dtype._scalar_name}"
        )
    if index._a.size != source._a.size:
        raise IndexError(
            f"put_(): Expected source and index to have the same number of elements, but got source.numel() = "
            f"{source._a.size}, index.numel() = {index._a.size}"
        )
    if self._a.size == 0 and index._a.size:
        raise IndexError("put_(): Tried to put elements into an empty tensor")
    if inplace:
        check_overlap(self)
        assert_no_overlap(self, index, source)
    raw, values = index._a.reshape(-1), source._a.reshape(-1)
    numel = self._a.size
    bad = (raw >= numel) | (raw < -numel)
    if inplace and bad.any():  # the kernel checks each index as it writes: the elements before the bad one land
        first = int(np.argmax(bad))
        _put_flat(self, np.where(raw[:first] < 0, raw[:first] + numel, raw[:first]), values[:first], accumulate)
    flat = _flat_positions(raw, numel)
    target = self if inplace else _clone(self)
    _put_flat(target, flat, values, accumulate)
    if inplace:
        bump_version(self)
    if STATE.grad_enabled and (self._rg or source._rg):
        grads = (
            formula(lambda F, g, flat, accumulate: g if accumulate else _zero_at(F, g, flat)),
            formula(lambda F, g, flat: F.reshape(F.getitem(F.reshape(g, (-1,)), flat), tuple(g.shape) and (-1,))),
        )
        saved = {"flat": flat, "accumulate": accumulate}
        (record_inplace if inplace else _record_on)(target, "PutBackward0", (self, source), grads, saved)
    return target


def _put_flat(target: Tensor, flat: np.ndarray, values: np.ndarray, accumulate: bool) -> None:
    """target.view(-1)[flat] = values (or += where accumulate), in place, whatever target's layout."""
    view = target._a.reshape(-1) if target._a.flags.c_contiguous else None
    work = view if view is not None else target._a.copy().reshape(-1)
    with quiet_numpy():
        if accumulate:
            np.add.at(work, flat, values)
        else:
            work[flat] = values
    if view is None:
        target._a[...] = work.reshape(target._a.shape)


def _clone(self: Tensor) -> Tensor:
    """self.clone(), which put and index_fill write into."""
    return make(copy_preserving(self._a), self._dtype, self._device)


def _zero_at(F, g, flat):
    return F.reshape(F.setitem(F.clone(F.reshape(g, (-1,))), flat, 0), tuple(g.shape))


def _record_on(target, node, inputs, grads, saved):
    record(node, inputs, grads, saved, target)


register("put", inplace=lambda self, index, source, accumulate=False: _put(self, index, source, accumulate, True))(
    lambda self, index, source, accumulate=False: _put(self, index, source, accumulate, False)
)


# -- index_copy, index_fill, index_reduce -------------------------------------------------------------------
def _index_dim(self, dim, index, name):
    """The dim and the (wrapped) positions of an index op, after torch's index checks."""
    _check_index_tensor(index, name)
    d = wrap_dim(dim, self._a.ndim)
    return d, _in_bounds(self, d, index, name)


def _check_index_tensor(index, name) -> None:
    if not isinstance(index, Tensor) or index._dtype is not _dtypes.int64:
        raise RuntimeError(
            f"{name}(): Expected a long tensor for index, but got "
            f"{index._dtype._scalar_name if isinstance(index, Tensor) else type(index).__name__}"
        )
    if index._a.ndim > 1:
        raise IndexError(f"{name}(): Index should have dimension 1 or 0 (got {index._a.ndim})")


def _in_bounds(self, d, index, name) -> np.ndarray:
    idx = index._a.reshape(-1)
    size = self._a.shape[d] if self._a.ndim else 1
    low = 0 if name == "index_copy_" else -size  # (index_copy_ takes no negative index)
    bad = idx[(idx < low) | (idx >= size)]
    if bad.size and self._a.size:  # an empty self is returned as it is
        if name == "index_reduce_":
            raise IndexError("index out of range in self")
        prefix = "index_copy_(): " if name == "index_copy_" else ""
        raise IndexError(f"{prefix}index {int(bad[0])} is out of bounds for dimension {d} with size {size}")
    return np.where(idx < 0, idx + size, idx)


def _written_key(self: Tensor, d: int, idx: np.ndarray):
    """The positions an index write touches along d, or None where it touches none (an empty self, or a
    0-d self and no index)."""
    if self._a.size == 0 or idx.size == 0:
        return None
    return (slice(None),) * d + (idx,) if self._a.ndim else ()


def _index_copy(self, dim, index, source, inplace):
    """index_copy's meta checks in torch's order (memory, index, dims, dtype, slices, count), then bounds."""
    if inplace:
        check_inplace(self, overlap=False)
        check_overlap(self)
        assert_no_overlap(self, index, source)
    d = wrap_dim(dim, self._a.ndim)
    if isinstance(index, Tensor) and index._a.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index._a.ndim})")
    count = index._a.size if isinstance(index, Tensor) else 0
    if source._a.ndim == 0 and count != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got {count})")
    if source._a.ndim != self._a.ndim and source._a.ndim and self._a.ndim:
        raise IndexError(
            "index_copy_(): When source and destination are not scalars, their dimensionality must match. "
            f"Source dimensionality ({source._a.ndim}), destination dimensionality ({self._a.ndim})"
        )
    _check_index_tensor(index, "index_copy_")
    if source._dtype is not self._dtype:
        raise RuntimeError(
            f"index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{self._dtype._scalar_name} and (source) {source._dtype._scalar_name}"
        )
    self_slice = tuple(s for i, s in enumerate(self._a.shape) if i != d)
    source_slice = tuple(s for i, s in enumerate(source._a.shape) if i != d)
    if self_slice != source_slice:
        raise RuntimeError(
            f"index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: "
            f"{shape_str(self_slice)} at dimension {d} and source slice shape: {shape_str(source_slice)} at "
            "dimension 0."
        )
    if source._a.ndim and count != source._a.shape[d]:
        raise IndexError(
            f"index_copy_(): Number of indices ({count}) should be equal to source.size(dim) ({source._a.shape[d]})"
        )
    try:
        idx = _in_bounds(self, d, index, "index_copy_")
    except IndexError:
        if inplace:  # the kernel copies as it checks: what comes before the bad index in C order is written
            _copy_until_out_of_bounds(self, d, index, source)
        raise
    target = self if inplace else make(self._a.copy(), self._dtype, self._device)
    key = _written_key(self, d, idx)
    if key is not None:
        target._a[key] = source._a
    if inplace:
        bump_version(self)
    if STATE.grad_enabled and (self._rg or source._rg):
        grads = (
            formula(lambda F, g, key: g if key is None else F.setitem(F.clone(g), key, 0)),
            formula(
                lambda F, g, key, source_sizes: (
                    F.new_zeros(source_sizes, g) if key is None else F.reshape(F.getitem(g, key), source_sizes)
                )
            ),
        )
        saved = {"key": key, "source_sizes": source._a.shape}
        (record_inplace if inplace else _record_on)(target, "IndexCopyBackward0", (self, source), grads, saved)
    return target


register("index_copy", inplace=lambda self, dim, index, source: _index_copy(self, dim, index, source, True))(
    lambda self, dim, index, source: _index_copy(self, dim, index, source, False)
)


def _index_fill(self, dim, index, value, inplace):
    """index_fill_'s checks in torch's order: a value tensor's rank (it then fills with value.item()); the
    index's dtype, its memory, self's internal overlap (a warning), a complex value, dim, the index's rank;
    then the kernel, which checks each index as it writes."""
    if inplace:  # autograd's leaf and version checks come before the kernel's
        check_inplace(self, overlap=False)
    tensor_value = isinstance(value, Tensor)
    if tensor_value and value._a.ndim:
        raise RuntimeError(
            f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value._a.ndim} dimension(s)."
        )
    if not isinstance(index, Tensor):
        _check_index_tensor(index, "index_fill_")
    if index._dtype is not _dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    assert_no_overlap(self, index)
    if inplace and _has_internal_overlap(self._a):  # torch warns, and writes through the expanded tensor
        warnings.warn(_EXPANDED_INDEX_FILL, UserWarning, stacklevel=3)
    scalar = scalar_value(value.item() if tensor_value else value)
    if isinstance(scalar, complex) and self._dtype.category != COMPLEX:
        raise RuntimeError("index_fill_(): Converting complex Scalar to non-complex type is not supported")
    d = wrap_dim(dim, max(self._a.ndim, 1))
    if index._a.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    try:
        idx = _in_bounds(self, d, index, "index_fill_")
    except IndexError:
        if inplace:  # the kernel fills as it checks: the indices before the bad one are written
            _fill_until_out_of_bounds(self, d, index, scalar)
        raise
    v = to_stored_scalar(scalar, self._dtype)
    target = self if inplace else _clone(self)
    key = _written_key(self, d, idx)
    if key is not None:
        target._a[key] = v
    if inplace:
        bump_version(self)
    sources = (self, value) if tensor_value else (self,)
    if STATE.grad_enabled and any(t._rg for t in sources):
        grads = (formula(lambda F, g, key: g if key is None else F.setitem(F.clone(g), key, 0)),)
        if tensor_value:
            grads += (formula(lambda F, g, key: F.sum(g * 0, None) if key is None else F.sum(F.getitem(g, key), None)),)
        node = "IndexFillBackward1" if tensor_value else "IndexFillBackward0"
        (record_inplace if inplace else _record_on)(target, node, sources, grads, {"key": key})
    return target


def _copy_until_out_of_bounds(self, d: int, index, source) -> None:
    """The writes index_copy_'s kernel makes before the first out-of-range index: it walks source in C order,
    so only the first slab before dim d is written, up to that index."""
    a = self._a.reshape(1) if self._a.ndim == 0 else self._a
    src = source._a.reshape(1) if source._a.ndim == 0 else source._a
    idx = index._a.reshape(-1)
    first_bad = int(np.argmax((idx < 0) | (idx >= a.shape[d])))
    lead = (0,) * d
    a[lead + (idx[:first_bad],)] = src[lead + (slice(0, first_bad),)]


def _fill_until_out_of_bounds(self, d: int, index, value) -> None:
    """The writes index_fill_'s kernel makes before the first out-of-range index: it walks self (with dim d
    replaced by the index) in C order, so only the first slab before d is written, up to that index (the
    version is bumped only on success)."""
    a = self._a.reshape(1) if self._a.ndim == 0 else self._a
    idx = index._a.reshape(-1)
    first_bad = int(np.argmax((idx < -a.shape[d]) | (idx >= a.shape[d])))
    a[(0,) * d + (idx[:first_bad],)] = to_stored_scalar(value, self._dtype)


_EXPANDED_INDEX_FILL = (
    "Use of index_fill_ on expanded tensors is deprecated. Please clone() the tensor before performing this "
    "operation. This also applies to advanced indexing e.g. tensor[mask] = scalar (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:1913.)"
)


register("index_fill", inplace=lambda self, dim, index, value: _index_fill(self, dim, index, value, True))(
    lambda self, dim, index, value: _index_fill(self, dim, index, value, False)
)

_REDUCTIONS = {
    "sum": (np.add, 0),
    "prod": (np.multiply, 1),
    "amax": (np.fmax, -np.inf),
    "amin": (np.fmin, np.inf),
    "mean": (np.add, 0),
}


def _reduce_into(target: np.ndarray, key, values: np.ndarray, reduce: str, include_self: bool, scatter: bool):
    """Combine values into target at key (repeated positions combine too); mean divides by the count.  A
    scatter reduces a Half target in float and rounds once (in_scatter_buffer); mean's sum is rounded before
    the division, as torch divides the scattered sum by the counts in the target's dtype."""
    ufunc, identity = _REDUCTIONS[reduce]
    if reduce in ("amax", "amin"):  # a NaN wins, as in torch
        if target.dtype == np.bool_:
            ufunc = np.logical_or if reduce == "amax" else np.logical_and
        else:
            ufunc = np.maximum if reduce == "amax" else np.minimum
    counts = None
    if not include_self:  # the positions written start from the reduction's identity
        if target.dtype == np.bool_:
            fill = reduce in ("prod", "amin")
        elif target.dtype.kind in "fc":
            fill = identity
        elif reduce in ("amax", "amin"):
            info = np.iinfo(target.dtype)
            fill = info.min if reduce == "amax" else info.max
        else:
            fill = identity
        target[key] = fill
    if reduce == "mean":
        counts = np.zeros(target.shape, np.int64) + (1 if include_self else 0)
        np.add.at(counts, key, 1)
    with quiet_numpy():
        combine = lambda t: ufunc.at(t, key, values.astype(t.dtype))  # noqa: E731
        in_scatter_buffer(target, combine) if scatter else combine(target)
        if counts is not None:
            touched = counts > 0
            if target.dtype.kind in "fc":  # (the counts in the target's dtype: past 2048, half rounds them)
                target[touched] = target[touched] / counts[touched].astype(target.dtype)
            else:
                target[touched] = np.floor_divide(target[touched], counts[touched])
    return counts


def _reduce_grads(reduce, include_self, scatter, self_a, src_a, key, result, g):
    """torch's scatter_reduce_backward on arrays: (grad_self, grad_src); key selects, for each src element,
    the self position it went into (prod's exclusive products are reduced as the forward op reduces)."""
    with quiet_numpy():
        if reduce == "sum":
            grad_self, grad_src = g.copy(), g[key]
        elif reduce == "mean":
            n = np.ones_like(g) if include_self else np.zeros_like(g)
            np.add.at(n, key, 1)
            n[n == 0] = 1
            grad_self, grad_src = g / n, g[key] / n[key]
        elif reduce in ("amax", "amin"):
            value = result[key]
            self_is = (self_a == result).astype(g.dtype)
            src_is = (src_a == value).astype(g.dtype)
            share = self_is.copy()
            np.add.at(share, key, src_is)
            distributed = g / share
            grad_self, grad_src = self_is * distributed, src_is * distributed[key]
        else:  # prod, with the exclusive products where a factor is zero
            masked_self = np.where(self_a == 0, 1, self_a).astype(g.dtype)
            product = masked_self.copy()
            _reduce_into(product, key, src_a, "prod", include_self, scatter)
            grad_self = g * product / masked_self
            src_zero = src_a == 0
            zeros = np.zeros_like(g)
            np.add.at(zeros, key, src_zero.astype(g.dtype))
            single = src_zero & (zeros[key] == 1)
            masked_src = np.where(single, 1, src_a)
            partial = self_a.astype(g.dtype).copy()
            _reduce_into(partial, key, masked_src, "prod", include_self, scatter)
            grad_src = np.where(single, (g * partial)[key], (g * result)[key] / np.where(src_zero, 1, src_a))
        if not include_self:
            grad_self[key] = 0
        return grad_self, grad_src


def _reduce_formulas(reduce, include_self, scatter):
    def both(F, g, self, src, key, result):
        arrays = [x if isinstance(x, np.ndarray) else x._a for x in (self, src, result, g)]
        return _reduce_grads(reduce, include_self, scatter, arrays[0], arrays[1], key, arrays[2], arrays[3])

    return (
        formula(lambda F, g, self, src, key, result: F.wrap(both(F, g, self, src, key, result)[0])),
        formula(lambda F, g, self, src, key, result: F.wrap(both(F, g, self, src, key, result)[1])),
    )


def _scatter_reduce(self, dim, index, src, reduce, include_self, inplace):
    if inplace:  # autograd's leaf and version checks come before the kernel's
        check_inplace(self)
    if reduce not in _REDUCTIONS:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if not isinstance(index, Tensor) or index._dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")  # (scatter's message, as torch's)
    if src._dtype is not self._dtype:
        raise RuntimeError("scatter_reduce(): Expected self.dtype to be equal to src.dtype")
    from .indexing import _gather_check

    d = wrap_dim(dim, self._a.ndim)
    _gather_check(self, d, index, "scatter_reduce")
    if inplace:
        assert_no_overlap(self, index, src)
    key = _gather_indices(index._a.shape, d, index._a)
    if self._dtype is _dtypes.bool_ and reduce == "mean":
        if inplace and not include_self and self._a.ndim:  # (the written positions are zeroed before the
            self._a[key] = False  # kernel's dtype dispatch refuses: a fill that leaves the version as it is)
        raise not_implemented_for("scatter_gather_tensor_cpu_reduce_mean", self._dtype)
    values = src._a[tuple(slice(0, s) for s in index._a.shape)]
    original = self._a.copy()
    target = self if inplace else make(self._a.copy(), self._dtype, self._device)
    if self._a.ndim:
        _reduce_into(target._a, key, values, reduce, include_self, scatter=True)
    if inplace:
        bump_version(self)
    if STATE.grad_enabled and (self._rg or src._rg):
        saved = {"self": make(original, self._dtype), "src": src, "key": key, "result": target}
        grads = _reduce_formulas(reduce, include_self, scatter=True)
        (record_inplace if inplace else _record_on)(target, "ScatterReduceBackward0", (self, src), grads, saved)
    return target


register(
    "scatter_reduce",
    inplace=lambda self, dim, index, src, reduce, *, include_self=True: _scatter_reduce(
        self, dim, index, src, reduce, include_self, True
    ),
)(
    lambda self, dim, index, src, reduce, *, include_self=True: _scatter_reduce(
        self, dim, index, src, reduce, include_self, False
    )
)


def _half_prod_of_single_elements(a: np.ndarray, d: int, idx: np.ndarray, source: np.ndarray, include_self: bool):
    """torch 2.13's index_reduce "prod" of Half from 2 dims, where each slice holds one element, fails at its
    second index: its loop reuses one TensorIterator, and Half's mul kernel drops a one-element operand from
    it on the first product (the first product is written, the error follows)."""
    along = (slice(None),) * d
    if not include_self:
        a[along + (idx,)] = 1
    a[along + (idx[:1],)] *= source[along + (slice(0, 1),)]
    raise RuntimeError(
        'iter.ninputs() == traits::arity INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/native/cpu/'
        'Loops.h":351, please report a bug to PyTorch. '
    )


def _index_reduce(self, dim, index, source, reduce, include_self, inplace):
    if inplace:  # autograd's leaf and version checks come before the kernel's
        check_inplace(self, overlap=False)
    from .._errors import warn_internal

    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    d, idx = _index_dim(self, dim, index, "index_reduce_")
    if source._dtype is not self._dtype:
        raise RuntimeError(
            "index_reduce_(): self and source expected to have the same dtype, but got (self) "
            f"{self._dtype._scalar_name} and (source) {source._dtype._scalar_name}"
        )
    if inplace:
        check_overlap(self)
        assert_no_overlap(self, index, source)
    if self._dtype is _dtypes.bool_:  # bool goes through the slice-wise ops (mul_, maximum_, ...) from 2-d on
        if not include_self:
            raise not_implemented_for("index_reduce_func_exclude_input_init", self._dtype)
        if self._a.ndim <= 1:
            raise not_implemented_for("index_func_", self._dtype)
        if reduce == "mean":  # mean sums, then floor-divides by the counts
            raise not_implemented_for("div_floor_cpu", self._dtype)
    warn_internal(
        "index_reduce() is in beta and the API may change at any time.",
        "aten/src/ATen/native/TensorAdvancedIndexing.cpp:1523",
        once=True,
    )
    original = self._a.copy()
    target = self if inplace else make(self._a.copy(), self._dtype, self._device)
    single = self._a.ndim > 1 and self._a.size == self._a.shape[d]  # (each slice one element)
    if reduce == "prod" and self._dtype is _dtypes.float16 and single and idx.size > 1:
        _half_prod_of_single_elements(target._a, d, idx, source._a, include_self)
    # for each source element, the self position it reduces into (idx along dim, the same elsewhere)
    key = _gather_indices(source._a.shape, d, idx.reshape([-1 if i == d else 1 for i in range(self._a.ndim)]))
    if self._a.ndim:
        _reduce_into(target._a, key, source._a, reduce, include_self, scatter=False)
    if inplace:
        bump_version(self)
    if STATE.grad_enabled and (self._rg or source._rg):
        saved = {"self": make(original, self._dtype), "src": source, "key": key, "result": target}
        grads = _reduce_formulas(reduce, include_self, scatter=False)
        (record_inplace if inplace else _record_on)(target, "IndexReduceBackward0", (self, source), grads, saved)
    return target


register(
    "index_reduce",
    inplace=lambda self, dim, index, source, reduce, *, include_self=True: _index_reduce(
        self, dim, index, source, reduce, include_self, True
    ),
)(
    lambda self, dim, index, source, reduce, *, include_self=True: _index_reduce(
        self, dim, index, source, reduce, include_self, False
    )
)


# -- masked_scatter ----------------------------------------------------------------------------------------------
def _masked_scatter(self, mask, source, inplace):
    if inplace:  # autograd's leaf and version checks come before the kernel's
        check_inplace(self)
    if not isinstance(mask, Tensor) or mask._dtype is not _dtypes.bool_:
        raise RuntimeError(
            "masked_scatter_ only supports boolean masks, but got mask with dtype "
            f"{mask._dtype._scalar_name if isinstance(mask, Tensor) else type(mask).__name__}"
        )
    if source._dtype is not self._dtype:
        raise RuntimeError(
            f"masked_scatter_: expected self and source to have same dtypes but got{self._dtype._scalar_name} "
            f"and {source._dtype._scalar_name}"
        )
    if inplace:
        m = np.broadcast_to(mask._a, self._a.shape) if mask._a.shape != self._a.shape else mask._a
        target = self
    else:
        shape = broadcast_shapes(self._a.shape, mask._a.shape)
        m = np.broadcast_to(mask._a, shape)
        target = make(np.broadcast_to(self._a, shape).copy(), self._dtype, self._device)
    count = int(m.sum())
    if count > source._a.size:
        raise RuntimeError("masked_scatter: expected source to have at least as many elements as ones in mask")
    if inplace and source.is_contiguous() and storage_root(source) is storage_root(self):
        _scatter_in_order(self._a, m, source._a.reshape(-1))
    else:
        target._a[m] = source._a.reshape(-1)[:count]
    if inplace:
        bump_version(self)
    if STATE.grad_enabled and (self._rg or source._rg):
        mask_c = contiguous(m)
        grads = (
            formula(lambda F, g, mask: F.where(mask, 0, g)),
            formula(lambda F, g, mask, source_sizes: _masked_scatter_source_back(F, g, mask, source_sizes)),
        )
        saved = {"mask": mask_c, "source_sizes": source._a.shape}
        (record_inplace if inplace else _record_on)(target, "MaskedScatterBackward0", (self, source), grads, saved)
    return target


def _scatter_in_order(a: np.ndarray, mask: np.ndarray, source: np.ndarray) -> None:
    """torch's masked_scatter_ kernel: one element at a time, in order, reading the source as it goes (it
    has no overlap check, so a source sharing self's memory may see elements already written)."""
    flat = a.reshape(-1) if a.ndim == 0 else a  # (a 0-d view of the same memory)
    for k, position in enumerate(zip(*np.nonzero(np.atleast_1d(mask)))):
        flat[position] = source[k]


def _masked_scatter_source_back(F, g, mask, source_sizes):
    selected = F.getitem(g, mask)
    total = int(np.prod(source_sizes, dtype=np.int64))
    count = int(mask.sum())
    padded = F.concat([selected, F.new_zeros((total - count,), g)], 0) if total > count else selected
    return F.reshape(padded, source_sizes)


register("masked_scatter", inplace=lambda self, mask, source: _masked_scatter(self, mask, source, True))(
    lambda self, mask, source: _masked_scatter(self, mask, source, False)
)


# -- diagonal_scatter, select_scatter, slice_scatter --------------------------------------------------------------
def _embed(self, src, view_of, node, whole_storage=False):
    """A copy of self with src written into the view `view_of(copy)` selects (same shape required).  The
    copy has self's strides (contiguous where they overlap); with `whole_storage` (clone_preserve_strides,
    as as_strided_scatter makes it) it is a tensor over a copy of self's whole storage, at self's offset."""
    overlapping = any(st == 0 and n > 1 for n, st in zip(self._a.shape, self.stride()))
    with no_grad():
        if whole_storage and not overlapping:
            storage = storage_root(self).copy(order="K")  # (the same memory layout: offsets and strides hold)
            target = make(strided_at(storage, self._a.shape, self.stride(), self.storage_offset()), self._dtype)
            target._storage, target._device = storage, self._device  # (not a view of anything)
        else:
            strides = contiguous_strides(self._a.shape) if overlapping else self.stride()
            target = make(empty_strided(self._a.shape, strides, self._dtype.np), self._dtype, self._device)
            target._a[...] = self._a
        view = view_of(target)
    if tuple(view._a.shape) != tuple(src._a.shape):
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = {list(src._a.shape)}, slice size = "
            f"{list(view._a.shape)}"
        )
    check_overlap(view)  # (copy_ into the slice)
    with quiet_numpy():
        view._a[...] = src._a.astype(self._dtype.np)
    target._vc = None
    if node is not None and needs_grad(self, src):
        probe = np.zeros(self._a.shape, bool)
        marker = view_of(make(probe, _dtypes.bool_))
        marker._a[...] = True
        grads = (
            formula(lambda F, g, selected: F.where(selected, 0, g)),
            formula(lambda F, g, selected, src_sizes: F.reshape(F.getitem(g, selected), src_sizes)),
        )
        record(node, (self, src), grads, {"selected": probe, "src_sizes": src._a.shape}, target)
    return target


@register("diagonal_scatter")
def diagonal_scatter(self, src, offset=0, dim1=0, dim2=1):
    return _embed(self, src, lambda t: t.diagonal(offset, dim1, dim2), "DiagonalScatterBackward0")


@register("select_scatter")
def select_scatter(self, src, dim, index):
    return _embed(self, src, lambda t: t.select(dim, index), "SelectScatterBackward0")


@register("slice_scatter")
def slice_scatter(self, src, dim=0, start=None, end=None, step=1):
    def view_of(t):
        d = wrap_dim(dim, t._a.ndim)
        key = (slice(None),) * d + (slice(start, end, step),)
        return t[key]

    return _embed(self, src, view_of, "SliceScatterBackward0")


FUNCTIONS = {"take_along_dim": take_along_dim}
