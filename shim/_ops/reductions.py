"""Reductions: dim (int or tuple) and keepdim parsed once, result dtypes from a table, derivatives
beside their kernels, and torch's named-tuple returns."""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE
from .._cpu import vml
from .._cpu.cascade_sum import contiguous_total, iterator_dims, loop_calls, ordered_sum, reduced_rows
from .._cpu.ordered_norm import ordered_norm
from .._cpu.ordered_prod import ordered_prod
from .._cpu.simd import vector_bytes
from .._cpu.threads import parallel_chunks
from .._dispatch import check_inplace, check_out_grad, needs_grad, quiet_numpy, record, write_out
from .._dtypes import COMPLEX, FLOAT, INT
from .._errors import invalid_arguments, not_implemented_for, shape_str, wrap_dim, wrap_dims
from .._layout import contiguous
from .._registry import register
from .._tensor import Tensor, make
from .._views import cast_preserving
from ..return_types import make_return_type
from .elementwise import formula
from .reduce_all import reduce_all_zero, reduce_values_zero
from .stdsort import nth_element_zero

__all__ = ["reduce_dims"]


def reduce_dims(self: Tensor, dim) -> tuple | None:
    """Normalised dims to reduce, or None for all of them (dim=None, or an empty list as torch reads it)."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)):
        if len(dim) == 0:
            return None
        return wrap_dims(dim, self._a.ndim)
    return (wrap_dim(dim, self._a.ndim),)


def _axes(self, dims):
    if dims is None:
        return tuple(range(self._a.ndim))
    return dims if self._a.ndim else ()


def _expand_back(F, g, self_sizes, dims, keepdim):
    """Broadcast a reduced gradient back to the input shape."""
    if len(self_sizes) == 0:
        return F.reshape(g, ())
    if not keepdim and dims:
        g = F.unsqueeze_dims(g, tuple(sorted(dims)))
    elif not keepdim and dims is None:
        g = F.reshape(g, (1,) * len(self_sizes))
    return F.expand(g, self_sizes)


def _finish(self, value, dtype, out, name, grad_node=None, grads=(), saved=None):
    value = contiguous(np.asarray(value))  # torch allocates reduction outputs contiguous
    if value.dtype != dtype.np:
        with quiet_numpy():
            value = value.astype(dtype.np)
    if out is not None:
        return write_out(name, out, value, dtype, (self,))
    r = make(value, dtype, self._device)
    if grad_node and dtype.category >= FLOAT and needs_grad(self):
        saved = dict(saved or {})
        saved.setdefault("self", self)
        saved["result"] = r
        record(grad_node, (self,), grads, saved, r)
    return r


def _accumulate_dtype(self, dtype):
    """sum/prod/cumsum: integers and bools accumulate in int64 unless a dtype is given."""
    if dtype is not None:
        return dtype
    return _dtypes.int64 if self._dtype.category <= INT else self._dtype


_SUM_BACK = formula(lambda F, g, self_sizes, dims, keepdim: _expand_back(F, g, self_sizes, dims, keepdim))


_NO_DIM = object()  # sum/prod called without dim: torch's overload without dim has no out=
_DIM_TYPES = {"sum": "tuple of ints", "prod": "int"}


def _check_out_needs_dim(name: str, self, dim, dtype, out):
    if out is None or dim is not _NO_DIM:
        return
    if dtype is not None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    raise invalid_arguments(
        name,
        (self,),
        {"out": out},
        (
            "Tensor input, *, torch.dtype dtype = None",
            f"Tensor input, {_DIM_TYPES[name]} dim, bool keepdim = False, *, torch.dtype dtype = None, "
            "Tensor out = None",
        ),
    )


def _converted(self: Tensor, dtype: _dtypes.dtype) -> np.ndarray:
    """self's array as `self.to(dtype)` holds it, which is what make_reduction reduces: a non-dense input (an
    expanded one) is copied dense in torch's dim order, not numpy's (astype puts a stride-0 dim innermost),
    and the layout decides a float reduction's order.  A cast may overflow, silently as in torch."""
    a = self._a
    if a.dtype == dtype.np and dtype is not _dtypes.complex32:
        return a
    if a.dtype.kind in "biu" and dtype.category <= _dtypes.INT:  # (integers widen or wrap, as c10's casts;
        return a.astype(dtype.np)  # and an integer sum is exact in any order, whatever the layout)
    with quiet_numpy():
        return cast_preserving(a, dtype)


# the dtypes whose full sum contiguous_total takes as the tensor holds it (complex32 lives in complex64 memory)
_TOTALLED = {_dtypes.float32, _dtypes.float64, _dtypes.complex64, _dtypes.complex128}


@register("sum")
def sum(self, dim=_NO_DIM, keepdim=False, *, dtype=None, out=None):
    if dim is _NO_DIM and dtype is None and out is None and self._dtype in _TOTALLED:
        # the commonest sum (a loss) without the general path's parsing: contiguous memory of one grain
        total = contiguous_total(self._a)
        if total is not None:
            r = make(total, self._dtype, self._device)
            if self._rg and STATE.grad_enabled:
                saved = {"self_sizes": self._a.shape, "dims": None, "keepdim": False, "self": self, "result": r}
                record("SumBackward0", (self,), (_SUM_BACK,), saved, r)
            return r
    _check_out_needs_dim("sum", self, dim, dtype, out)
    dim = None if dim is _NO_DIM else dim
    dims = reduce_dims(self, dim)
    rdt = _accumulate_dtype(self, dtype)
    a = _converted(self, rdt)
    value = ordered_sum(a, _axes(self, dims), keepdim)
    node = "SumBackward0" if dim is None else "SumBackward1"
    return _finish(
        self,
        value,
        rdt,
        out,
        "sum",
        node,
        (_SUM_BACK,),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim},
    )


