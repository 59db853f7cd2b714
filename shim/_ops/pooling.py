"""Pooling: max_pool{2,3}d_with_indices, avg_pool{2,3}d, adaptive_avg_pool{2,3}d and adaptive_max_pool{2,3}d
(torch's 1-d forms are the 2-d ones on an unsqueezed input).

Every output element reads a window of input elements through a flat index map (-1 where the window falls in
the padding).  The maximum is torch's loop: a NaN wins (the last one), else the first strictly greatest value,
else (everything -inf, or the window all padding) where the window starts.  Averages sum the window in
row-major order in the accumulation type (float for half) and divide as torch's kernels do, so results are
bit for bit.  The
derivatives add each upstream element back through the map in output order, as torch's backward loops."""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import _dtypes
from .._dispatch import needs_grad, quiet_numpy, record
from .._errors import not_implemented_for, shape_str
from .._tensor import Tensor, make
from .elementwise import formula

__all__ = ["output_size", "max_pool", "avg_pool", "adaptive_avg_pool", "adaptive_max_pool"]

_AXES = {2: "HW", 3: "THW"}
# the dtypes each kernel is compiled for beyond float and double (its name in torch's error for the rest)
_KERNELS = {
    "max_pool2": ("max_pool2d", {"float16", "int8", "uint8", "int16", "int32", "int64"}),
    "max_pool3": ("max_pool3d", {"float16", "int8", "uint8", "int16", "int32", "int64"}),
    "avg_pool2": ("avg_pool2d", {"float16", "int64"}),
    "avg_pool3": ("avg_pool3d_out_frame", {"int64"}),
    "adaptive_avg2": ("adaptive_avg_pool2d", {"float16"}),
    "adaptive_avg3": ("adaptive_avg_pool3d_cpu", {"float16"}),
    "adaptive_max2": ("adaptive_max_pool2d", {"float16"}),
    "adaptive_max3": ("adaptive_max_pool3d_cpu", {"float16"}),
}


def _check_dtype(kernel: str, x: Tensor) -> None:
    name, extra = _KERNELS[kernel]
    if x._dtype not in (_dtypes.float32, _dtypes.float64) and str(x._dtype).split(".")[-1] not in extra:
        raise not_implemented_for(name, x._dtype)


# -- windows ---------------------------------------------------------------------------------------------
def output_size(size: int, kernel: int, pad: int, stride: int, dilation: int, ceil_mode: bool) -> int:
    """at::native::pooling_output_shape, with its two checks."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad > ((kernel - 1) * dilation + 1) // 2:
        raise RuntimeError(
            f"pad should be at most half of effective kernel size, but got pad={pad}, kernel_size={kernel} and "
            f"dilation={dilation}"
        )
    out = (size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _positions(out: int, kernel: int, stride: int, pad: int, dilation: int, size: int) -> np.ndarray:
    """(out, kernel): the input position each window element reads, -1 outside the input."""
    pos = np.arange(out)[:, None] * stride - pad + np.arange(kernel)[None, :] * dilation
    return np.where((pos >= 0) & (pos < size), pos, -1)


def _adaptive_positions(out: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Adaptive windows [floor(o*I/O), ceil((o+1)*I/O)), padded with -1 to the widest; and their widths."""
    o = np.arange(out)
    start, end = (o * size) // max(out, 1), ((o + 1) * size + out - 1) // max(out, 1)
    pos = start[:, None] + np.arange(int((end - start).max()) if out else 0)[None, :]
    return np.where(pos < end[:, None], pos, -1), end - start


def _flat_index(per_dim: list, sizes: tuple) -> np.ndarray:
    """Per-dim (out, k) positions combined into (prod(out), prod(k)) flat offsets, -1 where any is outside."""
    index = np.zeros((1, 1), np.int64)
    for pos, size in zip(per_dim, sizes):
        a, b = index[:, None, :, None], pos[None, :, None, :]
        combined = np.where((a < 0) | (b < 0), -1, a * size + b)
        index = combined.reshape(index.shape[0] * pos.shape[0], index.shape[1] * pos.shape[1])
    return index


def _planes(x: np.ndarray, nd: int) -> np.ndarray:
    return x.reshape(-1, math.prod(x.shape[x.ndim - nd :]))


def _gather(x: np.ndarray, nd: int, index: np.ndarray) -> np.ndarray:
    """(…, *S) -> (planes, outputs, window), 0 where the window is padding."""
    values = _planes(x, nd)[:, np.maximum(index, 0)]
    return np.where(index >= 0, values, values.dtype.type(0)) if (index < 0).any() else values


