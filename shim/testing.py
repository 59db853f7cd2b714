"""torch.testing.assert_close with torch's default tolerances and messages."""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._tensor import Tensor

__all__ = ["assert_close", "DEFAULT_TOLERANCES"]

DEFAULT_TOLERANCES = {
    _dtypes.float16: (1e-3, 1e-5),
    _dtypes.float32: (1.3e-6, 1e-5),
    _dtypes.float64: (1e-7, 1e-7),
    _dtypes.complex64: (1.3e-6, 1e-5),
    _dtypes.complex128: (1e-7, 1e-7),
}


def _tolerances(dtype):
    return DEFAULT_TOLERANCES.get(dtype, (0.0, 0.0))


def assert_close(
    actual,
    expected,
    *,
    allow_subclasses=True,
    rtol=None,
    atol=None,
    equal_nan=False,
    check_device=True,
    check_dtype=True,
    check_layout=True,
    check_stride=False,
    msg=None,
) -> None:
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}.")
    _compare(actual, expected, rtol, atol, equal_nan, check_device, check_dtype, check_stride, msg, [])


def _fail(message, path, msg):
    if msg is not None:
        raise AssertionError(msg if isinstance(msg, str) else msg(message))
    if path:
        message += "\n\nThe failure occurred for item " + "".join(f"[{p!r}]" for p in path)
    raise AssertionError(message)


def _compare(actual, expected, rtol, atol, equal_nan, check_device, check_dtype, check_stride, msg, path):
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            _fail(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", path, msg)
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, rtol, atol, equal_nan, check_device, check_dtype, check_stride, msg, path + [i])
        return
    if isinstance(actual, dict) and isinstance(expected, dict):
        for k in expected:
            _compare(
                actual[k], expected[k], rtol, atol, equal_nan, check_device, check_dtype, check_stride, msg, path + [k]
            )
        return
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        _compare_tensors(actual, expected, rtol, atol, equal_nan, check_device, check_dtype, check_stride, msg, path)
        return
    scalar_types = (bool, int, float, complex)
    if isinstance(actual, scalar_types) and isinstance(expected, scalar_types):
        if check_dtype and type(actual) is not type(expected):
            _fail(f"The (d)types do not match: {type(actual)} != {type(expected)}.", path, msg)
        dtype = {bool: _dtypes.bool_, int: _dtypes.int64, float: _dtypes.float64, complex: _dtypes.complex128}[
            type(expected)
        ]
        r, a = (rtol, atol) if rtol is not None else _tolerances(dtype)
        _check_values(np.asarray(actual), np.asarray(expected), r, a, equal_nan, True, path, msg)
        return
    raise TypeError(
        f"No comparison pair was able to handle inputs of type {_type_name(actual)} and {_type_name(expected)}."
    )


def _type_name(x) -> str:
    t = type(x)
    if isinstance(x, Tensor):
        return "<class 'torch.Tensor'>"
    return str(t)


def _compare_tensors(actual, expected, rtol, atol, equal_nan, check_device, check_dtype, check_stride, msg, path):
    if actual.shape != expected.shape:
        _fail(f"The values for attribute 'shape' do not match: {actual.shape} != {expected.shape}.", path, msg)
    if check_device and actual.device != expected.device:
        _fail(f"The values for attribute 'device' do not match: {actual.device} != {expected.device}.", path, msg)
    if check_dtype and actual.dtype is not expected.dtype:
        _fail(f"The values for attribute 'dtype' do not match: {actual.dtype} != {expected.dtype}.", path, msg)
    if check_stride and actual.stride() != expected.stride():
        _fail(f"The values for attribute 'stride()' do not match: {actual.stride()} != {expected.stride()}.", path, msg)
    if rtol is None:
        r1, a1 = _tolerances(actual.dtype)
        r2, a2 = _tolerances(expected.dtype)
        rtol, atol = max(r1, r2), max(a1, a2)
    _check_values(actual._a, expected._a, rtol, atol, equal_nan, actual._a.ndim == 0, path, msg)


def _check_values(actual, expected, rtol, atol, equal_nan, scalar, path, msg):
    common = np.promote_types(actual.dtype, expected.dtype)
    if common.kind in "biu":
        a, e = actual.astype(np.int64), expected.astype(np.int64)
        close = a == e
    else:
        a, e = actual.astype(common), expected.astype(common)
        with np.errstate(all="ignore"):
            close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan)
            close |= a == e
            if equal_nan:
                close |= np.isnan(a) & np.isnan(e)
    if np.all(close):
        return
    equal = rtol == 0 and atol == 0
    with np.errstate(all="ignore"):
        abs_diff = np.abs(a - e)
        # integer tensors divide as torch's true division does, in the default dtype; Python scalars in double
        ratio = common if common.kind not in "biuc" else (np.float64 if scalar else _dtypes.get_default_dtype().np)
        if common.kind == "c":  # |a - e| / |e| is real
            ratio = np.abs(np.zeros((), common)).dtype
        rel_diff = abs_diff.astype(ratio) / np.abs(e).astype(ratio)
    kind = "Scalars" if scalar else "Tensor-likes"
    word = "equal" if equal else "close"
    lines = [f"{kind} are not {word}!", ""]
    if scalar:
        lines.append(f"Expected {e.item()} but got {a.item()}.")
        lines.append(f"Absolute difference: {_num(abs_diff.item())}" + ("" if equal else f" (up to {atol} allowed)"))
        lines.append(f"Relative difference: {_num(rel_diff.item())}" + ("" if equal else f" (up to {rtol} allowed)"))
    else:
        total = close.size
        mismatched = int(np.count_nonzero(~close))
        lines.append(f"Mismatched elements: {mismatched} / {total} ({mismatched / total:.1%})")
        flat_abs = np.where(close, -np.inf, abs_diff.astype(np.float64)).reshape(-1)
        flat_rel = np.where(close, -np.inf, rel_diff.astype(np.float64)).reshape(-1)
        ia = _argmax_nan(flat_abs)
        ir = _argmax_nan(flat_rel)
        idx_a = tuple(int(i) for i in np.unravel_index(ia, close.shape))
        idx_r = tuple(int(i) for i in np.unravel_index(ir, close.shape))
        lines.append(
            f"Greatest absolute difference: {_num(abs_diff.reshape(-1)[ia].item())} at index {idx_a}"
            + ("" if equal else f" (up to {atol} allowed)")
        )
        lines.append(
            f"Greatest relative difference: {_num(rel_diff.reshape(-1)[ir].item())} at index {idx_r}"
            + ("" if equal else f" (up to {rtol} allowed)")
        )
    _fail("\n".join(lines), path, msg)


def _argmax_nan(x):
    nan = np.isnan(x)
    if nan.any():
        return int(np.argmax(nan))
    return int(np.argmax(x))


def _num(v):
    return v
