"""repr of tensors, compared character for character."""

from __future__ import annotations

from ..registry import case
from ..strategies import ALL, tensors


@case(covers=("__repr__",), x=tensors(dtypes=ALL, max_side=6))
def repr_tensor(xp, x):
    return repr(x)
