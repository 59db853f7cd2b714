"""Reductions with dim (int or tuple), keepdim and dtype, and their named-tuple returns."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..forms import call, covers, forms, op_and_form
from ..registry import case
from ..strategies import ALL, FLOATS, REAL, UNEXPANDED, tensors

_READS = ("inplace", "torch_inplace", "operator", "reflected", "ioperator")  # the forms a reduction lacks


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


def reduce_call(xp, op, form, xd, keepdim):
    x, dim = xd
    if dim is None:
        return call(xp, form, op, x)
    return call(xp, form, op, x, dim, keepdim=keepdim)


for _op, _dtypes in SUMLIKE.items():
    case(
        name=f"{_op}_dims",
        covers=covers(_op, without=_READS),
        grad=True,
        exact=_op != "mean",
        ulps=1,
        forms=2,
        op=_op,
        form=forms(_op, without=_READS),
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


_ORDER_LAYOUTS = {
    "contiguous": lambda x: x,
    "transposed": lambda x: x.mT,
    "sliced": lambda x: x[..., ::2],
    "expanded": lambda x: x[:1].expand(3, *x.shape[1:]),
}


@case(
    covers=("sum", "nansum", "mean", "prod"),
    exact=True,
    seed=st.integers(0, 2**32 - 1),
    shape=st.tuples(st.integers(1, 5), st.integers(1, 40)),
    source=st.sampled_from(["float16", "float32", "float64", "uint8"]),
    layout=st.sampled_from(sorted(_ORDER_LAYOUTS)),
    op=st.sampled_from(["sum", "nansum", "mean", "prod"]),
    dtype=st.sampled_from([None, "float16", "float32", "float64"]),
    dim=st.none() | st.integers(-2, 1),
)
def reduction_orders(xp, seed, shape, source, layout, op, dtype, dim):
    """Sums and products whose value depends on the order torch adds or multiplies in: random magnitudes
    in [1/2, 2) with full mantissas (the other reduction cases draw values exact in any order).  Half
    rounds each product to half; an input converted to another dtype is reduced in the layout `.to()`
    gives it (an expanded one is copied dense in torch's dim order, not numpy's)."""
    rng = np.random.RandomState(seed)
    values = rng.uniform(0.5, 2, shape) * rng.choice([-1, 1], shape) if source != "uint8" else rng.randint(1, 6, shape)
    x = _ORDER_LAYOUTS[layout](xp.tensor(values, dtype=getattr(xp, source)))
    kwargs = {"dtype": getattr(xp, dtype)} if dtype else {}
    return getattr(x, op)(**kwargs) if dim is None else getattr(x, op)(dim, **kwargs)


@case(
    covers=("sum", "nansum", "mean"),
    exact=True,
    max_examples=20,
    seed=st.integers(0, 2**32 - 1),
    shape=st.sampled_from([(40000,), (1, 40000), (40000, 1), (3, 20000), (20000, 3), (300, 170), (8, 9000)]),
    transposed=st.booleans(),
    source=st.sampled_from(["float16", "float32", "float64"]),
    op=st.sampled_from(["sum", "nansum", "mean"]),
    dim=st.none() | st.integers(-2, 1),
    keepdim=st.booleans(),
)
def long_reductions(xp, seed, shape, transposed, source, op, dim, keepdim):
    """Sums of long rows and columns, where torch's cascade flushes several levels and a sum with one output
    element of more than one grain is split between its threads (random magnitudes with full mantissas)."""
    rng = np.random.RandomState(seed)
    x = xp.tensor(rng.uniform(0.5, 2, shape) * rng.choice([-1, 1], shape), dtype=getattr(xp, source))
    x = x.t() if transposed and x.dim() == 2 else x
    if dim is None:
        return getattr(x, op)()
    return getattr(x, op)(dim % x.dim(), keepdim=keepdim)


@case(
    covers=("std", "var"),
    grad=True,
    scale=4,
    xd=reduce_args(tensors(dtypes=ALL, regime="finite", requires_grad=st.booleans())),
    keepdim=st.booleans(),
    op=st.sampled_from(["std", "var"]),
    correction=st.sampled_from([None, 0, 1, 2]),
    unbiased=st.none() | st.booleans(),
    form=st.sampled_from(["function", "method", "out"]),
)
def std_var(xp, xd, keepdim, op, correction, unbiased, form):
    x, dim = xd
    if unbiased is not None:
        if dim is None:
            return call(xp, form, op, x, unbiased)
        return call(xp, form, op, x, dim, unbiased=unbiased, keepdim=keepdim)
    return call(xp, form, op, x, dim, keepdim=keepdim, correction=correction)


@case(
    covers=("max", "min", "torch.return_types.max"),
    grad=True,
    exact=True,
    forms=2,
    xd=reduce_args(tensors(dtypes=ALL, requires_grad=st.booleans()), tuple_dims=False),
    keepdim=st.booleans(),
    op_form=op_and_form(["max", "min"], without=_READS),
)
def max_min_dim(xp, xd, keepdim, op_form):
    x, dim = xd
    op, form = op_form
    if dim is None:
        return call(xp, form, op, x)
    return call(xp, form, op, x, dim, keepdim=keepdim)


@case(
    covers=("max", "min"),
    grad=True,
    exact=True,
    op=st.sampled_from(["max", "min"]),
    x=tensors(dtypes=REAL, requires_grad=st.booleans(), max_dims=2),
    y=tensors(dtypes=REAL, requires_grad=st.booleans(), max_dims=2),
    form=forms("max", without=_READS),
)
def max_min_elementwise(xp, op, x, y, form):
    return call(xp, form, op, x, y)


@case(
    covers=("argmax", "argmin"),
    exact=True,
    forms=2,
    xd=reduce_args(tensors(dtypes=ALL), tuple_dims=False),
    keepdim=st.booleans(),
    op_form=op_and_form(["argmax", "argmin"], without=_READS),
)
def argmax_argmin(xp, xd, keepdim, op_form):
    x, dim = xd
    op, form = op_form
    return call(xp, form, op, x, dim, keepdim=keepdim)


@case(
    covers=("amax", "amin"),
    grad=True,
    exact=True,
    forms=2,
    xd=reduce_args(tensors(dtypes=ALL, requires_grad=st.booleans())),
    keepdim=st.booleans(),
    op_form=op_and_form(["amax", "amin"], without=_READS),
)
def amax_amin(xp, xd, keepdim, op_form):
    x, dim = xd
    op, form = op_form
    if dim is None:
        return call(xp, form, op, x)
    return call(xp, form, op, x, dim, keepdim=keepdim)


@case(
    covers=("all", "any"),
    exact=True,
    forms=2,
    xd=reduce_args(tensors(dtypes=ALL)),
    keepdim=st.booleans(),
    op_form=op_and_form(["all", "any"], without=_READS),
)
def all_any(xp, xd, keepdim, op_form):
    x, dim = xd
    op, form = op_form
    if dim is None:
        return call(xp, form, op, x)
    return call(xp, form, op, x, dim, keepdim=keepdim)


@case(
    covers=("norm",),
    grad=True,
    scale=4,
    xd=reduce_args(tensors(dtypes=ALL, requires_grad=st.booleans())),
    keepdim=st.booleans(),
    p=st.sampled_from([None, "fro", 1, 2, 3, 0, float("inf"), float("-inf"), 0.5]),
    form=forms("norm", without=_READS),
)
def norm_case(xp, xd, keepdim, p, form):
    x, dim = xd
    if p is None:
        return call(xp, form, "norm", x) if dim is None else call(xp, form, "norm", x, dim=dim, keepdim=keepdim)
    return call(xp, form, "norm", x, p=p, dim=dim, keepdim=keepdim)


@case(
    covers=("cumsum", "cumprod"),
    grad=True,
    exact=True,
    forms=2,
    x=tensors(dtypes=ALL, regime="exact", requires_grad=st.booleans()),
    dim=st.integers(-3, 3),
    op_form=op_and_form(["cumsum", "cumprod"], without=("operator", "reflected", "ioperator")),
)
def cumulative(xp, x, dim, op_form):
    op, form = op_form
    return call(xp, form, op, x, dim)


@case(
    covers=("logsumexp",),
    grad=True,
    ulps=2,
    scale=2,
    forms=2,
    xd=reduce_args(tensors(dtypes=ALL, regime="finite", requires_grad=st.booleans())),
    keepdim=st.booleans(),
    form=forms("logsumexp", without=_READS),
)
def logsumexp_case(xp, xd, keepdim, form):
    x, dim = xd
    return call(xp, form, "logsumexp", x, () if dim is None else dim, keepdim=keepdim)


@case(
    covers=("median",),
    grad=True,
    exact=True,
    forms=2,
    xd=reduce_args(tensors(dtypes=REAL, layouts=UNEXPANDED, requires_grad=st.booleans()), tuple_dims=False),
    keepdim=st.booleans(),
    form=forms("median", without=_READS),
)
def median_case(xp, xd, keepdim, form):
    x, dim = xd
    if dim is None:
        return call(xp, form, "median", x)
    return call(xp, form, "median", x, dim, keepdim=keepdim)
