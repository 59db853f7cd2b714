"""torch.nn on the shim: Module and its containers, layers, losses, functional, init and utils."""

from . import functional, init, utils
from .modules import *  # noqa: F403
from .modules import __all__ as _modules
from .parameter import Buffer, Parameter, UninitializedParameter

__all__ = ["functional", "init", "utils", "Parameter", "UninitializedParameter", "Buffer", *_modules]
