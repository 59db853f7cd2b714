"""Factories, torch.tensor's dtype inference, *_like, new_*, and the legacy constructors."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, shapes, tensors

_SCALARS = st.one_of(
    st.booleans(),
    st.integers(-300, 300),
    st.sampled_from([2**63 - 1, -(2**63), 2**63, 2**31, 255, -129]),
    st.floats(allow_nan=True, width=64),
    st.complex_numbers(max_magnitude=10, allow_nan=False),
)
_NESTED = st.recursive(_SCALARS, lambda children: st.lists(children, max_size=3), max_leaves=8)
_DTYPE_ARG = st.sampled_from((None,) + ALL)


def _dt(xp, name):
    return None if name is None else getattr(xp, name)


@case(covers=("tensor",), data=_NESTED, dtype=_DTYPE_ARG)
def tensor_from_data(xp, data, dtype):
    return xp.tensor(data, dtype=_dt(xp, dtype))


_ARRAYS = tensors(dtypes=ALL, layouts=("contiguous",)).map(lambda spec: spec.values)
# sequences mixing Python numbers, numpy scalars and arrays, and tensors: torch reads a tensor inside a sequence
# as one scalar (of its own dtype; more than one element is an error), a numpy array as a sequence
_SMALL = st.sampled_from([(), (1,), (1, 1), (2,)])
_MIXED_LEAVES = st.one_of(
    _SCALARS,
    st.sampled_from([np.float32(1.5), np.int64(-2), np.bool_(True), np.float16(0.25)]),
    tensors(dtypes=ALL, shape=_SMALL, layouts=("contiguous",)),
    tensors(dtypes=ALL, shape=_SMALL, layouts=("contiguous",)).map(lambda spec: spec.values),
)
_MIXED = st.recursive(_MIXED_LEAVES, lambda children: st.lists(children, max_size=3), max_leaves=6)


@case(covers=("tensor",), a=_ARRAYS, dtype=_DTYPE_ARG, requires_grad=st.booleans())
def tensor_from_numpy(xp, a, dtype, requires_grad):
    a = a.copy()
    t = xp.tensor(a, dtype=_dt(xp, dtype), requires_grad=requires_grad)
    a.reshape(-1)[:1] = 0  # torch.tensor copies
    return t


@case(
    covers=("tensor",),
    data=st.one_of(
        st.sampled_from(
            [np.float64(1.5), np.float32(1.5), np.int32(3), np.int8(-2), np.bool_(True), np.uint8(7), np.float16(0.5)]
        )
    ),
    wrap=st.booleans(),
)
def tensor_from_numpy_scalars(xp, data, wrap):
    return xp.tensor([data, 2] if wrap else data)


@case(
    covers=("tensor(dtype=int|float|bool)",),
    data=st.lists(st.integers(-3, 3), max_size=3),
    dtype=st.sampled_from([int, float, bool, complex, np.float64, "float32"]),
)
def tensor_python_dtypes(xp, data, dtype):
    return xp.tensor(data, dtype=dtype)


@case(
    covers=("tensor", "as_tensor", "asarray", "new_tensor"),
    data=_MIXED,
    dtype=_DTYPE_ARG,
    ctor=st.sampled_from(["tensor", "as_tensor", "asarray", "new_tensor"]),
)
def tensor_from_mixed_sequences(xp, data, dtype, ctor):
    """Nested sequences of numbers, numpy scalars and arrays and tensors, through every constructor (a lone
    tensor or array too: copy-constructed, shared, or converted)."""
    dt = _dt(xp, dtype)
    if ctor == "new_tensor":
        return xp.zeros(1, dtype=xp.float64).new_tensor(data, dtype=dt)
    return getattr(xp, ctor)(data, dtype=dt)


@case(covers=("as_tensor", "asarray"), a=_ARRAYS, dtype=_DTYPE_ARG)
def as_tensor_case(xp, a, dtype):
    a = a.copy()
    t = xp.as_tensor(a, dtype=_dt(xp, dtype))
    if a.size:
        a.reshape(-1)[0] = 1  # shared only when no conversion was needed
    return t


@case(
    covers=("zeros", "ones", "empty", "full"),
    shape=shapes(min_side=0, max_side=4),
    dtype=_DTYPE_ARG,
    form=st.sampled_from(["varargs", "tuple", "list", "size"]),
    requires_grad=st.booleans(),
    op=st.sampled_from(["zeros", "ones", "empty", "full"]),
    fill=st.sampled_from([1, 2.5, True, -3]),
)
def sized_factories(xp, shape, dtype, form, requires_grad, op, fill):
    dt = _dt(xp, dtype)
    if form == "varargs":
        args = tuple(shape)
    elif form == "tuple":
        args = (tuple(shape),)
    elif form == "list":
        args = (list(shape),)
    else:
        args = (xp.Size(shape),)
    if op == "full":
        t = xp.full(args[0] if len(args) == 1 else tuple(args), fill, dtype=dt, requires_grad=requires_grad)
    else:
        t = getattr(xp, op)(*args, dtype=dt, requires_grad=requires_grad)
    if op == "empty":
        return t.shape, t.dtype, t.requires_grad, t.stride()
    return t


@case(covers=("zeros",), shape=st.lists(st.integers(-2, 3), max_size=3).map(tuple))
def negative_sizes(xp, shape):
    return xp.zeros(shape)


@case(
    covers=("zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like"),
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    dtype=_DTYPE_ARG,
    op=st.sampled_from(["zeros_like", "ones_like", "empty_like", "full_like"]),
    requires_grad=st.booleans(),
)
def like_factories(xp, x, dtype, op, requires_grad):
    if op == "full_like":
        t = xp.full_like(x, 7, dtype=_dt(xp, dtype), requires_grad=requires_grad)
    else:
        t = getattr(xp, op)(x, dtype=_dt(xp, dtype), requires_grad=requires_grad)
    if op == "empty_like":
        # an empty tensor's strides are compared nowhere (compare.py): torch keeps numpy's zero strides for
        # empty arrays, the shim reports contiguous ones
        return t.shape, t.dtype, t.stride() if t.numel() else None, t.requires_grad
    return t


@case(
    covers=("arange",),
    exact=True,
    start=st.one_of(st.integers(-5, 5), st.floats(-5, 5).map(lambda v: round(v, 2))),
    end=st.none() | st.integers(-5, 10) | st.floats(-5, 10).map(lambda v: round(v, 2)),
    step=st.sampled_from([1, 2, -1, 0.5, -0.25, 0, 3]),
    dtype=st.sampled_from((None, "float32", "int64", "float64")),
)
def arange_case(xp, start, end, step, dtype):
    if end is None:
        return xp.arange(start, dtype=_dt(xp, dtype))
    return xp.arange(start, end, step, dtype=_dt(xp, dtype))


@case(
    covers=("linspace",),
    ulps=1,
    start=st.integers(-5, 5),
    end=st.integers(-5, 20),
    steps=st.integers(-1, 12),
    dtype=st.sampled_from((None, "float32", "float64", "int64")),
)
def linspace_case(xp, start, end, steps, dtype):
    return xp.linspace(start, end, steps, dtype=_dt(xp, dtype))


@case(covers=("eye",), exact=True, n=st.integers(-1, 4), m=st.none() | st.integers(-1, 4), dtype=_DTYPE_ARG)
def eye_case(xp, n, m, dtype):
    return xp.eye(n, dtype=_dt(xp, dtype)) if m is None else xp.eye(n, m, dtype=_dt(xp, dtype))


@case(
    covers=("new_tensor", "new_zeros", "new_ones", "new_full", "new_empty"),
    x=tensors(dtypes=ALL),
    op=st.sampled_from(["new_tensor", "new_zeros", "new_ones", "new_full", "new_empty"]),
    dtype=_DTYPE_ARG,
)
def new_methods(xp, x, op, dtype):
    dt = _dt(xp, dtype)
    if op == "new_tensor":
        return x.new_tensor([1, 2.5], dtype=dt)
    if op == "new_full":
        return x.new_full((2, 1), 3, dtype=dt)
    t = getattr(x, op)(2, 3, dtype=dt)
    return (t.shape, t.dtype) if op == "new_empty" else t


@case(
    covers=("Tensor(...)", "FloatTensor", "LongTensor"),
    data=st.one_of(_NESTED, st.tuples(st.integers(0, 3))),
    cls=st.sampled_from(["Tensor", "FloatTensor", "LongTensor", "DoubleTensor", "IntTensor", "BoolTensor"]),
)
def legacy_constructors(xp, data, cls):
    ctor = getattr(xp, cls)
    t = ctor(*data) if isinstance(data, tuple) else ctor(data)
    # sizes (a tuple, or one int) make an uninitialised tensor: only its shape and dtype are defined
    return t.shape, t.dtype, (t if isinstance(data, list) else None)


@case(covers=("requires_grad=",), a=_ARRAYS, op=st.sampled_from(["tensor", "zeros", "ones"]))
def factory_requires_grad(xp, a, op):
    if op == "tensor":
        return xp.tensor(a, requires_grad=True)
    return getattr(xp, op)(2, dtype=xp.tensor(a).dtype, requires_grad=True)
