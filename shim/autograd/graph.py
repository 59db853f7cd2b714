"""torch.autograd.graph: the Node base class of grad_fn objects."""

from .._autograd.graph import Node

__all__ = ["Node"]