@register("nansum")
def nansum(self, dim=None, keepdim=False, *, dtype=None, out=None):
    dims = reduce_dims(self, dim)
    rdt = _accumulate_dtype(self, dtype)
    a = _converted(self, rdt)
    with quiet_numpy():  # sum's order, each NaN read as 0 (cascade_sum<ignore_nan=true>)
        if a.dtype.kind in "fc" and a.size:
            a = _with_layout(np.where(np.isnan(a), a.dtype.type(0), a), a)
        value = np.asarray(ordered_sum(a, _axes(self, dims), keepdim, float_copy=False))
    saved = {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim}
    return _finish(self, value, rdt, out, "nansum", "NansumBackward0", (_NANSUM_BACK,), saved)


def _with_layout(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    """`values` in an array with `like`'s strides (over fresh memory): the order of a strided sum depends
    on the layout of what it reads."""
    span = builtins.sum((n - 1) * s for n, s in zip(like.shape, like.strides)) + like.itemsize
    out = np.lib.stride_tricks.as_strided(np.empty(span // like.itemsize, like.dtype), like.shape, like.strides)
    np.copyto(out, values)
    return out


# grad * self.isnan().logical_not(): a product, so an infinite or NaN gradient gives NaN at a NaN
_NANSUM_BACK = formula(
    lambda F, g, self, self_sizes, dims, keepdim: _expand_back(F, g, self_sizes, dims, keepdim) * (self == self)
)


_MEAN_BACK = formula(
    lambda F, g, self_sizes, dims, keepdim, count: _expand_back(F, g / count, self_sizes, dims, keepdim)
)


def _count(self, dims):
    n = 1
    for d in _axes(self, dims):
        n *= self._a.shape[d]
    return n


@register("mean")
def mean(self, dim=None, keepdim=False, *, dtype=None, out=None):
    rdt = dtype or self._dtype
    if rdt.category < FLOAT:
        which = "Optional" if dtype is not None else "Input"
        raise RuntimeError(
            f"mean(): could not infer output dtype. {which} dtype must be either a floating point or complex dtype. "
            f"Got: {rdt._scalar_name}"
        )
    dims = reduce_dims(self, dim)
    # torch's CPU mean is sum(...) / count; half's sum and division in float, rounded once (mean_out)
    acc = _dtypes.float32 if rdt is _dtypes.float16 else rdt
    with quiet_numpy():
        total = np.asarray(ordered_sum(_converted(self, acc), _axes(self, dims), keepdim))
        value = (total / acc.np.type(_count(self, dims))).astype(rdt.np, copy=False)
    node = "MeanBackward0" if dim is None else "MeanBackward1"
    return _finish(
        self,
        value,
        rdt,
        out,
        "mean",
        node,
        (_MEAN_BACK,),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim, "count": _count(self, dims)},
    )


def _prod_back(F, g, self, result, self_sizes, dims, keepdim):
    """torch's prod_backward: grad * result / input when no input is zero, else (for the whole tensor)
    grad times the product of the others, from exclusive cumulative products."""
    if len(self_sizes) == 0:
        return g
    g = _expand_back(F, g, self_sizes, dims, keepdim)
    if not bool(F.any_zero(self)):
        return g * F.conj(_expand_back(F, result, self_sizes, dims, keepdim) / self)
    if dims is None and not F.GRAPH and F.count_zeros(self) > 1:  # every product of the others is 0 (or NaN)
        return F.zeros_like(self)
    return g * F.conj(F.prod_others(self, None if dims is None else dims[0]))


@register("prod")
def prod(self, dim=_NO_DIM, keepdim=False, *, dtype=None, out=None):
    _check_out_needs_dim("prod", self, dim, dtype, out)
    dim = None if dim is _NO_DIM else dim
    rdt = _accumulate_dtype(self, dtype)
    dims = None if dim is None else (wrap_dim(dim, self._a.ndim),)
    a = _converted(self, rdt)
    value = ordered_prod(a, None if dims is None else dims[0], keepdim)
    if value is None:
        with quiet_numpy():
            value = a.prod(axis=_axes(self, dims), keepdims=keepdim)
    node = "ProdBackward0" if dim is None else "ProdBackward1"
    return _finish(
        self,
        value,
        rdt,
        out,
        "prod",
        node,
        (formula(_prod_back),),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim},
    )


# -- std / var ----------------------------------------------------------------------------------------
def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


def _var_args(dim, unbiased, keepdim, correction):
    # std(dim, unbiased, keepdim) / std(unbiased) positional forms
    if isinstance(dim, bool):
        return None, dim, keepdim, correction
    return dim, unbiased, keepdim, correction


_VAR_SIGNATURES = (
    "Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out = None",
    "Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False, Tensor out = None",
    "Tensor input, bool unbiased = True",
)


def _var_common(self, name, dim, unbiased, keepdim, correction, out):
    if isinstance(dim, bool) and out is not None:  # std(x, unbiased, out=): the overload with unbiased has no out
        raise invalid_arguments(name, (self, dim), {"out": out}, _VAR_SIGNATURES)
    if out is not None:  # autograd's refusal comes before the kernel's checks and warnings
        check_out_grad(name, out, (self,))
    if self._dtype.category < FLOAT:
        what = "std and var" if name in ("std", "var") else name
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    dim, unbiased, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    dims = reduce_dims(self, dim)
    c = _correction(unbiased, correction)
    n = _count(self, dims)
    # torch's reduction factor is input numel / output numel, 0 when the output is empty
    out_numel = self._a.size // n if n else 0
    factor = self._a.size // out_numel if out_numel else 0
    for _ in range((2 if self._dtype.category == COMPLEX else 1) if factor - c <= 0 else 0):
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel). (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)",
            UserWarning,
            stacklevel=3,
        )
    all_cpu = name in ("std", "var")  # (std_mean and var_mean have no all-reduce shortcut)
    with quiet_numpy():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy's own degrees-of-freedom warning
            if self._dtype.category == COMPLEX:  # the parts' variances, each rounded, added in the real dtype
                real = self._dtype.to_real().np
                parts = [
                    _variance(p, _axes(self, dims), c, keepdim, out_numel, all_cpu).astype(real)
                    for p in (self._a.real, self._a.imag)
                ]
                return dims, keepdim, c, n, parts[0] + parts[1]
            return dims, keepdim, c, n, _variance(self._a, _axes(self, dims), c, keepdim, out_numel, all_cpu)


