"""torch.nn.functional on the shim: activations, linear, dropout, softmax family, losses and helpers.

Each function does what torch 2.13's does (its argument handling, warnings and errors, which ATen op it
reaches); the numerics are the shim's registered ops (`shim._ops.activation`, `shim._ops.loss`, addmm,
log_softmax, ...), so dtypes, autograd nodes and in-place checks come from the one dispatch."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import shim as torch

from .. import _dtypes
from .._dispatch import broadcast_shapes, check_argument_devices
from .._ops import loss as _loss
from .._ops import normalization as _normalization
from .._ops import padding as _padding
from .._ops import pooling as _pooling
from .._ops import upsampling as _upsampling
from .._ops.activation import activation as _activation
from .._ops.convolution import convolution as _convolution
from .._ops.embedding import embedding as _embedding
from .._ops.reductions import aten_norm
from .._tensor import Tensor

__all__ = [
    "linear", "bilinear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "pad", "batch_norm", "layer_norm", "group_norm", "interpolate", "upsample",
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
    "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
    "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices",
    "relu", "relu_", "prelu", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_",
    "celu", "celu_", "gelu", "silu", "mish", "softplus", "softsign", "hardtanh", "hardtanh_", "hardsigmoid",
    "hardswish", "sigmoid", "logsigmoid", "tanh", "tanhshrink", "threshold", "threshold_", "hardshrink",
    "softshrink", "glu", "softmax", "log_softmax", "softmin", "dropout", "dropout1d", "dropout2d", "dropout3d",
    "alpha_dropout", "embedding", "one_hot",
    "normalize", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "nll_loss", "cross_entropy",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss",
    "cosine_similarity", "pairwise_distance", "cosine_embedding_loss", "triplet_margin_loss",
]  # fmt: skip

# -- linear --------------------------------------------------------------------------------------------


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """aten::linear: addmm for a 2-d input with a bias; for a contiguous input and a 1-d bias, addmm on the
    input flattened to 2-d and viewed back; else matmul, then the bias added in place."""
    if bias is not None and input.dim() == 2:
        return torch.addmm(bias, input, weight.t())
    if bias is not None and input.is_contiguous() and bias.dim() == 1 and input.dim() >= 1:
        rows = 1
        for size in input.shape[:-1]:
            rows *= size
        result = torch.addmm(bias, input.reshape(rows, input.shape[-1]), weight.t())
        return result.view(*input.shape[:-1], result.shape[1])
    output = torch.matmul(input, weight.t())
    if bias is not None:
        output.add_(bias)
    return output


def _check_bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """at::bilinear's checks, in its order."""
    named = {"input1": input1, "input2": input2, "weight": weight, **({"bias": bias} if bias is not None else {})}
    if len({t.dtype for t in named.values()}) > 1:
        got = ", ".join(f"{name}: {t.dtype._cpp_name}" for name, t in named.items())
        raise RuntimeError(f"All tensors must have the same dtype, got {got}")
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {i}: got {input1.shape[i]} and "
                f"{input2.shape[i]}"
            )
    for name, x, dim in (("input1", input1, 1), ("input2", input2, 2)):  # (size(): torch's dim errors)
        if x.size(x.dim() - 1) != weight.size(dim):
            raise RuntimeError(
                f"bilinear(): {name} size does not match weight size: got {x.size(x.dim() - 1)} but expected "
                f"{weight.size(dim)}"
            )
    if bias is not None and bias.size(0) != weight.size(0):
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.size(0)} but expected {weight.size(0)}"
        )


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x1^T A x2 + b: at::bilinear flattens both inputs to rows, takes the products over both feature dims
    into a new (rows, out) tensor (here by einsum, not _trilinear's sums), reshapes, then adds the bias."""
    _check_bilinear(input1, input2, weight, bias)
    rows1, rows2 = input1.reshape(-1, input1.shape[-1]), input2.reshape(-1, input2.shape[-1])
    output = torch.einsum("bi,oij,bj->bo", rows1, weight, rows2).contiguous()
    output = output.reshape(*input1.shape[:-1], weight.shape[0])
    return output + bias if bias is not None else output


# -- convolution -----------------------------------------------------------------------------------------


def _batchify(name: str, input: Tensor, nd: int) -> tuple[Tensor, bool]:
    """at::conv{n}d's batchify: an unbatched input gains a batch dim of 1 (squeezed off the result)."""
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got input of size: "
            f"{list(input.shape)}"
        )
    batched = input.dim() == nd + 2
    return (input if batched else input.unsqueeze(0)), batched


_WARNED_ONCE = {"same": False}


