"""`device` objects, the CPU-only build's behaviour, and the opt-in emulated CUDA device.

Without emulation the shim behaves as torch's CPU build: `'cuda'` parses as a device, but putting a
tensor there raises torch's AssertionError.  With emulation on (environment variable
``SHIM_EMULATE_CUDA=1`` at import, or ``shim.cuda.emulate()``), the process behaves as a machine with
one CUDA GPU: tensors can live on ``cuda:0`` (their data stays in numpy), print ``device='cuda:0'``,
and mixing devices in one op raises torch's error.
"""

from __future__ import annotations

import builtins
import os
import re
import weakref

__all__ = [
    "device",
    "CPU",
    "parse_device",
    "tensor_device",
    "cuda_emulated",
    "set_cuda_emulation",
    "set_default_device",
    "get_default_device",
]

_KNOWN_TYPES = (
    "cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, "
    "hpu, mtia, privateuseone"
)
_TYPE_NAMES = frozenset(_KNOWN_TYPES.split(", "))
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::([1-9][0-9]*|0))?$")
NO_CUDA = "Torch not compiled with CUDA enabled"
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
NO_PINNED_ALLOCATOR = (
    "pin_memory=True requires a CUDA or other accelerator backend; no pinned memory allocator is available on "
    "this system."
)


class device:
    """torch.device: a device type and an optional index."""

    __slots__ = ("type", "index")

    def __init__(self, type=None, index=None):
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device(): argument 'type' must be str, not torch.device")
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool) and index is not None:
            raise TypeError(f"device(): argument 'type' (position 1) must be str, not {builtins.type(type).__name__}")
        if isinstance(type, int) and not isinstance(type, bool):
            # An integer means an index on the current accelerator.
            if not cuda_emulated():
                raise RuntimeError(NO_ACCELERATOR)
            self.type, self.index = "cuda", type
            return
        if not isinstance(type, str):
            got = builtins.type(type).__name__
            raise TypeError(
                f"device() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                " * (torch.device device)\n"
                f"      didn't match because some of the arguments have invalid types: (!{got}!)\n"
                " * (str type, int index = -1)\n"
            )
        match = _DEVICE_STRING.match(type)
        if match is None:
            raise RuntimeError(f"Invalid device string: '{type}'")
        if match.group(1) not in _TYPE_NAMES:
            raise RuntimeError(f"Expected one of {_KNOWN_TYPES} device type at start of device string: {type}")
        kind, parsed_index = match.group(1), match.group(2)
        if parsed_index is not None:
            if index is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed explicitly: {type}"
                )
            index = int(parsed_index)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type, self.index = kind, index

    def __eq__(self, other) -> bool:
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        """`with torch.device(...)`: factories place tensors here inside the block."""
        _entered.append(_DeviceContext(self))
        return self

    def __exit__(self, *exc) -> None:
        _entered.pop().exit()


device.__module__ = "torch"

CPU = device("cpu")
CUDA0 = device("cuda", 0)

_emulation = [os.environ.get("SHIM_EMULATE_CUDA", "") not in ("", "0")]


def cuda_emulated() -> bool:
    return _emulation[0]


def set_cuda_emulation(enabled: bool) -> None:
    _emulation[0] = bool(enabled)


def check_pin_memory(pin_memory: bool, spec) -> bool:
    """Whether a factory's result on `spec` is page-locked: `pin_memory=True` on the CPU, which needs an
    accelerator's allocator (torch's CPU build refuses it)."""
    if not pin_memory or tensor_device(spec) is not CPU:
        return False
    if not cuda_emulated():
        raise RuntimeError(NO_PINNED_ALLOCATOR)
    return True


_pinned: dict = {}  # id -> weak reference of the pinned (page-locked in torch) tensors


def mark_pinned(t):
    key = id(t)
    _pinned[key] = weakref.ref(t, lambda _: _pinned.pop(key, None))
    return t


def is_pinned(t) -> bool:
    ref = _pinned.get(id(t))
    return ref is not None and ref() is t


def parse_device(spec) -> device:
    """A user's device argument (string, int or device) as a device object."""
    if isinstance(spec, device):
        return spec
    return device(spec)


class AcceleratorError(RuntimeError):
    """torch.AcceleratorError: an error reported by the accelerator's runtime."""


AcceleratorError.__module__ = "torch"


class _DeviceContext:
    """torch.utils._device.DeviceContext's bookkeeping: entering one puts it in force and remembers the one it
    replaced; exiting one puts that one back, whichever context was in force (so `set_default_device` called
    inside a `with torch.device(...)` block, or a block left open, behaves as in torch)."""

    __slots__ = ("device", "prev")

    def __init__(self, device) -> None:
        self.device, self.prev = parse_device(device), _active[0]
        _active[0] = self

    def exit(self) -> None:
        _active[0] = self.prev


_active: list = [None]  # the _DeviceContext in force (None: factories use the CPU)
_global: list = [None]  # the one set_default_device entered
_entered: list = []  # the ones `with torch.device(...)` entered, innermost last


def set_default_device(device) -> None:
    """torch.set_default_device: where factories place tensors given no device (None resets to the CPU)."""
    if _global[0] is not None:
        _global[0].exit()
    _global[0] = None if device is None else _DeviceContext(device)


def _default():
    return None if _active[0] is None else _active[0].device


def get_default_device() -> device:
    d = _default()
    if d is None or d.type == "cpu":
        return CPU
    return CUDA0 if d.type == "cuda" and d.index is None else d


def tensor_device(spec) -> device:
    """The device a tensor placed on `spec` reports: canonical CPU or cuda:0, or torch's error.  No device
    means the default device."""
    if spec is None:
        spec = _default()
    if spec is None or spec is CPU:
        return CPU
    d = parse_device(spec)
    if d.type == "cpu":
        return CPU
    if d.type == "cuda":
        if not cuda_emulated():
            raise AssertionError(NO_CUDA)
        if d.index not in (None, 0):  # checked against torch 2.11+cu130 on an H200
            raise AcceleratorError(
                "CUDA error: invalid device ordinal\n"
                "GPU device may be out of range, do you have enough GPUs?\n"
                "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace "
                "below might be incorrect.\nFor debugging consider passing CUDA_LAUNCH_BLOCKING=1\n"
                "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n"
            )
        return CUDA0
    raise NotImplementedError(f"The shim runs on the CPU (and an emulated CUDA device) only, not on '{d.type}'")
