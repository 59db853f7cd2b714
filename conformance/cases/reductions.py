"""Reductions with dim (int or tuple), keepdim and dtype, and their named-tuple returns."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, FLOATS, REAL, tensors


@st.composite
def reduce_args(draw, x_strategy, tuple_dims=True):
    """A tensor and a dim argument that fits it (None, an int, a tuple, sometimes out of range)."""
    x = draw(x_strategy)
    nd = len(x.shape)
    options = [st.none(), st.integers(-nd - 1, nd)]
    if tuple_dims and nd:
        options.append(st.lists(st.integers(-nd, nd - 1), max_size=nd).map(tuple))
    dim = draw(st.one_of(*options), label="dim")
    return x, dim


# exact: values chosen so that sums and products are exact in every summation order
SUMLIKE = {"sum": ALL, "nansum": REAL, "mean": FLOATS + ("complex64",), "prod": ALL}


def reduce_call(xp, op, xd, keepdim):
    x, dim = xd
    if dim is None:
        return getattr(x, op)()
    return getattr(xp, op)(x, dim, keepdim=keepdim)


for _op, _dtypes in SUMLIKE.items():
    case(
        name=f"{_op}_dims",
        covers=(_op,),
        grad=True,
        exact=_op != "mean",
        ulps=1,
        op=_op,
        xd=reduce_args(tensors(dtypes=_dtypes, regime="exact", requires_grad=st.booleans()), tuple_dims=_op != "prod"),
        keepdim=st.booleans(),
    )(reduce_call)


@case(
    covers=("sum(dtype=)", "mean(dtype=)", "prod(dtype=)", "cumsum(dtype=)"),
    exact=True,
    x=tensors(dtypes=ALL, regime="exact"),
    op=st.sampled_from(["sum", "mean", "prod", "cumsum"]),
    dtype=st.sampled_from(["float64", "int32", "float32", "int64", "complex64"]),
)
def reduction_dtype(xp, x, op, dtype):
    if op == "cumsum":
        return getattr(x, op)(0 if x.dim() else 0, dtype=getattr(xp, dtype))
    return getattr(x, op)(dtype=getattr(xp, dtype))


@case(
    covers=("std", "var"),
    grad=True,
    scale=4,
    xd=reduce_args(tensors(dtypes=ALL, regime="finite", requires_grad=st.booleans())),
    keepdim=st.booleans(),
    op=st.sampled_from(["std", "var"]),
    correction=st.sampled_from([None, 0, 1, 2]),
    unbiased=st.none() | st.booleans(),
)
def std_var(xp, xd, keepdim, op, correction, unbiased):
    x, dim = xd
    fn = getattr(xp, op)
    if unbiased is not None:
        return fn(x, dim, unbiased=unbiased, keepdim=keepdim) if dim is not None else fn(x, unbiased)
    return fn(x, dim, keepdim=keepdim, correction=correction)


@case(
    covers=("max", "min", "torch.return_types.max"),
    grad=True,
    exact=True,
    xd=reduce_args(tensors(dtypes=ALL, requires_grad=st.booleans()), tuple_dims=False),
    keepdim=st.booleans(),
    op=st.sampled_from(["max", "min"]),
)
def max_min_dim(xp, xd, keepdim, op):
    x, dim = xd
    if dim is None:
        return getattr(x, op)()
    return getattr(xp, op)(x, dim, keepdim=keepdim)


@case(
    covers=("max", "min"),
    grad=True,
    exact=True,
    op=st.sampled_from(["max", "min"]),
    x=tensors(dtypes=REAL, requires_grad=st.booleans(), max_dims=2),
    y=tensors(dtypes=REAL, requires_grad=st.booleans(), max_dims=2),
)
def max_min_elementwise(xp, op, x, y):
    return getattr(xp, op)(x, y)


@case(
    covers=("argmax", "argmin"),
    exact=True,
    xd=reduce_args(tensors(dtypes=ALL), tuple_dims=False),
    keepdim=st.booleans(),
    op=st.sampled_from(["argmax", "argmin"]),
)
def argmax_argmin(xp, xd, keepdim, op):
    x, dim = xd
    return getattr(xp, op)(x, dim, keepdim=keepdim)


@case(
    covers=("amax", "amin"),
    grad=True,
    exact=True,
    xd=reduce_args(tensors(dtypes=ALL, requires_grad=st.booleans())),
    keepdim=st.booleans(),
    op=st.sampled_from(["amax", "amin"]),
)
def amax_amin(xp, xd, keepdim, op):
    x, dim = xd
    if dim is None:
        return getattr(x, op)()
    return getattr(xp, op)(x, dim, keepdim=keepdim)


@case(
    covers=("all", "any"),
    exact=True,
    xd=reduce_args(tensors(dtypes=ALL)),
    keepdim=st.booleans(),
    op=st.sampled_from(["all", "any"]),
)
def all_any(xp, xd, keepdim, op):
    x, dim = xd
    if dim is None:
        return getattr(x, op)()
    return getattr(xp, op)(x, dim, keepdim=keepdim)


@case(
    covers=("norm",),
    grad=True,
    scale=4,
    xd=reduce_args(tensors(dtypes=ALL, requires_grad=st.booleans())),
    keepdim=st.booleans(),
    p=st.sampled_from([None, "fro", 1, 2, 3, 0, float("inf"), float("-inf"), 0.5]),
)
def norm_case(xp, xd, keepdim, p):
    x, dim = xd
    if p is None:
        return x.norm() if dim is None else x.norm(dim=dim, keepdim=keepdim)
    return xp.norm(x, p=p, dim=dim, keepdim=keepdim)


@case(
    covers=("cumsum", "cumprod"),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, regime="exact", requires_grad=st.booleans()),
    dim=st.integers(-3, 3),
    op=st.sampled_from(["cumsum", "cumprod"]),
)
def cumulative(xp, x, dim, op):
    return getattr(xp, op)(x, dim)


@case(
    covers=("logsumexp",),
    grad=True,
    ulps=2,
    scale=2,
    xd=reduce_args(tensors(dtypes=ALL, regime="finite", requires_grad=st.booleans())),
    keepdim=st.booleans(),
)
def logsumexp_case(xp, xd, keepdim):
    x, dim = xd
    return xp.logsumexp(x, () if dim is None else dim, keepdim=keepdim)


@case(
    covers=("median",),
    grad=True,
    exact=True,
    xd=reduce_args(tensors(dtypes=REAL, requires_grad=st.booleans()), tuple_dims=False),
    keepdim=st.booleans(),
)
def median_case(xp, xd, keepdim):
    x, dim = xd
    if dim is None:
        return x.median()
    return x.median(dim, keepdim=keepdim)
