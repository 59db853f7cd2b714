"""Arithmetic in every form torch offers: function, method, operator, reflected operator, in-place, out=."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, FLOATS, NUMERIC, broadcastable, scalars, tensors


@case(covers=("add", "+"), grad=True, pair=broadcastable(2, dtypes=ALL, requires_grad=st.booleans()))
def add_tensors(xp, pair):
    a, b = pair
    return a + b


@case(
    covers=("add",),
    grad=True,
    pair=broadcastable(2, dtypes=ALL, requires_grad=st.booleans()),
    alpha=st.sampled_from([1, 2, -1, 0.5, True]),
)
def add_function_alpha(xp, pair, alpha):
    a, b = pair
    return xp.add(a, b, alpha=alpha)


@case(covers=("add", "+", "reflected +"), grad=True, x=tensors(dtypes=ALL, requires_grad=st.booleans()), s=scalars())
def add_scalar_both_sides(xp, x, s):
    return (x + s, s + x)


@case(covers=("add_", "+="), pair=broadcastable(2, dtypes=ALL))
def add_inplace(xp, pair):
    a, b = pair
    a.add_(b)
    return a


@case(covers=("+=",), x=tensors(dtypes=ALL), s=scalars())
def iadd_scalar(xp, x, s):
    y = x
    y += s
    return y, y is x


@case(covers=("add",), pair=broadcastable(2, dtypes=NUMERIC), out_dtype=st.sampled_from(["float32", "int64", "bool"]))
def add_out(xp, pair, out_dtype):
    a, b = pair
    out = xp.empty(0, dtype=getattr(xp, out_dtype))
    r = xp.add(a, b, out=out)
    return r, r is out


@case(covers=("sub", "-", "rsub"), grad=True, pair=broadcastable(2, dtypes=ALL, requires_grad=st.booleans()))
def sub_tensors(xp, pair):
    a, b = pair
    return a - b


@case(covers=("mul", "*"), grad=True, pair=broadcastable(2, dtypes=ALL, requires_grad=st.booleans()))
def mul_tensors(xp, pair):
    a, b = pair
    return a * b


@case(covers=("div", "/", "true_divide"), grad=True, pair=broadcastable(2, dtypes=ALL, requires_grad=st.booleans()))
def div_tensors(xp, pair):
    a, b = pair
    return a / b


@case(
    covers=("reflected /",),
    grad=True,
    x=tensors(dtypes=FLOATS, requires_grad=st.booleans()),
    s=scalars(("int", "float")),
)
def rdiv_scalar(xp, x, s):
    return s / x
