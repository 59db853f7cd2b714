"""Factories beyond the core ones: logspace, range, empty_strided, empty_permuted, frombuffer, the window
functions, new_empty_strided, and the small utilities (fill, is_nonzero, is_same_size, unravel_index,
sum_to_size, fill_diagonal_, Tensor.where, gradient)."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import covers
from ..registry import case
from ..strategies import ALL, FLOATS, tensors


@case(
    covers=("logspace", "range", "logspace(out=)"),
    ulps=4,
    op=st.sampled_from(["logspace", "range"]),
    start=st.integers(-3, 3),
    end=st.integers(-3, 6),
    steps=st.integers(0, 6),
    base=st.sampled_from([10.0, 2.0, 0.5]),
    dtype=st.sampled_from([None, "float64", "int64", "float16"]),
)
def spaced(xp, op, start, end, steps, base, dtype):
    dt = None if dtype is None else getattr(xp, dtype)
    if op == "logspace":
        return xp.logspace(start, end, steps, base, dtype=dt)
    # (an int64 range with a fractional step makes torch divide by the step cast to 0: SIGFPE, the process dies)
    return xp.range(start, end, max(steps, 1) / (1 if dtype == "int64" else 2), dtype=dt)


@case(
    covers=("hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"),
    ulps=4,
    op=st.sampled_from(["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"]),
    n=st.integers(-1, 8),
    periodic=st.booleans(),
    dtype=st.sampled_from([None, "float64", "int64"]),
)
def windows(xp, op, n, periodic, dtype):
    return getattr(xp, op)(n, periodic, dtype=None if dtype is None else getattr(xp, dtype))


@case(
    covers=("empty_strided", "empty_permuted", "Tensor.new_empty_strided", "frombuffer"),
    exact=True,
    op=st.sampled_from(["empty_strided", "empty_permuted", "new_empty_strided", "frombuffer"]),
    size=st.lists(st.integers(0, 3), min_size=1, max_size=3).map(tuple),
    dtype=st.sampled_from(["float32", "int64", "uint8"]),
)
def uninitialised(xp, op, size, dtype):
    """Allocations are compared by layout; their values are written before they are looked at."""
    dt = getattr(xp, dtype)
    if op == "frombuffer":
        buffer = bytearray(range(24))
        return xp.frombuffer(buffer, dtype=dt, count=-1, offset=0)
    if op == "empty_permuted":
        t = xp.empty_permuted(size, tuple(reversed(range(len(size)))), dtype=dt)
    else:
        stride = tuple(range(len(size), 0, -1))
        maker = xp.empty_strided if op == "empty_strided" else xp.ones(1, dtype=dt).new_empty_strided
        t = maker(size, stride, dtype=dt) if op == "empty_strided" else maker(size, stride)
    t.fill_(3)
    return t


@case(
    covers=(
        "fill",
        "is_nonzero",
        "is_same_size",
        "unravel_index",
        "Tensor.sum_to_size",
        "Tensor.fill_diagonal_",
        "Tensor.where",
        "gradient",
        "is_storage",
    )
    + covers("is_nonzero", "is_same_size"),
    grad=True,
    ulps=2,
    op=st.sampled_from(
        [
            "fill",
            "is_nonzero",
            "is_same_size",
            "unravel_index",
            "sum_to_size",
            "fill_diagonal_",
            "where",
            "gradient",
            "is_storage",
        ]
    ),
    x=tensors(dtypes=ALL, regime="exact", max_side=4, requires_grad=st.booleans()),
    y=tensors(dtypes=FLOATS, regime="exact", max_side=4),
    wrap=st.booleans(),
)
def utilities(xp, op, x, y, wrap):
    if op == "fill":
        return xp.fill(x, 2)
    if op == "is_nonzero":
        return xp.is_nonzero(x), x.is_nonzero()
    if op == "is_same_size":
        return xp.is_same_size(x, y), x.is_same_size(y)
    if op == "unravel_index":
        return xp.unravel_index(xp.tensor([0, 3, -1, 5]), (2, 3))
    if op == "sum_to_size":
        return x.sum_to_size(*(x.shape[1:] if x.dim() else ()))
    if op == "fill_diagonal_":
        return x.detach().clone().fill_diagonal_(7, wrap=wrap)
    if op == "where":
        return x.where(x != 0, y)
    if op == "is_storage":
        return xp.is_storage(x), xp.is_storage(x.untyped_storage())
    return xp.gradient(y, spacing=2.0, edge_order=1 + int(wrap))


@case(
    covers=(
        "set_default_device",
        "get_default_device",
        "use_deterministic_algorithms",
        "are_deterministic_algorithms_enabled",
        "is_deterministic_algorithms_warn_only_enabled",
        "get_num_interop_threads",
        "set_num_interop_threads",
        "get_float32_matmul_precision",
        "set_float32_matmul_precision",
        "get_deterministic_debug_mode",
        "set_deterministic_debug_mode",
        "is_anomaly_enabled",
        "set_anomaly_enabled",
        "is_anomaly_check_nan_enabled",
        "set_default_tensor_type",
        "get_num_threads",
        "set_num_threads",
        "is_inference_mode_enabled",
        "scalar_tensor",
    ),
    exact=True,
    op=st.sampled_from(
        ["device", "deterministic", "precision", "debug", "anomaly", "tensor_type", "threads", "context"]
    ),
    value=st.sampled_from([0, 1, 2, "warn", "high", True, False]),
)
def global_state(xp, op, value):
    """Each setting set, read back and restored; what factories make under it."""
    if op == "device":
        xp.set_default_device("cpu")
        try:
            return xp.get_default_device(), xp.ones(2).device, xp.scalar_tensor(1).device
        finally:
            xp.set_default_device(None)
    if op == "context":
        with xp.device("cpu"):
            inside = (xp.zeros(1).device, xp.get_default_device())
        return inside, xp.get_default_device(), xp.is_inference_mode_enabled()
    if op == "deterministic":
        xp.use_deterministic_algorithms(bool(value), warn_only=value == 2)
        try:
            return xp.are_deterministic_algorithms_enabled(), xp.is_deterministic_algorithms_warn_only_enabled()
        finally:
            xp.use_deterministic_algorithms(False)
    if op == "precision":
        before = xp.get_float32_matmul_precision()
        xp.set_float32_matmul_precision(value if isinstance(value, str) and value != "warn" else "medium")
        try:
            return before, xp.get_float32_matmul_precision()
        finally:
            xp.set_float32_matmul_precision(before)
    if op == "debug":
        xp.set_deterministic_debug_mode(value if not isinstance(value, bool) and value != "high" else 0)
        try:
            return xp.get_deterministic_debug_mode(), xp.are_deterministic_algorithms_enabled()
        finally:
            xp.set_deterministic_debug_mode(0)
    if op == "anomaly":
        xp.set_anomaly_enabled(bool(value), check_nan=not bool(value))
        try:
            return xp.is_anomaly_enabled(), xp.is_anomaly_check_nan_enabled()
        finally:
            xp.set_anomaly_enabled(False)
    if op == "tensor_type":
        xp.set_default_tensor_type(xp.DoubleTensor if value else "torch.FloatTensor")
        try:
            return xp.ones(1).dtype, xp.get_default_dtype()
        finally:
            xp.set_default_dtype(xp.float32)
    before = xp.get_num_interop_threads()
    return before >= 1, xp.get_num_threads() >= 1


@case(
    covers=("Tensor.resize_", "Tensor.resize_as_", "torch.resize_as_", "Tensor.resize", "Tensor.resize_as"),
    exact=True,
    op=st.sampled_from(["resize_", "resize_as_", "torch.resize_as_", "resize", "resize_as"]),
    x=tensors(dtypes=ALL, layouts=("contiguous", "transposed", "sliced"), requires_grad=st.booleans()),
    size=st.lists(st.integers(0, 4), max_size=3).map(tuple),
)
def resizes(xp, op, x, size):
    """The geometry after a resize, and the elements it keeps (sizes that fit the storage: a grown storage's
    new elements are uninitialised, in torch as in the shim)."""
    if (int(xp.tensor(size).prod()) if size else 1) > x.numel():
        size = (x.numel(),)
    kept = int(xp.tensor(size).prod()) if size else 1
    if op == "resize":
        return x.resize(*size)
    if op == "resize_as":
        return x.resize_as(xp.empty(size))
    target = xp.empty(size)
    r = (
        x.resize_(*size)
        if op == "resize_"
        else (x.resize_as_(target) if op == "resize_as_" else xp.resize_as_(x, target))
    )
    values = r.flatten()[:kept].clone() if r.is_contiguous() and kept else None
    # (an empty tensor made from an empty numpy array keeps numpy's zero strides in torch: not compared here)
    return r is x, r.shape, r.stride() if r.numel() else None, r.storage_offset(), r._version, values
