"""torch.optim.Adagrad: its state (a step counter and the running sum of squares, which starts at
initial_accumulator_value) is made for every parameter when the optimizer is."""

from __future__ import annotations

from .._tensor import Tensor
from .optimizer import Optimizer, as_real, check_hyper_parameters, scalar_dtype

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    def __init__(
        self,
        params,
        lr: float | Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_hyper_parameters(
            lr=lr, lr_decay=lr_decay, weight_decay=weight_decay, initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )  # fmt: skip
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, self.state[p], group)

    def _init_state(self, p: Tensor, state: dict, group: dict) -> None:
        from .. import full_like, tensor

        state["step"] = tensor(0.0, dtype=scalar_dtype())
        value = self.defaults["initial_accumulator_value"]
        state["sum"] = full_like(p, complex(value, value) if p.is_complex() else value)

    def _update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        """_single_tensor_adagrad (dense gradients)."""
        step_t = state["step"]
        step_t += 1
        step = step_t.item()
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        p, grad, state_sum = as_real(p, grad, state["sum"])
        state_sum.addcmul_(grad, grad, value=1)
        std = state_sum.sqrt().add_(group["eps"])
        p.addcdiv_(grad, std, value=-clr)
