"""upsample_nearest{1,2,3}d and upsample_linear1d / upsample_bilinear2d / upsample_trilinear3d, with the
source positions and weights computed as torch's CPU kernels compute them (in float for float and half, in
double for double), so results are bit for bit where the arithmetic order matches.

Nearest is a gather (padding's, with its gradient added back in output order).  Linear interpolation in 1
and 3 dims is separable as torch's Interpolate<n> nests it (the two neighbours' interpolations over the inner
dims, weighted and summed, the compiler fusing t0 * w0 into the sum); bilinear has its own loop.  The
derivative adds the upstream value times the product of the weights into each neighbour, in output order,
each add fused.  Source positions are fused multiply-adds too: all measured against torch 2.13."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._cpu.fma import fma32, fma64
from .._dispatch import needs_grad, quiet_numpy, record
from .._errors import not_implemented_for
from .._tensor import Tensor, make
from .elementwise import formula
from .padding import gather

__all__ = ["upsample_nearest", "upsample_linear"]

_FMA = {np.float32: fma32, np.float64: fma64}
_LINEAR_NODES = {1: "UpsampleLinear1DBackward0", 2: "UpsampleBilinear2DBackward0", 3: "UpsampleTrilinear3DBackward0"}


def _opmath(dtype) -> type:
    return np.float64 if dtype is _dtypes.float64 else np.float32


def _scale(opmath, size: int, out: int, scale) -> np.floating:
    """compute_scales_value: 1 / the given scale factor, else input size / output size."""
    if scale is not None and scale > 0:
        return opmath(1.0 / scale)
    return opmath(size) / opmath(out)


def _nearest_sources(size: int, out: int, scale) -> np.ndarray:
    o = np.arange(out)
    if out == size:
        return o
    if out == 2 * size:
        return o >> 1
    s = _scale(np.float32, size, out, scale)
    return np.minimum(np.floor(o.astype(np.float32) * s).astype(np.int64), size - 1)


def upsample_nearest(input: Tensor, sizes: tuple, scales: tuple) -> Tensor:
    nd = len(sizes)
    spatial = input.shape[2:]
    sources = [_nearest_sources(n, o, s) for n, o, s in zip(spatial, sizes, scales)]
    return gather(f"UpsampleNearest{nd}DBackward0", input, sources)


def _linear_weights(opmath, size: int, out: int, align_corners: bool, scale):
    """compute_source_index_and_lambda per output position: the lower neighbour, the offset to the upper
    one (0 at the last input), and their weights lambda0, lambda1."""
    o = np.arange(out)
    if out == size:
        return o, np.zeros(out, np.int64), np.ones(out, opmath), np.zeros(out, opmath)
    if align_corners:
        ratio = opmath(size - 1) / opmath(out - 1) if out > 1 else opmath(0)
        real = ratio * o.astype(opmath)
    else:
        ratio = np.full(out, _scale(opmath, size, out, scale), opmath)
        real = _FMA[opmath](ratio, o.astype(opmath) + opmath(0.5), np.full(out, -0.5, opmath))  # (contracted)
        real = np.where(real < 0, opmath(0), real).astype(opmath)
    low = np.minimum(real.astype(np.int64), size - 1)
    offset = (low < size - 1).astype(np.int64)
    lambda1 = np.minimum(np.maximum(real - low.astype(opmath), opmath(0)), opmath(1)).astype(opmath)
    return low, offset, (opmath(1) - lambda1).astype(opmath), lambda1


def _interpolate(x: np.ndarray, weights: list, opmath, axis: int = 0) -> np.ndarray:
    """Interpolate<n>::eval for every output: along `axis`, the two neighbours' interpolations over the
    inner dims, times their weights, summed (t0 * w0 + t1 * w1)."""
    low, offset, w0, w1 = weights[0]
    ends = [np.take(x, low, axis=axis), np.take(x, low + offset, axis=axis)]
    t0, t1 = (_interpolate(e, weights[1:], opmath, axis + 1) if len(weights) > 1 else e.astype(opmath) for e in ends)
    shape = [1] * x.ndim
    shape[axis] = -1
    w0, w1 = np.broadcast_to(w0.reshape(shape), t0.shape), w1.reshape(shape)
    return _FMA[opmath](t0, w0, t1 * w1)  # t0 * w0 + t1 * w1, contracted by the compiler


def _bilinear(x: np.ndarray, weights: list, opmath) -> np.ndarray:
    """upsample_bilinear2d's own loop (measured): the four corners weighted by products h * w, accumulated as
    x01*c01, then fused adds of x00*c00, x10*c10, x11*c11."""
    (hl, ho, h0, h1), (wl, wo, w0, w1) = weights
    rows, cols = (hl[:, None], (hl + ho)[:, None]), (wl[None, :], (wl + wo)[None, :])
    corner = [[x[r, c].astype(opmath) for c in cols] for r in rows]  # (outputs h, outputs w, planes)
    factor = [[(h[:, None] * w[None, :])[..., None] for w in (w0, w1)] for h in (h0, h1)]
    fma = _FMA[opmath]
    out = corner[0][1] * factor[0][1]
    for i, j in ((0, 0), (1, 0), (1, 1)):
        out = fma(corner[i][j], np.broadcast_to(factor[i][j], out.shape), out)
    return out


def _corners(weights: list, spatial: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Per output element (rows, in order), its 2**n neighbours' flat offsets and weight products, corners in
    torch's order (lower before upper, outer dims first)."""
    offsets, factors = [], []
    for corner in np.ndindex(*(2,) * len(weights)):
        index, factor = np.zeros((), np.int64), None
        for (low, offset, w0, w1), n, c in zip(weights, spatial, corner):
            index = index[..., None] * n + (low + offset * c)
            w = w1 if c else w0
            factor = w if factor is None else factor[..., None] * w
        offsets.append(index.reshape(-1))
        factors.append(factor.reshape(-1))
    return np.stack(offsets, -1), np.stack(factors, -1)


