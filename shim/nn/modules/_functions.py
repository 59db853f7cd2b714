"""Autograd Functions the nn modules use internally."""

from __future__ import annotations

from ...autograd import Function


class BackwardHookFunction(Function):
    """Identity on its tensors, so that a module's inputs and outputs pass through one graph node each,
    on which BackwardHook captures their gradients."""

    @staticmethod
    def forward(ctx, *args):
        ctx.mark_non_differentiable(*[arg for arg in args if not arg.requires_grad])
        return args

    @staticmethod
    def backward(ctx, *args):
        return args
