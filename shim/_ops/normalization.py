"""Normalisation: native_batch_norm (batch statistics or running ones, running statistics updated in place),
native_layer_norm and native_group_norm, recorded as NativeBatchNormBackward0, NativeLayerNormBackward0 and
NativeGroupNormBackward0.

Each normalises x over some axes: mean and rstd = 1 / sqrt(biased variance + eps) per group of elements,
then x_hat * weight + bias per feature.  On float32 these follow torch's CPU kernels bit for bit:
batch_norm of a contiguous input (`_float_batch_norm`; its training backward where an image has several
elements: `_batch_norm_sum`), layer_norm and group_norm's forward (RowwiseMoments).  Otherwise the
statistics are accumulated in double (torch's acc_type on the CPU is double for float), so values agree with torch's
vectorised kernels within its tolerance, not bit for bit.  The derivatives are written against `F`:
rstd * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) for batch statistics, rstd * g_hat for fixed
ones, with g_hat = g * weight."""

from __future__ import annotations

import math

import numpy as np

from .._cpu.cascade_sum import _in_order
from .._cpu.fma import fma32, fused_running_sum
from .._cpu.moments import rowwise_moments
from .._cpu.threads import get_num_threads, parallel_chunks
from .._dispatch import check_argument_devices, check_same_device, needs_grad, quiet_numpy, record
from .._dtypes import FLOAT
from .._errors import not_implemented_for, shape_str
from .._tensor import Tensor, make
from .elementwise import formula

__all__ = ["batch_norm", "layer_norm", "group_norm"]

_F32 = np.float32
_ONE_VECTOR = 16  # floats in an AVX512 vector
_AVX2_LANES = 8


