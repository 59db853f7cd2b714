"""Shape ops: views that share storage (with torch's strides and node names) and the copies
(`reshape` of an incompatible layout, `repeat`, `flip`, `cat`, ...)."""

from __future__ import annotations

import functools

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE
from .._dispatch import check_argument_devices, check_same_device, needs_grad, record, result_type
from .._errors import shape_str, warn_internal, wrap_dim, wrap_dims
from .._layout import conform
from .._layout import contiguous as _contiguous
from .._registry import register
from .._tensor import Tensor, make, make_view
from .._views import (
    compute_stride,
    contiguous_strides,
    copy_preserving,
    empty_preserving,
    infer_size,
    parse_shape,
    strided,
    strided_at,
    strided_bytes,
    view_of,
    view_sizes,
)
from .elementwise import formula

__all__ = ["view", "reshape", "clone", "contiguous", "cat", "stack"]

_RESHAPE = formula(lambda F, g, self_sizes: F.reshape(g, self_sizes))


@functools.lru_cache(maxsize=256)
def contiguous_bytes(shape: tuple, itemsize: int) -> tuple:
    return tuple(s * itemsize for s in contiguous_strides(shape))


def _view_to(self: Tensor, shape, node="ViewBackward0") -> Tensor:
    a = self._a
    # (computeStride's own answer then; numpy's flag, cheaper, ignores the strides of size-1 dims)
    if a.size and a.flags.c_contiguous and (1 not in a.shape or a.strides == contiguous_bytes(a.shape, a.itemsize)):
        arr = a.reshape(shape)
        # numpy's strides agree with torch's except, sometimes, those of size-1 dims
        if arr.size and 1 in shape and arr.strides != contiguous_bytes(shape, a.itemsize):
            arr = strided(a, shape, contiguous_strides(shape))
    else:
        strides = compute_stride(a.shape, self.stride(), shape)
        if strides is None:
            return None
        arr = strided(a, shape, strides)
    return view_of(self, arr, node, (_RESHAPE,), {"self_sizes": a.shape})


_VIEW_INCOMPATIBLE = (
    "view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
    "contiguous subspaces). Use .reshape(...) instead."
)


@register("view", function=False)
def view(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], _dtypes.dtype):
        return _view_dtype(self, shape[0])
    if not shape:
        raise TypeError(
            "view() received an invalid combination of arguments - got (), but expected one of:\n"
            " * (torch.dtype dtype)\n * (tuple of ints size)\n"
        )
    shape = view_sizes(shape, self._a.size, "view")
    v = _view_to(self, shape)
    if v is None:
        raise RuntimeError(_VIEW_INCOMPATIBLE)
    return v


def _view_dtype(self, dtype):
    """at::view_dtype: the same bytes as another dtype; with another element size the last dim (contiguous)
    shrinks or grows by the ratio, after torch's checks in its order.  Not a view for autograd (no base, no
    gradient), but the same storage and version counter."""
    old, new = self._dtype.itemsize, dtype.itemsize
    what = f"to view {self._dtype._scalar_name} as {dtype._scalar_name} (different element sizes)"
    if old != new and self._a.ndim == 0:
        raise RuntimeError(f"self.dim() cannot be 0 {what}")
    if old != new:
        ratio, strides = max(old, new) // min(old, new), self.stride()
        checks = [(strides[-1] == 1, "self.stride(-1) must be 1", strides[-1])]
        if new > old:
            checks[:0] = [
                (self._a.shape[-1] % ratio == 0, f"self.size(-1) must be divisible by {ratio}", self._a.shape[-1]),
                (self.storage_offset() % ratio == 0, f"self.storage_offset() must be divisible by {ratio}",
                 self.storage_offset()),
            ]  # fmt: skip
            checks += [(s % ratio == 0, f"self.stride({i}) must be divisible by {ratio}", s) for i, s in
                       enumerate(strides[:-1])]  # fmt: skip
        for ok, rule, got in checks:
            if not ok:
                raise RuntimeError(f"{rule} {what}, but got {got}")
    v = make_view(self, self._a.view(dtype.np))
    v._dtype, v._base = dtype, None
    return v


@register("view_as", function=False)
def view_as(self, other):
    return view(self, other._a.shape)


