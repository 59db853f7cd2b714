"""Matrix products across every rank combination torch accepts."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import FLOATS, matmul_pairs, tensors


@case(
    covers=("mm",),
    grad=True,
    dtype_of="a",
    a=tensors(
        dtypes=FLOATS + ("int64",),
        regime="exact",
        shape=st.tuples(st.integers(0, 4), st.integers(0, 4)),
        requires_grad=st.booleans(),
    ),
    b=tensors(
        dtypes=FLOATS + ("int64",),
        regime="exact",
        shape=st.tuples(st.integers(0, 4), st.integers(0, 4)),
        requires_grad=st.booleans(),
    ),
)
def mm_matrices(xp, a, b):
    return xp.mm(a, b)


@case(covers=("matmul", "@"), grad=True, pair=matmul_pairs(requires_grad=st.booleans()))
def matmul_ranks(xp, pair):
    a, b = pair
    return a @ b
