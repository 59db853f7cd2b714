"""Sorting and searching: sort, argsort, msort, topk, kthvalue, mode, unique, unique_consecutive,
searchsorted, bucketize, isin.  torch's CPU sort is stable; NaN sorts above every number (last ascending,
first descending); -0. and 0. are equal and keep their order."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._dispatch import check_out_grad, needs_grad, promote_types, quiet_numpy, record, result_type, write_out
from .._dtypes import COMPLEX, FLOAT
from .._errors import not_implemented_for, warn_internal, wrap_dim
from .._layout import contiguous
from .._registry import register
from .._tensor import Tensor, make
from .._views import empty_preserving
from ..return_types import make_return_type
from .elementwise import formula
from .stdsort import INSERTION_THRESHOLD, has_ties, quick_select_index, rows_with_ties, std_sort_order, std_topk_order

__all__ = ["sort", "argsort", "topk", "kthvalue", "mode", "unique", "unique_consecutive", "searchsorted"]

# each op's named tuple, and the one its out= form returns (torch.return_types.sort_out, ...)
_TYPES = {
    name: (make_return_type(name, ("values", "indices")), make_return_type(name + "_out", ("values", "indices")))
    for name in ("sort", "topk", "kthvalue", "mode")
}


def _stable_order(a: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Indices of a stable sort along axis; descending keeps equal elements in their original order."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    n = a.shape[axis]
    flipped = np.flip(a, axis)
    order = np.flip(np.argsort(flipped, axis=axis, kind="stable"), axis)
    return n - 1 - order


_RADIX_FROM = 32768  # at::internal::GRAIN_SIZE


def _sort_order(a: np.ndarray, axis: int, descending: bool, stable: bool) -> np.ndarray:
    """The order torch's CPU sort leaves: std::stable_sort when asked, fbgemm's (stable) radix sort for a
    long 1-D ascending integer tensor, else std::sort, which only differs from a stable sort where a row of
    more than 16 elements holds equal keys."""
    order = _stable_order(a, axis, descending)
    n = a.shape[axis]
    radix = a.ndim == 1 and not descending and a.dtype.kind in "iu" and n >= _RADIX_FROM
    if stable or radix or n <= 16:
        return order
    moved = np.moveaxis(a, axis, -1)
    moved_order = np.moveaxis(order, axis, -1).copy()
    rows = moved.reshape(-1, n)
    flat_order = moved_order.reshape(-1, n)
    for i in np.flatnonzero(rows_with_ties(rows)):
        flat_order[i] = std_sort_order(rows[i], descending)
    return np.moveaxis(flat_order.reshape(moved_order.shape), -1, axis)


def _gather_back(F, g, indices, self_sizes, dim, keepdim=True):
    """The gradient of a selection along dim: zeros with g scattered to the selected indices."""
    indices = indices if isinstance(indices, np.ndarray) else indices._a
    if not keepdim and len(self_sizes):
        g = F.unsqueeze_dims(g, (dim,))
        indices = np.expand_dims(indices, dim)
    zeros = F.new_zeros(self_sizes, g)
    if len(self_sizes) == 0:
        return g + zeros
    key = tuple(np.indices(indices.shape, sparse=True))
    key = key[:dim] + (indices,) + key[dim + 1 :]
    return F.setitem(zeros, key, g)


_SELECT_BACK = (formula(_gather_back),)


def _laid_out(value: np.ndarray, like: np.ndarray | None, dtype) -> np.ndarray:
    """value in the input's layout where it is dense (sort allocates its outputs empty_like the input), else
    contiguous."""
    value = np.asarray(value, dtype)
    if like is None or value.shape != like.shape:
        return contiguous(value)
    out = empty_preserving(like, dtype)
    out[...] = value
    return out


def _pair(self, name, values, indices, node, dim, out=None, keepdim=True):
    like = self._a if name == "sort" else None
    v = make(_laid_out(values, like, self._dtype.np), self._dtype, self._device)
    i = make(_laid_out(indices, like, np.int64), _dtypes.int64, self._device)
    rtype, out_type = _TYPES[name]
    if out is not None:
        check_out_grad(name, out[0], (self,))
        # kthvalue and mode resize their outs to the keepdim shape (unsqueezing an out of one dim fewer
        # first), then squeeze them: the resize warning names those shapes
        unsqueezed = name in ("kthvalue", "mode") and not keepdim and self._a.ndim
        for o, t in zip(out, (v, i)):
            if unsqueezed and isinstance(o, Tensor) and o._a.ndim == self._a.ndim - 1:
                o._a = np.expand_dims(o._a, dim)  # ATen's own unsqueeze_/squeeze_: no version bump
            write_out(name, o, np.expand_dims(t._a, dim) if unsqueezed else t._a, t._dtype, (self,))
            if unsqueezed:
                o._a = np.squeeze(o._a, dim)
        return out_type(out)
    if needs_grad(self) and self._dtype.category >= FLOAT:
        saved = {"indices": i, "self_sizes": self._a.shape, "dim": dim, "keepdim": keepdim}
        record(node, (self,), _SELECT_BACK, saved, v)
    return rtype((v, i))


def _check_real(self, what: str, kernel: str | None = None, always: bool = False, empty_skips: bool = False) -> None:
    """Selections refuse complex inputs: the kernel's dtype check, or, for a 0-d input (copied without the
    kernel) and, for some, an empty one, autograd's refusal of a complex output that would require grad."""
    if self._dtype.category != COMPLEX:
        return
    if (self._a.ndim == 0 or (empty_skips and self._a.size == 0)) and not always:
        if needs_grad(self):
            raise RuntimeError(f"{what} does not support automatic differentiation for outputs with complex dtype.")
        return
    if kernel is not None:
        raise not_implemented_for(kernel, self._dtype)
    kernel_name = "Sort" if what == "sort" else what
    raise RuntimeError(f" {kernel_name} does not support complex dtypes on CPU")


