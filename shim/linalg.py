"""torch.linalg: the vector norms beginner programs use."""

from __future__ import annotations

from ._ops.matrices import linalg_cross as cross
from ._ops.matrices import multi_dot
from ._ops.reductions import vector_norm

__all__ = ["vector_norm", "norm", "multi_dot", "cross", "diagonal"]


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return A.diagonal(offset, dim1, dim2)


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """torch.linalg.norm for vectors (ord=None is the 2-norm over the given or all dims)."""
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)
