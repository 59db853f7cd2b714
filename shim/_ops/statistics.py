"""Statistics and scans beyond the core reductions: std_mean, var_mean, nanmean, nanmedian, aminmax,
quantile and nanquantile, cummax, cummin, logcumsumexp, diff, trapezoid, cumulative_trapezoid, histc,
histogram, bincount, cov, corrcoef, dist, renorm.

Where torch composes other ops (nanmean, quantile, diff, trapezoid, cov, corrcoef) the same ops run here in
torch's order, so values, gradients and grad_fn names follow; the others have their kernel and derivative
side by side."""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import no_grad
from .._cpu.libm import glibc_exp, glibc_expf, glibc_log1p
from .._dispatch import bump_version, check_out_grad, needs_grad, quiet_numpy, record, to_stored_scalar, write_out
from .._dtypes import COMPLEX, FLOAT
from .._errors import invalid_arguments, not_implemented_for, wrap_dim
from .._layout import contiguous
from .._registry import register
from .._tensor import Tensor, make
from ..return_types import make_return_type
from .binary import C_LOG1P
from .elementwise import formula
from .reduce_all import reduce_all_zero
from .reductions import _expand_back, median, reduce_dims, std_grad_as_var, std_of, var_grad
from .stdsort import nth_element_zero
from .unary import log1p_kernel

__all__ = ["std_mean", "var_mean", "nanmean", "cummax", "logcumsumexp", "diff", "trapezoid"]


# -- std_mean, var_mean ---------------------------------------------------------------------------------
def _moments_back(which):
    """StdMeanBackward0 / VarMeanBackward0: the std (var) output's gradient plus the mean output's."""

    def back(F, grads, self, std_or_var, self_sizes, dims, keepdim, correction, count):
        g_first, g_mean = (grads + [None, None])[:2]
        total = None
        if g_first is not None:
            g = std_grad_as_var(F, g_first, std_or_var) if which == "std" else g_first
            total = var_grad(F, g, self, self_sizes, dims, keepdim, correction, count)
        if g_mean is not None:
            part = _expand_back(F, g_mean / count, self_sizes, dims, keepdim)
            total = part if total is None else total + part
        return total

    return formula(back)


_MOMENTS = {"std": _moments_back("std"), "var": _moments_back("var")}


def _moments(name, self, dim, unbiased, keepdim, correction):
    """(std or var, mean) over the same dims, with torch's checks and messages under std_mean/var_mean."""
    from .reductions import _finish, _var_common, projected

    dims, keepdim, c, n, value = _var_common(self, f"{name}_mean", dim, unbiased, keepdim, correction, None)
    if name == "std":
        value = std_of(self, value)
    spread = _finish(self, projected(value, self._dtype.np), self._dtype.to_real(), None, name)
    with no_grad():
        centre = _welford_mean(self, dims, keepdim)
    if needs_grad(self):
        saved = {
            "self": self,
            "std_or_var": spread,
            "self_sizes": self._a.shape,
            "dims": dims,
            "keepdim": keepdim,
            "correction": c,
            "count": n,
        }
        record(f"{name.capitalize()}MeanBackward0", (self,), (_MOMENTS[name],), saved, (spread, centre))
    return spread, centre


def _welford_mean(self: Tensor, dims, keepdim) -> Tensor:
    """The mean std_mean/var_mean report: the Welford kernel's running mean, rounded to the input's dtype."""
    from .reductions import _axes, _reduced_shape, projected, welford

    axes = _axes(self, dims)
    a = self._a
    means = []
    for part in (a.real, a.imag) if a.dtype.kind == "c" else (a,):  # (torch: a complex input's parts apart)
        mean, _, count = welford(part, axes)
        means.append(mean if count else np.full_like(mean, np.nan))
    mean = means[0]
    if len(means) == 2:
        mean = np.empty(mean.shape, np.result_type(mean.dtype, np.complex64))
        mean.real, mean.imag = means
    mean = mean.reshape(_reduced_shape(a.shape, axes, keepdim))
    return make(contiguous(projected(mean, self._dtype.np).astype(self._dtype.np)), self._dtype, self._device)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _moments("std", input, dim, unbiased, keepdim, correction)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _moments("var", input, dim, unbiased, keepdim, correction)


# -- nanmean, nanmedian ---------------------------------------------------------------------------------
@register("nanmean")
def nanmean(self, dim=None, keepdim=False, *, dtype=None, out=None):
    from .reductions import nansum

    if self._dtype.category < FLOAT:
        raise RuntimeError(
            f"nanmean(): expected input to have floating point or complex dtype but got {self._dtype._scalar_name}"
        )
    factor = (~self.isnan()).sum(dim, keepdim)
    if out is not None:
        check_out_grad("nanmean", out, (self,))
        with no_grad():
            return nansum(self, dim, keepdim, dtype=dtype).div(factor, out=out)
    return nansum(self, dim, keepdim, dtype=dtype).div(factor)


_nanmedian_type = make_return_type("nanmedian", ("values", "indices"))
_nanmedian_out_type = make_return_type("nanmedian_out", ("values", "indices"))


