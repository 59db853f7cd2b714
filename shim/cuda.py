"""torch.cuda: a CPU-only build's answers, or one emulated GPU (see `_devices`)."""

from __future__ import annotations

from ._devices import NO_CUDA, cuda_emulated, set_cuda_emulation, tensor_device

__all__ = [
    "is_available",
    "device_count",
    "current_device",
    "get_device_name",
    "is_initialized",
    "manual_seed",
    "manual_seed_all",
    "synchronize",
    "emulate",
    "empty_cache",
    "set_device",
    "device",
    "is_bf16_supported",
    "memory_allocated",
    "max_memory_allocated",
    "memory_reserved",
]


def is_available() -> bool:
    return cuda_emulated()


def device_count() -> int:
    return 1 if cuda_emulated() else 0


def _require() -> None:
    if not cuda_emulated():
        raise AssertionError(NO_CUDA)


def current_device() -> int:
    _require()
    return 0


def get_device_name(device=None) -> str:
    _require()
    return "Emulated CUDA device (shim)"


def is_initialized() -> bool:
    return cuda_emulated()


def synchronize(device=None) -> None:
    _require()


def empty_cache() -> None:
    pass


def manual_seed(seed) -> None:
    """Seeding CUDA generators is a no-op without a GPU, as in torch."""


manual_seed_all = manual_seed


def _index(device) -> None:
    """The emulated machine has one GPU: device 0 (cuda, cuda:0), else torch's invalid-ordinal error."""
    tensor_device(f"cuda:{device}" if isinstance(device, int) else device)


def set_device(device) -> None:
    if not cuda_emulated():  # (what torch's CPU build does)
        raise AttributeError("module 'torch._C' has no attribute '_cuda_setDevice'")
    _index(device)


class device:
    """torch.cuda.device: a context manager selecting a GPU (the emulated machine has only device 0)."""

    def __init__(self, device) -> None:
        self.idx = device

    def __enter__(self) -> None:
        if not cuda_emulated():
            raise RuntimeError("PyTorch was compiled without CUDA support")
        _index(self.idx)

    def __exit__(self, *exc) -> bool:
        return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return cuda_emulated()


def memory_allocated(device=None) -> int:
    """Bytes held by tensors on the GPU: the emulated device's tensors live in host memory, so 0 (as on a
    machine without CUDA)."""
    return 0


max_memory_allocated = memory_reserved = memory_allocated


def emulate(enabled: bool = True) -> None:
    """Turn the emulated CUDA device on or off (also: environment variable SHIM_EMULATE_CUDA=1)."""
    set_cuda_emulation(enabled)
