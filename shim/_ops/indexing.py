"""Indexing: `x[key]` (basic indexing gives views, advanced indexing copies), `x[key] = v`, and the
index ops (index_select, gather, scatter, masked_fill, nonzero, where, ...)."""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE, no_grad
from .._autograd.views import follow_base, record_inplace
from .._dispatch import (
    _has_internal_overlap,
    assert_no_overlap,
    broadcast_shapes,
    bump_version,
    check_argument_devices,
    check_inplace,
    check_iterator_overlaps,
    check_out_grad,
    check_overlap,
    check_same_device,
    device_str,
    is_scalar,
    needs_grad,
    quiet_numpy,
    record,
    result_type,
    scalar_value,
    to_stored_scalar,
    warn_complex_to_real,
    write_out,
)
from .._errors import TEMPLATES, shape_str, warn_internal, wrap_dim
from .._layout import conform, needs_layout, result_layout
from .._layout import contiguous as _contiguous
from .._registry import register
from .._tensor import Tensor, make
from .._views import compute_stride, copy_preserving, empty_preserving, strided, strided_at, view_of
from .elementwise import formula, not_implemented_formula
from .shape import contiguous_bytes, select, select_first, unsqueeze

__all__ = ["getitem", "setitem", "copy_", "where", "nonzero"]

_VALID = "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got {})"
_SCATTER_BACK = formula(lambda F, g, self_sizes, key: F.setitem(F.new_zeros(self_sizes, g), key, g))
_INDEX_BACK = formula(lambda F, g, self_sizes, key: F.index_add(F.new_zeros(self_sizes, g), key, g))


def _warn_uint8(stacklevel: int = 4) -> None:
    warnings.warn(
        "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead. "
        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)",
        UserWarning,
        stacklevel=stacklevel,
    )


def _rewarn(deferred, stacklevel: int = 3) -> None:
    """Say warnings caught earlier, at the point of the call where torch says them."""
    for w in deferred:
        warnings.warn(w.message, w.category, stacklevel=stacklevel)


def _index_tensor(x):
    """An advanced index as (ndarray, is_bool), or None when `x` is a basic index (a uint8 mask's
    deprecation warning is its caller's to give: torch gives it after the integers and slices)."""
    if isinstance(x, Tensor):
        dt = x._dtype
        if dt is _dtypes.bool_:
            return x._a, True
        if dt is _dtypes.uint8:
            return x._a.astype(bool), True
        if dt not in (_dtypes.int64, _dtypes.int32):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return x._a, False
    if isinstance(x, np.ndarray):
        if x.dtype == np.bool_:
            return x, True
        return x.astype(np.int64), False
    if isinstance(x, (list, tuple, range)):  # (any sequence: torch makes it a tensor, as torch.tensor would)
        arr = np.array(x)
        if arr.dtype == np.bool_:
            return arr, True
        if arr.size == 0:
            arr = arr.astype(np.int64)
        if arr.dtype.kind == "f":
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return arr.astype(np.int64), False
    return None


def _normalize_key(key):
    if isinstance(key, tuple):
        return key
    if (
        isinstance(key, list)
        and key
        and any(isinstance(k, (slice, type(None), type(Ellipsis), list, range, Tensor)) for k in key)
    ):
        warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch "
            "2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
            "x[torch.tensor(seq)], which will result either in an error or a different result (Triggered "
            "internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:349.)",
            UserWarning,
            stacklevel=3,
        )
        return tuple(key)
    return (key,)


def _is_int(k) -> bool:
    if isinstance(k, bool):
        return False
    if isinstance(k, (int, np.integer)):
        return True
    if isinstance(k, Tensor) and k._a.ndim == 0 and k._dtype.category == _dtypes.INT:
        return True
    return False


def _consumes_dim(k) -> bool:
    return not (
        k is None
        or k is Ellipsis
        or isinstance(k, bool)
        or (isinstance(k, Tensor) and k._dtype is _dtypes.bool_ and k._a.ndim == 0)
    )


def _apply_basic(self: Tensor, key: tuple, record_nodes: bool = True, skip_full: bool = True):
    """Apply ints, slices, None and ... as views; return (view, advanced indices by dim of the view).

    skip_full: torch's applySlicing leaves a dim alone for a slice that covers it ([0 or None] : [None or
    >= size] : [None or 1]); only a lone slice (x[:], not in a tuple) is always applied."""
    ndim = self._a.ndim
    n_consuming = 0
    for k in key:
        if _consumes_dim(k):
            if isinstance(k, Tensor) and k._dtype in (_dtypes.bool_, _dtypes.uint8):
                n_consuming += k._a.ndim
            elif isinstance(k, np.ndarray) and k.dtype == np.bool_:
                n_consuming += k.ndim
            else:
                n_consuming += 1
    if n_consuming > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    t = self
    dim = 0
    advanced = []  # (dim in the current view, ndarray, is_bool)
    seen_ellipsis = False
    uint8 = 0  # uint8 masks in the key
    for position, k in enumerate(key):  # torch's errors name an item by its position in the key (real_dim)
        if k is Ellipsis:
            if not seen_ellipsis:
                dim += ndim - n_consuming
                seen_ellipsis = True
            continue
        if k is None:
            t = unsqueeze(t, dim)
            dim += 1
            continue
        if isinstance(k, bool) or (isinstance(k, Tensor) and k._dtype is _dtypes.bool_ and k._a.ndim == 0):
            value = bool(k) if isinstance(k, bool) else bool(k._a)
            t = unsqueeze(t, dim)
            advanced.append((dim, np.zeros(int(value), np.int64), False))  # boolToIndexingTensor: [0] or []
            dim += 1
            continue
        if _is_int(k):
            i = int(k)
            size = t._a.shape[dim]
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {position} with size {size}")
            t = select(t, dim, i)
            continue
        if isinstance(k, slice):
            if not (skip_full and _covers(k, t._a.shape[dim] if t._a.ndim else 0)):
                t = _slice(t, dim, k)
            dim += 1
            continue
        adv = _index_tensor(k)
        if adv is None:
            raise IndexError(_VALID.format(type(k).__name__))
        arr, is_bool = adv
        advanced.append((dim, arr, is_bool))
        dim += arr.ndim if is_bool else 1
        uint8 += isinstance(k, Tensor) and k._dtype is _dtypes.uint8
    for _ in range(uint8):  # (torch converts its index tensors, each warning, after the integers and slices)
        _warn_uint8()
    return t, advanced


