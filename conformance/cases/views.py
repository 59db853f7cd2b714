"""Views share storage with their base exactly as in torch; shapes and sizes."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, tensors


@st.composite
def view_shapes(draw, x):
    """A target shape for viewing x (sometimes with -1, sometimes invalid)."""
    n = 1
    for d in x.shape:
        n *= d
    divisors = [d for d in range(1, n + 1) if n % d == 0] or [0]
    first = draw(st.sampled_from(divisors))
    rest = n // first if first else 0
    shape = draw(st.sampled_from([(n,), (first, rest), (first, -1), (-1,), (rest, first, 1), (n + 1,)]))
    return shape


@case(covers=("view", "size", "shape"), grad=True, data=st.data(), x=tensors(dtypes=ALL, requires_grad=st.booleans()))
def view_reshape(xp, x, data=None):
    return x.view(-1), x.size(), x.shape


@case(
    covers=("view",),
    grad=True,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    shape=st.sampled_from([(-1,), (1, -1), (-1, 1), (2, -1), (3, -1), (0,), (-1, -1)]),
)
def view_shapes_case(xp, x, shape):
    return x.view(*shape)