@register("reshape")
def reshape(self, *shape):
    shape = view_sizes(shape, self._a.size, "reshape", "shape")
    # torch views a contiguous input; a strided one that can be viewed goes through _reshape_alias
    v = _view_to(self, shape, "ViewBackward0" if self._a.flags.c_contiguous else "ReshapeAliasBackward0")
    if v is not None:
        return v
    return _unsafe_view(clone(self, memory_format=None), shape)


def _unsafe_view(t: Tensor, shape, viewed: np.ndarray | None = None) -> Tensor:
    """viewed: t's array as view() lays it out, where the caller has it (view's strides for size-1 dims)."""
    out = make(t._a.reshape(shape) if viewed is None else viewed, t._dtype, t._device)
    if needs_grad(t):
        record("UnsafeViewBackward0", (t,), (_RESHAPE,), {"self_sizes": t._a.shape}, out)
    return out


@register("reshape_as", function=False)
def reshape_as(self, other):
    return reshape(self, other._a.shape)


@register("flatten")
def flatten(self, start_dim=0, end_dim=-1):
    nd = self._a.ndim
    if nd == 0:
        return reshape(self, (1,))
    s, e = wrap_dim(start_dim, nd), wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return self
    shape = self._a.shape
    n = 1
    for d in shape[s : e + 1]:
        n *= d
    return reshape(self, shape[:s] + (n,) + shape[e + 1 :])


@register("unflatten")
def unflatten(self, dim, sizes):
    nd = self._a.ndim
    if nd == 0:
        raise RuntimeError("unflatten: input must have at least 1 dimension")
    d = wrap_dim(dim, nd)
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    inferred = infer_size(sizes, self._a.shape[d]) if -1 in sizes else sizes
    n = 1
    for x in inferred:
        n *= x
    if n != self._a.shape[d]:
        raise RuntimeError(
            f"unflatten: Provided sizes {shape_str(sizes)} don't multiply up to the size of dim {dim} "
            f"({self._a.shape[d]}) in the input tensor"
        )
    return view(self, self._a.shape[:d] + inferred + self._a.shape[d + 1 :])


# -- squeeze / unsqueeze ---------------------------------------------------------------------------
def _drop_dims(self, dims, node):
    a = self._a
    keep = [i for i in range(a.ndim) if i not in dims]
    strides = self.stride()
    arr = strided(a, [a.shape[i] for i in keep], [strides[i] for i in keep])
    return view_of(self, arr, node, (_RESHAPE,), {"self_sizes": a.shape})


@register("squeeze", inplace=lambda self, dim=None: _inplace_view(self, squeeze, dim))
def squeeze(self, dim=None):
    a = self._a
    if dim is None:
        return _drop_dims(self, {i for i, d in enumerate(a.shape) if d == 1}, "SqueezeBackward0")
    if isinstance(dim, (tuple, list)):
        dims = wrap_dims(dim, a.ndim)
        return _drop_dims(self, {i for i in dims if a.ndim and a.shape[i] == 1}, "SqueezeBackward2")
    d = wrap_dim(dim, a.ndim)
    return _drop_dims(self, {d} if a.ndim and a.shape[d] == 1 else set(), "SqueezeBackward1")


@register("unsqueeze", inplace=lambda self, dim: _inplace_view(self, unsqueeze, dim))
def unsqueeze(self, dim):
    a = self._a
    d = wrap_dim(dim, a.ndim + 1)
    if a.size and a.flags.c_contiguous and 1 not in a.shape:
        # its strides are the contiguous ones, and numpy's reshape gives the new dim torch's stride
        return view_of(
            self,
            a.reshape(a.shape[:d] + (1,) + a.shape[d:]),
            "UnsqueezeBackward0",
            (_RESHAPE,),
            {"self_sizes": a.shape},
        )
    # (Tensor.stride's, in bytes: numpy zeroes a new empty array's strides, torch does not)
    shape, strides = a.shape, a.strides if a.size or any(a.strides) else contiguous_bytes(a.shape, a.itemsize)
    new_stride = a.itemsize if d >= a.ndim else shape[d] * strides[d]
    arr = strided_bytes(a, shape[:d] + (1,) + shape[d:], strides[:d] + (new_stride,) + strides[d:])
    return view_of(self, arr, "UnsqueezeBackward0", (_RESHAPE,), {"self_sizes": shape})


_INPLACE_NODE = {
    "SqueezeBackward0": "SqueezeBackward3",
    "SqueezeBackward1": "SqueezeBackward4",
    "SqueezeBackward2": "SqueezeBackward5",
    "UnsqueezeBackward0": "UnsqueezeBackward1",
    "TBackward0": "TBackward1",
    "TransposeBackward0": "TransposeBackward1",
    "AsStridedBackward0": "AsStridedBackward1",
}


