"""Factories beyond _creation.py: logspace, range, empty_strided, empty_permuted, frombuffer, the window
functions (hann, hamming, blackman, bartlett, kaiser) and Tensor.new_empty_strided, with torch's dtype
rules, argument checks and, for the windows, torch's composition of arange, mul_, cos_ and add_."""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from .. import _dtypes
from .._creation import _dtype_arg, _finish, check_zero_dim_bounds
from .._dispatch import quiet_numpy, write_out
from .._errors import not_implemented_for, warn_internal
from .._tensor import Tensor, make
from .._views import empty_strided as _empty_strided_array
from . import special_functions

__all__ = ["logspace", "range_", "empty_strided", "frombuffer", "hann_window", "kaiser_window"]


def logspace(
    start,
    end,
    steps,
    base=10.0,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """base ** linspace(start, end, steps), torch's kernel: the first half of the points counted from start,
    the second from end, each a pow in double rounded once."""
    check_zero_dim_bounds("logspace", start, end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = _dtype_arg(dtype, "logspace") or (out._dtype if out is not None else _dtypes.get_default_dtype())
    start, end = (float(v.item()) if isinstance(v, Tensor) else float(v) for v in (start, end))
    with quiet_numpy():
        if steps == 1:
            value = np.array([math.pow(base, start)])
        else:
            i = np.arange(steps, dtype=np.float64)
            step = (end - start) / (steps - 1) if steps > 1 else 0.0
            halfway = steps // 2
            exponent = np.where(i < halfway, start + step * i, end - step * (steps - i - 1))
            value = np.power(float(base), exponent)
        value = value.astype(dtype.np)
    if out is not None:
        return write_out("logspace", out, value, dtype)
    return _finish(value, dtype, device, requires_grad, pin_memory)


def range_(start, end, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """torch.range (deprecated): end included, the default dtype even for integers."""
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its behavior is inconsistent "
        "with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    dtype = _dtype_arg(dtype, "range") or (out._dtype if out is not None else _dtypes.get_default_dtype())
    if dtype.category <= _dtypes.INT:  # the bounds and step in the integer type (truncated), as the kernel reads them
        start, end, step = int(start), int(end), int(step) or step
    n = int(math.floor((end - start) / step)) + 1
    with quiet_numpy():
        value = (start + np.arange(n, dtype=np.float64) * step).astype(dtype.np)
    if out is not None:
        return write_out("range", out, value, dtype)
    return _finish(value, dtype, device, requires_grad)


def _shape_arg(size):
    return tuple(size) if isinstance(size, (tuple, list)) else (size,)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    size, stride = _shape_arg(size), _shape_arg(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(n < 0 for n in size):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(size)}: {list(size)}")
    dtype = _dtype_arg(dtype, "empty_strided") or _dtypes.get_default_dtype()
    return _finish(_empty_strided_array(size, stride, dtype.np), dtype, device, requires_grad, pin_memory)


def empty_permuted(
    size, physical_layout, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    size, order = _shape_arg(size), tuple(physical_layout)
    if len(order) != len(size):
        raise RuntimeError(
            "Number of dimensions in size does not match the length of the physical_layout; i.e. len(size) = "
            f"{len(size)} is not equal to len(physical_layout) = {len(order)}"
        )
    seen = set()
    for i, d in enumerate(order):
        if not 0 <= d < len(size):
            raise RuntimeError(
                f"Dimension out of range (expected to be between 0 and {len(size) - 1}, but got {d} at index {i}).  "
                "NB: negative dims not currently supported; file an issue if you want it."
            )
        if d in seen:
            raise RuntimeError("Duplicate dim not allowed")
        seen.add(d)
    dtype = _dtype_arg(dtype, "empty_permuted") or _dtypes.get_default_dtype()
    physical = np.empty([size[i] for i in order], dtype.np)
    inverse = np.argsort(order)
    return _finish(np.transpose(physical, inverse), dtype, device, requires_grad, pin_memory)


def _new_empty_strided(
    self, size, stride, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False
):
    device = device or self._device
    return empty_strided(
        size, stride, dtype=dtype or self._dtype, device=device, requires_grad=requires_grad, pin_memory=pin_memory
    )


Tensor.new_empty_strided = _new_empty_strided


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A tensor over a Python buffer's memory (written through), torch's checks and warning included."""
    view = memoryview(buffer)
    item = dtype.itemsize
    length = view.nbytes
    if length <= 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if offset < 0 or offset >= length:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length ({length} bytes) minus 1"
        )
    if count <= 0 and (length - offset) % item:
        raise ValueError(
            f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be a multiple "
            f"of element size ({item})"
        )
    n = (length - offset) // item if count < 0 else count
    if count > 0 and offset + n * item > length:
        raise ValueError(
            f"requested buffer length ({n} * {item} bytes) after offset ({offset} bytes) must not be "
            f"greater than actual buffer length ({length} bytes)"
        )
    if view.readonly:
        warn_internal(
            "The given buffer is not writable, and PyTorch does not support non-writable tensors. This means you "
            "can write to the underlying (supposedly non-writable) buffer using the tensor. You may want to copy "
            "the buffer to protect its data or make it writable before converting it to a tensor. This type of "
            "warning will be suppressed for the rest of this program.",
            "torch/csrc/utils/tensor_new.cpp:1581",
            once=True,
        )
    # (over an immutable buffer such as bytes, numpy's view is read-only: torch would write into it anyway)
    a = np.frombuffer(buffer, dtype=dtype.np, count=n, offset=offset)
    t = make(a, dtype)
    if requires_grad:
        t.requires_grad_()
    return t


# -- windows ------------------------------------------------------------------------------------------------------
_CPP_TYPE = {
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def _window_check(name, window_length, dtype, requires_grad):
    dtype = _dtype_arg(dtype, name) or _dtypes.get_default_dtype()
    if dtype.category < _dtypes.FLOAT:
        grad = "true" if requires_grad else "false (default)"
        raise RuntimeError(
            f"{name} expects floating point dtypes, got: TensorOptions(dtype={_CPP_TYPE[dtype._name]}, device=cpu, "
            f"layout=Strided (default), requires_grad={grad}, pinned_memory=false, memory_format=(nullopt))"
        )
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    if dtype.category == _dtypes.COMPLEX:
        raise not_implemented_for("arange_cpu", dtype)
    return dtype


def _window(name, window_length, periodic, dtype, device, requires_grad, pin_memory, body, coefficients=()):
    if not isinstance(periodic, (bool, np.bool_)) or not all(isinstance(c, numbers.Real) for c in coefficients):
        raise TypeError(f"{name}() takes a bool and floats")  # (the argument parser words torch's error)
    dtype = _window_check(name, window_length, dtype, requires_grad)
    if window_length == 0:
        return _finish(np.empty(0, dtype.np), dtype, device, requires_grad, pin_memory)
    if window_length == 1:
        return _finish(np.ones(1, dtype.np), dtype, device, requires_grad, pin_memory)
    n = window_length + 1 if periodic else window_length
    with quiet_numpy():
        value = body(n, dtype.np.type)
    return _finish(
        np.ascontiguousarray(value[:window_length]).astype(dtype.np), dtype, device, requires_grad, pin_memory
    )


def _hamming_body(alpha, beta):
    def body(n, t):
        w = np.arange(n, dtype=t) * t(math.pi * 2.0 / (n - 1))
        return np.cos(w) * t(-beta) + t(alpha)

    return body


def hamming_window(
    window_length,
    periodic=True,
    alpha=0.54,
    beta=0.46,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    body = _hamming_body(alpha, beta)
    return _window(
        "hamming_window", window_length, periodic, dtype, device, requires_grad, pin_memory, body, (alpha, beta)
    )


def hann_window(
    window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    return _window(
        "hann_window", window_length, periodic, dtype, device, requires_grad, pin_memory, _hamming_body(0.5, 0.5)
    )


def _blackman(n, t):
    w = np.arange(n, dtype=t) * t(math.pi / (n - 1))
    return np.cos(w * t(4)) * t(0.08) - np.cos(w * t(2)) * t(0.5) + t(0.42)


def blackman_window(
    window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad, pin_memory, _blackman)


def _bartlett(n, t):
    w = np.arange(n, dtype=t) * t(2.0 / (n - 1))
    half = ((n - 1) >> 1) + 1
    w[half:] = w[half:] * t(-1) + t(2)
    return w


def bartlett_window(
    window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad, pin_memory, _bartlett)


def kaiser_window(
    window_length,
    periodic=True,
    beta=12.0,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    def body(n, t):
        alpha = (n - 1) / 2.0
        k = np.arange(n, dtype=np.float64)
        inner = np.sqrt(np.maximum(1 - ((k - alpha) / alpha) ** 2, 0))
        return special_functions.i0(beta * inner) / special_functions.i0(np.float64(beta))

    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad, pin_memory, body, (beta,))


FUNCTIONS = {
    "logspace": logspace,
    "range": range_,
    "empty_strided": empty_strided,
    "empty_permuted": empty_permuted,
    "frombuffer": frombuffer,
    "hann_window": hann_window,
    "hamming_window": hamming_window,
    "blackman_window": blackman_window,
    "bartlett_window": bartlett_window,
    "kaiser_window": kaiser_window,
}
