"""Matrix and tensor products and matrix-shaped ops, in every form torch offers: addmm, addmv, addr,
addbmm, baddbmm, inner, vdot, kron, tensordot, chain_matmul, linalg.multi_dot, cross, cdist, trace, diag,
diag_embed, diagflat, diagonal, tril, triu, tril_indices, triu_indices, block_diag, cartesian_prod,
combinations, meshgrid.  Products agree within tolerance (BLAS); the shaped ops exactly."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers
from ..registry import case
from ..strategies import ALL, FLOATS, NUMERIC, tensors

_SIDE = st.integers(0, 3)
_SCALE = st.sampled_from([1, 0, 2, -0.5])


def _mat(dtypes, shape, rg=True):
    return tensors(dtypes=dtypes, shape=st.just(shape), regime="exact", requires_grad=st.booleans() if rg else False)


@st.composite
def _addmm_inputs(draw, op):
    dtype = draw(st.sampled_from(NUMERIC + ("complex64",)), label="dtype")
    n, m, p, b = (draw(_SIDE) for _ in range(4))
    dts = (dtype,)
    if op == "addmm":
        shapes = ((n, p), (n, m), (m, p))
    elif op == "addmv":
        shapes = ((n,), (n, m), (m,))
    elif op == "addr":
        shapes = ((n, p), (n,), (p,))
    elif op == "baddbmm":
        shapes = ((b, n, p), (b, n, m), (b, m, p))
    else:
        shapes = ((n, p), (b, n, m), (b, m, p))
    base_shape = draw(st.sampled_from([shapes[0], shapes[0][-1:], ()]), label="base shape")
    return tuple(draw(_mat(dts, s)) for s in (base_shape,) + shapes[1:])


for _op in ("addmm", "addmv", "addr", "baddbmm", "addbmm"):

    @case(
        name=f"{_op}_forms",
        covers=covers(_op),
        grad=True,
        op=_op,
        form=st.sampled_from(["function", "method", "inplace", "out"]),
        triple=_addmm_inputs(_op),
        beta=_SCALE,
        alpha=_SCALE,
    )
    def addmm_like(xp, op, form, triple, beta, alpha):
        base, a, b = triple
        return call(xp, form, op, base, a, b, beta=beta, alpha=alpha)


@case(
    covers=covers("inner", "vdot", "kron", "tensordot"),
    grad=True,
    op=st.sampled_from(["inner", "vdot", "kron", "tensordot"]),
    form=st.sampled_from(["function", "method", "out"]),
    a=tensors(
        dtypes=FLOATS + ("int64", "complex64"), regime="exact", max_dims=3, max_side=3, requires_grad=st.booleans()
    ),
    b=tensors(
        dtypes=FLOATS + ("int64", "complex64"), regime="exact", max_dims=3, max_side=3, requires_grad=st.booleans()
    ),
    dims=st.integers(0, 2),
)
def products(xp, op, form, a, b, dims):
    if op == "tensordot":  # (a function only, with an out= form)
        return call(xp, "out" if form == "out" else "function", op, a, b, dims)
    return call(xp, form, op, a, b)


@case(
    covers=("chain_matmul", "linalg.multi_dot"),
    grad=True,
    op=st.sampled_from(["chain_matmul", "multi_dot"]),
    sides=st.lists(st.integers(1, 4), min_size=3, max_size=5),
    vector_ends=st.tuples(st.booleans(), st.booleans()),
    dtype=st.sampled_from(FLOATS),
)
def chains(xp, op, sides, vector_ends, dtype):
    mats = [
        xp.arange(sides[i] * sides[i + 1], dtype=getattr(xp, dtype)).reshape(sides[i], sides[i + 1]) / 4
        for i in range(len(sides) - 1)
    ]
    mats = [m.requires_grad_() for m in mats]
    if op == "chain_matmul":
        return xp.chain_matmul(*mats)
    if vector_ends[0]:
        mats[0] = mats[0][0]
    if vector_ends[1]:
        mats[-1] = mats[-1][:, 0]
    return xp.linalg.multi_dot(mats)


@case(
    covers=covers("cross") + ("linalg.cross",),
    grad=True,
    op=st.sampled_from(["cross", "linalg.cross", "method"]),
    a=tensors(
        dtypes=ALL, shape=st.sampled_from([(3,), (2, 3), (3, 2), (3, 3)]), regime="exact", requires_grad=st.booleans()
    ),
    b=tensors(
        dtypes=ALL, shape=st.sampled_from([(3,), (2, 3), (3, 3), (1, 3)]), regime="exact", requires_grad=st.booleans()
    ),
    dim=st.none() | st.integers(-1, 0),
)
def cross_case(xp, op, a, b, dim):
    if op == "linalg.cross":
        return xp.linalg.cross(a, b, dim=-1 if dim is None else dim)
    if op == "method":
        return a.cross(b, dim)
    return xp.cross(a, b, dim)


@case(
    covers=("cdist",),
    grad=True,
    ulps=4,
    a=tensors(
        dtypes=FLOATS,
        regime="finite",
        shape=st.sampled_from([(2, 3), (1, 2, 3), (0, 3), (3, 1)]),
        requires_grad=st.booleans(),
    ),
    b=tensors(
        dtypes=FLOATS, regime="finite", shape=st.sampled_from([(4, 3), (2, 3), (1, 1)]), requires_grad=st.booleans()
    ),
    p=st.sampled_from([0.0, 1.0, 2.0, 3.0, float("inf")]),
)
def cdist_case(xp, a, b, p):
    return xp.cdist(a, b, p)


@case(
    covers=covers("trace", "diag", "diag_embed", "diagflat", "diagonal") + ("linalg.diagonal",),
    grad=True,
    exact=True,
    op=st.sampled_from(["trace", "diag", "diag_embed", "diagflat", "diagonal", "linalg.diagonal"]),
    form=st.sampled_from(["function", "method"]),
    x=tensors(dtypes=ALL, max_dims=3, requires_grad=st.booleans()),
    offset=st.integers(-2, 2),
    dims=st.sampled_from([(0, 1), (1, 0), (-1, 0), (0, 2), (1, 1)]),
)
def diagonals(xp, op, form, x, offset, dims):
    if op == "trace":
        return call(xp, form, "trace", x)
    if op in ("diag", "diagflat"):
        return call(xp, form, op, x, offset)
    if op == "linalg.diagonal":
        return xp.linalg.diagonal(x, offset=offset, dim1=dims[0], dim2=dims[1])
    return call(xp, form, op, x, offset, *dims)


@case(
    covers=covers("tril", "triu"),
    grad=True,
    exact=True,
    op=st.sampled_from(["tril", "triu"]),
    form=st.sampled_from(["function", "method", "inplace", "out"]),
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    diagonal=st.integers(-3, 3),
)
def triangles(xp, op, form, x, diagonal):
    return call(xp, form, op, x, diagonal)


@case(
    covers=("tril_indices", "triu_indices"),
    exact=True,
    op=st.sampled_from(["tril_indices", "triu_indices"]),
    row=st.integers(0, 5),
    col=st.integers(0, 5),
    offset=st.integers(-6, 6),
    dtype=st.sampled_from([None, "int32", "int64"]),
)
def triangle_indices(xp, op, row, col, offset, dtype):
    return getattr(xp, op)(row, col, offset, dtype=None if dtype is None else getattr(xp, dtype))


@case(
    covers=("block_diag", "cartesian_prod", "combinations", "meshgrid"),
    grad=True,
    exact=True,
    op=st.sampled_from(["block_diag", "cartesian_prod", "combinations", "meshgrid_ij", "meshgrid_xy", "meshgrid"]),
    xs=st.lists(
        tensors(dtypes=("float32",), max_dims=1, max_side=3, requires_grad=st.booleans()), min_size=1, max_size=3
    ),
    r=st.integers(0, 3),
    replacement=st.booleans(),
)
def grids(xp, op, xs, r, replacement):
    if op == "block_diag":
        return xp.block_diag(*xs)
    if op == "cartesian_prod":
        return xp.cartesian_prod(*xs)
    if op == "combinations":
        return xp.combinations(xs[0], r, replacement)
    if op == "meshgrid":
        return xp.meshgrid(*xs)
    return xp.meshgrid(*xs, indexing=op[-2:])
