"""Shape ops: views share storage with their base exactly as in torch (strides, offsets, _base, version
counters); reshape copies exactly when torch copies; the copying shape ops and joins."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..forms import call, covers, each_form, forms, op_and_form
from ..registry import case
from ..strategies import ALL, LAYOUTS, tensors

_ANY = tensors(dtypes=ALL, requires_grad=st.booleans())
_MATRIX = tensors(dtypes=ALL, shape=hnp.array_shapes(min_dims=2, max_dims=2, min_side=0), requires_grad=st.booleans())


@st.composite
def target_shapes(draw, x_strategy):
    """A tensor and a shape to view/reshape it to: its factorisations, with -1, sometimes invalid."""
    x = draw(x_strategy)
    n = 1
    for d in x.shape:
        n *= d
    divisors = [d for d in range(1, n + 1) if n % d == 0] or [0]
    a = draw(st.sampled_from(divisors), label="factor")
    b = n // a if a else 0
    shape = draw(
        st.sampled_from([(n,), (a, b), (a, -1), (-1,), (b, a, 1), (1, a, b), (-1, b), (n + 1,), (-1, -1), (-2, a), ()]),
        label="shape",
    )
    return x, shape


@case(covers=("view", "Tensor.view"), grad=True, exact=True, xs=target_shapes(_ANY))
def view_case(xp, xs):
    x, shape = xs
    return x.view(shape)


@case(covers=("view(*shape)",), exact=True, xs=target_shapes(tensors(dtypes=ALL)))
def view_varargs_write(xp, xs):
    x, shape = xs
    v = x.view(*shape)
    v.fill_(3)
    return v, x


@case(
    covers=("Tensor.view(dtype)",),
    exact=True,
    # non-empty: torch.tensor(ndarray) keeps numpy's zero strides of an empty array, which view(dtype) checks,
    # where the shim's empty tensors have contiguous strides (#16's note)
    x=tensors(
        dtypes=ALL, shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4), requires_grad=st.booleans()
    ),
    dtype=st.sampled_from(ALL[1:]),  # (not as bool: bytes other than 0 and 1 are no bool torch defines)
    keyword=st.booleans(),
)
def view_dtype(xp, x, dtype, keyword):
    """The same bytes as another dtype: the last dim grows or shrinks by the ratio of the element sizes (with
    torch's checks of strides and offset), not a view for autograd but the same storage: a write shows."""
    v = x.view(dtype=getattr(xp, dtype)) if keyword else x.view(getattr(xp, dtype))
    facts = (v.requires_grad, v._is_view(), v.stride(), v.storage_offset())
    with xp.no_grad():
        x.zero_() if not x.requires_grad or not x.is_leaf else None
    return v, facts


@case(
    covers=(*covers("reshape"), "reshape_as", "view_as"),
    grad=True,
    exact=True,
    xs=target_shapes(_ANY),
    form=forms("reshape"),
)
def reshape_case(xp, xs, form):
    x, shape = xs
    r = call(xp, form, "reshape", x, shape)
    return r, r.reshape_as(r), x.view_as(x)


@case(covers=("reshape",), exact=True, xs=target_shapes(tensors(dtypes=ALL)))
def reshape_aliasing(xp, xs):
    x, shape = xs
    r = x.reshape(shape)
    if r.numel():
        r.zero_()
    return r, x


@case(
    covers=covers("flatten"),
    grad=True,
    exact=True,
    x=_ANY,
    start=st.integers(-4, 3),
    end=st.integers(-4, 3),
    form=forms("flatten"),
)
def flatten_case(xp, x, start, end, form):
    return call(xp, form, "flatten", x, start, end)


@case(
    covers=("unflatten",),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, min_dims=1, requires_grad=st.booleans()),
    dim=st.integers(-2, 1),
    sizes=st.sampled_from([(-1,), (1, -1), (2, -1), (-1, 2), (1, 1, -1), (0, -1)]),
    form=forms("unflatten"),
)
def unflatten_case(xp, x, dim, sizes, form):
    return call(xp, form, "unflatten", x, dim, sizes)