def _inplace_view(self: Tensor, op, *args) -> Tensor:
    """squeeze_/unsqueeze_/t_/transpose_: self takes the view's geometry, a version bump and a new node."""
    from .._autograd.grad_mode import no_grad
    from .._dispatch import bump_version, check_inplace

    check_inplace(self, overlap=False)  # only the metadata changes: an expanded tensor may take it
    grad = STATE.grad_enabled and self._rg
    if grad:
        probe = op(self, *args)  # records the out-of-place node, whose formula and saved values we reuse
        node = probe._fn
        out = record(_INPLACE_NODE[type(node).__name__], (self,), node._formulas, dict(node._saved), None)
        self._a = probe._a
        bump_version(self)
        self._fn = out
        if self._meta is not None:
            self._meta.output_nr = 0
        return self
    with no_grad():
        self._a = op(self, *args)._a
    bump_version(self)
    return self


# -- transposes ------------------------------------------------------------------------------------
def _permuted(self, perm, node, saved):
    a = self._a
    if a.size:
        arr = a.transpose(perm)  # numpy permutes the strides as torch does
    else:  # numpy may report zero strides for empty arrays; torch's are contiguous ones
        strides = self.stride()
        arr = strided(a, [a.shape[p] for p in perm], [strides[p] for p in perm])
    return view_of(self, arr, node, (_PERMUTE_BACK,), saved)


_PERMUTE_BACK = formula(lambda F, g, dims: F.permute(g, tuple(np.argsort(dims))))


@register(
    "transpose",
    inplace=lambda self, dim0, dim1: _inplace_view(self, transpose, dim0, dim1),
    aliases=("swapaxes", "swapdims"),
)
def transpose(self, dim0, dim1):
    nd = self._a.ndim
    d0, d1 = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    if nd == 0:
        return _permuted(self, [], "TransposeBackward0", {"dims": ()})
    perm = list(range(nd))
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return _permuted(self, perm, "TransposeBackward0", {"dims": tuple(perm)})


@register("t", inplace=lambda self: _inplace_view(self, t, "t_"))
def t(self, _name="t"):
    nd = self._a.ndim
    if nd > 2:
        raise RuntimeError(f"{_name}() expects a tensor with <= 2 dimensions, but self is {nd}D")
    perm = (1, 0) if nd == 2 else tuple(range(nd))
    return _permuted(self, perm, "TBackward0", {"dims": perm})


@register("permute")
def permute(self, *args, dims=None):
    if dims is not None and not args:
        args = (dims,)
    if not args:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = parse_shape(args, "permute", "dims")
    nd = self._a.ndim
    if len(dims) != nd:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {nd} is not equal to len(dims) = {len(dims)}"
        )
    wrapped = [wrap_dim(d, nd) for d in dims]
    if len(set(wrapped)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _permuted(self, wrapped, "PermuteBackward0", {"dims": tuple(wrapped)})


@register("movedim", aliases=("moveaxis",))
def movedim(self, source, destination):
    nd = self._a.ndim
    no_dims = isinstance(source, (tuple, list)) and not source and isinstance(destination, (tuple, list))
    if nd == 0 and no_dims and not destination:  # torch aliases a 0-d tensor; others get an identity permute
        return view_of(self, self._a[...], "AliasBackward0", (formula(lambda F, g: g),), {})
    src = wrap_dims(source if isinstance(source, (tuple, list)) else (source,), nd)
    dst = wrap_dims(destination if isinstance(destination, (tuple, list)) else (destination,), nd)
    if nd == 0:  # dims 0 and -1 name the scalar itself: an alias
        return view_of(self, self._a[...], "AliasBackward0", (formula(lambda F, g: g),), {})
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(source)} dims) should contain the same "
            f"number of dims as destination ({list(destination)} dims)"
        )
    perm = [-1] * nd
    for s, d in zip(src, dst):
        perm[d] = s
    rest = iter(i for i in range(nd) if i not in src)
    perm = [p if p != -1 else next(rest) for p in perm]
    return _permuted(self, perm, "PermuteBackward0", {"dims": tuple(perm)})