def _nan_lower_median(a: np.ndarray, axis: int):
    """Index of the lower median among the non-NaN values (NaN sorts last); the first NaN where all are."""
    order = np.argsort(a, axis=axis, kind="stable")
    valid = np.sum(~np.isnan(a), axis=axis, keepdims=True) if a.dtype.kind in "fc" else a.shape[axis]
    k = np.maximum((np.asarray(valid) - 1) // 2, 0)
    return np.take_along_axis(order, np.broadcast_to(k, order.shape[:axis] + (1,) + order.shape[axis + 1 :]), axis)


@register("nanmedian")
def nanmedian(self, dim=None, keepdim=False, *, out=None):
    if out is not None and dim is None:  # nanmedian() of all elements has no out= overload
        raise TypeError('nanmedian() missing 1 required positional arguments: "dim"')
    complex_ = self._dtype.category == COMPLEX
    if complex_ and not (dim is None and self._a.size == 0):  # (an empty input reaches no kernel)
        _nanmedian_complex(self, dim)
    if self._dtype.category < FLOAT:  # no NaN to leave out: median's values, named nanmedian
        r = median(self, dim, keepdim, out=out)
        return r if dim is None else (_nanmedian_out_type if out is not None else _nanmedian_type)(tuple(r))
    a = self._a
    if dim is None:
        if complex_ and needs_grad(self):
            raise RuntimeError("nanmedian does not support automatic differentiation for outputs with complex dtype.")
        if a.size == 0:
            value = make(np.asarray(np.nan, a.dtype), self._dtype, self._device)
        else:
            flat = a.reshape(-1)
            median_value = flat[_nan_lower_median(flat, 0)[0]]
            if median_value == 0:  # which zero: where torch's std::nth_element leaves them
                # (over a clone, which keeps a dense input's layout)
                median_value = nth_element_zero(np.ravel(a, order="K"), (int((~np.isnan(flat)).sum()) - 1) // 2)
            value = make(np.asarray(median_value), self._dtype, self._device)
        if needs_grad(self):
            from .reductions import _evenly

            record("NanmedianBackward0", (self,), (formula(_evenly),), {"self": self, "result": value}, value)
        return value
    d = wrap_dim(dim, a.ndim)
    if a.ndim and a.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")  # (median's check)
    if a.ndim == 0:
        idx, values = np.asarray(0), a.copy()
    else:
        idx = _nan_lower_median(a, d)
        values = np.take_along_axis(a, idx, d)
        if not keepdim:
            idx, values = np.squeeze(idx, d), np.squeeze(values, d)
    v = make(contiguous(np.asarray(values)), self._dtype, self._device)
    i = make(contiguous(np.asarray(idx, np.int64)), _dtypes.int64, self._device)
    if out is not None:
        from .reductions import _write_pair

        return _nanmedian_out_type(_write_pair("nanmedian", out, v, i, self))
    if needs_grad(self):
        from .sorting import _SELECT_BACK

        saved = {"indices": i, "self_sizes": a.shape, "dim": d, "keepdim": keepdim}
        record("NanmedianBackward1", (self,), _SELECT_BACK, saved, v)
    return _nanmedian_type((v, i))


def _nanmedian_complex(self, dim):
    if dim is not None:
        d = wrap_dim(dim, self._a.ndim)
        if self._a.ndim and self._a.shape[d] == 0:  # (median's size check comes before its dtype dispatch)
            raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    raise not_implemented_for("median_cpu" if dim is None else "median_out", self._dtype)  # (median's kernels)


# -- aminmax ----------------------------------------------------------------------------------------------
_aminmax_type = make_return_type("aminmax", ("min", "max"))


@register("aminmax")
def aminmax(self, *, dim=None, keepdim=False, out=None):
    from .reductions import amax, amin

    if dim is None and self._a.size == 0:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."
        )
    if dim is not None:
        wrap_dim(dim, self._a.ndim)
    if dim is not None and self._a.ndim and self._a.shape[wrap_dim(dim, self._a.ndim)] == 0:
        raise IndexError(f"aminmax: Expected reduction dim {wrap_dim(dim, self._a.ndim)} to have non-zero size.")
    if self._dtype.category == COMPLEX:
        if dim is not None and self._a.ndim == 0:  # torch's 0-d shortcut has a check of its own
            raise RuntimeError(f"aminmax not implemented for {self._dtype._scalar_name}")
        raise not_implemented_for("aminmax_cpu", self._dtype)
    with no_grad():
        lo = amin(self, () if dim is None else dim, keepdim)
        hi = amax(self, () if dim is None else dim, keepdim)
    if dim is None and self._dtype.category == FLOAT:  # the all-reduce kernel: its own signed zeros
        flat = np.ascontiguousarray(self._a).reshape(-1)
        lo, hi = (
            make(np.asarray(reduce_all_zero(flat, largest)), self._dtype, self._device) if t._a == 0 else t
            for t, largest in ((lo, False), (hi, True))
        )
    if dim is None and keepdim:
        shape = (1,) * self._a.ndim
        lo, hi = (make(t._a.reshape(shape).copy(), self._dtype, self._device) for t in (lo, hi))
    if out is not None:
        write_out("aminmax", out[0], lo._a, self._dtype, (self,))
        write_out("aminmax", out[1], hi._a, self._dtype, (self,))
        return make_return_type("aminmax_out", ("min", "max"))(out)
    if needs_grad(self):
        dims = reduce_dims(self, dim)
        saved = {"self": self, "min": lo, "max": hi, "self_sizes": self._a.shape, "dims": dims, "keepdim": keepdim}
        record("AminmaxBackward0", (self,), (formula(_aminmax_back),), saved, (lo, hi))
    return _aminmax_type((lo, hi))


def _aminmax_back(F, grads, self, min, max, self_sizes, dims, keepdim):
    total = None
    for g, value in zip(grads, (min, max)):
        if g is None:
            continue
        r = _expand_back(F, value, self_sizes, dims, keepdim)
        mask = (self == r) * 1.0
        count = _expand_back(F, F.sum(mask, dims, True), self_sizes, dims, True)
        part = _expand_back(F, g, self_sizes, dims, keepdim) * mask / count
        total = part if total is None else total + part
    return total


# -- cummax, cummin, logcumsumexp ---------------------------------------------------------------------------
_CUM_TYPES = {name: make_return_type(name, ("values", "indices")) for name in ("cummax", "cummin")}


def _cum_extreme(a: np.ndarray, d: int, larger: bool):
    """torch's cummax/cummin: a running extreme that a NaN takes over for good, and that an equal value
    takes over too (so the index is the last of equal extremes)."""
    moved = np.moveaxis(a, d, -1)
    values = np.empty_like(moved)
    indices = np.empty(moved.shape, np.int64)
    if moved.shape[-1] == 0:
        return np.moveaxis(values, -1, d), np.moveaxis(indices, -1, d)
    best = moved[..., 0].copy()
    where = np.zeros(best.shape, np.int64)
    floating = a.dtype.kind in "fc"
    for i in range(moved.shape[-1]):
        x = moved[..., i]
        better = (x >= best) if larger else (x <= best)
        if floating:
            better = np.isnan(x) | (~np.isnan(best) & better)
        best = np.where(better, x, best)
        where = np.where(better, i, where)
        values[..., i] = best
        indices[..., i] = where
    return np.moveaxis(values, -1, d), np.moveaxis(indices, -1, d)


def _cum_back(F, g, indices, self_sizes, dim):
    """The gradient of each running extreme goes to the element it came from (summed)."""
    if len(self_sizes) == 0:
        return g
    idx = indices if isinstance(indices, np.ndarray) else indices._a
    zeros = F.new_zeros(self_sizes, g)
    key = tuple(np.indices(idx.shape, sparse=True))
    key = key[:dim] + (idx,) + key[dim + 1 :]
    return F.index_add(zeros, key, g)


def _cummaxmin(name, self, dim, out):
    a = self._a
    if a.ndim == 0 and dim not in (0, -1):
        raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    d = wrap_dim(dim, a.ndim) if a.size else 0  # torch scans nothing, checks nothing, in an empty tensor
    if self._dtype.category == COMPLEX:
        if a.size and a.ndim:
            raise not_implemented_for(f"{name}_cpu", self._dtype)
        if needs_grad(self):
            raise RuntimeError(f"{name} does not support automatic differentiation for outputs with complex dtype.")
    if a.ndim == 0:
        values, indices = a.copy(), np.zeros((), np.int64)
    else:
        values, indices = _cum_extreme(a, d, name == "cummax")
    v = make(contiguous(np.asarray(values)), self._dtype, self._device)
    i = make(contiguous(np.asarray(indices, np.int64)), _dtypes.int64, self._device)
    if out is not None:
        write_out(name, out[0], v._a, self._dtype, (self,))
        write_out(name, out[1], i._a, _dtypes.int64, (self,))
        return make_return_type(name + "_out", ("values", "indices"))(out)
    if needs_grad(self):
        saved = {"indices": i, "self_sizes": a.shape, "dim": d}
        record(f"{name.capitalize()}Backward0", (self,), (formula(_cum_back),), saved, v)
    return _CUM_TYPES[name]((v, i))


@register("cummax")
def cummax(self, dim, *, out=None):
    return _cummaxmin("cummax", self, dim, out)


@register("cummin")
def cummin(self, dim, *, out=None):
    return _cummaxmin("cummin", self, dim, out)


def _log1p_exp(d: np.ndarray) -> np.ndarray:
    """std::log1p(std::exp(d)) in d's precision, the C library's functions (glibc's expf and log1pf for float)."""
    if d.dtype == np.float32:
        return C_LOG1P(glibc_expf(d))
    return glibc_log1p(glibc_exp(d))


def _log_add_exp(x, y):
    """_log_add_exp_helper: max + log1p(exp(min - max)), or x where both are the same infinity."""
    if x.dtype.kind == "c":
        return _log_add_exp_complex(x, y)
    with np.errstate(all="ignore"):
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        return np.where((lo != hi) | np.isfinite(lo), _log1p_exp(lo - hi) + hi, x)


_ACC = {np.float16: np.float32, np.float32: np.float64}


def _log_add_exp_complex(x, y):
    """The complex _log_add_exp_helper: min and max by real part (on a tie, min is y, the running value);
    NaN anywhere gives NaN; equal infinite real parts give min (-inf) or log(exp(min) + exp(max))."""
    with np.errstate(all="ignore"):
        y_nan, x_nan = np.isnan(y.real) | np.isnan(y.imag), np.isnan(x.real) | np.isnan(x.imag)
        x_min = x.real < y.real
        lo = np.where(y_nan, y, np.where(x_nan, x, np.where(x_min, x, y)))
        hi = np.where(y_nan, y, np.where(x_nan, x, np.where(x_min, y, x)))
        same_inf = ~np.isfinite(lo.real) & (lo.real == hi.real)
        general = log1p_kernel(np.exp(lo - hi)) + hi
        infinite = np.where(lo.real < 0, lo, np.log(np.exp(lo) + np.exp(hi)))
        value = np.where(same_inf, infinite, general)
        return np.where(np.isnan(lo.real) | np.isnan(lo.imag), np.complex128(complex(np.nan, np.nan)), value)


def _logcumsumexp_kernel(a: np.ndarray, d: int) -> np.ndarray:
    """A running log-add-exp along d in the accumulate type (double for float), from -inf."""
    acc = _ACC.get(a.dtype.type, a.dtype.type)
    moved = np.moveaxis(a, d, -1).astype(acc)
    out = np.empty_like(moved)
    running = np.full(moved.shape[:-1], -np.inf, acc)
    for i in range(moved.shape[-1]):
        running = _log_add_exp(moved[..., i], running)
        out[..., i] = running
    return np.moveaxis(out, -1, d).astype(a.dtype)


def _logcumsumexp_back(F, g, self, result, dim):
    """torch's logcumsumexp_backward: the positive and negative parts of grad, each through a reversed
    logcumsumexp in log space."""
    if len(g.shape) == 0 or int(np.prod(g.shape)) == 0:
        return g

    def reversed_lcse(x):
        return F.flip(F.logcumsumexp(F.flip(x, (dim,)), dim), (dim,))

    if F.is_complex(g):  # no split into positive and negative parts: exp(rlcse(log(conj g) - result) + self)*
        return F.conj(F.exp(reversed_lcse(F.log(F.conj(g)) - result) + self))

    lowest = float(np.finfo(np.float64 if str(g.dtype).endswith("64") else np.float32).min)
    log_abs = F.log(F.abs(g))
    positive = F.where(g > 0, log_abs, lowest)
    negative = F.where(g < 0, log_abs, lowest)
    return F.exp(reversed_lcse(positive - result) + self) - F.exp(reversed_lcse(negative - result) + self)


@register("logcumsumexp")
def logcumsumexp(self, dim, *, out=None):
    a = self._a
    d = wrap_dim(dim, a.ndim)
    if self._dtype.category < FLOAT:
        raise not_implemented_for("logcumsumexp_out_cpu", self._dtype)
    with quiet_numpy():
        value = a.copy() if a.ndim == 0 else _logcumsumexp_kernel(a, d)
    value = contiguous(value)
    if out is not None:
        return write_out("logcumsumexp", out, value, self._dtype, (self,))
    r = make(value, self._dtype, self._device)
    if needs_grad(self):
        saved = {"self": self, "result": r, "dim": d}
        record("LogcumsumexpBackward0", (self,), (formula(_logcumsumexp_back),), saved, r)
    return r


# -- diff, trapezoid -----------------------------------------------------------------------------------------
@register("diff")
def diff(self, n=1, dim=-1, prepend=None, append=None, *, out=None):
    """torch's diff: prepend and append concatenated, then narrow(1:) - narrow(:-1) (xor for bool), n times
    (n clipped to the size).  n = 0 copies the input (without prepend and append)."""
    from .._creation import zeros_like
    from .shape import cat

    if self._a.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = wrap_dim(dim, self._a.ndim)
    if n == 0:
        if out is None:
            return zeros_like(self).copy_(self)
        if out._a.shape != self._a.shape:  # an explicit resize_ (contiguous), then copy_
            out._a, out._storage, out._base = np.empty(self._a.shape, out._dtype.np), None, None
            bump_version(out)
        return out.copy_(self)
    x = self if prepend is None and append is None else cat([t for t in (prepend, self, append) if t is not None], d)
    n = min(n, x._a.shape[d])
    if out is not None:  # the out= helper: n - 1 steps, then the last one written into out
        length = x._a.shape[d] - n
        previous = _diff_steps(x, n - 1, d) if n > 1 else x
        with no_grad():
            last = _diff_step(previous, d, length)
        check_out_grad("logical_xor" if x._dtype is _dtypes.bool_ else "sub", out, (previous,))
        return write_out("diff", out, last._a, last._dtype, (self,))
    return _diff_steps(x, n, d)


def _diff_step(x: Tensor, d: int, length: int) -> Tensor:
    later, earlier = x.narrow(d, 1, length), x.narrow(d, 0, length)
    return later.logical_xor(earlier) if x._dtype is _dtypes.bool_ else later - earlier


def _diff_steps(x: Tensor, n: int, d: int) -> Tensor:
    length = x._a.shape[d] - 1
    for _ in range(n):
        x = _diff_step(x, d, length)
        length -= 1
    return x


def _zeros_except(y: Tensor, d: int) -> Tensor:
    from .._creation import zeros

    return zeros(*[n for i, n in enumerate(y._a.shape) if i != d], dtype=y._dtype, device=y._device)


def _sample_spacing(y: Tensor, x: Tensor, d: int, name: str = "trapezoid") -> Tensor:
    """x viewed against y (a 1-D x along dim, a shorter x padded with leading 1s) and differenced along d."""
    if x._a.ndim == 1:
        if x._a.shape[0] != y._a.shape[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        x = x.view([x._a.shape[0] if i == d else 1 for i in range(y._a.ndim)])
    elif x._a.ndim < y._a.ndim:
        x = x.view((1,) * (y._a.ndim - x._a.ndim) + x._a.shape)
    size = x._a.shape[d]
    return x.narrow(d, 1, max(size - 1, 0)) - x.narrow(d, 0, max(size - 1, 0))


def _pairs(y: Tensor, d: int) -> Tensor:
    size = y._a.shape[d]
    return y.narrow(d, 0, size - 1) + y.narrow(d, 1, size - 1)


def _by_scalar(t: Tensor, node: str) -> Tensor:
    """torch's C++ composite multiplies (divides) by a double: the (Tensor, Scalar) overload's node."""
    from .binary import _rename_node

    if t._fn is not None:
        _rename_node(t, node)
    return t


_TRAPEZOID_SIGNATURES = ("Tensor y, Tensor x, *, int dim = -1", "Tensor y, *, Number dx = 1, int dim = -1")
_TRAPZ_SIGNATURES = ("Tensor y, *, float dx = 1, int dim = -1", "Tensor y, Tensor x, *, int dim = -1")


def _spacing_args(name: str, y, args: tuple, kwargs: dict, signatures: tuple) -> tuple:
    """(x, dx, dim) as torch's parser takes them: sample points x (a tensor, positional or by name) or a
    keyword spacing dx, not both."""
    x = args[0] if args else kwargs.get("x")
    dx, dim = kwargs.get("dx"), kwargs.get("dim", -1)
    known = set(kwargs) <= {"x", "dx", "dim"} and len(args) + ("x" in kwargs) <= 1
    if not known or ("x" in kwargs or args) and (not isinstance(x, Tensor) or dx is not None):
        raise invalid_arguments(name, (y, *args), kwargs, signatures)
    return x, (1 if dx is None else dx), dim


def trapezoid(y, *args, **kwargs):
    """The trapezoidal rule along dim as torch composes it: with sample points x,
    (dx * (y[:-1] + y[1:])).sum(dim) / 2; with a spacing, (y.sum(dim) - (y[0] + y[-1]) * 0.5) * dx."""
    return _trapezoid(y, *_spacing_args("trapezoid", y, args, kwargs, _TRAPEZOID_SIGNATURES))


def trapz(y, *args, **kwargs):
    return _trapezoid(y, *_spacing_args("trapz", y, args, kwargs, _TRAPZ_SIGNATURES))


def _trapezoid(y, x, dx, dim):
    if isinstance(x, Tensor) and not y._a.ndim:  # dim is wrapped first; then a 1-d x is sized against y's dim
        wrap_dim(dim, 0)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = wrap_dim(dim, y._a.ndim, scalar_ok=False)
    if y._a.shape[d] == 0:
        return _zeros_except(y, d)
    if y._dtype is _dtypes.bool_ or (isinstance(x, Tensor) and x._dtype is _dtypes.bool_):
        raise RuntimeError("trapezoid: received a bool input for `x` or `y`, but bool is not supported")
    if isinstance(x, Tensor):
        return _by_scalar((_pairs(y, d) * _sample_spacing(y, x, d)).sum(d) / 2.0, "DivBackward1")
    ends = _by_scalar((y.select(d, 0) + y.select(d, -1)) * 0.5, "MulBackward1")
    return _by_scalar((y.sum(d) - ends) * dx, "MulBackward1")


def cumulative_trapezoid(y, *args, **kwargs):
    x, dx, dim = _spacing_args("cumulative_trapezoid", y, args, kwargs, _TRAPEZOID_SIGNATURES)
    if y._a.ndim == 0:
        if isinstance(x, Tensor):  # dim is wrapped first; then a 1-d x is sized against y's dim
            d = wrap_dim(dim, 0)
            if x._a.ndim == 1:
                raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, y._a.ndim)
    if y._a.shape[d] == 0:
        return y.narrow(d, 0, 0).clone()
    if y._dtype is _dtypes.bool_ or (isinstance(x, Tensor) and x._dtype is _dtypes.bool_):
        raise RuntimeError("cumulative_trapezoid: received a bool input for `x` or `y`, but bool is not supported")
    if isinstance(x, Tensor):
        spacing = _sample_spacing(y, x, d, "cumulative_trapezoid")
        return _by_scalar((_pairs(y, d) * spacing).cumsum(d) / 2.0, "DivBackward1")
    return _by_scalar(dx / 2.0 * _pairs(y, d), "MulBackward1").cumsum(d)


# -- histograms and counts ------------------------------------------------------------------------------------
@register("histc")
def histc(self, bins=100, min=0, max=0, *, out=None):
    if bins <= 0:
        raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
    if min > max:
        raise RuntimeError("torch.histc: max must be larger than min")
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("linspace_cpu", self._dtype)
    a = self._a.astype(np.float64)
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(np.min(a)), float(np.max(a))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if self._dtype.category != FLOAT:  # the widened range is held in the input's own type first
        to_stored_scalar(lo, self._dtype)
        to_stored_scalar(hi, self._dtype)
        raise not_implemented_for("histogram_cpu", self._dtype)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc(): range of [{lo:g}, {hi:g}] is not finite")
    for edge in (lo, hi):  # linspace's bin edges are held in the input's type
        to_stored_scalar(edge, self._dtype)
    # torch's edges: linspace(lo, hi) in the input's type, whose ends bound the values counted
    from .._creation import linspace

    edges = linspace(lo, hi, bins + 1, dtype=self._dtype)._a
    values = self._a
    inside = values[(values >= edges[0]) & (values <= edges[-1])]
    if edges[-1] == edges[0]:  # a range that the type rounds to one point: torch counts it in bin 0 (measured)
        pos = np.zeros(inside.size, np.int64)
    else:
        pos = _linear_bins(inside, edges)
    counts = np.bincount(pos, minlength=bins).astype(self._dtype.np)
    if out is not None:
        return write_out("histc", out, counts, self._dtype, (self,))
    return make(counts, self._dtype, self._device)


def _linear_bins(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """histc's bins (histogramdd's LINEAR_INTERPOLATION, no search among the edges): (x - first) * bins /
    (last - first) computed in the input's type and truncated; a value on the last edge goes to the last bin."""
    n_edges = edges.size
    with quiet_numpy():
        estimate = (values - edges[0]) * edges.dtype.type(n_edges - 1) / (edges[-1] - edges[0])
    pos = estimate.astype(np.int64)
    return np.where(pos == n_edges - 1, pos - 1, pos)


_histogram_type = make_return_type("histogram", ("hist", "bin_edges"))


def _check_histogram_dtype(input, range) -> None:
    """A count of bins over a non-empty input without a range goes through histogramdd (float32/64 only);
    otherwise the bin edges come first (linspace, which bool lacks; the range held in the input's type),
    then histogram's kernel (floats only)."""
    if input._dtype in (_dtypes.float32, _dtypes.float64):
        return
    if range is None and input._a.size:
        raise not_implemented_for("histogramdd", input._dtype)
    if input._dtype is _dtypes.bool_:
        raise not_implemented_for("linspace_cpu", input._dtype)
    if input._dtype.category < FLOAT:
        for edge in range or (0, 1):
            to_stored_scalar(edge, input._dtype)
        raise not_implemented_for("histogram_cpu", input._dtype)


def _check_bin_edges(input: Tensor, bins: Tensor) -> None:
    """histogramdd_check_inputs on a tensor of bin edges, in its order."""
    if bins._dtype is not input._dtype:
        raise RuntimeError(
            "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with dtype "
            f"{input._dtype._cpp_name} and bins for dimension 0 with dtype {bins._dtype._cpp_name}"
        )
    if bins._a.ndim != 1:
        raise RuntimeError(
            f"torch.histogramdd: bins tensor should have one dimension, but got {bins._a.ndim} dimensions in the bins "
            "tensor for dimension 0"
        )
    if bins._a.size == 0:
        raise RuntimeError(
            "torch.histogramdd: bins tensor should have at least 1 element, but got 0 elements in the bins tensor "
            "for dimension 0"
        )
    if bins._a.size == 1:
        raise RuntimeError("torch.histogram(): bins must be > 0, but got 0 for dimension 0")


def _histogram_unsorted(a: np.ndarray, edges: np.ndarray, w) -> np.ndarray:
    """torch's kernel over edges that do not increase: an element counts where it lies between the first and
    the last edge, in the bin std::upper_bound finds (the last edge closing the last bin)."""
    flat = a.reshape(-1)
    keep = (flat >= edges[0]) & (flat <= edges[-1])
    pos = np.array([np.searchsorted(edges, v, side="right") for v in flat[keep]], np.int64) - 1
    pos[pos == len(edges) - 1] -= 1
    weights = None if w is None else w.reshape(-1)[keep]
    return np.bincount(pos, weights, minlength=len(edges) - 1)[: len(edges) - 1]


def _first_extreme(a: np.ndarray, extreme) -> float:
    """histogram's range end: aminmax over dim 0, whose kernel keeps the first of equal extremes (so the
    first zero's sign where the extreme is a zero)."""
    value = float(extreme(a))
    return float(a.reshape(-1)[np.argmax(a.reshape(-1) == 0)]) if value == 0 else value


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    if isinstance(bins, Tensor):
        _check_bin_edges(input, bins)
    _check_histogram_dtype(input, range)
    a = input._a
    w = None if weight is None else weight._a
    if isinstance(bins, Tensor):
        edges = bins._a
    else:  # torch's edges: linspace in the input's dtype over the range (the data's, widened by 1/2 if flat)
        from .._creation import linspace

        lo, hi = (
            range
            if range is not None
            else ((_first_extreme(a, np.min), _first_extreme(a, np.max)) if a.size else (0.0, 1.0))
        )
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = linspace(lo, hi, bins + 1, dtype=input._dtype)._a.astype(np.float64)
        range = None
    with quiet_numpy(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if np.all(np.diff(edges) >= 0):
            hist, bin_edges = np.histogram(a, bins=edges, range=range, weights=w, density=density)
        else:  # (NumPy refuses edges that decrease; torch counts as its binary search falls)
            hist, bin_edges = _histogram_unsorted(a, edges, w), edges
            if density:
                hist = hist / (hist.sum() * np.diff(edges))
    h = make(contiguous(hist.astype(input._dtype.np)), input._dtype, input._device)
    e = make(contiguous(bin_edges.astype(input._dtype.np)), input._dtype, input._device)
    return _histogram_type((h, e))


def bincount(input, weights=None, minlength=0):
    if input._dtype.category != _dtypes.INT or input._dtype is _dtypes.bool_:
        raise not_implemented_for("bincount_cpu", input._dtype)
    if input._a.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if input._a.size and input._a.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None
    dtype = _dtypes.int64
    if weights is not None:
        if weights._a.shape != input._a.shape:
            raise RuntimeError("weights should be 1-d and have the same length as input")
        w = weights._a.astype(np.float64)
        dtype = weights._dtype if weights._dtype in (_dtypes.float32, _dtypes.float64) else _dtypes.float64
    counts = np.bincount(input._a, weights=w, minlength=minlength)
    return make(contiguous(counts.astype(dtype.np)), dtype, input._device)


register("bincount")(bincount)


# -- cov, corrcoef, dist, renorm --------------------------------------------------------------------------
def cov(input, *, correction=1, fweights=None, aweights=None):
    """torch's Correlation.cpp: variables in rows, observations in columns; a weighted mean, the centred
    product x w x^H, and the normalisation (zeroed, with torch's warning, where it is not positive)."""
    from .._creation import scalar_tensor
    from .._errors import warn_internal

    if input._a.ndim > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {input._a.ndim} dimensions"
        )
    if input._dtype is _dtypes.bool_:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input if input._a.ndim == 2 else input.view(1, -1)
    observations = x._a.shape[1]
    w = None
    for name, weights in (("fweights", fweights), ("aweights", aweights)):
        if weights is None:
            continue
        if weights._a.ndim > 1:
            raise RuntimeError(
                f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
                f"{weights._a.ndim} dimensions"
            )
        w = weights if w is None else w * weights
    w_sum = w.sum() if w is not None else scalar_tensor(observations, dtype=_dtypes.int64)
    avg = (x * w if w is not None else x).sum(1) / w_sum
    if w is not None and aweights is not None and correction != 0:
        norm_factor = w_sum - correction * (w * aweights).sum() / w_sum
    else:
        norm_factor = w_sum - correction
    if bool(norm_factor <= 0):
        warn_internal(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations.",
            "aten/src/ATen/native/Correlation.cpp:129",
        )
        norm_factor = norm_factor * 0
    centred = x - avg.unsqueeze(1)
    c = centred.mm((centred * w if w is not None else centred).t().conj())
    return c.true_divide(norm_factor).squeeze()


def corrcoef(input):
    from .conversions import complex_

    if input._a.ndim > 2:
        raise RuntimeError(
            f"corrcoef(): expected input to have two or fewer dimensions but got an input with {input._a.ndim} "
            "dimensions"
        )
    c = cov(input)
    if c._a.ndim == 0:
        return c / c  # NaN for a variance of 0, inf or NaN, else 1
    d = c.diagonal()
    stddev = (d.real if d._dtype.category == COMPLEX else d).sqrt()
    c = c / stddev.view(-1, 1)
    c = c / stddev.view(1, -1)
    if c._dtype.category == COMPLEX:
        return complex_(c.real.clip(-1, 1), c.imag.clip(-1, 1))
    return c.clip(-1, 1)


@register("dist")
def dist(self, other, p=2):
    from .reductions import vector_norm

    with no_grad():
        difference = self - other
        r = vector_norm(difference, p)
    if needs_grad(self, other):
        saved = {"self": self, "other": other, "p": p, "result": r}
        record("DistBackward0", (self, other), _DIST, saved, r)
    return r


def _dist_self_back(F, g, self, other, p, result):
    from .reductions import _norm_back

    d = self - other
    return _norm_back(F, g, d, result, tuple(d.shape), None, False, p)


_DIST = (
    formula(_dist_self_back),
    formula(lambda F, g, self, other, p, result: -_dist_self_back(F, g, self, other, p, result)),
)


def _renorm_back(F, g, self, p, dims, maxnorm, norm):
    """torch's renorm_backward: the factor's own dependence on self enters through the norm's gradient."""
    from .reductions import _norm_back

    summed = F.sum(self * g, dims, True)
    through_norm = _norm_back(F, summed, self, norm, tuple(self.shape), dims, True, p)
    inverse = 1 / (norm + 1e-7)
    factor = inverse * maxnorm
    return F.where(norm > maxnorm, factor * g - factor * inverse * through_norm, g)


def renorm(self, p, dim, maxnorm, *, out=None):
    """Each slice along dim whose p-norm (in the accumulate type) passes maxnorm scaled to maxnorm / (norm +
    1e-7)."""
    from .reductions import vector_norm

    if self._a.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {self._a.ndim} dimensions")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    d = wrap_dim(dim, self._a.ndim)
    dims = tuple(i for i in range(self._a.ndim) if i != d)
    acc = _dtypes.float64 if self._dtype in (_dtypes.float32, _dtypes.float64) else _dtypes.float32
    with no_grad(), quiet_numpy():
        norm = vector_norm(self, p, dims, True, dtype=acc)
        factor = np.where(norm._a > maxnorm, maxnorm / (norm._a + 1e-7), 1.0).astype(self._dtype.np)
        value = contiguous(self._a * factor)
    if out is not None:
        return write_out("renorm", out, value, self._dtype, (self,))
    r = make(value, self._dtype, self._device)
    if needs_grad(self):
        with quiet_numpy():  # (a half norm past 65504 is inf, silently, as torch's cast)
            norm_value = norm._a.astype(self._dtype.np)
        saved = {"self": self, "p": p, "dims": dims, "maxnorm": maxnorm, "norm": norm_value}
        record("RenormBackward0", (self,), (formula(_renorm_back),), saved, r)
    return r


def _renorm_(self, p, dim, maxnorm):
    """renorm(out=self): autograd's checks, then renorm's own (dims, p, maxnorm), then the write's overlap."""
    from .._dispatch import check_inplace, check_overlap
    from .elementwise import write_inplace

    check_inplace(self, overlap=False)
    with no_grad():
        value = renorm(self, p, dim, maxnorm)
    check_overlap(self)
    return write_inplace(None, (), self, value._a, (self,))


register("renorm", inplace=_renorm_)(renorm)


register("cov")(cov)
register("corrcoef")(corrcoef)
register("histogram")(histogram)
FUNCTIONS = {
    "std_mean": std_mean,
    "var_mean": var_mean,
    "trapezoid": trapezoid,
    "trapz": trapz,
    "cumulative_trapezoid": cumulative_trapezoid,
}


# -- quantile, nanquantile ------------------------------------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(name, self, q, dim, keepdim, interpolation, out, ignore_nan):
    """torch's quantile_impl: sort (the dim moved last), ranks from q, gather below (and above), lerp.  Its
    checks name quantile() for nanquantile too."""
    name = "quantile"
    from .._creation import full_like, scalar_tensor

    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest. Got {interpolation}"
        )
    scalar_q = not isinstance(q, Tensor)
    if scalar_q:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        q = scalar_tensor(float(q), dtype=self._dtype)
    if self._a.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if q._a.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if self._dtype not in (_dtypes.float32, _dtypes.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if q._dtype is not self._dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    if not bool(((q >= 0) & (q <= 1)).all()):
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    # the output shape: q's size first, then the reduced shape
    if dim is not None and self._a.ndim:
        d = wrap_dim(dim, self._a.ndim)
        out_shape = list(self._a.shape)
        if keepdim:
            out_shape[d] = 1
        else:
            del out_shape[d]
    else:
        if dim is not None:
            wrap_dim(dim, self._a.ndim)
        out_shape = [1] * self._a.ndim if keepdim else []
    if dim is None:
        ordered = self.flatten().sort()[0]
    else:
        ordered = self.unsqueeze(-1).transpose(wrap_dim(dim, self._a.ndim), -1).sort()[0]
    # viewed as (*, n): the output shape (q's count first, dropped here) with the sorted dim last
    in_shape = [*out_shape, ordered._a.shape[-1]]
    ordered = ordered.view(in_shape)
    with no_grad():
        if ignore_nan:
            ranks = q * ((~ordered.isnan()).sum(-1, True) - 1)
            ranks.masked_fill_(ranks < 0, 0)
        else:
            last = ordered._a.shape[-1] - 1
            q_scaled, any_nan = _broadcast_pair(q * last, ordered.isnan().any(-1, True))
            ranks = q_scaled.masked_fill(any_nan, last)
        if interpolation == "lower":
            ranks.floor_()
        elif interpolation == "higher":
            ranks.ceil_()
        elif interpolation == "nearest":
            ranks.round_()
        below = ranks.long()
    values = ordered.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        with no_grad():
            weights = full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
            above = ranks.ceil_().long()
        values.lerp_(ordered.gather(-1, above), weights)
    if q._a.ndim == 0:
        values.squeeze_(-1)
    else:
        values.unsqueeze_(0).transpose_(0, -1).squeeze_(-1)
    if out is not None:
        check_out_grad(name, out, (self,))
        return write_out(name, out, values._a, values._dtype, (self,))
    return values


def _broadcast_pair(a, b):
    from .arrangement import broadcast_tensors

    return broadcast_tensors(a, b)


@register("quantile")
def quantile(self, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    return _quantile("quantile", self, q, dim, keepdim, interpolation, out, ignore_nan=False)


@register("nanquantile")
def nanquantile(self, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    return _quantile("nanquantile", self, q, dim, keepdim, interpolation, out, ignore_nan=True)