def _covers(k: slice, size: int) -> bool:
    start, stop, step = (_as_index(v) for v in (k.start, k.stop, k.step))
    return start in (None, 0) and step in (None, 1) and (stop is None or stop >= size)


def _slice(t: Tensor, dim: int, k: slice) -> Tensor:
    if t._a.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    step = 1 if k.step is None else _as_index(k.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step < 0:
        raise ValueError("step must be greater than zero")
    a = t._a
    size = a.shape[dim]
    start, stop, _ = slice(_as_index(k.start), _as_index(k.stop), step).indices(size)
    stop = max(start, stop)
    length = -(-(stop - start) // step)
    strides = t.stride()
    # torch keeps stride * step even where the sliced dim has size 0 or 1 (numpy would normalise it)
    if length == 0:  # keep torch's storage offset for an empty slice
        arr = strided_at(
            a,
            a.shape[:dim] + (0,) + a.shape[dim + 1 :],
            strides[:dim] + (strides[dim] * step,) + strides[dim + 1 :],
            start * strides[dim],
        )
        key = (slice(None),) * dim + (slice(start, stop, step),)
        return view_of(t, arr, "SliceBackward0", (_SCATTER_BACK,), {"self_sizes": a.shape, "key": key})
    start_view = a[(slice(None),) * dim + (slice(start, start + 1),)]
    arr = strided(
        start_view,
        a.shape[:dim] + (length,) + a.shape[dim + 1 :],
        strides[:dim] + (strides[dim] * step,) + strides[dim + 1 :],
    )
    key = (slice(None),) * dim + (slice(start, stop, step),)
    return view_of(t, arr, "SliceBackward0", (_SCATTER_BACK,), {"self_sizes": a.shape, "key": key})


def _as_index(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return int(x.item())
    return x.__index__()


def _advanced_key(view: Tensor, advanced, bounds: bool = True):
    """The numpy key for the advanced part (bool masks expanded to integer arrays), with torch's checks (the
    bounds of the indices only where `bounds`: index_put's kernel checks them after the value's)."""
    shape = view._a.shape
    key = [slice(None)] * view._a.ndim
    arrays = []
    positions = []
    for dim, arr, is_bool in advanced:
        if is_bool:
            target = shape[dim : dim + arr.ndim]
            if arr.shape != target:
                for j, (m, s) in enumerate(zip(arr.shape, target)):
                    if m != s:
                        raise IndexError(
                            f"The shape of the mask {shape_str(arr.shape)} at index {j} does not match the shape of "
                            f"the indexed tensor {shape_str(shape)} at index {dim + j}"
                        )
            idx = np.nonzero(arr) if arr.ndim == 1 else np.argwhere(arr).T  # nonzero's (n, ndim) columns
            for j, ix in enumerate(idx):
                key[dim + j] = ix
                arrays.append(ix)
                positions.append(dim + j)
        else:
            key[dim] = arr
            arrays.append(arr)
            positions.append(dim)
    try:
        replacement = np.broadcast_shapes(*[a.shape for a in arrays])
    except ValueError:
        raise IndexError(
            "shape mismatch: indexing tensors could not be broadcast together with shapes "
            + ", ".join(shape_str(a.shape) for a in arrays)
        ) from None
    empty_result = 0 in replacement
    if not empty_result and any(shape[pos] == 0 for pos in positions):
        raise IndexError("index is out of bounds for dimension with size 0")  # AdvancedIndex's own check
    if empty_result or any(size == 0 for d, size in enumerate(shape) if d not in positions):
        # the kernel reads no index, so none is out of bounds (numpy would check them: they become 0)
        for pos in positions:
            if shape[pos]:
                key[pos] = np.zeros(key[pos].shape, np.int64)
        return tuple(key)
    for order, (pos, arr) in enumerate(zip(positions, arrays) if bounds else ()):
        size = shape[pos]
        if arr.max() >= size or arr.min() < -size:
            bad = int(arr[(arr >= size) | (arr < -size)].flat[0])
            raise IndexError(f"index {bad} is out of bounds for dimension {order} with size {size}")
    return tuple(key)


def _index_layout(src: np.ndarray, key: tuple, shape: tuple) -> tuple | None:
    """The strides torch's index kernel gives its result (None: contiguous).  Its TensorIterator runs over
    AdvancedIndex's operands: the source restrided to the result's shape (stride 0 across the indexed
    dims, which transposeToFront moves first when they are not adjacent) and the broadcast indices."""
    indexed = [d for d, k in enumerate(key) if isinstance(k, np.ndarray)]
    if src.strides == contiguous_bytes(src.shape, src.itemsize) and all(
        key[d].ndim < 2 or key[d].flags.c_contiguous for d in indexed
    ):
        return None  # every operand is then in row-major order
    indices = np.broadcast_arrays(*[key[d] for d in indexed])
    # make_info turns int32 indices into int64 ones after broadcasting them (.to(kLong): a dense copy)
    indices = [empty_preserving(i, np.int64) if i.dtype == np.int32 else i for i in indices]
    if indexed != list(range(indexed[0], indexed[-1] + 1)):
        src = src.transpose(indexed + [d for d in range(src.ndim) if d not in indexed])
        indexed = list(range(len(indexed)))
    before, after = indexed[0], src.ndim - indexed[-1] - 1
    replaced = indices[0].shape
    strides = src.strides[:before] + (0,) * len(replaced) + src.strides[src.ndim - after :]
    restrided = strided(src, shape, [s // src.itemsize for s in strides])
    operands = [restrided] + [_reshape_indexer(i, (1,) * before + replaced + (1,) * after) for i in indices]
    return result_layout(shape, operands)


def _reshape_indexer(index: np.ndarray, shape: tuple) -> np.ndarray:
    """index.reshape(shape) with the strides torch's reshape computes (computeStride: size-1 dims too)."""
    item = index.itemsize
    return strided(index, shape, compute_stride(index.shape, [s // item for s in index.strides], shape))


_ZERO_DIM_SLICE = "slice() cannot be applied to a 0-dim tensor."  # (a lone slice; in a tuple it is one index too many)


def _all_ints(key: tuple, shape: tuple) -> bool:
    """Whether key is Python ints only, one per leading dim at most; torch's error for one out of range."""
    if len(key) > len(shape) or not key:
        return False
    for k in key:
        if type(k) is not int:
            return False
    for d, (i, size) in enumerate(zip(key, shape)):
        if not -size <= i < size:
            raise IndexError(f"index {i} is out of bounds for dimension {d} with size {size}")
    return True


def getitem(self: Tensor, key):
    if key.__class__ is int and self._a.ndim:
        return select_first(self, _check_int(self, key))
    if isinstance(key, Tensor) and key._a.ndim == 0 and key._dtype.category == _dtypes.INT:
        return select(self, 0, int(key._a)) if self._a.ndim else _too_many(self)
    if type(key) is tuple and not self._rg and _all_ints(key, self._a.shape):
        # x[i, j]: torch's selects one by one, whose views outside a graph need no step of their own
        return view_of(self, self._a[key + (Ellipsis,)], "SelectBackward0")
    if self._a.ndim == 0 and (type(key) is int or isinstance(key, np.integer)):
        raise IndexError(_ZERO_DIM_INDEX)
    lone_slice = isinstance(key, slice)
    if lone_slice and self._a.ndim == 0:
        raise IndexError(_ZERO_DIM_SLICE)
    key = _normalize_key(key)
    if key == ():
        return view_of(self, self._a[...], "AliasBackward0", (formula(lambda F, g: g),), {})
    view, advanced = _apply_basic(self, key, skip_full=not lone_slice)
    if not advanced:
        if view is self:
            return view_of(self, self._a[...], "AliasBackward0", (formula(lambda F, g: g),), {})
        return view
    np_key = _advanced_key(view, advanced)
    value = view._a[np_key]
    layout = _index_layout(view._a, np_key, value.shape)
    out = make(_contiguous(value) if layout is None else conform(value, layout), view._dtype, view._device)
    if needs_grad(view):
        record("IndexBackward0", (view,), (_INDEX_BACK,), {"self_sizes": view._a.shape, "key": np_key}, out)
    return out


_ZERO_DIM_INDEX = (
    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
    "convert a 0-dim tensor to a number"
)


def _too_many(self):
    raise IndexError(_ZERO_DIM_INDEX)


def _check_int(self, i):
    size = self._a.shape[0]
    if not -size <= i < size:
        raise IndexError(f"index {i} is out of bounds for dimension 0 with size {size}")
    return i


def _value_tensor(self, value):
    if isinstance(value, Tensor):
        return value
    if is_scalar(value):
        v = scalar_value(value)
        return make(np.asarray(to_stored_scalar(v, self._dtype, setitem=True)), self._dtype, self._device)
    if isinstance(value, (list, tuple, np.ndarray)):
        from .._creation import tensor

        return tensor(value, dtype=self._dtype)
    raise TypeError(f"can't assign a {type(value).__name__} to a {self._dtype._legacy}")


def setitem(self: Tensor, key, value) -> None:
    if self._a.ndim == 0 and (type(key) is int or isinstance(key, np.integer)):
        raise IndexError(_ZERO_DIM_INDEX)
    if isinstance(key, slice) and self._a.ndim == 0:
        raise IndexError(_ZERO_DIM_SLICE)
    value = _value_tensor(self, value)
    if type(key) is bool:  # a bare bool is one of torch's simple keys: False writes nothing, True is x[None]
        if not key:
            return
        key = None
    key = _normalize_key(key)
    if any(isinstance(k, Tensor) and k._dtype is _dtypes.uint8 for k in key):
        # uint8's deprecation warning is said by the index path only: a lone mask with a scalar goes to
        # masked_fill_, which refuses the mask first
        with warnings.catch_warnings(record=True) as deferred:
            warnings.simplefilter("always")
            view, advanced = _apply_basic(self, key)
        lone_mask = _dtypes.uint8 if len(advanced) == 1 and advanced[0][2] else False
        if lone_mask and value._a.size == 1:
            deferred = []
    else:
        view, advanced = _apply_basic(self, key)
        lone_mask = len(advanced) == 1 and advanced[0][2]
        deferred = []
    if not advanced:
        _rewarn(deferred)
        if value._a.ndim == 0 and view._a.ndim and value._device.type == "cpu":
            fill_(view, value)  # torch's copy_to fills with a 0-dim CPU value (read first) instead of copying it
            follow_base(self)
            return
        copy_(view, _strip_leading_ones(value), _broadcast_error=True)
        follow_base(self)
        return
    try:
        np_key = _advanced_key(view, advanced, bounds=False)
    except IndexError:  # (indices that do not broadcast: refused after autograd's check and the overlap warning)
        check_inplace(view, overlap=False)
        if _has_internal_overlap(view._a):
            warnings.warn(_EXPANDED_INDEX_PUT, UserWarning, stacklevel=2)
        _rewarn(deferred)
        raise
    index_put_(view, np_key, _strip_leading_ones(value), accumulate=False, lone_mask=lone_mask, deferred=deferred)
    follow_base(self)


def _strip_leading_ones(value: Tensor) -> Tensor:
    """torch's slicePrefix1sSize: a value's leading size-1 dims are dropped before it is copied in."""
    shape = value._a.shape
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return value if k == 0 else value.view(shape[k:])


def _indexed_shape(a: np.ndarray, np_key) -> tuple:
    """The shape of a[np_key], found before the indices' bounds are checked (torch checks them last)."""
    key = np_key if isinstance(np_key, tuple) else (np_key,)
    integer = [isinstance(k, np.ndarray) and k.dtype.kind in "iu" for k in key]
    # every integer index at 0, into a dim of at least one element (its size is not in the result's shape)
    shape = tuple(max(n, 1) if d < len(key) and integer[d] else n for d, n in enumerate(a.shape))
    probe = tuple(np.zeros_like(k) if integer[d] else k for d, k in enumerate(key))
    return np.broadcast_to(np.empty((), a.dtype), shape)[probe].shape


def _check_put_bounds(shape, np_key, empty_dims_only: bool = False) -> None:
    """index_put's bounds check on integer index arrays, with torch's messages (none where the indices
    broadcast to nothing: the kernel then reads no index); `empty_dims_only`: the indices into a dim of no
    elements, which torch's AdvancedIndex refuses before the value's shape is checked."""
    keys = np_key if isinstance(np_key, tuple) else (np_key,)
    arrays = [k for k in keys if isinstance(k, np.ndarray)]
    try:
        if arrays and 0 in np.broadcast_shapes(*(k.shape for k in arrays)):
            return
    except ValueError:
        pass
    indexed = [(d, k) for d, k in enumerate(keys) if isinstance(k, np.ndarray)]
    for order, (d, k) in enumerate(indexed):  # (torch names an index by its order among the indices)
        if k.dtype.kind in "iu" and d < len(shape) and not (empty_dims_only and shape[d]):
            size = shape[d]
            bad = k[(k >= size) | (k < -size)]
            if bad.size:
                if size == 0:
                    raise IndexError("index is out of bounds for dimension with size 0")
                raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension {order} with size {size}")


def index_put_(view: Tensor, np_key, value: Tensor, accumulate=False, lone_mask=False, deferred=()) -> Tensor:
    """torch's _index_put_impl_.  lone_mask: the only index is a bool mask (or a uint8 one: its dtype);
    deferred: the uint8 indices' warnings, which torch's expandTensors says after the expanded-self one."""
    check_inplace(view, overlap=False)
    fill = lone_mask and not accumulate and value._a.size == 1  # canDispatchToMaskedFill
    expanded = _has_internal_overlap(view._a)
    if expanded:  # torch only warns, and writes through the expanded tensor
        warnings.warn(_EXPANDED_INDEX_PUT, UserWarning, stacklevel=3)
    _rewarn(deferred, stacklevel=4)
    if fill:  # masked_fill_(mask, value.item()): its mask dtype check, then its own warning
        if lone_mask is _dtypes.uint8:
            raise RuntimeError(
                f"masked_fill_ only supports boolean masks, but got mask with dtype {_dtypes.uint8._cpp_name}"
            )
        if expanded:
            warnings.warn(_EXPANDED_MASKED_FILL, UserWarning, stacklevel=3)
        v = to_stored_scalar(value._a.reshape(()).item(), view._dtype)
    else:
        assert_no_overlap(view, value)
        _check_put_bounds(view._a.shape, np_key, empty_dims_only=True)  # (make_info's check comes first)
        target_shape = _indexed_shape(view._a, np_key)
        try:
            v = np.broadcast_to(value._a, target_shape)
        except ValueError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {shape_str(value._a.shape)} cannot be broadcast to "
                f"indexing result of shape {shape_str(target_shape)}"
            ) from None
        if value._dtype is not view._dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{view._dtype._scalar_name} for the destination and {value._dtype._scalar_name} for the source."
            )
    _check_put_bounds(view._a.shape, np_key)  # the kernel checks each index as it writes
    grad = STATE.grad_enabled and (view._rg or value._rg)
    if grad:
        saved = {"key": np_key, "values_sizes": value._a.shape, "accumulate": accumulate}
    with quiet_numpy():
        if accumulate:
            np.add.at(view._a, np_key, v)
        else:
            view._a[np_key] = v
    bump_version(view)
    if grad:
        record_inplace(view, "IndexPutBackward0", (view, value), (_INDEX_PUT_SELF, _INDEX_PUT_VALUES), saved)
    return view


# self: accumulate ? grad : grad.index_put(indices, zeros_like(values), false)
_INDEX_PUT_SELF = formula(lambda F, g, key, accumulate: g if accumulate else F.setitem(F.clone(g), key, 0))
_INDEX_PUT_VALUES = formula(lambda F, g, key, values_sizes: F.sum_to(F.getitem(g, key), values_sizes))

Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem


# -- copy_, fill_, zero_ ---------------------------------------------------------------------------
_COPY_SELF = formula(lambda F, g: F.zeros_like(g))
_COPY_SRC = formula(lambda F, g, src_sizes: F.sum_to(g, src_sizes))


def copy_(self: Tensor, src, non_blocking=False, _broadcast_error=False) -> Tensor:
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, not {type(src).__name__}")
    s = src._a
    if _broadcast_error and s.shape != self._a.shape:  # x[key] = v expands v first (its message names the
        from .shape import expand  # source as CPU<Scalar>Type), before copy_ checks anything

        s = expand(src, self._a.shape)._a
    check_inplace(self, overlap=False)
    if src is not self:  # copying a tensor onto itself skips the kernel and its memory checks
        check_iterator_overlaps(self, (src,))
    if s.shape != self._a.shape:
        shape = broadcast_shapes(self._a.shape, s.shape)  # TensorIterator: self is tensor a, src tensor b
        if shape != self._a.shape:
            raise RuntimeError(
                TEMPLATES["inplace_broadcast"].format(out=shape_str(self._a.shape), shape=shape_str(shape))
            )
        s = np.broadcast_to(s, shape)
    grad = STATE.grad_enabled and (self._rg or src._rg) and self._dtype.category >= _dtypes.FLOAT
    with quiet_numpy():
        if self._dtype.category < _dtypes.COMPLEX and src._dtype.category == _dtypes.COMPLEX:
            warn_complex_to_real()
            s = s.real
        _dtypes.cast_into(self._a, s, self._dtype)
    bump_version(self)
    if grad:
        record_inplace(self, "CopyBackwards", (self, src), (_COPY_SELF, _COPY_SRC), {"src_sizes": src._a.shape})
    return self


def fill_(self: Tensor, value) -> Tensor:
    if isinstance(value, Tensor):
        if value._a.ndim:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value._a.ndim} dimensions."
            )
        node, inputs = "FillBackward3", (self, value)  # fill_.Tensor (fill.Tensor is FillBackward1)
        grads = (_COPY_SELF, formula(lambda F, g: F.sum(g, None)))
        v = value._a
        if self._dtype.category < _dtypes.COMPLEX and value._dtype.category == _dtypes.COMPLEX:
            warn_complex_to_real()
            v = v.real
    else:  # a one-element tensor takes fill_'s fast path (scalar_fill), which converts unchecked (inf past
        # 65504 for float16), like `x[i] = v`; the fill kernel checks the value
        v = to_stored_scalar(scalar_value(value), self._dtype, half_via_double=self._a.size == 1)
        node, inputs, grads = "FillBackward2", (self,), (_COPY_SELF,)
    check_inplace(self, overlap=isinstance(value, Tensor))  # a scalar fill may write overlapping memory
    with quiet_numpy():
        self._a[...] = v
    bump_version(self)
    if STATE.grad_enabled and any(t._rg for t in inputs):
        record_inplace(self, node, inputs, grads, {})
    return self


def zero_(self: Tensor) -> Tensor:
    check_inplace(self, overlap=False)
    self._a[...] = 0
    bump_version(self)
    if STATE.grad_enabled and self._rg:
        record_inplace(self, "ZeroBackward0", (self,), (_COPY_SELF,), {})
    return self


Tensor.copy_ = copy_
Tensor.fill_ = fill_
Tensor.zero_ = zero_


# -- where, masked_fill --------------------------------------------------------------------------------
def where(condition, input=None, other=None, *, out=None):
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not {type(condition).__name__}")
    if condition._dtype is not _dtypes.bool_:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition._dtype._scalar_name}"
        )
    if out is not None:  # where's out= overload takes tensors only
        for name, pos, x in (("input", 2, input), ("other", 3, other)):
            if not isinstance(x, Tensor):
                raise TypeError(f"where(): argument '{name}' (position {pos}) must be Tensor, not {type(x).__name__}")
        check_iterator_overlaps(out, (condition, input, other))
    operands = [x if isinstance(x, Tensor) else scalar_value(x) for x in (input, other)]
    dtype = result_type(*operands)
    with quiet_numpy():  # a scalar becomes at::scalar_tensor(s, dtype), converted as fill_ converts
        arrays = [
            x._a.astype(dtype.np, copy=False)
            if isinstance(x, Tensor)
            else to_stored_scalar(x, dtype, half_via_double=True)
            for x in operands
        ]
    tensors = [x for x in (condition, *operands) if isinstance(x, Tensor)]
    device = check_same_device(tensors)
    try:
        value = np.where(condition._a, arrays[0], arrays[1])
    except ValueError:
        from .._dispatch import broadcast_shapes

        broadcast_shapes(*[t._a.shape for t in tensors])
        raise
    value = np.asarray(value)
    # torch converts input and other with .to() first: a converted copy takes part with its own layout
    layouts = [condition._a] + [x._a if x._dtype is dtype else empty_preserving(x._a) for x in tensors[1:]]
    if value.ndim and (needs_layout(layouts) or needs_layout([condition._a, *arrays])):
        value = conform(value, result_layout(value.shape, layouts))
    if out is not None:
        return write_out("where", out, value, dtype, tensors)
    r = make(value, dtype, device)
    ins = tuple(x if isinstance(x, Tensor) else None for x in operands)
    if needs_grad(*[t for t in ins if t is not None]) and dtype.category >= _dtypes.FLOAT:
        record("WhereBackward0", ins, (_WHERE_SELF, _WHERE_OTHER), {"condition": condition}, r)
    return r


_WHERE_SELF = formula(lambda F, g, condition: F.where(condition, g, 0))
_WHERE_OTHER = formula(lambda F, g, condition: F.where(condition, 0, g))


_EXPANDED_INDEX_PUT = (
    "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before performing this "
    "operation. This also applies to advanced indexing e.g. tensor[indices] = tensor (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:976.)"
)
_EXPANDED_MASKED_FILL = (
    "Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before performing this "
    "operation. This also applies to advanced indexing e.g. tensor[mask] = scalar (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:2450.)"
)


def _masked_fill(self, mask, value, inplace):
    if not isinstance(mask, Tensor) or mask._dtype is not _dtypes.bool_:
        got = mask._dtype._scalar_name if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {got}")
    if mask._device is not self._device:  # (the CUDA kernel's own check)
        raise RuntimeError(
            "expected self and mask to be on the same device, but got mask on "
            f"{device_str(mask._device)} and self on {device_str(self._device)}"
        )
    from .._dispatch import broadcast_shapes

    if inplace and self._a.size and any(s == 0 and d > 1 for d, s in zip(self._a.shape, self._a.strides)):
        warnings.warn(_EXPANDED_MASKED_FILL, UserWarning, stacklevel=3)  # before any shape check
    # torch's in-place form checks (self, mask), the out-of-place one (mask, self)
    shape = (
        broadcast_shapes(self._a.shape, mask._a.shape) if inplace else broadcast_shapes(mask._a.shape, self._a.shape)
    )
    if inplace:
        if shape != self._a.shape:
            raise RuntimeError(
                f"output with shape {shape_str(self._a.shape)} doesn't match the broadcast shape {shape_str(shape)}"
            )
        check_inplace(self, overlap=False)
    if isinstance(value, Tensor):
        if value._a.ndim:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value._a.ndim} dimension(s)."
            )
        v = value._a.astype(self._dtype.np)
        node, inputs = "MaskedFillBackward1", (self, value)
        grads = (_MASKED_SELF, formula(lambda F, g, mask: F.sum(F.where(mask, g, 0), None)))
    else:
        if self._dtype.category < _dtypes.COMPLEX and isinstance(scalar_value(value), complex):
            raise RuntimeError(f"value cannot be converted to type {self._dtype._cpp_name} without overflow")
        v = to_stored_scalar(scalar_value(value), self._dtype)
        node, inputs, grads = "MaskedFillBackward0", (self,), (_MASKED_SELF,)
    if inplace:
        target = self
    else:
        # a contiguous clone of self expanded to the broadcast shape
        target = make(np.array(np.broadcast_to(self._a, shape), order="C", copy=True), self._dtype, self._device)
    with quiet_numpy():
        np.copyto(target._a, v, where=np.broadcast_to(mask._a, target._a.shape), casting="unsafe")
    if inplace:
        bump_version(self)
        if STATE.grad_enabled and any(t._rg for t in inputs):
            record_inplace(self, node, inputs, grads, {"mask": mask})
        return self
    if needs_grad(*inputs):
        record(node, inputs, grads, {"mask": mask}, target)
    return target