# 0-d tensors: each attribute's deprecation (TORCH_WARN_ONCE, by TensorShape.cpp line)
_ZERO_D_ADVICE = {
    "T": ("This function is the identity in these cases.", 4321),
    "mT": ("This function is the identity in these cases.", 4373),
    "mH": ("Consider using x.conj().", 4382),
    "H": ("Consider using x.conj().", 4335),
}


def _warn_zero_d(attr: str) -> None:
    advice, line = _ZERO_D_ADVICE[attr]
    warn_internal(
        f"Tensor.{attr} is deprecated on 0-D tensors. {advice}",
        f"aten/src/ATen/native/TensorShape.cpp:{line}",
        once=True,
    )


def _T(self):
    nd = self._a.ndim
    if nd == 0:
        _warn_zero_d("T")
    elif nd != 2:
        warn_internal(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will "
            "throw an error in a future release. Consider `x.mT` to transpose batches of matrices or "
            "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
            "aten/src/ATen/native/TensorShape.cpp:4314",
            once=True,
        )
    perm = tuple(range(nd - 1, -1, -1))
    return _permuted(self, perm, "PermuteBackward0", {"dims": perm})


def _matrix_transpose(self, attr: str):
    """mT, mH (conjugated) and H (conjugated, matrices only)."""
    nd = self._a.ndim
    conjugate = attr != "mT"
    if nd == 0:
        _warn_zero_d(attr)
        return self.conj() if conjugate else self
    if attr == "H" and nd != 2:
        hint = " For batches of matrices, consider using tensor.mH" if nd > 2 else ""
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {nd}-D tensor.{hint}")
    if nd < 2:
        raise RuntimeError(f"tensor.{attr} is only supported on matrices or batches of matrices. Got {nd}-D tensor.")
    r = transpose(self, -2, -1)
    return r.conj() if conjugate else r


Tensor.T = property(_T)
Tensor.mT = property(lambda self: _matrix_transpose(self, "mT"))
Tensor.H = property(lambda self: _matrix_transpose(self, "H"))
Tensor.mH = property(lambda self: _matrix_transpose(self, "mH"))


# -- expand ------------------------------------------------------------------------------------------
_SUM_TO = formula(lambda F, g, self_sizes: F.sum_to(g, self_sizes))


def _infer_expand_geometry(shape, strides, sizes):
    """torch's inferExpandGeometry: walk from the last dim, -1 keeps an existing size."""
    if not shape:  # torch short-circuits 0-d tensors: every target size is taken as is
        return _checked_numel_sizes(list(sizes)), [0] * len(sizes)
    lead = len(sizes) - len(shape)
    out_shape, out_strides = [0] * len(sizes), [0] * len(sizes)
    for i in range(len(sizes) - 1, -1, -1):
        j = i - lead
        size = shape[j] if j >= 0 else 1
        stride = strides[j] if j >= 0 else out_shape[i + 1] * out_strides[i + 1]
        target = sizes[i]
        if target == -1:
            if j < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({target}) isn't allowed in a leading, non-existing dimension {i}"
                )
            target = size
        if size != target:
            if size != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({target}) must match the existing size ({size}) at "
                    f"non-singleton dimension {i}.  Target sizes: {shape_str(sizes)}.  Tensor sizes: {shape_str(shape)}"
                )
            size, stride = target, 0
        out_shape[i], out_strides[i] = size, stride
    return _checked_numel_sizes(out_shape), out_strides


def _checked_numel_sizes(sizes):
    """torch's safe_compute_numel: a uint64 product that must not overflow nor pass int64. numpy
    cannot hold the negative sizes torch lets through when the product is 0 (a known divergence)."""
    product, overflow = 1, False
    for size in sizes:
        product *= size % 2**64
        overflow |= product >= 2**64
        product %= 2**64
    if overflow or product >= 2**63:
        raise RuntimeError("numel: integer multiplication overflow")
    if min(sizes, default=0) < 0:
        raise RuntimeError(
            f"shim cannot hold a tensor of negative size {shape_str(sizes)} (torch allows it when numel is 0)"
        )
    return sizes


@register("expand", function=False)
def expand(self, *sizes, implicit=False):
    if not sizes:
        raise TypeError('expand() missing 1 required positional arguments: "size"')
    sizes = parse_shape(sizes, "expand")
    a = self._a
    nd = a.ndim
    if len(sizes) < nd:
        raise RuntimeError(
            f"expand({self._dtype._type_name}{{{shape_str(a.shape)}}}, size={shape_str(sizes)}): the number of sizes "
            f"provided ({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({nd})"
        )
    out_shape, out_strides = _infer_expand_geometry(a.shape, self.stride(), sizes)
    return view_of(self, strided(a, out_shape, out_strides), "ExpandBackward0", (_SUM_TO,), {"self_sizes": a.shape})