def _variance(a: np.ndarray, axes: tuple, correction, keepdim: bool, out_numel: int, all_cpu: bool) -> np.ndarray:
    """The variance as torch's kernels compute it, unrounded (float64 for half and float).
    std and var with one output of float or double: std_var_all_cpu, two passes in double around the tensor's own mean
    (float's mean is computed in float: it overflows where the elements' sum does), the squares summed in
    order, each thread's range from 0.  Otherwise WelfordOps (in double), in the reduced elements' order,
    each thread's range combined where one output's reduction is split."""
    if all_cpu and out_numel == 1 and a.dtype.type in (np.float32, np.float64) and a.size:
        mean = float(np.asarray(ordered_sum(a, range(a.ndim))) / a.dtype.type(a.size))
        flat = np.atleast_1d(a)
        dims = iterator_dims(flat, tuple(range(flat.ndim)))
        total = 0.0
        for start, end in parallel_chunks(flat.size):  # each thread's squares from 0, each call's from 0 in turn
            calls = loop_calls(flat, dims, start, end) or [flat.ravel(order="K")[start:end]]  # (or: not bit for bit)
            thread = 0.0
            for block in calls:
                thread += float(np.cumsum(np.square(block.astype(np.float64).reshape(-1) - mean))[-1])
            total += thread
        value = np.float64(total) / np.float64(a.size - correction if a.size > correction else 0)  # (0/0: NaN)
        return np.full(_reduced_shape(a.shape, axes, keepdim), value)
    mean, m2, count = welford(a, axes)
    with quiet_numpy():
        value = m2 / m2.dtype.type(count - correction if count > correction else 0)
    return value.reshape(_reduced_shape(a.shape, axes, keepdim))


def welford(a: np.ndarray, axes: tuple) -> tuple:
    """WelfordOps over `axes` (in double, WelfordData<double>): (mean, m2, count), the reduced elements taken
    in the iterator's order (reduction_order), and where one output's reduction reaches a grain, each
    thread's range combined."""
    acc = _VAR_ACC.get(a.dtype.type, a.dtype.type)
    rows = reduced_rows(a, axes).astype(acc)
    reduced = rows.shape[-1]
    total = None
    for start, end in parallel_chunks(reduced) or [(0, 0)]:
        part = _welford(rows[..., start:end])
        total = part if total is None else _welford_combine(total, part)
    return total


def _reduced_shape(shape: tuple, axes: tuple, keepdim: bool) -> tuple:
    return tuple(1 if d in axes else size for d, size in enumerate(shape) if keepdim or d not in axes)


def _welford(rows: np.ndarray) -> tuple:
    """WelfordOps::reduce along the last axis, in order: (mean, m2, count)."""
    acc = rows.dtype.type
    mean = np.zeros(rows.shape[:-1], acc)
    m2 = np.zeros(rows.shape[:-1], acc)
    with quiet_numpy():
        for i in range(rows.shape[-1]):
            x = rows[..., i]
            delta = x - mean
            mean = mean + delta / acc(i + 1)
            m2 = m2 + delta * (x - mean)
    return mean, m2, rows.shape[-1]


def _welford_combine(a: tuple, b: tuple) -> tuple:
    """WelfordOps::combine of two threads' accumulators."""
    (mean_a, m2_a, n_a), (mean_b, m2_b, n_b) = a, b
    if not n_a or not n_b:
        return b if not n_a else a
    acc = mean_a.dtype.type
    delta = mean_b - mean_a
    ratio = acc(n_b) / acc(n_a + n_b)
    return mean_a + delta * ratio, m2_a + m2_b + delta * delta * acc(n_a) * ratio, n_a + n_b


_VAR_ACC = {np.float16: np.float64, np.float32: np.float64, np.complex64: np.complex128}


def projected(value: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """WelfordOps::project's double converted to the output's scalar type: a Half through float (c10::Half
    is constructed from a float only), so rounded twice."""
    if dtype == np.float16:
        with quiet_numpy():
            return value.astype(np.float32).astype(np.float16)
    return value


def var_grad(F, g, self, self_sizes, dims, keepdim, correction, count):
    """torch's var_backward: (2 / dof) * grad * (self - mean); over all elements with no degrees of freedom
    left, grad times NaN where self is its mean and inf elsewhere."""
    g = _expand_back(F, g, self_sizes, dims, keepdim)
    mean = F.fused(lambda x: F.sum(x, dims, True) / count, self)  # mean(): half summed and divided in float
    dof = count - correction
    if (dims is None or not self_sizes) and dof <= 0:
        return g * F.where(self == mean, math.nan, math.inf)
    return (2.0 / dof if dof else math.copysign(math.inf, dof)) * g * (self - mean)


def std_grad_as_var(F, g, result):
    """std_backward hands var_backward grad / (2 std), 0 where std is 0."""
    return F.where(result == 0, 0, g / (result * 2))


def _var_back(F, g, self, self_sizes, dims, keepdim, correction, count):
    return var_grad(F, g, self, self_sizes, dims, keepdim, correction, count)


def _std_back(F, g, self, result, self_sizes, dims, keepdim, correction, count):
    return var_grad(F, std_grad_as_var(F, g, result), self, self_sizes, dims, keepdim, correction, count)


@register("var")
def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    dims, keepdim, c, n, value = _var_common(self, "var", dim, unbiased, keepdim, correction, out)
    return _finish(
        self,
        projected(value, self._dtype.np),
        self._dtype.to_real(),
        out,
        "var",
        "VarBackward0",
        (formula(_var_back),),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim, "correction": c, "count": n},
    )


