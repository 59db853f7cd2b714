"""Rearrangements torch composes from views, cat and index ops: the splits (tensor_split, hsplit, vsplit,
dsplit, split_with_sizes, unsafe_*), the stacks (dstack, column_stack, row_stack, atleast_3d,
broadcast_tensors), flips and rotations (fliplr, flipud, rot90), tile, ravel, repeat_interleave, unfold,
narrow_copy, adjoint, the *_copy forms of the views, and the complex views (view_as_real, view_as_complex,
polar, resolve_conj, resolve_neg)."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import no_grad
from .._cpu.libm import glibc_cos, glibc_cosf, glibc_sin, glibc_sinf
from .._dispatch import broadcast_shapes, check_out_grad, check_same_device, needs_grad, quiet_numpy, record, write_out
from .._dtypes import COMPLEX
from .._errors import not_implemented_for, wrap_dim
from .._layout import conform, contiguous, needs_layout, result_layout
from .._registry import register
from .._tensor import Tensor, make
from .._views import reinterpret, strided_at, view_of
from .elementwise import formula
from .indexing import _slice as slice_dim
from .shape import _at_least, _atleast_2d, _tensors_arg, cat, flipped

__all__ = ["rot90", "tile", "repeat_interleave", "unfold", "view_as_real", "view_as_complex", "polar"]


# -- splits ------------------------------------------------------------------------------------------------------
def _tensor_split(self, indices_or_sections, dim=0):
    if self._a.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = wrap_dim(dim, self._a.ndim)
    size = self._a.shape[d]
    if isinstance(indices_or_sections, Tensor):
        if indices_or_sections._a.ndim > 1 or indices_or_sections._dtype is not _dtypes.int64:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                f"{indices_or_sections._dtype._scalar_name}"
                if indices_or_sections._dtype is not _dtypes.int64
                else "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional "
                f"tensor, but got a tensor with {indices_or_sections._a.ndim} dims"
            )
        values = indices_or_sections._a.tolist()
        indices_or_sections = values
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        base, extra = divmod(size, sections)
        bounds, start = [], 0
        for i in range(sections):
            length = base + (1 if i < extra else 0)
            bounds.append((start, length))
            start += length
    else:

        def clamped(p):  # slice's bounds: wrapped once, then clipped to [0, size]
            return max(min(p, size), 0) if p >= 0 else max(size + p, 0)

        bounds, start = [], 0
        for p in list(indices_or_sections) + [size]:  # torch slices [previous index, index): empty where it falls
            first, stop = clamped(start), clamped(p)
            bounds.append((first, max(stop - first, 0)))
            start = p
    return tuple(self.narrow(d, min(b, size), n) for b, n in bounds)


register("tensor_split")(_tensor_split)


def _direction_split(name, dim, min_dims):
    def split(self, indices_or_sections):
        if self._a.ndim < min_dims:
            raise RuntimeError(
                f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a tensor with "
                f"{self._a.ndim} dimensions!"
            )
        d = 1 if name == "hsplit" and self._a.ndim > 1 else 0 if name == "hsplit" else dim
        if isinstance(indices_or_sections, int):
            size = self._a.shape[d]
            if indices_or_sections <= 0 or size % indices_or_sections:
                raise RuntimeError(
                    f"torch.{name} attempted to split along dimension {d}, but the size of the dimension {size} is "
                    f"not divisible by the split_size {indices_or_sections}!"
                )
        return _tensor_split(self, indices_or_sections, d)

    split.__name__ = name
    return split


register("hsplit")(_direction_split("hsplit", 1, 1))
register("vsplit")(_direction_split("vsplit", 0, 2))
register("dsplit")(_direction_split("dsplit", 2, 3))


@register("split_with_sizes")
def split_with_sizes(self, split_sizes, dim=0):
    if self._a.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, self._a.ndim)
    size = self._a.shape[d]
    if any(n < 0 for n in split_sizes):
        raise RuntimeError(
            "split_with_sizes expects split_sizes have only non-negative entries, but got "
            f"split_sizes={list(split_sizes)}"
        )
    if sum(split_sizes) != size:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at dimension {dim}), "
            f"but got split_sizes={list(split_sizes)}"
        )
    return self.split(list(split_sizes), d)


def _unsafe(split, node):
    """unsafe_split and friends: the same pieces of memory, as plain tensors (no view tracking) from one node."""

    def unsafe(self, *args, **kwargs):
        if self._a.ndim == 0:
            what = "chunk" if split is _chunk else "split"
            raise RuntimeError(f"{what} expects at least a 1-dimensional tensor")
        with no_grad():
            pieces = split(self, *args, **kwargs)
        out = tuple(_sharing(self, p._a) for p in pieces)
        if needs_grad(self):
            d = wrap_dim(kwargs.get("dim", args[1] if len(args) > 1 else 0), self._a.ndim)
            sizes = tuple(p._a.shape[d] for p in out)
            name = _UNSAFE_EMPTY if split is _chunk and self._a.shape[d] == 0 else node
            saved = {"dim": d, "sizes": sizes, "self_sizes": self._a.shape}
            record(name, (self,), (formula(_unsafe_back),), saved, out)
        return out

    return unsafe


def _unsafe_back(F, grads, dim, sizes, self_sizes):
    parts = []
    for g, n in zip(grads + [None] * (len(sizes) - len(grads)), sizes):
        shape = list(self_sizes)
        shape[dim] = n
        parts.append(g if g is not None else F.new_zeros(tuple(shape), next(x for x in grads if x is not None)))
    return F.concat(parts, dim)


def _sharing(self: Tensor, a: np.ndarray) -> Tensor:
    """A plain tensor over part of self's storage (no view tracking, as torch's unsafe ops make them)."""
    from .._tensor import storage_root

    t = make(a, self._dtype, self._device)
    t._storage = storage_root(self)
    return t


def _chunk(self, chunks, dim=0):
    return self.chunk(chunks, dim)


register("unsafe_split")(_unsafe(lambda self, split_size, dim=0: self.split(split_size, dim), "UnsafeSplitBackward0"))
register("unsafe_chunk")(_unsafe(_chunk, "UnsafeSplitBackward0"))
_UNSAFE_EMPTY = "UnsafeSplitWithSizesBackward0"  # unsafe_chunk of an empty dim splits by sizes
register("unsafe_split_with_sizes")(_unsafe(split_with_sizes, "UnsafeSplitWithSizesBackward0"))


# -- stacks ------------------------------------------------------------------------------------------------------
def _atleast_3d(t):
    if t._a.ndim == 0:
        return t.reshape(1, 1, 1)
    if t._a.ndim == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    if t._a.ndim == 2:
        return t.unsqueeze(-1)
    return t


atleast_3d = _at_least(_atleast_3d)


def dstack(tensors, *, out=None):
    tensors = [_atleast_3d(t) for t in _tensors_arg(tensors, "dstack")]
    if not tensors:
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat(tensors, 2, out=out)


def column_stack(tensors, *, out=None):
    tensors = _tensors_arg(tensors, "column_stack")
    if not tensors:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    shaped = [t.reshape(t._a.size, 1) if t._a.ndim <= 1 else t for t in tensors]
    return cat(shaped, 1, out=out)


def row_stack(tensors, *, out=None):
    tensors = [_atleast_2d(t) for t in _tensors_arg(tensors, "row_stack")]
    if not tensors:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat(tensors, 0, out=out)


def broadcast_tensors(*tensors):
    from .._dispatch import broadcast_shapes

    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = broadcast_shapes(*[t._a.shape for t in tensors]) if tensors else ()
    return tuple(t if t._a.shape == tuple(shape) else t.expand(*shape) for t in tensors)


# -- flips, rotations, tile, ravel -------------------------------------------------------------------------------
@register("fliplr")
def fliplr(self):
    if self._a.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return self.flip(1)


@register("flipud")
def flipud(self):
    if self._a.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return self.flip(0)


_ROT90 = (formula(lambda F, g, k, dims: F.rot90(g, -k, dims)),)


@register("rot90")
def rot90(self, k=1, dims=(0, 1)):
    """torch's rot90: flip one dim, then transpose in place (a strided result), flip both, or copy."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if self._a.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {self._a.ndim}")
    d0, d1 = wrap_dim(dims[0], self._a.ndim), wrap_dim(dims[1], self._a.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
    k %= 4
    a = self._a
    if k == 1:  # (flip copies, laid out as empty_like lays out its input)
        value = np.swapaxes(flipped(a, d1), d0, d1)
    elif k == 2:
        value = flipped(a, (d0, d1))
    elif k == 3:
        value = np.swapaxes(flipped(a, d0), d0, d1)
    else:
        value = np.ascontiguousarray(a)
        value = value.copy() if value is a else value
    r = make(value, self._dtype, self._device)
    if needs_grad(self):
        record("Rot90Backward0", (self,), _ROT90, {"k": k, "dims": (d0, d1)}, r)
    return r


@register("tile", function=True)
def tile(self, *dims):
    if not dims:  # (the argument parser words torch's error)
        raise TypeError("tile() missing 1 required positional argument: 'dims'")
    dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    pad = self._a.ndim - len(dims)
    reps = (1,) * pad + tuple(dims) if pad > 0 else tuple(dims)
    return self.repeat(reps)


@register("ravel")
def ravel(self):
    return self.contiguous().view(-1)


# -- repeat_interleave, unfold, narrow_copy, adjoint -------------------------------------------------------------
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """torch's overloads: repeat_interleave(counts) (the index of each count), a tensor of repeats (an
    index_select), or an int (unsqueeze, expand, a contiguous clone, flatten)."""
    if repeats is None:
        counts = input._a
        if input._dtype not in (_dtypes.int32, _dtypes.int64):
            raise not_implemented_for("repeat_interleave_cpu", input._dtype)
        if input._a.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if counts.size and counts.min() < 0:
            raise RuntimeError("repeats can not be negative")
        value = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
        return make(value.astype(counts.dtype), input._dtype, input._device)
    if isinstance(repeats, Tensor):
        x = input if dim is not None else input.flatten()
        d = 0 if dim is None else wrap_dim(dim, x._a.ndim, scalar_ok=False)
        size = x._a.shape[d]
        if repeats._a.ndim == 0 or (repeats._a.ndim == 1 and repeats._a.shape[0] == 1):
            counts = np.broadcast_to(repeats._a.reshape(1), (size,))
        elif repeats._a.ndim == 1:
            if repeats._a.shape[0] != size:
                raise RuntimeError(
                    f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                    f"{repeats._a.shape[0]} and input.size({0 if dim is None else dim}) = {size}"
                )
            counts = repeats._a
        else:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if counts.size and counts.min() < 0:
            raise RuntimeError("repeats can not be negative")
        index = make(np.repeat(np.arange(size, dtype=np.int64), counts), _dtypes.int64, input._device)
        return x.index_select(d, index)
    x = input if dim is not None else input.flatten()
    d = wrap_dim(0 if dim is None else dim, input._a.ndim)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    unsqueezed = x.unsqueeze(d + 1)
    expanded = list(unsqueezed._a.shape)
    expanded[d + 1] = repeats
    from .. import contiguous_format

    return unsqueezed.expand(*expanded).clone(memory_format=contiguous_format).flatten(d, d + 1)


register("repeat_interleave")(repeat_interleave)


def _unfold_back(F, g, self_sizes, dim, size, step):
    if not self_sizes:  # a 0-d tensor unfolds to its one element, or to nothing (size 0)
        return F.sum(g, None)
    zeros = F.new_zeros(self_sizes, g)
    n = g.shape[dim] if len(g.shape) else 0
    for i in range(n):
        key = (slice(None),) * dim + (slice(i * step, i * step + size),)
        piece = F.getitem(g, (slice(None),) * dim + (i,))
        zeros = F.index_add(zeros, key, F.permute(piece, _last_to(dim, len(self_sizes))))
    return zeros


def _last_to(dim, ndim):
    """The permutation taking a window's trailing axis back to dim."""
    order = list(range(ndim - 1))
    order.insert(dim, ndim - 1)
    return tuple(order)


@register("unfold", function=False)
def unfold(self, dimension, size, step):
    a = self._a
    d = wrap_dim(dimension, a.ndim)
    length = a.shape[d] if a.ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    count = (length - size) // step + 1
    strides = [s // a.itemsize for s in a.strides]
    if a.ndim == 0:
        shape, new_strides = [size], [1]
    else:
        shape = list(a.shape)
        shape[d] = count
        shape.append(size)
        new_strides = strides.copy()
        new_strides[d] = strides[d] * step
        new_strides.append(strides[d])
    view = strided_at(a, shape, new_strides, 0)
    saved = {"self_sizes": a.shape, "dim": d, "size": size, "step": step}
    return view_of(self, view, "UnfoldBackward0", (formula(_unfold_back),), saved)


@register("narrow_copy")
def narrow_copy(self, dim, start, length, *, out=None):
    if self._a.ndim and dim >= self._a.ndim:  # narrow_copy_dense_cpu checks the dim before wrapping it
        raise RuntimeError(
            "Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    with no_grad():
        r = self.narrow(dim, start, length)
    value = contiguous(r._a.copy())
    if out is not None:
        return write_out("narrow_copy", out, value, self._dtype, (self,))
    t = make(value, self._dtype, self._device)
    if needs_grad(self):
        d = wrap_dim(dim, self._a.ndim)
        s = start + self._a.shape[d] if start < 0 else start
        key = (slice(None),) * d + (slice(s, s + length),)
        back = formula(lambda F, g, self_sizes, key: F.setitem(F.new_zeros(self_sizes, g), key, g))
        record("NarrowCopyBackward0", (self,), (back,), {"self_sizes": self._a.shape, "key": key}, t)
    return t


@register("adjoint")
def adjoint(self):
    if self._a.ndim == 0:  # deprecated: x.conj()
        from .._errors import warn_internal

        warn_internal(
            "adjoint() is deprecated on 0-D tensors. Consider using x.conj().",
            "aten/src/ATen/native/TensorShape.cpp:4390",
            once=True,
        )
        return self.conj()
    if self._a.ndim < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.")
    t = self.transpose(-2, -1)
    return t.conj() if self._dtype.category == COMPLEX else t


# -- complex views -------------------------------------------------------------------------------------------------
_REAL_OF = {np.complex64: np.float32, np.complex128: np.float64}


@register("view_as_real", method=False)
def view_as_real(self):
    """The complex elements as pairs of reals: a view of the same memory (the last dim of size 2, stride 1)."""
    if self._dtype.category != COMPLEX:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    a = self._a
    real = _REAL_OF[a.dtype.type]
    half = a.itemsize // 2
    view = reinterpret(a, real, a.shape + (2,), a.strides + (half,))
    r = view_of(self, view, "ViewAsRealBackward0", (formula(lambda F, g: F.view_as_complex(g)),), {})
    r._dtype = self._dtype.to_real()
    return r


_COMPLEX_OF = {np.float32: np.complex64, np.float64: np.complex128}


@register("view_as_complex", method=False)
def view_as_complex(self):
    """Pairs of reals (a last dim of size 2, stride 1) as complex elements: a view of the same memory."""
    a = self._a
    if self._dtype not in (_dtypes.float32, _dtypes.float64):
        raise RuntimeError(
            "view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: "
            f"{self._dtype._scalar_name}"
        )
    if a.ndim == 0 or a.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if a.strides[-1] != a.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any((s // a.itemsize) % 2 for s in a.strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    view = reinterpret(a, _COMPLEX_OF[a.dtype.type], a.shape[:-1], a.strides[:-1])
    r = view_of(self, view, "ViewAsComplexBackward0", (formula(lambda F, g: F.view_as_real(g)),), {})
    r._dtype = self._dtype.to_complex()
    return r


def polar(abs, angle, *, out=None):
    """abs * (cos(angle) + i sin(angle))."""
    if abs._dtype is not angle._dtype:
        raise RuntimeError(
            f"Expected object of scalar type {abs._dtype._scalar_name} but got scalar type "
            f"{angle._dtype._scalar_name} for second argument"
        )
    if abs._dtype not in (_dtypes.float32, _dtypes.float64):
        raise RuntimeError(
            f"Expected both inputs to be Float or Double tensors but got {abs._dtype._scalar_name} and "
            f"{angle._dtype._scalar_name}"
        )
    # torch's kernel: complex(a * std::cos(b), a * std::sin(b)), with the C library's functions
    operands = (abs._a, angle._a)
    shape = broadcast_shapes(abs._a.shape, angle._a.shape)
    a, b = (np.broadcast_to(x, shape) for x in operands)
    cos, sin = (glibc_cosf, glibc_sinf) if abs._dtype is _dtypes.float32 else (glibc_cos, glibc_sin)
    value = np.empty(a.shape, abs._dtype.to_complex().np)
    with quiet_numpy():
        value.real, value.imag = a * cos(b), a * sin(b)
    if value.ndim and needs_layout(operands):
        value = conform(value, result_layout(value.shape, operands))
    r = make(value, abs._dtype.to_complex(), check_same_device((abs, angle)))
    if out is not None:
        check_out_grad("polar", out, (abs, angle))
        return write_out("polar", out, r._a, r._dtype, (abs, angle))
    if needs_grad(abs, angle):
        grads = (
            # d/d abs: Re(conj(g) e^{i angle}); d/d angle: Re(conj(g) i result)
            formula(lambda F, g, result: F.real(F.conj(g) * F.sign(result))),
            formula(lambda F, g, result: F.real(F.conj(g) * (result * 1j))),  # (torch: result * 1j first)
        )
        record("PolarBackward0", (abs, angle), grads, {"result": r}, r)
    return r


@register("resolve_conj")
def resolve_conj(self):
    return self  # the shim keeps no conjugate bit: conj() already materialised the values


@register("resolve_neg")
def resolve_neg(self):
    return self


@register("is_conj")
def is_conj(self):
    return False


@register("is_neg")
def is_neg(self):
    return False


# -- as_strided and the *_copy forms of the views ------------------------------------------------------------------
def _positions(shape, strides, offset) -> np.ndarray:
    """The storage index of every element of a strided geometry."""
    index = np.full(tuple(shape), offset, np.int64)
    for axis, (n, st) in enumerate(zip(shape, strides)):
        step = np.arange(n, dtype=np.int64) * st
        index = index + step.reshape([n if i == axis else 1 for i in range(len(shape))])
    return index


def _as_strided_back(F, g, storage_size, positions, self_positions):
    """as_strided's gradient: every output element's gradient added at its storage position (overlaps sum),
    divided where self's own geometry reads a position several times (an expanded self), then read back
    through that geometry."""
    grad = g if isinstance(g, np.ndarray) else g._a
    storage = np.zeros(storage_size, grad.dtype)
    np.add.at(storage, positions, grad)
    counts = np.bincount(self_positions.reshape(-1), minlength=storage_size)
    if counts.size and counts.max() > 1:
        read = counts > 0
        storage[read] /= counts[read].astype(grad.dtype)
    return F.wrap(storage[self_positions])


def _check_storage_bounds(size, stride, offset, itemsize, available) -> None:
    needed = 0 if 0 in size else offset + sum((n - 1) * st for n, st in zip(size, stride)) + 1
    if needed > available:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and itemsize "
            f"{itemsize} requiring a storage size of {needed * itemsize} are out of bounds for storage of size "
            f"{available * itemsize}"
        )


def as_strided(self, size, stride, storage_offset=None):
    from .._tensor import storage_root

    root = storage_root(self)
    item = self._dtype.itemsize
    offset = self.storage_offset() if storage_offset is None else storage_offset
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(st < 0 for st in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: {list(stride)}")
    available = root.nbytes // item
    _check_storage_bounds(size, stride, offset, item, available)
    view = strided_at(root.reshape(-1) if root.flags.c_contiguous else root, size, stride, offset)
    self_positions = _positions(self._a.shape, self.stride(), self.storage_offset())
    saved = {
        "storage_size": available,
        "positions": _positions(size, stride, offset),
        "self_positions": self_positions,
    }
    return view_of(self, view, "AsStridedBackward0", (formula(_as_strided_back),), saved)


def _as_strided_(self, size, stride, storage_offset=None):
    from .shape import _inplace_view

    return _inplace_view(self, as_strided, size, stride, storage_offset)


register("as_strided", inplace=_as_strided_)(as_strided)


@register("as_strided_scatter")
def as_strided_scatter(self, src, size, stride, storage_offset=None):
    from .selection import _embed

    if self._rg and not self.is_contiguous():
        raise RuntimeError(
            '!self.requires_grad() || self.is_contiguous() INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/'
            'ATen/native/TensorShape.cpp":4754, please report a bug to PyTorch. as_strided_scatter is currently only '
            "supported for contiguous inputs"
        )
    r = _embed(self, src, lambda t: t.as_strided(size, stride, storage_offset), None, whole_storage=True)
    if needs_grad(self, src):
        geometry = (tuple(size), tuple(stride), storage_offset or 0)
        record("AsStridedScatterBackward0", (self, src), _AS_STRIDED_SCATTER, {"geometry": geometry}, r)
    return r


def _scattered_positions(g, geometry) -> np.ndarray:
    """Where torch 2.13's backward reads the slice: grad made contiguous, viewed with the slice's geometry
    (the offset counted from grad's start, bounds checked as as_strided checks them)."""
    numel = int(np.prod(g.shape, dtype=np.int64))
    _check_storage_bounds(*geometry, g.dtype.itemsize, numel)
    return _positions(*geometry)


def _as_strided_scatter_self(F, g, geometry):
    """The self gradient torch 2.13 computes: the slice's elements' gradients, zero elsewhere."""
    selected = np.zeros(int(np.prod(g.shape, dtype=np.int64)), bool)
    selected[_scattered_positions(g, geometry).reshape(-1)] = True
    return F.where(F.wrap(selected.reshape(tuple(g.shape))), g, 0)


_AS_STRIDED_SCATTER = (
    formula(_as_strided_scatter_self),
    formula(lambda F, g, geometry: F.getitem(F.reshape(g, (-1,)), _scattered_positions(g, geometry))),
)


def _view_copy(view):
    """A view's *_copy function: the view's values in a new contiguous tensor, whose node is the view's own
    with "_copy" appended (TBackward0_copy, ...), as functionalization's copies record it."""

    def copy(input, *args, out=None, **kwargs):
        r = view(input, *args, **kwargs)
        pieces = r if isinstance(r, tuple) else (r,)
        copies = tuple(make(contiguous(p._a.copy()), p._dtype, p._device) for p in pieces)
        node = pieces[0]._fn if pieces and pieces[0]._rg else None
        if node is not None and needs_grad(input):
            record(
                type(node).__name__ + "_copy",
                (input,),
                node._formulas,
                dict(node._saved),
                copies if isinstance(r, tuple) else copies[0],
            )
        if out is not None:
            check_out_grad(view.__name__ + "_copy", out, (input,))
            return write_out(view.__name__ + "_copy", out, copies[0]._a, copies[0]._dtype, (input,))
        return copies if isinstance(r, tuple) else copies[0]

    return copy


def _detach_copy(input, *, out=None):
    """detach_copy: differentiable in form only (its backward is not implemented)."""
    c = make(contiguous(input._a.copy()), input._dtype, input._device)
    if out is not None:
        return write_out("detach_copy", out, c._a, c._dtype, (input,))
    if needs_grad(input):

        def back(F, g):
            raise RuntimeError("derivative for aten::detach_copy is not implemented")

        record("NotImplemented", (input,), (formula(back),), {}, c)
    return c


def _alias(input):
    return view_of(input, input._a[...], "AliasBackward0", (formula(lambda F, g: g),), {})


def _slice(input, dim=0, start=None, end=None, step=1):
    """aten::slice, which always slices (indexing leaves a slice that covers its dim alone)."""
    return slice_dim(input, wrap_dim(dim, input._a.ndim), slice(start, end, step))


def _method(name):
    def call(input, *args, **kwargs):
        # the *_copy functions take a size as one tuple, where the methods also take it spread out; view_copy
        # refuses anything but one positional dtype or size, and torch's argument parser (shim/_argparse)
        # rebinds a keyword (`dtype=`, `size=`) or gives torch's error
        if name == "view" and (len(args) != 1 or isinstance(args[0], int)):
            raise TypeError(f"view_copy() takes 2 positional arguments but {len(args) + 1} were given")
        if name in ("expand", "permute") and len(args) > 1:
            raise TypeError(f"{name}_copy() takes 2 positional arguments but {len(args) + 1} were given")
        return getattr(input, name)(*args, **kwargs)

    call.__name__ = name
    return call


_COPIES = {
    "alias_copy": _alias,
    "as_strided_copy": _method("as_strided"),
    "diagonal_copy": _method("diagonal"),
    "expand_copy": _method("expand"),
    "permute_copy": _method("permute"),
    "select_copy": _method("select"),
    "slice_copy": _slice,
    "squeeze_copy": _method("squeeze"),
    "t_copy": _method("t"),
    "transpose_copy": _method("transpose"),
    "unbind_copy": _method("unbind"),
    "unfold_copy": _method("unfold"),
    "unsqueeze_copy": _method("unsqueeze"),
    "view_copy": _method("view"),
    "view_as_real_copy": view_as_real,
    "view_as_complex_copy": view_as_complex,
    "split_copy": _method("split"),
    "split_with_sizes_copy": _method("split_with_sizes"),
}
FUNCTIONS = {
    "atleast_3d": atleast_3d,
    "dstack": dstack,
    "column_stack": column_stack,
    "row_stack": row_stack,
    "broadcast_tensors": broadcast_tensors,
    "polar": polar,
    "view_as_real": view_as_real,
    "view_as_complex": view_as_complex,
    **{name: _view_copy(view) for name, view in _COPIES.items()},
    "detach_copy": _detach_copy,
}