@register("expand_as", function=False)
def expand_as(self, other):
    return expand(self, other._a.shape)


@register("broadcast_to")
def broadcast_to(self, *size):
    return expand(self, *size)


# -- narrowing views ------------------------------------------------------------------------------
_SCATTER_BACK = formula(lambda F, g, self_sizes, key: F.setitem(F.new_zeros(self_sizes, g), key, g))


@register("narrow")
def narrow(self, dim, start, length):
    if isinstance(start, Tensor):  # (the Tensor-start overload)
        if start._a.ndim or start._dtype.category != _dtypes.INT or start._dtype is _dtypes.bool_:
            raise RuntimeError("start must be an 0-dim integral Tensor.")
        start = int(start._a)
    a = self._a
    if a.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if start + length > size or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    key = (slice(None),) * d + (slice(start, start + length),)
    return view_of(self, a[key], "SliceBackward0", (_SCATTER_BACK,), {"self_sizes": a.shape, "key": key})


@register("select")
def select(self, dim, index):
    a = self._a
    if a.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {shape_str(a.shape)} at dimension {d}"
        )
    if d == 0:
        return select_first(self, index)
    key = (slice(None),) * d + (index,)
    return view_of(self, a[key + (Ellipsis,)], "SelectBackward0", (_SCATTER_BACK,), {"self_sizes": a.shape, "key": key})


def select_first(self, index: int) -> Tensor:
    """select(0, index) of a tensor with dims, the index in range (x[i])."""
    a = self._a
    return view_of(self, a[index, ...], "SelectBackward0", (_SCATTER_BACK,), {"self_sizes": a.shape, "key": (index,)})


def _diagonal_key(shape, offset, d1, d2) -> tuple:
    """Index arrays selecting the diagonal (in the diagonal's own layout: the other dims, then the diagonal)."""
    n = _diagonal_length(shape, offset, d1, d2)
    others = [i for i in range(len(shape)) if i not in (d1, d2)]
    grids = np.indices([shape[i] for i in others] + [n], sparse=True)
    key = [None] * len(shape)
    for i, g in zip(others, grids[:-1]):
        key[i] = g
    diag = grids[-1]
    key[d1] = diag + max(-offset, 0)
    key[d2] = diag + max(offset, 0)
    return tuple(key)


def _diagonal_length(shape, offset, d1, d2) -> int:
    if offset >= 0:
        return max(min(shape[d1], shape[d2] - offset), 0)
    return max(min(shape[d1] + offset, shape[d2]), 0)


_DIAGONAL_BACK = formula(lambda F, g, self_sizes, key: F.setitem(F.new_zeros(self_sizes, g), key, g))