def _conv_same(input: Tensor, weight: Tensor, stride, dilation) -> tuple[Tensor, tuple]:
    """_convolution_mode's padding='same': half the dilated kernel on each side; an odd total pads one more
    at the end with constant_pad_nd (with torch's warning about the copy)."""
    nd = weight.dim() - 2
    stride = (stride,) * nd if isinstance(stride, int) else tuple(stride)
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    dilation = (dilation,) * nd if isinstance(dilation, int) else tuple(dilation) * (nd if len(dilation) == 1 else 1)
    total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
    left = tuple(t // 2 for t in total)
    if all(t % 2 == 0 for t in total):
        return input, left
    if not _WARNED_ONCE["same"]:  # TORCH_WARN_ONCE: the first time in the process only
        _WARNED_ONCE["same"] = True
        warnings.warn(
            "Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the "
            "input be created (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/Convolution.cpp:"
            "1101.)",
            stacklevel=3,
        )
    pad = []
    for t, half in zip(reversed(total), reversed(left)):
        pad += [0, t - 2 * half]
    return _padding.constant_pad_nd(input, tuple(pad)), left


def _per_dim(nd: int, *params) -> list:
    """An int argument as the list of nd that torch's argument parser makes of it (IntArrayRef[nd])."""
    return [(p,) * nd if isinstance(p, int) else p for p in params]


def _conv(name: str, nd: int, input, weight, bias, stride, padding, dilation, groups) -> Tensor:
    input, batched = _batchify(name, input, nd)
    stride, padding, dilation = _per_dim(nd, stride, padding, dilation)
    if isinstance(padding, str):
        if padding == "valid":
            padding = 0
        elif padding == "same":
            input, padding = _conv_same(input, weight, stride, dilation)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    output = _convolution(input, weight, bias, stride, padding, dilation, False, 0, groups)
    return output if batched else output.squeeze(0)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transpose(name, nd, input, weight, bias, stride, padding, output_padding, groups, dilation) -> Tensor:
    input, batched = _batchify(name, input, nd)
    stride, padding, output_padding, dilation = _per_dim(nd, stride, padding, output_padding, dilation)
    output = _convolution(input, weight, bias, stride, padding, dilation, True, output_padding, groups)
    return output if batched else output.squeeze(0)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    args = (input, weight, bias, stride, padding, output_padding, groups, dilation)
    return _conv_transpose("conv_transpose1d", 1, *args)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    args = (input, weight, bias, stride, padding, output_padding, groups, dilation)
    return _conv_transpose("conv_transpose2d", 2, *args)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    args = (input, weight, bias, stride, padding, output_padding, groups, dilation)
    return _conv_transpose("conv_transpose3d", 3, *args)


# -- pooling --------------------------------------------------------------------------------------------

_COUNT = {1: "one int", 2: "two ints", 3: "three ints"}


def _pool_params(name: str, nd: int, kernel_size, stride, padding, dilation=1) -> tuple:
    """max_pool2d/avg_pool2d's argument checks: one int or nd of each; stride omitted means the kernel."""
    kernel, stride, padding, dilation = (
        tuple(v) if isinstance(v, (tuple, list)) else v for v in (kernel_size, stride, padding, dilation)
    )
    checks = (
        ("kernel_size", kernel, "must either be a single int", False),
        ("stride", stride, "must either be omitted, a single int", True),
        ("padding", padding, "must either be a single int", False),
        ("dilation", dilation, "must be either a single int", False),
    )
    for arg, value, rule, omittable in checks:
        length = len(value) if isinstance(value, tuple) else 1
        if not (length in (1, nd) or (omittable and (value is None or value == ()))):
            raise RuntimeError(f"{name}: {arg} {rule}, or a tuple of {_COUNT[nd]}")
    if stride is None or stride == ():
        stride = kernel
    return tuple(v if isinstance(v, tuple) and len(v) == nd else (v[0] if isinstance(v, tuple) else v,) * nd
                 for v in (kernel, stride, padding, dilation))  # fmt: skip


def _max_pool(nd: int, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    kernel, stride, padding, dilation = _pool_params(f"max_pool{nd}d", nd, kernel_size, stride, padding, dilation)
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    output, indices = _pooling.max_pool(input, nd, kernel, stride, padding, dilation, ceil_mode)
    return (output, indices) if return_indices else output


_MAX_POOL1D_SIZES = (
    ("kernel_size", "an int, list of ints or tuple of ints"),
    ("stride", "None, an int, list of ints, or tuple of ints"),
    ("padding", "an int, list of ints, or tuple of ints"),
    ("dilation", "an int, list of ints or tuple of ints"),
)


def _check_max_pool1d(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode) -> tuple:
    """at::max_pool1d's own checks, made before it reaches the 2-d kernel."""
    shape = input.shape
    if not ((input.dim() == 2 and shape[0] and shape[1]) or (input.dim() == 3 and shape[1] and shape[2])):
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but "
            f"got:{list(shape)}"
        )
    values = [tuple(v) if isinstance(v, (tuple, list)) else (v,) for v in (kernel_size, stride, padding, dilation)]
    values[1] = () if stride is None else values[1]
    for (name, kinds), value in zip(_MAX_POOL1D_SIZES, values):
        if len(value) != 1 and not (name == "stride" and not value):
            raise RuntimeError(f"max_pool1d() {name} must be {kinds} of size 1 but got size {len(value)}")
    (k,), (p,), (d,) = values[0], values[2], values[3]
    s = values[1][0] if values[1] else k
    for ok, message in (
        (k > 0, f"kernel_size must be greater than zero, but got {k}"),
        (s > 0, f"stride must be greater than zero, but got {s}"),
        (p >= 0, f"padding must be non-negative, but got {p}"),
        (p <= k // 2, f"padding should be at most half of kernel size, but got padding={p} and kernel_size={k}"),
        (d > 0, f"dilation must be greater than zero, but got {d}"),
    ):
        if not ok:
            raise RuntimeError(f"max_pool1d() {message}")
    width = _pooling.output_size(shape[-1], k, p, s, d, ceil_mode)
    if width <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {width}")
    return k, s, p, d


def _check_max_pool1d_with_indices(input: Tensor, kernel_size, stride, padding, dilation) -> tuple:
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' (while "
            "checking arguments for max_pool1d)"
        )
    values = [tuple(v) if isinstance(v, (tuple, list)) else (v,) for v in (kernel_size, stride, padding, dilation)]
    values[1] = values[0] if stride is None or values[1] == () else values[1]
    for name, value in zip(("kernel_size", "stride", "padding", "dilation"), values):
        if len(value) != 1:
            raise RuntimeError(f"max_pool1d() argument '{name}' should contain one int (got {len(value)})")
    return tuple(v[0] for v in values)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """max_pool1d (its own checks first) or max_pool1d_with_indices (return_indices): the 2-d pool of height 1
    on input.unsqueeze(-2)."""
    if return_indices:
        k, s, p, d = _check_max_pool1d_with_indices(input, kernel_size, stride, padding, dilation)
    else:
        k, s, p, d = _check_max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)
    output, indices = _pooling.max_pool(input.unsqueeze(-2), 2, (1, k), (1, s), (0, p), (1, d), ceil_mode)
    output = output.squeeze(-2)
    if return_indices:
        return output, indices.squeeze(-2)
    # torch's own max_pool1d kernel, taken where no gradient is needed, writes a fresh tensor, not a view
    return output if input.requires_grad and torch.is_grad_enabled() else output.clone()


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool2d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool3d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def _avg_pool(nd: int, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    kernel, stride, padding, _ = _pool_params(f"avg_pool{nd}d", nd, kernel_size, stride, padding)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if nd == 3 and input.dim() not in (4, 5):
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    input.size(-nd - 1)  # (IndexError for too few dims, as torch's nInputPlane)
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for input, but "
            f"got:{list(input.shape)}"
        )
    return _pooling.avg_pool(input, nd, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True) -> Tensor:
    """avg_pool1d: the 2-d pool of height 1 on input.unsqueeze(-2)."""
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' (while "
            "checking arguments for avg_pool1d)"
        )
    kernel, stride, padding, _ = _pool_params("avg_pool1d", 1, kernel_size, stride, padding)
    output = _avg_pool(2, input.unsqueeze(-2), (1, *kernel), (1, *stride), (0, *padding), ceil_mode,
                       count_include_pad, None)  # fmt: skip
    return output.squeeze(-2)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None) -> Tensor:  # fmt: skip
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None) -> Tensor:  # fmt: skip
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def _adaptive_size(name: str, nd: int, input: Tensor, output_size) -> tuple:
    """_list_with_default (None keeps the input's size), then the C++ checks: the rank, and no empty dim among
    the pooled ones (adaptive_avg_pool) or all but the first (adaptive_max_pool)."""
    if isinstance(output_size, (tuple, list)):
        if input.dim() <= len(output_size):
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        output_size = tuple(d if v is None else v for v, d in zip(output_size, input.shape[-len(output_size) :]))
    size = output_size if isinstance(output_size, tuple) else (output_size,) * nd
    if len(size) != nd:
        raise RuntimeError(f"{name}: output_size must be {nd}")
    if input.dim() not in (nd + 1, nd + 2):
        got = ": " if "max" in name else " "
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{got}{list(input.shape)}")
    for dim in range(input.dim() - nd if "avg" in name else 1, input.dim()):
        if input.shape[dim] == 0:
            raise RuntimeError(
                f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                f"{list(input.shape)} with dimension {dim} being empty"
            )
    return size