_MASKED_SELF = formula(lambda F, g, mask: F.where(mask, 0, g))

register("masked_fill", inplace=lambda self, mask, value: _masked_fill(self, mask, value, True))(
    lambda self, mask, value: _masked_fill(self, mask, value, False)
)


def nonzero(input, *, out=None, as_tuple=False):
    idx = np.nonzero(input._a) if input._a.ndim else ((np.array([0]),) if input._a else (np.array([], np.int64),))
    if as_tuple:  # torch unbinds the (n, ndim) result; a 0-d input counts as 1-d
        return nonzero(input.unsqueeze(0) if input._a.ndim == 0 else input).unbind(1)
    # torch fills an (ndim, n) buffer and returns its transpose: column-major strides (1, n)
    value = np.stack(idx, axis=0).astype(np.int64).T if input._a.ndim else np.zeros((len(idx[0]), 0), np.int64)
    if out is not None:
        return write_out("nonzero", out, value, _dtypes.int64)
    return make(value, _dtypes.int64, input._device)


register("nonzero")(nonzero)


def _argwhere(self):
    return nonzero(self)


register("argwhere")(_argwhere)


# -- index_select, gather, scatter, index_add ----------------------------------------------------------
def index_select(self, dim, index, *, out=None):
    if index._device is not self._device and out is None:
        check_argument_devices("_index_select", "self", self, "index", index)
    a = self._a
    d = wrap_dim(dim, a.ndim)  # (index_select_out_cpu_'s checks, in its order)
    if index._a.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    idx = index._a.reshape(-1)
    if a.ndim == 0 and idx.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
    if index._dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if a.ndim > 1 and a.shape[d] == 0 and idx.size:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    size = a.shape[d] if a.ndim else 1
    bad = idx[(idx < 0) | (idx >= size)]  # index_select does not wrap negative indices
    if bad.size:
        if a.ndim > 1 and (a.size == 0 or d == 1):  # torch's dim-1 kernel has its own message
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={int(bad[0])} axis_dim={size}")
        raise IndexError("index out of range in self")
    value = np.take(a, idx, axis=d) if a.ndim else a.copy()
    if out is not None:
        return write_out("index_select", out, value, self._dtype, (self,))
    r = make(_contiguous(value), self._dtype, self._device)
    if needs_grad(self):  # a 0-d self takes the whole gradient
        key = (slice(None),) * d + (idx,) if a.ndim else ()
        record("IndexSelectBackward0", (self,), (_INDEX_BACK,), {"self_sizes": a.shape, "key": key}, r)
    return r


