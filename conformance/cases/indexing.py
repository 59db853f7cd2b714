"""Indexing: basic keys give views, advanced keys copy; item()."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, tensors


@case(
    covers=("x[i, j]", "item"),
    x=tensors(dtypes=ALL, shape=st.tuples(st.integers(0, 4), st.integers(0, 4))),
    i=st.integers(-5, 5),
    j=st.integers(-5, 5),
)
def getitem_ij(xp, x, i, j):
    v = x[i, j]
    return v, v.item()