def _adaptive_avg(nd: int, input: Tensor, output_size) -> Tensor:
    size = _adaptive_size(f"adaptive_avg_pool{nd}d", nd, input, output_size)
    if all(s == 1 for s in size):  # torch's shortcut: the mean over the spatial dims
        return input.mean(dim=tuple(range(-nd, 0)), keepdim=True)
    return _pooling.adaptive_avg_pool(input, nd, size)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    size = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,)
    if len(size) != 1:
        raise RuntimeError(f"adaptive_avg_pool1d() argument 'output_size' should contain one int (got {len(size)})")
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' (while "
            "checking arguments for adaptive_avg_pool1d)"
        )
    return _adaptive_avg(2, input.unsqueeze(-2), (1, size[0])).squeeze(-2)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    return _adaptive_avg(2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    return _adaptive_avg(3, input, output_size)


def _adaptive_max(nd: int, input: Tensor, output_size, return_indices: bool):
    size = _adaptive_size(f"adaptive_max_pool{nd}d", nd, input, output_size)
    output, indices = _pooling.adaptive_max_pool(input, nd, size)
    return (output, indices) if return_indices else output


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    size = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,)
    if len(size) != 1:
        raise RuntimeError(f"adaptive_max_pool1d() argument 'output_size' should contain one int (got {len(size)})")
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' (while "
            "checking arguments for adaptive_max_pool1d)"
        )
    output, indices = _adaptive_max(2, input.unsqueeze(-2), (1, size[0]), True)
    output = output.squeeze(-2)
    return (output, indices.squeeze(-2)) if return_indices else output


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    return _adaptive_max(2, input, output_size, return_indices)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    return _adaptive_max(3, input, output_size, return_indices)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    return adaptive_max_pool3d(input, output_size, True)


