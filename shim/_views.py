"""Views: torch's stride rules, and the one function that makes a view tensor (with its graph node)."""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._autograd.grad_mode import STATE
from ._autograd.views import mark_view, watch_view
from ._dispatch import record
from ._errors import shape_str
from ._layout import dense_strides, result_layout
from ._tensor import Tensor, make_view, storage_root

__all__ = [
    "broadcast_view",
    "strided",
    "view_of",
    "compute_stride",
    "infer_size",
    "contiguous_strides",
    "parse_shape",
    "view_sizes",
    "strided_bytes",
]

_as_strided = np.lib.stride_tricks.as_strided


def strided(a: np.ndarray, shape, strides) -> np.ndarray:
    """A view of `a` starting at a's first element, with element strides (torch's as_strided)."""
    item = a.itemsize
    return strided_bytes(a, tuple(shape), tuple([s * item for s in strides]))


def strided_bytes(a: np.ndarray, shape: tuple, byte_strides: tuple) -> np.ndarray:
    """strided, the strides in bytes."""
    # a view on a's buffer costs a tenth of as_strided (numpy checks that it stays inside a); not for an empty
    # a, which may come from np.broadcast_arrays, whose results warn when used as a buffer
    if (a.flags.c_contiguous or a.flags.f_contiguous) and a.size:
        try:
            return np.ndarray(shape, a.dtype, a, 0, byte_strides)
        except ValueError:
            pass
    return _as_strided(a, shape, byte_strides)


def broadcast_view(a: np.ndarray, shape: tuple) -> np.ndarray:
    """np.broadcast_to(a, shape), read-only, without its nditer (~3 us): a view of a's memory with stride 0
    along the new and the stretched dims.  ValueError where `a` does not broadcast to `shape`."""
    lead = len(shape) - a.ndim
    if lead < 0:
        raise ValueError(f"cannot broadcast {a.shape} to {shape}")
    if a.size == 1 and a.flags.c_contiguous:  # (a reduced gradient, a number: every stride 0)
        view = np.ndarray(shape, a.dtype, a, 0, (0,) * len(shape))
        view.flags.writeable = False
        return view
    strides = [0] * lead
    for n, stride, size in zip(a.shape, a.strides, shape[lead:]):
        if n != size and n != 1:
            raise ValueError(f"cannot broadcast {a.shape} to {shape}")
        strides.append(stride if n == size else 0)
    view = strided_bytes(a, tuple(shape), tuple(strides))
    view.flags.writeable = False
    return view


def empty_strided(shape, strides, dtype) -> np.ndarray:
    """An uninitialised array with exactly these element strides (torch's empty_strided), over a buffer just
    large enough for them."""
    shape, strides = tuple(shape), tuple(strides)
    if any(n == 0 for n in shape):
        size = 0
    else:
        size = 1 + sum((n - 1) * abs(st) for n, st in zip(shape, strides))
    buffer = np.empty(max(size, 1), dtype)
    return strided(buffer, shape, strides) if shape else buffer[:1].reshape(())


