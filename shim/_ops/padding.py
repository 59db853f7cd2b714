"""Padding: constant_pad_nd (ConstantPadNdBackward0) and reflection_pad / replication_pad in 1, 2 and 3 dims
(ReflectionPad2DBackward0, ...).

A reflection or replication pad is a gather: every output element reads one input element through a flat
index map.  Its derivative adds the upstream gradient back through the same map in output order, one element
at a time, as torch's backward kernels loop, so repeated sources sum bit for bit."""

from __future__ import annotations

import math

import numpy as np

from .._dispatch import needs_grad, record
from .._errors import shape_str
from .._tensor import Tensor, make
from .._views import copy_preserving
from .elementwise import formula

__all__ = ["constant_pad_nd", "index_pad", "gather"]


# -- constant --------------------------------------------------------------------------------------------
def _narrowed(shape: tuple, pad: tuple) -> tuple:
    """Per padded dim (last first in `pad`), the input's kept range and where it lands in the output, narrowing
    for negative pads as constant_pad_nd does (narrow's error for a negative length)."""
    lead = len(shape) - len(pad) // 2
    source, target, out = [slice(None)] * lead, [slice(None)] * lead, list(shape[:lead])
    for i in range(lead, len(shape)):
        left, right = pad[2 * (len(shape) - i - 1)], pad[2 * (len(shape) - i - 1) + 1]
        start, size = max(-left, 0), shape[i]
        size -= max(-left, 0)
        if size < 0 or size + min(right, 0) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        size += min(right, 0)
        source.append(slice(start, start + size))
        target.append(slice(max(left, 0), max(left, 0) + size))
        out.append(size + max(left, 0) + max(right, 0))
    return tuple(source), tuple(target), tuple(out)


def _constant_pad_back(F, g, source, target, shape):
    return F.setitem(F.new_zeros(shape, g), source, F.getitem(g, target))


def constant_pad_nd(input: Tensor, pad: tuple, value: float = 0) -> Tensor:
    if len(pad) % 2:
        raise RuntimeError("Length of pad must be even but instead it equals " + str(len(pad)))
    if len(pad) // 2 > input.dim():
        raise RuntimeError(
            f"Length of pad should be no more than twice the number of dimensions of the input. Pad length is "
            f"{len(pad)} while the input has {input.dim()} dimensions."
        )
    source, target, shape = _narrowed(input.shape, pad)
    if all(p <= 0 for p in pad):  # torch returns the narrowed input's clone (its layout preserved)
        y = copy_preserving(input._a[source])
    else:
        y = np.empty(shape, input._a.dtype)
        y[...] = input._dtype.np.type(value) if input._dtype.category else bool(value)
        y[target] = input._a[source]
    r = make(y, input._dtype, input._device)
    if needs_grad(input):
        saved = {"source": source, "target": target, "shape": input.shape}
        record("ConstantPadNdBackward0", (input,), (formula(_constant_pad_back),), saved, r)
    return r


# -- reflection and replication --------------------------------------------------------------------------
def _reflect(j: np.ndarray, n: int) -> np.ndarray:
    j = np.abs(j)
    return np.where(j >= n, 2 * (n - 1) - j, j)


_SOURCE = {"reflect": _reflect, "replicate": lambda j, n: np.clip(j, 0, n - 1)}
_NODE = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0"}


def _index_pad_back(F, g, index, shape):
    planes = math.prod(shape[: len(shape) - index.ndim])
    rows = F.permute(F.reshape(g, (planes, index.size)), (1, 0))  # (output offset, plane)
    sources = math.prod(shape[len(shape) - index.ndim :])
    grad = F.index_add(F.new_zeros((sources, rows.shape[1]), g), index.reshape(-1), rows)
    return F.contiguous(F.reshape(F.permute(grad, (1, 0)), shape))


def index_pad(mode: str, input: Tensor, pad: tuple) -> Tensor:
    """reflection_padNd / replication_padNd with pad = (left, right) per dim, last dim first."""
    nd = len(pad) // 2
    spatial = input.shape[input.dim() - nd :]
    batched = input.dim() == nd + 2
    if any(s == 0 for s in input.shape[1:] if batched) or (not batched and any(s == 0 for s in input.shape)):
        modes = f"{nd + 1}D or {nd + 2}D" if nd > 1 else "2D or 3D"
        raise RuntimeError(
            f"Expected {modes} (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for "
            f"input, but got: {shape_str(input.shape)}"
        )
    ranges = []
    for k, n in enumerate(reversed(spatial)):
        left, right = pad[2 * k], pad[2 * k + 1]
        if mode == "reflect" and (left >= n or right >= n):
            raise RuntimeError(
                f"Argument #{4 + 2 * k}: Padding size should be less than the corresponding input dimension, but got: "
                "padding "
                f"({left}, {right}) at dimension {input.dim() - 1 - k} of input {shape_str(input.shape)}"
            )
        ranges.append(_SOURCE[mode](np.arange(-left, n + right), n))
    ranges.reverse()
    return gather(_NODE[mode].format(nd), input, ranges)


def gather(node: str, input: Tensor, sources: list) -> Tensor:
    """Each output element the input element at its per-dim source positions (`sources`, one array per
    trailing dim), the node's gradient adding back through the same map in output order."""
    spatial = input.shape[input.dim() - len(sources) :]
    index = np.zeros((), np.int64)
    for n, source in zip(spatial, sources):  # the flat input offset of every output element, row-major
        index = index[..., None] * n + source
    flat = input._a.reshape(*input.shape[: input.dim() - len(sources)], math.prod(spatial))
    r = make(np.ascontiguousarray(flat[..., index]), input._dtype, input._device)
    if needs_grad(input):
        saved = {"index": index, "shape": input.shape}
        record(node, (input,), (formula(_index_pad_back),), saved, r)
    return r
