"""aten::convolution: N-d convolution and transposed convolution with stride, padding, dilation, groups and
output_padding, checked in check_shape_forward's order, recorded as ConvolutionBackward0.

The numpy kernels are im2col (a strided window view copied to rows) and one batched matmul per group for the
forward convolution; the transposed convolution is the matmul and col2im (one strided add per kernel offset).
torch's CPU kernels (oneDNN for float32, slow_conv2d's im2col + gemm for the rest) sum in their own order, so
values agree with torch within its tolerance, not bit for bit.  The derivatives are convolutions themselves,
written against the formula namespace `F`, so a second derivative records through the same op."""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _dtypes
from .._dispatch import check_same_device, needs_grad, quiet_numpy, record
from .._errors import not_implemented_for, shape_str
from .._tensor import Tensor, make
from .elementwise import formula

__all__ = ["convolution", "conv_kernel"]


def _windows(x: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple) -> np.ndarray:
    """(N, C, *S) -> the read-only view (N, C, *L, *K) of every window of the kernel."""
    spatial = x.shape[2:]
    out = tuple((s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(spatial, kernel, stride, dilation))
    steps = x.strides[2:]
    strides = (
        x.strides[:2] + tuple(s * st for s, st in zip(steps, stride)) + tuple(s * d for s, d in zip(steps, dilation))
    )
    return as_strided(x, x.shape[:2] + out + tuple(kernel), strides, writeable=False)


def _conv(x, w, stride, padding, dilation, groups):
    """Forward convolution: im2col rows (G, N*L, C/G*K) times the weight (G, C/G*K, O/G)."""
    n, c = x.shape[:2]
    o, kernel = w.shape[0], w.shape[2:]
    if any(padding):
        x = np.pad(x, ((0, 0), (0, 0), *((p, p) for p in padding)))
    win = _windows(x, kernel, stride, dilation)
    out = win.shape[2 : 2 + len(kernel)]
    nd = len(kernel)
    cols = win.reshape(n, groups, c // groups, *out, *kernel)
    # (G, N, *L, C/G, *K): each output position's window as one row
    cols = cols.transpose(1, 0, *range(3, 3 + nd), 2, *range(3 + nd, 3 + 2 * nd))
    cols = cols.reshape(groups, n * math.prod(out), (c // groups) * math.prod(kernel))
    weights = w.reshape(groups, o // groups, -1).transpose(0, 2, 1)
    # (one product per output: multiplied, not summed by BLAS from +0, so that a -0 product can stay -0)
    y = (cols * weights if cols.shape[-1] == 1 else np.matmul(cols, weights)).reshape(groups, n, *out, o // groups)
    return np.ascontiguousarray(y.transpose(1, 0, nd + 2, *range(2, 2 + nd)).reshape(n, o, *out))


def _conv_transpose(x, w, stride, padding, output_padding, dilation, groups):
    """Transposed convolution: the matmul (G, N*L, C/G) x (G, C/G, O/G*K), then col2im into the output."""
    n, c, *length = x.shape
    kernel = w.shape[2:]
    nd = len(kernel)
    og = w.shape[1]
    rows = x.reshape(n, groups, c // groups, math.prod(length)).transpose(1, 0, 3, 2)
    rows = rows.reshape(groups, n * math.prod(length), c // groups)
    cols = np.matmul(rows, w.reshape(groups, c // groups, og * math.prod(kernel)))  # (G, N*L, O/G*K)
    cols = cols.reshape(groups, n, *length, og, *kernel)
    cols = cols.transpose(1, 0, nd + 2, *range(nd + 3, 2 * nd + 3), *range(2, nd + 2))  # (N, G, O/G, *K, *L)
    cols = cols.reshape(n, groups * og, *kernel, *length)
    full = tuple(
        (n - 1) * s + d * (k - 1) + 1 + op for n, s, d, k, op in zip(length, stride, dilation, kernel, output_padding)
    )
    y = np.zeros((n, groups * og, *full), cols.dtype)
    for offset in np.ndindex(*kernel):
        target = tuple(slice(k * d, k * d + (n - 1) * s + 1, s) for k, d, n, s in zip(offset, dilation, length, stride))
        y[(slice(None), slice(None), *target)] += cols[(slice(None), slice(None), *offset)]
    size = tuple(f - 2 * p for f, p in zip(full, padding))
    return np.ascontiguousarray(y[(slice(None), slice(None), *(slice(p, p + s) for p, s in zip(padding, size)))])


def conv_kernel(x, w, stride, padding, dilation, transposed, output_padding, groups, keep_negative_zero=False):
    """The numpy convolution (formula namespace NP's `convolution`), without bias or checks.  torch's kernels
    add their products into a zeroed buffer, so a sum of -0 products is +0; only a transposed convolution's
    input gradient (im2col and a gemm with beta = 0) keeps -0."""
    dtype = x.dtype
    compute = np.float32 if dtype == np.float16 else dtype
    x, w = x.astype(compute, copy=False), w.astype(compute, copy=False)
    with quiet_numpy():
        if transposed:
            y = _conv_transpose(x, w, stride, padding, output_padding, dilation, groups)
        else:
            y = _conv(x, w, stride, padding, dilation, groups)
        if not keep_negative_zero:
            y += y.dtype.type(0)
    return y.astype(dtype, copy=False)


def _single_product(input: Tensor, weight: Tensor, transposed: bool, groups: int, dilation) -> bool:
    """Where each output is one product (one input channel per group, a kernel of one element), the kernels torch
    2.13 picks on this CPU write it without adding it to a zeroed buffer, so a -0 product stays -0: the float64
    gemm path (not the depthwise kernel, where each group has one input and one output channel; not the dilated
    kernels; not a grouped 3-d convolution), and oneDNN's float32 convolution of a single unbatched-or-batch-1
    input with one group, undilated (measured against torch)."""
    if transposed or weight._a.size == 0 or weight._a.shape[1] * math.prod(weight._a.shape[2:]) != 1:
        return False
    if weight._a.shape[0] == groups or any(d != 1 for d in dilation):  # (the depthwise and dilated kernels)
        return False
    if weight._a.ndim == 5 and groups > 1:
        return False
    unbatched_or_one = input._a.ndim == weight._a.ndim - 1 or input._a.shape[0] == 1
    return input._dtype is _dtypes.float64 or (input._dtype is _dtypes.float32 and groups == 1 and unbatched_or_one)


# -- derivatives -----------------------------------------------------------------------------------------
def _input_grad(F, g, input, weight, stride, padding, dilation, transposed, groups):
    """d/d input: the transposed operation, output_padding chosen so the result has the input's size."""
    size = input.shape[2:]
    if transposed:
        grad = F.convolution(g, weight, stride, padding, dilation, False, (0,) * len(size), groups, True)
        if tuple(grad.shape[2:]) == tuple(size):
            return grad
        return F.contiguous(F.getitem(grad, (slice(None), slice(None), *(slice(0, s) for s in size))))
    produced = tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + 1
        for n, s, p, d, k in zip(g.shape[2:], stride, padding, dilation, weight.shape[2:])
    )
    output_padding = tuple(s - p for s, p in zip(size, produced))
    return F.convolution(g, weight, stride, padding, dilation, True, output_padding, groups)


def _weight_grad(F, g, input, weight, stride, padding, dilation, transposed, groups):
    """d/d weight, per group a convolution with batch and channels swapped (stride and dilation trade places):
    grad[o, c, k] = sum over n, l of input[n, c, l*stride + k*dilation - padding] * g[n, o, l]."""
    data, filters = (g, input) if transposed else (input, g)  # transposed: the roles of input and output swap
    kernel = weight.shape[2:]
    cg, og = data.shape[1] // groups, filters.shape[1] // groups
    nd = len(kernel)
    swap = (1, 0, *range(2, 2 + nd))
    parts = []
    for gi in range(groups):
        d = F.permute(F.getitem(data, (slice(None), slice(gi * cg, (gi + 1) * cg))), swap)
        f = F.permute(F.getitem(filters, (slice(None), slice(gi * og, (gi + 1) * og))), swap)
        part = F.convolution(d, f, dilation, padding, stride, False, (0,) * nd, 1)  # (C/G, O/G, >= K)
        part = F.getitem(part, (slice(None), slice(None), *(slice(0, k) for k in kernel)))
        parts.append(F.permute(part, swap))
    return F.contiguous(parts[0] if groups == 1 else F.concat(parts, 0))  # (contiguous, as torch's)


def _bias_grad(F, g):
    return F.sum(g, (0, *range(2, g.ndim)))


_FORMULAS = (formula(_input_grad), formula(_weight_grad), formula(lambda F, g: _bias_grad(F, g)))


# -- the op ----------------------------------------------------------------------------------------------
def _check_shapes(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups) -> None:
    """at::native::check_shape_forward, in its order."""
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d < 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    ws = weight.shape
    if weight.dim() != input.dim():
        raise RuntimeError(
            f"Expected {weight.dim()}-dimensional input for {weight.dim()}-dimensional weight {shape_str(ws)}, "
            f"but got {input.dim()}-dimensional input of size {shape_str(input.shape)} instead"
        )
    if ws[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of "
            f"size {shape_str(ws)} instead"
        )
    if ws[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight "
            f"of size [{shape_str(ws)}] instead"
        )
    if transposed:
        if input.shape[1] != ws[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {shape_str(ws)}, expected input{shape_str(input.shape)} to "
                f"have {ws[0]} channels, but got {input.shape[1]} channels instead"
            )
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[1] * groups):
            raise RuntimeError(
                f"Given transposed=1, weight of size {shape_str(ws)}, expected bias to be 1-dimensional with "
                f"{ws[1] * groups} elements, but got bias of size {shape_str(bias.shape)} instead"
            )
        return
    if input.shape[1] != ws[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {shape_str(ws)}, expected input{shape_str(input.shape)} to "
            f"have {ws[1] * groups} channels, but got {input.shape[1]} channels instead"
        )
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[0]):
        raise RuntimeError(
            f"Given weight of size {shape_str(ws)}, expected bias to be 1-dimensional with {ws[0]} elements, but "
            f"got bias of size {shape_str(bias.shape)} instead"
        )
    padded = [s + 2 * p for s, p in zip(input.shape[2:], padding)]
    kernel = [d * (k - 1) + 1 for d, k in zip(dilation, ws[2:])]
    if any(s < k for s, k in zip(padded, kernel)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
            f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size"
        )


_AXES = ("depth", "height", "width")


def _uses_mkldnn(input: Tensor, weight: Tensor, groups: int) -> bool:
    """at::native's use_mkldnn for a float32 convolution on the CPU (a 1-d one is 2-d with a kernel height of 1)."""
    if input._dtype is not _dtypes.float32:
        return False
    kernel = (1, *weight.shape[2:]) if weight.dim() == 3 else weight.shape[2:]
    big_kernel = kernel[-1] > 3 and kernel[-2] > 3
    return groups > 1 or big_kernel or input.shape[0] > 1 or math.prod(input.shape) > 20480


def _check_kernel(input: Tensor, weight: Tensor, stride, dilation, transposed, output_padding, groups) -> None:
    """What the CPU kernels (oneDNN's, slow_conv2d, slow_conv_transpose2d/3d) check after the shapes; a 1-d
    convolution runs as a 2-d one of height 1, so its messages name two dims."""
    if input._dtype is _dtypes.bool_ or input._dtype.category == _dtypes.COMPLEX:
        raise not_implemented_for("slow_conv2d_cpu", input._dtype)
    if 0 in dilation and _uses_mkldnn(input, weight, groups):
        if transposed:
            raise RuntimeError(
                "could not create a primitive descriptor for the deconvolution forward propagation primitive. Run "
                "workload with environment variable ONEDNN_VERBOSE=all to get additional diagnostic information."
            )
        raise RuntimeError("non-positive dilation is not supported")
    if len(stride) == 1:
        stride, dilation, output_padding = (1, *stride), (1, *dilation), (0, *output_padding)
    axes = _AXES[-len(stride) :]
    if not transposed:
        if 0 in dilation:
            raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
        return
    if 0 in dilation:
        got = ", ".join(f"dilation_{a}: {d}" for a, d in zip(axes, dilation))
        raise RuntimeError(f"dilation should be greater than zero, but got {got}")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        got = " ".join(
            f"{name}_{a}: {v}"
            for name, values in (("output_padding", output_padding), ("stride", stride), ("dilation", dilation))
            for a, v in zip(axes, values)
        )
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got {got}")


def _expand(name: str, value, nd: int) -> tuple:
    """expand_param_if_needed: one int for every spatial dim, or a list of exactly that many."""
    if isinstance(value, int):
        return (value,) * nd
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * nd
    if len(value) != nd:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {nd} values to match the convolution "
            f"dimensions, but got {name}={list(value)}"
        )
    return value


def convolution(
    input: Tensor, weight: Tensor, bias: Tensor | None, stride, padding, dilation, transposed: bool, output_padding,
    groups: int,
) -> Tensor:  # fmt: skip
    nd = weight.dim() - 2
    if nd <= 0:  # (at::_convolution's own checks, before it expands the parameters)
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    stride, padding, dilation = (
        _expand("stride", stride, nd),
        _expand("padding", padding, nd),
        _expand("dilation", dilation, nd),
    )
    output_padding = _expand("output_padding", output_padding, nd)
    _check_shapes(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
    for name, t in (("weight", weight), ("bias", bias)):  # (check_input_same_type_as_parameters, for devices)
        if t is not None and t._device is not input._device:
            raise RuntimeError(f"Input type ({input.type()}) and {name} type ({t.type()}) should be the same")
    if bias is not None and bias._dtype is not input._dtype:
        raise RuntimeError(
            f"Input type ({input._dtype._cpp_name}) and bias type ({bias._dtype._cpp_name}) should be the same"
        )
    if weight._dtype is not input._dtype:
        if _uses_mkldnn(input, weight, groups):
            raise RuntimeError(
                f"Input type ({input.type()}) and weight type ({weight.type()}) should be the same or input should be "
                "a MKLDNN tensor and weight is a dense tensor"
            )
        raise RuntimeError(f"expected scalar type {input._dtype._scalar_name} but found {weight._dtype._scalar_name}")
    if input.numel():  # (an empty batch returns before the kernel)
        _check_kernel(input, weight, stride, dilation, transposed, output_padding, groups)
    device = check_same_device([t for t in (input, weight, bias) if t is not None])
    y = conv_kernel(
        input._a, weight._a, stride, padding, dilation, transposed, output_padding, groups,
        keep_negative_zero=_single_product(input, weight, transposed, groups, dilation),
    )  # fmt: skip
    if bias is not None:
        y += bias._a.reshape(-1, *(1,) * nd)
    r = make(y, input._dtype, device)
    if needs_grad(input, weight, bias):
        saved = {
            "input": input, "weight": weight, "stride": stride, "padding": padding, "dilation": dilation,
            "transposed": transposed, "groups": groups,
        }  # fmt: skip
        record("ConvolutionBackward0", (input, weight, bias), _FORMULAS, saved, r)
    return r
