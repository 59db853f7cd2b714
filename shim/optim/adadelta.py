"""torch.optim.Adadelta."""

from __future__ import annotations

from .._tensor import Tensor
from .optimizer import Optimizer, as_real, check_hyper_parameters

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    def __init__(
        self,
        params,
        lr: float | Tensor = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyper_parameters(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        defaults = dict(
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            capturable=capturable,
            foreach=foreach,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _buffers(self, group: dict) -> tuple[str, ...]:
        return ("square_avg", "acc_delta")

    def _update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        """_single_tensor_adadelta."""
        rho, eps = group["rho"], group["eps"]
        state["step"] += 1
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        complex_param = p.is_complex()
        grad, square_avg, acc_delta = as_real(grad, state["square_avg"], state["acc_delta"])
        square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
        std = square_avg.add(eps).sqrt_()
        delta = acc_delta.add(eps).sqrt_()
        delta.div_(std).mul_(grad)
        acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
        if complex_param:
            from .. import view_as_complex

            delta = view_as_complex(delta)
        p.add_(delta, alpha=-group["lr"])