def std_of(self: Tensor, variance: np.ndarray) -> np.ndarray:
    """The root of _var_common's variance: in the kernel (std::sqrt of the double) for a real input; for a
    complex one torch's sqrt op of the parts' variances added (at::sqrt_out: MKL's, by vml)."""
    with quiet_numpy():
        return vml.sqrt(variance) if self._dtype.category == COMPLEX else np.sqrt(variance)


@register("std")
def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    dims, keepdim, c, n, value = _var_common(self, "std", dim, unbiased, keepdim, correction, out)
    value = std_of(self, value)
    return _finish(
        self,
        projected(value, self._dtype.np),
        self._dtype.to_real(),
        out,
        "std",
        "StdBackward0",
        (formula(_std_back),),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim, "correction": c, "count": n},
    )


# -- max / min and friends -----------------------------------------------------------------------------
_max_type = make_return_type("max", ("values", "indices"))
_min_type = make_return_type("min", ("values", "indices"))
_median_type = make_return_type("median", ("values", "indices"))
_OUT_TYPES = {name: make_return_type(name + "_out", ("values", "indices")) for name in ("max", "min", "median")}


def _evenly(F, g, self, result):
    """max()/min() without dim: the gradient is shared evenly among the tied extreme elements."""
    mask = self == result
    if isinstance(self, np.ndarray) and np.isnan(result):  # (a 0-d self too: its comparison is a numpy scalar)
        mask = np.isnan(self)
    count = F.sum(mask * 1.0, None) if not isinstance(mask, (np.ndarray, np.generic)) else np.sum(mask)
    return F.where(mask, g / count, 0)


def _select_back(F, g, indices, self_sizes, dim, keepdim):
    """max(dim)/min(dim)/median(dim): the gradient goes to the selected index."""
    indices = indices if isinstance(indices, np.ndarray) else indices._a  # saved as a tensor, as torch does
    if not keepdim and len(self_sizes):
        g = F.unsqueeze_dims(g, (dim,))
        indices = np.expand_dims(indices, dim)
    zeros = F.new_zeros(self_sizes, g)
    if len(self_sizes) == 0:
        return g + zeros
    key = tuple(np.indices(indices.shape, sparse=True))
    key = key[:dim] + (indices,) + key[dim + 1 :]
    return F.setitem(zeros, key, g)


def _extreme(self, name, np_fn, np_arg, dim, keepdim, other, out):
    if isinstance(dim, Tensor) or other is not None:
        from .binary import run

        return run("maximum" if name == "max" else "minimum", self, dim if other is None else other, out)
    a = self._a
    complex_input = RuntimeError(f"{name}(): does not support complex input")  # (dim) checked after the sizes
    if dim is None:
        if a.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction "
                "dim with the 'dim' argument."
            )
        if self._dtype.category == COMPLEX:  # the whole-tensor kernel's dtype dispatch
            raise not_implemented_for(f"{name}_all", self._dtype)
        with quiet_numpy():
            value = np_fn(a)
            if a.dtype.kind == "f" and value == 0:  # which signed zero: as torch's lanes meet
                value = reduce_all_zero(np.ascontiguousarray(a).reshape(-1), name == "max")
        return _finish(self, value, self._dtype, out, name, f"{name.capitalize()}Backward1", (formula(_evenly),))
    d = wrap_dim(dim, a.ndim)
    if a.ndim and a.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    if self._dtype.category == COMPLEX:
        raise complex_input
    with quiet_numpy():
        idx = np_arg(a, axis=d, keepdims=keepdim) if a.ndim else np.asarray(0)
        values = np.take_along_axis(a, idx if keepdim else np.expand_dims(idx, d), d) if a.ndim else a.copy()
        if a.ndim and not keepdim:
            values = np.squeeze(values, d)
    values_t = make(contiguous(np.asarray(values)), self._dtype, self._device)
    indices_t = make(contiguous(np.asarray(idx, dtype=np.int64)), _dtypes.int64, self._device)
    rt = _max_type if name == "max" else _min_type
    if out is not None:
        return _OUT_TYPES[name](_write_pair(name, out, values_t, indices_t, self))
    if needs_grad(self) and self._dtype.category >= FLOAT:
        record(
            f"{name.capitalize()}Backward0",
            (self,),
            (formula(_select_back),),
            {"indices": indices_t, "self_sizes": a.shape, "dim": d, "keepdim": keepdim},
            values_t,
        )
    return rt((values_t, indices_t))


def _write_pair(name: str, out, values: Tensor, indices: Tensor, self: Tensor) -> tuple:
    """A (values, indices) result written into the user's out= pair."""
    write_out(name, out[0], values._a, values._dtype, (self,))
    write_out(name, out[1], indices._a, indices._dtype, (self,))
    return out


def _nan_argmax(a, axis, keepdims):
    r = np.argmax(a, axis=axis, keepdims=keepdims)
    if a.dtype.kind in "fc":
        nan = np.isnan(a)
        if nan.any():
            r = np.where(np.any(nan, axis=axis, keepdims=keepdims), np.argmax(nan, axis=axis, keepdims=keepdims), r)
    return r


def _nan_argmin(a, axis, keepdims):
    r = np.argmin(a, axis=axis, keepdims=keepdims)
    if a.dtype.kind in "fc":
        nan = np.isnan(a)
        if nan.any():
            r = np.where(np.any(nan, axis=axis, keepdims=keepdims), np.argmax(nan, axis=axis, keepdims=keepdims), r)
    return r


