"""The loss kernels ATen has nodes for (mse_loss, smooth_l1_loss, huber_loss, binary_cross_entropy,
binary_cross_entropy_with_logits, nll_loss): the elementwise loss as torch's kernel writes it, reduced by
apply_loss_reduction (the tensor mean or sum, bit for bit), and the derivative beside it.  nll_loss sums in
its own cascade (LossNLL.cpp: eight levels, a level per 2**max(4, ceil(log2 n) / 8) terms), reproduced here."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import no_grad
from .._cpu.cascade_sum import _in_order, _sequential
from .._dispatch import needs_grad, quiet_numpy, record
from .._dtypes import FLOAT
from .._errors import not_implemented_for
from .._layout import conform, result_layout
from .._tensor import Tensor, make
from .._views import empty_preserving
from .activation import activation
from .binary import C_LOG, C_LOG1P
from .elementwise import formula

__all__ = [
    "REDUCTIONS",
    "mse_loss",
    "smooth_l1_loss",
    "huber_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "nll_loss",
]

REDUCTIONS = ("none", "mean", "sum")  # torch's Reduction enum: 0, 1, 2


def _norm(reduction: str, numel: int) -> float:
    return 1.0 / numel if reduction == "mean" and numel else 1.0


def _reduce(loss: np.ndarray, dtype, device, reduction: str) -> Tensor:
    """apply_loss_reduction: the loss tensor itself, its mean or its sum (the tensor ops, bit for bit)."""
    t = make(loss, dtype, device)
    if reduction == "none":
        return t
    with no_grad():
        return t.mean() if reduction == "mean" else t.sum()


def _pointwise_loss(
    node, kernel, grads, input: Tensor, target: Tensor, reduction: str, saved: dict, like_input: bool = False
) -> Tensor:
    """A loss computed elementwise, then reduced.  Its elements are laid out as TensorIterator allocates a
    binary op's output, or (`like_input`: huber, binary_cross_entropy) as empty_like(input): the layout
    decides the order its mean or sum takes."""
    if input._dtype.category != FLOAT:
        raise not_implemented_for(f"{node[: -len('Backward0')].lower()}_cpu", input._dtype)
    with quiet_numpy():
        loss = np.asarray(kernel(input._a, target._a.astype(input._a.dtype, copy=False)), input._a.dtype)
    if like_input:
        loss, values = empty_preserving(input._a), loss
        loss[...] = values
    else:
        loss = conform(loss, result_layout(loss.shape, (input._a, target._a), input._a.dtype) if loss.ndim else None)
    r = _reduce(loss, input._dtype, input._device, reduction)
    if needs_grad(input, target):
        values = {"self": input, "target": target, "reduction": reduction, "numel": input._a.size, **saved}
        record(node, (input, target), grads, values, r)
    return r


def _c(a, v):
    return a.dtype.type(v)


# -- mse, smooth L1, huber -----------------------------------------------------------------------
def _mse_back(F, g, self, target, reduction, numel):
    return _norm(reduction, numel) * 2 * (self - target) * g


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    grads = (
        formula(_mse_back),
        formula(lambda F, g, self, target, reduction, numel: -_mse_back(F, g, self, target, reduction, numel)),
    )
    return _pointwise_loss("MseLossBackward0", lambda a, b: (a - b) * (a - b), grads, input, target, reduction, {})


def _smooth_l1_back(F, g, self, target, reduction, numel, beta):
    x = self - target
    norm = _norm(reduction, numel)
    return F.where(x < -beta, -norm * g, F.where(x > beta, norm * g, norm * x * g / beta))


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    def kernel(a, b):
        z = np.abs(a - b)
        return np.where(z < beta, _c(a, 0.5) * z * z / _c(a, beta), z - _c(a, 0.5 * beta))

    grads = (
        formula(_smooth_l1_back),
        formula(
            lambda F, g, self, target, reduction, numel, beta: (
                -_smooth_l1_back(F, g, self, target, reduction, numel, beta)
            )
        ),
    )
    return _pointwise_loss("SmoothL1LossBackward0", kernel, grads, input, target, reduction, {"beta": beta})


def _huber_back(F, g, self, target, reduction, numel, delta):
    x = self - target
    norm = _norm(reduction, numel)
    return F.where(x < -delta, -norm * g * delta, F.where(x > delta, norm * g * delta, norm * x * g))


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    def kernel(a, b):
        z = np.abs(a - b)
        return np.where(z < delta, _c(a, 0.5) * z * z, _c(a, delta) * (z - _c(a, 0.5 * delta)))

    grads = (
        formula(_huber_back),
        formula(
            lambda F, g, self, target, reduction, numel, delta: (
                -_huber_back(F, g, self, target, reduction, numel, delta)
            )
        ),
    )
    return _pointwise_loss("HuberLossBackward0", kernel, grads, input, target, reduction, {"delta": delta}, True)


# -- binary cross entropy ----------------------------------------------------------------------------
_EPSILON = 1e-12


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean"):
    a, t = input._a, target._a.astype(input._a.dtype, copy=False)
    if a.size and not ((a >= 0) & (a <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if a.size and not ((t >= 0) & (t <= 1)).all():
        raise RuntimeError("all elements of target should be between 0 and 1")

    def kernel(x, y):  # a scalar loop: the C library's log1p and log (log1pf and logf for float)
        low = _c(x, -100)
        loss = (y - 1) * np.maximum(C_LOG1P(-x), low) - y * np.maximum(C_LOG(x), low)
        return loss * weight._a if weight is not None else loss

    def back(F, g, self, target, reduction, numel, weight):  # the kernel, then weight, then the mean's division
        r = g * (self - target) / F.where((1 - self) * self > _EPSILON, (1 - self) * self, _EPSILON)
        if weight is not None:
            r = r * weight
        return r / numel if reduction == "mean" else r

    def back_target(F, g, self, target, reduction, numel, weight):  # binary_cross_entropy_target_backward
        log1m, log = F.log1p(-self), F.log(self)
        r = _norm(reduction, numel) * g * (F.where(log1m > -100, log1m, -100.0) - F.where(log > -100, log, -100.0))
        return r * weight if weight is not None else r

    grads = (formula(back), formula(back_target))
    saved = {"weight": weight}
    return _pointwise_loss("BinaryCrossEntropyBackward0", kernel, grads, input, target, reduction, saved, True)


def binary_cross_entropy_with_logits(
    input: Tensor, target: Tensor, weight=None, pos_weight=None, reduction: str = "mean"
) -> Tensor:
    with no_grad():
        log_sigmoid = activation("log_sigmoid", input)
        if pos_weight is not None:
            log_sigmoid = log_sigmoid * ((pos_weight - 1) * target + 1)
        loss = (1 - target) * input - log_sigmoid
        if weight is not None:
            loss = loss * weight

    def back_input(F, g, self, target, reduction, numel, weight, pos_weight):
        # (torch's: the sigmoid op, times the upstream, the weight, then the mean's division)
        if pos_weight is not None:
            t = pos_weight * target
            r = (t + 1 - target) * F.sigmoid(self) - t
        else:
            r = F.sigmoid(self) - target
        return _scaled_back(r * g, reduction, numel, weight)

    def back_target(F, g, self, target, reduction, numel, weight, pos_weight):
        if pos_weight is not None:  # log_sigmoid(-x) - pos_weight * log_sigmoid(x)
            r = _log_sigmoid(F, -self) - pos_weight * _log_sigmoid(F, self)
        else:
            r = -self
        return _scaled_back(r * g, reduction, numel, weight)

    r = _reduce(loss._a, loss._dtype, loss._device, reduction)
    if needs_grad(input, target):
        saved = {
            "self": input,
            "target": target,
            "reduction": reduction,
            "numel": input._a.size,
            "weight": weight,
            "pos_weight": pos_weight,
        }
        record(
            "BinaryCrossEntropyWithLogitsBackward0",
            (input, target),
            (formula(back_input), formula(back_target)),
            saved,
            r,
        )
    return r


def _scaled_back(r, reduction, numel, weight):
    """A loss gradient times the weight, then divided by the element count for a mean (torch's div_)."""
    if weight is not None:
        r = r * weight
    return r / numel if reduction == "mean" else r


def _log_sigmoid(F, x):
    return F.where(x < 0, x, 0.0) - F.log1p(F.exp(-F.abs(x)))


# -- negative log likelihood ---------------------------------------------------------------------------
_LEVELS = 8


def _cascade(terms: np.ndarray) -> np.generic:
    """nll_loss_out_frame's sum: terms enter level 0; after term b, each level j whose bits of b (level_power of
    them, at j * level_power) are all zero is added into level j + 1; the levels are then accumulated from 0.
    So term 0 climbs to the top level at once, and each level below holds in-order sums of groups of
    2**level_power entries of the level beneath, plus the entries after its last full group."""
    n = terms.size
    zero = terms.dtype.type(0)
    if n == 0:
        return zero
    group = 1 << max(4, (math.ceil(math.log2(n)) if n > 1 else 0) // _LEVELS)
    level = terms[1:].reshape(1, -1)
    total = zero
    for _ in range(_LEVELS - 1):
        if level.shape[1] < group:  # nothing flushed further up: the levels above hold +0
            total = total + _in_order(level)[0]
            level = level[:, :0]
            break
        level, rest = _sequential(level, group)
        total = total + rest[0]
    top = zero + terms[0]
    for flushed in level[0]:
        top = top + flushed
    return total + top


def nll_loss(
    input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, ignore_index: int, node="NllLossBackward0"
) -> Tensor:
    """nll_loss of a 1-d (C) or 2-d (N, C) input (nn.functional makes the checks before the kernel's; an
    (N, C, d...) input arrives as (N * d..., C), which is nll_loss2d's order and cascade)."""
    x = input._a if input._a.ndim == 2 else input._a.reshape(1, -1)
    t = target._a.reshape(-1).astype(np.int64)
    n_classes = x.shape[-1]
    keep = t != ignore_index
    bad = keep & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(t[np.argmax(bad)])} is out of bounds.")
    rows = np.flatnonzero(keep)
    picked = x[rows, t[rows]]
    w = weight._a[t[rows]] if weight is not None else None
    dtype = x.dtype.type
    total_weight = dtype(0)
    with quiet_numpy():
        if reduction == "none" and input._a.ndim == 2:
            value = np.zeros(x.shape[0], x.dtype)
            value[rows] = -picked * w if w is not None else -picked
        elif x.shape[0] == 0:
            value = dtype("nan" if reduction == "mean" else 0)
        else:
            total = _cascade(-(picked * w) if w is not None else -picked)
            total_weight = _cascade(w) if w is not None else dtype(rows.size)
            value = total / total_weight if reduction == "mean" else total
    r = make(np.array(value, x.dtype), input._dtype, input._device)
    if needs_grad(input):
        picks = np.zeros(x.shape, x.dtype)  # d loss / d input before the upstream factor: w[t] (or 1) at targets
        picks[rows, t[rows]] = w if w is not None else 1
        saved = {
            "picks": make(picks.reshape(input._a.shape), input._dtype, input._device),
            "mask": make((picks != 0).reshape(input._a.shape), _dtypes.bool_, input._device),
            "per_row": reduction == "none" and input._a.ndim == 2,
            "divisor": total_weight if reduction == "mean" else None,
        }
        record(node, (input,), (formula(_nll_back),), saved, r)
    return r


def _nll_back(F, g, picks, mask, per_row, divisor):
    """w[t] * -g (-(g / total_weight) for the mean) at each target, +0 elsewhere."""
    upstream = F.unsqueeze_dims(g, (1,)) if per_row else g / divisor if divisor is not None else g
    return F.where(mask, picks * -upstream, 0.0)
