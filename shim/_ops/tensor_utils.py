"""Small tensor utilities torch offers as functions and methods: is_nonzero, is_same_size, fill, isreal,
unravel_index, sum_to_size, fill_diagonal_, Tensor.where and gradient."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._dispatch import bump_version, check_inplace, quiet_numpy, scalar_value, to_stored_scalar
from .._dtypes import COMPLEX
from .._errors import wrap_dim
from .._layout import conform, contiguous, result_layout
from .._registry import register
from .._tensor import Tensor, make
from .elementwise import write_inplace

__all__ = ["is_nonzero", "fill", "isreal", "unravel_index", "gradient"]


@register("is_nonzero")
def is_nonzero(self):
    n = self._a.size
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(self._a.reshape(-1)[0] != 0)


@register("is_same_size")
def is_same_size(self, other):
    return self._a.shape == other._a.shape


def fill(input, value):
    """torch.fill: a new tensor of input's shape and dtype holding value (FillBackward0: no gradient)."""
    from .._autograd.grad_mode import no_grad
    from .._dispatch import needs_grad, record
    from .elementwise import formula

    with no_grad():
        r = input.clone().fill_(value)
    r._vc = None
    if needs_grad(input):
        record("FillBackward0", (input,), (formula(lambda F, g: F.zeros_like(g)),), {}, r)
    return r


@register("isreal")
def isreal(self):
    a = self._a  # ones_like(self) or imag(self) == 0: laid out as self is
    value = np.ones(a.shape, bool) if self._dtype.category != COMPLEX else a.imag == 0
    return make(conform(value, result_layout(a.shape, (a,))), _dtypes.bool_, self._device)


def unravel_index(indices, shape):
    if not isinstance(indices, Tensor):
        from .._creation import tensor

        indices = tensor(indices)
    if indices._dtype.category != _dtypes.INT or indices._dtype is _dtypes.bool_:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices._dtype}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError("'shape' cannot have negative values, but got " + str(tuple(shape)))
    total = int(np.prod(shape, dtype=np.int64))
    flat = indices._a.astype(np.int64)
    if flat.size and ((flat < -total).any() or (flat >= total).any()):
        raise RuntimeError(f"'indices' must be in range [-{total}, {total - 1}]")
    flat = np.where(flat < 0, flat + total, flat)
    coords = np.unravel_index(flat, shape) if shape else ()
    # torch computes the coordinates side by side, then unbinds the last dim: strided views of one tensor
    stacked = (
        np.stack([c.astype(np.int64) for c in coords], axis=-1) if coords else np.zeros(flat.shape + (0,), np.int64)
    )
    return make(contiguous(stacked), _dtypes.int64, indices._device).unbind(-1)


@register("sum_to_size", function=False)
def sum_to_size(self, *size):
    if not size:  # (the argument parser words torch's error)
        raise TypeError("sum_to_size() missing 1 required positional argument: 'size'")
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    shape = self._a.shape
    lead = len(shape) - len(size)
    ok = lead >= 0 and all(s == 1 or s == shape[lead + i] for i, s in enumerate(size))
    if not ok:
        raise RuntimeError(
            f"size {{{', '.join(str(s) for s in size)}}} is not expandable to size "
            f"{{{', '.join(str(s) for s in shape)}}}."
        )
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(size) if s == 1 and shape[lead + i] != 1)
    r = self.sum(dims, keepdim=True) if dims else self
    return r.view(size) if lead else r