register("index_select")(index_select)


def _gather_check(self, d, index, name):
    a = self._a
    if max(index._a.ndim, 1) != max(a.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(index._a.ndim):
        if k != d and index._a.shape[k] > (a.shape[k] if a.ndim else 1):
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {shape_str(index._a.shape)} to be no larger "
                f"than self {shape_str(a.shape)} apart from dimension {d}"
            )
    size = a.shape[d] if a.ndim else 1
    idx = index._a
    bad = idx[(idx >= size) | (idx < 0)]
    if bad.size:  # torch takes no negative index here, and names the first bad one it meets
        raise RuntimeError(f"index {bad.flat[0]} is out of bounds for dimension {d} with size {size}")


def _gather_indices(index_shape, d, idx):
    grid = list(np.indices(index_shape, sparse=True))
    grid[d] = idx
    return tuple(grid)


def gather(self, dim, index, *, sparse_grad=False, out=None):
    if index._device is not self._device and out is None:
        check_argument_devices("gather", "self", self, "index", index)
    a = self._a
    d = wrap_dim(dim, a.ndim)
    if index._dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    _gather_check(self, d, index, "gather")
    key = _gather_indices(index._a.shape, d, index._a)
    value = a[key] if a.ndim else a.reshape(1)[index._a.reshape(-1)].reshape(index._a.shape)
    if out is not None:
        return write_out("gather", out, value, self._dtype, (self,))
    r = make(_contiguous(value), self._dtype, self._device)
    if needs_grad(self):
        record("GatherBackward0", (self,), (_INDEX_BACK,), {"self_sizes": a.shape, "key": key}, r)
    return r