@register("diagonal")
def diagonal(self, offset=0, dim1=0, dim2=1):
    a = self._a
    d1, d2 = wrap_dim(dim1, a.ndim), wrap_dim(dim2, a.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = _diagonal_length(a.shape, offset, d1, d2)
    others = [i for i in range(a.ndim) if i not in (d1, d2)]
    strides = [s // a.itemsize for s in a.strides]
    start = 0 if n == 0 else (offset * strides[d2] if offset >= 0 else -offset * strides[d1])
    shape = [a.shape[i] for i in others] + [n]
    elem_strides = [strides[i] for i in others] + [strides[d1] + strides[d2]]
    view = strided_at(a, shape, elem_strides, start)
    saved = {"self_sizes": a.shape, "key": _diagonal_key(a.shape, offset, d1, d2)}
    return view_of(self, view, "DiagonalBackward0", (_DIAGONAL_BACK,), saved)


def _multi_views(self, pieces, node, creation_op, formula_, saved):
    """split/chunk/unbind: several views from one node; in-place on them is forbidden."""
    outs = [view_of(self, p, None) for p in pieces]
    if self._rg and STATE.grad_enabled:
        for o in outs:
            o._rg = False
            o._meta_().creation = None
        record(node, (self,), (formula_,), saved, outs)
        from .._autograd.views import mark_view

        for i, o in enumerate(outs):
            mark_view(o, ("multi", creation_op, i))
    return tuple(outs)


_SPLIT_BACK = formula(
    lambda F, grads, self_sizes, dim, sizes: F.concat(
        [
            g if g is not None else F.new_zeros(_piece_shape(self_sizes, dim, s), _first(grads))
            for g, s in zip(list(grads) + [None] * (len(sizes) - len(grads)), sizes)
        ],
        dim,
    )
)


def _piece_shape(shape, dim, size):
    shape = list(shape)
    shape[dim] = size
    return tuple(shape)


def _first(grads):
    return next(g for g in grads if g is not None)


def _split_function(tensor, split_size_or_sections, dim=0):
    """torch.split, which calls the method (torch writes both in Python)."""
    return tensor.split(split_size_or_sections, dim)


_split_function.__name__ = _split_function.__qualname__ = "split"


@register("split", function=False)
def split(self, split_size, dim=0):
    split_size_or_sections = split_size
    a = self._a
    if a.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    if not isinstance(split_size_or_sections, int) and any(s < 0 for s in split_size_or_sections):
        raise RuntimeError(
            "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes="
            f"{list(split_size_or_sections)}"
        )
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
        if step == 0 and size != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sizes = [min(step, size - i) for i in range(0, size, step)] if step else [0]
        if not sizes:
            sizes = [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at dimension "
                f"{dim}), but got split_sizes={sizes}"
            )
    pieces, start = [], 0
    for s in sizes:
        key = (slice(None),) * d + (slice(start, start + s),)
        pieces.append(a[key])
        start += s
    node = "SplitBackward0" if isinstance(split_size_or_sections, int) else "SplitWithSizesBackward0"
    op = "Split" if isinstance(split_size_or_sections, int) else "SplitWithSizes"
    return _multi_views(self, pieces, node, op, _SPLIT_BACK, {"self_sizes": a.shape, "dim": d, "sizes": sizes})


@register("chunk")
def chunk(self, chunks, dim=0):
    a = self._a
    if a.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    step = -(-size // chunks) if size else 0
    if size == 0:  # torch keeps the number of chunks: split_with_sizes of zeros
        return split(self, [0] * chunks, d)
    return split(self, step, d)


_UNBIND_BACK = formula(
    lambda F, grads, self_sizes, dim: F.stack(
        [
            g if g is not None else F.new_zeros(_drop(self_sizes, dim), _first(grads))
            for g in list(grads) + [None] * (self_sizes[dim] - len(grads))
        ],
        dim,
    )
)


def _drop(shape, dim):
    return tuple(s for i, s in enumerate(shape) if i != dim)


@register("unbind")
def unbind(self, dim=0):
    a = self._a
    d = wrap_dim(dim, a.ndim)  # a 0-d tensor wraps dims as if it had one, then fails
    if a.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    pieces = [a[(slice(None),) * d + (i, Ellipsis)] for i in range(a.shape[d])]
    return _multi_views(self, pieces, "UnbindBackward0", "Unbind", _UNBIND_BACK, {"self_sizes": a.shape, "dim": d})


# -- copies -----------------------------------------------------------------------------------------
_IDENTITY = formula(lambda F, g: g)


@register("clone")
def clone(self, *, memory_format=None):
    a = self._a
    if memory_format is None or memory_format is _preserve():
        c = copy_preserving(a)
    else:
        c = np.array(a, order="C", copy=True)
    out = make(c, self._dtype, self._device)
    if needs_grad(self):
        record("CloneBackward0", (self,), (_IDENTITY,), {}, out)
    return out


def _preserve():
    import shim

    return shim.preserve_format


@register("contiguous", function=False)
def contiguous(self, memory_format=None):
    if self.is_contiguous():
        return self
    c = _contiguous(self._a)
    out = make(c, self._dtype, self._device)
    if needs_grad(self):
        record("CloneBackward0", (self,), (_IDENTITY,), {}, out)
    return out


def _repeat_back(F, g, self_sizes, repeats):
    lead = len(repeats) - len(self_sizes)
    sizes = (1,) * lead + tuple(self_sizes)
    split_shape = []
    for r, s in zip(repeats, sizes):
        split_shape += [r, s]
    g = F.reshape(g, tuple(split_shape))
    g = F.sum(g, tuple(range(0, len(split_shape), 2)))
    return F.reshape(g, self_sizes)


@register("repeat", function=False)
def repeat(self, *repeats):
    if not repeats:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    repeats = parse_shape(repeats, "repeat", "repeats")
    a = self._a
    if len(repeats) < a.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    if any(r < 0 for r in repeats):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(repeats)}: {shape_str(repeats)}")
    src = a.reshape((1,) * (len(repeats) - a.ndim) + a.shape)
    # (np.tile copies in the source's layout where every repeat is 1; torch's result is always contiguous)
    value = np.tile(src, repeats) if src.size else np.empty(tuple(r * s for r, s in zip(repeats, src.shape)), a.dtype)
    out = make(_contiguous(value), self._dtype, self._device)
    if needs_grad(self):
        record("RepeatBackward0", (self,), (formula(_repeat_back),), {"self_sizes": a.shape, "repeats": repeats}, out)
    return out


def flipped(a: np.ndarray, dims) -> np.ndarray:
    """flip's result: a copy laid out as torch's empty_like lays out `a` (dense strides kept)."""
    value = empty_preserving(a)
    value[...] = np.flip(a, dims) if a.ndim else a
    return value


@register("flip")
def flip(self, *dims):
    if not dims:  # (the argument parser words torch's error)
        raise TypeError("flip() missing 1 required positional argument: 'dims'")
    dims = wrap_dims(parse_shape(dims, "flip", "dims"), self._a.ndim)
    out = make(flipped(self._a, dims), self._dtype, self._device)
    if needs_grad(self):
        record("FlipBackward0", (self,), (formula(lambda F, g, dims: F.flip(g, dims)),), {"dims": dims}, out)
    return out


@register("roll")
def roll(self, shifts, dims=None):
    a = self._a
    if isinstance(shifts, (tuple, list)) and len(shifts) == 0:
        raise RuntimeError("`shifts` required")
    if dims is None:
        flat = np.roll(a.reshape(-1), shifts)
        out = make(flat.reshape(a.shape).copy(), self._dtype, self._device)
        saved = {"shifts": shifts, "dims": None, "shape": a.shape}
    else:
        shifts_t = (shifts,) if isinstance(shifts, int) else tuple(shifts)
        dims_t = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(shifts_t) != len(dims_t):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts_t)}, dims:{len(dims_t)}")
        if a.size:  # torch returns an empty input's clone before checking dims
            dims_t = tuple(wrap_dim(d, a.ndim, scalar_ok=False) for d in dims_t)
        out = make(_contiguous(np.roll(a, shifts_t, dims_t)) if a.size else a.copy(), self._dtype, self._device)
        saved = {"shifts": shifts_t, "dims": dims_t if a.size else (), "shape": a.shape}
    if needs_grad(self):
        record("RollBackward0", (self,), (formula(_roll_back),), saved, out)
    return out