@register("max")
def max(self, dim=None, keepdim=False, *, other=None, out=None):
    return _extreme(self, "max", np.max, _nan_argmax, dim, keepdim, other, out)


@register("min")
def min(self, dim=None, keepdim=False, *, other=None, out=None):
    return _extreme(self, "min", np.min, _nan_argmin, dim, keepdim, other, out)


def _arg(self, name, fn, dim, keepdim, out=None):
    a = self._a
    if self._dtype is _dtypes.bool_ or self._dtype.category == COMPLEX:
        raise RuntimeError(f"{name}(): does not support {'bool' if self._dtype is _dtypes.bool_ else 'complex'} input")
    if dim is None:
        if a.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        r = fn(a.reshape(-1), axis=0, keepdims=False)
        if keepdim:
            r = np.reshape(r, (1,) * a.ndim)
    else:
        d = wrap_dim(dim, a.ndim)
        if a.ndim and a.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
        r = fn(a, axis=d, keepdims=keepdim) if a.ndim else np.asarray(0)
    if out is not None:
        return write_out(name, out, np.asarray(r, dtype=np.int64), _dtypes.int64, (self,))
    return make(np.asarray(r, dtype=np.int64), _dtypes.int64, self._device)


@register("argmax")
def argmax(self, dim=None, keepdim=False, *, out=None):
    return _arg(self, "argmax", _nan_argmax, dim, keepdim, out)


@register("argmin")
def argmin(self, dim=None, keepdim=False, *, out=None):
    return _arg(self, "argmin", _nan_argmin, dim, keepdim, out)


def _amax_back(F, g, self, result, self_sizes, dims, keepdim):
    r = _expand_back(F, result, self_sizes, dims, keepdim)
    g = _expand_back(F, g, self_sizes, dims, keepdim)
    mask = (self == r) * 1.0
    count = _expand_back(
        F, F.sum(mask, dims, True) if dims is not None else F.sum(mask, None, True), self_sizes, dims, True
    )
    return g * mask / count


def _signed_zero_extremes(a: np.ndarray, axis: int, value: np.ndarray, largest: bool) -> np.ndarray:
    """The zeros among amax/amin's results along one axis, with the sign torch's kernel gives them.

    Along the innermost (non-trivial) axis each row runs the vectorised inner reduction.  Along an outer
    axis of a contiguous input the columns (everything inside the axis) are reduced in blocks of four vectors
    by the vector max/min, which answers its second operand between equal values (the last zero reached);
    the columns left over, by std::max/std::min, which keep the first."""
    rows = np.moveaxis(a, axis, -1).reshape(-1, a.shape[axis])
    value = np.array(value)  # (a copy, and an array even for a 0-d result)
    flat = value.reshape(-1)
    columns = math.prod(a.shape[axis + 1 :])
    vectorised = columns - columns % (4 * vector_bytes(avx512=False) // a.itemsize) if a.flags.c_contiguous else 0
    for i in np.flatnonzero(flat == 0):
        row = rows[i]
        if columns == 1:  # (size-1 dims inside the axis vanish when TensorIterator coalesces)
            flat[i] = reduce_values_zero(np.ascontiguousarray(row), largest)
        else:
            zeros = row[row == 0]
            flat[i] = zeros[-1] if i % columns < vectorised else zeros[0]
    return value


def _amax_amin(self, name, fn, dim, keepdim, out):
    a = self._a
    for original in dim if isinstance(dim, (tuple, list)) else (dim,) if dim is not None else ():
        if a.ndim and a.shape[wrap_dim(original, a.ndim)] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {original} to have non-zero size.")
    dims = reduce_dims(self, dim if dim != () else None)
    axes = _axes(self, dims)
    if a.size == 0 and dims is None:
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
            "with the 'dim' argument."
        )
    if self._dtype.category == COMPLEX:
        if a.size:  # the kernel's dtype dispatch: an empty input never reaches it
            raise not_implemented_for(f"{name[1:]}_values_cpu", self._dtype)
        if self._rg and STATE.grad_enabled:  # then autograd refuses the (empty) complex output
            raise RuntimeError(f"{name} does not support automatic differentiation for outputs with complex dtype.")
    given = dim if isinstance(dim, (tuple, list)) else (dim,)
    for ax, original in zip(axes, given if dims is not None else axes):
        if a.shape[ax] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {original} to have non-zero size.")
    with quiet_numpy():
        value = fn(a, axis=axes, keepdims=keepdim)
        if dims is None and a.dtype.kind == "f" and a.size and value.reshape(-1)[0] == 0:  # which signed zero
            zero = reduce_values_zero(np.ascontiguousarray(a).reshape(-1), name == "amax")
            value = np.full_like(value, zero)
        elif a.dtype.kind == "f" and len(axes) == 1 and value.size and (value == 0).any():
            value = _signed_zero_extremes(a, axes[0], value, name == "amax")
    node = "AmaxBackward0" if name == "amax" else "AminBackward0"
    return _finish(
        self,
        value,
        self._dtype,
        out,
        name,
        node,
        (formula(_amax_back),),
        {"self_sizes": a.shape, "dims": dims, "keepdim": keepdim},
    )


@register("amax")
def amax(self, dim=(), keepdim=False, *, out=None):
    return _amax_amin(self, "amax", np.max, dim, keepdim, out)


@register("amin")
def amin(self, dim=(), keepdim=False, *, out=None):
    return _amax_amin(self, "amin", np.min, dim, keepdim, out)