# -- normalisation --------------------------------------------------------------------------------------


def _verify_batch_size(size) -> None:
    values = size[0]
    for d in size[2:]:
        values *= d
    if values == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm(input: Tensor, running_mean, running_var, weight=None, bias=None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:  # fmt: skip
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    return _normalization.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def layer_norm(input: Tensor, normalized_shape, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return _normalization.layer_norm(input, shape, weight, bias, eps)


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    _verify_batch_size([input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:]))
    return _normalization.group_norm(input, num_groups, weight, bias, eps)


# -- upsampling -----------------------------------------------------------------------------------------

_LINEAR_MODES = {"linear": 3, "bilinear": 4, "trilinear": 5}


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                recompute_scale_factor=None, antialias: bool = False) -> Tensor:  # fmt: skip
    """torch's argument handling, then upsample_nearestNd, upsample_{linear1d,bilinear2d,trilinear3d} or
    (mode 'area') adaptive_avg_poolNd."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | "
                "trilinear"
            )
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input with spatial "
                    f"dimensions of {list(input.shape[2:])} and output size of {size}. Please provide input tensor "
                    "in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format."
                )
            output_size = list(size)
        else:
            output_size = [size for _ in range(dim)]
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but got input with "
                    f"spatial dimensions of {list(input.shape[2:])} and scale_factor of shape {scale_factor}. Please "
                    "provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) "
                    "format."
                )
            scale_factors = list(scale_factor)
        else:
            scale_factors = [scale_factor for _ in range(dim)]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        output_size = [int(input.size(i + 2) * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias:
        raise (
            ValueError(
                "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D tensor as "
                "input"
            )
            if not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4)
            else NotImplementedError("interpolate(antialias=True) is not implemented by the shim")
        )
    if mode == "area" and 3 <= input.dim() <= 5:
        return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dim - 1](input, output_size)
    if mode == "nearest" and 3 <= input.dim() <= 5 or _LINEAR_MODES.get(mode) == input.dim():
        sizes, scales = _upsample_sizes(input, output_size, scale_factors)
        if mode == "nearest":
            return _upsampling.upsample_nearest(input, sizes, scales)
        return _upsampling.upsample_linear(input, sizes, align_corners, scales)
    wanted = {"linear": 3, "bilinear": 4, "trilinear": 5}
    if mode in wanted and 3 <= input.dim() <= 5:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {wanted[mode]}D input")
    raise NotImplementedError(
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the modes: nearest | "
        f"linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got {mode})"
    )


def _upsample_sizes(input: Tensor, output_size, scale_factors) -> tuple[tuple, tuple]:
    """compute_output_size and upsample_Nd_common_check: the output sizes (floor(size * scale) when given
    scales) and the scales the kernel uses."""
    spatial = tuple(input.shape[2:])
    if output_size is not None:
        sizes, scales = tuple(int(s) for s in output_size), (None,) * len(spatial)
    else:
        sizes = tuple(int(math.floor(n * float(s))) for n, s in zip(spatial, scale_factors))
        scales = tuple(float(s) for s in scale_factors)
    if input.shape[1] == 0 or (input.numel() == 0 and input.shape[0] != 0):
        raise RuntimeError(
            f"Non-empty {input.dim()}D data tensor expected but got a tensor with sizes {list(input.shape)}"
        )
    if any(n <= 0 for n in spatial + sizes):
        names = ("D", "H", "W")[3 - len(spatial) :]
        got_in = ", ".join(f"{a}: {n}" for a, n in zip(names, spatial))
        got_out = ", ".join(f"{a}: {n}" for a, n in zip(names, sizes))
        joint = " and " if len(spatial) == 1 else " "
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input ({got_in}){joint}output ({got_out})"
        )
    return sizes, scales


def upsample(input, size=None, scale_factor=None, mode: str = "nearest", align_corners=None) -> Tensor:
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


# -- padding ---------------------------------------------------------------------------------------------

_NON_CONSTANT = """Padding size {} is not supported for {}D input tensor.
Supported combinations for non-constant padding:
  - 2D or 3D input: padding size = 2 (pads last dimension)
  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)
  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"""


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """at::pad: constant_pad_nd, reflection_padNd, replication_padNd or _pad_circular."""
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    for i, p in enumerate(pad):
        if not isinstance(p, int):
            raise TypeError(
                f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                f"{type(p).__name__} at pos {i}"
            )
    pad = tuple(pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.dim():
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but got padding length "
            f"{len(pad)} and input of dimension {input.dim()}"
        )
    if mode == "constant":
        return _padding.constant_pad_nd(input, pad, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    nd = len(pad) // 2
    if not 1 <= nd <= 3 or input.dim() not in (nd + 1, nd + 2):
        raise NotImplementedError(_NON_CONSTANT.format(len(pad), input.dim()))
    if mode == "circular":
        return _pad_circular(input, pad)
    return _padding.index_pad(mode, input, pad)


def _pad_circular(input: Tensor, pad: tuple) -> Tensor:
    """at::_pad_circular: the input copied into the middle of a new tensor, then each dim's ends copied from
    the far side of the result (corners written more than once), as slices and copy_, so torch's CopySlices."""
    nd = len(pad) // 2
    shape = list(input.shape)
    for i in range(nd):
        dim = input.dim() - 1 - i
        left, right = pad[2 * i], pad[2 * i + 1]
        if left > shape[dim] or right > shape[dim]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        shape[dim] += left + right
    out = input.new_empty(shape)
    out_slice, in_slice = out, input
    for i in range(nd):
        dim = input.dim() - 1 - i
        left, right = pad[2 * i], pad[2 * i + 1]
        out_slice = out_slice.narrow(dim, max(left, 0), shape[dim] - max(left, 0) - max(right, 0))
        in_slice = in_slice.narrow(dim, max(-left, 0), input.shape[dim] - max(-left, 0) - max(-right, 0))
    out_slice.copy_(in_slice)
    for i in range(nd):
        dim = input.dim() - 1 - i
        left, right = pad[2 * i], pad[2 * i + 1]
        if left > 0:
            out.narrow(dim, 0, left).copy_(out.narrow(dim, shape[dim] - left - max(right, 0), left))
        if right > 0:
            out.narrow(dim, shape[dim] - right, right).copy_(out.narrow(dim, max(left, 0), right))
    return out