register("gather")(gather)


_SCATTER_REDUCE = {"add": np.add, "multiply": np.multiply}  # scatter's `reduce=` (scatter_reduce has more)


def in_scatter_buffer(target: np.ndarray, apply) -> None:
    """Run `apply` on target as torch's CPU scatter kernels reduce into it: a Half self in a float copy
    (create_acc_buffer), written back rounded once, so repeated positions accumulate in float (scatter-adding
    0.5 three times into 1024 gives 1026, where rounding each step keeps 1024)."""
    if target.dtype != np.float16:
        apply(target)
        return
    buffer = target.astype(np.float32)
    apply(buffer)
    target[...] = buffer


def _scatter(self, dim, index, src=None, value=None, reduce=None, inplace=False, add=False):
    source = src if isinstance(src, Tensor) else None
    if not (self._device is index._device and (source is None or source._device is self._device)):
        kind = "add" if add else ("src" if source is not None else "value") + ("_reduce" if reduce else "")
        check_argument_devices(f"scatter_{kind}{'_' if inplace else ''}", "self", self, "index", index, "src", source)
    if inplace:
        check_inplace(self, overlap=False)
    if reduce is not None and isinstance(src, Tensor):
        warn_internal(
            "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a future "
            "PyTorch release. Use torch.scatter_reduce instead for more reduction options.",
            "aten/src/ATen/native/TensorAdvancedIndexing.cpp:225",
            once=True,
        )
    a = self._a
    d = wrap_dim(dim, a.ndim)
    if index._dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if isinstance(src, Tensor):
        if src._dtype is not self._dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        for k in range(index._a.ndim):
            if index._a.shape[k] > src._a.shape[k]:
                raise RuntimeError(
                    f"Expected index {shape_str(index._a.shape)} to be no larger than self {shape_str(a.shape)} "
                    f"apart from dimension {d} and to be no larger than src {shape_str(src._a.shape)}"
                )
    _gather_check(self, d, index, "scatter")
    key = _gather_indices(index._a.shape, d, index._a)
    if isinstance(src, Tensor):
        vals = src._a[tuple(slice(0, s) for s in index._a.shape)]
    else:
        vals = to_stored_scalar(scalar_value(src if src is not None else value), self._dtype)
    target = self if inplace else make(a.copy(), self._dtype, self._device)
    if inplace:
        check_overlap(self)
        assert_no_overlap(self, index, src)
    if reduce is not None and reduce not in _SCATTER_REDUCE:  # (scatter_meta_impl: after the output's checks)
        raise RuntimeError("reduce argument must be either add or multiply.")
    with quiet_numpy():
        if add or reduce is not None:
            ufunc = _SCATTER_REDUCE[reduce or "add"]
            in_scatter_buffer(target._a, lambda t: ufunc.at(t, key, vals))
        else:
            target._a[key] = vals
    if inplace:
        bump_version(self)
    src_t = src if isinstance(src, Tensor) else None
    if STATE.grad_enabled and (self._rg or (src_t is not None and src_t._rg)):
        if reduce is not None:  # (torch has no derivative for scatter with a reduction)
            node, grads = (
                "NotImplemented",
                (not_implemented_formula("scatter_" if inplace else "scatter"),) * (1 + (src_t is not None)),
            )
        elif add:
            node, grads = "ScatterAddBackward0", (formula(lambda F, g: g), formula(lambda F, g, key: F.getitem(g, key)))
        elif src_t is not None:
            node, grads = (
                "ScatterBackward0",
                (
                    formula(lambda F, g, key: F.setitem(F.clone(g), key, 0)),
                    formula(lambda F, g, key: F.getitem(g, key)),
                ),
            )
        else:
            node, grads = "ScatterBackward1", (formula(lambda F, g, key: F.setitem(F.clone(g), key, 0)),)
        inputs = (self, src_t) if src_t is not None else (self,)
        if inplace:
            record_inplace(self, node, inputs, grads, {"key": key})
        else:
            record(node, inputs, grads, {"key": key}, target)
    return target