def _scatter_back(F, values, offsets, shape, nd: int):
    """values (planes, E) added at input offsets (planes, E) of their plane, in order; an offset of -1 (the
    padding) lands in an extra slot per plane that is dropped, as does one past the plane (a max pool's window
    all in the padding: torch's backward writes its gradient outside the plane, into the next plane or past
    its buffer)."""
    size = math.prod(shape[len(shape) - nd :])
    planes = offsets.shape[0]
    offsets = np.where((offsets < 0) | (offsets > size), size, offsets) + np.arange(planes)[:, None] * (size + 1)
    grad = F.index_add(F.new_zeros((planes * (size + 1),), values), offsets.reshape(-1), F.reshape(values, (-1,)))
    grad = F.getitem(F.reshape(grad, (planes, size + 1)), (slice(None), slice(0, size)))
    return F.contiguous(F.reshape(grad, shape))


def _result(x: Tensor, nd: int, values: np.ndarray, out: tuple, dtype=None) -> Tensor:
    shape = x.shape[: x.dim() - nd] + tuple(out)
    dtype = dtype or x._dtype
    return make(np.ascontiguousarray(values.reshape(shape).astype(dtype.np, copy=False)), dtype, x._device)


# -- maximum ---------------------------------------------------------------------------------------------
def _max_back(F, g, indices, shape, nd):
    return _scatter_back(F, F.reshape(g, indices.shape), indices, shape, nd)


def _max(node: str, x: Tensor, nd: int, index: np.ndarray, out: tuple, first=None) -> tuple[Tensor, Tensor]:
    """torch's loop over each window: the value starts at the lowest (-inf) and the offset at `first` (the
    window's start stepped past the padding); an element replaces them if greater, or if NaN.  Run for every
    window at once, one window element at a time: the running maximum only decides what replaces (numpy's
    maximum keeps NaN as torch's loop does, and which of two equal zeros it keeps does not matter there); the
    last element that replaced is counted in `step` (k + 1), and the values are read back by offset, bits and
    all."""
    planes = _planes(x._a, nd)
    dtype = planes.dtype
    lowest = dtype.type(-np.inf if dtype.kind == "f" else np.iinfo(dtype).min if dtype.kind in "iu" else False)
    # (window element, output, plane): each step reads one contiguous block (planes first: a row of outputs is
    # short, and numpy's loops pay per row)
    windows = np.take(np.ascontiguousarray(planes.T), np.maximum(index.T, 0), axis=0)
    if (index < 0).any():
        windows = np.where(index.T[..., None] >= 0, windows, lowest)
    best = np.full(windows.shape[1:], lowest, dtype)
    step = np.zeros(best.shape, np.int8 if index.shape[1] < 127 else np.int32)
    for k in range(index.shape[1]):
        v = windows[k]
        take = v > best
        if dtype.kind == "f":
            take |= np.isnan(v)
        np.maximum(best, v, out=best)
        np.maximum(step, take * step.dtype.type(k + 1), out=step)
    # each output's offset: step 0 (nothing replaced) keeps `first`, else window element step - 1's
    starts = index[:, :1] if first is None else np.reshape(first, (-1, 1))
    table = np.concatenate([np.broadcast_to(starts, (index.shape[0], 1)), index], axis=1)
    step = np.ascontiguousarray(step.T)  # (plane, output), as the results
    offsets = np.take(table.reshape(-1), step + np.arange(index.shape[0]) * table.shape[1])
    # (a window all in the padding keeps `first`, which may lie past its plane, as torch's index does)
    read = np.minimum(offsets, planes.shape[1] - 1) if step.size and not step.all() else offsets
    values = np.take(planes.reshape(-1), read + np.arange(planes.shape[0])[:, None] * planes.shape[1])
    if not step.all():
        values[step == 0] = lowest
    r = _result(x, nd, values, out)
    if needs_grad(x):
        saved = {"indices": offsets, "shape": x.shape, "nd": nd}
        record(node, (x,), (formula(_max_back),), saved, r)
    return r, _result(x, nd, offsets, out, _dtypes.int64)


