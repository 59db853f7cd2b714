"""Selections and index writes: masked_select, take, take_along_dim, put, index_copy, index_fill,
index_reduce, scatter_reduce, masked_scatter, diagonal_scatter, select_scatter, slice_scatter, in every
form torch offers.  Exact: values, gradients and errors are compared bit for bit."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers
from ..registry import case
from ..strategies import ALL, REAL, tensors

_X = tensors(dtypes=ALL, max_side=4, requires_grad=st.booleans())


@case(
    covers=covers("masked_select"),
    grad=True,
    exact=True,
    form=st.sampled_from(["function", "method", "out"]),
    x=_X,
    mask=tensors(dtypes=("bool",), max_side=4),
)
def masked_select_case(xp, form, x, mask):
    return call(xp, form, "masked_select", x, mask)


@case(
    covers=covers("take", "take_along_dim"),
    grad=True,
    exact=True,
    op=st.sampled_from(["take", "take_along_dim"]),
    form=st.sampled_from(["function", "method", "out"]),
    x=_X,
    index=st.lists(st.integers(-6, 6), max_size=5),
    dim=st.none() | st.integers(-1, 0),
)
def take_case(xp, op, form, x, index, dim):
    idx = xp.tensor(index, dtype=xp.int64)
    if op == "take":
        return call(xp, form, "take", x, idx)
    if dim is None or x.dim() == 0:
        return call(xp, form, "take_along_dim", x, idx.abs() % max(x.numel(), 1))
    size = max(x.shape[dim], 1)
    shape = [1] * x.dim()
    shape[dim] = len(index)
    return call(xp, form, "take_along_dim", x, (idx.abs() % size).view(shape), dim)


@case(
    covers=covers("put", "index_copy", "index_fill", "masked_scatter"),
    grad=True,
    exact=True,
    op=st.sampled_from(["put", "index_copy", "index_fill", "masked_scatter", "index_fill_tensor"]),
    form=st.sampled_from(["function", "method", "inplace"]),
    x=_X,
    index=st.lists(st.integers(-3, 3), max_size=3, unique=True),
    accumulate=st.booleans(),
    dim=st.integers(-1, 0),
)
def index_writes(xp, op, form, x, index, accumulate, dim):
    idx = xp.tensor(index, dtype=xp.int64)
    source = x.detach().flatten()[: len(index)] * 2 if x.numel() else x.detach().flatten()
    if op == "put":
        return call(xp, form, "put", x, idx, source, accumulate)
    if op == "index_fill":
        return call(xp, form, "index_fill", x, dim, idx, -1)
    if op == "index_fill_tensor":
        return call(xp, form, "index_fill", x, dim, idx, xp.tensor(3, dtype=x.dtype))
    if op == "masked_scatter":
        mask = x.detach() != 0 if x.dtype != xp.bool else x.detach()
        return call(xp, form, "masked_scatter", x, mask, x.detach().flatten().flip(0) if x.dim() else x.detach())
    shape = list(x.shape)
    if shape:
        shape[dim] = len(index)
    src = xp.zeros(shape, dtype=x.dtype) + 1
    return call(xp, form, "index_copy", x, dim, idx, src)


@case(
    covers=covers("scatter_reduce", "index_reduce"),
    grad=True,
    exact=True,
    op=st.sampled_from(["scatter_reduce", "index_reduce"]),
    form=st.sampled_from(["function", "method", "inplace"]),
    x=tensors(dtypes=REAL, shape=st.sampled_from([(3,), (2, 3), (3, 2)]), regime="exact", requires_grad=st.booleans()),
    reduce=st.sampled_from(["sum", "prod", "mean", "amax", "amin"]),
    include_self=st.booleans(),
    index=st.lists(st.integers(0, 1), min_size=2, max_size=2),
)
def reductions_by_index(xp, op, form, x, reduce, include_self, index):
    src = x.detach() * 2 + 1 if x.dtype != xp.bool else x.detach()
    if op == "scatter_reduce":
        idx = xp.tensor(index + [0] * (x.shape[0] - 2), dtype=xp.int64)[: x.shape[0]]
        idx = idx.view([-1] + [1] * (x.dim() - 1)).expand(x.shape).contiguous()
        return call(xp, form, "scatter_reduce", x, 0, idx, src, reduce, include_self=include_self)
    idx = xp.tensor(index, dtype=xp.int64)
    return call(xp, form, "index_reduce", x, 0, idx, src[:2], reduce, include_self=include_self)


@case(
    covers=covers("diagonal_scatter", "select_scatter", "slice_scatter"),
    grad=True,
    exact=True,
    op=st.sampled_from(["diagonal_scatter", "select_scatter", "slice_scatter"]),
    form=st.sampled_from(["function", "method"]),
    x=tensors(dtypes=ALL, min_dims=1, max_side=4, requires_grad=st.booleans()),
    which=st.integers(-1, 2),
    dim=st.integers(-1, 0),
)
def scatters(xp, op, form, x, which, dim):
    if op == "diagonal_scatter":
        src = x.detach().diagonal(which) * 2 if x.dim() >= 2 else x.detach()
        return call(xp, form, op, x, src, which)
    if op == "select_scatter":
        src = x.detach().select(dim, which) * 2 if x.shape[dim] > which >= -x.shape[dim] else x.detach()
        return call(xp, form, op, x, src, dim, which)
    src = x.detach().narrow(dim, 0, max(x.shape[dim] - 1, 0)) * 2
    return call(xp, form, op, x, src, dim, 1, None)