def _into_out(name: str, out, compute, inputs: tuple, reads: tuple):
    """An op's out= form where torch's kernel writes a copy of self: autograd's refusal first, the result
    computed without a graph, then written into `out` with the op's memory checks against what it reads."""
    check_out_grad(name, out, inputs)
    with no_grad():
        r = compute()
    return write_out(name, out, r._a, r._dtype, reads)


def _scatter_function(self, dim, index, src=None, value=None, reduce=None, *, out=None):
    if out is None:
        return _scatter(self, dim, index, src, value, reduce)
    compute = lambda: _scatter(self, dim, index, src, value, reduce)  # noqa: E731
    if reduce is None:
        return _into_out("scatter", out, compute, (self, src), (index, src))
    # undifferentiated: out= is taken with inputs that require grad, and out gets the NotImplemented node
    check_out_grad("aten::scatter", out, ())
    with no_grad():  # (write_out's memory checks against what it reads; its grad check is the one above)
        r = compute()
        t = write_out("scatter", out, r._a, r._dtype, (index, src))
    inputs = tuple(x for x in (self, src) if isinstance(x, Tensor))
    if STATE.grad_enabled and any(x._rg for x in inputs):
        record("NotImplemented", inputs, (not_implemented_formula("scatter"),) * len(inputs), {}, t)
    return t


