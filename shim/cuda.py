"""torch.cuda: a CPU-only build's answers, or one emulated GPU (see `_devices`)."""

from __future__ import annotations

from ._devices import NO_CUDA, cuda_emulated, set_cuda_emulation

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


def emulate(enabled: bool = True) -> None:
    """Turn the emulated CUDA device on or off (also: environment variable SHIM_EMULATE_CUDA=1)."""
    set_cuda_emulation(enabled)
