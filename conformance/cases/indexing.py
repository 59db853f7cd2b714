"""Indexing: basic keys give views, advanced keys copy; __setitem__ with scalars, tensors and masks; the
index ops."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers, forms, op_and_form
from ..registry import case
from ..strategies import ALL, REAL, index_keys, scalars, tensors


@st.composite
def tensor_and_key(draw, dtypes=ALL, advanced=True, requires_grad=False):
    x = draw(tensors(dtypes=dtypes, requires_grad=requires_grad))
    key = draw(index_keys(x.shape, advanced=advanced))
    return x, key


# index tensors as torch takes them (int64, int32) and one it refuses, for its message
_INDEX_DTYPES = ("int64", "int64", "int32", "float32")


@case(covers=("x[i, j]", "__getitem__", "item"), grad=True, exact=True, xk=tensor_and_key(requires_grad=st.booleans()))
def getitem_case(xp, xk):
    x, key = xk
    return x[key]


@case(covers=("__getitem__",), exact=True, xk=tensor_and_key(advanced=False))
def getitem_basic_is_view(xp, xk):
    x, key = xk
    v = x[key]
    if v.numel():
        v.fill_(1)
    return v, x


@case(
    covers=("x[i, j]", "item"),
    x=tensors(dtypes=ALL, shape=st.tuples(st.integers(0, 4), st.integers(0, 4))),
    i=st.integers(-5, 5),
    j=st.integers(-5, 5),
)
def getitem_ij(xp, x, i, j):
    v = x[i, j]
    return v, v.item()


@case(covers=("__setitem__",), exact=True, xk=tensor_and_key(dtypes=REAL), value=scalars(("bool", "int", "float")))
def setitem_scalar(xp, xk, value):
    x, key = xk
    x[key] = value
    return x


@case(
    covers=("__setitem__",), exact=True, xk=tensor_and_key(dtypes=REAL), v=tensors(dtypes=REAL, max_dims=2, max_side=3)
)
def setitem_tensor(xp, xk, v):
    x, key = xk
    x[key] = v
    return x


@case(covers=("__setitem__", "masked_fill"), exact=True, x=tensors(dtypes=REAL), value=scalars(("int", "float")))
def setitem_mask(xp, x, value):
    x[x > 0] = value
    return x


@case(
    covers=("__setitem__",),
    grad=True,
    exact=True,
    x=tensors(dtypes=("float32", "float64"), min_dims=1, requires_grad=True),
    value=st.floats(-4, 4),
)
def setitem_autograd(xp, x, value):
    y = x * 2
    y[0] = value
    return y


@case(
    covers=covers("index_select"),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    dim=st.integers(-2, 1),
    idx=st.lists(st.integers(-1, 4), max_size=4),
    index_dtype=st.sampled_from(_INDEX_DTYPES),
    form=forms("index_select"),
)
def index_select_case(xp, x, dim, idx, index_dtype, form):
    return call(xp, form, "index_select", x, dim, xp.tensor(idx, dtype=getattr(xp, index_dtype)))


@case(
    covers=covers("gather"),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, min_dims=1, requires_grad=st.booleans()),
    dim=st.integers(-2, 1),
    idx=st.lists(st.lists(st.integers(-1, 3), min_size=1, max_size=3), min_size=1, max_size=3),
    index_dtype=st.sampled_from(_INDEX_DTYPES),
    form=forms("gather"),
)
def gather_case(xp, x, dim, idx, index_dtype, form):
    index = xp.tensor(idx, dtype=getattr(xp, index_dtype))
    if x.dim() == 1:
        index = index[0]
    return call(xp, form, "gather", x, dim, index)


@case(
    covers=covers("scatter", "scatter_add"),
    forms=3,
    grad=True,
    exact=True,
    x=tensors(
        dtypes=("float32", "float64", "int64"),
        shape=st.tuples(st.integers(1, 4), st.integers(1, 4)),
        requires_grad=st.booleans(),
    ),
    src=tensors(
        dtypes=("float32", "float64", "int64"),
        shape=st.tuples(st.integers(1, 3), st.integers(1, 3)),
        requires_grad=st.booleans(),
    ),
    dim=st.integers(0, 1),
    seed=st.integers(0, 1000),
    op_form=op_and_form(["scatter", "scatter_add"]),
    value=st.booleans(),
    index_dtype=st.sampled_from(_INDEX_DTYPES),
    reduce=st.sampled_from([None, None, "add", "multiply", "sum"]),  # (scatter's deprecated reductions)
)
def scatter_case(xp, x, src, dim, seed, op_form, value, index_dtype, reduce):
    op, form = op_form
    rows, cols = min(x.shape[0], src.shape[0]), min(x.shape[1], src.shape[1])
    limit = x.shape[dim]
    index = xp.tensor(
        [[(seed * (i + 3) + j * 7) % limit for j in range(cols)] for i in range(rows)], dtype=getattr(xp, index_dtype)
    )
    y = x.clone() if x.requires_grad and form in ("inplace", "torch_inplace") else x
    extra = {"reduce": reduce} if reduce is not None and op == "scatter" else {}
    return call(xp, form, op, y, dim, index, 2.5 if value and op == "scatter" else src, **extra)


@case(
    covers=covers("index_add"),
    forms=2,
    exact=True,
    x=tensors(dtypes=("float32", "int64"), min_dims=1),
    idx=st.lists(st.integers(-2, 3), min_size=0, max_size=3),
    alpha=st.sampled_from([1, 2]),
    index_dtype=st.sampled_from(_INDEX_DTYPES),
    matrix_index=st.booleans(),
    src_dtype=st.sampled_from([None, None, "float64"]),
    form=forms("index_add"),
)
def index_add_case(xp, x, idx, alpha, index_dtype, matrix_index, src_dtype, form):
    src = xp.ones((len(idx),) + tuple(x.shape[1:]), dtype=getattr(xp, src_dtype) if src_dtype else x.dtype)
    index = xp.tensor([idx, idx] if matrix_index else idx, dtype=getattr(xp, index_dtype))
    return call(xp, form, "index_add", x, 0, index, src, alpha=alpha)


@case(
    covers=covers("masked_fill"),
    grad=True,
    exact=True,
    pair=st.tuples(tensors(dtypes=ALL, requires_grad=st.booleans()), tensors(dtypes=("bool",), max_dims=2)),
    value=scalars(("int", "float", "bool")),
    form=forms("masked_fill"),
)
def masked_fill_case(xp, pair, value, form):
    x, mask = pair
    y = x.clone() if x.requires_grad and form == "inplace" else x
    return call(xp, form, "masked_fill", y, mask, value)


@case(
    covers=(*covers("nonzero"), "where(cond)"),
    exact=True,
    x=tensors(dtypes=ALL),
    as_tuple=st.booleans(),
    form=forms("nonzero"),
)
def nonzero_case(xp, x, as_tuple, form):
    return xp.nonzero(x, as_tuple=as_tuple), call(xp, form, "nonzero", x)


@case(
    covers=("fill_",),
    x=tensors(dtypes=ALL),
    value=st.one_of(scalars(), st.sampled_from(["tensor0d", "tensor1d", "complex_tensor"])),
)
def fill_inplace(xp, x, value):
    """fill_ with Python scalars of every kind and with 0-d tensors (which may require grad)."""
    if value == "tensor0d":
        value = xp.tensor(2.5)
    elif value == "tensor1d":
        value = xp.ones(1)
    elif value == "complex_tensor":
        value = xp.tensor(1 + 2j)
    r = x.fill_(value)
    return r, r is x