def _scatter_add_function(self, dim, index, src, *, out=None):
    if out is None:
        return _scatter(self, dim, index, src, add=True)
    return _into_out("scatter_add", out, lambda: _scatter(self, dim, index, src, add=True), (self, src), (index, src))


register(
    "scatter",
    inplace=lambda self, dim, index, src=None, value=None, reduce=None: _scatter(
        self, dim, index, src, value, reduce, inplace=True
    ),
)(_scatter_function)
register("scatter_add", inplace=lambda self, dim, index, src: _scatter(self, dim, index, src, inplace=True, add=True))(
    _scatter_add_function
)


def _index_add_source_back(F, g, key, alpha):
    if not g.ndim:  # (a 0-d self: its one element, added once)
        return g * alpha
    if g.shape[len(key) - 1] == 0 and key[-1].size:  # torch's backward index_selects the empty dim
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    return F.getitem(g, key) * alpha


def _index_func_checks(func: str, self: Tensor, d: int, index: Tensor, source: Tensor) -> None:
    """index_func_meta_impl's checks, in its order (index_add, index_reduce)."""
    if index._a.ndim > 1:
        raise IndexError(
            f"{func}_(): Index is supposed to be a vector, but got dim: {index._a.ndim} with type: "
            f"{index._dtype._scalar_name} and size: {shape_str(index._a.shape)}"
        )
    if index._dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"{func}_(): Expected dtype int32/int64 for index but got: {index._dtype._scalar_name}")
    if self._dtype is not source._dtype:
        raise RuntimeError(
            f"{func}_(): self ({self._dtype._scalar_name}) and source ({source._dtype._scalar_name}) must have the "
            "same scalar type"
        )
    if d != 0 and d >= source._a.ndim:
        raise RuntimeError(
            f"{func}_(): Indexing dim {d} is out of bounds of the source tensor with dim {source._a.ndim}"
        )
    count = 1 if source._a.ndim == 0 else source._a.shape[d]
    if index._a.size != count:
        raise RuntimeError(
            f"{func}_(): Number of indices ({index._a.size}) should be equal to source.size(dim): ({count}), "
            f"for dim: {d}"
        )
    self_sizes, source_sizes = list(self._a.shape), list(source._a.shape)
    if self_sizes and source_sizes:
        del self_sizes[d], source_sizes[d]
    if self_sizes != source_sizes:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified dimension. Got "
            f"self.shape = {shape_str(self._a.shape)} source.shape = {shape_str(source._a.shape)}"
        )