def _bool_reduce(self, name, fn, dim, keepdim, out):
    # an empty dim list reduces nothing here (all.dims has no legacy "() means all" as sum's does)
    dims = () if isinstance(dim, (tuple, list)) and not dim else reduce_dims(self, dim)
    value = fn(self._a, axis=_axes(self, dims), keepdims=keepdim)
    rdt = _dtypes.uint8 if self._dtype is _dtypes.uint8 else _dtypes.bool_
    return _finish(self, value, rdt, out, name)


@register("all")
def all(self, dim=None, keepdim=False, *, out=None):
    return _bool_reduce(self, "all", np.all, dim, keepdim, out)


@register("any")
def any(self, dim=None, keepdim=False, *, out=None):
    return _bool_reduce(self, "any", np.any, dim, keepdim, out)


@register("count_nonzero")
def count_nonzero(self, dim=None):
    """torch's count_nonzero: (self != 0).sum(dims), whose result is laid out as that sum's."""
    dims = reduce_dims(self, dim)
    nonzero = self != 0
    return nonzero.sum() if dims is None else nonzero.sum(dims)


# -- median ----------------------------------------------------------------------------------------
def _lower_median_index(a, axis):
    """Index of torch's median: the lower of the two middle values (NaN first if any)."""
    n = a.shape[axis]
    order = np.argsort(a, axis=axis, kind="stable")
    k = (n - 1) // 2
    idx = np.take(order, [k], axis=axis)
    if a.dtype.kind in "fc":
        nan = np.isnan(a)
        if nan.any():
            first_nan = np.argmax(nan, axis=axis, keepdims=True)
            idx = np.where(np.any(nan, axis=axis, keepdims=True), first_nan, idx)
    return idx


_NAN_AS = {np.int32: np.iinfo(np.int32).min, np.int64: np.iinfo(np.int64).min}


