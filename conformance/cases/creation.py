"""Factories and torch.tensor dtype inference."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, shapes

_NESTED = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-300, 300),
        st.floats(allow_nan=True, width=64),
        st.complex_numbers(max_magnitude=10, allow_nan=False),
    ),
    lambda children: st.lists(children, max_size=3),
    max_leaves=8,
)


@case(covers=("tensor",), data=_NESTED, dtype=st.sampled_from((None,) + ALL))
def tensor_from_data(xp, data, dtype):
    return xp.tensor(data, dtype=None if dtype is None else getattr(xp, dtype))


@case(
    covers=("zeros", "ones"),
    shape=shapes(),
    dtype=st.sampled_from((None,) + ALL),
    form=st.sampled_from(["varargs", "tuple", "list"]),
)
def zeros_ones(xp, shape, dtype, form):
    dt = None if dtype is None else getattr(xp, dtype)
    args = tuple(shape) if form == "varargs" else ((tuple(shape),) if form == "tuple" else (list(shape),))
    return xp.zeros(*args, dtype=dt), xp.ones(*args, dtype=dt)