# -- activations -----------------------------------------------------------------------------------------


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    return torch.relu_(input) if inplace else torch.relu(input)


def relu_(input: Tensor) -> Tensor:
    return torch.relu_(input)


prelu = torch.prelu


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _activation("hardtanh", input, inplace, min_val=min_val, max_val=max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation("hardtanh", input, inplace, min_val=0.0, max_val=6.0)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    return _activation("leaky_relu", input, inplace, negative_slope=negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _activation("elu", input, inplace, alpha=alpha, scale=1.0, input_scale=1.0)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation("elu", input, inplace, alpha=_SELU_ALPHA, scale=_SELU_SCALE, input_scale=1.0)


def selu_(input: Tensor) -> Tensor:
    return selu(input, True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _activation("celu", input, inplace, alpha=alpha, scale=1.0, input_scale=1.0 / alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _activation("gelu", input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation("silu", input, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation("mish", input, inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return _activation("softplus", input, beta=beta, threshold=threshold)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation("hardsigmoid", input, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation("hardswish", input, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    return _activation("log_sigmoid", input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    return _activation("threshold", input, inplace, threshold=threshold, value=value)


threshold.__name__ = "_threshold"  # (torch's own name for it, which its binding messages give)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _activation("threshold", input, True, threshold=threshold, value=value)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _activation("hardshrink", input, lambd=lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if input.dtype.category == _dtypes.FLOAT and not 0 <= lambd <= _dtypes.finfo(input.dtype).max:
        high = _dtypes.finfo(input.dtype).max
        raise RuntimeError(
            f"lambda must be in range [0, {high:g}] for input dtype {input.dtype._scalar_name}, but found {lambd:g}"
        )
    return _activation("softshrink", input, lambd=lambd)


def sigmoid(input: Tensor) -> Tensor:
    return torch.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    return torch.tanh(input)


def softsign(input: Tensor) -> Tensor:
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    return input - input.tanh()


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % input.dim()
    size = input.shape[d]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {size}")
    first, second = input.narrow(d, 0, size // 2), input.narrow(d, size // 2, size // 2)
    return first * torch.sigmoid(second)


# -- softmax family -----------------------------------------------------------------------------------------


def _softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("softmax", input.dim())
    return input.softmax(dim) if dtype is None else input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim())
    return input.log_softmax(dim) if dtype is None else input.log_softmax(dim, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("softmin", input.dim())
    return (-input).softmax(dim) if dtype is None else (-input).softmax(dim, dtype=dtype)


# -- dropout ---------------------------------------------------------------------------------------------------


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, alpha: bool, feature=False) -> Tensor:
    """at::_dropout_impl on the CPU: input itself when not training, p == 0 or empty; zeros for p == 1; else
    input times a mask of bernoulli_(1 - p) draws (one per element, or per (sample, channel) for feature
    dropout), divided by 1 - p (dropout) or scaled and shifted to keep the mean and variance (alpha)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        zero = torch.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input * zero
    if feature:  # make_feature_noise
        if input.dim() < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        shape = (input.shape[0], input.shape[1]) + (1,) * (input.dim() - 2)
        noise = torch.empty(shape, dtype=input.dtype, device=input.device).bernoulli_(1 - p)
    else:
        noise = torch.empty_like(input).bernoulli_(1 - p)
    if not alpha:
        noise.div_(1 - p)
        return input.mul_(noise) if inplace else input * noise
    scale = 1.7580993408473766
    a = 1.0 / math.sqrt((scale * scale * p + 1) * (1 - p))
    b = noise.add(-1).mul_(scale * a).add_(scale * a * p)
    noise.mul_(a)
    return (input.mul_(noise) if inplace else input * noise).add_(b)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    return _dropout_impl(input, p, training, inplace, alpha=False)


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note that dropout1d exists to "
            "provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional "
            "batch dimension (i.e. 2D or 3D inputs)."
        )
    return _feature_dropout(input, p, training, inplace, batched=input.dim() == 3)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool) -> Tensor:
    if not batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _dropout_impl(input, p, training, inplace, alpha=False, feature=True)
    if not batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


_DEPRECATED_RANK = (
    "dropout{n}d: Received a {dim}-D input to dropout{n}d, which is deprecated and will result in an error in a "
    "future release. To retain the behavior and silence this warning, please use dropout instead. Note that "
    "dropout{n}d exists to provide channel-wise dropout on inputs with {n} spatial dimensions, a channel dimension, "
    "and an optional batch dimension (i.e. {lo}D or {hi}D inputs)."
)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout; a 3-d input is taken as (N, C, L), with torch's warning."""
    _check_p(p)
    if input.dim() not in (3, 4):
        warnings.warn(_DEPRECATED_RANK.format(n=2, dim=input.dim(), lo=3, hi=4), stacklevel=2)
    if input.dim() == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, "
            "W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _dropout_impl(input, p, training, inplace, alpha=False, feature=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    if input.dim() not in (4, 5):
        warnings.warn(_DEPRECATED_RANK.format(n=3, dim=input.dim(), lo=4, hi=5), stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=input.dim() == 5)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    return _dropout_impl(input, p, training, inplace, alpha=True)


# -- embeddings -------------------------------------------------------------------------------------------------


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:  # fmt: skip
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding with scale_grad_by_freq or sparse gradients is not supported by the shim")
    if max_norm is not None:
        input = input.contiguous()
        with torch.no_grad():
            _embedding_renorm_(weight, input, max_norm, norm_type)
    return _embedding(weight, input, padding_idx)


def _embedding_renorm_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> None:
    """embedding_renorm_: each distinct looked-up row whose norm exceeds max_norm is scaled to it."""
    for row in sorted(set(indices.reshape(-1).tolist())):
        norm = weight[row].norm(norm_type).item()
        if norm > max_norm:
            weight[row] *= max_norm / (norm + 1e-7)


# -- helpers ------------------------------------------------------------------------------------------------------


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    if tensor.dtype is not _dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return torch.zeros(*tensor.shape, num_classes, dtype=_dtypes.int64)
    low, high = int(tensor.min()), int(tensor.max())
    if low < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = high + 1
    elif high >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    result = torch.empty(*tensor.shape, num_classes, dtype=_dtypes.int64).zero_()  # (at::zeros: version 1)
    return result.scatter_(-1, tensor.unsqueeze(-1), 1)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return torch.div(input, denom, out=out) if out is not None else input / denom


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """at::cosine_similarity: each operand divided by its 2-norm (clamped to eps without a gradient), then
    the products summed."""
    common = torch.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {common._scalar_name}")
    x1, x2 = (x.to(common) if x.dtype.category <= _dtypes.INT else x for x in (x1, x2))
    shape = broadcast_shapes(x1.shape, x2.shape)  # (expand_outplace)
    x1, x2 = (x if x.shape == shape else x.expand(shape) for x in (x1, x2))
    x1_norm = torch.linalg.vector_norm(x1, 2, dim=dim, keepdim=True).clone()
    x2_norm = torch.linalg.vector_norm(x2, 2, dim=dim, keepdim=True).clone()
    with torch.no_grad():
        x1_norm.clamp_min_(eps)
        x2_norm.clamp_min_(eps)
    return ((x1 / x1_norm) * (x2 / x2_norm)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    return aten_norm(x1 - x2 + eps, p, max(x1.dim(), x2.dim()) - 1, keepdim)


# -- losses ------------------------------------------------------------------------------------------------------


def _reduction(size_average, reduce, reduction: str) -> str:
    """nn._reduction: the legacy size_average/reduce pair (with its warning), and the check of the name."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
            stacklevel=3,
        )
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.", stacklevel=3)
        reduction = "mean"
    if reduction not in _loss.REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _apply_reduction(loss: Tensor, reduction: str) -> Tensor:
    return loss if reduction == "none" else loss.mean() if reduction == "mean" else loss.sum()


def _warn_sizes(input: Tensor, target: Tensor) -> None:
    if target.size() != input.size():
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def _weighted(errors: Tensor, weight: Tensor, input: Tensor, reduction: str) -> Tensor:
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    weighted = errors * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return torch.sum(weighted)
    return torch.sum(weighted) / torch.sum(weight)


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None) -> Tensor:
    _warn_sizes(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    a, b = torch.broadcast_tensors(input, target)
    if weight is not None:
        return _weighted(torch.pow(a - b, 2), weight, input, reduction)
    return _loss.mse_loss(a, b, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None) -> Tensor:
    _warn_sizes(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    a, b = torch.broadcast_tensors(input, target)
    if weight is not None:
        return _weighted(torch.abs(a - b), weight, input, reduction)
    loss = (a - b).abs()
    return _apply_reduction(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0):
    _warn_sizes(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    a, b = torch.broadcast_tensors(input, target)
    if beta == 0.0:
        return l1_loss(a, b, reduction=reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _loss.smooth_l1_loss(a, b, reduction, beta)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0, weight=None) -> Tensor:
    _warn_sizes(input, target)
    reduction = _reduction(None, None, reduction)
    a, b = torch.broadcast_tensors(input, target)
    if weight is not None:
        raise NotImplementedError("huber_loss with weight is not supported by the shim")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return _loss.huber_loss(a, b, reduction, delta)


def nll_loss(input, target, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
             reduction: str = "mean") -> Tensor:  # fmt: skip
    reduction = _reduction(size_average, reduce, reduction)
    return _nll_loss_nd(input, target, weight, reduction, ignore_index)


def _nll_loss_nd(input: Tensor, target: Tensor, weight, reduction: str, ignore_index: int) -> Tensor:
    """nll_loss_nd: 1-d and 2-d inputs directly; (N, C, d1, ...) with the class dim moved last."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and input.shape[0] != target.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target.shape[0]})."
        )
    if target.dtype not in (_dtypes.int64, _dtypes.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype._scalar_name}")
    kernel = "nll_loss_forward" if input.dim() <= 2 else "nll_loss2d_forward"
    if not (input.device == target.device and (weight is None or weight.device == input.device)):
        check_argument_devices(kernel, "self", input, "target", target, "weight", weight)
    if input.dim() <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not (input.dim() == 1 and target.dim() == 0) and input.shape[0] != target.shape[0]:
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)}, target: {list(target.shape)})")
        _check_weight(weight, input.shape[-1])
        return _loss.nll_loss(input, target, weight, reduction, ignore_index)
    expected = [input.shape[0], *input.shape[2:]]
    if list(target.shape) != expected:
        raise RuntimeError(f"Expected target size {expected}, got {list(target.shape)}")
    _check_weight(weight, input.shape[1])
    moved = input.movedim(1, -1).reshape(-1, input.shape[1])
    out = _loss.nll_loss(moved, target.reshape(-1), weight, reduction, ignore_index, node="NllLoss2DBackward0")
    return out.view(expected) if reduction == "none" else out


def _check_weight(weight, n_classes: int) -> None:
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got weight "
            f"tensor of shape: {list(weight.shape)}"
        )


def cross_entropy(input, target, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:  # fmt: skip
    reduction = _reduction(size_average, reduce, reduction)
    class_dim = 0 if input.dim() == 1 else 1
    if input.shape == target.shape:  # class probabilities
        if target.dtype.category != _dtypes.FLOAT:
            raise RuntimeError(
                f"Expected floating point type for target with class probabilities, got {target.dtype._scalar_name}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _check_weight(weight, input.shape[class_dim])
        return _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing, class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        return _cross_entropy_smoothed(input, target, weight, reduction, ignore_index, label_smoothing, class_dim)
    return _nll_loss_nd(input.log_softmax(class_dim), target, weight, reduction, ignore_index)


def _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing, class_dim) -> Tensor:
    n_classes = input.shape[class_dim]
    logp = input.log_softmax(class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    terms = logp * target
    if weight is not None:
        shape = [1] * logp.dim()
        if logp.dim() > 1:
            shape[1] = weight.shape[0]
            weight = weight.view(shape)
        terms = terms * weight
    if reduction == "none":
        return -terms.sum(class_dim)
    total = -terms.sum()
    if reduction == "sum":
        return total
    if logp.numel() == 0:
        return total.fill_(float("nan"))
    return total / (logp.numel() // n_classes)


def _cross_entropy_smoothed(input, target, weight, reduction, ignore_index, label_smoothing, class_dim):
    n_classes = input.shape[class_dim]
    logp = input.log_softmax(class_dim)
    nll = _nll_loss_nd(logp, target, weight, reduction, ignore_index)
    ignored = target == ignore_index
    if weight is not None:
        shape = [1] * logp.dim()
        if logp.dim() > 1:
            shape[class_dim] = weight.shape[0]
        smooth = -(logp * weight.view(shape)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth.masked_fill_(ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            smooth = smooth.sum() / weight.gather(0, target.masked_select(~ignored).flatten()).sum()
        else:
            smooth = smooth.sum() / (~ignored).sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / n_classes)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}) is "
            "deprecated. Please ensure they have the same size."
        )
    if weight is not None:
        weight = weight.expand(torch.broadcast_shapes(target.size(), weight.size()))
    return _loss.binary_cross_entropy(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction: str = "mean", pos_weight=None) -> Tensor:  # fmt: skip
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    return _loss.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False):
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            stacklevel=2,
        )
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    loss = target.exp() * (target - input) if log_target else torch.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() != 0 else loss.sum()
    return _apply_reduction(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin: float = 0, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:  # fmt: skip
    reduction = _reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    loss = (-target * (input1 - input2) + margin).clamp_min_(0)
    return _apply_reduction(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin: float = 0, size_average=None, reduce=None,
                          reduction: str = "mean") -> Tensor:  # fmt: skip
    reduction = _reduction(size_average, reduce, reduction)
    dim = target.dim()
    if dim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input1.dim() != dim + 1 or input2.dim() != dim + 1:
        raise RuntimeError(
            f"{dim}D target tensor expects {dim + 1}D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}."
        )
    eps = 1e-12
    prod = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod / (mag1 * mag2).sqrt_()
    zeros = torch.zeros_like(cos)
    pos = 1 - cos
    neg = (cos - margin).clamp_min(0)
    loss = torch.where(target == 1, pos, zeros) + torch.where(target == -1, neg, zeros)
    return _apply_reduction(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin: float = 1.0, p: float = 2, eps: float = 1e-6,
                        swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:  # fmt: skip
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.dim() == positive.dim() == negative.dim():
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but "
            f"got: anchor {anchor.dim()}D, positive {positive.dim()}D, and negative {negative.dim()}D inputs"
        )
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = torch.min(d_neg, pairwise_distance(positive, negative, p, eps))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return _apply_reduction(loss, reduction)
