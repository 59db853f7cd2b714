"""Process-wide settings torch keeps: interop threads, float32 matmul precision, the deterministic debug
mode, anomaly detection's switches and the legacy default tensor type.  The shim's kernels are
deterministic and compute float32 matmuls at full precision whatever these say; the settings are kept so
that programs read back what they set (anomaly detection's NaN checks are not made)."""

from __future__ import annotations

from . import _dtypes
from ._errors import warn_internal

__all__ = [
    "get_num_interop_threads",
    "set_num_interop_threads",
    "get_float32_matmul_precision",
    "set_float32_matmul_precision",
    "get_deterministic_debug_mode",
    "set_deterministic_debug_mode",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
    "set_anomaly_enabled",
    "set_default_tensor_type",
]

_SETTINGS = {"interop_threads": 2, "matmul_precision": "highest", "debug_mode": 0, "anomaly": False, "check_nan": True}
_PRECISIONS = ("highest", "high", "medium")
_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def get_num_interop_threads() -> int:
    return _SETTINGS["interop_threads"]


def set_num_interop_threads(num: int) -> None:
    if not isinstance(num, int) or num <= 0:
        raise RuntimeError("Expected positive number of threads")
    _SETTINGS["interop_threads"] = num


def get_float32_matmul_precision() -> str:
    return _SETTINGS["matmul_precision"]


def set_float32_matmul_precision(precision: str) -> None:
    if precision not in _PRECISIONS:
        raise RuntimeError(f"Invalid precision {precision}, expected one of 'highest', 'high', 'medium'")
    _SETTINGS["matmul_precision"] = precision


def get_deterministic_debug_mode() -> int:
    return _SETTINGS["debug_mode"]


def set_deterministic_debug_mode(debug_mode) -> None:
    import shim

    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError(
                "invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got " + debug_mode
            )
        debug_mode = _DEBUG_MODES[debug_mode]
    elif not isinstance(debug_mode, int):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if debug_mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}")
    _SETTINGS["debug_mode"] = debug_mode
    shim.use_deterministic_algorithms(debug_mode != 0, warn_only=debug_mode == 1)


def is_anomaly_enabled() -> bool:
    return _SETTINGS["anomaly"]


def is_anomaly_check_nan_enabled() -> bool:
    return _SETTINGS["check_nan"]


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    if type(enabled) is not bool or type(check_nan) is not bool:  # (the argument parser words torch's error)
        raise TypeError("set_anomaly_enabled() takes bools")
    _SETTINGS["anomaly"], _SETTINGS["check_nan"] = enabled, check_nan


_LEGACY_DTYPES = {
    "torch.FloatTensor": _dtypes.float32,
    "torch.DoubleTensor": _dtypes.float64,
    "torch.HalfTensor": _dtypes.float16,
}


def set_default_tensor_type(t, /) -> None:
    warn_internal(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use torch.set_default_dtype() and "
        "torch.set_default_device() as alternatives.",
        "torch/csrc/tensor/python_tensor.cpp:434",
        once=True,
    )
    name = t if isinstance(t, str) else getattr(t, "_legacy_name", None) or str(getattr(t, "__name__", t))
    name = name if name.startswith("torch.") else "torch." + name
    if name not in _LEGACY_DTYPES:
        raise TypeError("only floating-point types are supported as the default type")
    _dtypes.set_default_dtype(_LEGACY_DTYPES[name])