@register("sort")
def sort(self, dim=-1, descending=False, stable=None, *, out=None):
    if isinstance(dim, bool):  # sort(stable, dim, descending): the keyword-only overload's first argument
        raise TypeError("sort(): argument 'dim' must be int, not bool")
    a = self._a
    d = wrap_dim(dim, a.ndim)
    _check_real(self, "sort", always=True)
    if a.ndim == 0:
        return _pair(self, "sort", a.copy(), np.zeros((), np.int64), "SortBackward0", 0, out)
    order = _sort_order(a, d, descending, bool(stable))
    return _pair(self, "sort", np.take_along_axis(a, order, d), order, "SortBackward0", d, out)


@register("argsort")
def argsort(self, dim=-1, descending=False, *, stable=False):
    return sort(self, dim, descending, stable)[1]


@register("msort")
def msort(self, *, out=None):
    if out is not None:
        check_out_grad("sort", out, (self,))  # (msort is sort(dim=0) in torch: the check names sort)
        return write_out("msort", out, sort(self, 0)[0]._a, self._dtype, (self,))
    return sort(self, 0)[0]


def _check_k(self, k, d, what="selected index k out of range") -> int:
    size = self._a.shape[d] if self._a.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(what)
    return size


@register("topk")
def topk(self, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The k largest (smallest) along dim, largest first (smallest first) when sorted.  A row without equal
    values has one answer; where it has some (or is not sorted), libstdc++'s selection is replayed."""
    a = self._a
    d = wrap_dim(dim, a.ndim)
    _check_k(self, k, d)
    _check_real(self, "topk", always=True)  # (even 0-d: its copy shortcut comes after the dtype check)
    if a.ndim == 0:
        return _pair(self, "topk", a.copy(), np.zeros((), np.int64), "TopkBackward0", 0, out)
    order = np.take(_stable_order(a, d, largest), np.arange(k), axis=d)
    unsorted = not sorted and k * 64 > a.shape[d]  # nth_element's order, left as it is
    order = _replay_rows(
        a, d, order, lambda row: std_topk_order(row, k, largest, sorted), lambda rows: unsorted or rows_with_ties(rows)
    )
    return _pair(self, "topk", np.take_along_axis(a, order, d), order, "TopkBackward0", d, out)


def _replay_rows(a: np.ndarray, d: int, order: np.ndarray, replay, needed) -> np.ndarray:
    """`order` (selected indices along d) with each row that needs it replaced by the order torch's libstdc++
    algorithm leaves: replay(row) for the rows that needed(rows) marks (True: every row)."""
    if not order.size:
        return order
    moved = np.moveaxis(a, d, -1).reshape(-1, a.shape[d])
    marked = needed(moved)
    if marked is not True and not marked.any():
        return order
    shape = np.moveaxis(order, d, -1).shape
    picked = np.moveaxis(order, d, -1).reshape(len(moved), -1).copy()
    for r in range(len(moved)) if marked is True else np.flatnonzero(marked):
        picked[r] = replay(moved[r])
    return np.moveaxis(picked.reshape(shape), -1, d)


@register("kthvalue")
def kthvalue(self, k, dim=-1, keepdim=False, *, out=None):
    a = self._a
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d] if a.ndim else 1
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    _check_real(self, "kthvalue", "kthvalue_cpu")
    if a.ndim == 0:
        return _pair(self, "kthvalue", a.copy(), np.zeros((), np.int64), "KthvalueBackward0", 0, out)
    order = np.take(_stable_order(a, d, False), [k - 1], axis=d)
    # among equal values, the one torch's quickselect leaves at k - 1
    order = _replay_rows(a, d, order, lambda row: quick_select_index(row, k - 1), rows_with_ties)
    values, indices = np.take_along_axis(a, order, d), order
    if not keepdim:
        values, indices = np.squeeze(values, d), np.squeeze(indices, d)
    return _pair(self, "kthvalue", values, indices, "KthvalueBackward0", d, out, keepdim)


