"""Sorting and searching: sort, argsort, msort, topk, kthvalue, mode, unique, unique_consecutive,
searchsorted, bucketize, isin, in every form torch offers.  Selections are exact: values, indices and
gradients are compared bit for bit."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers, forms
from ..registry import case
from ..strategies import ALL, REAL, tensors

_X = tensors(dtypes=ALL, requires_grad=st.booleans())


@case(
    covers=covers("sort", "argsort", "msort"),
    grad=True,
    exact=True,
    op=st.sampled_from(["sort", "argsort", "msort"]),
    x=_X,
    dim=st.integers(-2, 1),
    descending=st.booleans(),
    form=st.sampled_from(["function", "method", "out"]),
)
def sort_case(xp, op, x, dim, descending, form):
    if op == "msort":
        return call(xp, form, "msort", x)
    if op == "argsort":
        return call(xp, "method" if form == "out" else form, "argsort", x, dim, descending)
    return call(xp, form, "sort", x, dim, descending)


@case(covers=("sort(stable=)",), exact=True, x=tensors(dtypes=REAL), descending=st.booleans())
def sort_stable(xp, x, descending):
    return xp.sort(x, stable=True, descending=descending), xp.argsort(x, stable=True, descending=descending)


@case(
    covers=covers("topk"),
    grad=True,
    exact=True,
    form=forms("topk"),
    x=_X,
    k=st.integers(0, 3),
    dim=st.integers(-1, 0),
    largest=st.booleans(),
    sorted=st.booleans(),
)
def topk_case(xp, form, x, k, dim, largest, sorted):
    """Values and indices, ties included: torch leaves equal values where libstdc++'s nth_element and
    partial_sort leave them (its documentation leaves that unspecified), and so does the shim."""
    return call(xp, form, "topk", x, k, dim, largest, sorted)


@case(
    covers=("topk",),
    exact=True,
    n=st.integers(1, 12),
    k=st.integers(0, 4),
    largest=st.booleans(),
    seed=st.integers(0, 99),
)
def topk_distinct(xp, n, k, largest, seed):
    x = xp.randperm(n, generator=xp.Generator().manual_seed(seed)).float()
    return xp.topk(x, min(k, n), largest=largest)


@case(
    covers=covers("kthvalue"),
    grad=True,
    exact=True,
    form=forms("kthvalue"),
    x=_X,
    k=st.integers(0, 4),
    dim=st.integers(-1, 0),
    keepdim=st.booleans(),
)
def kthvalue_case(xp, form, x, k, dim, keepdim):
    return call(xp, form, "kthvalue", x, k, dim, keepdim)


@case(
    covers=covers("mode"),
    grad=True,
    exact=True,
    form=forms("mode"),
    x=_X,
    dim=st.integers(-1, 0),
    keepdim=st.booleans(),
)
def mode_case(xp, form, x, dim, keepdim):
    return call(xp, form, "mode", x, dim, keepdim)


@case(
    covers=covers("unique", "unique_consecutive"),
    exact=True,
    op=st.sampled_from(["unique", "unique_consecutive"]),
    form=st.sampled_from(["function", "method"]),
    x=tensors(dtypes=ALL),
    inverse=st.booleans(),
    counts=st.booleans(),
    dim=st.none() | st.integers(-1, 1),
)
def unique_case(xp, op, form, x, inverse, counts, dim):
    return call(xp, form, op, x, return_inverse=inverse, return_counts=counts, dim=dim)


@case(
    covers=("searchsorted", "bucketize", "isin"),
    exact=True,
    op=st.sampled_from(["searchsorted", "bucketize", "isin"]),
    boundaries=tensors(dtypes=REAL, max_dims=1),
    x=tensors(dtypes=REAL),
    right=st.booleans(),
    out_int32=st.booleans(),
)
def searching(xp, op, boundaries, x, right, out_int32):
    if op == "isin":
        return xp.isin(x, boundaries, invert=right)
    ordered = boundaries.sort()[0] if boundaries.dim() else boundaries
    if op == "bucketize":
        return xp.bucketize(x, ordered, right=right, out_int32=out_int32)
    return xp.searchsorted(ordered, x, right=right, out_int32=out_int32)
