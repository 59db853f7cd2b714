"""softmax and log_softmax along a dim, as torch's CPU kernels compute them: the maximum subtracted, exp,
the sum, then a division (softmax) or the log of the sum subtracted (log_softmax), in float for half."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._dispatch import check_out_grad, needs_grad, quiet_numpy, record, write_out
from .._dtypes import FLOAT
from .._errors import not_implemented_for, wrap_dim
from .._fma import fma32, fma64
from .._layout import contiguous
from .._registry import register
from .._tensor import make
from .elementwise import formula, not_implemented_formula

__all__ = ["softmax", "log_softmax"]

_OPMATH = {np.float16: np.float32}


def _kernel(a: np.ndarray, d: int, log: bool) -> np.ndarray:
    if a.ndim == 0:  # one element: exp(x - x) / exp(x - x), NaN for an infinite or NaN x
        return _kernel(a.reshape(1), 0, log).reshape(())
    x = a.astype(_OPMATH.get(a.dtype.type, a.dtype.type))
    with quiet_numpy():
        m = np.max(x, axis=d, keepdims=True) if x.shape[d] else np.zeros_like(x.sum(axis=d, keepdims=True))
        shifted = x - m
        e = np.exp(shifted)
        total = np.sum(e, axis=d, keepdims=True)
        value = shifted - np.log(total) if log else e / total
        return value.astype(a.dtype)  # (past half's range: inf, as torch's conversion gives)


def _softmax_grad(F, g, y, dim):
    """torch's kernel: (g - dot) * y, dot = sum(g * y) along dim, in float for half (rounded once).  Along
    the last dim the products are reduced without a starting value (all -0 give -0; the order of the
    vectorised reduction is not modelled); along another dim dot is a chain of fused multiply-adds from +0,
    one step per element of dim (bit for bit)."""
    last = y.ndim == 0 or dim in (-1, y.ndim - 1)
    if not isinstance(y, np.ndarray):  # (a graph of tensors, for double backward)
        return (g - F.sum(g * y, (dim,), True)) * y
    if last:
        products = g * y
        dot = F.sum(products, (dim,), True)
        dot = np.where(np.all(np.signbit(products) & (products == 0), axis=dim, keepdims=True), -dot, dot)
    else:
        fma = fma32 if y.dtype == np.float32 else fma64
        gs, ys = np.moveaxis(g, dim, 0), np.moveaxis(y, dim, 0)
        dot = np.zeros(ys.shape[1:], y.dtype)
        for k in range(ys.shape[0]):
            dot = fma(gs[k], ys[k], dot)
        dot = np.expand_dims(dot, dim)
    return (g - dot) * y


_SOFTMAX_BACK = formula(lambda F, g, result, dim: F.fused(lambda g, y: _softmax_grad(F, g, y, dim), g, result))
_LOG_SOFTMAX_BACK = formula(lambda F, g, result, dim: g - F.exp(result) * F.sum(g, (dim,), True))


def _run(name, self, dim, dtype, out):
    if dim is None:
        raise TypeError(f'{name}() missing 1 required positional argument: "dim"')
    d = wrap_dim(dim, self._a.ndim)
    source = self if dtype is None else self.to(dtype)
    if source._a.size and (
        source._dtype.category < FLOAT or source._dtype.category == _dtypes.COMPLEX
    ):  # (an empty input returns before the kernel)
        kernel = "softmax_lastdim_kernel_impl" if name == "softmax" else "log_softmax_lastdim_kernel_impl"
        if source._a.ndim and wrap_dim(dim, source._a.ndim) != source._a.ndim - 1:
            kernel = "softmax_kernel_impl" if name == "softmax" else "log_softmax_kernel_impl"
        raise not_implemented_for(kernel, source._dtype)
    value = contiguous(_kernel(source._a, d, name == "log_softmax")) if source._a.size else source._a.copy()
    if out is not None:
        # softmax.out is differentiable in derivatives.yaml only through a not-implemented node: an input that
        # requires grad is let through, an out that requires grad is refused by the aten-level check
        check_out_grad(f"aten::{name}", out, ())
        r = write_out(name, out, value, source._dtype)
        if needs_grad(self):
            record("NotImplemented", (self,), (not_implemented_formula(name),), {}, r)
        return r
    if needs_grad(source) and source._dtype.category == _dtypes.COMPLEX:  # (an empty input reaches this)
        raise RuntimeError(f"_{name} does not support automatic differentiation for outputs with complex dtype.")
    r = make(value, source._dtype, self._device)
    if needs_grad(source):
        node, back = (
            ("SoftmaxBackward0", _SOFTMAX_BACK) if name == "softmax" else ("LogSoftmaxBackward0", _LOG_SOFTMAX_BACK)
        )
        record(node, (source,), (back,), {"result": r, "dim": d}, r)
    return r


@register("softmax")
def softmax(self, dim=None, dtype=None, *, out=None):
    return _run("softmax", self, dim, dtype, out)


@register("log_softmax")
def log_softmax(self, dim=None, dtype=None, *, out=None):
    return _run("log_softmax", self, dim, dtype, out)