def _mode_1d(row: np.ndarray) -> tuple:
    """torch's mode kernel: std::sort of (value, index) pairs by `value <`, then the first of the longest runs
    of equal values (each NaN a run of its own), reported by the value and index that end it."""
    if row.dtype.kind in "fc" and np.isnan(row).any() or (len(row) > INSERTION_THRESHOLD and has_ties(row)):
        order = std_sort_order(row, False, plain=True)
    else:  # (no equal keys, or few enough for std::sort's insertion sort, which is stable)
        order = np.argsort(row, kind="stable")
    ordered = row[order]
    ends = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    counts = np.diff(np.concatenate([[-1], ends]))
    end = ends[np.argmax(counts)]
    return ordered[end], order[end]


@register("mode")
def mode(self, dim=-1, keepdim=False, *, out=None):
    a = self._a
    d = wrap_dim(dim, a.ndim)
    if a.ndim and a.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    _check_real(self, "mode", "mode_cpu", empty_skips=True)
    if a.ndim == 0:
        return _pair(self, "mode", a.copy(), np.zeros((), np.int64), "ModeBackward0", 0, out)
    moved = np.moveaxis(a, d, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    pairs = [_mode_1d(row) for row in flat]
    values = np.array([p[0] for p in pairs], a.dtype).reshape(moved.shape[:-1])
    indices = np.array([p[1] for p in pairs], np.int64).reshape(moved.shape[:-1])
    if keepdim:
        values, indices = np.expand_dims(values, d), np.expand_dims(indices, d)
    return _pair(self, "mode", values, indices, "ModeBackward0", d, out, keepdim)


# -- unique ----------------------------------------------------------------------------------------------
def _unique_flat(a: np.ndarray):
    """Sorted unique values, the inverse map and the counts, from the order std::sort leaves (which of equal
    zeros represents them, where several NaNs go); NaNs are never merged, each its own value."""
    flat = a.reshape(-1)
    order = _sort_order(flat, 0, False, stable=False) if flat.size <= _RADIX_FROM else np.argsort(flat, kind="stable")
    ordered = flat[order]
    new = np.ones(len(ordered), bool)
    if len(ordered):
        new[1:] = ordered[1:] != ordered[:-1]
    group = np.cumsum(new) - 1
    inverse = np.empty(len(flat), np.int64)
    inverse[order] = group
    values = ordered[new]
    counts = np.bincount(group, minlength=len(values)) if len(flat) else np.zeros(0, np.int64)
    return values, inverse.reshape(a.shape), counts


def _row_less(a: np.ndarray, b: np.ndarray) -> bool:
    """unique_dim's comparator: the first element that compares decides (NaN compares with nothing)."""
    for x, y in zip(a, b):
        if x < y:
            return True
        if x > y:
            return False
    return False


def _insertion_sort(rows: np.ndarray) -> np.ndarray:
    """libstdc++'s std::sort of row indices for up to 16 rows (its insertion sort), with unique_dim's
    comparator: where NaNs make the order inconsistent, the rows end where torch's end."""
    order = list(range(len(rows)))
    for i in range(1, len(order)):
        value = order[i]
        if _row_less(rows[value], rows[order[0]]):
            order[1 : i + 1] = order[:i]
            order[0] = value
            continue
        j = i - 1
        while _row_less(rows[value], rows[order[j]]):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = value
    return np.array(order, np.int64)


def _unique_dim(a: np.ndarray, d: int, consecutive: bool):
    moved = np.ascontiguousarray(np.moveaxis(a, d, 0))
    n = moved.shape[0]
    rows = moved.reshape(n, int(np.prod(moved.shape[1:])))
    if consecutive or not rows.shape[1]:
        order = np.arange(n)
    elif n <= 16:
        order = _insertion_sort(rows)
    else:
        order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    new = np.ones(n, bool)
    if n:
        new[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.cumsum(new) - 1
    inverse = np.empty(n, np.int64)
    inverse[order] = group
    values = np.moveaxis(np.ascontiguousarray(moved[order][new]), 0, d)  # torch moves the dim back: a view
    counts = np.bincount(group, minlength=int(new.sum())) if n else np.zeros(0, np.int64)
    return values, inverse, counts


def _unique_result(self, values, inverse, counts, return_inverse, return_counts):
    out = [make(values, self._dtype, self._device)]
    if return_inverse:
        out.append(make(contiguous(inverse), _dtypes.int64, self._device))
    if return_counts:
        out.append(make(contiguous(np.asarray(counts, np.int64)), _dtypes.int64, self._device))
    return out[0] if len(out) == 1 else tuple(out)


@register("unique", function=False)
def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    if self._dtype.category == COMPLEX:
        raise not_implemented_for("unique" if dim is None else "unique_dim", self._dtype)
    if dim is None:
        values, inverse, counts = _unique_flat(self._a)
        values = contiguous(values)
    else:
        d = wrap_dim(dim, self._a.ndim, scalar_ok=False)
        values, inverse, counts = _unique_dim(self._a, d, consecutive=False)
    return _unique_result(self, values, inverse, counts, return_inverse, return_counts)


@register("unique_consecutive", function=False)
def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
    if self._dtype.category == COMPLEX:  # (with a dim, only a 1-d input takes the flat kernel)
        # aten::unique_consecutive takes the plain path for no dim, or dim == 0 (as given) of a 1-d tensor
        plain = dim is None or (dim == 0 and self._a.ndim == 1)
        raise not_implemented_for("unique" if plain else "unique_dim", self._dtype)
    if dim is None:
        flat = self._a.reshape(-1)
        new = np.ones(len(flat), bool)
        if len(flat):
            new[1:] = flat[1:] != flat[:-1]
        group = np.cumsum(new) - 1
        counts = np.bincount(group, minlength=int(new.sum())) if len(flat) else np.zeros(0, np.int64)
        values, inverse = contiguous(flat[new]), group.reshape(self._a.shape)
    else:
        d = wrap_dim(dim, self._a.ndim, scalar_ok=False)
        values, inverse, counts = _unique_dim(self._a, d, consecutive=True)
    return _unique_result(self, values, inverse, counts, return_inverse, return_counts)


# -- searching -------------------------------------------------------------------------------------------
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None, out=None):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True"
            )
        right = side == "right"
    seq = sorted_sequence._a
    scalar = not isinstance(input, Tensor)
    dims, numel = (0, 1) if scalar else (input._a.ndim, input._a.size)
    if not (dims > 0 or (numel == 1 and seq.ndim == 1)):
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we "
            f"got boundaries tensor dim({seq.ndim}) and input value's dim({dims}) numel({numel})"
        )
    if seq.ndim == 0:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension"
        )
    if not scalar and not input.is_contiguous():
        warn_internal(
            "torch.searchsorted(): input value tensor is non-contiguous, this will lower the performance due to "
            "extra data copy when converting non-contiguous tensor to contiguous, please use contiguous input value "
            "tensor if possible. This message will only appear once per program.",
            "aten/src/ATen/native/BucketizationUtils.h:32",
            once=True,
        )
    if not sorted_sequence.is_contiguous():
        warn_internal(
            "torch.searchsorted(): boundary tensor is non-contiguous, this will lower the performance due to extra "
            "data copy when converting non-contiguous tensor to contiguous, please use contiguous boundary tensor "
            "if possible. This message will only appear once per program.",
            "aten/src/ATen/native/BucketizationUtils.h:38",
            once=True,
        )
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._a, -1)
    values = np.asarray(input) if scalar else input._a
    common = result_type(sorted_sequence, input).np  # both searched in their result type (0-d input as a scalar)
    with quiet_numpy():
        seq, values = seq.astype(common, copy=False), values.astype(common, copy=False)
    how = "right" if right else "left"
    if seq.ndim <= 1:
        r = _search(seq, values, how)
    else:
        if seq.shape[:-1] != values.shape[:-1]:
            raise RuntimeError(
                "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                "boundaries tensor and input value tensor must match, but we got boundaries tensor "
                f"{list(seq.shape)} and input value tensor {list(values.shape)}"
            )
        rows = int(np.prod(seq.shape[:-1], dtype=np.int64))
        flat_seq, flat_values = seq.reshape(rows, seq.shape[-1]), values.reshape(rows, values.shape[-1])
        r = np.zeros(values.shape, np.int64)
        if values.size:
            r = np.stack([_search(s, v, how) for s, v in zip(flat_seq, flat_values)]).reshape(values.shape)
    dtype = _dtypes.int32 if out_int32 else _dtypes.int64
    r = contiguous(np.asarray(r, dtype.np))
    if out is not None:
        return write_out("searchsorted", out, r, dtype, ())
    return make(r, dtype, sorted_sequence._device)


