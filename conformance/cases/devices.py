"""Devices on a CPU-only build: parsing, attributes, and torch's errors for CUDA."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, tensors

_SPECS = st.sampled_from(
    ["cpu", "cuda", "cuda:0", "cuda:1", "cpu:0", "gpu", "CUDA", " cpu", "cuda:-1", "cuda:x", "mps", 0, 1]
)


@case(covers=("device", "device.type", "device.index"), spec=_SPECS, index=st.none() | st.integers(-1, 2))
def device_parsing(xp, spec, index):
    d = xp.device(spec) if index is None else xp.device(spec, index)
    return repr(d), str(d), d.type, d.index, d == xp.device("cpu"), hash(d) == hash(xp.device(d))


_QUERIES = {
    "is_available": lambda xp: xp.cuda.is_available(),
    "device_count": lambda xp: xp.cuda.device_count(),
    "current_device": lambda xp: xp.cuda.current_device(),
    "acc_available": lambda xp: xp.accelerator.is_available(),
    "acc_current": lambda xp: xp.accelerator.current_accelerator(),
    "bf16": lambda xp: xp.cuda.is_bf16_supported(),
    "memory": lambda xp: (xp.cuda.memory_allocated(), xp.cuda.max_memory_allocated(), xp.cuda.memory_reserved()),
    "set_device": lambda xp: xp.cuda.set_device(0),
    "device_context": lambda xp: xp.cuda.device(0).__enter__(),
    "cudnn": lambda xp: (
        xp.backends.cudnn.is_available(),
        xp.backends.cudnn.enabled,
        xp.backends.cudnn.deterministic,
        xp.backends.cudnn.benchmark,
        xp.backends.cudnn.version(),
    ),
    "pin_memory": lambda xp: xp.ones(2).pin_memory(),
    "is_pinned": lambda xp: xp.ones(2).is_pinned(),
}


@case(
    covers=(
        "cuda.is_available",
        "cuda.device_count",
        "accelerator",
        "cuda.is_bf16_supported",
        "cuda.memory_allocated",
        "cuda.set_device",
        "cuda.device",
        "backends.cudnn",
        "Tensor.pin_memory",
        "Tensor.is_pinned",
    ),
    probe=st.sampled_from(sorted(_QUERIES)),
)
def cuda_queries(xp, probe):
    return _QUERIES[probe](xp)


_PINNED_FACTORIES = {
    "tensor": lambda xp, pin: xp.tensor([1.0, 2.0], pin_memory=pin),
    "ones": lambda xp, pin: xp.ones(2, pin_memory=pin),
    "full": lambda xp, pin: xp.full((2,), 3.0, pin_memory=pin),
    "empty_strided": lambda xp, pin: xp.empty_strided((2,), (1,), pin_memory=pin).fill_(1),
    "arange": lambda xp, pin: xp.arange(3, pin_memory=pin),
    "linspace": lambda xp, pin: xp.linspace(0, 1, 3, pin_memory=pin),
    "eye": lambda xp, pin: xp.eye(2, pin_memory=pin),
    "zeros_like": lambda xp, pin: xp.zeros_like(xp.ones(2), pin_memory=pin),
    "new_ones": lambda xp, pin: xp.ones(1).new_ones(2, pin_memory=pin),
    "randn": lambda xp, pin: xp.randn(2, pin_memory=pin),
    "randperm": lambda xp, pin: xp.randperm(4, pin_memory=pin),
    "hann_window": lambda xp, pin: xp.hann_window(3, pin_memory=pin),
    "tril_indices": lambda xp, pin: xp.tril_indices(2, 2, pin_memory=pin),
}


@case(
    covers=("pin_memory=",),
    exact=True,
    factory=st.sampled_from(sorted(_PINNED_FACTORIES)),
    pin=st.booleans(),
)
def pinned_factories(xp, factory, pin):
    """pin_memory=True needs an accelerator's allocator: torch's CPU build refuses it before drawing (the
    stream's position shows that)."""
    xp.manual_seed(0)
    try:
        made = _PINNED_FACTORIES[factory](xp, pin)
    except RuntimeError as e:
        made = str(e)
    return made, xp.rand(1)


@case(
    covers=("device=", ".to(device)", ".cpu()", ".cuda()", ".is_cuda"),
    x=tensors(dtypes=ALL),
    spec=_SPECS,
    how=st.sampled_from(["factory", "to", "cuda", "cpu", "tensor"]),
)
def device_placement(xp, x, spec, how):
    if how == "factory":
        return xp.zeros(2, device=spec)
    if how == "tensor":
        return xp.tensor([1.0], device=spec)
    if how == "to":
        return x.to(spec)
    if how == "cuda":
        return x.cuda()
    r = x.cpu()
    return r, r is x, r.is_cuda


@case(covers=("device='meta'",), how=st.sampled_from(["factory", "to"]))
def meta_device(xp, how):
    """Meta tensors (shape and dtype, no data) are outside the API surface; the manifest lists this."""
    x = xp.zeros(2, 3, device="meta") if how == "factory" else xp.zeros(2, 3).to("meta")
    return x.shape, x.dtype, x.device.type