def max_pool(x: Tensor, nd: int, kernel, stride, padding, dilation, ceil_mode: bool) -> tuple[Tensor, Tensor]:
    """max_pool{2,3}d_with_indices on an input of nd + 1 or nd + 2 dims."""
    spatial = x.shape[x.dim() - nd :]
    out = tuple(output_size(*args, ceil_mode) for args in zip(spatial, kernel, padding, stride, dilation))
    _pool_shape_check(x, nd, kernel, stride, dilation, out, "max_pool3d_with_indices_out_cpu_template")
    _check_dtype(f"max_pool{nd}", x)
    index, first = _max_windows(out, tuple(kernel), tuple(stride), tuple(padding), tuple(dilation), spatial)
    return _max(f"MaxPool{nd}DWithIndicesBackward0", x, nd, index, out, first)


@functools.lru_cache(maxsize=256)  # (a network pools the same shapes at every step)
def _max_windows(out: tuple, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, spatial: tuple) -> tuple:
    """max_pool's windows: each output's flat input offsets (-1 in the padding), and the offset each starts
    from (its window's start stepped past the padding); read-only."""
    per_dim = [_positions(*args) for args in zip(out, kernel, stride, padding, dilation, spatial)]
    first = np.zeros(1, np.int64)
    for o, s, p, d, n in zip(out, stride, padding, dilation, spatial):
        start = np.arange(o) * s - p
        start = np.where(start < 0, start + (-start + d - 1) // d * d, start)  # while (start < 0) start += d
        first = (first[:, None] * n + start[None, :]).reshape(-1)
    return _read_only(_flat_index(per_dim, spatial)), _read_only(first)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _pool_shape_check(x: Tensor, nd: int, kernel, stride, dilation, out, name: str = "") -> None:
    """pool2d_shape_check / pool3d_shape_check, in their order (the 3-d one names its caller; an average
    pool's window must fit in the unpadded input)."""
    for what, prefix, values in (
        ("kernel size", "k", kernel),
        ("stride", "d", stride),
        ("dilation", "dilation", dilation),
    ):
        if any(v <= 0 for v in values):
            got = " ".join(f"{prefix}{a}: {v}" for a, v in zip(_AXES[nd], values))
            raise RuntimeError(f"{what} should be greater than zero, but got {got}")
    if nd == 3:
        for i in range(x.dim() == 5, x.dim()):
            if x.shape[i] == 0:
                raise RuntimeError(
                    f"{name}(): Expected input's non-batch dimensions to have positive length, but input has a "
                    f"shape of {shape_str(x.shape)} and non-batch dimension 0 has length zero!"
                )
        spatial = x.shape[-3:]
        if name == "avg_pool3d" and any(s < k for s, k in zip(spatial, kernel)):
            raise RuntimeError(
                f"input image (T: {spatial[0]} H: {spatial[1]} W: {spatial[2]}) smaller than kernel size (kT: "
                f"{kernel[0]} kH: {kernel[1]} kW: {kernel[2]})"
            )
    elif any(s == 0 for s in x.shape[1:]):
        raise RuntimeError(
            f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for input, but "
            f"got:{shape_str(x.shape)}"
        )
    if any(o < 1 for o in out):
        size = "x".join(str(s) for s in x.shape[x.dim() - nd - 1 :])
        got = "x".join(str(s) for s in (x.shape[x.dim() - nd - 1], *out))
        raise RuntimeError(f"Given input size: ({size}). Calculated output size: ({got}). Output size is too small")


# -- average ---------------------------------------------------------------------------------------------
def _window_sum(values: np.ndarray, acc: np.dtype) -> np.ndarray:
    """sum = 0; sum += v in window order, in the accumulation type."""
    total = np.zeros(values.shape[:-1], acc)
    for k in range(values.shape[-1]):
        total += values[..., k]
    return total


def _divide(total: np.ndarray, divisor: np.ndarray) -> np.ndarray:
    if total.dtype.kind in "iu":  # C++ integer division truncates toward zero
        divisor = divisor.astype(total.dtype)
        q = total // divisor
        return q + ((q * divisor != total) & ((total < 0) != (divisor < 0)))
    return total / divisor.astype(total.dtype)


def _avg_back(F, g, index, divisors, shape, nd):
    for d in divisors:  # torch divides the upstream gradient as it divided the sum
        g = g / F.array(d)
    planes = math.prod(shape[: len(shape) - nd])
    outputs, window = index.shape
    spread = F.expand(F.reshape(g, (planes, outputs, 1)), (planes, outputs, window))
    return _scatter_back(
        F,
        F.reshape(spread, (planes, index.size)),
        np.broadcast_to(index.reshape(1, -1), (planes, index.size)),
        shape,
        nd,
    )


def _average(node, x: Tensor, nd: int, index: np.ndarray, out: tuple, divisors: list, acc, plus_zero=False) -> Tensor:
    with quiet_numpy():
        total = _window_sum(_gather(x._a, nd, index), acc)
        for d in divisors:
            total = _divide(total, d.reshape(-1))
        y = np.where((index >= 0).any(-1), total, 0).astype(x._a.dtype)
        if plus_zero:  # avg_pool's kernel gives +0 where the quotient rounds to -0 (measured)
            y = y + y.dtype.type(0)
    r = _result(x, nd, y, out)
    if needs_grad(x):
        shaped = [d.reshape(out).astype(x._dtype.np) for d in divisors]
        saved = {"index": index, "divisors": shaped, "shape": x.shape, "nd": nd}
        record(node, (x,), (formula(_avg_back),), saved, r)
    return r


def avg_pool(x: Tensor, nd: int, kernel, stride, padding, ceil_mode: bool, count_include_pad: bool, divisor_override):
    """avg_pool{2,3}d: the window's sum divided by its size (clipped to the padded input), by the number of
    input elements in it (count_include_pad=False) or by divisor_override."""
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    spatial = x.shape[x.dim() - nd :]
    ones = (1,) * nd
    out = tuple(output_size(*args, 1, ceil_mode) for args in zip(spatial, kernel, padding, stride))
    _pool_shape_check(x, nd, kernel, stride, ones, out, "avg_pool3d")
    _check_dtype(f"avg_pool{nd}", x)
    index, counts = _average_windows(
        out, tuple(kernel), tuple(stride), tuple(padding), spatial, count_include_pad, divisor_override
    )
    acc = np.dtype(np.float32) if x._dtype is _dtypes.float16 else x._dtype.np
    return _average(f"AvgPool{nd}DBackward0", x, nd, index, out, [counts], acc, plus_zero=True)


@functools.lru_cache(maxsize=256)
def _average_windows(out: tuple, kernel: tuple, stride: tuple, padding: tuple, spatial: tuple, include_pad, override):
    """avg_pool's windows (each output's flat input offsets, -1 in the padding) and each one's divisor: the
    override, the window clipped to the padded input, or the input elements in it; read-only."""
    per_dim = [_positions(*args) for args in zip(out, kernel, stride, padding, (1,) * len(out), spatial)]
    if override is not None:
        counts = np.full(math.prod(out), override)
    elif include_pad:
        starts = [np.arange(o) * s - p for o, s, p in zip(out, stride, padding)]
        counts = _outer([np.minimum(b + k, n + p) - b for b, k, n, p in zip(starts, kernel, spatial, padding)])
    else:
        counts = _outer([(pos >= 0).sum(-1) for pos in per_dim])
    return _read_only(_flat_index(per_dim, spatial)), _read_only(counts)


def _outer(counts: list) -> np.ndarray:
    """The product of per-dim counts for every output, row-major."""
    total = np.ones(1, np.int64)
    for c in counts:
        total = (total[:, None] * c[None, :]).reshape(-1)
    return total


# -- adaptive --------------------------------------------------------------------------------------------
def _adaptive(x: Tensor, nd: int, out: tuple) -> tuple[np.ndarray, list]:
    spatial = x.shape[x.dim() - nd :]
    windows = [_adaptive_positions(o, n) for o, n in zip(out, spatial)]
    return _flat_index([w for w, _ in windows], spatial), [c for _, c in windows]


def adaptive_avg_pool(x: Tensor, nd: int, out: tuple) -> Tensor:
    """adaptive_avg_pool{2,3}d: each window's sum divided by its depth, height, then width, as torch's kernels."""
    _check_dtype(f"adaptive_avg{nd}", x)
    index, widths = _adaptive(x, nd, out)
    divisors = []
    for i, w in enumerate(widths):  # per dim, broadcast over the output grid
        shape = [1] * nd
        shape[i] = len(w)
        divisors.append(np.broadcast_to(w.reshape(shape), out).reshape(-1))
    # half sums in float in the 2-d kernel, in half in the 3-d one (adaptive_avg_pool3d_out_frame)
    acc = np.dtype(np.float32) if x._dtype is _dtypes.float16 and nd == 2 else x._dtype.np
    return _average(f"AdaptiveAvgPool{nd}DBackward0", x, nd, index, out, divisors, acc)


def adaptive_max_pool(x: Tensor, nd: int, out: tuple) -> tuple[Tensor, Tensor]:
    _check_dtype(f"adaptive_max{nd}", x)
    index, _ = _adaptive(x, nd, out)
    return _max(f"AdaptiveMaxPool{nd}DBackward0", x, nd, index, out)
