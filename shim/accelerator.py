"""torch.accelerator: the current accelerator is the emulated CUDA device, when it is on."""

from __future__ import annotations

from ._devices import cuda_emulated, device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index"]


def is_available() -> bool:
    return cuda_emulated()


def current_accelerator(check_available: bool = False):
    return device("cuda") if cuda_emulated() else None


def device_count() -> int:
    return 1 if cuda_emulated() else 0


def current_device_index() -> int:
    return 0 if cuda_emulated() else -1