def _search(seq: np.ndarray, values: np.ndarray, side: str) -> np.ndarray:
    """torch's binary search (cus_lower_bound / cus_upper_bound): numpy's, except where the boundaries hold
    a NaN, which numpy orders last and torch's `!(mid >= value)` steps over."""
    if seq.dtype.kind not in "fc" or not np.isnan(seq).any():
        return np.searchsorted(seq, values, side=side)
    values = np.asarray(values)
    low, high = np.zeros(values.shape, np.int64), np.full(values.shape, seq.size, np.int64)
    with quiet_numpy():
        while (low < high).any():
            active = low < high
            mid = low + ((high - low) >> 1)
            at = seq[np.minimum(mid, seq.size - 1)]
            past = ~(at > values) if side == "right" else ~(at >= values)
            low, high = np.where(active & past, mid + 1, low), np.where(active & ~past, mid, high)
    return low


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    if boundaries._a.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries._a.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


def isin(elements, test_elements, *, assume_unique=False, invert=False, out=None):
    a = elements._a if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._a if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    # both compared in one type: result_type's (0-d operands as scalars) where torch's kernel loops over the
    # test elements (few of them, numpy's heuristic), the promoted dtypes where it sorts their concatenation
    if b.size < 10.0 * float(max(a.size, 1)) ** 0.145 or not isinstance(test_elements, Tensor):
        common = result_type(elements, test_elements)
    else:
        common = promote_types(elements._dtype, test_elements._dtype)
    with quiet_numpy():
        a, b = a.astype(common.np, copy=False), b.astype(common.np, copy=False)
    r = contiguous(np.asarray(np.isin(a, b, invert=invert), bool))
    device = (elements if isinstance(elements, Tensor) else test_elements)._device
    if out is not None:
        return write_out("isin", out, r, _dtypes.bool_, ())
    return make(r, _dtypes.bool_, device)


register("bucketize", method=False, scalar_input="without out")(
    lambda input, boundaries, **kw: bucketize(input, boundaries, **kw)
)


def _unique_function(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    return unique(input, sorted, return_inverse, return_counts, dim)


def _unique_consecutive_function(input, return_inverse=False, return_counts=False, dim=None):
    return unique_consecutive(input, return_inverse, return_counts, dim)


# torch writes these two functions in Python, their first parameter named `input`
_unique_function.__name__ = _unique_function.__qualname__ = "unique"
_unique_consecutive_function.__name__ = _unique_consecutive_function.__qualname__ = "unique_consecutive"
FUNCTIONS = {
    "searchsorted": searchsorted,
    "isin": isin,
    "bucketize": bucketize,
    "unique": _unique_function,
    "unique_consecutive": _unique_consecutive_function,
}