def _roll_back(F, g, shifts, dims, shape):
    if dims is None:
        return F.reshape(F.roll(F.reshape(g, (-1,)), -shifts, 0), shape)
    return F.roll(g, tuple(-s for s in shifts)[: len(dims)], dims)


# -- joining ---------------------------------------------------------------------------------------
def _tensors_arg(tensors, name):
    if isinstance(tensors, Tensor):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor), but expected one of:\n"
            " * (tuple of Tensors tensors, int dim = 0, *, Tensor out = None)\n"
            " * (tuple of Tensors tensors, name dim, *, Tensor out = None)\n"
        )
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return tensors


def _cat_back_for(i):
    def back(F, g, dim, sizes):
        start = sum(sizes[:i])
        key = (slice(None),) * dim + (slice(start, start + sizes[i]),)
        return F.getitem(g, key)

    return formula(back)


_CAT_SKIPPED = formula(lambda F, g: F.new_zeros((0,), g))  # a legacy empty input gets an empty gradient


def _check_list_devices(tensors) -> None:
    """cat's wrapper check: each element is the argument `tensors`."""
    if any(t._device is not tensors[0]._device for t in tensors):
        check_argument_devices("cat", *(x for t in tensors for x in ("tensors", t)))


def cat(tensors, dim=0, *, axis=None, out=None):
    """torch.cat (also concat, concatenate; numpy's axis= is accepted for dim, as torch's parser does)."""
    if axis is not None:
        dim = axis
    tensors = _tensors_arg(tensors, "cat")
    if out is None:
        _check_list_devices(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._a.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # torch skips 1-D empty tensors when checking shapes (legacy behaviour)
    skipped = {id(t) for t in tensors if t._a.ndim == 1 and t._a.shape[0] == 0}
    shaped = [t for t in tensors if id(t) not in skipped]
    ref = shaped[0] if shaped else tensors[0]
    nd = ref._a.ndim
    d = wrap_dim(dim, nd) if shaped else 0  # legacy_cat_wrap_dim leaves dim alone when all are skipped
    for i, t in enumerate(tensors):
        if id(t) not in skipped:
            if t._a.ndim != nd:
                raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and {t._a.ndim}")
            for k in range(nd):
                if k != d and t._a.shape[k] != ref._a.shape[k]:
                    raise RuntimeError(
                        f"Sizes of tensors must match except in dimension {d}. Expected size {ref._a.shape[k]} but got "
                        f"size {t._a.shape[k]} for tensor number {i} in the list."
                    )
    dtype = result_type(*tensors)
    device = check_same_device(tensors)
    arrays = [t._a.astype(dtype.np, copy=False) for t in shaped] or [ref._a.astype(dtype.np)]
    value = conform(np.concatenate(arrays, axis=d), None)  # torch's cat output is contiguous
    if out is not None:
        from .._dispatch import write_out

        return write_out("cat", out, value, dtype, tensors)
    r = make(value, dtype, device)
    if needs_grad(*tensors) and dtype.category >= _dtypes.FLOAT:
        sizes = [0 if id(t) in skipped else t._a.shape[d] for t in tensors]
        record(
            "CatBackward0",
            tuple(tensors),
            tuple(_CAT_SKIPPED if id(t) in skipped else _cat_back_for(i) for i, t in enumerate(tensors)),
            {"dim": d, "sizes": sizes},
            r,
        )
    return r


def stack(tensors, dim=0, *, out=None):
    tensors = _tensors_arg(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._a.shape
    d = wrap_dim(dim, len(tensors[0]._a.shape) + 1)
    for i, t in enumerate(tensors):
        if t._a.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {shape_str(shape)} at entry 0 and "
                f"{shape_str(t._a.shape)} at entry {i}"
            )
    if out is None:
        _check_list_devices(tensors)  # (stack is cat of the unsqueezed tensors)
    dtype = result_type(*tensors)
    device = check_same_device(tensors)
    value = conform(np.stack([t._a.astype(dtype.np, copy=False) for t in tensors], axis=d), None)
    if out is not None:
        from .._dispatch import write_out

        return write_out("stack", out, value, dtype, tensors)
    r = make(value, dtype, device)
    if needs_grad(*tensors) and dtype.category >= _dtypes.FLOAT:
        grads = tuple(formula(_stack_back_for(i)) for i in range(len(tensors)))
        record("StackBackward0", tuple(tensors), grads, {"dim": d}, r)
    return r


def _stack_back_for(i):
    def back(F, g, dim):
        return F.getitem(g, (slice(None),) * dim + (i,))

    return back


def hstack(tensors, *, out=None):
    tensors = [_atleast_1d(t) for t in _tensors_arg(tensors, "hstack")]
    if not tensors:
        raise RuntimeError("hstack expects a non-empty TensorList")
    return cat(tensors, 0 if tensors[0]._a.ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    tensors = [_atleast_2d(t) for t in _tensors_arg(tensors, "vstack")]
    if not tensors:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat(tensors, 0, out=out)


def _at_least(one):
    """torch.atleast_{n}d(*tensors): one tensor (or one list of them, or several) to n dims or more."""

    def at_least(*tensors):
        if len(tensors) == 1:
            tensors = tensors[0]
        return tuple(one(t) for t in tensors) if isinstance(tensors, (list, tuple)) else one(tensors)

    at_least.__name__ = at_least.__qualname__ = one.__name__.lstrip("_")
    return at_least


def _atleast_1d(t):
    return reshape(t, (1,)) if t._a.ndim == 0 else t


def _atleast_2d(t):
    if t._a.ndim == 0:
        return reshape(t, (1, 1))
    if t._a.ndim == 1:
        return unsqueeze(t, 0)
    return t


atleast_1d, atleast_2d = _at_least(_atleast_1d), _at_least(_atleast_2d)


FUNCTIONS = {
    "cat": cat,
    "concat": cat,
    "concatenate": cat,
    "stack": stack,
    "hstack": hstack,
    "vstack": vstack,
    "atleast_1d": atleast_1d,
    "atleast_2d": atleast_2d,
    "split": _split_function,
}
