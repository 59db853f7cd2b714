"""torch.optim.Adamax: Adam with the infinity norm."""

from __future__ import annotations

from .. import maximum
from .._tensor import Tensor
from .optimizer import Optimizer, as_real, check_hyper_parameters

__all__ = ["Adamax"]


class Adamax(Optimizer):
    def __init__(
        self,
        params,
        lr: float | Tensor = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_hyper_parameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _buffers(self, group: dict) -> tuple[str, ...]:
        return ("exp_avg", "exp_inf")

    def _update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        """_single_tensor_adamax."""
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        step_t = state["step"]
        step_t += 1
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        p, grad, exp_avg, exp_inf = as_real(p, grad, state["exp_avg"], state["exp_inf"])
        exp_avg.lerp_(grad, 1 - beta1)
        maximum(exp_inf.mul_(beta2), grad.abs().add_(group["eps"]), out=exp_inf)
        clr = group["lr"] / (1 - beta1 ** step_t.item())
        p.addcdiv_(exp_avg, exp_inf, value=-clr)
