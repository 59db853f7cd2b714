"""numpy() and from_numpy share memory both ways; the dtype mapping and torch's errors and warnings."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, tensors


@case(
    covers=("numpy()", "np.asarray(t)", "__array__"),
    x=tensors(dtypes=ALL),
    force=st.booleans(),
    requires_grad=st.booleans(),
)
def numpy_shares(xp, x, force, requires_grad):
    if requires_grad and x.is_floating_point():
        x.requires_grad_()
    a = x.numpy(force=force)
    if a.size and a.flags.writeable:
        a.reshape(-1)[0] = a.reshape(-1)[-1]
    return a, x, np.asarray(x.detach()).dtype


@case(
    covers=("from_numpy",),
    dtype=st.sampled_from(
        [
            "float32",
            "float64",
            "int64",
            "int32",
            "uint8",
            "bool",
            "complex64",
            "float16",
            "int16",
            "int8",
            "uint16",
            "uint32",
            "uint64",
            "complex128",
            "str",
            "object",
            ">f4",
        ]
    ),
    shape=st.sampled_from([(), (3,), (2, 3), (0,), (3, 2)]),
    view=st.sampled_from(["plain", "step", "reversed", "readonly", "transposed"]),
)
def from_numpy_case(xp, dtype, shape, view):
    a = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    if view == "step" and a.ndim:
        a = a[..., ::2]
    elif view == "reversed" and a.ndim:
        a = a[..., ::-1]
    elif view == "transposed":
        a = a.T
    elif view == "readonly":
        a.flags.writeable = False
    t = xp.from_numpy(a)
    if a.size and a.flags.writeable:
        a.reshape(-1)[0] = 1
    # a size-1 dim's stride is arbitrary, an empty tensor's too
    return t, tuple(s for d, s in zip(t.shape, t.stride()) if d != 1) if t.numel() else None


@case(covers=("from_numpy",), obj=st.sampled_from([[1, 2], 3.0, np.float64(1.0), (1,), None]))
def from_numpy_errors(xp, obj):
    return xp.from_numpy(obj)
