"""torch.autograd: backward, grad, grad modes and custom Functions."""

from .._autograd.engine import backward, grad
from .._autograd.function import Function, FunctionCtx, once_differentiable
from .._autograd.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from .._tensor import Tensor as Variable
from . import function, grad_mode, graph

__all__ = [
    "backward",
    "grad",
    "Function",
    "FunctionCtx",
    "once_differentiable",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "Variable",
    "graph",
    "grad_mode",
    "function",
    "set_detect_anomaly",
    "detect_anomaly",
]


class set_detect_anomaly:
    """Accepted for compatibility; the shim's errors already name the failing node."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.mode = mode

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


detect_anomaly = set_detect_anomaly