def _moments(x: np.ndarray, axes: tuple, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: mean, biased variance and rstd, accumulated in double, kept as x's dtype (keepdims)."""
    wide = x.astype(np.float64)
    mean = wide.mean(axis=axes, keepdims=True)
    var = np.square(wide - mean).mean(axis=axes, keepdims=True)
    with quiet_numpy():
        rstd = 1.0 / np.sqrt(var + eps)
    return mean, var, rstd


# -- derivatives, shared: x viewed as `view`, statistics over `axes`, parameters broadcast as `shape` --------
def _x_hat(F, input, mean, rstd, view):
    return (F.reshape(input, view) - F.array(mean)) * F.array(rstd)


def _float_kernel(g, kernel) -> bool:
    """Whether a backward kernel of torch's is modelled for this gradient (`kernel`: "batch_norm" for a
    contiguous float32 input, "layer_norm" for a float32 one), a contiguous gradient, the formulas run on
    arrays (not create_graph's tensors)."""
    return kernel and isinstance(g, np.ndarray) and g.dtype == np.float32 and g.flags.c_contiguous


def _reduce_all(v: np.ndarray, fused: np.ndarray | None = None) -> np.ndarray:
    """vec::reduce_all (+) over the last axis of float32 `v`, vectors of 8 (measured: the AVX2 kernel runs):
    a row shorter than a vector is added lane by lane; else the vectors are added lane-wise in turn, the
    elements after the last whole vector into the first lanes, and the lanes folded by the shuffle tree
    ((0+4) + (2+6)) + ((1+5) + (3+7)).  `fused` = (a, b): the tail is added as fma(a, b, lanes) instead, as
    map2_reduce_all's contracted (x - mean) * dy + acc."""
    size = v.shape[-1]
    if size < _AVX2_LANES:  # (from the first element, not from +0)
        return np.add.accumulate(v, axis=-1)[..., -1]
    whole = size - size % _AVX2_LANES
    # from the first vector (numpy's reduce starts from +0, which turns a sum of -0s into +0; -0 is exact)
    lanes = np.add.reduce(v[..., :whole].reshape(*v.shape[:-1], -1, _AVX2_LANES), axis=-2, initial=-0.0)
    tail = size - whole
    if tail:
        if fused is None:
            lanes[..., :tail] += v[..., whole:]
        else:
            a, b = fused
            lanes[..., :tail] = fma32(a[..., whole:], b[..., whole:], lanes[..., :tail])
    half = lanes[..., :4] + lanes[..., 4:]
    quarter = half[..., :2] + half[..., 2:]
    return quarter[..., 0] + quarter[..., 1]


def _batch_norm_sum(g: np.ndarray, centred: np.ndarray | None = None) -> np.ndarray:
    """The backward kernel's sum per channel, in double, of dy (or, given `centred` = x - mean, of
    (x - mean) * dy); g, centred: (N, C, image).  Images of several elements
    (batch_norm_cpu_backward_contiguous_impl): each plane (n, c) reduced in float first, the planes added in
    double.  One element (channels last): each thread's float buffer of its rows (the products by fused
    multiply-adds), the buffers added in double and rounded to float."""
    if g.shape[2] == 1:
        g2, chunks = g[:, :, 0], parallel_chunks(g.shape[0], 1)
        products = None if centred is None else (centred[:, :, 0], g2)
        return _threads_sum(g2, chunks, products).astype(np.float32).astype(np.float64)
    planes = _reduce_all(g) if centred is None else _reduce_all(centred * g, (centred, g))
    return _from_zero(planes.astype(np.float64), 0)


def _channels(input: np.ndarray, *others: np.ndarray) -> tuple:
    """Arrays viewed as (N, C, image), as the batch-norm kernels walk them."""
    shape = (input.shape[0], input.shape[1], -1)
    return tuple(a.reshape(shape) for a in (input, *others))


def _batch_norm_input_grad(g, input, weight, mean, rstd, view, fixed):
    """Training: dx = (dy - sum(dy) / N - (x - mean) * k) * invstd * w, k = sum((x - mean) * dy) * invstd**2 /
    N.  Eval (`fixed`): dx = dy * invstd * w."""
    x, g3 = _channels(input, g)
    m, invstd = mean.reshape(1, -1, 1), rstd.reshape(1, -1, 1)
    if fixed:
        dx = g3 * invstd
        return dx * weight.reshape(1, -1, 1) if weight is not None else dx
    total, dot = _batch_norm_sum(g3), _batch_norm_sum(g3, x - m)
    count = _F32(x.shape[0] * x.shape[2])
    k = (dot.astype(_F32) * invstd[0, :, 0] * invstd[0, :, 0] / count).reshape(1, -1, 1)
    if x.shape[2] == 1:  # (channels last: the mean gradient divided in float)
        grad_mean = (total.astype(_F32) / count).reshape(1, -1, 1)
    else:
        grad_mean = (total / (x.shape[0] * x.shape[2])).astype(_F32).reshape(1, -1, 1)
    dx = fma32(-(x - m), k, g3 - grad_mean)
    if x.shape[2] == 1 and x.shape[1] % _AVX2_LANES:  # the channels after the last vector: not fused
        tail = x.shape[1] - x.shape[1] % _AVX2_LANES
        dx[:, tail:] = g3[:, tail:] - grad_mean[:, tail:] - (x[:, tail:] - m[:, tail:]) * k[:, tail:]
    dx = dx * invstd
    return dx * weight.reshape(1, -1, 1) if weight is not None else dx


def _batch_norm_weight_grad(g, input, mean, rstd, view):
    x, g3 = _channels(input, g)
    dot = _batch_norm_sum(g3, x - mean.reshape(1, -1, 1))
    if x.shape[2] == 1:  # (channels last: in float)
        return dot.astype(_F32) * rstd.reshape(-1)
    return (dot * rstd.reshape(-1).astype(np.float64)).astype(_F32)  # (in double, rounded once)


def _batch_norm_bias_grad(g, input, view):
    return _batch_norm_sum(_channels(input, g)[1]).astype(_F32)


def _layer_norm_input_grad(g, input, weight, mean, rstd, view, fixed) -> np.ndarray:
    """LayerNormBackwardKernelImpl's dX of rows x, dy (M, N), float32: ds = sum(dy * x * gamma) and db =
    sum(dy * gamma) by map_reduce_all (vectors of 8, the tail fused), b = (db * mean - ds) * rstd**3 / N,
    c = -b * mean - db * rstd / N, dX = rstd * dy * gamma + b * x + c; GCC's contractions as measured."""
    x, dy, gamma = input.reshape(view), g.reshape(view), None if weight is None else weight.reshape(-1)
    if gamma is None:
        ds, db = _reduce_all(dy * x, (dy, x)), _reduce_all(dy)
        scaled = rstd * dy
    else:
        gamma = np.broadcast_to(gamma, x.shape)
        weighted = dy * x
        ds, db = _reduce_all(weighted * gamma, (weighted, gamma)), _reduce_all(dy * gamma, (dy, gamma))
        scaled = (rstd * dy) * gamma
    mean, rstd = mean[:, 0], rstd[:, 0]
    scale = _F32(1) / _F32(x.shape[1])
    b = fma32(db, mean, -ds) * rstd * rstd * rstd * scale
    c = fma32(-b, mean, -(db * rstd * scale))
    return fma32(b[:, None], x, scaled) + c[:, None]


def _layer_norm_weight_grad(g, input, mean, rstd, view):
    """dgamma: each thread's float buffer of its rows by fused multiply-adds of dy and x * rstd - rstd * mean,
    the buffers added in float."""
    normalised = fma32(rstd, input.reshape(view), -(rstd * mean))
    dy = g.reshape(view)
    return _threads_sum(dy, parallel_chunks(view[0], 1), (dy, normalised), np.float32)


def _layer_norm_bias_grad(g, input, view):
    return _threads_sum(g.reshape(view), parallel_chunks(view[0], 1), None, np.float32)


# kernel -> its (input, weight, bias) gradients, each given what its formula reads
_KERNEL_GRADS = {
    "batch_norm": (_batch_norm_input_grad, _batch_norm_weight_grad, _batch_norm_bias_grad),
    "layer_norm": (_layer_norm_input_grad, _layer_norm_weight_grad, _layer_norm_bias_grad),
}


def _input_back(F, g, input, weight, mean, rstd, view, axes, shape, fixed, kernel):
    if _float_kernel(g, kernel):
        with quiet_numpy():
            return _KERNEL_GRADS[kernel][0](g, input, weight, mean, rstd, view, fixed).reshape(input.shape)
    g_hat = F.reshape(g, view)
    if weight is not None:
        g_hat = g_hat * F.reshape(weight, shape)
    if fixed:  # statistics that are constants (running ones): no gradient through them
        return F.reshape(g_hat * F.array(rstd), input.shape)
    count = math.prod(view[a] for a in axes)
    x_hat = _x_hat(F, input, mean, rstd, view)
    centred = g_hat - F.sum(g_hat, axes, True) / count - x_hat * (F.sum(g_hat * x_hat, axes, True) / count)
    return F.reshape(centred * F.array(rstd), input.shape)


def _weight_back(F, g, input, mean, rstd, view, param_axes, param_shape, kernel):
    if _float_kernel(g, kernel):
        with quiet_numpy():
            return _KERNEL_GRADS[kernel][1](g, input, mean, rstd, view).reshape(param_shape)
    x_hat = _x_hat(F, input, mean, rstd, view)
    return F.reshape(F.sum(F.reshape(g, view) * x_hat, param_axes, False), param_shape)


def _bias_back(F, g, input, view, param_axes, param_shape, kernel):
    if _float_kernel(g, kernel):
        return _KERNEL_GRADS[kernel][2](g, input, view).reshape(param_shape)
    return F.reshape(F.sum(F.reshape(g, view), param_axes, False), param_shape)


_FORMULAS = (formula(_input_back), formula(_weight_back), formula(_bias_back))


def _normalize(node, input, weight, bias, view, axes, shape, param_axes, mean, rstd, fixed, y=None, kernel=False):
    """x_hat * weight + bias, computed in double and rounded once (unless given: `y`), with the node
    recorded (`kernel`: "batch_norm" or "layer_norm" where that backward kernel is modelled for this input)."""
    if y is None:
        wide = (input._a.reshape(view).astype(np.float64) - mean) * rstd
        with quiet_numpy():
            for param, apply in ((weight, np.multiply), (bias, np.add)):
                if param is not None:
                    wide = apply(wide, param._a.astype(np.float64).reshape(shape))
            y = wide.astype(input._a.dtype).reshape(input.shape)
    r = make(np.ascontiguousarray(y), input._dtype, input._device)
    if needs_grad(input, weight, bias):
        dtype = input._a.dtype
        params = weight if weight is not None else bias
        saved = {
            "input": input, "weight": weight, "mean": mean.astype(dtype), "rstd": rstd.astype(dtype), "view": view,
            "axes": axes, "shape": shape, "fixed": fixed, "param_axes": param_axes, "kernel": kernel,
            "param_shape": params.shape if params is not None else None,
        }  # fmt: skip
        record(node, (input, weight, bias), _FORMULAS, saved, r)
    return r


def _check_float(name: str, input: Tensor) -> None:
    if input._dtype.category != FLOAT:
        raise not_implemented_for(name, input._dtype)


def _update(buffer: Tensor, value: np.ndarray) -> None:
    """The kernel writes the running statistics through their data (torch bumps no version)."""
    buffer._a[...] = value.astype(buffer._a.dtype)


# -- batch norm ------------------------------------------------------------------------------------------
def _from_zero(a: np.ndarray, axis: int) -> np.ndarray:
    """A C loop's sum along `axis`, from +0, in the dtype of `a` (cascade_sum's sequential sum, whose sum of
    only -0s becomes +0 here)."""
    return _in_order(a, axis) + a.dtype.type(0)


def _float_batch_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """batch_norm_cpu_collect_stats_kernel of a contiguous float32 input viewed (N, C, image): per channel
    the mean and the sum of squared deviations from it, both float.  Each sum is a double one, of floats."""
    n_batch, channels, image = x.shape
    count = n_batch * image
    if image > 1:
        # each channel's elements in turn (a column each: numpy adds the rows of a 2-d array one after
        # another, every channel at once, where adding along a row is a sequential accumulate); its squared
        # deviations are float products
        columns = np.ascontiguousarray(x.transpose(0, 2, 1)).reshape(count, channels)
        mean = (_from_zero(columns.astype(np.float64), 0) / count).astype(np.float32)
        deviations = columns - mean
        return mean, _from_zero((deviations * deviations).astype(np.float64), 0).astype(np.float32)
    # channels last (an image of one element): each thread adds its rows lane by lane into a float buffer,
    # the squared deviations by fused multiply-adds; the threads' buffers are added in double.  No more rows
    # than threads (measured): one buffer takes them all where the channels fit one AVX512 vector, else each
    # channel's rows are summed in double (a buffer per row: the same sums)
    x = x[:, :, 0]
    if n_batch > get_num_threads():
        chunks = parallel_chunks(n_batch, 1)
    else:
        chunks = [(0, n_batch)] if channels <= _ONE_VECTOR else [(i, i + 1) for i in range(n_batch)]
    mean = (_threads_sum(x, chunks) / count).astype(np.float32)
    deviations = x - mean
    return mean, _threads_sum(x, chunks, (deviations, deviations)).astype(np.float32)


def _threads_sum(rows: np.ndarray, chunks: list, products: tuple | None = None, total=np.float64) -> np.ndarray:
    """rows: (N, C) float32 -> per column, in `total`'s type: each thread's float buffer of its chunk of rows
    (the rows added lane-wise in turn from zero, or with `products` = (a, b) fma(a[i], b[i], buffer)), the
    buffers added in thread order: every thread's step-th row at once."""
    if products is None:
        buffers = _in_order(_per_thread(rows, chunks), 1)
    else:
        buffers = fused_running_sum(*(_per_thread(p, chunks).swapaxes(0, 1) for p in products))
    return _from_zero(buffers.astype(total), 0)


def _per_thread(rows: np.ndarray, chunks: list) -> np.ndarray:
    """rows (N, C) as (threads, steps, C): each thread's chunk of rows in turn (the first is the longest), a
    shorter chunk padded with zero rows, which leave a buffer as it is (+0 added, or fused as 0 * 0 + buffer)
    but for the sign of a zero, which the sum from +0 after them drops."""
    if not chunks:  # (no rows: every buffer stays zero)
        return np.zeros((0, 0, rows.shape[1]), rows.dtype)
    steps = chunks[0][1] - chunks[0][0]
    if steps * len(chunks) == rows.shape[0]:
        return rows.reshape(len(chunks), steps, rows.shape[1])
    padded = np.zeros((len(chunks), steps, rows.shape[1]), rows.dtype)
    for thread, (begin, end) in enumerate(chunks):
        padded[thread, : end - begin] = rows[begin:end]
    return padded


def _float_batch_norm(x: np.ndarray, weight, bias, running_mean, running_var, training: bool, momentum, eps):
    """torch's batch norm of a contiguous float32 input viewed (N, C, image): y, and the mean and invstd per
    channel that backward uses.  The statistics as _float_batch_stats, the variance rounded to float before
    invstd = 1 / sqrt(var + eps) in double; running statistics moved in float (the variance's by a fused
    multiply-add); then y = x * alpha + beta, alpha = invstd * weight and beta = bias - mean * alpha (both
    fused multiply-adds)."""
    f32 = np.float32
    with quiet_numpy():
        if training:
            mean, squares = _float_batch_stats(x)
            count = x.shape[0] * x.shape[2]
            var = (squares.astype(np.float64) / count).astype(f32)
            invstd = (1 / np.sqrt(var.astype(np.float64) + eps)).astype(f32)
            keep = f32(1) - f32(momentum)
            if running_mean is not None:
                running_mean._a[...] = f32(momentum) * mean + keep * running_mean._a
            if running_var is not None:
                unbiased = squares / f32(count - 1)
                running_var._a[...] = fma32(f32(momentum), unbiased, keep * running_var._a)
        else:
            mean = running_mean._a
            invstd = f32(1) / np.sqrt(running_var._a + f32(eps))
        alpha = invstd * weight._a if weight is not None else invstd
        beta = fma32(-mean, alpha, bias._a if bias is not None else f32(0))
        y = fma32(x, alpha[:, None], beta[:, None])
        if not training:  # (the backward kernel computes its invstd in double)
            invstd = (1 / np.sqrt(running_var._a.astype(np.float64) + eps)).astype(f32)
    return y, mean, invstd


def batch_norm(input, weight, bias, running_mean, running_var, training: bool, momentum: float, eps: float):
    """native_batch_norm: per channel (dim 1) over every other dim.  Training uses the batch's statistics and
    moves the running ones toward them (the variance unbiased); otherwise the running ones."""
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is None and not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    check_same_device([t for t in (input, weight, bias, running_mean, running_var) if t is not None])
    if input.numel() == 0:  # torch's shortcut for an empty input
        out = input.clone()
        out = out * weight[0] if weight is not None else out
        return out + bias[0] if bias is not None else out
    _check_float("batch_norm", input)
    view = input.shape
    axes = (0, *range(2, input.dim()))
    shape = (1, channels) + (1,) * (input.dim() - 2)
    others = (weight, bias, running_mean, running_var)
    if (
        input._a.dtype == np.float32
        and input._a.flags.c_contiguous
        and all(t is None or (t._a.dtype == np.float32 and t._a.ndim == 1) for t in others)
    ):
        x = input._a.reshape(input.shape[0], channels, -1)
        y, mean, rstd = _float_batch_norm(x, weight, bias, running_mean, running_var, training, momentum, eps)
        return _normalize(
            "NativeBatchNormBackward0", input, weight, bias, view, axes, shape, axes, mean.reshape(shape),
            rstd.reshape(shape), not training, y.reshape(input.shape), "batch_norm",
        )  # fmt: skip
    if training:
        mean, var, rstd = _moments(input._a, axes, eps)
        if running_mean is not None:  # momentum * batch + (1 - momentum) * running, in double, written in place
            count = input.numel() // channels
            with quiet_numpy():
                unbiased = var.reshape(-1) * (count / (count - 1))
            _update(running_mean, momentum * mean.reshape(-1) + (1 - momentum) * running_mean._a)
            _update(running_var, momentum * unbiased + (1 - momentum) * running_var._a)
    else:
        mean = running_mean._a.astype(np.float64).reshape(shape)
        with quiet_numpy():
            rstd = 1.0 / np.sqrt(running_var._a.astype(np.float64).reshape(shape) + eps)
    return _normalize(
        "NativeBatchNormBackward0", input, weight, bias, view, axes, shape, axes, mean, rstd, not training
    )


# -- layer norm ------------------------------------------------------------------------------------------
def layer_norm(input: Tensor, normalized_shape: tuple, weight, bias, eps: float) -> Tensor:
    if any(t is not None and t._device is not input._device for t in (weight, bias)):
        check_argument_devices("_native_layer_norm", "input", input, "weight", weight, "bias", bias)
    nd = len(normalized_shape)
    if nd == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")  # fmt: skip
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != tuple(normalized_shape):
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{shape_str(t.shape)} and normalized_shape = {shape_str(normalized_shape)}"
            )
    if input.dim() < nd or tuple(input.shape[input.dim() - nd :]) != tuple(normalized_shape):
        expected = shape_str(normalized_shape)
        raise RuntimeError(
            f"Given normalized_shape={expected}, expected input with shape [*, {expected[1:]}, but got input of "
            f"size{shape_str(input.shape)}"
        )
    _check_float("LayerNormKernelImpl", input)
    rows = math.prod(input.shape[: input.dim() - nd])
    view = (rows, math.prod(normalized_shape))
    y = None
    if input._a.dtype == np.float32 and all(t is None or t._a.dtype == np.float32 for t in (weight, bias)):
        # torch's kernel: RowwiseMoments, rstd = 1 / sqrt(var + eps) in float, y = (x - mean) * rstd * weight +
        # bias with the last two fused (measured)
        x = input._a.reshape(view)
        mean, var = rowwise_moments(x)
        with quiet_numpy():
            rstd = _F32(1) / np.sqrt(var + _F32(eps))
            mean, rstd = mean[:, None], rstd[:, None]
            gamma = weight._a.reshape(-1) if weight is not None else _F32(1)
            beta = bias._a.reshape(-1) if bias is not None else _F32(0)
            y = fma32((x - mean) * rstd, gamma, beta).reshape(input.shape)
    else:
        mean, _, rstd = _moments(input._a.reshape(view), (1,), eps)
    kernel = "layer_norm" if y is not None else False
    return _normalize(
        "NativeLayerNormBackward0", input, weight, bias, view, (1,), (1, view[1]), (0,), mean, rstd, False, y, kernel
    )


