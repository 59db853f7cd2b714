"""Tensor attributes and conversions to Python."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, FLOATS, scalars, tensors


@case(
    covers=(
        "shape",
        "size()",
        "dim()",
        "ndim",
        "numel()",
        "dtype",
        "device",
        "element_size()",
        "__len__",
        "is_floating_point()",
        "is_complex()",
        "type()",
    ),
    x=tensors(dtypes=ALL),
    d=st.integers(-4, 3),
)
def basic_attributes(xp, x, d):
    out = [
        x.shape,
        x.size(),
        x.dim(),
        x.ndim,
        x.numel(),
        x.dtype,
        x.device,
        x.element_size(),
        x.is_floating_point(),
        x.is_complex(),
        x.type(),
        x.is_cuda,
        x.requires_grad,
        x.is_leaf,
    ]
    for fn in (lambda: x.size(d), lambda: len(x), lambda: x.stride(d) if x.numel() else None):
        try:
            out.append(fn())
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


@case(
    covers=("item()", "tolist()", "__bool__", "__float__", "__int__", "__index__", "__complex__"),
    x=tensors(dtypes=ALL, max_side=2),
)
def python_conversions(xp, x):
    out = []
    for fn in (
        x.item,
        x.tolist,
        lambda: bool(x),
        lambda: float(x),
        lambda: int(x),
        lambda: x.__index__(),
        lambda: complex(x),
    ):
        try:
            out.append(fn())
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


@case(covers=("__format__",), x=tensors(dtypes=ALL, max_side=2), spec=st.sampled_from(["", ".2f", ">5", ".3e", "d"]))
def format_case(xp, x, spec):
    return format(x, spec)


@case(covers=("__iter__",), x=tensors(dtypes=ALL))
def iterate(xp, x):
    return list(x)


@case(
    covers=("float()", "double()", "half()", "long()", "int()", "short()", "bool()", "type(dtype)", "to(dtype)"),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    op=st.sampled_from(["float", "double", "half", "long", "int", "short", "bool", "byte", "char"]),
)
def dtype_conversions(xp, x, op):
    r = getattr(x, op)()
    return r, r is x


# every way a double reaches Half or ComplexHalf storage
_TO_HALF = {
    "half()": lambda xp, x, s, target: x.half() if target == "float16" else x.to(xp.complex32),
    "to(dtype)": lambda xp, x, s, target: x.to(getattr(xp, target)),
    "copy_": lambda xp, x, s, target: xp.zeros(x.shape, dtype=getattr(xp, target)).copy_(x),
    "tensor(list)": lambda xp, x, s, target: xp.tensor(x.tolist(), dtype=getattr(xp, target)),
    "out=": lambda xp, x, s, target: xp.add(x, 0, out=xp.empty(x.shape, dtype=getattr(xp, target))),
    "add_ of a double": lambda xp, x, s, target: xp.zeros(x.shape, dtype=getattr(xp, target)).add_(x),
    "full": lambda xp, x, s, target: xp.full((2,), s, dtype=xp.float16),
    "fill_": lambda xp, x, s, target: xp.zeros(2, dtype=xp.float16).fill_(s),
    "setitem": lambda xp, x, s, target: xp.zeros(2, dtype=xp.float16).index_fill_(0, xp.tensor([1]), s),
    "half + 0-d double": lambda xp, x, s, target: xp.zeros(2, dtype=xp.float16) + xp.tensor(s, dtype=xp.float64),
    "half + float": lambda xp, x, s, target: xp.zeros(2, dtype=xp.float16) + s,
    "sum(dtype=)": lambda xp, x, s, target: x.sum(0, dtype=getattr(xp, target)),
}


@case(
    covers=("half()", "to(dtype)", "copy_", "tensor", "full", "fill_", "sum"),
    exact=True,
    x=tensors(dtypes=("float64", "complex128"), regime="half midpoints", min_dims=1, max_dims=2),
    s=scalars(kinds=("float",), regime="half midpoints"),
)
def doubles_to_half(xp, x, s):
    """c10::Half converts only from float: every double reaches Half through float, rounded twice (every way
    in, on each example: a way that rounds once shows on about half of the values drawn)."""
    target = "float16" if x.dtype == xp.float64 else "complex32"
    out = {}
    for how, convert in sorted(_TO_HALF.items()):
        try:
            out[how] = convert(xp, x, s, target)
        except Exception as e:  # (ComplexHalf lacks some kernels: the error is compared instead)
            out[how] = f"{type(e).__name__}: {e}"
    return out


@case(
    covers=("to(dtype)", "to(device)", "to(device, dtype)", "to(other)", "type(dtype)"),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    form=st.sampled_from(["dtype", "device", "both", "other", "type_str", "type_dtype", "copy"]),
    dtype=st.sampled_from(ALL),
)
def to_forms(xp, x, form, dtype):
    dt = getattr(xp, dtype)
    if form == "dtype":
        r = x.to(dt)
    elif form == "device":
        r = x.to("cpu")
    elif form == "both":
        r = x.to("cpu", dt)
    elif form == "other":
        r = x.to(xp.zeros(1, dtype=dt))
    elif form == "type_str":
        r = x.type("torch.DoubleTensor")
    elif form == "copy":
        r = x.to(dt, copy=True)
    else:
        r = x.type(dt)
    return r, r is x


@case(
    covers=("clone()", "detach()", "detach_()", "data", "requires_grad_()", "retain_grad()", "retains_grad"),
    x=tensors(dtypes=FLOATS, requires_grad=st.booleans()),
)
def detach_family(xp, x):
    y = x * 2
    d = y.detach()
    e = x.data
    d.add_(1)
    return d, e, y._version, d._version, x._version, e._version, y.requires_grad, d.requires_grad


_NAMESPACE = (
    "tensor",
    "zeros",
    "add",
    "get_printoptions",
    "printoptions",
    "vector_norm",
    "ComplexFloatTensor",
    "FloatTensor",
    "BoolTensor",
    "linalg",
    "Tensor",
    "Size",
    "no_grad",
    "cuda",
    "autograd",
    "testing",
    "accelerator",
    "return_types",
    "manual_seed",
    "Generator",
    "clip",
    "concat",
    "absolute",
    "true_divide",
    "rsub",
    "positive",
    "square",
    "isclose",
    "lerp",
    "matmul",
    "einsum",
    "cat",
    "hstack",
)


@case(covers=("namespace",), name_=st.sampled_from(_NAMESPACE))
def namespace_names(xp, name_):
    return hasattr(xp, name_)


_CLOSE_PAIRS = st.sampled_from(
    [
        ("f32", [1.0, 2.0, 3.0], "f32", [1.0, 2.0, 3.0001]),
        ("f32", [1.0, 2.0, 3.0], "f32", [1.0, 2.5, 3.5]),
        ("f32", [1.0, 2.0], "f64", [1.0, 2.0]),
        ("f32", [1.0, 2.0], "f32", [1.0, 2.0, 3.0]),
        ("i64", [1, 2], "i64", [1, 3]),
        ("u8", [1, 2], "u8", [1, 3]),
        ("f32", [float("nan")], "f32", [float("nan")]),
        ("f32", 1.0, "py", 1.0),
        ("bool", [True], "bool", [False]),
        ("py", 1, "py", 2),
        ("py", 1.0, "py", 1.5),
        ("f32", [[1.0, 2.0], [3.0, 4.0]], "f32", [[1.0, 2.0], [3.0, -4.0]]),
        ("c64", [1 + 1j], "c64", [1 + 1.5j]),
    ]
)


@case(
    expect_error=True,
    covers=("testing.assert_close",),
    pair=_CLOSE_PAIRS,
    options=st.sampled_from([{}, {"equal_nan": True}, {"rtol": 0.1, "atol": 0.0}, {"check_dtype": False}]),
)
def assert_close_messages(xp, pair, options):
    """assert_close's verdicts and its AssertionError/TypeError messages, word for word."""
    kinds = {"f32": "float32", "f64": "float64", "i64": "int64", "u8": "uint8", "bool": "bool", "c64": "complex64"}
    a_kind, a, b_kind, b = pair
    actual = a if a_kind == "py" else xp.tensor(a, dtype=getattr(xp, kinds[a_kind]))
    expected = b if b_kind == "py" else xp.tensor(b, dtype=getattr(xp, kinds[b_kind]))
    return xp.testing.assert_close(actual, expected, **options)
