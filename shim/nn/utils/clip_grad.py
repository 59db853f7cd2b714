"""Gradient clipping as torch 2.13 computes it: per-gradient vector norms, their norm, one clamped scale.

torch groups the gradients by (device, dtype) and works group by group; the groups come out of a C++
unordered_map, which (before it rehashes, past three keys) lists them latest-first.  The order shows only in
the total norm's sum, of three or more gradients of mixed dtypes or devices.  On the CPU and the emulated
CUDA device the foreach kernels are the per-tensor ones, so `foreach` changes only how often clip_grad_value_
writes each gradient (its version counter)."""

from __future__ import annotations

import types
import warnings

import shim as torch

from ..._autograd.grad_mode import no_grad
from ..._tensor import Tensor

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]


def _grouped(tensors: list[Tensor]) -> list[list[Tensor]]:
    """_group_tensors_by_device_and_dtype's groups, in its map's order."""
    groups: dict = {}
    for t in tensors:
        groups.setdefault((t.device, t.dtype), []).append(t)
    return list(groups.values())[::-1]


def _listed(tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


@no_grad()
def get_total_norm(tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    tensors = _listed(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return torch.tensor(0.0)
    first_device = tensors[0].device
    norms = [torch.linalg.vector_norm(t, norm_type) for group in _grouped(tensors) for t in group]
    total = torch.linalg.vector_norm(torch.stack([n.to(first_device) for n in norms]), norm_type)
    if error_if_nonfinite and bool(total.isnan() | total.isinf()):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return total


@no_grad()
def clip_grads_with_norm_(parameters, max_norm: float, total_norm: Tensor, foreach=None) -> None:
    grads = [p.grad for p in _listed(parameters) if p.grad is not None]
    max_norm = float(max_norm)
    if not grads:
        return
    coef = torch.clamp(max_norm / (total_norm + 1e-6), max=1.0)
    for group in _grouped(grads):
        coef_on_device = coef.to(group[0].device)
        for g in group:
            g.mul_(coef_on_device)


@no_grad()
def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach=None) -> Tensor:  # fmt: skip
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=3)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach=None) -> Tensor:  # fmt: skip
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@no_grad()
def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    parameters = [parameters] if isinstance(parameters, Tensor) else parameters
    clip_value = float(clip_value)
    for group in _grouped([p.grad for p in parameters if p.grad is not None]):
        for g in group:
            if foreach is False:
                g.clamp_(min=-clip_value, max=clip_value)
            else:  # _foreach_clamp_min_, then _foreach_clamp_max_: two writes
                g.clamp_min_(-clip_value).clamp_max_(clip_value)
