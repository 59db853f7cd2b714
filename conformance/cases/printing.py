"""Printed form, character for character: every dtype, 0-d/empty/summarised shapes, values around the
formatter's decision points, and generated print options."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, COMPLEX, FLOATS, TensorSpec, tensors

# values around the formatter's decision points: sci mode at 1e-4 and 1e8, ratios near 1000, integers
# stored as floats, decimal rounding boundaries, and the special values it skips
_DECISIONS = st.one_of(
    st.sampled_from(
        [
            1e-4,
            9.9999e-5,
            1.0001e-4,
            1e8,
            1e8 + 1,
            99999999.0,
            1000.0,
            1001.0,
            0.99995,
            0.00015,
            0.5,
            1.5,
            -0.0,
            0.0,
            float("nan"),
            float("inf"),
            float("-inf"),
            123456.7,
            1e-10,
            65504.0,
        ]
    ),
    st.integers(-2000, 2000).map(float),
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 4)),
    st.floats(min_value=1e-12, max_value=1e12, allow_nan=False),
)


@st.composite
def printable(draw, max_side=6, dtypes=ALL, min_dims=0, min_side=0):
    dtype = draw(st.sampled_from(dtypes), label="dtype")
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=max_side), label="shape")
    np_dtype = np.dtype(dtype if dtype != "bool" else np.bool_)
    if np_dtype.kind == "f":
        elements = _DECISIONS
    elif np_dtype.kind == "c":
        elements = st.builds(complex, _DECISIONS, _DECISIONS)
    elif np_dtype.kind == "b":
        elements = st.booleans()
    else:
        info = np.iinfo(np_dtype)
        elements = st.one_of(st.integers(-20, 20), st.sampled_from([int(info.min), int(info.max)])).filter(
            lambda v: info.min <= v <= info.max
        )
    with np.errstate(all="ignore"):
        values = draw(hnp.arrays(np_dtype, shape, elements=elements), label="values")
    return TensorSpec(values, dtype)


_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "precision": st.integers(0, 8),
        "threshold": st.sampled_from([5, 10, 20, 1000]),
        "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(20, 120),
        "sci_mode": st.sampled_from([None, True, False]),
        "profile": st.sampled_from(["default", "short", "full"]),
    },
)


def _with_options(xp, options, fn):
    try:
        xp.set_printoptions(**options)
        return fn()
    finally:
        xp.set_printoptions(profile="default")


@case(covers=("__repr__", "print", "str"), x=printable())
def repr_values(xp, x):
    return repr(x), str(x) == repr(x)


@case(covers=("set_printoptions", "get_printoptions"), x=printable(), options=_OPTIONS)
def repr_with_options(xp, x, options):
    return _with_options(
        xp, options, lambda: (repr(x), xp._tensor_str.get_printoptions() if hasattr(xp, "_tensor_str") else None)
    )


@case(
    covers=("__repr__",),
    x=tensors(
        dtypes=ALL,
        shape=st.sampled_from([(1001,), (2, 501), (1001, 1), (3, 12, 30)]),
        regime=st.sampled_from(["any", "finite", "exact"]),
    ),
)
def repr_summarised(xp, x):
    return repr(x)


@case(
    covers=("__repr__", "grad_fn=", "requires_grad=True"),
    # (small tensors, and half the time 2-d or 3-d ones of 9 to 64 elements, whose suffix follows a body of
    # several lines: so every run prints both kinds)
    x=st.one_of(
        printable(max_side=4, dtypes=FLOATS + COMPLEX),
        printable(max_side=4, dtypes=FLOATS + COMPLEX, min_dims=2, min_side=3),
    ),
)
def repr_autograd_suffixes(xp, x):
    """A leaf that requires grad and four results of it (their grad_fn), printed: each example prints all five."""
    leaf = x.detach().requires_grad_()
    return repr(leaf), repr(leaf * 2), repr(leaf.sum()), repr(leaf.view(-1)), repr(leaf.double())


@case(covers=("__format__",), x=printable(max_side=2), spec=st.sampled_from(["", ".2f", ">8", ".3e", "g", "+.1f"]))
def format_values(xp, x, spec):
    return format(x, spec)


@case(
    covers=("Size repr", "dtype repr", "device repr", "grad_fn repr", "return_types repr", "no_grad repr"),
    which=st.sampled_from(
        [
            "size",
            "empty_size",
            "dtype",
            "device",
            "grad_fn",
            "max",
            "min",
            "median",
            "no_grad",
            "set_grad_enabled",
            "size_ops",
            "accumulate_grad",
            "next_functions",
        ]
    ),
)
def object_reprs(xp, which):
    x = xp.tensor([[1.5, -2.0], [3.0, 0.25]], requires_grad=True)
    if which == "size":
        return repr(x.shape), str(x.size())
    if which == "empty_size":
        return repr(xp.Size([])), repr(xp.zeros(0, 3).shape)
    if which == "size_ops":
        return repr(x.shape + (4,)), repr(x.shape[1:]), x.shape.numel()
    if which == "dtype":
        return [repr(getattr(xp, n)) for n in ("float32", "float", "double", "half", "long", "int", "bool", "cfloat")]
    if which == "device":
        return repr(xp.device("cpu")), repr(xp.device("cuda:1")), str(xp.device("cpu", 0))
    if which == "grad_fn":
        return repr((x + 1).grad_fn), type((x * 2).grad_fn).__name__, (x * 2).grad_fn.name()
    if which == "accumulate_grad":
        acc = (x + 1).grad_fn.next_functions[0][0]
        return repr(acc), acc.name(), acc.variable is x
    if which == "next_functions":
        return repr((x * 2 + 1).grad_fn.next_functions)
    if which in ("max", "min", "median"):
        return repr(getattr(x, which)(0))
    if which == "no_grad":
        return repr(xp.no_grad).replace("torch.autograd.grad_mode", "<module>")
    r = repr(xp.set_grad_enabled(False))
    xp.set_grad_enabled(True)
    return r