# -- group norm ------------------------------------------------------------------------------------------
def group_norm(input: Tensor, num_groups: int, weight, bias, eps: float) -> Tensor:
    channels = input.shape[1]
    if channels % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{shape_str(input.shape)} and num_groups={num_groups}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != channels):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in input, but got {name} "
                f"of shape {shape_str(t.shape)} and input of shape {shape_str(input.shape)}"
            )
    _check_float("GroupNormKernelImpl", input)
    n = input.shape[0]
    spatial = math.prod(input.shape[2:])
    view = (n, num_groups, channels // num_groups, spatial)
    shape = (1, num_groups, channels // num_groups, 1)
    y = None
    if (
        input._a.dtype == np.float32
        and input._a.flags.c_contiguous
        and all(t is None or t._a.dtype == np.float32 for t in (weight, bias))
    ):
        # torch's kernel: RowwiseMoments per group, rstd = 1 / sqrt(var + eps) in double; without parameters
        # y = (x - mean) * rstd, else y = x * scale + (beta - scale * mean) with scale = rstd * gamma, both fused
        x = input._a.reshape(view)
        mean, var = rowwise_moments(x.reshape(n * num_groups, -1))
        with quiet_numpy():
            rstd = (1 / np.sqrt(var.astype(np.float64) + eps)).astype(_F32)
            mean, rstd = mean.reshape(n, num_groups, 1, 1), rstd.reshape(n, num_groups, 1, 1)
            if weight is None and bias is None:
                y = (x - mean) * rstd
            else:
                scale = rstd * weight._a.reshape(shape) if weight is not None else rstd
                beta = bias._a.reshape(shape) if bias is not None else _F32(0)
                y = fma32(x, scale, fma32(-scale, mean, beta))
            y = y.reshape(input.shape)
    else:
        mean, _, rstd = _moments(input._a.reshape(view), (2, 3), eps)
    return _normalize(
        "NativeGroupNormBackward0", input, weight, bias, view, (2, 3), shape, (0, 3), mean, rstd, False, y
    )