@register("median")
def median(self, dim=None, keepdim=False, *, out=None):
    if out is not None and dim is None:  # median() of all elements has no out= overload
        raise TypeError('median() missing 1 required positional arguments: "dim"')
    a = self._a
    if dim is not None:
        wrap_dim(dim, a.ndim)  # its IndexError comes first
    empty_dim = dim is not None and a.ndim and a.shape[wrap_dim(dim, a.ndim)] == 0  # so does this one
    if (
        (self._dtype is _dtypes.bool_ or self._dtype.category == COMPLEX)
        and (a.size or dim is not None)
        and not empty_dim
    ):
        raise not_implemented_for("median_cpu" if dim is None else "median_out", self._dtype)
    if dim is None:
        if a.size == 0:  # NaN for floats, the lowest value for integers
            # NaN, then converted as x86 converts it: INT_MIN of int32 or int64, the low bits (0) below that
            empty = np.nan if a.dtype.kind in "fc" else _NAN_AS.get(a.dtype.type, 0) if a.dtype.kind in "iu" else True
            return _finish(
                self, np.asarray(empty, a.dtype), self._dtype, out, "median", "MedianBackward0", (formula(_evenly),)
            )
        flat = a.reshape(-1)
        idx = _lower_median_index(flat, 0)
        value = flat[idx[0]]
        if value == 0 and a.dtype.kind == "f":  # which zero: where torch's std::nth_element leaves them
            value = nth_element_zero(np.ravel(a, order="K"), (flat.size - 1) // 2)  # (over a layout-keeping clone)
        return _finish(self, value, self._dtype, out, "median", "MedianBackward0", (formula(_evenly),))
    d = wrap_dim(dim, a.ndim)
    if a.ndim == 0:
        idx = np.asarray(0)
        values = a.copy()
    else:
        if a.shape[d] == 0:
            raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
        idx = _lower_median_index(a, d)
        values = np.take_along_axis(a, idx, d)
        if not keepdim:
            idx, values = np.squeeze(idx, d), np.squeeze(values, d)
    values_t = make(contiguous(np.asarray(values)), self._dtype, self._device)
    indices_t = make(contiguous(np.asarray(idx, dtype=np.int64)), _dtypes.int64, self._device)
    if out is not None:
        return _OUT_TYPES["median"](_write_pair("median", out, values_t, indices_t, self))
    if needs_grad(self) and self._dtype.category >= FLOAT:
        record(
            "MedianBackward1",
            (self,),
            (formula(_select_back),),
            {"indices": indices_t, "self_sizes": a.shape, "dim": d, "keepdim": keepdim},
            values_t,
        )
    return _median_type((values_t, indices_t))


# -- cumulative ---------------------------------------------------------------------------------------
_CPU_ACCUMULATE = {np.float16: np.float32, np.float32: np.float64, np.complex64: np.complex128}


def _cumulative(ufunc, a: np.ndarray, d: int, rdt) -> np.ndarray:
    """torch's cpu_cum_base_kernel: a running value in the CPU accumulate type (acc_type<T, false>: float
    for half, double for float, complex<double> for complex<float>), started from the identity, each output
    rounded from it.  Starting a sum from +0 means no partial sum is -0."""
    acc = _CPU_ACCUMULATE.get(rdt.np.type, rdt.np)
    with quiet_numpy():
        value = ufunc.accumulate(a.astype(acc), axis=d) if a.ndim else a.astype(acc)
        if ufunc is np.add and rdt.category >= FLOAT and a.ndim:  # a 0-d input is copied, not summed
            value += 0.0
        return contiguous(value.astype(rdt.np, copy=False))


def _cumulative_inplace(name):
    """cumsum_/cumprod_: the kernel runs in self's own dtype (bool has none), then the result is copied in."""

    def inplace(self, dim, *, dtype=None):
        check_inplace(self, overlap=False)  # autograd's check first
        wrap_dim(dim, self._a.ndim)
        if (dtype or self._dtype) is _dtypes.bool_ and self._a.ndim and self._a.size:  # (0-d: copied, not scanned)
            raise not_implemented_for(f"{name}_out_cpu", _dtypes.bool_)
        op = cumsum if name == "cumsum" else cumprod
        return self.copy_(op(self, dim, dtype=dtype or self._dtype))

    return inplace


@register("cumsum", inplace=_cumulative_inplace("cumsum"))
def cumsum(self, dim, *, dtype=None, out=None):
    d = wrap_dim(dim, self._a.ndim)
    rdt = _accumulate_dtype(self, dtype)
    value = _cumulative(np.add, self._a, d, rdt)
    return _finish(
        self,
        value,
        rdt,
        out,
        "cumsum",
        "CumsumBackward0",
        (formula(lambda F, g, dim: F.cumsum_reverse(g, dim) if len(g.shape) else g),),
        {"dim": d},
    )


def _cumprod_back(F, g, self, result, dim):
    """torch's cumprod_backward.  Without zeros: reversed_cumsum(result * g) / self.  With zeros, outside
    grad mode: that before the first zero, and for the first zero the sum of g times the products of the
    elements up to the second zero, times the product before it; 0 from there on.  In grad mode (double
    backward) every element's products omit it, without division."""
    if not len(self.shape) or int(np.prod(self.shape)) <= 1 or self.shape[dim] == 1:
        return g
    if not isinstance(self, np.ndarray):
        return F.to_dtype(F.wrap(_cumprod_omitted(self._a, g._a, dim)), self.dtype)
    a, out, rdt = np.conj(self), np.conj(result), _dtypes.from_numpy_dtype(self.dtype)
    with quiet_numpy():
        w = out * g
        zero = a == 0
        if not zero.any():
            return _reversed_cumsum(w, dim, rdt) / a
        grad = np.zeros_like(a)
        count = np.cumsum(zero, axis=dim)
        before = count == 0
        np.copyto(grad, _reversed_cumsum(np.where(before, w, 0), dim, rdt) / a, where=before)
        between = count == 1
        first = np.argmax(between, axis=dim)  # (0 where there is no zero: masked below)
        first_zero = np.zeros_like(between)
        np.put_along_axis(first_zero, np.expand_dims(first, dim), True, axis=dim)
        first_zero &= between
        between &= ~first_zero
        run = _cumulative(np.multiply, np.where(between, a, 1), dim, rdt)
        total = np.sum(run * np.where(count != 1, 0, g), axis=dim, keepdims=True)
        index = np.expand_dims(first, dim)
        prefix = np.where(index == 0, 1, np.take_along_axis(out, np.maximum(index - 1, 0), axis=dim))
        np.copyto(grad, np.broadcast_to(total * prefix, grad.shape), where=first_zero)
    return grad


def _reversed_cumsum(w: np.ndarray, dim: int, rdt) -> np.ndarray:
    return np.flip(_cumulative(np.add, np.flip(w, dim), dim, rdt), dim)


def _cumprod_omitted(a: np.ndarray, g: np.ndarray, dim: int) -> np.ndarray:
    """sum_{j >= i} g_j * conj(prod_{k <= j, k != i} x_k), computed without division."""
    a = np.conj(a)
    out = np.zeros_like(a)
    for i in range(a.shape[dim]):
        others = a.copy()
        sl = [slice(None)] * a.ndim
        sl[dim] = i
        others[tuple(sl)] = 1
        partial = np.cumprod(others, axis=dim)
        tail = [slice(None)] * a.ndim
        tail[dim] = slice(i, None)
        out[tuple(sl)] = (g[tuple(tail)] * partial[tuple(tail)]).sum(axis=dim)
    return out


@register("cumprod", inplace=_cumulative_inplace("cumprod"))
def cumprod(self, dim, *, dtype=None, out=None):
    d = wrap_dim(dim, self._a.ndim)
    rdt = _accumulate_dtype(self, dtype)
    value = _cumulative(np.multiply, self._a, d, rdt)
    return _finish(self, value, rdt, out, "cumprod", "CumprodBackward0", (formula(_cumprod_back),), {"dim": d})


def _logsumexp_back(F, g, self, result, self_sizes, dims, keepdim):
    g = _expand_back(F, g, self_sizes, dims, keepdim)
    r = _expand_back(F, result, self_sizes, dims, keepdim)
    return g * F.exp(self - r)


@register("logsumexp")
def logsumexp(self, dim, keepdim=False, *, out=None):
    if out is not None:
        check_out_grad("logsumexp", out, (self,))
    if isinstance(dim, (tuple, list)) and not dim and self._a.size and self._a.ndim and not keepdim:
        # torch's maxes keep the reduced dims as size 1, which the full reduction's [] result cannot take
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape {shape_str((1,) * self._a.ndim)}")
    dims = reduce_dims(self, dim)
    rdt = self._dtype if self._dtype.category >= FLOAT else _dtypes.get_default_dtype()
    a = _converted(self, rdt)
    axes = _axes(self, dims)
    with quiet_numpy():
        if a.size == 0:
            value = np.log(np.sum(np.exp(a), axis=axes, keepdims=keepdim))
        else:
            m = np.max(a.real, axis=axes, keepdims=True)  # complex inputs: the largest real part
            m = np.where(np.isinf(m), 0, m)
            # torch: log(sum(exp(self - maxes))) + maxes, the sum in sum's order (half accumulated in float)
            value = np.log(ordered_sum(np.exp(a - m), axes, True)) + m
            if not keepdim:
                value = np.squeeze(value, axis=axes) if axes else value.reshape(())
    return _finish(
        self,
        value,
        rdt,
        out,
        "logsumexp",
        "LogsumexpBackward0",
        (formula(_logsumexp_back),),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim},
    )


