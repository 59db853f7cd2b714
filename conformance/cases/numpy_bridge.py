"""numpy() and from_numpy share memory both ways."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, tensors


@case(covers=("numpy",), x=tensors(dtypes=ALL))
def numpy_shares(xp, x):
    a = x.numpy()
    if a.size:
        a.reshape(-1)[0] = a.reshape(-1)[-1]
    return a, x


@case(
    covers=("from_numpy",),
    dtype=st.sampled_from(
        ["float32", "float64", "int64", "int32", "uint8", "bool", "complex64", "float16", "int16", "int8"]
    ),
    shape=st.sampled_from([(), (3,), (2, 3), (0,), (3, 2)]),
)
def from_numpy_shares(xp, dtype, shape):
    a = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    t = xp.from_numpy(a)
    if a.size:
        a.reshape(-1)[0] = 1
    return t