@case(
    covers=covers("squeeze", "unsqueeze"),
    grad=True,
    exact=True,
    forms=4,
    x=_ANY,
    dim=st.none() | st.integers(-5, 4) | st.lists(st.integers(-3, 2), max_size=2).map(tuple),
    op_form=op_and_form(["squeeze", "unsqueeze"]),
)
def squeeze_unsqueeze(xp, x, dim, op_form):
    op, form = op_form
    if op == "unsqueeze":
        dim = 0 if dim is None or isinstance(dim, tuple) else dim
    y = x * 1 if x.requires_grad else x
    args = () if dim is None else (dim,)
    return call(xp, form, op, y, *args), each_form(xp, op, x.detach(), *args)


@case(
    covers=(*covers("transpose", "swapaxes", "swapdims", "t"), "T", "mT"),
    grad=True,
    exact=True,
    max_examples=100,  # six ops in their forms over every rank
    x=st.one_of(_ANY, _MATRIX),  # t() and mT need real matrices, which _ANY draws rarely
    d0=st.integers(-3, 2),
    d1=st.integers(-3, 2),
    op_form=op_and_form(["transpose", "swapaxes", "swapdims", "t"])
    | st.tuples(st.sampled_from(["T", "mT"]), st.just("attribute")),
)
def transposes(xp, x, d0, d1, op_form):
    op, form = op_form
    y = x * 1 if x.requires_grad else x
    if form == "attribute":
        return getattr(y, op)
    if op == "t":
        return call(xp, form, op, y)
    return call(xp, form, op, y, d0, d1)


@case(
    covers=covers("permute", "movedim"),
    grad=True,
    exact=True,
    x=_ANY,
    perm=st.permutations(range(4)),
    n=st.integers(0, 4),
    op_form=op_and_form(["permute", "movedim"]),
)
def permute_movedim(xp, x, perm, n, op_form):
    op, form = op_form
    dims = [p for p in perm if p < x.dim()][:n] if op == "movedim" else [p for p in perm if p < x.dim()]
    if op == "movedim":
        return call(xp, form, op, x, tuple(dims), tuple(reversed(dims)))
    return call(xp, form, op, x, tuple(dims))


@case(
    covers=("expand", *covers("broadcast_to")),
    grad=True,
    exact=True,
    x=_ANY,
    sizes=st.lists(st.integers(-1, 3), min_size=0, max_size=5).map(tuple),
    op_form=op_and_form(["expand", "broadcast_to"]),
)
def expand_case(xp, x, sizes, op_form):
    op, form = op_form
    if op == "expand":
        return x.expand(*sizes)
    return call(xp, form, op, x, sizes)


@case(covers=("repeat",), grad=True, exact=True, x=_ANY, reps=st.lists(st.integers(0, 3), max_size=5).map(tuple))
def repeat_case(xp, x, reps):
    return x.repeat(*reps)


@case(
    covers=covers("narrow", "chunk", "split", "unbind"),
    forms=2,
    grad=True,
    exact=True,
    x=_ANY,
    dim=st.integers(-3, 2),
    a=st.integers(-3, 4),
    b=st.integers(0, 4),
    op_form=op_and_form(["narrow", "chunk", "split", "unbind"]),
    sizes=st.booleans(),
)
def slicing_ops(xp, x, dim, a, b, op_form, sizes):
    op, form = op_form
    if op == "narrow":
        return call(xp, form, op, x, dim, a, b)
    if op == "chunk":
        return call(xp, form, op, x, b, dim)
    if op == "split":
        return call(xp, form, op, x, [a, b] if sizes else b, dim)
    return call(xp, form, op, x, dim)


@case(
    covers=("split", "unbind"),
    exact=True,
    x=tensors(dtypes=("float32",), min_dims=1, requires_grad=True),
    op=st.sampled_from(["split", "unbind", "chunk"]),
)
def multi_output_view_inplace(xp, x, op):
    parts = getattr(x * 1, op)(1) if op != "unbind" else (x * 1).unbind()
    parts[0].add_(1)
    return parts