def _fill_diagonal_(self, fill_value, wrap=False):
    check_inplace(self)
    a = self._a
    if a.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if a.ndim > 2 and len(set(a.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    value = to_stored_scalar(scalar_value(fill_value), self._dtype)
    result = a.copy()
    n = min(a.shape)
    index = (np.arange(n),) * a.ndim
    result[index] = value
    if wrap and a.ndim == 2 and a.shape[0] > a.shape[1] + 1:
        step = a.shape[1] + 1
        rows = np.arange(0, a.shape[0], step)
        for start in rows[1:]:
            length = min(a.shape[1], a.shape[0] - start)
            result[start + np.arange(length), np.arange(length)] = value
    out = write_inplace(None, (), self, result, (self,))
    if wrap and a.ndim == 2 and a.shape[0] > a.shape[1] + 1:
        bump_version(self)  # torch fills the wrapped diagonals with a second fill_ (even an empty one)
    return out


Tensor.fill_diagonal_ = _fill_diagonal_


def _where_method(self, condition, other):
    from .indexing import where

    return where(condition, self, other)


Tensor.where = _where_method


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Central differences inside, one-sided (first or second order) at the edges, as numpy.gradient."""
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = list(range(input._a.ndim)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    dims = [wrap_dim(d, input._a.ndim) for d in dims]
    for d in dims:
        if input._a.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    if isinstance(spacing, (list, tuple)):
        spacings = [s._a if isinstance(s, Tensor) else s for s in spacing]
    else:
        spacings = [spacing] * len(dims)
    a = input._a if input._dtype.category >= _dtypes.FLOAT else input._a.astype(np.float32)
    with quiet_numpy():
        results = np.gradient(a, *spacings, axis=dims, edge_order=edge_order)
    if len(dims) == 1:
        results = [results]
    dtype = input._dtype if input._dtype.category >= _dtypes.FLOAT else _dtypes.get_default_dtype()
    return tuple(make(contiguous(np.asarray(r).astype(dtype.np)), dtype, input._device) for r in results)


FUNCTIONS = {"fill": fill, "unravel_index": unravel_index, "gradient": gradient}


# -- resize_ --------------------------------------------------------------------------------------------------------
def _resize_(self, *sizes, size=None, memory_format=None):
    """The tensor takes the new sizes with contiguous strides over its storage from its own offset (the same
    shape changes nothing); the storage grows, keeping its contents, where it is too small."""
    from .._dispatch import bump_version
    from .._views import contiguous_strides, resize_in_storage

    if size is not None:
        sizes = (size,)
    if not sizes:
        raise TypeError('resize_() missing 1 required positional arguments: "size"')
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
    if self._rg:
        raise RuntimeError("cannot resize variables that require grad")
    if any(n < 0 for n in sizes):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: {list(sizes)}")
    if sizes != self._a.shape:
        resize_in_storage(self, sizes, contiguous_strides(sizes))
        bump_version(self)
    return self


def _resize_as_(self, the_template, *, memory_format=None):
    return _resize_(self, the_template._a.shape)


def _resize(self, *sizes):
    """Tensor.resize (deprecated): autograd's Resize, which keeps the number of elements."""
    import warnings

    warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
    numel = int(np.prod(sizes, dtype=np.int64))
    if numel != self._a.size:
        raise RuntimeError(
            f"requested resize to {'x'.join(str(s) for s in sizes)} ({numel} elements in total), but the given tensor "
            f"has a size of {'x'.join(str(s) for s in self._a.shape)} ({self._a.size} elements). autograd's resize can "
            "only change the shape of a given tensor, while preserving the number of elements. "
        )
    return _resize_node(self, sizes)


def _resize_node(self, sizes):
    """autograd's Resize function: a view of the contiguous values, its node named ResizeBackward."""
    from .._autograd.grad_mode import no_grad
    from .._dispatch import needs_grad, record
    from .elementwise import formula

    with no_grad():
        r = self.contiguous().view(sizes)
    if needs_grad(self):
        back = formula(lambda F, g, self_sizes: F.reshape(g, self_sizes))
        record("ResizeBackward", (self,), (back,), {"self_sizes": self._a.shape}, r)
    return r


def _resize_as(self, tensor):
    import warnings

    warnings.warn("non-inplace resize_as is deprecated", UserWarning, stacklevel=2)
    if tensor._a.size != self._a.size:
        raise RuntimeError(
            f"requested resize to {'x'.join(str(s) for s in tensor._a.shape)} ({tensor._a.size} elements in total), "
            f"but the given tensor has a size of {'x'.join(str(s) for s in self._a.shape)} ({self._a.size} elements). "
            "autograd's resize can only change the shape of a given tensor, while preserving the number of elements. "
        )
    return _resize_node(self, tensor._a.shape)


Tensor.resize_ = _resize_
Tensor.resize_as_ = _resize_as_
_resize.__name__, _resize_as.__name__ = "resize", "resize_as"  # (the names Python's binding messages give)
Tensor.resize = _resize
Tensor.resize_as = _resize_as
