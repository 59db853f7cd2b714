"""torch's error messages, as templates, and the checks that raise them with torch's exception classes."""

from __future__ import annotations

import sys
import warnings

__all__ = [
    "wrap_dim",
    "wrap_dims",
    "not_implemented_for",
    "shape_str",
    "warn_internal",
    "invalid_arguments",
    "TEMPLATES",
]

TEMPLATES = {
    "dim_range": "Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})",
    "dim_scalar": "Dimension specified as {dim} but tensor has no dimensions",
    "dim_repeat": "dim {dim} appears multiple times in the list of dims",
    "not_implemented": "\"{kernel}\" not implemented for '{dtype}'",
    "broadcast": "The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {dim}",
    "inplace_broadcast": "output with shape {out} doesn't match the broadcast shape {shape}",
    "cast": "result type {src} can't be cast to the desired output type {dst}",
    "leaf_inplace": "a leaf Variable that requires grad is being used in an in-place operation.",
    "leaf_view_inplace": "a view of a leaf Variable that requires grad is being used in an in-place operation.",
    "out_grad": "{op}(): functions with out=... arguments don't support automatic differentiation, but one of "
    "the arguments requires grad.",
    "arange_resize": "The number of elements in the out tensor of shape {shape} is {old} which does not match the "
    "computed number of elements {new}. Note that this may occur as a result of rounding error. The out tensor will "
    "be resized to a tensor of shape ({new},).",
    "overlap": "unsupported operation: more than one element of the written-to tensor refers to a single memory "
    "location. Please clone() the tensor before performing the operation.",
    "overlap_inputs": "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
    "single memory location. Please clone() the tensor before performing the operation.",
    "argument_type": "{op}(): argument '{arg}' (position {pos}) must be {expected}, not {got}",
    "int_requires_grad": "Only Tensors of floating point and complex dtype can require gradients",
    "out_requires_grad_resize": "{op}(): the 'out' tensor was specified and requires gradients, and its shape "
    "does not match the expected result. Either remove the 'out' argument, ensure it does not require gradients, "
    "or make sure its shape matches the expected output.",
    "resize_warning": "An output with one or more elements was resized since it had shape {old}, which does not "
    "match the required output shape {new}. This behavior is deprecated, and in a future PyTorch release outputs "
    "will not be resized unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, "
    "inplace, to zero elements with t.resize_(0).",
    "bool_neg": "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
    "mask, use the `~` or `logical_not()` operator instead.",
    "inference_saved": "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal "
    "tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.",
    "inference_inplace": "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more "
    "details.",
}


_WARNED_ONCE: set = set()


def warn_internal(message: str, source: str, once: bool = False) -> None:
    """TORCH_WARN: a UserWarning ending in torch's '(Triggered internally at <build path>/<source>.)', attributed
    to the first caller outside the shim, as torch attributes it to the Python line that called in.
    once: TORCH_WARN_ONCE, shown the first time only in the process."""
    if once:
        if source in _WARNED_ONCE:
            return
        _WARNED_ONCE.add(source)
    frame, level = sys._getframe(1), 2  # stacklevel 1 is this function
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] == "shim":
        frame, level = frame.f_back, level + 1
    warnings.warn(f"{message} (Triggered internally at /__w/pytorch/pytorch/{source}.)", UserWarning, stacklevel=level)


def invalid_arguments(name: str, args: tuple, kwargs: dict, signatures: tuple) -> TypeError:
    """The Python arg parser's error when no overload of `name` takes these arguments (kwargs in the order
    given)."""
    names = {"Tensor": "Tensor", "dtype": "torch.dtype", "Generator": "torch.Generator", "device": "torch.device"}

    def kind(v) -> str:
        return names.get(type(v).__name__, type(v).__name__)

    # the parser lists keywords last-given first, and ends a keyword-only list with its separator
    keywords = [f"{k}={kind(v)}" for k, v in reversed(kwargs.items())]
    got = ", ".join([kind(a) for a in args] + keywords) if args else "".join(k + ", " for k in keywords)
    expected = "".join(f" * ({s})\n" for s in signatures)
    return TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n{expected}"
    )


def shape_str(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def wrap_dim(dim, ndim: int, scalar_ok: bool = True) -> int:
    """Normalise a possibly negative dim as torch does, with torch's IndexError.  A 0-d tensor accepts
    0 and -1 where torch wraps scalars (reductions, views), and nothing where it does not (flip, roll)."""
    if not isinstance(dim, int):
        dim = _as_int(dim)
    if ndim == 0 and not scalar_ok:
        raise IndexError(TEMPLATES["dim_scalar"].format(dim=dim))
    if ndim == 0:
        if dim in (0, -1):
            return 0
        raise IndexError(TEMPLATES["dim_range"].format(lo=-1, hi=0, dim=dim))
    if not -ndim <= dim < ndim:
        raise IndexError(TEMPLATES["dim_range"].format(lo=-ndim, hi=ndim - 1, dim=dim))
    return dim + ndim if dim < 0 else dim


def wrap_dims(dims, ndim: int, scalar_ok: bool = True) -> tuple[int, ...]:
    """Normalise a dim or a sequence of dims; duplicates raise torch's error."""
    if isinstance(dims, int):
        return (wrap_dim(dims, ndim, scalar_ok),)
    out = []
    for d in dims:
        w = wrap_dim(d, ndim, scalar_ok)
        if w in out:
            raise RuntimeError(TEMPLATES["dim_repeat"].format(dim=w))
        out.append(w)
    return tuple(out)


def _as_int(value) -> int:
    if hasattr(value, "__index__") and not isinstance(value, bool):
        return value.__index__()
    raise TypeError(f"dim must be int, not {type(value).__name__}")


def not_implemented_for(kernel: str, dtype) -> NotImplementedError:
    return NotImplementedError(TEMPLATES["not_implemented"].format(kernel=kernel, dtype=dtype._scalar_name))
