"""Statistics and scans: std_mean, var_mean, nanmean, nanmedian, aminmax, quantile, cummax, cummin,
logcumsumexp, diff, trapezoid, cumulative_trapezoid, histc, histogram, bincount, cov, corrcoef, dist and
renorm, in every form torch offers."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers, forms
from ..registry import case
from ..strategies import ALL, FLOATS, NUMERIC, REAL, UNEXPANDED, broadcastable, tensors

_X = tensors(dtypes=ALL, requires_grad=st.booleans())
_FLOAT_X = tensors(dtypes=FLOATS, requires_grad=st.booleans())


@case(
    covers=("std_mean", "var_mean"),
    grad=True,
    ulps=4,
    op=st.sampled_from(["std_mean", "var_mean"]),
    x=_X,
    dim=st.none() | st.integers(-1, 1) | st.just((0, -1)),
    correction=st.sampled_from([None, 0, 1, 2]),
    keepdim=st.booleans(),
)
def moments(xp, op, x, dim, correction, keepdim):
    return getattr(xp, op)(x, dim, correction=correction, keepdim=keepdim)


@case(
    covers=covers("nanmean", "nanmedian"),
    grad=True,
    ulps=2,
    op=st.sampled_from(["nanmean", "nanmedian"]),
    form=st.sampled_from(["function", "method"]),
    x=tensors(dtypes=ALL, layouts=UNEXPANDED, requires_grad=st.booleans()),
    dim=st.none() | st.integers(-1, 1),
    keepdim=st.booleans(),
)
def nan_reductions(xp, op, form, x, dim, keepdim):
    if dim is None:
        return call(xp, form, op, x)
    return call(xp, form, op, x, dim, keepdim)


@case(
    covers=covers("aminmax"),
    grad=True,
    exact=True,
    form=forms("aminmax"),
    x=_X,
    dim=st.none() | st.integers(-1, 1),
    keepdim=st.booleans(),
)
def aminmax_case(xp, form, x, dim, keepdim):
    return call(xp, form, "aminmax", x, dim=dim, keepdim=keepdim)


@case(
    covers=covers("cummax", "cummin"),
    grad=True,
    exact=True,
    op=st.sampled_from(["cummax", "cummin"]),
    form=st.sampled_from(["function", "method", "out"]),
    x=_X,
    dim=st.integers(-1, 1),
)
def cumulative_extremes(xp, op, form, x, dim):
    return call(xp, form, op, x, dim)


@case(
    covers=covers("logcumsumexp"),
    grad=True,
    ulps=4,
    form=forms("logcumsumexp"),
    x=_X,
    dim=st.integers(-1, 1),
)
def logcumsumexp_case(xp, form, x, dim):
    return call(xp, form, "logcumsumexp", x, dim)


@case(
    covers=covers("diff"),
    grad=True,
    exact=True,
    form=forms("diff"),
    x=_X,
    n=st.integers(0, 3),
    dim=st.integers(-1, 0),
    ends=st.booleans(),
)
def diff_case(xp, form, x, n, dim, ends):
    if ends and x.dim():
        return call(xp, form, "diff", x, n, dim, prepend=x.detach(), append=x.detach() * 2)
    return call(xp, form, "diff", x, n, dim)


@case(
    covers=("trapezoid", "trapz", "cumulative_trapezoid"),
    grad=True,
    ulps=4,
    op=st.sampled_from(["trapezoid", "trapz", "cumulative_trapezoid"]),
    pair=broadcastable(2, dtypes=FLOATS, requires_grad=st.booleans(), same_dtype=True),
    spacing=st.sampled_from(["none", "dx", "x"]),
    dim=st.integers(-1, 0),
)
def trapezoids(xp, op, pair, spacing, dim):
    y, x = pair
    fn = getattr(xp, op)
    if spacing == "x":
        return fn(y, x, dim=dim)
    if spacing == "dx":
        return fn(y, dx=0.5, dim=dim)
    return fn(y, dim=dim)


@case(
    covers=covers("histc") + ("histogram", "bincount", "Tensor.bincount"),
    exact=True,
    op=st.sampled_from(["histc", "histogram", "bincount"]),
    x=tensors(dtypes=REAL, regime="finite"),
    bins=st.integers(1, 6),
    lo=st.sampled_from([0, -2, 1]),
    hi=st.sampled_from([0, 2, 5]),
)
def histograms(xp, op, x, bins, lo, hi):
    if op == "histc":
        return xp.histc(x, bins, lo, hi), x.histc(bins, lo, hi)
    if op == "histogram":
        return xp.histogram(x, bins, range=(float(lo), float(hi)) if lo < hi else None)
    return xp.bincount(x.flatten(), minlength=bins), x.flatten().bincount(minlength=bins)


@case(
    covers=("cov", "corrcoef", "Tensor.cov", "Tensor.corrcoef"),
    grad=True,
    ulps=8,
    op=st.sampled_from(["cov", "corrcoef"]),
    x=tensors(dtypes=NUMERIC + ("complex128",), regime="finite", max_dims=2, requires_grad=st.booleans()),
    correction=st.sampled_from([0, 1]),
)
def covariance(xp, op, x, correction):
    if op == "cov":
        return xp.cov(x, correction=correction), x.cov()
    return xp.corrcoef(x), x.corrcoef()


@case(
    covers=covers("dist", "renorm"),
    grad=True,
    ulps=4,
    op=st.sampled_from(["dist", "renorm"]),
    form=st.sampled_from(["function", "method", "inplace"]),
    pair=broadcastable(2, dtypes=FLOATS, regime="finite", requires_grad=st.booleans(), same_dtype=True),
    p=st.sampled_from([1, 2, 3, float("inf")]),
)
def norms_of(xp, op, form, pair, p):
    a, b = pair
    if op == "dist":
        return call(xp, "method" if form == "inplace" else form, "dist", a, b, p)
    return call(xp, form, "renorm", a, p, 0, 1.5)
