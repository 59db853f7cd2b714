"""Splits, stacks, flips and rotations, tile, ravel, repeat_interleave, unfold, narrow_copy, adjoint,
as_strided, the *_copy forms, the complex views (view_as_real, view_as_complex, polar, resolve_conj,
is_conj) and softmax/log_softmax/quantile, in every form torch offers.  Exact where the op only moves
values."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers
from ..registry import case
from ..strategies import ALL, COMPLEX, FLOATS, tensors

_X = tensors(dtypes=ALL, requires_grad=st.booleans())
_SPLITS = (
    "tensor_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "split_with_sizes",
    "unsafe_split",
    "unsafe_chunk",
    "unsafe_split_with_sizes",
)


@case(
    covers=covers(*_SPLITS),
    grad=True,
    exact=True,
    op=st.sampled_from(_SPLITS),
    form=st.sampled_from(["function", "method"]),
    x=_X,
    sections=st.integers(1, 3) | st.lists(st.integers(-2, 5), max_size=3),
    dim=st.integers(-1, 1),
)
def splits(xp, op, form, x, sections, dim):
    if op in ("hsplit", "vsplit", "dsplit"):
        return call(xp, form, op, x, sections)
    if op in ("split_with_sizes", "unsafe_split_with_sizes"):
        size = x.shape[dim] if x.dim() else 1
        sizes = [size // 2, size - size // 2] if isinstance(sections, int) else sections
        return call(xp, form, op, x, sizes, dim)
    if op in ("unsafe_split", "unsafe_chunk"):
        return call(xp, form, op, x, sections if isinstance(sections, int) else 2, dim)
    return call(xp, form, op, x, sections, dim)


@case(
    covers=("atleast_3d", "dstack", "column_stack", "row_stack", "broadcast_tensors", "dstack(out=)"),
    grad=True,
    exact=True,
    op=st.sampled_from(["atleast_3d", "dstack", "column_stack", "row_stack", "broadcast_tensors"]),
    xs=st.lists(
        tensors(dtypes=("float32", "int64"), max_dims=3, max_side=3, requires_grad=st.booleans()),
        min_size=1,
        max_size=3,
    ),
)
def stacks(xp, op, xs):
    if op in ("atleast_3d", "broadcast_tensors"):
        return getattr(xp, op)(*xs)
    return getattr(xp, op)(xs)


@case(
    covers=covers("fliplr", "flipud", "rot90", "tile", "ravel", "adjoint", "narrow_copy", "unfold"),
    grad=True,
    exact=True,
    op=st.sampled_from(["fliplr", "flipud", "rot90", "tile", "ravel", "adjoint", "narrow_copy", "unfold"]),
    form=st.sampled_from(["function", "method"]),
    x=_X,
    k=st.integers(-5, 5),
    dims=st.sampled_from([(0, 1), (1, 0), (-1, 0), (0, 0), (0, 2)]),
    reps=st.lists(st.integers(0, 2), max_size=3).map(tuple),
)
def rearrangements(xp, op, form, x, k, dims, reps):
    if op == "unfold":
        return x.unfold(dims[0], abs(k) % 3, max(abs(k) % 2, 1))
    if op == "rot90":
        return call(xp, form, "rot90", x, k, dims)
    if op == "tile":
        return call(xp, form, "tile", x, reps)
    if op == "narrow_copy":
        return call(xp, form, "narrow_copy", x, dims[0], 0, abs(k) % 2)
    return call(xp, form, op, x)


@case(
    covers=covers("repeat_interleave"),
    grad=True,
    exact=True,
    form=st.sampled_from(["function", "method"]),
    x=_X,
    repeats=st.integers(0, 3) | st.lists(st.integers(0, 2), min_size=1, max_size=4),
    dim=st.none() | st.integers(-1, 0),
)
def repeat_interleave_case(xp, form, x, repeats, dim):
    reps = repeats if isinstance(repeats, int) else xp.tensor(repeats)
    return call(xp, form, "repeat_interleave", x, reps, dim)


_COPIES = (
    "alias_copy as_strided_copy detach_copy diagonal_copy expand_copy permute_copy select_copy slice_copy "
    "squeeze_copy t_copy transpose_copy unbind_copy unfold_copy unsqueeze_copy view_copy split_copy "
    "split_with_sizes_copy"
).split()
_COPY_ARGS = {
    "as_strided_copy": lambda x: ((1,), (1,)),
    "diagonal_copy": lambda x: (),
    "expand_copy": lambda x: ((2,) + tuple(x.shape),),
    "permute_copy": lambda x: (tuple(reversed(range(x.dim()))),),
    "select_copy": lambda x: (0, 0),
    "slice_copy": lambda x: (0, 0, 1),
    "transpose_copy": lambda x: (0, -1),
    "unfold_copy": lambda x: (0, 1, 1),
    "unsqueeze_copy": lambda x: (0,),
    "view_copy": lambda x: (-1,),
    "split_copy": lambda x: (1,),
    "split_with_sizes_copy": lambda x: ([x.shape[0]] if x.dim() else [1],),
}


@case(
    covers=tuple(_COPIES),
    grad=True,
    exact=True,
    op=st.sampled_from(_COPIES),
    x=tensors(dtypes=ALL, min_dims=1, max_dims=2, max_side=3, requires_grad=st.booleans()),
)
def view_copies(xp, op, x):
    if op == "alias_copy":
        return xp.alias_copy(x)
    return getattr(xp, op)(x, *_COPY_ARGS.get(op, lambda x: ())(x))


@case(
    covers=covers("as_strided", "as_strided_scatter"),
    grad=True,
    exact=True,
    op=st.sampled_from(["as_strided", "as_strided_", "as_strided_scatter"]),
    x=tensors(dtypes=FLOATS, min_dims=1, requires_grad=st.booleans()),
    size=st.lists(st.integers(0, 3), max_size=2).map(tuple),
    stride=st.lists(st.integers(0, 2), max_size=2).map(tuple),
    offset=st.none() | st.integers(0, 3),
)
def as_strided_case(xp, op, x, size, stride, offset):
    stride = (stride + (1, 1))[: len(size)]
    if op == "as_strided_":
        return x.clone().as_strided_(size, stride, offset)
    if op == "as_strided_scatter":
        src = xp.zeros(size, dtype=x.dtype)
        return xp.as_strided_scatter(x, src, size, stride, offset)
    return xp.as_strided(x, size, stride, offset), x.as_strided(size, stride, offset)


@case(
    covers=("view_as_real", "view_as_complex", "view_as_real_copy", "view_as_complex_copy", "polar")
    + covers("resolve_conj", "resolve_neg", "is_conj", "is_neg", "isreal"),
    grad=True,
    exact=True,
    op=st.sampled_from(["view_as_real", "round_trip", "polar", "resolve", "isreal", "copies"]),
    z=tensors(dtypes=COMPLEX, regime="exact", requires_grad=st.booleans()),
    r=tensors(dtypes=("float32", "float64"), regime="exact", requires_grad=st.booleans()),
)
def complex_views(xp, op, z, r):
    if op == "view_as_real":
        return xp.view_as_real(z)
    if op == "round_trip":
        return xp.view_as_complex(xp.view_as_real(z))
    if op == "polar":
        return xp.polar(r, r * 0.5)
    if op == "copies":
        return xp.view_as_real_copy(z), xp.view_as_complex_copy(xp.view_as_real(z.detach()))
    if op == "isreal":
        return xp.isreal(z), z.isreal(), xp.isreal(r)
    return xp.resolve_conj(z), z.resolve_neg(), xp.is_conj(r), z.is_neg()


@case(
    covers=covers("softmax", "log_softmax"),
    grad=True,
    ulps=4,
    op=st.sampled_from(["softmax", "log_softmax"]),
    form=st.sampled_from(["function", "method", "out"]),
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    dim=st.integers(-2, 1),
    dtype=st.sampled_from([None, "float64", "float32"]),
)
def softmaxes(xp, op, form, x, dim, dtype):
    if form == "out":
        return call(xp, "out", op, x, dim)
    return call(xp, form, op, x, dim, dtype=None if dtype is None else getattr(xp, dtype))


@case(
    covers=covers("quantile", "nanquantile"),
    grad=True,
    ulps=4,
    op=st.sampled_from(["quantile", "nanquantile"]),
    form=st.sampled_from(["function", "method"]),
    x=tensors(dtypes=FLOATS, requires_grad=st.booleans()),
    q=st.sampled_from([0.0, 0.25, 0.5, 1.0, [0.1, 0.9], [], 1.5]),
    dim=st.none() | st.integers(-1, 1),
    keepdim=st.booleans(),
    interpolation=st.sampled_from(["linear", "lower", "higher", "midpoint", "nearest"]),
)
def quantiles(xp, op, form, x, q, dim, keepdim, interpolation):
    qv = xp.tensor(q, dtype=x.dtype) if isinstance(q, list) else q
    return call(xp, form, op, x, qv, dim, keepdim, interpolation=interpolation)