def is_dense(a: np.ndarray) -> bool:
    """torch's is_non_overlapping_and_dense, of an array."""
    item = a.itemsize
    return dense_strides(a.shape, [s // item for s in a.strides])


def empty_preserving(a: np.ndarray, dtype=None) -> np.ndarray:
    """An uninitialised array laid out like `a` (torch's empty_like with preserve_format): the exact
    strides when `a` is dense, else dense strides in a's dim order (infer_dense_strides)."""
    dtype = a.dtype if dtype is None else np.dtype(dtype)
    shape = a.shape
    if not shape or a.size == 0:
        return np.empty(shape, dtype)
    if a.flags.c_contiguous and a.strides == tuple(s * a.itemsize for s in contiguous_strides(shape)):
        return np.empty(shape, dtype)
    strides = tuple(s // a.itemsize for s in a.strides)
    if not dense_strides(shape, strides):
        strides = result_layout(shape, (a,))
        if strides is None:
            return np.empty(shape, dtype)
    extent = 1 + sum((d - 1) * s for d, s in zip(shape, strides))
    return strided(np.empty(extent, dtype), shape, strides)


def copy_preserving(a: np.ndarray) -> np.ndarray:
    """A copy of `a` laid out as torch's clone() lays it out (preserve_format)."""
    copy = empty_preserving(a)
    copy[...] = a
    return copy


def cast_preserving(a: np.ndarray, dtype) -> np.ndarray:
    """A copy of `a` converted to the shim dtype `dtype` as c10 converts (_dtypes.cast_into), laid out as
    torch's `.to()` lays it out: a non-dense input dense in torch's dim order (numpy's astype would put a
    stride-0 dim innermost)."""
    copy = empty_preserving(a, dtype.np)
    _dtypes.cast_into(copy, a, dtype)
    return copy


class _Interface:
    """An object exposing an array interface (how numpy's own as_strided makes views)."""

    def __init__(self, interface: dict, base: np.ndarray):
        self.__array_interface__ = interface
        self.base = base


def reinterpret(a: np.ndarray, dtype, shape, byte_strides) -> np.ndarray:
    """a's memory, from a's first element, read as `dtype` with this shape and these byte strides (the views
    view_as_real and view_as_complex make)."""
    interface = dict(a.__array_interface__)
    interface["typestr"] = np.dtype(dtype).str
    interface["descr"] = [("", np.dtype(dtype).str)]
    interface["shape"] = tuple(shape)
    interface["strides"] = tuple(byte_strides)
    interface.pop("mask", None)
    return np.asarray(_Interface(interface, a))


def strided_at(a: np.ndarray, shape, strides, element_offset: int) -> np.ndarray:
    """A view of `a`'s memory at an element offset from a's start; works for empty views too (numpy
    itself resets the pointer of an empty slice, torch keeps the offset)."""
    interface = dict(a.__array_interface__)
    item = a.itemsize
    interface["data"] = (interface["data"][0] + element_offset * item, False)
    interface["shape"] = tuple(shape)
    interface["strides"] = tuple(s * item for s in strides)
    interface.pop("mask", None)
    view = np.asarray(_Interface(interface, a))
    return view


def resize_in_storage(t: Tensor, shape: tuple, strides: tuple) -> None:
    """Give `t` a new shape and strides over its storage from its own offset, as torch's resize_ does (then
    as_strided_, for an out= result's layout); the storage grows, keeping its contents, where it is too
    small.  (A grown storage is t's alone here, though t stays a view of its base: in torch the tensors sharing
    the storage see it grow too.)"""
    offset = t.storage_offset()
    root = storage_root(t)
    extent = 0 if 0 in shape else 1 + sum((n - 1) * st for n, st in zip(shape, strides))
    flat = root.reshape(-1) if root.flags.c_contiguous else root
    if offset + extent > root.size:
        grown = np.empty(offset + extent, t._dtype.np)
        grown[: root.size] = root.reshape(-1)
        t._storage, flat = grown, grown
    t._a = strided_at(flat, shape, strides, offset)


def contiguous_strides(shape) -> tuple:
    strides = []
    acc = 1
    for d in reversed(shape):
        strides.append(acc)
        acc *= max(d, 1)
    return tuple(reversed(strides))


def view_of(base: Tensor, a: np.ndarray, node: str | None, formulas=(), saved=None, creation=None) -> Tensor:
    """Wrap ndarray `a` (a view of base's memory) as a view tensor, recording `node` when needed."""
    v = make_view(base, a)
    if base._rg:
        if STATE.grad_enabled and node is not None:
            record(node, (base,), formulas, saved or {}, v)
            mark_view(v, creation)
        else:
            v._rg = True
            mark_view(v, "no_grad")
    elif node is not None and STATE.grad_enabled:
        watch_view(v)
    return v


def parse_shape(args, name: str = "view", arg: str = "size") -> tuple:
    """Sizes given as varargs, a tuple, a list or a Size."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    for d in args:
        if type(d) is not int or not -(1 << 63) <= d < 1 << 63:  # (the rest, and the errors, below)
            break
    else:
        return tuple(args)
    out = []
    for i, d in enumerate(args):
        if (isinstance(d, bool) and i == 0) or not hasattr(d, "__index__"):  # (torch reads a later bool as an int)
            if len(args) == 1 and not isinstance(d, (tuple, list)):
                raise TypeError(
                    f"{name}(): argument '{arg}' (position 1) must be tuple of ints, but found element of type "
                    f"{type(d).__name__} at pos 0"
                )
            raise TypeError(
                f"{name}(): argument '{arg}' failed to unpack the object at pos {i + 1} with error "
                f'"type must be tuple of ints,but got {type(d).__name__}"'
            )
        out.append(d.__index__())
    if out and (max(out) >= 1 << 63 or min(out) < -(1 << 63)):
        _overflow(out, name, arg)
    return tuple(out)


def _overflow(sizes, name: str, arg: str):
    """A size past int64: the first line of torch's message (the rest is a C++ stack trace)."""
    i = next(i for i, d in enumerate(sizes) if not -(1 << 63) <= d < 1 << 63)
    raise TypeError(
        f"{name}(): argument '{arg}' failed to unpack the object at pos {i + 1} with error "
        '"Overflow when unpacking long long'
    )


def view_sizes(args, numel: int, name: str, arg: str = "size") -> tuple:
    """view's and reshape's sizes (varargs, a tuple, a list or a Size) for `numel` elements, with torch's
    errors; the common call, non-negative ints whose product is numel, in one pass."""
    sizes = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    known = 1
    for d in sizes:
        if d.__class__ is not int or not 0 <= d < 1 << 63:
            break
        known *= d
    else:
        if known == numel:
            return sizes if sizes.__class__ is tuple else tuple(sizes)
    return infer_size(parse_shape(args, name, arg), numel)


def infer_size(shape, numel: int) -> tuple:
    """Resolve one -1 in `shape` for `numel` elements, with torch's errors."""
    infer = None
    known = 1
    for i, d in enumerate(shape):
        if d == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif d >= 0:
            known *= d
        else:
            raise RuntimeError(f"invalid shape dimension {d} at index {i} of shape {shape_str(shape)}")
    if infer is None:
        if known != numel:
            raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
        return tuple(shape)
    if known == 0:
        if numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {shape_str(shape)} because the unspecified "
                "dimension size -1 can be any value and is ambiguous"
            )
        raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
    if numel % known:
        raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
    out = list(shape)
    out[infer] = numel // known
    return tuple(out)


def compute_stride(oldshape, oldstride, newshape):
    """torch's computeStride: strides for viewing (oldshape, oldstride) as newshape, or None."""
    if not oldshape:
        return (1,) * len(newshape)
    numel = 1
    for d in oldshape:
        numel *= d
    if numel == 0 and tuple(oldshape) == tuple(newshape):
        return tuple(oldstride)
    newstride = [0] * len(newshape)
    if numel == 0:
        for view_d in range(len(newshape) - 1, -1, -1):
            if view_d == len(newshape) - 1:
                newstride[view_d] = 1
            else:
                newstride[view_d] = max(newshape[view_d + 1], 1) * newstride[view_d + 1]
        return tuple(newstride)
    view_d = len(newshape) - 1
    chunk_base_stride = oldstride[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[tensor_d]
        if tensor_d == 0 or (
            oldshape[tensor_d - 1] != 1 and oldstride[tensor_d - 1] != tensor_numel * chunk_base_stride
        ):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk_base_stride
                view_numel *= newshape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = oldstride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(newstride)
