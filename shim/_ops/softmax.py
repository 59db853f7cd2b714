"""softmax and log_softmax along a dim, as torch's CPU kernels compute them: the maximum subtracted, exp,
the sum, then a division (softmax) or the log of the sum subtracted (log_softmax), in float for half."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._cpu.fma import fma32, fma64
from .._cpu.libm import glibc_exp, glibc_expf
from .._cpu.simd import vector_bytes
from .._cpu.sleef import expf, logf
from .._cpu.sleef_double import expd, logd
from .._cpu.threads import parallel_chunks
from .._dispatch import check_out_grad, needs_grad, quiet_numpy, record, write_out
from .._dtypes import FLOAT
from .._errors import not_implemented_for, wrap_dim
from .._layout import contiguous
from .._registry import register
from .._tensor import make
from .elementwise import formula, not_implemented_formula

__all__ = ["softmax", "log_softmax"]

_OPMATH = {np.float16: np.float32}
# the kernels' exp by the type they compute in: Vectorized<scalar_t>'s (Sleef's) and the scalar loop's (glibc's)
_VECTOR_EXP = {np.float32: expf, np.float64: expd}
_SCALAR_EXP = {np.float32: glibc_expf, np.float64: glibc_exp}
_VECTOR_LOG = {np.float32: logf, np.float64: logd}


def _kernel(a: np.ndarray, d: int, log: bool) -> np.ndarray:
    if a.ndim == 0:  # one element: exp(x - x) / exp(x - x), NaN for an infinite or NaN x
        return _kernel(a.reshape(1), 0, log).reshape(())
    x = a.astype(_OPMATH.get(a.dtype.type, a.dtype.type))
    with quiet_numpy():
        m = np.max(x, axis=d, keepdims=True) if x.shape[d] else np.zeros_like(x.sum(axis=d, keepdims=True))
        shifted = x - m
        if not log:  # (bit for bit)
            if d < a.ndim - 1:
                return _vec_softmax(shifted, d, a.dtype)
            if a.dtype == np.float16:
                return _half_softmax_lastdim(shifted)
            e = _VECTOR_EXP[a.dtype.type](shifted)  # _vec_softmax_lastdim
            return e * (1 / lane_sum(e)).astype(a.dtype)
        if a.dtype != np.float16 or d < a.ndim - 1:  # (bit for bit)
            return (shifted - _VECTOR_LOG[x.dtype.type](_exp_sums(shifted, d, a.dtype))).astype(a.dtype)
        # half along the last dim: in float, the row's sum of Sleef's exps stored as half, its log (Sleef's)
        # stored as half again, subtracted from x - max
        total = _half_row_sum(expf(shifted)).astype(np.float16).astype(np.float32)
        value = shifted - logf(total).astype(np.float16).astype(np.float32)
        return value.astype(a.dtype)  # (past half's range: inf, as torch's conversion gives)


def _vec_softmax(shifted: np.ndarray, d: int, dtype: np.dtype) -> np.ndarray:
    """_vec_softmax (a dim other than the last) for float, double and half, bit for bit.  The input is seen as
    (outer, dim, inner); at::parallel_for (grain 0) splits its outer x inner columns between torch's threads,
    and each thread takes, in every run of columns within one inner row and its own range, whole vectors of
    columns (Vectorized<scalar_t>'s width): Sleef's exp, the sum along dim, a division, rounded once.  The
    columns left over run one by one: the C library's exp, the same sum, and for half the exp stored as half
    before the division reads it back.  (Measured against torch 2.13 on AVX512 with 1 and 2 threads.)"""
    shape = shifted.shape
    outer, dim = int(np.prod(shape[:d])), shape[d]
    inner = shifted.size // (outer * dim)
    shifted = shifted.reshape(outer, dim, inner)
    vector = _vector_columns(outer, inner, vector_bytes() // np.dtype(dtype).itemsize).reshape(outer, 1, inner)
    vector_exp, scalar_exp = _VECTOR_EXP[shifted.dtype.type], _SCALAR_EXP[shifted.dtype.type]
    if vector.all() or not vector.any():
        e = (vector_exp if vector.all() else scalar_exp)(shifted)
    else:
        vector = np.broadcast_to(vector, shifted.shape)
        e = np.empty_like(shifted)
        e[vector], e[~vector] = vector_exp(shifted[vector]), scalar_exp(shifted[~vector])
    total = _running_sum(e)
    if dtype == np.float16:
        e = np.where(vector, e, e.astype(np.float16).astype(np.float32))
    return (e / total).astype(dtype).reshape(shape)


def _running_sum(e: np.ndarray) -> np.ndarray:
    """The sums of (outer, dim, inner) `e` along dim (kept), each column added in order from its first
    element: the vector lanes and the scalar loop of the kernels along a dim other than the last."""
    return np.add.accumulate(e, axis=1)[:, -1:]


def _split_exp(a: np.ndarray, whole: int) -> np.ndarray:
    """exp along a's last axis as a vector loop and its scalar tail compute it: Sleef's exp for the first
    `whole` elements, the C library's for the rest."""
    kind = a.dtype.type
    return np.concatenate([_VECTOR_EXP[kind](a[..., :whole]), _SCALAR_EXP[kind](a[..., whole:])], -1)


def _exp_sums(shifted: np.ndarray, d: int, dtype: np.dtype) -> np.ndarray:
    """The sums of exp along d (kept) as torch's log_softmax kernels form them in float or double: along the
    last dim (_vec_log_softmax_lastdim) Sleef's exp summed as vec::map_reduce_all sums (lane_sum); along
    another (_vec_logsoftmax) a running sum per column, Sleef's exp in the columns of whole vectors (of
    dtype's width: 32 halves on AVX512) and the C library's in the rest."""
    if d == shifted.ndim - 1:
        return lane_sum(_VECTOR_EXP[shifted.dtype.type](shifted))
    total = _running_sum(_columns_exp(shifted, d, vector_bytes() // np.dtype(dtype).itemsize))
    return total.reshape(shifted.shape[:d] + (1,) + shifted.shape[d + 1 :])


def _columns_exp(a: np.ndarray, d: int, step: int) -> np.ndarray:
    """exp of float or double `a` seen as (outer, dim, inner), as the kernels along a dim other than the last
    compute it: Sleef's exp in the inner columns of whole vectors of `step`, the C library's in the rest."""
    rows = a.reshape(int(np.prod(a.shape[:d])), a.shape[d], int(np.prod(a.shape[d + 1 :])))
    return _split_exp(rows, rows.shape[2] - rows.shape[2] % step)


def _half_softmax_lastdim(shifted: np.ndarray) -> np.ndarray:
    """_vec_softmax_lastdim for half, bit for bit (277,632 random elements): in float, Sleef's expf over the
    row's whole float vectors and the C library's over the rest, the vectors' sum folded (vec_reduce_all)
    before the rest is added in order, then each exp times 1 / sum, rounded once to half."""
    whole = shifted.shape[-1] - shifted.shape[-1] % (vector_bytes() // 4)
    e = _split_exp(shifted, whole)
    total = lane_sum(e[..., :whole])
    for k in range(whole, e.shape[-1]):
        total = total + e[..., k : k + 1]
    return (e * (np.float32(1) / total)).astype(np.float16)


def _vector_columns(outer: int, inner: int, step: int) -> np.ndarray:
    """Which of _vec_softmax's outer x inner columns its vector loop computes: in each piece of an inner row
    that one thread's range holds, the first whole multiple of `step` columns."""
    column = np.arange(outer * inner)
    row_start = column - column % inner
    vector = np.zeros(column.size, bool)
    for begin, end in parallel_chunks(column.size, grain=0):
        piece = slice(begin, end)
        start = np.maximum(row_start[piece], begin)
        stop = np.minimum(row_start[piece] + inner, end)
        vector[piece] = column[piece] - start < (stop - start) // step * step
    return vector


def _half_row_sum(e: np.ndarray) -> np.ndarray:
    """vec::map_reduce_all's sum of a Half row along the last axis (kept), `e` the mapped values in float: a
    row of a whole Vectorized<Half> or more in two float vectors, which are added and folded (lane_sum over
    twice float's lanes); a shorter row in its partial-vector branch: the lanes past one float vector added
    into its first ones, then the lanes summed in order."""
    halves = vector_bytes() // 2
    n, lanes = e.shape[-1], halves // 2
    if n >= halves:
        return lane_sum(e, halves)
    if n > lanes:
        e = np.concatenate((e[..., : n - lanes] + e[..., lanes:], e[..., n - lanes : lanes]), -1)
    return np.add.accumulate(e, axis=-1)[..., -1:]  # (vec_reduce_all over `size` lanes: a loop)


def lane_sum(v: np.ndarray, width: int | None = None) -> np.ndarray:
    """vec::reduce_all's sum along the last axis (kept): one vector accumulator over whole vectors of `width`
    elements (a Vectorized of v's dtype by default), the tail added into its first lanes, then the lanes
    folded in halves (float's shuffles) or added in order (double: vec_reduce_all's lane loop); a row shorter
    than a vector is summed in order.  (Softmax's kernels are built for AVX512 too: 16 float lanes on such a
    CPU.)"""
    width = width or vector_bytes() // v.itemsize
    n = v.shape[-1]
    if n == 0:
        return np.zeros(v.shape[:-1] + (1,), v.dtype)
    if n < width:  # (accumulate: in order, from the first element)
        return np.add.accumulate(v, axis=-1)[..., -1:]
    whole = n - n % width
    # the whole vectors added lane-wise in turn, from the first (a reduce along an axis that is not the
    # innermost adds its slices one by one)
    acc = np.add.reduce(v[..., :whole].reshape(*v.shape[:-1], -1, width), axis=-2)
    if n > whole:
        acc[..., : n - whole] += v[..., whole:]
    if v.dtype != np.float32:
        return np.add.accumulate(acc, axis=-1)[..., -1:]
    while acc.shape[-1] > 1:
        half = acc.shape[-1] // 2
        acc = acc[..., :half] + acc[..., half:]
    return acc


def _softmax_grad(F, g, y, dim, half: bool = False):
    """torch's kernel: (g - dot) * y, dot = sum(g * y) along dim, in float for half (rounded once).  Along
    the last dim the products are summed as vec::reduce_all sums (lane_sum; a Half row's as map2_reduce_all
    sums it, `half`: _half_row_sum); along another dim dot is a chain of fused multiply-adds from +0, one step
    per element of dim (bit for bit)."""
    last = y.ndim == 0 or dim in (-1, y.ndim - 1)
    if not isinstance(y, np.ndarray):  # (a graph of tensors, for double backward)
        return (g - F.sum(g * y, (dim,), True)) * y
    if last:
        products = g * y
        dot = (_half_row_sum if half else lane_sum)(products.reshape(1) if products.ndim == 0 else products).reshape(
            products.shape[:-1] + (1,) if products.ndim else ()
        )
    else:
        fma = fma32 if y.dtype == np.float32 else fma64
        gs, ys = np.moveaxis(g, dim, 0), np.moveaxis(y, dim, 0)
        dot = np.zeros(ys.shape[1:], y.dtype)
        for k in range(ys.shape[0]):
            dot = fma(gs[k], ys[k], dot)
        dot = np.expand_dims(dot, dim)
    return (g - dot) * y


_SOFTMAX_BACK = formula(
    lambda F, g, result, dim: F.fused(
        lambda g, y: _softmax_grad(F, g, y, dim, getattr(result, "dtype", None) == np.float16), g, result
    )
)


def _log_softmax_grad(F, g, y, dim):
    """torch's kernel: g - exp(y) * sum(g) along dim.  For float and double, exp is Sleef's
    (Vectorized<scalar_t>::exp) and the multiply-subtract is one fused step.  Along the last dim the sum is
    vec::reduce_all's (lane_sum); along another it is a running sum per column, and the columns past the
    whole vectors take the C library's exp (bit for bit on random draws, 51 shapes and dims)."""
    if not isinstance(y, np.ndarray) or y.dtype not in (np.float32, np.float64):
        return g - F.exp(y) * F.sum(g, (dim,), True)
    fma = fma32 if y.dtype == np.float32 else fma64
    if y.ndim == 0 or dim in (-1, y.ndim - 1):
        flat = g.reshape(1) if g.ndim == 0 else g
        return fma(-_VECTOR_EXP[y.dtype.type](y), lane_sum(flat).reshape(g.shape[:-1] + (1,) if g.ndim else ()), g)
    total = np.zeros(np.delete(g.shape, dim), g.dtype)
    for row in np.moveaxis(g, dim, 0):
        total = total + row
    e = _columns_exp(y, dim % y.ndim, vector_bytes() // y.itemsize).reshape(y.shape)
    return fma(-e, np.expand_dims(total, dim), g)


_LOG_SOFTMAX_BACK = formula(lambda F, g, result, dim: F.fused(lambda g, y: _log_softmax_grad(F, g, y, dim), g, result))


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