def _index_add(self, dim, index, source, *, alpha=1, inplace=False):
    if not (self._device is index._device is source._device):
        check_argument_devices("index_add_" if inplace else "index_add", "self", self, "index", index, "source", source)
    if inplace:
        check_inplace(self, overlap=False)
    a = self._a
    d = wrap_dim(dim, a.ndim)
    _index_func_checks("index_add", self, d, index, source)
    idx = index._a.reshape(-1)
    target = self if inplace else make(a.copy(), self._dtype, self._device)
    if inplace:
        check_overlap(self)
        assert_no_overlap(self, index, source)
    size = a.shape[d] if a.ndim else 1
    # from 2 dims, along the first or last dim with alpha 1 and an int64 index, torch's index_add is
    # scatter_add_ with the index expanded over source; otherwise it adds slice by slice
    scatters = a.ndim > 1 and d in (0, a.ndim - 1) and alpha == 1 and index._dtype is _dtypes.int64
    bad = idx[(idx < 0) | (idx >= size)]
    if bad.size and (a.ndim <= 1 or a.size):  # torch skips an empty self of 2 or more dims
        if inplace and not (scatters and a.dtype == np.float16):  # (Half scatters into a float copy)
            _add_before_failing(a, d, idx, source._a, alpha, scatters)
        if scatters:
            raise RuntimeError(f"index {bad[0]} is out of bounds for dimension {d} with size {size}")
        raise IndexError("index out of range in self")
    key = (slice(None),) * d + (idx,)
    vals = source._a if alpha == 1 else source._a * alpha
    with quiet_numpy():
        if vals.size and a.size:  # (a 0-d self is indexed as one element)
            dest, vals = (target._a, vals) if a.ndim else (target._a.reshape(1), vals.reshape(-1))
            add = lambda t: np.add.at(t, key, vals.astype(t.dtype))  # noqa: E731
            in_scatter_buffer(dest, add) if scatters else add(dest)
    if inplace:
        bump_version(self)
    if STATE.grad_enabled and (self._rg or source._rg):
        grads = (formula(lambda F, g: g), formula(_index_add_source_back))
        if inplace:
            record_inplace(self, "IndexAddBackward0", (self, source), grads, {"key": key, "alpha": alpha})
        else:
            record("IndexAddBackward0", (self, source), grads, {"key": key, "alpha": alpha}, target)
    return target


def _add_before_failing(a: np.ndarray, d: int, idx: np.ndarray, source: np.ndarray, alpha, scatters: bool) -> None:
    """What torch's index_add_ has added when it meets the first bad index: the slices before it, or, where
    it scatters along the last dim, the elements before it in the first row only (its loop goes row by row)."""
    first = int(np.flatnonzero((idx < 0) | (idx >= (a.shape[d] if a.ndim else 1)))[0])
    vals = source if source.ndim else source.reshape(1)
    rows = (0,) * (a.ndim - 1) if scatters and d == a.ndim - 1 else (slice(None),) * d
    with quiet_numpy():
        np.add.at(a, rows + (idx[:first],), (vals[rows + (slice(0, first),)] * alpha).astype(a.dtype))


def _index_add_function(self, dim, index, source, *, alpha=1, out=None):
    if out is None:
        return _index_add(self, dim, index, source, alpha=alpha)
    compute = lambda: _index_add(self, dim, index, source, alpha=alpha)  # noqa: E731
    return _into_out("index_add", out, compute, (self, source), (index, source))


register(
    "index_add",
    inplace=lambda self, dim, index, source, *, alpha=1: _index_add(
        self, dim, index, source, alpha=alpha, inplace=True
    ),
)(_index_add_function)


def _index_put(self, indices, values, accumulate=False):
    """The out-of-place index_put: a copy written in place (its version stays 0, as torch's result's does),
    recorded as one IndexPutBackward0 of self and values."""
    np_key, lone_mask = _put_key(indices)
    r = make(copy_preserving(self._a), self._dtype, self._device)
    with no_grad():
        index_put_(r, np_key, values, accumulate, lone_mask=lone_mask)
    r._vc = None
    if STATE.grad_enabled and (self._rg or values._rg):
        saved = {"key": np_key, "values_sizes": values._a.shape, "accumulate": accumulate}
        record("IndexPutBackward0", (self, values), (_INDEX_PUT_SELF, _INDEX_PUT_VALUES), saved, r)
    return r


_INDEX_DTYPES = (_dtypes.int64, _dtypes.int32, _dtypes.uint8, _dtypes.bool_)


def _index_put_inplace(self, indices, values, accumulate=False):
    np_key, lone_mask = _put_key(indices)
    return index_put_(self, np_key, values, accumulate, lone_mask=lone_mask)


def _put_key(indices) -> tuple:
    """index_put's indices as a numpy key, and the dtype of its only index where that is a mask (else False)."""
    given = [i for i in indices if i is not None]
    if any(isinstance(i, Tensor) and i._dtype not in _INDEX_DTYPES for i in given):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    lone_mask = len(given) == 1 and isinstance(given[0], Tensor) and given[0]._dtype in (_dtypes.bool_, _dtypes.uint8)
    return tuple(i._a if isinstance(i, Tensor) else i for i in indices), lone_mask and given[0]._dtype


register("index_put", inplace=_index_put_inplace)(_index_put)
FUNCTIONS = {"where": where}
