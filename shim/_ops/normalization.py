"""Normalisation: native_batch_norm (batch statistics or running ones, running statistics updated in place),
native_layer_norm and native_group_norm, recorded as NativeBatchNormBackward0, NativeLayerNormBackward0 and
NativeGroupNormBackward0.

Each normalises x over some axes: mean and rstd = 1 / sqrt(biased variance + eps) per group of elements,
then x_hat * weight + bias per feature.  The statistics are accumulated in double (torch's acc_type on the
CPU is double for float), so values agree with torch's vectorised kernels within its tolerance, not bit for
bit.  The derivatives are written against `F`: rstd * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat))
for batch statistics, rstd * g_hat for fixed ones, with g_hat = g * weight."""

from __future__ import annotations

import math

import numpy as np

from .._dispatch import check_argument_devices, check_same_device, needs_grad, quiet_numpy, record
from .._dtypes import FLOAT
from .._errors import not_implemented_for, shape_str
from .._tensor import Tensor, make
from .elementwise import formula

__all__ = ["batch_norm", "layer_norm", "group_norm"]


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


def _input_back(F, g, input, weight, mean, rstd, view, axes, shape, fixed):
    g_hat = F.reshape(g, view)
    if weight is not None:
        g_hat = g_hat * F.reshape(weight, shape)
    if fixed:  # statistics that are constants (running ones): no gradient through them
        return F.reshape(g_hat * F.array(rstd), input.shape)
    count = math.prod(view[a] for a in axes)
    x_hat = _x_hat(F, input, mean, rstd, view)
    centred = g_hat - F.sum(g_hat, axes, True) / count - x_hat * (F.sum(g_hat * x_hat, axes, True) / count)
    return F.reshape(centred * F.array(rstd), input.shape)


def _weight_back(F, g, input, mean, rstd, view, param_axes, param_shape):
    x_hat = _x_hat(F, input, mean, rstd, view)
    return F.reshape(F.sum(F.reshape(g, view) * x_hat, param_axes, False), param_shape)


def _bias_back(F, g, view, param_axes, param_shape):
    return F.reshape(F.sum(F.reshape(g, view), param_axes, False), param_shape)


_FORMULAS = (formula(_input_back), formula(_weight_back), formula(_bias_back))


def _normalize(node, input, weight, bias, view, axes, shape, param_axes, mean, rstd, fixed) -> Tensor:
    """x_hat * weight + bias, computed in double and rounded once, with the node recorded."""
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
            "axes": axes, "shape": shape, "fixed": fixed, "param_axes": param_axes,
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
    mean, _, rstd = _moments(input._a.reshape(view), (1,), eps)
    return _normalize(
        "NativeLayerNormBackward0", input, weight, bias, view, (1,), (1, view[1]), (0,), mean, rstd, False
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
    mean, _, rstd = _moments(input._a.reshape(view), (2, 3), eps)
    shape = (1, num_groups, channels // num_groups, 1)
    return _normalize("NativeGroupNormBackward0", input, weight, bias, view, (2, 3), shape, (0, 3), mean, rstd, False)
