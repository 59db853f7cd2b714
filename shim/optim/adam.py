"""torch.optim.Adam (amsgrad, maximize, decoupled weight decay) and the single-tensor update it shares with
AdamW."""

from __future__ import annotations

import numpy as np

from .. import maximum
from .._cpu import vml
from .._cpu.quiet import quiet_numpy
from .._dispatch import bump_version
from .._ops.special import lerp_kernel
from .._ops.ternary import multiply_add
from .._tensor import Tensor
from .optimizer import Optimizer, as_real, check_hyper_parameters, count_step, dense_arrays

__all__ = ["Adam"]


class Adam(Optimizer):
    def __init__(
        self,
        params,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_hyper_parameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        if not (
            (isinstance(betas[0], float) and isinstance(betas[1], float))
            or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))
        ):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _buffers(self, group: dict) -> tuple[str, ...]:
        return ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if group["amsgrad"] else ("exp_avg", "exp_avg_sq")

    def _update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        buffers = [state[name] for name in self._buffers(group)]
        arrays = dense_arrays(p, grad, *buffers) if _takes_arrays(group) else None
        if arrays is None:
            return self._update_tensors(p, grad, state, group)
        _adam_group_arrays(arrays, group, count_step(state))
        _bump_versions(p, buffers, group)

    def _batch(self, group: dict) -> _SmallUpdates | None:
        return _SmallUpdates(self, group) if _takes_arrays(group) else None

    def _update_tensors(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        """_single_tensor_adam (not capturable): lerp the first moment, scale-and-addcmul the second, then
        one addcdiv with the bias corrections computed in Python floats."""
        lr, (beta1, beta2), eps, weight_decay = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        if group["maximize"]:
            grad = -grad
        step_t = state["step"]
        step_t += 1
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(p, alpha=weight_decay)
        p, grad, exp_avg, exp_avg_sq = as_real(p, grad, state["exp_avg"], state["exp_avg_sq"])
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        step = step_t.item()
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if group["amsgrad"]:
            (max_exp_avg_sq,) = as_real(state["max_exp_avg_sq"])
            maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            exp_avg_sq = max_exp_avg_sq
        denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        p.addcdiv_(exp_avg, denom, value=-step_size)


def _takes_arrays(group: dict) -> bool:
    """Whether the group's updates may run on arrays (adam_arrays): a float lr, no L2 weight decay."""
    return not isinstance(group["lr"], Tensor) and (group["decoupled_weight_decay"] or group["weight_decay"] == 0)


def _adam_group_arrays(arrays: list, group: dict, step: float) -> None:
    """adam_arrays of (param, grad, exp_avg, exp_avg_sq[, max_exp_avg_sq]) with the group's hyper-parameters."""
    max_exp_avg_sq = arrays[4] if group["amsgrad"] else None
    lr, (beta1, beta2), eps, weight_decay = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    adam_arrays(*arrays[:4], max_exp_avg_sq, lr, beta1, beta2, eps, weight_decay, group["maximize"], step)


def _bump_versions(p: Tensor, buffers: list, group: dict) -> None:
    """The version counts the update's tensor ops would leave."""
    decayed = (p,) if group["weight_decay"] != 0 else ()  # mul_ by 1 - lr * weight_decay
    for t in (*decayed, p, *buffers, buffers[1]):  # addcdiv_; lerp_; mul_ and addcmul_; maximum(out=)
        bump_version(t)


_SMALL = 1 << 14  # elements: parameters up to this size are updated together


class _SmallUpdates:
    """The group's small dense updates, made by one adam_arrays call over their arrays end to end: a call
    costs some thirty numpy calls whatever its size (a bias's update ~34 us), and every step of it is
    elementwise, so each element's bits are those of its own call.  Taken only where no memory is shared
    with an array another update writes (each written array owns its memory, and no other array is a view
    of one); updates at different step counts or dtypes are made apart."""

    def __init__(self, optimizer: Adam, group: dict) -> None:
        self._optimizer, self._group = optimizer, group
        self._pending: dict[tuple, list] = {}
        self._written: set[int] = set()  # (ids of the arrays written, which own their memory)
        self._owners: set[int] = set()  # (ids of the owners of every array's memory)

    def add(self, p: Tensor, grad: Tensor, state: dict) -> bool:
        buffers = [state[name] for name in self._optimizer._buffers(self._group)]
        arrays = dense_arrays(p, grad, *buffers)
        if arrays is None or arrays[0].size > _SMALL:
            return False
        written, owners = [arrays[0], *arrays[2:]], {id(_owner(a)) for a in arrays}
        if any(a.base is not None or id(a) in self._owners for a in written) or not self._written.isdisjoint(owners):
            return False
        self._written.update(id(a) for a in written)
        self._owners |= owners
        self._pending.setdefault((count_step(state), arrays[0].dtype), []).append((p, buffers, arrays))
        return True

    def run(self) -> None:
        for (step, _), updates in self._pending.items():
            if len(updates) == 1:
                _adam_group_arrays(updates[0][2], self._group, step)
            else:
                columns = [np.concatenate([a.reshape(-1) for a in column]) for column in zip(*(u[2] for u in updates))]
                _adam_group_arrays(columns, self._group, step)
                start = 0
                for _, _, arrays in updates:
                    end = start + arrays[0].size
                    for k in (0, *range(2, len(arrays))):  # (the gradient is only read)
                        arrays[k][...] = columns[k][start:end].reshape(arrays[k].shape)
                    start = end
            for p, buffers, _ in updates:
                _bump_versions(p, buffers, self._group)
        self._pending.clear()
        self._written.clear()
        self._owners.clear()


def _owner(a: np.ndarray):
    """The object whose memory `a` views (numpy points a view of a view at the owner, or at a wrapper of it)."""
    while getattr(a, "base", None) is not None:
        a = a.base
    return a


def adam_arrays(
    param: np.ndarray,
    grad: np.ndarray,
    exp_avg: np.ndarray,
    exp_avg_sq: np.ndarray,
    max_exp_avg_sq: np.ndarray | None,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    decoupled_weight_decay: float,
    maximize: bool,
    step: float,
) -> None:
    """Adam._update_tensors on float32/float64 arrays, in place: each line is one of its tensor ops, computed
    by that op's kernel with the scalar in the array's type, so the bits are the same (tests/test_training.py
    runs both); without the per-op dispatch, a step of a small parameter costs a tenth."""
    real = param.dtype.type
    with quiet_numpy():
        if maximize:
            grad = -grad
        if decoupled_weight_decay != 0:
            param *= real(1 - lr * decoupled_weight_decay)
        exp_avg[...] = lerp_kernel(exp_avg, grad, real(1 - beta1))
        exp_avg_sq *= real(beta2)
        exp_avg_sq[...] = multiply_add(real(1 - beta2) * grad, grad, exp_avg_sq)
        step_size = lr / (1 - beta1**step)
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        if max_exp_avg_sq is not None:
            np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            exp_avg_sq = max_exp_avg_sq
        denom = vml.sqrt(exp_avg_sq)
        denom /= real(bias_correction2_sqrt)
        denom += real(eps)
        param += real(-step_size) * exp_avg / denom
