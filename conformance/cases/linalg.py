"""Matrix products across every rank combination torch accepts."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call, covers, each_form, forms, op_and_form
from ..registry import case
from ..strategies import FLOATS, matmul_pairs, tensors


@case(
    covers=covers("mm"),
    grad=True,
    forms=2,
    form=forms("mm"),
    dtype_of="a",
    a=tensors(
        dtypes=FLOATS + ("int64",),
        regime="exact",
        shape=st.tuples(st.integers(0, 4), st.integers(0, 4)),
        requires_grad=st.booleans(),
    ),
    b=tensors(
        dtypes=FLOATS + ("int64",),
        regime="exact",
        shape=st.tuples(st.integers(0, 4), st.integers(0, 4)),
        requires_grad=st.booleans(),
    ),
)
def mm_matrices(xp, a, b, form):
    return call(xp, form, "mm", a, b)


@case(covers=covers("matmul"), grad=True, forms=4, pair=matmul_pairs(requires_grad=st.booleans()), form=forms("matmul"))
def matmul_ranks(xp, pair, form):
    a, b = pair
    return call(xp, form, "matmul", a, b), each_form(xp, "matmul", a, b)


def _dims(lo=0, hi=4):
    return st.integers(lo, hi)


@case(
    covers=covers("bmm"),
    forms=2,
    grad=True,
    n=_dims(),
    k=_dims(),
    m=_dims(),
    batch=_dims(0, 3),
    other_batch=st.sampled_from([None, None, 1, 5]),
    dtype=st.sampled_from(FLOATS + ("int64", "complex64")),
    rank_b=st.sampled_from([3, 3, 3, 2]),
    requires_grad=st.booleans(),
    form=forms("bmm"),
)
def bmm_batches(xp, n, k, m, batch, other_batch, dtype, rank_b, requires_grad, form):
    """bmm with matching batches, and the batch, rank and dtype errors torch names."""
    rg = requires_grad and dtype != "int64"
    left = xp.arange(batch * n * k, dtype=getattr(xp, dtype)).reshape(batch, n, k) / 4
    b_batch = batch if other_batch is None else other_batch
    right_shape = (b_batch, k, m) if rank_b == 3 else (k, m)
    right = xp.arange(b_batch * k * m if rank_b == 3 else k * m, dtype=getattr(xp, dtype)).reshape(right_shape) / 8
    left, right = left.to(getattr(xp, dtype)), right.to(getattr(xp, dtype))
    if rg:
        left.requires_grad_()
        right.requires_grad_()
    return call(xp, form, "bmm", left, right)


@case(
    covers=covers("mv", "dot", "outer", "ger"),
    grad=True,
    forms=3,
    op_form=op_and_form(["mv", "dot", "outer", "ger"]),
    a=tensors(dtypes=FLOATS + ("int64", "complex64"), regime="exact", max_dims=3, requires_grad=st.booleans()),
    b=tensors(dtypes=FLOATS + ("int64", "complex64"), regime="exact", max_dims=2, requires_grad=st.booleans()),
)
def vector_products(xp, op_form, a, b):
    """mv, dot, outer and ger on drawn ranks: the shape and dtype checks of each, and their results."""
    op, form = op_form
    return call(xp, form, op, a, b)


@case(
    covers=covers("mv", "dot", "outer"),
    grad=True,
    forms=3,
    op_form=op_and_form(["mv", "dot", "outer"]),
    n=_dims(0, 5),
    k=_dims(0, 5),
    dtype=st.sampled_from(FLOATS + ("int64", "complex64")),
    requires_grad=st.booleans(),
)
def vector_products_valid(xp, op_form, n, k, dtype, requires_grad):
    """Compatible operands, so the values and gradients are compared too."""
    op, form = op_form
    dt = getattr(xp, dtype)
    left = (xp.arange(n * k, dtype=dt).reshape(n, k) if op == "mv" else xp.arange(k, dtype=dt)) / 2
    right = xp.arange(k if op != "outer" else n, dtype=dt) * 3 - 1
    left, right = left.to(dt), right.to(dt)
    if requires_grad and dtype != "int64":
        left.requires_grad_()
        right.requires_grad_()
    return call(xp, form, op, left, right)


_EQUATIONS = st.sampled_from(
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ij,jk", [(2, 3), (3, 4)]),
        ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
        ("bij,bjk->bik", [(2, 2, 3), (1, 3, 4)]),
        ("ii->i", [(3, 3)]),
        ("ii", [(3, 3)]),
        ("ij->", [(2, 3)]),
        ("ij->ji", [(2, 3)]),
        ("i,i->", [(4,), (4,)]),
        ("i,j->ij", [(3,), (2,)]),
        ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),
        ("...i,...i->...", [(4, 3), (2, 1, 3)]),
        ("i j , j k -> i k", [(2, 3), (3, 4)]),
        ("BA,Ab", [(2, 3), (3, 4)]),
        ("ijk,jk", [(2, 3), (3, 4)]),
        ("ij,jk->kk", [(2, 3), (3, 4)]),
        ("ij,jk->il", [(2, 3), (3, 4)]),
        ("ij1,jk", [(2, 3), (3, 4)]),
        ("ij,jk->ik", [(2, 3)]),
        ("ij->ij", [(2, 3), (3, 4)]),
        ("ij,jk->ik", [(2, 3), (4, 4)]),
        ("ii", [(2, 3)]),
        ("i.j", [(2, 3)]),
        ("ij->>j", [(2, 3)]),
        ("", [()]),
    ]
)


@case(
    covers=("einsum",),
    grad=True,
    spec=_EQUATIONS,
    dtype=st.sampled_from(("float32", "float64", "int64", "bool", "complex64")),
    requires_grad=st.booleans(),
)
def einsum_equations(xp, spec, dtype, requires_grad):
    """Equations torch accepts (implicit output, ellipsis, diagonals, broadcasting) and each parse error."""
    equation, shapes = spec
    dt = getattr(xp, dtype)
    operands = []
    for i, shape in enumerate(shapes):
        size = 1
        for s in shape:
            size *= s
        t = (xp.arange(size, dtype=xp.float64).reshape(shape) * (i + 1) - 2).to(dt)
        if requires_grad and dtype in ("float32", "float64", "complex64"):
            t.requires_grad_()
        operands.append(t)
    return xp.einsum(equation, *operands)


@case(covers=("@=",), a=tensors(dtypes=FLOATS, regime="exact", shape=st.just((2, 3))), cols=st.integers(1, 4))
def matmul_inplace_operator(xp, a, cols):
    """x @= y rebinds x to a new tensor (torch has no in-place matmul); the original is untouched."""
    original = a
    a @= xp.ones(3, cols, dtype=a.dtype)
    return a, original, a is original