@case(
    covers=covers("flip", "roll"),
    forms=2,
    grad=True,
    exact=True,
    x=_ANY,
    dims=st.lists(st.integers(-3, 2), max_size=3).map(tuple),
    shift=st.integers(-4, 4),
    op_form=op_and_form(["flip", "roll"]),
    flat=st.booleans(),
)
def flip_roll(xp, x, dims, shift, op_form, flat):
    op, form = op_form
    if op == "flip":
        return call(xp, form, op, x, dims)
    if flat:
        return call(xp, form, op, x, shift)
    return call(xp, form, op, x, (shift,) * len(dims), dims)


@case(
    covers=covers("cat", "concat", "stack", "hstack", "vstack"),
    forms=2,
    grad=True,
    exact=True,
    xs=st.lists(
        tensors(dtypes=("float32", "float64", "int64"), max_dims=3, max_side=3, requires_grad=st.booleans()),
        min_size=0,
        max_size=3,
    ),
    dim=st.integers(-3, 2),
    op_form=op_and_form(["cat", "concat", "stack", "hstack", "vstack"]),
)
def joins(xp, xs, dim, op_form):
    op, form = op_form
    args = () if op in ("hstack", "vstack") else (dim,)
    return call(xp, form, op, xs, *args), each_form(xp, op, [x.detach() for x in xs], *args)


@case(
    covers=("t", "T", "mT", "H", "mH"),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, shape=hnp.array_shapes(min_dims=2, max_dims=3, min_side=1), requires_grad=st.booleans()),
    op=st.sampled_from(["t", "T", "mT", "H", "mH"]),
)
def matrix_transposes(xp, x, op):
    """The transposes of real matrices (and batches), which `transposes` meets only now and then; H and
    mH conjugate complex ones."""
    y = x * 1 if x.requires_grad else x
    if op in ("t", "T", "H") and y.dim() == 3:
        op = "mT" if op != "H" else "mH"
    return y.t() if op == "t" else getattr(y, op)


@st.composite
def compatible_cat(draw):
    """Tensors that can be concatenated along some dim (sizes agree elsewhere)."""
    nd = draw(st.integers(1, 3))
    base = draw(st.lists(st.integers(0, 3), min_size=nd, max_size=nd))
    dim = draw(st.integers(0, nd - 1))
    n = draw(st.integers(1, 3))
    specs = []
    for _ in range(n):
        shape = list(base)
        shape[dim] = draw(st.integers(0, 3))
        specs.append(
            draw(
                tensors(dtypes=("float32", "int32", "float64", "bool"), shape=tuple(shape), requires_grad=st.booleans())
            )
        )
    return specs, dim


@case(
    covers=covers("cat", "stack"),
    grad=True,
    exact=True,
    forms=2,
    args=compatible_cat(),
    op_form=op_and_form(["cat", "stack"]),
)
def joins_valid(xp, args, op_form):
    xs, dim = args
    op, form = op_form
    if op == "stack":
        xs = [x for x in xs if x.shape == xs[0].shape]
    return call(xp, form, op, xs, dim), each_form(xp, op, [x.detach() for x in xs], dim)


@case(covers=("contiguous", "clone", "is_contiguous"), grad=True, exact=True, x=_ANY)
def contiguous_clone(xp, x):
    c = x.contiguous()
    k = x.clone()
    return c, k, c is x, x.is_contiguous(), k.is_contiguous()


@case(
    covers=("stride", "storage_offset", "data_ptr", "untyped_storage"),
    exact=True,
    x=tensors(dtypes=ALL, layouts=LAYOUTS),
)
def layout_facts(xp, x):
    v = x[..., 1:] if x.dim() else x
    shares = v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()

    def strides(t):  # a size-1 dim's stride is arbitrary, an empty tensor's too
        return tuple(s for d, s in zip(t.shape, t.stride()) if d != 1) if t.numel() else None

    return (
        strides(x),
        x.storage_offset(),
        strides(v),
        v.storage_offset() if x.numel() else None,  # where an empty view starts is torch's internal choice
        shares,
        (v.data_ptr() - x.data_ptr()) // x.element_size() if v.numel() and x.numel() else None,
    )