def _fma_accumulate(size: int, targets: np.ndarray, factors: np.ndarray, values: np.ndarray) -> np.ndarray:
    """grad[t] = fma(factor, value, grad[t]) for each contribution in order (torch's `+=`, contracted); one
    numpy step per rank among the contributions to the same element."""
    grad = np.zeros(size, values.dtype)
    order = np.argsort(targets, kind="stable")
    sorted_targets = targets[order]
    starts = np.flatnonzero(np.r_[True, sorted_targets[1:] != sorted_targets[:-1]])
    rank = np.empty(targets.size, np.int64)
    rank[order] = np.arange(targets.size) - np.repeat(starts, np.diff(np.r_[starts, targets.size]))
    fma = _FMA[values.dtype.type]
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        pick = rank == r
        grad[targets[pick]] = fma(factors[pick], values[pick], grad[targets[pick]])
    return grad


def _linear_back(F, g, weights, shape):
    """Each upstream value times the product of its weights, added into each of its 2**n neighbours in output
    order (torch's backward loop); with create_graph, the same sums as recorded ops (unfused)."""
    nd = len(weights)
    planes = math.prod(shape[: len(shape) - nd])
    spatial = shape[len(shape) - nd :]
    offsets, factors = _corners(weights, spatial)  # (outputs, corners)
    base = (np.arange(planes) * math.prod(spatial))[:, None, None]
    targets = (offsets[None] + base).reshape(-1)
    if isinstance(g, np.ndarray):
        values = np.broadcast_to(g.reshape(planes, -1, 1), (planes, *offsets.shape)).reshape(-1)
        factors = np.broadcast_to(factors, (planes, *factors.shape)).reshape(-1)
        return _fma_accumulate(planes * math.prod(spatial), targets, factors, values).reshape(shape)
    spread = F.reshape(g, (planes, -1, 1)) * F.array(factors)
    grad = F.index_add(F.new_zeros((planes * math.prod(spatial),), g), targets, F.reshape(spread, (-1,)))
    return F.reshape(grad, shape)


def upsample_linear(input: Tensor, sizes: tuple, align_corners: bool, scales: tuple) -> Tensor:
    if input._dtype.category != _dtypes.FLOAT:
        raise not_implemented_for(f"upsample_{('linear1d', 'bilinear2d', 'trilinear3d')[len(sizes) - 1]}_out_frame",
                                  input._dtype)  # fmt: skip
    opmath = _opmath(input._dtype)
    spatial = input.shape[2:]
    weights = [_linear_weights(opmath, n, o, align_corners, s) for n, o, s in zip(spatial, sizes, scales)]
    x = np.moveaxis(input._a.reshape(-1, *spatial), 0, -1)  # planes last: the interpolation indexes axis 0
    with quiet_numpy():
        y = (_bilinear if len(sizes) == 2 else _interpolate)(x, weights, opmath)
        y = np.moveaxis(y, -1, 0).astype(input._a.dtype)
    r = make(np.ascontiguousarray(y.reshape(*input.shape[:2], *sizes)), input._dtype, input._device)
    if needs_grad(input):
        cast = [(low, offset, w0.astype(input._a.dtype), w1.astype(input._a.dtype)) for low, offset, w0, w1 in weights]
        saved = {"weights": cast, "shape": input.shape}
        record(_LINEAR_NODES[len(sizes)], (input,), (formula(_linear_back),), saved, r)
    return r
