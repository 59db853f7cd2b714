"""dtype objects and torch's promotion rules, for every pair (tensor tiers and Python scalars)."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, tensors

DTYPE_NAMES = ALL + ("complex32",)


@case(covers=("promote_types", "can_cast"), a=st.sampled_from(DTYPE_NAMES), b=st.sampled_from(DTYPE_NAMES))
def promote_and_cast(xp, a, b):
    da, db = getattr(xp, a), getattr(xp, b)
    return xp.promote_types(da, db), xp.can_cast(da, db)


@case(
    covers=("result_type",),
    a=tensors(dtypes=ALL, max_side=1),
    b=st.one_of(tensors(dtypes=ALL, max_side=1), st.sampled_from([True, 1, 2.5, 1j, -7])),
)
def result_type_case(xp, a, b):
    return xp.result_type(a, b), (a + b).dtype if not isinstance(b, complex) or True else None


@case(
    covers=("dtype attributes", "finfo", "iinfo", "float", "half", "long", "cfloat"),
    dtype_name=st.sampled_from(DTYPE_NAMES + ("float", "double", "half", "long", "int", "short", "cfloat", "cdouble")),
)
def dtype_attributes(xp, dtype_name):
    d = getattr(xp, dtype_name)
    out = [repr(d), str(d), d.is_floating_point, d.is_complex, d.is_signed, d.itemsize]
    for fn in (lambda: repr(xp.finfo(d)), lambda: repr(xp.iinfo(d)), lambda: d.to_complex(), lambda: d.to_real()):
        try:
            out.append(fn())
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


@case(covers=("get_default_dtype", "set_default_dtype"), dtype_name=st.sampled_from(ALL))
def default_dtype(xp, dtype_name):
    old = xp.get_default_dtype()
    try:
        xp.set_default_dtype(getattr(xp, dtype_name))
        return (
            xp.get_default_dtype(),
            xp.tensor([1.5]),
            xp.zeros(1).dtype,
            xp.tensor(1j).dtype,
            (xp.ones(1) + 1.5).dtype,
        )
    finally:
        xp.set_default_dtype(old)