# -- norm ---------------------------------------------------------------------------------------------
def _norm_back(F, g, self, result, self_sizes, dims, keepdim, ord):
    """torch's norm_backward, branch by branch (its masks decide the signs of the zeros it writes)."""
    g = _expand_back(F, g, self_sizes, dims, keepdim)
    r = _expand_back(F, result, self_sizes, dims, keepdim)
    if ord == 2:  # grad * (self / norm).masked_fill_(norm == 0, 0)
        return g * F.where(r == 0, 0, self / F.where(r == 0, 1 + 0 * r, r))
    if ord == 1:
        return g * F.sign(self)
    if ord == 0:  # (torch's formula gives no gradient)
        return None
    if ord == float("inf") or ord == float("-inf"):  # amax/amin of |self|, shared among ties and NaNs
        magnitude = F.abs(self)
        mask = ((magnitude == r) | (magnitude != magnitude)) * 1.0
        count = _expand_back(F, F.sum(mask, dims, True), self_sizes, dims, True)
        return F.sign(self) * ((g / count) * mask)
    if ord < 1:  # self.sgn() * |self|^(p-1), masked where self is 0, times grad, times norm^(1-p)
        scaled = F.where(self == 0, 0, F.sign(self) * F.pow(F.abs(self), ord - 1))
        return scaled * g * F.pow(r, 1 - ord)
    scale = F.where(r == 0, 0, g / F.pow(F.where(r == 0, 1 + 0 * r, r), ord - 1))
    if ord < 2:  # self.sgn() * |self|^(p-1) * (grad / norm^(p-1)).masked_fill_(norm == 0, 0)
        return F.sign(self) * F.pow(F.abs(self), ord - 1) * scale
    return self * F.pow(F.abs(self), ord - 2) * scale


def vector_norm(self, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    return _vector_norm(self, ord, dim, keepdim, dtype, out, "LinalgVectorNormBackward0")


def aten_norm(self: Tensor, p: float, dim, keepdim: bool = False) -> Tensor:
    """at::norm(self, p, dim, keepdim), as ATen's own composites call it (pairwise_distance): the vector norm,
    recorded as NormBackward1.  (Python's torch.norm is linalg.vector_norm.)"""
    return _vector_norm(self, p, dim, keepdim, None, None, "NormBackward1")


def _vector_norm(self, ord, dim, keepdim, dtype, out, node: str):
    if self._dtype.category < FLOAT:
        if node == "NormBackward1":  # (at::norm's own check)
            raise RuntimeError(
                "norm(): input dtype should be either floating point or complex. "
                f"Got {self._dtype._scalar_name} instead."
            )
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {self._dtype._scalar_name}"
        )
    if self._a.size == 0 and (ord < 0 or ord == float("inf")):  # max, min and negative powers have no identity
        # checked before the dims are (a repeated empty dim names this error, not the repetition), each dim
        # wrapped as it is reached: an empty dim is named before a later one out of range
        given = () if dim is None else dim if isinstance(dim, (tuple, list)) else (dim,)
        what = f"the {float(ord):g} norm on"
        if not given:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute {what} an empty tensor because the operation does not have an "
                "identity"
            )
        for original in given:
            if self._a.shape[wrap_dim(original, self._a.ndim)] == 0:  # (named as given)
                raise RuntimeError(
                    f"linalg.vector_norm cannot compute {what} the dimension {original}because this dimension is empty"
                    " and the operation does not have an identity"
                )
    dims = reduce_dims(self, dim)
    rdt = (dtype or self._dtype).to_real()
    source = self._a if dtype is None or dtype is self._dtype else cast_preserving(self._a, dtype)
    a = np.abs(source)
    if a.dtype == np.float16:
        a = a.astype(np.float32)  # Half accumulates in float (opmath); the result is rounded to half at the end
    axes = _axes(self, dims)
    with quiet_numpy():
        # one element per output: torch returns |x| (FLT_MAX too), except for a 0-d tensor reduced over dim 0
        if ord != 0 and _count(self, dims) == 1 and not (self._a.ndim == 0 and dim is not None):
            value = np.max(a, axis=axes, keepdims=keepdim)
        elif (value := ordered_norm(source, axes, keepdim, ord)) is not None:
            pass  # torch's kernels, bit for bit
        elif ord == 2:
            value = np.sqrt(np.sum(a * a, axis=axes, keepdims=keepdim))
        elif ord == 1:
            value = np.sum(a, axis=axes, keepdims=keepdim)
        elif ord == float("inf"):
            value = np.max(a, axis=axes, keepdims=keepdim)
        elif ord == float("-inf"):
            value = np.min(a, axis=axes, keepdims=keepdim)
        elif ord == 0:
            value = np.sum(a != 0, axis=axes, keepdims=keepdim).astype(a.dtype)
        else:
            value = np.power(np.sum(np.power(a, ord), axis=axes, keepdims=keepdim), 1.0 / ord)
    return _finish(
        self,
        value,
        rdt,
        out,
        "linalg_vector_norm",
        node,
        (formula(_norm_back),),
        {"self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim, "ord": ord},
    )


@register("norm", function=False)
def norm_method(self, p="fro", dim=None, keepdim=False, dtype=None):
    return norm(self, p, dim, keepdim, dtype=dtype)


norm_method.__name__ = norm_method.__qualname__ = "norm"


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm (written in Python in torch, out= before dtype): the Frobenius norm over at most two dims
    and numeric orders are vector norms; other string orders go to linalg.matrix_norm."""
    self = input
    if not isinstance(p, str):
        return vector_norm(self, 2 if p is None else p, dim, keepdim, dtype=dtype, out=out)
    if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
        return vector_norm(self, 2, dim, keepdim, dtype=dtype, out=out)
    return _matrix_norm(self, p, list(range(self._a.ndim)) if dim is None else [dim] if isinstance(dim, int) else dim)


def _matrix_norm(a: Tensor, ord: str, dim) -> Tensor:
    from ..linalg import matrix_norm

    return matrix_norm(a, ord, dim)


FUNCTIONS = {"vector_norm": vector_norm, "norm": norm}
